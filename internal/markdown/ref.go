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

// Ref is a short reference: [[adr-7]], [[runbook:db-failover]],
// [[Page title]] or [[target|label]]. The site resolves it by setting URL
// and Title; an unresolved Ref renders as marked text.
type Ref struct {
	ast.BaseInline
	// Target is the reference as written between the brackets, without a
	// |label.
	Target string
	// Label is the text after "|", if any.
	Label string
	// Offset is the source offset of the opening brackets; Line and Col its
	// file position.
	Offset    int
	Line, Col int

	// URL and Title are set by the resolver; Resolved reports it found the
	// target.
	URL      string
	Title    string
	Resolved bool
}

// Kind implements ast.Node.
func (r *Ref) Kind() ast.NodeKind { return KindRef }

// Dump implements ast.Node.
func (r *Ref) Dump(source []byte, level int) {
	ast.DumpHelper(r, source, level, map[string]string{"Target": r.Target, "Label": r.Label}, nil)
}

// Display is what the reference shows: its label, the target's title, or the
// reference as written.
func (r *Ref) Display() string {
	switch {
	case r.Label != "":
		return r.Label
	case r.Title != "":
		return r.Title
	}
	return r.Target
}

// Resolve marks the reference as pointing at url, titled title.
func (r *Ref) Resolve(url, title string) {
	r.URL, r.Title, r.Resolved = url, title, true
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
	inner := string(line[2 : 2+end])
	if strings.ContainsAny(inner, "[]\n") || strings.TrimSpace(inner) == "" {
		return nil
	}
	r := &Ref{Offset: seg.Start}
	target, label, _ := strings.Cut(inner, "|")
	r.Target, r.Label = strings.TrimSpace(target), strings.TrimSpace(label)
	block.Advance(2 + end + 2)
	return r
}
