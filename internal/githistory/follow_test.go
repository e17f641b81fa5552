package githistory

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMatchesGitLogFollow builds a repository of a few hundred files and
// 250 commits — edits, renames with and without an edit, moves into and
// out of folders, deletions, names deleted and added again, renames onto
// a name deleted before, five authors (one with two spellings of their
// address) — and checks every file Read finds against what
// git log --follow says of it, run once per file.
//
// git log --follow goes on past the commit that added a file, into the
// commits of an older file that had the same name and was deleted; Read
// does not (see Paths and renames in the package doc). So what git says is
// cut at the first commit that shows the file as added: Last is git's
// newest commit of the file (as git log -1 --follow gives it), First the
// time of that added commit (git log --follow --reverse | head -1 when the
// name was never used before), Recent its newest MaxRecent commits and
// Contributors its commits counted by address.
func TestMatchesGitLogFollow(t *testing.T) {
	isolate(t)
	dir := t.TempDir()
	gitRun(t, dir, alice, "init", "-q")
	stream, stats := followRepo(250, 5)
	cmd := exec.Command("git", "-C", dir, "fast-import", "--quiet", "--done")
	cmd.Stdin = bytes.NewReader(stream)
	cmd.Env = append(os.Environ(), "MALLOC_TRIM_THRESHOLD_=268435456", "MALLOC_TOP_PAD_=67108864")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git fast-import: %v\n%s", err, out)
	}
	gitRun(t, dir, alice, "reset", "-q", "--hard", "main")
	t.Logf("repository: %v", stats)
	for _, op := range []string{"add", "edit", "rename", "rename+edit", "delete", "re-add", "rename onto a deleted name"} {
		if stats[op] == 0 {
			t.Errorf("the repository has no %q: %v", op, stats)
		}
	}

	now := time.Unix(9000000000, 0).UTC()
	h := (&repo{t, dir}).read(dir, now)
	tracked := strings.Split(gitRun(t, dir, alice, "ls-files"), "\n")
	if len(tracked) < 200 {
		t.Fatalf("only %d files", len(tracked))
	}
	var paths []string
	for p := range h.Files {
		paths = append(paths, p)
	}
	slices.Sort(paths)
	if !slices.Equal(paths, tracked) {
		t.Fatalf("Read found %d files, git ls-files %d", len(paths), len(tracked))
	}
	if testing.Short() {
		// One file in five: a second instead of five.
		var some []string
		for i := 0; i < len(paths); i += 5 {
			some = append(some, paths[i])
		}
		paths = some
	}
	logs := followLogs(t, dir, paths)
	for i, p := range paths {
		f := h.Files[p]
		checkInvariants(t, f)
		commits := logs[i]
		if len(commits) == 0 {
			t.Errorf("%s: git log --follow shows nothing", p)
			continue
		}
		last := commits[0]
		if f.Last.Hash != last.Hash || !f.Last.Time.Equal(last.Time) || f.Last.Author != last.Author || f.Last.Email != last.Email || f.Last.Subject != last.Subject {
			t.Errorf("%s: Last = %+v, git log --follow: %+v", p, f.Last, last)
		}
		if first := commits[len(commits)-1]; !f.First.Equal(first.Time) {
			t.Errorf("%s: First = %v, git log --follow: %v (%s)", p, f.First, first.Time, first.Subject)
		}
		var recent []string
		for _, c := range commits[:min(len(commits), MaxRecent)] {
			recent = append(recent, c.Hash)
		}
		if got := hashes(f.Recent); !slices.Equal(got, recent) {
			t.Errorf("%s: Recent = %v, git log --follow: %v", p, got, recent)
		}
		counts := map[string]int{}
		for _, c := range commits {
			counts[strings.ToLower(c.Email)]++
		}
		got := map[string]int{}
		for _, a := range f.Contributors {
			got[strings.ToLower(a.Email)] = a.Commits
		}
		if fmt.Sprint(got) != fmt.Sprint(counts) || f.Authors != len(counts) {
			t.Errorf("%s: Contributors = %v (Authors %d), git log --follow: %v", p, got, f.Authors, counts)
		}
	}
}

func hashes(cs []Commit) []string {
	var s []string
	for _, c := range cs {
		s = append(s, c.Hash)
	}
	return s
}

// followLog returns the commits git log --follow shows for path, newest
// first, up to the one that shows it added.
func followLog(dir, path string) ([]Commit, error) {
	out, err := exec.Command("git", "-C", dir, "log", "--follow", "--no-merges", "-z", "--name-status",
		"--format=%x1e%H%x00%at%x00%aN%x00%aE%x00%s", "--", path).Output()
	if err != nil {
		return nil, fmt.Errorf("git log --follow %s: %w", path, err)
	}
	var commits []Commit
	for _, rec := range strings.Split(string(out), "\x1e")[1:] {
		fields := strings.Split(rec, "\x00")
		if len(fields) < 6 {
			return nil, fmt.Errorf("git log --follow %s: %q", path, rec)
		}
		sec, err := strconv.ParseInt(fields[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("git log --follow %s: %q", path, rec)
		}
		commits = append(commits, Commit{Hash: fields[0], Time: time.Unix(sec, 0).UTC(), Author: fields[2], Email: fields[3], Subject: fields[4]})
		if status := strings.TrimLeft(fields[5], "\n"); strings.HasPrefix(status, "A") {
			break
		}
	}
	return commits, nil
}

// followLogs runs followLog for every path, a few at a time.
func followLogs(t *testing.T, dir string, paths []string) [][]Commit {
	logs := make([][]Commit, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0)+1)
	for i, p := range paths {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			logs[i], errs[i] = followLog(dir, p)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return logs
}

// followRepo writes a git fast-import stream of a linear history of the
// given number of commits, made at random but the same for the same seed,
// and counts what it did.
func followRepo(commits int, seed uint64) ([]byte, map[string]int) {
	r := rand.New(rand.NewPCG(seed, 1))
	people := []string{
		"Alice <alice@example.com>", "Bob <bob@example.com>", "Carol <carol@example.com>",
		"Dan Smith <dan@example.com>", "Dan <DAN@Example.com>", "Erin <erin@example.com>",
	}
	folders := []string{"", "docs/", "docs/ops/", "runbooks/db/", "runbooks/net/", "adr/"}
	type file struct {
		id    int
		lines []string
	}
	live := map[string]*file{}
	var deleted []string // names free to be used again
	stats := map[string]int{}
	nextID := 0
	newFile := func() *file {
		nextID++
		f := &file{id: nextID}
		for k := range 6 + r.IntN(6) {
			f.lines = append(f.lines, fmt.Sprintf("file %d line %d: %08x", f.id, k, r.Uint32()))
		}
		return f
	}
	newName := func() string {
		for {
			p := fmt.Sprintf("%spage-%d.md", folders[r.IntN(len(folders))], r.IntN(100000))
			if live[p] == nil && !slices.Contains(deleted, p) {
				return p
			}
		}
	}
	var out bytes.Buffer
	for c := range commits {
		who := people[r.IntN(len(people))]
		when := 1600000000 + int64(c)*3600
		msg := fmt.Sprintf("commit %d", c)
		fmt.Fprintf(&out, "commit refs/heads/main\nauthor %s %d +0000\ncommitter %s %d +0000\ndata %d\n%s\n",
			who, when, who, when, len(msg), msg)
		// Names touched in this commit are left alone by the rest of it,
		// so that no commit both frees a name and uses it again.
		busy := map[string]bool{}
		write := func(p string, f *file) {
			body := strings.Join(f.lines, "\n") + "\n"
			fmt.Fprintf(&out, "M 100644 inline %s\ndata %d\n%s\n", p, len(body), body)
			busy[p] = true
		}
		pick := func() (string, *file) {
			var names []string
			for p := range live {
				if !busy[p] {
					names = append(names, p)
				}
			}
			if len(names) == 0 {
				return "", nil
			}
			slices.Sort(names)
			p := names[r.IntN(len(names))]
			return p, live[p]
		}
		ops := 1 + r.IntN(4)
		if c == 0 {
			ops = 200
		}
		for range ops {
			x := r.IntN(100)
			if c == 0 {
				x = 0
			}
			switch {
			case x < 20: // add, under a new name or one deleted before
				p := newName()
				if len(deleted) > 0 && r.IntN(3) == 0 {
					i := r.IntN(len(deleted))
					if !busy[deleted[i]] {
						p = deleted[i]
						deleted = slices.Delete(deleted, i, i+1)
						stats["re-add"]++
					}
				}
				f := newFile()
				live[p] = f
				write(p, f)
				stats["add"]++
			case x < 65: // edit a line, or add one
				p, f := pick()
				if f == nil {
					continue
				}
				if k := r.IntN(len(f.lines) + 1); k < len(f.lines) {
					f.lines[k] = fmt.Sprintf("file %d line %d: edited in commit %d", f.id, k, c)
				} else {
					f.lines = append(f.lines, fmt.Sprintf("file %d line %d: added in commit %d", f.id, k, c))
				}
				write(p, f)
				stats["edit"]++
			case x < 85: // rename, or move, perhaps with an edit
				p, f := pick()
				if f == nil {
					continue
				}
				q := newName()
				if len(deleted) > 0 && r.IntN(4) == 0 && !busy[deleted[0]] {
					q = deleted[0]
					deleted = deleted[1:]
					stats["rename onto a deleted name"]++
				}
				if r.IntN(2) == 0 {
					f.lines[r.IntN(len(f.lines))] = fmt.Sprintf("file %d: renamed in commit %d", f.id, c)
					stats["rename+edit"]++
				} else {
					stats["rename"]++
				}
				fmt.Fprintf(&out, "D %s\n", p)
				busy[p] = true
				delete(live, p)
				deleted = append(deleted, p)
				live[q] = f
				write(q, f)
			default: // delete
				p, f := pick()
				if f == nil || len(live) < 150 {
					continue
				}
				fmt.Fprintf(&out, "D %s\n", p)
				busy[p] = true
				delete(live, p)
				deleted = append(deleted, p)
				stats["delete"]++
			}
		}
		out.WriteString("\n")
	}
	out.WriteString("done\n")
	return out.Bytes(), stats
}
