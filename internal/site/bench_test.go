package site

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"
	"time"

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

// BenchmarkGraph resolves every reference and builds the graph (backlinks,
// relations on both ends, services, owners, related pages) of a generated
// 10,000-page handbook: the cost issue 4 adds to a build.
func BenchmarkGraph(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig(dir)
	b.ReportAllocs()
	var linkT, graphT time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		s, err := read(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.StartTimer()
		t0 := time.Now()
		s.link(context.Background())
		t1 := time.Now()
		s.graph()
		linkT += t1.Sub(t0)
		graphT += time.Since(t1)
	}
	b.ReportMetric(float64(linkT.Milliseconds())/float64(b.N), "link-ms/op")
	b.ReportMetric(float64(graphT.Milliseconds())/float64(b.N), "graph-ms/op")
}
