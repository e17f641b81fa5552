package site

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/page"
)

// inverse names the relation a typed reference shows on its target:
// a postmortem's "Runbooks" shows as "Postmortems" on each runbook.
var inverse = map[string]string{
	"Runbooks":     "Postmortems",
	"Decisions":    "Postmortems",
	"Decision":     "Evaluations",
	"Alternatives": "Alternatives",
	"Related":      "Related",
}

// Group is a named set of pages: a service, an owner, a kind.
type Group struct {
	Name string
	Slug string
	// Pages are sorted for their kind's index.
	Pages []*Page
}

// ByKind splits the group's pages by kind, in page.Kinds order.
func (g Group) ByKind() []Relation { return byKind(g.Pages) }

func byKind(ps []*Page) []Relation {
	var out []Relation
	for _, k := range page.Kinds {
		var sel []*Page
		for _, p := range ps {
			if p.Kind == k {
				sel = append(sel, p)
			}
		}
		if len(sel) > 0 {
			SortForKind(k, sel)
			out = append(out, Relation{Name: k.Plural(), Kind: k, Pages: sel})
		}
	}
	return out
}

// BacklinksByKind groups the pages referencing p by their kind.
func (p *Page) BacklinksByKind() []Relation { return byKind(p.Backlinks) }

// graph joins the pages up once links are resolved: typed relations on
// both ends, services and owners, the start-here path and related pages.
func (s *Site) graph() {
	for _, p := range s.Pages {
		for _, r := range p.Relations {
			inv := inverse[r.Name]
			for _, t := range r.Pages {
				if t != p {
					t.Incoming = addToRelation(t.Incoming, inv, p)
				}
			}
		}
	}
	for _, p := range s.Pages {
		for i := range p.Incoming {
			p.Incoming[i].Pages = sortedUnique(p.Incoming[i].Pages)
		}
		slices.SortFunc(p.Incoming, func(a, b Relation) int { return cmp.Compare(a.Name, b.Name) })
	}
	s.services = s.groupBy(func(p *Page) []string { return p.Services })
	s.owners = s.groupBy(func(p *Page) []string { return splitOwners(p.Owner) })
	var path []*Page
	for _, p := range s.Published() {
		if p.Onboarding > 0 {
			path = append(path, p)
		}
	}
	slices.SortStableFunc(path, func(a, b *Page) int {
		if c := cmp.Compare(a.Onboarding, b.Onboarding); c != 0 {
			return c
		}
		return cmp.Compare(a.URL, b.URL)
	})
	for i, p := range path {
		p.Step, p.Steps = i+1, len(path)
		if i > 0 {
			p.Prev = path[i-1]
		}
		if i+1 < len(path) {
			p.Next = path[i+1]
		}
	}
	s.startHere = path
	for _, p := range s.Pages {
		p.RingMove = p.RingChange(s.Config.Schema.Rings)
	}
	s.relate()
}

func addToRelation(rs []Relation, name string, p *Page) []Relation {
	for i := range rs {
		if rs[i].Name == name {
			rs[i].Pages = append(rs[i].Pages, p)
			return rs
		}
	}
	return append(rs, Relation{Name: name, Pages: []*Page{p}})
}

func splitOwners(s string) []string {
	var out []string
	for _, o := range strings.Split(s, ",") {
		if o = strings.TrimSpace(o); o != "" {
			out = append(out, o)
		}
	}
	return out
}

// groupBy gathers the published pages under each name keys gives them,
// names compared by slug; groups are sorted by slug.
func (s *Site) groupBy(keys func(*Page) []string) []Group {
	m := map[string]*Group{}
	for _, p := range s.Published() {
		for _, k := range keys(p) {
			sl := Slug(k)
			if sl == "" {
				continue
			}
			g := m[sl]
			if g == nil {
				g = &Group{Name: k, Slug: sl}
				m[sl] = g
			}
			if n := len(g.Pages); n == 0 || g.Pages[n-1] != p {
				g.Pages = append(g.Pages, p)
			}
		}
	}
	out := make([]Group, 0, len(m))
	for _, g := range m {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Group) int { return cmp.Compare(a.Slug, b.Slug) })
	return out
}

// Services returns every service named by a published page, with its
// pages.
func (s *Site) Services() []Group { return s.services }

// Owners returns every owner or team named by a published page, with its
// pages.
func (s *Site) Owners() []Group { return s.owners }

// StartHere returns the pages of the start-here path, in order.
func (s *Site) StartHere() []*Page { return s.startHere }

// maxRelated is how many related pages a page lists.
const maxRelated = 5

// relate finds each page's related pages: those sharing the most services
// (worth two) and tags (worth one), excluding pages it already links or
// is linked from, ties broken by URL.
func (s *Site) relate() {
	pub := s.Published()
	index := make(map[*Page]int32, len(pub))
	for i, p := range pub {
		index[p] = int32(i)
	}
	// Postings: for each tag and service, the pages carrying it.
	byTag := map[string][]int32{}
	bySvc := map[string][]int32{}
	for i, p := range pub {
		for _, t := range p.Tags {
			byTag[Slug(t)] = append(byTag[Slug(t)], int32(i))
		}
		for _, sv := range p.Services {
			bySvc[Slug(sv)] = append(bySvc[Slug(sv)], int32(i))
		}
	}
	// The pages are shared among the cores, each with its own scores.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(pub)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.relateSome(pub, index, byTag, bySvc, w, workers)
		}()
	}
	wg.Wait()
}

// relateSome finds the related pages of pub[i] for every i ≡ w (mod n).
func (s *Site) relateSome(pub []*Page, index map[*Page]int32, byTag, bySvc map[string][]int32, w, n int) {
	score := make([]int32, len(pub))
	linked := make([]bool, len(pub))
	var touched []int32
	for i := w; i < len(pub); i += n {
		p := pub[i]
		touched = touched[:0]
		add := func(list []int32, w int32) {
			for _, j := range list {
				if j == int32(i) {
					continue
				}
				if score[j] == 0 {
					touched = append(touched, j)
				}
				score[j] += w
			}
		}
		for _, t := range uniqueSlugs(p.Tags) {
			add(byTag[t], 1)
		}
		for _, sv := range uniqueSlugs(p.Services) {
			add(bySvc[sv], 2)
		}
		// Pages already linked either way are not "related": the page
		// shows them already.
		for _, q := range p.Backlinks {
			if j, ok := index[q]; ok {
				linked[j] = true
			}
		}
		for _, q := range p.Outgoing {
			if j, ok := index[q]; ok {
				linked[j] = true
			}
		}
		// The best few by score, then URL: a selection, not a sort, as
		// thousands of pages may share a tag. Not by title: editing one
		// page's title must not change which pages are related to
		// thousands of others (and so their pages, in a preview).
		var best []int32
		better := func(a, b int32) bool {
			if score[a] != score[b] {
				return score[a] > score[b]
			}
			return pub[a].URL < pub[b].URL
		}
		for _, j := range touched {
			if !linked[j] {
				if len(best) < maxRelated || better(j, best[len(best)-1]) {
					k := len(best)
					if k < maxRelated {
						best = append(best, j)
					} else {
						k--
					}
					for k > 0 && better(j, best[k-1]) {
						best[k] = best[k-1]
						k--
					}
					best[k] = j
				}
			}
		}
		for _, j := range touched {
			score[j] = 0
		}
		for _, q := range p.Backlinks {
			linked[index[q]] = false
		}
		for _, q := range p.Outgoing {
			linked[index[q]] = false
		}
		p.RelatedPages = nil
		for _, j := range best {
			p.RelatedPages = append(p.RelatedPages, pub[j])
		}
	}
}

func uniqueSlugs(xs []string) []string {
	var out []string
	for _, x := range xs {
		if sl := Slug(x); sl != "" && !slices.Contains(out, sl) {
			out = append(out, sl)
		}
	}
	return out
}
