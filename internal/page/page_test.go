package page

import (
	"strings"
	"testing"
	"time"
)

func TestParseADRDialects(t *testing.T) {
	tests := []struct {
		name, path, src   string
		status, raw, from string
		number            int
		supersededBy      string
	}{
		{"yaml", "adr/0007-use-goldmark.md", "---\ntitle: Use goldmark\nstatus: Approved\ndate: 2024-01-02\n---\n# Use goldmark\n", "accepted", "Approved", "front matter", 7, ""},
		{"section", "adr/0012-x.md", "# X\n\nDate: 2024-01-02\n\n## Status\n\nSuperseded by [ADR-13](0013-y.md)\n\n## Context\n", "superseded", "Superseded by [ADR-13](0013-y.md)", "section", 12, "0013-y.md"},
		{"bullet", "docs/adr/20200926-use-number.md", "# Use number\n\n- Status: superseded by [20201016-slug](20201016-slug.md)\n- Date: 2020-09-26\n", "superseded", "superseded by [20201016-slug](20201016-slug.md)", "bullet", 0, "20201016-slug.md"},
		{"line", "decisions/3-z.md", "# Z\n\nStatus: accepted\nDate: 2021-05-06\n", "accepted", "accepted", "line", 3, ""},
		{"bold", "decisions/4-z.md", "# Z\n\n**Status:** Proposed\n\n**Date:** 2021-05-06\n", "proposed", "Proposed", "line", 4, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, diags := Parse(tt.path, []byte(tt.src), KindADR, DefaultSchema())
			if len(diags) != 0 {
				t.Fatalf("diagnostics: %v", diags)
			}
			a := p.ADR
			if a.Status != tt.status || a.RawStatus != tt.raw || a.StatusFrom != tt.from || a.Number != tt.number {
				t.Errorf("got status %q raw %q from %q number %d; want %q %q %q %d", a.Status, a.RawStatus, a.StatusFrom, a.Number, tt.status, tt.raw, tt.from, tt.number)
			}
			got := ""
			if len(a.SupersededBy) > 0 {
				got = a.SupersededBy[0].Target
			}
			if got != tt.supersededBy {
				t.Errorf("superseded_by = %q, want %q", got, tt.supersededBy)
			}
			if p.Date.IsZero() {
				t.Errorf("no date")
			}
		})
	}
}

func TestParseDiagnosticsPositioned(t *testing.T) {
	src := "---\ntitle: Payments DB failover\nservice: payments\nowner: sre\nlast_reviewed: 2024-13-45\nreview_every: often\nkind: runbok\ntags: {a: b}\n---\nbody\n"
	_, diags := Parse("runbooks/db.md", []byte(src), KindRunbook, DefaultSchema())
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
	}
	want := []string{
		`runbooks/db.md:7:7: error unknown-kind: unknown kind "runbok"; use one of page, runbook, adr, postmortem, evaluation, post`,
		`runbooks/db.md:8:7: error field-type: tags must be a list of strings, not a mapping`,
		`runbooks/db.md:5:16: error date-format: last_reviewed "2024-13-45" is not a date; write it as YYYY-MM-DD`,
		`runbooks/db.md:6:15: error field-type: review_every "often" is not an interval; write a number of days, weeks, months or years such as "90d", "12w", "6mo", "1y"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseBrokenYAML(t *testing.T) {
	src := "---\ntitle: ok\ndate: [2024\n---\n# Body\n"
	p, diags := Parse("content/x.md", []byte(src), KindPage, DefaultSchema())
	if len(diags) != 1 || diags[0].Pos.Line != 2 || diags[0].Rule != "front-matter-syntax" {
		t.Fatalf("diags = %v", diags)
	}
	if p.Title != "Body" || !p.TitleFromBody {
		t.Errorf("title = %q", p.Title)
	}
}

func TestPostmortemDurations(t *testing.T) {
	src := "---\ntitle: Outage\ndate: 2024-03-05\nseverity: 2\nowner: sre\nimpact_start: 2024-03-05T10:00:00Z\ndetected_at: 2024-03-05T10:07:00Z\nmitigated_at: 2024-03-05T10:40:00Z\nresolved_at: 2024-03-05T12:00:00+01:00\n---\n"
	p, diags := Parse("postmortems/x.md", []byte(src), KindPostmortem, DefaultSchema())
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	pm := p.Postmortem
	if pm.Severity != "SEV-2" {
		t.Errorf("severity %q", pm.Severity)
	}
	if pm.TimeToDetect() != 7*time.Minute || pm.Duration() != 40*time.Minute || pm.TimeToResolve() != time.Hour {
		t.Errorf("ttd %v duration %v ttr %v", pm.TimeToDetect(), pm.Duration(), pm.TimeToResolve())
	}
}

func TestInvalidUTF8(t *testing.T) {
	p, diags := Parse("x.md", []byte("# T\n\nab\xffc\n"), KindPage, DefaultSchema())
	if len(diags) != 1 || diags[0].Pos.Line != 3 || diags[0].Pos.Col != 3 || diags[0].Rule != "invalid-utf8" {
		t.Fatalf("diags = %v", diags)
	}
	if !strings.Contains(string(p.Body), "\uFFFD") {
		t.Errorf("body not repaired")
	}
}

func TestSplitKeepsLines(t *testing.T) {
	fm, body, line := Split([]byte("---\na: 1\nb: 2\n---\nbody\n"))
	if string(fm.Raw) != "a: 1\nb: 2\n" || string(body) != "body\n" || line != 5 || !fm.Closed {
		t.Errorf("fm %q body %q line %d", fm.Raw, body, line)
	}
}
