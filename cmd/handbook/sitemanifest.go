package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httputil"
	"net/url"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/extlink"
	"github.com/handbook-dev/handbook/internal/manifest"
	"github.com/handbook-dev/handbook/internal/site"
)

// This file is check --site and serve --site: one repository of a handbook
// built from many, checked or previewed alone against the manifest of the
// full build (internal/manifest).

// siteFlags are --site and --source.
type siteFlags struct {
	manifest string // --site: a file or an http(s) URL
	source   string // --source: a source's name, "." for the site's own
}

// partSite is the site of one repository within a handbook: its config and
// what it was made from.
type partSite struct {
	cfg  site.Config
	ext  extlink.Options
	m    *manifest.Manifest
	name string // the source's name; "" for the site's own repository
	// top is the folder the source's roots are relative to, configFile
	// the handbook.yaml given with --config, if any.
	top, configFile string
}

// loadPartSite reads the manifest, works out which of its sources the
// repository at dir is, and returns the configuration that reads that
// repository's pages as the full build does: its folders mounted as the
// manifest says, positions written "name:path", and every other page
// answered by the manifest (site.Config.Remote). The repository's own
// handbook.yaml, if it has one (or configFile), gives the rest of the
// settings; its roots and sources are not used.
func loadPartSite(ctx context.Context, dir, configFile string, f siteFlags) (*partSite, error) {
	m, err := manifest.Read(ctx, f.manifest)
	if err != nil {
		return nil, usagef("--site: %v", err)
	}
	abs, err := siteFolder(dir)
	if err != nil {
		return nil, err
	}
	name, err := whichSource(m, abs, f.source)
	if err != nil {
		return nil, err
	}
	// A source's folders are relative to the top of its repository; the
	// site's own to the site folder.
	top := abs
	if name != "" {
		if out, err := runGit(abs, "rev-parse", "--show-toplevel"); err == nil && strings.TrimSpace(out) != "" {
			top = filepath.Clean(strings.TrimSpace(out))
		}
	}
	if configFile != "" && !filepath.IsAbs(configFile) {
		configFile = filepath.Join(abs, configFile)
	}
	if len(m.SiteRoots(name)) == 0 {
		return nil, usagef("--site: source %q has no folders in the manifest", shownSource(name))
	}
	ps := &partSite{m: m, name: name, top: top, configFile: configFile}
	if ps.cfg, ps.ext, err = ps.config(); err != nil {
		return nil, err
	}
	return ps, nil
}

// config reads the repository's handbook.yaml, if any, and puts in it
// what the manifest says: the roots of the source, mounted as in the
// full build, the title and base URL, and the other pages (Remote). The
// repository's own roots and sources are not used.
func (ps *partSite) config() (site.Config, extlink.Options, error) {
	cfg, ext, err := readConfig(ps.top, ps.configFile)
	if err != nil {
		return cfg, ext, err
	}
	cfg.Roots = ps.m.SiteRoots(ps.name)
	cfg.Sources = nil
	cfg.Title = ps.m.Title
	cfg.BaseURL = ps.m.BaseURL
	cfg.Remote = ps.m.Remote(ps.name)
	return cfg, ext, nil
}

// whichSource returns the name of the manifest's source that the
// repository at dir is: the one --source names ("." for the site's own),
// else the one whose repository is dir's git remote origin, else the one
// named like the top folder of the repository.
func whichSource(m *manifest.Manifest, dir, named string) (string, error) {
	list := strings.Join(m.SourceNames(), ", ")
	if named != "" {
		name := strings.TrimSpace(named)
		if name == "." {
			name = ""
		}
		if m.Source(name) == nil {
			return "", usagef("--source %q: the manifest has no such source; it has %s", named, list)
		}
		return name, nil
	}
	origin := ""
	if out, err := runGit(dir, "remote", "get-url", "origin"); err == nil {
		origin = strings.TrimSpace(out)
		if s := m.ByRepo(origin); s != nil {
			return s.Name, nil
		}
	}
	top := dir
	if out, err := runGit(dir, "rev-parse", "--show-toplevel"); err == nil && strings.TrimSpace(out) != "" {
		top = strings.TrimSpace(out)
	}
	if s := m.Source(strings.ToLower(filepath.Base(top))); s != nil && s.Name != "" {
		return s.Name, nil
	}
	why := "it has no git remote origin"
	if origin != "" {
		why = fmt.Sprintf("no source's repository is %s", origin)
	}
	return "", usagef("--site: which source of the manifest is this repository? %s, and none is named %q; name it with --source, one of %s", why, filepath.Base(top), list)
}

// shownSource is a source's name as the command line writes it.
func shownSource(name string) string {
	if name == "" {
		return "."
	}
	return name
}

// partChanged turns --changed's files, relative to the repository top,
// into the positions of the source's pages ("payments:docs/x.md").
func (ps *partSite) partChanged(only map[string]bool) map[string]bool {
	if only == nil || ps.name == "" {
		return only
	}
	out := make(map[string]bool, len(only))
	for f := range only {
		out[ps.name+":"+f] = true
	}
	return out
}

// repoFiles writes the findings' files as paths in the repository, for
// the formats that annotate the repository's files (github, sarif).
func (ps *partSite) repoFiles(list diag.List) diag.List {
	if ps.name == "" {
		return list
	}
	out := slices.Clone(list)
	for i := range out {
		out[i].Pos.File = strings.TrimPrefix(out[i].Pos.File, ps.name+":")
	}
	return out
}

// published is the address of the published site: the manifest's base
// URL when it names a host, else the folder of the manifest's URL (a build
// writes the manifest at the top of the site).
func (ps *partSite) published(from string) (*url.URL, error) {
	if u, err := url.Parse(ps.m.BaseURL); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
		return u, nil
	}
	if u, err := url.Parse(from); err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https") {
		u.Path = path.Dir(u.Path)
		if !strings.HasSuffix(u.Path, "/") {
			u.Path += "/"
		}
		u.RawQuery, u.Fragment, u.RawPath = "", "", ""
		return u, nil
	}
	return nil, usagef("--site %s: the manifest's base_url %q names no host, so the published site is unknown; give the manifest's URL on the published site", from, ps.m.BaseURL)
}

// ownsPath reports whether the site path rel ("/runbooks/payments/x/") is
// the repository's to serve: under a mount of its roots, and under no
// longer mount of another source's; or the preview's own (/__handbook/)
// and the theme's files (/assets/).
func (ps *partSite) ownsPath(rel string) bool {
	if strings.HasPrefix(rel, "/__handbook/") || strings.HasPrefix(rel, "/assets/") {
		return true
	}
	best, owner := -1, ""
	for _, s := range ps.m.Sources {
		for _, r := range s.Roots {
			if strings.HasPrefix(rel, r.Mount) && len(r.Mount) > best {
				best, owner = len(r.Mount), s.Name
			}
		}
	}
	return best >= 0 && owner == ps.name
}

// proxied serves the repository's pages from local and every other path
// from the published site at pub, whose paths start with its own base
// path where local's start with base.
func (ps *partSite) proxied(local http.Handler, base string, pub *url.URL) http.Handler {
	pubBase := pub.Path
	if !strings.HasSuffix(pubBase, "/") {
		pubBase += "/"
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			rel := strings.TrimPrefix(r.In.URL.Path, base)
			r.Out.URL.Scheme, r.Out.URL.Host = pub.Scheme, pub.Host
			r.Out.URL.Path, r.Out.URL.RawPath = pubBase+rel, ""
			r.Out.Host = pub.Host
			r.Out.Header.Del("Cookie") // the preview's, not the site's
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			http.Error(w, fmt.Sprintf("502 the published site %s did not answer: %v", pub, err), http.StatusBadGateway)
		},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if !strings.HasPrefix(p, base) || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			local.ServeHTTP(w, r)
			return
		}
		if ps.ownsPath("/" + strings.TrimPrefix(p, base)) {
			local.ServeHTTP(w, r)
			return
		}
		proxy.ServeHTTP(w, r)
	})
}

// isURL reports whether s is an http(s) URL rather than a file.
func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// manifestPath makes a --site file relative to the folder -C names, as
// git -C does; URLs are kept.
func manifestPath(dir, s string) string {
	if s == "" || isURL(s) || filepath.IsAbs(s) {
		return s
	}
	return filepath.Join(dir, s)
}

// manifestSources says, for the manifest a build writes, which ref and
// commit each source was built at, and the commit of the site's own
// repository when it is in one.
func (g *gathered) manifestSources(cfg site.Config) []manifest.Source {
	var out []manifest.Source
	if head, err := runGit(cfg.Dir, "rev-parse", "--verify", "--quiet", "HEAD"); err == nil && strings.TrimSpace(head) != "" {
		out = append(out, manifest.Source{Name: "", Commit: strings.TrimSpace(head)})
	}
	if g == nil {
		return out
	}
	for _, res := range g.results {
		out = append(out, manifest.Source{Name: res.Source.Name, Ref: res.Source.Ref, Commit: res.Commit})
	}
	return out
}
