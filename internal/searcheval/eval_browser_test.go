package searcheval

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/browsertest"
	"github.com/handbook-dev/handbook/internal/golden"
)

// floor is the least a query type's measures may be.
type floor struct{ mrr, s1 float64 }

// qualityFloors are the least MRR@10 and success@1 handbook's search must
// reach on the judged set of queries.tsv, by query type and overall: the
// values measured when they were set, rounded down to the 0.05 below.
// Whoever improves ranking raises them to the new figures, so that a
// later change that loses what was won fails here.
var qualityFloors = map[string]floor{
	// Set 2026-12-02 on 398 queries, after the ranking of issue 20; types
	// measured at 1.00 keep 0.95, so that one judged miss does not fail.
	"title":      {mrr: 0.95, s1: 0.95}, // measured 1.000, 1.000
	"prefix":     {mrr: 0.95, s1: 0.95}, // measured 0.981, 0.981
	"typo":       {mrr: 0.95, s1: 0.95}, // measured 0.992, 0.985
	"typo2":      {mrr: 0.95, s1: 0.95}, // measured 0.982, 0.964
	"alert":      {mrr: 0.95, s1: 0.95}, // measured 1.000, 1.000
	"error":      {mrr: 0.85, s1: 0.75}, // measured 0.881, 0.786
	"identifier": {mrr: 0.85, s1: 0.80}, // measured 0.875, 0.846 (0.884, 0.865 before the last index changes: one query moved to rank 2)
	"question":   {mrr: 0.45, s1: 0.40}, // measured 0.483, 0.412
	"facet":      {mrr: 0.95, s1: 0.95}, // measured 1.000, 1.000
	"overall":    {mrr: 0.90, s1: 0.85}, // measured 0.905, 0.884
}

// queriesEnv names a query file to measure instead of queries.tsv, for
// trying queries out: its table and misses are logged, and the floors,
// which are for queries.tsv, are not applied.
const queriesEnv = "HANDBOOK_SEARCHEVAL_QUERIES"

// TestSearchQuality builds the judged site from the shared corpus, runs
// every judged query through the theme's search in headless Chromium, one
// after the other in one tab, logs the measures by query type and the
// queries whose wanted page did not come first, and fails when a type
// falls below its floor in qualityFloors.
func TestSearchQuality(t *testing.T) {
	corpus := golden.CorpusDir(t)
	for _, f := range Folders {
		golden.CorpusDir(t, f)
	}
	chromium := browsertest.Chromium(t)
	qs, floors := Queries(), qualityFloors
	if name := os.Getenv(queriesEnv); name != "" {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if qs, err = Parse(f, name); err != nil {
			t.Fatal(err)
		}
		floors = nil
	}
	if len(qs) == 0 {
		t.Skip("no judged queries yet in queries.tsv")
	}

	s, err := Build(t.Context(), corpus, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	cases, err := s.Cases(qs)
	if err != nil {
		t.Error(err) // a mistake in the judged set; the rest is measured
	}
	srv := s.Serve()
	defer srv.Close()
	tab, cancel := chromedp.NewContext(browsertest.Allocator(t, chromium))
	defer cancel()
	rank, err := HandbookRanker(tab, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	results, err := Rank(t.Context(), cases, rank)
	if err != nil {
		t.Fatal(err)
	}
	r := Score("handbook", cases, results)
	t.Logf("%d queries:\n%s", len(cases), r.Table())
	t.Logf("first result not wanted (%d):\n%s", len(r.Misses), r.MissList())
	// The floors today's figures allow, for whoever raises them.
	var allowed strings.Builder
	for _, m := range append(r.Types, r.Overall) {
		fmt.Fprintf(&allowed, "\t%-13s {mrr: %.2f, s1: %.2f}, // measured %.3f, %.3f\n", strconv.Quote(m.Type)+":", floorOf(m.MRR), floorOf(m.S1), m.MRR, m.S1)
	}
	t.Logf("floors these figures allow:\n%s", allowed.String())
	if floors == nil {
		return
	}
	for _, m := range append(r.Types, r.Overall) {
		f, ok := floors[m.Type]
		switch {
		case !ok:
			t.Errorf("%s: no floor in qualityFloors (measured MRR@10 %.3f, S@1 %.3f)", m.Type, m.MRR, m.S1)
		case m.MRR < f.mrr-1e-9 || m.S1 < f.s1-1e-9:
			t.Errorf("%s: MRR@10 %.3f, S@1 %.3f; the floor is %.2f, %.2f", m.Type, m.MRR, m.S1, f.mrr, f.s1)
		}
	}
}

// floorOf rounds a measure down to the 0.05 below it.
func floorOf(x float64) float64 { return math.Floor(x*20+1e-9) / 20 }
