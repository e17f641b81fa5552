package render

import (
	"context"
	"fmt"
	"html"
	"html/template"
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
