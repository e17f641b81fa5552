package starter

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"
	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

var day = time.Date(2026, 11, 18, 15, 4, 5, 0, time.UTC)

func files(t *testing.T) map[string]string {
	t.Helper()
	fs, err := Files(day)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, f := range fs {
		out[f.Path] = string(f.Data)
	}
	return out
}

// TestFiles checks what a new handbook holds: every page reads as the
// kind its folder gives with no problem, the YAML files decode, and the
// dates are those of the day given.
func TestFiles(t *testing.T) {
	got := files(t)
	want := map[string]page.Kind{
		"content/index.md":                                      page.KindPage,
		"content/guides/how-this-handbook-works.md":             page.KindPage,
		"runbooks/checkout-api-errors.md":                       page.KindRunbook,
		"content/adr/0001-record-architecture-decisions.md":     page.KindADR,
		"content/postmortems/2026-11-04-checkout-api-errors.md": page.KindPostmortem,
		"content/evaluations/madr.md":                           page.KindEvaluation,
		"content/posts/2026-11-18-welcome-to-the-handbook.md":   page.KindPost,
	}
	kinds := site.DefaultKindDirs()
	for name, kind := range want {
		src, ok := got[name]
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		p, diags := page.Parse(name, []byte(src), folderKind(path.Dir(name), kinds), page.DefaultSchema())
		if p.Kind != kind || p.Template {
			t.Errorf("%s is a %s (template %v), want a %s", name, p.Kind, p.Template, kind)
		}
		for _, d := range diags {
			t.Errorf("%s", d)
		}
		if strings.Contains(src, "[%") {
			t.Errorf("%s: a template action is left: %s", name, src)
		}
	}
	for _, name := range []string{"handbook.yaml", ".github/workflows/handbook.yml", ".gitlab-ci.yml"} {
		var v map[string]any
		if err := yaml.Unmarshal([]byte(got[name]), &v); err != nil || len(v) == 0 {
			t.Errorf("%s is not a YAML mapping: %v", name, err)
		}
	}
	if !strings.Contains(got["runbooks/checkout-api-errors.md"], "\nlast_reviewed: 2026-11-18\n") {
		t.Error("the runbook is not reviewed on the day given")
	}
	if !strings.Contains(got["content/evaluations/madr.md"], "{date: 2026-08-18, ring: trial}") {
		t.Error("the evaluation's trial is not three months before the day given")
	}
	if ig := got[".gitignore"]; !strings.Contains(ig, "\npublic/\n") || !strings.Contains(ig, "\n.handbook-cache/\n") {
		t.Errorf(".gitignore leaves out public/ or .handbook-cache/:\n%s", ig)
	}
	if len(got) != len(want)+4 {
		t.Errorf("%d files, want %d", len(got), len(want)+4)
	}
}

// TestOnboarding checks the start-here path: steps 1, 2, 3, 4, each once.
func TestOnboarding(t *testing.T) {
	var steps []string
	for name, src := range files(t) {
		if m := regexp.MustCompile(`(?m)^onboarding: (\d+)$`).FindStringSubmatch(src); m != nil {
			steps = append(steps, m[1])
			if !strings.HasSuffix(name, ".md") {
				t.Errorf("%s has onboarding", name)
			}
		}
	}
	slices.Sort(steps)
	if strings.Join(steps, " ") != "1 2 3 4" {
		t.Errorf("onboarding steps %v, want 1 2 3 4", steps)
	}
}

// ciCommands returns the handbook commands the CI files run: the run:
// steps of GitHub workflows and the script lines of GitLab jobs, with
// white space collapsed (a folded >- command reads as one line).
func ciCommands(t *testing.T, name string, src []byte) []string {
	t.Helper()
	var doc any
	if err := yaml.Unmarshal(src, &doc); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var out []string
	var walk func(v any, key string)
	walk = func(v any, key string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(x, k)
			}
		case []any:
			for _, x := range v {
				walk(x, key)
			}
		case string:
			if key == "run" || key == "script" || key == "before_script" {
				if c := strings.Join(strings.Fields(v), " "); strings.HasPrefix(c, "handbook ") || strings.HasPrefix(c, "go install") {
					out = append(out, c)
				}
			}
		}
	}
	walk(doc, "")
	return out
}

// TestCICommands checks that the CI files are valid YAML that run the
// commands content/docs/ci.md documents, as written there, and build the
// site.
func TestCICommands(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "content", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	fence := regexp.MustCompile("(?s)```yaml\n(.*?)```")
	for _, m := range fence.FindAllSubmatch(doc, -1) {
		for _, c := range ciCommands(t, "ci.md", m[1]) {
			documented[c] = true
		}
	}
	if len(documented) < 5 {
		t.Fatalf("found only %d commands in ci.md: %v", len(documented), documented)
	}
	got := files(t)
	for _, name := range []string{".github/workflows/handbook.yml", ".gitlab-ci.yml"} {
		cmds := ciCommands(t, name, []byte(got[name]))
		var checks, builds int
		for _, c := range cmds {
			switch {
			case strings.HasPrefix(c, "handbook build"):
				builds++
				continue
			case strings.HasPrefix(c, "handbook check"):
				checks++
			}
			if !documented[c] {
				t.Errorf("%s runs %q, which ci.md does not", name, c)
			}
		}
		if checks == 0 || builds != 1 {
			t.Errorf("%s runs %d checks and %d builds: %q", name, checks, builds, cmds)
		}
	}
	gh := got[".github/workflows/handbook.yml"]
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				Uses string
				With map[string]any
				Run  string
			}
		}
	}
	if err := yaml.Unmarshal([]byte(gh), &wf); err != nil {
		t.Fatal(err)
	}
	steps := wf.Jobs["check"].Steps
	var order []string
	for _, s := range steps {
		switch {
		case s.Uses == "actions/checkout@v4" && s.With["fetch-depth"] == 0:
			order = append(order, "checkout")
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			order = append(order, "setup-go")
		case strings.HasPrefix(s.Run, "go install github.com/handbook-dev/handbook/cmd/handbook@latest"):
			order = append(order, "install")
		case strings.Contains(s.Run, "handbook check") && strings.Contains(s.Run, "--format github"):
			order = append(order, "check")
		case s.Run == "handbook build":
			order = append(order, "build")
		}
	}
	if want := "checkout setup-go install check check build"; strings.Join(order, " ") != want {
		t.Errorf("the check job's steps are %v, want %s", order, want)
	}
}

// TestYAMLScalar checks that names are written plain when they read back
// as themselves, and quoted when not.
func TestYAMLScalar(t *testing.T) {
	for _, s := range []string{"docs", "docs/adr", "/runbooks/", ".", "tech-radar", "yes", "on", "1.5", "", "my docs", "a: b", "#x", "-x", "docs/**", `q"uote`, "ünï"} {
		w := yamlScalar(s)
		var back string
		if err := yaml.Unmarshal([]byte("k: "+w), &struct{ K *string }{&back}); err != nil || back != s {
			t.Errorf("yamlScalar(%q) = %s, which reads back as %q (%v)", s, w, back, err)
		}
		if plain := s == "docs" || s == "/runbooks/" || s == "."; plain && w != s {
			t.Errorf("yamlScalar(%q) = %s, want it plain", s, w)
		}
	}
}

// TestRead checks what a survey finds in folders of Markdown written for
// other tools, and the layout it writes.
func TestRead(t *testing.T) {
	tests := []struct {
		name  string
		files string
		found []string
		kinds []string // folder: kind
		roots []string // dir mount
		notes []string
	}{{
		name: "mapped",
		files: `
-- README.md --
# Service
-- docs/adr/0001-a.md --
---
status: accepted
---
# A

## Context and Problem Statement

x

## Considered Options

* a

## Decision Outcome

Chosen option: a
-- docs/adr/0002-b.md --
# B

## Context and Problem Statement

x

## Considered Options

* b

## Decision Outcome

Chosen option: b
-- docs/adr/template.md --
# {short title of solved problem}

## Context and Problem Statement

{Describe the context}
-- docs/rfcs/0001-x.md --
# 1. X

## Status

Accepted

## Context

c

## Decision

d

## Consequences

e
-- docs/guide.md --
# Guide
-- oncall/playbooks/db.md --
---
title: DB
service: db
---
-- oncall/playbooks/README.md --
# Playbooks
-- postmortems/2024-01-02-a.md --
# A
-- src/NOTES.md --
# notes
-- node_modules/x/README.md --
# not read
`,
		found: []string{"2 ADRs in docs/adr (MADR)", "1 ADR in docs/rfcs (Nygard; mapped with kinds: rfcs: adr)",
			"1 runbook in oncall/playbooks (mapped with kinds: playbooks: runbook)", "1 postmortem in postmortems"},
		kinds: []string{"playbooks: runbook", "rfcs: adr"},
		roots: []string{"docs /", "oncall /oncall/", "postmortems /postmortems/"},
	}, {
		name: "name used twice",
		files: `
-- docs/notes/0001-a.md --
# 1. A

## Status

Accepted

## Context

c

## Decision

d

## Consequences

e
-- docs/notes/0002-b.md --
# 2. B

## Status

Accepted

## Context

c

## Decision

d

## Consequences

e
-- team/notes/meeting.md --
# Meeting
`,
		found: []string{"2 ADRs in docs/notes (Nygard; by their fields and sections)"},
		roots: []string{"docs /"},
		notes: []string{"docs/notes holds adr pages but is left unmapped: kinds: {notes: adr} would apply to team/notes too; give its pages kind: adr"},
	}, {
		name: "pages at the top",
		files: `
-- 0001-use-x.md --
# 1. Use X

## Status

Accepted

## Context

c

## Decision

d

## Consequences

e
-- more/y.md --
# Y
`,
		found: []string{"1 ADR in the top folder (Nygard; by their fields and sections)"},
		roots: []string{". /"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range txtar.Parse([]byte(tt.files)).Files {
				name := filepath.Join(dir, filepath.FromSlash(f.Name))
				if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(name, f.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			s, err := Read(dir)
			if err != nil {
				t.Fatal(err)
			}
			var found, kinds, roots []string
			for _, f := range s.Found {
				found = append(found, f.String())
			}
			for _, k := range s.Layout.Kinds {
				kinds = append(kinds, k.Folder+": "+string(k.Kind))
			}
			for _, r := range s.Layout.Roots {
				roots = append(roots, r.Dir+" "+r.Mount)
			}
			slices.Sort(found)
			slices.Sort(tt.found)
			check := func(what string, got, want []string) {
				if strings.Join(got, "\n") != strings.Join(want, "\n") {
					t.Errorf("%s:\n%s\nwant:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
				}
			}
			check("found", found, tt.found)
			check("kinds", kinds, tt.kinds)
			check("roots", roots, tt.roots)
			check("notes", s.Notes, tt.notes)

			// The configuration written for it is valid YAML that
			// names the kinds and roots found.
			cfg, err := Config(s.Layout)
			if err != nil {
				t.Fatal(err)
			}
			var v struct {
				Roots []struct{ Dir, Mount string }
				Kinds map[string]string
			}
			if err := yaml.Unmarshal(cfg, &v); err != nil {
				t.Fatalf("%v\n%s", err, cfg)
			}
			if len(v.Roots) != len(tt.roots) || len(v.Kinds) != len(tt.kinds) {
				t.Errorf("handbook.yaml has %d roots and %d kinds, want %d and %d:\n%s", len(v.Roots), len(v.Kinds), len(tt.roots), len(tt.kinds), cfg)
			}
		})
	}
}
