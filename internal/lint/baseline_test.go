package lint

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/diag"
)

// textLines is a line function over files given as text.
func textLines(files map[string]string) func(string, int) string {
	return func(file string, n int) string {
		ls := strings.Split(files[file], "\n")
		if n < 1 || n > len(ls) {
			return ""
		}
		return ls[n-1]
	}
}

func brokenLinkAt(file string, line int, dest string) diag.Diagnostic {
	return diag.Diagnostic{
		Pos:      diag.Position{File: file, Line: line, Col: 1},
		Severity: diag.Error,
		Rule:     "broken-link",
		Message:  "link to " + dest + ": no such page; fix the path or create the page",
	}
}

func TestMessageKey(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"runbook was last reviewed 2020-01-01, 2513 days ago; it is reviewed every 90 days: check it",
			"runbook was last reviewed 2020-01-01, N days ago; it is reviewed every N days: check it"},
		{`handbook does not know the field "titel"; did you mean "title"?`, `handbook does not know the field "titel"`},
		{"link to #setup: this page has no heading or element with that id; did you mean #set-up?",
			"link to #setup: this page has no heading or element with that id"},
		{"ADR number 4 is also used by content/adr/0004-a.md; give this ADR the next free number",
			"ADR number N is also used by content/adr/0004-a.md; give this ADR the next free number"},
		{"no ADR numbered 2–3 before this one", "no ADR numbered 2–3 before this one"},
		{"link to v1.2.3/x2.md:  no   such\tpage", "link to v1.2.3/x2.md: no such page"},
		{"heading (level 4) after 2", "heading (level N) after N"},
	} {
		if got := MessageKey(tc.in); got != tc.want {
			t.Errorf("MessageKey(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestBaselineLineMoves: a finding stays known when lines are added
// above it, when its line is indented, and when its day count grows; it
// is new when its line's text changes.
func TestBaselineLineMoves(t *testing.T) {
	before := map[string]string{"a.md": "---\ntitle: A\n---\n[x](gone.md)\n"}
	b := NewBaseline(diag.List{brokenLinkAt("a.md", 4, "gone.md")}, textLines(before))

	for _, tc := range []struct {
		name  string
		text  string
		line  int
		known bool
	}{
		{"same", before["a.md"], 4, true},
		{"moved down", "---\ntitle: A\n---\nNew intro.\n\nMore.\n[x](gone.md)\n", 7, true},
		{"indented", "---\ntitle: A\n---\n  [x](gone.md)  \n", 4, true},
		{"line changed", "---\ntitle: A\n---\nSee [x](gone.md).\n", 4, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := b.Match(diag.List{brokenLinkAt("a.md", tc.line, "gone.md")}, textLines(map[string]string{"a.md": tc.text}))
			if got := len(m.Known) == 1; got != tc.known {
				t.Errorf("known = %v, want %v (new %v)", got, tc.known, m.New)
			}
			if tc.known != (len(m.Fixed) == 0) {
				t.Errorf("fixed = %v", m.Fixed)
			}
		})
	}
}

// TestBaselineCounts: the same fingerprint twice in a file is counted;
// a third occurrence is new, the last one in the file, and one fewer is
// reported as fixed.
func TestBaselineCounts(t *testing.T) {
	text := map[string]string{"a.md": "[x](gone.md)\n[x](gone.md)\nother\n"}
	two := diag.List{brokenLinkAt("a.md", 1, "gone.md"), brokenLinkAt("a.md", 2, "gone.md")}
	b := NewBaseline(two, textLines(text))
	if len(b.Findings) != 1 || b.Findings[0].Count != 2 || b.Len() != 2 {
		t.Fatalf("baseline = %+v, want one entry counted twice", b.Findings)
	}

	three := map[string]string{"a.md": "[x](gone.md)\n[x](gone.md)\n[x](gone.md)\n"}
	list := diag.List{brokenLinkAt("a.md", 1, "gone.md"), brokenLinkAt("a.md", 2, "gone.md"), brokenLinkAt("a.md", 3, "gone.md")}
	m := b.Match(list, textLines(three))
	if len(m.Known) != 2 || len(m.New) != 1 || m.New[0].Pos.Line != 3 {
		t.Errorf("three occurrences: known %v, new %v; want the third new", m.Known, m.New)
	}
	if m.State(list[0]) != "unchanged" || m.State(list[2]) != "new" {
		t.Errorf("states %q %q, want unchanged, new", m.State(list[0]), m.State(list[2]))
	}
	if all := m.All(); len(all) != 3 || all[2].Pos.Line != 3 {
		t.Errorf("All() = %v", all)
	}

	m = b.Match(two[:1], textLines(text))
	if len(m.New) != 0 || len(m.Fixed) != 1 || m.Fixed[0].Count != 1 {
		t.Errorf("one occurrence left: new %v, fixed %+v; want one fixed", m.New, m.Fixed)
	}

	// Another file, or another rule, with the same line is another finding.
	other := brokenLinkAt("b.md", 1, "gone.md")
	m = b.Match(diag.List{other}, textLines(map[string]string{"b.md": text["a.md"]}))
	if len(m.New) != 1 {
		t.Errorf("finding in another file: new %v, want it new", m.New)
	}
}

// TestBaselineWholeFile: a finding at line 0 has no line hash, and is
// known whatever the file holds.
func TestBaselineWholeFile(t *testing.T) {
	d := diag.Diagnostic{Pos: diag.Position{File: "x.md"}, Severity: diag.Error, Rule: "invalid-utf8", Message: "not UTF-8"}
	b := NewBaseline(diag.List{d}, textLines(map[string]string{"x.md": "a"}))
	if b.Findings[0].LineHash != "" {
		t.Errorf("line_hash = %q, want empty", b.Findings[0].LineHash)
	}
	if m := b.Match(diag.List{d}, textLines(map[string]string{"x.md": "b"})); len(m.Known) != 1 {
		t.Errorf("whole-file finding not known: %v", m.New)
	}
}

// TestBaselineEncoding: the file is sorted whatever the order of the
// findings, reads back to the same baseline, and writes the same bytes.
func TestBaselineEncoding(t *testing.T) {
	text := textLines(map[string]string{"a.md": "[x](x.md)\n[y](y.md)\n", "b.md": "[z](z.md)\n"})
	list := diag.List{brokenLinkAt("b.md", 1, "z.md"), brokenLinkAt("a.md", 2, "y.md"), brokenLinkAt("a.md", 1, "x.md")}
	var first, second bytes.Buffer
	if err := NewBaseline(list, text).Encode(&first); err != nil {
		t.Fatal(err)
	}
	rev := diag.List{list[2], list[0], list[1]}
	if err := NewBaseline(rev, text).Encode(&second); err != nil {
		t.Fatal(err)
	}
	if first.String() != second.String() {
		t.Errorf("order of findings changes the file:\n%s\n%s", first.String(), second.String())
	}
	want := `{
  "version": 1,
  "findings": [
    {
      "file": "a.md",
      "rule": "broken-link",
      "message": "link to x.md: no such page; fix the path or create the page",
      "line_hash": "` + LineHash("[x](x.md)") + `",
      "count": 1
    },`
	if !strings.HasPrefix(first.String(), want) {
		t.Errorf("baseline file starts\n%s\nwant\n%s", first.String(), want)
	}
	b, err := ReadBaseline(strings.NewReader(first.String()))
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := b.Encode(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != first.String() {
		t.Errorf("read and written again:\n%s\nwant\n%s", again.String(), first.String())
	}

	var empty bytes.Buffer
	if err := NewBaseline(nil, text).Encode(&empty); err != nil {
		t.Fatal(err)
	}
	if empty.String() != "{\n  \"version\": 1,\n  \"findings\": []\n}\n" {
		t.Errorf("empty baseline:\n%s", empty.String())
	}
}

func TestReadBaselineErrors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`{"version": 2, "findings": []}`, "unknown version"},
		{`{"version": 1, "findings": [{"file": "a.md", "rule": "x", "message": "m", "line_hash": "", "count": 0}]}`, "count 0"},
		{`{"version": 1, "findings": [], "extra": true}`, "not a baseline"},
		{`[]`, "not a baseline"},
	} {
		_, err := ReadBaseline(strings.NewReader(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadBaseline(%s) = %v, want an error with %q", tc.in, err, tc.want)
		}
	}
	_, err := ReadBaseline(strings.NewReader(`{"version": 2, "findings": []}`))
	if !errors.Is(err, ErrBaselineVersion) {
		t.Errorf("version 2: %v is not ErrBaselineVersion", err)
	}
	// Entries of the same fingerprint add up.
	b, err := ReadBaseline(strings.NewReader(`{"version": 1, "findings": [
		{"file": "a.md", "rule": "x", "message": "m", "line_hash": "", "count": 1},
		{"file": "a.md", "rule": "x", "message": "m", "line_hash": "", "count": 2}]}`))
	if err != nil || len(b.Findings) != 1 || b.Findings[0].Count != 3 {
		t.Errorf("duplicate entries: %+v, %v; want one counted 3 times", b, err)
	}
}

func TestFileLines(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "content"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("one\r\ntwo\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	line := FileLines(dir)
	for _, tc := range []struct {
		file string
		n    int
		want string
	}{
		{"content/a.md", 1, "one"},
		{"content/a.md", 2, "two"},
		{"content/a.md", 9, ""},
		{"content/a.md", 0, ""},
		{filepath.ToSlash(filepath.Join(dir, "content", "a.md")), 2, "two"},
		{"content/missing.md", 1, ""},
	} {
		if got := line(tc.file, tc.n); got != tc.want {
			t.Errorf("line(%q, %d) = %q, want %q", tc.file, tc.n, got, tc.want)
		}
	}
}
