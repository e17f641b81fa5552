package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/atom"
	"github.com/handbook-dev/handbook/internal/browsertest"
)

// buildOwn builds the project's own handbook with the build flags given
// into a temporary folder, and returns it and the summary line; any
// finding fails the test.
func buildOwn(t *testing.T, flags ...string) (out, summary string) {
	t.Helper()
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	out = t.TempDir()
	var stdout, stderr bytes.Buffer
	args := append(append([]string{"-C", root, "build"}, flags...), "--out", out)
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
		t.Fatalf("build %v: exit %d\n%s%s", flags, code, stderr.String(), stdout.String())
	}
	return out, stdout.String()
}

// TestOwnBlog builds the public profile of the project's own handbook (its
// posts and example postmortem: handbook.yaml's profiles.public), checks
// its Atom feed, and opens the blog in headless Chromium: the postmortem
// index is a blog, newest first, and the postmortem page shows its facts
// first, its timeline as a timeline, and the tags that share it.
func TestOwnBlog(t *testing.T) {
	chromium := browsertest.Chromium(t)
	out, summary := buildOwn(t, "--profile", "public")
	if !strings.Contains(summary, "1 postmortem, 2 posts") {
		t.Errorf("the blog is not the example postmortem and the two posts: %s", summary)
	}

	feed, err := os.ReadFile(filepath.Join(out, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	f, probs := atom.Check(feed)
	for _, p := range probs {
		t.Errorf("feed.xml: %s", p)
	}
	if f != nil && len(f.Entries) != 3 {
		t.Errorf("feed.xml has %d entries, want 3", len(f.Entries))
	}
	robots, _ := os.ReadFile(filepath.Join(out, "robots.txt"))
	if !strings.Contains(string(robots), "Sitemap: https://handbook-dev.github.io/handbook/blog/sitemap.xml") {
		t.Errorf("robots.txt: %q", robots)
	}

	// The blog is served under its base path, as GitHub Pages would.
	mux := http.NewServeMux()
	mux.Handle("/handbook/blog/", http.StripPrefix("/handbook/blog", http.FileServer(http.Dir(out))))
	srv := httptest.NewServer(mux)
	defer srv.Close()
	tab, cancel := chromedp.NewContext(browsertest.Allocator(t, chromium))
	defer cancel()
	ctx, cancelCtx := context.WithTimeout(tab, time.Minute)
	defer cancelCtx()
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/handbook/blog/postmortems/")); err != nil {
		t.Fatal(err)
	}
	index := eval(`Array.from(document.querySelectorAll(".pm-blog li")).map(li => li.innerText.replace(/\s+/g, " ")).join("\n")`)
	for _, want := range []string{"Example: the handbook site served stale pages", "SEV-3", "of impact", "handbook-site", "min read"} {
		if !strings.Contains(index, want) {
			t.Errorf("the postmortem blog lacks %q:\n%s", want, index)
		}
	}

	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/handbook/blog/postmortems/2026-10-example-stale-site/")); err != nil {
		t.Fatal(err)
	}
	// Facts come before the text; the owner is internal and not shown.
	facts := eval(`document.querySelector("dl.facts").textContent`)
	for _, want := range []string{"Severity", "Duration", "Time to detect", "Time to resolve"} {
		if !strings.Contains(facts, want) {
			t.Errorf("the facts lack %q: %s", want, facts)
		}
	}
	if strings.Contains(facts, "Owner") || strings.Contains(eval(`document.body.innerText`), "docs-platform on-call, SRE on-call") {
		t.Errorf("an internal field is shown: %s", facts)
	}
	if eval(`String(document.querySelector("dl.facts").getBoundingClientRect().top < document.querySelector("#summary").getBoundingClientRect().top)`) != "true" {
		t.Error("the facts are not above the summary")
	}
	// The timeline is drawn as one: a line down its left and a dot per event.
	line := eval(`(() => { const l = document.querySelector(".timeline"); if (!l) return "none"; const d = getComputedStyle(l.querySelector("td, li"), "::before"); let h = l.previousElementSibling; while (h && h.tagName !== "H2") h = h.previousElementSibling; return getComputedStyle(l).borderLeftStyle + " " + d.borderRadius + " " + (h ? h.id : "") })()`)
	if line != "solid 50% timeline" {
		t.Errorf("the timeline is not drawn as a timeline (border, dot, heading): %s", line)
	}
	meta := eval(`["canonical", "og:url", "og:type", "og:title", "twitter:card"].map(n => { const e = document.querySelector('link[rel="' + n + '"], meta[property="' + n + '"], meta[name="' + n + '"]'); return n + "=" + (e ? (e.href || e.content) : "") }).join(" ")`)
	for _, want := range []string{"canonical=https://handbook-dev.github.io/handbook/blog/postmortems/2026-10-example-stale-site/", "og:type=article", "og:title=Example: the handbook site", "twitter:card=summary"} {
		if !strings.Contains(meta, want) {
			t.Errorf("head lacks %s: %s", want, meta)
		}
	}
	// Links to the rest of the handbook go to the documentation site.
	links := eval(`Array.from(document.querySelectorAll("main a[href]")).map(a => a.href).filter(h => h.includes("/runbooks/")).join(" ")`)
	if !strings.Contains(links, "https://handbook-dev.github.io/handbook/runbooks/broken-template-keeps-old-site/") {
		t.Errorf("links to runbooks: %s", links)
	}
}
