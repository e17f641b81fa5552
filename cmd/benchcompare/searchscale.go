package main

import (
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/handbook-dev/handbook/internal/browsertest"
)

// scaleSearch measures what handbook's search downloads at a size where
// Pagefind's comparison would take too long (task search-scale, run only
// when named: -tasks search-scale -sizes 100000): the entry's size, and
// for each of searchQueries in headless Chromium with the cache disabled,
// the bytes of a cold query (pasted and typed) and the time to its
// results. It returns a Markdown table.
func scaleSearch(handbook, work, siteDir string, n int) (string, error) {
	chromium, err := browsertest.Find()
	if err != nil {
		return "", err
	}
	out := filepath.Join(work, fmt.Sprintf("out-scale-%d", n))
	defer os.RemoveAll(out)
	if err := buildInto(handbook, siteDir, out); err != nil {
		return "", err
	}
	entry, err := os.ReadFile(filepath.Join(out, "search", "entry.json"))
	if err != nil {
		return "", err
	}
	var gz strings.Builder
	w := gzip.NewWriter(&gz)
	w.Write(entry)
	w.Close()

	base, counter, browser, stop, err := browseCounted(out, chromium, work)
	if err != nil {
		return "", err
	}
	defer stop()
	var pasted, typed []searchResult
	for _, q := range searchQueries {
		counter.reset()
		h, err := handbookQuery(browser, base, q, false)
		if err != nil {
			return "", fmt.Errorf("handbook search %q: %w", q, err)
		}
		h.bytes = counter.sum("/search/", "/assets/search.js")
		counter.reset()
		ht, err := handbookQuery(browser, base, q, true)
		if err != nil {
			return "", fmt.Errorf("handbook search %q, typed: %w", q, err)
		}
		ht.bytes = counter.sum("/search/", "/assets/search.js")
		pasted, typed = append(pasted, h), append(typed, ht)
		fmt.Fprintf(os.Stderr, "  search %-24q handbook %5.1f KB %3d ms (typed: %5.1f KB %3d ms) %s\n", q, float64(h.bytes)/1024, h.latency.Milliseconds(), float64(ht.bytes)/1024, ht.latency.Milliseconds(), orNone(h.first))
	}
	hm, hx := medianKB(pasted)
	tm, tx := medianKB(typed)
	lm, lx := medianLatency(pasted)
	ltm, ltx := medianLatency(typed)
	var t strings.Builder
	fmt.Fprintf(&t, "| search, %d pages (handbook only) | figure |\n| --- | --- |\n", n)
	fmt.Fprintf(&t, "| index on disk | %.1f MB |\n", float64(folderSize(filepath.Join(out, "search")))/(1<<20))
	fmt.Fprintf(&t, "| entry file | %.1f KB, %.1f KB compressed |\n", float64(len(entry))/1024, float64(gz.Len())/1024)
	fmt.Fprintf(&t, "| bytes per cold query, median (max) of %d | %.1f KB (%.1f KB) |\n", len(searchQueries), hm, hx)
	fmt.Fprintf(&t, "| the same, typed a key at a time (every intermediate query counted) | %.1f KB (%.1f KB) |\n", tm, tx)
	fmt.Fprintf(&t, "| query entered at once → results shown, median (max) | %d ms (%d ms) |\n", lm.Milliseconds(), lx.Milliseconds())
	fmt.Fprintf(&t, "| last keystroke → results shown, typed (a key every %d ms) | %d ms (%d ms) |\n", keyGap.Milliseconds(), ltm.Milliseconds(), ltx.Milliseconds())
	return t.String(), nil
}
