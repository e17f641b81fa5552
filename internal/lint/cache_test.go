package lint

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/site"
)

// TestRunCached loads a site again and again with a Memo, as the preview
// does, editing a page between loads: RunCached's findings equal Run's
// every time, and the pages that did not change take theirs from the
// cache.
func TestRunCached(t *testing.T) {
	for id := range ownRules {
		if ScopeOf(id) != ScopePage {
			t.Errorf("%s keeps its findings by page but is not of ScopePage", id)
		}
	}
	dir := t.TempDir()
	write := func(name, data string) string {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pm := write("content/postmortems/outage.md", postmortemHead+"## Summary\n\nBob should have checked the disk. TODO: more.\n\n## Timeline\n\n#### Late\n")
	rb := write("runbooks/restart.md", "---\ntitle: Restart {service}\nowner: sre\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it.\n\n## Empty\n")
	write("content/guide.md", "---\ntitle: Guide\n---\n# Guide\n\n### Deep\n\nText.\n")
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	cfg.Memo = site.NewMemo()
	c := NewCache()
	check := func(what string) {
		t.Helper()
		s, err := site.Load(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, want := RunCached(s, c), Run(s)
		if !slices.EqualFunc(got, want, func(a, b diag.Diagnostic) bool { return a.String() == b.String() }) {
			t.Errorf("%s: RunCached gave\n%v\nRun\n%v", what, got, want)
		}
		if len(c.last) != len(s.Pages) {
			t.Errorf("%s: %d pages kept, want %d", what, len(c.last), len(s.Pages))
		}
	}
	check("first load")
	check("nothing changed")

	// The postmortem blames nobody now, and its placeholder is gone; the
	// runbook's title is filled in, its empty section too.
	write("content/postmortems/outage.md", postmortemHead+"## Summary\n\nThe disk check was missing.\n\n## Timeline\n\n#### Late\n")
	cfg.Memo.Forget(pm)
	check("postmortem edited")
	write("runbooks/restart.md", "---\ntitle: Restart the API\nowner: sre\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it.\n\n## Empty\n\nNot any more.\n")
	cfg.Memo.Forget(rb)
	check("runbook edited")
}
