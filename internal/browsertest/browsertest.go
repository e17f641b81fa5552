// Package browsertest finds and starts the headless Chromium that
// handbook's browser tests drive through chromedp. It is imported only by
// tests.
//
// A test calls Chromium(t) first: without a browser the test is skipped,
// unless HANDBOOK_REQUIRE_BROWSER=1 (set by make test, whose setup installs
// Debian's chromium), in which case it fails. HANDBOOK_CHROMIUM names the
// browser binary to use instead of looking for one.
package browsertest

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Chromium returns the browser to run, or skips (or, when
// HANDBOOK_REQUIRE_BROWSER=1, fails) the test. Browser tests are skipped
// in -short mode unless required.
func Chromium(t testing.TB) string {
	t.Helper()
	require := os.Getenv("HANDBOOK_REQUIRE_BROWSER") == "1"
	if testing.Short() && !require {
		t.Skip("browser test skipped in -short mode")
	}
	p, err := Find()
	if err != nil {
		if require {
			t.Fatalf("HANDBOOK_REQUIRE_BROWSER=1 but %v", err)
		}
		t.Skipf("browser test skipped: %v; install the chromium package or set HANDBOOK_CHROMIUM to the browser binary", err)
	}
	return p
}

// Find returns $HANDBOOK_CHROMIUM, else the first Chromium or Chrome on
// the PATH.
func Find() (string, error) {
	if p := os.Getenv("HANDBOOK_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("HANDBOOK_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	names := []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no Chromium found (looked for $HANDBOOK_CHROMIUM, %s)", strings.Join(names, ", "))
}
