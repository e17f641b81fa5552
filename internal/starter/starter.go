// Package starter holds what handbook init writes: the files of a new
// handbook, and the handbook.yaml of a folder of Markdown that exists
// already.
//
// A new handbook (Files) is a handbook.yaml that lists every key with its
// default, a home page, one example page of each kind (a runbook, an ADR
// in the MADR layout, a postmortem, an evaluation, a guide and a post)
// that passes handbook check --strict, a start-here path through them, CI
// jobs for GitHub Actions and GitLab CI that run the commands of the CI
// documentation, and a .gitignore. The files are embedded under skeleton/
// as text/template files with [% %] delimiters; their dates are counted
// from the time given, so that the example runbook is freshly reviewed.
//
// A folder with Markdown in it already is surveyed instead (Survey): each
// file is read by package page, as the site would read it, to find the
// ADRs, postmortems, runbooks and evaluations there and the folders that
// hold them, and Config writes the roots and kinds that map them.
package starter

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
)

//go:embed all:skeleton
var skeleton embed.FS

// File is a file to write: its path, slash-separated and relative to the
// handbook's folder, and its contents.
type File struct {
	Path string
	Data []byte
}

// ConfigFile and IgnoreFile are the paths of handbook.yaml and .gitignore.
const (
	ConfigFile = "handbook.yaml"
	IgnoreFile = ".gitignore"
)

// dates are the dates the example pages carry.
type dates struct {
	// Today is the day of the ADR, the evaluation, the post and the
	// runbook's review; Incident the day of the postmortem, two weeks
	// earlier; Trial the day the evaluation's trial began.
	Today, Incident, Trial string
}

// Files returns the files of a new handbook, in the order init lists
// them, dated from now in its time zone.
func Files(now time.Time) ([]File, error) {
	day := now
	d := dates{
		Today:    day.Format(time.DateOnly),
		Incident: day.AddDate(0, 0, -14).Format(time.DateOnly),
		Trial:    day.AddDate(0, -3, 0).Format(time.DateOnly),
	}
	// File names carry the dates of posts and postmortems.
	names := strings.NewReplacer("TODAY", d.Today, "INCIDENT", d.Incident)
	var out []File
	err := fs.WalkDir(skeleton, "skeleton", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel := strings.TrimPrefix(p, "skeleton/")
		var data []byte
		if rel == ConfigFile {
			data, err = Config(DefaultLayout())
		} else {
			data, err = execute(p, d)
		}
		if err != nil {
			return err
		}
		out = append(out, File{Path: names.Replace(rel), Data: data})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return sortFiles(out), nil
}

// sortFiles puts handbook.yaml first and the pages before the rest, each
// group by path: the order init prints them in.
func sortFiles(files []File) []File {
	rank := func(p string) int {
		switch {
		case p == ConfigFile:
			return 0
		case strings.HasSuffix(p, ".md"):
			return 1
		}
		return 2
	}
	slices.SortFunc(files, func(a, b File) int {
		return cmp.Or(cmp.Compare(rank(a.Path), rank(b.Path)), strings.Compare(a.Path, b.Path))
	})
	return files
}

// execute runs the embedded template at p with data.
func execute(p string, data any) ([]byte, error) {
	src, err := skeleton.ReadFile(p)
	if err != nil {
		return nil, err
	}
	t, err := template.New(p).Delims("[%", "%]").Option("missingkey=error").Parse(string(src))
	if err != nil {
		return nil, fmt.Errorf("starter: %w", err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, data); err != nil {
		return nil, fmt.Errorf("starter: %w", err)
	}
	return b.Bytes(), nil
}

// Layout is what handbook.yaml says of where pages are: the content roots
// and the folder names that give pages a kind.
type Layout struct {
	// Title is the site's title.
	Title string
	// Roots are the content roots; OtherRoots folders of Markdown that are
	// left out, written as comments for the reader to take in.
	Roots      []Root
	OtherRoots []Root
	// Kinds are folder names mapped to a kind.
	Kinds []KindDir
	// Imported are globs offered, commented out, for imported:.
	Imported []string
}

// Root is a content root of handbook.yaml. Note, when set, is written as
// a comment beside it.
type Root struct {
	Dir, Mount string
	Kind       page.Kind
	Note       string
}

// KindDir is an entry of kinds: a folder name and the kind it gives.
type KindDir struct {
	Folder string
	Kind   page.Kind
	Note   string
}

// DefaultLayout is the layout of a new handbook: content/ at the root of
// the site and runbooks/ at /runbooks/.
func DefaultLayout() Layout {
	return Layout{
		Title: "Handbook",
		Roots: []Root{{Dir: "content", Mount: "/"}, {Dir: "runbooks", Mount: "/runbooks/"}},
	}
}

// Config returns handbook.yaml for the layout l: every key of the file,
// with l's title, roots, kinds and imported globs and every other key at
// its default.
func Config(l Layout) ([]byte, error) {
	q := func(s string) string { return yamlScalar(s) }
	ql := Layout{Title: q(l.Title)}
	for _, rs := range []struct {
		in  []Root
		out *[]Root
	}{{l.Roots, &ql.Roots}, {l.OtherRoots, &ql.OtherRoots}} {
		for _, r := range rs.in {
			*rs.out = append(*rs.out, Root{Dir: q(r.Dir), Mount: q(r.Mount), Kind: r.Kind, Note: oneLine(r.Note)})
		}
	}
	for _, k := range l.Kinds {
		ql.Kinds = append(ql.Kinds, KindDir{Folder: q(k.Folder), Kind: k.Kind, Note: oneLine(k.Note)})
	}
	for _, g := range l.Imported {
		ql.Imported = append(ql.Imported, q(g))
	}
	return execute("skeleton/"+ConfigFile, ql)
}

// yamlScalar writes s as a YAML scalar in flow context: as it is when
// that reads back as the same string, else double-quoted.
func yamlScalar(s string) string {
	plain := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("._/-", r)) {
			plain = false
			break
		}
	}
	switch strings.ToLower(s) {
	case "true", "false", "yes", "no", "on", "off", "null", "y", "n", "~":
		plain = false
	}
	if plain && (s[0] == '-' || s[0] == '.' && strings.Trim(s, ".") == "" && s != ".") {
		plain = false
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		plain = false
	}
	if plain {
		return s
	}
	return strconv.Quote(s)
}

// oneLine keeps a comment on its line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
