package render

import (
	"context"
	"fmt"
	"html/template"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
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
	if filepath.Base(dir) == "" {
		t.Fatal(dir)
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
	if s := fmt.Sprint(htmlText.Replace("a\x00\"&'+<>b")); s != "a\uFFFD&#34;&amp;&#39;&#43;&lt;&gt;b" {
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
