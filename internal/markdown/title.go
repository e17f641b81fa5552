package markdown

import (
	"bufio"
	"bytes"
	"slices"
	"strings"
	"unicode"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// takeTitle finds the body's first level-1 heading and removes it when it
// is, or repeats, the page title, so that layouts print the title once:
// when the page has no title of its own (title is ""), the heading is the
// title wherever it is; otherwise it goes when it says the same as the
// title, or when it opens the body and no other level-1 heading follows
// (a document's own title line). It returns the heading removed, or nil.
func takeTitle(root ast.Node, src []byte, title string) *ast.Heading {
	var first *ast.Heading
	leading, lead, others := false, true, 0
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		if b, ok := c.(*ast.HTMLBlock); ok && b.HTMLBlockType == ast.HTMLBlockType2 {
			continue // a comment (licence header) does not show
		}
		if h, ok := c.(*ast.Heading); ok && h.Level == 1 {
			if first == nil {
				first, leading = h, lead
			} else {
				others++
			}
		}
		lead = false
	}
	if first == nil {
		return nil
	}
	if title == "" || leading && others == 0 || SameTitle(plainText(first, src), title) {
		root.RemoveChild(root, first)
		return first
	}
	return nil
}

// shiftHeadings renders every heading one level lower (an h1 as an h2,
// down to h6) when level-1 headings remain in the body once the title is
// taken out: layouts print the title as the page's one h1, and the body's
// outline keeps its shape under it. Document.Headings keep the levels as
// written, which is what checks and tables of contents speak of.
func shiftHeadings(root ast.Node) {
	var hs []*ast.Heading
	for c := root.FirstChild(); c != nil; c = c.NextSibling() {
		collectHeadings(c, &hs)
	}
	if !slices.ContainsFunc(hs, func(h *ast.Heading) bool { return h.Level == 1 }) {
		return
	}
	for _, h := range hs {
		h.Level = min(h.Level+1, 6)
	}
}

// SameTitle reports whether two titles say the same, ignoring case,
// punctuation, spacing and Markdown.
func SameTitle(a, b string) bool {
	return titleKey(a) == titleKey(b) && titleKey(a) != ""
}

func titleKey(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// titleMarkup reports whether a title may hold Markdown worth rendering.
func titleMarkup(s string) bool {
	return strings.ContainsAny(s, "*_`[<&\\~")
}

// Inline reads s as one line of Markdown, as a title or description is
// written, and returns its plain text (what <title>, lists, search and
// feeds show) and its HTML (for the page heading): emphasis and code
// rendered, links reduced to their text, raw HTML shown as written. Text without
// Markdown comes back as it is, escaped for the HTML.
func (e *Engine) Inline(s string) (plain, html string) {
	if !titleMarkup(s) {
		return s, string(util.EscapeHTML([]byte(s)))
	}
	src := []byte(s)
	root := e.md.Parser().Parse(text.NewReader(src))
	para := root.FirstChild()
	if para == nil || para.NextSibling() != nil || para.Kind() != ast.KindParagraph {
		// Not one paragraph (a "# " or "- " start, say): the text as written.
		return s, string(util.EscapeHTML(src))
	}
	// Raw HTML in a title written in front matter is text: "Handling
	// <nil> errors" means the angle brackets.
	var raws []*ast.RawHTML
	_ = ast.Walk(para, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if r, ok := c.(*ast.RawHTML); ok && entering {
			raws = append(raws, r)
		}
		return ast.WalkContinue, nil
	})
	for _, r := range raws {
		var v []byte
		for i := 0; i < r.Segments.Len(); i++ {
			seg := r.Segments.At(i)
			v = append(v, seg.Value(src)...)
		}
		r.Parent().ReplaceChild(r.Parent(), r, ast.NewString(v))
	}
	return plainText(para, src), e.inlineHTML(para, src)
}

// inlineHTML renders the children of a heading or paragraph for a page
// heading: links become their text, raw HTML and images are left out.
func (e *Engine) inlineHTML(n ast.Node, src []byte) string {
	var drop []ast.Node
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch c.(type) {
			case *ast.RawHTML, *ast.Image:
				drop = append(drop, c)
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	for _, c := range drop {
		c.Parent().RemoveChild(c.Parent(), c)
	}
	var links []*ast.Link
	var autos []*ast.AutoLink
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		switch c := c.(type) {
		case *ast.Link:
			if entering {
				links = append(links, c)
			}
		case *ast.AutoLink:
			if entering {
				autos = append(autos, c)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, a := range autos {
		a.Parent().ReplaceChild(a.Parent(), a, ast.NewString(bytes.Clone(a.Label(src))))
	}
	for _, l := range links {
		parent := l.Parent()
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, l, c)
			c = next
		}
		parent.RemoveChild(parent, l)
	}
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	r := e.md.Renderer()
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		_ = r.Render(w, src, c)
	}
	_ = w.Flush()
	return strings.TrimSpace(b.String())
}
