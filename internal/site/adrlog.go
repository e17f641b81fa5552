package site

import (
	"cmp"
	"path"
	"regexp"
	"slices"
	"strings"
)

// datedADR matches the file name of an ADR named by its date, as
// log4brains names them (20200926-use-lunr.md).
var datedADR = regexp.MustCompile(`^(?:19|20)\d{6}-`)

// numberDatedADRs numbers the ADRs of each folder whose files carry dates
// instead of numbers (log4brains' 20200926-slug.md) — 1, 2, … in the order
// of their dates, then names — so that the log reads in order and every
// ADR has a label. A folder where any ADR has a number of its own is left
// as it is. The numbers are given again at every load.
func numberDatedADRs(pages []*Page) {
	groups := map[string][]*Page{}
	for _, p := range pages {
		if p.ADR == nil || p.Template {
			continue
		}
		if p.ADR.NumberFromOrder {
			p.ADR.Number, p.ADR.HasNumber, p.ADR.NumberFromOrder = 0, false, false
		}
		dir := path.Dir(p.Path)
		groups[dir] = append(groups[dir], p)
	}
	for _, g := range groups {
		if slices.ContainsFunc(g, func(p *Page) bool {
			return p.ADR.HasNumber || !datedADR.MatchString(strings.ToLower(path.Base(p.Path)))
		}) {
			continue
		}
		slices.SortFunc(g, func(a, b *Page) int {
			return cmp.Or(a.Date.Compare(b.Date), strings.Compare(a.Path, b.Path))
		})
		for i, p := range g {
			p.ADR.Number, p.ADR.HasNumber, p.ADR.NumberFromOrder = i+1, true, true
		}
	}
}
