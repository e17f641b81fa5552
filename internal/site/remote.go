package site

// This file is the site's view of the rest of a handbook built from many
// repositories: the pages of the other repositories (Remote), which the
// site's links and [[references]] may name though the site neither reads
// nor renders them. handbook check --site and serve --site fill Remote from
// the manifest of the full build (internal/manifest), so that a pull request
// in one repository gets the verdicts the full build would give it.
//
// The linker asks Remote only when the site's own pages do not answer, at
// the step of resolution where the full build would have found the page
// among its own (the edits in resolve.go are marked "remote:"):
//
//   - a site path ("/runbooks/payments/x/", "/platform/"): a remote page by
//     its URL, then by an alias, then anything the remote part publishes
//     (a folder of pages, a file);
//   - a path to a Markdown file from the root ("/runbooks/platform/x.md"),
//     taken as a mount path: the root's mount followed by the file's path
//     inside the root;
//   - a relative path to a Markdown file that leaves the roots of the
//     page's own repository ("../platform/deploy.md" from
//     /runbooks/payments/db.md): resolved in mount space, against the
//     mount path of the page, to a page of another repository, a root of
//     the site from another source, or a remote page. Within one
//     repository relative links stay as GitHub resolves them, on disk;
//   - a [[reference]] or a front-matter reference: the remote pages under
//     the same key (RefKeys) join the site's own at each step (ADR number,
//     name, slug, title), sorted by URL, so that a reference that is
//     ambiguous in the full build is ambiguous here too;
//   - a #fragment on a remote page: checked against its ids, with the same
//     findings (broken-anchor, anchor-case) as on a page of the site.
//
// A link to a remote page is rewritten as one to a page of the site: the
// base path followed by the page's URL ("/handbook/runbooks/platform/x/"),
// which is what the full build writes; serve --site serves the site under
// the manifest's base path and takes those paths to the published site.
//
// Remote pages are *Page values made for one Site (so that links, backlinks
// and the rules over them work as for any page), but they are never in
// Site.Pages: they are not rendered, linted, listed or indexed for search.
// Pages of the other repositories that link to a page of the site
// (Remote.LinkedFrom) are among its Backlinks, and an ADR of another
// repository that supersedes one of the site's is among its SupersededBy,
// as in the full build.

import (
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
)

// Remote answers for the pages of a handbook that are not the site's own.
// Every hook may be nil, which answers nothing; each is called from several
// goroutines at once.
type Remote struct {
	// Page returns the remote page at site path u ("/runbooks/payments/x/").
	Page func(u string) (RemotePage, bool)
	// Alias returns the site path of the remote page that keeps the old
	// site path u ("/old/name/", with slashes at both ends) as an alias.
	Alias func(u string) (string, bool)
	// Named returns the site paths of the remote pages a reference key
	// names (see Page.RefKeys): "number:7", "name:db-failover",
	// "title:database failover".
	Named func(key string) []string
	// File returns the site path of the remote page whose Markdown file is
	// at mount path p: its root's mount followed by its path inside the
	// root ("/runbooks/platform/deploy.md").
	File func(p string) (string, bool)
	// Exists reports whether the remote part of the site publishes site
	// path p: a page, a folder of pages ("/platform/"), or a file.
	Exists func(p string) bool
	// LinkedFrom returns the site paths of the remote pages that link to
	// the page at u or name it in their front matter.
	LinkedFrom func(u string) []string
}

// RemotePage is what a site knows of a page of another repository.
type RemotePage struct {
	URL   string
	Title string
	Kind  page.Kind
	// Path is the page's file as positions show it ("platform:docs/x.md").
	Path string
	// IDs are the ids the page renders, that fragments are checked against.
	IDs        []string
	Draft      bool
	Visibility string
	// Number, with HasNumber, is an ADR's number; Status its status.
	Number    int
	HasNumber bool
	Status    string
	// Supersedes and SupersededBy are the site paths of the ADRs the ADR
	// supersedes and is superseded by.
	Supersedes, SupersededBy []string
}

// remotePages holds the remote pages one site has asked for, made once
// each so that they keep their identity.
type remotePages struct {
	s     *Site
	mu    sync.Mutex
	pages map[string]*Page // by URL; nil for none
}

// remotePage returns the page made for the remote page at u, or nil.
func (s *Site) remotePage(u string) *Page {
	rs := s.remote
	if rs == nil || s.Config.Remote == nil || s.Config.Remote.Page == nil {
		return nil
	}
	rs.mu.Lock()
	defer rs.mu.Unlock()
	return rs.get(u)
}

func (rs *remotePages) get(u string) *Page {
	if p, ok := rs.pages[u]; ok {
		return p
	}
	rp, ok := rs.s.Config.Remote.Page(u)
	if !ok || rs.s.byURL[u] != nil {
		rs.pages[u] = nil
		return nil
	}
	ids := make(map[string]bool, len(rp.IDs))
	for _, id := range rp.IDs {
		ids[id] = true
	}
	src, _, _ := strings.Cut(rp.Path, ":")
	vis := rp.Visibility
	if vis == "" {
		vis = "internal"
	}
	pp := &page.Page{Path: rp.Path, Kind: rp.Kind, Title: rp.Title, Draft: rp.Draft, Visibility: vis}
	switch rp.Kind {
	case page.KindRunbook:
		pp.Runbook = &page.Runbook{}
	case page.KindADR:
		pp.ADR = &page.ADR{Number: rp.Number, HasNumber: rp.HasNumber, Status: rp.Status}
	case page.KindPostmortem:
		pp.Postmortem = &page.Postmortem{}
	case page.KindEvaluation:
		pp.Evaluation = &page.Evaluation{}
	case page.KindPost:
		pp.Post = &page.Post{}
	}
	p := &Page{
		Page: pp, URL: rp.URL, Href: rs.s.Config.BasePath() + strings.TrimPrefix(rp.URL, "/"),
		Doc: &markdown.Document{IDs: ids}, Root: &Root{Source: src},
		IsIndex: isIndex(strings.TrimSuffix(path.Base(rp.Path), path.Ext(rp.Path))),
	}
	rs.pages[u] = p
	// The supersession joins both ways, into the site's pages too.
	for _, v := range rp.Supersedes {
		if t := rs.any(v); t != nil {
			p.Supersedes = appendOnce(p.Supersedes, t)
		}
	}
	for _, v := range rp.SupersededBy {
		if t := rs.any(v); t != nil {
			p.SupersededBy = appendOnce(p.SupersededBy, t)
		}
	}
	return p
}

// any is the page of the site or the remote page at u.
func (rs *remotePages) any(u string) *Page {
	if t := rs.s.byURL[u]; t != nil {
		return t
	}
	return rs.get(u)
}

// pageAt returns the page of the site at site path u, else the remote page
// there, else nil. remote: resolveLink asks it where the site alone would
// look in byURL.
func (s *Site) pageAt(u string) *Page {
	if t := s.byURL[u]; t != nil {
		return t
	}
	return s.remotePage(u)
}

// remoteAlias returns the remote page that keeps site path u as an alias.
func (s *Site) remoteAlias(u string) *Page {
	r := s.Config.Remote
	if r == nil || r.Alias == nil {
		return nil
	}
	if v, ok := r.Alias(u); ok {
		return s.remotePage(v)
	}
	return nil
}

// remoteExists reports whether the remote part of the site publishes site
// path p.
func (s *Site) remoteExists(p string) bool {
	r := s.Config.Remote
	return r != nil && r.Exists != nil && r.Exists(p)
}

// remoteFile returns the remote page whose Markdown file is at mount path
// mp, or nil.
func (s *Site) remoteFile(mp string) *Page {
	r := s.Config.Remote
	if r == nil || r.File == nil {
		return nil
	}
	if u, ok := r.File(mp); ok {
		return s.remotePage(u)
	}
	return nil
}

// named adds to local, the site's pages under a reference key, the remote
// pages under the same key, in the order of their URLs as the full build
// lists them.
func (s *Site) named(local []*Page, key string) []*Page {
	r := s.Config.Remote
	if r == nil || r.Named == nil {
		return local
	}
	var more []*Page
	for _, u := range r.Named(key) {
		if t := s.remotePage(u); t != nil && !slices.Contains(local, t) && !slices.Contains(more, t) {
			more = append(more, t)
		}
	}
	if len(more) == 0 {
		return local
	}
	out := append(slices.Clone(local), more...)
	slices.SortStableFunc(out, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	return out
}

// startRemote readies the site's remote pages, before links resolve.
func (s *Site) startRemote() {
	s.remote = &remotePages{s: s, pages: map[string]*Page{}}
}

// remoteIncoming gives the site's pages the remote pages that link to
// them as backlinks, and joins supersession across repositories both ways,
// as link does for the site's own pages.
func (s *Site) remoteIncoming() {
	r := s.Config.Remote
	if r == nil || r.LinkedFrom == nil {
		return
	}
	for _, p := range s.Pages {
		if s.leftOut(p) {
			continue
		}
		for _, u := range r.LinkedFrom(p.URL) {
			q := s.remotePage(u)
			if q == nil {
				continue
			}
			p.Backlinks = append(p.Backlinks, q)
			if p.ADR == nil || q.ADR == nil {
				continue
			}
			if slices.Contains(q.Supersedes, p) {
				p.SupersededBy = appendOnce(p.SupersededBy, q)
			}
			if slices.Contains(q.SupersededBy, p) {
				p.Supersedes = appendOnce(p.Supersedes, q)
			}
		}
	}
}

// MountPath is where the Markdown file of p is in mount space: its root's
// mount followed by its path inside the root ("/runbooks/payments/db.md"),
// as Remote.File is asked for it; "" for a remote page.
func (p *Page) MountPath() string {
	if p.Root == nil || p.src.rel == "" {
		return ""
	}
	return p.Root.Mount + p.src.rel
}

// otherSource resolves a relative link to a Markdown file that does not
// resolve on disk in mount space: against p's mount path, to a page of a
// root of another source, or a remote page. It returns the page's site
// path and the page.
func (s *Site) otherSource(p *Page, decoded string) (string, *Page, bool) {
	from := p.MountPath()
	if from == "" || !strings.EqualFold(path.Ext(decoded), ".md") {
		return "", nil, false
	}
	joined := path.Clean(strings.TrimPrefix(path.Dir(from), "/") + "/" + decoded)
	if joined == ".." || strings.HasPrefix(joined, "../") {
		return "", nil, false // above the top of the site
	}
	mp := "/" + joined
	var best *Root
	for _, r := range s.rootDirs {
		if r.Source != p.Root.Source && strings.HasPrefix(mp, r.Mount) && (best == nil || len(r.Mount) > len(best.Mount)) {
			best = r
		}
	}
	if best != nil {
		abs := filepath.Join(best.Dir, filepath.FromSlash(strings.TrimPrefix(mp, best.Mount)))
		if t := s.bySource[abs]; t != nil {
			return t.URL, t, true
		}
	}
	if t := s.remoteFile(mp); t != nil {
		return t.URL, t, true
	}
	return "", nil, false
}

// sourceTop is the top of the repository of a root taken from a source:
// its folder without RepoPath; "" for the site's own roots.
func sourceTop(r *Root) string {
	if r == nil || r.Source == "" {
		return ""
	}
	dir := filepath.Clean(r.Dir)
	rp := filepath.FromSlash(strings.Trim(r.RepoPath, "/"))
	if rp == "" || rp == "." {
		return dir
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)+rp) {
		return ""
	}
	return strings.TrimSuffix(dir, string(filepath.Separator)+rp)
}

// outsideSource reports whether abs, a file a link of p names, is outside
// the roots of p's source, where p's repository is only what the site
// takes of it: the full build checks a source's folders out alone, so
// what lies beside them does not exist for its pages.
func (s *Site) outsideSource(p *Page, abs string) bool {
	if p.Root == nil || p.Root.Source == "" {
		return false
	}
	for _, r := range s.rootDirs {
		if r.Source != p.Root.Source {
			continue
		}
		if rel, err := filepath.Rel(r.Dir, abs); err == nil && filepath.IsLocal(rel) || rel == "." {
			return false
		}
	}
	return true
}

// RefKeys returns the keys a [[reference]] finds p by, as the site indexes
// them: "number:N" for an ADR's number, "name:K" for its file's stem (not
// for a folder's index), its URL's last part, an ADR's id and the last
// part of each alias, and "title:T" for its title; names and titles in
// lower case. A manifest lists them so that a site that does not hold p
// resolves references to it as one that does (see Remote.Named).
func (p *Page) RefKeys() []string {
	var keys []string
	add := func(prefix, k string) {
		if k != "" && !slices.Contains(keys, prefix+k) {
			keys = append(keys, prefix+k)
		}
	}
	if !p.IsIndex {
		add("name:", strings.ToLower(strings.TrimSuffix(path.Base(p.Path), path.Ext(p.Path))))
	}
	add("name:", path.Base(strings.TrimSuffix(p.URL, "/")))
	if p.ADR != nil {
		add("name:", strings.ToLower(p.ADR.ID))
		if p.ADR.HasNumber {
			add("number:", strconv.Itoa(p.ADR.Number))
		}
	}
	add("title:", strings.ToLower(p.Title))
	for _, a := range p.Aliases {
		add("name:", strings.ToLower(strings.TrimSuffix(path.Base(strings.Trim(a, "/")), ".html")))
	}
	return keys
}

// Roots returns the content roots the site read, with absolute folders.
func (s *Site) Roots() []Root {
	out := make([]Root, len(s.rootDirs))
	for i, r := range s.rootDirs {
		out[i] = *r
	}
	return out
}
