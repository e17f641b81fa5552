package site

import (
	"context"
	"hash/maphash"
	"slices"
	"sync/atomic"
)

// relatedIDs numbers the sites that find related pages (Site.relatedID).
var relatedIDs atomic.Uint64

// A page's related pages (relate) are a function of its tags and services,
// of the pages carrying each of them, of the pages it links to and is
// linked from, and of the order of the pages' URLs. An edit changes the
// related pages of the pages it changed those for and of no other:
//
//   - a page made, or given a tag or a service it did not have, scores
//     more for the pages carrying that tag or service: their related
//     pages may take it;
//   - a page removed, or losing a tag or a service, scores less, or
//     nothing, for others: only the pages that listed it may list others;
//   - a page that links to other pages, or is linked from others, than
//     before changes only its own (the pages it may not list);
//   - the order of the URLs of the pages that stay is the same, so that
//     their ties break the same way.
//
// A load with a Memo therefore finds again only the related pages of
// those, and takes the others' from the last load (relatedState): none
// after an edit of a title, a date or a status; after a new page, those
// of the pages sharing a tag or a service with it for which it scores
// enough to be listed; after a page removed, those of the pages that
// listed it.

// relatedState is what one load's relate leaves the next: its published
// pages' URLs in URL order, what each page's related pages are made of
// (hashes, and its tags and services as slugs), and each page's related
// pages, by number in that order.
type relatedState struct {
	// site is the relatedID of the site it was made for: only that
	// site's edits in place may take its hashes for their pages'.
	site uint64
	urls []string
	// face hashes a page's tags and services; links the pages linking to
	// it and those it links to.
	face, links []uint64
	tags, svcs  [][]string
	// byTag and bySvc are relating's (postings).
	byTag, bySvc map[string][]int32
	best         [][]int32
}

// hashes returns each page's face and links hashes (relatedState). The
// face is hashed from the tags and services as written, not as slugs: the
// same words give the same slugs, which a load then need not make again.
//
// Each page's URL is hashed once (Page.urlSum), first, for every page of
// the site: a page's links are then a word each, not a string to hash.
func (r *relating) hashes(seed maphash.Seed, all []*Page) (face, links []uint64) {
	face, links = make([]uint64, len(r.pub)), make([]uint64, len(r.pub))
	eachChunk(context.Background(), len(all), func(i int) {
		all[i].urlSum = maphash.String(seed, all[i].URL)
	})
	// A page of another site (a remote source's) may hold a sum its own
	// load made, under another seed: only this load's pages are trusted.
	var placing uint32
	if len(all) > 0 {
		placing = all[0].placing
	}
	urlSum := func(q *Page) uint64 {
		if placing != 0 && q.placing == placing {
			return q.urlSum
		}
		return maphash.String(seed, q.URL)
	}
	eachChunk(context.Background(), len(r.pub), func(i int) {
		face[i], links[i] = pageHashes(seed, r.pub[i], urlSum)
	})
	return face, links
}

// rehash is hashes after an edit taken in place (Reshape, Patch), which
// knows the pages whose tags, services or links it may have changed:
// dirty. The others' hashes are the last state's, through prevOf (pair);
// only dirty pages and pages new to the state are hashed, the URLs of
// their links each hashed as they come (a page the edit made has no
// urlSum yet). A page's hashes change only with its tags, its services,
// its Backlinks and its Outgoing: an edit in place changes no page's URL
// (a renamed page is a new page), so a link's hash stays its page's.
func (r *relating) rehash(seed maphash.Seed, prev *relatedState, prevOf []int32, dirty map[*Page]bool) (face, links []uint64) {
	face, links = make([]uint64, len(r.pub)), make([]uint64, len(r.pub))
	urlSum := func(q *Page) uint64 { return maphash.String(seed, q.URL) }
	for i, p := range r.pub {
		if j := prevOf[i]; j >= 0 && !dirty[p] {
			face[i], links[i] = prev.face[j], prev.links[j]
			continue
		}
		face[i], links[i] = pageHashes(seed, p, urlSum)
	}
	return face, links
}

// pageHashes returns page p's face and links hashes (relatedState), the
// pages it links with hashed by urlSum.
func pageHashes(seed maphash.Seed, p *Page, urlSum func(*Page) uint64) (face, links uint64) {
	// Each string is a word of its own hash: hashing it costs a call,
	// not a copy into a maphash.Hash's buffer.
	var h uint64
	for _, l := range [][]string{p.Tags, p.Services} {
		for _, t := range l {
			h = mix(h, maphash.String(seed, t))
		}
		h = mix(h, 1)
	}
	face = h
	h = 0
	// Backlinks and Outgoing are in URL order (sortedUnique). Those not
	// published are hashed too: they only make a change seen where none
	// matters.
	for _, ps := range [][]*Page{p.Backlinks, p.Outgoing} {
		for _, q := range ps {
			h = mix(h, urlSum(q))
		}
		h = mix(h, 1)
	}
	return face, h
}

// mix adds the word u to the hash h: murmur3's finalizer, a bijection
// that mixes every bit, after a constant is added so that zero words
// still move it.
func mix(h, u uint64) uint64 {
	x := (h ^ u) + 0x9e3779b97f4a7c15
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// pair numbers the pages of the last load's state prev and of this load
// by each other's numbers: prevOf[i] is page i's number in prev, -1 for a
// new page, and nowOf[j] prev's page j's number now, -1 for a page gone.
// Both are nil when there is no last state, or two pages share a URL
// (numbers would not follow URLs).
func (r *relating) pair(prev *relatedState) (prevOf, nowOf []int32) {
	if prev == nil {
		return nil, nil
	}
	pub := r.pub
	if !r.strict {
		return nil, nil
	}
	n, pn := len(pub), len(prev.urls)
	prevOf, nowOf = make([]int32, n), make([]int32, pn)
	// Both lists are in URL order: one merge pairs them.
	for i, j := 0, 0; i < n || j < pn; {
		switch {
		case j == pn || i < n && pub[i].URL < prev.urls[j]: // a new page
			prevOf[i] = -1
			i++
		case i == n || prev.urls[j] < pub[i].URL: // a page gone
			nowOf[j] = -1
			j++
		default:
			prevOf[i], nowOf[j] = int32(j), int32(i)
			i++
			j++
		}
	}
	return prevOf, nowOf
}

// reuse takes from the last load's state prev the related pages of the
// pages whose related pages cannot have changed (see above), into r.best,
// and returns the others, by number: those to find again. prevOf and
// nowOf pair the pages of both loads (pair); r's postings are made.
func (r *relating) reuse(prev *relatedState, face, links []uint64, prevOf, nowOf []int32) (todo []int32) {
	n := len(r.pub)
	changed := make([]bool, n)
	fell := make([]bool, len(prev.urls)) // prev's pages that may score less for others
	for j, i := range nowOf {
		fell[j] = i < 0
	}
	tagHit, svcHit := map[string]bool{}, map[string]bool{}
	// gainers are the pages that may score more for others: new, or with
	// a tag or a service they did not have.
	var gainers []int32
	// gained marks the tags or services of now that were not in then,
	// and says whether there were any.
	gained := func(hit map[string]bool, now, then []string) bool {
		some := false
		for _, t := range now {
			if !slices.Contains(then, t) {
				hit[t], some = true, true
			}
		}
		return some
	}
	for i, j := range prevOf {
		var thenTags, thenSvcs []string // none for a new page
		switch {
		case j < 0:
		case prev.face[j] != face[i]:
			thenTags, thenSvcs, fell[j] = prev.tags[j], prev.svcs[j], true
		case prev.links[j] != links[i]:
			changed[i] = true
			continue
		default:
			continue
		}
		changed[i] = true
		if t, sv := gained(tagHit, r.tags[i], thenTags), gained(svcHit, r.svcs[i], thenSvcs); t || sv {
			gainers = append(gainers, int32(i))
		}
	}
	// A page sharing a tag or service a page gained finds its related
	// pages again when that page may now be among them; past a few such
	// pages, without weighing each.
	weigh := len(gainers) <= maxGainers
	// The pages sharing one, by the postings (made first) rather than by
	// looking up every tag of every page.
	hits := make([]bool, n)
	for _, m := range []struct {
		hit   map[string]bool
		posts map[string][]int32
	}{{tagHit, r.byTag}, {svcHit, r.bySvc}} {
		for t := range m.hit {
			for _, i := range m.posts[t] {
				hits[i] = true
			}
		}
	}
	todo = []int32{}
	for i := range n {
		redo := changed[i]
		hit := hits[i]
		redo = redo || hit && !weigh
		if !redo {
			for _, pj := range prev.best[prevOf[i]] {
				if fell[pj] {
					redo = true
					break
				}
				r.best[i] = append(r.best[i], nowOf[pj])
			}
		}
		if !redo && hit {
			redo = r.mayEnter(i, gainers)
		}
		if redo {
			r.best[i] = r.best[i][:0]
			todo = append(todo, int32(i))
		}
	}
	return todo
}

// postings makes r.byTag and r.bySvc: each tag's and service's pages, by
// number, in number order. Paired with the last state prev (pair), its
// lists are numbered again and only the pages new or with other tags or
// services than then are put in: a page made or removed moves the
// numbers of the pages after it, not their tags, and filing 30,000 tags
// again by string cost 2 ms of such an update at 10,000 pages.
func (r *relating) postings(prev *relatedState, prevOf, nowOf []int32, face []uint64) {
	if prevOf == nil || prev.byTag == nil {
		r.byTag, r.bySvc = map[string][]int32{}, map[string][]int32{}
		for i := range r.pub {
			for _, t := range r.tags[i] {
				r.byTag[t] = append(r.byTag[t], int32(i))
			}
			for _, sv := range r.svcs[i] {
				r.bySvc[sv] = append(r.bySvc[sv], int32(i))
			}
		}
		return
	}
	renumber := func(from map[string][]int32) map[string][]int32 {
		to := make(map[string][]int32, len(from))
		for k, l := range from {
			out := make([]int32, 0, len(l))
			for _, j := range l {
				if i := nowOf[j]; i >= 0 && prev.face[j] == face[i] {
					out = append(out, i)
				}
			}
			if len(out) > 0 {
				to[k] = out
			}
		}
		return to
	}
	r.byTag, r.bySvc = renumber(prev.byTag), renumber(prev.bySvc)
	put := func(m map[string][]int32, k string, i int32) {
		l := m[k]
		at, _ := slices.BinarySearch(l, i)
		m[k] = slices.Insert(l, at, i)
	}
	for i, j := range prevOf {
		if j >= 0 && prev.face[j] == face[i] {
			continue
		}
		for _, t := range r.tags[i] {
			put(r.byTag, t, int32(i))
		}
		for _, sv := range r.svcs[i] {
			put(r.bySvc, sv, int32(i))
		}
	}
}

// maxGainers is how many pages gaining a tag or a service reuse weighs
// against each page sharing one.
const maxGainers = 16

// mayEnter reports whether one of the pages of gainers may be among page
// i's related pages now, r.best[i] being those the last load found: it
// scores for i, and they are fewer than maxRelated, or it scores more
// than the last of them, or as much and comes first after i (after).
// None of gainers is among them: a page with other tags or services than
// before has its related pages found again by every page that listed it
// (fell), and a new page was listed by none.
func (r *relating) mayEnter(i int, gainers []int32) bool {
	best := r.best[i]
	for _, z := range gainers {
		wz := r.weight(i, int(z))
		if wz == 0 || int(z) == i {
			continue
		}
		if len(best) < maxRelated {
			return true
		}
		// The last of them as they were chosen: they are listed by
		// score, then URL.
		last, wl := best[0], r.weight(i, int(best[0]))
		for _, b := range best[1:] {
			if wb := r.weight(i, int(b)); r.outranks(int32(i), last, wl, b, wb) {
				last, wl = b, wb
			}
		}
		if r.outranks(int32(i), z, wz, last, wl) {
			return true
		}
	}
	return false
}

// weight is what page j scores for page i (some): one for each tag they
// share, two for each service.
func (r *relating) weight(i, j int) int {
	w := 0
	for _, t := range r.tags[i] {
		if slices.Contains(r.tags[j], t) {
			w++
		}
	}
	for _, sv := range r.svcs[i] {
		if slices.Contains(r.svcs[j], sv) {
			w += 2
		}
	}
	return w
}

// lastRelated returns the state the last load's relate left, or nil.
func (m *Memo) lastRelated() *relatedState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.related
}

// keepRelated keeps a load's related pages for the next, and how many
// pages' related pages it found rather than took.
func (m *Memo) keepRelated(st *relatedState, found int) {
	m.mu.Lock()
	m.related, m.relatedFound = st, found
	m.mu.Unlock()
}
