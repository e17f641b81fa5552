package lint

import (
	"testing"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/site"
)

func TestMatchPath(t *testing.T) {
	for _, tc := range []struct {
		glob, name string
		want       bool
	}{
		{"content/legacy/**", "content/legacy/a.md", true},
		{"content/legacy/**", "content/legacy/old/b.md", true},
		{"content/legacy/**", "content/legacyx/a.md", false},
		{"content/legacy", "content/legacy/old/b.md", true},
		{"content/legacy", "content/legacy.md", false},
		{"content/**/old-*.md", "content/old-a.md", true},
		{"content/**/old-*.md", "content/x/y/old-a.md", true},
		{"content/**/old-*.md", "content/x/new.md", false},
		{"**/imported/**", "runbooks/imported/db.md", true},
		{"content/*.md", "content/a.md", true},
		{"content/*.md", "content/x/a.md", false},
		{"runbooks/**", "content/a.md", false},
	} {
		if got := MatchPath(tc.glob, tc.name); got != tc.want {
			t.Errorf("MatchPath(%q, %q) = %v, want %v", tc.glob, tc.name, got, tc.want)
		}
	}
}

// TestApplyImported: in imported files, house rules become info and
// correctness rules keep their severity; elsewhere nothing changes; a
// rule turned off stays off.
func TestApplyImported(t *testing.T) {
	at := func(file, rule string, sev diag.Severity) diag.Diagnostic {
		return diag.Diagnostic{Pos: diag.Position{File: file, Line: 1, Col: 1}, Severity: sev, Rule: rule, Message: "m"}
	}
	cfg := &site.Config{Imported: []string{"content/legacy/**"}, Rules: map[string]string{"placeholder": "off", "orphan-page": "error"}}
	got := Apply(cfg, diag.List{
		at("content/legacy/a.md", "required-field", diag.Error),
		at("content/legacy/a.md", "broken-link", diag.Error),
		at("content/legacy/a.md", "secret", diag.Error),
		at("content/legacy/a.md", "orphan-page", diag.Warning),
		at("content/legacy/a.md", "placeholder", diag.Warning),
		at("content/new.md", "required-field", diag.Error),
	})
	want := diag.List{
		at("content/legacy/a.md", "broken-link", diag.Error),
		at("content/legacy/a.md", "secret", diag.Error),
		at("content/legacy/a.md", "orphan-page", diag.Info),
		at("content/legacy/a.md", "required-field", diag.Info),
		at("content/new.md", "required-field", diag.Error),
	}
	if len(got) != len(want) {
		t.Fatalf("Apply = %v\nwant %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("finding %d = %v, want %v", i, got[i], want[i])
		}
	}
}

func TestHouseRulesInCatalog(t *testing.T) {
	if len(HouseRules()) != len(houseRules) {
		t.Errorf("HouseRules() = %v; some of %v are not in the catalog", HouseRules(), houseRules)
	}
	for _, id := range []string{"broken-link", "broken-anchor", "broken-reference", "secret", "front-matter-syntax", "invalid-utf8"} {
		if IsHouseRule(id) {
			t.Errorf("%s is a house rule; it is about correctness", id)
		}
	}
}
