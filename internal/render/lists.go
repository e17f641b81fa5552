package render

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// The lists of links on every page (the sections of the top bar, the
// breadcrumbs, and at a page's foot its relations, services and tags,
// backlinks and related pages) are built in Go, as the sidebar is: they
// hold dozens of links, and a template spends escaper calls, reflected
// calls and a dozen allocations on each. They write what the default
// theme's templates for them wrote, byte for byte (TestPageListsAsTemplates,
// TestNavListsAsTemplates): text escaped as html/template escapes it, URLs
// as it normalizes them, links as link makes them.

// htmlText escapes text as html/template does in an element's content and
// in a quoted attribute's value.
var htmlText = strings.NewReplacer("\x00", "\uFFFD", `"`, "&#34;", "&", "&amp;", "'", "&#39;", "+", "&#43;", "<", "&lt;", ">", "&gt;")

// urlPiece writes s as html/template writes a value in a quoted URL
// attribute after the URL's start: bytes that are not allowed in a URL
// percent-encoded (those that are, and escapes already made such as
// %2F, as they are), and of what is left the & and + escaped for the attribute.
func urlPiece(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
			b.WriteByte(c)
		case c == '&':
			b.WriteString("&amp;")
		case c == '+':
			b.WriteString("&#43;")
		case strings.IndexByte("-._~!#$*,/:;=?@[]", c) >= 0,
			c == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]):
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// urlStart writes s as html/template writes a value at the start of a
// quoted URL attribute: as urlPiece, but a URL with a scheme other than
// http, https or mailto is replaced by "#ZgotmplZ".
func urlStart(b *strings.Builder, s string) {
	if scheme, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(scheme, "/") &&
		!strings.EqualFold(scheme, "http") && !strings.EqualFold(scheme, "https") && !strings.EqualFold(scheme, "mailto") {
		b.WriteString("#ZgotmplZ")
		return
	}
	urlPiece(b, s)
}

// kindItems writes the pages as list items, each with its kind's label.
func kindItems(b *strings.Builder, ps []*site.Page) {
	for _, q := range ps {
		b.WriteString(`<li><span class="kind-label">`)
		b.WriteString(htmlText.Replace(q.Kind.Title()))
		b.WriteString(`</span> `)
		writePageLink(b, q)
		b.WriteString(`</li>`)
	}
}

// kindItemsSize is about the length kindItems writes for ps.
func kindItemsSize(ps []*site.Page) int {
	n := 0
	for _, q := range ps {
		n += pageLinkSize(q) + len(`<li><span class="kind-label">Postmortem</span> </li>`)
	}
	return n
}

// RelationLists is the section listing a page's typed relations, those
// its front matter writes (Relations) and those other pages write of it
// (Incoming), each with its pages; "" when it has none.
func RelationLists(p *site.Page) template.HTML {
	if len(p.Relations) == 0 && len(p.Incoming) == 0 {
		return ""
	}
	var b strings.Builder
	n := len("<section class=\"relations\">\n\n\n</section>")
	for _, rels := range [][]site.Relation{p.Relations, p.Incoming} {
		for _, r := range rels {
			n += len(r.Name) + len(`<h2></h2><ul></ul>`) + kindItemsSize(r.Pages)
		}
	}
	b.Grow(n)
	b.WriteString("<section class=\"relations\">\n")
	for i, rels := range [][]site.Relation{p.Relations, p.Incoming} {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, r := range rels {
			b.WriteString(`<h2>`)
			b.WriteString(htmlText.Replace(r.Name))
			b.WriteString(`</h2><ul>`)
			kindItems(&b, r.Pages)
			b.WriteString(`</ul>`)
		}
	}
	b.WriteString("\n</section>")
	return template.HTML(b.String())
}

// TagLinks is the paragraph linking a page's services and tags to their
// pages under the base path base; "" when it has neither.
func TagLinks(base string, p *site.Page) template.HTML {
	if len(p.Tags) == 0 && len(p.Services) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<p class="tags">`)
	for _, g := range []struct {
		label, class, folder string
		names                []string
	}{{"Services: ", "tag tag-service", "services/", p.Services}, {"Tags: ", "tag", "tags/", p.Tags}} {
		if len(g.names) == 0 {
			continue
		}
		b.WriteString(g.label)
		for _, name := range g.names {
			b.WriteString(`<a class="`)
			b.WriteString(g.class)
			b.WriteString(`" href="`)
			urlStart(&b, base)
			b.WriteString(g.folder)
			urlPiece(&b, site.Slug(name))
			b.WriteString(`/">`)
			b.WriteString(htmlText.Replace(name))
			b.WriteString(`</a> `)
		}
	}
	b.WriteString(`</p>`)
	return template.HTML(b.String())
}

// BacklinkLists is the section listing the pages linking to a page, by
// kind; "" when none does.
func BacklinkLists(p *site.Page) template.HTML {
	rels := p.BacklinksByKind()
	if len(rels) == 0 {
		return ""
	}
	var b strings.Builder
	n := len("<section class=\"backlinks\">\n<h2>Referenced by</h2>\n\n</section>")
	for _, r := range rels {
		n += len(r.Name) + len(`<h3></h3><ul></ul>`)
		for _, q := range r.Pages {
			n += pageLinkSize(q) + len(`<li></li>`)
		}
	}
	b.Grow(n)
	b.WriteString("<section class=\"backlinks\">\n<h2>Referenced by</h2>\n")
	for _, r := range rels {
		b.WriteString(`<h3>`)
		b.WriteString(htmlText.Replace(r.Name))
		b.WriteString(`</h3><ul>`)
		for _, q := range r.Pages {
			b.WriteString(`<li>`)
			writePageLink(&b, q)
			b.WriteString(`</li>`)
		}
		b.WriteString(`</ul>`)
	}
	b.WriteString("\n</section>")
	return template.HTML(b.String())
}

// RelatedList is the section listing the pages that share the most
// services and tags with a page; "" when there are none.
func RelatedList(p *site.Page) template.HTML {
	if len(p.RelatedPages) == 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(len("<section class=\"related\">\n<h2>Related pages</h2>\n<ul></ul>\n</section>") + kindItemsSize(p.RelatedPages))
	b.WriteString("<section class=\"related\">\n<h2>Related pages</h2>\n<ul>")
	kindItems(&b, p.RelatedPages)
	b.WriteString("</ul>\n</section>")
	return template.HTML(b.String())
}

// SectionLinks is the top bar's links to the site's sections, the one at
// the URL cur marked current.
func SectionLinks(sections []Link, cur string) template.HTML {
	var b strings.Builder
	for _, l := range sections {
		b.WriteString(`<a href="`)
		urlStart(&b, l.Href)
		b.WriteByte('"')
		if l.URL == cur {
			b.WriteString(` aria-current="page"`)
		}
		b.WriteByte('>')
		b.WriteString(htmlText.Replace(l.Title))
		b.WriteString(`</a>`)
	}
	return template.HTML(b.String())
}

// CrumbLinks is the breadcrumbs: a link to each folder from the home page
// down, a folder without a page of its own named only; "" for none.
func CrumbLinks(crumbs []Link) template.HTML {
	if len(crumbs) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(`<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>`)
	for _, l := range crumbs {
		b.WriteString(`<li>`)
		if l.URL != "" {
			b.WriteString(`<a href="`)
			urlStart(&b, l.Href)
			b.WriteString(`">`)
			b.WriteString(htmlText.Replace(l.Title))
			b.WriteString(`</a>`)
		} else {
			b.WriteString(`<span>`)
			b.WriteString(htmlText.Replace(l.Title))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ol></nav>`)
	return template.HTML(b.String())
}

// Tables writes the tables of pages of one kind that kind indexes,
// service, owner and tag pages show, as the theme's templates of them
// did (TestTablesAsTemplates): a list of 200 rows cost the templates
// 1,600 reflected calls. Now is what review dates are measured against.
type Tables struct{ Now time.Time }

// openLink writes a link to p: its URL, then its title.
func openLink(b *strings.Builder, p *site.Page) {
	b.WriteString(`<a href="`)
	urlStart(b, p.Href)
	b.WriteString(`">`)
	b.WriteString(htmlText.Replace(p.Title))
	b.WriteString(`</a>`)
}

// writeDate writes t as YYYY-MM-DD, nothing for the zero time.
func writeDate(b *strings.Builder, t time.Time) {
	if !t.IsZero() {
		var d [10]byte
		b.Write(appendDate(d[:0], t))
	}
}

// tableSize is about the length of a kind's table or list of ps, so that
// it is made in one piece: a row's cells but for its link are about 200
// bytes, and the excerpt when withExcerpt.
func tableSize(ps []*site.Page, withExcerpt bool) int {
	n := 256
	for _, p := range ps {
		n += 200 + len(p.Href) + len(p.Title)
		if withExcerpt {
			n += len(p.Excerpt)
		}
	}
	return n
}

// openTable starts the table of a kind's index, with its column headers.
func openTable(b *strings.Builder, kind string, headers ...string) {
	b.WriteString(`<div class="table-wrap"><table class="index index-`)
	b.WriteString(kind)
	b.WriteString("\">\n<thead><tr>")
	for _, h := range headers {
		b.WriteString(`<th scope="col">`)
		b.WriteString(h)
		b.WriteString(`</th>`)
	}
	b.WriteString("</tr></thead>\n<tbody>")
}

// closeTable ends a table openTable started, and returns it.
func closeTable(b *strings.Builder) template.HTML {
	b.WriteString("</tbody>\n</table></div>")
	return template.HTML(b.String())
}

// ADR is the table of decisions: number, title (with what supersedes it),
// status and date.
func (Tables) ADR(ps []*site.Page) template.HTML {
	var b strings.Builder
	b.Grow(tableSize(ps, false))
	openTable(&b, "adr", "No.", "Decision", "Status", "Date")
	for _, p := range ps {
		var adr page.ADR
		if p.ADR != nil {
			adr = *p.ADR
		}
		b.WriteString(`<tr><td class="num">`)
		if adr.HasNumber {
			b.WriteString(strconv.Itoa(adr.Number))
		}
		b.WriteString(`</td><td>`)
		openLink(&b, p)
		if len(p.SupersededBy) > 0 {
			b.WriteString(`<br><small>superseded by `)
			for i, q := range p.SupersededBy {
				if i > 0 {
					b.WriteString(", ")
				}
				writePageLink(&b, q)
			}
			b.WriteString(`</small>`)
		}
		b.WriteString(`</td><td>`)
		status := adr.Status
		if status == "" {
			status = "unknown"
		}
		status = htmlText.Replace(status)
		b.WriteString(`<span class="badge status status-`)
		b.WriteString(status)
		b.WriteString(`">`)
		b.WriteString(status)
		b.WriteString(`</span></td><td>`)
		writeDate(&b, p.Date)
		b.WriteString(`</td></tr>`)
	}
	return closeTable(&b)
}

// Postmortem is the table of incidents: date, title, severity, status
// and the times to detect and to resolve.
func (Tables) Postmortem(ps []*site.Page) template.HTML {
	var b strings.Builder
	b.Grow(tableSize(ps, false))
	openTable(&b, "postmortem", "Date", "Incident", "Severity", "Status", "Time to detect", "Time to resolve")
	for _, p := range ps {
		pm := p.Postmortem
		if pm == nil {
			pm = &page.Postmortem{}
		}
		b.WriteString(`<tr><td>`)
		writeDate(&b, p.Date)
		b.WriteString(`</td><td>`)
		openLink(&b, p)
		b.WriteString(`</td><td>`)
		if pm.Severity != "" {
			b.WriteString(`<span class="badge severity severity-`)
			b.WriteString(htmlText.Replace(strings.ToLower(pm.Severity)))
			b.WriteString(`">`)
			b.WriteString(htmlText.Replace(pm.Severity))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td><td>`)
		b.WriteString(htmlText.Replace(pm.Status))
		b.WriteString(`</td><td>`)
		b.WriteString(htmlText.Replace(Human(pm.TimeToDetect())))
		b.WriteString(`</td><td>`)
		b.WriteString(htmlText.Replace(Human(pm.TimeToResolve())))
		b.WriteString(`</td></tr>`)
	}
	return closeTable(&b)
}

// Runbook is the table of runbooks: title, owner, when last reviewed and
// whether a review is due.
func (t Tables) Runbook(ps []*site.Page) template.HTML {
	var b strings.Builder
	b.Grow(tableSize(ps, false))
	openTable(&b, "runbook", "Runbook", "Owner", "Last reviewed", "Review")
	for _, p := range ps {
		var reviewed time.Time
		if p.Runbook != nil {
			reviewed = p.Runbook.LastReviewed
		}
		b.WriteString(`<tr><td>`)
		openLink(&b, p)
		b.WriteString(`</td><td>`)
		b.WriteString(htmlText.Replace(p.Owner))
		b.WriteString(`</td><td>`)
		writeDate(&b, reviewed)
		b.WriteString(`</td><td>`)
		switch {
		case p.ReviewOverdue(t.Now):
			b.WriteString(`<span class="badge badge-overdue">Review overdue</span>`)
		case reviewed.IsZero():
			b.WriteString(`<span class="badge badge-unknown">Never reviewed</span>`)
		default:
			b.WriteString(`<span class="badge badge-ok">Reviewed</span>`)
		}
		b.WriteString(`</td></tr>`)
	}
	return closeTable(&b)
}

// Evaluation is the table of tools evaluated: title, ring, quadrant, how
// the ring changed and date.
func (Tables) Evaluation(ps []*site.Page) template.HTML {
	var b strings.Builder
	b.Grow(tableSize(ps, false))
	openTable(&b, "evaluation", "Evaluation", "Ring", "Quadrant", "Change", "Date")
	for _, p := range ps {
		var ev page.Evaluation
		if p.Evaluation != nil {
			ev = *p.Evaluation
		}
		b.WriteString(`<tr><td>`)
		openLink(&b, p)
		ring, shown := "none", "—"
		if ev.Ring != "" {
			ring, shown = htmlText.Replace(ev.Ring), htmlText.Replace(ev.Ring)
		}
		b.WriteString(`</td><td><span class="badge ring ring-`)
		b.WriteString(ring)
		b.WriteString(`">`)
		b.WriteString(shown)
		b.WriteString(`</span></td><td>`)
		quadrant := ev.QuadrantLabel
		if quadrant == "" {
			quadrant = ev.Quadrant
		}
		b.WriteString(htmlText.Replace(quadrant))
		b.WriteString(`</td><td>`)
		b.WriteString(htmlText.Replace(p.RingMove))
		b.WriteString(`</td><td>`)
		writeDate(&b, p.Date)
		b.WriteString(`</td></tr>`)
	}
	return closeTable(&b)
}

// excerpt writes a page's excerpt as a paragraph, if it has one.
func excerpt(b *strings.Builder, p *site.Page) {
	if p.Excerpt != "" {
		b.WriteString(`<p>`)
		b.WriteString(htmlText.Replace(p.Excerpt))
		b.WriteString(`</p>`)
	}
}

// Post is the list of posts: title, date, reading time and excerpt.
func (Tables) Post(ps []*site.Page) template.HTML {
	var b strings.Builder
	b.Grow(tableSize(ps, true))
	b.WriteString(`<ul class="post-list">`)
	for _, p := range ps {
		b.WriteString(`<li><h3>`)
		openLink(&b, p)
		b.WriteString(`</h3><p class="byline">`)
		writeDate(&b, p.Date)
		b.WriteString(` · `)
		b.WriteString(strconv.Itoa(p.ReadingMinutes()))
		b.WriteString(` min read</p>`)
		excerpt(&b, p)
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}

// Page is the list of pages of no kind of their own: title and excerpt.
func (Tables) Page(ps []*site.Page) template.HTML { return pageItems(ps, false) }

// Mixed is the list of pages of any kind (a tag's, a folder's), each with
// its kind's label, title and excerpt.
func (Tables) Mixed(ps []*site.Page) template.HTML { return pageItems(ps, true) }

// pageItems writes the pages as a list of links with their excerpts, each
// after its kind's label when labelled.
func pageItems(ps []*site.Page, labelled bool) template.HTML {
	var b strings.Builder
	// About its size, but for escaping: a tag's page of 200 entries is
	// 80 KB, which grown by doubling was copied four times.
	size := 32
	for _, p := range ps {
		size += 80 + len(p.Href) + len(p.Title) + len(p.Excerpt)
	}
	b.Grow(size)
	b.WriteString(`<ul class="page-list">`)
	for _, p := range ps {
		b.WriteString(`<li>`)
		if labelled {
			b.WriteString(`<span class="kind-label">`)
			b.WriteString(htmlText.Replace(p.Kind.Title()))
			b.WriteString(`</span> `)
		}
		openLink(&b, p)
		excerpt(&b, p)
		b.WriteString(`</li>`)
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}
