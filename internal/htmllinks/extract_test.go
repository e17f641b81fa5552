package htmllinks

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func links(d *Doc) []string {
	var out []string
	for _, l := range d.Links {
		out = append(out, fmt.Sprintf("%d:%d %s %s %s", l.Line, l.Col, l.Tag, l.Attr, l.URL))
	}
	return out
}

func TestExtractLinks(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"double quoted", `<a href="x.html">x</a>`,
			[]string{"1:10 a href x.html"}},
		{"single quoted and unquoted", `<a href='x.html'>x</a> <a href=y.html>`,
			[]string{"1:10 a href x.html", "1:32 a href y.html"}},
		{"multi-line tag", "<p>\n<a\n  class=\"c\"\n  href =\n    \"/b/\"\n>",
			[]string{"5:6 a href /b/"}},
		{"CRLF line ends", "<p>\r\n<a href=x>",
			[]string{"2:9 a href x"}},
		{"spaces around the URL are cut, the column is the URL's", "<img src=\"\n    x.png \">",
			[]string{"2:5 img src x.png"}},
		{"tabs and newlines inside are dropped", "<a href=\"a\n.html\">",
			[]string{"1:10 a href a.html"}},
		{"entities are decoded", `<a href="a.html?x=1&amp;y=2&#35;frag">`,
			[]string{"1:10 a href a.html?x=1&y=2#frag"}},
		{"an entity name followed by = stays as written in attributes", `<a href="?a=1&copy=2&not">`,
			[]string{"1:10 a href ?a=1&copy=2¬"}},
		{"a known entity prefix is not decoded in attributes", `<a href="?x&notit;">`,
			[]string{"1:10 a href ?x&notit;"}},
		{"srcset candidates, descriptors skipped", `<img srcset="a.jpg 1x, b.jpg 2x,c.jpg">`,
			[]string{"1:14 img srcset a.jpg", "1:24 img srcset b.jpg", "1:33 img srcset c.jpg"}},
		{"srcset positions count raw bytes after an entity", `<img srcset="a.jpg?w=1&amp;h=2 1x, b.jpg 2x">`,
			[]string{"1:14 img srcset a.jpg?w=1&h=2", "1:36 img srcset b.jpg"}},
		{"srcset over lines, with a data URL holding a comma", "<source srcset=\"\n  data:image/png;base64,AAA= 1x,\n  big.png 2x\">",
			[]string{"2:3 source srcset data:image/png;base64,AAA=", "3:3 source srcset big.png"}},
		{"srcset trailing commas end a URL", `<img srcset="a.jpg,, b.jpg">`,
			[]string{"1:14 img srcset a.jpg", "1:22 img srcset b.jpg"}},
		{"srcset descriptors in parentheses keep their commas", `<img srcset="a.jpg (x, y), b.jpg">`,
			[]string{"1:14 img srcset a.jpg", "1:28 img srcset b.jpg"}},
		{"src and srcset together", `<img src="s.png" srcset="t.png 2x">`,
			[]string{"1:11 img src s.png", "1:26 img srcset t.png"}},
		{"the first of two equal attributes wins", `<a href="first" HREF="second">`,
			[]string{"1:10 a href first"}},
		{"a link with no href is not a link", `<a name="n">x</a><a href="">`,
			[]string{"1:27 a href "}},
		{"preconnect and dns-prefetch are skipped", `<link rel="preconnect" href="https://a"><link rel="DNS-Prefetch" href="//b"><link rel="stylesheet" href="s.css">`,
			[]string{"1:106 link href s.css"}},
		{"script and style text is not markup", `<script>document.write('<a href="no">')</script><style>a{}</style><script src="s.js"></script>`,
			[]string{"1:80 script src s.js"}},
		{"noscript content is markup", `<noscript><img src="pixel.gif"></noscript><a href="x">`,
			[]string{"1:21 img src pixel.gif", "1:52 a href x"}},
		{"comments are not markup", `<!-- <a href="no"> --><a href="yes">`,
			[]string{"1:32 a href yes"}},
		{"media and frames", `<iframe src="f.html"></iframe><video src="v.mp4" poster="p.jpg"><track src="t.vtt"></video><audio src="a.ogg"></audio><embed src="e.swf"><object data="o.pdf"></object>`,
			[]string{"1:14 iframe src f.html", "1:43 video src v.mp4", "1:58 video poster p.jpg", "1:77 track src t.vtt", "1:104 audio src a.ogg", "1:131 embed src e.swf", "1:152 object data o.pdf"}},
		{"svg sprites", `<svg><use xlink:href="icons.svg#x"/><use href="#y"/></svg>`,
			[]string{"1:23 use xlink:href icons.svg#x", "1:48 use href #y"}},
		{"area", `<map><area href="a.html"></map>`,
			[]string{"1:18 area href a.html"}},
		{"forms are not checked", `<form action="/search"></form>`, nil},
		{"meta refresh", `<meta http-equiv="Refresh" content="0; URL='/new/'">`,
			[]string{"1:45 meta content /new/"}},
		{"meta refresh without a URL", `<meta http-equiv="refresh" content="30">`, nil},
		{"unterminated tag at the end", `<a href="x.html">ok</a><a href="y`, []string{"1:10 a href x.html"}},
		{"NUL in a value", "<a title=\"\x00\" href=\"x\x00\">",
			[]string{"1:20 a href x\ufffd"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := links(Extract([]byte(tt.src)))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestExtractIgnore(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"the element", `<a data-proofer-ignore href="a"></a><a href="b">`,
			[]string{"b"}},
		{"any value", `<a data-proofer-ignore="false" href="a"></a>`, nil},
		{"children", `<div data-proofer-ignore><p><a href="a"></a></p><img src="i"></div><a href="b">`,
			[]string{"b"}},
		{"nested elements of the same name", `<div data-proofer-ignore><div></div><a href="a"></div><a href="b">`,
			[]string{"b"}},
		{"a void element ignores only itself", `<img data-proofer-ignore src="a"><img src="b">`,
			[]string{"b"}},
		{"a <p> ends where the parser ends it", `<p data-proofer-ignore><a href="a"></a><div><a href="b"></a></div>`,
			[]string{"b"}},
		{"an <li> ends at the next one", `<ul><li data-proofer-ignore><a href="a"></a><li><a href="b"></a></ul>`,
			[]string{"b"}},
		{"a list ends its unclosed items", `<ul data-proofer-ignore><li><a href="a"></ul><a href="b">`,
			[]string{"b"}},
		{"a table cell ends at the next", `<table><tr><td data-proofer-ignore><a href="a"><td><a href="b"></table>`,
			[]string{"b"}},
		{"an <a> ends at the next <a>", `<a data-proofer-ignore href="a">x<a href="b">`,
			[]string{"b"}},
		{"self-closing svg children", `<svg data-proofer-ignore><use href="#a"/><use href="#b"/></svg><a href="c">`,
			[]string{"c"}},
		{"self-closing syntax does not close an HTML element", `<div data-proofer-ignore/><a href="a"></div><a href="b">`,
			[]string{"b"}},
		{"never closed", `<section data-proofer-ignore><a href="a">`, nil},
		{"ignored base still counts", `<base data-proofer-ignore href="/x/"><a href="b">`,
			[]string{"b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range Extract([]byte(tt.src)).Links {
				got = append(got, l.URL)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExtractIDsAndBase(t *testing.T) {
	d := Extract([]byte(`<html><head>
<base target="_blank"><base href=" /docs/ "><base href="/ignored/">
</head><body id="top-of-page">
<h2 id="café">x</h2><a name="old-anchor"></a><input name="q"><div id="">
<p id="|&gt;/2" data-proofer-ignore><span id=inside></span></p>
<svg><symbol id="icon"/></svg>`))
	var ids []string
	for id := range d.IDs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	want := []string{"café", "icon", "inside", "old-anchor", "top-of-page", "|>/2"}
	if !slices.Equal(ids, want) {
		t.Errorf("IDs = %q, want %q", ids, want)
	}
	if d.Base != "/docs/" {
		t.Errorf("Base = %q, want %q", d.Base, "/docs/")
	}
	if d := Extract(nil); d.IDs == nil || len(d.Links) != 0 || d.Base != "" {
		t.Errorf("Extract(nil) = %+v", d)
	}
}

// FuzzExtract checks that Extract never panics, that every position it
// reports is in the source, on the URL's first byte or on the character
// reference that produced it, and that Check takes what it returns.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`<a href="x.html#y">`,
		"<img\n srcset=\"a.jpg 1x,\n b.jpg 2x\" src=b>",
		`<a href="a&amp;b" href=c><base href=/d/><p data-proofer-ignore><li><a href=e>`,
		`<meta http-equiv=refresh content="0;url=x">`,
		"<a href=\"\x00\r\n\">",
		`<a =x href=y / z=w><a/href=q>`,
	} {
		f.Add([]byte(s))
	}
	// Seed with real pages when the shared corpus is beside the project;
	// small ones, as the fuzzer minimizes large inputs slowly.
	filepath.WalkDir(proofer, func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(name, ".html") {
			if src, err := os.ReadFile(name); err == nil && len(src) < 4096 {
				f.Add(src)
			}
		}
		return nil
	})
	f.Fuzz(func(t *testing.T, src []byte) {
		d := Extract(src)
		if d.IDs == nil {
			t.Fatal("IDs is nil")
		}
		starts := lineStarts(src)
		for _, l := range d.Links {
			if l.Line < 1 || l.Line > len(starts) || l.Col < 1 {
				t.Fatalf("%+v: position out of range", l)
			}
			off := starts[l.Line-1] + l.Col - 1
			end := len(src)
			if l.Line < len(starts) {
				end = starts[l.Line]
			}
			if off > end {
				t.Fatalf("%+v: column past the end of the line", l)
			}
			if l.URL == "" || off == len(src) {
				continue
			}
			if c := src[off]; c != l.URL[0] && c != '&' && c != 0 && c != '\r' {
				t.Fatalf("%+v: source has %q there", l, src[off:min(off+20, len(src))])
			}
		}
		// Checking whatever came out must not panic either.
		none := func(string) (map[string]bool, bool) { return nil, false }
		Check("/a/b.html", d, none, Options{AssumeHTML: true, SiteURL: "https://example.org/s/"})
	})
}
