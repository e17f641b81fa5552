package site

import (
	"errors"
	"hash/maphash"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
)

// A Memo keeps, for the life of a process that loads the same site again
// and again (handbook serve), what parsing each Markdown file gave: its
// page, its parsed and rendered document, its findings. A load with a Memo
// parses only the files whose size or modification time changed since the
// load before, and uses the rest as they were, with their links reset to be
// resolved again. It also keeps what the last walk of the roots found: a
// load that follows Forget takes it instead of walking again, when every
// file said to have changed since the walk is one the walk found and is
// still a regular file (an edit of existing files, the common case, does not
// read every folder again). A load not told what changed walks. Linking
// resolves again only the links that may resolve otherwise than in the
// last load (linkmemo.go), and the graph finds again only the related
// pages that may change (relatedmemo.go); everything else a load does is
// done whole.
//
// A Memo belongs to one configuration: when the configuration changes,
// start a new one. Loads using a Memo must not run at the same time.
type Memo struct {
	// mu guards the Memo; the pages' parses are looked up under its read
	// lock, from every core at once.
	mu      sync.RWMutex
	entries map[string]*parsed
	hits    atomic.Int64
	// git is the repository's history, read on the first load.
	git *gitState
	// walk is what the last walk found, while it holds; nil when the next
	// load must walk. told is set by Forget: the next load knows what
	// changed.
	walk *walked
	told bool
	// related is what the last load's related pages were made of, and
	// the pages' related pages (relatedmemo.go); relatedFound is how many
	// pages' related pages it found rather than took. seed hashes what
	// they are made of.
	related      *relatedState
	relatedFound int
	seed         maphash.Seed
	// links is what the last load's linking resolved (linkmemo.go), and
	// relinked the pages it resolved again.
	links    *linkState
	relinked []string
	// orders are the last load's sorted lists of pages (the tags' pages
	// in navigation order, each kind's index), each page's place by URL,
	// by the list's name (presort).
	orders map[string]map[string]int32
}

// walked is what a walk of the roots found: the files of each root, in
// the walk's order, and the walk's findings.
type walked struct {
	dirs  []string // the roots' folders, in order
	found [][]source
	diags diag.List
	// at finds a file by its path on disk: found[i][j].
	at map[string][2]int
}

// refresh takes a changed file's new size and time; false when the file
// is not one the walk found, or is no longer a regular file.
func (w *walked) refresh(abs string) bool {
	ij, ok := w.at[abs]
	if !ok {
		return false
	}
	fi, err := os.Lstat(abs)
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	src := &w.found[ij[0]][ij[1]]
	src.size, src.mod = fi.Size(), fi.ModTime()
	return true
}

// patch brings the walk up to date with a file at abs that it did not
// find, or that is gone: a page saved as a new file, or removed. It
// reports false when only a walk can tell (a folder made or removed, a
// symbolic link, a file in a folder where the walk found no file beside
// it, the output folder's marker).
func (w *walked) patch(abs string) bool {
	fi, err := os.Lstat(abs)
	if errors.Is(err, fs.ErrNotExist) {
		if ij, ok := w.at[abs]; ok {
			i, j := ij[0], ij[1]
			delete(w.at, abs)
			w.found[i] = slices.Delete(slices.Clone(w.found[i]), j, j+1)
			w.index(i, j)
			return true
		}
		// A file never found (a tool's temporary file), unless it was a
		// folder holding some.
		prefix := abs + string(filepath.Separator)
		for _, found := range w.found {
			for _, f := range found {
				if strings.HasPrefix(f.abs, prefix) {
					return false
				}
			}
		}
		return true
	}
	if err != nil || !fi.Mode().IsRegular() {
		return false
	}
	name := filepath.Base(abs)
	if name == OutputMarker {
		return false
	}
	if strings.HasPrefix(name, ".") || editorFile(name) {
		return true // a walk leaves it out too
	}
	// The walk reads a folder's entries in name order, depth first: the
	// new file goes before the first entry of its folder, file or
	// subfolder, whose name there sorts after its own. A file found in
	// the same folder gives its root and kind, and the forms of its
	// paths. A root holding the folder (roots may nest) without such a
	// file cannot tell whether it was walked.
	prefix := filepath.Dir(abs) + string(filepath.Separator)
	added := false
	for i, found := range w.found {
		sib, at, last := -1, -1, -1
		for j, f := range found {
			rest, ok := strings.CutPrefix(f.abs, prefix)
			if !ok {
				continue
			}
			first, _, deeper := strings.Cut(rest, string(filepath.Separator))
			if !deeper {
				sib = j
			}
			if at < 0 && first > name {
				at = j
			}
			last = j
		}
		switch {
		case last < 0:
			continue
		case sib < 0:
			return false
		case at < 0:
			at = last + 1
		}
		f := found[sib]
		base := filepath.Base(f.abs)
		if !strings.HasSuffix(f.path, base) || !strings.HasSuffix(f.rel, base) {
			return false
		}
		src := source{abs: abs, path: strings.TrimSuffix(f.path, base) + name, rel: strings.TrimSuffix(f.rel, base) + name, root: f.root, kind: f.kind, size: fi.Size(), mod: fi.ModTime()}
		w.found[i] = slices.Insert(slices.Clone(found), at, src)
		w.index(i, at)
		added = true
	}
	return added
}

// index finds the files of root i from its j-th on again by path (at):
// those a file put in or taken out at j moved.
func (w *walked) index(i, from int) {
	for j := from; j < len(w.found[i]); j++ {
		w.at[w.found[i][j].abs] = [2]int{i, j}
	}
}

// keepWalk keeps what a load's walk found, for the next load.
func (m *Memo) keepWalk(roots []*Root, found [][]source, diags diag.List) {
	w := &walked{found: found, diags: slices.Clone(diags), at: map[string][2]int{}}
	for i, r := range roots {
		w.dirs = append(w.dirs, r.Dir)
		for j, f := range found[i] {
			w.at[f.abs] = [2]int{i, j}
		}
	}
	m.mu.Lock()
	m.walk = w
	m.mu.Unlock()
}

// takeWalk returns the files of each root as the last walk found them,
// bound to roots, and its findings; false when the roots must be walked.
func (m *Memo) takeWalk(roots []*Root) ([][]source, diag.List, bool) {
	m.mu.Lock()
	w, told := m.walk, m.told
	m.told = false
	m.mu.Unlock()
	if w == nil || !told || len(w.dirs) != len(roots) {
		return nil, nil, false
	}
	out := make([][]source, len(roots))
	for i, r := range roots {
		if w.dirs[i] != r.Dir {
			return nil, nil, false
		}
		out[i] = slices.Clone(w.found[i])
		for j := range out[i] {
			out[i][j].root = r
		}
	}
	return out, slices.Clone(w.diags), true
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{entries: map[string]*parsed{}, seed: maphash.MakeSeed()} }

// presort puts ps in the order the last load sorted the list called name
// into, the pages it did not have after, so that sorting them again (a
// sort of thousands of pages by title, each load) passes over a list in
// order but for the pages an edit moved. It leaves ps as it is when the
// last load had no such list.
func (m *Memo) presort(name string, ps []*Page) {
	m.mu.Lock()
	at := m.orders[name]
	m.mu.Unlock()
	if at == nil {
		return
	}
	placed := make([]*Page, len(at))
	var rest []*Page
	for _, p := range ps {
		if i, ok := at[p.URL]; ok && placed[i] == nil {
			placed[i] = p
		} else {
			rest = append(rest, p)
		}
	}
	n := 0
	for _, p := range placed {
		if p != nil {
			ps[n] = p
			n++
		}
	}
	copy(ps[n:], rest)
}

// keepOrder keeps the sorted list ps, called name, for the next load's
// presort.
func (m *Memo) keepOrder(name string, ps []*Page) {
	at := make(map[string]int32, len(ps))
	for i, p := range ps {
		at[p.URL] = int32(i)
	}
	m.mu.Lock()
	if m.orders == nil {
		m.orders = map[string]map[string]int32{}
	}
	m.orders[name] = at
	m.mu.Unlock()
}

// Hits returns how many files the last loads took from the Memo.
func (m *Memo) Hits() int { return int(m.hits.Load()) }

func (m *Memo) get(path string, size int64, mod time.Time) *parsed {
	m.mu.RLock()
	e := m.entries[path]
	m.mu.RUnlock()
	if e == nil || e.size != size || !e.mod.Equal(mod) || mod.IsZero() {
		return nil
	}
	m.hits.Add(1)
	return e
}

func (m *Memo) put(path string, e *parsed) {
	m.mu.Lock()
	m.entries[path] = e
	m.mu.Unlock()
}

// Forget drops what the Memo knows of the files at paths (absolute, as
// the site reads them): they changed, whatever their size and time say.
// Unless each is a file the last walk found and still a regular file, the
// next load walks the roots again.
func (m *Memo) Forget(paths ...string) {
	m.mu.Lock()
	for _, p := range paths {
		delete(m.entries, p)
		if m.walk != nil && !m.walk.refresh(p) && !m.walk.patch(p) {
			m.walk = nil
		}
	}
	m.told = true
	m.mu.Unlock()
}

// ForgetWalk makes the next load walk the roots again, and resolve every
// page's links again: a file outside the pages may have changed, which a
// link names.
func (m *Memo) ForgetWalk() {
	m.mu.Lock()
	m.walk, m.links = nil, nil
	m.mu.Unlock()
}

// prune forgets the files that are gone.
func (m *Memo) prune(srcs []source) {
	seen := make(map[string]bool, len(srcs))
	for _, s := range srcs {
		seen[s.abs] = true
	}
	m.mu.Lock()
	for p := range m.entries {
		if !seen[p] {
			delete(m.entries, p)
		}
	}
	m.mu.Unlock()
}

// fromMemo makes the page of an unchanged file from its memo entry. Its
// document's links are as the last load resolved them: linking resolves
// them again, or keeps them (linkmemo.go).
func (s *Site) fromMemo(src source, e *parsed) *Page {
	// The URL a file's place gives it is the last load's while its root's
	// mount and its path are: made once, not on every load.
	if e.at == nil || e.at.mount != src.root.Mount || e.at.rel != src.rel {
		at := placeOf(src)
		e.at = &at
	}
	p := newPageAt(src, e.Page, e.Doc, e.at)
	p.Excerpt = e.Excerpt
	return p
}

// placed is the URL of a file at rel under a root mounted at mount, and
// whether it stands for its folder (fromMemo).
type placed struct {
	mount, rel, url string
	index           bool
}

// Irrelevant reports whether a change reported at abs (absolute, cleaned)
// cannot change the site: abs no longer exists, is inside a content root
// but not in the site's layouts or static folders, and the last walk of
// the roots (the Memo's) found neither it nor a file below it. Such is the
// temporary file a tool writes and renames over a page ("x.md.tmp",
// sed's), which the watcher reports with the page. False without a Memo
// or a walk kept.
func (s *Site) Irrelevant(abs string) bool {
	m := s.Config.Memo
	if m == nil {
		return false
	}
	if _, err := os.Lstat(abs); !errors.Is(err, fs.ErrNotExist) {
		return false
	}
	inRoot := false
	for _, r := range s.rootDirs {
		inRoot = inRoot || within(abs, r.Dir) && abs != r.Dir
	}
	for _, dir := range []string{"layouts", "static"} {
		if within(abs, filepath.Join(s.Config.Dir, dir)) {
			return false
		}
	}
	if !inRoot || isCatalogFile(filepath.Base(abs)) {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.walk == nil {
		return false
	}
	if _, found := m.walk.at[abs]; found {
		return false
	}
	below := abs + string(filepath.Separator)
	for f := range m.walk.at {
		if strings.HasPrefix(f, below) {
			return false
		}
	}
	return true
}

// within reports whether path abs is dir or below it.
func within(abs, dir string) bool {
	return abs == dir || strings.HasPrefix(abs, dir+string(filepath.Separator))
}
