package markdown

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"math/bits"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/dlclark/regexp2/v2"
	"github.com/dlclark/regexp2/v2/syntax"
)

// Highlighting. A code block's tokens are chroma's, exactly: the same
// lexers, rules and state machine, coalesced the same way, and written as
// chroma's HTML formatter writes them with classes and no surrounding
// <pre> (TestHighlightSameAsChroma compares the two on every code block of
// the shared corpus and of a generated site). What differs is the cost:
//
//   - chroma's lexer tries the rules of the current state one after the
//     other, each a regexp2 match anchored at the position (\G...), which
//     costs a runner, a match and an interpreter start even when its first
//     character cannot match. lexer below runs the same loop but skips a
//     rule whose set of possible first characters, as regexp2 computes it
//     for its own unanchored searches, does not hold the character at the
//     position; a rule that can match the empty string is always tried.
//     Most attempts are skipped that way. A rule made of a word list
//     (wordList) is skipped too where the text does not begin with one of
//     its words, and matched without regexp2 when it is nothing but the
//     words and \b (SQL's 600 keywords, "END-EXEC" among them, which
//     regexp2 tries one by one); and a rule regexp2 runs as a straight
//     line of character steps (simpleRule: "[^'\\]+", "\s+", "[a-z_]\w*")
//     is matched by those steps, without regexp2. Any other rule is
//     skipped where the text holds, before a character the rule cannot
//     take, none of the characters one of which its match must take
//     (bound: Bash's "(\b\w+)(\s*)(\+?=)" needs an "=").
//   - the formatter writes each token straight into the output, without
//     splitting the tokens into lines first nor a fmt.Sprintf per token.
//   - lexers are looked up once per fence language.
//
// A delegating lexer (one language inside another: go-html-template is
// Go templates in HTML, erb and svelte too) whose two lexers are plain
// regular-expression lexers is run as chroma runs it, with the two fast;
// so is Markdown, whose lexer highlights a leading YAML front matter as
// YAML before its rules take the rest (frontMatter);
// so is the language a rule hands its match to (chroma's Using: a
// Dockerfile's RUN lines are Bash), through a registry of fast lexers.
// Any other lexer goes through chroma's own Tokenise, with the same
// formatter.

// highlighter is what a fence language highlights with: fast when the
// language's lexer is a plain regular-expression lexer, delegated when it
// is one language inside another, else chroma's lexer, coalesced; nil
// lexers for a language chroma does not know.
type highlighter struct {
	fast      *lexer
	delegated *delegation
	front     *frontMatter
	slow      chroma.Lexer
	known     bool
}

// delegation is a chroma delegating lexer with its two lexers fast: the
// language's tokens, and the root's for the text the language leaves to
// it (chroma.Other), put back in place.
type delegation struct {
	root, language *lexer
}

// highlighters maps a fence language to its highlighter: chroma's lookup
// falls back to matching file-name patterns, which is slow.
var highlighters sync.Map

func highlighterFor(lang string) *highlighter {
	if h, ok := highlighters.Load(lang); ok {
		return h.(*highlighter)
	}
	h := &highlighter{}
	if lx := lexers.Get(lang); lx != nil {
		h.known = true
		if rl, ok := lx.(*chroma.RegexLexer); ok {
			if fast, err := newLexer(rl); err == nil {
				h.fast = fast
			}
		} else if root, language, ok := delegates(lx); ok {
			r, rok := root.(*chroma.RegexLexer)
			g, gok := language.(*chroma.RegexLexer)
			if rok && gok {
				fr, err1 := newLexer(r)
				fg, err2 := newLexer(g)
				if err1 == nil && err2 == nil {
					h.delegated = &delegation{root: fr, language: fg}
				}
			}
		} else {
			h.front = newFrontMatter(lx)
		}
		if h.fast == nil && h.delegated == nil && h.front == nil {
			h.slow = chroma.Coalesce(lx)
		}
	}
	actual, _ := highlighters.LoadOrStore(lang, h)
	return actual.(*highlighter)
}

// plainLanguage reports whether a fence language means text that is not
// highlighted.
func plainLanguage(lang string) bool {
	return lang == "" || lang == "text" || lang == "plain" || lang == "txt"
}

// highlight writes code, highlighted as lang, as HTML: spans with chroma's
// classes, without a surrounding <pre>. An unknown or plain language is
// written escaped.
func highlight(w io.Writer, lang, code string) error {
	if plainLanguage(lang) {
		_, err := io.WriteString(w, html.EscapeString(code))
		return err
	}
	h := highlighterFor(lang)
	if !h.known {
		_, err := io.WriteString(w, html.EscapeString(code))
		return err
	}
	// Highlighted aside, so that a lexer that fails leaves nothing half
	// written.
	b := buffers.Get().(*bytes.Buffer)
	defer func() { b.Reset(); buffers.Put(b) }()
	if err := h.write(b, code); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

// write writes code highlighted into b. A lexer that fails (a rule that
// names a state the lexer lacks, a mutator's error: chroma panics) is an
// error, and the caller writes the code as text.
func (h *highlighter) write(b *bytes.Buffer, code string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("highlight: %v", r)
		}
	}()
	var it chroma.Iterator
	switch {
	case h.fast != nil:
		it = h.fast.tokenise(code)
	case h.delegated != nil:
		it = coalesce(h.delegated.tokenise(code))
	case h.front != nil:
		if it, err = h.front.tokenise(nil, code); err != nil {
			return err
		}
		it = coalesce(it)
	default:
		if it, err = h.slow.Tokenise(nil, code); err != nil {
			return err
		}
	}
	b.Grow(len(code) * 3)
	writeTokens(b, it)
	return nil
}

// delegates returns the two lexers of a chroma delegating lexer: the root
// language and the one inside it. chroma does not export them; they are
// read from its delegatingLexer's fields, and a chroma whose delegating
// lexer is not that struct, with those fields, gets ok false (and its
// lexers go through chroma, as before).
func delegates(lx chroma.Lexer) (root, language chroma.Lexer, ok bool) {
	v := reflect.ValueOf(lx)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct || v.Elem().Type().Name() != "delegatingLexer" ||
		v.Elem().Type().PkgPath() != reflect.TypeFor[chroma.Token]().PkgPath() {
		return nil, nil, false
	}
	lexerType := reflect.TypeFor[chroma.Lexer]()
	field := func(name string) chroma.Lexer {
		f := v.Elem().FieldByName(name)
		if !f.IsValid() || f.Type() != lexerType {
			return nil
		}
		l, _ := reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Interface().(chroma.Lexer)
		return l
	}
	root, language = field("root"), field("language")
	return root, language, root != nil && language != nil
}

// frontMatter is chroma's Markdown lexer with its rules fast: a text that
// opens with a YAML front matter ("---" lines around it) has it
// highlighted as YAML, the rest by the Markdown rules, as chroma's
// markdownLexer does. Run through chroma, the shared corpus's Markdown
// fences took 5.6 µs a byte; so, 2.3 (other languages' about 0.3).
type frontMatter struct {
	body *lexer
}

// newFrontMatter returns chroma's Markdown lexer lx with its rules fast,
// or nil when lx is not that lexer (of its type, which wraps a
// regular-expression lexer) or its rules are not ones lexer runs.
func newFrontMatter(lx chroma.Lexer) *frontMatter {
	v := reflect.ValueOf(lx)
	if !v.IsValid() || v.Type() != reflect.TypeOf(lexers.Markdown) || v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct ||
		v.Elem().Type().Name() != "markdownLexer" {
		return nil
	}
	f := v.Elem().FieldByName("Lexer")
	if !f.IsValid() || f.Type() != reflect.TypeFor[chroma.Lexer]() || !f.CanInterface() {
		return nil
	}
	rl, ok := f.Interface().(*chroma.RegexLexer)
	if !ok {
		return nil
	}
	body, err := newLexer(rl)
	if err != nil {
		return nil
	}
	return &frontMatter{body: body}
}

// tokenise is chroma's markdownLexer.Tokenise: the front matter's tokens
// as YAML's, then the rest's, not coalesced.
func (f *frontMatter) tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	if options == nil {
		options = &chroma.TokeniseOptions{State: "root", EnsureLF: true}
	}
	front, rest, ok := splitFrontMatter(text)
	if !ok {
		return f.body.tokeniseWith(options, text), nil
	}
	yaml := fastLexers().Get("YAML")
	if yaml == nil {
		return f.body.tokeniseWith(options, text), nil
	}
	yamlTokens, err := yaml.Tokenise(options, front)
	if err != nil {
		return nil, err
	}
	return chroma.Concaterator(yamlTokens, f.body.tokeniseWith(options, rest)), nil
}

// splitFrontMatter splits off a leading front matter as chroma's
// Markdown lexer does: from a first line "---" to the next such line,
// each line's one "\r" before its newline aside; ok false when text does
// not open with one that is closed.
func splitFrontMatter(text string) (front, rest string, ok bool) {
	first, _, found := strings.Cut(text, "\n")
	if !found || strings.TrimSuffix(first, "\r") != "---" {
		return "", text, false
	}
	for at := len(first) + 1; ; {
		line, _, found := strings.Cut(text[at:], "\n")
		if !found {
			return "", text, false
		}
		at += len(line) + 1
		if strings.TrimSuffix(line, "\r") == "---" {
			return text[:at], text[at:], true
		}
	}
}

// tokenise returns the tokens of text as chroma's delegating lexer makes
// them, before the coalescing its caller does: the language's tokens
// (coalesced), with the runs it leaves to the root (chroma.Other)
// tokenised together by the root (coalesced) and put back where they
// were, cut where the language's tokens go.
func (d *delegation) tokenise(text string) chroma.Iterator {
	type insertion struct {
		start, end int
		tokens     []chroma.Token
	}
	var others strings.Builder
	var insertions []*insertion
	var insert *insertion
	offset := 0
	last := chroma.EOF
	it := d.language.tokenise(text)
	for t := it(); t != chroma.EOF; t = it() {
		if t.Type == chroma.Other {
			if last != chroma.EOF && insert != nil && last.Type != chroma.Other {
				insert.end = offset
			}
			others.WriteString(t.Value)
		} else {
			if last == chroma.EOF || last.Type == chroma.Other {
				insert = &insertion{start: offset}
				insertions = append(insertions, insert)
			}
			insert.tokens = append(insert.tokens, t)
		}
		last = t
		offset += len(t.Value)
	}
	if len(insertions) == 0 {
		return d.root.tokenise(text)
	}
	var rootTokens []chroma.Token
	rit := d.root.tokenise(others.String())
	for t := rit(); t != chroma.EOF; t = rit() {
		rootTokens = append(rootTokens, t)
	}
	var out []chroma.Token
	offset = 0
	next := func() chroma.Token {
		if len(rootTokens) == 0 {
			return chroma.EOF
		}
		t := rootTokens[0]
		rootTokens = rootTokens[1:]
		return t
	}
	t := next()
	for len(insertions) > 0 || t != chroma.EOF {
		if t == chroma.EOF || len(insertions) > 0 && insertions[0].start < offset+len(t.Value) {
			ins := insertions[0]
			insertions = insertions[1:]
			var l chroma.Token
			l, t = splitToken(t, ins.start-offset)
			if l != chroma.EOF {
				out = append(out, l)
				offset += len(l.Value)
			}
			out = append(out, ins.tokens...)
			offset += ins.end - ins.start
			if t == chroma.EOF {
				t = next()
			}
		} else {
			out = append(out, t)
			offset += len(t.Value)
			t = next()
		}
	}
	return chroma.Literator(out...)
}

// splitToken cuts t at offset, as chroma's delegating lexer does: EOF for
// an empty side.
func splitToken(t chroma.Token, offset int) (l, r chroma.Token) {
	switch {
	case t == chroma.EOF:
		return chroma.EOF, chroma.EOF
	case offset == 0:
		return chroma.EOF, t
	case offset == len(t.Value):
		return t, chroma.EOF
	}
	l, r = t.Clone(), t.Clone()
	l.Value, r.Value = l.Value[:offset], r.Value[offset:]
	return l, r
}

// writeTokens writes tokens as chroma's HTML formatter does with classes
// and PreventSurroundingPre: a token's text, split after each newline,
// each piece escaped and, when its type has a class, in a span of that
// class.
func writeTokens(b *bytes.Buffer, it chroma.Iterator) {
	for t := it(); t != chroma.EOF; t = it() {
		class := classOf(t.Type)
		v := t.Value
		for v != "" {
			piece := v
			if i := strings.IndexByte(v, '\n'); i >= 0 {
				piece = v[:i+1]
			}
			v = v[len(piece):]
			if class != "" {
				b.WriteString(`<span class="`)
				b.WriteString(class)
				b.WriteString(`">`)
			}
			escapeHTML(b, piece)
			if class != "" {
				b.WriteString("</span>")
			}
		}
	}
}

// classes caches classOf's answers by token type.
var classes sync.Map

// classOf returns the CSS class of a token type, as chroma's formatter
// finds it: the type's own, or its nearest ancestor's.
func classOf(t chroma.TokenType) string {
	if c, ok := classes.Load(t); ok {
		return c.(string)
	}
	class := ""
	for tt := t; ; tt = tt.Parent() {
		if cls, ok := chroma.StandardTypes[tt]; ok {
			class = cls
			break
		}
		if tt == 0 {
			break
		}
	}
	classes.Store(t, class)
	return class
}

// escapeHTML writes s escaped as html.EscapeString escapes it.
func escapeHTML(b *bytes.Buffer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '&':
			esc = "&amp;"
		case '\'':
			esc = "&#39;"
		case '"':
			esc = "&#34;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(esc)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// lexer is a chroma regular-expression lexer with its rules compiled
// again, each with the characters it can start with.
type lexer struct {
	rl    *chroma.RegexLexer
	cfg   *chroma.Config
	rules chroma.CompiledRules
	// first holds, per state, the first characters of each of its rules
	// (nil: any, the rule may match the empty string), and the rules they
	// were computed for.
	first map[string]firstOf
}

type firstOf struct {
	rules []*chroma.CompiledRule
	first []*syntax.Prefix
	// words, for a rule whose match must begin with a word of a list
	// (chroma's Words), is that list; nil for other rules.
	words []*wordList
	// simple, for a rule regexp2 runs as a straight line of character
	// steps ("[^'\\]+", "\s+", "[a-z_]\w*", "."), is that line; nil for
	// other rules.
	simple []simpleRule
	// ascii holds, for each rule, the ASCII characters mayStart allows
	// with its first characters, bit c of word c/64: most text is ASCII,
	// and mayStart's class lookup (three, ignoring case) at every rule and
	// position was a tenth of highlighting.
	ascii [][2]uint64
	// bounds, for a rule regexp2 runs, are the characters its matches are
	// made of (bound), taken the first time regexp2 is to run it (most
	// rules of a large lexer never are); noBound when there is none.
	bounds []atomic.Pointer[bound]
}

// noBound stands for a rule without a bound.
var noBound = &bound{}

// boundAt returns rule i's bound, or nil.
func (f *firstOf) boundAt(i int) *bound {
	b := f.bounds[i].Load()
	if b == nil {
		if b = boundOf(f.rules[i].Regexp.String()); b == nil {
			b = noBound
		}
		f.bounds[i].Store(b)
	}
	if b == noBound {
		return nil
	}
	return b
}

// may reports whether rule i can start with ch, as mayStart says.
func (f *firstOf) may(i int, ch rune) bool {
	if ch < utf8.RuneSelf {
		return f.ascii[i][ch>>6]&(1<<(ch&63)) != 0
	}
	return mayStart(f.first[i], ch)
}

// asciiStarts returns the ASCII characters mayStart allows with p.
func asciiStarts(p *syntax.Prefix) [2]uint64 {
	var set [2]uint64
	for c := rune(0); c < utf8.RuneSelf; c++ {
		if mayStart(p, c) {
			set[c>>6] |= 1 << (c & 63)
		}
	}
	return set
}

// newLexer compiles rl's rules as chroma does (the same patterns, flags,
// timeouts and compile-time mutators such as include) and computes their
// first characters.
func newLexer(rl *chroma.RegexLexer) (*lexer, error) {
	raw, err := rl.Rules()
	if err != nil {
		return nil, err
	}
	cfg := rl.Config()
	flags := ""
	if !cfg.NotMultiline {
		flags += "m"
	}
	if cfg.CaseInsensitive {
		flags += "i"
	}
	if cfg.DotAll {
		flags += "s"
	}
	rules := chroma.CompiledRules{}
	first := map[*chroma.CompiledRule]*syntax.Prefix{}
	words := map[*chroma.CompiledRule]*wordList{}
	simple := map[*chroma.CompiledRule]simpleRule{}
	for state, rs := range raw {
		rules[state] = nil
		for _, r := range rs {
			pattern := "(?:" + r.Pattern + ")"
			if flags != "" {
				pattern = "(?" + flags + ")" + pattern
			}
			pattern = `\G` + pattern
			re, err := regexp2.Compile(pattern)
			if err != nil {
				return nil, fmt.Errorf("compile rule %s: %w", state, err)
			}
			re.MatchTimeout = 250 * time.Millisecond
			cr := &chroma.CompiledRule{Rule: r, Regexp: re}
			code := compiled(pattern)
			first[cr] = firstChars(code)
			if w := wordsOf(r.Pattern, cfg.CaseInsensitive); w != nil {
				words[cr] = w
			}
			if sr := simpleOf(code); sr != nil {
				simple[cr] = sr
			}
			rules[state] = append(rules[state], cr)
		}
	}
	// The compile-time mutators (include, combined) rewrite the rules, as
	// chroma's compilation runs them: each once, from the start again
	// after each.
restart:
	for state := range rules {
		for i := range rules[state] {
			if m, ok := rules[state][i].Mutator.(chroma.LexerMutator); ok {
				if err := m.MutateLexer(rules, state, i); err != nil {
					return nil, err
				}
				goto restart
			}
		}
	}
	lx := &lexer{rl: rl, cfg: cfg, rules: rules, first: map[string]firstOf{}}
	for state, rs := range rules {
		fs := make([]*syntax.Prefix, len(rs))
		ws := make([]*wordList, len(rs))
		sims := make([]simpleRule, len(rs))
		ascii := make([][2]uint64, len(rs))
		bs := make([]atomic.Pointer[bound], len(rs))
		for i, r := range rs {
			p, ok := first[r]
			if !ok && r.Regexp != nil {
				p = firstChars(compiled(r.Regexp.String()))
			}
			fs[i], ws[i], sims[i] = p, words[r], simple[r]
			ascii[i] = asciiStarts(p)
		}
		lx.first[state] = firstOf{rules: rs, first: fs, words: ws, simple: sims, ascii: ascii, bounds: bs}
	}
	return lx, nil
}

// patientTimeout is how long a match that timed out (after chroma's 250
// ms) is given when it is tried again.
var patientTimeout = 5 * time.Second

// findMatch finds the match of re in text at pos; a variable so that a
// test can make it time out.
var findMatch = func(re *regexp2.Regexp, text []rune, pos int) (*regexp2.Match, error) {
	return re.FindRunesMatchStartingAt(text, pos)
}

// compiled is pattern as regexp2 compiles it, with its class tables
// ready to be read from several goroutines; nil if it does not compile.
func compiled(pattern string) *syntax.Code {
	tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
	if err != nil {
		return nil
	}
	code, err := syntax.Write(tree)
	if err != nil {
		return nil
	}
	code.PrepareCharSetASCIIBitmaps()
	return code
}

// firstChars returns the characters a match of a compiled pattern can
// start with, as regexp2 computes them for its own searches; nil when any
// can (or the pattern may match the empty string).
func firstChars(code *syntax.Code) *syntax.Prefix {
	if code == nil {
		return nil
	}
	return code.FcPrefix
}

// A simpleRule is a rule that regexp2 compiles to a straight line of
// steps over characters that never backtrack: single characters, classes
// and literal strings, repeated a fixed number of times or greedily
// without giving back ("[^'\\]+", "\s+", "[a-z_]\w*", "."): a third of
// the rules of chroma's lexers. Its match is found by taking the steps in
// order; TestSimpleRulesMatchRegexp checks it is regexp2's.
type simpleRule []step

// A step matches between min and max characters (or the string str once).
type step struct {
	op       syntax.InstOp // syntax.One, Notone, Set or Multi
	ch       rune
	set      *syntax.CharSet
	str      []rune
	min, max int
}

// simpleOf returns the steps of a compiled pattern (with its \G and
// flags) that regexp2 runs as a simpleRule, or nil. The program must be
// the capture of group 0 around the \G anchor and the steps, each step an
// instruction without flags (case folding, right to left).
func simpleOf(code *syntax.Code) simpleRule {
	if code == nil || code.Capsize != 1 || code.RightToLeft {
		return nil
	}
	c := code.Codes
	n := len(c)
	if n < 9 || syntax.InstOp(c[0]) != syntax.Lazybranch || c[1] != n-1 || syntax.InstOp(c[2]) != syntax.Setmark || syntax.InstOp(c[3]) != syntax.Start ||
		syntax.InstOp(c[n-4]) != syntax.Capturemark || c[n-3] != 0 || c[n-2] != -1 || syntax.InstOp(c[n-1]) != syntax.Stop {
		return nil
	}
	var steps simpleRule
	for i := 4; i < n-4; {
		op := syntax.InstOp(c[i])
		st := step{min: 1, max: 1}
		size := 2 // the instruction and its character, class or string
		switch op {
		case syntax.One, syntax.Notone, syntax.Set, syntax.Multi:
			st.op = op
		case syntax.Onerep, syntax.Notonerep, syntax.Setrep:
			st.op, st.min, st.max, size = op-syntax.Onerep+syntax.One, c[i+2], c[i+2], 3
		case syntax.Oneloopatomic, syntax.Notoneloopatomic, syntax.Setloopatomic:
			st.op, st.min, st.max, size = op-syntax.Oneloopatomic+syntax.One, 0, c[i+2], 3
		default:
			return nil
		}
		if i+size > n-4 {
			return nil
		}
		switch operand := c[i+1]; st.op {
		case syntax.Set:
			st.set = code.Sets[operand]
		case syntax.Multi:
			st.str = code.Strings[operand]
		default:
			st.ch = rune(operand)
		}
		steps = append(steps, st)
		i += size
	}
	if len(steps) == 0 {
		return nil
	}
	return steps
}

// match returns where the rule's match at pos ends, or -1 when it does
// not match there.
func (r simpleRule) match(text []rune, pos int) int {
	for _, st := range r {
		if st.op == syntax.Multi {
			if len(text)-pos < len(st.str) || !slices.Equal(text[pos:pos+len(st.str)], st.str) {
				return -1
			}
			pos += len(st.str)
			continue
		}
		n := 0
		for n < st.max && pos+n < len(text) && st.takes(text[pos+n]) {
			n++
		}
		if n < st.min {
			return -1
		}
		pos += n
	}
	return pos
}

func (st *step) takes(r rune) bool {
	switch st.op {
	case syntax.One:
		return r == st.ch
	case syntax.Notone:
		return r != st.ch
	}
	return st.set.CharIn(r)
}

// mayStart reports whether a match of a rule with first characters p can
// start with ch.
func mayStart(p *syntax.Prefix, ch rune) bool {
	if p == nil || p.PrefixSet.CharIn(ch) {
		return true
	}
	if p.CaseInsensitive {
		return p.PrefixSet.CharIn(unicode.ToLower(ch)) || p.PrefixSet.CharIn(unicode.ToUpper(ch)) || p.PrefixSet.CharIn(unicode.ToTitle(ch))
	}
	return false
}

// tokenise returns the tokens of text, coalesced as chroma.Coalesce does.
func (lx *lexer) tokenise(text string) chroma.Iterator {
	return coalesce(lx.tokeniseWith(&chroma.TokeniseOptions{State: "root", EnsureLF: true}, text))
}

// tokeniseWith is chroma's RegexLexer.Tokenise: the tokens of text, as
// they come, from the state options names.
func (lx *lexer) tokeniseWith(options *chroma.TokeniseOptions, text string) chroma.Iterator {
	if options.EnsureLF {
		text = ensureLF(text)
	}
	newlineAdded := false
	if !options.Nested && lx.cfg.EnsureNL && !strings.HasSuffix(text, "\n") {
		text += "\n"
		newlineAdded = true
	}
	s := &lexState{lx: lx, newlineAdded: newlineAdded, initial: options.State, state: &chroma.LexerState{
		Registry:       fastLexers(),
		Lexer:          lx.rl,
		Text:           []rune(text),
		Stack:          []string{options.State},
		Rules:          lx.rules,
		MutatorContext: map[any]any{},
	}}
	return s.next
}

// fastLexers is chroma's registry with its regular-expression lexers run
// as lexer runs them. A rule that hands its match to another language
// (chroma's Using: a Dockerfile's RUN lines to Bash, a Markdown fence to
// its language) looks the language up in the registry of the state it
// runs in, which is this one: the other language is fast too.
var fastLexers = sync.OnceValue(func() *chroma.LexerRegistry {
	reg := chroma.NewLexerRegistry()
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		reg.Register(&registered{Lexer: l})
	}
	return reg
})

// registered is a lexer of fastLexers: chroma's, but for Tokenise, which
// runs a regular-expression lexer as lexer does (compiled the first time
// it is asked for). Registering it leaves chroma's lexer as it was.
type registered struct {
	chroma.Lexer
	once  sync.Once
	fast  *lexer
	front *frontMatter
}

func (r *registered) SetRegistry(*chroma.LexerRegistry) chroma.Lexer { return r }

func (r *registered) SetAnalyser(func(string) float32) chroma.Lexer { return r }

func (r *registered) Tokenise(options *chroma.TokeniseOptions, text string) (chroma.Iterator, error) {
	r.once.Do(func() {
		if rl, ok := r.Lexer.(*chroma.RegexLexer); ok {
			if lx, err := newLexer(rl); err == nil {
				r.fast = lx
			}
		} else {
			r.front = newFrontMatter(r.Lexer)
		}
	})
	if r.front != nil {
		return r.front.tokenise(options, text)
	}
	if r.fast == nil {
		return r.Lexer.Tokenise(options, text)
	}
	if options == nil {
		options = &chroma.TokeniseOptions{State: "root", EnsureLF: true}
	}
	return r.fast.tokeniseWith(options, text), nil
}

// coalesce joins runs of tokens of one type and drops empty tokens, as
// chroma.Coalesce does.
func coalesce(it chroma.Iterator) chroma.Iterator {
	var prev chroma.Token
	return func() chroma.Token {
		for t := it(); t != chroma.EOF; t = it() {
			if len(t.Value) == 0 {
				continue
			}
			if prev == chroma.EOF {
				prev = t
			} else if prev.Type == t.Type && len(prev.Value) < 8192 {
				prev.Value += t.Value
			} else {
				out := prev
				prev = t
				return out
			}
		}
		out := prev
		prev = chroma.EOF
		return out
	}
}

// ensureLF replaces \r\n and \r by \n, as chroma's default options do.
func ensureLF(text string) string {
	if strings.IndexByte(text, '\r') < 0 {
		return text
	}
	return strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
}

// lexState is one run of a lexer: chroma's LexerState.Iterator with the
// rules that cannot start at the position skipped.
type lexState struct {
	lx           *lexer
	state        *chroma.LexerState
	stack        []chroma.Iterator
	newlineAdded bool
	named        map[string]string // the named groups of the last match
	initial      string            // the state the run starts in
}

// emitted returns the next token of the emitters a rule left, dropping
// those that are done; false when none is left.
func (s *lexState) emitted() (chroma.Token, bool) {
	for len(s.stack) > 0 {
		n := len(s.stack) - 1
		t := s.stack[n]()
		if t.Type == chroma.Ignore {
			continue
		}
		if t == chroma.EOF {
			s.stack = s.stack[:n]
			continue
		}
		return t, true
	}
	return chroma.Token{}, false
}

func (s *lexState) next() chroma.Token {
	l := s.state
	end := len(l.Text)
	if s.newlineAdded {
		end--
	}
	for l.Pos < end && len(l.Stack) > 0 {
		if t, ok := s.emitted(); ok {
			return t
		}
		l.State = l.Stack[len(l.Stack)-1]
		rules, ok := l.Rules[l.State]
		if !ok {
			panic("unknown state " + l.State) // as chroma does; recovered by highlight's caller
		}
		ruleIndex, rule, groups, named := s.match(rules, s.lx.first[l.State])
		if groups == nil {
			// As chroma (after Pygments): a newline no rule takes, out
			// of the state the run started in, empties the stack.
			if l.Text[l.Pos] == '\n' && l.State != s.initial {
				l.Stack = []string{s.initial}
				continue
			}
			l.Pos++
			return chroma.Token{Type: chroma.Error, Value: string(l.Text[l.Pos-1 : l.Pos])}
		}
		l.Rule = ruleIndex
		l.Groups = groups
		l.NamedGroups = named
		l.Pos += utf8.RuneCountInString(groups[0])
		if rule.Mutator != nil {
			if err := rule.Mutator.Mutate(l); err != nil {
				panic(err)
			}
		}
		if rule.Type != nil {
			s.stack = append(s.stack, rule.Type.Emit(l.Groups, l))
		}
	}
	if t, ok := s.emitted(); ok {
		return t
	}
	if l.Pos != len(l.Text) && len(l.Stack) == 0 {
		value := string(l.Text[l.Pos:])
		l.Pos = len(l.Text)
		return chroma.Token{Type: chroma.Error, Value: value}
	}
	return chroma.EOF
}

// match is chroma's matchRules, skipping the rules that cannot start with
// the character at the position.
// A rule that a mutator put in place while lexing (Raku's do) is always
// tried.
func (s *lexState) match(rules []*chroma.CompiledRule, f firstOf) (int, *chroma.CompiledRule, []string, map[string]string) {
	l := s.state
	ch := l.Text[l.Pos]
	for i, rule := range rules {
		known := i < len(f.rules) && f.rules[i] == rule
		if known && (!f.may(i, ch) || f.words[i] != nil && !f.words[i].mayBegin(l.Text, l.Pos)) {
			continue
		}
		if known && f.words[i] != nil && f.words[i].exact {
			end := f.words[i].word(l.Text, l.Pos)
			if end == -1 {
				continue
			}
			if end >= 0 {
				if s.named == nil {
					s.named = make(map[string]string, 2)
				}
				clear(s.named)
				text := string(l.Text[l.Pos:end])
				s.named["0"], s.named["1"] = text, text
				return i, rule, []string{text, text}, s.named
			}
		}
		if known && f.simple[i] != nil {
			// Matched as regexp2 would, without its machinery.
			end := f.simple[i].match(l.Text, l.Pos)
			if end < 0 {
				continue
			}
			if s.named == nil {
				s.named = make(map[string]string, 1)
			}
			clear(s.named)
			text := string(l.Text[l.Pos:end])
			s.named["0"] = text
			return i, rule, []string{text}, s.named
		}
		if known {
			if b := f.boundAt(i); b != nil && b.rulesOut(l.Text, l.Pos) {
				continue
			}
		}
		m, err := findMatch(rule.Regexp, l.Text, l.Pos)
		if err != nil {
			// regexp2 times a match by the clock: a goroutine held up on a
			// busy machine (a collection, the other cores' work) times out
			// a match of microseconds, and the token would depend on the
			// machine's load: the same block, highlighted in two builds,
			// came out two ways. A match that times out is tried again
			// with longer; one that times out again fails the lexer, and
			// the block is written as text (write).
			patient := *rule.Regexp
			patient.MatchTimeout = patientTimeout
			if m, err = findMatch(&patient, l.Text, l.Pos); err != nil {
				panic(err)
			}
		}
		if m != nil && m.RuneIndex == l.Pos {
			gs := m.Groups()
			groups := make([]string, len(gs))
			// One map serves every match of the run: what reads it (a
			// mutator, an emitter by group names) does so before the next
			// match.
			if s.named == nil {
				s.named = make(map[string]string, len(gs))
			}
			clear(s.named)
			for k, g := range gs {
				groups[k] = g.String()
				s.named[g.Name] = groups[k]
			}
			return i, rule, groups, s.named
		}
	}
	return 0, &chroma.CompiledRule{}, nil, nil
}

// A bound is what every match of a rule is made of: the characters it
// can take (can, for ASCII; beyond when it can take any beyond ASCII), and
// ASCII characters one of which it must take (must). Where the text
// holds none of must before a character the rule cannot take, the rule
// cannot match: Bash's "(\b\w+)(\s*)(\+?=)", tried at every word, must take
// an "=", and most words are followed by a space and then something else
// than a word, a space or "=".
type bound struct {
	can, must [2]uint64
	beyond    bool
}

// boundReach is how far rulesOut looks: a rule whose match may reach
// further is left to regexp2.
const boundReach = 16

// rulesOut reports whether no match of the rule can start at pos.
func (b *bound) rulesOut(text []rune, pos int) bool {
	for i := pos; i < len(text) && i < pos+boundReach; i++ {
		c := text[i]
		switch {
		case c >= utf8.RuneSelf:
			return !b.beyond
		case b.must[c>>6]&(1<<(c&63)) != 0:
			return false
		case b.can[c>>6]&(1<<(c&63)) == 0:
			return true
		}
	}
	return pos+boundReach > len(text)
}

// boundOf returns the bound of a rule's pattern (as regexp2 compiles
// it), or nil when it cannot tell: a pattern that ignores case, refers
// back to a group or tests one, or must take no character it can name.
func boundOf(pattern string) *bound {
	tree, err := syntax.Parse(pattern, syntax.ParseOptions{})
	if err != nil {
		return nil
	}
	sets := charSets{}
	must, ok := sets.mustTake(tree.Root)
	if !ok || must == [2]uint64{} {
		return nil
	}
	b := &bound{}
	if !b.take(tree.Root, sets) {
		return nil
	}
	// A rule that can take nearly any character ("(.*?)(=)") would be
	// scanned up to boundReach at every attempt, for nothing.
	refused := 0
	for c := rune(' '); c <= '~'; c++ {
		if b.can[c>>6]&(1<<(c&63)) == 0 {
			refused++
		}
	}
	if refused < minRefused {
		return nil
	}
	b.must = must
	return b
}

// minRefused is how many of ASCII's printable characters a rule's bound
// must refuse to be worth a scan.
const minRefused = 8

// take adds to b.can and b.beyond what n can take; false when it cannot
// tell.
func (b *bound) take(n *syntax.RegexNode, sets charSets) bool {
	if n.Options&syntax.IgnoreCase != 0 {
		return false
	}
	switch n.T {
	case syntax.NtOne, syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		b.add(n.Ch)
	case syntax.NtMulti:
		for _, c := range n.Str {
			b.add(c)
		}
	case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic,
		syntax.NtSet, syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		set := sets.of(n)
		b.can[0] |= set[0]
		b.can[1] |= set[1]
		b.beyond = true
	case syntax.NtBol, syntax.NtEol, syntax.NtBoundary, syntax.NtNonboundary, syntax.NtBeginning,
		syntax.NtStart, syntax.NtEndZ, syntax.NtEnd, syntax.NtECMABoundary, syntax.NtNonECMABoundary,
		syntax.NtNothing, syntax.NtEmpty, syntax.NtUpdateBumpalong:
	case syntax.NtPosLook, syntax.NtNegLook:
		// Takes nothing; a group it captures is only ever taken by a
		// reference back to it, which gives up.
	case syntax.NtAlternate, syntax.NtConcatenate, syntax.NtLoop, syntax.NtLazyloop,
		syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		for _, k := range n.Children {
			if !b.take(k, sets) {
				return false
			}
		}
	default: // references back, conditions, anything new
		return false
	}
	return true
}

func (b *bound) add(c rune) {
	if c >= utf8.RuneSelf {
		b.beyond = true
		return
	}
	b.can[c>>6] |= 1 << (c & 63)
}

// charSets remembers the ASCII characters of the one-character nodes of
// a pattern: mustTake and take both ask.
type charSets map[*syntax.RegexNode][2]uint64

// of returns the ASCII characters a one-character node takes.
func (cs charSets) of(n *syntax.RegexNode) [2]uint64 {
	if set, ok := cs[n]; ok {
		return set
	}
	var set [2]uint64
	for c := rune(0); c < utf8.RuneSelf; c++ {
		var in bool
		switch n.T {
		case syntax.NtNotone, syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic:
			in = c != n.Ch
		default:
			in = n.Set.CharIn(c)
		}
		if in {
			set[c>>6] |= 1 << (c & 63)
		}
	}
	cs[n] = set
	return set
}

// mustTake returns ASCII characters one of which every match of n
// takes (a character beyond ASCII it may take instead makes rulesOut
// leave the rule to regexp2, as the pattern's bound is then beyond
// ASCII); false when it cannot tell.
func (cs charSets) mustTake(n *syntax.RegexNode) ([2]uint64, bool) {
	one := func(c rune) ([2]uint64, bool) {
		if c >= utf8.RuneSelf {
			return [2]uint64{}, false
		}
		var set [2]uint64
		set[c>>6] |= 1 << (c & 63)
		return set, true
	}
	switch n.T {
	case syntax.NtOne:
		return one(n.Ch)
	case syntax.NtMulti:
		return one(n.Str[0])
	case syntax.NtOneloop, syntax.NtOnelazy, syntax.NtOneloopatomic:
		if n.M >= 1 {
			return one(n.Ch)
		}
	case syntax.NtNotone, syntax.NtSet:
		return cs.of(n), true
	case syntax.NtNotoneloop, syntax.NtNotonelazy, syntax.NtNotoneloopatomic,
		syntax.NtSetloop, syntax.NtSetlazy, syntax.NtSetloopatomic:
		if n.M >= 1 {
			return cs.of(n), true
		}
	case syntax.NtLoop, syntax.NtLazyloop:
		if n.M >= 1 {
			return cs.mustTake(n.Children[0])
		}
	case syntax.NtCapture, syntax.NtGroup, syntax.NtAtomic:
		return cs.mustTake(n.Children[0])
	case syntax.NtConcatenate:
		// Any part will do: the one with the fewest characters.
		var best [2]uint64
		found := false
		for _, k := range n.Children {
			if set, ok := cs.mustTake(k); ok && (!found || bits.OnesCount64(set[0])+bits.OnesCount64(set[1]) < bits.OnesCount64(best[0])+bits.OnesCount64(best[1])) {
				best, found = set, true
			}
		}
		return best, found
	case syntax.NtAlternate:
		var all [2]uint64
		for _, k := range n.Children {
			set, ok := cs.mustTake(k)
			if !ok {
				return [2]uint64{}, false
			}
			all[0] |= set[0]
			all[1] |= set[1]
		}
		return all, len(n.Children) > 0
	}
	return [2]uint64{}, false
}

// A wordList is the list of words one of which a rule's match must begin
// with: a rule made by chroma's Words, "(if|then|else)" with nothing
// before it but an assertion that matches no text (\b, (?<!\.)) and
// anything after it that is not another alternative. SQL's keywords are
// 600 words, which regexp2 tries one by one at every identifier; a lookup
// of the text's first letters rules most identifiers out at once. It only
// rules out: where a word may begin, the rule's expression decides, so
// the tokens are chroma's.
type wordList struct {
	set  map[string]bool // lowercased when fold
	lens []int           // the words' lengths, ascending, once each
	fold bool            // the rule ignores case
	// whole is set when the words are followed by \b: a match is then a
	// whole word of the text, not a word's beginning.
	whole bool
	// exact is set when the pattern is nothing but the words before \b,
	// with nothing or \b or (?<!\.) before them: the word at the position
	// is then the match, and its one group (word).
	exact  bool
	before string // what the words come after: "", \b or (?<!\.)
	// phrases are the words made of runs of letters, digits and
	// underscores joined by spaces or hyphens (SQL's "END-EXEC", Python's
	// "yield from"), in the list's order, with rank giving each word's
	// place in it when there are any: the first alternative that matches
	// is the match, and "END-EXEC" comes before "END".
	phrases []string
	rank    map[string]int
}

// wordsPattern is a rule made by chroma's Words: an assertion, a group of
// alternative words of ASCII letters, digits and underscores (or runs of
// them joined by single spaces or hyphens), and the rest.
var wordsPattern = regexp.MustCompile(`^(\\b|\(\?<!\\\.\)|\(\?i\))?\((` + wordAlt + `(?:\|` + wordAlt + `)*)\)(.*)$`)

// wordAlt is one word of wordsPattern's list. A word may begin with a
// space or a hyphen (SQL's list has " TEMP"), unless it must follow an
// assertion (wordsOf).
const wordAlt = `[ -]?[A-Za-z0-9_]+(?:[ -][A-Za-z0-9_]+)*`

// maxWord is the longest word a wordList takes; a rule with a longer one
// is left to its expression.
const maxWord = 64

// wordsOf returns the words a match of pattern must begin with, or nil when
// pattern is not a list of words (or one that can match elsewhere: an
// alternative after the list). fold is the lexer's case-insensitivity.
func wordsOf(pattern string, fold bool) *wordList {
	m := wordsPattern.FindStringSubmatch(pattern)
	if m == nil || !singleBranch(m[3]) || strings.IndexAny(m[3][:min(1, len(m[3]))], "?*+{") == 0 {
		return nil // not the words, or the words made optional or repeated
	}
	if m[1] == "(?i)" || strings.Contains(m[3], "(?i") {
		fold = true // an inline flag, before or after: the words may be in any case
	}
	w := &wordList{set: map[string]bool{}, fold: fold, whole: strings.HasPrefix(m[3], `\b`), before: m[1]}
	w.exact = m[3] == `\b` && m[1] != "(?i)"
	rank := map[string]int{}
	for _, word := range strings.Split(m[2], "|") {
		if len(word) > maxWord {
			return nil
		}
		if fold {
			word = strings.ToLower(word)
		}
		if !w.set[word] {
			w.set[word] = true
			w.lens = append(w.lens, len(word))
			rank[word] = len(rank)
			if strings.ContainsAny(word, " -") {
				if !asciiWord(word[0]) && w.before != "" {
					return nil // \b or (?<!\.) before what is not a word
				}
				w.phrases = append(w.phrases, word)
			}
		}
	}
	if w.phrases != nil {
		w.rank = rank
	}
	slices.Sort(w.lens)
	w.lens = slices.Compact(w.lens)
	return w
}

// singleBranch reports whether the rest of a pattern has no alternation
// at its top level: a | outside groups and character classes would let
// the whole match something else than the words.
func singleBranch(rest string) bool {
	depth := 0
	for i := 0; i < len(rest); i++ {
		switch rest[i] {
		case '\\':
			i++
		case '[':
			// A class: up to its closing ], which may come first.
			i++
			if i < len(rest) && rest[i] == '^' {
				i++
			}
			if i < len(rest) && rest[i] == ']' {
				i++
			}
			for ; i < len(rest) && rest[i] != ']'; i++ {
				if rest[i] == '\\' {
					i++
				}
			}
			if i >= len(rest) {
				return false
			}
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				return false
			}
		case '|':
			if depth == 0 {
				return false
			}
		}
	}
	return depth == 0
}

// mayBegin reports whether text at pos begins with one of the words: false
// only when no match of the rule can start there. Text that is not ASCII
// within the longest word's reach is left to the expression, whose case
// folding knows more than ASCII's.
func (w *wordList) mayBegin(text []rune, pos int) bool {
	if w.whole {
		// Each word is letters, digits and underscores: followed by \b,
		// a match is the text's whole run of them, unless a letter beyond
		// ASCII (which \b counts as one) comes next; or a phrase.
		if w.wholeWord(text, pos) != -1 {
			return true
		}
		for _, p := range w.phrases {
			if w.phraseAt(text, pos, p) != -1 {
				return true
			}
		}
		return false
	}
	var buf [maxWord]byte
	longest := w.lens[len(w.lens)-1]
	n := 0
	for ; n < longest && pos+n < len(text); n++ {
		r := text[pos+n]
		if r >= utf8.RuneSelf {
			return true
		}
		buf[n] = w.lower(byte(r))
	}
	for _, l := range w.lens {
		if l > n {
			break
		}
		if w.set[string(buf[:l])] {
			return true
		}
	}
	return false
}

// word returns where the match of an exact word list (exact) at pos ends:
// -1 when there is none, -2 when the expression must decide (a character
// beyond ASCII next to the word, which regexp2's \b and case folding know
// more of).
func (w *wordList) word(text []rune, pos int) int {
	if pos > 0 {
		switch prev := text[pos-1]; {
		case w.before == `(?<!\.)` && prev == '.':
			return -1
		case w.before == `\b` && prev >= utf8.RuneSelf:
			return -2
		case w.before == `\b` && asciiWord(byte(prev)):
			return -1 // inside a word: the words all begin with a word character
		}
	}
	end := w.wholeWord(text, pos)
	if w.phrases == nil || end == -2 {
		return end
	}
	// The first of the words in the list's order that matches: the run
	// of letters, digits and underscores, or a phrase beginning with it.
	best := -1
	if end >= 0 {
		best = w.rank[w.fold0(text[pos:end])]
	}
	for _, p := range w.phrases {
		if best >= 0 && w.rank[p] > best {
			break // the phrases are in the list's order
		}
		switch e := w.phraseAt(text, pos, p); {
		case e == -2:
			return -2
		case e >= 0:
			return e
		}
	}
	return end
}

// fold0 returns the ASCII text of a word as the list holds it.
func (w *wordList) fold0(word []rune) string {
	var buf [maxWord]byte
	for i, r := range word {
		buf[i] = w.lower(byte(r))
	}
	return string(buf[:len(word)])
}

// phraseAt returns where the phrase p ends when the text at pos is p
// followed by \b: -1 when it is not, -2 when a character beyond ASCII is
// in it or next to it.
func (w *wordList) phraseAt(text []rune, pos int, p string) int {
	if pos+len(p) > len(text) {
		return -1
	}
	for i := 0; i < len(p); i++ {
		r := text[pos+i]
		if r >= utf8.RuneSelf {
			return -2
		}
		if w.lower(byte(r)) != p[i] {
			return -1
		}
	}
	end := pos + len(p)
	if end < len(text) {
		if next := text[end]; next >= utf8.RuneSelf {
			return -2
		} else if asciiWord(byte(next)) {
			return -1
		}
	}
	return end
}

// wholeWord returns where the text's run of letters, digits and
// underscores at pos ends when it is one of the words: -1 when it is not,
// -2 when a character beyond ASCII is in it or next to it.
func (w *wordList) wholeWord(text []rune, pos int) int {
	var buf [maxWord]byte
	longest := w.lens[len(w.lens)-1]
	n := 0
	for ; pos+n < len(text); n++ {
		r := text[pos+n]
		if r >= utf8.RuneSelf {
			return -2
		}
		c := byte(r)
		if !asciiWord(c) {
			break
		}
		if n == longest {
			return -1 // a run longer than the longest word
		}
		buf[n] = w.lower(c)
	}
	if !w.set[string(buf[:n])] {
		return -1
	}
	return pos + n
}

// lower returns the ASCII character c as the list holds it: in lower
// case when the rule ignores case.
func (w *wordList) lower(c byte) byte {
	if w.fold && 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// asciiWord reports whether c is a letter, digit or underscore.
func asciiWord(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
}
