package build

import (
	"context"
	"fmt"
	"strings"

	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// searchDocs turns the site's published pages into what the search index
// reads, and adds the pages generated for services: a search for a
// service's name finds what the handbook holds about it. The pages'
// Markdown sources must still be there.
func searchDocs(s *site.Site) []search.Doc {
	pages := s.Published()
	docs := make([]search.Doc, len(pages))
	_ = parallel.Each(context.Background(), len(pages), 0, func(i int) error {
		docs[i] = searchDoc(pages[i])
		return nil
	})
	for _, g := range s.Services() {
		u := "/services/" + g.Slug + "/"
		if s.PageAt(u) != nil {
			continue // a page of the handbook's own, indexed as such
		}
		var counts []string
		for _, r := range g.ByKind() {
			label := r.Kind.Plural()
			if len(r.Pages) == 1 {
				label = r.Kind.Title()
			}
			if r.Kind != page.KindADR {
				label = strings.ToLower(label)
			}
			counts = append(counts, fmt.Sprintf("%d %s", len(r.Pages), label))
		}
		docs = append(docs, search.Doc{URL: u, Title: g.Name, Kind: "service", KindLabel: "Services", Services: []string{g.Name},
			Excerpt: "Everything about " + g.Name + ": " + strings.Join(counts, ", ") + "."})
	}
	// Services only the service catalog knows have pages too.
	for _, name := range s.CatalogServices() {
		e := s.ServiceInfo(name)
		u := s.ServiceURL(e)
		if e == nil || u == "" || s.PageAt(u) != nil {
			continue
		}
		title := e.Title
		if title == "" {
			title = e.Name
		}
		excerpt := e.Description
		if excerpt == "" {
			excerpt = "Known from the service catalog; no page of the handbook is about it yet."
		}
		docs = append(docs, search.Doc{URL: u, Title: title, Kind: "service", KindLabel: "Services", Services: []string{title}, Excerpt: excerpt})
	}
	return docs
}

func searchDoc(p *site.Page) search.Doc {
	d := search.Doc{URL: p.URL, Title: p.Title, Kind: string(p.Kind), KindLabel: p.Kind.Plural(), Status: site.Status(p), Excerpt: p.Excerpt, Tags: p.Tags, Services: p.Services}
	doc := p.Doc
	var lines []int // the lines of the headings of Headings
	for _, h := range doc.Headings {
		if h.Level == 2 || h.Level == 3 {
			d.Headings = append(d.Headings, search.Heading{ID: h.ID, Text: h.Text})
			lines = append(lines, h.Line)
		}
	}
	if doc.Source == nil {
		return d
	}
	src := string(doc.Source) // one copy; the pieces are parts of it
	sec := 0
	section := func(off int) int {
		line, _ := doc.Pos(off)
		for sec < len(lines) && lines[sec] <= line {
			sec++
		}
		return sec
	}
	// Prose and code spans each come in document order; they are merged
	// so that sections only move forward.
	prose, code := doc.Prose, doc.Code
	for len(prose) > 0 || len(code) > 0 {
		var sp markdown.Span
		isCode := len(prose) == 0 || len(code) > 0 && code[0].Start < prose[0].Start
		if isCode {
			sp, code = code[0], code[1:]
		} else {
			sp, prose = prose[0], prose[1:]
		}
		d.Body = append(d.Body, search.Piece{Section: section(sp.Start), Text: src[sp.Start:sp.End], Code: isCode})
	}
	return d
}

// SearchIndex indexes the site, whose Markdown sources must still be
// there.
func SearchIndex(s *site.Site) *search.Index { return search.Build(searchDocs(s)) }
