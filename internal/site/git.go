package site

import (
	"bytes"
	"context"
	"encoding/gob"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/codeowners"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/fastfile"
	"github.com/handbook-dev/handbook/internal/githistory"
	"github.com/handbook-dev/handbook/internal/parallel"
)

// Git configures what a site takes from the git repository it lives in.
type Git struct {
	// Off turns git off: no dates, authors or edit links (git.history:
	// false).
	Off bool
	// Repo is the repository's web address, such as
	// https://github.com/acme/handbook, for links to commits, page
	// histories and editors; "" shows dates and authors without links.
	Repo string
	// Host is the forge the repository is on, which decides the shape of
	// those links: "github", "gitlab", "gitea" (Forgejo too) or
	// "bitbucket"; "" tells it from Repo's host name.
	Host string
	// Branch is the branch edit links open; "" means the branch checked
	// out, else "main".
	Branch string
	// Edit is the pattern of edit links, with {repo}, {branch} and {path}
	// (the file's path in the repository); "" is the forge's own. A root's
	// Edit replaces it for the pages of that root.
	Edit string
	// ReviewFromGit lets a runbook without last_reviewed count its last
	// committed change as its review (review.from_git).
	ReviewFromGit bool
	// FeedChanges writes changes.xml, an Atom feed of the pages changed
	// most recently (feed.changes).
	FeedChanges bool
}

// Forges are the values Git.Host takes.
var Forges = []string{"github", "gitlab", "gitea", "bitbucket"}

// forgePatterns are the links each forge has for a file: editing it, its
// history, and a commit.
var forgePatterns = map[string]struct{ edit, history, commit string }{
	"github":    {"{repo}/edit/{branch}/{path}", "{repo}/commits/{branch}/{path}", "{repo}/commit/{hash}"},
	"gitlab":    {"{repo}/-/edit/{branch}/{path}", "{repo}/-/commits/{branch}/{path}", "{repo}/-/commit/{hash}"},
	"gitea":     {"{repo}/_edit/{branch}/{path}", "{repo}/commits/branch/{branch}/{path}", "{repo}/commit/{hash}"},
	"bitbucket": {"{repo}/src/{branch}/{path}?mode=edit", "{repo}/history-node/{branch}/{path}", "{repo}/commits/{hash}"},
}

// ForgeOf tells the forge from a repository address's host name: "" when
// the name does not say (a company's own GitLab at git.example.com).
func ForgeOf(repo string) string {
	u, err := url.Parse(repo)
	if err != nil {
		return ""
	}
	host := strings.ToLower(u.Hostname())
	for _, f := range []struct{ word, forge string }{
		{"github", "github"}, {"gitlab", "gitlab"}, {"bitbucket", "bitbucket"},
		{"gitea", "gitea"}, {"forgejo", "gitea"}, {"codeberg", "gitea"},
	} {
		if strings.Contains(host, f.word) {
			return f.forge
		}
	}
	return ""
}

// GitInfo is what git says of a page's file.
type GitInfo struct {
	githistory.File
	// RepoPath is the file's path in its repository.
	RepoPath string
	// EditURL, HistoryURL are links to edit the file and to its whole
	// history on the forge; "" without a repository address.
	EditURL    string
	HistoryURL string
	// Owners are the file's code owners, from CODEOWNERS.
	Owners []string

	commit string // the forge's commit link pattern, or ""
}

// CommitURL is the forge's link to a commit, or "" without a repository
// address.
func (g *GitInfo) CommitURL(hash string) string {
	if g == nil || g.commit == "" {
		return ""
	}
	return strings.ReplaceAll(g.commit, "{hash}", hash)
}

// Known reports whether git knows when the file last changed.
func (g *GitInfo) Known() bool { return g != nil && !g.Changed.IsZero() }

// gitState is what a site read of its repository.
type gitState struct {
	hist   *githistory.History
	owners *codeowners.File
	branch string
	// note is said once to whoever builds: a shallow clone, a git
	// failure.
	note string
	// diags are the problems of CODEOWNERS, and of sources' histories.
	diags diag.List
	// sources are the histories of the sources' repositories, by name;
	// sourceNotes say which could not be read.
	sources     map[string]*githistory.History
	sourceNotes []string
}

// GitNote is a message about the repository for whoever runs the build,
// said once: a shallow clone's dates cannot be trusted, or git failed;
// "" when all is well.
func (s *Site) GitNote() string {
	if s.git == nil {
		return ""
	}
	return strings.Join(slices.DeleteFunc(append([]string{s.git.note}, s.git.sourceNotes...), func(n string) bool { return n == "" }), "\n")
}

// History returns the git history the site read, or nil.
func (s *Site) History() *githistory.History {
	if s.git == nil {
		return nil
	}
	return s.git.hist
}

// wantsGit reports whether a load reads git: a build always (unless
// git is off); a check only when a rule needs it.
func (c *Config) wantsGit() bool {
	if c.Git.Off {
		return false
	}
	return !c.NoHTML || c.Git.ReviewFromGit
}

// readGit reads the history of the repository holding the site, and its
// CODEOWNERS, and the history of each source's repository (roots with
// Source set), all at once. A Memo keeps them between the preview
// server's loads.
func readGit(ctx context.Context, cfg *Config, roots []*Root) *gitState {
	if m := cfg.Memo; m != nil {
		m.mu.Lock()
		g := m.git
		m.mu.Unlock()
		if g != nil {
			return g
		}
	}
	g := &gitState{}
	dirs := map[string]string{}    // a folder of each source, by name
	paths := map[string][]string{} // the folders taken from each source
	for _, r := range roots {
		if r.Source != "" {
			if dirs[r.Source] == "" {
				dirs[r.Source] = r.Dir
			}
			paths[r.Source] = append(paths[r.Source], r.RepoPath)
		}
	}
	// The sources' histories are read a few at a time, beside the site's
	// own: each is a git process or two, or none when kept (sourceHistory).
	var names []string
	for name := range dirs {
		names = append(names, name)
	}
	slices.Sort(names)
	hists := make([]*githistory.History, len(names))
	errs := make([]error, len(names))
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = parallel.Each(ctx, len(names), 4, func(i int) error {
			hists[i], errs[i] = sourceHistory(ctx, dirs[names[i]], cfg.Now, paths[names[i]])
			return nil
		})
	}()
	defer func() {
		<-done
		if len(names) > 0 {
			g.sources = map[string]*githistory.History{}
		}
		for i, name := range names {
			g.sources[name] = hists[i]
			if errs[i] != nil {
				g.sourceNotes = append(g.sourceNotes, fmt.Sprintf("source %q: its history cannot be read (%v); its pages show no dates", name, errs[i]))
			}
		}
	}()
	h, err := githistory.Read(ctx, cfg.Dir, cfg.Now)
	switch {
	case err != nil:
		g.note = "git: " + err.Error() + "; pages show no dates or authors from git"
	case h != nil:
		g.hist = h
		g.note = h.ShallowMessage()
		g.owners, g.diags = readCodeowners(cfg.Dir, h.Root)
		g.branch = cfg.Git.Branch
		if g.branch == "" && cfg.Git.Repo != "" {
			g.branch = currentBranch(ctx, h.Root)
		}
	}
	if m := cfg.Memo; m != nil && ctx.Err() == nil {
		defer func() {
			m.mu.Lock()
			m.git = g
			m.mu.Unlock()
		}()
	}
	return g
}

// readCodeowners reads the repository's CODEOWNERS, where GitHub and
// GitLab look for it; its problems are positioned as seen from the site
// folder.
func readCodeowners(dir, root string) (*codeowners.File, diag.List) {
	f, err := codeowners.Find(root)
	if err != nil || f == nil {
		return nil, nil
	}
	shown := f.Name
	if rel, err := filepath.Rel(dir, filepath.Join(root, filepath.FromSlash(f.Name))); err == nil {
		shown = filepath.ToSlash(rel)
	}
	diags := slices.Clone(f.Diags)
	for i := range diags {
		diags[i].Pos.File = shown
	}
	return f, diags
}

// currentBranch is the branch checked out in the work tree at root, or
// "main" when HEAD is detached (CI checks out commits).
func currentBranch(ctx context.Context, root string) string {
	out, err := exec.CommandContext(ctx, "git", "-C", root, "symbolic-ref", "--quiet", "--short", "HEAD").Output()
	if b := strings.TrimSpace(string(out)); err == nil && b != "" {
		return b
	}
	return "main"
}

// repoPath is the path of the file at abs in the repository of h,
// slash-separated, or "" when it is not inside.
func (s *Site) repoPath(h *githistory.History, abs string) string {
	if rel, err := filepath.Rel(s.Config.Dir, abs); err == nil && filepath.IsLocal(rel) {
		return h.Prefix + filepath.ToSlash(rel)
	}
	// A root outside the site folder, or a path through a symbolic link.
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return ""
	}
	if rel, err := filepath.Rel(h.Root, real); err == nil && filepath.IsLocal(rel) {
		return filepath.ToSlash(rel)
	}
	return ""
}

// attachGit gives the page what git says of its file, and, with
// review.from_git, a runbook without last_reviewed its last change.
func (s *Site) attachGit(p *Page) {
	g := s.git
	if g == nil {
		return
	}
	h, repo, host, branch := g.hist, s.Config.Git.Repo, s.Config.Git.Host, g.branch
	var rp string
	if r := p.Root; r != nil && r.Source != "" {
		// A page of another repository: its history and links are that
		// repository's.
		h, repo, host, branch = g.sources[r.Source], r.Repo, "", r.Branch
		if rel, err := filepath.Rel(r.Dir, p.Source); err == nil && filepath.IsLocal(rel) {
			rp = path.Join(r.RepoPath, filepath.ToSlash(rel))
		}
	} else if h != nil {
		rp = s.repoPath(h, p.Source)
	}
	if h == nil || rp == "" {
		return
	}
	f, _ := h.Lookup(rp)
	info := &GitInfo{File: f, RepoPath: rp}
	if g.owners != nil && h == g.hist {
		info.Owners = g.owners.Owners(rp)
	}
	if repo := strings.TrimSuffix(repo, "/"); repo != "" {
		forge := host
		if forge == "" {
			forge = ForgeOf(repo)
		}
		pat := forgePatterns[forge]
		edit := pat.edit
		if s.Config.Git.Edit != "" {
			edit = s.Config.Git.Edit
		}
		if p.Root != nil && p.Root.Edit != "" {
			edit = p.Root.Edit
		}
		fill := func(pattern string) string {
			if pattern == "" {
				return ""
			}
			return strings.NewReplacer("{repo}", repo, "{branch}", branch, "{path}", escapePath(rp)).Replace(pattern)
		}
		info.EditURL, info.HistoryURL = fill(edit), fill(pat.history)
		info.commit = strings.ReplaceAll(pat.commit, "{repo}", repo)
	}
	p.Git = info
	if s.Config.Git.ReviewFromGit && p.Runbook != nil && p.Runbook.LastReviewed.IsZero() && info.Known() {
		// Dates are days: the review is the day of the change. The parse
		// may be shared with a Memo or cache: the page is copied.
		t := info.Changed.UTC()
		pp, rb := *p.Page, *p.Runbook
		rb.LastReviewed = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		rb.ReviewedFromGit = true
		pp.Runbook = &rb
		p.Page = &pp
	}
}

// filledFromGit drops the required-field finding of a runbook's missing
// last_reviewed from the findings of pages that took it from git.
func filledFromGit(diags diag.List, pages map[string]bool) diag.List {
	if len(pages) == 0 {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		if d.Rule == "required-field" && pages[d.Pos.File] && strings.Contains(d.Message, "missing last_reviewed") {
			continue
		}
		out = append(out, d)
	}
	return out
}

// escapePath escapes each segment of a slash-separated path for a URL.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return path.Join(segs...)
}

// historyCache is the file, in a source's .git folder, that keeps its
// history as read at one commit.
const historyCache = "handbook-history.gob"

// sourceHistory reads the history of a source's work tree (a checkout of
// one commit that nobody edits), kept in its .git folder by commit: a
// second build of the same pin runs no git at all. dir is a folder inside
// the work tree; the work tree is the folder holding .git above it.
func sourceHistory(ctx context.Context, dir string, now time.Time, paths []string) (*githistory.History, error) {
	top := dir
	for {
		if fi, err := os.Stat(filepath.Join(top, ".git")); err == nil && fi.IsDir() {
			break
		}
		up := filepath.Dir(top)
		if up == top {
			return githistory.ReadPaths(ctx, dir, now, paths)
		}
		top = up
	}
	head, err := os.ReadFile(filepath.Join(top, ".git", "HEAD"))
	commit := strings.TrimSpace(string(head))
	if err != nil || len(commit) < 40 || strings.HasPrefix(commit, "ref:") {
		return githistory.ReadPaths(ctx, dir, now, paths)
	}
	file := filepath.Join(top, ".git", historyCache)
	type cached struct {
		Commit string
		Top    string
		Paths  []string
		H      *githistory.History
	}
	if f, err := os.Open(file); err == nil {
		var c cached
		err := gob.NewDecoder(f).Decode(&c)
		f.Close()
		if err == nil && c.Commit == commit && c.Top == top && slices.Equal(c.Paths, paths) && c.H != nil {
			if rel, err := filepath.Rel(top, dir); err == nil {
				h := *c.H
				h.Prefix = strings.TrimPrefix(filepath.ToSlash(rel)+"/", "./")
				return &h, nil
			}
		}
	}
	h, err := githistory.ReadPaths(ctx, dir, now, paths)
	if err != nil || h == nil || h.Shallow {
		return h, err
	}
	for _, f := range h.Files {
		if f.Uncommitted {
			return h, nil // edited by hand: not the commit's history
		}
	}
	var b bytes.Buffer
	if gob.NewEncoder(&b).Encode(cached{Commit: commit, Top: top, Paths: paths, H: h}) == nil {
		_ = fastfile.WriteAtomic(file, b.Bytes()) // a cache: without it, git runs again
	}
	return h, nil
}
