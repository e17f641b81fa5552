package site

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// BenchmarkLoad reads, parses and links a generated 1,000-page handbook.
func BenchmarkLoad(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, 1000, 1); err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig(dir)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Load(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
	}
}
