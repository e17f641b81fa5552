package importer

import "testing"

func TestHTMLToMarkdown(t *testing.T) {
	for _, tc := range []struct {
		in, want  string
		converted bool
	}{
		{in: "Plain text, *kept* as it is.", want: "Plain text, *kept* as it is."},
		{in: "<p>One.</p><p>Two.</p>", want: "One.\n\nTwo.", converted: true},
		{in: `<p>See <a href="https://example.com/x">the <strong>docs</strong></a>.</p>`, want: "See [the **docs**](https://example.com/x).", converted: true},
		{in: "<b>bold</b> <i>it</i> <em> spaced </em> <code>a`b</code>", want: "**bold** *it* *spaced* ``a`b``", converted: true},
		{in: "line<br>next", want: "line\\\nnext", converted: true},
		{in: "<ul><li>a</li><li>b <em>c</em></li></ul>", want: "- a\n- b *c*", converted: true},
		{in: "<ol><li>first</li><li><p>second</p><ul><li>inner</li></ul></li></ol>", want: "1. first\n2. second\n\n   - inner", converted: true},
		{in: "<h2>Why</h2>Because.", want: "## Why\n\nBecause.", converted: true},
		{in: "<blockquote><p>Quoted.</p></blockquote>", want: "> Quoted.", converted: true},
		{in: "<pre>x := 1\ny := 2</pre>", want: "```\nx := 1\ny := 2\n```", converted: true},
		{in: `<img src="a b.png" alt="A [b]">`, want: `![A \[b\]](<a b.png>)`, converted: true},
		{in: "AT&amp;T uses 2 * 3 and snake_case, _not_ <p>this</p>", want: "AT&T uses 2 \\* 3 and snake_case, \\_not\\_\n\nthis", converted: true},
		{in: "E = mc<sup>2</sup>", want: "E = mc<sup>2</sup>", converted: true},
		// Anything else stays HTML, for the site's allowlist.
		{in: "<table><tr><td>x</td></tr></table>", want: "<table><tr><td>x</td></tr></table>"},
		{in: "<p>ok</p><iframe src=x></iframe>", want: "<p>ok</p><iframe src=x></iframe>"},
	} {
		got, converted := htmlToMarkdown(tc.in)
		if got != tc.want || converted != tc.converted {
			t.Errorf("htmlToMarkdown(%q) = %q, %v; want %q, %v", tc.in, got, converted, tc.want, tc.converted)
		}
	}
}
