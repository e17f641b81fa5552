package sitegen

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
)

// Repos writes n service repositories into dir (created if missing), named
// svc-000, svc-001, …, and returns their paths, for benchmarks of what
// gathers a handbook from many repositories. Each is a generated handbook
// of the given number of pages (Generate, seeded with seed plus its
// number: runbooks under runbooks/, decision records under content/adr/,
// postmortems, posts and guides under content/) beside the code of a
// service (go.mod, cmd/, internal/, a Makefile and a README at the top),
// made a git repository by GitHistory with about two commits per file, on
// branch main. The same seed gives the same repositories, hashes included.
// The repositories are made in parallel.
func Repos(ctx context.Context, dir string, n, pages int, seed uint64) ([]string, error) {
	if n < 0 || pages < 1 {
		return nil, fmt.Errorf("sitegen: %d repositories of %d pages: need at least one page", n, pages)
	}
	paths := make([]string, n)
	errs := make([]error, n)
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range n {
		paths[i] = filepath.Join(dir, fmt.Sprintf("svc-%03d", i))
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			errs[i] = repo(ctx, paths[i], i, pages, seed+uint64(i))
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return paths, nil
}

// repo writes repository i of Repos.
func repo(ctx context.Context, dir string, i, pages int, seed uint64) error {
	if err := Generate(dir, pages, seed); err != nil {
		return err
	}
	svc := fmt.Sprintf("%s%d", services[i%len(services)], i)
	files := map[string]string{
		"go.mod":   fmt.Sprintf("module example.com/%s\n\ngo 1.24\n", svc),
		"Makefile": fmt.Sprintf("build:\n\tgo build -o bin/%s ./cmd/%s\n\ntest:\n\tgo test ./...\n", svc, svc),
		"README.md": fmt.Sprintf("# %s\n\nThe %s service. Runbooks are in `runbooks/`, decisions in `content/adr/`.\n",
			svc, services[i%len(services)]),
		"cmd/" + svc + "/main.go": fmt.Sprintf(`package main

import (
	"log"
	"net/http"

	"example.com/%s/internal/%s"
)

func main() {
	http.Handle("/", %s.Handler())
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`, svc, svc, svc),
		"internal/" + svc + "/handler.go": fmt.Sprintf(`package %s

import "net/http"

// Handler serves the %s API.
func Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(%q))
	})
}
`, svc, svc, `{"service":"`+svc+`","status":"ok"}`),
		"internal/" + svc + "/handler_test.go": fmt.Sprintf(`package %s

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHandler(t *testing.T) {
	w := httptest.NewRecorder()
	Handler().ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if !strings.Contains(w.Body.String(), "ok") {
		t.Fatal(w.Body.String())
	}
}
`, svc),
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(strings.TrimLeft(body, "\n")), 0o644); err != nil {
			return err
		}
	}
	n, err := listFiles(dir)
	if err != nil {
		return fmt.Errorf("sitegen: %w", err)
	}
	return GitHistory(ctx, dir, 2*len(n), seed)
}
