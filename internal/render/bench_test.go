package render

import (
	"context"
	"fmt"
	"os"
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
	return loaded(b, dir)
}

// benchPages is the size of the generated site of the benchmarks that
// grow with it: 10,000 pages, or HANDBOOK_BENCH_PAGES.
func benchPages() int {
	n := 10000
	if v := os.Getenv("HANDBOOK_BENCH_PAGES"); v != "" {
		fmt.Sscan(v, &n)
	}
	return n
}

// loaded loads the site in dir, on sitegen's day, and a renderer for it
// with the default theme.
func loaded(b *testing.B, dir string) (*site.Site, *Renderer) {
	b.Helper()
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

// BenchmarkRenderSiteLent is BenchmarkRenderSite as a build renders:
// its files lent (LendFiles) and each handed back once written.
func BenchmarkRenderSiteLent(b *testing.B) {
	_, r := generated(b, 1000)
	recycle := r.LendFiles()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := r.All(context.Background(), func(_ string, data []byte) error {
			recycle(data)
			return nil
		}); err != nil {
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

// BenchmarkRefingerprints is what every update of handbook serve that
// changes one page's fields in place (a status, a date) pays to find the
// files to render again, beyond that page: the fingerprints of a
// generated 10,000-page handbook (HANDBOOK_BENCH_PAGES to change the
// size) taken again with one page changed and every other carried from
// the call before. It grows with the site, as it passes over every file;
// the files of pages that did not change should cost little.
func BenchmarkRefingerprints(b *testing.B) {
	s, r := generated(b, benchPages())
	r.Files() // planned once, as a preview's renderer is
	cache := NewFingerprintCache()
	if _, err := r.Fingerprints(context.Background(), cache); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		changed := []*site.Page{s.Pages[i*7919%len(s.Pages)]}
		if _, err := r.Refingerprints(context.Background(), cache, changed); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFingerprintsFlatFolder fingerprints a handbook whose 20,000
// notes sit in one folder, as some wikis keep them: each page's sidebar
// sum must not read every sibling (a folder's 20,000 pages would read
// 400 million).
func BenchmarkFingerprintsFlatFolder(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "site")
	for i := range 20000 {
		p := filepath.Join(dir, "content", "notes", fmt.Sprintf("note-%05d.md", i))
		if i == 0 {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				b.Fatal(err)
			}
		}
		text := fmt.Sprintf("---\ntitle: Note %d about %s\n---\nA short note, number %d.\n", i, []string{"queues", "caches", "certificates", "deploys"}[i%4], i)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	_, r := loaded(b, dir)
	cache := NewFingerprintCache()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.Fingerprints(context.Background(), cache); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildNav builds the sidebar's tree of a generated 10,000-page
// handbook (HANDBOOK_BENCH_PAGES to change the size), as every reload of
// the preview does.
func BenchmarkBuildNav(b *testing.B) {
	s, r := generated(b, benchPages())
	for b.Loop() {
		buildNav(s, r.indexURLs, nil)
	}
}

// BenchmarkSitemap writes the sitemap of a generated 10,000-page
// handbook: made again whenever a page comes or goes in a preview.
func BenchmarkSitemap(b *testing.B) {
	_, r := generated(b, 10000)
	r.Files()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := r.sitemap(); err != nil {
			b.Fatal(err)
		}
	}
}
