package build_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/benchprofile"
	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/githistory"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// allocatedBytes returns the bytes allocated on the heap so far.
func allocatedBytes() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

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
		// The generated site has the findings real content has.
		if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
			b.Fatal(err)
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

// BenchmarkLiveEdits is what handbook serve does for each kind of edit of
// Markdown pages but a body's (BenchmarkLiveEdit): a runbook's title, its
// last_reviewed date, an ADR's status, a new page and its removal. Each
// loads the site again from the pages in memory and renders only the
// files whose fingerprints changed; an edit of an existing page first
// renders that page alone, which the preview serves at once (first-ms/op,
// see Live.UpdateFirst). One Live serves every sub-benchmark.
func BenchmarkLiveEdits(b *testing.B) {
	dir := generated(b, benchPages())
	cfg := site.DefaultConfig(dir)
	cfg.Now = sitegen.Today
	first := func(pattern string) string {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		if len(m) == 0 {
			b.Fatalf("no file matches %s", pattern)
		}
		return m[0]
	}
	runbook, adr := first("runbooks/*/*.md"), first("content/adr/*.md")
	fresh := filepath.Join(filepath.Dir(runbook), "a-new-runbook.md")
	live := build.NewLive(build.Options{Site: cfg})
	if _, err := live.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	if _, err := live.Update(context.Background(), []string{runbook}); err != nil {
		b.Fatal(err) // waits for the fingerprints the build computes after it returns
	}
	// HANDBOOK_EDITPROFILE names a CPU profile of the edits alone.
	benchprofile.Start(b)
	line := func(key string) *regexp.Regexp { return regexp.MustCompile(`(?m)^` + key + `: .*$`) }
	statuses := []string{"accepted", "deprecated", "proposed"}
	for _, e := range []struct {
		name string
		file string
		// edit returns the file's next content, or "" to remove it.
		edit func(i int, original string) string
	}{
		{"title", runbook, func(i int, o string) string {
			return line("title").ReplaceAllString(o, fmt.Sprintf("title: Edit %d of the runbook", i))
		}},
		{"last_reviewed", runbook, func(i int, o string) string {
			return line("last_reviewed").ReplaceAllString(o, sitegen.Today.AddDate(0, 0, -1-i%300).Format("last_reviewed: 2006-01-02"))
		}},
		// The first decision is listed in the sidebar of every page of
		// the log (1,500 at 10,000 pages).
		{"adr-title", adr, func(i int, o string) string {
			return line("title").ReplaceAllString(o, fmt.Sprintf("title: Edit %d of the decision", i))
		}},
		{"adr-status", adr, func(i int, o string) string { return line("status").ReplaceAllString(o, "status: "+statuses[i%3]) }},
		// The opening text: what lists and the search show of the page.
		{"excerpt", runbook, func(i int, o string) string {
			return strings.Replace(o, "\n---\n", fmt.Sprintf("\n---\nOpening sentence number %d of the runbook.\n\n", i), 1)
		}},
		{"new-and-removed-page", fresh, func(i int, o string) string {
			if i%2 == 1 {
				return ""
			}
			return "---\ntitle: A new runbook\nowner: team-newcomers\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it.\n"
		}},
	} {
		original, _ := os.ReadFile(e.file)
		b.Run(e.name, func(b *testing.B) {
			rendered, spliced, firsts := 0, 0, 0
			var firstTook time.Duration
			cpu, allocated := cpuUsed(), allocatedBytes()
			for i := 0; i < b.N; i++ {
				next := e.edit(i, string(original))
				var err error
				if next == "" {
					err = os.Remove(e.file)
				} else {
					err = os.WriteFile(e.file, []byte(next), 0o644)
				}
				if err != nil {
					b.Fatal(err)
				}
				res, took, first := updateEdit(b, live, e.file)
				rendered, spliced, firstTook = rendered+res.Rendered, spliced+res.Spliced, firstTook+took
				if first {
					firsts++
				}
			}
			b.ReportMetric(float64(rendered)/float64(b.N), "files/op")
			b.ReportMetric(float64(spliced)/float64(b.N), "new-sidebars/op")
			b.ReportMetric((cpuUsed()-cpu).Seconds()*1000/float64(b.N), "cpu-ms/op")
			// What the collector has to take again: at 100,000 pages,
			// with a live heap of gigabytes, collecting is much of an
			// edit's CPU, in proportion to what the edit allocates.
			b.ReportMetric(float64(allocatedBytes()-allocated)/(1<<20)/float64(b.N), "alloc-MB/op")
			// What the preview serves first: the edited page alone, when
			// the edit has a first look (see Live.UpdateFirst); the
			// whole update otherwise.
			b.ReportMetric(float64(firstTook.Milliseconds())/float64(b.N), "first-ms/op")
			b.ReportMetric(float64(firsts)/float64(b.N), "first-looks/op")
		})
		if original != nil {
			os.WriteFile(e.file, original, 0o644)
		} else {
			os.Remove(e.file)
		}
		if _, err := live.Update(context.Background(), []string{e.file}); err != nil {
			b.Fatal(err)
		}
	}
	// A renamed page: its old file gone and its new one there in one save.
	renamed := strings.TrimSuffix(runbook, ".md") + "-renamed.md"
	b.Run("renamed-page", func(b *testing.B) {
		rendered := 0
		cpu := cpuUsed()
		for i := 0; i < b.N; i++ {
			from, to := runbook, renamed
			if _, err := os.Stat(runbook); err != nil {
				from, to = renamed, runbook // renamed by the run before
			}
			if err := os.Rename(from, to); err != nil {
				b.Fatal(err)
			}
			res, _, _ := updateEdit(b, live, from, to)
			rendered += res.Rendered
		}
		b.ReportMetric(float64(rendered)/float64(b.N), "files/op")
		b.ReportMetric((cpuUsed()-cpu).Seconds()*1000/float64(b.N), "cpu-ms/op")
	})
	if _, err := os.Stat(renamed); err == nil {
		os.Rename(renamed, runbook)
		live.Update(context.Background(), []string{renamed, runbook})
	}
	// A guide deleted, as benchcompare's "deleted page": pages link to
	// it, and its tags' lists, cut into pages, lose a row. It is put back
	// after each deletion, untimed.
	guides, _ := filepath.Glob(filepath.Join(dir, "content", "guides", "*", "*.md"))
	slices.Sort(guides)
	if len(guides) == 0 {
		b.Fatal("no guide generated")
	}
	guide := guides[len(guides)/2]
	kept, err := os.ReadFile(guide)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("deleted-page", func(b *testing.B) {
		rendered := 0
		var cpu time.Duration
		for i := 0; i < b.N; i++ {
			began := cpuUsed()
			if err := os.Remove(guide); err != nil {
				b.Fatal(err)
			}
			res, _, _ := updateEdit(b, live, guide)
			rendered += res.Rendered
			cpu += cpuUsed() - began
			b.StopTimer()
			if err := os.WriteFile(guide, kept, 0o644); err != nil {
				b.Fatal(err)
			}
			updateEdit(b, live, guide)
			b.StartTimer()
		}
		b.ReportMetric(float64(rendered)/float64(b.N), "files/op")
		b.ReportMetric(cpu.Seconds()*1000/float64(b.N), "cpu-ms/op")
	})
}

// updateEdit brings live up to date after a save of the files at paths,
// as the preview does (a first look, then the rest), and returns how many
// files were rendered, how long the first answer took, and whether it was
// a first look. It fails the benchmark when the site was rendered whole.
func updateEdit(b *testing.B, live *build.Live, paths ...string) (res *build.LiveResult, firstTook time.Duration, first bool) {
	start := time.Now()
	res, err := live.UpdateFirst(context.Background(), paths)
	if err != nil {
		b.Fatal(err)
	}
	firstTook = time.Since(start)
	if first = res.First; first {
		if res, err = live.Finish(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
	if !res.Partial {
		b.Fatal("the site was rendered whole")
	}
	return res, firstTook, first
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
	// The first update waits for what the build computes after it
	// returns (the fingerprints of its files): not what a save costs.
	if _, err := live.Update(context.Background(), []string{file}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := string(original) + edit(i)
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
		if strings.Contains(b.Name(), "Search") && live.UpdateSearch(context.Background()) == nil {
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
			// A build that writes its files lets the site go: whether it
			// read the history is asked of a check.
			res, err := build.Run(context.Background(), build.Options{Site: cfg, Skip: build.Render | build.Search})
			if err != nil {
				b.Fatal(err)
			}
			if h := res.Site.History(); (h != nil) == bc.off {
				b.Fatalf("history read = %v with Git.Off = %v", h != nil, bc.off)
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
					b.Fatal(err)
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
