package spill

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
)

// TestPutGet checks that what is put is got back, from many goroutines
// at once, whatever the order, and that the file is the sum of the Puts.
func TestPutGet(t *testing.T) {
	s, err := Open(t.TempDir(), "spill-*")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 400
	refs := make([]Ref, n)
	want := func(i int) []byte { return bytes.Repeat([]byte(fmt.Sprintf("blob %d;", i)), 1+i%37) }
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += 4 {
				r, err := s.Put(want(i))
				if err != nil {
					t.Error(err)
					return
				}
				refs[i] = r
			}
		}()
	}
	wg.Wait()
	var total int64
	buf := make([]byte, 0, 64)
	for i := n - 1; i >= 0; i-- {
		got, err := s.Get(buf, refs[i])
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want(i)) {
			t.Fatalf("blob %d: got %q", i, got)
		}
		if len(got) <= cap(buf) && &got[0] != &buf[:1][0] {
			t.Fatalf("blob %d of %d bytes was not read into dst, of %d", i, len(got), cap(buf))
		}
		total += int64(len(got))
	}
	if s.Size() != total {
		t.Fatalf("size %d, want %d", s.Size(), total)
	}
	if r, err := s.Put(nil); err != nil || r != (Ref{}) {
		t.Fatalf("Put(nil) = %v, %v; want the zero Ref", r, err)
	}
	if got, err := s.Get(nil, Ref{}); err != nil || len(got) != 0 {
		t.Fatalf("Get of the zero Ref = %q, %v", got, err)
	}
}

// TestNothingLeftBehind checks that a Store's file is gone from its
// folder at once on Unix, and in any case once closed; and that a closed
// Store says so.
func TestNothingLeftBehind(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, "spill-*")
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Put([]byte("held"))
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" {
		if left, _ := os.ReadDir(dir); len(left) != 0 {
			t.Fatalf("the store's file is in its folder: %v", left)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("left after Close: %v", left)
	}
	if _, err := s.Get(nil, r); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close: %v, want ErrClosed", err)
	}
	if _, err := s.Put([]byte("more")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Put after Close: %v, want ErrClosed", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
}

// TestOpenFails checks that a folder that cannot hold the file is an
// error, not a Store.
func TestOpenFails(t *testing.T) {
	if _, err := Open(t.TempDir()+"/missing/folder", "spill-*"); err == nil {
		t.Fatal("Open in a missing folder succeeded")
	}
}
