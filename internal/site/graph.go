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
//
// A tag on thousands of pages would make this quadratic if every page
// walked every page sharing it. Pages are numbered in URL order, so that
// ties go to the lower number; a posting of more than bigList pages is
// not walked whole: the pages it shares with the page's short postings
// get its weight through a bitset, and the pages only in long postings
// are walked in number order only until none of the rest can enter the
// best few (they score at most the long postings' weights together).
func (s *Site) relate() {
	pub := slices.Clone(s.Published())
	slices.SortFunc(pub, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	index := make(map[*Page]int32, len(pub))
	for i, p := range pub {
		index[p] = int32(i)
	}
	// Postings: for each tag and service, the pages carrying it, in
	// number order.
	byTag := map[string][]int32{}
	bySvc := map[string][]int32{}
	for i, p := range pub {
		for _, t := range uniqueSlugs(p.Tags) {
			byTag[t] = append(byTag[t], int32(i))
		}
		for _, sv := range uniqueSlugs(p.Services) {
			bySvc[sv] = append(bySvc[sv], int32(i))
		}
	}
	r := &relating{pub: pub, index: index, bits: map[*int32][]uint64{}}
	for _, m := range []map[string][]int32{byTag, bySvc} {
		for _, l := range m {
			if len(l) > bigList {
				b := make([]uint64, (len(pub)+63)/64)
				for _, j := range l {
					b[j/64] |= 1 << (j % 64)
				}
				r.bits[&l[0]] = b
			}
		}
	}
	r.byTag, r.bySvc = byTag, bySvc
	// The pages are shared among the cores, each with its own scores.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(pub)/256))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.some(w, workers)
		}()
	}
	wg.Wait()
}

// bigList is the length past which a posting is not walked whole.
var bigList = 512

// relating is the shared, read-only state of relate.
type relating struct {
	pub          []*Page // in URL order
	index        map[*Page]int32
	byTag, bySvc map[string][]int32
	// bits holds the members of each posting longer than bigList, by the
	// address of its first element.
	bits map[*int32][]uint64
}

// posting is one of a page's postings and the weight of sharing it.
type posting struct {
	list []int32
	w    int32
}

// some finds the related pages of pub[i] for every i ≡ w (mod n).
func (r *relating) some(w, n int) {
	pub := r.pub
	score := make([]int32, len(pub))
	linked := make([]bool, len(pub))
	var touched []int32
	var small, large []posting
	for i := w; i < len(pub); i += n {
		p := pub[i]
		touched = touched[:0]
		small, large = small[:0], large[:0]
		for _, t := range uniqueSlugs(p.Tags) {
			small = append(small, posting{r.byTag[t], 1})
		}
		for _, sv := range uniqueSlugs(p.Services) {
			small = append(small, posting{r.bySvc[sv], 2})
		}
		small = slices.DeleteFunc(small, func(q posting) bool {
			if len(q.list) > bigList {
				large = append(large, q)
				return true
			}
			return false
		})
		for _, q := range small {
			for _, j := range q.list {
				if j == int32(i) {
					continue
				}
				if score[j] == 0 {
					touched = append(touched, j)
				}
				score[j] += q.w
			}
		}
		var most int32 // what a page in long postings only can score
		for _, q := range large {
			most += q.w
			b := r.bits[&q.list[0]]
			for _, j := range touched {
				if b[j/64]&(1<<(j%64)) != 0 {
					score[j] += q.w
				}
			}
		}
		// Pages already linked either way are not "related": the page
		// shows them already.
		for _, q := range p.Backlinks {
			if j, ok := r.index[q]; ok {
				linked[j] = true
			}
		}
		for _, q := range p.Outgoing {
			if j, ok := r.index[q]; ok {
				linked[j] = true
			}
		}
		// The best few by score, then URL (number): a selection, not a
		// sort. Not by title: editing one page's title must not change
		// which pages are related to thousands of others (and so their
		// pages, in a preview).
		var best []int32
		consider := func(j int32) {
			better := func(a, b int32) bool {
				if score[a] != score[b] {
					return score[a] > score[b]
				}
				return a < b
			}
			if linked[j] || len(best) == maxRelated && !better(j, best[len(best)-1]) {
				return
			}
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
		for _, j := range touched {
			consider(j)
		}
		// The pages in long postings only, in number order, until none
		// can enter: every later one scores at most most, and loses a tie
		// to a lower number.
		heads := make([]int, len(large))
		for len(large) > 0 {
			if len(best) == maxRelated {
				last := best[len(best)-1]
				if score[last] > most {
					break
				}
			}
			j := int32(-1)
			for k, q := range large {
				if heads[k] < len(q.list) && (j < 0 || q.list[heads[k]] < j) {
					j = q.list[heads[k]]
				}
			}
			if j < 0 {
				break
			}
			var sc int32
			for k, q := range large {
				if heads[k] < len(q.list) && q.list[heads[k]] == j {
					sc += q.w
					heads[k]++
				}
			}
			if len(best) == maxRelated {
				if last := best[len(best)-1]; score[last] == most && last < j {
					break
				}
			}
			if j == int32(i) || score[j] != 0 {
				continue // itself, or met in a short posting already
			}
			score[j] = sc
			touched = append(touched, j)
			consider(j)
		}
		for _, j := range touched {
			score[j] = 0
		}
		for _, q := range p.Backlinks {
			if j, ok := r.index[q]; ok {
				linked[j] = false
			}
		}
		for _, q := range p.Outgoing {
			if j, ok := r.index[q]; ok {
				linked[j] = false
			}
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
