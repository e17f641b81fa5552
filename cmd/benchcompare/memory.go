package main

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// memorySeries is the resident memory of handbook serve after each of a
// number of edits of mixed kinds, in KiB.
type memorySeries struct {
	n       int
	start   int64 // after the first build, before any edit
	after   []int64
	elapsed []float64 // each edit's time to its reload event, in seconds
}

// serveMemory starts handbook serve on site and makes edits saves of every
// kind in turn (editPlan's steps, undoing steps included), reading VmRSS
// from /proc after each one's reload event.
func serveMemory(handbook, site string, n, edits int) (memorySeries, error) {
	m := memorySeries{n: n}
	steps, restore, err := editPlan(site, (edits+len(editKinds)+3)/(len(editKinds)+3)+1)
	if err != nil {
		return m, err
	}
	defer restore()
	steps = steps[:min(edits, len(steps))]
	hb, err := startHandbook(handbook, site)
	if err != nil {
		return m, err
	}
	defer hb.stop()
	m.start = hb.rss()
	for i, s := range steps {
		_, d, err := hb.edit(s)
		if err != nil {
			return m, fmt.Errorf("edit %d (%s): %w", i+1, s.kind, err)
		}
		m.after = append(m.after, hb.rss())
		m.elapsed = append(m.elapsed, d.Seconds())
		if (i+1)%25 == 0 {
			fmt.Fprintf(os.Stderr, "  serve memory    %6d pages: %d edits, %d MB\n", n, i+1, m.after[i]>>10)
		}
	}
	return m, nil
}

// summary returns first, median, max and last of the series.
func (m memorySeries) summary() (first, med, top, last int64) {
	if len(m.after) == 0 {
		return
	}
	s := slices.Clone(m.after)
	slices.Sort(s)
	return m.after[0], s[len(s)/2], s[len(s)-1], m.after[len(m.after)-1]
}

// memoryTable returns the Markdown summary of the series, with the whole
// series written compactly (MB after each edit, 25 to a line).
func memoryTable(ms []memorySeries) string {
	var b strings.Builder
	b.WriteString("| serve resident memory (VmRSS) | pages | after start | after edit 1 | median | max | last | edits |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	for _, m := range ms {
		f, med, top, last := m.summary()
		fmt.Fprintf(&b, "| handbook serve | %d | %s | %s | %s | %s | %s | %d |\n", m.n, mb(m.start), mb(f), mb(med), mb(top), mb(last), len(m.after))
	}
	for _, m := range ms {
		fmt.Fprintf(&b, "\nMB after each edit, %d pages (the kinds in turn: %s; a new, deleted or renamed page is undone by the edit after it):\n\n```text\n", m.n, strings.Join(editKinds, ", "))
		for i, v := range m.after {
			if i > 0 && i%25 == 0 {
				b.WriteString("\n")
			} else if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, "%d", v>>10)
		}
		b.WriteString("\n```\n")
	}
	return b.String()
}
