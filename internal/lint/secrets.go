package lint

import (
	"bytes"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
)

// secretPattern is one kind of credential a page must never hold.
type secretPattern struct {
	what string
	re   *regexp.Regexp
	// triggers are literals one of which every match contains: a file
	// without any is not searched (regular expressions over every page are
	// the cost of this check).
	triggers literals
	// holds, when set, reports whether the text after a match holds the
	// secret itself: a private key's header says nothing without its body.
	holds func(after []byte) bool
}

var secretPatterns = []secretPattern{
	{what: "an AWS access key id", re: regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), triggers: newLiterals("AKIA", "ASIA")},
	{what: "a private key", re: regexp.MustCompile(`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`), triggers: newLiterals("PRIVATE KEY"), holds: keyMaterial},
	{what: "a GitHub token", re: regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b`), triggers: newLiterals("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_")},
	{what: "a GitLab token", re: regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}\b`), triggers: newLiterals("glpat-")},
	{what: "a Slack token", re: regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}\b`), triggers: newLiterals("xox")},
	{what: "a JSON Web Token", re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b`), triggers: newLiterals("eyJ")},
}

// Secrets finds credentials in a file's text: AWS access keys, private key
// blocks, GitHub, GitLab and Slack tokens, JSON Web Tokens, and password or
// secret assignments with a random-looking value. Each is an error at its
// line and column; the message never repeats the secret.
//
// What only looks like a credential is not reported: the examples vendors
// publish in their documentation (documentedExamples), values that are
// placeholders (changeme, xxxx, <your-token>, ${SECRET}, a value repeating
// its name), a private key header whose body is left out, a link to an
// anchor ([Secret key](#secret_key)) and the passcode of a video-call link.
func Secrets(path string, src []byte) diag.List {
	var out diag.List
	for _, p := range secretPatterns {
		if p.triggers.in(src) {
			out = p.find(out, path, src)
		}
	}
	return assignments(out, path, src)
}

// secretWords are the words that make an assignment's name a credential's:
// DB_PASSWORD=…, "client_secret": …, api-key: ….
var secretWords = []string{"password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "access_key", "private_key", "secret_key"}

// minSecretEntropy is the Shannon entropy in bits per character that an
// assigned value needs to count as a secret, so that "password:
// changeme-later" in prose does not.
const minSecretEntropy = 3.5

// assignments reports name = value and name: value pairs whose name holds
// a secret word and whose value is at least 12 characters of high
// entropy. It looks only around ":" and "=", without regular expressions:
// most lines of a handbook hold neither a secret word nor a value.
func assignments(out diag.List, path string, src []byte) diag.List {
	var name []byte
	colon, equals := -1, -1 // the next of each sign from i on, len(src) for none
	for i := 0; i < len(src); i++ {
		// The next sign, by IndexByte for each.
		if colon < i {
			colon = indexByteFrom(src, i, ':')
		}
		if equals < i {
			equals = indexByteFrom(src, i, '=')
		}
		if i = min(colon, equals); i == len(src) {
			break
		}
		// The name before the sign: optional quote and spaces, then
		// letters, digits, _ and -.
		j := i
		for j > 0 && (src[j-1] == ' ' || src[j-1] == '\t') {
			j--
		}
		if j > 0 && (src[j-1] == '"' || src[j-1] == '\'') {
			j--
		}
		end := j
		for j > 0 && isNameByte(src[j-1]) && end-j < 64 {
			j--
		}
		if j == end {
			continue
		}
		name = append(name[:0], src[j:end]...)
		for k, b := range name {
			if 'A' <= b && b <= 'Z' {
				name[k] = b + 'a' - 'A'
			}
		}
		if !secretWordIn(name) {
			continue
		}
		if j > 1 && src[j-1] == '#' && (src[j-2] == '(' || src[j-2] == '"' || src[j-2] == '\'') {
			continue // a link to an anchor: [Secret key](#secret_key)
		}
		// The value after the sign.
		v := i + 1
		for v < len(src) && (src[v] == ' ' || src[v] == '\t' || src[v] == '"' || src[v] == '\'') {
			v++
		}
		ve := v
		for ve < len(src) && !isValueEnd(src[ve]) {
			ve++
		}
		value := src[v:ve]
		if len(value) < 12 || entropy(value) < minSecretEntropy || fakeValue(name, value) || inMeetingLink(src, j) {
			continue
		}
		line := 1 + bytes.Count(src[:j], []byte("\n"))
		col := j - bytes.LastIndexByte(src[:j], '\n')
		if slices.ContainsFunc(out, func(d diag.Diagnostic) bool { return d.Pos.Line == line }) {
			i = ve
			continue // AWS_ACCESS_KEY_ID=AKIA…: already reported as what it is
		}
		out.Add(diag.Position{File: path, Line: line, Col: col}, diag.Error, "secret",
			"this looks like a password or secret; remove it from the page, and rotate it: it is in the repository's history")
		i = ve
	}
	return out
}

// indexByteFrom returns the index of the first c in b from i on, or
// len(b).
func indexByteFrom(b []byte, i int, c byte) int {
	if j := bytes.IndexByte(b[i:], c); j >= 0 {
		return i + j
	}
	return len(b)
}

// secretWordIn reports whether name holds one of secretWords, trying at
// each byte only the words that start with it.
func secretWordIn(name []byte) bool {
	for i, c := range name {
		for _, w := range secretWordsBy[c] {
			if len(name)-i >= len(w) && string(name[i:i+len(w)]) == w {
				return true
			}
		}
	}
	return false
}

// secretWordsBy holds secretWords by their first byte.
var secretWordsBy = func() (t [256][]string) {
	for _, w := range secretWords {
		t[w[0]] = append(t[w[0]], w)
	}
	return t
}()

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

// isValueEnd tells where an assigned value ends: at white space, quotes,
// and the brackets of Markdown and HTML around it ([password: x](#…)).
func isValueEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' || c == ']' || c == ')' || c == '|'
}

func containsAny(b []byte, lits []string) bool {
	for _, l := range lits {
		if bytes.Contains(b, []byte(l)) {
			return true
		}
	}
	return false
}

// literals are strings to look for in every file, each by its rarest
// byte in prose (commonBytes): bytes.Contains stops at every occurrence
// of a literal's first byte, the e of "eyJ" or the g of "ghp_", while an
// IndexByte over a rare byte (J, _) runs through the text; literals with
// the same rare byte share the pass.
type literals struct {
	anchors []byte       // the rare bytes, each once
	lits    [][]anchored // the literals of each rare byte
}

// anchored is a literal and the index of its rare byte in it.
type anchored struct {
	lit string
	at  int
}

// commonBytes are the bytes most frequent in English prose and Markdown,
// most frequent first; other bytes are rarer than all of these.
const commonBytes = " etaoinshrdlcumwfgypbvkjxqz\n.,-TIASWHOBCMF0123456789"

func newLiterals(lits ...string) literals {
	var ls literals
	for _, l := range lits {
		at, rank := 0, len(commonBytes)+1
		for i := 0; i < len(l); i++ {
			r := strings.IndexByte(commonBytes, l[i])
			if r < 0 {
				r = len(commonBytes)
			}
			if len(commonBytes)-r < rank {
				at, rank = i, len(commonBytes)-r
			}
		}
		k := bytes.IndexByte(ls.anchors, l[at])
		if k < 0 {
			k = len(ls.anchors)
			ls.anchors = append(ls.anchors, l[at])
			ls.lits = append(ls.lits, nil)
		}
		ls.lits[k] = append(ls.lits[k], anchored{l, at})
	}
	return ls
}

// in reports whether b holds one of the literals.
func (ls literals) in(b []byte) bool {
	for k, c := range ls.anchors {
		for i := 0; i < len(b); i++ {
			j := bytes.IndexByte(b[i:], c)
			if j < 0 {
				break
			}
			i += j
			for _, a := range ls.lits[k] {
				if s := i - a.at; s >= 0 && s+len(a.lit) <= len(b) && string(b[s:s+len(a.lit)]) == a.lit {
					return true
				}
			}
		}
	}
	return false
}

// find reports the pattern's matches in src.
func (p secretPattern) find(out diag.List, path string, src []byte) diag.List {
	for _, m := range p.re.FindAllIndex(src, -1) {
		if isExample(src[m[0]:m[1]]) || p.holds != nil && !p.holds(src[m[1]:]) {
			continue
		}
		at := m[0]
		line := 1 + bytes.Count(src[:at], []byte("\n"))
		col := at - bytes.LastIndexByte(src[:at], '\n')
		out.Add(diag.Position{File: path, Line: line, Col: col}, diag.Error, "secret",
			"this looks like %s; remove it from the page, and rotate it: it is in the repository's history", p.what)
	}
	return out
}

// entropy is the Shannon entropy of b in bits per byte.
func entropy(b []byte) float64 {
	var counts [256]int
	for _, c := range b {
		counts[c]++
	}
	h := 0.0
	for _, n := range counts {
		if n > 0 {
			p := float64(n) / float64(len(b))
			h -= p * math.Log2(p)
		}
	}
	return h
}

// documentedExamples are credentials that vendors publish as examples in
// their documentation: they open nothing, and pages quote them as they
// are.
var documentedExamples = []string{
	// AWS's example access key pair: the IAM User Guide ("Manage access
	// keys for IAM users") and the AWS CLI User Guide ("Configuration and
	// credential file settings").
	"AKIAIOSFODNN7EXAMPLE",
	"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	// AWS's second example pair, for a second profile: the AWS CLI User
	// Guide ("Configuration and credential file settings") and the Amazon
	// S3 API Reference (signing examples).
	"AKIAI44QH8DHBEXAMPLE",
	"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
	// The example token of jwt.io's debugger (HS256, signed with
	// "your-256-bit-secret"), copied into countless tutorials.
	"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
}

// isExample reports whether a would-be credential is an example: one of
// documentedExamples, a value ending in EXAMPLE or EXAMPLEKEY (how AWS's
// documentation marks every example key), or filler, where one character
// repeated makes up half of it (ghp_xxxx…, AKIAXXXX…, ************).
func isExample(b []byte) bool {
	if bytes.HasSuffix(b, []byte("EXAMPLE")) || bytes.HasSuffix(b, []byte("EXAMPLEKEY")) || slices.Contains(documentedExamples, string(b)) {
		return true
	}
	run, longest := 0, 0
	for i := range b {
		if i > 0 && b[i] == b[i-1] {
			run++
		} else {
			run = 1
		}
		longest = max(longest, run)
	}
	return 2*longest >= len(b)
}

// placeholderWords in an assigned value make it an example, not a
// credential: nobody's password is "changeme-xyz" or "<your-api-token>".
var placeholderWords = []string{
	"example", "changeme", "change-me", "change_me", "dummy", "placeholder", "redacted", "your",
	"sample", "fake", "foo", "xxx", "...", "***", "replace", "insert",
	"password", "passwd", "secret", "token",
}

// fakeValue reports whether the value assigned to name (lower case) is a
// placeholder rather than a credential: a variable or template
// (${SECRET}, {{ .Token }}, %(password)s), an example, a value holding a
// placeholder word, or one that repeats its name ("cookie_secret":
// "cookie_secret_value").
func fakeValue(name, value []byte) bool {
	switch value[0] {
	case '$', '{', '[', '%', '<':
		return true
	}
	if isExample(value) || isReference(value) || isPlainURL(value) {
		return true
	}
	lower := bytes.ToLower(value)
	if containsAny(lower, placeholderWords) {
		return true
	}
	n, v := alnum(name), alnum(lower)
	return len(n) >= 4 && bytes.Contains(v, n)
}

// isReference reports whether a value names another value rather than
// holding one: a dotted path of identifiers (var.db_token in Terraform,
// local.api_key, config.Database.Password, secrets.GITHUB_TOKEN), each
// segment a name that starts with a letter or _ and none random-looking.
// A secret is one random string, not a path of names.
func isReference(v []byte) bool {
	if bytes.IndexByte(v, '.') < 0 {
		return false
	}
	for _, seg := range bytes.Split(v, []byte(".")) {
		if len(seg) == 0 || !(seg[0] == '_' || 'a' <= seg[0] && seg[0] <= 'z' || 'A' <= seg[0] && seg[0] <= 'Z') {
			return false
		}
		var lower, upper, digit bool
		for _, c := range seg {
			switch {
			case 'a' <= c && c <= 'z':
				lower = true
			case 'A' <= c && c <= 'Z':
				upper = true
			case '0' <= c && c <= '9':
				digit = true
			case c == '_' || c == '-':
			default:
				return false
			}
		}
		if lower && upper && digit && len(seg) >= 12 {
			return false // Xq7vR2pL9zK4mW8t: random
		}
	}
	return true
}

// isPlainURL reports whether a value is a URL without credentials in it:
// token_endpoint = https://auth.internal/oauth/token names where a token
// comes from. A URL with user:password@ or a secret in its query is not
// plain (the query's own name=value is checked as an assignment).
func isPlainURL(v []byte) bool {
	i := bytes.Index(v, []byte("://"))
	if i <= 0 {
		return false
	}
	rest := v[i+3:]
	if at := bytes.IndexByte(rest, '@'); at >= 0 {
		if slash := bytes.IndexByte(rest, '/'); slash < 0 || at < slash {
			return false
		}
	}
	return bytes.IndexByte(rest, '?') < 0
}

// alnum returns the letters and digits of b.
func alnum(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			out = append(out, c)
		}
	}
	return out
}

// meetingHosts serve video-call links whose pwd= parameter is the
// meeting's passcode, which every invitation holds.
var meetingHosts = []string{"zoom.us", "zoomgov.com", "webex.com"}

// inMeetingLink reports whether the name at src[j] is a query parameter
// of a link to a video call: https://zoom.us/j/123?pwd=….
func inMeetingLink(src []byte, j int) bool {
	if j == 0 || src[j-1] != '?' && src[j-1] != '&' {
		return false
	}
	start := j - 1
	for start > 0 && src[start-1] > ' ' && !bytes.ContainsRune([]byte("()<>[]\"'`"), rune(src[start-1])) {
		start--
	}
	u, err := url.Parse(string(src[start : j-1]))
	if err != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	return slices.ContainsFunc(meetingHosts, func(h string) bool { return host == h || strings.HasSuffix(host, "."+h) })
}

// keyMaterial reports whether the text after a private key's BEGIN line
// holds a key: at least 64 base64 characters on lines of nothing else
// (lines may be \n escapes, as in a JSON or YAML string) before the END
// line or, without one, right after the header. A header followed by
// "...", "<snip>" or nothing before its END line shows the format, not a
// key.
func keyMaterial(after []byte) bool {
	body, closed := after[:min(len(after), 16<<10)], false
	for _, mark := range []string{"-----END", "-----BEGIN"} {
		if i := bytes.Index(body, []byte(mark)); i >= 0 {
			body, closed = body[:i], true
		}
	}
	n := 0
	for len(body) > 0 {
		var line []byte
		line, body = nextLine(body)
		line = bytes.Trim(line, " \t\r>\"',")
		switch {
		case len(line) >= 16 && isBase64(line):
			n += len(line)
		case closed || len(line) == 0 || bytes.IndexByte(line, ':') > 0:
			// an elision, a blank line, a PEM header (Proc-Type: …)
		default:
			return n >= 64 // the key's lines ended without an END line
		}
	}
	return n >= 64
}

// nextLine splits b at its first line break, a newline or a \n escape.
func nextLine(b []byte) (line, rest []byte) {
	for i := 0; i < len(b); i++ {
		if b[i] == '\n' {
			return b[:i], b[i+1:]
		}
		if b[i] == '\\' && i+1 < len(b) && b[i+1] == 'n' {
			return b[:i], b[i+2:]
		}
	}
	return b, nil
}

func isBase64(b []byte) bool {
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}
