package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// KindRef is the node kind of a [[short reference]].
var KindRef = ast.NewNodeKind("Ref")

// Ref is the AST node of a short reference: [[adr-7]],
// [[runbook:db-failover]], [[Page title]] or [[target|label]]. What it
// renders is its Info, which the site resolves.
type Ref struct {
	ast.BaseInline
	Info *RefInfo
}

// Kind implements ast.Node.
func (r *Ref) Kind() ast.NodeKind { return KindRef }

// Dump implements ast.Node.
func (r *Ref) Dump(source []byte, level int) {
	ast.DumpHelper(r, source, level, map[string]string{"Target": r.Info.Target, "Label": r.Info.Label}, nil)
}

// RefInfo is a short reference as written and, once resolved, what it
// points at. It holds no AST, so it outlives a released Document's tree.
type RefInfo struct {
	// Target is the reference as written between the brackets, without a
	// |label; Label is the text after "|", if any.
	Target string
	Label  string
	// Offset is the source offset of the opening brackets; Line and Col its
	// file position.
	Offset    int
	Line, Col int

	// URL and Title are set by Resolve; Resolved reports the target was
	// found.
	URL      string
	Title    string
	Resolved bool
	// Plain renders the reference as text, without a link: for a page the
	// build leaves out. It shows its label, or "an internal page": the
	// reference as written names the page. Set by MakePlain.
	Plain bool
	// doc is the reference's document (see Link.doc), at its place in
	// doc.Refs.
	doc *Document
	at  int32
}

// MakePlain renders the reference as text (Plain).
func (r *RefInfo) MakePlain() {
	r.Plain = true
	r.doc.forgetLinksSum()
}

// Display is what the reference shows: its label, the target's title, or
// the reference as written.
func (r *RefInfo) Display() string {
	switch {
	case r.Label != "":
		return r.Label
	case r.Title != "":
		return r.Title
	}
	return r.Target
}

// Resolve marks the reference as pointing at url, titled title.
func (r *RefInfo) Resolve(url, title string) {
	r.URL, r.Title, r.Resolved = url, title, true
	r.doc.forgetLinksSum()
}

type refParser struct{}

func (refParser) Trigger() []byte { return []byte{'['} }

func (refParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) < 5 || line[1] != '[' {
		return nil
	}
	end := bytes.Index(line[2:], []byte("]]"))
	if end <= 0 {
		return nil
	}
	if after := line[2+end+2:]; len(after) > 0 && after[0] == '(' {
		// [[1]](url): a link whose text is "[1]", as GitHub reads it.
		return nil
	}
	inner := string(line[2 : 2+end])
	if strings.ContainsAny(inner, "[]\n") || strings.TrimSpace(inner) == "" {
		return nil
	}
	target, label, _ := strings.Cut(inner, "|")
	info := refSlab.New()
	*info = RefInfo{Offset: seg.Start, Target: kept.Clone(strings.TrimSpace(target)), Label: kept.Clone(strings.TrimSpace(label))}
	block.Advance(2 + end + 2)
	return &Ref{Info: info}
}
