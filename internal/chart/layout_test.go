package chart

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Tests of the layout functions alone, on the positions they return,
// without drawing.

// monthly returns incidents from the month of first on: counts[k] in month
// k, with severities in turn from sev (and one "other" in every third
// month), dated on the 3rd.
func monthly(first time.Time, counts []int) []Incident {
	var out []Incident
	for k, n := range counts {
		for j := range n {
			sev := sampleSeverities[(k+j)%len(sampleSeverities)]
			if j == 0 && k%3 == 2 {
				sev = "critical"
			}
			out = append(out, Incident{
				Title: fmt.Sprintf("Incident %d.%d", k, j), Href: fmt.Sprintf("/pm/%d-%d/", k, j), Severity: sev,
				Date: time.Date(first.Year(), first.Month()+time.Month(k), 3, 12, j, 0, 0, time.UTC),
			})
		}
	}
	return out
}

// cycle returns n counts going round values.
func cycle(n int, values ...int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = values[i%len(values)]
	}
	return out
}

// overlaps reports the first pair of labels on one baseline, centred at
// their x, whose text at px pixels would overlap.
func overlaps(labels []textAt, px float64) string {
	rows := map[float64][]textAt{}
	for _, l := range labels {
		rows[l.y] = append(rows[l.y], l)
	}
	for _, row := range rows {
		slices.SortFunc(row, func(a, b textAt) int { return cmp.Compare(a.x, b.x) })
		for k := 1; k < len(row); k++ {
			a, b := row[k-1], row[k]
			if b.x-a.x < (textWidth(a.text, px, false)+textWidth(b.text, px, false))/2 {
				return fmt.Sprintf("%q at x=%v and %q at x=%v", a.text, a.x, b.text, b.x)
			}
		}
	}
	return ""
}

func TestLayoutPerMonth(t *testing.T) {
	jan := time.Date(2024, time.January, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name      string
		incidents []Incident
		counts    []int // incidents per month from the first, when known
	}{
		{"sample", sampleIncidents(), []int{3, 0, 3, 0, 1, 1}},
		{"one", monthly(jan, []int{1}), []int{1}},
		{"year", monthly(jan, []int{1, 0, 4, 2, 0, 0, 7, 1, 3, 0, 2, 5}), nil},
		{"from March", monthly(jan.AddDate(0, 2, 0), cycle(14, 2, 0, 1, 5)), nil},
		{"two years", monthly(jan, cycle(24, 2, 1)), nil},
		{"thirty months", monthly(jan, cycle(30, 1, 0)), nil},
		{"three years", monthly(jan, cycle(36, 1)), nil},
		{"six years", monthly(jan, cycle(72, 1, 3, 0, 2)), nil},
		{"twenty years", monthly(jan, cycle(240, 1, 0, 2)), nil},
		{"tall", monthly(jan, []int{40, 3, 0, 17}), nil},
		{"undated only", []Incident{{Title: "No date", Severity: "SEV-1"}}, []int{}},
		{"none", nil, []int{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			L := layoutPerMonth(Options{Title: "Incidents"}, sampleSeverities, c.incidents)
			want := c.counts
			if want == nil {
				want = countsPerMonth(c.incidents)
			}
			if len(L.bars) != len(want) {
				t.Fatalf("%d bars, want %d", len(L.bars), len(want))
			}
			if (L.empty.text != "") != (len(want) == 0) {
				t.Errorf("empty note %q with %d bars", L.empty.text, len(want))
			}
			undated := 0
			for _, in := range c.incidents {
				if in.Date.IsZero() {
					undated++
				}
			}
			if (L.note.text != "") != (undated > 0) || undated > 0 && !strings.HasPrefix(L.note.text, strconv.Itoa(undated)+" ") {
				t.Errorf("note %q with %d undated incidents", L.note.text, undated)
			}
			// Bar heights are proportional to counts: every segment is one
			// unit high, stacked from the axis without gaps.
			unit := math.NaN()
			most := 0
			for k, b := range L.bars {
				if len(b.segs) != want[k] {
					t.Errorf("bar %d has %d segments, want %d", k, len(b.segs), want[k])
				}
				most = max(most, len(b.segs))
				bottom := L.plotBottom
				for j, s := range b.segs {
					if math.IsNaN(unit) {
						unit = s.h
					}
					if math.Abs(s.h-unit) > 1e-9 || math.Abs(s.y+s.h-bottom) > 1e-9 {
						t.Errorf("bar %d segment %d spans %v..%v, want %v high ending at %v", k, j, s.y, s.y+s.h, unit, bottom)
					}
					if j > 0 && s.sev < b.segs[j-1].sev {
						t.Errorf("bar %d: segment %d is more severe than the one under it", k, j)
					}
					bottom = s.y
				}
				if k > 0 && b.x < L.bars[k-1].x+L.bars[k-1].w {
					t.Errorf("bar %d overlaps bar %d", k, k-1)
				}
				if b.x < L.left || b.x+b.w > incWidth-incPad {
					t.Errorf("bar %d (%v..%v) is outside the plot", k, b.x, b.x+b.w)
				}
				if b.count.text != "" && b.count.text != strconv.Itoa(len(b.segs)) {
					t.Errorf("bar %d of %d is labelled %q", k, len(b.segs), b.count.text)
				}
			}
			// Integer ticks, evenly spaced from 0 at the axis to at least
			// the highest bar.
			if len(L.yTicks) < 2 || L.yTicks[0].label != "0" || L.yTicks[0].y != L.plotBottom || !L.yTicks[0].axis {
				t.Fatalf("y ticks %+v do not start with 0 at the axis", L.yTicks)
			}
			step, _ := strconv.Atoi(L.yTicks[1].label)
			for k, tk := range L.yTicks {
				if n, err := strconv.Atoi(tk.label); err != nil || n != k*step {
					t.Errorf("tick %d is %q, want %d", k, tk.label, k*step)
				}
				if k > 1 && math.Abs((L.yTicks[k-1].y-tk.y)-(L.yTicks[0].y-L.yTicks[1].y)) > 1e-9 {
					t.Errorf("tick %d is not evenly spaced", k)
				}
			}
			top := L.yTicks[len(L.yTicks)-1]
			if n, _ := strconv.Atoi(top.label); n < most {
				t.Errorf("top tick %s is under the highest bar, %d", top.label, most)
			}
			for _, it := range L.legend {
				if it.y+6 > top.y {
					t.Errorf("legend entry %q at y=%v runs into the plot, which starts at %v", it.text, it.y, top.y)
				}
			}
			var xl []textAt
			for _, l := range L.xLabels {
				xl = append(xl, l.textAt)
			}
			if len(L.bars) > 0 && len(xl) == 0 {
				t.Errorf("no month or year labels")
			}
			if o := overlaps(xl, 11); o != "" {
				t.Errorf("x labels overlap: %s", o)
			}
		})
	}
}

// countsPerMonth counts the dated incidents per month from the first
// month to the last.
func countsPerMonth(incidents []Incident) []int {
	first, last := math.MaxInt, math.MinInt
	n := map[int]int{}
	for _, in := range incidents {
		if in.Date.IsZero() {
			continue
		}
		m := monthIndex(in.Date)
		n[m]++
		first, last = min(first, m), max(last, m)
	}
	var out []int
	for m := first; m <= last; m++ {
		out = append(out, n[m])
	}
	return out
}

func TestLayoutTimes(t *testing.T) {
	for _, c := range []struct {
		name      string
		incidents []Incident
		log       bool
	}{
		{"sample", sampleIncidents(), true},
		{"linear", linearIncidents(), false},
		{"many", manyIncidents(60, 24), true},
		{"unknown durations", []Incident{{Title: "A", Href: "/a/"}, {Title: "B", Href: "/b/", Date: date("2024-01-01")}}, false},
		{"none", nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			L := layoutTimes(Options{}, c.incidents)
			if (L.scaleNote.text != "") != c.log {
				t.Errorf("scale note %q, want logarithmic = %v", L.scaleNote.text, c.log)
			}
			if (L.empty.text != "") != (len(c.incidents) == 0) {
				t.Errorf("empty note %q with %d incidents", L.empty.text, len(c.incidents))
			}
			if len(L.rows) != len(c.incidents) {
				t.Fatalf("%d rows, want %d", len(L.rows), len(c.incidents))
			}
			byHref := map[string]Incident{}
			for _, in := range c.incidents {
				byHref[in.Href] = in
			}
			type bar struct {
				d time.Duration
				w float64
			}
			var bars []bar
			for k, r := range L.rows {
				in := byHref[r.href]
				if k == 0 && r.y < L.axisTop || k > 0 && r.y-L.rows[k-1].y < timesRowH {
					t.Errorf("row %d at y=%v overlaps the one above", k, r.y)
				}
				if k > 0 {
					prev := byHref[L.rows[k-1].href].Date
					if prev.IsZero() && !in.Date.IsZero() || !in.Date.IsZero() && in.Date.Before(prev) {
						t.Errorf("row %d (%v) is after row %d (%v)", k, in.Date, k-1, prev)
					}
				}
				if w := textWidth(r.name, 12, false); w > timesLabelW-12 {
					t.Errorf("row %d: name %q is %vpx wide", k, r.name, w)
				}
				known := 0
				for _, d := range []time.Duration{in.TTD, in.TTR} {
					if d > 0 {
						known++
					}
				}
				if len(r.bars) != known {
					t.Errorf("row %d has %d bars, want %d", k, len(r.bars), known)
				}
				for _, b := range r.bars {
					d := map[string]time.Duration{"ttd": in.TTD, "ttr": in.TTR}[b.class]
					bars = append(bars, bar{d, b.w})
					if b.x != L.left || b.y < r.y || b.y+timesBarH > r.y+timesRowH {
						t.Errorf("row %d: %s bar at (%v, %v) is not in its row from the axis", k, b.class, b.x, b.y)
					}
					if end := b.value.x + textWidth(b.value.text, 11, false); b.value.x < b.x+b.w || end > incWidth-incPad {
						t.Errorf("row %d: value %q (%v..%v) is not after its bar, in the picture", k, b.value.text, b.value.x, end)
					}
					if b.value.text != human(d) {
						t.Errorf("row %d: value %q, want %q", k, b.value.text, human(d))
					}
				}
			}
			if n := len(L.rows); n > 0 && L.rowsBottom != L.rows[n-1].y+timesRowH {
				t.Errorf("rows end at %v, not %v", L.rows[n-1].y+timesRowH, L.rowsBottom)
			}
			// Longer durations have longer bars; on a linear axis, in
			// proportion.
			slices.SortFunc(bars, func(a, b bar) int { return cmp.Compare(a.d, b.d) })
			for k := 1; k < len(bars); k++ {
				if bars[k].d > bars[k-1].d && bars[k].w < bars[k-1].w {
					t.Errorf("%v has a shorter bar (%v) than %v (%v)", bars[k].d, bars[k].w, bars[k-1].d, bars[k-1].w)
				}
				if !c.log && math.Abs(bars[k].w/float64(bars[k].d)/(bars[0].w/float64(bars[0].d))-1) > 0.01 {
					t.Errorf("bar of %v is %v wide, not in proportion", bars[k].d, bars[k].w)
				}
			}
			// Ticks from the axis rightwards, at least 40px apart, their
			// labels clear of each other.
			var labels []textAt
			for k, tk := range L.ticks {
				if tk.x < L.left || tk.x > incWidth-incPad || k > 0 && tk.x-L.ticks[k-1].x < 40 {
					t.Errorf("tick %q at x=%v", tk.label, tk.x)
				}
				labels = append(labels, textAt{tk.x, 0, tk.label})
			}
			if len(L.ticks) < 2 {
				t.Errorf("%d ticks", len(L.ticks))
			}
			if o := overlaps(labels, 11); o != "" {
				t.Errorf("tick labels overlap: %s", o)
			}
		})
	}
}

// radarCases are radars for the tests of the layout steps.
func radarCases() []struct {
	name  string
	opts  RadarOptions
	blips []Blip
} {
	six, sixBlips := sixByThree(7)
	def := RadarOptions{Title: "Radar", Quadrants: []string{"languages", "frameworks", "tools", "platforms"}, Rings: []string{"adopt", "trial", "assess", "hold"}}
	one := RadarOptions{Quadrants: []string{"tools"}, Rings: []string{"adopt", "hold"}}
	return []struct {
		name  string
		opts  RadarOptions
		blips []Blip
	}{
		{"small", def, smallBlips()},
		{"empty", def, nil},
		{"crowded cell", def, crowdBlips(60, "tools", "adopt")},
		{"six by three", six, sixBlips},
		{"one quadrant", one, append(crowdBlips(9, "tools", "hold"), Blip{Title: "Elsewhere", Quadrant: "platforms", Ring: "adopt"})},
		{"long labels", RadarOptions{
			Quadrants: []string{"languages-and-frameworks", "methods-and-patterns", "platforms-and-operations"},
			Rings:     []string{"adopt", "trial"}, RingLabels: []string{"Adopt it everywhere you can", "Trial"},
		}, crowdBlips(5, "methods-and-patterns", "trial")},
	}
}

func TestNumberBlips(t *testing.T) {
	opts := RadarOptions{Quadrants: []string{"tools", "Techniques", "tools"}, Rings: []string{"adopt", "hold"}}
	blips := []Blip{
		{Title: "zeta", Quadrant: "techniques", Ring: "adopt"},
		{Title: "Beta", Quadrant: "tools", Ring: "hold"},
		{Title: "alpha", Quadrant: " TOOLS ", Ring: "hold"},
		{Title: "gamma", Quadrant: "platforms", Ring: "adopt"}, // unknown quadrant
		{Title: "delta", Quadrant: "tools", Ring: "trial"},     // unknown ring
		{Title: "Alpha", Quadrant: "tools", Ring: "adopt"},
		{Title: "alpha", Quadrant: "tools", Ring: "adopt"},
	}
	L := numberBlips(opts, blips)
	// By quadrant (the first of a repeated name), ring, then title without
	// case, then input order.
	if want := []int{5, 4, 3, 0, 0, 1, 2}; !slices.Equal(L.number, want) {
		t.Errorf("numbers %v, want %v", L.number, want)
	}
	if want := []int{5, 6, 2, 1, 0}; !slices.Equal(L.order, want) {
		t.Errorf("order %v, want %v", L.order, want)
	}
	if L.skipped != 2 || L.quad[3] != -1 || L.ring[4] != -1 {
		t.Errorf("skipped %d (quadrant of gamma %d, ring of delta %d), want 2, -1, -1", L.skipped, L.quad[3], L.ring[4])
	}
	if L.quad[2] != 0 || L.ring[0] != 0 || L.quad[0] != 1 {
		t.Errorf("quadrants %v, rings %v", L.quad, L.ring)
	}
}

func TestSizeBands(t *testing.T) {
	for _, c := range radarCases() {
		t.Run(c.name, func(t *testing.T) {
			L := numberBlips(c.opts, c.blips)
			L.sizeBands(c.opts)
			if len(L.radii) != len(c.opts.Rings) || len(L.rLabels) != len(c.opts.Rings) {
				t.Fatalf("%d radii and %d ring labels for %d rings", len(L.radii), len(L.rLabels), len(c.opts.Rings))
			}
			counts := map[[2]int]int{}
			for _, i := range L.order {
				counts[[2]int{L.quad[i], L.ring[i]}]++
			}
			inner := 0.0
			for j, r := range L.radii {
				if r-inner < 2*(L.br+gapRing) {
					t.Errorf("band %d is %v wide, too narrow for a blip", j, r-inner)
				}
				for q := range L.nQ {
					if n, room := counts[[2]int{q, j}], L.cell(q, inner, r).capacity(); n > room {
						t.Errorf("cell %d/%d holds %d blips, has room for %d", q, j, n, room)
					}
				}
				if textWidth(L.rLabels[j], rFont, true) > rLabelMax || L.rGutter < ringLabelWidth(L.rLabels[j])/2 {
					t.Errorf("ring label %q is %vpx wide, with a gutter of %v", L.rLabels[j], ringLabelWidth(L.rLabels[j]), L.rGutter)
				}
				inner = r
			}
			if outer := L.radii[len(L.radii)-1]; c.name == "crowded cell" && outer <= radarBase {
				t.Errorf("a crowded cell left the radar at its base radius %v", outer)
			}
		})
	}
}

func TestPlaceQuadrantLabels(t *testing.T) {
	for _, c := range radarCases() {
		t.Run(c.name, func(t *testing.T) {
			L := numberBlips(c.opts, c.blips)
			L.sizeBands(c.opts)
			bottom := L.placeQuadrantLabels(c.opts)
			R := L.radii[len(L.radii)-1]
			top := radarPad
			if c.opts.Title != "" {
				top += 32
			}
			if L.cx-R < radarPad || L.cx+R > L.w-radarPad || L.cy-R < top || L.cy+R > bottom {
				t.Errorf("circle at (%v, %v) r %v is outside %v x [%v, %v]", L.cx, L.cy, R, L.w, top, bottom)
			}
			if len(L.qLabels) != L.nQ {
				t.Fatalf("%d quadrant labels for %d quadrants", len(L.qLabels), L.nQ)
			}
			for q, tl := range L.qLabels {
				wid := 0.0
				for _, l := range tl.lines {
					wid = math.Max(wid, textWidth(l, qFont, true))
				}
				x0 := map[string]float64{"start": tl.x, "middle": tl.x - wid/2, "end": tl.x - wid}[tl.anchor]
				y0, y1 := tl.y-13, tl.y-13+float64(len(tl.lines))*qLine
				if x0 < radarPad-1e-9 || x0+wid > L.w-radarPad+1e-9 || y0 < top-1e-9 || y1 > bottom+1e-9 {
					t.Errorf("label %d %q (%v..%v, %v..%v) is outside the picture", q, tl.lines, x0, x0+wid, y0, y1)
				}
				// Outside the circle: the box's nearest point is at least R
				// from the centre.
				nx, ny := math.Max(x0, math.Min(L.cx, x0+wid)), math.Max(y0, math.Min(L.cy, y1))
				if d := math.Hypot(nx-L.cx, ny-L.cy); d < R {
					t.Errorf("label %d %q is %v from the centre, inside the radar (r %v)", q, tl.lines, d, R)
				}
			}
		})
	}
}

func TestPlaceBlips(t *testing.T) {
	for _, c := range radarCases() {
		t.Run(c.name, func(t *testing.T) {
			L := numberBlips(c.opts, c.blips)
			L.sizeBands(c.opts)
			L.placeQuadrantLabels(c.opts)
			L.placeBlips(c.blips, L.byCell())
			for _, i := range L.order {
				p := L.pos[i]
				rho, inner := math.Hypot(p.X-L.cx, p.Y-L.cy), 0.0
				if j := L.ring[i]; j > 0 {
					inner = L.radii[j-1]
				}
				if p.R != L.br || rho-p.R < inner-1e-6 || rho+p.R > L.radii[L.ring[i]]+1e-6 {
					t.Errorf("blip %d at %v from the centre is outside its band %v..%v", i, rho, inner, L.radii[L.ring[i]])
				}
				for _, k := range L.order {
					if q := L.pos[k]; k < i && math.Hypot(p.X-q.X, p.Y-q.Y) < p.R+q.R-1e-6 {
						t.Errorf("blips %d and %d overlap", k, i)
					}
				}
			}
		})
	}
}

func TestLayoutLegend(t *testing.T) {
	for _, c := range radarCases() {
		t.Run(c.name, func(t *testing.T) {
			L := layoutRadar(c.opts, c.blips)
			if L.keyY <= L.cy+L.radii[len(L.radii)-1] {
				t.Errorf("the key at %v is not under the radar", L.keyY)
			}
			if len(L.legend) != len(L.order) {
				t.Fatalf("%d legend entries for %d blips", len(L.legend), len(L.order))
			}
			// Entries in number order; in a column, each a line under the
			// one before; all inside the picture.
			for k, e := range L.legend {
				if e.number != k+1 || e.blip != L.order[k] {
					t.Errorf("entry %d is blip %d numbered %d", k, e.blip, e.number)
				}
				if e.x < radarPad || e.y <= L.keyY || e.y > L.h-radarPad {
					t.Errorf("entry %d at (%v, %v) is outside the legend", k, e.x, e.y)
				}
				if k > 0 && e.x == L.legend[k-1].x && e.y < L.legend[k-1].y+legLine {
					t.Errorf("entry %d overlaps entry %d", k, k-1)
				}
			}
			// Headings and entries of a column are a line apart or more.
			columns := map[float64][]float64{} // x: baselines
			for _, l := range L.legLabels {
				columns[l.x] = append(columns[l.x], l.y)
			}
			for _, e := range L.legend {
				columns[e.x] = append(columns[e.x], e.y)
			}
			for x, ys := range columns {
				slices.Sort(ys)
				for k := 1; k < len(ys); k++ {
					if ys[k]-ys[k-1] < legLine-1e-9 {
						t.Errorf("column at x=%v: lines at y=%v and %v", x, ys[k-1], ys[k])
					}
				}
				if ys[len(ys)-1] > L.h-radarPad {
					t.Errorf("column at x=%v ends at %v, below the picture (%v)", x, ys[len(ys)-1], L.h)
				}
			}
		})
	}
}
