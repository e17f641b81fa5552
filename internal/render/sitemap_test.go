package render

import (
	"context"
	"encoding/xml"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/handbook-dev/handbook/internal/site"
)

// sitemapDoc is what a sitemap or a sitemap index holds.
type sitemapDoc struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"url"`
	Sitemaps []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
	} `xml:"sitemap"`
}

func parseSitemap(t *testing.T, name, data string) sitemapDoc {
	t.Helper()
	var d sitemapDoc
	if err := xml.Unmarshal([]byte(data), &d); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d
}

// sitemapSite is a site of n runbooks, each reviewed on another day.
func sitemapSite(n int) *txtar.Archive {
	a := &txtar.Archive{}
	for i := range n {
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i*7%300)
		a.Files = append(a.Files, txtar.File{
			Name: fmt.Sprintf("runbooks/svc-%d/rb-%03d.md", i%3, i),
			Data: fmt.Appendf(nil, "---\ntitle: Runbook %03d & more\nowner: team-%d\nlast_reviewed: %s\n---\n## Steps\n\nRestart it.\n", i, i%2, day.Format("2006-01-02")),
		})
	}
	return a
}

func withBase(c *site.Config) { c.BaseURL = "https://example.com/hb/" }

// sitemapRenderer returns the renderer of sitemapSite(n) with the files
// more (name to text) and a base URL.
func sitemapRenderer(t *testing.T, n int, more map[string]string) *Renderer {
	t.Helper()
	dir := t.TempDir()
	for _, f := range sitemapSite(n).Files {
		writeFile(t, dir, f.Name, f.Data)
	}
	for name, text := range more {
		writeFile(t, dir, name, []byte(text))
	}
	cfg := site.DefaultConfig(dir)
	withBase(&cfg)
	return loadRenderer(t, cfg)
}

// markReviewed marks the runbook at url reviewed on day, as a preview's
// patch does: with a new parse of the page, in place; and returns it.
func markReviewed(t *testing.T, r *Renderer, url string, day time.Time) *site.Page {
	t.Helper()
	p := r.Site.PageAt(url)
	if p == nil || p.Runbook == nil {
		t.Fatalf("no runbook at %s", url)
	}
	pp, rb := *p.Page, *p.Runbook
	rb.LastReviewed = day
	pp.Runbook = &rb
	p.Page = &pp
	return p
}

// TestSitemapInParts checks a sitemap past the protocol's limits (lowered
// here): /sitemap.xml is a sitemap index naming parts, each within the
// limits, which list together the URLs the one sitemap lists, in its
// order, each part dated by its latest page. Within the limits, the
// sitemap is one file, as before.
func TestSitemapInParts(t *testing.T) {
	a := sitemapSite(60)
	whole, _ := renderArchive(t, a, withBase)
	one := parseSitemap(t, "sitemap.xml", whole["/sitemap.xml"])
	if one.XMLName.Local != "urlset" || len(one.URLs) < 60 {
		t.Fatalf("the sitemap within the limits is a %s of %d URLs", one.XMLName.Local, len(one.URLs))
	}
	if _, ok := whole["/sitemap-1.xml"]; ok {
		t.Error("a sitemap within the limits has parts")
	}
	for _, limits := range []struct{ urls, bytes int }{
		{17, 50 << 20},            // by the count of URLs
		{50_000, 3 << 10},         // by their size
		{len(one.URLs), 50 << 20}, // the count, just within: the bound counts some twice
	} {
		t.Run(fmt.Sprintf("%d URLs, %d bytes", limits.urls, limits.bytes), func(t *testing.T) {
			defer func(u, b int) { sitemapMaxURLs, sitemapMaxBytes = u, b }(sitemapMaxURLs, sitemapMaxBytes)
			sitemapMaxURLs, sitemapMaxBytes = limits.urls, limits.bytes
			out, _ := renderArchive(t, a, withBase)
			index := parseSitemap(t, "sitemap.xml", out["/sitemap.xml"])
			if index.XMLName.Local != "sitemapindex" || len(index.Sitemaps) < 2 {
				t.Fatalf("the sitemap is a %s of %d sitemaps, want an index of parts", index.XMLName.Local, len(index.Sitemaps))
			}
			if !strings.HasPrefix(out["/sitemap.xml"], xml.Header+`<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`) {
				t.Errorf("the index's head:\n%.200s", out["/sitemap.xml"])
			}
			var all []string
			for i, sm := range index.Sitemaps {
				path := fmt.Sprintf("/sitemap-%d.xml", i+1)
				if sm.Loc != "https://example.com/hb"+path {
					t.Errorf("part %d is at %s", i+1, sm.Loc)
				}
				data, ok := out[path]
				if !ok {
					t.Fatalf("no %s", path)
				}
				if len(data) > sitemapMaxBytes {
					t.Errorf("%s: %d bytes, past %d", path, len(data), sitemapMaxBytes)
				}
				part := parseSitemap(t, path, data)
				if part.XMLName.Local != "urlset" || len(part.URLs) == 0 || len(part.URLs) > sitemapMaxURLs {
					t.Errorf("%s: a %s of %d URLs (at most %d)", path, part.XMLName.Local, len(part.URLs), sitemapMaxURLs)
				}
				latest := ""
				for _, u := range part.URLs {
					all = append(all, u.Loc+" "+u.LastMod)
					latest = max(latest, u.LastMod)
				}
				if sm.LastMod != latest {
					t.Errorf("%s is dated %q in the index, its latest page %q", path, sm.LastMod, latest)
				}
			}
			var want []string
			for _, u := range one.URLs {
				want = append(want, u.Loc+" "+u.LastMod)
			}
			if !slices.Equal(all, want) {
				t.Errorf("the parts list %d URLs, the one sitemap %d; first difference at %d", len(all), len(want), firstDiffAt(all, want))
			}
			if _, ok := out[fmt.Sprintf("/sitemap-%d.xml", len(index.Sitemaps)+1)]; ok {
				t.Error("a part the index does not name")
			}
		})
	}
}

func firstDiffAt(a, b []string) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// TestFingerprintsFollowSitemapParts is TestFingerprintsFollowChanges
// with the sitemap in parts: after every kind of edit, each part and the
// index whose bytes change have new fingerprints.
func TestFingerprintsFollowSitemapParts(t *testing.T) {
	defer func(u int) { sitemapMaxURLs = u }(sitemapMaxURLs)
	sitemapMaxURLs = 40
	states := fpStates(t, nil)
	for _, st := range states {
		if !strings.Contains(st.files["/sitemap.xml"], "<sitemapindex") || st.files["/sitemap-2.xml"] == "" {
			t.Fatalf("%s: the sitemap is not in parts", st.name)
		}
	}
	if bad := violations(t, states); len(bad) > 0 {
		t.Errorf("%d files changed with the same fingerprint, such as:\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
}

// TestSitemapPartsFollowDatesInPlace checks that a renderer whose pages'
// dates change in place (a preview taking a runbook marked reviewed)
// gives the parts and the index the new dates: the order of the URLs is
// the plan's, their dates are read as each file is made.
func TestSitemapPartsFollowDatesInPlace(t *testing.T) {
	defer func(u int) { sitemapMaxURLs = u }(sitemapMaxURLs)
	sitemapMaxURLs = 17
	r := sitemapRenderer(t, 60, nil)
	renderFiles(t, r) // the order is made here, with the dates of then
	p := r.Site.PageAt("/runbooks/svc-1/rb-031/")
	if p == nil || p.Runbook == nil {
		t.Fatal("no runbook 31")
	}
	p.Runbook.LastReviewed = time.Date(2030, 5, 6, 0, 0, 0, 0, time.UTC)
	out := renderFiles(t, r)
	loc := "<loc>https://example.com/hb/runbooks/svc-1/rb-031/</loc><lastmod>2030-05-06</lastmod>"
	part := 0
	for i := 1; out[fmt.Sprintf("/sitemap-%d.xml", i)] != nil; i++ {
		if strings.Contains(string(out[fmt.Sprintf("/sitemap-%d.xml", i)]), loc) {
			part = i
		}
	}
	if part == 0 {
		t.Fatalf("no part lists %s", loc)
	}
	if want := fmt.Sprintf("<loc>https://example.com/hb/sitemap-%d.xml</loc><lastmod>2030-05-06</lastmod>", part); !strings.Contains(string(out["/sitemap.xml"]), want) {
		t.Errorf("the index has no %s:\n%s", want, out["/sitemap.xml"])
	}
	if n := strings.Count(string(out["/sitemap.xml"]), "2030-05-06"); n != 1 {
		t.Errorf("the index gives the new date to %d parts, want 1", n)
	}
}

// TestSitemapPartsCarried: after a runbook is marked reviewed in place
// (Refingerprints), the part listing it and the index get new
// fingerprints, made again, and the other parts' sums are carried from
// the last call.
func TestSitemapPartsCarried(t *testing.T) {
	defer func(u int) { sitemapMaxURLs = u }(sitemapMaxURLs)
	sitemapMaxURLs = 17
	// A page in the last part naming the runbook: its deep sum changes
	// with the runbook, its own fields and date do not.
	r := sitemapRenderer(t, 60, map[string]string{"content/zz-notes.md": "---\ntitle: Notes\ndate: 2026-02-01\n---\nSee [runbook 31](../runbooks/svc-1/rb-031.md).\n"})
	renderFiles(t, r) // planned, as a preview's renderer is
	cache := NewFingerprintCache()
	ctx := context.Background()
	before, err := r.Fingerprints(ctx, cache)
	if err != nil {
		t.Fatal(err)
	}
	p := markReviewed(t, r, "/runbooks/svc-1/rb-031/", time.Date(2030, 5, 6, 0, 0, 0, 0, time.UTC))
	// The parts' sums the last call left, marked: a part carried has its
	// sum plus one, a part made again its own.
	for k, e := range cache.last.sitemaps {
		e.sum++
		cache.last.sitemaps[k] = e
	}
	after, err := r.Refingerprints(ctx, cache, []*site.Page{p})
	if err != nil {
		t.Fatal(err)
	}
	out := renderFiles(t, r)
	loc := "<loc>https://example.com/hb/runbooks/svc-1/rb-031/</loc>"
	parts := 0
	for i := 1; out[fmt.Sprintf("/sitemap-%d.xml", i)] != nil; i++ {
		path := fmt.Sprintf("/sitemap-%d.xml", i)
		parts++
		lists := strings.Contains(string(out[path]), loc)
		if carried := after[path].Sum == before[path].Sum+1; carried == lists {
			t.Errorf("%s: carried %v, and it lists the runbook: %v", path, carried, lists)
		}
		if lists && after[path].Sum == before[path].Sum {
			t.Errorf("%s lists the runbook marked reviewed, and kept its fingerprint", path)
		}
	}
	if parts < 3 {
		t.Fatalf("%d parts", parts)
	}
	if last := string(out[fmt.Sprintf("/sitemap-%d.xml", parts)]); !strings.Contains(last, "/zz-notes/") || strings.Contains(last, loc) {
		t.Fatalf("the last part does not list the notes alone of the two:\n%s", last)
	}
	if before["/sitemap.xml"].Sum == after["/sitemap.xml"].Sum {
		t.Error("the index kept its fingerprint")
	}
	if n := len(cache.last.sitemaps); n != parts {
		t.Errorf("%d parts left for the next call, want %d", n, parts)
	}

}
