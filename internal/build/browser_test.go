package build_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/handbook-dev/handbook/internal/browsertest"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
)

// The browser test builds testdata/browser/site under the base path
// /handbook/, serves it, and loads one page of every kind in a headless
// Chromium at a desktop and a phone width. It needs Chromium (see
// findChromium); without it the test is skipped, unless
// HANDBOOK_REQUIRE_BROWSER=1, as in CI, makes that a failure.

const basePath = "/handbook/"

// browserPages are the pages loaded, by name, as site paths. has lists
// selectors the page must match, so that the fixture keeps holding the
// content the layout checks are meant to exercise.
var browserPages = []struct {
	name, path string
	has        []string
}{
	{"home", "/", nil},
	{"guide", "/docs/guide/", []string{"table", "pre code", ".callout-note", ".callout-warning", ".footnotes", "input[type=checkbox]", "dl", ".toc", "a[href^='https://grafana.example.com/']"}},
	{"runbook", "/runbooks/db-failover/", nil},
	{"adr", "/adr/0001-use-a-static-site/", nil},
	{"postmortem", "/postmortems/2026-03-05-payments-database/", nil},
	{"evaluation", "/evaluations/goldmark/", nil},
	{"post", "/posts/2026-04-01-handbook-launch/", nil},
	{"adr-index", "/adr/", nil},
	{"runbook-index", "/runbooks/", nil},
	{"tag", "/tags/database/", nil},
	{"404", "/404.html", nil},
}

// viewport is a screen the pages are checked at.
type viewport struct {
	name          string
	width, height int64
	phone         bool
}

var viewports = []viewport{
	{"desktop-1280x900", 1280, 900, false},
	{"phone-390x844", 390, 844, true},
}

// navTimeout bounds one navigation and the checks of one page.
const navTimeout = 15 * time.Second

// needChromium returns the browser for a browser test, or skips the test
// (see browsertest.Chromium).
func needChromium(t *testing.T) string { return browsertest.Chromium(t) }

func TestBrowserLayout(t *testing.T) {
	chromium := needChromium(t)
	var err error

	srv := serveFixture(t)
	ctx := startBrowser(t, chromium)

	var rec recorder
	tab, cancelTab := chromedp.NewContext(ctx, chromedp.WithListener(rec.listen))
	defer cancelTab()
	// The first action starts the browser and ties its life to the context
	// it is given, so it gets the tab's context with a watchdog, not a
	// context with a timeout.
	watchdog := time.AfterFunc(30*time.Second, cancelTab)
	err = chromedp.Do(tab)
	if !watchdog.Stop() {
		err = fmt.Errorf("the browser did not start within 30s (%v)", err)
	}
	if err != nil {
		t.Fatalf("start %s: %v\nbrowser output:\n%s", chromium, err, browserOutput(ctx))
	}

	links := map[string]string{} // same-origin link → first page linking to it
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) {
			opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
			if vp.phone {
				opts = []chromedp.EmulateViewportOption{chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch}
			}
			if err := doWithin(tab, chromedp.EmulateViewport(vp.width, vp.height, opts...)); err != nil {
				t.Fatalf("set viewport: %v", err)
			}
			for _, pg := range browserPages {
				t.Run(pg.name, func(t *testing.T) {
					u := srv.URL + basePath + strings.TrimPrefix(pg.path, "/")
					checkPage(t, tab, &rec, u, pg.has, vp, srv.URL, links)
				})
			}
		})
	}

	t.Run("links", func(t *testing.T) {
		checkLinks(t, srv.URL, links)
	})
}

// serveFixture builds the fixture site under basePath and serves it on the
// loopback interface. Anything outside basePath is a 404.
func serveFixture(t *testing.T) *httptest.Server {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "browser", "site"))
	if err != nil {
		t.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	cfg.Title = "Fixture handbook"
	cfg.BaseURL = basePath
	cfg.Now = time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	out := filepath.Join(t.TempDir(), "public")
	res, err := build.Run(t.Context(), build.Options{Site: cfg, Out: out})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	if len(res.Diags) > 0 {
		var b strings.Builder
		for _, d := range res.Diags {
			fmt.Fprintf(&b, "\n  %v", d)
		}
		t.Fatalf("the fixture site must build without problems; got %d:%s", len(res.Diags), b.String())
	}
	for _, pg := range browserPages {
		file := filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(pg.path, "/")))
		if strings.HasSuffix(pg.path, "/") {
			file = filepath.Join(file, "index.html")
		}
		if _, err := os.Stat(file); err != nil {
			t.Fatalf("page %s (%s) was not built: %v", pg.name, pg.path, err)
		}
	}

	mux := http.NewServeMux()
	mux.Handle(basePath, http.StripPrefix(basePath, http.FileServer(http.Dir(out))))
	mux.HandleFunc("/", http.NotFound)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on 127.0.0.1: %v", err)
	}
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

type outputKey struct{}

// startBrowser returns a context for an allocator of a headless Chromium
// with a throwaway profile. The browser starts on the first action.
func startBrowser(t *testing.T, chromium string) context.Context {
	t.Helper()
	out := &lockedBuffer{}
	ctx := browsertest.Allocator(t, chromium, chromedp.CombinedOutput(out))
	return context.WithValue(ctx, outputKey{}, out)
}

// openTab starts a headless Chromium (startBrowser) and opens a tab in
// it, failing the test with the browser's output when it does not start
// within 30 s; the tab closes when the test ends.
func openTab(t *testing.T, chromium string) context.Context {
	t.Helper()
	ctx := startBrowser(t, chromium)
	tab, cancel := chromedp.NewContext(ctx)
	t.Cleanup(cancel)
	watchdog := time.AfterFunc(30*time.Second, cancel)
	err := chromedp.Do(tab)
	watchdog.Stop()
	if err != nil {
		t.Fatalf("start browser: %v\n%s", err, browserOutput(ctx))
	}
	return tab
}

func browserOutput(ctx context.Context) string {
	if b, ok := ctx.Value(outputKey{}).(*lockedBuffer); ok {
		return b.String()
	}
	return ""
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recorder collects, from the tab's events, everything that counts as an
// error on a page: console.error calls, uncaught exceptions, browser log
// entries of level error (failed resource loads, CSP, ...), and failed or
// 4xx/5xx network responses.
type recorder struct {
	mu       sync.Mutex
	problems []string
	requests map[network.RequestID]string
	origin   string
}

func (r *recorder) reset(origin string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.problems = nil
	r.requests = map[network.RequestID]string{}
	r.origin = origin
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.problems
	r.problems = nil
	return p
}

// listen runs in the tab's event loop: it must return fast.
func (r *recorder) listen(ev any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	add := func(format string, args ...any) { r.problems = append(r.problems, fmt.Sprintf(format, args...)) }
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var args []string
			for _, a := range ev.Args {
				switch {
				case a.Description != "":
					args = append(args, a.Description)
				case len(a.Value) > 0:
					args = append(args, string(a.Value))
				default:
					args = append(args, string(a.Type))
				}
			}
			add("console.%s: %s", ev.Type, strings.Join(args, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		add("uncaught exception at %s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			add("browser log (%s): %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		if r.requests != nil {
			r.requests[ev.RequestID] = ev.Request.URL
		}
	case *network.EventResponseReceived:
		if ev.Response.Status >= 400 && strings.HasPrefix(ev.Response.URL, r.origin+"/") {
			add("HTTP %d for %s", ev.Response.Status, ev.Response.URL)
		}
	case *network.EventLoadingFailed:
		if !ev.Canceled {
			add("loading %s failed: %s %s", r.requests[ev.RequestID], ev.ErrorText, ev.BlockedReason)
		}
	}
}

func doWithin(ctx context.Context, actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(ctx, navTimeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// probe is what probeJS reports about the loaded page.
type probe struct {
	URL            string        `json:"url"`
	ClientWidth    float64       `json:"clientWidth"`
	ScrollWidth    float64       `json:"scrollWidth"`
	Overflowing    []overflowing `json:"overflowing"`
	StyleSheets    int           `json:"styleSheets"`
	Links          []sheetLink   `json:"links"`
	MainSheet      bool          `json:"mainSheet"`
	RootVars       []string      `json:"rootVars"`
	RootVarsUnset  []string      `json:"rootVarsUnset"`
	H1             []string      `json:"h1"`
	H1Visible      bool          `json:"h1Visible"`
	Toggle         box           `json:"toggle"`
	Sidebar        box           `json:"sidebar"`
	BodyClass      string        `json:"bodyClass"`
	SameOriginURLs []string      `json:"sameOriginURLs"`
}

type overflowing struct {
	Path  string  `json:"path"`
	Right float64 `json:"right"`
	Width float64 `json:"width"`
}

type sheetLink struct {
	Href   string `json:"href"`
	Loaded bool   `json:"loaded"`
	Rules  int    `json:"rules"`
	Error  string `json:"error"`
}

type box struct {
	Exists  bool    `json:"exists"`
	Hidden  bool    `json:"hidden"` // the hidden attribute
	Visible bool    `json:"visible"`
	Left    float64 `json:"left"`
	Right   float64 `json:"right"`
}

// probeJS measures the page. Elements sticking out past the right edge of
// the viewport are listed unless an ancestor clips them (a scrolling code
// block or table wrapper is fine); of those, the outermost ones are the
// culprits, widest first.
const probeJS = `(() => {
  const de = document.documentElement, vw = de.clientWidth;
  const describe = el => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) s += "#" + e.id;
      for (const c of e.classList) s += "." + c;
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  const clips = el => getComputedStyle(el).overflowX !== "visible";
  const out = new Set();
  for (const el of document.body.getElementsByTagName("*")) {
    const r = el.getBoundingClientRect();
    if ((r.width === 0 && r.height === 0) || r.right <= vw + 1) continue;
    let clipped = false;
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (clips(a)) { clipped = true; break; }
    }
    if (!clipped) out.add(el);
  }
  const overflowing = [...out].filter(el => !out.has(el.parentElement))
    .map(el => { const r = el.getBoundingClientRect(); return {path: describe(el), right: Math.round(r.right), width: Math.round(r.width)}; })
    .sort((a, b) => b.right - a.right).slice(0, 5);

  const links = [...document.querySelectorAll('link[rel~="stylesheet" i]')].map(l => {
    let rules = -1, error = "";
    if (l.sheet) { try { rules = l.sheet.cssRules.length; } catch (e) { error = String(e); } }
    return {href: l.href, loaded: !!l.sheet, rules, error};
  });
  const main = [...document.styleSheets].find(s => s.href && new URL(s.href).pathname === "` + basePath + `assets/handbook.css");
  const rootVars = [];
  if (main) {
    try {
      for (const r of main.cssRules) {
        if (r instanceof CSSStyleRule && r.selectorText === ":root") {
          for (const p of r.style) if (p.startsWith("--")) rootVars.push(p);
        }
      }
    } catch (e) {}
  }
  const cs = getComputedStyle(de);
  const rootVarsUnset = rootVars.filter(p => cs.getPropertyValue(p).trim() === "");

  const visible = el => {
    if (!el) return false;
    const s = getComputedStyle(el), r = el.getBoundingClientRect();
    return s.display !== "none" && s.visibility !== "hidden" && r.width > 0 && r.height > 0;
  };
  const boxOf = el => {
    if (!el) return {exists: false, hidden: false, visible: false, left: 0, right: 0};
    const r = el.getBoundingClientRect();
    return {exists: true, hidden: el.hidden, visible: visible(el), left: r.left, right: r.right};
  };
  const h1s = [...document.querySelectorAll("h1")];
  const urls = [
    ...[...document.querySelectorAll("a[href]")].map(a => new URL(a.getAttribute("href"), location.href).href),
    ...[...document.querySelectorAll("link[href]")].map(l => l.href),
    ...[...document.querySelectorAll("script[src], img[src]")].map(e => e.src),
  ].filter(u => u.startsWith(location.origin + "/"));

  return {
    url: location.href, clientWidth: vw, scrollWidth: de.scrollWidth, overflowing,
    styleSheets: document.styleSheets.length, links, mainSheet: !!main, rootVars, rootVarsUnset,
    h1: h1s.map(h => h.textContent.trim()), h1Visible: h1s.some(visible),
    toggle: boxOf(document.querySelector(".nav-toggle")), sidebar: boxOf(document.getElementById("sidebar")),
    bodyClass: document.body.className, sameOriginURLs: urls,
  };
})()`

// checkPage loads u in the tab and checks it.
func checkPage(t *testing.T, tab context.Context, rec *recorder, u string, has []string, vp viewport, origin string, links map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, navTimeout)
	defer cancel()
	where := fmt.Sprintf("%s at %dx%d", strings.TrimPrefix(u, origin), vp.width, vp.height)

	rec.reset(origin)
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("%s: navigate: %v", where, err)
	}
	if resp.Status != 200 {
		t.Errorf("%s: the page answered HTTP %d", where, resp.Status)
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[probe](probeJS))
	if err != nil {
		t.Fatalf("%s: probe: %v", where, err)
	}
	for _, sel := range has {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf("document.querySelectorAll(%q).length", sel)))
		if err != nil || n == 0 {
			t.Errorf("%s: the fixture page should have %s, to be checked for overflow, but has none (%v)", where, sel, err)
		}
	}
	for _, l := range p.SameOriginURLs {
		if _, ok := links[l]; !ok {
			links[l] = strings.TrimPrefix(u, origin)
		}
	}

	// Stylesheets: each one loaded and readable, the theme's applied.
	if p.StyleSheets < 1 {
		t.Errorf("%s: document.styleSheets is empty", where)
	}
	for _, l := range p.Links {
		switch {
		case !l.Loaded:
			t.Errorf("%s: stylesheet %s did not load (the link has no .sheet)", where, l.Href)
		case l.Rules < 0:
			// A sheet answered with an error page, or with the wrong MIME
			// type, is an empty sheet whose rules cannot be read.
			t.Errorf("%s: stylesheet %s did not load: its cssRules cannot be read (%s)", where, l.Href, l.Error)
		}
	}
	switch {
	case !p.MainSheet:
		t.Errorf("%s: no stylesheet at %sassets/handbook.css among document.styleSheets", where, basePath)
	case len(p.RootVars) == 0:
		t.Errorf("%s: handbook.css defines no custom property on :root, so the test cannot tell that it applies", where)
	case len(p.RootVarsUnset) > 0:
		t.Errorf("%s: handbook.css does not apply: %s from its :root rule computes to nothing", where, strings.Join(p.RootVarsUnset, ", "))
	}

	// Layout: nothing wider than the screen.
	if p.ScrollWidth > p.ClientWidth+1 {
		var culprits []string
		for _, o := range p.Overflowing {
			culprits = append(culprits, fmt.Sprintf("%s (right edge %.0fpx, width %.0fpx)", o.Path, o.Right, o.Width))
		}
		msg := "no single element found past the right edge"
		if len(culprits) > 0 {
			msg = "elements past the right edge, widest first:\n\t" + strings.Join(culprits, "\n\t")
		}
		t.Errorf("%s: horizontal overflow: document scrollWidth %.0fpx > clientWidth %.0fpx; %s", where, p.ScrollWidth, p.ClientWidth, msg)
	}

	if len(p.H1) == 0 {
		t.Errorf("%s: the page has no <h1>", where)
	} else if !p.H1Visible {
		t.Errorf("%s: the page's <h1> %q is not visible", where, p.H1)
	}

	// Navigation: a sidebar on wide screens, a menu button on phones.
	if !p.Sidebar.Exists {
		t.Errorf("%s: no #sidebar", where)
	} else if !vp.phone {
		if !p.Sidebar.Visible {
			t.Errorf("%s: #sidebar is not visible on a wide screen", where)
		} else if p.Sidebar.Left < -1 || p.Sidebar.Right > p.ClientWidth+1 {
			t.Errorf("%s: #sidebar lies outside the viewport (left %.0f, right %.0f)", where, p.Sidebar.Left, p.Sidebar.Right)
		}
		if p.Toggle.Visible {
			t.Errorf("%s: the .nav-toggle menu button shows on a wide screen, where the sidebar is always visible", where)
		}
	} else {
		switch {
		case !p.Toggle.Exists:
			t.Errorf("%s: no .nav-toggle", where)
		case p.Toggle.Hidden:
			t.Errorf("%s: .nav-toggle still has its hidden attribute; handbook.js did not run or did not enable it", where)
		case !p.Toggle.Visible:
			t.Errorf("%s: .nav-toggle is not visible on a phone", where)
		case strings.Contains(" "+p.BodyClass+" ", " nav-open "):
			t.Errorf("%s: the body has class nav-open before the menu button was pressed", where)
		default:
			checkToggle(t, ctx, where)
		}
	}

	// Problems reported by the browser while the page loaded and ran.
	for _, msg := range rec.take() {
		t.Errorf("%s: %s", where, msg)
	}
}

// checkToggle presses the menu button and checks that the sidebar opens as
// a drawer inside the screen.
func checkToggle(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Tap(chromedp.CSS(".nav-toggle"))); err != nil {
		t.Errorf("%s: tap .nav-toggle: %v", where, err)
		return
	}
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](`document.body.classList.contains("nav-open")`,
		chromedp.WithPollingTimeout(2*time.Second)))
	if err != nil {
		class, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.className`))
		t.Errorf("%s: tapping .nav-toggle did not add class nav-open to the body (body class %q): %v", where, class, err)
		return
	}
	p, err := chromedp.Run(ctx, chromedp.Evaluate[probe](probeJS))
	if err != nil {
		t.Errorf("%s: probe after opening the menu: %v", where, err)
		return
	}
	if !p.Sidebar.Visible {
		t.Errorf("%s: with the menu open (body class %q), #sidebar is not visible", where, p.BodyClass)
	} else if p.Sidebar.Left < -1 || p.Sidebar.Right > p.ClientWidth+1 {
		t.Errorf("%s: with the menu open, #sidebar lies outside the screen (left %.0f, right %.0f, screen %.0f)", where, p.Sidebar.Left, p.Sidebar.Right, p.ClientWidth)
	}
}

// checkLinks fetches every same-origin URL the pages link to (links,
// stylesheets, scripts, images) and checks that it is under basePath and
// answers 200.
func checkLinks(t *testing.T, origin string, links map[string]string) {
	if len(links) == 0 {
		t.Fatal("no same-origin links were collected")
	}
	client := &http.Client{Timeout: 5 * time.Second}
	var urls []string
	for u := range links {
		urls = append(urls, u)
	}
	slices.Sort(urls)
	seen := map[string]bool{}
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			t.Errorf("%s links to %q: %v", links[raw], raw, err)
			continue
		}
		u.Fragment = ""
		if !strings.HasPrefix(u.Path, basePath) {
			t.Errorf("%s links to %s, outside the base path %s", links[raw], u.Path, basePath)
			continue
		}
		if seen[u.String()] {
			continue
		}
		seen[u.String()] = true
		resp, err := client.Get(u.String())
		if err != nil {
			t.Errorf("%s links to %s: %v", links[raw], u.Path, err)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s links to %s, which answers HTTP %d", links[raw], strings.TrimPrefix(u.String(), origin), resp.StatusCode)
		}
	}
}
