// Package golden helps tests compare output with golden files and find
// the shared corpus they check real content against.
//
// Diff is a line diff in the unified format (the shortest edit script of
// Myers' algorithm, shown as hunks with context), so that one inserted
// line reads as one "+" line in a test failure, not as every line after
// it differing. Golden files themselves are txtar archives read with
// rogpeppe/go-internal/txtar and rewritten by each test's -update flag.
//
// CorpusDir finds ../shared/corpus beside the repository, skipping the
// test when it is absent unless HANDBOOK_REQUIRE_CORPUS=1 says that a
// missing corpus is a failure (make test sets it when the corpus is there).
package golden

import (
	"fmt"
	"strings"
)

// maxLines is how many changed ("-" or "+") lines Diff shows.
const maxLines = 40

// contextLines is how many unchanged lines Diff shows around a change.
const contextLines = 3

// maxEdits bounds the work of the diff: inputs that differ in more lines
// than this (after their common start and end) are shown as all of want
// removed and all of got added.
const maxEdits = 2000

// Diff returns the differences between want and got, line by line, in the
// unified diff format: a "--- want" and "+++ got" header, then hunks
// "@@ -l,n +l,n @@" of lines that are the same (" "), only in want ("-")
// or only in got ("+"), with up to three lines of context, at most
// maxLines changed lines in all. A last line without a newline is
// followed by "\ No newline at end of file". Diff returns "" when want
// and got are equal.
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	a, b := splitLines(want), splitLines(got)
	edits := diffLines(a, b)

	var out strings.Builder
	out.WriteString("--- want\n+++ got\n")
	shown := 0
	for _, h := range hunks(edits) {
		es := edits[h[0]:h[1]]
		aStart, bStart := es[0].a, es[0].b
		var aN, bN int
		for _, e := range es {
			if e.op != '+' {
				aN++
			}
			if e.op != '-' {
				bN++
			}
		}
		fmt.Fprintf(&out, "@@ -%s +%s @@\n", hunkRange(aStart, aN), hunkRange(bStart, bN))
		for _, e := range es {
			if e.op != ' ' {
				if shown == maxLines {
					fmt.Fprintf(&out, "… and %d more changed lines\n", changed(edits)-shown)
					return out.String()
				}
				shown++
			}
			var line string
			if e.op == '-' {
				line = a[e.a]
			} else {
				line = b[e.b]
			}
			out.WriteByte(e.op)
			out.WriteString(strings.TrimSuffix(line, "\n"))
			out.WriteByte('\n')
			if !strings.HasSuffix(line, "\n") {
				out.WriteString("\\ No newline at end of file\n")
			}
		}
	}
	return out.String()
}

// splitLines splits s after each newline; the last line has none when s
// does not end with one.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// edit is one line of a diff: op is ' ' (in both), '-' (only in want) or
// '+' (only in got); a and b are the line's index in want and in got (for
// '+', a is where it goes in want; for '-', b is where it was in got).
type edit struct {
	op   byte
	a, b int
}

func changed(edits []edit) int {
	n := 0
	for _, e := range edits {
		if e.op != ' ' {
			n++
		}
	}
	return n
}

// hunkRange formats a hunk's line range: 1-based start and count, the
// count left out when it is 1, and the start being the line before when
// the count is 0, as diff -u writes them.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start)
	case 1:
		return fmt.Sprintf("%d", start+1)
	}
	return fmt.Sprintf("%d,%d", start+1, n)
}

// hunks groups edits into [from, to) ranges: each change with contextLines
// unchanged lines around it, ranges closer than twice that merged.
func hunks(edits []edit) [][2]int {
	var hs [][2]int
	for i, e := range edits {
		if e.op == ' ' {
			continue
		}
		from, to := max(i-contextLines, 0), min(i+1+contextLines, len(edits))
		if n := len(hs); n > 0 && from <= hs[n-1][1] {
			hs[n-1][1] = to
			continue
		}
		hs = append(hs, [2]int{from, to})
	}
	return hs
}

// diffLines returns a shortest edit script from a to b: every line of
// both, in order, each kept, removed or added.
func diffLines(a, b []string) []edit {
	// The common start and end need no search.
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var edits []edit
	for i := 0; i < pre; i++ {
		edits = append(edits, edit{' ', i, i})
	}
	for _, e := range myers(a[pre:len(a)-suf], b[pre:len(b)-suf]) {
		edits = append(edits, edit{e.op, e.a + pre, e.b + pre})
	}
	for i := suf; i > 0; i-- {
		edits = append(edits, edit{' ', len(a) - i, len(b) - i})
	}
	return edits
}

// myers is Myers' O((N+M)D) greedy algorithm ("An O(ND) Difference
// Algorithm and Its Variations", 1986): for each number of edits d it
// records the furthest point reached on each diagonal k = x - y, then
// walks back from the end through the recorded points. Past maxEdits it
// gives up and replaces all of a by all of b.
func myers(a, b []string) []edit {
	n, m := len(a), len(b)
	limit := min(n+m, maxEdits)
	off := limit + 1
	v := make([]int, 2*limit+3) // v[off+k]: furthest x on diagonal k
	var trace [][]int           // trace[d]: v on diagonals -d..d before step d
	end := -1
	for d := 0; d <= limit && end < 0; d++ {
		trace = append(trace, append([]int(nil), v[off-d:off+d+1]...))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || (k != d && v[off+k-1] < v[off+k+1]) {
				x = v[off+k+1] // down: a line of b added
			} else {
				x = v[off+k-1] + 1 // right: a line of a removed
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[off+k] = x
			if x >= n && y >= m {
				end = d
				break
			}
		}
	}
	if end < 0 {
		var edits []edit
		for i := range a {
			edits = append(edits, edit{'-', i, 0})
		}
		for j := range b {
			edits = append(edits, edit{'+', n, j})
		}
		return edits
	}

	// Walk back from (n, m), collecting the edits in reverse.
	var rev []edit
	x, y := n, m
	for d := end; d >= 0; d-- {
		prevX, prevY := 0, 0
		if d > 0 {
			tv := trace[d]
			at := func(k int) int { return tv[k+d] }
			k := x - y
			prevK := k - 1
			if k == -d || (k != d && at(k-1) < at(k+1)) {
				prevK = k + 1
			}
			prevX = at(prevK)
			prevY = prevX - prevK
		}
		// The snake: lines in both.
		for x > prevX && y > prevY {
			x--
			y--
			rev = append(rev, edit{' ', x, y})
		}
		if d == 0 {
			break
		}
		if x == prevX {
			rev = append(rev, edit{'+', x, prevY})
		} else {
			rev = append(rev, edit{'-', prevX, y})
		}
		x, y = prevX, prevY
	}
	edits := make([]edit, len(rev))
	for i, e := range rev {
		edits[len(rev)-1-i] = e
	}
	return edits
}
