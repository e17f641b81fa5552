package build_test

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
)

// highlightPage is a long page with the words a search for "latency
// pg_stat_activity connect…" matches, and near misses that must stay
// unmarked: "latent" (another stem), "disconnect" (not a prefix match),
// pg_stat_statements (an identifier sharing pieces with the term).
func highlightPage() string {
	filler := func(n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "Filler paragraph %d keeps the page long enough to scroll, with plain words about queues, disks and memory.\n\n", i+1)
		}
		return b.String()
	}
	return "---\ntitle: Database latency\n---\n" +
		"When latency grows, read this page first.\n\n" + filler(12) +
		"## Connections\n\nThe pool keeps connections open; a disconnect is logged.\n\n" + filler(12) +
		"## Slow queries\n\nLatencies above 200 ms page the on-call engineer; a latent fault can hide them.\n\n" +
		"```sql\n-- backends by state\nSELECT pid, state FROM pg_stat_activity;\nSELECT query FROM pg_stat_statements;\n```\n\n" +
		"Look at `pg_stat_activity` first.\n\n" +
		"```yaml\nmaxConnections: 100\n```\n\n" + filler(25) +
		"## Other\n\nNone of the words are here.\n"
}

// highlightState is what highlightJS reports about the page.
type highlightState struct {
	URL        string   `json:"url"`
	Marks      []string `json:"marks"`      // texts of the marks in main, in order
	Outside    int      `json:"outside"`    // marks outside main
	Current    []string `json:"current"`    // texts of .search-hit-current
	CurrentIn  string   `json:"currentIn"`  // id of the h2 before the current mark
	Buttons    int      `json:"buttons"`    // "Clear highlights" buttons
	SidebarHas bool     `json:"sidebarHas"` // the sidebar names the page (so Outside == 0 means something)
	ScrollY    float64  `json:"scrollY"`
	Inner      float64  `json:"inner"`
	SectionTop float64  `json:"sectionTop"` // top of #slow-queries in the viewport
	FirstMid   float64  `json:"firstMid"`   // vertical middle of the first mark
	Anchor     float64  `json:"anchor"`     // the scroll margin of a heading, in px
	Text       string   `json:"text"`       // main's textContent
	HTML       string   `json:"html"`       // main's innerHTML
	TextNodes  int      `json:"textNodes"`  // text nodes in main
}

const highlightJS = `(() => {
  const main = document.getElementById("main");
  const marks = [...document.querySelectorAll("mark.search-hit")];
  const cur = document.querySelector(".search-hit-current");
  let currentIn = "";
  if (cur) for (const h of main.querySelectorAll("h2[id]")) if (h.compareDocumentPosition(cur) & Node.DOCUMENT_POSITION_FOLLOWING) currentIn = h.id;
  const sec = document.getElementById("slow-queries");
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  let textNodes = 0;
  while (walker.nextNode()) textNodes++;
  return {
    url: location.pathname + location.search + location.hash,
    marks: marks.filter(m => main.contains(m)).map(m => m.textContent),
    outside: marks.filter(m => !main.contains(m)).length,
    current: [...document.querySelectorAll(".search-hit-current")].map(m => m.textContent),
    currentIn,
    buttons: [...document.querySelectorAll("button")].filter(b => b.textContent === "Clear highlights").length,
    sidebarHas: document.getElementById("sidebar").textContent.includes("Database latency"),
    scrollY: window.scrollY,
    inner: window.innerHeight,
    sectionTop: sec ? sec.getBoundingClientRect().top : NaN,
    firstMid: marks.length ? (r => r.top + r.height / 2)(marks[0].getBoundingClientRect()) : NaN,
    anchor: sec ? parseFloat(getComputedStyle(sec).scrollMarginTop) : NaN,
    text: main.textContent,
    html: main.innerHTML,
    textNodes,
  };
})()`

// TestHighlightInBrowser opens a page as a search result links to it,
// page/?hl=TERMS#section, and checks in headless Chromium that handbook.js
// marks the matching words of the main content only, leaves the view on
// the section (or scrolls to the first mark when there is no fragment),
// takes hl out of the address, and that Escape or the "Clear highlights"
// button gives back the page exactly as it was.
func TestHighlightInBrowser(t *testing.T) {
	chromium := needChromium(t)
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"content/index.md":         "---\ntitle: Home\n---\nSee [the page](db/latency.md).\n",
		"content/db/index.md":      "---\ntitle: Databases\n---\nAbout databases.\n",
		"content/db/latency.md":    highlightPage(),
		"content/db/other-page.md": "---\ntitle: Other page\n---\nNothing here.\n",
		"content/db/words.md": "---\ntitle: Tricky words\n---\n" +
			"Zürich’s café, the engineer's notes and naïve retries.\n\n" +
			"The PaymentsDBDown alert fires; see max_connections in the HTTPServer config.\n",
		"content/db/many.md": "---\ntitle: Many\n---\n" + strings.Repeat(strings.Repeat("latency ", 100)+"\n\n", 12) +
			"## Target\n\nThe latency here.\n",
	})
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
	out := filepath.Join(t.TempDir(), "public")
	res, err := build.Run(t.Context(), build.Options{Site: cfg, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diags {
		t.Errorf("unexpected finding: %v", d)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(out))) // on 127.0.0.1
	defer srv.Close()

	tab := openTab(t, chromium)
	if err := doWithin(tab, chromedp.EmulateViewport(1280, 900, chromedp.EmulateScale(1))); err != nil {
		t.Fatalf("set viewport: %v", err)
	}
	open := func(path string) highlightState {
		t.Helper()
		// about:blank first, so that a link differing only in its fragment
		// is a new page load, not a jump within the page
		if err := doWithin(tab, chromedp.Navigate("about:blank"), chromedp.Navigate(srv.URL+path), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		return state(t, tab)
	}
	key := func(k string) {
		t.Helper()
		if err := doWithin(tab, chromedp.KeyEvent(k)); err != nil {
			t.Fatalf("key %q: %v", k, err)
		}
	}
	near := func(a, b float64) bool { return math.Abs(a-b) <= 2 }

	// Without hl nothing is marked; this is the page as it was.
	before := open("/db/latency/#slow-queries")
	if len(before.Marks) != 0 || before.Outside != 0 || before.Buttons != 0 {
		t.Errorf("without hl: marks %q (%d outside main), %d clear buttons; want none", before.Marks, before.Outside, before.Buttons)
	}
	if before.URL != "/db/latency/#slow-queries" {
		t.Errorf("without hl the address became %s", before.URL)
	}
	if before.ScrollY <= 0 || !near(before.SectionTop, before.Anchor) {
		t.Fatalf("the browser did not scroll to #slow-queries by itself: scrollY %v, section top %v (want %v)", before.ScrollY, before.SectionTop, before.Anchor)
	}
	if !before.SidebarHas {
		t.Fatalf("the sidebar does not name the page: the check that it has no marks would prove nothing")
	}

	t.Run("fragment", func(t *testing.T) {
		got := open("/db/latency/?hl=latenc+pg_stat_activity+connect*#slow-queries")
		want := []string{"latency", "latency", "Connections", "connections", "Latencies", "pg_stat_activity", "pg_stat_activity", "Connections"}
		if !slices.Equal(got.Marks, want) {
			t.Errorf("marked %q\nwant %q", got.Marks, want)
		}
		if got.Outside != 0 {
			t.Errorf("%d marks outside the main content", got.Outside)
		}
		if !slices.Equal(got.Current, []string{"Latencies"}) || got.CurrentIn != "slow-queries" {
			t.Errorf("current mark %q in section %q, want the first of #slow-queries, \"Latencies\"", got.Current, got.CurrentIn)
		}
		if got.URL != "/db/latency/#slow-queries" {
			t.Errorf("the address is %s, want /db/latency/#slow-queries (no hl, same fragment)", got.URL)
		}
		if got.ScrollY != before.ScrollY || !near(got.SectionTop, got.Anchor) {
			t.Errorf("scrollY %v, section top %v; want the browser's own scroll to the section, scrollY %v, top %v",
				got.ScrollY, got.SectionTop, before.ScrollY, got.Anchor)
		}
		if got.Buttons != 1 {
			t.Errorf("%d clear buttons, want 1", got.Buttons)
		}

		// Escape typed in the search box is the box's.
		ectx, cancel := context.WithTimeout(tab, navTimeout)
		_, err := chromedp.Run(ectx, chromedp.Evaluate[bool](`(() => { const i = document.querySelector(".search-input"); i.focus(); return document.activeElement === i })()`))
		cancel()
		if err != nil {
			t.Fatalf("focus the search box: %v", err)
		}
		key(kb.Escape)
		if s := state(t, tab); len(s.Marks) != len(want) {
			t.Errorf("Escape in the search box left %d marks, want %d", len(s.Marks), len(want))
		}
		ectx, cancel = context.WithTimeout(tab, navTimeout)
		_, err = chromedp.Run(ectx, chromedp.Evaluate[bool](`(() => { document.activeElement.blur(); return true })()`))
		cancel()
		if err != nil {
			t.Fatalf("blur: %v", err)
		}
		key(kb.Escape)
		after := state(t, tab)
		checkRestored(t, "after Escape", after, before)
		if after.ScrollY != got.ScrollY {
			t.Errorf("clearing moved the page: scrollY %v, was %v", after.ScrollY, got.ScrollY)
		}
	})

	t.Run("no-fragment", func(t *testing.T) {
		got := open("/db/latency/?hl=pg_stat_activity")
		if want := []string{"pg_stat_activity", "pg_stat_activity"}; !slices.Equal(got.Marks, want) {
			t.Errorf("marked %q, want %q", got.Marks, want)
		}
		if !slices.Equal(got.Current, []string{"pg_stat_activity"}) || got.CurrentIn != "slow-queries" {
			t.Errorf("current mark %q in section %q, want the first pg_stat_activity", got.Current, got.CurrentIn)
		}
		if got.ScrollY <= 0 || !near(got.FirstMid, got.Inner/2) {
			t.Errorf("scrollY %v, first mark's middle at %v; want it centred at %v", got.ScrollY, got.FirstMid, got.Inner/2)
		}
		if got.URL != "/db/latency/" {
			t.Errorf("the address is %s, want /db/latency/", got.URL)
		}
		if err := doWithin(tab, chromedp.Click(chromedp.CSS(".search-hits-clear"))); err != nil {
			t.Fatalf("click Clear highlights: %v", err)
		}
		checkRestored(t, "after Clear highlights", state(t, tab), before)
	})

	// Words are cut and compared as the index has them: folded, apostrophes
	// dropped, stemmed, snake_case whole, camelCase pieces apart.
	t.Run("words", func(t *testing.T) {
		got := open("/db/words/?hl=zurich+cafe+engineers+naiv+db+down+max_connections+serv*")
		want := []string{"Zürich’s", "café", "engineer's", "naïve", "DB", "Down", "max_connections", "Server"}
		if !slices.Equal(got.Marks, want) {
			t.Errorf("marked %q\nwant %q", got.Marks, want)
		}
	})

	// At most 1000 marks, the target section's first.
	t.Run("cap", func(t *testing.T) {
		got := open("/db/many/?hl=latenc#target")
		if len(got.Marks) != 1000 || !slices.Equal(got.Current, []string{"latency"}) || got.CurrentIn != "target" {
			t.Errorf("%d marks, current %q in section %q; want 1000, the one in #target", len(got.Marks), got.Current, got.CurrentIn)
		}
	})

	t.Run("no-hl", func(t *testing.T) {
		got := open("/db/latency/?x=1")
		if len(got.Marks) != 0 || got.Buttons != 0 || got.ScrollY != 0 || got.URL != "/db/latency/?x=1" {
			t.Errorf("without hl: marks %q, %d buttons, scrollY %v, address %s; want nothing changed", got.Marks, got.Buttons, got.ScrollY, got.URL)
		}
	})
}

func state(t *testing.T, tab context.Context) highlightState {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, navTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[highlightState](highlightJS))
	if err != nil {
		t.Fatalf("read the page: %v", err)
	}
	return s
}

// checkRestored reports how the main content after clearing the marks
// differs from the page loaded without hl.
func checkRestored(t *testing.T, when string, got, before highlightState) {
	t.Helper()
	if len(got.Marks) != 0 || got.Buttons != 0 || len(got.Current) != 0 {
		t.Errorf("%s: marks %q, current %q, %d clear buttons left; want none", when, got.Marks, got.Current, got.Buttons)
	}
	if got.Text != before.Text {
		t.Errorf("%s: the text of main differs from the page without hl", when)
	}
	if got.HTML != before.HTML {
		t.Errorf("%s: the HTML of main differs from the page without hl", when)
	}
	if got.TextNodes != before.TextNodes {
		t.Errorf("%s: main has %d text nodes, %d without hl (not normalized)", when, got.TextNodes, before.TextNodes)
	}
}
