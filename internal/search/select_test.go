package search

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestNthLargest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + r.IntN(2000)
		xs := make([]int, n)
		for i := range xs {
			switch trial % 3 {
			case 0:
				xs[i] = r.IntN(50) // many ties
			case 1:
				xs[i] = i // sorted
			default:
				xs[i] = r.IntN(1 << 20)
			}
		}
		k := 1 + r.IntN(n)
		sorted := slices.Clone(xs)
		slices.Sort(sorted)
		if got, want := nthLargest(slices.Clone(xs), k), sorted[n-k]; got != want {
			t.Fatalf("trial %d: %d-th largest of %d = %d, want %d", trial, k, n, got, want)
		}
	}
}

// TestCompareTerms: terms sort as JavaScript compares strings, by UTF-16
// code units, which puts characters past U+FFFF before U+E000–U+FFFF.
func TestCompareTerms(t *testing.T) {
	ordered := []string{"", "a", "ab", "b", "z", "é", "\U0001F600", "\U0001F601", "\U0001F680", "\uFB01"}
	for i := range ordered {
		for j := range ordered {
			if got, want := compareTerms(ordered[i], ordered[j]), cmp.Compare(i, j); got != want {
				t.Errorf("compareTerms(%q, %q) = %d, want %d", ordered[i], ordered[j], got, want)
			}
		}
	}
}
