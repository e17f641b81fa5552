package site

import (
	"os"
	"path/filepath"
	"testing"
)

// TestMemoKeepsWalk: a load told by Forget that only files it knows
// changed takes the last walk instead of reading the folders again, and
// reads those files' new content; a file it does not know, or one gone,
// makes the next load walk; a load not told walks.
func TestMemoKeepsWalk(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/a.md":     "---\ntitle: A\n---\nSee [B](b.md).\n",
		"content/b.md":     "---\ntitle: B\n---\nBody.\n",
		"content/pic.txt":  "a file beside the pages\n",
		"content/sub/c.md": "---\ntitle: C\n---\nC.\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	abs := func(rel string) string { return filepath.Join(dir, "content", filepath.FromSlash(rel)) }
	has := func(s *Site, url string) bool { return s.PageAt(url) != nil }
	s := loadConfig(t, cfg)
	if !has(s, "/b/") || has(s, "/new/") {
		t.Fatal("first load: wrong pages")
	}

	// b.md's title changes and new.md appears; only b.md is said to have
	// changed: the walk is kept, so new.md is not seen, but b.md's title is.
	write(t, dir, map[string]string{
		"content/b.md":   "---\ntitle: B renamed, longer\n---\nBody.\n",
		"content/new.md": "---\ntitle: New\n---\nNew.\n",
	})
	cfg.Memo.Forget(abs("b.md"))
	s = loadConfig(t, cfg)
	if got := s.PageAt("/b/"); got == nil || got.Title != "B renamed, longer" {
		t.Fatalf("b.md not read again: %+v", got)
	}
	if has(s, "/new/") {
		t.Fatal("the walk was not kept: new.md found without being reported")
	}
	if len(s.Files) != 1 {
		t.Fatalf("files beside the pages: %v", s.Files)
	}

	// Reported, new.md makes the load walk.
	cfg.Memo.Forget(abs("new.md"))
	if s = loadConfig(t, cfg); !has(s, "/new/") {
		t.Fatal("new.md reported but not found")
	}

	// A removed file makes the load walk.
	if err := os.Remove(abs("sub/c.md")); err != nil {
		t.Fatal(err)
	}
	cfg.Memo.Forget(abs("sub/c.md"))
	if s = loadConfig(t, cfg); has(s, "/sub/c/") {
		t.Fatal("sub/c.md removed but still loaded")
	}

	// A load not told what changed walks.
	write(t, dir, map[string]string{"content/other.md": "# Other\n"})
	if s = loadConfig(t, cfg); !has(s, "/other/") {
		t.Fatal("a load without Forget did not walk")
	}

	// A file that turned into a folder: walk.
	if err := os.Remove(abs("b.md")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, map[string]string{"content/b.md/inside.md": "# Inside\n"})
	cfg.Memo.Forget(abs("b.md"))
	if s = loadConfig(t, cfg); has(s, "/b/") {
		t.Fatal("b.md turned into a folder but is still a page")
	}
}
