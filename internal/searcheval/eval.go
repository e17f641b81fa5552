package searcheval

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/manifest"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// Cutoff is how many results a query's measures look at: a wanted page
// ranked below it counts as not found.
const Cutoff = 10

// Site is the judged site, built: its source (the corpus folders) and its
// output, and where each source file's page is.
type Site struct {
	// Src is the site folder, Out the built site.
	Src, Out string
	// pages are the built pages by source path (slash-separated, relative
	// to Src, which is relative to the corpus).
	pages map[string]manifest.Page
}

// Build assembles the judged site from the corpus at corpus into dir/src
// and builds it with handbook's default theme into dir/out, on the fixed
// date sitegen.Today so that a rebuild gives the same site. Content
// findings do not stop it; only a site that cannot be built does.
func Build(ctx context.Context, corpus, dir string) (*Site, error) {
	src, out := filepath.Join(dir, "src"), filepath.Join(dir, "out")
	if err := os.RemoveAll(src); err != nil {
		return nil, err
	}
	if err := Assemble(corpus, src); err != nil {
		return nil, fmt.Errorf("assemble the judged site: %w", err)
	}
	cfg := site.DefaultConfig(src)
	cfg.Now = sitegen.Today
	if _, err := build.Run(ctx, build.Options{Site: cfg, Out: out}); err != nil {
		return nil, fmt.Errorf("build the judged site: %w", err)
	}
	return Open(ctx, src, out)
}

// Open returns the judged site built from src into out, reading the
// pages from out's manifest.json.
func Open(ctx context.Context, src, out string) (*Site, error) {
	m, err := manifest.Read(ctx, filepath.Join(out, manifest.File))
	if err != nil {
		return nil, err
	}
	s := &Site{Src: src, Out: out, pages: map[string]manifest.Page{}}
	for _, p := range m.Pages {
		s.pages[p.Path] = p
	}
	return s, nil
}

// Serve serves the built site on 127.0.0.1; close the server when done.
func (s *Site) Serve() *httptest.Server {
	return httptest.NewServer(http.FileServer(http.Dir(s.Out)))
}

// Target is a wanted page of a query on the built site.
type Target struct {
	// Page is the page's URL path ("/runbooks-prometheus-operator/…/").
	Page string
	// Section is the id of the section that answers, "" for the page.
	Section string
}

// Case is a judged query with its wanted pages found on the built site.
type Case struct {
	Query
	Targets []Target
}

// Cases finds the wanted pages of qs on the site. A wanted page the site
// does not have, or a section the page does not have, is a mistake in the
// judged set: the error lists every one, by line, and the cases returned
// are those whose wanted pages were all found.
func (s *Site) Cases(qs []Query) ([]Case, error) {
	var cases []Case
	var problems []string
	for _, q := range qs {
		c := Case{Query: q}
		ok := true
		for _, w := range q.Want {
			file, id, _ := strings.Cut(w, "#")
			p, found := s.pages[file]
			switch {
			case !found:
				problems = append(problems, fmt.Sprintf("line %d: %q: no page is built from %s", q.Line, q.Text, file))
				ok = false
			case p.Draft:
				problems = append(problems, fmt.Sprintf("line %d: %q: %s is a draft, which is not published", q.Line, q.Text, file))
				ok = false
			case id != "" && !slices.Contains(p.IDs, id):
				problems = append(problems, fmt.Sprintf("line %d: %q: %s has no section #%s", q.Line, q.Text, file, id))
				ok = false
			default:
				c.Targets = append(c.Targets, Target{Page: PagePath(p.URL), Section: id})
			}
		}
		if ok {
			cases = append(cases, c)
		}
	}
	if len(problems) > 0 {
		return cases, fmt.Errorf("%d wanted pages not on the judged site:\n\t%s", len(problems), strings.Join(problems, "\n\t"))
	}
	return cases, nil
}

// PagePath returns the page a result URL links to: its path, without
// query string, fragment or a final index.html, decoded. Absolute URLs
// and paths alike give the path.
func PagePath(u string) string {
	p, _ := splitURL(u)
	return p
}

// splitURL returns the page path (as PagePath) and the fragment of u.
func splitURL(u string) (page, fragment string) {
	x, err := url.Parse(u)
	if err != nil {
		page, fragment, _ = strings.Cut(u, "#")
		page, _, _ = strings.Cut(page, "?")
	} else {
		page, fragment = x.Path, x.Fragment
	}
	page = strings.TrimSuffix(page, "index.html")
	if !strings.HasPrefix(page, "/") {
		page = "/" + page
	}
	return page, fragment
}

// Ranker runs a query on a search engine and returns the URLs of its
// first results (at most Cutoff are looked at), best first, each maybe
// with a #fragment naming a section.
type Ranker func(ctx context.Context, query string) ([]string, error)

// Rank runs every case's query through rank, one after the other, and
// returns the results in the order of cases.
func Rank(ctx context.Context, cases []Case, rank Ranker) ([][]string, error) {
	results := make([][]string, len(cases))
	for i, c := range cases {
		r, err := rank(ctx, c.Text)
		if err != nil {
			return nil, fmt.Errorf("line %d: query %q: %w", c.Line, c.Text, err)
		}
		results[i] = r
	}
	return results, nil
}

// Measure is how well an engine did on a set of queries.
type Measure struct {
	// Type is the query type, or "overall".
	Type string
	// N counts the queries.
	N int
	// MRR is the mean reciprocal rank of the first wanted page among the
	// first Cutoff results (0 for a query with none there): MRR@10.
	MRR float64
	// S1 is the share of queries whose first result is a wanted page:
	// success@1.
	S1 float64
	// Sections counts the queries whose first result on a wanted page
	// (among the first Cutoff) is on a page wanted at a section, the one
	// that answers, rather than as a whole; SectionHits those of them
	// where that result links to such a section.
	Sections, SectionHits int
}

// Miss is a query whose first result is not a wanted page.
type Miss struct {
	Case
	// Rank is the rank of the first wanted page, 2…Cutoff, or 0 when it
	// is not among the first Cutoff results.
	Rank int
	// First is the first result, "" when there was none.
	First string
}

// Report is an engine's measures on a judged set.
type Report struct {
	// Engine names the engine, as the table's columns do.
	Engine string
	// Types are the measures by query type, in the order of Types; types
	// without queries are left out.
	Types []Measure
	// Overall is the measure over all queries.
	Overall Measure
	// Misses are the queries whose first result was not a wanted page, in
	// the order of the cases.
	Misses []Miss
}

// Score measures an engine's results on the cases: results[i] are the
// result URLs for cases[i], best first.
func Score(engine string, cases []Case, results [][]string) Report {
	r := Report{Engine: engine}
	byType := map[string]*Measure{}
	all := &Measure{Type: "overall"}
	for i, c := range cases {
		var res []string
		if i < len(results) {
			res = results[i]
		}
		rank, atSection, section := judge(c, res)
		m := byType[c.Type]
		if m == nil {
			m = &Measure{Type: c.Type}
			byType[c.Type] = m
		}
		for _, m := range []*Measure{m, all} {
			m.N++
			if rank > 0 {
				m.MRR += 1 / float64(rank)
			}
			if rank == 1 {
				m.S1++
			}
			if atSection {
				m.Sections++
				if section {
					m.SectionHits++
				}
			}
		}
		if rank != 1 {
			miss := Miss{Case: c, Rank: rank}
			if len(res) > 0 {
				miss.First = res[0]
			}
			r.Misses = append(r.Misses, miss)
		}
	}
	mean := func(m *Measure) Measure {
		if m.N > 0 {
			m.MRR /= float64(m.N)
			m.S1 /= float64(m.N)
		}
		return *m
	}
	for _, t := range Types {
		if m := byType[t]; m != nil {
			r.Types = append(r.Types, mean(m))
		}
	}
	r.Overall = mean(all)
	return r
}

// judge returns the rank (1…Cutoff) of the first result on a wanted
// page, 0 when there is none among the first Cutoff; whether the case
// wants that page at a section only (not as a whole); and if so, whether
// the result links to one of those sections.
func judge(c Case, results []string) (rank int, atSection, section bool) {
	for i, u := range results[:min(len(results), Cutoff)] {
		page, frag := splitURL(u)
		hit, whole := false, false
		for _, t := range c.Targets {
			if t.Page != page {
				continue
			}
			hit = true
			switch t.Section {
			case "":
				whole = true
			case frag:
				section = true
			}
		}
		if hit {
			if whole {
				return i + 1, false, false
			}
			return i + 1, true, section
		}
	}
	return 0, false, false
}

// Of returns the measure of a query type, or "overall".
func (r Report) Of(typ string) (Measure, bool) {
	if typ == r.Overall.Type {
		return r.Overall, true
	}
	i := slices.IndexFunc(r.Types, func(m Measure) bool { return m.Type == typ })
	if i < 0 {
		return Measure{}, false
	}
	return r.Types[i], true
}

// TypeNames say in words what each query type is, for tables.
var TypeNames = map[string]string{
	"title":      "exact title",
	"prefix":     "unfinished last word",
	"typo":       "one typo",
	"typo2":      "two typos",
	"alert":      "alert name",
	"error":      "error message",
	"identifier": "code identifier, setting",
	"question":   "question in other words",
	"facet":      "with a facet (kind:, tag:…)",
	"overall":    "**overall**",
}

// Table returns a Markdown table of the measures by query type (in the
// order of Types, then overall): the number of queries, then MRR@10 and
// success@1 of r and of each of others in turn, measured on the same
// cases. A line below it gives, for the queries whose first wanted result
// is on a page wanted for a section, how often that result links to it.
func (r Report) Table(others ...Report) string {
	all := append([]Report{r}, others...)
	var b strings.Builder
	b.WriteString("| query type | n |")
	for _, e := range all {
		fmt.Fprintf(&b, " %s MRR@10 | %s S@1 |", e.Engine, e.Engine)
	}
	b.WriteString("\n| --- | ---: |")
	for range all {
		b.WriteString(" ---: | ---: |")
	}
	b.WriteString("\n")
	for _, m := range append(slices.Clone(r.Types), r.Overall) {
		fmt.Fprintf(&b, "| %s | %d |", cmp.Or(TypeNames[m.Type], m.Type), m.N)
		for _, e := range all {
			o, ok := e.Of(m.Type)
			if !ok {
				b.WriteString(" – | – |")
				continue
			}
			fmt.Fprintf(&b, " %.3f | %.3f |", o.MRR, o.S1)
		}
		b.WriteString("\n")
	}
	var shares []string
	for _, e := range all {
		if n := e.Overall.Sections; n > 0 {
			shares = append(shares, fmt.Sprintf("%s's %d of %d (%.0f%%)", e.Engine, e.Overall.SectionHits, n, 100*float64(e.Overall.SectionHits)/float64(n)))
		}
	}
	if len(shares) > 0 {
		fmt.Fprintf(&b, "\nWhere the first wanted result is on a page wanted for one of its sections (the one that answers), it links to that section: %s.\n", strings.Join(shares, ", "))
	}
	return b.String()
}

// MissList returns the misses, one a line: the query's line, type and
// text, the rank of its first wanted page and what ranked first.
func (r Report) MissList() string {
	var b strings.Builder
	for _, m := range r.Misses {
		rank := "not in the first " + fmt.Sprint(Cutoff)
		if m.Rank > 0 {
			rank = fmt.Sprintf("rank %d", m.Rank)
		}
		first := m.First
		if first == "" {
			first = "(no result)"
		}
		var want []string
		for _, t := range m.Targets {
			w := t.Page
			if t.Section != "" {
				w += "#" + t.Section
			}
			want = append(want, w)
		}
		fmt.Fprintf(&b, "line %d %s %q: %s; first %s; want %s\n", m.Line, m.Type, m.Text, rank, first, strings.Join(want, " | "))
	}
	return b.String()
}

// queryTimeout bounds one query in the browser.
const queryTimeout = 30 * time.Second

// HandbookRanker opens the home page of the site served at base in the
// chromedp tab and returns a Ranker that runs each query there through
// the theme's own search, window.handbookSearch.query: every result,
// best first, of which the first Cutoff URLs are kept. The page stays
// open, so the index files fetched for one query serve the next, as for
// a reader who searches twice.
func HandbookRanker(tab context.Context, base string) (Ranker, error) {
	if err := open(tab, base+"/", `typeof window.handbookSearch === "object"`); err != nil {
		return nil, fmt.Errorf("handbook search: %w", err)
	}
	return func(ctx context.Context, q string) ([]string, error) {
		return evaluate(ctx, tab, `window.handbookSearch.query(`+jsString(q)+`).then(rs => rs.slice(0, `+fmt.Sprint(Cutoff)+`).map(r => r.url))`)
	}, nil
}

// PagefindRanker opens the home page of the site served at base in the
// chromedp tab, loads Pagefind's JavaScript API from /pagefind/ (the
// bundle `pagefind --site` writes into the built site) and returns a
// Ranker that runs each query through its search: the first Cutoff
// results, each the URL of its data(), with the fragment of its best
// sub-result when that is a section: the one with the most matched words,
// the first of those on a tie (Pagefind's UI, when it shows sub-results,
// picks by that count; by default it links the page alone).
//
// The built site marks no Pagefind filters, so a query's facets
// (kind:runbook, -tag:x) are left out of what Pagefind is asked.
func PagefindRanker(tab context.Context, base string) (Ranker, error) {
	const load = `(async () => {
		const pf = await import("/pagefind/pagefind.js");
		if (pf.init) await pf.init();
		window.__pagefind = pf;
		return true;
	})()`
	if err := open(tab, base+"/", load); err != nil {
		return nil, fmt.Errorf("pagefind: %w", err)
	}
	return func(ctx context.Context, q string) ([]string, error) {
		q = WithoutFacets(q)
		if strings.TrimSpace(q) == "" {
			return nil, nil
		}
		script := `(async () => {
			const r = await window.__pagefind.search(` + jsString(q) + `);
			const data = await Promise.all(r.results.slice(0, ` + fmt.Sprint(Cutoff) + `).map(x => x.data()));
			return data.map(d => {
				let best = null, most = -1;
				for (const s of d.sub_results || []) {
					const n = (s.locations || []).length;
					if (n > most) { best = s; most = n; }
				}
				const frag = best && best.url.includes("#") ? best.url.slice(best.url.indexOf("#")) : "";
				return d.url.split("#")[0] + frag;
			});
		})()`
		return evaluate(ctx, tab, script)
	}, nil
}

// WithoutFacets returns q without its facet words (kind:x, status:x,
// service:x, tag:x, each maybe negated), as search.js reads them.
func WithoutFacets(q string) string {
	var keep []string
	for _, w := range strings.Fields(q) {
		name, _, ok := strings.Cut(strings.TrimPrefix(w, "-"), ":")
		if ok && slices.Contains([]string{"kind", "status", "service", "tag"}, strings.ToLower(name)) {
			continue
		}
		keep = append(keep, w)
	}
	s := strings.Join(keep, " ")
	if strings.HasSuffix(q, " ") && s != "" {
		s += " " // a finished last word stays finished
	}
	return s
}

// open navigates the tab to u and waits until the expression, maybe a
// promise, is true.
func open(tab context.Context, u, ready string) error {
	// The first action starts the tab, which lives as long as the context
	// it is started with: the tab's own, not the timeout's below.
	if err := chromedp.Do(tab); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(u)); err != nil {
		return err
	}
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](ready, chromedp.EvalAwaitPromise))
		if err != nil {
			return err
		}
		if ok {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s: not ready: %w", u, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// evaluate runs a script giving a promise of a list of strings in the
// tab, within queryTimeout and ctx.
func evaluate(ctx, tab context.Context, script string) ([]string, error) {
	c, cancel := context.WithTimeout(tab, queryTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	res, err := chromedp.Run(c, chromedp.Evaluate[[]string](script, chromedp.EvalAwaitPromise))
	if err != nil && ctx.Err() != nil {
		return nil, errors.Join(ctx.Err(), err)
	}
	return res, err
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s) // also escapes U+2028 and U+2029
	return string(b)
}
