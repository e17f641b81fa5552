package page

import (
	"path"
	"regexp"
	"slices"
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
	var lines []bodyLine // only titles from the body, ADRs and postmortems need them
	if p.Title == "" || p.Kind == KindADR || p.Kind == KindPostmortem {
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
	if p.Kind == KindPostmortem {
		r.postmortemFromBody(lines, schema)
	}
	if p.Kind != KindADR {
		return
	}
	a := p.ADR
	if m := adrNumber.FindStringSubmatch(stem); m != nil && !a.HasNumber {
		a.Number, _ = strconv.Atoi(m[1])
		a.HasNumber = true
	}
	if a.ID == "" {
		a.ID = stem
	} else if !a.HasNumber {
		if m := adrIDNumber.FindStringSubmatch(a.ID); m != nil {
			a.Number, _ = strconv.Atoi(m[1])
			a.HasNumber = true
		}
	}
	a.Dialect = adrDialect(r.sig, p.Body)
	if a.RawStatus == "" {
		r.statusFromBody(lines)
	}
	if a.RawStatus == "" && a.Dialect == DialectMADR && chosenOption.Match(p.Body) {
		// MADR's status is optional: a decision whose outcome names the
		// chosen option is in force.
		a.Status, a.StatusFrom = "accepted", "decision outcome"
	}
	if p.Date.IsZero() {
		r.dateFromBody(lines, "date")
	}
}

// dateFromBody reads the page's date from a "Date: …" line of the body
// (bullet, bold label), under one of the labels given, in ISO form or in
// one of the common others (reported, with the ISO form).
func (r *reader) dateFromBody(lines []bodyLine, labels ...string) {
	for _, l := range lines {
		m := bodyLabel.FindStringSubmatchIndex(l.text)
		if m == nil || !slices.Contains(labels, strings.ToLower(strings.TrimSpace(l.text[m[2]:m[3]]))) {
			continue
		}
		v := strings.Trim(l.text[m[4]:m[5]], "*_ ")
		if t, ok := ParseDate(v); ok {
			r.p.Date = t
			return
		}
		if len(v) >= 10 {
			if t, ok := ParseDate(v[:10]); ok { // "2020-01-02 (decided)"
				r.p.Date = t
				return
			}
		}
		if t, other, ok := looseDate(v); ok {
			r.p.Date = t
			r.nonISODate(r.at(l.line, m[4]+1), strings.ToLower(l.text[m[2]:m[3]]), v, t, other)
			return
		}
	}
}

// postmortemFromBody reads what a postmortem's body states that its front
// matter does not: the date and severity from labels ("**Incident
// Date:** …", "Severity: SEV-2"), else the date from the first entry of
// its timeline.
func (r *reader) postmortemFromBody(lines []bodyLine, schema Schema) {
	p, pm := r.p, r.p.Postmortem
	if p.Date.IsZero() {
		r.dateFromBody(lines, "incident date", "date of incident", "incident date and time", "date", "incident start", "started")
	}
	if pm.Severity == "" {
		for _, l := range lines {
			m := bodyLabel.FindStringSubmatchIndex(l.text)
			if m == nil {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(l.text[m[2]:m[3]])) {
			case "severity", "sev", "incident severity", "severity level":
			default:
				continue
			}
			v := strings.Trim(l.text[m[4]:m[5]], "*_ ")
			if sev, ok := normalizeSeverity(strings.Fields(v + " ")[0], schema.Severities); ok && v != "" {
				pm.Severity = sev
				if _, ok := p.Fields["severity"]; !ok {
					p.Fields["severity"] = r.at(l.line, m[4]+1)
				}
			}
			break
		}
	}
	if p.Date.IsZero() {
		in := false
		for _, l := range lines {
			if t := strings.TrimSpace(l.text); strings.HasPrefix(t, "#") {
				in = strings.HasPrefix(headingKey(strings.TrimLeft(t, "#")), "timeline")
				continue
			}
			if m := isoInLine.FindString(l.text); in && m != "" {
				if t, ok := ParseDate(m); ok {
					p.Date = t
					return
				}
			}
		}
	}
}

// chosenOption is MADR's "Chosen option: …" in a decision outcome.
var chosenOption = regexp.MustCompile(`(?im)^\s*(?:[-*]\s+)?(?:\*\*|__)?chosen option(?:\*\*|__)?\s*:`)

// isoInLine finds an ISO date in a line of text.
var isoInLine = regexp.MustCompile(`\b(?:19|20)\d\d-[01]\d-[0-3]\d\b`)

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
	word := strings.ToLower(decorated(raw))
	superseded := strings.HasPrefix(word, "superseded") || strings.HasPrefix(word, "superceded") || strings.HasPrefix(word, "replaced")
	if m := mdLink.FindAllStringSubmatch(raw, -1); m != nil {
		for _, l := range m {
			if superseded && len(a.SupersededBy) == 0 {
				a.SupersededBy = append(a.SupersededBy, Ref{Target: l[2], Pos: pos})
			}
		}
		text = mdLink.ReplaceAllString(raw, "$1")
	}
	if m := wikiLink.FindStringSubmatch(raw); m != nil && superseded && len(a.SupersededBy) == 0 {
		a.SupersededBy = append(a.SupersededBy, Ref{Target: m[1], Pos: pos})
	}
	if m := supersededText.FindStringSubmatch(raw); m != nil && len(a.SupersededBy) == 0 {
		a.SupersededBy = append(a.SupersededBy, Ref{Target: strings.TrimSpace(m[1]), Pos: pos})
	}
	if s, ok := NormalizeADRStatus(decorated(text)); ok {
		a.Status = s
		return
	}
	r.diags.Errorf(pos, "allowed-value", "ADR status %q is not known; use one of %s", strings.TrimSpace(raw), quoteList(ADRStatuses))
}

// required reports required fields that are missing, per kind.
func (r *reader) required() {
	p := r.p
	sev := diag.Error
	if p.KindFrom == "content" {
		// A page that is a postmortem or an ADR by what it says, written
		// for another tool: its missing fields are notes, not errors.
		sev = diag.Info
	}
	need := func(ok bool, field, hint string) {
		if _, written := p.Fields[field]; !ok && !written {
			r.diags.Add(r.at(max(r.fmLine, 1), 1), sev, "required-field", "%s %s is missing %s; %s", p.Kind.Title(), "page", field, hint)
		}
	}
	if p.Template {
		return // an example to copy: its blanks are meant
	}
	stem := strings.TrimSuffix(path.Base(p.Path), path.Ext(p.Path))
	if p.Title == "" && !(IsIDTitle(stem) && len(r.sig.headings) > 0) {
		// (A file named by an id, as incident tools export them, takes its
		// first heading as its title.)
		r.diags.Warnf(r.at(max(r.fmLine, 1), 1), "required-field", "page has no title; add title: to the front matter or start the body with a \"# \" heading")
	}
	switch p.Kind {
	case KindRunbook:
		need(p.Runbook.Service != "", "service", "add service: with the service this runbook operates")
		need(p.Owner != "", "owner", "add owner: with the team that maintains it")
		need(!p.Runbook.LastReviewed.IsZero(), "last_reviewed", "add last_reviewed: YYYY-MM-DD with the date it was last checked")
	case KindADR:
		// MADR makes status and date optional, and Y-statements have
		// neither; Nygard's template has a Status but no date.
		switch p.ADR.Dialect {
		case DialectMADR, DialectYStatement:
		case DialectNygard:
			need(p.ADR.Status != "" || p.ADR.RawStatus != "", "status", "add a Status section: proposed, accepted, rejected, deprecated or superseded")
		default:
			need(p.ADR.Status != "" || p.ADR.RawStatus != "", "status", "add status: proposed, accepted, rejected, deprecated or superseded")
			need(!p.Date.IsZero(), "date", "add date: YYYY-MM-DD with the day it was decided")
		}
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
	rest := string(body) // one copy, its lines sliced from it
	for len(rest) > 0 {
		i := strings.IndexByte(rest, '\n')
		var l string
		if i < 0 {
			l, rest = rest, ""
		} else {
			l, rest = rest[:i], rest[i+1:]
		}
		line++
		text := strings.TrimRight(l, "\r")
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
