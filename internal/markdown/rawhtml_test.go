package markdown

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestRawHTML renders raw HTML through the allowlist (or as written when
// unsafe) and checks the HTML, the links and their positions, the ids and
// the URLs removed.
func TestRawHTML(t *testing.T) {
	for _, tc := range []struct {
		name    string
		unsafe  bool
		in      string
		html    string   // the whole HTML
		links   []string // "line:col kind dest"
		ids     []string
		unsafe_ []string // "line:col kind url"
	}{{
		name: "details with Markdown inside",
		in:   "<details>\n<summary>More</summary>\n\nSome *Markdown*.\n\n</details>\n",
		html: "<details>\n<summary>More</summary>\n<p>Some <em>Markdown</em>.</p>\n</details>\n",
	}, {
		name: "br in a table cell",
		in:   "| a |\n| - |\n| one<br>two |\n",
		html: "<div class=\"table-wrap\">\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>one<br>two</td>\n</tr>\n</tbody>\n</table>\n</div>\n",
	}, {
		name: "a name",
		in:   "<a name=\"x\"></a>\n",
		html: "<p><a name=\"x\"></a></p>\n",
		ids:  []string{"x"},
	}, {
		name: "b id, kbd, sup",
		in:   "Press <kbd>Ctrl</kbd>, <b id=\"y\">bold</b> x<sup>2</sup>.\n",
		html: "<p>Press <kbd>Ctrl</kbd>, <b id=\"y\">bold</b> x<sup>2</sup>.</p>\n",
		ids:  []string{"y"},
	}, {
		name:  "img with width",
		in:    "<img src=\"pic.png\" width=\"50\">\n",
		html:  "<img src=\"pic.png\" width=\"50\">\n",
		links: []string{"1:11 1 pic.png"},
	}, {
		name:  "a href is a link at its value",
		in:    "Intro.\n\nSee <a href=\"other.md#part\" class=\"x\">other</a>.\n",
		html:  "<p>Intro.</p>\n<p>See <a href=\"other.md#part\">other</a>.</p>\n",
		links: []string{"3:14 0 other.md#part"},
	}, {
		name: "script block",
		in:   "<script>alert(1)</script>\n\nafter\n",
		html: "\n<p>after</p>\n",
	}, {
		name: "script inline, content dropped",
		in:   "a <script>alert(*1*)</script> b\n",
		html: "<p>a  b</p>\n",
	}, {
		name:  "img onerror",
		in:    "<img src=x onerror=alert(1)>\n",
		html:  "<img src=\"x\">\n",
		links: []string{"1:10 1 x"},
	}, {
		name:    "javascript href",
		in:      "<a href=\"javascript:alert(1)\">x</a>\n",
		html:    "<p><a>x</a></p>\n",
		unsafe_: []string{"1:10 0 javascript:alert(1)"},
	}, {
		name:    "mixed-case scheme",
		in:      "<a href=\"JaVaScRiPt:alert(1)\">x</a>\n",
		html:    "<p><a>x</a></p>\n",
		unsafe_: []string{"1:10 0 JaVaScRiPt:alert(1)"},
	}, {
		name:    "entity-obfuscated scheme",
		in:      "<a href=\"&#106;avascript&#x3A;alert(1)\">x</a> <a href=\"java&#9;script:alert(1)\">y</a>\n",
		html:    "<p><a>x</a> <a>y</a></p>\n",
		unsafe_: []string{"1:10 0 javascript:alert(1)", "1:56 0 java\tscript:alert(1)"},
	}, {
		name:    "vbscript and data",
		in:      "<a href=\"vbscript:x\">v</a><img src=\"data:image/png;base64,AAAA\">\n",
		html:    "<p><a>v</a><img></p>\n",
		unsafe_: []string{"1:10 0 vbscript:x", "1:37 1 data:image/png;base64,AAAA"},
	}, {
		name:    "mailto is for links, not images",
		in:      "<a href=\"mailto:a@example.com\">m</a><img src=\"mailto:a@example.com\">\n",
		html:    "<p><a href=\"mailto:a@example.com\">m</a><img></p>\n",
		links:   []string{"1:10 0 mailto:a@example.com"},
		unsafe_: []string{"1:47 1 mailto:a@example.com"},
	}, {
		name: "div style",
		in:   "<div style=\"background: url(javascript:x)\" class=\"c\" align=\"center\">x</div>\n",
		html: "<div align=\"center\">x</div>\n",
	}, {
		name: "cite is a URL",
		in:   "<blockquote cite=\"https://example.com/\">a</blockquote>\n<blockquote cite=\"javascript:x\">b</blockquote>\n",
		html: "<blockquote cite=\"https://example.com/\">a</blockquote>\n<blockquote>b</blockquote>\n",
	}, {
		name: "iframe, object, form, embed",
		in:   "<iframe src=\"https://example.com/\">inner</iframe>\n<form action=\"/x\"><input name=\"q\"></form><object data=\"x\"><param name=\"p\"></object><embed src=\"x.swf\">\n",
		html: "\n\n",
	}, {
		name: "svg onload",
		in:   "<svg onload=\"alert(1)\"><text>hi</text></svg>\n",
		html: "<p></p>\n",
	}, {
		name: "style element",
		in:   "<style>body { display: none }</style>\n",
		html: "\n",
	}, {
		name: "comments show nothing and hold no ids",
		in:   "<!-- <a id=\"c\"></a> -->\n\nText <!-- <b id=\"d\"> --> on.\n",
		html: "<p>Text  on.</p>\n",
	}, {
		name:  "in a blockquote",
		in:    "> Quote.\n>\n> <div>\n>   <a href=\"q.md\">q</a>\n> </div>\n",
		html:  "<blockquote>\n<p>Quote.</p>\n<div>\n  <a href=\"q.md\">q</a>\n</div>\n</blockquote>\n",
		links: []string{"4:14 0 q.md"},
	}, {
		name:  "in a list item",
		in:    "- one\n- <p>\n    <img\n      src=\"li.png\">\n  </p>\n",
		html:  "<ul>\n<li>one</li>\n<li>\n<p>\n  <img src=\"li.png\">\n</p>\n</li>\n</ul>\n",
		links: []string{"4:12 1 li.png"},
	}, {
		name:    "picture with srcset",
		in:      "<picture>\n<source media=\"(prefers-color-scheme: dark)\" srcset=\"dark.png 1x, dark@2x.png 2x, javascript:x 3x\">\n<img src=\"light.png\">\n</picture>\n",
		html:    "<picture>\n<source media=\"(prefers-color-scheme: dark)\" srcset=\"dark.png 1x, dark@2x.png 2x\">\n<img src=\"light.png\">\n</picture>\n",
		links:   []string{"2:54 1 dark.png", "2:67 1 dark@2x.png", "3:11 1 light.png"},
		unsafe_: []string{"2:83 1 javascript:x"},
	}, {
		name:    "Markdown link and image with unsafe URLs",
		in:      "[x](javascript:alert(1)) ![i](data:text/html,x) [t](tel:1) [ok](https://example.com) [rel](a.md) [f](file:///etc/passwd)\n",
		html:    "<p>x <img alt=\"i\" /> <a href=\"tel:1\">t</a> <a href=\"https://example.com\">ok</a> <a href=\"a.md\">rel</a> f</p>\n",
		links:   []string{"1:49 0 tel:1", "1:60 0 https://example.com", "1:86 0 a.md"},
		unsafe_: []string{"1:1 0 javascript:alert(1)", "1:26 1 data:text/html,x", "1:98 0 file:///etc/passwd"},
	}, {
		name:    "Markdown link with an entity-obfuscated scheme",
		in:      "[x](&#106;avascript:alert(1)) [y](javascript&#58;alert(1))\n",
		html:    "<p>x y</p>\n",
		unsafe_: []string{"1:1 0 &#106;avascript:alert(1)", "1:31 0 javascript&#58;alert(1)"},
	}, {
		name:   "unsafe passes everything",
		unsafe: true,
		in:     "<script>alert(1)</script>\n<img src=x onerror=alert(1)> <a href=\"javascript:alert(1)\" id=j>x</a>\n\n[m](javascript:alert(2))\n",
		html:   "<script>alert(1)</script>\n<p><img src=\"x\" onerror=alert(1)> <a href=\"javascript:alert(1)\" id=j>x</a></p>\n<p><a href=\"javascript:alert(2)\">m</a></p>\n",
		links:  []string{"2:10 1 x", "2:39 0 javascript:alert(1)", "4:1 0 javascript:alert(2)"},
		ids:    []string{"j"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			e := New(Options{Unsafe: tc.unsafe})
			d := e.Parse([]byte(tc.in), 1, ParseOptions{})
			html, err := e.HTML(d)
			if err != nil {
				t.Fatal(err)
			}
			if string(html) != tc.html {
				t.Errorf("html\n got %q\nwant %q", html, tc.html)
			}
			var links []string
			for _, l := range d.Links {
				links = append(links, fmt.Sprintf("%d:%d %d %s", l.Line, l.Col, l.Kind, l.Dest))
			}
			if !slices.Equal(links, tc.links) {
				t.Errorf("links\n got %q\nwant %q", links, tc.links)
			}
			var ids []string
			for id := range d.IDs {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tc.ids) {
				t.Errorf("ids %q, want %q", ids, tc.ids)
			}
			var removed []string
			for _, u := range d.Unsafe {
				removed = append(removed, fmt.Sprintf("%d:%d %d %s", u.Line, u.Col, u.Kind, u.URL))
			}
			if !slices.Equal(removed, tc.unsafe_) {
				t.Errorf("unsafe\n got %q\nwant %q", removed, tc.unsafe_)
			}
			// Without HTML, the document holds the same links, ids and
			// removed URLs.
			n := e.Parse([]byte(tc.in), 1, ParseOptions{NoHTML: true})
			if len(n.Links) != len(d.Links) || len(n.IDs) != len(d.IDs) || len(n.Unsafe) != len(d.Unsafe) {
				t.Errorf("NoHTML: %d links, %d ids, %d unsafe; want %d, %d, %d", len(n.Links), len(n.IDs), len(n.Unsafe), len(d.Links), len(d.IDs), len(d.Unsafe))
			}
		})
	}
}

// TestRawHTMLResolve: raw HTML links are resolved like Markdown links:
// SetDest rewrites them, Unlink drops an a's href (the tag stays).
func TestRawHTMLResolve(t *testing.T) {
	for _, unsafe := range []bool{false, true} {
		e := New(Options{Unsafe: unsafe})
		d := e.Parse([]byte("<a href=\"other.md#x\">o</a> <a href=\"gone.md\">g</a> <img src=\"pic.png\" alt=\"p\">\n"), 1, ParseOptions{})
		if len(d.Links) != 3 {
			t.Fatalf("unsafe=%v: %d links, want 3", unsafe, len(d.Links))
		}
		d.Links[0].SetDest("/other/#x")
		d.Links[1].Unlink()
		d.Links[2].SetDest("/docs/pic.png")
		html, err := e.HTML(d)
		if err != nil {
			t.Fatal(err)
		}
		want := "<p><a href=\"/other/#x\">o</a> <a>g</a> <img src=\"/docs/pic.png\" alt=\"p\"></p>\n"
		if unsafe {
			want = "<p><a href=\"/other/#x\">o</a> <a >g</a> <img src=\"/docs/pic.png\" alt=\"p\"></p>\n"
		}
		if string(html) != want {
			t.Errorf("unsafe=%v:\n got %q\nwant %q", unsafe, html, want)
		}
		d.ResetLinks()
		html, _ = e.HTML(d)
		if !strings.Contains(string(html), `<a href="gone.md">g</a>`) {
			t.Errorf("unsafe=%v: after ResetLinks the href is not back: %s", unsafe, html)
		}
	}
}

func TestSrcset(t *testing.T) {
	for in, want := range map[string]string{
		"a.png":                        "a.png|",
		"a.png 1x, b.png 2x":           "a.png|1x b.png|2x",
		" a.png,b.png ":                "a.png,b.png|",
		"a.png, b.png":                 "a.png| b.png|",
		"a.png 100w, b.png (x, y) 2x,": "a.png|100w b.png|(x, y) 2x",
		"":                             "",
	} {
		var got []string
		for _, c := range srcset(in) {
			got = append(got, c.url+"|"+c.descriptor)
			if in[c.off:c.off+len(c.url)] != c.url {
				t.Errorf("srcset(%q): %q not at %d", in, c.url, c.off)
			}
		}
		if strings.Join(got, " ") != want {
			t.Errorf("srcset(%q) = %q, want %q", in, strings.Join(got, " "), want)
		}
	}
}

// unsafeHTML returns what in h could run script: a script-like element,
// an event handler attribute, a javascript: or vbscript: URL.
func unsafeHTML(h []byte) error {
	z := html.NewTokenizer(bytes.NewReader(h))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return nil
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			switch string(name) {
			case "script", "style", "iframe", "object", "embed", "svg", "math", "form", "frame", "base", "link", "meta":
				return fmt.Errorf("element %s", name)
			}
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				if bytes.HasPrefix(k, []byte("on")) {
					return fmt.Errorf("attribute %s on %s", k, name)
				}
				u := strings.ToLower(strings.Map(func(r rune) rune {
					if r <= ' ' {
						return -1 // browsers drop these from URLs
					}
					return r
				}, string(v)))
				if strings.HasPrefix(u, "javascript:") || strings.HasPrefix(u, "vbscript:") {
					return fmt.Errorf("URL %s in %s", v, k)
				}
			}
		}
	}
}

func TestUnsafeHTMLCheck(t *testing.T) {
	for _, h := range []string{"<script>", "<img src=x onerror=y>", `<a href=" java&#9;script:x">`} {
		if unsafeHTML([]byte(h)) == nil {
			t.Errorf("unsafeHTML(%q) = nil", h)
		}
	}
	e := New(Options{})
	d := e.Parse([]byte("<script>x</script>\n<a href=\"javascript:x\" onclick=\"y\">a</a> <img src=\" java&#9;script:x\">\n\n[a](javascript:x)\n"), 1, ParseOptions{})
	out, _ := e.HTML(d)
	if err := unsafeHTML(out); err != nil {
		t.Errorf("%v in %s", err, out)
	}
}

// BenchmarkParseRawHTML parses a page that uses raw HTML as READMEs do.
func BenchmarkParseRawHTML(b *testing.B) {
	src := []byte(strings.Repeat("<details>\n<summary>More</summary>\n\nSome *Markdown* with <kbd>Ctrl</kbd> and x<sup>2</sup>.\n\n</details>\n\n"+
		"| a | b |\n| - | - |\n| one<br>two | <a href=\"other.md#x\">other</a> |\n\n<p align=\"center\"><img src=\"pic.png\" width=\"50\" alt=\"pic\"></p>\n\n", 10))
	e := New(Options{})
	b.ReportAllocs()
	for b.Loop() {
		e.Parse(src, 1, ParseOptions{})
	}
}
