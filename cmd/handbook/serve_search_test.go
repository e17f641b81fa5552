package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/search"
)

// TestServeSearchFollowsEdits: the preview server's search index learns a
// saved page's new words and forgets its old ones, without a whole build.
func TestServeSearchFollowsEdits(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/index.md", "# Home\n\nSee [the guide](guide.md).\n")
	// The excerpt (the opening 240 characters) shows on other pages; an
	// edit below it shows only on the page.
	opening := strings.Repeat("An opening paragraph, long enough to be the whole excerpt. ", 5)
	write("content/guide.md", "---\ntitle: Guide\n---\n"+opening+"\n\n## Animals\n\nThe quokka sleeps.\n")
	srv, url, err := startServe([]string{"-C", dir}, nil, 30*time.Second)
	defer srv.stop()
	if err != nil {
		t.Fatal(err)
	}
	index := func() map[string]search.Postings {
		files := map[string][]byte{}
		fetch := func(p string) []byte {
			resp, err := http.Get(url + strings.TrimPrefix(p, "/"))
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return b
		}
		files["/search/entry.json"] = fetch("/search/entry.json")
		var e search.Entry
		if err := json.Unmarshal(files["/search/entry.json"], &e); err != nil {
			t.Logf("entry: %v: %.200s", err, files["/search/entry.json"])
			return nil
		}
		for _, c := range e.Chunks {
			files["/search/"+c[1]] = fetch("/search/" + c[1])
			pos := "/search/" + strings.TrimSuffix(c[1], ".json") + ".pos.json"
			files[pos] = fetch(pos)
		}
		for g, h := range e.Records {
			name := search.RecordFile(g, h)
			files[name] = fetch(name)
		}
		_, terms, _, err := search.Read(files)
		if err != nil {
			t.Logf("reading the index: %v", err)
			return nil // caught between two builds: try again
		}
		return terms
	}
	if terms := index(); len(terms["quokka"].Docs) != 1 {
		t.Fatalf("quokka not indexed at start: %v", terms["quokka"])
	}
	write("content/guide.md", "---\ntitle: Guide\n---\n"+opening+"\n\n## Animals\n\nThe wombat digs.\n")
	deadline := time.Now().Add(10 * time.Second)
	for {
		terms := index()
		if terms != nil && len(terms["wombat"].Docs) == 1 && len(terms["quokka"].Docs) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the index did not follow the edit: wombat %v, quokka %v\n%s", terms["wombat"], terms["quokka"], srv.out.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	if log := srv.out.String(); !strings.Contains(log, "search index") || !strings.Contains(log, "1 rendered") {
		t.Errorf("the edit was not a partial update followed by a search update:\n%s", log)
	}
}
