package build

import (
	"context"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// Live is a site built into memory and kept up to date as its files
// change: what handbook serve serves. Build builds it whole. Update is
// given the files that changed; when they are Markdown pages whose edit
// shows nowhere but in themselves (their front matter, title, excerpt and
// reading time are unchanged: see site.Patch), it parses those files
// again, resolves their links and those of the pages linking to them when
// their ids changed, runs the page rules on them and the site rules, and
// renders those pages, the pages whose backlinks changed and the feed if
// it shows them. Any other change (a new, removed or renamed file, a front
// matter or title edit, a layout, a static file) builds the site whole
// again, parsing only the files that changed (site.Memo).
//
// A partial update, followed by UpdateSearch, gives the same files and
// findings as a whole build of the same files (TestLiveMatchesBuild), but
// for how the search index is cut into chunks. Build and Update are called
// from one goroutine; UpdateSearch may run beside them, in another.
type Live struct {
	// mu guards the fields below it; a search update holds it only to
	// take the pending pages and to put its files in.
	mu    sync.Mutex
	gen   int // counts whole builds, each with its own index
	opts  Options
	memo  *site.Memo
	s     *site.Site
	r     *render.Renderer
	ix    *search.Index
	files map[string][]byte
	raw   diag.List // findings before suppression and configured severities
	diags diag.List // the same, settled
	// pending are the pages partial updates changed that the search index
	// does not have yet (UpdateSearch).
	pending []search.Doc
	// ixMu serializes the updates of an index.
	ixMu sync.Mutex
}

// LiveResult is the site after a Build or Update.
type LiveResult struct {
	// Files maps every site path to its bytes. It is a new map each time
	// (the previous one may still be served); the bytes of files that did
	// not change are shared with the previous result.
	Files map[string][]byte
	// Diags are the findings, suppressed, with configured severities,
	// sorted.
	Diags diag.List
	// Partial is true when only what the change affected was redone;
	// Rendered counts the files rendered.
	Partial  bool
	Rendered int
	Elapsed  time.Duration
	// Note is said once to whoever runs the preview, when the site is
	// built whole: what is wrong with its git history (site.GitNote).
	Note string
}

// NewLive returns a Live for opts; nothing is built yet. Only opts.Site
// and opts.Theme are used: a Live runs every stage, and writes nothing.
func NewLive(opts Options) *Live {
	return &Live{opts: opts, memo: site.NewMemo()}
}

// Build builds the whole site, parsing only the files that changed since
// the last build of this Live. The error is for a site that cannot be
// built at all (an unreadable root, a layout that does not execute); the
// previous result stays in place for the next Update.
func (l *Live) Build(ctx context.Context) (*LiveResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.build(ctx)
}

func (l *Live) build(ctx context.Context) (*LiveResult, error) {
	start := time.Now()
	cfg := l.opts.Site
	cfg.Memo = l.memo
	l.opts.Progress.Phase("loading and checking pages", 0)
	p, err := prepare(ctx, cfg, Options{Theme: l.opts.Theme})
	if err != nil {
		l.s = nil // the next Update builds whole
		return nil, err
	}
	l.opts.Progress.Phase("rendering pages", p.r.Files())
	files, err := renderAll(ctx, p.r, len(l.files)+16, l.opts.Progress)
	if err != nil {
		l.s = nil
		return nil, err
	}
	l.opts.Progress.Phase("building the search index", 0)
	ix := p.index()
	maps.Copy(files, ix.Files())
	l.s, l.r, l.ix, l.raw, l.diags, l.files, l.pending = p.site, p.r, ix, p.raw, p.diags, files, nil
	l.gen++
	return &LiveResult{Files: files, Diags: l.diags, Rendered: len(files), Elapsed: time.Since(start), Note: p.site.GitNote()}, nil
}

// Update brings the site up to date after the files at paths (absolute,
// cleaned) changed, were created or were removed.
func (l *Live) Update(ctx context.Context, paths []string) (*LiveResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.memo.Forget(paths...)
	if l.s == nil || len(paths) == 0 || slices.ContainsFunc(paths, func(p string) bool { return !strings.EqualFold(filepath.Ext(p), ".md") }) {
		return l.build(ctx)
	}
	start := time.Now()
	patch, ok := l.s.Patch(paths)
	if !ok {
		return l.build(ctx)
	}
	s := l.s

	// Findings: those of the pages read again and of the pages relinked
	// are redone, and the site rules run again when backlinks moved (who
	// links to a page is all they read that a body edit can change).
	reread := map[string]bool{}
	relinked := map[string]bool{}
	checked := slices.Concat(patch.Pages, patch.Relinked)
	for _, p := range patch.Pages {
		reread[p.Path] = true
	}
	for _, p := range patch.Relinked {
		relinked[p.Path] = true
	}
	siteRules := len(patch.Backlinked) > 0
	raw := make(diag.List, 0, len(l.raw)+len(patch.Diags))
	for _, d := range l.raw {
		sc := lint.ScopeOf(d.Rule)
		switch {
		case reread[d.Pos.File] && sc != lint.ScopeSite:
		case relinked[d.Pos.File] && (sc == lint.ScopeLinks || sc == lint.ScopePage):
		case siteRules && sc == lint.ScopeSite && lint.InRun(d.Rule):
		default:
			raw = append(raw, d)
		}
	}
	raw = append(raw, patch.Diags...)
	raw = append(raw, lint.RunPages(s, checked)...)
	if siteRules {
		raw = append(raw, lint.RunSite(s)...)
	}

	// Files: the pages themselves, those whose backlinks changed, and the
	// feed, which holds the content of posts and postmortems.
	var paths2 []string
	for _, p := range slices.Concat(checked, patch.Backlinked) {
		if s.IsPublished(p) {
			paths2 = append(paths2, p.URL+"index.html")
		}
		if (p.Kind == page.KindPost || p.Kind == page.KindPostmortem) && slices.Contains(patch.Pages, p) {
			paths2 = append(paths2, "/feed.xml")
		}
	}
	slices.Sort(paths2)
	paths2 = slices.Compact(paths2)
	files := maps.Clone(l.files)
	for _, sp := range paths2 {
		b, ok, err := l.r.Render(sp)
		if err != nil {
			l.s = nil // the site was changed in place: build it whole next time
			return nil, err
		}
		if ok {
			files[sp] = b
		}
	}
	for _, p := range patch.Pages {
		if s.IsPublished(p) {
			l.pending = append(l.pending, searchDoc(p))
		}
	}
	l.raw, l.files = raw, files
	l.diags = settle(s, raw)
	return &LiveResult{Files: files, Diags: l.diags, Partial: true, Rendered: len(paths2), Elapsed: time.Since(start)}, nil
}

// UpdateSearch brings the search index up to date with the pages the
// partial Updates since the last call changed, rewriting only the chunks
// holding their old or new words, and returns the site with it: the latest
// pages and the new index. It returns nil when there is nothing to do, or
// when a whole Build replaced the index meanwhile. It is separate so that
// the pages an edit changed can be served (and browsers reloaded) before
// the index is rewritten, and it may run beside Update and Build.
func (l *Live) UpdateSearch() *LiveResult {
	l.mu.Lock()
	docs, ix, gen := l.pending, l.ix, l.gen
	l.pending = nil
	l.mu.Unlock()
	if len(docs) == 0 || ix == nil {
		return nil
	}
	start := time.Now()
	l.ixMu.Lock()
	ok := ix.Update(docs) // false cannot happen: partial updates keep the pages
	index := maps.Clone(ix.Files())
	l.ixMu.Unlock()

	l.mu.Lock()
	defer l.mu.Unlock()
	if !ok || gen != l.gen {
		return nil
	}
	files := maps.Clone(l.files)
	maps.DeleteFunc(files, func(p string, _ []byte) bool { return strings.HasPrefix(p, "/search/") })
	maps.Copy(files, index)
	l.files = files
	return &LiveResult{Files: files, Diags: l.diags, Partial: true, Elapsed: time.Since(start)}
}

// SearchPending reports whether pages changed since the search index was
// last brought up to date.
func (l *Live) SearchPending() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pending) > 0
}
