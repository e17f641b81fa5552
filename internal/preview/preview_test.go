package preview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/serve"
	"github.com/handbook-dev/handbook/internal/site"
)

// TestLoop starts a preview of a site with a problem, then fixes the
// page: the first snapshot shows the problem with its source lines, errors
// first, and the edit is published without a restart.
func TestLoop(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { t.Helper(); writeFile(t, dir, name, text) }
	write("content/index.md", "---\ntitle: Home\n---\nHello. See [gone](gone.md).\n\nTODO: more.\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loop, snaps := startLoop(ctx, t, dir, Options{Drafts: true})
	next := func(want string) *serve.Snapshot {
		t.Helper()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case s := <-snaps:
				if strings.Contains(fileOf(s, "/index.html"), want) {
					return s
				}
			case <-timeout:
				t.Fatalf("no snapshot with %q", want)
			}
		}
	}
	first := next("Hello.")
	if len(first.Problems) < 2 || first.ProblemsTotal != len(first.Problems) {
		t.Fatalf("problems = %+v, total %d; want the broken link and the placeholder", first.Problems, first.ProblemsTotal)
	}
	if p := first.Problems[0]; p.Severity != "error" || p.File != "content/index.md" || len(p.Context) == 0 {
		t.Errorf("first problem = %+v; want an error in content/index.md with its lines", p)
	}
	for i := 1; i < len(first.Problems); i++ {
		if first.Problems[i-1].Severity != "error" && first.Problems[i].Severity == "error" {
			t.Errorf("an error after a %s: %+v", first.Problems[i-1].Severity, first.Problems)
		}
	}

	go loop.Run(ctx)
	write("content/index.md", "---\ntitle: Home\n---\nHello again.\n")
	if s := next("Hello again."); len(s.Problems) != 0 {
		t.Errorf("problems after the fix: %+v", s.Problems)
	}
}

// TestLoopFirstLook edits a page's title and tags, which other pages show
// (in their sidebars, the tag pages) and the site is made of: the edited
// page is published first, with its new title, while the others still
// show the old one; then the site, loaded again, with the new title
// everywhere. (A title alone is taken in place, at once.)
func TestLoopFirstLook(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { t.Helper(); writeFile(t, dir, name, text) }
	write("content/index.md", "---\ntitle: Home\n---\nRead [the guide](guide.md).\n")
	write("content/guide.md", "---\ntitle: Old guide\n---\nThe guide.\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loop, snaps := startLoop(ctx, t, dir, Options{Quiet: true})
	go loop.Run(ctx)
	<-snaps
	write("content/guide.md", "---\ntitle: New guide\ntags: [onboarding]\n---\nThe guide.\n")
	var got []*serve.Snapshot
	timeout := time.After(10 * time.Second)
	for len(got) < 2 {
		select {
		case s := <-snaps:
			if strings.Contains(fileOf(s, "/guide/index.html"), "New guide") {
				got = append(got, s)
			}
		case <-timeout:
			t.Fatalf("%d snapshots with the new title; want a first look and the rest", len(got))
		}
	}
	if first := got[0]; !first.Pending || !strings.Contains(first.Note, "first look") || strings.Contains(fileOf(first, "/index.html"), "New guide") {
		t.Errorf("first snapshot (%s): want a first look, the home page still showing the old title", first.Note)
	}
	if rest := got[1]; rest.Pending || strings.Contains(rest.Note, "first look") || !strings.Contains(fileOf(rest, "/index.html"), "New guide") {
		t.Errorf("second snapshot (%s): want the new title on the home page too", rest.Note)
	}
}

// TestLoopIdle: once the site is built, and again once an edit is served,
// the loop calls Options.Idle, saying whether the site was built whole;
// never while an update runs, and not again until there was work. It
// calls Options.Whole before the first build, and not for an edit.
func TestLoopIdle(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { t.Helper(); writeFile(t, dir, name, text) }
	write("content/index.md", "---\ntitle: Home\n---\nRead [the guide](guide.md).\n")
	write("content/guide.md", "---\ntitle: Guide\n---\nThe guide.\n")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	idles := make(chan bool, 16)
	var wholes atomic.Int32 // Options.Whole's calls
	loop, snaps := startLoop(ctx, t, dir, Options{Quiet: true, Idle: func(whole bool) { idles <- whole }, Whole: func() { wholes.Add(1) }})
	<-snaps
	if n := wholes.Load(); n != 1 {
		t.Errorf("Whole called %d times before the first build was served, want 1", n)
	}
	go loop.Run(ctx)
	idle := func(what string) bool {
		t.Helper()
		select {
		case whole := <-idles:
			return whole
		case <-time.After(10 * time.Second):
			t.Fatalf("no idle call %s", what)
		}
		return false
	}
	if !idle("after the first build") {
		t.Errorf("idle after the first build: whole = false, want true")
	}
	select {
	case whole := <-idles:
		t.Fatalf("idle again (whole %v) with nothing done", whole)
	case <-time.After(5 * IdleDelay):
	}
	write("content/guide.md", "---\ntitle: Guide\n---\nThe guide, edited.\n")
	for s := range snaps {
		if strings.Contains(fileOf(s, "/guide/index.html"), "edited") {
			break
		}
	}
	if idle("after an edit") {
		t.Errorf("idle after a body edit: whole = true, want false")
	}
	if n := wholes.Load(); n != 1 {
		t.Errorf("Whole called %d times after a body edit, want 1 (the first build)", n)
	}
}

func TestDescribe(t *testing.T) {
	dir := filepath.FromSlash("/site")
	paths := []string{filepath.Join(dir, "content", "a.md"), filepath.Join(dir, "b.md"), filepath.Join(dir, "c.md"), filepath.Join(dir, "d.md"), filepath.Join(dir, "e.md")}
	if got, want := describe(dir, paths), "content/a.md, b.md, c.md, and 2 more"; got != want {
		t.Errorf("describe = %q, want %q", got, want)
	}
}

// TestSearchWaitsForQuiet: after a page is added, the page is published at
// once and the search index, built whole again, only once the files have
// been quiet for SearchIdle; it then finds the new page.
func TestSearchWaitsForQuiet(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) { t.Helper(); writeFile(t, dir, name, text) }
	write("content/index.md", "---\ntitle: Home\n---\nHello.\n")
	cfg := site.DefaultConfig(dir)
	type published struct {
		at   time.Time
		snap *serve.Snapshot
	}
	snaps := make(chan published, 16)
	const idle = 700 * time.Millisecond
	loop := New(cfg, Options{
		Publish:    func(s *serve.Snapshot) serve.Update { snaps <- published{time.Now(), s}; return serve.Update{} },
		Config:     func() (site.Config, error) { return cfg, nil },
		ConfigFile: filepath.Join(dir, "handbook.yaml"),
		SearchIdle: idle,
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := loop.Start(ctx); err != nil {
		t.Fatal(err)
	}
	<-snaps
	go loop.Run(ctx)
	saved := time.Now()
	write("content/zebra.md", "---\ntitle: Zebra crossings\n---\nStriped.\n")
	timeout := time.After(20 * time.Second)
	var page published
	for {
		select {
		case p := <-snaps:
			if page.snap == nil {
				if fileOf(p.snap, "/zebra/index.html") != "" {
					page = p
				}
				continue
			}
			if p.snap.Note != "search index" {
				continue
			}
			if waited := p.at.Sub(saved); waited < idle {
				t.Errorf("the index was built whole %v after the save, before %v of quiet", waited, idle)
			}
			found := false
			for path, b := range p.snap.Files {
				if strings.HasPrefix(path, "/search/") && strings.Contains(string(b), "zebra") {
					found = true
				}
			}
			if !found {
				t.Error("the search index does not hold the new page")
			}
			return
		case <-timeout:
			t.Fatalf("no search index after the new page (page published: %v)", page.snap != nil)
		}
	}
}

// writeFile writes text to the file name (slash-separated) under dir,
// making its folders.
// startLoop starts the Loop of the site in dir with opts, publishing to
// the channel returned; the first build is published once Start returns.
func startLoop(ctx context.Context, t *testing.T, dir string, opts Options) (*Loop, chan *serve.Snapshot) {
	t.Helper()
	cfg := site.DefaultConfig(dir)
	snaps := make(chan *serve.Snapshot, 16)
	opts.Publish = func(s *serve.Snapshot) serve.Update { snaps <- s; return serve.Update{} }
	opts.Config = func() (site.Config, error) { return cfg, nil }
	opts.ConfigFile = filepath.Join(dir, "handbook.yaml")
	loop := New(cfg, opts)
	if err := loop.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return loop, snaps
}

func writeFile(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// fileOf returns the file at site path p of snapshot s as it is served
// ("" when s has none): a preview holds its pages packed.
func fileOf(s *serve.Snapshot, p string) string {
	b, ok := s.Files[p]
	if !ok {
		return ""
	}
	if s.Unpack != nil {
		var err error
		if b, err = s.Unpack(p, b); err != nil {
			return ""
		}
	}
	return string(b)
}
