package site

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
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

// BenchmarkRelated finds the related pages of a generated 10,000-page
// handbook after a new runbook is made, copied from another with its tags
// and service, or removed again, in turn: whole, as a build does, and
// with a Memo, as a preview's reload does (only the pages the edit may
// change them for: relatedmemo.go). HANDBOOK_BENCH_PAGES changes the size:
// at 100,000 pages the generator's tags are each on about 5,000 pages.
func BenchmarkRelated(b *testing.B) {
	pages := 10000
	if n, err := strconv.Atoi(os.Getenv("HANDBOOK_BENCH_PAGES")); err == nil && n > 0 {
		pages = n
	}
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, pages, 1); err != nil {
		b.Fatal(err)
	}
	runbooks, _ := filepath.Glob(filepath.Join(dir, "runbooks", "*", "*.md"))
	if len(runbooks) == 0 {
		b.Fatal("no runbook generated")
	}
	text, err := os.ReadFile(runbooks[0])
	if err != nil {
		b.Fatal(err)
	}
	fresh := filepath.Join(filepath.Dir(runbooks[0]), "a-new-runbook.md")
	for _, memo := range []bool{false, true} {
		name := "whole"
		if memo {
			name = "memo"
		}
		b.Run(name, func(b *testing.B) {
			cfg := DefaultConfig(dir)
			if memo {
				cfg.Memo = NewMemo()
			}
			load := func() *Site { // Load, but for the graph
				s, err := read(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				s.chooseProfile()
				s.link(context.Background())
				s.applyProfile()
				return s
			}
			load().relate(nil)
			found := 0
			var took time.Duration
			for i := 0; b.Loop(); i++ {
				if i%2 == 0 {
					err = os.WriteFile(fresh, text, 0o644)
				} else {
					err = os.Remove(fresh)
				}
				if err != nil {
					b.Fatal(err)
				}
				if cfg.Memo != nil {
					cfg.Memo.Forget(fresh)
				}
				s := load()
				start := time.Now()
				s.relate(nil)
				took += time.Since(start)
				if cfg.Memo != nil {
					found += cfg.Memo.relatedFound
				}
			}
			os.Remove(fresh)
			b.ReportMetric(float64(took.Microseconds())/1000/float64(b.N), "relate-ms/op")
			if memo {
				b.ReportMetric(float64(found)/float64(b.N), "found/op")
			}
		})
	}
}

// BenchmarkReshape takes in place (Reshape) a generated 10,000-page
// handbook's guide removed and written back, in turn, as a preview does
// when the file goes and comes: the serial part of such an update before
// the renderer's.
func BenchmarkReshape(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	guides, _ := filepath.Glob(filepath.Join(dir, "content", "guides", "*", "*.md"))
	if len(guides) < 40 {
		b.Fatal("too few guides generated")
	}
	gone := guides[39]
	text, err := os.ReadFile(gone)
	if err != nil {
		b.Fatal(err)
	}
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	s, err := Load(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			err = os.Remove(gone)
		} else {
			err = os.WriteFile(gone, text, 0o644)
		}
		if err != nil {
			b.Fatal(err)
		}
		cfg.Memo.Forget(gone)
		if _, ok := s.Reshape([]string{gone}); !ok {
			b.Fatalf("edit %d: not taken in place", i)
		}
	}
	if _, err := os.Stat(gone); err != nil {
		os.WriteFile(gone, text, 0o644)
	}
}
