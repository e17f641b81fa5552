package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestServeScripts runs handbook serve as a user would, from
// testdata/serve/*.txtar: start it, fetch pages, edit files, break and fix
// them. Scripts have the commands of TestScripts and:
//
//	hbserve [flags]        start handbook serve on a free port in the background; $URL is its address
//	fetch PATH             GET $URL+PATH; its status line and body go to stdout
//	waitfetch PATH REGEXP  GET PATH until its body matches (10 s at most)
//	waitlog REGEXP         wait until a line of the server's log written since the last waitlog
//	                       matches (10 s at most); the next waitlog reads from the line after it.
//	                       "! waitlog" is refused: a line not there yet may still come, and a
//	                       script proves an absence by waiting for a later line instead
//	stopserve              stop the server (Ctrl-C) and wait for it to exit 0
func TestServeScripts(t *testing.T) {
	runScripts(t, "testdata/serve", map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"hbserve":   cmdServe,
		"fetch":     cmdFetch,
		"waitfetch": cmdWaitFetch,
		"waitlog":   cmdWaitLog,
		"stopserve": cmdStopServe,
	})
}

// lockedBuffer is a buffer the server writes while the script reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// running is the server of one script.
type running struct {
	cancel context.CancelFunc
	done   chan int
	out    *lockedBuffer
	// logMark is where waitlog reads from: the start of the line after the
	// one the last waitlog matched.
	logMark int
}

var servers sync.Map // script work folder → *running

var urlRE = regexp.MustCompile(`at (http://\S+)`)

// startServe runs handbook serve on a free port in this process, with the
// flags given after the command (global flags first, as the command line
// has them), and waits up to limit for its address.
func startServe(global []string, flags []string, limit time.Duration) (*running, string, error) {
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{cancel: cancel, done: make(chan int, 1), out: &lockedBuffer{}}
	args := append(append(global, "serve", "--port", "0"), flags...)
	go func() { r.done <- run(ctx, args, r.out, r.out) }()
	for deadline := time.Now().Add(limit); time.Now().Before(deadline); {
		if m := urlRE.FindStringSubmatch(r.out.String()); m != nil {
			return r, m[1], nil
		}
		select {
		case code := <-r.done:
			r.done <- code
			return r, "", fmt.Errorf("handbook serve exited %d:\n%s", code, r.out.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	r.stop()
	return r, "", fmt.Errorf("handbook serve did not start:\n%s", r.out.String())
}

// stop interrupts the server and returns its exit code.
func (r *running) stop() int {
	r.cancel()
	code := <-r.done
	r.done <- code
	return code
}

func cmdServe(ts *testscript.TestScript, neg bool, args []string) {
	r, url, err := startServe([]string{"-C", ts.Getenv("WORK")}, args, 10*time.Second)
	servers.Store(ts.Getenv("WORK"), r)
	ts.Defer(func() { r.stop() })
	ts.Check(err)
	ts.Setenv("URL", strings.TrimSuffix(url, "/"))
}

func server(ts *testscript.TestScript) *running {
	r, ok := servers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("no server: run hbserve first")
	}
	return r.(*running)
}

func get(ts *testscript.TestScript, path string) (int, string) {
	resp, err := http.Get(ts.Getenv("URL") + path)
	ts.Check(err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	ts.Check(err)
	return resp.StatusCode, string(b)
}

func cmdFetch(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 1 {
		ts.Fatalf("usage: fetch PATH")
	}
	code, body := get(ts, args[0])
	ts.Stdout().Write([]byte(http.StatusText(code) + "\n" + body))
}

func cmdWaitFetch(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: waitfetch PATH REGEXP")
	}
	re := regexp.MustCompile(args[1])
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, body = get(ts, args[0])
		if re.MatchString(body) != neg {
			return
		}
	}
	ts.Fatalf("%s: body never matched %q (neg %v); last body:\n%s\nserver log:\n%s", args[0], args[1], neg, body, server(ts).out.String())
}

func cmdWaitLog(ts *testscript.TestScript, neg bool, args []string) {
	if neg {
		ts.Fatalf("! waitlog is not supported: a log line that has not appeared yet may still come; wait for a line written after it instead")
	}
	if len(args) != 1 {
		ts.Fatalf("usage: waitlog REGEXP")
	}
	re, err := regexp.Compile(args[0])
	ts.Check(err)
	r := server(ts)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if end, ok := matchLines(re, r.out.String(), r.logMark); ok {
			r.logMark = end
			return
		}
	}
	log := r.out.String()
	ts.Fatalf("no line of the server log since the last waitlog matched %q; new lines:\n%s\nwhole log:\n%s", args[0], log[min(r.logMark, len(log)):], log)
}

// matchLines looks for the first complete line of log at or after from
// that re matches, and returns the offset just after that line.
func matchLines(re *regexp.Regexp, log string, from int) (int, bool) {
	for from < len(log) {
		n := strings.IndexByte(log[from:], '\n')
		if n < 0 {
			return 0, false // a line still being written
		}
		if re.MatchString(log[from : from+n]) {
			return from + n + 1, true
		}
		from += n + 1
	}
	return 0, false
}

func cmdStopServe(ts *testscript.TestScript, neg bool, args []string) {
	r := server(ts)
	r.cancel()
	select {
	case code := <-r.done:
		r.done <- code
		ts.Stdout().Write([]byte(r.out.String()))
		if code != 0 {
			ts.Fatalf("handbook serve exited %d", code)
		}
	case <-time.After(10 * time.Second):
		ts.Fatalf("handbook serve did not stop")
	}
}

func TestMatchLines(t *testing.T) {
	const l1, l2, l3 = "build 1: 1 problems\n", "changed: a.md\n", "build 2: 1 problems\n"
	log := l1 + l2 + l3 + "build 3: 1 problems" // the last line is still being written
	re := regexp.MustCompile(`^build \d+: 1 problems$`)
	for _, c := range []struct {
		name      string
		from, end int
		ok        bool
	}{
		{"from the start", 0, len(l1), true},
		{"after build 1", len(l1), len(l1 + l2 + l3), true},
		{"after build 2: build 3 is not a whole line yet", len(l1 + l2 + l3), 0, false},
		{"at the end", len(log), 0, false},
	} {
		end, ok := matchLines(re, log, c.from)
		if ok != c.ok || end != c.end {
			t.Errorf("%s: matchLines from %d = %d, %v; want %d, %v", c.name, c.from, end, ok, c.end, c.ok)
		}
	}
}
