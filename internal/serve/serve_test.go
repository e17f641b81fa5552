package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/pack"
)

func testSite() map[string][]byte {
	return map[string][]byte{
		"/index.html":   []byte("<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>"),
		"/x/index.html": []byte("<p>x page"),
		"/404.html":     []byte("<html><body>custom not found</body></html>"),
		"/theme.css":    []byte("body{color:red}"),
		"/app.js":       []byte("console.log(1)"),
		"/logo.svg":     []byte("<svg xmlns='http://www.w3.org/2000/svg'/>"),
		"/feed.xml":     []byte("<feed/>"),
		"/search.json":  []byte(`{"a":1}`),
		"/font.woff2":   []byte("wOF2"),
		"/img.png":      []byte("\x89PNG"),
		"/file.zzqx":    []byte("??"),
		"/b":            []byte("SECRET-B"),
		"/.git/config":  []byte("SECRET-GIT"),
		"/y":            []byte("SECRET-Y"),
	}
}

// start publishes files (unless nil) and serves s on 127.0.0.1.
func start(t *testing.T, opts Options, files map[string][]byte) (*Server, *httptest.Server) {
	t.Helper()
	s := New(opts)
	if files != nil {
		s.Publish(&Snapshot{Files: files})
	}
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		hs.Close()
	})
	return s, hs
}

var httpClient = &http.Client{
	Timeout:       10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func fetch(t *testing.T, method, url string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

func TestServe(t *testing.T) {
	_, hs := start(t, Options{}, testSite())
	for _, tc := range []struct {
		path, status, ctype, body string // body: a substring
	}{
		{"/", "200", "text/html; charset=utf-8", "<h1>Home</h1>"},
		{"/index.html", "200", "text/html; charset=utf-8", "<h1>Home</h1>"},
		{"/x/", "200", "text/html; charset=utf-8", "<p>x page"},
		{"//x/", "200", "text/html; charset=utf-8", "<p>x page"},
		{"/x/?q=1", "200", "text/html; charset=utf-8", "<p>x page"},
		{"/theme.css", "200", "text/css; charset=utf-8", "body{color:red}"},
		{"/theme.css?handbook-build=3-17", "200", "text/css; charset=utf-8", "body{color:red}"},
		{"/app.js", "200", "text/javascript; charset=utf-8", "console.log(1)"},
		{"/logo.svg", "200", "image/svg+xml", "<svg"},
		{"/feed.xml", "200", "application/xml", "<feed/>"},
		{"/search.json", "200", "application/json", `{"a":1}`},
		{"/font.woff2", "200", "font/woff2", "wOF2"},
		{"/img.png", "200", "image/png", "PNG"},
		{"/file.zzqx", "200", "application/octet-stream", "??"},
		{"/nope", "404", "text/html; charset=utf-8", "custom not found"},
		{"/nope/", "404", "text/html; charset=utf-8", "custom not found"},
		{"/theme.css/", "404", "text/html; charset=utf-8", "custom not found"},
	} {
		resp, body := fetch(t, "GET", hs.URL+tc.path)
		if got := fmt.Sprint(resp.StatusCode); got != tc.status {
			t.Errorf("GET %s: status %s, want %s", tc.path, got, tc.status)
		}
		if got := resp.Header.Get("Content-Type"); got != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, got, tc.ctype)
		}
		if !strings.Contains(body, tc.body) {
			t.Errorf("GET %s: body %q does not contain %q", tc.path, body, tc.body)
		}
		html := strings.HasPrefix(tc.ctype, "text/html")
		if got := strings.Contains(body, "__handbook/live.js"); got != html {
			t.Errorf("GET %s: live script injected = %v, want %v", tc.path, got, html)
		}
		if !html && body != string(testSite()[strings.Split(tc.path, "?")[0]]) {
			t.Errorf("GET %s: body %q, want the file unchanged", tc.path, body)
		}
	}
}

func TestHeadersEverywhere(t *testing.T) {
	_, hs := start(t, Options{}, testSite())
	for _, tc := range []struct{ method, path string }{
		{"GET", "/"}, {"GET", "/theme.css"}, {"GET", "/x"}, {"GET", "/nope"}, {"POST", "/"},
		{"GET", "/.git/config"}, {"GET", "/__handbook/live.js"}, {"HEAD", "/__handbook/events"},
	} {
		resp, _ := fetch(t, tc.method, hs.URL+tc.path)
		want := "no-store"
		if tc.path == "/theme.css" || tc.path == "/__handbook/live.js" {
			want = "no-cache" // asked again each time, but 304 when unchanged: see TestETag
		}
		if got := resp.Header.Get("Cache-Control"); got != want {
			t.Errorf("%s %s (%d): Cache-Control %q, want %s", tc.method, tc.path, resp.StatusCode, got, want)
		}
		if etag := resp.Header.Get("ETag"); (etag != "") != (want == "no-cache") {
			t.Errorf("%s %s (%d): ETag %q with Cache-Control %s", tc.method, tc.path, resp.StatusCode, etag, want)
		}
		if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s %s (%d): X-Content-Type-Options %q, want nosniff", tc.method, tc.path, resp.StatusCode, got)
		}
	}
}

// TestETag: a file other than a page is answered 304 when the browser has
// its current bytes, and 200 with another tag once it changed; pages never.
func TestETag(t *testing.T) {
	srv, hs := start(t, Options{}, testSite())
	get := func(path, etag string) (int, string, string) {
		t.Helper()
		req, err := http.NewRequest("GET", hs.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := httpClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("ETag"), string(b)
	}
	for _, p := range []string{"/theme.css", "/app.js", "/__handbook/live.js"} {
		code, etag, _ := get(p, "")
		if code != 200 || etag == "" {
			t.Fatalf("GET %s: %d, ETag %q", p, code, etag)
		}
		if code, _, body := get(p, etag); code != http.StatusNotModified || body != "" {
			t.Errorf("GET %s If-None-Match %s: %d %q, want 304 and no body", p, etag, code, body)
		}
		if code, _, _ := get(p, `"other"`); code != 200 {
			t.Errorf("GET %s with another tag: %d, want 200", p, code)
		}
	}
	_, old, _ := get("/theme.css", "")
	files := testSite()
	files["/theme.css"] = []byte("body{color:blue}")
	srv.Publish(&Snapshot{Files: files})
	code, etag, body := get("/theme.css", old)
	if code != 200 || etag == old || body != "body{color:blue}" {
		t.Errorf("GET /theme.css after an edit, with the old tag: %d, ETag %q (old %q), %q; want 200, a new tag, the new bytes", code, etag, old, body)
	}
	if _, etag, _ := get("/", ""); etag != "" {
		t.Errorf("GET /: ETag %q, want none for a page", etag)
	}
}

func TestHead(t *testing.T) {
	_, hs := start(t, Options{}, testSite())
	for _, p := range []string{"/", "/theme.css", "/nope", "/__handbook/live.js"} {
		get, getBody := fetch(t, "GET", hs.URL+p)
		head, headBody := fetch(t, "HEAD", hs.URL+p)
		if head.StatusCode != get.StatusCode {
			t.Errorf("HEAD %s: status %d, GET gives %d", p, head.StatusCode, get.StatusCode)
		}
		if headBody != "" {
			t.Errorf("HEAD %s: body %q, want none", p, headBody)
		}
		if head.ContentLength != int64(len(getBody)) {
			t.Errorf("HEAD %s: Content-Length %d, GET body has %d bytes", p, head.ContentLength, len(getBody))
		}
		if head.Header.Get("Content-Type") != get.Header.Get("Content-Type") {
			t.Errorf("HEAD %s: Content-Type %q, GET gives %q", p, head.Header.Get("Content-Type"), get.Header.Get("Content-Type"))
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	_, hs := start(t, Options{}, testSite())
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS"} {
		for _, p := range []string{"/", "/theme.css", "/__handbook/events"} {
			resp, _ := fetch(t, m, hs.URL+p)
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s %s: status %d, want 405", m, p, resp.StatusCode)
			}
			if got := resp.Header.Get("Allow"); got != "GET, HEAD" {
				t.Errorf("%s %s: Allow %q", m, p, got)
			}
		}
	}
}

func TestRedirects(t *testing.T) {
	for _, tc := range []struct{ base, path, location string }{
		{"/", "/x", "/x/"},
		{"/", "/x?a=1&b=2", "/x/?a=1&b=2"},
		{"/", "/sp%20ace", "/sp%20ace/"},
		{"/handbook/", "/handbook", "/handbook/"},
		{"handbook", "/handbook?x=1", "/handbook/?x=1"},
		{"/handbook/", "/handbook/x", "/handbook/x/"},
		{"/handbook/", "/handbook/handbook", "/handbook/handbook/"},
	} {
		files := testSite()
		files["/sp ace/index.html"] = []byte("space")
		files["/handbook/index.html"] = []byte("a folder named like the base path")
		_, hs := start(t, Options{BasePath: tc.base}, files)
		resp, _ := fetch(t, "GET", hs.URL+tc.path)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != tc.location {
			t.Errorf("base %q GET %s: %d to %q, want 301 to %q", tc.base, tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.location)
		}
	}
}

func TestBasePath(t *testing.T) {
	_, hs := start(t, Options{BasePath: "/handbook/"}, testSite())
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/handbook/", 200, "<h1>Home</h1>"},
		{"/handbook/index.html", 200, "<h1>Home</h1>"},
		{"/handbook/x/", 200, "x page"},
		{"/handbook/theme.css", 200, "body{color:red}"},
		{"/handbook/nope/", 404, "custom not found"},
		{"/handbookx/", 404, "404 page not found"},
		{"/", 404, "404 page not found"},
		{"/x/", 404, "404 page not found"},
		{"/theme.css", 404, "404 page not found"},
		{"/__handbook/live.js", 404, "404 page not found"},
		{"/handbook/__handbook/live.js", 200, "EventSource"},
	} {
		resp, body := fetch(t, "GET", hs.URL+tc.path)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.body) {
			t.Errorf("GET %s: %d %q, want %d with %q", tc.path, resp.StatusCode, body, tc.status, tc.body)
		}
	}
	_, body := fetch(t, "GET", hs.URL+"/handbook/")
	if !strings.Contains(body, `<script src="/handbook/__handbook/live.js"`) {
		t.Errorf("live script not under the base path: %s", body)
	}
}

func TestNotFoundWithout404Page(t *testing.T) {
	files := testSite()
	delete(files, "/404.html")
	_, hs := start(t, Options{}, files)
	resp, body := fetch(t, "GET", hs.URL+"/nope/")
	if resp.StatusCode != 404 || !strings.Contains(body, "404 page not found") || !strings.Contains(body, "live.js") {
		t.Errorf("GET /nope/: %d %q, want 404 with a live script", resp.StatusCode, body)
	}
}

func TestBuildingBeforeFirstPublish(t *testing.T) {
	_, hs := start(t, Options{}, nil)
	resp, body := fetch(t, "GET", hs.URL+"/")
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, `data-build="0"`) {
		t.Errorf("GET / before Publish: %d %q, want 503 with build 0", resp.StatusCode, body)
	}
}

// rawGet sends target exactly as given, without any client-side cleaning.
func rawGet(t *testing.T, addr, target string) (int, string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", target)
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestTraversal(t *testing.T) {
	for _, base := range []string{"/", "/a/"} {
		_, hs := start(t, Options{BasePath: base}, testSite())
		addr := strings.TrimPrefix(hs.URL, "http://")
		for _, target := range []string{
			"/../etc/passwd", "/../../../../etc/passwd", "/%2e%2e/y", "/%2E%2E/%2e%2e/etc/passwd",
			"/.git/config", "/%2egit/config", "/a/.git/config", "/a/..%2f..%2fb", "/a/%2e%2e/b", "/x/../b",
			"/..\\..\\etc\\passwd", "/a/..\\b", "/%5c..%5cb", "/a/%5c..%5c..%5cb", "/./b", "/a/./b",
			"/a/%00/b", "/.", "/..", "/a/..",
		} {
			status, body := rawGet(t, addr, target)
			if status != http.StatusNotFound && status != http.StatusBadRequest {
				t.Errorf("base %s GET %s: status %d, want 404 or 400", base, target, status)
			}
			if strings.Contains(body, "SECRET") || strings.Contains(body, "root:") {
				t.Errorf("base %s GET %s: leaked %q", base, target, body)
			}
		}
	}
}

func TestInject(t *testing.T) {
	const S = "<SNIPPET>"
	for _, tc := range []struct{ page, want string }{
		{"<html><body><p>a</p></body></html>", "<html><body><p>a</p>" + S + "</body></html>"},
		{"<HTML><BODY><P>A</P></BODY></HTML>", "<HTML><BODY><P>A</P>" + S + "</BODY></HTML>"},
		{"<p>a</p></Body >\n", "<p>a</p>" + S + "</Body >\n"},
		{"<p>no body, no head", "<p>no body, no head" + S},
		{"", S},
		{"<body>x</body></body>", "<body>x</body>" + S + "</body>"},
		{"<p>&lt;/body&gt;</p>", "<p>&lt;/body&gt;</p>" + S},
		{"<bodyx></bodyx>", "<bodyx></bodyx>" + S},
		{"<p>ends with </body", "<p>ends with </body" + S},
	} {
		if got := string(inject([]byte(tc.page), []byte(S))); got != tc.want {
			t.Errorf("inject(%q) = %q, want %q", tc.page, got, tc.want)
		}
	}
}

var scriptRE = regexp.MustCompile(`<script src="/__handbook/live\.js" data-handbook-live data-build="(\d+)" data-instance="([0-9a-f]+)" data-hash="([0-9a-f]+|none)" defer></script>`)

func TestInjectServed(t *testing.T) {
	s := New(Options{})
	hs := httptest.NewServer(s)
	defer hs.Close()
	defer s.Shutdown(context.Background())
	files := testSite()
	files["/upper.html"] = []byte("<HTML><BODY>upper</BODY></HTML>")
	s.Publish(&Snapshot{Files: files})
	s.Publish(&Snapshot{Files: files, Drafts: true})
	for _, p := range []string{"/", "/x/", "/upper.html", "/nope"} {
		_, body := fetch(t, "GET", hs.URL+p)
		m := scriptRE.FindStringSubmatch(body)
		if m == nil {
			t.Errorf("GET %s: no live script in %q", p, body)
			continue
		}
		if m[1] != "2" || m[2] != s.instance {
			t.Errorf("GET %s: build %s instance %s, want 2 %s", p, m[1], m[2], s.instance)
		}
		if !strings.Contains(body, `id="handbook-drafts"`) {
			t.Errorf("GET %s: no drafts banner", p)
		}
		if i, j := strings.Index(body, m[0]), strings.LastIndex(strings.ToLower(body), "</body>"); j >= 0 && i > j {
			t.Errorf("GET %s: script after </body>: %q", p, body)
		}
	}
	s.Publish(&Snapshot{Files: files})
	if _, body := fetch(t, "GET", hs.URL+"/"); strings.Contains(body, "handbook-drafts") {
		t.Errorf("drafts banner shown without Drafts")
	}
}

func TestPublishDiff(t *testing.T) {
	var log bytes.Buffer
	s := New(Options{Log: &log})
	a := testSite()
	u := s.Publish(&Snapshot{Files: a, Elapsed: 1500 * time.Microsecond})
	if u.Build != 1 || !slices.Equal(u.Changed, slices.Sorted(maps.Keys(a))) || u.CSSOnly {
		t.Errorf("first Publish = %+v, want build 1 with every path", u)
	}

	b := maps.Clone(a)
	b["/x/index.html"] = []byte("<p>x page, edited")
	b["/new/index.html"] = []byte("new")
	delete(b, "/app.js")
	b["/index.html"] = bytes.Clone(a["/index.html"]) // same bytes, another slice
	u = s.Publish(&Snapshot{Files: b, Problems: []Problem{{File: "a.md"}}, Elapsed: 12345 * time.Microsecond})
	want := []string{"/app.js", "/new/index.html", "/x/index.html"}
	if u.Build != 2 || !slices.Equal(u.Changed, want) || u.CSSOnly {
		t.Errorf("second Publish = %+v, want build 2 changing %q", u, want)
	}

	c := maps.Clone(b)
	c["/theme.css"] = []byte("body{color:blue}")
	c["/print.CSS"] = []byte("x")
	u = s.Publish(&Snapshot{Files: c})
	if u.Build != 3 || !slices.Equal(u.Changed, []string{"/print.CSS", "/theme.css"}) || !u.CSSOnly {
		t.Errorf("CSS Publish = %+v, want CSSOnly", u)
	}

	u = s.Publish(&Snapshot{Files: c})
	if u.Build != 4 || len(u.Changed) != 0 || u.CSSOnly {
		t.Errorf("unchanged Publish = %+v, want nothing changed", u)
	}

	// A page removed, nothing added: the paths gone are found too.
	d := maps.Clone(c)
	delete(d, "/new/index.html")
	u = s.Publish(&Snapshot{Files: d})
	if u.Build != 5 || !slices.Equal(u.Changed, []string{"/new/index.html"}) {
		t.Errorf("removing Publish = %+v, want /new/index.html changed", u)
	}

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	wantLog := []string{
		"build 1: 14 changed (/.git/config, /404.html, /app.js, +11 more), 0 problems, 1.5ms",
		"build 2: 3 changed (/app.js, /new/index.html, /x/index.html), 1 problems, 12.3ms",
		"build 3: 2 changed (/print.CSS, /theme.css), 0 problems, 0s",
		"build 4: 0 changed, 0 problems, 0s",
		"build 5: 1 changed (/new/index.html), 0 problems, 0s",
	}
	if !slices.Equal(lines, wantLog) {
		t.Errorf("log:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(wantLog, "\n"))
	}
}

func TestPublishNil(t *testing.T) {
	s := New(Options{})
	if u := s.Publish(nil); u.Build != 1 || len(u.Changed) != 0 {
		t.Errorf("Publish(nil) = %+v", u)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/", nil))
	if rec.Code != 404 {
		t.Errorf("GET / of an empty site: %d, want 404", rec.Code)
	}
}

// A stream is one event stream read by a test.
type stream struct {
	resp *http.Response
	r    *bufio.Reader
}

type received struct {
	id       string
	ev       event
	problems []Problem
}

func openStream(t *testing.T, url string, header http.Header) *stream {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	maps.Copy(req.Header, header)
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		resp.Body.Close()
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	t.Cleanup(func() { resp.Body.Close() })
	return &stream{resp: resp, r: bufio.NewReader(resp.Body)}
}

// next reads the next event, skipping comments.
func (st *stream) next() (received, error) {
	var rc received
	var data string
	for {
		line, err := st.r.ReadString('\n')
		if err != nil {
			return rc, err
		}
		line = strings.TrimSuffix(line, "\n")
		switch {
		case line == "":
			if data == "" {
				continue
			}
			if err := json.Unmarshal([]byte(data), &rc.ev); err != nil {
				return rc, fmt.Errorf("%v in %s", err, data)
			}
			err := json.Unmarshal(rc.ev.Problems, &rc.problems)
			return rc, err
		case strings.HasPrefix(line, ":"), strings.HasPrefix(line, "retry: "), line == "event: build":
		case strings.HasPrefix(line, "id: "):
			rc.id = strings.TrimPrefix(line, "id: ")
		case strings.HasPrefix(line, "data: "):
			data = strings.TrimPrefix(line, "data: ")
		default:
			return rc, fmt.Errorf("unexpected line %q", line)
		}
	}
}

func (st *stream) mustNext(t *testing.T) received {
	t.Helper()
	rc, err := st.next()
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

func eventsURL(hs *httptest.Server, s *Server, build int, page string) string {
	return fmt.Sprintf("%s/__handbook/events?instance=%s&build=%d&path=%s", hs.URL, s.instance, build, page)
}

func TestEvents(t *testing.T) {
	s, hs := start(t, Options{}, testSite())
	plain := openStream(t, hs.URL+"/__handbook/events", nil)
	xPage := openStream(t, eventsURL(hs, s, 1, "/x/"), nil)
	home := openStream(t, eventsURL(hs, s, 1, "/"), nil)
	for _, st := range []*stream{plain, xPage, home} {
		rc := st.mustNext(t)
		if rc.ev.Build != 1 || rc.ev.Reload || rc.ev.CSS || rc.id != s.instance+"/1" || rc.ev.Instance != s.instance {
			t.Errorf("first event = %+v %q, want build 1, nothing to do", rc.ev, rc.id)
		}
	}

	files := testSite()
	files["/x/index.html"] = []byte("<p>x page, edited")
	s.Publish(&Snapshot{Files: files})
	for _, tc := range []struct {
		name   string
		st     *stream
		reload bool
	}{{"plain", plain, false}, {"x", xPage, true}, {"home", home, false}} {
		rc := tc.st.mustNext(t)
		if rc.ev.Build != 2 || rc.ev.Reload != tc.reload || rc.ev.CSS || !slices.Equal(rc.ev.Changed, []string{"/x/index.html"}) {
			t.Errorf("%s: event = %+v, want build 2 changing /x/index.html, reload %v", tc.name, rc.ev, tc.reload)
		}
	}

	files = maps.Clone(files)
	files["/theme.css"] = []byte("body{color:blue}")
	s.Publish(&Snapshot{Files: files})
	rc := home.mustNext(t)
	if rc.ev.Build != 3 || rc.ev.Reload || !rc.ev.CSS || !slices.Equal(rc.ev.Changed, []string{"/theme.css"}) {
		t.Errorf("CSS event = %+v, want css without reload", rc.ev)
	}
}

func TestEventsUnderBasePath(t *testing.T) {
	s, hs := start(t, Options{BasePath: "/hb/"}, testSite())
	st := openStream(t, fmt.Sprintf("%s/hb/__handbook/events?instance=%s&build=1&path=/hb/x/", hs.URL, s.instance), nil)
	st.mustNext(t)
	files := testSite()
	files["/x/index.html"] = []byte("edited")
	s.Publish(&Snapshot{Files: files})
	if rc := st.mustNext(t); !rc.ev.Reload {
		t.Errorf("event = %+v, want reload", rc.ev)
	}
}

func TestProblems(t *testing.T) {
	s, hs := start(t, Options{}, testSite())
	st := openStream(t, hs.URL+"/__handbook/events", nil)
	if rc := st.mustNext(t); len(rc.problems) != 0 || string(rc.ev.Problems) != "[]" {
		t.Errorf("first event problems = %s, want []", rc.ev.Problems)
	}
	src := []byte("---\ntitle: [unclosed\n---\n# Body\n")
	problems := []Problem{{
		File: "content/a.md", Line: 2, Col: 8, Severity: "error", Rule: "front-matter",
		Message: `bad YAML: "<script>"`, Context: Excerpt(src, 2, 2),
	}}
	s.Publish(&Snapshot{Files: testSite(), Problems: problems, Elapsed: 2500 * time.Microsecond})
	rc := st.mustNext(t)
	if !slices.EqualFunc(rc.problems, problems, func(a, b Problem) bool {
		return a.File == b.File && a.Line == b.Line && a.Col == b.Col && a.Severity == b.Severity &&
			a.Rule == b.Rule && a.Message == b.Message && slices.Equal(a.Context, b.Context)
	}) {
		t.Errorf("problems = %+v, want %+v", rc.problems, problems)
	}
	if rc.ev.ElapsedMS != 2.5 || rc.ev.Pending {
		t.Errorf("elapsed_ms = %v, pending = %v; want 2.5, false", rc.ev.ElapsedMS, rc.ev.Pending)
	}
	s.Publish(&Snapshot{Files: testSite(), Pending: true})
	if rc := st.mustNext(t); !rc.ev.Pending {
		t.Errorf("a first look's event: pending = false, want true")
	}
	s.Publish(&Snapshot{Files: testSite()})
	if rc := st.mustNext(t); len(rc.problems) != 0 || string(rc.ev.Problems) != "[]" || rc.ev.Pending {
		t.Errorf("problems after a clean build = %s, pending %v; want [], false", rc.ev.Problems, rc.ev.Pending)
	}
}

func TestCatchUp(t *testing.T) {
	s, hs := start(t, Options{}, testSite())
	files := testSite()
	files["/x/index.html"] = []byte("x, build 2")
	s.Publish(&Snapshot{Files: files})
	files = maps.Clone(files)
	files["/theme.css"] = []byte("body{color:green}")
	s.Publish(&Snapshot{Files: files}) // build 3

	first := func(url string, header http.Header) event {
		t.Helper()
		st := openStream(t, url, header)
		defer st.resp.Body.Close()
		rc := st.mustNext(t)
		if rc.ev.Build != 3 {
			t.Errorf("first event build %d, want 3", rc.ev.Build)
		}
		return rc.ev
	}
	for _, tc := range []struct {
		name        string
		build       int
		page        string
		lastEventID string
		reload, css bool
		changed     []string
	}{
		{"behind, page changed", 1, "/x/", "", true, false, []string{"/theme.css", "/x/index.html"}},
		{"behind, index.html spelled out", 1, "/x/index.html", "", true, false, []string{"/theme.css", "/x/index.html"}},
		{"behind, page unchanged", 1, "/", "", false, true, []string{"/theme.css", "/x/index.html"}},
		{"behind, only css since", 2, "/x/", "", false, true, []string{"/theme.css"}},
		{"up to date", 3, "/x/", "", false, false, []string{}},
		{"building page", 0, "/", "", true, false, nil},
		{"Last-Event-ID wins", 1, "/x/", s.instance + "/2", false, true, []string{"/theme.css"}},
		{"Last-Event-ID of another instance", 1, "/x/", "0123/9", true, false, nil},
	} {
		h := http.Header{}
		if tc.lastEventID != "" {
			h.Set("Last-Event-ID", tc.lastEventID)
		}
		ev := first(eventsURL(hs, s, tc.build, tc.page), h)
		if ev.Reload != tc.reload || ev.CSS != tc.css || (tc.changed != nil && !slices.Equal(ev.Changed, tc.changed)) {
			t.Errorf("%s: event = %+v, want reload %v css %v changed %q", tc.name, ev, tc.reload, tc.css, tc.changed)
		}
	}

	// A 404 page reloads when its page is created.
	files = maps.Clone(files)
	files["/nope/index.html"] = []byte("now it exists")
	s.Publish(&Snapshot{Files: files}) // build 4
	st := openStream(t, eventsURL(hs, s, 3, "/nope/"), nil)
	if rc := st.mustNext(t); !rc.ev.Reload {
		t.Errorf("404 page whose page was created: %+v, want reload", rc.ev)
	}

	// Further back than the history: the per-path builds still answer.
	for i := range historySize + 10 {
		files = maps.Clone(files)
		files["/theme.css"] = fmt.Appendf(nil, "body{order:%d}", i)
		s.Publish(&Snapshot{Files: files})
	}
	for _, tc := range []struct {
		build  int
		page   string
		reload bool
	}{{1, "/x/", true}, {2, "/x/", false}, {3, "/nope/", true}, {4, "/nope/", false}} {
		st := openStream(t, eventsURL(hs, s, tc.build, tc.page), nil)
		rc := st.mustNext(t)
		if rc.ev.Reload != tc.reload || rc.ev.CSS == tc.reload || rc.ev.More != 0 || !slices.Contains(rc.ev.Changed, "/theme.css") {
			t.Errorf("build %d %s: event = %+v, want reload %v", tc.build, tc.page, rc.ev, tc.reload)
		}
		st.resp.Body.Close()
	}
}

func TestChangedListIsBounded(t *testing.T) {
	s, hs := start(t, Options{}, testSite())
	files := testSite()
	for i := range maxListed + 7 {
		files[fmt.Sprintf("/p%03d/index.html", i)] = []byte("p")
	}
	s.Publish(&Snapshot{Files: files})
	rc := openStream(t, eventsURL(hs, s, 1, "/"), nil).mustNext(t)
	if len(rc.ev.Changed) != maxListed || rc.ev.More != 7 {
		t.Errorf("changed %d paths and %d more, want %d and 7", len(rc.ev.Changed), rc.ev.More, maxListed)
	}
}

// pageAttrs returns the data-build, data-instance and data-hash of a page.
func pageAttrs(t *testing.T, url string) (build, instance, hash string) {
	t.Helper()
	_, body := fetch(t, "GET", url)
	m := scriptRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("GET %s: no live script in %q", url, body)
	}
	return m[1], m[2], m[3]
}

func TestRestart(t *testing.T) {
	_, old := start(t, Options{}, testSite())
	xBuild, instance, xHash := pageAttrs(t, old.URL+"/x/")
	_, _, homeHash := pageAttrs(t, old.URL+"/")
	_, _, nopeHash := pageAttrs(t, old.URL+"/nope/")

	// A new server: build numbers restart, the instance differs.
	files := testSite()
	files["/x/index.html"] = []byte("<p>x page, edited while the server was down")
	s, hs := start(t, Options{}, files)
	for _, tc := range []struct {
		page, hash  string
		reload, css bool
	}{
		{"/x/", xHash, true, false},
		{"/", homeHash, false, true},
		{"/", xHash, true, false},
		{"/nope/", nopeHash, false, true},
	} {
		url := fmt.Sprintf("%s/__handbook/events?instance=%s&build=%s&hash=%s&path=%s", hs.URL, instance, xBuild, tc.hash, tc.page)
		st := openStream(t, url, nil)
		rc := st.mustNext(t)
		if rc.ev.Reload != tc.reload || rc.ev.CSS != tc.css || rc.ev.Instance != s.instance || rc.id != s.instance+"/1" {
			t.Errorf("%s after restart: event = %+v (id %q), want reload %v css %v", tc.page, rc.ev, rc.id, tc.reload, tc.css)
		}
		st.resp.Body.Close()
	}
}

// A client that never reads blocks neither Publish nor the other clients.
func TestSlowClients(t *testing.T) {
	s := New(Options{})
	s.Publish(&Snapshot{Files: testSite()})
	hs := httptest.NewUnstartedServer(s)
	hs.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		c.(*net.TCPConn).SetWriteBuffer(4096) // so a reader that stops blocks the writer soon
		return ctx
	}
	hs.Start()
	addr := strings.TrimPrefix(hs.URL, "http://")

	const stalled, readers, builds = 40, 5, 40
	var conns []net.Conn
	blocked := false
	defer func() {
		for _, c := range conns {
			c.Close()
		}
		if blocked {
			return // the server cannot be closed: leave it
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		hs.Close()
	}()
	for range stalled {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.(*net.TCPConn).SetReadBuffer(4096)
		conns = append(conns, c)
		fmt.Fprintf(c, "GET /__handbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	}
	var streams []*stream
	for range readers {
		streams = append(streams, openStream(t, hs.URL+"/__handbook/events", nil))
	}
	for deadline := time.Now().Add(5 * time.Second); s.clientCount() < stalled+readers; {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients connected, want %d", s.clientCount(), stalled+readers)
		}
		time.Sleep(5 * time.Millisecond)
	}

	// Events of 64 KB fill the stalled connections at once.
	big := []Problem{{File: "a.md", Line: 1, Message: strings.Repeat("m", 64<<10)}}
	published := make(chan struct{})
	go func() {
		defer close(published)
		for i := range builds {
			files := testSite()
			files["/x/index.html"] = fmt.Appendf(nil, "build %d", i+2)
			s.Publish(&Snapshot{Files: files, Problems: big})
		}
	}()
	select {
	case <-published:
	case <-time.After(10 * time.Second):
		blocked = true
		t.Fatal("Publish blocked by clients that do not read")
	}

	var wg sync.WaitGroup
	for i, st := range streams {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				rc, err := st.next()
				if err != nil {
					t.Errorf("reader %d: %v", i, err)
					return
				}
				if rc.ev.Build == builds+1 {
					return
				}
			}
		}()
	}
	wg.Wait()
}

func (s *Server) clientCount() int {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	return len(s.clients)
}

func TestDisconnectRemovesClient(t *testing.T) {
	s, hs := start(t, Options{}, testSite())
	st := openStream(t, hs.URL+"/__handbook/events", nil)
	st.mustNext(t)
	if n := s.clientCount(); n != 1 {
		t.Fatalf("%d clients, want 1", n)
	}
	st.resp.Body.Close()
	for deadline := time.Now().Add(5 * time.Second); s.clientCount() != 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients after disconnect, want 0", s.clientCount())
		}
	}
}

func TestShutdown(t *testing.T) {
	s, hs := start(t, Options{}, testSite())
	var streams []*stream
	for range 3 {
		st := openStream(t, hs.URL+"/__handbook/events", nil)
		st.mustNext(t)
		streams = append(streams, st)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for i, st := range streams {
		if _, err := st.next(); !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("stream %d after Shutdown: %v, want EOF", i, err)
		}
	}
	if resp, _ := fetch(t, "GET", hs.URL+"/__handbook/events"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("events after Shutdown: %d, want 503", resp.StatusCode)
	}
	if resp, _ := fetch(t, "GET", hs.URL+"/"); resp.StatusCode != 200 {
		t.Errorf("page after Shutdown: %d, want 200", resp.StatusCode)
	}
	// Publish still works with no one listening.
	if u := s.Publish(&Snapshot{Files: testSite()}); u.Build != 2 {
		t.Errorf("Publish after Shutdown = %+v", u)
	}
}

func TestHeartbeat(t *testing.T) {
	s := New(Options{})
	s.heartbeat = 10 * time.Millisecond
	s.Publish(&Snapshot{Files: testSite()})
	hs := httptest.NewServer(s)
	defer hs.Close()
	defer s.Shutdown(context.Background())
	st := openStream(t, hs.URL+"/__handbook/events", nil)
	defer st.resp.Body.Close()
	st.mustNext(t)
	line, err := st.r.ReadString('\n')
	if err != nil || line != ": ping\n" {
		t.Errorf("after the first event: %q, %v; want a heartbeat", line, err)
	}
}

func TestLiveJS(t *testing.T) {
	_, hs := start(t, Options{}, testSite())
	resp, body := fetch(t, "GET", hs.URL+"/__handbook/live.js")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("live.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{"new EventSource(", `addEventListener("build"`, "sessionStorage", "handbook-overlay", "location.reload()", "stylesheet"} {
		if !strings.Contains(body, want) {
			t.Errorf("live.js lacks %q", want)
		}
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("node not installed: syntax not checked")
		return
	}
	file := filepath.Join(t.TempDir(), "live.js")
	if err := os.WriteFile(file, []byte(body), 0o666); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(node, "--check", file).CombinedOutput(); err != nil {
		t.Errorf("node --check live.js: %v\n%s", err, out)
	}
}

func TestExcerpt(t *testing.T) {
	src := []byte("one\r\ntwo\nthree\nfour\nfive")
	for _, tc := range []struct {
		line, around int
		want         []Line
	}{
		{3, 1, []Line{{2, "two"}, {3, "three"}, {4, "four"}}},
		{1, 2, []Line{{1, "one"}, {2, "two"}, {3, "three"}}},
		{5, 1, []Line{{4, "four"}, {5, "five"}}},
		{5, 0, []Line{{5, "five"}}},
		{6, 2, nil},
		{0, 2, nil},
	} {
		if got := Excerpt(src, tc.line, tc.around); !slices.Equal(got, tc.want) {
			t.Errorf("Excerpt(line %d, around %d) = %+v, want %+v", tc.line, tc.around, got, tc.want)
		}
	}
	long := Excerpt([]byte(strings.Repeat("é", 400)+"\n\xff"), 2, 1)
	if len(long) != 2 || len(long[0].Text) > 304 || !strings.HasSuffix(long[0].Text, "…") || long[1].Text != "\uFFFD" {
		t.Errorf("Excerpt of a long line and invalid UTF-8 = %+v", long)
	}
}

// TestPackedSnapshot: a snapshot whose files are held packed serves every
// file, page hash and entity tag exactly as the same snapshot held plain;
// a file that does not unpack is an error, not a page.
func TestPackedSnapshot(t *testing.T) {
	plain := testSite()
	d := pack.NewDict(plain["/index.html"])
	held := map[string][]byte{}
	for p, b := range plain {
		held[p] = d.Pack(b)
	}
	held["/broken.css"] = []byte("not packed")
	unpack := func(_ string, b []byte) ([]byte, error) { return d.Unpack(nil, b) }
	_, want := start(t, Options{}, plain)
	packed := New(Options{})
	packed.Publish(&Snapshot{Files: held, Unpack: unpack})
	got := httptest.NewServer(packed)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		packed.Shutdown(ctx)
		got.Close()
	})
	strip := regexp.MustCompile(`data-instance="[^"]*"`)
	for _, p := range []string{"/", "/x/", "/theme.css", "/img.png", "/nope/"} {
		wr, wb := fetch(t, http.MethodGet, want.URL+p)
		gr, gb := fetch(t, http.MethodGet, got.URL+p)
		if gr.StatusCode != wr.StatusCode || strip.ReplaceAllString(gb, "") != strip.ReplaceAllString(wb, "") {
			t.Errorf("GET %s: packed %d %q, plain %d %q", p, gr.StatusCode, gb, wr.StatusCode, wb)
		}
		if ge, we := gr.Header.Get("ETag"), wr.Header.Get("ETag"); ge != we {
			t.Errorf("GET %s: ETag %q packed, %q plain", p, ge, we)
		}
	}
	_, _, wh := pageAttrs(t, want.URL+"/x/")
	if _, _, gh := pageAttrs(t, got.URL+"/x/"); gh != wh {
		t.Errorf("page hash of /x/: %q packed, %q plain: a restart would reload every page", gh, wh)
	}
	if r, body := fetch(t, http.MethodGet, got.URL+"/broken.css"); r.StatusCode != http.StatusInternalServerError || strings.Contains(body, "not packed") {
		t.Errorf("GET a file that does not unpack: %d %q, want 500", r.StatusCode, body)
	}
}
