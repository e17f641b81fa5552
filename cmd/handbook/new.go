package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"

	"github.com/handbook-dev/handbook/internal/newpage"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

type newCommand struct{ g *globals }

const newHelp = `Usage: handbook new <kind> "<title>" [--number N] [--supersedes N] [--owner NAME] [--dir DIR] [--open]

Writes a new page of kind runbook, adr, postmortem, evaluation, post or
page from the kind's template, with today's date (SOURCE_DATE_EPOCH when
set), in the folder where the site keeps that kind, and prints its path.
The file is named from the title: slug.md, YYYY-MM-DD-slug.md for
postmortems and posts, NNNN-slug.md for ADRs, which get the number after
the highest one and are written in the dialect of the ADRs beside them.

The site's own templates/<kind>.md replaces the built-in template (Go
text/template; see "New pages and templates" in the handbook's docs). What is
left to write is marked {like this}: handbook check reports it until it
is filled in. An existing file is never replaced.

Exit code 1 when the file exists or cannot be written, 2 on wrong usage,
an unreadable handbook.yaml or a template that does not work.`

// newFlags are new's flags and arguments, parsed.
type newFlags struct {
	kind       page.Kind
	title      string
	number     int
	supersedes []string
	owner, dir string
	open       bool
}

func (c *newCommand) Run(ctx context.Context, args []string) error {
	f, err := c.parse(args)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	cfg.NoHTML = true
	s, err := site.Load(ctx, cfg)
	if err != nil {
		return err
	}
	np, err := planPage(s, f)
	if err != nil {
		return err
	}
	if err := np.write(); err != nil {
		return err
	}
	fmt.Fprintln(c.g.stdout, np.shown)
	if !c.g.quiet {
		for _, n := range np.notes {
			fmt.Fprintln(c.g.stderr, n)
		}
	}
	if f.open {
		return openEditor(np.file, c.g)
	}
	return nil
}

// newPage is what new writes: the page, and the new versions of the ADRs
// it supersedes.
type newPage struct {
	file, shown string
	text        []byte
	old         []*site.Page
	edits       [][]byte
	notes       []string
}

// planPage works out the page f asks for in the site s, and every change
// to the ADRs it supersedes, without writing anything.
func planPage(s *site.Site, f *newFlags) (*newPage, error) {
	cfg := &s.Config
	dir := f.dir
	switch {
	case dir == "":
		var err error
		if dir, err = newpage.Folder(s, f.kind); err != nil {
			return nil, err
		}
	case !filepath.IsAbs(dir):
		dir = filepath.Join(cfg.Dir, filepath.FromSlash(dir))
	}
	data := newpage.Data{
		Kind:       string(f.kind),
		Title:      f.title,
		Slug:       newpage.Slug(f.title),
		Date:       cfg.Now.Format("2006-01-02"),
		Owner:      cmp.Or(f.owner, gitUserName(cfg.Dir)),
		Severities: cfg.Schema.Severities,
		Rings:      cfg.Schema.Rings,
		Quadrants:  cfg.Schema.Quadrants,
	}
	np := &newPage{}
	var style newpage.ADRStyle
	if f.kind == page.KindADR {
		style = newpage.StyleOf(s, dir)
		data.Number, data.Dialect = newpage.NextNumber(s), style.Dialect
		if f.number >= 0 {
			if taken := newpage.ADRNumbered(s, f.number); len(taken) > 0 {
				return nil, fmt.Errorf("ADR number %d is taken by %s; the next free number is %d", f.number, taken[0].Path, data.Number)
			}
			data.Number = f.number
		}
		data.ID = fmt.Sprintf("ADR-%04d", data.Number)
		var err error
		if np.old, err = supersededADRs(s, f.supersedes); err != nil {
			return nil, err
		}
	}
	np.file = filepath.Join(dir, newpage.FileName(f.kind, data.Slug, cfg.Now, data.Number, style))
	np.shown = shownName(cfg.Dir, np.file)
	if _, err := os.Lstat(np.file); err == nil {
		return nil, fmt.Errorf("%s already exists; give the page another title, or edit that file", np.shown)
	}
	for _, p := range np.old {
		data.Supersedes = append(data.Supersedes, newpage.ADRRef{Number: p.ADR.Number, ID: p.ADRLabel(), Title: p.Title, Link: linkPath(dir, p.Source)})
	}
	name, text, err := newpage.Load(cfg.Dir, f.kind, style.Dialect)
	if err != nil {
		return nil, err
	}
	if np.text, err = newpage.Render(name, text, data); err != nil {
		var te *newpage.TemplateError
		if errors.As(err, &te) {
			return nil, &usageError{fmt.Errorf("%s has 1 error:\n%w", te.File, te)}
		}
		return nil, err
	}
	if newpage.FolderKind(cfg, dir) != f.kind {
		np.text = newpage.AddKind(np.text, f.kind)
	}
	by := newpage.ADRRef{Number: data.Number, ID: data.ID, Title: f.title}
	for _, p := range np.old {
		src, err := os.ReadFile(p.Source)
		if err != nil {
			return nil, err
		}
		by.Link = linkPath(filepath.Dir(p.Source), np.file)
		edit, note, err := newpage.Supersede(p.Path, src, by)
		if err != nil {
			return nil, err
		}
		np.edits = append(np.edits, edit)
		np.notes = append(np.notes, fmt.Sprintf("%s: marked superseded by %s", p.Path, data.ID))
		if note != "" {
			np.notes = append(np.notes, fmt.Sprintf("%s: %s", p.Path, note))
		}
	}
	return np, nil
}

// write creates the page, then rewrites the ADRs it supersedes.
func (np *newPage) write() error {
	if err := newpage.Create(np.file, np.text); err != nil {
		if errors.Is(err, newpage.ErrExists) {
			return fmt.Errorf("%s already exists; give the page another title, or edit that file", np.shown)
		}
		return err
	}
	for i, p := range np.old {
		if err := rewrite(p.Source, np.edits[i]); err != nil {
			return err
		}
	}
	return nil
}

// parse parses new's flags and its two arguments, which flags may follow.
func (c *newCommand) parse(args []string) (*newFlags, error) {
	f := &newFlags{}
	fs := flag.NewFlagSet("new", flag.ContinueOnError)
	f.number = -1
	fs.Func("number", "give a new ADR the number `N` instead of the next one", func(v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not an ADR number", v)
		}
		f.number = n
		return nil
	})
	fs.Func("supersedes", "mark ADR `N` superseded by the new ADR (repeatable)", func(v string) error {
		f.supersedes = append(f.supersedes, v)
		return nil
	})
	fs.StringVar(&f.owner, "owner", "", "the page's owner or author, `NAME` (default: git config user.name)")
	fs.StringVar(&f.dir, "dir", "", "write into folder `DIR` of the site instead of the kind's folder")
	fs.BoolVar(&f.open, "open", false, "open the page in $VISUAL or $EDITOR")
	c.g.register(fs)
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintln(c.g.stdout, newHelp)
				fs.SetOutput(c.g.stdout)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, usagef("%v (see handbook new -h)", err)
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(pos) < 2 {
		return nil, usagef(`give a kind and a title: handbook new adr "Use Kafka for events" (see handbook new -h)`)
	}
	k, ok := page.ParseKind(pos[0])
	if !ok {
		return nil, usagef("unknown kind %q; use one of runbook, adr, postmortem, evaluation, post, page", pos[0])
	}
	f.kind = k
	f.title = strings.TrimSpace(strings.Join(pos[1:], " "))
	switch {
	case strings.ContainsAny(f.title, "\r\n"):
		return nil, usagef("the title is one line")
	case newpage.Slug(f.title) == "":
		return nil, usagef("title %q has no letter or digit to name the file with", f.title)
	case k != page.KindADR && (f.number >= 0 || len(f.supersedes) > 0):
		return nil, usagef("--number and --supersedes are for ADRs, not %ss", k)
	}
	return f, nil
}

// supersededADRs returns the ADRs --supersedes names.
func supersededADRs(s *site.Site, refs []string) ([]*site.Page, error) {
	var out []*site.Page
	for _, r := range refs {
		n, ok := newpage.ParseADRNumber(r)
		if !ok {
			return nil, usagef("--supersedes %q: give an ADR number, such as 7 or ADR-0007", r)
		}
		ps := newpage.ADRNumbered(s, n)
		switch len(ps) {
		case 0:
			return nil, usagef("--supersedes %s: no ADR is numbered %d", r, n)
		case 1:
			if !slices.Contains(out, ps[0]) {
				out = append(out, ps[0])
			}
		default:
			return nil, fmt.Errorf("--supersedes %s: ADR number %d is used by %s and %s; renumber one first", r, n, ps[0].Path, ps[1].Path)
		}
	}
	return out, nil
}

// linkPath is the path of file relative to folder dir, slash-separated,
// for a Markdown link.
func linkPath(dir, file string) string {
	r, err := filepath.Rel(dir, file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	return filepath.ToSlash(r)
}

// rewrite replaces the contents of an existing file, keeping its mode:
// written beside it and renamed into place.
func rewrite(name string, data []byte) error {
	fi, err := os.Stat(name)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), ".handbook-new-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), fi.Mode().Perm())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

// gitUserName is git's user.name for the repository holding dir, or "".
func gitUserName(dir string) string {
	out, err := exec.Command("git", "-C", dir, "config", "user.name").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// openEditor opens file in $VISUAL, else $EDITOR, and waits for it to
// close. Without either it only says how to set one.
func openEditor(file string, g *globals) error {
	ed := cmp.Or(os.Getenv("VISUAL"), os.Getenv("EDITOR"))
	if strings.TrimSpace(ed) == "" {
		fmt.Fprintln(g.stderr, "handbook new: --open: set $VISUAL or $EDITOR to the editor to open pages in")
		return nil
	}
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		f := strings.Fields(ed)
		cmd = exec.Command(f[0], append(f[1:], file)...)
	} else {
		// Through the shell, as git runs it: EDITOR="code --wait" works.
		cmd = exec.Command("sh", "-c", ed+` "$@"`, ed, file)
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, g.stdout, g.stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("open %s in %s: %w", filepath.Base(file), strconv.Quote(ed), err)
	}
	return nil
}
