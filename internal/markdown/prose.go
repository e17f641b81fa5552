package markdown

import (
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Span is a range of Source, [Start, End). Its offsets are 32-bit: a
// document holds a span for each run of text and code, a preview holds
// every document, and a page is at most 8 MB (page.MaxSize); at 100,000
// pages, 80 MB less than with int offsets.
type Span struct{ Start, End int32 }

// Item is a list item or table row under a heading that ParseOptions.ItemsUnder
// names: the action items of a postmortem, for example.
type Item struct {
	// Section is the heading's text.
	Section string
	// Text is the item's plain text (a table row's cells joined by " | ").
	Text string
	// Header and Cells are a table row's column names and cells; nil for
	// list items.
	Header, Cells []string
	// Links are the destinations of the item's links and autolinks.
	Links []string
	// Line and Col are where the item starts in the file.
	Line, Col int
}

// addProse records the text of a Text or raw-HTML segment as prose,
// merging it with the previous span when only white space separates them,
// so that a phrase broken across lines is found whole.
func (d *Document) addProse(start, end int) {
	if end <= start {
		return
	}
	if n := len(d.Prose); n > 0 {
		last := &d.Prose[n-1]
		if int(last.End) <= start && isSpace(d.Source[last.End:start]) {
			last.End = int32(end)
			return
		}
	}
	d.Prose = append(d.Prose, Span{int32(start), int32(end)})
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

// inCode tells whether a Text node is the content of a code span.
func inCode(n ast.Node) bool {
	_, ok := n.Parent().(*ast.CodeSpan)
	return ok
}

// sections marks empty sections and collects the items under the headings
// named in under. A heading's section is empty when neither a block nor a
// deeper heading follows it before the next heading of its level or above;
// HTML comments do not count as content.
func (d *Document) sections(under []string) {
	type open struct {
		idx     int // index in d.Headings
		level   int
		content bool
	}
	var stack []open
	items := -1 // level of the heading whose items are collected, -1 none
	section := ""
	hi := 0
	for c := d.Root.FirstChild(); c != nil; c = c.NextSibling() {
		if h, ok := c.(*ast.Heading); ok {
			for len(stack) > 0 && stack[len(stack)-1].level >= h.Level {
				top := stack[len(stack)-1]
				d.Headings[top.idx].Empty = !top.content
				stack = stack[:len(stack)-1]
			}
			for i := range stack {
				stack[i].content = true
			}
			if items >= 0 && h.Level <= items {
				items = -1
			}
			if hi < len(d.Headings) {
				stack = append(stack, open{idx: hi, level: h.Level})
				text := strings.ToLower(d.Headings[hi].Text)
				for _, u := range under {
					if strings.HasPrefix(text, u) {
						items, section = h.Level, d.Headings[hi].Text
					}
				}
				hi++
			}
			continue
		}
		if b, ok := c.(*ast.HTMLBlock); ok && b.HTMLBlockType == ast.HTMLBlockType2 {
			continue
		}
		for i := range stack {
			stack[i].content = true
		}
		if items >= 0 {
			d.collectItems(c, section)
		}
	}
	for _, top := range stack {
		d.Headings[top.idx].Empty = !top.content
	}
}

func (d *Document) collectItems(n ast.Node, section string) {
	src := d.Source
	start := func(n ast.Node) (int, int) {
		if off := firstOffset(n); off >= 0 {
			return d.Pos(off)
		}
		return 0, 0
	}
	linksIn := func(n ast.Node) []string {
		var out []string
		links(n, func(c ast.Node) {
			switch c := c.(type) {
			case *ast.Link:
				out = append(out, string(c.Destination))
			case *ast.AutoLink:
				out = append(out, string(c.URL(src)))
			case *Ref:
				out = append(out, c.Info.Target)
			}
		})
		return out
	}
	switch n := n.(type) {
	case *TableWrap:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			d.collectItems(c, section)
		}
	case *ast.List:
		for li := n.FirstChild(); li != nil; li = li.NextSibling() {
			it := Item{Section: section, Text: plainText(li, src), Links: linksIn(li)}
			it.Line, it.Col = start(li)
			d.Items = append(d.Items, it)
		}
	case *east.Table:
		var header []string
		for row := n.FirstChild(); row != nil; row = row.NextSibling() {
			var cells []string
			for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
				cells = append(cells, plainText(cell, src))
			}
			if _, ok := row.(*east.TableHeader); ok {
				header = cells
				continue
			}
			it := Item{Section: section, Text: strings.Join(cells, " | "), Header: header, Cells: cells, Links: linksIn(row)}
			it.Line, it.Col = start(row)
			d.Items = append(d.Items, it)
		}
	}
}
