// Package codeowners reads a repository's CODEOWNERS file and says who owns
// a path, as GitHub and GitLab read the file:
//
//	f, err := codeowners.Find(repoRoot) // nil, nil when there is none
//	if err != nil {
//		return err
//	}
//	diags = append(diags, f.Diags...)
//	owners := f.Owners("content/runbooks/payments.md") // ["@org/payments", "ops@example.com"]
//
// # Where
//
// Find looks where GitHub does, and then where only GitLab does; the first
// file found is the one read: .github/CODEOWNERS, CODEOWNERS,
// docs/CODEOWNERS, .gitlab/CODEOWNERS.
//
// # Lines
//
// Each line is a pattern and the owners of the paths it matches, separated by
// spaces:
//
//	# A comment; blank lines are ignored.
//	*                 @global-owner      # a comment after a space and #
//	/docs/            @org/docs-team docs@example.com
//	\#notes.md        @alice             # \# is a # in a pattern (GitLab)
//	path\ with\ space @bob               # and \ and a space, a space (GitLab)
//	/apps/github                         # no owners: nobody owns it
//
// A # starts a comment at the start of a line or of a word. An owner is a user (@octocat), a team or group (@org/team, or GitLab's
// nested @group/subgroup/team), a GitLab role (@@maintainer) or an e-mail
// address.
//
// # Patterns
//
// Patterns are gitignore's, as GitHub documents them. A path is relative to
// the repository root and slash-separated.
//
//   - A pattern with a slash at its start or in its middle is anchored at the
//     root (/docs/, docs/*, a/b); one without matches at any depth (*.md,
//     apps/, README).
//   - A pattern that matches a folder matches everything below it; a
//     trailing slash matches only folders (apps/ owns apps/x, not a file
//     named apps).
//   - * matches within one path segment, ? one character in it; \* and \?
//     are literal. docs/* matches docs/a.md but not docs/sub/b.md.
//   - ** matches any number of folders: **/logs, a/**/b, and a/** (only
//     what is inside a).
//   - [a-z] matches one character of a class, as GitLab reads it (GitHub
//     skips such lines). A line that starts with a class, [Mm]akefile, is a
//     rule; a [ at the start of a line is otherwise a section heading.
//
// The last rule that matches a path wins, and a rule with no owners means
// that nobody owns the path.
//
// # GitLab sections
//
// GitLab groups rules in sections, each with a heading:
//
//	[Documentation]           # a section
//	^[Optional docs]          # an optional one
//	[Database][2] @db-team    # two approvals; @db-team owns its rules without owners
//
// Headings with the same name, in any case, make one section. Rules before
// the first heading are a section of their own. A path's owners are those of
// the last matching rule of every section, in the order the sections first
// appear, each owner once. A rule !pattern (GitLab 17.10 and later; GitHub
// skips such lines) excludes the paths it matches from its section, wherever
// it is in the section.
//
// # Findings
//
// A line that cannot be read is reported as a warning with the rule id
// "codeowners" at its line and column, and skipped, as GitHub skips it:
// an owner that is none of the above, a pattern that cannot match (an
// unclosed [, a trailing \, an empty segment, a lone /), a section heading
// without its closing ] or name, or whose number of approvals is not a
// number. Owners given to an exclusion are reported and ignored, and a
// file over MaxSize is reported as a whole. Parse never stops at the first
// finding; it reads both dialects whole, so it does not report what only
// one of GitHub and GitLab reads (sections, classes, exclusions, escapes).
package codeowners

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
)

// places are where Find looks, relative to the repository root, in order:
// GitHub's, then GitLab's own.
var places = []string{".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS"}

// MaxSize is the size above which GitHub does not read a CODEOWNERS file.
const MaxSize = 3 << 20

// ruleID is the rule id of every finding.
const ruleID = "codeowners"

// File is a parsed CODEOWNERS file.
type File struct {
	// Name is the file's path as given to Parse; Find gives it relative to
	// the repository root, slash-separated.
	Name string
	// Rules are the lines that were read, in order; lines with findings are
	// left out.
	Rules []Rule
	// Sections are GitLab's sections, in the order they first appear.
	// Sections[0] holds the rules before the first heading; its Name is "".
	Sections []Section
	// Diags are the findings of Parse.
	Diags diag.List
}

// Rule is one line of patterns and owners.
type Rule struct {
	// Pattern is the pattern as written, escapes included, without the !
	// of an exclusion.
	Pattern string
	// Owners are the owners written on the line, or the section heading's
	// when the line has none.
	Owners []string
	// Exclude is set for GitLab's !pattern.
	Exclude bool
	// Section is the index of the rule's section in File.Sections.
	Section int
	// Line is the line number, from 1.
	Line int

	m matcher
}

// Section is a GitLab section: the rules under one or more headings with the
// same name.
type Section struct {
	// Name is the name as first written; "" for the rules before any
	// heading.
	Name string
	// Optional is set for ^[Name].
	Optional bool
	// Approvals is the number of approvals required, [Name][N]; 0 when not
	// given.
	Approvals int
	// Line is the line of the first heading; 0 for Sections[0].
	Line int
}

// Find reads the CODEOWNERS file of the repository at repoRoot, from the
// first of .github/CODEOWNERS, CODEOWNERS, docs/CODEOWNERS and
// .gitlab/CODEOWNERS that exists. It returns (nil, nil) when there is none,
// and an error only when the file cannot be read; findings in the file are in
// its Diags.
func Find(repoRoot string) (*File, error) {
	for _, name := range places {
		file := filepath.Join(repoRoot, filepath.FromSlash(name))
		fi, err := os.Stat(file)
		if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.IsDir()) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("codeowners: %w", err)
		}
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("codeowners: %w", err)
		}
		f, _ := Parse(name, src)
		return f, nil
	}
	return nil, nil
}

// Parse reads a CODEOWNERS file, named name in findings. It always returns a
// File, with the lines it could read; the findings are returned and kept in
// File.Diags.
func Parse(name string, src []byte) (*File, diag.List) {
	p := parser{f: &File{Name: name, Sections: []Section{{}}}, sections: map[string]int{"": 0}}
	if len(src) > MaxSize {
		p.f.Diags.Warnf(diag.Position{File: name}, ruleID, "the file is %d bytes; GitHub does not read a CODEOWNERS file over 3 MB", len(src))
	}
	for i, line := range strings.Split(string(src), "\n") {
		p.line(i+1, strings.TrimSuffix(line, "\r"))
	}
	p.f.Diags.Sort()
	return p.f, p.f.Diags
}

type parser struct {
	f        *File
	sections map[string]int // lower-cased name → index in f.Sections
	current  int            // index of the current section
	defaults []string       // owners of the current heading
}

func (p *parser) warn(line, col int, format string, args ...any) {
	p.f.Diags.Warnf(diag.Position{File: p.f.Name, Line: line, Col: col}, ruleID, format, args...)
}

// line reads one line.
func (p *parser) line(n int, s string) {
	start := len(s) - len(strings.TrimLeft(s, " \t"))
	rest := s[start:]
	switch {
	case rest == "" || rest[0] == '#':
		return
	case rest[0] == '[' || strings.HasPrefix(rest, "^["):
		if p.heading(n, s, start) {
			return
		}
	}
	toks, bad := tokens(s, start)
	if bad >= 0 {
		p.warn(n, bad+1, "invalid pattern: it ends in a lone \\; the line is skipped")
		return
	}
	r := Rule{Line: n, Section: p.current}
	pat := toks[0]
	if strings.HasPrefix(pat.text, "!") {
		r.Exclude = true
		pat.text, pat.col = pat.text[1:], pat.col+1
	}
	r.Pattern = pat.raw
	if r.Exclude {
		r.Pattern = pat.raw[1:]
	}
	m, err := compile(pat.text)
	if err != nil {
		p.warn(n, pat.col+1, "invalid pattern %q: %v; the line is skipped", r.Pattern, err)
		return
	}
	r.m = m
	owners, ok := p.owners(n, toks[1:])
	if !ok {
		return
	}
	switch {
	case r.Exclude && len(owners) > 0:
		p.warn(n, toks[1].col+1, "an exclusion (!%s) has no owners; the owners are ignored", r.Pattern)
	case r.Exclude:
	case len(owners) > 0:
		r.Owners = owners
	default:
		r.Owners = p.defaults
	}
	p.f.Rules = append(p.f.Rules, r)
}

// heading reads a GitLab section heading, ^[Name][N] @owners, starting at
// byte start of s. It is false when the line is a rule whose pattern starts
// with a character class, as [Mm]akefile: a ] followed by neither a space
// nor a [.
func (p *parser) heading(n int, s string, start int) bool {
	i := start
	optional := s[i] == '^'
	if optional {
		i++
	}
	end := strings.IndexByte(s[i:], ']')
	if end < 0 {
		p.warn(n, i+1, "section heading %s has no closing ]; the line is skipped", strings.TrimSpace(s[start:]))
		return true
	}
	if after := i + end + 1; !optional && after < len(s) && s[after] != ' ' && s[after] != '\t' && s[after] != '[' {
		return false
	}
	name := strings.TrimSpace(s[i+1 : i+end])
	if name == "" {
		p.warn(n, i+1, "section heading has no name; the line is skipped")
		return true
	}
	i += end + 1
	approvals := 0
	if i < len(s) && s[i] == '[' {
		end := strings.IndexByte(s[i:], ']')
		if end < 0 {
			p.warn(n, i+1, "number of approvals %s has no closing ]; the line is skipped", strings.TrimSpace(s[i:]))
			return true
		}
		num := s[i+1 : i+end]
		a, err := strconv.Atoi(num)
		if err != nil || a < 0 {
			p.warn(n, i+2, "number of approvals %q is not a number; the line is skipped", num)
			return true
		}
		approvals = a
		i += end + 1
	}
	if i < len(s) && s[i] != ' ' && s[i] != '\t' {
		p.warn(n, i+1, "section heading [%s] is followed by %q; put a space before its default owners", name, strings.Fields(s[i:])[0])
		return true
	}
	toks, bad := tokens(s, i)
	if bad >= 0 {
		p.warn(n, bad+1, "owner ends in a lone \\; the line is skipped")
		return true
	}
	owners, ok := p.owners(n, toks)
	if !ok {
		return true
	}
	key := strings.ToLower(name)
	idx, seen := p.sections[key]
	if !seen {
		idx = len(p.f.Sections)
		p.sections[key] = idx
		p.f.Sections = append(p.f.Sections, Section{Name: name, Optional: optional, Approvals: approvals, Line: n})
	}
	p.current, p.defaults = idx, owners
	return true
}

// owners checks the owner tokens of line n; false when one is not an owner.
func (p *parser) owners(n int, toks []token) ([]string, bool) {
	var owners []string
	ok := true
	for _, t := range toks {
		if validOwner(t.raw) {
			owners = append(owners, t.raw)
			continue
		}
		hint := ""
		if !strings.Contains(t.raw, "@") {
			hint = `; if it is part of the path, write the space as "\ "`
		}
		p.warn(n, t.col+1, "owner %q is not @user, @org/team or an e-mail address%s; the line is skipped", t.raw, hint)
		ok = false
	}
	return owners, ok
}

var (
	userRE  = regexp.MustCompile(`^@[A-Za-z0-9_][A-Za-z0-9_.-]*(/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$`)
	roleRE  = regexp.MustCompile(`^@@[A-Za-z]+$`)
	emailRE = regexp.MustCompile(`^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$`)
)

func validOwner(s string) bool {
	return userRE.MatchString(s) || roleRE.MatchString(s) || emailRE.MatchString(s)
}

// token is a space-separated word of a line.
type token struct {
	raw  string // as written
	text string // with "\ " and "\#" unescaped; other escapes kept
	col  int    // byte offset in the line
}

// tokens splits s, from byte start, into words, up to a word that starts
// with #. A backslash escapes the byte after it. bad is the offset of a
// backslash that ends the line, or -1.
func tokens(s string, start int) (toks []token, bad int) {
	i := start
	for {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i == len(s) || s[i] == '#' {
			return toks, -1
		}
		t := token{col: i}
		var b strings.Builder
		for i < len(s) && s[i] != ' ' && s[i] != '\t' {
			if s[i] == '\\' {
				if i+1 == len(s) {
					return toks, i
				}
				switch s[i+1] {
				case ' ', '\t', '#':
				default:
					b.WriteByte('\\')
				}
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
			b.WriteByte(s[i])
			i++
		}
		t.raw, t.text = s[t.col:i], b.String()
		toks = append(toks, t)
	}
}

// Owners returns the owners of path, relative to the repository root and
// slash-separated; nil when nobody owns it, and on a nil File.
func (f *File) Owners(path string) []string {
	if f == nil {
		return nil
	}
	path = strings.TrimPrefix(strings.TrimPrefix(path, "./"), "/")
	if path == "" {
		return nil
	}
	segs := strings.Split(path, "/")
	last := make([]int, len(f.Sections)) // per section, 1 + index of its last match
	excluded := make([]bool, len(f.Sections))
	for i := range f.Rules {
		r := &f.Rules[i]
		if !r.m.match(segs) {
			continue
		}
		if r.Exclude {
			excluded[r.Section] = true
		} else {
			last[r.Section] = i + 1
		}
	}
	var owners []string
	seen := map[string]bool{}
	for s, i := range last {
		if i == 0 || excluded[s] {
			continue
		}
		for _, o := range f.Rules[i-1].Owners {
			if k := strings.ToLower(o); !seen[k] {
				seen[k] = true
				owners = append(owners, o)
			}
		}
	}
	return owners
}

// matcher is a compiled pattern.
type matcher struct {
	segs []string // path.Match patterns, and "**"
	// dirOnly: the pattern ended in a slash. children: its last segment
	// is a lone *, which matches only what is directly in the folder
	// before it.
	dirOnly, children bool
}

// compile compiles a pattern whose "\ " and "\#" are unescaped.
func compile(p string) (matcher, error) {
	var m matcher
	anchored := strings.HasPrefix(p, "/")
	p = strings.TrimPrefix(p, "/")
	if strings.HasSuffix(p, "/") {
		m.dirOnly = true
		p = strings.TrimSuffix(p, "/")
	}
	if p == "" {
		return m, errors.New("it matches nothing; did you mean *?")
	}
	if strings.Contains(p, "/") {
		anchored = true
	}
	if !anchored {
		m.segs = append(m.segs, "**")
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" {
			return m, errors.New("it has an empty path segment (//)")
		}
		if seg == "**" {
			// **/** is **: kept once, so that matching stays quick.
			if len(m.segs) == 0 || m.segs[len(m.segs)-1] != "**" {
				m.segs = append(m.segs, seg)
			}
			continue
		}
		if _, err := path.Match(seg, ""); err != nil {
			if strings.HasSuffix(seg, `\`) {
				return m, errors.New(`a \ before / escapes nothing`)
			}
			return m, errors.New("a [ is not closed by ], or its class is malformed")
		}
		m.segs = append(m.segs, seg)
	}
	m.children = m.segs[len(m.segs)-1] == "*"
	return m, nil
}

// match reports whether the pattern matches the path segments.
func (m *matcher) match(segs []string) bool {
	return len(m.segs) > 0 && m.matchAt(0, segs, 0)
}

// matchAt reports whether m.segs[i:] matches segs[j:], or a folder in it.
func (m *matcher) matchAt(i int, segs []string, j int) bool {
	if i == len(m.segs) {
		if j == len(segs) {
			return !m.dirOnly
		}
		// A folder: everything below it, unless the pattern ends in a
		// lone * (docs/* is the files directly in docs).
		return !m.children || m.dirOnly
	}
	if m.segs[i] == "**" {
		if i == len(m.segs)-1 {
			// a/** is everything inside a, not a itself.
			return j < len(segs)
		}
		for k := j; k <= len(segs); k++ {
			if m.matchAt(i+1, segs, k) {
				return true
			}
		}
		return false
	}
	if j == len(segs) {
		return false
	}
	ok, _ := path.Match(m.segs[i], segs[j])
	return ok && m.matchAt(i+1, segs, j+1)
}
