package site

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/fastfile"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
)

// ErrNoRoots is returned when none of the configured content roots exists.
var ErrNoRoots = errors.New("no content root found")

// RootError is a content root that cannot be read: the site cannot be built.
type RootError struct {
	Dir string
	Err error
}

func (e *RootError) Error() string { return fmt.Sprintf("content root %s: %v", e.Dir, e.Err) }
func (e *RootError) Unwrap() error { return e.Err }

// source is a file found under a root.
type source struct {
	abs  string // path on disk
	path string // as shown in diagnostics: relative to the site root
	rel  string // relative to the root, slash-separated
	root *Root
	kind page.Kind
	size int64
	mod  time.Time // modification time, for Memo
	// changed is set when the file is known to have changed: a Memo entry
	// of the same size and time (a save within the file system's clock
	// tick) is not used.
	changed bool
}

// Load reads every root of cfg into a Site. Problems with files are
// diagnostics in Site.Diags; an error is returned only when the site
// cannot be loaded at all (a root that exists but cannot be read, or no
// root at all).
func Load(ctx context.Context, cfg Config) (*Site, error) {
	s, err := read(ctx, cfg)
	if err != nil {
		return nil, err
	}
	s.chooseProfile()
	s.link(ctx)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.applyProfile()
	s.graph()
	s.Diags.Sort()
	return s, nil
}

// read walks the roots and parses every page: a site whose references are
// not resolved yet.
func read(ctx context.Context, cfg Config) (*Site, error) {
	s := &Site{Config: cfg, byURL: map[string]*Page{}, bySource: map[string]*Page{}, tagCache: &tagCache{}}
	s.Engine = markdown.New(markdown.Options{Unsafe: cfg.Unsafe, Spill: cfg.Spill})
	if cfg.NoHTML && cfg.CacheDir != "" {
		s.cache = openCache(cfg.CacheDir, cfg)
	}
	roots, err := s.roots()
	if err != nil {
		return nil, err
	}
	s.rootDirs = roots
	s.repoRoot = repoRoot(cfg.Dir)
	// git reads the history while the pages are parsed.
	var gitc chan *gitState
	if cfg.wantsGit() {
		gitc = make(chan *gitState, 1)
		go func() { gitc <- readGit(ctx, &s.Config, roots) }()
	}
	// A check with a parse cache that reads nothing but files stamps
	// them, for its result cache (Stamp).
	if s.cache != nil && gitc == nil && cfg.Memo == nil && cfg.Remote == nil {
		s.stamp = s.newStamp(roots)
	}
	// A Memo may hold what the last walk found, still true.
	var kept [][]source
	reused := false
	if cfg.Memo != nil {
		var diags diag.List
		if kept, diags, reused = cfg.Memo.takeWalk(roots); reused {
			s.Diags = append(s.Diags, diags...)
		}
	}
	walkDiags := len(s.Diags)
	walked := make([][]source, len(roots))
	files := 0
	for i, r := range roots {
		var found []source
		if reused {
			found = kept[i]
		} else if found, err = s.walk(r); err != nil {
			return nil, err
		}
		walked[i] = found
		files += len(found)
	}
	mds := make([]source, 0, files)
	for i, r := range roots {
		found := walked[i]
		if s.stamp != nil {
			s.stamp.addFiles(found)
		}
		for _, f := range found {
			if strings.EqualFold(filepath.Ext(f.abs), ".md") {
				mds = append(mds, f)
			} else {
				s.Files = append(s.Files, File{Source: f.abs, URL: fileURL(r.Mount, f.rel)})
			}
		}
	}
	if s.stamp != nil {
		s.stamp.Walk = slices.Clone(s.Diags)
	}
	if cfg.Memo != nil && !reused {
		cfg.Memo.keepWalk(roots, walked, s.Diags[walkDiags:])
	}
	if cfg.Walked != nil {
		var bytes int64
		for _, f := range mds {
			bytes += f.size
		}
		cfg.Walked(len(mds), bytes)
	}
	pages, err := s.parseAll(ctx, mds)
	if gitc != nil {
		s.git = <-gitc
	}
	if err != nil {
		return nil, err
	}
	s.readCatalog(roots)
	// A source may give only some kinds of its pages: the others, and
	// what was found in them, are left out.
	dropped := map[string]bool{}
	pages = slices.DeleteFunc(pages, func(p *Page) bool {
		drop := p.Root != nil && len(p.Root.Kinds) > 0 && !slices.Contains(p.Root.Kinds, p.Kind)
		if drop {
			dropped[p.Path] = true
		}
		return drop
	})
	if len(dropped) > 0 {
		s.Diags = slices.DeleteFunc(s.Diags, func(d diag.Diagnostic) bool { return dropped[d.Pos.File] })
	}
	if s.git != nil {
		s.Diags = append(s.Diags, s.git.diags...)
		filled := map[string]bool{}
		for _, p := range pages {
			s.attachGit(p)
			if p.Runbook != nil && p.Runbook.ReviewedFromGit {
				filled[p.Path] = true
			}
		}
		s.Diags = filledFromGit(s.Diags, filled)
	}
	if s.cache != nil {
		_ = s.cache.write() // before linking changes the pages
	}
	if m := s.Config.Memo; m != nil {
		m.prune(mds)
	}
	numberDatedADRs(pages)
	s.place(s.mergeReleases(pages))
	return s, nil
}

// RootDir returns the folder of the root r as an absolute path: its Dir,
// relative to the site folder unless it is absolute already.
func (c *Config) RootDir(r Root) string {
	if filepath.IsAbs(r.Dir) {
		return r.Dir
	}
	return filepath.Join(c.Dir, r.Dir)
}

// roots returns the configured roots that exist, with absolute Dirs. A
// site with no configured root on disk is read from its own folder.
func (s *Site) roots() ([]*Root, error) {
	var out []*Root
	for _, r := range s.Config.Roots {
		r.Dir = s.Config.RootDir(r)
		if !strings.HasPrefix(r.Mount, "/") {
			r.Mount = "/" + r.Mount
		}
		if !strings.HasSuffix(r.Mount, "/") {
			r.Mount += "/"
		}
		fi, err := os.Stat(r.Dir)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, &RootError{Dir: r.Dir, Err: err}
		}
		if !fi.IsDir() {
			return nil, &RootError{Dir: r.Dir, Err: errors.New("not a folder")}
		}
		if r.Kind == "" {
			r.Kind = s.Config.KindDirs[strings.ToLower(filepath.Base(r.Dir))]
		}
		out = append(out, &r)
	}
	if len(out) == 0 {
		fi, err := os.Stat(s.Config.Dir)
		if err != nil {
			return nil, &RootError{Dir: s.Config.Dir, Err: err}
		}
		if !fi.IsDir() {
			return nil, &RootError{Dir: s.Config.Dir, Err: errors.New("not a folder")}
		}
		out = append(out, &Root{Dir: s.Config.Dir, Mount: "/"})
	}
	return out, nil
}

// editorFile reports the backup, lock and temporary files editors leave
// beside the files they save (x~, #x#, x.swp, JetBrains' x___jb_tmp___):
// they are not part of the site. Dot files (.x.swp, .#x) are skipped
// anyway.
func editorFile(name string) bool {
	return strings.HasSuffix(name, "~") || strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") ||
		strings.HasSuffix(name, "___jb_tmp___") || strings.HasSuffix(name, "___jb_old___")
}

// skipDir reports folders never read: dot folders, the output and theme
// folders, dependencies.
func (s *Site) skipDir(abs, name string) bool {
	if strings.HasPrefix(name, ".") || name == "node_modules" || name == "_site" {
		return true
	}
	for _, ex := range s.Config.Exclude {
		if abs == ex {
			return true
		}
	}
	if abs == filepath.Join(s.Config.Dir, TemplatesDir) {
		return true // a site read from its own folder: not pages
	}
	// A previous build's output (handbook serve excludes no output folder).
	_, err := os.Lstat(filepath.Join(abs, OutputMarker))
	return err == nil
}

// TemplatesDir is the folder of the site's templates for handbook new
// (templates/adr.md), in the site folder; it is never read as content.
const TemplatesDir = "templates"

// OutputMarker is the file a build leaves in its output folder; a folder
// holding it is never read as content.
const OutputMarker = ".handbook-output"

// walk lists the files of a root. Symbolic links are followed; a link that
// cannot be resolved or that leads back into a folder already being read is
// reported and skipped.
func (s *Site) walk(r *Root) ([]source, error) {
	var out []source
	visited := map[string]bool{}
	var walkDir func(abs, rel string, kind page.Kind, top bool) error
	walkDir = func(abs, rel string, kind page.Kind, top bool) error {
		real, err := filepath.EvalSymlinks(abs)
		if err != nil {
			if top {
				return &RootError{Dir: abs, Err: err}
			}
			s.Diags.Errorf(s.pos(abs), "unreadable", "cannot read folder: %v", err)
			return nil
		}
		if visited[real] {
			s.Diags.Errorf(s.pos(abs), "symlink-loop", "symbolic link leads back to %s, which is already being read; remove the link", s.rel(real))
			return nil
		}
		visited[real] = true
		defer delete(visited, real)
		entries, err := os.ReadDir(abs)
		if err != nil {
			if top {
				return &RootError{Dir: abs, Err: err}
			}
			s.Diags.Errorf(s.pos(abs), "unreadable", "cannot read folder: %v", err)
			return nil
		}
		for _, e := range entries {
			name := e.Name()
			childAbs := filepath.Join(abs, name)
			childRel := name
			if rel != "" {
				childRel = rel + "/" + name
			}
			typ := e.Type()
			var size int64
			var mod time.Time
			if typ&fs.ModeSymlink != 0 {
				fi, err := os.Stat(childAbs)
				if err != nil {
					rule := "unreadable"
					msg := fmt.Sprintf("broken symbolic link: %v", unwrapPath(err))
					if isLoop(err) {
						rule, msg = "symlink-loop", "symbolic link loop; remove or fix the link"
					}
					s.Diags.Errorf(s.pos(childAbs), rule, "%s", msg)
					continue
				}
				typ, size, mod = fi.Mode().Type(), fi.Size(), fi.ModTime()
			} else if typ.IsRegular() {
				if fi, err := e.Info(); err == nil {
					size, mod = fi.Size(), fi.ModTime()
				}
			}
			if typ.IsDir() {
				if s.skipDir(childAbs, name) {
					continue
				}
				k := kind
				if dk, ok := s.Config.KindDirs[strings.ToLower(name)]; ok {
					k = dk
				}
				if err := walkDir(childAbs, childRel, k, false); err != nil {
					return err
				}
				continue
			}
			if !typ.IsRegular() || strings.HasPrefix(name, ".") || editorFile(name) {
				continue
			}
			out = append(out, source{abs: childAbs, path: s.rel(childAbs), rel: childRel, root: r, kind: kind, size: size, mod: mod})
		}
		return nil
	}
	kind := r.Kind
	if kind == "" {
		kind = page.KindPage
	}
	if err := walkDir(r.Dir, "", kind, true); err != nil {
		return nil, err
	}
	return out, nil
}

func isLoop(err error) bool {
	return strings.Contains(err.Error(), "too many levels of symbolic links")
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// rel returns a path relative to the site root for diagnostics.
func (s *Site) rel(abs string) string {
	for _, root := range s.rootDirs {
		if root.Source == "" {
			continue
		}
		if r, err := filepath.Rel(root.Dir, abs); err == nil && (filepath.IsLocal(r) || r == ".") {
			return root.Source + ":" + path.Join(root.RepoPath, filepath.ToSlash(r))
		}
	}
	if r, err := filepath.Rel(s.Config.Dir, abs); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(abs)
}

func (s *Site) pos(abs string) diag.Position { return diag.Position{File: s.rel(abs)} }

// parseAll reads and parses the Markdown files on every core. Each file is
// read once and parsed once.
func (s *Site) parseAll(ctx context.Context, srcs []source) ([]*Page, error) {
	pages := make([]*Page, len(srcs))
	diags := make([]diag.List, len(srcs))
	err := parallel.Each(ctx, len(srcs), 2*runtime.GOMAXPROCS(0), func(i int) error {
		pages[i], diags[i] = s.parseOne(srcs[i])
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := pages[:0]
	for i, p := range pages {
		s.Diags = append(s.Diags, diags[i]...)
		if p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

func (s *Site) parseOne(src source) (*Page, diag.List) {
	if m := s.Config.Memo; m != nil && src.size > 0 && !src.changed {
		if e := m.get(src.abs, src.size, src.mod); e != nil {
			return s.fromMemo(src, e), e.Diags
		}
	}
	var diags diag.List
	pos := diag.Position{File: src.path}
	size := src.size
	if size <= 0 {
		fi, err := os.Stat(src.abs)
		if err != nil {
			diags.Errorf(pos, "unreadable", "cannot read file: %v", unwrapPath(err))
			return nil, diags
		}
		size = fi.Size()
	}
	if size > page.MaxSize {
		diags.Errorf(pos, "file-too-large", "file is %d MB, more than the %d MB a page may have; split it or move it out of the content folder", size>>20, page.MaxSize>>20)
		return nil, diags
	}
	data, err := fastfile.ReadFile(src.abs, size)
	if err != nil {
		diags.Errorf(pos, "unreadable", "cannot read file: %v", unwrapPath(err))
		return nil, diags
	}
	if len(data) > page.MaxSize {
		diags.Errorf(pos, "file-too-large", "file is %d MB, more than the %d MB a page may have; split it or move it out of the content folder", len(data)>>20, page.MaxSize>>20)
		return nil, diags
	}
	if i := bytes.IndexByte(data[:min(len(data), 8000)], 0); i >= 0 {
		line := 1 + bytes.Count(data[:i], []byte("\n"))
		diags.Errorf(diag.Position{File: src.path, Line: line, Col: i - bytes.LastIndexByte(data[:i], '\n')}, "binary-file", "file looks binary (it holds a NUL byte); a .md file must be text")
		return nil, diags
	}
	var sum [sha256.Size]byte
	if s.cache != nil {
		sum = sha256.Sum256(data)
		if s.stamp != nil {
			s.stamp.hashed(src.abs, sum)
		}
		if e := s.cache.get(src.path, sum); e != nil {
			return s.fromCache(src, data, e), e.Diags
		}
	}
	if s.Config.Scan != nil {
		diags = append(diags, s.Config.Scan(src.path, data)...)
	}
	// The folder's kind; the page decides with it (a folder's index takes
	// it only when it looks like one).
	kind := src.kind
	stem := strings.TrimSuffix(filepath.Base(src.rel), filepath.Ext(src.rel))
	pp, pd := page.Parse(src.path, data, kind, s.Config.Schema)
	diags = append(diags, pd...)
	p := newPage(src, pp, nil)
	opts := markdown.ParseOptions{NoHTML: s.Config.NoHTML}
	if !p.TitleFromBody {
		opts.Title = p.Title
	}
	if p.Kind == page.KindPostmortem {
		opts.ItemsUnder = ActionSections
		opts.TimelineUnder = []string{"timeline"}
	}
	p.Doc = s.Engine.Parse(pp.Body, pp.BodyLine, opts)
	s.settleTitle(p)
	if p.Title == "" {
		if p.IsIndex {
			p.Title = titleFromName(filepath.Base(filepath.Dir(src.abs)))
			if p.URL == "/" {
				p.Title = s.Config.Title
			}
		} else {
			p.Title = titleFromName(stem)
		}
	}
	if page.IsIDTitle(p.Title) {
		p.Title, p.TitleHTML = idTitle(p)
	}
	p.Excerpt = p.Description
	if p.Excerpt == "" {
		p.Excerpt = p.Doc.PlainText(240)
	}
	// Everything later stages need is in the document now; its syntax tree
	// would only hold memory.
	p.Doc.Release()
	e := &parsed{Page: pp, Doc: p.Doc, Excerpt: p.Excerpt, Diags: diags}
	if m := s.Config.Memo; m != nil && src.size > 0 {
		e.size, e.mod = src.size, src.mod
		m.put(src.abs, e)
	}
	if s.cache != nil && len(pp.Body) > 0 && &pp.Body[len(pp.Body)-1] == &data[len(data)-1] {
		// The body is the end of the file (not a copy made valid UTF-8):
		// it can be found again from the file.
		e.Sum, e.BodyOff = sum, len(data)-len(pp.Body)
		s.cache.put(src.path, e, false)
	}
	p.Body = nil
	return p, diags
}

// fromCache makes the page of a file from its cache entry.
func (s *Site) fromCache(src source, data []byte, e *parsed) *Page {
	s.cache.put(src.path, e, true)
	p := e.newPage(src)
	p.Doc.Source = data[e.BodyOff:]
	return p
}

// newPage makes the site page of a file read from src: where it is, its
// URL, whether it is a folder's index.
func newPage(src source, pp *page.Page, doc *markdown.Document) *Page {
	at := placeOf(src)
	return newPageAt(src, pp, doc, &at)
}

// placeOf is where the file at src is placed: its URL, and whether it
// stands for its folder.
func placeOf(src source) placed {
	stem := strings.TrimSuffix(filepath.Base(src.rel), filepath.Ext(src.rel))
	return placed{mount: src.root.Mount, rel: src.rel, url: pageURL(src.root.Mount, src.rel), index: isIndex(stem)}
}

// newPageAt is newPage with the file's place found already.
func newPageAt(src source, pp *page.Page, doc *markdown.Document, at *placed) *Page {
	return &Page{Page: pp, Source: src.abs, Root: src.root, Doc: doc, IsIndex: at.index, URL: at.url, src: src}
}

// ActionSections are the headings, lower-cased, under which a
// postmortem lists its action items.
var ActionSections = []string{"action item", "follow-up", "follow up", "corrective action", "remediation item"}

// DropSources drops every page's Markdown source, once the checks that
// read prose have run; not with a Memo, whose pages are used again.
func (s *Site) DropSources() {
	for _, p := range s.Pages {
		s.DropSource(p)
	}
}

// DropSource is DropSources for the one page p, of s.
func (s *Site) DropSource(p *Page) {
	if s.Config.Memo == nil {
		p.Doc.DropSource()
	}
}

// place gives pages their URLs in the site, reports duplicates and links
// index pages to their children.
func (s *Site) place(pages []*Page) {
	slices.SortFunc(pages, func(a, b *Page) int { return strings.Compare(a.Path, b.Path) })
	s.checkAliases(pages)
	// The maps and lists are made at their size: growing them a page at
	// a time copied them over and over (at 100,000 pages, a tenth of a
	// reload's load).
	if len(s.byURL) == 0 && len(s.bySource) == 0 {
		s.byURL, s.bySource = make(map[string]*Page, len(pages)), make(map[string]*Page, len(pages))
	}
	s.Pages = slices.Grow(s.Pages, len(pages))
	for _, p := range claimOrder(pages) {
		if other, dup := s.byURL[p.URL]; dup {
			// Nothing is lost: the page moves to a URL of its own.
			old := p.URL
			if p.IsIndex {
				stem := strings.TrimSuffix(path.Base(p.Path), path.Ext(p.Path))
				p.URL += Slug(stem) + "/"
				p.IsIndex = false
			}
			for i := 2; s.byURL[p.URL] != nil; i++ {
				p.URL = strings.TrimSuffix(old, "/") + "-" + strconv.Itoa(i) + "/"
			}
			s.Diags.Warnf(diag.Position{File: p.Path, Line: 1, Col: 1}, "duplicate-url", "page has the same URL %s as %s; it was published at %s instead; rename one of them", old, other.Path, p.URL)
		}
		s.byURL[p.URL] = p
		s.bySource[p.Source] = p
		s.Pages = append(s.Pages, p)
	}
	slices.SortFunc(s.Pages, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	placing := placings.Add(1)
	for i, p := range s.Pages {
		p.ord, p.placing = int32(i+1), placing
	}
	s.published = slices.Grow(s.published, len(s.Pages))
	for _, p := range s.Pages {
		if s.IsPublished(p) {
			s.published = append(s.published, p)
		}
	}
	base := s.Config.BasePath()
	for _, p := range s.Pages {
		p.Href = base + strings.TrimPrefix(p.URL, "/")
	}
	files := s.Files[:0]
	seen := map[string]string{}
	for _, f := range s.Files {
		other := seen[f.URL]
		if q := s.byURL[f.URL]; q != nil {
			other = q.Path
		}
		if other != "" {
			s.Diags.Warnf(s.pos(f.Source), "duplicate-url", "file has the same URL %s as %s; it is not published; rename one of them", f.URL, other)
			continue
		}
		seen[f.URL] = s.rel(f.Source)
		files = append(files, f)
	}
	s.Files = files
	slices.SortFunc(s.Files, func(a, b File) int { return strings.Compare(a.URL, b.URL) })
	for _, p := range s.Pages {
		if p.URL == "/" {
			continue
		}
		for u := ParentURL(p.URL); ; u = ParentURL(u) {
			if parent := s.byURL[u]; parent != nil {
				p.Parent = parent
				if ParentURL(p.URL) == u && s.IsPublished(p) {
					parent.Children = append(parent.Children, p)
				}
				break
			}
			if u == "/" {
				break
			}
		}
	}
	for _, p := range s.Pages {
		SortNav(p.Children)
	}
}

// placings numbers the calls of place, for Page.placing.
var placings atomic.Uint32

// claimOrder returns pages, in path order, in the order they claim their
// URLs: a README.md whose URL another page also has (an index.md or
// _index.md beside it) claims it after every other page, so that the
// other wins the folder URL; the rest keep their order. The pages between
// two such files in path order (dir/README.md, dir/a.md, dir/index.md) made
// a sort on the README alone leave it first.
func claimOrder(pages []*Page) []*Page {
	readme := func(p *Page) bool { return strings.EqualFold(path.Base(p.Path), "readme.md") }
	readmes := map[string]bool{}
	for _, p := range pages {
		if readme(p) {
			readmes[p.URL] = true
		}
	}
	if len(readmes) == 0 {
		return pages
	}
	contested := map[string]bool{}
	for _, p := range pages {
		if readmes[p.URL] && !readme(p) {
			contested[p.URL] = true
		}
	}
	if len(contested) == 0 {
		return pages
	}
	first := make([]*Page, 0, len(pages))
	var last []*Page
	for _, p := range pages {
		if contested[p.URL] && readme(p) {
			last = append(last, p)
		} else {
			first = append(first, p)
		}
	}
	return append(first, last...)
}

// ParentURL returns the folder URL above u: "/a/b/" → "/a/".
func ParentURL(u string) string {
	t := strings.TrimSuffix(u, "/")
	i := strings.LastIndexByte(t, '/')
	if i < 0 {
		return "/"
	}
	return t[:i+1]
}

// checkAliases reports aliases that clash with a page or another alias.
func (s *Site) checkAliases(pages []*Page) {
	if !slices.ContainsFunc(pages, func(p *Page) bool { return len(p.Aliases) > 0 }) {
		return // most sites: no map of every URL to make
	}
	urls := make(map[string]*Page, len(pages))
	for _, p := range pages {
		urls[p.URL] = p
	}
	seen := map[string]*Page{}
	for _, p := range pages {
		for _, a := range p.Aliases {
			u := "/" + strings.Trim(strings.TrimSpace(a), "/") + "/"
			if strings.HasSuffix(a, ".html") {
				u = "/" + strings.TrimPrefix(strings.TrimSpace(a), "/")
			}
			pos := p.Fields["aliases"]
			if pos.File == "" {
				pos = diag.Position{File: p.Path, Line: 1, Col: 1}
			}
			if other := urls[u]; other != nil {
				s.Diags.Errorf(pos, "alias-clash", "alias %s is the URL of %s; remove the alias", a, other.Path)
			} else if other := seen[u]; other != nil && other != p {
				s.Diags.Errorf(pos, "alias-clash", "alias %s is also an alias of %s; keep it on one page", a, other.Path)
			}
			seen[u] = p
		}
	}
}
