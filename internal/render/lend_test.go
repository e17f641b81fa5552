package render

import (
	"context"
	"sync"
	"testing"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// TestLendFiles: a renderer that lends its files (LendFiles) gives the
// bytes one that copies them gives; the bytes of a file not handed back
// stay as they were while later files are rendered into the buffers
// handed back; Recycle of bytes it did not lend does nothing.
func TestLendFiles(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 150, 1); err != nil {
		t.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	cfg.Now = sitegen.Today
	want := renderFiles(t, loadRenderer(t, cfg))

	r := loadRenderer(t, cfg)
	r.LendFiles()
	r.Recycle(nil)
	r.Recycle([]byte("never lent"))
	var mu sync.Mutex
	held := map[string][]byte{}
	got, recycled := 0, 0
	err := r.All(context.Background(), func(p string, b []byte) error {
		mu.Lock()
		defer mu.Unlock()
		got++
		if string(b) != string(want[p]) {
			t.Errorf("%s: lent bytes differ from the copied ones", p)
		}
		// Every third file is kept, the others handed back at once.
		if got%3 == 0 {
			held[p] = b
			return nil
		}
		r.Recycle(b)
		r.Recycle(b) // twice: the second does nothing
		recycled++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got != len(want) || recycled == 0 || len(held) == 0 {
		t.Fatalf("%d files (want %d), %d handed back, %d held", got, len(want), recycled, len(held))
	}
	for p, b := range held {
		if string(b) != string(want[p]) {
			t.Errorf("%s: a file held changed while later files were rendered", p)
		}
	}
}
