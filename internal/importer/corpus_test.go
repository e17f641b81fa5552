package importer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// TestCorpus imports real content of ../shared/corpus — ISIS' AOE radar,
// log4brains' own decision log — into an empty site and builds it: no
// error, every item a page, and the radar drawing every item with the
// history the site reads from the AOE folder as it is.
func TestCorpus(t *testing.T) {
	for _, tc := range []struct {
		name, corpus, source string
		renumber             bool
		kind                 page.Kind
		pages                int
	}{
		{name: "radar-isis", corpus: "radar-isis", source: "aoe", kind: page.KindEvaluation, pages: 89},
		{name: "adr-log4brains", corpus: "adr-log4brains", source: "log4brains", kind: page.KindADR, pages: 9},
		{name: "adr-log4brains-renumbered", corpus: "adr-log4brains", source: "log4brains", renumber: true, kind: page.KindADR, pages: 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := golden.CorpusDir(t, tc.corpus)
			src, _ := SourceNamed(tc.source)
			fsys := os.DirFS(dir)
			sub, err := src.Locate(fsys)
			if err != nil {
				t.Fatal(err)
			}
			root := t.TempDir()
			cfg := site.DefaultConfig(root)
			cfg.Now = today
			p := src.Convert([]Input{{Name: path.Join(tc.corpus, sub), FS: mustSub(t, fsys, sub)}}, Options{Today: today, Schema: cfg.Schema, Renumber: tc.renumber})
			if p.Diags.HasErrors() {
				t.Fatalf("import found errors:\n%s", diags(p))
			}
			t.Logf("import report:\n%s", diags(p))
			w, err := p.Write(filepath.Join(root, "content", src.Dir))
			if err != nil {
				t.Fatal(err)
			}
			if len(w.Skipped) > 0 {
				t.Fatalf("skipped %v in an empty site", w.Skipped)
			}
			res, err := build.Run(context.Background(), build.Options{Site: cfg})
			if err != nil {
				t.Fatal(err)
			}
			if res.Diags.HasErrors() {
				var errs []string
				for _, d := range res.Diags {
					if d.Severity == diag.Error {
						errs = append(errs, d.String())
					}
				}
				t.Fatalf("the imported site builds with errors:\n%s", strings.Join(errs, "\n"))
			}
			if got := len(res.Site.OfKind(tc.kind)); got != tc.pages {
				t.Errorf("%d %s pages, want %d", got, tc.kind, tc.pages)
			}
			if tc.kind != page.KindEvaluation {
				return
			}
			index := res.Output["/"+src.Dir+"/index.html"]
			if got := bytes.Count(index, []byte(`class="hb-blip`)); got != tc.pages {
				t.Errorf("the radar draws %d blips, want %d", got, tc.pages)
			}
			// The same radar as the site draws from the AOE folder itself.
			native := site.DefaultConfig(dir)
			native.Now = today
			nres, err := build.Run(context.Background(), build.Options{Site: native, Skip: build.Render | build.Search | build.Rules | build.Layouts})
			if err != nil {
				t.Fatal(err)
			}
			if d := golden.Diff(radarSummary(nres.Site), radarSummary(res.Site)); d != "" {
				t.Errorf("the imported radar differs from the one the site reads from %s:\n%s", dir, d)
			}
		})
	}
}

// radarSummary lists a site's evaluations: title, ring, quadrant and the
// rings of their history, one a line, sorted.
func radarSummary(s *site.Site) string {
	var out []string
	for _, p := range s.OfKind(page.KindEvaluation) {
		e := p.Evaluation
		var h []string
		for _, x := range e.History {
			h = append(h, x.Date.Format("2006-01-02")+" "+x.Ring)
		}
		out = append(out, fmt.Sprintf("%s | %s | %s | %s", p.Title, e.Ring, e.Quadrant, strings.Join(h, ", ")))
	}
	slices.Sort(out)
	return strings.Join(out, "\n") + "\n"
}
