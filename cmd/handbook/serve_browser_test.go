package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
)

// TestServeInBrowser runs handbook serve on a site and opens a page in
// headless Chromium: saving the Markdown file changes the text the page
// shows without a manual reload, and a broken page shows the overlay on
// the open page until it is fixed.
func TestServeInBrowser(t *testing.T) {
	chromium := browsertest.Chromium(t)
	dir := t.TempDir()
	write := saver(t, dir)
	write("content/index.md", "---\ntitle: Home\n---\nFirst version.\n")

	srv, url, err := startServe([]string{"-C", dir}, nil, 10*time.Second)
	t.Cleanup(func() { srv.stop() })
	if err != nil {
		t.Fatal(err)
	}
	out := srv.out

	tab, cancelTab := chromedp.NewContext(browsertest.Allocator(t, chromium))
	defer cancelTab()
	nav, cancelNav := context.WithTimeout(tab, 30*time.Second)
	defer cancelNav()
	if err := chromedp.Do(nav, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	waitFor := waiter(t, tab, `document.body ? document.body.innerText : ""`, out)
	text := `document.body.innerText`
	waitFor("first version", text+`.includes("First version.")`)
	waitFor("mark the page", `(window.handbookMarker = 1) === 1`)

	write("content/index.md", "---\ntitle: Home\n---\nSecond version.\n")
	waitFor("the edit shows by itself", text+`.includes("Second version.")`)

	write("content/index.md", "---\ntitle: [Home\n---\nBroken.\n")
	overlay := `(document.getElementById("handbook-overlay") || {textContent: ""}).textContent`
	waitFor("the overlay shows the problem", overlay+`.includes("content/index.md:2:")`)

	write("content/index.md", "---\ntitle: Home\n---\nThird version.\n")
	waitFor("fixed: the overlay goes away", `!document.getElementById("handbook-overlay") && `+text+`.includes("Third version.")`)
	if !strings.Contains(out.String(), "changed: content/index.md") {
		t.Errorf("the log does not name the changed file:\n%s", out.String())
	}
}

// TestServeSidebarInBrowser opens a page in headless Chromium and edits
// the title of another page of its folder: the open page's sidebar, which
// the preview holds apart from the page and writes in as it serves it,
// shows the new title without a manual reload, and the page's own text is
// still there.
func TestServeSidebarInBrowser(t *testing.T) {
	chromium := browsertest.Chromium(t)
	dir := t.TempDir()
	write := saver(t, dir)
	write("content/index.md", "---\ntitle: Home\n---\nThe home page.\n")
	write("content/guides/alpha.md", "---\ntitle: Alpha guide\n---\nAlpha's own text.\n")
	write("content/guides/beta.md", "---\ntitle: Beta guide\n---\nBeta's own text.\n")
	write("content/guides/gamma.md", "---\ntitle: Gamma guide\n---\nGamma's own text.\n")

	srv, url, err := startServe([]string{"-C", dir}, nil, 10*time.Second)
	t.Cleanup(func() { srv.stop() })
	if err != nil {
		t.Fatal(err)
	}
	tab, cancelTab := chromedp.NewContext(browsertest.Allocator(t, chromium))
	defer cancelTab()
	nav, cancelNav := context.WithTimeout(tab, 30*time.Second)
	defer cancelNav()
	if err := chromedp.Do(nav, chromedp.Navigate(url+"guides/beta/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	waitFor := waiter(t, tab, `document.documentElement ? document.documentElement.outerHTML : ""`, srv.out)
	sidebar := `(document.querySelector("ul.nav-tree") || {innerText: ""}).innerText`
	current := `(document.querySelector('ul.nav-tree [aria-current="page"]') || {innerText: ""}).innerText`
	waitFor("the sidebar lists the folder", sidebar+`.includes("Alpha guide") && `+current+`.includes("Beta guide")`)

	write("content/guides/alpha.md", "---\ntitle: Aardvark guide\n---\nAlpha's own text.\n")
	waitFor("the new title shows in the open page's sidebar", sidebar+`.includes("Aardvark guide") && !`+sidebar+`.includes("Alpha guide")`)
	waitFor("the page is still itself", current+`.includes("Beta guide") && document.body.innerText.includes("Beta's own text.")`)
	if html, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err != nil || strings.Contains(html, "handbook sidebar") {
		t.Errorf("the page holds a sidebar mark (%v):\n%s", err, html)
	}
}

// saver returns a function that writes text to the file at rel under dir,
// making its folders: written beside and renamed into place, as editors
// save.
func saver(t *testing.T, dir string) func(rel, text string) {
	return func(rel, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p+".tmp", []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(p+".tmp", p); err != nil {
			t.Fatal(err)
		}
	}
}

// waiter returns a function that waits up to 15 s for the JavaScript
// expression expr to hold in tab, and otherwise fails the test with what,
// what the expression show gives of the page, and the server's log.
func waiter(t *testing.T, tab context.Context, show string, log fmt.Stringer) func(what, expr string) {
	return func(what, expr string) {
		t.Helper()
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
			ectx, cancel := context.WithTimeout(tab, 2*time.Second)
			ok, err := chromedp.Run(ectx, chromedp.Evaluate[bool]("!!("+expr+")"))
			cancel()
			if ok && err == nil {
				return
			}
		}
		page, _ := chromedp.Run(tab, chromedp.Evaluate[string](show))
		t.Fatalf("%s: %s never held; page:\n%s\nserver log:\n%s", what, expr, page, log.String())
	}
}
