package build

import (
	"encoding/binary"
	"hash/maphash"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/handbook-dev/handbook/internal/pack"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/spill"
)

// packer packs the pages a Live holds (the files whose path ends in
// .html, and the sitemap and feeds) against a dictionary made from sample
// pages of the site's commonest kinds (prime), or from the first page it
// packs; the search index's files are held as the index packs them
// (search.Index.Held), the others (stylesheets, pictures) as they are.
// A Live keeps its packer for good, so that a page packs to the same
// bytes in every result.
//
// A page is held as its packed bytes, then a tail whose last byte says
// how to read them: heldPlain, the page; heldShared, the page with a mark
// where its sidebar goes (render.Renderer.ShareSidebars), after them the
// sum of the sidebar it shows (render.Sidebars.Sum), so that a page whose
// sidebar changed is held as other bytes, and compares as changed.
//
// When the packer spills (Live.spill: handbook serve), the packed bytes
// go to a file (internal/spill) and a page is held as their sum, their
// length and the tail, its last byte heldPlainSpilled or
// heldSharedSpilled: 21 or 29 bytes where a page of 10,000 packs to 3 KB
// or so, read from the file when the page is served. The file is found
// by the sum (content addressing): the same page held twice is written
// once and held as the same bytes, so results still compare as they are.
// Each whole build writes its pages into a new file (rotate); the file
// before it stays open for the results still served from it, and the one
// before that is let go.
type packer struct {
	once sync.Once
	dict *pack.Dict

	// spilling is set once rotate opened a file; mu guards cur and old,
	// where each packed page is, by key, in the file of the last whole
	// build (cur) and the one before (old).
	spilling atomic.Bool
	seeds    [2]maphash.Seed
	mu       sync.RWMutex
	cur, old *spilled
}

// spilled is one file of packed pages, and where each is in it.
type spilled struct {
	store *spill.Store
	at    map[spillKey]spill.Ref
}

// spillKey names packed bytes by their sums and length.
type spillKey [spillKeyLen]byte

const (
	heldPlain  byte = 0
	heldShared byte = 1
	// heldPlainSpilled and heldSharedSpilled are their counterparts
	// when the packed bytes are in a file, held as their spillKey.
	heldPlainSpilled  byte = 2
	heldSharedSpilled byte = 3
	// sharedTail is the length of a heldShared tail: the sum, the kind.
	sharedTail  = 9
	spillKeyLen = 20
)

// prime makes the dictionary from sample, unless it is made already
// (a Live's first build primes it; later ones keep it). A sample too
// short to help leaves it to the first page packed.
func (k *packer) prime(sample []byte) {
	if d := pack.NewDict(sample); d != nil {
		k.once.Do(func() { k.dict = d })
	}
}

// rotate starts a new file for the pages held from now on, keeping the
// current one for the results still served, and letting the one before
// it go. A file that cannot be made leaves the pages in memory.
func (k *packer) rotate() {
	store, err := spill.Open("", "handbook-serve-pages-*")
	if err != nil {
		return // the pages go on where they went: the current file, or memory
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if !k.spilling.Load() {
		k.seeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}
		k.spilling.Store(true)
	}
	if k.old != nil {
		k.old.store.Close()
	}
	k.old, k.cur = k.cur, &spilled{store: store, at: map[spillKey]spill.Ref{}}
}

// close closes the packer's files: the pages held in them read no more.
func (k *packer) close() {
	k.mu.Lock()
	defer k.mu.Unlock()
	for _, f := range []*spilled{k.cur, k.old} {
		if f != nil {
			f.store.Close()
		}
	}
}

// isPacked reports whether the file at site path p is held packed: the
// pages, and the sitemap and feeds, which grow with the site (the
// sitemap of 100,000 pages is 9 MB, and was held in the 16 MB it was
// written into).
func isPacked(p string) bool { return strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".xml") }

// isIndexFile reports whether the file at site path p is the search
// index's, held as the index packs it.
func isIndexFile(p string) bool { return strings.HasPrefix(p, "/search/") && !isPacked(p) }

// hold returns what a Live holds of the file at site path p made of b,
// which sb fills when b shows a shared sidebar.
func (k *packer) hold(p string, b []byte, sb *render.Sidebars) []byte {
	if !isPacked(p) {
		return b
	}
	k.once.Do(func() { k.dict = pack.NewDict(b) })
	url, isShared := render.SharedURL(b)
	isShared = isShared && sb != nil
	if k.spilling.Load() {
		if key, ok := k.spill(k.dict.Pack(b)); ok {
			if isShared {
				return append(key[:], sharedTailOf(sb.Sum(url), heldSharedSpilled)...)
			}
			return append(key[:], heldPlainSpilled)
		}
	}
	if isShared {
		return k.dict.PackTail(b, sharedTailOf(sb.Sum(url), heldShared))
	}
	return k.dict.PackTail(b, []byte{heldPlain})
}

// spill puts packed in the current file, unless it has it already, and
// returns its key; false if the file fails to take it.
func (k *packer) spill(packed []byte) (spillKey, bool) {
	var key spillKey
	binary.LittleEndian.PutUint64(key[0:], maphash.Bytes(k.seeds[0], packed))
	binary.LittleEndian.PutUint64(key[8:], maphash.Bytes(k.seeds[1], packed))
	binary.LittleEndian.PutUint32(key[16:], uint32(len(packed)))
	k.mu.RLock()
	cur := k.cur
	_, have := cur.at[key]
	k.mu.RUnlock()
	if have {
		return key, true
	}
	ref, err := cur.store.Put(packed)
	if err != nil {
		return key, false
	}
	k.mu.Lock()
	cur.at[key] = ref // read from old, should a rotation have come between
	k.mu.Unlock()
	return key, true
}

// spilledBytes returns the packed bytes held as key, read into buf.
func (k *packer) spilledBytes(buf []byte, key []byte) ([]byte, error) {
	var sk spillKey
	copy(sk[:], key)
	k.mu.RLock()
	var store *spill.Store
	var ref spill.Ref
	for _, f := range []*spilled{k.cur, k.old} {
		if f == nil {
			continue
		}
		if r, ok := f.at[sk]; ok {
			store, ref = f.store, r
			break
		}
	}
	k.mu.RUnlock()
	if store == nil {
		return nil, pack.ErrCorrupt
	}
	return store.Get(buf, ref)
}

func sharedTailOf(sum uint64, kind byte) []byte {
	tail := binary.LittleEndian.AppendUint64(make([]byte, 0, sharedTail), sum)
	return append(tail, kind)
}

// shared reports whether held, a page's, shows a shared sidebar.
func shared(held []byte) bool {
	return len(held) >= sharedTail && (held[len(held)-1] == heldShared || held[len(held)-1] == heldSharedSpilled)
}

// resummed returns held, a page showing a shared sidebar, held for a
// sidebar whose sum is sum: new bytes, the same but for the tail.
func resummed(held []byte, sum uint64) []byte {
	n := len(held) - sharedTail
	out := make([]byte, n, len(held))
	copy(out, held[:n])
	return append(out, sharedTailOf(sum, held[len(held)-1])...)
}

// spillBuffers recycles the buffers packed pages are read into from
// their file.
var spillBuffers = sync.Pool{New: func() any { return new([]byte) }}

// unpack returns the bytes of the file at site path p held as b, its
// shared sidebar filled from sb.
func (k *packer) unpack(p string, b []byte, sb *render.Sidebars) ([]byte, error) {
	if k == nil { // a LiveResult not made by a Live holds nothing packed
		return b, nil
	}
	if isIndexFile(p) {
		return pack.Unpack(nil, b)
	}
	if !isPacked(p) || len(b) == 0 {
		return b, nil
	}
	packed, kind := b[:len(b)-1], b[len(b)-1]
	if kind == heldShared || kind == heldSharedSpilled {
		if len(b) < sharedTail || sb == nil {
			return nil, pack.ErrCorrupt
		}
		packed = b[:len(b)-sharedTail]
	}
	if kind == heldPlainSpilled || kind == heldSharedSpilled {
		if len(packed) != spillKeyLen {
			return nil, pack.ErrCorrupt
		}
		buf := spillBuffers.Get().(*[]byte)
		read, err := k.spilledBytes((*buf)[:0], packed)
		defer func() {
			if cap(read) <= 1<<20 {
				*buf = read
				spillBuffers.Put(buf)
			}
		}()
		if err != nil {
			return nil, err
		}
		packed = read
	}
	switch kind {
	case heldPlain, heldPlainSpilled:
		return k.dict.Unpack(nil, packed)
	case heldShared, heldSharedSpilled:
		page, err := k.dict.Unpack(nil, packed)
		if err != nil {
			return nil, err
		}
		return sb.Fill(nil, page), nil
	}
	return nil, pack.ErrCorrupt
}
