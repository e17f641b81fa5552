package site

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/githistory"
	"github.com/handbook-dev/handbook/internal/page"
)

func TestForgeLinks(t *testing.T) {
	when := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	hash := "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		name                       string
		git                        Git
		rootEdit                   string
		edit, history, commit      string
		wantNoLinks, wantFromGitOK bool
	}{
		{name: "github", git: Git{Repo: "https://github.com/acme/handbook", Branch: "main"},
			edit:    "https://github.com/acme/handbook/edit/main/docs/runbooks/db%20failover.md",
			history: "https://github.com/acme/handbook/commits/main/docs/runbooks/db%20failover.md",
			commit:  "https://github.com/acme/handbook/commit/" + hash},
		{name: "gitlab self-hosted", git: Git{Repo: "https://git.example.com/platform/handbook", Host: "gitlab", Branch: "trunk"},
			edit:    "https://git.example.com/platform/handbook/-/edit/trunk/docs/runbooks/db%20failover.md",
			history: "https://git.example.com/platform/handbook/-/commits/trunk/docs/runbooks/db%20failover.md",
			commit:  "https://git.example.com/platform/handbook/-/commit/" + hash},
		{name: "codeberg", git: Git{Repo: "https://codeberg.org/acme/handbook", Branch: "main"},
			edit:    "https://codeberg.org/acme/handbook/_edit/main/docs/runbooks/db%20failover.md",
			history: "https://codeberg.org/acme/handbook/commits/branch/main/docs/runbooks/db%20failover.md",
			commit:  "https://codeberg.org/acme/handbook/commit/" + hash},
		{name: "bitbucket", git: Git{Repo: "https://bitbucket.org/acme/handbook", Branch: "main"},
			edit:    "https://bitbucket.org/acme/handbook/src/main/docs/runbooks/db%20failover.md?mode=edit",
			history: "https://bitbucket.org/acme/handbook/history-node/main/docs/runbooks/db%20failover.md",
			commit:  "https://bitbucket.org/acme/handbook/commits/" + hash},
		{name: "pattern of the site", git: Git{Repo: "https://github.com/acme/handbook", Branch: "main", Edit: "https://cms.example.com/edit?file={path}&b={branch}"},
			edit:    "https://cms.example.com/edit?file=docs/runbooks/db%20failover.md&b=main",
			history: "https://github.com/acme/handbook/commits/main/docs/runbooks/db%20failover.md",
			commit:  "https://github.com/acme/handbook/commit/" + hash},
		{name: "pattern of the root", git: Git{Repo: "https://github.com/acme/handbook", Branch: "main", Edit: "https://cms.example.com/{path}"}, rootEdit: "{repo}/blob/{branch}/{path}",
			edit:    "https://github.com/acme/handbook/blob/main/docs/runbooks/db%20failover.md",
			history: "https://github.com/acme/handbook/commits/main/docs/runbooks/db%20failover.md",
			commit:  "https://github.com/acme/handbook/commit/" + hash},
		{name: "no repository", git: Git{}, wantNoLinks: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := &Site{Config: Config{Dir: dir, Git: tc.git}}
			s.git = &gitState{branch: tc.git.Branch, hist: &githistory.History{
				Root: filepath.Dir(dir), Prefix: filepath.Base(dir) + "/",
				Files: map[string]githistory.File{},
			}}
			rp := filepath.Base(dir) + "/runbooks/db failover.md"
			tc.edit = replaceDir(tc.edit, filepath.Base(dir))
			tc.history = replaceDir(tc.history, filepath.Base(dir))
			s.git.hist.Files[rp] = githistory.File{Path: rp, Changed: when, Last: githistory.Commit{Hash: hash, Time: when, Author: "Bob"}}
			p := &Page{Page: &page.Page{Path: "runbooks/db failover.md"}, Source: filepath.Join(dir, "runbooks", "db failover.md"), Root: &Root{Edit: tc.rootEdit}}
			s.attachGit(p)
			if p.Git == nil || p.Git.RepoPath != rp || !p.Git.Changed.Equal(when) {
				t.Fatalf("Git = %+v, want the file's history at %s", p.Git, rp)
			}
			if tc.wantNoLinks {
				if p.Git.EditURL != "" || p.Git.HistoryURL != "" || p.Git.CommitURL(hash) != "" {
					t.Errorf("links without a repository: %q %q %q", p.Git.EditURL, p.Git.HistoryURL, p.Git.CommitURL(hash))
				}
				return
			}
			if p.Git.EditURL != tc.edit {
				t.Errorf("EditURL = %s\nwant       %s", p.Git.EditURL, tc.edit)
			}
			if p.Git.HistoryURL != tc.history {
				t.Errorf("HistoryURL = %s\nwant          %s", p.Git.HistoryURL, tc.history)
			}
			if got := p.Git.CommitURL(hash); got != tc.commit {
				t.Errorf("CommitURL = %s\nwant         %s", got, tc.commit)
			}
		})
	}
}

// replaceDir puts the test's folder name where the table says docs.
func replaceDir(u, dir string) string {
	if u == "" {
		return u
	}
	for i := 0; i+len("/docs/") <= len(u); i++ {
		if u[i:i+len("/docs/")] == "/docs/" {
			return u[:i] + "/" + dir + "/" + u[i+len("/docs/"):]
		}
	}
	for i := 0; i+len("=docs/") <= len(u); i++ {
		if u[i:i+len("=docs/")] == "=docs/" {
			return u[:i] + "=" + dir + "/" + u[i+len("=docs/"):]
		}
	}
	return u
}

func TestForgeOf(t *testing.T) {
	for repo, want := range map[string]string{
		"https://github.com/acme/x":               "github",
		"https://github.example.com/acme/x":       "github",
		"https://gitlab.com/acme/x":               "gitlab",
		"https://gitlab.internal.example.com/a/x": "gitlab",
		"https://bitbucket.org/acme/x":            "bitbucket",
		"https://codeberg.org/acme/x":             "gitea",
		"https://forgejo.example.com/acme/x":      "gitea",
		"https://gitea.com/acme/x":                "gitea",
		"https://git.example.com/acme/x":          "",
	} {
		if got := ForgeOf(repo); got != want {
			t.Errorf("ForgeOf(%s) = %q, want %q", repo, got, want)
		}
	}
}

func TestFilledFromGit(t *testing.T) {
	var l diag.List
	l.Errorf(diag.Position{File: "runbooks/a.md", Line: 1, Col: 1}, "required-field", "Runbook page is missing last_reviewed; add it")
	l.Errorf(diag.Position{File: "runbooks/a.md", Line: 1, Col: 1}, "required-field", "Runbook page is missing owner; add it")
	l.Errorf(diag.Position{File: "runbooks/b.md", Line: 1, Col: 1}, "required-field", "Runbook page is missing last_reviewed; add it")
	got := filledFromGit(l, map[string]bool{"runbooks/a.md": true})
	if len(got) != 2 || got[0].Message != "Runbook page is missing owner; add it" || got[1].Pos.File != "runbooks/b.md" {
		t.Errorf("filledFromGit kept %v", got)
	}
}
