package render

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
	"github.com/handbook-dev/handbook/themes"
)

// templateLists is what the default theme wrote with templates for the
// lists at a page's foot before RelationLists, TagLinks, BacklinkLists
// and RelatedList wrote them in Go: the reference they must equal.
const templateLists = `{{with .Page}}{{if or .Relations .Incoming}}<section class="relations">
{{range .Relations}}<h2>{{.Name}}</h2><ul>{{range .Pages}}<li><span class="kind-label">{{.Kind.Title}}</span> {{link .}}</li>{{end}}</ul>{{end}}
{{range .Incoming}}<h2>{{.Name}}</h2><ul>{{range .Pages}}<li><span class="kind-label">{{.Kind.Title}}</span> {{link .}}</li>{{end}}</ul>{{end}}
</section>{{end}}
{{if or .Tags .Services}}<p class="tags">{{if .Services}}Services: {{range .Services}}<a class="tag tag-service" href="{{$.Site.BasePath}}services/{{slug .}}/">{{.}}</a> {{end}}{{end}}{{if .Tags}}Tags: {{range .Tags}}<a class="tag" href="{{$.Site.BasePath}}tags/{{slug .}}/">{{.}}</a> {{end}}{{end}}</p>{{end}}
{{with .BacklinksByKind}}<section class="backlinks">
<h2>Referenced by</h2>
{{range .}}<h3>{{.Name}}</h3><ul>{{range .Pages}}<li>{{link .}}</li>{{end}}</ul>{{end}}
</section>{{end}}
{{with .RelatedPages}}<section class="related">
<h2>Related pages</h2>
<ul>{{range .}}<li><span class="kind-label">{{.Kind.Title}}</span> {{link .}}</li>{{end}}</ul>
</section>{{end}}{{end}}`

// goLists is the same written with the functions, as the theme's "body"
// does.
const goLists = `{{with .Page}}{{relationLists .}}
{{tagLinks $.Site.BasePath .}}
{{backlinkLists .}}
{{relatedList .}}{{end}}`

// TestPageListsAsTemplates checks that the lists at a page's foot, built
// in Go, are byte for byte what the templates made of them, on a
// generated site with pages whose tags, services and titles need escaping
// and under base paths that do.
func TestPageListsAsTemplates(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 300, 2); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/notes/odd.md", []byte("---\ntitle: \"R&D <notes> it's \\\"quoted\\\" + more\"\ntags: [c++, R&D, zürich, \"a\\\"b\", \"<x>\", \"it's\", \"50% off\", \"a b/c?d#e\"]\nservices: [pay ments, \"ü&+\"]\nrelated: [../adr/0001-first.md]\n---\nSee [the first](../adr/0001-first.md) and [the other](other.md).\n"))
	writeFile(t, dir, "content/notes/other.md", []byte("---\ntitle: Other & more\ntags: [c++]\n---\nBack to [odd](odd.md).\n"))
	writeFile(t, dir, "content/adr/0001-first.md", []byte("---\ntitle: First <decision>\nstatus: superseded\ndate: 2026-01-01\nsuperseded_by: [0002-second.md]\n---\n## Context\n\nWhy.\n"))
	writeFile(t, dir, "content/adr/0002-second.md", []byte("---\ntitle: Second\nstatus: accepted\ndate: 2026-02-01\nsupersedes: [0001-first.md]\n---\n## Context\n\nSee [odd](../notes/odd.md).\n"))
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	s, err := site.Load(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	funcs := Funcs("/", cfg.Now)
	funcs["relationLists"], funcs["tagLinks"], funcs["backlinkLists"], funcs["relatedList"] = RelationLists, TagLinks, BacklinkLists, RelatedList
	want := template.Must(template.New("t").Funcs(funcs).Parse(templateLists))
	got := template.Must(template.New("t").Funcs(funcs).Parse(goLists))
	shown := map[string]bool{}
	for _, base := range []string{"/", "/hb/", "/my docs/", "/a+b&c/", "/ü/", "/%41'\"<>/", "javascript:alert(1)/", "https://example.com/x/"} {
		for _, p := range s.Pages {
			d := &Data{Site: &SiteInfo{BasePath: base}, Page: p}
			var a, b strings.Builder
			if err := want.Execute(&a, d); err != nil {
				t.Fatal(err)
			}
			if err := got.Execute(&b, d); err != nil {
				t.Fatal(err)
			}
			if a.String() != b.String() {
				t.Fatalf("base %q, %s:\n got %q\nwant %q", base, p.URL, b.String(), a.String())
			}
			for _, part := range []string{`class="relations"`, `class="tags"`, `class="backlinks"`, `class="related"`, "&#43;", "%c3%bc", "<h3>ADRs</h3>"} {
				if strings.Contains(a.String(), part) {
					shown[part] = true
				}
			}
		}
	}
	for _, part := range []string{`class="relations"`, `class="tags"`, `class="backlinks"`, `class="related"`, "&#43;", "%c3%bc", "<h3>ADRs</h3>"} {
		if !shown[part] {
			t.Errorf("no page showed %s: the comparison does not cover it", part)
		}
	}
}

// TestURLPiecesAsTemplates compares urlStart and urlPiece with
// html/template on every byte and on strings that need each of their
// cases.
func TestURLPiecesAsTemplates(t *testing.T) {
	tmpl := template.Must(template.New("t").Parse(`<a href="{{.A}}x/{{.B}}/">`))
	var cases []string
	for c := 0; c < 256; c++ {
		cases = append(cases, string([]byte{'a', byte(c), 'z'}), string([]byte{byte(c)}))
	}
	cases = append(cases, "", "/", "/hb/", "zürich", "50%", "%zz", "a&b+c", "HTTP://x/", "mailto:a@b", "javascript:x", "data:text/html,x", "httpſ://x", "HTTPS:x", "/a:b", "a:b/c", "?q=1&r=2#f", "\xff\xfe", "日本")
	for _, a := range cases {
		for _, bb := range []string{"slug", a} {
			var want strings.Builder
			if err := tmpl.Execute(&want, struct{ A, B string }{a, bb}); err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			got.WriteString(`<a href="`)
			urlStart(&got, a)
			got.WriteString("x/")
			urlPiece(&got, bb)
			got.WriteString(`/">`)
			if got.String() != want.String() {
				t.Fatalf("%q, %q: got %s, want %s", a, bb, got.String(), want.String())
			}
		}
	}
	if s := htmlText.Replace("a\x00\"&'+<>b"); s != "a\uFFFD&#34;&amp;&#39;&#43;&lt;&gt;b" {
		t.Errorf("htmlText: %q", s)
	}
}

// TestNavListsAsTemplates checks that the top bar's sections and the
// breadcrumbs, built in Go, are byte for byte what the templates made of
// them, for every page of a site whose folders and sections have names
// that need escaping, under base paths that do.
func TestNavListsAsTemplates(t *testing.T) {
	const (
		sectionsTemplate = `{{- range .Site.Sections}}<a href="{{.Href}}"{{if eq .URL $.URL}} aria-current="page"{{end}}>{{.Title}}</a>{{end -}}`
		crumbsTemplate   = `{{if .}}<nav class="breadcrumbs" aria-label="Breadcrumbs"><ol>{{range .}}<li>{{if .URL}}<a href="{{.Href}}">{{.Title}}</a>{{else}}<span>{{.Title}}</span>{{end}}</li>{{end}}</ol></nav>{{end}}`
	)
	funcs := template.FuncMap{"sectionLinks": SectionLinks, "crumbLinks": CrumbLinks}
	wantSections := template.Must(template.New("s").Parse(sectionsTemplate))
	gotSections := template.Must(template.New("s").Funcs(funcs).Parse(`{{sectionLinks .Site.Sections .URL}}`))
	wantCrumbs := template.Must(template.New("c").Parse(crumbsTemplate))
	gotCrumbs := template.Must(template.New("c").Funcs(funcs).Parse(`{{crumbLinks .}}`))
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 150, 2); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "content/R&D <lab> + it's/a \"b\" c/zürich.md", []byte("---\ntitle: Deep & <odd>\n---\nText.\n"))
	writeFile(t, dir, "content/R&D <lab> + it's/index.md", []byte("---\ntitle: \"R&D's <lab> + \\\"more\\\"\"\n---\nText.\n"))
	shown := map[string]bool{}
	for _, base := range []string{"https://example.com/", "https://example.com/hb/", "https://example.com/my%20docs/", "https://example.com/a+b&c/"} {
		cfg := site.DefaultConfig(dir)
		cfg.Now = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
		cfg.BaseURL = base
		r := loadRenderer(t, cfg)
		urls := []string{"/", "/tags/", "/services/"}
		for _, p := range r.Site.Pages {
			urls = append(urls, p.URL)
		}
		for u := range r.nav.byURL {
			urls = append(urls, u)
		}
		for _, u := range urls {
			d := &Data{Site: r.info, URL: u}
			crumbs := r.nav.crumbs(u)
			// Every folder has a page now; a crumb without one is named
			// only, as layouts may still make them.
			unlinked := append(slices.Clone(crumbs), Link{Title: "R&D's <lab>"})
			for _, c := range []struct {
				name      string
				want, got *template.Template
				data      any
			}{{"sections", wantSections, gotSections, d}, {"crumbs", wantCrumbs, gotCrumbs, crumbs}, {"crumbs", wantCrumbs, gotCrumbs, unlinked}} {
				var a, b strings.Builder
				if err := c.want.Execute(&a, c.data); err != nil {
					t.Fatal(err)
				}
				if err := c.got.Execute(&b, c.data); err != nil {
					t.Fatal(err)
				}
				if a.String() != b.String() {
					t.Fatalf("%s of %s under %s:\n got %q\nwant %q", c.name, u, base, b.String(), a.String())
				}
				for _, part := range []string{`aria-current="page"`, "<span>", "&amp;", "&lt;", "&#43;", "&#39;", "%20"} {
					if strings.Contains(a.String(), part) {
						shown[c.name+" "+part] = true
					}
				}
			}
		}
	}
	for _, part := range []string{"sections aria-current=\"page\"", "crumbs <span>", "crumbs &amp;", "crumbs &lt;", "crumbs &#43;", "crumbs &#39;", "sections %20", "crumbs %20"} {
		if !shown[part] {
			t.Errorf("no page showed %s: the comparison does not cover it", part)
		}
	}
}

// templateTables is what the theme's tables were as templates before
// Tables wrote them: the reference they must equal. The "review",
// "adr-status" and "severity" templates they call are the theme's own.
const templateTables = `{{define "table-adr"}}<div class="table-wrap"><table class="index index-adr">
<thead><tr><th scope="col">No.</th><th scope="col">Decision</th><th scope="col">Status</th><th scope="col">Date</th></tr></thead>
<tbody>{{range .}}<tr><td class="num">{{if .ADR.HasNumber}}{{.ADR.Number}}{{end}}</td><td><a href="{{.Href}}">{{.Title}}</a>{{with .SupersededBy}}<br><small>superseded by {{range $i, $x := .}}{{if $i}}, {{end}}{{link $x}}{{end}}</small>{{end}}</td><td>{{template "adr-status" .ADR.Status}}</td><td>{{date .Date}}</td></tr>{{end}}</tbody>
</table></div>{{end}}
{{define "table-postmortem"}}<div class="table-wrap"><table class="index index-postmortem">
<thead><tr><th scope="col">Date</th><th scope="col">Incident</th><th scope="col">Severity</th><th scope="col">Status</th><th scope="col">Time to detect</th><th scope="col">Time to resolve</th></tr></thead>
<tbody>{{range .}}<tr><td>{{date .Date}}</td><td><a href="{{.Href}}">{{.Title}}</a></td><td>{{template "severity" .Postmortem.Severity}}</td><td>{{.Postmortem.Status}}</td><td>{{human .Postmortem.TimeToDetect}}</td><td>{{human .Postmortem.TimeToResolve}}</td></tr>{{end}}</tbody>
</table></div>{{end}}
{{define "table-runbook"}}<div class="table-wrap"><table class="index index-runbook">
<thead><tr><th scope="col">Runbook</th><th scope="col">Owner</th><th scope="col">Last reviewed</th><th scope="col">Review</th></tr></thead>
<tbody>{{range .}}<tr><td><a href="{{.Href}}">{{.Title}}</a></td><td>{{.Owner}}</td><td>{{date .Runbook.LastReviewed}}</td><td>{{template "review" .}}</td></tr>{{end}}</tbody>
</table></div>{{end}}
{{define "table-evaluation"}}<div class="table-wrap"><table class="index index-evaluation">
<thead><tr><th scope="col">Evaluation</th><th scope="col">Ring</th><th scope="col">Quadrant</th><th scope="col">Change</th><th scope="col">Date</th></tr></thead>
<tbody>{{range .}}<tr><td><a href="{{.Href}}">{{.Title}}</a></td><td><span class="badge ring ring-{{or .Evaluation.Ring "none"}}">{{or .Evaluation.Ring "—"}}</span></td><td>{{or .Evaluation.QuadrantLabel .Evaluation.Quadrant}}</td><td>{{.RingMove}}</td><td>{{date .Date}}</td></tr>{{end}}</tbody>
</table></div>{{end}}
{{define "table-post"}}<ul class="post-list">{{range .}}<li><h3><a href="{{.Href}}">{{.Title}}</a></h3><p class="byline">{{date .Date}} · {{readingTime .}}</p>{{with .Excerpt}}<p>{{.}}</p>{{end}}</li>{{end}}</ul>{{end}}
{{define "table-page"}}<ul class="page-list">{{range .}}<li><a href="{{.Href}}">{{.Title}}</a>{{with .Excerpt}}<p>{{.}}</p>{{end}}</li>{{end}}</ul>{{end}}
{{define "table-mixed"}}<ul class="page-list">{{range .}}<li><span class="kind-label">{{.Kind.Title}}</span> <a href="{{.Href}}">{{.Title}}</a>{{with .Excerpt}}<p>{{.}}</p>{{end}}</li>{{end}}</ul>{{end}}`

// TestTablesAsTemplates checks that Tables writes, for the pages of each
// kind of a generated site with pages whose fields need escaping, under
// base paths that do, what the templates it replaces wrote.
func TestTablesAsTemplates(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	partials, err := fs.ReadFile(themes.Default(), "layouts/partials.html")
	if err != nil {
		t.Fatal(err)
	}
	want := template.Must(template.Must(template.New("t").Funcs(Funcs("/", now)).Parse(string(partials))).Parse(templateTables))
	tables := Tables{Now: now}
	got := map[string]func([]*site.Page) template.HTML{"table-adr": tables.ADR, "table-postmortem": tables.Postmortem, "table-runbook": tables.Runbook,
		"table-evaluation": tables.Evaluation, "table-post": tables.Post, "table-page": tables.Page, "table-mixed": tables.Mixed}
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 400, 2); err != nil {
		t.Fatal(err)
	}
	odd := "title: \"R&D <odd> it's \\\"quoted\\\" + more\"\nowner: \"team <a> & b's\"\n"
	writeFile(t, dir, "content/adr/9000-odd.md", []byte("---\n"+odd+"status: \"Accepted & <x>\"\ndate: 2026-01-01\n---\nOdd.\n"))
	writeFile(t, dir, "content/adr/odd-unnumbered.md", []byte("---\n"+odd+"date: 2026-01-01\n---\nNo status.\n"))
	writeFile(t, dir, "content/postmortems/odd.md", []byte("---\n"+odd+"date: 2026-01-02\nseverity: \"SEV<1>&\"\nstatus: \"in review & <x>\"\nimpact_start: 2026-01-02T10:00:00Z\ndetected_at: 2026-01-02T10:07:00Z\nresolved_at: 2026-01-03T12:00:00Z\n---\nOdd.\n"))
	writeFile(t, dir, "runbooks/odd/odd.md", []byte("---\n"+odd+"last_reviewed: 2020-01-01\n---\nOdd.\n"))
	writeFile(t, dir, "runbooks/odd/never.md", []byte("---\n"+odd+"---\nNever reviewed.\n"))
	writeFile(t, dir, "content/evaluations/odd.md", []byte("---\n"+odd+"ring: \"a&<b>\"\nquadrant: \"Tools & <x>\"\ndate: 2026-01-03\n---\nOdd.\n"))
	writeFile(t, dir, "content/evaluations/no-ring.md", []byte("---\n"+odd+"date: 2026-01-03\n---\nNo ring.\n"))
	writeFile(t, dir, "content/posts/odd.md", []byte("---\n"+odd+"date: 2026-01-04\n---\nAn excerpt with & and <b>bold</b> and \"quotes\" + more.\n"))
	shown := map[string]bool{}
	for _, base := range []string{"", "https://example.com/a+b&c/", "https://example.com/my%20docs/"} {
		cfg := site.DefaultConfig(dir)
		cfg.Now = now
		cfg.BaseURL = base
		s, err := site.Load(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		lists := map[string][]*site.Page{"table-mixed": s.Published(), "table-page": s.Published()}
		for _, k := range []string{"adr", "postmortem", "runbook", "evaluation", "post"} {
			lists["table-"+k] = s.OfKind(page.Kind(k))
		}
		for name, ps := range lists {
			if len(ps) < 3 {
				t.Fatalf("%s: %d pages", name, len(ps))
			}
			for _, sub := range [][]*site.Page{ps, ps[:1], nil} {
				var a strings.Builder
				if err := want.ExecuteTemplate(&a, name, sub); err != nil {
					t.Fatal(err)
				}
				if b := string(got[name](sub)); a.String() != b {
					t.Fatalf("%s under %q:\n got %q\nwant %q", name, base, firstDiff(b, a.String()), firstDiff(a.String(), b))
				}
				for _, part := range []string{"superseded by", "badge-overdue", "badge-unknown", "badge-ok", "ring-none", "&lt;", "&#43;", "&amp;", "&#39;", "&#34;", " h ", " min"} {
					if strings.Contains(a.String(), part) {
						shown[name+" "+part] = true
					}
				}
			}
		}
	}
	for _, part := range []string{"table-adr superseded by", "table-runbook badge-overdue", "table-runbook badge-unknown", "table-runbook badge-ok", "table-evaluation ring-none", "table-postmortem &lt;", "table-postmortem  h ", "table-mixed &#43;", "table-post &amp;"} {
		if !shown[part] {
			t.Errorf("no list showed %s: the comparison does not cover it", part)
		}
	}
}

// firstDiff returns a from a little before where it first differs from b.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return a[max(0, i-80):min(len(a), i+80)]
}

// TestFirstN: the first n pages in an order with ties are those a stable
// sort puts first, in its order, for any n.
func TestFirstN(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 200 {
		ps := make([]*site.Page, rng.IntN(40))
		for i := range ps {
			ps[i] = &site.Page{Page: &page.Page{Weight: rng.IntN(6)}, URL: fmt.Sprintf("/p%d/", i)}
		}
		byWeight := func(a, b *site.Page) int { return b.Weight - a.Weight }
		want := slices.Clone(ps)
		slices.SortStableFunc(want, byWeight)
		for _, n := range []int{0, 1, 5, len(ps), len(ps) + 3} {
			got := firstN(ps, n, byWeight)
			if w := want[:min(n, len(want))]; !slices.Equal(got, w) && !(len(got) == 0 && len(w) == 0) {
				t.Fatalf("round %d, n %d: got %v, want %v", round, n, urls(got), urls(w))
			}
		}
	}
}

func urls(ps []*site.Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.URL)
	}
	return out
}

// The links the lists write without strings of their own are PageLink's,
// ADR label included, as ADRLabel formats it.
func TestWritePageLinkIsPageLink(t *testing.T) {
	for _, c := range []struct {
		adr          *page.ADR
		title, label string
	}{
		{nil, `Disk <full> & "slow"`, ""},
		{&page.ADR{}, "No number", ""},
		{&page.ADR{HasNumber: true}, "Record decisions", "ADR-0000"},
		{&page.ADR{HasNumber: true, Number: 7}, "Use goldmark", "ADR-0007"},
		{&page.ADR{HasNumber: true, Number: 45}, "Two digits", "ADR-0045"},
		{&page.ADR{HasNumber: true, Number: 1234}, "Four digits", "ADR-1234"},
		{&page.ADR{HasNumber: true, Number: 10007}, "Five digits", "ADR-10007"},
		{&page.ADR{HasNumber: true, Number: -3}, "Negative", "ADR--003"},
	} {
		p := &site.Page{Page: &page.Page{Title: c.title, ADR: c.adr}, Href: "/adr/a&b/"}
		if l := p.ADRLabel(); l != c.label {
			t.Errorf("ADRLabel = %q, want %q", l, c.label)
		}
		want := `<a href="/adr/a&amp;b/">`
		if c.label != "" {
			want += c.label + ": "
		}
		want += template.HTMLEscapeString(c.title) + "</a>"
		if got := string(PageLink(p)); got != want {
			t.Errorf("PageLink = %s, want %s", got, want)
		}
		var b strings.Builder
		kindItems(&b, []*site.Page{p})
		if !strings.Contains(b.String(), want) {
			t.Errorf("kindItems = %s, want it to hold %s", b.String(), want)
		}
	}
}
