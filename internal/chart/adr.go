package chart

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// ADRNode is one architecture decision record in an ADR graph.
type ADRNode struct {
	Label  string // "ADR-0007"
	Title  string
	Href   string
	Status string    // proposed, accepted, rejected, deprecated, superseded (others: grey)
	Date   time.Time // may be zero: such nodes go at the end
	// Supersedes holds indexes into the nodes slice of the ADRs this one
	// supersedes. Indexes out of range, to the node itself or repeated are
	// ignored.
	Supersedes []int
}

// adrStatuses are the statuses with a colour, in legend order; anything
// else is drawn as "other".
var adrStatuses = []string{"proposed", "accepted", "rejected", "deprecated", "superseded"}

// adrStatusColours: box fill, box stroke, text; light then dark.
var adrStatusColours = map[string][2][3]string{
	"proposed":   {{"#ddf4ff", "#0969da", "#0550ae"}, {"#0d2744", "#4493f8", "#79c0ff"}},
	"accepted":   {{"#dafbe1", "#1a7f37", "#116329"}, {"#0f2a1a", "#3fb950", "#56d364"}},
	"rejected":   {{"#eef1f4", "#6e7781", "#424a53"}, {"#262a31", "#8b949e", "#b1bac4"}},
	"deprecated": {{"#eef1f4", "#8c959f", "#59636e"}, {"#22262c", "#6e7681", "#9198a1"}},
	"superseded": {{"#f5eefe", "#8250df", "#6639ba"}, {"#241a38", "#a371f7", "#d2a8ff"}},
	"other":      {{"#f6f8fa", "#afb8c1", "#59636e"}, {"#1e2127", "#484f58", "#9198a1"}},
}

// How ADR boxes are drawn, from the most to the least informative; the
// graph uses the first that keeps it reasonably short.
type adrMode struct {
	name      string
	boxH      float64
	rowH      float64
	maxLanes  int // use this mode only up to this many lanes (0: always)
	maxNodes  int // and up to this many nodes (0: any)
	labelFont float64
}

var adrModes = []adrMode{
	{name: "full", boxH: 50, rowH: 58, maxLanes: 6, maxNodes: 30, labelFont: 12},
	{name: "label", boxH: 22, rowH: 28, maxLanes: 14, labelFont: 12},
	{name: "number", boxH: 20, rowH: 25, labelFont: 11},
}

const (
	adrWidth = 640.0
	adrPad   = 16.0
	adrGap   = 6.0 // between boxes in a lane
)

type adrBox struct {
	x, y, w, h float64  // top left
	label      string   // as shown
	title      []string // lines as shown in full mode
}

// day returns t's calendar date at midnight UTC: dates are placed as
// written, whatever their zone.
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// shortLabel is the number in a label such as "ADR-0007" ("7"), or the
// label itself when it has no digits.
func shortLabel(label string, i int) string {
	end := strings.LastIndexAny(label, "0123456789")
	if end < 0 {
		if strings.TrimSpace(label) == "" {
			return fmt.Sprint(i + 1)
		}
		return label
	}
	start := end
	for start > 0 && label[start-1] >= '0' && label[start-1] <= '9' {
		start--
	}
	n := strings.TrimLeft(label[start:end+1], "0")
	if n == "" {
		n = "0"
	}
	return n
}

func adrStatus(s string) string {
	s = key(s)
	for _, st := range adrStatuses {
		if s == st {
			return s
		}
	}
	return "other"
}

// ADRGraph draws ADRs over time: a time axis from left to right with month
// or year ticks, one linked box per ADR coloured by status (with a legend of
// the colours), and an arrow from each superseding ADR to the one it
// supersedes. ADRs with the same or near dates are stacked in lanes, so
// boxes never overlap; undated ADRs go in a column after the axis. With
// few ADRs the boxes show label and title, with more only the label, and
// with many only the number in the label.
func ADRGraph(opts Options, nodes []ADRNode) []byte {
	w := &svgw{id: idPrefix("hb-adr", opts.ID, func(h hashWriter) {
		hashString(h, opts.Title)
		for _, n := range nodes {
			hashString(h, n.Label)
			hashString(h, n.Title)
			hashString(h, n.Date.String())
		}
	})}
	css := adrCSS()
	title := opts.Title
	if title == "" {
		title = "Architecture decisions over time"
	}
	counts := map[string]int{}
	for _, n := range nodes {
		counts[adrStatus(n.Status)]++
	}
	desc := adrDesc(nodes, counts)

	y := adrPad
	if opts.Title != "" {
		y += 15
	}
	titleY := y
	if opts.Title != "" {
		y += 14
	}
	// Legend of status colours, with counts.
	var legend []legendItem
	for _, st := range adrStatuses {
		legend = append(legend, legendItem{group: "st-" + st, swatch: "box", text: fmt.Sprintf("%s (%d)", st, counts[st])})
	}
	if counts["other"] > 0 {
		legend = append(legend, legendItem{group: "st-other", swatch: "box", text: fmt.Sprintf("other (%d)", counts["other"])})
	}
	legendY := y + 14
	y = flowLegend(legend, adrPad, legendY, adrWidth-adrPad) + 18

	if len(nodes) == 0 {
		h := y + 24 + adrPad
		w.open("hb-adr", adrWidth, h, title, desc, css)
		if opts.Title != "" {
			w.text(adrPad, titleY, "title", "", opts.Title)
		}
		w.text(adrPad, y+8, "muted", "", "No decision records yet.")
		w.close()
		return w.Bytes()
	}
	return drawADR(w, css, opts, nodes, chooseADRLayout(nodes), title, desc, titleY, legend, y)
}

func adrCSS() *sheet {
	css := &sheet{scope: "hb-adr"}
	css.base()
	css.rule(".grid", "stroke: "+colGrid[0]+"; stroke-width: 1", "stroke: "+colGrid[1])
	css.rule(".axis", "stroke: "+colBorder[0]+"; stroke-width: 1", "stroke: "+colBorder[1])
	css.rule(".edge", "fill: none; stroke: #8c6bc8; stroke-width: 1.5; stroke-opacity: 0.8", "stroke: #a58be0")
	css.rule(".head", "fill: #8c6bc8", "fill: #a58be0")
	css.rule(".box", "stroke-width: 1.2", "")
	css.rule(".lbl", "font-weight: 600", "")
	css.rule(".tick", "font-size: 11px", "")
	css.rule("a.hb-node:hover .box, a.hb-node:focus .box", "stroke-width: 2.4", "")
	css.rule("a.hb-node:hover .ttl", "text-decoration: underline", "")
	for _, st := range append(append([]string{}, adrStatuses...), "other") {
		c := adrStatusColours[st]
		css.rule(".st-"+st+" .box", "fill: "+c[0][0]+"; stroke: "+c[0][1], "fill: "+c[1][0]+"; stroke: "+c[1][1])
		css.rule(".st-"+st+" text", "fill: "+c[0][2], "fill: "+c[1][2])
	}
	css.rule(".st-rejected .box", "stroke-dasharray: 4 2", "")
	css.rule(".st-other .box", "stroke-dasharray: 2 2", "")
	return css
}

// adrDesc is the accessible description: the ADRs by status and the
// supersession arrows.
func adrDesc(nodes []ADRNode, counts map[string]int) string {
	edges := 0
	for i, n := range nodes {
		seen := map[int]bool{}
		for _, j := range n.Supersedes {
			if j >= 0 && j < len(nodes) && j != i && !seen[j] {
				seen[j] = true
				edges++
			}
		}
	}
	desc := fmt.Sprintf("Timeline of %d architecture decision records", len(nodes))
	var parts []string
	for _, st := range append(append([]string{}, adrStatuses...), "other") {
		if counts[st] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[st], st))
		}
	}
	if len(parts) > 0 {
		desc += " (" + strings.Join(parts, ", ") + ")"
	}
	return desc + fmt.Sprintf(", with %d supersession arrows.", edges)
}

// chooseADRLayout lays the graph out in the first mode whose layout stays
// short enough.
func chooseADRLayout(nodes []ADRNode) *adrLay {
	var L *adrLay
	for _, m := range adrModes {
		L = layoutADR(nodes, m, 1)
		if len(L.undated) > 0 {
			// Spread undated boxes over as many columns as keep them
			// within the height of the dated ones (at least 6 rows).
			rows := max(L.datedLanes, 6)
			if cols := (len(L.undated) + rows - 1) / rows; cols > 1 {
				L = layoutADR(nodes, m, cols)
			}
		}
		if (m.maxLanes == 0 || L.lanes <= m.maxLanes) && (m.maxNodes == 0 || len(nodes) <= m.maxNodes) {
			break
		}
	}
	return L
}

// adrLay is the layout of an ADR graph in one mode.
type adrLay struct {
	mode           adrMode
	boxes          []adrBox // per node; y is the lane until drawn
	dated, undated []int    // node indexes, dated ones by date
	lanes          int      // rows in the graph
	datedLanes     int
	uCols          int
	maxW           float64 // widest box
	start          time.Time
	months         int     // months on the axis from start
	plotL, plotR   float64 // where the first and the last day of the axis are
	zoneX          float64 // left edge of the undated column, if any
}

func (L *adrLay) x(t time.Time) float64 {
	end := time.Date(L.start.Year(), L.start.Month()+time.Month(L.months), 1, 0, 0, 0, 0, time.UTC)
	return L.plotL + day(t).Sub(L.start).Hours()/end.Sub(L.start).Hours()*(L.plotR-L.plotL)
}

func layoutADR(nodes []ADRNode, m adrMode, uCols int) *adrLay {
	L := &adrLay{mode: m, boxes: make([]adrBox, len(nodes))}
	for i, n := range nodes {
		if n.Date.IsZero() {
			L.undated = append(L.undated, i)
		} else {
			L.dated = append(L.dated, i)
		}
	}
	sort.SliceStable(L.dated, func(a, b int) bool { return day(nodes[L.dated[a]].Date).Before(day(nodes[L.dated[b]].Date)) })
	for i, n := range nodes {
		b := &L.boxes[i]
		switch m.name {
		case "full":
			b.label = fit(n.Label, 140, m.labelFont, true)
			if t := strings.TrimSpace(n.Title); t != "" {
				b.title = wrap(t, 140, 11, false, 2)
			}
			b.w = 152
		case "label":
			b.label = fit(n.Label, 96, m.labelFont, true)
		default:
			b.label = fit(shortLabel(n.Label, i), 60, m.labelFont, true)
		}
		if b.label == "" {
			b.label = fmt.Sprint(i + 1)
		}
		if b.w == 0 {
			b.w = math.Ceil(textWidth(b.label, m.labelFont, true) + 12)
		}
		b.h = m.boxH
		L.maxW = math.Max(L.maxW, b.w)
	}
	zone := 0.0
	if len(L.undated) > 0 {
		// The undated column takes at most half the width when there is a
		// time axis, else all of it.
		room := adrWidth - 2*adrPad - 18
		if len(L.dated) > 0 {
			room /= 2
		}
		L.uCols = max(1, min(uCols, int(room/(L.maxW+adrGap))))
		zone = float64(L.uCols)*(L.maxW+adrGap) + 18
	}
	L.plotL = adrPad + L.maxW/2
	L.plotR = adrWidth - adrPad - L.maxW/2 - zone
	L.zoneX = adrWidth - adrPad - zone + 18
	if len(L.dated) == 0 {
		L.zoneX = adrPad
	}
	if len(L.dated) > 0 {
		first, last := day(nodes[L.dated[0]].Date), day(nodes[L.dated[len(L.dated)-1]].Date)
		L.start = time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC)
		end := time.Date(last.Year(), last.Month()+1, 1, 0, 0, 0, 0, time.UTC)
		L.months = monthIndex(end) - monthIndex(L.start)
	}
	// First-fit lanes, in date order: a box goes in the first lane where
	// it clears the last box.
	var laneEnd []float64
	for _, i := range L.dated {
		b := &L.boxes[i]
		b.x = L.x(nodes[i].Date) - b.w/2
		k := 0
		for k < len(laneEnd) && laneEnd[k]+adrGap > b.x {
			k++
		}
		if k == len(laneEnd) {
			laneEnd = append(laneEnd, 0)
		}
		laneEnd[k] = b.x + b.w
		b.y = float64(k)
	}
	L.datedLanes = len(laneEnd)
	L.lanes = L.datedLanes
	if len(L.undated) > 0 {
		rows := (len(L.undated) + L.uCols - 1) / L.uCols
		for k, i := range L.undated {
			b := &L.boxes[i]
			col, row := k/rows, k%rows
			b.x = L.zoneX + float64(col)*(L.maxW+adrGap)
			b.y = float64(row)
		}
		L.lanes = max(L.lanes, rows)
	}
	return L
}

// tickStep picks the months between labelled ticks so that labels are at
// least 44px apart.
func tickStep(pxPerMonth float64) int {
	for _, s := range []int{1, 3, 6, 12, 24, 60, 120, 240, 600} {
		if pxPerMonth*float64(s) >= 44 {
			return s
		}
	}
	return 1200
}

func drawADR(w *svgw, css *sheet, opts Options, nodes []ADRNode, L *adrLay, title, desc string, titleY float64, legend []legendItem, top float64) []byte {
	m := L.mode
	plotTop := top + 6
	rowY := func(lane float64) float64 { return plotTop + lane*m.rowH + (m.rowH-m.boxH)/2 }
	plotBottom := plotTop + float64(max(L.lanes, 1))*m.rowH
	axisY := plotBottom + 6
	height := axisY + 38 + adrPad
	w.open("hb-adr", adrWidth, height, title, desc, css)
	if opts.Title != "" {
		w.text(adrPad, titleY, "title", "", opts.Title)
	}

	w.legend(legend)

	if len(L.dated) > 0 {
		drawADRAxis(w, L, plotTop, axisY)
	}
	if len(L.undated) > 0 && len(L.dated) > 0 {
		sep := L.zoneX - 10
		w.printf(`<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s" stroke-dasharray="3 3"/>`+"\n", num(sep), num(plotTop), num(sep), num(plotBottom))
		w.text(L.zoneX, plotBottom+22, "tick muted", "", "no date")
	} else if len(L.undated) > 0 {
		w.text(L.zoneX, plotBottom+22, "tick muted", "", "No decision has a date.")
	}

	drawSupersessions(w, nodes, L, rowY)
	drawADRBoxes(w, nodes, L, rowY)
	w.close()
	return w.Bytes()
}

// drawADRAxis draws the time axis: grid lines and labels at the ticks,
// small marks every month.
func drawADRAxis(w *svgw, L *adrLay, plotTop, axisY float64) {
	pxm := (L.plotR - L.plotL) / float64(L.months)
	step := tickStep(pxm)
	w.WriteString(`<g class="time">` + "\n")
	w.printf(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(L.plotL), num(axisY), num(L.plotR), num(axisY))
	m0 := monthIndex(L.start)
	lastYear := -1 << 31
	for k := 0; k <= L.months; k++ {
		mi := m0 + k
		tx := L.plotL + float64(k)*pxm
		labelled := step < 12 && mi%step == 0 || step >= 12 && mi%12 == 0 && monthYear(mi)%(step/12) == 0
		if !labelled {
			if pxm >= 4 || mi%12 == 0 {
				w.printf(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(tx), num(axisY), num(tx), num(axisY+3))
			}
			continue
		}
		w.printf(`<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(tx), num(plotTop), num(tx), num(axisY))
		w.printf(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(tx), num(axisY), num(tx), num(axisY+5))
		if step < 12 {
			w.text(tx, axisY+17, "tick muted", `text-anchor="middle"`, monthName(mi))
			if y := monthYear(mi); y != lastYear {
				w.text(tx, axisY+31, "tick muted", `text-anchor="middle"`, fmt.Sprint(y))
				lastYear = y
			}
		} else {
			w.text(tx, axisY+17, "tick muted", `text-anchor="middle"`, fmt.Sprint(monthYear(mi)))
		}
	}
	w.WriteString("</g>\n")
}

// drawSupersessions draws the edges, under the boxes: from the
// superseding box to the superseded one.
func drawSupersessions(w *svgw, nodes []ADRNode, L *adrLay, rowY func(lane float64) float64) {
	m := L.mode
	w.WriteString(`<g class="edges">` + "\n")
	for i, n := range nodes {
		seen := map[int]bool{}
		for _, j := range n.Supersedes {
			if j < 0 || j >= len(nodes) || j == i || seen[j] {
				continue
			}
			seen[j] = true
			a, b := L.boxes[i], L.boxes[j]
			ay, by := rowY(a.y)+a.h/2, rowY(b.y)+b.h/2
			// Leave from the side of a facing b and arrive at the side of b
			// facing a.
			var sx, ex, dir float64
			if a.x+a.w/2 >= b.x+b.w/2 {
				sx, ex, dir = a.x, b.x+b.w, -1
			} else {
				sx, ex, dir = a.x+a.w, b.x, 1
			}
			dx := math.Max(24, math.Abs(ex-sx)/2)
			c1x, c1y := sx+dir*dx, ay
			c2x, c2y := ex-dir*dx, by
			if math.Abs(ay-by) < 1 && math.Abs(ex-sx) > 2*adrGap+1 {
				// Same lane with boxes between: arc over them.
				c1y -= m.rowH * 0.9
				c2y -= m.rowH * 0.9
			}
			// The arrowhead points along the curve's end tangent; the line
			// stops at its base.
			tx, ty := ex-c2x, by-c2y
			tl := math.Hypot(tx, ty)
			if tl == 0 {
				tx, ty, tl = dir, 0, 1
			}
			tx, ty = tx/tl, ty/tl
			const head, halfW = 7.0, 3.5
			bx, byy := ex-tx*head, by-ty*head
			w.printf(`<path class="edge" d="M%s %sC%s %s %s %s %s %s"/>`+"\n",
				num(sx), num(ay), num(c1x), num(c1y), num(c2x), num(c2y), num(bx), num(byy))
			w.printf(`<polygon class="head" points="%s,%s %s,%s %s,%s"/>`+"\n",
				num(ex), num(by), num(bx-ty*halfW), num(byy+tx*halfW), num(bx+ty*halfW), num(byy-tx*halfW))
		}
	}
	w.WriteString("</g>\n")
}

// drawADRBoxes draws the boxes, in date order (undated last), linked.
func drawADRBoxes(w *svgw, nodes []ADRNode, L *adrLay, rowY func(lane float64) float64) {
	m := L.mode
	w.WriteString(`<g class="nodes">` + "\n")
	for _, i := range append(append([]int{}, L.dated...), L.undated...) {
		n, b := nodes[i], L.boxes[i]
		st := adrStatus(n.Status)
		tip := strings.TrimSpace(n.Label)
		if t := strings.TrimSpace(n.Title); t != "" {
			if tip != "" {
				tip += ": "
			}
			tip += t
		}
		status := key(n.Status)
		if status == "" {
			status = "no status"
		}
		tip += " (" + status
		if !n.Date.IsZero() {
			tip += ", " + day(n.Date).Format("2006-01-02")
		}
		tip += ")"
		by := rowY(b.y)
		w.openLink("hb-node st-"+st, n.Href, tip)
		w.printf(`<rect class="box" x="%s" y="%s" width="%s" height="%s" rx="4"/>`+"\n", num(b.x), num(by), num(b.w), num(b.h))
		if m.name == "full" {
			w.text(b.x+6, by+15, "lbl", "", b.label)
			for k, l := range b.title {
				w.text(b.x+6, by+29+float64(k)*13, "ttl", `style="font-size:11px"`, l)
			}
		} else {
			w.text(b.x+b.w/2, by+b.h/2+m.labelFont*0.36, "lbl", fmt.Sprintf(`text-anchor="middle" style="font-size:%spx"`, num(m.labelFont)), b.label)
		}
		w.WriteString("</a>\n")
	}
	w.WriteString("</g>\n")
}
