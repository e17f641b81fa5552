package sitediff

import (
	"reflect"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// section is a section of a page: a heading of level 2 or more and the
// text up to the next one, or the top of the page (id and heading "").
type section struct {
	id, heading string
	level, line int
	// text is the section's Markdown without its heading, trailing white
	// space and blank lines at either end.
	text string
}

// sections splits the file src of page p, with LF line ends, into its
// sections, the top first, by the headings parsing p found.
func sections(src []byte, p *site.Page) []section {
	_, _, bodyLine := page.Split(src)
	lines := strings.Split(string(src), "\n")
	type heading struct {
		level, line int
		text, id    string
	}
	var hs []heading
	if p.Doc != nil {
		for _, h := range p.Doc.Headings {
			if h.Level >= 2 && h.Line >= bodyLine && h.Line <= len(lines) {
				hs = append(hs, heading{h.Level, h.Line, h.Text, h.ID})
			}
		}
	}
	slices.SortStableFunc(hs, func(a, b heading) int { return a.line - b.line })
	// text returns lines from to to (1-based, inclusive of from,
	// exclusive of to), normalised.
	text := func(from, to int) string {
		if from < 1 {
			from = 1
		}
		if to > len(lines)+1 {
			to = len(lines) + 1
		}
		if from >= to {
			return ""
		}
		out := make([]string, 0, to-from)
		for _, l := range lines[from-1 : to-1] {
			out = append(out, strings.TrimRight(l, " \t\r"))
		}
		return strings.Trim(strings.Join(out, "\n"), "\n")
	}
	end := len(lines) + 1
	first := end
	if len(hs) > 0 {
		first = hs[0].line
	}
	out := []section{{text: text(bodyLine, first)}}
	for i, h := range hs {
		next := end
		if i+1 < len(hs) {
			next = hs[i+1].line
		}
		from := h.line + 1
		if from < next && isSetextUnderline(lines[from-1]) {
			from++
		}
		out = append(out, section{id: h.id, heading: h.text, level: h.level, line: h.line, text: text(from, next)})
	}
	return out
}

// isSetextUnderline reports whether l underlines a setext heading.
func isSetextUnderline(l string) bool {
	l = strings.TrimSpace(l)
	return l != "" && (strings.Trim(l, "=") == "" || strings.Trim(l, "-") == "")
}

// sectionChanges compares the sections of a page in the base with those
// in the head; both start with the top of the page.
func sectionChanges(base, head []section) []SectionChange {
	var out []SectionChange
	if len(base) > 0 && len(head) > 0 && base[0].text != head[0].text {
		out = append(out, SectionChange{Change: SectionChanged})
	}
	byID := map[string]int{}
	for i := 1; i < len(base); i++ {
		if _, dup := byID[base[i].id]; !dup {
			byID[base[i].id] = i
		}
	}
	used := make([]bool, len(base))
	var added []int
	for j := 1; j < len(head); j++ {
		h := head[j]
		i, ok := byID[h.id]
		if !ok || used[i] {
			added = append(added, j)
			continue
		}
		used[i] = true
		b := base[i]
		if b.text != h.text || b.heading != h.heading || b.level != h.level {
			out = append(out, SectionChange{Change: SectionChanged, Heading: h.heading, ID: h.id, Line: h.line})
		}
	}
	// A removed and an added section with the same text: a heading
	// renamed.
	renamed := map[int]int{} // head index → base index
	for _, j := range added {
		for i := 1; i < len(base); i++ {
			if !used[i] && base[i].text == head[j].text {
				used[i] = true
				renamed[j] = i
				break
			}
		}
	}
	var adds []SectionChange
	for _, j := range added {
		h := head[j]
		if i, ok := renamed[j]; ok {
			b := base[i]
			adds = append(adds, SectionChange{Change: SectionRenamed, Heading: h.heading, ID: h.id, OldHeading: b.heading, OldID: b.id, Line: h.line})
			continue
		}
		adds = append(adds, SectionChange{Change: SectionAdded, Heading: h.heading, ID: h.id, Line: h.line})
	}
	out = append(out, adds...)
	// In the head's order, the top first.
	slices.SortStableFunc(out, func(a, b SectionChange) int { return a.Line - b.Line })
	for i := 1; i < len(base); i++ {
		if !used[i] {
			b := base[i]
			out = append(out, SectionChange{Change: SectionRemoved, Heading: b.heading, ID: b.id, Line: b.line})
		}
	}
	return out
}

// frontMatterChanges returns the front-matter fields whose values differ
// between the files base and head, sorted, and whether their front matter
// changed at all: a change to comments or layout alone is none. Fields
// cannot be told apart in TOML or in YAML that does not parse.
func frontMatterChanges(base, head []byte) ([]string, bool) {
	bfm, _, _ := page.Split(base)
	hfm, _, _ := page.Split(head)
	if bfm.Format == hfm.Format && string(bfm.Raw) == string(hfm.Raw) {
		return nil, false
	}
	bm, bok := yamlFields(bfm)
	hm, hok := yamlFields(hfm)
	if !bok || !hok {
		return nil, true
	}
	var fields []string
	for k, v := range hm {
		if bv, ok := bm[k]; !ok || !reflect.DeepEqual(bv, v) {
			fields = append(fields, k)
		}
	}
	for k := range bm {
		if _, ok := hm[k]; !ok {
			fields = append(fields, k)
		}
	}
	slices.Sort(fields)
	return fields, len(fields) > 0
}

// yamlFields returns the fields of YAML front matter (none for a file
// without front matter), or false when they cannot be read.
func yamlFields(fm page.FrontMatter) (map[string]any, bool) {
	m := map[string]any{}
	switch fm.Format {
	case "":
		return m, true
	case "yaml":
		if err := yaml.Unmarshal(fm.Raw, &m); err != nil {
			return nil, false
		}
		return m, true
	}
	return nil, false
}
