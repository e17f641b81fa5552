package build_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// generated writes a generated site of n pages for one benchmark.
func generated(b *testing.B, n int) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBuild is the whole build of a generated 1,000-page handbook:
// load, resolve, render, write.
func BenchmarkBuild(b *testing.B) {
	dir := generated(b, 1000)
	cfg := site.DefaultConfig(dir)
	cfg.Now = sitegen.Today
	out := filepath.Join(b.TempDir(), "public")
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Diags) > 0 {
			b.Fatalf("diagnostics: %v", res.Diags[0])
		}
	}
}
