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
