// Package page reads one Markdown file into a Page: its kind, its typed
// front matter and its body, with every value's position in the file kept
// so that problems are reported at path:line:col.
//
// A file is split into YAML front matter and body (Split); the front matter
// is decoded through yaml.v3 nodes, field by field, so that a wrong type or
// an unknown enum value is a positioned diagnostic and the rest of the page
// is still read. Fields shared by every kind live on Page; the fields of
// each kind live in Runbook, ADR, Postmortem, Evaluation and Post.
//
// Pages written for other tools are read as written (dialect.go, radar.go):
// the kind comes from the front matter, then from what the page says
// (fields, sections), then from its folder; templates are marked as
// examples; ADRs are read in the dialects found in the wild (status in YAML,
// in a "## Status" section, in a "* Status:" bullet or an inline "Status:"
// line, decorated or not; number from the file name; Nygard, MADR and
// Y-statement templates), postmortems with their body labels and other
// tools' field names, radar names of AOE and Thoughtworks, dates in common
// non-ISO forms, all normalized.
//
// Package page knows nothing of sites, URLs or Markdown rendering.
package page

import (
	"fmt"
	"strings"
)

// Kind is what a page is for; it selects its fields, checks and layout.
type Kind string

// The page kinds.
const (
	KindPage       Kind = "page"
	KindRunbook    Kind = "runbook"
	KindADR        Kind = "adr"
	KindPostmortem Kind = "postmortem"
	KindEvaluation Kind = "evaluation"
	KindPost       Kind = "post"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{KindRunbook, KindADR, KindPostmortem, KindEvaluation, KindPost, KindPage}

// ParseKind reads a kind name; plural forms and a few synonyms are
// accepted.
func ParseKind(s string) (Kind, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "page", "pages", "doc", "docs", "guide", "guides":
		return KindPage, true
	case "runbook", "runbooks", "playbook":
		return KindRunbook, true
	case "adr", "adrs", "decision", "decisions":
		return KindADR, true
	case "postmortem", "postmortems", "post-mortem", "incident", "incidents":
		return KindPostmortem, true
	case "evaluation", "evaluations", "radar", "blip":
		return KindEvaluation, true
	case "post", "posts", "blog":
		return KindPost, true
	}
	return "", false
}

// Title is the kind's name for headings: "Runbook", "ADR".
func (k Kind) Title() string {
	switch k {
	case KindADR:
		return "ADR"
	case "":
		return "Page"
	}
	return strings.ToUpper(string(k[:1])) + string(k[1:])
}

// Plural is the kind's plural for index headings: "Runbooks", "ADRs".
func (k Kind) Plural() string {
	return k.Title() + "s"
}

// Schema holds the configurable value sets that front matter is checked
// against.
type Schema struct {
	// Severities is the postmortem severity scale, most severe first.
	Severities []string
	// Rings and Quadrants are the tech radar's sets for evaluations; a
	// value names one of them as Schema.Ring and Schema.Quadrant match.
	Rings     []string
	Quadrants []string
	// OpenQuadrants is set when the site does not list its quadrants:
	// a quadrant that names none of Quadrants is then one more quadrant,
	// named as written (Thoughtworks' "Languages & Frameworks", a team's
	// "Data"), not an error.
	OpenQuadrants bool
	// ExtraFields are front-matter keys (lower case) that pages may carry
	// without an unknown-field warning, for layouts that read them.
	ExtraFields []string
	// Visibility is the visibility of pages that do not say: "internal"
	// (when empty) or "public", for a handbook published as a whole.
	Visibility string
}

// DefaultSchema returns the sets DESIGN.md gives as defaults.
func DefaultSchema() Schema {
	return Schema{
		Severities: []string{"SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"},
		Rings:      []string{"adopt", "trial", "assess", "hold"},
		Quadrants:  []string{"languages", "frameworks", "tools", "platforms", "techniques"},
		// The defaults are a suggestion: evaluations may bring their own.
		OpenQuadrants: true,
	}
}

// ADR statuses after normalization.
var ADRStatuses = []string{"proposed", "accepted", "rejected", "deprecated", "superseded"}

// PostmortemStatuses are the allowed postmortem statuses.
var PostmortemStatuses = []string{"draft", "in-review", "reviewed", "closed"}

// NormalizeADRStatus maps the words found in real ADRs to one of
// ADRStatuses. The second result is false when the word is unknown.
func NormalizeADRStatus(s string) (string, bool) {
	w := strings.ToLower(strings.TrimSpace(s))
	w = strings.Trim(w, "*_`.:;! ")
	if i := strings.IndexAny(w, " ,(["); i >= 0 {
		// "superseded by ADR-0012", "accepted (2020-01-02)".
		head := w[:i]
		if head == "superseded" || head == "replaced" || head == "deprecated" || head == "accepted" || head == "rejected" || head == "proposed" {
			w = head
		} else if strings.HasPrefix(w, "in review") || strings.HasPrefix(w, "under review") {
			w = "proposed"
		}
	}
	switch w {
	case "proposed", "proposal", "draft", "open", "pending", "in-review", "review", "rfc", "suggested", "wip", "on hold", "on-hold", "deferred", "postponed", "parked", "discussing", "under discussion":
		return "proposed", true
	case "accepted", "accept", "approved", "adopted", "agreed", "decided", "done", "active", "implemented", "final":
		return "accepted", true
	case "rejected", "declined", "refused", "denied", "abandoned", "withdrawn":
		return "rejected", true
	case "deprecated", "obsolete", "retired", "archived":
		return "deprecated", true
	case "superseded", "replaced", "superceded", "amended":
		return "superseded", true
	}
	return "", false
}

func oneOf(v string, set []string) (string, bool) {
	for _, s := range set {
		if strings.EqualFold(s, v) {
			return s, true
		}
	}
	return "", false
}

func quoteList(set []string) string {
	var b strings.Builder
	for i, s := range set {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%q", s)
	}
	return b.String()
}
