package importer

import (
	"net/url"
	"path"
	"regexp"
	"strings"
)

// link is a link destination written in Markdown: in an inline link or
// image, [text](dest "title"), or a reference definition, [id]: dest.
type link struct {
	// Line is the index of the line in the lines searched; Col the byte
	// offset of the destination in it, Start and End its bounds.
	Line, Start, End int
	Dest             string
	// Text is the link text of an inline link, TextStart and TextEnd its
	// bounds in the line; TextStart is -1 for a reference definition.
	Text               string
	TextStart, TextEnd int
	Image              bool
}

var refDef = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*(<[^>]*>|\S+)`)

// findLinks returns the links of lines, outside fenced code and code spans.
func findLinks(ls []string) []link {
	var out []link
	var f fence
	for i, l := range ls {
		if f.code(l) {
			continue
		}
		if m := refDef.FindStringSubmatchIndex(l); m != nil {
			s, e := m[2], m[3]
			if l[s] == '<' {
				s, e = s+1, e-1
			}
			out = append(out, link{Line: i, Start: s, End: e, Dest: l[s:e], TextStart: -1})
			continue
		}
		out = append(out, inlineLinks(i, l)...)
	}
	return out
}

// inlineLinks finds [text](dest) and ![alt](dest) in one line.
func inlineLinks(n int, l string) []link {
	var out []link
	code := codeSpans(l)
	for i := 0; i < len(l); i++ {
		if l[i] == '\\' {
			i++
			continue
		}
		if l[i] != '[' || inSpan(code, i) {
			continue
		}
		close := matchBracket(l, i)
		if close < 0 || close+1 >= len(l) || l[close+1] != '(' {
			continue
		}
		ds := close + 2
		for ds < len(l) && l[ds] == ' ' {
			ds++
		}
		var de int
		if ds < len(l) && l[ds] == '<' {
			end := strings.IndexByte(l[ds:], '>')
			if end < 0 {
				continue
			}
			ds, de = ds+1, ds+end
		} else {
			depth := 0
			de = ds
		dest:
			for ; de < len(l); de++ {
				switch l[de] {
				case '\\':
					de++
				case '(':
					depth++
				case ')':
					if depth == 0 {
						break dest
					}
					depth--
				case ' ', '\t':
					break dest
				}
			}
			if de > len(l) {
				de = len(l)
			}
		}
		if strings.IndexByte(l[de:], ')') < 0 {
			continue
		}
		out = append(out, link{Line: n, Start: ds, End: de, Dest: l[ds:de], Text: l[i+1 : close], TextStart: i + 1, TextEnd: close, Image: i > 0 && l[i-1] == '!'})
		i = de
	}
	return out
}

// matchBracket returns the index of the ] closing the [ at open, or -1.
func matchBracket(l string, open int) int {
	depth := 0
	for i := open; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '[':
			depth++
		case ']':
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// codeSpans returns the [start, end) byte ranges of the code spans of a
// line.
func codeSpans(l string) [][2]int {
	var out [][2]int
	for i := 0; i < len(l); {
		if l[i] != '`' {
			i++
			continue
		}
		j := i
		for j < len(l) && l[j] == '`' {
			j++
		}
		ticks := l[i:j]
		end := strings.Index(l[j:], ticks)
		if end < 0 {
			i = j
			continue
		}
		out = append(out, [2]int{i, j + end + len(ticks)})
		i = j + end + len(ticks)
	}
	return out
}

func inSpan(spans [][2]int, i int) bool {
	for _, s := range spans {
		if i >= s[0] && i < s[1] {
			return true
		}
	}
	return false
}

// rewriteLinks returns lines with each link's destination, and the text of
// inline links, replaced as fn says; fn returns ok false to leave a link.
func rewriteLinks(ls []string, fn func(l link) (dest, text string, ok bool)) []string {
	links := findLinks(ls)
	out := append([]string(nil), ls...)
	// Replace from the end of each line, so earlier offsets stay valid.
	for k := len(links) - 1; k >= 0; k-- {
		l := links[k]
		dest, text, ok := fn(l)
		if !ok {
			continue
		}
		s := out[l.Line]
		s = s[:l.Start] + dest + s[l.End:]
		if l.TextStart >= 0 && text != l.Text {
			s = s[:l.TextStart] + text + s[l.TextEnd:]
		}
		out[l.Line] = s
	}
	return out
}

// localTarget splits a link destination that names a file of the site
// (no scheme, no host, not only a fragment) into its path and the rest
// (#fragment or ?query); ok is false for any other destination.
func localTarget(dest string) (p, rest string, ok bool) {
	if dest == "" || strings.HasPrefix(dest, "#") {
		return "", "", false
	}
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(dest, "//") {
		return "", "", false
	}
	i := strings.IndexAny(dest, "#?")
	if i < 0 {
		return dest, "", true
	}
	return dest[:i], dest[i:], true
}

// resolveIn resolves a relative link path written in file from (both
// slash-separated, relative to one root); ok is false when it leaves the
// root or is absolute.
func resolveIn(from, target string) (string, bool) {
	if strings.HasPrefix(target, "/") {
		return "", false
	}
	if t, err := url.PathUnescape(target); err == nil {
		target = t
	}
	p := path.Join(path.Dir(from), target)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// relinker rewrites the relative links of files that an import moves, so
// that they still lead where they led. Moved maps a file's path in the
// input to its path in the destination; a file not in it keeps its path.
type relinker struct {
	plan  *Plan
	moved map[string]string
	// files are the input's files, when byName is set.
	files map[string]bool
	// byName, if set, gives the destination path of a link that names no
	// file of the input, as radars link their items (/tools/akka.html).
	byName func(p string) (string, bool)
}

// relink returns the lines of the file at from in the input (shown as
// name, its first line being file line first), written at to in the
// destination, with every relative link that leads to a file that moved,
// or that is written from a file that moved, rewritten. A link that
// leaves the input folder is reported: it may lead nowhere once imported.
func (r *relinker) relink(ls []string, first int, name, from, to string) []string {
	return rewriteLinks(ls, func(l link) (string, string, bool) {
		p, rest, ok := localTarget(l.Dest)
		if !ok {
			return "", "", false
		}
		target, inside := resolveIn(from, p)
		if r.byName != nil && (!inside || !r.files[target]) {
			if d, ok := r.byName(p); ok {
				return linkPath(relTo(to, d), p) + rest, l.Text, true
			}
		}
		if strings.HasPrefix(p, "/") {
			return "", "", false
		}
		if !inside {
			if r.plan != nil {
				r.plan.warnf(at(name, first+l.Line, l.Start+1), "link to %s leads outside the imported folder; check it after the import", l.Dest)
			}
			return "", "", false
		}
		dest := target
		if m, ok := r.moved[target]; ok {
			dest = m
		}
		if from == to && dest == target {
			return "", "", false
		}
		return linkPath(relTo(to, dest), p) + rest, l.Text, true
	})
}

// linkPath writes a relative path as a link destination, with the
// trailing slash of the link it replaces.
func linkPath(rel, was string) string {
	if strings.HasSuffix(was, "/") && !strings.HasSuffix(rel, "/") {
		rel += "/"
	}
	if strings.ContainsAny(rel, " ()<>") {
		rel = "<" + rel + ">"
	}
	return rel
}
