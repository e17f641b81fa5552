package chart

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// nasty is a title with everything XML needs escaped, plus characters XML
// does not allow and invalid UTF-8.
const nasty = `<b>"Fish" & 'chips'</b>` + "\x01\xff"

func TestEscaping(t *testing.T) {
	// The title survives the round trip through XML, with the characters
	// XML cannot hold replaced.
	want := `<b>"Fish" & 'chips'</b>` + "\uFFFD\uFFFD"
	radar, _ := Radar(RadarOptions{ID: "esc", Title: nasty, Quadrants: []string{nasty}, Rings: []string{nasty}},
		[]Blip{{Title: nasty, Href: `/a?b=1&c="2"`, Quadrant: nasty, Ring: nasty}})
	svgs := map[string][]byte{
		"radar": radar,
		"adr": ADRGraph(Options{ID: "esc", Title: nasty}, []ADRNode{
			{Label: nasty, Title: nasty, Href: `/a?b=1&c="2"`, Status: nasty, Date: date("2024-01-01")},
			{Label: "ADR-2", Title: nasty, Href: "/b/", Status: "accepted", Date: date("2024-02-01"), Supersedes: []int{0}},
		}),
		"incidents": IncidentsPerMonth(Options{ID: "esc", Title: nasty}, []string{nasty}, []Incident{{Title: nasty, Href: `/a?b=1&c="2"`, Severity: nasty, Date: date("2024-01-01")}}),
		"times":     IncidentTimes(Options{ID: "esc", Title: nasty}, []Incident{{Title: nasty, Href: `/a?b=1&c="2"`, Date: date("2024-01-01"), TTD: time.Minute, TTR: time.Hour}}),
	}
	for name, svg := range svgs {
		s := string(svg)
		es := parseSVG(t, svg)
		if es[1].name != "title" || es[1].text != want {
			t.Errorf("%s: title %q, want %q", name, es[1].text, want)
		}
		if !strings.Contains(s, "&lt;b&gt;&quot;Fish&quot; &amp; &#39;chips&#39;&lt;/b&gt;") {
			t.Errorf("%s: no escaped title in\n%s", name, s)
		}
		if strings.Contains(s, "<b>") || strings.Contains(s, "\x01") {
			t.Errorf("%s: unescaped text", name)
		}
		hrefs := 0
		for _, e := range es {
			if h, ok := e.attr["href"]; ok {
				hrefs++
				if h != `/a?b=1&c="2"` && h != "/b/" {
					t.Errorf("%s: href %q", name, h)
				}
			}
		}
		if hrefs == 0 {
			t.Errorf("%s: no links", name)
		}
	}
}

func TestEsc(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          "plain",
		`<a href="x">&`:  "&lt;a href=&quot;x&quot;&gt;&amp;",
		"tab\tnew\nline": "tab new line",
		"bad\xffbyte":    "bad\uFFFDbyte",
		"ctl\x00\x1f":    "ctl\uFFFD\uFFFD",
		"ok \uFFFD é 日本": "ok \uFFFD é 日本",
	} {
		got := esc(in)
		if got != want {
			t.Errorf("esc(%q) = %q, want %q", in, got, want)
		}
		// Always usable inside an attribute.
		if err := xml.Unmarshal([]byte(`<x a="`+got+`">`+got+`</x>`), new(struct{})); err != nil {
			t.Errorf("esc(%q) = %q is not valid XML: %v", in, got, err)
		}
	}
}

func TestSafeHref(t *testing.T) {
	for in, want := range map[string]string{
		"/radar/go/":                 "/radar/go/",
		"../x.html#a:b":              "../x.html#a:b",
		"https://example.com/":       "https://example.com/",
		"HTTP://example.com/":        "HTTP://example.com/",
		"mailto:sre@example.com":     "mailto:sre@example.com",
		"javascript:alert(1)":        "#",
		" JavaScript:alert(1)":       "#",
		"java\tscript:alert(1)":      "#",
		"data:text/html,<script>":    "#",
		"/path/with:colon":           "/path/with:colon",
		"?q=a:b":                     "?q=a:b",
		"vbscript:msgbox":            "#",
		"page.html":                  "page.html",
		"relative/page:with/colon/x": "relative/page:with/colon/x",
	} {
		if got := safeHref(in); got != want {
			t.Errorf("safeHref(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNum(t *testing.T) {
	for in, want := range map[float64]string{0: "0", -0.01: "0", 1.25: "1.3", 10: "10", -3.14159: "-3.1", 1e6: "1000000"} {
		if got := num(in); got != want {
			t.Errorf("num(%v) = %q, want %q", in, got, want)
		}
	}
}

func TestWrapAndFit(t *testing.T) {
	if got := fit("Windows Subsystem for Linux", 100, 12, false); !strings.HasSuffix(got, "…") || textWidth(got, 12, false) > 100 {
		t.Errorf("fit = %q", got)
	}
	if got := fit("Go", 100, 12, false); got != "Go" {
		t.Errorf("fit = %q", got)
	}
	lines := wrap("Languages and frameworks", 120, 14, true, 3)
	if len(lines) != 2 || lines[0] != "Languages and" || lines[1] != "frameworks" {
		t.Errorf("wrap = %q", lines)
	}
	if got := humanize("languages-and-frameworks"); got != "Languages and frameworks" {
		t.Errorf("humanize = %q", got)
	}
	if got := humanize("Tools & Platforms"); got != "Tools & Platforms" {
		t.Errorf("humanize = %q", got)
	}
}
