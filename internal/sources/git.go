package sources

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// GitError is a git command that failed.
type GitError struct {
	// Command is the git subcommand: "clone", "fetch", "ls-remote", ….
	Command string
	// Message is the first line of what git said about it, without
	// "fatal: "; "" when it said nothing.
	Message string
	// Err is the *exec.ExitError, or the context's error when the
	// context ended.
	Err error
}

func (e *GitError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("git %s: %v", e.Command, e.Err)
	}
	return fmt.Sprintf("git %s: %s", e.Command, e.Message)
}

func (e *GitError) Unwrap() error { return e.Err }

// git runs git for one source.
type git struct {
	offline bool   // no transport at all
	local   bool   // the file transport is allowed
	secret  string // the source's URL when it holds credentials, hidden in messages
}

// traceGit, when set (by tests), is called with the arguments of every git
// command before it starts.
var traceGit func(args []string)

var gitPath = sync.OnceValues(func() (string, error) { return exec.LookPath("git") })

// environ is the environment git runs in: the process's, without the
// variables that point git at another repository (set when handbook runs
// from a git hook), and without prompts.
func environ() []string {
	drop := map[string]bool{}
	for _, k := range strings.Fields(`GIT_DIR GIT_WORK_TREE GIT_IMPLICIT_WORK_TREE GIT_INDEX_FILE
		GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_COMMON_DIR GIT_GRAFT_FILE
		GIT_SHALLOW_FILE GIT_PREFIX GIT_NAMESPACE GIT_NO_REPLACE_OBJECTS GIT_REPLACE_REF_BASE
		GIT_INTERNAL_SUPER_PREFIX GIT_QUARANTINE_PATH`) {
		drop[k] = true
	}
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if !drop[k] {
			env = append(env, kv)
		}
	}
	return append(env,
		"LC_ALL=C", "LANGUAGE=C", // messages in English, to tell errors apart
		"GIT_TERMINAL_PROMPT=0", "GCM_INTERACTIVE=never", "SSH_ASKPASS_REQUIRE=never")
}

// noNet are the settings that stop git from using any transport, the
// lazy fetches of a partial clone included; per protocol as well, since a
// protocol's own setting outranks protocol.allow.
var noNet = []string{
	"-c", "protocol.allow=never", "-c", "protocol.file.allow=never", "-c", "protocol.git.allow=never",
	"-c", "protocol.ssh.allow=never", "-c", "protocol.http.allow=never", "-c", "protocol.https.allow=never",
	"-c", "protocol.ext.allow=never",
}

// run runs git in dir ("" for the current folder) and returns its
// standard output.
func (g *git) run(ctx context.Context, dir string, stdin io.Reader, args ...string) ([]byte, error) {
	return g.exec(ctx, dir, g.offline, stdin, args)
}

// exec runs git; with offline, no transport is allowed.
func (g *git) exec(ctx context.Context, dir string, offline bool, stdin io.Reader, args []string) ([]byte, error) {
	bin, err := gitPath()
	if err != nil {
		return nil, fmt.Errorf("git is needed for sources: %w", err)
	}
	var full []string
	if dir != "" {
		full = append(full, "-C", dir)
	}
	// No hooks; no process that outlives the command (a cancel must
	// stop everything git started).
	full = append(full, "-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false",
		"-c", "gc.autoDetach=false", "-c", "maintenance.autoDetach=false")
	switch {
	case offline:
		full = append(full, noNet...)
	case g.local:
		full = append(full, "-c", "protocol.file.allow=always")
	}
	full = append(full, args...)
	if traceGit != nil {
		traceGit(full)
	}
	cmd := exec.CommandContext(ctx, bin, full...)
	cmd.Env = environ()
	cmd.Stdin = stdin
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 2 * time.Second
	detach(cmd)
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			err = ctx.Err()
		}
		return nil, &GitError{Command: subcommand(args), Message: g.hide(firstLine(stderr.String())), Err: err}
	}
	return stdout.Bytes(), nil
}

// hide hides the credentials of the source's URL in msg.
func (g *git) hide(msg string) string {
	if g.secret == "" {
		return msg
	}
	return strings.ReplaceAll(msg, g.secret, redact(g.secret))
}

// firstLine is the line of git's standard error that says what went
// wrong: the first "fatal:" or "error:" line, else the first line that is
// not a warning or a hint.
func firstLine(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, l := range lines {
		for _, p := range []string{"fatal: ", "error: "} {
			if rest, ok := strings.CutPrefix(l, p); ok {
				return strings.TrimSpace(rest)
			}
		}
	}
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "warning: ") && !strings.HasPrefix(l, "hint: ") {
			return l
		}
	}
	return ""
}

// subcommand is the first argument that is not an option.
func subcommand(args []string) string {
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-c" || a == "-C":
			i++
		case !strings.HasPrefix(a, "-"):
			return a
		}
	}
	return "git"
}

// resolve asks the repository for the commit of the source's Ref, with
// one git ls-remote: a branch before a tag of the same name, a tag peeled
// to its commit, and the repository's HEAD for "".
func (g *git) resolve(ctx context.Context, sp spec) (string, error) {
	patterns := []string{"HEAD"}
	if sp.Ref != "" {
		patterns = []string{sp.Ref, sp.Ref + "^{}"}
	}
	out, err := g.run(ctx, "", nil, append([]string{"ls-remote", "--", sp.url}, patterns...)...)
	if err != nil {
		return "", err
	}
	refs := map[string]string{}
	for line := range strings.Lines(string(out)) {
		hash, name, ok := strings.Cut(strings.TrimSpace(line), "\t")
		if ok && isHash(hash) {
			refs[name] = strings.ToLower(hash)
		}
	}
	var names []string
	switch {
	case sp.Ref == "":
		names = []string{"HEAD"}
	case strings.HasPrefix(sp.Ref, "refs/"):
		names = []string{sp.Ref}
	default:
		names = []string{"refs/heads/" + sp.Ref, "refs/tags/" + sp.Ref}
	}
	for _, n := range names {
		if h, ok := refs[n+"^{}"]; ok {
			return h, nil
		}
		if h, ok := refs[n]; ok {
			return h, nil
		}
	}
	switch {
	case sp.Ref == "":
		return "", errorf(ErrNotFound, "the repository has no default branch (HEAD); give a ref")
	case hexRE.MatchString(sp.Ref):
		return "", errorf(ErrNotFound, "ref %q not found: no branch or tag of that name (a commit is given by its full hash)", sp.Ref)
	}
	return "", errorf(ErrNotFound, "ref %q not found: no branch or tag of that name", sp.Ref)
}

// hasCommit reports whether the repository in dir has the commit. It
// never fetches it: in a partial clone, git would.
func (g *git) hasCommit(ctx context.Context, dir, commit string) bool {
	_, err := g.exec(ctx, dir, true, nil, []string{"cat-file", "-e", commit + "^{commit}"})
	return err == nil
}

// fetch fetches a commit and its history (without file contents in a
// partial clone). A server that does not give commits by hash gives
// every branch and tag instead, which may hold it.
func (g *git) fetch(ctx context.Context, dir, commit string) error {
	_, err := g.run(ctx, dir, nil, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "origin", commit)
	var ge *GitError
	if err != nil && errors.As(err, &ge) && ctx.Err() == nil &&
		(strings.Contains(ge.Message, "not our ref") || strings.Contains(ge.Message, "unadvertised object") ||
			strings.Contains(ge.Message, "couldn't find remote ref")) {
		_, err = g.run(ctx, dir, nil, "fetch", "--quiet", "--tags", "origin")
	}
	return err
}

// fetchHistory fetches, in one batch, the contents a partial clone lacks
// of every version of the files under paths in the history of tips, and
// returns how many it fetched.
func (g *git) fetchHistory(ctx context.Context, dir string, tips, paths []string) (int, error) {
	args := append([]string{"rev-list", "--objects", "--missing=print"}, tips...)
	args = append(args, "--")
	for _, p := range paths {
		args = append(args, ":(literal)"+p)
	}
	out, err := g.run(ctx, dir, nil, args...)
	if err != nil {
		return 0, err
	}
	var missing []string
	for line := range strings.Lines(string(out)) {
		if oid, ok := strings.CutPrefix(strings.TrimSpace(line), "?"); ok {
			missing = append(missing, oid)
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	// What git itself runs to fetch what a partial clone lacks.
	_, err = g.run(ctx, dir, strings.NewReader(strings.Join(missing, "\n")+"\n"),
		"-c", "fetch.negotiationAlgorithm=noop", "fetch", "--quiet", "--no-tags", "--no-write-fetch-head",
		"--recurse-submodules=no", "--filter=blob:none", "--stdin", "origin")
	if err != nil {
		return 0, err
	}
	return len(missing), nil
}

// checkout checks out commit in dir, detached, with the sparse checkout
// set to exactly paths first when setPaths.
func (g *git) checkout(ctx context.Context, dir string, paths []string, commit string, setPaths bool) error {
	if setPaths {
		var b strings.Builder
		for _, p := range paths {
			// No trailing slash: a path may name a file (the service
			// catalog, catalog-info.yaml) as well as a folder.
			b.WriteString("/" + escapePattern(p) + "\n")
		}
		if _, err := g.run(ctx, dir, strings.NewReader(b.String()), "sparse-checkout", "set", "--no-cone", "--stdin"); err != nil {
			return err
		}
	}
	_, err := g.run(ctx, dir, nil, "checkout", "--quiet", "--force", "--detach", commit)
	return err
}

// escapePattern makes a path a sparse-checkout pattern that matches only
// itself (and, for a folder, what is inside).
func escapePattern(p string) string {
	var b strings.Builder
	for _, r := range p {
		if strings.ContainsRune(`\*?[]! #`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// redact hides the credentials in a URL: a password, or the user name of
// an http(s) URL (where it is often a token).
func redact(repo string) string {
	u, err := url.Parse(repo)
	if err != nil || u.User == nil || u.Host == "" {
		return repo
	}
	if _, ok := u.User.Password(); ok {
		return u.Redacted()
	}
	if s := strings.ToLower(u.Scheme); s == "http" || s == "https" {
		u.User = url.User("xxxxx")
		return u.String()
	}
	return repo
}

// secretOf is repo when it holds credentials, else "".
func secretOf(repo string) string {
	if redact(repo) != repo {
		return repo
	}
	return ""
}
