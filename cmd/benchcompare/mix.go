package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

const (
	mixStartMarker = "<!-- benchcompare:mix:start -->"
	mixEndMarker   = "<!-- benchcompare:mix:end -->"
)

// compareMix measures the make-up of a generated site of n pages and of
// each corpus folder (sitegen.Measure), and the findings of each (the
// loader's, the secret scan's and the rules', as handbook check reports
// them, on sitegen.Today), and writes the table between the mix markers of
// the page at pagePath.
func compareMix(work, pagePath string, n int) error {
	dir := filepath.Join(work, fmt.Sprintf("mix-%d", n))
	os.RemoveAll(dir)
	defer os.RemoveAll(dir)
	if err := sitegen.Generate(dir, n, 1); err != nil {
		return err
	}
	type col struct {
		name     string
		m        sitegen.Mix
		findings diag.List
	}
	var cols []col
	measure := func(name, path string) error {
		m, err := sitegen.Measure(path)
		if err != nil {
			return err
		}
		cfg := site.DefaultConfig(path)
		cfg.Now = sitegen.Today
		cfg.Scan = lint.Secrets
		s, err := site.Load(context.Background(), cfg)
		if err != nil {
			return err
		}
		cols = append(cols, col{name, m, append(append(diag.List{}, s.Diags...), lint.Run(s)...)})
		return nil
	}
	if err := measure(fmt.Sprintf("generated, %d pages", n), dir); err != nil {
		return err
	}
	for _, f := range sitegen.CorpusFolders {
		p := filepath.Join(*corpusFlag, f)
		if _, err := os.Stat(p); err != nil {
			fmt.Fprintf(os.Stderr, "mix: %s skipped: %v\n", p, err)
			continue
		}
		if err := measure(f, p); err != nil {
			return err
		}
	}
	var b strings.Builder
	b.WriteString("| per page unless said | ")
	for _, c := range cols {
		b.WriteString(c.name + " | ")
	}
	b.WriteString("\n| --- |" + strings.Repeat(" ---: |", len(cols)) + "\n")
	rowf := func(label string, f func(c col) string) {
		b.WriteString("| " + label + " | ")
		for _, c := range cols {
			b.WriteString(f(c) + " | ")
		}
		b.WriteString("\n")
	}
	rowf("pages", func(c col) string { return fmt.Sprint(c.m.Pages) })
	rowf("words (outside code)", func(c col) string { return fmt.Sprintf("%.0f", c.m.PerPage(c.m.Words)) })
	rowf("code blocks", func(c col) string { return fmt.Sprintf("%.2f", c.m.PerPage(c.m.Blocks)) })
	rowf("lines per block, median / p90 / max", func(c col) string {
		if c.m.Blocks == 0 {
			return "–"
		}
		return fmt.Sprintf("%d / %d / %d", sitegen.Quantile(c.m.BlockLines, .5), sitegen.Quantile(c.m.BlockLines, .9), sitegen.Quantile(c.m.BlockLines, 1))
	})
	rowf("distinct blocks", func(c col) string {
		if c.m.Blocks == 0 {
			return "–"
		}
		return fmt.Sprintf("%.0f%%", 100*float64(c.m.Unique)/float64(c.m.Blocks))
	})
	rowf("languages (top 4 by share)", func(c col) string {
		var s []string
		for i, l := range c.m.LangShare() {
			if i == 4 {
				s = append(s, fmt.Sprintf("+%d more", len(c.m.Langs)-4))
				break
			}
			name := l.Lang
			if name == "" {
				name = "none"
			}
			s = append(s, fmt.Sprintf("%s %.0f%%", name, 100*l.Share))
		}
		if len(s) == 0 {
			return "–"
		}
		return strings.Join(s, ", ")
	})
	rowf("tables", func(c col) string { return fmt.Sprintf("%.2f", c.m.PerPage(c.m.Tables)) })
	rowf("rows per table, median / max", func(c col) string {
		if c.m.Tables == 0 {
			return "–"
		}
		return fmt.Sprintf("%d / %d", sitegen.Quantile(c.m.TableRows, .5), sitegen.Quantile(c.m.TableRows, 1))
	})
	rowf("links and `[[references]]`", func(c col) string { return fmt.Sprintf("%.1f", c.m.PerPage(c.m.Links)) })
	rowf("findings", func(c col) string { return fmt.Sprintf("%.2f", c.m.PerPage(len(c.findings))) })
	rowf("findings, most frequent", func(c col) string {
		count := map[string]int{}
		for _, d := range c.findings {
			count[d.Rule]++
		}
		var s []string
		for len(s) < 4 && len(count) > 0 {
			best := ""
			for r, k := range count {
				if best == "" || k > count[best] || k == count[best] && r < best {
					best = r
				}
			}
			s = append(s, fmt.Sprintf("%s %.2f", best, c.m.PerPage(count[best])))
			delete(count, best)
		}
		return strings.Join(s, ", ")
	})
	table := b.String()
	fmt.Println(table)
	old, err := os.ReadFile(pagePath)
	if err != nil {
		return fmt.Errorf("benchmark page: %w", err)
	}
	i, j := bytes.Index(old, []byte(mixStartMarker)), bytes.Index(old, []byte(mixEndMarker))
	if i < 0 || j < i {
		return fmt.Errorf("benchmark page %s has no %s … %s markers", pagePath, mixStartMarker, mixEndMarker)
	}
	var out bytes.Buffer
	out.Write(old[:i+len(mixStartMarker)])
	fmt.Fprintf(&out, "\n\nMeasured on %s with `go run ./cmd/benchcompare -tasks mix` (handbook at commit %s; findings: the loader's, the secret scan's and the rules' of `lint.Run`, on %s, per page).\n\n",
		time.Now().UTC().Format("2006-01-02"), version("git", "rev-parse", "--short", "HEAD"), sitegen.Today.Format("2006-01-02"))
	out.WriteString(table)
	out.WriteString("\n")
	out.Write(old[j:])
	return os.WriteFile(pagePath, out.Bytes(), 0o644)
}
