package main

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// BenchmarkServeEdit measures what an author waits for: the time from
// saving a page of a generated 1,000-page handbook (HANDBOOK_BENCH_PAGES
// to change the size) to the build event that tells the browser, read
// from the server's event stream as a browser reads it. The median and
// the worst are reported besides the mean.
func BenchmarkServeEdit(b *testing.B) {
	dir := benchSite(b, 1000)
	pagesOf, _ := filepath.Glob(filepath.Join(dir, "runbooks", "*", "*.md"))
	if len(pagesOf) == 0 {
		b.Fatal("no runbook generated")
	}
	edited := pagesOf[0]
	original, err := os.ReadFile(edited)
	if err != nil {
		b.Fatal(err)
	}

	srv, url, err := startServe([]string{"-C", dir, "--quiet"}, nil, 5*time.Minute)
	defer srv.stop()
	if err != nil {
		b.Fatal(err)
	}
	resp, err := http.Get(url + "__handbook/events")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			if line := sc.Text(); strings.HasPrefix(line, "data:") {
				events <- line
			}
		}
		close(events)
	}()
	drain := func() {
		for {
			select {
			case <-events:
			case <-time.After(200 * time.Millisecond):
				return
			}
		}
	}
	drain()

	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		text := fmt.Appendf(append([]byte(nil), original...), "\nEdit %d.\n", i)
		start := time.Now()
		if err := os.WriteFile(edited, text, 0o644); err != nil {
			b.Fatal(err)
		}
		for ev := range events {
			if strings.Contains(ev, `"/runbooks/`) {
				break
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Milliseconds()), "median-ms")
	b.ReportMetric(float64(lat[len(lat)-1].Milliseconds()), "max-ms")
}
