package render

import (
	"context"
	"slices"

	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/site"
)

// carryIn starts a Fingerprints call from what the last one (last, nil
// for none) knew: each page's own sum is taken (selfSum), and a page
// whose own sum is what it was, in a call with the same theme, keeps its
// face in every reading; it keeps its deep sum too when none of the
// pages it names changed either. The rest are hashed as they are met.
//
// A face is made of the page's own fields only (its parse, its core, how
// many pages each of its fields names): all of it is in the page's own
// sum. A deep sum adds the faces of the pages the page names, which its
// own sum names (by file and URL) in order. So a sum carried is the sum
// the call would make. After an edit of one page's title, a 10,000-page
// site hashes the faces and deep sums of a few dozen pages instead of
// 77,000 (each page meets several readings), which was most of the
// fingerprints' time.
func (f *fingerprinting) carryIn(ctx context.Context, pages []*site.Page, th *Theme, last *carried) error {
	self := make([]uint64, len(pages))
	named := make([][]int32, len(pages))
	err := parallel.Each(ctx, len(pages), 0, func(i int) error {
		self[i], named[i] = f.selfSum(pages[i])
		return nil
	})
	if err != nil {
		return err
	}
	f.self = self
	if last == nil || last.theme != th {
		return nil
	}
	// prev is each page's place in the last call, -1 for a page that
	// changed or is new.
	prev := make([]int32, len(pages))
	for i, p := range pages {
		prev[i] = -1
		if j, ok := last.place[pageKey{p.Source, p.URL}]; ok && last.self[j] == self[i] {
			prev[i] = j
		}
	}
	deepKept := func(i int) bool {
		for _, k := range named[i] {
			if k < 0 || prev[k] < 0 {
				return false
			}
		}
		return true
	}
	for _, rd := range f.allReadings() {
		faces, deep := last.faces[rd.key], last.deep[rd.key]
		if faces == nil {
			continue
		}
		for i, j := range prev {
			if j < 0 {
				continue
			}
			if s := faces[j]; s != 0 {
				rd.faces.slots[i] = s
			}
			if s := deep[j]; s != 0 && deepKept(i) {
				rd.deep.slots[i] = s
			}
		}
	}
	return nil
}

// carryOut is what this call leaves the next (see carryIn).
func (f *fingerprinting) carryOut(pages []*site.Page, th *Theme) *carried {
	c := &carried{theme: th, place: make(map[pageKey]int32, len(pages)), self: f.self, faces: map[string][]uint64{}, deep: map[string][]uint64{}}
	for i, p := range pages {
		c.place[pageKey{p.Source, p.URL}] = int32(i)
	}
	for _, rd := range f.allReadings() {
		c.faces[rd.key], c.deep[rd.key] = rd.faces.slots, rd.deep.slots
	}
	return c
}

// allReadings returns every reading of the call once: all, figures and
// the layouts'.
func (f *fingerprinting) allReadings() []*reading {
	out := []*reading{f.all, f.figures}
	for _, rd := range f.readings {
		if !slices.Contains(out, rd) {
			out = append(out, rd)
		}
	}
	return out
}

// idSum is the sum of who a page is, its file and URL (pageKey), for the
// own sums of the pages naming it. Remembered.
func (f *fingerprinting) idSum(p *site.Page) uint64 {
	return f.remember(f.ids, p, func(h *words) {
		if selfLeavesOut["ids"] {
			return
		}
		h.str(p.Source)
		h.str(p.URL)
	})
}

// selfSum is the sum of everything of a page that its faces, in any
// reading, are made of: its parse with every field of its kind
// (parseParts), its core, and each of its fields holding other pages as
// a face hashes it but with the pages it names, each by its file and URL.
// It returns the places of the pages named too, -1 for a page not of
// the site.
func (f *fingerprinting) selfSum(p *site.Page) (uint64, []int32) {
	h := f.words()
	parts := f.parseParts(p)
	if selfLeavesOut["parse"] {
		parts = parseParts{}
	}
	writeParts(&h, parts, nil)
	if !selfLeavesOut["core"] {
		h.word(f.core(p))
	}
	var names []*site.Page
	w := walker{f: f, rd: f.all, h: &h, names: &names}
	for _, i := range linkFields() {
		if !selfLeavesOut["links"] {
			w.pageField(p, i, modeNames)
		}
	}
	var places []int32
	for _, q := range names {
		j, ok := f.ords[q]
		if !ok {
			j = -1
		}
		places = append(places, j)
	}
	return h.sum(), places
}

// selfLeavesOut names parts of a page's own sum to leave out ("ids",
// "parse", "core", "links"): tests set it to show that leaving out any
// of them is caught (TestCarriedSumsLeavingOut).
var selfLeavesOut map[string]bool
