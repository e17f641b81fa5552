// Package watch reports changes to the files of a handbook, batched so that
// one save in an editor, one git checkout or one folder moved into place
// costs one rebuild.
//
// [Watch] takes roots: folders, watched with everything below them, and
// single files such as handbook.yaml, watched through their parent folder.
// It sends each [Batch] of changed paths on a channel once the file system
// has been quiet for [Options.Debounce], or [Options.MaxDelay] after the first
// change of the batch while changes keep coming. A batch names, as absolute,
// cleaned paths, every file created, written, renamed into place or removed,
// and every folder created or removed. The caller decides what a path means
// by looking at the disk: a path that no longer exists was removed or renamed
// away.
//
//   - A folder that appears (mkdir -p, a move into the tree, a git checkout)
//     is watched with the folders below it, and the files already inside it
//     are reported: they may have been written before its watch existed.
//   - A folder removed or renamed away is reported by its own path and no
//     longer watched; the files below it may or may not be reported
//     separately, so a caller drops everything under a removed folder.
//   - Editors save in different ways (vim renames the old file to a backup
//     and writes a new one; VS Code writes in place or renames a temporary
//     file over the original; JetBrains and Emacs keep their own temporary
//     and backup files). Whatever the sequence, the saved file's path is
//     reported, and the editors' temporary, backup, swap and lock files are
//     never reported; see [Options.Ignore] for the names skipped.
//   - A batch that contains a folder root means: treat everything under it
//     as changed. Such a batch follows [ErrOverflow] on the error channel
//     when the operating system dropped events, and is sent when a root is
//     created, replaced or removed.
//   - Symbolic links to folders are followed, as the site loader does; a
//     folder reached twice is watched once, under the first name found.
//   - A change of permissions or times alone (chmod, touch) is not reported.
//
// Changes are seen with fsnotify (inotify on Linux, kqueue on macOS and BSD,
// ReadDirectoryChangesW on Windows). On file systems that do not report
// changes (network shares, folders shared into a virtual machine or a
// container), set [Options.Poll]: the roots are then walked at that interval
// and compared by size, modification time and type.
package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Defaults for [Options].
const (
	DefaultDebounce = 25 * time.Millisecond
	DefaultMaxDelay = 250 * time.Millisecond
)

// ErrOverflow is sent on the error channel when the operating system dropped
// change events because too many happened at once. A batch containing every
// root follows it.
var ErrOverflow = errors.New("watch: too many changes at once, some were not seen")

// Options tune [Watch]. The zero value watches with fsnotify and the default
// delays.
type Options struct {
	// Debounce is the quiet time that ends a batch (default 25ms).
	Debounce time.Duration

	// MaxDelay is the longest a batch waits for quiet while changes keep
	// coming, counted from its first change (default 250ms).
	MaxDelay time.Duration

	// Poll, when positive, replaces fsnotify by a walk of the roots every
	// Poll, for file systems where change notification does not work.
	Poll time.Duration

	// Ignore reports paths never reported nor descended into; dir tells
	// whether path is a folder (for a removed path: whether it was known to
	// be one). Roots themselves are never ignored. Whatever Ignore says,
	// these are skipped: names starting with a dot (.git, vim's .x.swp,
	// Emacs's .#x lock), node_modules folders, backups ending in ~, Emacs's
	// #x#, vim's 4913 probe, JetBrains's x___jb_tmp___ and x___jb_old___,
	// VS Code's x.vsctmp and Chromium's x.crswap.
	Ignore func(path string, dir bool) bool
}

// Batch is one set of changes.
type Batch struct {
	// Paths are absolute, cleaned, sorted and without duplicates.
	Paths []string
}

// errBuffer is how many errors wait for the caller before more are dropped.
const errBuffer = 16

// Watch watches paths, folders and single files, until ctx is done, then
// closes both channels. It returns once the watches are in place, so a change
// made after it returns is reported. Every root must exist, or at least its
// parent folder must: a root created later is then reported and, if a
// folder, watched.
//
// Errors met while watching (a folder that cannot be read or watched, an
// overflow) are sent on the error channel, which holds a few; errors that
// find it full are dropped. A batch ready to send waits for the caller, and
// changes made meanwhile join it: a slow caller gets fewer, larger batches.
func Watch(ctx context.Context, paths []string, opts Options) (<-chan Batch, <-chan error, error) {
	w, err := start(ctx, paths, opts)
	if err != nil {
		return nil, nil, err
	}
	return w.batches, w.errs, nil
}

// start is Watch, returning the watcher for tests.
func start(ctx context.Context, paths []string, opts Options) (*watcher, error) {
	if len(paths) == 0 {
		return nil, errors.New("watch: no paths")
	}
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	if opts.MaxDelay <= 0 {
		opts.MaxDelay = DefaultMaxDelay
	}
	w := &watcher{
		opts:    opts,
		batches: make(chan Batch),
		errs:    make(chan error, errBuffer),
		watched: map[string]string{},
		byReal:  map[string]bool{},
	}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, fmt.Errorf("watch %s: %w", p, err)
		}
		if _, err := os.Stat(abs); err != nil {
			if _, perr := os.Stat(filepath.Dir(abs)); perr != nil {
				return nil, fmt.Errorf("watch %s: %w", p, err)
			}
		}
		if !slices.Contains(w.roots, abs) {
			w.roots = append(w.roots, abs)
		}
	}
	w.b.init(opts.Debounce, opts.MaxDelay)
	var err error
	if opts.Poll > 0 {
		err = w.startPoll()
	} else {
		err = w.startNotify()
	}
	if err != nil {
		if w.fw != nil {
			w.fw.Close()
		}
		return nil, err
	}
	go w.run(ctx)
	return w, nil
}

// watcher is the state of one call to Watch, owned by its run goroutine once
// Watch returns.
type watcher struct {
	opts    Options
	roots   []string
	b       batcher
	batches chan Batch
	errs    chan error

	// fsnotify
	fw      *fsnotify.Watcher
	watched map[string]string // folders given to fw, to their real paths
	byReal  map[string]bool   // real paths of the watched folders

	// polling
	snap    map[string]entry
	lastErr map[string]bool // errors sent by the previous walk
}

func (w *watcher) run(ctx context.Context) {
	defer close(w.errs)
	defer close(w.batches)
	defer w.b.timer.Stop()
	var (
		events <-chan fsnotify.Event
		errs   <-chan error
		tick   <-chan time.Time
	)
	if w.fw != nil {
		defer w.fw.Close()
		events, errs = w.fw.Events, w.fw.Errors
	} else {
		t := time.NewTicker(w.opts.Poll)
		defer t.Stop()
		tick = t.C
	}
	for {
		w.b.prepare()
		var out chan<- Batch
		if w.b.ready {
			out = w.batches
		}
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			w.event(ev)
			// Take what is already queued before arming the timer, so a
			// burst costs one timer reset and one sort, not one per event.
		drain:
			for range 1024 {
				select {
				case ev, ok := <-events:
					if !ok {
						return
					}
					w.event(ev)
				default:
					break drain
				}
			}
		case err, ok := <-errs:
			if !ok {
				return
			}
			w.fsError(err)
		case <-tick:
			w.poll()
		case <-w.b.timer.C:
			w.b.expire()
		case out <- w.b.out:
			w.b.reset()
		}
		w.b.arm(time.Now())
	}
}

// sendErr hands err to the caller unless the error channel is full.
func (w *watcher) sendErr(err error) {
	select {
	case w.errs <- err:
	default:
	}
}

// isRoot reports whether p is one of the roots.
func (w *watcher) isRoot(p string) bool {
	return slices.Contains(w.roots, p)
}

// wants reports whether a change to p is reported: p is a root, or p lies
// below a root and is not ignored.
func (w *watcher) wants(p string, dir bool) bool {
	if w.isRoot(p) {
		return true
	}
	for _, r := range w.roots {
		rel, ok := below(r, p)
		if !ok {
			continue
		}
		parts := strings.Split(rel, string(filepath.Separator))
		skip := false
		for i, name := range parts {
			last := i == len(parts)-1
			if skipName(name, dir || !last) {
				skip = true
				break
			}
		}
		if skip {
			continue
		}
		return w.opts.Ignore == nil || !w.opts.Ignore(p, dir)
	}
	return false
}

// below returns p relative to dir when p lies strictly below dir.
func below(dir, p string) (string, bool) {
	prefix := dir
	if !strings.HasSuffix(prefix, string(filepath.Separator)) {
		prefix += string(filepath.Separator)
	}
	if len(p) > len(prefix) && strings.HasPrefix(p, prefix) {
		return p[len(prefix):], true
	}
	return "", false
}

// skipName reports names always skipped: dot files and folders,
// node_modules, and the temporary, backup, swap and lock files of editors.
func skipName(name string, dir bool) bool {
	if strings.HasPrefix(name, ".") {
		return true
	}
	if dir {
		return name == "node_modules"
	}
	switch {
	case strings.HasSuffix(name, "~"), // vim and Emacs backups
		len(name) > 1 && name[0] == '#' && name[len(name)-1] == '#', // Emacs auto-save
		strings.HasSuffix(name, "___jb_tmp___"),
		strings.HasSuffix(name, "___jb_old___"),
		strings.HasSuffix(name, ".vsctmp"),
		strings.HasSuffix(name, ".crswap"):
		return true
	}
	return vimProbe(name)
}

// vimProbe reports the names vim writes to test whether it may create files
// in a folder: 4913, or 4913+123n when that exists.
func vimProbe(name string) bool {
	if name == "" || name[0] < '1' || name[0] > '9' {
		return false
	}
	n, err := strconv.Atoi(name)
	return err == nil && n >= 4913 && (n-4913)%123 == 0
}

// isDir reports whether p is a folder, following symbolic links.
func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// batcher collects paths until the file system has been quiet for debounce,
// or maxDelay after the first path, whichever comes first.
type batcher struct {
	debounce, maxDelay time.Duration
	timer              *time.Timer
	pending            map[string]bool
	touched            bool      // something was added since the last arm
	first              time.Time // when the first pending path was added
	ready              bool      // pending may be sent; out holds it
	dirty              bool      // out is older than pending
	out                Batch
}

func (b *batcher) init(debounce, maxDelay time.Duration) {
	b.debounce, b.maxDelay = debounce, maxDelay
	b.pending = map[string]bool{}
	b.timer = time.NewTimer(time.Hour)
	b.timer.Stop()
}

func (b *batcher) add(p string) {
	b.pending[filepath.Clean(p)] = true
	b.touched = true
}

// arm restarts the quiet time after paths were added.
func (b *batcher) arm(now time.Time) {
	if !b.touched {
		return
	}
	b.touched = false
	if b.first.IsZero() {
		b.first = now
	}
	wait := b.debounce
	if rest := b.first.Add(b.maxDelay).Sub(now); rest < wait {
		wait = rest
	}
	if wait <= 0 {
		b.timer.Stop()
		b.expire()
		return
	}
	b.ready = false
	b.timer.Reset(wait)
}

// expire marks the pending paths ready to send.
func (b *batcher) expire() {
	if len(b.pending) > 0 {
		b.ready, b.dirty = true, true
	}
}

// prepare builds the batch to send when it changed since it was last built.
func (b *batcher) prepare() {
	if !b.ready || !b.dirty {
		return
	}
	paths := make([]string, 0, len(b.pending))
	for p := range b.pending {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	b.out = Batch{Paths: paths}
	b.dirty = false
}

// reset starts a new batch once the last one was taken.
func (b *batcher) reset() {
	b.pending = map[string]bool{}
	b.first = time.Time{}
	b.ready, b.dirty = false, false
	b.out = Batch{}
}
