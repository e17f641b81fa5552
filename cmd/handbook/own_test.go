package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// TestOwnHandbook builds the project's own handbook (content/ and
// runbooks/ at the repository root): it must build with no diagnostic at
// all, warnings included.
func TestOwnHandbook(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-C", root, "build", "--out", out}, &stdout, &stderr)
	if code != 0 || stderr.Len() > 0 {
		t.Fatalf("exit %d\n%s%s", code, stderr.String(), stdout.String())
	}
}
