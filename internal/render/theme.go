package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
)

// Layouts are the layouts a theme must provide. base holds the page
// skeleton; each other layout defines the "main" block it fills.
var Layouts = []string{"page", "runbook", "adr", "postmortem", "evaluation", "post", "list", "home", "404"}

// Theme is a parsed set of layouts and the static files that go with them.
type Theme struct {
	layouts map[string]*template.Template
	// sources are the layout files: where each came from ("layouts/x.html"
	// for the site's, "theme layouts/x.html" for the theme's) and its text.
	sources [][2]string
	// Static lists the theme's static files and the site's, by the path
	// they are served under /assets/ (theme) or / (site static/).
	Static []StaticFile
	// nameSet holds every field and method name the layouts write
	// (names); byLayout those each layout's execution reaches
	// (layoutNames).
	namesOnce sync.Once
	nameSet   map[string]bool
	byLayout  map[string]map[string]bool
	// othersByLayout holds, by layout, the names it reads of pages other
	// than its file's own (othersNames); nil for a layout where that is
	// not known.
	othersByLayout map[string]map[string]bool
	// plainNav says, by layout, whether every template its execution
	// reaches writes .NavHTML only as it is (plainUse); plainContent the
	// same of .Content.
	plainNav, plainContent map[string]bool
}

// StaticFile is a file copied into the site as is.
type StaticFile struct {
	// URL is the site path.
	URL string
	// Read returns the content.
	Read func() ([]byte, error)
}

// TemplateError is a layout that cannot be parsed.
type TemplateError struct {
	Name string
	Err  error
}

func (e *TemplateError) Error() string { return fmt.Sprintf("layout %s: %v", e.Name, e.Err) }
func (e *TemplateError) Unwrap() error { return e.Err }

// LoadTheme parses the layouts of theme, replacing any by a file of the same
// name in overrideDir/layouts (the site's own), and adding the site's other
// layout files as partials. Site files under overrideDir/static are served
// from the site root.
func LoadTheme(theme fs.FS, siteDir string, funcs template.FuncMap) (*Theme, error) {
	ls := layoutSources{files: map[string]string{}, origin: map[string]string{}}
	if err := ls.readTheme(theme); err != nil {
		return nil, err
	}
	if siteDir != "" {
		if err := ls.readSite(siteDir); err != nil {
			return nil, err
		}
	}
	th, err := ls.parse(funcs)
	if err != nil {
		return nil, err
	}
	// The names the layouts read are taken from their parse trees now,
	// before any of them runs: html/template rewrites a tree the first
	// time it executes, and fingerprints may be taken beside the first
	// renderings (a reload's layout check).
	th.names()
	if err := th.addThemeStatic(theme); err != nil {
		return nil, err
	}
	if siteDir != "" {
		if err := th.addSiteStatic(siteDir); err != nil {
			return nil, err
		}
	}
	return th, nil
}

// layoutSources are the layout files a theme is parsed from, the site's
// replacing the theme's of the same name.
type layoutSources struct {
	files  map[string]string // name without .html → source text
	origin map[string]string // name → where it came from, as messages name it
}

// readTheme adds the .html files of the theme's layouts folder.
func (ls *layoutSources) readTheme(theme fs.FS) error {
	entries, err := fs.ReadDir(theme, "layouts")
	if err != nil {
		return fmt.Errorf("read theme layouts: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		b, err := fs.ReadFile(theme, "layouts/"+e.Name())
		if err != nil {
			return fmt.Errorf("read theme layout: %w", err)
		}
		name := strings.TrimSuffix(e.Name(), ".html")
		ls.files[name], ls.origin[name] = string(b), "theme layouts/"+e.Name()
	}
	return nil
}

// readSite adds the .html files of siteDir/layouts, if any, over the
// theme's.
func (ls *layoutSources) readSite(siteDir string) error {
	dir := filepath.Join(siteDir, "layouts")
	ents, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read site layouts: %w", err)
	}
	for _, e := range ents {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".html") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return fmt.Errorf("read site layout: %w", err)
		}
		name := strings.TrimSuffix(e.Name(), ".html")
		ls.files[name], ls.origin[name] = string(b), filepath.ToSlash(filepath.Join("layouts", e.Name()))
	}
	return nil
}

// parse builds the Theme's templates: each layout is a clone of the
// shared set with its own file added.
func (ls *layoutSources) parse(funcs template.FuncMap) (*Theme, error) {
	if _, ok := ls.files["base"]; !ok {
		return nil, &TemplateError{Name: "base", Err: errors.New("missing")}
	}
	var names []string
	for name := range ls.files {
		names = append(names, name)
	}
	slices.Sort(names)
	shared, err := ls.parseShared(names, funcs)
	if err != nil {
		return nil, err
	}
	th := &Theme{layouts: map[string]*template.Template{}}
	for _, name := range names {
		th.sources = append(th.sources, [2]string{ls.origin[name], ls.files[name]})
	}
	for _, name := range Layouts {
		src, ok := ls.files[name]
		if !ok {
			if name == "page" {
				return nil, &TemplateError{Name: "page", Err: errors.New("missing")}
			}
			continue
		}
		t, err := shared.Clone()
		if err != nil {
			return nil, &TemplateError{Name: ls.origin[name], Err: err}
		}
		if _, err := t.New(name).Parse(src); err != nil {
			return nil, &TemplateError{Name: ls.origin[name], Err: err}
		}
		th.layouts[name] = t
	}
	return th, nil
}

// parseShared parses the set every layout shares: base and every file,
// of the sorted names, that is not a layout.
func (ls *layoutSources) parseShared(names []string, funcs template.FuncMap) (*template.Template, error) {
	shared := template.New("base").Funcs(funcs).Option("missingkey=error")
	for _, name := range names {
		if slices.Contains(Layouts, name) {
			continue
		}
		t := shared
		if name != "base" {
			t = shared.New(name)
		}
		if _, err := t.Parse(ls.files[name]); err != nil {
			return nil, &TemplateError{Name: ls.origin[name], Err: err}
		}
	}
	return shared, nil
}

// addThemeStatic lists the files under the theme's static folder, served
// under /assets/.
func (th *Theme) addThemeStatic(theme fs.FS) error {
	err := fs.WalkDir(theme, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		p2 := p
		read := func() ([]byte, error) { return fs.ReadFile(theme, p2) }
		if strings.HasSuffix(p, ".js") {
			read = func() ([]byte, error) {
				b, err := fs.ReadFile(theme, p2)
				return CompactJS(b), err
			}
		}
		th.Static = append(th.Static, StaticFile{URL: "/assets/" + strings.TrimPrefix(p, "static/"), Read: read})
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read theme static files: %w", err)
	}
	return nil
}

// addSiteStatic lists the files under siteDir/static, served from the
// site root, skipping dot files and folders.
func (th *Theme) addSiteStatic(siteDir string) error {
	dir := filepath.Join(siteDir, "static")
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		p2 := p
		th.Static = append(th.Static, StaticFile{URL: "/" + filepath.ToSlash(rel), Read: func() ([]byte, error) { return os.ReadFile(p2) }})
		return nil
	})
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read site static files: %w", err)
	}
	return nil
}

// layout returns the template for a layout name, falling back to "page".
func (t *Theme) layout(name string) (*template.Template, string) {
	if l, ok := t.layouts[name]; ok {
		return l, name
	}
	return t.layouts["page"], "page"
}

// Find returns where text is first written in a layout: the file, as
// messages name it, and the line and byte column. Site layouts are
// searched before the theme's.
func (t *Theme) Find(text string) (file string, line, col int, ok bool) {
	for pass := 0; pass < 2; pass++ {
		for _, src := range t.sources {
			if strings.HasPrefix(src[0], "theme ") != (pass == 1) {
				continue
			}
			i := strings.Index(src[1], text)
			if i < 0 {
				continue
			}
			line = 1 + strings.Count(src[1][:i], "\n")
			col = i - strings.LastIndexByte(src[1][:i], '\n')
			return src[0], line, col, true
		}
	}
	return "", 0, 0, false
}

// CompactJS returns a theme script without its comment lines (a line
// starting with // and a block starting a line with /* up to the line that
// ends with */), indentation and blank lines: a third smaller, the same
// code, each line where it was relative to the others, so that automatic
// semicolons fall as before. A script with a template literal or a line
// continued by a backslash in its code, which could hold such lines inside
// a string, is returned as it is.
func CompactJS(b []byte) []byte {
	out := make([]byte, 0, len(b))
	block := false
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		t := bytes.TrimSpace(line)
		end := bytes.Index(t, []byte("*/"))
		switch {
		case block && end >= 0 && end+2 < len(t), !block && bytes.HasPrefix(t, []byte("/*")) && end >= 0 && end+2 < len(t):
			return b // code after a comment's end: left as it is
		case block:
			block = end < 0
		case bytes.HasPrefix(t, []byte("//")), len(t) == 0:
		case bytes.HasPrefix(t, []byte("/*")):
			block = end < 0
		case bytes.IndexByte(t, '`') >= 0 || bytes.HasSuffix(t, []byte("\\")):
			return b // a template literal or a continued string may hold lines that look like comments
		default:
			out = append(out, t...)
			out = append(out, '\n')
		}
	}
	return out
}
