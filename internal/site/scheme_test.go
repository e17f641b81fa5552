package site

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestHasScheme: hasScheme says what the regular expression of a URL
// scheme says, on links as written and on random strings of the
// characters that matter.
func TestHasScheme(t *testing.T) {
	re := regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
	cases := []string{"", ":", "a:", "https://example.com", "mailto:x@y.z", "C:\\path", "1http:", "git+ssh://h", "../a.md", "a.md#x:y", "/abs:path", "x-y.z+w:", "h ttp:", "é:", "#frag"}
	r := rand.New(rand.NewPCG(1, 2))
	chars := "aZ09+.-:/# é"
	for range 20000 {
		b := make([]byte, r.IntN(8))
		for i := range b {
			b[i] = chars[r.IntN(len(chars))]
		}
		cases = append(cases, string(b))
	}
	for _, c := range cases {
		if got, want := hasScheme(c), re.MatchString(c); got != want {
			t.Errorf("hasScheme(%q) = %v, the expression says %v", c, got, want)
		}
	}
}
