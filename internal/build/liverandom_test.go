package build_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// TestLiveRandomEdits makes edits of the kinds authors make, drawn at
// random and one after another, to a generated handbook and to corpus
// sites, and checks after each that the preview's update equals a whole
// build of the same files: its files, its findings and its search index.
// TestLiveMatchesBuild tries each kind of edit once, on pages chosen for
// it; here they fall on any page, after any other edit (a link to a page
// renamed two edits before, a title changed on a page another deleted
// page named), which is where a dependency left out shows.
//
// The draws are seeded, so a failure comes again: its message gives the
// edits that led to it. HANDBOOK_RANDOM_SEED and HANDBOOK_RANDOM_EDITS
// draw other edits, or more of them, when looking for trouble;
// HANDBOOK_RANDOM_TRACE prints each edit and how the update was made.
func TestLiveRandomEdits(t *testing.T) {
	seed, edits := uint64(1), 40
	if v, err := strconv.ParseUint(os.Getenv("HANDBOOK_RANDOM_SEED"), 10, 64); err == nil {
		seed = v
	}
	if v, err := strconv.Atoi(os.Getenv("HANDBOOK_RANDOM_EDITS")); err == nil && v > 0 {
		edits = v
	}
	t.Run("generated", func(t *testing.T) {
		dir := t.TempDir()
		if err := sitegen.Generate(dir, 150, seed+3); err != nil {
			t.Fatal(err)
		}
		cfg := site.DefaultConfig(dir)
		cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
		cfg.Drafts = true
		randomEdits(t, dir, cfg, seed, edits)
	})
	root := golden.CorpusDir(t)
	for _, name := range []string{"adr-madr", "postmortems-dfds", "runbooks-prometheus-operator", "radar-isis"} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, name))); err != nil {
				t.Fatal(err)
			}
			cfg := site.DefaultConfig(dir)
			cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
			randomEdits(t, dir, cfg, seed, edits/2)
		})
	}
}

// editor draws random edits of the Markdown files of a site.
type editor struct {
	t   *testing.T
	r   *rand.Rand
	dir string
	// files are the site's Markdown files, by path from dir.
	files []string
	// gone are the files deleted, with what they held, to put back.
	gone map[string][]byte
	n    int // edits made, for unique names and words
}

var (
	frontRE   = regexp.MustCompile(`(?s)\A---\n.*?\n---\n`)
	titleRE   = regexp.MustCompile(`(?m)^title: .*$`)
	h1RE      = regexp.MustCompile(`(?m)^# .*$`)
	headingRE = regexp.MustCompile(`(?m)^#{2,4} (.+)$`)
	linkRE    = regexp.MustCompile(`\]\([^)]*\)`)
)

// randomEdits makes n random edits of the site in dir, updating a Live
// after each and comparing it with a whole build.
func randomEdits(t *testing.T, dir string, cfg site.Config, seed uint64, n int) {
	e := &editor{t: t, r: rand.New(rand.NewPCG(seed, 0x5eed)), dir: dir, gone: map[string][]byte{}}
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(dir, p)
			e.files = append(e.files, filepath.ToSlash(rel))
		}
		return nil
	})
	slices.Sort(e.files)
	if len(e.files) < 3 {
		t.Fatalf("%d Markdown files: too few to edit", len(e.files))
	}
	opts := build.Options{Site: cfg}
	if os.Getenv("HANDBOOK_RANDOM_TRACE") != "" {
		opts.Trace = os.Stderr // how each update was made
	}
	live := build.NewLive(opts)
	if _, err := live.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	var done []string
	partial, inPlace := 0, 0
	for i := range n {
		what, changed := e.edit()
		done = append(done, what)
		if opts.Trace != nil {
			fmt.Fprintf(opts.Trace, "edit %d: %s\n", i, what)
		}
		var got *build.LiveResult
		var err error
		if i%2 == 0 {
			got, err = live.UpdateFirst(context.Background(), changed)
			if err == nil && got.First {
				got, err = live.Finish(context.Background())
			}
		} else {
			got, err = live.Update(context.Background(), changed)
		}
		if err != nil {
			t.Fatalf("after %s: %v", strings.Join(done, "; "), err)
		}
		if got.Partial {
			partial++
		}
		if got.Retouched {
			inPlace++
		}
		if s := live.UpdateSearch(context.Background()); s != nil {
			got.Files = s.Files
		}
		want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var bad strings.Builder
		if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
			fmt.Fprintf(&bad, "files differ from a whole build:\n%s", d)
		}
		if d := diffDiags(want.Diags, got.Diags); d != "" {
			fmt.Fprintf(&bad, "findings differ from a whole build:\n%s", d)
		}
		if d := diffSearch(want.Unpacked(), got.Unpacked()); d != "" {
			fmt.Fprintf(&bad, "search index differs from a whole build's:\n%s", d)
		}
		if bad.Len() > 0 {
			t.Fatalf("edit %d of seed %d, after\n  %s\n%s", i, seed, strings.Join(done, "\n  "), bad.String())
		}
	}
	t.Logf("%d edits, %d partial, %d of them in place", n, partial, inPlace)
	if n >= 10 && partial == 0 {
		t.Errorf("none of %d edits was taken partially", n)
	}
}

// edit makes one random edit and returns what it was and the paths it
// changed.
func (e *editor) edit() (string, []string) {
	e.n++
	for {
		// Deletions and renames are rarer than edits of a page, as they
		// are in a handbook.
		k := e.r.IntN(24)
		if what, changed := e.try(k); what != "" {
			return what, changed
		}
	}
}

// try makes edit k if it applies, returning "" when it does not.
func (e *editor) try(k int) (string, []string) {
	f := e.files[e.r.IntN(len(e.files))]
	other := e.files[e.r.IntN(len(e.files))]
	text := e.read(f)
	word := fmt.Sprintf("zeta%d", e.n)
	switch k {
	case 0, 1:
		return e.write(f, text+"\n\nAn added paragraph about "+word+" and the queue.\n", "body of %s")
	case 2:
		return e.write(f, text+"\n\nSee ["+word+"]("+e.rel(f, other)+").\n", "link from %s to "+other)
	case 3:
		// A link to a heading of another page, which may not be there.
		h := headingRE.FindAllStringSubmatch(e.read(other), -1)
		anchor := "missing-" + word
		if len(h) > 0 {
			anchor = markdown.Slug(h[e.r.IntN(len(h))][1])
		}
		return e.write(f, text+"\n\nSee [the section]("+e.rel(f, other)+"#"+anchor+").\n", "link from %s to "+other+"#"+anchor)
	case 4:
		// A link taken out.
		lines := strings.Split(text, "\n")
		var with []int
		for i, l := range lines {
			if linkRE.MatchString(l) {
				with = append(with, i)
			}
		}
		if len(with) == 0 {
			return "", nil
		}
		i := with[e.r.IntN(len(with))]
		lines[i] = linkRE.ReplaceAllString(lines[i], "]")
		return e.write(f, strings.Join(lines, "\n"), "links out of a line of %s")
	case 5:
		// The title, in the front matter or the first heading.
		switch {
		case titleRE.MatchString(text):
			return e.write(f, titleRE.ReplaceAllLiteralString(text, "title: Retitled "+word), "title of %s")
		case h1RE.MatchString(text):
			return e.write(f, replaceFirst(h1RE, text, "# Retitled "+word), "first heading of %s")
		}
		return "", nil
	case 6:
		// A heading added, which moves the sections after it.
		lines := strings.Split(text, "\n")
		start := 0
		if m := frontRE.FindStringIndex(text); m != nil {
			start = strings.Count(text[:m[1]], "\n")
		}
		at := start + e.r.IntN(len(lines)-start+1)
		lines = slices.Insert(lines, min(at, len(lines)), "", "## Added "+word, "")
		return e.write(f, strings.Join(lines, "\n"), "heading into %s")
	case 7:
		tag := []string{"networking", "database", "security", word}[e.r.IntN(4)]
		return e.field(f, "tags", "["+tag+"]")
	case 8:
		// A field of the kind the page is.
		switch {
		case strings.Contains(text, "\nstatus: "):
			return e.field(f, "status", []string{"proposed", "accepted", "deprecated", "superseded", "rejected", "reviewed", "closed", "draft"}[e.r.IntN(8)])
		case strings.Contains(text, "\nlast_reviewed: "):
			return e.field(f, "last_reviewed", fmt.Sprintf("2026-%02d-%02d", 1+e.r.IntN(11), 1+e.r.IntN(28)))
		}
		return e.field(f, "owner", "team-"+word)
	case 9:
		// A reference by name in the body, or in the front matter.
		name := strings.TrimSuffix(filepath.Base(other), ".md")
		ref := []string{"[[" + name + "]]", "[[ADR-" + fmt.Sprintf("%04d", 1+e.r.IntN(9)) + "]]", "[[" + word + "]]"}[e.r.IntN(3)]
		if e.r.IntN(2) == 0 {
			return e.write(f, text+"\n\nAs in "+ref+".\n", "reference "+ref+" in %s")
		}
		if e.r.IntN(2) == 0 {
			return e.field(f, "related", "["+other+"]")
		}
		return e.field(f, "supersedes", fmt.Sprintf("ADR-%04d", 1+e.r.IntN(9)))
	case 10:
		return e.field(f, "draft", []string{"true", "false"}[e.r.IntN(2)])
	case 11:
		// Front matter that does not parse, mended by a later edit.
		if !frontRE.MatchString(text) {
			return "", nil
		}
		return e.write(f, strings.Replace(text, "---\n", "---\nbroken: [unclosed\n", 1), "front matter of %s broken")
	case 16:
		// Two pages at once: one links to the other, which is retitled.
		w1, c1 := e.write(f, text+"\n\nSee ["+word+"]("+e.rel(f, other)+").\n", "link from %s to "+other)
		w2, c2 := "", []string(nil)
		if o := e.read(other); titleRE.MatchString(o) {
			w2, c2 = e.write(other, titleRE.ReplaceAllLiteralString(o, "title: Both "+word), "and title of %s")
		}
		return strings.TrimSpace(w1 + " " + w2), append(c1, c2...)
	case 17:
		return e.field(f, "services", "["+[]string{"payments", "search", "checkout", word}[e.r.IntN(4)]+"]")
	case 18:
		return e.field(f, []string{"weight", "date", "superseded_by", "severity"}[e.r.IntN(4)],
			[]string{"3", "2026-10-0" + strconv.Itoa(1+e.r.IntN(9)), fmt.Sprintf("ADR-%04d", 1+e.r.IntN(9)), "SEV1"}[e.r.IntN(4)])
	case 19:
		// Bytes that are not UTF-8, or nothing at all.
		if e.r.IntN(2) == 0 {
			return e.write(f, text+"\n\nBad \xff\xfe bytes.\n", "bytes not UTF-8 in %s")
		}
		return e.write(f, "", "%s emptied")
	case 20:
		// A heading again (its id takes a suffix), an element's id, a
		// link to each.
		h := headingRE.FindAllStringSubmatch(text, -1)
		if len(h) == 0 {
			return "", nil
		}
		again := h[e.r.IntN(len(h))][1]
		return e.write(f, text+"\n\n## "+again+"\n\n<a id=\"own-"+word+"\"></a>Text.\n\nSee [again](#"+markdown.Slug(again)+"-1) and [the element](#own-"+word+").\n", "heading "+again+" again in %s")
	case 21:
		// An image, there or not.
		return e.write(f, text+"\n\n![a diagram]("+[]string{"missing-" + word + ".png", "https://example.com/x.png"}[e.r.IntN(2)]+")\n", "image in %s")
	case 22:
		// A new page in a new folder.
		nf := filepath.ToSlash(filepath.Join(filepath.Dir(f), "folder-"+word, "first.md"))
		e.files = append(e.files, nf)
		slices.Sort(e.files)
		return e.write(nf, "---\ntitle: First of "+word+"\ntags: [networking]\n---\nSee ["+other+"]("+e.rel(nf, other)+").\n", "%s added")
	case 23:
		// The page written again as it is, with its time alone changed.
		now := time.Now().Add(time.Duration(e.n) * time.Second)
		if err := os.Chtimes(e.path(f), now, now); err != nil {
			e.t.Fatal(err)
		}
		return "touched " + f, []string{e.path(f)}
	case 12:
		for _, g := range slices.Sorted(maps.Keys(e.gone)) {
			b := e.gone[g]
			delete(e.gone, g)
			e.files = append(e.files, g)
			slices.Sort(e.files)
			return e.write(g, string(b), "%s put back")
		}
		fallthrough
	case 13:
		// A new page like another, in its folder.
		nf := filepath.ToSlash(filepath.Join(filepath.Dir(f), "new-"+word+".md"))
		body := titleRE.ReplaceAllLiteralString(text, "title: New "+word)
		e.files = append(e.files, nf)
		slices.Sort(e.files)
		return e.write(nf, body, "%s added")
	case 14:
		if len(e.files) < 10 {
			return "", nil
		}
		e.gone[f] = []byte(text)
		e.forget(f)
		if err := os.Remove(e.path(f)); err != nil {
			e.t.Fatal(err)
		}
		return "deleted " + f, []string{e.path(f)}
	default:
		// Renamed, in its folder or into another page's.
		dest := filepath.ToSlash(filepath.Join(filepath.Dir(other), "moved-"+word+"-"+filepath.Base(f)))
		if e.r.IntN(2) == 0 {
			dest = filepath.ToSlash(filepath.Join(filepath.Dir(f), "moved-"+word+"-"+filepath.Base(f)))
		}
		if err := os.Rename(e.path(f), e.path(dest)); err != nil {
			e.t.Fatal(err)
		}
		e.forget(f)
		e.files = append(e.files, dest)
		slices.Sort(e.files)
		return "renamed " + f + " to " + dest, []string{e.path(f), e.path(dest)}
	}
}

// field sets a front-matter field of f to value, over the field if f has
// it, added at the front matter's end if not; a page without front
// matter is given one.
func (e *editor) field(f, key, value string) (string, []string) {
	text := e.read(f)
	line := key + ": " + value
	what := key + " of %s set to " + value
	m := frontRE.FindStringIndex(text)
	if m == nil {
		return e.write(f, "---\n"+line+"\n---\n"+text, what)
	}
	fm := text[:m[1]]
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(key) + `:.*$`)
	if re.MatchString(fm) {
		next := re.ReplaceAllLiteralString(fm, line)
		if next == fm {
			return "", nil
		}
		return e.write(f, next+text[m[1]:], what)
	}
	return e.write(f, fm[:len(fm)-len("---\n")]+line+"\n---\n"+text[m[1]:], what)
}

func (e *editor) path(f string) string { return filepath.Join(e.dir, filepath.FromSlash(f)) }

func (e *editor) read(f string) string {
	b, err := os.ReadFile(e.path(f))
	if err != nil {
		e.t.Fatal(err)
	}
	return string(b)
}

// write writes text to f, and returns what (with f for its %s) and f's
// path; "" when text is what f holds.
func (e *editor) write(f, text, what string) (string, []string) {
	if old, err := os.ReadFile(e.path(f)); err == nil && string(old) == text {
		return "", nil
	}
	if err := os.MkdirAll(filepath.Dir(e.path(f)), 0o755); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(e.path(f), []byte(text), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return fmt.Sprintf(what, f), []string{e.path(f)}
}

func (e *editor) forget(f string) {
	e.files = slices.DeleteFunc(e.files, func(g string) bool { return g == f })
}

// rel is the relative link from page from to page to.
func (e *editor) rel(from, to string) string {
	r, err := filepath.Rel(filepath.Dir(e.path(from)), e.path(to))
	if err != nil {
		e.t.Fatal(err)
	}
	return filepath.ToSlash(r)
}

func replaceFirst(re *regexp.Regexp, s, with string) string {
	m := re.FindStringIndex(s)
	return s[:m[0]] + with + s[m[1]:]
}
