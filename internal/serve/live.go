package serve

import (
	"bytes"
	_ "embed"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"
)

// liveJS is the client served at BASE__handbook/live.js.
//
//go:embed live.js
var liveJS []byte

const draftsBanner = `<div id="handbook-drafts" role="status" style="position:fixed;left:8px;bottom:8px;` +
	`z-index:2147483646;margin:0;padding:2px 8px;border-radius:4px;background:#ffd33d;color:#1b1b1b;` +
	`font:600 12px/1.6 system-ui,sans-serif;pointer-events:none;opacity:.92">Preview: drafts are shown</div>`

const buildingPage = `<!doctype html><meta charset="utf-8"><title>Building…</title>` +
	`<p style="font:16px system-ui,sans-serif;margin:2em">Building the site… this page reloads by itself.</p>`

const notFoundPage = `<!doctype html><meta charset="utf-8"><title>404 page not found</title>` +
	`<p style="font:16px system-ui,sans-serif;margin:2em">404 page not found. ` +
	`This page reloads by itself if it is created.</p>`

// snippet is the markup injected into every HTML page.
func (s *Server) snippet(build int, hash string, drafts bool) []byte {
	b := make([]byte, 0, 256+len(draftsBanner))
	if drafts {
		b = append(b, draftsBanner...)
	}
	b = append(b, `<script src="`...)
	b = append(b, s.liveSrc...)
	b = append(b, `" data-handbook-live data-build="`...)
	b = strconv.AppendInt(b, int64(build), 10)
	b = append(b, `" data-instance="`...)
	b = append(b, attrEscape(s.instance)...)
	b = append(b, `" data-hash="`...)
	b = append(b, attrEscape(hash)...)
	b = append(b, `" defer></script>`...)
	return b
}

func attrEscape(s string) string { return html.EscapeString(s) }

// inject returns page with snippet inserted before its last </body> tag, or
// appended when it has none. page is not modified.
func inject(page, snippet []byte) []byte {
	out := make([]byte, 0, len(page)+len(snippet))
	i := lastBodyClose(page)
	if i < 0 {
		out = append(out, page...)
		return append(out, snippet...)
	}
	out = append(out, page[:i]...)
	out = append(out, snippet...)
	return append(out, page[i:]...)
}

// lastBodyClose returns the index of the last "</body" end tag in b, in any
// case, or -1.
func lastBodyClose(b []byte) int {
	const tag = "</body"
	end := len(b)
	for {
		i := bytes.LastIndexByte(b[:end], '<')
		if i < 0 {
			return -1
		}
		if rest := b[i:]; len(rest) > len(tag) && strings.EqualFold(string(rest[:len(tag)]), tag) {
			switch rest[len(tag)] {
			case '>', ' ', '\t', '\n', '\r', '\f', '/':
				return i
			}
		}
		end = i
	}
}

// Excerpt returns the lines of src from line-around to line+around (lines
// count from 1), as Problem.Context wants them: without line endings, invalid
// UTF-8 replaced, lines longer than 300 bytes cut with "…". It returns nil
// when line is not in src.
func Excerpt(src []byte, line, around int) []Line {
	if line < 1 {
		return nil
	}
	lo, hi := max(1, line-around), line+around
	var out []Line
	for n := 1; len(src) > 0 && n <= hi; n++ {
		var l []byte
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			l, src = src[:i], src[i+1:]
		} else {
			l, src = src, nil
		}
		if n >= lo {
			out = append(out, Line{N: n, Text: excerptText(l)})
		}
	}
	if len(out) == 0 || out[len(out)-1].N < line {
		return nil
	}
	return out
}

func excerptText(l []byte) string {
	const limit = 300
	s := strings.TrimSuffix(string(l), "\r")
	cut := false
	if len(s) > limit {
		i := limit
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		s, cut = s[:i], true
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if cut {
		s += "…"
	}
	return s
}
