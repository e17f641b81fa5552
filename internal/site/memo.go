package site

import (
	"sync"
	"time"
)

// A Memo keeps, for the life of a process that loads the same site again
// and again (handbook serve), what parsing each Markdown file gave: its
// page, its parsed and rendered document, its findings. A load with a Memo
// parses only the files whose size or modification time changed since the
// load before, and uses the rest as they were, with their links reset to be
// resolved again. Everything else a load does (linking, the graph, rules)
// is done whole.
//
// A Memo belongs to one configuration: when the configuration changes,
// start a new one. Loads using a Memo must not run at the same time.
type Memo struct {
	mu      sync.Mutex
	entries map[string]*parsed
	hits    int
	// git is the repository's history, read on the first load.
	git *gitState
}

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{entries: map[string]*parsed{}} }

// Hits returns how many files the last loads took from the Memo.
func (m *Memo) Hits() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hits
}

func (m *Memo) get(path string, size int64, mod time.Time) *parsed {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.entries[path]
	if e == nil || e.size != size || !e.mod.Equal(mod) || mod.IsZero() {
		return nil
	}
	m.hits++
	return e
}

func (m *Memo) put(path string, e *parsed) {
	m.mu.Lock()
	m.entries[path] = e
	m.mu.Unlock()
}

// Forget drops what the Memo knows of the files at paths (absolute, as
// the site reads them): they changed, whatever their size and time say.
func (m *Memo) Forget(paths ...string) {
	m.mu.Lock()
	for _, p := range paths {
		delete(m.entries, p)
	}
	m.mu.Unlock()
}

// prune forgets the files that are gone.
func (m *Memo) prune(srcs []source) {
	seen := make(map[string]bool, len(srcs))
	for _, s := range srcs {
		seen[s.abs] = true
	}
	m.mu.Lock()
	for p := range m.entries {
		if !seen[p] {
			delete(m.entries, p)
		}
	}
	m.mu.Unlock()
}

// fromMemo makes the page of an unchanged file from its memo entry, with
// its links to be resolved again.
func (s *Site) fromMemo(src source, e *parsed) *Page {
	e.Doc.ResetLinks()
	return e.newPage(src)
}
