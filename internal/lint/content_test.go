package lint

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/handbook-dev/handbook/internal/site"
)

func TestPlaceholders(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		// Template text.
		{"Restart {service name} and ask <fill in>.", []string{"{service name}", "<fill in>"}},
		{"TODO: write this. Owner: TBD.", []string{"TODO", "TBD"}},
		{"Page {team} when it fires.", []string{"{team}"}},
		{"({describe the impact})", []string{"{describe the impact}"}},
		{"{decision driver 1, e.g., a force, facing concern, …}", []string{"{decision driver 1, e.g., a force, facing concern, …}"}},
		{"{example | description | pointer to more information}", []string{"{example | description | pointer to more information}"}},

		// Syntax.
		{"GET /users/{id}", nil},
		{"/api/v1/namespaces/{ns}/pods", nil},
		{"{namespace}/deployments", nil},
		{"on_error: {error, ignore}", nil},
		{"one of {a,b}", nil},
		{"'**.{heic,psd}'", nil},
		{`\frac{a}{b} and \begin{aligned}`, nil},
		{"x^{2} and x_{i}", nil},
		{`$$ratio = { L_1 + 0.05 \over L_2 + 0.05 }$$`, nil},
		{"${HOME}, {{ .Title }}, %{x}, #{y}", nil},
		{"{{< youtube 0RKpf3rK57I >}}", nil},
		{`<em class="x">this</em>`, nil},
	} {
		var got []string
		for _, m := range placeholders([]byte(tc.text)) {
			got = append(got, tc.text[m[0]:m[1]])
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("placeholders(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// loadSite writes files under a temporary folder and loads it as a site.
func loadSite(t *testing.T, files map[string]string) *site.Site {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// ruleFindings runs one rule over s and returns its findings as
// "path:line: message" lines.
func ruleFindings(t *testing.T, s *site.Site, id string) []string {
	t.Helper()
	var out []string
	for _, d := range run(s, func(r *Rule) bool { return r.ID == id }, nil) {
		out = append(out, fmt.Sprintf("%s:%d: %s", d.Pos.File, d.Pos.Line, d.Message))
	}
	return out
}

const postmortemHead = "---\ntitle: Outage\ndate: 2026-01-01\nseverity: SEV-2\nowner: sre\nresponders: [\"@alice\", Bob Stone]\n---\n"

func TestBlameless(t *testing.T) {
	for _, tc := range []struct {
		text  string
		blame string // the phrase reported, "" for none
	}{
		// People.
		{"The engineer should have rotated the logs.", "should have"},
		{"The on-call engineer should\nhave rotated the logs.", "should have"},
		{"They should have checked the dashboard first.", "should have"},
		{"He really should have known.", "should have"},
		{"You should've read the runbook.", "should've"},
		{"On-call should have escalated.", "should have"},
		{"@carol should have paged the database team.", "should have"},
		{"Bob should have waited for the canary.", "should have"},
		{"**Alice** should have rolled back.", "should have"},
		{"The team should have been more careful.", "should have"},
		{"We could have prevented this.", "could have prevented"},
		{"This was human error.", "human error"},
		{"A careless change.", "careless"},
		{"Bob was TO BLAME.", "TO BLAME"},
		{"Nobody was to blame.", "to blame"},
		// The regular expression folds ſ to s and the Kelvin sign to k.
		{"A careleſs change.", "careleſs"},
		{"A \u212aind of careless change.", "careless"},

		// Things, possession, the passive.
		{"Each repository should have clear rules.", ""},
		{"Every engineer should have access to the dashboard.", ""},
		{"The alert should have fired at 80%.", ""},
		{"Kubernetes should have restarted the pod.", ""},
		{"The on-call engineer should have been paged.", ""},
		{"A canary could have prevented this.", ""},
		{"You should have a runbook for this.", ""},
	} {
		s := loadSite(t, map[string]string{
			"content/postmortems/outage.md": postmortemHead + "## Summary\n\n" + tc.text + "\n",
		})
		got := ruleFindings(t, s, "blameless-language")
		switch {
		case tc.blame == "" && len(got) > 0:
			t.Errorf("%q: got %q, want nothing", tc.text, got)
		case tc.blame != "" && (len(got) != 1 || !strings.Contains(got[0], fmt.Sprintf("%q blames people", tc.blame))):
			t.Errorf("%q: got %q, want %q reported", tc.text, got, tc.blame)
		}
	}
}

func TestEmptySection(t *testing.T) {
	s := loadSite(t, map[string]string{
		"content/index.md": "---\ntitle: Home\n---\n" +
			"## Setup\n\n" + // 4: empty
			"## Context\n<!-- describe it -->\n\n" + // 6: a comment
			"## Options\n\n<!-- list them -->\n\n" + // 9: a comment
			"## Reference\n\n### Flags\n\nText.\n\n" + // 13, 15
			"## FAQ\n", // 19: empty
	})
	got := ruleFindings(t, s, "empty-section")
	want := []string{
		`content/index.md:4: section "Setup" is empty; write it, or remove the heading`,
		`content/index.md:6: 2 sections hold only comments, as a template leaves them ("Context", "Options"); write them, or remove the headings`,
		`content/index.md:19: section "FAQ" is empty; write it, or remove the heading`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestOrphanPage(t *testing.T) {
	page := func(title string) string { return "---\ntitle: " + title + "\n---\nText.\n" }
	files := map[string]string{"content/index.md": page("Home")}
	// Long folders: the root (the home page lists no plain pages), a
	// folder with a generated listing, a folder with an index page, and
	// the folder of the postmortems' index.
	for i := 1; i <= 51; i++ {
		files[fmt.Sprintf("content/a%02d.md", i)] = page(fmt.Sprintf("A%02d", i))
		files[fmt.Sprintf("content/listed/a%02d.md", i)] = page(fmt.Sprintf("A%02d", i))
		files[fmt.Sprintf("content/indexed/a%02d.md", i)] = page(fmt.Sprintf("A%02d", i))
		files[fmt.Sprintf("content/postmortems/a%02d.md", i)] = "---\ntitle: " + fmt.Sprintf("A%02d", i) + "\nkind: page\n---\nText.\n"
	}
	files["content/indexed/index.md"] = page("Indexed")
	files["content/postmortems/2026-01-01-outage.md"] = postmortemHead + "Text.\n"
	// A short folder: the sidebar lists it all.
	files["content/short/one.md"] = page("One")
	s := loadSite(t, files)
	got := ruleFindings(t, s, "orphan-page")
	want := []string{
		"content/a51.md:1: no page links to this page or lists it, and the sidebar shows only the first 50 of the 55 entries of its folder; link to it from a page readers reach (an index, a guide, the start-here path)",
		"content/postmortems/a51.md:1: no page links to this page or lists it, and the sidebar shows only the first 50 of the 52 entries of its folder; link to it from a page readers reach (an index, a guide, the start-here path)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// phraseLists are lists of phrases to find: the default, and lists that
// try the matcher's corners (phrases that start alike, end in a
// non-word byte, start with one, hold digits, underscores and quotes, or
// have a byte outside ASCII, which the regular expression serves).
var phraseLists = [][]string{
	DefaultBlameWords,
	{"should have", "should have known", "SHOULD", "sh"},
	{"@oncall", "c++", "x_y", "v2 rollout", "it's", "'quoted'", "a.b", "--force"},
	{"dropped   the\tball", "", "  ", "ball"},
	{"naïve", "careless"},
	{"k8s", "ks", "sk"},
}

// phraseTexts builds texts from words of the phrases and everything around
// them that decides a match: case, spaces \s takes and those it does not
// (\v, no-break space), word and non-word bytes, the runes outside ASCII
// that fold to s and k, and bytes that are not UTF-8.
func phraseTexts(r *rand.Rand, n int) []string {
	parts := []string{
		"should", "Should", "SHOULD", "have", "HAVE", "known", "human", "error", "ERROR", "careless", "carelessness",
		"to", "blame", "blamed", "fault", "of", "the", "engineer", "should've", "didn't", "bother", "forgot",
		"dropped", "the", "ball", "@oncall", "oncall", "c++", "c", "x_y", "x", "y", "v2", "rollout", "it's", "'quoted'",
		"a.b", "--force", "force", "naïve", "k8s", "ks", "sk", "sh", "\u017f", "\u212a", "é", "\xff", "\xc5",
		" ", " ", "  ", "\t", "\n", "\r\n", "\f", "\v", "\u00a0", ",", ".", "-", "_", "'", "0", "9", "(", ")", "*",
	}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		out[i] = b.String()
	}
	return out
}

// TestPhraseFinder checks that the matcher blameless-language uses finds
// exactly what the regular expression it replaces finds, over texts made
// to hit its corners.
func TestPhraseFinder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	texts := append(phraseTexts(r, 20000),
		"", "human error", "Human  Error.", "human\verror", "human\u00a0error", "xhuman error", "human errorx", "human error_",
		"should have known", "should havE Known better", "carelessness", "a careless, careless change", "to blame\nto blame")
	for _, phrases := range phraseLists {
		find := phraseFinder(phrases)
		re := phraseRE(phrases)
		for _, text := range texts {
			var want [][]int
			if re != nil {
				want = re.FindAllIndex([]byte(text), -1)
			}
			var got [][]int
			if find != nil {
				got = find([]byte(text))
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("phrases %q, text %q: found %v, want %v", phrases, text, got, want)
			}
		}
	}
}

// TestPhraseFinderUsesMatcher checks that the matcher, not the regular
// expression, serves phrases in ASCII, so that TestPhraseFinder compares
// the two.
func TestPhraseFinderUsesMatcher(t *testing.T) {
	if newPhraseMatcher(DefaultBlameWords) == nil {
		t.Error("no matcher for the default phrases")
	}
	if newPhraseMatcher([]string{"naïve"}) != nil {
		t.Error("a matcher for a phrase outside ASCII")
	}
}

func FuzzPhraseFinder(f *testing.F) {
	for _, text := range phraseTexts(rand.New(rand.NewPCG(3, 4)), 50) {
		f.Add(text, "should have")
	}
	f.Add("The engineer should\nhave rotated the logs.", "human error")
	f.Fuzz(func(t *testing.T, text, phrase string) {
		if !utf8.ValidString(phrase) {
			return // YAML gives handbook.yaml's phrases in UTF-8
		}
		phrases := append(slices.Clone(DefaultBlameWords), strings.Split(phrase, ",")...)
		re := phraseRE(phrases)
		if re == nil {
			return
		}
		want := re.FindAllIndex([]byte(text), -1)
		got := phraseFinder(phrases)([]byte(text))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("phrases %q, text %q: found %v, want %v", phrases, text, got, want)
		}
	})
}

// TestRunChunks checks that the rules of ScopePage, run per chunk of
// pages, find what they find over the whole site, whatever the chunks.
func TestRunChunks(t *testing.T) {
	files := map[string]string{}
	for i := range 7 {
		files[fmt.Sprintf("content/postmortems/2026-01-0%d-outage.md", i+1)] = postmortemHead +
			"## Summary\n\nHuman error. TODO: fill in {service name}.\n\n#### Deep\n\n## Action items\n\n- Fix it\n"
		files[fmt.Sprintf("content/runbooks/r%d.md", i)] = "---\ntitle: R" + fmt.Sprint(i) + "\n---\n## Overview\n\nTBD\n\n## Empty\n"
	}
	s := loadSite(t, files)
	defer func(n int) { chunkPages = n }(chunkPages)
	chunkPages = 1 << 30
	want := Run(s)
	rules := map[string]bool{}
	for _, d := range want {
		if ScopeOf(d.Rule) == ScopePage {
			rules[d.Rule] = true
		}
	}
	if len(rules) < 5 {
		t.Fatalf("the site fires %d rules of ScopePage, want at least 5: %v", len(rules), want)
	}
	for _, n := range []int{1, 2, 5} {
		chunkPages = n
		if got := Run(s); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("chunks of %d pages:\n%v\nwant\n%v", n, got, want)
		}
	}
}

// TestNamesTicket checks the issue keys found by hand against the
// expression's form of them, and namesTicket against ticketRE.
func TestNamesTicket(t *testing.T) {
	keyRE := regexp.MustCompile(`\b[A-Z][A-Z0-9]+-\d+\b`)
	parts := []string{"OPS", "ops", "A", "AB", "A1", "1A", "X_", "_", "-", "--", "12", "3", "#4", "é", "\xff", " ", ",", ".", "ticket", "Issue", "bug:", "a", "Z9"}
	r := rand.New(rand.NewPCG(5, 6))
	texts := []string{"", "OPS-12", "OPS-12.", "xOPS-12", "OPS-12x", "O-12", "OPS-", "-12", "éOPS-12", "OP_S-12", "Fix it, owner @a, OPS-2937"}
	for range 20000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		texts = append(texts, b.String())
	}
	for _, text := range texts {
		if got, want := hasIssueKey(text), keyRE.MatchString(text); got != want {
			t.Fatalf("hasIssueKey(%q) = %v, want %v", text, got, want)
		}
		if got, want := namesTicket(text), ticketRE.MatchString(text); got != want {
			t.Fatalf("namesTicket(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestHoldsTodo checks the search for the words todoRE matches against
// plain searches for each.
func TestHoldsTodo(t *testing.T) {
	parts := []string{"T", "O", "D", "B", "F", "I", "X", "M", "E", "TO", "DO", "TB", "FI", "ME", "TODO", "TBD", "FIXME", "x", " "}
	r := rand.New(rand.NewPCG(7, 8))
	for range 20000 {
		var b strings.Builder
		for range r.IntN(10) {
			b.WriteString(parts[r.IntN(len(parts))])
		}
		text := b.String()
		want := strings.Contains(text, "TODO") || strings.Contains(text, "TBD") || strings.Contains(text, "FIXME")
		if got := holdsTodo([]byte(text)); got != want {
			t.Fatalf("holdsTodo(%q) = %v, want %v", text, got, want)
		}
	}
}
