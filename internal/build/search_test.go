package build_test

import (
	"context"
	"slices"
	"testing"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// TestServicesAreSearched: the page generated for each service is in the
// search index, and a search for the service's name finds it first.
func TestServicesAreSearched(t *testing.T) {
	dir := t.TempDir()
	pages := map[string]string{
		"content/runbooks/refunds.md": "---\ntitle: Refunds stuck\nservices: [payments]\nowner: team-pay\nlast_reviewed: 2026-11-01\n---\nWhen payments refunds stop, the payments queue is full.\n",
		"content/runbooks/cards.md":   "---\ntitle: Card payments declined\nservices: [payments]\nowner: team-pay\nlast_reviewed: 2026-11-01\n---\nPayments fail when the acquirer is down.\n",
		"content/adr/0001-ledger.md":  "---\ntitle: Use a ledger for payments\nstatus: accepted\ndate: 2026-01-01\nservices: [payments, ledger]\n---\nPayments are written to the ledger.\n",
		"content/guides/payments.md":  "---\ntitle: Payments in production\n---\nHow payments flow.\n",
		"content/guides/ledger.md":    "---\ntitle: Ledger\n---\nThe ledger service keeps every movement.\n",
	}
	writeTree(t, dir, pages)
	res, err := build.Run(context.Background(), build.Options{Site: site.DefaultConfig(dir)})
	if err != nil {
		t.Fatal(err)
	}
	files := res.Output
	_, terms, recs, err := search.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	at := slices.IndexFunc(recs, func(r search.Record) bool { return r.URL == "services/payments/" })
	if at < 0 {
		t.Fatalf("no record of the payments service page among %d", len(recs))
	}
	if r := recs[at]; r.Title != "payments" || r.Kind != "service" || r.Excerpt != "Everything about payments: 2 runbooks, 1 ADR." {
		t.Errorf("service record %+v", r)
	}
	if !slices.ContainsFunc(recs, func(r search.Record) bool { return r.URL == "services/ledger/" }) {
		t.Error("no record of the ledger service page")
	}
	// The service page is found by its name, but it is a generated
	// listing: a page of the handbook with the same title ranks above it.
	score := func(term, url string) int {
		for _, p := range terms[search.Term(term)].Docs {
			if recs[p.Doc].URL == url {
				return p.Score
			}
		}
		return 0
	}
	if score("payments", "services/payments/") <= 0 {
		t.Error("payments does not find the service page")
	}
	if guide, service := score("ledger", "guides/ledger/"), score("ledger", "services/ledger/"); guide <= service {
		t.Errorf("ledger scores %d on the page titled Ledger, %d on the generated service page: want the page first", guide, service)
	}
	if _, ok := files["/services/payments/index.html"]; !ok {
		t.Error("the service page itself is not built")
	}
}
