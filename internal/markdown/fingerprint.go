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
// first call, and its hash written after; how the links resolve is
// hashed again after any of them changed (SetDest, Unlink, Resolve,
// MakePlain, ResetLinks), and otherwise its hash written too: a document
// kept from one load to the next whose links resolve the same (a
// preview's reload) is not read again.
func (d *Document) Fingerprint(h *maphash.Hash) {
	maphash.WriteComparable(h, d.htmlSum())
	maphash.WriteComparable(h, len(d.holes))
	maphash.WriteComparable(h, d.unsafe)
	maphash.WriteComparable(h, d.linksSumNow())
}

// linksSumNow returns the hash of how the links and references resolve,
// remembered until one of them changes. Calls on several cores may each
// hash it once; they store the same.
func (d *Document) linksSumNow() uint64 {
	if s := atomic.LoadUint64(&d.linksSum); s != 0 {
		return s
	}
	var h maphash.Hash
	h.SetSeed(htmlSeed)
	for _, l := range d.Links {
		h.WriteString(l.Target())
		h.WriteByte(0)
		maphash.WriteComparable(&h, l.plain)
	}
	for _, r := range d.Refs {
		h.WriteString(r.URL)
		h.WriteByte(0)
		h.WriteString(r.Title)
		h.WriteByte(0)
		maphash.WriteComparable(&h, r.Resolved)
		maphash.WriteComparable(&h, r.Plain)
		h.WriteString(r.Label)
		h.WriteByte(0)
		h.WriteString(r.Target)
		h.WriteByte(0)
	}
	s := h.Sum64() | 1 // never 0, which means not yet
	atomic.StoreUint64(&d.linksSum, s)
	return s
}

// Adopt makes the document's links and references its own again, after
// a copy of it was decoded (a parse cache): their changes then reach its
// sums.
func (d *Document) Adopt() {
	for _, l := range d.Links {
		l.doc = d
	}
	for _, r := range d.Refs {
		r.doc = d
	}
}

// forgetLinksSum drops the hash of how the links resolve: one changed.
// A link or reference made outside a document has none.
func (d *Document) forgetLinksSum() {
	if d != nil {
		atomic.StoreUint64(&d.linksSum, 0)
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
