package page

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/sitegen"
	"gopkg.in/yaml.v3"
)

// sameAsYAML fails when fastYAML reads raw and its tree differs from
// yaml.v3's; it reports whether the fast path read it.
func sameAsYAML(t *testing.T, name string, raw []byte) bool {
	t.Helper()
	got, ok := fastYAML(raw)
	if !ok {
		return false
	}
	var want yaml.Node
	if err := yaml.Unmarshal(raw, &want); err != nil {
		t.Errorf("%s: the fast path read front matter yaml.v3 rejects (%v):\n%s", name, err, raw)
		return true
	}
	if !reflect.DeepEqual(got, &want) {
		t.Errorf("%s: fast path\n%s\nyaml.v3\n%s\nfront matter:\n%s", name, dumpNode(got, ""), dumpNode(&want, ""), raw)
	}
	return true
}

func dumpNode(n *yaml.Node, indent string) string {
	s := fmt.Sprintf("%s%q kind=%d style=%d tag=%s at=%d:%d anchor=%q comments=%q/%q/%q\n", indent, n.Value,
		n.Kind, n.Style, n.Tag, n.Line, n.Column, n.Anchor, n.HeadComment, n.LineComment, n.FootComment)
	for _, c := range n.Content {
		s += dumpNode(c, indent+"  ")
	}
	return s
}

func TestFastYAML(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		fast bool // read by the fast path
	}{
		{"title: Failover\n", true},
		{"title: \"Quoted: yes\"\nowner: 'team-db'\n", true},
		{"title: Ünïcödé — dash\ntags: [ä, \"b c\", 'd']\n", true},
		{"tags: []\nalerts: [ A , B ]\n", true},
		{"tags:\n  - a\n  - \"b\"\n\nowner: x\n", true},
		{"tags:\n- a\n- b\n", true},
		{"date: 2024-03-05\nweight: 10\ndraft: false\nx: null\ny: ~\nz: True\n", true},
		{"impact_start: 2024-11-30T00:00:00Z\nat: 2024-11-30 10:00:00\n", true},
		{"review_every: 90d\nevery: 6mo\nn: 0\n", true},
		{"url: https://example.com/a?b=c\ntitle: A, B [c] {d} @e !f & *g | > %\n", true},
		{"title: Bob's \"page\"\n", true},
		{"title: x   \ntags: [a]   \n", true},
		{"title: a\ntitle: b\n", true}, // twice: reported by the reader
		{"true: 1\nnull: 2\nno: 3\n", true},

		{"", false},
		{"\ntitle: x\n", false},
		{"title: x # comment\n", false},
		{"title: C#\n", false},
		{"title: x\n  continued\n", false},
		{"title:\n", false},
		{"title:\nowner: x\n", false},
		{"history:\n  - date: 2024-01-01\n    ring: adopt\n", false},
		{"tags:\n  - a\n   - b\n", false},
		{"tags:\n  -\n", false},
		{"tags:\n  - \n", false},
		{"tags: [a, b,]\n", false},
		{"tags: [a, , b]\n", false},
		{"tags: [\"a, b\"]\n", false},
		{"tags: [a: b]\n", false},
		{"tags: [[a]]\n", false},
		{"tags: [a\n", false},
		{"tags: {a: b}\n", false},
		{"title: \"a \\\" b\"\n", false},
		{"title: 'it''s'\n", false},
		{"title: \"a\" b\n", false},
		{"title: &a x\nother: *a\n", false},
		{"title: !!str 5\n", false},
		{"title: |\n  text\n", false},
		{"title: >\n  text\n", false},
		{"title: @x\n", false},
		{"title: -x\n", false},
		{"title: a: b\n", false},
		{"title: a:\n", false},
		{"title:x\n", false},
		{"title : x\n", false},
		{"\ttitle: x\n", false},
		{"title: x\r\n", false},
		{"weight: 1.5\n", false},
		{"weight: 0x1f\n", false},
		{"weight: 0755\n", false},
		{"weight: -1\n", false},
		{"weight: +1\n", false},
		{"weight: 1_000\n", false},
		{"weight: 1e5\n", false},
		{"weight: 12345678901234567890\n", false},
		{"date: 2024-13-45\n", false},
		{"title: .5\n", false},
		{"x: <<\n", false},
		{"title: a\u2028b\n", false},
		{"title: a\ufeffb\n", false},
		{"title: a\x01b\n", false},
		{"- a\n- b\n", false},
		{"just text\n", false},
		{"  title: x\n", false},
		{"[a, b]\n", false},
	} {
		read := sameAsYAML(t, tc.raw, []byte(tc.raw))
		if read != tc.fast {
			t.Errorf("fastYAML(%q): read %v, want %v", tc.raw, read, tc.fast)
		}
	}
}

// TestFastYAMLContent compares the fast path with yaml.v3 on the front
// matter of real content (../shared/corpus, this repository's handbook)
// and of a generated handbook, and checks that it reads most of it.
func TestFastYAMLContent(t *testing.T) {
	gen := t.TempDir()
	if err := sitegen.Generate(gen, 300, 1); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, dir string
		min       float64 // the share the fast path must read
	}{
		{"corpus", golden.CorpusDir(t), 0},
		{"own", "../..", 0.5},
		{"generated", gen, 0.9},
	} {
		read, all := 0, 0
		_ = filepath.WalkDir(tc.dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && p != tc.dir || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.EqualFold(filepath.Ext(p), ".md") {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return nil
			}
			fm, _, _ := Split(src)
			if fm.Format != "yaml" || !fm.Closed {
				return nil
			}
			all++
			if sameAsYAML(t, p, fm.Raw) {
				read++
			}
			return nil
		})
		t.Logf("%s: the fast path read %d of %d front matters", tc.name, read, all)
		if all == 0 || float64(read) < tc.min*float64(all) {
			t.Errorf("%s: the fast path read %d of %d front matters, want at least %.0f%%", tc.name, read, all, 100*tc.min)
		}
	}
}

// FuzzFastYAML checks that whatever the fast path reads, it reads as
// yaml.v3 does.
func FuzzFastYAML(f *testing.F) {
	for _, s := range []string{
		"title: x\ntags: [a, b]\n",
		"tags:\n  - a\n  - b\nowner: x\n",
		"date: 2024-03-05\nweight: 10\nreview_every: 90d\n",
		"title: \"q\"\nx: 'y'\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameAsYAML(t, "fuzz", raw)
	})
}
