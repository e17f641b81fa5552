package site

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// TestRelateLongPostings checks the related pages of every page of a
// generated site against their definition, computed the slow way, with
// postings counted long from a few pages on, so that the walk of long
// postings, the bitsets and the early stop all run.
func TestRelateLongPostings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := sitegen.Generate(dir, 600, 5); err != nil {
		t.Fatal(err)
	}
	for _, big := range []int{512, 40, 3, 0} {
		old := bigList
		bigList = big
		s, err := Load(context.Background(), DefaultConfig(dir))
		bigList = old
		if err != nil {
			t.Fatal(err)
		}
		pub := s.Published()
		bad := 0
		for _, p := range pub {
			want := relatedByDefinition(p, pub)
			if !slices.Equal(p.RelatedPages, want) && bad < 5 {
				bad++
				t.Errorf("bigList %d: %s: related %v, want %v", big, p.URL, urls(p.RelatedPages), urls(want))
			}
		}
	}
}

// relatedByDefinition: the pages sharing the most services (two each)
// and tags (one each), not p, not linked either way, chosen by score,
// then by URL: those after p's first, then the others; listed by score,
// then URL.
func relatedByDefinition(p *Page, pub []*Page) []*Page {
	type cand struct {
		q     *Page
		score int
	}
	var cs []cand
	for _, q := range pub {
		if q == p || slices.Contains(p.Backlinks, q) || slices.Contains(p.Outgoing, q) {
			continue
		}
		sc := 0
		for _, t := range uniqueSlugs(p.Tags) {
			if slices.Contains(uniqueSlugs(q.Tags), t) {
				sc++
			}
		}
		for _, sv := range uniqueSlugs(p.Services) {
			if slices.Contains(uniqueSlugs(q.Services), sv) {
				sc += 2
			}
		}
		if sc > 0 {
			cs = append(cs, cand{q, sc})
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.score != b.score {
			return b.score - a.score
		}
		// Then the URLs after p's, in order and round from the first.
		if ra, rb := a.q.URL <= p.URL, b.q.URL <= p.URL; ra != rb {
			if ra {
				return 1
			}
			return -1
		}
		return strings.Compare(a.q.URL, b.q.URL)
	})
	// Listed by score, then URL.
	cs = cs[:min(len(cs), maxRelated)]
	slices.SortStableFunc(cs, func(a, b cand) int {
		if a.score != b.score {
			return b.score - a.score
		}
		return strings.Compare(a.q.URL, b.q.URL)
	})
	var out []*Page
	for _, c := range cs {
		out = append(out, c.q)
	}
	return out
}

func urls(ps []*Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.URL)
	}
	return out
}

// TestRelateNotWithoutHTML: a load without the pages' HTML (handbook
// check), which nothing shows related pages in, finds none; the same
// site loaded with it does.
func TestRelateNotWithoutHTML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := sitegen.Generate(dir, 120, 5); err != nil {
		t.Fatal(err)
	}
	related := func(noHTML bool) int {
		cfg := DefaultConfig(dir)
		cfg.NoHTML = noHTML
		s, err := Load(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range s.Pages {
			n += len(p.RelatedPages)
		}
		return n
	}
	if n := related(false); n == 0 {
		t.Errorf("no related pages with the HTML")
	}
	if n := related(true); n != 0 {
		t.Errorf("%d related pages without the HTML", n)
	}
}
