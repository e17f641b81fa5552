package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/benchprofile"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// BenchmarkLoadMemo loads a generated handbook again with a Memo after
// one runbook's title is edited, as a preview's reload does: the load
// alone, in its three parts (read, link, graph).
func BenchmarkLoadMemo(b *testing.B) {
	n := 10000
	if v := os.Getenv("HANDBOOK_BENCH_PAGES"); v != "" {
		fmt.Sscan(v, &n)
	}
	dir := filepath.Join(b.TempDir(), "site")
	if err := sitegen.Generate(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	runbooks, _ := filepath.Glob(filepath.Join(dir, "runbooks", "*", "*.md"))
	text, _ := os.ReadFile(runbooks[0])
	title := regexp.MustCompile(`(?m)^title: .*$`)
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	if _, err := Load(context.Background(), cfg); err != nil {
		b.Fatal(err)
	}
	// HANDBOOK_EDITPROFILE names a CPU profile of the edits alone.
	benchprofile.Start(b)
	var readT, linkT, graphT time.Duration
	for i := 0; b.Loop(); i++ {
		next := title.ReplaceAll(text, []byte(fmt.Sprintf("title: Edit %d", i)))
		if err := os.WriteFile(runbooks[0], next, 0o644); err != nil {
			b.Fatal(err)
		}
		cfg.Memo.Forget(runbooks[0])
		t0 := time.Now()
		s, err := read(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		s.chooseProfile()
		s.link(context.Background())
		s.applyProfile()
		t2 := time.Now()
		s.graph()
		s.Diags.Sort()
		readT, linkT, graphT = readT+t1.Sub(t0), linkT+t2.Sub(t1), graphT+time.Since(t2)
	}
	os.WriteFile(runbooks[0], text, 0o644)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(readT), "read-ms/op")
	b.ReportMetric(ms(linkT), "link-ms/op")
	b.ReportMetric(ms(graphT), "graph-ms/op")
}
