package search_test

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/handbook-dev/handbook/internal/pack"
	"github.com/handbook-dev/handbook/internal/search"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Zürich":         "zurich",
		"Straße":         "strasse",
		"CAFÉ crème":     "cafe creme",
		"Ærøskøbing":     "aeroskobing",
		"Łódź":           "lodz",
		"e\u0301t\u00e9": "ete",
		"İstanbul":       "istanbul",
	} {
		if got := search.Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func words(s string) []string {
	var out []string
	search.Words(s, func(w string) { out = append(out, w) })
	return out
}

func TestWords(t *testing.T) {
	got := words("Don't roll-back the DB_HOST in Zürich, café! (v2.1)")
	want := []string{"dont", "roll", "back", "the", "db", "host", "in", "zurich", "cafe", "v2", "1"}
	if !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}

func TestTerm(t *testing.T) {
	for in, want := range map[string]string{
		"running":     "run",
		"deployments": "deploy",
		"the":         "",
		"k8s":         "k8s",
		"db":          "db",
		"failover":    "failov",
		"generously":  "generous",
	} {
		if got := search.Term(in); got != want {
			t.Errorf("Term(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIdentifiers(t *testing.T) {
	var got []string
	search.Identifiers("kubectl rollout undo deploy/api --to-revision=2; SET max_connections", func(id string, whole bool) {
		if !whole {
			id = "(" + id + ")"
		}
		got = append(got, id)
	})
	want := []string{"kubectl", "rollout", "undo", "deploy", "api", "to", "revision", "2", "set", "max_connections", "(max)", "(connections)"}
	if !slices.Equal(got, want) {
		t.Errorf("Identifiers = %q, want %q", got, want)
	}
}

// corpus is a small fixed handbook for ranking.
var corpus = []search.Doc{
	{URL: "/runbooks/db-failover/", Title: "Database failover", Kind: "runbook", KindLabel: "Runbooks", Tags: []string{"database"}, Services: []string{"payments"},
		Headings: []search.Heading{{"symptoms", "Symptoms"}, {"rollback", "Roll back the deploy"}},
		Body: []search.Piece{
			{Section: 0, Text: "When the primary database stops answering, promote the replica."},
			{Section: 1, Text: "Connections time out. Latency rises."},
			{Section: 2, Text: "Roll back the last deploy with"},
			{Section: 2, Text: "kubectl rollout undo deploy/payments", Code: true},
		}},
	{URL: "/adr/0007-postgres/", Title: "Use PostgreSQL for payments", Kind: "adr", KindLabel: "ADRs", Status: "accepted", Services: []string{"payments"},
		Body: []search.Piece{{Text: "We chose PostgreSQL. The database of record for payments, in Zürich and Frankfurt."}}},
	{URL: "/guides/deploys/", Title: "How deploys work", Kind: "page", KindLabel: "Pages", Tags: []string{"deploys"},
		Body: []search.Piece{{Text: "A deploy rolls out gradually. Failover of the database is covered elsewhere."}}},
	{URL: "/postmortems/2026-03-outage/", Title: "Payments outage after a failover", Kind: "postmortem", KindLabel: "Postmortems", Status: "reviewed", Services: []string{"payments", "ledger"},
		Body: []search.Piece{{Text: "The database failover took forty minutes because the runbook was stale."}}},
}

// rank evaluates a query of terms over an index read back, the simple way
// (every term required, scores summed), and returns the URLs best first.
func rank(t *testing.T, files map[string][]byte, query string) []string {
	t.Helper()
	_, terms, recs, err := search.Read(files)
	if err != nil {
		t.Fatal(err)
	}
	scores := map[int]int{}
	first := true
	for _, q := range strings.Fields(query) {
		var ps search.Postings
		if strings.Contains(q, ":") {
			ps = terms[q]
		} else {
			var term string
			search.Words(q, func(w string) { term = search.Term(w) })
			ps = terms[term]
			if len(ps.Docs) == 0 {
				ps = terms[search.Fold(q)] // code, unstemmed
			}
		}
		next := map[int]int{}
		for _, p := range ps.Docs {
			if s, ok := scores[p.Doc]; ok || first {
				next[p.Doc] = s + p.Score
			}
		}
		scores, first = next, false
	}
	docs := make([]int, 0, len(scores))
	for d := range scores {
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b int) int {
		if c := cmp.Compare(scores[b], scores[a]); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	var out []string
	for _, d := range docs {
		out = append(out, "/"+recs[d].URL)
	}
	return out
}

func TestRanking(t *testing.T) {
	files := search.Build(corpus).Files()
	for _, tc := range []struct {
		query string
		want  []string
	}{
		// Title matches come first, the shortest title first, then the
		// body alone.
		{"failover", []string{"/runbooks/db-failover/", "/postmortems/2026-03-outage/", "/guides/deploys/"}},
		// A page's own title finds it first.
		{"database failover", []string{"/runbooks/db-failover/", "/postmortems/2026-03-outage/", "/guides/deploys/"}},
		// Stemming: "deploys", "deploy" and "deploying" are one term.
		{"deploying", []string{"/guides/deploys/", "/runbooks/db-failover/"}},
		// Code is found as written.
		{"kubectl", []string{"/runbooks/db-failover/"}},
		{"rollout", []string{"/runbooks/db-failover/"}},
		// Folding: "Zurich" finds "Zürich".
		{"zurich", []string{"/adr/0007-postgres/"}},
		// Facets filter.
		{"database kind:adr", []string{"/adr/0007-postgres/"}},
		{"service:ledger", []string{"/postmortems/2026-03-outage/"}},
		{"status:accepted", []string{"/adr/0007-postgres/"}},
	} {
		if got := rank(t, files, tc.query); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.query, got, tc.want)
		}
	}
}

// TestSections: a posting names the section where the term is most used,
// so that a result links to its heading.
func TestSections(t *testing.T) {
	_, terms, recs, err := search.Read(search.Build(corpus).Files())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range terms["kubectl"].Docs {
		if recs[p.Doc].URL == "runbooks/db-failover/" && p.Section != 2 {
			t.Errorf("kubectl: section %d, want 2 (Roll back the deploy)", p.Section)
		}
	}
	for _, p := range terms["latenc"].Docs {
		if p.Section != 1 {
			t.Errorf("latency: section %d, want 1 (Symptoms)", p.Section)
		}
	}
}

// TestFrequentTerms: a term in most documents keeps the best postings with
// their scores and a bitset of the rest, which still holds every document.
func TestFrequentTerms(t *testing.T) {
	var docs []search.Doc
	for i := range 3000 {
		text := "some words here"
		switch {
		case i%12 == 0:
			text += " common common common rare"
		case i%4 == 0:
			text += " common"
		}
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/p%04d/", i), Title: fmt.Sprintf("Page %d", i), Kind: "page", Body: []search.Piece{{Text: text}}})
	}
	ix := search.Build(docs)
	_, terms, _, err := search.Read(ix.Files())
	if err != nil {
		t.Fatal(err)
	}
	c := terms["common"]
	if c.DF != 750 || len(c.Docs) != 750 {
		t.Fatalf("common: df %d, %d docs, want 750", c.DF, len(c.Docs))
	}
	scored := 0
	for _, p := range c.Docs {
		if p.Scored {
			scored++
		} else if p.Doc%12 == 0 {
			t.Errorf("doc %d lost its score, but it says common thrice: it is among the best", p.Doc)
		} else if p.Score != c.Rest {
			t.Errorf("doc %d: score %d, want rest %d", p.Doc, p.Score, c.Rest)
		}
	}
	if scored != 256 {
		t.Errorf("%d scored postings, want 256", scored)
	}
	if r := terms["rare"]; len(r.Docs) != 250 || !r.Docs[0].Scored {
		t.Errorf("rare: %d docs, want 250 with scores", len(r.Docs))
	}
}

// TestUpdate: updating documents gives the index a whole build of the new
// documents gives, whatever the cut into chunks.
func TestUpdate(t *testing.T) {
	ix := search.Build(corpus)
	before := ix.Files()["/search/entry.json"]
	changed := corpus[2]
	changed.Body = []search.Piece{{Text: "Deploys now roll out with Argo. kubectl is no longer used."}, {Text: "argocd app sync", Code: true}}
	if !ix.Update([]search.Doc{changed}) {
		t.Fatal("Update refused a known document")
	}
	if string(before) == string(ix.Files()["/search/entry.json"]) {
		t.Error("entry unchanged")
	}
	next := slices.Clone(corpus)
	next[2] = changed
	for _, d := range againstWhole(t, ix, next) {
		t.Error(d)
	}
	_, got, _, err := search.Read(ix.Files())
	if err != nil {
		t.Fatal(err)
	}
	if len(got["argocd"].Docs) != 1 || len(got["failov"].Docs) != 2 {
		t.Errorf("argocd %v, failover %v", got["argocd"], got["failov"])
	}
	if ix.Update([]search.Doc{{URL: "/nowhere/"}}) {
		t.Error("Update took an unknown document")
	}
	// Files no longer named in the entry are gone.
	e, _, _, _ := search.Read(ix.Files())
	named := map[string]bool{"/search/entry.json": true}
	for _, c := range e.Chunks {
		named["/search/"+c[1]] = true
		named["/search/"+strings.TrimSuffix(c[1], ".json")+".pos.json"] = true
	}
	for g, h := range e.Records {
		named[search.RecordFile(g, h)] = true
	}
	for p := range ix.Files() {
		if !named[p] {
			t.Errorf("stale file %s", p)
		}
	}
}

// TestWordForms: a query word looks up its stem (prose) and itself
// (code); both take the idf of the documents having either, so that a
// word rare in code but common in prose does not let a code block outrank
// a title. Update keeps the shared idf as Build computes it.
func TestWordForms(t *testing.T) {
	docs := []search.Doc{
		{URL: "/a/", Title: "Latency budget", Kind: "page", Body: []search.Piece{{Text: "How much latency we allow."}}},
		{URL: "/b/", Title: "Queue depth", Kind: "page", Body: []search.Piece{{Text: "latency_ms = latency(p99)", Code: true}}},
	}
	for i := range 20 {
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/f%02d/", i), Title: fmt.Sprintf("Filler %d", i), Kind: "page", Body: []search.Piece{{Text: "Some latency here."}}})
	}
	score := func(files map[string][]byte, term, url string) int {
		t.Helper()
		_, terms, recs, err := search.Read(files)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range terms[term].Docs {
			if "/"+recs[p.Doc].URL == url {
				return p.Score
			}
		}
		t.Fatalf("%s has no %q", url, term)
		return 0
	}
	ix := search.Build(docs)
	title, code := score(ix.Files(), "latenc", "/a/"), score(ix.Files(), "latency", "/b/")
	if title <= code {
		t.Errorf("the title's latenc scores %d, the code block's latency %d: want the title first", title, code)
	}

	// Without the code form, the stem's idf is its own again.
	docs[1].Body = []search.Piece{{Text: "Messages wait."}}
	if !ix.Update(docs[1:2]) {
		t.Fatal("Update refused a known document")
	}
	want := search.Build(docs).Files()
	_, gotTerms, _, err := search.Read(ix.Files())
	if err != nil {
		t.Fatal(err)
	}
	_, wantTerms, _, _ := search.Read(want)
	if !reflect.DeepEqual(gotTerms, wantTerms) {
		t.Errorf("after Update, latenc %+v; a new Build has %+v", gotTerms["latenc"], wantTerms["latenc"])
	}
	if _, ok := gotTerms["latency"]; ok {
		t.Error("the code form is still indexed")
	}
	// And with it back, shared again.
	docs[1].Body = []search.Piece{{Text: "latency_ms = latency(p99)", Code: true}}
	ix.Update(docs[1:2])
	_, gotTerms, _, _ = search.Read(ix.Files())
	_, wantTerms, _, _ = search.Read(search.Build(docs).Files())
	if !reflect.DeepEqual(gotTerms, wantTerms) {
		t.Errorf("after Update, latenc %+v; a new Build has %+v", gotTerms["latenc"], wantTerms["latenc"])
	}
}

// TestStemOfStem: a stem may stem further ("release" is "releas", which
// is "relea"). When an update takes the stem in or out of a document, its
// code forms ("release" in code), whose idf is that of the documents
// having the stem or them, score as a whole build scores them.
func TestStemOfStem(t *testing.T) {
	if search.Term("release") != "releas" || search.Term("releas") != "relea" {
		t.Fatalf("release stems to %q, then %q: pick another word", search.Term("release"), search.Term("releas"))
	}
	docs := []search.Doc{
		{URL: "/a/", Title: "Helm", Kind: "page", Body: []search.Piece{{Text: "helm release list", Code: true}}},
		{URL: "/b/", Title: "Notes", Kind: "page", Body: []search.Piece{{Text: "Each release is tagged."}}},
	}
	for i := range 20 {
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/f%02d/", i), Title: fmt.Sprintf("Filler %d", i), Kind: "page", Body: []search.Piece{{Text: "Nothing here."}}})
	}
	ix := search.Build(docs)
	for _, text := range []string{"A release today.", "Nothing here."} {
		docs[5].Body = []search.Piece{{Text: text}}
		if !ix.Update(docs[5:6]) {
			t.Fatal("Update refused a known document")
		}
		_, got, _, err := search.Read(ix.Files())
		if err != nil {
			t.Fatal(err)
		}
		_, want, _, _ := search.Read(search.Build(docs).Files())
		for _, term := range []string{"release", "releas"} {
			if !reflect.DeepEqual(got[term], want[term]) {
				t.Errorf("after %q, %s: updated %+v, whole build %+v", text, term, got[term], want[term])
			}
		}
	}
}

// TestBuildStatic: a static index emits the files of an index kept to be
// updated, and stops emitting at emit's first error, which it returns.
func TestBuildStatic(t *testing.T) {
	docs := benchDocs(300)
	want := search.Build(docs).Files()
	var mu sync.Mutex
	got := map[string][]byte{}
	err := search.BuildStatic(docs, func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if _, twice := got[p]; twice {
			t.Errorf("%s emitted twice", p)
		}
		got[p] = b
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for p, b := range want {
		if !bytes.Equal(got[p], b) {
			t.Errorf("%s differs", p)
		}
	}
	// Documents whose bodies come from Text give the same files, and
	// each Text is called once.
	calls := make([]int, len(docs))
	lazy := slices.Clone(docs)
	for i := range lazy {
		if i%2 == 0 {
			body := lazy[i].Body
			lazy[i].Body = nil
			lazy[i].Text = func() []search.Piece {
				mu.Lock()
				calls[i]++
				mu.Unlock()
				return body
			}
		}
	}
	clear(got)
	if err := search.BuildStatic(lazy, func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		got[p] = b
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for p, b := range want {
		if !bytes.Equal(got[p], b) {
			t.Errorf("bodies from Text: %s differs", p)
		}
	}
	for i := 0; i < len(calls); i += 2 {
		if calls[i] != 1 {
			t.Errorf("document %d: Text called %d times", i, calls[i])
		}
	}
	full := errors.New("disk full")
	emitted := 0
	err = search.BuildStatic(docs, func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		emitted++
		if emitted >= 3 {
			return full
		}
		return nil
	})
	if err != full {
		t.Errorf("BuildStatic returned %v, want the emit's error", err)
	}
	// Workers already past the check may emit once more each.
	if emitted > 3+runtime.GOMAXPROCS(0)+1 {
		t.Errorf("%d files emitted after the error, of %d", emitted-3, len(want))
	}
}

// TestUpdateMatchesBuild: after each of a series of edits of generated
// documents (text, title, code, a document's text swapped with
// another's), an updated index holds what a whole build of the same
// documents holds. The index has frequent terms, whose best postings the
// edits move in and out of.
func TestUpdateMatchesBuild(t *testing.T) {
	docs := benchDocs(300)
	ix := search.Build(docs)
	edits := []func(i int, d *search.Doc){
		func(i int, d *search.Doc) {
			d.Body = append(slices.Clip(d.Body), search.Piece{Text: fmt.Sprint("Edit ", i, " zürich kubectl")})
		},
		func(i int, d *search.Doc) { d.Title += " Rollback" },
		func(i int, d *search.Doc) { d.Body = d.Body[:len(d.Body)/2] },
		func(i int, d *search.Doc) {
			o := docs[(i*7)%len(docs)]
			d.Headings, d.Body = o.Headings, o.Body
		},
		func(i int, d *search.Doc) {
			d.Body = append(slices.Clip(d.Body), search.Piece{Text: "max_connections = maxConnections(poolSize)", Code: true})
		},
	}
	for i := range 6 {
		var changed []search.Doc
		for k := range 1 + i%3 {
			j := (i*131 + k*17) % len(docs)
			edits[(i+k)%len(edits)](i, &docs[j])
			changed = append(changed, docs[j])
		}
		if !ix.Update(changed) {
			t.Fatal("Update refused a known document")
		}
		if d := againstWhole(t, ix, docs); len(d) > 0 {
			t.Fatalf("edit %d: %s", i, d[0])
		}
	}
}

// TestPostingBlocks: postings filed in small blocks, where the rarer
// terms' runs share a block with others' and the longer runs have blocks
// of their own, make the same files as postings filed in the default
// blocks; and an index so filed, updated with documents that gain the
// terms of others (rare ones among them), still matches a whole build: a
// posting added to a run moves it out rather than writing over the next
// run in its block.
func TestPostingBlocks(t *testing.T) {
	want := search.Build(benchDocs(300)).Files()
	for _, size := range []int{8, 1024} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			defer search.SetPostingBlock(size)()
			docs := benchDocs(300)
			ix := search.Build(docs)
			got := ix.Files()
			if len(got) != len(want) {
				t.Errorf("%d files, want %d", len(got), len(want))
			}
			for p, b := range want {
				if !bytes.Equal(got[p], b) {
					t.Errorf("%s differs", p)
				}
			}
			for i := range 4 {
				j, k := (i*97)%len(docs), (i*97+151)%len(docs)
				for _, piece := range docs[k].Body {
					piece.Section = 0 // docs[j]'s sections are its own
					docs[j].Body = append(slices.Clip(docs[j].Body), piece)
				}
				docs[j].Title += " " + docs[k].Title
				if !ix.Update([]search.Doc{docs[j]}) {
					t.Fatal("Update refused a known document")
				}
				if d := againstWhole(t, ix, docs); len(d) > 0 {
					t.Fatalf("edit %d: %s", i, d[0])
				}
			}
		})
	}
}

// againstWhole returns how the files of ix, updated, differ from those of
// a whole build of docs: terms whose postings differ, terms the updated
// index alone has, and the records.
func againstWhole(t *testing.T, ix *search.Index, docs []search.Doc) []string {
	t.Helper()
	_, want, wantRecs, err := search.Read(search.Build(docs).Files())
	if err != nil {
		t.Fatal(err)
	}
	_, got, gotRecs, err := search.Read(ix.Files())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for term, w := range want {
		if g, ok := got[term]; !ok || !reflect.DeepEqual(w, g) {
			out = append(out, fmt.Sprintf("term %q: updated %+v, whole build %+v", term, g, w))
		}
	}
	for term := range got {
		if _, ok := want[term]; !ok {
			out = append(out, fmt.Sprintf("term %q: in the updated index only", term))
		}
	}
	if !reflect.DeepEqual(wantRecs, gotRecs) {
		out = append(out, "updated records differ from a whole build's")
	}
	return out
}

// TestHeldPacksFiles: an index holds its files packed, in well under
// their size, each unpacking to the file Files gives; after an update,
// which reads the chunks it rewrites from their packed bytes, too.
func TestHeldPacksFiles(t *testing.T) {
	docs := benchDocs(300)
	ix := search.Build(docs)
	check := func(when string) {
		t.Helper()
		files, held, plain := ix.Files(), 0, 0
		if len(files) != len(ix.Held()) {
			t.Fatalf("%s: %d files, %d held", when, len(files), len(ix.Held()))
		}
		for p, b := range ix.Held() {
			got, err := pack.Unpack(nil, b)
			if err != nil || !bytes.Equal(got, files[p]) {
				t.Errorf("%s: %s held as bytes that unpack to %.40q (%v), not the file", when, p, got, err)
			}
			held, plain = held+len(b), plain+len(got)
		}
		if held*10 > plain*7 {
			t.Errorf("%s: the files are held in %d bytes for %d: not packed", when, held, plain)
		}
	}
	check("built")
	docs[7].Title, docs[7].Body = "Renamed page", []search.Piece{{Text: "A new paragraph about failover and replication lag."}}
	if !ix.Update(docs[7:8]) {
		t.Fatal("Update refused a known document")
	}
	check("updated")
	_, got, _, err := search.Read(ix.Files())
	if err != nil {
		t.Fatal(err)
	}
	_, want, _, _ := search.Read(search.Build(docs).Files())
	if !reflect.DeepEqual(got, want) {
		t.Error("after Update, the terms differ from a new Build's")
	}
}

// stoppedAfterAnalysis is a context whose Done never fires, so that the
// documents are analysed to the end, but whose Err says it is cancelled:
// what an index being built sees when the next save comes once its
// documents are analysed.
type stoppedAfterAnalysis struct{ context.Context }

func (stoppedAfterAnalysis) Err() error { return context.Canceled }

// TestBuildContextStopsAfterAnalysis: a preview's index whose context is
// done once its documents are analysed stops there, before its postings
// and chunks, and BuildContext says so; with a context that is not done,
// it is built whole.
func TestBuildContextStopsAfterAnalysis(t *testing.T) {
	if ix, err := search.BuildContext(stoppedAfterAnalysis{context.Background()}, corpus); ix != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("stopped after its analysis: %v, %v; want no index and context.Canceled", ix != nil, err)
	}
	ix, err := search.BuildContext(context.Background(), corpus)
	if err != nil || ix == nil || len(ix.Files()) == 0 {
		t.Fatalf("not stopped: %v, %v", ix != nil, err)
	}
}
