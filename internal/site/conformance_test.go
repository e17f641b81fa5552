package site

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// conformanceCase is one case of testdata/conformance.yaml: Markdown in,
// what GitHub (or the source named) makes of it out.
type conformanceCase struct {
	Name string `yaml:"name"`
	// Source is where the expected behaviour comes from: GitHub's docs,
	// a cmark-gfm spec example, a link checker's fixture.
	Source string `yaml:"source"`
	// Differs, when set, says why handbook deliberately differs from the
	// source.
	Differs string `yaml:"differs"`
	// Page is content/index.md, the page under test; Files are other files
	// of the site, by path from the site root.
	Page  string            `yaml:"page"`
	Files map[string]string `yaml:"files"`
	// Unsafe sets markdown.unsafe.
	Unsafe bool `yaml:"unsafe"`

	// IDs must all be ids the page renders; NoIDs must not be.
	IDs   []string `yaml:"ids"`
	NoIDs []string `yaml:"no_ids"`
	// Findings are the rule ids of the findings on the page, in order
	// ("none" for none); a link's verdict.
	Findings []string `yaml:"findings"`
	// HTML are fragments the page's rendered body holds; NoHTML fragments
	// it must not hold.
	HTML   []string `yaml:"html"`
	NoHTML []string `yaml:"no_html"`
	// Title and TitleHTML are the page's title as plain text and as
	// rendered for its heading.
	Title     string `yaml:"title"`
	TitleHTML string `yaml:"title_html"`
}

// TestConformance runs the conformance suite: the cases of
// testdata/conformance.yaml, each with its source, of heading ids, link
// verdicts, rendered HTML and titles as GitHub shows Markdown.
func TestConformance(t *testing.T) {
	data, err := os.ReadFile("testdata/conformance.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []conformanceCase
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if c.Name == "" || c.Source == "" || seen[c.Name] {
			t.Fatalf("case %q: every case needs a unique name and a source", c.Name)
		}
		seen[c.Name] = true
		t.Run(strings.ReplaceAll(c.Name, " ", "_"), func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"content/index.md": c.Page}
			for k, v := range c.Files {
				files[k] = v
			}
			if c.Unsafe {
				files["handbook.yaml"] = "markdown:\n  unsafe: true\n"
			}
			write(t, dir, files)
			cfg := DefaultConfig(dir)
			cfg.Unsafe = c.Unsafe
			s := loadConfig(t, cfg)
			p := s.PageAt("/")
			if p == nil {
				t.Fatal("no page at /")
			}
			for _, id := range c.IDs {
				if !p.Doc.IDs[id] {
					t.Errorf("no id %q; ids: %v", id, sortedIDs(p))
				}
			}
			for _, id := range c.NoIDs {
				if p.Doc.IDs[id] {
					t.Errorf("id %q should not be there", id)
				}
			}
			var rules []string
			for _, d := range s.Diags {
				if d.Pos.File == "content/index.md" {
					rules = append(rules, d.Rule)
				}
			}
			if len(c.Findings) > 0 {
				want := c.Findings
				if len(want) == 1 && want[0] == "none" {
					want = nil
				}
				if !slices.Equal(rules, want) {
					t.Errorf("findings %v, want %v:\n%s", rules, want, strings.Join(diagStrings(s), "\n"))
				}
			}
			html, err := s.Engine.HTML(p.Doc)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range c.HTML {
				if !strings.Contains(string(html), f) {
					t.Errorf("HTML lacks %s\n%s", f, html)
				}
			}
			for _, f := range c.NoHTML {
				if strings.Contains(strings.ToLower(string(html)), strings.ToLower(f)) {
					t.Errorf("HTML holds %s\n%s", f, html)
				}
			}
			if c.Title != "" && p.Title != c.Title {
				t.Errorf("title %q, want %q", p.Title, c.Title)
			}
			if c.TitleHTML != "" && p.TitleHTML != c.TitleHTML {
				t.Errorf("title HTML %q, want %q", p.TitleHTML, c.TitleHTML)
			}
		})
	}
}

func sortedIDs(p *Page) []string {
	var ids []string
	for id := range p.Doc.IDs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
