package markdown

import "hash/maphash"

// Fingerprint writes to h what the document's HTML is made of (see
// Engine.Render): the HTML rendered at parse time, with its holes, and
// how each link and reference is resolved now. Two fingerprints are equal
// when the HTML is; a fingerprint taken before a link is resolved again
// may differ from one taken after, even when the HTML does not.
//
// The parse-time HTML is hashed through sum, when given, which may return
// a value remembered from an earlier call for the same document: it
// receives the bytes to hash.
func (d *Document) Fingerprint(h *maphash.Hash, sum func(html []byte) uint64) {
	if sum != nil {
		maphash.WriteComparable(h, sum(d.html))
	} else {
		h.Write(d.html)
	}
	maphash.WriteComparable(h, len(d.holes))
	maphash.WriteComparable(h, d.unsafe)
	for _, l := range d.Links {
		h.WriteString(l.Target())
		h.WriteByte(0)
		maphash.WriteComparable(h, l.plain)
	}
	for _, r := range d.Refs {
		h.WriteString(r.URL)
		h.WriteByte(0)
		h.WriteString(r.Title)
		h.WriteByte(0)
		maphash.WriteComparable(h, r.Resolved)
		maphash.WriteComparable(h, r.Plain)
		h.WriteString(r.Label)
		h.WriteByte(0)
		h.WriteString(r.Target)
		h.WriteByte(0)
	}
}
