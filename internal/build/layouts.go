package build

import (
	"io/fs"
	"maps"
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
	docs := sampleDocs{}
	for _, p := range r.SamplePaths() {
		if d := kept[p]; d != nil {
			docs[p] = d
		}
	}
	var mu sync.Mutex
	err := r.Sample(func(p string) bool { return docs[p] != nil }, func(p string, b []byte) error {
		d := &sampleDoc{doc: htmllinks.Extract(b)}
		mu.Lock()
		docs[p] = d
		mu.Unlock()
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	paths := slices.Sorted(maps.Keys(docs))
	resolve := func(p string) (*htmllinks.Doc, bool) {
		if d := docs[p]; d != nil {
			return d.doc, true
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
	same := idsMemo{}
	for _, path := range paths {
		sd := docs[path]
		if !sd.checkedSame(opts, resolve, same) {
			sd.check(path, opts, resolve)
		}
		for _, f := range sd.findings {
			file, line, col, ok := th.Find(f.URL)
			if !ok && strings.HasPrefix(f.URL, base) && len(f.URL) > len(base) {
				file, line, col, ok = th.Find(strings.TrimPrefix(f.URL, base))
			}
			if !ok || seen[file+"\x00"+f.URL] {
				continue // written in Markdown, or already reported
			}
			seen[file+"\x00"+f.URL] = true
			out.Errorf(diag.Position{File: file, Line: line, Col: col}, templateLinkRule, "layout link: %s (seen on %s); fix the link in the layout", f.Message, path)
		}
	}
	return out, docs, nil
}

// sampleDocs are what a layout check read of the pages it sampled, by
// site path.
type sampleDocs map[string]*sampleDoc

// sampleDoc is what a layout check read of one sampled page: its links
// and ids, and once checked, what the check found and every path it
// looked up to find it, with what each gave. A later check of the same
// page, not rendered again, takes the findings while every lookup gives
// the same (checkedSame): an update after a page came or went checked
// again the links of all 21 pages sampled of a 10,000-page site, the
// indexes of every tag and owner among them, where 3 had changed (the
// check took 9–17 ms of a core, now 7–8 ms).
type sampleDoc struct {
	doc      *htmllinks.Doc
	checked  bool
	opts     htmllinks.Options
	findings []htmllinks.Finding
	asked    []lookup
}

// lookup is one path a check looked up, and what it found there: the
// sampled page's links and ids, or only whether there is a file.
type lookup struct {
	path string
	doc  *htmllinks.Doc
	ok   bool
}

// check checks the links of sd's page at path with opts, looking paths
// up with resolve, and keeps what it found and looked up.
func (sd *sampleDoc) check(path string, opts htmllinks.Options, resolve func(string) (*htmllinks.Doc, bool)) {
	var asked []lookup
	res := htmllinks.Check(path, sd.doc, func(p string) (map[string]bool, bool) {
		d, ok := resolve(p)
		asked = append(asked, lookup{p, d, ok})
		if d != nil {
			return d.IDs, true
		}
		return nil, ok
	}, opts)
	sd.checked, sd.opts, sd.findings, sd.asked = true, opts, res.Findings, asked
}

// checkedSame reports whether sd was checked with opts and every path the
// check looked up gives what it gave then: whether there is a file, and
// the same ids (a page sampled again, such as the tags' index every
// header links to, most often has the same). The check would find the
// same. same remembers which sampled pages' ids are equal.
func (sd *sampleDoc) checkedSame(opts htmllinks.Options, resolve func(string) (*htmllinks.Doc, bool), same idsMemo) bool {
	if !sd.checked || sd.opts != opts {
		return false
	}
	for i, a := range sd.asked {
		d, ok := resolve(a.path)
		if ok != a.ok || (d == nil) != (a.doc == nil) {
			return false
		}
		if d != a.doc {
			if !same.equal(a.doc, d) {
				return false
			}
			sd.asked[i].doc = d
		}
	}
	return true
}

// idsMemo remembers, for a pair of sampled pages' docs, whether their ids
// are equal.
type idsMemo map[[2]*htmllinks.Doc]bool

func (m idsMemo) equal(a, b *htmllinks.Doc) bool {
	k := [2]*htmllinks.Doc{a, b}
	eq, ok := m[k]
	if !ok {
		eq = maps.Equal(a.IDs, b.IDs)
		m[k] = eq
	}
	return eq
}

// templateLinkRule is the rule of checkLayouts' findings.
const templateLinkRule = "template-link"
