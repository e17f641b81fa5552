package site

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/page"
)

// fakeRemote is a Remote over a few pages, as a manifest gives them.
func fakeRemote(pages []RemotePage, mounts map[string]string, linkedFrom map[string][]string) *Remote {
	byURL := map[string]RemotePage{}
	named := map[string][]string{}
	for _, p := range pages {
		byURL[p.URL] = p
		stem := strings.TrimSuffix(filepath.Base(p.Path), ".md")
		named["name:"+stem] = append(named["name:"+stem], p.URL)
		named["title:"+strings.ToLower(p.Title)] = append(named["title:"+strings.ToLower(p.Title)], p.URL)
		if p.HasNumber {
			k := "number:" + strconv.Itoa(p.Number)
			named[k] = append(named[k], p.URL)
		}
	}
	return &Remote{
		Page:       func(u string) (RemotePage, bool) { p, ok := byURL[u]; return p, ok },
		Alias:      func(u string) (string, bool) { return "", false },
		Named:      func(k string) []string { return named[k] },
		File:       func(mp string) (string, bool) { u, ok := mounts[mp]; return u, ok },
		Exists:     func(p string) bool { return p == "/platform/" || p == "/platform/diagram.svg" },
		LinkedFrom: func(u string) []string { return linkedFrom[u] },
	}
}

// TestRemote resolves links and references from the pages of one
// repository (payments) into the rest of the handbook, which only a Remote
// knows: site paths, mount paths, relative paths into another mount,
// references, anchors; and the broken ones of each.
func TestRemote(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"docs/runbooks/db.md": "---\ntitle: DB\n---\n" +
			"[a](/platform/deploy/) [b](/platform/deploy/#rollback) [c](../../platform/deploy.md#rollback)\n" + // 4
			"[d](/platform/deploy.md) [e](/platform/) [f](/platform/diagram.svg)\n" + // 5
			"[[Deploy]] [[deploy#rollback]] [[ADR-0003]] [[runbook:deploy]]\n" + // 6
			"[g](/platform/deploy/#Rollback)\n" + // 7
			"broken: [h](/platform/deploy/#nope) [[Deploy#nope]] [i](/platform/gone/) [j](../../platform/gone.md) [[Nothing here]]\n" + // 8
			"[[ADR-0001]]\n", // 9
		"docs/adr/0001-local.md": "---\ntitle: Local decision\nstatus: accepted\ndate: 2026-01-01\n---\n## Context\n\nx\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Roots = []Root{
		{Dir: "docs/runbooks", Mount: "/runbooks/payments/", Kind: page.KindRunbook, Source: "payments", RepoPath: "docs/runbooks"},
		{Dir: "docs/adr", Mount: "/adr/payments/", Kind: page.KindADR, Source: "payments", RepoPath: "docs/adr"},
	}
	cfg.Remote = fakeRemote([]RemotePage{
		{URL: "/platform/deploy/", Title: "Deploy", Kind: page.KindRunbook, Path: "platform:docs/deploy.md", IDs: []string{"rollback", "overview"}},
		{URL: "/adr/platform/0003-k8s/", Title: "Use Kubernetes", Kind: page.KindADR, Path: "platform:docs/adr/0003-k8s.md", Number: 3, HasNumber: true, Status: "accepted"},
		{URL: "/adr/platform/0001-other/", Title: "Other", Kind: page.KindADR, Path: "platform:docs/adr/0001-other.md", Number: 1, HasNumber: true, Status: "accepted"},
	}, map[string]string{"/platform/deploy.md": "/platform/deploy/"},
		map[string][]string{"/adr/payments/0001-local/": {"/platform/deploy/"}})
	s := loadConfig(t, cfg)

	p := s.PageAt("/runbooks/payments/db/")
	if p == nil {
		t.Fatal("no page /runbooks/payments/db/")
	}
	if p.Path != "payments:docs/runbooks/db.md" {
		t.Errorf("path %q, want payments:docs/runbooks/db.md", p.Path)
	}
	var dests []string
	for _, l := range p.Doc.Links {
		dests = append(dests, l.Dest+" → "+l.Target())
	}
	want := []string{
		"/platform/deploy/ → /platform/deploy/",
		"/platform/deploy/#rollback → /platform/deploy/#rollback",
		"../../platform/deploy.md#rollback → /platform/deploy/#rollback",
		"/platform/deploy.md → /platform/deploy/",
		"/platform/ → /platform/",
		"/platform/diagram.svg → /platform/diagram.svg",
		"/platform/deploy/#Rollback → /platform/deploy/#rollback",
		"/platform/deploy/#nope → /platform/deploy/#nope",
		"/platform/gone/ → /platform/gone/",
		"../../platform/gone.md → ../../platform/gone.md",
	}
	if !slices.Equal(dests, want) {
		t.Errorf("links:\n%s\nwant:\n%s", strings.Join(dests, "\n"), strings.Join(want, "\n"))
	}
	var refs []string
	for _, r := range p.Doc.Refs {
		refs = append(refs, fmt.Sprintf("%s → %s %q", r.Target, r.URL, r.Title))
	}
	wantRefs := []string{
		`Deploy → /platform/deploy/ "Deploy"`,
		`deploy#rollback → /platform/deploy/#rollback "Deploy"`,
		`ADR-0003 → /adr/platform/0003-k8s/ "ADR-0003: Use Kubernetes"`,
		`runbook:deploy → /platform/deploy/ "Deploy"`,
		`Deploy#nope → /platform/deploy/#nope "Deploy"`,
		`Nothing here →  ""`,
		// Each repository numbers its own ADRs: payments' own first.
		`ADR-0001 → /adr/payments/0001-local/ "ADR-0001: Local decision"`,
	}
	if !slices.Equal(refs, wantRefs) {
		t.Errorf("references:\n%s\nwant:\n%s", strings.Join(refs, "\n"), strings.Join(wantRefs, "\n"))
	}
	var got []string
	for _, d := range s.Diags {
		if d.Pos.File == p.Path && d.Rule != "required-field" {
			got = append(got, d.String())
		}
	}
	wantDiags := []string{
		`payments:docs/runbooks/db.md:7:1: info anchor-case: link to /platform/deploy/#Rollback: the id in platform:docs/deploy.md is #rollback, which differs in case; the link goes to it (GitHub ignores the case of fragments), but write it as the id is spelled`,
		`payments:docs/runbooks/db.md:8:9: error broken-anchor: link to /platform/deploy/#nope: platform:docs/deploy.md has no heading or element with id "nope"`,
		`payments:docs/runbooks/db.md:8:37: error broken-anchor: reference "Deploy#nope": platform:docs/deploy.md has no heading or element with id "nope"`,
		`payments:docs/runbooks/db.md:8:53: error broken-link: link to /platform/gone/: no page or file of the site is at that path; fix it (a path starting with / starts at the site root)`,
		`payments:docs/runbooks/db.md:8:74: error broken-link: link to ../../platform/gone.md: no such page; fix the path or create the page`,
		`payments:docs/runbooks/db.md:8:102: error broken-reference: reference "Nothing here": no page by that path, number, name or title`,
	}
	if !slices.Equal(got, wantDiags) {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantDiags, "\n"))
	}

	// Remote pages are linked to, never the site's own.
	if len(s.Pages) != 2 {
		t.Errorf("%d pages, want the 2 of payments", len(s.Pages))
	}
	if s.PageAt("/platform/deploy/") != nil {
		t.Error("PageAt gives a remote page")
	}
	var out []string
	for _, q := range p.Outgoing {
		out = append(out, q.URL)
	}
	if want := []string{"/adr/payments/0001-local/", "/adr/platform/0003-k8s/", "/platform/deploy/"}; !slices.Equal(out, want) {
		t.Errorf("outgoing %v, want %v", out, want)
	}
	// A remote page that links to a page of the site is among its
	// backlinks.
	adr := s.PageAt("/adr/payments/0001-local/")
	remoteBack := slices.IndexFunc(adr.Backlinks, func(q *Page) bool { return q.URL == "/platform/deploy/" && q.Href == "/platform/deploy/" })
	if len(adr.Backlinks) != 2 || remoteBack < 0 {
		t.Errorf("backlinks of the local ADR: %v", adr.Backlinks)
	}
}

// TestRemoteLocalWins: a page of the site answers before a remote page at
// the same URL or under the same reference key, and without a Remote
// nothing changes.
func TestRemoteLocalWins(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/a.md":   "# A\n\n[b](/b/) [[B]] [x](/x/)\n",
		"content/b.md":   "# B\n\n## Here\n",
		"content/sub.md": "# Sub\n\n[up](../../other/x.md)\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Remote = fakeRemote([]RemotePage{
		{URL: "/b/", Title: "B", Kind: page.KindPage, Path: "other:b.md"},
		{URL: "/x/", Title: "X", Kind: page.KindPage, Path: "other:x.md"},
	}, map[string]string{"/other/x.md": "/x/"}, nil)
	s := loadConfig(t, cfg)
	a := s.PageAt("/a/")
	if got := a.Outgoing; len(got) != 2 || got[0] != s.PageAt("/b/") || got[1].URL != "/x/" {
		t.Errorf("outgoing of /a/: %v", got)
	}
	if a.Doc.Refs[0].URL != "/b/" || a.Doc.Refs[0].Title != "B" {
		t.Errorf("[[B]] went to %s", a.Doc.Refs[0].URL)
	}
	// Within the site's own repository a relative link resolves on disk,
	// as GitHub resolves it, never in mount space.
	if d := diagStrings(s); len(d) != 1 || !strings.Contains(d[0], "content/sub.md:3:1: error broken-link: link to ../../other/x.md") {
		t.Errorf("findings: %v", d)
	}
}

// TestRefKeys: the keys a manifest lists for a page are exactly those the
// site's reference index files it under, so that a Remote answers as the
// site that holds the page does.
func TestRefKeys(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/adr/0007-use-goldmark.md": "---\ntitle: Use Goldmark\nstatus: accepted\ndate: 2026-01-01\naliases: [/old/goldmark.html]\n---\n",
		"content/docs/index.md":            "# Docs\n",
		"content/docs/DB Failover.md":      "---\ntitle: Database failover\naliases: [/runbooks/db/]\n---\n",
		"content/adr/decision.md":          "---\ntitle: A decision\nid: ADR-x\nstatus: accepted\ndate: 2026-01-01\n---\n",
	})
	s := load(t, dir)
	index := map[*Page][]string{}
	for k, ps := range s.refs.byName {
		for _, p := range ps {
			index[p] = append(index[p], "name:"+k)
		}
	}
	for k, ps := range s.refs.byTitle {
		for _, p := range ps {
			index[p] = append(index[p], "title:"+k)
		}
	}
	for n, ps := range s.refs.byNumber {
		for _, p := range ps {
			index[p] = append(index[p], "number:"+strconv.Itoa(n))
		}
	}
	for _, p := range s.Pages {
		got := slices.Sorted(slices.Values(p.RefKeys()))
		want := slices.Sorted(slices.Values(index[p]))
		if !slices.Equal(got, want) {
			t.Errorf("%s: RefKeys %v, index %v", p.Path, got, want)
		}
	}
}
