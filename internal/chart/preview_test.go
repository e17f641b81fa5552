package chart

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestPreview writes HTML pages with every picture inline, for looking at
// them in a browser: CHART_PREVIEW=/tmp/charts go test -run Preview. Each
// page comes twice: inside the default theme's CSS (as on a site) and bare.
func TestPreview(t *testing.T) {
	dir := os.Getenv("CHART_PREVIEW")
	if dir == "" {
		t.Skip("set CHART_PREVIEW to a folder to write preview pages")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	css, _ := filepath.Abs("../../themes/default/static/handbook.css")
	pages := map[string][][]byte{}
	opts, blips := loadRadarCorpus(t)
	for i := range blips {
		switch i % 9 {
		case 1:
			blips[i].New = true
		case 2:
			blips[i].Moved = -1
		case 3:
			blips[i].Moved = 1
		}
	}
	svg, _ := Radar(opts, blips)
	pages["radar-isis"] = [][]byte{svg}
	svg, _ = Radar(RadarOptions{ID: "crowd", Title: "100 blips in one cell", Quadrants: []string{"a", "b", "c", "d"}, Rings: []string{"adopt", "trial", "assess", "hold"}}, crowdBlips(100, "a", "adopt"))
	pages["radar-100"] = [][]byte{svg}
	o6, b6 := sixByThree(7)
	svg, _ = Radar(o6, b6)
	pages["radar-6x3"] = [][]byte{svg}
	svg, _ = Radar(RadarOptions{ID: "small", Title: "Small <radar>", Quadrants: []string{"tools"}, Rings: []string{"adopt", "hold"}}, smallBlips())
	pages["radar-small"] = [][]byte{svg}
	pages["adr"] = [][]byte{
		ADRGraph(Options{ID: "adr-small", Title: "Decisions"}, sampleADRs()),
		ADRGraph(Options{ID: "adr-mid", Title: "60 decisions"}, manyADRs(60, 3)),
		ADRGraph(Options{ID: "adr-many", Title: "200 decisions"}, manyADRs(200, 5)),
		ADRGraph(Options{ID: "adr-one"}, sampleADRs()[:1]),
		ADRGraph(Options{ID: "adr-six", Title: "Six decisions"}, sampleADRs()[3:9]),
	}
	pages["incidents"] = [][]byte{
		IncidentsPerMonth(Options{ID: "inc", Title: "Incidents per month"}, sampleSeverities, sampleIncidents()),
		IncidentsPerMonth(Options{ID: "inc-long", Title: "Six years"}, sampleSeverities, manyIncidents(300, 72)),
		IncidentsPerMonth(Options{ID: "inc-one"}, sampleSeverities, sampleIncidents()[:1]),
		IncidentTimes(Options{ID: "times", Title: "Time to detect and resolve"}, sampleIncidents()),
		IncidentTimes(Options{ID: "times-lin", Title: "Linear"}, linearIncidents()),
	}
	for name, svgs := range pages {
		for _, themed := range []bool{true, false} {
			var b bytes.Buffer
			b.WriteString("<!doctype html><html><head><meta charset=utf-8><meta name=viewport content=\"width=device-width\">")
			file := name + "-bare.html"
			if themed {
				fmt.Fprintf(&b, "<link rel=stylesheet href=\"file://%s\">", css)
				file = name + ".html"
			}
			b.WriteString("</head><body><main class=\"main\"><h1>" + name + "</h1>\n")
			for _, s := range svgs {
				b.Write(s)
				b.WriteString("<p>Text after the picture.</p>\n")
			}
			b.WriteString("</main></body></html>\n")
			if err := os.WriteFile(filepath.Join(dir, file), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
