package htmllinks

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// memSite is a site held in memory: HTML pages by path, and other files.
func memSite(pages map[string]string, files ...string) Resolver {
	docs := map[string]*Doc{}
	for p, src := range pages {
		docs[p] = Extract([]byte(src))
	}
	return func(p string) (map[string]bool, bool) {
		if d, ok := docs[p]; ok {
			return d.IDs, true
		}
		return nil, slices.Contains(files, p)
	}
}

func TestCheck(t *testing.T) {
	site := memSite(map[string]string{
		"/index.html":       `<h1 id="home">`,
		"/guide/a.html":     `<h2 id="setup">`,
		"/guide/index.html": `<h2 id="intro"><a name="legacy"></a>`,
		"/ext.html":         `<p id="café"><p id="a b"><p id="|>">`,
		"/docs/x.html":      ``,
	}, "/img/logo.png", "/files/spec.pdf", "/noext")

	tests := []struct {
		name string
		page string
		src  string
		opts Options
		want []string // "rule URL", or "external Target"
	}{
		{"same page fragments", "/guide/a.html",
			`<h2 id="setup"><a href="#setup"><a href="#nope"><a href="#"><a href="#top"><a href="#TOP"><a href="?q=1#setup">`,
			Options{}, []string{"broken-anchor #nope"}},
		{"other pages and their fragments", "/guide/a.html",
			`<a href="index.html#intro"><a href="./#legacy"><a href="../#home"><a href="/#home"><a href="../index.html#gone">`,
			Options{}, []string{"broken-anchor ../index.html#gone"}},
		{"folders need index.html", "/index.html",
			`<a href="guide/"><a href="guide"><a href="docs/"><a href="docs">`,
			Options{}, []string{"broken-link docs/", "broken-link docs"}},
		{"AssumeHTML", "/index.html",
			`<a href="guide/a"><a href="guide/a#setup"><a href="guide/b">`,
			Options{AssumeHTML: true}, []string{"broken-link guide/b"}},
		{"without AssumeHTML", "/index.html",
			`<a href="guide/a"><a href="noext">`,
			Options{}, []string{"broken-link guide/a"}},
		{"percent-encoding, queries", "/index.html",
			`<a href="ext.html#caf%C3%A9"><a href="ext.html#café"><a href="ext.html#a%20b"><a href="ext.html#%7C%3E"><a href="gu%69de/a.html?x=%zz">`,
			Options{}, nil},
		{"invalid percent-encoding in a path", "/index.html",
			`<a href="100%.html">`,
			Options{}, []string{"broken-link 100%.html"}},
		{"fragments of files that are not HTML are not checked", "/index.html",
			`<a href="files/spec.pdf#page=2"><img src="img/logo.png"><img src="img/missing.png">`,
			Options{}, []string{"broken-link img/missing.png"}},
		{"dot segments stop at the root", "/guide/a.html",
			`<a href="../../../index.html"><a href="./../guide/./a.html">`,
			Options{}, nil},
		{"backslashes are slashes", "/guide/a.html",
			`<a href="..\index.html">`,
			Options{}, nil},
		{"a relative base", "/guide/a.html",
			`<base href="/docs/x.html"><a href="x.html"><a href="../index.html"><a href="#frag"><a href="./">`,
			Options{}, []string{"broken-anchor #frag", "broken-link ./"}},
		{"an absolute base makes relative links external", "/index.html",
			`<base href="https://example.org/dir/"><a href="x.html#f"><a href="/y">`,
			Options{}, []string{"external https://example.org/dir/x.html#f", "external https://example.org/y"}},
		{"external links", "/index.html",
			`<a href="https://example.org/a"><a href="HTTP://example.org"><script src="//cdn.example.org/s.js"></script><a href="https:\\example.org\b">`,
			Options{}, []string{"external https://example.org/a", "external HTTP://example.org", "external https://cdn.example.org/s.js", "external https://example.org/b"}},
		{"invalid external URLs", "/index.html",
			`<a href="https://exa mple.org/"><a href="http://x:port/"><a href="https://">`,
			Options{}, []string{"broken-link https://exa mple.org/", "broken-link http://x:port/", "broken-link https://"}},
		{"SiteURL makes the site's absolute links internal", "/guide/a.html",
			`<a href="https://example.org/handbook/guide/#intro"><a href="http://EXAMPLE.org/handbook/gone.html"><a href="/handbook/#home"><a href="/handbook"><a href="/other/"><a href="https://example.org/">`,
			Options{SiteURL: "https://example.org/handbook/"},
			[]string{"broken-link http://EXAMPLE.org/handbook/gone.html", "external https://example.org/other/", "external https://example.org/"}},
		{"SiteURL and protocol-relative links", "/index.html",
			`<a href="//example.org/handbook/index.html"><a href="//cdn.example.org/x">`,
			Options{SiteURL: "http://example.org/handbook"}, []string{"external http://cdn.example.org/x"}},
		{"mailto and tel", "/index.html",
			`<a href="mailto:a@example.org"><a href="mailto:a@example.org,b@example.org?subject=x"><a href="mailto:"><a href="mailto:?subject=x"><a href="mailto:nobody"><a href="MAILTO:a%40example.org"><a href="tel:+1-555-0100"><a href="tel:">`,
			Options{}, []string{"broken-link mailto:", "broken-link mailto:?subject=x", "broken-link mailto:nobody", "broken-link tel:"}},
		{"schemes not checked", "/index.html",
			`<a href="javascript:void(0)"><img src="data:image/png;base64,AA=="><a href="ftp://x"><a href="irc://y"><iframe src="about:blank"></iframe>`,
			Options{}, nil},
		{"empty URLs", "/index.html",
			`<a href=""><img src=" "><a>placeholder</a>`,
			Options{}, []string{"broken-link ", "broken-link "}},
		{"colon in a relative path", "/index.html",
			`<a href="1:17.html">`,
			Options{}, []string{"broken-link 1:17.html"}},
		{"an invisible character breaks a link", "/index.html",
			"<a href=\"\u200bhttps://example.org\">",
			Options{}, []string{"broken-link \u200bhttps://example.org"}},
		{"a page at a folder URL", "/guide/",
			`<h1 id="intro"><a href="#intro"><a href="a.html#setup"><a href="index.html#intro"><a href="#nope">`,
			Options{}, []string{"broken-anchor #nope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := Check(tt.page, Extract([]byte(tt.src)), site, tt.opts)
			var got []string
			for _, f := range res.Findings {
				got = append(got, f.Rule+" "+f.URL)
				if f.File != tt.page || f.Line != 1 || f.Col < 1 || f.Message == "" {
					t.Errorf("finding %+v", f)
				}
			}
			for _, x := range res.External {
				got = append(got, "external "+x.Target)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
				for _, f := range res.Findings {
					t.Log(f)
				}
			}
		})
	}
}

// TestCheckNoResolver checks a page on its own: only its own fragments
// resolve.
func TestCheckNoResolver(t *testing.T) {
	res := Check("p.html", Extract([]byte(`<a id="x" href="#x"></a><a href="#y"></a><a href="p.html#x"></a><a href="q.html"></a>`)), nil, Options{})
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.String())
	}
	want := []string{
		`/p.html:1:34: broken-anchor: "#y": this page has no element with id "y"`,
		`/p.html:1:74: broken-link: "q.html": /q.html does not exist`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestCheckDir runs CheckDir on the sites in testdata/checkdir/*.txtar.
// An archive's comment may set options ("assume-html", "site-url URL");
// its files under site/ are the site, and its file "want" lists the
// findings and external links, one a line. Run with -update to rewrite
// "want".
func TestCheckDir(t *testing.T) {
	files, err := filepath.Glob("testdata/checkdir/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatal("no testdata/checkdir/*.txtar", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			a, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var opts Options
			for _, line := range strings.Split(string(a.Comment), "\n") {
				f := strings.Fields(line)
				switch {
				case len(f) == 1 && f[0] == "assume-html":
					opts.AssumeHTML = true
				case len(f) == 2 && f[0] == "site-url":
					opts.SiteURL = f[1]
				}
			}
			dir := t.TempDir()
			wantAt := -1
			for i, f := range a.Files {
				if f.Name == "want" {
					wantAt = i
					continue
				}
				name, ok := strings.CutPrefix(f.Name, "site/")
				if !ok {
					t.Fatalf("%s: files go under site/", f.Name)
				}
				if err := writeFile(filepath.Join(dir, filepath.FromSlash(name)), f.Data); err != nil {
					t.Fatal(err)
				}
			}
			res, err := CheckDir(dir, opts)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			for _, f := range res.Findings {
				f.File = relSlash(t, dir, f.File)
				fmt.Fprintln(&b, f)
			}
			for _, x := range res.External {
				fmt.Fprintf(&b, "%s:%d:%d: external: %s\n", relSlash(t, dir, x.File), x.Line, x.Col, x.Target)
			}
			got := b.String()
			if *update {
				if wantAt < 0 {
					a.Files = append(a.Files, txtar.File{Name: "want"})
					wantAt = len(a.Files) - 1
				}
				a.Files[wantAt].Data = []byte(got)
				if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if wantAt < 0 {
				t.Fatal("no want file; run with -update")
			}
			if d := golden.Diff(string(a.Files[wantAt].Data), got); d != "" {
				t.Errorf("findings differ (-want +got):\n%s", d)
			}
		})
	}
}

func relSlash(t *testing.T, dir, file string) string {
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

func TestCheckDirNotAFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "page.html")
	if err := writeFile(file, nil); err != nil {
		t.Fatal(err)
	}
	for _, root := range []string{filepath.Join(dir, "nope"), file} {
		if _, err := CheckDir(root, Options{}); err == nil {
			t.Errorf("CheckDir(%s): no error", root)
		}
	}
}
