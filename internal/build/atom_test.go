package build_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/atom"
	"github.com/handbook-dev/handbook/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestPublicFeed builds the public profile of leakFixture and checks its
// Atom feed: valid, with the full content of the public posts and
// postmortems, and as recorded in testdata/public-feed.xml.
func TestPublicFeed(t *testing.T) {
	out, _ := buildPublic(t)
	data, err := os.ReadFile(filepath.Join(out, "feed.xml"))
	if err != nil {
		t.Fatal(err)
	}
	f, probs := atom.Check(data)
	for _, p := range probs {
		t.Error(p)
	}
	if f != nil {
		if len(f.Entries) != 2 {
			t.Errorf("%d entries, want the post and the reviewed postmortem", len(f.Entries))
		}
		for _, e := range f.Entries {
			if len(e.Content) != 1 || e.Content[0].Type != "html" || !strings.Contains(e.Content[0].Text, "<p>") {
				t.Errorf("entry %v: no full HTML content", e.Title)
			}
		}
	}
	goldenFile := filepath.Join("testdata", "public-feed.xml")
	if *update {
		if err := os.WriteFile(goldenFile, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenFile)
	if err != nil {
		t.Fatalf("%v (run with -update to record it)", err)
	}
	if d := golden.Diff(string(want), string(data)); d != "" {
		t.Errorf("feed.xml differs from %s (-update rewrites it):\n%s", goldenFile, d)
	}
}
