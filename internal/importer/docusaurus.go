package importer

import (
	"cmp"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
)

// A Docusaurus site keeps its docs in docs/ (Markdown and MDX), their
// order in sidebars.js (or .ts, .json) and, for sidebars generated from
// the folders, in each doc's sidebar_position and each folder's
// _category_.json (label, position, description). Every doc is imported
// at its path, .mdx written as .md; a doc whose id: is not its file name
// is written under its id, which its URL was made of. Links to a doc
// written under another name are rewritten. Front matter is kept, but for
// the id, which the file name now says.
//
// The order becomes weights: a doc the sidebar names gets 10, 20, 30, … in
// the order the sidebar names them; another ten times its
// sidebar_position, or the number its file name starts with (01-intro.md),
// as Docusaurus orders them (positions that are not whole numbers are
// replaced by their rank in the folder). A folder's _category_ file gives the folder's index
// page (index.md or README.md, written when there is none) its title,
// weight and description.
//
// In the text, admonitions (:::note Title, :::tip[Title], nested with
// more colons) become callouts; MDX imports and exports are taken out;
// <Tabs> and <TabItem label="…"> are written one after the other under
// bold titles. Other JSX components, which the site does not render, are
// reported and left as they are.

// Docusaurus plans the pages of a Docusaurus site (in[0]): the site's
// folder, or its docs folder.
func Docusaurus(in []Input, opt Options) *Plan {
	p := &Plan{}
	if len(in) == 0 {
		return p
	}
	src := in[0]
	docs := "."
	if fi, err := fs.Stat(src.FS, "docs"); err == nil && fi.IsDir() {
		docs = "docs"
	}
	files, err := walkFiles(src.FS, docs)
	if err != nil {
		p.errorf(at(shown(src, docs), 0, 0), "cannot read the docs folder: %v", unwrapPath(err))
		return p.finish()
	}
	relOf := func(f string) string {
		if docs == "." {
			return f
		}
		return strings.TrimPrefix(f, docs+"/")
	}
	// Where each file goes: .mdx as .md.
	moved := map[string]string{}
	taken := map[string]bool{}
	for _, f := range files {
		if !isMarkdown(f) {
			taken[relOf(f)] = true
		}
	}
	for _, f := range files {
		rel := relOf(f)
		if !isMarkdown(f) {
			continue
		}
		to := strings.TrimSuffix(rel, path.Ext(rel)) + ".md"
		// A doc whose id is not its file name is at the URL of its id:
		// it is written under that name, so that the URL stays.
		stem := strings.TrimSuffix(path.Base(rel), path.Ext(rel))
		if data, err := fs.ReadFile(src.FS, f); err == nil {
			if id := frontMatterOf(data).get("id"); id != "" && id != stem && id != stripNumber(stem) && !strings.ContainsAny(id, "/\\") {
				if byID := path.Join(path.Dir(rel), id+".md"); !taken[byID] {
					to = byID
				}
			}
		}
		if taken[to] {
			stem := strings.TrimSuffix(to, ".md")
			to = uniqueName(stem, taken) + ".md"
			p.warnf(at(shown(src, f), 0, 0), "another file is written as %s.md; this one is written as %s", stem, to)
		}
		taken[to] = true
		moved[rel] = to
	}
	d := &docusaurusSite{p: p, src: src, files: files, relOf: relOf}
	weights := d.weights()
	rl := &relinker{plan: p, moved: moved}
	for _, f := range files {
		rel, name := relOf(f), shown(src, f)
		switch path.Base(rel) {
		case "_category_.json", "_category_.yml", "_category_.yaml":
			continue
		}
		data, ok := readFile(p, src.FS, f, name)
		if !ok {
			continue
		}
		if !isMarkdown(f) {
			p.add(rel, data, name)
			continue
		}
		if strings.HasPrefix(path.Base(rel), "_") {
			p.warnf(at(name, 0, 0), "a file whose name starts with _ is a partial other docs import, not a page; it is imported as a page")
		}
		to := moved[rel]
		c := &converter{p: p, file: name}
		data = c.page(data, func(ls []srcLine) []string {
			relinked := rl.relink(texts(ls), ls0(ls), name, rel, to)
			for i := range ls {
				ls[i].text = relinked[i]
			}
			return c.docusaurus(ls)
		}, weights[rel], "", func(f *frontMatter) bool {
			toStem := strings.TrimSuffix(path.Base(to), ".md")
			if id := f.get("id"); id != "" && (id == toStem || id == stripNumber(toStem)) {
				f.remove("id")
				return true
			}
			return false
		})
		p.add(to, data, name)
	}
	for _, idx := range d.indexes {
		if w, ok := weights[idx.path]; ok {
			idx.fm.set("weight", w)
		}
		p.add(idx.path, idx.fm.page(nil), idx.from)
	}
	return p.finish()
}

// ls0 is the file line of the first of some lines.
func ls0(ls []srcLine) int {
	if len(ls) == 0 {
		return 1
	}
	return ls[0].line
}

var numberPrefix = regexp.MustCompile(`^(\d+)\s*[-_.]\s*(.+)$`)

// stripNumber drops the number prefix Docusaurus drops from ids.
func stripNumber(s string) string {
	if m := numberPrefix.FindStringSubmatch(s); m != nil {
		return m[2]
	}
	return s
}

type docusaurusSite struct {
	p     *Plan
	src   Input
	files []string
	relOf func(string) string
	// indexes are the index pages to write for folders with a _category_
	// file and no index.
	indexes []categoryIndex
}

type categoryIndex struct {
	path, from string
	fm         *frontMatter
}

// docPos is a position in a folder: of a doc, or of a sub-folder (given
// to its index).
type docPos struct {
	rel string // the doc, or the folder's index
	pos float64
}

// weights returns the weight of each doc (by path in the docs folder),
// and plans the index pages of folders that have a _category_ file and no
// index.
func (d *docusaurusSite) weights() map[string]int {
	// Positions by folder: docs' sidebar_position or number prefix, and
	// sub-folders' _category_ position (given to their index).
	byDir, ids, hasIndex := d.docPositions()
	d.categoryPositions(byDir, hasIndex)
	weights := weightsByPosition(byDir)
	// The sidebar's order wins.
	for i, id := range d.sidebarIDs(ids) {
		weights[ids[id]] = 10 * (i + 1)
	}
	return weights
}

// docPositions reads the docs: their positions by folder (sidebar_position
// or number prefix), their paths by doc id, and each folder's index page.
func (d *docusaurusSite) docPositions() (byDir map[string][]docPos, ids, hasIndex map[string]string) {
	byDir = map[string][]docPos{}
	ids = map[string]string{} // doc id → path
	hasIndex = map[string]string{}
	for _, f := range d.files {
		rel := d.relOf(f)
		if !isMarkdown(rel) {
			continue
		}
		dir, base := path.Dir(rel), path.Base(rel)
		stem := strings.TrimSuffix(base, path.Ext(base))
		switch strings.ToLower(stem) {
		case "index", "readme":
			if hasIndex[dir] == "" || strings.ToLower(stem) == "index" {
				hasIndex[dir] = rel
			}
		}
		data, _ := fs.ReadFile(d.src.FS, f)
		fm := frontMatterOf(data)
		ids[docID(dir, stem, fm)] = rel
		if v := fm.get("sidebar_position"); v != "" {
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				byDir[dir] = append(byDir[dir], docPos{rel, n})
				continue
			}
		}
		if m := numberPrefix.FindStringSubmatch(stem); m != nil {
			n, _ := strconv.Atoi(m[1])
			byDir[dir] = append(byDir[dir], docPos{rel, float64(n)})
		}
	}
	return byDir, ids, hasIndex
}

// docID returns the id Docusaurus gives the doc stem in folder dir: its
// id: or its file name, under its folders, all without number prefixes.
func docID(dir, stem string, fm *frontMatter) string {
	id := stripNumber(stem)
	if v := fm.get("id"); v != "" {
		id = v
	}
	if dir != "." {
		var segs []string
		for _, s := range strings.Split(dir, "/") {
			segs = append(segs, stripNumber(s))
		}
		id = strings.Join(segs, "/") + "/" + id
	}
	return id
}

// categoryPositions reads the _category_ files: it adds each folder's
// position to its parent's in byDir, and plans the index pages of folders
// that have none in hasIndex.
func (d *docusaurusSite) categoryPositions(byDir map[string][]docPos, hasIndex map[string]string) {
	for _, f := range d.files {
		rel := d.relOf(f)
		switch path.Base(rel) {
		case "_category_.json", "_category_.yml", "_category_.yaml":
		default:
			continue
		}
		dir := path.Dir(rel)
		data, _ := fs.ReadFile(d.src.FS, f)
		var cat struct {
			Label    string   `yaml:"label"`
			Position *float64 `yaml:"position"`
			Link     struct {
				Type        string `yaml:"type"`
				Title       string `yaml:"title"`
				Description string `yaml:"description"`
			} `yaml:"link"`
		}
		if err := yaml.Unmarshal(data, &cat); err != nil {
			d.p.warnf(at(shown(d.src, f), 0, 0), "cannot read %s (%v); the folder keeps no order or label", path.Base(rel), err)
			continue
		}
		idx := hasIndex[dir]
		if idx == "" {
			idx = path.Join(dir, "index.md")
			fm := newFrontMatter()
			fm.set("title", cmp.Or(cat.Link.Title, cat.Label, path.Base(dir)))
			if cat.Link.Description != "" {
				fm.set("description", cat.Link.Description)
			}
			d.indexes = append(d.indexes, categoryIndex{path: idx, from: shown(d.src, f), fm: fm})
		}
		if cat.Position != nil && dir != "." {
			parent := path.Dir(dir)
			byDir[parent] = append(byDir[parent], docPos{idx, *cat.Position})
		}
	}
}

// weightsByPosition turns the positions in each folder into weights: ten
// times the position when all are whole numbers, else ten times the rank.
func weightsByPosition(byDir map[string][]docPos) map[string]int {
	weights := map[string]int{}
	for _, dir := range slices.Sorted(func(yield func(string) bool) {
		for k := range byDir {
			if !yield(k) {
				return
			}
		}
	}) {
		es := byDir[dir]
		whole := true
		for _, e := range es {
			whole = whole && e.pos >= 1 && e.pos == math.Trunc(e.pos)
		}
		slices.SortStableFunc(es, func(a, b docPos) int { return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.rel, b.rel)) })
		for i, e := range es {
			if whole {
				weights[e.rel] = 10 * int(e.pos)
			} else {
				weights[e.rel] = 10 * (i + 1)
			}
		}
	}
	return weights
}

// sidebarIDs returns the doc ids the sidebars file names, in order.
func (d *docusaurusSite) sidebarIDs(ids map[string]string) []string {
	for _, n := range []string{"sidebars.js", "sidebars.ts", "sidebars.mjs", "sidebars.cjs", "sidebars.json"} {
		data, err := fs.ReadFile(d.src.FS, n)
		if err != nil {
			continue
		}
		var out []string
		seen := map[string]bool{}
		for _, s := range stringLiterals(string(data)) {
			s = strings.TrimPrefix(strings.TrimSuffix(s, path.Ext(s)), "./")
			if _, ok := ids[s]; ok && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// stringLiterals returns the string literals of JavaScript or JSON
// source, in order, skipping comments: the doc ids a sidebars file lists
// are among them, in the sidebar's order.
func stringLiterals(src string) []string {
	var out []string
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case strings.HasPrefix(src[i:], "//"):
			if j := strings.IndexByte(src[i:], '\n'); j >= 0 {
				i += j
			} else {
				i = len(src)
			}
		case strings.HasPrefix(src[i:], "/*"):
			if j := strings.Index(src[i+2:], "*/"); j >= 0 {
				i += j + 3
			} else {
				i = len(src)
			}
		case c == '"' || c == '\'' || c == '`':
			var b strings.Builder
			j := i + 1
			for ; j < len(src) && src[j] != c; j++ {
				if src[j] == '\\' && j+1 < len(src) {
					j++
				}
				b.WriteByte(src[j])
			}
			out = append(out, b.String())
			i = j
		}
	}
	return out
}

// frontMatterOf returns a file's front matter, empty when it has none or
// it cannot be read.
func frontMatterOf(data []byte) *frontMatter {
	raw, _, _ := page.Split(data)
	if !raw.Closed || raw.Format != "yaml" {
		return newFrontMatter()
	}
	fm, err := parseFrontMatter(raw.Raw)
	if err != nil {
		return newFrontMatter()
	}
	return fm
}

var (
	docuAdmonition = regexp.MustCompile(`^(\s*)(:{3,})[ \t]*([a-zA-Z][\w-]*)(?:\[(.*)\]|\{(.*)\}|[ \t]+(.*?))?[ \t]*$`)
	docuClose      = regexp.MustCompile(`^(\s*)(:{3,})[ \t]*$`)
	mdxImport      = regexp.MustCompile(`^(import|export)\s`)
	mdxFrom        = regexp.MustCompile(`\bfrom\s+['"][^'"]+['"];?\s*$|^import\s+['"][^'"]+['"];?\s*$`)
	jsxTag         = regexp.MustCompile(`</?([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)(?:\s[^<>]*)?/?>`)
	tabsTag        = regexp.MustCompile(`^\s*</?Tabs(?:\s[^<>]*)?>\s*$`)
	tabItemOpen    = regexp.MustCompile(`^(\s*)<TabItem\b([^<>]*)>\s*$`)
	tabItemClose   = regexp.MustCompile(`^\s*</TabItem>\s*$`)
	jsxAttr        = regexp.MustCompile(`(\w+)=(?:"([^"]*)"|'([^']*)'|\{["'\x60]([^"'\x60]*)["'\x60]\})`)
	mdxComment     = regexp.MustCompile(`\{/\*(.*?)\*/\}`)
	titleAttr      = regexp.MustCompile(`title=(?:"([^"]*)"|'([^']*)')`)
)

// docusaurus converts Docusaurus Markdown and MDX: admonitions, MDX
// imports, tabs and other JSX.
func (c *converter) docusaurus(ls []srcLine) []string {
	var out output
	var f fence
	tabsReported := false
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		if f.code(l.text) {
			out.add(l.text)
			continue
		}
		if m := docuAdmonition.FindStringSubmatch(l.text); m != nil {
			end := closeDirective(ls, i, len(m[2]))
			pos := at(c.file, l.line, l.col+len(m[1]))
			if end < 0 {
				c.p.warnf(pos, "admonition :::%s is never closed; it is left as it is", m[3])
				out.add(l.text)
				continue
			}
			title, titled := cmp.Or(m[4], m[6]), m[4] != "" || m[6] != ""
			if t := titleAttr.FindStringSubmatch(m[5]); t != nil {
				title, titled = cmp.Or(t[1], t[2]), true
			}
			marker, known := callout(m[3], title, titled)
			if !known {
				c.p.warnf(pos, "admonition type %q has no callout; it is a NOTE titled %q", m[3], strings.TrimPrefix(marker, "[!NOTE] "))
			}
			var body []srcLine
			for _, b := range ls[i+1 : end] {
				body = append(body, dedent(b, indentWidth(m[1])))
			}
			out.add(quote(m[1], marker, c.docusaurus(body))...)
			i = end
			continue
		}
		if mdxImport.MatchString(l.text) {
			// An import or export, perhaps over several lines.
			j := i
			if strings.HasPrefix(l.text, "import") {
				for j < len(ls)-1 && !mdxFrom.MatchString(strings.TrimSpace(ls[j].text)) && strings.TrimSpace(ls[j+1].text) != "" {
					j++
				}
			} else {
				for j < len(ls)-1 && strings.TrimSpace(ls[j+1].text) != "" {
					j++
				}
			}
			c.p.warnf(at(c.file, l.line, l.col), "MDX %s is not kept: the site renders Markdown, not MDX", strings.Fields(l.text)[0])
			out.mark()
			i = j
			continue
		}
		if tabsTag.MatchString(l.text) {
			if !tabsReported && !strings.Contains(l.text, "</") {
				c.p.warnf(at(c.file, l.line, l.col+indentWidth(l.text)), "tabs are not supported; the tabs were written one after the other under bold titles")
				tabsReported = true
			}
			out.mark()
			continue
		}
		if m := tabItemOpen.FindStringSubmatch(l.text); m != nil {
			label := ""
			for _, a := range jsxAttr.FindAllStringSubmatch(m[2], -1) {
				v := a[2] + a[3] + a[4]
				switch a[1] {
				case "label":
					label = v
				case "value":
					label = cmp.Or(label, v)
				}
			}
			out.add("**"+label+"**", "")
			out.mark()
			continue
		}
		if tabItemClose.MatchString(l.text) {
			out.mark()
			out.add("")
			continue
		}
		text := mdxComment.ReplaceAllString(l.text, "<!--$1-->")
		spans := codeSpans(text)
		for _, m := range jsxTag.FindAllStringSubmatchIndex(text, -1) {
			if inSpan(spans, m[0]) || text[m[0]+1] == '/' {
				continue
			}
			c.p.warnf(at(c.file, l.line, l.col+m[0]), "MDX component <%s> is not converted: the site does not render it; it is left as it is", text[m[2]:m[3]])
		}
		out.add(text)
	}
	return out.lines
}

// closeDirective returns the index of the line closing the directive
// opened at open with n colons, or -1.
func closeDirective(ls []srcLine, open, n int) int {
	depth := 0
	var f fence
	for j := open + 1; j < len(ls); j++ {
		t := ls[j].text
		if f.code(t) {
			continue
		}
		if m := docuClose.FindStringSubmatch(t); m != nil {
			if depth == 0 && len(m[2]) >= n {
				return j
			}
			if depth > 0 {
				depth--
			}
			continue
		}
		if docuAdmonition.MatchString(t) {
			depth++
		}
	}
	return -1
}
