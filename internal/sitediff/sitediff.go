// Package sitediff compares two loads of one handbook, the site as a base
// revision had it and the site as it is now, and says what the change does
// to the handbook as its readers and its checks see it (handbook diff):
//
//   - pages added, removed, renamed (a file moved, paired by git's rename
//     detection or by identical content) and changed, each by title and
//     URL; for a changed or renamed page, the front-matter fields whose
//     values changed and the sections that were added, removed, changed or
//     renamed;
//   - the links this change breaks: new findings of the link rules (the
//     catalog's "links" category: broken-link, broken-anchor,
//     broken-reference, anchor-case, orphan-page, …) in pages the change
//     did not touch, such as the pages linking to a heading that was
//     renamed, grouped by page, each with the link's destination and the
//     changed page it points at;
//   - the other new findings, and how many findings of the base are fixed.
//
// Both sides are loaded by the caller through the pipeline handbook check
// runs, so that findings are exactly check's. Compare reads each changed
// page's file again, from the disk, to split it into sections.
//
// # Sections
//
// A page's sections are keyed by their headings' ids (the anchors links
// use): a section is a heading of level 2 or more and the text up to the
// next such heading; the text before the first one is the page's top
// section, with the empty key. Level-1 headings, usually the title, are
// part of the section they are in. A section whose id is on both sides is
// changed when its heading or text differs; one only in the base was
// removed and one only in the head added, unless a removed and an added
// section have the same text: then the heading was renamed, and every link
// to the old anchor breaks. Line ends and trailing white space do not
// count as changes.
//
// # New findings
//
// A finding of the head is new when the base has no finding with its
// fingerprint: lint's Fingerprint without the line (rule id, file, message
// normalised by lint.MessageKey), with the base's files named as the head
// names them after renames, so that moving a page does not make its old
// findings new. Fingerprints are counted: a third broken link where the
// base had two is one new finding. Base findings that no head finding
// matches are fixed.
package sitediff

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"maps"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/site"
)

// Side is one side of a comparison: a site loaded as handbook check loads
// it, and its findings, settled.
type Side struct {
	Site  *site.Site
	Diags diag.List
}

// Options change how Compare pairs the two sides.
type Options struct {
	// Renames maps pages' paths in the base to their paths in the head
	// (relative to the site root and slash-separated, as pages name them),
	// such as git diff -M finds. A pair counts only when the old path is
	// a page of the base alone and the new one a page of the head alone.
	// Pages removed and added with the same content are paired anyway.
	Renames map[string]string
	// BasePath, if set, names a file of the base as the head would: the
	// base is read from another folder, and findings in files outside the
	// site root carry absolute paths.
	BasePath func(file string) string
	// ReadFile reads a page's file; nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
}

// Report is what a change does to a handbook.
type Report struct {
	// Added, Removed, Renamed and Changed are the pages, sorted by path
	// (Removed by their path in the base). A renamed page may have
	// changed too.
	Added   []PageChange
	Removed []PageChange
	Renamed []PageChange
	Changed []PageChange
	// Broken are the pages the change did not touch that have new
	// findings of the link rules: the links it breaks. Sorted by path.
	Broken []PageFindings
	// New are the other new findings, sorted.
	New []Finding
	// Fixed counts the findings of the base that are gone.
	Fixed int
	// Pages counts the head's pages.
	Pages int
}

// PageChange is a page added, removed, renamed or changed.
type PageChange struct {
	// Path is the page's file in the head, relative to the site root; for
	// a removed page, in the base. OldPath is a renamed page's path in the
	// base.
	Path    string
	OldPath string
	// Title and URL are the page's (the base's, for a removed page);
	// OldTitle and OldURL are the base's when they differ.
	Title    string
	OldTitle string
	URL      string
	OldURL   string
	// FrontMatter lists the front-matter fields whose values changed,
	// were added or were removed, sorted; FrontMatterChanged is true when
	// the front matter changed at all (also when its fields cannot be
	// told apart, such as TOML).
	FrontMatter        []string
	FrontMatterChanged bool
	// Sections are the sections added, removed, changed or renamed, in
	// the order of the head's page, the removed ones last.
	Sections []SectionChange
}

// Section changes.
const (
	SectionAdded   = "added"
	SectionRemoved = "removed"
	SectionChanged = "changed"
	SectionRenamed = "renamed"
)

// SectionChange is a section of a page that changed.
type SectionChange struct {
	// Change is SectionAdded, SectionRemoved, SectionChanged or
	// SectionRenamed.
	Change string
	// Heading is the section's heading as plain text, ID its anchor;
	// both "" for the top of the page. OldHeading and OldID are a renamed
	// section's in the base. A removed section has the base's.
	Heading    string
	ID         string
	OldHeading string
	OldID      string
	// Line is the heading's line in the head's file; the base's for a
	// removed section, and 0 for the top of the page.
	Line int
}

// PageFindings are the new findings of one page.
type PageFindings struct {
	Path, Title, URL string
	Findings         []Finding
}

// Finding is a new finding. For a link's finding, Target is the link's
// destination as written ("a.md#restart-the-pods"), and TargetPage the
// page the change touched that the link points at, when it can be told.
type Finding struct {
	diag.Diagnostic
	Target     string
	TargetPage string
}

// Count returns how many new findings, of links broken or not, have
// severity s.
func (r *Report) Count(s diag.Severity) int {
	n := 0
	for _, f := range r.Findings() {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// Findings returns every new finding, sorted.
func (r *Report) Findings() diag.List {
	var all diag.List
	for _, p := range r.Broken {
		for _, f := range p.Findings {
			all = append(all, f.Diagnostic)
		}
	}
	for _, f := range r.New {
		all = append(all, f.Diagnostic)
	}
	all.Sort()
	return all
}

// Compare compares the base side with the head side.
func Compare(base, head Side, opts Options) *Report {
	c := &comparison{opts: opts, base: map[string]*site.Page{}, head: map[string]*site.Page{}}
	if c.opts.ReadFile == nil {
		c.opts.ReadFile = os.ReadFile
	}
	if c.opts.BasePath == nil {
		c.opts.BasePath = func(s string) string { return s }
	}
	for _, p := range base.Site.Pages {
		c.base[c.opts.BasePath(p.Path)] = p
	}
	for _, p := range head.Site.Pages {
		c.head[p.Path] = p
	}
	r := &Report{Pages: len(head.Site.Pages)}
	c.pair()
	touched := map[string]bool{}
	for _, p := range head.Site.Pages {
		old, renamed := c.renamedFrom[p.Path]
		var bp *site.Page
		if renamed {
			bp = c.base[old]
		} else {
			bp = c.base[p.Path]
		}
		if bp == nil {
			touched[p.Path] = true
			r.Added = append(r.Added, PageChange{Path: p.Path, Title: p.Title, URL: p.URL})
			continue
		}
		pc, differs := c.comparePages(bp, p)
		if renamed {
			touched[p.Path] = true
			pc.OldPath = old
			r.Renamed = append(r.Renamed, pc)
		} else if differs {
			touched[p.Path] = true
			r.Changed = append(r.Changed, pc)
		}
	}
	for _, p := range base.Site.Pages {
		bp := c.opts.BasePath(p.Path)
		if _, ok := c.renamedTo[bp]; ok || c.head[bp] != nil {
			continue
		}
		touched[bp] = true
		r.Removed = append(r.Removed, PageChange{Path: bp, Title: p.Title, URL: p.URL})
	}
	for _, l := range [][]PageChange{r.Added, r.Removed, r.Renamed, r.Changed} {
		slices.SortFunc(l, func(a, b PageChange) int { return strings.Compare(a.Path, b.Path) })
	}
	c.findings(r, base.Diags, head.Diags, touched)
	return r
}

// comparison is the state of one Compare.
type comparison struct {
	opts Options
	// base and head are the pages by path (the base's as the head names
	// them).
	base, head map[string]*site.Page
	// renamedFrom maps a renamed page's head path to its base path,
	// renamedTo the other way.
	renamedFrom, renamedTo map[string]string
	// files caches the pages' files, read once.
	files map[*site.Page][]byte
}

// pair pairs the renamed pages: those git says, then those removed and
// added with the same content.
func (c *comparison) pair() {
	c.renamedFrom, c.renamedTo = map[string]string{}, map[string]string{}
	add := func(old, new string) {
		c.renamedFrom[new], c.renamedTo[old] = old, new
	}
	gone := func(old string) bool {
		_, taken := c.renamedTo[old]
		return c.base[old] != nil && c.head[old] == nil && !taken
	}
	fresh := func(new string) bool {
		_, taken := c.renamedFrom[new]
		return c.head[new] != nil && c.base[new] == nil && !taken
	}
	olds := slices.Sorted(maps.Keys(c.opts.Renames))
	for _, old := range olds {
		if new := c.opts.Renames[old]; gone(old) && fresh(new) {
			add(old, new)
		}
	}
	bySum := map[[sha256.Size]byte][]string{}
	for _, old := range slices.Sorted(maps.Keys(c.base)) {
		if gone(old) {
			if src, ok := c.read(c.base[old]); ok {
				sum := sha256.Sum256(normalize(src))
				bySum[sum] = append(bySum[sum], old)
			}
		}
	}
	for _, new := range slices.Sorted(maps.Keys(c.head)) {
		if !fresh(new) {
			continue
		}
		src, ok := c.read(c.head[new])
		if !ok {
			continue
		}
		sum := sha256.Sum256(normalize(src))
		if olds := bySum[sum]; len(olds) > 0 {
			add(olds[0], new)
			bySum[sum] = olds[1:]
		}
	}
}

func mapsKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	return keys
}

// read returns the file of p, read once.
func (c *comparison) read(p *site.Page) ([]byte, bool) {
	if c.files == nil {
		c.files = map[*site.Page][]byte{}
	}
	if src, ok := c.files[p]; ok {
		return src, src != nil
	}
	src, err := c.opts.ReadFile(p.Source)
	if err != nil {
		src = nil
	}
	c.files[p] = src
	return src, src != nil
}

// normalize returns src with CRLF line ends as LF, so that a checkout
// that converts line ends changes nothing.
func normalize(src []byte) []byte {
	return bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
}

// comparePages compares a page of the base with its version in the head,
// and reports whether their files differ at all.
func (c *comparison) comparePages(bp, hp *site.Page) (PageChange, bool) {
	pc := PageChange{Path: hp.Path, Title: hp.Title, URL: hp.URL}
	if bp.Title != hp.Title {
		pc.OldTitle = bp.Title
	}
	if bp.URL != hp.URL {
		pc.OldURL = bp.URL
	}
	bsrc, bok := c.read(bp)
	hsrc, hok := c.read(hp)
	if !bok || !hok {
		// A file that cannot be read is a finding of its own; it changed
		// when one side could be read and not the other.
		return pc, bok != hok
	}
	bsrc, hsrc = normalize(bsrc), normalize(hsrc)
	if bytes.Equal(bsrc, hsrc) {
		return pc, false
	}
	pc.FrontMatter, pc.FrontMatterChanged = frontMatterChanges(bsrc, hsrc)
	pc.Sections = sectionChanges(sections(bsrc, bp), sections(hsrc, hp))
	return pc, true
}

// findings sorts the head's findings that the base does not have into the
// links broken in pages the change did not touch and the rest.
func (c *comparison) findings(r *Report, base, head diag.List, touched map[string]bool) {
	left := map[lint.Fingerprint]int{}
	for _, d := range base {
		d.Pos.File = c.opts.BasePath(d.Pos.File)
		if new, ok := c.renamedTo[d.Pos.File]; ok {
			d.Pos.File = new
		}
		left[fingerprint(d)]++
	}
	broken := map[string]*PageFindings{}
	for _, d := range head {
		fp := fingerprint(d)
		if left[fp] > 0 {
			left[fp]--
			continue
		}
		f := Finding{Diagnostic: d}
		info, _ := lint.Lookup(d.Rule)
		if info.Category != "links" || d.Pos.File == "" || touched[d.Pos.File] {
			r.New = append(r.New, f)
			continue
		}
		f.Target, f.TargetPage = c.target(d, touched)
		pf := broken[d.Pos.File]
		if pf == nil {
			pf = &PageFindings{Path: d.Pos.File}
			if p := c.head[d.Pos.File]; p != nil {
				pf.Title, pf.URL = p.Title, p.URL
			}
			broken[d.Pos.File] = pf
		}
		pf.Findings = append(pf.Findings, f)
	}
	sortFindings(r.New)
	for _, file := range slices.Sorted(maps.Keys(broken)) {
		r.Broken = append(r.Broken, *broken[file])
	}
	for _, n := range left {
		r.Fixed += n
	}
}

// fingerprint is lint's fingerprint of d without the line.
func fingerprint(d diag.Diagnostic) lint.Fingerprint {
	fp := lint.FingerprintOf(d, "")
	fp.LineHash = ""
	return fp
}

// target returns the destination of the link or reference d is about, as
// written, and the page the change touched that it points at, when these
// can be told.
func (c *comparison) target(d diag.Diagnostic, touched map[string]bool) (string, string) {
	p := c.head[d.Pos.File]
	if p == nil || p.Doc == nil {
		return "", ""
	}
	dest := ""
	for _, l := range p.Doc.Links {
		if l.Line == d.Pos.Line && l.Col == d.Pos.Col {
			dest = l.Dest
			break
		}
	}
	if dest == "" {
		for _, ref := range p.Doc.Refs {
			if ref.Line == d.Pos.Line && ref.Col == d.Pos.Col {
				dest = "[[" + ref.Target + "]]"
				break
			}
		}
	}
	if dest != "" && !strings.HasPrefix(dest, "[[") && !strings.Contains(dest, "://") {
		file, _, _ := strings.Cut(dest, "#")
		file, _, _ = strings.Cut(file, "?")
		to := p.Path
		if file != "" {
			to = path.Join(path.Dir(p.Path), file)
			if strings.HasPrefix(file, "/") {
				to = strings.TrimPrefix(path.Clean(file), "/")
			}
		}
		if touched[to] {
			return dest, to
		}
		if _, ok := c.renamedTo[to]; ok {
			return dest, to
		}
	}
	// The message names the page it found wanting ("… content/a.md has no
	// heading …"): the longest touched path it holds.
	best := ""
	for t := range touched {
		if len(t) > len(best) && t != d.Pos.File && strings.Contains(d.Message, t) {
			best = t
		}
	}
	return dest, best
}

// sortFindings sorts findings by position, then rule.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(a.Pos.Compare(b.Pos), cmp.Compare(a.Severity, b.Severity), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Message, b.Message))
	})
}
