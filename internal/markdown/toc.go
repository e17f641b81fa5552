package markdown

import (
	"bytes"
	"html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// KindTOC is the node kind of a table of contents written in the body.
var KindTOC = ast.NewNodeKind("TOC")

// TOC is a paragraph that holds only GitLab's [[_TOC_]] or [TOC]: it
// renders the document's headings as a nested list.
type TOC struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (t *TOC) Kind() ast.NodeKind { return KindTOC }

// Dump implements ast.Node.
func (t *TOC) Dump(source []byte, level int) { ast.DumpHelper(t, source, level, nil, nil) }

// tocTransformer replaces a paragraph of one line that is [[_TOC_]] or
// [TOC] (any case, as GitLab accepts) by a TOC.
type tocTransformer struct{}

func (tocTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	for c := doc.FirstChild(); c != nil; {
		next := c.NextSibling()
		if p, ok := c.(*ast.Paragraph); ok && p.Lines().Len() == 1 && isTOCMarker(p.Lines().Value(src)) {
			t := &TOC{}
			t.SetLines(p.Lines())
			doc.ReplaceChild(doc, p, t)
		}
		c = next
	}
}

func isTOCMarker(line []byte) bool {
	line = bytes.TrimSpace(line)
	return bytes.EqualFold(line, []byte("[[_TOC_]]")) || bytes.EqualFold(line, []byte("[TOC]"))
}

// renderTOC writes the document's headings below the title as nested
// lists of links to their ids.
func (r *nodeRenderer) renderTOC(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	hw, ok := w.(*holeWriter)
	if !ok {
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.WriteString(tocHTML(hw.doc.Headings, hw.doc.TitleID))
	return ast.WalkSkipChildren, nil
}

// tocHTML is the table of contents of headings, nested by level; the
// heading that is the page title (titleID) is left out.
func tocHTML(headings []Heading, titleID string) string {
	var b strings.Builder
	b.WriteString(`<nav class="toc-inline" aria-label="Contents">`)
	depth, base := 0, 0
	for _, h := range headings {
		if h.ID == titleID && h.Level == 1 && titleID != "" {
			continue
		}
		if base == 0 {
			base = h.Level
		}
		level := max(h.Level-base+1, 1)
		if level > depth {
			for ; depth < level; depth++ {
				b.WriteString("\n<ul>\n<li>")
			}
		} else {
			b.WriteString("</li>\n")
			for ; depth > level; depth-- {
				b.WriteString("</ul>\n</li>\n")
			}
			b.WriteString("<li>")
		}
		b.WriteString(`<a href="#` + html.EscapeString(h.ID) + `">` + html.EscapeString(h.Text) + "</a>")
	}
	for ; depth > 0; depth-- {
		b.WriteString("</li>\n</ul>\n")
	}
	b.WriteString("</nav>\n")
	return b.String()
}
