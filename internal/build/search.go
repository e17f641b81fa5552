package build

import (
	"context"
	"fmt"
	"path"
	"slices"
	"strings"
	"unsafe"

	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// generatedWeight scales the scores of generated listings (services,
// owners, tags, folders): a reader looking for one finds it, but a page
// of the handbook with the same title ranks above it.
const generatedWeight = 0.3

// searchDocs turns the site's published pages into what the search index
// reads, and adds the pages generated for services, owners, tags and
// folders, with a small weight: a search for a service's or a team's name
// finds what the handbook holds about it. The pages' Markdown sources
// must still be there when the index reads them.
//
// A page's body (search.Doc.Text) is made when the index reads it, from
// the document the page had when searchDocs was called, and goes once
// the index has taken its words: the bodies of the whole site, a copy of
// its text, are never all in memory at once (at 10,000 pages, 47 MB of a
// preview's 390 MB as it started). A page changed in place meanwhile
// (Live.Update) does not change what its document says.
func searchDocs(s *site.Site) []search.Doc { return makeSearchDocs(s, false) }

// searchDocsDropping is searchDocs for a site whose sources may go (see
// site.Site.DropSources), and that may itself go before the index reads
// the bodies (writeOut): what each published page's body is made of (its
// source, the spans of its prose and code, the lines of its headings) is
// taken apart from the page, and every page lets its source go at once.
// The index then holds the only reference to each source, and drops it
// once it has read the page, so that the site's text is never in memory
// twice (at 100,000 pages, 380 MB of sources beside 670 MB of documents)
// and the pages' documents need not outlive their rendering.
func searchDocsDropping(s *site.Site) []search.Doc { return makeSearchDocs(s, true) }

func makeSearchDocs(s *site.Site, drop bool) []search.Doc {
	pages := s.Published()
	docs := make([]search.Doc, len(pages))
	_ = parallel.Each(context.Background(), len(pages), 0, func(i int) error {
		p := pages[i]
		docs[i] = searchMeta(p)
		if drop {
			docs[i].Text = newBodySource(p.Doc).pieces
			return nil
		}
		doc := p.Doc
		docs[i].Text = func() []search.Piece { return searchBody(doc) }
		return nil
	})
	if drop {
		s.DropSources()
	}
	return append(docs, generatedDocs(s)...)
}

// generatedDocs are the documents of searchDocs for the generated pages.
func generatedDocs(s *site.Site) []search.Doc {
	pages := s.Published()
	var docs []search.Doc
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
			Excerpt: "Everything about " + g.Name + ": " + strings.Join(counts, ", ") + ".", Weight: generatedWeight})
	}
	for _, g := range s.Owners() {
		u := "/owners/" + g.Slug + "/"
		if s.PageAt(u) == nil {
			docs = append(docs, search.Doc{URL: u, Title: g.Name, Kind: "owner", KindLabel: "Owners", Weight: generatedWeight,
				Excerpt: fmt.Sprintf("The %s %s owns.", countOf(len(g.Pages), "page"), g.Name)})
		}
	}
	for _, t := range s.Tags() {
		if u := t.URL(); s.PageAt(u) == nil {
			docs = append(docs, search.Doc{URL: u, Title: t.Name, Kind: "tag", KindLabel: "Tags", Weight: generatedWeight,
				Excerpt: fmt.Sprintf("The %s tagged %s.", countOf(len(t.Pages), "page"), t.Name)})
		}
	}
	docs = append(docs, folderDocs(s, pages)...)
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
		docs = append(docs, search.Doc{URL: u, Title: title, Kind: "service", KindLabel: "Services", Services: []string{title}, Excerpt: excerpt, Weight: generatedWeight})
	}
	return docs
}

// searchURLs are the URLs of the documents searchDocs makes of s, whose
// generated pages' documents are gen.
func searchURLs(s *site.Site, gen []search.Doc) []string {
	pages := s.Published()
	urls := make([]string, 0, len(pages)+len(gen))
	for _, p := range pages {
		urls = append(urls, p.URL)
	}
	for _, d := range gen {
		urls = append(urls, d.URL)
	}
	return urls
}

// folderDocs returns a listing for every folder of published pages that
// has no page of its own (the folder pages the build generates), titled
// as the sidebar titles it: a kind's index by the kind, another folder
// by its name.
func folderDocs(s *site.Site, pages []*site.Page) []search.Doc {
	count := map[string]int{}
	for _, p := range pages {
		for u := p.URL; ; {
			i := strings.LastIndexByte(strings.TrimSuffix(u, "/"), '/')
			if i <= 0 {
				break
			}
			u = u[:i+1]
			count[u]++
		}
	}
	kinds := map[string]string{} // a kind's index → its title
	for k, u := range render.KindIndexURLs(s) {
		kinds[u] = k.Plural()
	}
	var docs []search.Doc
	for u, n := range count {
		if s.PageAt(u) != nil || generated(u) {
			continue
		}
		name := path.Base(u)
		name = strings.NewReplacer("-", " ", "_", " ").Replace(name) // as the sidebar names it
		title := strings.ToUpper(name[:1]) + name[1:]
		if t, ok := kinds[u]; ok {
			title = t
		}
		docs = append(docs, search.Doc{URL: u, Title: title, Kind: "folder", KindLabel: "Folders", Weight: generatedWeight,
			Excerpt: fmt.Sprintf("The %s in %s.", countOf(n, "page"), u)})
	}
	return docs
}

// generated reports whether u is under a folder the build generates.
func generated(u string) bool {
	for _, g := range []string{"/tags/", "/services/", "/owners/", "/start-here/"} {
		if strings.HasPrefix(u, g) {
			return true
		}
	}
	return false
}

func countOf(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// searchDoc is the search document of the published page p.
func searchDoc(p *site.Page) search.Doc {
	d := searchMeta(p)
	d.Body = searchBody(p.Doc)
	return d
}

// searchMeta is p's search document without its body.
func searchMeta(p *site.Page) search.Doc {
	d := search.Doc{URL: p.URL, Title: p.Title, Kind: string(p.Kind), KindLabel: p.Kind.Plural(), Status: site.Status(p), Excerpt: p.Excerpt, Tags: p.Tags, Services: p.Services}
	if p.Runbook != nil {
		d.Alerts = slices.Clone(p.Runbook.Alerts)
	}
	doc := p.Doc
	// The level-1 heading taken out as the title, when it says something
	// else ("# KubePodCrashLooping" under the title "Kube pod crash
	// looping"), is another name of the page: found like an alert name.
	if doc.Title != "" && search.Fold(doc.Title) != search.Fold(p.Title) {
		d.Alerts = append(d.Alerts, doc.Title)
	}
	for _, h := range doc.Headings { // every heading left in the body is a section
		d.Headings = append(d.Headings, search.Heading{ID: h.ID, Text: h.Text})
	}
	return d
}

// searchBody is the body of the search document of a page whose document
// is doc (search.Doc.Body): its prose and code, each piece in the section
// of the heading above it. It reads the document's source, which must
// still be there.
func searchBody(doc *markdown.Document) []search.Piece { return newBodySource(doc).pieces() }

// bodySource is what a page's search body is made of, taken from its
// document: the source, the spans of its prose and code, the lines of
// its headings.
type bodySource struct {
	md          []byte
	lines       markdown.Lines
	headings    []int // the lines of the sections' headings
	prose, code []markdown.Span
}

// newBodySource takes what the search body of doc is made of. The source
// must still be there.
func newBodySource(doc *markdown.Document) *bodySource {
	b := &bodySource{md: doc.Markdown(), lines: doc.Lines(), prose: doc.Prose, code: doc.Code}
	b.headings = make([]int, len(doc.Headings))
	for i, h := range doc.Headings {
		b.headings[i] = h.Line
	}
	return b
}

// pieces is the body (search.Doc.Body).
func (b *bodySource) pieces() []search.Piece {
	if b.md == nil {
		return nil
	}
	body := make([]search.Piece, 0, len(b.prose)+len(b.code))
	// The pieces are parts of the source itself, not of a copy: a
	// document's source is never written to once read (a changed file is
	// read into new bytes), and the index reads the pieces once and lets
	// them go, which keeps the bytes as long as it needs them. A copy was
	// 2% of a build's allocations (36 MB at 10,000 pages), made at its
	// end, where a 100,000-page build is held to its memory limit.
	src := unsafe.String(unsafe.SliceData(b.md), len(b.md))
	sec := 0
	section := func(off int) int {
		line := b.lines.Line(off)
		for sec < len(b.headings) && b.headings[sec] <= line {
			sec++
		}
		return sec
	}
	// Prose and code spans each come in document order; they are merged
	// so that sections only move forward.
	prose, code := b.prose, b.code
	for len(prose) > 0 || len(code) > 0 {
		var sp markdown.Span
		isCode := len(prose) == 0 || len(code) > 0 && code[0].Start < prose[0].Start
		if isCode {
			sp, code = code[0], code[1:]
		} else {
			sp, prose = prose[0], prose[1:]
		}
		body = append(body, search.Piece{Section: section(int(sp.Start)), Text: src[sp.Start:sp.End], Code: isCode})
	}
	return body
}

// SearchIndex indexes the site, whose Markdown sources must still be
// there.
func SearchIndex(s *site.Site) *search.Index { return search.Build(searchDocs(s)) }
