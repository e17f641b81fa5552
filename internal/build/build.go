// Package build is the pipeline from a site's folder to its output, one
// for handbook build, check and serve alike. Its stages, in order:
//
//	load     read the roots, parse every page, resolve references (site.Load)
//	rules    lint's rules over the site (Rules) and, beside them, the links
//	         the layouts write, on one rendered page of each kind (Layouts),
//	         then Options.Check, if set (check --external)
//	settle   the pages' suppression comments and the configured severities
//	         applied to the findings, which are sorted
//	render   every page and file of the site through the theme (Render)
//	search   the search index, built once the pages are rendered (Search)
//	output   written into Options.Out, or kept in memory (Result.Output),
//	         with the site's manifest.json (package manifest) beside it
//
// Run runs them; Options.Skip leaves stages out. handbook build runs them
// all; handbook check skips Render and Search and writes nothing, which
// also loads pages without their HTML (site.Config.NoHTML) and lets a parse
// cache serve them (site.Config.CacheDir):
//
//	res, err := build.Run(ctx, build.Options{Site: cfg, Skip: build.Render | build.Search})
//	// res.Diags: every finding, settled; res.Site: the site checked
//
// handbook serve keeps the site in memory with a Live, which runs the same
// stages for a whole build and, after an edit that shows only in the page
// edited, redoes only what the edit affects: its rules, its page and the
// pages linking to it, its words in the search index (see Live). A Live
// has no manifest.json: it is what a build publishes.
//
// Content problems never stop a build: they are findings, every page that
// can be rendered is, and the site is written. A failure to produce the
// site (an unreadable root, a layout that does not parse or execute, an
// interrupt, a full disk) leaves the previous output exactly as it was: the
// site is written into a temporary folder beside the output and swapped in
// by renaming only when complete. The output folder carries a marker file,
// and a folder that is, or contains, the site or a content root, or that is
// neither empty nor marked, is refused before anything is written.
package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/manifest"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/progress"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// Marker is the file that marks a folder as handbook output, safe to
// replace.
const Marker = site.OutputMarker

// ErrUnsafeOutput is returned for an output folder the build must not
// replace.
var ErrUnsafeOutput = errors.New("unsafe output folder")

// A Stage is a stage of the pipeline that Options.Skip can leave out.
// Loading, settling the findings and the output (unless Out is "") always
// happen.
type Stage uint8

const (
	// Rules runs lint's rules over the loaded site.
	Rules Stage = 1 << iota
	// Layouts checks the links layouts write (navigation, headers,
	// footers) on one rendered page of each kind.
	Layouts
	// Render renders every file of the site. Without it the pages are
	// loaded without their HTML and nothing is written.
	Render
	// Search builds the search index.
	Search
)

// Options configure a run of the pipeline.
type Options struct {
	Site site.Config
	// Out is the output folder the site is written to; "" keeps the
	// rendered site in memory, in Result.Output.
	Out string
	// Theme is the theme's files; nil means the default theme.
	Theme fs.FS
	// Skip lists the stages left out; none by default.
	Skip Stage
	// Check, if set, is one more check of the loaded site, run after the
	// rules; its findings are settled with theirs (check --external).
	Check func(ctx context.Context, s *site.Site) (diag.List, error)
	// Sources say, for the manifest, what the site does not know of the
	// repositories it is built from: their addresses, refs and commits.
	Sources []manifest.Source
	// Progress, if set, is told the phases of the run and the files
	// written (a terminal's progress line).
	Progress *progress.Line
	// Trace, if set, is written one line for each update of a Live that
	// loads the site again: where its time went (HANDBOOK_TRACE).
	Trace io.Writer

	// early, if set, is given the site and the theme as soon as both are
	// loaded, before the renderer is made of them (a reload starts its
	// fingerprints: render.FingerprintCache.Start).
	early func(s *site.Site, th *render.Theme)
	// beside, if set, is given the renderer as soon as the site is
	// loaded, and runs beside the checks, which only read the site too
	// (a reload's fingerprints); its error fails the run.
	beside func(r *render.Renderer) error
	// keptSamples, if set, gives the layout check what earlier checks
	// read of the pages it samples that did not change since (a reload's);
	// it may wait for beside.
	keptSamples func() sampleDocs
	// lintCache, if set, keeps the findings of the rules about a page's
	// own file from one load of a Live to the next (lint.RunCached).
	lintCache *lint.Cache
	// theme, if set, is the theme loaded by an earlier run with the same
	// configuration and layouts (a Live's reload), used as it is.
	theme *render.Theme
	// shareSidebars renders with shared sidebars
	// (render.Renderer.ShareSidebars), for a Live.
	shareSidebars bool
	// updatable keeps the search index ready for updates (a Live's);
	// otherwise it keeps only its files, and hands them over once.
	updatable bool
}

// runs reports whether the stage is not skipped.
func (o *Options) runs(st Stage) bool { return o.Skip&st == 0 }

// Result describes a finished run.
type Result struct {
	// Site is the site loaded, but for a build that wrote its files to a
	// folder (Options.Out), which lets the site go once its pages are
	// written: nil then.
	Site *site.Site
	// GitNote is what is wrong with the site's git history, if anything
	// (site.Site.GitNote).
	GitNote string
	// Diags are the findings: suppressed where the pages say so, with
	// their configured severities, sorted.
	Diags diag.List
	// Output holds every file of a site rendered without an Out folder,
	// by site path ("/runbooks/x/index.html").
	Output map[string][]byte
	// Pages counts the Markdown pages rendered per kind; Generated the
	// generated pages (indexes, tags, home, 404, aliases), Files the files
	// copied as they are.
	Pages     map[page.Kind]int
	Generated int
	Files     int
	Elapsed   time.Duration
}

// Summary is the one line a build prints.
func (r *Result) Summary(out string) string {
	var parts []string
	total := 0
	for _, k := range page.Kinds {
		if n := r.Pages[k]; n > 0 {
			total += n
			name := strings.ToLower(k.Plural())
			if n == 1 {
				name = strings.ToLower(k.Title())
			}
			if k == page.KindADR {
				name = "ADR"
				if n != 1 {
					name = "ADRs"
				}
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
		}
	}
	problems := "no problems"
	if len(r.Diags) > 0 {
		problems = fmt.Sprintf("%d problems (%d errors, %d warnings)", len(r.Diags), r.Diags.Count(diag.Error), r.Diags.Count(diag.Warning))
	}
	return fmt.Sprintf("built %d pages (%s) + %d generated, %d files, %s in %s → %s",
		total, strings.Join(parts, ", "), r.Generated, r.Files, problems, r.Elapsed.Round(time.Millisecond), out)
}

// Run runs the pipeline over the site of opts.Site. The error is for a
// site that cannot be produced at all (an unreadable root, a layout that
// does not execute, an output folder that must not be replaced, an
// interrupt): content problems are in the result's Diags.
func Run(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	cfg := opts.Site
	out := ""
	if opts.Out != "" && opts.runs(Render) {
		var err error
		if out, err = filepath.Abs(opts.Out); err != nil {
			return nil, fmt.Errorf("output folder: %w", err)
		}
		if err := CheckOut(out, cfg); err != nil {
			return nil, err
		}
		cfg.Exclude = append(cfg.Exclude, out)
	}
	// The output before the last, if there is one, is where this build
	// writes its site (ADR-0019); what it held is listed while the site
	// loads.
	var sp *spare
	if out != "" {
		var swept func()
		sp, swept = claimSpare(out)
		defer swept()
	}
	opts.Progress.Phase("loading and checking pages", 0)
	p, err := prepare(ctx, cfg, opts)
	if err != nil {
		sp.release()
		if out != "" {
			return nil, fmt.Errorf("%w; the previous output was kept", err)
		}
		return nil, err
	}
	res := &Result{Site: p.site, Diags: p.diags, Pages: map[page.Kind]int{}, GitNote: p.site.GitNote()}
	if p.r == nil {
		if p.index != nil {
			_ = p.index(nil)
		}
		res.Elapsed = time.Since(start)
		return res, nil
	}
	opts.Progress.Phase("rendering and writing files", p.r.Files())
	res.count(p.r)
	if out != "" {
		// The site goes once its pages are written (writeOut).
		res.Site = nil
		err = writeOut(ctx, out, sp, p, func() []byte { return manifestFile(p, opts) }, opts.Progress)
	} else {
		// The search index is built after the rendering, as writeOut
		// does, into the output.
		res.Output, err = renderAll(ctx, p.r, 0, opts.Progress, nil)
		if p.index != nil {
			var mu sync.Mutex
			var emit func(string, []byte) error
			if err == nil {
				emit = func(sitePath string, data []byte) error {
					mu.Lock()
					defer mu.Unlock()
					res.Output[sitePath] = data
					return nil
				}
			}
			_ = p.index(emit)
		}
		if err == nil {
			res.Output[manifestPath] = manifestFile(p, opts)
		}
	}
	if err != nil {
		return nil, err
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

// prepared is a site loaded and checked, ready to render: what prepare
// returns.
type prepared struct {
	site *site.Site
	// r renders the site; nil when Render is skipped.
	r *render.Renderer
	// raw are the findings as the checks made them; diags the same,
	// settled.
	raw, diags diag.List
	// samples are what the layout check read of the pages it sampled.
	samples sampleDocs
	// index hands the files of the search index, built beside whatever
	// the caller does next (the rendering), to emit, from several
	// goroutines at once, and returns emit's first error; nil when Search
	// is skipped, or when the index is updatable (updatable has it). It
	// is called once, with a nil emit when the index is not wanted after
	// all (its work then stops).
	index func(emit func(sitePath string, data []byte) error) error
	// updatable, for an updatable index (a Live's), waits for the index
	// itself.
	updatable func() *search.Index
	// took is how long each step took.
	took steps
}

// letGo drops the site, its renderer and what the layout check read of
// it, once the caller needs no more of them: writeOut, before the search
// index, which reads its own documents.
func (p *prepared) letGo() { p.site, p.r, p.samples = nil, nil, nil }

// steps are the times prepare's steps took: loading the site, planning
// the renderer's files, the checks (the rules, the layouts, what runs
// beside them), and settling the findings.
type steps struct {
	load, plan, checks, settle time.Duration
}

// prepare runs the stages before the rendering: it loads the site and its
// theme, runs the checks, settles their findings and starts the search
// index.
func prepare(ctx context.Context, cfg site.Config, opts Options) (*prepared, error) {
	if cfg.Scan == nil {
		cfg.Scan = lint.Secrets
	}
	if !opts.runs(Render) {
		cfg.NoHTML = true
	}
	start := time.Now()
	s, err := site.Load(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var took steps
	took.load = time.Since(start)
	var th *render.Theme
	if opts.runs(Layouts) || opts.runs(Render) {
		if th = opts.theme; th == nil {
			if th, err = loadTheme(cfg, opts.Theme); err != nil {
				return nil, err
			}
		}
	}
	if opts.early != nil && th != nil {
		opts.early(s, th)
	}
	// The rules need no renderer: they run while it is made and its
	// files planned, which takes one core.
	rules := make(chan diag.List, 1)
	go func() { rules <- runRules(s, opts) }()
	// One renderer serves the layout check, the work beside it and the
	// rendering; its files are planned before they share it.
	var r *render.Renderer
	if opts.runs(Render) {
		start := time.Now()
		r = render.New(s, th)
		if opts.shareSidebars {
			r.ShareSidebars()
		}
		r.Files()
		took.plan = time.Since(start)
	}
	besideDone := make(chan error, 1)
	if opts.beside != nil && r != nil {
		go func() { besideDone <- opts.beside(r) }()
	} else {
		besideDone <- nil
	}
	checking := time.Now()
	raw, samples, err := check(ctx, s, th, r, opts, rules)
	if berr := <-besideDone; err == nil {
		err = berr
	}
	if err != nil {
		return nil, err
	}
	took.checks = time.Since(checking)
	settling := time.Now()
	p := &prepared{site: s, raw: raw, diags: settle(s, raw), samples: samples}
	took.settle = time.Since(settling)
	p.took = took
	dropped := false
	if opts.runs(Search) {
		if opts.updatable {
			done := make(chan *search.Index, 1)
			docs := searchDocs(s)
			go func() { done <- search.Build(docs) }()
			p.updatable = sync.OnceValue(func() *search.Index { return <-done })
		} else {
			// The documents are made beside the rendering, which reads
			// neither the pages' sources nor their prose, and take the
			// sources from the pages; the index is built once the caller
			// has rendered the pages and let the site go (writeOut), each
			// source going once the index has read its text, and encoded
			// straight into the files the caller writes.
			to := make(chan func(string, []byte) error, 1)
			done := make(chan error, 1)
			go indexStatic(s, r != nil, to, done)
			p.index = func(emit func(string, []byte) error) error {
				to <- emit
				return <-done
			}
			dropped = true
		}
	}
	if opts.runs(Render) {
		if !dropped {
			s.DropSources() // the rendering needs only the HTML
		}
		p.r = r
	}
	return p, nil
}

// indexStatic makes the search documents of s, dropping the pages'
// sources when drop is set (searchDocsDropping), then builds the index
// into the emit it is given on to, or stops when that is nil, and says
// how it went on done. It holds nothing of s once the documents are
// made: a build lets the site go before the index is built.
func indexStatic(s *site.Site, drop bool, to <-chan func(string, []byte) error, done chan<- error) {
	var docs []search.Doc
	if drop {
		docs = searchDocsDropping(s)
	} else {
		docs = searchDocs(s)
	}
	emit := <-to
	if emit == nil {
		done <- nil
		return
	}
	done <- search.BuildStatic(docs, emit)
}

// runRules returns the findings of the rules on a loaded site, none if
// opts leaves them out.
func runRules(s *site.Site, opts Options) diag.List {
	switch {
	case !opts.runs(Rules):
		return nil
	case opts.lintCache != nil:
		return lint.RunCached(s, opts.lintCache)
	default:
		return lint.Run(s)
	}
}

// check runs the checks of a loaded site: the layouts, beside the rules
// (whose findings rules gives: both only read the site); then
// opts.Check. The findings are raw: not yet suppressed by comments nor
// given their configured severities (see settle). samples are what the
// layout check read of the pages it sampled.
func check(ctx context.Context, s *site.Site, th *render.Theme, r *render.Renderer, opts Options, rules <-chan diag.List) (raw diag.List, samples sampleDocs, err error) {
	var layouts diag.List
	layoutsDone := make(chan error, 1)
	if opts.runs(Layouts) {
		go func() {
			var kept sampleDocs
			if opts.keptSamples != nil && r != nil { // beside runs only with a renderer
				kept = opts.keptSamples()
			}
			var err error
			layouts, samples, err = checkLayouts(s, th, r, kept)
			layoutsDone <- err
		}()
	} else {
		layoutsDone <- nil
	}
	raw = append(slices.Clip(s.Diags), <-rules...)
	if err := <-layoutsDone; err != nil {
		return nil, nil, err
	}
	raw = append(raw, layouts...)
	if opts.Check != nil {
		more, err := opts.Check(ctx, s)
		if err != nil {
			return nil, nil, err
		}
		raw = append(raw, more...)
	}
	return raw, samples, nil
}

// settle applies the pages' suppression comments and the configured
// severities to raw findings, and sorts them.
func settle(s *site.Site, raw diag.List) diag.List {
	return lint.Apply(&s.Config, lint.Suppress(s, raw))
}

// count fills in how many pages of each kind, generated pages and copied
// files were rendered.
func (res *Result) count(r *render.Renderer) {
	for _, p := range res.Site.Published() {
		res.Pages[p.Kind]++
	}
	pages := 0
	for _, n := range res.Pages {
		pages += n
	}
	html, copied := r.Count()
	res.Generated, res.Files = html-pages, copied
}
