package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/handbook-dev/handbook/internal/memlimit"
	"github.com/handbook-dev/handbook/internal/preview"
	"github.com/handbook-dev/handbook/internal/serve"
	"github.com/handbook-dev/handbook/internal/site"
)

type serveCommand struct{ g *globals }

var serveHelp = `Usage: handbook serve [--port 1313] [--bind 127.0.0.1] [--open] [--drafts=false] [--poll 500ms]
                      [--site MANIFEST [--source NAME]]

Builds the site into memory and serves it, rebuilding when a file under a
content root, layouts/, static/ or handbook.yaml changes; the browser
reloads the pages that changed by itself, and shows every problem of the
site over the page until it is fixed. Nothing is written to disk. Drafts
are shown, with a banner, unless --drafts=false.

The server listens on 127.0.0.1 unless --bind says otherwise; it stops on
Ctrl-C or SIGTERM.

--site previews one repository of a handbook built from many inside the
published handbook: MANIFEST is the manifest.json of the full build (a file
or a URL). The repository's pages are built and served live as above, under
their mounts; every other path is taken from the published site (the
manifest's base URL, else the folder of the manifest's URL). --source names
the repository as for check --site. With --site the server listens on a
loopback address only.`

func (c *serveCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	port := fs.Int("port", 1313, "listen on `port` (0: any free port)")
	bind := fs.String("bind", "127.0.0.1", "listen on `address`; anything but a loopback address exposes the preview to the network")
	open := fs.Bool("open", false, "open the site in the browser")
	drafts := fs.Bool("drafts", true, "show pages marked draft, with a banner")
	offline := fs.Bool("offline", false, "preview the sources: from the cache, contacting no repository")
	poll := fs.Duration("poll", 0, "look for changes every `interval` instead of asking the system (for network and VM file systems)")
	var sf siteFlags
	fs.StringVar(&sf.manifest, "site", "", "preview this repository's pages inside the published handbook whose manifest.json is at `MANIFEST` (a file or a URL)")
	fs.StringVar(&sf.source, "source", "", "with --site, the manifest's source this repository is (`NAME`; . for the handbook's own)")
	if err := parseFlags(fs, c.g, args, serveHelp); err != nil {
		return err
	}
	if *port < 0 || *port > 65535 {
		return usagef("--port %d is not a port", *port)
	}
	reload := func() (site.Config, error) { return loadConfig(c.g.dir, c.g.config) }
	var part *partSite // --site: one repository inside the published handbook
	var cfg site.Config
	var err error
	if sf.manifest != "" {
		if ip := net.ParseIP(*bind); *bind != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return usagef("--site serves the published handbook through this preview: --bind must be a loopback address, not %s", *bind)
		}
		sf.manifest = manifestPath(c.g.dir, sf.manifest)
		if part, err = loadPartSite(ctx, c.g.dir, c.g.config, sf); err != nil {
			return err
		}
		cfg = part.cfg
		reload = func() (site.Config, error) { cfg, _, err := part.config(); return cfg, err }
	} else if sf.source != "" {
		return usagef("--source is for --site")
	} else {
		// The sources are gathered at start and when handbook.yaml
		// changes; the preview watches the site's own folders.
		reload = func() (site.Config, error) {
			cfg, err := loadConfig(c.g.dir, c.g.config)
			if err != nil {
				return cfg, err
			}
			srcs, err := gatherSources(ctx, &cfg, gatherOptions{offline: *offline})
			if err != nil {
				return cfg, err
			}
			srcs.say(c.g)
			printFindings(c.g.stderr, srcs.diags)
			return cfg, nil
		}
		if cfg, err = reload(); err != nil {
			return err
		}
	}
	// The preview's heap may grow to a budget before it is collected,
	// rather than to twice what is live: it holds about the budget, and
	// loading the site again after an edit collects less often.
	defer memlimit.Floor(memlimit.ServeBudget, memlimit.Budget)()
	var handler http.Handler
	srv := serve.New(serve.Options{BasePath: cfg.BasePath(), Log: c.g.stderr})
	handler = srv
	if part != nil {
		pub, err := part.published(sf.manifest)
		if err != nil {
			return err
		}
		handler = part.proxied(srv, cfg.BasePath(), pub)
	}
	loop := preview.New(cfg, preview.Options{
		Publish:    srv.Publish,
		Config:     reload,
		ConfigFile: configPath(cfg, c.g.config),
		Drafts:     *drafts,
		Poll:       *poll,
		Log:        c.g.stderr,
		Quiet:      c.g.quiet,
		Trace:      traceTo(c.g.stderr),
		// The garbage of each update is collected once it is served, so
		// that the heap holds what is live and one update's garbage, not
		// the budget (memlimit.Settle).
		Idle: func(whole bool) { memlimit.Settle(whole) },
		// A whole build collects as handbook build does: the heap let
		// grow to the budget over it is most of the preview's memory
		// as it starts.
		Whole: memlimit.Whole,
	})
	// Every stage runs under running, which ends on Ctrl-C or when the
	// HTTP server fails.
	running, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	if err := loop.Start(running); err != nil {
		return err
	}

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

	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() { stop(fmt.Errorf("serve: %w", hs.Serve(ln))) }()
	loop.Run(running)
	if ctx.Err() == nil { // the HTTP server stopped, not the user
		return context.Cause(running)
	}
	shut, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	srv.Shutdown(shut)
	err = hs.Shutdown(shut)
	cancel()
	if err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	fmt.Fprintln(c.g.stderr, "stopped")
	return nil
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

// traceTo returns w when HANDBOOK_TRACE is set: the preview then says,
// for each update that loads the site again, where its time went.
func traceTo(w io.Writer) io.Writer {
	if os.Getenv("HANDBOOK_TRACE") == "" {
		return nil
	}
	return w
}
