package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

func TestTmpLangSpeed(t *testing.T) {
	dir := os.Getenv("TMP_SAMPLES")
	if dir == "" {
		t.Skip()
	}
	entries, _ := os.ReadDir(dir)
	type row struct {
		lang string
		nsb  float64
		kind string
		size int
	}
	var rows []row
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".actual") {
			continue
		}
		b, _ := os.ReadFile(filepath.Join(dir, name))
		lang := strings.TrimSuffix(name, ".actual")
		h := highlighterFor(lang)
		kind := "none"
		switch {
		case h.fast != nil:
			kind = "fast"
		case h.delegated != nil:
			kind = "deleg"
		case h.slow != nil:
			kind = "slow"
		}
		code := string(b)
		var out bytes.Buffer
		_ = highlight(&out, lang, code)
		n := 0
		start := time.Now()
		for time.Since(start) < 50*time.Millisecond {
			out.Reset()
			_ = highlight(&out, lang, code)
			n++
		}
		rows = append(rows, row{lang, float64(time.Since(start).Nanoseconds()) / float64(n*len(code)), kind, len(code)})
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].nsb > rows[j].nsb })
	for _, r := range rows {
		t.Logf("%-20s %-6s %7.1f ns/B %6d B", r.lang, r.kind, r.nsb, r.size)
	}
}
