package build_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
)

// rawHTMLPage is a page that uses raw HTML as READMEs on GitHub do, and
// tries to run script three ways.
const rawHTMLPage = `---
title: Raw HTML
---
<details>
<summary>Show the steps</summary>

1. First *step*.
2. Second step.

</details>

| Step | Notes |
| --- | --- |
| one | first line<br>second line |

<a name="anchor"></a>
The anchored paragraph.

<img src="pic.png" alt="A picture" width="40">

<script>window.pwned=1</script>

<img src=x onerror="window.pwned=2">

Do not <a id=js href="javascript:window.pwned=3">run this</a>.
`

// TestRawHTMLInBrowser builds a site whose page uses raw HTML and checks
// in headless Chromium that what GitHub keeps works (details open on a
// click, the image beside the page loads, <br> breaks a cell, an
// <a name> anchor is there for a link from another page) and that no
// script of the page runs.
func TestRawHTMLInBrowser(t *testing.T) {
	chromium := needChromium(t)
	dir := t.TempDir()
	var pic bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = 0x80
	}
	img.Set(0, 0, color.Black)
	if err := png.Encode(&pic, img); err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{
		"content/index.md": "---\ntitle: Home\n---\nSee [the page](page.md) and [its anchor](other.md).\n",
		"content/page.md":  rawHTMLPage,
		"content/pic.png":  pic.String(),
		"content/other.md": "---\ntitle: Other\n---\nJump to [the anchor](page.md#anchor).\n",
	})
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	out := filepath.Join(t.TempDir(), "public")
	res, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	// The anchor is found; the only findings are the javascript: URL
	// removed and the image "x", which does not exist.
	for _, d := range res.Diags {
		switch {
		case d.Rule == "unsafe-url" && strings.Contains(d.Message, "javascript:window.pwned=3"):
		case d.Rule == "broken-link" && d.Pos.Line == 23 && strings.HasSuffix(d.Pos.File, "page.md"):
		default:
			t.Errorf("unexpected finding: %v", d)
		}
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()

	tab := openTab(t, chromium)
	eval := func(what, js string) bool {
		t.Helper()
		ectx, cancel := context.WithTimeout(tab, navTimeout)
		defer cancel()
		ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool](js))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return ok
	}
	poll := func(what, js string) {
		t.Helper()
		pctx, cancel := context.WithTimeout(tab, navTimeout)
		defer cancel()
		if _, err := chromedp.Run(pctx, chromedp.Poll[chromedp.Void](js, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}

	// From the other page, the link goes to the anchor.
	if err := doWithin(tab, chromedp.Navigate(srv.URL+"/other/"), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("open /other/: %v", err)
	}
	ectx, cancelEval := context.WithTimeout(tab, navTimeout)
	href, err := chromedp.Run(ectx, chromedp.Evaluate[string](`[...document.querySelectorAll("a")].map(a => a.getAttribute("href")).find(h => h.includes("anchor")) || ""`))
	cancelEval()
	if err != nil || href != "/page/#anchor" {
		t.Fatalf("the link to page.md#anchor is %q (%v), want /page/#anchor", href, err)
	}
	if err := doWithin(tab, chromedp.Navigate(srv.URL+href), chromedp.WaitReady("body")); err != nil {
		t.Fatalf("open %s: %v", href, err)
	}
	if !eval("anchor", `document.getElementsByName("anchor").length === 1`) {
		t.Errorf("no element named anchor on %s", srv.URL+"/page/")
	}

	// details opens on a click of its summary, and holds the Markdown.
	if eval("details closed", `document.querySelector("details").open`) {
		t.Errorf("details is open before any click")
	}
	if err := doWithin(tab, chromedp.Click(chromedp.CSS("details > summary"))); err != nil {
		t.Fatalf("click summary: %v", err)
	}
	poll("details opens on a click of summary", `document.querySelector("details").open`)
	if !eval("details body", `!!document.querySelector("details ol li em")`) {
		t.Errorf("the Markdown inside details is not rendered")
	}

	// The image beside the page loads.
	poll("pic.png loads", `(() => { const i = document.querySelector('img[alt="A picture"]'); return i && i.complete && i.naturalWidth > 0 })()`)

	// <br> puts the cell's text on two lines.
	if !eval("br", `(() => {
  const td = [...document.querySelectorAll("td")].find(td => td.querySelector("br"));
  if (!td) return false;
  const texts = [...td.childNodes].filter(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  if (texts.length !== 2) return false;
  const top = n => { const r = document.createRange(); r.selectNodeContents(n); return r.getBoundingClientRect().top; };
  return top(texts[1]) > top(texts[0]);
})()`) {
		t.Errorf("the <br> in the table cell does not make two lines")
	}

	// No script ran: not the script element, not the image's onerror
	// (once the image has failed), not the javascript: link once clicked.
	poll("the image x has failed", `(() => { const i = document.querySelector('img:not([alt])'); return i && i.complete })()`)
	if eval("js href", `document.querySelector("#js").hasAttribute("href")`) {
		t.Errorf("the javascript: link kept an href")
	}
	if err := doWithin(tab, chromedp.Click(chromedp.CSS("#js"))); err != nil {
		t.Fatalf("click #js: %v", err)
	}
	// A javascript: URL would run in a task queued by the click, before a
	// timer set after it fires.
	ectx, cancelEval = context.WithTimeout(tab, navTimeout)
	clean, err := chromedp.Run(ectx, chromedp.Evaluate[bool](`new Promise(r => setTimeout(() => r(typeof window.pwned === "undefined" && location.pathname === "/page/"), 100))`, chromedp.EvalAwaitPromise))
	cancelEval()
	if err != nil {
		t.Fatalf("pwned: %v", err)
	}
	if !clean {
		state, _ := chromedp.Run(tab, chromedp.Evaluate[string](`String(window.pwned) + " at " + location.href`))
		t.Errorf("a script of the page ran: window.pwned = %s", state)
	}
}
