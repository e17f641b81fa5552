package site

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/page"
)

// TestMemoKeepsRelatedRandomly: over a few hundred random edits of a
// small site (tags, services and links drawn from short lists, so that
// pages tie, share little or share much), a load with a Memo gives every
// page the related pages a load without one gives, with short postings
// walked and with every posting long (bigList). The edits: other tags or
// services, other links, a title, a page made, removed or renamed, and
// two pages edited at once.
func TestMemoKeepsRelatedRandomly(t *testing.T) {
	withBigLists(t, []int{bigList, 3}, func(t *testing.T, big int) {
		memoKeepsRelatedRandomly(t, rand.New(rand.NewPCG(uint64(big), 21)))
	})
}

// withBigLists runs f as a subtest for each length of bigs, with bigList
// set to it.
func withBigLists(t *testing.T, bigs []int, f func(t *testing.T, big int)) {
	for _, big := range bigs {
		t.Run(fmt.Sprintf("bigList %d", big), func(t *testing.T) {
			old := bigList
			bigList = big
			defer func() { bigList = old }()
			f(t, big)
		})
	}
}

func memoKeepsRelatedRandomly(t *testing.T, rnd *rand.Rand) {
	dir := t.TempDir()
	names := []string{}
	some := func(pool []string, most int) string { return someOf(rnd, pool, most) }
	page := func(title string) string {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: %s\ntags: [%s]\nservices: [%s]\n---\n", title, some([]string{"a", "b", "c", "d", "e", "f", "g"}, 3), some([]string{"s1", "s2", "s3"}, 2))
		for range rnd.IntN(3) {
			if len(names) > 0 {
				fmt.Fprintf(&b, "See [it](%s).\n", names[rnd.IntN(len(names))])
			}
		}
		b.WriteString("Text.\n")
		return b.String()
	}
	next := 0
	fresh := func() string {
		next++
		return fmt.Sprintf("p%03d.md", next)
	}
	files := map[string]string{}
	for range 50 {
		n := fresh()
		names = append(names, n)
		files["content/"+n] = page("Page " + n)
	}
	write(t, dir, files)
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	loadConfig(t, cfg)
	abs := func(n string) string { return filepath.Join(dir, "content", n) }
	found := 0
	for step := range 150 {
		var changed []string
		for range 1 + rnd.IntN(2) {
			i := rnd.IntN(len(names))
			switch kind := rnd.IntN(6); {
			case kind < 3: // tags, services, links, title: a page written anew
				write(t, dir, map[string]string{"content/" + names[i]: page(fmt.Sprintf("Page %d", step))})
				changed = append(changed, abs(names[i]))
			case kind == 3 && len(names) > 20: // removed
				if err := os.Remove(abs(names[i])); err != nil {
					t.Fatal(err)
				}
				changed = append(changed, abs(names[i]))
				names = slices.Delete(names, i, i+1)
			case kind == 4: // renamed
				n := fresh()
				if err := os.Rename(abs(names[i]), abs(n)); err != nil {
					t.Fatal(err)
				}
				changed = append(changed, abs(names[i]), abs(n))
				names[i] = n
			default: // made
				n := fresh()
				write(t, dir, map[string]string{"content/" + n: page("Page " + n)})
				changed = append(changed, abs(n))
				names = append(names, n)
			}
		}
		cfg.Memo.Forget(changed...)
		got := relatedURLs(loadConfig(t, cfg))
		found += cfg.Memo.relatedFound
		if want := relatedURLs(load(t, dir)); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: related pages with the Memo\n%v\nwithout\n%v", step, got, want)
		}
	}
	// The Memo is of use: most pages' related pages are taken.
	if found > 150*len(names)/3 {
		t.Errorf("%d pages' related pages found again over 150 loads of about %d pages", found, len(names))
	}
}

// someOf returns up to most words of pool drawn by rnd, none twice, as a
// YAML list's items.
func someOf(rnd *rand.Rand, pool []string, most int) string {
	var out []string
	for range rnd.IntN(most + 1) {
		if x := pool[rnd.IntN(len(pool))]; !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return strings.Join(out, ", ")
}

// relatedURLs returns the URLs of each page's related pages, by the page's
// URL.
func relatedURLs(s *Site) map[string][]string {
	out := map[string][]string{}
	for _, p := range s.Pages {
		for _, q := range p.RelatedPages {
			out[p.URL] = append(out[p.URL], q.URL)
		}
	}
	return out
}

// TestInPlaceKeepsRelatedRandomly: over a few hundred random edits taken
// in place, as the preview takes them (Patch for a body whose links
// change, Reshape for a page made, removed or renamed), every page has
// the related pages a load without a Memo gives. Pages link by path and
// by [[title]], titles drawn from a short list: removing one of two
// pages of a title makes a [[title]] find the other, which so gains a
// backlink without being linked again itself (rehash must hash it).
// Titles are edited too (Retouch), and the kinds' lists, which the
// edits keep in place (retag), are a load's as well.
func TestInPlaceKeepsRelatedRandomly(t *testing.T) {
	withBigLists(t, []int{bigList, 3}, func(t *testing.T, big int) {
		inPlaceKeepsRelatedRandomly(t, rand.New(rand.NewPCG(uint64(big), 7)))
	})
}

func inPlaceKeepsRelatedRandomly(t *testing.T, rnd *rand.Rand) {
	dir := t.TempDir()
	titles := []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliet", "Kilo", "Lima"}
	var names []string
	front := map[string]string{} // a page's front matter, kept by Patch's edits
	body := func() string {
		var b strings.Builder
		// The same opening, longer than an excerpt: Patch takes the edit.
		b.WriteString(strings.Repeat("The same opening words of every page. ", 8) + "\n\n")
		for range rnd.IntN(4) {
			if rnd.IntN(2) == 0 && len(names) > 0 {
				fmt.Fprintf(&b, "See [it](%s).\n", names[rnd.IntN(len(names))])
			} else {
				fmt.Fprintf(&b, "See [[%s]].\n", titles[rnd.IntN(len(titles))])
			}
		}
		return b.String()
	}
	tagsOf := func(pool []string, most int) string { return someOf(rnd, pool, most) }
	// Half the pages are posts, of a few dates: their kind's list orders
	// them by date, then title, then URL.
	frontOf := func(title string) string {
		kind := ""
		if rnd.IntN(2) == 0 {
			kind = fmt.Sprintf("kind: post\ndate: 2026-0%d-01\n", 1+rnd.IntN(3))
		}
		return fmt.Sprintf("---\ntitle: %s\n%stags: [%s]\nservices: [%s]\n---\n", title, kind,
			tagsOf([]string{"a", "b", "c", "d", "e"}, 3), tagsOf([]string{"s1", "s2"}, 1))
	}
	create := func(n string) {
		front[n] = frontOf(titles[rnd.IntN(len(titles))])
		write(t, dir, map[string]string{"content/" + n: front[n] + body()})
	}
	next := 0
	fresh := func() string {
		next++
		return fmt.Sprintf("p%03d.md", next)
	}
	for range 40 {
		n := fresh()
		names = append(names, n)
	}
	for _, n := range names {
		create(n)
	}
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	s := loadConfig(t, cfg)
	abs := func(n string) string { return filepath.Join(dir, "content", n) }
	inPlace, patched, retitled := 0, 0, 0
	for step := range 150 {
		var changed []string
		patch, retitle := false, false
		i := rnd.IntN(len(names))
		switch kind := rnd.IntN(5); {
		case kind == 4: // another title: Retouch
			was := front[names[i]]
			title := titles[rnd.IntN(len(titles))]
			lines := strings.SplitN(was, "\n", 3) // "---", the title, the rest
			front[names[i]] = lines[0] + "\ntitle: " + title + "\n" + lines[2]
			b, err := os.ReadFile(abs(names[i]))
			if err != nil {
				t.Fatal(err)
			}
			write(t, dir, map[string]string{"content/" + names[i]: front[names[i]] + string(b[len(was):])})
			changed, retitle = []string{abs(names[i])}, true
		case kind == 0: // other links in the body
			write(t, dir, map[string]string{"content/" + names[i]: front[names[i]] + body()})
			changed, patch = []string{abs(names[i])}, true
		case kind == 1 && len(names) > 20: // removed
			if err := os.Remove(abs(names[i])); err != nil {
				t.Fatal(err)
			}
			changed = []string{abs(names[i])}
			names = slices.Delete(names, i, i+1)
		case kind == 2: // renamed
			n := fresh()
			if err := os.Rename(abs(names[i]), abs(n)); err != nil {
				t.Fatal(err)
			}
			front[n] = front[names[i]]
			changed = []string{abs(names[i]), abs(n)}
			names[i] = n
		default: // made
			n := fresh()
			create(n)
			changed = []string{abs(n)}
			names = append(names, n)
		}
		cfg.Memo.Forget(changed...)
		var ok bool
		switch {
		case patch:
			_, ok = s.Patch(changed)
			if ok {
				patched++
			}
		case retitle:
			_, ok = s.Retouch(changed)
			if ok {
				retitled++
			}
		default:
			_, ok = s.Reshape(changed)
		}
		if ok {
			inPlace++
		} else {
			s = loadConfig(t, cfg)
		}
		loaded := load(t, dir)
		if want, got := relatedURLs(loaded), relatedURLs(s); !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d (in place: %v): related pages\n%v\nof a load\n%v", step, ok, got, want)
		}
		// The kinds' lists, which Reshape and Retouch keep (retag).
		for _, k := range []page.Kind{page.KindPost, page.KindPage} {
			if want, got := urlsOf(loaded.OfKind(k)), urlsOf(s.OfKind(k)); !slices.Equal(got, want) {
				t.Fatalf("step %d (in place: %v): the %ss\n%v\nof a load\n%v", step, ok, k, got, want)
			}
		}
	}
	// Most edits are taken in place, or the test tests loads.
	if inPlace < 100 || patched < 20 || retitled < 10 {
		t.Errorf("%d of 150 edits taken in place, %d by Patch, %d by Retouch", inPlace, patched, retitled)
	}
}

// TestReshapeRegraphs checks the pages Reshape says have other graph
// fields than before (Patch.Regraphed), other than by their related
// pages: a folder's index, whose children a page made or removed in the
// folder changes, and the start-here path's pages, whose neighbours and
// count a page joining or leaving the path changes. A page none of this
// touches is not among them.
func TestReshapeRegraphs(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"content/guides/index.md":  "---\ntitle: Guides\n---\nThe guides.\n",
		"content/guides/first.md":  "---\ntitle: First\nonboarding: 1\n---\nRead me first.\n",
		"content/guides/second.md": "---\ntitle: Second\nonboarding: 2\n---\nThen me.\n",
		"content/other/apart.md":   "---\ntitle: Apart\n---\nNothing to do with it.\n",
		"content/other/more.md":    "---\ntitle: More\n---\nNor this.\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Memo = NewMemo()
	s, err := Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	urls := func(ps []*Page) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.URL)
		}
		return out
	}
	third := filepath.Join(dir, "content", "guides", "third.md")
	apart := filepath.Join(dir, "content", "other", "late.md")
	for i, e := range []struct {
		file, text string // text "" removes the file
		want       []string
	}{
		{third, "---\ntitle: Third\nonboarding: 3\n---\nLast.\n", []string{"/guides/", "/guides/first/", "/guides/second/"}},
		{third, "", []string{"/guides/", "/guides/first/", "/guides/second/"}},
		{third, "---\ntitle: Third\n---\nNot on the path.\n", []string{"/guides/"}},
		{third, "", []string{"/guides/"}},
		{apart, "---\ntitle: Late\n---\nApart too.\n", nil},
		{apart, "", nil},
	} {
		if e.text == "" {
			err = os.Remove(e.file)
		} else {
			err = os.WriteFile(e.file, []byte(e.text), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		cfg.Memo.Forget(e.file)
		patch, ok := s.Reshape([]string{e.file})
		if !ok {
			t.Fatalf("edit %d: not taken in place", i)
		}
		if got := urls(patch.Regraphed); !slices.Equal(got, e.want) {
			t.Errorf("edit %d (%s): regraphed %v, want %v", i, filepath.Base(e.file), got, e.want)
		}
	}
}
