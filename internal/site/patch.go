package site

import (
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
)

// A Patch says what Site.Patch changed.
type Patch struct {
	// Pages are the pages read again, in the order of their paths.
	Pages []*Page
	// Relinked are other pages whose links were resolved again because a
	// page they link to now has other ids (headings, anchors).
	Relinked []*Page
	// Backlinked are the pages that gained or lost a backlink, sorted by
	// URL: their own output shows their backlinks.
	Backlinked []*Page
	// Diags are the findings of reading Pages and of resolving the links
	// of Pages and Relinked: they replace, for those files, the findings
	// of the rules of file and link scope (lint.ScopeFile, lint.ScopeLinks).
	Diags diag.List
	// Retouched is set by Retouch when a page's front matter changed in
	// fields that only rules and layouts read (see Retouch): what shows
	// them beyond the page is to be found out and rendered again.
	Retouched bool
	// Removed are the pages Reshape took out of the site, in the order of
	// their paths.
	Removed []*Page
	// Reshaped is set by Reshape: pages were added or removed, and a
	// renderer made before plans other files than the site now has.
	Reshaped bool
	// Regraphed are other pages whose fields naming pages that graph and
	// place make (related pages, the start-here path's neighbours, a
	// folder index's children) changed, sorted by URL.
	Regraphed []*Page
	// Rejoined are other pages whose supersession or typed relations
	// changed (an ADR another now supersedes), sorted by URL: the pages
	// linking to them read those (link-to-superseded), and are checked
	// again.
	Rejoined []*Page
	// Retitled is set by Retouch when a page's title changed: the orders
	// by title (lists, tags, a folder's children) and what the sidebar
	// shows are the site's as it is now, not as it was loaded, and a
	// renderer made before shows the old ones.
	Retitled bool
}

// Patch reads the Markdown files at paths again (absolute and cleaned, as
// a watcher reports them) and takes their new versions in place, when what
// changed in them shows nowhere else: each path must be the source of a
// page, still a regular file, with the same front matter, title, excerpt
// and reading time as before. The pages keep their identity (*Page); their
// document and outgoing links are replaced, the backlinks of the pages they
// link to follow, the pages that link to a page whose ids changed have
// their links resolved again (a #fragment may now be broken or fixed), and
// when a link was gained or lost the related pages are found again (they
// leave out the pages a page links to or is linked from: Regraphed).
//
// When a path does not qualify, Patch changes nothing that the site shows
// and returns ok false: load the site again (with the same Memo, which
// keeps what Patch parsed). Patch does not run the rules of lint; s.Diags
// is left as it was loaded.
func (s *Site) Patch(paths []string) (_ *Patch, ok bool) { return s.patch(paths, false) }

// Retouch is Patch, but it also takes in place an edit of what nothing
// of the site's own model is made of, which only the rules and the
// layouts read (retouchable): a page's description, excerpt and reading
// time (a body edit of its opening text, or of its length); an ADR's
// status and who decided, was consulted or informed; a postmortem's
// status, severity, responders, timeline and incident link; a runbook's
// last_reviewed, severity, tier, escalation, dashboards and alerts. An
// edit of the page's front-matter references to other pages (supersedes,
// related, a postmortem's runbooks…) is taken too: the page is linked
// again and the relations joined again on both ends (refFields, rejoin).
// Unlike the other fields, they neither place a page, nor name it, nor
// link it, nor group it, nor make any page's relations to others. The
// patch's Retouched is then set: the pages showing such a field anywhere
// (lists, related pages) show the new value only once rendered again,
// which is the caller's to find out (the fingerprints of
// render.Renderer), as are the rules' findings about them. A site cut by
// a profile is not retouched: a status may take a page in or out of it.
//
// A page's title is retouched too (the patch's Retitled is then set),
// when what it changes is known: the pages showing it in a [[reference]]
// (its backlinks) and those that looked a reference up by the old or the
// new title (the Memo's records) are linked again, the folder's children
// and the lists by title sorted again; the front-matter relations
// (supersedes, related…) of those pages, which a load joins in both
// directions, are joined again (rejoin). A site without a Memo's records
// of its links loads.
func (s *Site) Retouch(paths []string) (_ *Patch, ok bool) {
	if s.Config.Profile != nil {
		return s.patch(paths, false)
	}
	return s.patch(paths, true)
}

func (s *Site) patch(paths []string, retouch bool) (_ *Patch, ok bool) {
	retouched, retitled := false, false
	olds := make([]*Page, 0, len(paths))
	nexts := make([]*Page, 0, len(paths))
	var diags diag.List
	for _, abs := range paths {
		p := s.bySource[abs]
		if p == nil || slices.Contains(olds, p) {
			return nil, false
		}
		next, d := s.reparse(p, true)
		if next == nil {
			return nil, false
		}
		if s.git != nil {
			s.attachGit(next)
			if next.Runbook != nil && next.Runbook.ReviewedFromGit {
				d = filledFromGit(d, map[string]bool{next.Path: true})
			}
		}
		if a := p.ADR; a != nil && a.NumberFromOrder && next.ADR != nil && !next.ADR.HasNumber {
			// A dated ADR's number is given by the load, from the order
			// of the log's dates, which sameFace holds the same: the
			// page keeps its own. The page's fields are the Memo's: they
			// are copied, not changed.
			pp, na := *next.Page, *next.ADR
			na.Number, na.HasNumber, na.NumberFromOrder = a.Number, true, true
			pp.ADR = &na
			next.Page = &pp
		}
		if !sameFace(p, next) {
			if !retouch {
				return nil, false
			}
			a, b := refFields(retouchedFields(p, next))
			if !sameFace(a, b) {
				if !sameFace(titledFields(a, b)) {
					return nil, false
				}
				retitled = true
			}
			retouched = true
		}
		olds, nexts = append(olds, p), append(nexts, next)
		diags = append(diags, d...)
	}
	// Pages that looked a reference up by a title gained or lost, to link
	// again: their links may now find another page, or none.
	var lookers []*Page
	if retitled {
		if lookers, ok = s.titleLookers(olds, nexts); !ok {
			return nil, false
		}
	}

	patch := &Patch{Pages: olds, Retouched: retouched, Retitled: retitled}
	var titled []*Page
	relinkAlso := func(qs []*Page) {
		for _, q := range qs {
			if !slices.Contains(olds, q) && !slices.Contains(patch.Relinked, q) {
				patch.Relinked = append(patch.Relinked, q)
			}
		}
	}
	for i, p := range olds {
		n := nexts[i]
		idsChanged := !maps.Equal(p.Doc.IDs, n.Doc.IDs)
		oldTitle := p.Title
		p.Page, p.Doc, p.Excerpt = n.Page, n.Doc, n.Excerpt
		p.src.size, p.src.mod = n.src.size, n.src.mod
		if p.Title != oldTitle {
			titled = append(titled, p)
			if q := s.retitle(p, oldTitle); q != nil && !slices.Contains(patch.Regraphed, q) {
				patch.Regraphed = append(patch.Regraphed, q)
			}
			// A [[reference]] to it shows its title.
			relinkAlso(p.Backlinks)
			continue
		}
		if idsChanged {
			relinkAlso(p.Backlinks)
		}
	}
	relinkAlso(lookers)
	if retitled {
		// Tags and kinds list their pages by title (Tags, OfKind).
		s.retag(titled, nil, nil)
	}
	backlinked := map[*Page]bool{}
	recs := map[string]*linkRecord{}
	// Front-matter relations are joined in both directions by a load;
	// linker sets only a page's own side: they are joined again for the
	// pages linked here and those on either end (rejoin). A page that
	// looked a title up by a front-matter reference may name another
	// page now.
	touched := slices.Concat(olds, patch.Relinked)
	joined := rejoinBefore(touched)
	relink := func(q *Page, reread bool) {
		if !reread {
			q.Doc.ResetLinks()
		}
		k := s.linker(q)
		edges, d := k.edges, k.diags
		if k.seen != nil {
			recs[q.Source] = record(q, k)
		}
		patch.Diags = append(patch.Diags, d...)
		if !reread && !slices.Contains(lookers, q) {
			return // same links to the same pages: same edges
		}
		reedge(q, edges, backlinked)
	}
	for _, p := range olds {
		relink(p, true)
	}
	for _, q := range patch.Relinked {
		relink(q, false)
	}
	for _, t := range rejoin(touched, nil, joined) {
		backlinked[t] = true // a guard, as in Reshape
		patch.Rejoined = append(patch.Rejoined, t)
	}
	slices.SortFunc(patch.Rejoined, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	if m := s.linkMemo(); m != nil {
		// What the Memo recorded of their linking no longer holds, but
		// for what they looked up now (titleLookers, nameLookers).
		m.staleLinks(recs)
	}
	patch.Diags = append(diags, patch.Diags...)
	for p := range backlinked {
		patch.Backlinked = append(patch.Backlinked, p)
	}
	slices.SortFunc(patch.Backlinked, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	if len(backlinked) > 0 {
		// A page's related pages leave out those it links to or that
		// link to it: a link gained or lost changes them. relate finds
		// them again for the pages whose links changed (relatedmemo.go);
		// those whose lists changed are Regraphed.
		dirty := maps.Clone(backlinked)
		for _, q := range slices.Concat(olds, patch.Relinked) {
			dirty[q] = true
		}
		for _, p := range s.relate(dirty) {
			if !slices.Contains(olds, p) && !slices.Contains(patch.Regraphed, p) {
				patch.Regraphed = append(patch.Regraphed, p)
			}
		}
	}
	slices.SortFunc(patch.Regraphed, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	return patch, true
}

// reedge gives page q the pages its edges now link to (Outgoing), and
// those pages q as a backlink, or no longer, marking in backlinked the
// pages whose backlinks changed. The lists changed are copies.
func reedge(q *Page, edges []edge, backlinked map[*Page]bool) {
	var out []*Page
	for _, e := range edges {
		if e.to != q {
			out = append(out, e.to)
		}
	}
	out = sortedUnique(out)
	for _, t := range q.Outgoing {
		if !slices.Contains(out, t) {
			t.Backlinks = slices.DeleteFunc(slices.Clone(t.Backlinks), func(b *Page) bool { return b == q })
			backlinked[t] = true
		}
	}
	for _, t := range out {
		if !slices.Contains(q.Outgoing, t) {
			t.Backlinks = sortedUnique(append(slices.Clone(t.Backlinks), q))
			backlinked[t] = true
		}
	}
	q.Outgoing = out
}

// reparse reads the file of page p again, as it is now, into the Memo if
// the site has one; nil when it is no longer a regular, non-empty file or
// cannot be parsed. Unless fresh, a Memo entry of the file's size and
// time is taken: one made since the caller told the Memo the file
// changed (Memo.Forget).
func (s *Site) reparse(p *Page, fresh bool) (*Page, diag.List) {
	fi, err := os.Stat(p.src.abs)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return nil, nil
	}
	src := p.src
	src.size, src.mod, src.changed = fi.Size(), fi.ModTime(), fresh
	return s.parseOne(src)
}

// sameFace reports whether a page read again shows the same to other pages
// and to the generated pages as before: front matter, title, excerpt,
// reading time, and whether it is a folder's index.
func sameFace(old, next *Page) bool {
	if old.Title != next.Title || old.Excerpt != next.Excerpt || old.IsIndex != next.IsIndex ||
		old.ReadingMinutes() != next.ReadingMinutes() {
		return false
	}
	a, b := *old.Page, *next.Page
	a.Body, b.Body = nil, nil
	// BodyLine follows from the front matter; Fields holds positions in
	// it, so front matter that moved counts as changed.
	return reflect.DeepEqual(a, b)
}

// retouchedFields returns copies of old and next, pages of one file, with
// next's retouchable fields (see Retouch) in old's: they show the same
// face (sameFace) when nothing else differs. A new field of page.Page is
// not retouchable until it is named here.
func retouchedFields(old, next *Page) (*Page, *Page) {
	a, b := *old, *next
	// The opening text and the reading time (of the document): lists,
	// feeds and the search index show them, nothing of the site is made
	// of them.
	a.Excerpt, a.Doc = b.Excerpt, b.Doc
	pa, pb := *old.Page, *next.Page
	// The description: the excerpt when set, and the page's summary.
	pa.Description = pb.Description
	if x, y := pa.ADR, pb.ADR; x != nil && y != nil {
		z := *x
		z.Status, z.RawStatus, z.StatusFrom = y.Status, y.RawStatus, y.StatusFrom
		z.DecisionMakers, z.Consulted, z.Informed = y.DecisionMakers, y.Consulted, y.Informed
		pa.ADR = &z
	}
	if x, y := pa.Postmortem, pb.Postmortem; x != nil && y != nil {
		z := *x
		z.Status, z.Severity, z.Responders, z.URL = y.Status, y.Severity, y.Responders, y.URL
		z.ImpactStart, z.DetectedAt, z.MitigatedAt, z.ResolvedAt = y.ImpactStart, y.DetectedAt, y.MitigatedAt, y.ResolvedAt
		pa.Postmortem = &z
	}
	if x, y := pa.Runbook, pb.Runbook; x != nil && y != nil {
		z := *x
		z.LastReviewed, z.ReviewedFromGit = y.LastReviewed, y.ReviewedFromGit
		z.Severity, z.Tier, z.Escalation, z.Dashboards, z.Alerts = y.Severity, y.Tier, y.Escalation, y.Dashboards, y.Alerts
		pa.Runbook = &z
	}
	a.Page, b.Page = &pa, &pb
	return &a, &b
}

// refFields returns copies of old and next, pages of one file, with
// next's front-matter references to other pages (supersedes, related, a
// postmortem's runbooks…) in old's, and next's record of where each
// field and the body are written (a reference added or removed moves
// the lines below it): the page is linked again, and its relations
// joined again on both ends (rejoin), as a load would.
func refFields(old, next *Page) (*Page, *Page) {
	a, pa, pb := *old, *old.Page, next.Page
	pa.Related, pa.Fields, pa.BodyLine = pb.Related, pb.Fields, pb.BodyLine
	if x, y := pa.ADR, pb.ADR; x != nil && y != nil {
		z := *x
		z.Supersedes, z.SupersededBy = y.Supersedes, y.SupersededBy
		pa.ADR = &z
	}
	if x, y := pa.Postmortem, pb.Postmortem; x != nil && y != nil {
		z := *x
		z.Runbooks, z.ADRs = y.Runbooks, y.ADRs
		pa.Postmortem = &z
	}
	if x, y := pa.Evaluation, pb.Evaluation; x != nil && y != nil {
		z := *x
		z.ADR, z.Alternatives = y.ADR, y.Alternatives
		pa.Evaluation = &z
	}
	a.Page = &pa
	return &a, next
}

// titledFields returns copies of old and next, pages of one file, with
// next's title in old's (see Retouch).
func titledFields(old, next *Page) (*Page, *Page) {
	a, pa := *old, *old.Page
	pa.Title, pa.TitleHTML, pa.TitleFromBody = next.Title, next.TitleHTML, next.TitleFromBody
	a.Page = &pa
	return &a, next
}

// titleLookers returns the pages, other than olds, whose links looked a
// [[reference]] up by a title one of olds has or, as nexts, will have, as
// the Memo's records of their linking say; ok is false when that cannot
// be told (no records). Such a page may have front-matter references:
// the caller joins them again (rejoin).
func (s *Site) titleLookers(olds, nexts []*Page) (_ []*Page, ok bool) {
	m := s.linkMemo()
	if m == nil {
		return nil, false
	}
	titles := map[string]bool{}
	for i, p := range olds {
		if p.Title != nexts[i].Title {
			titles[strings.ToLower(p.Title)] = true
			titles[strings.ToLower(nexts[i].Title)] = true
		}
	}
	keys := map[string]bool{}
	for t := range titles {
		keys["title:"+t] = true
	}
	return s.lookersOf(m, keys, func(q *Page) bool { return slices.Contains(olds, q) })
}

// lookersOf returns the pages whose records in m hold one of keys
// (linkState.lookers), but for those skip names, in the order of their
// paths; ok is false without a record of every page. The callers join
// again the front-matter relations of the pages they link again
// (rejoin).
func (s *Site) lookersOf(m *Memo, keys map[string]bool, skip func(*Page) bool) (_ []*Page, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.links == nil || len(m.links.pages) != len(s.Pages) {
		return nil, false
	}
	var out []*Page
	for _, src := range m.links.lookers(keys) {
		q := s.bySource[src]
		switch {
		case q == nil:
			return nil, false
		case skip(q):
		default:
			out = append(out, q)
		}
	}
	slices.SortFunc(out, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	return out, true
}

// retitle follows page p's new title, which was old, where the site is
// made of titles: the index of names by title (a reference looks pages
// up by it) and the order of its folder's children; it returns the
// folder's index when it lists them. The slices changed are copies: a
// renderer or a view of the site before may hold them.
func (s *Site) retitle(p *Page, old string) *Page {
	if ix := s.refs; ix != nil {
		if k := strings.ToLower(old); len(ix.byTitle[k]) > 0 {
			l := slices.DeleteFunc(slices.Clone(ix.byTitle[k]), func(q *Page) bool { return q == p })
			if len(l) == 0 {
				delete(ix.byTitle, k)
			} else {
				ix.byTitle[k] = l
			}
		}
		if k := strings.ToLower(p.Title); k != "" {
			l := append(slices.Clone(ix.byTitle[k]), p)
			slices.SortFunc(l, comparePages)
			ix.byTitle[k] = slices.Compact(l)
		}
	}
	if q := p.Parent; q != nil && slices.Contains(q.Children, p) {
		q.Children = slices.Clone(q.Children)
		SortNav(q.Children)
		return q
	}
	return nil
}

// ReadingMinutes is how long the page takes to read at 200 words a
// minute, at least one.
func (p *Page) ReadingMinutes() int {
	if p.Doc == nil {
		return 1
	}
	return max((p.Doc.Words+199)/200, 1)
}

// View returns a site that shares everything with s but lists only pages
// (which must be pages of s): rules that look at one page at a time run
// on a view to check only those pages.
func (s *Site) View(pages []*Page) *Site {
	v := *s
	v.relatedID = 0 // its own, should it find related pages
	v.Pages = pages
	v.published = nil
	v.tagCache = &tagCache{}
	for _, p := range pages {
		if s.IsPublished(p) {
			v.published = append(v.published, p)
		}
	}
	return &v
}

// Glance reads the Markdown file at abs again and returns the page it now
// makes as that page's own output would show it, leaving s as it is: a
// copy of the page with the new front matter, document and excerpt, its
// links resolved against s. It is a first look at an edit that shows
// beyond its page (a title, a date, a status), which a caller serves
// while it loads the site again (Load, with the same Memo, which keeps
// what Glance parsed): what the rest of the site says of the page (its
// backlinks, its place in lists and in the sidebar, the pages naming it)
// is as before the edit, and so are the page's own relations to others
// (supersedes, related) when the edit changed them.
//
// A new file (one the site does not have yet, in a folder it reads) is
// glanced at too: its page, alone, as it will show, but for the pages that
// will link to it (its backlinks) and the sidebar, which does not list it
// yet.
//
// ok is false when there is nothing to show in place: abs is not the
// source of a published page nor a new Markdown file in a folder the site
// reads, is no longer a regular file or does not parse, or the page would
// now have another URL, kind or draft state, or a URL another page has;
// or it is a new folder's index, an evaluation (whose releases fold
// together) or part of a profile. A folder's index whose URL the site
// renders as a list (a kind's index, the home page) is glanced at, but
// render.Renderer.RenderPage does not render it. Findings are not made:
// the load that follows makes them. The caller has told the Memo, if any,
// that abs changed (Memo.Forget): a parse of it the Memo has made since
// (Patch's) is taken.
func (s *Site) Glance(abs string) (_ *Page, ok bool) {
	if s.Config.Profile != nil || s.folded[abs] != nil {
		return nil, false
	}
	p := s.bySource[abs]
	if p == nil {
		return s.glanceNew(abs)
	}
	if !s.IsPublished(p) || p.Kind == page.KindEvaluation {
		return nil, false
	}
	// The Memo has the parse Patch made of the file, when it ran first.
	next, _ := s.reparse(p, false)
	if next == nil || next.URL != p.URL || next.Kind != p.Kind || next.IsIndex != p.IsIndex || !s.IsPublished(next) {
		return nil, false
	}
	if s.git != nil {
		s.attachGit(next)
	}
	q := *p
	q.Page, q.Doc, q.Excerpt, q.Git = next.Page, next.Doc, next.Excerpt, next.Git
	if a := p.ADR; a != nil && a.NumberFromOrder && q.ADR != nil && !q.ADR.HasNumber {
		// Numbers taken from the order of dated ADRs are given by the
		// load; until then the page keeps its own. The page's fields are
		// the Memo's: they are copied, not changed.
		pp, na := *q.Page, *q.ADR
		na.Number, na.HasNumber, na.NumberFromOrder = a.Number, true, true
		pp.ADR = &na
		q.Page = &pp
	}
	// linkPage resolves the page's links in its new document, and sets
	// its side of its front-matter relations, which the whole load joins
	// with the other pages' side: those stay as they were.
	rel, sup, supBy := q.Relations, q.Supersedes, q.SupersededBy
	edges, _ := s.linkPage(&q)
	q.Relations, q.Supersedes, q.SupersededBy = rel, sup, supBy
	var out []*Page
	for _, e := range edges {
		if e.to != p {
			out = append(out, e.to)
		}
	}
	q.Outgoing = sortedUnique(out)
	return &q, true
}

// glanceNew is Glance for a file the site does not have: the source a
// walk of the roots would find it as, parsed, its links resolved.
func (s *Site) glanceNew(abs string) (*Page, bool) {
	src, ok := s.newSource(abs)
	if !ok {
		return nil, false
	}
	q, _ := s.parseOne(src)
	if q == nil || q.IsIndex || q.Kind == page.KindEvaluation || !s.IsPublished(q) || s.byURL[q.URL] != nil ||
		len(src.root.Kinds) > 0 && !slices.Contains(src.root.Kinds, q.Kind) {
		return nil, false
	}
	if s.git != nil {
		s.attachGit(q)
	}
	edges, _ := s.linkPage(q)
	for _, e := range edges {
		if e.to != q {
			q.Outgoing = append(q.Outgoing, e.to)
		}
	}
	q.Outgoing = sortedUnique(q.Outgoing)
	return q, true
}

// newSource returns the source a walk of the roots (walk) would find the
// file at abs as: in exactly one root, in folders the walk reads, a
// regular Markdown file it does not skip, with the kind of its folders.
// Symbolic links on the way are not followed: ok is false.
func (s *Site) newSource(abs string) (_ source, ok bool) {
	var found source
	for _, r := range s.rootDirs {
		rel, err := filepath.Rel(r.Dir, abs)
		if err != nil || !filepath.IsLocal(rel) {
			continue
		}
		if ok {
			return source{}, false // in two roots
		}
		kind := r.Kind
		if kind == "" {
			kind = page.KindPage
		}
		parts := strings.Split(filepath.ToSlash(rel), "/")
		dir := r.Dir
		for _, name := range parts[:len(parts)-1] {
			dir = filepath.Join(dir, name)
			if fi, err := os.Lstat(dir); err != nil || !fi.IsDir() || s.skipDir(dir, name) {
				return source{}, false
			}
			if dk, in := s.Config.KindDirs[strings.ToLower(name)]; in {
				kind = dk
			}
		}
		name := parts[len(parts)-1]
		fi, err := os.Lstat(abs)
		if err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 || strings.HasPrefix(name, ".") || editorFile(name) ||
			!strings.EqualFold(filepath.Ext(name), ".md") {
			return source{}, false
		}
		found = source{abs: abs, path: s.rel(abs), rel: filepath.ToSlash(rel), root: r, kind: kind, size: fi.Size(), mod: fi.ModTime(), changed: true}
		ok = true
	}
	return found, ok
}

// Removed returns the page whose source was at abs, when that file is
// gone: a page of s a load would now leave out; else nil.
func (s *Site) Removed(abs string) *Page {
	p := s.bySource[abs]
	if p == nil {
		return nil
	}
	if _, err := os.Lstat(abs); !os.IsNotExist(err) {
		return nil
	}
	return p
}
