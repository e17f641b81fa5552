package site

import (
	"math/rand/v2"
	"testing"
)

// TestSlugTakesSlugsAsTheyAre checks that Slug gives, for names that are
// slugs already (which it returns as they are), what making them rune by
// rune gives, and for random names over the characters that matter.
func TestSlugTakesSlugsAsTheyAre(t *testing.T) {
	names := []string{"", "a", "db-failover", "v1.2", "a_b", "-a", "a-", "a--b", ".a", "a.", "a.-b", "a-.b", "A", "Été", "a b", "a/b", "..", "-", "0", "release-notes_2024.md"}
	r := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("ab09_.-- AZé/")
	for range 20000 {
		n := r.IntN(7)
		rs := make([]rune, n)
		for i := range rs {
			rs[i] = alphabet[r.IntN(len(alphabet))]
		}
		names = append(names, string(rs))
	}
	fast := 0
	for _, name := range names {
		if got, want := Slug(name), slug(name); got != want {
			t.Fatalf("Slug(%q) = %q, want %q", name, got, want)
		}
		if isSlug(name) {
			fast++
		}
	}
	if fast < 1000 {
		t.Errorf("only %d of %d names taken as slugs: the test does not try the fast path", fast, len(names))
	}
}
