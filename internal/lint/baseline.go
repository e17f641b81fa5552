package lint

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/handbook-dev/handbook/internal/diag"
)

// BaselineFile is where handbook check keeps the baseline, relative to the
// site root, unless told otherwise.
const BaselineFile = ".handbook-baseline.json"

// BaselineVersion is the version of the baseline format Baseline writes
// and reads.
const BaselineVersion = 1

// Baseline is the set of findings a site has accepted for now, so that a
// check reports only the findings added since: a team moves an old
// repository to handbook without fixing its 400 findings first, and CI
// still fails on the first new one.
//
// A finding is recorded by its Fingerprint, which leaves out the line
// number so that an edit elsewhere in the file does not bring it back: the
// rule id, the file, the message normalised by MessageKey, and a hash of
// the text of the finding's line with the white space around it trimmed.
// The same fingerprint may occur several times in a file (one broken link
// written twice); the baseline keeps the count, and only the occurrences
// beyond it are new: the last ones in the file. Severities are not part
// of a fingerprint:
// changing a rule's severity keeps its findings in the baseline.
//
// The baseline file is JSON indented by two spaces:
//
//	{
//	  "version": 1,
//	  "findings": [
//	    {
//	      "file": "content/legacy/setup.md",
//	      "rule": "broken-link",
//	      "message": "link to install.md: no such page; fix the path or create the page",
//	      "line_hash": "9c1f0d3e2b7a4c55",
//	      "count": 2
//	    }
//	  ]
//	}
//
// Findings are sorted by file, rule, message and line_hash, one entry per
// fingerprint, so that the same findings always give the same bytes and
// a changed baseline reads well in a diff. line_hash is "" for a finding
// about a whole file.
type Baseline struct {
	Version  int             `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one fingerprint of a Baseline and how many findings
// have it.
type BaselineEntry struct {
	File     string `json:"file"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	LineHash string `json:"line_hash"`
	Count    int    `json:"count"`
}

// Fingerprint identifies a finding across edits that move it to another
// line.
type Fingerprint struct {
	File     string // slash-separated, as the finding names it
	Rule     string
	Message  string // MessageKey of the message
	LineHash string // LineHash of the finding's line; "" for line 0
}

func (e BaselineEntry) fingerprint() Fingerprint {
	return Fingerprint{e.File, e.Rule, e.Message, e.LineHash}
}

// FingerprintOf returns the fingerprint of d, whose line reads text.
func FingerprintOf(d diag.Diagnostic, text string) Fingerprint {
	fp := Fingerprint{File: filepath.ToSlash(d.Pos.File), Rule: ruleID(d), Message: MessageKey(d.Message)}
	if d.Pos.Line > 0 {
		fp.LineHash = LineHash(text)
	}
	return fp
}

// LineHash is the first 16 hex digits of the SHA-256 of a line's text
// with the white space around it trimmed, so that indenting a line keeps
// its findings.
func LineHash(text string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(text)))
	return hex.EncodeToString(h[:8])
}

// didYouMean is the hint some messages end with; it depends on the other
// pages of the site, not on the finding.
var didYouMean = regexp.MustCompile(`[;,]?\s*did you mean [^?]*\?`)

// MessageKey normalises a message for a fingerprint: a "did you mean …?"
// hint is dropped, a number standing alone as a word is written N (such
// as the days since a runbook's review, which grow every day; numbers
// inside names, paths and dates are kept), and runs of white space become
// one space.
func MessageKey(msg string) string {
	msg = didYouMean.ReplaceAllString(msg, "")
	var b strings.Builder
	prev := ' '
	for i := 0; i < len(msg); {
		r, n := utf8.DecodeRuneInString(msg[i:])
		if unicode.IsSpace(r) {
			if prev != ' ' {
				b.WriteByte(' ')
			}
			prev = ' '
			i += n
			continue
		}
		if isDigit(r) && standsAlone(prev) {
			j := i
			for j < len(msg) && isDigit(rune(msg[j])) {
				j++
			}
			next, _ := utf8.DecodeRuneInString(msg[j:])
			if j == len(msg) || standsAlone(next) {
				b.WriteByte('N')
				prev = 'N'
				i = j
				continue
			}
		}
		b.WriteRune(r)
		prev = r
		i += n
	}
	return strings.TrimSpace(b.String())
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// standsAlone reports whether a number next to r is a word of its own:
// r is white space or punctuation that ends a word, not a letter, digit,
// or a character that joins parts of a name, path, date or version.
func standsAlone(r rune) bool {
	return unicode.IsSpace(r) || strings.ContainsRune("(),;!?\"'", r)
}

// FileLines returns a function that gives the text of line n (from 1) of
// a file as findings name it: relative to the site root dir and
// slash-separated, or absolute. It reads each file once; a file that
// cannot be read, or a line it does not have, gives "". It is not safe
// for concurrent use.
func FileLines(dir string) func(file string, n int) string {
	files := map[string][]string{}
	return func(file string, n int) string {
		lines, ok := files[file]
		if !ok {
			name := filepath.FromSlash(file)
			if !filepath.IsAbs(name) {
				name = filepath.Join(dir, name)
			}
			if data, err := os.ReadFile(name); err == nil {
				lines = strings.Split(string(data), "\n")
			}
			files[file] = lines
		}
		if n < 1 || n > len(lines) {
			return ""
		}
		return strings.TrimSuffix(lines[n-1], "\r")
	}
}

// NewBaseline records findings; line gives the text of a finding's line
// (see FileLines).
func NewBaseline(list diag.List, line func(file string, n int) string) *Baseline {
	counts := map[Fingerprint]int{}
	for _, d := range list {
		counts[fingerprint(d, line)]++
	}
	b := &Baseline{Version: BaselineVersion, Findings: []BaselineEntry{}}
	for fp, n := range counts {
		b.Findings = append(b.Findings, BaselineEntry{fp.File, fp.Rule, fp.Message, fp.LineHash, n})
	}
	b.sort()
	return b
}

func fingerprint(d diag.Diagnostic, line func(file string, n int) string) Fingerprint {
	text := ""
	if d.Pos.Line > 0 {
		text = line(d.Pos.File, d.Pos.Line)
	}
	return FingerprintOf(d, text)
}

func (b *Baseline) sort() {
	slices.SortFunc(b.Findings, func(x, y BaselineEntry) int {
		return cmp.Or(
			cmp.Compare(x.File, y.File),
			cmp.Compare(x.Rule, y.Rule),
			cmp.Compare(x.Message, y.Message),
			cmp.Compare(x.LineHash, y.LineHash),
		)
	})
}

// Len returns how many findings b holds, counting each occurrence.
func (b *Baseline) Len() int {
	n := 0
	for _, e := range b.Findings {
		n += e.Count
	}
	return n
}

// Encode writes b as JSON, indented by two spaces and sorted.
func (b *Baseline) Encode(w io.Writer) error {
	b.sort()
	out := *b
	if out.Findings == nil {
		out.Findings = []BaselineEntry{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// ErrBaselineVersion is returned by ReadBaseline for a baseline of a
// version it does not read.
var ErrBaselineVersion = errors.New("baseline of an unknown version")

// ReadBaseline reads a baseline that Encode wrote. Entries with the same
// fingerprint add up.
func ReadBaseline(r io.Reader) (*Baseline, error) {
	var b Baseline
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a baseline: %w", err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("%w: version %d; this handbook reads version %d, so write it again with check --baseline write", ErrBaselineVersion, b.Version, BaselineVersion)
	}
	counts := map[Fingerprint]int{}
	for i, e := range b.Findings {
		if e.Count < 1 {
			return nil, fmt.Errorf("findings[%d]: count %d is not a positive number", i, e.Count)
		}
		counts[e.fingerprint()] += e.Count
	}
	if len(counts) < len(b.Findings) {
		b.Findings = b.Findings[:0]
		for fp, n := range counts {
			b.Findings = append(b.Findings, BaselineEntry{fp.File, fp.Rule, fp.Message, fp.LineHash, n})
		}
	}
	b.sort()
	return &b, nil
}

// BaselineMatch is what Match makes of findings.
type BaselineMatch struct {
	// New are the findings the baseline does not hold: their fingerprint
	// is not in it, or occurs more often than it counts.
	New diag.List
	// Known are the findings the baseline holds.
	Known diag.List
	// Fixed are the entries of the baseline that fewer findings matched
	// than it counts, each with Count set to how many fewer.
	Fixed []BaselineEntry

	known map[diag.Diagnostic]bool
}

// Match sorts the findings of list, in order, into those of the baseline
// and the new ones; line gives the text of a finding's line (see
// FileLines).
func (b *Baseline) Match(list diag.List, line func(file string, n int) string) BaselineMatch {
	left := map[Fingerprint]int{}
	for _, e := range b.Findings {
		left[e.fingerprint()] += e.Count
	}
	m := BaselineMatch{known: map[diag.Diagnostic]bool{}}
	for _, d := range list {
		fp := fingerprint(d, line)
		if left[fp] > 0 {
			left[fp]--
			m.Known = append(m.Known, d)
			m.known[d] = true
			continue
		}
		m.New = append(m.New, d)
	}
	for _, e := range b.Findings {
		if n := left[e.fingerprint()]; n > 0 {
			e.Count = n
			left[e.fingerprint()] = 0
			m.Fixed = append(m.Fixed, e)
		}
	}
	return m
}

// State returns the SARIF baselineState of d: "unchanged" when it is one
// of m.Known, else "new".
func (m BaselineMatch) State(d diag.Diagnostic) string {
	if m.known[d] {
		return "unchanged"
	}
	return "new"
}

// All returns the new and the known findings together, sorted.
func (m BaselineMatch) All() diag.List {
	all := append(slices.Clip(m.New), m.Known...)
	all.Sort()
	return all
}
