// Command gensite writes a generated handbook for benchmarks (see package
// sitegen): pages shaped like real handbooks', with the findings real
// content has unless -clean, and with -commits makes it a git repository
// with that many commits of history (sitegen.GitHistory).
//
// Usage:
//
//	gensite [-n 1000] [-seed 1] [-out site] [-clean] [-commits 0]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

func main() {
	n := flag.Int("n", 1000, "number of pages")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "site", "output folder")
	commits := flag.Int("commits", 0, "make the output a git repository with this many commits (0: no repository)")
	clean := flag.Bool("clean", false, "leave out the findings (broken links, stale runbooks, placeholders…)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *out, sitegen.Options{Pages: *n, Seed: *seed, Clean: *clean}, *commits); err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string, opts sitegen.Options, commits int) error {
	if err := sitegen.Write(out, opts); err != nil {
		return err
	}
	if commits > 0 {
		return sitegen.GitHistory(ctx, out, commits, opts.Seed)
	}
	return nil
}
