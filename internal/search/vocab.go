package search

import (
	"hash/maphash"
	"unsafe"
)

// vocab numbers byte strings (a worker's words, identifiers and terms):
// a hash table open-addressed with linear probing whose keys lie one after
// another in one array. What a worker knows of every word it has seen is
// then a few arrays with no pointer in them, where maps of strings to
// structs were a few million objects at 100,000 documents that every
// collection of the index's last phase walked, each lookup of a rare word
// following three pointers into a heap of gigabytes.
type vocab struct {
	// slots hold, in the high 32 bits, the key's hash, and in the low,
	// its number plus one; zero is empty.
	slots []uint64
	keys  []byte   // the keys, one after another
	ends  []uint32 // where key n ends in keys
}

// vocabSeed hashes every vocab's keys.
var vocabSeed = maphash.MakeSeed()

// key returns key n. Its bytes are never written again: keys are only
// appended, and a string made of them (str) stays as it is.
func (v *vocab) key(n int32) []byte {
	start := uint32(0)
	if n > 0 {
		start = v.ends[n-1]
	}
	return v.keys[start:v.ends[n]:v.ends[n]]
}

// str returns key n as a string that shares its bytes.
func (v *vocab) str(n int32) string {
	k := v.key(n)
	if len(k) == 0 {
		return ""
	}
	return unsafe.String(&k[0], len(k))
}

// find returns the number of key b, adding it when it is new; added says
// which.
func (v *vocab) find(b []byte) (n int32, added bool) {
	if 2*(len(v.ends)+1) > len(v.slots) {
		v.grow()
	}
	h := maphash.Bytes(vocabSeed, b)
	tag := h >> 32 << 32
	mask := uint64(len(v.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := v.slots[i]
		if s == 0 {
			n = int32(len(v.ends))
			v.keys = append(v.keys, b...)
			v.ends = append(v.ends, uint32(len(v.keys)))
			v.slots[i] = tag | uint64(n+1)
			return n, true
		}
		if s&^0xffffffff == tag {
			if k := int32(uint32(s)) - 1; string(v.key(k)) == string(b) {
				return k, false
			}
		}
	}
}

// grow doubles the slots (at least 1024), placing every key again: at
// most half of them are taken, so that probes stay short.
func (v *vocab) grow() {
	slots := make([]uint64, max(1024, 2*len(v.slots)))
	mask := uint64(len(slots) - 1)
	for n := range int32(len(v.ends)) {
		h := maphash.Bytes(vocabSeed, v.key(n))
		i := h & mask
		for slots[i] != 0 {
			i = (i + 1) & mask
		}
		slots[i] = h>>32<<32 | uint64(n+1)
	}
	v.slots = slots
}

// bytesOf returns the bytes of s, to be read only.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }
