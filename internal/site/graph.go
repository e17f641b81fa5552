package site

import (
	"cmp"
	"context"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

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
	// Related pages read only the pages' tags, services and links, and
	// write only RelatedPages: they are found beside the rest. Only the
	// pages' HTML shows them: a load without it (handbook check) finds
	// none. At 100,000 pages, where a tag has thousands of pages, finding
	// them was a twentieth of check's CPU and grew faster than the site.
	if !s.Config.NoHTML {
		related := make(chan struct{})
		go func() {
			defer close(related)
			s.relate(nil)
		}()
		defer func() { <-related }()
	}
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
		sortRelations(p.Incoming)
	}
	s.services = s.groupBy(func(p *Page) []string { return p.Services })
	s.owners = s.groupBy(func(p *Page) []string { return splitOwners(p.Owner) })
	s.startPath()
	for _, p := range s.Pages {
		p.RingMove = p.RingChange(s.Config.Schema.Rings)
	}
}

// startPath lays out the start-here path: the published pages with an
// onboarding step, in its order, each told its place and neighbours.
func (s *Site) startPath() {
	for _, p := range s.startHere {
		p.Step, p.Steps, p.Prev, p.Next = 0, 0, nil, nil
	}
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
}

// sortRelations orders incoming relations as a page shows them: each
// one's pages once, by URL, the relations by name.
func sortRelations(rs []Relation) {
	for i := range rs {
		rs[i].Pages = sortedUnique(rs[i].Pages)
	}
	slices.SortFunc(rs, func(a, b Relation) int { return cmp.Compare(a.Name, b.Name) })
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
// is linked from, ties broken by URL: to the pages whose URLs follow the
// page's own (after).
//
// A tag on thousands of pages would make this quadratic if every page
// walked every page sharing it. Pages are numbered in URL order, so that
// ties go to the numbers that follow the page's own first; a posting of
// more than bigList pages is not walked whole: the pages it shares with
// the page's short postings get its weight through a bitset, and the
// pages only in long postings are taken score by score, from the highest
// down, each score in number order from the page's own round, 64 pages
// at a time (see sums), only until none of the rest can enter the best
// few. It returns the pages whose related pages changed.
//
// dirty, when not nil, holds the pages whose tags, services or links an
// edit in place may have changed since the Memo's last state (Reshape,
// Patch); the other pages' hashes are taken from that state rather than
// made again (rehash). Nil hashes every page, as a load does.
func (s *Site) relate(dirty map[*Page]bool) (changed []*Page) {
	pub := slices.Clone(s.Published())
	sorted, strict := urlOrder(pub)
	if !sorted { // they come in URL order
		slices.SortFunc(pub, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
		_, strict = urlOrder(pub)
	}
	r := &relating{pub: pub, strict: strict, tags: make([][]string, len(pub)), svcs: make([][]string, len(pub)), bits: map[*int32][]uint64{}, best: make([][]int32, len(pub))}
	flat := make([]int32, len(pub)*maxRelated) // room for every page's best
	for i := range pub {
		r.best[i] = flat[i*maxRelated : i*maxRelated : (i+1)*maxRelated]
	}
	// A load with a Memo finds again only the related pages of the pages
	// an edit may have changed them for (relatedmemo.go) and takes the
	// others' from the last load: after an edit of a title, a date or a
	// status, none.
	m := s.Config.Memo
	var prev *relatedState
	var face, links []uint64
	var prevOf, nowOf []int32
	if m != nil {
		prev = m.lastRelated()
		prevOf, nowOf = r.pair(prev)
		if s.relatedID == 0 {
			s.relatedID = relatedIDs.Add(1)
		}
		if dirty != nil && prevOf != nil && prev.site == s.relatedID {
			face, links = r.rehash(m.seed, prev, prevOf, dirty)
		} else {
			face, links = r.hashes(m.seed, s.Pages)
		}
	}
	// Each page's tags and services as slugs, on every core: the last
	// load's where they are the same.
	eachChunk(context.Background(), len(pub), func(i int) {
		if prevOf != nil {
			if j := prevOf[i]; j >= 0 && prev.face[j] == face[i] {
				r.tags[i], r.svcs[i] = prev.tags[j], prev.svcs[j]
				return
			}
		}
		r.tags[i], r.svcs[i] = uniqueSlugs(pub[i].Tags), uniqueSlugs(pub[i].Services)
	})
	r.postings(prev, prevOf, nowOf, face)
	todo, some := []int32(nil), prevOf != nil
	if some {
		todo = r.reuse(prev, face, links, prevOf, nowOf)
	}
	if !some || len(todo) > 0 {
		r.todo = todo // nil: every page's
		r.find()
	}
	for i, p := range pub {
		// A page's list as it was is kept: an update in place (Reshape)
		// finds the pages whose list changed by it.
		best := r.best[i]
		same := len(p.RelatedPages) == len(best)
		for n := 0; same && n < len(best); n++ {
			same = p.RelatedPages[n] == pub[best[n]]
		}
		if same {
			continue
		}
		changed = append(changed, p)
		p.RelatedPages = nil
		for _, j := range best {
			p.RelatedPages = append(p.RelatedPages, pub[j])
		}
	}
	if m != nil {
		urls := make([]string, len(pub))
		for i, p := range pub {
			urls[i] = p.URL
		}
		found := len(pub)
		if some {
			found = len(todo)
		}
		m.keepRelated(&relatedState{site: s.relatedID, urls: urls, face: face, links: links, tags: r.tags, svcs: r.svcs, byTag: r.byTag, bySvc: r.bySvc, best: r.best}, found)
	}
	return changed
}

// find finds the related pages of the pages of r.todo, or of every page
// when it is nil, into r.best.
func (r *relating) find() {
	pub := r.pub
	// Each long posting is numbered, for byLongPostings.
	r.long = map[*int32]int32{}
	for _, m := range []map[string][]int32{r.byTag, r.bySvc} {
		for _, l := range m {
			if len(l) > bigList {
				b := make([]uint64, (len(pub)+63)/64)
				for _, j := range l {
					b[j/64] |= 1 << (j % 64)
				}
				r.bits[&l[0]] = b
				r.long[&l[0]] = int32(len(r.long))
			}
		}
	}
	if r.todo == nil {
		// Every page's links are looked up: by a map rather than by URL.
		// (A todo comes of pages paired with the last state, which needs
		// no two sharing a URL: number finds a page by its URL then.)
		r.index = make(map[*Page]int32, len(pub))
		for i, p := range pub {
			r.index[p] = int32(i)
		}
	}
	r.order = r.byLongPostings()
	// The pages are shared among the cores, each with its own scores,
	// in runs of relateRun of r.order.
	workers := min(runtime.GOMAXPROCS(0), max(1, len(r.order)/256))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.some(&next)
		}()
	}
	wg.Wait()
}

// relateRun is how many pages of r.order a worker takes at a time.
const relateRun = 256

// byLongPostings returns the pages whose related pages are found (those
// of r.todo, or every page), ordered so that the pages holding the same
// long postings come one after the other: their sums are the same, and
// a worker adds them up once for the run of them rather than once a page
// (sums walks a bitset of the whole site for each long posting, which,
// made for every page, grew with the square of the pages: 1.3 s of CPU
// at 100,000 pages). A page's key is the numbers of its long postings,
// sorted; the pages having none come first.
func (r *relating) byLongPostings() []int32 {
	var order []int32
	if r.todo != nil {
		order = slices.Clone(r.todo)
	} else {
		order = make([]int32, len(r.pub))
		for i := range order {
			order[i] = int32(i)
		}
	}
	// keys[k] is the key of order[k], at flat[at[k]:at[k+1]].
	at := make([]int32, len(order)+1)
	var flat []int32
	for k, i := range order {
		for _, t := range r.tags[i] {
			if id, ok := r.long[&r.byTag[t][0]]; ok {
				flat = append(flat, id)
			}
		}
		for _, sv := range r.svcs[i] {
			if id, ok := r.long[&r.bySvc[sv][0]]; ok {
				flat = append(flat, id)
			}
		}
		slices.Sort(flat[at[k]:])
		at[k+1] = int32(len(flat))
	}
	key := func(k int) []int32 { return flat[at[k]:at[k+1]] }
	idx := make([]int, len(order))
	for k := range idx {
		idx[k] = k
	}
	slices.SortStableFunc(idx, func(a, b int) int { return slices.Compare(key(a), key(b)) })
	sorted := make([]int32, len(order))
	r.keys = make([][]int32, len(order))
	for k, x := range idx {
		sorted[k], r.keys[k] = order[x], key(x)
	}
	return sorted
}

// number returns page q's number, and whether it is one of r.pub.
func (r *relating) number(q *Page) (int32, bool) {
	if r.index != nil {
		j, ok := r.index[q]
		return j, ok
	}
	k, found := slices.BinarySearchFunc(r.pub, q.URL, func(p *Page, u string) int { return strings.Compare(p.URL, u) })
	if !found || r.pub[k] != q {
		return 0, false
	}
	return int32(k), true
}

// urlOrder reports whether pages are in URL order, and whether no two of
// them share a URL.
func urlOrder(pages []*Page) (sorted, strict bool) {
	sorted, strict = true, true
	for i := 1; i < len(pages); i++ {
		switch c := strings.Compare(pages[i-1].URL, pages[i].URL); {
		case c > 0:
			return false, false
		case c == 0:
			strict = false
		}
	}
	return sorted, strict
}

// bigList is the length past which a posting is not walked whole.
var bigList = 512

// relating is the shared, read-only state of relate.
type relating struct {
	pub []*Page // in URL order
	// strict is set when no two pages of pub share a URL.
	strict bool
	// index numbers the pages, when every page's related pages are
	// found; else a page's number is found by its URL (number).
	index      map[*Page]int32
	tags, svcs [][]string // of each page, as slugs, once each
	// byTag and bySvc are each tag's and service's pages, by number, in
	// number order (postings).
	byTag, bySvc map[string][]int32
	// bits holds the members of each posting longer than bigList, by the
	// address of its first element; long numbers them (byLongPostings).
	bits map[*int32][]uint64
	long map[*int32]int32
	// order are the pages whose related pages are found, those holding
	// the same long postings one after the other, and keys the numbers of
	// each one's long postings (byLongPostings).
	order []int32
	keys  [][]int32
	// todo are the pages some finds the related pages of, by number; nil
	// for every page.
	todo []int32
	// best are each page's related pages, by number, best first.
	best [][]int32
}

// posting is one of a page's postings and the weight of sharing it.
type posting struct {
	list []int32
	w    int32
}

// sums adds up, for every page, the weights of the long postings large
// that hold it, as a bit-sliced counter: bit t of page j's sum is bit
// j%64 of planes[t*nw+j/64], with nw the words of a bitset and as many
// planes as most, the sum of all the weights, has bits. The pages whose
// sum is v are then a few ANDs a word, so that some takes the pages of a
// score 64 at a time: in number order alone, merging the postings, it
// would pass thousands of pages in one or two of three long tags before
// the few in all three, which score most.
func (r *relating) sums(planes []uint64, large []posting, most int32) []uint64 {
	nw := (len(r.pub) + 63) / 64
	np := bits.Len32(uint32(most))
	planes = slices.Grow(planes[:0], nw*np)[:nw*np]
	clear(planes)
	for _, q := range large {
		b := r.bits[&q.list[0]]
		for s := 0; q.w>>s != 0; s++ {
			if q.w>>s&1 == 0 {
				continue
			}
			// Add b at plane s, carrying upwards.
			for wi, carry := range b {
				for t := s; carry != 0; t++ {
					p := &planes[t*nw+wi]
					*p, carry = *p^carry, *p&carry
				}
			}
		}
	}
	return planes
}

// some finds the related pages of the pages of r.order, taking runs of
// relateRun of them from next until none is left.
func (r *relating) some(next *atomic.Int64) {
	room := &relateRoom{score: make([]int32, len(r.pub)), linked: make([]bool, len(r.pub))}
	for {
		from := int(next.Add(relateRun)) - relateRun
		if from >= len(r.order) {
			return
		}
		for k := from; k < min(from+relateRun, len(r.order)); k++ {
			r.findOne(int(r.order[k]), r.keys[k], room)
		}
	}
}

// relateRoom is what a worker of relate keeps from one page to the next:
// the scores and links of every page, zero between two pages, and room
// to grow into; planes are the sums of the long postings whose key is
// planesOf.
type relateRoom struct {
	score        []int32
	linked       []bool
	touched      []int32
	small, large []posting
	planes       []uint64
	planesOf     []int32
	bestBuf      [maxRelated]int32
}

// findOne finds the related pages of page i, whose long postings' key is
// key (byLongPostings), into r.best[i].
func (r *relating) findOne(i int, key []int32, room *relateRoom) {
	pub := r.pub
	score, linked := room.score, room.linked
	touched, small, large, planes := room.touched[:0], room.small[:0], room.large[:0], room.planes
	p := pub[i]
	for _, t := range r.tags[i] {
		small = append(small, posting{r.byTag[t], 1})
	}
	for _, sv := range r.svcs[i] {
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
	r.markLinked(p, linked, true)
	// The best few by score, then by the URLs that follow p's (see
	// after): a selection, not a sort. Not by title: editing one
	// page's title must not change which pages are related to
	// thousands of others (and so their pages, in a preview).
	best := room.bestBuf[:0]
	better := func(a, b int32) bool {
		return r.outranks(int32(i), a, int(score[a]), b, int(score[b]))
	}
	consider := func(j int32) {
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
	// The pages in long postings only, by score, then in the order
	// of after (the numbers above i, then those below), until none
	// can enter: see sums.
	if len(large) > 0 {
		if !slices.Equal(room.planesOf, key) {
			planes = r.sums(planes, large, most)
			room.planesOf = key
		}
		np := bits.Len32(uint32(most))
		nw := len(planes) / np
		stop := false
		// scan takes the pages numbered lo to hi-1 that weigh v in
		// the long postings; stop when none of the rest can enter.
		scan := func(v int32, lo, hi int) {
			for wi := lo / 64; lo < hi && wi <= (hi-1)/64; wi++ {
				m := ^uint64(0) // the pages of word wi whose long postings weigh v
				for t := range np {
					if v>>t&1 != 0 {
						m &= planes[t*nw+wi]
					} else {
						m &^= planes[t*nw+wi]
					}
				}
				if wi == lo/64 {
					m &= ^uint64(0) << (lo % 64)
				}
				if wi == (hi-1)/64 && hi%64 != 0 {
					m &= 1<<(hi%64) - 1
				}
				for ; m != 0; m &= m - 1 {
					j := int32(wi*64 + bits.TrailingZeros64(m))
					if last := len(best) - 1; last == maxRelated-1 && score[best[last]] == v && r.after(int32(i), best[last]) < r.after(int32(i), j) {
						stop = true // the rest lose the tie, or score less
						return
					}
					if score[j] != 0 {
						continue // met in a short posting already
					}
					score[j] = v
					touched = append(touched, j)
					consider(j)
				}
			}
		}
		for v := most; v > 0 && !stop; v-- {
			if len(best) == maxRelated && score[best[len(best)-1]] > v {
				break // the rest score less than the last of the best
			}
			if scan(v, i+1, len(pub)); !stop {
				scan(v, 0, i)
			}
		}
	}
	// Listed by score, then URL; chosen by score, then after.
	slices.SortFunc(best, func(a, b int32) int {
		if c := cmp.Compare(score[b], score[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, j := range touched {
		score[j] = 0
	}
	r.markLinked(p, linked, false)
	r.best[i] = append(r.best[i][:0], best...)
	room.touched, room.small, room.large, room.planes = touched, small, large, planes
}

// markLinked sets linked[j] to v for every page j that p links to or is
// linked from.
func (r *relating) markLinked(p *Page, linked []bool, v bool) {
	for _, q := range p.Backlinks {
		if j, ok := r.number(q); ok {
			linked[j] = v
		}
	}
	for _, q := range p.Outgoing {
		if j, ok := r.number(q); ok {
			linked[j] = v
		}
	}
}

// outranks reports whether page a, scoring sa for page i, is chosen
// before page b, scoring sb, among i's related pages: by score, then by
// after. A load and the Memo's reuse of the last one (mayEnter) choose
// by it alike.
func (r *relating) outranks(i, a int32, sa int, b int32, sb int) bool {
	return sa > sb || sa == sb && r.after(i, a) < r.after(i, b)
}

// after is where page j stands among the pages after page i, in URL
// order and round from the first: 0 for the page whose URL follows i's,
// len(r.pub)-2 for the one before it. A tie for a page's related pages
// goes to the page that comes first after it: a page's neighbours in its
// own folder first (the next decisions of an ADR, the service's other
// runbooks), and each page wins the ties of the pages before it. Taken
// in plain URL order, the tie went to the page whose URL sorts first for
// every page: at 10,000 pages ADR 0001 was among the related pages of
// 664, and renaming it rendered them all again. The order of the others
// after a page does not change when a page comes or goes, as a load
// with a Memo needs (reuse).
func (r *relating) after(i, j int32) int32 {
	d := j - i - 1
	if d < 0 {
		d += int32(len(r.pub))
	}
	return d
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
