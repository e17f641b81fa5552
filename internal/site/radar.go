package site

import (
	"cmp"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
)

// Tech radars kept as AOE's radar keeps them have a folder per release,
// named by its date, holding the items that changed in it:
// radar/2017-03-01/x.md and radar/2024-06-01/x.md are one item, x, seen
// in two releases. The site shows such an item as one evaluation: the
// newest release's file is the page, at its own URL, and the older ones
// are folded into it — their rings become its history, their URLs its
// aliases, links to their files lead to it — and are no pages of their
// own.

// releaseDir matches the name of a release folder.
var releaseDir = regexp.MustCompile(`^\d{4}-\d\d-\d\d$`)

// release returns the release folder p is in and the folder holding the
// release folders; ok is false when p is not an evaluation in a release
// folder.
func release(p *Page) (date, radar string, ok bool) {
	if p.Evaluation == nil || p.IsIndex {
		return "", "", false
	}
	dir := filepath.Dir(p.Source)
	if date = filepath.Base(dir); !releaseDir.MatchString(date) {
		return "", "", false
	}
	return date, filepath.Dir(dir), true
}

// Release is the date of the release folder an evaluation is in
// ("2024-06-01" for radar/2024-06-01/x.md), or "".
func (p *Page) Release() string {
	date, _, _ := release(p)
	return date
}

// mergeReleases folds each item found in several release folders of one
// radar into the page of its newest release and returns the pages left.
// The page takes the older releases' rings as history (with any history
// they write), their URLs and aliases as aliases, and the ring and
// quadrant of the newest release that gives one when it gives none, as
// AOE's radar merges a release's attributes with the older ones.
func (s *Site) mergeReleases(pages []*Page) []*Page {
	groups := map[string][]*Page{}
	for _, p := range pages {
		if _, radar, ok := release(p); ok {
			stem := strings.TrimSuffix(filepath.Base(p.Source), filepath.Ext(p.Source))
			k := radar + "\x00" + strings.ToLower(stem)
			groups[k] = append(groups[k], p)
		}
	}
	folded := map[*Page]bool{}
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		slices.SortFunc(g, func(a, b *Page) int {
			da, _, _ := release(a)
			db, _, _ := release(b)
			return cmp.Or(cmp.Compare(da, db), cmp.Compare(a.Path, b.Path))
		})
		s.fold(g[len(g)-1], g[:len(g)-1])
		for _, old := range g[:len(g)-1] {
			folded[old] = true
		}
	}
	if len(folded) == 0 {
		return pages
	}
	return slices.DeleteFunc(pages, func(p *Page) bool { return folded[p] })
}

// fold makes newest the page of its item, olds its earlier releases,
// oldest first.
func (s *Site) fold(newest *Page, olds []*Page) {
	if s.folded == nil {
		s.folded = map[string]*Page{}
	}
	// The parsed page may be shared with a Memo: change a copy.
	pp := *newest.Page
	e := *pp.Evaluation
	pp.Evaluation = &e
	var hist []page.HistoryEntry
	aliases := slices.Clone(pp.Aliases)
	for _, old := range olds {
		s.folded[old.Source] = newest
		oe := old.Evaluation
		date := old.Date
		if date.IsZero() {
			d, _, _ := release(old)
			date, _ = time.Parse("2006-01-02", d)
		}
		hist = append(hist, oe.History...)
		if oe.Ring != "" {
			hist = append(hist, page.HistoryEntry{Date: date, Ring: oe.Ring})
		}
		aliases = append(aliases, old.URL)
		aliases = append(aliases, old.Aliases...)
		// A release that leaves out the ring or quadrant keeps the
		// earlier one.
		if _, written := pp.Fields["ring"]; !written && oe.Ring != "" {
			e.Ring = oe.Ring
			s.dropMissing(newest.Path, "ring")
		}
		if _, written := pp.Fields["quadrant"]; !written && oe.Quadrant != "" {
			e.Quadrant, e.QuadrantLabel = oe.Quadrant, oe.QuadrantLabel
			s.dropMissing(newest.Path, "quadrant")
		}
	}
	hist = append(hist, e.History...)
	slices.SortStableFunc(hist, func(a, b page.HistoryEntry) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Ring, b.Ring))
	})
	e.History = slices.Compact(hist)
	pp.Aliases = aliases
	newest.Page = &pp
}

// dropMissing takes back the finding that the page at file gives no
// field, which an earlier release gave.
func (s *Site) dropMissing(file, field string) {
	s.Diags = slices.DeleteFunc(s.Diags, func(d diag.Diagnostic) bool {
		return d.Pos.File == file && d.Rule == "required-field" && strings.Contains(d.Message, " is missing "+field+";")
	})
}

// RadarFrame is what the tech radar of a set of evaluations draws.
type RadarFrame struct {
	// Quadrants and Rings are the radar's, in order (quadrants clockwise
	// from 12 o'clock, rings innermost first), each by the name shown.
	Quadrants []string
	Rings     []string
	// Quadrant and Ring give, for each evaluation in the order given, its
	// quadrant and ring among them, or "" when it has none.
	Quadrant []string
	Ring     []string
}

// sector is a quadrant or ring of a radar being laid out.
type sector struct {
	key    string // page.RadarKey of its name
	name   string // the schema's name, "" for one the evaluations bring
	order  int
	used   bool
	labels map[string]int // the evaluations' spellings, counted
	shown  string         // its name on the radar
}

// Radar returns the frame of the radar of evals. Its quadrants are the
// schema's, named as configured; an evaluation whose quadrant is none of
// them is on the radar all the same, in a quadrant of that name after
// them (or, for a name joining two of them such as "Languages &
// Frameworks", where they are). When the site does not list its
// quadrants (Schema.OpenQuadrants) and evaluations bring quadrants of
// their own, as radars written for other tools do, the radar has only
// the quadrants in use, each named as the evaluations write it most
// often. Rings likewise: the schema's, then any other ring written.
func (s *Site) Radar(evals []*Page) RadarFrame {
	schema := s.Config.Schema
	var f RadarFrame
	quads := newSectors(schema.Quadrants)
	rings := newSectors(schema.Rings)
	f.Quadrant = make([]string, len(evals))
	f.Ring = make([]string, len(evals))
	qOf := make([]*sector, len(evals))
	rOf := make([]*sector, len(evals))
	for i, p := range evals {
		e := p.Evaluation
		qOf[i] = quads.add(e.Quadrant, cmp.Or(e.QuadrantLabel, e.Quadrant))
		rOf[i] = rings.add(e.Ring, e.Ring)
	}
	extra := false
	for _, q := range quads.list {
		extra = extra || q.name == ""
	}
	open := schema.OpenQuadrants && extra
	f.Quadrants = quads.names(func(q *sector) bool { return q.used || !open }, open)
	f.Rings = rings.names(func(r *sector) bool { return true }, false)
	for i := range evals {
		if qOf[i] != nil {
			f.Quadrant[i] = qOf[i].shown
		}
		if rOf[i] != nil {
			f.Ring[i] = rOf[i].shown
		}
	}
	return f
}

type sectors struct {
	list  []*sector
	byKey map[string]*sector
}

func newSectors(names []string) *sectors {
	ss := &sectors{byKey: map[string]*sector{}}
	for i, n := range names {
		k := page.RadarKey(n)
		if _, dup := ss.byKey[k]; dup {
			continue
		}
		sc := &sector{key: k, name: n, order: 2*i + 1, labels: map[string]int{}}
		ss.list = append(ss.list, sc)
		ss.byKey[k] = sc
	}
	return ss
}

// add counts an evaluation's value (the schema's name or as written) and
// its spelling; it returns its sector, nil for no value.
func (ss *sectors) add(value, label string) *sector {
	k := page.RadarKey(value)
	if k == "" {
		return nil
	}
	sc := ss.byKey[k]
	if sc == nil {
		sc = &sector{key: k, order: 1 << 30, labels: map[string]int{}}
		// A name joining two of the schema's ("languages and
		// frameworks") goes where they are.
		if a, b, ok := strings.Cut(k, " and "); ok && ss.byKey[a] != nil && ss.byKey[b] != nil && ss.byKey[a].name != "" && ss.byKey[b].name != "" {
			sc.order = min(ss.byKey[a].order, ss.byKey[b].order) - 1
		}
		ss.list = append(ss.list, sc)
		ss.byKey[k] = sc
	}
	sc.used = true
	sc.labels[strings.TrimSpace(label)]++
	return sc
}

// names orders the sectors, names those kept and returns their names:
// the schema's name, or, for a sector the evaluations bring or when
// byLabel is set, the spelling the evaluations use most.
func (ss *sectors) names(keep func(*sector) bool, byLabel bool) []string {
	slices.SortStableFunc(ss.list, func(a, b *sector) int { return cmp.Or(cmp.Compare(a.order, b.order), cmp.Compare(a.key, b.key)) })
	var out []string
	taken := map[string]bool{}
	for _, sc := range ss.list {
		if !keep(sc) {
			continue
		}
		sc.shown = sc.name
		if sc.name == "" || byLabel {
			best, n := "", 0
			for l, c := range sc.labels {
				if c > n || c == n && l < best {
					best, n = l, c
				}
			}
			sc.shown = cmp.Or(best, sc.name)
		}
		if taken[strings.ToLower(sc.shown)] {
			sc.shown = sc.key
		}
		taken[strings.ToLower(sc.shown)] = true
		out = append(out, sc.shown)
	}
	return out
}

// radarItem returns the evaluation that a link which leads nowhere names
// the way tech radars link their items: by the item's file name, after
// folders that are quadrants, release dates, folders of evaluations or
// the item's own folders. AOE's radar writes "/tools/x.html",
// "/methods-and-patterns/x/" and "../tools/x.html"; others "/radar/x";
// items of one release link "x.md" or "../2017-03-01/x.md" to an item of
// another. A bare "x.md" or "x.html" counts only on an evaluation. It
// returns nil when no single evaluation fits.
func (s *Site) radarItem(from *Page, decoded string, seen *lookups) *Page {
	segs := strings.Split(strings.Trim(decoded, "/"), "/")
	last := segs[len(segs)-1]
	ext := strings.ToLower(filepath.Ext(last))
	id := last
	switch ext {
	case ".md", ".html", ".htm":
		id = strings.TrimSuffix(last, filepath.Ext(last))
	default:
		ext = ""
	}
	if id == "" {
		return nil
	}
	var t *Page
	seen.key("name:", strings.ToLower(id))
	for _, c := range s.refs.byName[strings.ToLower(id)] {
		if c.Evaluation != nil && c != t {
			if t != nil {
				return nil
			}
			t = c
		}
	}
	if t == nil {
		return nil
	}
	own := map[string]bool{}
	for _, seg := range strings.Split(strings.Trim(t.URL, "/"), "/") {
		own[seg] = true
	}
	radarish := false
	for _, seg := range segs[:len(segs)-1] {
		_, quadrant := s.Config.Schema.Quadrant(seg)
		k := page.RadarKey(seg)
		switch {
		case seg == "" || seg == "." || seg == "..":
		case quadrant || k == page.RadarKey(t.Evaluation.Quadrant) || k == page.RadarKey(t.Evaluation.QuadrantLabel),
			releaseDir.MatchString(seg), s.Config.KindDirs[strings.ToLower(seg)] == page.KindEvaluation:
			radarish = true
		case own[Slug(seg)]:
		default:
			return nil
		}
	}
	if !radarish && (from.Evaluation == nil || ext == "") {
		return nil
	}
	return t
}
