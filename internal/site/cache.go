package site

import (
	"context"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
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
