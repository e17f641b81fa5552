package site

import (
	"cmp"
	"maps"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
)

// Reshape takes in place pages added and removed: the Markdown files at
// paths (absolute and cleaned, as a watcher reports them) that are new to
// the site, and the pages whose files are gone; a renamed page is both.
// It does what a load does for them, for them alone: the new pages are
// read, placed among the others (their folder's children, the index of
// names), and linked; the pages that looked up a name, a path or a title
// one of them has or had (the Memo's records of the last load's linking,
// see titleLookers) are linked again, as are the pages a removed page
// linked to (their backlinks); services, owners, the start-here path,
// the related pages and the lists by title are made again.
//
// The patch's Pages are the new pages, Removed those gone, Relinked the
// pages linked again, Backlinked those whose backlinks changed; it is
// Retouched and Reshaped: a renderer made before plans other files.
//
// ok is false, and s is left as it was, when a path is neither, or when
// what the edit changes is made by a load alone: a folder's index (which
// places the pages below it), an evaluation in a radar's release folder
// (whose releases fold together, see radar.go), a dated ADR (numbered
// by its log's order), a page with aliases or a URL another page has, a
// page of a profile, a draft, a site without the Memo's records of its
// links. Front-matter relations
// (supersedes, runbooks, related…), which a load joins in both
// directions, are joined again for the pages linked and the pages on
// either end (rejoin): a page may name others, or be named, or have
// been named by a page linked again.
func (s *Site) Reshape(paths []string) (_ *Patch, ok bool) {
	if s.Config.Profile != nil || s.linkMemo() == nil || s.refs == nil {
		return nil, false
	}
	var added, removed []*Page
	var diags diag.List
	urls := map[string]bool{}
	for _, abs := range paths {
		if p := s.Removed(abs); p != nil {
			if p.IsIndex || len(p.Children) > 0 || inRelease(p) || s.folded[abs] != nil ||
				p.ADR != nil && (p.ADR.NumberFromOrder || !p.ADR.HasNumber) || len(p.Aliases) > 0 ||
				len(p.LeftOut) > 0 || !s.IsPublished(p) || slices.Contains(removed, p) {
				return nil, false
			}
			removed = append(removed, p)
			continue
		}
		if s.bySource[abs] != nil || s.folded[abs] != nil {
			return nil, false // a page edited: Patch's
		}
		src, ok := s.newSource(abs)
		if !ok {
			return nil, false
		}
		q, d := s.parseOne(src)
		if q == nil || q.IsIndex || inRelease(q) || !s.IsPublished(q) ||
			q.ADR != nil && !q.ADR.HasNumber || len(q.Aliases) > 0 ||
			len(src.root.Kinds) > 0 && !slices.Contains(src.root.Kinds, q.Kind) || urls[q.URL] {
			return nil, false
		}
		if t := s.byURL[q.URL]; t != nil && s.Removed(t.Source) == nil {
			return nil, false // duplicate-url: place moves one of them
		}
		if _, err := os.Lstat(abs); err != nil {
			return nil, false
		}
		urls[q.URL] = true
		added = append(added, q)
		diags = append(diags, d...)
	}
	if len(added) == 0 && len(removed) == 0 {
		return nil, false
	}
	for _, p := range removed {
		if urls[p.URL] {
			return nil, false // a URL given up and taken in one edit: a load's
		}
	}
	lookers, ok := s.nameLookers(added, removed)
	if !ok {
		return nil, false
	}

	// From here on s changes: nothing may fail.
	patch := &Patch{Pages: added, Removed: removed, Retouched: true, Reshaped: true}
	// The graph faces (graphFace) the edit may change other than by the
	// related pages, which relate tells: those of the start-here path's
	// pages and of the parents of the pages made or removed, whose
	// children change (those of pages made are taken once placed).
	before := map[*Page]graphFace{}
	for _, p := range s.startHere {
		before[p] = graphFaceOf(p)
	}
	for _, p := range removed {
		if q := p.Parent; q != nil {
			before[q] = graphFaceOf(q)
		}
	}
	for _, p := range removed {
		s.unplace(p)
	}
	for _, q := range added {
		if s.git != nil {
			s.attachGit(q)
			if q.Runbook != nil && q.Runbook.ReviewedFromGit {
				diags = filledFromGit(diags, map[string]bool{q.Path: true})
			}
		}
		parent := s.parentOf(q)
		if _, ok := before[parent]; parent != nil && !ok {
			before[parent] = graphFaceOf(parent)
		}
		s.placeOne(q)
		q.RingMove = q.RingChange(s.Config.Schema.Rings)
	}
	s.refolder(added, removed)

	backlinked := map[*Page]bool{}
	for _, p := range removed {
		for _, t := range p.Outgoing {
			if !slices.Contains(removed, t) {
				t.Backlinks = slices.DeleteFunc(slices.Clone(t.Backlinks), func(b *Page) bool { return b == p })
				backlinked[t] = true
			}
		}
	}
	recs := map[string]*linkRecord{}
	// The pages linked here may name others in their front matter, or
	// have named them: what each page they name, and each page naming
	// them, shows of those relations is joined again once all are
	// linked (rejoin), from what they showed before.
	touched := slices.Concat(added, lookers)
	joined := rejoinBefore(slices.Concat(touched, removed))
	link := func(q *Page, reset bool) {
		if reset {
			q.Doc.ResetLinks()
		}
		k := s.linker(q)
		patch.Diags = append(patch.Diags, k.diags...)
		if k.seen != nil {
			recs[q.Source] = record(q, k)
		}
		reedge(q, k.edges, backlinked)
	}
	for _, q := range added {
		link(q, false)
	}
	for _, q := range lookers {
		link(q, true)
		patch.Relinked = append(patch.Relinked, q)
	}
	// A page whose relations rejoin changed is a link target of the page
	// naming it, given or losing that link, so already among the pages
	// backlinked: marked here as well, as a guard.
	for _, t := range rejoin(touched, removed, joined) {
		backlinked[t] = true
		patch.Rejoined = append(patch.Rejoined, t)
	}
	slices.SortFunc(patch.Rejoined, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	if m := s.linkMemo(); m != nil {
		m.forgetLinks(removed)
		m.staleLinks(recs)
	}
	patch.Diags = append(diags, patch.Diags...)
	for p := range backlinked {
		if !slices.Contains(added, p) && !slices.Contains(removed, p) {
			patch.Backlinked = append(patch.Backlinked, p)
		}
	}
	slices.SortFunc(patch.Backlinked, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })

	// What graph makes of the pages as a whole: the related pages are
	// found again only for the pages the edit may change them for
	// (relatedmemo.go).
	s.services = regroup(s.services, func(p *Page) []string { return p.Services }, added, removed)
	s.owners = regroup(s.owners, func(p *Page) []string { return splitOwners(p.Owner) }, added, removed)
	s.startPath()
	// Only the pages made, linked again or given other backlinks can
	// have other tags, services or links than the last state holds.
	dirty := maps.Clone(backlinked)
	for _, q := range slices.Concat(added, lookers) {
		dirty[q] = true
	}
	related := s.relate(dirty)
	s.retag(nil, added, removed)
	s.reshapes++
	// The pages that were there before whose graph face changed: those
	// relate found other related pages for, and of the others watched,
	// those whose face is not the same.
	regraphed := map[*Page]bool{}
	for _, p := range related {
		regraphed[p] = true
	}
	for p, face := range before {
		if !face.same(graphFaceOf(p)) {
			regraphed[p] = true
		}
	}
	for p := range regraphed {
		if s.IsPublished(p) && !slices.Contains(added, p) && !slices.Contains(removed, p) {
			patch.Regraphed = append(patch.Regraphed, p)
		}
	}
	slices.SortFunc(patch.Regraphed, func(a, b *Page) int {
		return cmp.Or(strings.Compare(a.URL, b.URL), strings.Compare(a.Source, b.Source))
	})
	return patch, true
}

// graphFace is what place and graph give a page of others: its related
// pages, its neighbours and place on the start-here path, and a folder's
// index's children.
type graphFace struct {
	related, children []*Page
	prev, next        *Page
	step, steps       int
}

func graphFaceOf(p *Page) graphFace {
	return graphFace{related: p.RelatedPages, children: p.Children, prev: p.Prev, next: p.Next, step: p.Step, steps: p.Steps}
}

func (g graphFace) same(h graphFace) bool {
	return slices.Equal(g.related, h.related) && slices.Equal(g.children, h.children) &&
		g.prev == h.prev && g.next == h.next && g.step == h.step && g.steps == h.steps
}

// unplace takes page p out of the site's pages and indexes.
func (s *Site) unplace(p *Page) {
	s.Pages = slices.DeleteFunc(slices.Clone(s.Pages), func(q *Page) bool { return q == p })
	s.published = slices.DeleteFunc(slices.Clone(s.published), func(q *Page) bool { return q == p })
	if s.byURL[p.URL] == p {
		delete(s.byURL, p.URL)
	}
	delete(s.bySource, p.Source)
	if q := p.Parent; q != nil && slices.Contains(q.Children, p) {
		q.Children = slices.DeleteFunc(slices.Clone(q.Children), func(c *Page) bool { return c == p })
	}
	ix := s.refs
	drop := func(m map[string][]*Page, k string) {
		if l := m[k]; slices.Contains(l, p) {
			if l = slices.DeleteFunc(slices.Clone(l), func(q *Page) bool { return q == p }); len(l) == 0 {
				delete(m, k)
			} else {
				m[k] = l
			}
		}
	}
	adr := ""
	if a := p.ADR; a != nil {
		adr = a.ID
	}
	for _, k := range appendNameKeys(nil, p.Path, p.URL, adr, p.IsIndex, nil) {
		drop(ix.byName, k)
	}
	drop(ix.byTitle, strings.ToLower(p.Title))
	if a := p.ADR; a != nil && a.HasNumber {
		if l := ix.byNumber[a.Number]; slices.Contains(l, p) {
			ix.byNumber[a.Number] = slices.DeleteFunc(slices.Clone(l), func(q *Page) bool { return q == p })
			if len(ix.byNumber[a.Number]) == 0 {
				delete(ix.byNumber, a.Number)
			}
		}
	}
}

// parentOf returns the page whose child the new page q is to be (placeOne),
// nil for none.
func (s *Site) parentOf(q *Page) *Page {
	for u := ParentURL(q.URL); ; u = ParentURL(u) {
		if parent := s.byURL[u]; parent != nil {
			if ParentURL(q.URL) == u {
				return parent
			}
			return nil
		}
		if u == "/" {
			return nil
		}
	}
}

// placeOne puts the new page q among the site's pages and in its
// indexes, as place and buildIndex would have.
func (s *Site) placeOne(q *Page) {
	at, _ := slices.BinarySearchFunc(s.Pages, q.URL, func(p *Page, u string) int { return strings.Compare(p.URL, u) })
	s.Pages = slices.Insert(slices.Clone(s.Pages), at, q)
	at, _ = slices.BinarySearchFunc(s.published, q.URL, func(p *Page, u string) int { return strings.Compare(p.URL, u) })
	s.published = slices.Insert(slices.Clone(s.published), at, q)
	s.byURL[q.URL] = q
	s.bySource[q.Source] = q
	q.Href = s.Config.BasePath() + strings.TrimPrefix(q.URL, "/")
	for u := ParentURL(q.URL); ; u = ParentURL(u) {
		if parent := s.byURL[u]; parent != nil {
			q.Parent = parent
			if ParentURL(q.URL) == u {
				parent.Children = append(slices.Clone(parent.Children), q)
				SortNav(parent.Children)
			}
			break
		}
		if u == "/" {
			break
		}
	}
	ix := s.refs
	add := func(m map[string][]*Page, k string) {
		if k == "" {
			return
		}
		l := append(slices.Clone(m[k]), q)
		slices.SortFunc(l, comparePages)
		m[k] = slices.Compact(l)
	}
	adr := ""
	if a := q.ADR; a != nil {
		adr = a.ID
		if a.HasNumber {
			l := append(slices.Clone(ix.byNumber[a.Number]), q)
			slices.SortFunc(l, comparePages)
			ix.byNumber[a.Number] = l
		}
	}
	for _, k := range appendNameKeys(nil, q.Path, q.URL, adr, q.IsIndex, nil) {
		add(ix.byName, k)
	}
	add(ix.byTitle, strings.ToLower(q.Title))
}

// nameLookers returns the pages, other than those added or removed, whose
// links looked up a key that finds, or found, one of them (pageKeys: a
// path, a URL, a name, a title), or linked to a removed one, as the
// Memo's records of their linking say; ok is false when that cannot be
// told, or when such a page has front-matter references (which a load
// resolves, joining relations in both directions).
func (s *Site) nameLookers(added, removed []*Page) (_ []*Page, ok bool) {
	m := s.linkMemo()
	marked := map[string]bool{}
	for _, p := range slices.Concat(added, removed) {
		pageKeys(nameOf(p), marked)
	}
	for _, p := range removed {
		marked["to:"+p.Source] = true
	}
	return s.lookersOf(m, marked, func(q *Page) bool { return slices.Contains(removed, q) })
}

// nameOf is what page p is looked up by (linkNames' nameInfo, but for the
// sum).
func nameOf(p *Page) nameInfo {
	n := nameInfo{source: p.Source, path: p.Path, url: p.URL, title: p.Title, aliases: p.Aliases, page: true, isIndex: p.IsIndex}
	if a := p.ADR; a != nil {
		n.adr, n.number, n.hasNumber = a.ID, a.Number, a.HasNumber
	}
	return n
}

// regroup returns groups (groupBy's, by keys) with the pages added put in
// their groups and those removed taken out, as groupBy would make them
// now: each group's pages in the site's order (by URL), named as its
// first page writes it, the groups by slug. Groups no page of the edit
// names are kept as they are; the slice is new when any changed.
func regroup(groups []Group, keys func(*Page) []string, added, removed []*Page) []Group {
	touched := map[string]bool{}
	for _, p := range slices.Concat(added, removed) {
		for _, k := range keys(p) {
			if sl := Slug(k); sl != "" {
				touched[sl] = true
			}
		}
	}
	if len(touched) == 0 {
		return groups
	}
	byURL := func(a, b *Page) int { return strings.Compare(a.URL, b.URL) }
	out := make([]Group, 0, len(groups)+len(touched))
	for _, g := range groups {
		if touched[g.Slug] {
			g.Pages = slices.DeleteFunc(slices.Clone(g.Pages), func(p *Page) bool { return slices.Contains(removed, p) })
		}
		out = append(out, g)
	}
	for _, p := range added {
		for _, k := range keys(p) {
			sl := Slug(k)
			if sl == "" {
				continue
			}
			i := slices.IndexFunc(out, func(g Group) bool { return g.Slug == sl })
			if i < 0 {
				out = append(out, Group{Name: k, Slug: sl})
				i = len(out) - 1
			}
			if j, found := slices.BinarySearchFunc(out[i].Pages, p, byURL); !found {
				out[i].Pages = slices.Insert(out[i].Pages, j, p)
			}
		}
	}
	out = slices.DeleteFunc(out, func(g Group) bool { return len(g.Pages) == 0 })
	for i, g := range out {
		if touched[g.Slug] {
			for _, k := range keys(g.Pages[0]) {
				if Slug(k) == g.Slug {
					out[i].Name = k
					break
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b Group) int { return strings.Compare(a.Slug, b.Slug) })
	return out
}

// refolder follows in the site paths of folders (fileURLs, folderURLs)
// the pages added and removed: a new page's folders are added; a removed
// page's are found again when no page is left in its folder.
func (s *Site) refolder(added, removed []*Page) {
	if s.fileURLs == nil {
		return // made on first use
	}
	for _, p := range removed {
		dir := ParentURL(p.URL)
		if !slices.ContainsFunc(s.Pages, func(q *Page) bool { return strings.HasPrefix(q.URL, dir) && q.URL != dir }) {
			s.fileURLs = s.folderURLs()
			return
		}
	}
	var urls map[string]bool
	for _, q := range added {
		for u := path.Dir(strings.TrimSuffix(q.URL, "/")); ; u = path.Dir(u) {
			k := strings.TrimSuffix(u, "/") + "/"
			if !s.fileURLs[k] {
				if urls == nil {
					urls = maps.Clone(s.fileURLs)
				}
				urls[k] = true
			}
			if u == "/" || u == "." {
				break
			}
		}
	}
	if urls != nil {
		s.fileURLs = urls
	}
}

// Reshapes counts the calls of Reshape that changed the site's pages: two
// moments of one site with the same count have the same pages in the
// same places.
func (s *Site) Reshapes() int { return s.reshapes }

// rejoinBefore returns, for each of pages, the pages on the other end of
// its front-matter relations as a load joined them: those it names
// and those naming it, in supersession and typed relations alike.
func rejoinBefore(pages []*Page) map[*Page][]*Page {
	out := make(map[*Page][]*Page, len(pages))
	for _, p := range pages {
		out[p] = relationEnds(p)
	}
	return out
}

// relationEnds is every page in p's supersession and relations, both
// sides.
func relationEnds(p *Page) []*Page {
	ends := slices.Concat(p.Supersedes, p.SupersededBy)
	for _, r := range slices.Concat(p.Relations, p.Incoming) {
		ends = append(ends, r.Pages...)
	}
	return ends
}

// rejoin joins again, as graph and a load's linking do, the
// front-matter relations of the pages touched (linked again, their own
// side set anew by linker) and of the pages on either end of them,
// before (before, rejoinBefore's, taken ahead of the linking) or now;
// the pages removed are on no end any more. A page's supersession is
// its own side and the decisions whose own side names it; its incoming
// relations the pages whose relations name it, by the inverse name.
// Any page on the other end of a relation now is touched or was there
// before: a page whose references resolve otherwise after an edit looked
// up a name the edit changed, and is linked again. The slices set are
// new: a renderer or a view of the site before may hold the old ones.
// It returns the pages other than those touched whose relations
// changed.
func rejoin(touched, removed []*Page, before map[*Page][]*Page) []*Page {
	gone := func(p *Page) bool { return slices.Contains(removed, p) }
	isTouched := map[*Page]bool{}
	for _, p := range touched {
		isTouched[p] = true
	}
	// Only a page with references of its own names others: of the pages
	// touched (a title's backlinks may be thousands), those are the
	// candidates for every page joined again. A page with no relation
	// before or now is on no end.
	var namers, ends []*Page
	for p, was := range before {
		if len(was) > 0 && !gone(p) {
			ends = append(ends, p)
		}
		ends = append(ends, was...)
	}
	for _, p := range touched {
		if now := relationEnds(p); len(now) > 0 {
			ends = append(append(ends, p), now...)
		}
		if len(p.Relations) > 0 || len(p.ownSupersedes) > 0 || len(p.ownSupersededBy) > 0 {
			namers = append(namers, p)
		}
	}
	ends = sortedUnique(slices.DeleteFunc(ends, gone))
	var changed []*Page
	for _, a := range ends {
		cands := slices.Concat(namers, []*Page{a})
		if was, ok := before[a]; ok {
			cands = append(cands, was...)
		} else {
			cands = append(cands, relationEnds(a)...)
		}
		cands = sortedUnique(slices.DeleteFunc(cands, gone))
		sup, supBy := slices.Clone(a.ownSupersedes), slices.Clone(a.ownSupersededBy)
		for _, y := range cands {
			if slices.Contains(y.ownSupersededBy, a) {
				sup = append(sup, y)
			}
			if slices.Contains(y.ownSupersedes, a) {
				supBy = append(supBy, y)
			}
		}
		sup, supBy = nilIfEmpty(sortedUnique(sup)), nilIfEmpty(sortedUnique(supBy))
		var in []Relation
		for _, y := range cands {
			if y == a {
				continue
			}
			for _, r := range y.Relations {
				if slices.Contains(r.Pages, a) {
					in = addToRelation(in, inverse[r.Name], y)
				}
			}
		}
		sortRelations(in)
		if !isTouched[a] && (!slices.Equal(sup, a.Supersedes) || !slices.Equal(supBy, a.SupersededBy) || !sameRelations(in, a.Incoming)) {
			changed = append(changed, a)
		}
		a.Supersedes, a.SupersededBy, a.Incoming = sup, supBy, in
	}
	return changed
}

func nilIfEmpty(ps []*Page) []*Page {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// sameRelations reports whether a and b name the same relations of the
// same pages, in the same order.
func sameRelations(a, b []Relation) bool {
	return slices.EqualFunc(a, b, func(x, y Relation) bool { return x.Name == y.Name && slices.Equal(x.Pages, y.Pages) })
}

// inRelease reports whether p is an evaluation in a radar's release
// folder, which a load may fold with its other releases.
func inRelease(p *Page) bool {
	_, _, ok := release(p)
	return ok
}
