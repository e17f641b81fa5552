package main

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// searchQueries are the queries both search engines answer, the same for
// both, written from the generated sites' vocabulary: single words,
// pairs, a service, a code command, a number from a title, words of a
// title, and a word with a typo (which only handbook corrects).
var searchQueries = []string{
	"latency", "failover", "database", "certificate rotation", "circuit breaker",
	"payments", "kubectl", "rollout undo", "burn rate", "replica lag",
	"error budget", "postgres", "canary", "partition", "eviction",
	"pg_stat_activity", "dashboard threshold", "snapshot restore", "throughput saturation", "latncy",
}

const (
	// readerPause is the time between a page's opening and the reader's
	// going to the search box.
	readerPause = time.Second
	// keyGap is the time between two keys of a typed query.
	keyGap = 100 * time.Millisecond
)

// searchResult is what one engine did for one cold query.
type searchResult struct {
	bytes   int64         // transferred over the wire for the query: script, index, records
	latency time.Duration // from the last keystroke to results on screen (handbook)
	first   string        // the first result's site path
}

// compareSearch measures handbook's search index against Pagefind's on the
// site handbook builds from site: the time to build each index, and, for
// each of searchQueries in headless Chromium with the cache disabled, the
// bytes a cold query transfers, the time from the last keystroke to the
// results (handbook's box, typed as a reader types) and the first result.
// It returns a Markdown table, or an error when a tool is missing: then the
// comparison is skipped.
func compareSearch(handbook, work, siteDir string, n, runs int, buildMedian time.Duration) (string, error) {
	pagefind, err := ensurePagefind(work)
	if err != nil {
		return "", err
	}
	chromium, err := browsertest.Find()
	if err != nil {
		return "", err
	}
	out := filepath.Join(work, fmt.Sprintf("out-search-%d", n))
	if err := buildInto(handbook, siteDir, out); err != nil {
		return "", err
	}
	c := searchComparison{n: n, runs: runs, buildMedian: buildMedian, pagefind: pagefind}
	if err := c.indexTimes(siteDir, out); err != nil {
		return "", err
	}
	c.ourSize, c.theirSize = folderSize(filepath.Join(out, "search")), folderSize(filepath.Join(out, "pagefind"))

	base, counter, browser, stop, err := browseCounted(out, chromium, work)
	if err != nil {
		return "", err
	}
	defer stop()
	for _, q := range searchQueries {
		if err := c.query(browser, base, counter, q); err != nil {
			return "", err
		}
	}
	return c.table(), nil
}

// searchComparison gathers the figures of one compareSearch.
type searchComparison struct {
	n, runs     int
	buildMedian time.Duration
	pagefind    string // Pagefind's command

	ours, theirs       []sample // index build times
	ourSize, theirSize int64    // index sizes on disk
	hb, pf, typed      []searchResult
	agree              int
	disagree           []string
}

// indexTimes measures the index build times: handbook's from the pages of
// siteDir in memory (what the index adds to a build), Pagefind's around
// its process on the built site in out.
func (c *searchComparison) indexTimes(siteDir, out string) error {
	cfg := site.DefaultConfig(siteDir)
	cfg.Now = sitegen.Today
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		return err
	}
	for i := 0; i < c.runs; i++ {
		start := time.Now()
		build.SearchIndex(s)
		c.ours = append(c.ours, sample{wall: time.Since(start)})
		os.RemoveAll(filepath.Join(out, "pagefind"))
		t, err := measure([]string{c.pagefind, "--site", out, "--quiet"})
		if err != nil {
			return fmt.Errorf("pagefind: %w", err)
		}
		c.theirs = append(c.theirs, t)
		fmt.Fprintf(os.Stderr, "  search index     %6d pages  run %d: handbook %v, pagefind %v\n", c.n, i+1, c.ours[i].wall.Round(time.Millisecond), t.wall.Round(time.Millisecond))
	}
	return nil
}

// serveCounted serves the built site out on 127.0.0.1 as a web host does
// (compressed), counting the bytes sent by path; it returns the base URL
// and the function that stops the server. Nothing is cached (no-store):
// every query is cold, also for the requests of Pagefind's worker, to
// which the tab's disabled cache does not apply.
func serveCounted(out string) (string, *byteCounter, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, err
	}
	counter := &byteCounter{}
	srv := &http.Server{Handler: counter.wrap(noStore(gzipFiles(http.FileServer(http.Dir(out)))))}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), counter, func() { srv.Close() }, nil
}

// buildInto builds the site at siteDir with handbook into out, replacing
// it; findings do not count as a failure.
func buildInto(handbook, siteDir, out string) error {
	os.RemoveAll(out)
	if o, err := exec.Command(handbook, "-C", siteDir, "--quiet", "build", "--out", out).CombinedOutput(); err != nil && !foundProblems([]string{handbook}, err, o) {
		return fmt.Errorf("handbook build: %v\n%.2000s", err, o)
	}
	return nil
}

// browseCounted serves out, counting the bytes of each file sent, and
// starts a headless Chromium to browse it; stop ends both.
func browseCounted(out, chromium, work string) (base string, counter *byteCounter, browser context.Context, stop func(), err error) {
	base, counter, stopServer, err := serveCounted(out)
	if err != nil {
		return "", nil, nil, nil, err
	}
	browser, cancel, err := startChromium(chromium, work)
	if err != nil {
		stopServer()
		return "", nil, nil, nil, err
	}
	return base, counter, browser, func() { cancel(); stopServer() }, nil
}

// startChromium starts a headless Chromium with its profile in work; the
// returned function stops it.
func startChromium(chromium, work string) (context.Context, func(), error) {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-proxy-server", true),
		chromedp.UserDataDir(filepath.Join(work, "chromium-profile")))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	cancel := func() {
		cancelBrowser()
		cancelAlloc()
	}
	if err := chromedp.Do(browser); err != nil {
		cancel()
		return nil, nil, fmt.Errorf("start chromium: %w", err)
	}
	return browser, cancel, nil
}

// query runs q cold on both engines, handbook's entered at once and typed,
// counting the bytes each transfers, and records the results.
func (c *searchComparison) query(browser context.Context, base string, counter *byteCounter, q string) error {
	counter.reset()
	h, err := handbookQuery(browser, base, q, false)
	if err != nil {
		return fmt.Errorf("handbook search %q: %w", q, err)
	}
	h.bytes = counter.sum("/search/", "/assets/search.js")
	counter.reset()
	ht, err := handbookQuery(browser, base, q, true)
	if err != nil {
		return fmt.Errorf("handbook search %q, typed: %w", q, err)
	}
	ht.bytes = counter.sum("/search/", "/assets/search.js")
	c.typed = append(c.typed, ht)
	counter.reset()
	p, err := pagefindQuery(browser, base, q)
	if err != nil {
		return fmt.Errorf("pagefind search %q: %w", q, err)
	}
	p.bytes = counter.sum("/pagefind/")
	c.hb, c.pf = append(c.hb, h), append(c.pf, p)
	if h.first == p.first {
		c.agree++
	} else {
		c.disagree = append(c.disagree, fmt.Sprintf("%q: handbook %s, Pagefind %s", q, orNone(h.first), orNone(p.first)))
	}
	fmt.Fprintf(os.Stderr, "  search %-24q handbook %5.1f KB %3d ms (typed: %5.1f KB %3d ms) %-40s pagefind %5.1f KB %3d ms %s\n", q, float64(h.bytes)/1024, h.latency.Milliseconds(), float64(ht.bytes)/1024, ht.latency.Milliseconds(), orNone(h.first), float64(p.bytes)/1024, p.latency.Milliseconds(), orNone(p.first))
	return nil
}

// medianKB returns the median and the maximum of the bytes of rs, in KB.
func medianKB(rs []searchResult) (float64, float64) {
	b := make([]int64, len(rs))
	for i, r := range rs {
		b[i] = r.bytes
	}
	slices.Sort(b)
	return float64(b[len(b)/2]) / 1024, float64(b[len(b)-1]) / 1024
}

// medianLatency returns the median and the maximum latency of rs.
func medianLatency(rs []searchResult) (time.Duration, time.Duration) {
	l := make([]time.Duration, len(rs))
	for i, r := range rs {
		l[i] = r.latency
	}
	slices.Sort(l)
	return l[len(l)/2], l[len(l)-1]
}

// table writes the comparison as a Markdown table, followed by the first
// results that differ.
func (c *searchComparison) table() string {
	ourIndex, _ := stats(c.ours)
	theirIndex, theirRSS := stats(c.theirs)
	hm, hx := medianKB(c.hb)
	tm, tx := medianKB(c.typed)
	pm, px := medianKB(c.pf)
	lm, lx := medianLatency(c.hb)
	ltm, ltx := medianLatency(c.typed)
	lpm, lpx := medianLatency(c.pf)
	var t strings.Builder
	fmt.Fprintf(&t, "| search, %d pages | handbook | Pagefind %s | ratio |\n| --- | --- | --- | ---: |\n", c.n, strings.TrimPrefix(version(c.pagefind, "--version"), "pagefind "))
	share := ""
	if c.buildMedian > 0 {
		share = fmt.Sprintf(" (%.0f%% of the build's %s)", 100*ourIndex[0].Seconds()/c.buildMedian.Seconds(), secs(c.buildMedian))
	}
	fmt.Fprintf(&t, "| index build, median of %d | %s%s | %s, %s | %.2f× |\n", c.runs, secs(ourIndex[0]), share, secs(theirIndex[0]), mb(theirRSS[0]), ourIndex[0].Seconds()/theirIndex[0].Seconds())
	fmt.Fprintf(&t, "| index on disk | %.1f MB | %.1f MB | %.2f× |\n", float64(c.ourSize)/(1<<20), float64(c.theirSize)/(1<<20), float64(c.ourSize)/float64(c.theirSize))
	fmt.Fprintf(&t, "| bytes per cold query, median (max) of %d | %.1f KB (%.1f KB) | %.1f KB (%.1f KB) | %.2f× |\n", len(searchQueries), hm, hx, pm, px, hm/pm)
	fmt.Fprintf(&t, "| the same, typed a key at a time (every intermediate query counted) | %.1f KB (%.1f KB) | | |\n", tm, tx)
	fmt.Fprintf(&t, "| query entered at once → results shown, median (max); Pagefind: search → data of 10 results | %d ms (%d ms) | %d ms (%d ms) | %.2f× |\n", lm.Milliseconds(), lx.Milliseconds(), lpm.Milliseconds(), lpx.Milliseconds(), lm.Seconds()/lpm.Seconds())
	fmt.Fprintf(&t, "| last keystroke → results shown, typed (a key every %d ms) | %d ms (%d ms) | | |\n", keyGap.Milliseconds(), ltm.Milliseconds(), ltx.Milliseconds())
	fmt.Fprintf(&t, "| same first result | %d of %d queries | | |\n", c.agree, len(searchQueries))
	if len(c.disagree) > 0 {
		fmt.Fprintf(&t, "\nFirst results that differ: %s.\n", strings.Join(c.disagree, "; "))
	}
	return t.String()
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// ensurePagefind installs Pagefind from npm into the work folder, once,
// and returns its command.
func ensurePagefind(work string) (string, error) {
	dir := filepath.Join(work, "pagefind-npm")
	bin := filepath.Join(dir, "node_modules", ".bin", "pagefind")
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	if _, err := exec.LookPath("npm"); err != nil {
		return "", errors.New("npm is not installed: no Pagefind to compare with")
	}
	fmt.Fprintln(os.Stderr, "installing pagefind from npm…")
	if out, err := exec.Command("npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "pagefind@1").CombinedOutput(); err != nil {
		return "", fmt.Errorf("npm install pagefind: %v\n%s", err, out)
	}
	return bin, nil
}

func folderSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

// noStore forbids browsers to keep any response.
func noStore(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// gzipFiles compresses text responses for clients that accept it, as any
// web host does; Pagefind's files are compressed already and go as they
// are.
func gzipFiles(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ext := filepath.Ext(r.URL.Path)
		text := ext == ".js" || ext == ".json" || ext == ".css" || ext == ".html" || ext == "" || strings.HasSuffix(r.URL.Path, "/")
		if !text || !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Add("Vary", "Accept-Encoding")
		gz := gzip.NewWriter(w)
		defer gz.Close()
		h.ServeHTTP(gzipWriter{w, gz}, r)
	})
}

type gzipWriter struct {
	http.ResponseWriter
	w io.Writer
}

func (g gzipWriter) Write(b []byte) (int, error) { return g.w.Write(b) }
func (g gzipWriter) WriteHeader(code int) {
	g.ResponseWriter.Header().Del("Content-Length")
	g.ResponseWriter.WriteHeader(code)
}

// coldTab opens a page of the site in a new tab with the browser cache
// off, so that everything a query needs is fetched.
func coldTab(browser context.Context, base string) (context.Context, context.CancelFunc, error) {
	tab, cancel := chromedp.NewContext(browser)
	ctx, cancelT := context.WithTimeout(tab, time.Minute)
	stop := func() { cancelT(); cancel() }
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, err
	}
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		stop()
		return nil, nil, err
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/posts/")); err != nil {
		stop()
		return nil, nil, err
	}
	return ctx, stop, nil
}

// byteCounter counts the bytes the server sends (compressed, as on the
// wire, headers left out) by URL path, between resets: what a query
// downloads, whoever asks for it (the page, a worker).
type byteCounter struct {
	mu    sync.Mutex
	bytes map[string]int64
}

func (c *byteCounter) reset() {
	c.mu.Lock()
	c.bytes = map[string]int64{}
	c.mu.Unlock()
}

// sum adds up the bytes sent for paths starting with one of prefixes.
func (c *byteCounter) sum(prefixes ...string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for p, b := range c.bytes {
		for _, pre := range prefixes {
			if strings.HasPrefix(p, pre) {
				n += b
				break
			}
		}
	}
	return n
}

func (c *byteCounter) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(countingWriter{w, c, r.URL.Path}, r)
	})
}

type countingWriter struct {
	http.ResponseWriter
	c    *byteCounter
	path string
}

func (w countingWriter) Write(b []byte) (int, error) {
	w.c.mu.Lock()
	if w.c.bytes == nil {
		w.c.bytes = map[string]int64{}
	}
	w.c.bytes[w.path] += int64(len(b))
	w.c.mu.Unlock()
	return w.ResponseWriter.Write(b)
}

// handbookQuery types q into handbook's search box as a reader does, a
// key at a time (typed) or all at once (pasted), and waits for the
// results of the whole query.
func handbookQuery(browser context.Context, base, q string, typed bool) (searchResult, error) {
	ctx, stop, err := coldTab(browser, base)
	if err != nil {
		return searchResult{}, err
	}
	defer stop()
	// The page notes when the last key went down and when the results of
	// the box's text were first shown after it.
	const watch = `(() => {
		window.__keyAt = 0; window.__shownAt = 0;
		const input = document.querySelector("[data-handbook-search] input");
		document.addEventListener("keydown", () => { window.__keyAt = performance.now(); window.__shownAt = 0; }, true);
		const box = document.querySelector(".search-results");
		new MutationObserver(() => {
			if (box.dataset.query === input.value && !window.__shownAt) window.__shownAt = performance.now();
		}).observe(box, {attributes: true, attributeFilter: ["data-query"]});
		return true;
	})()`
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](watch)); err != nil {
		return searchResult{}, err
	}
	// A reader opens the page, and a moment later goes to the box.
	time.Sleep(readerPause)
	if typed {
		// A fast typist: a key every 100 ms (about 120 words a minute).
		for _, r := range q {
			if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS(`[data-handbook-search] input`), string(r))); err != nil {
				return searchResult{}, err
			}
			time.Sleep(keyGap)
		}
	} else {
		// Pasted: one input event with the whole query.
		paste := `(() => { const i = document.querySelector("[data-handbook-search] input"); i.focus();
			window.__keyAt = performance.now(); i.value = ` + jsQuote(q) + `; i.dispatchEvent(new Event("input", {bubbles: true})); return true })()`
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](paste)); err != nil {
			return searchResult{}, err
		}
	}
	// The results are those of the whole query once the box says so.
	var last float64
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline) && last == 0; time.Sleep(20 * time.Millisecond) {
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__shownAt`))
		if err != nil {
			return searchResult{}, err
		}
		last = shown
	}
	if last == 0 {
		return searchResult{}, errors.New("no results shown within 20 s")
	}
	time.Sleep(500 * time.Millisecond) // downloads still under way (records) are counted too
	var r searchResult
	key, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`window.__keyAt`))
	if err != nil {
		return r, err
	}
	if last > key {
		r.latency = time.Duration((last - key) * float64(time.Millisecond))
	}
	// The first result shown is the best: kinds come in the order of
	// their best result. (handbookSearch.query would fetch the records of
	// every result, which the box does not.)
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector('.search-results [role="option"] a[href], .search-results a[href][role="option"]'); return a ? new URL(a.href).pathname : "" })()`))
	if err != nil {
		return r, err
	}
	r.first = first
	return r, nil
}

// pagefindQuery runs q through Pagefind's JavaScript API as its UI does:
// loaded and initialized before the query (as handbook's entry is), then
// the search and the data of the first ten results, which is the latency.
func pagefindQuery(browser context.Context, base, q string) (searchResult, error) {
	ctx, stop, err := coldTab(browser, base)
	if err != nil {
		return searchResult{}, err
	}
	defer stop()
	time.Sleep(readerPause)
	script := `(async () => {
		const pf = await import("/pagefind/pagefind.js");
		if (pf.init) await pf.init();
		const start = performance.now();
		const r = await pf.search(` + jsQuote(q) + `);
		const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
		return [performance.now() - start, data.length ? new URL(data[0].url, location.href).pathname : ""];
	})()`
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]any](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return searchResult{}, err
	}
	ms, _ := got[0].(float64)
	first, _ := got[1].(string)
	return searchResult{first: strings.TrimSuffix(first, "index.html"), latency: time.Duration(ms * float64(time.Millisecond))}, nil
}

func jsQuote(s string) string {
	return "decodeURIComponent(\"" + url.PathEscape(s) + "\")"
}
