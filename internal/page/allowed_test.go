package page

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestAllowed(t *testing.T) {
	schema := DefaultSchema()
	closed := DefaultSchema()
	closed.OpenQuadrants = false
	ring := choice{name: "ring", norm: schema.Ring, bad: func(string) string { return "" }}
	tests := []struct {
		name, value string
		c           choice
		member, s   string
		ok          bool
		diag        string
	}{
		{"member", "public", visibility, "public", "public", true, ""},
		{"case and spaces", `" Public "`, visibility, "public", "Public", true, ""},
		{"not allowed", "secret", visibility, "", "secret", false, `x.md:2:4: error allowed-value: visibility "secret" is not allowed; use "internal" or "public"`},
		{"normalised", "sev1", severity(schema.Severities), "SEV-1", "sev1", true, ""},
		{"spaces kept", `"SEV-1 "`, severity(schema.Severities), "", "SEV-1 ", false, `x.md:2:4: error allowed-value: severity "SEV-1 " is not in the scale; use one of "SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"`},
		{"words", "In Review", postmortemStatus, "in-review", "In Review", true, ""},
		{"synonym", "Hold on", ring, "hold", "Hold on", true, ""},
		{"kept unreported", "keep", ring, "", "keep", false, ""},
		{"not a string", "[a, b]", visibility, "", "", false, `x.md:2:4: error field-type: visibility must be a single value, not a list`},
		{"empty", "~", visibility, "", "", false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte("v: "+tt.value), &doc); err != nil {
				t.Fatal(err)
			}
			r := &reader{path: "x.md", fmLine: 2}
			member, s, ok := r.allowed(doc.Content[0].Content[1], tt.c)
			if member != tt.member || s != tt.s || ok != tt.ok {
				t.Errorf("got %q, %q, %v; want %q, %q, %v", member, s, ok, tt.member, tt.s, tt.ok)
			}
			var got []string
			for _, d := range r.diags {
				got = append(got, d.String())
			}
			if strings.Join(got, "\n") != tt.diag {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), tt.diag)
			}
		})
	}
	// A quadrant is reported as not allowed when the site lists its
	// quadrants, as a misspelling when it looks like one, else kept.
	for _, tt := range []struct {
		schema      Schema
		value, want string
	}{
		{schema, "Data", ""},
		{schema, "tols", `quadrant "tols" looks like a misspelling of "tools"`},
		{closed, "Data", `quadrant "Data" is not allowed`},
		{closed, "Tools", ""},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte("v: "+tt.value), &doc); err != nil {
			t.Fatal(err)
		}
		r := &reader{path: "x.md", fmLine: 2}
		q, label := r.quadrant(doc.Content[0].Content[1], tt.schema)
		if label != tt.value || (tt.want == "") != (len(r.diags) == 0) || tt.want != "" && !strings.Contains(r.diags[0].Message, tt.want) {
			t.Errorf("quadrant %q: %q, %q, %v; want %q", tt.value, q, label, r.diags, tt.want)
		}
	}
}
