package site

import (
	"hash/maphash"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
)

// A load with a Memo resolves again only the links that may resolve
// otherwise than in the load before; the others are taken as that load
// resolved them. After an edit of a page's front matter or title in a
// large handbook, that is a few pages' links rather than every page's.
//
// What one page's linking reads of the rest of the site is, for almost
// all of it, the site's names: which pages there are, where (source,
// URL, root), under which names, numbers and aliases, of which kind, and
// the files beside them. That is hashed whole (linkWorld); when it
// differs from the last load's, every page is linked again. Beyond the
// names, a page's linking reads three things, recorded per page
// (linkRecord):
//
//   - the pages it links to: their ids (a #fragment), their titles (a
//     [[reference]] shows its target's title). A page linking to a page
//     whose parse or title changed is linked again;
//   - the titles it looked a [[reference]] up by: a page whose lookup
//     names a title that a page gained or lost is linked again;
//   - its own parse: a page read again is linked again.
//
// A site with a profile or remote sources links every page every time.

// linkState is what a load's linking resolved, kept by the Memo for the
// next load.
type linkState struct {
	world uint64
	pages map[string]*linkRecord // by source
}

// linkRecord is what linking one page gave, from one parse of it.
type linkRecord struct {
	page *page.Page
	doc  *markdown.Document
	// title is the page's title when linked.
	title string
	// targets are the sources of the pages of its edges, in order.
	targets   []string
	diags     diag.List
	leftOut   []LeftOut
	relations []relationRecord
	// supersedes and supersededBy are the page's own side of its ADR
	// relations, as linkPage set them.
	supersedes, supersededBy []string
	// titles are the names, in lower case, its references were looked
	// up by as titles.
	titles []string
}

type relationRecord struct {
	name, key string
	kind      page.Kind
	pages     []string
}

// linkMemo returns the Memo whose link records a load may use and keep;
// nil when linking cannot be memoized for this site.
func (s *Site) linkMemo() *Memo {
	if s.Config.Memo == nil || s.Config.Profile != nil || s.Config.Remote != nil {
		return nil
	}
	return s.Config.Memo
}

// linkWorld hashes what every page's linking reads of the site but for
// the pages' titles, ids and front-matter relations (see above).
func (s *Site) linkWorld(seed maphash.Seed) uint64 {
	var h maphash.Hash
	h.SetSeed(seed)
	str := func(v string) {
		h.WriteString(v)
		h.WriteByte(0)
	}
	num := func(n int) { maphash.WriteComparable(&h, n) }
	str(s.Config.BasePath())
	num(len(s.Files))
	for _, f := range s.Files {
		str(f.Source)
		str(f.URL)
	}
	num(len(s.Pages))
	for _, p := range s.Pages {
		str(p.Source)
		str(p.Path)
		str(p.URL)
		str(string(p.Kind))
		num(len(p.Aliases))
		for _, a := range p.Aliases {
			str(a)
		}
		var flags int
		if p.IsIndex {
			flags |= 1
		}
		if p.Evaluation != nil {
			flags |= 2
		}
		if p.ADR != nil {
			flags |= 4
			if p.ADR.HasNumber {
				flags |= 8
			}
			str(p.ADR.ID)
			num(p.ADR.Number)
		}
		num(flags)
		if p.Root != nil {
			str(p.Root.Dir)
			str(p.Root.Mount)
			str(p.Root.Source)
		}
	}
	return h.Sum64()
}

// linksToReuse returns, for each page of s, the record of its linking in
// the last load when that still holds (nil: link it again), and the hash
// of the site's names to keep with this load's records. All are nil
// without a Memo's records of a load of the same names.
func (s *Site) linksToReuse(m *Memo) ([]*linkRecord, uint64) {
	world := s.linkWorld(m.seed)
	m.mu.Lock()
	last := m.links
	m.links = nil // replaced once this load's linking is done
	m.mu.Unlock()
	if last == nil || last.world != world {
		return nil, world
	}
	// Pages read again, or whose title changed, and the titles gained or
	// lost.
	dirty := map[string]bool{}
	titles := map[string]bool{}
	for _, p := range s.Pages {
		r := last.pages[p.Source]
		if r == nil {
			return nil, world // cannot happen: the names are the same
		}
		if r.title != p.Title {
			titles[strings.ToLower(r.title)] = true
			titles[strings.ToLower(p.Title)] = true
			dirty[p.Source] = true
		}
		if r.page != p.Page || r.doc != p.Doc {
			dirty[p.Source] = true
		}
	}
	out := make([]*linkRecord, len(s.Pages))
pages:
	for i, p := range s.Pages {
		r := last.pages[p.Source]
		if dirty[p.Source] {
			continue
		}
		for _, t := range r.targets {
			if dirty[t] {
				continue pages
			}
		}
		for _, t := range r.titles {
			if titles[t] {
				continue pages
			}
		}
		out[i] = r
	}
	return out, world
}

// replay gives page p the links its record says, as linkPage would have;
// false when a page it names is not the site's (linked again then).
func (s *Site) replay(p *Page, r *linkRecord) ([]edge, diag.List, bool) {
	pagesOf := func(srcs []string) ([]*Page, bool) {
		if srcs == nil {
			return nil, true
		}
		out := make([]*Page, 0, len(srcs))
		for _, src := range srcs {
			t := s.bySource[src]
			if t == nil || t.Source != src {
				return nil, false
			}
			out = append(out, t)
		}
		return out, true
	}
	targets, ok := pagesOf(r.targets)
	if !ok {
		return nil, nil, false
	}
	var rels []Relation
	for _, rr := range r.relations {
		ps, ok := pagesOf(rr.pages)
		if !ok {
			return nil, nil, false
		}
		rels = append(rels, Relation{Name: rr.name, Key: rr.key, Kind: rr.kind, Pages: ps})
	}
	sup, ok1 := pagesOf(r.supersedes)
	supBy, ok2 := pagesOf(r.supersededBy)
	if !ok1 || !ok2 {
		return nil, nil, false
	}
	edges := make([]edge, len(targets))
	for i, t := range targets {
		edges[i] = edge{p, t}
	}
	p.LeftOut = slices.Clip(r.leftOut)
	p.Relations = rels
	if p.ADR != nil {
		p.Supersedes, p.SupersededBy = sup, supBy
	}
	return edges, r.diags, true
}

// record makes the record of page p's linking by k.
func record(p *Page, k *linker) *linkRecord {
	sources := func(ps []*Page) []string {
		if ps == nil {
			return nil
		}
		out := make([]string, len(ps))
		for i, t := range ps {
			out[i] = t.Source
		}
		return out
	}
	r := &linkRecord{page: p.Page, doc: p.Doc, title: p.Title, diags: slices.Clip(k.diags), leftOut: slices.Clip(p.LeftOut), titles: k.titles}
	r.targets = make([]string, len(k.edges))
	for i, e := range k.edges {
		r.targets[i] = e.to.Source
	}
	for _, rel := range p.Relations {
		r.relations = append(r.relations, relationRecord{name: rel.Name, key: rel.Key, kind: rel.Kind, pages: sources(rel.Pages)})
	}
	if p.ADR != nil {
		r.supersedes, r.supersededBy = sources(p.Supersedes), sources(p.SupersededBy)
	}
	return r
}

// keepLinks keeps a load's link records for the next load, and the paths
// of the pages it linked again: those whose record it did not reuse.
func (m *Memo) keepLinks(world uint64, pages []*Page, records, reused []*linkRecord) {
	st := &linkState{world: world, pages: make(map[string]*linkRecord, len(pages))}
	var relinked []string
	for i, p := range pages {
		if records[i] == nil {
			return // a page not linked (left out): keep nothing
		}
		st.pages[p.Source] = records[i]
		if reused == nil || records[i] != reused[i] {
			relinked = append(relinked, p.Path)
		}
	}
	m.mu.Lock()
	m.links, m.relinked = st, relinked
	m.mu.Unlock()
}

// Relinked returns the paths of the pages whose links the last load
// resolved again, in the site's order; the others it took as the load
// before resolved them.
func (m *Memo) Relinked() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.relinked
}

// staleLinks marks the records of the pages at sources as not holding:
// their links were resolved again in place (Site.Patch). Their titles
// are kept: the next load compares with them.
func (m *Memo) staleLinks(sources ...string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.links == nil {
		return
	}
	for _, src := range sources {
		if r := m.links.pages[src]; r != nil {
			stale := *r
			stale.doc = nil
			m.links.pages[src] = &stale
		}
	}
}
