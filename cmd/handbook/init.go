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
	"strconv"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/starter"
)

type initCommand struct{ g *globals }

const initHelp = `Usage: handbook init [--force] [dir]

Starts a handbook in dir (default: the current folder), which is created
if it does not exist.

In an empty folder it writes a working handbook: handbook.yaml with every
key and its default, a home page, one example page of each kind (a
runbook, an ADR, a postmortem, an evaluation, a guide and a post) on a
start-here path, CI jobs for GitHub Actions and GitLab CI, and a
.gitignore.

In a folder that holds Markdown already, it reads the pages as handbook
does, says what it found (ADRs, postmortems, runbooks, evaluations and
the folders they are in) and writes a handbook.yaml whose roots and
kinds map them, and a .gitignore if there is none. No other file is
written or changed.

A folder that is neither empty nor holds Markdown, or that has a
handbook.yaml, is refused. --force writes the example handbook into it
all the same, skipping every file that exists. Every file written, and
every file skipped, is printed.`

func (c *initCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	force := fs.Bool("force", false, "write the example handbook into a folder that is not empty, skipping the files that exist")
	dirs, err := parseInitArgs(fs, c.g, args, initHelp)
	if err != nil {
		return err
	}
	if len(dirs) > 1 {
		return usagef("one folder at most, not %q (see handbook init -h)", dirs)
	}
	if c.g.config != "" {
		return usagef("--config does not apply: init writes handbook.yaml in the folder")
	}
	base, err := siteFolder(c.g.dir)
	if err != nil {
		return err
	}
	arg := "."
	if len(dirs) == 1 {
		arg = dirs[0]
	}
	w := &initWriter{dir: arg, out: c.g.stdout, quiet: c.g.quiet}
	if w.abs = arg; !filepath.IsAbs(arg) {
		w.abs = filepath.Join(base, arg)
	}

	empty, err := initEmpty(w.abs)
	if errors.Is(err, errNotFolder) {
		return fmt.Errorf("%s %w", w.show("."), err)
	} else if err != nil {
		return err
	}
	if empty || *force {
		return w.skeleton(initDate())
	}
	if _, err := os.Lstat(filepath.Join(w.abs, starter.ConfigFile)); err == nil {
		return fmt.Errorf("%s has a handbook.yaml already: run handbook check there, or handbook init --force to add the example pages, keeping every file that exists", w.show("."))
	}
	survey, err := starter.Read(w.abs)
	if err != nil {
		return err
	}
	if survey.Files == 0 {
		return fmt.Errorf("%s is not empty and holds no Markdown besides a README: handbook init --force writes the example handbook into it, keeping every file that exists", w.show("."))
	}
	return w.existing(survey)
}

// parseInitArgs parses a command's flags, which include the global ones, and
// returns the arguments that are not flags, which may come before, among
// or after the flags.
func parseInitArgs(fs *flag.FlagSet, g *globals, args []string, help string) ([]string, error) {
	g.register(fs)
	fs.SetOutput(io.Discard)
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(g.stdout, help)
				fs.SetOutput(g.stdout)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usagef("%v (see handbook %s -h)", err, fs.Name())
		}
		if fs.NArg() == 0 {
			return rest, nil
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
}

var errNotFolder = errors.New("is a file, not a folder")

// initEmpty reports whether dir is missing or empty; a .git folder alone
// (a repository just made with git init) counts as empty.
func initEmpty(dir string) (bool, error) {
	if fi, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return true, nil
	} else if err == nil && !fi.IsDir() {
		return false, errNotFolder
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	for _, e := range entries {
		if e.Name() != ".git" {
			return false, nil
		}
	}
	return true, nil
}

// initDate is now, or the time SOURCE_DATE_EPOCH gives, as for the
// rest of the command: the date of the example pages.
func initDate() time.Time {
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		if n, err := strconv.ParseInt(epoch, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now()
}

// initWriter writes the files of init into a folder, never over a file
// that exists.
type initWriter struct {
	dir   string // the folder as given, for messages
	abs   string
	out   io.Writer
	quiet bool
	wrote int
}

// show is the path of the file rel as the user named the folder.
func (w *initWriter) show(rel string) string {
	return path.Join(filepath.ToSlash(w.dir), rel)
}

func (w *initWriter) printf(format string, args ...any) {
	if !w.quiet {
		fmt.Fprintf(w.out, format, args...)
	}
}

// write writes f unless a file is at its path already, and says which.
func (w *initWriter) write(f starter.File) error {
	name := filepath.Join(w.abs, filepath.FromSlash(f.Path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return fmt.Errorf("write %s: %w", w.show(f.Path), err)
	}
	// O_EXCL: a file that exists, or a link by that name, is never
	// replaced, even one made since the folder was looked at.
	file, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		w.printf("kept  %s (it exists)\n", w.show(f.Path))
		return nil
	}
	if err != nil {
		return err
	}
	_, err = file.Write(f.Data)
	if cerr := file.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", w.show(f.Path), err)
	}
	w.wrote++
	w.printf("wrote %s\n", w.show(f.Path))
	return nil
}

// skeleton writes the example handbook.
func (w *initWriter) skeleton(now time.Time) error {
	files, err := starter.Files(now)
	if err != nil {
		return err
	}
	var errs []error
	for _, f := range files {
		// A file that cannot be written does not keep the others from
		// being written.
		errs = append(errs, w.write(f))
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	cd := ""
	if w.dir != "." {
		cd = "cd " + w.dir + " && "
	}
	w.printf("\nNext: %shandbook serve, and open http://127.0.0.1:1313/.\n", cd)
	w.printf("The pages tagged example show one page of each kind; handbook check --strict is what CI runs.\n")
	return nil
}

// existing writes the handbook.yaml that maps the Markdown of the
// folder, and a .gitignore if there is none.
func (w *initWriter) existing(s *starter.Survey) error {
	for _, f := range s.Found {
		w.printf("found %s\n", f)
	}
	var other []string
	if s.Pages > 0 {
		other = append(other, initCount(s.Pages, "other page"))
	}
	if s.Templates > 0 {
		other = append(other, initCount(s.Templates, "template"))
	}
	if len(other) > 0 {
		w.printf("found %s\n", strings.Join(other, " and "))
	}
	var roots []string
	for _, r := range s.Layout.Roots {
		roots = append(roots, fmt.Sprintf("%s at %s", r.Dir, r.Mount))
	}
	w.printf("roots: %s\n", strings.Join(roots, ", "))
	for _, n := range s.Notes {
		w.printf("note: %s\n", n)
	}
	cfg, err := starter.Config(s.Layout)
	if err != nil {
		return err
	}
	if err := w.write(starter.File{Path: starter.ConfigFile, Data: cfg}); err != nil {
		return err
	}
	files, err := starter.Files(initDate())
	if err != nil {
		return err
	}
	for _, f := range files {
		if f.Path == starter.IgnoreFile {
			if err := w.write(f); err != nil {
				return err
			}
		}
	}
	cd := ""
	if w.dir != "." {
		cd = "-C " + w.dir + " "
	}
	w.printf("\nNext: handbook %scheck. To adopt it with the findings of today, handbook %scheck --baseline write\nrecords them, and check then fails only on new ones.\n", cd, cd)
	return nil
}

// initCount writes "1 template", "3 templates".
func initCount(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
