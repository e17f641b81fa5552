package markdown

import (
	"bytes"
	"html"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// chromaHTML is a code block highlighted the way chroma does it alone:
// its lexer, coalesced, and its HTML formatter; what highlight must
// write, byte for byte.
func chromaHTML(t testing.TB, lang, code string) string {
	t.Helper()
	var b bytes.Buffer
	lx, ok := chromaLexers[lang]
	if !ok {
		lx = lexers.Get(lang)
		if lx != nil {
			lx = chroma.Coalesce(lx)
		}
		chromaLexers[lang] = lx
	}
	if plainLanguage(lang) || lx == nil {
		return html.EscapeString(code)
	}
	it, err := lx.Tokenise(nil, code)
	if err != nil {
		t.Fatalf("chroma %s: %v", lang, err)
	}
	if err := formatter.Format(&b, styles.Fallback, it); err != nil {
		t.Fatalf("chroma %s: %v", lang, err)
	}
	return b.String()
}

// chromaLexers caches chroma's lexers by language, coalesced, for
// chromaHTML (the tests do not run it in parallel).
var chromaLexers = map[string]chroma.Lexer{}

type codeBlock struct{ where, lang, code string }

// codeBlocks returns the fenced code blocks of the Markdown files under
// dir, as renderCode reads them.
func codeBlocks(t testing.TB, dir string) []codeBlock {
	t.Helper()
	md := goldmark.New()
	var out []codeBlock
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		root := md.Parser().Parse(text.NewReader(src))
		return ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			f, ok := n.(*ast.FencedCodeBlock)
			if !ok || !entering {
				return ast.WalkContinue, nil
			}
			lang := ""
			if l := f.Language(src); l != nil {
				lang = strings.ToLower(string(l))
			}
			var code strings.Builder
			for i := 0; i < f.Lines().Len(); i++ {
				seg := f.Lines().At(i)
				code.Write(seg.Value(src))
			}
			line := 0
			if f.Lines().Len() > 0 {
				line = bytes.Count(src[:f.Lines().At(0).Start], []byte("\n")) + 1
			}
			out = append(out, codeBlock{where: p + ":" + strconv.Itoa(line), lang: lang, code: code.String()})
			return ast.WalkContinue, nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func checkSameAsChroma(t *testing.T, blocks []codeBlock) {
	t.Helper()
	langs := map[string]bool{}
	for _, bl := range blocks {
		want := chromaHTML(t, bl.lang, bl.code)
		var got bytes.Buffer
		if err := highlight(&got, bl.lang, bl.code); err != nil {
			t.Errorf("%s (%s): %v", bl.where, bl.lang, err)
			continue
		}
		if got.String() != want {
			t.Errorf("%s (%s): highlighted differently from chroma\n got: %.400q\nwant: %.400q", bl.where, bl.lang, got.String(), want)
		}
		langs[bl.lang] = true
	}
	t.Logf("%d code blocks in %d languages", len(blocks), len(langs))
}

// TestHighlightSameAsChroma checks that highlight writes exactly what
// chroma's lexers and formatter write, on every code block of the shared
// corpus and of a generated site, and on edge cases.
func TestHighlightSameAsChroma(t *testing.T) {
	t.Run("edge cases", func(t *testing.T) {
		var blocks []codeBlock
		for _, lang := range []string{"go", "python", "yaml", "bash", "json", "sql", "html", "go-html-template", "markdown", "docker", "php", "nosuchlanguage", "", "text", "promql", "hcl", "dockerfile", "rust", "java", "c", "ruby", "typescript"} {
			for _, code := range []string{"", "\n", "x", "a\r\nb\rc\n", "no newline at the end", "<b>&amp;\"'</b>\n", "func main() {\n\tfmt.Println(\"héllo, 世界\")\n}\n", "# comment\nkey: value # more\n", "\"unterminated\nstring\n", "SELECT * FROM t WHERE a = 'b';\n",
				// Rules that hand their match to another language (Using).
				"FROM alpine:3.20\nRUN apk add --no-cache curl \\\n    && echo \"$HOME\" > /tmp/x\nCMD [\"sh\", \"-c\", \"echo hi\"]\n",
				"<style>p { color: red }</style>\n<script>let x = `a${1}`;</script>\n",
				"# Title\n\n```go\nfunc f() {}\n```\n\n```sql\nSELECT 1;\n```\n"} {
				blocks = append(blocks, codeBlock{where: "edge", lang: lang, code: code})
			}
		}
		checkSameAsChroma(t, blocks)
	})
	t.Run("generated site", func(t *testing.T) {
		dir := t.TempDir()
		if err := sitegen.Generate(dir, 300, 1); err != nil {
			t.Fatal(err)
		}
		blocks := codeBlocks(t, dir)
		if len(blocks) == 0 {
			t.Fatal("the generated site has no code blocks")
		}
		checkSameAsChroma(t, blocks)
	})
	t.Run("corpus", func(t *testing.T) {
		blocks := codeBlocks(t, golden.CorpusDir(t))
		if len(blocks) == 0 {
			golden.MissingCorpus(t, "no code blocks")
		}
		checkSameAsChroma(t, blocks)
	})
	// HANDBOOK_HIGHLIGHT_SAMPLES names a folder of code samples named by
	// their language (lang.ext or lang.actual, as chroma's
	// lexers/testdata), compared too.
	if dir := os.Getenv("HANDBOOK_HIGHLIGHT_SAMPLES"); dir != "" {
		t.Run("samples", func(t *testing.T) {
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			var blocks []codeBlock
			for _, e := range entries {
				name := e.Name()
				if e.IsDir() || strings.HasSuffix(name, ".expected") {
					continue
				}
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				lang := strings.TrimSuffix(name, filepath.Ext(name))
				blocks = append(blocks, codeBlock{where: name, lang: lang, code: string(b)})
			}
			checkSameAsChroma(t, blocks)
		})
	}
}

// BenchmarkHighlight highlights every code block of a generated site
// (HANDBOOK_HIGHLIGHT_DIR: of the Markdown files under that folder, such
// as the shared corpus), with chroma alone and with highlight.
func BenchmarkHighlight(b *testing.B) {
	dir := os.Getenv("HANDBOOK_HIGHLIGHT_DIR")
	if dir == "" {
		dir = b.TempDir()
		if err := sitegen.Generate(dir, 300, 1); err != nil {
			b.Fatal(err)
		}
	}
	blocks := codeBlocks(b, dir)
	size := 0
	for _, bl := range blocks {
		size += len(bl.code)
	}
	for _, path := range []string{"chroma", "handbook"} {
		b.Run(path, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, bl := range blocks {
					if path == "chroma" {
						chromaHTML(b, bl.lang, bl.code)
						continue
					}
					var out bytes.Buffer
					_ = highlight(&out, bl.lang, bl.code)
				}
			}
		})
	}
}

// TestWordListsOnlyRuleOut: where a rule's word list (wordList) says no
// match can begin, the rule's expression matches nothing, for every rule
// of every chroma lexer that has one: on each word in several cases and
// followed by several characters, on text that folds to ASCII only in
// Unicode, and on chroma's sample of the language.
func TestWordListsOnlyRuleOut(t *testing.T) {
	lists, phrased, rules := 0, 0, 0
	eachLexer(t, func(rl *chroma.RegexLexer, lx *lexer, sample []byte) {
		for state, f := range lx.first {
			for i, w := range f.words {
				if w == nil {
					continue
				}
				lists++
				if w.phrases != nil {
					phrased++
				}
				rule := f.rules[i]
				var probes []string
				// Sixty of a long list's words, spread over it.
				words := slices.Sorted(maps.Keys(w.set))
				for k := 0; k < len(words); k += max(1, len(words)/60) {
					word := words[k]
					for _, v := range []string{word, strings.ToUpper(word), strings.ToUpper(word[:1]) + word[1:]} {
						for _, after := range []string{"", " ", "x", "_", "(", ".", "\n", "é", "→", "\u200c"} {
							probes = append(probes, v+after, "."+v+after, "a"+v+after)
						}
						probes = append(probes, strings.Replace(v, "k", "\u212a", 1), v[:len(v)-1], "é"+v, "_"+v, v+v)
						if i := strings.IndexAny(v, " -"); i >= 0 {
							// A phrase: its first word alone, and with
							// the gap changed.
							probes = append(probes, v[:i], v[:i]+v[i:i+1]+"x", strings.Replace(v, v[i:i+1], v[i:i+1]+v[i:i+1], 1), strings.Replace(v, v[i:i+1], map[string]string{" ": "-", "-": " "}[v[i:i+1]], 1))
						}
					}
				}
				// On the words, where one begins; on the sample, at its
				// first 2,000 characters.
				check := func(p string, positions int) {
					text := []rune(p)
					for pos := range text[:min(positions, len(text))] {
						if !mayStart(f.first[i], text[pos]) || !w.exact && w.mayBegin(text, pos) {
							continue // the lexer does not try the rule, or does
						}
						m, err := rule.Regexp.FindRunesMatchStartingAt(text, pos)
						matched := err == nil && m != nil && m.RuneIndex == pos
						if w.exact {
							// An exact list's word is the match itself.
							end := w.word(text, pos)
							switch {
							case end == -1 && matched:
								t.Fatalf("%s, rule %q: no word at %d of %.80q, where it matches %q", rl.Config().Name, rule.Pattern, pos, p, m.String())
							case end >= 0 && (!matched || m.String() != string(text[pos:end]) || m.GroupByNumber(1).String() != m.String()):
								t.Fatalf("%s, rule %q: the word %q at %d of %.80q, where it matches %v", rl.Config().Name, rule.Pattern, string(text[pos:end]), pos, p, m)
							}
						}
						if w.mayBegin(text, pos) {
							continue // the lexer tries the rule
						}
						rules++
						if matched {
							t.Fatalf("%s, state %s, rule %q: ruled out at %d of %.80q, where it matches %q", rl.Config().Name, state, rule.Pattern, pos, p, m.String())
						}
					}
				}
				for _, p := range probes {
					check(p, 2)
				}
				check(string(sample), 2000)
			}
		}
	})
	if lists < 50 {
		t.Errorf("only %d rules with word lists: the pattern no longer recognizes chroma's Words", lists)
	}
	if phrased < 5 {
		t.Errorf("only %d word lists with phrases (SQL's END-EXEC, Python's yield from): the pattern no longer takes them", phrased)
	}
	t.Logf("%d rules with word lists (%d with phrases), %d positions ruled out", lists, phrased, rules)
}

// eachLexer calls f with every regular-expression lexer of chroma, as
// newLexer compiles it, and chroma's sample of its language (nil when
// there is none).
func eachLexer(t *testing.T, f func(rl *chroma.RegexLexer, lx *lexer, sample []byte)) {
	t.Helper()
	samples := filepath.Join(chromaDir(t), "lexers", "testdata")
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		rl, ok := l.(*chroma.RegexLexer)
		if !ok {
			continue
		}
		lx, err := newLexer(rl)
		if err != nil {
			continue
		}
		name := strings.ToLower(strings.ReplaceAll(rl.Config().Name, " ", ""))
		sample, _ := os.ReadFile(filepath.Join(samples, name+".actual"))
		f(rl, lx, sample)
	}
}

// chromaDir is the folder of the chroma module the build uses.
func chromaDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/alecthomas/chroma/v2").Output()
	if err != nil {
		t.Skipf("cannot find chroma's module: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// TestSimpleRulesMatchRegexp: a rule that regexp2 runs as a straight line
// of character steps (simpleRule) matches, by those steps alone, exactly
// what its expression matches, at every position of chroma's sample of
// every lexer and of text beyond ASCII.
func TestSimpleRulesMatchRegexp(t *testing.T) {
	rules := 0
	eachLexer(t, func(rl *chroma.RegexLexer, lx *lexer, sample []byte) {
		text := []rune(string(sample[:min(len(sample), 3000)]) + " \t\n\r\u00a0x_9é\u212aİß\u2028{}[]()'\"\\`$;|&<>=#-\x00")
		for _, f := range lx.first {
			for i, sr := range f.simple {
				if sr == nil {
					continue
				}
				rules++
				for pos := range text {
					got, want := "(none)", "(none)"
					if end := sr.match(text, pos); end >= 0 {
						got = string(text[pos:end])
					}
					if m, err := f.rules[i].Regexp.FindRunesMatchStartingAt(text, pos); err == nil && m != nil && m.RuneIndex == pos {
						want = m.String()
					}
					if got != want {
						t.Fatalf("%s, rule %q at %d: the steps take %q, the expression %q", rl.Config().Name, f.rules[i].Pattern, pos, got, want)
					}
				}
			}
		}
	})
	if rules < 1000 {
		t.Errorf("only %d simple rules: simpleOf no longer recognizes them", rules)
	}
	t.Logf("%d simple rules", rules)
}

// TestDelegatedLexers: the languages chroma lexes as one language inside
// another are run with both lexers fast, and write what chroma writes
// (also checked on the corpus and chroma's samples by
// TestHighlightSameAsChroma).
func TestDelegatedLexers(t *testing.T) {
	code := map[string]string{
		"go-html-template": "<ul>{{ range .Pages }}<li class=\"x\">{{ .Title | upper }}</li>{{ end }}</ul>\n<script>var a = 1;</script>\n{{/* c */}}",
		"erb":              "<% if @a %><b><%= @a.name %></b><% end %>\n",
		"svelte":           "<script>let n = 0;</script>\n<button on:click={() => n++}>{n}</button>\n",
	}
	for lang, src := range code {
		h := highlighterFor(lang)
		if h.delegated == nil {
			t.Errorf("%s: not delegated to fast lexers", lang)
			continue
		}
		checkSameAsChroma(t, []codeBlock{{where: "delegated", lang: lang, code: src}, {where: "delegated, no template", lang: lang, code: "<p>plain</p>\n"}})
	}
}

// TestMarkdownFrontMatter: Markdown, whose chroma lexer highlights a
// leading YAML front matter as YAML before its own rules take the rest,
// runs with both lexers fast, also as the language of a fence inside a
// Markdown fence, and writes what chroma writes.
func TestMarkdownFrontMatter(t *testing.T) {
	for _, lang := range []string{"markdown", "md"} {
		if h := highlighterFor(lang); h.front == nil || h.slow != nil {
			t.Errorf("%s: not run with fast lexers", lang)
		}
	}
	var blocks []codeBlock
	for _, code := range []string{
		"---\ntitle: Runbook\ntags: [db, \"on-call\"]\n---\n# Body\n\nSee *this* and `that`.\n",
		"---\r\ntitle: x\r\n---\r\nbody\r\n",
		"---\n---\nonly the lines\n",
		"---\nnever: closed\n# Heading\n",
		"----\nnot front matter\n",
		"--- \nnot: either\n---\n",
		"---\nend: at the last line\n---",
		"# Fences\n\n```markdown\n---\ntitle: inner\n---\nText.\n```\n\n```yaml\nk: v\n```\n",
	} {
		blocks = append(blocks, codeBlock{where: "front matter", lang: "markdown", code: code})
	}
	checkSameAsChroma(t, blocks)
}

// TestASCIIStartsAsMayStart: the ASCII table of a rule's first characters
// (firstOf.may) allows exactly the characters mayStart allows, for every
// rule of every lexer; beyond ASCII, may is mayStart.
func TestASCIIStartsAsMayStart(t *testing.T) {
	checked := 0
	eachLexer(t, func(rl *chroma.RegexLexer, lx *lexer, _ []byte) {
		for state, f := range lx.first {
			for i := range f.rules {
				for _, c := range []rune{0, '\t', '\n', ' ', '"', '$', '0', '9', '?', '@', 'A', 'K', 'Z', '[', '_', '`', 'a', 'k', 'z', '{', '~', 0x7f, 'é', 'K', 'ſ'} {
					if got, want := f.may(i, c), mayStart(f.first[i], c); got != want {
						t.Fatalf("%s, state %s, rule %q: may(%q) = %v, mayStart %v", rl.Config().Name, state, f.rules[i].Pattern, c, got, want)
					}
				}
				for c := rune(0); c < utf8.RuneSelf; c++ {
					if f.may(i, c) != mayStart(f.first[i], c) {
						t.Fatalf("%s, state %s, rule %q: may(%q) is not mayStart's", rl.Config().Name, state, f.rules[i].Pattern, c)
					}
				}
				checked++
			}
		}
	})
	if checked < 1000 {
		t.Errorf("only %d rules checked", checked)
	}
}

// TestBoundsOnlyRuleOut: where a rule's bound (the characters its matches
// are made of) says no match can start, the rule's expression matches
// nothing, for every rule of every lexer that has one, at every position
// of chroma's sample of the language and of text with characters of
// every kind, and of the generated site's code blocks in the languages
// it has.
func TestBoundsOnlyRuleOut(t *testing.T) {
	rules, out := 0, 0
	extra := " \t\n\r\u00a0x_9é\u212aİß\u2028{}[]()'\"\\`$;|&<>=#-+=:.,/*!?@%^~\x00 a = b\nx += 1\nkey: value\nf(x)\n"
	check := func(rl *chroma.RegexLexer, lx *lexer, text []rune) {
		for _, f := range lx.first {
			for i := range f.bounds {
				b := f.boundAt(i)
				if b == nil {
					continue
				}
				for pos := range text {
					if !b.rulesOut(text, pos) {
						continue
					}
					out++
					if m, err := f.rules[i].Regexp.FindRunesMatchStartingAt(text, pos); err == nil && m != nil && m.RuneIndex == pos {
						t.Fatalf("%s, rule %q: ruled out at %d of %.80q, where it matches %q", rl.Config().Name, f.rules[i].Pattern, pos, string(text[pos:]), m.String())
					}
				}
			}
		}
	}
	eachLexer(t, func(rl *chroma.RegexLexer, lx *lexer, sample []byte) {
		for _, f := range lx.first {
			for i := range f.bounds {
				if f.boundAt(i) != nil {
					rules++
				}
			}
		}
		check(rl, lx, []rune(string(sample[:min(len(sample), 3000)])+extra))
	})
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 100, 1); err != nil {
		t.Fatal(err)
	}
	for _, bl := range codeBlocks(t, dir) {
		if h := highlighterFor(bl.lang); h.fast != nil {
			check(h.fast.rl, h.fast, []rune(bl.code))
		}
	}
	if rules < 1000 {
		t.Errorf("only %d rules with bounds: boundOf no longer finds them", rules)
	}
	t.Logf("%d rules with bounds, %d positions ruled out", rules, out)
}
