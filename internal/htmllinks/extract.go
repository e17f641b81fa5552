package htmllinks

import (
	"bytes"
	"sort"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// Link is one URL written in an HTML document.
type Link struct {
	Tag  string // element, lower case: "a", "img", "meta"
	Attr string // attribute the URL came from: "href", "src", "srcset", "content"
	// URL is the URL as a browser reads it: entity references decoded,
	// leading and trailing spaces and controls cut, tabs and newlines
	// removed. One srcset candidate, without its descriptor, is one Link.
	URL string
	// Line and Col place the URL's first byte in the source; both count
	// from 1 and Col counts bytes.
	Line, Col int
}

// Doc is what Extract finds in one HTML document.
type Doc struct {
	Links []Link
	// IDs holds every id attribute and every name attribute of an <a>:
	// the targets a fragment can name. It is never nil, so a Resolver can
	// tell an HTML document without IDs from a file that is not HTML.
	IDs map[string]bool
	// Base is the href of the first <base> that has one, as written;
	// Check resolves the document's relative links against it.
	Base string
}

// Extract reads the links, IDs and base of an HTML document. It never
// fails: like a browser it reads broken markup as well as it can.
func Extract(src []byte) *Doc {
	e := extractor{
		doc:   &Doc{IDs: map[string]bool{}},
		src:   src,
		lines: lineStarts(src),
	}
	e.run()
	return e.doc
}

// urlAttrs lists, per element, the attributes whose value is one URL.
// It follows html-proofer (a and link href, img, source and script src,
// srcset) and adds the other elements a browser loads or navigates to.
// Forms are left out: their action is often a server endpoint.
var urlAttrs = map[string][]string{
	"a":      {"href", "xlink:href"},
	"area":   {"href"},
	"link":   {"href"},
	"img":    {"src"},
	"source": {"src"},
	"script": {"src"},
	"iframe": {"src"},
	"embed":  {"src"},
	"object": {"data"},
	"video":  {"src", "poster"},
	"audio":  {"src"},
	"track":  {"src"},
	"image":  {"href", "xlink:href"}, // SVG
	"use":    {"href", "xlink:href"}, // SVG
}

// ignoreAttr marks an element whose links, and whose children's links,
// are not checked; the name is html-proofer's.
const ignoreAttr = "data-proofer-ignore"

type extractor struct {
	doc   *Doc
	src   []byte
	lines []int
	open  openElements
}

// attr is one attribute of a start tag: its decoded value and, when the
// raw tag could be matched, where the value starts in the source and how
// decoded bytes map back to source bytes.
type attr struct {
	key, val string
	start    int   // source offset of the raw value; -1 if unknown
	offs     []int // offs[i] is the raw offset of val[i], relative to start
}

// pos is the source offset of byte i of a's decoded value.
func (a *attr) pos(i int) int {
	if a.start < 0 {
		return -1
	}
	if a.offs == nil {
		return a.start + i
	}
	if i >= len(a.offs) {
		i = len(a.offs) - 1
	}
	return a.start + a.offs[i]
}

func (e *extractor) run() {
	z := html.NewTokenizer(bytes.NewReader(e.src))
	off := 0
	for {
		tt := z.Next()
		raw := z.Raw()
		start := off
		off += len(raw)
		switch tt {
		case html.ErrorToken:
			return
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			tag := string(name)
			var attrs []attr
			for more {
				var k, v []byte
				k, v, more = z.TagAttr()
				attrs = append(attrs, attr{key: string(k), val: string(v), start: -1})
			}
			locate(attrs, raw, start)
			e.startTag(tag, attrs, tt == html.SelfClosingTagToken)
			if tag == "noscript" {
				// Read its content as markup, as a browser without
				// scripts does: it is there for those readers.
				z.NextIsNotRawText()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			e.open.end(string(name))
		}
	}
}

func (e *extractor) startTag(tag string, attrs []attr, selfClosing bool) {
	get := func(key string) *attr {
		for i := range attrs {
			if attrs[i].key == key {
				return &attrs[i]
			}
		}
		return nil
	}
	ignore := get(ignoreAttr) != nil
	e.open.start(tag, ignore, selfClosing)
	ignored := ignore || e.open.ignored > 0

	if a := get("id"); a != nil && a.val != "" {
		e.doc.IDs[a.val] = true
	}
	if tag == "a" {
		if a := get("name"); a != nil && a.val != "" {
			e.doc.IDs[a.val] = true
		}
	}
	if tag == "base" && e.doc.Base == "" {
		if a := get("href"); a != nil {
			e.doc.Base = cleanURL(a.val)
		}
	}
	if ignored {
		return
	}
	if tag == "link" {
		if rel := get("rel"); rel != nil && hasToken(rel.val, "preconnect", "dns-prefetch") {
			return
		}
	}
	for _, key := range urlAttrs[tag] {
		if a := get(key); a != nil {
			e.add(tag, a, 0, len(a.val))
		}
	}
	switch tag {
	case "img", "source":
		if a := get("srcset"); a != nil {
			for _, c := range srcset(a.val) {
				e.add(tag, a, c[0], c[1])
			}
		}
	case "meta":
		if h := get("http-equiv"); h != nil && strings.EqualFold(strings.TrimSpace(h.val), "refresh") {
			if a := get("content"); a != nil {
				if i, j, ok := refreshURL(a.val); ok {
					e.add(tag, a, i, j)
				}
			}
		}
	}
}

// add records a.val[i:j] as a link.
func (e *extractor) add(tag string, a *attr, i, j int) {
	s := a.val[i:j]
	lead := len(s) - len(strings.TrimLeft(s, spaceAndControls))
	line, col := e.position(a.pos(i + lead))
	e.doc.Links = append(e.doc.Links, Link{Tag: tag, Attr: a.key, URL: cleanURL(s), Line: line, Col: col})
}

func (e *extractor) position(off int) (line, col int) {
	if off < 0 || len(e.lines) == 0 {
		return 1, 1
	}
	off = min(off, len(e.src))
	i := sort.SearchInts(e.lines, off+1) - 1
	return i + 1, off - e.lines[i] + 1
}

func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// spaceAndControls is what the URL parser cuts from both ends of a URL.
const spaceAndControls = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f "

// cleanURL does to s what a browser's URL parser does first: cut
// leading and trailing C0 controls and spaces, and drop tabs and newlines.
func cleanURL(s string) string {
	s = strings.Trim(s, spaceAndControls)
	if strings.ContainsAny(s, "\t\n\r") {
		s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	}
	return s
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// hasToken reports whether the space-separated list s holds one of
// tokens, ignoring case.
func hasToken(s string, tokens ...string) bool {
	for _, f := range strings.Fields(s) {
		for _, t := range tokens {
			if strings.EqualFold(f, t) {
				return true
			}
		}
	}
	return false
}

// srcset splits a srcset value into image candidates the way the HTML
// standard's parser does, and returns each candidate's URL as a [start,
// end) range of s. Descriptors are skipped, valid or not: a candidate
// with a bad descriptor still names a file its author meant to exist.
func srcset(s string) [][2]int {
	var out [][2]int
	i, n := 0, len(s)
	for {
		for i < n && (isSpace(s[i]) || s[i] == ',') {
			i++
		}
		if i >= n {
			return out
		}
		start := i
		for i < n && !isSpace(s[i]) {
			i++
		}
		end := i
		if s[end-1] == ',' {
			for end > start && s[end-1] == ',' {
				end--
			}
		} else {
			parens := false
			for ; i < n; i++ {
				c := s[i]
				if parens {
					parens = c != ')'
				} else if c == ',' {
					i++
					break
				} else if c == '(' {
					parens = true
				}
			}
		}
		if end > start {
			out = append(out, [2]int{start, end})
		}
	}
}

// refreshURL finds the URL in the content of a <meta http-equiv=refresh>,
// as in "5; url='/new/'", following the HTML standard's parser.
func refreshURL(s string) (i, j int, ok bool) {
	n := len(s)
	for i < n && isSpace(s[i]) {
		i++
	}
	digits := i
	for i < n && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	if i == digits {
		return 0, 0, false
	}
	for i < n && isSpace(s[i]) {
		i++
	}
	if i < n && (s[i] == ';' || s[i] == ',') {
		i++
	}
	for i < n && isSpace(s[i]) {
		i++
	}
	if i >= n {
		return 0, 0, false
	}
	if n-i >= 3 && strings.EqualFold(s[i:i+3], "url") {
		k := i + 3
		for k < n && isSpace(s[k]) {
			k++
		}
		if k < n && s[k] == '=' {
			i = k + 1
			for i < n && isSpace(s[i]) {
				i++
			}
		}
	}
	j = n
	if i < n && (s[i] == '"' || s[i] == '\'') {
		if k := strings.IndexByte(s[i+1:], s[i]); k >= 0 {
			j = i + 1 + k
		}
		i++
	}
	return i, j, i < j
}

// locate finds where each attribute value of a start tag starts in the
// source. It walks raw exactly as x/net/html's tokenizer does (readTag and
// friends), keeping the offsets the tokenizer does not export, and pairs
// its attributes with the tokenizer's in order. When they disagree, the
// positions stay unknown.
func locate(attrs []attr, raw []byte, start int) {
	spans := scanAttrs(raw)
	if len(spans) != len(attrs) {
		return
	}
	for i := range attrs {
		sp := spans[i]
		key := bytes.ReplaceAll(asciiLower(raw[sp.k0:sp.k1]), []byte{0}, []byte("\ufffd"))
		if string(key) != attrs[i].key {
			return
		}
		val, offs := decodeAttr(raw[sp.v0:sp.v1])
		if val != attrs[i].val {
			offs = nil // decoded differently: fall back to byte offsets
			if len(raw[sp.v0:sp.v1]) != len(attrs[i].val) {
				offs = proportional(len(attrs[i].val), sp.v1-sp.v0)
			}
		}
		attrs[i].start = start + sp.v0
		attrs[i].offs = offs
	}
}

// asciiLower lower-cases ASCII letters only, as the tokenizer does.
func asciiLower(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return out
}

// proportional maps n decoded bytes onto m raw ones, clamped; a last
// resort that keeps positions inside the value.
func proportional(n, m int) []int {
	offs := make([]int, n+1)
	for i := range offs {
		offs[i] = min(i, m)
	}
	return offs
}

type span struct{ k0, k1, v0, v1 int }

// tagScanner walks one raw start tag byte by byte, as the tokenizer's
// readTag does; i is the offset of the next unread byte.
type tagScanner struct {
	raw []byte
	i   int
}

// read returns the next byte and advances, or reports the end of raw.
func (s *tagScanner) read() (byte, bool) {
	if s.i >= len(s.raw) {
		return 0, false
	}
	s.i++
	return s.raw[s.i-1], true
}

// skipSpace moves past white space, reporting false at the end of raw.
func (s *tagScanner) skipSpace() bool {
	for {
		c, ok := s.read()
		if !ok {
			return false
		}
		if !isSpace(c) {
			s.i--
			return true
		}
	}
}

// readTagName moves past the tag name, as readTagName does, reporting
// false at the end of raw.
func (s *tagScanner) readTagName() bool {
	for {
		c, ok := s.read()
		if !ok {
			return false
		}
		if isSpace(c) {
			return true
		}
		if c == '/' || c == '>' {
			s.i--
			return true
		}
	}
}

// readAttrKey records where the next attribute key starts and ends in
// sp, as readTagAttrKey does.
func (s *tagScanner) readAttrKey(sp *span) {
	sp.k0 = s.i
	for {
		c, ok := s.read()
		if !ok {
			sp.k1 = s.i
			return
		}
		if c == '=' && sp.k0+1 == s.i {
			continue
		}
		if c == '=' || isSpace(c) || c == '/' || c == '>' {
			s.i--
			sp.k1 = s.i
			return
		}
	}
}

// readAttrVal records where the value of the attribute just read starts
// and ends in sp, as readTagAttrVal does; both stay at the current
// offset when the attribute has no value.
func (s *tagScanner) readAttrVal(sp *span) {
	sp.v0, sp.v1 = s.i, s.i
	if !s.skipSpace() {
		return
	}
	c, ok := s.read()
	if !ok || c == '/' {
		return
	}
	if c != '=' {
		s.i--
		return
	}
	if !s.skipSpace() {
		return
	}
	q, ok := s.read()
	if !ok {
		return
	}
	switch q {
	case '>':
		s.i--
	case '\'', '"':
		s.readQuoted(sp, q)
	default:
		s.readUnquoted(sp)
	}
}

// readQuoted records the span of a value quoted by q, whose opening
// quote has just been read.
func (s *tagScanner) readQuoted(sp *span, q byte) {
	sp.v0 = s.i
	for {
		c, ok := s.read()
		if !ok {
			sp.v1 = s.i
			return
		}
		if c == q {
			sp.v1 = s.i - 1
			return
		}
	}
}

// readUnquoted records the span of an unquoted value, whose first byte
// has just been read.
func (s *tagScanner) readUnquoted(sp *span) {
	sp.v0 = s.i - 1
	for {
		c, ok := s.read()
		if !ok {
			sp.v1 = s.i
			return
		}
		if isSpace(c) {
			sp.v1 = s.i - 1
			return
		}
		if c == '>' {
			s.i--
			sp.v1 = s.i
			return
		}
	}
}

// scanAttrs mirrors Tokenizer.readTag of golang.org/x/net/html: raw is a
// whole start tag, "<" and a letter first. It returns the key and value
// span of each attribute the tokenizer keeps, dropping repeated keys.
func scanAttrs(raw []byte) []span {
	s := tagScanner{raw: raw, i: 2}
	if !s.readTagName() || !s.skipSpace() {
		return nil
	}
	var spans []span
	seen := map[string]bool{}
	for {
		c, ok := s.read()
		if !ok || c == '>' {
			break
		}
		s.i--
		var sp span
		s.readAttrKey(&sp)
		s.readAttrVal(&sp)
		key := string(asciiLower(raw[sp.k0:sp.k1]))
		if sp.k0 != sp.k1 && !seen[key] {
			spans = append(spans, sp)
			seen[key] = true
		}
		if !s.skipSpace() {
			break
		}
	}
	return spans
}

// decodeAttr decodes a raw attribute value as the tokenizer's TagAttr
// does (NUL to U+FFFD, CR LF and CR to LF, character references in
// attribute mode) and returns, for each decoded byte and one past the
// end, the offset in raw it came from.
func decodeAttr(raw []byte) (string, []int) {
	var b strings.Builder
	offs := make([]int, 0, len(raw)+1)
	emit := func(s string, at int) {
		b.WriteString(s)
		for range len(s) {
			offs = append(offs, at)
		}
	}
	for i := 0; i < len(raw); {
		switch c := raw[i]; c {
		case 0:
			emit("\ufffd", i)
			i++
		case '\r':
			emit("\n", i)
			i++
			if i < len(raw) && raw[i] == '\n' {
				i++
			}
		case '&':
			s, n := charRef(raw[i:])
			emit(s, i)
			i += n
		default:
			b.WriteByte(c)
			offs = append(offs, i)
			i++
		}
	}
	offs = append(offs, len(raw))
	return b.String(), offs
}

// charRef decodes the character reference at the start of s (s[0] is
// '&') in attribute mode, as x/net/html's unescapeEntity does, and
// returns it with the number of bytes it used.
func charRef(s []byte) (string, int) {
	if len(s) < 2 {
		return "&", 1
	}
	i := 1
	if s[1] == '#' {
		i = 2
		hex := i < len(s) && (s[i] == 'x' || s[i] == 'X')
		if hex {
			i++
		}
		i0 := i
		for i < len(s) && (s[i] >= '0' && s[i] <= '9' || hex && (s[i]|0x20 >= 'a' && s[i]|0x20 <= 'f')) {
			i++
		}
		if i == i0 {
			return "&", 1
		}
		if i < len(s) && s[i] == ';' {
			i++
		}
		return html.UnescapeString(string(s[:i])), i
	}
	for i < len(s) && isAlnum(s[i]) {
		i++
	}
	if i < len(s) && s[i] == ';' {
		i++
	}
	name := s[1:i]
	if len(name) == 0 || name[len(name)-1] != ';' && i < len(s) && s[i] == '=' {
		return "&", 1
	}
	// UnescapeString looks the whole name up first; if that fails it
	// tries prefixes, which attribute values do not allow. A prefix match
	// leaves the rest of the name, letters or digits, in its result: no
	// named reference decodes to an ASCII letter or digit.
	d := html.UnescapeString(string(s[:i]))
	if d == string(s[:i]) || strings.IndexFunc(d, func(r rune) bool { return r < utf8.RuneSelf && isAlnum(byte(r)) }) >= 0 {
		return "&", 1
	}
	return d, i
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// openElements is a small model of the parser's stack of open elements:
// enough to know where an element carrying data-proofer-ignore ends,
// including the end tags HTML lets authors leave out.
type openElements struct {
	names   []string
	ignore  []bool
	ignored int // how many open elements carry the ignore attribute
	foreign int // how many open svg or math elements
}

var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "keygen": true, "link": true, "meta": true,
	"param": true, "source": true, "track": true, "wbr": true,
}

// closesP lists start tags that end an open <p>.
var closesP = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "center": true,
	"details": true, "dialog": true, "dir": true, "div": true, "dl": true, "fieldset": true,
	"figcaption": true, "figure": true, "footer": true, "form": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hgroup": true, "hr": true,
	"li": true, "dd": true, "dt": true, "listing": true, "main": true, "menu": true, "nav": true,
	"ol": true, "p": true, "pre": true, "search": true, "section": true, "summary": true,
	"table": true, "ul": true, "xmp": true, "plaintext": true,
}

// scopeEdges stop the search for an element to close implicitly.
var scopeEdges = map[string]bool{
	"applet": true, "caption": true, "html": true, "table": true, "td": true, "th": true,
	"marquee": true, "object": true, "template": true, "button": true, "svg": true, "math": true,
}

func (o *openElements) start(tag string, ignore, selfClosing bool) {
	if closesP[tag] {
		o.closeIn("p", scopeEdges)
	}
	switch tag {
	case "li":
		o.closeIn("li", scopeEdges, "ol", "ul")
	case "dd", "dt":
		o.closeIn("dd", scopeEdges, "dl")
		o.closeIn("dt", scopeEdges, "dl")
	case "a":
		o.closeIn("a", scopeEdges)
	case "option", "optgroup":
		if n := len(o.names); n > 0 && o.names[n-1] == "option" {
			o.pop(n - 1)
		}
		if tag == "optgroup" {
			if n := len(o.names); n > 0 && o.names[n-1] == "optgroup" {
				o.pop(n - 1)
			}
		}
	case "tr":
		o.closeIn("tr", nil, "table", "thead", "tbody", "tfoot")
	case "td", "th":
		o.closeIn("td", nil, "tr", "table")
		o.closeIn("th", nil, "tr", "table")
	case "thead", "tbody", "tfoot":
		for _, t := range []string{"thead", "tbody", "tfoot"} {
			o.closeIn(t, nil, "table")
		}
	}
	if voidElements[tag] || selfClosing && o.foreign > 0 {
		return
	}
	o.names = append(o.names, tag)
	o.ignore = append(o.ignore, ignore)
	if ignore {
		o.ignored++
	}
	if tag == "svg" || tag == "math" {
		o.foreign++
	}
}

// closeIn closes the nearest open tag, unless an edge element, or one of
// more, comes first.
func (o *openElements) closeIn(tag string, edges map[string]bool, more ...string) {
	for i := len(o.names) - 1; i >= 0; i-- {
		n := o.names[i]
		if n == tag {
			o.pop(i)
			return
		}
		if edges[n] {
			return
		}
		for _, m := range more {
			if n == m {
				return
			}
		}
	}
}

func (o *openElements) end(tag string) {
	for i := len(o.names) - 1; i >= 0; i-- {
		if o.names[i] == tag {
			o.pop(i)
			return
		}
	}
}

// pop closes the element at index i and all inside it.
func (o *openElements) pop(i int) {
	for j := len(o.names) - 1; j >= i; j-- {
		if o.ignore[j] {
			o.ignored--
		}
		if o.names[j] == "svg" || o.names[j] == "math" {
			o.foreign--
		}
	}
	o.names, o.ignore = o.names[:i], o.ignore[:i]
}
