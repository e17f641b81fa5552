// Package pack keeps bytes that are held long and read rarely compressed
// in memory: a page's HTML rendered at parse time, kept until the page's
// file is made (the whole build; the whole preview), and the rendered
// files a preview serves. They are most of what a build or a preview
// holds (80 MB of a 10,000-page build's 290 MB live heap; 230 MB of a
// preview's 510 MB), and HTML packs to a third or less.
//
// Packing is S2 (github.com/klauspost/compress/s2, ADR-0017): a few
// hundred MB a second a core to pack and more to unpack, where
// compress/flate at its fastest is five times slower. A Dict of
// markup that most files share (a layout's head, header and footer)
// packs a site's rendered pages to a fifth.
//
// Packing is deterministic: the same bytes packed with the same Dict give
// the same packed bytes, so packed files may be compared as they are.
package pack

import (
	"bytes"
	"errors"
	"sync"

	"github.com/klauspost/compress/s2"
)

// scratch holds buffers to pack into before the packed bytes are copied
// out at their exact size.
var scratch sync.Pool

func buffer(n int) []byte {
	if b, ok := scratch.Get().(*[]byte); ok && cap(*b) >= n {
		return (*b)[:n]
	}
	return make([]byte, n)
}

func release(b []byte) {
	if cap(b) <= 1<<20 {
		scratch.Put(&b)
	}
}

// Pack returns b packed, in a new slice of exactly its size.
func Pack(b []byte) []byte { return packWith(nil, b, nil) }

func packWith(d *Dict, b, tail []byte) []byte {
	n := s2.MaxEncodedLen(len(b))
	if n < 0 {
		// Too large for a block (over 4 GB): cannot be held anyway.
		panic("pack: input too large")
	}
	buf := buffer(n)
	var out []byte
	if d != nil {
		out = d.d.Encode(buf, b)
	} else {
		out = s2.Encode(buf, b)
	}
	p := make([]byte, len(out)+len(tail))
	copy(p, out)
	copy(p[len(out):], tail)
	release(buf)
	return p
}

// ErrCorrupt is the error of unpacking bytes that Pack did not make.
var ErrCorrupt = errors.New("pack: corrupt packed bytes")

// Len returns the length of the bytes p was packed from.
func Len(p []byte) int {
	n, err := s2.DecodedLen(p)
	if err != nil {
		return 0
	}
	return n
}

// Unpack appends to dst the bytes p was packed from by Pack.
func Unpack(dst, p []byte) ([]byte, error) { return unpackWith(nil, dst, p) }

func unpackWith(d *Dict, dst, p []byte) ([]byte, error) {
	n, err := s2.DecodedLen(p)
	if err != nil {
		return dst, ErrCorrupt
	}
	dst = growTo(dst, n)
	var out []byte
	if d != nil {
		out, err = d.d.Decode(dst[len(dst):len(dst)+n], p)
	} else {
		out, err = s2.Decode(dst[len(dst):len(dst)+n], p)
	}
	if err != nil || len(out) != n {
		return dst, ErrCorrupt
	}
	return dst[:len(dst)+n], nil
}

// growTo returns dst with room for n more bytes.
func growTo(dst []byte, n int) []byte {
	if cap(dst)-len(dst) < n {
		dst = append(dst[:cap(dst)], make([]byte, len(dst)+n-cap(dst))...)[:len(dst)]
	}
	return dst
}

// A Dict packs bytes against a sample of what they share: files rendered
// from the same layouts pack to a fraction of their size alone. Bytes
// packed with a Dict unpack only with the same Dict.
type Dict struct {
	d *s2.Dict
}

// MaxDict is the most of a sample a Dict uses: its last MaxDict bytes.
const MaxDict = 64 << 10

// NewDict returns a Dict made from sample, of which it keeps the last
// MaxDict bytes; nil when sample is too short to help (under 16 bytes),
// which packs as Pack does.
func NewDict(sample []byte) *Dict {
	if len(sample) > MaxDict {
		sample = sample[len(sample)-MaxDict:]
	}
	d := s2.MakeDict(bytes.Clone(sample), nil)
	if d == nil {
		return nil
	}
	return &Dict{d: d}
}

// Pack returns b packed against the Dict, in a new slice of exactly its
// size. A nil Dict packs as Pack.
func (d *Dict) Pack(b []byte) []byte { return packWith(d, b, nil) }

// PackTail returns b packed against the Dict followed by tail, in a new
// slice of exactly their size: a holder's own bytes after the packed
// ones, which Unpack is given without them. A nil Dict packs as Pack.
func (d *Dict) PackTail(b, tail []byte) []byte { return packWith(d, b, tail) }

// Unpack appends to dst the bytes p was packed from by d.Pack.
func (d *Dict) Unpack(dst, p []byte) ([]byte, error) { return unpackWith(d, dst, p) }
