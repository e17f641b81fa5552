// Package benchprofile writes a CPU profile of part of a benchmark: the
// edits a benchmark times, without the whole build or load that comes
// before them, which a profile of the whole run (-cpuprofile) would be
// mostly of.
package benchprofile

import (
	"os"
	"runtime/pprof"
	"testing"
)

// Env names the file the profile is written to; unset, nothing is.
const Env = "HANDBOOK_EDITPROFILE"

// Start starts profiling the CPU into the file Env names, when it names
// one, until the benchmark ends.
func Start(b testing.TB) {
	name := os.Getenv(Env)
	if name == "" {
		return
	}
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		b.Fatal(err)
	}
	b.Cleanup(func() { pprof.StopCPUProfile(); f.Close() })
}
