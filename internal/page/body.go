package page

import (
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
)

// fromBody fills in what the front matter left out from the body and the
// file name: the title from a leading "# " heading, an ADR's number, id and
// status, and a date from a YYYY-MM-DD in the path.
func (r *reader) fromBody(schema Schema) {
	p := r.p
	if p.Kind == KindRunbook && p.Runbook == nil {
		p.Runbook = &Runbook{ReviewEvery: DefaultReviewEvery}
	}
	if p.Kind == KindADR && p.ADR == nil {
		p.ADR = &ADR{}
	}
	if p.Kind == KindPostmortem && p.Postmortem == nil {
		p.Postmortem = &Postmortem{}
	}
	if p.Kind == KindEvaluation && p.Evaluation == nil {
		p.Evaluation = &Evaluation{}
	}
	if p.Kind == KindPost && p.Post == nil {
		p.Post = &Post{}
	}
	var lines []bodyLine // only titles from the body and ADRs need them
	if p.Title == "" || p.Kind == KindADR {
		lines = bodyLines(p.Body, p.BodyLine)
	}
	if p.Title == "" {
		// The first level-1 heading, wherever it is, outside comments and
		// code; the Markdown parser later gives its rendered text.
		inComment := false
		for i, l := range lines {
			t := strings.TrimSpace(l.text)
			if inComment || strings.HasPrefix(t, "<!--") {
				inComment = !strings.Contains(t, "-->")
				continue
			}
			if h, ok := atxHeading(l.text, 1); ok {
				p.Title, p.TitleFromBody = h, true
				break
			}
			if t != "" && i+1 < len(lines) && lines[i+1].line == l.line+1 && setextH1.MatchString(lines[i+1].text) && !strings.HasPrefix(t, "#") && !strings.HasPrefix(t, "<") && !strings.HasPrefix(t, "|") && !listItem.MatchString(t) && (i == 0 || strings.TrimSpace(lines[i-1].text) == "") {
				p.Title, p.TitleFromBody = t, true
				break
			}
		}
	}
	base := path.Base(p.Path)
	stem := strings.TrimSuffix(base, path.Ext(base))
	if p.Date.IsZero() && (p.Kind == KindADR || p.Kind == KindPostmortem || p.Kind == KindEvaluation || p.Kind == KindPost) {
		if m := datePath.FindString(p.Path); m != "" {
			d := strings.ReplaceAll(m, "-", "")
			p.Date, _ = time.Parse("20060102", d)
		}
	}
	if p.Kind != KindADR {
		return
	}
	a := p.ADR
	if m := adrNumber.FindStringSubmatch(stem); m != nil && a.Number == 0 {
		a.Number, _ = strconv.Atoi(m[1])
	}
	if a.ID == "" {
		a.ID = stem
	} else if a.Number == 0 {
		if m := adrIDNumber.FindStringSubmatch(a.ID); m != nil {
			a.Number, _ = strconv.Atoi(m[1])
		}
	}
	if a.RawStatus == "" {
		r.statusFromBody(lines)
	}
	if p.Date.IsZero() {
		for _, l := range lines {
			if m := dateLine.FindStringSubmatch(l.text); m != nil {
				if t, ok := ParseDate(m[1]); ok {
					p.Date = t
					break
				}
			}
		}
	}
}

// adrNumber matches a leading ADR number of at most five digits; eight
// digits are a date (log4brains' 20200926-slug), not a number.
var (
	adrNumber   = regexp.MustCompile(`^(?:adr[-_]?)?(\d{1,5})(?:[-_ .]|$)`)
	adrIDNumber = regexp.MustCompile(`(?i)^(?:adr[-_ ]?)?0*(\d{1,5})$`)
	datePath    = regexp.MustCompile(`(?:19|20)\d\d-?[01]\d-?[0-3]\d`)
	statusHead  = regexp.MustCompile(`(?i)^#{1,6}\s+status\s*#*\s*$`)
	statusLine  = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.+?)\s*$`)
	dateLine    = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:\*\*|__)?date(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(\d{4}-\d\d-\d\d)`)
	mdLink      = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]+)[^)]*\)`)
	wikiLink    = regexp.MustCompile(`\[\[([^\]]+)\]\]`)
	setextH1    = regexp.MustCompile(`^ {0,3}=+\s*$`)
	listItem    = regexp.MustCompile(`^(?:[-*+]|\d{1,9}[.)])(?:\s|$)`)
)

func (r *reader) statusFromBody(lines []bodyLine) {
	for i, l := range lines {
		if statusHead.MatchString(l.text) {
			for _, n := range lines[i+1:] {
				t := strings.TrimSpace(n.text)
				if t == "" {
					continue
				}
				if strings.HasPrefix(t, "#") {
					break
				}
				t = strings.TrimLeft(t, "-*+ ")
				r.adrStatus(t, "section", r.at(n.line, 1+len(n.text)-len(strings.TrimLeft(n.text, " \t-*+"))))
				return
			}
			continue
		}
		if m := statusLine.FindStringSubmatchIndex(l.text); m != nil {
			how := "line"
			if strings.HasPrefix(strings.TrimSpace(l.text), "-") || strings.HasPrefix(strings.TrimSpace(l.text), "*") && !strings.HasPrefix(strings.TrimSpace(l.text), "**") {
				how = "bullet"
			}
			r.adrStatus(l.text[m[2]:m[3]], how, r.at(l.line, m[2]+1))
			return
		}
	}
}

// adrStatus records a status as written and normalizes it. A status of the
// form "superseded by [x](x.md)" also gives the superseding ADR.
func (r *reader) adrStatus(raw, from string, pos diag.Position) {
	a := r.p.ADR
	a.RawStatus, a.StatusFrom = raw, from
	if _, ok := r.p.Fields["status"]; !ok && pos.Line > 0 {
		r.p.Fields["status"] = pos // a status in the body: where rules point
	}
	text := raw
	if m := mdLink.FindAllStringSubmatch(raw, -1); m != nil {
		for _, l := range m {
			if strings.HasPrefix(strings.ToLower(strings.TrimSpace(raw)), "superseded") && len(a.SupersededBy) == 0 {
				a.SupersededBy = append(a.SupersededBy, Ref{Target: l[2], Pos: pos})
			}
		}
		text = mdLink.ReplaceAllString(raw, "$1")
	}
	if m := wikiLink.FindStringSubmatch(raw); m != nil && strings.HasPrefix(strings.ToLower(strings.TrimSpace(raw)), "superseded") && len(a.SupersededBy) == 0 {
		a.SupersededBy = append(a.SupersededBy, Ref{Target: m[1], Pos: pos})
	}
	if s, ok := NormalizeADRStatus(text); ok {
		a.Status = s
		return
	}
	r.diags.Errorf(pos, "allowed-value", "ADR status %q is not known; use one of %s", strings.TrimSpace(raw), quoteList(ADRStatuses))
}

// required reports required fields that are missing, per kind.
func (r *reader) required() {
	p := r.p
	need := func(ok bool, field, hint string) {
		if _, written := p.Fields[field]; !ok && !written {
			r.diags.Errorf(r.at(max(r.fmLine, 1), 1), "required-field", "%s %s is missing %s; %s", p.Kind.Title(), "page", field, hint)
		}
	}
	if p.Title == "" {
		r.diags.Warnf(r.at(max(r.fmLine, 1), 1), "required-field", "page has no title; add title: to the front matter or start the body with a \"# \" heading")
	}
	switch p.Kind {
	case KindRunbook:
		need(p.Runbook.Service != "", "service", "add service: with the service this runbook operates")
		need(p.Owner != "", "owner", "add owner: with the team that maintains it")
		need(!p.Runbook.LastReviewed.IsZero(), "last_reviewed", "add last_reviewed: YYYY-MM-DD with the date it was last checked")
	case KindADR:
		need(p.ADR.Status != "" || p.ADR.RawStatus != "", "status", "add status: proposed, accepted, rejected, deprecated or superseded")
		need(!p.Date.IsZero(), "date", "add date: YYYY-MM-DD with the day it was decided")
	case KindPostmortem:
		need(!p.Date.IsZero(), "date", "add date: YYYY-MM-DD with the day of the incident")
		need(p.Postmortem.Severity != "" || p.Fields["severity"] != (diag.Position{}), "severity", "add severity: with a value of the severity scale")
		need(p.Owner != "", "owner", "add owner: with who owns the follow-up")
	case KindEvaluation:
		need(p.Evaluation.Ring != "" || p.Fields["ring"] != (diag.Position{}), "ring", "add ring: adopt, trial, assess or hold")
		need(p.Evaluation.Quadrant != "" || p.Fields["quadrant"] != (diag.Position{}), "quadrant", "add quadrant: with one of the radar's quadrants")
		need(!p.Date.IsZero(), "date", "add date: YYYY-MM-DD with the day of the evaluation")
	case KindPost:
		need(!p.Date.IsZero(), "date", "add date: YYYY-MM-DD with the day it was published")
	}
}

type bodyLine struct {
	text string
	line int
}

// bodyLines returns the body's lines outside fenced code blocks, with their
// file line numbers.
func bodyLines(body []byte, first int) []bodyLine {
	var out []bodyLine
	fence := ""
	line := first - 1
	for len(body) > 0 {
		i := bytes.IndexByte(body, '\n')
		var l []byte
		if i < 0 {
			l, body = body, nil
		} else {
			l, body = body[:i], body[i+1:]
		}
		line++
		text := strings.TrimRight(string(l), "\r")
		t := strings.TrimLeft(text, " ")
		if fence != "" {
			if strings.HasPrefix(t, fence) && strings.TrimSpace(strings.TrimLeft(t, fence[:1])) == "" {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			n := len(t) - len(strings.TrimLeft(t, t[:1]))
			fence = strings.Repeat(t[:1], n)
			continue
		}
		if strings.TrimSpace(text) == "" && len(out) == 0 {
			continue
		}
		out = append(out, bodyLine{text: text, line: line})
	}
	return out
}

func atxHeading(s string, level int) (string, bool) {
	prefix := strings.Repeat("#", level)
	t := strings.TrimLeft(s, " ")
	if len(s)-len(t) > 3 || !strings.HasPrefix(t, prefix+" ") {
		return "", false
	}
	t = strings.TrimSpace(t[len(prefix):])
	t = strings.TrimSpace(strings.TrimRight(t, "#"))
	if i := strings.Index(t, " {#"); i >= 0 && strings.HasSuffix(t, "}") {
		t = strings.TrimSpace(t[:i])
	}
	return t, t != ""
}
