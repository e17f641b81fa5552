package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/site"
)

// TestLiveSpillsPages checks that a Live holds its pages in a file, each
// as a key of 21 or 29 bytes that unpacks to the page; that a page held
// again with the same bytes is held as the same key (results compare as
// they are), after an edit and after a whole build, which writes into a
// new file; that a result of the build before stays readable after it,
// and one older fails to read rather than crash; and that the pages'
// HTML is out of memory too. It fails when hold keeps pages in memory,
// when keys are made of where the bytes are rather than what they are,
// and when a whole build closes the file of the result just served.
func TestLiveSpillsPages(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { return writePage(t, dir, name, body) }
	for i := range 8 {
		write(fmt.Sprintf("runbooks/api/step-%d.md", i), fmt.Sprintf("---\ntitle: Step %d\nowner: team-api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRun step %d.\n\n```sh\nkubectl rollout restart deploy/api-%d\n```\n", i, i, i))
	}
	home := write("content/index.md", "---\ntitle: Home\n---\nHello.\n")
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	live := NewLive(Options{Site: cfg})
	ctx := context.Background()
	first, err := live.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !live.pk.spilling.Load() || live.docs == nil {
		t.Fatal("the Live holds its pages in memory: no file could be made")
	}
	pages := 0
	for p, b := range first.Files {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		pages++
		if len(b) != spillKeyLen+1 && len(b) != spillKeyLen+sharedTail {
			t.Errorf("%s is held in %d bytes, not as a key of a file's bytes", p, len(b))
		}
		got, ok := first.File(p)
		if !ok || !bytes.Contains(got, []byte("</html>")) {
			t.Errorf("%s unpacks to %.60q, %v", p, got, ok)
		}
	}
	if pages < 9 {
		t.Fatalf("%d pages", pages)
	}
	for _, p := range live.s.Pages {
		if p.Doc != nil && (!p.Doc.Spilled() || p.Doc.Source != nil || len(p.Doc.Markdown()) == 0) {
			t.Errorf("%s: its HTML or its Markdown is held in memory (%d bytes), or the Markdown does not read back", p.Source, len(p.Doc.Source))
		}
	}
	step := "/runbooks/api/step-3/index.html"
	want, _ := first.File(step)

	write("content/index.md", "---\ntitle: Home\n---\nHello again.\n")
	upd, err := live.Update(ctx, []string{home})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := upd.File("/index.html"); !bytes.Contains(got, []byte("Hello again.")) {
		t.Errorf("the edited page unpacks to %.80q", got)
	}
	if !bytes.Equal(upd.Files[step], first.Files[step]) {
		t.Error("an unchanged page is held as other bytes after an edit")
	}

	// A whole build after an edit it alone sees: the page it changes is
	// in its file alone, and the result served before reads the old one
	// from the file before.
	write("runbooks/api/step-5.md", "---\ntitle: Step 5\nowner: team-api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRun step five.\n")
	second, err := live.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(second.Files[step], first.Files[step]) {
		t.Error("a page is held as other bytes after a whole build that did not change it")
	}
	if got, ok := second.File(step); !ok || !bytes.Equal(got, want) {
		t.Errorf("after a whole build, %s unpacks to %.80q, %v", step, got, ok)
	}
	if got, _ := upd.File("/runbooks/api/step-5/index.html"); !bytes.Contains(got, []byte("Run step 5.")) {
		t.Errorf("the result served before the whole build no longer reads: %.80q", got)
	}
	if got, _ := second.File("/runbooks/api/step-5/index.html"); !bytes.Contains(got, []byte("Run step five.")) {
		t.Errorf("the page edited unpacks to %.80q", got)
	}
	if _, err := live.Build(ctx); err != nil {
		t.Fatal(err)
	}
	// The home page's first version was in the first file alone, closed
	// now.
	if got, err := first.Unpack("/index.html", first.Files["/index.html"]); err == nil {
		t.Errorf("a page of a file let go two builds ago unpacks: %.80q", got)
	}
}

// TestLiveClose checks that Close lets the Live's files go: its results
// read no more, and a Live closed twice does not panic.
func TestLiveClose(t *testing.T) {
	dir := t.TempDir()
	writePage(t, dir, "content/index.md", "---\ntitle: Home\n---\nHello.\n")
	live := NewLive(Options{Site: site.DefaultConfig(dir)})
	res, err := live.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := res.File("/index.html"); !ok {
		t.Fatal("the home page does not read")
	}
	live.Close()
	live.Close()
	if b, ok := res.File("/index.html"); ok {
		t.Errorf("the home page reads after Close: %.60q", b)
	}
}

// TestLiveWithoutTemporaryFiles checks that a Live that cannot make its
// files (TMPDIR names no folder) holds its pages and their HTML and
// Markdown in memory, and reads them back the same.
func TestLiveWithoutTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	writePage(t, dir, "content/index.md", "---\ntitle: Home\n---\nHello, *world*.\n")
	if runtime.GOOS == "windows" {
		t.Skip("os.TempDir reads TMP there")
	}
	t.Setenv("TMPDIR", filepath.Join(dir, "no such folder"))
	live := NewLive(Options{Site: site.DefaultConfig(dir)})
	defer live.Close()
	res, err := live.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if live.pk.spilling.Load() || live.docs != nil {
		t.Fatal("the Live spills into a folder that does not exist")
	}
	b, ok := res.File("/index.html")
	if !ok || !bytes.Contains(b, []byte("Hello, <em>world</em>.")) {
		t.Errorf("the home page reads %.80q, %v", b, ok)
	}
	if held := res.Files["/index.html"]; held[len(held)-1] != heldPlain && held[len(held)-1] != heldShared {
		t.Errorf("the home page is held as kind %d: not packed in memory", held[len(held)-1])
	}
	for _, p := range live.s.Pages {
		if p.Doc.Spilled() || p.Doc.Source == nil {
			t.Errorf("%s: spilled %v, Markdown held %v", p.Source, p.Doc.Spilled(), p.Doc.Source != nil)
		}
	}
}

// writePage writes body to the file at name (slash-separated) under dir,
// making its folders, and returns its path.
func writePage(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
