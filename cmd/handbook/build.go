package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
)

type buildCommand struct{ g *globals }

const buildHelp = `Usage: handbook build [--out public] [--drafts] [--base-url URL]

Builds the site into the output folder. Content problems are printed as
path:line:col and make the exit code 1, but every page that can be built is
and the site is written. If the site cannot be built, the previous output is
kept as it was.`

func (c *buildCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	out := fs.String("out", "public", "write the site to `folder` (relative to the site folder)")
	drafts := fs.Bool("drafts", false, "include pages marked draft")
	baseURL := fs.String("base-url", "", "serve the site under `URL`, such as https://example.com/handbook/")
	if err := parseFlags(fs, c.g, args, buildHelp); err != nil {
		return err
	}
	cfg, err := loadConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	cfg.Drafts = *drafts
	if *baseURL != "" {
		cfg.BaseURL = *baseURL
	}
	outDir := *out
	if !filepath.IsAbs(outDir) {
		outDir = filepath.Join(cfg.Dir, outDir)
	}
	res, err := build.Run(ctx, build.Options{Site: cfg, Out: outDir})
	if err != nil {
		var re *site.RootError
		if errors.Is(err, build.ErrUnsafeOutput) {
			return fmt.Errorf("%w; nothing was written", err)
		}
		if errors.As(err, &re) {
			return fmt.Errorf("%w; nothing was written", err)
		}
		return err
	}
	for _, d := range res.Diags {
		fmt.Fprintln(c.g.stderr, d)
	}
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
