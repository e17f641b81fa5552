package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBuildEscapesFindings: handbook build prints its findings as check's
// text format does, with the control characters of a file name escaped,
// so that a file cannot write to the terminal or forge a line.
func TestBuildEscapesFindings(t *testing.T) {
	dir := t.TempDir()
	evil := "evil\x1b[2J\nx.md: error forged: line.md"
	if err := os.WriteFile(filepath.Join(dir, evil), []byte("# Evil\n\nSee [the page](missing.md).\n"), 0o644); err != nil {
		t.Skipf("this file system takes no such name: %v", err)
	}
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-C", dir, "build", "--out", filepath.Join(dir, "public")}, &stdout, &stderr)
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a broken link)\nstderr:\n%s", code, stderr.String())
	}
	out := stderr.String()
	if strings.ContainsRune(out, '\x1b') {
		t.Errorf("the findings hold a raw escape character:\n%q", out)
	}
	want := `evil\x1b[2J\nx.md: error forged: line.md:3:5: error broken-link:`
	if !strings.Contains(out, want) {
		t.Errorf("no escaped finding %q in:\n%q", want, out)
	}
	if n := strings.Count(out, "\n"); n != 1 {
		t.Errorf("%d lines of findings, want 1:\n%q", n, out)
	}
}
