package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// KindCallout is the node kind of a GitHub-style callout.
var KindCallout = ast.NewNodeKind("Callout")

// Callout is a blockquote that starts with [!NOTE], [!TIP], [!IMPORTANT],
// [!WARNING] or [!CAUTION], optionally followed by a custom title.
type Callout struct {
	ast.BaseBlock
	// Variant is the lower-case callout type: note, tip, important,
	// warning, caution.
	Variant string
	Title   string
}

// Kind implements ast.Node.
func (c *Callout) Kind() ast.NodeKind { return KindCallout }

// Dump implements ast.Node.
func (c *Callout) Dump(source []byte, level int) {
	ast.DumpHelper(c, source, level, map[string]string{"Variant": c.Variant}, nil)
}

var calloutTypes = map[string]string{
	"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning", "CAUTION": "Caution",
}

type calloutTransformer struct{}

// Transform replaces each qualifying blockquote by a Callout holding the
// blockquote's children minus the [!TYPE] marker line.
func (calloutTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var quotes []*ast.Blockquote
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if q, ok := n.(*ast.Blockquote); ok && entering {
			quotes = append(quotes, q)
		}
		return ast.WalkContinue, nil
	})
	for _, q := range quotes {
		para, ok := q.FirstChild().(*ast.Paragraph)
		if !ok || para.Lines().Len() == 0 {
			continue
		}
		first := para.Lines().At(0)
		line := bytes.TrimSpace(first.Value(src))
		if !bytes.HasPrefix(line, []byte("[!")) {
			continue
		}
		end := bytes.IndexByte(line, ']')
		if end < 0 {
			continue
		}
		typ := strings.ToUpper(string(line[2:end]))
		title, ok := calloutTypes[typ]
		if !ok {
			continue
		}
		if custom := strings.TrimSpace(string(line[end+1:])); custom != "" {
			title = custom
		}
		c := &Callout{Variant: strings.ToLower(typ), Title: title}
		c.SetLines(q.Lines())
		// Drop the inline nodes of the marker line.
		for n := para.FirstChild(); n != nil; {
			t, isText := n.(*ast.Text)
			if !isText || t.Segment.Start >= first.Stop {
				break
			}
			next := n.NextSibling()
			para.RemoveChild(para, n)
			n = next
		}
		if para.ChildCount() == 0 {
			q.RemoveChild(q, para)
		}
		for n := q.FirstChild(); n != nil; {
			next := n.NextSibling()
			c.AppendChild(c, n)
			n = next
		}
		q.Parent().ReplaceChild(q.Parent(), q, c)
	}
}

// KindTableWrap is the node kind of the scroll container around a table.
var KindTableWrap = ast.NewNodeKind("TableWrap")

// TableWrap holds one table, so that a wide table scrolls inside its box
// instead of widening the page, and keeps its table semantics.
type TableWrap struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (t *TableWrap) Kind() ast.NodeKind { return KindTableWrap }

// Dump implements ast.Node.
func (t *TableWrap) Dump(source []byte, level int) { ast.DumpHelper(t, source, level, nil, nil) }

type tableTransformer struct{}

// Transform puts every table in a TableWrap.
func (tableTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	var tables []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && n.Kind() == east.KindTable {
			tables = append(tables, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, t := range tables {
		w := &TableWrap{}
		parent := t.Parent()
		parent.ReplaceChild(parent, t, w)
		w.AppendChild(w, t)
	}
}
