package sitegen

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// isolateGit keeps the user's git configuration and any repository above
// the test's folders out of the test.
func isolateGit(t *testing.T) {
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

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	if err != nil {
		t.Fatalf("git %s: %v", strings.Join(args, " "), err)
	}
	return strings.TrimSpace(string(out))
}

func genRepo(t *testing.T, pages, commits int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	if err := Generate(dir, pages, seed); err != nil {
		t.Fatal(err)
	}
	if err := GitHistory(context.Background(), dir, commits, seed); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestGitHistory: the history has the commits asked for, ends with the
// files on disk, has renames, deletions, many authors and years, and is
// the same for the same seed.
func TestGitHistory(t *testing.T) {
	isolateGit(t)
	dir := genRepo(t, 120, 400, 3)
	if st := gitOut(t, dir, "status", "--porcelain", "--untracked-files=all"); st != "" {
		t.Errorf("work tree not clean after GitHistory:\n%s", st)
	}
	if n := gitOut(t, dir, "rev-list", "--count", "HEAD"); n != "400" {
		t.Errorf("%s commits, want 400", n)
	}
	status := map[byte]int{}
	for _, l := range strings.Split(gitOut(t, dir, "log", "--format=", "--name-status", "-M"), "\n") {
		if l != "" {
			status[l[0]]++
		}
	}
	// 121 files, and the drafts that come and go.
	if status['A'] < 121 || status['R'] == 0 || status['D'] == 0 || status['M'] < 300 {
		t.Errorf("file changes by status: %v", status)
	}
	if status['D'] != status['A']-121 {
		t.Errorf("%d deletions, %d additions: only drafts are deleted, each once", status['D'], status['A'])
	}
	authors := strings.Split(gitOut(t, dir, "shortlog", "-se", "HEAD"), "\n")
	if len(authors) < 10 {
		t.Errorf("%d authors", len(authors))
	}
	var times []int64 // newest first
	for _, f := range strings.Fields(gitOut(t, dir, "log", "--format=%at")) {
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if len(times) > 0 && n >= times[len(times)-1] {
			t.Fatalf("commit at %d is not older than the one after it, at %d", n, times[len(times)-1])
		}
		times = append(times, n)
	}
	if newest, oldest := times[0], times[len(times)-1]; newest > Today.Unix() || newest-oldest < 3*365*86400 {
		t.Errorf("history from %d to %d: want over three years before %d", oldest, newest, Today.Unix())
	}
	subjects := gitOut(t, dir, "log", "--format=%s")
	for _, s := range []string{"Import the handbook", "Add runbook for ", "Rename "} {
		if !strings.Contains(subjects, s) {
			t.Errorf("no subject with %q", s)
		}
	}

	again := genRepo(t, 120, 400, 3)
	if a, b := gitOut(t, dir, "rev-parse", "HEAD"), gitOut(t, again, "rev-parse", "HEAD"); a != b {
		t.Errorf("same seed, different histories: %s, %s", a, b)
	}
	other := genRepo(t, 120, 400, 4)
	if a, b := gitOut(t, dir, "rev-parse", "HEAD"), gitOut(t, other, "rev-parse", "HEAD"); a == b {
		t.Errorf("seeds 3 and 4 give the same history %s", a)
	}
}

// TestGitHistoryFewCommits: with fewer commits than pages, the first
// commit imports what later ones cannot add.
func TestGitHistoryFewCommits(t *testing.T) {
	isolateGit(t)
	for _, commits := range []int{1, 5} {
		dir := genRepo(t, 50, commits, 1)
		if st := gitOut(t, dir, "status", "--porcelain"); st != "" {
			t.Errorf("%d commits: work tree not clean:\n%s", commits, st)
		}
		if n := gitOut(t, dir, "rev-list", "--count", "HEAD"); n != strconv.Itoa(commits) {
			t.Errorf("%s commits, want %d", n, commits)
		}
	}
}

func TestGitHistoryErrors(t *testing.T) {
	isolateGit(t)
	dir := genRepo(t, 10, 3, 1)
	if err := GitHistory(context.Background(), dir, 3, 1); err == nil || !strings.Contains(err.Error(), "already a git repository") {
		t.Errorf("second GitHistory on %s: %v", dir, err)
	}
	if err := GitHistory(context.Background(), t.TempDir(), 3, 1); err == nil || !strings.Contains(err.Error(), "no files") {
		t.Errorf("GitHistory of an empty folder: %v", err)
	}
	if err := GitHistory(context.Background(), t.TempDir(), 0, 1); err == nil {
		t.Error("GitHistory with no commits: no error")
	}
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		t.Fatal(err)
	}
}

func TestFastImportPath(t *testing.T) {
	for in, want := range map[string]string{
		"content/a b.md":  "content/a b.md",
		`say "hi".md`:     `"say \"hi\".md"`,
		"back\\slash.md":  `"back\\slash.md"`,
		"new\nline.md":    `"new\nline.md"`,
		" leading space":  `" leading space"`,
		"ünïcode/page.md": "ünïcode/page.md",
	} {
		if got := fiPath(in); got != want {
			t.Errorf("fiPath(%q) = %s, want %s", in, got, want)
		}
	}
}
