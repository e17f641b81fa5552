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
	w := &svgw{id: idPrefix("hb-incidents", opts.ID, func(h hashWriter) {
		hashString(h, opts.Title)
		hashString(h, strings.Join(severities, "\x00"))
		for _, in := range incidents {
			hashString(h, in.Title)
			hashString(h, in.Date.String())
		}
	})}
	nSev := len(severities)
	sevIndex := map[string]int{}
	for i, s := range severities {
		if _, dup := sevIndex[key(s)]; !dup {
			sevIndex[key(s)] = i
		}
	}
	sevOf := func(in Incident) int {
		if i, ok := sevIndex[key(in.Severity)]; ok {
			return i
		}
		return nSev // other
	}
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

	var dated []int
	for i, in := range incidents {
		if !in.Date.IsZero() {
			dated = append(dated, i)
		}
	}
	// Within a month: most severe first (at the bottom), then by date.
	sort.SliceStable(dated, func(a, b int) bool {
		x, y := incidents[dated[a]], incidents[dated[b]]
		if mx, my := monthIndex(x.Date), monthIndex(y.Date); mx != my {
			return mx < my
		}
		if sx, sy := sevOf(x), sevOf(y); sx != sy {
			return sx < sy
		}
		return x.Date.Before(y.Date)
	})
	totals := make([]int, nSev+1)
	for _, i := range dated {
		totals[sevOf(incidents[i])]++
	}
	var m0, m1 int
	if len(dated) > 0 {
		m0, m1 = monthIndex(incidents[dated[0]].Date), monthIndex(incidents[dated[len(dated)-1]].Date)
	}
	months := m1 - m0 + 1
	perMonth := make([][]int, months)
	for _, i := range dated {
		k := monthIndex(incidents[i].Date) - m0
		perMonth[k] = append(perMonth[k], i)
	}
	most := 0
	for _, p := range perMonth {
		most = max(most, len(p))
	}

	title := opts.Title
	if title == "" {
		title = "Incidents per month"
	}
	desc := fmt.Sprintf("Stacked bar chart of %d incidents per month by severity", len(dated))
	if len(dated) > 0 {
		desc += fmt.Sprintf(", %s %d to %s %d", monthName(m0), monthYear(m0), monthName(m1), monthYear(m1))
	}
	var parts []string
	for i, n := range totals {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%s: %d", sevName(severities, i), n))
		}
	}
	if len(parts) > 0 {
		desc += " (" + strings.Join(parts, ", ") + ")"
	}
	desc += "."

	y := incPad
	titleY := y + 15
	if opts.Title != "" {
		y += 29
	}
	var legend []legendItem
	for i := range nSev + 1 {
		if i < nSev || totals[i] > 0 {
			legend = append(legend, legendItem{swatch: fmt.Sprintf("s%d", i), text: fmt.Sprintf("%s (%d)", sevName(severities, i), totals[i])})
		}
	}
	plotTop := flowLegend(legend, incPad, y+14, incWidth-incPad) + 30
	const plotH = 220.0
	plotBottom := plotTop + plotH
	const left = incPad + 34.0
	plotW := incWidth - incPad - left
	height := plotBottom + 44 + incPad
	undated := len(incidents) - len(dated)
	if undated > 0 {
		height += 18
	}
	w.open("hb-incidents", incWidth, height, title, desc, css)
	if opts.Title != "" {
		w.text(incPad, titleY, "title", "", opts.Title)
	}

	w.legend(legend)

	if len(dated) == 0 {
		w.text(left, plotTop+plotH/2, "muted", "", "No dated incidents.")
	}

	// Y axis: integer ticks.
	step := niceStep(float64(max(most, 1)), 5)
	yMax := math.Ceil(float64(max(most, 1))/step) * step
	unit := plotH / yMax
	w.WriteString(`<g class="yaxis">` + "\n")
	for v := 0.0; v <= yMax+1e-9; v += step {
		ty := plotBottom - v*unit
		class := "grid"
		if v == 0 {
			class = "axis"
		}
		w.printf(`<line class="%s" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", class, num(left), num(ty), num(incWidth-incPad), num(ty))
		w.text(left-6, ty+4, "tick muted", `text-anchor="end"`, fmt.Sprint(int(v)))
	}
	w.WriteString("</g>\n")

	// Bars: one group per month, one linked segment per incident.
	slot := plotW / float64(max(months, 1))
	barW := math.Min(slot*0.7, 56)
	groupClass := "bars"
	if unit < 5 {
		groupClass += " thin" // no separators between segments that thin
	}
	w.printf(`<g class="%s">`+"\n", groupClass)
	for k := range months {
		if len(dated) == 0 {
			break
		}
		mi := m0 + k
		bx := left + float64(k)*slot + (slot-barW)/2
		sum := fmt.Sprintf("%s %d: %d incident", monthName(mi), monthYear(mi), len(perMonth[k]))
		if len(perMonth[k]) != 1 {
			sum += "s"
		}
		w.printf(`<g class="month"><title>%s</title>`+"\n", esc(sum))
		for j, i := range perMonth[k] {
			in := incidents[i]
			tip := in.Date.Format("2006-01-02") + " · " + sevName(severities, sevOf(in))
			if t := strings.TrimSpace(in.Title); t != "" {
				tip += " · " + t
			}
			w.openLink("hb-incident", in.Href, tip)
			w.printf(`<rect class="seg s%d" x="%s" y="%s" width="%s" height="%s"/>`+"\n", sevOf(in), num(bx), num(plotBottom-float64(j+1)*unit), num(barW), num(unit))
			w.WriteString("</a>\n")
		}
		if n := len(perMonth[k]); n > 0 && slot >= 20 {
			w.text(bx+barW/2, plotBottom-float64(n)*unit-5, "tick muted", `text-anchor="middle"`, fmt.Sprint(n))
		}
		w.WriteString("</g>\n")
	}
	w.WriteString("</g>\n")

	// Month labels, thinned so they do not collide; years under January
	// and under the first label.
	if len(dated) > 0 {
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
		w.WriteString(`<g class="xaxis">` + "\n")
		first := true
		for k := range months {
			mi := m0 + k
			cx := left + (float64(k)+0.5)*slot
			if every < 12 {
				if mi%every != 0 && !(first && k == 0 && every <= 2) {
					continue
				}
				w.text(cx, plotBottom+16, "tick muted", `text-anchor="middle"`, monthName(mi))
				if first || mi%12 == 0 {
					w.text(cx, plotBottom+30, "tick muted", `text-anchor="middle"`, fmt.Sprint(monthYear(mi)))
				}
				first = false
				continue
			}
			if mi%12 == 0 && monthYear(mi)%years == 0 {
				w.printf(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(cx-slot/2), num(plotBottom), num(cx-slot/2), num(plotBottom+5))
				w.text(cx-slot/2, plotBottom+18, "tick muted", `text-anchor="middle"`, fmt.Sprint(monthYear(mi)))
			}
		}
		w.WriteString("</g>\n")
	}
	if undated > 0 {
		note := fmt.Sprintf("%d incidents without a date are not shown.", undated)
		if undated == 1 {
			note = "1 incident without a date is not shown."
		}
		w.text(left, height-incPad-4, "tick muted", "", note)
	}
	w.close()
	return w.Bytes()
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
	w := &svgw{id: idPrefix("hb-times", opts.ID, func(h hashWriter) {
		hashString(h, opts.Title)
		for _, in := range incidents {
			hashString(h, in.Title)
			hashString(h, in.Date.String())
			hashString(h, in.TTD.String()+in.TTR.String())
		}
	})}
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
	logScale := known >= 2 && longest > 60*shortest

	const (
		labelW = 190.0
		rowH   = 34.0
		barH   = 9.0
	)
	left := incPad + labelW
	right := incWidth - incPad - 76 // room for the value after the longest bar
	plotW := right - left
	var xOf func(time.Duration) float64
	var ticks []time.Duration
	if logScale {
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
		xOf = func(d time.Duration) float64 {
			return left + math.Log(float64(max(d, lo))/float64(lo))/span*plotW
		}
	} else {
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
		xOf = func(d time.Duration) float64 { return left + float64(d)/float64(top)*plotW }
	}

	title := opts.Title
	if title == "" {
		title = "Time to detect and time to resolve"
	}
	desc := fmt.Sprintf("Time to detect and time to resolve of %d incidents, on a %s axis.", len(incidents), map[bool]string{true: "logarithmic", false: "linear"}[logScale])
	y := incPad
	titleY := y + 15
	if opts.Title != "" {
		y += 29
	}
	legend := []legendItem{{swatch: "ttd", text: "Time to detect"}, {swatch: "ttr", text: "Time to resolve"}}
	if logScale {
		legend = append(legend, legendItem{swatch: "none", text: "logarithmic scale"})
	}
	axisTop := flowLegend(legend, incPad, y+14, incWidth-incPad) + 32
	rowsTop := axisTop + 8
	height := rowsTop + float64(len(incidents))*rowH + 8 + 24 + incPad
	w.open("hb-times", incWidth, height, title, desc, css)
	if opts.Title != "" {
		w.text(incPad, titleY, "title", "", opts.Title)
	}
	w.legend(legend[:2])
	if logScale {
		w.text(legend[2].x, legend[2].y, "muted", `style="font-style:italic"`, legend[2].text)
	}
	if len(incidents) == 0 {
		w.text(left, rowsTop+16, "muted", "", "No incidents.")
	}

	// Axis: grid lines through the rows, labels above and below; a tick
	// too close to the previous one is left out.
	rowsBottom := rowsTop + float64(len(incidents))*rowH
	w.WriteString(`<g class="xaxis">` + "\n")
	lastX := math.Inf(-1)
	for _, t := range ticks {
		tx := xOf(t)
		if tx-lastX < 40 {
			continue
		}
		lastX = tx
		w.printf(`<line class="grid" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(tx), num(axisTop), num(tx), num(rowsBottom+4))
		label := "0"
		if t > 0 {
			label = human(t)
		}
		w.text(tx, axisTop-6, "tick muted", `text-anchor="middle"`, label)
		if len(incidents) > 12 {
			w.text(tx, rowsBottom+18, "tick muted", `text-anchor="middle"`, label)
		}
	}
	w.printf(`<line class="axis" x1="%s" y1="%s" x2="%s" y2="%s"/>`+"\n", num(left), num(axisTop), num(left), num(rowsBottom+4))
	w.WriteString("</g>\n")

	// Rows.
	w.WriteString(`<g class="rows">` + "\n")
	for k, i := range order {
		in := incidents[i]
		ry := rowsTop + float64(k)*rowH
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
		w.openLink("hb-row", in.Href, tip)
		w.printf(`<rect class="row" x="%s" y="%s" width="%s" height="%s"/>`+"\n", num(incPad), num(ry), num(incWidth-2*incPad), num(rowH))
		w.text(incPad, ry+14, "name", "", fit(name, labelW-12, 12, false))
		if date != "" {
			w.text(incPad, ry+28, "date muted", "", date)
		}
		for b, d := range []time.Duration{in.TTD, in.TTR} {
			if d <= 0 {
				continue
			}
			by := ry + 6 + float64(b)*(barH+3)
			class := [2]string{"ttd", "ttr"}[b]
			x1 := xOf(d)
			w.printf(`<rect class="bar %s" x="%s" y="%s" width="%s" height="%s" rx="1.5"/>`+"\n", class, num(left), num(by), num(math.Max(x1-left, 2)), num(barH))
			w.text(math.Max(x1, left+2)+5, by+barH-0.5, "val muted", "", human(d))
		}
		w.WriteString("</a>\n")
	}
	w.WriteString("</g>\n")
	w.close()
	return w.Bytes()
}

func durText(d time.Duration) string {
	if d <= 0 {
		return "unknown"
	}
	return human(d)
}
