package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// loadSite loads a small handbook from two repositories: the site's own
// content and payments' runbooks.
func loadSite(t *testing.T) *site.Site {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"site/content/index.md":      "# Home\n\nSee [[Database failover]].\n",
		"site/content/adr/0007-x.md": "---\ntitle: Use X\nstatus: accepted\ndate: 2026-01-01\naliases: [/old/x/]\n---\n## Context {#why}\n\nx[^1]\n\n[^1]: note\n",
		"site/content/docs/a.png":    "png",
		"payments/docs/runbooks/db-failover.md": "---\ntitle: Database failover\nservice: payments\nowner: p\nlast_reviewed: 2026-11-01\n---\n" +
			"## Mitigation\n\n<a id=\"raw\"></a> [[ADR-0007]]\n",
		"payments/docs/runbooks/draft.md": "---\ntitle: Draft\ndraft: true\n---\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := site.DefaultConfig(filepath.Join(dir, "site"))
	cfg.Now = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	cfg.Title, cfg.BaseURL = "Acme", "https://hb.example.com/"
	cfg.Git.Repo = "https://github.com/acme/handbook"
	cfg.Roots = append(cfg.Roots, site.Root{
		Dir: filepath.Join(dir, "payments", "docs", "runbooks"), Mount: "/runbooks/payments/", Kind: page.KindRunbook,
		Source: "payments", RepoPath: "docs/runbooks", Repo: "https://github.com/acme/payments",
	})
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestFromSite(t *testing.T) {
	s := loadSite(t)
	m := FromSite(s, []Source{{Name: "payments", Ref: "main", Commit: "abc123"}, {Name: "", Commit: "def456"}})
	if m.Version != Version || m.Title != "Acme" || m.BaseURL != "https://hb.example.com/" || !m.Built.Equal(time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("head: %+v", m)
	}
	want := []Source{
		{Name: "", Repo: "https://github.com/acme/handbook", Commit: "def456", Roots: []Root{{Dir: "content", Mount: "/"}}},
		{Name: "payments", Repo: "https://github.com/acme/payments", Ref: "main", Commit: "abc123", Roots: []Root{{Dir: "docs/runbooks", Mount: "/runbooks/payments/", Kind: "runbook"}}},
	}
	if got := string(mustJSON(t, m.Sources)); got != string(mustJSON(t, want)) {
		t.Errorf("sources:\n%s\nwant:\n%s", got, mustJSON(t, want))
	}
	var urls []string
	for _, p := range m.Pages {
		urls = append(urls, p.URL)
	}
	if want := []string{"/", "/adr/0007-x/", "/runbooks/payments/db-failover/", "/runbooks/payments/draft/"}; !slices.Equal(urls, want) {
		t.Errorf("pages %v, want %v (drafts included)", urls, want)
	}
	adr, rb, draft := m.Pages[1], m.Pages[2], m.Pages[3]
	if !slices.Equal(adr.IDs, []string{"fn:1", "fnref:1", "why"}) {
		t.Errorf("ADR ids %v", adr.IDs)
	}
	if !slices.Equal(adr.Refs, []string{"name:0007-x", "name:x", "number:7", "title:use x"}) {
		t.Errorf("ADR refs %v", adr.Refs)
	}
	if adr.Number == nil || *adr.Number != 7 || adr.Status != "accepted" || !slices.Equal(adr.Aliases, []string{"/old/x/"}) {
		t.Errorf("ADR %+v", adr)
	}
	if !slices.Equal(adr.LinkedFrom, []string{"/runbooks/payments/db-failover/"}) {
		t.Errorf("ADR linked from %v", adr.LinkedFrom)
	}
	if rb.Path != "payments:docs/runbooks/db-failover.md" || rb.Source != "payments" || !slices.Equal(rb.IDs, []string{"mitigation", "raw"}) || rb.Number != nil {
		t.Errorf("runbook %+v", rb)
	}
	if !draft.Draft {
		t.Errorf("draft %+v", draft)
	}
	if !slices.Equal(m.Files, []string{"/docs/a.png"}) {
		t.Errorf("files %v", m.Files)
	}
}

// TestWriteRead: what Write writes, Parse reads back to the same bytes,
// and the same site always gives the same bytes.
func TestWriteRead(t *testing.T) {
	s := loadSite(t)
	a := FromSite(s, nil).Bytes()
	for range 5 {
		if b := FromSite(s, nil).Bytes(); !bytes.Equal(a, b) {
			t.Fatalf("two manifests of one site differ:\n%s\n%s", a, b)
		}
	}
	m, err := Parse("m.json", a)
	if err != nil {
		t.Fatal(err)
	}
	if b := m.Bytes(); !bytes.Equal(a, b) {
		t.Errorf("read and written again, it differs:\n%s\n%s", a, b)
	}
	if !bytes.HasPrefix(a, []byte("{\"version\":1,")) || !bytes.HasSuffix(a, []byte("}\n")) {
		t.Errorf("not compact JSON with the version first:\n%s", a)
	}
}

// TestWriteManyPages: a manifest of many pages, whose pages are encoded
// in blocks on every core, is the bytes encoding/json gives for the whole
// of it, whatever its strings hold (a title that reads as the pages' key
// among them), and Parse reads it back.
func TestWriteManyPages(t *testing.T) {
	odd := []string{`"pages":null`, `<a href="x">&amp;</a>`, "tab\tline\nbreak", "naïve — café ✓", `back\slash "quoted"`, "\u2028 line separator \u2029", ""}
	for _, n := range []int{0, 1, 2*pageBlock - 1, 2 * pageBlock, 3*pageBlock + 7} {
		m := &Manifest{Version: Version, Title: odd[n%len(odd)], BaseURL: "https://h.example/", Built: time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC),
			Sources: []Source{{Name: "", Repo: "https://example.com/r", Roots: []Root{{Dir: ".", Mount: "/"}}}}, Files: []string{"/a.png"}}
		for i := range n {
			num := i
			p := Page{URL: fmt.Sprintf("/p/%05d/", i), Title: odd[i%len(odd)], Kind: "adr", Path: fmt.Sprintf("p/%05d.md", i),
				IDs: []string{"a", odd[(i+1)%len(odd)]}, Refs: []string{"name:" + odd[(i+2)%len(odd)]}, Number: &num, Status: "accepted"}
			if i%3 == 0 {
				p.LinkedFrom = []string{"/p/00000/"}
			}
			m.Pages = append(m.Pages, p)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		c := *m
		c.sort()
		if err := enc.Encode(&c); err != nil {
			t.Fatal(err)
		}
		got := m.Bytes()
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("%d pages: not what encoding/json gives:\n%.300s\n%.300s", n, got, want.Bytes())
		}
		var b bytes.Buffer
		if err := m.Write(&b); err != nil || !bytes.Equal(b.Bytes(), got) {
			t.Fatalf("%d pages: Write differs from Bytes (%v)", n, err)
		}
		back, err := Parse("m.json", got)
		if err != nil {
			t.Fatalf("%d pages: %v", n, err)
		}
		if len(back.Pages) != n {
			t.Fatalf("%d pages read back as %d", n, len(back.Pages))
		}
	}
}

func TestRead(t *testing.T) {
	data := FromSite(loadSite(t), nil).Bytes()
	ctx := context.Background()

	file := filepath.Join(t.TempDir(), "manifest.json")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if m, err := Read(ctx, file); err != nil || len(m.Pages) != 4 {
		t.Errorf("Read(file) = %v, %v", m, err)
	}
	if _, err := Read(ctx, file+".gone"); err == nil || !strings.Contains(err.Error(), "manifest.json.gone") {
		t.Errorf("Read(missing file) = %v", err)
	}

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/hb/manifest.json" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(data)
	}))
	defer srv.Close()
	if m, err := Read(ctx, srv.URL+"/hb/manifest.json"); err != nil || len(m.Pages) != 4 {
		t.Errorf("Read(URL) = %v, %v", m, err)
	}
	_, err := Read(ctx, srv.URL+"/nope/manifest.json")
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/nope/manifest.json: 404 Not Found") {
		t.Errorf("Read(404) = %v", err)
	}
	stall := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer stall.Close()
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := Read(short, stall.URL+"/manifest.json"); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Read(stalled server) = %v, want a deadline", err)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name, data, want string
		version          bool
	}{
		{"newer", `{"version": 2, "pages": []}`, `m.json: unknown manifest version 2; this handbook reads version 1`, true},
		{"none", `{"title": "x"}`, `m.json: unknown manifest version: no "version"`, true},
		{"syntax", "{\n  \"version\": 1,\n  \"pages\": [}\n", "m.json:3:13: invalid character '}'", false},
		{"cut short", "{\n  \"version\": 1,\n  \"pages\": [", "m.json:3:13: unexpected end of JSON input", false},
		{"type", "{\n  \"version\": 1,\n  \"pages\": [{\"url\": 7}]\n}\n", "m.json:3:21: json: cannot unmarshal number", false},
		{"not an object", "[1]", "m.json:1:", false},
		{"relative url", `{"version": 1, "pages": [{"url": "x/", "path": "x.md"}]}`, `m.json: page 1 (x.md): url "x/" does not start with /`, false},
	} {
		_, err := Parse("m.json", []byte(tc.data))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %s…", tc.name, err, tc.want)
		}
		if tc.version != errors.Is(err, ErrVersion) {
			t.Errorf("%s: errors.Is(ErrVersion) = %v", tc.name, !tc.version)
		}
	}
}

func TestNormalizeRepo(t *testing.T) {
	for in, want := range map[string]string{
		"https://github.com/acme/payments":          "github.com/acme/payments",
		"https://github.com/Acme/payments.git":      "github.com/acme/payments",
		"https://github.com/acme/payments/":         "github.com/acme/payments",
		"git@github.com:acme/payments.git":          "github.com/acme/payments",
		"ssh://git@github.com/acme/payments.git":    "github.com/acme/payments",
		"ssh://git@github.com:22/acme/payments.git": "github.com/acme/payments",
		"https://user:token@gitlab.example.com/a/b": "gitlab.example.com/a/b",
		"../payments":       "",
		"/srv/git/payments": "",
		"":                  "",
	} {
		if got := NormalizeRepo(in); got != want {
			t.Errorf("NormalizeRepo(%q) = %q, want %q", in, got, want)
		}
	}
	m := &Manifest{Sources: []Source{{Name: ""}, {Name: "payments", Repo: "https://github.com/acme/payments"}}}
	if s := m.ByRepo("git@github.com:acme/payments.git"); s == nil || s.Name != "payments" {
		t.Errorf("ByRepo = %v", s)
	}
	if s := m.ByRepo("../elsewhere"); s != nil {
		t.Errorf("ByRepo(a path) = %v", s)
	}
}

// TestRemote: a manifest answers for the pages of the other sources only,
// finds a page's file by its mount path, and gives the pages of the other
// sources that link to a page of the local one.
func TestRemote(t *testing.T) {
	m := FromSite(loadSite(t), nil)
	r := m.Remote("payments")
	if _, ok := r.Page("/runbooks/payments/db-failover/"); ok {
		t.Error("the local source's page is remote")
	}
	p, ok := r.Page("/adr/0007-x/")
	if !ok || p.Path != "content/adr/0007-x.md" || !p.HasNumber || p.Number != 7 || p.Kind != page.KindADR || p.Title != "Use X" {
		t.Errorf("Page(/adr/0007-x/) = %+v, %v", p, ok)
	}
	if u, ok := r.File("/adr/0007-x.md"); !ok || u != "/adr/0007-x/" {
		t.Errorf("File = %q, %v", u, ok)
	}
	if u, ok := r.Alias("/old/x/"); !ok || u != "/adr/0007-x/" {
		t.Errorf("Alias = %q, %v", u, ok)
	}
	if got := r.Named("number:7"); !slices.Equal(got, []string{"/adr/0007-x/"}) {
		t.Errorf("Named = %v", got)
	}
	if got := r.Named("title:database failover"); got != nil {
		t.Errorf("Named gives the local source's page: %v", got)
	}
	if !r.Exists("/adr/") || !r.Exists("/docs/a.png") || !r.Exists("/docs/") || r.Exists("/runbooks/payments/") {
		t.Error("Exists: folders and files of the other sources only")
	}
	if got := r.LinkedFrom("/runbooks/payments/db-failover/"); !slices.Equal(got, []string{"/"}) {
		t.Errorf("LinkedFrom = %v", got)
	}
	if got := r.LinkedFrom("/adr/0007-x/"); got != nil {
		t.Errorf("LinkedFrom gives the local source's pages: %v", got)
	}
	roots := m.SiteRoots("payments")
	if len(roots) != 1 || roots[0].Dir != filepath.FromSlash("docs/runbooks") || roots[0].Source != "payments" || roots[0].RepoPath != "docs/runbooks" || roots[0].Kind != page.KindRunbook {
		t.Errorf("SiteRoots = %+v", roots)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"version": 1, "pages": [{"url": "/a/", "path": "a.md", "ids": ["x"], "number": 0}], "sources": [{"name": "", "roots": [{"dir": ".", "mount": "/"}]}]}`))
	f.Add([]byte(`{"version": 1}`))
	f.Add([]byte("{\n\"version\": 1,\n\"pages\": [\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("f.json", data)
		if err != nil {
			return
		}
		again, err := Parse("f.json", m.Bytes())
		if err != nil {
			t.Fatalf("a manifest written does not read: %v", err)
		}
		if !bytes.Equal(again.Bytes(), m.Bytes()) {
			t.Fatal("written twice, it differs")
		}
		r := m.Remote("x")
		for _, p := range m.Pages {
			r.Page(p.URL)
			r.LinkedFrom(p.URL)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	m := &Manifest{Version: 1, Sources: v.([]Source)}
	if err := m.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
