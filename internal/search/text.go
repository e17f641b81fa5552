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
	appendWords(nil, s, func(w []byte) { f(string(w)) })
}

// appendIdentifiers is Identifiers for the indexer: each identifier is
// folded into buf (returned for reuse) and given to f, valid only during
// the call.
func appendIdentifiers(buf []byte, s string, f func(id []byte, whole bool)) []byte {
	start := len(buf)
	flush := func() {
		if len(buf) == start {
			return
		}
		id := buf[start:]
		f(id, true)
		if bytes.IndexByte(id, '_') >= 0 {
			for part := range bytes.SplitSeq(id, []byte("_")) {
				if len(part) > 0 {
					f(part, false)
				}
			}
		}
		buf = buf[:start]
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c == '_' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				buf = append(buf, c)
			case 'A' <= c && c <= 'Z':
				buf = append(buf, c+'a'-'A')
			default:
				flush()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r) {
			var b strings.Builder
			foldRune(&b, r)
			buf = append(buf, b.String()...)
		} else {
			flush()
		}
	}
	flush()
	return buf
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
// (returned for reuse) and given to f, valid only during the call.
func appendWords(buf []byte, s string, f func(w []byte)) []byte {
	start := len(buf)
	flush := func() {
		if len(buf) > start {
			f(buf[start:])
			buf = buf[:start]
		}
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				buf = append(buf, c)
			case 'A' <= c && c <= 'Z':
				buf = append(buf, c+'a'-'A')
			case c == '\'':
			default:
				flush()
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		switch {
		case r == '’':
		case unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.M, r):
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
