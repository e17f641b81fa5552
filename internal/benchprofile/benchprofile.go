// Package benchprofile writes a CPU profile, and a profile of what was
// allocated, of part of a benchmark: the edits a benchmark times, without
// the whole build or load that comes before them, which a profile of the
// whole run (-cpuprofile, -memprofile) would be mostly of.
package benchprofile

import (
	"os"
	"runtime/pprof"
	"testing"
)

// Env names the file the profile is written to; unset, nothing is.
const Env = "HANDBOOK_EDITPROFILE"

// AllocEnv names the file the profile of allocations is written to, as
// the benchmark ends, with the same profile as it was at Start beside it
// (the name with ".base" added): `go tool pprof -sample_index=alloc_space
// -base NAME.base NAME` shows what the edits allocated. Unset, nothing
// is written.
const AllocEnv = "HANDBOOK_EDITALLOCS"

// Start starts profiling the CPU into the file Env names, when it names
// one, until the benchmark ends; and, when AllocEnv names a file, writes
// the profile of allocations now and as the benchmark ends.
func Start(b testing.TB) {
	if name := os.Getenv(AllocEnv); name != "" {
		writeAllocs(b, name+".base")
		b.Cleanup(func() { writeAllocs(b, name) })
	}
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

// writeAllocs writes the profile of allocations so far into the file
// name.
func writeAllocs(b testing.TB, name string) {
	f, err := os.Create(name)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}
