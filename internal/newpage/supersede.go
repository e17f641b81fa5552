package newpage

import (
	"bytes"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
)

// Supersede returns src, the file of an ADR (path as shown in messages),
// marked superseded by the ADR by: its status, wherever the ADR writes
// it, says so, and nothing else of the file changes.
//
//   - A status in front matter becomes "superseded", and superseded_by:
//     names by.ID on the line after it, unless the ADR names one already
//     (then note says so).
//   - A status in a "## Status" section, as adr-tools writes it, becomes
//     "Superseded by [8. Title](0008-title.md)", as adr-tools writes it.
//   - A "Status: accepted" line or bullet becomes "Status: Superseded by
//     [ADR-0008](0008-title.md)".
//   - Without a status, status: and superseded_by: are added to the front
//     matter, which is added when there is none.
//
// by.Link is the new ADR's file relative to this one's folder.
func Supersede(path string, src []byte, by ADRRef) (out []byte, note string, err error) {
	p, _ := page.Parse(path, src, page.KindADR, page.DefaultSchema())
	if p.ADR == nil {
		return nil, "", fmt.Errorf("%s is not an ADR", path)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	fail := func(why string) error {
		return fmt.Errorf("%s: cannot mark it superseded: %s; change its status by hand", path, why)
	}
	switch p.ADR.StatusFrom {
	case "front matter":
		out, note, err = supersedeField(src, lines, by)
		if err != nil {
			return nil, "", fail(err.Error())
		}
	case "section", "bullet", "line":
		pos := p.Fields["status"]
		if pos.Line < 1 || pos.Line > len(lines) {
			return nil, "", fail("its status is not where it was read")
		}
		line := string(lines[pos.Line-1])
		start := pos.Col - 1
		raw := p.ADR.RawStatus
		if start < 0 || start > len(line) || !strings.HasPrefix(line[start:], raw) {
			return nil, "", fail("its status is not where it was read")
		}
		word := "superseded by"
		if r, _ := utf8.DecodeRuneInString(strings.TrimLeft(raw, "*_[ ")); unicode.IsUpper(r) || p.ADR.StatusFrom == "section" {
			word = "Superseded by"
		}
		link := fmt.Sprintf("%s [%s](%s)", word, by.ID, by.Link)
		if p.ADR.StatusFrom == "section" {
			link = fmt.Sprintf("%s [%d. %s](%s)", word, by.Number, escapeLinkText(by.Title), by.Link)
		}
		lines[pos.Line-1] = []byte(line[:start] + link + line[start+len(raw):])
		out = bytes.Join(lines, nil)
	default:
		// No status at all (MADR's is optional): add one.
		fm, _, bodyLine := page.Split(src)
		add := "status: superseded\nsuperseded_by: " + by.ID + "\n"
		if fm.Format == "yaml" && fm.Closed {
			eol := eolOf(lines[0])
			add = strings.ReplaceAll(add, "\n", eol)
			i := bodyLine - 2 // the closing fence
			out = bytes.Join(append(lines[:i:i], append([][]byte{[]byte(add)}, lines[i:]...)...), nil)
		} else if fm.Format == "" {
			bom := []byte("\xef\xbb\xbf")
			rest := bytes.TrimPrefix(src, bom)
			out = append(append(src[:len(src)-len(rest):len(src)-len(rest)], "---\n"+add+"---\n"...), rest...)
		} else {
			return nil, "", fail("its front matter is not YAML")
		}
	}
	q, _ := page.Parse(path, out, page.KindADR, page.DefaultSchema())
	if q.ADR == nil || q.ADR.Status != "superseded" {
		return nil, "", fail("its status would not read as superseded")
	}
	return out, note, nil
}

// supersedeField changes the front-matter status of src to superseded
// and adds superseded_by: after it.
func supersedeField(src []byte, lines [][]byte, by ADRRef) ([]byte, string, error) {
	fm, _, _ := page.Split(src)
	var doc yaml.Node
	if err := yaml.Unmarshal(fm.Raw, &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, "", fmt.Errorf("its front matter does not read")
	}
	m := doc.Content[0]
	var key, val *yaml.Node
	named := ""
	for i := 0; i+1 < len(m.Content); i += 2 {
		switch k := strings.ToLower(m.Content[i].Value); k {
		case "status":
			key, val = m.Content[i], m.Content[i+1]
		case "superseded_by", "superseded-by", "supersededby", "replaced_by":
			named = m.Content[i].Value
		}
	}
	if val == nil || val.Kind != yaml.ScalarNode || val.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return nil, "", fmt.Errorf("its status is not a one-line value")
	}
	n := fm.Line + val.Line - 1
	if n < 1 || n > len(lines) {
		return nil, "", fmt.Errorf("its status is not where it was read")
	}
	line := string(lines[n-1])
	start := runeOffset(line, val.Column-1)
	end := valueEnd(line, start)
	if end < 0 {
		return nil, "", fmt.Errorf("its status is not a one-line value")
	}
	lines[n-1] = []byte(line[:start] + "superseded" + line[end:])
	note := ""
	if named == "" {
		indent := strings.Repeat(" ", key.Column-1)
		add := []byte(indent + "superseded_by: " + by.ID + eolOf(lines[n-1]))
		lines = append(lines[:n:n], append([][]byte{add}, lines[n:]...)...)
	} else {
		note = fmt.Sprintf("it names %s: already; add %s to it", named, by.ID)
	}
	return bytes.Join(lines, nil), note, nil
}

// valueEnd returns the byte offset in line where the YAML scalar that
// starts at start ends (before a comment and trailing blanks), or -1 when
// it does not end on the line.
func valueEnd(line string, start int) int {
	if start >= len(line) {
		return -1
	}
	switch line[start] {
	case '"':
		for i := start + 1; i < len(line); i++ {
			switch line[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return -1
	case '\'':
		for i := start + 1; i < len(line); i++ {
			if line[i] == '\'' {
				if i+1 < len(line) && line[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
		return -1
	}
	end := len(strings.TrimRight(line, "\r\n"))
	if j := strings.Index(line[start:end], " #"); j >= 0 {
		end = start + j
	}
	return len(strings.TrimRight(line[:end], " \t"))
}

// runeOffset is the byte offset of the n-th rune (from 0) of s.
func runeOffset(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return len(s)
}

// eolOf is the line ending of line: "\r\n" or "\n".
func eolOf(line []byte) string {
	if bytes.HasSuffix(line, []byte("\r\n")) {
		return "\r\n"
	}
	return "\n"
}

// escapeLinkText escapes the brackets of text for a Markdown link's text.
func escapeLinkText(s string) string {
	return strings.NewReplacer(`[`, `\[`, `]`, `\]`).Replace(s)
}
