package importer

import (
	"cmp"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
)

// AOE's technology radar keeps a folder per release, named by its date
// (radar/2017-03-01/), holding the items placed or moved in that release,
// sometimes in a folder per quadrant (radar/2017-03-01/tools/). The file
// name is the item's id: radar/2017-03-01/akka.md and
// radar/2024-06-01/akka.md are one item, whose attributes (title, ring,
// quadrant, tags, info) are merged release after release, as AOE's radar
// merges them. Each item becomes one evaluation named by its id: the ring,
// quadrant, title and text of its newest release, the date of that
// release, and a history entry for every release before. The text of
// older releases, when it differs, follows under "Earlier releases", so
// nothing written is lost. Other Markdown files (a README about the rings)
// are copied as they are, and so are images.

var releaseFolder = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)

// locateAOE finds the radar folder in a repository: radar/ or data/radar/
// when there is one with release folders, else the folder itself.
func locateAOE(fsys fs.FS) (string, error) {
	for _, dir := range []string{"radar", "data/radar"} {
		entries, err := fs.ReadDir(fsys, dir)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if e.IsDir() && releaseFolder.MatchString(e.Name()) {
				return dir, nil
			}
		}
	}
	return ".", nil
}

// aoeRelease is one release's file of an item.
type aoeRelease struct {
	file    string // path in the input
	date    time.Time
	dated   bool // in a release folder
	fm      *frontMatter
	body    []byte
	bodyAt  int
	ring    string
	quad    string
	title   string
	tags    *yaml.Node
	info    string
	release string
}

// AOE plans the evaluations of an AOE radar folder (in[0]).
func AOE(in []Input, opt Options) *Plan {
	p := &Plan{}
	if len(in) == 0 {
		return p
	}
	src := in[0]
	files, err := walkFiles(src.FS, ".")
	if err != nil {
		p.errorf(at(shown(src, "."), 0, 0), "cannot read the folder: %v", unwrapPath(err))
		return p.finish()
	}
	items := map[string][]*aoeRelease{}
	var undated []*aoeRelease
	var newest time.Time
	var others []string
	for _, f := range files {
		if !isMarkdown(f) {
			others = append(others, f)
			continue
		}
		data, ok := readFile(p, src.FS, f, shown(src, f))
		if !ok {
			continue
		}
		r := readAOE(p, src, f, data)
		if r == nil {
			others = append(others, f)
			continue
		}
		if !r.dated {
			undated = append(undated, r)
		} else if r.date.After(newest) {
			newest = r.date
		}
		id := strings.ToLower(strings.TrimSuffix(path.Base(f), path.Ext(f)))
		items[id] = append(items[id], r)
	}
	// An item in no release folder is dated --date, else as the newest
	// release, else today.
	for _, r := range undated {
		r.date = src.Date
		if r.date.IsZero() {
			r.date = newest
		}
		if r.date.IsZero() {
			r.date = opt.Today
		}
		p.warnf(at(shown(src, r.file), 1, 1), "item is in no release folder (YYYY-MM-DD/); it is dated %s", r.date.Format("2006-01-02"))
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for k := range items {
			if !yield(k) {
				return
			}
		}
	})
	names := map[string]string{} // id → file name written
	taken := map[string]bool{}
	for _, f := range others {
		taken[strings.TrimSuffix(f, path.Ext(f))] = true
	}
	for _, id := range ids {
		rs := items[id]
		stem := strings.TrimSuffix(path.Base(rs[0].file), path.Ext(rs[0].file))
		names[id] = uniqueName(stem, taken) + ".md"
	}
	rl := &relinker{plan: p, moved: map[string]string{}, files: map[string]bool{}, byName: aoeByName(names)}
	for _, f := range files {
		rl.files[f] = true
	}
	for id, rs := range items {
		for _, r := range rs {
			rl.moved[r.file] = names[id]
		}
	}
	for _, id := range ids {
		p.add(names[id], aoeItem(p, src, items[id], rl, opt), shown(src, items[id][len(items[id])-1].file))
	}
	for _, f := range others {
		data, ok := readFile(p, src.FS, f, shown(src, f))
		if !ok {
			continue
		}
		if isMarkdown(f) {
			data = joinLines(rl.relink(lines(data), 1, shown(src, f), f, f))
		}
		p.add(f, data, shown(src, f))
	}
	return p.finish()
}

// readAOE reads an item's file; nil when the file is no item (a Markdown
// file outside the release folders without ring or quadrant).
func readAOE(p *Plan, src Input, f string, data []byte) *aoeRelease {
	r := &aoeRelease{file: f}
	for _, seg := range strings.Split(path.Dir(f), "/") {
		if releaseFolder.MatchString(seg) {
			if t, ok := page.ParseDate(seg); ok {
				r.date, r.dated, r.release = t, true, seg
			}
		}
	}
	fmRaw, body, bodyLine := page.Split(data)
	r.body, r.bodyAt = body, bodyLine
	fm := newFrontMatter()
	if fmRaw.Format == "yaml" && fmRaw.Closed {
		var err error
		if fm, err = parseFrontMatter(fmRaw.Raw); err != nil {
			line, msg := yamlError(err, fmRaw.Line)
			p.errorf(at(shown(src, f), line, 1), "cannot read the front matter: %s; the file is copied as it is", msg)
			return nil
		}
	}
	r.fm = fm
	r.title, r.ring, r.quad = fm.get("title"), fm.get("ring"), fm.get("quadrant")
	r.info = cmp.Or(fm.get("info"), fm.get("description"))
	for i := 0; i+1 < len(fm.node.Content); i += 2 {
		if strings.EqualFold(fm.node.Content[i].Value, "tags") {
			r.tags = fm.node.Content[i+1]
		}
	}
	if !r.dated && r.ring == "" && r.quad == "" {
		return nil
	}
	return r
}

// aoeItem writes the evaluation of one item from its releases.
func aoeItem(p *Plan, src Input, rs []*aoeRelease, rl *relinker, opt Options) []byte {
	slices.SortStableFunc(rs, func(a, b *aoeRelease) int { return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.file, b.file)) })
	// Attributes merged release after release; the ring in effect at each.
	var title, ring, quad, info string
	var tags *yaml.Node
	rings := make([]string, len(rs))
	for i, r := range rs {
		title, ring, quad, info = cmp.Or(r.title, title), cmp.Or(r.ring, ring), cmp.Or(r.quad, quad), cmp.Or(r.info, info)
		if r.tags != nil {
			tags = r.tags
		}
		rings[i] = ring
	}
	cur := rs[len(rs)-1]
	fm := newFrontMatter()
	id := strings.TrimSuffix(path.Base(cur.file), path.Ext(cur.file))
	fm.set("title", cmp.Or(title, id))
	b := blip{name: cmp.Or(title, id), ring: ring, pos: at(shown(src, cur.file), 1, 1)}
	if ring := radarRing(p, b, opt); ring != "" {
		fm.set("ring", ring)
	}
	if quad == "" {
		p.warnf(b.pos, "%q has no quadrant in any release; write one in its page", b.name)
	}
	fm.set("quadrant", radarQuadrant(quad, opt))
	fm.set("date", cur.date)
	if tags != nil {
		fm.set("tags", tags)
	}
	if info != "" {
		fm.set("description", strings.TrimSpace(info))
	}
	if len(rs) > 1 {
		var h []page.HistoryEntry
		for i, r := range rs[:len(rs)-1] {
			rb := blip{name: b.name, ring: rings[i], pos: at(shown(src, r.file), 1, 1)}
			h = append(h, page.HistoryEntry{Date: r.date, Ring: radarRing(p, rb, opt)})
		}
		fm.set("history", historyNode(h))
	}
	// Other keys of the newest release are kept; featured is AOE's own.
	for i := 0; i+1 < len(cur.fm.node.Content); i += 2 {
		k := cur.fm.node.Content[i].Value
		switch strings.ToLower(k) {
		case "title", "ring", "quadrant", "tags", "info", "description", "date", "history":
			continue
		case "featured":
			if v := cur.fm.node.Content[i+1].Value; strings.EqualFold(v, "false") {
				p.warnf(at(shown(src, cur.file), cur.fm.node.Content[i].Line+1, cur.fm.node.Content[i].Column), "featured: false is not kept: the item is drawn on the radar like the others")
			}
			continue
		}
		fm.setDefault(k, cur.fm.node.Content[i+1])
	}
	if opt.SetKind {
		fm.set("kind", string(page.KindEvaluation))
	}
	// The newest text is the page; older texts that differ follow.
	to := rl.moved[cur.file]
	bodyOf := func(r *aoeRelease) string {
		ls := rl.relink(lines(r.body), r.bodyAt, shown(src, r.file), r.file, to)
		return strings.TrimSpace(string(joinLines(ls)))
	}
	text := ""
	for i := len(rs) - 1; i >= 0 && text == ""; i-- {
		text = bodyOf(rs[i])
	}
	var earlier []string
	for i := len(rs) - 2; i >= 0; i-- {
		t := bodyOf(rs[i])
		if t == "" || t == text {
			continue
		}
		ring, _ := schemaOf(opt).Ring(rings[i])
		earlier = append(earlier, earlierText(rs[i].date, cmp.Or(ring, rings[i]), t))
	}
	if len(earlier) > 0 {
		text += "\n\n## Earlier releases\n\n" + strings.Join(earlier, "\n\n")
	}
	return fm.page([]byte(text))
}

// aoeByName finds the item a link names the ways AOE's radar links its
// items (/tools/akka.html, /methods-and-patterns/akka/, /radar/akka): by
// the item's id, the link's last segment.
func aoeByName(names map[string]string) func(p string) (string, bool) {
	return func(p string) (string, bool) {
		last := path.Base(strings.TrimSuffix(p, "/"))
		ext := strings.ToLower(path.Ext(last))
		switch ext {
		case ".md", ".html", ".htm":
		case "":
			if !strings.HasSuffix(p, "/") && !strings.HasPrefix(p, "/") {
				return "", false
			}
		default:
			return "", false
		}
		name, ok := names[strings.ToLower(strings.TrimSuffix(last, path.Ext(last)))]
		return name, ok
	}
}
