package site

import (
	"hash/maphash"
	"path/filepath"
	"slices"
	"strconv"
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

// WarmLinks makes the index of the Memo's records of the last load's
// linking by what each page looked up and linked to (lookerIndex) now,
// rather than at the first edit that asks who looked a page up: a page
// added, removed or retitled, 95 to 120 ms at 10,000 pages. The preview
// calls it beside its other work after a load; an edit meanwhile waits
// for the Memo's lock.
func (s *Site) WarmLinks() {
	m := s.linkMemo()
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.links != nil {
		m.links.lookerIndex()
	}
}

// linkState is what a load's linking resolved, kept by the Memo for the
// next load.
type linkState struct {
	names *linkNames
	pages map[string]*linkRecord // by source
	// byKey indexes pages by what their records looked up and linked
	// to (lookerIndex), once asked for.
	byKey map[string][]string
}

// lookerIndex returns the sources of the pages whose records hold each
// key they looked a page up by (linkRecord.keys), each title
// ("title:" and the title), and each page they link to ("to:" and its
// source): made on first use after a load, then kept up to date by
// staleLinks. An entry may name a page whose record no longer holds the
// key: the caller checks the record. Called with the Memo's lock held.
func (st *linkState) lookerIndex() map[string][]string {
	if st.byKey == nil {
		st.byKey = make(map[string][]string, 4*len(st.pages))
		for src, r := range st.pages {
			st.index(src, r)
		}
	}
	return st.byKey
}

func (st *linkState) index(src string, r *linkRecord) {
	for _, k := range r.keys {
		st.byKey[k] = append(st.byKey[k], src)
	}
	for _, t := range r.titles {
		st.byKey["title:"+t] = append(st.byKey["title:"+t], src)
	}
	for _, t := range r.targets {
		st.byKey["to:"+t] = append(st.byKey["to:"+t], src)
	}
}

// holds reports whether record r holds key, as lookerIndex indexes it.
func (r *linkRecord) holds(key string) bool {
	switch {
	case strings.HasPrefix(key, "to:"):
		return slices.Contains(r.targets, key[len("to:"):])
	case strings.HasPrefix(key, "title:") && slices.Contains(r.titles, key[len("title:"):]):
		return true
	}
	_, found := slices.BinarySearch(r.keys, key)
	return found
}

// lookers returns the sources of the pages whose records hold one of
// keys (lookerIndex), sorted. Called with the Memo's lock held.
func (st *linkState) lookers(keys map[string]bool) []string {
	ix := st.lookerIndex()
	var out []string
	for k := range keys {
		for _, src := range ix[k] {
			if r := st.pages[src]; r != nil && r.holds(k) {
				out = append(out, src)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
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
	// keys are every key its links and references looked a page, file or
	// folder up by (lookups), sorted: when the site's names change, a
	// page none of whose keys name a page or file that changed keeps
	// its record.
	keys []string
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

// linkNames is what a load's pages and files are looked up by: the hash
// of the frame (base path, roots), of everything (world), and each page's
// and file's names by source.
type linkNames struct {
	frame, world uint64
	bySource     map[string]nameInfo
}

// nameInfo is what one page or file is looked up by (see pageKeys), and
// the hash of it (sum). A file has only its source and URL.
type nameInfo struct {
	sum                           uint64
	source, path, url, title, adr string
	aliases                       []string
	number                        int
	page, isIndex, hasNumber      bool
}

// linkNames hashes what every page's linking reads of the site but for
// the pages' titles, ids and front-matter relations (see above), page by
// page.
func (s *Site) linkNames(seed maphash.Seed) *linkNames {
	var h maphash.Hash
	h.SetSeed(seed)
	str := func(v string) {
		h.WriteString(v)
		h.WriteByte(0)
	}
	num := func(n int) { maphash.WriteComparable(&h, n) }
	str(s.Config.BasePath())
	for _, r := range s.rootDirs {
		str(r.Dir)
		str(r.Mount)
		str(r.Source)
		str(string(r.Kind))
	}
	ln := &linkNames{frame: h.Sum64(), bySource: make(map[string]nameInfo, len(s.Pages)+len(s.Files))}
	world := maphash.Hash{}
	world.SetSeed(seed)
	maphash.WriteComparable(&world, ln.frame)
	for _, f := range s.Files {
		h.Reset()
		str(f.Source)
		str(f.URL)
		ni := nameInfo{sum: h.Sum64(), source: f.Source, url: f.URL}
		ln.bySource[f.Source] = ni
		maphash.WriteComparable(&world, ni.sum)
	}
	for _, p := range s.Pages {
		h.Reset()
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
		ni := nameInfo{source: p.Source, path: p.Path, url: p.URL, title: p.Title, aliases: p.Aliases, page: true, isIndex: p.IsIndex}
		if p.ADR != nil {
			flags |= 4
			if p.ADR.HasNumber {
				flags |= 8
			}
			str(p.ADR.ID)
			num(p.ADR.Number)
			ni.adr, ni.number, ni.hasNumber = p.ADR.ID, p.ADR.Number, p.ADR.HasNumber
		}
		num(flags)
		if p.Root != nil {
			str(p.Root.Dir)
			str(p.Root.Mount)
			str(p.Root.Source)
		}
		ni.sum = h.Sum64()
		ln.bySource[p.Source] = ni
		maphash.WriteComparable(&world, ni.sum)
	}
	ln.world = world.Sum64()
	return ln
}

// pageKeys adds to marked every key that finds the page or file n, or
// would find it (lookups): its path on disk and the folders holding it,
// its URL and the site's folders holding it, its aliases, and a page's
// names, number and title as the index of names has them (buildIndex).
func pageKeys(n nameInfo, marked map[string]bool) {
	for d := n.source; ; {
		marked["path:"+d] = true
		up := filepath.Dir(d)
		if up == d {
			break
		}
		d = up
	}
	for u := n.url; u != ""; u = ParentURL(u) {
		marked["url:"+u] = true
		if u == "/" {
			break
		}
	}
	if !n.page {
		return
	}
	for _, k := range nameKeys(n.path, n.url, n.adr, n.isIndex, n.aliases) {
		marked["name:"+k] = true
	}
	for _, a := range n.aliases {
		marked["alias:"+aliasURL(a)] = true
	}
	marked["title:"+strings.ToLower(n.title)] = true
	if n.hasNumber {
		marked["num:"+strconv.Itoa(n.number)] = true
	}
}

// linksToReuse returns, for each page of s, the record of its linking in
// the last load when that still holds (nil: link it again), and the
// site's names to keep with this load's records. All records are nil
// without a Memo's records of a load with the same frame.
func (s *Site) linksToReuse(m *Memo) ([]*linkRecord, *linkNames) {
	names := s.linkNames(m.seed)
	m.mu.Lock()
	last := m.links
	m.links = nil // replaced once this load's linking is done
	m.mu.Unlock()
	if last == nil || last.names.frame != names.frame {
		return nil, names
	}
	// Pages read again, or whose title changed, and the titles gained or
	// lost.
	dirty := map[string]bool{}
	titles := map[string]bool{}
	// The keys of the pages and files whose names changed, when any did.
	var marked map[string]bool
	if last.names.world != names.world {
		marked = map[string]bool{}
		for src, n := range names.bySource {
			if o, ok := last.names.bySource[src]; !ok || o.sum != n.sum {
				pageKeys(n, marked)
				if ok {
					pageKeys(o, marked)
				}
				dirty[src] = true
			}
		}
		for src, o := range last.names.bySource {
			if _, ok := names.bySource[src]; !ok {
				pageKeys(o, marked)
			}
		}
		for k := range marked {
			if t, ok := strings.CutPrefix(k, "title:"); ok {
				titles[t] = true
			}
		}
	}
	for _, p := range s.Pages {
		r := last.pages[p.Source]
		if r == nil {
			dirty[p.Source] = true // a page new to the site
			continue
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
		if r == nil || dirty[p.Source] {
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
		if marked != nil {
			for _, k := range r.keys {
				if marked[k] {
					continue pages
				}
			}
		}
		out[i] = r
	}
	return out, names
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
		p.ownSupersedes, p.ownSupersededBy = slices.Clone(sup), slices.Clone(supBy)
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
	var seen lookups
	if k.seen != nil {
		seen = *k.seen
	}
	slices.Sort(seen.keys)
	keys := slices.Clip(slices.Compact(seen.keys))
	r := &linkRecord{page: p.Page, doc: p.Doc, title: p.Title, diags: slices.Clip(k.diags), leftOut: slices.Clip(p.LeftOut), titles: seen.titles, keys: keys}
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
func (m *Memo) keepLinks(names *linkNames, pages []*Page, records, reused []*linkRecord) {
	st := &linkState{names: names, pages: make(map[string]*linkRecord, len(pages))}
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

// staleLinks takes, for the pages at their sources, records of their
// links resolved again in place (Site.Patch, Site.Reshape), marked as not
// holding (a load links them again) but for what they looked up and
// linked to, which titleLookers and nameLookers read. A record keeps the
// page's title of the last load's: the next load compares with it.
func (m *Memo) staleLinks(recs map[string]*linkRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.links == nil {
		return
	}
	for src, r := range recs {
		stale := *r
		stale.doc = nil
		if old := m.links.pages[src]; old != nil {
			stale.title = old.title
		}
		m.links.pages[src] = &stale
		if m.links.byKey != nil {
			m.links.index(src, &stale)
		}
	}
}

// forgetLinks drops the records of the pages removed (Site.Reshape).
func (m *Memo) forgetLinks(removed []*Page) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.links == nil {
		return
	}
	for _, p := range removed {
		delete(m.links.pages, p.Source)
	}
}
