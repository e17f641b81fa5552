package extlink

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

const cacheVersion = 1

// cacheFile is the cache file, described in the package documentation.
type cacheFile struct {
	Version int                   `json:"version"`
	Entries map[string]cacheEntry `json:"entries"`
}

type cacheEntry struct {
	Status    Status    `json:"status"`
	Code      int       `json:"code,omitempty"`
	Reason    string    `json:"reason,omitempty"`
	Final     string    `json:"final,omitempty"`
	Redirects int       `json:"redirects,omitempty"`
	CheckedAt time.Time `json:"checked_at"`
}

// loadCache returns the unexpired entries of the cache file, keyed by
// request URL; none when there is no file or it is unreadable.
func (c *checker) loadCache() map[string]cacheEntry {
	entries := map[string]cacheEntry{}
	path := c.opts.CachePath
	if path == "" {
		return entries
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return entries
	}
	if err != nil {
		c.warn(fmt.Errorf("link cache: %w", err))
		return entries
	}
	loaded, err := parseCache(data)
	if err != nil {
		c.warn(fmt.Errorf("%s: %w: %v", path, ErrCacheCorrupt, err))
		return entries
	}
	now := c.opts.Now()
	for key, e := range loaded {
		age := now.Sub(e.CheckedAt)
		if ttl := c.ttl[e.Status]; age >= 0 && age < ttl {
			entries[key] = e
		}
	}
	return entries
}

func parseCache(data []byte) (map[string]cacheEntry, error) {
	var f cacheFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.Version != cacheVersion {
		return nil, fmt.Errorf("version %d, want %d", f.Version, cacheVersion)
	}
	return f.Entries, nil
}

// cached returns the cached verdict on key, unless Accept now judges its
// status code differently.
func (c *checker) cached(cache map[string]cacheEntry, key string) (Result, bool) {
	e, ok := cache[key]
	if !ok || e.Code != 0 && c.accepted(e.Code) != (e.Status == OK) {
		return Result{}, false
	}
	r := Result{Status: e.Status, Code: e.Code, Reason: e.Reason, Final: e.Final, Redirects: e.Redirects, Cached: true}
	if r.Final == "" {
		r.Final = key
	}
	return r, true
}

// store caches r under key if its status is cached at all and it is not
// an answer that may change within minutes.
func (c *checker) store(cache map[string]cacheEntry, key string, r Result) {
	if c.ttl[r.Status] <= 0 || r.Code == 429 || r.Code >= 500 {
		delete(cache, key)
		return
	}
	cache[key] = cacheEntry{
		Status:    r.Status,
		Code:      r.Code,
		Reason:    r.Reason,
		Final:     r.Final,
		Redirects: r.Redirects,
		CheckedAt: c.opts.Now().UTC(),
	}
}

// saveCache writes the cache file, whole or not at all.
func (c *checker) saveCache(cache map[string]cacheEntry) {
	path := c.opts.CachePath
	if path == "" {
		return
	}
	if err := writeCache(path, cacheFile{Version: cacheVersion, Entries: cache}); err != nil {
		c.warn(fmt.Errorf("link cache: %w", err))
	}
}

func writeCache(path string, f cacheFile) error {
	data, err := json.MarshalIndent(f, "", "\t")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	_, err = tmp.Write(append(data, '\n'))
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
