package markdown

import (
	"hash/maphash"
	"sync/atomic"
)

// htmlSeed seeds the hashes of documents' parse-time HTML (htmlSum):
// they are compared within one process only.
var htmlSeed = maphash.MakeSeed()

// Fingerprint writes to h what the document's HTML is made of (see
// Engine.Render): the HTML rendered at parse time, with its holes, and
// how each link and reference is resolved now. Two fingerprints are equal
// when the HTML is; a fingerprint taken before a link is resolved again
// may differ from one taken after, even when the HTML does not.
//
// The parse-time HTML, which does not change, is hashed once, on the
// first call, and its hash written after.
func (d *Document) Fingerprint(h *maphash.Hash) {
	maphash.WriteComparable(h, d.htmlSum())
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

// htmlSum returns the hash of the parse-time HTML (packed: packing is
// deterministic), remembered in the document. Calls on several cores may
// each hash it once; they store the same.
func (d *Document) htmlSum() uint64 {
	if s := atomic.LoadUint64(&d.sum); s != 0 {
		return s
	}
	s := maphash.Bytes(htmlSeed, d.html) | 1 // never 0, which means not yet
	atomic.StoreUint64(&d.sum, s)
	return s
}
