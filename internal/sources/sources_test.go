package sources

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// isolateGit keeps the user's git configuration and any repository above
// the test's folders out of the test.
func isolateGit(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CEILING_DIRECTORIES", os.TempDir())
	for _, k := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"} {
		t.Setenv(k, "")
		os.Unsetenv(k)
	}
}

// testRepo is a repository made by a test, with commits at fixed dates.
type testRepo struct {
	t   testing.TB
	dir string
	n   int // commits made
}

// newRepo makes a repository in dir with documentation and code: the
// folders docs/runbooks and docs/adr, and src/, docs/other and top-level
// files that a source taking the docs must not check out.
func newRepo(t testing.TB, dir string) *testRepo {
	t.Helper()
	r := &testRepo{t: t, dir: dir}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	r.git("init", "-q", "--initial-branch=main")
	r.commit("Import", map[string]string{
		"README.md":                 "# service\n",
		"Makefile":                  "all:\n\tgo build ./...\n",
		"src/main.go":               "package main\n\nfunc main() {}\n",
		"src/util/util.go":          "package util\n",
		"docs/other/notes.md":       "# Notes\n",
		"docs/runbooks/database.md": runbook("Database failover", 1),
		"docs/adr/0001-use-go.md":   "# ADR-0001: Use Go\n\nStatus: accepted\n",
	})
	r.commit("Add the deploy runbook", map[string]string{
		"docs/runbooks/deploy.md": runbook("Deploy", 2),
		"src/main.go":             "package main\n\nfunc main() { run() }\n",
	})
	return r
}

func runbook(title string, v int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n", title)
	for i := range 12 {
		fmt.Fprintf(&b, "%d. Check the replica lag on the primary and page the owner when it is over the threshold (step %d).\n", i+1, i)
	}
	fmt.Fprintf(&b, "\nVersion %d.\n", v)
	return b.String()
}

// commit writes files ("" deletes one) and commits them; it returns the
// commit's hash.
func (r *testRepo) commit(msg string, files map[string]string) string {
	r.t.Helper()
	for name, body := range files {
		p := filepath.Join(r.dir, filepath.FromSlash(name))
		if body == "" {
			if err := os.Remove(p); err != nil {
				r.t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	r.git("add", "-A")
	date := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, r.n).Format(time.RFC3339)
	r.n++
	r.gitEnv([]string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, "commit", "-q", "-m", msg)
	return r.git("rev-parse", "HEAD")
}

func (r *testRepo) git(args ...string) string {
	r.t.Helper()
	return r.gitEnv(nil, args...)
}

func (r *testRepo) gitEnv(env []string, args ...string) string {
	r.t.Helper()
	out, err := gitIn(r.dir, env, args...)
	if err != nil {
		r.t.Fatal(err)
	}
	return out
}

func gitIn(dir string, env []string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Maya Lindqvist", "GIT_AUTHOR_EMAIL=maya@example.com",
		"GIT_COMMITTER_NAME=Maya Lindqvist", "GIT_COMMITTER_EMAIL=maya@example.com")
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("git %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out)), nil
}

// tracer records the git commands Sync runs.
type tracer struct {
	mu   sync.Mutex
	cmds []string // subcommands
}

func traceCommands(t testing.TB) *tracer {
	tr := &tracer{}
	traceGit = func(args []string) {
		tr.mu.Lock()
		defer tr.mu.Unlock()
		tr.cmds = append(tr.cmds, subcommand(args))
	}
	t.Cleanup(func() { traceGit = nil })
	return tr
}

// take returns the commands run since the last take.
func (tr *tracer) take() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	c := tr.cmds
	tr.cmds = nil
	slices.Sort(c)
	return c
}

func count(cmds []string, name string) int {
	n := 0
	for _, c := range cmds {
		if c == name {
			n++
		}
	}
	return n
}

// files lists the files of a work tree, without .git.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Name() == ".git" {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func readFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func sync1(t testing.TB, src Source, opts Options) Result {
	t.Helper()
	return Sync(context.Background(), []Source{src}, opts)[0]
}

func mustOK(t testing.TB, rs ...Result) {
	t.Helper()
	for _, r := range rs {
		if r.Err != nil || r.Dir == "" || r.Stale {
			t.Fatalf("source %s: err %v, dir %q, stale %v", r.Source.Name, r.Err, r.Dir, r.Stale)
		}
	}
}

var docs = []string{"docs/runbooks", "docs/adr"}

// TestSyncSparse: a source's folder is a work tree with its Paths checked
// out at the branch's commit, nothing else of the repository, and the
// whole history.
func TestSyncSparse(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "payments"))
	head := repo.commit("Reword the failover runbook", map[string]string{"docs/runbooks/database.md": runbook("Database failover", 3)})
	cache := filepath.Join(root, "cache")

	r := sync1(t, Source{Name: "payments", Repo: repo.dir, Paths: docs}, Options{CacheDir: cache})
	mustOK(t, r)
	if r.Commit != head || !r.Fetched {
		t.Errorf("commit %s fetched %v, want %s and fetched", r.Commit, r.Fetched, head)
	}
	if want := filepath.Join(cache, "payments"); r.Dir != want {
		t.Errorf("dir %s, want %s", r.Dir, want)
	}
	want := []string{"docs/adr/0001-use-go.md", "docs/runbooks/database.md", "docs/runbooks/deploy.md"}
	if got := files(t, r.Dir); !slices.Equal(got, want) {
		t.Errorf("checked out %q, want only %q", got, want)
	}
	if got := readFile(t, filepath.Join(r.Dir, "docs/runbooks/database.md")); got != runbook("Database failover", 3) {
		t.Errorf("database.md is not the version of the commit:\n%s", got)
	}
	if top, err := gitIn(r.Dir, nil, "rev-parse", "--show-toplevel"); err != nil || top != r.Dir {
		t.Errorf("not a work tree of its own: top %q, %v", top, err)
	}
	if got, want := must(gitIn(r.Dir, nil, "log", "--format=%H %s", "HEAD")), repo.git("log", "--format=%H %s", "main"); got != want {
		t.Errorf("history in the cache:\n%s\nwant:\n%s", got, want)
	}
	if st := must(gitIn(r.Dir, nil, "status", "--porcelain")); st != "" {
		t.Errorf("work tree not clean:\n%s", st)
	}
	if p := r.Pin(); p != (Pin{Repo: repo.dir, Commit: head}) {
		t.Errorf("pin %+v", p)
	}
}

func must(s string, err error) string {
	if err != nil {
		panic(err)
	}
	return s
}

// TestSyncPartial: from a server that allows filters, the clone lacks the
// contents of files outside the Paths, yet git log -M of the Paths works
// without the network, renames included.
func TestSyncPartial(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "ledger"))
	repo.git("config", "uploadpack.allowFilter", "true")
	long := runbook("Deploy", 2) + "\nMore steps.\n"
	repo.commit("Move the deploy runbook", map[string]string{"docs/runbooks/deploy.md": "", "docs/runbooks/deploy-and-rollback.md": long})
	url := "file://" + filepath.ToSlash(repo.dir)

	r := sync1(t, Source{Name: "ledger", Repo: url, Paths: docs}, Options{CacheDir: filepath.Join(root, "cache")})
	mustOK(t, r)
	if _, err := gitIn(r.Dir, nil, "-c", "protocol.allow=never", "cat-file", "-e", "HEAD:src/main.go"); err == nil {
		t.Errorf("src/main.go was fetched: the clone is not partial")
	}
	log, err := gitIn(r.Dir, nil, "-c", "protocol.allow=never", "log", "-M", "--name-status", "--format=%s", "--", "docs")
	if err != nil {
		t.Fatalf("git log of the paths needs the network: %v", err)
	}
	if !strings.Contains(log, "docs/runbooks/deploy.md\tdocs/runbooks/deploy-and-rollback.md") {
		t.Errorf("rename not found in the log:\n%s", log)
	}

	// Another folder: its history is fetched as well.
	r = sync1(t, Source{Name: "ledger", Repo: url, Paths: []string{"docs/other"}}, Options{CacheDir: filepath.Join(root, "cache")})
	mustOK(t, r)
	if got := files(t, r.Dir); !slices.Equal(got, []string{"docs/other/notes.md"}) {
		t.Errorf("checked out %q", got)
	}
	if _, err := gitIn(r.Dir, nil, "-c", "protocol.allow=never", "log", "-M", "-p", "--", "docs/other"); err != nil {
		t.Errorf("git log of the new paths needs the network: %v", err)
	}
}

// TestSyncIncremental: a second Sync fetches nothing; with pins it runs no
// git at all; a new commit in one repository fetches that one.
func TestSyncIncremental(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	var srcs []Source
	var repos []*testRepo
	for _, name := range []string{"alpha", "beta", "gamma"} {
		r := newRepo(t, filepath.Join(root, name))
		repos = append(repos, r)
		srcs = append(srcs, Source{Name: name, Repo: r.dir, Paths: docs})
	}
	opts := Options{CacheDir: filepath.Join(root, "cache"), Jobs: 2}
	tr := traceCommands(t)

	first := Sync(context.Background(), srcs, opts)
	mustOK(t, first...)
	for _, r := range first {
		if !r.Fetched {
			t.Errorf("%s: first Sync did not fetch", r.Source.Name)
		}
	}
	if cmds := tr.take(); count(cmds, "clone") != 3 {
		t.Errorf("first Sync ran %q, want 3 clones", cmds)
	}

	again := Sync(context.Background(), srcs, opts)
	mustOK(t, again...)
	for i, r := range again {
		if r.Fetched || r.Commit != first[i].Commit {
			t.Errorf("%s: second Sync: fetched %v, commit %s, want %s", r.Source.Name, r.Fetched, r.Commit, first[i].Commit)
		}
	}
	if cmds := tr.take(); !slices.Equal(cmds, []string{"ls-remote", "ls-remote", "ls-remote"}) {
		t.Errorf("second Sync ran %q, want one ls-remote per source", cmds)
	}

	opts.Lock = NewLock(first, nil)
	pinned := Sync(context.Background(), srcs, opts)
	mustOK(t, pinned...)
	if cmds := tr.take(); len(cmds) != 0 {
		t.Errorf("pinned Sync of a warm cache ran %q, want nothing", cmds)
	}

	head := repos[1].commit("Update the deploy runbook", map[string]string{"docs/runbooks/deploy.md": runbook("Deploy", 9)})
	opts.Lock = nil
	moved := Sync(context.Background(), srcs, opts)
	mustOK(t, moved...)
	for i, r := range moved {
		if r.Fetched != (i == 1) {
			t.Errorf("%s: fetched %v after a commit in beta only", r.Source.Name, r.Fetched)
		}
	}
	if moved[1].Commit != head || !strings.Contains(readFile(t, filepath.Join(moved[1].Dir, "docs/runbooks/deploy.md")), "Version 9") {
		t.Errorf("beta at %s, want %s with the new deploy runbook", moved[1].Commit, head)
	}
	cmds := tr.take()
	if count(cmds, "ls-remote") != 3 || count(cmds, "fetch") != 1 || count(cmds, "clone") != 0 {
		t.Errorf("Sync after one commit ran %q, want 3 ls-remote and 1 fetch", cmds)
	}
}

// TestSyncPinned: a pin holds a source at its commit though the branch
// moved on; Update moves it.
func TestSyncPinned(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "search"))
	old := repo.git("rev-parse", "HEAD")
	src := Source{Name: "search", Repo: repo.dir, Ref: "main", Paths: docs}
	lock := &Lock{Sources: map[string]Pin{"search": {Repo: repo.dir, Ref: "main", Commit: old}}}
	opts := Options{CacheDir: filepath.Join(root, "cache"), Lock: lock}

	r := sync1(t, src, opts)
	mustOK(t, r)
	if r.Commit != old {
		t.Fatalf("commit %s, want the pin %s", r.Commit, old)
	}
	head := repo.commit("Retire the deploy runbook", map[string]string{"docs/runbooks/deploy.md": ""})

	// A fresh cache takes the pin too, though it is not the branch's head.
	opts.CacheDir = filepath.Join(root, "cache2")
	r = sync1(t, src, opts)
	mustOK(t, r)
	if r.Commit != old || !slices.Contains(files(t, r.Dir), "docs/runbooks/deploy.md") {
		t.Errorf("fresh cache: commit %s, files %q; want the pin %s with deploy.md", r.Commit, files(t, r.Dir), old)
	}

	// A pin of another ref is not this source's pin.
	opts.Lock = &Lock{Sources: map[string]Pin{"search": {Repo: repo.dir, Ref: "release", Commit: old}}}
	if r = sync1(t, src, opts); r.Commit != head {
		t.Errorf("pin of another ref obeyed: commit %s, want %s", r.Commit, head)
	}

	opts.Lock, opts.Update = lock, true
	r = sync1(t, src, opts)
	mustOK(t, r)
	if r.Commit != head || slices.Contains(files(t, r.Dir), "docs/runbooks/deploy.md") {
		t.Errorf("Update: commit %s, files %q; want %s without deploy.md", r.Commit, files(t, r.Dir), head)
	}
	if got := NewLock([]Result{r}, lock).Sources["search"]; got != (Pin{Repo: repo.dir, Ref: "main", Commit: head}) {
		t.Errorf("updated pin %+v", got)
	}
}

// TestSyncOffline: offline, the cache is used as it is, no git contacts a
// repository, and a source the cache lacks is an error that says so.
func TestSyncOffline(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "billing"))
	src := Source{Name: "billing", Repo: repo.dir, Paths: docs}
	cache := filepath.Join(root, "cache")
	tr := traceCommands(t)

	r := sync1(t, src, Options{CacheDir: cache, Offline: true})
	if !errors.Is(r.Err, ErrOffline) || r.Dir != "" {
		t.Fatalf("offline with nothing cached: err %v, dir %q; want ErrOffline and no dir", r.Err, r.Dir)
	}
	if want := `source "billing" (` + repo.dir + `): offline: the default branch is asked for, and nothing is cached`; r.Err.Error() != want {
		t.Errorf("error:\n%s\nwant:\n%s", r.Err, want)
	}
	if cmds := tr.take(); len(cmds) != 0 {
		t.Errorf("offline Sync with nothing cached ran %q", cmds)
	}

	online := sync1(t, src, Options{CacheDir: cache})
	mustOK(t, online)
	tr.take()
	newer := repo.commit("Add an ADR", map[string]string{"docs/adr/0002-use-postgres.md": "# ADR-0002\n"})

	r = sync1(t, src, Options{CacheDir: cache, Offline: true})
	mustOK(t, r)
	if r.Commit != online.Commit || r.Fetched {
		t.Errorf("offline: commit %s fetched %v, want the cached %s", r.Commit, r.Fetched, online.Commit)
	}
	if cmds := tr.take(); len(cmds) != 0 {
		t.Errorf("offline Sync of a cached source ran %q", cmds)
	}

	lock := &Lock{Sources: map[string]Pin{"billing": {Repo: repo.dir, Commit: newer}}}
	r = sync1(t, src, Options{CacheDir: cache, Offline: true, Lock: lock})
	if !errors.Is(r.Err, ErrOffline) {
		t.Fatalf("offline, pinned to a commit not cached: err %v", r.Err)
	}
	for _, s := range []string{`source "billing"`, "pinned to " + newer[:12], "the cache is at " + online.Commit[:12]} {
		if !strings.Contains(r.Err.Error(), s) {
			t.Errorf("error %q does not say %q", r.Err, s)
		}
	}
	if !r.Stale || r.Dir == "" || r.Commit != online.Commit {
		t.Errorf("offline, pinned to a commit not cached: stale %v dir %q commit %s; want the cached copy", r.Stale, r.Dir, r.Commit)
	}
	for _, c := range tr.take() {
		if c == "fetch" || c == "clone" || c == "ls-remote" {
			t.Errorf("offline Sync ran git %s", c)
		}
	}
}

// TestSyncRepoGone: a repository that is gone is an error naming it, and
// the last good copy stays in use.
func TestSyncRepoGone(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "ghost"))
	src := Source{Name: "ghost", Repo: repo.dir, Paths: docs}
	opts := Options{CacheDir: filepath.Join(root, "cache")}
	good := sync1(t, src, opts)
	mustOK(t, good)
	if err := os.RemoveAll(repo.dir); err != nil {
		t.Fatal(err)
	}

	r := sync1(t, src, opts)
	var ge *GitError
	if r.Err == nil || !errors.As(r.Err, &ge) || ge.Command != "ls-remote" {
		t.Fatalf("err %v, want a git ls-remote error", r.Err)
	}
	if !strings.HasPrefix(r.Err.Error(), `source "ghost" (`+repo.dir+`): git ls-remote: `) {
		t.Errorf("error %q does not name the source", r.Err)
	}
	if !r.Stale || r.Dir != good.Dir || r.Commit != good.Commit || len(files(t, r.Dir)) != 3 {
		t.Errorf("stale %v dir %q commit %s; want the last good copy", r.Stale, r.Dir, r.Commit)
	}
	if l := NewLock([]Result{r}, NewLock([]Result{good}, nil)); l.Sources["ghost"].Commit != good.Commit {
		t.Errorf("a failed source lost its pin: %+v", l.Sources)
	}
	if l := NewLock([]Result{r}, nil); len(l.Sources) != 0 {
		t.Errorf("a failed source without a pin got one: %+v", l.Sources)
	}
}

// TestSyncRefs: branches, tags (annotated or not), full hashes, and refs
// that do not exist.
func TestSyncRefs(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "platform"))
	first := repo.git("rev-list", "--max-parents=0", "HEAD")
	second := repo.git("rev-parse", "HEAD")
	repo.git("tag", "v1")
	repo.gitEnv([]string{"GIT_COMMITTER_DATE=2025-02-01T00:00:00Z"}, "tag", "-a", "-m", "Release 1.1", "v1.1", second)
	repo.git("branch", "release", first)
	third := repo.commit("Add an ADR", map[string]string{"docs/adr/0002.md": "# ADR-0002\n"})
	repo.git("tag", "-a", "-m", "both", "release") // a tag with a branch's name
	if third == second {
		t.Fatal("no new commit")
	}

	tests := []struct {
		ref, want string
		err       error
		msg       string
	}{
		{"", third, nil, ""},
		{"main", third, nil, ""},
		{"refs/heads/main", third, nil, ""},
		{"v1", second, nil, ""},
		{"v1.1", second, nil, ""},
		{"release", first, nil, ""}, // the branch, not the tag
		{"refs/tags/release", third, nil, ""},
		{first, first, nil, ""},
		{strings.ToUpper(first), first, nil, ""},
		{"nope", "", ErrNotFound, `ref "nope" not found: no branch or tag of that name`},
		{first[:10], "", ErrNotFound, "a commit is given by its full hash"},
		{strings.Repeat("ab", 20), "", ErrNotFound, "commit abababababababababababababababababababab not found"},
	}
	for i, tt := range tests {
		t.Run(fmt.Sprintf("%d:%s", i, tt.ref), func(t *testing.T) {
			r := sync1(t, Source{Name: "platform", Repo: repo.dir, Ref: tt.ref, Paths: docs}, Options{CacheDir: filepath.Join(root, fmt.Sprint("cache", i))})
			if tt.err != nil {
				if !errors.Is(r.Err, tt.err) || !strings.Contains(r.Err.Error(), tt.msg) || !strings.Contains(r.Err.Error(), `source "platform"`) {
					t.Errorf("err %v, want %v saying %q", r.Err, tt.err, tt.msg)
				}
				if r.Dir != "" {
					t.Errorf("dir %q for a ref not found", r.Dir)
				}
				return
			}
			mustOK(t, r)
			if r.Commit != tt.want {
				t.Errorf("commit %s, want %s", r.Commit, tt.want)
			}
			if head := must(gitIn(r.Dir, nil, "rev-parse", "HEAD")); head != tt.want {
				t.Errorf("HEAD %s, want %s", head, tt.want)
			}
		})
	}
}

// TestSyncChanges: new Paths re-configure the sparse checkout, a new Repo
// clones again.
func TestSyncChanges(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	a := newRepo(t, filepath.Join(root, "a"))
	b := newRepo(t, filepath.Join(root, "b"))
	b.commit("Only in b", map[string]string{"docs/adr/0009-only-in-b.md": "# ADR-0009\n"})
	opts := Options{CacheDir: filepath.Join(root, "cache")}

	r := sync1(t, Source{Name: "svc", Repo: a.dir, Paths: []string{"docs/runbooks"}}, opts)
	mustOK(t, r)
	if got := files(t, r.Dir); !slices.Equal(got, []string{"docs/runbooks/database.md", "docs/runbooks/deploy.md"}) {
		t.Errorf("runbooks: %q", got)
	}
	r = sync1(t, Source{Name: "svc", Repo: a.dir, Paths: []string{"docs/adr/", "src/util"}}, opts)
	mustOK(t, r)
	if got := files(t, r.Dir); !slices.Equal(got, []string{"docs/adr/0001-use-go.md", "src/util/util.go"}) {
		t.Errorf("after new paths: %q", got)
	}
	r = sync1(t, Source{Name: "svc", Repo: b.dir, Paths: []string{"docs/adr"}}, opts)
	mustOK(t, r)
	if got := files(t, r.Dir); !slices.Equal(got, []string{"docs/adr/0001-use-go.md", "docs/adr/0009-only-in-b.md"}) {
		t.Errorf("after a new repo: %q", got)
	}
	if origin := must(gitIn(r.Dir, nil, "remote", "get-url", "origin")); origin != b.dir {
		t.Errorf("origin %s, want %s", origin, b.dir)
	}
	if left := files(t, opts.CacheDir); slices.ContainsFunc(left, func(f string) bool { return !strings.HasPrefix(f, "svc/") }) {
		t.Errorf("left in the cache: %q", left)
	}
}

// TestSyncRelative: a relative local path is relative to Options.Dir, and
// the pin keeps it as written.
func TestSyncRelative(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	newRepo(t, filepath.Join(root, "repos", "inventory"))
	site := filepath.Join(root, "site")
	r := sync1(t, Source{Name: "inventory", Repo: "../repos/inventory", Paths: docs}, Options{CacheDir: filepath.Join(site, ".cache"), Dir: site})
	mustOK(t, r)
	if r.Pin().Repo != "../repos/inventory" {
		t.Errorf("pin repo %q", r.Pin().Repo)
	}
}

// TestSyncInterrupted: a cache folder without its state, and a clone left
// half made, are not trusted: the source is cloned again.
func TestSyncInterrupted(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "auth"))
	src := Source{Name: "auth", Repo: repo.dir, Paths: docs}
	cache := filepath.Join(root, "cache")
	mustOK(t, sync1(t, src, Options{CacheDir: cache}))

	if err := os.Remove(filepath.Join(cache, "auth", ".git", stateFile)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cache, "auth", "docs", "runbooks", "deploy.md"), []byte("half written"), 0o644); err != nil {
		t.Fatal(err)
	}
	half := filepath.Join(cache, ".auth+tmp123")
	if err := os.MkdirAll(filepath.Join(half, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := sync1(t, src, Options{CacheDir: cache})
	mustOK(t, r)
	if !r.Fetched {
		t.Errorf("a cache folder without state was trusted")
	}
	if got := readFile(t, filepath.Join(r.Dir, "docs/runbooks/deploy.md")); got != runbook("Deploy", 2) {
		t.Errorf("deploy.md: %q", got)
	}
	if _, err := os.Stat(half); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("half-made clone left: %v", err)
	}

	// Offline, a cache folder without state is nothing.
	os.Remove(filepath.Join(cache, "auth", ".git", stateFile))
	if r := sync1(t, src, Options{CacheDir: cache, Offline: true}); !errors.Is(r.Err, ErrOffline) || r.Dir != "" {
		t.Errorf("offline without state: err %v dir %q", r.Err, r.Dir)
	}
}

// TestSyncCanceled: a canceled Sync stops git and leaves no clone behind.
func TestSyncCanceled(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "queue"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cache := filepath.Join(root, "cache")
	// A commit as the ref: no ls-remote, the clone is the first git to run.
	src := Source{Name: "queue", Repo: repo.dir, Ref: repo.git("rev-parse", "HEAD"), Paths: docs}
	r := Sync(ctx, []Source{src}, Options{CacheDir: cache})[0]
	if !errors.Is(r.Err, context.Canceled) || r.Dir != "" {
		t.Errorf("err %v dir %q, want context.Canceled", r.Err, r.Dir)
	}
	if left, _ := os.ReadDir(cache); len(left) != 0 {
		t.Errorf("left in the cache: %v", left)
	}
}

// TestSyncNoHooks: hooks never run, even when the user's configuration
// names a hooks folder.
func TestSyncNoHooks(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	repo := newRepo(t, filepath.Join(root, "hooked"))
	hooks := filepath.Join(root, "hooks")
	marker := filepath.Join(root, "ran")
	if err := os.MkdirAll(hooks, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"post-checkout", "reference-transaction", "post-index-change"} {
		if err := os.WriteFile(filepath.Join(hooks, h), []byte("#!/bin/sh\necho "+h+" >> '"+marker+"'\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cfg := filepath.Join(root, "gitconfig")
	if err := os.WriteFile(cfg, []byte("[core]\n\thooksPath = "+hooks+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_CONFIG_GLOBAL", cfg)
	repo.git("checkout", "-q", "HEAD~1")
	if _, err := os.Stat(marker); err != nil {
		t.Skip("hooks do not run here:", err)
	}
	os.Remove(marker)
	repo.git("checkout", "-q", "main")
	os.Remove(marker)

	mustOK(t, sync1(t, Source{Name: "hooked", Repo: repo.dir, Paths: docs}, Options{CacheDir: filepath.Join(root, "cache")}))
	if data, err := os.ReadFile(marker); err == nil {
		t.Errorf("hooks ran:\n%s", data)
	}
}

// TestSyncInvalid: a source that cannot be used is an error before any git
// runs.
func TestSyncInvalid(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	tr := traceCommands(t)
	ok := Source{Name: "ok", Repo: "https://example.com/acme/ok.git", Paths: docs}
	tests := []struct {
		name string
		edit func(*Source)
		msg  string
	}{
		{"dotdot", func(s *Source) { s.Paths = []string{"docs/../../etc"} }, `path "docs/../../etc" is not a folder inside the repository`},
		{"parent", func(s *Source) { s.Paths = []string{"../other"} }, `path "../other"`},
		{"absolute", func(s *Source) { s.Paths = []string{"/etc"} }, `path "/etc"`},
		{"backslash", func(s *Source) { s.Paths = []string{`docs\runbooks`} }, `path "docs\\runbooks"`},
		{"dot", func(s *Source) { s.Paths = []string{"."} }, `path "."`},
		{"unclean", func(s *Source) { s.Paths = []string{"docs//adr"} }, `path "docs//adr"`},
		{"no paths", func(s *Source) { s.Paths = nil }, "no paths"},
		{"name", func(s *Source) { s.Name = "Payments" }, `name "Payments"`},
		{"name dotdot", func(s *Source) { s.Name = ".." }, `name ".."`},
		{"name slash", func(s *Source) { s.Name = "a/b" }, `name "a/b"`},
		{"option repo", func(s *Source) { s.Repo = "--upload-pack=touch /tmp/x" }, "is not a git URL or a path"},
		{"option ref", func(s *Source) { s.Ref = "--all" }, `ref "--all"`},
		{"ref range", func(s *Source) { s.Ref = "main..dev" }, `ref "main..dev"`},
		{"no repo", func(s *Source) { s.Repo = "" }, "no repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := ok
			tt.edit(&src)
			r := sync1(t, src, Options{CacheDir: filepath.Join(root, "cache")})
			if !errors.Is(r.Err, ErrInvalid) || !strings.Contains(r.Err.Error(), tt.msg) || r.Dir != "" {
				t.Errorf("err %v, dir %q; want ErrInvalid saying %q", r.Err, r.Dir, tt.msg)
			}
			if !strings.HasPrefix(r.Err.Error(), fmt.Sprintf("source %q (", src.Name)) {
				t.Errorf("error %q does not name the source", r.Err)
			}
		})
	}
	if cmds := tr.take(); len(cmds) != 0 {
		t.Errorf("git ran for invalid sources: %q", cmds)
	}

	rs := Sync(context.Background(), []Source{ok, ok}, Options{CacheDir: filepath.Join(root, "cache"), Offline: true})
	if !errors.Is(rs[1].Err, ErrInvalid) || errors.Is(rs[0].Err, ErrInvalid) {
		t.Errorf("a name given twice: %v; %v", rs[0].Err, rs[1].Err)
	}
}

// TestSyncCredentials: credentials in a URL are hidden in errors.
func TestSyncCredentials(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	// Nothing listens on port 1.
	src := Source{Name: "private", Repo: "http://user:s3cret@127.0.0.1:1/acme/private.git", Paths: docs}
	r := sync1(t, src, Options{CacheDir: filepath.Join(root, "cache")})
	if r.Err == nil || strings.Contains(r.Err.Error(), "s3cret") {
		t.Errorf("err %v: want an error without the password", r.Err)
	}
	if !strings.Contains(r.Err.Error(), `source "private" (http://user:xxxxx@127.0.0.1:1/acme/private.git): git ls-remote: `) {
		t.Errorf("err %v", r.Err)
	}
}

func TestRepoKind(t *testing.T) {
	for repo, want := range map[string]string{
		"https://github.com/acme/payments.git": "url",
		"ssh://git@github.com/acme/x.git":      "url",
		"git@github.com:acme/x.git":            "url",
		"github.com:acme/x.git":                "url",
		"file:///srv/git/x.git":                "file",
		"FILE:///srv/git/x.git":                "file",
		"/srv/git/x":                           "path",
		"/srv/git/a:b":                         "path",
		"../platform":                          "path",
		"platform":                             "path",
		"./a:b":                                "path",
	} {
		if got := repoKind(repo); got != want {
			t.Errorf("repoKind(%q) = %s, want %s", repo, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	for repo, want := range map[string]string{
		"https://github.com/acme/x.git":           "https://github.com/acme/x.git",
		"https://ghp_token@github.com/acme/x.git": "https://xxxxx@github.com/acme/x.git",
		"https://user:pass@github.com/acme/x.git": "https://user:xxxxx@github.com/acme/x.git",
		"ssh://git@github.com/acme/x.git":         "ssh://git@github.com/acme/x.git",
		"git@github.com:acme/x.git":               "git@github.com:acme/x.git",
		"/srv/git/x":                              "/srv/git/x",
	} {
		if got := redact(repo); got != want {
			t.Errorf("redact(%q) = %s, want %s", repo, got, want)
		}
	}
}

func TestEscapePattern(t *testing.T) {
	for p, want := range map[string]string{
		"docs/runbooks": "docs/runbooks",
		"docs/[old]*":   `docs/\[old\]\*`,
		"a b/#c!":       `a\ b/\#c\!`,
	} {
		if got := escapePattern(p); got != want {
			t.Errorf("escapePattern(%q) = %s, want %s", p, got, want)
		}
	}
}
