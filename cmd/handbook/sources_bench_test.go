package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// BenchmarkSources is a handbook gathered from many service repositories
// of 50 pages each (HANDBOOK_BENCH_REPOS of them, 20 by default; 200 for
// the figures in content/docs/sources.md), made once as local git
// repositories:
//
//   - first: a build with an empty cache and no lock: every repository is
//     cloned (partial, sparse) and the site built;
//   - one-changed: a build after one repository got a new commit, unpinned:
//     one ls-remote each, one fetch;
//   - pinned: a build with every source pinned and cached: no git at all;
//   - one-folder: the same pages copied into one folder, built.
//
// The overhead of sources is first, one-changed and pinned against
// one-folder.
func BenchmarkSources(b *testing.B) {
	if _, err := exec.LookPath("git"); err != nil {
		b.Skip("git is not installed")
	}
	n := 20
	if s := os.Getenv("HANDBOOK_BENCH_REPOS"); s != "" {
		fmt.Sscan(s, &n)
	}
	ctx := context.Background()
	tmp := b.TempDir()
	repos, err := sitegen.Repos(ctx, filepath.Join(tmp, "repos"), n, 50, 1)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(tmp, "site")
	one := filepath.Join(tmp, "one-folder")
	var cfg strings.Builder
	cfg.WriteString("title: Gathered\nsources:\n")
	for _, r := range repos {
		name := filepath.Base(r)
		fmt.Fprintf(&cfg, "  - name: %s\n    repo: %s\n    paths:\n      - {dir: content, mount: /%s/}\n      - {dir: runbooks, mount: /%s/runbooks/, kind: runbook}\n", name, r, name, name)
		for _, sub := range []string{"content", "runbooks"} {
			to := filepath.Join(one, "content", name)
			if sub == "runbooks" {
				to = filepath.Join(to, "runbooks")
			}
			if err := os.CopyFS(to, os.DirFS(filepath.Join(r, sub))); err != nil {
				b.Fatal(err)
			}
		}
	}
	for _, d := range []string{dir, one} {
		if err := os.MkdirAll(filepath.Join(d, "content"), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(d, "content", "index.md"), []byte("---\ntitle: Gathered\n---\nEvery service.\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "handbook.yaml"), []byte(cfg.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	build := func(b *testing.B, site string, args ...string) {
		var out bytes.Buffer
		code := run(ctx, append([]string{"-C", site, "--quiet", "build", "--out", filepath.Join(tmp, "out")}, args...), &out, &out)
		if code == 2 {
			b.Fatalf("build: %s", out.String())
		}
	}
	cache := filepath.Join(dir, ".handbook-cache")
	lock := filepath.Join(dir, lockFile)
	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			os.RemoveAll(cache)
			os.Remove(lock)
			b.StartTimer()
			build(b, dir)
		}
	})
	b.Run("one-changed", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			os.Remove(lock)
			commit(b, repos[i%len(repos)], i)
			b.StartTimer()
			build(b, dir)
		}
	})
	b.Run("pinned", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			build(b, dir)
		}
	})
	b.Run("one-folder", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			build(b, one)
		}
	})
}

// commit adds a commit to the repository at dir.
func commit(b *testing.B, dir string, i int) {
	b.Helper()
	f := filepath.Join(dir, "runbooks", fmt.Sprintf("bench-%d.md", i))
	if err := os.WriteFile(f, []byte(fmt.Sprintf("---\ntitle: Bench %d\n---\nA change.\n", i)), 0o644); err != nil {
		b.Fatal(err)
	}
	for _, args := range [][]string{{"add", "-A"}, {"-c", "user.name=Bench", "-c", "user.email=bench@example.com", "commit", "-q", "-m", "bench"}} {
		if out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput(); err != nil {
			b.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
}
