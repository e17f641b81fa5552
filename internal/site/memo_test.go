package site

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/page"
)

// TestMemoKeepsWalk: a load told by Forget that only files it knows
// changed takes the last walk instead of reading the folders again, and
// reads those files' new content; a file it does not know, or one gone,
// makes the next load walk; a load not told walks.
func TestMemoKeepsWalk(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/a.md":     "---\ntitle: A\n---\nSee [B](b.md).\n",
		"content/b.md":     "---\ntitle: B\n---\nBody.\n",
		"content/pic.txt":  "a file beside the pages\n",
		"content/sub/c.md": "---\ntitle: C\n---\nC.\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	abs := func(rel string) string { return filepath.Join(dir, "content", filepath.FromSlash(rel)) }
	has := func(s *Site, url string) bool { return s.PageAt(url) != nil }
	s := loadConfig(t, cfg)
	if !has(s, "/b/") || has(s, "/new/") {
		t.Fatal("first load: wrong pages")
	}

	// b.md's title changes and new.md appears; only b.md is said to have
	// changed: the walk is kept, so new.md is not seen, but b.md's title is.
	write(t, dir, map[string]string{
		"content/b.md":   "---\ntitle: B renamed, longer\n---\nBody.\n",
		"content/new.md": "---\ntitle: New\n---\nNew.\n",
	})
	cfg.Memo.Forget(abs("b.md"))
	s = loadConfig(t, cfg)
	if got := s.PageAt("/b/"); got == nil || got.Title != "B renamed, longer" {
		t.Fatalf("b.md not read again: %+v", got)
	}
	if has(s, "/new/") {
		t.Fatal("the walk was not kept: new.md found without being reported")
	}
	if len(s.Files) != 1 {
		t.Fatalf("files beside the pages: %v", s.Files)
	}

	// Reported, new.md makes the load walk.
	cfg.Memo.Forget(abs("new.md"))
	if s = loadConfig(t, cfg); !has(s, "/new/") {
		t.Fatal("new.md reported but not found")
	}

	// A removed file makes the load walk.
	if err := os.Remove(abs("sub/c.md")); err != nil {
		t.Fatal(err)
	}
	cfg.Memo.Forget(abs("sub/c.md"))
	if s = loadConfig(t, cfg); has(s, "/sub/c/") {
		t.Fatal("sub/c.md removed but still loaded")
	}

	// A load not told what changed walks.
	write(t, dir, map[string]string{"content/other.md": "# Other\n"})
	if s = loadConfig(t, cfg); !has(s, "/other/") {
		t.Fatal("a load without Forget did not walk")
	}

	// A file that turned into a folder: walk.
	if err := os.Remove(abs("b.md")); err != nil {
		t.Fatal(err)
	}
	write(t, dir, map[string]string{"content/b.md/inside.md": "# Inside\n"})
	cfg.Memo.Forget(abs("b.md"))
	if s = loadConfig(t, cfg); has(s, "/b/") {
		t.Fatal("b.md turned into a folder but is still a page")
	}
}

// TestMemoPatchesWalk: a file made or removed, reported by Forget,
// changes the kept walk as walking again would: the same files, in the
// same order, with the same paths, roots and kinds. A folder made or
// removed makes the next load walk.
func TestMemoPatchesWalk(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/a.md":               "# A\n",
		"content/B.md":               "# B upper\n",
		"content/b/x.md":             "# X\n",
		"content/c.md":               "# C\n",
		"content/z.png":              "png",
		"content/runbooks/r1.md":     "---\ntitle: R1\n---\nR1.\n",
		"content/runbooks/sub/r2.md": "---\ntitle: R2\n---\nR2.\n",
		"content/runbooks/t.md":      "---\ntitle: T\n---\nT.\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	loadConfig(t, cfg)
	abs := func(rel string) string { return filepath.Join(dir, "content", filepath.FromSlash(rel)) }
	type entry struct {
		abs, path, rel, root string
		kind                 page.Kind
	}
	entries := func(w *walked) [][]entry {
		var out [][]entry
		for _, found := range w.found {
			var es []entry
			for _, f := range found {
				es = append(es, entry{f.abs, f.path, f.rel, f.root.Dir, f.kind})
			}
			out = append(out, es)
		}
		return out
	}
	patched := 0
	for _, op := range []struct {
		name, file, body string // no body: removed
		walks            bool   // the next load must walk
	}{
		{"a file after a folder of the same start", "b0.md", "# B0\n", false},
		{"a file first", "0.md", "# Zero\n", false},
		{"a file between others", "a0.md", "# A0\n", false},
		{"a runbook, in a folder of a kind", "runbooks/r0.md", "---\ntitle: R0\n---\nR0.\n", false},
		{"a runbook deeper", "runbooks/sub/r3.md", "---\ntitle: R3\n---\nR3.\n", false},
		{"a dot file", ".hidden.md", "# Hidden\n", false},
		{"an editor's backup", "c.md~", "# C\n", false},
		{"a file beside the pages", "aa.txt", "text", false},
		{"a removed page", "c.md", "", false},
		{"the last page of a folder removed", "b/x.md", "", false},
		{"a page in a new folder", "new/n.md", "# N\n", true},
		{"a removed folder", "runbooks/sub", "", true},
	} {
		p := abs(op.file)
		var err error
		if op.body == "" {
			err = os.RemoveAll(p)
		} else {
			err = os.MkdirAll(filepath.Dir(p), 0o755)
			if err == nil {
				err = os.WriteFile(p, []byte(op.body), 0o644)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
		cfg.Memo.Forget(p)
		kept := cfg.Memo.walk
		if walks := kept == nil; walks != op.walks {
			t.Fatalf("%s: the next load walks: %v, want %v", op.name, walks, op.walks)
		}
		got := loadConfig(t, cfg)
		fresh := cfg
		fresh.Memo = NewMemo()
		want := loadConfig(t, fresh)
		if kept != nil {
			patched++
			if g, w := entries(kept), entries(fresh.Memo.walk); !reflect.DeepEqual(g, w) {
				t.Fatalf("%s: the kept walk differs from a walk:\n got %v\nwant %v", op.name, g, w)
			}
		}
		var gotURLs, wantURLs []string
		for _, q := range got.Pages {
			gotURLs = append(gotURLs, q.URL+" "+string(q.Kind))
		}
		for _, q := range want.Pages {
			wantURLs = append(wantURLs, q.URL+" "+string(q.Kind))
		}
		if !reflect.DeepEqual(gotURLs, wantURLs) || len(got.Files) != len(want.Files) {
			t.Fatalf("%s: pages %v and %d files, want %v and %d", op.name, gotURLs, len(got.Files), wantURLs, len(want.Files))
		}
	}
	if patched < 10 {
		t.Errorf("%d walks patched", patched)
	}
}

// TestMemoKeepsRelated: a load with a Memo finds again only the related
// pages an edit may change and takes the others from the last load; after
// each edit, every page's related pages are those of a load without a
// Memo. The edits change what relate reads, one at a time: a title
// (nothing), tags, services, a link (a page linked is not "related") and
// where it goes, new pages, a page removed and one renamed, and tags most
// pages share. Each runs with short postings walked and with every
// posting long (bigList), and says how many pages' related pages the load
// may find at most: the pages sharing a tag or a service with the page
// edited, or the pages whose links changed.
func TestMemoKeepsRelated(t *testing.T) {
	withBigLists(t, []int{bigList, 2}, func(t *testing.T, _ int) { memoKeepsRelated(t) })
}

func memoKeepsRelated(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 40 {
		tags := []string{"db", "network", "storage", "queue", "cache"}[i%5]
		svc := ""
		if i%4 == 0 {
			svc = "api"
		}
		files[fmt.Sprintf("content/p%02d.md", i)] = fmt.Sprintf("---\ntitle: Page %d\ntags: [%s, t%d]\nservices: [%s]\n---\nText.\n", i, tags, i%3, svc)
	}
	write(t, dir, files)
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	loadConfig(t, cfg)
	if n := cfg.Memo.relatedFound; n != 40 {
		t.Fatalf("the first load found the related pages of %d pages, want all 40", n)
	}
	for _, e := range []struct {
		name, file, text string // no text: removed
		// most is how many pages' related pages the load may find again.
		most int
	}{
		{"title", "p00.md", "---\ntitle: Page zero\ntags: [db, t0]\nservices: [api]\n---\nText.\n", 0},
		{"tags", "p01.md", "---\ntitle: Page 1\ntags: [storage, t1]\n---\nText.\n", 18},
		{"services", "p02.md", "---\ntitle: Page 2\ntags: [storage, t2]\nservices: [api]\n---\nText.\n", 25},
		{"link", "p03.md", "---\ntitle: Page 3\ntags: [queue, t0]\n---\nSee [page 8](p08.md).\n", 2},
		{"link moved", "p03.md", "---\ntitle: Page 3\ntags: [queue, t0]\n---\nSee [page 6](p06.md).\n", 3},
		{"new page", "p99.md", "---\ntitle: Page 99\ntags: [db]\n---\nText.\n", 2},
		{"new page without tags, linking", "q00.md", "---\ntitle: Q\n---\nSee [page 10](p10.md).\n", 2},
		{"page removed", "p05.md", "", 13},
		{"page renamed", "p07.md", "", 10},
		{"the renamed page", "p77.md", "---\ntitle: Page 7\ntags: [storage, t1]\n---\nText.\n", 6},
		{"tags most pages share", "p09.md", "---\ntitle: Page 9\ntags: [cache, t0, t1, t2]\n---\nText.\n", 20},
		{"tags every page shares", "q00.md", "---\ntitle: Q\ntags: [db, t0, t1, t2]\n---\nSee [page 10](p10.md).\n", 12},
	} {
		p := filepath.Join(dir, "content", e.file)
		if e.text == "" {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
		} else {
			write(t, dir, map[string]string{"content/" + e.file: e.text})
		}
		cfg.Memo.Forget(p)
		got := relatedURLs(loadConfig(t, cfg))
		want := relatedURLs(load(t, dir))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after the %s edit: related pages with the Memo\n%v\nwithout\n%v", e.name, got, want)
		}
		if n := cfg.Memo.relatedFound; n > e.most {
			t.Errorf("after the %s edit: the related pages of %d pages found again, want at most %d", e.name, n, e.most)
		}
	}
}

// TestMemoRelinksWhatMayChange: a load with a Memo resolves again the
// links of the pages read again, of the pages linking to them, and of the
// pages whose references look up a title a page gained or lost; every
// page's when a page's names (here its aliases) change. The links it
// keeps resolve as a load without a Memo resolves them.
func TestMemoRelinksWhatMayChange(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/a.md":   "---\ntitle: A\n---\nSee [the steps](b.md#steps).\n",
		"content/b.md":   "---\ntitle: B\n---\n## Steps\n\nDo them.\n",
		"content/c.md":   "---\ntitle: C\n---\nSee [[Later title]].\n",
		"content/d.md":   "---\ntitle: D\n---\nNo links.\n",
		"content/f.md":   "---\ntitle: F\n---\nSee [D](d.md).\n",
		"runbooks/r0.md": "---\ntitle: R0\n---\nR0.\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	abs := func(rel string) string {
		if r, ok := strings.CutPrefix(rel, "/"); ok {
			return filepath.Join(dir, filepath.FromSlash(r)) // from the site's folder
		}
		return filepath.Join(dir, "content", filepath.FromSlash(rel))
	}
	all := loadConfig(t, cfg).Config.Memo.Relinked()
	if len(all) != 6 {
		t.Fatalf("first load relinked %v, want every page", all)
	}
	// What each page's links and references resolved to.
	resolved := func(s *Site) map[string][]string {
		out := map[string][]string{}
		for _, p := range s.Pages {
			for _, l := range p.Doc.Links {
				out[p.Path] = append(out[p.Path], l.Dest+" -> "+l.Target())
			}
			for _, r := range p.Doc.Refs {
				out[p.Path] = append(out[p.Path], r.Target+" -> "+r.URL+" "+r.Title)
			}
			for _, q := range p.Outgoing {
				out[p.Path] = append(out[p.Path], "outgoing "+q.URL)
			}
		}
		return out
	}
	step := func(name, file, content string, want []string) {
		t.Helper()
		if content == "" {
			if err := os.Remove(abs(file)); err != nil {
				t.Fatal(err)
			}
		} else {
			rel := "content/" + file
			if r, ok := strings.CutPrefix(file, "/"); ok {
				rel = r
			}
			write(t, dir, map[string]string{rel: content})
		}
		cfg.Memo.Forget(abs(file))
		s := loadConfig(t, cfg)
		if got := cfg.Memo.Relinked(); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: relinked %v, want %v", name, got, want)
		}
		fresh := cfg
		fresh.Memo = nil
		f := loadConfig(t, fresh)
		if got, want := fmt.Sprint(s.Diags), fmt.Sprint(f.Diags); got != want {
			t.Errorf("%s: findings %s, want as without a Memo: %s", name, got, want)
		}
		if got, want := resolved(s), resolved(f); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: links resolved to\n%v\nwant as without a Memo:\n%v", name, got, want)
		}
	}
	step("a heading renamed", "b.md", "---\ntitle: B\n---\n## Other steps\n\nDo them.\n", []string{"content/a.md", "content/b.md"})
	step("a title another page's reference names", "f.md", "---\ntitle: Later title\n---\nSee [D](d.md).\n", []string{"content/c.md", "content/f.md"})
	step("a body edit", "d.md", "---\ntitle: D\n---\nStill no links.\n", []string{"content/d.md", "content/f.md"})
	// When pages' names change, the pages whose links looked them up are
	// linked again, found or not, and no other.
	step("an alias", "d.md", "---\ntitle: D\naliases: [/old-d/]\n---\nStill no links.\n", []string{"content/d.md", "content/f.md"})
	step("a new page with links to no page", "g.md", "---\ntitle: G\n---\nSee [H](h.md), [[e]], [old D](/old-d/) and [the folder](/sub/).\n", []string{"content/g.md"})
	step("the page a broken link names", "h.md", "---\ntitle: H\n---\nH.\n", []string{"content/g.md", "content/h.md"})
	step("the page a broken reference names", "e.md", "# E\n", []string{"content/e.md", "content/g.md"})
	step("a page removed", "h.md", "", []string{"content/g.md"})
	step("a page a name finds before a title", "sub/later-title.md", "# Later, by name\n", []string{"content/c.md", "content/g.md", "content/sub/later-title.md"})
	step("an alias dropped", "d.md", "---\ntitle: D\n---\nStill no links.\n", []string{"content/d.md", "content/f.md", "content/g.md"})
	step("a link to a site path no page has", "d.md", "---\ntitle: D\n---\nSee [R1](/runbooks/r1/).\n", []string{"content/d.md", "content/f.md"})
	step("the page at that site path, in another root", "/runbooks/r1.md", "---\ntitle: R1\n---\nR1.\n", []string{"content/d.md", "runbooks/r1.md"})
}

// TestMemoKeepsOrders: a load with a Memo sorts the tags' pages and each
// kind's index starting from the last load's order (presort); after
// edits that move pages in those orders, add and remove pages, the
// orders are those of a load without a Memo.
func TestMemoKeepsOrders(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{}
	for i := range 30 {
		files[fmt.Sprintf("content/p%02d.md", i)] = fmt.Sprintf("---\ntitle: Page %d\ntags: [ops, t%d]\n---\nText.\n", i, i%3)
		files[fmt.Sprintf("runbooks/svc%d/r%02d.md", i%2, i)] = fmt.Sprintf("---\ntitle: Runbook %d\nowner: team\nlast_reviewed: 2026-01-01\ntags: [ops]\n---\nText.\n", i)
	}
	write(t, dir, files)
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	orders := func(s *Site) map[string][]string {
		out := map[string][]string{}
		for _, tg := range s.Tags() {
			for _, p := range tg.Pages {
				out["tag "+tg.Slug] = append(out["tag "+tg.Slug], p.URL)
			}
		}
		for _, k := range page.Kinds {
			for _, p := range s.OfKind(k) {
				out[string(k)] = append(out[string(k)], p.URL)
			}
		}
		return out
	}
	loadConfig(t, cfg)
	for _, e := range []struct{ name, file, text string }{
		{"title first", "content/p17.md", "---\ntitle: Aaa first\ntags: [ops, t2]\n---\nText.\n"},
		{"title last", "content/p03.md", "---\ntitle: Zzz last\ntags: [ops, t0]\n---\nText.\n"},
		{"weight", "content/p20.md", "---\ntitle: Page 20\nweight: 1\ntags: [ops, t2]\n---\nText.\n"},
		{"runbook title", "runbooks/svc1/r05.md", "---\ntitle: A runbook first\nowner: team\nlast_reviewed: 2026-01-01\ntags: [ops]\n---\nText.\n"},
		{"new page", "content/p99.md", "---\ntitle: Mmm middle\ntags: [ops, t1]\n---\nText.\n"},
		{"tags", "content/p17.md", "---\ntitle: Aaa first\ntags: [t1]\n---\nText.\n"},
	} {
		write(t, dir, map[string]string{e.file: e.text})
		cfg.Memo.Forget(filepath.Join(dir, e.file))
		got, want := orders(loadConfig(t, cfg)), orders(load(t, dir))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("after the %s edit: orders with the Memo\n%v\nwithout\n%v", e.name, got, want)
		}
	}
}

// TestWarmLinks checks that WarmLinks makes the index of who looked what
// up (lookerIndex) after a load, as the first edit would, and that the
// index so made finds the same lookers as one made on demand: a page
// linked to, a title looked up, a name looked up and not found.
func TestWarmLinks(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/a.md": "---\ntitle: A\n---\nSee [B](b.md) and [[Gamma]] and [[runbook:nowhere]].\n",
		"content/b.md": "---\ntitle: B\n---\nBody.\n",
		"content/c.md": "---\ntitle: Gamma\n---\nSee [[B]].\n",
	})
	keys := func(s *Site) map[string]bool {
		k := map[string]bool{}
		for _, p := range s.Pages {
			pageKeys(nameOf(p), k)
			k["to:"+p.Source] = true
		}
		k["name:nowhere"] = true
		return k
	}
	lookers := func(warm bool) []string {
		cfg := DefaultConfig(dir)
		cfg.Memo = NewMemo()
		s := loadConfig(t, cfg)
		if warm {
			s.WarmLinks()
			if cfg.Memo.links == nil || cfg.Memo.links.byKey == nil {
				t.Fatal("WarmLinks made no index")
			}
		} else if cfg.Memo.links.byKey != nil {
			t.Fatal("an index before anything asked for it")
		}
		var out []string
		for k := range keys(s) {
			for _, src := range cfg.Memo.links.lookers(map[string]bool{k: true}) {
				out = append(out, k+" "+filepath.Base(src))
			}
		}
		slices.Sort(out)
		return out
	}
	warm, cold := lookers(true), lookers(false)
	if !slices.Equal(warm, cold) || len(cold) < 4 {
		t.Errorf("lookers from a warmed index %q, made on demand %q", warm, cold)
	}
}
