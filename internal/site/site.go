// Package site turns content roots into a Site: every Markdown file read and
// parsed once (in parallel), given a URL, its links and [[references]]
// resolved against the other pages, its front-matter relations joined up in
// both directions, and the generated pages (home, an index per kind, tags,
// aliases, feed) laid out.
//
// A Site is the input of rendering and linting; it holds every problem found
// while loading as positioned diagnostics and never stops at the first.
//
// Links resolve as GitHub resolves them: relative paths, paths from the
// repository root ("/docs/x.md", against the git work tree, the site folder
// and the content roots), folders in any case, fragments that differ from
// an id only in case (rewritten to it). Titles are settled once (title.go):
// front matter or the first level-1 heading, Markdown rendered for the
// heading and plain everywhere else. Dialects of other tools are joined up
// here where one page cannot tell alone: log4brains' dated ADRs numbered
// by date (adrlog.go), a radar's releases merged into one blip each
// (radar.go).
//
// Backstage's catalog-info.yaml files found with the pages (catalog.go)
// say of each service who owns it, whether it runs in production and how
// to reach its on-call, for the service and owner pages.
//
// Profiles (profile.go) make a View of the site that leaves pages out
// (the public blog), turning links to them into text. Loading is fast on
// repeat: a Memo keeps the parses of the preview server's previous load
// by file size and time, a parse cache on disk (cache.go, used by check)
// keeps them by content hash between runs, and Patch (patch.go) takes new
// versions of a few files into a loaded site, reporting which other pages
// must be linked or rendered again.
package site

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
)

// Page is a loaded Markdown page.
type Page struct {
	*page.Page
	// URL is the site path, such as "/runbooks/db-failover/" (without the
	// base path); Href is URL under the base path, for links.
	URL  string
	Href string
	// Source is the file's path on disk; Rel is Path's folder-relative part
	// inside its root.
	Source string
	Root   *Root
	Doc    *markdown.Document

	// Relations resolved from front matter, shown on both ends.
	Supersedes   []*Page
	SupersededBy []*Page
	// ownSupersedes and ownSupersededBy are the page's own side of them,
	// what its front matter names (linker.relations); a load joins them
	// with the other pages' side, Site.Reshape again for the pages an
	// edit touches (rejoin).
	ownSupersedes, ownSupersededBy []*Page
	// Backlinks are the pages linking to this one, Outgoing the pages this
	// one links to, both sorted by URL.
	Backlinks []*Page
	Outgoing  []*Page
	// LeftOut are this page's links and references to pages the profile
	// leaves out, for lint to report.
	LeftOut []LeftOut
	// Relations are the other typed references of the front matter;
	// Incoming the same relations written on other pages, named from this
	// end ("Postmortems" on a runbook a postmortem lists).
	Relations []Relation
	Incoming  []Relation
	// RelatedPages share the most services and tags with this page.
	RelatedPages []*Page
	// RingMove says how an evaluation moved since its newest history entry
	// ("moved in from hold"), or is "".
	RingMove string
	// Step is the page's place in the start-here path (1-based, 0 if not
	// on it), Steps the path's length; Prev and Next its neighbours.
	Step, Steps int
	Prev, Next  *Page
	// Children are the pages one folder level below an index page.
	Children []*Page
	// Parent is the index page of the folder above, if any.
	Parent *Page

	// IsIndex is true for index.md, _index.md and README.md.
	IsIndex bool
	// Excerpt is the opening text of the page, for lists and feeds.
	Excerpt string
	// Git is what git says of the page's file: its last change, authors,
	// code owners and links; nil outside git.
	Git *GitInfo

	// src is where the page was read from, to read it again (Patch).
	src source
	// urlSum is the hash of URL under the Memo's seed, for the related
	// pages' memo (relating.hashes), made for the pages of the load that
	// placed them.
	urlSum uint64
	// ord is the page's place in its site's pages, which are in URL
	// order, from 1, and placing the place() that gave it: two pages of
	// one placing are in URL order by ord (comparePages). 0 for a page
	// no site placed (a first look at an edit, Site.Glance).
	ord     int32
	placing uint32
}

// ReviewOverdue reports whether a runbook's review date has passed at now.
func (p *Page) ReviewOverdue(now time.Time) bool {
	if p.Runbook == nil {
		return false
	}
	due := p.Runbook.ReviewDue()
	return !due.IsZero() && now.After(due)
}

// Ref returns the short reference of the page: "ADR-0007" for numbered
// ADRs, else its title.
func (p *Page) Ref() string {
	if p.ADR != nil && p.ADR.HasNumber {
		return p.ADRLabel()
	}
	return p.Title
}

// ADRLabel is "ADR-0007" for ADR 7, or "" when the page has no number.
func (p *Page) ADRLabel() string { return string(p.AppendADRLabel(nil)) }

// AppendADRLabel appends the page's ADRLabel to b: lists write the labels
// of many pages without a string for each.
func (p *Page) AppendADRLabel(b []byte) []byte {
	if p.ADR == nil || !p.ADR.HasNumber {
		return b
	}
	n := p.ADR.Number
	if n < 0 {
		return fmt.Appendf(b, "ADR-%04d", n)
	}
	b = append(b, "ADR-"...)
	for d := 1000; d > 1 && n < d; d /= 10 { // four digits at least
		b = append(b, '0')
	}
	return strconv.AppendInt(b, int64(n), 10)
}

// File is a static file copied beside the pages.
type File struct {
	Source string
	URL    string
}

// Site is a loaded handbook.
type Site struct {
	Config Config
	// Pages are all pages, drafts included, sorted by URL.
	Pages []*Page
	Files []File
	Diags diag.List
	// Engine renders the pages' documents.
	Engine *markdown.Engine

	published []*Page
	services  []Group
	owners    []Group
	startHere []*Page
	byURL     map[string]*Page
	bySource  map[string]*Page
	refs      *refIndex
	// folded maps the files of an evaluation's earlier releases to the
	// page of its newest (see mergeReleases).
	folded map[string]*Page
	// cache, when set, holds the parses of earlier loads.
	cache *parseCache
	// fileURLs holds the site paths of files and folders, for checking
	// links written as site paths; built on first use.
	fileURLs map[string]bool
	// excluded are the pages the profile leaves out, while links resolve.
	excluded map[*Page]bool
	// rootDirs are the content roots read, with absolute folders;
	// repoRoot is the top of the git work tree holding the site, or "".
	// Links from the root ("/x.md") resolve against them as GitHub
	// resolves them against the repository.
	rootDirs []*Root
	repoRoot string
	// git is what the site read of its repository, or nil.
	git *gitState
	// remote holds the pages of Config.Remote the links named (remote.go).
	remote *remotePages
	// catalog is the service catalog read (catalog.go), or nil.
	catalog *catalogIndex
	// stamp, when set, records what the load read from disk (Stamp).
	stamp *Stamp
	// tagCache, when set, remembers Tags.
	tagCache *tagCache
	// reshapes counts the pages' changes in place (Reshapes).
	reshapes int
	// relatedID names this site in the related pages' state it leaves
	// the Memo (relatedState.site); 0 until its first relate.
	relatedID uint64
}

// Published returns the pages that are built: all but drafts, unless the
// config includes drafts, sorted by URL. The slice is shared: do not
// change it.
func (s *Site) Published() []*Page { return s.published }

// IsPublished reports whether p is built.
func (s *Site) IsPublished(p *Page) bool {
	return !p.Draft || s.Config.Drafts
}

// PageAt returns the page with site path u.
func (s *Site) PageAt(u string) *Page { return s.byURL[u] }

// OfKind returns the published pages of kind k, sorted for that kind's
// index: ADRs by number, dated kinds newest first, the rest by title. The
// slice is shared (each page of a paginated index, the home page and the
// fingerprints ask for it): do not change it.
func (s *Site) OfKind(k page.Kind) []*Page {
	c := s.tagCache
	if c == nil {
		return s.ofKind(k)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	ps, ok := c.kinds[k]
	if !ok {
		ps = slices.Clip(s.ofKind(k))
		if c.kinds == nil {
			c.kinds = map[page.Kind][]*Page{}
		}
		c.kinds[k] = ps
	}
	return ps
}

// listedAs reports whether page p is on the list of kind k (OfKind): a
// published page of that kind, but for a folder's index of plain pages.
func (s *Site) listedAs(p *Page, k page.Kind) bool {
	return p.Kind == k && s.IsPublished(p) && !(p.IsIndex && p.Kind == page.KindPage)
}

func (s *Site) ofKind(k page.Kind) []*Page {
	var out []*Page
	for _, p := range s.Pages {
		if s.listedAs(p, k) {
			out = append(out, p)
		}
	}
	if k == page.KindADR {
		// Their order depends on the order they come in (SortForKind):
		// always the pages' own.
		SortForKind(k, out)
		return out
	}
	s.sorted("kind "+string(k), out, func(ps []*Page) { SortForKind(k, ps) })
	return out
}

// sorted sorts ps with sort, starting from the order the last load with
// the same Memo sorted the list called name into (Memo.presort): the
// sort then mostly finds runs in order. The order sort gives must not
// depend on the order ps comes in.
func (s *Site) sorted(name string, ps []*Page, sort func([]*Page)) {
	m := s.Config.Memo
	if m == nil {
		sort(ps)
		return
	}
	m.presort(name, ps)
	sort(ps)
	m.keepOrder(name, ps)
}

// SortForKind sorts pages in the order k's index lists them.
func SortForKind(k page.Kind, ps []*Page) {
	// The order is total but for ADRs, which mix numbered and unnumbered
	// decisions: any sort gives the one order, and an unstable sort is
	// the quicker. For ADRs, the stable sort's order is the order.
	sort := slices.SortFunc[[]*Page]
	if k == page.KindADR {
		sort = slices.SortStableFunc[[]*Page]
	}
	sort(ps, kindOrder(k))
}

// kindOrder compares pages of kind k in the order k's index lists them.
func kindOrder(k page.Kind) func(a, b *Page) int {
	return func(a, b *Page) int {
		switch k {
		case page.KindADR:
			if c := cmp.Compare(a.ADR.Number, b.ADR.Number); c != 0 && a.ADR.HasNumber && b.ADR.HasNumber {
				return c
			}
			if c := a.Date.Compare(b.Date); c != 0 {
				return c
			}
		case page.KindPostmortem, page.KindPost, page.KindEvaluation:
			if c := b.Date.Compare(a.Date); c != 0 {
				return c
			}
		case page.KindRunbook:
			if c := CompareFold(a.Runbook.Service, b.Runbook.Service); c != 0 {
				return c
			}
		}
		if c := CompareFold(a.Title, b.Title); c != 0 {
			return c
		}
		return cmp.Compare(a.URL, b.URL)
	}
}

// CompareFold compares strings as cmp.Compare compares their
// strings.ToLower, without making them while both are ASCII: sorts of
// thousands of pages by title call it a hundred thousand times.
func CompareFold(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if x >= 0x80 || y >= 0x80 {
			return cmp.Compare(strings.ToLower(a[i:]), strings.ToLower(b[i:]))
		}
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return cmp.Compare(x, y)
		}
	}
	return cmp.Compare(len(a), len(b))
}

// SortNav sorts pages for navigation: by weight (unset last), then title,
// then URL. URLs are unique (place moves a page whose URL is taken), so
// the order is total and needs no stable sort: a stable sort of a
// preview's 10,000 pages (the tags' order, each load) was a few
// per cent of a reload's CPU.
func SortNav(ps []*Page) { slices.SortFunc(ps, compareNav) }

// compareNav is SortNav's order.
func compareNav(a, b *Page) int {
	wa, wb := a.Weight, b.Weight
	if wa == 0 {
		wa = 1 << 30
	}
	if wb == 0 {
		wb = 1 << 30
	}
	if c := cmp.Compare(wa, wb); c != 0 {
		return c
	}
	if c := CompareFold(a.Title, b.Title); c != 0 {
		return c
	}
	return cmp.Compare(a.URL, b.URL)
}

// Tags returns every tag of the published pages with its pages, sorted by
// tag; pages are sorted by title.
func (s *Site) Tags() []Tag {
	if c := s.tagCache; c != nil {
		c.once.Do(func() {
			c.tags = s.tags()
			c.made.Store(true)
		})
		return slices.Clone(c.tags)
	}
	return s.tags()
}

// tagCache remembers Site.Tags and Site.OfKind: a loaded site does not
// change what they say (Patch takes only edits that keep a page's front
// matter and title, which is all they read).
type tagCache struct {
	once sync.Once
	tags []Tag
	// made is set once tags are.
	made atomic.Bool
	// mu guards kinds, the pages of each kind.
	mu    sync.Mutex
	kinds map[page.Kind][]*Page
}

func (s *Site) tags() []Tag {
	// The pages in navigation order once: each tag's pages, taken in
	// that order, are in it too (the order is total), without a sort per
	// tag (tags of thousands of pages).
	pages := slices.Clone(s.Published())
	s.sorted("navigation", pages, SortNav)
	m := map[string]*Tag{}
	slugs := map[string]string{} // a handbook has a few hundred tags on thousands of pages
	for _, p := range pages {
		for _, t := range p.Tags {
			sl, ok := slugs[t]
			if !ok {
				sl = Slug(t)
				slugs[t] = sl
			}
			if sl == "" {
				continue
			}
			tg := m[sl]
			if tg == nil {
				tg = &Tag{Name: t, Slug: sl, Href: s.Config.BasePath() + "tags/" + sl + "/"}
				m[sl] = tg
			}
			if len(tg.Pages) == 0 || tg.Pages[len(tg.Pages)-1] != p {
				tg.Pages = append(tg.Pages, p)
			}
		}
	}
	out := make([]Tag, 0, len(m))
	for _, t := range m {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b Tag) int { return cmp.Compare(a.Slug, b.Slug) })
	return out
}

// Tag is a tag and the pages carrying it.
type Tag struct {
	Name string
	Slug string
	// Href is the tag page's URL under the base path.
	Href  string
	Pages []*Page
}

// URL is the tag's page.
func (t Tag) URL() string { return "/tags/" + t.Slug + "/" }

// RingChange says how an evaluation's ring changed since its newest
// history entry: "moved in from hold", "moved out from adopt", or "" when
// it did not move or has no history. rings are innermost first.
func (p *Page) RingChange(rings []string) string {
	if p.Evaluation == nil {
		return ""
	}
	var last page.HistoryEntry
	for _, h := range p.Evaluation.History {
		if last.Ring == "" || !h.Date.Before(last.Date) {
			last = h
		}
	}
	now, was := slices.Index(rings, p.Evaluation.Ring), slices.Index(rings, last.Ring)
	switch {
	case last.Ring == "" || now < 0 || was < 0 || now == was:
		return ""
	case now < was:
		return "moved in from " + last.Ring
	}
	return "moved out from " + last.Ring
}

// retag follows in the remembered tags and kinds' lists (tagCache) the
// pages of changed, whose titles changed, and those added and removed,
// as Tags and OfKind would find them now: the lists of the others' tags
// and kinds are kept, the others' taken without those pages and given
// them at their places again. At 10,000 pages, making the tags again was
// most of a title edit's own work.
func (s *Site) retag(changed, added, removed []*Page) {
	old := s.tagCache
	c := &tagCache{}
	s.tagCache = c
	if old == nil {
		return
	}
	touched := map[*Page]bool{}
	kinds := map[page.Kind]bool{}
	for _, p := range slices.Concat(changed, added, removed) {
		touched[p] = true
		kinds[p.Kind] = true
	}
	old.mu.Lock()
	for k, ps := range old.kinds {
		if kinds[k] {
			if k == page.KindADR {
				continue // an order of their own (SortForKind): found again
			}
			// Taken without the pages touched, which are put back at
			// their places: the order is total.
			ps = slices.DeleteFunc(slices.Clone(ps), func(p *Page) bool { return touched[p] })
			order := kindOrder(k)
			for _, p := range slices.Concat(changed, added) {
				if s.listedAs(p, k) {
					i, _ := slices.BinarySearchFunc(ps, p, order)
					ps = slices.Insert(ps, i, p)
				}
			}
			ps = slices.Clip(ps)
		}
		if c.kinds == nil {
			c.kinds = map[page.Kind][]*Page{}
		}
		c.kinds[k] = ps
	}
	old.mu.Unlock()
	if !old.made.Load() {
		return
	}
	bySlug := map[string][]*Page{} // the pages to place, by tag
	for _, p := range slices.Concat(changed, added) {
		if !s.IsPublished(p) {
			continue
		}
		for _, t := range p.Tags {
			if sl := Slug(t); sl != "" && !slices.Contains(bySlug[sl], p) {
				bySlug[sl] = append(bySlug[sl], p)
			}
		}
	}
	tags := make([]Tag, 0, len(old.tags)+len(bySlug))
	for _, t := range old.tags {
		place := bySlug[t.Slug]
		delete(bySlug, t.Slug)
		if len(place) == 0 && !slices.ContainsFunc(t.Pages, func(p *Page) bool { return touched[p] }) {
			tags = append(tags, t)
			continue
		}
		t.Pages = slices.DeleteFunc(slices.Clone(t.Pages), func(p *Page) bool { return touched[p] })
		for _, p := range place {
			i, _ := slices.BinarySearchFunc(t.Pages, p, compareNav)
			t.Pages = slices.Insert(t.Pages, i, p)
		}
		if len(t.Pages) > 0 {
			t.Name = tagName(t.Pages[0], t.Slug)
			tags = append(tags, t)
		}
	}
	for sl, ps := range bySlug {
		SortNav(ps)
		tags = append(tags, Tag{Name: tagName(ps[0], sl), Slug: sl, Href: s.Config.BasePath() + "tags/" + sl + "/", Pages: ps})
	}
	slices.SortFunc(tags, func(a, b Tag) int { return cmp.Compare(a.Slug, b.Slug) })
	c.once.Do(func() {
		c.tags = tags
		c.made.Store(true)
	})
}

// tagName is the tag of page p whose slug is sl, as p writes it: a tag's
// name is as its first page writes it (tags).
func tagName(p *Page, sl string) string {
	for _, t := range p.Tags {
		if Slug(t) == sl {
			return t
		}
	}
	return sl
}
