package main

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
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
// time from saving a page to the reload message reaching the browser's
// connection. handbook serve tells browsers over its event stream; hugo
// server over its livereload websocket. Both serve the same generated
// site; each gets the same number of edits to the same runbook.
func compareServe(handbook, site, hugoDir string, n, edits int) (row, error) {
	r := row{task: "serve: save → reload", size: n, ours: "handbook serve", peer: "hugo server"}
	pages, _ := filepath.Glob(filepath.Join(site, "runbooks", "*", "*.md"))
	if len(pages) == 0 {
		return r, errors.New("no runbook to edit")
	}
	page := pages[0]
	original, err := os.ReadFile(page)
	if err != nil {
		return r, err
	}
	defer os.WriteFile(page, original, 0o644)
	edit := func(i int) error {
		return os.WriteFile(page, fmt.Appendf(append([]byte(nil), original...), "\nEdit %d at %d.\n", i, time.Now().UnixNano()), 0o644)
	}
	if r.a, err = serveHandbook(handbook, site, edits, edit); err != nil {
		return r, err
	}
	fmt.Fprintf(os.Stderr, "  handbook serve  %6d pages: %d edits, median %v\n", n, edits, median(r.a))
	if r.b, err = serveHugo(site, hugoDir, edits, edit); err != nil {
		return r, err
	}
	fmt.Fprintf(os.Stderr, "  hugo server     %6d pages: %d edits, median %v\n", n, edits, median(r.b))
	return r, nil
}

// serveHandbook times edits under handbook serve, to the reload event on
// its event stream; the samples carry the server's peak memory.
func serveHandbook(handbook, site string, edits int, edit func(int) error) ([]sample, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	ours, err := startServer([]string{handbook, "-C", site, "--quiet", "serve", "--port", strconv.Itoa(port)}, base+"/")
	if err != nil {
		return nil, fmt.Errorf("handbook serve: %w", err)
	}
	resp, err := http.Get(base + "/__handbook/events")
	if err != nil {
		ours.stop()
		return nil, err
	}
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
	drainFor(events, 500*time.Millisecond)
	a, err := timeEdits(events, `"/runbooks/`, edits, edit, ours, "handbook serve: no reload event")
	if err != nil {
		return a, err
	}
	resp.Body.Close()
	rss := ours.stop()
	for i := range a {
		a[i].rss = rss
	}
	return a, nil
}

// serveHugo times edits under hugo server, to the reload message on its
// livereload websocket; the samples carry the server's peak memory.
func serveHugo(site, hugoDir string, edits int, edit func(int) error) ([]sample, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	hugo, err := startServer([]string{"hugo", "server", "-s", site, "--config", filepath.Join(hugoDir, "hugo.toml"),
		"--layoutDir", filepath.Join(hugoDir, "layouts"), "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--quiet"}, base+"/")
	if err != nil {
		return nil, fmt.Errorf("hugo server: %w", err)
	}
	ws, err := websocket.Dial("ws://127.0.0.1:"+strconv.Itoa(port)+"/livereload", "", base+"/")
	if err != nil {
		hugo.stop()
		return nil, fmt.Errorf("hugo livereload: %w", err)
	}
	if err := websocket.Message.Send(ws, `{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`); err != nil {
		hugo.stop()
		return nil, err
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
	b, err := timeEdits(msgs, `"reload"`, edits, edit, hugo, "hugo server: no reload message")
	if err != nil {
		return b, err
	}
	ws.Close()
	rss := hugo.stop()
	for i := range b {
		b[i].rss = rss
	}
	return b, nil
}

// timeEdits makes edits edits, timing each from the save to a message on
// ch containing want. When none comes, it stops srv and fails with
// noReload; the samples so far are returned either way.
func timeEdits(ch <-chan string, want string, edits int, edit func(int) error, srv *server, noReload string) ([]sample, error) {
	var s []sample
	for i := 0; i < edits; i++ {
		start := time.Now()
		if err := edit(i); err != nil {
			return s, err
		}
		if !waitFor(ch, want, 5*time.Minute) {
			srv.stop()
			return s, errors.New(noReload)
		}
		s = append(s, sample{wall: time.Since(start)})
		drainFor(ch, 300*time.Millisecond)
	}
	return s, nil
}

// server is a preview server started for a measurement.
type server struct{ cmd *exec.Cmd }

// startServer starts a server and waits until url answers.
func startServer(args []string, url string) (*server, error) {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), fmt.Sprintf("SOURCE_DATE_EPOCH=%d", sitegen.Today.Unix()))
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd}
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, nil
			}
		}
	}
	s.stop()
	return nil, errors.New("did not answer within 5 minutes")
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
	timeout := time.After(limit)
	for {
		select {
		case m, ok := <-ch:
			if !ok {
				return false
			}
			if strings.Contains(m, want) {
				return true
			}
		case <-timeout:
			return false
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
	w, _ := stats(s)
	return w[0].Round(time.Millisecond)
}
