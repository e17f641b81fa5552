package render

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/servicecatalog"
	"github.com/handbook-dev/handbook/internal/site"
)

// ServiceView is what the service catalog says of a service, for its
// page's facts.
type ServiceView struct {
	Description string
	Type        string
	Lifecycle   string
	// Owner links to the owner's page, titled with its display name.
	Owner *Link
	// System is the display name of the system the service is part of.
	System string
	// OnCall are the ways to reach its on-call; a WebLink without URL is
	// named only.
	OnCall []WebLink
	// Links are its other links: dashboards, runbooks elsewhere, the
	// repository.
	Links []WebLink
	// DependsOn are the entities it depends on, linked to their service
	// pages when they have one.
	DependsOn []Link
	// APIs are the APIs it provides.
	APIs []string
	// Repository is the repository of the handbook's sources the
	// service's catalog file came from; nil for the handbook's own.
	Repository *WebLink
	// File is where the catalog describes it ("payments:catalog-info.yaml").
	File string
}

// OwnerView is what the service catalog says of an owner (a Group or a
// User), for its page's facts.
type OwnerView struct {
	DisplayName string
	Email       string
	Description string
	// Parent is the display name of the group above it.
	Parent string
	// Services are the services it owns, linked to their pages.
	Services []Link
	File     string
}

// WebLink is a link out of the site, or a name when URL is "".
type WebLink struct {
	Title string
	URL   string
}

// withCatalog returns groups and a group for each of names (the services
// or owners only the catalog knows), sorted by slug; groups itself when
// names is empty.
func withCatalog(groups []site.Group, names []string) []site.Group {
	if len(names) == 0 {
		return groups
	}
	out := slices.Clone(groups)
	for _, n := range names {
		out = append(out, site.Group{Name: n, Slug: site.Slug(n)})
	}
	slices.SortFunc(out, func(a, b site.Group) int { return cmp.Compare(a.Slug, b.Slug) })
	return out
}

// href is a site path under the base path.
func (r *Renderer) href(u string) string { return r.info.BasePath + strings.TrimPrefix(u, "/") }

// serviceFacts adds to the page of service g what the catalog says of it.
func (r *Renderer) serviceFacts(l *List, g site.Group) {
	s := r.Site
	e := s.ServiceInfo(g.Name)
	if e == nil {
		return
	}
	cat := s.Catalog()
	v := &ServiceView{Description: e.Description, Type: e.Type, Lifecycle: e.Lifecycle, File: e.Pos.File}
	if !e.Owner.IsZero() {
		name, title := e.Owner.Name, e.Owner.Name
		if o := cat.Lookup(e.Owner); o != nil {
			name, title = o.Name, o.DisplayName()
		}
		v.Owner = &Link{Title: title}
		if sl := site.Slug(name); sl != "" {
			v.Owner.URL = "/owners/" + sl + "/"
			v.Owner.Href = r.href(v.Owner.URL)
		}
	}
	if !e.System.IsZero() {
		v.System = e.System.Name
		if sys := cat.Lookup(e.System); sys != nil {
			v.System = sys.DisplayName()
		}
	}
	v.OnCall = webLinks(e.OnCall())
	v.Links = webLinks(e.OtherLinks())
	for _, ref := range e.DependsOn {
		d := Link{Title: ref.Name}
		if t := cat.Lookup(ref); t != nil {
			d.Title = t.DisplayName()
			if u := s.ServiceURL(t); u != "" {
				d.URL, d.Href = u, r.href(u)
			}
		}
		v.DependsOn = append(v.DependsOn, d)
	}
	for _, ref := range e.ProvidesAPIs {
		name := ref.Name
		if a := cat.Lookup(ref); a != nil {
			name = a.DisplayName()
		}
		v.APIs = append(v.APIs, name)
	}
	if e.Source != "" {
		v.Repository = &WebLink{Title: e.Source, URL: s.SourceRepo(e.Source)}
	}
	l.Service = v
	if len(g.Pages) == 0 {
		l.Lead = "Known from the service catalog; no page of the handbook is about it yet."
	}
}

// ownerFacts adds to the page of owner g what the catalog says of it and
// the services it owns.
func (r *Renderer) ownerFacts(l *List, g site.Group) {
	s := r.Site
	o := s.OwnerInfo(g.Name)
	owned := s.OwnedServices(g.Name)
	if o == nil && len(owned) == 0 {
		return
	}
	v := &OwnerView{}
	if o != nil {
		v.Email, v.Description, v.File = o.Profile.Email, o.Description, o.Pos.File
		if n := o.DisplayName(); n != g.Name {
			v.DisplayName = n
		}
		if !o.Parent.IsZero() {
			v.Parent = o.Parent.Name
			if p := s.Catalog().Lookup(o.Parent); p != nil {
				v.Parent = p.DisplayName()
			}
		}
	}
	for _, e := range owned {
		u := s.ServiceURL(e)
		v.Services = append(v.Services, Link{Title: cmp.Or(e.Title, e.Name), URL: u, Href: r.href(u)})
	}
	l.Owner = v
	if len(g.Pages) == 0 {
		l.Lead = fmt.Sprintf("Known from the service catalog: owns %d %s.", len(owned), plural(len(owned), "service"))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// webLinks turns catalog links into the page's, titled with their title,
// else their type, else their address, each address once.
func webLinks(ls []servicecatalog.Link) []WebLink {
	var out []WebLink
	seen := map[string]bool{}
	for _, l := range ls {
		if l.URL != "" && seen[l.URL] {
			continue
		}
		seen[l.URL] = true
		out = append(out, WebLink{Title: cmp.Or(l.Title, l.Type, l.URL), URL: l.URL})
	}
	return out
}
