package page

// Dialects: pages written for other tools, read as written.
//
// Which kind a page is comes from its front matter's kind: first; else
// from the page itself, its fields and sections, then from its folder: a
// checklist in incidents/ is not a postmortem, and a page of Summary,
// Timeline and Root cause sections is one wherever it lives. Template
// files (template.md, *-template.md, 0000-template.md) are examples:
// plain pages that no rule checks. ADRs are told apart by template
// (Nygard's Status/Context/Decision/Consequences, MADR, Y-statements),
// which decides what they must have. Dates in the common non-ISO forms
// are read, and reported as such.

import (
	"bytes"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/handbook-dev/handbook/internal/diag"
)

// ADR dialects (ADR.Dialect).
const (
	DialectMADR       = "madr"
	DialectNygard     = "nygard"
	DialectYStatement = "y-statement"
)

// IsTemplate reports whether a file is a template others copy rather than
// a page of its own: any file in a template/ or _templates/ folder, and a
// file named as one (template.md, adr-template.md, 0000-template.md,
// "PMyyyy-nnn - Postmortem template.md") whose body has blanks to fill
// ({short title}, TITLE, "# Incident Title", YYYY-MM-DD, <!-- guidance
// -->, TODO). A templates/ folder or a
// name alone is not enough: docs about templates are named so.
func IsTemplate(p string, body []byte) bool {
	base := strings.ToLower(strings.TrimSuffix(path.Base(p), path.Ext(p)))
	for _, d := range strings.Split(strings.ToLower(path.Dir(p)), "/") {
		if d == "template" || d == "_templates" {
			return true
		}
	}
	named := base == "template" || strings.HasSuffix(base, "-template") || strings.HasSuffix(base, "_template") ||
		strings.HasSuffix(base, " template") || strings.HasPrefix(base, "template-") || strings.HasPrefix(base, "template_") ||
		strings.HasPrefix(base, "adr-template")
	return named && templateBlanks.Match(body)
}

// templateBlanks matches the blanks of a template: {a placeholder} (not a
// {{ template action }}), a line of an upper-case field name, guidance in
// a comment, TODO.
var templateBlanks = regexp.MustCompile(`(?m)(?:^|[^{])\{[A-Za-z][^{}\n]*[ ,|][^{}\n]*\}(?:[^}]|$)|^#*\s*(?:NUMBER\. )?(?:TITLE|DATE|STATUS|NUMBER)\s*$|<!--|\bTODO\b|\bTBD\b|\b(?:YYYY|yyyy|20xx)[-/]MM\b|^#\s+(?:[A-Z][a-z]+ )?Title\s*$`)

// signals are what a page says about its kind: its headings and the
// labels of its "Key: value" lines, lower case.
type signals struct {
	headings []string
	labels   map[string]string // label → value as written
}

// bodyLabel matches "Status: accepted", "* **Date:** 2020-01-02",
// "__Severity__: SEV-2" at the start of a line.
var bodyLabel = regexp.MustCompile(`^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)?([A-Za-z][A-Za-z /-]{1,30}?)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$`)

// mayBeLabel reports whether bodyLabel may match line: only when every
// byte before its first colon is one the pattern takes there (spaces, a
// list marker, emphasis, a label's letters, spaces, slashes and
// hyphens), as a label holds no colon; never when the line has no colon.
// Many lines with a colon (links, times, code spans) skip the pattern:
// 7,784 of 19,843 in ../shared/corpus and this handbook.
func mayBeLabel(line []byte) bool {
	c := bytes.IndexByte(line, ':')
	if c < 0 {
		return false
	}
	for _, b := range line[:c] {
		switch {
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
		case b == ' ', b == '\t', b == '\n', b == '\v', b == '\f', b == '\r':
		case b == '/', b == '-', b == '*', b == '_', b == '+':
		default:
			return false
		}
	}
	return true
}

// readSignals scans the body once, outside fenced code.
func readSignals(body []byte) signals {
	s := signals{labels: map[string]string{}}
	fence := byte(0)
	for len(body) > 0 {
		i := bytes.IndexByte(body, '\n')
		var l []byte
		if i < 0 {
			l, body = body, nil
		} else {
			l, body = body[:i], body[i+1:]
		}
		t := bytes.TrimLeft(l, " ")
		if len(t) >= 3 && (t[0] == '`' || t[0] == '~') && t[1] == t[0] && t[2] == t[0] {
			switch fence {
			case 0:
				fence = t[0]
			case t[0]:
				fence = 0
			}
			continue
		}
		if fence != 0 || len(t) == 0 {
			continue
		}
		if t[0] == '#' {
			h := bytes.TrimLeft(t, "#")
			if len(h) > 0 && h[0] == ' ' {
				s.headings = append(s.headings, headingKey(string(h)))
			}
			continue
		}
		if len(s.labels) > 64 || !mayBeLabel(l) {
			continue
		}
		if m := bodyLabel.FindSubmatch(l); m != nil {
			k := strings.ToLower(strings.TrimSpace(string(m[1])))
			if _, seen := s.labels[k]; !seen {
				s.labels[k] = strings.Trim(string(m[2]), "*_ ")
			}
		}
	}
	return s
}

// headingKey is a heading's text for matching: lower case, without
// Markdown emphasis, numbering or a trailing colon.
func headingKey(h string) string {
	h = strings.ToLower(strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#")))
	h = strings.Trim(h, "*_`: ")
	h = strings.TrimLeftFunc(h, func(r rune) bool { return unicode.IsDigit(r) || r == '.' || r == ' ' || r == ')' })
	return h
}

// has counts the headings that start with one of names.
func (s signals) has(names ...string) int {
	n := 0
	for _, h := range s.headings {
		for _, w := range names {
			if strings.HasPrefix(h, w) {
				n++
				break
			}
		}
	}
	return n
}

var (
	postmortemSections = []string{"summary", "incident summary", "impact", "timeline", "root cause", "contributing factor", "trigger", "detection", "resolution", "recovery", "action item", "follow-up", "follow up", "lessons learned", "what went well", "what went wrong", "where we got lucky"}
	adrSections        = []string{"context", "decision", "consequences", "considered options", "decision drivers", "decision outcome", "pros and cons", "status"}
	runbookSections    = []string{"overview", "symptoms", "verification", "diagnosis", "investigation", "mitigation", "remediation", "resolution", "escalation"}
	postmortemFields   = []string{"severity", "sev", "impact_start", "detected_at", "mitigated_at", "resolved_at", "start_time", "end_time", "incident_date", "responders", "duration"}
	adrFields          = []string{"status", "supersedes", "superseded_by", "superseded-by", "decision-makers", "decision_makers", "deciders"}
	runbookFields      = []string{"service", "last_reviewed", "alerts", "alert", "review_every", "dashboards", "escalation"}
)

func countKeys(fields map[string]bool, names []string) int {
	n := 0
	for _, k := range names {
		if fields[k] {
			n++
		}
	}
	return n
}

// decideKind settles the kind of a page whose front matter does not name
// one: folder is the kind its folder implies; keys are its front-matter
// keys. The page's own fields and sections come first: a page in a kind's
// folder must look like that kind (a checklist in incidents/ is a page),
// and a page outside any kind's folder that plainly is a postmortem or an
// ADR becomes one. A folder's index (README.md, index.md) takes the
// folder's kind only when it looks like one, for it usually introduces
// the folder.
func decideKind(p string, folder Kind, keys map[string]bool, s signals) Kind {
	base := strings.ToLower(strings.TrimSuffix(path.Base(p), path.Ext(p)))
	index := base == "readme" || base == "index" || base == "_index"
	title := strings.ToLower(base)
	pmSec, adrSec, rbSec := s.has(postmortemSections...), s.has(adrSections...), s.has(runbookSections...)
	pmKeys, adrKeys, rbKeys := countKeys(keys, postmortemFields), countKeys(keys, adrFields), countKeys(keys, runbookFields)
	_, statusLabel := s.labels["status"]
	statusLabel = statusLabel || s.has("status") > 0
	looksPostmortem := pmKeys > 0 || pmSec >= 2 && s.has("timeline", "root cause", "contributing factor", "impact", "action item") > 0 ||
		strings.Contains(title, "postmortem") || strings.Contains(title, "post-mortem") || strings.Contains(title, "incident report")
	looksADR := adrKeys > 0 || statusLabel && adrSec >= 2 || adrSec >= 3 || s.has("considered options", "decision outcome") > 0
	looksRunbook := rbKeys > 0 || rbSec >= 2
	dated := datePath.MatchString(base)
	switch folder {
	case KindPostmortem:
		if looksPostmortem || !index && (dated || pmSec > 0) {
			return folder
		}
		return KindPage
	case KindADR:
		if looksADR || !index && (statusLabel || adrSec > 0 || dated || adrNumber.MatchString(base)) {
			return folder
		}
		return KindPage
	case KindRunbook:
		if index && !looksRunbook {
			return KindPage
		}
		return folder
	case KindEvaluation, KindPost:
		if index {
			return KindPage
		}
		return folder
	}
	// No folder kind: only a page that plainly is one changes.
	switch {
	case index:
		return folder
	case pmSec >= 3 && s.has("timeline") > 0 && s.has("root cause", "contributing factor", "trigger", "action item") > 0:
		return KindPostmortem
	case statusLabel && s.has("context") > 0 && s.has("decision") > 0 && (s.has("consequences") > 0 || adrNumber.MatchString(base)):
		return KindADR
	case s.has("considered options") > 0 && s.has("decision outcome") > 0:
		return KindADR
	}
	return folder
}

// adrDialect tells which template an ADR follows, from its sections.
func adrDialect(s signals, body []byte) string {
	switch {
	case s.has("considered options", "decision outcome", "decision drivers", "context and problem statement", "pros and cons") > 0:
		return DialectMADR
	case s.has("status") > 0 || s.has("context") > 0 && s.has("decision") > 0 && s.has("consequences") > 0:
		return DialectNygard
	case yStatement.Match(body):
		return DialectYStatement
	}
	return ""
}

// yStatement matches the start of a Y-statement: "In the context of …,
// facing …, we decided for …".
var yStatement = regexp.MustCompile(`(?is)\bin the context of\b.{0,400}?\bfacing\b.{0,400}?\bwe decided\b`)

// decorated strips what decorates a status: emoji, symbols, emphasis and
// brackets around the word ("✅ Accepted", "**Accepted** 🎉", "[Proposed]").
func decorated(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// supersededText finds the ADR named in "Superseded by ADR-12", "superseded
// by 0012-use-x.md", "Superseded by [[adr-12]]" written as plain text.
var supersededText = regexp.MustCompile(`(?i)\b(?:superseded|superceded|replaced)\s+by\s*:?\s*(?:\[\[)?((?:adr[-_ ]?)?\d{1,5}\b(?:[-\w]*\.md)?|[\w./-]+\.md)`)

// looseDate reads a date written in one of the common non-ISO forms:
// 05/02/2018, 5.2.2018, 2018/02/05, 2 May 2018, May 2, 2018, 2nd May
// 2018. ambiguous, when set, names the other reading of a day/month pair.
func looseDate(s string) (t time.Time, ambiguous string, ok bool) {
	s = strings.TrimSpace(s)
	if m := numericDate.FindStringSubmatch(s); m != nil {
		a, _ := strconv.Atoi(m[1])
		b, _ := strconv.Atoi(m[3])
		c, _ := strconv.Atoi(m[4])
		if len(m[1]) == 4 { // 2018/02/05: year, month, day
			return makeDate(a, b, c)
		}
		year := c
		if len(m[4]) == 2 {
			year += 2000
		}
		// An order that only one reading allows decides; else slashes are
		// read month first (05/02/2018, as English-language tools write
		// it) and dots and hyphens day first (05.02.2018), and the other
		// reading is reported.
		day, month := a, b
		switch {
		case b > 12:
			day, month = b, a
		case a > 12:
		case m[2] == "/":
			day, month = b, a
		}
		t, _, ok := makeDate(year, month, day)
		if ok && a <= 12 && b <= 12 && a != b {
			other := time.Date(year, time.Month(day), month, 0, 0, 0, 0, time.UTC) // day and month swapped
			ambiguous = other.Format("2006-01-02")
		}
		return t, ambiguous, ok
	}
	clean := ordinal.ReplaceAllString(strings.ReplaceAll(s, ",", ""), "$1")
	for _, l := range []string{"2 January 2006", "2 Jan 2006", "January 2 2006", "Jan 2 2006", "2. January 2006", "Monday 2 January 2006", "Monday January 2 2006"} {
		if t, err := time.Parse(l, clean); err == nil {
			return t, "", true
		}
	}
	return time.Time{}, "", false
}

var (
	numericDate = regexp.MustCompile(`^(\d{1,4})([/.-])(\d{1,2})[/.-](\d{2,4})$`)
	ordinal     = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)\b`)
)

func makeDate(y, m, d int) (time.Time, string, bool) {
	if m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2200 {
		return time.Time{}, "", false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, "", false // 31 February
	}
	return t, "", true
}

// nonISODate reports a date read from a non-ISO form: an info that names
// the ISO form, or a warning when its day and month could be either way.
func (r *reader) nonISODate(pos diag.Position, name, written string, t time.Time, other string) {
	iso := t.Format("2006-01-02")
	if other != "" {
		r.diags.Add(pos, diag.Warning, "date-format", "%s %q is not an ISO date and its day and month could be either way: read as %s (%s), but it could be %s; write it as YYYY-MM-DD", name, written, iso, t.Format("2 January 2006"), other)
		return
	}
	r.diags.Add(pos, diag.Info, "date-format", "%s %q is not an ISO date; it is read as %s: write it so", name, written, iso)
}

// uuidTitle matches a title that is only an identifier: a UUID, or a long
// hex or numeric id, as exported incident tools name files.
var uuidTitle = regexp.MustCompile(`(?i)^(?:[0-9a-f]{8}[- ]?[0-9a-f]{4}[- ]?[0-9a-f]{4}[- ]?[0-9a-f]{4}[- ]?[0-9a-f]{12}|[0-9a-f]{16,}|\d{6,})$`)

// IsIDTitle reports whether a title is an identifier rather than words.
func IsIDTitle(t string) bool { return uuidTitle.MatchString(strings.TrimSpace(t)) }
