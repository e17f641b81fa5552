package chart

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Incident is one incident, from a postmortem.
type Incident struct {
	Title    string
	Href     string
	Severity string // one of the severities given, else counted as "other"
	Date     time.Time
	// TTD and TTR are the time to detect and the time to resolve; 0 means
	// unknown, and nothing is drawn for it.
	TTD, TTR time.Duration
}

const (
	incWidth = 640.0
	incPad   = 16.0
)

// Severity colours, most severe first; a scale of any length is spread
// over them. "other" is grey.
var (
	sevLight   = []string{"#82071e", "#cf222e", "#e0661b", "#bf8700", "#9a8a5a"}
	sevDark    = []string{"#ff5a52", "#f0883e", "#e3b341", "#a6915a", "#7a7060"}
	otherLight = "#8c959f"
	otherDark  = "#6e7681"
)

// niceStep returns a step of 1, 2 or 5 times a power of ten such that
// max/step is at most n.
func niceStep(max float64, n int) float64 {
	if max <= 0 {
		return 1
	}
	step := 1.0
	for {
		for _, m := range []float64{1, 2, 5} {
			if max/(step*m) <= float64(n) {
				return step * m
			}
		}
		step *= 10
	}
}

// IncidentsPerMonth draws a stacked bar chart of incidents per calendar
// month, from the month of the first incident to that of the last (months
// with none included, as empty bars). Each bar stacks the month's incidents
// by severity, most severe at the bottom; severities are in the order given,
// most severe first, with the strongest red for the first; any other
// severity is counted as "other", in grey. Every incident is its own
// segment, linked to its Href with a tooltip. A legend, month labels
// (thinned when there are many months) and a y axis with integer ticks go
// with it. Months are taken from each date as written, whatever its zone;
// incidents without a date are left out and counted in a note.
func IncidentsPerMonth(opts Options, severities []string, incidents []Incident) []byte {
	L := layoutPerMonth(opts, severities, incidents)
	w := &svgw{id: idPrefix("hb-incidents", opts.ID, func(h hashWriter) {
		hashString(h, opts.Title)
		hashString(h, strings.Join(severities, "\x00"))
		for _, in := range incidents {
			hashString(h, in.Title)
			hashString(h, in.Date.String())
		}
	})}
	drawPerMonth(w, L, perMonthCSS(len(severities)))
	return w.Bytes()
}

// textAt is a line of text at a baseline; an empty text is not drawn.
type textAt struct {
	x, y float64
	text string
}

// perMonthLayout is everything IncidentsPerMonth draws, in picture
// coordinates.
type perMonthLayout struct {
	height      float64
	title, desc string // accessible name and description
	heading     textAt // the title shown, if any
	legend      []legendItem
	empty       textAt  // the note that no incident has a date
	left        float64 // x of the y axis
	plotBottom  float64 // y of the x axis
	yTicks      []yTick
	thin        bool       // segments too thin for separators
	bars        []monthBar // one per month, none when no incident has a date
	xLabels     []xLabel
	note        textAt // the count of incidents without a date
}

// yTick is a horizontal grid line at y, with its label.
type yTick struct {
	y     float64
	label string
	axis  bool // the line at 0
}

// monthBar is the bar of one month: its segments bottom up, with the
// month's summary as tooltip and its count above it.
type monthBar struct {
	x, w    float64
	summary string
	segs    []barSeg
	count   textAt
}

// barSeg is one incident in a bar, or several of one severity.
type barSeg struct {
	y, h      float64 // top and height
	sev       int     // index in the severities; len(severities) is "other"
	href, tip string
	several   bool // the month's incidents of the severity (minSegment)
}

// xLabel is a label under the x axis, with a tick mark above it when tick
// is set.
type xLabel struct {
	textAt
	tick bool
}

// severityScale gives each incident the index of its severity in the
// scale; any other severity is "other", one past the last.
type severityScale struct {
	names []string
	index map[string]int
}

func newSeverityScale(names []string) severityScale {
	s := severityScale{names: names, index: map[string]int{}}
	for i, n := range names {
		if _, dup := s.index[key(n)]; !dup {
			s.index[key(n)] = i
		}
	}
	return s
}

func (s severityScale) of(in Incident) int {
	if i, ok := s.index[key(in.Severity)]; ok {
		return i
	}
	return len(s.names) // other
}

// monthGroups are the dated incidents by calendar month.
type monthGroups struct {
	m0, m1   int     // the first and the last month, as monthIndex
	perMonth [][]int // incident indexes of each month from m0, bottom up
	totals   []int   // dated incidents per severity, "other" last
	dated    int
	most     int // incidents in the fullest month
}

// groupByMonth groups the dated incidents by month; within a month the
// most severe come first (at the bottom), then by date.
func groupByMonth(incidents []Incident, sev severityScale) monthGroups {
	var dated []int
	for i, in := range incidents {
		if !in.Date.IsZero() {
			dated = append(dated, i)
		}
	}
	sort.SliceStable(dated, func(a, b int) bool {
		x, y := incidents[dated[a]], incidents[dated[b]]
		if mx, my := monthIndex(x.Date), monthIndex(y.Date); mx != my {
			return mx < my
		}
		if sx, sy := sev.of(x), sev.of(y); sx != sy {
			return sx < sy
		}
		return x.Date.Before(y.Date)
	})
	g := monthGroups{totals: make([]int, len(sev.names)+1), dated: len(dated)}
	for _, i := range dated {
		g.totals[sev.of(incidents[i])]++
	}
	if len(dated) > 0 {
		g.m0, g.m1 = monthIndex(incidents[dated[0]].Date), monthIndex(incidents[dated[len(dated)-1]].Date)
	}
	g.perMonth = make([][]int, g.m1-g.m0+1)
	for _, i := range dated {
		k := monthIndex(incidents[i].Date) - g.m0
		g.perMonth[k] = append(g.perMonth[k], i)
	}
	for _, p := range g.perMonth {
		g.most = max(g.most, len(p))
	}
	return g
}

// layoutPerMonth lays out IncidentsPerMonth: title and legend, then a plot
// 220px high with integer ticks, one bar slot per month.
func layoutPerMonth(opts Options, severities []string, incidents []Incident) *perMonthLayout {
	sev := newSeverityScale(severities)
	g := groupByMonth(incidents, sev)
	L := &perMonthLayout{title: opts.Title, desc: perMonthDesc(g, severities)}
	if L.title == "" {
		L.title = "Incidents per month"
	}
	y := incPad
	if opts.Title != "" {
		L.heading = textAt{incPad, y + 15, opts.Title}
		y += 29
	}
	for i := range len(severities) + 1 {
		if i < len(severities) || g.totals[i] > 0 {
			L.legend = append(L.legend, legendItem{swatch: fmt.Sprintf("s%d", i), text: fmt.Sprintf("%s (%d)", sevName(severities, i), g.totals[i])})
		}
	}
	plotTop := flowLegend(L.legend, incPad, y+14, incWidth-incPad) + 30
	const plotH = 220.0
	L.plotBottom = plotTop + plotH
	L.left = incPad + 34.0
	plotW := incWidth - incPad - L.left
	L.height = L.plotBottom + 44 + incPad
	undated := len(incidents) - g.dated
	if undated > 0 {
		L.height += 18
	}
	if g.dated == 0 {
		L.empty = textAt{L.left, plotTop + plotH/2, "No dated incidents."}
	}
	unit := L.layoutYAxis(g.most, plotH)
	L.thin = unit < 5
	if g.dated > 0 {
		slot := plotW / float64(max(len(g.perMonth), 1))
		L.bars = monthBars(g, incidents, sev, L.left, slot, L.plotBottom, unit)
		L.xLabels = monthLabels(g.m0, len(g.perMonth), L.left, slot, L.plotBottom)
	}
	switch {
	case undated == 1:
		L.note = textAt{L.left, L.height - incPad - 4, "1 incident without a date is not shown."}
	case undated > 1:
		L.note = textAt{L.left, L.height - incPad - 4, fmt.Sprintf("%d incidents without a date are not shown.", undated)}
	}
	return L
}

// perMonthDesc is the accessible description: counts, span and severities.
func perMonthDesc(g monthGroups, severities []string) string {
	desc := fmt.Sprintf("Stacked bar chart of %d incidents per month by severity", g.dated)
	if g.dated > 0 {
		desc += fmt.Sprintf(", %s %d to %s %d", monthName(g.m0), monthYear(g.m0), monthName(g.m1), monthYear(g.m1))
	}
	var parts []string
	for i, n := range g.totals {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", sevName(severities, i), n))
		}
	}
	if len(parts) > 0 {
		desc += " (" + strings.Join(parts, ", ") + ")"
	}
	return desc + "."
}

// layoutYAxis places integer ticks from 0 to at least most on a plot of
// height plotH and returns the height of one incident.
func (L *perMonthLayout) layoutYAxis(most int, plotH float64) (unit float64) {
	step := niceStep(float64(max(most, 1)), 5)
	yMax := math.Ceil(float64(max(most, 1))/step) * step
	unit = plotH / yMax
	for v := 0.0; v <= yMax+1e-9; v += step {
		L.yTicks = append(L.yTicks, yTick{y: L.plotBottom - v*unit, label: fmt.Sprint(int(v)), axis: v == 0})
	}
	return unit
}

// minSegment is the least height, in pixels, of one incident's segment:
// under it no pointer can aim at one incident, and a month's incidents of
// one severity are drawn as one segment, with their count (15,000
// postmortems, each its own linked segment, made 3.6 MB of picture).
const minSegment = 2.0

// monthBars places a bar in the middle of each month's slot, one segment
// of height unit per incident (per severity when unit is under
// minSegment), bottom up from the axis at plotBottom.
func monthBars(g monthGroups, incidents []Incident, sev severityScale, left, slot, plotBottom, unit float64) []monthBar {
	barW := math.Min(slot*0.7, 56)
	var bars []monthBar
	for k, idx := range g.perMonth {
		mi := g.m0 + k
		bx := left + float64(k)*slot + (slot-barW)/2
		sum := fmt.Sprintf("%s %d: %d incident", monthName(mi), monthYear(mi), len(idx))
		if len(idx) != 1 {
			sum += "s"
		}
		bar := monthBar{x: bx, w: barW, summary: sum}
		for j := 0; j < len(idx); {
			in := incidents[idx[j]]
			s := sev.of(in)
			if unit < minSegment {
				// The month's incidents of one severity are one segment.
				n := 1
				for j+n < len(idx) && sev.of(incidents[idx[j+n]]) == s {
					n++
				}
				tip := fmt.Sprintf("%s %d · %d %s", monthName(mi), monthYear(mi), n, sevName(sev.names, s))
				j += n
				bar.segs = append(bar.segs, barSeg{y: plotBottom - float64(j)*unit, h: float64(n) * unit, sev: s, tip: tip, several: true})
				continue
			}
			tip := in.Date.Format("2006-01-02") + " · " + sevName(sev.names, s)
			if t := strings.TrimSpace(in.Title); t != "" {
				tip += " · " + t
			}
			j++
			bar.segs = append(bar.segs, barSeg{y: plotBottom - float64(j)*unit, h: unit, sev: s, href: in.Href, tip: tip})
		}
		if n := len(idx); n > 0 && slot >= 20 {
			bar.count = textAt{bx + barW/2, plotBottom - float64(n)*unit - 5, fmt.Sprint(n)}
		}
		bars = append(bars, bar)
	}
	return bars
}

// monthLabels labels the months from m0 under slots of width slot: month
// names, thinned so they do not collide, with the year under January and
// under the first label; or, when even every twelfth month is too
// crowded, only years, at a tick between December and January.
func monthLabels(m0, months int, left, slot, plotBottom float64) []xLabel {
	every := 12
	for _, e := range []int{1, 2, 3, 4, 6} {
		if slot*float64(e) >= 34 {
			every = e
			break
		}
	}
	years := 1
	for slot*12*float64(years) < 40 {
		years++
	}
	var labels []xLabel
	first := true
	for k := range months {
		mi := m0 + k
		cx := left + (float64(k)+0.5)*slot
		if every < 12 {
			if mi%every != 0 && !(first && k == 0 && every <= 2) {
				continue
			}
			labels = append(labels, xLabel{textAt: textAt{cx, plotBottom + 16, monthName(mi)}})
			if first || mi%12 == 0 {
				labels = append(labels, xLabel{textAt: textAt{cx, plotBottom + 30, fmt.Sprint(monthYear(mi))}})
			}
			first = false
			continue
		}
		if mi%12 == 0 && monthYear(mi)%years == 0 {
			labels = append(labels, xLabel{textAt: textAt{cx - slot/2, plotBottom + 18, fmt.Sprint(monthYear(mi))}, tick: true})
		}
	}
	return labels
}

func perMonthCSS(nSev int) *sheet {
	css := &sheet{scope: "hb-incidents"}
	css.base()
	css.rule(".grid", "stroke: "+colGrid[0]+"; stroke-width: 1", "stroke: "+colGrid[1])
	css.rule(".axis", "stroke: "+colBorder[0]+"; stroke-width: 1", "stroke: "+colBorder[1])
	css.rule(".tick", "font-size: 11px", "")
	css.rule(".seg", "stroke: "+colBg[0]+"; stroke-width: 1", "stroke: "+colBg[1])
	css.rule(".thin .seg", "stroke: none", "")
	css.rule("a.hb-incident:hover .seg, a.hb-incident:focus .seg", "stroke: "+colFg[0]+"; stroke-width: 1.5", "stroke: "+colFg[1])
	for i := range nSev {
		css.rule(fmt.Sprintf(".s%d", i), "fill: "+ramp(sevLight, i, max(nSev, 2)), "fill: "+ramp(sevDark, i, max(nSev, 2)))
	}
	css.rule(fmt.Sprintf(".s%d", nSev), "fill: "+otherLight, "fill: "+otherDark)
	return css
}

// drawPerMonth writes the picture laid out in L.
func drawPerMonth(w *svgw, L *perMonthLayout, css *sheet) {
	w.open("hb-incidents", incWidth, L.height, L.title, L.desc, css)
	if L.heading.text != "" {
		w.text(L.heading.x, L.heading.y, "title", "", L.heading.text)
	}
	w.legend(L.legend)
	if L.empty.text != "" {
		w.text(L.empty.x, L.empty.y, "muted", "", L.empty.text)
	}

	w.WriteString(`<g class="yaxis">` + "\n")
	for _, t := range L.yTicks {
		class := "grid"
		if t.axis {
			class = "axis"
		}
		w.printf(`<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", class, num(L.left), num(t.y), num(incWidth-incPad), num(t.y))
		w.text(L.left-6, t.y+4, "tick muted", `text-anchor="end"`, t.label)
	}
	w.WriteString("</g>\n")

	groupClass := "bars"
	if L.thin {
		groupClass += " thin" // no separators between segments that thin
	}
	w.printf(`<g class="%s">`+"\n", groupClass)
	for _, b := range L.bars {
		w.printf(`<g class="month"><title>%s</title>`+"\n", esc(b.summary))
		for _, s := range b.segs {
			if s.several {
				// No one page to link.
				w.printf(`<g class="several"><title>%s</title>`+"\n", esc(s.tip))
				w.printf(`<rect class="seg s%d" x="%s" y="%s" width="%s" height="%s"/>`+"\n", s.sev, num(b.x), num(s.y), num(b.w), num(s.h))
				w.WriteString("</g>\n")
				continue
			}
			w.openLink("hb-incident", s.href, s.tip)
			w.printf(`<rect class="seg s%d" x="%s" y="%s" width="%s" height="%s"/>`+"\n", s.sev, num(b.x), num(s.y), num(b.w), num(s.h))
			w.WriteString("</a>\n")
		}
		if b.count.text != "" {
			w.text(b.count.x, b.count.y, "tick muted", `text-anchor="middle"`, b.count.text)
		}
		w.WriteString("</g>\n")
	}
	w.WriteString("</g>\n")

	if len(L.bars) > 0 {
		w.WriteString(`<g class="xaxis">` + "\n")
		for _, l := range L.xLabels {
			if l.tick {
				w.printf(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(l.x), num(L.plotBottom), num(l.x), num(L.plotBottom+5))
			}
			w.text(l.x, l.y, "tick muted", `text-anchor="middle"`, l.text)
		}
		w.WriteString("</g>\n")
	}
	if L.note.text != "" {
		w.text(L.note.x, L.note.y, "tick muted", "", L.note.text)
	}
	w.close()
}

func sevName(severities []string, i int) string {
	if i < len(severities) {
		return strings.TrimSpace(severities[i])
	}
	return "other"
}

// durationTicks are the candidate tick steps (linear scale) and tick values
// (log scale) of IncidentTimes.
var durationTicks = []time.Duration{
	time.Second, 5 * time.Second, 10 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour,
	24 * time.Hour, 2 * 24 * time.Hour, 7 * 24 * time.Hour, 14 * 24 * time.Hour, 28 * 24 * time.Hour,
	91 * 24 * time.Hour, 364 * 24 * time.Hour,
}

var logTicks = []time.Duration{
	time.Second, 10 * time.Second, time.Minute, 5 * time.Minute, 15 * time.Minute, time.Hour,
	4 * time.Hour, 12 * time.Hour, 24 * time.Hour, 3 * 24 * time.Hour, 7 * 24 * time.Hour,
	30 * 24 * time.Hour, 91 * 24 * time.Hour, 365 * 24 * time.Hour,
}

// human formats a duration for people: "45 s", "12 min", "3 h 20 min",
// "2 d 4 h".
func human(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Round(time.Second)/time.Second))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute)/time.Minute))
	case d < 24*time.Hour:
		d = d.Round(time.Minute)
		h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
		if h == 24 {
			return "1 d"
		}
		if m == 0 {
			return fmt.Sprintf("%d h", h)
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	d = d.Round(time.Hour)
	days, h := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour)
	if h == 0 {
		return fmt.Sprintf("%d d", days)
	}
	return fmt.Sprintf("%d d %d h", days, h)
}

// IncidentTimes draws, for each incident in date order (undated last), two
// horizontal bars on a shared duration axis: time to detect and time to
// resolve, each with its value; an unknown (zero) duration draws nothing.
// Each row is labelled with the shortened title (or the date) and the date,
// and linked to Href. The axis is linear, with ticks in s, min, h or d;
// when the longest duration is more than 60 times the shortest, it is
// logarithmic, so that minutes and days can both be read.
func IncidentTimes(opts Options, incidents []Incident) []byte {
	L := layoutTimes(opts, incidents)
	w := &svgw{id: idPrefix("hb-times", opts.ID, func(h hashWriter) {
		hashString(h, opts.Title)
		for _, in := range incidents {
			hashString(h, in.Title)
			hashString(h, in.Date.String())
			hashString(h, in.TTD.String()+in.TTR.String())
		}
	})}
	drawTimes(w, L, timesCSS())
	return w.Bytes()
}

// Geometry of IncidentTimes.
const (
	timesLabelW = 190.0 // the column of row labels
	timesRowH   = 34.0
	timesBarH   = 9.0
)

// timesLayout is everything IncidentTimes draws, in picture coordinates.
type timesLayout struct {
	height      float64
	title, desc string // accessible name and description
	heading     textAt // the title shown, if any
	legend      []legendItem
	scaleNote   textAt // "logarithmic scale", after the legend
	empty       textAt // the note that there are no incidents
	left        float64
	axisTop     float64
	rowsBottom  float64
	ticks       []timeTick
	ticksBelow  bool // labels repeated under the rows, when there are many
	rows        []timesRow
}

// timeTick is a grid line of the duration axis at x, with its label.
type timeTick struct {
	x     float64
	label string
}

// timesRow is one incident: a band at y, linked, with its name, its date
// and its bars.
type timesRow struct {
	y          float64
	href, tip  string
	name, date string
	bars       []durationBar
}

// durationBar is a bar from the axis, class ttd or ttr, with its value.
type durationBar struct {
	class   string
	x, y, w float64
	value   textAt
}

// layoutTimes lays out IncidentTimes: title and legend, the axis, then one
// row per incident in date order, undated last.
func layoutTimes(opts Options, incidents []Incident) *timesLayout {
	left := incPad + timesLabelW
	right := incWidth - incPad - 76 // room for the value after the longest bar
	xOf, ticks, logScale := durationAxis(incidents, left, right-left)
	L := &timesLayout{title: opts.Title, left: left}
	if L.title == "" {
		L.title = "Time to detect and time to resolve"
	}
	L.desc = fmt.Sprintf("Time to detect and time to resolve of %d incidents, on a %s axis.", len(incidents), map[bool]string{true: "logarithmic", false: "linear"}[logScale])
	y := incPad
	if opts.Title != "" {
		L.heading = textAt{incPad, y + 15, opts.Title}
		y += 29
	}
	legend := []legendItem{{swatch: "ttd", text: "Time to detect"}, {swatch: "ttr", text: "Time to resolve"}}
	if logScale {
		legend = append(legend, legendItem{swatch: "none", text: "logarithmic scale"})
	}
	L.axisTop = flowLegend(legend, incPad, y+14, incWidth-incPad) + 32
	L.legend = legend[:2]
	if logScale {
		L.scaleNote = textAt{legend[2].x, legend[2].y, legend[2].text}
	}
	rowsTop := L.axisTop + 8
	L.height = rowsTop + float64(len(incidents))*timesRowH + 8 + 24 + incPad
	if len(incidents) == 0 {
		L.empty = textAt{left, rowsTop + 16, "No incidents."}
	}
	L.rowsBottom = rowsTop + float64(len(incidents))*timesRowH
	// A tick too close to the previous one is left out.
	lastX := math.Inf(-1)
	for _, t := range ticks {
		tx := xOf(t)
		if tx-lastX < 40 {
			continue
		}
		lastX = tx
		label := "0"
		if t > 0 {
			label = human(t)
		}
		L.ticks = append(L.ticks, timeTick{tx, label})
	}
	L.ticksBelow = len(incidents) > 12
	L.rows = timesRows(incidents, xOf, left, rowsTop)
	return L
}

// durationAxis scales the durations of the incidents to a plot from left,
// plotW wide: linearly, from 0 to a multiple of a round step, or
// logarithmically, between round values, when the longest is more than 60
// times the shortest. It returns the scale and the candidate ticks.
func durationAxis(incidents []Incident, left, plotW float64) (xOf func(time.Duration) float64, ticks []time.Duration, logScale bool) {
	var longest, shortest time.Duration
	known := 0
	for _, in := range incidents {
		for _, d := range []time.Duration{in.TTD, in.TTR} {
			if d <= 0 {
				continue
			}
			known++
			longest = max(longest, d)
			if shortest == 0 || d < shortest {
				shortest = d
			}
		}
	}
	if known >= 2 && longest > 60*shortest {
		lo, hi := logTicks[0], logTicks[len(logTicks)-1]
		for _, t := range logTicks {
			if t <= shortest {
				lo = t
			}
		}
		for k := len(logTicks) - 1; k >= 0; k-- {
			if logTicks[k] >= longest {
				hi = logTicks[k]
			}
		}
		for _, t := range logTicks {
			if t >= lo && t <= hi {
				ticks = append(ticks, t)
			}
		}
		span := math.Log(float64(hi) / float64(lo))
		return func(d time.Duration) float64 {
			return left + math.Log(float64(max(d, lo))/float64(lo))/span*plotW
		}, ticks, true
	}
	step := durationTicks[len(durationTicks)-1]
	for _, s := range durationTicks {
		if longest <= 5*s {
			step = s
			break
		}
	}
	top := step
	for top < longest {
		top += step
	}
	for t := time.Duration(0); t <= top; t += step {
		ticks = append(ticks, t)
	}
	return func(d time.Duration) float64 { return left + float64(d)/float64(top)*plotW }, ticks, false
}

// timesRows lays out a row per incident from rowsTop, in date order,
// undated last: its label, and a bar from left to xOf of each known
// duration.
func timesRows(incidents []Incident, xOf func(time.Duration) float64, left, rowsTop float64) []timesRow {
	order := make([]int, len(incidents))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		x, y := incidents[order[a]].Date, incidents[order[b]].Date
		if x.IsZero() != y.IsZero() {
			return y.IsZero()
		}
		return x.Before(y)
	})
	var rows []timesRow
	for k, i := range order {
		in := incidents[i]
		ry := rowsTop + float64(k)*timesRowH
		name := strings.TrimSpace(in.Title)
		date := ""
		if !in.Date.IsZero() {
			date = in.Date.Format("2006-01-02")
		}
		if name == "" {
			name, date = date, ""
		}
		if name == "" {
			name = fmt.Sprintf("Incident %d", i+1)
		}
		tip := strings.TrimSpace(in.Title)
		if !in.Date.IsZero() {
			tip = strings.TrimSpace(in.Date.Format("2006-01-02") + " " + tip)
		}
		tip += ": time to detect " + durText(in.TTD) + ", time to resolve " + durText(in.TTR)
		row := timesRow{y: ry, href: in.Href, tip: tip, name: fit(name, timesLabelW-12, 12, false), date: date}
		for b, d := range []time.Duration{in.TTD, in.TTR} {
			if d <= 0 {
				continue
			}
			by := ry + 6 + float64(b)*(timesBarH+3)
			x1 := xOf(d)
			row.bars = append(row.bars, durationBar{
				class: [2]string{"ttd", "ttr"}[b],
				x:     left, y: by, w: math.Max(x1-left, 2),
				value: textAt{math.Max(x1, left+2) + 5, by + timesBarH - 0.5, human(d)},
			})
		}
		rows = append(rows, row)
	}
	return rows
}

func timesCSS() *sheet {
	css := &sheet{scope: "hb-times"}
	css.base()
	css.rule(".grid", "stroke: "+colGrid[0]+"; stroke-width: 1", "stroke: "+colGrid[1])
	css.rule(".axis", "stroke: "+colBorder[0]+"; stroke-width: 1", "stroke: "+colBorder[1])
	css.rule(".tick, .val, .date", "font-size: 11px", "")
	css.rule(".ttd", "fill: #bf8700", "fill: #d29922")
	css.rule(".ttr", "fill: #0969da", "fill: #4493f8")
	css.rule(".row", "fill: transparent", "")
	css.rule("a.hb-row:hover .row, a.hb-row:focus .row", "fill: "+colGrid[0], "fill: "+colGrid[1])
	css.rule("a.hb-row:hover .name", "text-decoration: underline", "")
	css.rule(".name", "fill: "+colLink[0], "fill: "+colLink[1])
	return css
}

// drawTimes writes the picture laid out in L.
func drawTimes(w *svgw, L *timesLayout, css *sheet) {
	w.open("hb-times", incWidth, L.height, L.title, L.desc, css)
	if L.heading.text != "" {
		w.text(L.heading.x, L.heading.y, "title", "", L.heading.text)
	}
	w.legend(L.legend)
	if L.scaleNote.text != "" {
		w.text(L.scaleNote.x, L.scaleNote.y, "muted", `style="font-style:italic"`, L.scaleNote.text)
	}
	if L.empty.text != "" {
		w.text(L.empty.x, L.empty.y, "muted", "", L.empty.text)
	}

	// Axis: grid lines through the rows, labels above and below.
	w.WriteString(`<g class="xaxis">` + "\n")
	for _, t := range L.ticks {
		w.printf(`<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(t.x), num(L.axisTop), num(t.x), num(L.rowsBottom+4))
		w.text(t.x, L.axisTop-6, "tick muted", `text-anchor="middle"`, t.label)
		if L.ticksBelow {
			w.text(t.x, L.rowsBottom+18, "tick muted", `text-anchor="middle"`, t.label)
		}
	}
	w.printf(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(L.left), num(L.axisTop), num(L.left), num(L.rowsBottom+4))
	w.WriteString("</g>\n")

	w.WriteString(`<g class="rows">` + "\n")
	for _, r := range L.rows {
		w.openLink("hb-row", r.href, r.tip)
		w.printf(`<rect class="row" x="%s" y="%s" width="%s" height="%s"/>`+"\n", num(incPad), num(r.y), num(incWidth-2*incPad), num(timesRowH))
		w.text(incPad, r.y+14, "name", "", r.name)
		if r.date != "" {
			w.text(incPad, r.y+28, "date muted", "", r.date)
		}
		for _, b := range r.bars {
			w.printf(`<rect class="bar %s" x="%s" y="%s" width="%s" height="%s" rx="1.5"/>`+"\n", b.class, num(b.x), num(b.y), num(b.w), num(timesBarH))
			w.text(b.value.x, b.value.y, "val muted", "", b.value.text)
		}
		w.WriteString("</a>\n")
	}
	w.WriteString("</g>\n")
	w.close()
}

func durText(d time.Duration) string {
	if d <= 0 {
		return "unknown"
	}
	return human(d)
}
