package search

import (
	"cmp"
	"slices"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Typo tolerance draws on the index's vocabulary: the words of the pages
// (folded, not stemmed, as a reader types them), each filed under a few
// three-letter keys such that a word one edit away from another shares a
// key with it. The client looks up the keys of a word that matches
// nothing and corrects it to the words filed there (FORMAT.md, "Near
// lists").
//
// The keys of a word are its first three letters and the first three
// letters left after deleting its first, second or third letter. When two
// words are one edit apart (a letter inserted, deleted, replaced, or two
// swapped), one of the keys of the one is a key of the other: an edit past
// the third letter leaves the first three alike; an edit among them is
// undone by deleting the letter it touched (on both sides for a
// replacement, on the longer side for an insertion, the swapped pair's
// first letter on one side and its second on the other). The keys depend
// only on a word's first four letters, so an unfinished word finds the
// words it starts like too. A word of three letters is filed under itself
// only: words of four letters or more, the only ones corrected, find it
// there.

const (
	// nearPrefix starts the pseudo-terms holding near lists: no word or
	// identifier starts with it.
	nearPrefix = "~"
	// nearCap is how many words a key lists at most: the most frequent.
	nearCap = 48
	// nearMin and nearMax bound the length, in letters, of the words
	// listed.
	nearMin, nearMax = 3, 40
)

// nearWord reports whether the folded word w is listed: 3 to 40
// characters with a letter, and not a number or hash (at most three
// digits).
func nearWord(w string) bool {
	n, letters, digits := 0, 0, 0
	for _, r := range w {
		n++
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.IsDigit(r):
			digits++
		}
	}
	return n >= nearMin && n <= nearMax && letters > 0 && digits <= 3
}

// nearKeys calls f with each distinct key of the folded word w.
func nearKeys(w string, f func(key string)) {
	var rs [4]rune
	n := 0
	for _, r := range w {
		if n == len(rs) {
			break
		}
		rs[n] = r
		n++
	}
	var seen [4]string
	k := 0
	add := func(key string) {
		for _, s := range seen[:k] {
			if s == key {
				return
			}
		}
		seen[k] = key
		k++
		f(key)
	}
	add(string(rs[:min(n, 3)]))
	if n < 4 {
		return // a word of three letters is filed under itself only
	}
	for del := 0; del < 3; del++ {
		var b [3]rune
		m := 0
		for i := 0; i < n && m < 3; i++ {
			if i != del {
				b[m] = rs[i]
				m++
			}
		}
		add(string(b[:m]))
	}
}

// nearSlots calls f with each list the folded word w is filed in: each
// of its keys followed by its length in two digits ("con16" for
// "containerization"), so that a list holds words of one length only and
// a correction looks only at the lengths it can reach.
func nearSlots(w string, f func(slot string)) {
	n := min(utf8.RuneCountInString(w), 99)
	suffix := string([]byte{byte('0' + n/10), byte('0' + n%10)})
	nearKeys(w, func(k string) { f(k + suffix) })
}

// nearState is what the index keeps of its vocabulary: each document's
// words (numbered by in), every word's document frequency, the words of
// each key and the lists written (the most frequent of them).
type nearState struct {
	in       *interner
	vocab    []idSet
	wordDF   map[string]int
	keyWords map[string][]string
	lists    map[string][]string
}

// buildNear files the vocabulary of every document (vocab, by document).
// A static index keeps none of it but the lists.
func (ix *Index) buildNear(vocab []idSet) {
	ns := &nearState{in: ix.in, vocab: vocab, wordDF: map[string]int{}, keyWords: map[string][]string{}, lists: map[string][]string{}}
	df := make([]int32, len(ix.in.strs))
	for _, ws := range vocab {
		for w := range ws.all() {
			df[w]++
		}
	}
	for w, n := range df {
		if n > 0 {
			ns.wordDF[ix.in.str(int32(w))] = int(n)
		}
	}
	if ix.static() {
		ns.vocab = nil
	}
	for w := range ns.wordDF {
		nearSlots(w, func(k string) { ns.keyWords[k] = append(ns.keyWords[k], w) })
	}
	for k, ws := range ns.keyWords {
		ns.sort(ws)
		ns.lists[k] = ws[:min(len(ws), nearCap):min(len(ws), nearCap)]
	}
	ix.near = ns
}

// list returns the words listed under key k: the nearCap most frequent,
// most frequent first, of equal frequency in order.
func (ns *nearState) list(k string) []string {
	ws := slices.Clone(ns.keyWords[k])
	ns.sort(ws)
	return ws[:min(len(ws), nearCap)]
}

// sort puts ws in the order of a list: most frequent first, of equal
// frequency in order.
func (ns *nearState) sort(ws []string) {
	slices.SortFunc(ws, func(a, b string) int {
		if c := cmp.Compare(ns.wordDF[b], ns.wordDF[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
}

// replace swaps document id's words for ws and returns the pseudo-terms
// whose lists changed.
func (ns *nearState) replace(id int, ws idSet) []string {
	diff := map[string]int{}
	for w := range ns.vocab[id].all() {
		diff[ns.in.str(w)]--
	}
	for w := range ws.all() {
		diff[ns.in.str(w)]++
	}
	ns.vocab[id] = ws
	keys := map[string]bool{}
	for w, d := range diff {
		if d == 0 {
			continue
		}
		old := ns.wordDF[w]
		n := old + d
		if n <= 0 {
			delete(ns.wordDF, w)
		} else {
			ns.wordDF[w] = n
		}
		nearSlots(w, func(k string) {
			keys[k] = true
			switch {
			case old == 0:
				ns.keyWords[k] = append(ns.keyWords[k], w)
			case n <= 0:
				if i := slices.Index(ns.keyWords[k], w); i >= 0 {
					ns.keyWords[k] = slices.Delete(ns.keyWords[k], i, i+1)
				}
			}
		})
	}
	var touched []string
	for k := range keys {
		l := ns.list(k)
		if slices.Equal(l, ns.lists[k]) && !slices.ContainsFunc(l, func(w string) bool { return diff[w] != 0 }) {
			continue // the same words, with the same frequencies
		}
		if len(l) == 0 {
			delete(ns.lists, k)
			delete(ns.keyWords, k)
		} else {
			ns.lists[k] = l
		}
		touched = append(touched, nearPrefix+k)
	}
	return touched
}

// encodeNear appends the near list of pseudo-term t to the chunk c, and
// its empty positions to p: the words and their document frequencies,
// most frequent first.
func (ix *Index) encodeNear(c, p []byte, t string) ([]byte, []byte) {
	c = appendString(c, t)
	c = append(c, `:{"n":[`...)
	for i, w := range ix.near.lists[t[len(nearPrefix):]] {
		if i > 0 {
			c = append(c, ',')
		}
		c = appendString(c, w)
		c = append(c, ',')
		c = strconv.AppendInt(c, int64(ix.near.wordDF[w]), 10)
	}
	c = append(c, "]}"...)
	p = appendString(p, t)
	p = append(p, ":[]"...)
	return c, p
}
