package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/golden"
)

// TestCorpus loads every folder of ../shared/corpus (real content written
// by others): no panic, a page for every Markdown file outside hidden
// folders, and every problem a positioned diagnostic.
func TestCorpus(t *testing.T) {
	root := golden.CorpusDir(t)
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		dir, _ := filepath.Abs(filepath.Join(root, e.Name()))
		t.Run(e.Name(), func(t *testing.T) {
			want := 0
			_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil {
					return err
				}
				if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				if !d.IsDir() && strings.EqualFold(filepath.Ext(p), ".md") {
					want++
				}
				return nil
			})
			s := load(t, dir)
			if len(s.Pages) != want {
				t.Errorf("%d pages for %d Markdown files", len(s.Pages), want)
			}
			for _, d := range s.Diags {
				if d.Pos.File == "" || d.Pos.Line < 1 && d.Rule != "unreadable" && d.Rule != "symlink-loop" && d.Rule != "file-too-large" {
					t.Errorf("diagnostic without a position: %v", d)
				}
			}
		})
	}
}
