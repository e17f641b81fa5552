package diag

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// rawFindings makes n findings as a check gathers them before they are
// sorted: runs (a rule's findings, page after page) each in order, over
// the files of a docs tree, some findings twice.
func rawFindings(r *rand.Rand, n, runs int) List {
	files := make([]string, max(n/3, 1))
	for i := range files {
		files[i] = fmt.Sprintf("docs%d/en/section-%02d/topic-%04d.md", i%10, i%37, i)
	}
	slices.Sort(files)
	rules := []string{"broken-link", "broken-anchor", "required-field", "heading-skip"}
	var l List
	for run := 0; len(l) < n; run++ {
		var part List
		for i := 0; i < max(n/runs, 1) && len(l)+len(part) < n; i++ {
			part = append(part, Diagnostic{Pos: Position{File: files[r.IntN(len(files))], Line: 1 + r.IntN(50), Col: 1 + r.IntN(5)}, Severity: Severity(r.IntN(3)), Rule: rules[r.IntN(len(rules))], Message: fmt.Sprint("message ", r.IntN(3))})
		}
		slices.SortFunc(part, compare)
		if r.IntN(4) == 0 && len(part) > 0 {
			part = append(part, part[len(part)-1]) // found twice
		}
		l = append(l, part...)
	}
	return l
}

// TestSortMergesRuns checks that Sort gives what sorting the whole list
// and dropping duplicates gives, for lists of one run, of a few, and of
// more than it merges.
func TestSortMergesRuns(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, runs := range []int{1, 2, 3, 7, 64, 65, 500} {
		for _, n := range []int{0, 1, 5, 100, 3000} {
			raw := rawFindings(r, n, runs)
			want := slices.Clone(raw)
			slices.SortFunc(want, compare)
			want = slices.Compact(want)
			got := slices.Clone(raw)
			got.Sort()
			if !slices.Equal(got, want) {
				t.Fatalf("%d findings in %d runs: Sort gave %d findings, want %d (or another order)", n, runs, len(got), len(want))
			}
		}
	}
}

// BenchmarkSort sorts 27,000 findings in a dozen runs, as many as a
// check of the docs-hugo corpus copied ten times finds.
func BenchmarkSort(b *testing.B) {
	raw := rawFindings(rand.New(rand.NewPCG(1, 2)), 27000, 12)
	l := make(List, len(raw))
	for b.Loop() {
		l = append(l[:0], raw...)
		l.Sort()
	}
}
