package site

import (
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/githistory"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
)

// Profile selects the pages a build publishes, so that one repository
// gives sites for different readers: the public blog of an internal
// handbook. A site loaded with a profile is the site of its pages alone:
// the others are read (so that links to them resolve) and then left out
// entirely. Links and [[references]] to them become plain text, and
// front-matter relations to them are dropped, each reported as
// public-internal-link; backlinks, relations, indexes, service, tag and
// owner pages, the feed, the sitemap and the search index are made of the
// profile's pages only; files beside pages are copied only when a page of
// the profile links to them; and the profile's internal fields are emptied
// before anything renders them.
type Profile struct {
	// Name is the profile's name in handbook.yaml and on the command line.
	Name string
	// Visibility lists the visibility values a page needs ("public").
	Visibility []string
	// Kinds, if not empty, lists the kinds included.
	Kinds []page.Kind
	// Status maps a kind to the statuses its pages need (postmortems:
	// reviewed, closed); kinds not listed need none. An evaluation's
	// status is its ring.
	Status map[page.Kind][]string
	// InternalFields are front-matter fields never rendered: owner,
	// responders, slack, or any field of extra_fields; "contributors"
	// keeps what git says of people (authors, commits, code owners) and
	// the links into the repository internal, leaving only the date.
	InternalFields []string
	// BaseURL, Title and Description, when set, replace the site's.
	BaseURL, Title, Description string
	// OtherPagesAt, when set, is the absolute URL where the whole site is
	// published (ending in "/"): links and references to public pages the
	// profile leaves out (by kind or status) point there instead of
	// becoming text, and front-matter relations to them are dropped
	// without a finding. Pages that are not public are left out as
	// always: their URLs are not written.
	OtherPagesAt string
}

// SelectProfile makes the site the one of the profile called name: one of
// Profiles, or the built-in "public" (PublicProfile) when no profile of
// that name is defined. It reports false for an unknown name.
func (c *Config) SelectProfile(name string) bool {
	pr := c.Profiles[name]
	if pr == nil && name == "public" {
		pr = PublicProfile()
	}
	if pr == nil {
		return false
	}
	c.Profile = pr
	if pr.BaseURL != "" {
		c.BaseURL = pr.BaseURL
	}
	if pr.Title != "" {
		c.Title = pr.Title
	}
	if pr.Description != "" {
		c.Description = pr.Description
	}
	return true
}

// PublicProfile is the profile "public" when handbook.yaml defines none:
// pages with visibility: public; of postmortems, those reviewed or closed;
// owner, responders and slack left out.
func PublicProfile() *Profile { return DefaultProfile("public") }

// DefaultProfile is a profile called name as it is before handbook.yaml
// says anything about it: the settings of the built-in public profile,
// which each key of the profile in the file replaces (visibility,
// internal_fields and status even when empty). Kinds is empty: all kinds.
func DefaultProfile(name string) *Profile {
	return &Profile{
		Name:           name,
		Visibility:     []string{"public"},
		Status:         map[page.Kind][]string{page.KindPostmortem: {"reviewed", "closed"}},
		InternalFields: []string{"owner", "responders", "slack", "contributors"},
	}
}

// Includes reports whether the profile publishes p.
func (pr *Profile) Includes(p *Page) bool {
	if len(pr.Visibility) > 0 && !slices.Contains(pr.Visibility, p.Visibility) {
		return false
	}
	if len(pr.Kinds) > 0 && !slices.Contains(pr.Kinds, p.Kind) {
		return false
	}
	if want, ok := pr.Status[p.Kind]; ok && !slices.Contains(want, Status(p)) {
		return false
	}
	return true
}

// Status is a page's status: an ADR's or a postmortem's status, an
// evaluation's ring, or "".
func Status(p *Page) string {
	switch {
	case p.ADR != nil:
		return p.ADR.Status
	case p.Postmortem != nil:
		return p.Postmortem.Status
	case p.Evaluation != nil:
		return p.Evaluation.Ring
	}
	return ""
}

// leftOut reports whether the site's profile leaves the page t out.
func (s *Site) leftOut(t *Page) bool { return t != nil && s.excluded[t] }

// elsewhere returns where a page the profile leaves out is published, when
// it is public and the profile says where the whole site is; else "".
func (s *Site) elsewhere(t *Page) string {
	pr := s.Config.Profile
	if pr == nil || pr.OtherPagesAt == "" || t.Visibility != "public" {
		return ""
	}
	return pr.OtherPagesAt + strings.TrimPrefix(t.URL, "/")
}

// chooseProfile marks the pages the profile leaves out, once every page is
// placed: they still resolve, so that links to them are found.
func (s *Site) chooseProfile() {
	pr := s.Config.Profile
	if pr == nil {
		return
	}
	s.excluded = map[*Page]bool{}
	for _, p := range s.Pages {
		if !pr.Includes(p) {
			s.excluded[p] = true
		}
	}
}

// applyProfile drops the pages the profile leaves out, once links are
// resolved: from the page lists, from every list a page keeps of others,
// from the findings (they are the other builds' business), and the files
// no page of the profile links to. It empties the internal fields.
func (s *Site) applyProfile() {
	pr := s.Config.Profile
	if pr == nil {
		return
	}
	gone := map[string]bool{}
	keep := func(ps []*Page) []*Page {
		return slices.DeleteFunc(ps, func(p *Page) bool { return s.excluded[p] })
	}
	var pages []*Page
	for _, p := range s.Pages {
		if s.excluded[p] {
			gone[p.Path] = true
			delete(s.byURL, p.URL)
			delete(s.bySource, p.Source)
			continue
		}
		pages = append(pages, p)
	}
	s.Pages = pages
	s.published = keep(s.published)
	for _, p := range s.Pages {
		p.Backlinks, p.Outgoing = keep(p.Backlinks), keep(p.Outgoing)
		p.Supersedes, p.SupersededBy = keep(p.Supersedes), keep(p.SupersededBy)
		p.Children = keep(p.Children)
		for p.Parent != nil && s.excluded[p.Parent] {
			p.Parent = p.Parent.Parent
		}
		emptyFields(p, pr.InternalFields)
		scrubRefs(p)
	}
	s.Diags = slices.DeleteFunc(s.Diags, func(d diag.Diagnostic) bool { return gone[d.Pos.File] })

	// Files: those the profile's pages link to (images included).
	base := s.Config.BasePath()
	used := map[string]bool{}
	for _, p := range s.Pages {
		for _, l := range p.Doc.Links {
			t := l.Target()
			t, _, _ = strings.Cut(t, "#")
			t, _, _ = strings.Cut(t, "?")
			used[t] = true
		}
	}
	s.Files = slices.DeleteFunc(s.Files, func(f File) bool { return !used[base+strings.TrimPrefix(f.URL, "/")] })
}

// emptyFields clears the fields a profile keeps internal.
func emptyFields(p *Page, fields []string) {
	for _, f := range fields {
		switch f {
		case "owner", "owners", "team":
			p.Owner = ""
			if p.Git != nil {
				g := *p.Git
				g.Owners = nil
				p.Git = &g
			}
		case "contributors":
			if p.Git != nil {
				p.Git = &GitInfo{File: githistory.File{Path: p.Git.Path, Changed: p.Git.Changed, Uncommitted: p.Git.Uncommitted}, RepoPath: p.Git.RepoPath}
			}
		case "responders":
			if p.Postmortem != nil {
				p.Postmortem.Responders = nil
			}
		case "escalation":
			if p.Runbook != nil {
				p.Runbook.Escalation = ""
			}
		case "authors", "author":
			if p.Post != nil {
				p.Post.Authors = nil
			}
		}
		delete(p.Params, f)
	}
}

// scrubRefs takes the names of pages left out, written as [[references]]
// without a label, out of the texts made when the page was parsed: its
// excerpt and its headings (the table of contents, the search index).
func scrubRefs(p *Page) {
	for _, r := range p.Doc.Refs {
		if !r.Plain || r.Label != "" {
			continue
		}
		p.Excerpt = strings.ReplaceAll(p.Excerpt, r.Target, markdown.InternalPage)
		for i := range p.Doc.Headings {
			p.Doc.Headings[i].Text = strings.ReplaceAll(p.Doc.Headings[i].Text, r.Target, markdown.InternalPage)
		}
	}
}
