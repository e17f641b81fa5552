package markdown

import (
	"bytes"
	"encoding/gob"
	"hash/maphash"
	"testing"
)

// TestFingerprintFollowsLinks: a document remembers the hash of how its
// links and references resolve, and forgets it when any of them changes:
// after each change its fingerprint is that of a document parsed anew
// and changed the same way, and differs from the one before. A copy
// decoded from a parse cache, once adopted, does the same.
func TestFingerprintFollowsLinks(t *testing.T) {
	src := []byte("See [a](a.md), <a href=\"b.md\">b</a> and [[Some page]] and [[other|the other]].\n")
	e := New(Options{})
	seed := maphash.MakeSeed()
	fp := func(d *Document) uint64 {
		var h maphash.Hash
		h.SetSeed(seed)
		d.Fingerprint(&h)
		return h.Sum64()
	}
	changes := []struct {
		name string
		do   func(d *Document)
	}{
		{"SetDest", func(d *Document) { d.Links[0].SetDest("/a/") }},
		{"SetDest of raw HTML", func(d *Document) { d.Links[1].SetDest("/b/") }},
		{"Unlink", func(d *Document) { d.Links[0].Unlink() }},
		{"Resolve", func(d *Document) { d.Refs[0].Resolve("/some/", "Some page") }},
		{"Resolve to another title", func(d *Document) { d.Refs[0].Resolve("/some/", "Some page, renamed") }},
		{"MakePlain", func(d *Document) { d.Refs[1].MakePlain() }},
		{"ResetLinks", func(d *Document) { d.ResetLinks() }},
	}
	kept := e.Parse(src, 1, ParseOptions{})
	// The parse cache's copy: encoded without its unexported fields.
	var buf bytes.Buffer
	enc := e.Parse(src, 1, ParseOptions{})
	enc.Root = nil // a cached parse keeps no syntax tree
	if err := gob.NewEncoder(&buf).Encode(enc); err != nil {
		t.Fatal(err)
	}
	var decoded Document
	if err := gob.NewDecoder(&buf).Decode(&decoded); err != nil {
		t.Fatal(err)
	}
	decoded.Adopt()
	if len(kept.Links) != 2 || len(kept.Refs) != 2 {
		t.Fatalf("%d links and %d references, want 2 and 2", len(kept.Links), len(kept.Refs))
	}
	before, beforeDecoded := fp(kept), fp(&decoded)
	for i, c := range changes {
		c.do(kept)
		c.do(&decoded)
		fresh := e.Parse(src, 1, ParseOptions{})
		for _, c := range changes[:i+1] {
			c.do(fresh)
		}
		now := fp(kept)
		if want := fp(fresh); now != want {
			t.Errorf("after %s: the fingerprint is not a fresh document's", c.name)
		}
		if now == before && c.name != "ResetLinks" {
			t.Errorf("after %s: the fingerprint did not change", c.name)
		}
		before = now
		// The decoded copy has no parse-time HTML (not encoded): its sum
		// of the links alone is compared.
		if got := fp(&decoded); got == beforeDecoded && c.name != "ResetLinks" {
			t.Errorf("after %s: the decoded copy's fingerprint did not change", c.name)
		} else {
			beforeDecoded = got
		}
		if decoded.linksSumNow() != kept.linksSumNow() {
			t.Errorf("after %s: the decoded copy's links hash otherwise", c.name)
		}
	}
}
