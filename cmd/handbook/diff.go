package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitediff"
)

type diffCommand struct{ g *globals }

var diffHelp = `Usage: handbook diff [--format text|json|markdown] [--base-url URL] [--strict]
                     [--drafts] [BASE]

Says what the work tree changes in the handbook compared with BASE, as a
reviewer of a pull request wants to know it:

  - the pages added, removed, renamed and changed, by title and URL, with
    the front-matter fields and the sections (by heading) that changed;
  - the links the change breaks in pages it did not touch, such as those
    to a heading it renamed, page by page;
  - the findings of check that BASE does not have, and how many of its
    findings are fixed.

BASE is a git revision, compared from its merge base with HEAD, as a pull
request is. Without it, the default branch: origin/HEAD, origin/main,
origin/master, main or master, the first that exists. The work tree is
compared as it is, uncommitted and untracked files included. BASE is read
from git into a temporary folder, with its own handbook.yaml; the work
tree and the index are not touched.

--format markdown writes a comment for the pull request. With --base-url,
the pages link to their previews there: the site built with build
--base-url, such as https://preview.example.com/pr-12/.

Exit code 1 when there are new errors (with --strict, new warnings too),
2 on a wrong flag, an unreadable handbook.yaml, or a BASE git does not
know (or no git repository, or one without commits).`

// diffFlags are diff's flags, parsed.
type diffFlags struct {
	format, baseURL string
	strict, drafts  bool
	base            string
}

func (c *diffCommand) Run(ctx context.Context, args []string) error {
	f, err := c.parse(args)
	if err != nil {
		return err
	}
	cfg, _, err := readConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	cfg.Drafts = f.drafts
	// The base is read out of git into a folder without history, so
	// neither side takes review dates from git: the same runbooks miss
	// last_reviewed on both, and no finding is new or fixed by it.
	cfg.Git.ReviewFromGit = false
	repo, err := openRepo(cfg.Dir)
	if err != nil {
		return err
	}
	name, commit, err := repo.base(f.base)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The head loads while the base is read out of git.
	var (
		head    *build.Result
		headErr error
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		hc := cfg
		hc.CacheDir = filepath.Join(cfg.Dir, filepath.FromSlash(checkCache))
		head, headErr = build.Run(ctx, build.Options{Site: hc, Skip: build.Render | build.Search})
	}()
	base, baseDir, cleanup, err := c.loadBase(ctx, repo, commit, cfg)
	if cleanup != nil {
		defer cleanup()
	}
	if err != nil {
		cancel()
	}
	wg.Wait()
	if err != nil {
		return err
	}
	if headErr != nil {
		return headErr
	}
	renames, err := repo.renames(commit, cfg.Dir)
	if err != nil {
		return err
	}
	r := sitediff.Compare(
		sitediff.Side{Site: base.Site, Diags: base.Diags},
		sitediff.Side{Site: head.Site, Diags: head.Diags},
		sitediff.Options{Renames: renames, BasePath: func(file string) string {
			// A file outside the site folder, named by its absolute path:
			// where it is beside the work tree's site folder.
			if !filepath.IsAbs(filepath.FromSlash(file)) {
				return file
			}
			rel, err := filepath.Rel(baseDir, filepath.FromSlash(file))
			if err != nil {
				return file
			}
			return filepath.ToSlash(filepath.Join(cfg.Dir, rel))
		}},
	)
	meta := sitediff.Meta{Base: name, Commit: commit, PreviewURL: f.baseURL}
	if err := sitediff.Write(c.g.stdout, f.format, r, meta); err != nil {
		return err
	}
	if r.Count(diag.Error) > 0 || f.strict && r.Count(diag.Warning) > 0 {
		return errProblems
	}
	return nil
}

// parse parses diff's flags and its BASE, which may come before or among
// the flags.
func (c *diffCommand) parse(args []string) (*diffFlags, error) {
	f := &diffFlags{}
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.StringVar(&f.format, "format", "text", "output `format`: "+strings.Join(sitediff.Formats, ", "))
	fs.StringVar(&f.baseURL, "base-url", "", "link pages to their previews under `URL`, where the pull request's site is built")
	fs.BoolVar(&f.strict, "strict", false, "fail on new warnings too")
	fs.BoolVar(&f.drafts, "drafts", false, "compare pages marked draft as published")
	flags, pos := splitArgs(args, func(name string) bool {
		if name == "C" || name == "config" {
			return true
		}
		fl := fs.Lookup(name)
		if fl == nil {
			return false
		}
		b, ok := fl.Value.(interface{ IsBoolFlag() bool })
		return !ok || !b.IsBoolFlag()
	})
	if err := parseFlags(fs, c.g, flags, diffHelp); err != nil {
		return nil, err
	}
	if len(pos) > 1 {
		return nil, usagef("unexpected argument %q; give one BASE (see handbook diff -h)", pos[1])
	}
	if len(pos) == 1 {
		f.base = pos[0]
		if f.base == "" || strings.HasPrefix(f.base, "-") {
			return nil, usagef("BASE %q is not a revision (see handbook diff -h)", f.base)
		}
	}
	if !slices.Contains(sitediff.Formats, f.format) {
		return nil, usagef("unknown format %q; use one of %s", f.format, strings.Join(sitediff.Formats, ", "))
	}
	if f.baseURL != "" && !strings.HasPrefix(f.baseURL, "https://") && !strings.HasPrefix(f.baseURL, "http://") && !strings.HasPrefix(f.baseURL, "/") {
		return nil, usagef("--base-url %q is not an address; write it as https://preview.example.com/pr-12/", f.baseURL)
	}
	return f, nil
}

// splitArgs separates the flags of args from the arguments among them;
// takesValue tells the flags (by name) that take the next argument as
// their value.
func splitArgs(args []string, takesValue func(name string) bool) (flags, pos []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return flags, append(pos, args[i+1:]...)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			if !strings.Contains(name, "=") && takesValue(name) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			pos = append(pos, a)
		}
	}
	return flags, pos
}

// loadBase reads the site folder as it is in commit into a temporary
// folder and loads it, as check would, with the configuration it has
// there; cleanup removes the folder. dir is the base's site folder.
func (c *diffCommand) loadBase(ctx context.Context, repo *gitRepo, commit string, head site.Config) (res *build.Result, dir string, cleanup func(), err error) {
	tmp, err := os.MkdirTemp("", "handbook-diff-")
	if err != nil {
		return nil, "", nil, fmt.Errorf("base: %w", err)
	}
	cleanup = func() { os.RemoveAll(tmp) }
	// The base's folder stands for the repository, so that links from its
	// root ("/docs/x.md") resolve as in the work tree.
	if err := os.Mkdir(filepath.Join(tmp, ".git"), 0o755); err != nil {
		return nil, "", cleanup, fmt.Errorf("base: %w", err)
	}
	dir = filepath.Join(tmp, filepath.FromSlash(repo.prefix))
	paths := []string{strings.TrimSuffix(repo.prefix, "/")}
	// A configuration file named with --config outside the site folder.
	cfgFile := ""
	if c.g.config != "" {
		abs := c.g.config
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(head.Dir, abs)
		}
		if rel, err := filepath.Rel(head.Dir, abs); err == nil {
			top := filepath.ToSlash(filepath.Join(repo.prefix, rel))
			if filepath.IsLocal(top) {
				cfgFile = filepath.Join(tmp, filepath.FromSlash(top))
				if !strings.HasPrefix(top, repo.prefix) {
					paths = append(paths, top)
				}
			}
		}
	}
	if repo.prefix != "" {
		// The files at the top of the repository, such as README.md, which
		// pages link to from the root ("/README.md").
		top, err := repo.topFiles(commit)
		if err != nil {
			return nil, "", cleanup, fmt.Errorf("base: %w", err)
		}
		paths = append(paths, top...)
	}
	if err := repo.extract(ctx, commit, paths, tmp); err != nil {
		return nil, "", cleanup, fmt.Errorf("base: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, "", cleanup, fmt.Errorf("base: %w", err)
	}
	cfg, err := c.baseConfig(dir, cfgFile, tmp)
	if err != nil {
		return nil, "", cleanup, err
	}
	// Content roots outside the site folder, inside the repository.
	var more []string
	for _, r := range cfg.Roots {
		rel, err := filepath.Rel(tmp, cfg.RootDir(r))
		if err != nil || !filepath.IsLocal(rel) {
			continue
		}
		if in, err := filepath.Rel(dir, cfg.RootDir(r)); err == nil && filepath.IsLocal(in) {
			continue
		}
		more = append(more, filepath.ToSlash(rel))
	}
	if len(more) > 0 {
		if err := repo.extract(ctx, commit, more, tmp); err != nil {
			return nil, "", cleanup, fmt.Errorf("base: %w", err)
		}
	}
	cfg.Now, cfg.Drafts, cfg.CacheDir = head.Now, head.Drafts, ""
	cfg.Git = site.Git{Off: true}
	res, err = build.Run(ctx, build.Options{Site: cfg, Skip: build.Render | build.Search})
	if err != nil {
		return nil, "", cleanup, fmt.Errorf("base %s: %w", short(commit), err)
	}
	return res, dir, cleanup, nil
}

// baseConfig reads the configuration of the base's site folder dir: from
// file when it is set (--config), else its handbook.yaml. A base without
// one, or with one this handbook cannot use, is read with the defaults.
func (c *diffCommand) baseConfig(dir, file, tmp string) (site.Config, error) {
	if file != "" {
		if _, err := os.Stat(file); err != nil {
			file = filepath.Join(tmp, "empty.yaml")
			if err := os.WriteFile(file, nil, 0o644); err != nil {
				return site.Config{}, fmt.Errorf("base: %w", err)
			}
		}
	}
	cfg, _, err := readConfig(dir, file)
	var ce *configError
	if errors.As(err, &ce) {
		if !c.g.quiet {
			fmt.Fprintf(c.g.stderr, "handbook diff: the base's %s cannot be used (%s); the base is read with the default configuration\n", ce.file, plural(len(ce.diags), "error"))
		}
		empty := filepath.Join(tmp, "empty.yaml")
		if err := os.WriteFile(empty, nil, 0o644); err != nil {
			return site.Config{}, fmt.Errorf("base: %w", err)
		}
		cfg, _, err = readConfig(dir, empty)
	}
	return cfg, err
}

// short is the first 12 digits of a commit hash.
func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// runGit runs git in dir and returns what it prints. Its error says the
// command and what git said. It takes no optional lock, so that it never
// writes the index of the work tree it looks at.
func runGit(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return "", fmt.Errorf("git %s: %s", strings.Join(args, " "), strings.TrimSpace(stderr.String()))
		}
		return "", fmt.Errorf("git: %v", err)
	}
	return string(out), nil
}

// gitRepo is the git repository holding a site folder.
type gitRepo struct {
	// top is the top of its work tree; prefix the site folder's path in
	// it, slash-separated and ending in a slash ("docs/"), or "" at the
	// top.
	top, prefix string
}

// openRepo finds the repository of the site folder dir, which must have
// a commit.
func openRepo(dir string) (*gitRepo, error) {
	if _, err := exec.LookPath("git"); err != nil {
		return nil, usagef("git is not installed; diff reads BASE with git")
	}
	top, err := runGit(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, usagef("%s is not in a git repository (or its work tree)", dir)
	}
	prefix, err := runGit(dir, "rev-parse", "--show-prefix")
	if err != nil {
		return nil, usagef("%v", err)
	}
	r := &gitRepo{top: strings.TrimRight(top, "\r\n"), prefix: strings.TrimRight(prefix, "\r\n")}
	if _, err := runGit(r.top, "rev-parse", "--verify", "--quiet", "HEAD^{commit}"); err != nil {
		return nil, usagef("the repository has no commits yet; there is nothing to compare with")
	}
	return r, nil
}

// topFiles lists the files at the top of the repository in commit.
func (r *gitRepo) topFiles(commit string) ([]string, error) {
	out, err := runGit(r.top, "ls-tree", "-z", "--full-tree", commit)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, rec := range strings.Split(out, "\x00") {
		meta, name, ok := strings.Cut(rec, "\t")
		if f := strings.Fields(meta); ok && len(f) == 3 && f[1] == "blob" {
			files = append(files, name)
		}
	}
	return files, nil
}

// defaultBranches are where diff looks for the default branch, after
// origin/HEAD.
var defaultBranches = []string{"origin/main", "origin/master", "main", "master"}

// base resolves BASE (the default branch when it is "") into the name to
// show and the commit to read: its merge base with HEAD.
func (r *gitRepo) base(name string) (string, string, error) {
	if name == "" {
		candidates := defaultBranches
		if out, err := runGit(r.top, "symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"); err == nil {
			candidates = append([]string{strings.TrimSpace(out)}, candidates...)
		}
		for _, c := range candidates {
			if _, err := runGit(r.top, "rev-parse", "--verify", "--quiet", c+"^{commit}"); err == nil {
				name = c
				break
			}
		}
		if name == "" {
			return "", "", usagef("no default branch to compare with (none of origin/HEAD, %s exists); name BASE", strings.Join(defaultBranches, ", "))
		}
	} else if _, err := runGit(r.top, "rev-parse", "--verify", "--quiet", name+"^{commit}"); err != nil {
		return "", "", usagef("unknown revision %q: git knows no such branch, tag or commit%s", name, r.shallowHint())
	}
	commit, err := mergeBase(r.top, name)
	if err != nil {
		return "", "", usagef("%s and HEAD have no common ancestor%s", name, r.shallowHint())
	}
	return name, commit, nil
}

// shallowHint says what to do in a shallow clone, whose history may not
// reach BASE.
func (r *gitRepo) shallowHint() string {
	if out, err := runGit(r.top, "rev-parse", "--is-shallow-repository"); err == nil && strings.TrimSpace(out) == "true" {
		return "; this clone is shallow: fetch the whole history (actions/checkout with fetch-depth: 0)"
	}
	return ""
}

// mergeBase returns the merge base of ref and HEAD in the repository of
// dir: where a pull request from HEAD into ref starts.
func mergeBase(dir, ref string) (string, error) {
	out, err := runGit(dir, "merge-base", ref, "HEAD")
	if err != nil {
		return "", err
	}
	return strings.TrimSpace(out), nil
}

// extract writes the files under paths (slash-separated, from the top of
// the repository; "" for all) as they are in commit into dst, at their
// paths in the repository. Symbolic links are kept when they point inside
// dst; submodules are left out.
func (r *gitRepo) extract(ctx context.Context, commit string, paths []string, dst string) error {
	args := []string{"-C", r.top, "--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit}
	var specs []string
	for _, p := range paths {
		if p == "" {
			specs = nil
			break
		}
		specs = append(specs, p)
	}
	if len(specs) > 0 {
		args = append(append(args, "--"), specs...)
	}
	ls := exec.CommandContext(ctx, "git", args...)
	ls.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	var stderr bytes.Buffer
	ls.Stderr = &stderr
	out, err := ls.Output()
	if err != nil {
		return fmt.Errorf("git ls-tree %s: %v %s", short(commit), err, strings.TrimSpace(stderr.String()))
	}
	type entry struct {
		mode, oid, path string
	}
	var entries []entry
	for _, rec := range bytes.Split(out, []byte{0}) {
		meta, name, ok := bytes.Cut(rec, []byte{'\t'})
		if !ok {
			continue
		}
		f := strings.Fields(string(meta))
		if len(f) != 3 || f[1] != "blob" {
			continue // a submodule
		}
		p := string(name)
		if !filepath.IsLocal(filepath.FromSlash(p)) {
			continue
		}
		entries = append(entries, entry{f[0], f[2], p})
	}
	if len(entries) == 0 {
		return nil
	}
	// Files are written on several cores while git reads the next ones:
	// creating files is most of the time taken.
	type job struct {
		e    entry
		data []byte
	}
	jobs := make(chan job, 64)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for range max(1, min(4, runtime.GOMAXPROCS(0))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				if err := writeEntry(dst, j.e.mode, j.e.path, j.data); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	err = catFiles(ctx, r.top, len(entries), func(i int) string { return entries[i].oid }, func(i int, size int64, body io.Reader) error {
		if size > 1<<20 && entries[i].mode != "120000" {
			// A large file (an image, a video) goes straight to disk.
			return copyEntry(dst, entries[i].mode, entries[i].path, body)
		}
		data := make([]byte, size)
		if _, err := io.ReadFull(body, data); err != nil {
			return err
		}
		jobs <- job{entries[i], data}
		return nil
	})
	close(jobs)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	return err
}

// writeEntry writes the file of mode (git's: 100644, 100755, 120000) at
// path (slash-separated) under dst. A symbolic link is made only when it
// points inside dst.
func writeEntry(dst, mode, path string, data []byte) error {
	name := filepath.Join(dst, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	if mode == "120000" {
		t := filepath.FromSlash(string(data))
		if filepath.IsAbs(t) {
			return nil
		}
		rel, err := filepath.Rel(dst, filepath.Join(filepath.Dir(name), t))
		if err != nil || !filepath.IsLocal(rel) {
			return nil // pointing outside: left out
		}
		// A link that cannot be made (Windows without the privilege) is
		// left out, as one pointing outside is.
		_ = os.Symlink(t, name)
		return nil
	}
	return os.WriteFile(name, data, filePerm(mode))
}

// copyEntry writes the regular file of mode at path under dst from r.
func copyEntry(dst, mode, path string, r io.Reader) error {
	name := filepath.Join(dst, filepath.FromSlash(path))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	w, err := os.OpenFile(name, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, filePerm(mode))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// filePerm is the permission of a file of git's mode.
func filePerm(mode string) fs.FileMode {
	if mode == "100755" {
		return 0o755
	}
	return 0o644
}

// catFiles reads n blobs with one git cat-file --batch, handing each to
// write in order.
func catFiles(ctx context.Context, dir string, n int, oid func(int) string, write func(i int, size int64, body io.Reader) error) error {
	cmd := exec.CommandContext(ctx, "git", "-C", dir, "cat-file", "--batch")
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git cat-file: %w", err)
	}
	go func() {
		w := bufio.NewWriter(stdin)
		for i := 0; i < n; i++ {
			if _, err := w.WriteString(oid(i) + "\n"); err != nil {
				break
			}
		}
		w.Flush()
		stdin.Close()
	}()
	rd := bufio.NewReaderSize(stdout, 64<<10)
	err = func() error {
		for i := 0; i < n; i++ {
			header, err := rd.ReadString('\n')
			if err != nil {
				return fmt.Errorf("git cat-file: %w", err)
			}
			f := strings.Fields(header)
			if len(f) != 3 {
				return fmt.Errorf("git cat-file: %s", strings.TrimSpace(header))
			}
			size, err := strconv.ParseInt(f[2], 10, 64)
			if err != nil {
				return fmt.Errorf("git cat-file: %s", strings.TrimSpace(header))
			}
			body := io.LimitReader(rd, size)
			if err := write(i, size, body); err != nil {
				return err
			}
			if _, err := io.Copy(io.Discard, body); err != nil { // what write left
				return err
			}
			if _, err := rd.Discard(1); err != nil { // the newline after the body
				return fmt.Errorf("git cat-file: %w", err)
			}
		}
		return nil
	}()
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return err
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git cat-file: %v %s", err, strings.TrimSpace(stderr.String()))
	}
	return nil
}

// renames returns the files git sees renamed between commit and the work
// tree, by their paths in the site folder dir as pages name them.
func (r *gitRepo) renames(commit, dir string) (map[string]string, error) {
	out, err := runGit(r.top, "diff", "-M", "--name-status", "-z", commit)
	if err != nil {
		return nil, err
	}
	up := strings.Repeat("../", strings.Count(r.prefix, "/"))
	named := func(p string) string {
		if rest, ok := strings.CutPrefix(p, r.prefix); ok {
			return rest
		}
		return filepath.ToSlash(filepath.Join(dir, filepath.FromSlash(up+p)))
	}
	renames := map[string]string{}
	f := strings.Split(out, "\x00")
	for i := 0; i < len(f); i++ {
		status := f[i]
		switch {
		case status == "":
		case status[0] == 'R' || status[0] == 'C':
			if i+2 < len(f) && status[0] == 'R' {
				renames[named(f[i+1])] = named(f[i+2])
			}
			i += 2
		default:
			i++
		}
	}
	return renames, nil
}
