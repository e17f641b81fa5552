package render

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
	"github.com/handbook-dev/handbook/themes"
)

// BenchmarkRenderSite renders every file of a generated 1,000-page handbook
// in memory: Markdown to HTML, layouts, generated pages.
func BenchmarkRenderSite(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, 1000, 1); err != nil {
		b.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	th, err := LoadTheme(themes.Default(), dir, Funcs(cfg.BasePath(), cfg.Now))
	if err != nil {
		b.Fatal(err)
	}
	r := New(s, th)
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
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, 300, 1); err != nil {
		b.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	th, err := LoadTheme(themes.Default(), dir, Funcs(cfg.BasePath(), cfg.Now))
	if err != nil {
		b.Fatal(err)
	}
	r := New(s, th)
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
