package markdown

import (
	"bytes"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Slug returns the id GitHub gives a heading whose rendered text is s:
// lower case; every character that is not a letter, a mark, a number,
// connector punctuation, a hyphen or a space removed; spaces to hyphens.
// Repeats are told apart by the caller.
func Slug(s string) string {
	return string(slug(nil, bytes.TrimSpace([]byte(s))))
}

func slug(out, value []byte) []byte {
	for len(value) > 0 {
		r, n := utf8.DecodeRune(value)
		value = value[n:]
		switch {
		case r == ' ' || r == '-':
			out = append(out, '-')
		case r < utf8.RuneSelf:
			switch {
			case 'A' <= r && r <= 'Z':
				out = append(out, byte(r)+'a'-'A')
			case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '_':
				out = append(out, byte(r))
			}
		case unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.Pc):
			out = utf8.AppendRune(out, unicode.ToLower(r))
		}
	}
	return out
}

// headingIDs gives every heading without an explicit {#id} the id GitHub
// gives it, computed from the text the heading renders (emphasis markers,
// link destinations, HTML tags and image descriptions are not part of
// it), with "-1", "-2" for repeats. Explicit ids are reserved first, so a
// generated id never takes one.
type headingIDs struct{}

func (headingIDs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	seen := map[string]bool{}
	var headings []*ast.Heading
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		collectHeadings(c, &headings)
	}
	for _, h := range headings {
		if v, ok := h.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok {
				seen[string(b)] = true
			}
		}
	}
	var buf []byte
	for _, h := range headings {
		if _, ok := h.AttributeString("id"); ok {
			continue
		}
		buf = slug(buf[:0], renderedText(nil, h, src, true))
		base := string(buf)
		if base == "" {
			base = "section"
		}
		id := base
		for i := 1; seen[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
		}
		seen[id] = true
		h.SetAttributeString("id", []byte(id))
	}
}

// collectHeadings appends the headings of a block and of the blocks it
// holds (lists, quotes, callouts), in document order.
func collectHeadings(n ast.Node, out *[]*ast.Heading) {
	if h, ok := n.(*ast.Heading); ok {
		*out = append(*out, h)
		return
	}
	if n.Type() != ast.TypeBlock {
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		collectHeadings(c, out)
	}
}

// renderedText appends the text n renders, as a browser's textContent
// reads it: escapes and entities resolved, code spans as written, raw HTML
// tags left out. For an id (forID, as GitHub makes it) images are left out
// and a [[reference]] is as written; for plain text (excerpts, tables of
// contents) an image reads as its description and a reference as what it
// displays.
func renderedText(b []byte, n ast.Node, src []byte, forID bool) []byte {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(src)
			if c.IsRaw() {
				b = append(b, v...)
			} else {
				b = append(b, resolveText(v)...)
			}
			if c.SoftLineBreak() || c.HardLineBreak() {
				b = append(b, ' ')
			}
		case *ast.String:
			if c.IsCode() || c.IsRaw() {
				b = append(b, c.Value...)
			} else {
				b = append(b, resolveText(c.Value)...)
			}
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				switch t := t.(type) {
				case *ast.Text:
					b = append(b, t.Segment.Value(src)...)
				case *ast.String:
					b = append(b, t.Value...)
				}
			}
		case *ast.AutoLink:
			b = append(b, c.Label(src)...)
		case *ast.RawHTML:
		case *ast.Image:
			if !forID {
				b = renderedText(b, c, src, forID)
			}
		case *Ref:
			if !forID {
				b = append(b, c.Info.Display()...)
				continue
			}
			b = append(b, "[["...)
			b = append(b, c.Info.Target...)
			if c.Info.Label != "" {
				b = append(b, '|')
				b = append(b, c.Info.Label...)
			}
			b = append(b, "]]"...)
		default:
			b = renderedText(b, c, src, forID)
		}
	}
	return b
}

// resolveText resolves backslash escapes and character references in
// text as goldmark's renderer does.
func resolveText(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	v = util.UnescapePunctuations(v)
	v = util.ResolveNumericReferences(v)
	return util.ResolveEntityNames(v)
}
