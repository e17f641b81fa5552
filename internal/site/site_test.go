package site

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
)

func write(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func load(t *testing.T, dir string) *Site {
	t.Helper()
	return loadConfig(t, DefaultConfig(dir))
}

func loadConfig(t *testing.T, cfg Config) *Site {
	t.Helper()
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func diagStrings(s *Site) []string {
	var out []string
	for _, d := range s.Diags {
		out = append(out, d.String())
	}
	return out
}

// TestBadInput feeds the loader the files that break lesser tools: every
// one is a positioned diagnostic, and the good page still loads.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/good.md":     "# Good\n",
		"content/latin1.md":   "# Caf\xe9\n",
		"content/binary.md":   "PK\x03\x04\x00\x00binary",
		"content/empty.md":    "",
		"content/unclosed.md": "---\ntitle: x\n# no end\n",
		"content/toml.md":     "+++\ntitle = 'x'\n+++\nbody\n",
		"content/list.md":     "---\n- a\n- b\n---\n# List\n",
	})
	huge := strings.Repeat("x", 9<<20)
	write(t, dir, map[string]string{"content/huge.md": huge})
	if err := os.Symlink("../content", filepath.Join(dir, "content", "loop")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("nowhere.md", filepath.Join(dir, "content", "dangling.md")); err != nil {
		t.Fatal(err)
	}
	s := load(t, dir)
	got := strings.Join(diagStrings(s), "\n")
	for _, want := range []string{
		"content/binary.md:1:5: error binary-file: file looks binary",
		"content/dangling.md: error unreadable: broken symbolic link",
		"content/huge.md: error file-too-large: file is 9 MB",
		"content/latin1.md:1:6: error invalid-utf8: file is not valid UTF-8 (invalid byte 0xe9)",
		"content/list.md:2:1: error front-matter-syntax: front matter must be a mapping",
		"content/loop: error symlink-loop: symbolic link leads back to content",
		"content/toml.md:1:1: error front-matter-syntax: TOML front matter is not supported",
		"content/unclosed.md:1:1: error front-matter-syntax: front matter opened with \"---\" is never closed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing diagnostic %q in:\n%s", want, got)
		}
	}
	for _, u := range []string{"/good/", "/latin1/", "/empty/", "/unclosed/", "/toml/", "/list/"} {
		if s.PageAt(u) == nil {
			t.Errorf("no page at %s", u)
		}
	}
	if p := s.PageAt("/latin1/"); p != nil && p.Title != "Caf\uFFFD" {
		t.Errorf("latin1 title = %q", p.Title)
	}
}

func TestURLsAndDuplicates(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/index.md":              "# Home\n",
		"content/Team Notes/On Call.md": "# On call\n",
		"content/adr/README.md":         "# Decisions\n",
		"content/adr/index.md":          "# ADR index\n",
		// Pages between README.md and index.md in path order: index.md
		// still wins.
		"content/guides/README.md":                 "# Guides readme\n",
		"content/guides/about.md":                  "# About\n",
		"content/guides/Zebra.md":                  "# Zebra\n",
		"content/guides/_index.md":                 "# Guides index\n",
		"content/a.md":                             "---\ntitle: A\naliases: [/b/]\n---\n",
		"content/b.md":                             "# B\n",
		"runbooks/db/failover.md":                  "---\ntitle: F\nservice: db\nowner: o\nlast_reviewed: 2026-11-01\n---\n",
		"content/postmortems/2026-01-02-outage.md": "# Outage\n",
	})
	s := load(t, dir)
	for path, url := range map[string]string{
		"content/index.md":                         "/",
		"content/Team Notes/On Call.md":            "/team-notes/on-call/",
		"content/adr/index.md":                     "/adr/",
		"content/adr/README.md":                    "/adr/readme/",
		"content/guides/_index.md":                 "/guides/",
		"content/guides/README.md":                 "/guides/readme/",
		"content/guides/about.md":                  "/guides/about/",
		"runbooks/db/failover.md":                  "/runbooks/db/failover/",
		"content/postmortems/2026-01-02-outage.md": "/postmortems/2026-01-02-outage/",
	} {
		var found *Page
		for _, p := range s.Pages {
			if p.Path == path {
				found = p
			}
		}
		if found == nil || found.URL != url {
			t.Errorf("%s: got %+v, want URL %s", path, found, url)
		}
	}
	if p := s.PageAt("/runbooks/db/failover/"); p == nil || p.Kind != "runbook" {
		t.Errorf("runbook kind from root: %+v", p)
	}
	if p := s.PageAt("/postmortems/2026-01-02-outage/"); p == nil || p.Kind != "postmortem" || p.Date.IsZero() {
		t.Errorf("postmortem kind and date from path: %+v", p)
	}
	got := strings.Join(diagStrings(s), "\n")
	for _, want := range []string{
		"content/adr/README.md:1:1: warning duplicate-url: page has the same URL /adr/ as content/adr/index.md; it was published at /adr/readme/ instead",
		"content/a.md:3:1: error alias-clash: alias /b/ is the URL of content/b.md",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing diagnostic %q in:\n%s", want, got)
		}
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/adr/0007-use-goldmark.md":   "---\ntitle: Use goldmark\nstatus: accepted\ndate: 2026-01-01\n---\n",
		"content/adr/0012-replace-parser.md": "---\ntitle: Replace parser\nstatus: accepted\ndate: 2026-02-01\nsupersedes: [7]\n---\n",
		"runbooks/db-failover.md":            "---\ntitle: DB failover\nservice: db\nowner: o\nlast_reviewed: 2026-11-01\n---\n",
		"content/guide.md":                   "---\ntitle: Guide\n---\n[[adr-7]] [[ADR-0012]] [[runbook:db-failover]] [[Use goldmark]] [[db-failover#steps]] [[Twin]] [[nope]]\n",
		"content/a/twin.md":                  "# Twin\n",
		"content/b/twin.md":                  "# Twin\n",
	})
	s := load(t, dir)
	g := s.PageAt("/guide/")
	var got []string
	for _, r := range g.Doc.Refs {
		got = append(got, r.Target+"="+r.URL)
	}
	want := "adr-7=/adr/0007-use-goldmark/ ADR-0012=/adr/0012-replace-parser/ runbook:db-failover=/runbooks/db-failover/ Use goldmark=/adr/0007-use-goldmark/ db-failover#steps=/runbooks/db-failover/#steps Twin= nope="
	if strings.Join(got, " ") != want {
		t.Errorf("refs:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	d := strings.Join(diagStrings(s), "\n")
	if !strings.Contains(d, `content/guide.md:4:87: error ambiguous-reference: ambiguous reference "Twin" matches content/a/twin.md, content/b/twin.md`) ||
		!strings.Contains(d, `content/guide.md:4:96: error broken-reference: reference "nope"`) {
		t.Errorf("diagnostics:\n%s", d)
	}
	old := s.PageAt("/adr/0007-use-goldmark/")
	if len(old.SupersededBy) != 1 || old.SupersededBy[0].URL != "/adr/0012-replace-parser/" {
		t.Errorf("one-sided supersession not shown on the old ADR: %v", old.SupersededBy)
	}
	if len(old.Backlinks) != 2 {
		t.Errorf("backlinks of ADR 7: %d", len(old.Backlinks))
	}
}

// TestTagsOrder: tags are sorted by slug, and each tag's pages as the
// navigation sorts them: weight first (none last), then title whatever its
// case, then URL; a page that names a tag twice is there once.
func TestTagsOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/zeta.md":     "---\ntitle: zeta\ntags: [ops, db]\n---\nText.\n",
		"content/alpha.md":    "---\ntitle: Alpha\ntags: [ops, Ops]\n---\nText.\n",
		"content/heavy.md":    "---\ntitle: Zulu\nweight: 2\ntags: [ops]\n---\nText.\n",
		"content/light.md":    "---\ntitle: Yankee\nweight: 1\ntags: [ops, db]\n---\nText.\n",
		"content/b/beta.md":   "---\ntitle: beta\ntags: [ops]\n---\nText.\n",
		"content/a/beta.md":   "---\ntitle: Beta\ntags: [db]\n---\nText.\n",
		"content/untagged.md": "---\ntitle: Aaa\n---\nText.\n",
	})
	s := load(t, dir)
	var got []string
	for _, tg := range s.Tags() {
		var titles []string
		for _, p := range tg.Pages {
			titles = append(titles, p.Title+" "+p.URL)
		}
		got = append(got, tg.Slug+": "+strings.Join(titles, ", "))
	}
	want := []string{
		"db: Yankee /light/, Beta /a/beta/, zeta /zeta/",
		"ops: Yankee /light/, Zulu /heavy/, Alpha /alpha/, beta /b/beta/, zeta /zeta/",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("tags:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWalkedSizes: Walked is told the Markdown files the walk found and
// their bytes, a symbolic link's by its target, before any is parsed;
// other files are not counted.
func TestWalkedSizes(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/index.md":       "# Home\n",                // 7
		"content/guides/a.md":    "# A\n\nSome prose.\n",    // 17
		"runbooks/db/restart.md": "# Restart\n\nSteps.\n",   // 18
		"content/shared/b.md":    strings.Repeat("x", 1000), // 1000
		"content/img/logo.png":   "not markdown",
	})
	if err := os.Symlink(filepath.Join(dir, "content/shared/b.md"), filepath.Join(dir, "content/linked.md")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	cfg := DefaultConfig(dir)
	calls, files, bytes := 0, 0, int64(0)
	parsed := false
	cfg.Scan = func(string, []byte) diag.List { parsed = true; return nil }
	cfg.Walked = func(n int, b int64) {
		calls++
		files, bytes = n, b
		if parsed {
			t.Error("Walked called after a page was read")
		}
	}
	s := loadConfig(t, cfg)
	if calls != 1 || files != 5 || bytes != 7+17+18+1000+1000 {
		t.Errorf("Walked called %d times, last with %d files of %d bytes; want once, 5 files of %d bytes", calls, files, bytes, 7+17+18+1000+1000)
	}
	if len(s.Pages) != 5 {
		t.Errorf("%d pages, want 5", len(s.Pages))
	}
}
