package render

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
	"github.com/handbook-dev/handbook/themes"
)

// generated loads a generated site of n pages and a renderer for it.
func generated(b *testing.B, n int) (*site.Site, *Renderer) {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	cfg.Now = sitegen.Today
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	th, err := LoadTheme(themes.Default(), dir, Funcs(cfg.BasePath(), cfg.Now))
	if err != nil {
		b.Fatal(err)
	}
	return s, New(s, th)
}

// BenchmarkRenderSite renders every file of a generated 1,000-page handbook
// in memory: Markdown to HTML, layouts, generated pages.
func BenchmarkRenderSite(b *testing.B) {
	_, r := generated(b, 1000)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.All(context.Background(), func(string, []byte) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTemplates executes the runbook layout alone, with the page's
// content rendered beforehand.
func BenchmarkTemplates(b *testing.B) {
	s, r := generated(b, 300)
	var datas []*Data
	for _, p := range s.OfKind("runbook") {
		d, err := r.pageData(p)
		if err != nil {
			b.Fatal(err)
		}
		datas = append(datas, d)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d := *datas[i%len(datas)]
		d.Nav, d.Crumbs = nil, nil
		if _, err := r.exec("runbook", &d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFingerprints fingerprints every file of a generated 1,000-page
// handbook: what handbook serve pays, on an edit that shows beyond its
// page, to find the files to render again. Compare BenchmarkRenderSite.
func BenchmarkFingerprints(b *testing.B) {
	_, r := generated(b, 1000)
	cache := NewFingerprintCache()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Fingerprints(context.Background(), cache); err != nil {
			b.Fatal(err)
		}
	}
}
