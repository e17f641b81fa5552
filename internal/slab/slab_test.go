package slab

import (
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

type rec struct {
	name string
	n    [16]int64
	next *rec
}

func TestOfGivesNewZeroValuesSideBySide(t *testing.T) {
	var s Of[rec]
	seen := map[*rec]bool{}
	var prev *rec
	for i := range 3 * chunkLen {
		v := s.New()
		if seen[v] {
			t.Fatalf("value %d handed out twice", i)
		}
		seen[v] = true
		if v.name != "" || v.n != ([16]int64{}) || v.next != nil {
			t.Fatalf("value %d not zero: %+v", i, *v)
		}
		v.name, v.n[3], v.next = "x", int64(i), prev
		// Within a chunk, each value follows the one before.
		if i%chunkLen != 0 && uintptr(unsafe.Pointer(v)) != uintptr(unsafe.Pointer(prev))+unsafe.Sizeof(rec{}) {
			t.Fatalf("value %d not beside the one before it", i)
		}
		prev = v
	}
	runtime.GC()
	// The values stay what they were made, each reachable from the next.
	for i := 3*chunkLen - 1; i >= 0; i-- {
		if prev.n[3] != int64(i) || prev.name != "x" {
			t.Fatalf("value %d changed: %+v", i, *prev)
		}
		prev = prev.next
	}
}

func TestTextCopies(t *testing.T) {
	var tx Text
	b := []byte("heading-id")
	s := tx.String(b)
	b[0] = 'X'
	if s != "heading-id" {
		t.Fatalf("String shares its argument's memory: %q", s)
	}
	if got := tx.String(nil); got != "" {
		t.Fatalf("String(nil) = %q", got)
	}
	long := strings.Repeat("a", MaxText+1)
	if got := tx.String([]byte(long)); got != long {
		t.Fatal("a long string changed")
	}
	in := strings.Repeat("b", 20)
	c := tx.Clone(in[:10])
	if c != in[:10] || unsafe.StringData(c) == unsafe.StringData(in) {
		t.Fatalf("Clone = %q, sharing its argument's memory", c)
	}
	// Two strings taken one after the other do not overlap.
	x, y := tx.String([]byte("abc")), tx.String([]byte("def"))
	if x != "abc" || y != "def" {
		t.Fatalf("got %q and %q", x, y)
	}
}

func TestListsCloneCannotBeAppendedOver(t *testing.T) {
	var ls Lists[string]
	a := ls.Clone([]string{"db", "api"})
	b := ls.Clone([]string{"search"})
	if cap(a) != len(a) {
		t.Fatalf("capacity %d for %d elements", cap(a), len(a))
	}
	a = append(a, "queue")
	if b[0] != "search" || len(a) != 3 || a[2] != "queue" {
		t.Fatalf("appending to one list wrote over another: %q, %q", a, b)
	}
	if got := ls.Clone(nil); got != nil {
		t.Fatalf("Clone(nil) = %q", got)
	}
	long := make([]string, maxList+1)
	long[0] = "x"
	if got := ls.Clone(long); len(got) != len(long) || got[0] != "x" || &got[0] == &long[0] {
		t.Fatal("a long list was not copied")
	}
}

func TestConcurrentUse(t *testing.T) {
	var (
		s  Of[rec]
		tx Text
		ls Lists[int]
		wg sync.WaitGroup
	)
	out := make([][]*rec, 4)
	for w := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 1000 {
				v := s.New()
				v.n[0] = int64(w*1000 + i)
				v.name = tx.String([]byte("w" + strings.Repeat("x", i%40)))
				_ = ls.Clone([]int{w, i})
				out[w] = append(out[w], v)
			}
		}()
	}
	wg.Wait()
	for w, vs := range out {
		for i, v := range vs {
			if v.n[0] != int64(w*1000+i) || v.name != "w"+strings.Repeat("x", i%40) {
				t.Fatalf("worker %d value %d overwritten: %d %q", w, i, v.n[0], v.name)
			}
		}
	}
}

// garbage holds the last of the values TestKeptValuesFreeTheGarbagesSpans
// lets die, so that each is allocated.
var garbage *rec

// TestKeptValuesFreeTheGarbagesSpans: values kept among many of the same
// size that die leave a span each nearly empty when allocated alone, and
// take a few chunks from Of. It fails if Of stops keeping its values
// apart from the garbage.
func TestKeptValuesFreeTheGarbagesSpans(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 100 MB")
	}
	unusedAfter := func(alloc func() *rec) uint64 {
		const kept, garbagePer = 20000, 40
		held := make([]*rec, 0, kept)
		for range kept {
			for range garbagePer {
				garbage = &rec{} // the one before dies
			}
			held = append(held, alloc())
		}
		garbage = nil
		runtime.GC()
		runtime.GC()
		s := []metrics.Sample{{Name: "/memory/classes/heap/unused:bytes"}}
		metrics.Read(s)
		runtime.KeepAlive(held)
		return s[0].Value.Uint64()
	}
	alone := unusedAfter(func() *rec { return &rec{} })
	var s Of[rec]
	chunked := unusedAfter(s.New)
	if alone < 4<<20 {
		t.Skipf("the runtime left only %d bytes unused with the values alone: nothing to compare", alone)
	}
	if chunked*3 > alone {
		t.Fatalf("unused heap after keeping values from chunks: %d bytes, alone: %d", chunked, alone)
	}
	t.Logf("unused heap: %d bytes from chunks, %d alone", chunked, alone)
}
