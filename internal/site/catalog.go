package site

import (
	"cmp"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/servicecatalog"
)

// The service catalog: Backstage's catalog-info.yaml files found with the
// pages say of each service who owns it, which system it is part of,
// whether it runs in production, how to reach its on-call and which
// repository it lives in (see internal/servicecatalog).
//
// Catalog files are read
//
//   - anywhere under a content root (they are not copied to the site);
//   - at the top of the site folder, and of the git work tree holding it;
//   - at the top of each repository the site takes folders from
//     (sources:), when its copy has them; their entities name the source.
//
// At a top, .backstage/catalog-info.yaml is read too. A site built with a
// profile (the public blog) leaves the catalog out: it says nothing of
// what may be shown to whom.

// catalogNames are the names of catalog files, in lower case.
var catalogNames = []string{"catalog-info.yaml", "catalog-info.yml"}

// topCatalogFiles are the catalog files read at the top of a folder, as
// slash-separated paths.
var topCatalogFiles = []string{"catalog-info.yaml", "catalog-info.yml", ".backstage/catalog-info.yaml"}

// CatalogFiles returns the paths of the catalog files read at the top of
// the site folder, whether they exist or not (but only where their folder
// does), for a watcher: those under the content roots are watched with
// them.
func CatalogFiles(cfg Config) []string {
	var out []string
	for _, name := range topCatalogFiles {
		p := filepath.Join(cfg.Dir, filepath.FromSlash(name))
		if fi, err := os.Stat(filepath.Dir(p)); err == nil && fi.IsDir() {
			out = append(out, p)
		}
	}
	return out
}

// isCatalogFile reports whether a file's name is a catalog file's.
func isCatalogFile(name string) bool {
	return slices.Contains(catalogNames, strings.ToLower(name))
}

// catalogIndex is the service catalog of a site, and its entities by the
// slugs people name them by.
type catalogIndex struct {
	cat *servicecatalog.Catalog
	// services are the Components by the slug of their name, then of
	// their title; owners the Groups, then the Users, by the slug of their
	// name, then of their display name. A name wins over another entity's
	// title.
	services map[string]*servicecatalog.Entity
	owners   map[string]*servicecatalog.Entity
	// built holds the service pages, worked out once the site is loaded.
	once  sync.Once
	built *catalogPages
}

// readCatalog reads the catalog files of the site and takes those found
// under the roots out of the files copied beside the pages.
func (s *Site) readCatalog(roots []*Root) {
	type file struct{ abs, shown, source string }
	var files []file
	seen := map[string]bool{}
	add := func(abs, shown, source string) {
		if seen[abs] {
			return
		}
		if fi, err := os.Stat(abs); err != nil || !fi.Mode().IsRegular() {
			return
		}
		seen[abs] = true
		files = append(files, file{abs, shown, source})
	}
	atTop := func(top, shownTop, source string) {
		for _, name := range topCatalogFiles {
			abs := filepath.Join(top, filepath.FromSlash(name))
			add(abs, shownTop+name, source)
		}
	}
	atTop(s.Config.Dir, "", "")
	if s.repoRoot != "" && s.repoRoot != s.Config.Dir {
		if rel, err := filepath.Rel(s.Config.Dir, s.repoRoot); err == nil {
			atTop(s.repoRoot, filepath.ToSlash(rel)+"/", "")
		}
	}
	for _, r := range roots {
		if top, ok := catalogSourceTop(r); ok {
			atTop(top, r.Source+":", r.Source)
		}
	}
	kept := s.Files[:0]
	for _, f := range s.Files {
		if !isCatalogFile(filepath.Base(f.Source)) {
			kept = append(kept, f)
			continue
		}
		src := ""
		for _, r := range roots {
			if rel, err := filepath.Rel(r.Dir, f.Source); err == nil && filepath.IsLocal(rel) {
				src = r.Source
				break
			}
		}
		add(f.Source, s.rel(f.Source), src)
	}
	s.Files = kept

	var all []servicecatalog.Entity
	for _, f := range files {
		es, d := servicecatalog.ReadFile(f.abs, f.shown)
		for i := range es {
			es[i].Source = f.source
		}
		all = append(all, es...)
		s.Diags = append(s.Diags, d...)
	}
	if len(all) == 0 {
		return
	}
	cat, d := servicecatalog.NewCatalog(all)
	s.Diags = append(s.Diags, d...)
	ix := &catalogIndex{cat: cat, services: map[string]*servicecatalog.Entity{}, owners: map[string]*servicecatalog.Entity{}}
	put := func(m map[string]*servicecatalog.Entity, name string, e *servicecatalog.Entity) {
		if sl := Slug(name); sl != "" && m[sl] == nil {
			m[sl] = e
		}
	}
	for _, names := range []func(e *servicecatalog.Entity) (string, bool){
		func(e *servicecatalog.Entity) (string, bool) { return e.Name, e.Is("Component") },
		func(e *servicecatalog.Entity) (string, bool) { return e.Title, e.Is("Component") },
	} {
		for _, e := range cat.Entities {
			if n, ok := names(e); ok {
				put(ix.services, n, e)
			}
		}
	}
	for _, pass := range []struct {
		kind string
		name func(e *servicecatalog.Entity) string
	}{
		{"Group", func(e *servicecatalog.Entity) string { return e.Name }},
		{"User", func(e *servicecatalog.Entity) string { return e.Name }},
		{"Group", func(e *servicecatalog.Entity) string { return cmp.Or(e.Profile.DisplayName, e.Title) }},
		{"User", func(e *servicecatalog.Entity) string { return cmp.Or(e.Profile.DisplayName, e.Title) }},
	} {
		for _, e := range cat.Entities {
			if e.Is(pass.kind) {
				put(ix.owners, pass.name(e), e)
			}
		}
	}
	s.catalog = ix
}

// catalogSourceTop returns the top of the repository a root of a source
// is a folder of.
func catalogSourceTop(r *Root) (string, bool) {
	if r.Source == "" {
		return "", false
	}
	rp := strings.Trim(r.RepoPath, "/")
	if rp == "" || rp == "." {
		return r.Dir, true
	}
	suffix := string(filepath.Separator) + filepath.FromSlash(rp)
	top, ok := strings.CutSuffix(filepath.Clean(r.Dir), suffix)
	return top, ok && top != ""
}

// shownCatalog is the site's catalog index, or nil when it has none or is
// built with a profile.
func (s *Site) shownCatalog() *catalogIndex {
	if s.Config.Profile != nil {
		return nil
	}
	return s.catalog
}

// Catalog returns the service catalog the site read, or nil when it found
// none or is built with a profile.
func (s *Site) Catalog() *servicecatalog.Catalog {
	if ix := s.shownCatalog(); ix != nil {
		return ix.cat
	}
	return nil
}

// ServiceInfo returns the catalog's Component for the service called
// name: the one whose metadata.name, else whose title, has name's slug
// (so case and punctuation do not matter); nil when there is none.
func (s *Site) ServiceInfo(name string) *servicecatalog.Entity {
	if ix := s.shownCatalog(); ix != nil {
		return ix.services[Slug(name)]
	}
	return nil
}

// OwnerInfo returns the catalog's Group, else User, for the owner called
// name, matched as ServiceInfo matches (by name, then display name or
// title); nil when there is none.
func (s *Site) OwnerInfo(name string) *servicecatalog.Entity {
	if ix := s.shownCatalog(); ix != nil {
		return ix.owners[Slug(name)]
	}
	return nil
}

// ServiceURL returns the site path of the service page of a Component of
// the catalog: the page of the service that pages name and that it
// matches (ServiceInfo), else its own page when it runs
// (Entity.IsService); "" when it has none. The site must be loaded.
func (s *Site) ServiceURL(e *servicecatalog.Entity) string {
	if ix := s.shownCatalog(); ix != nil && e != nil {
		return ix.pages(s).urls[e]
	}
	return ""
}

// CatalogServices returns the names of the services only the catalog
// knows: Components that run (Entity.IsService) and that match no service
// a published page names, sorted by slug. Each has a service page. The
// site must be loaded.
func (s *Site) CatalogServices() []string {
	if ix := s.shownCatalog(); ix != nil {
		return ix.pages(s).only
	}
	return nil
}

// catalogPages are the service pages of the catalog's Components.
type catalogPages struct {
	urls map[*servicecatalog.Entity]string
	only []string
}

// pages works out the service pages of the catalog's Components once the
// site's services are known, on first use.
func (ix *catalogIndex) pages(s *Site) *catalogPages {
	ix.once.Do(func() {
		p := &catalogPages{urls: map[*servicecatalog.Entity]string{}}
		taken := map[string]bool{}
		for _, g := range s.services {
			taken[g.Slug] = true
			if e := ix.services[g.Slug]; e != nil && p.urls[e] == "" {
				p.urls[e] = "/services/" + g.Slug + "/"
			}
		}
		for _, e := range ix.cat.Entities {
			sl := Slug(e.Name)
			if e.IsService() && p.urls[e] == "" && !taken[sl] && sl != "" {
				taken[sl] = true
				p.urls[e] = "/services/" + sl + "/"
				p.only = append(p.only, e.Name)
			}
		}
		slices.SortFunc(p.only, func(a, b string) int { return cmp.Compare(Slug(a), Slug(b)) })
		ix.built = p
	})
	return ix.built
}

// OwnedServices returns the Components with a service page (ServiceURL)
// whose spec.owner is the owner called name: its entity (OwnerInfo) or,
// when the catalog does not describe it, any entity of that name; sorted
// by name. The site must be loaded.
func (s *Site) OwnedServices(name string) []*servicecatalog.Entity {
	ix := s.shownCatalog()
	if ix == nil {
		return nil
	}
	o := s.OwnerInfo(name)
	var out []*servicecatalog.Entity
	for _, e := range ix.cat.Entities {
		if !e.Is("Component") || e.Owner.IsZero() {
			continue
		}
		mine := o != nil && e.Owner.Key() == o.Ref().Key() || o == nil && Slug(e.Owner.Name) == Slug(name)
		if mine && s.ServiceURL(e) != "" {
			out = append(out, e)
		}
	}
	slices.SortFunc(out, func(a, b *servicecatalog.Entity) int {
		return cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out
}

// CatalogOwners returns the names of the owners of the services of the
// catalog (OwnedServices) that no published page names as its owner,
// sorted by slug: each has an owner page. The site must be loaded.
func (s *Site) CatalogOwners() []string {
	ix := s.shownCatalog()
	if ix == nil {
		return nil
	}
	taken := map[string]bool{}
	for _, g := range s.owners {
		taken[g.Slug] = true
	}
	var out []string
	for _, e := range ix.cat.Entities {
		if !e.Is("Component") || e.Owner.IsZero() {
			continue
		}
		name := e.Owner.Name
		if o := ix.cat.Lookup(e.Owner); o != nil {
			name = o.Name
		}
		sl := Slug(name)
		if sl == "" || taken[sl] || s.ServiceURL(e) == "" {
			continue
		}
		taken[sl] = true
		out = append(out, name)
	}
	slices.SortFunc(out, func(a, b string) int { return cmp.Compare(Slug(a), Slug(b)) })
	return out
}

// SourceRepo returns the web address of the repository the site takes
// folders from under the name source (sources:), or "".
func (s *Site) SourceRepo(source string) string {
	for _, r := range s.rootDirs {
		if r.Source == source && source != "" && r.Repo != "" {
			return r.Repo
		}
	}
	return ""
}
