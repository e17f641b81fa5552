package build

import (
	"context"

	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// searchDocs turns pages into what the search index reads. The pages'
// Markdown sources must still be there.
func searchDocs(pages []*site.Page) []search.Doc {
	docs := make([]search.Doc, len(pages))
	_ = parallel.Each(context.Background(), len(pages), 0, func(i int) error {
		docs[i] = searchDoc(pages[i])
		return nil
	})
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

// SearchIndex indexes pages, whose Markdown sources must still be there.
func SearchIndex(pages []*site.Page) *search.Index { return search.Build(searchDocs(pages)) }
