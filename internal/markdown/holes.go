package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"io"
	"sync"
	"unicode/utf8"

	"github.com/handbook-dev/handbook/internal/pack"
	"github.com/yuin/goldmark/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// holeKind is what goes in a hole of a rendered document.
type holeKind uint8

const (
	// holeHref is a link or image destination, inside an attribute.
	holeHref holeKind = iota
	// holeRef is a whole [[reference]] element.
	holeRef
	// holeOpen and holeClose are a link's opening and closing tags,
	// [off, end) of the HTML: dropped when the link is Unlinked.
	holeOpen
	holeClose
	// holeRawDest is an href, src or srcset URL of raw HTML, inside its
	// attribute.
	holeRawDest
)

// A hole's offsets are 32-bit (a page's Markdown is at most 8 MB, and
// its HTML far less than 2 GB), and it names its Link or RefInfo by its
// place in the document's Links or Refs rather than by a pointer: a
// preview holds every page's holes, a build until the page is written
// (three million at 100,000 pages), and a hole takes 16 bytes that the
// collector need not scan, rather than 32 it followed a pointer of.
type hole struct {
	off, end int32
	// at is the hole's Link's place in Document.Links, or for holeRef its
	// RefInfo's in Document.Refs.
	at   int32
	kind holeKind
}

// holeWriter is the util.BufWriter documents are rendered into at parse
// time; node renderers leave holes in it for what the site resolves later.
type holeWriter struct {
	buf *bytes.Buffer
	doc *Document
}

func (w *holeWriter) Write(p []byte) (int, error)       { return w.buf.Write(p) }
func (w *holeWriter) WriteString(s string) (int, error) { return w.buf.WriteString(s) }
func (w *holeWriter) WriteByte(c byte) error            { return w.buf.WriteByte(c) }
func (w *holeWriter) WriteRune(r rune) (int, error)     { return w.buf.WriteRune(r) }
func (w *holeWriter) Available() int                    { return 1 << 20 }
func (w *holeWriter) Buffered() int                     { return 0 }
func (w *holeWriter) Flush() error                      { return nil }

func (w *holeWriter) hole(h hole) {
	h.off = int32(w.buf.Len())
	w.doc.holes = append(w.doc.holes, h)
}

// errReleased is the error of rendering a document after ReleaseHTML.
var errReleased = errors.New("the page's HTML was released after it was rendered")

// fill writes the document's HTML with the holes filled.
func (d *Document) fill(w io.Writer) error {
	if d.released {
		return errReleased
	}
	if d.html == nil && !d.Spilled() {
		return nil // parsed without HTML, or a document made empty
	}
	packed := d.html
	if d.Spilled() {
		pbuf := htmlBuffers.Get().(*[]byte)
		var err error
		packed, err = d.packedHTML((*pbuf)[:0])
		defer func() {
			if cap(packed) <= 1<<20 {
				*pbuf = packed
				htmlBuffers.Put(pbuf)
			}
		}()
		if err != nil {
			return err
		}
	}
	buf := htmlBuffers.Get().(*[]byte)
	plain, err := pack.Unpack((*buf)[:0], packed)
	defer func() {
		if cap(plain) <= 1<<20 { // a rare huge page's buffer is not kept
			*buf = plain
			htmlBuffers.Put(buf)
		}
	}()
	if err != nil {
		return err
	}
	last := 0
	var scratch []byte
	for _, h := range d.holes {
		if int(h.off) < last {
			continue // inside a tag left out
		}
		if _, err := w.Write(plain[last:h.off]); err != nil {
			return err
		}
		last = int(h.off)
		scratch = scratch[:0]
		switch h.kind {
		case holeOpen, holeClose:
			if d.Links[h.at].plain {
				last = int(h.end)
			}
			continue
		case holeHref:
			scratch = appendDest(scratch, []byte(d.Links[h.at].Target()), d.unsafe)
		case holeRef:
			scratch = appendRef(scratch, d.Refs[h.at])
		case holeRawDest:
			scratch = appendEscaped(scratch, d.Links[h.at].Target())
		}
		if _, err := w.Write(scratch); err != nil {
			return err
		}
	}
	_, err = w.Write(plain[last:])
	return err
}

// htmlBuffers hold a document's HTML unpacked while it is filled in.
var htmlBuffers = sync.Pool{New: func() any { return new([]byte) }}

// destHole writes a link's destination: a hole when rendering at parse
// time, the destination itself otherwise.
func destHole(w util.BufWriter, n ast.Node, dest []byte, unsafe bool) {
	if hw, ok := w.(*holeWriter); ok {
		if l := hw.doc.linkOf[n]; l != nil {
			hw.hole(hole{kind: holeHref, at: l.at})
			return
		}
	}
	_, _ = w.Write(appendDest(nil, dest, unsafe))
}

// appendDest appends a link destination escaped as goldmark escapes it,
// or nothing for a dangerous URL (javascript: and the like) unless unsafe.
func appendDest(b, dest []byte, unsafe bool) []byte {
	d := util.URLEscape(dest, true)
	if unsafe || !ghtml.IsDangerousURL(d) {
		b = append(b, util.EscapeHTML(d)...)
	}
	return b
}

// appendRef appends a [[reference]]: a link titled with its target, or a
// marked span when it did not resolve.
// InternalPage is what a Plain reference without a label shows.
const InternalPage = "an internal page"

func appendRef(b []byte, r *RefInfo) []byte {
	if r.Plain {
		// The target names a page left out: its name is not shown either.
		text := r.Label
		if text == "" {
			text = InternalPage
		}
		return fmt.Appendf(b, "<span class=\"ref\">%s</span>", html.EscapeString(text))
	}
	if r.Resolved {
		return fmt.Appendf(b, "<a class=\"ref\" href=\"%s\">%s</a>", html.EscapeString(r.URL), html.EscapeString(r.Display()))
	}
	return fmt.Appendf(b, "<span class=\"ref ref-broken\" title=\"unresolved reference\">%s</span>", html.EscapeString(r.Display()))
}

func (r *nodeRenderer) renderLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !r.unsafe && !destAllowed(n.Destination, false) {
		return ast.WalkContinue, nil // its text alone, as on GitHub
	}
	if hw, ok := w.(*holeWriter); ok && hw.doc.linkOf[n] != nil {
		// The tag is a hole of its own, left out if the link is unlinked;
		// its end is known once it is written.
		kind := holeOpen
		if !entering {
			kind = holeClose
		}
		i := len(hw.doc.holes)
		hw.hole(hole{kind: kind, at: hw.doc.linkOf[n].at})
		defer func() { hw.doc.holes[i].end = int32(hw.buf.Len()) }()
	}
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	destHole(w, n, n.Destination, r.unsafe)
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(n.Title))
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		ghtml.RenderAttributes(w, n, ghtml.LinkAttributeFilter)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	if r.unsafe || destAllowed(n.Destination, true) {
		_, _ = w.WriteString(`<img src="`)
		destHole(w, n, n.Destination, r.unsafe)
		_, _ = w.WriteString(`" alt="`)
	} else {
		_, _ = w.WriteString(`<img alt="`) // its src removed
	}
	_, _ = w.Write(util.EscapeHTML(altText(n, src)))
	_ = w.WriteByte('"')
	if n.Title != nil {
		_, _ = w.WriteString(` title="`)
		_, _ = w.Write(util.EscapeHTML(n.Title))
		_ = w.WriteByte('"')
	}
	if n.Attributes() != nil {
		ghtml.RenderAttributes(w, n, ghtml.ImageAttributeFilter)
	}
	_, _ = w.WriteString(" />")
	return ast.WalkSkipChildren, nil
}

// altText is the text of an image's description, as goldmark renders it.
func altText(n ast.Node, src []byte) []byte {
	var b []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b = append(b, c.Value(src)...)
		case *ast.String:
			b = append(b, c.Value...)
		default:
			b = append(b, altText(c, src)...)
		}
	}
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return b
}
