package site

import (
	"context"
	"crypto/sha256"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/fastfile"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
)

// The parse cache keeps, for each Markdown file, what parsing it found
// (its typed front matter, headings, ids, links, prose, the findings of
// its own), keyed by the file's content, so that checking a site where
// few files changed parses only those. It holds no HTML: only sites
// loaded with NoHTML use it. Everything that changes how a file parses
// (handbook's binary, the schema, the roots and kinds, raw HTML) is part
// of the cache's key; a cache with another key, or one that does not
// decode, is ignored and rewritten.
//
// The cache is cacheShards gob files, so that they decode and encode on
// every core.
const cacheShards = 8

// cacheVersion changes when the layout of cached entries (parsed) does.
const cacheVersion = 3

// parsed is what parsing one Markdown file gave. A Memo keeps it for the
// next load in the same process, the parse cache on disk for the next
// check; gob encodes its exported fields.
type parsed struct {
	Page *page.Page
	Doc  *markdown.Document
	// Excerpt is the page's, found while its syntax tree was at hand.
	Excerpt string
	// Diags are the findings of the file alone.
	Diags diag.List
	// Sum is the hash of the file's content, by which the parse cache
	// knows it; BodyOff is where the Markdown body starts in the file.
	Sum     [sha256.Size]byte
	BodyOff int
	// size and mod are the file's when parsed, by which a Memo knows it.
	size int64
	mod  time.Time
	// at is where the file was placed when a Memo last made its page.
	at *placed
}

// newPage makes the site page of the file at src from what parsing it
// gave.
func (e *parsed) newPage(src source) *Page {
	p := newPage(src, e.Page, e.Doc)
	p.Excerpt = e.Excerpt
	return p
}

// cacheShard is one file of the cache.
type cacheShard struct {
	Key     string
	Entries map[string]*parsed // by file path
}

// parseCache is the cache of one load: the entries read, and those to
// write.
type parseCache struct {
	dir   string
	key   string
	ready chan struct{} // closed once old is read
	old   [cacheShards]map[string]*parsed
	mu    sync.Mutex
	new   [cacheShards]map[string]*parsed
	hits  int
	// Misses counts files parsed for want of an entry.
	misses int
}

var registerOnce sync.Once

// registerTypes tells gob the types of the YAML values that front-matter
// keys handbook does not know keep in Page.Params.
func registerTypes() {
	registerOnce.Do(func() {
		gob.Register(map[string]any{})
		gob.Register([]any{})
		gob.Register(time.Time{})
	})
}

func shardOf(path string) int {
	h := fnv.New32a()
	h.Write([]byte(path))
	return int(h.Sum32() % cacheShards)
}

// openCache starts reading the cache in dir, in the background.
func openCache(dir string, cfg Config) *parseCache {
	registerTypes()
	c := &parseCache{dir: dir, key: cacheKey(cfg), ready: make(chan struct{})}
	for i := range c.new {
		c.new[i] = map[string]*parsed{}
	}
	go func() {
		defer close(c.ready)
		_ = parallel.Each(context.Background(), cacheShards, 0, func(i int) error {
			f, err := os.Open(filepath.Join(dir, fmt.Sprintf("pages-%d.gob", i)))
			if err != nil {
				return nil
			}
			defer f.Close()
			var sh cacheShard
			if err := gob.NewDecoder(f).Decode(&sh); err == nil && sh.Key == c.key {
				for _, e := range sh.Entries {
					if e.Doc != nil {
						e.Doc.Adopt()
					}
				}
				c.old[i] = sh.Entries
			}
			return nil
		})
	}()
	return c
}

// cacheKey names everything besides a file's content that its parse
// depends on.
func cacheKey(cfg Config) string {
	h := sha256.New()
	fmt.Fprintf(h, "v%d\n%s\n%#v\n%v\n%#v\n%#v\n", cacheVersion, binaryID(), cfg.Schema, cfg.Unsafe, cfg.Roots, cfg.KindDirs)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// ResultKey names everything besides the files it reads that a check of
// the site of cfg depends on: handbook's binary and the configuration
// (the clock aside, see lint.StableUntil). It is "" for a configuration
// it cannot name.
func ResultKey(cfg Config) string {
	c := cfg
	c.Scan, c.Memo, c.Remote, c.Now, c.CacheDir = nil, nil, nil, time.Time{}, ""
	b, err := json.Marshal(struct {
		Config
		Scan bool // hides Config.Scan, a func, which JSON cannot encode
	}{Config: c})
	if err != nil {
		return ""
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n", cacheKey(cfg), b)
	return fmt.Sprintf("%x", h.Sum(nil))
}

// binaryID identifies the running handbook binary, so that a new build of
// handbook never reads what an older one parsed: a released module
// version, or a clean VCS revision, stays the same when CI installs the
// same handbook again; anything else is the executable's size and time.
func binaryID() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			return bi.GoVersion + " " + v
		}
		rev, clean := "", false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				clean = s.Value == "false"
			}
		}
		if rev != "" && clean {
			return bi.GoVersion + " " + rev
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	fi, err := os.Stat(exe)
	if err != nil {
		return exe
	}
	return fmt.Sprintf("%s %d %d", exe, fi.Size(), fi.ModTime().UnixNano())
}

// get returns the entry for a file whose content has sum, or nil.
func (c *parseCache) get(path string, sum [sha256.Size]byte) *parsed {
	<-c.ready
	e := c.old[shardOf(path)][path]
	if e == nil || e.Sum != sum {
		return nil
	}
	c.mu.Lock()
	c.hits++
	c.mu.Unlock()
	return e
}

// put records a file's entry for the next load.
func (c *parseCache) put(path string, e *parsed, hit bool) {
	c.mu.Lock()
	c.new[shardOf(path)][path] = e
	if !hit {
		c.misses++
	}
	c.mu.Unlock()
}

// stale tells whether the cache on disk differs from this load's entries.
func (c *parseCache) stale() bool {
	<-c.ready
	if c.misses > 0 {
		return true
	}
	for i := range c.old {
		if len(c.old[i]) != len(c.new[i]) {
			return true
		}
	}
	return false
}

// write saves the entries of this load, replacing each shard atomically,
// unless nothing changed. It must run before the site links its pages,
// which changes them. A cache that cannot be written is not an error: the
// next load parses again.
func (c *parseCache) write() error {
	if !c.stale() {
		return nil
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	return parallel.Each(context.Background(), cacheShards, 0, func(i int) error {
		name := filepath.Join(c.dir, fmt.Sprintf("pages-%d.gob", i))
		f, err := os.CreateTemp(c.dir, ".pages-*.tmp")
		if err != nil {
			return err
		}
		entries := make(map[string]*parsed, len(c.new[i]))
		for path, e := range c.new[i] {
			doc := *e.Doc
			doc.Source = nil // the file holds it
			e2 := *e
			e2.Doc = &doc
			entries[path] = &e2
		}
		err = gob.NewEncoder(f).Encode(cacheShard{Key: c.key, Entries: entries})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Rename(f.Name(), name)
		}
		if err != nil {
			os.Remove(f.Name())
		}
		return err
	})
}

// CacheStats returns how many files a load took from the parse cache and
// how many it parsed for want of an entry.
func CacheStats(s *Site) (hits, misses int) {
	if s.cache == nil {
		return 0, 0
	}
	return s.cache.hits, s.cache.misses
}

// A Stamp is what a load read from disk, as its files' sizes, times and
// contents, so that a later check can tell, by statting, that nothing it
// depends on changed and take its findings from the last one (handbook
// check's result cache). It covers the files of every root, the folders'
// own findings (symbolic link loops, unreadable folders), the files a
// site reads beside its roots (the catalog files, layouts/ and static/ in
// the site folder) and every path the resolution of links looked up on
// disk. A load records one only when it reads nothing else: not with git
// (review.from_git), a Memo or a Remote; see Site.Stamp.
type Stamp struct {
	// Time is when the load started: a file changed within a second of it
	// may have changed unseen, and is hashed (or counts as changed).
	Time     time.Time
	RepoRoot string
	Files    []FileStamp
	Extra    []FileStamp
	Walk     diag.List
	Probes   []Probe

	index  map[string]int // Files by path, while the load runs
	mu     sync.Mutex
	probed map[string]int8
}

// FileStamp is a file as a load found it. Mod is its modification time in
// nanoseconds; Sum, when Hashed, the SHA-256 of the content parsed. Kind
// is 0 for a missing file, 1 for a file, 2 for a folder.
type FileStamp struct {
	Path   string
	Kind   int8
	Size   int64
	Mod    int64
	Hashed bool
	Sum    [sha256.Size]byte
}

// Probe is a path the resolution of a link looked up on disk, with what
// it found (FileStamp.Kind).
type Probe struct {
	Path string
	Kind int8
}

// Stamp returns what the load read from disk, or nil when it recorded
// none (see Stamp). Only loads with a parse cache (NoHTML and CacheDir)
// record one.
func (s *Site) Stamp() *Stamp {
	st := s.stamp
	if st == nil {
		return nil
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.Probes = st.Probes[:0]
	for p, k := range st.probed {
		st.Probes = append(st.Probes, Probe{p, k})
	}
	slices.SortFunc(st.Probes, func(a, b Probe) int { return strings.Compare(a.Path, b.Path) })
	return st
}

// newStamp starts the stamp of a load of the roots.
func (s *Site) newStamp(roots []*Root) *Stamp {
	return &Stamp{Time: time.Now(), RepoRoot: s.repoRoot, Extra: extraFiles(s.Config, roots, s.repoRoot), probed: map[string]int8{}}
}

// addFiles records the files a walk found.
func (st *Stamp) addFiles(found []source) {
	if st.index == nil {
		st.index = map[string]int{}
	}
	for _, f := range found {
		st.index[f.abs] = len(st.Files)
		st.Files = append(st.Files, FileStamp{Path: f.abs, Kind: 1, Size: f.size, Mod: f.mod.UnixNano()})
	}
}

// hashed records the sum of a file's content as parsed. Files are hashed
// on several cores at once, each its own entry.
func (st *Stamp) hashed(abs string, sum [sha256.Size]byte) {
	if i, ok := st.index[abs]; ok {
		st.Files[i].Sum, st.Files[i].Hashed = sum, true
	}
}

// stat looks up abs on disk for the resolution of a link, recording what
// it found in the load's stamp, if any.
func (s *Site) stat(abs string) (fs.FileInfo, error) {
	fi, err := os.Stat(abs)
	if st := s.stamp; st != nil {
		st.mu.Lock()
		st.probed[abs] = kindOf(fi, err)
		st.mu.Unlock()
	}
	return fi, err
}

func kindOf(fi fs.FileInfo, err error) int8 {
	switch {
	case err != nil:
		return 0
	case fi.IsDir():
		return 2
	}
	return 1
}

func stampOf(p string, fi fs.FileInfo, err error) FileStamp {
	f := FileStamp{Path: p, Kind: kindOf(fi, err)}
	if f.Kind == 1 { // a folder is its entries, stamped each
		f.Size, f.Mod = fi.Size(), fi.ModTime().UnixNano()
	}
	return f
}

// extraFiles stamps the files a site reads beside its roots: the catalog
// files at the top of the site, its repository and its sources'
// repositories (catalog.go), and the layouts and static files of the site
// folder, which the theme reads (render.LoadTheme).
func extraFiles(cfg Config, roots []*Root, repo string) []FileStamp {
	var out []FileStamp
	add := func(p string) {
		fi, err := os.Stat(p)
		out = append(out, stampOf(p, fi, err))
	}
	tops := []string{cfg.Dir, repo}
	for _, r := range roots {
		if top, ok := catalogSourceTop(r); ok {
			tops = append(tops, top)
		}
	}
	for _, top := range tops {
		if top == "" {
			continue
		}
		for _, name := range topCatalogFiles {
			add(filepath.Join(top, filepath.FromSlash(name)))
		}
	}
	for _, dir := range []string{"layouts", "static"} {
		top := filepath.Join(cfg.Dir, dir)
		add(top)
		_ = filepath.WalkDir(top, func(p string, d fs.DirEntry, err error) error {
			if err == nil && p != top {
				fi, err := d.Info()
				out = append(out, stampOf(p, fi, err))
			}
			return nil
		})
	}
	return out
}

// Holds reports whether the site of cfg is as st recorded it: the same
// files under its roots, of the same sizes and times (or, for a Markdown
// file, the same content), the same files beside them, and every path a
// link's resolution looked up the same. It stats every file and reads
// only the Markdown files whose time changed.
func (st *Stamp) Holds(ctx context.Context, cfg Config) bool {
	s := &Site{Config: cfg}
	roots, err := s.roots()
	if err != nil {
		return false
	}
	s.rootDirs = roots
	s.repoRoot = repoRoot(cfg.Dir)
	if s.repoRoot != st.RepoRoot || !slices.Equal(extraFiles(cfg, roots, s.repoRoot), st.Extra) {
		return false
	}
	racy := st.Time.Add(-time.Second).UnixNano()
	for _, f := range st.Extra {
		if f.Kind != 0 && f.Mod >= racy {
			return false
		}
	}
	var found []source
	for _, r := range roots {
		files, err := s.walk(r)
		if err != nil {
			return false
		}
		found = append(found, files...)
	}
	if len(found) != len(st.Files) || !slices.Equal(s.Diags, st.Walk) {
		return false
	}
	var reread []int // Markdown files whose times changed: compared by content
	for i, f := range found {
		old := st.Files[i]
		if f.abs != old.Path || f.size != old.Size {
			return false
		}
		if mod := f.mod.UnixNano(); mod != old.Mod || mod >= racy {
			if !old.Hashed {
				return false
			}
			reread = append(reread, i)
		}
	}
	ok := parallel.Each(ctx, len(reread)+len(st.Probes), 0, func(i int) error {
		if i < len(reread) {
			f := st.Files[reread[i]]
			data, err := fastfile.ReadFile(f.Path, f.Size)
			if err != nil || sha256.Sum256(data) != f.Sum {
				return errStale
			}
			return nil
		}
		p := st.Probes[i-len(reread)]
		if fi, err := os.Stat(p.Path); kindOf(fi, err) != p.Kind {
			return errStale
		}
		return nil
	}) == nil
	return ok
}

var errStale = errors.New("changed since the stamp")
