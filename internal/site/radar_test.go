package site

import (
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/page"
)

// TestRadarReleases: an item in three release folders is one page, the
// newest, with the older rings as history; a release that leaves out the
// ring and quadrant keeps the earlier ones, without a finding; a load
// with a Memo folds the same releases again, not onto the folded page.
func TestRadarReleases(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/radar/2017-03-01/akka.md": "---\ntitle: Akka\nring: assess\nquadrant: languages-and-frameworks\n---\nFirst look.\n",
		"content/radar/2020-01-15/akka.md": "---\ntitle: Akka\nring: Trial\nquadrant: languages-and-frameworks\naliases: [/akka/]\n---\nIn a project.\n",
		"content/radar/2024-06-01/akka.md": "---\ntitle: Akka\n---\nStill in trial.\n",
		"content/radar/2024-06-01/helm.md": "---\ntitle: Helm\nring: adopt\nquadrant: tools\n---\nCharts.\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	for range 2 {
		s := loadConfig(t, cfg)
		if d := diagStrings(s); len(d) > 0 {
			t.Fatalf("findings:\n%s", strings.Join(d, "\n"))
		}
		evals := s.OfKind(page.KindEvaluation)
		if len(evals) != 2 {
			t.Fatalf("%d evaluations, want 2", len(evals))
		}
		p := s.PageAt("/radar/2024-06-01/akka/")
		if p == nil {
			t.Fatal("no page for the newest release of akka")
		}
		e := p.Evaluation
		var hist []string
		for _, h := range e.History {
			hist = append(hist, h.Date.Format("2006-01-02")+" "+h.Ring)
		}
		if e.Ring != "trial" || e.Quadrant != "languages-and-frameworks" || strings.Join(hist, ", ") != "2017-03-01 assess, 2020-01-15 trial" {
			t.Errorf("akka: ring %q quadrant %q history %v", e.Ring, e.Quadrant, hist)
		}
		if got := strings.Join(p.Aliases, " "); got != "/radar/2017-03-01/akka/ /radar/2020-01-15/akka/ /akka/" {
			t.Errorf("aliases %q", got)
		}
		if p.RingMove != "" || p.Date.Format("2006-01-02") != "2024-06-01" {
			t.Errorf("ring move %q, date %s", p.RingMove, p.Date)
		}
		if s.PageAt("/radar/2017-03-01/akka/") != nil || s.PageAt("/radar/2020-01-15/akka/") != nil {
			t.Error("an older release is a page of its own")
		}
	}
	if cfg.Memo.Hits() == 0 {
		t.Error("the second load read no page from the Memo")
	}
}

// TestRadarFrame: which quadrants and rings the radar draws, and where
// each evaluation goes, for the default and a configured schema.
func TestRadarFrame(t *testing.T) {
	closed := page.DefaultSchema()
	closed.Quadrants, closed.OpenQuadrants = []string{"tools", "databases"}, false
	tests := []struct {
		name   string
		schema page.Schema
		evals  [][2]string // quadrant, ring as written
		quads  string
		rings  string
		placed string
		diags  string
	}{
		{"defaults", page.DefaultSchema(), [][2]string{{"tools", "adopt"}, {"Techniques", "Hold"}},
			"languages frameworks tools platforms techniques", "adopt trial assess hold", "tools/adopt techniques/hold", ""},
		{"aoe names", page.DefaultSchema(), [][2]string{{"languages-and-frameworks", "adopt"}, {"methods-and-patterns", "trial"}, {"platforms-and-operations", "assess"}, {"tools", "hold"}, {"languages_and_frameworks", "ADOPT"}, {"languages-and-frameworks", "trialling"}},
			"languages-and-frameworks tools platforms-and-operations methods-and-patterns", "adopt trial assess hold",
			"languages-and-frameworks/adopt methods-and-patterns/trial platforms-and-operations/assess tools/hold languages-and-frameworks/adopt languages-and-frameworks/trial", ""},
		{"thoughtworks names", page.DefaultSchema(), [][2]string{{"Languages & Frameworks", "Adopt"}, {"Techniques", "Trial"}, {"Platforms", "Assess"}, {"Tools", "Hold"}},
			"Languages & Frameworks Tools Platforms Techniques", "adopt trial assess hold",
			"Languages & Frameworks/adopt Techniques/trial Platforms/assess Tools/hold", ""},
		{"a quadrant of its own", page.DefaultSchema(), [][2]string{{"Data", "adopt"}, {"tools", "hold on"}},
			"tools Data", "adopt trial assess hold", "Data/adopt tools/hold", ""},
		{"configured", closed, [][2]string{{"Tools", "adopt"}, {"languages", "keep"}},
			"tools databases languages", "adopt trial assess hold keep", "tools/adopt languages/keep",
			`content/radar/e1.md:3:7: error allowed-value: ring "keep" is not allowed; use one of "adopt", "trial", "assess", "hold"|` +
				`content/radar/e1.md:4:11: error allowed-value: quadrant "languages" is not allowed; use one of "tools", "databases"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{}
			for i, e := range tt.evals {
				files["content/radar/e"+string(rune('0'+i))+".md"] = "---\ntitle: E" + string(rune('0'+i)) + "\nring: " + e[1] + "\nquadrant: " + e[0] + "\ndate: 2024-01-01\n---\nText.\n"
			}
			write(t, dir, files)
			cfg := DefaultConfig(dir)
			cfg.Schema = tt.schema
			s := loadConfig(t, cfg)
			if got := strings.Join(diagStrings(s), "|"); got != tt.diags {
				t.Errorf("findings:\n got %s\nwant %s", got, tt.diags)
			}
			evals := s.OfKind(page.KindEvaluation)
			// By file name, as the cases list them.
			byName := make([]*Page, len(evals))
			for _, p := range evals {
				byName[p.Path[len("content/radar/e")]-'0'] = p
			}
			f := s.Radar(byName)
			var placed []string
			for i := range byName {
				placed = append(placed, f.Quadrant[i]+"/"+f.Ring[i])
			}
			if got := strings.Join(f.Quadrants, " "); got != tt.quads {
				t.Errorf("quadrants %q, want %q", got, tt.quads)
			}
			if got := strings.Join(f.Rings, " "); got != tt.rings {
				t.Errorf("rings %q, want %q", got, tt.rings)
			}
			if got := strings.Join(placed, " "); got != tt.placed {
				t.Errorf("placed %q, want %q", got, tt.placed)
			}
		})
	}
}
