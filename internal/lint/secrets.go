package lint

import (
	"bytes"
	"math"
	"regexp"
	"slices"

	"github.com/handbook-dev/handbook/internal/diag"
)

// secretPattern is one kind of credential a page must never hold.
type secretPattern struct {
	what string
	re   *regexp.Regexp
	// triggers are literals one of which every match contains: a file
	// without any is not searched (regular expressions over every page are
	// the cost of this check).
	triggers []string
}

var secretPatterns = []secretPattern{
	{what: "an AWS access key id", re: regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), triggers: []string{"AKIA", "ASIA"}},
	{what: "a private key", re: regexp.MustCompile(`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`), triggers: []string{"PRIVATE KEY"}},
	{what: "a GitHub token", re: regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b`), triggers: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}},
	{what: "a GitLab token", re: regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}\b`), triggers: []string{"glpat-"}},
	{what: "a Slack token", re: regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}\b`), triggers: []string{"xox"}},
	{what: "a JSON Web Token", re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b`), triggers: []string{"eyJ"}},
}

// Secrets finds credentials in a file's text: AWS access keys, private key
// blocks, GitHub, GitLab and Slack tokens, JSON Web Tokens, and password or
// secret assignments with a random-looking value. Each is an error at its
// line and column; the message never repeats the secret.
func Secrets(path string, src []byte) diag.List {
	var out diag.List
	for _, p := range secretPatterns {
		if containsAny(src, p.triggers) {
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
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c != ':' && c != '=' {
			continue
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
		if !containsAny(name, secretWords) {
			continue
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
		if len(value) < 12 || value[0] == '$' || bytes.HasPrefix(value, []byte("{{")) || entropy(value) < minSecretEntropy {
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

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

func isValueEnd(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`'
}

func containsAny(b []byte, lits []string) bool {
	for _, l := range lits {
		if bytes.Contains(b, []byte(l)) {
			return true
		}
	}
	return false
}

// find reports the pattern's matches in src.
func (p secretPattern) find(out diag.List, path string, src []byte) diag.List {
	for _, m := range p.re.FindAllIndex(src, -1) {
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
