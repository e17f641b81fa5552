package importer

import (
	"fmt"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Radar spreadsheets often hold their descriptions as HTML. Simple HTML —
// paragraphs, line breaks, links, emphasis, code, lists, headings, quotes,
// images — becomes Markdown; anything else (a table, a form) is kept as
// the HTML it is, which the site renders through its allowlist.

var htmlTag = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>`)

// htmlToMarkdown converts a description to Markdown. Text without HTML
// tags is returned as it is; converted is false when the text holds HTML
// that is not simple and is returned unchanged.
func htmlToMarkdown(s string) (md string, converted bool) {
	if !htmlTag.MatchString(s) {
		return s, false
	}
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		return s, false
	}
	c := &htmlConv{}
	blocks := c.blocks(nodes)
	if c.unsupported {
		return s, false
	}
	return strings.Join(blocks, "\n\n"), true
}

type htmlConv struct{ unsupported bool }

func isBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.P, atom.Div, atom.Ul, atom.Ol, atom.Pre, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Hr:
		return true
	}
	return false
}

// blocks converts a run of nodes to Markdown blocks: block elements each
// one, runs of inline nodes a paragraph.
func (c *htmlConv) blocks(nodes []*html.Node) []string {
	var out []string
	var inline strings.Builder
	flush := func() {
		if t := strings.TrimSpace(doubleSpace.ReplaceAllString(inline.String(), " ")); t != "" {
			out = append(out, t)
		}
		inline.Reset()
	}
	for _, n := range nodes {
		if !isBlock(n) {
			inline.WriteString(c.inline(n))
			continue
		}
		flush()
		if b := c.block(n); b != "" {
			out = append(out, b)
		}
	}
	flush()
	return out
}

func children(n *html.Node) []*html.Node {
	var out []*html.Node
	for k := n.FirstChild; k != nil; k = k.NextSibling {
		out = append(out, k)
	}
	return out
}

func (c *htmlConv) block(n *html.Node) string {
	switch n.DataAtom {
	case atom.P, atom.Div:
		return strings.Join(c.blocks(children(n)), "\n\n")
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		level := int(n.Data[1] - '0')
		return strings.Repeat("#", level) + " " + strings.TrimSpace(c.inlines(children(n)))
	case atom.Hr:
		return "---"
	case atom.Pre:
		text := textOf(n)
		return "```\n" + strings.TrimSuffix(text, "\n") + "\n```"
	case atom.Blockquote:
		inner := strings.Join(c.blocks(children(n)), "\n\n")
		var b strings.Builder
		for i, l := range strings.Split(inner, "\n") {
			if i > 0 {
				b.WriteByte('\n')
			}
			if l == "" {
				b.WriteString(">")
			} else {
				b.WriteString("> " + l)
			}
		}
		return b.String()
	case atom.Ul, atom.Ol:
		var items []string
		num := 1
		for _, k := range children(n) {
			if k.Type == html.TextNode && strings.TrimSpace(k.Data) == "" {
				continue
			}
			if k.Type != html.ElementNode || k.DataAtom != atom.Li {
				c.unsupported = true
				continue
			}
			marker := "- "
			if n.DataAtom == atom.Ol {
				marker = fmt.Sprintf("%d. ", num)
				num++
			}
			body := strings.Join(c.blocks(children(k)), "\n\n")
			pad := strings.Repeat(" ", len(marker))
			ls := strings.Split(body, "\n")
			for i := range ls {
				switch {
				case i == 0:
					ls[i] = marker + ls[i]
				case ls[i] != "":
					ls[i] = pad + ls[i]
				}
			}
			items = append(items, strings.Join(ls, "\n"))
		}
		return strings.Join(items, "\n")
	}
	c.unsupported = true
	return ""
}

func (c *htmlConv) inlines(nodes []*html.Node) string {
	var b strings.Builder
	for _, n := range nodes {
		b.WriteString(c.inline(n))
	}
	return b.String()
}

var (
	spaces      = regexp.MustCompile(`\s+`)
	doubleSpace = regexp.MustCompile(`  +`)
)

func (c *htmlConv) inline(n *html.Node) string {
	switch n.Type {
	case html.TextNode:
		return escapeMarkdown(spaces.ReplaceAllString(n.Data, " "))
	case html.CommentNode:
		return ""
	case html.ElementNode:
	default:
		c.unsupported = true
		return ""
	}
	inner := func() string { return c.inlines(children(n)) }
	switch n.DataAtom {
	case atom.Strong, atom.B:
		return wrapInline("**", inner())
	case atom.Em, atom.I:
		return wrapInline("*", inner())
	case atom.Del, atom.S:
		return wrapInline("~~", inner())
	case atom.Code:
		t := textOf(n)
		ticks := "`"
		for strings.Contains(t, ticks) {
			ticks += "`"
		}
		if strings.HasPrefix(t, "`") || strings.HasSuffix(t, "`") {
			t = " " + t + " "
		}
		return ticks + t + ticks
	case atom.Br:
		return "\\\n"
	case atom.Span, atom.U, atom.Small, atom.Font:
		return inner()
	case atom.Sup, atom.Sub, atom.Kbd, atom.Mark, atom.Abbr:
		return "<" + n.Data + ">" + inner() + "</" + n.Data + ">"
	case atom.A:
		href := attr(n, "href")
		text := strings.TrimSpace(inner())
		if href == "" {
			return text
		}
		if text == "" {
			text = escapeMarkdown(href)
		}
		return "[" + text + "](" + linkDest(href) + ")"
	case atom.Img:
		return "![" + escapeMarkdown(attr(n, "alt")) + "](" + linkDest(attr(n, "src")) + ")"
	}
	c.unsupported = true
	return ""
}

// wrapInline puts emphasis markers around text, outside its spaces.
func wrapInline(mark, s string) string {
	t := strings.TrimSpace(s)
	if t == "" {
		return s
	}
	lead := s[:strings.Index(s, t)]
	trail := s[len(lead)+len(t):]
	return lead + mark + t + mark + trail
}

func linkDest(u string) string {
	if strings.ContainsAny(u, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(u) + ">"
	}
	return u
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.Br {
			b.WriteByte('\n')
		}
		for k := n.FirstChild; k != nil; k = k.NextSibling {
			walk(k)
		}
	}
	walk(n)
	return b.String()
}

// escapeMarkdown escapes the characters of text that Markdown would read
// as markup: emphasis, code, links, HTML and, inside words, nothing.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		switch ch {
		case '\\', '*', '`', '[', ']', '<':
			b.WriteByte('\\')
		case '_':
			inWord := i > 0 && i+1 < len(s) && isWordByte(s[i-1]) && isWordByte(s[i+1])
			if !inWord {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(ch)
	}
	return b.String()
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}
