package markdown

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// corpus returns the bodies of a generated 200-page handbook.
func corpus(b *testing.B) [][]byte {
	dir := b.TempDir()
	if err := sitegen.Generate(dir, 200, 1); err != nil {
		b.Fatal(err)
	}
	var out [][]byte
	_ = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && filepath.Ext(p) == ".md" {
			src, _ := os.ReadFile(p)
			_, body, _ := page.Split(src)
			out = append(out, body)
		}
		return nil
	})
	return out
}

func BenchmarkParse(b *testing.B) {
	docs := corpus(b)
	e := New(Options{})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e.Parse(docs[i%len(docs)], 1, ParseOptions{})
	}
}

func BenchmarkRender(b *testing.B) {
	docs := corpus(b)
	e := New(Options{})
	parsed := make([]*Document, len(docs))
	for i, d := range docs {
		parsed[i] = e.Parse(d, 1, ParseOptions{})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := e.HTML(parsed[i%len(parsed)]); err != nil {
			b.Fatal(err)
		}
	}
}
