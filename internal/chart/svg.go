package chart

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Options are the options common to the ADR graph and the incident charts.
type Options struct {
	// ID is the prefix of every id in the picture; it must be unique on the
	// page. When empty, one is derived from a hash of the content.
	ID string
	// Title is shown above the picture and is its accessible name.
	Title string
}

// Circle is a circle in the picture's coordinates (the viewBox).
type Circle struct{ X, Y, R float64 }

// fontStack is the default theme's --font.
const fontStack = `system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", "Noto Sans", "Liberation Sans", Arial, sans-serif`

// Colours shared by all pictures: light, then dark. Each reads the default
// theme's custom property first, so a picture follows the page it sits in.
var (
	colFg     = [2]string{"var(--fg, #1f2328)", "var(--fg, #e3e6ea)"}
	colMuted  = [2]string{"var(--fg-muted, #59636e)", "var(--fg-muted, #a3abb5)"}
	colBorder = [2]string{"var(--border, #d1d9e0)", "var(--border, #343a43)"}
	colGrid   = [2]string{"#eaeef2", "#262a31"}
	colLink   = [2]string{"var(--link, #0969da)", "var(--link, #6cb0ff)"}
	colBg     = [2]string{"var(--bg, #ffffff)", "var(--bg, #17191e)"}
)

// sheet collects the CSS of one picture; every selector is scoped under the
// picture kind's class when it is written.
type sheet struct {
	scope string // class name without the dot, such as "hb-radar"
	light []string
	dark  []string
}

// rule adds a rule for both schemes; dark is left out when empty.
func (s *sheet) rule(sel, light, dark string) {
	s.light = append(s.light, s.scoped(sel)+" { "+light+" }")
	if dark != "" {
		s.dark = append(s.dark, "  "+s.scoped(sel)+" { "+dark+" }")
	}
}

// scoped prefixes every comma-separated selector in sel with the scope
// class; the empty selector is the root itself.
func (s *sheet) scoped(sel string) string {
	if sel == "" {
		return "." + s.scope
	}
	parts := strings.Split(sel, ",")
	for i, p := range parts {
		parts[i] = "." + s.scope + " " + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}

// base adds the rules every picture has: font, text colours, links.
func (s *sheet) base() {
	s.rule("", "font-family: var(--font, "+fontStack+"); font-size: 12px", "")
	s.rule(".bg", "fill: "+colBg[0], "fill: "+colBg[1])
	s.rule("text", "fill: "+colFg[0], "fill: "+colFg[1])
	s.rule(".muted", "fill: "+colMuted[0], "fill: "+colMuted[1])
	s.rule(".title", "font-size: 15px; font-weight: 600", "")
	s.rule("a:focus-visible", "outline: 2px solid "+colLink[0]+"; outline-offset: 1px", "outline-color: "+colLink[1])
}

func (s *sheet) write(w *bytes.Buffer) {
	w.WriteString("<style>\n")
	for _, r := range s.light {
		w.WriteString(r)
		w.WriteByte('\n')
	}
	if len(s.dark) > 0 {
		w.WriteString("@media screen and (prefers-color-scheme: dark) {\n")
		for _, r := range s.dark {
			w.WriteString(r)
			w.WriteByte('\n')
		}
		w.WriteString("}\n")
	}
	w.WriteString("</style>\n")
}

// svgw writes one picture.
type svgw struct {
	bytes.Buffer
	id string // sanitized id prefix
}

func (w *svgw) printf(format string, args ...any) { fmt.Fprintf(&w.Buffer, format, args...) }

// open writes the root element, title, description and style.
func (w *svgw) open(kind string, width, height float64, title, desc string, css *sheet) {
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="hb-chart %s" id="%s" viewBox="0 0 %s %s" width="%s" height="%s" style="max-width:100%%;height:auto" role="img" aria-labelledby="%s-title %s-desc">`+"\n",
		kind, w.id, num(width), num(height), num(width), num(height), w.id, w.id)
	w.printf(`<title id="%s-title">%s</title>`+"\n", w.id, esc(title))
	w.printf(`<desc id="%s-desc">%s</desc>`+"\n", w.id, esc(desc))
	css.write(&w.Buffer)
	// A background of the page's colour: invisible on a page that follows
	// the reader's scheme, and keeps the picture readable on one that
	// does not.
	w.printf(`<rect class="bg" width="%s" height="%s" rx="6"/>`+"\n", num(width), num(height))
}

func (w *svgw) close() { w.WriteString("</svg>\n") }

// text writes a <text> element; class may be empty; extra is written as is
// (attributes such as text-anchor).
func (w *svgw) text(x, y float64, class, extra, s string) {
	w.printf(`<text x="%s" y="%s"`, num(x), num(y))
	if class != "" {
		w.printf(` class="%s"`, class)
	}
	if extra != "" {
		w.printf(" %s", extra)
	}
	w.printf(">%s</text>\n", esc(s))
}

// openLink writes <a> with the sanitized href (none when empty) and, when
// tip is not empty, a <title> tooltip.
func (w *svgw) openLink(class, href, tip string) {
	w.printf(`<a class="%s"`, class)
	if href != "" {
		w.printf(` href="%s"`, esc(safeHref(href)))
	}
	w.WriteString(">")
	if tip != "" {
		w.printf("<title>%s</title>", esc(tip))
	}
	w.WriteString("\n")
}

// num formats a coordinate with at most one decimal.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "0"
	}
	v = math.Round(v*10) / 10
	if v == 0 {
		return "0" // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// esc escapes s for XML text and attribute values. Invalid UTF-8 and
// characters XML 1.0 does not allow become U+FFFD.
func esc(s string) string {
	var b strings.Builder
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				b.WriteRune('\uFFFD')
				continue
			}
		}
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&quot;")
		case r == '\'':
			b.WriteString("&#39;")
		case r == '\t', r == '\n', r == '\r':
			b.WriteByte(' ')
		case r < 0x20, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// safeHref returns href unless it has a scheme other than http, https or
// mailto, in which case it returns "#".
func safeHref(href string) string {
	h := strings.TrimSpace(href)
	colon := strings.IndexByte(h, ':')
	if colon < 0 {
		return href
	}
	if slash := strings.IndexAny(h, "/?#"); slash >= 0 && slash < colon {
		return href // the colon is in a path, query or fragment
	}
	var scheme strings.Builder
	for _, r := range h[:colon] {
		if r > ' ' { // browsers ignore control characters and spaces in schemes
			scheme.WriteRune(unicode.ToLower(r))
		}
	}
	switch scheme.String() {
	case "http", "https", "mailto":
		return href
	}
	return "#"
}

// idPrefix sanitizes id, or derives one from kind and a hash of seed.
func idPrefix(kind, id string, seed func(h hashWriter)) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(id) {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	if s == "" {
		h := fnv.New32a()
		seed(h)
		return fmt.Sprintf("%s-%08x", kind, h.Sum32())
	}
	if c := s[0]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
		s = "hb-" + s
	}
	return s
}

type hashWriter interface {
	Write(p []byte) (int, error)
}

// hashString writes s and a separator to h.
func hashString(h hashWriter, s string) {
	h.Write([]byte(s))
	h.Write([]byte{0})
}

// textWidth estimates the width of s in pixels at font size px. It errs on
// the wide side (DejaVu Sans, the widest common system font), so that text
// laid out with it fits in every browser.
func textWidth(s string, px float64, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		if r < utf8.RuneSelf {
			w += asciiWidths[r]
		} else {
			w += runeWidth(r)
		}
	}
	if bold {
		w *= 1.1
	}
	return w * px
}

// asciiWidths are runeWidth's answers for ASCII, which most text is.
var asciiWidths = func() (t [utf8.RuneSelf]float64) {
	for r := range t {
		t[r] = runeWidth(rune(r))
	}
	return t
}()

// runeWidth is the width of r in ems, as textWidth estimates it.
func runeWidth(r rune) float64 {
	switch {
	case strings.ContainsRune("il.,:;'|!Ijtf()[] ", r):
		return 0.32
	case strings.ContainsRune("mwMW@%", r):
		return 0.9
	case r >= 'A' && r <= 'Z':
		return 0.7
	case r >= '0' && r <= '9':
		return 0.64
	case r < 0x80:
		return 0.57
	case unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hangul, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
		return 1
	default:
		return 0.62
	}
}

// fit shortens s with an ellipsis so that it is at most width pixels wide.
func fit(s string, width, px float64, bold bool) string {
	s = strings.TrimSpace(s)
	if textWidth(s, px, bold) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 {
		r = r[:len(r)-1]
		t := strings.TrimRight(string(r), " ,.;:-–—") + "…"
		if textWidth(t, px, bold) <= width {
			return t
		}
	}
	return "…"
}

// wrap breaks s into lines of at most width pixels, at spaces; a word
// longer than a line is shortened.
func wrap(s string, width, px float64, bold bool, maxLines int) []string {
	var lines []string
	cur := ""
	words := strings.Fields(s)
	for i, word := range words {
		try := word
		if cur != "" {
			try = cur + " " + word
		}
		if textWidth(try, px, bold) <= width || cur == "" {
			cur = try
			continue
		}
		if len(lines) == maxLines-1 {
			cur = strings.Join(append([]string{cur}, words[i:]...), " ")
			break
		}
		lines = append(lines, cur)
		cur = word
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	for i := range lines {
		lines[i] = fit(lines[i], width, px, bold)
	}
	return lines
}

// humanize turns a slug such as "languages-and-frameworks" into
// "Languages and frameworks"; other names are returned as they are.
func humanize(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, " ") || strings.ToLower(s) != s {
		return s
	}
	s = strings.NewReplacer("-", " ", "_", " ").Replace(s)
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// key normalizes a quadrant, ring or status name for matching.
func key(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// mix blends two #rrggbb colours; t = 0 gives a, 1 gives b.
func mix(a, b string, t float64) string {
	pa, pb := parseHex(a), parseHex(b)
	var out [3]int
	for i := range out {
		out[i] = int(math.Round(float64(pa[i]) + (float64(pb[i])-float64(pa[i]))*t))
	}
	return fmt.Sprintf("#%02x%02x%02x", out[0], out[1], out[2])
}

func parseHex(s string) [3]int {
	var c [3]int
	for i := range c {
		v, _ := strconv.ParseUint(s[1+2*i:3+2*i], 16, 8)
		c[i] = int(v)
	}
	return c
}

// ramp picks colour i of n evenly from the stops.
func ramp(stops []string, i, n int) string {
	if n <= 1 {
		return stops[0]
	}
	p := float64(i) / float64(n-1) * float64(len(stops)-1)
	k := int(p)
	if k >= len(stops)-1 {
		return stops[len(stops)-1]
	}
	return mix(stops[k], stops[k+1], p-float64(k))
}

var monthAbbr = [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}

// monthIndex counts months since year 0, in t's own calendar.
func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func monthName(m int) string { return monthAbbr[((m%12)+12)%12] }

func monthYear(m int) int {
	if m < 0 {
		return (m - 11) / 12
	}
	return m / 12
}

// legendItem is a swatch and its text in a legend; group, when set, is the
// class of a <g> around both (so the swatch can be styled through it).
type legendItem struct {
	group, swatch, text string
	x, y                float64 // baseline of the text; the swatch is left of it
}

// flowLegend places items in rows from x0 to maxX, the first baseline at
// y0, and returns the baseline of the last row.
func flowLegend(items []legendItem, x0, y0, maxX float64) float64 {
	x, y := x0, y0
	for i := range items {
		w := 17 + textWidth(items[i].text, 12, false)
		if x > x0 && x+w > maxX {
			x, y = x0, y+20
		}
		items[i].x, items[i].y = x, y
		x += w + 16
	}
	return y
}

func (w *svgw) legend(items []legendItem) {
	w.WriteString(`<g class="legend">` + "\n")
	for _, it := range items {
		if it.group != "" {
			w.printf(`<g class="%s">`, it.group)
		}
		w.printf(`<rect class="%s" x="%s" y="%s" width="12" height="12" rx="2"/>`, it.swatch, num(it.x), num(it.y-10))
		w.printf(`<text class="muted" x="%s" y="%s">%s</text>`, num(it.x+17), num(it.y), esc(it.text))
		if it.group != "" {
			w.WriteString("</g>")
		}
		w.WriteString("\n")
	}
	w.WriteString("</g>\n")
}
