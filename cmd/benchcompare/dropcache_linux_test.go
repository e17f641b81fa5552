package main

import (
	"os"
	"path/filepath"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// resident returns how many of the file's pages are in the page cache.
func resident(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	m, err := unix.Mmap(int(f.Fd()), 0, int(st.Size()), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	vec := make([]byte, (len(m)+os.Getpagesize()-1)/os.Getpagesize())
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(len(m)), uintptr(unsafe.Pointer(&vec[0]))); e != 0 {
		t.Fatal(e)
	}
	n := 0
	for _, v := range vec {
		n += int(v & 1)
	}
	return n
}

func TestIdleFoldersDropTheirPages(t *testing.T) {
	work := t.TempDir()
	var st unix.Statfs_t
	if err := unix.Statfs(work, &st); err == nil && st.Type == unix.TMPFS_MAGIC {
		t.Skip("on tmpfs the page cache is the file's storage: nothing to drop")
	}
	out := filepath.Join(work, "out-handbook-10-1")
	spare := filepath.Join(work, ".handbook-old-out-handbook-10-1-123")
	busy := filepath.Join(work, "site-10")
	var files []string
	for _, dir := range []string{out, spare, busy} {
		if err := os.MkdirAll(filepath.Join(dir, "a"), 0o755); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, "a", "index.html")
		if err := os.WriteFile(p, make([]byte, 1<<20), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := os.ReadFile(p); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	unix.Sync()
	for _, p := range files {
		if resident(t, p) == 0 {
			t.Skipf("%s is not cached after it was read: the page cache cannot be observed here", p)
		}
	}
	var f idleFolders
	f.add(out) // its spare goes with it; the site is still read
	f.drop()
	if n := resident(t, files[0]); n != 0 {
		t.Errorf("the idle output still has %d pages cached", n)
	}
	if n := resident(t, files[1]); n != 0 {
		t.Errorf("the spare beside the idle output still has %d pages cached", n)
	}
	if resident(t, files[2]) == 0 {
		t.Error("a folder not idle lost its cached pages")
	}
	if !f.dropped[out] || !f.dropped[spare] || f.dropped[busy] {
		t.Errorf("dropped = %v, want the output and its spare only", f.dropped)
	}
	// A folder is dropped once: read again, its pages stay.
	if _, err := os.ReadFile(files[0]); err != nil {
		t.Fatal(err)
	}
	f.drop()
	if resident(t, files[0]) == 0 {
		t.Error("a folder already dropped was walked again")
	}
}
