package render

import (
	"bytes"
	"context"
	"encoding/xml"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/themes"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// renderArchive builds the site held in an archive's files (all but want/
// and diags) and returns every output file and the diagnostics.
func renderArchive(t *testing.T, a *txtar.Archive, mutate func(*site.Config)) (map[string]string, string) {
	t.Helper()
	dir := t.TempDir()
	for _, f := range a.Files {
		if strings.HasPrefix(f.Name, "want/") || f.Name == "diags" {
			continue
		}
		writeFile(t, dir, f.Name, f.Data)
	}
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	if mutate != nil {
		mutate(&cfg)
	}
	r := loadRenderer(t, cfg)
	out := map[string]string{}
	for p, b := range renderFiles(t, r) {
		out[p] = string(b)
	}
	var diags strings.Builder
	for _, d := range r.Site.Diags {
		fmt.Fprintln(&diags, d)
	}
	return out, diags.String()
}

// writeFile writes data to the file at name (slash-separated) under dir,
// making its folders, and returns its path.
func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// loadRenderer loads the site cfg configures and returns its renderer
// with the default theme.
func loadRenderer(t *testing.T, cfg site.Config) *Renderer {
	t.Helper()
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	th, err := LoadTheme(themes.Default(), cfg.Dir, Funcs(cfg.BasePath(), cfg.Now))
	if err != nil {
		t.Fatal(err)
	}
	return New(s, th)
}

// renderFiles renders every file of r, by site path.
func renderFiles(t *testing.T, r *Renderer) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	var mu sync.Mutex
	err := r.All(context.Background(), func(p string, b []byte) error {
		mu.Lock()
		out[p] = b
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// mainOf returns the <main> element of a page: the part a kind's layout
// shapes, without the sidebar and head shared by every page.
func mainOf(html string) string {
	i := strings.Index(html, "<main")
	j := strings.Index(html, "</main>")
	if i < 0 || j < i {
		return html
	}
	// Pictures have their own tests (package chart): here only where they
	// go counts.
	body := html[i : j+len("</main>")]
	var kept strings.Builder
	for {
		a := strings.Index(body, "<svg")
		b := strings.Index(body, "</svg>")
		if a < 0 || b < a {
			break
		}
		kept.WriteString(body[:a] + "<svg>…</svg>")
		body = body[b+len("</svg>"):]
	}
	body = kept.String() + body
	// Blank lines left by template actions are not part of the behaviour.
	var lines []string
	for _, l := range strings.Split(body, "\n") {
		if strings.TrimSpace(l) != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n") + "\n"
}

// TestGolden builds each testdata/*.txtar site and compares the <main> of
// every want/<site path> file, and the diagnostics. Run with -update to
// rewrite the wants.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no golden sites")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			out, diags := renderArchive(t, a, func(c *site.Config) {
				if strings.Contains(string(a.Comment), "base-url: /handbook/") {
					c.BaseURL = "/handbook/"
				}
			})
			for i, f := range a.Files {
				var got string
				switch {
				case f.Name == "diags":
					got = diags
				case strings.HasPrefix(f.Name, "want/"):
					p := "/" + strings.TrimPrefix(f.Name, "want/")
					html, ok := out[p]
					if !ok {
						t.Errorf("no output %s", p)
						continue
					}
					got = html
					if strings.HasSuffix(p, ".html") {
						got = mainOf(html)
					}
				default:
					continue
				}
				if *update {
					a.Files[i].Data = []byte(got)
					continue
				}
				if got != string(f.Data) {
					t.Errorf("%s differs:\n%s", f.Name, golden.Diff(string(f.Data), got))
				}
			}
			if *update {
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestHuman(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "", 30 * time.Second: "1 min", 45 * time.Minute: "45 min", 2 * time.Hour: "2 h",
		3*time.Hour + 20*time.Minute: "3 h 20 min", 52 * time.Hour: "2 d 4 h", 48 * time.Hour: "2 d",
	} {
		if got := Human(d); got != want {
			t.Errorf("Human(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestDictSample: the sample a dictionary is made of holds a page of
// each of the kinds the site has most, the commonest last, within the
// size asked for but for one page; it is the same for the same site.
func TestDictSample(t *testing.T) {
	dir := t.TempDir()
	for i := range 6 {
		writeFile(t, dir, fmt.Sprintf("runbooks/api/step-%d.md", i), []byte(fmt.Sprintf("---\ntitle: Runbook step %d\nowner: team-api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart the api, step %d.\n", i, i)))
	}
	for i := range 2 {
		writeFile(t, dir, fmt.Sprintf("content/adr/000%d-decision.md", i+1), []byte(fmt.Sprintf("---\ntitle: Decision %d\nstatus: accepted\ndate: 2026-01-0%d\n---\n## Context\n\nWhy %d.\n", i+1, i+1, i+1)))
	}
	cfg := site.DefaultConfig(dir)
	r := loadRenderer(t, cfg)
	all := r.DictSample(1 << 20)
	if !bytes.Contains(all, []byte("Decision 1")) || !bytes.Contains(all, []byte("Runbook step")) {
		t.Fatalf("the sample lacks an ADR or a runbook: %d bytes", len(all))
	}
	// The runbooks, the commonest kind, come last: the part a dictionary
	// keeps when the sample is longer than it takes.
	if last := bytes.LastIndex(all, []byte("<html")); last < 0 || !bytes.Contains(all[last:], []byte("Runbook step 0")) {
		t.Errorf("the last page of the sample is not the first runbook")
	}
	one := r.DictSample(1)
	if bytes.Count(one, []byte("<html")) != 1 || !bytes.Contains(one, []byte("Runbook step 0")) {
		t.Errorf("a sample of at most 1 byte holds %d pages; want the first runbook alone", bytes.Count(one, []byte("<html")))
	}
	if again := loadRenderer(t, cfg).DictSample(1 << 20); !bytes.Equal(again, all) {
		t.Error("the same site gave another sample")
	}
}

// TestAppendXMLText: the sitemap's escaping is encoding/xml's, with and
// without characters to escape.
func TestAppendXMLText(t *testing.T) {
	for _, s := range []string{"", "runbooks/db-failover/", "a&b", "<x>", `say "hi"`, "it's", "tab\there", "line\nbreak", "café/ü", "bad\xffbyte", "\x7f", "emoji-😀/"} {
		var want bytes.Buffer
		if err := xml.EscapeText(&want, []byte(s)); err != nil {
			t.Fatal(err)
		}
		if got := appendXMLText([]byte("pre:"), s); string(got) != "pre:"+want.String() {
			t.Errorf("%q: %q, want %q", s, got, "pre:"+want.String())
		}
	}
}

// TestRemadePlan: a renderer made again for pages added or removed
// (Remade) plans the files a new renderer of the site plans, in the same
// order, taking the last plan's job of every page still there; of a site
// loaded again (other pages), it takes none.
func TestRemadePlan(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "content/index.md", []byte("---\ntitle: Home\n---\nWelcome.\n"))
	writeFile(t, dir, "content/adr/0001-use-a-queue.md", []byte("---\ntitle: Use a queue\nstatus: accepted\ndate: 2024-03-01\n---\nWhy.\n"))
	writeFile(t, dir, "content/notes/alpha.md", []byte("---\ntitle: Alpha\ntags: [x]\n---\nA.\n"))
	writeFile(t, dir, "content/notes/beta.md", []byte("---\ntitle: Beta\n---\nB.\n"))
	writeFile(t, dir, "runbooks/pay/db.md", []byte("---\ntitle: DB failover\nservice: pay\n---\nSteps.\n"))
	cfg := site.DefaultConfig(dir)
	// closure is the closure a job runs: the same for a job taken again.
	closure := func(j job) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&j.run)) }
	same := func(a, b []job) bool {
		return slices.EqualFunc(a, b, func(x, y job) bool {
			return x.path == y.path && x.sample == y.sample && x.page == y.page && x.list == y.list && x.copied == y.copied
		})
	}
	r := loadRenderer(t, cfg)
	r.Files()
	// The last plan, of pages that are not the site's now.
	other := *r
	other.Site = loadRenderer(t, cfg).Site
	for _, c := range []struct {
		name  string
		from  *Renderer
		taken bool
	}{{"the same site", r, true}, {"a site loaded again", &other, false}} {
		t.Run(c.name, func(t *testing.T) {
			n := c.from.Remade(nil, true)
			fresh := New(c.from.Site, c.from.Theme)
			if !same(n.jobs(), fresh.jobs()) {
				t.Fatalf("the plan made again differs from a new one")
			}
			pages := 0
			for i, j := range n.jobs() {
				if j.page == nil {
					continue
				}
				pages++
				k, ok := r.paths()[j.path]
				if taken := ok && closure(r.jobs()[k]) == closure(j); taken != c.taken {
					t.Errorf("%s: taken from the last plan: %v, want %v", j.path, taken, c.taken)
				}
				if n.paths()[j.path] != i {
					t.Errorf("%s: paths gives %d, want %d", j.path, n.paths()[j.path], i)
				}
			}
			if pages < 3 {
				t.Fatalf("%d pages' jobs", pages)
			}
		})
	}
}

// TestSortSitemap: the home and the pages, in URL order, merged with the
// lists sorted, give what a stable sort of all gives: of equal URLs, the
// one that came first first (the page's, whose date the sitemap keeps).
// Pages out of order are sorted whole.
func TestSortSitemap(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	for _, urls := range [][]sitemapURL{
		{{url: "/", mod: day(1)}, {url: "/a/", mod: day(2)}, {url: "/c/", mod: day(3)}, {url: "/tags/x/", mod: day(4)}, {url: "/b/", mod: time.Time{}}, {url: "/tags/x/", mod: time.Time{}}, {url: "/c/", mod: time.Time{}}, {url: "/0/", mod: time.Time{}}},
		{{url: "/", mod: day(1)}, {url: "/c/", mod: day(3)}, {url: "/a/", mod: day(2)}, {url: "/b/", mod: time.Time{}}, {url: "/a/", mod: time.Time{}}},
	} {
		want := slices.Clone(urls)
		slices.SortStableFunc(want, func(a, b sitemapURL) int { return strings.Compare(a.url, b.url) })
		heads := 4
		if got := sortSitemap(slices.Clone(urls), heads); !slices.Equal(got, want) {
			t.Errorf("sortSitemap(%v) = %v, want %v", urls, got, want)
		}
	}
	var b []byte
	for _, d := range []time.Time{day(9), time.Date(1999, 12, 31, 23, 0, 0, 0, time.UTC), time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC)} {
		if got, want := string(appendDate(b, d)), d.Format("2006-01-02"); got != want {
			t.Errorf("appendDate(%v) = %q, want %q", d, got, want)
		}
	}
}
