package search

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"golang.org/x/text/unicode/norm"
)

// StopWords are the English words too common to index; a query drops them
// too. They still take a position, so that phrases keep their shape.
var StopWords = []string{
	"a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it",
	"no", "not", "of", "on", "or", "such", "that", "the", "their", "then", "there", "these",
	"they", "this", "to", "was", "will", "with",
}

var stop = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range StopWords {
		m[w] = true
	}
	return m
}()

// special are the letters folded to others that Unicode does not
// decompose.
var special = map[rune]string{'ß': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ı': "i", 'þ': "th", 'Þ': "th"}

// Fold lower-cases s and removes its accents: "Zürich" is "zurich",
// "Straße" is "strasse". See FORMAT.md.
func Fold(s string) string {
	var b strings.Builder
	foldTo(&b, s)
	return b.String()
}

func foldTo(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b.WriteByte(c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		foldRune(b, r)
	}
}

func foldRune(b *strings.Builder, r rune) {
	var buf [utf8.UTFMax]byte
	d := norm.NFD.Bytes(buf[:utf8.EncodeRune(buf[:], r)])
	for len(d) > 0 {
		r, n := utf8.DecodeRune(d)
		d = d[n:]
		if unicode.Is(unicode.M, r) {
			continue
		}
		if s, ok := special[r]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
}

// Words calls f with each folded word of s, in order: runs of letters and
// digits, apostrophes removed ("don't" is "dont").
func Words(s string, f func(w string)) {
	appendWords(nil, s, func(w []byte, whole bool) {
		if whole {
			f(string(w))
		}
	})
}

// appendIdentifiers is Identifiers for the indexer: each identifier is
// folded into buf (returned for reuse) and given to f, valid only during
// the call.
func appendIdentifiers(buf []byte, s string, f func(id []byte, whole bool)) []byte {
	var t tokenizer
	return t.run(buf, s, true, f)
}

// Identifiers calls f with each identifier of code s, folded: runs of
// letters, digits and underscores; whole is false for the pieces of an
// identifier with underscores ("max" and "connections" of
// "max_connections"), which share its position.
func Identifiers(s string, f func(id string, whole bool)) {
	appendIdentifiers(nil, s, func(id []byte, whole bool) { f(string(id), whole) })
}

// Term is what the folded word w is indexed as: "" for a stop word, its
// Snowball English stem for a word of three or more letters, else w.
func Term(w string) string {
	if stop[w] {
		return ""
	}
	if utf8.RuneCountInString(w) < 3 {
		return w
	}
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return w
		}
	}
	env := snowballstem.NewEnv(w)
	english.Stem(env)
	return env.Current()
}

// appendWords is Words for the indexer: each word is folded into buf
// (returned for reuse) and given to f, valid only during the call; whole
// is false for the pieces of a camelCase word ("kube", "pod" of
// "KubePod"), which follow it.
func appendWords(buf []byte, s string, f func(w []byte, whole bool)) []byte {
	var t tokenizer
	return t.run(buf, s, false, f)
}

// Letter classes for camelCase splitting.
const (
	clsOther = iota
	clsLower
	clsUpper
)

// tokenizer splits text into folded words (prose) or identifiers (code),
// noting where a camelCase word changes case so that its pieces can be
// indexed too: "PaymentsDBDown" is "paymentsdbdown", then "payments",
// "db", "down".
type tokenizer struct {
	splits []int // offsets in the current word where a piece starts
	prev   int   // class of the previous letter
	prev2  int   // class of the one before it
	at     int   // offset of the previous letter in the word
}

func (t *tokenizer) run(buf []byte, s string, code bool, f func(w []byte, whole bool)) []byte {
	start := len(buf)
	t.splits, t.prev, t.prev2 = t.splits[:0], clsOther, clsOther
	flush := func() {
		if len(buf) == start {
			return
		}
		w := buf[start:]
		f(w, true)
		t.pieces(w, code, f)
		buf = buf[:start]
		t.splits, t.prev, t.prev2 = t.splits[:0], clsOther, clsOther
	}
	// letter notes a letter of class cls about to be appended at offset
	// off: lower to upper starts a piece ("kubePod"), and so does the last
	// capital of a run followed by a lower-case letter ("DBDown").
	letter := func(cls, off int) {
		switch {
		case cls == clsUpper && t.prev == clsLower:
			t.splits = append(t.splits, off)
		case cls == clsLower && t.prev == clsUpper && t.prev2 == clsUpper:
			t.splits = append(t.splits, t.at)
		}
		t.prev2, t.prev, t.at = t.prev, cls, off
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z':
				if t.prev == clsLower { // the common case, without a call
					t.prev2, t.at = clsLower, len(buf)-start
				} else {
					letter(clsLower, len(buf)-start)
				}
				buf = append(buf, c)
			case 'A' <= c && c <= 'Z':
				letter(clsUpper, len(buf)-start)
				buf = append(buf, c+'a'-'A')
			case '0' <= c && c <= '9':
				t.prev2, t.prev = t.prev, clsOther
				buf = append(buf, c)
			case c == '_' && code:
				t.prev2, t.prev = t.prev, clsOther
				buf = append(buf, c)
			case c == '\'' && !code:
			default:
				flush()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '’' && !code:
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r):
			cls := clsOther
			if unicode.IsUpper(r) {
				cls = clsUpper
			} else if unicode.IsLower(r) {
				cls = clsLower
			}
			if cls != clsOther {
				letter(cls, len(buf)-start)
			} else if !unicode.Is(unicode.M, r) {
				t.prev2, t.prev = t.prev, clsOther
			}
			var b strings.Builder
			foldRune(&b, r)
			buf = append(buf, b.String()...)
		default:
			flush()
		}
	}
	flush()
	return buf
}

// pieces gives f the pieces of word w: its camelCase parts and, in code,
// the parts between underscores; nothing when w is one piece.
func (t *tokenizer) pieces(w []byte, code bool, f func(w []byte, whole bool)) {
	if len(t.splits) == 0 && (!code || bytes.IndexByte(w, '_') < 0) {
		return
	}
	from, k := 0, 0
	emit := func(to int) {
		if to > from && !(to-from == len(w)) {
			f(w[from:to], false)
		}
		from = to
	}
	for i := 0; i <= len(w); i++ {
		switch {
		case i == len(w):
			emit(i)
		case code && w[i] == '_':
			emit(i)
			from = i + 1
		case k < len(t.splits) && t.splits[k] == i:
			k++
			emit(i)
		}
	}
}
