package chart

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strconv"
	"strings"
)

// Blip is one evaluation on the radar.
type Blip struct {
	Title    string
	Href     string // link target of the blip (already includes base path)
	Quadrant string // one of the Radar's quadrants
	Ring     string // one of the Radar's rings
	// Moved is -1 when the blip moved inward (towards the first ring) since
	// its previous history entry, +1 when it moved outward, 0 when it did not.
	Moved int
	New   bool // first appearance (no history); wins over Moved
}

// RadarOptions configure a radar. Blips match their quadrant and ring
// case-insensitively, ignoring surrounding space.
type RadarOptions struct {
	ID        string   // unique id prefix for this picture
	Title     string   // shown above the radar; also its accessible name
	Quadrants []string // any number >= 1, in order, clockwise from 12 o'clock
	Rings     []string // any number >= 1, innermost first (e.g. adopt, trial, assess, hold)
	// QuadrantLabels and RingLabels, when set, are the names shown for the
	// quadrants and rings at the same index. By default a slug such as
	// "languages-and-frameworks" is shown as "Languages and frameworks" and
	// other names as they are.
	QuadrantLabels []string
	RingLabels     []string
}

// Geometry of the radar, in pixels.
const (
	radarBase = 260.0 // outer radius when no band needs to grow
	radarPad  = 16.0  // space around the picture
	gapBlip   = 4.0   // space between two blips
	gapRing   = 4.0   // space between a blip and a ring boundary
	gapRay    = 7.0   // space between a blip and a sector boundary
	numFont   = 11.0  // font size of the numbers in blips
	qFont     = 14.0  // quadrant labels
	qLine     = 17.0
	qWrap     = 140.0 // width quadrant labels wrap at
	rFont     = 11.0  // ring labels on the radar
	rLabelMax = 96.0  // longest ring label on the radar
	legFont   = 12.0  // legend entries
	legLine   = 17.0
	legColMin = 170.0 // narrowest legend column
)

// quadrantColours: blip fill (both schemes, white numbers on it), legend
// text in light and in dark.
var quadrantColours = [][3]string{
	{"#0969da", "#0969da", "#4493f8"},
	{"#1a7f37", "#1a7f37", "#3fb950"},
	{"#8250df", "#8250df", "#a371f7"},
	{"#bc4c00", "#bc4c00", "#db6d28"},
	{"#bf3989", "#bf3989", "#db61a2"},
	{"#0a7b83", "#0a7b83", "#39c5cf"},
	{"#9a6700", "#9a6700", "#d29922"},
	{"#cf222e", "#cf222e", "#f85149"},
}

// Band fills, innermost to outermost.
var (
	bandLight = []string{"#e3e8ed", "#f4f6f8"}
	bandDark  = []string{"#2c3139", "#1d2026"}
)

// cell is the part of the radar a blip may occupy: a ring band within a
// quadrant sector, minus margins.
type cell struct {
	r0, r1 float64 // ring band radii
	t0, t1 float64 // sector angles, radians, clockwise from +x (y points down)
	mA, mB float64 // distance a blip centre keeps from the rays at t0 and t1
	mR     float64 // distance a blip centre keeps from the band's circles
	d      float64 // distance between two blip centres
}

// arcRow is a row of evenly spaced blip positions along an arc.
type arcRow struct {
	rho, t0, t1 float64
	cap         int
}

// rayRange returns the angles a blip centre at radius rho may take.
func (c cell) rayRange(rho float64) (lo, hi float64, ok bool) {
	if rho < c.mA || rho < c.mB || rho <= 0 {
		return 0, 0, false
	}
	lo = c.t0 + math.Asin(c.mA/rho)
	hi = c.t1 - math.Asin(c.mB/rho)
	if hi < lo {
		if hi > lo-1e-9 {
			m := (lo + hi) / 2
			return m, m, true
		}
		return 0, 0, false
	}
	return lo, hi, true
}

// radial returns the radii a blip centre may take.
func (c cell) radial() (lo, hi float64, ok bool) {
	hi = c.r1 - c.mR
	lo = c.r0 + c.mR
	if c.r0 == 0 {
		lo = 0
	}
	lo = math.Max(lo, math.Max(c.mA, c.mB))
	if _, _, ok := c.rayRange(lo); !ok {
		// Narrow sector: find the smallest radius where the rays leave room.
		a, b := lo, math.Max(lo, 1)
		for {
			if _, _, ok := c.rayRange(b); ok {
				break
			}
			a, b = b, b*2
			if b > 1e7 {
				return 0, 0, false
			}
		}
		for range 60 {
			m := (a + b) / 2
			if _, _, ok := c.rayRange(m); ok {
				b = m
			} else {
				a = m
			}
		}
		lo = b
	}
	return lo, hi, hi >= lo
}

// rows lays the cell out in rows along arcs, one blip distance apart
// radially and at least one blip distance apart along each arc, so any
// subset of the positions is free of overlaps.
func (c cell) rows() []arcRow {
	lo, hi, ok := c.radial()
	if !ok {
		return nil
	}
	n := int(math.Floor((hi-lo)/c.d+1e-9)) + 1
	var rows []arcRow
	for i := range n {
		rho := (lo + hi) / 2
		if n > 1 {
			rho = lo + float64(i)*(hi-lo)/float64(n-1)
		}
		a, b, ok := c.rayRange(rho)
		if !ok {
			continue
		}
		k := 1
		if c.d < 2*rho {
			k = int(math.Floor((b-a)/c.step(rho)+1e-9)) + 1
		}
		rows = append(rows, arcRow{rho, a, b, k})
	}
	return rows
}

// step is the angle between two blips one blip distance apart at radius rho.
func (c cell) step(rho float64) float64 {
	if c.d >= 2*rho {
		return math.Pi
	}
	return 2 * math.Asin(c.d/(2*rho))
}

func (c cell) capacity() int {
	n := 0
	for _, r := range c.rows() {
		n += r.cap
	}
	return n
}

// clearance is how far a centre at (rho, t) is inside the cell's margins.
func (c cell) clearance(rho, t, lo, hi float64) float64 {
	ray := func(delta float64) float64 {
		if delta >= math.Pi/2 {
			return rho
		}
		return rho * math.Sin(delta)
	}
	return math.Min(math.Min(rho-lo, hi-rho), math.Min(ray(t-c.t0)-c.mA, ray(c.t1-t)-c.mB))
}

// point is a blip centre relative to the radar's centre.
type point struct{ x, y float64 }

func polar(rho, t float64) point { return point{rho * math.Cos(t), rho * math.Sin(t)} }

// grid places k blips on the cell's rows, spreading them over the rows in
// proportion to their capacity and evenly along each row.
func (c cell) grid(k int) []point {
	rows := c.rows()
	total := 0
	for _, r := range rows {
		total += r.cap
	}
	extra := 0
	if k > total {
		// Sizing the bands guarantees room; should it ever fail, draw the
		// rest in the middle of the cell rather than crash the build.
		extra, k = k-total, total
	}
	alloc := make([]int, len(rows))
	rem := make([]float64, len(rows))
	used := 0
	for i, r := range rows {
		exact := float64(k) * float64(r.cap) / float64(total)
		alloc[i] = int(exact)
		rem[i] = exact - float64(alloc[i])
		used += alloc[i]
	}
	idx := make([]int, len(rows))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return rem[idx[a]] > rem[idx[b]] })
	for used < k {
		for _, i := range idx {
			if used < k && alloc[i] < rows[i].cap {
				alloc[i]++
				used++
			}
		}
	}
	var pts []point
	for i, r := range rows {
		n := alloc[i]
		span := r.t1 - r.t0
		switch {
		case n == 0:
		case n == 1:
			pts = append(pts, polar(r.rho, r.t0+span/2))
		case float64(n)*c.step(r.rho) <= span:
			for j := range n {
				pts = append(pts, polar(r.rho, r.t0+(float64(j)+0.5)*span/float64(n)))
			}
		default:
			for j := range n {
				pts = append(pts, polar(r.rho, r.t0+float64(j)*span/float64(n-1)))
			}
		}
	}
	for range extra {
		pts = append(pts, polar((c.r0+c.r1)/2, (c.t0+c.t1)/2))
	}
	return pts
}

// scatter places blips by best-candidate sampling seeded from their seeds:
// each takes, of a handful of random positions in the cell, the one
// farthest from the blips already placed and from the cell's edges. It
// reports false when a blip finds no free position.
func (c cell) scatter(seeds []uint64) ([]point, bool) {
	lo, hi, ok := c.radial()
	if !ok {
		return nil, false
	}
	var placed []point
	for _, seed := range seeds {
		rng := splitmix(seed)
		m := min(6+3*len(placed), 40)
		best, bestScore := point{}, math.Inf(-1)
		for try := 0; try < 4*m && (bestScore < 0 || try < m); try++ {
			u, v := rng.float(), rng.float()
			rho := math.Sqrt(lo*lo + u*(hi*hi-lo*lo))
			a, b, ok := c.rayRange(rho)
			if !ok {
				continue
			}
			t := a + v*(b-a)
			p := polar(rho, t)
			score := 2 * math.Max(0, c.clearance(rho, t, lo, hi))
			for _, q := range placed {
				score = math.Min(score, math.Hypot(p.x-q.x, p.y-q.y)-c.d)
			}
			if score >= 0 && score > bestScore {
				best, bestScore = p, score
			}
		}
		if bestScore < 0 {
			return nil, false
		}
		placed = append(placed, best)
	}
	return placed, true
}

// rng is splitmix64: small, fast and the same on every platform and Go
// version.
type rng struct{ s uint64 }

func splitmix(seed uint64) *rng { return &rng{seed} }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func blipSeed(b Blip) uint64 {
	h := fnv.New64a()
	hashString(h, b.Title)
	hashString(h, key(b.Quadrant))
	hashString(h, key(b.Ring))
	return h.Sum64()
}

// textLines is a block of text lines at a position, with its anchor.
type textLines struct {
	x, y   float64 // baseline of the first line
	anchor string
	lines  []string
}

type legendEntry struct {
	blip   int // index into blips
	x, y   float64
	title  string // shortened
	number int
}

type legendLabel struct {
	x, y  float64
	text  string
	class string
}

// radarLayout is everything Radar draws, in picture coordinates.
type radarLayout struct {
	w, h      float64
	cx, cy    float64
	radii     []float64 // outer radius of each ring
	nQ        int
	sw        float64 // sector width, radians
	br        float64 // blip radius
	quad      []int   // per blip: quadrant index, -1 when skipped
	ring      []int
	number    []int    // per blip: its number, 0 when skipped
	order     []int    // drawn blips in number order
	pos       []Circle // per blip
	skipped   int
	qLabels   []textLines
	rLabels   []string
	rGutter   float64 // half width kept free around the 12 o'clock ray
	titleY    float64
	keyY      float64 // baseline of the key of marks
	legend    []legendEntry
	legLabels []legendLabel
}

func label(labels []string, i int, name string) string {
	if i < len(labels) && strings.TrimSpace(labels[i]) != "" {
		return strings.TrimSpace(labels[i])
	}
	return humanize(name)
}

// discRadius fits the widest number, bold at numFont, inside a blip's
// disc; markGap is the room around the disc for the ring marks, so the
// footprint of every blip is discRadius + markGap.
func discRadius(count int) float64 {
	w := textWidth(strconv.Itoa(max(count, 1)), numFont, true)
	return math.Max(7, w/2+1.2)
}

const markGap = 3.2

// layoutRadar lays the radar out in five steps: blips numbered, bands
// sized, quadrant labels placed around the circle (which fixes the
// centre), blips placed cell by cell, and the key and legend below.
func layoutRadar(opts RadarOptions, blips []Blip) *radarLayout {
	L := numberBlips(opts, blips)
	if L.nQ == 0 || len(opts.Rings) == 0 {
		L.w, L.h = 640, 80
		L.titleY = radarPad + 15
		return L
	}
	L.sizeBands(opts)
	bottom := L.placeQuadrantLabels(opts)
	byCell := L.byCell()
	L.placeBlips(blips, byCell)
	L.layoutLegend(opts, blips, byCell, bottom+30)
	return L
}

// numberBlips finds each blip's quadrant and ring, skipping those that
// name none, and numbers the rest by quadrant, ring, then title, so the
// legend reads in order.
func numberBlips(opts RadarOptions, blips []Blip) *radarLayout {
	L := &radarLayout{
		nQ:     len(opts.Quadrants),
		quad:   make([]int, len(blips)),
		ring:   make([]int, len(blips)),
		number: make([]int, len(blips)),
		pos:    make([]Circle, len(blips)),
	}
	qIndex := map[string]int{}
	for i, q := range opts.Quadrants {
		if _, dup := qIndex[key(q)]; !dup {
			qIndex[key(q)] = i
		}
	}
	rIndex := map[string]int{}
	for i, r := range opts.Rings {
		if _, dup := rIndex[key(r)]; !dup {
			rIndex[key(r)] = i
		}
	}
	for i, b := range blips {
		q, okQ := qIndex[key(b.Quadrant)]
		r, okR := rIndex[key(b.Ring)]
		if !okQ || !okR {
			L.quad[i], L.ring[i] = -1, -1
			L.skipped++
			continue
		}
		L.quad[i], L.ring[i] = q, r
		L.order = append(L.order, i)
	}
	sort.SliceStable(L.order, func(a, b int) bool {
		i, j := L.order[a], L.order[b]
		if L.quad[i] != L.quad[j] {
			return L.quad[i] < L.quad[j]
		}
		if L.ring[i] != L.ring[j] {
			return L.ring[i] < L.ring[j]
		}
		ti, tj := strings.ToLower(blips[i].Title), strings.ToLower(blips[j].Title)
		if ti != tj {
			return ti < tj
		}
		return i < j
	})
	for n, i := range L.order {
		L.number[i] = n + 1
	}
	return L
}

// sizeBands sizes the blips, the ring labels on the 12 o'clock ray and the
// bands, innermost first: each band is widened until every cell in it has
// room for its blips.
func (L *radarLayout) sizeBands(opts RadarOptions) {
	nR := len(opts.Rings)
	L.br = discRadius(len(L.order)) + markGap
	L.sw = 2 * math.Pi / float64(L.nQ)
	for i := range nR {
		L.rLabels = append(L.rLabels, fit(strings.ToUpper(label(opts.RingLabels, i, opts.Rings[i])), rLabelMax, rFont, true))
	}
	widest := 0.0
	for _, s := range L.rLabels {
		widest = math.Max(widest, ringLabelWidth(s))
	}
	L.rGutter = widest/2 + 3

	counts := make([][]int, nR) // [ring][quadrant]
	for r := range counts {
		counts[r] = make([]int, L.nQ)
	}
	for _, i := range L.order {
		counts[L.ring[i]][L.quad[i]]++
	}
	share := func(j int) float64 { return math.Pow(float64(j)/float64(nR), 0.75) }
	minBand := 2*(L.br+gapRing) + 2
	r0 := 0.0
	for j := range nR {
		w := math.Max(radarBase*(share(j+1)-share(j)), minBand)
		for !L.bandFits(counts[j], r0, r0+w) {
			w = w*1.04 + 1
		}
		r0 += w
		L.radii = append(L.radii, r0)
	}
}

// placeQuadrantLabels places the quadrant labels around the circle, which
// decides the picture's width and where its centre is; it returns the
// bottom of the circle and its labels.
func (L *radarLayout) placeQuadrantLabels(opts RadarOptions) (bottom float64) {
	R := L.radii[len(L.radii)-1]
	minX, maxX, minY, maxY := -R, R, -R, R
	for q := range L.nQ {
		phi := -math.Pi/2 + (float64(q)+0.5)*L.sw
		c, s := math.Cos(phi), math.Sin(phi)
		px, py := (R+12)*c, (R+12)*s
		tl := textLines{anchor: "middle", lines: wrap(label(opts.QuadrantLabels, q, opts.Quadrants[q]), qWrap, qFont, true, 3)}
		wid := 0.0
		for _, l := range tl.lines {
			wid = math.Max(wid, textWidth(l, qFont, true))
		}
		x0 := px - wid/2
		switch {
		case c > 0.2:
			tl.anchor, x0 = "start", px
		case c < -0.2:
			tl.anchor, x0 = "end", px-wid
		}
		hb := float64(len(tl.lines)) * qLine
		y0 := py - hb/2
		switch {
		case s < -0.2:
			y0 = py - hb
		case s > 0.2:
			y0 = py
		}
		tl.x, tl.y = px, y0+13
		L.qLabels = append(L.qLabels, tl)
		minX, maxX = math.Min(minX, x0), math.Max(maxX, x0+wid)
		minY, maxY = math.Min(minY, y0), math.Max(maxY, y0+hb)
	}
	half := math.Max(-minX, maxX)
	L.w = math.Ceil(math.Max(2*half+2*radarPad, 640))
	L.cx = L.w / 2
	top := radarPad
	if opts.Title != "" {
		L.titleY = radarPad + 15
		top += 32
	}
	L.cy = top - minY
	for q := range L.qLabels {
		L.qLabels[q].x += L.cx
		L.qLabels[q].y += L.cy
	}
	return L.cy + maxY
}

// byCell returns the drawn blips of each cell, {quadrant, ring}, in number
// order.
func (L *radarLayout) byCell() map[[2]int][]int {
	byCell := map[[2]int][]int{}
	for _, i := range L.order {
		k := [2]int{L.quad[i], L.ring[i]}
		byCell[k] = append(byCell[k], i)
	}
	return byCell
}

// placeBlips places the blips cell by cell: scattered when the cell is
// sparse, else (or when the scatter fails) on its grid.
func (L *radarLayout) placeBlips(blips []Blip, byCell map[[2]int][]int) {
	for q := range L.nQ {
		for j := range L.radii {
			idx := byCell[[2]int{q, j}]
			if len(idx) == 0 {
				continue
			}
			inner := 0.0
			if j > 0 {
				inner = L.radii[j-1]
			}
			c := L.cell(q, inner, L.radii[j])
			var pts []point
			ok := false
			if 2*len(idx) <= c.capacity() {
				seeds := make([]uint64, len(idx))
				for k, i := range idx {
					seeds[k] = blipSeed(blips[i])
				}
				pts, ok = c.scatter(seeds)
			}
			if !ok {
				pts = c.grid(len(idx))
			}
			for k, i := range idx {
				L.pos[i] = Circle{X: L.cx + pts[k].x, Y: L.cy + pts[k].y, R: L.br}
			}
		}
	}
}

// layoutLegend places the key of marks at y, then the legend in columns,
// one block per quadrant, and sets the picture's height.
func (L *radarLayout) layoutLegend(opts RadarOptions, blips []Blip, byCell map[[2]int][]int, y float64) {
	L.keyY = y
	y += 34
	cols := max(1, min(L.nQ, int((L.w-2*radarPad)/legColMin)))
	colW := (L.w - 2*radarPad) / float64(cols)
	for q0 := 0; q0 < L.nQ; q0 += cols {
		rowH := 0.0
		for q := q0; q < min(q0+cols, L.nQ); q++ {
			x := radarPad + float64(q-q0)*colW
			yy := y
			for _, l := range wrap(label(opts.QuadrantLabels, q, opts.Quadrants[q]), colW-12, qFont, true, 2) {
				L.legLabels = append(L.legLabels, legendLabel{x, yy, l, fmt.Sprintf("qhead q%d", q%len(quadrantColours))})
				yy += qLine
			}
			empty := true
			for j := range L.radii {
				idx := byCell[[2]int{q, j}]
				if len(idx) == 0 {
					continue
				}
				empty = false
				yy += 8
				L.legLabels = append(L.legLabels, legendLabel{x, yy, fit(strings.ToUpper(label(opts.RingLabels, j, opts.Rings[j])), colW-12, rFont, true), "rhead muted"})
				yy += legLine
				for _, i := range idx {
					L.legend = append(L.legend, legendEntry{
						blip: i, x: x, y: yy, number: L.number[i],
						title: fit(blips[i].Title, colW-40, legFont, false),
					})
					yy += legLine
				}
			}
			if empty {
				yy += 4
				L.legLabels = append(L.legLabels, legendLabel{x, yy, "No blips", "muted"})
				yy += legLine
			}
			rowH = math.Max(rowH, yy-y)
		}
		y += rowH + 18
	}
	L.h = math.Ceil(y - 18 + radarPad)
}

// bandFits reports whether every cell of a band between radii r0 and r1
// has room for its count of blips.
func (L *radarLayout) bandFits(counts []int, r0, r1 float64) bool {
	for q, n := range counts {
		if n > 0 && L.cell(q, r0, r1).capacity() < n {
			return false
		}
	}
	return true
}

func ringLabelWidth(s string) float64 {
	return textWidth(s, rFont, true) + 0.05*rFont*float64(len([]rune(s)))
}

// cell returns the cell of quadrant q between radii r0 and r1. The two
// sectors beside the 12 o'clock ray keep clear of the ring labels on it.
func (L *radarLayout) cell(q int, r0, r1 float64) cell {
	c := cell{
		r0: r0, r1: r1,
		t0: -math.Pi/2 + float64(q)*L.sw,
		t1: -math.Pi/2 + float64(q+1)*L.sw,
		mA: L.br + gapRay, mB: L.br + gapRay,
		mR: L.br + gapRing,
		d:  2*L.br + gapBlip,
	}
	gutter := L.br + L.rGutter + 3
	if q == 0 {
		c.mA = math.Max(c.mA, gutter)
	}
	if q == L.nQ-1 {
		c.mB = math.Max(c.mB, gutter)
	}
	return c
}

// BlipPositions returns the centre and radius of every drawn blip, in input
// order, in the coordinates of the picture Radar draws; skipped blips have
// R == 0.
func BlipPositions(opts RadarOptions, blips []Blip) []Circle {
	return layoutRadar(opts, blips).pos
}

// Radar draws a tech radar: rings as concentric bands, quadrants as equal
// sectors, one numbered blip per evaluation linking to its Href with its
// title as tooltip, marks for new blips (a ring around the number) and moved
// ones (a half ring on the side it moved towards), and below it a key of the
// marks and a legend of the numbers and titles per quadrant and ring, also
// linked. Blips whose quadrant or ring is not in opts are left out and
// counted in skipped.
func Radar(opts RadarOptions, blips []Blip) (svg []byte, skipped int) {
	L := layoutRadar(opts, blips)
	w := &svgw{id: idPrefix("hb-radar", opts.ID, func(h hashWriter) {
		hashString(h, opts.Title)
		hashString(h, strings.Join(opts.Quadrants, "\x00"))
		hashString(h, strings.Join(opts.Rings, "\x00"))
		for _, b := range blips {
			hashString(h, b.Title)
			hashString(h, b.Href)
		}
	})}
	nR := len(L.radii)
	desc := fmt.Sprintf("Technology radar with %d blips in %d quadrants (%s) and %d rings (%s).",
		len(L.order), L.nQ, strings.Join(opts.Quadrants, ", "), nR, strings.Join(opts.Rings, ", "))
	title := opts.Title
	if title == "" {
		title = "Technology radar"
	}
	w.open("hb-radar", L.w, L.h, title, desc, radarCSS(nR))
	if opts.Title != "" {
		w.text(radarPad, L.titleY, "title", "", opts.Title)
	}
	if L.nQ == 0 || nR == 0 {
		w.text(radarPad, L.titleY+32, "muted", "", "The radar has no quadrants or no rings.")
		w.close()
		return w.Bytes(), L.skipped
	}
	drawRings(w, L)
	drawBlips(w, L, opts, blips)
	drawKey(w, L)
	drawRadarLegend(w, L, blips)
	w.close()
	return w.Bytes(), L.skipped
}

func radarCSS(nR int) *sheet {
	css := &sheet{scope: "hb-radar"}
	css.base()
	for j := range nR {
		css.rule(fmt.Sprintf(".b%d", j), "fill: "+ramp(bandLight, j, nR), "fill: "+ramp(bandDark, j, nR))
		css.rule(fmt.Sprintf(".rl%d", j), "stroke: "+ramp(bandLight, j, nR), "stroke: "+ramp(bandDark, j, nR))
	}
	css.rule(".line", "stroke: "+colBorder[0]+"; stroke-width: 1; fill: none", "stroke: "+colBorder[1])
	css.rule(".rlabel", "font-size: 11px; font-weight: 600; letter-spacing: 0.05em; fill: "+colMuted[0]+"; paint-order: stroke; stroke-width: 4px; stroke-linejoin: round", "fill: "+colMuted[1])
	css.rule(".qlabel", "font-size: 14px; font-weight: 600", "")
	css.rule(".num", "font-size: 11px; font-weight: 700; fill: #ffffff; pointer-events: none", "fill: #ffffff")
	css.rule(".mark", "fill: none; stroke-width: 1.6", "")
	css.rule("a.hb-blip:hover .dot, a.hb-blip:focus .dot", "stroke: "+colFg[0]+"; stroke-width: 2", "stroke: "+colFg[1])
	css.rule(".key .dot", "fill: #6e7781", "fill: #8c959f")
	css.rule(".key .mark", "stroke: #6e7781", "stroke: #8c959f")
	css.rule(".qhead", "font-size: 14px; font-weight: 600", "")
	css.rule(".rhead", "font-size: 11px; font-weight: 600; letter-spacing: 0.05em", "")
	css.rule(".entry", "font-size: 12px", "")
	css.rule("a.hb-entry:hover .entry", "text-decoration: underline", "")
	css.rule(".n", "font-size: 12px; font-weight: 700", "")
	for k, c := range quadrantColours {
		css.rule(fmt.Sprintf(".q%d .dot", k), "fill: "+c[0], "")
		css.rule(fmt.Sprintf(".q%d .mark", k), "stroke: "+c[0], "stroke: "+c[2])
		css.rule(fmt.Sprintf("text.q%d, .q%d .n", k, k), "fill: "+c[1], "fill: "+c[2])
	}
	return css
}

// drawRings draws the bands, the sector rays, the ring labels and the
// quadrant labels.
func drawRings(w *svgw, L *radarLayout) {
	nR := len(L.radii)
	R := L.radii[nR-1]
	// Bands, outermost first so each inner one covers the middle.
	w.WriteString(`<g class="bands">` + "\n")
	for j := nR - 1; j >= 0; j-- {
		w.printf(`<circle class="b%d" cx="%s" cy="%s" r="%s"/>`+"\n", j, num(L.cx), num(L.cy), num(L.radii[j]))
	}
	for j := range nR {
		w.printf(`<circle class="line" cx="%s" cy="%s" r="%s"/>`+"\n", num(L.cx), num(L.cy), num(L.radii[j]))
	}
	if L.nQ > 1 {
		for q := range L.nQ {
			t := -math.Pi/2 + float64(q)*L.sw
			w.printf(`<line class="line" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(L.cx), num(L.cy), num(L.cx+R*math.Cos(t)), num(L.cy+R*math.Sin(t)))
		}
	}
	w.WriteString("</g>\n")
	// Ring labels on the 12 o'clock ray, with a halo of their band's colour.
	for j := range nR {
		inner := 0.0
		if j > 0 {
			inner = L.radii[j-1]
		}
		w.text(L.cx, L.cy-(inner+L.radii[j])/2+4, fmt.Sprintf("rlabel rl%d", j), `text-anchor="middle"`, L.rLabels[j])
	}
	for q, tl := range L.qLabels {
		w.printf(`<text class="qlabel q%d" x="%s" y="%s" text-anchor="%s">`, q%len(quadrantColours), num(tl.x), num(tl.y), tl.anchor)
		for k, l := range tl.lines {
			dy := "0"
			if k > 0 {
				dy = num(qLine)
			}
			w.printf(`<tspan x="%s" dy="%s">%s</tspan>`, num(tl.x), dy, esc(l))
		}
		w.WriteString("</text>\n")
	}
}

// drawBlips draws every blip, linked, with its number and mark.
func drawBlips(w *svgw, L *radarLayout, opts RadarOptions, blips []Blip) {
	w.WriteString(`<g class="blips">` + "\n")
	for _, i := range L.order {
		b := blips[i]
		c := L.pos[i]
		tip := fmt.Sprintf("%d. %s (%s", L.number[i], strings.TrimSpace(b.Title), label(opts.RingLabels, L.ring[i], opts.Rings[L.ring[i]]))
		switch mark := blipMark(b); mark {
		case "new":
			tip += ", new"
		case "in":
			tip += ", moved in"
		case "out":
			tip += ", moved out"
		}
		tip += ")"
		w.openLink(fmt.Sprintf("hb-blip q%d", L.quad[i]%len(quadrantColours)), b.Href, tip)
		// The direction away from the centre, for the moved marks.
		out := math.Atan2(c.Y-L.cy, c.X-L.cx)
		drawBlip(w, c.X, c.Y, L.br, blipMark(b), out)
		w.printf(`<text class="num" x="%s" y="%s" text-anchor="middle">%d</text>`+"\n", num(c.X), num(c.Y+numFont*0.36), L.number[i])
		w.WriteString("</a>\n")
	}
	w.WriteString("</g>\n")
}

// drawKey draws the key of the marks.
func drawKey(w *svgw, L *radarLayout) {
	w.WriteString(`<g class="key">` + "\n")
	x := radarPad + L.br
	for _, k := range []struct{ mark, text string }{
		{"", "No change"}, {"new", "New"}, {"in", "Moved in"}, {"out", "Moved out"},
	} {
		// The radar is above the key: "in" faces up, "out" down.
		drawBlip(w, x, L.keyY-4, L.br, k.mark, math.Pi/2)
		w.text(x+L.br+6, L.keyY, "muted", "", k.text)
		x += 2*L.br + 6 + textWidth(k.text, 12, false) + 22
	}
	w.WriteString("</g>\n")
}

// drawRadarLegend draws the legend: quadrant and ring headings, and each
// blip's number and title, linked.
func drawRadarLegend(w *svgw, L *radarLayout, blips []Blip) {
	w.WriteString(`<g class="legend">` + "\n")
	for _, l := range L.legLabels {
		w.text(l.x, l.y, l.class, "", l.text)
	}
	for _, e := range L.legend {
		b := blips[e.blip]
		tip := ""
		if e.title != strings.TrimSpace(b.Title) {
			tip = strings.TrimSpace(b.Title)
		}
		w.openLink(fmt.Sprintf("hb-entry q%d", L.quad[e.blip]%len(quadrantColours)), b.Href, tip)
		w.printf(`<text class="n" x="%s" y="%s" text-anchor="end">%d</text>`, num(e.x+24), num(e.y), e.number)
		w.printf(`<text class="entry" x="%s" y="%s">%s</text>`+"\n", num(e.x+30), num(e.y), esc(e.title))
		w.WriteString("</a>\n")
	}
	w.WriteString("</g>\n")
}

func blipMark(b Blip) string {
	switch {
	case b.New:
		return "new"
	case b.Moved < 0:
		return "in"
	case b.Moved > 0:
		return "out"
	}
	return ""
}

// drawBlip draws the disc of a blip of footprint radius r and its mark:
// "new" is a full ring, "in" and "out" a half ring on the side facing the
// centre or facing away from it; out is the direction away from the centre.
func drawBlip(w *svgw, x, y, r float64, mark string, out float64) {
	w.printf(`<circle class="dot" cx="%s" cy="%s" r="%s"/>`+"\n", num(x), num(y), num(r-markGap))
	rr := r - markGap + 1.9
	switch mark {
	case "new":
		w.printf(`<circle class="mark mark-new" cx="%s" cy="%s" r="%s"/>`+"\n", num(x), num(y), num(rr))
	case "in", "out":
		face := out
		if mark == "in" {
			face += math.Pi
		}
		a, b := face-math.Pi/2, face+math.Pi/2
		w.printf(`<path class="mark mark-%s" d="M%s %sA%s %s 0 0 1 %s %s"/>`+"\n", mark,
			num(x+rr*math.Cos(a)), num(y+rr*math.Sin(a)), num(rr), num(rr), num(x+rr*math.Cos(b)), num(y+rr*math.Sin(b)))
	}
}
