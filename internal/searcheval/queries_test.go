package searcheval

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/site"
)

// TestQueriesValid holds queries.tsv to the rules content/docs/search-quality.md
// states: enough queries of every type, none twice, and every wanted page
// and section present on the judged site, with the rules of each type kept
// (a title query wants every page of that title, a prefix starts the titles
// it wants, a typo is no word of the corpus, a facet wants pages of its
// kind).
func TestQueriesValid(t *testing.T) {
	qs := Queries()
	if len(qs) < 300 {
		t.Errorf("queries.tsv has %d queries, want at least 300", len(qs))
	}
	count := map[string]int{}
	seen := map[string]int{}
	for _, q := range qs {
		count[q.Type]++
		key := q.Type + "\t" + strings.ToLower(q.Text)
		if line, ok := seen[key]; ok {
			t.Errorf("queries.tsv:%d: %s query %q repeats line %d", q.Line, q.Type, q.Text, line)
		}
		seen[key] = q.Line
		if strings.TrimSpace(q.How) == "" {
			t.Errorf("queries.tsv:%d: %q does not say how it was made", q.Line, q.Text)
		}
	}
	for _, typ := range Types {
		if count[typ] < 10 {
			t.Errorf("queries.tsv has %d %s queries, want at least 10", count[typ], typ)
		}
	}

	j := loadJudged(t)
	for _, p := range j.check(qs) {
		t.Error(p)
	}

	// The check finds what it is there to find: wanted pages and sections
	// that do not exist, a title query missing a page of its title, a
	// "typo" that is a word of the corpus.
	bad := []Query{
		{Type: "identifier", Text: "x", Line: 1, Want: []string{"docs-hugo/no-such-page.md"}},
		{Type: "question", Text: "x", Line: 2, Want: []string{"runbooks-kubernetes-mixin/runbook.md#no-such-section"}},
		{Type: "title", Text: "Power Platform", Line: 3, Want: []string{"radar-isis/data/radar/2024-01-17/power-bi.md"}},
		{Type: "typo", Text: "kubernetes", Line: 4, Want: []string{"radar-isis/data/radar/2024-01-17/kubernetes.md"}},
	}
	for _, q := range bad {
		if got := j.check([]Query{q}); len(got) == 0 {
			t.Errorf("check of the broken %s query %q (wanting %s) reported nothing", q.Type, q.Text, q.Want)
		}
	}
}

// judged is the judged site loaded for checking the query set.
type judged struct {
	// pages are the site's pages by corpus-relative source path.
	pages map[string]*site.Page
	// byTitle are the source paths of the pages of each folded title.
	byTitle map[string][]string
	// vocabulary is every word of the corpus's pages, folded and sorted.
	vocabulary []string
}

// loadJudged assembles the judged site from the shared corpus into a
// temporary folder and loads it; the test is skipped without the corpus.
func loadJudged(t *testing.T) *judged {
	t.Helper()
	corpus := golden.CorpusDir(t)
	dir := t.TempDir()
	if err := Assemble(corpus, dir); err != nil {
		t.Fatal(err)
	}
	s, err := site.Load(context.Background(), site.DefaultConfig(dir))
	if err != nil {
		t.Fatal(err)
	}
	j := &judged{pages: map[string]*site.Page{}, byTitle: map[string][]string{}}
	words := map[string]bool{}
	for _, p := range s.Pages {
		j.pages[p.Path] = p
		j.byTitle[fold(p.Title)] = append(j.byTitle[fold(p.Title)], p.Path)
		b, err := os.ReadFile(p.Source)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range corpusWords(string(b)) {
			words[w] = true
		}
	}
	if len(j.pages) < 1000 {
		golden.MissingCorpus(t, "the judged site has %d pages, want the seven folders' 1,200 or more", len(j.pages))
	}
	for w := range words {
		j.vocabulary = append(j.vocabulary, w)
	}
	sort.Strings(j.vocabulary)
	return j
}

// check returns a problem for each query breaking a rule, positioned at
// its line of queries.tsv.
func (j *judged) check(qs []Query) []string {
	var problems []string
	report := func(q Query, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("queries.tsv:%d: %s %q: ", q.Line, q.Type, q.Text)+fmt.Sprintf(format, args...))
	}
	for _, q := range qs {
		var wanted []*site.Page
		for _, w := range q.Want {
			file, id, hasID := strings.Cut(w, "#")
			p, ok := j.pages[file]
			switch {
			case !ok:
				report(q, "no page is made from %s", file)
				continue
			case p.Draft:
				report(q, "%s is a draft, which is not published", file)
			case hasID && !hasHeading(p, id):
				report(q, "%s has no heading #%s", file, id)
			}
			wanted = append(wanted, p)
		}
		if len(wanted) < len(q.Want) {
			continue
		}
		switch q.Type {
		case "title":
			for _, path := range j.byTitle[fold(q.Text)] {
				if !slices.ContainsFunc(q.Want, func(w string) bool { return strings.HasPrefix(w, path) }) {
					report(q, "%s has this title too but is not wanted", path)
				}
			}
			for _, p := range wanted {
				if fold(p.Title) != fold(q.Text) {
					report(q, "wants %s, titled %q", p.Path, p.Title)
				}
			}
		case "prefix":
			for _, p := range wanted {
				if !strings.HasPrefix(fold(p.Title), fold(q.Text)) {
					report(q, "is not the start of the title %q of %s", p.Title, p.Path)
				}
			}
		case "typo", "typo2":
			if j.allKnown(q.Text) {
				report(q, "every word is a word of the corpus (or the start of one): no typo")
			}
		case "facet":
			kind, _, _ := strings.Cut(strings.TrimPrefix(q.Text, "kind:"), " ")
			if !strings.HasPrefix(q.Text, "kind:") {
				report(q, "has no kind: facet")
			}
			for _, p := range wanted {
				if string(p.Kind) != kind {
					report(q, "wants %s, of kind %s", p.Path, p.Kind)
				}
			}
		}
	}
	return problems
}

// hasHeading reports whether one of p's headings has the id.
func hasHeading(p *site.Page, id string) bool {
	return p.Doc != nil && slices.ContainsFunc(p.Doc.Headings, func(h markdown.Heading) bool { return h.ID == id })
}

// allKnown reports whether every word of a query is a word of the corpus,
// the last word also when it only starts one (being typed).
func (j *judged) allKnown(query string) bool {
	fields := strings.Fields(strings.ToLower(query))
	for i, f := range fields {
		last := i == len(fields)-1
		for _, w := range corpusWords(f) {
			k := sort.SearchStrings(j.vocabulary, w)
			known := k < len(j.vocabulary) && j.vocabulary[k] == w
			typing := last && k < len(j.vocabulary) && strings.HasPrefix(j.vocabulary[k], w)
			if !known && !typing {
				return false
			}
		}
	}
	return true
}

// corpusWords returns the words of text, folded: each run of letters and
// digits, and the parts of a camelCase run ("GetRemote" gives getremote,
// get and remote).
func corpusWords(text string) []string {
	var out []string
	for _, run := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out = append(out, strings.ToLower(run))
		start := 0
		rs := []rune(run)
		for i := 1; i < len(rs); i++ {
			if unicode.IsUpper(rs[i]) && (unicode.IsLower(rs[i-1]) || i+1 < len(rs) && unicode.IsLower(rs[i+1])) {
				out = append(out, strings.ToLower(string(rs[start:i])))
				start = i
			}
		}
		if start > 0 {
			out = append(out, strings.ToLower(string(rs[start:])))
		}
	}
	return out
}

// fold is s as a title is compared: lower-cased, without quotes, runs of
// spaces made one.
func fold(s string) string {
	s = strings.NewReplacer(`"`, "", "“", "", "”", "").Replace(strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}
