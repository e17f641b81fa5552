package render

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
	"github.com/handbook-dev/handbook/themes"
)

// fpState is a generated site as one edit left it: its renderer and every
// file it renders.
type fpState struct {
	name  string
	r     *Renderer
	files map[string]string
}

// fpStates edits a generated site in the ways authors do and loads and
// renders it after each edit. layouts, if any, are the site's own layouts
// (name → text), over the theme's.
func fpStates(t *testing.T, layouts map[string]string) []fpState {
	t.Helper()
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 150, 3); err != nil {
		t.Fatal(err)
	}
	for name, text := range layouts {
		p := filepath.Join(dir, "layouts", name+".html")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	one := func(pattern string) string {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		slices.Sort(m)
		if len(m) == 0 {
			t.Fatalf("no file matches %s", pattern)
		}
		return m[0]
	}
	runbook, adr, guide := one("runbooks/*/*.md"), one("content/adr/*.md"), one("content/guides/*/*.md")
	later := one("content/adr/*[0-9]2-*.md") // another ADR, not the first
	superseded := func() string {
		m, _ := filepath.Glob(filepath.Join(dir, "content/adr/*.md"))
		slices.Sort(m)
		for _, f := range m {
			if b, _ := os.ReadFile(f); f != later && strings.Contains(string(b), "\nstatus: superseded\n") {
				return f
			}
		}
		t.Fatal("no superseded ADR")
		return ""
	}
	guides := func() []string {
		m, _ := filepath.Glob(filepath.Join(dir, "content/guides/*/*.md"))
		slices.Sort(m)
		if len(m) < 5 {
			t.Fatal("fewer than five guides")
		}
		return m
	}
	fresh := filepath.Join(dir, "runbooks", "brand-new", "first.md")
	re := func(file, pattern, repl string) func() {
		return func() {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			next := regexp.MustCompile(pattern).ReplaceAllString(string(b), repl)
			if next == string(b) {
				t.Fatalf("%s: %s changes nothing", file, pattern)
			}
			if err := os.WriteFile(file, []byte(next), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	edits := []fpEdit{
		{"as generated", func() {}},
		{"title", re(runbook, `(?m)^title: .*$`, "title: Aaa first of all")},
		{"ADR status", re(adr, `(?m)^status: .*$`, "status: deprecated")},
		{"runbook reviewed", re(runbook, `(?m)^last_reviewed: .*$`, "last_reviewed: 2019-01-01")},
		{"tags", re(guide, `(?s)^---\n`, "---\ntags: [brand-new-tag]\n")},
		{"weight", re(guide, `(?s)^---\n`, "---\nweight: 1\n")},
		{"draft", re(adr, `(?s)^---\n`, "---\ndraft: true\n")},
		{"new page", func() {
			os.MkdirAll(filepath.Dir(fresh), 0o755)
			os.WriteFile(fresh, []byte("---\ntitle: First\nservice: brand-new\n---\nSee [the guide](../../content/guides/x.md).\n"), 0o644)
		}},
		{"excerpt", re(one("content/posts/*.md"), `(?s)\n---\n`, "\n---\nA new opening paragraph, which the feed and lists show.\n\n")},
		{"body link", re(guide, `$`, "\nSee [the first one](../../../runbooks/brand-new/first.md).\n")},
		{"page removed", func() { os.Remove(fresh) }},
		// An ADR superseded already, superseded by one more: its status
		// stays, and the lists of decisions show the second.
		{"supersedes", func() { re(later, `(?s)^---\n`, "---\nsupersedes: ["+filepath.Base(superseded())+"]\n")() }},
		// A start-here path of three pages, then a fourth at its end: the
		// first's place and neighbours stay, its path's length does not.
		{"start-here path", func() {
			for i, g := range guides()[1:4] {
				re(g, `(?s)^---\n`, fmt.Sprintf("---\nonboarding: %d\n", i+1))()
			}
		}},
		{"start-here path longer", func() { re(guides()[4], `(?s)^---\n`, "---\nonboarding: 4\n")() }},
		// A page of the site's own where the tags' index was: no page
		// links to the generated one any more (the site's information).
		{"a page at /tags/", func() {
			p := filepath.Join(dir, "content", "tags", "index.md")
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("---\ntitle: Our tags\n---\nThe tags we use.\n"), 0o644)
		}},
	}
	return renderStates(t, dir, edits)
}

// fpEdit is one edit of a site's files.
type fpEdit struct {
	name string
	do   func()
}

// renderStates makes each edit of the site in dir in turn, and loads and
// renders it after each.
func renderStates(t *testing.T, dir string, edits []fpEdit) []fpState {
	t.Helper()
	th, err := LoadTheme(themes.Default(), dir, Funcs("/", time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	var out []fpState
	for _, e := range edits {
		e.do()
		cfg := site.DefaultConfig(dir)
		cfg.Now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		s, err := site.Load(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := New(s, th)
		files := map[string]string{}
		var mu sync.Mutex
		if err := r.All(context.Background(), func(p string, b []byte) error {
			mu.Lock()
			files[p] = string(b)
			mu.Unlock()
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		out = append(out, fpState{name: e.name, r: r, files: files})
	}
	return out
}

// violations returns the files whose bytes changed from one state to the
// next while their fingerprints did not.
func violations(t *testing.T, states []fpState) []string {
	t.Helper()
	cache := NewFingerprintCache()
	var fps []map[string]Fingerprint
	for _, st := range states {
		fp, err := st.r.Fingerprints(context.Background(), cache)
		if err != nil {
			t.Fatal(err)
		}
		if len(fp) != len(st.files) {
			t.Fatalf("%s: %d fingerprints for %d files", st.name, len(fp), len(st.files))
		}
		fps = append(fps, fp)
	}
	var bad []string
	for i := 1; i < len(states); i++ {
		for p, b := range states[i].files {
			old, ok := states[i-1].files[p]
			if !ok || old == b {
				continue
			}
			a, c := fps[i-1][p], fps[i][p]
			if a.Sum == c.Sum && !a.Copied {
				bad = append(bad, states[i].name+": "+p)
			}
		}
	}
	return bad
}

// TestFingerprintsFollowChanges checks the promise Live's updates rest on:
// after every kind of edit, each file whose bytes change has a new
// fingerprint. And that fingerprints do not change for nothing: most files
// keep theirs after an edit of one page's title.
func TestFingerprintsFollowChanges(t *testing.T) {
	states := fpStates(t, nil)
	if bad := violations(t, states); len(bad) > 0 {
		t.Errorf("%d files changed with the same fingerprint, such as:\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
	cache := NewFingerprintCache()
	a, _ := states[0].r.Fingerprints(context.Background(), cache)
	b, _ := states[1].r.Fingerprints(context.Background(), cache)
	// Precision: files whose fingerprint changed though their bytes did
	// not are rendered for nothing.
	spurious, changed := 0, 0
	for p, f := range a {
		if b[p].Sum != f.Sum {
			changed++
			if states[0].files[p] == states[1].files[p] {
				spurious++
			}
		}
	}
	t.Logf("a title edit: %d of %d fingerprints changed, %d of them for files that did not", changed, len(a), spurious)
	if changed > len(a)/3 {
		t.Errorf("a title edit changed %d fingerprints of %d (%d of them of files that stayed the same)", changed, len(a), spurious)
	}
}

// TestFingerprintsLeavingOut shows that the check above catches a
// dependency left out: with any of these fields left out of the
// fingerprints, some file changes while its fingerprint does not.
func TestFingerprintsLeavingOut(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a site ten times")
	}
	states := fpStates(t, nil)
	// Fields that say the same thing are left out together: the status
	// as written and normalized. "sidebar" leaves out the sidebar's tree.
	for _, set := range [][]string{{"Title"}, {"Status", "RawStatus"}, {"LastReviewed"}, {"Tags"}, {"sidebar"}, {"Backlinks"}, {"Pages"}} {
		leaveOut = map[string]bool{}
		for _, f := range set {
			leaveOut[f] = true
		}
		forgetPlans()
		if bad := violations(t, states); len(bad) == 0 {
			t.Errorf("with %v left out, no change went unnoticed", set)
		}
	}
	leaveOut = nil
	forgetPlans()
}

// TestFingerprintsSiteListLayout: a site's own list layout that shows, for
// each page it lists, how many pages link to it reads what the default
// list layout does not (the listed pages' backlinks, through a template it
// calls); its lists' fingerprints follow every change of them.
func TestFingerprintsSiteListLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("renders a site ten times")
	}
	states := fpStates(t, map[string]string{
		"list": `{{define "main"}}{{range .List.Pages}}{{template "counted" .}}{{end}}{{range .List.Groups}}{{range .Pages}}{{template "counted" .}}{{end}}{{end}}{{end}}` +
			`{{define "counted"}}<p>{{.Title}}: {{len .Backlinks}} {{range .RelatedPages}}{{.Title}} {{end}}</p>{{end}}`,
	})
	if bad := violations(t, states); len(bad) > 0 {
		t.Errorf("%d files changed with the same fingerprint, such as:\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
}

// TestUnreadLinks checks which of a page's links to other pages the
// fingerprints leave out: those no layout names, the site's own layouts
// included.
func TestUnreadLinks(t *testing.T) {
	field := func(name string) int {
		f, ok := reflect.TypeFor[site.Page]().FieldByName(name)
		if !ok {
			t.Fatalf("site.Page has no field %s", name)
		}
		return f.Index[0]
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	th, err := LoadTheme(themes.Default(), t.TempDir(), Funcs("/", now))
	if err != nil {
		t.Fatal(err)
	}
	unread := unreadLinks(th)
	if !unread[field("Outgoing")] || unread[field("Backlinks")] || unread[field("RelatedPages")] {
		t.Errorf("default theme: Outgoing unread %v (want true), Backlinks %v, RelatedPages %v (want false)",
			unread[field("Outgoing")], unread[field("Backlinks")], unread[field("RelatedPages")])
	}
	// Per layout: the default list layout never shows the pages it lists'
	// backlinks; the runbook layout shows its page's.
	if list := unreadBy(th.layoutNames("list")); !list[field("Backlinks")] || !list[field("RelatedPages")] {
		t.Errorf("default list layout: Backlinks unread %v, RelatedPages %v (want true)", list[field("Backlinks")], list[field("RelatedPages")])
	}
	if rb := unreadBy(th.layoutNames("runbook")); rb[field("Backlinks")] {
		t.Error("runbook layout: Backlinks unread, but it shows them (through BacklinksByKind, in a template it calls)")
	}
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
	os.WriteFile(filepath.Join(dir, "layouts", "page.html"), []byte(`{{define "main"}}{{range .Page.Outgoing}}{{.Title}}{{end}}{{end}}`), 0o644)
	th, err = LoadTheme(themes.Default(), dir, Funcs("/", now))
	if err != nil {
		t.Fatal(err)
	}
	if unreadLinks(th)[field("Outgoing")] {
		t.Error("a site layout that ranges over .Page.Outgoing: Outgoing still left out")
	}
}

// TestFingerprintsOverMemoLoads loads a site again and again with a
// site.Memo, as the preview does, fingerprinting each load with the same
// cache, which takes a parse's sum from the load before when the file did
// not change: every file whose bytes changed must have a new fingerprint.
// The edits include a dated ADR coming between two others, and an ADR
// dated after the others: each numbers ADRs again in place, in parses the
// Memo hands out unchanged.
func TestFingerprintsOverMemoLoads(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string { t.Helper(); return writeFile(t, dir, name, []byte(text)) }
	write("content/index.md", "---\ntitle: Home\n---\nSee [the queue decision](adr/20240301-use-a-queue.md).\n")
	write("content/adr/20240110-use-postgres.md", "---\ntitle: Use Postgres\nstatus: accepted\ndate: 2024-01-10\n---\n## Context\n\nWe need a database.\n")
	write("content/adr/20240301-use-a-queue.md", "---\ntitle: Use a queue\nstatus: accepted\ndate: 2024-03-01\n---\n## Context\n\nWe need a queue.\n")
	guide := write("content/guides/start.md", "---\ntitle: Start\n---\nRead [the queue decision](../adr/20240301-use-a-queue.md).\n")
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	cfg.Memo = site.NewMemo()
	cache := NewFingerprintCache()
	type state struct {
		fps   map[string]Fingerprint
		files map[string][]byte
	}
	load := func() state {
		t.Helper()
		r := loadRenderer(t, cfg)
		fps, err := r.Fingerprints(context.Background(), cache)
		if err != nil {
			t.Fatal(err)
		}
		return state{fps, renderFiles(t, r)}
	}
	before := load()
	for _, e := range []struct {
		name string
		edit func() string
	}{
		{"a dated ADR between the two", func() string {
			return write("content/adr/20240201-use-redis.md", "---\ntitle: Use Redis\nstatus: proposed\ndate: 2024-02-01\n---\n## Context\n\nWe need a cache.\n")
		}},
		{"the first ADR dated last", func() string {
			return write("content/adr/20240110-use-postgres.md", "---\ntitle: Use Postgres\nstatus: accepted\ndate: 2024-04-10\n---\n## Context\n\nWe need a database.\n")
		}},
		{"a guide's title", func() string {
			return write("content/guides/start.md", "---\ntitle: Start here\n---\nRead [the queue decision](../adr/20240301-use-a-queue.md).\n")
		}},
		{"nothing", func() string { return guide }},
	} {
		cfg.Memo.Forget(e.edit())
		after := load()
		for p, b := range after.files {
			old, ok := before.files[p]
			fp, was := after.fps[p], before.fps[p]
			if ok && !bytes.Equal(old, b) && !fp.Copied && fp.Data == nil && fp.Sum == was.Sum {
				t.Errorf("after %s: %s changed but its fingerprint did not", e.name, p)
			}
		}
		before = after
	}
}

// TestParseSumFollowsADRNumbers: a parse's sum is taken from the last
// call only while the ADR number a load gives it in place is the same.
func TestParseSumFollowsADRNumbers(t *testing.T) {
	pp := &page.Page{Path: "adr/20240301-use-a-queue.md", Kind: page.KindADR, Title: "Use a queue", ADR: &page.ADR{Number: 2, HasNumber: true, NumberFromOrder: true}}
	p := &site.Page{Page: pp, URL: "/adr/20240301-use-a-queue/"}
	cache := NewFingerprintCache()
	sum := func() uint64 {
		cache.mu.Lock()
		cache.nextParses = map[parseKey]parsed{}
		cache.mu.Unlock()
		f := &fingerprinting{cache: cache, all: newReading(nil, nil, nil)}
		s := f.parseSum(f.all, p)
		cache.mu.Lock()
		cache.parses, cache.nextParses = cache.nextParses, nil
		cache.mu.Unlock()
		return s
	}
	first := sum()
	if again := sum(); again != first {
		t.Fatalf("the same parse: sum %x, then %x", first, again)
	}
	pp.ADR.Number = 1 // as numberDatedADRs does, in place
	if renumbered := sum(); renumbered == first {
		t.Errorf("the ADR was numbered again in place, but its sum is the last call's")
	}
}

// TestPlansHashAsReflect: the walker's plans (walkplan.go) give every file
// of a generated site the fingerprint that hashing through reflect alone
// gives, the pages' parses hashed again.
func TestPlansHashAsReflect(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 200, 3); err != nil {
		t.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	cfg.Now = sitegen.Today
	r := loadRenderer(t, cfg)
	cache := NewFingerprintCache()
	sums := func() map[string]Fingerprint {
		t.Helper()
		cache.parses = map[parseKey]parsed{}
		fps, err := r.Fingerprints(context.Background(), cache)
		if err != nil {
			t.Fatal(err)
		}
		return fps
	}
	planned := sums()
	reflectOnly = true
	defer func() { reflectOnly = false }()
	reflected := sums()
	if len(planned) != len(reflected) {
		t.Fatalf("%d files planned, %d through reflect", len(planned), len(reflected))
	}
	differ := 0
	for path, fp := range planned {
		if other := reflected[path]; fp.Sum != other.Sum {
			differ++
			if differ <= 5 {
				t.Errorf("%s: fingerprint %x through plans, %x through reflect", path, fp.Sum, other.Sum)
			}
		}
	}
	if differ > 0 {
		t.Errorf("%d of %d fingerprints differ", differ, len(planned))
	}
}

// TestFigureFingerprints: the figures of a kind's index are drawn from
// every page of the kind, also those its first page does not list; the
// first page's fingerprint follows an edit of a decision listed on the
// second only, which the decision graph shows, and of a postmortem
// likewise. The figures read nothing of the pages that link to them: a
// guide that stops linking to a decision and a postmortem (their
// backlinks change) changes neither index, nor its fingerprint.
func TestFigureFingerprints(t *testing.T) {
	dir := t.TempDir()
	adr := func(i int, status string) string {
		return writeFile(t, dir, fmt.Sprintf("content/adr/%04d-decision-%d.md", i, i), []byte(fmt.Sprintf("---\ntitle: Decision %d\nstatus: %s\ndate: 2024-01-%02d\n---\n## Context\n\nWhy %d.\n", i, status, 1+i%28, i)))
	}
	pm := func(i int, severity string) string {
		return writeFile(t, dir, fmt.Sprintf("content/postmortems/2024-03-%02d-outage-%d.md", 1+i%28, i), []byte(fmt.Sprintf("---\ntitle: Outage %d\nstatus: closed\ndate: 2024-03-%02d\nseverity: %s\nduration: %dm\n---\n## Summary\n\nIt broke.\n", i, 1+i%28, severity, 10+i)))
	}
	n := PageSize + 5
	var pms []string
	for i := 1; i <= n; i++ {
		adr(i, "accepted")
		pms = append(pms, pm(i, "SEV2"))
	}
	guide := func(body string) {
		writeFile(t, dir, "content/guides/linking.md", []byte("---\ntitle: Linking\n---\n"+body+"\n"))
	}
	guide(fmt.Sprintf("See [the decision](../adr/%04d-decision-%d.md) and [the outage](../postmortems/%s).", n, n, filepath.Base(pms[n-1])))
	_, state := fingerprintStates(t, dir)
	fps, files := state()
	guide("No link now.")
	fps2, files2 := state()
	for _, index := range []string{"/adr/index.html", "/postmortems/index.html"} {
		if !bytes.Equal(files[index], files2[index]) {
			t.Fatalf("%s changed when a page stopped linking to a page it lists; the test shows nothing", index)
		}
		if fps[index].Sum != fps2[index].Sum {
			t.Errorf("%s: its fingerprint changed when a page stopped linking to a page it lists (its backlinks)", index)
		}
	}
	fps, files = fps2, files2
	for _, e := range []struct {
		name, index string
		edit        func()
	}{
		{"the last decision's status", "/adr/index.html", func() { adr(n, "deprecated") }},
		{"the last postmortem's severity", "/postmortems/index.html", func() { pm(n, "SEV1") }},
	} {
		e.edit()
		fps2, files2 := state()
		if bytes.Equal(files[e.index], files2[e.index]) {
			t.Fatalf("after %s: %s did not change; the test shows nothing", e.name, e.index)
		}
		if fps[e.index].Sum == fps2[e.index].Sum {
			t.Errorf("after %s: %s changed but its fingerprint did not", e.name, e.index)
		}
		fps, files = fps2, files2
	}
}

// TestFingerprintsLeaveOutUnreadKinds: a decision's status shows on its
// page and in the decisions' index, not in the backlinks of a guide it
// links to, whose layout never names .ADR; after a status edit the
// guide's fingerprint (and file) stay, the others' change. A site's own
// page layout that shows its backlinks' statuses has the guide's
// fingerprint follow them.
func TestFingerprintsLeaveOutUnreadKinds(t *testing.T) {
	for _, own := range []bool{false, true} {
		dir := t.TempDir()
		if own {
			writeFile(t, dir, "layouts/page.html", []byte(`{{define "main"}}{{with .Page}}{{range .Backlinks}}<p>{{.Title}}{{with .ADR}} ({{.Status}}){{end}}</p>{{end}}{{end}}{{end}}`))
		}
		writeFile(t, dir, "content/guides/start.md", []byte("---\ntitle: Start\n---\nRead on.\n"))
		adr := func(status string) {
			writeFile(t, dir, "content/adr/0001-use-a-queue.md", []byte("---\ntitle: Use a queue\nstatus: "+status+"\ndate: 2024-03-01\n---\n## Context\n\nSee [the guide](../guides/start.md).\n"))
		}
		adr("proposed")
		_, state := fingerprintStates(t, dir)
		fps, files := state()
		adr("accepted")
		fps2, files2 := state()
		guide := "/guides/start/index.html"
		if !bytes.Contains(files[guide], []byte("Use a queue")) {
			t.Fatalf("own layout %v: the guide does not show the decision linking to it:\n%s", own, files[guide])
		}
		for _, path := range []string{"/adr/0001-use-a-queue/index.html", "/adr/index.html"} {
			if fps[path].Sum == fps2[path].Sum {
				t.Errorf("own layout %v: %s shows the status, but its fingerprint stayed", own, path)
			}
		}
		guideChanged := !bytes.Equal(files[guide], files2[guide])
		if guideChanged != own {
			t.Fatalf("own layout %v: the guide's file changed: %v", own, guideChanged)
		}
		if moved := fps[guide].Sum != fps2[guide].Sum; moved != own {
			t.Errorf("own layout %v: the guide's fingerprint changed: %v, its file: %v", own, moved, guideChanged)
		}
	}
}

// TestFingerprintsFollowLinkLabels: the default page layout never names
// .ADR, but the links it writes to decisions (the link function) carry
// their numbers: a guide listing a dated decision among its backlinks
// follows its number when an earlier decision numbers it again.
func TestFingerprintsFollowLinkLabels(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "content/guides/start.md", []byte("---\ntitle: Start\n---\nRead on.\n"))
	writeFile(t, dir, "content/adr/20240301-use-a-queue.md", []byte("---\ntitle: Use a queue\nstatus: accepted\ndate: 2024-03-01\n---\n## Context\n\nSee [the guide](../guides/start.md).\n"))
	cfg, state := fingerprintStates(t, dir)
	cfg.Memo = site.NewMemo()
	fps, files := state()
	cfg.Memo.Forget(writeFile(t, dir, "content/adr/20240101-use-postgres.md", []byte("---\ntitle: Use Postgres\nstatus: accepted\ndate: 2024-01-01\n---\n## Context\n\nWe need a database.\n")))
	fps2, files2 := state()
	guide := "/guides/start/index.html"
	if bytes.Equal(files[guide], files2[guide]) {
		t.Fatalf("the guide did not change; the test shows nothing:\n%s", files[guide])
	}
	if fps[guide].Sum == fps2[guide].Sum {
		t.Errorf("the guide's link to the decision shows its new number, but its fingerprint stayed")
	}
}

// fingerprintStates returns the configuration of the site in dir, on a
// fixed day, and a function that loads it as the configuration then says
// and returns every file's fingerprint (with one cache across calls) and
// every file.
func fingerprintStates(t *testing.T, dir string) (*site.Config, func() (map[string]Fingerprint, map[string][]byte)) {
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	cache := NewFingerprintCache()
	return &cfg, func() (map[string]Fingerprint, map[string][]byte) {
		t.Helper()
		r := loadRenderer(t, cfg)
		fps, err := r.Fingerprints(context.Background(), cache)
		if err != nil {
			t.Fatal(err)
		}
		return fps, renderFiles(t, r)
	}
}

// TestFingerprintsLongFolder: the sidebar lists a folder's first
// maxSiblings entries, and a page past them only in its own sidebar (and
// in those of the pages under it, when it is a folder). An edit of a
// title past the cut changes no sibling's file, and must change no
// sibling's fingerprint; every edit that changes a file changes its
// fingerprint.
func TestFingerprintsLongFolder(t *testing.T) {
	dir := t.TempDir()
	note := func(i int) string { return filepath.Join(dir, "content", "notes", fmt.Sprintf("note-%02d.md", i)) }
	for i := range maxSiblings + 10 {
		writeFile(t, dir, fmt.Sprintf("content/notes/note-%02d.md", i), []byte(fmt.Sprintf("---\ntitle: Note %02d\n---\nA note.\n", i)))
	}
	sub := writeFile(t, dir, "content/notes/zz-sub/index.md", []byte("---\ntitle: Zz sub\n---\nA folder past the cut.\n"))
	writeFile(t, dir, "content/notes/zz-sub/inner.md", []byte("---\ntitle: Inner\n---\nA page in it.\n"))
	retitle := func(file, title string) func() {
		return func() {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			next := regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(string(b), "title: "+title)
			if err := os.WriteFile(file, []byte(next), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	states := renderStates(t, dir, []fpEdit{
		{"as written", func() {}},
		{"a title past the cut", retitle(note(maxSiblings+5), fmt.Sprintf("Note %02d, renamed", maxSiblings+5))},
		{"a folder past the cut", retitle(sub, "Zz sub, renamed")},
		{"the last title listed", retitle(note(maxSiblings-1), fmt.Sprintf("Note %02d, renamed", maxSiblings-1))},
		{"a title within", retitle(note(10), "Note 10, renamed")},
		{"a page moved in", retitle(note(maxSiblings+6), "Note 00a")},
		{"a page moved out", retitle(note(maxSiblings+6), "Note 99")},
	})
	if bad := violations(t, states); len(bad) > 0 {
		t.Errorf("%d files changed with the same fingerprint, such as:\n%s", len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
	}
	cache := NewFingerprintCache()
	var fps []map[string]Fingerprint
	for _, st := range states[:3] {
		fp, err := st.r.Fingerprints(context.Background(), cache)
		if err != nil {
			t.Fatal(err)
		}
		fps = append(fps, fp)
	}
	for i, edited := range []string{fmt.Sprintf("/notes/note-%02d/index.html", maxSiblings+5), "/notes/zz-sub/index.html"} {
		var changed []string
		for p, f := range fps[i] {
			if strings.HasPrefix(p, "/notes/note-") && p != edited && fps[i+1][p].Sum != f.Sum {
				changed = append(changed, p)
			}
		}
		if len(changed) > 0 {
			slices.Sort(changed)
			t.Errorf("%s: the fingerprints of %d siblings changed, such as %v", states[i+1].name, len(changed), changed[:min(len(changed), 3)])
		}
		if states[i].files[edited] == states[i+1].files[edited] {
			t.Errorf("%s: %s did not change", states[i+1].name, edited)
		}
	}
}

// TestNavSpliceable: a layout's sidebar may be replaced in place only
// when every template it reaches writes .NavHTML as it is, in HTML text,
// and nothing reads .Nav.
func TestNavSpliceable(t *testing.T) {
	for _, c := range []struct {
		name, main, more string
		want             bool
	}{
		{"the theme's", "", "", true},
		{"written in a block too", `<div class="again">{{.NavHTML}}</div>`, "", true}, // twice in a page: both are filled
		{"in an attribute", `<div data-nav="{{.NavHTML}}"></div>`, "", false},
		{"in a script", `<script>var nav = {{.NavHTML}};</script>`, "", false},
		{"in a textarea", `<textarea>{{.NavHTML}}</textarea>`, "", false},
		{"a condition", `{{if .NavHTML}}<p>with a sidebar</p>{{end}}`, "", false},
		{"an argument", `{{printf "%s" .NavHTML}}`, "", false},
		{"a variable", `{{$n := .NavHTML}}{{$n}}`, "", false},
		{"through the root", `{{with .Page}}{{$.NavHTML}}{{end}}`, "", false},
		{"a template's data", `{{template "own-nav" .NavHTML}}`, `{{define "own-nav"}}{{.}}{{end}}`, false},
		{"the items", `<ul>{{range .Nav}}<li>{{.Title}}</li>{{end}}</ul>`, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			th := themeWithPage(t, c.main, c.more)
			if got := th.navSpliceable("page"); got != c.want {
				t.Errorf("page: spliceable %v, want %v", got, c.want)
			}
			if !th.navSpliceable("runbook") {
				t.Errorf("runbook, the theme's own: not spliceable")
			}
		})
	}
}

// TestContentSpliceable: a page's HTML may be written into its file
// apart from the rest only when every template the layout reaches writes
// .Content as it is, in HTML text.
func TestContentSpliceable(t *testing.T) {
	for _, c := range []struct {
		name, main, more string
		want             bool
	}{
		{"the theme's", "", "", true},
		{"written in a block too", `<div class="again">{{.Content}}</div>`, "", true}, // twice in a page: both are filled
		{"in an attribute", `<div data-body="{{.Content}}"></div>`, "", false},
		{"in a script", `<script>var body = {{.Content}};</script>`, "", false},
		{"in a textarea", `<textarea>{{.Content}}</textarea>`, "", false},
		{"a condition", `{{if .Content}}<p>with a body</p>{{end}}`, "", false},
		{"an argument", `{{printf "%.20s" .Content}}`, "", false},
		{"a variable", `{{$c := .Content}}{{$c}}`, "", false},
		{"through the root", `{{with .Page}}{{$.Content}}{{end}}`, "", false},
		{"a template's data", `{{template "own-body" .Content}}`, `{{define "own-body"}}{{.}}{{end}}`, false},
		{"its length", `<p>{{len .Content}} bytes</p>`, "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			th := themeWithPage(t, c.main, c.more)
			if got := th.contentSpliceable("page"); got != c.want {
				t.Errorf("page: spliceable %v, want %v", got, c.want)
			}
			if !th.contentSpliceable("runbook") {
				t.Errorf("runbook, the theme's own: not spliceable")
			}
			// The theme's lists write .Content in a condition: never
			// spliced, and never given a page's document to splice.
			if th.contentSpliceable("list") || th.contentSpliceable("home") {
				t.Errorf("list or home: spliceable")
			}
		})
	}
}

// themeWithPage loads the default theme with a site layout for pages
// whose main block writes main before the theme's body, and more after
// it, unless main is "".
func themeWithPage(t *testing.T, main, more string) *Theme {
	t.Helper()
	dir := t.TempDir()
	if main != "" {
		os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
		text := `{{define "main"}}` + main + `{{template "body" .}}{{end}}` + more
		if err := os.WriteFile(filepath.Join(dir, "layouts", "page.html"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	th, err := LoadTheme(themes.Default(), dir, Funcs("/", time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	return th
}

// carriedViolations fingerprints each state with one cache, which
// carries sums from one state to the next (carryIn), and with a fresh
// cache of the same seed, and returns the files whose fingerprints
// differ: a sum carried that the call would not have made.
func carriedViolations(t *testing.T, states []fpState, start bool) []string {
	t.Helper()
	carried := NewFingerprintCache()
	var bad []string
	for _, st := range states {
		if start {
			// As a reload does: the pages' own sums begun before the
			// renderer is at hand.
			carried.Start(context.Background(), st.r.Site, st.r.Theme)
		}
		got, err := st.r.Fingerprints(context.Background(), carried)
		if err != nil {
			t.Fatal(err)
		}
		fresh := NewFingerprintCache()
		fresh.seed = carried.seed
		want, err := st.r.Fingerprints(context.Background(), fresh)
		if err != nil {
			t.Fatal(err)
		}
		for p, w := range want {
			g := got[p]
			if g.Sum != w.Sum || g.Rest != w.Rest || g.Sidebar != w.Sidebar || !bytes.Equal(g.Data, w.Data) {
				bad = append(bad, st.name+": "+p)
			}
		}
		if len(got) != len(want) {
			bad = append(bad, fmt.Sprintf("%s: %d files, %d fresh", st.name, len(got), len(want)))
		}
	}
	return bad
}

// TestCarriedSumsMatchFresh: after every kind of edit, the fingerprints
// made with the sums carried from the call before (the pages that did
// not change keep their faces and deep sums) are those a call from
// nothing makes.
func TestCarriedSumsMatchFresh(t *testing.T) {
	states := fpStates(t, nil)
	for _, start := range []bool{false, true} {
		if bad := carriedViolations(t, states, start); len(bad) > 0 {
			t.Errorf("begun by Start: %v: %d fingerprints differ from a fresh call's, such as:\n%s", start, len(bad), strings.Join(bad[:min(len(bad), 10)], "\n"))
		}
	}
}

// TestFingerprintCallNamesCarried: after every kind of edit, the files
// a call says it carried (every one but LastCall's Fresh) have the
// fingerprints of the call it carried them from, at the same paths; and
// the calls after a small edit carry many (of the 300 files of the
// generated site, the 130 pages' own files but those the edit reaches).
func TestFingerprintCallNamesCarried(t *testing.T) {
	states := fpStates(t, nil)
	cache := NewFingerprintCache()
	var prev map[string]Fingerprint
	var prevGen uint64
	carriedCalls := 0
	for _, st := range states {
		got, err := st.r.Fingerprints(context.Background(), cache)
		if err != nil {
			t.Fatal(err)
		}
		call := cache.LastCall()
		if call.Gen == 0 || call.Gen == prevGen {
			t.Fatalf("%s: call numbered %d after %d", st.name, call.Gen, prevGen)
		}
		if call.From != 0 {
			if call.From != prevGen {
				t.Errorf("%s: carried from call %d; the last was %d", st.name, call.From, prevGen)
			}
			fresh := map[string]bool{}
			for _, p := range call.Fresh {
				fresh[p] = true
			}
			for p, g := range got {
				if fresh[p] {
					continue
				}
				w, ok := prev[p]
				if !ok || g.Sum != w.Sum || g.Rest != w.Rest || g.Sidebar != w.Sidebar || !bytes.Equal(g.Data, w.Data) {
					t.Errorf("%s: %s not fresh, but not the last call's", st.name, p)
				}
			}
			if len(got)-len(call.Fresh) >= len(got)/4 {
				carriedCalls++
			}
		}
		prev, prevGen = got, call.Gen
	}
	if carriedCalls == 0 {
		t.Errorf("no call of %d carried a quarter of its files from the last", len(states))
	}
}

// TestFingerprintStart: what Start begins is taken by the call of a
// renderer of the same site and theme, and by no other.
func TestFingerprintStart(t *testing.T) {
	states := fpStates(t, nil)
	a, b := states[0].r, states[1].r
	c := NewFingerprintCache()
	c.Start(context.Background(), a.Site, a.Theme)
	if _, ok, err := c.take(a.Site, a.Theme); !ok || err != nil {
		t.Errorf("take of the same site and theme: %v, %v; want it taken", ok, err)
	}
	if _, ok, _ := c.take(a.Site, a.Theme); ok {
		t.Error("taken twice")
	}
	c.Start(context.Background(), a.Site, a.Theme)
	if _, ok, _ := c.take(b.Site, a.Theme); ok {
		t.Error("taken by another site")
	}
	c.Start(context.Background(), a.Site, a.Theme)
	c.Start(context.Background(), b.Site, b.Theme) // the first is let go
	if _, ok, _ := c.take(b.Site, b.Theme); !ok {
		t.Error("the second Start not taken")
	}
}

// TestCarriedSumsLeavingOut shows that the check above catches a part of
// a page's own sum left out: a page that changed in that part keeps its
// old sums, and some fingerprint differs from a fresh call's.
func TestCarriedSumsLeavingOut(t *testing.T) {
	if testing.Short() {
		t.Skip("fingerprints a site's states twice each, four times")
	}
	states := fpStates(t, nil)
	// The site's information and each page's document are compared too
	// (carriedFile), but no edit changes them alone: the information
	// changes with the sidebar's tree (the kinds' indexes, a page at
	// /tags/), a document's links with the pages they name.
	for _, part := range []string{"ids", "parse", "core", "links", "nav"} {
		selfLeavesOut = map[string]bool{part: true}
		if bad := carriedViolations(t, states, part == "ids"); len(bad) == 0 {
			t.Errorf("with %s left out of the pages' own sums, no fingerprint differed", part)
		}
	}
	selfLeavesOut = nil
}

// TestFingerprintsHashPlannedLayouts: the fingerprints of a renderer
// whose files are planned run its plan's jobs with the fingerprinting
// copy (job.run), so that every file made from a layout is hashed, not
// rendered; a job that rendered with the renderer that planned it would
// give its bytes (Data) instead, for the same fingerprint at many times
// the cost.
func TestFingerprintsHashPlannedLayouts(t *testing.T) {
	r := fpStates(t, nil)[0].r
	r.Files()
	fps, err := r.Fingerprints(context.Background(), NewFingerprintCache())
	if err != nil {
		t.Fatal(err)
	}
	hashed := 0
	for _, j := range r.jobs() {
		if j.sample == "" {
			continue // a feed, the sitemap, a stylesheet, a copied file
		}
		if fps[j.path].Data != nil {
			t.Errorf("%s (%s) was rendered, not hashed", j.path, j.sample)
		} else {
			hashed++
		}
	}
	if hashed == 0 {
		t.Fatal("no file made from a layout")
	}
}

// TestPlacesOf: the pages of a call are paired with the last call's by
// file and URL, through a page added, one removed and two sharing a URL
// (told apart by file), the rest at their new places.
func TestPlacesOf(t *testing.T) {
	pageAt := func(src, url string) *site.Page {
		return &site.Page{Source: src, URL: url, Page: &page.Page{}}
	}
	last := &carried{keys: []pageKey{{"a.md", "/a/"}, {"b.md", "/b/"}, {"c1.md", "/c/"}, {"c2.md", "/c/"}, {"d.md", "/d/"}, {"e.md", "/e/"}}}
	now := []*site.Page{
		pageAt("a.md", "/a/"),
		pageAt("aa.md", "/aa/"), // new
		pageAt("c2.md", "/c/"),  // the second of two at /c/
		pageAt("c3.md", "/c/"),  // new, at a URL two others had
		pageAt("d.md", "/d/"),   // b.md gone before it
		pageAt("e2.md", "/e/"),  // another file at e.md's URL
		pageAt("f.md", "/f/"),   // new, after the last
	}
	want := []int32{0, -1, 3, -1, 4, -1, -1}
	if got := last.placesOf(now); !slices.Equal(got, want) {
		t.Errorf("placesOf = %v, want %v", got, want)
	}
}

// threePages returns the renderer of a site of three pages, and them.
func threePages(t *testing.T) (r *Renderer, a, b, c *site.Page) {
	t.Helper()
	dir := t.TempDir()
	for _, name := range []string{"content/a.md", "content/b.md", "content/c.md"} {
		writeFile(t, dir, name, []byte("---\ntitle: "+name+"\n---\nText.\n"))
	}
	r = loadRenderer(t, site.DefaultConfig(dir))
	if len(r.Site.Pages) != 3 {
		t.Fatalf("%d pages", len(r.Site.Pages))
	}
	return r, r.Site.Pages[0], r.Site.Pages[1], r.Site.Pages[2]
}

// TestPagesSumCarried: a list of pages met in a file's data is carried
// from the last call when every page of it kept its sums, and hashed
// again when one did not or one is gone; a list holding the file's own
// page, hashed otherwise, or a page not of the site is not kept for the
// next call.
func TestPagesSumCarried(t *testing.T) {
	r, a, b, c := threePages(t)
	s := r.Site
	stranger := &site.Page{Page: &page.Page{Title: "Not of the site"}, URL: "/elsewhere/"}
	cache := NewFingerprintCache()
	fresh := func() *fingerprinting {
		f, _ := cache.begin(s, r.Theme)
		return f
	}
	f := fresh()
	w := walker{f: f, rd: f.all}
	list := []*site.Page{a, b}
	sum := w.pages(list)
	if len(f.nextPages) != 1 {
		t.Fatalf("%d lists kept, want 1", len(f.nextPages))
	}
	var key pagesKey
	for k := range f.nextPages {
		key = k
	}
	own := w
	own.own, own.ownRd = b, f.all
	own.pages([]*site.Page{b, c})
	w.pages([]*site.Page{c, stranger})
	if len(f.nextPages) != 1 {
		t.Errorf("%d lists kept, want 1: one holding the own page or a page not of the site is kept", len(f.nextPages))
	}

	// The next call: the last one's sum, marked to tell it from one
	// made again.
	last := &carried{pages: map[pagesKey]uint64{key: sum + 1}}
	for _, e := range []struct {
		name   string
		unkept []*site.Page
		want   uint64
	}{
		{"every page kept its sums", nil, sum + 1},
		{"a page of the list changed", []*site.Page{b}, sum},
		{"a page of another list changed", []*site.Page{c}, sum + 1},
	} {
		g := fresh()
		g.last, g.carryPages, g.unkept = last, true, map[*site.Page]bool{}
		for _, p := range e.unkept {
			g.unkept[p] = true
		}
		if got := (walker{f: g, rd: g.all}).pages(list); got != e.want {
			t.Errorf("%s: sum %x, want %x", e.name, got, e.want)
		}
		if got := (walker{f: g, rd: g.all}).pages([]*site.Page{b, a}); got == sum+1 {
			t.Errorf("%s: the same pages in another order carried the list's sum", e.name)
		}
	}
}

// TestPagesGoneUnkept: after pages came or went (site.Site.Reshape), a
// page gone is among those whose lists are hashed again, though it kept
// its sums (it changed in no way, and is not of the site).
func TestPagesGoneUnkept(t *testing.T) {
	r, a, b, c := threePages(t)
	s := r.Site
	last := &carried{theme: r.Theme, self: []uint64{1, 2, 3}, named: make([][]int32, 3), pages: map[pagesKey]uint64{},
		ords: map[*site.Page]int32{a: 0, b: 1, c: 2}, faces: map[string][]uint64{}, deep: map[string][]uint64{},
		keys: []pageKey{{a.Source, a.URL}, {b.Source, b.URL}, {c.Source, c.URL}}}
	f, _ := NewFingerprintCache().begin(s, r.Theme)
	// b gone: a and c where they were before and after it.
	if err := f.carryIn(context.Background(), []*site.Page{a, c}, r.Theme, last, []int32{0, 2}, []int32{0, -1, 1}); err != nil {
		t.Fatal(err)
	}
	if !f.carryPages {
		t.Fatal("the lists carry no sums")
	}
	if !f.unkept[b] || f.unkept[a] || f.unkept[c] {
		t.Errorf("unkept = %v, want the page gone alone", f.unkept)
	}
	if !f.remade[b] || f.remade[a] || f.remade[c] {
		t.Errorf("remade = %v, want the page gone alone", f.remade)
	}
}

// TestRefingerprintsSamePlan: a call after a page changed in place, on
// the renderer of the last call (the same plan, whose map of files is
// copied from the last call's), gives every file the fingerprint a call
// from nothing gives, and the files it did not carry are the changed
// page's and the lists showing it, not every file.
func TestRefingerprintsSamePlan(t *testing.T) {
	r := sitemapRenderer(t, 30, nil)
	renderFiles(t, r) // planned, as a preview's renderer is
	cache := NewFingerprintCache()
	ctx := context.Background()
	if _, err := r.Fingerprints(ctx, cache); err != nil {
		t.Fatal(err)
	}
	p := markReviewed(t, r, "/runbooks/svc-1/rb-016/", time.Date(2030, 5, 6, 0, 0, 0, 0, time.UTC))
	got, err := r.Refingerprints(ctx, cache, []*site.Page{p})
	if err != nil {
		t.Fatal(err)
	}
	fresh := cache.LastCall().Fresh
	anew := NewFingerprintCache()
	anew.seed = cache.seed // fingerprints compare within one seed
	want, err := r.Fingerprints(ctx, anew)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for path, w := range want {
		if g, ok := got[path]; !ok || g.Sum != w.Sum || g.Rest != w.Rest || g.Sidebar != w.Sidebar || !bytes.Equal(g.Data, w.Data) {
			t.Errorf("%s: not the fingerprint of a call from nothing", path)
		}
	}
	if !slices.Contains(fresh, p.URL+"index.html") || len(fresh) >= len(want)/2 {
		t.Errorf("%d of %d files made again: %v", len(fresh), len(want), fresh)
	}
}

// TestPlacesOfJobs: each page job's place is its page's place in the
// site, whether the jobs follow the site's pages (as planned, drafts
// left out between them) or not; a job of no page, or of a page not of
// the site, has none.
func TestPlacesOfJobs(t *testing.T) {
	r := sitemapRenderer(t, 30, map[string]string{
		"content/guides/a-draft.md": "---\ntitle: A draft\ndraft: true\n---\nNot yet.\n",
		"runbooks/svc-1/a-draft.md": "---\ntitle: Another draft\ndraft: true\n---\nNot yet.\n",
	})
	r.Files()
	jobs := r.planned
	if len(r.Site.Published()) == len(r.Site.Pages) {
		t.Fatal("no page is left out of the published ones")
	}
	stranger := &site.Page{Page: &page.Page{Title: "Not of the site"}, URL: "/elsewhere/"}
	f, _ := NewFingerprintCache().begin(r.Site, r.Theme)
	check := func(name string, jobs []job) {
		t.Helper()
		got := f.placesOfJobs(r.Site.Pages, jobs)
		pages := 0
		for i, j := range jobs {
			want := int32(-1)
			if at, ok := f.ords[j.page]; ok && j.page != nil {
				want = at
				pages++
			}
			if got[i] != want {
				t.Errorf("%s: %s at %d, want %d", name, j.path, got[i], want)
			}
		}
		if pages < 30 {
			t.Errorf("%s: %d page jobs", name, pages)
		}
	}
	check("as planned", jobs)
	mixed := slices.Clone(jobs)
	slices.Reverse(mixed)
	mixed = append(mixed, job{path: "/elsewhere/index.html", page: stranger})
	check("reversed, with a page not of the site", mixed)
}

// TestSpares: a call takes the arrays the call before the last left,
// its pages' files cleared, but never the files of the call it carries
// from, nor arrays of another size.
func TestSpares(t *testing.T) {
	c := NewFingerprintCache()
	spare := []pageFile{{at: 1, doc: 7}, {at: 2}, {at: 3, nav: 9}}
	c.spareFiles, c.spareOut = spare, make([]Fingerprint, 5)
	files, out := c.spares(3, 5, nil)
	if &files[0] != &spare[0] || len(out) != 5 {
		t.Errorf("the spares not taken")
	}
	if slices.ContainsFunc(files, func(pf pageFile) bool { return pf.at != 0 || pf.doc != 0 || pf.nav != 0 }) {
		t.Errorf("the spare files not cleared: %v", files)
	}
	if c.spareFiles != nil || c.spareOut != nil {
		t.Errorf("the spares still there once taken")
	}
	c.spareFiles = spare
	if files, _ := c.spares(3, 5, &carried{files: spare}); &files[0] == &spare[0] {
		t.Errorf("the files of the call carried from given as spares")
	}
	c.spareFiles = spare
	if files, _ := c.spares(4, 5, nil); len(files) != 4 {
		t.Errorf("%d files for 4 pages", len(files))
	}
}
