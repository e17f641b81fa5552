package serve_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/serve"
)

// updateSite is a site in the default theme's markup (layouts/base.html),
// with its scripts and stylesheet and a search index of docs: one page,
// /guide/, whose body text, title, sidebar and head can be varied.
type updateSite struct {
	text, title, color string
	nav                []string // the sidebar's entries
	head               string   // more markup in the head
	script             string   // more markup before </body>
	docs               []search.Doc
}

func (u updateSite) files(t *testing.T) map[string][]byte {
	t.Helper()
	static := filepath.Join("..", "..", "themes", "default", "static")
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(static, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	var nav strings.Builder
	for _, n := range u.nav {
		fmt.Fprintf(&nav, `<li><a href="/hb/%s/">%s</a></li>`, strings.ToLower(n), n)
	}
	var sections strings.Builder
	for i := range 6 {
		fmt.Fprintf(&sections, `<h2 id="s%d">Section %d</h2><p>Words of section %d.</p><div style="height:600px"></div>`, i, i, i)
	}
	page := `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>` + u.title + ` · Handbook</title>
<link rel="stylesheet" href="/hb/assets/handbook.css">
<link rel="stylesheet" href="/hb/assets/page.css">
<script src="/hb/assets/handbook.js" defer></script>` + u.head + `
</head>
<body class="layout-page kind-page">
<a class="skip-link" href="#main">Skip to content</a>
<header class="topbar">
<button class="nav-toggle" type="button" aria-controls="sidebar" aria-expanded="false" hidden>Menu</button>
<a class="brand" href="/hb/">Handbook</a>
<div class="search" role="search" data-handbook-search="/hb/search/" hidden>
<input type="search" class="search-input" placeholder="Search (/)" aria-label="Search the handbook" autocomplete="off" spellcheck="false">
<div class="search-results" hidden></div>
</div>
</header>
<div class="shell">
<nav id="sidebar" class="sidebar" aria-label="Pages">
<ul class="nav-tree">` + nav.String() + `</ul>
</nav>
<main id="main" class="main">
<h1>` + u.title + `</h1>
<div class="content">
<p id="t">` + u.text + `</p>
<details id="d"><summary>More</summary><p>Folded.</p></details>
<div class="code"><button class="copy" type="button" aria-label="Copy code" hidden>Copy</button><pre><code><span class="k">echo</span> hello</code></pre></div>
` + sections.String() + `
</div>
</main>
<aside class="toc" aria-label="On this page">
<ol class="toc-list"><li><a href="#s0">Section 0</a></li><li><a href="#s1">Section 1</a></li><li><a href="#s2">Section 2</a></li><li><a href="#s3">Section 3</a></li></ol>
</aside>
</div>
<footer class="footer"><p>Handbook</p></footer>
<script src="/hb/assets/search.js" defer></script>` + u.script + `
</body>
</html>
`
	files := map[string][]byte{
		"/guide/index.html":    []byte(page),
		"/assets/handbook.css": read("handbook.css"),
		"/assets/handbook.js":  read("handbook.js"),
		"/assets/search.js":    read("search.js"),
		"/assets/page.css":     fmt.Appendf(nil, "#t{color:%s}", u.color),
	}
	for p, b := range search.Build(u.docs).Files() {
		files[p] = b
	}
	return files
}

func doc(url, title, text string) search.Doc {
	return search.Doc{URL: url, Title: title, Kind: "page", KindLabel: "Pages", Body: []search.Piece{{Text: text}}}
}

// TestBrowserUpdateInPlace: an edit of a page in the default theme's markup
// shows without a reload, at the same scroll position, with the focus and
// an opened <details> kept; the theme's scripts (the copy button, the menu, the table of
// contents, search on the new index) keep working; a CSS edit applies and
// the next edit is still in place; a page whose head changes, or which
// gets a script that does not follow updates, reloads, at the same scroll
// position.
func TestBrowserUpdateInPlace(t *testing.T) {
	chromium := browsertest.Chromium(t)
	srv := serve.New(serve.Options{BasePath: "/hb/"})
	defer srv.Shutdown(context.Background())
	hs := httptest.NewServer(srv)
	defer hs.Close()

	const red, green = "rgb(255, 0, 0)", "rgb(0, 128, 0)"
	site := updateSite{text: "first text", title: "Guide", color: red, nav: []string{"Alpha", "Guide"},
		docs: []search.Doc{doc("/alpha/", "Alpha page", "About alpacas."), doc("/guide/", "Guide", "first text")}}
	srv.Publish(&serve.Snapshot{Files: site.files(t)})

	tab, cancelTab := chromedp.NewContext(browsertest.Allocator(t, chromium, chromedp.WindowSize(1200, 800)))
	defer cancelTab()
	watchdog := time.AfterFunc(60*time.Second, cancelTab)
	err := chromedp.Do(tab, chromedp.Navigate(hs.URL+"/hb/guide/"))
	if !watchdog.Stop() {
		t.Fatalf("the browser did not start within 60s (%v)", err)
	}
	if err != nil {
		t.Fatalf("navigate: %v", err)
	}
	waitFor := func(what, expr string) {
		t.Helper()
		var err error
		for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(25 * time.Millisecond) {
			ectx, cancel := context.WithTimeout(tab, 5*time.Second)
			var ok bool
			ok, err = chromedp.Run(ectx, chromedp.Evaluate[bool]("!!("+expr+")"))
			cancel()
			if ok && err == nil {
				return
			}
		}
		page, _ := chromedp.Run(tab, chromedp.Evaluate[string](`"scrollY " + window.scrollY + ", readyState " + document.readyState + "\n" + document.documentElement.outerHTML`))
		t.Fatalf("%s: %s never held (%v); page:\n%s", what, expr, err, page)
	}
	publish := func(u updateSite) { srv.Publish(&serve.Snapshot{Files: u.files(t)}) }
	text := `document.getElementById("t").textContent`
	color := `getComputedStyle(document.getElementById("t")).color`
	copyButton := `document.querySelector("button.copy")`
	scrolled := `Math.abs(window.scrollY - 1500) < 2`

	waitFor("first load", text+` === "first text" && `+color+` === "`+red+`" && window.handbookSearch`)
	waitFor("the theme's scripts ran", `!`+copyButton+`.hidden && document.querySelector(".toc-list a[aria-current]")`)
	waitFor("the search index's entry fetched", `performance.getEntriesByType("resource").some(e => e.name.endsWith("/search/entry.json"))`)
	waitFor("set a marker, open the details, scroll and focus the search box",
		`(window.hbMarker = 1, document.getElementById("d").open = true, window.scrollTo(0, 1500), document.querySelector(".search-input").focus({preventScroll: true}), `+scrolled+`)`)

	// A page edit: the text, the title, the sidebar and the search index change.
	site.text, site.title, site.nav = "second text", "Guide, edited", []string{"Alpha", "Guide", "Zebra"}
	site.docs = append(site.docs, doc("/zebra/", "Zebra crossings", "Stripes."))
	publish(site)
	waitFor("the edit shows", text+` === "second text" && document.title === "Guide, edited · Handbook"`)
	waitFor("the sidebar is updated", `document.querySelector('#sidebar a[href="/hb/zebra/"]')`)
	waitFor("no reload", `window.hbMarker === 1`)
	waitFor("scroll kept", scrolled)
	waitFor("focus kept", `document.activeElement === document.querySelector(".search-input")`)
	waitFor("the details the reader opened stay open", `document.getElementById("d").open`)
	waitFor("the new copy button is set up", `!`+copyButton+`.hidden && `+copyButton+`.textContent === "Copy"`)
	waitFor("the copy button works", `(`+copyButton+`.click(), true) && `+copyButton+`.textContent !== "Copy"`)
	waitFor("the table of contents is marked", `document.querySelector(".toc-list a[aria-current]")`)
	waitFor("the menu works", `(document.querySelector(".nav-toggle").click(), document.body.classList.contains("nav-open") && document.body.classList.contains("has-nav-toggle"))`)
	waitFor("the menu closes", `(document.querySelector(".nav-toggle").click(), !document.body.classList.contains("nav-open"))`)
	waitFor("search finds a page of the new index", `(() => {
		const input = document.querySelector(".search-input");
		if (input.value !== "zebra") {
			input.value = "zebra";
			input.dispatchEvent(new Event("input", {bubbles: true}));
		}
		return [...document.querySelectorAll(".search-results a.search-result")].some(a => a.getAttribute("href").includes("/zebra/"));
	})()`)

	// A CSS edit restyles the page; the next page edit is still in place.
	site.color = green
	publish(site)
	waitFor("CSS edit", color+` === "`+green+`"`)
	site.text = "third text"
	publish(site)
	waitFor("the edit after a CSS edit shows", text+` === "third text"`)
	waitFor("still no reload, still styled", `window.hbMarker === 1 && `+color+` === "`+green+`"`)
	waitFor("scroll kept", scrolled)

	// A change of the head reloads the page, at the same place.
	site.text, site.head = "fourth text", `<meta name="description" content="new">`
	publish(site)
	waitFor("a head edit reloads", text+` === "fourth text" && window.hbMarker === undefined && document.readyState === "complete"`)
	waitFor("scroll kept across the reload", scrolled)
	waitFor("the scripts ran again", `!`+copyButton+`.hidden && window.handbookSearch`)

	// A script that does not follow updates makes every edit a reload.
	waitFor("set the marker again", `(window.hbMarker = 2, true)`)
	site.text, site.script = "fifth text", `<script>window.hbInline = (window.hbInline || 0) + 1</script>`
	publish(site)
	waitFor("a new script reloads", text+` === "fifth text" && window.hbMarker === undefined && window.hbInline === 1`)
	waitFor("set the marker again", `(window.hbMarker = 3, true)`)
	site.text = "sixth text"
	publish(site)
	waitFor("a page with a script that does not follow updates reloads", text+` === "sixth text" && window.hbMarker === undefined && window.hbInline === 1`)
	waitFor("scroll kept across the reload", scrolled)
}
