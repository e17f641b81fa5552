package lint

import (
	"bytes"
	"math"
	"regexp"

	"github.com/handbook-dev/handbook/internal/diag"
)

// secretPattern is one kind of credential a page must never hold.
type secretPattern struct {
	what string
	re   *regexp.Regexp
	// group is the submatch holding the secret value; 0 for the whole
	// match.
	group int
	// triggers are literals one of which every match contains: a file
	// without any is not searched (regular expressions over every page are
	// the cost of this check). lower means they are matched against the
	// lower-cased text, line by line.
	triggers []string
	lower    bool
	// minEntropy, if set, is the Shannon entropy in bits per character the
	// value needs to count, so that "password: changeme-later" in prose does
	// not.
	minEntropy float64
}

var secretPatterns = []secretPattern{
	{what: "an AWS access key id", re: regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), triggers: []string{"AKIA", "ASIA"}},
	{what: "a private key", re: regexp.MustCompile(`-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----`), triggers: []string{"PRIVATE KEY"}},
	{what: "a GitHub token", re: regexp.MustCompile(`\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{60,})\b`), triggers: []string{"ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"}},
	{what: "a GitLab token", re: regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}\b`), triggers: []string{"glpat-"}},
	{what: "a Slack token", re: regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}\b`), triggers: []string{"xox"}},
	{what: "a JSON Web Token", re: regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b`), triggers: []string{"eyJ"}},
	{what: "a password or secret", re: regexp.MustCompile(`(?i)\b(?:password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|client[_-]?secret)\b["']?\s*[:=]\s*["']?([^\s"'<>]{12,})`), group: 1, minEntropy: 3.5,
		triggers: []string{"password", "passwd", "pwd", "secret", "key", "token"}, lower: true},
}

// Secrets finds credentials in a file's text: AWS access keys, private key
// blocks, GitHub, GitLab and Slack tokens, JSON Web Tokens, and password or
// secret assignments with a random-looking value. Each is an error at its
// line and column; the message never repeats the secret.
func Secrets(path string, src []byte) diag.List {
	var out diag.List
	var lower []byte
	for _, p := range secretPatterns {
		if p.lower {
			// Only the lines holding a trigger word, in the original text.
			for off := 0; off < len(src); {
				end := bytes.IndexByte(src[off:], '\n')
				if end < 0 {
					end = len(src)
				} else {
					end += off
				}
				// An assignment needs ":" or "=" on its line.
				if bytes.ContainsAny(src[off:end], ":=") {
					lower = append(lower[:0], src[off:end]...)
					for i, c := range lower {
						if 'A' <= c && c <= 'Z' {
							lower[i] = c + 'a' - 'A'
						}
					}
					if containsAny(lower, p.triggers) {
						out = p.find(out, path, src, off, end)
					}
				}
				off = end + 1
			}
			continue
		}
		if containsAny(src, p.triggers) {
			out = p.find(out, path, src, 0, len(src))
		}
	}
	return out
}

func containsAny(b []byte, lits []string) bool {
	for _, l := range lits {
		if bytes.Contains(b, []byte(l)) {
			return true
		}
	}
	return false
}

// find reports the pattern's matches in src[from:to].
func (p secretPattern) find(out diag.List, path string, src []byte, from, to int) diag.List {
	for _, m := range p.re.FindAllSubmatchIndex(src[from:to], -1) {
		start, end := m[0]+from, m[1]+from
		if p.group > 0 {
			start, end = m[2*p.group]+from, m[2*p.group+1]+from
		}
		if p.minEntropy > 0 && entropy(src[start:end]) < p.minEntropy {
			continue
		}
		at := m[0] + from
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
