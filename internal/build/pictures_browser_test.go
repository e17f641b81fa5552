package build_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/site"
)

// picturesJS measures the pictures of the page in the browser: how many
// blips, nodes and links each figure draws, and every pair of blips (or
// ADR nodes) whose drawn shapes overlap, and whether the page overflows.
const picturesJS = `(() => {
  const out = {figures: {}, overlaps: [], overflow: document.documentElement.scrollWidth > document.documentElement.clientWidth + 1};
  for (const fig of document.querySelectorAll('figure.picture')) {
    const cls = [...fig.classList].find(c => c !== 'picture');
    const svg = fig.querySelector('svg');
    const box = svg ? svg.getBoundingClientRect() : null;
    out.figures[cls] = {svg: !!svg, width: box ? box.width : 0, links: svg ? svg.querySelectorAll('a').length : 0,
      blips: svg ? svg.querySelectorAll('g.blips > a').length : 0};
    if (!svg) continue;
    // Blips: circles must not overlap.
    const circles = [...svg.querySelectorAll('g.blips > a')].map(a => {
      const c = a.querySelector('circle');
      const r = (c || a).getBoundingClientRect();
      return {x: r.left + r.width / 2, y: r.top + r.height / 2, r: Math.min(r.width, r.height) / 2, t: a.textContent.trim()};
    });
    for (let i = 0; i < circles.length; i++) for (let j = i + 1; j < circles.length; j++) {
      const a = circles[i], b = circles[j];
      if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r - 0.5) out.overlaps.push(cls + ': ' + a.t + ' / ' + b.t);
    }
    // ADR nodes: the boxes of the links must not overlap.
    if (cls === 'adr-graph') {
      const boxes = [...svg.querySelectorAll('a')].map(a => {
        const s = a.querySelector('rect, circle') || a;
        const r = s.getBoundingClientRect();
        return {l: r.left, t: r.top, r: r.right, b: r.bottom, n: a.textContent.trim()};
      });
      for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5) out.overlaps.push(cls + ': ' + a.n + ' / ' + b.n);
      }
    }
  }
  return out;
})()`

type picturesProbe struct {
	Figures map[string]struct {
		SVG   bool    `json:"svg"`
		Width float64 `json:"width"`
		Links int     `json:"links"`
		Blips int     `json:"blips"`
	} `json:"figures"`
	Overlaps []string `json:"overlaps"`
	Overflow bool     `json:"overflow"`
}

// TestPicturesInBrowser builds the project's own handbook and the radar
// of ../shared/corpus/radar-isis, and checks in headless Chromium, at
// desktop and phone widths, that the radar, the ADR graph and the incident
// charts are drawn, with one blip per evaluation and no two blips (or ADR
// nodes) overlapping, and that no page overflows sideways.
func TestPicturesInBrowser(t *testing.T) {
	chromium := needChromium(t)
	root, _ := filepath.Abs(filepath.Join("..", ".."))
	type check struct {
		path      string
		figure    string
		blips     int // expected blips, or -1 for none checked
		minLinks  int
		fromPages bool
	}
	sites := []struct {
		name   string
		dir    string
		config func(*site.Config)
		checks []check
	}{
		{name: "own", dir: root, config: func(c *site.Config) {
			c.Schema.Quadrants = []string{"languages", "libraries", "tools", "platforms", "techniques"}
		}, checks: []check{
			{path: "/evaluations/", figure: "radar", blips: countFiles(t, filepath.Join(root, "content", "evaluations"))},
			{path: "/adr/", figure: "adr-graph", blips: -1, minLinks: countFiles(t, filepath.Join(root, "content", "adr"))},
			{path: "/postmortems/", figure: "incidents-per-month", blips: -1},
			{path: "/postmortems/", figure: "incident-times", blips: -1, minLinks: 1},
		}},
		{name: "radar-isis", dir: filepath.Join(root, "..", "shared", "corpus", "radar-isis"), config: func(c *site.Config) {
			// No configuration: its AOE quadrant names are read as they are.
		}, checks: []check{
			{path: "/data/radar/", figure: "radar", blips: 89},
		}},
	}
	tab := openTab(t, chromium)
	for _, st := range sites {
		t.Run(st.name, func(t *testing.T) {
			if _, err := os.Stat(st.dir); err != nil {
				if st.name == "own" {
					t.Fatal(err)
				}
				golden.MissingCorpus(t, "%v", err)
			}
			cfg := site.DefaultConfig(st.dir)
			if _, err := os.Stat(filepath.Join(st.dir, "content")); err == nil && st.name == "own" {
				cfg.Roots = []site.Root{{Dir: "content", Mount: "/"}, {Dir: "runbooks", Mount: "/runbooks/", Kind: "runbook"}}
			}
			cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
			st.config(&cfg)
			out := filepath.Join(t.TempDir(), "public")
			if _, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out}); err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(http.FileServer(http.Dir(out)))
			defer srv.Close()
			for _, vp := range viewports {
				opts := []chromedp.EmulateViewportOption{chromedp.EmulateScale(1)}
				if vp.phone {
					opts = []chromedp.EmulateViewportOption{chromedp.EmulateScale(3), chromedp.EmulateMobile, chromedp.EmulateTouch}
				}
				for _, c := range st.checks {
					err := doWithin(tab,
						chromedp.EmulateViewport(vp.width, vp.height, opts...),
						chromedp.Navigate(srv.URL+c.path),
						chromedp.WaitReady("body"),
					)
					if err != nil {
						t.Fatalf("%s %s: %v", vp.name, c.path, err)
					}
					pctx, cancel := context.WithTimeout(tab, navTimeout)
					p, err := chromedp.Run(pctx, chromedp.Evaluate[picturesProbe](picturesJS))
					cancel()
					if err != nil {
						t.Fatalf("%s %s: %v", vp.name, c.path, err)
					}
					where := fmt.Sprintf("%s %s %s", vp.name, c.path, c.figure)
					f, ok := p.Figures[c.figure]
					if !ok || !f.SVG {
						t.Errorf("%s: no picture (figures: %v)", where, p.Figures)
						continue
					}
					// On a phone a picture keeps a readable width and scrolls
					// in its own box (the page must not overflow).
					if f.Width < 300 {
						t.Errorf("%s: picture is only %.0f px wide", where, f.Width)
					}
					if c.blips >= 0 && f.Blips != c.blips {
						t.Errorf("%s: %d blips, want %d", where, f.Blips, c.blips)
					}
					if f.Links < c.minLinks {
						t.Errorf("%s: %d links, want at least %d", where, f.Links, c.minLinks)
					}
					if len(p.Overlaps) > 0 {
						t.Errorf("%s: overlapping: %s", where, strings.Join(p.Overlaps[:min(5, len(p.Overlaps))], "; "))
					}
					if p.Overflow {
						t.Errorf("%s: the page overflows sideways", where)
					}
				}
			}
		})
	}
}

func countFiles(t *testing.T, dir string) int {
	t.Helper()
	m, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	n := 0
	for _, f := range m {
		if !strings.EqualFold(filepath.Base(f), "index.md") && !strings.EqualFold(filepath.Base(f), "readme.md") {
			n++
		}
	}
	return n
}
