package render

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"html/template"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
	"weak"

	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/site"
)

// A Fingerprint stands for everything one file of the site is rendered
// from: two renderings of a file whose fingerprints are equal give the
// same bytes (Renderer.Fingerprints).
type Fingerprint struct {
	Sum uint64
	// Data is the file itself, for the files that are made without a
	// layout (the sitemap, the feeds, alias pages, stylesheets): cheaper
	// to make than to account for. Nil for files rendered from a layout
	// and for copied files.
	Data []byte
	// Copied is true for a file copied as it is (a theme or site static
	// file, a file beside the pages): its Sum stands for its path only,
	// as it is copied again whenever a file that is not a page changes.
	Copied bool
	// Rest stands for everything but the sidebar, for a file rendered
	// from a layout: two renderings whose Rest is equal differ only in
	// their sidebars.
	Rest uint64
	// Sidebar, when not "", is the URL whose sidebar the file shows, its
	// layout writing it as it is and reading nothing else of it: a file
	// whose Rest did not change takes its new sidebar in place of the
	// old (Renderer.ShareSidebars) rather than being rendered again.
	Sidebar string
}

// FingerprintCache carries, from one Fingerprints call to the next, the
// sums of what the pages' parses give them, which do not change while a
// page's file does not, and the sums of the pages whose own fields did
// not change (carryIn). A cache belongs to one process: fingerprints are
// comparable only within it.
type FingerprintCache struct {
	seed maphash.Seed
	mu   sync.Mutex
	// parses are the sums of what a page's parse gives it (parseSum) in
	// the last call, by parse, with nextParses this call's; the keys keep
	// the parses alive too.
	parses, nextParses map[parseKey]parsed
	// last is what the last call knew of the pages, for the next to take
	// the sums of the pages that did not change (carryIn).
	last *carried
	// started is the first part of the next call, begun by Start.
	started *fpStart
	// calls counts the calls; call is what the last one carried.
	calls uint64
	call  FingerprintCall
	// files are the last call's fingerprints, of the jobs jobs (a plan's:
	// a renderer's, or one made again for a title, which shares it).
	files map[string]Fingerprint
	jobs  []job
	// spareFiles and spareOut are arrays the call before the last used
	// (its pages' own files, by place; the fingerprints by job), which
	// nothing reads any more: the next call of the same size takes them
	// (spares) rather than new ones.
	spareFiles []pageFile
	spareOut   []Fingerprint
}

// spares returns arrays for a call's pages' own files (cleared) and its
// fingerprints, of the sizes given: the spares when they have them, and
// the files are not those of last, which the call carries from (they
// would be, for a call begun before the one that left them ended),
// otherwise new. At 100,000 pages, the first writes to each new array's
// memory were the largest part of carrying the pages' files: in CPU
// profiles of 18 edits, the writes to the files' slots and to the
// fingerprints took 0.6–0.9 CPU-s with new arrays and next to none with
// the spares, the fingerprints 3.01–3.62 CPU-s in two profiles and 2.90,
// and each edit allocated 104 MB rather than 124 MB.
func (c *FingerprintCache) spares(pages, jobs int, last *carried) ([]pageFile, []Fingerprint) {
	c.mu.Lock()
	files, out := c.spareFiles, c.spareOut
	c.spareFiles, c.spareOut = nil, nil
	c.mu.Unlock()
	if len(files) == pages && pages > 0 && (last == nil || len(last.files) == 0 || &last.files[0] != &files[0]) {
		clear(files)
	} else {
		files = make([]pageFile, pages)
	}
	if len(out) != jobs {
		out = make([]Fingerprint, jobs)
	}
	return files, out
}

// FingerprintCall says what one Fingerprints call of a cache took from
// the one before: the fingerprint of every file but those at the paths
// Fresh is call From's at the same path (the own file of a page none of
// whose inputs changed: carriedFile). Gen numbers the call itself; From
// is 0 when nothing was carried. A caller holding call From's
// fingerprints need compare only Fresh's with them: at 10,000 pages, a
// few hundred paths rather than every one.
type FingerprintCall struct {
	Gen, From uint64
	Fresh     []string
}

// LastCall returns what the last Fingerprints call of c carried.
func (c *FingerprintCache) LastCall() FingerprintCall {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.call
}

// fpStart is the first part of a Fingerprints call, which needs the site
// and the theme but no renderer: the pages' own sums, and the sums they
// carry from the last call (carryIn). done is closed when fp and err are
// set.
type fpStart struct {
	site  *site.Site
	theme *Theme
	fp    *fingerprinting
	err   error
	done  chan struct{}
}

// Start begins the next Fingerprints call of site s with theme th on
// another goroutine, before a renderer is made of them: the pages' own
// sums take a core while the renderer plans its files on the other. The
// call of a renderer of the same site and theme takes them from it;
// another call drops them.
func (c *FingerprintCache) Start(ctx context.Context, s *site.Site, th *Theme) {
	c.start(ctx, s, th, nil)
}

// Restart is Start for a Refingerprints call: of site s changed in place
// since the last call, in the pages changed alone (see Refingerprints).
// A preview begins it while it makes a renderer again (Renderer.Remade).
func (c *FingerprintCache) Restart(ctx context.Context, s *site.Site, th *Theme, changed []*site.Page) {
	if changed == nil {
		changed = []*site.Page{}
	}
	c.start(ctx, s, th, changed)
}

func (c *FingerprintCache) start(ctx context.Context, s *site.Site, th *Theme, changed []*site.Page) {
	c.take(nil, nil) // one begun before and not taken is let go
	st := &fpStart{site: s, theme: th, done: make(chan struct{})}
	c.mu.Lock()
	c.started = st
	c.mu.Unlock()
	go func() {
		defer close(st.done)
		st.fp, st.err = c.first(ctx, s, th, changed)
	}()
}

// first is the first part of a call (see fpStart): Fingerprints', or
// Refingerprints' when changed is not nil.
func (c *FingerprintCache) first(ctx context.Context, s *site.Site, th *Theme, changed []*site.Page) (*fingerprinting, error) {
	fp, last := c.begin(s, th)
	// from is each page's place in the last call, -1 for one changed or
	// new; now each of the last call's places now, when pages moved.
	var from, now []int32
	if changed != nil && last.sameSite(s, th) {
		from = make([]int32, len(s.Pages))
		if last.reshapes == s.Reshapes() {
			for i := range from {
				from[i] = int32(i) // the same pages in the same places
			}
			fp.inPlace, fp.fresh = true, make([]bool, len(s.Pages))
		} else {
			now = make([]int32, len(last.self))
			for j := range now {
				now[j] = -1
			}
			fp.at = last.placesOf(s.Pages)
			for i, j := range fp.at {
				if j >= 0 {
					now[j] = int32(i)
				}
				from[i] = j
			}
		}
		for _, p := range changed {
			if i, ok := fp.ords[p]; ok {
				from[i] = -1
				if fp.inPlace {
					fp.fresh[i] = true
				}
			}
		}
		c.keepParses()
	}
	return fp, fp.carryIn(ctx, s.Pages, th, last, from, now)
}

// begin makes the fingerprinting of one call, and returns it with what
// the last call left, for carryIn.
func (c *FingerprintCache) begin(s *site.Site, th *Theme) (*fingerprinting, *carried) {
	c.mu.Lock()
	last := c.last
	c.mu.Unlock()
	var ords map[*site.Page]int32
	if last != nil && last.site.Value() == s && last.reshapes == s.Reshapes() && len(last.ords) == len(s.Pages) {
		// The same pages in the same places: the last call's places,
		// which no call changes, rather than 100,000 put in a map again.
		ords = last.ords
	} else {
		ords = make(map[*site.Page]int32, len(s.Pages))
		for i, p := range s.Pages {
			ords[p] = int32(i)
		}
	}
	f := &fingerprinting{cache: c, folders: map[*navNode]uint64{}, nextPages: map[pagesKey]uint64{}, nextSitemaps: map[sitemapKey]sitemapPartSum{}, readings: readingsOf(th, ords), all: newReading(unreadLinks(th), kindMaskOf(th.names()), ords), figures: newReading(everyLink(), nil, ords), ords: ords, parts: make([]atomic.Pointer[parseParts], len(ords)), cores: newPageSums(ords), ids: make([]uint64, len(ords)), profile: s.Config.Profile}
	f.all.key, f.figures.key = "all", "figures"
	c.mu.Lock()
	c.nextParses = make(map[parseKey]parsed, len(c.parses))
	c.mu.Unlock()
	return f, last
}

// keepParses starts the next call's parses with all of this call's, for
// a call that does not hash every page's parse (Refingerprints): the
// parses of the pages it does not hash are kept for the calls after it.
func (c *FingerprintCache) keepParses() {
	c.mu.Lock()
	c.nextParses = maps.Clone(c.parses)
	c.mu.Unlock()
}

// pruneParses drops the parses no page of pages has (those Refingerprints
// kept of pages changed since), which would otherwise hold old parses in
// memory. Called with c.mu held.
func (c *FingerprintCache) pruneParses(pages []*site.Page) {
	now := make(map[parseKey]bool, len(pages))
	for _, p := range pages {
		now[parseKey{p.Page, p.Doc}] = true
	}
	maps.DeleteFunc(c.parses, func(k parseKey, _ parsed) bool { return !now[k] })
}

// take returns the first part of the call for s and th that Start
// began, once done, and whether there was one.
func (c *FingerprintCache) take(s *site.Site, th *Theme) (*fingerprinting, bool, error) {
	c.mu.Lock()
	st := c.started
	c.started = nil
	c.mu.Unlock()
	if st == nil {
		return nil, false, nil
	}
	<-st.done
	if st.site != s || st.theme != th {
		return nil, false, nil
	}
	return st.fp, true, st.err
}

// carried is what one Fingerprints call leaves the next: each page's own
// sum (selfSum), and its face and deep sums by reading, every slice by
// the page's place in that call's site.
type carried struct {
	// gen is the call's number (FingerprintCall.Gen).
	gen   uint64
	theme *Theme
	// site is the site of the call (weak: a preview does not hold an old
	// site for it), for Refingerprints; nav its renderer's sidebar tree.
	site weak.Pointer[site.Site]
	// reshapes is the site's Reshapes at the call.
	reshapes int
	nav      weak.Pointer[navTree]
	// keys name the call's pages, by place (placesOf).
	keys []pageKey
	self []uint64
	// named are the places of the pages each page names (selfSum).
	named [][]int32
	// faces and deep are the readings' sums, by the reading's key.
	faces, deep map[string][]uint64
	// info is the sum of the site's information (siteInfoSum); files
	// are the pages' own files, by place (carriedFile).
	info  uint64
	files []pageFile
	// ords are the places of the call's pages (begin).
	ords map[*site.Page]int32
	// pages are the sums of the lists of pages met in the files' data
	// (walker.pages).
	pages map[pagesKey]uint64
	// sitemaps are the sums of the sitemap's parts (sitemapShareSum).
	sitemaps map[sitemapKey]sitemapPartSum
}

// placesOf returns the place in the call of c of each of pages (a site's,
// in URL order), -1 for a page the call did not have: pages are paired by
// file and URL (pageKey), both lists in URL order, in one merge rather
// than a lookup of two strings a page.
func (c *carried) placesOf(pages []*site.Page) []int32 {
	at := make([]int32, len(pages))
	keys := c.keys
	j := 0
	for i, p := range pages {
		at[i] = -1
		for j < len(keys) && keys[j].url < p.URL {
			j++
		}
		// Pages sharing a URL (a duplicate-url finding) are told apart
		// by their files.
		for k := j; k < len(keys) && keys[k].url == p.URL; k++ {
			if keys[k].source == p.Source {
				at[i] = int32(k)
				break
			}
		}
	}
	return at
}

// pageKey names a page from one load of a site to the next: its file and
// its URL.
type pageKey struct{ source, url string }

// parseKey names one parse of a file, as a site.Memo hands it out again
// and again: its front matter and its document.
type parseKey struct {
	page *page.Page
	doc  *markdown.Document
}

// parsed is a parse's sum, with the fields of its front matter that a
// load sets again in place (an ADR's number from its date's order) as
// they were when it was hashed: the sum holds only while they are the
// same.
type parsed struct {
	parts parseParts
	adr   adrNumber
}

// parseParts is a parse hashed in parts: its front matter but its kind's
// fields (page.Page's pointers to structs: ADR, Runbook…) and what layouts
// may read of its document, in rest; each kind's fields one by one, in
// kinds (in the order of kindFields; nil where the page has none). A
// reading leaves out of the kinds' fields those its layout cannot read
// (kindMask).
type parseParts struct {
	rest  uint64
	kinds [][]uint64
}

type adrNumber struct {
	number         int
	has, fromOrder bool
}

func adrNumberOf(pp *page.Page) adrNumber {
	if pp == nil || pp.ADR == nil {
		return adrNumber{}
	}
	return adrNumber{pp.ADR.Number, pp.ADR.HasNumber, pp.ADR.NumberFromOrder}
}

// NewFingerprintCache returns an empty cache.
func NewFingerprintCache() *FingerprintCache {
	return &FingerprintCache{seed: maphash.MakeSeed(), parses: map[parseKey]parsed{}}
}

// fpMarker starts what a layout's execution returns while fingerprinting,
// followed by the sum.
const fpMarker = "\x00handbook fingerprint\x00"

// fingerprinting is the state of one Fingerprints call.
type fingerprinting struct {
	cache *FingerprintCache
	mu    sync.Mutex
	// readings are, by layout, the fields of pages it reads and the sums
	// of pages so hashed; layouts that read the same share one.
	readings map[string]*reading
	// all is the reading of every layout at once, for a layout the theme
	// does not have.
	all *reading
	// figures is the reading of the figures of kinds' indexes
	// (figureInputs), drawn in Go whatever the layouts name: every kind's
	// fields, and no field holding other pages (the decisions a decision
	// supersedes are hashed apart, by URL).
	figures *reading
	// ords places the site's pages; parts holds their parses' parts for
	// this call by place, once taken (parseParts), as every reading asks.
	ords  map[*site.Page]int32
	parts []atomic.Pointer[parseParts]
	// cores remembers core, which all readings share.
	cores *pageSums
	// ids holds the pages' idSums by place, once taken.
	ids []uint64
	// self holds each page's own sum by place (selfSum), taken by
	// carryIn; kept whether each page kept its deep sum (nil: none
	// did); last the last call's, when it had the same theme.
	self  []uint64
	named [][]int32
	kept  []bool
	last  *carried
	// at is each page's place in last's call, -1 for a page it did not
	// have (carried.placesOf); nil while not needed, or every page is
	// where it was.
	at []int32
	// sameNav is set when last is of a call with the same sidebar tree
	// (carriedFile); navFrom, when this call's tree was made again from
	// the last one's (navTree.derive).
	sameNav bool
	navFrom *navTree
	// inPlace is set for a Refingerprints call on the site of the last
	// call with every page where it was; fresh then marks, by place, the
	// pages changed since, whose documents alone are hashed again
	// (carriedFile).
	inPlace bool
	fresh   []bool
	// unkept are the pages that did not keep their deep sums (carryIn),
	// and remade those whose own sums changed, each with the pages gone
	// since, when few changed; carryPages is then set: the lists of
	// pages holding none of unkept (walker.pages) and the sitemap's
	// parts holding none of remade (sitemapShareSum) carry their sums from
	// last. nextPages and nextSitemaps are this call's, for the next;
	// nextMu guards both.
	unkept, remade map[*site.Page]bool
	carryPages     bool
	nextMu         sync.Mutex
	nextPages      map[pagesKey]uint64
	nextSitemaps   map[sitemapKey]sitemapPartSum
	// folders remembers folderSum.
	folders map[*navNode]uint64
	// profile is the site's profile, if any (parseSum).
	profile *site.Profile
	// info remembers the sum of the SiteInfo every file is given.
	info     *SiteInfo
	infoSum  uint64
	infoOnce sync.Once
}

// reading is what fingerprints of one layout's files leave out of pages:
// the fields of site.Page holding other pages that the layout, and the
// templates it calls, never name (unreadBy); and the sums of pages hashed
// so (see face and deepSum).
type reading struct {
	// key names the reading from one call to the next (carried).
	key    string
	unread map[int]bool
	// skip is unread by field index.
	skip []bool
	// kinds says which fields of a page's kind (kindFields) the layout
	// cannot read (kindMask).
	kinds       kindMask
	faces, deep *pageSums
	// others is the reading of pages other than a file's own (Data.Page)
	// in the layout's files: it leaves out too what the layout reads of
	// the own page only (othersNames); the reading itself when that is
	// nothing. own remembers the deep sums of pages as their own files'
	// (ownDeepSum).
	others *reading
	own    *pageSums
}

func newReading(unread map[int]bool, kinds kindMask, ords map[*site.Page]int32) *reading {
	skip := make([]bool, pageStruct.NumField())
	for i := range unread {
		skip[i] = unread[i]
	}
	rd := &reading{unread: unread, skip: skip, kinds: kinds, faces: newPageSums(ords), deep: newPageSums(ords), own: newPageSums(ords)}
	rd.others = rd
	return rd
}

// pageSums remembers a sum per page for one Fingerprints call: for the
// pages of the site, in a slot by the page's place in it, read and written
// atomically (every core asks for the sums of the pages its files show,
// millions of times a call, and a map behind a lock was a third of the
// sums' time); for any other page, in a map split in shards, each with
// its lock. A sum is never 0 (remember), which marks an empty slot.
type pageSums struct {
	ords   map[*site.Page]int32
	slots  []uint64
	seed   maphash.Seed
	shards [16]sumShard
}

type sumShard struct {
	mu sync.Mutex
	m  map[*site.Page]uint64
}

// newPageSums returns sums for the pages ords places.
func newPageSums(ords map[*site.Page]int32) *pageSums {
	ps := &pageSums{ords: ords, slots: make([]uint64, len(ords)), seed: maphash.MakeSeed()}
	for i := range ps.shards {
		ps.shards[i].m = map[*site.Page]uint64{}
	}
	return ps
}

// shard returns the shard of p's sum, by a hash of the pointer.
func (ps *pageSums) shard(p *site.Page) *sumShard {
	return &ps.shards[maphash.Comparable(ps.seed, p)%uint64(len(ps.shards))]
}

// load returns p's sum, or 0.
func (ps *pageSums) load(p *site.Page) uint64 {
	if i, ok := ps.ords[p]; ok {
		return atomic.LoadUint64(&ps.slots[i])
	}
	sh := ps.shard(p)
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.m[p]
}

// store sets p's sum.
func (ps *pageSums) store(p *site.Page, sum uint64) {
	if i, ok := ps.ords[p]; ok {
		atomic.StoreUint64(&ps.slots[i], sum)
		return
	}
	sh := ps.shard(p)
	sh.mu.Lock()
	sh.m[p] = sum
	sh.mu.Unlock()
}

// readingsOf returns the reading of each layout of th, layouts that leave
// out the same fields sharing one. A layout that reads some names of its
// file's own page only has, as its reading's others, the reading of the
// rest (othersNames); its reading's key says both.
func readingsOf(th *Theme, ords map[*site.Page]int32) map[string]*reading {
	out := map[string]*reading{}
	byKey := map[string]*reading{}
	keyOf := func(names map[string]bool) string {
		unread, kinds := unreadBy(names), kindMaskOf(names)
		var key []byte
		for i := range 256 {
			if unread[i] {
				key = append(key, byte(i))
			}
		}
		key = append(key, 0xff)
		return string(append(key, kinds.key()...))
	}
	get := func(key string, names map[string]bool, others *reading) *reading {
		rd := byKey[key]
		if rd == nil {
			rd = newReading(unreadBy(names), kindMaskOf(names), ords)
			rd.key = key
			if others != nil {
				rd.others = others
			}
			byKey[key] = rd
		}
		return rd
	}
	for name := range th.layouts {
		names := th.layoutNames(name)
		key := keyOf(names)
		var others *reading
		if on := th.othersNames(name); on != nil && !leaveOut["others"] {
			if ok := keyOf(on); ok != key {
				others = get(ok, on, nil)
				key += "\xfe" + ok
			}
		}
		out[name] = get(key, names, others)
	}
	return out
}

// Fingerprints returns the fingerprint of every file All writes, by site
// path, without executing any layout: a file's fingerprint hashes the data
// its layout is given (Data, with every page in it by its fields, and the
// pages those name by theirs) and, for a Markdown page, what its HTML is
// made of (markdown.Document.Fingerprint) in place of the HTML. So it
// covers what any layout can read, the site's own layouts too: they see
// the site only through Data. Templates reach two pages deep (a page's
// backlinks' titles); a layout that reads further (the backlinks of a
// related page) is not covered.
//
// It runs on every core.
func (r *Renderer) Fingerprints(ctx context.Context, cache *FingerprintCache) (map[string]Fingerprint, error) {
	return r.fingerprints(ctx, cache, nil)
}

// Refingerprints is Fingerprints after the pages changed, and nothing else,
// were changed in place (site.Site.Retouch: their parses, links and
// backlinks) since the last call of cache, which was of the same site
// and theme: every other page's own sum (selfSum) and the places of the
// pages it names are that call's, rather than hashed again from every
// field of every page (a quarter of the CPU of such an update at 10,000
// pages). A page changed that is left out of changed keeps its old own
// sum, and its own file the last call's sum of its document: the files
// showing it keep their fingerprints too. When the last
// call was of another site, or there was none, it is Fingerprints.
func (r *Renderer) Refingerprints(ctx context.Context, cache *FingerprintCache, changed []*site.Page) (map[string]Fingerprint, error) {
	if changed == nil {
		changed = []*site.Page{}
	}
	return r.fingerprints(ctx, cache, changed)
}

// fingerprints is Fingerprints, or Refingerprints when changed is not
// nil.
func (r *Renderer) fingerprints(ctx context.Context, cache *FingerprintCache, changed []*site.Page) (map[string]Fingerprint, error) {
	// The copy hashes what the renderer would render: the jobs it
	// planned run with it (job.run).
	fr := *r
	fp, started, err := cache.take(r.Site, r.Theme)
	if err != nil {
		return nil, err
	}
	if !started {
		if fp, err = cache.first(ctx, r.Site, r.Theme, changed); err != nil {
			return nil, err
		}
	}
	fr.fp = fp
	// The sidebar's tree of the last call, when it is this renderer's
	// (a retouch), gives each page's file the same part of it (navSum).
	fp.sameNav = fp.last != nil && fp.last.nav.Value() == r.nav
	// Or it is the tree this renderer's was made again from (Remade):
	// the pages none of whose folders changed have the same part.
	if !fp.sameNav && fp.last != nil && r.nav.touched != nil {
		if was := fp.last.nav.Value(); was != nil && r.nav.from.Value() == was {
			fp.navFrom = r.nav
		}
	}
	fr.fp.siteInfoSum(r.info) // before the files, which compare it (carriedFile)
	jobs := r.planned
	if jobs == nil {
		jobs = fr.jobs() // not planned yet: for this call alone
	}
	// Each job's fingerprint is set below (out is not cleared), and each
	// page's own file at its page's place.
	files, out := cache.spares(len(r.Site.Pages), len(jobs), fr.fp.last)
	carriedAt := make([]bool, len(jobs))
	places := fr.fp.placesOfJobs(r.Site.Pages, jobs)
	err = parallel.Each(ctx, len(jobs), 0, func(i int) error {
		j := jobs[i]
		if j.page != nil {
			// A page's own file: taken from the last call when nothing it
			// is made of changed (carriedFile).
			var pf *pageFile
			if at := places[i]; at >= 0 {
				pf = &files[at]
			} else {
				pf = &pageFile{} // a page not of the site: kept by no call
			}
			if fp, ok := fr.fp.carriedFile(j.page, places[i], fr.nav, pf); ok {
				out[i], carriedAt[i] = fp, true
				return nil
			}
			defer func() { pf.fp = out[i] }()
		}
		if j.copied {
			var h maphash.Hash
			h.SetSeed(cache.seed)
			h.WriteString(j.path)
			out[i] = Fingerprint{Sum: h.Sum64(), Copied: true}
			return nil
		}
		b, err := j.run(&fr)
		if err != nil {
			return fmt.Errorf("render %s: %w", j.path, err)
		}
		if len(b) >= len(fpMarker)+16 && string(b[:len(fpMarker)]) == fpMarker {
			b = b[len(fpMarker):]
			out[i] = Fingerprint{Sum: binary.LittleEndian.Uint64(b), Rest: binary.LittleEndian.Uint64(b[8:]), Sidebar: string(b[16:])}
			return nil
		}
		var h maphash.Hash
		h.SetSeed(cache.seed)
		h.Write(b)
		out[i] = Fingerprint{Sum: h.Sum64(), Data: b}
		return nil
	})
	if err != nil {
		return nil, err
	}
	cache.mu.Lock()
	cache.parses, cache.nextParses = cache.nextParses, nil
	if len(cache.parses) > len(r.Site.Pages)+64 {
		cache.pruneParses(r.Site.Pages)
	}
	cache.calls++
	call := FingerprintCall{Gen: cache.calls}
	if fr.fp.last != nil {
		call.From = fr.fp.last.gen
	}
	if was := cache.last; was != nil {
		// Only a call carrying from it read it, and the next carries
		// from this one (a call begun before this one ended, which
		// carries from it, is given no spare it reads: spares).
		cache.spareFiles = was.files
	}
	cache.spareOut = out
	cache.last = fr.fp.carryOut(r.Site, r.Theme, r.nav, files)
	cache.last.gen = call.Gen
	// The last call's files, when of the same plan: those carried are
	// the last call's, the others are set again. Copying a map of
	// 132,000 files takes about two thirds of the time of making it
	// again.
	samePlan := len(jobs) > 0 && len(cache.jobs) == len(jobs) && &cache.jobs[0] == &jobs[0] && call.From != 0
	var m map[string]Fingerprint
	if samePlan {
		m = maps.Clone(cache.files)
	} else {
		m = make(map[string]Fingerprint, len(jobs))
	}
	for i, j := range jobs {
		if !carriedAt[i] {
			call.Fresh = append(call.Fresh, j.path)
		} else if samePlan {
			continue
		}
		m[j.path] = out[i]
	}
	cache.files, cache.jobs = m, jobs
	cache.call = call
	cache.mu.Unlock()
	return m, nil
}

// fingerprint is exec's work while fingerprinting: the sum of the layout
// and its data, with the page's document in place of its HTML, and the
// sum of all but the sidebar; the page's URL after them when the layout
// lets its sidebar be replaced in place (spliceable: ShareSidebars).
func (f *fingerprinting) fingerprint(layout string, d *Data, nav *navTree, spliceable bool) []byte {
	var h maphash.Hash
	h.SetSeed(f.cache.seed)
	h.WriteString(layout)
	h.WriteByte(0)
	rd := f.readings[layout]
	if rd == nil {
		rd = f.all
	}
	ws := f.words()
	walker{f: f, rd: rd.others, h: &ws, own: d.Page, ownRd: rd}.value(reflect.ValueOf(d).Elem(), modeData)
	writeUint(&h, ws.sum())
	if d.Page != nil && d.Page.Doc != nil {
		d.Page.Doc.Fingerprint(&h)
	}
	rest, sum := h.Sum64(), h.Sum64()
	sidebar := ""
	if d.Nav == nil && !leaveOut["sidebar"] {
		// The sidebar (Nav, NavHTML) is a function of the tree and the
		// page's URL: the tree's part it shows is hashed in its place.
		writeUint(&h, f.navSum(nav, d.URL))
		sum = h.Sum64()
		if spliceable {
			sidebar = d.URL
		}
	}
	b := make([]byte, 0, len(fpMarker)+16+len(sidebar))
	b = append(b, fpMarker...)
	b = binary.LittleEndian.AppendUint64(b, sum)
	b = binary.LittleEndian.AppendUint64(b, rest)
	return append(b, sidebar...)
}

// sitemapSum stands, in a fingerprint, for the sitemap of the URLs urls
// (Renderer.sitemap): the sums of each URL with the date it is given,
// added up. The sitemap lists each URL once, sorted, with the site's
// root: the same URLs with the same dates are the same file, whatever
// their order and how often each came. Writing the sitemap of 10,000
// pages, sorting its URLs first, was a sixth of an update's
// fingerprints.
func (f *fingerprinting) sitemapSum(r *Renderer, urls []sitemapURL) []byte {
	var total uint64
	for _, u := range urls {
		total += f.sitemapURLSum(u)
	}
	return marked(f.rootedSum(r, total))
}

// rootedSum is the sum of a sitemap, or of a part of one, whose URLs'
// sums (sitemapURLSum) add up to total: with the site's root.
func (f *fingerprinting) rootedSum(r *Renderer, total uint64) uint64 {
	h := f.words()
	h.str(r.absRoot)
	h.word(total)
	return h.sum()
}

// sitemapURLSum is the sum of one URL of a sitemap, with its date.
func (f *fingerprinting) sitemapURLSum(u sitemapURL) uint64 {
	h := f.words()
	h.str(u.url)
	h.word(uint64(u.mod.Unix()))
	return h.sum()
}

// sitemapShareSum is the sum of part i of k of a sitemap in parts
// (Renderer.sitemapPart), as sitemapSum hashes its URLs, and the latest
// date its pages give, the part's in the index (Renderer.sitemapIndex).
// Made once a call for the part's file and the index. A part of the
// same order as the last call's (the same plan) none of whose pages'
// own sums changed since (remade) lists the same URLs with the same
// dates, a page's date being of its own fields: its sum and date are the
// last call's, rather than its 34,000 URLs (at 100,000 pages) hashed
// again, each with its page's date. A change to a page's neighbours does
// not make its part again.
func (f *fingerprinting) sitemapShareSum(r *Renderer, i, k int) (uint64, time.Time) {
	key := sitemapKey{order: r.smap, root: r.absRoot, i: i, k: k}
	f.nextMu.Lock()
	e, done := f.nextSitemaps[key]
	f.nextMu.Unlock()
	if done {
		return e.sum, e.mod
	}
	share := shareOf(r.sitemapOrdered(), i, k)
	e, carry := sitemapPartSum{}, false
	if f.carryPages {
		e, carry = f.last.sitemaps[key]
		carry = carry && !slices.ContainsFunc(share, func(u sitemapURL) bool { return u.page != nil && f.remade[u.page] })
	}
	if !carry {
		var total uint64
		e = sitemapPartSum{}
		for _, u := range share {
			if u.page != nil {
				u.mod = changed(u.page)
				if u.mod.After(e.mod) {
					e.mod = u.mod
				}
			}
			total += f.sitemapURLSum(u)
		}
		e.sum = f.rootedSum(r, total)
	}
	f.nextMu.Lock()
	f.nextSitemaps[key] = e
	f.nextMu.Unlock()
	return e.sum, e.mod
}

// sitemapKey names a part of a sitemap in parts from one call to the
// next (sitemapShareSum): the order of the URLs it is cut from, the site's
// root, and which part of how many it is.
type sitemapKey struct {
	order *sitemapOrder
	root  string
	i, k  int
}

// sitemapPartSum is what sitemapShareSum gives of a part.
type sitemapPartSum struct {
	sum uint64
	mod time.Time
}

// sitemapIndexSum stands, in a fingerprint, for the sitemap index of
// parts whose latest dates are mods (Renderer.sitemapIndex).
func (f *fingerprinting) sitemapIndexSum(r *Renderer, mods []time.Time) []byte {
	h := f.words()
	h.str(r.absRoot)
	h.word(uint64(len(mods)))
	for _, m := range mods {
		h.word(uint64(m.Unix()))
	}
	return marked(h.sum())
}

// feedSum stands, in a fingerprint, for the feed of entries
// (Renderer.feed): the site's title, description and root, and each
// entry's title, URL, date, authors, tags and excerpt, with what its HTML
// is made of (markdown.Document.Fingerprint) in place of the HTML, in
// order. Writing the feed, thirty pages' HTML, on every update took a
// tenth of the fingerprints after a status edit.
func (f *fingerprinting) feedSum(r *Renderer, entries []*site.Page) []byte {
	var h maphash.Hash
	h.SetSeed(f.cache.seed)
	cfg := &r.Site.Config
	for _, s := range []string{cfg.Title, cfg.Description, r.absRoot} {
		h.WriteString(s)
		h.WriteByte(0)
	}
	for _, e := range entries {
		h.WriteString(e.Title)
		h.WriteByte(0)
		h.WriteString(e.URL)
		h.WriteByte(0)
		h.WriteString(e.Excerpt)
		h.WriteByte(0)
		writeUint(&h, uint64(e.Date.UnixNano()))
		writeUint(&h, uint64(len(e.Tags)))
		for _, t := range e.Tags {
			h.WriteString(t)
			h.WriteByte(0)
		}
		if e.Post != nil {
			writeUint(&h, uint64(len(e.Post.Authors)))
			for _, a := range e.Post.Authors {
				h.WriteString(a)
				h.WriteByte(0)
			}
		}
		if e.Doc != nil {
			e.Doc.Fingerprint(&h)
		}
	}
	return marked(h.Sum64())
}

// marked is what a file's job gives while fingerprinting when its sum
// stands for the file (see fingerprint): the file has no sidebar.
func marked(sum uint64) []byte {
	b := make([]byte, 0, len(fpMarker)+16)
	b = append(b, fpMarker...)
	b = binary.LittleEndian.AppendUint64(b, sum)
	return binary.LittleEndian.AppendUint64(b, sum)
}

// figureInputs stands, in a fingerprint, for the figures of a kind's
// index (radar, adrGraph, incidentCharts), which are drawn from the site's
// information and the pages of the kind and the rows of the index's first
// page: their own fields (face), and of other pages only which decisions
// each supersedes or is superseded by, by URL. Drawing them on every call
// took a fifth of the fingerprints' time at 10,000 pages; hashing the
// pages they name by their fields too would draw them again after every
// edit of a title anywhere.
func (f *fingerprinting) figureInputs(info *SiteInfo, k page.Kind, ps, rows []*site.Page) []Figure {
	h := f.words()
	h.str(string(k))
	h.word(f.siteInfoSum(info))
	for _, list := range [][]*site.Page{ps, rows} {
		h.word(uint64(len(list)))
		for _, p := range list {
			h.word(f.face(f.figures, p))
			for _, named := range [][]*site.Page{p.Supersedes, p.SupersededBy} {
				h.word(uint64(len(named)))
				for _, q := range named {
					h.str(q.URL)
				}
			}
		}
	}
	return []Figure{{Class: "fingerprint", SVG: template.HTML(strconv.FormatUint(h.sum(), 16))}}
}

// navSum hashes what navTree.items(cur) reads: the children of the root
// and of every folder on the way to cur that the sidebar lists
// (folderSum), the child on the way to cur when a long folder lists it
// past its cut, and cur.
func (f *fingerprinting) navSum(t *navTree, cur string) uint64 {
	h := f.words()
	h.str(t.base)
	h.str(cur)
	var walk func(n *navNode)
	walk = func(n *navNode) {
		h.word(f.folderSum(n))
		if len(n.children) > maxSiblings {
			if i := n.onPath(cur); i >= maxSiblings {
				h.word(uint64(i))
				navChildSum(&h, n.children[i])
			}
		}
		for _, i := range n.foldersOnPath(cur) {
			walk(n.children[i])
		}
	}
	walk(t.root)
	return h.sum()
}

// folderSum hashes a folder's children as the sidebar lists them: title,
// URL, whether linked and whether a folder, in order, of as many as a
// folder lists (maxSiblings), and how many there are. A page past a long
// folder's cut shows in its own sidebar only (navSum): a title edited
// there changes no other page. Remembered.
func (f *fingerprinting) folderSum(n *navNode) uint64 {
	f.mu.Lock()
	s, ok := f.folders[n]
	f.mu.Unlock()
	if ok {
		return s
	}
	h := f.words()
	h.str(n.url)
	h.bool(n.linked)
	h.word(uint64(len(n.children)))
	for _, k := range n.children[:min(len(n.children), maxSiblings)] {
		navChildSum(&h, k)
	}
	s = h.sum()
	f.mu.Lock()
	f.folders[n] = s
	f.mu.Unlock()
	return s
}

// navChildSum hashes what the sidebar shows of a folder's child.
func navChildSum(h *words, k *navNode) {
	h.str(k.title)
	h.str(k.url)
	h.bool(k.linked)
	h.bool(len(k.children) > 0)
}

// How the walker hashes a page it meets.
type walkMode uint8

const (
	// modeData: a page met in a layout's data, hashed with the pages it
	// names (deep).
	modeData walkMode = iota
	// modeDeep: the fields of a page met in the data; the pages they name
	// are hashed by their own fields (face).
	modeDeep
	// modeFace: the fields of a page named by another; the pages they
	// name are left out.
	modeFace
	// modeRefs: only the pages a value names, each by its face: what a
	// page's deep sum adds to its face. Values that cannot hold a page
	// are skipped (mayHoldPages).
	modeRefs
	// modeNames: a value as modeFace hashes it, but the pages it names
	// each by who it is (its file and URL: idSum), which the walker's
	// names collects: what a page's own sum (selfSum) holds of its
	// fields naming other pages.
	modeNames
)

var (
	pageType     = reflect.TypeFor[*site.Page]()
	pageStruct   = reflect.TypeFor[site.Page]()
	pagesType    = reflect.TypeFor[[]*site.Page]()
	docType      = reflect.TypeFor[*markdown.Document]()
	siteInfoType = reflect.TypeFor[*SiteInfo]()
	timeType     = reflect.TypeFor[time.Time]()
)

// walker hashes a value by its exported fields, as a template of a
// layout that reads as rd says sees it.
type walker struct {
	f  *fingerprinting
	rd *reading
	h  *words
	// names collects the places of the pages met in modeNames (-1 for
	// a page not of the site).
	names *[]int32
	// own, met in the data, is hashed as ownRd reads it (ownDeepSum),
	// when set: the file's own page; other pages as rd reads them.
	own   *site.Page
	ownRd *reading
	// faceRd, when set, reads the faces of the pages met in modeRefs in
	// place of rd (ownDeepSum).
	faceRd *reading
}

func (w walker) page(p *site.Page, mode walkMode) {
	if p == nil {
		w.h.word(0)
		return
	}
	switch mode {
	case modeFace:
		// A page named by a page named by the data: layouts do not reach
		// it (the pages related to a backlink), and hashing it would
		// change the fingerprints of every file showing a page whose
		// neighbour's neighbours changed.
	case modeDeep, modeRefs:
		rd := w.rd
		if w.faceRd != nil {
			rd = w.faceRd
		}
		w.h.word(w.f.face(rd, p))
	case modeNames:
		sum, place := w.f.idSum(p)
		w.h.word(sum)
		if w.names != nil {
			*w.names = append(*w.names, place)
		}
	default:
		if w.ownRd != nil && p == w.own {
			w.h.word(w.f.ownDeepSum(w.ownRd, p))
			return
		}
		w.h.word(w.f.deepSum(w.rd, p))
	}
}

// pages is the sum of the pages ps, a list of pages met in a layout's
// data (modeData), each hashed as page hashes it, in order. A list whose
// pages all kept their deep sums since the last call (carryIn), in a call
// of the same site, is the list the last call hashed, the same pages in
// the same order: its sum is carried rather than made again, found by
// the list's pages (their addresses, which the pages keep; a list holding
// a page gone since is hashed again) and the reading. At 100,000 pages
// the lists the site generates (kinds, tags, folders, services, owners,
// 200 rows a page) show 500,000 rows, and looking up the sum of each
// row's page on every update was two fifths of the fingerprints' pass
// over the files. A list holding the file's own page, which is hashed
// otherwise (ownDeepSum), or a page not of the site, is not carried.
func (w walker) pages(ps []*site.Page) uint64 {
	f := w.f
	ids := f.words()
	own, changed := false, false
	for _, p := range ps {
		ids.word(uint64(uintptr(unsafe.Pointer(p))))
		own = own || p != nil && w.ownRd != nil && p == w.own
		changed = changed || f.unkept[p]
	}
	key := pagesKey{rd: w.rd.key, n: len(ps), ids: ids.sum()}
	if !own && !changed && f.carryPages {
		if s, ok := f.last.pages[key]; ok {
			f.keepPages(key, s)
			return s
		}
	}
	h := f.words()
	e := w
	e.h = &h
	placed := !own
	for _, p := range ps {
		e.page(p, modeData)
		if placed && p != nil {
			_, placed = f.ords[p]
		}
	}
	s := h.sum()
	if placed {
		f.keepPages(key, s)
	}
	return s
}

// pagesKey names a list of pages hashed in a layout's data (pages), from
// one call to the next: the reading hashing it, how many pages it holds,
// and the sum of their addresses.
type pagesKey struct {
	rd  string
	n   int
	ids uint64
}

// keepPages keeps the sum of the list of pages key names for the next
// call.
func (f *fingerprinting) keepPages(key pagesKey, sum uint64) {
	f.nextMu.Lock()
	f.nextPages[key] = sum
	f.nextMu.Unlock()
}

// face is the sum of a page's own fields (modeFace) as rd reads them:
// its core, then the fields holding other pages that rd reads, each by
// how many pages it holds. Remembered.
func (f *fingerprinting) face(rd *reading, p *site.Page) uint64 {
	return f.remember(rd.faces, p, func(h *words) {
		h.word(f.parseSum(rd, p))
		h.word(f.core(p))
		w := walker{f: f, rd: rd, h: h}
		for _, i := range linkFields() {
			if !rd.skip[i] {
				w.pageField(p, i, modeFace)
			}
		}
	})
}

// remember returns memo's sum of p, made by hashing with sum the first
// time. Two cores may both make it; they store the same.
func (f *fingerprinting) remember(memo *pageSums, p *site.Page, sum func(h *words)) uint64 {
	if s := memo.load(p); s != 0 {
		return s
	}
	h := f.words()
	sum(&h)
	s := h.sum() | 1 // never 0, which marks no sum yet
	memo.store(p, s)
	return s
}

// core is the sum of a page's own fields but those holding other pages
// and its parse (parseSum): the same whatever a layout reads. Remembered.
func (f *fingerprinting) core(p *site.Page) uint64 {
	return f.remember(f.cores, p, func(h *words) {
		w := walker{f: f, rd: f.all, h: h}
		links := linkFields()
		for _, i := range exportedFields(pageStruct) {
			if !slices.Contains(links, i) && i != parsedField() {
				w.pageField(p, i, modeFace)
			}
		}
	})
}

// parsedField is the index of site.Page's embedded *page.Page.
var parsedField = sync.OnceValue(func() int {
	f, _ := pageStruct.FieldByName("Page")
	return f.Index[0]
})

// parseSum is the sum of what a page's parse gives it as rd reads it:
// its front matter (page.Page) and what layouts may read of its document,
// but the fields of its kind rd leaves out.
func (f *fingerprinting) parseSum(rd *reading, p *site.Page) uint64 {
	h := f.words()
	writeParts(&h, f.parseParts(p), rd.kinds)
	return h.sum()
}

// writeParts hashes a parse's parts into h, but the fields of its kind
// that mask leaves out (none for a nil mask).
func writeParts(h *words, parts parseParts, mask kindMask) {
	h.word(parts.rest)
	for k, fields := range parts.kinds {
		if fields == nil {
			h.word(0)
			continue
		}
		h.word(1)
		for i, sum := range fields {
			if !mask.skips(k, i) {
				h.word(sum)
			}
		}
	}
}

// parseParts returns the parts of a page's parse hashed (parseParts). A
// site loaded again with a site.Memo hands out the same parse for a file
// that did not change, so they are taken from the last call for the same
// parse, unless the load set its ADR number again otherwise. A site with
// a profile, whose loads empty some fields of the parses in place, is
// hashed every time.
func (f *fingerprinting) parseParts(p *site.Page) parseParts {
	i, placed := f.ords[p]
	if placed {
		if parts := f.parts[i].Load(); parts != nil {
			return *parts
		}
	}
	parts := f.takeParts(p)
	if placed {
		f.parts[i].Store(&parts)
	}
	return parts
}

// takeParts is parseParts without this call's memory.
func (f *fingerprinting) takeParts(p *site.Page) parseParts {
	k := parseKey{p.Page, p.Doc}
	adr := adrNumberOf(p.Page)
	c := f.cache
	keep := f.profile == nil
	if keep {
		c.mu.Lock()
		e, ok := c.nextParses[k]
		if !ok {
			e, ok = c.parses[k]
		}
		c.mu.Unlock()
		if ok && e.adr == adr {
			c.mu.Lock()
			c.nextParses[k] = e
			c.mu.Unlock()
			return e.parts
		}
	}
	h := f.words()
	w := walker{f: f, rd: f.all, h: &h}
	parts := parseParts{kinds: make([][]uint64, len(kindFields()))}
	if p.Page == nil {
		h.word(0)
	} else {
		h.word(1)
		v := reflect.ValueOf(p.Page).Elem()
		kinds := kindFields()
		for _, i := range exportedFields(parsedType) {
			k := slices.Index(kinds, i)
			if k < 0 {
				w.value(v.Field(i), modeFace)
				continue
			}
			if kv := v.Field(i); !kv.IsNil() {
				sv := kv.Elem()
				sums := make([]uint64, sv.NumField())
				for _, j := range exportedFields(sv.Type()) {
					fh := f.words()
					walker{f: f, rd: f.all, h: &fh}.value(sv.Field(j), modeFace)
					sums[j] = fh.sum()
				}
				parts.kinds[k] = sums
			}
		}
	}
	if doc := p.Doc; doc != nil {
		// What layouts may read of another page's document.
		h.str(doc.Title)
		h.str(doc.TitleHTML)
		h.str(doc.TitleID)
		h.word(uint64(doc.Words))
		for i := range doc.Headings {
			w.value(reflect.ValueOf(&doc.Headings[i]).Elem(), modeFace)
		}
	}
	parts.rest = h.sum()
	if keep {
		c.mu.Lock()
		c.nextParses[k] = parsed{parts: parts, adr: adr}
		c.mu.Unlock()
	}
	return parts
}

// deepSum is the sum of a page's own fields and of the faces of the pages
// it names: its face, then those faces in the order of its fields
// (modeRefs). Remembered.
func (f *fingerprinting) deepSum(rd *reading, p *site.Page) uint64 {
	return f.remember(rd.deep, p, func(h *words) {
		h.word(f.face(rd, p))
		walker{f: f, rd: rd, h: h}.value(reflect.ValueOf(p).Elem(), modeRefs)
	})
}

// ownDeepSum is deepSum of a file's own page in a layout of reading rd:
// its face as rd reads it, then the faces of the pages it names as
// rd.others reads them, for the layout reads nothing more of them than
// of any page but the own. Remembered.
func (f *fingerprinting) ownDeepSum(rd *reading, p *site.Page) uint64 {
	if rd.others == rd {
		return f.deepSum(rd, p)
	}
	return f.remember(rd.own, p, func(h *words) {
		h.word(f.face(rd, p))
		walker{f: f, rd: rd, h: h, faceRd: rd.others}.value(reflect.ValueOf(p).Elem(), modeRefs)
	})
}

// value hashes v: strings, numbers and booleans as they are, times as
// instants in their zone, structs by their exported fields, slices and
// arrays element by element, maps entry by entry in any order, pages as
// mode says. Documents are left to Document.Fingerprint; functions and
// channels are left out. A value with an address is hashed by its type's
// plan (planOf), others through reflect: the words are the same.
func (w walker) value(v reflect.Value, mode walkMode) {
	if v.CanAddr() && !reflectOnly {
		w.at(planOf(v.Type()), v.Addr().UnsafePointer(), mode)
		return
	}
	w.reflectValue(v, mode)
}

// reflectValue is value through reflect.
func (w walker) reflectValue(v reflect.Value, mode walkMode) {
	t := v.Type()
	if mode == modeRefs && !mayHoldPages(t) {
		return
	}
	switch t {
	case pageType:
		w.page((*site.Page)(v.UnsafePointer()), mode)
		return
	case docType:
		return
	case siteInfoType:
		if !v.IsNil() {
			w.h.word(w.f.siteInfoSum((*SiteInfo)(v.UnsafePointer())))
			return
		}
	case timeType:
		var tm time.Time
		if v.CanAddr() {
			tm = *(*time.Time)(v.Addr().UnsafePointer())
		} else {
			tm = v.Interface().(time.Time)
		}
		w.h.word(uint64(tm.UnixNano()))
		w.h.str(tm.Location().String())
		return
	}
	switch v.Kind() {
	case reflect.String:
		w.h.str(v.String())
	case reflect.Bool:
		w.h.bool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.h.word(uint64(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.h.word(v.Uint())
	case reflect.Float32, reflect.Float64:
		w.h.word(math.Float64bits(v.Float()))
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			w.h.word(0)
			return
		}
		w.h.word(1)
		w.value(v.Elem(), mode)
	case reflect.Struct:
		page := t == pageStruct
		for _, i := range exportedFields(t) {
			if page && w.rd.unread[i] {
				continue
			}
			w.value(v.Field(i), mode)
		}
	case reflect.Slice, reflect.Array:
		if v.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			w.h.bytes(v.Bytes())
			return
		}
		n := v.Len()
		w.h.word(uint64(n))
		if mode == modeData && v.Kind() == reflect.Slice && t.Elem() == pageType {
			w.h.word(w.pages(v.Convert(pagesType).Interface().([]*site.Page)))
			return
		}
		for i := 0; i < n; i++ {
			w.value(v.Index(i), mode)
		}
	case reflect.Map:
		// Order does not matter: the entries' hashes are added. Each
		// entry is copied into the same two values, not into new ones
		// (a page's front-matter positions are a map).
		var total uint64
		if v.Len() > 0 {
			key, val := reflect.New(t.Key()).Elem(), reflect.New(t.Elem()).Elem()
			it := v.MapRange()
			for it.Next() {
				key.SetIterKey(it)
				val.SetIterValue(it)
				h := w.f.words()
				e := walker{f: w.f, rd: w.rd, h: &h}
				e.value(key, mode)
				e.value(val, mode)
				total += h.sum()
			}
		}
		w.h.word(uint64(v.Len()))
		w.h.word(total)
	}
}

// siteInfoSum is the sum of the SiteInfo given to every file, hashed
// once: it is the same for all (Renderer.info).
func (f *fingerprinting) siteInfoSum(info *SiteInfo) uint64 {
	f.infoOnce.Do(func() {
		h := f.words()
		walker{f: f, rd: f.all, h: &h}.value(reflect.ValueOf(info).Elem(), modeData)
		f.info, f.infoSum = info, h.sum()
	})
	if info != f.info {
		// Not the renderer's: hashed where it is met.
		h := f.words()
		walker{f: f, rd: f.all, h: &h}.value(reflect.ValueOf(info).Elem(), modeData)
		return h.sum()
	}
	return f.infoSum
}

// mayHold caches mayHoldPages.
var mayHold sync.Map // reflect.Type → bool

// mayHoldPages reports whether a value of type t can name a *site.Page
// (holdsPages): whether the walker in modeRefs must look into it.
func mayHoldPages(t reflect.Type) bool {
	if b, ok := mayHold.Load(t); ok {
		return b.(bool)
	}
	b := holdsPages(t, map[reflect.Type]bool{})
	mayHold.Store(t, b)
	return b
}

// fields caches the indexes of each struct type's exported fields.
var fields sync.Map // reflect.Type → []int

// reflectOnly makes the walker hash every value through reflect, for the
// test that plans hash as reflect does (TestPlansHashAsReflect).
var reflectOnly bool

// leaveOut names fields the walker leaves out, and "sidebar" the sidebar's
// tree: tests set it to show that leaving out any dependency is caught
// (TestFingerprintsLeavingOut).
var leaveOut map[string]bool

func exportedFields(t reflect.Type) []int {
	if f, ok := fields.Load(t); ok {
		return f.([]int)
	}
	var out []int
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && !leaveOut[f.Name] {
			out = append(out, i)
		}
	}
	fields.Store(t, out)
	return out
}

func writeUint(h *maphash.Hash, u uint64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], u)
	h.Write(b[:])
}

// words hashes a sequence of 64-bit words: each string and byte slice
// is one word, its own hash, so that hashing one costs a call, not a copy
// of its bytes into a buffer as maphash.Hash makes. The walker writes
// millions of short strings per call of Fingerprints.
type words struct {
	seed maphash.Seed
	x    uint64
}

func (f *fingerprinting) words() words { return words{seed: f.cache.seed} }

// word adds u: the state goes through murmur3's finalizer, a bijection
// that mixes every bit, after a constant is added so that zero words
// still move it.
func (h *words) word(u uint64) {
	x := (h.x ^ u) + 0x9e3779b97f4a7c15
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	h.x = x
}

func (h *words) str(s string) { h.word(maphash.String(h.seed, s)) }

func (h *words) bytes(b []byte) { h.word(maphash.Bytes(h.seed, b)) }

func (h *words) bool(b bool) {
	if b {
		h.word(1)
	} else {
		h.word(0)
	}
}

func (h *words) sum() uint64 { return h.x }
