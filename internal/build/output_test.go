package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFileWriterWritesAll: files handed to the writer from several
// goroutines at once are all written, folders made as needed, by the time
// close returns.
func TestFileWriterWritesAll(t *testing.T) {
	dir := t.TempDir()
	w := newFileWriter(context.Background(), dir, "", nil, nil)
	var wg sync.WaitGroup
	for g := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				sp := fmt.Sprintf("/s%d/p%d/deep/index.html", i%7, g*1000+i)
				if err := w.write(sp, []byte(sp)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := w.close(); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		n++
		b, err := os.ReadFile(p)
		if rel, _ := filepath.Rel(dir, p); err != nil || string(b) != "/"+filepath.ToSlash(rel) {
			t.Errorf("%s holds %q", rel, b)
		}
		return nil
	})
	if err != nil || n != 6*300 {
		t.Fatalf("%d files written, want %d (%v)", n, 6*300, err)
	}
}

// TestFileWriterFailure: a write that fails (a file where a folder must
// go) is what close returns; the writes after it are refused; a path out
// of the folder is refused before anything is written.
func TestFileWriterFailure(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "taken"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	w := newFileWriter(context.Background(), dir, "", nil, nil)
	if err := w.write("/../escape.html", []byte("x")); err == nil || !strings.Contains(err.Error(), "outside the output folder") {
		t.Errorf("escaping path: %v", err)
	}
	if err := w.write("/taken/index.html", []byte("x")); err != nil {
		t.Fatalf("queued write failed at once: %v", err)
	}
	select {
	case <-w.failed:
	case <-time.After(10 * time.Second):
		t.Fatal("the failed write was not reported")
	}
	if err := w.write("/ok/index.html", []byte("x")); err == nil || !strings.Contains(err.Error(), "taken") {
		t.Errorf("write after the failure: %v", err)
	}
	if err := w.close(); err == nil || !strings.Contains(err.Error(), "write output") || !strings.Contains(err.Error(), "taken") {
		t.Errorf("close: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "..", "escape.html")); err == nil {
		t.Error("a file was written outside the folder")
	}
}

// TestFileWriterCancelled: a writer whose context is done refuses the
// writes that would wait for it.
func TestFileWriterCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w := newFileWriter(ctx, t.TempDir(), "", nil, nil)
	cancel()
	var err error
	for i := 0; i < 10*writeQueue && err == nil; i++ {
		err = w.write(fmt.Sprintf("/p%d.html", i), nil)
	}
	if err != context.Canceled {
		t.Errorf("write after cancel: %v", err)
	}
	_ = w.close()
}

// TestRemoveTree: a previous output is removed whole, files at every
// depth, and a symbolic link in it is removed without touching what it
// leads to.
func TestRemoveTree(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "old")
	outside := t.TempDir()
	keep := filepath.Join(outside, "keep.html")
	if err := os.WriteFile(keep, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"index.html", "a/index.html", "a/b/index.html", "a/b/c/d/index.html", "e/f/index.html"} {
		p = filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(p), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, l := range []string{"link", "a/link", "a/b/link"} {
		if err := os.Symlink(outside, filepath.Join(dir, filepath.FromSlash(l))); err != nil {
			t.Fatal(err)
		}
	}
	removeTree(dir)
	if _, err := os.Lstat(dir); !os.IsNotExist(err) {
		t.Errorf("the folder is still there: %v", err)
	}
	if b, err := os.ReadFile(keep); err != nil || string(b) != "kept" {
		t.Errorf("the file a link led to: %q, %v", b, err)
	}
}

// TestRemoveOld: removeOld removes a previous output moved aside, and an
// empty folder a first build went into, and refuses anything else: a
// folder not named so, a link, a folder without the Marker.
func TestRemoveOld(t *testing.T) {
	dir := t.TempDir()
	mk := func(name string, files ...string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			f = filepath.Join(p, filepath.FromSlash(f))
			if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	old := mk(oldPrefix+"a", Marker, "index.html", "docs/a/index.html")
	empty := mk(oldPrefix + "b")
	if err := removeOld(old); err != nil {
		t.Errorf("a previous output: %v", err)
	}
	if err := removeOld(empty); err != nil {
		t.Errorf("an empty folder: %v", err)
	}
	for _, p := range []string{old, empty} {
		if _, err := os.Lstat(p); !os.IsNotExist(err) {
			t.Errorf("%s is still there", p)
		}
	}
	named := mk("public", Marker, "index.html")
	unmarked := mk(oldPrefix+"c", "notes.md")
	target := mk("target", Marker, "index.html")
	link := filepath.Join(dir, oldPrefix+"d")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{named, unmarked, link} {
		if err := removeOld(p); err == nil {
			t.Errorf("%s: removed, want refused", filepath.Base(p))
		}
	}
	for _, p := range []string{filepath.Join(named, "index.html"), filepath.Join(unmarked, "notes.md"), filepath.Join(target, "index.html"), link} {
		if _, err := os.Lstat(p); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
