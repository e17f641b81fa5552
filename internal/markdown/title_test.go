package markdown

import (
	"strings"
	"testing"
)

func TestInline(t *testing.T) {
	e := New(Options{})
	for _, c := range []struct{ in, plain, html string }{
		{"Plain title", "Plain title", "Plain title"},
		{"AT&T <rocks>", "AT&T <rocks>", "AT&amp;T &lt;rocks&gt;"},
		{"**Bold** and `code`", "Bold and code", "<strong>Bold</strong> and <code>code</code>"},
		{"[KEP-1](https://example.com): Thing", "KEP-1: Thing", "KEP-1: Thing"},
		{"snake_case_name", "snake_case_name", "snake_case_name"},
		{"Use A* search", "Use A* search", "Use A* search"},
		{"Fish &amp; chips", "Fish & chips", "Fish &amp; chips"},
		{"Say <b>hi</b>", "Say <b>hi</b>", "Say &lt;b&gt;hi&lt;/b&gt;"},
		{"# Not a heading", "# Not a heading", "# Not a heading"},
	} {
		plain, html := e.Inline(c.in)
		if plain != c.plain || html != c.html {
			t.Errorf("Inline(%q) = %q, %q; want %q, %q", c.in, plain, html, c.plain, c.html)
		}
	}
}

func TestTakeTitle(t *testing.T) {
	e := New(Options{})
	for _, c := range []struct {
		name, title, src string
		taken            string // Document.Title, "" when nothing is taken
		h1s              int    // <h1 in the body
	}{
		{"no title: the first h1 wherever it is", "", "Badges.\n\n# Payments *service*\n\nText.\n", "Payments service", 0},
		{"a repeat of the title", "DB failover", "# DB Failover!\n\nText.\n", "DB Failover!", 0},
		{"a leading h1 alone", "Failover", "<!-- licence -->\n# Database failover\n\nText.\n", "Database failover", 0},
		{"sections stay, one level lower", "Handbook", "# Overview\n\n## Detail\n\n# Steps\n", "", 0},
		{"a later h1 that differs stays", "Handbook", "Intro.\n\n# Overview\n", "", 0},
		{"no h1", "", "## Only h2\n", "", 0},
	} {
		d := e.Parse([]byte(c.src), 1, ParseOptions{Title: c.title})
		if d.Title != c.taken {
			t.Errorf("%s: title %q, want %q", c.name, d.Title, c.taken)
		}
		html, _ := e.HTML(d)
		if n := strings.Count(string(html), "<h1"); n != c.h1s {
			t.Errorf("%s: %d h1 in the body:\n%s", c.name, n, html)
		}
	}
}

// FuzzInline reads any title: no panic, text without Markdown kept as it
// is, HTML without a tag a title cannot hold.
func FuzzInline(f *testing.F) {
	for _, s := range []string{"Plain", "**Bold** `code`", "[KEP-1](https://x): T", "<script>x</script>", "a < b & c", "# h", "- item", "`unclosed", "[[ref]]", "\x00"} {
		f.Add(s)
	}
	e := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		plain, html := e.Inline(s)
		if strings.Contains(html, "<script") || strings.Contains(html, "<a ") || strings.Contains(html, "<p>") {
			t.Errorf("Inline(%q) HTML holds a tag a title cannot: %q", s, html)
		}
		if !titleMarkup(s) && plain != s {
			t.Errorf("Inline(%q) changed text without Markdown: %q", s, plain)
		}
	})
}
