package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNewOpen opens the new page in $VISUAL, else $EDITOR, run through
// the shell as git runs it, and only says how to set one when neither is.
func TestNewOpen(t *testing.T) {
	if _, err := os.Stat("/bin/sh"); err != nil {
		t.Skip("no /bin/sh")
	}
	t.Setenv("SOURCE_DATE_EPOCH", sourceDateEpoch)
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	log := filepath.Join(t.TempDir(), "opened")
	for _, tc := range []struct {
		visual, editor, title, want string
	}{
		{"", "echo editor >> " + log, "First", "editor " + filepath.Join(dir, "content", "first.md")},
		{"echo visual >> " + log, "echo editor >> " + log, "Second", "visual " + filepath.Join(dir, "content", "second.md")},
	} {
		t.Setenv("VISUAL", tc.visual)
		t.Setenv("EDITOR", tc.editor)
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), []string{"-C", dir, "new", "page", tc.title, "--owner", "docs", "--open"}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		b, err := os.ReadFile(log)
		if err != nil {
			t.Fatal(err)
		}
		if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); lines[len(lines)-1] != tc.want {
			t.Errorf("the editor was run as %q, want %q", lines[len(lines)-1], tc.want)
		}
	}
	t.Setenv("VISUAL", "")
	t.Setenv("EDITOR", "")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"-C", dir, "new", "page", "Third", "--owner", "docs", "--open"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "set $VISUAL or $EDITOR") {
		t.Errorf("stderr %q does not say to set an editor", stderr.String())
	}
	if got := strings.TrimSpace(stdout.String()); got != "content/third.md" {
		t.Errorf("stdout %q, want the path written", got)
	}
}
