package starter

import (
	"cmp"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// Survey is what a folder of Markdown holds, read as handbook reads it.
type Survey struct {
	// Layout is what handbook.yaml should say for the folder (Config).
	Layout Layout
	// Found lists the pages of each kind but plain pages, by the folder
	// that gives them their kind, in the order of the folders' paths.
	Found []Found
	// Files counts the Markdown files read, Templates the templates among
	// them and Pages the plain pages. The top folder's README, CHANGELOG,
	// LICENSE and the like are not counted: every repository has them.
	Files, Templates, Pages int
	// Notes are what the survey found but could not map, for the reader.
	Notes []string
}

// Found is a group of pages of one kind in one folder.
type Found struct {
	// Dir is the folder, slash-separated, relative to the folder
	// surveyed; "." is that folder itself.
	Dir   string
	Kind  page.Kind
	Count int
	// By says how handbook knows their kind: ByFolder (a built-in folder
	// name), ByKinds (an entry of kinds: in Layout), ByContent (their own
	// fields and sections) or ByFrontMatter (a kind: field).
	By string
	// Dialects counts ADRs by the template they follow (page.DialectMADR,
	// …, "" for handbook's own).
	Dialects map[string]int
}

// How a group's kind is known (Found.By).
const (
	ByFolder      = "folder"
	ByKinds       = "kinds"
	ByContent     = "content"
	ByFrontMatter = "front matter"
)

// String describes the group: "12 ADRs in docs/adr (MADR)".
func (f Found) String() string {
	name := string(f.Kind)
	if f.Kind == page.KindADR {
		name = "ADR"
	}
	if f.Count != 1 {
		name += "s"
	}
	where := f.Dir
	if where == "." {
		where = "the top folder"
	}
	s := fmt.Sprintf("%d %s in %s", f.Count, name, where)
	var notes []string
	if d := dialects(f.Dialects); d != "" {
		notes = append(notes, d)
	}
	switch f.By {
	case ByKinds:
		notes = append(notes, fmt.Sprintf("mapped with kinds: %s: %s", strings.ToLower(path.Base(f.Dir)), f.Kind))
	case ByContent:
		notes = append(notes, "by their fields and sections")
	case ByFrontMatter:
		notes = append(notes, "by their kind: field")
	}
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, "; ") + ")"
	}
	return s
}

// dialectNames are the names of the ADR templates, in the order listed.
var dialectNames = []struct{ key, name string }{
	{page.DialectMADR, "MADR"},
	{page.DialectNygard, "Nygard"},
	{page.DialectYStatement, "Y-statements"},
	{"", "handbook's template"},
}

// dialects writes "MADR", or "8 MADR, 4 Nygard" for a mix.
func dialects(counts map[string]int) string {
	var parts []string
	for _, d := range dialectNames {
		if n := counts[d.key]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, d.name))
		}
	}
	if len(parts) == 1 {
		for _, d := range dialectNames {
			if counts[d.key] > 0 {
				return d.name
			}
		}
	}
	return strings.Join(parts, ", ")
}

// mdFile is a Markdown file of the folder surveyed.
type mdFile struct {
	rel, dir string // slash-separated, relative to the folder surveyed
	src      []byte
	index    bool // README.md, index.md or _index.md
}

// Read reads every Markdown file under root, as handbook would, and
// works out the layout that maps them: the ADR, postmortem, runbook and
// evaluation folders the built-in folder names do not cover get an entry
// of kinds:, and the top-level folders that hold pages become roots.
func Read(root string) (*Survey, error) {
	files, err := collect(root)
	if err != nil {
		return nil, err
	}
	s := &Survey{Layout: Layout{Title: "Handbook"}}
	byDir := map[string][]*mdFile{}
	var dirs []string
	for _, f := range files {
		if byDir[f.dir] == nil {
			dirs = append(dirs, f.dir)
		}
		byDir[f.dir] = append(byDir[f.dir], f)
	}
	slices.SortFunc(dirs, func(a, b string) int {
		return cmp.Or(cmp.Compare(strings.Count(a, "/"), strings.Count(b, "/")), strings.Compare(a, b))
	})
	kinds := site.DefaultKindDirs()
	s.mapFolders(dirs, byDir, kinds)
	s.count(files, kinds)
	s.roots(root, files, kinds)
	return s, nil
}

// collect lists the Markdown files under root, leaving out the folders
// handbook never reads (dot folders, node_modules, _site, a build's
// output) and those of code (vendor, testdata), and the top folder's
// README, LICENSE and the like.
func collect(root string) ([]*mdFile, error) {
	var files []*mdFile
	err := filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // an unreadable folder is the site's to report
		}
		name := e.Name()
		if e.IsDir() {
			if p == root {
				return nil
			}
			if strings.HasPrefix(name, ".") || name == "node_modules" || name == "_site" || name == "vendor" || name == "testdata" {
				return filepath.SkipDir
			}
			if _, err := os.Lstat(filepath.Join(p, site.OutputMarker)); err == nil {
				return filepath.SkipDir
			}
			return nil
		}
		if !e.Type().IsRegular() || !strings.EqualFold(filepath.Ext(name), ".md") || strings.HasPrefix(name, ".") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if !strings.Contains(rel, "/") && boilerplate(name) {
			return nil
		}
		fi, err := e.Info()
		if err != nil || fi.Size() > page.MaxSize {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		stem := strings.ToLower(strings.TrimSuffix(name, filepath.Ext(name)))
		files = append(files, &mdFile{rel: rel, dir: path.Dir(rel), src: src, index: stem == "readme" || stem == "index" || stem == "_index"})
		return nil
	})
	return files, err
}

// boilerplate reports the files every repository has at its top, which are
// no reason to call it a handbook.
func boilerplate(name string) bool {
	stem := strings.ToUpper(strings.TrimSuffix(name, filepath.Ext(name)))
	switch stem {
	case "README", "CHANGELOG", "CHANGES", "HISTORY", "LICENSE", "LICENCE", "COPYING", "NOTICE", "AUTHORS",
		"CONTRIBUTING", "CONTRIBUTORS", "CODE_OF_CONDUCT", "SECURITY", "SUPPORT", "GOVERNANCE", "MAINTAINERS", "CODEOWNERS":
		return true
	}
	return false
}

// folderKind is the kind the folders of a file's path give it: the
// deepest folder named in kinds, else page.
func folderKind(dir string, kinds map[string]page.Kind) page.Kind {
	k := page.KindPage
	if dir == "." {
		return k
	}
	for _, name := range strings.Split(dir, "/") {
		if dk, ok := kinds[strings.ToLower(name)]; ok {
			k = dk
		}
	}
	return k
}

// parse reads f as it would be read in a folder of kind folder.
func parse(f *mdFile, folder page.Kind) *page.Page {
	p, _ := page.Parse(f.rel, f.src, folder, page.DefaultSchema())
	return p
}

// candidate is the kind the files of one folder have when read in a folder
// of that kind, if most of them do: ADRs and postmortems when at least one
// is one by its own fields and sections wherever it is, runbooks by their
// service, review date or alerts, evaluations by their ring and quadrant.
func candidate(files []*mdFile) page.Kind {
	n := 0
	for _, f := range files {
		if !f.index {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	schema := page.DefaultSchema()
	for _, k := range []page.Kind{page.KindADR, page.KindPostmortem, page.KindRunbook, page.KindEvaluation} {
		looks, sure := 0, 0
		for _, f := range files {
			if f.index {
				continue
			}
			p := parse(f, k)
			if p.Template || p.Kind != k {
				continue
			}
			switch k {
			case page.KindADR, page.KindPostmortem:
				looks++
				if q := parse(f, page.KindPage); q.Kind == k {
					sure++
				}
			case page.KindRunbook:
				if rb := p.Runbook; rb != nil && (rb.Service != "" || !rb.LastReviewed.IsZero() || len(rb.Alerts) > 0) {
					looks++
					sure++
				}
			case page.KindEvaluation:
				if ev := p.Evaluation; ev != nil && ev.Quadrant != "" {
					if _, ok := schema.Ring(ev.Ring); ok {
						looks++
						sure++
					}
				}
			}
		}
		if sure > 0 && 2*looks > n {
			return k
		}
	}
	return ""
}

// mapFolders adds to kinds, and to the layout, the names of the folders
// whose files are of a kind their name does not give. dirs are in order of
// depth, so that a folder's mapping covers its sub-folders. A name is
// mapped only when every folder of that name is of the kind, since kinds:
// maps names wherever they are.
func (s *Survey) mapFolders(dirs []string, byDir map[string][]*mdFile, kinds map[string]page.Kind) {
	cand := map[string]page.Kind{}
	for _, d := range dirs {
		if d != "." && folderKind(d, kinds) == page.KindPage {
			cand[d] = candidate(byDir[d])
		}
	}
	decided := map[string]bool{}
	for _, d := range dirs {
		k := cand[d]
		if k == "" || folderKind(d, kinds) == k {
			continue
		}
		name := strings.ToLower(path.Base(d))
		if decided[name] {
			continue
		}
		decided[name] = true
		var others []string
		for _, o := range dirs {
			if o != d && o != "." && strings.ToLower(path.Base(o)) == name && cand[o] != k && folderKind(o, kinds) != k {
				others = append(others, o)
			}
		}
		if len(others) > 0 {
			s.Notes = append(s.Notes, fmt.Sprintf("%s holds %s pages but is left unmapped: kinds: {%s: %s} would apply to %s too; give its pages kind: %s",
				d, k, name, k, strings.Join(others, ", "), k))
			continue
		}
		kinds[name] = k
		s.Layout.Kinds = append(s.Layout.Kinds, KindDir{Folder: name, Kind: k, Note: "pages in " + d})
	}
	slices.SortFunc(s.Layout.Kinds, func(a, b KindDir) int { return strings.Compare(a.Folder, b.Folder) })
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// count reads every file with kinds as the site will and groups what is
// found by the folder that gives the kind.
func (s *Survey) count(files []*mdFile, kinds map[string]page.Kind) {
	defaults := site.DefaultKindDirs()
	groups := map[[2]string]*Found{}
	for _, f := range files {
		s.Files++
		fk := folderKind(f.dir, kinds)
		p := parse(f, fk)
		switch {
		case p.Template:
			s.Templates++
			continue
		case p.Kind == page.KindPage:
			s.Pages++
			continue
		}
		dir, by := f.dir, ByContent
		switch p.KindFrom {
		case "folder":
			dir = kindFolder(f.dir, p.Kind, kinds)
			by = ByFolder
			if _, ok := defaults[strings.ToLower(path.Base(dir))]; !ok {
				by = ByKinds
			}
		case "front matter":
			by = ByFrontMatter
		}
		key := [2]string{dir, string(p.Kind)}
		g := groups[key]
		if g == nil {
			g = &Found{Dir: dir, Kind: p.Kind, By: by}
			groups[key] = g
		}
		g.Count++
		if p.ADR != nil {
			if g.Dialects == nil {
				g.Dialects = map[string]int{}
			}
			g.Dialects[p.ADR.Dialect]++
		}
	}
	for _, g := range groups {
		s.Found = append(s.Found, *g)
	}
	slices.SortFunc(s.Found, func(a, b Found) int {
		return cmp.Or(strings.Compare(a.Dir, b.Dir), strings.Compare(string(a.Kind), string(b.Kind)))
	})
}

// kindFolder is the deepest folder of dir whose name gives kind k: the
// folder that makes its pages of that kind.
func kindFolder(dir string, k page.Kind, kinds map[string]page.Kind) string {
	parts := strings.Split(dir, "/")
	for i := len(parts); i > 0; i-- {
		if kinds[strings.ToLower(parts[i-1])] == k {
			return strings.Join(parts[:i], "/")
		}
	}
	return dir
}

// docsFolders are names of top-level folders that hold documentation, in
// the order of preference for the root of the site.
var docsFolders = []string{"content", "docs", "doc", "documentation", "handbook", "wiki", "guides", "runbooks"}

// roots works out the content roots: the folder itself when it has pages
// at its top; else its top-level folders that hold pages of a kind, or
// are named for documentation (all that hold Markdown when none is). The
// first documentation folder, or the only root, is mounted at /, the rest
// at their names. Other folders of Markdown are offered in comments.
func (s *Survey) roots(root string, files []*mdFile, kinds map[string]page.Kind) {
	counts := map[string]int{} // Markdown files per top-level folder
	kinded := map[string]bool{}
	var tops []string
	topFiles := 0
	for _, f := range files {
		top, _, nested := strings.Cut(f.rel, "/")
		if !nested {
			topFiles++
			continue
		}
		if counts[top] == 0 {
			tops = append(tops, top)
		}
		counts[top]++
	}
	for _, g := range s.Found {
		top, _, _ := strings.Cut(g.Dir, "/")
		kinded[top] = true
	}
	slices.Sort(tops)
	if topFiles > 0 || len(tops) == 0 {
		s.Layout.Roots = []Root{{Dir: ".", Mount: "/", Note: "the whole folder: it has pages at its top"}}
		for _, t := range tops {
			s.Layout.Imported = append(s.Layout.Imported, t+"/**")
		}
		return
	}
	var chosen, left []string
	for _, t := range tops {
		if kinded[t] || slices.Contains(docsFolders, strings.ToLower(t)) {
			chosen = append(chosen, t)
		} else {
			left = append(left, t)
		}
	}
	if len(chosen) == 0 {
		chosen, left = left, nil
	}
	home := ""
	if len(chosen) == 1 {
		home = chosen[0]
	}
	for _, name := range docsFolders {
		if home != "" {
			break
		}
		for _, t := range chosen {
			if strings.EqualFold(t, name) {
				home = t
				break
			}
		}
	}
	// A folder at / must not hold a folder another root is mounted as.
	if home != "" {
		for _, t := range chosen {
			if fi, err := os.Stat(filepath.Join(root, home, t)); t != home && err == nil && fi.IsDir() {
				home = ""
				break
			}
		}
	}
	for _, t := range chosen {
		r := Root{Dir: t, Mount: "/" + t + "/"}
		if t == home {
			r.Mount = "/"
		}
		r.Note = fmt.Sprintf("%d Markdown %s", counts[t], plural(counts[t], "file", "files"))
		s.Layout.Roots = append(s.Layout.Roots, r)
		s.Layout.Imported = append(s.Layout.Imported, t+"/**")
	}
	for _, t := range left {
		s.Layout.OtherRoots = append(s.Layout.OtherRoots, Root{Dir: t, Mount: "/" + t + "/",
			Note: fmt.Sprintf("%d Markdown %s", counts[t], plural(counts[t], "file", "files"))})
	}
}
