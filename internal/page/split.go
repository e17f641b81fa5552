package page

import (
	"bytes"
)

// FrontMatter is the raw front matter of a file and where it sits.
type FrontMatter struct {
	// Format is "yaml", "toml" or "" when the file has none.
	Format string
	// Raw is the text between the fences.
	Raw []byte
	// Line is the file line of the first byte of Raw (the line after the
	// opening fence).
	Line int
	// Closed is false when the opening fence has no closing fence; then Raw
	// is empty and the whole file is body.
	Closed bool
}

// Split separates front matter from the body. The body keeps its place in
// the file: bodyLine is the file line its first byte is on, so a position in
// the body maps back by adding bodyLine-1. A UTF-8 byte-order mark is
// skipped.
func Split(src []byte) (fm FrontMatter, body []byte, bodyLine int) {
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	fence, format := "", ""
	switch {
	case hasFence(src, "---"):
		fence, format = "---", "yaml"
	case hasFence(src, "+++"):
		fence, format = "+++", "toml"
	default:
		return FrontMatter{}, src, 1
	}
	first := bytes.IndexByte(src, '\n')
	if first < 0 {
		return FrontMatter{Format: format, Line: 1}, src, 1
	}
	line := 2
	for off := first + 1; off < len(src); {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			next = off + end + 1
		}
		text := bytes.TrimRight(src[off:next], " \t\r\n")
		if string(text) == fence || (format == "yaml" && string(text) == "...") {
			return FrontMatter{Format: format, Raw: src[first+1 : off], Line: 2, Closed: true}, src[next:], line + 1
		}
		off = next
		line++
	}
	return FrontMatter{Format: format, Line: 1}, src, 1
}

func hasFence(src []byte, fence string) bool {
	if !bytes.HasPrefix(src, []byte(fence)) {
		return false
	}
	rest := src[len(fence):]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		i = len(rest)
	}
	return len(bytes.TrimSpace(rest[:i])) == 0
}
