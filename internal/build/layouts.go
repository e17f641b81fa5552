package build

import (
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/htmllinks"
	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/themes"
)

// loadTheme loads a theme (nil: the default one) with the site's layout
// and static overrides, as builds use it.
func loadTheme(cfg site.Config, theme fs.FS) (*render.Theme, error) {
	if theme == nil {
		theme = themes.Default()
	}
	return render.LoadTheme(theme, cfg.Dir, render.Funcs(cfg.BasePath(), cfg.Now))
}

// checkLayouts checks the links that layouts write (navigation, headers,
// footers) on the rendered HTML of one page of each kind the site renders,
// and reports those that lead to no page or file of the site, at their
// place in the layout file (rule template-link). Links that come from
// Markdown are checked where they are written and are not reported again.
// It fails only when a layout does not execute. r is the site's renderer,
// if one is made already, its files planned; else checkLayouts makes one.
//
// kept are what earlier checks read of sampled pages known not to have
// changed since (a reload's, by their fingerprints); those are not
// rendered again. The result's samples are what this check read of every
// page it sampled, for the next.
func checkLayouts(s *site.Site, th *render.Theme, r *render.Renderer, kept sampleDocs) (diag.List, sampleDocs, error) {
	cfg := s.Config
	if r == nil {
		r = render.New(s, th)
	}
	type sample struct {
		path string
		doc  *htmllinks.Doc
	}
	var samples []sample
	docs := sampleDocs{}
	for _, p := range r.SamplePaths() {
		if d := kept[p]; d != nil {
			samples = append(samples, sample{p, d})
			docs[p] = d
		}
	}
	var mu sync.Mutex
	err := r.Sample(func(p string) bool { return docs[p] != nil }, func(p string, b []byte) error {
		d := htmllinks.Extract(b)
		mu.Lock()
		samples = append(samples, sample{p, d})
		docs[p] = d
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	slices.SortFunc(samples, func(a, b sample) int { return strings.Compare(a.path, b.path) })
	resolve := func(p string) (map[string]bool, bool) {
		if d := docs[p]; d != nil {
			return d.IDs, true
		}
		if r.Has(p) {
			return nil, true // a page not sampled, or a file: fragments unchecked
		}
		return nil, false
	}
	base := cfg.BasePath()
	opts := htmllinks.Options{SiteURL: "https://site.invalid" + base}
	if strings.HasPrefix(cfg.BaseURL, "http://") || strings.HasPrefix(cfg.BaseURL, "https://") {
		opts.SiteURL = cfg.BaseURL
	}
	var out diag.List
	seen := map[string]bool{}
	for _, sm := range samples {
		res := htmllinks.Check(sm.path, sm.doc, resolve, opts)
		for _, f := range res.Findings {
			file, line, col, ok := th.Find(f.URL)
			if !ok && strings.HasPrefix(f.URL, base) && len(f.URL) > len(base) {
				file, line, col, ok = th.Find(strings.TrimPrefix(f.URL, base))
			}
			if !ok || seen[file+"\x00"+f.URL] {
				continue // written in Markdown, or already reported
			}
			seen[file+"\x00"+f.URL] = true
			out.Errorf(diag.Position{File: file, Line: line, Col: col}, templateLinkRule, "layout link: %s (seen on %s); fix the link in the layout", f.Message, sm.path)
		}
	}
	return out, docs, nil
}

// sampleDocs are the links and ids of the pages a layout check sampled, by
// site path.
type sampleDocs map[string]*htmllinks.Doc

// templateLinkRule is the rule of checkLayouts' findings.
const templateLinkRule = "template-link"
