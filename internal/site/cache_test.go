package site_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// summary is what a check reads of a loaded site, for comparing loads.
func summary(s *site.Site) string {
	out := fmt.Sprintln(s.Diags)
	for _, p := range s.Pages {
		var links []string
		for _, l := range p.Doc.Links {
			links = append(links, fmt.Sprintf("%s>%s@%d:%d", l.Dest, l.Target(), l.Line, l.Col))
		}
		var refs []string
		for _, r := range p.Doc.Refs {
			refs = append(refs, fmt.Sprintf("%s>%s@%d:%d", r.Target, r.URL, r.Line, r.Col))
		}
		var back []string
		for _, q := range p.Backlinks {
			back = append(back, q.Path)
		}
		out += fmt.Sprintf("%s %s %q %q %v %v %v %v %v %v %v %d %q %v %v %v %s\n", p.Path, p.URL, p.Title, p.Excerpt, p.Kind, p.Tags, p.Date,
			p.Doc.Headings, len(p.Doc.IDs), links, refs, p.Doc.Words, p.Doc.Source, p.Doc.Items, p.Doc.Directives, back, p.Fields) + fmt.Sprintln(p.Params)
	}
	return out
}

func loadCached(t *testing.T, dir, cache string) *site.Site {
	t.Helper()
	cfg := site.DefaultConfig(dir)
	cfg.NoHTML = true
	cfg.CacheDir = cache
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestParseCache: a load from the cache sees exactly what a fresh parse
// sees, a changed file is parsed again, and a broken cache is ignored.
func TestParseCache(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 120, 3); err != nil {
		t.Fatal(err)
	}
	// Pages with findings of their own: they are cached too.
	os.WriteFile(filepath.Join(dir, "content", "bad.md"), []byte("---\ntitle: [unclosed\n---\nSee [x](missing.md).\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "params.md"), []byte("---\ntitle: P\nextra: {a: [1, two, 2026-01-02]}\n---\n# H\n\n<!-- handbook-disable-next-line heading-skip -->\n"), 0o644)
	cache := filepath.Join(t.TempDir(), "cache")

	fresh := summary(loadCached(t, dir, ""))
	first := summary(loadCached(t, dir, cache)) // fills the cache
	second := summary(loadCached(t, dir, cache))
	for i, got := range []string{first, second} {
		if got != fresh {
			a, b := strings.Split(fresh, "\n"), strings.Split(got, "\n")
			for j := range min(len(a), len(b)) {
				if a[j] != b[j] {
					t.Fatalf("load %d from the cache differs from a fresh one:\nfresh: %s\ncache: %s", i+1, a[j], b[j])
				}
			}
			t.Fatalf("load %d from the cache differs in length", i+1)
		}
	}

	// One file changed: it alone is parsed, and its change is seen.
	p := filepath.Join(dir, "content", "params.md")
	os.WriteFile(p, []byte("---\ntitle: Changed\n---\nNew text.\n"), 0o644)
	s := loadCached(t, dir, cache)
	if hits, misses := site.CacheStats(s); misses != 1 || hits != len(s.Pages)-1 {
		t.Errorf("after one change: %d hits, %d misses; want %d and 1", hits, misses, len(s.Pages)-1)
	}
	if summary(s) != summary(loadCached(t, dir, "")) {
		t.Error("the changed page is not what a fresh parse gives")
	}

	// A corrupt shard is ignored and rewritten.
	shards, _ := filepath.Glob(filepath.Join(cache, "*.gob"))
	if len(shards) == 0 {
		t.Fatal("no cache written")
	}
	for _, sh := range shards {
		os.WriteFile(sh, []byte("not gob"), 0o644)
	}
	if got := summary(loadCached(t, dir, cache)); got != summary(loadCached(t, dir, "")) {
		t.Error("a corrupt cache changed the load")
	}
}
