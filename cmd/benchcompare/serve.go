package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/net/websocket"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// compareServe measures what an author waits for in a preview server: the
// time from saving a file to the reload message reaching the browser's
// connection, for each kind of edit (editKinds) as its own row, edits
// rounds of each. handbook serve tells a page over its event stream
// (connected as the page at the edited file's URL connects, so that the
// event says "reload" only when that page changed); hugo server over its
// livereload websocket. Both serve the same generated site and get the
// same edits. The start of each server, to its first page served, is a
// row too. Above peerMax pages, Hugo is not run.
//
// handbook serve may first serve the edited page alone, from its new
// version, then the rest of the edit (a first look: the event says
// "pending"); Hugo's fast render mode also renders the page being viewed
// first. A second row for each kind of edit times handbook serve to the
// event after which every page is up to date.
func compareServe(handbook, site, hugoDir string, n, edits int) ([]row, error) {
	steps, restore, err := editPlan(site, edits)
	if err != nil {
		return nil, err
	}
	defer restore()
	rows := map[string]*row{}
	start := &row{task: "serve: start → first page", size: n, ours: "handbook serve", peer: "hugo server"}
	whole := map[string]*row{}
	for _, k := range editKinds {
		rows[k] = &row{task: "serve: " + k + " → reload", size: n, ours: "handbook serve", peer: "hugo server"}
		whole[k] = &row{task: "serve: " + k + " → every page up to date", size: n, ours: "handbook serve"}
	}
	hb, err := startHandbook(handbook, site)
	if err != nil {
		return nil, err
	}
	start.a = []sample{{wall: hb.started, rss: hb.rss()}}
	for _, s := range steps {
		d, all, err := hb.edit(s)
		if err != nil {
			hb.stop()
			return nil, fmt.Errorf("handbook serve, %s: %w", s.kind, err)
		}
		if s.timed {
			rows[s.kind].a = append(rows[s.kind].a, sample{wall: d})
			whole[s.kind].a = append(whole[s.kind].a, sample{wall: all})
		}
	}
	peak := hb.stop()
	for _, k := range editKinds {
		for i := range rows[k].a {
			rows[k].a[i].rss = peak
			whole[k].a[i].rss = peak
		}
		fmt.Fprintf(os.Stderr, "  handbook serve  %6d pages: %-36s median %v, every page %v\n", n, k, median(rows[k].a), median(whole[k].a))
	}
	restore()
	if n <= peerMax {
		if err := serveHugo(site, hugoDir, steps, rows, start); err != nil {
			return nil, err
		}
		for _, k := range editKinds {
			fmt.Fprintf(os.Stderr, "  hugo server     %6d pages: %-36s median %v\n", n, k, median(rows[k].b))
		}
	}
	out := []row{*start}
	for _, k := range editKinds {
		out = append(out, *rows[k], *whole[k])
	}
	return out, nil
}

// hbServer is a running handbook serve.
type hbServer struct {
	*server
	base    string
	started time.Duration // from the start of the process to its first page
}

// startHandbook starts handbook serve on site and waits for its first page.
func startHandbook(handbook, site string) (*hbServer, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	t := time.Now()
	srv, err := startServer([]string{handbook, "-C", site, "--quiet", "serve", "--port", strconv.Itoa(port)}, base+"/")
	if err != nil {
		return nil, fmt.Errorf("handbook serve: %w", err)
	}
	return &hbServer{server: srv, base: base, started: time.Since(t)}, nil
}

// edit makes one step's save and returns the time from the save to the
// event that tells a page showing s.path to reload, and to the event
// after which every page is up to date (the same event, unless the first
// was a first look: "pending"). It connects to the event stream as that
// page does, takes the state it is told at once, then saves; after the
// last event it waits for quiet, so that the next step starts from a
// settled server.
func (h *hbServer) edit(s step) (first, all time.Duration, err error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.base+"/__handbook/events?path="+url.QueryEscape(s.path), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	events := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<26)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data:") {
				events <- sc.Text()
			}
		}
		close(events)
	}()
	if !waitFor(events, `"build"`, 10*time.Minute) {
		return 0, 0, errors.New("no first event")
	}
	t := time.Now()
	if err := s.do(); err != nil {
		return 0, 0, err
	}
	m, ok := waitMessage(events, `"reload":true`, 10*time.Minute)
	if !ok {
		return 0, 0, errors.New("no reload event")
	}
	first, all = time.Since(t), time.Since(t)
	for strings.Contains(m, `"pending":true`) {
		if m, ok = waitMessage(events, `"build"`, 10*time.Minute); !ok {
			return 0, 0, errors.New("no event after a first look")
		}
		all = time.Since(t)
	}
	drainFor(events, 300*time.Millisecond)
	return first, all, nil
}

// serveHugo makes the same steps under hugo server, timed to the reload
// message on its livereload websocket, adding to rows' peer samples.
func serveHugo(site, hugoDir string, steps []step, rows map[string]*row, start *row) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	t := time.Now()
	hugo, err := startServer([]string{"hugo", "server", "-s", site, "--config", filepath.Join(hugoDir, "hugo.toml"),
		"--layoutDir", filepath.Join(hugoDir, "layouts"), "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--quiet"}, base+"/")
	if err != nil {
		return fmt.Errorf("hugo server: %w", err)
	}
	start.b = []sample{{wall: time.Since(t), rss: hugo.rss()}}
	ws, err := websocket.Dial("ws://127.0.0.1:"+strconv.Itoa(port)+"/livereload", "", base+"/")
	if err != nil {
		hugo.stop()
		return fmt.Errorf("hugo livereload: %w", err)
	}
	if err := websocket.Message.Send(ws, `{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`); err != nil {
		hugo.stop()
		return err
	}
	msgs := make(chan string, 64)
	go func() {
		for {
			var m string
			if err := websocket.Message.Receive(ws, &m); err != nil {
				close(msgs)
				return
			}
			msgs <- m
		}
	}()
	drainFor(msgs, 500*time.Millisecond)
	for _, s := range steps {
		t := time.Now()
		if err := s.do(); err != nil {
			hugo.stop()
			return err
		}
		if !waitFor(msgs, `"reload"`, 5*time.Minute) {
			hugo.stop()
			return fmt.Errorf("hugo server, %s: no reload message", s.kind)
		}
		if s.timed {
			rows[s.kind].b = append(rows[s.kind].b, sample{wall: time.Since(t)})
		}
		drainFor(msgs, 300*time.Millisecond)
	}
	ws.Close()
	peak := hugo.stop()
	for _, r := range rows {
		for i := range r.b {
			r.b[i].rss = peak
		}
	}
	return nil
}

// server is a preview server started for a measurement.
type server struct{ cmd *exec.Cmd }

// startServer starts a server and waits until url answers.
func startServer(args []string, url string) (*server, error) {
	quiesce()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SOURCE_DATE_EPOCH=%d", sitegen.Today.Unix()))
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd}
	for deadline := time.Now().Add(15 * time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	s.stop()
	return nil, errors.New("did not answer within 15 minutes")
}

// rss returns the server's resident memory now, in KiB (VmRSS), 0 when
// it cannot be read.
func (s *server) rss() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// stop interrupts the server and returns its peak memory in KiB.
func (s *server) stop() int64 {
	s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
	if ru, ok := s.cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss
	}
	return 0
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitFor reads messages until one contains want.
func waitFor(ch <-chan string, want string, limit time.Duration) bool {
	_, ok := waitMessage(ch, want, limit)
	return ok
}

// waitMessage is waitFor, returning the message that holds want.
func waitMessage(ch <-chan string, want string, limit time.Duration) (string, bool) {
	timeout := time.After(limit)
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return "", false
			}
			if strings.Contains(m, want) {
				return m, true
			}
		case <-timeout:
			return "", false
		}
	}
}

// drainFor discards messages until none came for quiet.
func drainFor(ch <-chan string, quiet time.Duration) {
	for {
		select {
		case <-ch:
		case <-time.After(quiet):
			return
		}
	}
}

func median(s []sample) time.Duration {
	if len(s) == 0 {
		return 0
	}
	w, _ := stats(s)
	return w[0].Round(time.Millisecond)
}
