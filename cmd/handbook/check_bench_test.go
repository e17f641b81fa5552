package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// BenchmarkCheck measures handbook check on a generated 10,000-page
// handbook (HANDBOOK_BENCH_PAGES to change the size): cold parses every
// file (--no-cache), warm runs with the caches of an earlier check and
// nothing changed, edited after one page's body changed (the parse cache
// serves the rest).
func BenchmarkCheck(b *testing.B) {
	dir := benchSite(b, 10000)
	check := func(b *testing.B, args ...string) {
		if code := run(context.Background(), append([]string{"-C", dir, "--quiet", "check", "--format", "json"}, args...), io.Discard, io.Discard); code > 1 {
			b.Fatalf("check exited %d", code)
		}
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			check(b, "--no-cache")
		}
	})
	b.Run("warm", func(b *testing.B) {
		check(b) // fills the caches
		for b.Loop() {
			check(b)
		}
	})
	b.Run("edited", func(b *testing.B) {
		names, _ := filepath.Glob(filepath.Join(dir, "content", "guides", "*", "*.md"))
		if len(names) == 0 {
			b.Fatal("no guide generated")
		}
		name := names[0]
		orig, err := os.ReadFile(name)
		if err != nil {
			b.Fatal(err)
		}
		defer os.WriteFile(name, orig, 0o644)
		i := 0
		for b.Loop() {
			i++
			if err := os.WriteFile(name, fmt.Appendf(append([]byte{}, orig...), "\nEdit %d.\n", i), 0o644); err != nil {
				b.Fatal(err)
			}
			check(b)
		}
	})
}

// benchSite generates a handbook of pages pages (HANDBOOK_BENCH_PAGES
// instead, when set) for one benchmark and returns its folder.
func benchSite(b *testing.B, pages int) string {
	b.Helper()
	if n := os.Getenv("HANDBOOK_BENCH_PAGES"); n != "" {
		fmt.Sscan(n, &pages)
	}
	dir := b.TempDir()
	if err := sitegen.Generate(dir, pages, 1); err != nil {
		b.Fatal(err)
	}
	return dir
}
