package build_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/sitegen"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
		n := 0
		for _, c := range res.Pages {
			n += c
		}
		if n != 1 {
			t.Fatalf("build %d: %d pages, want 1", i, n)
		}
		if res.Site != nil {
			t.Fatalf("build %d: the site is kept once its pages are written", i)
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

// TestSpareWrittenOver: the output a build replaces stays beside it, whole
// and hidden from Git, and the next build writes its site into it: a file
// the same in all three outputs is left as it is, the same inode as the
// current output's; a page that changed is written; what the spare held
// that the build does not write (a page deleted since, a link to
// elsewhere, a file where a folder goes) is removed, and nothing it
// leads to touched. Other previous outputs beside the output are removed,
// a folder of the user's named alike is not, and what the new output
// holds is exactly what a build into a new folder writes.
func TestSpareWrittenOver(t *testing.T) {
	cfg, out := fixture(t)
	writeTree(t, cfg.Dir, map[string]string{"content/docs/gone.md": "# Gone\n\nSoon.\n"})
	run := func() {
		t.Helper()
		if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
			t.Fatal(err)
		}
	}
	spares := func() []string {
		t.Helper()
		var dirs []string
		ents, _ := os.ReadDir(cfg.Dir)
		for _, e := range ents {
			if n := e.Name(); n != "public" && n != "content" && n != ".handbook-old-mine" && n != ".handbook-old-public-blog-0123456789ab" {
				dirs = append(dirs, filepath.Join(cfg.Dir, n))
			}
		}
		return dirs
	}
	run()
	if s := spares(); len(s) != 0 {
		t.Fatalf("beside the first output: %q", s)
	}
	// A link named .gitignore in the output, to a file elsewhere: the
	// .gitignore written into the spare replaces the link, and the file
	// it led to is left alone.
	target := filepath.Join(t.TempDir(), "gitignore")
	writeTree(t, filepath.Dir(target), map[string]string{"gitignore": "mine"})
	if err := os.Symlink(target, filepath.Join(out, ".gitignore")); err != nil {
		t.Fatal(err)
	}
	run()
	if b, err := os.ReadFile(target); err != nil || string(b) != "mine" {
		t.Errorf("the file a link in the output led to: %q, %v", b, err)
	}
	s := spares()
	if len(s) != 1 || !strings.HasPrefix(filepath.Base(s[0]), ".handbook-old-public-") {
		t.Fatalf("beside the second output: %q, want one previous output", s)
	}
	spare := s[0]
	for _, f := range []string{build.Marker, "docs/guide/index.html", "docs/gone/index.html"} {
		if _, err := os.Stat(filepath.Join(spare, filepath.FromSlash(f))); err != nil {
			t.Errorf("the previous output is not whole: %v", err)
		}
	}
	if fi, err := os.Lstat(filepath.Join(spare, ".gitignore")); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the previous output's .gitignore is not a file of its own: %v", err)
	} else if b, err := os.ReadFile(filepath.Join(spare, ".gitignore")); err != nil || !strings.Contains(string(b), "*") {
		t.Errorf("the previous output's .gitignore: %q, %v", b, err)
	}
	// What the spare holds that the build will not write, and a second
	// previous output, and a folder of the user's.
	outside := t.TempDir()
	writeTree(t, outside, map[string]string{"keep.html": "kept", "dir/index.html": "kept"})
	if err := os.Symlink(filepath.Join(outside, "keep.html"), filepath.Join(spare, "stray.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(spare, "docs")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "dir"), filepath.Join(spare, "docs")); err != nil {
		t.Fatal(err)
	}
	writeTree(t, spare, map[string]string{"tags/index.html/x": "a folder where a file goes", "extra/deep/page.html": "stale"})
	writeTree(t, filepath.Join(cfg.Dir, ".handbook-old-0123456789ab"), map[string]string{build.Marker: "", "index.html": "old"})
	// The previous output of another output folder beside this one.
	writeTree(t, filepath.Join(cfg.Dir, ".handbook-old-public-blog-0123456789ab"), map[string]string{build.Marker: "", "index.html": "blog"})
	writeTree(t, filepath.Join(cfg.Dir, ".handbook-old-mine"), map[string]string{"notes.md": "mine"})
	if err := os.Remove(filepath.Join(cfg.Dir, "content", "docs", "gone.md")); err != nil {
		t.Fatal(err)
	}
	writeTree(t, cfg.Dir, map[string]string{"content/docs/guide.md": "---\ntitle: Guide\n---\nChanged text.\n"})
	inode := func(p string) os.FileInfo {
		t.Helper()
		fi, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	css := ""
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && css == "" && strings.HasSuffix(p, ".css") {
			css = p
		}
		return nil
	})
	if css == "" {
		t.Fatal("no stylesheet in the output")
	}
	cssRel, _ := filepath.Rel(out, css)
	cssBefore := inode(css)
	folderBefore := inode(filepath.Join(spare, filepath.Dir(cssRel)))
	run()
	if !os.SameFile(inode(filepath.Join(out, cssRel)), cssBefore) {
		t.Error("a file the same in every output was written again")
	}
	if !os.SameFile(inode(filepath.Join(out, filepath.Dir(cssRel))), folderBefore) {
		t.Error("the build did not write into the previous output: a folder of it was made anew")
	}
	if b, err := os.ReadFile(filepath.Join(out, "docs", "guide", "index.html")); err != nil || !strings.Contains(string(b), "Changed text.") {
		t.Errorf("the changed page: %v", err)
	}
	for _, f := range []string{"stray.html", "docs/gone", "extra", "tags/index.html/x", ".gitignore"} {
		if _, err := os.Lstat(filepath.Join(out, filepath.FromSlash(f))); !os.IsNotExist(err) {
			t.Errorf("%s is in the output (%v)", f, err)
		}
	}
	for _, f := range []string{"keep.html", "dir/index.html"} {
		if b, err := os.ReadFile(filepath.Join(outside, filepath.FromSlash(f))); err != nil || string(b) != "kept" {
			t.Errorf("%s outside the output: %q, %v", f, b, err)
		}
	}
	if _, err := os.Stat(filepath.Join(cfg.Dir, ".handbook-old-mine", "notes.md")); err != nil {
		t.Errorf("a folder that is not an output was removed: %v", err)
	}
	if b, err := os.ReadFile(filepath.Join(cfg.Dir, ".handbook-old-public-blog-0123456789ab", "index.html")); err != nil || string(b) != "blog" {
		t.Errorf("the previous output of another output folder: %q, %v", b, err)
	}
	if s := spares(); len(s) != 1 {
		t.Errorf("beside the third output: %q, want one previous output", s)
	}
	// The same as a build into a new folder.
	fresh := filepath.Join(t.TempDir(), "fresh")
	if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: fresh}); err != nil {
		t.Fatal(err)
	}
	want, got := tree(t, fresh), tree(t, out)
	for p, b := range want {
		if g, ok := got[p]; !ok || g != b {
			t.Errorf("%s: in the output %v, same bytes %v", p, ok, g == b)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			t.Errorf("%s: in the output, not in a new build's", p)
		}
	}
}

// tree returns the files under dir, by slash-separated path, and what
// they hold; folders end in a slash, links hold where they lead.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			files[rel+"/"] = ""
		case d.Type()&fs.ModeSymlink != 0:
			to, _ := os.Readlink(p)
			files[rel] = "-> " + to
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestInterruptGivesSpareBack: a build cancelled after it claimed the
// output before the last leaves the output as it was and gives that
// folder back, under its name, for the next build; no temporary folder
// stays.
func TestInterruptGivesSpareBack(t *testing.T) {
	cfg, out := fixture(t)
	for range 2 {
		if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
			t.Fatal(err)
		}
	}
	before := tree(t, out)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := build.Run(ctx, build.Options{Site: cfg, Out: out}); err == nil {
		t.Fatal("cancelled build succeeded")
	}
	after := tree(t, out)
	if len(after) != len(before) {
		t.Errorf("the output changed: %d entries, %d before", len(after), len(before))
	}
	for p, b := range before {
		if after[p] != b {
			t.Errorf("%s changed", p)
		}
	}
	var left []string
	ents, _ := os.ReadDir(cfg.Dir)
	for _, e := range ents {
		if n := e.Name(); n != "public" && n != "content" {
			left = append(left, n)
		}
	}
	if len(left) != 1 || !strings.HasPrefix(left[0], ".handbook-old-public-") {
		t.Errorf("beside the output: %q, want the output before the last alone", left)
	}
}
