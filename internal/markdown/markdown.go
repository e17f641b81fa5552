// Package markdown is handbook's Markdown dialect: goldmark with GFM,
// footnotes, definition lists, GitHub's heading ids (ids.go: from the
// rendered text), {#id} attributes, GitHub-style callouts, [[short
// references]], GitLab's [[_TOC_]], raw HTML through GitHub's allowlist
// (rawhtml.go, with bluemonday) and chroma highlighting with CSS classes.
// The page title is taken out of the body here (title.go) so that it shows
// once.
//
// A file is parsed once into a Document: its headings, every id the page
// will render, every link and [[reference]] with its position in the file,
// and its HTML, rendered once at parse time with holes where link
// destinations and references go. The site resolves the links through
// Document.Links and Document.Refs (markdown knows nothing of sites);
// Render then writes the HTML with the resolutions filled into the holes,
// as often as needed, without the syntax tree, which can be released after
// parsing. All changes to the output go through goldmark's extension
// points: AST transformers and node renderers, never edits of the HTML.
package markdown

import (
	"bytes"
	stdhtml "html"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/handbook-dev/handbook/internal/pack"
	"github.com/handbook-dev/handbook/internal/slab"
	"github.com/handbook-dev/handbook/internal/spill"
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
	// Unsafe renders raw HTML as written, and Markdown links to any URL;
	// by default raw HTML goes through GitHub's allowlist (rawhtml.go) and
	// links and images lose URLs whose scheme it does not allow. Either
	// way the href and src URLs of raw HTML are Links and its ids count.
	Unsafe bool
	// Spill, when set, holds each document's HTML in place of memory
	// (internal/spill): a process that keeps its documents long and
	// renders them seldom (handbook serve) holds less. A document whose
	// HTML the Store cannot take keeps it in memory.
	Spill *spill.Store
}

// Engine parses and renders Markdown. It is safe for concurrent use.
type Engine struct {
	md     goldmark.Markdown
	unsafe bool
	spill  *spill.Store
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
			parser.WithHeadingAttribute(),
			parser.WithInlineParsers(util.Prioritized(refParser{}, 150)),
			parser.WithASTTransformers(util.Prioritized(headingIDs{}, 200), util.Prioritized(tocTransformer{}, 90), util.Prioritized(calloutTransformer{}, 100), util.Prioritized(tableTransformer{}, 110)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(
			util.Prioritized(&nodeRenderer{unsafe: opts.Unsafe}, 100),
		)),
	)
	return &Engine{md: md, unsafe: opts.Unsafe, spill: opts.Spill}
}

// Heading is a heading of a document, for tables of contents and anchors.
type Heading struct {
	Level int
	Text  string
	ID    string
	Line  int
	// Empty is true when nothing but HTML comments follows the heading
	// before the next heading of its level or above.
	Empty bool
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
	// rewrite, when set, is the destination rendered instead of Dest.
	rewrite string
	// plain renders the link's text alone (Unlink).
	plain bool
	// doc is the document of the link, whose sum of its links' and
	// references' resolutions a change forgets.
	doc *Document
	// at is the link's place in doc.Links, which its holes name.
	at int32
}

// Unlink renders the link's text alone, without the link: for a link to a
// page the build leaves out. It applies to links, not images.
func (l *Link) Unlink() {
	l.plain = true
	l.doc.forgetLinksSum()
}

// SetDest replaces the destination the link renders with. Autolinks keep
// theirs.
func (l *Link) SetDest(dest string) {
	l.rewrite = dest
	l.doc.forgetLinksSum()
}

// Target is the destination the link renders with: SetDest's, else Dest.
func (l *Link) Target() string {
	if l.rewrite != "" {
		return l.rewrite
	}
	return l.Dest
}

// Document is a parsed Markdown file.
type Document struct {
	// Source is the Markdown. A document parsed by an Engine that spills
	// (Options.Spill) lets it go at Release, into the file: Markdown
	// gives it either way.
	Source []byte
	// FirstLine is the file line Source starts on.
	FirstLine int
	// Root is the syntax tree; nil after Release.
	Root     ast.Node
	Headings []Heading
	// IDs holds every id the document renders: headings, {#id} attributes,
	// footnotes and the id and name attributes raw HTML keeps.
	IDs map[string]bool
	// Links are the links and images of the document, those of raw HTML
	// (href, src, srcset) included, in document order.
	Links []*Link
	Refs  []*RefInfo
	// Unsafe lists the link and image URLs removed for their scheme
	// (javascript:, data:, …), from Markdown and from raw HTML; none when
	// Options.Unsafe.
	Unsafe []UnsafeURL
	// Words is a count of the words of text, for reading time.
	Words int
	// Prose holds the spans of Source that are text readers see: the text
	// of paragraphs, headings, lists, tables and link labels, and raw HTML
	// other than comments; code is not prose. Adjacent spans separated by
	// white space only are merged.
	Prose []Span
	// Code holds the spans of Source that are code: code spans and the
	// lines of code blocks, for search, which indexes them as identifiers.
	Code []Span
	// Items are the list items and table rows under the headings
	// ParseOptions.ItemsUnder names.
	Items []Item
	// Directives are the <!-- handbook-disable … --> and
	// <!-- markdownlint-disable … --> comments, in order.
	Directives []Directive
	// TitleID is the id of the level-1 heading taken as the page title
	// (see ParseOptions.Title); layouts give it to the title they print,
	// so that links to it still work. Title is that heading's plain text
	// and TitleHTML its rendered text (emphasis and code kept, links
	// reduced to their text).
	TitleID   string
	Title     string
	TitleHTML string

	// html is the document rendered with holes, packed (internal/pack):
	// holes[i] goes at offset holes[i].off of the unpacked HTML, in
	// order. A page's HTML is held from its parse until its file is
	// made, most of a build's memory when plain.
	html   []byte
	holes  []hole
	unsafe bool
	// released is set by ReleaseHTML: the HTML is gone.
	released bool
	// spillTo is the engine's Store, when it spills. spilled is where
	// html is in it (then html is nil), htmlLen its length unpacked;
	// source is where Source is once Release spilled it.
	spillTo *spill.Store
	spilled spill.Ref
	htmlLen int32
	source  spill.Ref
	// sum is the hash of html once taken (htmlSum), read and written
	// atomically; linksSum likewise the hash of how the links and
	// references are resolved (Fingerprint), 0 once any changes.
	sum, linksSum uint64
	// linkOf maps link and image nodes to their Link while rendering;
	// rawLinks maps raw HTML nodes to the decisions on their URLs, in
	// order: a Link, or nil for a URL removed.
	linkOf   map[ast.Node]*Link
	rawLinks map[ast.Node][]*Link
	// lineStarts are the offsets in Source where its lines start, kept
	// after Source goes for the positions of findings: 32 bits each, half
	// of what ints take, 32 MB at 100,000 pages (a page is at most
	// page.MaxSize, 8 MB).
	lineStarts []int32
}

// ParseOptions change how a document is parsed.
type ParseOptions struct {
	// Title is the page's title from its front matter, "" if none. The
	// body's first level-1 heading is taken out as the title when there is
	// none, or when it repeats it, so that layouts print the title once;
	// Document.Title and TitleHTML say what it was.
	Title string
	// NoHTML skips rendering: the document only says what it holds
	// (headings, ids, links, prose), which is all a check needs.
	NoHTML bool
	// ItemsUnder are lower-case heading prefixes ("action items") whose
	// list items and table rows are collected into Document.Items.
	ItemsUnder []string
	// TimelineUnder are lower-case heading prefixes ("timeline") whose
	// first list or table is a timeline: it gets the class "timeline",
	// which the theme draws as one.
	TimelineUnder []string
}

// Parse parses src, whose first byte is on line firstLine of its file, and
// renders it. The result keeps its syntax tree until Release.
func (e *Engine) Parse(src []byte, firstLine int, opts ParseOptions) *Document {
	doc := &Document{Source: src, FirstLine: firstLine, IDs: map[string]bool{}, unsafe: e.unsafe, spillTo: e.spill}
	doc.Root = e.md.Parser().Parse(text.NewReader(src))
	if h := takeTitle(doc.Root, src, opts.Title); h != nil {
		if v, ok := h.AttributeString("id"); ok {
			if b, ok := v.([]byte); ok {
				doc.TitleID = string(b)
			}
		}
		doc.Title = plainText(h, src)
		if !opts.NoHTML {
			doc.TitleHTML = e.inlineHTML(h, src)
		}
	}
	doc.index(e.unsafe)
	doc.sections(opts.ItemsUnder)
	doc.markTimeline(opts.TimelineUnder)
	if doc.TitleID != "" {
		doc.IDs[doc.TitleID] = true // layouts print it on the title
	}
	if opts.NoHTML {
		doc.linkOf, doc.rawLinks = nil, nil
		return doc
	}
	shiftHeadings(doc.Root)
	w := &holeWriter{doc: doc, buf: buffers.Get().(*bytes.Buffer)}
	w.buf.Grow(len(src) * 2)
	if err := e.md.Renderer().Render(w, src, doc.Root); err != nil {
		// The renderers write to memory and do not fail; keep what was
		// written.
		w.buf.WriteString("<!-- render error: " + stdhtml.EscapeString(err.Error()) + " -->")
	}
	doc.html = pack.Pack(w.buf.Bytes()) // a copy of its own: kept for the whole build
	if e.spill != nil {
		doc.spill(w.buf.Len())
	}
	w.buf.Reset()
	buffers.Put(w.buf)
	doc.linkOf, doc.rawLinks = nil, nil
	return doc
}

// buffers recycles the buffers documents are rendered into before they
// are packed, and code is highlighted into.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Release drops the syntax tree: what the document says about itself,
// its HTML, its source and the positions of its lines stay (the source in
// the engine's Store when it spills: Markdown reads it back). A site
// releases every document once read, so that its memory does not grow
// with every page's tree.
func (d *Document) Release() {
	d.Pos(0) // index the lines while the source is here
	d.Root = nil
	if d.spillTo != nil && len(d.Source) > 0 && len(d.Source) <= spill.MaxLen {
		if ref, err := d.spillTo.Put(d.Source); err == nil {
			d.Source, d.source = nil, ref
		}
	}
}

// Markdown returns the document's Markdown source: Source, or read back
// from the file Release spilled it to; nil once dropped (DropSource), or
// should the file fail to give it back (it cannot, while the process
// holds it open).
func (d *Document) Markdown() []byte {
	if d.Source != nil || d.source.Len == 0 {
		return d.Source
	}
	b, err := d.spillTo.Get(nil, d.source)
	if err != nil {
		return nil
	}
	return b
}

// ResetLinks forgets how the document's links and references were
// resolved, so that a document parsed once can be resolved again against
// a site that changed.
func (d *Document) ResetLinks() {
	for _, l := range d.Links {
		l.rewrite, l.plain = "", false
	}
	for _, r := range d.Refs {
		r.URL, r.Title, r.Resolved, r.Plain = "", "", false, false
	}
	d.forgetLinksSum()
}

// DropSource drops the Markdown source once no check needs its prose.
func (d *Document) DropSource() {
	d.Pos(0)
	d.Source, d.source = nil, spill.Ref{}
	d.Prose = nil
	d.Code = nil
}

// Render writes the document's HTML with the links' and references'
// resolutions filled in.
func (e *Engine) Render(w io.Writer, doc *Document) error {
	return doc.fill(w)
}

// ReleaseHTML lets the document's HTML go, for a build that has written
// the one file showing it and renders nothing again: at 100,000 pages it
// is 650 MB. Rendering the document afterwards is an error.
func (d *Document) ReleaseHTML() {
	d.html, d.holes, d.released = nil, nil, true
	d.spilled = spill.Ref{}
}

// spill moves the document's packed HTML, of n bytes unpacked, to the
// engine's Store, its sum taken first; it stays in memory if the Store
// fails to take it.
func (d *Document) spill(n int) {
	d.htmlSum()
	if n > spill.MaxLen {
		return
	}
	ref, err := d.spillTo.Put(d.html)
	if err != nil {
		return
	}
	d.spilled, d.htmlLen, d.html = ref, int32(n), nil
}

// Spilled reports whether the document's HTML is held in a file
// (Options.Spill) rather than in memory.
func (d *Document) Spilled() bool { return d.spilled.Len > 0 }

// packedHTML returns the document's packed HTML: held, or read into buf
// from its store.
func (d *Document) packedHTML(buf []byte) ([]byte, error) {
	if !d.Spilled() {
		return d.html, nil
	}
	return d.spillTo.Get(buf, d.spilled)
}

// HTML renders the document to a byte slice.
func (e *Engine) HTML(doc *Document) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(doc.htmlSize())
	err := doc.fill(&b)
	return b.Bytes(), err
}

// HTMLString renders the document to a string, made in place: for a
// layout's data, which holds the HTML as a string.
func (e *Engine) HTMLString(doc *Document) (string, error) {
	var b strings.Builder
	b.Grow(doc.htmlSize())
	err := doc.fill(&b)
	return b.String(), err
}

// WriteHTML appends the document's HTML to b, grown first by about its
// length: for a file the HTML goes into as it is rendered, not made on
// its own first.
func (e *Engine) WriteHTML(b *bytes.Buffer, doc *Document) error {
	b.Grow(doc.htmlSize())
	return doc.fill(b)
}

// htmlSize is about the length of the document's HTML once its holes are
// filled.
func (d *Document) htmlSize() int {
	if d.Spilled() {
		return int(d.htmlLen) + 64*len(d.holes)
	}
	return pack.Len(d.html) + 64*len(d.holes)
}

// links calls f for each link, image, URL autolink and reference of the
// tree, in document order.
func links(root ast.Node, f func(n ast.Node)) {
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.Image, *Ref:
			f(n)
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				f(n)
			}
		}
		return ast.WalkContinue, nil
	})
}

// Pos returns the file line and column of a byte offset in Source.
func (d *Document) Pos(off int) (line, col int) {
	l := d.Lines()
	i := l.index(off)
	return l.first + i, off - int(l.starts[i]) + 1
}

// Lines returns what finds the file line of an offset in the document's
// source: apart from the document, it holds what a page's search text
// needs of it once the rest may go. The source must still be there the
// first time any position of the document is asked for.
func (d *Document) Lines() Lines {
	if d.lineStarts == nil {
		d.lineStarts = make([]int32, 1, 1+bytes.Count(d.Source, []byte{'\n'}))
		for i, c := range d.Source {
			if c == '\n' {
				d.lineStarts = append(d.lineStarts, int32(i+1))
			}
		}
	}
	return Lines{first: d.FirstLine, starts: d.lineStarts}
}

// Lines finds the file line of a byte offset in a document's source
// (Document.Lines).
type Lines struct {
	first  int
	starts []int32 // the offsets where the source's lines start
}

// Line returns the file line of a byte offset in the source.
func (l Lines) Line(off int) int { return l.first + l.index(off) }

// index returns the line, from 0, of a byte offset in the source.
func (l Lines) index(off int) int {
	return max(0, sort.Search(len(l.starts), func(i int) bool { return int(l.starts[i]) > off })-1)
}

// index walks the AST once to collect headings, ids, links and the word
// count. unsafe is Options.Unsafe.
func (d *Document) index(unsafe bool) {
	src := d.Source
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		// One string for the id in IDs and in Headings.
		idText := ""
		if id, ok := n.AttributeString("id"); ok {
			if b, ok := id.([]byte); ok {
				idText = kept.String(b)
				d.IDs[idText] = true
			}
		}
		switch n := n.(type) {
		case *ast.Heading:
			line := 0
			if n.Lines().Len() > 0 {
				line, _ = d.Pos(n.Lines().At(0).Start)
			}
			d.Headings = append(d.Headings, Heading{Level: n.Level, Text: kept.String(plainBytes(n, src)), ID: idText, Line: line})
		case *Ref:
			n.Info.Line, n.Info.Col = d.Pos(n.Info.Offset)
			n.Info.doc = d
			n.Info.at = int32(len(d.Refs))
			d.Refs = append(d.Refs, n.Info)
		case *ast.Link:
			if !unsafe && !destAllowed(n.Destination, false) {
				d.addUnsafe(KindLink, string(n.Destination), n)
				break
			}
			d.addLink(KindLink, kept.String(n.Destination), n)
		case *ast.Image:
			if !unsafe && !destAllowed(n.Destination, true) {
				d.addUnsafe(KindImage, string(n.Destination), n)
				break
			}
			d.addLink(KindImage, kept.String(n.Destination), n)
		case *ast.AutoLink:
			if n.AutoLinkType != ast.AutoLinkURL {
				break
			}
			if u := n.URL(src); !unsafe && !destAllowed(u, false) {
				// <javascript:…>: goldmark renders it without its URL.
				d.addUnsafe(KindLink, string(u), n)
				break
			}
			d.addLink(KindAutoLink, kept.String(n.URL(src)), n)
		case *east.Footnote:
			// Footnote ids follow goldmark's scheme.
			d.IDs["fn:"+strconv.Itoa(n.Index)] = true
		case *east.FootnoteLink:
			d.IDs["fnref:"+strconv.Itoa(n.Index)] = true
		case *ast.Text:
			d.Words += countWords(n.Segment.Value(src))
			if !inCode(n) {
				d.addProse(n.Segment.Start, n.Segment.Stop)
			} else {
				d.Code = append(d.Code, Span{int32(n.Segment.Start), int32(n.Segment.Stop)})
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			for i := 0; i < n.Lines().Len(); i++ {
				seg := n.Lines().At(i)
				d.Code = append(d.Code, Span{int32(seg.Start), int32(seg.Stop)})
			}
		case *ast.HTMLBlock:
			if n.HTMLBlockType == ast.HTMLBlockType2 {
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					d.directive(seg.Value(src), seg.Start)
				}
			}
			if n.HTMLBlockType != ast.HTMLBlockType2 {
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					d.addProse(seg.Start, seg.Stop)
				}
			}
			d.readRaw(n, unsafe)
		case *ast.RawHTML:
			if isComment(n, src) {
				for i := 0; i < n.Segments.Len(); i++ {
					seg := n.Segments.At(i)
					d.directive(seg.Value(src), seg.Start)
				}
			}
			if !isComment(n, src) {
				for i := 0; i < n.Segments.Len(); i++ {
					seg := n.Segments.At(i)
					d.addProse(seg.Start, seg.Stop)
				}
			}
			d.readRaw(n, unsafe)
		}
		return ast.WalkContinue, nil
	})
}

func (d *Document) addLink(kind LinkKind, dest string, n ast.Node) {
	line, col := d.linkPos(n)
	l := linkSlab.New()
	*l = Link{Kind: kind, Dest: dest, Line: line, Col: col, doc: d, at: int32(len(d.Links))}
	d.Links = append(d.Links, l)
	if d.linkOf == nil {
		d.linkOf = map[ast.Node]*Link{}
	}
	d.linkOf[n] = l
}

// The links, references and small texts a document keeps come from shared
// chunks rather than each from the spans the parse's garbage is made in,
// which they would keep from being freed (see package slab).
var (
	linkSlab slab.Of[Link]
	refSlab  slab.Of[RefInfo]
	kept     slab.Text
)

// addUnsafe records a link or image whose URL is removed.
func (d *Document) addUnsafe(kind LinkKind, dest string, n ast.Node) {
	line, col := d.linkPos(n)
	d.Unsafe = append(d.Unsafe, UnsafeURL{Kind: kind, URL: dest, Line: line, Col: col})
}

// linkPos is the file position of a link or image: its opening bracket.
func (d *Document) linkPos(n ast.Node) (line, col int) {
	off := firstOffset(n)
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
	return line, col
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

// plainText is the text of n, as rendered, without its markup.
func plainText(n ast.Node, src []byte) string { return string(plainBytes(n, src)) }

// plainBytes is plainText's text, in bytes of its own to be copied.
func plainBytes(n ast.Node, src []byte) []byte {
	return bytes.TrimSpace(renderedText(nil, n, src, false))
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

// Directive is a comment that turns checks off or on: handbook-disable,
// handbook-disable-next-line, handbook-disable-line, handbook-enable, and
// the same with the markdownlint- and markdown-link-check- prefixes.
type Directive struct {
	// Line is the file line of the comment.
	Line int
	// Action is "disable", "disable-next-line", "disable-line" or
	// "enable".
	Action string
	// Tool is "handbook", "markdownlint" or "markdown-link-check".
	Tool string
	// Rules are the rule ids named; none means every rule.
	Rules []string
}

var directiveRE = regexp.MustCompile(`<!--\s*(handbook|markdownlint|markdown-link-check)-(disable-next-line|disable-line|disable|enable)((?:\s+[\w-]+)*)\s*-->`)

func (d *Document) directive(text []byte, off int) {
	for _, m := range directiveRE.FindAllSubmatchIndex(text, -1) {
		line, _ := d.Pos(off + m[0])
		d.Directives = append(d.Directives, Directive{
			Line:   line,
			Tool:   string(text[m[2]:m[3]]),
			Action: string(text[m[4]:m[5]]),
			Rules:  strings.Fields(string(text[m[6]:m[7]])),
		})
	}
}

// markTimeline gives the class "timeline" to the first list or table
// under a heading whose text starts with one of under, before the next
// heading.
func (d *Document) markTimeline(under []string) {
	if len(under) == 0 {
		return
	}
	hi, in := 0, false
	for c := d.Root.FirstChild(); c != nil; c = c.NextSibling() {
		switch c.Kind() {
		case ast.KindHeading:
			in = false
			if hi < len(d.Headings) {
				text := strings.ToLower(d.Headings[hi].Text)
				for _, u := range under {
					in = in || strings.HasPrefix(text, u)
				}
				hi++
			}
		case ast.KindList, KindTableWrap, east.KindTable:
			if in {
				c.SetAttributeString("class", []byte("timeline"))
				in = false
			}
		}
	}
}
