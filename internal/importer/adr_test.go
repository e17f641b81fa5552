package importer

import (
	"strings"
	"testing"
)

func TestLocateADRs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		files  map[string]string
		locate func(fsMap map[string]string) (string, error)
		want   string
	}{
		{"adr-dir file", map[string]string{".adr-dir": "architecture/decisions\n", "architecture/decisions/0001-x.md": ""}, func(m map[string]string) (string, error) { return locateADRTools(mapFS(m)) }, "architecture/decisions"},
		{"doc/adr", map[string]string{"doc/adr/0001-x.md": ""}, func(m map[string]string) (string, error) { return locateADRTools(mapFS(m)) }, "doc/adr"},
		{"the log itself", map[string]string{"0001-x.md": ""}, func(m map[string]string) (string, error) { return locateADRTools(mapFS(m)) }, "."},
		{"log4brains.yml", map[string]string{".log4brains.yml": "project:\n  adrFolder: ./decisions\n", "decisions/20200101-x.md": ""}, func(m map[string]string) (string, error) { return locateLog4brains(mapFS(m)) }, "decisions"},
		{"docs/adr", map[string]string{"docs/adr/20200101-x.md": ""}, func(m map[string]string) (string, error) { return locateLog4brains(mapFS(m)) }, "docs/adr"},
	} {
		got, err := tc.locate(tc.files)
		if err != nil || got != tc.want {
			t.Errorf("%s: located %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestADRTools(t *testing.T) {
	fsys := mapFS(map[string]string{
		"0001-record-architecture-decisions.md": "# 1. Record architecture decisions\n\nDate: 2018-01-10\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n\n## Decision\n\nD.\n\n## Consequences\n\nSee [the second](0002-second.md).\n",
		"0002-second.md":                        "# 2. Second\n\nDate: 12 January 2019\n\n## Status\n\nSuperseded by [3. Third](0003-third.md)\n\nSuperseded by ADR-0007\n\n## Context\n\nC.\n",
		"0003-third.md":                         "---\ntags: [db]\n---\n# 3. Third\n\nDate: 2019-06-01\n\n## Status\n\nProposed\n\nSupersedes [2. Second](0002-second.md)\n\n## Context\n\n```\nSupersedes [9](0009-nine.md)\n```\n",
		"0003-clash.md":                         "# 3. Clash\n\nDate: 2019-07-01\n\n## Status\n\nWeird\n",
		"README.md":                             "See [the first](0001-record-architecture-decisions.md).\n",
		"templates/template.md":                 "# NUMBER. TITLE\n\nDate: DATE\n",
	})
	p := ADRTools([]Input{{Name: "log", FS: fsys}}, Options{Today: today})
	if got, want := fileOf(t, p, "0001-record-architecture-decisions.md"), "---\ntitle: Record architecture decisions\nstatus: accepted\ndate: 2018-01-10\nnumber: 1\n---\n\n## Status\n\nAccepted\n\n## Context\n\nC.\n\n## Decision\n\nD.\n\n## Consequences\n\nSee [the second](0002-second.md).\n"; got != want {
		t.Errorf("0001:\n%s\nwant:\n%s", got, want)
	}
	// A date in another form is read as the site reads it.
	if got := fileOf(t, p, "0002-second.md"); !strings.Contains(got, "status: superseded\ndate: 2019-01-12\nnumber: 2\nsuperseded_by: [ADR-0003]\n") {
		t.Errorf("0002:\n%s", got)
	}
	if got := fileOf(t, p, "0003-third.md"); !strings.HasPrefix(got, "---\ntags: [db]\ntitle: Third\nstatus: proposed\ndate: 2019-06-01\nnumber: 3\nsupersedes: [ADR-0002]\n---\n") {
		t.Errorf("0003-third:\n%s", got)
	}
	// An unknown status stays in the text for the site to report.
	if got := fileOf(t, p, "0003-clash.md"); strings.Contains(got, "status:") {
		t.Errorf("0003-clash has a status:\n%s", got)
	}
	fileOf(t, p, "README.md")
	fileOf(t, p, "templates/template.md")
	want := "log/0002-second.md:9:1: warning import: \"ADR-0007\" names no ADR of the log; it is left in the text only\n" +
		"log/0003-clash.md: warning import: ADR number 3 is also log/0003-third.md; --renumber numbers the ADRs 1, 2, … in date order\n"
	if d := diags(p); d != want {
		t.Errorf("report:\n%swant:\n%s", d, want)
	}

	// Renumbered: in date order, the links and their texts following.
	p = ADRTools([]Input{{Name: "log", FS: fsys}}, Options{Today: today, Renumber: true})
	var names []string
	for _, f := range p.Files {
		names = append(names, f.Path)
	}
	if got, want := strings.Join(names, " "), "0001-record-architecture-decisions.md 0002-second.md 0003-third.md 0004-clash.md README.md templates/template.md"; got != want {
		t.Errorf("renumbered files: %s\nwant: %s", got, want)
	}
	if got := fileOf(t, p, "0002-second.md"); !strings.Contains(got, "Superseded by [3. Third](0003-third.md)") {
		t.Errorf("0002:\n%s", got)
	}
}

func TestLog4brainsRenumber(t *testing.T) {
	fsys := mapFS(map[string]string{
		"20201016-b.md": "# B\n\n- Status: accepted\n- Date: 2020-10-16\n\nAfter [20200926-a](20200926-a.md) and [the index](index.md), see [[adr-1]].\n",
		"20200926-a.md": "# A\n\n* **Status:** superseded by [20201016-b](20201016-b.md)\n* **Deciders:** Ann, Bo <!-- optional -->\n* **Date:** 2020-09-26\n\nText.\n",
		"index.md":      "[A](20200926-a.md#text)\n",
	})
	p := Log4brains([]Input{{Name: "adr", FS: fsys}}, Options{Today: today, Renumber: true})
	if got, want := fileOf(t, p, "0001-a.md"), "---\ntitle: A\nstatus: superseded\ndate: 2020-09-26\nnumber: 1\ndecision-makers: [Ann, Bo]\nsuperseded_by: [ADR-0002]\n---\n\nText.\n"; got != want {
		t.Errorf("0001-a.md:\n%s\nwant:\n%s", got, want)
	}
	if got, want := fileOf(t, p, "0002-b.md"), "---\ntitle: B\nstatus: accepted\ndate: 2020-10-16\nnumber: 2\n---\n\nAfter [0001-a](0001-a.md) and [the index](index.md), see [[adr-1]].\n"; got != want {
		t.Errorf("0002-b.md:\n%s\nwant:\n%s", got, want)
	}
	if got, want := fileOf(t, p, "index.md"), "[A](0001-a.md#text)\n"; got != want {
		t.Errorf("index.md:\n%s\nwant:\n%s", got, want)
	}
	if d := diags(p); d != "" {
		t.Errorf("report:\n%s", d)
	}
}
