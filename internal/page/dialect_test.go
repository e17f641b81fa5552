package page

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/golden"
)

func TestLooseDate(t *testing.T) {
	for _, c := range []struct {
		in, want, other string
		ok              bool
	}{
		{"05/02/2018", "2018-05-02", "2018-02-05", true}, // slashes: month first, ambiguous
		{"25/12/2018", "2018-12-25", "", true},           // only one reading
		{"12/25/2018", "2018-12-25", "", true},
		{"05.02.2018", "2018-02-05", "2018-05-02", true}, // dots: day first
		{"5.2.18", "2018-02-05", "2018-05-02", true},
		{"2018/02/05", "2018-02-05", "", true},
		{"14 March 2019", "2019-03-14", "", true},
		{"March 14, 2019", "2019-03-14", "", true},
		{"14th Mar 2019", "2019-03-14", "", true},
		{"Monday 20 January 2020", "2020-01-20", "", true},
		{"01/01/2020", "2020-01-01", "", true}, // the same either way
		{"31/02/2020", "", "", false},
		{"soon", "", "", false},
		{"13/13/2020", "", "", false},
	} {
		got, other, ok := looseDate(c.in)
		if ok != c.ok || ok && (got.Format("2006-01-02") != c.want || other != c.other) {
			t.Errorf("looseDate(%q) = %s, %q, %v; want %s, %q, %v", c.in, got.Format("2006-01-02"), other, ok, c.want, c.other, c.ok)
		}
	}
}

func TestDecoratedStatus(t *testing.T) {
	for in, want := range map[string]string{
		"✅ Accepted":                "accepted",
		"🚫 Rejected":                "rejected",
		"**Accepted** 🎉":            "accepted",
		"[Proposed]":                "proposed",
		"⚠️ Deprecated":             "deprecated",
		"Superseded by ADR-0012 ⛔️": "superseded",
		"accepted (2020-01-02)":     "accepted",
	} {
		if got, ok := NormalizeADRStatus(decorated(in)); !ok || got != want {
			t.Errorf("status %q = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func TestSupersessionInWords(t *testing.T) {
	for in, want := range map[string]string{
		"🚫 Superseded by ADR-0012":                 "ADR-0012",
		"Superseded by 0012-use-nats.md":           "0012-use-nats.md",
		"superseded by [[adr-12]]":                 "adr-12",
		"Superseded by [ADR-12](0012-use-nats.md)": "0012-use-nats.md",
		"Replaced by 12":                           "12",
	} {
		p, _ := Parse("adr/0001-x.md", []byte("# X\n\n## Status\n\n"+in+"\n\n## Context\n\nc\n"), KindADR, DefaultSchema())
		if p.ADR.Status != "superseded" || len(p.ADR.SupersededBy) != 1 || p.ADR.SupersededBy[0].Target != want {
			t.Errorf("%q: status %q, superseded by %v; want %q", in, p.ADR.Status, p.ADR.SupersededBy, want)
		}
	}
}

func TestDecideKind(t *testing.T) {
	for _, c := range []struct {
		name, path, src string
		folder          Kind
		want            Kind
		from            string
	}{
		{"a checklist among incidents", "incidents/on-call-checklist.md", "# On-call checklist\n\n## Before your shift\n\n## During an incident\n", KindPostmortem, KindPage, ""},
		{"a dated postmortem", "incidents/2024-01-02-outage.md", "# Outage\n", KindPostmortem, KindPostmortem, "folder"},
		{"a postmortem by its sections", "PM2020-001 - Outage.md", "# Outage\n\n## Summary\n\n## Timeline\n\n## Contributing Factors\n\n## Action Items\n", KindPage, KindPostmortem, "content"},
		{"a guide with a summary", "guide.md", "# Guide\n\n## Summary\n\n## Steps\n", KindPage, KindPage, ""},
		{"an ADR log's README", "docs/adr/README.md", "# Decisions\n\n- [ADR-1](0001-x.md)\n", KindADR, KindPage, ""},
		{"a Nygard ADR outside a folder", "0007-use-x.md", "# 7. Use X\n\n## Status\n\nAccepted\n\n## Context\n\n## Decision\n\n## Consequences\n", KindPage, KindADR, "content"},
		{"an ADR by its number", "adr/0003-x.md", "# X\n\nSome text.\n", KindADR, KindADR, "folder"},
		{"a template", "adr/template.md", "# NUMBER. TITLE\n\n## Status\n\n## Context\n", KindADR, KindPage, ""},
		{"a runbook folder's README", "runbooks/README.md", "# Runbooks\n\nAll of them.\n", KindRunbook, KindPage, ""},
		{"a service runbook README", "runbooks/payments/README.md", "---\nservice: payments\n---\n# Payments\n\n## Mitigation\n", KindRunbook, KindRunbook, "folder"},
		{"front matter wins", "incidents/x.md", "---\nkind: page\n---\n# X\n\n## Timeline\n\n## Root cause\n", KindPostmortem, KindPage, "front matter"},
	} {
		p, _ := Parse(c.path, []byte(c.src), c.folder, DefaultSchema())
		if p.Kind != c.want || p.KindFrom != c.from {
			t.Errorf("%s: kind %s from %q, want %s from %q", c.name, p.Kind, p.KindFrom, c.want, c.from)
		}
	}
}

func TestADRDialectRequirements(t *testing.T) {
	for _, c := range []struct {
		name, src string
		dialect   string
		diags     int
	}{
		{"MADR without status or date", "# Use X\n\n## Context and Problem Statement\n\n## Considered Options\n\n## Decision Outcome\n", DialectMADR, 0},
		{"Nygard without a date", "# 3. Use X\n\n## Status\n\nAccepted\n\n## Context\n\n## Decision\n\n## Consequences\n", DialectNygard, 0},
		{"Y-statement", "# Use X\n\nIn the context of the API, facing slow reads, we decided for a cache to achieve speed.\n", DialectYStatement, 0},
		{"handbook's own without a date", "---\nstatus: accepted\n---\n# Use X\n\nText.\n", "", 1},
	} {
		p, diags := Parse("adr/0003-use-x.md", []byte(c.src), KindADR, DefaultSchema())
		if p.ADR.Dialect != c.dialect || len(diags) != c.diags {
			t.Errorf("%s: dialect %q, %d findings %v; want %q, %d", c.name, p.ADR.Dialect, len(diags), diags, c.dialect, c.diags)
		}
	}
}

func TestADRZero(t *testing.T) {
	p, _ := Parse("adr/0000-record-decisions.md", []byte("# Record decisions\n\n## Status\n\nAccepted\n"), KindADR, DefaultSchema())
	if !p.ADR.HasNumber || p.ADR.Number != 0 {
		t.Errorf("ADR 0000: number %d, has %v", p.ADR.Number, p.ADR.HasNumber)
	}
}

func TestPostmortemFromBody(t *testing.T) {
	src := "# DB outage\n\n**Incident Date:** 14/05/2024\n\n**Severity:** SEV-2\n\n## Summary\n\n## Timeline\n\n| 2024-05-13 09:00 | x |\n\n## Root cause\n"
	p, diags := Parse("incidents/db.md", []byte(src), KindPostmortem, DefaultSchema())
	if p.Postmortem.Severity != "SEV-2" || !p.Date.Equal(time.Date(2024, 5, 14, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("severity %q date %v", p.Postmortem.Severity, p.Date)
	}
	if len(diags) == 0 || diags[0].Rule != "date-format" || diags[0].Pos.Line != 3 {
		t.Errorf("want a date-format note at line 3, got %v", diags)
	}
	p, _ = Parse("incidents/db.md", []byte("# DB outage\n\n## Timeline\n\n- 2024-05-13 09:00 alerts\n"), KindPostmortem, DefaultSchema())
	if !p.Date.Equal(time.Date(2024, 5, 13, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("date from the timeline: %v", p.Date)
	}
	p, _ = Parse("incidents/x.md", []byte("---\nseverity: 2\nstart_time: 2024-05-13T09:00:00Z\nend_time: 2024-05-13T10:00:00Z\nurl: https://status.example.com/x\nincident_date: 2024-05-13\n---\n# X\n"), KindPostmortem, DefaultSchema())
	if p.Postmortem.TimeToResolve() != time.Hour || p.Postmortem.URL == "" || p.Date.IsZero() {
		t.Errorf("vocabulary: resolve %v url %q date %v", p.Postmortem.TimeToResolve(), p.Postmortem.URL, p.Date)
	}
}

func TestIsTemplate(t *testing.T) {
	blank := []byte("# {short title}\n\n## Status\n\n<!-- proposed, accepted -->\n")
	for _, c := range []struct {
		path string
		body []byte
		want bool
	}{
		{"adr/template.md", blank, true},
		{"adr/adr-template.md", []byte("# NUMBER. TITLE\n\nDate: DATE\n"), true},
		{"adr/0000-template.md", []byte("## Context\n\nTODO\n"), true},
		{"PMyyyy-nnn - Postmortem template.md", blank, true},
		{"template/adr-template-bare.md", []byte("# X\n"), true},
		{"glossary/template.md", []byte("A template is a file that {{ describes }} a page.\n"), false},
		{"pipes/resource-from-template.md", []byte("Use {{ resources.ExecuteAsTemplate }}.\n"), false},
		{"adr/0001-use-templates.md", blank, false},
		{"docs/templates/lookup-order.md", blank, false},
	} {
		if got := IsTemplate(c.path, c.body); got != c.want {
			t.Errorf("IsTemplate(%q) = %v", c.path, got)
		}
	}
}

// TestMayBeLabel: the filter before bodyLabel passes every line the
// pattern matches, on every line of the corpora and of this handbook,
// and on lines made to sit at its edges; and it spares the pattern most
// lines with a colon.
func TestMayBeLabel(t *testing.T) {
	lines := []string{
		"Owner: team-a", "- **Status:** done", "  __Team__ : x", "* Severity/Impact: high",
		"See https://example.com", "1. Step: run it", "`code`: x", "Ünïcode: x", "\tTab label: x",
		"**Date**: 2024", "+ Plus-list item: x", "A label with spaces longer than thirty chars: x", "No colon here",
	}
	for _, dir := range []string{golden.CorpusDir(t), "../.."} {
		_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != dir || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".md") {
				return nil
			}
			if src, err := os.ReadFile(p); err == nil {
				lines = append(lines, strings.Split(string(src), "\n")...)
			}
			return nil
		})
	}
	colons, spared := 0, 0
	for _, l := range lines {
		may, does := mayBeLabel([]byte(l)), bodyLabel.MatchString(l)
		if does && !may {
			t.Errorf("mayBeLabel(%q) = false, but the pattern matches it", l)
		}
		if strings.Contains(l, ":") {
			colons++
			if !may {
				spared++
			}
		}
	}
	t.Logf("%d lines, %d with a colon, %d of them spared the pattern", len(lines), colons, spared)
	if spared*3 < colons {
		t.Errorf("only %d of %d lines with a colon spared the pattern", spared, colons)
	}
}
