package build

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"weak"

	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
)

// TestSearchDocsMakeBodiesWhenRead: searchDocs makes no page's body until
// the index reads it, then makes it from the document the page had when
// searchDocs was called, even when the page was given another since (an
// update in place); the index it gives is the one of the bodies made at
// once, file for file.
func TestSearchDocsMakeBodiesWhenRead(t *testing.T) {
	dir := t.TempDir()
	writeSteps(t, dir)
	s, err := site.Load(context.Background(), site.DefaultConfig(dir))
	if err != nil {
		t.Fatal(err)
	}
	pages := s.Published()
	eager := make([]search.Doc, 0, len(pages))
	want := map[string][]search.Piece{}
	for _, p := range pages {
		d := searchDoc(p)
		eager = append(eager, d)
		want[p.URL] = d.Body
	}
	eager = append(eager, generatedDocs(s)...)

	lazy := searchDocs(s)
	bodies := 0
	for _, d := range lazy {
		if want[d.URL] == nil {
			continue
		}
		bodies++
		if d.Body != nil || d.Text == nil {
			t.Fatalf("%s: body made at once (%d pieces), or not to be made (Text nil)", d.URL, len(d.Body))
		}
	}
	if bodies != len(pages) || bodies == 0 {
		t.Fatalf("%d of %d pages have a body to make", bodies, len(pages))
	}

	// Each page is given another document, as an update in place would:
	// the bodies are still the documents' searchDocs saw.
	kept := map[*site.Page]*markdown.Document{}
	for _, p := range pages {
		kept[p] = p.Doc
		p.Doc = &markdown.Document{Source: []byte("changed")}
	}
	for _, d := range lazy {
		if w, ok := want[d.URL]; ok {
			if got := d.Text(); !reflect.DeepEqual(got, w) {
				t.Errorf("%s: body made late is %+v, want %+v", d.URL, got, w)
			}
		}
	}
	for p, d := range kept {
		p.Doc = d
	}

	if got, want := search.Build(searchDocs(s)).Files(), search.Build(eager).Files(); !maps.EqualFunc(got, want, func(a, b []byte) bool { return string(a) == string(b) }) {
		t.Errorf("the index of bodies made when read (%d files) differs from the index of bodies made at once (%d files)", len(got), len(want))
	}
}

// writeSteps writes six runbooks of one service under dir.
func writeSteps(t *testing.T, dir string) {
	t.Helper()
	for i := range 6 {
		name := filepath.Join(dir, "runbooks", "api", fmt.Sprintf("step-%d.md", i))
		body := fmt.Sprintf("---\ntitle: Step %d\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Check\n\nLook at the queue depth %d.\n\n```sh\nkubectl -n api get pods\n```\n\n## Restart\n\nRestart the consumer.\n", i, i)
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSearchDocsDroppingLetTheSiteGo: the documents searchDocsDropping
// makes hold nothing of the site: the site and its pages' documents may be
// collected before the index reads the bodies (a build lets the site go
// once its pages are written), and the bodies read then are those of the
// documents; the pages have let their sources go.
func TestSearchDocsDroppingLetTheSiteGo(t *testing.T) {
	dir := t.TempDir()
	writeSteps(t, dir)
	s, err := site.Load(context.Background(), site.DefaultConfig(dir))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]search.Piece{}
	for _, p := range s.Published() {
		want[p.URL] = searchDoc(p).Body
	}
	docs := searchDocsDropping(s)
	for _, p := range s.Pages {
		if p.Doc.Source != nil {
			t.Errorf("%s: source kept", p.Path)
		}
	}
	ws, wd := weak.Make(s), weak.Make(s.Pages[0].Doc)
	s = nil
	runtime.GC()
	runtime.GC()
	if ws.Value() != nil || wd.Value() != nil {
		t.Fatalf("the search documents hold the site (%v) or a page's document (%v)", ws.Value() != nil, wd.Value() != nil)
	}
	bodies := 0
	for _, d := range docs {
		if w, ok := want[d.URL]; ok {
			bodies++
			if got := d.Text(); !reflect.DeepEqual(got, w) || len(got) == 0 {
				t.Errorf("%s: body %+v, want %+v", d.URL, got, w)
			}
		}
	}
	if bodies != 6 {
		t.Errorf("%d bodies, want 6", bodies)
	}
}
