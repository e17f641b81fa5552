package sources

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// BenchmarkSync200 gathers the runbooks and decision records of 200
// generated service repositories of 50 pages each (made once, with their
// code and about 110 commits each):
//
//   - first: every source cloned into an empty cache;
//   - first-partial: the same from file:// URLs of repositories that
//     allow filters: partial clones, with the history of the Paths;
//   - nochange: nothing changed, no pins: one git ls-remote per source;
//   - nochange-pinned: nothing changed, every source pinned: no git at all;
//   - onechanged: one repository got a new commit: 200 ls-remote, one fetch.
//
// fetched/op is how many sources were fetched.
func BenchmarkSync200(b *testing.B) {
	isolateGit(b)
	ctx := context.Background()
	root := b.TempDir()
	start := time.Now()
	repos, err := sitegen.Repos(ctx, filepath.Join(root, "repos"), 200, 50, 1)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("made %d repositories in %v", len(repos), time.Since(start).Round(time.Millisecond))
	srcs := make([]Source, len(repos))
	for i, dir := range repos {
		srcs[i] = Source{Name: filepath.Base(dir), Repo: dir, Paths: []string{"runbooks", "content/adr"}}
	}
	sync := func(b *testing.B, opts Options) []Result {
		rs := Sync(ctx, srcs, opts)
		fetched := 0
		for _, r := range rs {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
			if r.Fetched {
				fetched++
			}
		}
		b.ReportMetric(float64(fetched), "fetched/op")
		return rs
	}

	b.Run("first", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			cache := filepath.Join(root, fmt.Sprint("first", i))
			sync(b, Options{CacheDir: cache})
			b.StopTimer()
			os.RemoveAll(cache)
			b.StartTimer()
		}
	})

	b.Run("first-partial", func(b *testing.B) {
		// file:// URLs of repositories that allow filters: partial clones,
		// and the history of the Paths fetched in a batch.
		partial := make([]Source, len(srcs))
		for i, src := range srcs {
			if _, err := gitIn(src.Repo, nil, "config", "uploadpack.allowFilter", "true"); err != nil {
				b.Fatal(err)
			}
			partial[i] = src
			partial[i].Repo = "file://" + filepath.ToSlash(src.Repo)
		}
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			cache := filepath.Join(root, fmt.Sprint("partial", i))
			rs := Sync(ctx, partial, Options{CacheDir: cache})
			for _, r := range rs {
				if r.Err != nil || !r.Fetched {
					b.Fatalf("%s: fetched %v, %v", r.Source.Name, r.Fetched, r.Err)
				}
			}
			b.StopTimer()
			os.RemoveAll(cache)
			b.StartTimer()
		}
	})

	cache := filepath.Join(root, "cache")
	var warm []Result
	warmUp := func(b *testing.B) {
		if warm == nil {
			warm = sync(b, Options{CacheDir: cache})
		}
		b.ResetTimer()
	}
	b.Run("nochange", func(b *testing.B) {
		warmUp(b)
		for b.Loop() {
			sync(b, Options{CacheDir: cache})
		}
	})
	b.Run("nochange-pinned", func(b *testing.B) {
		warmUp(b)
		lock := NewLock(warm, nil)
		for b.Loop() {
			sync(b, Options{CacheDir: cache, Lock: lock})
		}
	})
	b.Run("onechanged", func(b *testing.B) {
		warmUp(b)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			newCommit(b, repos[i%len(repos)], i)
			b.StartTimer()
			rs := sync(b, Options{CacheDir: cache})
			if !rs[i%len(repos)].Fetched {
				b.Fatalf("%s not fetched after a new commit", rs[i%len(repos)].Source.Name)
			}
		}
	})
}

// newCommit adds a line to a runbook of the repository in dir and commits
// it.
func newCommit(b *testing.B, dir string, i int) {
	out, err := gitIn(dir, nil, "ls-files", "runbooks")
	if err != nil {
		b.Fatal(err)
	}
	first, _, _ := strings.Cut(out, "\n")
	name := filepath.Join(dir, filepath.FromSlash(first))
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(f, "\nChecked again (%d).\n", i)
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	date := sitegen.Today.Add(time.Duration(i) * time.Minute).Format(time.RFC3339)
	if _, err := gitIn(dir, []string{"GIT_AUTHOR_DATE=" + date, "GIT_COMMITTER_DATE=" + date}, "commit", "-q", "-am", "Check again"); err != nil {
		b.Fatal(err)
	}
}
