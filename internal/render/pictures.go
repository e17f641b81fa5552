package render

import (
	"fmt"
	"html/template"
	"slices"
	"time"

	"github.com/handbook-dev/handbook/internal/chart"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// newWindow is how recent an evaluation without history must be, relative
// to the newest evaluation, to be marked new on the radar.
const newWindow = 183 * 24 * time.Hour

// radar draws the tech radar of the evaluations: of more than PageSize,
// the PageSize evaluated last (see mostRecent).
func (r *Renderer) radar(evals []*site.Page) []Figure {
	if len(evals) == 0 {
		return nil
	}
	schema := r.Site.Config.Schema
	var newest time.Time
	for _, p := range evals {
		if p.Date.After(newest) {
			newest = p.Date
		}
	}
	// The quadrants and rings are of every evaluation, drawn or not.
	frame := r.Site.Radar(evals)
	drawn := mostRecent(evals, PageSize)
	blips := make([]chart.Blip, 0, len(drawn))
	for _, i := range drawn {
		p := evals[i]
		e := p.Evaluation
		b := chart.Blip{Title: p.Title, Href: p.Href, Quadrant: frame.Quadrant[i], Ring: frame.Ring[i]}
		if prev := previousRing(e); prev != "" {
			now, was := slices.Index(schema.Rings, e.Ring), slices.Index(schema.Rings, prev)
			switch {
			case now >= 0 && was >= 0 && now < was:
				b.Moved = -1
			case now >= 0 && was >= 0 && now > was:
				b.Moved = 1
			}
		} else if len(e.History) == 0 && !p.Date.IsZero() && newest.Sub(p.Date) <= newWindow {
			b.New = true
		}
		blips = append(blips, b)
	}
	svg, skipped := chart.Radar(chart.RadarOptions{ID: "radar", Title: "Tech radar", Quadrants: frame.Quadrants, Rings: frame.Rings}, blips)
	caption := "The tech radar: each evaluation in its quadrant and ring, numbered as in the legend. The table below lists the same evaluations."
	if len(drawn) < len(evals) {
		caption = fmt.Sprintf("The tech radar of the %d evaluations made last, of %d: each in its quadrant and ring, numbered as in the legend. The table below lists every evaluation.", len(drawn), len(evals))
	}
	if skipped > 0 {
		caption += " Evaluations without a ring or quadrant are not drawn."
	}
	return []Figure{{Class: "radar", Caption: caption, SVG: template.HTML(svg)}}
}

// previousRing is the ring of the newest history entry, the one the
// evaluation moved from; "" without history.
func previousRing(e *page.Evaluation) string {
	var last page.HistoryEntry
	for _, h := range e.History {
		if last.Ring == "" || !h.Date.Before(last.Date) {
			last = h
		}
	}
	return last.Ring
}

// adrGraph draws the ADRs over time with their supersessions: of more
// than PageSize, the PageSize decided last (see mostRecent).
func (r *Renderer) adrGraph(adrs []*site.Page) []Figure {
	if len(adrs) == 0 {
		return nil
	}
	all := len(adrs)
	adrs = pick(adrs, mostRecent(adrs, PageSize))
	index := make(map[*site.Page]int, len(adrs))
	for i, p := range adrs {
		index[p] = i
	}
	nodes := make([]chart.ADRNode, len(adrs))
	for i, p := range adrs {
		n := chart.ADRNode{Label: p.ADRLabel(), Title: p.Title, Href: p.Href, Status: p.ADR.Status, Date: p.Date}
		if n.Label == "" {
			n.Label = p.Title
		}
		for _, t := range p.Supersedes {
			if j, ok := index[t]; ok {
				n.Supersedes = append(n.Supersedes, j)
			}
		}
		nodes[i] = n
	}
	svg := chart.ADRGraph(chart.Options{ID: "adr-graph", Title: "Decisions over time"}, nodes)
	caption := "Each decision by date and status; an arrow goes from a decision to the one it supersedes. The table below lists the same decisions."
	if len(adrs) < all {
		caption = fmt.Sprintf("The %d decisions made last, of %d, by date and status; an arrow goes from a decision to the one it supersedes. The table below lists every decision.", len(adrs), all)
	}
	return []Figure{{Class: "adr-graph", Caption: caption, SVG: template.HTML(svg)}}
}

// mostRecent returns the places in ps of the n pages with the latest
// dates (undated pages count as the oldest; of the same date, those later
// in ps), in the order of ps: every place when ps has n or fewer. A
// picture of every page of a long log grows without bound, as a list not
// cut into pages would: 15,000 decisions drew a graph of 5 MB, 36,000
// pixels high, on the ADR log's first page, and 5,000 evaluations a radar
// of 2.3 MB.
func mostRecent(ps []*site.Page, n int) []int {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	if len(ps) <= n {
		return order
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := ps[b].Date.Compare(ps[a].Date); c != 0 {
			return c
		}
		return b - a
	})
	keep := order[:n]
	slices.Sort(keep)
	return keep
}

// pick returns the pages of ps at places.
func pick(ps []*site.Page, places []int) []*site.Page {
	if len(places) == len(ps) {
		return ps
	}
	out := make([]*site.Page, len(places))
	for i, k := range places {
		out[i] = ps[k]
	}
	return out
}

// incidentCharts draws postmortems per month by severity, and time to
// detect and to resolve per incident.
//
// The times have a row per incident: of a log longer than a page, only the
// incidents of the first page of its table (shown) are drawn, so that the
// picture, like the table, does not grow without bound (1,500 postmortems
// made a megabyte of it).
func (r *Renderer) incidentCharts(pms, shown []*site.Page) []Figure {
	if len(pms) == 0 {
		return nil
	}
	incidents := func(ps []*site.Page) []chart.Incident {
		out := make([]chart.Incident, 0, len(ps))
		for _, p := range ps {
			m := p.Postmortem
			out = append(out, chart.Incident{Title: p.Title, Href: p.Href, Severity: m.Severity, Date: p.Date, TTD: m.TimeToDetect(), TTR: m.TimeToResolve()})
		}
		slices.SortStableFunc(out, func(a, b chart.Incident) int { return a.Date.Compare(b.Date) })
		return out
	}
	all := incidents(pms)
	times, caption := all, "Time to detect and time to resolve, per incident. The table below gives the same figures."
	if len(shown) < len(pms) {
		times = incidents(shown)
		caption = fmt.Sprintf("Time to detect and time to resolve of the %d incidents on this page. The table below gives the same figures.", len(shown))
	}
	sev := r.Site.Config.Schema.Severities
	return []Figure{
		{Class: "incidents-per-month", Caption: "Postmortems per month, by severity.", SVG: template.HTML(chart.IncidentsPerMonth(chart.Options{ID: "incidents-month", Title: "Incidents per month"}, sev, all))},
		{Class: "incident-times", Caption: caption, SVG: template.HTML(chart.IncidentTimes(chart.Options{ID: "incident-times", Title: "Time to detect and to resolve"}, times))},
	}
}
