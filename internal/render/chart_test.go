package render

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
)

func TestBarChart(t *testing.T) {
	svg := BarChart("handbook ÷ hugo", "×", 1, []Bar{
		{Label: "build wall time, 1,000 pages", Value: 0.31, Note: "1.2 s vs 3.9 s"},
		{Label: "peak memory, 10,000 pages <&>", Value: 1.4},
	})
	// Well-formed XML, with the title and both bars.
	dec := xml.NewDecoder(strings.NewReader(string(svg)))
	for {
		_, err := dec.Token()
		if err != nil {
			if err.Error() != "EOF" {
				t.Fatalf("not well-formed: %v\n%s", err, svg)
			}
			break
		}
	}
	s := string(svg)
	for _, want := range []string{
		`<title id="chart-title">handbook ÷ hugo</title>`,
		`<rect class="good"`, `<rect class="bad"`,
		`0.31×  1.2 s vs 3.9 s`, `peak memory, 10,000 pages &lt;&amp;&gt;`,
		`prefers-color-scheme: dark`, `class="ref"`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("missing %q", want)
		}
	}
	// The 1.4 bar is longer than the 0.31 one.
	i := strings.Index(s, `<rect class="good"`)
	j := strings.Index(s, `<rect class="bad"`)
	var w1, w2 float64
	if _, err := fmtSscan(s[i:], &w1); err != nil {
		t.Fatal(err)
	}
	if _, err := fmtSscan(s[j:], &w2); err != nil {
		t.Fatal(err)
	}
	if !(w2 > 4*w1) {
		t.Errorf("bar widths %v and %v are not proportional", w1, w2)
	}
}

// fmtSscan reads the width attribute of the first rect in s.
func fmtSscan(s string, w *float64) (int, error) {
	k := strings.Index(s, `width="`)
	rest := s[k+len(`width="`):]
	return fmtSscanf(rest[:strings.IndexByte(rest, '"')], w)
}

func fmtSscanf(s string, w *float64) (int, error) { return fmt.Sscanf(s, "%g", w) }
