// Command gensite writes a generated handbook for benchmarks (see package
// sitegen), and with -commits makes it a git repository with that many
// commits of history (sitegen.GitHistory).
//
// Usage:
//
//	gensite [-n 1000] [-seed 1] [-out site] [-commits 0]
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
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *out, *n, *seed, *commits); err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, out string, n int, seed uint64, commits int) error {
	if err := sitegen.Generate(out, n, seed); err != nil {
		return err
	}
	if commits > 0 {
		return sitegen.GitHistory(ctx, out, commits, seed)
	}
	return nil
}
