package main

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"
)

// TestOwnHandbook builds and checks the project's own handbook (content/
// and runbooks/ at the repository root): it must build with no diagnostic
// at all, warnings included, and pass handbook check --strict.
func TestOwnHandbook(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-C", root, "build", "--out", out}, &stdout, &stderr)
	if code != 0 || stderr.Len() > 0 {
		t.Fatalf("exit %d\n%s%s", code, stderr.String(), stdout.String())
	}
	// And handbook check --strict finds nothing, in every format.
	for _, format := range []string{"text", "github"} {
		stdout.Reset()
		stderr.Reset()
		code = run(context.Background(), []string{"-C", root, "--quiet", "check", "--strict", "--no-cache", "--format", format}, &stdout, &stderr)
		if code != 0 || stdout.Len() > 0 || stderr.Len() > 0 {
			t.Fatalf("check --strict --format %s: exit %d\n%s%s", format, code, stdout.String(), stderr.String())
		}
	}
}
