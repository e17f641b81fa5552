package lint

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

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
	for _, d := range run(s, func(r *Rule) bool { return r.ID == id }) {
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
