package chart

import (
	"bufio"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// radarCorpus is a real radar: one Markdown file per blip with title,
// quadrant and ring in its front matter, in the shared corpus beside the
// repository (tests run in this package's folder).
var radarCorpus = filepath.Join("..", "..", "..", "shared", "corpus", "radar-isis", "data", "radar")

// loadRadarCorpus reads the blips of radarCorpus, and the quadrants and
// rings they use (rings in the usual order), or skips the test (fails it
// when HANDBOOK_REQUIRE_CORPUS=1).
func loadRadarCorpus(t testing.TB) (RadarOptions, []Blip) {
	t.Helper()
	if _, err := os.Stat(radarCorpus); err != nil {
		// golden.MissingCorpus, written out: this package's tests have a
		// func golden of their own.
		if os.Getenv("HANDBOOK_REQUIRE_CORPUS") == "1" {
			t.Fatalf("radar corpus required (HANDBOOK_REQUIRE_CORPUS=1) but missing: %v", err)
		}
		t.Skipf("radar corpus not available: %v", err)
	}
	var blips []Blip
	quadrants := map[string]bool{}
	rings := map[string]bool{}
	err := filepath.WalkDir(radarCorpus, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		fm, err := frontMatter(path)
		if err != nil || fm["title"] == "" || fm["quadrant"] == "" || fm["ring"] == "" {
			return err // README.md and such have none
		}
		rel, _ := filepath.Rel(radarCorpus, path)
		blips = append(blips, Blip{
			Title:    fm["title"],
			Href:     "/radar/" + strings.TrimSuffix(filepath.ToSlash(rel), ".md") + "/",
			Quadrant: fm["quadrant"],
			Ring:     fm["ring"],
		})
		quadrants[fm["quadrant"]] = true
		rings[fm["ring"]] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opts := RadarOptions{ID: "isis", Title: "ISIS technology radar"}
	for q := range quadrants {
		opts.Quadrants = append(opts.Quadrants, q)
	}
	sort.Strings(opts.Quadrants)
	for _, r := range []string{"adopt", "trial", "assess", "hold"} {
		if rings[r] {
			opts.Rings = append(opts.Rings, r)
			delete(rings, r)
		}
	}
	for r := range rings {
		t.Fatalf("unexpected ring %q", r)
	}
	return opts, blips
}

// frontMatter reads the top-level "key: value" lines of a file's YAML front
// matter; block values are ignored.
func frontMatter(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	fm := map[string]string{}
	for n := 0; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "---" {
			if n == 0 {
				continue
			}
			break
		}
		if n == 0 {
			return nil, nil
		}
		if line == "" || line[0] == ' ' || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		fm[strings.TrimSpace(k)] = v
	}
	return fm, sc.Err()
}

// elem is one element of a parsed SVG.
type elem struct {
	name    string
	attr    map[string]string
	parents []string // names of the enclosing elements, outermost first
	within  []string // their classes
	text    string   // character data directly inside
}

// parseSVG checks that svg is well-formed XML, read to EOF, with one <svg>
// root, and returns its elements in document order.
func parseSVG(t testing.TB, svg []byte) []*elem {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	var all []*elem
	var stack []*elem
	roots := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := &elem{name: tok.Name.Local, attr: map[string]string{}}
			for _, a := range tok.Attr {
				e.attr[a.Name.Local] = a.Value
			}
			for _, p := range stack {
				e.parents = append(e.parents, p.name)
				e.within = append(e.within, strings.Fields(p.attr["class"])...)
			}
			if len(stack) == 0 {
				roots++
				if e.name != "svg" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Fatalf("root is %v, not svg", tok.Name)
				}
			}
			stack = append(stack, e)
			all = append(all, e)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if roots != 1 {
		t.Fatalf("%d root elements", roots)
	}
	return all
}

// hasClass reports whether e has the class c.
func (e *elem) hasClass(c string) bool {
	for _, f := range strings.Fields(e.attr["class"]) {
		if f == c {
			return true
		}
	}
	return false
}

// inside reports whether an enclosing element has the class c.
func (e *elem) inside(c string) bool {
	for _, w := range e.within {
		if w == c {
			return true
		}
	}
	return false
}

// count counts the elements named name with class class ("" for any).
func count(es []*elem, name, class string) int {
	n := 0
	for _, e := range es {
		if e.name == name && (class == "" || e.hasClass(class)) {
			n++
		}
	}
	return n
}

// checkCommon checks what every picture must have: the root's attributes,
// a title it is labelled by, unique ids all starting with the prefix, and
// CSS scoped under the kind's class with a dark-scheme override.
func checkCommon(t *testing.T, svg []byte, kind, prefix string) []*elem {
	t.Helper()
	es := parseSVG(t, svg)
	root := es[0]
	for k, want := range map[string]string{
		"role":  "img",
		"style": "max-width:100%;height:auto",
		"id":    prefix,
	} {
		if root.attr[k] != want {
			t.Errorf("root %s = %q, want %q", k, root.attr[k], want)
		}
	}
	if !root.hasClass(kind) || !root.hasClass("hb-chart") {
		t.Errorf("root class = %q, want hb-chart and %s", root.attr["class"], kind)
	}
	vb := strings.Fields(root.attr["viewBox"])
	if len(vb) != 4 || vb[0] != "0" || vb[1] != "0" || vb[2] != root.attr["width"] || vb[3] != root.attr["height"] {
		t.Errorf("viewBox %q does not match width %q and height %q", root.attr["viewBox"], root.attr["width"], root.attr["height"])
	}
	ids := map[string]bool{}
	for _, e := range es {
		id, ok := e.attr["id"]
		if !ok {
			continue
		}
		if ids[id] {
			t.Errorf("duplicate id %q", id)
		}
		ids[id] = true
		if id != prefix && !strings.HasPrefix(id, prefix+"-") {
			t.Errorf("id %q does not start with %q", id, prefix)
		}
	}
	for _, ref := range strings.Fields(root.attr["aria-labelledby"]) {
		if !ids[ref] {
			t.Errorf("aria-labelledby names missing id %q", ref)
		}
	}
	if es[1].name != "title" || es[1].attr["id"] != prefix+"-title" {
		t.Errorf("first child is <%s id=%q>, want the title", es[1].name, es[1].attr["id"])
	}
	styles := 0
	for _, e := range es {
		if e.name == "style" {
			styles++
			checkScoped(t, e.text, kind)
		}
	}
	if styles != 1 {
		t.Errorf("%d <style> elements, want 1", styles)
	}
	if strings.Contains(string(svg), "url(#") {
		t.Errorf("uses url(#…) references, which a <base> element breaks")
	}
	return es
}

// checkScoped checks that every selector in css starts with the kind's
// class, and that dark colours are given.
func checkScoped(t *testing.T, css, kind string) {
	t.Helper()
	if !strings.Contains(css, "@media screen and (prefers-color-scheme: dark) {") {
		t.Errorf("no dark-scheme override in\n%s", css)
	}
	rest := css
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			break
		}
		sel := strings.TrimSpace(rest[:open])
		rest = rest[open+1:]
		if strings.HasPrefix(sel, "@media") {
			continue
		}
		for _, s := range strings.Split(sel, ",") {
			s = strings.TrimSpace(s)
			if s != "."+kind && !strings.HasPrefix(s, "."+kind+" ") {
				t.Errorf("selector %q is not scoped under .%s", s, kind)
			}
		}
		close := strings.IndexByte(rest, '}')
		if close < 0 {
			t.Fatalf("unbalanced CSS:\n%s", css)
		}
		rest = rest[close+1:]
		rest = strings.TrimLeft(rest, " \n}")
	}
}
