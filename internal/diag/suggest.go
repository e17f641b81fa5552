package diag

import "strings"

// EditDistance is the Levenshtein distance between a and b, counted in
// bytes: what "did you mean …?" hints in messages are chosen by.
func EditDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Nearest returns the name of names that s most likely misspells, for a
// "did you mean …?" hint: within edit distance 2 (1 for words of four
// letters or less), ignoring case, the one sharing the longest start with
// s when several are as near; "" when none is, when several are, or when
// s is the name itself.
func Nearest(s string, names []string) string {
	low := strings.ToLower(s)
	best, bestD, ties := "", 3, 0
	for _, n := range names {
		ln := strings.ToLower(n)
		d := EditDistance(low, ln)
		switch {
		case d < bestD:
			best, bestD, ties = n, d, 0
		case d == bestD && commonPrefix(low, ln) > commonPrefix(low, strings.ToLower(best)):
			best, ties = n, 0 // "titel": title before tier
		case d == bestD && commonPrefix(low, ln) == commonPrefix(low, strings.ToLower(best)):
			ties++
		}
	}
	if best == "" || ties > 0 || best == s || len(low) <= 4 && bestD > 1 {
		return ""
	}
	return best
}

func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}
