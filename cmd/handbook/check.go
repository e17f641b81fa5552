package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/extlink"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/memlimit"
	"github.com/handbook-dev/handbook/internal/site"
)

type checkCommand struct{ g *globals }

var checkHelp = `Usage: handbook check [--format text|json|sarif|github] [--strict] [--drafts]
                      [--external] [--changed [REF]] [--summary FILE] [--color auto|always|never]
                      [--profile NAME] [--baseline auto|write|ignore] [--baseline-file FILE]
                      [--site MANIFEST [--source NAME]]

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

--site checks one repository of a handbook built from many (sources: in
the handbook's handbook.yaml) without fetching the others: MANIFEST is the
manifest.json of the full build, a file or a URL. The repository's pages
are read as the full build reads them (its folders, mounts and kinds from
the manifest, positions as name:path), and their links, anchors and
references into the rest of the handbook are checked against the
manifest. The repository is the source --source names (. for the
handbook's own), else the one whose repository is git's remote origin,
else the one named like the repository's folder.

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

// checkFlags are check's flags, parsed.
type checkFlags struct {
	format, summary, color, profile string
	strict, drafts, external        bool
	noCache, offline                bool
	changed                         changedFlag
	base                            baselineFlags
	site                            siteFlags
}

func (c *checkCommand) Run(ctx context.Context, args []string) error {
	f, err := c.parse(args)
	if err != nil {
		return err
	}
	var part *partSite // --site: one repository of the handbook
	var cfg site.Config
	var ext extlink.Options
	if f.site.manifest != "" {
		f.site.manifest = manifestPath(c.g.dir, f.site.manifest)
		if part, err = loadPartSite(ctx, c.g.dir, c.g.config, f.site); err != nil {
			return err
		}
		cfg, ext = part.cfg, part.ext
	} else if cfg, ext, err = readConfig(c.g.dir, c.g.config); err != nil {
		return err
	}
	if err := selectProfile(&cfg, f.profile); err != nil {
		return err
	}
	var only map[string]bool
	if f.changed.set {
		if only, err = changedFiles(cfg.Dir, f.changed.ref); err != nil {
			return usagef("--changed: %v", err)
		}
		if part != nil {
			only = part.partChanged(only)
		}
	}
	srcs := &gathered{}
	if part == nil { // --site checks one repository, without the others
		if srcs, err = gatherSources(ctx, &cfg, gatherOptions{offline: f.offline}); err != nil {
			return err
		}
		srcs.say(c.g)
	}
	cfg.Drafts = f.drafts
	if !f.noCache {
		cfg.CacheDir = filepath.Join(cfg.Dir, filepath.FromSlash(checkCache))
	}
	diags, pages, err := c.findings(ctx, cfg, f, part, func(ctx context.Context, s *site.Site) (diag.List, error) {
		return checkExternal(ctx, s, ext, only, c.g.stderr, c.g.quiet)
	})
	if err != nil {
		return err
	}
	list := append(srcs.diags, diags...)
	if f.base.mode == "write" {
		return f.base.write(cfg.Dir, list, c.g)
	}
	known, err := f.base.compare(cfg.Dir, list)
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
	if part != nil && (f.format == "github" || f.format == "sarif") {
		list = part.repoFiles(list) // annotations name the repository's files
	}
	return c.report(f, cfg.Dir, pages, list, known, only)
}

// findings returns the findings of the site of cfg, settled, and its
// number of pages: from the result cache when nothing they depend on
// changed, else from the pipeline of build, with layouts checked and
// nothing rendered, whose result the cache then keeps. external checks
// links to other sites (--external), which the cache never answers.
func (c *checkCommand) findings(ctx context.Context, cfg site.Config, f *checkFlags, part *partSite, external func(context.Context, *site.Site) (diag.List, error)) (diag.List, int, error) {
	key := ""
	if cfg.CacheDir != "" && !f.external && part == nil {
		key = resultKey(cfg, c.g.config)
		if r, ok := cachedResult(ctx, cfg, key); ok {
			return r.Diags, r.Pages, nil
		}
	}
	if os.Getenv("GOGC") == "" {
		// Parsing every file makes garbage fast (goldmark's syntax trees,
		// released once a page is read) while little stays live: collecting
		// half as often halves the collector's work for about a third more
		// memory at the peak (10,000 pages: 17 collections instead of 36,
		// 430 MB instead of 320 MB).
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	// What the pages make is faulted in as huge pages, where the system
	// gives them on request.
	memlimit.HugePages(memlimit.Budget)
	opts := build.Options{Site: cfg, Skip: build.Render | build.Search}
	if f.external {
		opts.Check = external
	}
	res, err := build.Run(ctx, opts)
	if err != nil {
		return nil, 0, err
	}
	sayGitNote(c.g, res.GitNote)
	if key != "" {
		saveResult(res.Site, key, res.Diags)
	}
	return res.Diags, len(res.Site.Pages), nil
}

// parse parses check's flags.
func (c *checkCommand) parse(args []string) (*checkFlags, error) {
	f := &checkFlags{}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.StringVar(&f.format, "format", "text", "output `format`: "+strings.Join(lint.Formats, ", "))
	fs.BoolVar(&f.strict, "strict", false, "fail on warnings too")
	fs.BoolVar(&f.drafts, "drafts", false, "check pages marked draft as published")
	fs.BoolVar(&f.external, "external", false, "check links to other sites too")
	fs.StringVar(&f.summary, "summary", "", "append a Markdown summary to `FILE` (such as $GITHUB_STEP_SUMMARY)")
	fs.StringVar(&f.color, "color", "auto", "colour the text format: auto (on a terminal, unless NO_COLOR is set), always or never")
	fs.BoolVar(&f.offline, "offline", false, "check the sources: from the cache, contacting no repository")
	fs.BoolVar(&f.noCache, "no-cache", false, "parse every file, without reading or writing "+checkCache)
	fs.StringVar(&f.profile, "profile", "", "check the site of profile `NAME` of handbook.yaml, as build --profile builds it")
	fs.Var(&f.changed, "changed", "report only findings in files changed since `REF` (default HEAD)")
	fs.StringVar(&f.site.manifest, "site", "", "check this repository's part of the handbook whose manifest.json is at `MANIFEST` (a file or a URL)")
	fs.StringVar(&f.site.source, "source", "", "with --site, the manifest's source this repository is (`NAME`; . for the handbook's own)")
	f.base.register(fs)
	if err := parseFlags(fs, c.g, joinChanged(args), checkHelp); err != nil {
		return nil, err
	}
	if err := f.base.validate(f.changed.set); err != nil {
		return nil, err
	}
	if f.site.source != "" && f.site.manifest == "" {
		return nil, usagef("--source is for --site")
	}
	if f.site.manifest != "" && f.profile != "" {
		return nil, usagef("--site checks a repository's part of the whole handbook; --profile is for the whole handbook")
	}
	if !slices.Contains(lint.Formats, f.format) {
		return nil, usagef("unknown format %q; use one of %s", f.format, strings.Join(lint.Formats, ", "))
	}
	if !slices.Contains([]string{"auto", "always", "never"}, f.color) {
		return nil, usagef("--color must be auto, always or never, not %q", f.color)
	}
	return f, nil
}

// report prints the findings of a check of the site in dir, which has
// pages pages, appends the summary, says how many there are, and returns
// errProblems when they fail the check. known is the comparison with the
// baseline, if any; only the changed files, with --changed.
func (c *checkCommand) report(f *checkFlags, dir string, pages int, list diag.List, known *lint.BaselineMatch, only map[string]bool) error {
	opts := lint.FormatOptions{
		Color:    f.color == "always" || f.color == "auto" && os.Getenv("NO_COLOR") == "" && isTerminal(c.g.stdout),
		Version:  versionString(),
		RepoPath: repoPath(dir),
	}
	shown := list
	if known != nil && f.format == "sarif" {
		shown, opts.BaselineState = known.All(), known.State
	}
	if err := lint.FormatWith(c.g.stdout, f.format, shown, opts); err != nil {
		return err
	}
	if f.summary != "" {
		if err := appendSummary(f.summary, list, pages); err != nil {
			return err
		}
	}
	errs, warns := list.Count(diag.Error), list.Count(diag.Warning)
	if !c.g.quiet && f.format == "text" {
		scope := ""
		if only != nil {
			scope = fmt.Sprintf(" (%s changed)", plural(len(only), "file"))
		}
		counts := fmt.Sprintf("%s, %s, %s", plural(errs, "error"), plural(warns, "warning"), plural(list.Count(diag.Info), "note"))
		if known != nil {
			counts += fmt.Sprintf(" (%d known in the baseline)", len(known.Known))
		}
		fmt.Fprintf(c.g.stderr, "checked %s%s: %s\n", plural(pages, "page"), scope, counts)
	}
	if known != nil && !c.g.quiet && f.profile == "" {
		if note := fixedNote(known, f.external); note != "" {
			fmt.Fprintln(c.g.stderr, note)
		}
	}
	if errs > 0 || f.strict && warns > 0 {
		return errProblems
	}
	return nil
}

// appendSummary appends the Markdown summary of list (--summary) to the
// file name.
func appendSummary(name string, list diag.List, pages int) error {
	f, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return usagef("--summary: %v", err)
	}
	err = lint.Summary(f, list, pages)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("--summary: %w", err)
	}
	return nil
}

// printFindings writes findings one a line, as check's text format does
// (control characters in names and messages escaped, so that a file name
// or a quoted link cannot write to the terminal), buffered.
func printFindings(w io.Writer, list diag.List) {
	_ = lint.FormatWith(w, "text", list, lint.FormatOptions{})
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
	git := func(args ...string) (string, error) { return runGit(dir, args...) }
	base, err := mergeBase(dir, ref)
	if err != nil {
		return nil, err
	}
	diff, err := git("diff", "--name-only", "--no-renames", "--relative", base)
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
