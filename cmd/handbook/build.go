package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/memlimit"
	"github.com/handbook-dev/handbook/internal/progress"
	"github.com/handbook-dev/handbook/internal/site"
)

type buildCommand struct{ g *globals }

const buildHelp = `Usage: handbook build [--out public] [--drafts] [--base-url URL] [--profile NAME]

Builds the site into the output folder. Content problems are printed as
path:line:col and make the exit code 1, but every page that can be built is
and the site is written. If the site cannot be built, the previous output is
kept as it was.

--profile builds the site of a profile of handbook.yaml: only its pages,
with its base URL and title. "public" is built in: pages with visibility:
public (postmortems once reviewed or closed), owner, responders and slack
left out; links to other pages become plain text and are reported.`

func (c *buildCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("out", "public", "write the site to `folder` (relative to the site folder)")
	drafts := fs.Bool("drafts", false, "include pages marked draft")
	baseURL := fs.String("base-url", "", "serve the site under `URL`, such as https://example.com/handbook/")
	profile := fs.String("profile", "", "build only the pages of profile `NAME` of handbook.yaml (\"public\" is built in)")
	offline := fs.Bool("offline", false, "build the sources: from the cache, contacting no repository")
	if err := parseFlags(fs, c.g, args, buildHelp); err != nil {
		return err
	}
	cfg, err := loadConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	if err := selectProfile(&cfg, *profile); err != nil {
		return err
	}
	cfg.Drafts = *drafts
	if *baseURL != "" {
		cfg.BaseURL = *baseURL
	}
	srcs, err := gatherSources(ctx, &cfg, gatherOptions{offline: *offline})
	if err != nil {
		return err
	}
	srcs.say(c.g)
	// The heap grows by three quarters of what is live before it is
	// collected, not double, and a big site's is kept near a budget; a
	// small one never nears it. Up to the budget, it is faulted in as
	// huge pages where the system gives them on request.
	memlimit.HugePages(memlimit.Budget)
	defer memlimit.Start(memlimit.Budget)()
	// While a big site's pages are read, the heap is let grow to about
	// what the rendering will hold in any case before it is collected.
	cfg.Walked = func(_ int, bytes int64) { memlimit.Expect(bytes) }
	outDir := *out
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(cfg.Dir, outDir)
	}
	// On a terminal, a build that takes a while shows its phase and the
	// files written on one line, cleared before the findings print.
	var line *progress.Line
	if !c.g.quiet {
		line = progress.New(c.g.stderr)
	}
	res, err := build.Run(ctx, build.Options{Site: cfg, Out: outDir, Sources: srcs.manifestSources(cfg), Progress: line})
	line.Done()
	if err != nil {
		var re *site.RootError
		if errors.Is(err, build.ErrUnsafeOutput) || errors.As(err, &re) {
			return fmt.Errorf("%w; nothing was written", err)
		}
		return err
	}
	sayGitNote(c.g, res.GitNote)
	res.Diags = append(srcs.diags, res.Diags...)
	printFindings(c.g.stderr, res.Diags)
	if !c.g.quiet {
		shown := outDir
		if r, err := filepath.Rel(cfg.Dir, outDir); err == nil {
			shown = r
		}
		fmt.Fprintln(c.g.stdout, res.Summary(shown))
	}
	if res.Diags.HasErrors() {
		return errProblems
	}
	return nil
}

// sayGitNote prints what is wrong with the site's git history, if
// anything (build.Result.GitNote): once, before the findings.
func sayGitNote(g *globals, note string) {
	if note != "" {
		fmt.Fprintln(g.stderr, "warning: "+note)
	}
}

// selectProfile applies --profile NAME, if given.
func selectProfile(cfg *site.Config, name string) error {
	if name == "" {
		return nil
	}
	if !cfg.SelectProfile(name) {
		names := []string{"public"}
		for n := range cfg.Profiles {
			if n != "public" {
				names = append(names, n)
			}
		}
		return usagef("--profile %q: no such profile; handbook.yaml defines %s", name, strings.Join(names, ", "))
	}
	return nil
}
