package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/extlink"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/progress"
	"github.com/handbook-dev/handbook/internal/site"
)

// externalConfig is check.external in handbook.yaml: how --external checks
// links to other sites.
type externalConfig struct {
	// Ignore are regular expressions of URLs not to check.
	Ignore []string `yaml:"ignore"`
	// IgnoreFile holds more, one per line (default .handbook-linkignore,
	// when it exists).
	IgnoreFile    string `yaml:"ignore_file"`
	Accept        []int  `yaml:"accept"`
	PerHost       int    `yaml:"per_host"`
	Concurrency   int    `yaml:"concurrency"`
	Spacing       string `yaml:"spacing"`
	Retries       int    `yaml:"retries"`
	Timeout       string `yaml:"timeout"`
	Budget        string `yaml:"budget"`
	MaxRetryAfter string `yaml:"max_retry_after"`
	// Cache is the cache file (default .handbook-cache/links.json; "off"
	// for none); CacheTTL sets lifetimes by verdict: ok, broken,
	// unverifiable.
	Cache    *string           `yaml:"cache"`
	CacheTTL map[string]string `yaml:"cache_ttl"`
}

// defaultIgnoreFile and defaultLinkCache are where --external looks for its
// ignore list and keeps its cache, relative to the site folder.
const (
	defaultIgnoreFile = ".handbook-linkignore"
	defaultLinkCache  = ".handbook-cache/links.json"
)

// options turns the configuration into the checker's options; dir is the
// site folder that relative paths start from.
func (c externalConfig) options(dir string) (extlink.Options, error) {
	var o extlink.Options
	var err error
	dur := func(name, s string) time.Duration {
		if s == "" || err != nil {
			return 0
		}
		d, e := parseDuration(s)
		if e != nil {
			err = fmt.Errorf("%s: %v", name, e)
		}
		return d
	}
	o.Spacing = dur("spacing", c.Spacing)
	o.Timeout = dur("timeout", c.Timeout)
	o.Budget = dur("budget", c.Budget)
	o.MaxRetryAfter = dur("max_retry_after", c.MaxRetryAfter)
	if err != nil {
		return o, err
	}
	o.PerHost, o.Concurrency, o.Retries, o.Accept = c.PerHost, c.Concurrency, c.Retries, c.Accept
	for _, code := range c.Accept {
		if code < 100 || code > 999 {
			return o, fmt.Errorf("accept: %d is not an HTTP status", code)
		}
	}
	for i, p := range c.Ignore {
		re, e := regexp.Compile(p)
		if e != nil {
			return o, fmt.Errorf("ignore[%d]: %q is not a regular expression: %v", i, p, e)
		}
		o.Ignore = append(o.Ignore, re)
	}
	file, explicit := c.IgnoreFile, c.IgnoreFile != ""
	if !explicit {
		file = defaultIgnoreFile
	}
	if !filepath.IsAbs(file) {
		file = filepath.Join(dir, file)
	}
	res, e := extlink.LoadIgnoreFile(file)
	switch {
	case e == nil:
		o.Ignore = append(o.Ignore, res...)
	case explicit || !errors.Is(e, fs.ErrNotExist):
		return o, fmt.Errorf("ignore_file: %v", e)
	}
	cache := defaultLinkCache
	if c.Cache != nil {
		cache = *c.Cache
	}
	if cache != "" && cache != "off" {
		if !filepath.IsAbs(cache) {
			cache = filepath.Join(dir, cache)
		}
		o.CachePath = cache
	}
	for name, s := range c.CacheTTL {
		var st extlink.Status
		if e := st.UnmarshalText([]byte(name)); e != nil || st == extlink.Ignored {
			return o, fmt.Errorf("cache_ttl: %q is not ok, broken or unverifiable", name)
		}
		d := dur("cache_ttl."+name, s)
		if err != nil {
			return o, err
		}
		if o.CacheTTL == nil {
			o.CacheTTL = map[extlink.Status]time.Duration{}
		}
		o.CacheTTL[st] = d
	}
	return o, nil
}

// parseDuration reads Go durations ("90s", "1h30m") and whole days ("7d").
func parseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if days, err := strconv.Atoi(n); err == nil && days >= 0 {
			return time.Duration(days) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration such as 30s, 5m or 7d", s)
	}
	return d, nil
}

// externalLink is a link to another site, where it is written.
type externalLink struct {
	page *site.Page
	link *markdown.Link
}

// checkExternal checks every http(s) link of the published pages and
// reports the broken ones (external-link) and those the site would not let
// us verify (external-unverifiable).
//
// With only (--changed), only the links of those files are checked.
func checkExternal(ctx context.Context, s *site.Site, opts extlink.Options, only map[string]bool, stderr io.Writer, quiet bool) (diag.List, error) {
	var links []externalLink
	var urls []string
	for _, p := range s.Published() {
		if only != nil && !only[p.Path] {
			continue
		}
		for _, l := range p.Doc.Links {
			u, err := url.Parse(l.Dest)
			// http, https, and //host/path (checked as https).
			if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "") {
				continue
			}
			links = append(links, externalLink{p, l})
			urls = append(urls, l.Dest)
		}
	}
	opts.Warn = func(err error) {
		fmt.Fprintf(stderr, "handbook: link cache: %v\n", err)
	}
	// On a terminal, a long check shows the links checked of all.
	var line *progress.Line
	if !quiet {
		line = progress.New(stderr)
	}
	opts.Progress = func(done, total int) {
		if done == 0 {
			line.Phase("checking external links", total)
		} else {
			line.Add(1)
		}
	}
	start := time.Now()
	results := extlink.Check(ctx, urls, opts)
	line.Done()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out diag.List
	counts := map[extlink.Status]int{}
	cached := 0
	for _, r := range results {
		counts[r.Status]++
		if r.Cached {
			cached++
		}
	}
	for _, el := range links {
		r, ok := results[el.link.Dest]
		if !ok {
			continue
		}
		pos := diag.Position{File: el.page.Path, Line: el.link.Line, Col: el.link.Col}
		switch r.Status {
		case extlink.Broken:
			out.Errorf(pos, "external-link", "link to %s is broken: %s; fix or remove the link", el.link.Dest, r.Reason)
		case extlink.Unverifiable:
			out.Warnf(pos, "external-unverifiable", "link to %s could not be verified: %s; check it by hand, or accept its status under check.external.accept", el.link.Dest, r.Reason)
		}
	}
	if !quiet {
		fmt.Fprintf(stderr, "checked %d external links to %d URLs (%d from the cache) in %s: %d broken, %d unverifiable, %d ignored\n",
			len(links), len(results), cached, time.Since(start).Round(time.Millisecond), counts[extlink.Broken], counts[extlink.Unverifiable], counts[extlink.Ignored])
	}
	return out, nil
}
