package importer

import (
	"io/fs"
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
)

// A MkDocs project is mkdocs.yml and its docs folder (docs_dir, default
// docs/). Every file of the docs folder is imported at the same path, so
// links between pages keep working. The order of nav: in mkdocs.yml
// becomes each page's weight (10, 20, 30, … in the order the nav lists
// the pages, so a page's siblings keep their order), and a page that has
// no title of its own (no title: and no # heading) takes the title MkDocs
// showed: its nav title, else its file name in words. Front matter is
// kept.
//
// In the text, admonitions (!!! type "Title", collapsible ??? and ???+,
// with their indented body, nested or not) become callouts. Content tabs
// (=== "Tab") are written one after the other, each under its title in
// bold, and reported, as are snippet includes (--8<--) and admonition
// types that have no callout.

// MkDocs plans the pages of a MkDocs project (in[0]): the folder holding
// mkdocs.yml, or a docs folder without one.
func MkDocs(in []Input, opt Options) *Plan {
	p := &Plan{}
	if len(in) == 0 {
		return p
	}
	src := in[0]
	docs, weights, titles := mkdocsConfig(p, src)
	files, err := walkFiles(src.FS, docs)
	if err != nil {
		p.errorf(at(shown(src, docs), 0, 0), "cannot read the docs folder: %v", unwrapPath(err))
		return p.finish()
	}
	for _, f := range files {
		rel := strings.TrimPrefix(strings.TrimPrefix(f, docs), "/")
		if docs == "." {
			rel = f
		}
		name := shown(src, f)
		data, ok := readFile(p, src.FS, f, name)
		if !ok {
			continue
		}
		if !isMarkdown(f) {
			p.add(rel, data, name)
			continue
		}
		title := titles[rel]
		if title == "" {
			title = mkdocsTitle(rel)
		}
		c := &converter{p: p, file: name}
		rl := &relinker{plan: p}
		p.add(rel, c.page(data, func(ls []srcLine) []string {
			rl.relink(texts(ls), ls0(ls), name, rel, rel) // reports links that leave the docs
			return c.mkdocs(ls)
		}, weights[rel], title, nil), name)
	}
	return p.finish()
}

// mkdocsConfig reads mkdocs.yml: the docs folder, and the weight and nav
// title of each page the nav lists (by path in the docs folder).
func mkdocsConfig(p *Plan, src Input) (docs string, weights map[string]int, titles map[string]string) {
	weights, titles = map[string]int{}, map[string]string{}
	cfgName := ""
	var data []byte
	for _, n := range []string{"mkdocs.yml", "mkdocs.yaml"} {
		if b, err := fs.ReadFile(src.FS, n); err == nil {
			cfgName, data = n, b
			break
		}
	}
	if cfgName == "" {
		if fi, err := fs.Stat(src.FS, "docs"); err == nil && fi.IsDir() {
			docs = "docs"
		} else {
			docs = "."
		}
		p.warnf(at(shown(src, "."), 0, 0), "no mkdocs.yml: the pages are imported without a nav order")
		return docs, weights, titles
	}
	shownCfg := shown(src, cfgName)
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.warnf(at(shownCfg, 1, 1), "cannot read %s; the pages are imported without a nav order", cfgName)
		return "docs", weights, titles
	}
	root := doc.Content[0]
	docs = "docs"
	var nav *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		switch root.Content[i].Value {
		case "docs_dir":
			docs = path.Clean(strings.TrimPrefix(root.Content[i+1].Value, "./"))
		case "nav":
			nav = root.Content[i+1]
		}
	}
	if nav == nil {
		return docs, weights, titles
	}
	n := 0
	var walk func(items *yaml.Node)
	walk = func(items *yaml.Node) {
		if items.Kind != yaml.SequenceNode {
			p.warnf(at(shownCfg, items.Line, items.Column), "a nav entry must be a list; it is left out")
			return
		}
		for _, it := range items.Content {
			title, target := "", it
			if it.Kind == yaml.MappingNode && len(it.Content) == 2 {
				title, target = it.Content[0].Value, it.Content[1]
			}
			switch {
			case target.Kind == yaml.SequenceNode:
				walk(target)
			case target.Kind != yaml.ScalarNode:
				p.warnf(at(shownCfg, it.Line, it.Column), "nav entry is not a page or a section; it is left out")
			case strings.Contains(target.Value, "://") || strings.HasPrefix(target.Value, "mailto:"):
				p.warnf(at(shownCfg, target.Line, target.Column), "nav link to %s is not kept: the site's navigation lists its own pages", target.Value)
			default:
				rel := path.Clean(strings.TrimPrefix(target.Value, "./"))
				if _, err := fs.Stat(src.FS, path.Join(docs, rel)); err != nil {
					p.warnf(at(shownCfg, target.Line, target.Column), "nav names %s, which is not in %s", target.Value, docs)
					continue
				}
				if _, dup := weights[rel]; dup {
					continue
				}
				n++
				weights[rel] = 10 * n
				if title != "" {
					titles[rel] = title
				}
			}
		}
	}
	walk(nav)
	return docs, weights, titles
}

// converter converts the text of one file.
type converter struct {
	p    *Plan
	file string // as shown in findings
}

// page converts a Markdown file: its body through conv, its front matter
// kept, with weight (when not 0) and title (when the page has none of its
// own) added unless it sets them, and fm, when set, changing the front
// matter further.
func (c *converter) page(data []byte, conv func([]srcLine) []string, weight int, title string, fm func(*frontMatter) bool) []byte {
	raw, body, bodyLine := page.Split(data)
	converted := conv(srcLines(lines(body), bodyLine))
	for len(converted) > 0 && strings.TrimSpace(converted[len(converted)-1]) == "" {
		converted = converted[:len(converted)-1]
	}
	out := joinLines(converted)
	var f *frontMatter
	if raw.Format == "yaml" && raw.Closed {
		var err error
		if f, err = parseFrontMatter(raw.Raw); err != nil {
			line, msg := yamlError(err, raw.Line)
			c.p.errorf(at(c.file, line, 1), "cannot read the front matter: %s; it is kept as it is", msg)
			return append(data[:len(data)-len(body):len(data)-len(body)], out...)
		}
	} else if raw.Format != "" {
		// TOML front matter: kept as it is, for the site to report.
		return append(data[:len(data)-len(body):len(data)-len(body)], out...)
	}
	changed := false
	if f == nil {
		f = newFrontMatter()
	}
	if weight != 0 && !f.has("weight", "nav_order") {
		f.set("weight", weight)
		changed = true
	}
	if title != "" && !f.has("title") && !hasH1(body) {
		f.set("title", title)
		changed = true
	}
	if fm != nil && fm(f) {
		changed = true
	}
	if !changed {
		if raw.Format == "" {
			return out
		}
		return append(data[:len(data)-len(body):len(data)-len(body)], out...)
	}
	return f.page(out)
}

// mkdocsTitle is the title MkDocs gives a page that has none of its own:
// its file name in words, "Home" for the index.
func mkdocsTitle(rel string) string {
	stem := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
	if strings.EqualFold(stem, "index") || strings.EqualFold(stem, "readme") {
		if path.Dir(rel) == "." {
			return "Home"
		}
		stem = path.Base(path.Dir(rel))
	}
	return capitalize(strings.NewReplacer("-", " ", "_", " ").Replace(stem))
}

// hasH1 reports whether a body has a level-1 heading, which titles it.
func hasH1(body []byte) bool {
	var f fence
	prev := ""
	for _, l := range lines(body) {
		if f.code(l) {
			prev = ""
			continue
		}
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "# ") || t == "#" || strings.Trim(t, "=") == "" && t != "" && strings.TrimSpace(prev) != "" {
			return true
		}
		prev = l
	}
	return false
}

var (
	mkdocsAdmonition = regexp.MustCompile(`^(\s*)(!!!|\?\?\?\+?)[ \t]*([\w-]+(?:[ \t]+[\w-]+)*)?(?:[ \t]+"(.*)")?[ \t]*$`)
	mkdocsTab        = regexp.MustCompile(`^(\s*)===[!+]?[ \t]+"(.*)"[ \t]*$`)
	mkdocsSnippet    = regexp.MustCompile(`--8<--`)
)

// mkdocs converts MkDocs Markdown: admonitions, content tabs, snippets.
func (c *converter) mkdocs(ls []srcLine) []string {
	var out output
	var f fence
	tabs := -1 // the indentation of the tab set being written, -1 for none
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		if f.code(l.text) {
			out.add(l.text)
			continue
		}
		if m := mkdocsAdmonition.FindStringSubmatch(l.text); m != nil && m[3] != "" {
			indent := m[1]
			body, next := indented(ls, i+1, indentWidth(indent)+4)
			words := strings.Fields(m[3])
			typ := words[0]
			titled := strings.Contains(l.text[len(indent)+len(m[2]):], `"`)
			marker, known := callout(typ, m[4], titled)
			pos := at(c.file, l.line, l.col+len(indent))
			if !known {
				c.p.warnf(pos, "admonition type %q has no callout; it is a NOTE titled %q", typ, strings.TrimPrefix(marker, "[!NOTE] "))
			}
			if strings.HasPrefix(m[2], "???") {
				c.p.warnf(pos, "collapsible admonition (%s) is shown open: callouts do not fold", m[2])
			}
			if len(words) > 1 {
				c.p.warnf(pos, "admonition classes %s are not kept", strings.Join(words[1:], " "))
			}
			out.add(quote(indent, marker, c.mkdocs(body))...)
			i = next - 1
			tabs = -1
			continue
		}
		if m := mkdocsTab.FindStringSubmatch(l.text); m != nil {
			indent := m[1]
			body, next := indented(ls, i+1, indentWidth(indent)+4)
			if tabs != indentWidth(indent) {
				c.p.warnf(at(c.file, l.line, l.col+len(indent)), "content tabs are not supported; the tabs were written one after the other under bold titles")
			}
			tabs = indentWidth(indent)
			out.add(indent+"**"+strings.TrimSpace(m[2])+"**", "")
			out.mark()
			for _, b := range c.mkdocs(body) {
				if strings.TrimSpace(b) == "" {
					out.add("")
				} else {
					out.add(indent + b)
				}
			}
			out.add("")
			out.mark()
			i = next - 1
			continue
		}
		if strings.TrimSpace(l.text) != "" && indentWidth(l.text) <= tabs {
			tabs = -1
		}
		if loc := mkdocsSnippet.FindStringIndex(l.text); loc != nil {
			c.p.warnf(at(c.file, l.line, l.col+loc[0]), "snippet includes (--8<--) are not supported; the line is kept as it is: paste the file it includes")
		}
		out.add(l.text)
	}
	return out.lines
}

// indented returns the lines from start indented by at least width (and
// the blank lines among them), without that indentation, and the index of
// the first line after them.
func indented(ls []srcLine, start, width int) ([]srcLine, int) {
	end := start
	last := start
	for end < len(ls) {
		t := ls[end].text
		if strings.TrimSpace(t) == "" {
			end++
			continue
		}
		if indentWidth(t) < width {
			break
		}
		end++
		last = end
	}
	var body []srcLine
	for _, l := range ls[start:last] {
		if strings.TrimSpace(l.text) == "" {
			body = append(body, srcLine{line: l.line, col: l.col})
			continue
		}
		body = append(body, dedent(l, width))
	}
	return body, last
}
