package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// publishedManifest is the manifest of a handbook published under /hb/,
// from the site's own repository and two sources; its base URL names no
// host, so the published site is where the manifest is.
const publishedManifest = `{
  "version": 1,
  "title": "Acme handbook",
  "base_url": "/hb/",
  "built": "2026-11-18T10:13:20Z",
  "sources": [
    {"name": "", "roots": [{"dir": "content", "mount": "/"}]},
    {"name": "payments", "repo": "https://github.com/acme/payments", "roots": [{"dir": "docs/runbooks", "mount": "/runbooks/payments/", "kind": "runbook"}]},
    {"name": "platform", "repo": "https://github.com/acme/platform", "roots": [{"dir": "docs/runbooks", "mount": "/runbooks/platform/", "kind": "runbook"}]}
  ],
  "pages": [
    {"url": "/", "title": "Acme handbook", "kind": "page", "path": "content/index.md", "refs": ["title:acme handbook"]},
    {"url": "/runbooks/payments/db-failover/", "title": "Database failover", "kind": "runbook", "path": "payments:docs/runbooks/db-failover.md", "source": "payments", "ids": ["mitigation"]},
    {"url": "/runbooks/platform/deploy/", "title": "Deploy a service", "kind": "runbook", "path": "platform:docs/runbooks/deploy.md", "source": "platform",
     "ids": ["mitigation", "overview"], "refs": ["name:deploy", "title:deploy a service"], "linked_from": ["/runbooks/payments/db-failover/"]}
  ]
}
`

const paymentsRunbook = `---
title: Database failover
service: payments
owner: payments-team
last_reviewed: 2026-11-01
escalation: payments on-call
---
## Overview

After a [deploy](/runbooks/platform/deploy/#mitigation), see [[Deploy a service]]
and [the home page](/). Not [this](/runbooks/platform/deploy/#nope).

## Verification

Check.

## Mitigation

Promote the replica.
`

// published stands for the published handbook: the manifest, and one
// page for every path, which says the path and that it is published. It
// records the paths asked for.
func published(t *testing.T) (*httptest.Server, func() []string) {
	var mu sync.Mutex
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.Method+" "+r.URL.Path)
		mu.Unlock()
		if r.Header.Get("Cookie") != "" {
			t.Errorf("the preview's cookies went to the published site: %s", r.Header.Get("Cookie"))
		}
		switch {
		case r.URL.Path == "/hb/manifest.json":
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, publishedManifest)
		case strings.HasPrefix(r.URL.Path, "/hb/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<p>published "+r.URL.Path+"</p>")
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}
}

// paymentsRepo writes the payments repository: one runbook.
func paymentsRepo(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "payments")
	p := filepath.Join(dir, "docs", "runbooks", "db-failover.md")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(paymentsRunbook), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestCheckSiteURL: check --site reads the manifest from the published
// site, and reports the repository's findings at the full build's
// positions.
func TestCheckSiteURL(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", sourceDateEpoch)
	pub, _ := published(t)
	dir := paymentsRepo(t)
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-C", dir, "check", "--no-cache", "--site", pub.URL + "/hb/manifest.json", "--source", "payments"}, &stdout, &stderr)
	want := "payments:docs/runbooks/db-failover.md:11:29: error broken-anchor: link to /runbooks/platform/deploy/#nope: platform:docs/runbooks/deploy.md has no heading or element with id \"nope\"\n"
	if code != 1 || stdout.String() != want {
		t.Errorf("exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s", code, stdout.String(), want, stderr.String())
	}

	code = run(context.Background(), []string{"-C", dir, "check", "--site", pub.URL + "/nope/manifest.json"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), pub.URL+"/nope/manifest.json: 404 Not Found") {
		t.Errorf("a missing manifest: exit %d, stderr:\n%s", code, stderr.String())
	}
}

// TestServeSite: serve --site serves the repository's pages live, with
// their links into the handbook rewritten as the full build writes them,
// and takes every other path from the published site.
func TestServeSite(t *testing.T) {
	t.Setenv("SOURCE_DATE_EPOCH", sourceDateEpoch)
	pub, asked := published(t)
	dir := paymentsRepo(t)
	r, url, err := startServe([]string{"-C", dir}, []string{"--site", pub.URL + "/hb/manifest.json", "--source", "payments"}, 10*time.Second)
	defer r.stop()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(url, "/hb/") {
		t.Fatalf("served at %s, want the manifest's base path /hb/", url)
	}
	base := strings.TrimSuffix(url, "/hb/")
	fetch := func(p string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, base+p, nil)
		req.AddCookie(&http.Cookie{Name: "preview", Value: "secret"})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var code int
		if code, body = fetch("/hb/runbooks/payments/db-failover/"); code == http.StatusOK {
			break
		}
	}
	for _, want := range []string{
		"Promote the replica", // the repository's own page, built here
		"data-handbook-live",  // live
		`href="/hb/runbooks/platform/deploy/#mitigation"`,
		`href="/hb/runbooks/platform/deploy/">Deploy a service</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the local page lacks %s:\n%s", want, body)
		}
	}
	for p, want := range map[string]string{
		"/hb/runbooks/platform/deploy/": "<p>published /hb/runbooks/platform/deploy/</p>",
		"/hb/":                          "<p>published /hb/</p>",
		"/hb/search/index.json":         "<p>published /hb/search/index.json</p>",
	} {
		if code, got := fetch(p); code != http.StatusOK || got != want {
			t.Errorf("%s: %d %q, want the published page %q", p, code, got, want)
		}
	}
	if code, got := fetch("/hb/assets/handbook.css"); code != http.StatusOK || strings.Contains(got, "published") {
		t.Errorf("the theme's files are the preview's own: %d %.80q", code, got)
	}
	if code, _ := fetch("/hb/runbooks/payments/gone/"); code != http.StatusNotFound {
		t.Errorf("a missing page of the repository: %d, want the preview's 404", code)
	}
	for _, a := range asked() {
		if strings.Contains(a, "/runbooks/payments/") || strings.Contains(a, "/assets/") {
			t.Errorf("the published site was asked for the repository's own %s", a)
		}
	}
}

// TestServeSiteLoopback: --site never exposes the published handbook to
// the network.
func TestServeSiteLoopback(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-C", t.TempDir(), "serve", "--site", "m.json", "--bind", "0.0.0.0"}, &stdout, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--bind must be a loopback address") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr.String())
	}
}
