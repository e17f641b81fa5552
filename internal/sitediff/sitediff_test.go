package sitediff

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

var update = flag.Bool("update", false, "rewrite the want files of testdata/*.txtar")

// TestGolden compares, for each testdata/*.txtar, the site of its base/
// files with the site of its head/ files, and checks the report in the
// text format against its want.txt and in the markdown format (previewed
// at https://preview.example.com/pr-1/) against its want.md. An optional
// renames file pairs pages as git would, one "old new" a line.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			renames := map[string]string{}
			want := map[string]*txtar.File{}
			for i := range a.Files {
				f := &a.Files[i]
				switch {
				case f.Name == "renames":
					for _, l := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
						if old, new, ok := strings.Cut(l, " "); ok {
							renames[old] = new
						}
					}
				case strings.HasPrefix(f.Name, "want."):
					want[f.Name] = f
				default:
					name := filepath.Join(dir, filepath.FromSlash(f.Name))
					if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(name, f.Data, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			base := load(t, filepath.Join(dir, "base"))
			head := load(t, filepath.Join(dir, "head"))
			r := Compare(base, head, Options{Renames: renames})
			m := Meta{Base: "main", Commit: "0123456789abcdef0123456789abcdef01234567"}
			var got = map[string][]byte{}
			var b bytes.Buffer
			if err := Write(&b, "text", r, m); err != nil {
				t.Fatal(err)
			}
			got["want.txt"] = append([]byte(nil), b.Bytes()...)
			b.Reset()
			m.PreviewURL = "https://preview.example.com/pr-1/"
			if err := Write(&b, "markdown", r, m); err != nil {
				t.Fatal(err)
			}
			got["want.md"] = append([]byte(nil), b.Bytes()...)
			changed := false
			for _, name := range []string{"want.txt", "want.md"} {
				w := want[name]
				if w != nil && bytes.Equal(w.Data, got[name]) {
					continue
				}
				if *update {
					if w == nil {
						a.Files = append(a.Files, txtar.File{Name: name})
						w = &a.Files[len(a.Files)-1]
					}
					w.Data = got[name]
					changed = true
					continue
				}
				old := ""
				if w != nil {
					old = string(w.Data)
				}
				t.Errorf("%s differs (go test -update rewrites it):\n%s", name, golden.Diff(old, string(got[name])))
			}
			if changed {
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// load loads the site in dir as handbook check does.
func load(t *testing.T, dir string) Side {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	res, err := build.Run(context.Background(), build.Options{Site: cfg, Skip: build.Render | build.Search})
	if err != nil {
		t.Fatal(err)
	}
	return Side{Site: res.Site, Diags: res.Diags}
}

func TestSectionChanges(t *testing.T) {
	sec := func(id, heading, text string, line int) section {
		return section{id: id, heading: heading, level: 2, line: line, text: text}
	}
	top := section{text: "intro"}
	tests := []struct {
		name       string
		base, head []section
		want       []SectionChange
	}{
		{
			name: "same",
			base: []section{top, sec("a", "A", "x", 5)},
			head: []section{top, sec("a", "A", "x", 7)},
		},
		{
			name: "renamed",
			base: []section{top, sec("restart-the-pods", "Restart the pods", "kubectl", 5), sec("check", "Check", "look", 9)},
			head: []section{top, sec("restart-the-deployment", "Restart the deployment", "kubectl", 5), sec("check", "Check", "look", 9)},
			want: []SectionChange{{Change: SectionRenamed, Heading: "Restart the deployment", ID: "restart-the-deployment", OldHeading: "Restart the pods", OldID: "restart-the-pods", Line: 5}},
		},
		{
			name: "renamed and edited is removed and added",
			base: []section{top, sec("a", "A", "x", 5)},
			head: []section{top, sec("b", "B", "y", 5)},
			want: []SectionChange{
				{Change: SectionAdded, Heading: "B", ID: "b", Line: 5},
				{Change: SectionRemoved, Heading: "A", ID: "a", Line: 5},
			},
		},
		{
			name: "top, changed and added in the head's order",
			base: []section{top, sec("a", "A", "x", 5), sec("c", "C", "z", 9)},
			head: []section{{text: "new intro"}, sec("a", "A", "x2", 5), sec("b", "B", "y", 8), sec("c", "C", "z", 11)},
			want: []SectionChange{
				{Change: SectionChanged},
				{Change: SectionChanged, Heading: "A", ID: "a", Line: 5},
				{Change: SectionAdded, Heading: "B", ID: "b", Line: 8},
			},
		},
		{
			name: "level changed",
			base: []section{top, sec("a", "A", "x", 5)},
			head: []section{top, {id: "a", heading: "A", level: 3, line: 5, text: "x"}},
			want: []SectionChange{{Change: SectionChanged, Heading: "A", ID: "a", Line: 5}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sectionChanges(tt.base, tt.head)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestSections(t *testing.T) {
	src := "---\ntitle: T\n---\nIntro.  \n\n## One\n\nText one.\n\nTwo\n---\n\nText two.\r\n\n### Three\n"
	_, _, bodyLine := page.Split([]byte(src))
	p := &site.Page{Doc: &markdown.Document{Headings: []markdown.Heading{
		{Level: 2, Text: "One", ID: "one", Line: 6},
		{Level: 2, Text: "Two", ID: "two", Line: 10},
		{Level: 3, Text: "Three", ID: "three", Line: 15},
	}}}
	if bodyLine != 4 {
		t.Fatalf("body line %d", bodyLine)
	}
	got := sections(normalize([]byte(src)), p)
	want := []section{
		{text: "Intro."},
		{id: "one", heading: "One", level: 2, line: 6, text: "Text one."},
		{id: "two", heading: "Two", level: 2, line: 10, text: "Text two."},
		{id: "three", heading: "Three", level: 3, line: 15, text: ""},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestFrontMatterChanges(t *testing.T) {
	tests := []struct {
		base, head string
		fields     []string
		changed    bool
	}{
		{"---\ntitle: A\nstatus: proposed\n---\nx\n", "---\ntitle: A\nstatus: accepted\n---\nx\n", []string{"status"}, true},
		{"---\ntitle: A # the title\n---\n", "---\ntitle: A\n---\n", nil, false},
		{"---\ntitle: A\n---\n", "---\ntitle: A\ntags: [x]\n---\n", []string{"tags"}, true},
		{"---\ntitle: A\nowner: x\n---\n", "---\ntitle: B\n---\n", []string{"owner", "title"}, true},
		{"x\n", "---\ntitle: A\n---\nx\n", []string{"title"}, true},
		{"+++\ntitle = 'A'\n+++\n", "+++\ntitle = 'B'\n+++\n", nil, true},
		{"---\ntitle: [\n---\n", "---\ntitle: A\n---\n", nil, true},
	}
	for _, tt := range tests {
		fields, changed := frontMatterChanges([]byte(tt.base), []byte(tt.head))
		if !slices.Equal(fields, tt.fields) || changed != tt.changed {
			t.Errorf("frontMatterChanges(%q, %q) = %q, %v; want %q, %v", tt.base, tt.head, fields, changed, tt.fields, tt.changed)
		}
	}
}

// TestFindingsNew checks that a finding is new only beyond the count of
// its fingerprint in the base, whatever its line, and that a renamed
// file's findings stay its own.
func TestFindingsNew(t *testing.T) {
	d := func(file string, line int, msg string) diag.Diagnostic {
		return diag.Diagnostic{Pos: diag.Position{File: file, Line: line, Col: 1}, Severity: diag.Error, Rule: "broken-link", Message: msg}
	}
	c := &comparison{
		opts:      Options{BasePath: func(s string) string { return s }},
		head:      map[string]*site.Page{},
		renamedTo: map[string]string{"old.md": "new.md"},
	}
	r := &Report{}
	base := diag.List{d("a.md", 3, "link to x.md: no such page"), d("old.md", 4, "link to y.md: no such page"), d("gone.md", 1, "link to z.md: no such page")}
	head := diag.List{
		d("a.md", 9, "link to x.md: no such page"),  // moved down: known
		d("a.md", 12, "link to x.md: no such page"), // a second one: new
		d("new.md", 4, "link to y.md: no such page"),
	}
	c.findings(r, base, head, map[string]bool{"a.md": true, "new.md": true})
	if len(r.New) != 1 || r.New[0].Pos.Line != 12 {
		t.Errorf("new = %v, want a.md:12 alone", r.New)
	}
	if r.Fixed != 1 {
		t.Errorf("fixed = %d, want 1", r.Fixed)
	}
	if len(r.Broken) != 0 {
		t.Errorf("broken = %v, want none: the files were touched", r.Broken)
	}
}

func TestMarkdownEscapes(t *testing.T) {
	for in, want := range map[string]string{
		"a_b *c* [d](e) <script> x|y": `a\_b \*c\* \[d\](e) \<script\> x\|y`,
		"plain text, #7.":             "plain text, #7.",
	} {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"a.md":  "`a.md`",
		"a`b":   "``a`b``",
		"`a`":   "`` `a` ``",
		"x|y":   "`x|y`",
		"l1\nl": "`l1 l`",
	} {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
	if got, want := cell("`x|y` and a\\|b"), "`x\\|y` and a\\|b"; got != want {
		t.Errorf("cell = %q, want %q", got, want)
	}
	m := Meta{PreviewURL: "https://preview.example.com/pr-12"}
	if got, want := m.Preview("/docs/a/"), "https://preview.example.com/pr-12/docs/a/"; got != want {
		t.Errorf("Preview = %q, want %q", got, want)
	}
}
