package render

import (
	"fmt"
	"html"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/site"
)

// Funcs returns the functions layouts can call. basePath prefixes site
// paths; now is the time review dates are measured against.
func Funcs(basePath string, now time.Time) template.FuncMap {
	tables := Tables{Now: now}
	return template.FuncMap{
		// url turns a site path into a URL under the base path.
		"url": func(p string) string {
			if strings.Contains(p, "://") {
				return p
			}
			return basePath + strings.TrimPrefix(p, "/")
		},
		// date formats a date as YYYY-MM-DD, or "" for the zero time.
		"date": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format("2006-01-02")
		},
		// datetime formats a timestamp for the datetime attribute.
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format(time.RFC3339)
		},
		// clock formats a timestamp for reading: 2024-03-05 14:02 UTC.
		"clock": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04 UTC")
		},
		"human": Human,
		// short is a commit hash as git abbreviates it, 7 characters.
		"short":   func(hash string) string { return hash[:min(len(hash), 7)] },
		"sub":     func(a, b int) int { return a - b },
		"overdue": func(p *site.Page) bool { return p.ReviewOverdue(now) },
		"dueIn": func(p *site.Page) string {
			if p.Runbook == nil || p.Runbook.LastReviewed.IsZero() {
				return ""
			}
			d := p.Runbook.ReviewDue().Sub(now)
			if d < 0 {
				return "overdue by " + days(-d)
			}
			return "due in " + days(d)
		},
		"readingTime": func(p *site.Page) string {
			return fmt.Sprintf("%d min read", p.ReadingMinutes())
		},
		// isURL reports whether s is a link (a URL or a site path) rather
		// than a name.
		"isURL": func(s string) bool {
			return strings.Contains(s, "://") || strings.HasPrefix(s, "/") && !strings.ContainsAny(s, " \t")
		},
		// link is a page's link, titled "ADR-0007: Title" for numbered
		// ADRs. It is built in Go: pages list dozens of links (backlinks,
		// relations, related pages) and a template per link costs a dozen
		// escaper calls.
		"link": PageLink,
		// The lists of links on every page, built in Go for the same
		// reason (lists.go).
		"sectionLinks":  SectionLinks,
		"crumbLinks":    CrumbLinks,
		"relationLists": RelationLists,
		"tagLinks":      TagLinks,
		"backlinkLists": BacklinkLists,
		"relatedList":   RelatedList,
		// The tables of pages of a kind that lists show (lists.go).
		"adrTable":        tables.ADR,
		"postmortemTable": tables.Postmortem,
		"runbookTable":    tables.Runbook,
		"evaluationTable": tables.Evaluation,
		"postList":        tables.Post,
		"pageList":        tables.Page,
		"mixedList":       tables.Mixed,
		"join":            strings.Join,
		"lower":           strings.ToLower,
		"slug":            site.Slug,
	}
}

func days(d time.Duration) string {
	n := int(d.Hours() / 24)
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

// Human formats a duration for people: "45 min", "3 h 20 min", "2 d 4 h".
// Zero formats as "".
func Human(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	m := int(d.Round(time.Minute).Minutes())
	switch {
	case m < 1:
		return "< 1 min"
	case m < 60:
		return fmt.Sprintf("%d min", m)
	case m < 24*60:
		if m%60 == 0 {
			return fmt.Sprintf("%d h", m/60)
		}
		return fmt.Sprintf("%d h %d min", m/60, m%60)
	}
	h := m / 60
	if h%24 == 0 {
		return fmt.Sprintf("%d d", h/24)
	}
	return fmt.Sprintf("%d d %d h", h/24, h%24)
}

// PageLink renders a link to p: its title, prefixed with its ADR label.
func PageLink(p *site.Page) template.HTML {
	var b strings.Builder
	b.Grow(pageLinkSize(p))
	writePageLink(&b, p)
	return template.HTML(b.String())
}

// pageLinkSize is about the length of p's PageLink: exact but for escaping.
func pageLinkSize(p *site.Page) int {
	return len(p.Href) + len(p.Title) + len(`<a href=""></a>ADR-0000: `)
}

// writePageLink writes PageLink(p) into b, without a string of its own:
// the lists of backlinks and related pages write hundreds of thousands
// of them in a big site.
func writePageLink(b *strings.Builder, p *site.Page) {
	b.WriteString(`<a href="`)
	b.WriteString(html.EscapeString(p.Href))
	b.WriteString(`">`)
	var label [24]byte
	if l := p.AppendADRLabel(label[:0]); len(l) > 0 {
		b.Write(l)
		b.WriteString(": ")
	}
	b.WriteString(html.EscapeString(p.Title))
	b.WriteString("</a>")
}

// tocHTML renders a table of contents as list items.
func tocHTML(toc []markdown.Heading) template.HTML {
	var b strings.Builder
	n := 0
	for _, h := range toc {
		n += len(h.ID) + len(h.Text) + len(`<li class="toc-h0"><a href="#"></a></li>`)
	}
	b.Grow(n)
	for _, h := range toc {
		b.WriteString(`<li class="toc-h`)
		b.WriteString(strconv.Itoa(h.Level))
		b.WriteString(`"><a href="#`)
		b.WriteString(html.EscapeString(h.ID))
		b.WriteString(`">`)
		b.WriteString(html.EscapeString(h.Text))
		b.WriteString(`</a></li>`)
	}
	return template.HTML(b.String())
}
