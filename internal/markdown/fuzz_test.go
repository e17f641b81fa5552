package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRender parses and renders arbitrary Markdown, safe and unsafe: it
// must never panic, and links must have positions inside the input.
func FuzzRender(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.txt")
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("> [!NOTE]\n"))
	f.Add([]byte("[[a|b]] [[]] [[x"))
	safe, unsafe := New(Options{}), New(Options{Unsafe: true})
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, e := range []*Engine{safe, unsafe} {
			d := e.Parse(src, 3, ParseOptions{Title: map[bool]string{true: "Title"}[len(src)%2 == 0]})
			// Rendering the tree straight through goldmark gives what the
			// holes, filled, give.
			var direct bytes.Buffer
			if err := e.md.Renderer().Render(&direct, d.Source, d.Root); err != nil {
				t.Fatal(err)
			}
			d.Release()
			filled, err := e.HTML(d)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(filled, direct.Bytes()) {
				t.Fatalf("filled holes differ from goldmark's rendering:\n%s\n---\n%s", filled, direct.Bytes())
			}
			if e == safe {
				if err := unsafeHTML(filled); err != nil {
					t.Fatalf("%v in safe output:\n%s", err, filled)
				}
			}
			for _, l := range d.Links {
				if l.Line != 0 && l.Line < 3 {
					t.Fatalf("link before the first line: %+v", l)
				}
			}
		}
	})
}
