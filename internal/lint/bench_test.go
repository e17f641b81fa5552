package lint

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// BenchmarkRun applies every rule to a generated 10,000-page handbook,
// loaded once: the share of check that comes after loading.
func BenchmarkRun(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	s, err := site.Load(context.Background(), site.DefaultConfig(dir))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Run(s)
	}
}
