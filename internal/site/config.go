package site

import (
	"net/url"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/spill"
)

// Root is a content root: a folder of Markdown mounted at a URL path.
type Root struct {
	// Dir is the folder, relative to the site root or absolute.
	Dir string
	// Mount is the URL path the folder appears under, such as "/runbooks/".
	Mount string
	// Kind, if set, is the kind of every page in the root that neither its
	// front matter nor its folder names.
	Kind page.Kind
	// Edit, if set, is the pattern of the edit links of the root's pages
	// (see Git.Edit).
	Edit string
	// Source, if set, names the repository the root was taken from
	// (sources: in handbook.yaml); its pages are reported as
	// "name:path", with their path inside that repository, and take
	// their history, edit links and commit links from it.
	Source string
	// RepoPath is the root's folder inside its repository, slash-separated
	// ("docs/runbooks"); with Source.
	RepoPath string
	// Repo is the web address of the root's repository, for its pages'
	// links (see Git.Repo); with Source.
	Repo string
	// Branch is the branch the root's edit links open; with Source.
	Branch string
	// Kinds, if set, are the only kinds of page taken from the root.
	Kinds []page.Kind
}

// Source is a repository handbook.yaml takes folders from (sources:).
// The site does not read it: handbook gathers each source into a cache
// (internal/sources) and adds its folders to Roots, with Root.Source set.
type Source struct {
	// Name names the source in positions ("payments:docs/x.md:3:1") and
	// in the cache and lock file.
	Name string
	// Repo is a git URL or a local path (relative to the site folder).
	Repo string
	// Ref is a branch, tag or commit; "" is the repository's default
	// branch.
	Ref string
	// Web is the repository's web address, for commit, history and edit
	// links; "" takes Repo when it is an https URL.
	Web string
	// Edit is the pattern of the source's edit links (see Git.Edit).
	Edit string
	// Kinds, if set, are the only kinds of page taken from the source.
	Kinds []page.Kind
	// Paths are the folders taken: Dir inside the repository, Mount and
	// Kind as for a root.
	Paths []Root
	// Pos is where handbook.yaml names the source, for its problems.
	Pos diag.Position
}

// Config is everything that shapes a site. cmd/handbook fills it from flags
// and handbook.yaml; DefaultConfig gives the defaults.
type Config struct {
	// Dir is the site root, an absolute path.
	Dir string
	// Title and Description describe the site in headers and feeds.
	Title       string
	Description string
	// BaseURL is where the site is served: "/" or a full URL such as
	// "https://example.com/handbook/". Every URL the site renders starts
	// with its path.
	BaseURL  string
	Language string
	Roots    []Root
	// KindDirs maps folder names to the kind of the pages inside.
	KindDirs map[string]page.Kind
	Schema   page.Schema
	// Unsafe renders raw HTML in Markdown as is.
	Unsafe bool
	// Drafts includes pages marked draft.
	Drafts bool
	// Now is the time review dates are measured against; builds set it
	// once so that output does not depend on when a page was rendered.
	Now time.Time
	// Exclude lists folders (absolute) that are never read, such as the
	// output folder.
	Exclude []string
	// Scan, if set, is given every Markdown file's text as read (front
	// matter included) and returns findings about it, such as leaked
	// secrets; it is called on several files at once.
	Scan func(path string, src []byte) diag.List
	// Rules overrides rule severities by rule id: "error", "warning",
	// "info" or "off" (see lint.Apply).
	Rules map[string]string
	// Imported lists globs of files, relative to the site root and
	// slash-separated, whose findings of house rules are lowered to info:
	// content moved in from elsewhere (see lint.Apply).
	Imported []string
	// NoHTML loads pages without rendering their HTML: what handbook check
	// needs, in a fraction of the time.
	NoHTML bool
	// CacheDir, with NoHTML, is a folder where what parsing each file found
	// is kept, by content, so that the next load parses only the files
	// that changed; "" for none.
	CacheDir string
	// Check holds the settings of the rules that need more than a
	// severity.
	Check CheckSettings
	// Memo, if set, keeps parsed pages from one load to the next (see
	// Memo).
	Memo *Memo
	// Walked, if set, is told how many Markdown files the walk found and
	// their size in bytes, before any is read: what the load is about to
	// hold (handbook build paces its collector by it, memlimit.Expect).
	Walked func(files int, bytes int64) `json:"-"`
	// Spill, if set, holds the pages' HTML out of memory from their
	// parse until they are rendered (markdown.Options.Spill): for a
	// process that keeps a site's parses long, as handbook serve does.
	Spill *spill.Store
	// Profile, if set, selects the pages published (see Profile);
	// Profiles are those handbook.yaml defines, by name (SelectProfile).
	Profile  *Profile
	Profiles map[string]*Profile
	// Git says what the site takes from its git repository.
	Git Git
	// Sources are the other repositories the site takes folders from;
	// they are read as Roots once gathered (see Source).
	Sources []Source
	// Remote, if set, answers for the pages of the rest of a handbook the
	// site is one part of, which links and references may name (see
	// Remote; handbook check --site).
	Remote *Remote
}

// CheckSettings configure lint's rules.
type CheckSettings struct {
	// BlameWords are the phrases blameless-language reports in
	// postmortems; nil means the defaults.
	BlameWords []string
	// InternalHosts are host name patterns ("*.corp.example.com") a public
	// page must not name, besides the defaults (*.internal, *.corp, …).
	InternalHosts []string
	// AllowedEmails are e-mail address patterns a public page may hold
	// ("security@example.com", "*@example.com").
	AllowedEmails []string
}

// DefaultConfig returns the configuration of a site in dir with no
// handbook.yaml.
func DefaultConfig(dir string) Config {
	return Config{
		Dir:      dir,
		Title:    "Handbook",
		BaseURL:  "/",
		Language: "en",
		Roots: []Root{
			{Dir: "content", Mount: "/"},
			{Dir: "runbooks", Mount: "/runbooks/", Kind: page.KindRunbook},
		},
		KindDirs: DefaultKindDirs(),
		Schema:   page.DefaultSchema(),
		Now:      time.Now(),
	}
}

// DefaultKindDirs returns the folder names that imply a kind.
func DefaultKindDirs() map[string]page.Kind {
	return map[string]page.Kind{
		"adr": page.KindADR, "adrs": page.KindADR, "decisions": page.KindADR,
		"architecture-decision-record": page.KindADR, "architecture-decision-records": page.KindADR,
		"architecture-decisions": page.KindADR, "decision-records": page.KindADR, "decision-log": page.KindADR,
		"postmortems": page.KindPostmortem, "incidents": page.KindPostmortem, "postmortem": page.KindPostmortem,
		"post-mortems": page.KindPostmortem, "incident-reports": page.KindPostmortem,
		"evaluations": page.KindEvaluation, "radar": page.KindEvaluation,
		"runbooks": page.KindRunbook,
		"blog":     page.KindPost, "posts": page.KindPost,
	}
}

// BasePath is the path part of BaseURL, always starting and ending with a
// slash.
func (c *Config) BasePath() string {
	p := c.BaseURL
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		p = u.Path
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// AbsURL returns the absolute URL of a site path when BaseURL names a host,
// else the path under BasePath.
func (c *Config) AbsURL(sitePath string) string {
	rel := strings.TrimPrefix(sitePath, "/")
	if u, err := url.Parse(c.BaseURL); err == nil && u.Host != "" {
		return strings.TrimSuffix(c.BaseURL, "/") + "/" + rel
	}
	return c.BasePath() + rel
}
