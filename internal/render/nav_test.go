package render

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// TestNavLongFolder checks the sidebar of pages in folders longer than
// maxSiblings: each page's own entry stays visible (found by URL, not by
// reading every sibling), with the same items a scan of the siblings in
// order gives; and the HTML written as the tree is walked is navHTML's of
// those items.
func TestNavLongFolder(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		p := filepath.Join(dir, "content", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// 120 runbooks, titles out of URL order and differing in case; every
	// seventh page a folder of its own with pages under it; a weighted few.
	for i := range 120 {
		title := fmt.Sprintf("%c runbook %d", 'a'+rune((i*37)%26), i)
		if i%3 == 0 {
			title = strings.ToUpper(title)
		}
		if i%5 == 0 {
			title += " & <ops>" // escaped in the sidebar's HTML
		}
		fm := "title: " + title + "\n"
		if i%11 == 0 {
			fm += fmt.Sprintf("weight: %d\n", 1+i%4)
		}
		name := fmt.Sprintf("runbooks/rb-%03d.md", i)
		if i%7 == 0 {
			name = fmt.Sprintf("runbooks/rb-%03d/index.md", i)
			for j := range 60 {
				write(fmt.Sprintf("runbooks/rb-%03d/step-%02d.md", i, j), fmt.Sprintf("---\ntitle: Step %d\n---\nText.\n", (j*13)%60))
			}
		}
		write(name, "---\n"+fm+"---\nText.\n")
	}
	cfg := site.DefaultConfig(dir)
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	tree := buildNav(s, KindIndexURLs(s), nil)
	// The sidebar as a scan of the siblings gives it.
	scan := func(cur string) []NavItem {
		saved := map[*navNode]map[string]int{}
		for _, n := range tree.byURL {
			saved[n] = n.pos
		}
		defer func() {
			for n, p := range saved {
				n.pos = p
			}
		}()
		for _, n := range tree.byURL {
			if n.pos != nil {
				// A map whose lookups do what slices.IndexFunc did.
				n.pos = map[string]int{}
				if i := slices.IndexFunc(n.children, func(k *navNode) bool { return strings.HasPrefix(cur, k.url) }); i >= 0 {
					n.pos[n.children[i].url] = i
				}
			}
		}
		return tree.items(cur)
	}
	long := 0
	for _, p := range s.Pages {
		got := tree.items(p.URL)
		if want := scan(p.URL); !slices.Equal(got, want) {
			t.Fatalf("sidebar of %s:\n got %v\nwant %v", p.URL, got, want)
		}
		// The renderer writes the HTML as it walks the tree.
		if h, want := tree.html(p.URL), navHTML(got); h != want {
			t.Fatalf("sidebar HTML of %s:\n got %s\nwant %s", p.URL, h, want)
		}
		current := slices.IndexFunc(got, func(it NavItem) bool { return it.Current })
		if current < 0 {
			t.Errorf("sidebar of %s does not show the page", p.URL)
		}
		if slices.ContainsFunc(got, func(it NavItem) bool { return it.More > 0 }) {
			long++
		}
	}
	if long < 100 {
		t.Errorf("%d pages with a folder cut short; the test means to cover more", long)
	}
	// The folders on the way to a page, found by its URL's prefixes in a
	// long folder, are those a scan of every child finds.
	found := 0
	for _, p := range s.Pages {
		for _, n := range tree.byURL {
			var want []int
			for i, k := range n.children {
				if len(k.children) > 0 && strings.HasPrefix(p.URL, k.url) {
					want = append(want, i)
				}
			}
			if got := n.foldersOnPath(p.URL); !slices.Equal(got, want) {
				t.Fatalf("folders on the way to %s under %s: got %v, want %v", p.URL, n.url, got, want)
			}
			if n.pos != nil && len(want) > 0 {
				found++
			}
		}
	}
	if found < 100 {
		t.Errorf("%d pages under a sub-folder of a long folder; the test means to cover more", found)
	}
}

// TestNavForSiteLayout: the sidebar's items (Data.Nav) are made for a
// site's layout that ranges over them, though the default theme's
// layouts show only the HTML (Data.NavHTML), which every page has.
func TestNavForSiteLayout(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "content/guide.md", []byte("---\ntitle: The guide\n---\nText.\n"))
	writeFile(t, dir, "content/ops/restart.md", []byte("---\ntitle: Restart it\n---\nText.\n"))
	writeFile(t, dir, "layouts/page.html", []byte(`{{define "main"}}<ol class="own-nav">{{range .Nav}}{{if .Title}}<li>{{.Title}}</li>{{end}}{{end}}</ol>{{end}}`))
	files := renderFiles(t, loadRenderer(t, site.DefaultConfig(dir)))
	page := string(files["/guide/index.html"])
	if !strings.Contains(page, "<li>The guide</li>") || !strings.Contains(page, "<li>Ops</li>") {
		t.Errorf("a layout ranging over .Nav got no items:\n%s", mainOf(page))
	}
	if !strings.Contains(page, `aria-current="page">The guide</a>`) {
		t.Error("the base layout's sidebar HTML is missing beside the site's layout")
	}
}

// navHTML renders sidebar items as nested lists, one by one: what
// navTree.html must give for the items of the same page.
func navHTML(items []NavItem) template.HTML {
	var b strings.Builder
	for i := range items {
		writeNavItem(&b, &items[i], html.EscapeString(items[i].Href), html.EscapeString(items[i].Title))
	}
	return template.HTML(b.String())
}

// TestSidebarSharedAsWalked checks that the sidebar a page gets from its
// folder's shared one is the one walked for it, for every page and folder
// of a generated site with a folder longer than the sidebar lists (whose
// pages past the cut take the last entry's place), a folder past the cut
// with pages in it, and titles that need escaping; and that the shared one
// serves most pages, and those past the cut.
func TestSidebarSharedAsWalked(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 300, 4); err != nil {
		t.Fatal(err)
	}
	for i := range maxSiblings + 12 {
		writeFile(t, dir, fmt.Sprintf("content/long/n-%02d.md", i), []byte(fmt.Sprintf("---\ntitle: \"Note %02d & <more>\"\n---\nText.\n", i)))
	}
	writeFile(t, dir, "content/long/zz/index.md", []byte("---\ntitle: Zz past the cut\n---\nText.\n"))
	writeFile(t, dir, "content/long/zz/inner.md", []byte("---\ntitle: Inner\n---\nText.\n"))
	writeFile(t, dir, "content/long/zz/deeper/leaf.md", []byte("---\ntitle: Leaf\n---\nText.\n"))
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	cfg.BaseURL = "https://example.com/a b/"
	r := loadRenderer(t, cfg)
	shared, pastCut := 0, 0
	for u, n := range r.nav.byURL {
		got := string(r.nav.html(u))
		want := r.nav.walkHTML(u, nil)
		if got != want {
			t.Fatalf("%s: the shared sidebar differs from the walked one:\n got %s\nwant %s", u, firstDiff(got, want), firstDiff(want, got))
		}
		if len(n.children) == 0 && strings.Contains(got, `aria-current="page"`) {
			if f := r.nav.byURL[site.ParentURL(u)]; f != nil {
				if s, ok := r.nav.sidebars.Load(f); ok {
					fs := s.(*folderSidebar)
					if _, ok := fs.marks[n]; ok {
						shared++
					} else if fs.last.end > 0 && f.onPath(u) >= maxSiblings {
						pastCut++
					}
				}
			}
		}
	}
	if shared < len(r.nav.byURL)/2 || pastCut < 10 {
		t.Errorf("of %d sidebars, %d came from their folder's, %d past a long folder's cut", len(r.nav.byURL), shared, pastCut)
	}
}

// TestNavReshaped: the sidebar's tree made again for pages added and
// removed in place (Remade, navTree.reshaped) is the tree buildNav makes
// of the site then: a page in a folder, in a long folder, in folders the
// site did not have (made, titled after their names), a decision ordered
// by its number, a page with a weight, a renamed page, and the removal of
// each, which takes a folder left empty with it.
func TestNavReshaped(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "content/index.md", []byte("---\ntitle: Home\n---\nWelcome.\n"))
	writeFile(t, dir, "content/adr/0001-use-a-queue.md", []byte("---\ntitle: Use a queue\nstatus: accepted\ndate: 2024-03-01\n---\nWhy.\n"))
	writeFile(t, dir, "content/adr/0003-use-a-log.md", []byte("---\ntitle: A log\nstatus: accepted\ndate: 2024-03-03\n---\nWhy.\n"))
	writeFile(t, dir, "content/notes/alpha.md", []byte("---\ntitle: Alpha\n---\nA.\n"))
	writeFile(t, dir, "content/notes/beta.md", []byte("---\ntitle: Beta\n---\nB.\n"))
	writeFile(t, dir, "content/notes/sub/one.md", []byte("---\ntitle: One\n---\nOne.\n"))
	for i := range maxSiblings + 5 {
		writeFile(t, dir, fmt.Sprintf("content/many/page-%02d.md", i), []byte(fmt.Sprintf("---\ntitle: Page %02d\n---\nText.\n", i)))
	}
	writeFile(t, dir, "runbooks/pay/db.md", []byte("---\ntitle: DB failover\nservice: pay\nowner: team-a\n---\nSteps.\n"))
	cfg := site.DefaultConfig(dir)
	cfg.Memo = site.NewMemo()
	r := loadRenderer(t, cfg)
	r.Files()
	abs := func(rel string) string { return filepath.Join(dir, filepath.FromSlash(rel)) }
	add := func(rel, front string) func() []string {
		return func() []string {
			writeFile(t, dir, rel, []byte("---\n"+front+"\n---\nText.\n"))
			return []string{abs(rel)}
		}
	}
	remove := func(rel string) func() []string {
		return func() []string {
			if err := os.Remove(abs(rel)); err != nil {
				t.Fatal(err)
			}
			return []string{abs(rel)}
		}
	}
	rename := func(from, to string) func() []string {
		return func() []string {
			if err := os.Rename(abs(from), abs(to)); err != nil {
				t.Fatal(err)
			}
			return []string{abs(from), abs(to)}
		}
	}
	for _, e := range []struct {
		name string
		edit func() []string
		// moves is set for an edit that moves a kind's index: Remade
		// builds the tree whole then (reshaped makes it for the same
		// indexes alone).
		moves bool
	}{
		{"a page in a folder", add("content/notes/gamma.md", "title: Gamma"), false},
		{"a page in a long folder", add("content/many/aaa.md", "title: Aaa"), false},
		{"a page in new folders", add("content/notes/deep/inner/page.md", "title: Deep page"), false},
		{"a page beside a page, which becomes a folder", add("content/notes/alpha/child.md", "title: Child"), false},
		{"a decision", add("content/adr/0002-use-a-cache.md", "title: Use a cache\nstatus: proposed\ndate: 2024-03-02"), false},
		{"a decision out of the log's folder, which widens it", add("content/notes/0003-elsewhere.md", "title: Elsewhere\nkind: adr\nstatus: proposed\ndate: 2024-03-03"), true},
		{"the decision out of the folder removed", remove("content/notes/0003-elsewhere.md"), true},
		{"a page with a weight", add("content/notes/first.md", "title: Zulu first\nweight: 1"), false},
		{"a page renamed", rename("content/notes/beta.md", "content/notes/sub/beta.md"), false},
		{"the page in new folders removed", remove("content/notes/deep/inner/page.md"), false},
		{"the child removed", remove("content/notes/alpha/child.md"), false},
		{"a page of a long folder removed", remove("content/many/page-03.md"), false},
		{"the decision removed", remove("content/adr/0002-use-a-cache.md"), false},
		{"the last page of a folder removed", remove("content/notes/sub/one.md"), false},
	} {
		paths := e.edit()
		patch, ok := r.Site.Reshape(paths)
		if !ok {
			t.Fatalf("%s: not reshaped in place", e.name)
		}
		changed := slices.Concat(patch.Pages, patch.Removed)
		linked := map[string]bool{}
		for _, u := range r.indexURLs {
			linked[u] = true
		}
		for _, l := range r.navExtra {
			linked[l.URL] = true
		}
		got := r.nav.reshaped(r.Site, changed, linked)
		if got == nil && !e.moves {
			t.Fatalf("%s: the tree was not made again in place", e.name)
		}
		n := r.Remade(changed, true)
		// The kinds' folders, followed from the last renderer's, are a
		// walk's over the site now, and so are the indexes placed in them.
		if dirs := kindFolders(n.Site); !maps.Equal(n.kindDirs, dirs) || !maps.Equal(n.indexURLs, KindIndexURLs(n.Site)) {
			t.Fatalf("%s: the kinds' folders %v and indexes %v, a walk's %v and %v", e.name, n.kindDirs, n.indexURLs, dirs, KindIndexURLs(n.Site))
		}
		if moved := !maps.Equal(n.indexURLs, r.indexURLs); moved != e.moves {
			t.Fatalf("%s: the kinds' indexes moved %v, want %v (%v, then %v)", e.name, moved, e.moves, r.indexURLs, n.indexURLs)
		}
		want := buildNav(n.Site, n.indexURLs, n.navExtra)
		if e.moves {
			if diff := navDiff(n.nav, want); diff != "" {
				t.Fatalf("%s: Remade's tree differs from buildNav's: %s", e.name, diff)
			}
			r = n
			continue
		}
		for name, tree := range map[string]*navTree{"reshaped": got, "Remade's": n.nav} {
			if diff := navDiff(tree, want); diff != "" {
				t.Fatalf("%s: the %s tree differs from buildNav's: %s", e.name, name, diff)
			}
		}
		if got.html("/notes/alpha/") != want.html("/notes/alpha/") {
			t.Fatalf("%s: the sidebars differ", e.name)
		}
		// derive looks at the URLs the copy lists as differing alone: it
		// touches the folders a look at every URL touches.
		whole := &navTree{base: got.base, root: got.root, byURL: got.byURL}
		whole.derive(r.nav)
		got.derive(r.nav)
		if len(whole.touched) == 0 || !maps.Equal(got.touched, whole.touched) {
			t.Fatalf("%s: derive touched %v, looking at every URL %v", e.name, slices.Sorted(maps.Keys(got.touched)), slices.Sorted(maps.Keys(whole.touched)))
		}
		r = n
	}
}

// navDiff describes the first difference between trees a and b, "" when
// they are the same: their nodes by URL, each with its title, weight,
// link and children in order.
func navDiff(a, b *navTree) string {
	if len(a.byURL) != len(b.byURL) {
		return fmt.Sprintf("%d nodes, want %d", len(a.byURL), len(b.byURL))
	}
	var walk func(x, y *navNode) string
	walk = func(x, y *navNode) string {
		if x.url != y.url || x.title != y.title || x.weight != y.weight || x.linked != y.linked || x.slashed != y.slashed || !maps.Equal(x.pos, y.pos) {
			return fmt.Sprintf("node %s %q (weight %d, linked %v), want %s %q (weight %d, linked %v)", x.url, x.title, x.weight, x.linked, y.url, y.title, y.weight, y.linked)
		}
		if a.byURL[x.url] != x {
			return fmt.Sprintf("%s is not the tree's node by its URL", x.url)
		}
		if len(x.children) != len(y.children) {
			return fmt.Sprintf("%s: %d children, want %d", x.url, len(x.children), len(y.children))
		}
		for i := range x.children {
			if d := walk(x.children[i], y.children[i]); d != "" {
				return d
			}
		}
		return ""
	}
	return walk(a.root, b.root)
}
