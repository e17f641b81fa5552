package markdown

import (
	"bytes"
	"flag"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/spill"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden renders each testdata/*.txt archive's input.md and compares the
// HTML, ids and links with the archive's other files. Run with -update to
// rewrite them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var input []byte
			unsafe := strings.Contains(string(a.Comment), "unsafe")
			for _, f := range a.Files {
				if f.Name == "input.md" {
					input = f.Data
				}
			}
			e := New(Options{Unsafe: unsafe})
			// A page titled "Golden": a leading level-1 heading that is the
			// document's only one is taken as its title.
			doc := e.Parse(input, 1, ParseOptions{Title: "Golden"})
			for _, r := range doc.Refs {
				if r.Target != "missing" {
					r.Resolve("/resolved/"+r.Target+"/", "Title of "+r.Target)
				}
			}
			html, err := e.HTML(doc)
			if err != nil {
				t.Fatal(err)
			}
			// A released document renders the same from a fresh parse.
			doc.Release()
			again, err := e.HTML(doc)
			if err != nil {
				t.Fatal(err)
			}
			if string(again) != string(html) {
				t.Errorf("released document renders differently:\n%s", golden.Diff(string(html), string(again)))
			}
			var ids []string
			for id := range doc.IDs {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			var links strings.Builder
			for _, l := range doc.Links {
				fmt.Fprintf(&links, "%d:%d %v %s\n", l.Line, l.Col, l.Kind, l.Dest)
			}
			for _, r := range doc.Refs {
				fmt.Fprintf(&links, "%d:%d ref %s\n", r.Line, r.Col, r.Target)
			}
			var headings strings.Builder
			for _, h := range doc.Headings {
				fmt.Fprintf(&headings, "%d h%d #%s %s\n", h.Line, h.Level, h.ID, h.Text)
			}
			got := map[string]string{
				"output.html": string(html),
				"ids":         strings.Join(ids, "\n") + "\n",
				"links":       links.String(),
				"headings":    headings.String(),
			}
			if *update {
				out := &txtar.Archive{Comment: a.Comment, Files: []txtar.File{{Name: "input.md", Data: input}}}
				for _, name := range []string{"output.html", "headings", "ids", "links"} {
					out.Files = append(out.Files, txtar.File{Name: name, Data: []byte(got[name])})
				}
				if err := os.WriteFile(file, txtar.Format(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, f := range a.Files {
				want, ok := got[f.Name]
				if !ok {
					continue
				}
				if want != string(f.Data) {
					t.Errorf("%s differs:\n%s", f.Name, golden.Diff(string(f.Data), want))
				}
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Hello, World!":         "hello-world",
		"Über Größe":            "über-größe",
		"  Trailing  spaces ":   "trailing--spaces",
		"API v2.0 (beta)":       "api-v20-beta",
		"snake_case and-hyphen": "snake_case-and-hyphen",
		"`code` in **heading**": "code-in-heading",
	} {
		if got := Slug(strings.NewReplacer("`", "", "*", "").Replace(in)); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPlainTextExcerpt(t *testing.T) {
	e := New(Options{})
	d := e.Parse([]byte("# T\n\nFirst *para* with [a link](x.md).\n\n```\ncode\n```\n\nSecond para that is long enough to be cut somewhere.\n"), 1, ParseOptions{})
	got := d.PlainText(40)
	if got != "First para with a link. Second para that…" {
		t.Errorf("PlainText = %q", got)
	}
}

// TestUnlink: an unlinked link renders its text alone, its destination
// nowhere; an unlinked reference its label or target, never a title.
func TestUnlink(t *testing.T) {
	e := New(Options{})
	d := e.Parse([]byte("See [the *secret* page](secret.md \"t\"), [kept](kept.md) and [[Secret title|the plan]] and [[internal-page]].\n"), 1, ParseOptions{})
	d.Links[0].Unlink()
	d.Links[1].SetDest("/kept/")
	d.Refs[0].Resolve("/secret/", "Secret title")
	d.Refs[0].Plain = true
	d.Refs[1].Plain = true
	html, err := e.HTML(d)
	if err != nil {
		t.Fatal(err)
	}
	want := "<p>See the <em>secret</em> page, <a href=\"/kept/\">kept</a> and <span class=\"ref\">the plan</span> and <span class=\"ref\">an internal page</span>.</p>\n"
	if string(html) != want {
		t.Errorf("got  %q\nwant %q", html, want)
	}
	d.ResetLinks()
	html, _ = e.HTML(d)
	if !strings.Contains(string(html), `<a href="secret.md" title="t">the <em>secret</em> page</a>`) {
		t.Errorf("after ResetLinks the link is not back: %s", html)
	}
}

// TestReleaseHTML: a document whose HTML was let go is an error to render,
// never an empty page.
func TestReleaseHTML(t *testing.T) {
	e := New(Options{})
	d := e.Parse([]byte("Some *text*.\n"), 1, ParseOptions{})
	if html, err := e.HTML(d); err != nil || string(html) != "<p>Some <em>text</em>.</p>\n" {
		t.Fatalf("before release: %q, %v", html, err)
	}
	d.ReleaseHTML()
	if html, err := e.HTML(d); err == nil {
		t.Errorf("after release: %q and no error", html)
	}
}

// TestSpilledHTML: a document whose HTML is held in a file (Options.Spill)
// renders and fingerprints as one holding it in memory, links resolved
// after the parse included; one parsed when the file no longer takes
// bytes holds its HTML in memory, and renders the same.
func TestSpilledHTML(t *testing.T) {
	src := []byte("# Restart\n\nSee [the runbook](other.md#steps) and <a href=\"x.md\">raw</a>.\n\n```go\nfunc main() { println(\"hi\") }\n```\n\n| a | b |\n| - | - |\n| 1 | 2 |\n")
	store, err := spill.Open(t.TempDir(), "docs-*")
	if err != nil {
		t.Fatal(err)
	}
	plain := New(Options{})
	spilled := New(Options{Spill: store})
	render := func(e *Engine, d *Document) (string, uint64) {
		t.Helper()
		d.Links[0].SetDest("/other/#steps")
		html, err := e.HTML(d)
		if err != nil {
			t.Fatal(err)
		}
		s, err := e.HTMLString(d)
		if err != nil || s != string(html) {
			t.Fatalf("HTMLString = %q, %v; HTML %q", s, err, html)
		}
		var h maphash.Hash
		h.SetSeed(htmlSeed)
		d.Fingerprint(&h)
		return string(html), h.Sum64()
	}
	want, wantSum := render(plain, plain.Parse(src, 1, ParseOptions{}))
	d := spilled.Parse(src, 1, ParseOptions{})
	if !d.Spilled() || d.html != nil || store.Size() == 0 {
		t.Fatalf("the HTML is not in the file: spilled %v, %d bytes held, file of %d", d.Spilled(), len(d.html), store.Size())
	}
	if got, sum := render(spilled, d); got != want || sum != wantSum {
		t.Errorf("spilled: %q, sum %x\nwant %q, sum %x", got, sum, want, wantSum)
	}
	// Release lets the source go into the file too, positions kept.
	line, col := d.Pos(bytes.Index(src, []byte("func main")))
	d.Release()
	if d.Source != nil || string(d.Markdown()) != string(src) {
		t.Errorf("after Release: Source %d bytes, Markdown %q", len(d.Source), d.Markdown())
	}
	if l, c := d.Pos(bytes.Index(src, []byte("func main"))); l != line || c != col || line != 6 {
		t.Errorf("after Release a position is %d:%d, was %d:%d (want line 6)", l, c, line, col)
	}
	d.DropSource()
	if d.Markdown() != nil {
		t.Error("a dropped source is read back")
	}
	if p := plain.Parse(src, 1, ParseOptions{}); true {
		p.Release()
		if string(p.Markdown()) != string(src) || p.Source == nil {
			t.Error("a document of an engine that does not spill lets its source go")
		}
	}
	store.Close()
	d = spilled.Parse(src, 1, ParseOptions{})
	if d.Spilled() {
		t.Fatal("a document is spilled into a closed file")
	}
	if got, sum := render(spilled, d); got != want || sum != wantSum {
		t.Errorf("in memory after the file failed: %q, sum %x\nwant %q, sum %x", got, sum, want, wantSum)
	}
}
