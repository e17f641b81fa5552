// Package spill keeps bytes that a long-running process holds but seldom
// reads in a temporary file rather than in its memory: the preview's
// rendered pages (served one at a time, when asked for) and its pages'
// HTML (read when a page is rendered again). At 100,000 pages they are
// about 680 MB of the preview's heap, packed; in a file they cost the
// heap 12 bytes each, the system's page cache keeps what is read often,
// and the collector no longer marks them on every collection.
//
// A Store is one file, written at its end only: Put appends and returns
// a Ref, Get reads it back. Nothing is ever overwritten, so a Ref stays
// good as long as the Store is open; bytes no longer needed stay in the
// file until the Store is let go. The file is made in the system's
// temporary folder (os.CreateTemp) and removed at once where the system
// allows a file open to be removed (Unix), so that nothing is left
// behind however the process ends; elsewhere at Close. A Store nothing
// refers to any more is closed by the collector (runtime.AddCleanup).
//
// Put and Get are safe from many goroutines at once: Put reserves its
// place under a lock and writes outside it (os.File.WriteAt); Get reads
// with ReadAt. A Put that fails (a full disk) says so, and its caller
// keeps the bytes in memory instead.
package spill

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
)

// MaxLen is the longest slice of bytes a Store takes: its length is held
// in 32 bits.
const MaxLen = 1<<31 - 1

// ErrClosed is the error of a Get or Put on a Store that was closed.
var ErrClosed = errors.New("spill: store closed")

// A Store holds bytes in a temporary file.
type Store struct {
	// file is shared with the cleanup that closes it, which must not
	// refer to the Store itself.
	file *file
}

// file is a Store's file and where its end is.
type file struct {
	f    *os.File
	name string // removed at close, unless removed at once
	mu   sync.Mutex
	end  int64
	// failed is the first write error: later Puts fail at once rather
	// than grow a file on a full disk.
	failed error
	closed bool
}

// A Ref says where a Put's bytes are in its Store. The zero Ref holds no
// bytes.
type Ref struct {
	Off int64
	Len int32
}

// Open makes a Store in a new file in dir (os.TempDir when ""), named
// with pattern as os.CreateTemp takes it.
func Open(dir, pattern string) (*Store, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("spill: %w", err)
	}
	fl := &file{f: f, name: f.Name()}
	if os.Remove(f.Name()) == nil {
		fl.name = "" // gone from its folder; the space is freed when closed
	}
	s := &Store{file: fl}
	runtime.AddCleanup(s, func(fl *file) { fl.close() }, fl)
	return s, nil
}

// Put appends b to the Store and returns where it is.
func (s *Store) Put(b []byte) (Ref, error) {
	if len(b) == 0 {
		return Ref{}, nil
	}
	if len(b) > MaxLen {
		return Ref{}, fmt.Errorf("spill: %d bytes is more than a store takes", len(b))
	}
	fl := s.file
	fl.mu.Lock()
	if fl.closed {
		fl.mu.Unlock()
		return Ref{}, ErrClosed
	}
	if fl.failed != nil {
		fl.mu.Unlock()
		return Ref{}, fl.failed
	}
	off := fl.end
	fl.end += int64(len(b))
	fl.mu.Unlock()
	if _, err := fl.f.WriteAt(b, off); err != nil {
		err = fmt.Errorf("spill: %w", err)
		fl.mu.Lock()
		if fl.failed == nil {
			fl.failed = err
		}
		fl.mu.Unlock()
		return Ref{}, err
	}
	return Ref{Off: off, Len: int32(len(b))}, nil
}

// Get returns the bytes at r, read into dst's memory when it has room
// (dst[:r.Len]), else into new memory.
func (s *Store) Get(dst []byte, r Ref) ([]byte, error) {
	if r.Len <= 0 {
		return dst[:0], nil
	}
	if cap(dst) < int(r.Len) {
		dst = make([]byte, r.Len)
	}
	dst = dst[:r.Len]
	n, err := s.file.f.ReadAt(dst, r.Off)
	if n == len(dst) {
		return dst, nil
	}
	if errors.Is(err, os.ErrClosed) {
		return nil, ErrClosed
	}
	return nil, fmt.Errorf("spill: reading %d bytes at %d: %w", r.Len, r.Off, err)
}

// Size returns how many bytes the Store's file holds: every Put's, those
// still needed or not.
func (s *Store) Size() int64 {
	fl := s.file
	fl.mu.Lock()
	defer fl.mu.Unlock()
	return fl.end
}

// Close closes the Store's file and removes it; the Store's Refs are no
// good after.
func (s *Store) Close() error { return s.file.close() }

func (fl *file) close() error {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if fl.closed {
		return nil
	}
	fl.closed = true
	err := fl.f.Close()
	if fl.name != "" {
		if rerr := os.Remove(fl.name); err == nil {
			err = rerr
		}
	}
	return err
}
