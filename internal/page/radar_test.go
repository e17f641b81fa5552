package page

import (
	"strings"
	"testing"
)

func TestRadarKey(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"Languages & Frameworks", "language and framework"},
		{"languages-and-frameworks", "language and framework"},
		{"languages_and_frameworks", "language and framework"},
		{"  Methods  and Patterns ", "method and pattern"},
		{"Tools", "tool"},
		{"assess", "assess"},
		{"Hold on", "hold on"},
		{"", ""},
	} {
		if got := RadarKey(tt.in); got != tt.want {
			t.Errorf("RadarKey(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSchemaRingAndQuadrant(t *testing.T) {
	def := DefaultSchema()
	aoe := Schema{
		Rings:     []string{"adopt", "trial", "assess", "hold"},
		Quadrants: []string{"languages-and-frameworks", "methods-and-patterns", "platforms-and-operations", "tools"},
	}
	own := Schema{Rings: []string{"use", "try", "avoid"}}
	tests := []struct {
		schema   Schema
		what, in string
		want     string // "" for no match
	}{
		{def, "ring", "adopt", "adopt"},
		{def, "ring", "Adopt", "adopt"},
		{def, "ring", "ADOPT", "adopt"},
		{def, "ring", " trial ", "trial"},
		{def, "ring", "Hold on", "hold"},
		{def, "ring", "on-hold", "hold"},
		{def, "ring", "assessing", "assess"},
		{def, "ring", "keep", ""},
		{def, "ring", "", ""},
		{own, "ring", "Use", "use"},
		{own, "ring", "adopt", ""}, // no adopt ring to be a synonym of
		{def, "quadrant", "tools", "tools"},
		{def, "quadrant", "Tools", "tools"},
		{def, "quadrant", "Tool", "tools"},
		{def, "quadrant", "Platforms", "platforms"},
		{def, "quadrant", "Techniques", "techniques"},
		{def, "quadrant", "methods-and-patterns", "techniques"},
		{def, "quadrant", "Methods & Patterns", "techniques"},
		{def, "quadrant", "platforms-and-operations", "platforms"},
		{def, "quadrant", "Platforms & Operations", "platforms"},
		{def, "quadrant", "languages-and-frameworks", ""}, // a quadrant of its own
		{def, "quadrant", "Languages & Frameworks", ""},
		{aoe, "quadrant", "Languages & Frameworks", "languages-and-frameworks"},
		{aoe, "quadrant", "languages and frameworks", "languages-and-frameworks"},
		{aoe, "quadrant", "METHODS_AND_PATTERNS", "methods-and-patterns"},
		{aoe, "quadrant", "Techniques", ""},
		{aoe, "quadrant", "Platforms", ""},
	}
	for _, tt := range tests {
		got, ok := tt.schema.Ring(tt.in)
		if tt.what == "quadrant" {
			got, ok = tt.schema.Quadrant(tt.in)
		}
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s %q in %v: got %q, %v; want %q", tt.what, tt.in, tt.schema.Quadrants, got, ok, tt.want)
		}
	}
}

// TestParseRadarValues: what an evaluation's ring and quadrant read as,
// and what is reported, with the default (open) quadrants and with
// quadrants the site lists.
func TestParseRadarValues(t *testing.T) {
	listed := DefaultSchema()
	listed.OpenQuadrants = false
	tests := []struct {
		name           string
		schema         Schema
		ring, quadrant string
		wantRing       string
		wantQuad       string
		diag           string
	}{
		{"aoe", DefaultSchema(), "adopt", "methods-and-patterns", "adopt", "techniques", ""},
		{"thoughtworks", DefaultSchema(), "Hold", "Languages & Frameworks", "hold", "Languages & Frameworks", ""},
		{"own quadrant", DefaultSchema(), "assess", "Data", "assess", "Data", ""},
		{"misspelled", DefaultSchema(), "trial", "tols", "trial", "tols", `x.md:4:11: error allowed-value: quadrant "tols" looks like a misspelling of "tools"`},
		{"listed", listed, "trial", "Data", "trial", "Data", `x.md:4:11: error allowed-value: quadrant "Data" is not allowed; use one of "languages", "frameworks", "tools", "platforms", "techniques"`},
		{"unknown ring", DefaultSchema(), "keep", "tools", "keep", "tools", `x.md:3:7: error allowed-value: ring "keep" is not allowed; use one of "adopt", "trial", "assess", "hold"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "---\ntitle: X\nring: " + tt.ring + "\nquadrant: " + tt.quadrant + "\ndate: 2024-01-01\nhistory:\n  - {date: 2023-01-01, ring: On Hold}\n---\nText.\n"
			p, diags := Parse("x.md", []byte(src), KindEvaluation, tt.schema)
			var got []string
			for _, d := range diags {
				got = append(got, d.String())
			}
			if g := strings.Join(got, "\n"); tt.diag == "" && g != "" || !strings.HasPrefix(g, tt.diag) || tt.diag != "" && len(got) != 1 {
				t.Errorf("findings:\n%s\nwant %s", g, tt.diag)
			}
			e := p.Evaluation
			if e.Ring != tt.wantRing || e.Quadrant != tt.wantQuad || e.QuadrantLabel != tt.quadrant {
				t.Errorf("ring %q quadrant %q label %q; want %q %q %q", e.Ring, e.Quadrant, e.QuadrantLabel, tt.wantRing, tt.wantQuad, tt.quadrant)
			}
			if len(e.History) != 1 || e.History[0].Ring != "hold" {
				t.Errorf("history %+v", e.History)
			}
		})
	}
}
