// Package preview is the loop behind handbook serve: it builds the site
// into memory, watches its files, brings the site up to date after every
// batch of changes and publishes each result to the preview server.
//
//	srv := serve.New(serve.Options{BasePath: cfg.BasePath(), Log: os.Stderr})
//	loop := preview.New(cfg, preview.Options{Publish: srv.Publish, Config: reread, ConfigFile: file, Drafts: true})
//	err := loop.Start(ctx) // watch, then the first build, before the server listens
//	loop.Run(ctx)          // rebuild after every change until ctx is done
//
// # Rebuilding
//
// The site is a build.Live: it runs the pipeline of handbook build in
// memory, and each batch of changed files (internal/watch batches the
// events of one save) goes to its Update, which redoes only what an edit
// that shows in its own page affects, or builds the site whole again. A
// batch that holds the configuration file reads the configuration again
// (Options.Config) and builds whole with a new Live, since parsing depends
// on it. A configuration that does not read, or a site that cannot be
// built at all (an unreadable root, a layout that does not execute), is
// shown over every page as one problem while the last site that built is
// still served; the next batch tries again.
//
// # Publishing
//
// Every build is published as one serve.Snapshot: its files and its
// findings as problems, errors first, at most serve.MaxProblems of them,
// each with the source lines around it (read once, and again when the file
// changes), and how many there are in all. After a partial update the
// search index is brought up to date beside the loop (Live.UpdateSearch)
// and published as one more snapshot with the same problems, so that the
// browser reloads the edited page without waiting for the index; an index
// built whole again (a page added or removed) waits until the files have
// been quiet for a second (Options.SearchIdle), and is stopped by the next
// batch of changes, which would otherwise share the cores with it.
//
// A line per batch, "changed: content/a.md, content/b.md", goes to
// Options.Log unless Options.Quiet, with the watcher's errors; the server
// logs each Publish.
package preview

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/progress"
	"github.com/handbook-dev/handbook/internal/serve"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/watch"
)

// Options configure a Loop.
type Options struct {
	// Publish hands each build to the server: serve.Server's Publish.
	Publish func(*serve.Snapshot) serve.Update
	// Config reads the configuration again: after ConfigFile changed, and
	// after a read that failed.
	Config func() (site.Config, error)
	// ConfigFile is the configuration file's absolute path, watched with
	// the site.
	ConfigFile string
	// Drafts shows the pages marked draft, with a banner.
	Drafts bool
	// Poll, when positive, looks for changes every Poll instead of asking
	// the system (see watch.Options).
	Poll time.Duration
	// Log receives a line for each batch of changes, unless Quiet, and the
	// watcher's errors; nil discards them.
	Log   io.Writer
	Quiet bool
	// Trace, when set, is written a line for each update that loads the
	// site again, saying where its time went (build.Options.Trace).
	Trace io.Writer
	// SearchIdle is how long the files must have been quiet before the
	// search index is built whole again (after a page was added or
	// removed), so that the next save is not slowed by it; default
	// DefaultSearchIdle. A page's own update is made at once.
	SearchIdle time.Duration
	// Idle, when set, is called on a goroutine of its own once the loop
	// has nothing left to do after a build or an update (every file
	// served, the search index up to date) and no change came for
	// IdleDelay; whole is true when the site was built whole since the
	// last call (at the start, after a change of configuration or
	// layouts). Never two at once. handbook serve collects the garbage
	// the work left then (memlimit.Settle), rather than in the middle of
	// the next update.
	Idle func(whole bool)
	// Whole, if set, is called before the site is built whole (at the
	// start, after a change of configuration); the Idle call after it
	// says whole. handbook serve collects as a build does until then
	// (memlimit.Whole).
	Whole func()
}

// IdleDelay is how long the loop waits, with nothing to do, before it
// calls Options.Idle.
const IdleDelay = 50 * time.Millisecond

// DefaultSearchIdle is Options.SearchIdle's default.
const DefaultSearchIdle = time.Second

// A Loop is the state of one preview session. Start and Run are called
// from one goroutine.
type Loop struct {
	opts Options
	cfg  site.Config
	// live is the site in memory, brought up to date on every change; nil
	// until built, and after the configuration changed or did not read.
	live *build.Live
	// noted is the last git note said, so that it is said once.
	noted string
	mu    sync.Mutex
	last  *build.LiveResult // the last build that worked
	// sources holds the files problems were found in, by the path they
	// are reported at, for the lines shown around each problem; a changed
	// file is read again.
	sources map[string][]byte
	// probs and total are the problems last published.
	probs []serve.Problem
	total int
	// searching is set while a search index update runs, which
	// stopSearch stops if it builds the index whole; lastBatch is when
	// the last batch of changes came.
	searching  bool
	stopSearch context.CancelFunc
	lastBatch  time.Time
	// batches and werrs are the watcher's (Start).
	batches <-chan watch.Batch
	werrs   <-chan error
	// owesIdle is set when work was done since Options.Idle was last
	// called, builtWhole when that work built the site whole; idling is
	// set while it runs.
	owesIdle, builtWhole bool
	idling               atomic.Bool
}

// New returns the Loop of the site configured by cfg; nothing is built
// yet.
func New(cfg site.Config, opts Options) *Loop {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.SearchIdle <= 0 {
		opts.SearchIdle = DefaultSearchIdle
	}
	return &Loop{opts: opts, cfg: cfg, sources: map[string][]byte{}}
}

// Start starts watching the site's files, then builds the whole site and
// publishes it, or the error that stopped it: a change made while it
// builds, or once it returns, is seen by Run. The watching stops when ctx
// is done. Its error is for watching that cannot start.
func (l *Loop) Start(ctx context.Context) error {
	var err error
	l.batches, l.werrs, err = watch.Watch(ctx, watchPaths(l.cfg, l.opts.ConfigFile), watch.Options{Poll: l.opts.Poll})
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	l.rebuild(ctx, nil)
	return nil
}

// Run rebuilds the site after every batch of changes until ctx is done
// or the watching stops. Start first.
func (l *Loop) Run(ctx context.Context) {
	batches, werrs := l.batches, l.werrs
	searchDone := make(chan searchResult, 1)
	for {
		later := l.startSearch(searchDone)
		var idle <-chan time.Time
		// Armed while a whole search index waits for quiet too: the
		// collection is over long before it starts.
		if l.owesIdle && !l.searching && l.opts.Idle != nil {
			idle = time.After(IdleDelay)
		}
		select {
		case <-idle:
			l.idle()
		case <-later: // quiet long enough for the index
		case r := <-searchDone:
			l.searched(r)
		case <-ctx.Done():
			if l.live != nil {
				l.live.Close() // its temporary files go now, on every system
			}
			return
		case err, ok := <-werrs:
			if ok {
				fmt.Fprintf(l.opts.Log, "handbook: watching: %v\n", err)
			} else {
				werrs = nil
			}
		case b, ok := <-batches:
			if !ok {
				return // the watcher's context is done
			}
			l.lastBatch = time.Now()
			if l.searching {
				// A whole index being built is stale already, and would
				// take the cores from this update: stopped, it is built
				// again once the files are quiet.
				l.stopSearch()
			}
			// A changed configuration is read again; a broken one is
			// shown, not fatal, and the site is built again once it works.
			if slices.Contains(b.Paths, l.opts.ConfigFile) || l.live == nil {
				next, err := l.opts.Config()
				if err != nil {
					l.live = nil
					l.fail(err, "config")
					continue
				}
				l.cfg = next
				l.live = nil // parsing depends on the configuration
			}
			l.rebuild(ctx, b.Paths)
		}
	}
}

// idle calls Options.Idle, unless it is still running from the last
// time (then it is called again later).
func (l *Loop) idle() {
	if !l.idling.CompareAndSwap(false, true) {
		return
	}
	whole := l.builtWhole
	l.owesIdle, l.builtWhole = false, false
	go func() {
		defer l.idling.Store(false)
		l.opts.Idle(whole)
	}()
}

// rebuild brings the site in memory up to date and publishes it: built
// whole at first and after a configuration change, else updated for the
// files that changed (which are also written to the log).
func (l *Loop) rebuild(ctx context.Context, changed []string) {
	l.owesIdle = true
	if len(changed) > 0 && !l.opts.Quiet {
		fmt.Fprintf(l.opts.Log, "changed: %s\n", describe(l.cfg.Dir, changed))
	}
	start := time.Now()
	var res *build.LiveResult
	var err error
	if l.live == nil {
		cfg := l.cfg
		cfg.Drafts = l.opts.Drafts
		// The first build of a large site takes a while: on a terminal,
		// its phase and the pages rendered show on one line.
		var line *progress.Line
		if !l.opts.Quiet {
			line = progress.New(l.opts.Log)
		}
		l.live = build.NewLive(build.Options{Site: cfg, Progress: line, Trace: l.opts.Trace})
		if l.opts.Whole != nil {
			l.opts.Whole()
		}
		res, err = l.live.Build(ctx)
		line.Done()
	} else {
		res, err = l.live.UpdateFirst(ctx, changed)
	}
	if err == nil && res.First {
		// A first look at an edit that shows beyond its page: the page
		// itself is served at once, the rest once the site is loaded again.
		l.publish(res, start)
		if res, err = l.live.Finish(ctx); err == nil && res == nil {
			return // nothing owed: cannot happen after a first look
		}
	}
	if err != nil {
		l.fail(err, "build")
		return
	}
	for _, c := range changed {
		if r, err := filepath.Rel(l.cfg.Dir, c); err == nil {
			delete(l.sources, filepath.ToSlash(r))
		}
	}
	if res.Note != "" && res.Note != l.noted {
		fmt.Fprintln(l.opts.Log, "warning: "+res.Note)
		l.noted = res.Note
	}
	l.publish(res, start)
}

// publish serves a result of the Live, timed from start.
func (l *Loop) publish(res *build.LiveResult, start time.Time) {
	if !res.Partial && !res.First {
		l.builtWhole = true
	}
	l.mu.Lock()
	l.last = res
	l.mu.Unlock()
	note := "site rebuilt"
	switch {
	case res.First:
		note = "first look: the edited page"
	case res.Partial:
		note = fmt.Sprintf("%d rendered", res.Rendered)
		if res.Spliced > 0 {
			note += fmt.Sprintf(", %d with a new sidebar", res.Spliced)
		}
	}
	probs, total := l.problems(res.Diags)
	l.opts.Publish(&serve.Snapshot{Files: res.Files, Unpack: res.Unpack, Problems: probs, ProblemsTotal: total, Drafts: l.opts.Drafts, Elapsed: time.Since(start), Note: note, Pending: res.First})
	l.probs, l.total = probs, total
}

// searchResult is a search index update done beside the loop.
type searchResult struct {
	live *build.Live
	res  *build.LiveResult
}

// startSearch brings the search index up to date beside the loop, once
// the pages an edit changed are served, unless an update is running: the
// loop starts another when it ends. An index to build whole waits until
// the files have been quiet for Options.SearchIdle: it would take the
// cores from the next save's update (a second at 10,000 pages); the
// channel returned fires when it is time to try again (nil: nothing to
// wait for).
func (l *Loop) startSearch(done chan<- searchResult) <-chan time.Time {
	if l.searching || l.live == nil || !l.live.SearchPending() {
		return nil
	}
	if l.live.SearchWhole() {
		if wait := l.opts.SearchIdle - time.Since(l.lastBatch); wait > 0 {
			return time.After(wait)
		}
	}
	l.searching = true
	live := l.live
	ctx, cancel := context.WithCancel(context.Background())
	l.stopSearch = cancel
	go func() {
		defer cancel()
		done <- searchResult{live, live.UpdateSearch(ctx)}
	}()
	return nil
}

// searched publishes a search index update, unless the site was set up
// anew meanwhile.
func (l *Loop) searched(r searchResult) {
	l.searching = false
	l.owesIdle = true
	if r.res == nil || r.live != l.live {
		return
	}
	l.mu.Lock()
	l.last = r.res
	l.mu.Unlock()
	l.opts.Publish(&serve.Snapshot{Files: r.res.Files, Unpack: r.res.Unpack, Problems: l.probs, ProblemsTotal: l.total, Drafts: l.opts.Drafts, Elapsed: r.res.Elapsed, Note: "search index"})
}

// fail shows an error that stopped the build over every page, as a problem
// of rule ("build" or "config"), keeping the last site that built.
func (l *Loop) fail(err error, rule string) {
	l.mu.Lock()
	last := l.last
	l.mu.Unlock()
	snap := &serve.Snapshot{Files: map[string][]byte{}, Problems: []serve.Problem{{Severity: "error", Rule: rule, Message: err.Error()}}, Drafts: l.opts.Drafts}
	if last != nil {
		snap.Files, snap.Unpack = last.Files, last.Unpack
	}
	l.opts.Publish(snap)
}

// problems turns findings into what the overlay shows, with the source
// lines around each: errors first, at most serve.MaxProblems of them. It
// returns them and how many findings there are in all.
func (l *Loop) problems(list diag.List) ([]serve.Problem, int) {
	shown := make([]diag.Diagnostic, 0, min(len(list), serve.MaxProblems))
	for _, errs := range []bool{true, false} {
		for _, d := range list {
			if len(shown) == serve.MaxProblems {
				break
			}
			if (d.Severity == diag.Error) == errs {
				shown = append(shown, d)
			}
		}
	}
	out := make([]serve.Problem, 0, len(shown))
	for _, d := range shown {
		pr := serve.Problem{File: d.Pos.File, Line: d.Pos.Line, Col: d.Pos.Col, Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message}
		if d.Pos.File != "" && d.Pos.Line > 0 {
			src, ok := l.sources[d.Pos.File]
			if !ok {
				src, _ = os.ReadFile(filepath.Join(l.cfg.Dir, filepath.FromSlash(d.Pos.File)))
				l.sources[d.Pos.File] = src
			}
			pr.Context = serve.Excerpt(src, d.Pos.Line, 2)
		}
		out = append(out, pr)
	}
	return out, len(list)
}

// describe lists changed files for the log, relative to the site folder,
// at most three of them.
func describe(dir string, paths []string) string {
	var names []string
	for i, p := range paths {
		if i == 3 {
			names = append(names, fmt.Sprintf("and %d more", len(paths)-3))
			break
		}
		if r, err := filepath.Rel(dir, p); err == nil && !strings.HasPrefix(r, "..") {
			p = filepath.ToSlash(r)
		}
		names = append(names, p)
	}
	return strings.Join(names, ", ")
}

// watchPaths are the folders and files whose changes rebuild the site:
// the content roots, the site's layouts and static folders, and the
// configuration file configFile (absolute).
func watchPaths(cfg site.Config, configFile string) []string {
	var out []string
	for _, r := range cfg.Roots {
		d := cfg.RootDir(r)
		if fi, err := os.Stat(d); err == nil && fi.IsDir() {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		out = append(out, cfg.Dir) // a site read from its own folder
	}
	// layouts/ and static/ are watched even before they exist: their
	// parent is, so creating them is seen.
	out = append(out, filepath.Join(cfg.Dir, "layouts"), filepath.Join(cfg.Dir, "static"))
	out = append(out, site.CatalogFiles(cfg)...)
	return append(out, configFile)
}
