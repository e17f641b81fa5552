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
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
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

// Allocator starts a headless browser for the test's lifetime, with the
// flags every test uses (no sandbox, no GPU, no proxy, no first-run, a
// fresh profile) and any extra options, and returns its context: make
// tabs from it with chromedp.NewContext.
func Allocator(t testing.TB, chromium string, extra ...chromedp.ExecAllocatorOption) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-proxy-server", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	ctx, cancel := chromedp.NewExecAllocator(t.Context(), append(opts, extra...)...)
	t.Cleanup(cancel)
	return ctx
}
