// Command gensite writes a generated handbook for benchmarks (see package
// sitegen).
//
// Usage:
//
//	gensite [-n 1000] [-seed 1] [-out site]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

func main() {
	n := flag.Int("n", 1000, "number of pages")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "site", "output folder")
	flag.Parse()
	if err := sitegen.Generate(*out, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gensite:", err)
		os.Exit(1)
	}
}
