// Package render turns a loaded site into files: each page through its
// kind's layout of the theme (the embedded default theme, with a site's own
// layouts/ overriding any layout by name), the generated pages (home, an
// index per kind, tags, 404, alias redirects), the sitemap, the Atom feed,
// the highlighting stylesheets and the theme's static files.
//
// Rendering never writes to disk itself: it hands every file to an Output
// function, so that build can write into a temporary folder and serve can
// keep the site in memory.
package render

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"html"
	"html/template"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/fastfile"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/site"
)

// Output receives one file of the site: its site path (such as
// "/runbooks/db-failover/index.html") and its content. It is called from
// several goroutines at once.
type Output func(sitePath string, data []byte) error

// Renderer renders one site with one theme.
type Renderer struct {
	Site  *site.Site
	Theme *Theme

	info      *SiteInfo
	nav       *navTree
	indexURLs map[page.Kind]string
	// kindDirs are the folders holding every page of each kind
	// (kindFolders), which indexURLs were placed from.
	kindDirs map[page.Kind]string
	tags     []site.Tag
	// planned holds the files to write, decided once (see jobs); byPath
	// indexes it for Render.
	planned []job
	byPath  map[string]int
	// before, when set, is the plan of the renderer this one was made
	// again from (Remade): its pages' jobs are taken again rather than
	// made anew.
	before []job
	// absolute is set when the base URL names a host: pages then have a
	// canonical URL.
	absolute bool
	// absRoot is the site's root as an absolute URL when the base URL
	// names a host, else its base path: AbsURL("/"), parsed once.
	absRoot string
	// changes is set when changes.xml, the feed of changes, is written.
	changes bool
	// services and owners are the site's, with those only the service
	// catalog knows.
	services, owners []site.Group
	// fp is set on the copy of a renderer that Fingerprints runs: its
	// layouts are hashed with their data instead of executed.
	fp *fingerprinting
	// release is set by ReleaseHTML.
	release bool
	// lent, set by LendFiles, holds the buffers of the files exec made
	// that have not been handed back (LendFiles' recycle), by their first byte.
	lent *sync.Map
	// share is set by ShareSidebars.
	share bool
	// lists are the kinds' whole indexes (kindList), shared by the
	// renderer's copies; byKind the groups' pages by kind (groupByKind).
	lists  *kindLists
	byKind *sync.Map
	// folders are the folders' listings (folderRows), shared by the
	// renderer's copies.
	folders *folderListings
	// navExtra are the sidebar's entries of generated pages (buildNav).
	navExtra []Link
	// smap is the order of the sitemap's URLs, when it is in parts
	// (sitemapJobs): planned with the files, shared by the renderer's
	// copies.
	smap *sitemapOrder
}

// ReleaseHTML makes All let each page's HTML (markdown.Document) go as
// soon as the page's own file is rendered, but for the pages the feed
// shows: for a build that renders each file once and keeps none of them
// (handbook build), so that the HTML of the pages already written is not
// in memory beside the rest of the rendering and the search index. No
// other file may be rendered after All.
func (r *Renderer) ReleaseHTML() { r.release = true }

// LendFiles makes the files rendered from a layout afterwards lent rather
// than given: their bytes are a buffer of the renderer's, which a caller
// that has written them hands back with the recycle it returns, so that
// a later file is rendered into it. A file not handed
// back is the caller's. For a build, which writes each file once and
// keeps none: a copy of each file was a quarter of the rendering's
// allocations (230 MB at 10,000 pages), each an extra collection at
// 100,000. recycle holds nothing of the renderer but the files it lent:
// a build lets the renderer and its site go once they are rendered, while
// the last of them are still being written.
func (r *Renderer) LendFiles() (recycle func(data []byte)) {
	lent := &sync.Map{}
	r.lent = lent
	return func(data []byte) { recycleLent(lent, data) }
}

// ShareSidebars makes the files rendered afterwards from a layout that
// writes its sidebar as it is (Theme.navSpliceable) hold, where the
// sidebar goes, a mark naming the page's URL in its place: Sidebars.Fill
// writes the sidebar there, and Sidebars.Sum tells whether it changed.
// A preview holds its pages so: a title listed in the sidebar of a
// folder of thousands of pages then changes one sidebar, not thousands
// of files. Sample gives its files filled; Render, RenderPage, Some and
// All give them marked.
func (r *Renderer) ShareSidebars() { r.share = true }

// Remade returns a renderer of r's site, with r's theme and shared
// sidebars, made again after the site changed in place in what a
// renderer is made of: a page's title (site.Patch.Retitled), which orders
// the sidebar's tree, the tags' and the kinds' lists and the groups'
// pages by kind, with the same files; pages added or removed
// (reshaped: site.Patch.Reshaped), which change the files to plan too.
// changed are the pages retitled, added or removed: the groups none of
// them is in keep their pages by kind, and the sidebar's tree is r's
// with the folders on their way made again (navTree.retitled,
// navTree.reshaped).
func (r *Renderer) Remade(changed []*site.Page, reshaped bool) *Renderer {
	var n *Renderer
	if reshaped {
		// The sidebar's tree is made again from r's, for the pages added
		// and removed alone, when the kinds' indexes and the extra
		// entries are the same: buildNav took a fifth of the renderer's
		// making after a page came or went at 10,000 pages.
		n = newRenderer(r.Site, r.Theme, kindFoldersAfter(r.Site, r.kindDirs, changed), func(indexURLs map[page.Kind]string, extra []Link) *navTree {
			if maps.Equal(indexURLs, r.indexURLs) && slices.Equal(extra, r.navExtra) {
				linked := map[string]bool{}
				for _, u := range indexURLs {
					linked[u] = true
				}
				for _, l := range extra {
					linked[l.URL] = true
				}
				if t := r.nav.reshaped(r.Site, changed, linked); t != nil {
					return t
				}
			}
			return buildNav(r.Site, indexURLs, extra)
		})
		n.share = r.share
		n.before = r.planned
		// The listings of the folders the pages added and removed left as
		// they were are r's (carryFolders): the plan reads every folder's.
		n.nav.derive(r.nav)
		n.carryFolders(r, changed)
		n.Files()
		n.before = nil
	} else {
		c := *r
		n = &c
		n.fp, n.lent, n.release = nil, nil, false
		n.lists, n.byKind, n.folders = &kindLists{}, &sync.Map{}, &folderListings{}
		if n.nav = r.nav.retitled(changed); n.nav == nil {
			n.nav = buildNav(r.Site, r.indexURLs, r.navExtra)
		}
		n.tags = r.Site.Tags()
		n.nav.derive(r.nav)
		n.carryFolders(r, changed)
	}
	touched := map[*site.Page]bool{}
	for _, p := range changed {
		touched[p] = true
	}
	carry := func(base string, was, now []site.Group) {
		for _, g := range now {
			i, found := slices.BinarySearchFunc(was, g.Slug, func(g site.Group, sl string) int { return strings.Compare(g.Slug, sl) })
			if !found || len(was[i].Pages) != len(g.Pages) || len(g.Pages) == 0 || &was[i].Pages[0] != &g.Pages[0] ||
				slices.ContainsFunc(g.Pages, func(p *site.Page) bool { return touched[p] }) {
				continue
			}
			if v, ok := r.byKind.Load(base + g.Slug + "/"); ok {
				n.byKind.Store(base+g.Slug+"/", v)
			}
		}
	}
	carry("/services/", r.services, n.services)
	carry("/owners/", r.owners, n.owners)
	return n
}

// recycleLent hands back the bytes of a file All gave out from lent (the
// files of LendFiles), once they are written and will not be read again;
// it does nothing for other bytes. A file's bytes are handed back once:
// their buffer may hold another file's right after.
func recycleLent(lent *sync.Map, data []byte) {
	if lent == nil || len(data) == 0 {
		return
	}
	if v, ok := lent.LoadAndDelete(&data[0]); ok {
		b := v.(*bytes.Buffer)
		b.Reset()
		pageBufs.Put(b)
	}
}

// SiteInfo is what every layout knows of the site.
type SiteInfo struct {
	Title       string
	Description string
	BasePath    string
	Language    string
	// Sections are the kind indexes, for the top navigation.
	Sections []Link
	Drafts   bool
	Now      time.Time
	// HasTags is true when the site has tag pages.
	HasTags bool
	// Rings are the radar's rings, innermost first.
	Rings []string
	// HeadHTML links the theme's stylesheets, script, icon and feed, under
	// the base path: the same on every page, so built once.
	HeadHTML template.HTML
	// Profile is the name of the profile built ("public"), or "".
	Profile string
}

// Link is a titled URL: URL is the site path, Href the same under the
// base path.
type Link struct {
	Title string
	URL   string
	Href  string
}

// Data is what a layout executes with.
type Data struct {
	Site *SiteInfo
	// Page is the Markdown page shown, or nil on a generated page.
	Page *site.Page
	// Layout is the layout's name: a kind, "list", "home" or "404".
	Layout string
	// Title is plain text; TitleHTML, when set, is the page's title
	// rendered from its Markdown, for the page heading.
	Title     string
	TitleHTML template.HTML
	URL       string
	Content   template.HTML
	// TOC is the table of contents; TOCHTML the same as list items.
	TOC     []markdown.Heading
	TOCHTML template.HTML
	Crumbs  []Link
	// Nav is the sidebar as items; NavHTML the same, rendered.
	Nav     []NavItem
	NavHTML template.HTML
	List    *List
	Home    *Home
	// Canonical is the page's absolute URL, when the base URL names a host:
	// for the canonical link, Open Graph and Twitter cards.
	Canonical string
	// Summary is the page's description, else its excerpt ("" for
	// generated pages: the site's description).
	Summary string
}

// List is the content of an index page.
type List struct {
	// Kind is the kind listed, or "" for a tag page.
	Kind   page.Kind
	Pages  []*site.Page
	Groups []Group
	Tags   []site.Tag
	// Folders are the sub-folders of a folder listing.
	Folders []Link
	// Lead is a sentence under the title.
	Lead string
	// Sections are the pages grouped by kind (service and owner pages).
	Sections []Section
	// Index lists groups (services, owners) with their page counts per
	// kind in IndexKinds; IndexOf names the column of groups.
	Index      []IndexRow
	IndexOf    string
	IndexKinds []page.Kind
	// Path is true for the start-here path.
	Path bool
	// Figures are pictures drawn for the page.
	Figures []Figure
	// Changed are the pages of the list changed most recently in git.
	Changed []*site.Page
	// Service and Owner are what the service catalog says of the service
	// or owner of the page, or nil.
	Service *ServiceView
	Owner   *OwnerView
	// Pager is set when the list is split into pages (see PageSize): the
	// rows above (Pages, Groups, Sections, Index, Folders) are then this
	// page's, and figures and the recently changed are on the first page
	// only.
	Pager *Pager
}

// Section is a run of a list's pages of one kind.
type Section struct {
	site.Relation
	// Total is how many pages the run has over all pages of the list.
	Total int
	// Continued is true when the run began on an earlier page.
	Continued bool
}

// IndexRow is one group of an index of groups.
type IndexRow struct {
	Name   string
	Href   string
	Counts []int
}

// Figure is a picture (inline SVG) and its caption.
type Figure struct {
	Class   string
	Caption string
	SVG     template.HTML
}

// Group is a titled run of pages.
type Group struct {
	Title string
	URL   string
	Href  string
	Pages []*site.Page
	// Continued is true when the run began on an earlier page of a list
	// split into pages.
	Continued bool
}

// Home is the content of the home page.
type Home struct {
	StartHere []*site.Page
	Recent    []Group
	// Changed are the pages changed most recently in git.
	Changed []*site.Page
}

// New prepares a renderer.
func New(s *site.Site, th *Theme) *Renderer {
	return newRenderer(s, th, nil, func(indexURLs map[page.Kind]string, extra []Link) *navTree {
		return buildNav(s, indexURLs, extra)
	})
}

// newRenderer is New, with the sidebar's tree made by nav from the
// kinds' indexes and the extra entries of generated pages, and the kinds'
// folders (kindFolders) kindDirs, found when nil.
func newRenderer(s *site.Site, th *Theme, kindDirs map[page.Kind]string, nav func(map[page.Kind]string, []Link) *navTree) *Renderer {
	r := &Renderer{Site: s, Theme: th, lists: &kindLists{}, byKind: &sync.Map{}, folders: &folderListings{}}
	if kindDirs == nil {
		kindDirs = kindFolders(s)
	}
	r.kindDirs, r.indexURLs = kindDirs, indexURLsIn(s, kindDirs)
	r.info = &SiteInfo{
		Title:       s.Config.Title,
		Description: s.Config.Description,
		BasePath:    s.Config.BasePath(),
		Language:    s.Config.Language,
		Drafts:      s.Config.Drafts,
		Now:         s.Config.Now,
		Rings:       s.Config.Schema.Rings,
	}
	for _, k := range page.Kinds {
		if u, ok := r.indexURLs[k]; ok {
			r.info.Sections = append(r.info.Sections, Link{Title: k.Plural(), URL: u, Href: r.info.BasePath + strings.TrimPrefix(u, "/")})
		}
	}
	var extra []Link
	if len(s.StartHere()) > 0 && s.PageAt("/start-here/") == nil {
		extra = append(extra, Link{Title: "Start here", URL: "/start-here/"})
	}
	r.services = withCatalog(s.Services(), s.CatalogServices())
	r.owners = withCatalog(s.Owners(), s.CatalogOwners())
	if len(r.services) > 0 {
		extra = append(extra, Link{Title: "Services", URL: "/services/"})
		r.info.Sections = append(r.info.Sections, Link{Title: "Services", URL: "/services/", Href: r.info.BasePath + "services/"})
	}
	r.nav, r.navExtra = nav(r.indexURLs, extra), extra
	r.changes = s.Config.Git.FeedChanges && s.History() != nil
	r.info.HeadHTML = headHTML(r.info.BasePath, r.info.Title, r.changes)
	r.absRoot = s.Config.AbsURL("/")
	r.absolute = strings.Contains(r.absRoot, "://")
	if pr := s.Config.Profile; pr != nil {
		r.info.Profile = pr.Name
	}
	r.tags = s.Tags()
	r.info.HasTags = len(r.tags) > 0 && s.PageAt("/tags/") == nil
	return r
}

// KindIndexURLs places each kind's index in the folder that holds all its
// pages ("/adr/" for content/adr/, "/runbooks/" for runbooks in service
// folders), or at "/<kind>s/" when they are spread over the site or that
// folder is taken.
func KindIndexURLs(s *site.Site) map[page.Kind]string {
	return indexURLsIn(s, kindFolders(s))
}

// kindFolders returns the folder holding all published pages of each kind
// but plain pages, whatever their order: the pages of the kind's index
// (Site.OfKind) without sorting them, in one pass over the site rather
// than one a kind.
func kindFolders(s *site.Site) map[page.Kind]string {
	commons := map[page.Kind]string{}
	for _, p := range s.Published() {
		if p.Kind != page.KindPage {
			widen(commons, p)
		}
	}
	return commons
}

// widen makes the folder of page p's kind in commons (kindFolders) one
// that holds p too.
func widen(commons map[page.Kind]string, p *site.Page) {
	dir := p.URL
	if !p.IsIndex {
		dir = site.ParentURL(p.URL)
	}
	if p.Release() != "" {
		dir = site.ParentURL(dir) // the radar, not its newest release
	}
	common, ok := commons[p.Kind]
	if !ok {
		common = dir
	}
	for !strings.HasPrefix(dir, common) {
		common = site.ParentURL(common)
	}
	commons[p.Kind] = common
}

// kindFoldersAfter returns the kinds' folders (kindFolders) of site s
// after the pages of changed came or went, from before, theirs until
// then: a new page widens its kind's folder; nil when a page of a kind
// with an index went, which may have been what made its folder as wide.
// A preview makes the kinds' folders again whenever a page comes or
// goes; a walk over the site is 2.5 ms of it at 10,000 pages.
func kindFoldersAfter(s *site.Site, before map[page.Kind]string, changed []*site.Page) map[page.Kind]string {
	if before == nil {
		return nil
	}
	out := maps.Clone(before)
	for _, p := range changed {
		if p.Kind == page.KindPage {
			continue
		}
		if s.PageAt(p.URL) != p || !s.IsPublished(p) {
			return nil
		}
		widen(out, p)
	}
	return out
}

// indexURLsIn places each kind's index (KindIndexURLs) from the kinds'
// folders commons (kindFolders).
func indexURLsIn(s *site.Site, commons map[page.Kind]string) map[page.Kind]string {
	out := map[page.Kind]string{}
	taken := map[string]bool{"/": true}
	for _, k := range page.Kinds {
		if k == page.KindPage {
			continue
		}
		common := commons[k]
		if common == "" {
			continue
		}
		best := common
		if p := s.PageAt(best); taken[best] || p != nil && !p.IsIndex {
			best = "/" + strings.ToLower(k.Plural()) + "/"
		}
		if p := s.PageAt(best); taken[best] || p != nil && !p.IsIndex {
			continue
		}
		taken[best] = true
		out[k] = best
	}
	return out
}

type job struct {
	path string
	// run renders the file with the renderer it is given: the one that
	// planned it, or a copy of it (Fingerprints, which hashes rather than
	// renders). Its closures name that renderer r, as the planning one is
	// named where they are made: one plan serves both.
	run func(r *Renderer) ([]byte, error)
	// copied is true for files copied as they are (theme and site static
	// files, files beside pages).
	copied bool
	// sample names the kind of HTML page the job renders ("page:runbook",
	// "home", "tag"), for Sample; "" for other files.
	sample string
	// list is true for a generated list's page (see listJobs): the sitemap
	// lists it.
	list bool
	// page is the page whose own file the job renders, the one file
	// showing its HTML but for the feed; nil for other files.
	page *site.Page
}

// Sample renders one HTML page of each kind the site has (a page of each
// kind, each kind's index, home, folder listings, tag, service and owner
// pages, 404) and gives each to out, but for those skip says to leave out
// (nil leaves none): what links layouts write, such as navigation, headers
// and footers, can be checked on them without rendering the whole site.
//
// Pages render on every core; out is called from several goroutines.
func (r *Renderer) Sample(skip func(sitePath string) bool, out Output) error {
	var jobs []job
	for _, j := range r.samples() {
		if skip == nil || !skip(j.path) {
			jobs = append(jobs, j)
		}
	}
	return parallel.Each(context.Background(), len(jobs), 0, func(i int) error {
		b, err := jobs[i].run(r)
		if err != nil {
			return fmt.Errorf("render %s: %w", jobs[i].path, err)
		}
		if r.share {
			b = r.Sidebars().Fill(nil, b)
		}
		return out(jobs[i].path, b)
	})
}

// DictSample returns pages of the kinds the renderer makes most, rendered
// as they are (with a shared sidebar's mark, see ShareSidebars), the
// commonest kind last, at most max bytes in all but for one page of the
// commonest kind: what a dictionary to pack the site's pages against is
// best made of: the preview of the 10,000-page generated site held its
// pages in 43.0 MB packed against the first page it rendered, 36.2 MB
// against this sample (64 KB of pages of its commonest kinds). Nil for
// a site without pages.
func (r *Renderer) DictSample(max int) []byte {
	count := map[string]int{}
	for _, j := range r.jobs() {
		if j.sample != "" {
			count[j.sample]++
		}
	}
	firsts := r.samples()
	// The commonest kinds first, then by path: the same sample for the
	// same site.
	slices.SortStableFunc(firsts, func(a, b job) int {
		if c := cmp.Compare(count[b.sample], count[a.sample]); c != 0 {
			return c
		}
		return strings.Compare(a.path, b.path)
	})
	var parts [][]byte
	size := 0
	for _, j := range firsts {
		b, err := j.run(r)
		if err != nil || len(b) == 0 {
			continue
		}
		if size > 0 && size+len(b) > max {
			break
		}
		parts = append(parts, b)
		size += len(b)
	}
	var out []byte
	for i := len(parts) - 1; i >= 0; i-- { // the commonest last
		out = append(out, parts[i]...)
	}
	return out
}

// SamplePaths returns the site paths of the files Sample renders, sorted.
func (r *Renderer) SamplePaths() []string {
	var out []string
	for _, j := range r.samples() {
		out = append(out, j.path)
	}
	slices.Sort(out)
	return out
}

// samples returns the first job of each kind of HTML page (job.sample).
func (r *Renderer) samples() []job {
	done := map[string]bool{}
	var jobs []job
	for _, j := range r.jobs() {
		if j.sample != "" && !done[j.sample] {
			done[j.sample] = true
			jobs = append(jobs, j)
		}
	}
	return jobs
}

// All renders every file of the site to out, on every core. It stops at the
// first error: a layout that does not execute is a broken theme, not a
// content problem.
func (r *Renderer) All(ctx context.Context, out Output) error {
	jobs := r.jobs()
	var kept map[*site.Page]bool
	if r.release {
		kept = map[*site.Page]bool{}
		for _, p := range r.feedEntries() {
			kept[p] = true
		}
	}
	// More workers than cores: a worker reading a file to copy, or
	// waiting for out (a writer's full queue), leaves its core to another.
	return parallel.Each(ctx, len(jobs), 4*runtime.GOMAXPROCS(0), func(i int) error {
		b, err := jobs[i].run(r)
		if err != nil {
			return fmt.Errorf("render %s: %w", jobs[i].path, err)
		}
		if p := jobs[i].page; r.release && p != nil && !kept[p] {
			p.Doc.ReleaseHTML()
		}
		return out(jobs[i].path, b)
	})
}

// Render renders the one file at sitePath as All does, for a caller that
// knows which files an edit changed (handbook serve); ok is false when the
// site has no such file. Unlike All it must not be called from several
// goroutines at once.
func (r *Renderer) Render(sitePath string) (data []byte, ok bool, err error) {
	jobs, byPath := r.jobs(), r.paths()
	i, ok := byPath[sitePath]
	if !ok {
		return nil, false, nil
	}
	b, err := jobs[i].run(r)
	if err != nil {
		return nil, true, fmt.Errorf("render %s: %w", sitePath, err)
	}
	return b, true, nil
}

// RenderPage renders the own file of a page as q makes it, where q is a
// copy of a page of the site with other fields, or a page the site does
// not have yet (site.Site.Glance): the page job the renderer planned at
// q.URL run with q in its page's place, or, when nothing is planned at
// q.URL, q's page as the site would render it. ok is false when a file
// other than a page of q's kind is planned at q.URL (a list, the home
// page).
func (r *Renderer) RenderPage(q *site.Page) (data []byte, ok bool, err error) {
	jobs, byPath := r.jobs(), r.paths()
	sp := q.URL + "index.html"
	if i, found := byPath[sp]; found && (jobs[i].page == nil || jobs[i].page.URL != q.URL || jobs[i].page.Kind != q.Kind) {
		return nil, false, nil
	}
	b, err := r.page(q)
	if err != nil {
		return nil, true, fmt.Errorf("render %s: %w", sp, err)
	}
	return b, true, nil
}

// absURL is r.Site.Config.AbsURL(u), without parsing the base URL for
// every page.
func (r *Renderer) absURL(u string) string { return r.absRoot + strings.TrimPrefix(u, "/") }

// paths returns the index of each planned file's job by its site path,
// made on first use.
func (r *Renderer) paths() map[string]int {
	if r.byPath == nil {
		// Planning the files makes the index of their paths (plan): it
		// is made here only for jobs planned without it.
		jobs := r.jobs()
		if r.byPath == nil {
			r.byPath = make(map[string]int, len(jobs))
			for i, j := range jobs {
				r.byPath[j.path] = i
			}
		}
	}
	return r.byPath
}

// Some renders the files at paths (site paths the renderer writes; others
// are skipped) to out, on every core: what an edit changed, for a caller
// that knows which files those are (see Fingerprints).
func (r *Renderer) Some(ctx context.Context, paths []string, out Output) error {
	jobs, byPath := r.jobs(), r.paths()
	return parallel.Each(ctx, len(paths), 0, func(i int) error {
		k, ok := byPath[paths[i]]
		if !ok {
			return nil
		}
		b, err := jobs[k].run(r)
		if err != nil {
			return fmt.Errorf("render %s: %w", paths[i], err)
		}
		return out(paths[i], b)
	})
}

// Count returns how many files the renderer writes: pages (HTML rendered
// from Markdown or generated) and files copied as they are.
func (r *Renderer) Count() (pages, copied int) {
	for _, j := range r.jobs() {
		if j.copied {
			copied++
		} else if strings.HasSuffix(j.path, ".html") {
			pages++
		}
	}
	return pages, copied
}

// Files plans the files All writes, and returns how many. Called before
// the renderer is shared among goroutines, it lets them call Has.
func (r *Renderer) Files() int {
	r.paths()
	return len(r.jobs())
}

// Has reports whether the site has a file at sitePath.
func (r *Renderer) Has(sitePath string) bool {
	_, ok := r.paths()[sitePath]
	return ok
}

// jobs returns every file the renderer writes, planned on the first call.
func (r *Renderer) jobs() []job {
	if r.planned == nil {
		r.planned = r.plan()
	}
	return r.planned
}

func (r *Renderer) plan() []job {
	s := r.Site
	// About as many files as the last plan's (Remade), or a file a page
	// and a few more: the jobs are not copied as they grow.
	size := len(r.before) + 64
	if r.before == nil {
		size += len(s.Published()) + len(s.Files) + len(r.Theme.Static) + len(r.tags)
	}
	jobs := make([]job, 0, size)
	indexAt := map[string]page.Kind{}
	// The lengths of the kinds' index URLs: a page's URL of another
	// length is none of them, and is not looked up (hashing 10,000 URLs
	// for a handful of indexes).
	var indexLens []int
	for k, u := range r.indexURLs {
		indexAt[u] = k
		indexLens = append(indexLens, len(u))
	}
	// The last plan's jobs of pages, in the order of the pages as this
	// one's (Remade): a page still there, at the same URL and of the same
	// kind, has the same job.
	before := r.before
	for _, p := range s.Published() {
		p := p
		if slices.Contains(indexLens, len(p.URL)) {
			if k, ok := indexAt[p.URL]; ok {
				delete(indexAt, p.URL)
				jobs = append(jobs, r.listJobs(p.URL, "index:"+string(k), len(s.OfKind(k)), func(r *Renderer, n int) ([]byte, error) { return r.kindIndex(k, p, n) })...)
				continue
			}
		}
		if p.URL == "/" {
			jobs = append(jobs, job{path: "/index.html", sample: "home", run: func(r *Renderer) ([]byte, error) { return r.home(p) }})
			continue
		}
		for len(before) > 0 && before[0].page != p && (before[0].page == nil || s.PageAt(before[0].page.URL) != before[0].page) {
			before = before[1:] // a page gone, or not a page's own file
		}
		if len(before) > 0 && before[0].page == p {
			j := before[0]
			before = before[1:]
			if samePageJob(j, p) {
				jobs = append(jobs, j)
				continue
			}
		}
		jobs = append(jobs, job{path: p.URL + "index.html", sample: "page:" + string(p.Kind), page: p, run: func(r *Renderer) ([]byte, error) { return r.page(p) }})
	}
	// In the order of their URLs: the first list cut into pages is
	// Sample's, the same in every run.
	for _, u := range slices.Sorted(maps.Keys(indexAt)) {
		k := indexAt[u]
		jobs = append(jobs, r.listJobs(u, "index:"+string(k), len(s.OfKind(k)), func(r *Renderer, n int) ([]byte, error) { return r.kindIndex(k, nil, n) })...)
	}
	for _, u := range r.nav.folders() {
		if _, ok := indexAt[u]; ok || s.PageAt(u) != nil {
			continue
		}
		u := u
		ps, sub := r.folderRows(u)
		jobs = append(jobs, r.listJobs(u, "folder", len(sub)+len(ps), func(r *Renderer, n int) ([]byte, error) { return r.folder(u, n) })...)
	}
	if s.PageAt("/") == nil || !s.IsPublished(s.PageAt("/")) {
		jobs = append(jobs, job{path: "/index.html", sample: "home", run: func(r *Renderer) ([]byte, error) { return r.home(nil) }})
	}
	jobs = append(jobs, r.groupJobs("/services/", "Services", "Service", r.services, "Everything the handbook holds about each service: its runbooks, incidents, decisions and evaluations.", r.serviceFacts)...)
	jobs = append(jobs, r.groupJobs("/owners/", "Owners", "Owner", r.owners, "The pages each team or person owns.", r.ownerFacts)...)
	if path := s.StartHere(); len(path) > 0 && s.PageAt("/start-here/") == nil {
		jobs = append(jobs, job{path: "/start-here/index.html", sample: "start-here", list: true, run: func(r *Renderer) ([]byte, error) {
			return r.exec("list", &Data{Title: "Start here", URL: "/start-here/", List: &List{Pages: path, Path: true, Lead: "New to the team? Read these pages in this order."}})
		}})
	}
	tags := r.tags
	if len(tags) > 0 && s.PageAt("/tags/") == nil {
		// The tags and their pages are the renderer's that runs the job:
		// a renderer made again for a new title (Remade) orders them anew
		// with the same plan.
		jobs = append(jobs, job{path: "/tags/index.html", sample: "tags", list: true, run: func(r *Renderer) ([]byte, error) { return r.tagIndex(r.tags) }})
		for i, t := range tags {
			if s.PageAt(t.URL()) != nil {
				continue
			}
			jobs = append(jobs, r.listJobs(t.URL(), "tag", len(t.Pages), func(r *Renderer, n int) ([]byte, error) { return r.tagPage(r.tags[i], n) })...)
		}
	}
	jobs = append(jobs,
		job{path: "/404.html", sample: "404", run: (*Renderer).notFound},
	)
	jobs = append(jobs, r.sitemapJobs(jobs)...)
	jobs = append(jobs,
		job{path: "/feed.xml", run: (*Renderer).feed},
		job{path: "/assets/chroma-light.css", run: func(*Renderer) ([]byte, error) { return markdown.HighlightCSS("github") }},
		job{path: "/assets/chroma-dark.css", run: func(*Renderer) ([]byte, error) { return markdown.HighlightCSS("github-dark") }},
	)
	if s.Config.Profile != nil {
		jobs = append(jobs, job{path: "/robots.txt", run: (*Renderer).robots})
	}
	if r.changes {
		jobs = append(jobs, job{path: "/changes.xml", run: (*Renderer).changesFeed})
	}
	jobs = append(jobs, r.aliasJobs()...)
	for _, f := range r.Theme.Static {
		jobs = append(jobs, job{path: f.URL, run: func(*Renderer) ([]byte, error) { return f.Read() }, copied: true})
	}
	for _, f := range s.Files {
		f := f
		jobs = append(jobs, job{path: f.URL, run: func(*Renderer) ([]byte, error) { return fastfile.ReadFile(f.Source, 0) }, copied: true})
	}
	// Later jobs win over earlier ones for the same path; drop the earlier.
	// The index of each path is paths'.
	seen := make(map[string]int, len(jobs))
	out := jobs[:0]
	for _, j := range jobs {
		if i, ok := seen[j.path]; ok {
			out[i] = j
			continue
		}
		seen[j.path] = len(out)
		out = append(out, j)
	}
	r.byPath = seen
	return out
}

// samePageJob reports whether j, a job of the last plan rendering p's own
// file, is the job this plan makes for p: p at the same URL and of the
// same kind. A page at a kind's index or at the home is planned anew.
func samePageJob(j job, p *site.Page) bool {
	const file, kind = "index.html", "page:"
	return len(j.path) == len(p.URL)+len(file) && strings.HasPrefix(j.path, p.URL) && strings.HasSuffix(j.path, file) &&
		len(j.sample) == len(kind)+len(p.Kind) && strings.HasPrefix(j.sample, kind) && strings.HasSuffix(j.sample, string(p.Kind))
}

func (r *Renderer) exec(layout string, d *Data) ([]byte, error) {
	return r.execPage(layout, d, nil)
}

// execPage is exec for a file whose .Content is body's HTML, when body
// is not nil: made into d.Content, or, when the files are lent and the
// layout writes .Content only as it is (Theme.contentSpliceable),
// written into the file where the layout writes contentMark, as the
// sidebar is: the page's HTML is not made as a string of its own to be
// copied again (at 100,000 pages, 0.8 GB of the rendering's 3.7 GB of
// allocations).
func (r *Renderer) execPage(layout string, d *Data, body *markdown.Document) ([]byte, error) {
	var sidebar *[3]string // when set, written in place of sidebarMark
	t, name := r.Theme.layout(layout)
	if t == nil {
		return nil, fmt.Errorf("no layout %q", layout)
	}
	if body != nil && r.fp == nil {
		if r.lent != nil && r.Theme.contentSpliceable(name) {
			d.Content = template.HTML(contentMark())
		} else {
			var err error
			if d.Content, err = r.content(body); err != nil {
				return nil, err
			}
			body = nil
		}
	} else {
		body = nil
	}
	d.Site = r.info
	if d.Layout == "" {
		d.Layout = name
	}
	if d.Nav == nil && r.fp == nil { // a fingerprint hashes the tree instead
		// Each is made only for a layout that names it: the default
		// theme's show NavHTML alone.
		names := r.Theme.layoutNames(name)
		if names == nil || names["Nav"] {
			d.Nav = r.nav.items(d.URL)
		}
		if names == nil || names["NavHTML"] {
			switch spliceable := r.Theme.navSpliceable(name); {
			case r.share && spliceable:
				d.NavHTML = template.HTML(sharedMark(d.URL))
			case r.lent != nil && spliceable:
				// Written in its parts where the layout writes the
				// mark: the page's whole sidebar, 10 KB at 10,000
				// pages, is not made as one string to be copied again.
				parts := r.nav.htmlParts(d.URL)
				sidebar = &parts
				d.NavHTML = template.HTML(sidebarMark())
			default:
				d.NavHTML = r.nav.html(d.URL)
			}
		}
	}
	if d.Crumbs == nil {
		d.Crumbs = r.nav.crumbs(d.URL)
	}
	if r.absolute {
		d.Canonical = r.absURL(d.URL)
	}
	d.Summary = r.info.Description
	if d.Page != nil {
		d.Summary = d.Page.Excerpt
	}
	if r.fp != nil {
		return r.fp.fingerprint(name, d, r.nav, r.Theme.navSpliceable(name)), nil
	}
	b := pageBufs.Get().(*bytes.Buffer)
	if err := t.ExecuteTemplate(b, "base", d); err != nil {
		b.Reset()
		pageBufs.Put(b)
		return nil, err
	}
	if sidebar != nil || body != nil {
		var err error
		if b, err = r.splice(b, sidebar, body); err != nil {
			return nil, err
		}
	}
	if r.lent != nil && b.Len() > 0 {
		data := b.Bytes()
		r.lent.Store(&data[0], b)
		return data, nil
	}
	// A copy of the exact size: handbook serve keeps every page, and a
	// grown buffer is up to twice the page.
	data := bytes.Clone(b.Bytes())
	b.Reset()
	pageBufs.Put(b)
	return data, nil
}

// sidebarMark is what a layout that lets its sidebar be replaced
// (Theme.navSpliceable) is given as NavHTML when its files are lent
// (LendFiles): a comment no page can hold by chance, written as it is
// where the sidebar goes, which splice replaces.
var sidebarMark = sync.OnceValue(func() string {
	var nonce [12]byte
	_, _ = rand.Read(nonce[:])
	return "<!--handbook sidebar " + hex.EncodeToString(nonce[:]) + "-->"
})

// contentMark is what a layout that writes its page's HTML as it is
// (Theme.contentSpliceable) is given as .Content when its files are lent
// (LendFiles), as sidebarMark is for the sidebar.
var contentMark = sync.OnceValue(func() string {
	var nonce [12]byte
	_, _ = rand.Read(nonce[:])
	return "<!--handbook content " + hex.EncodeToString(nonce[:]) + "-->"
})

// splice returns b with the sidebar's parts, unless sidebar is nil,
// written in place of each sidebarMark in it and body's HTML, unless body
// is nil, in place of each contentMark (as many as the layout wrote), in
// a buffer of pageBufs; b goes back to the pool.
func (r *Renderer) splice(b *bytes.Buffer, sidebar *[3]string, body *markdown.Document) (*bytes.Buffer, error) {
	src := b.Bytes()
	var side, content []byte
	if sidebar != nil {
		side = sidebarMarkBytes()
	}
	if body != nil {
		content = contentMarkBytes()
	}
	// Where the next of each mark is in src, from at; -1 for none.
	at := 0
	find := func(mark []byte) int {
		if mark == nil {
			return -1
		}
		if i := bytes.Index(src[at:], mark); i >= 0 {
			return at + i
		}
		return -1
	}
	nextSide, nextContent := find(side), find(content)
	if nextSide < 0 && nextContent < 0 {
		return b, nil // the layout wrote neither here (a condition not met)
	}
	out := pageBufs.Get().(*bytes.Buffer)
	if nextSide >= 0 {
		out.Grow(len(src) + bytes.Count(src, side)*(len(sidebar[0])+len(sidebar[1])+len(sidebar[2])-len(side)))
	}
	for nextSide >= 0 || nextContent >= 0 {
		if nextSide >= 0 && (nextContent < 0 || nextSide < nextContent) {
			out.Write(src[at:nextSide])
			for _, s := range sidebar {
				out.WriteString(s)
			}
			at = nextSide + len(side)
			nextSide = find(side)
			continue
		}
		out.Write(src[at:nextContent])
		if err := r.Site.Engine.WriteHTML(out, body); err != nil {
			for _, buf := range []*bytes.Buffer{out, b} {
				buf.Reset()
				pageBufs.Put(buf)
			}
			return nil, fmt.Errorf("markdown: %w", err)
		}
		at = nextContent + len(content)
		nextContent = find(content)
	}
	out.Write(src[at:])
	b.Reset()
	pageBufs.Put(b)
	return out, nil
}

// sidebarMarkBytes and contentMarkBytes are sidebarMark and contentMark,
// as bytes.
var (
	sidebarMarkBytes = sync.OnceValue(func() []byte { return []byte(sidebarMark()) })
	contentMarkBytes = sync.OnceValue(func() []byte { return []byte(contentMark()) })
)

// pageBufs recycles the buffers layouts are executed into. A new one
// starts at the size of a page with its sidebar rather than doubling its
// way there: lent files (LendFiles) keep a few hundred buffers out of
// the pool at once, and the pool is emptied by the collector, so new
// ones are made all through a build.
var pageBufs = sync.Pool{New: func() any {
	b := new(bytes.Buffer)
	b.Grow(32 << 10)
	return b
}}

// content is a document's HTML, for a layout's .Content.
func (r *Renderer) content(doc *markdown.Document) (template.HTML, error) {
	h, err := r.Site.Engine.HTMLString(doc)
	if err != nil {
		return "", fmt.Errorf("markdown: %w", err)
	}
	return template.HTML(h), nil
}

func (r *Renderer) pageData(p *site.Page) (*Data, error) {
	d, err := r.pageDataWithout(p)
	if err != nil || r.fp != nil { // a fingerprint hashes the document instead
		return d, err
	}
	d.Content, err = r.content(p.Doc)
	return d, err
}

// pageDataWithout is pageData without its Content, which execPage
// gives it.
func (r *Renderer) pageDataWithout(p *site.Page) (*Data, error) {
	inTOC := func(h markdown.Heading) bool { return h.Level >= 2 && h.Level <= 3 }
	n := 0
	for _, h := range p.Doc.Headings {
		if inTOC(h) {
			n++
		}
	}
	var toc []markdown.Heading
	if n >= 2 {
		toc = make([]markdown.Heading, 0, n)
		for _, h := range p.Doc.Headings {
			if inTOC(h) {
				toc = append(toc, h)
			}
		}
	}
	d := &Data{Page: p, Title: p.Title, TitleHTML: template.HTML(p.TitleHTML), URL: p.URL, TOC: toc}
	if r.fp == nil { // a fingerprint hashes TOC, which TOCHTML is made of
		d.TOCHTML = tocHTML(toc)
	}
	return d, nil
}

func (r *Renderer) page(p *site.Page) ([]byte, error) {
	d, err := r.pageDataWithout(p)
	if err != nil {
		return nil, err
	}
	return r.execPage(string(p.Kind), d, p.Doc)
}

func (r *Renderer) home(p *site.Page) ([]byte, error) {
	d := &Data{Title: r.Site.Config.Title, URL: "/"}
	if p != nil {
		var err error
		if d, err = r.pageData(p); err != nil {
			return nil, err
		}
	}
	h := &Home{}
	for _, q := range r.Site.Published() {
		if q.Onboarding > 0 {
			h.StartHere = append(h.StartHere, q)
		}
	}
	slices.SortStableFunc(h.StartHere, func(a, b *site.Page) int { return a.Onboarding - b.Onboarding })
	for _, k := range page.Kinds {
		if k == page.KindPage {
			continue
		}
		ps := r.Site.OfKind(k)
		if len(ps) == 0 {
			continue
		}
		recent := firstN(ps, 5, func(a, b *site.Page) int { return changed(b).Compare(changed(a)) })
		h.Recent = append(h.Recent, Group{Title: k.Plural(), URL: r.indexURLs[k], Href: r.info.BasePath + strings.TrimPrefix(r.indexURLs[k], "/"), Pages: recent})
	}
	h.Changed = recentlyChanged(r.Site.Published(), 10)
	d.Home = h
	d.Layout = "home"
	return r.exec("home", d)
}

// changed is the date a page last changed as far as its front matter says.
func changed(p *site.Page) time.Time {
	t := p.Date
	if p.Runbook != nil && p.Runbook.LastReviewed.After(t) {
		t = p.Runbook.LastReviewed
	}
	return t
}

// kindIndex renders page n of the index of kind k; p is the site's own
// page at the index's URL, whose content the first page shows, or nil.
func (r *Renderer) kindIndex(k page.Kind, p *site.Page, n int) ([]byte, error) {
	u := r.indexURLs[k]
	title := k.Plural()
	if p != nil {
		u, title = p.URL, p.Title
	}
	ps := r.Site.OfKind(k)
	pg := r.pager(u, n, len(ps))
	d := &Data{Title: pagedTitle(title, pg), URL: pageURL(u, n)}
	if p != nil && n == 1 {
		var err error
		if d, err = r.pageData(p); err != nil {
			return nil, err
		}
	}
	whole := r.kindList(k)
	l := &List{Kind: k, Pages: whole.rows, Groups: whole.groups, Pager: pg}
	if pg != nil {
		// The figures and the recently changed are of the whole list, on
		// its first page; the rows are cut, the runbooks' groups where
		// the page cuts them.
		lo, hi := pageSpan(n, len(ps))
		l.Pages = l.Pages[lo:hi]
		l.Groups = pageRuns(l.Groups, lo, hi, func(g *Group) *[]*site.Page { return &g.Pages }, func(g *Group) { g.Continued = true })
	}
	if n == 1 {
		switch {
		case r.fp != nil && (k == page.KindEvaluation || k == page.KindADR || k == page.KindPostmortem):
			// Drawn from the pages alone: the fingerprint hashes them in
			// place of the drawing.
			l.Figures = r.fp.figureInputs(r.info, k, ps, l.Pages)
		case k == page.KindEvaluation:
			l.Figures = r.radar(ps)
		case k == page.KindADR:
			l.Figures = r.adrGraph(ps)
		case k == page.KindPostmortem:
			l.Figures = r.incidentCharts(ps, l.Pages)
		}
		if pg != nil {
			for i := range l.Figures {
				if strings.Contains(l.Figures[i].Caption, "The table below") {
					l.Figures[i].Caption += fmt.Sprintf(" The table runs over %d pages.", pg.Pages)
				}
			}
		}
		l.Changed = recentlyChanged(ps, 5)
	}
	d.List = l
	d.Layout = "list"
	return r.exec("list", d)
}

// kindRows is the whole index of a kind, before it is cut into pages:
// its rows, and for runbooks their runs by service.
type kindRows struct {
	rows   []*site.Page
	groups []Group
}

// kindLists holds each kind's kindRows, made once for all the pages of
// its index: a kind of 30,000 pages has 150, each of which took the whole
// list through again.
type kindLists struct {
	mu sync.Mutex
	m  map[page.Kind]*kindRows
}

// kindList returns the whole index of kind k (kindRows): its pages, the
// runbooks grouped by service in their order, the evaluations by ring
// (innermost first), quadrant and title, which is the radar's text
// alternative.
func (r *Renderer) kindList(k page.Kind) *kindRows {
	r.lists.mu.Lock()
	defer r.lists.mu.Unlock()
	if kr := r.lists.m[k]; kr != nil {
		return kr
	}
	ps := r.Site.OfKind(k)
	kr := &kindRows{rows: ps}
	switch k {
	case page.KindRunbook:
		var cur *Group
		for _, q := range ps {
			svc := q.Runbook.Service
			if svc == "" {
				svc = "No service"
			}
			if cur == nil || cur.Title != svc {
				kr.groups = append(kr.groups, Group{Title: svc})
				cur = &kr.groups[len(kr.groups)-1]
			}
			cur.Pages = append(cur.Pages, q)
		}
	case page.KindEvaluation:
		rings := r.Site.Config.Schema.Rings
		ringOf := func(p *site.Page) int {
			if i := slices.Index(rings, p.Evaluation.Ring); i >= 0 {
				return i
			}
			return len(rings)
		}
		kr.rows = slices.Clone(ps)
		slices.SortStableFunc(kr.rows, func(a, b *site.Page) int {
			if c := ringOf(a) - ringOf(b); c != 0 {
				return c
			}
			if c := strings.Compare(a.Evaluation.Quadrant, b.Evaluation.Quadrant); c != 0 {
				return c
			}
			return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
		})
	}
	if r.lists.m == nil {
		r.lists.m = map[page.Kind]*kindRows{}
	}
	r.lists.m[k] = kr
	return kr
}

// recentlyChanged returns the n pages of ps that changed last, as git
// says; none outside git.
func recentlyChanged(ps []*site.Page, n int) []*site.Page {
	var out []*site.Page
	for _, p := range ps {
		if p.Git.Known() {
			out = append(out, p)
		}
	}
	return firstN(out, n, func(a, b *site.Page) int {
		if c := b.Git.Changed.Compare(a.Git.Changed); c != 0 {
			return c
		}
		return strings.Compare(a.URL, b.URL)
	})
}

// firstN returns the first n pages of ps in the order cmp gives, pages
// cmp finds equal in their order in ps (as a stable sort would), without
// sorting the rest: the home page shows five of each kind's thousands of
// pages, and is rendered, or fingerprinted, on every update of a preview.
func firstN(ps []*site.Page, n int, cmp func(a, b *site.Page) int) []*site.Page {
	if n <= 0 {
		return nil
	}
	out := make([]*site.Page, 0, n+1)
	for _, p := range ps {
		if len(out) == n && cmp(p, out[n-1]) >= 0 {
			continue
		}
		i := len(out)
		for i > 0 && cmp(p, out[i-1]) < 0 {
			i--
		}
		out = slices.Insert(out, i, p)
		if len(out) > n {
			out = out[:n]
		}
	}
	return out
}

// groupJobs renders an index of groups (services, owners) at base and a
// page per group, unless the site has its own pages there; facts adds
// what the service catalog says of a group to its page.
func (r *Renderer) groupJobs(base, title, of string, groups []site.Group, lead string, facts func(*List, site.Group)) []job {
	if len(groups) == 0 {
		return nil
	}
	var jobs []job
	if r.Site.PageAt(base) == nil {
		// The kinds the groups hold, the index's columns: found once for
		// all its pages (at 100,000 pages, every page of the index looked
		// through every group's pages).
		kinds := sync.OnceValue(func() []page.Kind {
			var out []page.Kind
			for _, k := range page.Kinds {
				for _, g := range groups {
					if slices.ContainsFunc(g.Pages, func(p *site.Page) bool { return p.Kind == k }) {
						out = append(out, k)
						break
					}
				}
			}
			return out
		})
		jobs = append(jobs, r.listJobs(base, base, len(groups), func(r *Renderer, n int) ([]byte, error) {
			pg := r.pager(base, n, len(groups))
			l := &List{IndexOf: of, Lead: lead, Pager: pg, IndexKinds: kinds()}
			lo, hi := pageSpan(n, len(groups))
			for _, g := range groups[lo:hi] {
				row := IndexRow{Name: g.Name, Href: r.info.BasePath + strings.TrimPrefix(base, "/") + g.Slug + "/", Counts: make([]int, len(l.IndexKinds))}
				for _, p := range g.Pages {
					if i := slices.Index(l.IndexKinds, p.Kind); i >= 0 {
						row.Counts[i]++
					}
				}
				l.Index = append(l.Index, row)
			}
			return r.exec("list", &Data{Title: pagedTitle(title, pg), URL: pageURL(base, n), List: l})
		})...)
	}
	for _, g := range groups {
		g := g
		u := base + g.Slug + "/"
		if r.Site.PageAt(u) != nil {
			continue
		}
		jobs = append(jobs, r.listJobs(u, base+"group", len(g.Pages), func(r *Renderer, n int) ([]byte, error) {
			var secs []Section
			rows := 0
			for _, rel := range r.groupByKind(u, g) {
				secs = append(secs, Section{Relation: rel, Total: len(rel.Pages)})
				rows += len(rel.Pages)
			}
			pg := r.pager(u, n, rows)
			if pg != nil {
				lo, hi := pageSpan(n, rows)
				secs = pageRuns(secs, lo, hi, func(s *Section) *[]*site.Page { return &s.Pages }, func(s *Section) { s.Continued = true })
			}
			l := &List{Sections: secs, Lead: fmt.Sprintf("%s: %d pages.", of, len(g.Pages)), Pager: pg}
			if n == 1 {
				facts(l, g)
			}
			return r.exec("list", &Data{Title: pagedTitle(g.Name, pg), URL: pageURL(u, n), List: l})
		})...)
	}
	return jobs
}

// groupByKind returns the pages of group g, whose page is at u, by kind
// (site.Group.ByKind), sorted once for all of its pages (a service of
// 30,000 pages has 150) by the renderer and its copies (the
// fingerprints'); a renderer made again (Remade) sorts them again.
func (r *Renderer) groupByKind(u string, g site.Group) []site.Relation {
	v, _ := r.byKind.LoadOrStore(u, sync.OnceValue(g.ByKind))
	return v.(func() []site.Relation)()
}

// folderListings holds each folder's listing (folderRows), made once for
// a renderer: its plan counts every folder's rows, and the folder's files
// show them, fingerprinted and rendered. A folder's listing is a page
// lookup for each of its children (10,000 at 10,000 pages), which was a
// tenth of a preview's update after a page came or went.
type folderListings struct {
	mu sync.Mutex
	m  map[string]folderListing
}

// folderListing is one folder's listing: its pages, and its sub-folders.
type folderListing struct {
	ps  []*site.Page
	sub []Link
}

// folderRows returns what the listing of the folder at u shows: its
// pages, and its sub-folders, which come first. The slices are shared:
// do not change them.
func (r *Renderer) folderRows(u string) (ps []*site.Page, sub []Link) {
	r.folders.mu.Lock()
	f, ok := r.folders.m[u]
	r.folders.mu.Unlock()
	if ok {
		return f.ps, f.sub
	}
	for _, c := range r.nav.byURL[u].children {
		if p := r.Site.PageAt(c.url); p != nil && r.Site.IsPublished(p) {
			ps = append(ps, p)
		} else if c.linked {
			sub = append(sub, Link{Title: c.title, URL: c.url, Href: r.info.BasePath + strings.TrimPrefix(c.url, "/")})
		}
	}
	ps, sub = slices.Clip(ps), slices.Clip(sub)
	r.folders.mu.Lock()
	if r.folders.m == nil {
		r.folders.m = map[string]folderListing{}
	}
	r.folders.m[u] = folderListing{ps, sub}
	r.folders.mu.Unlock()
	return ps, sub
}

// carryFolders gives r, made again from old for the site changed in
// place (Remade), old's listings of the folders its sidebar's tree did
// not touch (navTree.derive: the same children, titles and links) and
// that list none of the pages changed (added, removed or retitled). The
// second is a guard: a page renamed to a file of the same URL would be
// another page in an untouched listing, but site.Site.Reshape refuses
// such a rename today (the site is loaded again). What makes a child a
// page rather than a folder, or leaves it out, is not changed in place
// otherwise: a page's draft status, a folder's index page load the site
// again.
func (r *Renderer) carryFolders(old *Renderer, changed []*site.Page) {
	gone := make(map[*site.Page]bool, len(changed))
	for _, p := range changed {
		gone[p] = true
	}
	old.folders.mu.Lock()
	defer old.folders.mu.Unlock()
	for u, f := range old.folders.m {
		if r.nav.touched[u] || r.nav.byURL[u] == nil || slices.ContainsFunc(f.ps, func(p *site.Page) bool { return gone[p] }) {
			continue
		}
		if r.folders.m == nil {
			r.folders.m = make(map[string]folderListing, len(old.folders.m))
		}
		r.folders.m[u] = f
	}
}

// folder renders page n of the listing of a folder that has no index page
// of its own: its sub-folders, then its pages.
func (r *Renderer) folder(u string, n int) ([]byte, error) {
	ps, sub := r.folderRows(u)
	pg := r.pager(u, n, len(sub)+len(ps))
	if pg != nil {
		lo, hi := pageSpan(n, len(sub)+len(ps))
		k := len(sub)
		sub = sub[min(lo, k):min(hi, k)]
		ps = ps[max(lo-k, 0):max(hi-k, 0)]
	}
	return r.exec("list", &Data{Title: pagedTitle(r.nav.byURL[u].title, pg), URL: pageURL(u, n), List: &List{Pages: ps, Folders: sub, Pager: pg}})
}

func (r *Renderer) tagIndex(tags []site.Tag) ([]byte, error) {
	return r.exec("list", &Data{Title: "Tags", URL: "/tags/", List: &List{Tags: tags}})
}

// tagPage renders page n of a tag's page.
func (r *Renderer) tagPage(t site.Tag, n int) ([]byte, error) {
	ps := t.Pages
	pg := r.pager(t.URL(), n, len(ps))
	if pg != nil {
		lo, hi := pageSpan(n, len(ps))
		ps = ps[lo:hi]
	}
	return r.exec("list", &Data{Title: pagedTitle("Tagged “"+t.Name+"”", pg), URL: pageURL(t.URL(), n), List: &List{Pages: ps, Pager: pg}})
}

func (r *Renderer) notFound() ([]byte, error) {
	return r.exec("404", &Data{Title: "Page not found", URL: "/404.html", Layout: "404"})
}

// headHTML is the part of every page's head that links the theme's files.
func headHTML(base, title string, changes bool) template.HTML {
	b := html.EscapeString(base)
	changesLink := ""
	if changes {
		changesLink = `<link rel="alternate" type="application/atom+xml" title="` + html.EscapeString(title) + `: changes" href="` + b + `changes.xml">
`
	}
	return template.HTML(`<link rel="stylesheet" href="` + b + `assets/handbook.css">
<link rel="stylesheet" href="` + b + `assets/chroma-light.css" media="screen and (prefers-color-scheme: light), print">
<link rel="stylesheet" href="` + b + `assets/chroma-dark.css" media="screen and (prefers-color-scheme: dark)">
<link rel="alternate" type="application/atom+xml" title="` + html.EscapeString(title) + `" href="` + b + `feed.xml">
` + changesLink + `<link rel="icon" href="` + b + `assets/favicon.svg" type="image/svg+xml">
<script src="` + b + `assets/handbook.js" defer></script>`)
}
