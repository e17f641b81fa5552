package importer

import (
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
)

// Decision logs kept with adr-tools (doc/adr/0001-record-architecture-
// decisions.md, Nygard's template: "# 1. Title", "Date: …", a Status
// section, "Supersedes [2. …](0002-….md)" and "Superseded by …" lines) or
// log4brains (docs/adr/20200924-use-markdown.md, MADR with "- Status:"
// and "- Date:" bullets under the title) become ADR pages whose front
// matter says what the text said: title, status, date, number,
// decision-makers, tags, supersedes and superseded_by. The lines that said
// it — the title heading, the Date line, the header bullets — are taken
// out of the body; the Status section of Nygard's template stays, for the
// links it holds. The statuses and dates are read as the site reads them
// (package page), so the front matter holds what the site would have
// shown.
//
// With Options.Renumber every ADR is renamed NNNN-slug.md, numbered from 1
// in date order, and every link between the files of the log (and its
// text, when it was the old file name or "N. Title") follows. Other files
// of the log (README.md, index.md, the template, images) are copied as
// they are, with their links to renamed ADRs rewritten.

// locateADRTools finds an adr-tools log in a repository: the folder
// .adr-dir names, else doc/adr, else the folder itself.
func locateADRTools(fsys fs.FS) (string, error) {
	if b, err := fs.ReadFile(fsys, ".adr-dir"); err == nil {
		if d := strings.Trim(strings.TrimSpace(string(b)), "/"); d != "" {
			return path.Clean(d), nil
		}
	}
	if fi, err := fs.Stat(fsys, "doc/adr"); err == nil && fi.IsDir() {
		return "doc/adr", nil
	}
	return ".", nil
}

// locateLog4brains finds a log4brains log in a repository: the adrFolder
// of .log4brains.yml, else docs/adr, else the folder itself.
func locateLog4brains(fsys fs.FS) (string, error) {
	if b, err := fs.ReadFile(fsys, ".log4brains.yml"); err == nil {
		var cfg struct {
			Project struct {
				ADRFolder string `yaml:"adrFolder"`
			} `yaml:"project"`
		}
		if yaml.Unmarshal(b, &cfg) == nil && cfg.Project.ADRFolder != "" {
			return path.Clean(strings.TrimPrefix(cfg.Project.ADRFolder, "./")), nil
		}
	}
	if fi, err := fs.Stat(fsys, "docs/adr"); err == nil && fi.IsDir() {
		return "docs/adr", nil
	}
	return ".", nil
}

// ADRTools plans the ADRs of an adr-tools log (in[0]).
func ADRTools(in []Input, opt Options) *Plan { return importADRs(in, opt, false) }

// Log4brains plans the ADRs of a log4brains log (in[0]).
func Log4brains(in []Input, opt Options) *Plan { return importADRs(in, opt, true) }

var (
	numberedName = regexp.MustCompile(`^(\d{1,5})-(.+)\.md$`)
	datedName    = regexp.MustCompile(`^((?:19|20)\d\d)([01]\d)([0-3]\d)-(.+)\.md$`)
	// numberedTitle is a title that starts with an ADR number: "1. Use
	// Kafka", "ADR-0001: Use Kafka", "0001 - Use Kafka".
	numberedTitle = regexp.MustCompile(`(?i)^(?:adr[-_ ]?)?0*(\d{1,5})\s*[.:\-–—]\s*(.+)$`)
	// headerLine is a metadata line under an ADR's title: adr-tools'
	// "Date: 2018-01-01", MADR's "- Status: accepted" bullets.
	headerLine = regexp.MustCompile(`(?i)^\s{0,3}(?:[-*+]\s+)?(?:\*\*|__)?(status|date|deciders|decision[- ]makers|consulted|informed|tags)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*?)\s*$`)
	// supersedeLine is a line saying which ADRs this one supersedes or is
	// superseded by.
	supersedeLine = regexp.MustCompile(`(?i)^\s*(?:[-*+]\s+)?(?:(?:\*\*|__)?status(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*)?(?:\*\*|__)?(supersedes|supercedes|replaces|(?:superseded|superceded|replaced)\s+by)(?:\*\*|__)?\s*:?\s*(.+)$`)
	mdLinkDest    = regexp.MustCompile(`\[[^\]]*\]\(<?([^)\s>]+)>?[^)]*\)`)
	plainADRRef   = regexp.MustCompile(`(?i)\b(?:adr[-_ ]?\d{1,5}|\d{1,5}-[\w-]+\.md|[\w./-]+\.md)\b`)
	wikiADR       = regexp.MustCompile(`(?i)\[\[(adr[-_ ]?)(\d{1,5})([#|][^\]]*)?\]\]`)
	adrIDRef      = regexp.MustCompile(`(?i)^(?:adr[-_ ]?)?0*(\d{1,5})$`)
	l4bStatic     = regexp.MustCompile(`!\[([^\]]*)\]\(<?/l4b-static/[^)]*\)`)
)

// adrFile is one ADR of the log.
type adrFile struct {
	file, name string // path in the input; as shown in findings
	data       []byte
	pg         *page.Page
	oldNum     int
	hasNum     bool
	date       time.Time
	slug       string
	num        int
	to         string
}

// importADRs plans the ADRs of a log (in[0]) and the other files in it.
func importADRs(in []Input, opt Options, log4brains bool) *Plan {
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
	adrs, others := readLog(p, src, files, log4brains, opt)
	numberADRs(p, adrs, opt)
	lg := newADRLog(p, adrs, opt)
	for _, a := range adrs {
		p.add(a.to, writeADR(p, a, opt.SetKind, lg.resolve, func(ls []string, first int) []string {
			return lg.fixADR(a, ls, first)
		}), a.name)
	}
	for _, f := range others {
		lg.addOther(src, f)
	}
	return p.finish()
}

// readLog reads the files of the log and sorts them into its ADRs and
// its other files.
func readLog(p *Plan, src Input, files []string, log4brains bool, opt Options) (adrs []*adrFile, others []string) {
	for _, f := range files {
		data, ok := readFile(p, src.FS, f, shown(src, f))
		if !ok {
			continue
		}
		a := readADR(src, f, data, log4brains, opt)
		if a == nil {
			others = append(others, f)
			continue
		}
		adrs = append(adrs, a)
	}
	return adrs, others
}

// adrLog is a numbered log: its ADRs found by file, by old number and by
// slug, and what follows their moves.
type adrLog struct {
	p      *Plan
	opt    Options
	byFile map[string]*adrFile
	byOld  map[int][]*adrFile
	bySlug map[string]*adrFile
	rl     *relinker
}

// newADRLog indexes the numbered ADRs of a log.
func newADRLog(p *Plan, adrs []*adrFile, opt Options) *adrLog {
	lg := &adrLog{
		p:      p,
		opt:    opt,
		byFile: map[string]*adrFile{},
		byOld:  map[int][]*adrFile{},
		bySlug: map[string]*adrFile{},
	}
	moved := map[string]string{}
	for _, a := range adrs {
		lg.byFile[a.file] = a
		if a.hasNum {
			lg.byOld[a.oldNum] = append(lg.byOld[a.oldNum], a)
		}
		lg.bySlug[strings.ToLower(strings.TrimSuffix(path.Base(a.file), ".md"))] = a
		moved[a.file] = a.to
	}
	lg.rl = &relinker{plan: p, moved: moved}
	return lg
}

// fixADR rewrites the body lines of an ADR (first is the file line of the
// first of them) for the log's moves.
func (lg *adrLog) fixADR(a *adrFile, ls []string, first int) []string {
	ls = l4bImages(lg.p, ls, first, a.name)
	ls = lg.retext(ls, a.file)
	ls = lg.rl.relink(ls, first, a.name, a.file, a.to)
	return lg.renumberWiki(ls)
}

// addOther plans a file of the log that is no ADR: copied as it is, its
// links rewritten when it is Markdown.
func (lg *adrLog) addOther(src Input, f string) {
	data, _ := fs.ReadFile(src.FS, f)
	if isMarkdown(f) {
		ls := lines(data)
		ls = l4bImages(lg.p, ls, 1, shown(src, f))
		ls = lg.retext(ls, f)
		ls = lg.rl.relink(ls, 1, shown(src, f), f, f)
		data = joinLines(lg.renumberWiki(ls))
	}
	lg.p.add(f, data, shown(src, f))
}

// retext rewrites the text of links (in the file from) to renamed ADRs
// when it was the old file name or "N. Title".
func (lg *adrLog) retext(ls []string, from string) []string {
	return rewriteLinks(ls, func(l link) (string, string, bool) {
		t, _, ok := localTarget(l.Dest)
		if !ok || l.TextStart < 0 {
			return "", "", false
		}
		target, ok := resolveIn(from, t)
		a := lg.byFile[target]
		if !ok || a == nil || a.to == a.file {
			return "", "", false
		}
		text := l.Text
		if strings.EqualFold(text, strings.TrimSuffix(path.Base(a.file), ".md")) {
			text = strings.TrimSuffix(path.Base(a.to), ".md")
		} else if m := numberedTitle.FindStringSubmatch(text); m != nil && a.hasNum && m[1] == strconv.Itoa(a.oldNum) {
			text = strconv.Itoa(a.num) + text[strings.Index(text, m[1])+len(m[1]):]
		}
		return l.Dest, text, text != l.Text
	})
}

// renumberWiki renumbers wiki links to ADRs ([[ADR-1]]) with
// Options.Renumber.
func (lg *adrLog) renumberWiki(ls []string) []string {
	if !lg.opt.Renumber {
		return ls
	}
	var f fence
	out := slices.Clone(ls)
	for i, l := range out {
		if f.code(l) {
			continue
		}
		out[i] = wikiADR.ReplaceAllStringFunc(l, func(m string) string {
			sm := wikiADR.FindStringSubmatch(m)
			n, _ := strconv.Atoi(sm[2])
			if g := lg.byOld[n]; len(g) == 1 {
				return "[[" + sm[1] + fmt.Sprintf("%0*d", len(sm[2]), g[0].num) + sm[3] + "]]"
			}
			return m
		})
	}
	return out
}

// resolve returns the reference (ADR-NNNN) of the ADR a target named in
// ADR a is: a link, an ADR id or a file name.
func (lg *adrLog) resolve(a *adrFile, target string) (string, bool) {
	target = strings.TrimSpace(strings.Trim(target, "[]"))
	if t, _, ok := localTarget(target); ok && (strings.Contains(t, "/") || strings.HasSuffix(strings.ToLower(t), ".md")) {
		if f, ok := resolveIn(a.file, t); ok && lg.byFile[f] != nil {
			return adrRef(lg.byFile[f].num), true
		}
	}
	if m := adrIDRef.FindStringSubmatch(target); m != nil {
		n, _ := strconv.Atoi(m[1])
		if g := lg.byOld[n]; len(g) == 1 {
			return adrRef(g[0].num), true
		}
	}
	if s := lg.bySlug[strings.ToLower(strings.TrimSuffix(path.Base(target), ".md"))]; s != nil {
		return adrRef(s.num), true
	}
	return "", false
}

func adrRef(n int) string { return fmt.Sprintf("ADR-%04d", n) }

// readADR reads a file of the log; nil when it is no ADR (a README, the
// index, a template, a file in a sub-folder, a file that is not Markdown).
func readADR(src Input, f string, data []byte, log4brains bool, opt Options) *adrFile {
	base := path.Base(f)
	if strings.Contains(f, "/") || !strings.HasSuffix(strings.ToLower(base), ".md") || strings.HasPrefix(base, "_") {
		return nil
	}
	switch strings.ToLower(base) {
	case "readme.md", "index.md", "template.md":
		return nil
	}
	_, body, _ := page.Split(data)
	if page.IsTemplate(f, body) {
		return nil
	}
	a := &adrFile{file: f, name: shown(src, f), data: data}
	switch m, d := numberedName.FindStringSubmatch(base), datedName.FindStringSubmatch(base); {
	case d != nil:
		a.date, _ = page.ParseDate(d[1] + "-" + d[2] + "-" + d[3])
		a.slug = d[4]
	case m != nil:
		a.oldNum, _ = strconv.Atoi(m[1])
		a.hasNum, a.slug = true, m[2]
	case log4brains:
		a.slug = strings.TrimSuffix(base, path.Ext(base))
	default:
		return nil
	}
	a.pg, _ = page.Parse(a.name, data, page.KindADR, schemaOf(opt))
	if !a.pg.Date.IsZero() {
		a.date = a.pg.Date
	}
	return a
}

// numberADRs gives each ADR its number and its destination path.
func numberADRs(p *Plan, adrs []*adrFile, opt Options) {
	slices.SortStableFunc(adrs, func(a, b *adrFile) int {
		return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.oldNum, b.oldNum), cmp.Compare(a.file, b.file))
	})
	numbered := false
	for _, a := range adrs {
		numbered = numbered || a.hasNum
	}
	if opt.Renumber || !numbered {
		for i, a := range adrs {
			a.num = i + 1
		}
	} else {
		next := 0
		seen := map[int]*adrFile{}
		for _, a := range adrs {
			next = max(next, a.oldNum+1)
		}
		for _, a := range adrs {
			switch {
			case !a.hasNum:
				a.num = next
				next++
			default:
				a.num = a.oldNum
				if other := seen[a.oldNum]; other != nil {
					p.warnf(at(a.name, 0, 0), "ADR number %d is also %s; --renumber numbers the ADRs 1, 2, … in date order", a.oldNum, other.name)
				}
				seen[a.oldNum] = a
			}
		}
	}
	taken := map[string]bool{}
	for _, a := range adrs {
		a.to = a.file
		if opt.Renumber {
			a.to = uniqueName(fmt.Sprintf("%04d-%s", a.num, a.slug), taken) + ".md"
		}
	}
}

// writeADR writes an ADR with its front matter; fix rewrites the body's
// lines (first is the file line of the first of them).
func writeADR(p *Plan, a *adrFile, setKind bool, resolve func(*adrFile, string) (string, bool), fix func(ls []string, first int) []string) []byte {
	raw, body, bodyLine := page.Split(a.data)
	fm := newFrontMatter()
	if raw.Format == "yaml" && raw.Closed {
		var err error
		if fm, err = parseFrontMatter(raw.Raw); err != nil {
			line, msg := yamlError(err, raw.Line)
			p.errorf(at(a.name, line, 1), "cannot read the front matter: %s; the file is copied as it is", msg)
			return a.data
		}
	}
	ls := lines(body)
	drop := map[int]bool{}
	var m adrMeta
	m.title = adrTitle(a, ls, drop)
	m.readHeader(a.pg, ls, drop)
	m.readSupersession(p, a, ls, bodyLine, resolve)
	m.setFrontMatter(fm, a, setKind)
	return fm.page(joinLines(adrBody(ls, drop, bodyLine, fix)))
}

// adrMeta is what an ADR's text says of it, for its front matter.
type adrMeta struct {
	title                               string
	deciders, consulted, informed, tags []string
	supersedes, supersededBy            []string
}

// adrTitle returns the title of an ADR, without its number, and marks in
// drop the title heading, the first line of the body, when it is one.
func adrTitle(a *adrFile, ls []string, drop map[int]bool) string {
	pg := a.pg
	title := pg.Title
	for i, l := range ls {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if h, ok := strings.CutPrefix(strings.TrimSpace(l), "# "); ok && pg.TitleFromBody {
			drop[i] = true
			title = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
		}
		break
	}
	if m := numberedTitle.FindStringSubmatch(title); m != nil && a.hasNum && m[1] == strconv.Itoa(a.oldNum) {
		title = m[2]
	}
	return title
}

// readHeader reads the metadata lines between the title and the first
// section, and marks in drop those the front matter will say.
func (meta *adrMeta) readHeader(pg *page.Page, ls []string, drop map[int]bool) {
	var f fence
	for i, l := range ls {
		if f.code(l) {
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(l), "#") && !drop[i] {
			break
		}
		m := headerLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		value := stripComment(m[2])
		switch key := strings.ToLower(m[1]); {
		case key == "status":
			if pg.ADR.Status == "" || strings.HasPrefix(strings.ToLower(value), "[") {
				continue // an unknown word stays in the text; so does a template's
			}
		case key == "date":
			if pg.Date.IsZero() {
				continue
			}
		case key == "deciders" || strings.HasPrefix(key, "decision"):
			meta.deciders = splitList(value, ",")
		case key == "consulted":
			meta.consulted = splitList(value, ",")
		case key == "informed":
			meta.informed = splitList(value, ",")
		case key == "tags":
			meta.tags = splitList(value, ", ")
		}
		drop[i] = true
	}
}

// readSupersession reads which ADRs this one supersedes or is superseded
// by, wherever it is written: the status, a Status section, the Links
// section. bodyLine is the file line of the first of ls.
func (meta *adrMeta) readSupersession(p *Plan, a *adrFile, ls []string, bodyLine int, resolve func(*adrFile, string) (string, bool)) {
	var f fence
	for i, l := range ls {
		if f.code(l) {
			continue
		}
		m := supersedeLine.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		var targets []string
		for _, d := range mdLinkDest.FindAllStringSubmatch(m[2], -1) {
			targets = append(targets, d[1])
		}
		if len(targets) == 0 {
			targets = plainADRRef.FindAllString(m[2], -1)
		}
		for _, t := range targets {
			ref, ok := resolve(a, t)
			if !ok {
				p.warnf(at(a.name, bodyLine+i, 1), "%q names no ADR of the log; it is left in the text only", t)
				continue
			}
			if strings.HasSuffix(strings.Join(strings.Fields(strings.ToLower(m[1])), " "), " by") {
				meta.supersededBy = appendNew(meta.supersededBy, ref)
			} else {
				meta.supersedes = appendNew(meta.supersedes, ref)
			}
		}
	}
}

// setFrontMatter sets in fm what the text of ADR a said, where the front
// matter does not say it already.
func (meta *adrMeta) setFrontMatter(fm *frontMatter, a *adrFile, setKind bool) {
	if meta.title != "" {
		fm.setDefault("title", meta.title)
	}
	status := a.pg.ADR.Status
	if len(meta.supersededBy) > 0 && status == "" {
		status = "superseded"
	}
	if status != "" {
		fm.setDefault("status", status)
	}
	if !a.date.IsZero() {
		fm.setDefault("date", a.date)
	}
	if !fm.has("id") {
		fm.set("number", a.num)
	}
	if len(meta.deciders) > 0 && !fm.has("decision-makers", "decision_makers", "deciders", "authors", "author") {
		fm.set("decision-makers", meta.deciders)
	}
	if len(meta.consulted) > 0 {
		fm.setDefault("consulted", meta.consulted)
	}
	if len(meta.informed) > 0 {
		fm.setDefault("informed", meta.informed)
	}
	if len(meta.tags) > 0 && !fm.has("tags", "keywords", "categories") {
		fm.set("tags", meta.tags)
	}
	if len(meta.supersedes) > 0 && !fm.has("supersedes", "replaces") {
		fm.set("supersedes", meta.supersedes)
	}
	if len(meta.supersededBy) > 0 && !fm.has("superseded_by", "superseded-by", "replaced_by") {
		fm.set("superseded_by", meta.supersededBy)
	}
	if setKind {
		fm.setDefault("kind", string(page.KindADR))
	}
}

// adrBody returns the body's lines kept, fixed, with no blank lines
// doubled where lines were taken out. fix sees every line at its place,
// those taken out blank, so that what it reports is where it is in the
// file (bodyLine is the file line of the first of ls).
func adrBody(ls []string, drop map[int]bool, bodyLine int, fix func(ls []string, first int) []string) []string {
	all := slices.Clone(ls)
	for i := range drop {
		all[i] = ""
	}
	all = fix(all, bodyLine)
	var fixed []string
	var f fence
	blank := true
	for i, l := range all {
		if drop[i] {
			continue
		}
		code := f.code(l)
		if !code && strings.TrimSpace(l) == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		fixed = append(fixed, l)
	}
	return fixed
}

// stripComment drops an HTML comment from a value ("accepted <!-- optional -->").
func stripComment(s string) string {
	if i := strings.Index(s, "<!--"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// splitList splits a value at any of seps, dropping empty items.
func splitList(s, seps string) []string {
	var out []string
	for _, v := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}

// l4bImages replaces the images log4brains serves itself (/l4b-static/…),
// which are not in the log, with their text.
func l4bImages(p *Plan, ls []string, first int, name string) []string {
	out := slices.Clone(ls)
	var f fence
	for i, l := range out {
		if f.code(l) {
			continue
		}
		for _, m := range l4bStatic.FindAllStringSubmatchIndex(l, -1) {
			p.warnf(at(name, first+i, m[0]+1), "image %s comes with log4brains, not with the log; it is replaced by its text %q", strings.TrimSuffix(l[strings.Index(l[m[0]:m[1]], "(")+m[0]+1:m[1]], ")"), l[m[2]:m[3]])
		}
		out[i] = l4bStatic.ReplaceAllString(l, "$1")
	}
	return out
}
