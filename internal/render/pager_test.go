package render

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/site"
)

func TestPagerLinks(t *testing.T) {
	for _, c := range []struct {
		n, rows int
		want    string
	}{
		{1, 2 * PageSize, "[1] 2"},
		{2, 2*PageSize + 1, "1 [2] 3"},
		{1, 10 * PageSize, "[1] 2 3 … 10"},
		{5, 10 * PageSize, "1 2 3 4 [5] 6 7 … 10"},
		{6, 10 * PageSize, "1 … 4 5 [6] 7 8 9 10"},
		{50, 150 * PageSize, "1 … 48 49 [50] 51 52 … 150"},
		{150, 150 * PageSize, "1 … 148 149 [150]"},
	} {
		r := &Renderer{info: &SiteInfo{BasePath: "/hb/"}}
		pg := r.pager("/tags/x/", c.n, c.rows)
		var got []string
		for _, l := range pg.Links {
			switch {
			case l.Number == 0:
				got = append(got, "…")
			case l.Current:
				got = append(got, fmt.Sprintf("[%d]", l.Number))
			default:
				got = append(got, fmt.Sprint(l.Number))
			}
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("page %d of %d rows: links %s, want %s", c.n, c.rows, s, c.want)
		}
		if c.n > 1 && (pg.Prev == nil || pg.Prev.Number != c.n-1) || c.n == 1 && pg.Prev != nil {
			t.Errorf("page %d of %d rows: prev %+v", c.n, c.rows, pg.Prev)
		}
		if c.n < pg.Pages && (pg.Next == nil || pg.Next.Number != c.n+1) || c.n == pg.Pages && pg.Next != nil {
			t.Errorf("page %d of %d rows: next %+v", c.n, c.rows, pg.Next)
		}
	}
	r := &Renderer{info: &SiteInfo{BasePath: "/hb/"}}
	if pg := r.pager("/tags/x/", 1, PageSize); pg != nil {
		t.Errorf("a list of PageSize rows is split: %+v", pg)
	}
	pg := r.pager("/tags/x/", 2, 30000)
	if pg.Showing != "Showing 201–400 of 30,000" || pg.Prev.Href != "/hb/tags/x/" || pg.Next.Href != "/hb/tags/x/page/3/" {
		t.Errorf("page 2 of 30,000 rows: %q, prev %s, next %s", pg.Showing, pg.Prev.Href, pg.Next.Href)
	}
}

// pagedSite is a site whose runbooks (in three services), the tag they
// share, their owner, the ADRs and a folder of notes each have more rows
// than a page holds; a second tag has a few.
func pagedSite(t *testing.T) map[string]string {
	t.Helper()
	a := &txtar.Archive{}
	add := func(name, data string) { a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(data)}) }
	for i := range 450 {
		svc := "svc-a"
		switch {
		case i >= 400:
			svc = "svc-c"
		case i >= 150:
			svc = "svc-b"
		}
		tags := "[ops]"
		if i < 3 {
			tags = "[ops, small]"
		}
		add(fmt.Sprintf("runbooks/%s/rb-%03d.md", svc, i), fmt.Sprintf("---\ntitle: Runbook %03d\nservice: %s\nowner: sre\nlast_reviewed: 2026-10-01\ntags: %s\n---\n## Overview\n\nText.\n", i, svc, tags))
	}
	for i := range PageSize + 1 {
		add(fmt.Sprintf("content/adr/%04d-decision.md", i+1), fmt.Sprintf("---\ntitle: Decision %04d\nstatus: accepted\ndate: 2026-01-%02d\n---\n## Context\n\nWhy.\n", i+1, i%28+1))
	}
	for i := range PageSize + 3 {
		add(fmt.Sprintf("content/evaluations/tool-%03d.md", i), fmt.Sprintf("---\ntitle: Tool %03d\nring: trial\nquadrant: tools\ndate: %s\n---\nWhy.\n", i, evaluated(i)))
	}
	for i := range PageSize + 5 {
		add(fmt.Sprintf("content/notes/note-%03d.md", i), fmt.Sprintf("---\ntitle: Note %03d\n---\nA note.\n", i))
	}
	for i := range PageSize + 7 {
		add(fmt.Sprintf("content/postmortems/pm-%03d.md", i), fmt.Sprintf("---\ntitle: Outage %03d\ndate: 2025-%02d-%02d\nseverity: SEV%d\n---\n## Summary\n\nText.\n", i, i%12+1, i%28+1, i%3+1))
	}
	out, _ := renderArchive(t, a, func(c *site.Config) { c.BaseURL = "https://example.com/hb/" })
	return out
}

// evaluated is the date of the pagedSite's tool i: in 2024 for three of
// them, in 2025 for the others.
func evaluated(i int) string {
	if i == 7 || i == 50 || i == 120 {
		return fmt.Sprintf("2024-06-%02d", i%28+1)
	}
	return fmt.Sprintf("2025-%02d-01", i%12+1)
}

var (
	rowLink  = regexp.MustCompile(`(?:<li><span class="kind-label">[^<]*</span> |<tr>(?:<td class="num">[^<]*</td>|<td>[^<]*</td>)?<td>)<a href="([^"]+)">`)
	relLink  = regexp.MustCompile(`<a class="pager-(?:prev|next)" rel="(prev|next)" href="([^"]+)">`)
	current  = regexp.MustCompile(`<a href="([^"]+)" aria-current="page" aria-label="Page (\d+)">`)
	headings = regexp.MustCompile(`<h2>(svc-[a-c])( <span class="continued">\(continued\)</span>)?</h2>`)
)

// TestPagination renders lists longer than a page and checks that each is
// cut into pages that together show every row once, linked to each other,
// with the figures on the first page only; and that a short list is not
// cut.
func TestPagination(t *testing.T) {
	out := pagedSite(t)
	lists := []struct {
		url  string
		rows []int // rows on each page
	}{
		{"/tags/ops/", []int{200, 200, 50}},
		{"/runbooks/", []int{200, 200, 50}},
		{"/adr/", []int{200, 1}},
		{"/evaluations/", []int{200, 3}},
		{"/postmortems/", []int{200, 7}},
		{"/owners/sre/", []int{200, 200, 50}},
		{"/services/svc-b/", []int{200, 50}},
		{"/notes/", []int{200, 5}},
		{"/runbooks/svc-b/", []int{200, 50}},
	}
	for _, l := range lists {
		seen := map[string]int{}
		total := 0
		for _, n := range l.rows {
			total += n
		}
		for i, want := range l.rows {
			n := i + 1
			u := pageURL(l.url, n)
			html, ok := out[u+"index.html"]
			if !ok {
				t.Errorf("no page %s", u)
				continue
			}
			main := html[strings.Index(html, "<main"):]
			rows := rowLink.FindAllStringSubmatch(main, -1)
			if len(rows) != want {
				t.Errorf("%s: %d rows, want %d", u, len(rows), want)
			}
			for _, m := range rows {
				seen[m[1]]++
			}
			// Prev and next.
			rels := map[string]string{}
			for _, m := range relLink.FindAllStringSubmatch(html, -1) {
				rels[m[1]] = m[2]
			}
			wantRels := map[string]string{}
			if n > 1 {
				wantRels["prev"] = "/hb" + pageURL(l.url, n-1)
			}
			if n < len(l.rows) {
				wantRels["next"] = "/hb" + pageURL(l.url, n+1)
			}
			if fmt.Sprint(rels) != fmt.Sprint(wantRels) {
				t.Errorf("%s: prev and next %v, want %v", u, rels, wantRels)
			}
			if m := current.FindStringSubmatch(html); m == nil || m[1] != "/hb"+u || m[2] != fmt.Sprint(n) {
				t.Errorf("%s: current page marked %v", u, m)
			}
			if !strings.Contains(html, `<nav class="pager" aria-label="Pagination">`) {
				t.Errorf("%s: no pagination navigation", u)
			}
			first := (n-1)*PageSize + 1
			if s := fmt.Sprintf("Showing %d–%d of %d", first, first+want-1, total); !strings.Contains(html, s) {
				t.Errorf("%s: no %q", u, s)
			}
			if s := `<link rel="canonical" href="https://example.com/hb` + u + `">`; !strings.Contains(html, s) {
				t.Errorf("%s: no %s", u, s)
			}
			if n > 1 && !strings.Contains(html, fmt.Sprintf("(page %d of %d) · ", n, len(l.rows))) {
				t.Errorf("%s: the title does not say which page it is", u)
			}
		}
		if _, ok := out[pageURL(l.url, len(l.rows)+1)+"index.html"]; ok {
			t.Errorf("%s: a page after the last", l.url)
		}
		if len(seen) != total {
			t.Errorf("%s: %d rows over its pages, want %d", l.url, len(seen), total)
		}
		for u, k := range seen {
			if k != 1 {
				t.Errorf("%s: %s shown %d times", l.url, u, k)
			}
		}
	}

	// The ADR graph is drawn once, on the first page, of the PageSize
	// decisions made last: the first decision, of the earliest date, is
	// left out, and the caption says so. The radar, likewise, draws the
	// PageSize evaluations made last.
	adrs := out["/adr/index.html"]
	if k := strings.Count(adrs, `<figure class="picture adr-graph">`); k != 1 {
		t.Errorf("the ADR log's first page has %d graphs, want 1", k)
	}
	graph := adrs[strings.Index(adrs, `<figure class="picture adr-graph">`):]
	graph = graph[:strings.Index(graph, "</figure>")]
	if k := strings.Count(graph, `class="hb-node `); k != PageSize || strings.Contains(graph, `/adr/0001-decision/`) || !strings.Contains(graph, `/adr/0201-decision/`) {
		t.Errorf("the ADR graph draws %d decisions, want the %d made last", k, PageSize)
	}
	if s := fmt.Sprintf("The %d decisions made last, of %d, by date and status", PageSize, PageSize+1); !strings.Contains(graph, s) {
		t.Errorf("the ADR graph's caption does not say %q", s)
	}
	radar := out["/evaluations/index.html"]
	radar = radar[strings.Index(radar, `<figure class="picture radar">`):]
	radar = radar[:strings.Index(radar, "</figure>")]
	// Tools 007, 050 and 120 are of 2024, before the others.
	for _, left := range []string{"007", "050", "120"} {
		if strings.Contains(radar, "/evaluations/tool-"+left+"/") {
			t.Errorf("the radar draws tool %s, evaluated first", left)
		}
	}
	if s := fmt.Sprintf("The tech radar of the %d evaluations made last, of %d", PageSize, PageSize+3); !strings.Contains(radar, s) || !strings.Contains(radar, "/evaluations/tool-045/") {
		t.Errorf("the radar's caption does not say %q, or it leaves out tool 045", s)
	}
	if strings.Contains(out["/adr/page/2/index.html"], "<figure") {
		t.Errorf("the ADR log's second page has a figure")
	}

	// The incidents' times are drawn for the rows of the first page only;
	// the incidents per month, of every postmortem.
	pm := out["/postmortems/index.html"]
	if k := strings.Count(pm, `<rect class="row"`); k != PageSize {
		t.Errorf("the postmortems' first page draws the times of %d incidents, want %d", k, PageSize)
	}
	if s := fmt.Sprintf("of the %d incidents on this page. The table below gives the same figures. The table runs over 2 pages.", PageSize); !strings.Contains(pm, s) {
		t.Errorf("the times' caption does not say %q", s)
	}
	if !strings.Contains(pm, `<figure class="picture incidents-per-month">`) || strings.Contains(out["/postmortems/page/2/index.html"], "<figure") {
		t.Errorf("the incidents per month are not on the first page alone")
	}

	// Runbooks are grouped by service; a group cut by a page goes on
	// under its heading, marked continued.
	for u, want := range map[string]string{
		"/runbooks/":        "svc-a svc-b",
		"/runbooks/page/2/": "svc-b (continued)",
		"/runbooks/page/3/": "svc-c",
	} {
		var got []string
		for _, m := range headings.FindAllStringSubmatch(out[u+"index.html"], -1) {
			if m[2] != "" {
				m[1] += " (continued)"
			}
			got = append(got, m[1])
		}
		if s := strings.Join(got, " "); s != want {
			t.Errorf("%s: groups %q, want %q", u, s, want)
		}
	}
	// A service's page says how many of each kind it has in all.
	if !strings.Contains(out["/services/svc-b/page/2/index.html"], `<h2>Runbooks <span class="continued">(continued)</span> <span class="count">250</span></h2>`) {
		t.Errorf("the second page of a service does not continue its runbooks")
	}

	// The sitemap lists every page; the sidebar's links go to the lists'
	// first pages.
	for _, l := range lists {
		for n := range l.rows {
			if loc := "<loc>https://example.com/hb" + pageURL(l.url, n+1) + "</loc>"; !strings.Contains(out["/sitemap.xml"], loc) {
				t.Errorf("the sitemap has no %s", loc)
			}
		}
	}
	if strings.Contains(out["/notes/note-000/index.html"], `/page/`) {
		t.Errorf("a page of the handbook links to a later page of a list")
	}

	// A list within a page is left as it was.
	small := out["/tags/small/index.html"]
	if rows := rowLink.FindAllString(small, -1); len(rows) != 3 {
		t.Errorf("the small tag shows %d rows, want 3", len(rows))
	}
	for _, s := range []string{"pager", "Showing", "/page/"} {
		if strings.Contains(small, s) {
			t.Errorf("the small tag's page has %q", s)
		}
	}
	var extra []string
	for p := range out {
		if strings.Contains(p, "/page/") && !slices.ContainsFunc(lists, func(l struct {
			url  string
			rows []int
		}) bool {
			return strings.HasPrefix(p, l.url+"page/")
		}) {
			extra = append(extra, p)
		}
	}
	if len(extra) > 0 {
		t.Errorf("lists split that fit on a page: %v", extra)
	}
}
