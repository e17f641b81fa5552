package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/site"
)

type checkCommand struct{ g *globals }

var checkHelp = `Usage: handbook check [--format text|json|sarif|github] [--strict] [--drafts]
                      [--external] [--changed [REF]] [--summary FILE] [--color auto|always|never]
                      [--profile NAME] [--baseline auto|write|ignore] [--baseline-file FILE]

Checks the site without writing it: front matter, links and anchors,
references, layouts, and these rules (id, default severity):

` + lint.Explain() + `
--external also checks links to other sites (HEAD, then GET), with the
settings under check.external in handbook.yaml.

--profile checks the site build --profile NAME writes: its pages only, and
every link, reference or relation from them to a page the profile leaves
out (reported as public-internal-link).

--changed reports only the findings in files changed since REF (default
HEAD: uncommitted changes) and files git does not track yet, while links are
still resolved against the whole site. REF is compared from its merge base
with HEAD, as a pull request is.

--baseline write records every finding in the baseline file (default
` + lint.BaselineFile + ` in the site root, or --baseline-file). While that file
exists, check reports only the findings it does not hold, and the count
line says how many it hid; --baseline ignore reports them all. A finding
is known by its rule, file, message and the text of its line, so it stays
known when lines move.

Exit code 1 when there are errors (with --strict, warnings too), 2 on a
wrong flag or an unreadable handbook.yaml.`

// checkCache is where check keeps what parsing each file found, relative
// to the site folder, so that the next check parses only changed files.
const checkCache = ".handbook-cache/check"

// changedFlag is --changed, which takes an optional REF: "--changed",
// "--changed=REF" or "--changed REF".
type changedFlag struct {
	set bool
	ref string
}

func (c *changedFlag) String() string { return c.ref }
func (c *changedFlag) Set(v string) error {
	c.set = true
	if v != "true" {
		c.ref = v
	}
	return nil
}
func (c *changedFlag) IsBoolFlag() bool { return true }

func (c *checkCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	format := fs.String("format", "text", "output `format`: "+strings.Join(lint.Formats, ", "))
	strict := fs.Bool("strict", false, "fail on warnings too")
	drafts := fs.Bool("drafts", false, "check pages marked draft as published")
	external := fs.Bool("external", false, "check links to other sites too")
	summary := fs.String("summary", "", "append a Markdown summary to `FILE` (such as $GITHUB_STEP_SUMMARY)")
	color := fs.String("color", "auto", "colour the text format: auto (on a terminal, unless NO_COLOR is set), always or never")
	noCache := fs.Bool("no-cache", false, "parse every file, without reading or writing "+checkCache)
	profile := fs.String("profile", "", "check the site of profile `NAME` of handbook.yaml, as build --profile builds it")
	var changed changedFlag
	fs.Var(&changed, "changed", "report only findings in files changed since `REF` (default HEAD)")
	var base baselineFlags
	base.register(fs)
	if err := parseFlags(fs, c.g, joinChanged(args), checkHelp); err != nil {
		return err
	}
	if err := base.validate(changed.set); err != nil {
		return err
	}
	if !slices.Contains(lint.Formats, *format) {
		return usagef("unknown format %q; use one of %s", *format, strings.Join(lint.Formats, ", "))
	}
	if !slices.Contains([]string{"auto", "always", "never"}, *color) {
		return usagef("--color must be auto, always or never, not %q", *color)
	}
	cfg, ext, err := readConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	if err := selectProfile(&cfg, *profile); err != nil {
		return err
	}
	var only map[string]bool
	if changed.set {
		if only, err = changedFiles(cfg.Dir, changed.ref); err != nil {
			return usagef("--changed: %v", err)
		}
	}
	cfg.Drafts = *drafts
	cfg.Scan = lint.Secrets
	cfg.NoHTML = true
	if !*noCache {
		cfg.CacheDir = filepath.Join(cfg.Dir, filepath.FromSlash(checkCache))
	}
	s, err := site.Load(ctx, cfg)
	if err != nil {
		return err
	}
	th, err := build.LoadTheme(cfg, nil)
	if err != nil {
		return err
	}
	// The rules and the layouts only read the site: side by side.
	var layoutDiags diag.List
	layoutsDone := make(chan error, 1)
	go func() {
		var err error
		layoutDiags, err = build.CheckLayouts(s, th)
		layoutsDone <- err
	}()
	list := append(s.Diags, lint.Run(s)...)
	if err := <-layoutsDone; err != nil {
		return err
	}
	list = append(list, layoutDiags...)
	if *external {
		found, err := checkExternal(ctx, s, ext, only, c.g.stderr, c.g.quiet)
		if err != nil {
			return err
		}
		list = append(list, found...)
	}
	list = lint.Apply(&cfg, lint.Suppress(s, list))
	if base.mode == "write" {
		return base.write(cfg.Dir, list, c.g)
	}
	known, err := base.compare(cfg.Dir, list)
	if err != nil {
		return err
	}
	if known != nil {
		list = known.New
	}
	if only != nil {
		unchanged := func(d diag.Diagnostic) bool { return !only[d.Pos.File] }
		list = slices.DeleteFunc(list, unchanged)
		if known != nil {
			known.Known = slices.DeleteFunc(known.Known, unchanged)
		}
	}
	opts := lint.FormatOptions{
		Color:    *color == "always" || *color == "auto" && os.Getenv("NO_COLOR") == "" && isTerminal(c.g.stdout),
		Version:  versionString(),
		RepoPath: repoPath(cfg.Dir),
	}
	shown := list
	if known != nil && *format == "sarif" {
		shown, opts.BaselineState = known.All(), known.State
	}
	if err := lint.FormatWith(c.g.stdout, *format, shown, opts); err != nil {
		return err
	}
	if *summary != "" {
		f, err := os.OpenFile(*summary, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			return usagef("--summary: %v", err)
		}
		err = lint.Summary(f, list, len(s.Pages))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("--summary: %w", err)
		}
	}
	errs, warns := list.Count(diag.Error), list.Count(diag.Warning)
	if !c.g.quiet && *format == "text" {
		scope := ""
		if only != nil {
			scope = fmt.Sprintf(" (%s changed)", plural(len(only), "file"))
		}
		counts := fmt.Sprintf("%s, %s, %s", plural(errs, "error"), plural(warns, "warning"), plural(list.Count(diag.Info), "note"))
		if known != nil {
			counts += fmt.Sprintf(" (%d known in the baseline)", len(known.Known))
		}
		fmt.Fprintf(c.g.stderr, "checked %s%s: %s\n", plural(len(s.Pages), "page"), scope, counts)
	}
	if known != nil && !c.g.quiet && *profile == "" {
		if note := fixedNote(known, *external); note != "" {
			fmt.Fprintln(c.g.stderr, note)
		}
	}
	if errs > 0 || *strict && warns > 0 {
		return errProblems
	}
	return nil
}

// plural is "1 page", "2 pages".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// joinChanged turns "--changed REF" into "--changed=REF", since the flag
// package gives boolean flags no separate value.
func joinChanged(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if (a == "--changed" || a == "-changed") && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			out = append(out, a+"="+args[i+1])
			i++
			continue
		}
		out = append(out, a)
	}
	return out
}

// changedFiles returns the files, relative to the site folder dir and
// slash-separated, that differ between the merge base of ref and HEAD and
// the working tree, plus the files git does not track yet.
func changedFiles(dir, ref string) (map[string]bool, error) {
	if ref == "" {
		ref = "HEAD"
	}
	git := func(args ...string) (string, error) {
		cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			var ee *exec.ExitError
			if errors.As(err, &ee) {
				return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), strings.TrimSpace(stderr.String()))
			}
			return "", fmt.Errorf("git: %v", err)
		}
		return string(out), nil
	}
	base, err := git("merge-base", ref, "HEAD")
	if err != nil {
		return nil, err
	}
	diff, err := git("diff", "--name-only", "--no-renames", "--relative", strings.TrimSpace(base))
	if err != nil {
		return nil, err
	}
	untracked, err := git("ls-files", "--others", "--exclude-standard")
	if err != nil {
		return nil, err
	}
	files := map[string]bool{}
	for _, l := range strings.Split(diff+untracked, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			files[filepath.ToSlash(l)] = true
		}
	}
	return files, nil
}

// repoPath returns the site folder's path inside its git repository
// ("docs", or "" at the top), found by looking for .git upwards, so that
// SARIF and GitHub annotations name files from the repository root.
func repoPath(dir string) string {
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			rel, err := filepath.Rel(d, dir)
			if err != nil || rel == "." {
				return ""
			}
			return filepath.ToSlash(rel)
		}
		up := filepath.Dir(d)
		if up == d {
			return ""
		}
		d = up
	}
}

// isTerminal reports whether w is a terminal, for colour.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
