// Command handbook turns a folder of Markdown runbooks, decision records,
// postmortems, tool evaluations and guides into a checked, cross-linked
// static site.
//
// Usage:
//
//	handbook [-C dir] [--config file] [--quiet] <command> [flags]
//
// Commands:
//
//	build    build the site into a folder (default public/), swapped in whole
//	check    check the site without writing it: text, json, sarif or github output
//	diff     what a branch changes in the handbook: pages, links it breaks, new findings
//	import   write pages from another tool's radar, decision log or docs (internal/importer)
//	init     start a handbook, or write the handbook.yaml of existing Markdown
//	new      write a new page from its kind's template (next ADR number, today's date)
//	serve    preview the site from memory, rebuilt and reloaded as files change
//	version  print the version
//
// Each command is one file holding one struct whose Run(ctx, args) parses
// the command's flags, reads the configuration (config.go, the only code
// that knows handbook.yaml) and calls the packages that do the work. build
// and check run the one pipeline of internal/build: build all of it, check
// without rendering, with --external adding the check of links to other
// sites (external.go, internal/extlink). check's baseline (baseline.go,
// over lint.Baseline) is the findings a site accepted for now: --baseline
// write records them all in .handbook-baseline.json, and while that file
// exists only the findings it does not hold are reported. diff (diff.go,
// over internal/sitediff) loads the site twice, as it is and as a git
// revision had it (read out of git into a temporary folder), and reports
// what changed between them. serve wires
// internal/preview's loop (watch, rebuild with build.Live, publish) to
// internal/serve's HTTP server.
//
// Exit codes, which main maps errors to: 0 fine, 1 problems found or the
// build failed (errProblems, or any other error), 2 wrong usage or an
// unreadable config (usageError).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/metrics"
	"runtime/pprof"
	"syscall"
	"time"
)

// usageError is wrong usage: a bad flag, an unknown command, a bad config.
// It exits 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// errProblems reports that content problems were found and printed. It
// exits 1 with nothing more to say.
var errProblems = errors.New("problems found")

// globals are the flags every command takes.
type globals struct {
	dir    string
	config string
	quiet  bool
	stdout io.Writer
	stderr io.Writer
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.dir, "C", g.dir, "run as if started in `dir`")
	fs.StringVar(&g.config, "config", g.config, "read the configuration from `file` (default handbook.yaml in the site folder)")
	fs.BoolVar(&g.quiet, "quiet", g.quiet, "print only problems")
}

const usage = `handbook turns a folder of Markdown into a checked, cross-linked handbook site.

Usage:
  handbook [-C dir] [--config file] [--quiet] <command> [flags]

Commands:
  build      build the site into a folder (default public/)
  check      check the site without writing it (text, json, sarif or github output)
  diff       what a branch changes in the handbook: pages, links it breaks, new findings
  import     pages from a radar CSV/JSON, an AOE radar, an adr-tools or log4brains log, a MkDocs or Docusaurus site
  init       start a handbook: examples of each kind, or a config for existing Markdown
  new        write a new page from its kind's template: handbook new adr "Use Kafka"
  serve      preview the site, rebuilding and reloading the browser as files change
  sources    the repositories handbook.yaml takes folders from: list, update their pins
  version    print the version

Run "handbook <command> -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if p := os.Getenv("HANDBOOK_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			_ = pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	peak := heapAtPeak(os.Getenv("HANDBOOK_PEAKPROFILE"))
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	pprof.StopCPUProfile()
	peak()
	if p := os.Getenv("HANDBOOK_MEMPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	stop()
	os.Exit(code)
}

// run is main without the process: it returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	g := &globals{dir: ".", stdout: stdout, stderr: stderr}
	top := flag.NewFlagSet("handbook", flag.ContinueOnError)
	top.SetOutput(io.Discard)
	g.register(top)
	if err := top.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "handbook: %v\n\n%s", err, usage)
		return 2
	}
	rest := top.Args()
	if len(rest) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var cmd interface {
		Run(ctx context.Context, args []string) error
	}
	switch rest[0] {
	case "build":
		cmd = &buildCommand{g: g}
	case "check":
		cmd = &checkCommand{g: g}
	case "diff":
		cmd = &diffCommand{g: g}
	case "import":
		cmd = &importCommand{g: g}
	case "init":
		cmd = &initCommand{g: g}
	case "new":
		cmd = &newCommand{g: g}
	case "serve":
		cmd = &serveCommand{g: g}
	case "sources":
		cmd = &sourcesCommand{g: g}
	case "version":
		cmd = &versionCommand{g: g}
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "handbook: unknown command %q\n\n%s", rest[0], usage)
		return 2
	}
	err := cmd.Run(ctx, rest[1:])
	var ue *usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "handbook %s: %v\n", rest[0], err)
		return 2
	case errors.Is(err, errProblems):
		return 1
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(stderr, "handbook %s: interrupted; the previous output was kept\n", rest[0])
		return 1
	}
	fmt.Fprintf(stderr, "handbook %s: %v\n", rest[0], err)
	return 1
}

// parseFlags parses a command's flags, which include the global ones.
func parseFlags(fs *flag.FlagSet, g *globals, args []string, help string) error {
	g.register(fs)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(g.stdout, help)
			fs.SetOutput(g.stdout)
			fs.PrintDefaults()
			return err
		}
		return usagef("%v (see handbook %s -h)", err, fs.Name())
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q (see handbook %s -h)", fs.Arg(0), fs.Name())
	}
	return nil
}

// heapAtPeak, for a file name, samples the live heap while the command
// runs and keeps the heap profile of its highest point, which it writes
// to the file when the returned function is called: where a command's
// memory goes at its peak, not at its end. For no name it does nothing.
func heapAtPeak(name string) func() {
	if name == "" {
		return func() {}
	}
	stop := make(chan struct{})
	done := make(chan []byte)
	go func() {
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		var most uint64
		var best []byte
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				done <- best
				return
			case <-tick.C:
			}
			metrics.Read(sample)
			if live := sample[0].Value.Uint64(); live > most+most/20 {
				most = live
				var b bytes.Buffer
				if pprof.Lookup("heap").WriteTo(&b, 0) == nil {
					best = b.Bytes()
				}
			}
		}
	}()
	return func() {
		close(stop)
		if b := <-done; b != nil {
			_ = os.WriteFile(name, b, 0o644)
		}
	}
}
