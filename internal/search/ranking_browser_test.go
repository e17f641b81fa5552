package search_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/browsertest"
	"github.com/handbook-dev/handbook/internal/search"
)

// rankingDocs is a small handbook where each query of TestRankingInBrowser
// has one page a reader wants and others that merely mention its words.
var rankingDocs = func() []search.Doc {
	docs := []search.Doc{
		{URL: "/runbooks/payments/fail-over-db/", Title: "Fail over the payments database", Kind: "runbook", KindLabel: "Runbooks",
			Body: []search.Piece{{Text: "Promote the replica when the primary stops answering."}}},
		{URL: "/postmortems/2026-01-failover/", Title: "Checkout outage in January", Kind: "postmortem", KindLabel: "Postmortems",
			Body: []search.Piece{{Text: "The failover took long. A second failover failed. Failover tooling was stale; the failover runbook was old."}}},
		{URL: "/runbooks/payments/db-down/", Title: "Payments database unreachable", Kind: "runbook", KindLabel: "Runbooks", Alerts: []string{"PaymentsDBDown"},
			Body: []search.Piece{{Text: "Check the connection pool first."}}},
		{URL: "/guides/alerts/", Title: "How alerts are named", Kind: "page", KindLabel: "Pages",
			Body: []search.Piece{{Text: "Alert names are CamelCase, like payments DB down for the database of payments."}}},
		{URL: "/runbooks/storage/cockroachdb-backups/", Title: "CockroachDB backups", Kind: "runbook", KindLabel: "Runbooks",
			Body: []search.Piece{{Text: "Backups run nightly."}}},
		{URL: "/runbooks/ci/gke-runner/", Title: "GKE runner pools", Kind: "runbook", KindLabel: "Runbooks",
			Body: []search.Piece{{Text: "The CI runner pools on GKE scale by queue length."}}},
		{URL: "/guides/ci/", Title: "Continuous integration", Kind: "page", KindLabel: "Pages",
			Body: []search.Piece{{Text: "Jobs run on a runner; some runners run on GKE, others inside Kubernetes."}}},
		{URL: "/guides/kubernetes/", Title: "Kubernetes at the company", Kind: "page", KindLabel: "Pages",
			Body: []search.Piece{{Text: "Every service runs on Kubernetes clusters."}}},
		{URL: "/runbooks/storage/postgres-locks/", Title: "Postgres lock waits", Kind: "runbook", KindLabel: "Runbooks",
			Body: []search.Piece{{Text: "Find the blocking query:"}, {Text: "SELECT pid, state FROM pg_stat_activity WHERE wait_event IS NOT NULL;", Code: true}}},
		{URL: "/guides/postgres-stats/", Title: "Postgres statistics", Kind: "page", KindLabel: "Pages",
			Body: []search.Piece{{Text: "The pg views give stat counters on activity of every table."}}},
		{URL: "/runbooks/kubernetes/alerts/", Title: "Alerts of the platform", Kind: "runbook", KindLabel: "Runbooks",
			Headings: []search.Heading{{ID: "kubepodcrashlooping", Text: "KubePodCrashLooping"}, {ID: "kubenodenotready", Text: "KubeNodeNotReady"}},
			Body:     []search.Piece{{Text: "One section per alert."}, {Section: 1, Text: "A pod restarts again and again."}, {Section: 2, Text: "A node stopped reporting ready."}}},
		{URL: "/guides/deploy/", Title: "Deploy", Kind: "page", KindLabel: "Pages", Body: []search.Piece{{Text: "Deploy pipeline, deploy pipeline, pipeline."}}},
		{URL: "/guides/deploy-pipeline/", Title: "Deploy pipeline", Kind: "page", KindLabel: "Pages", Body: []search.Piece{{Text: "Stages."}}},
		{URL: "/adr/0001-queues/", Title: "Use queues for refunds", Kind: "adr", KindLabel: "ADRs", Body: []search.Piece{{Text: "Refunds go through a queue."}}},
	}
	for i := range 3 {
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/runbooks/misc/r%d/", i), Title: fmt.Sprintf("Misc runbook %d", i), Kind: "runbook", KindLabel: "Runbooks",
			Body: []search.Piece{{Text: "The database is fine."}}})
	}
	return docs
}()

// TestRankingInBrowser: the queries readers type, with typos in any word
// (the unfinished one too), words written apart, pasted alert names and
// identifiers, find the page they want first, at the right section; a
// search can be scoped to the reader's folder; an empty result says what
// to try.
func TestRankingInBrowser(t *testing.T) {
	chromium := browsertest.Chromium(t)
	const base = "/hb/"
	files := siteFiles(t, base, rankingDocs)
	srv := serveFiles(t, files)
	tab := browse(t, chromium, srv.URL+base+"runbooks/payments/db-down/")

	for _, tc := range []struct{ q, want string }{
		{"cockroch", "runbooks/storage/cockroachdb-backups/"},                // an unfinished word missing a letter
		{"cokcroach", "runbooks/storage/cockroachdb-backups/"},               // a swap inside the unfinished word
		{"gke rnner", "runbooks/ci/gke-runner/"},                             // a typo in the last word
		{"gke rnner pools", "runbooks/ci/gke-runner/"},                       // … in a middle word
		{"gkee runner", "runbooks/ci/gke-runner/"},                           // … in a short first word
		{"kubernets", "guides/kubernetes/"},                                  // a letter missing
		{"kuebrnetse", "guides/kubernetes/"},                                 // two swaps in a long word
		{"failover", "runbooks/payments/fail-over-db/"},                      // one word in the query, two in the title
		{"fail over", "runbooks/payments/fail-over-db/"},                     // and the other way
		{"PaymentsDBDown", "runbooks/payments/db-down/"},                     // an alert name pasted
		{"paymentsdbdown", "runbooks/payments/db-down/"},                     // … lower case
		{"payments db down", "runbooks/payments/db-down/"},                   // … in words
		{"pg_stat_activity", "runbooks/storage/postgres-locks/"},             // an identifier
		{"KubeNodeNotReady", "runbooks/kubernetes/alerts/#kubenodenotready"}, // the section that names it
		{"kube node not ready", "runbooks/kubernetes/alerts/#kubenodenotready"},
		{"deploy pipeline", "guides/deploy-pipeline/"}, // the whole title over a page titled by its first word
		{"deplo", "guides/deploy/"},                    // a title starting with the word
	} {
		rs := urls(query(t, tab, tc.q))
		if len(rs) == 0 || rs[0] != base+tc.want {
			t.Errorf("%q: first %q, want %s", tc.q, rs, base+tc.want)
		}
	}

	// The result links name the words matched, corrected ones included.
	rs := query(t, tab, "gke rnner")
	if len(rs) == 0 || !strings.Contains(rs[0].URL, "?hl=gke+runner") {
		t.Errorf("gke rnner: links %v, want ?hl=gke+runner", rs)
	}

	// Scoped to the reader's part of the handbook.
	type ran struct {
		Total     int        `json:"total"`
		Fixed     [][]string `json:"fixed"`
		Suggest   string     `json:"suggest"`
		Relaxed   bool       `json:"relaxed"`
		Elsewhere *struct {
			All   int     `json:"all"`
			Kinds [][]any `json:"kinds"`
		} `json:"elsewhere"`
	}
	eval[bool](t, tab, `(handbookSearch.scope("/runbooks/"), true)`)
	scoped := query(t, tab, "database")
	for _, r := range scoped {
		if !strings.HasPrefix(r.URL, base+"runbooks/") {
			t.Errorf("database, scoped to /runbooks/: %s", r.URL)
		}
	}
	if len(scoped) < 4 {
		t.Errorf("database, scoped to /runbooks/: %d results", len(scoped))
	}
	if r := eval[ran](t, tab, `handbookSearch.run("refunds")`); r.Total != 0 || r.Elsewhere == nil || r.Elsewhere.All != 1 {
		t.Errorf("refunds, scoped: %+v, want nothing here and 1 in the whole handbook", r)
	}
	eval[bool](t, tab, `(handbookSearch.scope(""), true)`)
	if n := len(query(t, tab, "database")); n < 5 {
		t.Errorf("database, everywhere: %d results", n)
	}

	// The toggle in the box: the page is in /runbooks/, a section.
	const input = `document.querySelector("[data-handbook-search] input")`
	eval[bool](t, tab, `(`+input+`.focus(), true)`)
	keys(t, tab, "database")
	waitFor(t, tab, "results everywhere", `document.querySelectorAll(".search-result").length >= 5 && [...document.querySelectorAll(".search-result")].some(a => !a.pathname.startsWith("/hb/runbooks/"))`)
	waitFor(t, tab, "the scope toggle", `document.querySelectorAll(".search-scope-option").length === 2 && document.querySelectorAll(".search-scope-option")[1].textContent === "In Runbooks"`)
	eval[bool](t, tab, `(document.querySelectorAll(".search-scope-option")[1].click(), true)`)
	waitFor(t, tab, "results in Runbooks only", `document.querySelectorAll(".search-scope-option")[1].getAttribute("aria-pressed") === "true" && document.querySelectorAll(".search-result").length >= 4 && [...document.querySelectorAll(".search-result")].every(a => a.pathname.startsWith("/hb/runbooks/"))`)
	// Kept for the tab: the next page opens scoped to its own folder.
	navigate(t, tab, srv.URL+base+"runbooks/misc/r0/")
	eval[bool](t, tab, `(`+input+`.focus(), true)`)
	keys(t, tab, "refunds")
	waitFor(t, tab, "nothing in Runbooks, one in the whole handbook", `document.querySelector(".search-empty").textContent.includes("the whole handbook (1)")`)
	eval[bool](t, tab, `([...document.querySelectorAll(".search-suggest")].find(b => b.textContent.startsWith("the whole handbook")).click(), true)`)
	waitFor(t, tab, "the ADR, everywhere", `document.querySelectorAll(".search-result").length === 1 && document.querySelector(".search-result").pathname === "/hb/adr/0001-queues/"`)

	// No page has every word: those with most of them, and a correction
	// two edits away; nothing found: the kinds that have the words.
	if r := eval[ran](t, tab, `handbookSearch.run("gke rnunre")`); r.Total == 0 || !r.Relaxed || r.Suggest != "gke runner" {
		t.Errorf("gke rnunre: %+v, want the pages with gke, said so, and the suggestion gke runner", r)
	}
	if r := eval[ran](t, tab, `handbookSearch.run("zzyzx rnunre")`); r.Total != 0 || r.Suggest != "zzyzx runner" {
		t.Errorf("zzyzx rnunre: %+v, want no result and the suggestion zzyzx runner", r)
	}
	if r := eval[ran](t, tab, `handbookSearch.run("runner pools kubernetes")`); r.Total == 0 || !r.Relaxed {
		t.Errorf("runner pools kubernetes: %+v, want the pages with two of the three words", r)
	}
	if r := eval[ran](t, tab, `handbookSearch.run("kind:adr cockroachdb")`); r.Total != 0 || r.Elsewhere == nil || len(r.Elsewhere.Kinds) != 1 || r.Elsewhere.Kinds[0][0] != "runbook" {
		t.Errorf("kind:adr cockroachdb: %+v, want no result and runbooks having it", r)
	}
	if r := eval[ran](t, tab, `handbookSearch.run("failovr")`); r.Total == 0 || len(r.Fixed) != 1 || r.Fixed[0][1] != "failover" {
		t.Errorf("failovr: %+v, want results for failover, said so", r)
	}
}
