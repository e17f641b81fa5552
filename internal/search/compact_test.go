package search

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"
)

// TestPostingSize: a site has millions of postings, all kept for Update;
// a field more, or a slice, shows here.
func TestPostingSize(t *testing.T) {
	if n := unsafe.Sizeof(posting{}); n != 16 {
		t.Errorf("a posting takes %d bytes, want 16", n)
	}
}

// TestPostingBits: a posting gives back the flags, facet and section it
// was made of, the section up to the largest the index format writes.
func TestPostingBits(t *testing.T) {
	for _, o := range []occ{
		{},
		{flags: flagTitle | flagFirst | 3<<flagLenShift, sec: 7},
		{flags: 3 << flagLenShift, facet: true},
		{flags: flagTitle, sec: 1<<(31-flagBits) - 1},
	} {
		p := posting{bits: o.bits()}
		if p.flags() != o.flags || p.facet() != o.facet || p.sec() != o.sec {
			t.Errorf("occ flags %d facet %v sec %d: posting gives %d %v %d", o.flags, o.facet, o.sec, p.flags(), p.facet(), p.sec())
		}
	}
}

// TestPositions: positions come back as they went in, whatever their
// order, one list after another.
func TestPositions(t *testing.T) {
	lists := [][]int32{{}, {0}, {3, 4, 200, 70000}, {5, 2, -1, 1<<31 - 1, -1 << 31}, {1<<31 - 1}}
	var enc []byte
	var at []int
	for _, l := range lists {
		at = append(at, len(enc))
		enc = appendPositions(enc, l)
	}
	next := 0
	for i, l := range lists {
		if next != at[i] {
			t.Fatalf("list %d: skipPositions gave offset %d, want %d", i, next, at[i])
		}
		var want []string
		for _, x := range l {
			want = append(want, strconv.Itoa(int(x)))
		}
		if got := string(appendDecimals(nil, enc[at[i]:])); got != strings.Join(want, ",") {
			t.Errorf("list %d: %q, want %q", i, got, strings.Join(want, ","))
		}
		next = skipPositions(enc, next)
	}
	if next != len(enc) {
		t.Errorf("skipPositions ended at %d of %d", next, len(enc))
	}
}

// TestIDSet: a set gives back its numbers sorted, the same number twice
// if it was given twice.
func TestIDSet(t *testing.T) {
	for _, ids := range [][]int32{nil, {0}, {5, 5}, {300000, 2, 127, 128, 0, 16384, 2}} {
		want := slices.Sorted(slices.Values(ids))
		got := slices.Collect(newIDSet(slices.Clone(ids)).all())
		if !slices.Equal(got, want) {
			t.Errorf("set of %v gives %v, want %v", ids, got, want)
		}
	}
}

// TestAppendString: strings are written as json.Marshal writes them,
// escapes and all.
func TestAppendString(t *testing.T) {
	for _, s := range []string{"", "kubectl", "max_connections", "kind:runbook", "~abc05", `a"b`, `a\b`, "<b>&</b>", "tab\there", "\x7f\x00", "zürich", "\u2028", "\xff", "🙂"} {
		want, _ := json.Marshal(s)
		if got := appendString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendString(%q) = %s, want x%s", s, got, want)
		}
	}
}
