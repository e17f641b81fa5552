package page

import (
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// fastYAML reads the shapes almost every front matter is written in —
// top-level "key: value" lines whose values are plain or quoted scalars on
// one line, flow lists of them ("tags: [a, "b c"]") and block lists of them
// ("- item" lines under a "key:" line) — into the very tree yaml.v3 gives
// for them (kinds, tags, styles, values, lines and columns), without
// yaml.v3's scanner, parser and event machinery, which cost more than the
// rest of reading a page's front matter. ok is false for anything else
// (comments, tabs, nested mappings, multi-line or escaped scalars, anchors,
// numbers it does not settle, …): the caller then decodes with yaml.v3,
// which also reports every error. TestFastYAML compares the two.
func fastYAML(raw []byte) (doc *yaml.Node, ok bool) {
	if len(raw) == 0 {
		return nil, false
	}
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	var seq *yaml.Node // the block list being read, if any
	seqIndent := -1
	var pending *yaml.Node // a key whose value is on the following lines
	line := 0
	for off := 0; off < len(raw); {
		end := off
		for end < len(raw) && raw[end] != '\n' {
			end++
		}
		text := raw[off:end]
		off = end + 1
		line++
		if !plainLine(text) {
			return nil, false
		}
		if blank(text) {
			if line == 1 {
				return nil, false
			}
			continue
		}
		if text[0] == ' ' || text[0] == '-' {
			// A list item, under a "key:" line or another item.
			ind := 0
			for ind < len(text) && text[ind] == ' ' {
				ind++
			}
			if pending == nil && seq == nil || ind+2 > len(text) || text[ind] != '-' || text[ind+1] != ' ' {
				return nil, false
			}
			if seq == nil {
				seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line, Column: ind + 1}
				seqIndent = ind
				m.Content = append(m.Content, pending)
				pending = nil
			} else if ind != seqIndent {
				return nil, false
			}
			v := ind + 2
			for v < len(text) && text[v] == ' ' {
				v++
			}
			stop := trimRight(text, len(text))
			if v >= stop {
				return nil, false
			}
			item, ok := scalar(text, v, stop, line)
			if !ok {
				return nil, false
			}
			seq.Content = append(seq.Content, item)
			continue
		}
		if pending != nil {
			return nil, false // an empty value: yaml.v3 places its null
		}
		if seq != nil {
			m.Content = append(m.Content, seq)
			seq, seqIndent = nil, -1
		}
		// key: value
		k := 0
		if !keyStart(text[0]) {
			return nil, false
		}
		for k < len(text) && keyByte(text[k]) {
			k++
		}
		if k == len(text) || text[k] != ':' || k > 1000 { // yaml.v3 takes keys up to 1024 characters
			return nil, false
		}
		key := &yaml.Node{Kind: yaml.ScalarNode, Value: kept.String(text[:k]), Line: line, Column: 1}
		if key.Tag, ok = plainTag(key.Value); !ok {
			return nil, false
		}
		v := k + 1
		if v < len(text) && text[v] != ' ' {
			return nil, false
		}
		for v < len(text) && text[v] == ' ' {
			v++
		}
		stop := trimRight(text, len(text))
		if v >= stop {
			pending = key
			continue
		}
		var val *yaml.Node
		if text[v] == '[' {
			val, ok = flowList(text, v, stop, line)
		} else {
			val, ok = scalar(text, v, stop, line)
		}
		if !ok {
			return nil, false
		}
		m.Content = append(m.Content, key, val)
	}
	if pending != nil {
		return nil, false
	}
	if seq != nil {
		m.Content = append(m.Content, seq)
	}
	if len(m.Content) == 0 {
		return nil, false
	}
	return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1, Content: []*yaml.Node{m}}, true
}

// plainLine reports whether a line holds only what the fast path reads:
// no tab, carriage return, '#' (a comment, or text yaml.v3 is left to
// tell from one) or backslash (an escape in double quotes), and only
// characters YAML prints as they are (no control characters, byte-order
// marks or the line separators NEL, LS and PS). Anchors, aliases, tags and
// block scalars are turned away where a scalar starts (plainStart).
func plainLine(text []byte) bool {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '#' || c == '\\' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(text[i:])
		if r == utf8.RuneError || r < 0xA0 || r == 0x2028 || r == 0x2029 || r >= 0xD800 && r < 0xE000 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF {
			return false
		}
		i += n
	}
	return true
}

func blank(text []byte) bool {
	for _, c := range text {
		if c != ' ' {
			return false
		}
	}
	return true
}

// trimRight returns end moved back over trailing spaces.
func trimRight(text []byte, end int) int {
	for end > 0 && text[end-1] == ' ' {
		end--
	}
	return end
}

func keyStart(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' }

func keyByte(c byte) bool { return keyStart(c) || '0' <= c && c <= '9' || c == '-' }

// column is the YAML column of byte offset i of a line: characters, not
// bytes, from 1.
func column(text []byte, i int) int { return 1 + utf8.RuneCount(text[:i]) }

// scalar reads the scalar text[v:stop] (stop is past its last non-space
// byte), plain or quoted, on one line and in block context.
func scalar(text []byte, v, stop, line int) (*yaml.Node, bool) {
	n := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: column(text, v)}
	switch c := text[v]; c {
	case '"', '\'':
		if stop-v < 2 || text[stop-1] != c {
			return nil, false
		}
		in := text[v+1 : stop-1]
		for _, b := range in {
			if b == c {
				return nil, false // an escaped quote, or two scalars
			}
		}
		n.Value, n.Tag = kept.String(in), "!!str"
		n.Style = yaml.DoubleQuotedStyle
		if c == '\'' {
			n.Style = yaml.SingleQuotedStyle
		}
		return n, true
	}
	s := text[v:stop]
	if !plainStart(s[0]) {
		return nil, false
	}
	for i, b := range s {
		// ": " or a final ":" would start a mapping; " #" a comment.
		if b == ':' && (i+1 == len(s) || s[i+1] == ' ') {
			return nil, false
		}
	}
	n.Value = kept.String(s)
	var ok bool
	n.Tag, ok = plainTag(n.Value)
	return n, ok
}

// plainStart reports whether a plain scalar may start with c without c
// being a YAML indicator or a sign the fast path leaves to yaml.v3.
func plainStart(c byte) bool {
	return keyStart(c) || '0' <= c && c <= '9' || c == '/' || c == '(' || c == '$' || c == '~' || c == '^' || c >= utf8.RuneSelf
}

// flowList reads a list written "[a, b, "c d"]" on one line: text[v] is
// its '[' and text[stop-1] must be its ']'.
func flowList(text []byte, v, stop, line int) (*yaml.Node, bool) {
	if text[stop-1] != ']' {
		return nil, false
	}
	n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: line, Column: column(text, v)}
	i := v + 1
	for i < stop-1 && text[i] == ' ' {
		i++
	}
	if i == stop-1 {
		return n, true // []
	}
	for {
		// An item runs to the next ',' or the final ']'.
		j := i
		for j < stop-1 && text[j] != ',' {
			if text[j] == '[' || text[j] == ']' || text[j] == '{' || text[j] == '}' || text[j] == ':' {
				return nil, false
			}
			j++
		}
		e := trimRight(text[:j], j)
		if e <= i {
			return nil, false // an empty item: [a, , b] or [a,]
		}
		if (text[i] == '"' || text[i] == '\'') && text[e-1] != text[i] {
			return nil, false // a quoted item holding a comma
		}
		item, ok := scalar(text, i, e, line)
		if !ok {
			return nil, false
		}
		if item.Style == 0 && (text[i] == '"' || text[i] == '\'') {
			return nil, false
		}
		n.Content = append(n.Content, item)
		if j == stop-1 {
			return n, true
		}
		i = j + 1
		for i < stop-1 && text[i] == ' ' {
			i++
		}
		if i == stop-1 {
			return nil, false // a trailing comma
		}
	}
}

// plainTag is the tag yaml.v3 resolves a plain scalar to, for the values
// the fast path settles: ok is false for the others (floats, numbers
// written in other bases, signs, …).
func plainTag(s string) (tag string, ok bool) {
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool", true
	case "~", "null", "Null", "NULL":
		return "!!null", true
	}
	c := s[0]
	if c < '0' || c > '9' {
		if c == '+' || c == '-' || c == '.' || c == '<' {
			return "", false
		}
		return "!!str", true
	}
	if isTimestamp(s) {
		return "!!timestamp", true
	}
	digits := 0
	for digits < len(s) && '0' <= s[digits] && s[digits] <= '9' {
		digits++
	}
	if digits == len(s) {
		// A decimal integer that fits in an int64.
		if len(s) <= 18 && (s[0] != '0' || len(s) == 1) {
			return "!!int", true
		}
		return "", false
	}
	if s[0] == '0' {
		return "", false // 0x1f, 0o17, 0b1, 0.5, …
	}
	// Digits then letters only ("90d", "6mo", "2nd"): never a number.
	for _, b := range []byte(s[digits:]) {
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z') {
			return "", false
		}
	}
	return "!!str", true
}

// timestampFormats are those yaml.v3 resolves a plain scalar with.
var timestampFormats = []string{
	"2006-1-2T15:4:5.999999999Z07:00",
	"2006-1-2t15:4:5.999999999Z07:00",
	"2006-1-2 15:4:5.999999999",
	"2006-1-2",
}

// isTimestamp reports whether yaml.v3 reads a plain scalar as a
// timestamp: four digits, a '-', and one of its formats.
func isTimestamp(s string) bool {
	if len(s) < 5 || s[4] != '-' {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	for _, f := range timestampFormats {
		if _, err := time.Parse(f, s); err == nil {
			return true
		}
	}
	return false
}
