package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/golden"
)

// This file holds handbook's internal link verdicts against the fixtures
// of markdown-link-check (tcort/markdown-link-check @ 1dce945, test/*.md,
// ISC), kept in ../shared/corpus/fixtures-markdown-link-check. The
// expected verdicts were read from that commit's
// test/markdown-link-check.test.js, fetched with the tool library's
// snapshot of the repository (git show 1dce945:test/...); the fixtures in
// the corpus are byte for byte the ones at that commit.
//
// markdown-link-check reports its results per unique link, in order; the
// tables below give each link as written, at its line, the verdict
// upstream expects (mlc) and the verdict handbook gives (ours). Where they
// differ, why says why and the test asserts ours.

// mlcVerdict is what markdown-link-check's tests expect of a link.
type mlcVerdict string

const (
	mlcAlive mlcVerdict = "alive"
	mlcDead  mlcVerdict = "dead"
	// mlcSkipped: upstream does not check the link at all
	// (markdown-link-check-disable comments or an ignorePatterns entry).
	mlcSkipped mlcVerdict = "skipped"
)

// linkDiff names the reason a verdict of ours differs from upstream's.
type linkDiff int

const (
	same linkDiff = iota
	// placeholder: %%BASE_URL%% and %%ENVVAR_…%% are tokens upstream's
	// test harness replaces before checking (BASE_URL with its express
	// test server or file://<test dir>, ENVVAR_* through
	// replacementPatterns and environment variables). handbook has no
	// replacement patterns: it reads the path as written, and no file
	// has that name.
	placeholder
	// absentImage: upstream's test/hello.jpg exists, but the corpus keeps
	// Markdown only (see its README). With a stand-in hello.jpg our
	// verdict becomes upstream's; TestLinkCheckCorpus checks that too.
	absentImage
	// disabled: upstream skips the line because of a
	// <!-- markdown-link-check-disable… --> comment. handbook check
	// honours those comments too (lint.Suppress, tested in
	// cmd/handbook/testdata/rules/broken-link.txtar), but this test looks
	// at what loading finds, before comments are applied: goodbye.jpg does
	// not exist, so loading reports it.
	disabled
	// replaced: upstream's replacementPatterns strip
	// "folder-to-be-ignored/"; handbook has none and that folder does not
	// exist.
	replaced
	// externalPlaceholder: upstream points %%BASE_URL%% at its express
	// server, so the link is an external http link there: out of scope
	// here (the --external checker is tested with httptest). Verbatim,
	// handbook reads a relative path that names no file.
	externalPlaceholder
)

func (d linkDiff) String() string {
	return [...]string{"", "harness placeholder", "file absent from corpus", "mlc disable comment", "mlc replacement pattern", "external after substitution"}[d]
}

type linkCase struct {
	file string
	line int
	link string // the destination as written
	mlc  mlcVerdict
	// dead is our verdict: a broken-link or broken-anchor finding at the
	// link.
	dead bool
	why  linkDiff
	// rawHTML marks anchors that only raw HTML defines: alive, as on
	// GitHub, whose allowlist keeps id and name, with or without
	// markdown.unsafe.
	rawHTML bool
	note    string
}

var linkCheckCases = []linkCase{
	// "CLI exits with 0 if all links are ok".
	{file: "alive-links-only.md", line: 13, link: "#sub-heading", mlc: mlcAlive},

	// "should check the links in file.md": alive, alive, dead (one result
	// per unique link; the later goodbye.jpg lines are disabled).
	{file: "file.md", line: 5, link: "%%BASE_URL%%/hello.jpg", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "file.md", line: 6, link: "hello.jpg", mlc: mlcAlive, dead: true, why: absentImage},
	{file: "file.md", line: 7, link: "goodbye.jpg", mlc: mlcDead, dead: true},
	{file: "file.md", line: 10, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},
	{file: "file.md", line: 13, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},
	{file: "file.md", line: 14, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},
	{file: "file.md", line: 16, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},

	// "check hash links": result.eql([...]) lists every unique link.
	{file: "hash-links.md", line: 30, link: "#foo", mlc: mlcAlive, note: "the h1, dropped as the page title, keeps its id"},
	{file: "hash-links.md", line: 34, link: "#bar", mlc: mlcAlive},
	{file: "hash-links.md", line: 36, link: "#does-not-exist", mlc: mlcDead, dead: true},
	{file: "hash-links.md", line: 40, link: "#potato", mlc: mlcDead, dead: true},
	{file: "hash-links.md", line: 42, link: "#tomato_id", mlc: mlcAlive, rawHTML: true},
	{file: "hash-links.md", line: 44, link: "#tomato_name", mlc: mlcAlive, rawHTML: true},
	{file: "hash-links.md", line: 46, link: "#tomato_id_single_quote", mlc: mlcAlive, rawHTML: true},
	{file: "hash-links.md", line: 48, link: "#tomato_name_single_quote", mlc: mlcAlive, rawHTML: true},
	{file: "hash-links.md", line: 50, link: "#tomato_code", mlc: mlcDead, dead: true, note: "the <a> is inside a code span"},
	{file: "hash-links.md", line: 52, link: "#tomato_escaped_backticks", mlc: mlcAlive, rawHTML: true, note: "\\` is a literal backtick, so the <a> is raw HTML"},
	{file: "hash-links.md", line: 54, link: "#tomato_comment", mlc: mlcDead, dead: true, note: "the <a> is inside an HTML comment"},
	{file: "hash-links.md", line: 56, link: "#onion", mlc: mlcAlive, rawHTML: true},
	{file: "hash-links.md", line: 58, link: "#onion_outer", mlc: mlcAlive, rawHTML: true},
	{file: "hash-links.md", line: 60, link: "#onion_inner", mlc: mlcAlive, rawHTML: true},
	{file: "hash-links.md", line: 64, link: "#header-with-special-char-at-end-", mlc: mlcAlive},
	{file: "hash-links.md", line: 68, link: "#header-with-multiple-special-chars-at-end-", mlc: mlcAlive},
	{file: "hash-links.md", line: 72, link: "#header-with-special--char", mlc: mlcAlive},
	{file: "hash-links.md", line: 76, link: "#header-with-multiple-special--chars", mlc: mlcAlive},
	{file: "hash-links.md", line: 80, link: "#header-with-german-umlaut-ö", mlc: mlcAlive, note: "upstream lists it percent-encoded"},
	{file: "hash-links.md", line: 84, link: "#header-with-german-umlaut-%C3%B6-manual-encoded-link", mlc: mlcAlive},
	{file: "hash-links.md", line: 88, link: "#heading-with-a-link", mlc: mlcAlive},
	{file: "hash-links.md", line: 90, link: "#foo", mlc: mlcAlive, note: "a link inside a heading; upstream counts #foo once"},
	{file: "hash-links.md", line: 92, link: "#heading-with-an-anchor-link", mlc: mlcAlive},
	{file: "hash-links.md", line: 96, link: "#--docker", mlc: mlcAlive},
	{file: "hash-links.md", line: 100, link: "#step-7---lint--test", mlc: mlcAlive},
	{file: "hash-links.md", line: 104, link: "#product-owner--design-approval", mlc: mlcAlive},
	{file: "hash-links.md", line: 110, link: "#migrating-from--v1180", mlc: mlcAlive},
	{file: "hash-links.md", line: 116, link: "#clientserver-examples-using--networkpeer", mlc: mlcAlive, note: "two spaces in the heading give two hyphens"},
	{file: "hash-links.md", line: 118, link: "#somewhere", mlc: mlcAlive, note: "a link inside a heading, to the ### below it"},
	{file: "hash-links.md", line: 120, link: "#this-header-is-linked", mlc: mlcAlive},
	{file: "hash-links.md", line: 128, link: "#l-is-the-package-in-the-linux-distro-base-image", mlc: mlcAlive},

	// "should check the links in local-file.md": alive ×4, dead ×2.
	{file: "local-file.md", line: 5, link: "/test/hello.jpg", mlc: mlcAlive, dead: true, why: absentImage, note: "a site path, checked against the files of the site"},
	{file: "local-file.md", line: 6, link: "%%BASE_URL%%/hello.jpg", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "local-file.md", line: 7, link: "hello.jpg", mlc: mlcAlive, dead: true, why: absentImage},
	{file: "local-file.md", line: 8, link: "./hello.jpg", mlc: mlcAlive, dead: true, why: absentImage},
	{file: "local-file.md", line: 9, link: "/test/goodbye.jpg", mlc: mlcDead, dead: true},
	{file: "local-file.md", line: 10, link: "/hello.jpg", mlc: mlcDead, dead: true},
	{file: "local-file.md", line: 15, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},
	{file: "local-file.md", line: 18, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},
	{file: "local-file.md", line: 19, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},
	{file: "local-file.md", line: 21, link: "goodbye.jpg", mlc: mlcSkipped, dead: true, why: disabled},

	// "should correctly resolve regex named groups in replacement
	// patterns": alive ×4.
	{file: "regex-groups-replacement.md", line: 5, link: "hello.jpg", mlc: mlcAlive, dead: true, why: absentImage},
	{file: "regex-groups-replacement.md", line: 6, link: "file.md", mlc: mlcAlive},
	{file: "regex-groups-replacement.md", line: 8, link: "folder-to-be-ignored/hello.jpg", mlc: mlcAlive, dead: true, why: replaced},
	{file: "regex-groups-replacement.md", line: 9, link: "folder-to-be-ignored/file.md", mlc: mlcAlive, dead: true, why: replaced},

	// "should check the links in sample.md" (external links and e-mail
	// addresses are in linkCheckOutOfScope).
	{file: "sample.md", line: 5, link: "%%BASE_URL%%/redirect-with-body-in-head", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 6, link: "%%BASE_URL%%/loop", mlc: mlcDead, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 7, link: "%%BASE_URL%%/foo/bar", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 8, link: "%%BASE_URL%%/foo/dead", mlc: mlcDead, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 10, link: "%%BASE_URL%%/nohead", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 11, link: "%%BASE_URL%%/foo/redirect", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 12, link: "%%BASE_URL%%/basic-auth", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 13, link: "%%BASE_URL%%/something/not-working-and-ignored/something", mlc: mlcSkipped, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 14, link: "%%BASE_URL%%/boo/bar", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 15, link: "%%BASE_URL%%/later", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 16, link: "%%BASE_URL%%/partial", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 18, link: "%%BASE_URL%%/hello.jpg", mlc: mlcAlive, dead: true, why: externalPlaceholder},
	{file: "sample.md", line: 19, link: "hello.jpg", mlc: mlcAlive, dead: true, why: absentImage},

	// "should check section links to headers in section-links.md": the
	// first seven results (the last three are https://BASEURL links).
	{file: "section-links.md", line: 18, link: "#level-two-heading", mlc: mlcAlive},
	{file: "section-links.md", line: 20, link: "#level-two-headingg", mlc: mlcDead, dead: true},
	{file: "section-links.md", line: 22, link: "#level-four-heading", mlc: mlcAlive},
	{file: "section-links.md", line: 24, link: "#test-same-name-repeating", mlc: mlcAlive},
	{file: "section-links.md", line: 26, link: "#test-same-name-repeating-1", mlc: mlcAlive},
	{file: "section-links.md", line: 28, link: "#test-same-name-repeating-2", mlc: mlcDead, dead: true},
	{file: "section-links.md", line: 30, link: "#this-is-a-comment-in-a-code-block", mlc: mlcDead, dead: true, note: "the # line is inside a fenced code block"},

	// "should correctly resolve special replacement patterns": alive ×10.
	{file: "special-replacements.md", line: 5, link: "/test/%%ENVVAR_MIXEDCASE_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 6, link: "%%ENVVAR_MIXEDCASE_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 8, link: "/test/%%ENVVAR_UPPERCASE_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 9, link: "%%ENVVAR_UPPERCASE_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 11, link: "/test/%%ENVVAR_LOWERCASE_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 12, link: "%%ENVVAR_LOWERCASE_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 14, link: "/test/%%ENVVAR_WITHSPECIALCHARACTERS_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 15, link: "%%ENVVAR_WITHSPECIALCHARACTERS_TEST%%", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 17, link: "/test/%%ENVVAR_NONEXISTENT_TEST%%hello.jpg", mlc: mlcAlive, dead: true, why: placeholder},
	{file: "special-replacements.md", line: 18, link: "%%ENVVAR_NONEXISTENT_TEST%%hello.jpg", mlc: mlcAlive, dead: true, why: placeholder},
}

// linkCheckOutOfScope are the fixtures' links that are not internal:
// checking them needs the network (or validates e-mail addresses), which
// the separate --external checker does. handbook's load must not report
// them.
var linkCheckOutOfScope = []struct {
	file string
	line int
	link string
	note string
}{
	{"hash-links.md", 86, "https://github.com/tcort/markdown-link-check", "external; upstream: alive"},
	{"sample.md", 9, "http://example.example.example.com/", "external; upstream: dead (DNS fails)"},
	{"sample.md", 23, "mailto:linuxgeek@gmail.com?subject=test", "e-mail; upstream: alive"},
	{"sample.md", 24, "MAILTO:alice@example.org,bob@example.net?subject=Test", "e-mail; upstream: alive"},
	{"sample.md", 25, "mailto:foo@bar@baz", "e-mail; upstream: dead (invalid address)"},
	{"sample.md", 26, "mailto:foo@@bar@@baz,bob@example.net?subject=Test", "e-mail; upstream: dead (invalid address)"},
	{"sample.md", 30, "hhttppss://example.org", "unknown scheme; upstream: error; removed (unsafe-url) unless markdown.unsafe"},
	{"sample.md", 31, "applesauce://example.org", "unknown scheme; upstream: error; removed (unsafe-url) unless markdown.unsafe"},
	{"section-links.md", 32, "https://BASEURL#level-two-heading", "external; upstream maps it to the page itself with baseUrl: alive"},
	{"section-links.md", 34, "https://BASEURL/#level-two-heading", "external; upstream maps it to the page itself with baseUrl: alive"},
	{"section-links.md", 36, "https://BASEURL////#level-two-heading", "external; upstream maps it to the page itself with baseUrl: alive"},
}

// linkCheckEnv is one way of loading the fixtures.
type linkCheckEnv struct {
	name string
	// unsafe renders raw HTML as written and links to any scheme; else
	// GitHub's allowlist applies and links to unknown schemes are removed.
	unsafe bool
	// image adds a stand-in for upstream's test/hello.jpg.
	image bool
}

// wantDead is our verdict on c in env.
func (env linkCheckEnv) wantDead(c linkCase) bool {
	switch {
	case c.why == absentImage && env.image:
		return false
	}
	return c.dead
}

// TestLinkCheckCorpus loads markdown-link-check's fixtures as a site and
// compares every internal link's verdict with upstream's expectations.
func TestLinkCheckCorpus(t *testing.T) {
	src := golden.CorpusDir(t, "fixtures-markdown-link-check", "test")
	fixtures, err := filepath.Glob(filepath.Join(src, "*.md"))
	if err != nil || len(fixtures) == 0 {
		golden.MissingCorpus(t, "no markdown-link-check fixtures in %s (see ../shared/corpus/README.md)", src)
	}
	files := map[string]string{}
	for _, f := range fixtures {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Mounted at /test/ so that site paths mean what upstream's
		// projectBaseUrl (the repository root) makes them mean.
		files["content/test/"+filepath.Base(f)] = string(b)
	}
	for _, c := range linkCheckCases {
		if _, ok := files["content/test/"+c.file]; !ok {
			t.Fatalf("fixture %s is missing from %s", c.file, src)
		}
	}

	for _, env := range []linkCheckEnv{
		{name: "corpus", unsafe: true},
		{name: "with-hello.jpg", unsafe: true, image: true},
		{name: "raw-html-sanitized", unsafe: false},
	} {
		t.Run(env.name, func(t *testing.T) {
			dir := t.TempDir()
			write(t, dir, files)
			if env.image {
				write(t, dir, map[string]string{"content/test/hello.jpg": "stand-in for upstream's test/hello.jpg"})
			}
			s := loadLinkCheck(t, dir, env.unsafe)
			checkLinkVerdicts(t, s, env)
		})
	}
}

func loadLinkCheck(t *testing.T, dir string, unsafe bool) *Site {
	t.Helper()
	cfg := DefaultConfig(dir)
	cfg.Roots = []Root{{Dir: "content", Mount: "/"}}
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	cfg.Unsafe = unsafe
	cfg.NoHTML = true // as handbook check loads
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func checkLinkVerdicts(t *testing.T, s *Site, env linkCheckEnv) {
	t.Helper()
	key := func(file string, line int) string { return fmt.Sprintf("content/test/%s:%d", file, line) }

	// Every link of every fixture is in one table or the other.
	cases := map[string]linkCase{}
	for _, c := range linkCheckCases {
		k := key(c.file, c.line)
		if _, dup := cases[k]; dup {
			t.Fatalf("two cases at %s", k)
		}
		cases[k] = c
	}
	outOfScope := map[string]string{}
	for _, o := range linkCheckOutOfScope {
		outOfScope[key(o.file, o.line)] = o.link
	}
	seen := map[string]bool{}
	for _, p := range s.Pages {
		for _, l := range p.Doc.Links {
			k := fmt.Sprintf("%s:%d", p.Path, l.Line)
			want := cases[k].link
			if o, ok := outOfScope[k]; ok {
				want = o
			}
			if want != l.Dest {
				t.Errorf("%s: link %q is in neither table (table has %q)", k, l.Dest, want)
			}
			seen[k] = true
		}
		for _, u := range p.Doc.Unsafe {
			k := fmt.Sprintf("%s:%d", p.Path, u.Line)
			if env.unsafe {
				t.Errorf("%s: %q removed although markdown.unsafe is on", k, u.URL)
			}
			if outOfScope[k] != u.URL {
				t.Errorf("%s: %q removed, and the out-of-scope list has %q", k, u.URL, outOfScope[k])
			}
			seen[k] = true
		}
	}
	for k := range cases {
		if !seen[k] {
			t.Errorf("%s: no link parsed where the table has %q", k, cases[k].link)
		}
	}
	for k, link := range outOfScope {
		if !seen[k] {
			t.Errorf("%s: no link parsed where the out-of-scope list has %q", k, link)
		}
	}

	// Our verdicts: a link is dead when a broken-link or broken-anchor
	// finding is at it.
	found := map[string]string{}
	for _, d := range s.Diags {
		if d.Rule != "broken-link" && d.Rule != "broken-anchor" {
			continue
		}
		if d.Pos.Line < 1 || d.Pos.Col < 1 {
			t.Errorf("finding without line and column: %v", d)
		}
		k := fmt.Sprintf("%s:%d", d.Pos.File, d.Pos.Line)
		if _, ok := found[k]; ok {
			t.Errorf("%s: more than one finding: %v", k, d)
		}
		found[k] = d.Rule
		if _, ok := outOfScope[k]; ok {
			t.Errorf("finding on an out-of-scope link: %v", d)
		}
	}

	// agree counts verdicts that match upstream's for the same reason,
	// coincide those that match although the table explains a difference
	// (an unchecked site path upstream finds, a placeholder that is dead
	// either way).
	agree, coincide := 0, 0
	for _, c := range linkCheckCases {
		k := key(c.file, c.line)
		rule, dead := found[k]
		wantDead := env.wantDead(c)
		if dead != wantDead {
			t.Errorf("%s: %s: dead = %v, want %v (upstream: %s; %s %s)", k, c.link, dead, wantDead, c.mlc, c.why, c.note)
			continue
		}
		wantRule := "broken-link"
		if strings.HasPrefix(c.link, "#") {
			wantRule = "broken-anchor"
		}
		if dead && rule != wantRule {
			t.Errorf("%s: %s: rule %s, want %s", k, c.link, rule, wantRule)
		}
		explained := c.why != same && !(c.why == absentImage && env.image)
		switch {
		case c.mlc != mlcSkipped && (c.mlc == mlcDead) == dead && !explained:
			agree++
		case c.mlc != mlcSkipped && (c.mlc == mlcDead) == dead:
			coincide++
		case !explained:
			t.Errorf("%s: %s: upstream says %s, we say dead = %v, and the table gives no reason", k, c.link, c.mlc, dead)
		}
	}
	reasons := map[linkDiff]int{}
	for _, c := range linkCheckCases {
		if c.why != same {
			reasons[c.why]++
		}
	}
	keys := make([]int, 0, len(reasons))
	for r := range reasons {
		keys = append(keys, int(r))
	}
	slices.Sort(keys)
	var summary []string
	for _, r := range keys {
		summary = append(summary, fmt.Sprintf("%s: %d", linkDiff(r), reasons[linkDiff(r)]))
	}
	t.Logf("%d internal links compared: %d agree with upstream, %d match by coincidence, %d differ; rows by reason: %s; %d links out of scope",
		len(linkCheckCases), agree, coincide, len(linkCheckCases)-agree-coincide, strings.Join(summary, ", "), len(linkCheckOutOfScope))
}
