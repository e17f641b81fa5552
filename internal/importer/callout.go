package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MkDocs' admonitions (!!! note "Title") and Docusaurus' (:::note Title)
// become the site's callouts, GitHub's blockquotes that start with
// [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION]. A type of the
// other tool that names no callout is mapped to the nearest one, and
// keeps its own word as the callout's title (an untitled "!!! info" is
// "> [!NOTE] Info", as MkDocs titled it "Info"). A type not in the table
// is a NOTE titled with the type, and reported.

// calloutTypes maps admonition types of MkDocs (Python-Markdown and
// Material for MkDocs, with their aliases) and Docusaurus to callouts.
// "caution" is a warning in both tools (yellow, as GitHub's WARNING);
// "danger" and "error" are GitHub's CAUTION (red).
var calloutTypes = map[string]string{
	"note": "NOTE", "seealso": "NOTE", "abstract": "NOTE", "summary": "NOTE", "tldr": "NOTE",
	"info": "NOTE", "todo": "NOTE", "question": "NOTE", "help": "NOTE", "faq": "NOTE", "secondary": "NOTE",
	"tip": "TIP", "hint": "TIP", "success": "TIP", "check": "TIP", "done": "TIP",
	"important": "IMPORTANT", "warning": "WARNING", "caution": "WARNING", "attention": "WARNING",
	"danger": "CAUTION", "error": "CAUTION", "failure": "CAUTION", "fail": "CAUTION", "missing": "CAUTION", "bug": "CAUTION",
}

// callout returns the marker line of the callout for an admonition of
// type typ with the given title (titled false when it has none of its
// own), and whether the type is known.
func callout(typ, title string, titled bool) (marker string, known bool) {
	t := strings.ToLower(typ)
	c, known := calloutTypes[t]
	if !known {
		c = "NOTE"
	}
	if !titled && t != strings.ToLower(c) {
		title = capitalize(t)
	}
	marker = "[!" + c + "]"
	if title = strings.TrimSpace(title); title != "" {
		marker += " " + title
	}
	return marker, known
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// quote writes lines as the body of a blockquote at indent.
func quote(indent, marker string, body []string) []string {
	out := []string{indent + "> " + marker}
	// No blank lines at the ends of the quote.
	for len(body) > 0 && strings.TrimSpace(body[0]) == "" {
		body = body[1:]
	}
	for len(body) > 0 && strings.TrimSpace(body[len(body)-1]) == "" {
		body = body[:len(body)-1]
	}
	for _, l := range body {
		if strings.TrimSpace(l) == "" {
			out = append(out, indent+">")
			continue
		}
		out = append(out, indent+"> "+l)
	}
	return out
}

// srcLine is a line of a file being converted, with where its text starts
// in the file (an admonition's body is read without its indentation).
type srcLine struct {
	text      string
	line, col int
}

func srcLines(ls []string, first int) []srcLine {
	out := make([]srcLine, len(ls))
	for i, l := range ls {
		out[i] = srcLine{text: l, line: first + i, col: 1}
	}
	return out
}

func texts(ls []srcLine) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return out
}

// indentWidth is the width of a line's leading white space, a tab
// counting to the next multiple of four.
func indentWidth(s string) int {
	w := 0
	for _, r := range s {
		switch r {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w
		}
	}
	return w
}

// dedent removes n columns of leading white space.
func dedent(l srcLine, n int) srcLine {
	w, i := 0, 0
	for i < len(l.text) && w < n {
		switch l.text[i] {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return srcLine{text: l.text[i:], line: l.line, col: l.col + i}
		}
		i++
	}
	text := l.text[i:]
	if w > n { // a tab spanning the cut
		text = strings.Repeat(" ", w-n) + text
	}
	return srcLine{text: text, line: l.line, col: l.col + i}
}

// output collects converted lines. Where a conversion takes lines out or
// puts lines in, it marks the place, and the blank lines that follow are
// not doubled.
type output struct {
	lines   []string
	squeeze bool
}

func (o *output) add(ls ...string) {
	for _, l := range ls {
		blank := strings.TrimSpace(l) == ""
		if blank && o.squeeze && (len(o.lines) == 0 || strings.TrimSpace(o.lines[len(o.lines)-1]) == "") {
			continue
		}
		if !blank {
			o.squeeze = false
		}
		o.lines = append(o.lines, l)
	}
}

// mark squeezes the blank lines that follow.
func (o *output) mark() { o.squeeze = true }
