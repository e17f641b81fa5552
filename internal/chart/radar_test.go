package chart

import (
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func crowdBlips(n int, quadrant, ring string) []Blip {
	var bs []Blip
	for i := range n {
		bs = append(bs, Blip{Title: fmt.Sprintf("Blip %d", i+1), Href: fmt.Sprintf("/radar/b%d/", i+1), Quadrant: quadrant, Ring: ring})
	}
	return bs
}

// sixByThree is a radar of 6 quadrants and 3 rings with 0 to 24 blips in
// each cell, chosen by seed.
func sixByThree(seed uint64) (RadarOptions, []Blip) {
	r := rand.New(rand.NewPCG(seed, 1))
	opts := RadarOptions{ID: "six", Title: "Six quadrants", Rings: []string{"adopt", "trial", "assess"}}
	var bs []Blip
	for q := range 6 {
		opts.Quadrants = append(opts.Quadrants, fmt.Sprintf("quadrant-%d", q+1))
		for _, ring := range opts.Rings {
			for i := range r.IntN(25) {
				bs = append(bs, Blip{
					Title: fmt.Sprintf("Q%d %s %d", q+1, ring, i), Href: "/x/",
					Quadrant: opts.Quadrants[q], Ring: ring, Moved: r.IntN(3) - 1, New: r.IntN(5) == 0,
				})
			}
		}
	}
	return opts, bs
}

func smallBlips() []Blip {
	return []Blip{
		{Title: "Go", Href: "/radar/go/", Quadrant: "tools", Ring: "adopt"},
		{Title: "Bazel", Href: "/radar/bazel/", Quadrant: "tools", Ring: "hold", Moved: 1},
		{Title: "Earthly", Href: "/radar/earthly/", Quadrant: "tools", Ring: "adopt", New: true},
	}
}

// radarGeometry reads the centre and ring radii back from the drawn
// picture: the ring boundaries are the circles of class "line".
func radarGeometry(t testing.TB, es []*elem) (cx, cy float64, radii []float64) {
	t.Helper()
	for _, e := range es {
		if e.name == "circle" && e.hasClass("line") {
			cx, cy = attrF(t, e, "cx"), attrF(t, e, "cy")
			radii = append(radii, attrF(t, e, "r"))
		}
	}
	sort.Float64s(radii)
	return cx, cy, radii
}

func attrF(t testing.TB, e *elem, name string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(e.attr[name], 64)
	if err != nil {
		t.Fatalf("<%s> %s=%q: %v", e.name, name, e.attr[name], err)
	}
	return v
}

// checkPlacement checks that no two drawn blips overlap and that each lies
// inside its ring band and quadrant sector, using the geometry drawn in
// svg; and that the drawn blips are where BlipPositions says.
func checkPlacement(t testing.TB, opts RadarOptions, blips []Blip, svg []byte) {
	t.Helper()
	es := parseSVG(t, svg)
	cx, cy, radii := radarGeometry(t, es)
	if len(radii) != len(opts.Rings) {
		t.Fatalf("%d ring circles, want %d", len(radii), len(opts.Rings))
	}
	pos := BlipPositions(opts, blips)
	if len(pos) != len(blips) {
		t.Fatalf("%d positions for %d blips", len(pos), len(blips))
	}
	qi := map[string]int{}
	for i, q := range opts.Quadrants {
		qi[strings.ToLower(q)] = i
	}
	ri := map[string]int{}
	for i, r := range opts.Rings {
		ri[strings.ToLower(r)] = i
	}
	nQ := float64(len(opts.Quadrants))
	sw := 2 * math.Pi / nQ
	const eps = 0.11 // coordinates in the SVG are rounded to 0.1
	var drawn []int
	for i, b := range blips {
		c := pos[i]
		q, okQ := qi[strings.ToLower(strings.TrimSpace(b.Quadrant))]
		r, okR := ri[strings.ToLower(strings.TrimSpace(b.Ring))]
		if !okQ || !okR {
			if c.R != 0 {
				t.Errorf("blip %d (%q) is not on the radar but has r=%v", i, b.Title, c.R)
			}
			continue
		}
		drawn = append(drawn, i)
		if c.R < 5 {
			t.Errorf("blip %d radius %v is too small to read", i, c.R)
		}
		dx, dy := c.X-cx, c.Y-cy
		rho := math.Hypot(dx, dy)
		inner := 0.0
		if r > 0 {
			inner = radii[r-1]
		}
		if rho-c.R < inner-eps || rho+c.R > radii[r]+eps {
			t.Errorf("blip %d (%q) at distance %.1f±%.1f leaves ring %d [%.1f, %.1f]", i, b.Title, rho, c.R, r, inner, radii[r])
		}
		if len(opts.Quadrants) > 1 {
			// Angle clockwise from 12 o'clock, in [0, 2π).
			a := math.Mod(math.Atan2(dy, dx)+math.Pi/2+2*math.Pi, 2*math.Pi)
			a0, a1 := float64(q)*sw, float64(q+1)*sw
			if a < a0 || a > a1 {
				t.Errorf("blip %d (%q) at angle %.1f° is outside sector %d [%.1f°, %.1f°]", i, b.Title, a*180/math.Pi, q, a0*180/math.Pi, a1*180/math.Pi)
			}
			for _, edge := range []float64{a - a0, a1 - a} {
				d := rho
				if edge < math.Pi/2 {
					d = rho * math.Sin(edge)
				}
				if d < c.R-eps {
					t.Errorf("blip %d (%q) crosses a boundary of sector %d: %.1f from it, radius %.1f", i, b.Title, q, d, c.R)
				}
			}
		}
	}
	for a := range drawn {
		for b := a + 1; b < len(drawn); b++ {
			p, q := pos[drawn[a]], pos[drawn[b]]
			if d := math.Hypot(p.X-q.X, p.Y-q.Y); d < p.R+q.R+1 {
				t.Errorf("blips %d (%q) and %d (%q) overlap: distance %.2f, radii %.1f and %.1f",
					drawn[a], blips[drawn[a]].Title, drawn[b], blips[drawn[b]].Title, d, p.R, q.R)
			}
		}
	}
	// The drawn discs are centred on the positions, in number order.
	var dots []Circle
	for _, e := range es {
		if e.name == "circle" && e.hasClass("dot") && len(e.parents) > 0 && e.parents[len(e.parents)-1] == "a" {
			dots = append(dots, Circle{attrF(t, e, "cx"), attrF(t, e, "cy"), attrF(t, e, "r")})
		}
	}
	if len(dots) != len(drawn) {
		t.Fatalf("%d blip discs drawn, want %d", len(dots), len(drawn))
	}
	matched := 0
	for _, i := range drawn {
		for _, d := range dots {
			if math.Abs(d.X-pos[i].X) < eps && math.Abs(d.Y-pos[i].Y) < eps && d.R <= pos[i].R {
				matched++
				break
			}
		}
	}
	if matched != len(drawn) {
		t.Errorf("only %d of %d positions have a disc drawn there", matched, len(drawn))
	}
}

// checkRadar checks a radar's output: well-formed, common attributes, one
// linked blip and one legend entry per drawn blip, placement, determinism.
func checkRadar(t *testing.T, opts RadarOptions, blips []Blip) []*elem {
	t.Helper()
	svg, skipped := Radar(opts, blips)
	prefix := opts.ID
	es := checkCommon(t, svg, "hb-radar", prefix)
	drawn := len(blips) - skipped
	if n := count(es, "a", "hb-blip"); n != drawn {
		t.Errorf("%d blip links, want %d", n, drawn)
	}
	if n := count(es, "a", "hb-entry"); n != drawn {
		t.Errorf("%d legend links, want %d", n, drawn)
	}
	checkPlacement(t, opts, blips, svg)
	again, _ := Radar(opts, blips)
	if !bytes.Equal(svg, again) {
		t.Errorf("two calls give different output")
	}
	// Text stays readable: no font smaller than 11px.
	for _, m := range fontSizes(svg) {
		if m < 11 {
			t.Errorf("font-size %vpx is below 11px", m)
		}
	}
	return es
}

// fontSizes lists every font-size in px in svg's CSS and attributes.
func fontSizes(svg []byte) []float64 {
	var out []float64
	s := string(svg)
	for {
		i := strings.Index(s, "font-size")
		if i < 0 {
			return out
		}
		s = s[i+len("font-size"):]
		s = strings.TrimLeft(s, `:=" `)
		j := strings.Index(s, "px")
		if j < 0 {
			return out
		}
		if v, err := strconv.ParseFloat(s[:j], 64); err == nil {
			out = append(out, v)
		}
	}
}

func TestRadarCorpus(t *testing.T) {
	opts, blips := loadRadarCorpus(t)
	if len(blips) < 88 {
		t.Fatalf("read %d blips from %s, want at least 88", len(blips), radarCorpus)
	}
	if len(opts.Quadrants) != 4 || len(opts.Rings) != 4 {
		t.Fatalf("quadrants %q, rings %q", opts.Quadrants, opts.Rings)
	}
	svg, skipped := Radar(opts, blips)
	if skipped != 0 {
		t.Errorf("skipped %d blips", skipped)
	}
	checkRadar(t, opts, blips)
	// The natural width is in the range a page column expects.
	es := parseSVG(t, svg)
	if w := attrF(t, es[0], "width"); w < 640 || w > 820 {
		t.Errorf("width %v, want 640 to 820", w)
	}
}

func TestRadarCrowdedCell(t *testing.T) {
	opts := RadarOptions{ID: "crowd", Quadrants: []string{"a", "b", "c", "d"}, Rings: []string{"adopt", "trial", "assess", "hold"}}
	for _, q := range opts.Quadrants {
		for _, r := range opts.Rings {
			t.Run(q+"-"+r, func(t *testing.T) {
				blips := crowdBlips(100, q, r)
				// And a few neighbours, which must not be disturbed.
				blips = append(blips, crowdBlips(3, "b", "trial")...)
				checkRadar(t, opts, blips)
			})
		}
	}
}

func TestRadarSixQuadrants(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			opts, blips := sixByThree(seed)
			checkRadar(t, opts, blips)
		})
	}
}

func TestRadarShapes(t *testing.T) {
	// Any number of quadrants and rings, including one of each.
	for _, nQ := range []int{1, 2, 3, 5, 8, 12} {
		for _, nR := range []int{1, 2, 7} {
			t.Run(fmt.Sprintf("%dx%d", nQ, nR), func(t *testing.T) {
				opts := RadarOptions{ID: "shape"}
				for q := range nQ {
					opts.Quadrants = append(opts.Quadrants, fmt.Sprintf("Quadrant number %d", q+1))
				}
				for r := range nR {
					opts.Rings = append(opts.Rings, fmt.Sprintf("ring%d", r+1))
				}
				var blips []Blip
				for i := range 60 {
					blips = append(blips, Blip{Title: fmt.Sprint(i), Quadrant: opts.Quadrants[i%nQ], Ring: opts.Rings[(i/nQ)%nR]})
				}
				checkRadar(t, opts, blips)
			})
		}
	}
}

func TestRadarMarks(t *testing.T) {
	opts, blips := sixByThree(3)
	var newN, in, out int
	for _, b := range blips {
		switch {
		case b.New:
			newN++
		case b.Moved < 0:
			in++
		case b.Moved > 0:
			out++
		}
	}
	if newN == 0 || in == 0 || out == 0 {
		t.Fatal("the sample has no new or moved blips")
	}
	es := checkRadar(t, opts, blips)
	inBlips := func(class string) int {
		n := 0
		for _, e := range es {
			if e.hasClass(class) && len(e.parents) > 0 && e.parents[len(e.parents)-1] == "a" {
				n++
			}
		}
		return n
	}
	for class, want := range map[string]int{"mark-new": newN, "mark-in": in, "mark-out": out} {
		if got := inBlips(class); got != want {
			t.Errorf("%d blips marked %s, want %d", got, class, want)
		}
	}
	keyMarks := 0
	for _, e := range es {
		if strings.HasPrefix(e.attr["class"], "mark") && len(e.parents) > 0 && e.parents[len(e.parents)-1] == "g" {
			keyMarks++
		}
	}
	if keyMarks != 3 {
		t.Errorf("key shows %d marks, want 3 (new, moved in, moved out)", keyMarks)
	}
	// The half ring of a blip that moved in faces the centre.
	svg, _ := Radar(opts, blips)
	cx, cy, _ := radarGeometry(t, parseSVG(t, svg))
	pos := BlipPositions(opts, blips)
	var marks []*elem
	for _, e := range es {
		if e.name == "path" && (e.hasClass("mark-in") || e.hasClass("mark-out")) && e.parents[len(e.parents)-1] == "a" {
			marks = append(marks, e)
		}
	}
	k := 0
	for _, n := range numberOrder(opts, blips) {
		b := blips[n]
		if b.New || b.Moved == 0 {
			continue
		}
		var x1, y1, x2, y2, rx, ry float64
		var large, sweep int
		if _, err := fmt.Sscanf(marks[k].attr["d"], "M%g %gA%g %g 0 %d %d %g %g", &x1, &y1, &rx, &ry, &large, &sweep, &x2, &y2); err != nil {
			t.Fatalf("path %q: %v", marks[k].attr["d"], err)
		}
		k++
		// A half circle: its centre is halfway between the ends, and its
		// middle a quarter turn from the start, clockwise on screen when
		// the sweep flag is 1.
		mx, my := (x1+x2)/2, (y1+y2)/2
		mid := math.Atan2(y1-my, x1-mx) + math.Pi/2
		if sweep == 0 {
			mid -= math.Pi
		}
		px, py := mx+rx*math.Cos(mid), my+rx*math.Sin(mid)
		c := pos[n]
		towards := math.Hypot(px-cx, py-cy) < math.Hypot(c.X-cx, c.Y-cy)
		if towards != (b.Moved < 0) {
			t.Errorf("blip %q moved %d but its mark faces %s the centre", b.Title, b.Moved, map[bool]string{true: "towards", false: "away from"}[towards])
		}
	}
}

// numberOrder returns the indexes of the drawn blips in the order they
// are numbered and drawn.
func numberOrder(opts RadarOptions, blips []Blip) []int {
	return layoutRadar(opts, blips).order
}

func TestRadarSkipped(t *testing.T) {
	opts := RadarOptions{ID: "skip", Quadrants: []string{"Tools", "Techniques"}, Rings: []string{"adopt", "hold"}}
	blips := []Blip{
		{Title: "A", Quadrant: "tools", Ring: "Adopt"},      // matched regardless of case
		{Title: "B", Quadrant: "platforms", Ring: "adopt"},  // unknown quadrant
		{Title: "C", Quadrant: "techniques", Ring: "trial"}, // unknown ring
		{Title: "D", Quadrant: " techniques ", Ring: "hold"},
	}
	svg, skipped := Radar(opts, blips)
	if skipped != 2 {
		t.Errorf("skipped = %d, want 2", skipped)
	}
	pos := BlipPositions(opts, blips)
	for i, want := range []bool{true, false, false, true} {
		if (pos[i].R > 0) != want {
			t.Errorf("blip %d drawn = %v, want %v", i, pos[i].R > 0, want)
		}
	}
	es := checkRadar(t, opts, blips)
	if n := count(es, "a", "hb-blip"); n != 2 {
		t.Errorf("%d blips drawn, want 2", n)
	}
	if strings.Contains(string(svg), ">B<") || strings.Contains(string(svg), ">C<") {
		t.Errorf("a skipped blip is in the legend")
	}
	// No quadrants or no rings: every blip is skipped, and the picture is
	// still valid.
	for _, o := range []RadarOptions{{ID: "none"}, {ID: "none", Quadrants: []string{"a"}}} {
		svg, skipped := Radar(o, blips)
		if skipped != len(blips) {
			t.Errorf("%+v: skipped = %d", o, skipped)
		}
		checkCommon(t, svg, "hb-radar", "none")
	}
}

// TestRadarSmall compares a small radar with testdata/radar-small.svg
// (go test -update rewrites it) and checks its structure.
func TestRadarSmall(t *testing.T) {
	opts := RadarOptions{ID: "small", Title: "Small radar", Quadrants: []string{"tools", "languages-and-frameworks"}, Rings: []string{"adopt", "hold"}}
	blips := smallBlips()
	svg, _ := Radar(opts, blips)
	golden(t, "radar-small.svg", svg)
	es := checkRadar(t, opts, blips)

	// Blips are numbered by quadrant, ring and title: Earthly and Go in
	// adopt, then Bazel in hold.
	var links []string
	for _, e := range es {
		if e.name == "a" && e.hasClass("hb-blip") {
			links = append(links, e.attr["href"])
		}
	}
	if want := []string{"/radar/earthly/", "/radar/go/", "/radar/bazel/"}; fmt.Sprint(links) != fmt.Sprint(want) {
		t.Errorf("blip links %v, want %v", links, want)
	}
	var tips, nums, entries, heads []string
	for _, e := range es {
		parent := ""
		if len(e.parents) > 0 {
			parent = e.parents[len(e.parents)-1]
		}
		switch {
		case e.name == "title" && parent == "a":
			tips = append(tips, e.text)
		case e.name == "text" && e.hasClass("num"):
			nums = append(nums, e.text)
		case e.name == "text" && e.hasClass("entry"):
			entries = append(entries, e.text)
		case e.name == "tspan":
			heads = append(heads, e.text)
		}
	}
	for _, c := range []struct {
		name      string
		got, want []string
	}{
		{"tooltips", tips, []string{"1. Earthly (Adopt, new)", "2. Go (Adopt)", "3. Bazel (Hold, moved out)"}},
		{"numbers", nums, []string{"1", "2", "3"}},
		{"legend", entries, []string{"Earthly", "Go", "Bazel"}},
		{"quadrant labels", heads, []string{"Tools", "Languages and frameworks"}},
	} {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	s := string(svg)
	for _, want := range []string{">ADOPT</text>", ">HOLD</text>", ">No blips</text>", `class="mark mark-new"`, `class="mark mark-out"`, `<title id="small-title">Small radar</title>`} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %s", want)
		}
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (go test -update rewrites it):\n%s", path, lineDiff(string(want), string(got)))
	}
}

// lineDiff shows the first lines where want and got differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
			shown++
		}
	}
	return b.String()
}

func TestRadarIDs(t *testing.T) {
	// Two radars on one page with different ids share no id; without an
	// id, different radars get different ids.
	opts, blips := sixByThree(1)
	a, _ := Radar(RadarOptions{ID: "one", Quadrants: opts.Quadrants, Rings: opts.Rings}, blips)
	b, _ := Radar(RadarOptions{ID: "two", Quadrants: opts.Quadrants, Rings: opts.Rings}, blips)
	ids := map[string]bool{}
	for _, svg := range [][]byte{a, b} {
		for _, e := range parseSVG(t, svg) {
			if id, ok := e.attr["id"]; ok {
				if ids[id] {
					t.Errorf("id %q in both pictures", id)
				}
				ids[id] = true
			}
		}
	}
	c, _ := Radar(RadarOptions{Quadrants: opts.Quadrants, Rings: opts.Rings}, blips)
	d, _ := Radar(RadarOptions{Quadrants: opts.Quadrants, Rings: opts.Rings}, blips[1:])
	ic, id := parseSVG(t, c)[0].attr["id"], parseSVG(t, d)[0].attr["id"]
	if ic == id || !strings.HasPrefix(ic, "hb-radar-") {
		t.Errorf("derived ids %q and %q", ic, id)
	}
	checkCommon(t, c, "hb-radar", ic)
	// Ids are sanitized.
	e, _ := Radar(RadarOptions{ID: `9 "x"<`, Quadrants: opts.Quadrants, Rings: opts.Rings}, blips)
	checkCommon(t, e, "hb-radar", "hb-9--x--")
}

func FuzzRadarPositions(f *testing.F) {
	f.Add(uint8(100), uint8(4), uint8(4), uint64(1), uint8(0))
	f.Add(uint8(200), uint8(1), uint8(1), uint64(2), uint8(255))
	f.Add(uint8(150), uint8(6), uint8(3), uint64(3), uint8(7))
	f.Add(uint8(30), uint8(12), uint8(8), uint64(4), uint8(2))
	f.Fuzz(func(t *testing.T, n, nQ, nR uint8, seed uint64, skew uint8) {
		nq, nr := int(nQ%12)+1, int(nR%8)+1
		opts := RadarOptions{ID: "fuzz"}
		for q := range nq {
			opts.Quadrants = append(opts.Quadrants, fmt.Sprintf("q%d", q))
		}
		for r := range nr {
			opts.Rings = append(opts.Rings, fmt.Sprintf("r%d", r))
		}
		rnd := rand.New(rand.NewPCG(seed, 2))
		var blips []Blip
		for i := range int(n) % 201 {
			q, r := rnd.IntN(nq), rnd.IntN(nr)
			if rnd.IntN(256) < int(skew) { // crowd the first cell
				q, r = 0, 0
			}
			blips = append(blips, Blip{Title: fmt.Sprintf("%x", rnd.Uint32()%uint32(i+1)), Quadrant: opts.Quadrants[q], Ring: opts.Rings[r]})
		}
		svg, skipped := Radar(opts, blips)
		if skipped != 0 {
			t.Fatalf("skipped %d", skipped)
		}
		checkPlacement(t, opts, blips, svg)
	})
}
