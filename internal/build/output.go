package build

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/fastfile"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/progress"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/site"
)

// writeOut renders the prepared site, its search index and its manifest
// into a folder beside out, and swaps it in for out once complete: the
// spare, if there is one, written over in place, or else a new folder. The
// output it replaces stays beside it, the next build's spare. On any error
// out is left as it was.
func writeOut(ctx context.Context, out string, sp *spare, p *prepared, manifest func() []byte, progress *progress.Line) error {
	var tmp string
	var stale map[string]bool
	if sp != nil {
		tmp, stale = sp.dir, sp.held()
	} else {
		var err error
		if tmp, err = os.MkdirTemp(filepath.Dir(out), tmpPrefix); err != nil {
			return fmt.Errorf("create temporary output folder: %w", err)
		}
		// MkdirTemp makes the folder private (0700); the output is a web
		// site, which a server running as another user must read.
		if err := os.Chmod(tmp, 0o755); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("create temporary output folder: %w", err)
		}
	}
	committed := false
	defer func() {
		switch {
		case committed:
		case sp != nil:
			sp.release() // half written, but marked: the next build's
		default:
			os.RemoveAll(tmp)
		}
	}()
	marker := filepath.Join(tmp, Marker)
	delete(stale, marker)
	if same, _ := fastfile.Holds(marker, markerText, nil); !same {
		os.Remove(marker) // a spare's, perhaps shared or a link
		if err := os.WriteFile(marker, markerText, 0o644); err != nil {
			return fmt.Errorf("write output: %w", err)
		}
	}
	// One goroutine writes every file: on ext4, creating files and
	// folders from several goroutines at once costs each of them more
	// kernel time than it saves (a 10,000-page build spent 5.3 s of CPU
	// in open and mkdir with eight writers), while the rendering keeps the
	// other cores busy.
	// The files of the previous output that come out the same are linked
	// into the new one rather than written again: nothing is written, and
	// nothing freed when the old output goes.
	prev := ""
	if _, err := os.Stat(filepath.Join(out, Marker)); err == nil {
		prev = out
	}
	// Each file rendered into a buffer of the renderer's goes back to it
	// once written, for a later file.
	w := newFileWriter(ctx, tmp, prev, stale, p.r.LendFiles())
	// Nothing is rendered after this: each page's HTML may go once its
	// file is made.
	p.r.ReleaseHTML()
	// The manifest is made beside the rendering, which only reads the
	// site too, so that the site may go once both are done. Made after
	// it, it took 0.7–1.0 s of one core at 100,000 pages while the other
	// waited; the two builds took 53.6 and 57.6 s beside it against 56.5
	// and 55.9 s after it (alternated), the same memory.
	// It is handed to the writer as soon as it is made, not held until
	// the last page is: at 100,000 pages its 70 MB were live through the
	// whole rendering, room the collector's pacing then lacked.
	made := make(chan error, 1)
	go func() { made <- w.write(manifestPath, manifest()) }()
	err := p.r.All(ctx, func(sitePath string, data []byte) error {
		progress.Add(1)
		return w.write(sitePath, data)
	})
	if merr := <-made; err == nil {
		err = merr
	}
	// Once its pages are rendered the site goes, before the search index
	// is built: the index reads its own documents, made beside the
	// rendering (searchDocsDropping). Kept, the site was most of what the
	// collector marked while the index was built, each time it ran: at
	// 100,000 pages 1.3 GB live where the index needs 0.5, and 5.5–6.2 s
	// of CPU where it then takes 1.1; the build took 63.4 s where it now
	// takes 53.6–57.6 (alternated), the same files byte for byte.
	p.letGo()
	// The search index is built once the pages are written, on every core,
	// and written as it is encoded: its files are never all in memory.
	// Built beside the rendering, the two took the same cores with both
	// their memory live at once: a 10,000-page build took 10.2 s that
	// way and 9.55 s this way (medians of six, alternated), with 50 MB
	// more memory; at 100,000 pages the CPU is the same either way.
	indexDone := make(chan error, 1)
	switch {
	case p.index == nil:
		indexDone <- nil
	case err != nil:
		indexDone <- p.index(nil) // stops its work
	default:
		progress.Phase("writing the search index", 0)
		go func() { indexDone <- p.index(w.write) }()
	}
	if ierr := <-indexDone; err == nil {
		err = ierr
	}
	if werr := w.close(); err == nil {
		err = werr
	}
	if err != nil {
		return fmt.Errorf("%w; the previous output was kept", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	old, err := swap(tmp, out)
	if err != nil {
		return err
	}
	committed = true
	if old != "" {
		spareBeside(old)
	}
	return nil
}

// fileWriter writes files under a folder from one goroutine of its own,
// in the order they are handed to it, making folders as needed. write may
// be called from several goroutines; close waits for the files handed over
// and returns the first error.
type fileWriter struct {
	dir string
	// prev, unless "", is a folder of files written before: a file the
	// same as the one at its path there is linked to it.
	prev  string
	ctx   context.Context
	queue chan outFile
	done  chan struct{}
	// failed is closed when a write failed; err is that failure, read
	// after failed or done is closed.
	failed chan struct{}
	err    error
	// written, unless nil, is given each file's bytes once they are
	// written (or the file failed), from the writer's goroutine.
	written func(data []byte)
	// stale, unless nil, says dir is a spare, written over: it holds
	// every file and folder that was in it (each a path on disk), and
	// loses each written or made; what is left once every file is
	// written is removed.
	stale map[string]bool
}

type outFile struct {
	path string // on disk
	prev string // the same path in the previous output, or ""
	data []byte
}

// writeQueue is how many rendered files may wait for the writer: enough
// to ride out a slow write, few enough to hold little memory.
const writeQueue = 256

func newFileWriter(ctx context.Context, dir, prev string, stale map[string]bool, written func(data []byte)) *fileWriter {
	w := &fileWriter{dir: dir, prev: prev, ctx: ctx, queue: make(chan outFile, writeQueue), done: make(chan struct{}), failed: make(chan struct{}), written: written, stale: stale}
	go w.run()
	return w
}

func (w *fileWriter) run() {
	defer close(w.done)
	made := map[string]bool{w.dir: true}
	real := realDirs{w.prev: true}
	var scratch []byte
	for f := range w.queue {
		if w.err != nil {
			continue // drained, so that no writer blocks
		}
		if f.prev != "" && !real.is(filepath.Dir(f.prev)) {
			f.prev = "" // a link out of the old output: not followed
		}
		var err error
		if w.stale != nil {
			scratch, err = w.writeOver(f, made, scratch)
		} else {
			scratch, err = writeFile(f, made, scratch)
		}
		if err != nil {
			w.err = fmt.Errorf("write output: %w", err)
			close(w.failed)
		}
		if w.written != nil {
			w.written(f.data)
		}
	}
	if w.err == nil && w.ctx.Err() == nil {
		w.err = removeStale(w.stale)
	}
}

// writeOver writes f into a spare: it makes its folder unless made says
// it is there, and leaves the file as it is when it is already the
// previous output's and the same bytes, links it when only the previous
// output's is, and writes it otherwise. Nothing found in the spare is
// followed: a symbolic link, or a file or folder where the other must go,
// is removed first. A file is written in place only when the spare is
// its only name; one shared with the previous output, which is being
// served, is unlinked and written anew.
func (w *fileWriter) writeOver(f outFile, made map[string]bool, scratch []byte) ([]byte, error) {
	if err := w.makeDir(filepath.Dir(f.path), made); err != nil {
		return scratch, err
	}
	delete(w.stale, f.path)
	cur, err := os.Lstat(f.path)
	found := err == nil
	if found && cur.IsDir() {
		if err := os.RemoveAll(f.path); err != nil {
			return scratch, err
		}
		found = false
	}
	if f.prev != "" {
		var same bool
		if same, scratch = fastfile.Holds(f.prev, f.data, scratch); same {
			if found {
				if pi, err := os.Lstat(f.prev); err == nil && os.SameFile(cur, pi) {
					return scratch, nil
				}
				if err := os.Remove(f.path); err != nil {
					return scratch, err
				}
				found = false
			}
			if os.Link(f.prev, f.path) == nil {
				return scratch, nil
			}
		}
	}
	if found && (!cur.Mode().IsRegular() || fastfile.Shared(cur)) {
		if err := os.Remove(f.path); err != nil {
			return scratch, err
		}
	}
	return scratch, fastfile.WriteFile(f.path, f.data, 0o644)
}

// makeDir makes sure dir, in a spare, is a folder, its parents first:
// what is found there that is not one (a file, a symbolic link) is
// removed and the folder made.
func (w *fileWriter) makeDir(dir string, made map[string]bool) error {
	if made[dir] {
		return nil
	}
	if err := w.makeDir(filepath.Dir(dir), made); err != nil {
		return err
	}
	delete(w.stale, dir)
	fi, err := os.Lstat(dir)
	if err != nil || !fi.IsDir() {
		if err == nil {
			if err := os.Remove(dir); err != nil {
				return err
			}
		}
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
	}
	made[dir] = true
	return nil
}

// removeStale removes what a spare held that the build did not write,
// each file or folder whole, symbolic links never followed.
func removeStale(stale map[string]bool) error {
	paths := make([]string, 0, len(stale))
	for p := range stale {
		paths = append(paths, p)
	}
	// A folder before what it holds: its removal takes that too.
	slices.Sort(paths)
	for _, p := range paths {
		if err := os.RemoveAll(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove %s from the output: %w", p, err)
		}
	}
	return nil
}

// realDirs remembers which folders of the previous output are folders
// there, not symbolic links to elsewhere, nor under one: a file linked
// into the new output must be the old output's own.
type realDirs map[string]bool

func (r realDirs) is(dir string) bool {
	ok, seen := r[dir]
	if !seen {
		parent := filepath.Dir(dir)
		fi, err := os.Lstat(dir)
		ok = parent != dir && err == nil && fi.IsDir() && r.is(parent)
		r[dir] = ok
	}
	return ok
}

// writeFile writes f, making its folder unless made says it exists, or
// links it to its previous version when that holds the same bytes (read
// into scratch, returned for the next call). A link that fails (a file
// system without them) is a write.
func writeFile(f outFile, made map[string]bool, scratch []byte) ([]byte, error) {
	parent := filepath.Dir(f.path)
	if !made[parent] {
		// Most folders' parents exist already: one mkdir, no stat.
		if err := os.Mkdir(parent, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(parent, 0o755); err != nil {
				return scratch, err
			}
		}
		made[parent] = true
	}
	if f.prev != "" {
		var same bool
		if same, scratch = fastfile.Holds(f.prev, f.data, scratch); same && os.Link(f.prev, f.path) == nil {
			return scratch, nil
		}
	}
	return scratch, fastfile.WriteFile(f.path, f.data, 0o644)
}

// write hands the file at sitePath to the writer; data must not change
// afterwards. It returns the writer's error once a write has failed, and
// the context's once it is done.
func (w *fileWriter) write(sitePath string, data []byte) error {
	rel := filepath.FromSlash(strings.TrimPrefix(sitePath, "/"))
	p := filepath.Join(w.dir, rel)
	if !strings.HasPrefix(p, w.dir+string(filepath.Separator)) {
		return fmt.Errorf("refusing to write %s outside the output folder", sitePath)
	}
	prev := ""
	if w.prev != "" {
		prev = filepath.Join(w.prev, rel)
	}
	select {
	case <-w.failed:
		return w.err
	default:
	}
	if err := w.ctx.Err(); err != nil {
		return err
	}
	select {
	case w.queue <- outFile{path: p, prev: prev, data: data}:
		return nil
	case <-w.failed:
		return w.err
	case <-w.ctx.Done():
		return w.ctx.Err()
	}
}

// close waits for every file handed over to be written and returns the
// first error. write must not be called after it.
func (w *fileWriter) close() error {
	close(w.queue)
	<-w.done
	return w.err
}

// swap replaces out by tmp: out is moved aside and tmp renamed into place.
// It returns where the old output went, "" if there was none. If the
// rename fails, the old output is put back.
func swap(tmp, out string) (string, error) {
	var old string
	if _, err := os.Lstat(out); err == nil {
		old = oldName(out)
		if err := os.Rename(out, old); err != nil {
			return "", fmt.Errorf("replace output folder: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			if err2 := os.Rename(old, out); err2 != nil {
				return "", fmt.Errorf("replace output folder: %w (and restoring the previous output from %s failed: %v)", err, old, err2)
			}
		}
		return "", fmt.Errorf("replace output folder: %w", err)
	}
	return old, nil
}

// oldPrefix begins the name of a previous output moved aside by swap (the
// next build's spare), which oldName gives. tmpPrefix begins that of a
// folder a build writes into, new or a spare it claimed.
const (
	oldPrefix = ".handbook-old-"
	tmpPrefix = ".handbook-tmp-"
)

// markerText is what the Marker says.
var markerText = []byte("This folder is the output of handbook build; handbook replaces it on every build.\n")

// oldName returns a new name for a previous output of out, beside it:
// oldPrefix, out's name and a random suffix, so that the spares of two
// outputs in one folder are told apart.
func oldName(out string) string {
	return filepath.Join(filepath.Dir(out), oldPrefix+filepath.Base(out)+"-"+randomSuffix())
}

// oldOf reports whether name is that of a previous output of the output
// folder named base (oldName's), or of a build from before the names said
// which output (oldPrefix and the suffix alone).
func oldOf(name, base string) bool {
	rest, ok := strings.CutPrefix(name, oldPrefix)
	if !ok {
		return false
	}
	if r, ok := strings.CutPrefix(rest, base+"-"); ok && isSuffix(r) {
		return true
	}
	return isSuffix(rest)
}

// isSuffix reports whether s is a suffix randomSuffix could give.
func isSuffix(s string) bool {
	if len(s) != 2*suffixBytes {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// A spare is the output before the last, kept beside the output when
// the last build swapped its own in, which the next build writes its site
// into in place of a new folder (ADR-0019): the folders of its pages are
// there, and its files that did not change are already the current
// output's, linked. Nothing is made or removed for them, where a new
// folder would make a folder for each page and the old output's removal
// remove as many, which on a disk that trims what it frees took a
// second of every rebuild of 10,000 pages.
type spare struct {
	// out is the output folder it is a previous output of.
	out string
	// dir is the spare, claimed: renamed to a name of tmpPrefix's, so
	// that no other build writes into it at the same time.
	dir string
	// held waits for what dir held when claimed, each file and folder
	// under it by its path, listed on a goroutine of its own.
	held func() map[string]bool
}

// claimSpare claims one of the previous outputs beside out, if there is
// one, and starts listing what it holds and removing the others, each on
// a goroutine of its own: the build's first phases are work for the
// processors, these are waiting for the disk. The spare is nil when
// there is none to claim; swept waits for the others' removal either way.
func claimSpare(out string) (sp *spare, swept func()) {
	parent := filepath.Dir(out)
	ents, _ := os.ReadDir(parent)
	var olds []string
	for _, e := range ents {
		if e.IsDir() && oldOf(e.Name(), filepath.Base(out)) {
			olds = append(olds, filepath.Join(parent, e.Name()))
		}
	}
	// This output's own first, then those from before the names said
	// which output.
	named := oldPrefix + filepath.Base(out) + "-"
	slices.SortStableFunc(olds, func(a, b string) int {
		return cmpBool(strings.HasPrefix(filepath.Base(b), named), strings.HasPrefix(filepath.Base(a), named))
	})
	for i, old := range olds {
		if _, err := os.Lstat(filepath.Join(old, Marker)); err != nil {
			continue
		}
		dir := filepath.Join(parent, tmpPrefix+randomSuffix())
		if os.Rename(old, dir) == nil {
			listed := make(chan map[string]bool, 1)
			go func() { listed <- list(dir) }()
			sp = &spare{out: out, dir: dir, held: sync.OnceValue(func() map[string]bool { return <-listed })}
			olds = slices.Delete(olds, i, i+1)
			break
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, dir := range olds {
			_ = removeOld(dir)
		}
	}()
	return sp, func() { <-done }
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// list returns every file, folder and link under dir, by path.
func list(dir string) map[string]bool {
	held := map[string]bool{}
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if p != dir {
			held[p] = true
		}
		return nil
	})
	return held
}

// release gives a spare the build did not swap in back, under a name
// of oldPrefix's, for the next build: what it holds does not matter, as
// long as it holds the Marker.
func (sp *spare) release() {
	if sp == nil {
		return
	}
	sp.held() // the listing is done with it
	_ = os.Rename(sp.dir, oldName(sp.out))
}

// spareBeside readies the previous output, moved aside to dir, to be
// the next build's spare, and removes it if it is not an output: a
// .gitignore in it keeps Git from showing it in
// a repository whose .gitignore names only the output. The next build
// removes it, as it removes every file it does not write.
func spareBeside(dir string) {
	if _, err := os.Lstat(filepath.Join(dir, Marker)); err != nil {
		// The empty folder the first build went into: nothing to keep.
		_ = os.Remove(dir)
		return
	}
	// A new file, never one found there: that could be a link, or a
	// name of the output's own file.
	p := filepath.Join(dir, ".gitignore")
	_ = os.Remove(p)
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return
	}
	_, _ = f.WriteString("# The previous output of handbook build, kept for the next build to write into.\n*\n")
	_ = f.Close()
}

// removeOld removes a previous output moved aside beside the output, and
// nothing else: a folder, not a link, named as swap names them, that
// holds the Marker or nothing at all (an empty folder the first build
// went into).
func removeOld(dir string) error {
	if !strings.HasPrefix(filepath.Base(dir), oldPrefix) {
		return fmt.Errorf("%s: not a previous output of handbook build (its name does not begin %s)", dir, oldPrefix)
	}
	if fi, err := os.Lstat(dir); err != nil {
		return err
	} else if !fi.IsDir() {
		return fmt.Errorf("%s: not a previous output of handbook build (not a folder)", dir)
	}
	if _, err := os.Lstat(filepath.Join(dir, Marker)); err != nil {
		if err := os.Remove(dir); err != nil {
			return fmt.Errorf("%s: not a previous output of handbook build (no %s in it)", dir, Marker)
		}
		return nil
	}
	removeTree(dir)
	return nil
}

// removeTree removes the folder dir and all it holds, its folders two
// levels down on several goroutines: removing a site's folders is mostly
// waiting for the disk, and a build waits for it. Symbolic links are
// removed, never followed.
func removeTree(dir string) {
	var subs []string
	tops, _ := os.ReadDir(dir)
	for _, top := range tops {
		if !top.IsDir() {
			continue
		}
		p := filepath.Join(dir, top.Name())
		ents, _ := os.ReadDir(p)
		for _, e := range ents {
			subs = append(subs, filepath.Join(p, e.Name()))
		}
	}
	_ = parallel.Each(context.Background(), len(subs), removers, func(i int) error {
		os.RemoveAll(subs[i])
		return nil
	})
	os.RemoveAll(dir)
}

// removers is how many goroutines removeTree uses.
const removers = 4

// suffixBytes is how many random bytes randomSuffix writes in hex.
const suffixBytes = 6

func randomSuffix() string {
	var b [suffixBytes]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// CheckOut refuses an output folder that the build must not replace: the
// site root, a content root, a folder containing either, a file, or a
// non-empty folder without the Marker.
func CheckOut(out string, cfg site.Config) error {
	out = realPath(out)
	site := realPath(cfg.Dir)
	refuse := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s: %s", ErrUnsafeOutput, out, fmt.Sprintf(format, args...))
	}
	if within(site, out) {
		return refuse("it is or contains the site folder %s; choose a folder such as %s", site, filepath.Join(site, "public"))
	}
	for _, r := range cfg.Roots {
		dir := realPath(cfg.RootDir(r))
		if within(dir, out) {
			return refuse("it is or contains the content root %s", dir)
		}
	}
	fi, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if !fi.IsDir() {
		return refuse("it is not a folder")
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("output folder: %w", err)
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(out, Marker)); err != nil {
		return refuse("it is not empty and was not written by handbook (no %s file); remove it or choose another folder", Marker)
	}
	return nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	if path == dir {
		return true
	}
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// realPath resolves symbolic links in as much of p as exists.
func realPath(p string) string {
	p = filepath.Clean(p)
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	dir, base := filepath.Split(p)
	if dir == "" || filepath.Clean(dir) == p {
		return p
	}
	return filepath.Join(realPath(filepath.Clean(dir)), base)
}

// renderAll renders every file of the site into a map by site path; size
// is how many files to make room for. keep, unless nil, turns each file's
// bytes into what the map holds (Live packs its pages), on the goroutine
// that rendered it.
func renderAll(ctx context.Context, r *render.Renderer, size int, progress *progress.Line, keep func(p string, b []byte) []byte) (map[string][]byte, error) {
	files := make(map[string][]byte, size)
	var mu sync.Mutex
	err := r.All(ctx, func(p string, b []byte) error {
		if keep != nil {
			b = keep(p, b)
		}
		mu.Lock()
		files[p] = b
		mu.Unlock()
		progress.Add(1)
		return nil
	})
	return files, err
}
