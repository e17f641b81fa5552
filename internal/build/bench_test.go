package build_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/githistory"
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

// benchPages is the size of the generated site of the Live benchmarks:
// 1,000 pages, or HANDBOOK_BENCH_PAGES.
func benchPages() int {
	n := 1000
	if s := os.Getenv("HANDBOOK_BENCH_PAGES"); s != "" {
		fmt.Sscan(s, &n)
	}
	return n
}

// BenchmarkLiveEdit is what handbook serve does when a runbook's body is
// saved: the page parsed, resolved, checked and rendered again.
func BenchmarkLiveEdit(b *testing.B) {
	benchLive(b, func(i int) string { return fmt.Sprintf("\nEdit %d.\n", i) }, true)
}

// BenchmarkLiveSearchEdit is BenchmarkLiveEdit followed by the search
// index's update, which handbook serve does once the page is served.
func BenchmarkLiveSearchEdit(b *testing.B) {
	benchLive(b, func(i int) string { return fmt.Sprintf("\nEdit %d with kubectl and zürich.\n", i) }, true)
}

// BenchmarkLiveTitleEdit is what it does when a runbook's title changes,
// which other pages show: the site built again from the pages in memory.
func BenchmarkLiveTitleEdit(b *testing.B) {
	benchLive(b, func(i int) string { return "" }, false)
}

func benchLive(b *testing.B, edit func(int) string, partial bool) {
	dir := generated(b, benchPages())
	cfg := site.DefaultConfig(dir)
	cfg.Now = sitegen.Today
	pages, _ := filepath.Glob(filepath.Join(dir, "runbooks", "*", "*.md"))
	if len(pages) == 0 {
		b.Fatal("no runbook generated")
	}
	file := pages[0]
	original, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	live := build.NewLive(build.Options{Site: cfg})
	if _, err := live.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := string(original) + edit(i)
		if !partial {
			text = strings.Replace(string(original), `title: "`, fmt.Sprintf(`title: "Edit %d of `, i), 1)
		}
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		res, err := live.Update(context.Background(), []string{file})
		if err != nil {
			b.Fatal(err)
		}
		if res.Partial != partial {
			b.Fatalf("partial = %v, want %v", res.Partial, partial)
		}
		if strings.Contains(b.Name(), "Search") && live.UpdateSearch() == nil {
			b.Fatal("no search update")
		}
	}
}

// BenchmarkSearchIndex is the search index of a generated 1,000-page
// handbook (HANDBOOK_BENCH_PAGES to change the size), from loaded pages:
// what the index adds to a build.
func BenchmarkSearchIndex(b *testing.B) {
	dir := generated(b, benchPages())
	cfg := site.DefaultConfig(dir)
	cfg.Now = sitegen.Today
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		build.SearchIndex(s)
	}
}

// BenchmarkBuildGitHistory is the whole build of a generated handbook in a
// git repository with two commits a page (HANDBOOK_BENCH_PAGES pages, 1,000
// by default; 10,000 for the figure in content/docs/git.md): with its
// history read, without, and the history alone. The history's share of
// the build is read/build (less in practice: it is read while the pages
// are parsed).
func BenchmarkBuildGitHistory(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	n := benchPages()
	dir := generated(b, n)
	if err := sitegen.GitHistory(context.Background(), dir, 2*n, 1); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "public")
	for _, bc := range []struct {
		name string
		off  bool
	}{{"history", false}, {"no-history", true}} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := site.DefaultConfig(dir)
			cfg.Now = sitegen.Today
			cfg.Git.Off = bc.off
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				res, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out})
				if err != nil {
					b.Fatal(err)
				}
				if h := res.Site.History(); (h != nil) == bc.off {
					b.Fatalf("history read = %v with Git.Off = %v", h != nil, bc.off)
				}
			}
		})
	}
	b.Run("read", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			h, err := githistory.Read(context.Background(), dir, sitegen.Today)
			if err != nil || h == nil {
				b.Fatalf("Read: %v, %v", h, err)
			}
		}
	})
}
