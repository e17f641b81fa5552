// Package slab hands out small values that live long from chunks shared
// by many of them, so that they do not keep alive the memory of the
// short-lived garbage they are made among.
//
// Parsing a page makes a great deal of garbage (the Markdown tree, the
// highlighter's tokens, buffers) and, among it, a few small values that
// live as long as the page: its links, its references, its runbook
// fields, the texts of its headings, ids and front matter. The Go
// allocator puts values of one size into the same 8 KB span whatever
// their lifetime, so that once the garbage is collected each span holds
// a handful of the page's values and nothing else, and the rest of it
// cannot be used for values of other sizes. At the end of a
// 100,000-page build's parsing that was 630 MB of spans held for
// 1.97 GB of live values, a fifth of the heap, which the memory limit
// counts: the 160-byte runbook fields were spread over 13,110 spans,
// 9,749 of them nine tenths empty or more, 102 MB for 10 MB of values;
// the 80-byte links and the 16-byte strings left as much room again.
// Taken from chunks, the values of one kind sit together, and the spans
// the garbage was in are freed whole: 410-475 MB of room left there,
// and 5.9 million objects for the collector to mark instead of 9.4-10.
//
// A chunk lives as long as any value taken from it, so a value that dies
// early (a page edited in a preview) is held until its neighbours die
// too: at most a chunk (a few KB, 32 KB of text) per kind for each value
// still in use, a small price for a process that keeps most of what it
// parses.
//
// The values are taken under a lock: parsing takes a few a page, each in
// tens of nanoseconds.
package slab

import (
	"sync"
	"unsafe"
)

// chunks hands out runs of a chunk of Ts, each run taken once.
type chunks[T any] struct {
	mu   sync.Mutex
	free []T
}

// take returns n new zero Ts, side by side, with no room after them: a
// new chunk of size Ts is made when the last has not n left. n is at
// most size: each caller bounds what it takes (one value, MaxText bytes,
// maxList elements) well below its chunk.
func (c *chunks[T]) take(n, size int) []T {
	c.mu.Lock()
	if len(c.free) < n {
		c.free = make([]T, size)
	}
	run := c.free[:n:n]
	c.free = c.free[n:]
	c.mu.Unlock()
	return run
}

// chunkLen is how many values a chunk of Of holds.
const chunkLen = 64

// Of hands out new values of T. The zero Of is ready to use.
type Of[T any] struct{ c chunks[T] }

// New returns a pointer to a new zero T.
func (s *Of[T]) New() *T { return &s.c.take(1, chunkLen)[0] }

// MaxText is the longest string Text copies into its chunks; longer ones
// are allocated alone, being few and of sizes garbage rarely shares.
const MaxText = 128

// textChunk is the size of a chunk of Text.
const textChunk = 32 << 10

// Text copies small strings into shared chunks of bytes. The zero Text
// is ready to use.
type Text struct{ c chunks[byte] }

// String returns b as a string, which does not share b's memory.
func (t *Text) String(b []byte) string {
	if len(b) == 0 || len(b) > MaxText {
		return string(b)
	}
	c := t.c.take(len(b), textChunk)
	copy(c, b)
	return unsafe.String(&c[0], len(c))
}

// Clone returns a copy of s (strings.Clone).
func (t *Text) Clone(s string) string {
	return t.String(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// listChunk is how many elements a chunk of Lists holds.
const listChunk = 256

// maxList is the longest list Lists copies into its chunks.
const maxList = 16

// Lists copies short slices into shared chunks. The zero Lists is ready
// to use.
type Lists[T any] struct{ c chunks[T] }

// Clone returns a copy of l whose capacity is its length: appending to
// it makes a new array rather than writing over its neighbours. A nil or
// empty l gives l; one longer than a few elements a slice of its own.
func (s *Lists[T]) Clone(l []T) []T {
	if len(l) == 0 {
		return l
	}
	if len(l) > maxList {
		return append([]T(nil), l...)
	}
	c := s.c.take(len(l), listChunk)
	copy(c, l)
	return c
}
