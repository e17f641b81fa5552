package render

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// TestLendFiles: a renderer that lends its files (LendFiles) gives the
// bytes one that copies them gives, with the theme's layouts (whose
// sidebar is written in its parts where the layout writes it) and with a
// site's that write it twice, in an attribute or not at all; the bytes of
// a file not handed back stay as they were while later files are
// rendered into the buffers handed back, and only their buffers stay
// lent; recycling bytes it did not lend does nothing.
func TestLendFiles(t *testing.T) {
	for _, c := range []struct {
		name, layout string
		// shows is what the layout writes in each decision's page.
		shows string
	}{
		{"the theme's layouts", "", `<nav id="sidebar"`},
		{"the sidebar written twice", `{{define "main"}}<div class="again">{{.NavHTML}}</div>{{template "body" .}}{{end}}`, `<div class="again">`},
		{"the sidebar in an attribute", `{{define "main"}}<div data-nav="{{.NavHTML}}"></div>{{template "body" .}}{{end}}`, `<div data-nav="Services`},
		{"the sidebar in a condition never met", `{{define "main"}}{{if eq .URL "/nowhere/"}}{{.NavHTML}}{{end}}<p class="plain"></p>{{template "body" .}}{{end}}`, `<p class="plain">`},
		{"the page written twice, the sidebar between", `{{define "main"}}<div class="again">{{.Content}}</div>{{.NavHTML}}{{template "body" .}}{{end}}`, `<div class="again"><p>`},
		{"the page in an attribute", `{{define "main"}}<div data-body="{{.Content}}"></div>{{template "body" .}}{{end}}`, `<div data-body="`},
		{"the page in a condition", `{{define "main"}}{{with .Content}}<section class="with">{{.}}</section>{{end}}{{end}}`, `<section class="with"><p>`},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := sitegen.Generate(dir, 150, 1); err != nil {
				t.Fatal(err)
			}
			if c.layout != "" {
				for _, name := range []string{"adr.html", "runbook.html"} {
					writeFile(t, dir, "layouts/"+name, []byte(c.layout))
				}
			}
			cfg := site.DefaultConfig(dir)
			cfg.Now = sitegen.Today
			want := renderFiles(t, loadRenderer(t, cfg))
			adrs := 0
			for p, b := range want {
				if strings.HasPrefix(p, "/adr/0") {
					adrs++
					if !strings.Contains(string(b), c.shows) {
						t.Fatalf("%s does not show %s", p, c.shows)
					}
				}
			}
			if adrs == 0 {
				t.Fatal("no decision rendered")
			}
			lendFiles(t, loadRenderer(t, cfg), want)
		})
	}
}

// lendFiles renders every file of r, lent, and compares each with want.
func lendFiles(t *testing.T, r *Renderer, want map[string][]byte) {
	t.Helper()
	recycle := r.LendFiles()
	recycle(nil)
	recycle([]byte("never lent"))
	var mu sync.Mutex
	held := map[string][]byte{}
	got, recycled := 0, 0
	err := r.All(context.Background(), func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		got++
		if string(b) != string(want[p]) {
			t.Errorf("%s: lent bytes differ from the copied ones", p)
		}
		if strings.Contains(string(b), "<!--handbook sidebar ") {
			t.Errorf("%s: the sidebar's mark is left in the file", p)
		}
		if strings.Contains(string(b), "<!--handbook content ") {
			t.Errorf("%s: the page's mark is left in the file", p)
		}
		// Every third file is kept, the others handed back at once.
		if got%3 == 0 {
			held[p] = b
			return nil
		}
		recycle(b)
		recycled++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The renderer keeps only the buffers of files not handed back (the
	// files held that were rendered from a layout).
	heldAt := map[*byte]bool{}
	for _, b := range held {
		if len(b) > 0 {
			heldAt[&b[0]] = true
		}
	}
	lent := 0
	r.lent.Range(func(k, _ any) bool {
		lent++
		if !heldAt[k.(*byte)] {
			t.Errorf("a buffer handed back is still lent")
			return false
		}
		return true
	})
	if lent == 0 {
		t.Error("no file held was lent")
	}
	if got != len(want) || recycled == 0 || len(held) == 0 {
		t.Fatalf("%d files (want %d), %d handed back, %d held", got, len(want), recycled, len(held))
	}
	for p, b := range held {
		if string(b) != string(want[p]) {
			t.Errorf("%s: a file held changed while later files were rendered", p)
		}
	}
}
