// Package extlink checks that the external links of a handbook still
// answer: it is the engine behind `handbook check --external`. Check takes
// URLs, asks each distinct one over HTTP whether it is still there, and
// gives every URL one of four verdicts:
//
//   - OK: the server answered 2xx, or a status listed in Options.Accept,
//     after following up to 10 redirects.
//   - Broken: the link is dead. The server answered 404, 410 or another
//     4xx (other than 403, 429 and 999); it kept answering 5xx through
//     every retry; the redirects loop or run past 10; the host is unknown,
//     refuses connections, times out or drops the connection through
//     every retry; its TLS certificate does not verify; or the URL does
//     not parse.
//   - Unverifiable: the server would not let us tell. It answered 403 or
//     999 (a bot wall: the page may be fine in a browser); it answered 429
//     through every retry, or asked us to come back later than
//     Options.MaxRetryAfter; or the time budget ran out (or ctx was
//     cancelled) before the check finished. An Unverifiable link is
//     reported as a warning, never as a broken link.
//   - Ignored: the URL matches a pattern of Options.Ignore, or it is not
//     an http or https URL (mailto:, tel:, ftp:, javascript:, …). A
//     scheme-relative URL ("//host/path") is checked as https.
//
// # Requests
//
// The #fragment of a URL is dropped (anchors of external pages are not
// checked), the host is lower-cased, and URLs that are then equal are
// requested once and share one result. Each URL is asked with HEAD first.
// Many servers mishandle HEAD, so when HEAD gets a 4xx or 5xx other than
// 404, 410 and 429 (405, 501, 403, 400, 503, …), a 999, or no answer
// after connecting (a timeout, a dropped connection), the URL is asked
// again at once with GET, and its retries use GET too. GET reads at most
// 8 KiB of the body. Every request carries the User-Agent UserAgent.
//
// # Retries and politeness
//
// 429, 5xx and network failures are retried up to Options.Retries times,
// waiting Options.Backoff before the first retry and doubling after each,
// each wait jittered between half and all of its nominal length. The
// Retry-After header (a delay in seconds, or an HTTP date) of a 429 or
// 5xx replaces the backoff and pauses every request to that host until it
// has passed; a Retry-After longer than Options.MaxRetryAfter ends the
// check of that URL as Unverifiable and marks the host: its URLs not yet
// requested are reported Unverifiable with the same reason, without a
// request. (The Retry-After of a HEAD answer that is asked again with GET
// is not read.) Result.Attempts counts HEAD and GET requests alike.
//
// At most Options.Concurrency requests are in flight, at most
// Options.PerHost of them to one host (host and port of the URL as
// written; redirects are not counted against their target), and two
// requests to one host start at least Options.Spacing apart. Options.Budget
// bounds the whole run: when it is spent, requests under way are
// cancelled and unfinished URLs are Unverifiable ("time budget spent"),
// never Broken. Check returns once every request has ended, and leaves no
// goroutines behind (nor idle connections, unless Options.Client is
// given).
//
// # Cache
//
// With Options.CachePath set, verdicts are kept across runs in a JSON file:
//
//	{"version": 1, "entries": {"https://go.dev/doc/": {"status": "ok", "code": 200,
//	 "final": "https://go.dev/doc/", "checked_at": "2026-01-02T15:04:05Z"}}}
//
// (entries also hold "reason" and "redirects" when they have them). The
// file is read when Check starts and rewritten when it ends (to a
// temporary file renamed over the old one, so a reader never sees half a
// file), keeping the entries of URLs not checked this time until they
// expire. An entry lives for Options.CacheTTL[status] (by default OK 24h,
// Broken 1h, Unverifiable 1h). What is worth remembering is cached: OK,
// 404/410/other 4xx, 403/999 bot walls, redirect loops, unknown hosts,
// refused connections and bad certificates. What is likely to change
// within minutes is never cached: any 429 or 5xx answer (even one counted
// OK through Accept), timeouts, dropped connections, and unfinished
// checks. A cached verdict that Accept now reads differently is checked
// again. A cache file that cannot be read or parsed is not fatal: Check
// goes on without it, reports it through Options.Warn (the error wraps
// ErrCacheCorrupt), and overwrites it at the end.
//
// # Ignore files
//
// LoadIgnoreFile reads the patterns of Options.Ignore from a file: one Go
// regular expression per line, matched anywhere in the URL as written
// (anchor it with ^ and $ to match it whole). Blank lines and lines whose
// first non-blank character is # are skipped; write \# for a pattern
// that starts with #.
package extlink

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// UserAgent is the User-Agent header of every request.
const UserAgent = "handbook-linkcheck/1 (+https://handbook-dev.github.io/handbook/)"

// Status is the verdict on one URL.
type Status int

// The verdicts; see the package documentation for what leads to each.
const (
	OK Status = iota
	Broken
	Unverifiable
	Ignored
)

var statusNames = [...]string{"ok", "broken", "unverifiable", "ignored"}

// String returns the lower-case name of s ("ok", "broken", …).
func (s Status) String() string {
	if s >= 0 && int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// MarshalText writes s as its lower-case name, as the cache file holds it.
func (s Status) MarshalText() ([]byte, error) {
	if s < 0 || int(s) >= len(statusNames) {
		return nil, fmt.Errorf("unknown status %d", int(s))
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText reads a name written by MarshalText.
func (s *Status) UnmarshalText(b []byte) error {
	for i, name := range statusNames {
		if string(b) == name {
			*s = Status(i)
			return nil
		}
	}
	return fmt.Errorf("unknown status %q", b)
}

// Result is the verdict on one URL, with what led to it.
type Result struct {
	URL    string // as given to Check, fragment included
	Status Status
	// Code is the HTTP status of the last answer (the last hop's, for a
	// redirect that could not be followed), 0 when there was none.
	Code int
	// Reason says, for people, why the URL is not OK ("not found (404
	// Not Found)", "time budget spent"); it is empty when it is OK.
	Reason string
	// Final is the URL the redirects led to, without fragment; the URL
	// itself when there were none.
	Final     string
	Redirects int
	Cached    bool // the verdict comes from the cache, with no request
	// Attempts counts the requests sent, HEAD and GET alike (HEAD
	// answered 405 then GET answered 200 is 2 attempts).
	Attempts int
}

// Options tunes Check. The zero value checks with the defaults given
// below, without cache, ignore list or time budget.
type Options struct {
	// Client sends the requests. Nil means a client of its own, closed
	// when Check returns. Check follows redirects itself (at most 10, a
	// loop is Broken) whatever the client's CheckRedirect says.
	Client *http.Client
	// PerHost caps the requests in flight to one host (default 2).
	PerHost int
	// Concurrency caps the requests in flight in all (default 16).
	Concurrency int
	// Spacing is the least time between the starts of two requests to one
	// host (default 0, none).
	Spacing time.Duration
	// Retries is how many times a 429, a 5xx or a network failure is
	// tried again (0 means the default, 3; negative means never).
	Retries int
	// Backoff is the wait before the first retry, doubled before each
	// next one and jittered (default 500ms). A Retry-After header
	// replaces it.
	Backoff time.Duration
	// MaxRetryAfter caps a single wait (default 30s): a server asking for
	// a longer one makes the URL Unverifiable ("rate limited, retry
	// after 2m0s").
	MaxRetryAfter time.Duration
	// Timeout bounds each request, from sending it to reading the answer
	// (default 10s).
	Timeout time.Duration
	// Budget bounds the whole Check (default 0, none); URLs not finished
	// when it is spent are Unverifiable ("time budget spent").
	Budget time.Duration
	// Accept lists statuses counted OK besides 200–299, such as 403 or 429
	// for sites known to refuse robots.
	Accept []int
	// Ignore skips the URLs matching any of its patterns: they are
	// Ignored, with no request.
	Ignore []*regexp.Regexp
	// CachePath names the cache file; "" means no cache.
	CachePath string
	// CacheTTL sets how long a cached verdict lives, by status; a status
	// missing from the map keeps its default (OK 24h, Broken 1h,
	// Unverifiable 1h), one mapped to 0 or less is not cached.
	CacheTTL map[Status]time.Duration
	// Progress, if not nil, is told how many of the URLs to request (not
	// cached) are done: once with 0 before the first request, then after
	// each, from the goroutine that checked it.
	Progress func(done, total int)
	// Warn, if not nil, is told of problems that do not stop the check: a
	// cache file that cannot be read, parsed or written.
	Warn func(err error)
	// Now tells the time (default time.Now): for cache ages, Retry-After
	// dates and Spacing.
	Now func() time.Time
	// Sleep waits d or until ctx is done, returning ctx's error then
	// (default: a timer). It does every wait of Check but the per-request
	// Timeout and the Budget, which are contexts.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Defaults of Options.
const (
	DefaultPerHost       = 2
	DefaultConcurrency   = 16
	DefaultRetries       = 3
	DefaultBackoff       = 500 * time.Millisecond
	DefaultMaxRetryAfter = 30 * time.Second
	DefaultTimeout       = 10 * time.Second
	maxRedirects         = 10
	maxBody              = 8 << 10
)

// defaultCacheTTL holds the lifetimes of cached verdicts that
// Options.CacheTTL does not override.
var defaultCacheTTL = map[Status]time.Duration{
	OK:           24 * time.Hour,
	Broken:       time.Hour,
	Unverifiable: time.Hour,
}

// ErrCacheCorrupt is wrapped by the error Options.Warn receives when the
// cache file does not parse.
var ErrCacheCorrupt = errors.New("corrupt link cache")

var (
	errBudget   = errors.New("time budget spent")
	errBlocked  = errors.New("host asked us to wait")
	errLoop     = errors.New("redirect loop")
	errTooMany  = fmt.Errorf("more than %d redirects", maxRedirects)
	errRedirect = errors.New("redirect to a non-http(s) URL")
)

// Check checks urls and returns a result for each distinct one, keyed by
// the URL as given. It returns when every URL has its verdict, when
// Options.Budget is spent, or when ctx is done; URLs unfinished then are
// Unverifiable.
func Check(ctx context.Context, urls []string, opts Options) map[string]Result {
	c := newChecker(opts)
	defer c.close()

	results := make(map[string]Result, len(urls))
	inputs := map[string][]string{} // request URL → the URLs given for it
	targets := map[string]*url.URL{}
	var keys []string
	for _, raw := range urls {
		if _, dup := results[raw]; dup {
			continue
		}
		r := Result{URL: raw}
		if re := c.ignored(raw); re != nil {
			r.Status, r.Reason = Ignored, fmt.Sprintf("matches ignore pattern %q", re)
			results[raw] = r
			continue
		}
		u, status, reason := target(raw)
		if u == nil {
			r.Status, r.Reason = status, reason
			results[raw] = r
			continue
		}
		results[raw] = r // marks raw seen; replaced below
		key := u.String()
		if _, ok := targets[key]; !ok {
			keys = append(keys, key)
			targets[key] = u
		}
		inputs[key] = append(inputs[key], raw)
	}

	cache := c.loadCache()
	fresh := make(map[string]Result, len(keys))
	var todo []string
	for _, key := range keys {
		if r, ok := c.cached(cache, key); ok {
			fresh[key] = r
		} else {
			todo = append(todo, key)
		}
	}

	runCtx, cancel := ctx, context.CancelFunc(func() {})
	if c.opts.Budget > 0 {
		runCtx, cancel = context.WithTimeoutCause(ctx, c.opts.Budget, errBudget)
	}
	checked := make([]Result, len(todo))
	keep := make([]bool, len(todo))
	var wg sync.WaitGroup
	var done atomic.Int64
	if c.opts.Progress != nil {
		c.opts.Progress(0, len(todo))
	}
	for i, key := range todo {
		wg.Go(func() {
			checked[i], keep[i] = c.check(runCtx, targets[key])
			if c.opts.Progress != nil {
				c.opts.Progress(int(done.Add(1)), len(todo))
			}
		})
	}
	wg.Wait()
	cancel()

	for i, key := range todo {
		fresh[key] = checked[i]
		if keep[i] {
			c.store(cache, key, checked[i])
		} else {
			delete(cache, key)
		}
	}
	c.saveCache(cache)

	for key, raws := range inputs {
		for _, raw := range raws {
			r := fresh[key]
			r.URL = raw
			results[raw] = r
		}
	}
	return results
}

// target returns the URL to request for raw, or, when there is none, the
// verdict on raw and why.
func target(raw string) (*url.URL, Status, string) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, Broken, "invalid URL: " + err.Error()
	}
	if u.Scheme == "" && strings.HasPrefix(s, "//") {
		u.Scheme = "https"
	}
	switch u.Scheme {
	case "http", "https":
	case "":
		return nil, Broken, "invalid URL: not absolute"
	default:
		return nil, Ignored, fmt.Sprintf("not an http(s) link (%s:)", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, Broken, "invalid URL: no host"
	}
	u.Host = strings.ToLower(u.Host)
	u.Fragment, u.RawFragment = "", ""
	return u, 0, ""
}

type checker struct {
	opts   Options
	client *http.Client
	own    bool // client is ours to close
	accept map[int]bool
	ttl    map[Status]time.Duration
	global chan struct{}

	mu    sync.Mutex
	hosts map[string]*host
}

// host is the state shared by the requests to one host.
type host struct {
	sem chan struct{}

	mu   sync.Mutex
	next time.Time // earliest start of the next request
	// blocked, when set, ends every later check of the host: it asked
	// for a longer wait than we give.
	blocked     string
	blockedCode int
}

func newChecker(opts Options) *checker {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	defd := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&opts.PerHost, DefaultPerHost)
	def(&opts.Concurrency, DefaultConcurrency)
	switch {
	case opts.Retries == 0:
		opts.Retries = DefaultRetries
	case opts.Retries < 0:
		opts.Retries = 0
	}
	defd(&opts.Backoff, DefaultBackoff)
	defd(&opts.MaxRetryAfter, DefaultMaxRetryAfter)
	defd(&opts.Timeout, DefaultTimeout)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sleep == nil {
		opts.Sleep = sleep
	}
	c := &checker{
		opts:   opts,
		accept: map[int]bool{},
		ttl:    map[Status]time.Duration{},
		global: make(chan struct{}, opts.Concurrency),
		hosts:  map[string]*host{},
	}
	for _, code := range opts.Accept {
		c.accept[code] = true
	}
	for s, d := range defaultCacheTTL {
		c.ttl[s] = d
	}
	for s, d := range opts.CacheTTL {
		c.ttl[s] = d
	}
	base := opts.Client
	if base == nil {
		c.own = true
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = opts.PerHost
		base = &http.Client{Transport: tr}
	}
	client := *base
	client.CheckRedirect = checkRedirect
	c.client = &client
	return c
}

func (c *checker) close() {
	if c.own {
		c.client.CloseIdleConnections()
	}
}

func (c *checker) warn(err error) {
	if c.opts.Warn != nil {
		c.opts.Warn(err)
	}
}

func (c *checker) ignored(raw string) *regexp.Regexp {
	for _, re := range c.opts.Ignore {
		if re.MatchString(raw) {
			return re
		}
	}
	return nil
}

func (c *checker) accepted(code int) bool {
	return code >= 200 && code <= 299 || c.accept[code]
}

func (c *checker) host(name string) *host {
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[name]
	if h == nil {
		h = &host{sem: make(chan struct{}, c.opts.PerHost)}
		c.hosts[name] = h
	}
	return h
}

// acquire waits for a request slot for h: a place among its PerHost,
// its turn after Spacing and any Retry-After, and a place among all
// Concurrency. It fails when ctx is done or h is blocked.
func (c *checker) acquire(ctx context.Context, h *host) (release func(), err error) {
	select {
	case h.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	fail := func(err error) (func(), error) {
		<-h.sem
		return nil, err
	}
	h.mu.Lock()
	if h.blocked != "" {
		h.mu.Unlock()
		return fail(errBlocked)
	}
	now := c.opts.Now()
	start := now
	if h.next.After(now) {
		start = h.next
	}
	h.next = start.Add(c.opts.Spacing)
	h.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		if err := c.opts.Sleep(ctx, wait); err != nil {
			return fail(err)
		}
	}
	h.mu.Lock()
	blocked := h.blocked != ""
	h.mu.Unlock()
	if blocked {
		return fail(errBlocked)
	}
	select {
	case c.global <- struct{}{}:
	case <-ctx.Done():
		return fail(ctx.Err())
	}
	return func() { <-c.global; <-h.sem }, nil
}

// pause holds back the requests to h until t.
func (h *host) pause(t time.Time) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if t.After(h.next) {
		h.next = t
	}
}

func (h *host) block(code int, reason string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.blocked == "" {
		h.blocked, h.blockedCode = reason, code
	}
}

// check finds the verdict on u, and whether it may be cached.
func (c *checker) check(ctx context.Context, u *url.URL) (Result, bool) {
	h := c.host(u.Host)
	addr := u.String()
	res := Result{Final: addr}
	method := http.MethodHead
	for try := 0; ; try++ {
		o := c.request(ctx, h, method, addr)
		if o.sent {
			res.Attempts++
		}
		if method == http.MethodHead && o.sent && c.headSuspect(o) {
			method = http.MethodGet
			o = c.request(ctx, h, method, addr)
			if o.sent {
				res.Attempts++
			}
		}
		if o.sent {
			res.Code, res.Redirects = o.code, o.redirects
			if o.final != "" {
				res.Final = o.final
			}
		}
		blocked := errors.Is(o.err, errBlocked)
		if ctx.Err() != nil || !o.sent && !blocked {
			return c.unfinished(ctx, res), false
		}
		if blocked {
			h.mu.Lock()
			res.Status, res.Code, res.Reason = Unverifiable, h.blockedCode, h.blocked
			h.mu.Unlock()
			return res, false
		}
		v := c.judge(o)
		res.Status, res.Reason = v.status, v.reason
		if v.retry && o.retryAfter > c.opts.MaxRetryAfter {
			res.Status, res.Reason = Unverifiable, waitReason(o)
			return res, false
		}
		if !v.retry || try >= c.opts.Retries {
			if v.retry && res.Attempts > 1 {
				res.Reason += fmt.Sprintf(" (%d attempts)", res.Attempts)
			}
			return res, v.cache
		}
		wait := min(c.opts.Backoff, c.opts.MaxRetryAfter)
		for range try {
			wait = min(2*wait, c.opts.MaxRetryAfter)
		}
		wait = wait/2 + rand.N(wait/2+1)
		if o.retryAfter >= 0 {
			wait = 0 // request paused h already
		}
		if wait > 0 {
			if err := c.opts.Sleep(ctx, wait); err != nil {
				return c.unfinished(ctx, res), false
			}
		}
	}
}

// waitReason says why a server's Retry-After made us give up.
func waitReason(o outcome) string {
	what := "rate limited"
	if o.code != http.StatusTooManyRequests {
		what = "server unavailable (" + statusLine(o.code) + ")"
	}
	return fmt.Sprintf("%s, retry after %s", what, o.retryAfter.Round(time.Second))
}

// unfinished gives res the verdict on a check that ctx stopped.
func (c *checker) unfinished(ctx context.Context, res Result) Result {
	res.Status = Unverifiable
	if errors.Is(context.Cause(ctx), errBudget) {
		res.Reason = errBudget.Error()
	} else {
		res.Reason = "check cancelled"
	}
	return res
}

// headSuspect reports whether the answer o to a HEAD may be HEAD's fault,
// so that GET should be asked.
func (c *checker) headSuspect(o outcome) bool {
	if o.err != nil {
		return !permanent(o.err) && !dialFailure(o.err)
	}
	switch {
	case c.accepted(o.code):
		return false
	case o.code == 404, o.code == 410, o.code == 429:
		return false
	}
	return o.code >= 400
}

type verdict struct {
	status Status
	reason string
	retry  bool // worth another try
	cache  bool // worth caching, if final
}

func (c *checker) judge(o outcome) verdict {
	code := o.code
	switch {
	case o.err != nil:
		return judgeErr(o.err, c.opts.Timeout)
	case c.accepted(code):
		return verdict{status: OK, cache: code != http.StatusTooManyRequests && code < 500}
	case code == http.StatusNotFound || code == http.StatusGone:
		return verdict{status: Broken, reason: fmt.Sprintf("%s (%s)", strings.ToLower(http.StatusText(code)), statusLine(code)), cache: true}
	case code == http.StatusTooManyRequests:
		return verdict{status: Unverifiable, reason: "rate limited (" + statusLine(code) + ")", retry: true}
	case code == http.StatusForbidden || code == 999:
		return verdict{status: Unverifiable, reason: "bot wall / forbidden to robots (" + statusLine(code) + ")", cache: true}
	case code >= 500:
		return verdict{status: Broken, reason: "server error (" + statusLine(code) + ")", retry: true}
	case code >= 400:
		return verdict{status: Broken, reason: "client error (" + statusLine(code) + ")", cache: true}
	}
	return verdict{status: Broken, reason: "unexpected answer (" + statusLine(code) + ")", cache: true}
}

func statusLine(code int) string {
	if text := http.StatusText(code); text != "" {
		return fmt.Sprintf("%d %s", code, text)
	}
	return fmt.Sprint(code)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
