package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
	"github.com/handbook-dev/handbook/internal/search"
)

// TestOwnHandbookSearch builds the project's own handbook and, in headless
// Chromium, searches for every page's title with the theme's search script:
// the page itself must come first, or a page with the same title (as
// search compares titles: folded, so a generated tag listing "rules" gives
// way to the page "Rules").
func TestOwnHandbookSearch(t *testing.T) {
	chromium := browsertest.Chromium(t)
	out, _ := buildOwn(t)
	files := map[string][]byte{}
	err := filepath.WalkDir(filepath.Join(out, "search"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		files["/"+filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, _, records, err := search.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	key := func(title string) string { return strings.Join(strings.Fields(search.Fold(title)), " ") }
	byTitle := map[string][]string{}
	for _, r := range records {
		byTitle[key(r.Title)] = append(byTitle[key(r.Title)], "/"+r.URL)
	}

	srv := httptest.NewServer(http.FileServer(http.Dir(out)))
	defer srv.Close()
	tab, cancel := chromedp.NewContext(browsertest.Allocator(t, chromium))
	defer cancel()
	ctx, cancelCtx := context.WithTimeout(tab, 2*time.Minute)
	defer cancelCtx()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/docs/")); err != nil {
		t.Fatal(err)
	}
	titles, _ := json.Marshal(func() []string {
		var ts []string
		for _, r := range records {
			ts = append(ts, r.Title)
		}
		return ts
	}())
	// One evaluation runs every query, each as a reader would type it.
	script := `(async () => {
		const out = [];
		for (const q of ` + string(titles) + `) {
			const rs = await window.handbookSearch.query(q);
			out.push(rs.length ? new URL(rs[0].url, location.href).pathname : "");
		}
		return out;
	})()`
	firsts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](script, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if len(firsts) != len(records) {
		t.Fatalf("%d answers for %d titles", len(firsts), len(records))
	}
	misses := 0
	for i, r := range records {
		want := byTitle[key(r.Title)]
		if !slices.Contains(want, firsts[i]) {
			misses++
			t.Errorf("search for %q: first result %s, want %s", r.Title, firsts[i], strings.Join(want, " or "))
		}
	}
	t.Logf("%d of %d titles find their page first", len(records)-misses, len(records))
}
