package render

import (
	"bytes"
	"fmt"
	"html"
	"math"
)

// Bar is one bar of a bar chart.
type Bar struct {
	Label string
	Value float64
	// Note is printed after the value, such as "1.2 s vs 4.7 s".
	Note string
}

// BarChart draws horizontal bars as a standalone SVG that needs no script
// and follows the reader's light or dark scheme. Bars start at zero; a
// dashed line marks Reference (for ratios, 1: "the same as the peer") when
// it is above zero. Bars at or below the reference are drawn in the "good"
// colour, the others in the "bad" one.
func BarChart(title, unit string, reference float64, bars []Bar) []byte {
	const (
		width   = 720
		left    = 250 // label column
		right   = 170 // value column
		rowH    = 28
		top     = 44
		barH    = 16
		bottom  = 30
		plotW   = width - left - right
		fontCSS = `font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;font-size:13px`
	)
	maxV := reference
	for _, b := range bars {
		if !math.IsNaN(b.Value) && !math.IsInf(b.Value, 0) {
			maxV = math.Max(maxV, b.Value)
		}
	}
	if maxV <= 0 {
		maxV = 1
	}
	maxV *= 1.05
	x := func(v float64) float64 { return left + v/maxV*plotW }
	height := top + rowH*len(bars) + bottom
	var b bytes.Buffer
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-labelledby="chart-title">`+"\n", width, height, width, height)
	fmt.Fprintf(&b, "<title id=\"chart-title\">%s</title>\n", html.EscapeString(title))
	fmt.Fprintf(&b, `<style>
svg { %s; }
text { fill: #1f2328; }
.muted { fill: #59636e; }
.axis { stroke: #d1d9e0; stroke-width: 1; }
.ref { stroke: #59636e; stroke-width: 1.5; stroke-dasharray: 4 3; }
.good { fill: #1a7f37; }
.bad { fill: #cf222e; }
@media (prefers-color-scheme: dark) {
  text { fill: #f0f6fc; }
  .muted { fill: #9198a1; }
  .axis { stroke: #3d444d; }
  .ref { stroke: #9198a1; }
  .good { fill: #3fb950; }
  .bad { fill: #f85149; }
}
</style>`+"\n", fontCSS)
	fmt.Fprintf(&b, `<text x="0" y="20" style="font-weight:600;font-size:15px">%s</text>`+"\n", html.EscapeString(title))
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d"/>`+"\n", left, top-6, left, top+rowH*len(bars))
	for i, bar := range bars {
		y := top + i*rowH
		v := bar.Value
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			v = 0
		}
		class := "good"
		if reference > 0 && v > reference {
			class = "bad"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+barH-3, html.EscapeString(bar.Label))
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%.1f" height="%d" rx="2"/>`+"\n", class, left, y, x(v)-left, barH)
		label := fmt.Sprintf("%.2f%s", bar.Value, unit)
		if bar.Note != "" {
			label += "  " + bar.Note
		}
		fmt.Fprintf(&b, `<text class="muted" x="%.1f" y="%d">%s</text>`+"\n", x(v)+6, y+barH-3, html.EscapeString(label))
	}
	if reference > 0 {
		rx := x(reference)
		fmt.Fprintf(&b, `<line class="ref" x1="%.1f" y1="%d" x2="%.1f" y2="%d"/>`+"\n", rx, top-8, rx, top+rowH*len(bars))
		fmt.Fprintf(&b, `<text class="muted" x="%.1f" y="%d" text-anchor="middle">%s</text>`+"\n", rx, top+rowH*len(bars)+18, html.EscapeString(fmt.Sprintf("%g%s = the same as the other tool", reference, unit)))
	}
	b.WriteString("</svg>\n")
	return b.Bytes()
}
