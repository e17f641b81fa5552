package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/extlink"
	"github.com/handbook-dev/handbook/internal/site"
)

// configRule is the rule id every problem with handbook.yaml carries.
const configRule = "config"

// configReader reads handbook.yaml, node by node, into a site
// configuration and the settings of check --external. It never stops at a
// problem: each is added to diags at the position of its key or value, and
// the reading goes on with the next key.
type configReader struct {
	file  string // the name positions carry
	lines [][]byte
	cfg   *site.Config
	ext   externalConfig
	// ignoreFile is the value of check.external.ignore_file, where
	// problems with that file are reported; nil when not given.
	ignoreFile *yaml.Node
	// visits counts the nodes looked at, to bound what aliases can make
	// of a small file.
	visits, maxVisits int
	// rings are the profiles' evaluation statuses, checked against the
	// radar's rings once the whole file is read.
	rings []ringRef
	diags diag.List
}

// field is a key a section of handbook.yaml may have and what reads its
// value; at is the key's dotted path (check.external.timeout), for
// messages.
type field struct {
	key  string
	read func(v *yaml.Node, at string)
}

// entry is one key of a mapping with its value.
type entry struct{ key, value *yaml.Node }

func newConfigReader(file string, cfg *site.Config) *configReader {
	return &configReader{file: file, cfg: cfg}
}

var (
	yamlErrLine   = regexp.MustCompile(`^yaml: line (\d+): `)
	yamlErrAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// yamlParserProblems are the syntax errors yaml.v3's parser (not its
// scanner) reports: it counts their line from 0, the scanner's from 1.
var yamlParserProblems = []string{
	"did not find expected <stream-start>", "did not find expected <document start>",
	"did not find expected node content", "did not find expected '-' indicator",
	"did not find expected key", "did not find expected ',' or ']'", "did not find expected ',' or '}'",
	"found undefined tag handle", "found duplicate %YAML directive", "found duplicate %TAG directive",
	"found incompatible YAML document",
}

// read reads src, the text of the file. It reads one YAML document; a
// syntax error ends the reading, for the structure is unknown after it.
func (r *configReader) read(src []byte) {
	r.lines = bytes.Split(src, []byte("\n"))
	r.maxVisits = 10000 + 4*len(src)
	dec := yaml.NewDecoder(bytes.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if !errors.Is(err, io.EOF) { // an empty file is no file
			r.syntaxError(err, src)
		}
		return
	}
	if len(doc.Content) > 0 {
		r.top(doc.Content[0])
	}
	r.checkRings()
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		r.syntaxError(err, src)
	case len(next.Content) > 0 && r.value(next.Content[0]) != nil:
		r.errorf(next.Content[0], "a second YAML document; handbook.yaml is one mapping of keys, and the rest would be ignored")
	}
}

// syntaxError reports what the YAML parser found. yaml.v3 has no error
// type for it: the line, when there is one, is in its message, and there
// is no column. Without a line, the error is an unknown anchor or a
// character YAML does not allow, which are looked for in src.
func (r *configReader) syntaxError(err error, src []byte) {
	msg, pos := err.Error(), r.at(1, 1)
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
		if slices.Contains(yamlParserProblems, msg) {
			line++
		}
		pos = r.at(line, 1)
	} else if m := yamlErrAnchor.FindStringSubmatch(msg); m != nil {
		if off := findAlias(src, m[1]); off >= 0 {
			pos = r.offset(off)
		}
	} else if off := firstNonYAML(src); off >= 0 {
		pos = r.offset(off)
	}
	r.diags.Errorf(pos, configRule, "not valid YAML: %s", strings.TrimPrefix(msg, "yaml: "))
}

// offset is the position of a byte offset in the file.
func (r *configReader) offset(off int) diag.Position {
	line, rest := 1, off
	for _, l := range r.lines {
		if rest <= len(l) {
			break
		}
		line, rest = line+1, rest-len(l)-1
	}
	return diag.Position{File: r.file, Line: line, Col: rest + 1}
}

// findAlias returns the offset of the first alias *name in src, or -1.
func findAlias(src []byte, name string) int {
	for from := 0; ; {
		i := bytes.Index(src[from:], []byte("*"+name))
		if i < 0 {
			return -1
		}
		i += from
		end := i + 1 + len(name)
		if end == len(src) || bytes.IndexByte([]byte(" \t\r\n,]}"), src[end]) >= 0 {
			return i
		}
		from = i + 1
	}
}

// firstNonYAML returns the offset of the first byte that is not UTF-8 or
// of the first character YAML does not allow in a file, or -1.
func firstNonYAML(src []byte) int {
	for i := 0; i < len(src); {
		c, n := utf8.DecodeRune(src[i:])
		ok := c == '\t' || c == '\n' || c == '\r' || c >= 0x20 && c <= 0x7e || c == 0x85 ||
			c >= 0xa0 && c <= 0xd7ff || c >= 0xe000 && c <= 0xfffd || c >= 0x10000 && c <= 0x10ffff
		if c == utf8.RuneError && n <= 1 || !ok {
			return i
		}
		i += n
	}
	return -1
}

// at is the position of line and col as the YAML parser counts them: col
// in characters, turned into bytes as diag.Position counts them.
func (r *configReader) at(line, col int) diag.Position {
	line, col = min(max(line, 1), max(len(r.lines), 1)), max(col, 1)
	if line <= len(r.lines) {
		text, n := r.lines[line-1], 1
		for i := 1; i < col && len(text) > 0; i++ {
			_, size := utf8.DecodeRune(text)
			text, n = text[size:], n+size
		}
		col = n
	}
	return diag.Position{File: r.file, Line: line, Col: col}
}

func (r *configReader) pos(n *yaml.Node) diag.Position { return r.at(n.Line, n.Column) }

func (r *configReader) errorf(n *yaml.Node, format string, args ...any) {
	r.diags.Errorf(r.pos(n), configRule, format, args...)
}

// value follows an alias to the node it names and returns it, or nil for
// a null (a key given without a value is a key not given).
func (r *configReader) value(v *yaml.Node) *yaml.Node {
	written := v
	for i := 0; v != nil && v.Kind == yaml.AliasNode && i < 8; i++ {
		v = v.Alias
	}
	if r.visits++; r.visits == r.maxVisits {
		r.errorf(written, "the aliases of handbook.yaml make too many values; write the values out")
	}
	if v == nil || v.Kind == yaml.AliasNode || r.visits >= r.maxVisits ||
		v.Kind == yaml.ScalarNode && v.ShortTag() == "!!null" || v.Kind == 0 {
		return nil
	}
	return v
}

// key follows an alias written as a key. A null key is a name too.
func (r *configReader) key(k *yaml.Node) *yaml.Node {
	if k.Kind == yaml.AliasNode {
		if v := r.value(k); v != nil {
			return v
		}
	}
	return k
}

// section reads the mapping v: each key of fields by its read, every other
// key reported with the nearest known one.
func (r *configReader) section(v *yaml.Node, at string, fields []field) {
	for _, e := range r.entries(v, at) {
		i := slices.IndexFunc(fields, func(f field) bool { return f.key == e.key.Value })
		if i < 0 {
			r.unknownKey(e.key, at, fields)
			continue
		}
		fields[i].read(e.value, join(at, e.key.Value))
	}
}

func (r *configReader) unknownKey(k *yaml.Node, at string, fields []field) {
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.key
	}
	hint := "the keys are " + strings.Join(names, ", ")
	if len(names) == 1 {
		hint = "the only key is " + names[0]
	}
	if near := diag.Nearest(k.Value, names); near != "" {
		hint = fmt.Sprintf("did you mean %q?", near)
	}
	r.errorf(k, "%sunknown key %q; %s", prefix(at), k.Value, hint)
}

// entries returns the keys of the mapping v with their values, in the
// order written, then those merged in with "<<" that are not written. It
// reports a v that is not a mapping, a key that is not a name and a key
// given twice.
func (r *configReader) entries(v *yaml.Node, at string) []entry {
	m := r.value(v)
	if m == nil {
		return nil
	}
	if m.Kind != yaml.MappingNode {
		what := prefix(at)
		if at == "" {
			what = "handbook.yaml "
		}
		r.errorf(v, "%smust be a mapping of keys to values, not %s", what, describe(m))
		return nil
	}
	var out []entry
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := r.key(m.Content[i])
		switch {
		case k.Kind != yaml.ScalarNode:
			r.errorf(m.Content[i], "%sa key must be a name, not %s", prefix(at), describe(k))
		case isMerge(k):
			continue
		case seen[k.Value] != nil:
			r.errorf(k, "%skey %q is given twice (first on line %d)", prefix(at), k.Value, r.pos(seen[k.Value]).Line)
		default:
			seen[k.Value] = k
			out = append(out, entry{k, m.Content[i+1]})
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if isMerge(r.key(m.Content[i])) {
			out = r.merge(out, seen, m.Content[i+1], at, 0)
		}
	}
	return out
}

// merge adds the keys of the mapping, or list of mappings, that "<<"
// names to out, but for those seen already.
func (r *configReader) merge(out []entry, seen map[string]*yaml.Node, v *yaml.Node, at string, depth int) []entry {
	src := r.value(v)
	switch {
	case src == nil:
		return out
	case depth > 4:
		r.errorf(v, "%s<< merges too deep", prefix(at))
		return out
	case src.Kind == yaml.SequenceNode:
		for _, item := range src.Content {
			out = r.merge(out, seen, item, at, depth+1)
		}
		return out
	case src.Kind != yaml.MappingNode:
		r.errorf(v, "%s<< must name a mapping or a list of mappings, not %s", prefix(at), describe(src))
		return out
	}
	for i := 0; i+1 < len(src.Content); i += 2 {
		k := r.key(src.Content[i])
		switch {
		case k.Kind != yaml.ScalarNode:
			continue // reported where the mapping is written
		case isMerge(k):
			out = r.merge(out, seen, src.Content[i+1], at, depth+1)
		case seen[k.Value] == nil:
			seen[k.Value] = k
			out = append(out, entry{k, src.Content[i+1]})
		}
	}
	return out
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && k.ShortTag() == "!!merge"
}

// str reads a single value as a string; ok is false when it is missing or
// not a single value.
func (r *configReader) str(v *yaml.Node, at string) (s string, ok bool) {
	n := r.value(v)
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Decode(&s) != nil {
		r.errorf(v, "%smust be a single value, not %s", prefix(at), describe(n))
		return "", false
	}
	return s, true
}

// items returns the items of the list v: nil when it is missing or not a
// list, an empty list, not nil, for [].
func (r *configReader) items(v *yaml.Node, at string) []*yaml.Node {
	n := r.value(v)
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.errorf(v, "%smust be a list, such as [a, b], not %s", prefix(at), describe(n))
		return nil
	}
	return append([]*yaml.Node{}, n.Content...)
}

// strs reads a list of single values, with the node of each: nil when
// the key is missing or not a list, an empty list, not nil, for [].
func (r *configReader) strs(v *yaml.Node, at string) ([]string, []*yaml.Node) {
	items := r.items(v, at)
	if items == nil {
		return nil, nil
	}
	out, nodes := []string{}, []*yaml.Node{}
	for _, item := range items {
		it := r.value(item)
		var s string
		if it != nil && (it.Kind != yaml.ScalarNode || it.Decode(&s) != nil) {
			r.errorf(item, "%sa list item must be a single value, not %s", prefix(at), describe(it))
			continue
		}
		if it == nil {
			it = item
		}
		out, nodes = append(out, s), append(nodes, it)
	}
	return out, nodes
}

// boolean reads true or false (or yes, no, on, off).
func (r *configReader) boolean(v *yaml.Node, at string, dst *bool) {
	if n := r.value(v); n != nil && (n.Kind != yaml.ScalarNode || n.Decode(dst) != nil) {
		r.errorf(v, "%smust be true or false, not %s", prefix(at), describe(n))
	}
}

// integer reads a whole number.
func (r *configReader) integer(v *yaml.Node, at string, dst *int) {
	if n := r.value(v); n != nil && (n.Kind != yaml.ScalarNode || n.Decode(dst) != nil) {
		r.errorf(v, "%smust be a whole number, not %s", prefix(at), describe(n))
	}
}

// duration reads a duration as check.external writes them: 30s, 5m, 7d.
func (r *configReader) duration(v *yaml.Node, at string, dst *string) {
	s, ok := r.str(v, at)
	if !ok {
		return
	}
	if _, err := parseDuration(s); err != nil {
		r.errorf(v, "%s%v", prefix(at), err)
		return
	}
	*dst = s
}

// oneOf reads a single value that must be one of names; what, if not
// empty, says what the value is when the key's path does not.
func (r *configReader) oneOf(v *yaml.Node, at, what string, names []string) (string, bool) {
	s, ok := r.str(v, at)
	if !ok || slices.Contains(names, s) {
		return s, ok
	}
	if what != "" {
		what += " "
	}
	hint := ""
	if near := diag.Nearest(s, names); near != "" {
		hint = fmt.Sprintf("; did you mean %q?", near)
	}
	r.errorf(v, "%s%s%q is not %s%s", prefix(at), what, s, orList(names), hint)
	return s, false
}

// describe names what a node is, for "must be … not …" messages.
func describe(n *yaml.Node) string {
	switch {
	case n == nil:
		return "nothing"
	case n.Kind == yaml.MappingNode:
		return "a mapping"
	case n.Kind == yaml.SequenceNode:
		return "a list"
	case n.Kind == yaml.AliasNode:
		return "an alias"
	}
	if s := []rune(n.Value); len(s) > 40 {
		return strconv.Quote(string(s[:40]) + "…")
	}
	return strconv.Quote(n.Value)
}

func join(at, key string) string {
	if at == "" {
		return key
	}
	return at + "." + key
}

// prefix starts a message about the key whose dotted path is at.
func prefix(at string) string {
	if at == "" {
		return ""
	}
	return at + ": "
}

// orList writes "a, b or c".
func orList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// cacheVerdict reports whether name is a verdict cache_ttl may set: ok,
// broken or unverifiable.
func cacheVerdict(name string) bool {
	var st extlink.Status
	return st.UnmarshalText([]byte(name)) == nil && st != extlink.Ignored
}
