package build_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/sitegen"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
)

func fixture(t testing.TB) (site.Config, string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"content/index.md":      "# Home\n\nWelcome.\n",
		"content/docs/guide.md": "---\ntitle: Guide\n---\nText.\n",
	}
	writeTree(t, dir, files)
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	return cfg, filepath.Join(dir, "public")
}

// writeTree writes files (slash-separated paths → text) under dir,
// making their folders.
func writeTree(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestInterruptKeepsOutput: a build cancelled half-way leaves the previous
// output exactly as it was and no temporary folder behind.
func TestInterruptKeepsOutput(t *testing.T) {
	cfg, out := fixture(t)
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "docs", "guide", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg.Dir, "content", "docs", "guide.md"), []byte("# Changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := build.Run(ctx, build.Options{Site: cfg, Out: out}); err == nil {
		t.Fatal("cancelled build succeeded")
	}
	after, err := os.ReadFile(filepath.Join(out, "docs", "guide", "index.html"))
	if err != nil || string(after) != string(before) {
		t.Fatalf("previous output changed: %v", err)
	}
	entries, _ := os.ReadDir(cfg.Dir)
	for _, e := range entries {
		if e.Name() != "content" && e.Name() != "public" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestMemoryMatchesDisk: a build into memory holds exactly the files,
// byte for byte, that a build to disk writes, though the build to disk
// lets each page's HTML go once its file is written: the pages whose
// content shows elsewhere too (the home page, a kind's index page, the
// posts and postmortems of the feed) still show it everywhere.
func TestMemoryMatchesDisk(t *testing.T) {
	cfg, out := fixture(t)
	if err := sitegen.Generate(cfg.Dir, 120, 3); err != nil {
		t.Fatal(err)
	}
	writeTree(t, cfg.Dir, map[string]string{
		"content/index.md":       "# Home\n\nWelcome to **the** handbook. See [the guide](docs/guide.md).\n",
		"content/posts/index.md": "---\ntitle: All posts\n---\nWhat we *write*.\n",
	})
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	res, err := build.Run(context.Background(), build.Options{Site: cfg})
	if err != nil {
		t.Fatal(err)
	}
	files := res.Output
	n := 0
	err = filepath.Walk(out, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || fi.Name() == build.Marker {
			return err
		}
		n++
		rel, _ := filepath.Rel(out, p)
		disk, _ := os.ReadFile(p)
		mem, ok := files["/"+filepath.ToSlash(rel)]
		if !ok || string(mem) != string(disk) {
			t.Errorf("%s: in memory %v, same bytes %v", rel, ok, string(mem) == string(disk))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n == 0 || n != len(files) {
		t.Errorf("%d files on disk, %d in memory", n, len(files))
	}
}

// TestOutputReadable: the output folder can be read by other users, such
// as a web server's, whatever the temporary folder it was built in.
func TestOutputReadable(t *testing.T) {
	cfg, out := fixture(t)
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if perm := fi.Mode().Perm(); perm&0o055 != 0o055 {
		t.Fatalf("output folder mode %v: others cannot read it", perm)
	}
}

// TestOutputInsideRootIsExcluded: a site whose only root is its own folder
// (no content/) does not read its previous output back in.
func TestOutputInsideRootIsExcluded(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# Notes\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	out := filepath.Join(dir, "public")
	for i := 0; i < 2; i++ {
		res, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(res.Site.Pages); n != 1 {
			t.Fatalf("build %d: %d pages, want 1", i, n)
		}
	}
}

// BenchmarkBuildCorpus builds ../shared/corpus/docs-hugo (988 pages).
func BenchmarkBuildCorpus(b *testing.B) {
	dir := golden.CorpusDir(b, "docs-hugo", "docs")
	cfg := site.DefaultConfig(dir)
	out := filepath.Join(b.TempDir(), "public")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMemoMatchesFresh: builds into memory that reuse the pages of the
// build before (handbook serve) give exactly what a fresh build gives,
// after edits that change a page, a title other pages show, links and
// anchors, and after pages are added and removed.
func TestMemoMatchesFresh(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 150, 7); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{
		"content/target.md": "---\ntitle: Target\n---\n## Anchor\n\nText.\n",
		"content/source.md": "---\ntitle: Source\n---\nSee [[Target]] and [it](target.md#anchor), [gone](gone.md).\n",
	})
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	memo := site.NewMemo()
	memoCfg := cfg
	memoCfg.Memo = memo

	compare := func(step string) {
		t.Helper()
		resM, err := build.Run(context.Background(), build.Options{Site: memoCfg})
		if err != nil {
			t.Fatal(err)
		}
		resF, err := build.Run(context.Background(), build.Options{Site: cfg})
		if err != nil {
			t.Fatal(err)
		}
		got, want := resM.Output, resF.Output
		if fmt.Sprint(resM.Diags) != fmt.Sprint(resF.Diags) {
			t.Errorf("%s: findings differ:\nmemo:  %v\nfresh: %v", step, resM.Diags, resF.Diags)
		}
		for p, b := range want {
			if !bytes.Equal(got[p], b) {
				t.Errorf("%s: %s differs from a fresh build", step, p)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d files, a fresh build has %d", step, len(got), len(want))
		}
	}
	compare("first build")
	hits := memo.Hits()

	// The target's title and anchor change; the source is untouched but
	// shows the title and links to the anchor.
	writeTree(t, dir, map[string]string{
		"content/target.md": "---\ntitle: Target renamed\n---\n## Other anchor\n\nLonger text now.\n",
		"content/gone.md":   "---\ntitle: Gone no more\n---\nHere.\n",
	})
	compare("edits")
	if memo.Hits()-hits < 100 {
		t.Errorf("only %d pages taken from the memo", memo.Hits()-hits)
	}
	os.Remove(filepath.Join(dir, "content", "gone.md"))
	compare("removal")
}

// TestOldOutputHandedOver: with OldOutput set, a build into a folder that
// holds an earlier output hands over that output, moved aside beside the
// new one and whole; the next build removes what was left of it, and
// nothing else beside the output.
func TestOldOutputHandedOver(t *testing.T) {
	cfg, out := fixture(t)
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	var handed []string
	keep := func(dir string) { handed = append(handed, dir) }
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out, OldOutput: keep}); err != nil {
		t.Fatal(err)
	}
	if len(handed) != 1 || filepath.Dir(handed[0]) != filepath.Dir(out) {
		t.Fatalf("handed over %q, want one folder beside %s", handed, out)
	}
	old := handed[0]
	for _, dir := range []string{out, old} {
		if _, err := os.Stat(filepath.Join(dir, "docs", "guide", "index.html")); err != nil {
			t.Errorf("%s is not a whole output: %v", dir, err)
		}
	}
	// Something of the user's beside the output, named alike but not a
	// previous output, stays.
	mine := filepath.Join(filepath.Dir(out), ".handbook-old-mine")
	writeTree(t, mine, map[string]string{"notes.md": "mine\n"})
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(old); !os.IsNotExist(err) {
		t.Errorf("the previous output handed over is still there after the next build: %v", err)
	}
	if _, err := os.Stat(filepath.Join(mine, "notes.md")); err != nil {
		t.Errorf("a folder that is not an output was removed: %v", err)
	}
	ents, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range ents {
		if name := e.Name(); name != "public" && name != "content" && name != ".handbook-old-mine" {
			t.Errorf("left beside the output: %s", name)
		}
	}
}
