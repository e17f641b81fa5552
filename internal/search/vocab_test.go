package search

import (
	"fmt"
	"testing"
)

// TestVocab checks that a vocab numbers keys in the order they come,
// finds each again through its growth, tells keys apart that share a
// prefix or are empty, and that the strings it gave keep their text while
// later keys move the array they were cut from.
func TestVocab(t *testing.T) {
	var v vocab
	var strs []string
	keys := []string{"", "a", "ab", "abc", "b"}
	for i := range 5000 {
		keys = append(keys, fmt.Sprintf("key-%d", i), fmt.Sprintf("key-%d-", i))
	}
	for i, k := range keys {
		n, added := v.find([]byte(k))
		if !added || int(n) != i {
			t.Fatalf("find(%q) = %d, %v; want %d, true", k, n, added, i)
		}
		strs = append(strs, v.str(n))
	}
	if len(v.ends) != len(keys) {
		t.Fatalf("%d keys held, want %d", len(v.ends), len(keys))
	}
	for i, k := range keys {
		n, added := v.find([]byte(k))
		if added || int(n) != i {
			t.Errorf("find(%q) again = %d, %v; want %d, false", k, n, added, i)
		}
		if strs[i] != k || v.str(n) != k {
			t.Errorf("str(%d) = %q, given %q; want %q", n, v.str(n), strs[i], k)
		}
	}
	if n, added := v.find([]byte("key-5000")); !added || int(n) != len(keys) {
		t.Errorf("a new key after growth = %d, %v; want %d, true", n, added, len(keys))
	}
}
