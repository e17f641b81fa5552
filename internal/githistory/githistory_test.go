package githistory

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// isolate keeps the user's and the system's git configuration out of the
// test, and the test's repositories out of any repository above them.
func isolate(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CEILING_DIRECTORIES", os.TempDir())
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "SOURCE_DATE_EPOCH"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// author is who makes a commit, and when (seconds since 1970).
type author struct {
	name, email string
	when        int64
}

var (
	alice = author{"Alice", "alice@example.com", 0}
	bob   = author{"Bob", "bob@example.com", 0}
)

func (a author) at(sec int64) author { a.when = sec; return a }

// gitRun runs git in dir as who and returns its output.
func gitRun(t testing.TB, dir string, who author, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	date := fmt.Sprintf("@%d +0000", who.when)
	cmd.Env = append(os.Environ(),
		"GIT_AUTHOR_NAME="+who.name, "GIT_AUTHOR_EMAIL="+who.email, "GIT_AUTHOR_DATE="+date,
		"GIT_COMMITTER_NAME="+who.name, "GIT_COMMITTER_EMAIL="+who.email, "GIT_COMMITTER_DATE="+date)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// repo is a git work tree in a temporary folder.
type repo struct {
	t   testing.TB
	dir string
}

func newRepo(t testing.TB) *repo {
	isolate(t)
	r := &repo{t, t.TempDir()}
	gitRun(t, r.dir, alice, "init", "-q")
	return r
}

// write writes files, given as path and content pairs.
func (r *repo) write(pathContent ...string) {
	r.t.Helper()
	for i := 0; i < len(pathContent); i += 2 {
		name := filepath.Join(r.dir, filepath.FromSlash(pathContent[i]))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(pathContent[i+1]), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
}

// commit commits every change in the work tree and returns its hash.
func (r *repo) commit(who author, msg string) string {
	r.t.Helper()
	gitRun(r.t, r.dir, who, "add", "-A")
	gitRun(r.t, r.dir, who, "commit", "-q", "-m", msg)
	return gitRun(r.t, r.dir, who, "rev-parse", "HEAD")
}

func (r *repo) read(dir string, now time.Time) *History {
	r.t.Helper()
	h, err := Read(context.Background(), dir, now)
	if err != nil {
		r.t.Fatalf("Read: %v", err)
	}
	if h == nil {
		r.t.Fatal("Read: nil History in a work tree")
	}
	return h
}

// want is what a test expects of one file; an empty path means the file
// must not be in the history.
type want struct {
	path        string
	absent      bool
	hash        string
	last        int64
	author      string
	subject     string
	first       int64
	authors     int
	uncommitted bool
	// firstUnknown and unknown are what a shallow clone cannot tell.
	firstUnknown, unknown bool
	// contributors, when set, are "Name <email> commits", in order.
	contributors []string
	// recent, when set, are the subjects of Recent, in order.
	recent []string
}

func check(t *testing.T, h *History, now time.Time, wants []want) {
	t.Helper()
	for _, w := range wants {
		f, ok := h.Lookup(w.path)
		if w.absent {
			if ok {
				t.Errorf("%s: in the history (%+v), want absent", w.path, f)
			}
			continue
		}
		if !ok {
			t.Errorf("%s: not in the history", w.path)
			continue
		}
		if f.Path != w.path {
			t.Errorf("%s: Path = %q", w.path, f.Path)
		}
		if w.hash != "" && f.Last.Hash != w.hash {
			t.Errorf("%s: Last.Hash = %s, want %s", w.path, f.Last.Hash, w.hash)
		}
		if got := f.Last.Time.Unix(); w.last != 0 && got != w.last {
			t.Errorf("%s: Last.Time = %d, want %d", w.path, got, w.last)
		}
		if w.author != "" && f.Last.Author != w.author {
			t.Errorf("%s: Last.Author = %q, want %q", w.path, f.Last.Author, w.author)
		}
		if w.subject != "" && f.Last.Subject != w.subject {
			t.Errorf("%s: Last.Subject = %q, want %q", w.path, f.Last.Subject, w.subject)
		}
		if w.firstUnknown {
			if !f.FirstUnknown || !f.First.IsZero() {
				t.Errorf("%s: FirstUnknown = %v, First = %v; want true and zero", w.path, f.FirstUnknown, f.First)
			}
		} else if got := f.First.Unix(); got != w.first || f.FirstUnknown {
			t.Errorf("%s: First = %d (FirstUnknown %v), want %d", w.path, got, f.FirstUnknown, w.first)
		}
		if f.Unknown != w.unknown {
			t.Errorf("%s: Unknown = %v, want %v", w.path, f.Unknown, w.unknown)
		}
		if f.Authors != w.authors {
			t.Errorf("%s: Authors = %d, want %d", w.path, f.Authors, w.authors)
		}
		if f.Uncommitted != w.uncommitted {
			t.Errorf("%s: Uncommitted = %v, want %v", w.path, f.Uncommitted, w.uncommitted)
		}
		var wantChanged time.Time
		switch {
		case w.uncommitted:
			wantChanged = now
		case !w.unknown:
			wantChanged = f.Last.Time
		}
		if !f.Changed.Equal(wantChanged) {
			t.Errorf("%s: Changed = %v, want %v", w.path, f.Changed, wantChanged)
		}
		if w.contributors != nil {
			if got := contributors(f); !slices.Equal(got, w.contributors) {
				t.Errorf("%s: Contributors = %q, want %q", w.path, got, w.contributors)
			}
		}
		if w.recent != nil {
			var got []string
			for _, c := range f.Recent {
				got = append(got, c.Subject)
			}
			if !slices.Equal(got, w.recent) {
				t.Errorf("%s: Recent = %q, want %q", w.path, got, w.recent)
			}
		}
		checkInvariants(t, f)
		for i := 1; i < len(f.Recent); i++ {
			if f.Recent[i].Time.After(f.Recent[i-1].Time) {
				t.Errorf("%s: Recent not newest first: %v after %v", f.Path, f.Recent[i].Time, f.Recent[i-1].Time)
			}
		}
	}
}

func contributors(f File) []string {
	var s []string
	for _, a := range f.Contributors {
		s = append(s, fmt.Sprintf("%s <%s> %d", a.Name, a.Email, a.Commits))
	}
	return s
}

// checkInvariants checks what holds of every File.
func checkInvariants(t testing.TB, f File) {
	t.Helper()
	if f.Authors != len(f.Contributors) {
		t.Errorf("%s: Authors = %d, %d Contributors", f.Path, f.Authors, len(f.Contributors))
	}
	if len(f.Recent) > MaxRecent {
		t.Errorf("%s: %d Recent commits", f.Path, len(f.Recent))
	}
	if (f.Last.Hash == "") != (len(f.Recent) == 0) || (len(f.Recent) > 0 && f.Recent[0] != f.Last) {
		t.Errorf("%s: Last %+v, Recent %+v", f.Path, f.Last, f.Recent)
	}
	n := 0
	for i, a := range f.Contributors {
		n += a.Commits
		if i > 0 && a.Commits > f.Contributors[i-1].Commits {
			t.Errorf("%s: Contributors not by commits: %+v", f.Path, f.Contributors)
		}
	}
	if n < len(f.Recent) || (len(f.Recent) < MaxRecent && n != len(f.Recent) && !f.FirstUnknown) {
		t.Errorf("%s: %d commits by Contributors, %d Recent", f.Path, n, len(f.Recent))
	}
	if f.Unknown && (!f.FirstUnknown || f.Last.Hash != "" || !f.First.IsZero() || f.Authors != 0) {
		t.Errorf("%s: Unknown, but %+v", f.Path, f)
	}
}

func TestLastChangeAndAuthors(t *testing.T) {
	r := newRepo(t)
	r.write("a.md", "a1", "b.md", "b1", "sp ace.md", "s", "ünï.md", "u", "gone.md", "g")
	c1 := r.commit(alice.at(1000), "start")
	r.write("a.md", "a2")
	r.commit(bob.at(2000), "edit a")
	r.write("b.md", "b2", "docs/c.md", "c1")
	if err := os.Remove(filepath.Join(r.dir, "gone.md")); err != nil {
		t.Fatal(err)
	}
	c3 := r.commit(alice.at(3000), "more")
	// Same address, another spelling of the name: still one author.
	r.write("a.md", "a3")
	c4 := r.commit(author{"Bob B", "BOB@example.com", 4000}, "edit a again")

	now := time.Unix(9000, 0).UTC()
	h := r.read(r.dir, now)
	if h.Shallow || h.ShallowMessage() != "" {
		t.Errorf("Shallow = %v, ShallowMessage = %q in a full clone", h.Shallow, h.ShallowMessage())
	}
	if h.Prefix != "" {
		t.Errorf("Prefix = %q at the root", h.Prefix)
	}
	check(t, h, now, []want{
		{path: "a.md", hash: c4, last: 4000, author: "Bob B", subject: "edit a again", first: 1000, authors: 2,
			contributors: []string{"Bob B <BOB@example.com> 2", "Alice <alice@example.com> 1"},
			recent:       []string{"edit a again", "edit a", "start"}},
		{path: "b.md", hash: c3, last: 3000, author: "Alice", subject: "more", first: 1000, authors: 1,
			contributors: []string{"Alice <alice@example.com> 2"}, recent: []string{"more", "start"}},
		{path: "docs/c.md", hash: c3, last: 3000, first: 3000, authors: 1},
		{path: "sp ace.md", hash: c1, last: 1000, first: 1000, authors: 1},
		{path: "ünï.md", hash: c1, last: 1000, first: 1000, authors: 1},
		{path: "gone.md", absent: true},
	})
	if len(h.Files) != 5 {
		t.Errorf("Files has %d entries, want 5: %v", len(h.Files), h.Files)
	}

	// From a folder below the root: same paths, and the folder's prefix.
	sub := r.read(filepath.Join(r.dir, "docs"), now)
	if sub.Prefix != "docs/" {
		t.Errorf("Prefix = %q, want docs/", sub.Prefix)
	}
	check(t, sub, now, []want{{path: "docs/c.md", hash: c3, last: 3000, first: 3000, authors: 1}})
}

func TestRenameFollowed(t *testing.T) {
	r := newRepo(t)
	r.write("a.md", "# Title\n\none\ntwo\nthree\nfour\n", "other.md", "x")
	r.commit(alice.at(1000), "add a")
	r.write("a.md", "# Title\n\none\ntwo\nthree\nfour\nfive\n")
	r.commit(bob.at(2000), "edit a")
	gitRun(t, r.dir, alice, "mv", "a.md", "b.md")
	r.write("b.md", "# Title\n\none\ntwo\nthree\nfour\nfive\nsix\n")
	r.commit(alice.at(3000), "rename a to b")
	r.write("b.md", "# Title\n\none\ntwo\nthree\nfour\nfive\nsix\nseven\n")
	last := r.commit(alice.at(4000), "edit b")
	// A new a.md is another file, with a history of its own.
	r.write("a.md", "something else entirely")
	r.commit(bob.at(5000), "new a")

	now := time.Unix(9000, 0).UTC()
	check(t, r.read(r.dir, now), now, []want{
		{path: "b.md", hash: last, last: 4000, subject: "edit b", first: 1000, authors: 2,
			contributors: []string{"Alice <alice@example.com> 3", "Bob <bob@example.com> 1"},
			recent:       []string{"edit b", "rename a to b", "edit a", "add a"}},
		{path: "a.md", last: 5000, first: 5000, authors: 1, recent: []string{"new a"}},
		{path: "other.md", last: 1000, first: 1000, authors: 1},
	})
}

func TestShallowClone(t *testing.T) {
	r := newRepo(t)
	r.write("a.md", "1")
	r.commit(alice.at(1000), "one")
	r.write("a.md", "2")
	r.commit(bob.at(2000), "two")
	r.write("b.md", "3")
	r.commit(alice.at(3000), "three")

	clone := filepath.Join(t.TempDir(), "clone")
	gitRun(t, r.dir, alice, "clone", "-q", "--depth", "1", "file://"+filepath.ToSlash(r.dir), clone)
	now := time.Unix(9000, 0).UTC()
	h := r.read(clone, now)
	if !h.Shallow {
		t.Fatal("Shallow = false in a clone with --depth 1")
	}
	msg := h.ShallowMessage()
	for _, s := range []string{"shallow", "date", "fetch-depth: 0", "actions/checkout", "GIT_DEPTH: 0", "git fetch --unshallow"} {
		if !strings.Contains(msg, s) {
			t.Errorf("ShallowMessage lacks %q: %s", s, msg)
		}
	}
	// The clone's only commit shows every file as added; no file may
	// take its date.
	check(t, h, now, []want{
		{path: "a.md", unknown: true, firstUnknown: true},
		{path: "b.md", unknown: true, firstUnknown: true},
	})
	// Edited, a file of the clone is uncommitted, and still has no past.
	if err := os.WriteFile(filepath.Join(clone, "a.md"), []byte("4"), 0o644); err != nil {
		t.Fatal(err)
	}
	check(t, r.read(clone, now), now, []want{{path: "a.md", unknown: true, firstUnknown: true, uncommitted: true}})
}

// TestShallowBoundary: in a clone of depth 5, only what happened after
// the boundary commit has a date; files it only shows as added have none.
func TestShallowBoundary(t *testing.T) {
	r := newRepo(t)
	carol := author{"Carol", "carol@example.com", 0}
	body := func(name string, n int) string {
		return fmt.Sprintf("# %s\n\nline one of %s\nline two of %s\nline three of %s\nversion %d\n", name, name, name, name, n)
	}
	r.write("old.md", body("old", 1), "edited.md", body("edited", 1), "moved.md", body("moved", 1), "docs/deep.md", body("deep", 1))
	r.commit(alice.at(1000), "c1: start")
	r.write("edited.md", body("edited", 2), "boundary.md", body("boundary", 1))
	r.commit(bob.at(2000), "c2")
	// c3 is the clone's boundary: the oldest of its five commits.
	r.write("boundary.md", body("boundary", 2), "docs/deep.md", body("deep", 2))
	r.commit(carol.at(3000), "c3: boundary")
	r.write("edited.md", body("edited", 3))
	r.commit(bob.at(4000), "c4: edit")
	gitRun(t, r.dir, alice, "mv", "moved.md", "docs/moved.md")
	r.write("docs/moved.md", body("moved", 1)+"one more line\n")
	c5 := r.commit(alice.at(5000), "c5: move")
	r.write("new.md", body("new", 1))
	r.commit(carol.at(6000), "c6: add new")
	r.write("new.md", body("new", 2), "edited.md", body("edited", 4))
	c7 := r.commit(bob.at(7000), "c7: edit new and edited")

	clone := filepath.Join(t.TempDir(), "clone")
	gitRun(t, r.dir, alice, "clone", "-q", "--depth", "5", "file://"+filepath.ToSlash(r.dir), clone)
	if n := gitRun(t, clone, alice, "rev-list", "--count", "HEAD"); n != "5" {
		t.Fatalf("clone has %s commits, want 5", n)
	}
	now := time.Unix(9000, 0).UTC()
	h := r.read(clone, now)
	if !h.Shallow || !strings.Contains(h.ShallowMessage(), "fetch-depth: 0") || !strings.Contains(h.ShallowMessage(), "GIT_DEPTH") {
		t.Fatalf("Shallow = %v, ShallowMessage = %q", h.Shallow, h.ShallowMessage())
	}
	check(t, h, now, []want{
		// Last changed before the boundary, or in it: not known.
		{path: "old.md", unknown: true, firstUnknown: true},
		{path: "boundary.md", unknown: true, firstUnknown: true},
		{path: "docs/deep.md", unknown: true, firstUnknown: true},
		// Changed after it: the last change is known, the first is not.
		{path: "edited.md", hash: c7, last: 7000, firstUnknown: true, authors: 1,
			contributors: []string{"Bob <bob@example.com> 2"}, recent: []string{"c7: edit new and edited", "c4: edit"}},
		{path: "docs/moved.md", hash: c5, last: 5000, firstUnknown: true, authors: 1, recent: []string{"c5: move"}},
		// Added after it: known whole.
		{path: "new.md", hash: c7, last: 7000, first: 6000, authors: 2,
			contributors: []string{"Bob <bob@example.com> 1", "Carol <carol@example.com> 1"}},
	})

	// The full history agrees on every date the clone knows.
	full := r.read(r.dir, now)
	for path, f := range h.Files {
		g := full.Files[path]
		if !f.Unknown && f.Last != g.Last {
			t.Errorf("%s: Last = %+v in the clone, %+v in the repository", path, f.Last, g.Last)
		}
		if !f.FirstUnknown && !f.First.Equal(g.First) {
			t.Errorf("%s: First = %v in the clone, %v in the repository", path, f.First, g.First)
		}
	}
}

// TestDetachedHead: with HEAD at an older commit, the history is that
// commit's.
func TestDetachedHead(t *testing.T) {
	r := newRepo(t)
	r.write("a.md", "a1")
	r.commit(alice.at(1000), "one")
	r.write("a.md", "a2", "b.md", "b")
	c2 := r.commit(bob.at(2000), "two")
	r.write("a.md", "a3", "c.md", "c")
	r.commit(alice.at(3000), "three")
	gitRun(t, r.dir, alice, "checkout", "-q", "--detach", c2)

	now := time.Unix(9000, 0).UTC()
	h := r.read(r.dir, now)
	check(t, h, now, []want{
		{path: "a.md", hash: c2, last: 2000, first: 1000, authors: 2, recent: []string{"two", "one"}},
		{path: "b.md", hash: c2, last: 2000, first: 2000, authors: 1},
		{path: "c.md", absent: true},
	})
	if len(h.Files) != 2 {
		t.Errorf("Files = %v, want a.md and b.md", h.Files)
	}
}

// TestRecentAndContributors: Recent stops at MaxRecent, renames followed;
// Contributors are ordered by commits, then name.
func TestRecentAndContributors(t *testing.T) {
	r := newRepo(t)
	dave := author{"Dave", "dave@example.com", 0}
	aaron := author{"Aaron", "aaron@example.com", 0}
	lines := "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n"
	name := "old.md"
	var subjects []string
	for i := range 14 {
		who := []author{alice, bob, alice, dave, aaron, alice, bob}[i%7]
		if i == 7 {
			gitRun(t, r.dir, alice, "mv", name, "new.md")
			name = "new.md"
		}
		r.write(name, lines+fmt.Sprintf("version %d\n", i))
		subject := fmt.Sprintf("change %d", i)
		r.commit(who.at(int64(1000*(i+1))), subject)
		subjects = append([]string{subject}, subjects...)
	}
	now := time.Unix(99000, 0).UTC()
	check(t, r.read(r.dir, now), now, []want{
		{path: "new.md", last: 14000, first: 1000, authors: 4,
			recent: subjects[:MaxRecent],
			contributors: []string{
				"Alice <alice@example.com> 6", "Bob <bob@example.com> 4",
				"Aaron <aaron@example.com> 2", "Dave <dave@example.com> 2",
			}},
		{path: "old.md", absent: true},
	})
}

func TestUncommitted(t *testing.T) {
	r := newRepo(t)
	r.write("a.md", "a", "b.md", "b", "c.md", "c", ".gitignore", "*.tmp\n")
	r.commit(alice.at(1000), "start")
	r.write("b.md", "b2")
	r.commit(bob.at(2000), "edit b")

	r.write("a.md", "a edited", "new/u.md", "untracked", "x.tmp", "ignored", "staged.md", "staged")
	gitRun(t, r.dir, alice, "add", "staged.md")
	gitRun(t, r.dir, alice, "mv", "b.md", "moved.md")
	if err := os.Remove(filepath.Join(r.dir, "c.md")); err != nil {
		t.Fatal(err)
	}

	now := time.Unix(9000, 0).UTC()
	check(t, r.read(r.dir, now), now, []want{
		{path: "a.md", last: 1000, first: 1000, authors: 1, uncommitted: true},
		{path: "new/u.md", first: 9000, uncommitted: true},
		{path: "staged.md", first: 9000, uncommitted: true},
		{path: "moved.md", last: 2000, first: 1000, authors: 2, uncommitted: true},
		{path: "b.md", absent: true},
		{path: "x.tmp", absent: true},
		{path: ".gitignore", last: 1000, first: 1000, authors: 1},
	})
	// A deleted file keeps its committed history (it is still at HEAD) but
	// is not marked: there is nothing in the work tree to date.
	check(t, r.read(r.dir, now), now, []want{{path: "c.md", last: 1000, first: 1000, authors: 1}})
}

func TestNoCommitsYet(t *testing.T) {
	r := newRepo(t)
	r.write("a.md", "a")
	now := time.Unix(9000, 0).UTC()
	check(t, r.read(r.dir, now), now, []want{{path: "a.md", first: 9000, uncommitted: true}})
}

func TestOutsideGit(t *testing.T) {
	isolate(t)
	for name, setup := range map[string]func(t *testing.T, dir string) string{
		"plain folder": func(t *testing.T, dir string) string { return dir },
		"no git":       func(t *testing.T, dir string) string { t.Setenv("PATH", dir); return dir },
		"in .git": func(t *testing.T, dir string) string {
			gitRun(t, dir, alice, "init", "-q")
			return filepath.Join(dir, ".git")
		},
		"bare repository": func(t *testing.T, dir string) string {
			gitRun(t, dir, alice, "init", "-q", "--bare")
			return dir
		},
	} {
		t.Run(name, func(t *testing.T) {
			dir := setup(t, t.TempDir())
			h, err := Read(context.Background(), dir, time.Unix(9000, 0))
			if h != nil || err != nil {
				t.Fatalf("Read = %v, %v; want nil, nil", h, err)
			}
			if _, ok := h.Lookup("a.md"); ok {
				t.Error("Lookup on a nil History found a file")
			}
			if msg := h.ShallowMessage(); msg != "" {
				t.Errorf("ShallowMessage on a nil History = %q", msg)
			}
		})
	}
}

func TestGitError(t *testing.T) {
	isolate(t)
	missing := filepath.Join(t.TempDir(), "missing")
	h, err := Read(context.Background(), missing, time.Unix(9000, 0))
	if err == nil {
		t.Fatalf("Read of a missing folder = %v, nil; want an error", h)
	}
	if !strings.Contains(err.Error(), "git rev-parse") || !strings.Contains(err.Error(), "missing") {
		t.Errorf("error lacks the command or the folder: %v", err)
	}
}

func TestNow(t *testing.T) {
	for _, tc := range []struct {
		env  string
		want int64 // 0: the clock
	}{
		{"1700000000", 1700000000},
		{"0", 0},
		{"", 0},
		{"yesterday", 0},
	} {
		t.Setenv("SOURCE_DATE_EPOCH", tc.env)
		got := Now()
		if tc.want != 0 || tc.env == "0" {
			if got.Unix() != tc.want || got.Location() != time.UTC {
				t.Errorf("SOURCE_DATE_EPOCH=%q: Now = %v, want %v UTC", tc.env, got, time.Unix(tc.want, 0).UTC())
			}
			continue
		}
		if d := time.Since(got); d < 0 || d > time.Minute {
			t.Errorf("SOURCE_DATE_EPOCH=%q: Now = %v, want the clock", tc.env, got)
		}
	}
}

// FuzzLogParser feeds the log parser arbitrary output: it may reject it,
// never panic, and what it accepts holds together. Commit "bbb" is a
// shallow clone's boundary.
func FuzzLogParser(f *testing.F) {
	f.Add("\x1eabc\x001000\x00A\x00a@x\x00one\x00\nM\x00a.md\x00R100\x00a.md\x00b.md\x00")
	f.Add("\x1eabc\x001000\x00A\x00a@x\x00empty\x00\x1edef\x00999\x00B\x00\x00s\x00\nA\x00a.md\x00D\x00c.md\x00")
	f.Add("\x1eabc\x00notanumber\x00A\x00a@x\x00x\x00")
	f.Add("M\x00a.md\x00")
	f.Add("\x1eabc\x002000\x00A\x00a@x\x00edit\x00\nM\x00a.md\x00\x1ebbb\x001000\x00B\x00b@x\x00cut\x00\nA\x00a.md\x00A\x00b.md\x00")
	f.Fuzz(func(t *testing.T, s string) {
		p := newLogParser(map[string]bool{"bbb": true})
		if err := p.parse(strings.NewReader(s)); err == nil {
			for path, f := range p.files() {
				if path == "" || (f.Authors < 1) != f.Unknown {
					t.Errorf("file %q: %+v", path, f)
				}
				checkInvariants(t, f)
			}
		}
	})
}

// BenchmarkRead reads a repository of 2,000 files and 20 commits, every
// one of which changes every file, with 100 renames along the way: 40,000
// file changes.
func BenchmarkRead(b *testing.B) {
	const files, commits = 2000, 20
	isolate(b)
	dir := b.TempDir()
	gitRun(b, dir, alice, "init", "-q")
	var stream bytes.Buffer
	name := func(i, c int) string {
		// File i is renamed once, in commit 10, when i%20 == 0.
		if i%20 == 0 && c >= 10 {
			return fmt.Sprintf("docs/section%02d/renamed%04d.md", i%40, i)
		}
		return fmt.Sprintf("docs/section%02d/page%04d.md", i%40, i)
	}
	for c := range commits {
		who := []string{"Alice <alice@example.com>", "Bob <bob@example.com>", "Carol <carol@example.com>"}[c%3]
		msg := fmt.Sprintf("commit %d", c)
		fmt.Fprintf(&stream, "commit refs/heads/main\nmark :%d\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\n",
			c+1, who, 1000000+c*3600, who, 1000000+c*3600, len(msg), msg)
		if c > 0 {
			fmt.Fprintf(&stream, "from :%d\n", c)
		}
		for i := range files {
			if c == 10 && i%20 == 0 {
				fmt.Fprintf(&stream, "D %s\n", name(i, 9))
			}
			body := fmt.Sprintf("# Page %d\n\n%s\nrevision %d\n", i, strings.Repeat("Some text that stays the same.\n", 20), c)
			fmt.Fprintf(&stream, "M 100644 inline %s\ndata %d\n%s\n", name(i, c), len(body), body)
		}
		stream.WriteString("\n")
	}
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet")
	cmd.Stdin = &stream
	// glibc gives memory back after every blob unless told not to, which
	// makes fast-import 40 times slower on some machines.
	cmd.Env = append(os.Environ(), "MALLOC_TRIM_THRESHOLD_=268435456", "MALLOC_TOP_PAD_=67108864")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("git fast-import: %v\n%s", err, out)
	}
	gitRun(b, dir, alice, "checkout", "-q", "main")

	now := time.Unix(9000000, 0).UTC()
	ctx := context.Background()
	var h *History
	for b.Loop() {
		var err error
		if h, err = Read(ctx, dir, now); err != nil {
			b.Fatal(err)
		}
	}
	f, ok := h.Lookup(name(0, commits-1))
	if len(h.Files) != files || !ok || f.First.Unix() != 1000000 || f.Authors != 3 {
		b.Fatalf("read %d files; renamed file: %+v", len(h.Files), f)
	}
}

// BenchmarkReadHandbook reads a generated handbook of 10,000 pages with
// 20,000 commits of history over four years (sitegen.GitHistory): about
// 40,000 file changes, some renames and deleted drafts. Making the
// repository takes half a minute, once per run.
func BenchmarkReadHandbook(b *testing.B) {
	if testing.Short() {
		b.Skip("makes a repository of 20,000 commits")
	}
	isolate(b)
	dir := b.TempDir()
	if err := sitegen.Generate(dir, 10000, 1); err != nil {
		b.Fatal(err)
	}
	if err := sitegen.GitHistory(context.Background(), dir, 20000, 1); err != nil {
		b.Fatal(err)
	}
	now := time.Unix(9000000000, 0).UTC()
	ctx := context.Background()
	var h *History
	for b.Loop() {
		var err error
		if h, err = Read(ctx, dir, now); err != nil {
			b.Fatal(err)
		}
	}
	if len(h.Files) != 10001 {
		b.Fatalf("read %d files, want 10001", len(h.Files))
	}
}

// TestReadPaths: only the files under the paths are read; a rename inside
// them is still followed.
func TestReadPaths(t *testing.T) {
	r := newRepo(t)
	r.write("docs/runbooks/a.md", "# A\n\none\ntwo\nthree\nfour\n", "src/main.go", "package main\n", "docs-old/x.md", "x")
	r.commit(alice.at(1000), "start")
	gitRun(t, r.dir, alice, "mv", "docs/runbooks/a.md", "docs/runbooks/b.md")
	r.write("src/main.go", "package main\n\nfunc main() {}\n")
	last := r.commit(bob.at(2000), "move a, edit main")
	h, err := ReadPaths(context.Background(), filepath.Join(r.dir, "docs"), time.Unix(9000, 0), []string{"docs/runbooks"})
	if err != nil || h == nil {
		t.Fatalf("ReadPaths: %v, %v", h, err)
	}
	var got []string
	for p := range h.Files {
		got = append(got, p)
	}
	if len(got) != 1 || got[0] != "docs/runbooks/b.md" {
		t.Fatalf("files %v, want only docs/runbooks/b.md", got)
	}
	if f := h.Files["docs/runbooks/b.md"]; f.Last.Hash != last || f.First.Unix() != 1000 {
		t.Errorf("b.md: last %s at %v, first %v; want %s, first 1000", f.Last.Hash, f.Last.Time, f.First.Unix(), last)
	}
}
