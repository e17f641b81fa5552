package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/serve"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/watch"
)

type serveCommand struct{ g *globals }

var serveHelp = `Usage: handbook serve [--port 1313] [--bind 127.0.0.1] [--open] [--drafts=false] [--poll 500ms]

Builds the site into memory and serves it, rebuilding when a file under a
content root, layouts/, static/ or handbook.yaml changes; the browser
reloads the pages that changed by itself, and shows every problem of the
site over the page until it is fixed. Nothing is written to disk. Drafts
are shown, with a banner, unless --drafts=false.

The server listens on 127.0.0.1 unless --bind says otherwise; it stops on
Ctrl-C or SIGTERM.`

func (c *serveCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	port := fs.Int("port", 1313, "listen on `port` (0: any free port)")
	bind := fs.String("bind", "127.0.0.1", "listen on `address`; anything but a loopback address exposes the preview to the network")
	open := fs.Bool("open", false, "open the site in the browser")
	drafts := fs.Bool("drafts", true, "show pages marked draft, with a banner")
	poll := fs.Duration("poll", 0, "look for changes every `interval` instead of asking the system (for network and VM file systems)")
	if err := parseFlags(fs, c.g, args, serveHelp); err != nil {
		return err
	}
	if *port < 0 || *port > 65535 {
		return usagef("--port %d is not a port", *port)
	}
	cfg, err := loadConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	p := &preview{g: c.g, drafts: *drafts, sources: map[string][]byte{}}
	p.srv = serve.New(serve.Options{BasePath: cfg.BasePath(), Log: c.g.stderr})
	p.rebuild(ctx, cfg, nil)

	ln, err := net.Listen("tcp", net.JoinHostPort(*bind, strconv.Itoa(*port)))
	if err != nil {
		return usagef("listen: %v", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(c.g.stderr, "handbook: warning: listening on %s: anyone on the network can read this preview, drafts included\n", addr)
	}
	host := *bind
	if addr.IP.IsUnspecified() {
		host = "127.0.0.1"
	}
	url := "http://" + net.JoinHostPort(host, strconv.Itoa(addr.Port)) + cfg.BasePath()
	fmt.Fprintf(c.g.stdout, "serving %s at %s (Ctrl-C to stop)\n", cfg.Dir, url)
	if *open {
		openBrowser(url)
	}

	hs := &http.Server{Handler: p.srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()

	batches, werrs, err := watch.Watch(ctx, watchPaths(cfg, c.g.config), watch.Options{Poll: *poll})
	if err != nil {
		hs.Close()
		return fmt.Errorf("watch: %w", err)
	}
	searchDone := make(chan searchResult, 1)
	for {
		p.startSearch(searchDone)
		select {
		case r := <-searchDone:
			p.searched(r)
		case <-ctx.Done():
			shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			p.srv.Shutdown(shut)
			err := hs.Shutdown(shut)
			cancel()
			if err != nil && !errors.Is(err, context.DeadlineExceeded) {
				return err
			}
			fmt.Fprintln(c.g.stderr, "stopped")
			return nil
		case err := <-served:
			return fmt.Errorf("serve: %w", err)
		case err, ok := <-werrs:
			if ok {
				fmt.Fprintf(c.g.stderr, "handbook: watching: %v\n", err)
			}
		case b, ok := <-batches:
			if !ok {
				continue
			}
			// A changed configuration is read again; a broken one is
			// shown, not fatal, and the site is built again once it works.
			if slices.Contains(b.Paths, configPath(cfg, c.g.config)) || p.live == nil {
				next, err := loadConfig(c.g.dir, c.g.config)
				if err != nil {
					p.live = nil
					p.fail(err, b.Paths)
					continue
				}
				cfg = next
				p.live = nil // parsing depends on the configuration
			}
			p.rebuild(ctx, cfg, b.Paths)
		}
	}
}

// preview is the state of a serve session.
type preview struct {
	g      *globals
	drafts bool
	srv    *serve.Server
	// live is the site in memory, brought up to date on every change; nil
	// until built, and after the configuration changed.
	live *build.Live
	mu   sync.Mutex
	last map[string][]byte // the files of the last build that worked
	// sources holds the files problems were found in, by the path they
	// are reported at, for the lines shown around each problem; a changed
	// file is read again.
	sources map[string][]byte
	// probs and total are the problems last published.
	probs []serve.Problem
	total int
	// searching is set while a search index update runs.
	searching bool
}

// rebuild brings the site in memory up to date and publishes it: built
// whole at first and after a configuration change, else updated for the
// files that changed (which are also written to the log).
func (p *preview) rebuild(ctx context.Context, cfg site.Config, changed []string) {
	if len(changed) > 0 && !p.g.quiet {
		fmt.Fprintf(p.g.stderr, "changed: %s\n", describe(cfg.Dir, changed))
	}
	start := time.Now()
	var res *build.LiveResult
	var err error
	if p.live == nil {
		cfg.Drafts = p.drafts
		p.live = build.NewLive(build.Options{Site: cfg})
		res, err = p.live.Build(ctx)
	} else {
		res, err = p.live.Update(ctx, changed)
	}
	if err != nil {
		p.fail(err, changed)
		return
	}
	for _, c := range changed {
		if r, err := filepath.Rel(cfg.Dir, c); err == nil {
			delete(p.sources, filepath.ToSlash(r))
		}
	}
	p.mu.Lock()
	p.last = res.Files
	p.mu.Unlock()
	note := "site rebuilt"
	if res.Partial {
		note = fmt.Sprintf("%d rendered", res.Rendered)
	}
	probs, total := p.problems(cfg.Dir, res.Diags)
	p.srv.Publish(&serve.Snapshot{Files: res.Files, Problems: probs, ProblemsTotal: total, Drafts: p.drafts, Elapsed: time.Since(start), Note: note})
	p.probs, p.total = probs, total
}

// searchResult is a search index update done beside the loop.
type searchResult struct {
	live *build.Live
	res  *build.LiveResult
}

// startSearch brings the search index up to date beside the loop, once
// the pages an edit changed are served, unless an update is running: the
// loop starts another when it ends.
func (p *preview) startSearch(done chan<- searchResult) {
	if p.searching || p.live == nil || !p.live.SearchPending() {
		return
	}
	p.searching = true
	live := p.live
	go func() { done <- searchResult{live, live.UpdateSearch()} }()
}

// searched publishes a search index update, unless the site was set up
// anew meanwhile.
func (p *preview) searched(r searchResult) {
	p.searching = false
	if r.res == nil || r.live != p.live {
		return
	}
	p.mu.Lock()
	p.last = r.res.Files
	p.mu.Unlock()
	p.srv.Publish(&serve.Snapshot{Files: r.res.Files, Problems: p.probs, ProblemsTotal: p.total, Drafts: p.drafts, Elapsed: r.res.Elapsed, Note: "search index"})
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

// fail shows an error that stopped the build over every page, keeping the
// last site that built.
func (p *preview) fail(err error, changed []string) {
	p.mu.Lock()
	files := p.last
	p.mu.Unlock()
	if files == nil {
		files = map[string][]byte{}
	}
	prob := serve.Problem{Severity: "error", Rule: "build", Message: err.Error()}
	var ue *usageError
	if errors.As(err, &ue) {
		prob.Rule = "config"
	}
	p.srv.Publish(&serve.Snapshot{Files: files, Problems: []serve.Problem{prob}, Drafts: p.drafts})
}

// problems turns findings into what the overlay shows, with the source
// lines around each: errors first, at most serve.MaxProblems of them. It
// returns them and how many findings there are in all.
func (p *preview) problems(dir string, list diag.List) ([]serve.Problem, int) {
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
			src, ok := p.sources[d.Pos.File]
			if !ok {
				src, _ = os.ReadFile(filepath.Join(dir, filepath.FromSlash(d.Pos.File)))
				p.sources[d.Pos.File] = src
			}
			pr.Context = serve.Excerpt(src, d.Pos.Line, 2)
		}
		out = append(out, pr)
	}
	return out, len(list)
}

// watchPaths are the folders and files whose changes rebuild the site:
// the content roots, the site's layouts and static folders, and the
// configuration file.
func watchPaths(cfg site.Config, configFile string) []string {
	var out []string
	for _, r := range cfg.Roots {
		d := r.Dir
		if !filepath.IsAbs(d) {
			d = filepath.Join(cfg.Dir, d)
		}
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
	return append(out, configPath(cfg, configFile))
}

// configPath is the configuration file's absolute path.
func configPath(cfg site.Config, configFile string) string {
	if configFile == "" {
		return filepath.Join(cfg.Dir, "handbook.yaml")
	}
	if !filepath.IsAbs(configFile) {
		return filepath.Join(cfg.Dir, configFile)
	}
	return configFile
}

// openBrowser opens url in the desktop's browser, if there is one.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	_ = cmd.Start()
}
