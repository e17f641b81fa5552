package chart

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

var sampleSeverities = []string{"SEV-1", "SEV-2", "SEV-3", "SEV-4", "SEV-5"}

func sampleIncidents() []Incident {
	ts := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	return []Incident{
		{Title: "Database failover took the API down", Href: "/pm/db/", Severity: "SEV-1", Date: ts("2024-01-08T10:00:00Z"), TTD: 4 * time.Minute, TTR: 2*time.Hour + 10*time.Minute},
		{Title: "Expired TLS certificate on the status page", Href: "/pm/tls/", Severity: "SEV-3", Date: ts("2024-01-20T08:00:00Z"), TTD: 6 * time.Hour, TTR: 7 * time.Hour},
		{Title: "Slow search", Href: "/pm/search/", Severity: "sev-4", Date: ts("2024-01-22T08:00:00Z"), TTR: 3 * 24 * time.Hour},
		{Title: "Queue backlog", Href: "/pm/queue/", Severity: "SEV-2", Date: ts("2024-03-02T23:30:00-05:00"), TTD: 12 * time.Minute, TTR: 5 * time.Hour},
		{Title: "DNS misconfiguration", Href: "/pm/dns/", Severity: "SEV-2", Date: ts("2024-03-15T12:00:00Z"), TTD: 25 * time.Minute, TTR: 90 * time.Minute},
		{Title: "Partial outage in eu-west", Href: "/pm/eu/", Severity: "SEV-1", Date: ts("2024-03-28T12:00:00Z"), TTD: 2 * time.Minute, TTR: 45 * time.Minute},
		{Title: "Disk full on the build runner", Href: "/pm/disk/", Severity: "SEV-5", Date: ts("2024-05-10T12:00:00Z"), TTD: 50 * time.Minute},
		{Title: "Login errors", Href: "/pm/login/", Severity: "critical", Date: ts("2024-06-01T12:00:00Z"), TTD: 8 * time.Minute, TTR: 3 * time.Hour},
		{Title: "Unknown date", Href: "/pm/undated/", Severity: "SEV-3", TTD: time.Hour, TTR: 2 * time.Hour},
	}
}

// linearIncidents have durations within a narrow range.
func linearIncidents() []Incident {
	var out []Incident
	for i := range 6 {
		out = append(out, Incident{
			Title: fmt.Sprintf("Incident %d", i+1), Href: fmt.Sprintf("/pm/%d/", i), Severity: "SEV-2",
			Date: date("2024-02-01").AddDate(0, 0, 9*i), TTD: time.Duration(10+5*i) * time.Minute, TTR: time.Duration(60+30*i) * time.Minute,
		})
	}
	return out
}

func manyIncidents(n, months int) []Incident {
	r := rand.New(rand.NewPCG(uint64(n), uint64(months)))
	var out []Incident
	for i := range n {
		out = append(out, Incident{
			Title: fmt.Sprintf("Incident %d", i+1), Href: fmt.Sprintf("/pm/%d/", i),
			Severity: sampleSeverities[min(r.IntN(6), 4)],
			Date:     date("2019-01-01").Add(time.Duration(r.Int64N(int64(months) * 30 * 24 * int64(time.Hour)))),
			TTD:      time.Duration(r.IntN(300)) * time.Minute, TTR: time.Duration(r.IntN(3000)) * time.Minute,
		})
	}
	return out
}

// checkPerMonth checks IncidentsPerMonth's output and returns its elements.
func checkPerMonth(t *testing.T, opts Options, sev []string, incidents []Incident) []*elem {
	t.Helper()
	svg := IncidentsPerMonth(opts, sev, incidents)
	es := checkCommon(t, svg, "hb-incidents", opts.ID)
	if !bytes.Equal(svg, IncidentsPerMonth(opts, sev, incidents)) {
		t.Errorf("two calls give different output")
	}
	for _, m := range fontSizes(svg) {
		if m < 11 {
			t.Errorf("font-size %vpx is below 11px", m)
		}
	}
	// One group per calendar month from the first incident to the last.
	months := map[int]int{}
	first, last := math.MaxInt, math.MinInt
	dated := 0
	for _, in := range incidents {
		if in.Date.IsZero() {
			continue
		}
		dated++
		m := in.Date.Year()*12 + int(in.Date.Month()) - 1
		months[m]++
		first, last = min(first, m), max(last, m)
	}
	wantMonths := 0
	if dated > 0 {
		wantMonths = last - first + 1
	}
	if n := count(es, "g", "month"); n != wantMonths {
		t.Errorf("%d month groups, want %d", n, wantMonths)
	}
	// Each incident is a linked segment of its own; or, when one would be
	// under minSegment high, each month's incidents of one severity are
	// one segment, unlinked, with their count.
	several := count(es, "g", "several") > 0
	if n := count(es, "a", "hb-incident"); n != dated && !several || several && n != 0 {
		t.Errorf("%d incident links, want %d (or none, %v)", n, dated, several)
	}
	// Segments of a month, bottom up, never go from a less severe to a
	// more severe one, and each month's bar is as tall as its count.
	sevIndex := func(class string) int {
		for _, f := range strings.Fields(class) {
			var k int
			if _, err := fmt.Sscanf(f, "s%d", &k); err == nil {
				return k
			}
		}
		t.Fatalf("segment without severity class: %q", class)
		return 0
	}
	var bars [][]*elem
	for _, e := range es {
		if e.name == "g" && e.hasClass("month") {
			bars = append(bars, nil)
		}
		if e.name == "rect" && e.hasClass("seg") {
			bars[len(bars)-1] = append(bars[len(bars)-1], e)
		}
	}
	// How many incidents each segment is, in order: one each, or the
	// count its title gives.
	var counts []int
	if several {
		for _, m := range regexp.MustCompile(`<g class="several"><title>[A-Z][a-z]{2} \d{4} · (\d+) `).FindAllSubmatch(svg, -1) {
			n, _ := strconv.Atoi(string(m[1]))
			counts = append(counts, n)
		}
	}
	// One incident's height, from the segment of the most (the least
	// rounded).
	var unit float64
	most := 0
	of := func(seg int) int {
		if !several {
			return 1
		}
		if seg >= len(counts) {
			t.Fatalf("more segments than counts in their titles")
		}
		return counts[seg]
	}
	seg := 0
	for _, segs := range bars {
		for _, s := range segs {
			if n := of(seg); n > most {
				most, unit = n, attrF(t, s, "height")/float64(n)
			}
			seg++
		}
	}
	seg = 0
	for k, segs := range bars {
		total := 0
		for j := range segs {
			n := of(seg)
			seg++
			total += n
			if h := attrF(t, segs[j], "height"); math.Abs(h-unit*float64(n)) > 0.11 {
				t.Errorf("month %d: a segment of %d incidents is %v high, want %v", k, n, h, unit*float64(n))
			}
		}
		if total != months[first+k] {
			t.Errorf("month %d has segments for %d incidents, want %d", k, total, months[first+k])
		}
		for j := 1; j < len(segs); j++ {
			if attrF(t, segs[j], "y") >= attrF(t, segs[j-1], "y") {
				t.Errorf("month %d: segment %d is not above segment %d", k, j, j-1)
			}
			a, b := sevIndex(segs[j-1].attr["class"]), sevIndex(segs[j].attr["class"])
			if b < a || several && b == a {
				t.Errorf("month %d: segment %d (s%d) above segment %d (s%d)", k, j, b, j-1, a)
			}
		}
	}
	if several && unit >= minSegment || !several && unit < minSegment && dated > 0 {
		t.Errorf("an incident is %v high, and its segments are drawn by severity: %v", unit, several)
	}
	return es
}

func TestIncidentsPerMonth(t *testing.T) {
	incidents := sampleIncidents()
	es := checkPerMonth(t, Options{ID: "inc", Title: "Incidents"}, sampleSeverities, incidents)
	svg := string(IncidentsPerMonth(Options{ID: "inc", Title: "Incidents"}, sampleSeverities, incidents))
	// Jan to Jun 2024: six months, April empty; the 23:30 at -05:00 on
	// 2 March counts in March, as written.
	for _, want := range []string{
		"<title>Jan 2024: 3 incidents</title>", "<title>Feb 2024: 0 incidents</title>",
		"<title>Mar 2024: 3 incidents</title>", "<title>Apr 2024: 0 incidents</title>",
		"<title>Jun 2024: 1 incident</title>",
		"<title>2024-01-22 · SEV-4 · Slow search</title>",
		"<title>2024-06-01 · other · Login errors</title>",
		`>SEV-1 (2)</text>`, `>SEV-2 (2)</text>`, `>other (1)</text>`,
		`>1 incident without a date is not shown.</text>`,
		// The most severe is the strongest red; other is grey.
		".hb-incidents .s0 { fill: #82071e }", ".hb-incidents .s5 { fill: #8c959f }",
		">Jan</text>", ">2024</text>",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s", want)
		}
	}
	// Integer y ticks from 0 to at least the highest bar.
	var ticks []string
	for _, e := range es {
		if e.name == "text" && len(e.parents) > 0 && e.parents[len(e.parents)-1] == "g" && e.attr["text-anchor"] == "end" {
			ticks = append(ticks, e.text)
		}
	}
	if fmt.Sprint(ticks) != "[0 1 2 3]" {
		t.Errorf("y ticks %v, want [0 1 2 3]", ticks)
	}
	golden(t, "incidents-small.svg", []byte(svg))
}

func TestIncidentsPerMonthSizes(t *testing.T) {
	for _, c := range []struct{ n, months int }{{1, 1}, {40, 12}, {300, 72}, {1000, 240}, {15000, 36}} {
		t.Run(fmt.Sprint(c.n), func(t *testing.T) {
			es := checkPerMonth(t, Options{ID: "many"}, sampleSeverities, manyIncidents(c.n, c.months))
			// Axis labels in a row are at least 30px apart.
			rows := map[float64][]float64{}
			for _, e := range es {
				if e.name == "text" && e.inside("xaxis") {
					y := attrF(t, e, "y")
					rows[y] = append(rows[y], attrF(t, e, "x"))
				}
			}
			if len(rows) == 0 {
				t.Errorf("no axis labels")
			}
			for y, xs := range rows {
				for k := 1; k < len(xs); k++ {
					if xs[k]-xs[k-1] < 30 {
						t.Errorf("labels at y=%v are %v apart", y, xs[k]-xs[k-1])
					}
				}
			}
		})
	}
	checkPerMonth(t, Options{ID: "none"}, sampleSeverities, nil)
	checkPerMonth(t, Options{ID: "nosev"}, nil, sampleIncidents())
	// The picture grows with the months and severities, not the
	// incidents, once an incident is under minSegment high.
	few, many := IncidentsPerMonth(Options{}, sampleSeverities, manyIncidents(3000, 36)), IncidentsPerMonth(Options{}, sampleSeverities, manyIncidents(30000, 36))
	if len(many) > len(few)+len(few)/10 || len(many) > 64<<10 {
		t.Errorf("3,000 incidents in 36 months draw %d bytes, 30,000 %d", len(few), len(many))
	}
}

func TestIncidentTimes(t *testing.T) {
	for _, c := range []struct {
		name      string
		incidents []Incident
		log       bool
	}{
		{"sample", sampleIncidents(), true},
		{"linear", linearIncidents(), false},
		{"many", manyIncidents(60, 24), true},
		{"none", nil, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			opts := Options{ID: "times", Title: "Times"}
			svg := IncidentTimes(opts, c.incidents)
			es := checkCommon(t, svg, "hb-times", "times")
			if !bytes.Equal(svg, IncidentTimes(opts, c.incidents)) {
				t.Errorf("two calls give different output")
			}
			for _, m := range fontSizes(svg) {
				if m < 11 {
					t.Errorf("font-size %vpx is below 11px", m)
				}
			}
			if got := strings.Contains(string(svg), "logarithmic"); got != c.log {
				t.Errorf("logarithmic = %v, want %v", got, c.log)
			}
			if n := count(es, "a", "hb-row"); n != len(c.incidents) {
				t.Errorf("%d rows, want %d", n, len(c.incidents))
			}
			var ttd, ttr int
			for _, in := range c.incidents {
				if in.TTD > 0 {
					ttd++
				}
				if in.TTR > 0 {
					ttr++
				}
			}
			if n := count(es, "rect", "ttd"); n != ttd+1 { // +1: the legend
				t.Errorf("%d time-to-detect bars, want %d", n-1, ttd)
			}
			if n := count(es, "rect", "ttr"); n != ttr+1 {
				t.Errorf("%d time-to-resolve bars, want %d", n-1, ttr)
			}
			// Rows are in date order, undated last, and longer durations
			// have longer bars.
			type row struct {
				y     float64
				href  string
				bars  map[string]float64
				title string
			}
			var rows []*row
			for _, e := range es {
				if e.name == "a" && e.hasClass("hb-row") {
					rows = append(rows, &row{href: e.attr["href"], bars: map[string]float64{}})
				}
				if len(rows) == 0 || len(e.parents) == 0 || e.parents[len(e.parents)-1] != "a" {
					continue
				}
				r := rows[len(rows)-1]
				switch {
				case e.name == "rect" && e.hasClass("row"):
					r.y = attrF(t, e, "y")
				case e.name == "rect" && e.hasClass("ttd"):
					r.bars["ttd"] = attrF(t, e, "width")
				case e.name == "rect" && e.hasClass("ttr"):
					r.bars["ttr"] = attrF(t, e, "width")
				case e.name == "title":
					r.title = e.text
				}
			}
			byHref := map[string]Incident{}
			for _, in := range c.incidents {
				byHref[in.Href] = in
			}
			for k := 1; k < len(rows); k++ {
				a, b := byHref[rows[k-1].href], byHref[rows[k].href]
				if rows[k].y <= rows[k-1].y {
					t.Errorf("row %d is not below row %d", k, k-1)
				}
				if a.Date.IsZero() && !b.Date.IsZero() || !b.Date.IsZero() && b.Date.Before(a.Date) {
					t.Errorf("row %d (%v) after row %d (%v)", k, b.Date, k-1, a.Date)
				}
			}
			type bar struct {
				d time.Duration
				w float64
			}
			var all []bar
			for _, r := range rows {
				in := byHref[r.href]
				if in.TTD > 0 {
					all = append(all, bar{in.TTD, r.bars["ttd"]})
				}
				if in.TTR > 0 {
					all = append(all, bar{in.TTR, r.bars["ttr"]})
				}
			}
			sort.Slice(all, func(i, j int) bool { return all[i].d < all[j].d })
			for k := 1; k < len(all); k++ {
				if all[k].d > all[k-1].d && all[k].w < all[k-1].w {
					t.Errorf("%v has a shorter bar (%v) than %v (%v)", all[k].d, all[k].w, all[k-1].d, all[k-1].w)
				}
			}
			if !c.log && len(all) > 1 {
				// Linear: widths are proportional to durations.
				r0 := all[0].w / float64(all[0].d)
				for _, b := range all {
					if math.Abs(b.w/float64(b.d)/r0-1) > 0.02 {
						t.Errorf("bar of %v is %v wide, not proportional", b.d, b.w)
					}
				}
			}
		})
	}
	svg := string(IncidentTimes(Options{ID: "times"}, sampleIncidents()))
	for _, want := range []string{
		"<title>2024-01-22 Slow search: time to detect unknown, time to resolve 3 d</title>",
		">2 h 10 min</text>", ">1 h</text>", ">3 d</text>", ">15 min</text>", ">Database failover",
		">DNS misconfiguration</text>", ">Unknown date</text>",
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("missing %s", want)
		}
	}
	golden(t, "times-small.svg", []byte(svg))
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		30 * time.Second:             "30 s",
		90 * time.Second:             "2 min",
		45 * time.Minute:             "45 min",
		time.Hour:                    "1 h",
		2*time.Hour + 10*time.Minute: "2 h 10 min",
		23*time.Hour + 59*time.Minute + 50*time.Second: "1 d",
		26 * time.Hour: "1 d 2 h",
		72 * time.Hour: "3 d",
	} {
		if got := human(d); got != want {
			t.Errorf("human(%v) = %q, want %q", d, got, want)
		}
	}
}
