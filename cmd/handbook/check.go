package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/site"
)

type checkCommand struct{ g *globals }

var checkHelp = `Usage: handbook check [--format text|json|github] [--strict] [--drafts]

Checks the site without writing it: front matter, links and anchors,
references, and these rules:

` + lint.Explain() + `
Exit code 1 when there are errors (with --strict, warnings too).`

func (c *checkCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	format := fs.String("format", "text", "output `format`: "+strings.Join(lint.Formats, ", "))
	strict := fs.Bool("strict", false, "fail on warnings too")
	drafts := fs.Bool("drafts", false, "check pages marked draft as published")
	if err := parseFlags(fs, c.g, args, checkHelp); err != nil {
		return err
	}
	if !slices.Contains(lint.Formats, *format) {
		return usagef("unknown format %q; use one of %s", *format, strings.Join(lint.Formats, ", "))
	}
	cfg, err := loadConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	cfg.Drafts = *drafts
	cfg.Scan = lint.Secrets
	cfg.NoHTML = true
	s, err := site.Load(ctx, cfg)
	if err != nil {
		return err
	}
	list := lint.Apply(cfg.Rules, lint.Suppress(s, append(s.Diags, lint.Run(s)...)))
	if err := lint.Format(c.g.stdout, *format, list); err != nil {
		return err
	}
	errs, warns := list.Count(diag.Error), list.Count(diag.Warning)
	if !c.g.quiet && *format == "text" {
		fmt.Fprintf(c.g.stderr, "checked %d pages: %d errors, %d warnings, %d notes\n", len(s.Pages), errs, warns, list.Count(diag.Info))
	}
	if errs > 0 || *strict && warns > 0 {
		return errProblems
	}
	return nil
}
