package markdown

import (
	"bytes"
	"regexp"
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// ids generates heading ids the way GitHub does, so anchors copied from a
// repository keep working: lower case, punctuation dropped, spaces to
// hyphens, "-1", "-2" appended to repeats. Explicit {#id} attributes are
// reserved as they are seen.
type ids struct {
	seen map[string]bool
}

func newIDs() *ids { return &ids{seen: map[string]bool{}} }

// Slug returns the GitHub-style slug of a heading text.
func Slug(s string) string {
	return string(slug(bytes.TrimSpace([]byte(s))))
}

func slug(value []byte) []byte {
	out := make([]byte, 0, len(value))
	for len(value) > 0 {
		r, n := utf8.DecodeRune(value)
		value = value[n:]
		switch {
		case r == ' ' || r == '-':
			out = append(out, '-')
		case r == '_' || unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r):
			out = utf8.AppendRune(out, unicode.ToLower(r))
		}
	}
	return out
}

// Generate is given a heading's Markdown source; its id is made from the
// text the heading shows, as GitHub does: link destinations, reference
// labels and HTML tags are not part of it.
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	base := slug(bytes.TrimSpace(visible(value)))
	if len(base) == 0 {
		base = []byte("section")
	}
	id := base
	for i := 1; s.seen[string(id)]; i++ {
		id = append(append(bytes.Clone(base), '-'), strconv.Itoa(i)...)
	}
	s.seen[string(id)] = true
	return id
}

func (s *ids) Put(value []byte) {
	s.seen[string(value)] = true
}

var (
	linkDestRE = regexp.MustCompile(`\]\((?:[^()]|\([^()]*\))*\)`)
	refLabelRE = regexp.MustCompile(`\]\[[^\]]*\]`)
	autoLinkRE = regexp.MustCompile(`<((?:[A-Za-z][A-Za-z0-9+.-]{1,31}:|[^\s<>@]+@)[^\s<>]*)>`)
	htmlTagRE  = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
)

// visible drops from a heading's Markdown what does not show: the
// destinations of [text](dest), the labels of [text][label] and HTML tags;
// autolinks show their URL.
func visible(md []byte) []byte {
	if bytes.Contains(md, []byte("](")) {
		md = linkDestRE.ReplaceAll(md, []byte("]"))
	}
	if bytes.Contains(md, []byte("][")) {
		md = refLabelRE.ReplaceAll(md, []byte("]"))
	}
	if bytes.IndexByte(md, '<') >= 0 {
		md = autoLinkRE.ReplaceAll(md, []byte("$1"))
		md = htmlTagRE.ReplaceAll(md, nil)
	}
	return md
}

var rawIDRE = regexp.MustCompile(`(?i)\s(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))`)

// rawIDs adds the id and name attributes found in raw HTML to set.
func rawIDs(html []byte, set map[string]bool) {
	for _, m := range rawIDRE.FindAllSubmatch(html, -1) {
		for _, g := range m[1:] {
			if len(g) > 0 {
				set[string(g)] = true
			}
		}
	}
}
