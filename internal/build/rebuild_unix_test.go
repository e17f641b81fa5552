//go:build unix

package build_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/handbook-dev/handbook/internal/build"
)

// TestRebuildLinksUnchanged: a file the next build makes the same is the
// previous output's, linked, not written again; a changed one is written;
// a symbolic link in the previous output, to a file or a folder elsewhere,
// is never linked into the new one nor the file it leads to changed.
func TestRebuildLinksUnchanged(t *testing.T) {
	cfg, out := fixture(t)
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	inode := func(p string) uint64 {
		t.Helper()
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}
	home := filepath.Join(out, "index.html")
	guide := filepath.Join(out, "docs", "guide", "index.html")
	homeIno := inode(home)

	// The 404 page made a symbolic link to an outside file with the same
	// bytes, and the docs folder one to an outside folder.
	outside := t.TempDir()
	notFound := filepath.Join(out, "404.html")
	b, err := os.ReadFile(notFound)
	if err != nil {
		t.Fatal(err)
	}
	ext := filepath.Join(outside, "404.html")
	if err := os.WriteFile(ext, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(notFound); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(ext, notFound); err != nil {
		t.Fatal(err)
	}
	docs := filepath.Join(out, "docs")
	if err := os.Rename(docs, filepath.Join(outside, "docs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "docs"), docs); err != nil {
		t.Fatal(err)
	}
	extGuideIno := inode(filepath.Join(outside, "docs", "guide", "index.html"))

	if err := os.WriteFile(filepath.Join(cfg.Dir, "content", "index.md"), []byte("# Home\n\nWelcome back.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	if inode(home) == homeIno {
		t.Error("the changed home page was not written again")
	}
	if b, _ := os.ReadFile(home); !bytes.Contains(b, []byte("Welcome back.")) {
		t.Error("the home page does not have its new text")
	}
	for _, p := range []string{notFound, guide} {
		fi, err := os.Lstat(p)
		if err != nil || !fi.Mode().IsRegular() {
			t.Errorf("%s: %v, %v: not a regular file of the output", p, fi.Mode(), err)
		}
	}
	if inode(notFound) == inode(ext) || inode(guide) == extGuideIno {
		t.Error("a file outside the output was linked into it")
	}
	if got, _ := os.ReadFile(ext); !bytes.Equal(got, b) {
		t.Error("the outside file changed")
	}

	// Built again with nothing changed: every page is the one before.
	homeIno = inode(home)
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	if inode(home) != homeIno {
		t.Error("the unchanged home page was written again, not linked")
	}
}
