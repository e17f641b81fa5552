package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/importer"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

type importCommand struct{ g *globals }

func importHelp() string {
	var b strings.Builder
	b.WriteString(`Usage: handbook import <source> <input>... [--out folder] [--date YYYY-MM-DD] [--renumber] [--dry-run]

Writes handbook pages made from content kept for another tool. Sources:

`)
	for _, s := range importer.Sources {
		fmt.Fprintf(&b, "  %-11s %s\n", s.Name, s.About)
	}
	b.WriteString(`
radar-csv and radar-json take one or more files: a blip found in several
becomes one evaluation with a history. Each file is dated by the --date
written before it, else by a date in its name (radar-2024-06-01.csv), else
by a --date written after it, else today. The other sources take one
folder: the tool's own folder or the repository holding it.

--out is where the pages go, relative to the site folder; by default the
content root's folder for the kind (evaluations/ or the site's radar/,
adr/ or the site's decision folder, docs/ for Docusaurus, the content root
itself for MkDocs). An existing file is never replaced: it is skipped and
reported. Every file written is printed, and everything that could not be
carried over as it was is reported as path:line:col: warning import: ….

Exit code 1 when an input could not be read, 2 on wrong usage.`)
	return b.String()
}

// dateFlag is --date, which may be given several times: each applies to
// the inputs after it.
type dateFlag struct {
	dates []datedAt
	args  *[]string
}

type datedAt struct {
	date time.Time
	at   int // how many arguments came before it
}

func (d *dateFlag) String() string { return "" }
func (d *dateFlag) Set(v string) error {
	t, ok := page.ParseDate(v)
	if !ok {
		return fmt.Errorf("%q is not a date; write YYYY-MM-DD", v)
	}
	d.dates = append(d.dates, datedAt{t.UTC(), len(*d.args)})
	return nil
}

func (c *importCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	out := fs.String("out", "", "write the pages to `folder` (relative to the site folder; default: the site's folder for their kind)")
	renumber := fs.Bool("renumber", false, "adr-tools, log4brains: rename the ADRs NNNN-slug.md, numbered in date order, and rewrite the links between them")
	dryRun := fs.Bool("dry-run", false, "print what would be written, and write nothing")
	var pos []string
	dates := &dateFlag{args: &pos}
	fs.Var(dates, "date", "date the inputs after it (`YYYY-MM-DD`; default: the date in the file name, else today)")
	c.g.register(fs)
	fs.SetOutput(io.Discard)
	// Flags may come between the inputs: --date applies to those after it.
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(c.g.stdout, importHelp())
				fs.SetOutput(c.g.stdout)
				fs.PrintDefaults()
				return err
			}
			return usagef("%v (see handbook import -h)", err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) == 0 {
		return usagef("name a source: %s (see handbook import -h)", sourceNames())
	}
	src, ok := importer.SourceNamed(pos[0])
	if !ok {
		return usagef("unknown source %q; the sources are %s", pos[0], sourceNames())
	}
	inputs := pos[1:]
	switch {
	case len(inputs) == 0 && src.Files:
		return usagef("%s: name the files to import", src.Name)
	case len(inputs) == 0:
		return usagef("%s: name the folder to import", src.Name)
	case len(inputs) > 1 && !src.Files:
		return usagef("%s imports one folder, not %d", src.Name, len(inputs))
	}
	cfg, err := loadConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	today := time.Date(cfg.Now.Year(), cfg.Now.Month(), cfg.Now.Day(), 0, 0, 0, 0, time.UTC)
	var in []importer.Input
	for i, name := range inputs {
		input, err := readInput(cfg.Dir, name, src)
		if err != nil {
			return err
		}
		input.Date = inputDate(dates.dates, i+1, name)
		in = append(in, input)
	}
	dest := *out
	if dest == "" {
		dest = defaultDest(cfg, src)
	}
	if !filepath.IsAbs(dest) {
		dest = filepath.Join(cfg.Dir, dest)
	}
	opts := importer.Options{Today: today, Schema: cfg.Schema, Renumber: *renumber}
	opts.SetKind = src.Kind != page.KindPage && folderKind(cfg, dest) != src.Kind
	plan := src.Convert(in, opts)
	printFindings(c.g.stderr, plan.Diags)
	shownDest := shownName(cfg.Dir, dest)
	if len(plan.Files) == 0 {
		fmt.Fprintf(c.g.stderr, "handbook import: found nothing to import in %s\n", strings.Join(inputs, ", "))
		return errProblems
	}
	var w importer.Written
	if *dryRun {
		for _, f := range plan.Files {
			if _, err := os.Lstat(filepath.Join(dest, filepath.FromSlash(f.Path))); err == nil {
				w.Skipped = append(w.Skipped, f.Path)
			} else {
				w.Wrote = append(w.Wrote, f.Path)
			}
		}
	} else if w, err = plan.Write(dest); err != nil {
		c.report(w, plan, shownDest, false)
		return err
	}
	c.report(w, plan, shownDest, *dryRun)
	if plan.Diags.HasErrors() {
		return errProblems
	}
	return nil
}

// report prints the files written and skipped, and the count line.
func (c *importCommand) report(w importer.Written, plan *importer.Plan, dest string, dry bool) {
	from := map[string]string{}
	for _, f := range plan.Files {
		from[f.Path] = f.From
	}
	verb := "wrote"
	if dry {
		verb = "would write"
	}
	if !c.g.quiet {
		for _, f := range w.Wrote {
			fmt.Fprintf(c.g.stdout, "%s %s\n", verb, path.Join(dest, f))
		}
	}
	skipped := importer.SkippedFindings(dest, w.Skipped, from)
	printFindings(c.g.stderr, skipped)
	if c.g.quiet {
		return
	}
	line := fmt.Sprintf("imported %s into %s", plural(len(w.Wrote), "file"), dest)
	if dry {
		line = "would have " + line
	}
	if k := len(w.Skipped); k > 0 {
		line += fmt.Sprintf(", skipped %d already there", k)
	}
	line += fmt.Sprintf(": %s, %s", plural(plan.Diags.Count(diag.Error), "error"), plural(plan.Diags.Count(diag.Warning), "warning"))
	fmt.Fprintln(c.g.stderr, line)
}

func sourceNames() string {
	var names []string
	for _, s := range importer.Sources {
		names = append(names, s.Name)
	}
	return strings.Join(names, ", ")
}

// readInput opens an input named on the command line, relative to the
// site folder: a file's contents, or a folder (the one the source locates
// inside it).
func readInput(dir, name string, src importer.Source) (importer.Input, error) {
	abs := name
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(dir, name)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return importer.Input{}, fmt.Errorf("%s: %w", name, unwrapPathError(err))
	}
	shown := filepath.ToSlash(name)
	if src.Files {
		if fi.IsDir() {
			return importer.Input{}, usagef("%s: %s is a folder; name the files to import", src.Name, name)
		}
		data, err := os.ReadFile(abs)
		if err != nil {
			return importer.Input{}, fmt.Errorf("%s: %w", name, unwrapPathError(err))
		}
		return importer.Input{Name: shown, Data: data}, nil
	}
	if !fi.IsDir() {
		if src.Name == "mkdocs" && (strings.HasSuffix(abs, ".yml") || strings.HasSuffix(abs, ".yaml")) {
			// mkdocs.yml itself: its folder.
			return importer.Input{Name: path.Dir(shown), FS: os.DirFS(filepath.Dir(abs))}, nil
		}
		return importer.Input{}, usagef("%s: %s is not a folder", src.Name, name)
	}
	fsys := os.DirFS(abs)
	if src.Locate != nil {
		sub, err := src.Locate(fsys)
		if err != nil {
			return importer.Input{}, fmt.Errorf("%s: %w", name, err)
		}
		if sub != "." {
			if fsys, err = fs.Sub(fsys, sub); err != nil {
				return importer.Input{}, fmt.Errorf("%s: %w", name, err)
			}
			shown = path.Join(shown, sub)
		}
	}
	return importer.Input{Name: shown, FS: fsys}, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

var nameDate = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d\d)-?([01]\d)-?([0-3]\d)(?:[^0-9]|$)`)

// inputDate is the date of the input at argument index at: the last
// --date before it, else the date in its file name, else the first
// --date after it; zero for none.
func inputDate(dates []datedAt, at int, name string) time.Time {
	var before, after time.Time
	for _, d := range dates {
		if d.at <= at {
			before = d.date
		} else if after.IsZero() {
			after = d.date
		}
	}
	if !before.IsZero() {
		return before
	}
	if m := nameDate.FindStringSubmatch(filepath.Base(name)); m != nil {
		if t, ok := page.ParseDate(m[1] + "-" + m[2] + "-" + m[3]); ok {
			return t.UTC()
		}
	}
	return after
}

// defaultDest is the folder a source's pages go to when --out is not
// given: the content root's folder for their kind — one the site has
// already (radar/, decisions/), else the source's — or the root itself.
func defaultDest(cfg site.Config, src importer.Source) string {
	root := cfg.Roots[0]
	for _, r := range cfg.Roots {
		if r.Kind == "" {
			root = r
			break
		}
	}
	if src.Dir == "" {
		return root.Dir
	}
	rootAbs := root.Dir
	if !filepath.IsAbs(rootAbs) {
		rootAbs = filepath.Join(cfg.Dir, rootAbs)
	}
	if src.Kind != page.KindPage {
		var names []string
		for name, k := range cfg.KindDirs {
			if k == src.Kind {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		// The source's own folder name first.
		slices.SortStableFunc(names, func(a, b string) int {
			switch {
			case a == src.Dir:
				return -1
			case b == src.Dir:
				return 1
			}
			return 0
		})
		entries, _ := os.ReadDir(rootAbs)
		for _, n := range names {
			for _, e := range entries {
				if e.IsDir() && strings.EqualFold(e.Name(), n) {
					return filepath.Join(root.Dir, e.Name())
				}
			}
		}
	}
	return filepath.Join(root.Dir, src.Dir)
}

// folderKind is the kind a folder gives the pages in it: that of the
// nearest folder of a content root whose name implies one, else the
// root's own; "" outside every root.
func folderKind(cfg site.Config, dir string) page.Kind {
	for _, r := range cfg.Roots {
		root := r.Dir
		if !filepath.IsAbs(root) {
			root = filepath.Join(cfg.Dir, root)
		}
		rel, err := filepath.Rel(root, dir)
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			continue
		}
		segs := strings.Split(filepath.ToSlash(rel), "/")
		for i := len(segs) - 1; i >= 0; i-- {
			if k, ok := cfg.KindDirs[strings.ToLower(segs[i])]; ok {
				return k
			}
		}
		return r.Kind
	}
	return ""
}
