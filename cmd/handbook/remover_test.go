package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the remover process that a build
// starts (os.Executable is the test binary here), as handbook's main does;
// it notes each folder it was given in $HANDBOOK_TEST_REMOVED, so that a
// test knows a process of its own did the work.
func TestMain(m *testing.M) {
	if len(os.Args) == 3 && os.Args[1] == removerArg {
		if log := os.Getenv("HANDBOOK_TEST_REMOVED"); log != "" {
			if f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
				f.WriteString(os.Args[2] + "\n")
				f.Close()
			}
		}
		os.Exit(removeOld(os.Args[2]))
	}
	os.Exit(m.Run())
}

// TestBuildLeavesOldOutputToRemover: a build into the folder of an earlier
// one returns with the new output in place and the old one handed to a
// process of its own, which removes it.
func TestBuildLeavesOldOutputToRemover(t *testing.T) {
	detachRemoval = true
	defer func() { detachRemoval = false }()
	dir := t.TempDir()
	page := filepath.Join(dir, "content", "docs", "guide.md")
	if err := os.MkdirAll(filepath.Dir(page), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "removed")
	t.Setenv("HANDBOOK_TEST_REMOVED", log)
	for i, title := range []string{"First", "Second"} {
		if err := os.WriteFile(page, []byte("# "+title+"\n\nText.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if code := run(context.Background(), []string{"-C", dir, "--quiet", "build"}, io.Discard, io.Discard); code != 0 {
			t.Fatalf("build %d exited %d", i+1, code)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "public", "docs", "guide", "index.html"))
	if err != nil || !strings.Contains(string(b), "Second") {
		t.Fatalf("the output is not the second build's: %v", err)
	}
	// Waiting for the remover is not timing it: the deadline is far
	// beyond what removing two pages takes.
	deadline := time.Now().Add(time.Minute)
	for {
		got, _ := os.ReadFile(log)
		removed := strings.Fields(string(got))
		ents, _ := os.ReadDir(dir)
		var left []string
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), ".handbook-") {
				left = append(left, e.Name())
			}
		}
		if len(removed) == 1 && len(left) == 0 {
			if filepath.Dir(removed[0]) != dir || !strings.HasPrefix(filepath.Base(removed[0]), ".handbook-old-") {
				t.Fatalf("the remover was given %s", removed[0])
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("a minute after the build: folders given to a remover %q, left beside the output %q", removed, left)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
