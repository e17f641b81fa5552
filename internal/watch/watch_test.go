package watch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fsnotify/fsnotify"
)

// timeout bounds every wait for a batch; batches normally come within
// milliseconds.
const timeout = 5 * time.Second

// harness watches a temporary folder and collects what is reported.
type harness struct {
	t       *testing.T
	dir     string // the temporary folder
	root    string // the folder root that sync writes its markers into
	w       *watcher
	cancel  context.CancelFunc
	markers map[string]bool
	n       int
}

// newHarness creates dir/content with the given files (names ending in / are
// folders), then watches dir/content and the extra roots (relative to dir).
func newHarness(t *testing.T, opts Options, files []string, extra ...string) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), markers: map[string]bool{}}
	h.root = filepath.Join(h.dir, "content")
	mkdir(t, h.root)
	for _, f := range files {
		if strings.HasSuffix(f, "/") {
			mkdir(t, h.path(f))
		} else {
			write(t, h.path(f), "old")
		}
	}
	roots := []string{h.root}
	for _, r := range extra {
		roots = append(roots, filepath.Join(h.dir, r))
	}
	ctx, cancel := context.WithCancel(context.Background())
	w, err := start(ctx, roots, opts)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	h.w, h.cancel = w, cancel
	t.Cleanup(func() {
		cancel()
		for range w.batches {
		}
		for range w.errs {
		}
	})
	return h
}

// path returns the absolute path of a name relative to dir/content.
func (h *harness) path(name string) string {
	return filepath.Join(h.root, filepath.FromSlash(name))
}

// sync writes a marker file and waits for it to be reported. Events arrive
// in order, so everything done before is reported by then: sync returns it,
// relative to dir/content (or to dir, prefixed with ../), markers left out.
func (h *harness) sync() []string {
	h.t.Helper()
	h.n++
	marker := h.path(fmt.Sprintf("sync-%d.md", h.n))
	h.markers[marker] = true
	write(h.t, marker, "")
	seen := map[string]bool{}
	deadline := time.After(timeout)
	for !seen[marker] {
		select {
		case b := <-h.w.batches:
			if !slices.IsSorted(b.Paths) || len(slices.Compact(slices.Clone(b.Paths))) != len(b.Paths) {
				h.t.Errorf("batch not sorted or with duplicates: %q", b.Paths)
			}
			for _, p := range b.Paths {
				if !filepath.IsAbs(p) || filepath.Clean(p) != p {
					h.t.Errorf("path not absolute and clean: %q", p)
				}
				seen[p] = true
			}
		case err := <-h.w.errs:
			h.t.Errorf("unexpected error: %v", err)
		case <-deadline:
			h.t.Fatalf("%s not reported within %v; got %q", marker, timeout, h.rel(seen))
		}
	}
	return h.rel(seen)
}

func (h *harness) rel(seen map[string]bool) []string {
	var out []string
	for p := range seen {
		if h.markers[p] {
			continue
		}
		r, err := filepath.Rel(h.root, p)
		if err != nil {
			r = p
		}
		out = append(out, filepath.ToSlash(r))
	}
	slices.Sort(out)
	return out
}

// expect checks the paths reported by sync.
func (h *harness) expect(want ...string) {
	h.t.Helper()
	got := h.sync()
	if want == nil {
		want = []string{}
	}
	if got == nil {
		got = []string{}
	}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		h.t.Errorf("reported %q, want %q", got, want)
	}
}

func mkdir(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(p, 0o755); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, p, text string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, from, to string) {
	t.Helper()
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, p string) {
	t.Helper()
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
}

func TestWrite(t *testing.T) {
	h := newHarness(t, Options{}, []string{"a.md", "b.md", "sub/", "sub/c.md"})
	write(t, h.path("a.md"), "new")
	h.expect("a.md")
	write(t, h.path("sub/c.md"), "new")
	write(t, h.path("sub/new.md"), "new")
	h.expect("sub/c.md", "sub/new.md")
}

func TestEditorSaves(t *testing.T) {
	tests := []struct {
		name string
		save func(t *testing.T, h *harness, name string)
	}{
		{"in place (VS Code)", func(t *testing.T, h *harness, name string) {
			f, err := os.OpenFile(h.path(name), os.O_WRONLY|os.O_TRUNC, 0)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("new, ")
			f.WriteString("written in two parts")
			f.Close()
		}},
		{"vim", func(t *testing.T, h *harness, name string) {
			write(t, h.path(".x.md.swp"), "swap")
			write(t, h.path("4913"), "")
			remove(t, h.path("4913"))
			rename(t, h.path(name), h.path(name+"~"))
			write(t, h.path(name), "new")
			remove(t, h.path(name+"~"))
			remove(t, h.path(".x.md.swp"))
		}},
		{"temp file renamed (VS Code atomic)", func(t *testing.T, h *harness, name string) {
			write(t, h.path(name+".vsctmp"), "new")
			rename(t, h.path(name+".vsctmp"), h.path(name))
		}},
		{"JetBrains", func(t *testing.T, h *harness, name string) {
			write(t, h.path(name+"___jb_tmp___"), "new")
			rename(t, h.path(name), h.path(name+"___jb_old___"))
			rename(t, h.path(name+"___jb_tmp___"), h.path(name))
			remove(t, h.path(name+"___jb_old___"))
		}},
		{"Emacs", func(t *testing.T, h *harness, name string) {
			dir, base := path.Split(name)
			lock, autoSave := h.path(dir+".#"+base), h.path(dir+"#"+base+"#")
			if err := os.Symlink("user@host.1234:1700000000", lock); err != nil {
				t.Fatal(err)
			}
			write(t, autoSave, "auto-saved")
			rename(t, h.path(name), h.path(name+"~"))
			write(t, h.path(name), "new")
			remove(t, autoSave)
			remove(t, lock)
		}},
		{"temp file from elsewhere", func(t *testing.T, h *harness, name string) {
			tmp := filepath.Join(h.dir, "tmp")
			write(t, tmp, "new")
			rename(t, tmp, h.path(name))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Options{}, []string{"x.md", "sub/", "sub/x.md"})
			tt.save(t, h, "x.md")
			h.expect("x.md")
			tt.save(t, h, "sub/x.md")
			h.expect("sub/x.md")
			for _, name := range []string{"x.md", "sub/x.md"} {
				if b, err := os.ReadFile(h.path(name)); err != nil || string(b) == "old" {
					t.Errorf("%s not saved: %q, %v", name, b, err)
				}
			}
		})
	}
}

func TestEditorFilesIgnored(t *testing.T) {
	h := newHarness(t, Options{}, []string{"x.md"})
	for _, name := range []string{
		"x.md~", "#x.md#", ".#x.md", ".x.md.swp", "4913", "5036",
		"x.md___jb_tmp___", "x.md___jb_old___", "x.md.vsctmp", "x.md.crswap",
	} {
		write(t, h.path(name), "")
	}
	h.expect()
}

func TestMkdirP(t *testing.T) {
	h := newHarness(t, Options{}, nil)
	mkdir(t, h.path("a/b/c"))
	write(t, h.path("a/b/c/f.md"), "new")
	h.expect("a", "a/b", "a/b/c", "a/b/c/f.md")
	// The new folders are watched.
	write(t, h.path("a/b/c/g.md"), "new")
	write(t, h.path("a/b/h.md"), "new")
	h.expect("a/b/c/g.md", "a/b/h.md")
}

func TestFolderMovedIn(t *testing.T) {
	h := newHarness(t, Options{}, nil)
	outside := filepath.Join(h.dir, "outside")
	mkdir(t, filepath.Join(outside, "sub"))
	write(t, filepath.Join(outside, "f.md"), "")
	write(t, filepath.Join(outside, "sub", "g.md"), "")
	write(t, filepath.Join(outside, ".hidden"), "")
	rename(t, outside, h.path("moved"))
	h.expect("moved", "moved/f.md", "moved/sub", "moved/sub/g.md")
	write(t, h.path("moved/sub/h.md"), "")
	h.expect("moved/sub/h.md")
}

func TestFolderRenamed(t *testing.T) {
	h := newHarness(t, Options{}, []string{"d/", "d/sub/", "d/sub/f.md"})
	rename(t, h.path("d"), h.path("e"))
	h.expect("d", "e", "e/sub", "e/sub/f.md")
	// Writes below the new name are reported by that name.
	write(t, h.path("e/sub/f.md"), "new")
	h.expect("e/sub/f.md")
	// A new folder by the old name is watched afresh.
	mkdir(t, h.path("d/sub"))
	write(t, h.path("d/sub/f.md"), "new")
	h.expect("d", "d/sub", "d/sub/f.md")
}

func TestFolderMovedOut(t *testing.T) {
	h := newHarness(t, Options{}, []string{"d/", "d/f.md", "d/sub/", "d/sub/g.md"})
	gone := filepath.Join(h.dir, "gone")
	rename(t, h.path("d"), gone)
	h.expect("d")
	write(t, filepath.Join(gone, "f.md"), "new")
	write(t, filepath.Join(gone, "sub", "g.md"), "new")
	h.expect()
}

func TestDelete(t *testing.T) {
	h := newHarness(t, Options{}, []string{"f.md", "d/", "d/g.md", "d/sub/", "d/sub/h.md"})
	remove(t, h.path("f.md"))
	h.expect("f.md")

	remove(t, h.path("d"))
	got := h.sync()
	if !slices.Contains(got, "d") {
		t.Errorf("removed folder not reported: %q", got)
	}
	for _, p := range got {
		if p != "d" && !strings.HasPrefix(p, "d/") {
			t.Errorf("reported %q, outside the removed folder", p)
		}
	}

	mkdir(t, h.path("d/sub"))
	write(t, h.path("d/sub/h.md"), "new")
	h.expect("d", "d/sub", "d/sub/h.md")
}

func TestManyFiles(t *testing.T) {
	// The default 25ms of quiet can pass between two writes of a loop on a
	// busy machine; this test is about the batching, not the defaults.
	h := newHarness(t, Options{Debounce: 100 * time.Millisecond, MaxDelay: 2 * time.Second}, []string{"many/"})
	const n = 500
	want := map[string]bool{}
	for i := range n {
		p := h.path(fmt.Sprintf("many/page-%03d.md", i))
		want[p] = true
		write(t, p, "new")
	}
	batches := 0
	deadline := time.After(timeout)
	for len(want) > 0 {
		select {
		case b := <-h.w.batches:
			batches++
			for _, p := range b.Paths {
				delete(want, p)
			}
		case err := <-h.w.errs:
			t.Fatal(err)
		case <-deadline:
			t.Fatalf("%d of %d files not reported after %d batches", len(want), n, batches)
		}
	}
	if batches > 3 {
		t.Errorf("%d files reported in %d batches, want at most 3", n, batches)
	}
}

func TestMaxDelay(t *testing.T) {
	// With changes every few milliseconds the quiet time never passes, so
	// only MaxDelay can end the batch.
	h := newHarness(t, Options{Debounce: time.Minute, MaxDelay: 50 * time.Millisecond}, nil)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(timeout)
	for i := 0; ; i++ {
		select {
		case b := <-h.w.batches:
			if len(b.Paths) == 0 {
				t.Fatal("empty batch")
			}
			return
		case <-tick.C:
			write(t, h.path("f.md"), fmt.Sprint(i))
		case <-deadline:
			t.Fatal("no batch while changes kept coming")
		}
	}
}

func TestFileRoot(t *testing.T) {
	h := newHarness(t, Options{}, nil, "handbook.yaml")
	config := filepath.Join(h.dir, "handbook.yaml")
	write(t, config, "title: old")
	h.expect("../handbook.yaml")

	write(t, filepath.Join(h.dir, "README.md"), "")
	write(t, filepath.Join(h.dir, "other.yaml"), "")
	h.expect()

	tmp := filepath.Join(h.dir, ".handbook.yaml.tmp")
	write(t, tmp, "title: new")
	rename(t, tmp, config)
	h.expect("../handbook.yaml")

	rename(t, config, config+"~")
	write(t, config, "title: vim")
	remove(t, config+"~")
	h.expect("../handbook.yaml")

	remove(t, config)
	h.expect("../handbook.yaml")
}

func TestRootCreatedLater(t *testing.T) {
	h := newHarness(t, Options{}, nil, "layouts")
	mkdir(t, filepath.Join(h.dir, "layouts", "partials"))
	write(t, filepath.Join(h.dir, "layouts", "partials", "head.html"), "")
	h.expect("../layouts", "../layouts/partials", "../layouts/partials/head.html")
	write(t, filepath.Join(h.dir, "layouts", "page.html"), "")
	h.expect("../layouts/page.html")
}

func TestIgnore(t *testing.T) {
	var mu sync.Mutex
	asked := map[string]bool{} // base names asked about as folders
	opts := Options{Ignore: func(p string, dir bool) bool {
		if dir {
			mu.Lock()
			asked[filepath.Base(p)] = true
			mu.Unlock()
		}
		return dir && filepath.Base(p) == "drafts" || strings.HasSuffix(p, ".tmp")
	}}
	h := newHarness(t, opts, []string{"drafts/", "drafts/a.md", ".git/", "node_modules/", "node_modules/x/"})
	write(t, h.path("drafts/a.md"), "new")
	write(t, h.path("drafts/b.md"), "new")
	write(t, h.path("page.tmp"), "new")
	write(t, h.path(".git/HEAD"), "new")
	write(t, h.path("node_modules/x/index.js"), "new")
	h.expect()

	mkdir(t, h.path("new/drafts"))
	write(t, h.path("new/drafts/c.md"), "new")
	write(t, h.path("new/d.md"), "new")
	h.expect("new", "new/d.md")
	mu.Lock()
	defer mu.Unlock()
	if !asked["drafts"] || asked[".git"] || asked["node_modules"] {
		t.Errorf("Ignore asked about folders %v, want drafts and not .git or node_modules", asked)
	}
}

func TestPoll(t *testing.T) {
	h := newHarness(t, Options{Poll: 10 * time.Millisecond}, []string{"f.md", "g.md", "d/", "d/h.md", ".hidden"}, "handbook.yaml")
	write(t, h.path("f.md"), "new content")
	h.expect("f.md")

	mkdir(t, h.path("new/sub"))
	write(t, h.path("new/sub/n.md"), "")
	h.expect("new", "new/sub", "new/sub/n.md")

	remove(t, h.path("g.md"))
	h.expect("g.md")

	remove(t, h.path("d"))
	h.expect("d", "d/h.md")

	write(t, filepath.Join(h.dir, "handbook.yaml"), "")
	write(t, h.path(".hidden"), "new content")
	write(t, h.path("x.md~"), "")
	h.expect("../handbook.yaml")
}

func TestOverflow(t *testing.T) {
	h := newHarness(t, Options{}, nil, "handbook.yaml")
	h.w.fw.Errors <- fsnotify.ErrEventOverflow
	select {
	case err := <-h.w.errs:
		if !errors.Is(err, ErrOverflow) {
			t.Errorf("error %v, want ErrOverflow", err)
		}
	case <-time.After(timeout):
		t.Fatal("no error")
	}
	h.expect(".", "../handbook.yaml")
	write(t, h.path("f.md"), "")
	h.expect("f.md")
}

func TestStartErrors(t *testing.T) {
	dir := t.TempDir()
	for _, poll := range []time.Duration{0, time.Second} {
		for _, paths := range [][]string{nil, {filepath.Join(dir, "missing", "content")}} {
			_, _, err := Watch(context.Background(), paths, Options{Poll: poll})
			if err == nil {
				t.Errorf("Watch(%q, poll %v): no error", paths, poll)
			}
		}
	}
}

func TestCancel(t *testing.T) {
	for _, poll := range []time.Duration{0, 10 * time.Millisecond} {
		t.Run(fmt.Sprint("poll=", poll), func(t *testing.T) {
			before := runtime.NumGoroutine()
			dir := t.TempDir()
			mkdir(t, filepath.Join(dir, "a", "b"))
			ctx, cancel := context.WithCancel(context.Background())
			batches, errs, err := Watch(ctx, []string{dir}, Options{Poll: poll})
			if err != nil {
				t.Fatal(err)
			}
			// A batch pending at cancel is dropped, not waited for.
			write(t, filepath.Join(dir, "a", "b", "f.md"), "")
			cancel()
			deadline := time.After(timeout)
			for batches != nil || errs != nil {
				select {
				case _, ok := <-batches:
					if !ok {
						batches = nil
					}
				case _, ok := <-errs:
					if !ok {
						errs = nil
					}
				case <-deadline:
					t.Fatal("channels not closed after cancel")
				}
			}
			for start := time.Now(); runtime.NumGoroutine() > before; time.Sleep(5 * time.Millisecond) {
				if time.Since(start) > timeout {
					t.Fatalf("%d goroutines after cancel, %d before", runtime.NumGoroutine(), before)
				}
			}
		})
	}
}

func TestSkipName(t *testing.T) {
	tests := []struct {
		name string
		dir  bool
		want bool
	}{
		{"page.md", false, false},
		{"handbook.yaml", false, false},
		{"4913.md", false, false},
		{"2024", false, false},
		{"4913", false, true},
		{"5036", false, true},
		{"5037", false, false},
		{"page.md~", false, true},
		{"#page.md#", false, true},
		{"#", false, false},
		{"#tag", false, false},
		{".#page.md", false, true},
		{".page.md.swp", false, true},
		{"page.md___jb_tmp___", false, true},
		{"page.md___jb_old___", false, true},
		{"page.md.vsctmp", false, true},
		{"page.md.crswap", false, true},
		{".git", true, true},
		{".well-known", true, true},
		{"node_modules", true, true},
		{"node_modules", false, false},
		{"docs", true, false},
		{"4913", true, false},
	}
	for _, tt := range tests {
		if got := skipName(tt.name, tt.dir); got != tt.want {
			t.Errorf("skipName(%q, %v) = %v, want %v", tt.name, tt.dir, got, tt.want)
		}
	}
}
