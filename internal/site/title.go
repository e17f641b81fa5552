package site

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/handbook-dev/handbook/internal/page"
)

// settleTitle decides a freshly parsed page's title: the front matter's
// title:, else the first level-1 heading of the body (which the Markdown
// parser took out, so that it shows once). Markdown in either is
// rendered for the page heading (TitleHTML) and reduced to plain text for
// everything else. An ADR's title that starts with its own number ("2.
// Use Kafka", "ADR-0002: Use Kafka") loses the number, which the ADR label
// shows; an ADR without a number in its file name takes it from there.
// The description becomes plain text too.
func (s *Site) settleTitle(p *Page) {
	switch {
	case p.Doc.TitleID != "" && (p.Title == "" || p.TitleFromBody):
		// The heading taken out as the title; one that shows no text (a
		// template's "# <!-- title -->") leaves the title to the file name.
		p.Title, p.TitleHTML, p.TitleFromBody = p.Doc.Title, p.Doc.TitleHTML, true
	case p.Title != "":
		p.Title, p.TitleHTML = s.Engine.Inline(p.Title)
	}
	if p.Description != "" {
		p.Description, _ = s.Engine.Inline(p.Description)
	}
	if p.ADR != nil && p.Title != "" {
		number := p.ADR.Number
		if !p.ADR.HasNumber {
			number = -1
		}
		if n, rest, ok := adrTitleNumber(p.Title, number); ok {
			prefix := p.Title[:len(p.Title)-len(rest)]
			if !p.ADR.HasNumber {
				p.ADR.Number, p.ADR.HasNumber = n, true
			}
			p.Title = rest
			p.TitleHTML = strings.TrimPrefix(p.TitleHTML, prefix)
		}
	}
	if p.TitleHTML == p.Title {
		p.TitleHTML = "" // nothing to render: the layout escapes the title
	}
}

// adrTitleRE matches a number at the start of an ADR's title: "2. ",
// "0002 - ", "ADR-0002: ", "ADR 2 — ", "[ADR-2] ".
var adrTitleRE = regexp.MustCompile(`^\[?(?i:adr)?[-_ ]?0*(\d{1,5})\]?\s*([.:)\]–—-]?)\s+(\S.*)$`)

// adrTitleNumber returns the number an ADR title starts with and the rest
// of the title; number is the ADR's own, -1 when it has none. A bare
// number followed by a space only counts when it is the ADR's own number
// or written with leading zeros ("0002 Use Kafka"), so that "3
// environments per service" keeps its 3.
func adrTitleNumber(title string, number int) (int, string, bool) {
	m := adrTitleRE.FindStringSubmatch(title)
	if m == nil {
		return 0, "", false
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || number >= 0 && n != number {
		return 0, "", false
	}
	labelled := strings.HasPrefix(strings.ToLower(strings.TrimPrefix(title, "[")), "adr")
	if m[2] == "" && !labelled && n != number && !strings.HasPrefix(title, "0") {
		return 0, "", false
	}
	return n, m[3], true
}

// idTitle gives a page titled by an identifier (a UUID, as incident tools
// export files) a title of words: its first heading, else for a
// postmortem "Incident on <date>"; the identifier stays when there is
// nothing better.
func idTitle(p *Page) (string, string) {
	for _, h := range p.Doc.Headings {
		if h.Text != "" && !page.IsIDTitle(h.Text) {
			return h.Text, ""
		}
	}
	if p.Kind == page.KindPostmortem && !p.Date.IsZero() {
		return "Incident on " + p.Date.Format("2 January 2006"), ""
	}
	return p.Title, p.TitleHTML
}
