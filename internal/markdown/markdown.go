// Package markdown is handbook's Markdown dialect: goldmark with GFM,
// footnotes, definition lists, heading ids, {#id} attributes, GitHub-style
// callouts, [[short references]] and chroma highlighting with CSS classes.
//
// A file is parsed once into a Document that keeps the AST, the headings and
// every id the page will render, and every link with its position in the
// file. The site resolves the links through Document.Links and Document.Refs
// (markdown knows nothing of sites), then renders the same AST, as often as
// it needs to. All changes to the output go through goldmark's extension
// points: AST transformers and node renderers, never edits of the HTML.
package markdown

import (
	"bytes"
	"io"
	"sort"
	"strconv"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configure an Engine.
type Options struct {
	// Unsafe renders raw HTML as written; by default it is escaped and shows
	// as text.
	Unsafe bool
}

// Engine parses and renders Markdown. It is safe for concurrent use.
type Engine struct {
	md     goldmark.Markdown
	unsafe bool
}

// New returns an Engine.
func New(opts Options) *Engine {
	rendererOpts := []renderer.Option{html.WithXHTML()}
	if opts.Unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	md := goldmark.New(
		goldmark.WithExtensions(
			extension.GFM,
			extension.Footnote,
			extension.DefinitionList,
		),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithHeadingAttribute(),
			parser.WithInlineParsers(util.Prioritized(refParser{}, 150)),
			parser.WithASTTransformers(util.Prioritized(calloutTransformer{}, 100)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(
			util.Prioritized(&nodeRenderer{unsafe: opts.Unsafe}, 100),
		)),
	)
	return &Engine{md: md, unsafe: opts.Unsafe}
}

// Heading is a heading of a document, for tables of contents and anchors.
type Heading struct {
	Level int
	Text  string
	ID    string
	Line  int
}

// LinkKind tells links, images and short references apart.
type LinkKind int

// Link kinds.
const (
	KindLink LinkKind = iota
	KindImage
	KindAutoLink
)

// Link is a link or image destination in a document.
type Link struct {
	Kind LinkKind
	// Dest is the destination as written.
	Dest string
	// Line and Col are the file position of the link.
	Line, Col int
	node      ast.Node
}

// SetDest replaces the destination the link renders with.
func (l *Link) SetDest(dest string) {
	switch n := l.node.(type) {
	case *ast.Link:
		n.Destination = []byte(dest)
	case *ast.Image:
		n.Destination = []byte(dest)
	}
}

// Document is a parsed Markdown file.
type Document struct {
	// Source is the Markdown the AST points into.
	Source []byte
	// FirstLine is the file line Source starts on.
	FirstLine int
	Root      ast.Node
	Headings  []Heading
	// IDs holds every id the document renders: headings, {#id} attributes,
	// footnotes and ids in raw HTML.
	IDs   map[string]bool
	Links []*Link
	Refs  []*Ref
	// Words is a count of the words of text, for reading time.
	Words int
	// TitleID is the id of the leading heading DropTitle removed; layouts
	// give it to the title they print, so that links to it still work.
	TitleID string

	lineStarts []int
}

// Parse parses src, whose first byte is on line firstLine of its file.
func (e *Engine) Parse(src []byte, firstLine int) *Document {
	doc := &Document{Source: src, FirstLine: firstLine, IDs: map[string]bool{}}
	ids := newIDs()
	ctx := parser.NewContext(parser.WithIDs(ids))
	doc.Root = e.md.Parser().Parse(text.NewReader(src), parser.WithContext(ctx))
	doc.index(e.unsafe)
	return doc
}

// Render writes the document's HTML.
func (e *Engine) Render(w io.Writer, doc *Document) error {
	return e.md.Renderer().Render(w, doc.Source, doc.Root)
}

// HTML renders the document to a byte slice.
func (e *Engine) HTML(doc *Document) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(len(doc.Source) * 2)
	err := e.Render(&b, doc)
	return b.Bytes(), err
}

// DropTitle removes a leading level-1 heading, used as the page title, so
// that layouts do not print the title twice.
func (d *Document) DropTitle() {
	first := d.Root.FirstChild()
	for first != nil {
		if b, ok := first.(*ast.HTMLBlock); ok && b.HTMLBlockType == ast.HTMLBlockType2 {
			first = first.NextSibling() // a leading comment
			continue
		}
		break
	}
	if h, ok := first.(*ast.Heading); ok && h.Level == 1 {
		if id, ok := h.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok {
				d.TitleID = string(b)
			}
		}
		d.Root.RemoveChild(d.Root, h)
		if len(d.Headings) > 0 && d.Headings[0].Level == 1 {
			d.Headings = d.Headings[1:]
		}
	}
}

// Pos returns the file line and column of a byte offset in Source.
func (d *Document) Pos(off int) (line, col int) {
	if d.lineStarts == nil {
		d.lineStarts = []int{0}
		for i, c := range d.Source {
			if c == '\n' {
				d.lineStarts = append(d.lineStarts, i+1)
			}
		}
	}
	i := sort.Search(len(d.lineStarts), func(i int) bool { return d.lineStarts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return d.FirstLine + i, off - d.lineStarts[i] + 1
}

// index walks the AST once to collect headings, ids, links and the word
// count.
func (d *Document) index(rawHTML bool) {
	src := d.Source
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if id, ok := n.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok {
				d.IDs[string(b)] = true
			}
		}
		switch n := n.(type) {
		case *ast.Heading:
			id, _ := n.AttributeString("id")
			b, _ := id.([]byte)
			line := 0
			if n.Lines().Len() > 0 {
				line, _ = d.Pos(n.Lines().At(0).Start)
			}
			d.Headings = append(d.Headings, Heading{Level: n.Level, Text: plainText(n, src), ID: string(b), Line: line})
		case *ast.Link:
			d.addLink(KindLink, string(n.Destination), n)
		case *ast.Image:
			d.addLink(KindImage, string(n.Destination), n)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				d.addLink(KindAutoLink, string(n.URL(src)), n)
			}
		case *Ref:
			n.Line, n.Col = d.Pos(n.Offset)
			d.Refs = append(d.Refs, n)
		case *ast.Text:
			d.Words += countWords(n.Segment.Value(src))
		case *ast.HTMLBlock:
			if !rawHTML || n.HTMLBlockType == ast.HTMLBlockType2 {
				break // escaped, or a comment: its ids are not rendered
			}
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				rawIDs(seg.Value(src), d.IDs)
			}
		case *ast.RawHTML:
			if !rawHTML || isComment(n, src) {
				break
			}
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				rawIDs(seg.Value(src), d.IDs)
			}
		}
		return ast.WalkContinue, nil
	})
	// Footnote ids follow goldmark's scheme.
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.Footnote:
			d.IDs["fn:"+strconv.Itoa(n.Index)] = true
		case *east.FootnoteLink:
			d.IDs["fnref:"+strconv.Itoa(n.Index)] = true
		}
		return ast.WalkContinue, nil
	})
}

func (d *Document) addLink(kind LinkKind, dest string, n ast.Node) {
	off := firstOffset(n)
	line, col := 0, 0
	if off >= 0 {
		// Step back to the opening bracket of [text](dest).
		for i := off - 1; i >= 0 && i >= off-8; i-- {
			if d.Source[i] == '[' {
				off = i
				if i > 0 && d.Source[i-1] == '!' {
					off = i - 1
				}
				break
			}
			if d.Source[i] == '\n' {
				break
			}
		}
		line, col = d.Pos(off)
	} else if b := blockOf(n); b != nil && b.Lines().Len() > 0 {
		line, col = d.Pos(b.Lines().At(0).Start)
	}
	d.Links = append(d.Links, &Link{Kind: kind, Dest: dest, Line: line, Col: col, node: n})
}

// firstOffset returns the source offset of the first text inside n, or -1.
func firstOffset(n ast.Node) int {
	off := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			off = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return off
}

func blockOf(n ast.Node) ast.Node {
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock {
			return p
		}
	}
	return nil
}

func plainText(n ast.Node, src []byte) string {
	var b bytes.Buffer
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if tt, ok := t.(*ast.Text); ok {
					b.Write(tt.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *Ref:
			b.WriteString(c.Display())
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return string(bytes.TrimSpace(b.Bytes()))
}

// PlainText returns the text of the document's top-level blocks, for
// excerpts and search.
func (d *Document) PlainText(limit int) string {
	var b bytes.Buffer
	for c := d.Root.FirstChild(); c != nil && b.Len() < limit; c = c.NextSibling() {
		switch c.Kind() {
		case ast.KindParagraph:
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(plainText(c, d.Source))
		}
	}
	s := b.String()
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut] != ' ' {
			cut--
		}
		if cut == 0 {
			cut = limit
		}
		for cut > 0 && s[cut-1]&0xC0 == 0x80 {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

func countWords(b []byte) int {
	n, in := 0, false
	for _, c := range b {
		sp := c == ' ' || c == '\t' || c == '\n' || c == '\r'
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

func isComment(n *ast.RawHTML, src []byte) bool {
	if n.Segments.Len() == 0 {
		return false
	}
	seg := n.Segments.At(0)
	return bytes.HasPrefix(seg.Value(src), []byte("<!--"))
}
