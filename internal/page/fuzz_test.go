package page

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds Parse arbitrary files, seeded from real ones: it must
// never panic, and every diagnostic must point into the file.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../../content/*/*.md")
	more, _ := filepath.Glob("../../runbooks/*.md")
	for _, p := range append(seeds, more...) {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, "adr")
		}
	}
	f.Add([]byte("---\nstatus: [\n---\n"), "adr")
	f.Add([]byte("---\nhistory: [{date: x, ring: y}]\n---\n"), "evaluation")
	f.Add([]byte("# T\n\n## Status\n\n- Superseded by [[x]]\n"), "adr")
	f.Fuzz(func(t *testing.T, src []byte, kind string) {
		k, ok := ParseKind(kind)
		if !ok {
			k = KindPage
		}
		p, diags := Parse("f.md", src, k, DefaultSchema())
		if p == nil {
			t.Fatal("nil page")
		}
		lines := 1
		for _, c := range src {
			if c == '\n' {
				lines++
			}
		}
		for _, d := range diags {
			if d.Pos.File != "f.md" || d.Pos.Line < 1 || d.Pos.Line > lines {
				t.Fatalf("diagnostic outside the file (%d lines): %v", lines, d)
			}
		}
	})
}
