// Package sources gathers folders from many git repositories into a cache,
// so that one handbook can be built from the runbooks and decision records
// that live beside each service's code (sources: in handbook.yaml). A build
// gives Sync its sources and the lock file's pins, and reads each source's
// folders from the work tree Sync hands back:
//
//	lock, err := sources.ReadLock("handbook.lock")
//	if err != nil {
//		return err // every problem at path:line:col
//	}
//	results := sources.Sync(ctx, srcs, sources.Options{
//		CacheDir: ".handbook-cache/sources",
//		Dir:      siteDir,
//		Lock:     lock,
//	})
//	for _, r := range results {
//		if r.Err != nil {
//			report(r.Err) // source "payments" (https://…): git fetch: …
//		}
//		if r.Dir != "" {
//			addRoots(r.Source, r.Dir) // r.Dir/docs/runbooks, …; r.Stale: an older copy
//		}
//	}
//	return sources.NewLock(results, lock).Write("handbook.lock")
//
// # The cache
//
// Each source has a folder of its own, <CacheDir>/<Name>, that is an
// ordinary git work tree: git log, git blame and githistory work in it. It
// is made by a partial clone with a sparse checkout:
//
//	git clone --quiet --filter=blob:none --no-checkout --sparse -c core.hooksPath=/dev/null -- <repo> <tmp>
//	git sparse-checkout set --no-cone --stdin      # /docs/runbooks/, /docs/adr/: the Paths, nothing else
//	git checkout --quiet --force --detach <commit>
//
// The clone has every commit and tree of the repository's branches (no
// --depth: page dates need the whole history) but, from a server that
// allows filters, no file contents except those of the Paths: the files the
// checkout needs, and every earlier version of the files under the Paths,
// fetched in one batch before the checkout so that
// git log -M -- <paths> (which compares old versions to find renames) works
// offline. A log of the whole repository, or of files outside the Paths,
// asks the repository for the contents it lacks; read the history of the
// Paths only. Nothing of the repository outside the Paths is in the work
// tree, not even its top-level files. A local path is cloned as git clones
// local paths, with hard links and every object (git ignores the filter);
// a file:// URL is cloned like a remote one.
//
// Beside git's own files, the .git folder of a source holds
// handbook-source.json, the state of the work tree:
//
//	{"repo": "https://github.com/acme/payments.git", "url": "…", "ref": "main",
//	 "paths": ["docs/adr", "docs/runbooks"], "commit": "8f14e45f…"}
//
// It is written last, after the checkout, and removed before the work tree
// is changed, so a work tree without it (an interrupted run) is never
// trusted: the next run clones the source again. A clone is made in a
// folder named .<name>+tmp… in CacheDir and renamed into place only when it
// is complete; left-over folders of that form are removed. One Sync at a
// time may use a CacheDir.
//
// # What is fetched
//
// A source is pinned when the lock has an entry under its name with the
// same Repo and Ref, and Options.Update is not set; its commit is the pin.
// A source whose Ref is a full commit hash is pinned to that commit. When
// the cache already holds the commit with the same Repo and Paths, nothing
// is done: no git process runs, the state file and .git/HEAD are read. So a
// build with a lock file contacts no repository once the cache is warm.
//
// Any other source is asked for its Ref's commit with one git ls-remote
// (branches are preferred to tags of the same name; a tag is peeled to its
// commit; "" asks for the repository's HEAD, its default branch). When the
// cache holds that commit, nothing more is done; otherwise the commit is
// fetched (git fetch origin <commit>, or every branch and tag from a server
// that does not give commits by hash) and checked out. A second build in
// which one of 200 repositories has moved fetches that one.
//
// A change of Repo clones the source again; a change of Paths
// re-configures the sparse checkout in place. Update ignores the pins and
// moves every source to the newest commit of its Ref.
//
// # Offline
//
// With Options.Offline no git process may contact a repository: every git
// command runs with protocol.allow=never, and no ls-remote, fetch or clone
// is started. A pinned source must be in the cache at its pin (or have its
// commit in the cache's objects); a source that is not pinned takes the
// commit cached for the same Ref. Anything else is an error that says
// what the source is pinned to and what the cache holds.
//
// # Errors
//
// Sync does not stop at a failing source: every Result says how its source
// fared. Err is an *Error, which names the source and its repository
// (credentials in a URL are hidden) and wraps the cause:
//
//	source "payments" (https://github.com/acme/payments.git): git fetch: repository 'https://github.com/acme/payments.git/' not found
//	source "ledger" (/src/ledger): ref "v9" not found: no branch or tag of that name
//	source "search" (git@github.com:acme/search.git): offline: pinned to 8f14e45fceea, and the cache is at 1f0e3dad9990 (ref "main"; paths docs)
//
// The cause is a *GitError (the git command and the first line of what it
// said), or matches ErrInvalid, ErrNotFound or ErrOffline. When a source
// cannot be brought to its commit (a fetch fails, or offline the cache is
// elsewhere), the last good copy of the source (same Repo and Paths) is kept:
// the Result has Stale set, Dir and Commit are that copy's, and the build
// can go on with it. Without a last good copy Dir is "".
//
// Sync needs git 2.35 or newer (sparse-checkout set --no-cone).
//
// # Safety
//
// git runs with GIT_TERMINAL_PROMPT=0 and GCM_INTERACTIVE=never and, on
// Unix, in a session of its own without a terminal, so that a private
// repository without credentials fails instead of waiting for a password
// (credential helpers and SSH agents still work). protocol.file.allow=always
// is given for local paths and file:// URLs only. Hooks never run
// (core.hooksPath=/dev/null), whatever the user's configuration says.
// Variables that point git at another repository (GIT_DIR and the like, set
// when handbook runs from a git hook) are removed from its environment.
// gc runs in the foreground, so no git process outlives Sync.
// Names, paths, refs and URLs are checked before git sees them: Paths
// must be folders inside the repository (not absolute, no "..", no
// backslash), and nothing may start with "-". Canceling the context kills
// the git processes (their whole process group on Unix) and removes a
// clone being made.
//
// # Lock file
//
// The lock file (handbook.lock) pins every source to a commit, so that
// every build, on any machine, takes the same commits. Write makes it
// sorted by name, one field a line, atomically:
//
//	# Generated by handbook: the commit each source is built from.
//	# Commit this file. `handbook sources update` moves the pins.
//	sources:
//	  ledger:
//	    repo: ../ledger
//	    commit: 1f0e3dad99908345f7439f8ffabdffc4e5f60718
//	  payments:
//	    repo: https://github.com/acme/payments.git
//	    ref: main
//	    commit: 8f14e45fceea167a5a36dedd4bea2543a1b2c3d4
//
// ref is left out for the default branch. A local path is kept as written,
// relative to Options.Dir, so the lock is the same on every machine.
// NewLock makes the lock of a Sync: a source that failed keeps its old
// pin. ReadLock reports every problem of a broken lock file at
// path:line:col.
package sources

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/fastfile"
)

// Source is one repository to take folders from.
type Source struct {
	// Name is unique among the sources: lower-case letters, digits, '.',
	// '_' and '-', starting with a letter or digit. It names the cache
	// folder and starts positions.
	Name string
	// Repo is a git URL (https://, ssh://, git@host:path, file://) or a
	// local path: absolute, or relative to Options.Dir.
	Repo string
	// Ref is a branch, a tag or a full commit hash; "" is the repository's
	// default branch (its HEAD).
	Ref string
	// Paths are the folders taken from the repository, slash-separated,
	// like "docs/runbooks"; at least one.
	Paths []string
}

// Pin is the commit a source was taken at, with the Repo and Ref it was
// resolved from.
type Pin struct {
	Repo, Ref, Commit string
}

// Options say where the cache is and how much Sync may do.
type Options struct {
	// CacheDir holds a folder per source, e.g.
	// <site>/.handbook-cache/sources.
	CacheDir string
	// Dir is the folder a relative local Repo is relative to (the site
	// folder); "" is the current directory.
	Dir string
	// Offline forbids contacting any repository: the cache is used as it
	// is, and a source not cached at its pin is an error.
	Offline bool
	// Update ignores the pins of Lock and moves each source to the newest
	// commit of its Ref.
	Update bool
	// Jobs is how many sources are brought up to date at once; 0 is 8.
	Jobs int
	// Lock holds the pins; nil is none.
	Lock *Lock
}

// Result is how one source fared.
type Result struct {
	Source Source
	// Commit is the commit whose files are in Dir.
	Commit string
	// Dir is a git work tree holding the source's Paths at their paths in
	// the repository, checked out at Commit, and nothing else of the
	// repository; "" when the source is missing.
	Dir string
	// Fetched is set when objects were downloaded from the repository
	// this run (a clone, or a fetch of commits or file contents).
	Fetched bool
	// Stale is set when the source could not be brought to its commit and
	// Dir is the last good copy; Err says why.
	Stale bool
	// Err is why the source could not be brought to its pin or ref, an
	// *Error; nil when Dir is at the commit asked for.
	Err error
}

// Pin returns the pin of r's commit.
func (r Result) Pin() Pin {
	return Pin{Repo: r.Source.Repo, Ref: r.Source.Ref, Commit: r.Commit}
}

var (
	// ErrInvalid is a source whose name, repository, ref or paths cannot
	// be used.
	ErrInvalid = errors.New("invalid source")
	// ErrNotFound is a ref or a commit the repository does not have.
	ErrNotFound = errors.New("not found")
	// ErrOffline is a source the cache cannot give without contacting
	// its repository.
	ErrOffline = errors.New("offline")
)

// Error is why a source could not be brought to its commit.
type Error struct {
	Name string // the source's Name
	Repo string // its Repo, with any credentials hidden
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("source %q (%s): %v", e.Name, e.Repo, e.Err) }

func (e *Error) Unwrap() error { return e.Err }

// kindError is an error with its own message that matches a sentinel.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }

func (e *kindError) Unwrap() error { return e.kind }

func errorf(kind error, format string, args ...any) error {
	return &kindError{kind, fmt.Sprintf(format, args...)}
}

// Sync brings every source's cache folder to its commit, Jobs at a time,
// and returns one Result per source, in the order of srcs.
func Sync(ctx context.Context, srcs []Source, opts Options) []Result {
	results := make([]Result, len(srcs))
	if len(srcs) == 0 {
		return results
	}
	s := &syncer{opts: opts}
	cache, err := filepath.Abs(opts.CacheDir)
	if err == nil && opts.CacheDir == "" {
		err = errors.New("no cache folder")
	}
	if err == nil {
		err = os.MkdirAll(cache, 0o755)
	}
	s.cache = cache
	seen := map[string]bool{}
	for i, src := range srcs {
		results[i].Source = src
		switch {
		case err != nil:
			results[i].Err = newError(src, fmt.Errorf("cache: %w", err))
		case seen[src.Name]:
			results[i].Err = newError(src, errorf(ErrInvalid, "another source has the name %q", src.Name))
		}
		seen[src.Name] = true
	}
	jobs := opts.Jobs
	if jobs <= 0 {
		jobs = 8
	}
	sem := make(chan struct{}, jobs)
	var wg sync.WaitGroup
	for i := range srcs {
		if results[i].Err != nil {
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			results[i] = s.sync(ctx, srcs[i])
		})
	}
	wg.Wait()
	return results
}

func newError(src Source, err error) *Error {
	return &Error{Name: src.Name, Repo: redact(src.Repo), Err: err}
}

// syncer brings sources up to date in one cache.
type syncer struct {
	opts  Options
	cache string // absolute
}

// spec is a checked source.
type spec struct {
	Source
	url   string   // what git is given: Repo, made absolute when a local path
	local bool     // a local path or a file:// URL: the file protocol is allowed
	path  bool     // a local path: git clones it whole, with hard links
	paths []string // the Paths, cleaned, sorted, without repeats
	dir   string   // the cache folder
}

// state is what the cache folder of a source holds; it is kept in
// .git/handbook-source.json.
type state struct {
	Repo   string   `json:"repo"`
	URL    string   `json:"url"`
	Ref    string   `json:"ref"`
	Paths  []string `json:"paths"`
	Commit string   `json:"commit"`
}

const stateFile = "handbook-source.json"

// sync brings one source to its commit.
func (s *syncer) sync(ctx context.Context, src Source) Result {
	r := Result{Source: src}
	sp, err := s.check(src)
	if err != nil {
		r.Err = newError(src, err)
		return r
	}
	g := &git{offline: s.opts.Offline, local: sp.local, secret: secretOf(sp.url)}
	st := readState(sp.dir)
	target, pinned := s.pin(src)
	if !pinned {
		switch {
		case isHash(src.Ref):
			target, pinned = strings.ToLower(src.Ref), true
		case s.opts.Offline:
			if st == nil || st.Repo != src.Repo || st.Ref != src.Ref {
				return s.fail(r, sp, errorf(ErrOffline, "offline: %s, and %s", wanted(src.Ref), describe(st, src)))
			}
			target = st.Commit
		default:
			if target, err = g.resolve(ctx, sp); err != nil {
				return s.fail(r, sp, err)
			}
		}
	}
	if st != nil && st.Repo == src.Repo && slices.Equal(st.Paths, sp.paths) && st.Commit == target {
		r.Commit, r.Dir = target, sp.dir
		return r
	}
	if st != nil && st.Repo == src.Repo {
		r.Fetched, err = s.update(ctx, g, sp, st, target, pinned)
	} else if s.opts.Offline {
		err = errorf(ErrOffline, "offline: %s, and %s", pinText(target, pinned, src.Ref), describe(st, src))
	} else {
		r.Fetched, err = s.clone(ctx, g, sp, target, pinned)
	}
	if err != nil {
		return s.fail(r, sp, err)
	}
	r.Commit, r.Dir = target, sp.dir
	return r
}

// fail returns r with err and, when the cache folder still holds a good
// copy of the source (same Repo and Paths), that copy.
func (s *syncer) fail(r Result, sp spec, err error) Result {
	r.Err = newError(sp.Source, err)
	if st := readState(sp.dir); st != nil && st.Repo == sp.Repo && slices.Equal(st.Paths, sp.paths) {
		r.Dir, r.Commit, r.Stale = sp.dir, st.Commit, true
	}
	return r
}

// pin returns the commit the lock pins src to.
func (s *syncer) pin(src Source) (string, bool) {
	if s.opts.Update || s.opts.Lock == nil {
		return "", false
	}
	p, ok := s.opts.Lock.Sources[src.Name]
	if !ok || p.Repo != src.Repo || p.Ref != src.Ref || !isHash(p.Commit) {
		return "", false
	}
	return strings.ToLower(p.Commit), true
}

// wanted says what an unpinned source asks for.
func wanted(ref string) string { return refText(ref) + " is asked for" }

func refText(ref string) string {
	if ref == "" {
		return "the default branch"
	}
	return fmt.Sprintf("ref %q", ref)
}

func pinText(commit string, pinned bool, ref string) string {
	if pinned {
		return "pinned to " + short(commit)
	}
	return wanted(ref)
}

// describe says what the cache holds of src.
func describe(st *state, src Source) string {
	switch {
	case st == nil:
		return "nothing is cached"
	case st.Repo != src.Repo:
		return fmt.Sprintf("the cache holds another repository (%s)", redact(st.Repo))
	}
	return fmt.Sprintf("the cache is at %s (%s; paths %s)", short(st.Commit), refText(st.Ref), strings.Join(st.Paths, ", "))
}

func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// update brings an existing cache folder of the same repository to target.
func (s *syncer) update(ctx context.Context, g *git, sp spec, st *state, target string, pinned bool) (fetched bool, err error) {
	if st.URL != sp.url {
		if _, err := g.run(ctx, sp.dir, nil, "remote", "set-url", "origin", sp.url); err != nil {
			return false, err
		}
	}
	if !g.hasCommit(ctx, sp.dir, target) {
		if s.opts.Offline {
			return false, errorf(ErrOffline, "offline: %s, and %s", pinText(target, pinned, sp.Ref), describe(st, sp.Source))
		}
		if err := g.fetch(ctx, sp.dir, target); err != nil {
			return false, err
		}
		fetched = true
		if !g.hasCommit(ctx, sp.dir, target) {
			return true, notFound(target, sp, pinned)
		}
	}
	samePaths := slices.Equal(st.Paths, sp.paths)
	if !sp.path && !s.opts.Offline {
		// The new paths' files at the commit checked out now, for the
		// sparse checkout, and at target.
		tips := []string{target}
		if !samePaths {
			tips = append(tips, st.Commit)
		}
		n, err := g.fetchHistory(ctx, sp.dir, tips, sp.paths)
		if err != nil {
			return fetched, err
		}
		fetched = fetched || n > 0
	}

	// The work tree changes from here: the state goes first, and comes
	// back, new or old, only when the work tree matches it.
	if err := os.Remove(statePath(sp.dir)); err != nil {
		return fetched, fmt.Errorf("cache: %w", err)
	}
	if err := g.checkout(ctx, sp.dir, sp.paths, target, !samePaths); err != nil {
		if g.checkout(ctx, sp.dir, st.Paths, st.Commit, !samePaths) == nil {
			writeState(sp.dir, st)
		}
		return fetched, err
	}
	return fetched, writeState(sp.dir, s.state(sp, target))
}

// clone makes the cache folder of a source anew, in a folder of its own
// that replaces the old one only when it is complete.
func (s *syncer) clone(ctx context.Context, g *git, sp spec, target string, pinned bool) (fetched bool, err error) {
	leftovers, _ := filepath.Glob(filepath.Join(s.cache, "."+sp.Name+"+tmp*"))
	for _, dir := range leftovers {
		os.RemoveAll(dir)
	}
	tmp, err := os.MkdirTemp(s.cache, "."+sp.Name+"+tmp")
	if err != nil {
		return false, fmt.Errorf("cache: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if _, err := g.run(ctx, s.cache, nil, "clone", "--quiet", "--filter=blob:none", "--no-checkout", "--sparse",
		"-c", "core.hooksPath=/dev/null", "--", sp.url, tmp); err != nil {
		return false, err
	}
	if !g.hasCommit(ctx, tmp, target) {
		if err := g.fetch(ctx, tmp, target); err != nil {
			return true, err
		}
		if !g.hasCommit(ctx, tmp, target) {
			return true, notFound(target, sp, pinned)
		}
	}
	if !sp.path {
		if _, err := g.fetchHistory(ctx, tmp, []string{target}, sp.paths); err != nil {
			return true, err
		}
	}
	if err := g.checkout(ctx, tmp, sp.paths, target, true); err != nil {
		return true, err
	}
	if err := writeState(tmp, s.state(sp, target)); err != nil {
		return true, err
	}
	if _, err := os.Lstat(sp.dir); err == nil {
		old := tmp + ".old"
		if err := os.Rename(sp.dir, old); err != nil {
			return true, fmt.Errorf("cache: %w", err)
		}
		if err := os.Rename(tmp, sp.dir); err != nil {
			os.Rename(old, sp.dir)
			return true, fmt.Errorf("cache: %w", err)
		}
		os.RemoveAll(old)
		return true, nil
	}
	if err := os.Rename(tmp, sp.dir); err != nil {
		return true, fmt.Errorf("cache: %w", err)
	}
	return true, nil
}

// notFound says that the repository does not have commit.
func notFound(commit string, sp spec, pinned bool) error {
	switch {
	case isHash(sp.Ref) && strings.EqualFold(sp.Ref, commit):
		return errorf(ErrNotFound, "commit %s not found in the repository", commit)
	case pinned:
		return errorf(ErrNotFound, "pinned commit %s not found in the repository (handbook sources update moves the pin)", commit)
	}
	return errorf(ErrNotFound, "commit %s of %s not found when fetched", commit, refText(sp.Ref))
}

func (s *syncer) state(sp spec, commit string) *state {
	return &state{Repo: sp.Repo, URL: sp.url, Ref: sp.Ref, Paths: sp.paths, Commit: commit}
}

func statePath(dir string) string { return filepath.Join(dir, ".git", stateFile) }

// readState returns the state of the cache folder dir; nil when it has
// none that can be trusted: no state file, or HEAD is not at its commit.
func readState(dir string) *state {
	data, err := os.ReadFile(statePath(dir))
	if err != nil {
		return nil
	}
	var st state
	if json.Unmarshal(data, &st) != nil || !isHash(st.Commit) || len(st.Paths) == 0 {
		return nil
	}
	head, err := os.ReadFile(filepath.Join(dir, ".git", "HEAD"))
	if err != nil || strings.TrimSpace(string(head)) != st.Commit {
		return nil
	}
	return &st
}

// writeState writes the state of the cache folder dir, atomically.
func writeState(dir string, st *state) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	if err := fastfile.WriteAtomic(statePath(dir), append(data, '\n')); err != nil {
		return fmt.Errorf("cache: %w", err)
	}
	return nil
}

// nameRE is what a source name may be, as handbook.yaml allows it.
var nameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// check checks src and works out how git is to be given it.
func (s *syncer) check(src Source) (spec, error) {
	sp := spec{Source: src}
	if !nameRE.MatchString(src.Name) {
		return sp, errorf(ErrInvalid, "name %q: use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit", src.Name)
	}
	sp.dir = filepath.Join(s.cache, src.Name)
	switch {
	case src.Repo == "":
		return sp, errorf(ErrInvalid, "no repository")
	case strings.HasPrefix(src.Repo, "-") || strings.ContainsFunc(src.Repo, isControl):
		return sp, errorf(ErrInvalid, "repository %q is not a git URL or a path", redact(src.Repo))
	case strings.HasPrefix(src.Ref, "-") || strings.ContainsFunc(src.Ref, isControl) || strings.ContainsAny(src.Ref, " ~^:?*[\\") || strings.Contains(src.Ref, ".."):
		return sp, errorf(ErrInvalid, "ref %q is not a branch, tag or commit name", src.Ref)
	case len(src.Paths) == 0:
		return sp, errorf(ErrInvalid, "no paths: name the folders to take from the repository")
	}
	for _, p := range src.Paths {
		clean, err := cleanPath(p)
		if err != nil {
			return sp, err
		}
		sp.paths = append(sp.paths, clean)
	}
	slices.Sort(sp.paths)
	sp.paths = slices.Compact(sp.paths)

	sp.url = src.Repo
	switch kind := repoKind(src.Repo); kind {
	case "file":
		sp.local = true
	case "path":
		sp.local, sp.path = true, true
		if !filepath.IsAbs(sp.url) {
			base, err := filepath.Abs(s.opts.Dir)
			if err != nil {
				return sp, err
			}
			sp.url = filepath.Join(base, sp.url)
		}
	}
	return sp, nil
}

// cleanPath checks that p is a folder inside a repository and returns it
// without a trailing slash.
func cleanPath(p string) (string, error) {
	q := strings.TrimSuffix(p, "/")
	if q == "" || q == "." || strings.HasPrefix(q, "/") || strings.Contains(q, "\\") || strings.ContainsFunc(q, isControl) ||
		filepath.IsAbs(q) || path.Clean(q) != q || slices.Contains(strings.Split(q, "/"), "..") || strings.HasPrefix(q, "-") {
		return "", errorf(ErrInvalid, "path %q is not a folder inside the repository; write it as docs/runbooks", p)
	}
	return q, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// repoKind says whether repo is a URL git reaches by a transport ("url"),
// a file:// URL ("file") or a local path ("path"), as git tells them
// apart: a scheme, or a colon before any slash (git@host:path), makes a
// URL; a Windows drive letter does not.
func repoKind(repo string) string {
	if i := strings.Index(repo, "://"); i > 0 {
		if strings.EqualFold(repo[:i], "file") {
			return "file"
		}
		return "url"
	}
	if filepath.IsAbs(repo) || filepath.VolumeName(repo) != "" {
		return "path"
	}
	if colon := strings.IndexByte(repo, ':'); colon > 0 && !strings.ContainsAny(repo[:colon], "/\\") {
		return "url"
	}
	return "path"
}

var (
	hashRE = regexp.MustCompile(`^([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$`)
	hexRE  = regexp.MustCompile(`^[0-9a-fA-F]{4,}$`)
)

// isHash reports whether s is a full commit hash (SHA-1 or SHA-256).
func isHash(s string) bool { return hashRE.MatchString(s) }
