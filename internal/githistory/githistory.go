// Package githistory reads what a git work tree knows about its files: when
// each was last changed, by whom and why, its recent commits, when it was
// first committed, and who has changed it how often. A build reads it once
// and asks it about every page:
//
//	h, err := githistory.Read(ctx, dir, githistory.Now())
//	if err != nil {
//		return err // git failed inside a work tree
//	}
//	if h.Shallow {
//		log.Print(h.ShallowMessage())
//	}
//	if f, ok := h.Lookup(path.Join(h.Prefix, "content/intro.md")); ok && !f.Unknown {
//		fmt.Println(f.Changed, f.Last.Author, f.Authors)
//		for _, c := range f.Recent {
//			fmt.Println(c.Time, c.Author, c.Subject)
//		}
//	}
//
// A zero time is never a date: it means not known.
//
// # Processes
//
// Read starts three git processes whatever the size of the tree, never one
// per file (status runs while the log is read):
//
//	git rev-parse --is-inside-work-tree --show-toplevel --show-prefix --is-shallow-repository --git-path shallow
//	git log -z --format=… --name-status -M --no-merges --date-order
//	git --no-optional-locks status --porcelain -z --untracked-files=all
//
// The log is parsed as it streams, newest commit first; a shallow clone's
// list of boundary commits (the file --git-path names) is read as well.
// Nothing touches the network and nothing is written to the repository.
//
// # Memory
//
// Every commit is read once, with its strings; an author's name and address
// are kept once for all their commits. A file's Recent holds copies of at
// most MaxRecent commits that share those strings, and the Recent and
// Contributors of all files are cut from one array each. Reading a
// repository of 10,000 files and 20,000 commits (BenchmarkReadHandbook)
// takes about as long as git takes to print its log, and the History holds
// about 10 MB.
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
// count for b.md, so its First is the day a.md was created and its Recent and
// Contributors hold a.md's commits too. A file's history starts where it was
// added: older commits of a path that was deleted, or renamed away, belong to
// another file and are not counted. Only files that exist at HEAD, or are
// uncommitted, are in Files. What Read finds for a file is what
// git log --follow shows for it, cut at the commit that added it.
//
// # Authors
//
// Authors are told apart by e-mail address, case-insensitively, after the
// repository's .mailmap is applied (%aN and %aE), so one person with two
// spellings of their name counts once; an author's Name and Email are those of
// their newest commit in the repository. Times are author times.
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
// A shallow clone (CI systems make them by default) has only the last commits.
// Its oldest commits, the boundary, have their parents cut off, so they show
// every file as added: taken at their word, every page would be dated the day
// of the oldest commit in the clone. Read does not take them at their word:
//
//   - a file whose newest commit is a boundary commit has Unknown set, and
//     nothing else: no Last, no Changed, no First, no authors;
//   - a file changed after the boundary keeps its real Last, Changed and
//     Recent, but has FirstUnknown set and a zero First, and its Authors
//     and Contributors count only the commits after the boundary;
//   - a file added after the boundary is known whole.
//
// Shallow is set all the same; ShallowMessage says what that means and how
// to fetch the whole history.
package githistory

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxRecent is the most commits a File's Recent holds.
const MaxRecent = 10

// History is what the git history of a work tree says about its files.
type History struct {
	// Root is the absolute path of the work tree, as git gives it.
	Root string
	// Prefix is the folder given to Read, relative to Root, slash-separated
	// and ending in "/"; "" when it is Root.
	Prefix string
	// Shallow is set when the repository is a shallow clone: the oldest
	// commits are missing and some dates are not known. See
	// ShallowMessage, and File.Unknown and File.FirstUnknown.
	Shallow bool
	// Files has one entry per file, keyed by its path relative to Root.
	Files map[string]File
}

// File is the history of one file.
type File struct {
	// Path is relative to the work-tree root, slash-separated.
	Path string
	// Last is the newest commit that changed the file; zero when the file
	// was never committed, or Unknown.
	Last Commit
	// Recent are the newest commits of the file, newest first, at most
	// MaxRecent, renames followed; Recent[0] is Last. Empty when Last is
	// zero.
	Recent []Commit
	// First is the author time of the oldest commit of the file, renames
	// followed; now when the file was never committed; zero when
	// FirstUnknown.
	First time.Time
	// FirstUnknown is set in a shallow clone when the file's history goes
	// on before the oldest commits the clone has: when it was created is
	// not known, and First is zero.
	FirstUnknown bool
	// Authors is the number of distinct authors of the file's commits:
	// len(Contributors).
	Authors int
	// Contributors are the distinct authors of the file's commits, most
	// commits first, then by name and address.
	Contributors []Author
	// Uncommitted is set when the work tree has changes to the file that
	// are not committed, or the file is untracked.
	Uncommitted bool
	// Unknown is set in a shallow clone when the history is cut off before
	// the file's last change could be seen: its dates are not known. Last,
	// Recent, First, Contributors and (unless Uncommitted) Changed are
	// zero, and FirstUnknown is set.
	Unknown bool
	// Changed is when the file last changed: now when Uncommitted,
	// Last.Time otherwise (zero when Unknown).
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

// Author is one author of a file's commits: their name and address as
// their newest commit has them, and how many of the file's commits are
// theirs.
type Author struct {
	Name, Email string
	Commits     int
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
		"pages last changed before its oldest commit show no date, and most pages cannot show when they were first written, or all of their authors. " +
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
	return ReadPaths(ctx, dir, now, nil)
}

// ReadPaths is Read for the files under paths alone (relative to the
// work-tree root, slash-separated; all files when empty): git looks at
// nothing else, so in a partial clone it needs no other file's contents,
// and renames are followed only inside paths.
func ReadPaths(ctx context.Context, dir string, now time.Time, paths []string) (*History, error) {
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return nil, nil
	}
	g := git{path: gitPath, dir: dir}
	out, err := g.output(ctx, "rev-parse", "--is-inside-work-tree", "--show-toplevel", "--show-prefix", "--is-shallow-repository", "--git-path", "shallow")
	if errors.Is(err, errNoRepo) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != 5 || lines[0] != "true" {
		return nil, nil
	}
	h := &History{Root: lines[1], Prefix: lines[2], Shallow: lines[3] == "true"}
	var boundary map[string]bool
	if h.Shallow {
		name := lines[4]
		if !filepath.IsAbs(name) {
			name = filepath.Join(dir, name)
		}
		if boundary, err = readShallow(name); err != nil {
			return nil, err
		}
	}
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

	p := newLogParser(boundary)
	args := []string{"log", "-z", "--format=%x1e%H%x00%at%x00%aN%x00%aE%x00%s",
		"--name-status", "-M", "--no-merges", "--date-order", "--no-color", "--no-ext-diff", "--no-textconv"}
	if len(paths) > 0 {
		args = append(args, "--")
		for _, p := range paths {
			args = append(args, ":(top,literal)"+p)
		}
	}
	if err := g.stream(ctx, p.parse, args...); err != nil && !errors.Is(err, errNoCommits) {
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

// readShallow reads a shallow clone's list of boundary commits: one hash a
// line.
func readShallow(name string) (map[string]bool, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("git: shallow clone: %w", err)
	}
	boundary := map[string]bool{}
	for _, hash := range strings.Fields(string(data)) {
		boundary[hash] = true
	}
	return boundary, nil
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
// history of every file. Commits, names and addresses are kept once and
// shared by the files; a file keeps indexes into them.
type logParser struct {
	// boundary holds the hashes of a shallow clone's boundary commits.
	boundary map[string]bool

	commits chunks[Commit] // every commit read, newest first
	cut     bool           // the current commit is a boundary commit
	author  int32          // index of the current commit's author in people

	people []Author          // every author, as their newest commit names them
	ids    map[string]int32  // lower-cased e-mail (or NUL and name) → index in people
	strs   map[string]string // names and e-mails, kept once

	// alias maps a path seen in the log to the file it became; a path
	// mapped to "" belongs to no file that exists now.
	alias map[string]string
	index map[string]int32 // path of a file → index in acc
	acc   chunks[fileAcc]
}

type fileAcc struct {
	path    string
	recent  [MaxRecent]int32 // indexes in commits, newest first
	nrecent int32
	first   int32 // index in commits of the oldest commit
	authors []authorCount
	// unknown: the newest commit seen is a boundary commit. cut: a
	// boundary commit was seen after newer ones.
	unknown, cut bool
}

type authorCount struct{ id, n int32 }

func newLogParser(boundary map[string]bool) *logParser {
	return &logParser{
		boundary: boundary,
		ids:      map[string]int32{},
		strs:     map[string]string{},
		alias:    map[string]string{},
		index:    map[string]int32{},
	}
}

// parse reads the output of git log -z with the format of Read: per
// commit, "\x1e" hash, author time, name, e-mail and subject, each ended by
// NUL, then "\n" and, per file, a status and one path (two for renames and
// copies), each ended by NUL.
func (p *logParser) parse(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	sc.Split(splitNUL)
	// next returns the next token; it is valid until the next call.
	next := func() ([]byte, error) {
		if !sc.Scan() {
			if err := sc.Err(); err != nil {
				return nil, err
			}
			return nil, io.ErrUnexpectedEOF
		}
		return sc.Bytes(), nil
	}
	for sc.Scan() {
		tok := bytes.TrimLeft(sc.Bytes(), "\n")
		if len(tok) == 0 {
			continue
		}
		if tok[0] == '\x1e' {
			if len(tok) == 1 {
				return errors.New("commit without a hash")
			}
			if err := p.startCommit(string(tok[1:]), next); err != nil {
				return err
			}
			continue
		}
		if p.commits.len() == 0 {
			return fmt.Errorf("file status %q before any commit", tok)
		}
		status := tok[0]
		hash := p.commits.at(p.commits.len() - 1).Hash
		path, err := next()
		if err != nil {
			return fmt.Errorf("commit %s: %w", hash, err)
		}
		switch status {
		case 'R', 'C':
			old := p.intern(path)
			newPath, err := next()
			if err != nil {
				return fmt.Errorf("commit %s: %w", hash, err)
			}
			file := p.resolve(newPath)
			p.record(file)
			if status == 'R' {
				p.alias[old] = p.pathOf(file)
			}
			// Before this commit newPath was another file, or none.
			p.alias[p.intern(newPath)] = ""
		case 'A':
			p.record(p.resolve(path))
			p.alias[p.intern(path)] = ""
		case 'D':
			// Older commits of path are of a file that was deleted.
			p.alias[p.intern(path)] = ""
		default: // M, T, U, X
			p.record(p.resolve(path))
		}
	}
	return sc.Err()
}

// startCommit reads the rest of a commit's header: author time, name,
// e-mail and subject.
func (p *logParser) startCommit(hash string, next func() ([]byte, error)) error {
	c := Commit{Hash: hash}
	for i := range 4 {
		tok, err := next()
		if err != nil {
			return fmt.Errorf("commit %s: %w", hash, err)
		}
		switch i {
		case 0:
			sec, err := strconv.ParseInt(string(tok), 10, 64)
			if err != nil {
				return fmt.Errorf("commit %s: author time %q: %w", hash, tok, err)
			}
			c.Time = time.Unix(sec, 0).UTC()
		case 1:
			c.Author = p.str(tok)
		case 2:
			c.Email = p.str(tok)
		case 3:
			c.Subject = string(tok)
		}
	}
	id := strings.ToLower(c.Email)
	if id == "" {
		id = "\x00" + c.Author
	}
	n, ok := p.ids[id]
	if !ok {
		n = int32(len(p.people))
		p.ids[id] = n
		p.people = append(p.people, Author{Name: c.Author, Email: c.Email})
	}
	p.author = n
	p.cut = p.boundary[hash]
	p.commits.add(c)
	return nil
}

// str returns b as a string, the same string every time.
func (p *logParser) str(b []byte) string {
	if s, ok := p.strs[string(b)]; ok {
		return s
	}
	s := string(b)
	p.strs[s] = s
	return s
}

// intern returns path as a string, the file's own when it is one.
func (p *logParser) intern(path []byte) string {
	if i, ok := p.index[string(path)]; ok {
		return p.acc.at(i).path
	}
	return string(path)
}

// resolve is the file that path, as seen in the current commit, is now;
// -1 for none.
func (p *logParser) resolve(path []byte) int32 {
	key, ok := p.alias[string(path)]
	if !ok {
		if i, ok := p.index[string(path)]; ok {
			return i
		}
		key = string(path)
	}
	if key == "" {
		return -1
	}
	i, ok := p.index[key]
	if !ok {
		i = p.acc.add(fileAcc{path: key, unknown: p.cut})
		p.index[key] = i
	}
	return i
}

// pathOf is the path of file i; "" for none.
func (p *logParser) pathOf(i int32) string {
	if i < 0 {
		return ""
	}
	return p.acc.at(i).path
}

// record counts the current commit for file i.
func (p *logParser) record(i int32) {
	if i < 0 {
		return
	}
	a := p.acc.at(i)
	if a.unknown {
		return
	}
	if p.cut {
		// A boundary commit shows every file as added: it says nothing
		// of this file but that its history goes on before the cut.
		a.cut = true
		return
	}
	c := p.commits.len() - 1
	if a.nrecent < MaxRecent {
		a.recent[a.nrecent] = c
		a.nrecent++
	}
	a.first = c
	for j := range a.authors {
		if a.authors[j].id == p.author {
			a.authors[j].n++
			return
		}
	}
	a.authors = append(a.authors, authorCount{p.author, 1})
}

// files returns the history of every file. The files' Recent and
// Contributors are slices of two arrays, one of each for all files.
func (p *logParser) files() map[string]File {
	var nrecent, nauthors int
	for i := range p.acc.len() {
		nrecent += int(p.acc.at(i).nrecent)
		nauthors += len(p.acc.at(i).authors)
	}
	recent := make([]Commit, 0, nrecent)
	contributors := make([]Author, 0, nauthors)
	m := make(map[string]File, p.acc.len())
	for i := range p.acc.len() {
		a := p.acc.at(i)
		if a.unknown {
			m[a.path] = File{Path: a.path, Unknown: true, FirstUnknown: true}
			continue
		}
		r0, c0 := len(recent), len(contributors)
		for _, c := range a.recent[:a.nrecent] {
			recent = append(recent, *p.commits.at(c))
		}
		for _, ac := range a.authors {
			who := p.people[ac.id]
			who.Commits = int(ac.n)
			contributors = append(contributors, who)
		}
		f := File{
			Path:         a.path,
			Last:         recent[r0],
			Recent:       recent[r0:len(recent):len(recent)],
			First:        p.commits.at(a.first).Time,
			FirstUnknown: a.cut,
			Authors:      len(a.authors),
			Contributors: contributors[c0:len(contributors):len(contributors)],
			Changed:      recent[r0].Time,
		}
		if a.cut {
			f.First = time.Time{}
		}
		slices.SortFunc(f.Contributors, func(x, y Author) int {
			if c := cmp.Compare(y.Commits, x.Commits); c != 0 {
				return c
			}
			if c := cmp.Compare(x.Name, y.Name); c != 0 {
				return c
			}
			return cmp.Compare(x.Email, y.Email)
		})
		m[a.path] = f
	}
	return m
}

// chunks is a list that grows without moving what it holds, so that a
// long one is not copied again and again as it grows.
type chunks[T any] struct {
	c [][]T
	n int
}

const chunkSize = 1024

// add appends v and returns its index.
func (l *chunks[T]) add(v T) int32 {
	if l.n%chunkSize == 0 {
		l.c = append(l.c, make([]T, 0, chunkSize))
	}
	last := len(l.c) - 1
	l.c[last] = append(l.c[last], v)
	l.n++
	return int32(l.n - 1)
}

func (l *chunks[T]) at(i int32) *T { return &l.c[i/chunkSize][i%chunkSize] }

func (l *chunks[T]) len() int32 { return int32(l.n) }

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
	case strings.Contains(msg, "not a git repository"),
		strings.Contains(msg, "must be run in a work tree"):
		// Outside a repository; or in a .git folder or a bare one.
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
