package importer

import (
	"strings"
	"testing"
)

func TestRadarCSV(t *testing.T) {
	for _, tc := range []struct {
		name   string
		files  []Input
		want   map[string]string // file → contents; only those listed are compared
		report string
	}{
		{
			name:  "headers in any case and order, semicolons",
			files: []Input{{Name: "r.csv", Data: []byte("Description;QUADRANT;Ring;Name\nFast queues.;Platforms;ADOPT;Kafka\n")}},
			want:  map[string]string{"kafka.md": "---\ntitle: Kafka\nring: adopt\nquadrant: platforms\ndate: 2026-11-18\n---\n\nFast queues.\n"},
		},
		{
			name: "a blip in several files gets a history",
			files: []Input{
				{Name: "b.csv", Date: day("2024-06-01"), Data: []byte("name,ring,quadrant,isNew,description\nkafka,Hold,platforms,FALSE,Too much to run.\n")},
				{Name: "a.csv", Date: day("2023-01-01"), Data: []byte("name,ring,quadrant,isNew,description\nKafka,assess,platforms,TRUE,\n")},
				{Name: "c.csv", Date: day("2023-06-01"), Data: []byte("name,ring,quadrant,isNew,description\nKafka,trial,platforms,TRUE,Worth a try.\n")},
			},
			want: map[string]string{"kafka.md": "---\ntitle: kafka\nring: hold\nquadrant: platforms\ndate: 2024-06-01\nhistory:\n  - {date: 2023-01-01, ring: assess}\n  - {date: 2023-06-01, ring: trial}\n---\n\nToo much to run.\n\n## Earlier releases\n\n### 2023-06-01: trial\n\nWorth a try.\n"},
		},
		{
			name:   "missing columns",
			files:  []Input{{Name: "r.csv", Data: []byte("title,status\nKafka,adopt\n")}},
			report: "r.csv:1:1: error import: the header row has no quadrant or ring column; a radar CSV has the columns name, ring, quadrant, isNew and description (in any order and case)\n",
		},
		{
			name:   "a row without a ring or a name",
			files:  []Input{{Name: "r.csv", Data: []byte("name,ring,quadrant\nA,,tools\n,adopt,tools\n,,\n")}},
			want:   map[string]string{"a.md": "---\ntitle: A\nquadrant: tools\ndate: 2026-11-18\n---\n"},
			report: "r.csv:2:1: warning import: \"A\" has no ring; write one of adopt, trial, assess, hold in its page\nr.csv:3:1: warning import: row has no name; it is not imported\n",
		},
		{
			name:   "same name, same date: the later row wins",
			files:  []Input{{Name: "r.csv", Data: []byte("name,ring,quadrant\nGo,trial,languages\nGo,adopt,languages\n")}},
			want:   map[string]string{"go.md": "---\ntitle: Go\nring: adopt\nquadrant: languages\ndate: 2026-11-18\n---\n"},
			report: "r.csv:3:1: warning import: \"Go\" is also at r.csv:2:1 for 2026-11-18; this row is kept\n",
		},
		{
			name:  "names that make the same file name",
			files: []Input{{Name: "r.csv", Data: []byte("name,ring,quadrant\nC,adopt,languages\nC!,hold,languages\n")}},
			want:  map[string]string{"c.md": "---\ntitle: C\nring: adopt\nquadrant: languages\ndate: 2026-11-18\n---\n", "c-2.md": "---\ntitle: C!\nring: hold\nquadrant: languages\ndate: 2026-11-18\n---\n"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := RadarCSV(tc.files, Options{Today: today})
			for name, want := range tc.want {
				if got := fileOf(t, p, name); got != want {
					t.Errorf("%s:\n%s\nwant:\n%s", name, got, want)
				}
			}
			if d := diags(p); d != tc.report {
				t.Errorf("report:\n%swant:\n%s", d, tc.report)
			}
		})
	}
}

func TestRadarJSON(t *testing.T) {
	for _, tc := range []struct {
		name   string
		data   string
		want   map[string]string
		report string
	}{
		{
			name: "a list of blips",
			data: `[{"Name": "Go", "ring": "Adopt", "quadrant": "Languages & Frameworks", "isNew": true, "description": "<p>Our <em>language</em>.</p>"}]`,
			want: map[string]string{"go.md": "---\ntitle: Go\nring: adopt\nquadrant: Languages & Frameworks\ndate: 2026-11-18\n---\n\nOur *language*.\n"},
		},
		{
			name: "blips under a key",
			data: `{"title": "Our radar", "blips": [{"name": "Go", "ring": "trial", "quadrant": "tools"}]}`,
			want: map[string]string{"go.md": "---\ntitle: Go\nring: trial\nquadrant: tools\ndate: 2026-11-18\n---\n"},
		},
		{
			name:   "syntax error",
			data:   "[\n  {\"name\": \"Go\",}\n]",
			report: "r.json:2:18: error import: cannot read the JSON: invalid character '}' looking for beginning of object key string\n",
		},
		{
			name:   "not a list",
			data:   `{"title": "x"}`,
			report: "r.json:1:1: error import: the JSON has no list of blips; write a list of objects with name, ring, quadrant, isNew and description, or put it under \"blips\"\n",
		},
		{
			name:   "a blip that is not an object",
			data:   "[\n  {\"name\": \"Go\", \"ring\": \"adopt\", \"quadrant\": \"tools\"},\n  42\n]",
			want:   map[string]string{"go.md": "---\ntitle: Go\nring: adopt\nquadrant: tools\ndate: 2026-11-18\n---\n"},
			report: "r.json:3:3: error import: a blip must be an object with name, ring, quadrant and description: json: cannot unmarshal number into Go value of type map[string]interface {}\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := RadarJSON([]Input{{Name: "r.json", Data: []byte(tc.data)}}, Options{Today: today})
			for name, want := range tc.want {
				if got := fileOf(t, p, name); got != want {
					t.Errorf("%s:\n%s\nwant:\n%s", name, got, want)
				}
			}
			if d := diags(p); d != tc.report {
				t.Errorf("report:\n%swant:\n%s", d, tc.report)
			}
		})
	}
}

func TestSniffComma(t *testing.T) {
	for in, want := range map[string]rune{
		"name,ring,quadrant\n":      ',',
		"name;ring;quadrant\na,b\n": ';',
		"name\tring\tquadrant, x\n": '\t',
		"name\n":                    ',',
	} {
		if got := sniffComma([]byte(in)); got != want {
			t.Errorf("sniffComma(%q) = %q, want %q", strings.TrimSpace(in), got, want)
		}
	}
}
