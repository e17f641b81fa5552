package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
	"github.com/handbook-dev/handbook/internal/searcheval"
)

const (
	qualityStartMarker = "<!-- benchcompare:quality:start -->"
	qualityEndMarker   = "<!-- benchcompare:quality:end -->"
)

// The quality task's own flags.
var (
	corpusFlag  = flag.String("corpus", "../shared/corpus", "the shared corpus the quality task builds its judged site from")
	queriesFlag = flag.String("queries", "", "quality task: measure this query file (as internal/searcheval/queries.tsv) instead of the judged set, and write no page")
)

// compareQuality measures how well handbook's search and Pagefind find
// what readers look for: the judged site of package searcheval is built
// from the corpus into work, Pagefind indexes the same output, and every
// judged query runs through both engines' JavaScript in one headless
// Chromium, one after the other in a tab per engine, the site served on
// 127.0.0.1. It prints the table of MRR@10 and success@1 by query type
// and the misses, and writes the table between the quality markers of
// the page at pagePath.
func compareQuality(work, pagePath string) error {
	start := time.Now()
	qs, from := searcheval.Queries(), "the judged set (internal/searcheval/queries.tsv)"
	if *queriesFlag != "" {
		f, err := os.Open(*queriesFlag)
		if err != nil {
			return err
		}
		qs, err = searcheval.Parse(f, *queriesFlag)
		f.Close()
		if err != nil {
			return err
		}
		from = *queriesFlag
	}
	if len(qs) == 0 {
		return fmt.Errorf("no queries in %s", from)
	}
	pagefind, err := ensurePagefind(work)
	if err != nil {
		return err
	}
	chromium, err := browsertest.Find()
	if err != nil {
		return err
	}
	ctx := context.Background()
	fmt.Fprintf(os.Stderr, "quality: building the judged site from %s…\n", *corpusFlag)
	s, err := searcheval.Build(ctx, *corpusFlag, filepath.Join(work, "quality"))
	if err != nil {
		return err
	}
	if out, err := exec.Command(pagefind, "--site", s.Out, "--quiet").CombinedOutput(); err != nil {
		return fmt.Errorf("pagefind: %v\n%s", err, out)
	}
	cases, err := s.Cases(qs)
	if err != nil {
		// Mistakes in the judged set: the other queries are measured.
		fmt.Fprintf(os.Stderr, "quality: %v\n", err)
	}
	srv := s.Serve()
	defer srv.Close()
	browser, cancel, err := startChromium(chromium, work)
	if err != nil {
		return err
	}
	defer cancel()

	var reports []searcheval.Report
	for _, e := range []struct {
		name   string
		ranker func(context.Context, string) (searcheval.Ranker, error)
	}{{"handbook", searcheval.HandbookRanker}, {"Pagefind", searcheval.PagefindRanker}} {
		t0 := time.Now()
		tab, closeTab := chromedp.NewContext(browser)
		rank, err := e.ranker(tab, srv.URL)
		if err != nil {
			closeTab()
			return err
		}
		results, err := searcheval.Rank(ctx, cases, rank)
		closeTab()
		if err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
		r := searcheval.Score(e.name, cases, results)
		fmt.Fprintf(os.Stderr, "quality: %s ran %d queries in %v; first result not wanted (%d):\n%s", e.name, len(cases), time.Since(t0).Round(time.Millisecond), len(r.Misses), indent(r.MissList()))
		reports = append(reports, r)
	}
	pfVersion := strings.TrimPrefix(version(pagefind, "--version"), "pagefind ")
	table := reports[0].Table(reports[1:]...) + fmt.Sprintf("\n%d judged queries; MRR@10 is the mean of 1/rank of the first wanted page among the first ten results (0 when none), S@1 the share with a wanted page first. "+
		"Both engines answer in the browser through their JavaScript API (handbook's `window.handbookSearch.query`, Pagefind %s's `search`) on the same built site, which marks its main content `data-pagefind-body`. "+
		"A Pagefind result links to the section of its sub-result with the most matched words (its UI lists sub-results only when asked to). "+
		"The site marks no Pagefind filters, so Pagefind gets facet queries without their facets (`kind:runbook crashloop` as `crashloop`).\n", len(cases), pfVersion)
	fmt.Println(table)
	fmt.Fprintf(os.Stderr, "quality: %v in all\n", time.Since(start).Round(time.Second))
	if *queriesFlag != "" {
		return nil
	}
	return writeQuality(pagePath, table)
}

// writeQuality replaces the part of the benchmark page between the
// quality markers with the table, dated.
func writeQuality(pagePath, table string) error {
	old, err := os.ReadFile(pagePath)
	if err != nil {
		return fmt.Errorf("benchmark page: %w", err)
	}
	i, j := bytes.Index(old, []byte(qualityStartMarker)), bytes.Index(old, []byte(qualityEndMarker))
	if i < 0 || j < i {
		return fmt.Errorf("benchmark page %s has no %s … %s markers", pagePath, qualityStartMarker, qualityEndMarker)
	}
	var b bytes.Buffer
	b.Write(old[:i+len(qualityStartMarker)])
	fmt.Fprintf(&b, "\n\nMeasured on %s with `make bench-quality`, handbook at commit %s.\n\n", time.Now().UTC().Format("2006-01-02"), version("git", "rev-parse", "--short", "HEAD"))
	b.WriteString(table)
	b.WriteString("\n")
	b.Write(old[j:])
	return os.WriteFile(pagePath, b.Bytes(), 0o644)
}

// indent indents every line of s by a tab.
func indent(s string) string {
	if s == "" {
		return ""
	}
	return "\t" + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n\t") + "\n"
}
