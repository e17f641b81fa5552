package sitegen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/site"
)

// load loads a generated site on Today and returns its findings: the
// loader's and the rules'.
func load(t *testing.T, dir string) (*site.Site, diag.List) {
	t.Helper()
	cfg := site.DefaultConfig(dir)
	cfg.Now = Today
	cfg.Scan = lint.Secrets // as a build does
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, append(append(diag.List{}, s.Diags...), lint.Run(s)...)
}

// TestGenerate: the same seed gives the same files, sizes and kinds are as
// promised, and a clean site loads with no finding at all.
func TestGenerate(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := Write(a, Options{Pages: 200, Seed: 7, Clean: true}); err != nil {
		t.Fatal(err)
	}
	if err := Write(b, Options{Pages: 200, Seed: 7, Clean: true}); err != nil {
		t.Fatal(err)
	}
	n := 0
	err := filepath.Walk(a, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || string(x) != string(y) {
			t.Errorf("%s differs between two runs with the same seed", rel)
		}
		if filepath.Ext(p) == ".md" {
			n++
			if fi.Size() < 1024 || fi.Size() > 16*1024 {
				t.Errorf("%s is %d bytes", rel, fi.Size())
			}
		}
		return nil
	})
	if err != nil || n != 200 {
		t.Fatalf("%d pages: %v", n, err)
	}
	s, findings := load(t, a)
	for i, d := range findings {
		if i == 10 {
			t.Errorf("… %d findings in all", len(findings))
			break
		}
		t.Errorf("clean site: %v", d)
	}
	kinds := map[string]int{}
	for _, p := range s.Pages {
		kinds[string(p.Kind)]++
	}
	if kinds["runbook"] != 60 || kinds["adr"] != 30 || kinds["postmortem"] != 30 || kinds["evaluation"] != 10 {
		t.Errorf("kinds: %v", kinds)
	}
}

// TestFindings: a site with findings has each kind the generator promises,
// at about its rate, and nothing else; another seed gives another site.
func TestFindings(t *testing.T) {
	dir := t.TempDir()
	const n = 1000
	if err := Generate(dir, n, 3); err != nil {
		t.Fatal(err)
	}
	_, findings := load(t, dir)
	rules := map[string]int{}
	for _, d := range findings {
		rules[d.Rule]++
	}
	// The rules each rate feeds, and how many findings n pages should
	// have of them: between half and twice the expected count (these
	// are draws), never none.
	runbooks, postmortems := 0.3*n, 0.15*n
	want := map[string]float64{
		"broken-link":        rateBrokenLink * n,
		"broken-anchor":      rateBrokenAnchor * n,
		"placeholder":        ratePlaceholder * n,
		"runbook-stale":      rateStale * runbooks,
		"runbook-escalation": rateNoEscalation * runbooks,
		"required-field":     rateNoOwner * (runbooks + postmortems),
		"empty-section":      rateEmptySection * n,
		"unknown-field":      rateUnknownField * n,
		// About 3.5 action items per postmortem, each missing one of two.
		"action-item-owner":  rateOpenActionItem * 3.5 * postmortems / 2,
		"action-item-ticket": rateOpenActionItem * 3.5 * postmortems / 2,
	}
	for rule, w := range want {
		if got := float64(rules[rule]); got < w/2 || got > 2*w {
			t.Errorf("%s: %d findings in %d pages, want about %.0f", rule, rules[rule], n, w)
		}
	}
	for _, rule := range []string{"broken-reference", "secret", "heading-skip", "link-to-superseded"} {
		if rules[rule] == 0 {
			t.Errorf("%s: none in %d pages", rule, n)
		}
	}
	for rule, c := range rules {
		if _, ok := want[rule]; !ok && !map[string]bool{"broken-reference": true, "secret": true, "heading-skip": true, "link-to-superseded": true}[rule] {
			t.Errorf("%s: %d findings the generator does not mean to make", rule, c)
		}
	}
	t.Logf("%d findings in %d pages: %v", len(findings), n, rules)
}

// TestMix: the generated site's code is varied (many languages, no two
// blocks alike, lengths spread), and each measure of its make-up lies
// within what the corpora of real handbooks show, when they are present.
func TestMix(t *testing.T) {
	dir := t.TempDir()
	if err := Generate(dir, 1000, 1); err != nil {
		t.Fatal(err)
	}
	m, err := Measure(dir)
	if err != nil {
		t.Fatal(err)
	}
	shares := m.LangShare()
	if len(shares) < 12 {
		t.Errorf("%d languages: %v", len(shares), shares)
	}
	if shares[0].Share > 0.25 {
		t.Errorf("%s is %.0f%% of the code blocks", shares[0].Lang, 100*shares[0].Share)
	}
	if u := float64(m.Unique) / float64(m.Blocks); u < 0.99 {
		t.Errorf("only %.1f%% of %d code blocks are distinct", 100*u, m.Blocks)
	}
	if p50, p90, top := Quantile(m.BlockLines, .5), Quantile(m.BlockLines, .9), Quantile(m.BlockLines, 1); p50 < 2 || p50 > 8 || p90 < 10 || top < 30 {
		t.Errorf("lines per code block: median %d, p90 %d, max %d", p50, p90, top)
	}
	if Quantile(m.TableRows, 1) < 15 || Quantile(m.TableRows, .5) < 3 {
		t.Errorf("rows per table: median %d, max %d", Quantile(m.TableRows, .5), Quantile(m.TableRows, 1))
	}

	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("no corpus at %s: the comparison with real content is skipped", corpus)
	}
	// Each measure must lie between the lowest and highest of the
	// corpus folders that have any of it.
	measures := []struct {
		name string
		f    func(Mix) float64
	}{
		{"code blocks per page", func(m Mix) float64 { return m.PerPage(m.Blocks) }},
		{"median lines per code block", func(m Mix) float64 { return float64(Quantile(m.BlockLines, .5)) }},
		{"tables per page", func(m Mix) float64 { return m.PerPage(m.Tables) }},
		{"words per page", func(m Mix) float64 { return m.PerPage(m.Words) }},
		{"links per page", func(m Mix) float64 { return m.PerPage(m.Links) }},
	}
	lo, hi := make([]float64, len(measures)), make([]float64, len(measures))
	for i := range lo {
		lo[i], hi[i] = 1e9, -1
	}
	for _, f := range CorpusFolders {
		c, err := Measure(filepath.Join(corpus, f))
		if err != nil {
			t.Fatal(err)
		}
		for i, x := range measures {
			if v := x.f(c); v > 0 {
				lo[i], hi[i] = min(lo[i], v), max(hi[i], v)
			}
		}
	}
	for i, x := range measures {
		if v := x.f(m); v < lo[i] || v > hi[i] {
			t.Errorf("%s: %.2f, the corpora have %.2f to %.2f", x.name, v, lo[i], hi[i])
		} else {
			t.Logf("%s: %s (corpora %.2f to %.2f)", x.name, fmt.Sprintf("%.2f", v), lo[i], hi[i])
		}
	}
}
