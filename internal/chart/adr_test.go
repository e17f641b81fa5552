package chart

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func sampleADRs() []ADRNode {
	return []ADRNode{
		{Label: "ADR-0001", Title: "Record architecture decisions", Href: "/adr/0001/", Status: "accepted", Date: date("2023-01-10")},
		{Label: "ADR-0002", Title: "Use Markdown with YAML front matter", Href: "/adr/0002/", Status: "accepted", Date: date("2023-01-12")},
		{Label: "ADR-0003", Title: "Use blackfriday for Markdown", Href: "/adr/0003/", Status: "superseded", Date: date("2023-02-01")},
		{Label: "ADR-0004", Title: "Use goldmark for Markdown", Href: "/adr/0004/", Status: "accepted", Date: date("2023-06-20"), Supersedes: []int{2}},
		{Label: "ADR-0005", Title: "Search index in the browser", Href: "/adr/0005/", Status: "proposed", Date: date("2023-06-21")},
		{Label: "ADR-0006", Title: "Server-side search", Href: "/adr/0006/", Status: "rejected", Date: date("2023-06-21")},
		{Label: "ADR-0007", Title: "One binary, no plugins", Href: "/adr/0007/", Status: "Accepted", Date: date("2023-09-03")},
		{Label: "ADR-0008", Title: "Watch files with polling", Href: "/adr/0008/", Status: "superseded", Date: date("2023-10-15")},
		{Label: "ADR-0009", Title: "Watch files with fsnotify", Href: "/adr/0009/", Status: "accepted", Date: date("2024-02-02"), Supersedes: []int{7, 7, 99, -1, 8}}, // repeats, out of range and itself are ignored
		{Label: "ADR-0010", Title: "Themes as Go templates", Href: "/adr/0010/", Status: "deprecated", Date: date("2024-03-30")},
		{Label: "ADR-0011", Title: "Render once with holes", Href: "/adr/0011/", Status: "draft", Date: date("2024-05-05")},
		{Label: "ADR-0012", Title: "Decide on a logo", Href: "/adr/0012/", Status: "proposed"}, // no date
	}
}

// manyADRs makes n ADRs over the given years, a fifth of them superseding
// an earlier one, and a few undated.
func manyADRs(n, years int) []ADRNode {
	r := rand.New(rand.NewPCG(uint64(n), uint64(years)))
	statuses := []string{"accepted", "accepted", "accepted", "proposed", "rejected", "deprecated", "superseded"}
	start := date("2020-01-01")
	var nodes []ADRNode
	for i := range n {
		nd := ADRNode{
			Label:  fmt.Sprintf("ADR-%04d", i+1),
			Title:  fmt.Sprintf("Decision number %d about something", i+1),
			Href:   fmt.Sprintf("/adr/%04d/", i+1),
			Status: statuses[r.IntN(len(statuses))],
			Date:   start.AddDate(0, 0, i*365*years/n+r.IntN(20)),
		}
		if i%40 == 39 {
			nd.Date = time.Time{}
		}
		if i > 0 && r.IntN(5) == 0 {
			nd.Supersedes = []int{r.IntN(i)}
		}
		nodes = append(nodes, nd)
	}
	return nodes
}

// supersessions counts the distinct valid supersession pairs.
func supersessions(nodes []ADRNode) int {
	n := 0
	for i, nd := range nodes {
		seen := map[int]bool{}
		for _, j := range nd.Supersedes {
			if j >= 0 && j < len(nodes) && j != i && !seen[j] {
				seen[j] = true
				n++
			}
		}
	}
	return n
}

type rect struct{ x, y, w, h float64 }

func (a rect) overlaps(b rect) bool {
	return a.x < b.x+b.w && b.x < a.x+a.w && a.y < b.y+b.h && b.y < a.y+a.h
}

// checkADR checks an ADR graph: common attributes, one linked box per ADR
// and one arrow per supersession, no overlapping boxes, boxes in date order
// from left to right with undated ones last, every box inside the picture,
// arrows ending at the superseded box, and determinism. It returns the
// elements and the boxes by node.
func checkADR(t *testing.T, opts Options, nodes []ADRNode) ([]*elem, []rect) {
	t.Helper()
	svg := ADRGraph(opts, nodes)
	es := checkCommon(t, svg, "hb-adr", opts.ID)
	if !bytes.Equal(svg, ADRGraph(opts, nodes)) {
		t.Errorf("two calls give different output")
	}
	for _, m := range fontSizes(svg) {
		if m < 11 {
			t.Errorf("font-size %vpx is below 11px", m)
		}
	}
	if n := count(es, "a", "hb-node"); n != len(nodes) {
		t.Fatalf("%d ADR links, want %d", n, len(nodes))
	}
	want := supersessions(nodes)
	if n := count(es, "path", "edge"); n != want {
		t.Errorf("%d edges, want %d", n, want)
	}
	if n := count(es, "polygon", "head"); n != want {
		t.Errorf("%d arrowheads, want %d", n, want)
	}
	W, H := attrF(t, es[0], "width"), attrF(t, es[0], "height")
	// Boxes are drawn in date order, so match them to nodes by href.
	byHref := map[string]int{}
	for i, n := range nodes {
		byHref[n.Href] = i
	}
	boxes := make([]rect, len(nodes))
	var link string
	for _, e := range es {
		if e.name == "a" && e.hasClass("hb-node") {
			link = e.attr["href"]
		}
		if e.name == "rect" && e.hasClass("box") && len(e.parents) > 0 && e.parents[len(e.parents)-1] == "a" {
			i, ok := byHref[link]
			if !ok {
				t.Fatalf("box links to %q", link)
			}
			boxes[i] = rect{attrF(t, e, "x"), attrF(t, e, "y"), attrF(t, e, "width"), attrF(t, e, "height")}
		}
	}
	for i, b := range boxes {
		if b.w < 10 || b.h < 10 {
			t.Errorf("box %d is %v", i, b)
		}
		if b.x < 0 || b.y < 0 || b.x+b.w > W || b.y+b.h > H {
			t.Errorf("box %d %v is outside the picture %vx%v", i, b, W, H)
		}
		for j := i + 1; j < len(boxes); j++ {
			if b.overlaps(boxes[j]) {
				t.Errorf("boxes of %s and %s overlap: %v %v", nodes[i].Label, nodes[j].Label, b, boxes[j])
			}
		}
	}
	maxDated := 0.0
	for i, n := range nodes {
		if n.Date.IsZero() {
			continue
		}
		maxDated = math.Max(maxDated, boxes[i].x+boxes[i].w)
		for j, m := range nodes {
			if !m.Date.IsZero() && n.Date.Before(m.Date) && boxes[i].x+boxes[i].w/2 > boxes[j].x+boxes[j].w/2+0.2 {
				t.Errorf("%s (%s) is right of the later %s (%s)", n.Label, n.Date.Format("2006-01-02"), m.Label, m.Date.Format("2006-01-02"))
			}
		}
	}
	for i, n := range nodes {
		if n.Date.IsZero() && boxes[i].x < maxDated {
			t.Errorf("undated %s at x=%v is not after the dated ones (%v)", n.Label, boxes[i].x, maxDated)
		}
	}
	// Every arrowhead's tip is on the side of a superseded box.
	var tips [][2]float64
	for _, e := range es {
		if e.name == "polygon" && e.hasClass("head") {
			var x, y float64
			if _, err := fmt.Sscanf(e.attr["points"], "%g,%g", &x, &y); err != nil {
				t.Fatal(err)
			}
			tips = append(tips, [2]float64{x, y})
		}
	}
	k := 0
	for i, nd := range nodes {
		seen := map[int]bool{}
		for _, j := range nd.Supersedes {
			if j < 0 || j >= len(nodes) || j == i || seen[j] {
				continue
			}
			seen[j] = true
			b, tip := boxes[j], tips[k]
			k++
			onSide := math.Abs(tip[0]-b.x) < 0.2 || math.Abs(tip[0]-b.x-b.w) < 0.2
			if !onSide || math.Abs(tip[1]-(b.y+b.h/2)) > 0.2 {
				t.Errorf("arrow %s→%s ends at %v, not on the side of %v", nd.Label, nodes[j].Label, tip, b)
			}
		}
	}
	return es, boxes
}

func TestADRGraphSample(t *testing.T) {
	nodes := sampleADRs()
	es, boxes := checkADR(t, Options{ID: "adrs", Title: "Decisions"}, nodes)
	// Boxes are coloured by status; with twelve ADRs over a year and a
	// half they show the label only (the title is in the tooltip).
	var texts []string
	classes := map[string]string{}
	for _, e := range es {
		if e.name == "text" && len(e.parents) > 0 && e.parents[len(e.parents)-1] == "a" {
			texts = append(texts, e.text)
		}
		if e.name == "a" && e.hasClass("hb-node") {
			classes[e.attr["href"]] = e.attr["class"]
		}
	}
	if got := strings.Join(texts, "|"); !strings.HasPrefix(got, "ADR-0001|ADR-0002|ADR-0003|ADR-0004|") {
		t.Errorf("box texts %q", got)
	}
	// Fewer ADRs: label and title.
	es, _ = checkADR(t, Options{ID: "six"}, sampleADRs()[3:9])
	texts = nil
	for _, e := range es {
		if e.name == "text" && len(e.parents) > 0 && e.parents[len(e.parents)-1] == "a" {
			texts = append(texts, e.text)
		}
	}
	joined := strings.Join(texts, "|")
	for _, want := range []string{"ADR-0004|Use goldmark for|Markdown|", "|ADR-0008|Watch files with polling|"} {
		if !strings.Contains(joined, want) {
			t.Errorf("box texts %q lack %q", joined, want)
		}
	}
	for href, want := range map[string]string{
		"/adr/0001/": "st-accepted", "/adr/0007/": "st-accepted", "/adr/0003/": "st-superseded",
		"/adr/0005/": "st-proposed", "/adr/0006/": "st-rejected", "/adr/0010/": "st-deprecated", "/adr/0011/": "st-other",
	} {
		if !strings.Contains(classes[href], want) {
			t.Errorf("%s has class %q, want %s", href, classes[href], want)
		}
	}
	// ADR-0005 and ADR-0006 have the same date: separate lanes, same x.
	if boxes[4].x != boxes[5].x || boxes[4].y == boxes[5].y {
		t.Errorf("same-day boxes %v and %v are not stacked", boxes[4], boxes[5])
	}
	svg := string(ADRGraph(Options{ID: "adrs", Title: "Decisions"}, nodes))
	for _, want := range []string{
		`<title>ADR-0004: Use goldmark for Markdown (accepted, 2023-06-20)</title>`,
		`<title>ADR-0012: Decide on a logo (proposed)</title>`,
		`>no date</text>`, `>2023</text>`, `>2024</text>`, `>Jul</text>`,
		`>accepted (5)</text>`, `>other (1)</text>`,
		".hb-adr .st-accepted .box { fill: #dafbe1; stroke: #1a7f37 }",
		".hb-adr .st-superseded .box { fill: #f5eefe; stroke: #8250df }",
		".hb-adr .st-proposed .box { fill: #ddf4ff; stroke: #0969da }",
		".hb-adr .st-rejected .box { fill: #eef1f4; stroke: #6e7781 }",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s", want)
		}
	}
	golden(t, "adr-small.svg", []byte(svg))
}

func TestADRGraphSizes(t *testing.T) {
	for _, c := range []struct {
		n, years int
		label    string // the label of the first ADR as shown
	}{
		{1, 1, "ADR-0001"}, {2, 1, "ADR-0001"}, {60, 3, "ADR-0001"}, {200, 5, "1"}, {250, 1, "1"},
	} {
		t.Run(fmt.Sprint(c.n), func(t *testing.T) {
			nodes := manyADRs(c.n, c.years)
			es, _ := checkADR(t, Options{ID: "many"}, nodes)
			inFirst := false
			for _, e := range es {
				if e.name == "a" {
					inFirst = e.attr["href"] == nodes[0].Href
				}
				if inFirst && e.name == "text" && e.hasClass("lbl") {
					if e.text != c.label {
						t.Errorf("first label %q, want %q", e.text, c.label)
					}
					break
				}
			}
			if h := attrF(t, es[0], "height"); c.n <= 200 && h > 900 {
				t.Errorf("height %v for %d ADRs", h, c.n)
			}
		})
	}
}

func TestADRGraphCrowded(t *testing.T) {
	// Fifty ADRs on one day, and a graph with no dates at all.
	var sameDay, noDates []ADRNode
	for i := range 50 {
		sameDay = append(sameDay, ADRNode{Label: fmt.Sprintf("ADR-%d", i+1), Href: fmt.Sprintf("/a/%d/", i), Status: "accepted", Date: date("2024-04-01")})
		noDates = append(noDates, ADRNode{Label: fmt.Sprintf("ADR-%d", i+1), Href: fmt.Sprintf("/a/%d/", i), Status: "proposed"})
	}
	sameDay[10].Supersedes = []int{3}
	checkADR(t, Options{ID: "day"}, sameDay)
	checkADR(t, Options{ID: "nodate"}, noDates)
	checkADR(t, Options{ID: "empty"}, nil)
}

func TestShortLabel(t *testing.T) {
	for in, want := range map[string]string{"ADR-0007": "7", "0042-use-go": "42", "ADR-0000": "0", "adr": "adr", "": "4", "v2-ADR-12": "12"} {
		if got := shortLabel(in, 3); got != want {
			t.Errorf("shortLabel(%q) = %q, want %q", in, got, want)
		}
	}
}
