package sitegen

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/site"
)

// TestGenerate: the same seed gives the same files, sizes and kinds are as
// promised, and the site loads with no diagnostic.
func TestGenerate(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Generate(a, 200, 7); err != nil {
		t.Fatal(err)
	}
	if err := Generate(b, 200, 7); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.Walk(a, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
		if filepath.Ext(p) == ".md" {
			n++
			if fi.Size() < 1024 || fi.Size() > 12*1024 {
				t.Errorf("%s is %d bytes", rel, fi.Size())
			}
		}
		return nil
	})
	if err != nil || n != 200 {
		t.Fatalf("%d pages: %v", n, err)
	}
	cfg := site.DefaultConfig(a)
	cfg.Now = Today
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Diags) > 0 {
		t.Errorf("%d diagnostics, first: %v", len(s.Diags), s.Diags[0])
	}
	if l := lint.Run(s); len(l) > 0 {
		t.Errorf("%d lint findings, first: %v", len(l), l[0])
	}
	kinds := map[string]int{}
	for _, p := range s.Pages {
		kinds[string(p.Kind)]++
	}
	if kinds["runbook"] != 60 || kinds["adr"] != 30 || kinds["postmortem"] != 30 || kinds["evaluation"] != 10 {
		t.Errorf("kinds: %v", kinds)
	}
}
