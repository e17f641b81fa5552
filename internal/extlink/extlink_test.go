package extlink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// clock is a fake Now and Sleep: sleeping moves the time on at once and
// is recorded.
type clock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newClock() *clock {
	return &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func (c *clock) slept() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// fastOptions are Options for tests: tiny backoff, fake time.
func fastOptions(c *clock) Options {
	return Options{Backoff: time.Millisecond, Timeout: 5 * time.Second, Now: c.Now, Sleep: c.Sleep}
}

// server is a test server counting the requests it gets, by "METHOD /path".
type server struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

func serve(t *testing.T, h http.HandlerFunc) *server {
	t.Helper()
	s := &server{hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.Method+" "+r.URL.Path]++
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

// count returns the requests for path, any method.
func (s *server) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits["HEAD "+path] + s.hits["GET "+path]
}

func (s *server) total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, v := range s.hits {
		n += v
	}
	return n
}

func checkOne(t *testing.T, u string, opts Options) Result {
	t.Helper()
	res := Check(context.Background(), []string{u}, opts)
	r, ok := res[u]
	if !ok || len(res) != 1 {
		t.Fatalf("Check(%q) = %v, want one result for it", u, res)
	}
	return r
}

func assertResult(t *testing.T, r Result, status Status, code, attempts int, reason string) {
	t.Helper()
	if r.Status != status || r.Code != code || r.Attempts != attempts || !strings.Contains(r.Reason, reason) {
		t.Errorf("%s: got %v, code %d, %d attempts, reason %q; want %v, code %d, %d attempts, reason with %q",
			r.URL, r.Status, r.Code, r.Attempts, r.Reason, status, code, attempts, reason)
	}
}

// status answers code to every request.
func status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(code) }
}

func TestStatuses(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		accept   []int
		status   Status
		code     int
		attempts int
		reason   string
	}{
		{"200", status(200), nil, OK, 200, 1, ""},
		{"204", status(204), nil, OK, 204, 1, ""},
		{"404", status(404), nil, Broken, 404, 1, "not found (404 Not Found)"},
		{"410", status(410), nil, Broken, 410, 1, "gone (410 Gone)"},
		{"400", status(400), nil, Broken, 400, 2, "client error (400 Bad Request)"},
		{"401", status(401), nil, Broken, 401, 2, "401 Unauthorized"},
		{"403", status(403), nil, Unverifiable, 403, 2, "bot wall / forbidden to robots (403 Forbidden)"},
		{"999", status(999), nil, Unverifiable, 999, 2, "bot wall / forbidden to robots (999)"},
		{"403 accepted", status(403), []int{403}, OK, 403, 1, ""},
		{"HEAD 405, GET 200", func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(405)
			}
		}, nil, OK, 200, 2, ""},
		{"HEAD 501, GET 200", func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(501)
			}
		}, nil, OK, 200, 2, ""},
		{"HEAD 403, GET 404", func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(403)
			} else {
				w.WriteHeader(404)
			}
		}, nil, Broken, 404, 2, "not found"},
		{"GET body read partly", func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodHead {
				w.WriteHeader(405)
				return
			}
			chunk := []byte(strings.Repeat("x", 1<<10))
			for range 1 << 12 { // 4 MiB, or until the client hangs up
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}, nil, OK, 200, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ua atomic.Value
			s := serve(t, func(w http.ResponseWriter, r *http.Request) {
				ua.Store(r.UserAgent())
				tt.handler(w, r)
			})
			opts := fastOptions(newClock())
			opts.Accept = tt.accept
			r := checkOne(t, s.URL+"/page", opts)
			assertResult(t, r, tt.status, tt.code, tt.attempts, tt.reason)
			if tt.status == OK && r.Reason != "" {
				t.Errorf("OK with reason %q", r.Reason)
			}
			if r.Final != s.URL+"/page" || r.Redirects != 0 {
				t.Errorf("final %q after %d redirects, want the URL itself", r.Final, r.Redirects)
			}
			if got := ua.Load(); got != UserAgent {
				t.Errorf("User-Agent %q", got)
			}
		})
	}
}

func TestRedirects(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case p == "/r1":
			http.Redirect(w, r, "/r2", http.StatusMovedPermanently)
		case p == "/r2":
			http.Redirect(w, r, "/r3#top", http.StatusMovedPermanently)
		case p == "/r3":
		case p == "/loop1":
			http.Redirect(w, r, "/loop2", http.StatusFound)
		case p == "/loop2":
			http.Redirect(w, r, "/loop1", http.StatusFound)
		case strings.HasPrefix(p, "/n/"):
			var n int
			fmt.Sscanf(p, "/n/%d", &n)
			http.Redirect(w, r, fmt.Sprintf("/n/%d", n+1), http.StatusFound)
		case p == "/mailto":
			http.Redirect(w, r, "mailto:someone@example.com", http.StatusFound)
		}
	})
	res := Check(context.Background(), []string{s.URL + "/r1", s.URL + "/loop1", s.URL + "/n/0", s.URL + "/mailto"}, fastOptions(newClock()))

	chain := res[s.URL+"/r1"]
	assertResult(t, chain, OK, 200, 1, "")
	if chain.Final != s.URL+"/r3" || chain.Redirects != 2 {
		t.Errorf("chain: final %q after %d redirects, want %s/r3 after 2", chain.Final, chain.Redirects, s.URL)
	}
	assertResult(t, res[s.URL+"/loop1"], Broken, http.StatusFound, 1, "redirect loop")
	assertResult(t, res[s.URL+"/n/0"], Broken, http.StatusFound, 1, "more than 10 redirects")
	if got := s.count("/n/10"); got != 1 {
		t.Errorf("/n/10 asked %d times, want 1 (10 redirects followed)", got)
	}
	if got := s.count("/n/11"); got != 0 {
		t.Errorf("/n/11 asked %d times, want 0", got)
	}
	assertResult(t, res[s.URL+"/mailto"], Broken, http.StatusFound, 1, "redirect to a non-http(s) URL")
}

func TestRetryAfter(t *testing.T) {
	var n atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		}
	})
	c := newClock()
	r := checkOne(t, s.URL, fastOptions(c))
	assertResult(t, r, OK, 200, 2, "")
	if got := c.slept(); !slices.Equal(got, []time.Duration{time.Second}) {
		t.Errorf("slept %v, want [1s] as Retry-After asked", got)
	}
	if got := s.hits["GET /"]; got != 0 {
		t.Errorf("%d GETs after a 429 to HEAD, want 0", got)
	}
}

func TestRetryAfterDate(t *testing.T) {
	c := newClock()
	var n atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) <= 1 {
			w.Header().Set("Retry-After", c.Now().Add(5*time.Second).Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	})
	opts := fastOptions(c)
	opts.Retries = 1
	r := checkOne(t, s.URL, opts)
	// HEAD 503 is asked again with GET at once; its 200 ends it.
	assertResult(t, r, OK, 200, 2, "")

	n.Store(-1) // two 503s with Retry-After: HEAD, then GET
	r = checkOne(t, s.URL+"/again", opts)
	assertResult(t, r, OK, 200, 3, "")
	if got := c.slept(); !slices.Equal(got, []time.Duration{5 * time.Second}) {
		t.Errorf("slept %v, want [5s] as Retry-After asked", got)
	}
}

func TestRetryAfterTooLong(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "120")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newClock()
	opts := fastOptions(c)
	opts.PerHost = 1
	opts.CachePath = filepath.Join(t.TempDir(), "cache.json")
	res := Check(context.Background(), []string{s.URL + "/a", s.URL + "/b"}, opts)
	for _, r := range res {
		if r.Status != Unverifiable || r.Code != 429 || r.Reason != "rate limited, retry after 2m0s" {
			t.Errorf("%s: %v, code %d, %q; want unverifiable, 429, rate limited, retry after 2m0s", r.URL, r.Status, r.Code, r.Reason)
		}
	}
	if got := s.total(); got != 1 {
		t.Errorf("%d requests, want 1: the host asked us to go away", got)
	}
	if len(c.slept()) != 0 {
		t.Errorf("slept %v, want no wait", c.slept())
	}
	if e := readCacheFile(t, opts.CachePath); len(e) != 0 {
		t.Errorf("cached %v, want nothing", e)
	}
}

func TestRateLimitedThroughRetries(t *testing.T) {
	s := serve(t, status(http.StatusTooManyRequests))
	c := newClock()
	opts := fastOptions(c)
	opts.Retries = 2
	r := checkOne(t, s.URL, opts)
	assertResult(t, r, Unverifiable, 429, 3, "rate limited (429 Too Many Requests) (3 attempts)")
	if got := len(c.slept()); got != 2 {
		t.Errorf("%d waits, want 2", got)
	}
}

func TestServerErrorRetried(t *testing.T) {
	for _, tt := range []struct {
		fails, attempts int
		sleeps          int
	}{
		{fails: 1, attempts: 2, sleeps: 0}, // HEAD 503, GET 200
		{fails: 2, attempts: 3, sleeps: 1}, // HEAD 503, GET 503, backoff, GET 200
		{fails: 3, attempts: 4, sleeps: 2},
	} {
		t.Run(fmt.Sprint(tt.fails), func(t *testing.T) {
			var n atomic.Int32
			s := serve(t, func(w http.ResponseWriter, r *http.Request) {
				if int(n.Add(1)) <= tt.fails {
					w.WriteHeader(http.StatusServiceUnavailable)
				}
			})
			c := newClock()
			opts := fastOptions(c)
			opts.Backoff = 8 * time.Millisecond
			r := checkOne(t, s.URL, opts)
			assertResult(t, r, OK, 200, tt.attempts, "")
			slept := c.slept()
			if len(slept) != tt.sleeps {
				t.Fatalf("slept %v, want %d waits", slept, tt.sleeps)
			}
			for i, d := range slept {
				nominal := opts.Backoff << i
				if d < nominal/2 || d > nominal {
					t.Errorf("wait %d is %v, want within [%v, %v]", i, d, nominal/2, nominal)
				}
			}
		})
	}
}

func TestPersistentServerError(t *testing.T) {
	s := serve(t, status(http.StatusServiceUnavailable))
	c := newClock()
	opts := fastOptions(c)
	opts.Retries = 2
	opts.CachePath = filepath.Join(t.TempDir(), "cache.json")
	r := checkOne(t, s.URL, opts)
	assertResult(t, r, Broken, 503, 4, "server error (503 Service Unavailable) (4 attempts)")
	if e := readCacheFile(t, opts.CachePath); len(e) != 0 {
		t.Errorf("cached %v, want nothing", e)
	}
	checkOne(t, s.URL, opts)
	if got := s.total(); got != 8 {
		t.Errorf("%d requests in two checks, want 8: a 5xx is never cached", got)
	}
}

func TestTimeout(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	opts := fastOptions(newClock())
	opts.Timeout = 50 * time.Millisecond
	opts.Retries = 1
	opts.CachePath = filepath.Join(t.TempDir(), "cache.json")
	r := checkOne(t, s.URL, opts)
	// HEAD times out, GET is tried at once, then once more.
	assertResult(t, r, Broken, 0, 3, "no answer within 50ms (3 attempts)")
	if e := readCacheFile(t, opts.CachePath); len(e) != 0 {
		t.Errorf("cached %v, want nothing", e)
	}
}

func TestConnectionReset(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		if tc, ok := conn.(*net.TCPConn); ok {
			tc.SetLinger(0) // close with RST
		}
		conn.Close()
	})
	opts := fastOptions(newClock())
	opts.Retries = 2
	opts.CachePath = filepath.Join(t.TempDir(), "cache.json")
	r := checkOne(t, s.URL, opts)
	if r.Status != Broken || r.Attempts != 4 || !strings.Contains(r.Reason, "connection") {
		t.Errorf("got %v after %d attempts, %q; want broken after 4, connection reset or closed", r.Status, r.Attempts, r.Reason)
	}
	if got := s.total(); got < 4 {
		t.Errorf("server saw %d requests, want at least 4", got)
	}
	if e := readCacheFile(t, opts.CachePath); len(e) != 0 {
		t.Errorf("cached %v, want nothing", e)
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	u := "http://" + ln.Addr().String() + "/"
	ln.Close()
	c := newClock()
	opts := fastOptions(c)
	opts.Retries = 1
	opts.CachePath = filepath.Join(t.TempDir(), "cache.json")
	r := checkOne(t, u, opts)
	// A failure to connect is not HEAD's fault: no GET.
	assertResult(t, r, Broken, 0, 2, "connection refused (2 attempts)")
	if e := readCacheFile(t, opts.CachePath); e[u].Status != Broken {
		t.Errorf("cache %v, want %s cached broken", e, u)
	}
}

func TestPerHostLimit(t *testing.T) {
	var inFlight, most atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(5 * time.Millisecond)
	})
	var urls []string
	for i := range 20 {
		urls = append(urls, fmt.Sprintf("%s/p%d", s.URL, i))
	}
	opts := fastOptions(newClock())
	opts.PerHost = 2
	res := Check(context.Background(), urls, opts)
	for _, u := range urls {
		if res[u].Status != OK {
			t.Errorf("%s: %v %q", u, res[u].Status, res[u].Reason)
		}
	}
	if got := most.Load(); got != 2 {
		t.Errorf("at most %d requests in flight to one host, want 2", got)
	}
}

func TestConcurrencyLimit(t *testing.T) {
	var inFlight, most atomic.Int32
	handler := func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(5 * time.Millisecond)
	}
	var urls []string
	for range 4 {
		s := serve(t, handler)
		for i := range 5 {
			urls = append(urls, fmt.Sprintf("%s/p%d", s.URL, i))
		}
	}
	opts := fastOptions(newClock())
	opts.PerHost = 2
	opts.Concurrency = 3
	res := Check(context.Background(), urls, opts)
	if len(res) != len(urls) {
		t.Errorf("%d results for %d URLs", len(res), len(urls))
	}
	if got := most.Load(); got != 3 {
		t.Errorf("at most %d requests in flight, want 3", got)
	}
}

func TestSpacing(t *testing.T) {
	const spacing = 20 * time.Millisecond
	var (
		mu       sync.Mutex
		arrivals []time.Time
	)
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
	})
	var urls []string
	for i := range 5 {
		urls = append(urls, fmt.Sprintf("%s/p%d", s.URL, i))
	}
	start := time.Now()
	Check(context.Background(), urls, Options{PerHost: 5, Spacing: spacing})
	if len(arrivals) != len(urls) {
		t.Fatalf("%d requests, want %d", len(arrivals), len(urls))
	}
	slices.SortFunc(arrivals, func(a, b time.Time) int { return a.Compare(b) })
	// The k-th request may not start before k spacings have passed.
	for k, at := range arrivals {
		if least := time.Duration(k) * spacing; at.Sub(start) < least {
			t.Errorf("request %d came %v after the start, want at least %v", k, at.Sub(start), least)
		}
	}
}

func TestSpacingFakeClock(t *testing.T) {
	s := serve(t, status(200))
	c := newClock()
	opts := fastOptions(c)
	opts.PerHost = 1
	opts.Spacing = time.Second
	Check(context.Background(), []string{s.URL + "/a", s.URL + "/b", s.URL + "/c"}, opts)
	if got := c.slept(); !slices.Equal(got, []time.Duration{time.Second, time.Second}) {
		t.Errorf("slept %v, want [1s 1s]", got)
	}
}

func TestIgnore(t *testing.T) {
	s := serve(t, status(200))
	opts := fastOptions(newClock())
	opts.Ignore = []*regexp.Regexp{regexp.MustCompile(`/private/`), regexp.MustCompile(`^https://example\.com/`)}
	ignored := s.URL + "/private/x"
	res := Check(context.Background(), []string{
		ignored,
		"https://example.com/a",
		"mailto:someone@example.com",
		"tel:+1-555-0100",
		"javascript:void(0)",
		"http://%zz/",
		"/relative/path",
		"http:///nohost",
		s.URL + "/public",
	}, opts)
	for _, tt := range []struct {
		url    string
		status Status
		reason string
	}{
		{ignored, Ignored, "matches ignore pattern \"/private/\""},
		{"https://example.com/a", Ignored, `matches ignore pattern "^https://example\\.com/"`},
		{"mailto:someone@example.com", Ignored, "not an http(s) link (mailto:)"},
		{"tel:+1-555-0100", Ignored, "not an http(s) link (tel:)"},
		{"javascript:void(0)", Ignored, "not an http(s) link (javascript:)"},
		{"http://%zz/", Broken, "invalid URL: "},
		{"/relative/path", Broken, "invalid URL: not absolute"},
		{"http:///nohost", Broken, "invalid URL: no host"},
		{s.URL + "/public", OK, ""},
	} {
		r := res[tt.url]
		if r.URL != tt.url || r.Status != tt.status || !strings.HasPrefix(r.Reason, tt.reason) {
			t.Errorf("%s: %+v, want %v with reason %q", tt.url, r, tt.status, tt.reason)
		}
	}
	if got := s.total(); got != 1 {
		t.Errorf("%d requests, want 1 (only /public)", got)
	}
}

func TestLoadIgnoreFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	os.WriteFile(good, []byte("# hosts that block robots\n\n^https://www\\.linkedin\\.com/\r\n  example\\.org/internal  \n\\#not-a-comment\n"), 0o644)
	patterns, err := LoadIgnoreFile(good)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, re := range patterns {
		got = append(got, re.String())
	}
	want := []string{`^https://www\.linkedin\.com/`, `example\.org/internal`, `\#not-a-comment`}
	if !slices.Equal(got, want) {
		t.Errorf("patterns %q, want %q", got, want)
	}

	bad := filepath.Join(dir, "bad")
	os.WriteFile(bad, []byte("# comment\nok\n  a(b\nfine\nx[z\n"), 0o644)
	patterns, err = LoadIgnoreFile(bad)
	if err == nil || patterns != nil {
		t.Fatalf("got %v, %v; want an error", patterns, err)
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], bad+":3:3: ") || !strings.Contains(lines[0], "missing closing )") ||
		!strings.HasPrefix(lines[1], bad+":5:2: ") || !strings.Contains(lines[1], "missing closing ]") {
		t.Errorf("error:\n%v\nwant %[2]s:3:3 missing ) and %[2]s:5:2 missing ]", err, bad)
	}

	if _, err := LoadIgnoreFile(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func readCacheFile(t *testing.T, path string) map[string]cacheEntry {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := parseCache(data)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestCache(t *testing.T) {
	var n503 atomic.Int32
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
		case "/moved":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		case "/gone":
			w.WriteHeader(410)
		case "/robots":
			w.WriteHeader(403)
		case "/busy":
			w.WriteHeader(429)
		case "/flaky":
			if n503.Add(1) <= 2 {
				w.WriteHeader(503)
			}
		}
	})
	urls := []string{s.URL + "/ok", s.URL + "/moved", s.URL + "/gone", s.URL + "/robots", s.URL + "/busy", s.URL + "/flaky"}
	c := newClock()
	opts := fastOptions(c)
	opts.Retries = -1
	opts.CachePath = filepath.Join(t.TempDir(), "sub", "cache.json")
	var warnings []error
	opts.Warn = func(err error) { warnings = append(warnings, err) }

	first := Check(context.Background(), urls, opts)
	if first[s.URL+"/flaky"].Status != Broken || first[s.URL+"/busy"].Status != Unverifiable {
		t.Fatalf("first check: %v", first)
	}
	entries := readCacheFile(t, opts.CachePath)
	var keys []string
	for k := range entries {
		keys = append(keys, strings.TrimPrefix(k, s.URL))
	}
	slices.Sort(keys)
	if want := []string{"/gone", "/moved", "/ok", "/robots"}; !slices.Equal(keys, want) {
		t.Errorf("cached %q, want %q", keys, want)
	}
	if e := entries[s.URL+"/moved"]; e.Status != OK || e.Code != 200 || e.Final != s.URL+"/ok" || e.Redirects != 1 || !e.CheckedAt.Equal(c.Now()) {
		t.Errorf("cache entry for /moved: %+v", e)
	}

	before := map[string]int{}
	for _, u := range urls {
		before[u] = s.count(strings.TrimPrefix(u, s.URL))
	}
	asked := func() (paths []string) {
		for _, u := range urls {
			if s.count(strings.TrimPrefix(u, s.URL)) > before[u] {
				paths = append(paths, strings.TrimPrefix(u, s.URL))
			}
			before[u] = s.count(strings.TrimPrefix(u, s.URL))
		}
		return paths
	}

	c.advance(time.Minute)
	second := Check(context.Background(), urls, opts)
	if got, want := asked(), []string{"/busy", "/flaky"}; !slices.Equal(got, want) {
		t.Errorf("second check asked %q, want %q", got, want)
	}
	for _, u := range urls {
		r, want := second[u], first[u]
		if u == s.URL+"/flaky" {
			continue // now answers 503 once, then 200 to GET
		}
		want.Attempts, want.Cached = 0, true
		if u == s.URL+"/busy" {
			want = first[u]
		}
		if r != want {
			t.Errorf("second check of %s: %+v, want %+v", u, r, want)
		}
	}

	c.advance(2 * time.Hour) // Broken and Unverifiable entries expired
	Check(context.Background(), urls, opts)
	if got, want := asked(), []string{"/gone", "/robots", "/busy"}; !slices.Equal(got, want) {
		t.Errorf("after 2h asked %q, want %q", got, want)
	}

	c.advance(23 * time.Hour) // OK entries expired too
	Check(context.Background(), urls, opts)
	if got, want := asked(), []string{"/ok", "/moved", "/gone", "/robots", "/busy", "/flaky"}; !slices.Equal(got, want) {
		t.Errorf("after 25h asked %q, want %q", got, want)
	}

	opts.Accept = []int{403} // a cached 403 now reads differently
	Check(context.Background(), urls, opts)
	if got, want := asked(), []string{"/robots", "/busy"}; !slices.Equal(got, want) {
		t.Errorf("with 403 accepted asked %q, want %q", got, want)
	}
	if len(warnings) != 0 {
		t.Errorf("warnings: %v", warnings)
	}
}

func TestCacheTTL(t *testing.T) {
	s := serve(t, status(200))
	c := newClock()
	opts := fastOptions(c)
	opts.CachePath = filepath.Join(t.TempDir(), "cache.json")
	opts.CacheTTL = map[Status]time.Duration{OK: time.Minute}
	checkOne(t, s.URL, opts)
	c.advance(59 * time.Second)
	if r := checkOne(t, s.URL, opts); !r.Cached {
		t.Errorf("after 59s: %+v, want cached", r)
	}
	c.advance(time.Second)
	if r := checkOne(t, s.URL, opts); r.Cached {
		t.Errorf("after 1m: %+v, want checked again", r)
	}
	opts.CacheTTL = map[Status]time.Duration{OK: 0}
	c.advance(time.Hour)
	checkOne(t, s.URL, opts)
	if e := readCacheFile(t, opts.CachePath); len(e) != 0 {
		t.Errorf("cached %v with OK TTL 0", e)
	}
}

func TestCacheCorrupt(t *testing.T) {
	s := serve(t, status(200))
	path := filepath.Join(t.TempDir(), "cache.json")
	for _, content := range []string{`{"version":1,"entries":{`, `not json`, `{"version":2,"entries":{}}`, `{"version":1,"entries":{"x":{"status":"fine"}}}`} {
		os.WriteFile(path, []byte(content), 0o644)
		var warnings []error
		opts := fastOptions(newClock())
		opts.CachePath = path
		opts.Warn = func(err error) { warnings = append(warnings, err) }
		r := checkOne(t, s.URL, opts)
		if r.Status != OK || r.Cached {
			t.Errorf("%s: %+v, want OK, not cached", content, r)
		}
		if len(warnings) != 1 || !errors.Is(warnings[0], ErrCacheCorrupt) || !strings.HasPrefix(warnings[0].Error(), path+": ") {
			t.Errorf("%s: warnings %v, want one for a corrupt cache", content, warnings)
		}
		if e := readCacheFile(t, path); e[s.URL].Status != OK {
			t.Errorf("%s: rewritten cache %v", content, e)
		}
		if tmp, _ := filepath.Glob(path + ".*"); len(tmp) != 0 {
			t.Errorf("temporary files left: %v", tmp)
		}
	}
}

func TestBudget(t *testing.T) {
	release := make(chan struct{})
	s := serve(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) }) // runs before s.Close
	urls := []string{s.URL + "/a", s.URL + "/b", s.URL + "/c", s.URL + "/d"}
	start := time.Now()
	res := Check(context.Background(), urls, Options{PerHost: 1, Budget: 200 * time.Millisecond})
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Check took %v with a 200ms budget", d)
	}
	for _, u := range urls {
		if r := res[u]; r.Status != Unverifiable || r.Reason != "time budget spent" {
			t.Errorf("%s: %+v, want unverifiable, time budget spent", u, r)
		}
	}
}

func TestCancel(t *testing.T) {
	s := serve(t, func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	res := Check(ctx, []string{s.URL + "/a", s.URL + "/b"}, Options{PerHost: 1})
	for u, r := range res {
		if r.Status != Unverifiable || r.Reason != "check cancelled" {
			t.Errorf("%s: %+v, want unverifiable, check cancelled", u, r)
		}
	}
}

func TestDedup(t *testing.T) {
	s := serve(t, status(200))
	urls := []string{s.URL + "/a", s.URL + "/a#x", s.URL + "/a#y", s.URL + "/a", strings.Replace(s.URL, "http://", "HTTP://", 1) + "/a#"}
	res := Check(context.Background(), urls, fastOptions(newClock()))
	if len(res) != 4 {
		t.Errorf("%d results, want 4 (one per distinct URL given)", len(res))
	}
	for u, r := range res {
		if r.URL != u || r.Status != OK || r.Final != s.URL+"/a" {
			t.Errorf("%s: %+v", u, r)
		}
	}
	if got := s.total(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2015, 10, 21, 7, 27, 0, 0, time.UTC)
	for _, tt := range []struct {
		in   string
		want time.Duration
	}{
		{"", -1},
		{"0", 0},
		{"1", time.Second},
		{" 120 ", 2 * time.Minute},
		{"-5", -1},
		{"soon", -1},
		{"Wed, 21 Oct 2015 07:28:00 GMT", time.Minute},
		{"Wed, 21 Oct 2015 07:00:00 GMT", 0},
		{"99999999999999999999", -1},
	} {
		if got := parseRetryAfter(tt.in, now); got != tt.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			<-r.Context().Done()
		}
	}))
	Check(context.Background(), []string{s.URL + "/fast", s.URL + "/slow"}, Options{Budget: 100 * time.Millisecond})
	s.Close()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines before, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func FuzzParseIgnore(f *testing.F) {
	f.Add("# comment\n^https://www\\.linkedin\\.com/\n\nexample\\.org\n")
	f.Add("a(b\nx[z\n\\#x\r\n")
	f.Fuzz(func(t *testing.T, text string) {
		patterns, err := parseIgnore("f", text)
		if err != nil && patterns != nil {
			t.Errorf("patterns %v with error %v", patterns, err)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "f:") {
			t.Errorf("error without position: %v", err)
		}
	})
}

func FuzzParseCache(f *testing.F) {
	f.Add(`{"version":1,"entries":{"https://go.dev/":{"status":"ok","code":200,"checked_at":"2026-01-02T15:04:05Z"}}}`)
	f.Add(`{"version":1,"entries":{"x":{"status":"broken","reason":"gone (410 Gone)","checked_at":"0001-01-01T00:00:00Z"}}}`)
	f.Add(`{"version":1}`)
	f.Add(`{"version":1,"entries":{`)
	f.Fuzz(func(t *testing.T, text string) {
		entries, err := parseCache([]byte(text))
		if err != nil {
			return
		}
		data, err := json.Marshal(cacheFile{Version: cacheVersion, Entries: entries})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parseCache(data); err != nil {
			t.Errorf("reparse of %s: %v", data, err)
		}
	})
}

// TestProgress: Progress hears 0 of all before the requests, then each
// URL requested once; cached, ignored and duplicate URLs are not counted.
func TestProgress(t *testing.T) {
	srv := httptest.NewServer(status(200))
	defer srv.Close()
	urls := []string{srv.URL + "/a", srv.URL + "/b", srv.URL + "/a", srv.URL + "/c", "https://skip.example/x"}
	var mu sync.Mutex
	var calls [][2]int
	Check(context.Background(), urls, Options{Client: srv.Client(), Ignore: []*regexp.Regexp{regexp.MustCompile(`skip\.example`)},
		Progress: func(done, total int) {
			mu.Lock()
			calls = append(calls, [2]int{done, total})
			mu.Unlock()
		}})
	if len(calls) != 4 || calls[0] != [2]int{0, 3} {
		t.Fatalf("progress calls %v, want 0 of 3 then one a URL", calls)
	}
	seen := map[int]bool{}
	for _, c := range calls[1:] {
		if c[1] != 3 || c[0] < 1 || c[0] > 3 || seen[c[0]] {
			t.Errorf("progress calls %v", calls)
		}
		seen[c[0]] = true
	}
}
