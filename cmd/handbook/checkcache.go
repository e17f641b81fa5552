package main

import (
	"context"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/site"
)

// The result cache keeps the findings of the last check beside the parse
// cache, with what they were found from (site.Stamp): every file of the
// site by size and time, the files beside it that the site reads and the
// paths links were looked up at. A check whose binary, configuration and
// flags are the same, whose clock has not passed the time a runbook's
// review state would change (lint.StableUntil) and whose files all stat
// as recorded (a Markdown file whose time changed is read and hashed)
// prints those findings without loading the site. Anything else loads the
// site, with the parse cache, and records the result anew.

// checkResultFile is the result cache's file in the check cache.
const checkResultFile = "result.gob"

// checkResult is what the result cache holds.
type checkResult struct {
	Key   string
	Now   time.Time // the run's clock
	Until time.Time // when the clock alone could change the findings
	Stamp *site.Stamp
	Pages int
	Diags diag.List // settled
}

// resultKey names the binary, configuration and configuration file a
// check of cfg depends on, or "" when there is no naming them.
func resultKey(cfg site.Config, configFile string) string {
	k := site.ResultKey(cfg)
	if k == "" {
		return ""
	}
	if configFile == "" {
		configFile = filepath.Join(cfg.Dir, "handbook.yaml")
	} else if !filepath.IsAbs(configFile) {
		configFile = filepath.Join(cfg.Dir, configFile)
	}
	data, err := os.ReadFile(configFile)
	if err != nil && !os.IsNotExist(err) {
		return ""
	}
	return fmt.Sprintf("%s %x", k, sha256.Sum256(data))
}

// cachedResult returns the findings and page count of the last check of
// cfg, if nothing they depend on changed since.
func cachedResult(ctx context.Context, cfg site.Config, key string) (*checkResult, bool) {
	if key == "" {
		return nil, false
	}
	f, err := os.Open(filepath.Join(cfg.CacheDir, checkResultFile))
	if err != nil {
		return nil, false
	}
	defer f.Close()
	var r checkResult
	if err := gob.NewDecoder(f).Decode(&r); err != nil || r.Key != key || r.Stamp == nil {
		return nil, false
	}
	if cfg.Now.Before(r.Now) || !cfg.Now.Before(r.Until) || !r.Stamp.Holds(ctx, cfg) {
		return nil, false
	}
	return &r, true
}

// saveResult records the findings of a check that loaded the site s, when
// the load stamped what it read. A result that cannot be saved is not an
// error: the next check loads the site.
func saveResult(s *site.Site, key string, diags diag.List) {
	st := s.Stamp()
	if key == "" || st == nil || s.Config.CacheDir == "" {
		return
	}
	r := checkResult{Key: key, Now: s.Config.Now, Until: lint.StableUntil(s), Stamp: st, Pages: len(s.Pages), Diags: diags}
	dir := s.Config.CacheDir
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp, err := os.CreateTemp(dir, ".result-*.tmp")
	if err != nil {
		return
	}
	err = gob.NewEncoder(tmp).Encode(&r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(dir, checkResultFile))
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
}
