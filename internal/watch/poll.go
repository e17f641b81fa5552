package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// entry is what polling compares: a file changed when any field did. Folders
// keep only their type, so a folder changes only when created or removed.
type entry struct {
	typ  fs.FileMode
	size int64
	mod  int64 // modification time, Unix nanoseconds
}

func entryOf(fi fs.FileInfo) entry {
	if fi.IsDir() {
		return entry{typ: fs.ModeDir}
	}
	return entry{typ: fi.Mode().Type(), size: fi.Size(), mod: fi.ModTime().UnixNano()}
}

// startPoll takes the first snapshot, which later walks are compared with.
func (w *watcher) startPoll() error {
	w.snap = w.walk()
	return nil
}

// poll walks the roots and records what changed since the last walk.
func (w *watcher) poll() {
	next := w.walk()
	for p, e := range next {
		if old, ok := w.snap[p]; !ok || old != e {
			w.b.add(p)
		}
	}
	for p := range w.snap {
		if _, ok := next[p]; !ok {
			w.b.add(p)
		}
	}
	w.snap = next
}

// walk lists the roots and everything wanted below them. Errors are sent
// once, not again at every walk while they last.
func (w *watcher) walk() map[string]entry {
	snap := map[string]entry{}
	errs := map[string]bool{}
	report := func(err error) {
		msg := err.Error()
		if !errs[msg] && !w.lastErr[msg] {
			w.sendErr(fmt.Errorf("watch: %w", err))
		}
		errs[msg] = true
	}
	seen := map[string]bool{} // real paths of the folders listed
	var walkDir func(dir string)
	walkDir = func(dir string) {
		real, err := filepath.EvalSymlinks(dir)
		if err != nil || seen[real] {
			return
		}
		seen[real] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				report(err)
			}
			return
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			var fi fs.FileInfo
			if e.Type()&fs.ModeSymlink != 0 {
				fi, err = os.Stat(p)
			} else {
				fi, err = e.Info()
			}
			if err != nil {
				continue // removed meanwhile, or a broken link
			}
			if !w.wants(p, fi.IsDir()) {
				continue
			}
			snap[p] = entryOf(fi)
			if fi.IsDir() {
				walkDir(p)
			}
		}
	}
	for _, r := range w.roots {
		fi, err := os.Stat(r)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				report(err)
			}
			continue
		}
		snap[r] = entryOf(fi)
		if fi.IsDir() {
			walkDir(r)
		}
	}
	w.lastErr = errs
	return snap
}
