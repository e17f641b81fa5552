package site

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden loads each testdata/*.txtar site and compares a dump of what
// the graph holds — every link's and reference's resolution, relations on
// both ends, backlinks, services, related pages, the start-here path — and
// the diagnostics with the archive's "want" file. -update rewrites it.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden sites")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			want := -1
			for i, f := range a.Files {
				if f.Name == "want" {
					want = i
					continue
				}
				write(t, dir, map[string]string{f.Name: string(f.Data)})
			}
			got := dump(load(t, dir))
			if *update {
				if want < 0 {
					a.Files = append(a.Files, txtar.File{Name: "want"})
					want = len(a.Files) - 1
				}
				a.Files[want].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want < 0 {
				t.Fatal("no want file; run with -update")
			}
			if w := string(a.Files[want].Data); w != got {
				t.Errorf("graph differs:\n%s", golden.Diff(w, got))
			}
		})
	}
}

func dump(s *Site) string {
	var b strings.Builder
	for _, p := range s.Pages {
		fmt.Fprintf(&b, "%s %s [%s] %q\n", p.URL, p.Path, p.Kind, p.Title)
		for _, l := range p.Doc.Links {
			fmt.Fprintf(&b, "  link %d:%d %s -> %s\n", l.Line, l.Col, l.Dest, l.Target())
		}
		for _, r := range p.Doc.Refs {
			to := "UNRESOLVED"
			if r.Resolved {
				to = r.URL + " " + fmt.Sprintf("%q", r.Display())
			}
			fmt.Fprintf(&b, "  ref %d:%d [[%s]] -> %s\n", r.Line, r.Col, r.Target, to)
		}
		list := func(name string, ps []*Page) {
			if len(ps) == 0 {
				return
			}
			var us []string
			for _, q := range ps {
				us = append(us, q.URL)
			}
			fmt.Fprintf(&b, "  %s: %s\n", name, strings.Join(us, " "))
		}
		list("supersedes", p.Supersedes)
		list("superseded by", p.SupersededBy)
		for _, r := range p.Relations {
			list(r.Name, r.Pages)
		}
		for _, r := range p.Incoming {
			list("<- "+r.Name, r.Pages)
		}
		for _, r := range p.BacklinksByKind() {
			list("referenced by "+r.Name, r.Pages)
		}
		list("related", p.RelatedPages)
		if e := p.Evaluation; e != nil && len(e.History) > 0 {
			// An item of several radar releases: what they fold into.
			var hs []string
			for _, h := range e.History {
				hs = append(hs, h.Date.Format("2006-01-02")+" "+h.Ring)
			}
			fmt.Fprintf(&b, "  radar: %s in %s (as %q), history %s, aliases %s\n", e.Ring, e.Quadrant, e.QuadrantLabel, strings.Join(hs, ", "), strings.Join(p.Aliases, " "))
		}
		if p.Step > 0 {
			fmt.Fprintf(&b, "  start here %d/%d\n", p.Step, p.Steps)
		}
	}
	for _, g := range s.Services() {
		var us []string
		for _, q := range g.Pages {
			us = append(us, q.URL)
		}
		fmt.Fprintf(&b, "service %s: %s\n", g.Slug, strings.Join(us, " "))
	}
	for _, g := range s.Owners() {
		fmt.Fprintf(&b, "owner %s: %d pages\n", g.Slug, len(g.Pages))
	}
	for _, d := range s.Diags {
		fmt.Fprintln(&b, d)
	}
	return b.String()
}
