// Package serve is the HTTP side of `handbook serve`: it serves a built site
// from memory, tells open browser tabs what changed, and shows build problems
// in the page.
//
// The command owns building and watching. After every (re)build it hands the
// whole output to the Server as a Snapshot and calls Publish:
//
//	srv := serve.New(serve.Options{BasePath: "/", Log: os.Stderr})
//	srv.Publish(&serve.Snapshot{Files: files, Problems: problems, Drafts: true, Elapsed: d})
//	httpSrv := &http.Server{Addr: "127.0.0.1:1313", Handler: srv}
//	httpSrv.RegisterOnShutdown(func() { srv.Shutdown(context.Background()) })
//
// # Serving
//
// Only the current snapshot is served, by map lookup: nothing on disk is ever
// opened, so no request can reach outside the site. Requests are GET or HEAD
// (405 otherwise). The path is percent-decoded (by net/http); a path with a
// backslash, a NUL or a segment starting with "." (".git", "..", ".env") is
// refused with a plain 404; the BasePath is stripped ("/handbook" redirects to
// "/handbook/"); "/x/" serves "/x/index.html" and "/x" redirects (301) to
// "/x/" when "/x/index.html" exists. Anything else unknown gets the snapshot's
// "/404.html" with status 404. Every response has X-Content-Type-Options:
// nosniff and Cache-Control: no-store, but files other than pages (and
// live.js), which have Cache-Control: no-cache and an ETag (a hash of their
// bytes), so that a browser asks again each time but a stylesheet or script
// that did not change is answered 304 Not Modified and not read and parsed
// again. Content types come from the extension.
// Before the first Publish every page is a 503 "building" page that reloads
// itself when the first build is published.
//
// # Live reload
//
// Every HTML response gets one element injected before its last </body>
// (matched case-insensitively), or at its end when it has none, so layouts
// without <head> or <body> work:
//
//	<script src="BASE__handbook/live.js" data-handbook-live data-build="7"
//	  data-instance="3f2a…" data-hash="9c1e…" defer></script>
//
// data-build is the build the page was served from, data-instance identifies
// this Server (a new one after a restart), data-hash is a hash of the page's
// bytes as built. When Snapshot.Drafts is set a "Drafts are shown" banner is
// injected too.
//
// The script opens an EventSource on BASE__handbook/events with the query
// build, instance, hash and path (its location.pathname). The server answers
// each connection at once with the current state, then with one event per
// Publish:
//
//	id: <instance>/<build>
//	event: build
//	data: {"instance":"3f2a…","build":8,"reload":false,"css":true,
//	       "changed":["/theme.css"],"more":0,"drafts":true,"elapsed_ms":12.5,"pending":false,
//	       "problems_total":1,"problems":[{"file":"content/a.md","line":3,"col":1,"severity":"error",
//	                    "rule":"yaml","message":"…","context":[{"n":2,"text":"…"}]}]}
//
// The server, not the browser, decides whether the page must reload: it keeps
// for every site path the build in which it last changed (was added, edited or
// removed), and a page that shows build B reloads when the file its URL
// resolves to (or would resolve to: "/x/index.html", or "/404.html" for an
// unknown page) changed after B. If it did not, but a .css file did, "css"
// asks the page to swap its stylesheets without reloading. "changed" lists the
// site paths changed since the page's build (at most 50; "more" counts the
// rest) and is informational. "pending" is true for a first look at an
// edit (Snapshot.Pending): the next event, soon, brings the rest of it.
//
// A page told to reload is updated in place when it can be (live.js): the
// script fetches the page again, and when the new page has the same head
// (but for its title) and the same scripts, and every script of the page
// has said that it follows such updates (by setting handbookUpdates on its
// script element), it replaces only the parts of the body that differ and
// fires "handbook:updated" on document, keeping the scroll position, the
// focus and what the scripts set up; otherwise it reloads the page, which
// keeps its scroll position through sessionStorage. Every event is also
// fired on document as "handbook:build" ({build, changed, more}), for the
// scripts that keep files of the site, such as the search client.
//
// Catch-up: the build the page knows comes from the Last-Event-ID header (set
// by EventSource when it reconnects by itself) or else the query; when it is
// behind, the first event already says whether to reload, so an edit published
// while a page was loading or reconnecting is never lost. After a restart the
// instance differs and build numbers mean nothing; then the page's data-hash is
// compared with the hash of what its URL serves now: equal means fresh (and the
// stylesheets are swapped to be safe), different means reload.
//
// Each client has a notification channel of size one: Publish never blocks on
// a browser, several builds published while a client is slow coalesce into one
// event computed from the latest state, and since the event is computed from
// the per-path build numbers, coalescing loses nothing. A heartbeat comment is
// sent every 15 seconds; a client whose writes stall for 10 seconds is dropped
// (EventSource reconnects and catches up).
//
// Problems are shown by the script in an overlay on every open page while the
// latest build has any, and removed when a build has none. An event carries
// the first MaxProblems of them (the caller puts errors first) and the
// total, which the overlay shows, so that a site with thousands of warnings
// does not send megabytes to every tab on every save.
package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// A Snapshot is one complete build of the site, as the browser should see it.
// Publish takes ownership: neither the map nor the byte slices may be changed
// afterwards. Reusing a previous snapshot's slice for an unchanged file is
// encouraged: it makes the comparison free.
type Snapshot struct {
	// Files maps site paths ("/index.html", "/x/index.html", "/theme.css"),
	// always starting with "/" and without the BasePath, to their bytes.
	Files map[string][]byte
	// Problems are shown in an overlay on every open page; sort them first.
	// Only the first MaxProblems are sent to the browser.
	Problems []Problem
	// ProblemsTotal, when larger than len(Problems), counts the problems
	// of the build including those left out of Problems.
	ProblemsTotal int
	// Drafts shows a banner saying that draft pages are shown.
	Drafts bool
	// Elapsed is how long the build took, for the log and the browser.
	Elapsed time.Duration
	// Note ends the log line ("2 pages rendered").
	Note string
	// Pending marks a first look at an edit: the edited page is up to
	// date, and the next snapshot brings the rest of the edit (its
	// problems too). Events say so ("pending"), for those who time the
	// whole update.
	Pending bool
	// Unpack, unless nil, turns what Files holds for a path into the
	// file's bytes, as each is served: a preview holds its pages packed
	// (build.LiveResult). Files are compared as they are held, so a
	// file must be held as the same bytes in every snapshot that holds
	// it unchanged.
	Unpack func(path string, held []byte) ([]byte, error)
}

// MaxProblems is how many problems a build event carries; the overlay says
// how many more there are.
const MaxProblems = 100

// A Problem is one diagnostic as the overlay shows it:
// "File:Line:Col Severity Rule: Message", then the Context lines with line
// Line marked.
type Problem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Context  []Line `json:"context"`
}

// A Line is one numbered source line around a Problem; see Excerpt.
type Line struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// Options configure a Server.
type Options struct {
	// BasePath is the URL path the site is served under: "/" (the default)
	// or "/handbook/". Slashes are added where missing.
	BasePath string
	// Log receives one line per Publish; nil discards it.
	Log io.Writer
}

// An Update says what a Publish changed.
type Update struct {
	// Build numbers Publish calls from 1.
	Build int
	// Changed lists, sorted, the site paths added, changed or removed
	// compared with the previous snapshot (all of them for build 1).
	Changed []string
	// CSSOnly reports that every changed path is a .css file.
	CSSOnly bool
}

// A Server serves the latest published Snapshot over HTTP. Its methods may be
// called from any goroutine.
type Server struct {
	base     string // "/" or "/x/"
	liveSrc  string // escaped URL of live.js, ready for an attribute
	instance string
	log      io.Writer

	heartbeat    time.Duration
	writeTimeout time.Duration

	pub  sync.Mutex // serializes Publish
	cur  atomic.Pointer[state]
	mu   sync.RWMutex // guards lastChanged and history, and cur's consistency with them
	last map[string]int
	hist []change // the most recent builds, oldest first

	cmu     sync.Mutex // guards clients and closed
	clients map[*client]struct{}
	closed  bool
	done    chan struct{}
	wg      sync.WaitGroup
}

// state is one published snapshot; it is never changed, but for the entity
// tags it computes as files are asked for.
type state struct {
	build    int
	files    map[string][]byte
	unpack   func(path string, held []byte) ([]byte, error)
	etags    sync.Map // site path → quoted entity tag
	problems []byte   // JSON array, at most MaxProblems
	// problemsTotal counts all the problems of the build.
	problemsTotal int
	drafts        bool
	elapsed       time.Duration
	pending       bool
}

type change struct {
	build int
	paths []string
	css   bool
}

const historySize = 64

// New returns a Server with nothing published yet.
func New(opts Options) *Server {
	base := strings.Trim(opts.BasePath, "/")
	if base == "" {
		base = "/"
	} else {
		base = "/" + base + "/"
	}
	var id [8]byte
	rand.Read(id[:])
	s := &Server{
		base:         base,
		liveSrc:      attrEscape((&url.URL{Path: base + "__handbook/live.js"}).EscapedPath()),
		instance:     hex.EncodeToString(id[:]),
		log:          opts.Log,
		heartbeat:    15 * time.Second,
		writeTimeout: 10 * time.Second,
		last:         map[string]int{},
		clients:      map[*client]struct{}{},
		done:         make(chan struct{}),
	}
	if s.log == nil {
		s.log = io.Discard
	}
	return s
}

// Publish makes snap the site being served, numbers it, compares it with the
// previous snapshot, tells every connected browser and logs one line. It
// never waits for a browser.
func (s *Server) Publish(snap *Snapshot) Update {
	if snap == nil {
		snap = &Snapshot{}
	}
	s.pub.Lock()
	defer s.pub.Unlock()

	prev := s.cur.Load()
	var old map[string][]byte
	build := 1
	if prev != nil {
		old, build = prev.files, prev.build+1
	}
	files := snap.Files
	if files == nil {
		files = map[string][]byte{}
	}
	changed := diff(old, files)
	problems := snap.Problems
	if problems == nil {
		problems = []Problem{}
	}
	total := max(snap.ProblemsTotal, len(problems))
	problems = problems[:min(len(problems), MaxProblems)]
	pj, err := json.Marshal(problems)
	if err != nil { // cannot happen: only strings and ints
		pj = []byte("[]")
	}
	st := &state{build: build, files: files, unpack: snap.Unpack, problems: pj, problemsTotal: total, drafts: snap.Drafts, elapsed: snap.Elapsed, pending: snap.Pending}
	u := Update{Build: build, Changed: changed}
	u.CSSOnly = len(changed) > 0 && !slices.ContainsFunc(changed, func(p string) bool { return !isCSS(p) })

	s.mu.Lock()
	for _, p := range changed {
		s.last[p] = build
	}
	s.hist = append(s.hist, change{build: build, paths: changed, css: slices.ContainsFunc(changed, isCSS)})
	if len(s.hist) > historySize {
		s.hist = slices.Delete(s.hist, 0, len(s.hist)-historySize)
	}
	s.cur.Store(st)
	s.mu.Unlock()

	s.cmu.Lock()
	for c := range s.clients {
		select {
		case c.notify <- struct{}{}:
		default: // already notified; the client will read the latest state
		}
	}
	s.cmu.Unlock()

	note := ""
	if snap.Note != "" {
		note = ", " + snap.Note
	}
	fmt.Fprintf(s.log, "build %d: %d changed%s, %d problems, %s%s\n",
		build, len(changed), listSome(changed, 3), total, roundDuration(snap.Elapsed), note)
	return u
}

// diff returns the sorted paths whose bytes differ between old and next,
// including those only in one of them. The paths of old are looked up in
// next only when some are not there: when every path of old is in next,
// none is gone (a preview's edit, but for a page removed: 10,000 lookups
// fewer at 10,000 pages, a millisecond or two of every update).
func diff(old, next map[string][]byte) []string {
	changed := []string{}
	kept := 0 // the paths of next that old has
	for p, b := range next {
		o, ok := old[p]
		if ok {
			kept++
		}
		if !ok || !sameBytes(o, b) {
			changed = append(changed, p)
		}
	}
	if kept < len(old) {
		for p := range old {
			if _, ok := next[p]; !ok {
				changed = append(changed, p)
			}
		}
	}
	slices.Sort(changed)
	return changed
}

func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
}

func isCSS(p string) bool { return strings.EqualFold(path.Ext(p), ".css") }

func listSome(paths []string, n int) string {
	if len(paths) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(" (")
	for i, p := range paths {
		if i == n {
			fmt.Fprintf(&b, ", +%d more", len(paths)-n)
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(p)
	}
	b.WriteString(")")
	return b.String()
}

func roundDuration(d time.Duration) time.Duration {
	if d >= time.Millisecond {
		return d.Round(100 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}

// Shutdown ends every event stream and waits for their handlers to return, or
// for ctx to end. Pages are still served afterwards; new event streams get
// 503. Call it before (or from RegisterOnShutdown of) http.Server.Shutdown,
// which otherwise waits for the streams forever.
func (s *Server) Shutdown(ctx context.Context) error {
	s.cmu.Lock()
	if !s.closed {
		s.closed = true
		close(s.done)
	}
	s.cmu.Unlock()
	finished := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(finished)
	}()
	select {
	case <-finished:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ServeHTTP serves the current snapshot, live.js and the event stream.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	rel, loc, ok := s.sitePath(r.URL.Path)
	switch {
	case loc != "":
		s.redirect(w, r, loc)
		return
	case !ok:
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	case rel == "/__handbook/live.js":
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", liveETag)
		http.ServeContent(w, r, "live.js", time.Time{}, bytes.NewReader(liveJS))
		return
	case rel == "/__handbook/events":
		s.serveEvents(w, r)
		return
	}

	st := s.cur.Load()
	if st == nil {
		s.writeHTML(w, r, http.StatusServiceUnavailable, []byte(buildingPage), 0, "building", false)
		return
	}
	t := resolve(st.files, rel)
	switch {
	case t.redirect:
		s.redirect(w, r, s.base+rel[1:]+"/")
	case t.file == "":
		s.writeHTML(w, r, http.StatusNotFound, []byte(notFoundPage), st.build, st.pageHash(""), st.drafts)
	default:
		b, err := st.file(t.file)
		switch {
		case err != nil:
			http.Error(w, "500 "+err.Error(), http.StatusInternalServerError)
		case t.status == http.StatusOK && isHTML(t.file):
			s.writeHTML(w, r, http.StatusOK, b, st.build, hashOf(b), st.drafts)
		case t.status == http.StatusOK:
			h.Set("Content-Type", contentType(t.file))
			h.Set("Cache-Control", "no-cache")
			h.Set("ETag", st.etag(t.file, b))
			http.ServeContent(w, r, t.file, time.Time{}, bytes.NewReader(b))
		default:
			s.writeHTML(w, r, http.StatusNotFound, b, st.build, hashOf(b), st.drafts)
		}
	}
}

// sitePath turns a decoded URL path into a site path ("/x/", "/a.css"). It
// returns a redirect location for the bare base path, and ok false for a path
// that is refused or outside the base path.
func (s *Server) sitePath(p string) (rel, redirect string, ok bool) {
	if p == "" || p[0] != '/' || strings.ContainsAny(p, "\\\x00") {
		return "", "", false
	}
	for seg := range strings.SplitSeq(p, "/") {
		if strings.HasPrefix(seg, ".") {
			return "", "", false
		}
	}
	if s.base != "/" {
		if p+"/" == s.base {
			return "", s.base, false
		}
		if !strings.HasPrefix(p, s.base) {
			return "", "", false
		}
		p = p[len(s.base)-1:]
	}
	rel = path.Clean(p)
	if strings.HasSuffix(p, "/") && rel != "/" {
		rel += "/"
	}
	return rel, "", true
}

// redirect answers 301 to the URL path p, keeping the query.
func (s *Server) redirect(w http.ResponseWriter, r *http.Request, p string) {
	loc := (&url.URL{Path: p}).EscapedPath()
	if r.URL.RawQuery != "" {
		loc += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", loc)
	w.WriteHeader(http.StatusMovedPermanently)
}

// A target is what a site path resolves to in one snapshot.
type target struct {
	status   int    // 200 or 404 (redirect set: 301)
	file     string // the file served: the page, "/404.html", or "" for none
	redirect bool   // "/x" → "/x/"
	wanted   []string
}

// resolve applies the index, redirect and 404 rules to the site path rel.
func resolve(files map[string][]byte, rel string) target {
	var wanted []string
	if strings.HasSuffix(rel, "/") {
		wanted = []string{rel + "index.html"}
	} else {
		wanted = []string{rel, rel + "/index.html"}
	}
	if _, ok := files[wanted[0]]; ok {
		return target{status: http.StatusOK, file: wanted[0], wanted: wanted}
	}
	if len(wanted) > 1 {
		if _, ok := files[wanted[1]]; ok {
			return target{status: http.StatusMovedPermanently, redirect: true, wanted: wanted}
		}
	}
	t := target{status: http.StatusNotFound, wanted: wanted}
	if _, ok := files["/404.html"]; ok {
		t.file = "/404.html"
	}
	return t
}

func (s *Server) writeHTML(w http.ResponseWriter, r *http.Request, status int, page []byte, build int, hash string, drafts bool) {
	body := inject(page, s.snippet(build, hash, drafts))
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// liveETag is the entity tag of live.js.
var liveETag = func() string {
	sum := sha256.Sum256(liveJS)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}()

// file returns the bytes of the file at site path p, which the snapshot
// has.
func (st *state) file(p string) ([]byte, error) {
	b := st.files[p]
	if st.unpack == nil {
		return b, nil
	}
	b, err := st.unpack(p, b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", p, err)
	}
	return b, nil
}

// etag returns the entity tag of the file at site path p, whose bytes
// are b, computed once per snapshot.
func (st *state) etag(p string, b []byte) string {
	if e, ok := st.etags.Load(p); ok {
		return e.(string)
	}
	sum := sha256.Sum256(b)
	e := `"` + hex.EncodeToString(sum[:12]) + `"`
	st.etags.Store(p, e)
	return e
}

// pageHash identifies the bytes of the file at site path p across server
// restarts: the bytes as they are, not as they are held.
func (st *state) pageHash(p string) string {
	if _, ok := st.files[p]; !ok {
		return "none"
	}
	b, err := st.file(p)
	if err != nil {
		return "none"
	}
	return hashOf(b)
}

// hashOf is pageHash of a file's bytes.
func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".htm":         "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".map":         "application/json",
	".webmanifest": "application/manifest+json",
	".svg":         "image/svg+xml",
	".xml":         "application/xml",
	".atom":        "application/atom+xml",
	".rss":         "application/rss+xml",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".woff2":       "font/woff2",
	".woff":        "font/woff",
	".wasm":        "application/wasm",
}

// contentType is the type of a site path by its extension: ours first, so
// the answer does not depend on the machine's mime.types, then the system's.
func contentType(p string) string {
	ext := strings.ToLower(path.Ext(p))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func isHTML(p string) bool {
	ext := strings.ToLower(path.Ext(p))
	return ext == ".html" || ext == ".htm"
}
