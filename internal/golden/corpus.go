package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// RequireCorpusEnv names the environment variable that makes a missing
// shared corpus a test failure rather than a skip: make test sets it to 1
// when ../shared/corpus exists, so that a test that stops finding its
// part of the corpus fails instead of silently skipping.
const RequireCorpusEnv = "HANDBOOK_REQUIRE_CORPUS"

// CorpusDir returns the path of elem under the shared corpus,
// ../shared/corpus beside the repository (the folder holding go.mod above
// the test's working directory). When that path does not exist, the test
// is skipped, or fails when HANDBOOK_REQUIRE_CORPUS=1.
func CorpusDir(tb testing.TB, elem ...string) string {
	tb.Helper()
	dir, err := corpusPath(elem...)
	if err == nil {
		_, err = os.Stat(dir)
	}
	if err != nil {
		MissingCorpus(tb, "%v", err)
	}
	return dir
}

// MissingCorpus ends a test that lacks its part of the shared corpus: a
// failure when HANDBOOK_REQUIRE_CORPUS=1, else a skip. It is for tests
// that find the corpus missing in another way than CorpusDir does (a
// folder there, but not the files they need).
func MissingCorpus(tb testing.TB, format string, args ...any) {
	tb.Helper()
	if os.Getenv(RequireCorpusEnv) == "1" {
		tb.Fatalf("shared corpus required ("+RequireCorpusEnv+"=1) but missing: "+format, args...)
	}
	tb.Skipf("shared corpus not available (set "+RequireCorpusEnv+"=1 to fail instead): "+format, args...)
}

// corpusPath is ../shared/corpus/elem... from the repository's root.
func corpusPath(elem ...string) (string, error) {
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(append([]string{dir, "..", "shared", "corpus"}, elem...)...), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod in %s or above it", wd)
		}
		dir = parent
	}
}
