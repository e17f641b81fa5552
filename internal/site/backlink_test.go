package site

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// TestBacklinksMirrorOutgoing checks that every page's backlinks are the
// pages whose outgoing links name it, once each, in URL order, on a
// generated handbook and on pages that link twice to a page, to
// themselves and to a page in another folder.
func TestBacklinksMirrorOutgoing(t *testing.T) {
	gen := filepath.Join(t.TempDir(), "gen")
	if err := sitegen.Generate(gen, 300, 1); err != nil {
		t.Fatal(err)
	}
	hand := t.TempDir()
	write(t, hand, map[string]string{
		"content/a.md":       "# A\n\n[b](b.md) and [b again](b.md), [me](a.md), [z](z/zed.md)\n",
		"content/b.md":       "# B\n\n[a](a.md)\n",
		"content/c.md":       "# C\n\n[b](b.md) [[B]]\n",
		"content/z/zed.md":   "# Zed\n\n[b](../b.md)\n",
		"content/z/index.md": "# Z\n\n[zed](zed.md) [c](../c.md)\n",
	})
	for _, dir := range []string{gen, hand} {
		s := load(t, dir)
		want := map[*Page][]*Page{}
		for _, p := range s.Pages {
			for _, q := range p.Outgoing {
				want[q] = append(want[q], p)
			}
		}
		linked := 0
		for _, p := range s.Pages {
			w := want[p]
			slices.SortFunc(w, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
			w = slices.Compact(w)
			if !slices.Equal(p.Backlinks, w) {
				t.Errorf("%s: backlinks %v, want %v", p.URL, urlsOf(p.Backlinks), urlsOf(w))
			}
			linked += len(w)
		}
		if linked == 0 {
			t.Fatalf("%s: no page has a backlink", dir)
		}
	}
	s := load(t, hand)
	if b := s.byURL["/b/"]; b == nil || !slices.Equal(urlsOf(b.Backlinks), []string{"/a/", "/c/", "/z/zed/"}) {
		t.Errorf("backlinks of B: %v", b)
	}
}

func urlsOf(ps []*Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.URL)
	}
	return out
}
