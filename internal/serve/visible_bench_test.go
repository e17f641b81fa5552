package serve_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
)

// BenchmarkSaveToVisible measures, in a headless Chromium, what an author
// waits for in `handbook serve`: the time from saving a runbook's Markdown
// to its new text on screen, and where that time goes. Each iteration
// appends a sentence to the page, which is open in the browser scrolled
// half-way down, and records (in milliseconds after the save, medians over
// the iterations):
//
//	event    the build event that asks the page to update reaches the page
//	request  the page's new HTML is asked for (a reload's navigation, or the
//	         in-place update's fetch)
//	html     its response has arrived
//	css, js  the last stylesheet and script have arrived (a full reload)
//	dcl      DOMContentLoaded: the deferred scripts have run (a full reload)
//	parsed   the in-place update has parsed the new HTML (live.js's mark)
//	swapped  it has changed the page (live.js's mark)
//	dom      the new text is in the document
//	frame    the next animation frame after that: the text is painted
//	fcp      first contentful paint of a reloaded page
//	load     the load event has ended (a full reload)
//	visible  frame, or fcp when later: the new text is on screen
//	idle     milliseconds spent in requestIdleCallback work (the search
//	         client's) within two seconds after the event
//	long     milliseconds of long tasks (>50 ms) in the same window
//
// and whether the scroll position was kept. With
// HANDBOOK_BENCH_FULL_RELOAD=1 no script can say that it follows in-place
// updates, so that every edit reloads the page: the path of custom themes.
// The server is the handbook
// binary at $HANDBOOK_BENCH_BIN, or one built from this checkout; the site
// is $HANDBOOK_BENCH_SITE (edited in place and restored), or one generated
// by cmd/gensite with $HANDBOOK_BENCH_PAGES pages (default 1000). The
// server is started once per process and its first build is not measured:
//
//	go run ./cmd/gensite -n 10000 -out /tmp/h4site
//	HANDBOOK_BENCH_SITE=/tmp/h4site go test -run '^$' -bench SaveToVisible -benchtime 10x ./internal/serve/
//
// Timings come from the browser's clock (performance.timeOrigin + now()),
// which is the system clock the save time is taken from.
func BenchmarkSaveToVisible(b *testing.B) {
	chromium := browsertest.Chromium(b)
	bs := benchServer(b)

	tab, cancelTab := chromedp.NewContext(browsertest.Allocator(b, chromium, chromedp.WindowSize(1280, 900)))
	defer cancelTab()
	if err := chromedp.Do(tab); err != nil {
		b.Fatalf("start the browser: %v", err)
	}
	probe := probeJS
	if os.Getenv("HANDBOOK_BENCH_FULL_RELOAD") == "1" {
		probe = noUpdatesJS + probe
	}
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: probe}); err != nil {
		b.Fatalf("add the probe: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, 5*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(bs.pageURL)); err != nil {
		b.Fatalf("navigate: %v", err)
	}
	eval := func(expr string) (any, error) {
		ectx, cancel := context.WithTimeout(tab, 10*time.Second)
		defer cancel()
		return chromedp.Run(ectx, chromedp.Evaluate[any](expr))
	}
	waitFor := func(what, expr string, limit time.Duration) {
		b.Helper()
		var err error
		var v any
		for deadline := time.Now().Add(limit); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
			if v, err = eval("!!(" + expr + ")"); err == nil && v == true {
				return
			}
		}
		b.Fatalf("%s: %s never held (%v)", what, expr, err)
	}
	waitFor("load", `document.readyState === "complete" && window.__hbprobe`, time.Minute)
	time.Sleep(1500 * time.Millisecond) // the search client's idle work
	waitFor("scroll", `(window.scrollTo(0, Math.min(1500, (document.documentElement.scrollHeight - innerHeight) / 2)), window.scrollY > 100)`, 10*time.Second)
	scroll, err := eval(`window.scrollY`)
	if err != nil {
		b.Fatal(err)
	}

	var runs []probeRun
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		token := fmt.Sprintf("hbvisible%dx%d", i, time.Now().UnixNano())
		if _, err := eval(`window.__hbprobe.arm(` + strconv.Quote(token) + `)`); err != nil {
			b.Fatal(err)
		}
		saved := float64(time.Now().UnixNano()) / 1e6
		if err := os.WriteFile(bs.file, fmt.Appendf(slices.Clip(bs.original), "\nEdit %s.\n", token), 0o644); err != nil {
			b.Fatal(err)
		}
		waitFor("new text", `(window.__hbprobe.get().rec || {}).frame`, 5*time.Minute)
		b.StopTimer()
		time.Sleep(2 * time.Second) // idle work, and the search index published after the page
		v, err := eval(`JSON.stringify(window.__hbprobe.report())`)
		if err != nil {
			b.Fatal(err)
		}
		var r probeRun
		if err := json.Unmarshal([]byte(v.(string)), &r); err != nil {
			b.Fatalf("probe report %v: %v", v, err)
		}
		r.saved = saved
		r.scrollBefore = scroll.(float64)
		runs = append(runs, r)
		b.StartTimer()
	}
	b.StopTimer()
	reportRuns(b, runs)
}

// probeRun is what the probe recorded for one edit: epoch milliseconds.
type probeRun struct {
	Rec     map[string]float64 `json:"rec"`
	Idle    float64            `json:"idle"`
	Long    float64            `json:"long"`
	Reloads int                `json:"reloads"`
	Scroll  float64            `json:"scroll"`

	saved        float64
	scrollBefore float64
}

var timeline = []string{"event", "request", "html", "css", "js", "dcl", "parsed", "swapped", "dom", "frame", "fcp", "load", "visible"}

func reportRuns(b *testing.B, runs []probeRun) {
	var lines []string
	for _, r := range runs {
		r.Rec["visible"] = max(r.Rec["frame"], r.Rec["fcp"])
	}
	for _, name := range timeline {
		var ms []float64
		for _, r := range runs {
			if t, ok := r.Rec[name]; ok && t > 0 {
				ms = append(ms, t-r.saved)
			}
		}
		if len(ms) == 0 {
			continue
		}
		m := median(ms)
		lines = append(lines, fmt.Sprintf("%-8s %7.1f ms  (%d of %d edits; min %.1f, max %.1f)", name, m, len(ms), len(runs), slices.Min(ms), slices.Max(ms)))
		switch name {
		case "event", "request", "visible":
			b.ReportMetric(m, name+"-ms")
		}
	}
	var idle, long []float64
	reloads, kept := 0, 0
	for _, r := range runs {
		idle, long = append(idle, r.Idle), append(long, r.Long)
		reloads += r.Reloads
		if d := r.Scroll - r.scrollBefore; d > -2 && d < 2 {
			kept++
		}
	}
	lines = append(lines, fmt.Sprintf("idle     %7.1f ms of idle callbacks, long tasks %.1f ms (medians)", median(idle), median(long)))
	lines = append(lines, fmt.Sprintf("full reloads %d, scroll kept %d of %d edits", reloads, kept, len(runs)))
	b.ReportMetric(float64(reloads)/float64(len(runs)), "reloads/op")
	b.Logf("save → visible, %d edits of %s:\n%s", len(runs), benchSetup.pageURL, strings.Join(lines, "\n"))
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// A benchRun is the handbook serve process shared by the invocations of
// BenchmarkSaveToVisible, stopped by TestMain.
type benchRun struct {
	cmd      *exec.Cmd
	pageURL  string
	file     string
	original []byte
	err      error
}

var (
	benchOnce  sync.Once
	benchSetup benchRun
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchSetup.cmd != nil {
		benchSetup.cmd.Process.Kill()
		benchSetup.cmd.Wait()
	}
	if benchSetup.file != "" {
		os.WriteFile(benchSetup.file, benchSetup.original, 0o644)
	}
	os.Exit(code)
}

func benchServer(b *testing.B) *benchRun {
	benchOnce.Do(func() { benchSetup.err = startBenchServer(&benchSetup) })
	if benchSetup.err != nil {
		b.Fatal(benchSetup.err)
	}
	return &benchSetup
}

func startBenchServer(r *benchRun) error {
	tmp, err := os.MkdirTemp("", "handbook-visible-")
	if err != nil {
		return err
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		return err
	}
	bin := os.Getenv("HANDBOOK_BENCH_BIN")
	if bin == "" {
		bin = filepath.Join(tmp, "handbook")
		if out, err := exec.Command("go", "build", "-C", root, "-o", bin, "./cmd/handbook").CombinedOutput(); err != nil {
			return fmt.Errorf("go build ./cmd/handbook: %v\n%s", err, out)
		}
	}
	site := os.Getenv("HANDBOOK_BENCH_SITE")
	if site == "" {
		n := os.Getenv("HANDBOOK_BENCH_PAGES")
		if n == "" {
			n = "1000"
		}
		site = filepath.Join(tmp, "site")
		if out, err := exec.Command("go", "run", "-C", root, "./cmd/gensite", "-n", n, "-out", site).CombinedOutput(); err != nil {
			return fmt.Errorf("gensite: %v\n%s", err, out)
		}
	}
	pages, _ := filepath.Glob(filepath.Join(site, "runbooks", "*", "*.md"))
	if len(pages) == 0 {
		return fmt.Errorf("%s: no runbook to edit", site)
	}
	slices.Sort(pages)
	r.file = pages[0]
	if r.original, err = os.ReadFile(r.file); err != nil {
		return err
	}
	rel, _ := filepath.Rel(filepath.Join(site, "runbooks"), r.file)
	cmd := exec.Command(bin, "-C", site, "--quiet", "serve", "--port", "0")
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	cmd.Stderr = io.Discard
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	r.cmd = cmd
	sc := bufio.NewScanner(stdout)
	base := ""
	for sc.Scan() {
		if _, at, ok := strings.Cut(sc.Text(), " at "); ok && strings.HasPrefix(sc.Text(), "serving ") {
			base, _, _ = strings.Cut(at, " ")
			break
		}
	}
	if base == "" {
		return fmt.Errorf("handbook serve said no address")
	}
	go io.Copy(io.Discard, stdout)
	r.pageURL = strings.TrimSuffix(base, "/") + "/runbooks/" + strings.ToLower(filepath.ToSlash(strings.TrimSuffix(rel, ".md"))) + "/" // slugs are lower case
	for deadline := time.Now().Add(10 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if resp, err := http.Get(r.pageURL); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return fmt.Errorf("%s did not answer within 10 minutes", r.pageURL)
}

// noUpdatesJS makes the handbookUpdates property of script elements ignore
// what scripts set, so that live.js reloads the page on every edit.
const noUpdatesJS = `Object.defineProperty(HTMLScriptElement.prototype, "handbookUpdates", {
  get: function () { return undefined; }, set: function () {}, configurable: true });
`

// probeJS runs at the start of every document of the benchmark's tab. It
// keeps what it records in sessionStorage, so that a reload does not lose
// it; arm(token) starts a measurement, report() returns it.
const probeJS = `(function () {
  var K = "hbprobe";
  function now() { return performance.timeOrigin + performance.now(); }
  function load() { try { return JSON.parse(sessionStorage.getItem(K) || "{}"); } catch (e) { return {}; } }
  var st = load();
  function save() { sessionStorage.setItem(K, JSON.stringify(st)); }
  function rec(name, t) {
    if (!st.token || !st.rec || st.rec[name] !== undefined) return;
    st.rec[name] = t;
    save();
  }
  function armed() { return !!(st.token && st.rec && st.rec.event); }
  if (armed() && !st.rec.frame) { st.reloads = (st.reloads || 0) + 1; save(); }

  var ES = window.EventSource;
  if (ES) {
    var Wrapped = function (u, o) {
      var es = new ES(u, o);
      es.addEventListener("build", function (e) {
        try { if (JSON.parse(e.data).reload) rec("event", now()); } catch (x) {}
      });
      return es;
    };
    Wrapped.prototype = ES.prototype;
    Wrapped.CONNECTING = 0; Wrapped.OPEN = 1; Wrapped.CLOSED = 2;
    window.EventSource = Wrapped;
  }

  var idle = [];
  var ric = window.requestIdleCallback;
  if (ric) {
    window.requestIdleCallback = function (cb, o) {
      return ric.call(window, function (d) {
        var s = now();
        try { cb(d); } finally { idle.push([s, now()]); }
      }, o);
    };
  }
  var long = [];
  try {
    new PerformanceObserver(function (l) {
      l.getEntries().forEach(function (e) { long.push([performance.timeOrigin + e.startTime, e.duration]); });
    }).observe({ type: "longtask", buffered: true });
  } catch (e) {}

  function seen() {
    if (!st.token || !st.rec || st.rec.dom) return;
    rec("dom", now());
    requestAnimationFrame(function () { rec("frame", now()); });
  }
  function has(n) { return n && (n.nodeType === 3 ? n.data : n.textContent || "").indexOf(st.token) >= 0; }
  new MutationObserver(function (ms) {
    if (!st.token || (st.rec && st.rec.dom)) return;
    for (var i = 0; i < ms.length; i++) {
      var m = ms[i];
      if (m.type === "characterData" ? has(m.target) : Array.prototype.some.call(m.addedNodes, has)) { seen(); return; }
    }
  }).observe(document, { childList: true, subtree: true, characterData: true });

  function abs(t) { return t > 0 ? performance.timeOrigin + t : 0; }
  window.__hbprobe = {
    arm: function (token) { st = { token: token, rec: {}, reloads: 0 }; idle = []; long = []; save(); },
    get: function () { return st; },
    report: function () {
      var r = st.rec, ev = r.event || 0, out = {};
      for (var k in r) out[k] = r[k];
      var nav = performance.getEntriesByType("navigation")[0];
      if (st.reloads && nav) {
        out.request = abs(nav.requestStart); out.html = abs(nav.responseEnd);
        out.dcl = abs(nav.domContentLoadedEventEnd); out.load = abs(nav.loadEventEnd);
        var fcp = performance.getEntriesByName("first-contentful-paint")[0];
        if (fcp) out.fcp = abs(fcp.startTime);
      }
      performance.getEntriesByType("resource").forEach(function (e) {
        var t = abs(e.responseEnd);
        if (t < ev) return;
        if (e.initiatorType === "link" && /\.css/.test(e.name)) out.css = Math.max(out.css || 0, t);
        if (e.initiatorType === "script") out.js = Math.max(out.js || 0, t);
        if (e.initiatorType === "fetch" && e.name.split("#")[0].split("?")[0] === location.href.split("#")[0].split("?")[0] && !out.request) {
          out.request = abs(e.requestStart || e.fetchStart); out.html = t;
        }
      });
      performance.getEntriesByType("mark").forEach(function (m) {
        var t = abs(m.startTime);
        if (m.name === "handbook:swapped" && t >= ev && !out.swapped) out.swapped = t;
        if (m.name === "handbook:parsed" && t >= ev && !out.parsed) out.parsed = t;
      });
      var sum = function (a, f) { return a.filter(function (x) { return x[0] >= ev && x[0] < ev + 2000; }).reduce(function (s, x) { return s + f(x); }, 0); };
      return { rec: out, idle: sum(idle, function (x) { return x[1] - x[0]; }), long: sum(long, function (x) { return x[1]; }),
        reloads: st.reloads || 0, scroll: window.scrollY };
    }
  };
})();`
