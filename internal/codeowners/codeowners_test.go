package codeowners

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/diag"
)

// githubExample is the example file of GitHub's "About code owners"
// (docs.github.com/en/repositories/managing-your-repositorys-settings-and-features/customizing-your-repository/about-code-owners),
// its comments shortened.
const githubExample = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer.
*.go docs@example.com

# Teams can be specified as code owners as well.
*.txt @octo-org/octocats

# @doctocat owns any files in the build/logs directory at the root of
# the repository and any of its subdirectories.
/build/logs/ @doctocat

# The docs/* pattern will match files like docs/getting-started.md
# but not further nested files like docs/build-app/troubleshooting.md.
docs/* docs@example.com

# @octocat owns any file in an apps directory anywhere in your repository.
apps/ @octocat

# @doctocat owns any file in the /docs directory in the root of your
# repository and any of its subdirectories.
/docs/ @doctocat

# Any change inside the /scripts directory will require approval from
# @doctocat or @octocat.
/scripts/ @doctocat @octocat

# @octocat owns any file in a /logs directory such as /build/logs,
# /scripts/logs, and /deeply/nested/logs.
**/logs @octocat

# @octocat owns any file in the /apps directory in the root of your
# repository except for the /apps/github subdirectory, as its owners
# are left empty.
/apps/ @octocat
/apps/github
`

// TestGitHubExample: who owns what in GitHub's example, as its comments
// say.
func TestGitHubExample(t *testing.T) {
	f, diags := Parse("CODEOWNERS", []byte(githubExample))
	if len(diags) > 0 {
		t.Fatalf("findings in GitHub's example: %v", diags)
	}
	for _, tc := range []struct {
		path   string
		owners []string
	}{
		{"README.md", []string{"@global-owner1", "@global-owner2"}},
		{"some/deeply/nested/file.rb", []string{"@global-owner1", "@global-owner2"}},
		{"src/app.js", []string{"@js-owner"}},
		{"main.go", []string{"docs@example.com"}},
		{"notes/todo.txt", []string{"@octo-org/octocats"}},
		// build/logs/ at the root, and below it — but **/logs comes later
		// and wins for anything in a logs folder.
		{"build/logs/today.txt", []string{"@octocat"}},
		{"build/output.txt", []string{"@octo-org/octocats"}},
		// docs/* then /docs/: the later /docs/ wins at every depth.
		{"docs/getting-started.md", []string{"@doctocat"}},
		{"docs/build-app/troubleshooting.md", []string{"@doctocat"}},
		// docs/* is anchored: a docs folder deeper down is not it.
		{"src/docs/x.md", []string{"@global-owner1", "@global-owner2"}},
		{"src/apps/main.c", []string{"@octocat"}},
		{"scripts/deploy.sh", []string{"@doctocat", "@octocat"}},
		{"scripts/logs/run.log", []string{"@octocat"}},
		{"deeply/nested/logs/x.log", []string{"@octocat"}},
		{"apps/web/index.html", []string{"@octocat"}},
		// No owners: nobody owns apps/github.
		{"apps/github/ci.yml", nil},
		{"apps/github", nil},
		{"apps/githubber/x", []string{"@octocat"}},
	} {
		if got := f.Owners(tc.path); !slices.Equal(got, tc.owners) {
			t.Errorf("Owners(%q) = %q, want %q", tc.path, got, tc.owners)
		}
	}
}

// TestGitHubDocsStar: the docs/* example alone, as GitHub states it.
func TestGitHubDocsStar(t *testing.T) {
	f, _ := Parse("CODEOWNERS", []byte("docs/* docs@example.com\n"))
	if got := f.Owners("docs/getting-started.md"); !slices.Equal(got, []string{"docs@example.com"}) {
		t.Errorf("docs/getting-started.md: %q", got)
	}
	if got := f.Owners("docs/build-app/troubleshooting.md"); got != nil {
		t.Errorf("docs/build-app/troubleshooting.md: %q, want no owners", got)
	}
}

// TestPatterns: gitignore's patterns as GitHub matches them. Each path is
// a file; a pattern that matches a folder on its way matches it too.
func TestPatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		match   []string
		miss    []string
	}{
		{"foo", []string{"foo", "foo/bar", "bar/foo", "bar/foo/baz"}, []string{"foo.txt", "bar/foo.txt", "bar/baz", "food"}},
		{"/foo", []string{"foo", "foo/bar", "foo/bar/baz"}, []string{"bar/foo", "fool.txt", "bar/foo/baz"}},
		{"foo/", []string{"foo/bar", "foo/bar/baz", "bar/foo/baz"}, []string{"foo", "bar/foo", "bar/baz"}},
		{"/foo/", []string{"foo/bar", "foo/bar/baz"}, []string{"foo", "bar/foo/baz"}},
		{"foo/bar", []string{"foo/bar", "foo/bar/baz"}, []string{"foo/bart", "baz/foo/bar", "baz/foo/bar/qux"}},
		{"/foo/bar", []string{"foo/bar", "foo/bar/baz"}, []string{"foo/bart", "baz/foo/bar"}},
		{"foo/bar/", []string{"foo/bar/baz", "foo/bar/baz/qux"}, []string{"foo/bar", "baz/foo/bar/qux"}},
		{"*", []string{"foo", "foo/bar", "bar/foo/baz", ".hidden", "a/.b"}, nil},
		{"f*", []string{"foo", "foo/bar", "bar/foo", "bar/foo/baz"}, []string{"bar/baz", "xfoo"}},
		{"/*", []string{"foo", "bar.md"}, []string{"foo/bar", "foo/bar/baz"}},
		{"/f*", []string{"foo", "foo/bar/baz"}, []string{"bar/foo", "xfoo"}},
		{"f*/", []string{"foo/bar", "bar/foo/baz"}, []string{"foo", "bar/foo", "xfoo"}},
		{"/*/", []string{"foo/bar", "bar/foo/baz"}, []string{"foo"}},
		{`f\*o`, []string{"f*o"}, []string{"foo"}},
		{"foo/*", []string{"foo/bar"}, []string{"foo", "foo/bar/baz", "bar/foo", "bar/foo/baz"}},
		{"foo/*.txt", []string{"foo/bar.txt"}, []string{"foo", "foo/bar/baz.txt", "qux/foo/bar.txt"}},
		{"foo/*/baz", []string{"foo/bar/baz", "foo/bar/baz/qux"}, []string{"foo/baz", "foo/bar"}},
		{"f?o", []string{"foo", "a/fxo"}, []string{"fo", "fooo"}},
		{`f\?o`, []string{"f?o"}, []string{"foo"}},
		{"*.md", []string{"README.md", "docs/a/b.md"}, []string{"README.mdx", "md"}},
		{"**/logs", []string{"logs", "logs/a", "build/logs/a", "deeply/nested/logs/x"}, []string{"catalogs/x", "logs.txt"}},
		{"**/foo/bar", []string{"foo/bar", "qux/foo/bar", "qux/foo/bar/baz"}, []string{"foo/baz/bar", "qux/foo/baz/bar"}},
		{"**/*bar*", []string{"bar", "foo/bar", "foo/rebar", "foo/barrio", "foo/qux/bar"}, []string{"foo/baz"}},
		{"foo/bar/**", []string{"foo/bar/baz", "foo/bar/baz/qux"}, []string{"foo/bar", "qux/foo/bar/baz"}},
		{"foo/**/bar", []string{"foo/bar", "foo/bar/baz", "foo/qux/bar/baz", "foo/qux/quux/bar/baz"}, []string{"qux/foo/bar", "foo/barz"}},
		{"foo/**/", []string{"foo/bar", "foo/bar/baz"}, []string{"foo"}},
		{"foo/**/bar/b*", []string{"foo/bar/baz", "foo/qux/bar/baz"}, []string{"foo/bar", "foo/bar/qux", "foo/qux/bar/qux"}},
		{"/**", []string{"a", "a/b"}, nil},
		{"a**b", []string{"ab", "axxb", "d/ab"}, []string{"a/b"}},
		// At the start of a line, [ is a character class when its ] is
		// followed by more pattern, not by a space.
		{"[Mm]akefile", []string{"Makefile", "src/makefile"}, []string{"Rakefile"}},
		{"docs/[a-c]*.md", []string{"docs/a.md", "docs/c1.md"}, []string{"docs/d.md"}},
		{`docs/with\ space.md`, []string{"docs/with space.md"}, []string{"docs/with"}},
		{`\#notes.md`, []string{"#notes.md", "a/#notes.md"}, []string{"notes.md"}},
		// Paths are case-sensitive.
		{"README.md", []string{"README.md"}, []string{"readme.md"}},
	} {
		f, diags := Parse("CODEOWNERS", []byte(tc.pattern+" @owner\n"))
		if len(diags) > 0 || len(f.Rules) != 1 {
			t.Errorf("%s: %d rules, findings %v", tc.pattern, len(f.Rules), diags)
			continue
		}
		for _, p := range tc.match {
			if f.Owners(p) == nil {
				t.Errorf("%s does not match %s", tc.pattern, p)
			}
		}
		for _, p := range tc.miss {
			if f.Owners(p) != nil {
				t.Errorf("%s matches %s", tc.pattern, p)
			}
		}
	}
}

// gitlabExample is the example of "Regular entries and sections" in
// GitLab's advanced CODEOWNERS documentation
// (docs.gitlab.com/user/project/codeowners/advanced), with more.
const gitlabExample = `# Required for all files
* @general-approvers

[Documentation] @docs-team
docs/
README.md
*.txt

[Database] @database-team
model/db/
config/db/database-setup.md @docs-team

^[Optional review][2] @reviewers @general-approvers
*.md

# Same section as [Documentation]: combined.
[DOCUMENTATION]
docs/internal/ @internal-docs
!docs/public/

[Generated]
generated/ @bots
generated/keep.md
`

func TestGitLabSections(t *testing.T) {
	f, diags := Parse(".gitlab/CODEOWNERS", []byte(gitlabExample))
	if len(diags) > 0 {
		t.Fatalf("findings: %v", diags)
	}
	var sections []string
	for _, s := range f.Sections {
		sections = append(sections, s.Name)
	}
	if want := []string{"", "Documentation", "Database", "Optional review", "Generated"}; !slices.Equal(sections, want) {
		t.Errorf("Sections = %q, want %q", sections, want)
	}
	if s := f.Sections[3]; !s.Optional || s.Approvals != 2 || s.Line != 13 {
		t.Errorf("optional section: %+v", s)
	}
	if s := f.Sections[2]; s.Optional || s.Approvals != 0 || s.Line != 9 {
		t.Errorf("database section: %+v", s)
	}
	for _, tc := range []struct {
		path   string
		owners []string
	}{
		// Default owners of a heading own its rules without owners, and
		// the owners of every section's last match are combined.
		{"docs/index.md", []string{"@general-approvers", "@docs-team", "@reviewers"}},
		{"README.md", []string{"@general-approvers", "@docs-team", "@reviewers"}},
		{"notes.txt", []string{"@general-approvers", "@docs-team"}},
		{"model/db/schema.rb", []string{"@general-approvers", "@database-team"}},
		{"config/db/database-setup.md", []string{"@general-approvers", "@docs-team", "@reviewers"}},
		{"main.go", []string{"@general-approvers"}},
		// [DOCUMENTATION] is [Documentation]: its later rule wins there.
		{"docs/internal/x.go", []string{"@general-approvers", "@internal-docs"}},
		// An exclusion takes the path out of its section, wherever it is.
		{"docs/public/x.go", []string{"@general-approvers"}},
		// A rule without owners in a section without default owners: none
		// from that section.
		{"generated/keep.md", []string{"@general-approvers", "@reviewers"}},
		{"generated/x.go", []string{"@general-approvers", "@bots"}},
	} {
		if got := f.Owners(tc.path); !slices.Equal(got, tc.owners) {
			t.Errorf("Owners(%q) = %q, want %q", tc.path, got, tc.owners)
		}
	}
}

func TestOwnersDeduplicated(t *testing.T) {
	f, _ := Parse("CODEOWNERS", []byte("* @a @b\n[S] @B\n* \n[T]\n* @c @A\n"))
	if got, want := f.Owners("x"), []string{"@a", "@b", "@c"}; !slices.Equal(got, want) {
		t.Errorf("Owners = %q, want %q", got, want)
	}
}

func TestOwnersPaths(t *testing.T) {
	f, _ := Parse("CODEOWNERS", []byte("/docs/ @d\n"))
	for _, p := range []string{"docs/a.md", "/docs/a.md", "./docs/a.md"} {
		if got := f.Owners(p); !slices.Equal(got, []string{"@d"}) {
			t.Errorf("Owners(%q) = %q", p, got)
		}
	}
	if got := f.Owners(""); got != nil {
		t.Errorf(`Owners("") = %q`, got)
	}
	var nilFile *File
	if got := nilFile.Owners("docs/a.md"); got != nil {
		t.Errorf("nil File: Owners = %q", got)
	}
}

func TestParseLines(t *testing.T) {
	src := "  # indented comment\n\n*.md\t@tab-sep   team@example.com # trailing\r\n" +
		"\\#hash.md @h\n" +
		"@@maintainer.md @@maintainer @group/sub/team\n"
	f, diags := Parse("CODEOWNERS", []byte(src))
	if len(diags) > 0 {
		t.Fatalf("findings: %v", diags)
	}
	type rule struct {
		pattern string
		owners  string
		line    int
	}
	var got []rule
	for _, r := range f.Rules {
		got = append(got, rule{r.Pattern, strings.Join(r.Owners, " "), r.Line})
	}
	want := []rule{
		{"*.md", "@tab-sep team@example.com", 3},
		{`\#hash.md`, "@h", 4},
		{"@@maintainer.md", "@@maintainer @group/sub/team", 5},
	}
	if !slices.Equal(got, want) {
		t.Errorf("rules = %+v, want %+v", got, want)
	}
}

// TestFindings: every bad line is reported at its line and column, and
// skipped; the good lines around it are read.
func TestFindings(t *testing.T) {
	src := `* @ok
*.md owner-without-at
*.go @ok bad@
docs/with space.md @ok
[Unclosed section
[] @x
[Docs][two]
[Docs][2
[Docs][2]@x
/ @root
foo//bar @x
docs/[a-.md @x
*.js @ok # fine
!excluded/ @x
^[Fine] @ok
trailing\`
	want := []string{
		`CODEOWNERS:2:6: warning codeowners: owner "owner-without-at" is not @user, @org/team or an e-mail address; if it is part of the path, write the space as "\ "; the line is skipped`,
		`CODEOWNERS:3:10: warning codeowners: owner "bad@" is not @user, @org/team or an e-mail address; the line is skipped`,
		`CODEOWNERS:4:11: warning codeowners: owner "space.md" is not @user, @org/team or an e-mail address; if it is part of the path, write the space as "\ "; the line is skipped`,
		`CODEOWNERS:5:1: warning codeowners: section heading [Unclosed section has no closing ]; the line is skipped`,
		`CODEOWNERS:6:1: warning codeowners: section heading has no name; the line is skipped`,
		`CODEOWNERS:7:8: warning codeowners: number of approvals "two" is not a number; the line is skipped`,
		`CODEOWNERS:8:7: warning codeowners: number of approvals [2 has no closing ]; the line is skipped`,
		`CODEOWNERS:9:10: warning codeowners: section heading [Docs] is followed by "@x"; put a space before its default owners`,
		`CODEOWNERS:10:1: warning codeowners: invalid pattern "/": it matches nothing; did you mean *?; the line is skipped`,
		`CODEOWNERS:11:1: warning codeowners: invalid pattern "foo//bar": it has an empty path segment (//); the line is skipped`,
		`CODEOWNERS:12:1: warning codeowners: invalid pattern "docs/[a-.md": a [ is not closed by ], or its class is malformed; the line is skipped`,
		`CODEOWNERS:14:12: warning codeowners: an exclusion (!excluded/) has no owners; the owners are ignored`,
		`CODEOWNERS:16:9: warning codeowners: invalid pattern: it ends in a lone \; the line is skipped`,
	}
	f, diags := Parse("CODEOWNERS", []byte(src))
	var got []string
	for _, d := range diags {
		got = append(got, d.String())
		if d.Severity != diag.Warning || d.Rule != "codeowners" {
			t.Errorf("finding %v: want a warning of rule codeowners", d)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !slices.Equal(f.Diags, diags) {
		t.Error("File.Diags differs from the findings returned")
	}
	var lines []int
	for _, r := range f.Rules {
		lines = append(lines, r.Line)
	}
	if want := []int{1, 13, 14}; !slices.Equal(lines, want) {
		t.Errorf("rules read from lines %v, want %v", lines, want)
	}
	if n := len(f.Sections); n != 2 || f.Sections[1].Name != "Fine" {
		t.Errorf("sections: %+v", f.Sections)
	}
}

func TestTooLarge(t *testing.T) {
	src := strings.Repeat("# padding padding padding padding\n", MaxSize/30)
	_, diags := Parse(".github/CODEOWNERS", []byte(src+"* @a\n"))
	if len(diags) != 1 || diags[0].Pos.Line != 0 || !strings.Contains(diags[0].Message, "3 MB") {
		t.Errorf("findings: %v", diags)
	}
}

func TestFind(t *testing.T) {
	write := func(dir, name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	if f, err := Find(dir); f != nil || err != nil {
		t.Fatalf("no CODEOWNERS: Find = %v, %v; want nil, nil", f, err)
	}
	if got := (*File)(nil).Owners("a"); got != nil {
		t.Errorf("Owners on nil = %q", got)
	}
	// Each place wins over the ones after it.
	for i := len(places) - 1; i >= 0; i-- {
		write(dir, places[i], "* @from-"+strings.NewReplacer("/", "-", ".", "").Replace(places[i])+"\nbad line\n")
		f, err := Find(dir)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != places[i] {
			t.Errorf("Find read %s, want %s", f.Name, places[i])
		}
		if len(f.Owners("x")) != 1 || len(f.Diags) != 1 || f.Diags[0].Pos.File != places[i] || f.Diags[0].Pos.Line != 2 {
			t.Errorf("%s: owners %q, findings %v", places[i], f.Owners("x"), f.Diags)
		}
	}
	// A folder named CODEOWNERS is not a file.
	other := t.TempDir()
	if err := os.MkdirAll(filepath.Join(other, ".github", "CODEOWNERS"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(other, "docs/CODEOWNERS", "* @docs\n")
	if f, err := Find(other); err != nil || f == nil || f.Name != "docs/CODEOWNERS" {
		t.Errorf("Find = %+v, %v; want docs/CODEOWNERS", f, err)
	}
}

// FuzzParse: Parse never panics, reports findings at places in the file,
// keeps only valid owners, and Owners never panics.
func FuzzParse(f *testing.F) {
	f.Add(githubExample)
	f.Add(gitlabExample)
	f.Add("[Docs][2] @a\n^[x]\n!a/**/b @x\npath\\ with\\ spaces/ @space-owner\n\\#f.rb @o\n")
	f.Add("[a\n[]\n[a][b\n/ @x\na//b @x\n[z-.md @x\ntrail\\")
	f.Fuzz(func(t *testing.T, src string) {
		file, diags := Parse("CODEOWNERS", []byte(src))
		lines := strings.Split(src, "\n")
		for _, d := range diags {
			if d.Rule != "codeowners" || d.Severity != diag.Warning {
				t.Errorf("finding %v", d)
			}
			if d.Pos.Line == 0 {
				continue
			}
			if d.Pos.Line > len(lines) || d.Pos.Col < 1 || d.Pos.Col > len(lines[d.Pos.Line-1])+1 {
				t.Errorf("finding %v outside the file", d)
			}
		}
		for _, r := range file.Rules {
			for _, o := range r.Owners {
				if !validOwner(o) {
					t.Errorf("rule %+v has owner %q", r, o)
				}
			}
			if r.Section < 0 || r.Section >= len(file.Sections) {
				t.Errorf("rule %+v in section %d of %d", r, r.Section, len(file.Sections))
			}
		}
		for _, p := range []string{"a", "a/b/c", "docs/x.md", ".github/CODEOWNERS", "#"} {
			file.Owners(p)
		}
	})
}
