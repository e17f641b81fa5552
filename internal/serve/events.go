package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A client is one open event stream. Only its handler goroutine touches it,
// except notify.
type client struct {
	notify chan struct{} // size 1: "there is a newer state"

	path    string // the site path of the page ("/x/"), "" when unknown
	since   int    // the build the page shows, in this instance; -1 when unknown
	foreign bool   // the page comes from another instance: compare hash
	hash    string // the page's data-hash
}

// event is the JSON data of a "build" event; see the package documentation.
type event struct {
	Instance  string   `json:"instance"`
	Build     int      `json:"build"`
	Reload    bool     `json:"reload"`
	CSS       bool     `json:"css"`
	Changed   []string `json:"changed"`
	More      int      `json:"more"`
	Drafts    bool     `json:"drafts"`
	ElapsedMS float64  `json:"elapsed_ms"`
	Pending   bool     `json:"pending"`
	// ProblemsTotal counts every problem of the build; Problems holds at
	// most MaxProblems of them.
	ProblemsTotal int             `json:"problems_total"`
	Problems      json.RawMessage `json:"problems,omitempty"` // spliced in by appendEvent
}

// maxListed bounds event.Changed.
const maxListed = 50

func (s *Server) serveEvents(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("X-Accel-Buffering", "no")
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	c := s.newClient(r)
	if !s.register(c) {
		h.Del("Content-Type")
		http.Error(w, "503 server shutting down", http.StatusServiceUnavailable)
		return
	}
	defer s.unregister(c)

	rc := http.NewResponseController(w)
	w.WriteHeader(http.StatusOK)
	var buf bytes.Buffer
	buf.WriteString("retry: 500\n")
	s.appendEvent(&buf, c)
	if s.send(w, rc, buf.Bytes()) != nil {
		return
	}
	tick := time.NewTicker(s.heartbeat)
	defer tick.Stop()
	for {
		buf.Reset()
		select {
		case <-r.Context().Done():
			return
		case <-s.done:
			return
		case <-c.notify:
			s.appendEvent(&buf, c)
		case <-tick.C:
			buf.WriteString(": ping\n\n")
		}
		if s.send(w, rc, buf.Bytes()) != nil {
			return
		}
	}
}

// newClient reads what the page knows: its path, and the build it shows from
// Last-Event-ID when that names this instance, else from the query.
func (s *Server) newClient(r *http.Request) *client {
	q := r.URL.Query()
	c := &client{notify: make(chan struct{}, 1), since: -1, hash: q.Get("hash")}
	if p, err := url.PathUnescape(q.Get("path")); err == nil && p != "" {
		if rel, _, ok := s.sitePath(p); ok {
			c.path = rel
		}
	}
	instance, build := q.Get("instance"), q.Get("build")
	if id, b, ok := strings.Cut(r.Header.Get("Last-Event-ID"), "/"); ok && id == s.instance {
		instance, build = id, b
	}
	switch {
	case instance == "":
		// Not a page of ours (a tool, a test): it is told about changes from now.
	case instance == s.instance:
		if n, err := strconv.Atoi(build); err == nil && n >= 0 {
			c.since = n
		}
	default:
		c.foreign = true
	}
	return c
}

func (s *Server) register(c *client) bool {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	if s.closed {
		return false
	}
	s.clients[c] = struct{}{}
	s.wg.Add(1)
	return true
}

func (s *Server) unregister(c *client) {
	s.cmu.Lock()
	delete(s.clients, c)
	s.cmu.Unlock()
	s.wg.Done()
}

// send writes one event or comment, giving up when the client has not taken
// it within writeTimeout.
func (s *Server) send(w io.Writer, rc *http.ResponseController, b []byte) error {
	rc.SetWriteDeadline(time.Now().Add(s.writeTimeout)) // not supported by every ResponseWriter: fine
	if _, err := w.Write(b); err != nil {
		return err
	}
	return rc.Flush()
}

// appendEvent appends the event that brings c from what it knows to the
// current state, and records that c now knows the current state.
func (s *Server) appendEvent(buf *bytes.Buffer, c *client) {
	ev := event{Instance: s.instance, Changed: []string{}}
	problems := []byte("[]")

	s.mu.RLock()
	st := s.cur.Load()
	if st != nil {
		ev.Build, ev.Drafts, problems, ev.ProblemsTotal = st.build, st.drafts, st.problems, st.problemsTotal
		ev.ElapsedMS = float64(st.elapsed.Microseconds()) / 1000
		ev.Pending = st.pending
		switch {
		case c.foreign:
			t := resolve(st.files, c.path)
			ev.Reload = c.path == "" || c.hash != st.pageHash(t.file)
			ev.CSS = !ev.Reload
		case c.since >= 0 && c.since < st.build:
			var css bool
			ev.Changed, ev.More, css = s.changedSince(c.since)
			ev.Reload = c.since == 0 || s.pageChanged(st, c.path, c.since)
			ev.CSS = css && !ev.Reload
		}
	}
	s.mu.RUnlock()

	if st != nil {
		c.foreign, c.since = false, st.build
		buf.WriteString("id: " + s.instance + "/" + strconv.Itoa(st.build) + "\n")
	}
	head, _ := json.Marshal(ev) // cannot fail
	buf.WriteString("event: build\ndata: ")
	buf.Write(head[:len(head)-1])
	buf.WriteString(`,"problems":`)
	buf.Write(problems)
	buf.WriteString("}\n\n")
}

// pageChanged reports whether the page at site path rel changed after build
// since: the file it resolves to, or the files it would resolve to.
// s.mu must be held.
func (s *Server) pageChanged(st *state, rel string, since int) bool {
	if rel == "" {
		return false
	}
	t := resolve(st.files, rel)
	if t.file != "" && s.last[t.file] > since {
		return true
	}
	for _, p := range t.wanted {
		if s.last[p] > since {
			return true
		}
	}
	return false
}

// changedSince returns the paths changed after build since, at most
// maxListed of them and how many more, and whether a .css file is among
// them. s.mu must be held.
func (s *Server) changedSince(since int) (paths []string, more int, css bool) {
	if len(s.hist) > 0 && s.hist[0].build <= since+1 {
		i, _ := slices.BinarySearchFunc(s.hist, since+1, func(c change, b int) int { return c.build - b })
		recent := s.hist[i:]
		if len(recent) == 1 {
			paths, css = recent[0].paths, recent[0].css
		} else {
			set := map[string]bool{}
			for _, c := range recent {
				css = css || c.css
				for _, p := range c.paths {
					set[p] = true
				}
			}
			paths = slices.Sorted(maps.Keys(set))
		}
	} else {
		for p, b := range s.last {
			if b > since {
				paths = append(paths, p)
				css = css || isCSS(p)
			}
		}
		slices.Sort(paths)
	}
	if len(paths) > maxListed {
		paths, more = paths[:maxListed], len(paths)-maxListed
	}
	if paths == nil {
		paths = []string{}
	}
	return paths, more, css
}
