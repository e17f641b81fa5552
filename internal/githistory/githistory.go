// Package githistory reads what a git work tree knows about its files: when
// each was last changed, by whom and why, when it was first committed, and how
// many people have changed it. A build reads it once and asks it about every
// page:
//
//	h, err := githistory.Read(ctx, dir, githistory.Now())
//	if err != nil {
//		return err // git failed inside a work tree
//	}
//	if h.Shallow {
//		log.Print(h.ShallowMessage())
//	}
//	if f, ok := h.Lookup(path.Join(h.Prefix, "content/intro.md")); ok {
//		fmt.Println(f.Changed, f.Last.Author, f.Authors)
//	}
//
// # Processes
//
// Read starts three git processes whatever the size of the tree, never one
// per file (status runs while the log is read):
//
//	git rev-parse --is-inside-work-tree --show-toplevel --show-prefix --is-shallow-repository
//	git log -z --format=… --name-status -M --no-merges --date-order
//	git --no-optional-locks status --porcelain -z --untracked-files=all
//
// The log is parsed as it streams, newest commit first. Nothing touches the
// network and nothing is written to the repository.
//
// # No git, no history
//
// Outside a git work tree, or when git is not installed, Read returns
// (nil, nil): a handbook that is not in git shows no dates and nothing fails.
// Every method of History works on a nil *History. Any other git failure is
// returned as an error.
//
// # Paths and renames
//
// Paths are relative to the work-tree root and slash-separated, as git prints
// them; Prefix is the folder given to Read relative to that root ("" at the
// root, "docs/" below it). Renames are followed: once a commit shows a.md
// renamed to b.md (git's -M, 50% similar or more), the older commits of a.md
// count for b.md, so its First is the day a.md was created. A file's history
// starts where it was added: older commits of a path that was deleted, or
// renamed away, belong to another file and are not counted. Only files that
// exist at HEAD, or are uncommitted, are in Files.
//
// # Authors
//
// Authors are told apart by e-mail address, case-insensitively, after the
// repository's .mailmap is applied (%aN and %aE), so one person with two
// spellings of their name counts once. Times are author times.
//
// # Uncommitted files
//
// A file modified, staged or untracked in the work tree (ignored files are
// left out) has Uncommitted set and Changed equal to the now given to Read —
// not the clock, so a build is reproducible. Now gives the usual now:
// SOURCE_DATE_EPOCH when it is set, the clock otherwise. A file staged as
// renamed keeps the history of its old name.
//
// # Shallow clones
//
// A shallow clone (CI systems make them by default) has only the last commits;
// its oldest commit shows every file as added, so every page would get the date
// of that commit. Read still returns what it found, with Shallow set;
// ShallowMessage says what that means and how to fetch the whole history.
package githistory

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// History is what the git history of a work tree says about its files.
type History struct {
	// Root is the absolute path of the work tree, as git gives it.
	Root string
	// Prefix is the folder given to Read, relative to Root, slash-separated
	// and ending in "/"; "" when it is Root.
	Prefix string
	// Shallow is set when the repository is a shallow clone: the oldest
	// commits are missing and dates cannot be trusted. See ShallowMessage.
	Shallow bool
	// Files has one entry per file, keyed by its path relative to Root.
	Files map[string]File
}

// File is the history of one file.
type File struct {
	// Path is relative to the work-tree root, slash-separated.
	Path string
	// Last is the newest commit that changed the file; zero when the file
	// was never committed.
	Last Commit
	// First is the author time of the oldest commit of the file, renames
	// followed; now when the file was never committed.
	First time.Time
	// Authors is the number of distinct authors of the file's commits.
	Authors int
	// Uncommitted is set when the work tree has changes to the file that
	// are not committed, or the file is untracked.
	Uncommitted bool
	// Changed is when the file last changed: now when Uncommitted,
	// Last.Time otherwise.
	Changed time.Time
}

// Commit is one commit, as the log shows it.
type Commit struct {
	Hash    string
	Time    time.Time // author time, UTC
	Author  string
	Email   string
	Subject string
}

// Lookup returns the history of the file at path, relative to Root and
// slash-separated. It is false for a file git knows nothing of, and always
// false on a nil History.
func (h *History) Lookup(path string) (File, bool) {
	if h == nil {
		return File{}, false
	}
	f, ok := h.Files[path]
	return f, ok
}

// ShallowMessage explains, for the person running the build, what a shallow
// clone means for the dates shown and how to fix it. It is "" unless Shallow.
func (h *History) ShallowMessage() string {
	if h == nil || !h.Shallow {
		return ""
	}
	return "git: " + h.Root + " is a shallow clone, so its history is cut short: " +
		"every page would show the date of the clone's oldest commit as its last change, and wrong first dates and authors. " +
		"Fetch the whole history: with GitHub Actions set `fetch-depth: 0` on actions/checkout; " +
		"with GitLab CI set the variable `GIT_DEPTH: 0`; elsewhere run `git fetch --unshallow`."
}

// Now is the time a build calls now: SOURCE_DATE_EPOCH (seconds since
// 1970, UTC) when it is set to a number, the clock otherwise.
func Now() time.Time {
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		if n, err := strconv.ParseInt(epoch, 10, 64); err == nil {
			return time.Unix(n, 0).UTC()
		}
	}
	return time.Now()
}

// errNoRepo is returned by git when dir is not in a work tree.
var errNoRepo = errors.New("not in a git work tree")

// Read reads the history of the git work tree that holds dir. Uncommitted
// files are reported as changed at now. Outside a work tree, or without git,
// it returns (nil, nil).
func Read(ctx context.Context, dir string, now time.Time) (*History, error) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return nil, nil
	}
	g := git{path: gitPath, dir: dir}
	out, err := g.output(ctx, "rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix", "--is-shallow-repository")
	if errors.Is(err, errNoRepo) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 4 || lines[0] != "true" {
		// Inside a .git folder or a bare repository: no work tree.
		return nil, nil
	}
	h := &History{Root: lines[1], Prefix: lines[2], Shallow: lines[3] == "true"}
	g.dir = h.Root

	// Status runs while the log is read.
	type result struct {
		out []byte
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	statusc := make(chan result, 1)
	go func() {
		out, err := g.output(ctx, "--no-optional-locks", "status", "--porcelain", "-z", "--untracked-files=all", "--ignore-submodules")
		statusc <- result{out, err}
	}()

	p := newLogParser()
	if err := g.stream(ctx, p.parse,
		"log", "-z", "--format=%x1e%H%x00%at%x00%aN%x00%aE%x00%s",
		"--name-status", "-M", "--no-merges", "--date-order", "--no-color", "--no-ext-diff", "--no-textconv",
	); err != nil && !errors.Is(err, errNoCommits) {
		cancel()
		<-statusc
		return nil, err
	}
	h.Files = p.files()

	status := <-statusc
	if status.err != nil {
		return nil, status.err
	}
	if err := h.markUncommitted(status.out, now); err != nil {
		return nil, err
	}
	return h, nil
}

// markUncommitted marks the files git status lists, in its porcelain -z
// form: "XY path\0", and "XY new\0old\0" for a rename or copy.
func (h *History) markUncommitted(status []byte, now time.Time) error {
	fields := strings.Split(string(status), "\x00")
	for i := 0; i < len(fields); i++ {
		entry := fields[i]
		if entry == "" {
			continue
		}
		if len(entry) < 4 || entry[2] != ' ' {
			return fmt.Errorf("git status: unexpected entry %q", entry)
		}
		x, y, path := entry[0], entry[1], entry[3:]
		f, ok := h.Files[path]
		if x == 'R' || x == 'C' {
			i++
			if i >= len(fields) {
				return fmt.Errorf("git status: rename of %q without its old name", path)
			}
			if old, found := h.Files[fields[i]]; found && !ok {
				f, ok = old, true
				if x == 'R' {
					delete(h.Files, fields[i])
				}
			}
		}
		if y == 'D' || (x == 'D' && y == ' ') {
			// Gone from the work tree: nothing to show.
			continue
		}
		if !ok {
			f = File{First: now}
		}
		f.Path = path
		f.Uncommitted = true
		f.Changed = now
		h.Files[path] = f
	}
	return nil
}

// logParser follows the log, newest commit first, and collects the
// history of every file.
type logParser struct {
	commit  Commit
	author  int            // index of commit's author in authors
	authors map[string]int // lower-cased e-mail (or name) → index
	// alias maps a path seen in the log to the file it became; a path
	// mapped to "" belongs to no file that exists now.
	alias map[string]string
	acc   map[string]*fileAcc
}

type fileAcc struct {
	last    Commit
	first   time.Time
	authors []int
}

func newLogParser() *logParser {
	return &logParser{authors: map[string]int{}, alias: map[string]string{}, acc: map[string]*fileAcc{}}
}

// parse reads the output of git log -z with the format of Read: per
// commit, "\x1e" hash, author time, name, e-mail and subject, each ended by
// NUL, then "\n" and, per file, a status and one path (two for renames and
// copies), each ended by NUL.
func (p *logParser) parse(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	sc.Split(splitNUL)
	next := func() (string, error) {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return "", err
			}
			return "", io.ErrUnexpectedEOF
		}
		return sc.Text(), nil
	}
	var header [5]string
	for sc.Scan() {
		tok := strings.TrimLeft(sc.Text(), "\n")
		if tok == "" {
			continue
		}
		if tok[0] == '\x1e' {
			header[0] = tok[1:]
			for i := 1; i < len(header); i++ {
				var err error
				if header[i], err = next(); err != nil {
					return fmt.Errorf("commit %s: %w", header[0], err)
				}
			}
			if err := p.startCommit(header); err != nil {
				return err
			}
			continue
		}
		if p.commit.Hash == "" {
			return fmt.Errorf("file status %q before any commit", tok)
		}
		path, err := next()
		if err != nil {
			return fmt.Errorf("commit %s: %w", p.commit.Hash, err)
		}
		switch tok[0] {
		case 'R', 'C':
			newPath, err := next()
			if err != nil {
				return fmt.Errorf("commit %s: %w", p.commit.Hash, err)
			}
			key := p.resolve(newPath)
			p.record(key)
			if tok[0] == 'R' {
				p.alias[path] = key
			}
			// Before this commit newPath was another file, or none.
			p.alias[newPath] = ""
		case 'A':
			p.record(p.resolve(path))
			p.alias[path] = ""
		case 'D':
			// Older commits of path are of a file that was deleted.
			p.alias[path] = ""
		default: // M, T, U, X
			p.record(p.resolve(path))
		}
	}
	return sc.Err()
}

func (p *logParser) startCommit(h [5]string) error {
	sec, err := strconv.ParseInt(h[1], 10, 64)
	if err != nil {
		return fmt.Errorf("commit %s: author time %q: %w", h[0], h[1], err)
	}
	p.commit = Commit{Hash: h[0], Time: time.Unix(sec, 0).UTC(), Author: h[2], Email: h[3], Subject: h[4]}
	id := strings.ToLower(h[3])
	if id == "" {
		id = "\x00" + h[2]
	}
	n, ok := p.authors[id]
	if !ok {
		n = len(p.authors)
		p.authors[id] = n
	}
	p.author = n
	return nil
}

// resolve is the file that path, as seen in the current commit, is now;
// "" for none.
func (p *logParser) resolve(path string) string {
	if key, ok := p.alias[path]; ok {
		return key
	}
	return path
}

func (p *logParser) record(key string) {
	if key == "" {
		return
	}
	a := p.acc[key]
	if a == nil {
		a = &fileAcc{last: p.commit}
		p.acc[key] = a
	}
	a.first = p.commit.Time
	if !slices.Contains(a.authors, p.author) {
		a.authors = append(a.authors, p.author)
	}
}

func (p *logParser) files() map[string]File {
	m := make(map[string]File, len(p.acc))
	for path, a := range p.acc {
		m[path] = File{Path: path, Last: a.last, First: a.first, Authors: len(a.authors), Changed: a.last.Time}
	}
	return m
}

func splitNUL(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}

// errNoCommits is returned by git log in a repository without commits.
var errNoCommits = errors.New("no commits yet")

// git runs git commands in one folder.
type git struct {
	path, dir string
}

func (g git) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, g.path, append([]string{"-C", g.dir}, args...)...)
	// Messages in English, to tell "not a repository" apart; no pager,
	// no prompts.
	cmd.Env = append(os.Environ(), "LC_ALL=C", "LANGUAGE=C", "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0")
	return cmd
}

// output runs git and returns its standard output.
func (g git) output(ctx context.Context, args ...string) ([]byte, error) {
	cmd := g.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, g.error(args, err, stderr.Bytes())
	}
	return out, nil
}

// stream runs git and hands its standard output to parse as it comes.
func (g git) stream(ctx context.Context, parse func(io.Reader) error, args ...string) error {
	cmd := g.command(ctx, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return fmt.Errorf("git %s: %w", subcommand(args), err)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git %s: %w", subcommand(args), err)
	}
	perr := parse(stdout)
	if perr != nil {
		// Stop git rather than wait for it to write into a closed pipe.
		cmd.Process.Kill()
		io.Copy(io.Discard, stdout)
	}
	werr := cmd.Wait()
	if werr != nil && perr == nil {
		return g.error(args, werr, stderr.Bytes())
	}
	if perr != nil {
		return fmt.Errorf("git %s: %w", subcommand(args), perr)
	}
	return nil
}

// error turns a failed git command into an error that says which command
// failed and what git said.
func (g git) error(args []string, err error, stderr []byte) error {
	msg := strings.TrimSpace(string(stderr))
	switch {
	case strings.Contains(msg, "not a git repository"):
		return errNoRepo
	case strings.Contains(msg, "does not have any commits yet"):
		return errNoCommits
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	if msg == "" {
		return fmt.Errorf("git %s in %s: %w", subcommand(args), g.dir, err)
	}
	return fmt.Errorf("git %s in %s: %w: %s", subcommand(args), g.dir, err, msg)
}

// subcommand is the first argument that is not an option.
func subcommand(args []string) string {
	for _, a := range args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return "git"
}
