package search_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/handbook-dev/handbook/internal/browsertest"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/search"
)

// The theme's files that the browser tests load.
const (
	themeStatic = "../../themes/default/static"
	baseLayout  = "../../themes/default/layouts/base.html"
	corpusDir   = "../../../shared/corpus"
)

// trickyWords exercise the special cases of the Snowball English
// stemmer: its exception lists, the gener/commun/arsen prefixes, y between
// vowels, apostrophes (words of FORMAT.md have none, but stem takes any
// string), short words and non-ASCII letters.
var trickyWords = strings.Fields(`
	generously generous generate general generation communism community communicate communication
	arsenal arsenals arsenic dying lying tying skies skis sky skying news innings inning cannings canning
	outing outings herring herrings earring earrings proceed proceeds proceeding exceed exceeded succeed
	succeeded howe atlas cosmos bias andes idly gently ugly early only singly sayings saying enjoying
	enjoyed enjoys employ employing toys boys yes youth yelling yield eyes ayyy yyy yyyy yay ties cries
	dies cried spied flies flying fly hopping hoped hoping luxuriating agreed feed feeds bleed bleeding
	controlled generically electricity sensational formalize hopelessly happily cheerfully apology
	analogy biology typology fullness consign consigned consigning consignment consist kneel knees
	agreement argument abominable abbreviated caresses ponies cats caress hoping sized filing
	e'er 'tis team's teams' dog's' 's s' ' '' '''s o'clock y'all yo
	a an be by is it us ss sss ies ied ing ed eed edly eedly ingly
	naïve café ångström привет 日本語 𝐀𝐁𝐂𝐝𝐞𝐬 k8s 12ab 3rd x86_64
`)

// foldSamples are strings whose folding is easy to get wrong.
var foldSamples = []string{
	"Zürich", "Straße", "STRASSE", "CAFÉ crème", "Ærøskøbing", "ÆØÅ æøå", "Łódź", "ĐÞÐ đþð", "İstanbul", "ıi",
	"e\u0301t\u00e9", "ΟΔΟΣ οδός", "ﬁle ﬂow", "Ǆemal", "ẞ", "Ⅻ ½ ²", "\u212a\u212b", "ｆｕｌｌｗｉｄｔｈ",
	"한국어 日本語", "🙂smile", "𝐀𝐁𝐂", "Привет, МИР", "don’t won't", "Ŀl ŉ", "\u0301\u0301", "a\u200db",
}

// vocabulary returns the distinct words of the corpus Markdown files,
// split and folded as FORMAT.md says, with trickyWords, and some lines of
// text for fold. Without the corpus it returns trickyWords alone.
func vocabulary(t *testing.T) (words, lines []string) {
	t.Helper()
	seen := map[string]bool{}
	add := func(w string) {
		if !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	}
	for _, w := range trickyWords {
		add(w)
	}
	lines = slices.Clone(foldSamples)
	if _, err := os.Stat(corpusDir); err != nil {
		if os.Getenv(golden.RequireCorpusEnv) == "1" {
			t.Fatalf("no corpus at %s (%v), and %s=1 requires it", corpusDir, err, golden.RequireCorpusEnv)
		}
		t.Logf("no corpus at %s (%v): comparing the built-in words only", corpusDir, err)
		return words, lines
	}
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		search.Words(string(b), add)
		for i, l := range strings.Split(string(b), "\n") {
			if l = strings.TrimSpace(l); l != "" && (i%25 == 0 || strings.ContainsFunc(l, func(r rune) bool { return r > 0x7f })) {
				lines = append(lines, l)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("read the corpus: %v", err)
	}
	slices.Sort(words)
	return words, lines
}

func goStem(w string) string {
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	return env.Current()
}

// mismatches lists the first 20 differences between want and got, the
// results of Go and JavaScript for the inputs in.
func mismatches[T comparable](what string, in []string, want, got []T) (n int, list string) {
	var b strings.Builder
	for i := range in {
		if want[i] != got[i] {
			n++
			if n <= 20 {
				fmt.Fprintf(&b, "\n\t%s(%q): Go %#v, JavaScript %#v", what, in[i], want[i], got[i])
			}
		}
	}
	return n, b.String()
}

// fileServer serves files by path on the loopback interface and counts
// the requests of each path.
type fileServer struct {
	*httptest.Server
	mu    sync.Mutex
	files map[string][]byte
	hits  map[string]int
	// slow delays the answers for the paths it matches.
	slow func(path string) time.Duration
}

func serveFiles(t *testing.T, files map[string][]byte) *fileServer {
	t.Helper()
	s := &fileServer{files: files, hits: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		b, ok := s.files[r.URL.Path]
		slow := s.slow
		s.mu.Unlock()
		if slow != nil {
			time.Sleep(slow(r.URL.Path))
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		case strings.HasSuffix(r.URL.Path, ".json"):
			w.Header().Set("Content-Type", "application/json")
		case strings.HasSuffix(r.URL.Path, ".css"):
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(b)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *fileServer) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.hits)
}

func (s *fileServer) count(prefix string) map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]int{}
	for p, n := range s.hits {
		if strings.HasPrefix(p, prefix) {
			out[p] = n
		}
	}
	return out
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// browse opens a tab on url and waits for search.js to have run.
func browse(t *testing.T, chromium, url string) context.Context {
	t.Helper()
	tab, cancel := chromedp.NewContext(browsertest.Allocator(t, chromium))
	t.Cleanup(cancel)
	// The first action starts the browser and ties its life to its context:
	// the tab's own, with a watchdog rather than a timeout.
	watchdog := time.AfterFunc(60*time.Second, cancel)
	err := chromedp.Do(tab, chromedp.Navigate(url))
	if !watchdog.Stop() {
		err = fmt.Errorf("the browser did not start within 60s (%v)", err)
	}
	if err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
	waitFor(t, tab, "search.js loaded", `window.handbookSearch`)
	return tab
}

func navigate(t *testing.T, tab context.Context, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("navigate to %s: %v", url, err)
	}
	waitFor(t, tab, "search.js loaded", `window.handbookSearch`)
}

// eval evaluates expr in the tab, waiting for a promise, and decodes its
// value.
func eval[T any](t *testing.T, tab context.Context, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		if len(expr) > 200 {
			expr = expr[:200] + "…"
		}
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor waits until the JavaScript expression expr is truthy.
func waitFor(t *testing.T, tab context.Context, what, expr string) {
	t.Helper()
	var err error
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(tab, 5*time.Second)
		var ok bool
		ok, err = chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		cancel()
		if ok && err == nil {
			return
		}
	}
	html, _ := chromedp.Run(tab, chromedp.Evaluate[string](`(document.querySelector(".search") || document.body).outerHTML`))
	t.Fatalf("%s: %s never held (%v); search box:\n%s", what, expr, err, html)
}

func keys(t *testing.T, tab context.Context, k string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.KeyEvent(k)); err != nil {
		t.Fatalf("keys %q: %v", k, err)
	}
}

// slash presses "/" as a keyboard does: one keyDown event that carries its
// text, so that a handler cancelling it also stops the typing (KeyEvent
// sends the text in an event of its own, which nothing can cancel).
func slash(t *testing.T, tab context.Context) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 10*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		down := input.DispatchKeyEventParams{Type: input.DispatchKeyEventTypeKeyDown, Key: "/", Code: "Slash", Text: "/", UnmodifiedText: "/", WindowsVirtualKeyCode: 191, NativeVirtualKeyCode: 191}
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := down
		up.Type, up.Text, up.UnmodifiedText = input.DispatchKeyEventTypeKeyUp, "", ""
		_, err := chromedp.Call(ctx, input.DispatchKeyEvent, up)
		return err
	}))
	if err != nil {
		t.Fatalf("press /: %v", err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestStemAndFoldInBrowser runs search.js in headless Chromium and checks
// that its stemmer gives what Go's Snowball English stemmer gives for every
// word of the corpus, and that its fold and words agree with the index's.
// Without Chromium the test is skipped, unless HANDBOOK_REQUIRE_BROWSER=1.
func TestStemAndFoldInBrowser(t *testing.T) {
	chromium := browsertest.Chromium(t)
	words, lines := vocabulary(t)
	srv := serveFiles(t, map[string][]byte{
		"/":                 []byte(`<!doctype html><meta charset="utf-8"><title>stem</title><script src="/assets/search.js"></script>`),
		"/assets/search.js": readFile(t, filepath.Join(themeStatic, "search.js")),
	})
	tab := browse(t, chromium, srv.URL+"/")

	in, _ := json.Marshal(words)
	got := eval[[]string](t, tab, `(`+string(in)+`).map(w => window.handbookSearch.stem(w))`)
	want := make([]string, len(words))
	for i, w := range words {
		want[i] = goStem(w)
	}
	if len(got) != len(want) {
		t.Fatalf("JavaScript stemmed %d words of %d", len(got), len(want))
	}
	n, list := mismatches("stem", words, want, got)
	t.Logf("stem: %d words compared, %d mismatches", len(words), n)
	if n > 0 {
		t.Errorf("stem differs from Go's snowballstem/english for %d of %d words; the first ones:%s", n, len(words), list)
	}

	in, _ = json.Marshal(lines)
	type folded struct {
		Fold  string   `json:"fold"`
		Words []string `json:"words"`
	}
	gotF := eval[[]folded](t, tab, `(`+string(in)+`).map(s => ({fold: window.handbookSearch.fold(s), words: window.handbookSearch.words(s)}))`)
	wantFold, gotFold := make([]string, len(lines)), make([]string, len(lines))
	wantWords, gotWords := make([]string, len(lines)), make([]string, len(lines))
	for i, l := range lines {
		wantFold[i], gotFold[i] = search.Fold(l), gotF[i].Fold
		var ws []string
		search.Words(l, func(w string) { ws = append(ws, w) })
		wantWords[i], gotWords[i] = strings.Join(ws, " "), strings.Join(gotF[i].Words, " ")
	}
	n, list = mismatches("fold", lines, wantFold, gotFold)
	t.Logf("fold: %d strings compared, %d mismatches", len(lines), n)
	if n > 0 {
		t.Errorf("fold differs from search.Fold for %d of %d strings:%s", n, len(lines), list)
	}
	n, list = mismatches("words", lines, wantWords, gotWords)
	if n > 0 {
		t.Errorf("words differs from search.Words for %d of %d strings:%s", n, len(lines), list)
	}
}

// clientDocs is a small handbook for the client's query tests.
var clientDocs = []search.Doc{
	{URL: "/runbooks/db-failover/", Title: "Database failover", Kind: "runbook", KindLabel: "Runbooks", Tags: []string{"database"}, Services: []string{"payments"},
		Excerpt:  "When the primary database stops answering, promote the replica.",
		Headings: []search.Heading{{ID: "symptoms", Text: "Symptoms"}, {ID: "rollback", Text: "Roll back the deploy"}},
		Body: []search.Piece{
			{Section: 0, Text: "When the primary database stops answering, promote the replica."},
			{Section: 1, Text: "Connections time out. Latency rises."},
			{Section: 2, Text: "Roll back the last deploy with"},
			{Section: 2, Text: "kubectl rollout undo deploy/payments", Code: true},
		}},
	{URL: "/adr/0007-postgres/", Title: "Use PostgreSQL for payments", Kind: "adr", KindLabel: "ADRs", Status: "accepted", Services: []string{"payments"},
		Excerpt: "We chose PostgreSQL, the database of record for payments.",
		Body:    []search.Piece{{Text: "We chose PostgreSQL. The database of record for payments, in Zürich and Frankfurt."}}},
	{URL: "/adr/0008-kafka/", Title: "Use Kafka for events", Kind: "adr", KindLabel: "ADRs", Status: "proposed", Services: []string{"ledger"},
		Excerpt: "Kafka carries the ledger's events.",
		Body:    []search.Piece{{Text: "Kafka carries the ledger's events. A broker failover moves partitions."}}},
	{URL: "/guides/deploys/", Title: "How deploys work", Kind: "page", KindLabel: "Pages", Tags: []string{"deploys"},
		Excerpt: "A deploy rolls out gradually.",
		Body:    []search.Piece{{Text: "A deploy rolls out gradually. Failover of the database is covered elsewhere. Back, roll the dice."}}},
	{URL: "/postmortems/2026-03-outage/", Title: "Payments outage after a failover", Kind: "postmortem", KindLabel: "Postmortems", Status: "reviewed", Services: []string{"payments", "ledger"},
		Excerpt: "The database failover took forty minutes.",
		Body:    []search.Piece{{Text: "The database failover took forty minutes because the runbook was stale."}}},
}

// site serves an index under base with the theme's search box on every
// other page.
func siteFiles(t *testing.T, base string, docs []search.Doc) map[string][]byte {
	t.Helper()
	layout := string(readFile(t, baseLayout))
	box := regexp.MustCompile(`(?s)<div class="search".*?</div>\s*</div>`).FindString(layout)
	script := regexp.MustCompile(`<script src="[^"]*search\.js"[^>]*></script>`).FindString(layout)
	if box == "" || script == "" {
		t.Fatalf("%s has no search box or no search.js script", baseLayout)
	}
	r := strings.NewReplacer("{{.Site.BasePath}}", base, "{{$.Site.BasePath}}", base)
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>page</title>` +
		`<link rel="stylesheet" href="` + base + `assets/handbook.css"></head><body>` +
		`<header class="topbar"><a class="brand" href="` + base + `">Handbook</a>` + r.Replace(box) + `</header>` +
		`<main><h1>Page</h1><p id="ce" contenteditable="true">editable</p></main>` + r.Replace(script) + `</body></html>`
	files := map[string][]byte{
		base + "assets/search.js":    render.CompactJS(readFile(t, filepath.Join(themeStatic, "search.js"))), // as a build writes it
		base + "assets/handbook.css": readFile(t, filepath.Join(themeStatic, "handbook.css")),
		base + "page/":               []byte(page),
	}
	for _, d := range docs {
		files[strings.TrimSuffix(base, "/")+d.URL] = []byte(page)
	}
	for p, b := range search.Build(docs).Files() {
		files[strings.TrimSuffix(base, "/")+p] = b
	}
	return files
}

// result is what window.handbookSearch.query returns for a result.
type result struct {
	URL     string `json:"url"`
	Title   string `json:"title"`
	Kind    string `json:"kind"`
	Section int    `json:"section"`
	Heading string `json:"heading"`
}

func query(t *testing.T, tab context.Context, q string) []result {
	t.Helper()
	return eval[[]result](t, tab, `window.handbookSearch.query(`+jsString(q)+`)`)
}

// urls returns the results' links without the highlighting they carry
// (?hl=…), which TestHighlightLinks checks.
func urls(rs []result) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, hlParam.ReplaceAllString(r.URL, ""))
	}
	return out
}

var hlParam = regexp.MustCompile(`\?hl=[^#]*`)

// reference ranks documents for plain words the simple way, from the
// index read back: every word required, each scoring its best of Term(w)
// and w, summed.
func reference(t *testing.T, files map[string][]byte, base, q string) []string {
	t.Helper()
	idx := map[string][]byte{}
	for p, b := range files {
		if rest, ok := strings.CutPrefix(p, strings.TrimSuffix(base, "/")+"/search/"); ok {
			idx["/search/"+rest] = b
		}
	}
	_, terms, recs, err := search.Read(idx)
	if err != nil {
		t.Fatal(err)
	}
	var scores map[int]int
	search.Words(q, func(w string) {
		tm := search.Term(w)
		if tm == "" {
			return
		}
		best := map[int]int{}
		for _, alt := range []string{tm, w} {
			for _, p := range terms[alt].Docs {
				best[p.Doc] = max(best[p.Doc], p.Score)
			}
		}
		if scores == nil {
			scores = best
			return
		}
		for d, s := range scores {
			if b, ok := best[d]; ok {
				scores[d] = s + b
			} else {
				delete(scores, d)
			}
		}
	})
	var docs []int
	for d := range scores {
		docs = append(docs, d)
	}
	slices.SortFunc(docs, func(a, b int) int { return cmp.Or(cmp.Compare(scores[b], scores[a]), cmp.Compare(a, b)) })
	out := []string{}
	for _, d := range docs {
		out = append(out, base+recs[d].URL)
	}
	return out
}

// TestSearchClientInBrowser runs queries through search.js against an
// index built by Build, then drives the search box with the keyboard.
func TestSearchClientInBrowser(t *testing.T) {
	chromium := browsertest.Chromium(t)
	const base = "/hb/"
	files := siteFiles(t, base, clientDocs)
	var docs []search.Doc // many pages: frequent terms get a bitset
	for i := range 3000 {
		text := "some words here"
		switch {
		case i%12 == 0:
			text += " common common common rare"
		case i%4 == 0:
			text += " common"
		}
		docs = append(docs, search.Doc{URL: fmt.Sprintf("/p%04d/", i), Title: fmt.Sprintf("Page %d", i), Kind: "page", KindLabel: "Pages", Body: []search.Piece{{Text: text}}})
	}
	for p, b := range siteFiles(t, "/big/", docs) {
		files[p] = b
	}
	// The same pages as base, their index with a chunk directory.
	restore := search.SetFlatChunks(0)
	for p, b := range siteFiles(t, "/dirs/", clientDocs) {
		files[p] = b
	}
	restore()
	if !bytes.Contains(files["/dirs/search/entry.json"], []byte(`"dirs":`)) {
		t.Fatal("/dirs/ has no chunk directory")
	}
	srv := serveFiles(t, files)
	tab := browse(t, chromium, srv.URL+base+"page/")

	// The entry is fetched once the page is idle; the rest waits for a query.
	waitFor(t, tab, "the entry fetched while idle", `performance.getEntriesByType("resource").some(e => e.name.endsWith("/search/entry.json"))`)
	time.Sleep(300 * time.Millisecond)
	for p := range srv.count(base + "search/") {
		if p != base+"search/entry.json" {
			t.Errorf("%s was fetched before the search box was used", p)
		}
	}

	const (
		runbook = base + "runbooks/db-failover/"
		adr7    = base + "adr/0007-postgres/"
		adr8    = base + "adr/0008-kafka/"
		guide   = base + "guides/deploys/"
		pm      = base + "postmortems/2026-03-outage/"
	)
	t.Run("queries", func(t *testing.T) {
		for _, q := range []string{"failover", "database failover", "deploying", "kubectl", "zurich", "payments database", "the database"} {
			want := reference(t, files, base, q)
			got := urls(query(t, tab, q+" "))
			for i, u := range got {
				got[i], _, _ = strings.Cut(u, "#") // the reference knows no sections
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q: %q, want %q", q, got, want)
			}
		}
		failover := reference(t, files, base, "failover")
		for _, tc := range []struct {
			q    string
			want []string
			same bool // same documents as want, in any order
		}{
			{q: "failo", want: failover, same: true},               // prefix
			{q: "kubec", want: []string{runbook + "#rollback"}},    // prefix of code
			{q: "kubec ", want: nil},                               // a space ends the word: no prefix
			{q: "failovr ", want: failover, same: true},            // a typo
			{q: "kubectk ", want: []string{runbook + "#rollback"}}, // a typo of code
			{q: "fail ", want: nil},                                // under 5 letters: no typo
			{q: `"roll back"`, want: []string{runbook + "#rollback"}},
			{q: `"back roll"`, want: []string{guide}},
			{q: `"database failover"`, want: []string{pm, runbook}, same: true},
			{q: "database -postgresql", want: []string{runbook, guide, pm}, same: true},
			{q: `database -"roll back"`, want: []string{adr7, guide, pm}, same: true},
			{q: "kind:adr", want: []string{adr7, adr8}},
			{q: "kind:adr failover", want: []string{adr8}},
			{q: "kind:adr status:accepted", want: []string{adr7}},
			{q: "kind:adr kind:postmortem failover", want: []string{adr8, pm}, same: true},
			{q: "service:ledger", want: []string{adr8, pm}},
			{q: "failover -kind:runbook -service:payments", want: []string{adr8, guide}, same: true},
			{q: "kind:ad", want: []string{adr7, adr8}}, // a facet value being typed
			{q: "the ", want: nil},                     // stop words only
			{q: "", want: nil},
		} {
			got := urls(query(t, tab, tc.q))
			want := slices.Clone(tc.want)
			if want == nil {
				want = []string{}
			}
			if tc.same {
				slices.Sort(got)
				slices.Sort(want)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q: %q, want %q", tc.q, got, want)
			}
		}
		// An index of chunk directories answers alike.
		flat := map[string][]result{}
		asked := []string{"failover", "database failover", "failo", "kubec", "failovr ", "kubectk ", `"roll back"`, "kind:adr failover", "kind:ad", "payments datab"}
		for _, q := range asked {
			flat[q] = query(t, tab, q)
		}
		navigate(t, tab, srv.URL+"/dirs/page/")
		for _, q := range asked {
			got := query(t, tab, q)
			for i := range got {
				got[i].URL = strings.Replace(got[i].URL, "/dirs/", base, 1)
			}
			if !reflect.DeepEqual(got, flat[q]) {
				t.Errorf("%q with chunk directories: %+v, without: %+v", q, got, flat[q])
			}
		}
		navigate(t, tab, srv.URL+base+"page/")
		rs := query(t, tab, "kubectl")
		if len(rs) != 1 || rs[0].Section != 2 || rs[0].Heading != "Roll back the deploy" || rs[0].Kind != "runbook" || rs[0].Title != "Database failover" {
			t.Errorf("kubectl: %+v, want the runbook's section 2, Roll back the deploy", rs)
		}
	})

	t.Run("frequent terms", func(t *testing.T) {
		navigate(t, tab, srv.URL+"/big/page/")
		rs := query(t, tab, "common ")
		if len(rs) != 750 {
			t.Fatalf("common: %d results, want 750", len(rs))
		}
		// The pages saying it thrice come first, in page order.
		for i, r := range rs[:250] {
			if want := fmt.Sprintf("/big/p%04d/", 12*i); urls(rs[i : i+1])[0] != want {
				t.Fatalf("common: result %d is %s, want %s", i, r.URL, want)
			}
		}
		if n := len(query(t, tab, "common rare")); n != 250 {
			t.Errorf("common rare: %d results, want 250", n)
		}
		if n := len(query(t, tab, "common -rare")); n != 500 {
			t.Errorf("common -rare: %d results, want 500", n)
		}
		for p, n := range srv.count("/big/search/") {
			if n > 1 {
				t.Errorf("%s fetched %d times", p, n)
			}
		}
	})

	t.Run("stale answers are dropped", func(t *testing.T) {
		navigate(t, tab, srv.URL+"/big/page/")
		eval[bool](t, tab, `window.handbookSearch.query("zzz").then(() => true)`) // the entry and a chunk are cached
		later := regexp.MustCompile(`^/big/search/r([1-9]|\d\d+)\.`)
		srv.mu.Lock()
		srv.slow = func(p string) time.Duration {
			if later.MatchString(p) {
				return 700 * time.Millisecond // record files past the first group
			}
			return 0
		}
		srv.mu.Unlock()
		defer func() { srv.mu.Lock(); srv.slow = nil; srv.mu.Unlock() }()
		// "rare" needs records of many groups (slow); "0 rare" only page 0's.
		eval[bool](t, tab, `(() => {
			const i = document.querySelector(".search input");
			i.focus();
			i.value = "rare "; i.dispatchEvent(new Event("input"));
			setTimeout(() => { i.value = "0 rare "; i.dispatchEvent(new Event("input")); }, 50);
			return true;
		})()`)
		waitFor(t, tab, "the later query's results", `document.querySelectorAll(".search-result").length === 1`)
		time.Sleep(1500 * time.Millisecond)
		n := eval[int](t, tab, `document.querySelectorAll(".search-result").length`)
		if n != 1 {
			t.Errorf("%d results shown after the earlier, slower query answered; want the 1 of the later query", n)
		}
	})

	t.Run("results before records", func(t *testing.T) {
		// The chunks name the best documents of their terms: a one-word
		// query shows its titles without waiting for record files, whose
		// excerpts and sections follow.
		navigate(t, tab, srv.URL+base+"page/")
		records := regexp.MustCompile(`^` + base + `search/r\d+\.`)
		srv.mu.Lock()
		srv.slow = func(p string) time.Duration {
			if records.MatchString(p) {
				return 1500 * time.Millisecond
			}
			return 0
		}
		srv.mu.Unlock()
		defer func() { srv.mu.Lock(); srv.slow = nil; srv.mu.Unlock() }()
		keys(t, tab, "/")
		keys(t, tab, "kubectl")
		waitFor(t, tab, "the title", `document.querySelectorAll(".search-result").length === 1`)
		if got := eval[string](t, tab, `document.querySelector(".search-result .search-title").textContent + "|" + new URL(document.querySelector(".search-result").href).pathname + "|" + document.querySelectorAll(".search-excerpt").length`); got != "Database failover|"+runbook+"|0" {
			t.Errorf("first shown: %q, want the title and page, no excerpt yet", got)
		}
		waitFor(t, tab, "the record's excerpt and section", `document.querySelectorAll(".search-result .search-excerpt").length === 1 && new URL(document.querySelector(".search-result").href).hash === "#rollback"`)
		keys(t, tab, kb.Escape)
	})

	t.Run("search box", func(t *testing.T) {
		srv.reset()
		navigate(t, tab, srv.URL+base+"page/")
		input := `document.querySelector(".search input")`
		waitFor(t, tab, "box shown", `!document.querySelector(".search").hidden`)
		// "/" focuses the box, except while typing elsewhere.
		eval[bool](t, tab, `(document.getElementById("ce").focus(), true)`)
		slash(t, tab)
		waitFor(t, tab, `"/" typed in an editable element`, `document.activeElement.id === "ce" && document.getElementById("ce").textContent.includes("/")`)
		eval[bool](t, tab, `(document.activeElement.blur(), true)`)
		slash(t, tab)
		waitFor(t, tab, `"/" focuses the box, and is not typed in it`, `document.activeElement === `+input+` && `+input+`.value === ""`)
		keys(t, tab, "failover")
		waitFor(t, tab, "results", `document.querySelectorAll(".search-result").length === 4 && !document.querySelector(".search-results").hidden`)
		labels := eval[[]string](t, tab, `[...document.querySelectorAll(".search-group-label")].map(e => e.textContent)`)
		if !slices.Contains(labels, "Postmortems") || !slices.Contains(labels, "ADRs") || !slices.Contains(labels, "Runbooks") {
			t.Errorf("group labels %q, want the kinds' plurals", labels)
		}
		marks := eval[[]string](t, tab, `[...document.querySelectorAll(".search-results mark")].map(e => e.textContent.toLowerCase())`)
		if !slices.Contains(marks, "failover") {
			t.Errorf("marked %q, want failover", marks)
		}
		keys(t, tab, kb.ArrowDown)
		keys(t, tab, kb.ArrowDown)
		waitFor(t, tab, "second result active", input+`.getAttribute("aria-activedescendant") === document.querySelectorAll("[role=option]")[1].id && document.querySelectorAll("[role=option]")[1].getAttribute("aria-selected") === "true"`)
		keys(t, tab, kb.ArrowUp)
		waitFor(t, tab, "first result active", input+`.getAttribute("aria-activedescendant") === document.querySelectorAll("[role=option]")[0].id`)
		keys(t, tab, kb.Escape)
		waitFor(t, tab, "Escape clears and closes", input+`.value === "" && document.querySelector(".search-results").hidden`)

		keys(t, tab, "zzzqqq ")
		waitFor(t, tab, "no results", `!document.querySelector(".search-empty").hidden && document.querySelector(".search-empty").textContent === "No results"`)
		keys(t, tab, kb.Escape)

		// A kind chip adds its facet to the query, and takes it away.
		keys(t, tab, "database")
		waitFor(t, tab, "results", `document.querySelectorAll(".search-result").length === 4`)
		eval[bool](t, tab, `([...document.querySelectorAll(".search-chip")].find(b => b.textContent === "ADRs").click(), true)`)
		waitFor(t, tab, "chip filters", input+`.value === "kind:adr database" && document.querySelectorAll(".search-result").length === 1`)
		eval[bool](t, tab, `([...document.querySelectorAll(".search-chip")].find(b => b.textContent === "ADRs").click(), true)`)
		waitFor(t, tab, "chip toggles", input+`.value === "database" && document.querySelectorAll(".search-result").length === 4`)
		keys(t, tab, kb.Escape)

		// Enter opens the first result, at its section.
		keys(t, tab, "kubectl")
		waitFor(t, tab, "results", `document.querySelectorAll(".search-result").length === 1`)
		keys(t, tab, kb.Enter)
		waitFor(t, tab, "Enter opens the result", `location.pathname === "`+runbook+`" && location.hash === "#rollback"`)
		for p, n := range srv.count(base + "search/") {
			if n > 1 {
				t.Errorf("%s fetched %d times", p, n)
			}
		}
	})
}
