package site

import (
	"strings"
	"testing"
)

func TestADRTitleNumber(t *testing.T) {
	for _, c := range []struct {
		title  string
		number int
		n      int
		rest   string
		ok     bool
	}{
		{"2. Use Kafka", 2, 2, "Use Kafka", true},
		{"ADR-0002: Use Kafka", 2, 2, "Use Kafka", true},
		{"0002 - Use Kafka", 2, 2, "Use Kafka", true},
		{"0002 Use Kafka", 2, 2, "Use Kafka", true},
		{"[ADR-2] Use Kafka", 2, 2, "Use Kafka", true},
		{"adr 2 — Use Kafka", 2, 2, "Use Kafka", true},
		{"2. Use Kafka", -1, 2, "Use Kafka", true},       // the number comes from the title
		{"3. Use Kafka", 2, 0, "", false},                // another ADR's number: left alone
		{"3 environments per service", -1, 0, "", false}, // a bare number without separator
		{"3 environments per service", 5, 0, "", false},
		{"2FA for all staff", 2, 0, "", false},
		{"Use Kafka", 2, 0, "", false},
		{"2.", 2, 0, "", false},
	} {
		n, rest, ok := adrTitleNumber(c.title, c.number)
		if n != c.n || rest != c.rest || ok != c.ok {
			t.Errorf("adrTitleNumber(%q, %d) = %d, %q, %v; want %d, %q, %v", c.title, c.number, n, rest, ok, c.n, c.rest, c.ok)
		}
	}
}

func TestCompareFold(t *testing.T) {
	words := []string{"", "a", "A", "ab", "aB", "Ab", "b", "Zürich", "zürich", "ZÜRICH", "zurich", "Ärger", "arg", "İstanbul", "istanbul", "K8s", "k8s", "KELVIN", "Kelvin", "\u212Aelvin", "a b", "a-b", "a_b", "ß", "SS", "ss"}
	for _, a := range words {
		for _, b := range words {
			if got, want := CompareFold(a, b), strings.Compare(strings.ToLower(a), strings.ToLower(b)); got != want {
				t.Errorf("CompareFold(%q, %q) = %d, want %d", a, b, got, want)
			}
		}
	}
}
