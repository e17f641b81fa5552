package importer

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/*.txtar")

// today is the date the tests import on.
var today = time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// goldenCase imports fixtures of testdata/ and compares the plan — its
// findings, then every file — with testdata/<name>.txtar.
var goldenCases = []struct {
	name, source string
	inputs       []string
	dates        []string // per input; "" for none
	renumber     bool
}{
	{name: "radar-csv", source: "radar-csv", inputs: []string{"radar/radar-2024-06-01.csv", "radar/radar-2024-01-15.csv"}, dates: []string{"2024-06-01", "2024-01-15"}},
	{name: "radar-json", source: "radar-json", inputs: []string{"radar/radar.json"}},
	{name: "aoe", source: "aoe", inputs: []string{"aoe"}},
	{name: "adr-tools", source: "adr-tools", inputs: []string{"adr-tools"}},
	{name: "adr-tools-renumber", source: "adr-tools", inputs: []string{"adr-tools"}, renumber: true},
	{name: "log4brains", source: "log4brains", inputs: []string{"log4brains"}},
	{name: "log4brains-renumber", source: "log4brains", inputs: []string{"log4brains"}, renumber: true},
	{name: "mkdocs", source: "mkdocs", inputs: []string{"mkdocs"}},
	{name: "docusaurus", source: "docusaurus", inputs: []string{"docusaurus"}},
}

// readInputs reads fixtures as handbook import reads its inputs.
func readInputs(t *testing.T, src Source, names []string, dates []string) []Input {
	t.Helper()
	var in []Input
	for i, n := range names {
		dir := filepath.Join("testdata", n)
		input := Input{Name: path.Join("testdata", n)}
		if i < len(dates) && dates[i] != "" {
			input.Date = day(dates[i])
		}
		if src.Files {
			data, err := os.ReadFile(dir)
			if err != nil {
				t.Fatal(err)
			}
			input.Data = data
		} else {
			fsys := os.DirFS(dir)
			if src.Locate != nil {
				sub, err := src.Locate(fsys)
				if err != nil {
					t.Fatal(err)
				}
				if fsys, err = fs.Sub(fsys, sub); err != nil {
					t.Fatal(err)
				}
				input.Name = path.Join(input.Name, sub)
			}
			input.FS = fsys
		}
		in = append(in, input)
	}
	return in
}

// archive writes a plan as a txtar archive: the findings, then the files.
func archive(p *Plan) []byte {
	var comment bytes.Buffer
	for _, d := range p.Diags {
		comment.WriteString(d.String() + "\n")
	}
	a := &txtar.Archive{Comment: comment.Bytes()}
	for _, f := range p.Files {
		a.Files = append(a.Files, txtar.File{Name: f.Path, Data: f.Data})
	}
	return txtar.Format(a)
}

func TestGolden(t *testing.T) {
	for _, tc := range goldenCases {
		t.Run(tc.name, func(t *testing.T) {
			src, ok := SourceNamed(tc.source)
			if !ok {
				t.Fatalf("no source %q", tc.source)
			}
			p := src.Convert(readInputs(t, src, tc.inputs, tc.dates), Options{Today: today, Renumber: tc.renumber})
			got := archive(p)
			file := filepath.Join("testdata", tc.name+".txtar")
			if *update {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if d := golden.Diff(string(want), string(got)); d != "" {
				t.Errorf("import %s differs from %s (go test -update rewrites it):\n%s", tc.name, file, d)
			}
		})
	}
}

func TestWriteNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "kept.md"), []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p := &Plan{Files: []File{{Path: "kept.md", Data: []byte("theirs\n")}, {Path: "sub/new.md", Data: []byte("new\n")}}}
	w, err := p.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(w.Wrote, ",") != "sub/new.md" || strings.Join(w.Skipped, ",") != "kept.md" {
		t.Errorf("wrote %v, skipped %v; want sub/new.md written and kept.md skipped", w.Wrote, w.Skipped)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "kept.md")); string(b) != "mine\n" {
		t.Errorf("kept.md = %q, want it untouched", b)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "sub", "new.md")); string(b) != "new\n" {
		t.Errorf("sub/new.md = %q", b)
	}
}

func TestSlugWords(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Kafka", "kafka"},
		{"C++", "c-plus-plus"},
		{"C#", "c-sharp"},
		{"Node.js", "node-js"},
		{"Languages & Frameworks", "languages-and-frameworks"},
		{"  Apache  Kylin ", "apache-kylin"},
		{"Ünïcode Ökosystem", "ünïcode-ökosystem"},
		{"!!!", ""},
	} {
		if got := slugWords(tc.in); got != tc.want {
			t.Errorf("slugWords(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFence(t *testing.T) {
	ls := []string{"a", "```go", "x", "~~~", "```", "b", "~~~~", "```", "~~~~", "c"}
	want := []bool{false, true, true, true, true, false, true, true, true, false}
	var f fence
	for i, l := range ls {
		if got := f.code(l); got != want[i] {
			t.Errorf("line %d %q: code = %v, want %v", i, l, got, want[i])
		}
	}
}

// mapFS builds a folder input from name → contents.
func mapFS(files map[string]string) fs.FS {
	m := fstest.MapFS{}
	for k, v := range files {
		m[k] = &fstest.MapFile{Data: []byte(v)}
	}
	return m
}

// fileOf returns the planned file at p, failing the test without one.
func fileOf(t *testing.T, p *Plan, name string) string {
	t.Helper()
	for _, f := range p.Files {
		if f.Path == name {
			return string(f.Data)
		}
	}
	var names []string
	for _, f := range p.Files {
		names = append(names, f.Path)
	}
	t.Fatalf("no file %s planned; planned: %v", name, names)
	return ""
}

// diags returns the plan's findings, one a line.
func diags(p *Plan) string {
	var b strings.Builder
	for _, d := range p.Diags {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

func mustSub(t *testing.T, fsys fs.FS, dir string) fs.FS {
	t.Helper()
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	return sub
}
