package searcheval

import (
	"math"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/manifest"
)

// near reports whether two measures are equal but for rounding.
func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func page(p string) []Target { return []Target{{Page: p}} }

func TestScore(t *testing.T) {
	cases := []Case{
		{Query: Query{Type: "title", Text: "first", Line: 1}, Targets: page("/a/")},
		{Query: Query{Type: "title", Text: "third", Line: 2}, Targets: page("/b/")},
		{Query: Query{Type: "typo", Text: "missed", Line: 3}, Targets: page("/c/")},
		{Query: Query{Type: "typo", Text: "eleventh", Line: 4}, Targets: page("/d/")},
		{Query: Query{Type: "typo", Text: "second of two", Line: 5}, Targets: []Target{{Page: "/x/"}, {Page: "/e/"}}},
	}
	eleven := []string{"/1/", "/2/", "/3/", "/4/", "/5/", "/6/", "/7/", "/8/", "/9/", "/10/", "/d/"}
	results := [][]string{
		{"/a/", "/b/"},
		{"/x/", "/y/", "/b/", "/b/"},
		{"/x/", "/y/"},
		eleven,
		{"/y/", "/e/", "/x/"},
	}
	r := Score("handbook", cases, results)
	want := map[string]Measure{
		"title":   {Type: "title", N: 2, MRR: (1 + 1.0/3) / 2, S1: 0.5},
		"typo":    {Type: "typo", N: 3, MRR: (0 + 0 + 0.5) / 3, S1: 0},
		"overall": {Type: "overall", N: 5, MRR: (1 + 1.0/3 + 0.5) / 5, S1: 0.2},
	}
	for typ, w := range want {
		got, ok := r.Of(typ)
		if !ok {
			t.Errorf("no measure for %s", typ)
			continue
		}
		if got.N != w.N || !near(got.MRR, w.MRR) || !near(got.S1, w.S1) {
			t.Errorf("%s: got n %d MRR %.4f S@1 %.4f, want n %d MRR %.4f S@1 %.4f", typ, got.N, got.MRR, got.S1, w.N, w.MRR, w.S1)
		}
	}
	if _, ok := r.Of("prefix"); ok {
		t.Errorf("a measure for prefix, which has no query")
	}
	if len(r.Types) != 2 || r.Types[0].Type != "title" || r.Types[1].Type != "typo" {
		t.Errorf("types %+v, want title then typo", r.Types)
	}
	var misses []string
	for _, m := range r.Misses {
		misses = append(misses, m.Text+"@"+string(rune('0'+m.Rank))+" "+m.First)
	}
	if got, want := strings.Join(misses, ", "), "third@3 /x/, missed@0 /x/, eleventh@0 /1/, second of two@2 /y/"; got != want {
		t.Errorf("misses %s, want %s", got, want)
	}
}

// TestScoreURLs checks that a result's fragment, query string, final
// index.html and host are not part of the page it names, and that no
// result at all is a miss.
func TestScoreURLs(t *testing.T) {
	for _, u := range []string{
		"/a/b/", "/a/b/#section", "/a/b/index.html", "/a/b/index.html#x", "/a/b/?q=1",
		"http://127.0.0.1:8080/a/b/", "http://127.0.0.1:8080/a/b/index.html?q=x#y", "a/b/",
	} {
		r := Score("e", []Case{{Query: Query{Type: "title", Text: u}, Targets: page("/a/b/")}}, [][]string{{u}})
		if r.Overall.S1 != 1 {
			t.Errorf("%s: not a result on /a/b/", u)
		}
	}
	for _, u := range []string{"/a/", "/a/b/c/", "/a/bc/"} {
		r := Score("e", []Case{{Query: Query{Type: "title", Text: u}, Targets: page("/a/b/")}}, [][]string{{u}})
		if r.Overall.MRR != 0 {
			t.Errorf("%s: counted as a result on /a/b/", u)
		}
	}
	r := Score("e", []Case{{Query: Query{Type: "title", Text: "q"}, Targets: page("/a/")}}, [][]string{nil})
	if r.Overall.N != 1 || r.Overall.MRR != 0 || len(r.Misses) != 1 || r.Misses[0].First != "" {
		t.Errorf("no result: got %+v", r)
	}
}

// TestScoreSections checks the share of queries whose first wanted
// result links to the wanted section, counted where that result's page is
// wanted for a section only.
func TestScoreSections(t *testing.T) {
	sec := []Target{{Page: "/p/", Section: "fix"}}
	cases := []Case{
		{Query: Query{Type: "error", Text: "right section"}, Targets: sec},
		{Query: Query{Type: "error", Text: "other section"}, Targets: sec},
		{Query: Query{Type: "error", Text: "top of page"}, Targets: sec},
		{Query: Query{Type: "error", Text: "right section, second result on the page"}, Targets: sec},
		{Query: Query{Type: "error", Text: "right section, not found"}, Targets: sec},
		{Query: Query{Type: "error", Text: "no section wanted"}, Targets: page("/p/")},
		{Query: Query{Type: "error", Text: "one of two pages"}, Targets: []Target{{Page: "/q/"}, {Page: "/p/", Section: "fix"}}},
		{Query: Query{Type: "error", Text: "the page wanted whole"}, Targets: []Target{{Page: "/q/"}, {Page: "/p/", Section: "fix"}}},
		{Query: Query{Type: "error", Text: "the page wanted whole and at a section"}, Targets: []Target{{Page: "/p/"}, {Page: "/p/", Section: "fix"}}},
	}
	results := [][]string{
		{"/p/#fix"},
		{"/p/#cause", "/p/#fix"},
		{"/p/"},
		{"/p/#cause", "/p/#fix"},
		{"/other/#fix"},
		{"/p/#fix"},
		{"/x/", "/p/index.html#fix"},
		{"/q/#other", "/p/#fix"},
		{"/p/#other"},
	}
	r := Score("e", cases, results)
	if r.Overall.Sections != 5 || r.Overall.SectionHits != 2 {
		t.Errorf("sections: %d of %d link to the wanted section, want 2 of 5", r.Overall.SectionHits, r.Overall.Sections)
	}
	if !strings.Contains(r.Table(), "it links to that section: e's 2 of 5 (40%).") {
		t.Errorf("table without the section share:\n%s", r.Table())
	}
}

func TestTable(t *testing.T) {
	cases := []Case{
		{Query: Query{Type: "title", Text: "a"}, Targets: page("/a/")},
		{Query: Query{Type: "facet", Text: "kind:runbook b"}, Targets: page("/b/")},
	}
	hb := Score("handbook", cases, [][]string{{"/a/"}, {"/x/", "/b/"}})
	pf := Score("Pagefind", cases, [][]string{{"/x/", "/a/"}, {"/b/"}})
	want := `| query type | n | handbook MRR@10 | handbook S@1 | Pagefind MRR@10 | Pagefind S@1 |
| --- | ---: | ---: | ---: | ---: | ---: |
| exact title | 1 | 1.000 | 1.000 | 0.500 | 0.000 |
| with a facet (kind:, tag:…) | 1 | 0.500 | 0.000 | 1.000 | 1.000 |
| **overall** | 2 | 0.750 | 0.500 | 0.750 | 0.500 |
`
	if got := hb.Table(pf); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
	alone := hb.Table()
	if !strings.HasPrefix(alone, "| query type | n | handbook MRR@10 | handbook S@1 |\n| --- | ---: | ---: | ---: |\n") || strings.Contains(alone, "Pagefind") {
		t.Errorf("handbook alone:\n%s", alone)
	}
}

func TestCases(t *testing.T) {
	s := &Site{pages: map[string]manifest.Page{
		"runbooks/Down.md": {URL: "/runbooks/down/", Path: "runbooks/Down.md", IDs: []string{"mitigation"}},
		"adr/0001 x.md":    {URL: "/adr/0001-x/", Path: "adr/0001 x.md"},
	}}
	qs := []Query{
		{Type: "alert", Text: "Down", Want: []string{"runbooks/Down.md#mitigation", "adr/0001 x.md"}, Line: 2},
		{Type: "title", Text: "gone", Want: []string{"runbooks/Gone.md"}, Line: 3},
		{Type: "title", Text: "no such section", Want: []string{"runbooks/Down.md#nope"}, Line: 4},
	}
	cases, err := s.Cases(qs)
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), "#nope") {
		t.Errorf("error %v, want lines 3 and 4 named", err)
	}
	if len(cases) != 1 {
		t.Fatalf("%d cases, want the one that resolves", len(cases))
	}
	want := []Target{{Page: "/runbooks/down/", Section: "mitigation"}, {Page: "/adr/0001-x/"}}
	if got := cases[0].Targets; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("targets %+v, want %+v", got, want)
	}
}

func TestWithoutFacets(t *testing.T) {
	for q, want := range map[string]string{
		"kind:runbook crashloop":       "crashloop",
		"crashloop kind:runbook":       "crashloop",
		"-tag:old disk full ":          "disk full ",
		"Status:accepted service:x":    "",
		"error: connection refused":    "error: connection refused",
		"pg_stat_activity":             "pg_stat_activity",
		"kind:postmortem log4j tag:se": "log4j",
	} {
		if got := WithoutFacets(q); got != want {
			t.Errorf("WithoutFacets(%q) = %q, want %q", q, got, want)
		}
	}
}
