package build

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/htmllinks"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/pack"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/spill"
)

// Live is a site built into memory and kept up to date as its files
// change: what handbook serve serves. Build builds it whole. Update is
// given the files that changed, and redoes what they affect:
//
//   - A Markdown page whose edit shows nowhere but in itself (its front
//     matter, title, excerpt and reading time are unchanged: see
//     site.Patch) is parsed again; its links are resolved, and those of
//     the pages linking to it when its ids changed; the page rules run on
//     them and the site rules; and those pages, the pages whose backlinks
//     changed and the feed if it shows them are rendered.
//   - Any other edit of Markdown pages (a title, front matter, a new,
//     removed or renamed page) loads the site again, parsing only the
//     files that changed and, when those are files the last load found,
//     without walking the folders again (site.Memo), and runs the rules; then only the
//     files whose fingerprint changed are rendered
//     (render.Renderer.Fingerprints): each file's fingerprint hashes the
//     data its layout is given, so a title shows again wherever a layout
//     shows it, and nowhere else.
//   - A change to anything else (a layout, a static file) builds the site
//     whole again.
//
// An Update, followed by UpdateSearch, gives the same files and findings
// as a whole build of the same files (TestLiveMatchesBuild), but for how
// the search index is cut into chunks. Build and Update are called from
// one goroutine; UpdateSearch may run beside them, in another.
type Live struct {
	// mu guards the fields below it; a search update holds it only to
	// take the pending pages and to put its files in.
	mu    sync.Mutex
	gen   int // counts the search indexes replaced whole
	opts  Options
	memo  *site.Memo
	s     *site.Site
	r     *render.Renderer
	ix    *search.Index
	files map[string][]byte
	raw   diag.List // findings before suppression and configured severities
	diags diag.List // the same, settled
	// fps are the fingerprints of the rendered files of files; a file
	// missing from it is rendered by the next update that loads the site.
	// fpsDone is closed when they are computed, beside the serving, after
	// a whole build.
	fpc *render.FingerprintCache
	// lint keeps the findings of the rules about a page's own file from
	// one load to the next.
	lint *lint.Cache
	// theme is the last whole build's, which reloads use: only a whole
	// build reads the layouts.
	theme   *render.Theme
	fps     map[string]render.Fingerprint
	fpsDone chan struct{}
	// fpsGen is the number of the fingerprints call fps are of
	// (render.FingerprintCall.Gen).
	fpsGen uint64
	// stale are files rendered since their fingerprint was taken.
	stale map[string]bool
	// dirty are the pages changed in place since the fingerprints were
	// taken (Patch's path): the next retouch takes theirs again with its
	// own, for the fingerprints keep every other page's own sum and the
	// pages its files name (a backlink added names the linker's title).
	dirty []*site.Page
	// samples are what the last layout check read of the pages it
	// sampled, rendered as files has them unless stale.
	samples sampleDocs
	// pending are the pages partial updates changed that the search index
	// does not have yet (UpdateSearch), pendingPaths the pages reloads
	// rendered again, whose documents UpdateSearch makes, and
	// pendingListings whether the generated listings are to be indexed
	// again too. wholeIndex is set when the index is to be built whole
	// again (a page was added or removed).
	pending         []search.Doc
	pendingPaths    map[string]bool
	pendingListings bool
	wholeIndex      bool
	// ixMu serializes the updates of an index.
	ixMu sync.Mutex
	// owed is set when UpdateFirst served a first look at an edit: the
	// site is to be loaded again (Finish, or the next Update).
	owed bool
	// pk packs the pages files holds; sb fills their shared sidebars:
	// the Sidebars of the renderer that made the site they are of.
	pk *packer
	sb *render.Sidebars
	// docs holds the pages' HTML from their parse on (site.Config.Spill),
	// nil when no file could be made for it: then memory does.
	docs *spill.Store
}

// LiveResult is the site after a Build or Update.
type LiveResult struct {
	// Files maps every site path to its bytes, the pages' (paths ending
	// in .html) packed: Unpack or File gives them as they are. A page is
	// held for as long as the preview runs, and packed it takes a fifth
	// of the memory. Files is a new map each time (the previous one may
	// still be served); the bytes of files that did not change are shared
	// with the previous result, and a file packs to the same bytes in
	// every result of a Live, so that they may be compared as they are.
	Files map[string][]byte
	// Diags are the findings, suppressed, with configured severities,
	// sorted.
	Diags diag.List
	// Partial is true when only what the change affected was rendered;
	// Rendered counts the files rendered, and Spliced those whose
	// sidebar alone changed: they are held the same, with the new
	// sidebar's sum (render.Renderer.ShareSidebars).
	Partial  bool
	Rendered int
	Spliced  int
	// First is true for UpdateFirst's first look at an edit: only the
	// edited page was rendered again, and Finish brings the rest.
	First bool
	// Retouched is true when the edit changed fields that only rules and
	// layouts read (site.Site.Retouch), taken in place: the files showing
	// them were found by their fingerprints, without loading the site
	// again.
	Retouched bool
	Elapsed   time.Duration
	// Note is said once to whoever runs the preview, when the site is
	// built whole: what is wrong with its git history (site.GitNote).
	Note string

	pk *packer
	sb *render.Sidebars
}

// Unpack returns the bytes of the file at site path p as they are, given
// what Files holds for it.
func (r *LiveResult) Unpack(p string, b []byte) ([]byte, error) { return r.pk.unpack(p, b, r.sb) }

// File returns the bytes of the file at site path p as they are, and
// whether the site has it. A file that does not unpack (which cannot
// happen) is reported missing.
func (r *LiveResult) File(p string) ([]byte, bool) {
	b, ok := r.Files[p]
	if !ok {
		return nil, false
	}
	b, err := r.pk.unpack(p, b, r.sb)
	return b, err == nil
}

// Unpacked returns Files with every file as it is: for tests and tools
// that compare sites.
func (r *LiveResult) Unpacked() map[string][]byte {
	out := make(map[string][]byte, len(r.Files))
	for p := range r.Files {
		out[p], _ = r.File(p)
	}
	return out
}

// NewLive returns a Live for opts; nothing is built yet. Only opts.Site,
// opts.Theme and opts.Progress are used: a Live runs every stage, and
// writes nothing into the site's folders (what it reads seldom, it holds
// in temporary files: see Close).
func NewLive(opts Options) *Live {
	return &Live{opts: opts, memo: site.NewMemo(), fpc: render.NewFingerprintCache(), lint: lint.NewCache(), pk: &packer{}}
}

// Close closes the temporary files the Live holds its pages in (which
// the collector would close once nothing refers to them, and which are
// gone from their folder already where the system allows it): the Live
// and its results read no more after it. For when the preview stops.
func (l *Live) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.pk.close()
	if l.docs != nil {
		l.docs.Close()
	}
}

// Build builds the whole site, parsing only the files that changed since
// the last build of this Live. The error is for a site that cannot be
// built at all (an unreadable root, a layout that does not execute); the
// previous result stays in place for the next Update.
func (l *Live) Build(ctx context.Context) (*LiveResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waitFingerprints()
	return l.build(ctx)
}

func (l *Live) build(ctx context.Context) (*LiveResult, error) {
	start := time.Now()
	l.owed = false
	cfg := l.opts.Site
	cfg.Memo = l.memo
	// The pages' HTML and the pages rendered are held in files rather
	// than in memory (internal/spill): the rendered pages of this build
	// in a new one.
	if l.docs == nil {
		l.docs, _ = spill.Open("", "handbook-serve-docs-*")
	}
	cfg.Spill = l.docs
	l.pk.rotate()
	// A whole build walks the roots again, whatever the watcher said.
	l.memo.ForgetWalk()
	// The site model and search index being replaced go now, so that the
	// collector may take them while the next are made (the files stay:
	// they are served until the new ones are). Should the build fail, the
	// next update builds whole, as it does when l.s is nil.
	l.s, l.r, l.ix = nil, nil, nil
	l.opts.Progress.Phase("loading and checking pages", 0)
	p, err := prepare(ctx, cfg, Options{Theme: l.opts.Theme, updatable: true, lintCache: l.lint, shareSidebars: true})
	if err != nil {
		l.s = nil // the next Update builds whole
		return nil, err
	}
	l.opts.Progress.Phase("rendering pages", p.r.Files())
	sb := p.r.Sidebars()
	if l.pk.dict == nil {
		l.pk.prime(p.r.DictSample(pack.MaxDict))
	}
	files, err := renderAll(ctx, p.r, len(l.files)+16, l.opts.Progress, func(path string, b []byte) []byte { return l.pk.hold(path, b, sb) })
	if err != nil {
		l.s = nil
		return nil, err
	}
	l.opts.Progress.Phase("building the search index", 0)
	ix := p.updatable()
	maps.Copy(files, ix.Held())
	l.s, l.r, l.ix, l.raw, l.diags, l.files, l.sb = p.site, p.r, ix, p.raw, p.diags, files, sb
	l.theme = p.r.Theme
	l.pending, l.pendingPaths, l.pendingListings, l.wholeIndex = nil, nil, false, false
	l.samples = p.samples
	l.gen++
	// The fingerprints of what was rendered, for the next update, are
	// taken now: the next load resolves the links of the documents it
	// keeps again, in place.
	l.fps, l.stale, l.dirty = nil, map[string]bool{}, nil
	done := make(chan struct{})
	l.fpsDone = done
	go func(r *render.Renderer) {
		defer close(done)
		fps, err := r.Fingerprints(context.Background(), l.fpc)
		if err == nil {
			l.fps, l.fpsGen = fps, l.fpc.LastCall().Gen // read only after done is closed
		}
	}(p.r)
	go p.site.WarmLinks()
	return &LiveResult{Files: files, Diags: l.diags, Rendered: len(files), Elapsed: time.Since(start), Note: p.site.GitNote(), pk: l.pk, sb: l.sb}, nil
}

// waitFingerprints waits for the fingerprints of the last whole build.
func (l *Live) waitFingerprints() {
	if l.fpsDone != nil {
		<-l.fpsDone
		l.fpsDone = nil
	}
}

// reload loads the site again after an edit of Markdown pages that
// shows beyond them, runs the rules, and renders the files whose
// fingerprints changed; the search index follows in UpdateSearch. Without
// the fingerprints of the files it has, it builds whole.
func (l *Live) reload(ctx context.Context) (*LiveResult, error) {
	if l.fps == nil || l.files == nil {
		return l.build(ctx)
	}
	start := time.Now()
	cfg := l.opts.Site
	cfg.Memo, cfg.Spill = l.memo, l.docs
	// The site model being replaced is let go now, so that the collector
	// may take it while the next is made: one site in memory, not two.
	// Should the load fail, the next update builds whole, as it does when
	// l.s is nil. Its sidebars (l.sb) stay, apart from it, for the files.
	l.s, l.r = nil, nil
	// The fingerprints are taken beside the rules; the layout check waits
	// for them, and does not render again the pages it samples whose
	// fingerprints did not change: their HTML, and so their links and
	// ids, are the same.
	// The files that changed are rendered as soon as the fingerprints
	// say which they are, beside the layout check: neither changes what
	// the other reads.
	var fps map[string]render.Fingerprint
	var call render.FingerprintCall
	var fpTook time.Duration
	var out changedFiles
	fpsDone, renderDone := make(chan struct{}), make(chan struct{})
	fingerprint := func(r *render.Renderer) (err error) {
		defer close(fpsDone)
		began := time.Now()
		fps, err = r.Fingerprints(ctx, l.fpc)
		fpTook = time.Since(began)
		if err != nil {
			close(renderDone)
			return err
		}
		call = l.fpc.LastCall()
		go func() {
			defer close(renderDone)
			out = l.renderChanged(ctx, r, fps, call)
		}()
		return nil
	}
	keep := func() sampleDocs {
		<-fpsDone
		return l.sameSamples(fps)
	}
	// The layouts did not change (that builds whole): the theme is the
	// last build's.
	// The pages' own sums start as soon as the site is loaded, beside
	// the renderer's plan (render.FingerprintCache.Start).
	early := func(s *site.Site, th *render.Theme) { l.fpc.Start(ctx, s, th) }
	p, err := prepare(ctx, cfg, Options{Theme: l.opts.Theme, Skip: Search, early: early, beside: fingerprint, keptSamples: keep, lintCache: l.lint, theme: l.theme, shareSidebars: true})
	select {
	case <-fpsDone:
		<-renderDone
	default: // the site did not load: no fingerprints were begun
		if err == nil {
			err = errors.New("the reload took no fingerprints") // cannot happen: a reload renders
		}
	}
	if err == nil {
		err = out.err
	}
	if err != nil {
		l.s = nil
		return nil, err
	}
	files, todo := out.files, out.todo // the search index's as they were, until UpdateSearch

	// The search index: the pages rendered again, and the generated
	// listings, are indexed again in place when the site has the same
	// files as before; else it is built whole, beside the serving. Their
	// documents are made by UpdateSearch, after the pages are served.
	if out.samePaths && !l.wholeIndex {
		if l.pendingPaths == nil {
			l.pendingPaths = map[string]bool{}
		}
		for _, path := range todo {
			if strings.HasSuffix(path, "/index.html") {
				l.pendingPaths[path] = true
			}
		}
		// The generated listings (services, owners, tags, folders) say
		// how many pages they hold: all are offered again, and those
		// that changed are indexed again.
		l.pendingListings = true
	} else {
		// Built when UpdateSearch asks, from the pages of the site then.
		l.wholeIndex = true
		l.pending, l.pendingPaths, l.pendingListings = nil, nil, false
		l.gen++
	}
	l.s, l.r, l.raw, l.diags, l.files, l.fps, l.fpsGen, l.stale, l.dirty = p.site, p.r, p.raw, p.diags, files, fps, call.Gen, map[string]bool{}, nil
	l.sb = p.r.Sidebars()
	l.samples = p.samples
	if w := l.opts.Trace; w != nil {
		fmt.Fprintf(w, "reload: %s: load %s, plan %s, checks %s (fingerprints %s beside them), findings %s, %d files rendered and %d sidebars replaced in %s\n",
			ms(time.Since(start)), ms(p.took.load), ms(p.took.plan), ms(p.took.checks), ms(fpTook), ms(p.took.settle), len(todo), out.spliced, ms(out.took))
	}
	go p.site.WarmLinks()
	return &LiveResult{Files: files, Diags: l.diags, Partial: true, Rendered: len(todo), Spliced: out.spliced, Elapsed: time.Since(start), Note: p.site.GitNote(), pk: l.pk, sb: l.sb}, nil
}

// sameSamples returns what the last layout check read of the pages it
// sampled whose files are the same with the fingerprints fps: their
// fingerprints did not change, and they were not rendered since they
// were taken (stale). Their HTML, and so their links and ids, are as the
// check read them.
func (l *Live) sameSamples(fps map[string]render.Fingerprint) sampleDocs {
	same := sampleDocs{}
	for path, d := range l.samples {
		old, was := l.fps[path]
		now, is := fps[path]
		if was && is && now.Sum == old.Sum && !l.stale[path] {
			same[path] = d
		}
	}
	return same
}

// ms is d in milliseconds to a tenth, for the trace (Options.Trace).
func ms(d time.Duration) string {
	return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
}

// changedFiles are a reload's files (renderChanged): files by site path,
// those of todo rendered again, spliced of them given a new sidebar in
// place; samePaths when the site has the same files as before.
type changedFiles struct {
	files     map[string][]byte
	todo      []string
	spliced   int
	samePaths bool
	took      time.Duration
	err       error
}

// renderChanged makes a reload's files from the last ones and the
// fingerprints fps of the new site's renderer r: a file whose fingerprint
// did not change is kept, one whose sidebar alone changed is held with
// the new one's sum (the sidebar is shared: render.Sidebars.Fill), and
// the others are rendered again; the search index's files are kept as
// they are (UpdateSearch brings them up to date). It reads the Live and
// changes none of it.
//
// call is what the fingerprints call carried from the one before: when
// that is the call of the last fingerprints (fpsGen), only the files of
// call.Fresh and the stale ones can have changed, and only those are
// compared; the others are the same files at the same paths.
func (l *Live) renderChanged(ctx context.Context, r *render.Renderer, fps map[string]render.Fingerprint, call render.FingerprintCall) (out changedFiles) {
	began := time.Now()
	defer func() { out.took = time.Since(began) }()
	sb := r.Sidebars()
	// The last files, copied whole (a map's copy, not 15,000 entries put
	// one by one), with those of other fingerprints replaced below and
	// those of no file now taken out.
	files := maps.Clone(l.files)
	if files == nil {
		files = map[string][]byte{}
	}
	var todo, resum []string
	samePaths := len(fps) == len(l.fps)
	had := 0  // the paths of fps that files has
	seen := 0 // the paths of fps that the last fingerprints have
	compare := func(path string, fp render.Fingerprint) {
		old, was := l.fps[path]
		b, have := l.files[path]
		if have {
			had++
		}
		if was {
			seen++
		}
		switch {
		case was && have && old.Sum == fp.Sum && !l.stale[path]:
			// files has it
		case fp.Data != nil:
			files[path] = l.pk.hold(path, fp.Data, sb)
		case was && have && !l.stale[path] && fp.Sidebar != "" && fp.Sidebar == old.Sidebar && fp.Rest == old.Rest && shared(b):
			// Only its sidebar changed (a title listed in it, a page
			// added to its folder): the file is the same but for the sum
			// of the sidebar it shows.
			resum = append(resum, path)
		default:
			todo = append(todo, path)
		}
		if !was {
			samePaths = false
		}
	}
	if l.fps != nil && call.From != 0 && call.From == l.fpsGen {
		// The files of the fingerprints carried are those the last ones
		// were of (files has each, but for a stale one).
		fresh := make(map[string]bool, len(call.Fresh))
		for _, path := range call.Fresh {
			fresh[path] = true
			compare(path, fps[path])
		}
		// Every path carried is one of the last fingerprints': those of
		// the last not among them, or among the fresh, are gone.
		gone := seen+len(fps)-len(fresh) < len(l.fps)
		for path := range l.stale {
			if fp, ok := fps[path]; ok && !fresh[path] {
				compare(path, fp)
			} else if !ok {
				delete(files, path) // shown at a first look (glance), gone
			}
		}
		if gone {
			for path := range l.fps {
				if _, ok := fps[path]; !ok {
					delete(files, path)
				}
			}
		}
	} else {
		for path, fp := range fps {
			compare(path, fp)
		}
		if had < len(files) {
			maps.DeleteFunc(files, func(path string, _ []byte) bool {
				_, ok := fps[path]
				return !ok && !isSearchFile(path)
			})
		}
	}
	// The largest files first, by their last size: the cores share the
	// rest, rather than one of them rendering the sitemap (6 ms at 10,000
	// pages) after the others.
	slices.SortFunc(todo, func(a, b string) int {
		if c := cmp.Compare(len(l.files[b]), len(l.files[a])); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var mu sync.Mutex
	err := parallel.Each(ctx, len(resum), 0, func(i int) error {
		path := resum[i]
		b := resummed(l.files[path], sb.Sum(fps[path].Sidebar))
		mu.Lock()
		files[path] = b
		mu.Unlock()
		return nil
	})
	if err == nil {
		err = r.Some(ctx, todo, func(path string, b []byte) error {
			b = l.pk.hold(path, b, sb)
			mu.Lock()
			files[path] = b
			mu.Unlock()
			return nil
		})
	}
	return changedFiles{files: files, todo: todo, spliced: len(resum), samePaths: samePaths, err: err}
}

// isSearchFile reports whether the file at site path p is the search
// index's, which the fingerprints do not cover.
func isSearchFile(p string) bool { return strings.HasPrefix(p, "/search/") }

// Update brings the site up to date after the files at paths (absolute,
// cleaned) changed, were created or were removed.
func (l *Live) Update(ctx context.Context, paths []string) (*LiveResult, error) {
	return l.update(ctx, paths, false)
}

// UpdateFirst is Update, but for an edit that loads the site again (a
// page's title, a date or a status, a new, removed or renamed page) it
// first returns a first look, in a few milliseconds where the load takes
// a large site's second: the files as they were, but for the edited
// pages' own, rendered from their new versions as site.Site.Glance makes
// them (a removed page's file is gone).
// The result's First is then set, and Finish must follow (or another
// Update) to load the site again and bring every file and finding up to
// date. The preview serves the first look at once, so that the page being
// edited shows the edit, and the rest a moment later (Hugo's "fast
// render" does the same).
func (l *Live) UpdateFirst(ctx context.Context, paths []string) (*LiveResult, error) {
	return l.update(ctx, paths, true)
}

// Finish loads the site again after UpdateFirst's first look, and
// returns the whole result as Update would have; nil when no first look
// is owed.
func (l *Live) Finish(ctx context.Context) (*LiveResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.owed {
		return nil, nil
	}
	l.owed = false
	return l.reload(ctx)
}

func (l *Live) update(ctx context.Context, paths []string, first bool) (*LiveResult, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.waitFingerprints()
	if l.s != nil && len(paths) > 0 {
		// A tool's temporary file, written and renamed over a page (or
		// created and removed), is reported with it: gone, and nothing the
		// site had, it changes nothing, and does not make the site build
		// whole as a file that is not a page would.
		start := time.Now()
		paths = slices.DeleteFunc(slices.Clone(paths), func(p string) bool {
			return !strings.EqualFold(filepath.Ext(p), ".md") && l.s.Irrelevant(p)
		})
		if len(paths) == 0 {
			if l.owed {
				l.owed = false
				return l.reload(ctx)
			}
			return &LiveResult{Files: l.files, Diags: l.diags, Partial: true, Elapsed: time.Since(start), pk: l.pk, sb: l.sb}, nil
		}
	}
	l.memo.Forget(paths...)
	if l.s == nil || len(paths) == 0 || slices.ContainsFunc(paths, func(p string) bool { return !strings.EqualFold(filepath.Ext(p), ".md") }) {
		return l.build(ctx)
	}
	if l.owed {
		// The site model is the one before the first look's edit, which
		// the Memo has parsed: load it again.
		l.owed = false
		return l.reload(ctx)
	}
	start := time.Now()
	// An edit of fields that only rules and layouts read is taken in
	// place too (retouch), when the fingerprints of the files served are
	// there to tell which files show them.
	canRetouch := l.fps != nil && l.r != nil && l.theme != nil
	patch, ok := l.s.Patch(paths)
	if !ok && canRetouch {
		patch, ok = l.s.Retouch(paths)
		if !ok {
			patch, ok = l.s.Reshape(paths)
		}
	}
	if ok && patch.Retouched {
		return l.retouch(ctx, patch, start)
	}
	if !ok {
		if first && len(paths) <= 2 && l.fps != nil {
			if res := l.glance(paths, start); res != nil {
				return res, nil
			}
		}
		return l.reload(ctx)
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
	paged, repaged := linkersOf(patch.Rejoined, checked)
	siteRules := len(patch.Backlinked) > 0
	raw := make(diag.List, 0, len(l.raw)+len(patch.Diags))
	for _, d := range l.raw {
		sc := lint.ScopeOf(d.Rule)
		switch {
		case reread[d.Pos.File] && sc != lint.ScopeSite:
		case relinked[d.Pos.File] && (sc == lint.ScopeLinks || sc == lint.ScopePage):
		case repaged[d.Pos.File] && sc == lint.ScopePage:
		case siteRules && sc == lint.ScopeSite && lint.InRun(d.Rule):
		default:
			raw = append(raw, d)
		}
	}
	raw = append(raw, patch.Diags...)
	raw = append(raw, lint.RunPages(s, slices.Concat(checked, paged))...)
	if siteRules {
		raw = append(raw, lint.RunSite(s)...)
	}

	// Files: the pages themselves, those whose backlinks or related pages
	// changed, and the feed, which holds the content of posts and
	// postmortems.
	var paths2 []string
	for _, p := range slices.Concat(checked, patch.Backlinked, patch.Regraphed) {
		if s.IsPublished(p) {
			paths2 = append(paths2, p.URL+"index.html")
		}
		if (p.Kind == page.KindPost || p.Kind == page.KindPostmortem) && slices.Contains(patch.Pages, p) {
			paths2 = append(paths2, "/feed.xml")
		}
	}
	slices.Sort(paths2)
	paths2 = slices.Compact(paths2)
	l.dirty = append(l.dirty, slices.Concat(checked, patch.Backlinked, patch.Regraphed)...)
	files := maps.Clone(l.files)
	// A page the layout check samples, rendered again, may have other
	// ids, which a layout's link elsewhere names: the check is made
	// again with what the page has now, the other samples kept (only
	// those whose links lead to it are checked again).
	var resampled sampleDocs
	for _, sp := range paths2 {
		b, ok, err := l.r.Render(sp)
		if err != nil {
			l.s = nil // the site was changed in place: build it whole next time
			return nil, err
		}
		if ok {
			files[sp] = l.pk.hold(sp, b, l.sb)
			if l.samples[sp] != nil {
				if resampled == nil {
					resampled = maps.Clone(l.samples)
				}
				resampled[sp] = &sampleDoc{doc: htmllinks.Extract(l.sb.Fill(nil, b))}
			}
		}
		// Its fingerprint was taken before the edit: it is rendered again
		// on the next reload, whatever its fingerprint says then.
		l.stale[sp] = true
	}
	if resampled != nil {
		layouts, samples, err := checkLayouts(s, l.r.Theme, l.r, resampled)
		if err != nil {
			l.s = nil
			return nil, err
		}
		raw = slices.DeleteFunc(raw, func(d diag.Diagnostic) bool { return d.Rule == templateLinkRule })
		raw = append(raw, layouts...)
		l.samples = samples
	}
	for _, p := range patch.Pages {
		if s.IsPublished(p) {
			l.pending = append(l.pending, searchDoc(p))
		}
	}
	l.raw, l.files = raw, files
	l.diags = settle(s, raw)
	return &LiveResult{Files: files, Diags: l.diags, Partial: true, Rendered: len(paths2), Elapsed: time.Since(start), pk: l.pk, sb: l.sb}, nil
}

// retouch brings the files and findings up to date after site.Retouch
// took in place an edit of fields that only the rules and the layouts
// read (an ADR's status, a runbook's last_reviewed): what a reload does
// after its load, with the site and the renderer as they are, for
// neither was made of those fields. The rules run again on the whole
// site (a page linking to a decision may be told it is deprecated now),
// the fingerprints of the renderer's files are taken again, and the
// files whose fingerprint changed are rendered, the layout check beside
// them, as reload does. At 10,000 pages it is the load and the plan of a
// reload less, and no first look.
func (l *Live) retouch(ctx context.Context, patch *site.Patch, start time.Time) (*LiveResult, error) {
	s, r := l.s, l.r
	patched := time.Since(start)
	// Only the pages the patch changed have other own sums than the last
	// fingerprints found: those read again or new, those relinked, those
	// whose backlinks changed and those whose related pages, path
	// neighbours or children did. The fingerprints begin with them
	// (render.FingerprintCache.Restart) while the renderer is made again,
	// when it is, and the rules run beside.
	changed := slices.Concat(patch.Pages, patch.Relinked, patch.Backlinked, patch.Regraphed)
	// And those updates on Patch's path changed since the fingerprints
	// were taken, but for pages this patch removed.
	if len(l.dirty) > 0 {
		seen := make(map[*site.Page]bool, len(changed)+len(patch.Removed)+len(l.dirty))
		for _, p := range slices.Concat(changed, patch.Removed) {
			seen[p] = true
		}
		for _, p := range l.dirty {
			if !seen[p] {
				seen[p] = true
				changed = append(changed, p)
			}
		}
	}
	if patch.Retitled || patch.Reshaped {
		l.fpc.Restart(ctx, s, r.Theme, changed)
	}
	// The findings: those of reading the pages again and of resolving
	// their links and their linkers' are the patch's now, as on Patch's
	// own path; the rules that compare pages run again, and those that
	// look at one page at a time (which read the page and the front
	// matter of the pages it links to) on the pages the patch changed
	// and those linking to them; the layout check is made again.
	reread := map[string]bool{}
	relinked := map[string]bool{}
	for _, p := range patch.Pages {
		reread[p.Path] = true
	}
	for _, p := range patch.Relinked {
		relinked[p.Path] = true
	}
	gone := map[string]bool{}
	for _, p := range patch.Removed {
		gone[p.Path] = true
	}
	affected := slices.Concat(changed)
	for _, p := range slices.Concat(patch.Pages, patch.Rejoined) {
		affected = append(affected, p.Backlinks...)
	}
	slices.SortFunc(affected, func(a, b *site.Page) int { return strings.Compare(a.Path, b.Path) })
	affected = slices.CompactFunc(affected, func(a, b *site.Page) bool { return a == b })
	rules := make(chan diag.List, 1)
	var rulesTook time.Duration
	go func() {
		began := time.Now()
		d := append(lint.RunPages(s, affected), lint.RunSite(s)...)
		rulesTook = time.Since(began)
		rules <- d
	}()
	if patch.Retitled || patch.Reshaped {
		// The sidebar, the lists by title and the plan of the files are
		// made again.
		r = r.Remade(slices.Concat(patch.Pages, patch.Removed), patch.Reshaped)
		l.r = r
	}
	remade := time.Since(start) - patched
	keeping := time.Now()
	rechecked := map[string]bool{}
	for _, p := range affected {
		rechecked[p.Path] = true
	}
	kept := make(diag.List, 0, len(l.raw))
	for _, d := range l.raw {
		sc := lint.ScopeOf(d.Rule)
		switch {
		case d.Rule == templateLinkRule, gone[d.Pos.File]:
		case lint.InRun(d.Rule) && (sc == lint.ScopeSite || rechecked[d.Pos.File]):
		case reread[d.Pos.File] && (sc == lint.ScopeFile || sc == lint.ScopeLinks):
		case relinked[d.Pos.File] && sc == lint.ScopeLinks:
		default:
			kept = append(kept, d)
		}
	}
	kept = append(kept, patch.Diags...)
	keptTook := time.Since(keeping)

	fpStart := time.Now()
	fps, err := r.Refingerprints(ctx, l.fpc, changed)
	call := l.fpc.LastCall()
	fpTook := time.Since(fpStart)
	if err != nil {
		<-rules
		l.s = nil // changed in place: built whole next time
		return nil, err
	}
	same := l.sameSamples(fps)
	var layouts diag.List
	var samples sampleDocs
	layoutsDone := make(chan error, 1)
	go func() {
		var err error
		layouts, samples, err = checkLayouts(s, l.theme, r, same)
		layoutsDone <- err
	}()
	out := l.renderChanged(ctx, r, fps, call)
	rendered := time.Now()
	raw := append(kept, <-rules...)
	if err := <-layoutsDone; err != nil && out.err == nil {
		out.err = err
	}
	waited := time.Since(rendered)
	if out.err != nil {
		l.s = nil
		return nil, out.err
	}
	raw = append(raw, layouts...)
	files := out.files // the search index's as they were, until UpdateSearch
	// The same files as before: the search index is updated in place,
	// unless it is to be built whole anyway; with pages added or
	// removed, it is built whole when UpdateSearch asks, as after a
	// reload.
	if !out.samePaths || patch.Reshaped {
		l.wholeIndex = true
		l.pending, l.pendingPaths, l.pendingListings = nil, nil, false
		l.gen++
	} else if !l.wholeIndex {
		if l.pendingPaths == nil {
			l.pendingPaths = map[string]bool{}
		}
		for _, path := range out.todo {
			if strings.HasSuffix(path, "/index.html") {
				l.pendingPaths[path] = true
			}
		}
		l.pendingListings = true
	}
	settling := time.Now()
	l.raw, l.diags, l.files, l.fps, l.fpsGen, l.stale, l.dirty, l.samples = raw, settle(s, raw), files, fps, call.Gen, map[string]bool{}, nil, samples
	settled := time.Since(settling)
	l.sb = r.Sidebars()
	if w := l.opts.Trace; w != nil {
		fmt.Fprintf(w, "retouch: %s: patch %s, renderer %s, findings kept %s, fingerprints %s, %d files rendered and %d sidebars replaced in %s; rules %s beside, %s waited for them and the layout check; findings settled %s\n",
			ms(time.Since(start)), ms(patched), ms(remade), ms(keptTook), ms(fpTook), len(out.todo), out.spliced, ms(out.took), ms(rulesTook), ms(waited), ms(settled))
	}
	return &LiveResult{Files: files, Diags: l.diags, Partial: true, Retouched: true, Rendered: len(out.todo), Spliced: out.spliced, Elapsed: time.Since(start), pk: l.pk, sb: l.sb}, nil
}

// glance makes the first look at an edit of the files at paths (see
// UpdateFirst), with the rest of the site as it was: an edited or new
// page's own file rendered from its new version (site.Site.Glance,
// render.Renderer.RenderPage), a removed page's own file gone (a renamed
// page is both). It returns nil when a path cannot be shown so: the load
// that follows does it, and reports what is wrong.
func (l *Live) glance(paths []string, start time.Time) *LiveResult {
	rendered := map[string][]byte{}
	var gone []string
	for _, abs := range paths {
		if p := l.s.Removed(abs); p != nil {
			if !l.s.IsPublished(p) {
				return nil
			}
			gone = append(gone, p.URL+"index.html")
			continue
		}
		q, ok := l.s.Glance(abs)
		if !ok {
			return nil
		}
		b, ok, err := l.r.RenderPage(q)
		if err != nil || !ok {
			return nil
		}
		rendered[q.URL+"index.html"] = l.pk.hold(q.URL+"index.html", b, l.sb)
	}
	files := maps.Clone(l.files)
	for _, sp := range gone {
		delete(files, sp)
	}
	for sp, b := range rendered {
		files[sp] = b
	}
	// Their fingerprints are the last load's: the load renders them again.
	for sp := range rendered {
		l.stale[sp] = true
	}
	for _, sp := range gone {
		l.stale[sp] = true
	}
	l.files = files
	l.owed = true
	return &LiveResult{Files: files, Diags: l.diags, Partial: true, First: true, Rendered: len(rendered), Elapsed: time.Since(start), pk: l.pk, sb: l.sb}
}

// UpdateSearch brings the search index up to date with the pages the
// Updates since the last call changed, rewriting only the chunks holding
// their old or new words (or building it whole, when a reload added or
// removed pages), and returns the site with it: the latest
// pages and the new index. It returns nil when there is nothing to do, or
// when the index was replaced meanwhile. It is separate so that the pages
// an edit changed can be served (and browsers reloaded) before the index
// is rewritten, and it may run beside Update and Build.
//
// An index built whole stops when ctx is done (an edit came: the index
// is stale before it is finished, and it takes the cores from the edit's
// update); it is built whole again by the next call.
func (l *Live) UpdateSearch(ctx context.Context) *LiveResult {
	start := time.Now()
	l.mu.Lock()
	// The documents are made under the lock: Update changes pages in
	// place.
	docs, ix, gen, whole := l.pending, l.ix, l.gen, (l.wholeIndex || l.ix == nil) && l.s != nil
	var all []search.Doc
	if whole {
		all = searchDocs(l.s)
		// The old index goes while the new one is built, but for its
		// files, which are served until the new ones are: at 10,000
		// pages it is 100 MB more at the preview's peak otherwise. Should
		// the new one not be kept (the site was built whole meanwhile),
		// the next call builds it whole.
		ix, l.ix = nil, nil
	} else if l.s != nil {
		for path := range l.pendingPaths {
			if q := l.s.PageAt(strings.TrimSuffix(path, "index.html")); q != nil && l.s.IsPublished(q) {
				docs = append(docs, searchDoc(q))
			}
		}
		if l.pendingListings {
			gen := generatedDocs(l.s)
			docs = append(docs, gen...)
			// A reload keeps the index when the site has the same files,
			// but a file may have changed hands: a README.md deleted
			// leaves the home page to the build, which indexes none.
			// The index is built whole unless it has the documents of
			// the site as it is, no more.
			if ix != nil && !ix.Holds(searchURLs(l.s, gen)) {
				whole, docs = true, nil
				all = searchDocs(l.s)
				ix, l.ix = nil, nil
			}
		}
	}
	l.pending, l.pendingPaths, l.pendingListings, l.wholeIndex = nil, nil, false, false
	l.mu.Unlock()
	if !whole && (len(docs) == 0 || ix == nil) {
		return nil
	}
	l.ixMu.Lock()
	if whole {
		var err error
		if ix, err = search.BuildContext(ctx, all); err != nil {
			l.ixMu.Unlock()
			l.mu.Lock()
			l.wholeIndex = true
			l.mu.Unlock()
			return nil
		}
		docs = nil
	}
	ok := len(docs) == 0 || ix.Update(docs)
	if !ok {
		// Not in the index: cannot happen, as the pages of a site with
		// other pages are indexed whole. Build it whole all the same.
		l.mu.Lock()
		all := searchDocs(l.s)
		l.mu.Unlock()
		ix = search.Build(all)
	}
	index := maps.Clone(ix.Held())
	l.ixMu.Unlock()

	l.mu.Lock()
	defer l.mu.Unlock()
	if gen != l.gen {
		return nil
	}
	l.ix = ix
	files := maps.Clone(l.files)
	maps.DeleteFunc(files, func(p string, _ []byte) bool { return strings.HasPrefix(p, "/search/") })
	maps.Copy(files, index)
	l.files = files
	return &LiveResult{Files: files, Diags: l.diags, Partial: true, Elapsed: time.Since(start), pk: l.pk, sb: l.sb}
}

// SearchWhole reports whether the search index is to be built whole
// again (pages were added or removed) rather than updated in place.
func (l *Live) SearchWhole() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.wholeIndex
}

// SearchPending reports whether pages changed since the search index was
// last brought up to date.
func (l *Live) SearchPending() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.pending) > 0 || len(l.pendingPaths) > 0 || l.pendingListings || l.wholeIndex
}

// linkersOf returns the pages linking to the pages rejoined (a patch's
// Rejoined: their supersession or relations changed, which the page rules
// of the pages linking to them read), but for those of checked, whose
// page rules run again anyway; and their paths.
func linkersOf(rejoined, checked []*site.Page) ([]*site.Page, map[string]bool) {
	var out []*site.Page
	paths := map[string]bool{}
	for _, q := range rejoined {
		for _, p := range q.Backlinks {
			if !paths[p.Path] && !slices.Contains(checked, p) {
				paths[p.Path] = true
				out = append(out, p)
			}
		}
	}
	return out, paths
}
