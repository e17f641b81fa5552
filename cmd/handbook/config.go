package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/extlink"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// fileConfig is handbook.yaml. Every key is optional.
type fileConfig struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	BaseURL     string `yaml:"base_url"`
	Language    string `yaml:"language"`
	Roots       []struct {
		Dir   string `yaml:"dir"`
		Mount string `yaml:"mount"`
		Kind  string `yaml:"kind"`
	} `yaml:"roots"`
	Kinds    map[string]string `yaml:"kinds"`
	Markdown struct {
		Unsafe bool `yaml:"unsafe"`
	} `yaml:"markdown"`
	Postmortem struct {
		Severities []string `yaml:"severities"`
		// BlameWords replace the phrases blameless-language reports.
		BlameWords []string `yaml:"blame_words"`
	} `yaml:"postmortem"`
	// ExtraFields are front-matter keys pages may carry for layouts.
	ExtraFields []string `yaml:"extra_fields"`
	Public      struct {
		InternalHosts []string `yaml:"internal_hosts"`
		AllowedEmails []string `yaml:"allowed_emails"`
	} `yaml:"public"`
	Check struct {
		External externalConfig `yaml:"external"`
	} `yaml:"check"`

	Radar struct {
		Rings     []string `yaml:"rings"`
		Quadrants []string `yaml:"quadrants"`
	} `yaml:"radar"`
	// Rules sets a rule's severity: error, warning, info or off.
	Visibility string                   `yaml:"visibility"`
	Rules      map[string]string        `yaml:"rules"`
	Profiles   map[string]profileConfig `yaml:"profiles"`
	// Imported are globs of files whose house-rule findings are info.
	Imported []string `yaml:"imported"`
}

var yamlErrLine = regexp.MustCompile(`line (\d+): `)

// profileConfig is one profile of handbook.yaml; see site.Profile.
type profileConfig struct {
	BaseURL        string              `yaml:"base_url"`
	Title          string              `yaml:"title"`
	Description    string              `yaml:"description"`
	Visibility     []string            `yaml:"visibility"`
	Kinds          []string            `yaml:"kinds"`
	Status         map[string][]string `yaml:"status"`
	InternalFields []string            `yaml:"internal_fields"`
	OtherPagesAt   string              `yaml:"other_pages_at"`
}

// loadConfig returns the site configuration for the site folder dir, read
// from file (or dir/handbook.yaml when file is "" and it exists).
func loadConfig(dir, file string) (site.Config, error) {
	cfg, _, err := readConfig(dir, file)
	return cfg, err
}

// readConfig is loadConfig that also returns the settings of check
// --external.
func readConfig(dir, file string) (site.Config, extlink.Options, error) {
	var ext extlink.Options
	cfg, fc, shown, err := readFileConfig(dir, file)
	if err != nil {
		return cfg, ext, err
	}
	if ext, err = fc.Check.External.options(cfg.Dir); err != nil {
		return cfg, ext, usagef("%s: check.external: %v", shown, err)
	}
	return cfg, ext, nil
}

// readFileConfig reads handbook.yaml into the site configuration; it also
// returns the file as decoded and its name as messages show it.
func readFileConfig(dir, file string) (site.Config, fileConfig, string, error) {
	var fc fileConfig
	shown := "handbook.yaml"
	abs, err := filepath.Abs(dir)
	if err != nil {
		return site.Config{}, fc, shown, usagef("site folder: %v", err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return site.Config{}, fc, shown, usagef("site folder: %v", err)
	} else if !fi.IsDir() {
		return site.Config{}, fc, shown, usagef("site folder %s is not a folder", dir)
	}
	cfg := site.DefaultConfig(abs)
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		if n, err := strconv.ParseInt(epoch, 10, 64); err == nil {
			cfg.Now = time.Unix(n, 0).UTC()
		}
	}
	explicit := file != ""
	if !explicit {
		file = filepath.Join(abs, "handbook.yaml")
	} else if !filepath.IsAbs(file) {
		file = filepath.Join(abs, file)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		if !explicit && errors.Is(err, fs.ErrNotExist) {
			return cfg, fc, shown, nil
		}
		return cfg, fc, shown, usagef("config: %v", err)
	}
	shown = file
	if r, err := filepath.Rel(abs, file); err == nil && !strings.HasPrefix(r, "..") {
		shown = filepath.ToSlash(r)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) { // an empty file is fine
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
		line := "1"
		if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
			line = m[1]
			msg = strings.Replace(msg, m[0], "", 1)
		}
		msg = strings.ReplaceAll(msg, "in type main.fileConfig", "in handbook.yaml")
		msg = strings.ReplaceAll(msg, "in type main.externalConfig", "in check.external")
		return cfg, fc, shown, usagef("%s:%s:1: %s", shown, line, strings.ReplaceAll(msg, "\n  ", "; "))
	}
	at := func(format string, args ...any) error {
		return usagef("%s: %s", shown, fmt.Sprintf(format, args...))
	}
	if fc.Title != "" {
		cfg.Title = fc.Title
	}
	cfg.Description = fc.Description
	if fc.BaseURL != "" {
		cfg.BaseURL = fc.BaseURL
	}
	if fc.Language != "" {
		cfg.Language = fc.Language
	}
	if len(fc.Roots) > 0 {
		cfg.Roots = nil
		for _, r := range fc.Roots {
			if r.Dir == "" {
				return cfg, fc, shown, at("roots: every root needs a dir")
			}
			root := site.Root{Dir: r.Dir, Mount: r.Mount}
			if root.Mount == "" {
				root.Mount = "/"
			}
			if r.Kind != "" {
				k, ok := page.ParseKind(r.Kind)
				if !ok {
					return cfg, fc, shown, at("roots: unknown kind %q for %s", r.Kind, r.Dir)
				}
				root.Kind = k
			}
			cfg.Roots = append(cfg.Roots, root)
		}
	}
	for dirName, kind := range fc.Kinds {
		k, ok := page.ParseKind(kind)
		if !ok {
			return cfg, fc, shown, at("kinds: unknown kind %q for folder %s", kind, dirName)
		}
		cfg.KindDirs[strings.ToLower(dirName)] = k
	}
	cfg.Unsafe = fc.Markdown.Unsafe
	if len(fc.Postmortem.Severities) > 0 {
		cfg.Schema.Severities = fc.Postmortem.Severities
	}
	if len(fc.Radar.Rings) > 0 {
		cfg.Schema.Rings = fc.Radar.Rings
	}
	if len(fc.Radar.Quadrants) > 0 {
		cfg.Schema.Quadrants = fc.Radar.Quadrants
		cfg.Schema.OpenQuadrants = false
	}
	if fc.Postmortem.BlameWords != nil {
		cfg.Check.BlameWords = fc.Postmortem.BlameWords
	}
	for _, f := range fc.ExtraFields {
		cfg.Schema.ExtraFields = append(cfg.Schema.ExtraFields, strings.ToLower(f))
	}
	cfg.Check.InternalHosts = fc.Public.InternalHosts
	cfg.Check.AllowedEmails = fc.Public.AllowedEmails
	for _, pats := range [][]string{fc.Public.InternalHosts, fc.Public.AllowedEmails} {
		for _, pat := range pats {
			if _, err := path.Match(pat, ""); err != nil {
				return cfg, fc, shown, at("public: pattern %q is not a valid glob: %v", pat, err)
			}
		}
	}
	switch fc.Visibility {
	case "", "internal", "public":
		cfg.Schema.Visibility = fc.Visibility
	default:
		return cfg, fc, shown, at("visibility: %q is neither internal nor public", fc.Visibility)
	}
	for name, pc := range fc.Profiles {
		pr := &site.Profile{Name: name, BaseURL: pc.BaseURL, Title: pc.Title, Description: pc.Description, Visibility: pc.Visibility, InternalFields: pc.InternalFields, OtherPagesAt: pc.OtherPagesAt}
		if pc.OtherPagesAt != "" {
			if u, err := url.Parse(pc.OtherPagesAt); err != nil || u.Scheme == "" || u.Host == "" {
				return cfg, fc, shown, at("profiles: %s: other_pages_at %q is not an absolute URL", name, pc.OtherPagesAt)
			}
			pr.OtherPagesAt = strings.TrimSuffix(pc.OtherPagesAt, "/") + "/"
		}
		def := site.PublicProfile()
		if pr.Visibility == nil {
			pr.Visibility = def.Visibility
		}
		if pr.InternalFields == nil {
			pr.InternalFields = def.InternalFields
		}
		for _, k := range pc.Kinds {
			kind, ok := page.ParseKind(k)
			if !ok {
				return cfg, fc, shown, at("profiles: %s: unknown kind %q", name, k)
			}
			pr.Kinds = append(pr.Kinds, kind)
		}
		if pc.Status == nil {
			pr.Status = def.Status
		} else {
			pr.Status = map[page.Kind][]string{}
			for k, st := range pc.Status {
				kind, ok := page.ParseKind(k)
				if !ok {
					return cfg, fc, shown, at("profiles: %s: status: unknown kind %q", name, k)
				}
				pr.Status[kind] = st
			}
		}
		if pr.BaseURL != "" {
			if u, err := url.Parse(pr.BaseURL); err != nil || u.Scheme != "" && u.Host == "" {
				return cfg, fc, shown, at("profiles: %s: base_url %q is not a URL", name, pr.BaseURL)
			}
		}
		if cfg.Profiles == nil {
			cfg.Profiles = map[string]*site.Profile{}
		}
		cfg.Profiles[name] = pr
	}
	for _, g := range fc.Imported {
		clean := path.Clean(strings.TrimPrefix(filepath.ToSlash(g), "./"))
		if g == "" || clean == "." || path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") {
			return cfg, fc, shown, at("imported: %q is not a glob of paths inside the site root, such as content/legacy/**", g)
		}
		if _, err := path.Match(clean, ""); err != nil {
			return cfg, fc, shown, at("imported: pattern %q is not a valid glob: %v", g, err)
		}
		cfg.Imported = append(cfg.Imported, clean)
	}
	for rule, sev := range fc.Rules {
		if _, ok := lint.Lookup(rule); !ok {
			return cfg, fc, shown, at("rules: unknown rule %q; the rules are listed by handbook check --help", rule)
		}
		if sev != "off" {
			if _, ok := diag.ParseSeverity(sev); !ok {
				return cfg, fc, shown, at("rules: %s: severity %q is not error, warning, info or off", rule, sev)
			}
		}
		if cfg.Rules == nil {
			cfg.Rules = map[string]string{}
		}
		cfg.Rules[rule] = sev
	}
	return cfg, fc, shown, nil
}
