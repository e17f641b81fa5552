// Package build runs the whole pipeline — load, render, write — and owns
// the one thing that touches the user's disk: the output folder.
//
// Content problems never stop a build: they are diagnostics, every page
// that can be rendered is, and the site is written. A failure to produce
// the site (an unreadable root, a layout that does not parse or execute, an
// interrupt, a full disk) leaves the previous output exactly as it was: the
// site is written into a temporary folder beside the output and swapped in
// by renaming only when complete. The output folder carries a marker file,
// and a folder that is, or contains, the site or a content root, or that is
// neither empty nor marked, is refused before anything is written.
package build

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/fastfile"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// Marker is the file that marks a folder as handbook output, safe to
// replace.
const Marker = site.OutputMarker

// ErrUnsafeOutput is returned for an output folder the build must not
// replace.
var ErrUnsafeOutput = errors.New("unsafe output folder")

// Options configure a build.
type Options struct {
	Site site.Config
	// Out is the output folder.
	Out string
	// Theme is the theme's files; nil means the default theme.
	Theme fs.FS
}

// Result describes a finished build.
type Result struct {
	Site *site.Site
	// Diags are the content problems, sorted.
	Diags diag.List
	// Pages counts the Markdown pages written per kind; Generated the
	// generated pages (indexes, tags, home, 404, aliases), Files the files
	// copied as they are.
	Pages     map[page.Kind]int
	Generated int
	Files     int
	Elapsed   time.Duration
}

// Summary is the one line a build prints.
func (r *Result) Summary(out string) string {
	var parts []string
	total := 0
	for _, k := range page.Kinds {
		if n := r.Pages[k]; n > 0 {
			total += n
			name := strings.ToLower(k.Plural())
			if n == 1 {
				name = strings.ToLower(k.Title())
			}
			if k == page.KindADR {
				name = "ADR"
				if n != 1 {
					name = "ADRs"
				}
			}
			parts = append(parts, fmt.Sprintf("%d %s", n, name))
		}
	}
	problems := "no problems"
	if len(r.Diags) > 0 {
		problems = fmt.Sprintf("%d problems (%d errors, %d warnings)", len(r.Diags), r.Diags.Count(diag.Error), r.Diags.Count(diag.Warning))
	}
	return fmt.Sprintf("built %d pages (%s) + %d generated, %d files, %s in %s → %s",
		total, strings.Join(parts, ", "), r.Generated, r.Files, problems, r.Elapsed.Round(time.Millisecond), out)
}

// Run builds the site.
func Run(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	out, err := filepath.Abs(opts.Out)
	if err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	if err := CheckOut(out, opts.Site); err != nil {
		return nil, err
	}
	cfg := opts.Site
	cfg.Exclude = append(cfg.Exclude, out)
	s, r, ix, diags, err := prepare(ctx, cfg, opts.Theme)
	if err != nil {
		return nil, fmt.Errorf("%w; the previous output was kept", err)
	}
	res := &Result{Site: s, Diags: diags, Pages: map[page.Kind]int{}}
	tmp, err := os.MkdirTemp(filepath.Dir(out), ".handbook-tmp-")
	if err != nil {
		return nil, fmt.Errorf("create temporary output folder: %w", err)
	}
	// MkdirTemp makes the folder private (0700); the output is a web
	// site, which a server running as another user must read.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, fmt.Errorf("create temporary output folder: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte("This folder is the output of handbook build; handbook replaces it on every build.\n"), 0o644); err != nil {
		return nil, fmt.Errorf("write output: %w", err)
	}
	var dirs sync.Map
	write := func(sitePath string, data []byte) error {
		p := filepath.Join(tmp, filepath.FromSlash(strings.TrimPrefix(sitePath, "/")))
		if !strings.HasPrefix(p, tmp+string(filepath.Separator)) {
			return fmt.Errorf("refusing to write %s outside the output folder", sitePath)
		}
		dir := filepath.Dir(p)
		if _, ok := dirs.Load(dir); !ok {
			// Most folders' parents exist already: one mkdir, no stat.
			if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return fmt.Errorf("write output: %w", err)
				}
			}
			dirs.Store(dir, true)
		}
		if err := fastfile.WriteFile(p, data, 0o644); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
		return nil
	}
	if err := r.All(ctx, write); err != nil {
		return nil, fmt.Errorf("%w; the previous output was kept", err)
	}
	for p, b := range ix().Files() {
		if err := write(p, b); err != nil {
			return nil, fmt.Errorf("%w; the previous output was kept", err)
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := swap(tmp, out); err != nil {
		return nil, err
	}
	committed = true
	res.count(r)
	res.Elapsed = time.Since(start)
	return res, nil
}

// prepare loads the site, its theme, and runs every check: what a build
// writes from.
//
// The search index is built beside whatever the caller does next (the
// rendering): the returned function waits for it.
func prepare(ctx context.Context, cfg site.Config, theme fs.FS) (*site.Site, *render.Renderer, func() *search.Index, diag.List, error) {
	s, r, raw, err := load(ctx, cfg, theme)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	diags := settle(s, raw)
	docs := searchDocs(s)
	s.DropSources()
	done := make(chan *search.Index, 1)
	go func() { done <- search.Build(docs) }()
	return s, r, sync.OnceValue(func() *search.Index { return <-done }), diags, nil
}

// load loads the site and its theme and runs every check. The findings are
// raw: not yet suppressed by comments nor given their configured
// severities (see settle).
func load(ctx context.Context, cfg site.Config, theme fs.FS) (*site.Site, *render.Renderer, diag.List, error) {
	if cfg.Scan == nil {
		cfg.Scan = lint.Secrets
	}
	s, err := site.Load(ctx, cfg)
	if err != nil {
		return nil, nil, nil, err
	}
	th, err := LoadTheme(cfg, theme)
	if err != nil {
		return nil, nil, nil, err
	}
	layoutDiags, err := CheckLayouts(s, th)
	if err != nil {
		return nil, nil, nil, err
	}
	r := render.New(s, th)
	raw := append(slices.Clip(s.Diags), lint.Run(s)...)
	return s, r, append(raw, layoutDiags...), nil
}

// settle applies the pages' suppression comments and the configured
// severities to raw findings, and sorts them.
func settle(s *site.Site, raw diag.List) diag.List {
	return lint.Apply(&s.Config, lint.Suppress(s, raw))
}

// count fills in how many pages of each kind, generated pages and copied
// files the build wrote.
func (res *Result) count(r *render.Renderer) {
	for _, p := range res.Site.Published() {
		res.Pages[p.Kind]++
	}
	pages := 0
	for _, n := range res.Pages {
		pages += n
	}
	html, copied := r.Count()
	res.Generated, res.Files = html-pages, copied
}

// Memory builds the site into memory, as the preview server serves it:
// every file a build would write, by site path ("/runbooks/x/index.html").
// Nothing is written to disk. The error is for a site that cannot be
// built at all (an unreadable root, a layout that does not execute);
// content problems are in the result's Diags.
func Memory(ctx context.Context, opts Options) (*Result, map[string][]byte, error) {
	start := time.Now()
	s, r, ix, diags, err := prepare(ctx, opts.Site, opts.Theme)
	if err != nil {
		return nil, nil, err
	}
	res := &Result{Site: s, Diags: diags, Pages: map[page.Kind]int{}}
	files, err := renderAll(ctx, r, 0)
	if err != nil {
		return nil, nil, err
	}
	maps.Copy(files, ix().Files())
	res.count(r)
	res.Elapsed = time.Since(start)
	return res, files, nil
}

// swap replaces out by tmp: out is moved aside, tmp renamed into place, and
// the old output removed. If the rename fails, the old output is put back.
func swap(tmp, out string) error {
	var old string
	if _, err := os.Lstat(out); err == nil {
		old = filepath.Join(filepath.Dir(out), ".handbook-old-"+randomSuffix())
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("replace output folder: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			if err2 := os.Rename(old, out); err2 != nil {
				return fmt.Errorf("replace output folder: %w (and restoring the previous output from %s failed: %v)", err, old, err2)
			}
		}
		return fmt.Errorf("replace output folder: %w", err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// CheckOut refuses an output folder that the build must not replace: the
// site root, a content root, a folder containing either, a file, or a
// non-empty folder without the Marker.
func CheckOut(out string, cfg site.Config) error {
	out = realPath(out)
	site := realPath(cfg.Dir)
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrUnsafeOutput, out, fmt.Sprintf(format, args...))
	}
	if within(site, out) {
		return refuse("it is or contains the site folder %s; choose a folder such as %s", site, filepath.Join(site, "public"))
	}
	for _, r := range cfg.Roots {
		dir := r.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(cfg.Dir, dir)
		}
		dir = realPath(dir)
		if within(dir, out) {
			return refuse("it is or contains the content root %s", dir)
		}
	}
	fi, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if !fi.IsDir() {
		return refuse("it is not a folder")
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, Marker)); err != nil {
		return refuse("it is not empty and was not written by handbook (no %s file); remove it or choose another folder", Marker)
	}
	return nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	if path == dir {
		return true
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// realPath resolves symbolic links in as much of p as exists.
func realPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	dir, base := filepath.Split(p)
	if dir == "" || filepath.Clean(dir) == p {
		return p
	}
	return filepath.Join(realPath(filepath.Clean(dir)), base)
}

// renderAll renders every file of the site into a map by site path; size
// is how many files to make room for.
func renderAll(ctx context.Context, r *render.Renderer, size int) (map[string][]byte, error) {
	files := make(map[string][]byte, size)
	var mu sync.Mutex
	err := r.All(ctx, func(p string, b []byte) error {
		mu.Lock()
		files[p] = b
		mu.Unlock()
		return nil
	})
	return files, err
}
