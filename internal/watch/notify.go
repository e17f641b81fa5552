package watch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/fsnotify/fsnotify"
)

// startNotify watches every root, the folders below folder roots, and the
// parent folder of each root, which sees a root created, replaced by a
// rename or removed.
func (w *watcher) startNotify() error {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("watch: %w", err)
	}
	w.fw = fw
	return w.setup()
}

// setup adds the watches that are missing: at start, and after an overflow
// when folders may have come and gone unseen.
func (w *watcher) setup() error {
	var first error
	for _, r := range w.roots {
		dir := isDir(r)
		if parent := filepath.Dir(r); parent != r {
			err := w.add(parent)
			if err != nil && !dir && first == nil {
				first = err
			}
		}
		if dir {
			if err := w.addTree(r, false); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// add watches the folder dir, unless it is already watched under this or
// another name (through a symbolic link). A folder that no longer exists is
// not an error: its removal is reported by its parent.
func (w *watcher) add(dir string) error {
	if _, ok := w.watched[dir]; ok {
		return nil
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	if w.byReal[real] {
		return nil
	}
	if err := w.fw.Add(dir); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if errors.Is(err, syscall.ENOSPC) {
			return fmt.Errorf("watch %s: %w (too many folders for the system's limit: raise fs.inotify.max_user_watches, or poll)", dir, err)
		}
		return fmt.Errorf("watch %s: %w", dir, err)
	}
	w.watched[dir] = real
	w.byReal[real] = true
	return nil
}

// addTree watches top and the folders below it, reporting what it finds
// inside them when report is set. Each folder is watched before it is read,
// so a file written into it meanwhile is either listed or seen by the watch.
// The first error adding a watch is returned; folders that cannot be read
// are sent to the error channel.
func (w *watcher) addTree(top string, report bool) error {
	var first error
	var walk func(dir string)
	walk = func(dir string) {
		if err := w.add(dir); err != nil {
			if first == nil {
				first = err
			}
			return
		}
		if _, ok := w.watched[dir]; !ok {
			return // gone, or watched under another name
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				w.sendErr(fmt.Errorf("watch: %w", err))
			}
			return
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			d := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				d = isDir(p)
			}
			if !w.wants(p, d) {
				continue
			}
			if report {
				w.b.add(p)
			}
			if d {
				walk(p)
			}
		}
	}
	walk(top)
	return first
}

// removeTree forgets the watches of top and the folders below it.
func (w *watcher) removeTree(top string) {
	for p, real := range w.watched {
		if _, ok := below(top, p); ok || p == top {
			_ = w.fw.Remove(p) // mostly gone with the folder already
			delete(w.watched, p)
			delete(w.byReal, real)
		}
	}
}

// event records one fsnotify event.
func (w *watcher) event(ev fsnotify.Event) {
	p := filepath.Clean(ev.Name)
	switch {
	case ev.Has(fsnotify.Create):
		dir := isDir(p)
		if !w.wants(p, dir) {
			return
		}
		w.b.add(p)
		if dir {
			if err := w.addTree(p, true); err != nil {
				w.sendErr(err)
			}
		}
	case ev.Has(fsnotify.Remove), ev.Has(fsnotify.Rename):
		_, dir := w.watched[p]
		if !w.wants(p, dir) {
			return
		}
		w.b.add(p)
		if dir {
			w.removeTree(p)
		}
	case ev.Has(fsnotify.Write):
		// kqueue and Windows report a folder written when its entries
		// change; the entries are reported themselves.
		if _, dir := w.watched[p]; dir || !w.wants(p, false) {
			return
		}
		w.b.add(p)
	}
	// Chmod alone (touch, chmod, a hard link removed) changes no content.
}

// fsError handles an error from fsnotify.
func (w *watcher) fsError(err error) {
	if !errors.Is(err, fsnotify.ErrEventOverflow) {
		w.sendErr(fmt.Errorf("watch: %w", err))
		return
	}
	w.sendErr(ErrOverflow)
	// Folders may have been created or removed unseen.
	for p, real := range w.watched {
		if now, err := filepath.EvalSymlinks(p); err != nil || now != real {
			_ = w.fw.Remove(p)
			delete(w.watched, p)
			delete(w.byReal, real)
		}
	}
	if err := w.setup(); err != nil {
		w.sendErr(err)
	}
	for _, r := range w.roots {
		w.b.add(r)
	}
}
