package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/lint"
)

// TestRules runs one fixture per rule, testdata/rules/<rule-id>.txtar: a
// site on which the rule fires, with the exact findings expected, and a
// variant on which it stays silent. Scripts have the commands of
// TestScripts and:
//
//	writebytes PATH QUOTED   write a Go-quoted string's bytes to PATH (NUL bytes, invalid UTF-8)
//	httpserve                start a web server on 127.0.0.1 for --external and set $SERVER to its URL:
//	                         /ok 200, /moved → /ok, /gone 404, /forbidden 403, /busy 429 (Retry-After: 3600)
//	expand SRC DST           copy SRC to DST with $SERVER replaced by the server's URL, $SERVER2
//	                         by the same server as http://localhost:port (another host)
func TestRules(t *testing.T) {
	runScripts(t, "testdata/rules", map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"writebytes": cmdWriteBytes,
		"httpserve":  cmdHTTPServe,
		"expand":     cmdExpand,
	})
}

func cmdWriteBytes(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: writebytes PATH QUOTED")
	}
	b, err := strconv.Unquote(args[1])
	ts.Check(err)
	ts.Check(os.MkdirAll(filepath.Dir(ts.MkAbs(args[0])), 0o755))
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(b), 0o644))
}

// TestRuleFixturesComplete fails when a rule of the catalog has no
// fixture, or a fixture never names its rule.
func TestRuleFixturesComplete(t *testing.T) {
	for _, r := range lint.Catalog() {
		name := filepath.Join("testdata", "rules", r.ID+".txtar")
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Errorf("rule %s has no fixture: %v", r.ID, err)
			continue
		}
		found := strings.Contains(string(a.Comment), " "+r.ID+":")
		for _, f := range a.Files {
			found = found || strings.Contains(string(f.Data), " "+r.ID+":")
		}
		if !found {
			t.Errorf("%s never shows a finding of %s", name, r.ID)
		}
	}
}

func cmdHTTPServe(ts *testscript.TestScript, neg bool, args []string) {
	mux := http.NewServeMux()
	mux.HandleFunc("/ok", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) })
	mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/ok", http.StatusMovedPermanently) })
	mux.HandleFunc("/gone", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/forbidden", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no robots", http.StatusForbidden) })
	mux.HandleFunc("/busy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "3600")
		http.Error(w, "slow down", http.StatusTooManyRequests)
	})
	srv := httptest.NewServer(mux)
	ts.Defer(srv.Close)
	ts.Setenv("SERVER", srv.URL)
	// The same server under another host name: limits and Retry-After
	// pauses are per host.
	ts.Setenv("SERVER2", strings.Replace(srv.URL, "127.0.0.1", "localhost", 1))
}

func cmdExpand(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 || neg {
		ts.Fatalf("usage: expand SRC DST")
	}
	b, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	out := strings.ReplaceAll(string(b), "$SERVER2", ts.Getenv("SERVER2"))
	out = strings.ReplaceAll(out, "$SERVER", ts.Getenv("SERVER"))
	ts.Check(os.MkdirAll(filepath.Dir(ts.MkAbs(args[1])), 0o755))
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(out), 0o644))
}
