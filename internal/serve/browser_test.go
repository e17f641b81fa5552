package serve_test

import (
	"context"
	"fmt"
	"github.com/handbook-dev/handbook/internal/browsertest"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/serve"
)

// TestBrowser runs live.js in a headless Chromium: a CSS edit restyles the
// page without reloading it, problems show in the overlay and go away, an
// edit of the page (which has no script of its own) shows in place at the
// same scroll position, and a page open across a server restart catches up
// by reloading. Without Chromium the test is skipped,
// unless HANDBOOK_REQUIRE_BROWSER=1.
func TestBrowser(t *testing.T) {
	chromium := browsertest.Chromium(t)

	// The handler stands for the port: a restart puts another Server behind it.
	var current atomic.Pointer[serve.Server]
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		current.Load().ServeHTTP(w, r)
	}))
	defer hs.Close()
	first := serve.New(serve.Options{BasePath: "/hb/"})
	current.Store(first)
	defer first.Shutdown(context.Background())

	site := func(text, color string) map[string][]byte {
		return map[string][]byte{
			// No <head>, no <body>: the script is appended.
			"/page/index.html": fmt.Appendf(nil, `<!doctype html><title>page</title><link rel="stylesheet" href="/hb/s.css">`+
				`<p id="t">%s</p><div style="height:5000px"></div>`, text),
			"/s.css": fmt.Appendf(nil, "#t{color:%s}", color),
		}
	}
	const red, green = "rgb(255, 0, 0)", "rgb(0, 128, 0)"
	first.Publish(&serve.Snapshot{Files: site("v1", red), Drafts: true})

	tab, cancelTab := chromedp.NewContext(browsertest.Allocator(t, chromium))
	defer cancelTab()
	ctx, cancelNav := context.WithTimeout(tab, 30*time.Second)
	defer cancelNav()
	if err := chromedp.Do(ctx, chromedp.Navigate(hs.URL+"/hb/page/")); err != nil {
		t.Fatalf("navigate: %v", err)
	}

	waitFor := func(what, expr string) {
		t.Helper()
		var err error
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
			ectx, cancel := context.WithTimeout(tab, 2*time.Second)
			var ok bool
			ok, err = chromedp.Run(ectx, chromedp.Evaluate[bool]("!!("+expr+")"))
			cancel()
			if ok && err == nil {
				return
			}
		}
		state, _ := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		t.Fatalf("%s: %s never held (%v); page:\n%s", what, expr, err, state)
	}
	text := `document.getElementById("t").textContent`
	color := `getComputedStyle(document.getElementById("t")).color`

	waitFor("first load", text+` === "v1" && `+color+` === "`+red+`"`)
	waitFor("drafts banner", `document.getElementById("handbook-drafts")`)
	waitFor("set a marker and scroll", `(window.handbookMarker = 1, window.scrollTo(0, 1500), window.scrollY === 1500)`)

	first.Publish(&serve.Snapshot{Files: site("v1", green)})
	waitFor("CSS edit", color+` === "`+green+`"`)
	waitFor("old stylesheet removed", `document.querySelectorAll("link[rel=stylesheet]").length === 1`)
	waitFor("no reload for CSS", `window.handbookMarker === 1`)

	problems := []serve.Problem{{
		File: "content/page.md", Line: 3, Col: 5, Severity: "error", Rule: "yaml", Message: "bad <b>indentation</b>",
		Context: serve.Excerpt([]byte("---\ntitle: x\n  key: value\n---\n"), 3, 1),
	}}
	first.Publish(&serve.Snapshot{Files: site("v1", green), Problems: problems})
	overlay := `(document.getElementById("handbook-overlay") || {textContent: ""}).textContent`
	waitFor("overlay", overlay+`.includes("content/page.md:3:5 error yaml: bad <b>indentation</b>")`)
	waitFor("overlay context", overlay+`.includes(">3 |   key: value") || `+overlay+`.includes("> 3 |   key: value")`)
	waitFor("no reload for problems", `window.handbookMarker === 1`)

	first.Publish(&serve.Snapshot{Files: site("v1", green)})
	waitFor("overlay gone", `!document.getElementById("handbook-overlay")`)

	first.Publish(&serve.Snapshot{Files: site("v2", green)})
	waitFor("page edit shows in place", text+` === "v2" && window.handbookMarker === 1`)
	waitFor("scroll kept", `Math.abs(window.scrollY - 1500) < 2`)

	// A restart: build numbers start again at 1, the page was edited meanwhile.
	second := serve.New(serve.Options{BasePath: "/hb/"})
	second.Publish(&serve.Snapshot{Files: site("v3", green)})
	current.Store(second)
	defer second.Shutdown(context.Background())
	first.Shutdown(context.Background())
	waitFor("catch up after a restart", text+` === "v3" && window.handbookMarker === undefined`)
}
