package markdown

// Raw HTML.
//
// Raw HTML in Markdown (ast.HTMLBlock and inline ast.RawHTML nodes) is
// read token by token with golang.org/x/net/html's Tokenizer, one node at
// a time. By default every tag is put to a bluemonday policy configured
// with GitHub's allowlist (html-pipeline's SanitizationFilter): the
// policy says whether the element stays, which of its attributes stay and
// whether a URL is allowed; the tags that stay are then written again
// from their tokens, so that an allowed href or src goes into a hole like
// a Markdown link's destination, and the site checks and rewrites it.
// Text is escaped; comments, doctypes and the content of script, style
// and the like (skipContent) are dropped. With Options.Unsafe the HTML is
// written as it is, but its href, src and srcset values still become
// holes.
//
// Both the index walk (links, ids, removed URLs) and the renderer read a
// node the same way (rawScan), so the i-th URL the renderer meets is the
// i-th Link the index recorded for that node.
//
// Where we differ from GitHub:
//   - ids and names are kept as written: GitHub prefixes them with
//     "user-content-" and rewrites #fragments in JavaScript; unprefixed,
//     #x works without JavaScript and is checked like a heading id;
//   - each raw HTML node is sanitized alone, so tags are not balanced
//     across nodes, and the content of a <script> or the like is dropped
//     within its node and, for inline HTML, up to its closing tag in the
//     same paragraph (dropRawContent);
//   - a URL the policy cannot parse (a bad %-escape) is removed, and
//     reported with the URLs removed for their scheme;
//   - links may also use the schemes of linkSchemes (tel:, ssh:, slack:,
//     …), which GitHub removes;
//   - img longdesc is not kept; source keeps src and srcset (picture with
//     a dark-mode source works, as on github.com).

import (
	"bytes"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// UnsafeURL is a link or image URL removed from a page because its
// scheme is not allowed (javascript:, vbscript:, data:, …), from raw HTML
// or from a Markdown link or image.
type UnsafeURL struct {
	// Kind is KindLink (an href) or KindImage (a src).
	Kind      LinkKind
	URL       string
	Line, Col int
}

// githubElements are the elements GitHub's sanitizer keeps, and picture
// and source, which github.com keeps for images that follow the color
// scheme.
var githubElements = []string{
	"h1", "h2", "h3", "h4", "h5", "h6", "br", "b", "i", "strong", "em", "a", "pre", "code",
	"img", "tt", "div", "ins", "del", "sup", "sub", "p", "ol", "ul", "table", "thead", "tbody", "tfoot",
	"blockquote", "dl", "dt", "dd", "kbd", "q", "samp", "var", "hr", "ruby", "rt", "rp", "li", "tr", "td", "th",
	"s", "strike", "summary", "details", "caption", "figure", "figcaption", "abbr", "bdo", "cite",
	"dfn", "mark", "small", "span", "time", "wbr", "picture", "source",
}

// githubAttrs are the attributes GitHub's sanitizer keeps on every
// element.
var githubAttrs = []string{
	"abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "aria-describedby",
	"aria-hidden", "aria-label", "aria-labelledby", "axis", "border", "cellpadding", "cellspacing", "char",
	"charoff", "charset", "checked", "clear", "cols", "colspan", "color", "compact", "coords", "datetime", "dir",
	"disabled", "enctype", "for", "frame", "headers", "height", "hreflang", "hspace", "id", "ismap", "label", "lang",
	"maxlength", "media", "method", "multiple", "name", "nohref", "noshade", "nowrap", "open", "progress",
	"prompt", "readonly", "rel", "rev", "role", "rows", "rowspan", "rules", "scope", "selected", "shape",
	"size", "span", "start", "summary", "tabindex", "title", "type", "usemap", "valign", "value", "width", "itemprop",
}

// skipContent are the elements whose content is dropped with them:
// bluemonday's list and the sanitize gem's (which GitHub used).
var skipContent = map[string]bool{
	"frame": true, "frameset": true, "iframe": true, "math": true, "noembed": true, "noframes": true,
	"noscript": true, "nostyle": true, "object": true, "plaintext": true, "script": true, "style": true,
	"svg": true, "template": true, "title": true, "xmp": true,
}

// newPolicy returns GitHub's allowlist as a bluemonday policy whose URLs
// may be relative or use one of schemes.
func newPolicy(schemes ...string) *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(githubElements...)
	// An element keeps its tag when all its attributes go (<a> without
	// its href), as GitHub's does, so that start and end tags stay paired.
	p.AllowNoAttrs().OnElements(githubElements...)
	p.AllowAttrs(githubAttrs...).Globally()
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("src").OnElements("img", "source")
	p.AllowAttrs("srcset").OnElements("source")
	p.AllowAttrs("itemscope", "itemtype").OnElements("div")
	p.AllowAttrs("cite").OnElements("blockquote", "del", "ins", "q")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.AllowURLSchemes(schemes...)
	skip := make([]string, 0, len(skipContent))
	for e := range skipContent {
		skip = append(skip, e)
	}
	p.SkipElementsContent(skip...)
	return p
}

var (
	policyOnce sync.Once
	// srcPolicy decides tags and image URLs (http, https, relative);
	// hrefPolicy decides link URLs, which may also be mailto:.
	srcPolicy, hrefPolicy *bluemonday.Policy
	// tagCache holds srcPolicy's decisions on tags (probe → kept
	// attributes), which repeat (<td>, <br>); it stops growing at
	// tagCacheMax entries.
	tagCache    sync.Map
	tagCacheLen atomic.Int32
)

const tagCacheMax = 4096

// linkSchemes are schemes links may use beyond GitHub's (http, https,
// mailto): ones runbooks use to call, chat or connect, which run no code
// in the page. GitHub removes them; a link to the on-call phone or the
// incident channel should work in a handbook.
var linkSchemes = []string{"tel", "sms", "ssh", "sftp", "ftp", "ftps", "irc", "ircs", "xmpp", "sip", "sips", "slack", "msteams", "zoommtg", "webcal", "vscode"}

func policies() {
	policyOnce.Do(func() {
		srcPolicy = newPolicy("http", "https")
		hrefPolicy = newPolicy(append([]string{"http", "https", "mailto"}, linkSchemes...)...)
	})
}

// urlAttr tells which attributes hold a link (href) or image (src,
// srcset) that becomes a Link.
func urlAttr(key string) (LinkKind, bool) {
	switch key {
	case "href":
		return KindLink, true
	case "src", "srcset":
		return KindImage, true
	}
	return 0, false
}

// keptAttrs asks the policy about the start tag <name keys…>: ok is false
// when the element goes; kept[i] tells whether keys[i] stays. Values play
// no part (the policy has no value patterns), so they are left out and
// decisions can be cached; URLs (href, src, srcset, cite) are decided
// apart by urlKept.
func keptAttrs(name string, keys []string) (kept []bool, ok bool) {
	if !plainName(name) {
		return nil, false
	}
	policies()
	var probe strings.Builder
	probe.WriteString("<" + name)
	for _, k := range keys {
		probe.WriteString(" " + k + `="x"`)
	}
	probe.WriteString(">")
	key := probe.String()
	if v, hit := tagCache.Load(key); hit {
		kept, _ = v.([]bool)
		return kept, kept != nil
	}
	out := srcPolicy.Sanitize(key)
	z := html.NewTokenizer(strings.NewReader(out))
	if tt := z.Next(); tt == html.StartTagToken {
		stays := map[string]bool{}
		for more := true; more; {
			var k []byte
			k, _, more = z.TagAttr()
			stays[string(k)] = true
		}
		kept = make([]bool, len(keys))
		for i, k := range keys {
			kept[i] = stays[k]
		}
	}
	if tagCacheLen.Load() < tagCacheMax {
		tagCacheLen.Add(1)
		tagCache.Store(key, kept)
	}
	return kept, kept != nil
}

// endKept tells whether the policy keeps the end tag </name>.
func endKept(name string) bool {
	_, ok := keptAttrs(name, nil)
	return ok
}

// urlKept tells whether the policy keeps u as an image's src (image) or a
// link's href. Spaces are read as %20, as browsers do; no scheme can hold
// one.
func urlKept(u string, image bool) bool {
	policies()
	u = strings.ReplaceAll(strings.TrimSpace(u), " ", "%20")
	probe, p := `<a href="`, hrefPolicy
	if image {
		probe, p = `<img src="`, srcPolicy
	}
	// The policy writes the tag again as <a href="…"> when it keeps the
	// URL, <a> when not.
	return strings.HasPrefix(p.Sanitize(probe+html.EscapeString(u)+`">`), probe[:len(probe)-1])
}

// destAllowed tells whether a Markdown link's (or image's) destination
// keeps its URL: relative, or with a scheme the policy allows. Without a
// scheme it is relative, and http, https (and mailto for links) are
// known; any other scheme is put to the policy.
func destAllowed(dest []byte, image bool) bool {
	if bytes.IndexByte(dest, '&') >= 0 || bytes.IndexByte(dest, '\\') >= 0 {
		dest = util.URLEscape(dest, true) // as rendered: references resolved
	}
	scheme := schemeOf(dest)
	switch {
	case scheme == nil:
		return true
	case asciiEqualFold(scheme, "http"), asciiEqualFold(scheme, "https"):
		return true
	case asciiEqualFold(scheme, "mailto") && !image:
		return true
	}
	return urlKept(string(dest), image)
}

// schemeOf returns the scheme of a URL ([A-Za-z][A-Za-z0-9+.-]* before a
// colon), or nil for a relative one. The destinations it is given are
// rendered %-escaped, so no white space or control character can hide a
// scheme from a browser.
func schemeOf(u []byte) []byte {
	for i, c := range u {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return u[:i]
		default:
			return nil
		}
	}
	return nil
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// rawNode is the HTML of one raw HTML node, its lines joined, with where
// each line starts in the source: inside a quote or a list the lines are
// not contiguous there.
type rawNode struct {
	b    []byte
	segs []rawSeg
}

// rawSeg says that b[at:] comes from Source[src:], up to the next rawSeg.
type rawSeg struct{ at, src int }

func rawOf(n ast.Node, src []byte) rawNode {
	var segs []text.Segment
	switch n := n.(type) {
	case *ast.HTMLBlock:
		for i := 0; i < n.Lines().Len(); i++ {
			segs = append(segs, n.Lines().At(i))
		}
		if n.HasClosure() {
			segs = append(segs, n.ClosureLine)
		}
	case *ast.RawHTML:
		for i := 0; i < n.Segments.Len(); i++ {
			segs = append(segs, n.Segments.At(i))
		}
	}
	if len(segs) == 1 && segs[0].Padding == 0 {
		return rawNode{b: src[segs[0].Start:segs[0].Stop], segs: []rawSeg{{0, segs[0].Start}}}
	}
	var r rawNode
	for _, s := range segs {
		for i := 0; i < s.Padding; i++ {
			r.b = append(r.b, ' ')
		}
		r.segs = append(r.segs, rawSeg{len(r.b), s.Start})
		r.b = append(r.b, src[s.Start:s.Stop]...)
	}
	return r
}

// source maps an offset in b to its offset in the source.
func (r *rawNode) source(off int) int {
	s := rawSeg{0, 0}
	for _, g := range r.segs {
		if g.at > off {
			break
		}
		s = g
	}
	return s.src + off - s.at
}

// onlyComment tells whether a node is an HTML comment and nothing else,
// which renders nothing (as on GitHub) and holds no links or ids.
func onlyComment(n ast.Node, src []byte) bool {
	switch n := n.(type) {
	case *ast.RawHTML:
		return isComment(n, src)
	case *ast.HTMLBlock:
		if n.HTMLBlockType != ast.HTMLBlockType2 || n.Lines().Len() == 0 {
			return false
		}
		// The block ends on the first line that closes the comment: only
		// what follows the "-->" there can be more HTML.
		seg := n.Lines().At(n.Lines().Len() - 1)
		last := seg.Value(src)
		i := bytes.Index(last, []byte("-->"))
		return i >= 0 && bytes.IndexByte(last[i+3:], '<') < 0
	}
	return false
}

// rawScan reads one raw HTML node: for the index (links, ids and removed
// URLs go into doc) or to render it into out.
type rawScan struct {
	doc    *Document // indexing: where links, ids and removed URLs go
	n      ast.Node
	node   rawNode
	unsafe bool
	out    util.BufWriter // rendering: where the HTML goes
	hw     *holeWriter    // rendering with holes
	links  []*Link        // rendering: the index's decisions on its URLs (keep)
	// skip is the element whose content is being dropped, depth how many
	// of it are open.
	skip  string
	depth int
}

func (s *rawScan) run() {
	if _, ok := s.n.(*ast.RawHTML); ok && bytes.HasPrefix(s.node.b, []byte("</")) {
		// Inline raw HTML is one tag: an end tag needs no tokenizer.
		if s.unsafe {
			s.writeRaw(s.node.b)
		} else if name, _ := tagName(s.node.b); endKept(name) {
			s.writeString("</" + name + ">")
		}
		return
	}
	z := html.NewTokenizer(bytes.NewReader(s.node.b))
	off := 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		start := off
		off += len(raw)
		switch tt {
		case html.TextToken:
			if s.unsafe {
				s.writeRaw(raw)
			} else if s.skip == "" {
				s.writeEscaped(z.Text())
			}
		case html.CommentToken, html.DoctypeToken:
			if s.unsafe {
				s.writeRaw(raw)
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			s.tag(z, tt, raw, start)
		case html.EndTagToken:
			if s.unsafe {
				s.writeRaw(raw)
				continue
			}
			name, _ := z.TagName()
			if s.skip != "" {
				if string(name) == s.skip {
					if s.depth--; s.depth == 0 {
						s.skip = ""
					}
				}
				continue
			}
			if endKept(string(name)) {
				s.writeString("</" + string(name) + ">")
			}
		}
	}
	if s.unsafe && off < len(s.node.b) {
		s.writeRaw(s.node.b[off:]) // an unfinished tag, as written
	}
}

func (s *rawScan) tag(z *html.Tokenizer, tt html.TokenType, raw []byte, start int) {
	nameB, more := z.TagName()
	name := string(nameB)
	var attrs []html.Attribute
	for more {
		var k, v []byte
		k, v, more = z.TagAttr()
		attrs = append(attrs, html.Attribute{Key: string(k), Val: string(v)})
	}
	spans := attrSpans(raw)
	if len(spans) != len(attrs) {
		spans = nil
	}
	for i := range spans {
		if !strings.EqualFold(string(raw[spans[i].key:spans[i].keyEnd]), attrs[i].Key) {
			spans = nil
			break
		}
	}
	// valueAt is the offset of attribute i's value in the node.
	valueAt := func(i int) int {
		if spans == nil {
			return start
		}
		return start + spans[i].val
	}
	if s.unsafe {
		s.unsafeTag(attrs, spans, raw, valueAt)
		return
	}
	if s.skip != "" {
		if tt == html.StartTagToken && name == s.skip {
			s.depth++
		}
		return
	}
	if skipContent[name] {
		if tt == html.StartTagToken {
			s.skip, s.depth = name, 1
		}
		return
	}
	keys := make([]string, 0, len(attrs))
	for _, a := range attrs {
		if plainName(a.Key) {
			keys = append(keys, a.Key)
		}
	}
	kept, ok := keptAttrs(name, keys)
	if !ok {
		return
	}
	stays := make(map[string]bool, len(keys))
	for i, k := range keys {
		stays[k] = kept[i]
	}
	s.writeString("<" + name)
	for i, a := range attrs {
		if !stays[a.Key] {
			continue
		}
		if kind, ok := urlAttr(a.Key); ok {
			s.urlAttr(kind, a.Key, a.Val, valueAt(i), spans != nil && spans[i].plain)
			continue
		}
		if a.Key == "cite" && !urlKept(a.Val, true) {
			continue // a quote's source: a URL, though not a link
		}
		if a.Key == "id" || a.Key == "name" {
			s.id(a.Val)
		}
		s.writeString(" " + a.Key + `="`)
		s.writeEscapedString(a.Val)
		s.writeString(`"`)
	}
	if tt == html.SelfClosingTagToken {
		s.writeString("/>")
	} else {
		s.writeString(">")
	}
}

// unsafeTag writes a tag as written, with its href, src and srcset values
// in holes, and records its ids.
func (s *rawScan) unsafeTag(attrs []html.Attribute, spans []attrSpan, raw []byte, valueAt func(int) int) {
	last := 0
	for i, a := range attrs {
		if a.Key == "id" || a.Key == "name" {
			s.id(a.Val)
		}
		kind, ok := urlAttr(a.Key)
		if !ok || spans == nil || strings.TrimSpace(a.Val) == "" {
			continue
		}
		s.writeRaw(raw[last:spans[i].key]) // with the space before the key
		s.urlAttr(kind, a.Key, a.Val, valueAt(i), spans[i].plain)
		last = spans[i].end
	}
	s.writeRaw(raw[last:])
}

// urlAttr handles an href, src or srcset the element keeps: each URL the
// policy keeps (all of them when unsafe) is a Link in a hole; the others
// are removed and reported. at is the value's offset in the node; plain
// says that the value in the source is the value decoded, so that srcset
// candidates have their own positions. Unsafe, the attribute is written
// where it was, after the space before it.
func (s *rawScan) urlAttr(kind LinkKind, key, val string, at int, plain bool) {
	if key != "srcset" {
		v := strings.TrimSpace(val)
		if v == "" {
			return
		}
		l, ok := s.keep(kind, v, at)
		if !ok || s.out == nil {
			return
		}
		if s.hw != nil && l != nil && kind == KindLink {
			// Unlink drops the attribute: <a> stays, without its href.
			i := len(s.hw.doc.holes)
			s.hw.hole(hole{kind: holeOpen, at: l.at})
			defer func() { s.hw.doc.holes[i].end = int32(s.hw.buf.Len()) }()
		}
		s.writeString(s.space() + key + `="`)
		s.dest(l, v)
		s.writeString(`"`)
		return
	}
	type candidate struct {
		url, descriptor string
		at              int
		l               *Link
	}
	var cands []candidate
	for _, c := range srcset(val) {
		pos := at
		if plain {
			pos = at + c.off
		}
		if l, ok := s.keep(KindImage, c.url, pos); ok {
			cands = append(cands, candidate{c.url, c.descriptor, pos, l})
		}
	}
	if len(cands) == 0 || s.out == nil {
		return
	}
	s.writeString(s.space() + `srcset="`)
	for i, c := range cands {
		if i > 0 {
			s.writeString(", ")
		}
		s.dest(c.l, c.url)
		if c.descriptor != "" {
			s.writeString(" ")
			s.writeEscapedString(c.descriptor)
		}
	}
	s.writeString(`"`)
}

// keep decides the next URL of the node, at offset at: whether it stays
// (always when unsafe) and its Link. Indexing, the policy decides, a
// Link is made or the URL reported, and the decision is kept in rawLinks
// (nil for a URL removed); rendering with holes, the index's decision is
// taken; else (no holes) the policy decides again and there is no Link.
func (s *rawScan) keep(kind LinkKind, dest string, at int) (*Link, bool) {
	if s.doc == nil && s.hw != nil && len(s.links) > 0 {
		l := s.links[0]
		s.links = s.links[1:]
		return l, l != nil
	}
	ok := s.unsafe || urlKept(dest, kind == KindImage)
	if s.doc == nil {
		return nil, ok
	}
	var l *Link
	line, col := s.doc.Pos(s.node.source(at))
	if ok {
		l = linkSlab.New()
		*l = Link{Kind: kind, Dest: dest, Line: line, Col: col, doc: s.doc, at: int32(len(s.doc.Links))}
		s.doc.Links = append(s.doc.Links, l)
	} else {
		s.doc.Unsafe = append(s.doc.Unsafe, UnsafeURL{Kind: kind, URL: dest, Line: line, Col: col})
	}
	if s.doc.rawLinks == nil {
		s.doc.rawLinks = map[ast.Node][]*Link{}
	}
	s.doc.rawLinks[s.n] = append(s.doc.rawLinks[s.n], l)
	return l, ok
}

// dest writes a URL: a hole for its Link, or the URL when there is none.
func (s *rawScan) dest(l *Link, v string) {
	if s.hw != nil && l != nil {
		s.hw.hole(hole{kind: holeRawDest, at: l.at})
		return
	}
	s.writeEscapedString(v)
}

func (s *rawScan) id(v string) {
	if s.doc != nil && v != "" {
		s.doc.IDs[v] = true
	}
}

func (s *rawScan) writeString(v string) {
	if s.out != nil {
		_, _ = s.out.WriteString(v)
	}
}

// space is what goes before an attribute written again: nothing when
// unsafe, where the space written before it stays.
func (s *rawScan) space() string {
	if s.unsafe {
		return ""
	}
	return " "
}

// writeRaw writes HTML as written, NUL bytes replaced as goldmark does.
func (s *rawScan) writeRaw(b []byte) {
	if s.out != nil {
		ghtml.DefaultWriter.SecureWrite(s.out, b)
	}
}

func (s *rawScan) writeEscaped(b []byte) {
	if s.out != nil {
		_, _ = s.out.Write(appendEscaped(nil, b))
	}
}

func (s *rawScan) writeEscapedString(v string) {
	if s.out != nil {
		_, _ = s.out.Write(appendEscaped(nil, v))
	}
}

// appendEscaped appends text or an attribute value, escaped, NUL bytes
// replaced.
func appendEscaped[T string | []byte](b []byte, v T) []byte {
	for i := 0; i < len(v); i++ {
		switch c := v[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case 0:
			b = append(b, "\uFFFD"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// plainName tells whether an attribute name is made of the characters
// allowlisted names are made of; others never stay, and could not be put
// to the policy as they are.
func plainName(k string) bool {
	for i := 0; i < len(k); i++ {
		c := k[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == ':' || c == '.') {
			return false
		}
	}
	return k != ""
}

// attrSpan is where an attribute of a tag is, in the tag's bytes: its
// key [key, keyEnd), its value [val, valEnd) and its end (after a closing
// quote). plain says that the value needs no decoding.
type attrSpan struct {
	key, keyEnd, val, valEnd, end int
	plain                         bool
}

// attrSpans finds the attributes of a start tag the way x/net/html's
// Tokenizer reads them (readTag, readTagAttrKey, readTagAttrVal), which
// says what they are but not where: duplicates after the first are left
// out, as it leaves them out.
func attrSpans(raw []byte) []attrSpan {
	n, i := len(raw), 1
	space := func(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }
	skipSpace := func() {
		for i < n && space(raw[i]) {
			i++
		}
	}
	// The tag name.
	for i < n {
		c := raw[i]
		if space(c) {
			i++
			break
		}
		if c == '/' || c == '>' {
			break
		}
		i++
	}
	var out []attrSpan
	seen := map[string]bool{}
	skipSpace()
	for i < n && raw[i] != '>' {
		var a attrSpan
		// The key.
		a.key = i
		for i < n {
			c := raw[i]
			i++
			if c == '=' && a.key+1 == i {
				continue
			}
			if c == '=' || space(c) || c == '/' || c == '>' {
				i--
				break
			}
		}
		a.keyEnd = i
		// The value.
		a.val, a.valEnd = i, i
		quoted := false
		func() {
			skipSpace()
			if i >= n {
				return
			}
			c := raw[i]
			i++
			if c == '/' {
				return
			}
			if c != '=' {
				i--
				return
			}
			skipSpace()
			if i >= n {
				return
			}
			q := raw[i]
			i++
			switch q {
			case '>':
				i--
			case '"', '\'':
				a.val = i
				for i < n && raw[i] != q {
					i++
				}
				a.valEnd = i
				if i < n {
					i++
					quoted = true
				}
			default:
				a.val = i - 1
				for i < n && !space(raw[i]) && raw[i] != '>' {
					i++
				}
				a.valEnd = i
			}
		}()
		a.end = a.valEnd
		if quoted {
			a.end++
		}
		if a.end < a.keyEnd {
			a.end = a.keyEnd
		}
		a.plain = bytes.IndexByte(raw[a.val:a.valEnd], '&') < 0 && bytes.IndexByte(raw[a.val:a.valEnd], '\r') < 0
		key := strings.ToLower(string(raw[a.key:a.keyEnd]))
		if a.keyEnd > a.key && !seen[key] {
			seen[key] = true
			out = append(out, a)
		}
		skipSpace()
	}
	return out
}

// srcsetCandidate is a URL of a srcset, with its descriptor ("2x") and
// its offset in the value.
type srcsetCandidate struct {
	url, descriptor string
	off             int
}

// srcset splits a srcset value into its candidates, as the HTML standard
// parses them.
func srcset(v string) []srcsetCandidate {
	var out []srcsetCandidate
	space := func(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' }
	i := 0
	for i < len(v) {
		for i < len(v) && (space(v[i]) || v[i] == ',') {
			i++
		}
		if i >= len(v) {
			break
		}
		start := i
		for i < len(v) && !space(v[i]) {
			i++
		}
		u := v[start:i]
		desc := ""
		if strings.HasSuffix(u, ",") {
			u = strings.TrimRight(u, ",")
		} else {
			d := i
			paren := false
			for i < len(v) && (paren || v[i] != ',') {
				switch v[i] {
				case '(':
					paren = true
				case ')':
					paren = false
				}
				i++
			}
			desc = strings.TrimSpace(v[d:i])
		}
		if u != "" {
			out = append(out, srcsetCandidate{u, desc, start})
		}
	}
	return out
}

// readRaw reads a raw HTML node for the index: its links, ids and
// removed URLs. The content of an inline <script> (or the like), which
// goldmark parses as the siblings that follow it, is dropped from the
// tree up to the closing tag.
func (d *Document) readRaw(n ast.Node, unsafe bool) {
	if onlyComment(n, d.Source) {
		return
	}
	s := rawScan{doc: d, n: n, node: rawOf(n, d.Source), unsafe: unsafe}
	s.run()
	if s.skip != "" {
		if _, ok := n.(*ast.RawHTML); ok {
			dropRawContent(n, s.skip, d.Source)
		}
	}
}

// dropRawContent removes the siblings after n up to the inline end tag of
// element (which renders nothing).
func dropRawContent(n ast.Node, element string, src []byte) {
	parent, depth := n.Parent(), 1
	for c := n.NextSibling(); c != nil; {
		next := c.NextSibling()
		if r, ok := c.(*ast.RawHTML); ok && r.Segments.Len() > 0 {
			seg := r.Segments.At(0)
			name, end := tagName(seg.Value(src))
			if name == element && end {
				if depth--; depth == 0 {
					return
				}
			} else if name == element {
				depth++
			}
		}
		parent.RemoveChild(parent, c)
		c = next
	}
}

// tagName returns the lower-case name of the tag b starts with, and
// whether it is an end tag.
func tagName(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '<' {
		return "", false
	}
	b, end := b[1:], false
	if b[0] == '/' {
		b, end = b[1:], true
	}
	i := 0
	for i < len(b) && b[i] != '>' && b[i] != '/' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' && b[i] != '\f' {
		i++
	}
	return strings.ToLower(string(b[:i])), end
}

// renderRawHTML renders an HTMLBlock or a RawHTML node.
func (r *nodeRenderer) renderRawHTML(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	if !r.unsafe && onlyComment(n, src) {
		return ast.WalkSkipChildren, nil // a comment shows nothing, as on GitHub
	}
	s := rawScan{n: n, node: rawOf(n, src), unsafe: r.unsafe, out: w}
	if hw, ok := w.(*holeWriter); ok {
		s.hw = hw
		s.links = hw.doc.rawLinks[n]
	}
	s.run()
	return ast.WalkSkipChildren, nil
}
