package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestScripts runs the CLI as a user would, from testdata/script/*.txtar.
//
// Commands added to testscript's:
//
//	hb CODE args...   run handbook in-process and expect exit code CODE
//	cmpdir A B        the two folders hold the same files, byte for byte
//	snapshot DIR F    write a listing of DIR's files and their contents' sizes to F
var update = flag.Bool("update", false, "rewrite the cmp files of failing scripts")

func TestScripts(t *testing.T) {
	runScripts(t, "testdata/script", nil)
}

// runScripts runs the scripts of dir with hb, cmpdir and snapshot, and
// the extra commands given.
func runScripts(t *testing.T, dir string, extra map[string]func(ts *testscript.TestScript, neg bool, args []string)) {
	// hb runs handbook in this process, so the fixed build time goes into
	// the process's environment; every script uses the same value.
	os.Setenv("SOURCE_DATE_EPOCH", sourceDateEpoch)
	cmds := map[string]func(ts *testscript.TestScript, neg bool, args []string){
		"hb":       cmdHB,
		"cmpdir":   cmdCmpdir,
		"snapshot": cmdSnapshot,
	}
	for name, f := range extra {
		cmds[name] = f
	}
	testscript.Run(t, testscript.Params{
		Dir:           dir,
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("SOURCE_DATE_EPOCH", sourceDateEpoch)
			return nil
		},
		Cmds: cmds,
	})
}

// sourceDateEpoch is the time every script runs at: 2026-11-18.
const sourceDateEpoch = "1795000000"

func cmdHB(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 1 {
		ts.Fatalf("usage: hb CODE args...")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("hb: bad exit code %q", args[0])
	}
	var stdout, stderr bytes.Buffer
	// The script's working directory is the site unless -C says otherwise.
	full := append([]string{"-C", ts.Getenv("WORK")}, args[1:]...)
	code := run(context.Background(), full, &stdout, &stderr)
	ts.Stdout().Write(stdout.Bytes())
	ts.Stderr().Write(stderr.Bytes())
	if (code == want) == neg {
		ts.Fatalf("handbook %v exited %d, want %d\nstdout:\n%s\nstderr:\n%s", args[1:], code, want, stdout.String(), stderr.String())
	}
}

func listFiles(root string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.Walk(root, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files, err
}

func cmdCmpdir(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: cmpdir A B")
	}
	a, err := listFiles(ts.MkAbs(args[0]))
	ts.Check(err)
	b, err := listFiles(ts.MkAbs(args[1]))
	ts.Check(err)
	var diffs []string
	for name, da := range a {
		db, ok := b[name]
		switch {
		case !ok:
			diffs = append(diffs, "only in "+args[0]+": "+name)
		case !bytes.Equal(da, db):
			diffs = append(diffs, "differs: "+name)
		}
	}
	for name := range b {
		if _, ok := a[name]; !ok {
			diffs = append(diffs, "only in "+args[1]+": "+name)
		}
	}
	if len(a) == 0 {
		diffs = append(diffs, args[0]+" is empty")
	}
	if (len(diffs) == 0) == neg {
		ts.Fatalf("cmpdir %s %s: %v", args[0], args[1], diffs)
	}
}

func cmdSnapshot(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: snapshot DIR FILE")
	}
	files, err := listFiles(ts.MkAbs(args[0]))
	ts.Check(err)
	var b bytes.Buffer
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sortStrings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "%s %x\n", n, files[n])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[1]), b.Bytes(), 0o644))
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
