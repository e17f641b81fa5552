package markdown

import (
	"bytes"
	"fmt"
	"html"
	"strings"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// nodeRenderer renders handbook's nodes and replaces goldmark's renderers
// for code blocks (highlighting and a copy button) and raw HTML
// (sanitized unless unsafe, rawhtml.go).
type nodeRenderer struct {
	unsafe bool
}

var formatter = chromahtml.New(chromahtml.WithClasses(true), chromahtml.PreventSurroundingPre(true))

func (r *nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, r.renderCode)
	reg.Register(ast.KindCodeBlock, r.renderCode)
	reg.Register(KindCallout, r.renderCallout)
	reg.Register(KindTableWrap, r.renderTableWrap)
	reg.Register(KindRef, r.renderRef)
	reg.Register(KindTOC, r.renderTOC)
	reg.Register(ast.KindLink, r.renderLink)
	reg.Register(ast.KindImage, r.renderImage)
	reg.Register(ast.KindAutoLink, r.renderAutoLink)
	reg.Register(ast.KindHTMLBlock, r.renderRawHTML)
	reg.Register(ast.KindRawHTML, r.renderRawHTML)
}

func (r *nodeRenderer) renderCode(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	lang := ""
	if f, ok := n.(*ast.FencedCodeBlock); ok {
		if l := f.Language(src); l != nil {
			lang = strings.ToLower(string(l))
		}
	}
	// The code in one string of its exact size.
	lines := n.Lines()
	size := 0
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		size += seg.Len() + seg.Padding
	}
	var b strings.Builder
	b.Grow(size)
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(src))
	}
	code := b.String()
	label := lang
	if label == "" {
		label = "text"
	}
	fmt.Fprintf(w, "<div class=\"code\" data-lang=\"%s\"><button class=\"copy\" type=\"button\" aria-label=\"Copy code\" hidden>Copy</button>", html.EscapeString(label))
	w.WriteString(`<pre class="chroma"><code>`)
	if err := highlight(w, lang, code); err != nil {
		w.WriteString(html.EscapeString(code))
	}
	w.WriteString("</code></pre></div>\n")
	return ast.WalkSkipChildren, nil
}

func (r *nodeRenderer) renderCallout(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*Callout)
	if entering {
		fmt.Fprintf(w, "<div class=\"callout callout-%s\" role=\"note\">\n<p class=\"callout-title\">%s</p>\n", c.Variant, html.EscapeString(c.Title))
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderTableWrap(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		class := "table-wrap"
		if v, ok := n.AttributeString("class"); ok {
			if b, ok := v.([]byte); ok {
				class += " " + string(b)
			}
		}
		w.WriteString("<div class=\"" + class + "\">\n")
	} else {
		w.WriteString("</div>\n")
	}
	return ast.WalkContinue, nil
}

func (r *nodeRenderer) renderRef(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	ref := n.(*Ref).Info
	if hw, ok := w.(*holeWriter); ok {
		hw.hole(hole{kind: holeRef, at: ref.at})
		return ast.WalkSkipChildren, nil
	}
	_, _ = w.Write(appendRef(nil, ref))
	return ast.WalkSkipChildren, nil
}

// HighlightCSS returns the stylesheet for highlighted code in the named
// chroma style, scoped to .chroma.
func HighlightCSS(style string) ([]byte, error) {
	var b bytes.Buffer
	s := styles.Get(style)
	if err := formatter.WriteCSS(&b, s); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// renderAutoLink renders <https://…> and bare URLs as goldmark does, but
// one whose URL the allowlist removes (<javascript:…>) as its text alone,
// as a Markdown link is, instead of a link without a destination.
func (r *nodeRenderer) renderAutoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.AutoLink)
	if !entering {
		return ast.WalkContinue, nil
	}
	url := util.URLEscape(n.URL(src), false)
	label := n.Label(src)
	if n.AutoLinkType == ast.AutoLinkURL && !r.unsafe && !destAllowed(n.URL(src), false) {
		_, _ = w.Write(util.EscapeHTML(label))
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(url), []byte("mailto:")) {
		_, _ = w.WriteString("mailto:")
	}
	_, _ = w.Write(util.EscapeHTML(url))
	if n.Attributes() != nil {
		_ = w.WriteByte('"')
		ghtml.RenderAttributes(w, n, ghtml.LinkAttributeFilter)
		_ = w.WriteByte('>')
	} else {
		_, _ = w.WriteString(`">`)
	}
	_, _ = w.Write(util.EscapeHTML(label))
	_, _ = w.WriteString(`</a>`)
	return ast.WalkContinue, nil
}
