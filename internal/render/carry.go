package render

import (
	"context"
	"hash/maphash"
	"slices"
	"sync/atomic"
	"weak"

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
//
// from, when not nil, gives for each page that is as it was in last,
// whose site is the same (carried.sameSite), its place there, and -1 for
// the others (changed, new): its own sum and the places of the pages it
// names are taken from last rather than made again (Refingerprints).
// now, when pages came or went since (site.Site.Reshape), is the place
// at this call of each page of last's, -1 for a page gone: the places
// named are moved to it, and a page naming a page gone is hashed again.
func (f *fingerprinting) carryIn(ctx context.Context, pages []*site.Page, th *Theme, last *carried, from, now []int32) error {
	self := make([]uint64, len(pages))
	named := make([][]int32, len(pages))
	err := parallel.Each(ctx, len(pages), 0, func(i int) error {
		if from != nil && from[i] >= 0 {
			j := from[i]
			self[i], named[i] = last.self[j], last.named[j]
			if now == nil {
				return nil
			}
			moved := make([]int32, len(named[i]))
			for n, k := range named[i] {
				moved[n] = k
				if k >= 0 {
					if moved[n] = now[k]; moved[n] < 0 {
						moved = nil // it names a page gone
						break
					}
				}
			}
			if moved != nil {
				named[i] = moved
				return nil
			}
		}
		self[i], named[i] = f.selfSum(pages[i])
		return nil
	})
	if err != nil {
		return err
	}
	f.self, f.named = self, named
	if last == nil || last.theme != th {
		return nil
	}
	f.last = last
	// prev is each page's place in the last call, -1 for a page that
	// changed or is new.
	prev := make([]int32, len(pages))
	inPlace := from != nil && now == nil // every page where it was
	if !inPlace && f.at == nil {
		f.at = last.placesOf(pages)
	}
	for i := range pages {
		prev[i] = -1
		j := int32(i)
		if !inPlace {
			j = f.at[i]
		}
		if j >= 0 && last.self[j] == self[i] {
			prev[i] = j
		}
	}
	deepKept := func(i int) bool {
		if prev[i] < 0 {
			return false
		}
		for _, k := range named[i] {
			if k < 0 || prev[k] < 0 {
				return false
			}
		}
		return true
	}
	f.kept = make([]bool, len(pages))
	unkept := 0
	for i := range pages {
		f.kept[i] = deepKept(i)
		if !f.kept[i] {
			unkept++
		}
	}
	if from != nil && unkept <= len(pages)/8 {
		// Few pages changed: the lists of pages the files show carry
		// their sums (walker.pages) unless they hold a page that did not
		// keep its deep sum (unkept) or a page gone since; the sitemap's
		// parts (sitemapShareSum), which read the pages' own fields alone,
		// unless they hold a page whose own sum changed (remade) or a
		// page gone.
		f.unkept, f.remade = make(map[*site.Page]bool, unkept), map[*site.Page]bool{}
		for i, p := range pages {
			if !f.kept[i] {
				f.unkept[p] = true
			}
			if prev[i] < 0 {
				f.remade[p] = true
			}
		}
		if now != nil {
			for p, j := range last.ords {
				if now[j] < 0 {
					f.unkept[p], f.remade[p] = true, true
				}
			}
		}
		f.carryPages = last.pages != nil
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
			if s := deep[j]; s != 0 && f.kept[i] {
				rd.deep.slots[i] = s
			}
		}
	}
	return nil
}

// carryOut is what this call leaves the next (see carryIn): with files,
// the pages' own files by place.
func (f *fingerprinting) carryOut(s *site.Site, th *Theme, nav *navTree, files []pageFile) *carried {
	pages := s.Pages
	c := &carried{theme: th, site: weak.Make(s), reshapes: s.Reshapes(), nav: weak.Make(nav), self: f.self, named: f.named, faces: map[string][]uint64{}, deep: map[string][]uint64{},
		info: f.infoSum, files: files, ords: f.ords, pages: f.nextPages, sitemaps: f.nextSitemaps}
	if f.inPlace && f.last != nil && len(f.last.keys) == len(pages) {
		// The same pages in the same places, at the same URLs (an edit
		// moving a page is loaded again, or reshapes the site).
		c.keys = f.last.keys
	} else {
		c.keys = make([]pageKey, len(pages))
		for i, p := range pages {
			c.keys[i] = pageKey{p.Source, p.URL}
		}
	}
	for _, rd := range f.allReadings() {
		c.faces[rd.key], c.deep[rd.key] = rd.faces.slots, rd.deep.slots
	}
	return c
}

// sameSite reports whether c is of a call on site s, changed in place
// since (its pages may have come or gone: site.Site.Reshape), and theme
// th: its own sums are of pages of s, by their places then (place).
func (c *carried) sameSite(s *site.Site, th *Theme) bool {
	return c != nil && c.theme == th && c.site.Value() == s && len(c.named) == len(c.self)
}

// pageFile is what a page's own file was made of in a call: its
// fingerprint, and the sums of its page's document (Document.Fingerprint)
// and of its sidebar's tree (navSum).
type pageFile struct {
	fp       Fingerprint
	doc, nav uint64
	// at is the page's place in its call, plus one: 0 for no file.
	at int32
}

// placesOfJobs returns the place in pages (the call's site's) of each
// job's page, -1 for a job of no page or of a page not of the site. The
// pages' own files are planned in the order of the site's pages, which
// this follows in one pass, looking a page up (ords) only where the two
// part (a page left out, as a draft is): at 100,000 pages, looking every
// page up was about a fifth of carrying the files (carriedFile), each
// lookup missing the processor's caches.
func (f *fingerprinting) placesOfJobs(pages []*site.Page, jobs []job) []int32 {
	places := make([]int32, len(jobs))
	k := 0 // the place the next page's file is looked for at
	for i, j := range jobs {
		places[i] = -1
		switch {
		case j.page == nil:
		case k < len(pages) && pages[k] == j.page:
			places[i] = int32(k)
			k++
		default:
			if at, ok := f.ords[j.page]; ok {
				places[i], k = at, int(at)+1
			}
		}
	}
	return places
}

// carriedFile returns the last call's fingerprint of the own file of page
// p, at place i of the call's site (-1 for a page not of it), when
// nothing it is made of changed: the page kept its deep sum (carryIn: its
// own fields, and those of the pages it names), its document and its
// sidebar's tree hash as they did, and the site's information is the
// same. The file's data are then the same: the page, fields of it (its
// title, URL, excerpt, headings), the site's information and the
// breadcrumbs, which are titles and URLs of the sidebar's tree on the way
// to the page (navSum hashes them). Either way it fills pf's sums for the
// next call. An edit of one page's title leaves a few dozen of 10,000
// pages' files to fingerprint again.
//
// In a call in place (inPlace), the document of a page not among those
// changed since is the one the last call hashed, as every page whose
// document was changed in place is among them (Refingerprints): its sum
// is the last call's, not made again. At 100,000 pages, hashing every
// page's document was a third of carrying the files.
func (f *fingerprinting) carriedFile(p *site.Page, i int32, nav *navTree, pf *pageFile) (Fingerprint, bool) {
	placed := i >= 0
	if placed {
		pf.at = i + 1
	}
	var last pageFile
	if j := f.lastPlace(i, placed); j >= 0 {
		last = f.last.files[j]
	}
	had := last.at > 0
	if had && (f.sameNav || f.navFrom != nil && !f.navFrom.touches(p.URL)) {
		pf.nav = last.nav // the same tree, or folders: the same sum
	} else {
		pf.nav = f.navSum(nav, p.URL)
	}
	if selfLeavesOut["nav"] {
		pf.nav = 0
	}
	carry := placed && had && f.kept != nil && f.kept[i] && f.last != nil && f.infoSum == f.last.info && last.nav == pf.nav
	if carry && f.inPlace && !f.fresh[i] {
		pf.doc, pf.fp = last.doc, last.fp
		return last.fp, true
	}
	var h maphash.Hash
	h.SetSeed(f.cache.seed)
	if p.Doc != nil {
		p.Doc.Fingerprint(&h)
	}
	pf.doc = h.Sum64()
	if !carry || last.doc != pf.doc {
		return Fingerprint{}, false
	}
	pf.fp = last.fp
	return last.fp, true
}

// lastPlace returns the place in the last call of the page at place i
// of this one (placed: the page is of this call's site), -1 for none.
func (f *fingerprinting) lastPlace(i int32, placed bool) int32 {
	switch {
	case !placed || f.last == nil:
		return -1
	case f.at != nil:
		return f.at[i]
	case int(i) < len(f.last.files):
		return i // every page where it was
	}
	return -1
}

// allReadings returns every reading of the call once: all, figures and
// the layouts'.
func (f *fingerprinting) allReadings() []*reading {
	out := []*reading{f.all, f.figures}
	for _, rd := range f.readings {
		for _, r := range []*reading{rd, rd.others} {
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// idSum is the sum of who a page is, its file and URL (pageKey), for the
// own sums of the pages naming it, and its place in the site (-1 for a
// page not of it). Remembered by place.
func (f *fingerprinting) idSum(p *site.Page) (uint64, int32) {
	i, placed := f.ords[p]
	if placed {
		if s := atomic.LoadUint64(&f.ids[i]); s != 0 {
			return s, i
		}
	}
	h := f.words()
	if !selfLeavesOut["ids"] {
		h.str(p.Source)
		h.str(p.URL)
	}
	s := h.sum() | 1 // never 0, which marks no sum yet
	if !placed {
		return s, -1
	}
	atomic.StoreUint64(&f.ids[i], s)
	return s, i
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
	var places []int32
	w := walker{f: f, rd: f.all, h: &h, names: &places}
	for _, i := range linkFields() {
		if !selfLeavesOut["links"] {
			w.pageField(p, i, modeNames)
		}
	}
	return h.sum(), places
}

// selfLeavesOut names parts of a page's own sum to leave out ("ids",
// "parse", "core", "links"), or "nav" for the sidebar's tree of a page's
// own file (carriedFile): tests set it to show that leaving out any of
// them is caught (TestCarriedSumsLeavingOut).
var selfLeavesOut map[string]bool
