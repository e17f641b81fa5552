package main

import (
	"fmt"
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
// fixture, or its fixture never shows the rule firing: the first handbook
// run of the script whose output is checked (cmp stdout FILE, or stdout
// PATTERN) must expect a finding of the rule at its default severity,
// ": severity rule-id:". A mention in the script's comments, in a page of
// the site or in a file no check compares does not count.
func TestRuleFixturesComplete(t *testing.T) {
	for _, r := range lint.Catalog() {
		name := filepath.Join("testdata", "rules", r.ID+".txtar")
		a, err := txtar.ParseFile(name)
		if err != nil {
			t.Errorf("rule %s has no fixture: %v", r.ID, err)
			continue
		}
		if err := showsFinding(a, r.ID, r.Severity.String()); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// showsFinding reports why the script of a is not a proof that rule id
// fires with severity sev, or nil when it is: the first hb command whose
// stdout the script checks must be followed, before the next hb, by a
// cmp stdout FILE whose FILE holds ": sev id:" or a stdout PATTERN that
// holds it.
func showsFinding(a *txtar.Archive, id, sev string) error {
	want := ": " + sev + " " + id + ":"
	files := map[string]string{}
	for _, f := range a.Files {
		files[f.Name] = string(f.Data)
	}
	var run string // the hb command being checked
	var checks []string
lines:
	for _, line := range strings.Split(string(a.Comment), "\n") {
		args := scriptArgs(line)
		neg := len(args) > 0 && args[0] == "!"
		if neg {
			args = args[1:]
		}
		switch {
		case len(args) == 0:
		case args[0] == "hb" && len(checks) > 0:
			break lines // the first checked run is over
		case args[0] == "hb":
			run = strings.Join(args, " ")
		case run == "" || neg:
		case args[0] == "cmp" && len(args) == 3 && args[1] == "stdout":
			if strings.Contains(files[args[2]], want) {
				return nil
			}
			checks = append(checks, "cmp stdout "+args[2])
		case args[0] == "stdout" && len(args) >= 2:
			if strings.Contains(args[len(args)-1], want) {
				return nil
			}
			checks = append(checks, "stdout "+args[len(args)-1])
		}
	}
	if len(checks) == 0 {
		return fmt.Errorf("no handbook run whose output is checked; want one that shows %q", want)
	}
	return fmt.Errorf("the first checked run (%s) never shows a finding %q: it checks %s", run, want, strings.Join(checks, "; "))
}

// scriptArgs splits a line of a testscript into its words as testscript
// does for these scripts: spaces separate them, 'single quotes' keep
// spaces (two quotes in them stand for one), # starts a comment.
func scriptArgs(line string) []string {
	var args []string
	var cur strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '\'' && i+1 < len(line) && line[i+1] == '\'':
			cur.WriteByte('\'')
			i++
		case c == '\'':
			quoted, inWord = !quoted, true
		case quoted:
			cur.WriteByte(c)
		case c == '#' && !inWord:
			return args
		case c == ' ' || c == '\t':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args
}

// TestShowsFinding shows that TestRuleFixturesComplete fails on fixtures
// that do not prove their rule fires.
func TestShowsFinding(t *testing.T) {
	const (
		id   = "broken-link"
		sev  = "error"
		line = "content/index.md:4:5: error broken-link: link to gude.md: no such page\n"
	)
	for _, c := range []struct {
		name, script string
		files        map[string]string
		ok           bool
	}{
		{"want compared after the first run", "# broken-link: a rule.\nhb 1 check\ncmp stdout want\n", map[string]string{"want": line}, true},
		{"a pattern of the first run", "hb 1 check\nstdout '^content/index.md:4:5: error broken-link: link'\n", nil, true},
		{"a first run checked only for silence", "hb 0 check\n! stdout .\nhb 1 check --strict\nstdout 'index.md:4:5: error broken-link: x'\n", nil, true},
		{"only the header names it", "# broken-link: a link to nothing.\nhb 1 check\ncmp stdout want\n", map[string]string{"want": "content/index.md:4:5: error broken-anchor: no id\n"}, false},
		{"want never compared", "hb 1 check\nstdout 'problems'\n", map[string]string{"want": line}, false},
		{"a later run shows it, not the first", "hb 0 check\ncmp stdout empty\nhb 1 check\ncmp stdout want\n", map[string]string{"empty": "", "want": line}, false},
		{"another severity", "hb 1 check\ncmp stdout want\n", map[string]string{"want": "content/index.md:4:5: warning broken-link: x\n"}, false},
		{"a negated pattern", "hb 1 check\n! stdout 'error broken-link:'\n", nil, false},
		{"no run at all", "cmp want want\n", map[string]string{"want": line}, false},
		{"in a page, not in the output", "hb 1 check\ncmp stdout want\n", map[string]string{"want": "", "content/index.md": line}, false},
	} {
		a := &txtar.Archive{Comment: []byte(c.script)}
		for name, data := range c.files {
			a.Files = append(a.Files, txtar.File{Name: name, Data: []byte(data)})
		}
		if err := showsFinding(a, id, sev); (err == nil) != c.ok {
			t.Errorf("%s: showsFinding = %v, want ok %v", c.name, err, c.ok)
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
