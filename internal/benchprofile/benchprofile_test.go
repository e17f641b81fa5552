package benchprofile

import (
	"os"
	"path/filepath"
	"testing"
)

// TestStartWritesAProfile checks that Start profiles until the test that
// started it ends, into the file Env names, and does nothing without it.
func TestStartWritesAProfile(t *testing.T) {
	name := filepath.Join(t.TempDir(), "edits.prof")
	t.Setenv(Env, name)
	t.Run("profiled", func(t *testing.T) {
		Start(t)
		if _, err := os.Stat(name); err != nil {
			t.Fatalf("no profile file while profiling: %v", err)
		}
	})
	fi, err := os.Stat(name)
	if err != nil || fi.Size() == 0 {
		t.Fatalf("profile after the test: %v, %v", fi, err)
	}
	t.Setenv(Env, "")
	t.Run("unset", func(t *testing.T) { Start(t) })
	// A profile still running would make this one fail to start.
	t.Setenv(Env, filepath.Join(t.TempDir(), "again.prof"))
	t.Run("again", func(t *testing.T) { Start(t) })
}

// TestStartWritesAllocations checks that Start writes the profile of
// allocations as it starts (the base) and as the test ends, which shows
// what was allocated between them.
func TestStartWritesAllocations(t *testing.T) {
	name := filepath.Join(t.TempDir(), "allocs.prof")
	t.Setenv(AllocEnv, name)
	t.Setenv(Env, "")
	var keep [][]byte
	t.Run("profiled", func(t *testing.T) {
		Start(t)
		if _, err := os.Stat(name + ".base"); err != nil {
			t.Fatalf("no base profile once started: %v", err)
		}
		if _, err := os.Stat(name); err == nil {
			t.Fatal("the profile is written before the test ends")
		}
		for range 64 {
			keep = append(keep, make([]byte, 1<<20))
		}
	})
	if len(keep) != 64 {
		t.Fatal("allocations lost")
	}
	base, err := os.Stat(name + ".base")
	if err != nil {
		t.Fatal(err)
	}
	end, err := os.Stat(name)
	if err != nil || end.Size() == 0 || base.Size() == 0 {
		t.Fatalf("profiles: %v, %v", end, err)
	}
}
