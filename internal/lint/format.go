package lint

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"github.com/handbook-dev/handbook/internal/diag"
)

// Formats are the output formats Format writes.
var Formats = []string{"text", "json", "github", "sarif"}

// FormatOptions change how FormatWith writes findings. The zero value
// writes what Format does.
type FormatOptions struct {
	// Color marks up the text format with ANSI colours: the position bold,
	// the severity red, yellow or cyan, the rule id dim. Whether the output
	// is a terminal that wants colour (NO_COLOR) is the caller's decision.
	Color bool
	// Version is handbook's version, written into the sarif format's tool
	// description ("v1.2.3", "1.2.3" or any other string).
	Version string
	// RepoPath is the site root's slash-separated path inside its
	// repository, such as "docs", or "" when the site is the repository
	// root. The sarif and github formats put it before every relative
	// finding path, since code scanning and annotations resolve paths
	// against the repository root.
	RepoPath string
	// BaselineState, if set, gives each finding's SARIF baselineState,
	// "new" or "unchanged", when the findings were compared with a
	// baseline (see BaselineMatch.State). Only the sarif format writes it.
	BaselineState func(d diag.Diagnostic) string
}

// JSONReport is what the json format writes, indented by two spaces:
//
//	{
//	  "schema_version": 1,
//	  "findings": [
//	    {
//	      "file": "content/adr/0007-use-goldmark.md",
//	      "line": 3,
//	      "column": 9,
//	      "severity": "error",
//	      "rule": "allowed-value",
//	      "message": "unknown status \"aproved\"; use one of ..."
//	    }
//	  ],
//	  "errors": 1,
//	  "warnings": 0,
//	  "notes": 0
//	}
//
// findings is never null; they are sorted by file, line and column. file
// is relative to the site root, slash-separated on every system; line and
// column count from 1, and 0 means the whole file or the whole line.
// severity is "error", "warning" or "info"; errors, warnings and notes
// count them. The schema is stable: fields are only ever added, and
// schema_version changes only if one is ever removed or changes meaning.
type JSONReport struct {
	SchemaVersion int           `json:"schema_version"`
	Findings      []JSONFinding `json:"findings"`
	Errors        int           `json:"errors"`
	Warnings      int           `json:"warnings"`
	Notes         int           `json:"notes"`
}

// JSONFinding is one finding of a JSONReport.
type JSONFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// Format writes findings in a format with the zero FormatOptions; see
// FormatWith.
func Format(w io.Writer, format string, list diag.List) error {
	return FormatWith(w, format, list, FormatOptions{})
}

// FormatWith writes findings in a format:
//
//   - "text": one line per finding, path:line:col: severity rule: message,
//     with control characters in paths and messages escaped as in Go;
//   - "json": a JSONReport;
//   - "github": workflow commands that annotate the pull request;
//   - "sarif": a SARIF 2.1.0 log for GitHub code scanning (see
//     WriteSARIF).
func FormatWith(w io.Writer, format string, list diag.List, opts FormatOptions) error {
	switch format {
	case "text":
		return writeText(w, list, opts.Color)
	case "json":
		out := JSONReport{
			SchemaVersion: 1,
			Findings:      []JSONFinding{},
			Errors:        list.Count(diag.Error),
			Warnings:      list.Count(diag.Warning),
			Notes:         list.Count(diag.Info),
		}
		for _, d := range list {
			out.Findings = append(out.Findings, JSONFinding{d.Pos.File, d.Pos.Line, d.Pos.Col, d.Severity.String(), d.Rule, d.Message})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "github":
		return writeGitHub(w, list, opts.RepoPath)
	case "sarif":
		return WriteSARIF(w, list, opts)
	}
	return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// ANSI escape sequences of the coloured text format.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiCyan   = "\x1b[36m"
)

func writeText(w io.Writer, list diag.List, color bool) error {
	bw := bufio.NewWriter(w)
	for _, d := range list {
		pos := d.Pos
		pos.File = escapeControl(pos.File)
		msg := escapeControl(d.Message)
		if !color {
			fmt.Fprintf(bw, "%s: %s %s: %s\n", pos, d.Severity, d.Rule, msg)
			continue
		}
		sev := ansiCyan
		switch d.Severity {
		case diag.Error:
			sev = ansiRed
		case diag.Warning:
			sev = ansiYellow
		}
		fmt.Fprintf(bw, "%s%s%s: %s%s%s %s%s%s: %s\n",
			ansiBold, pos, ansiReset,
			sev, d.Severity, ansiReset,
			ansiDim, d.Rule, ansiReset,
			msg)
	}
	return bw.Flush()
}

// escapeControl writes the control characters of s as Go escapes (\n,
// \x1b, \u202e), so that one finding stays one line and a file name can
// neither send escape sequences to a terminal nor reorder what it shows.
func escapeControl(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	switch {
	case r == '\t':
		return false
	case r == '\u2028', r == '\u2029': // line and paragraph separators
		return true
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069': // bidirectional overrides
		return true
	}
	return unicode.IsControl(r)
}

func writeGitHub(w io.Writer, list diag.List, repoPath string) error {
	bw := bufio.NewWriter(w)
	for _, d := range list {
		level := map[diag.Severity]string{diag.Error: "error", diag.Warning: "warning", diag.Info: "notice"}[d.Severity]
		props := []string{"file=" + escapeProperty(repoFile(repoPath, d.Pos.File))}
		if d.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
		}
		if d.Pos.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", d.Pos.Col))
		}
		props = append(props, "title="+escapeProperty(d.Rule))
		fmt.Fprintf(bw, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(d.Message))
	}
	return bw.Flush()
}

// repoFile returns a finding's path relative to the repository root: the
// slash path file below repoPath. Absolute paths and an empty file are
// returned as they are.
func repoFile(repoPath, file string) string {
	file = filepath.ToSlash(file)
	if repoPath == "" || file == "" || path.IsAbs(file) || filepath.IsAbs(file) {
		return file
	}
	return path.Join(filepath.ToSlash(repoPath), file)
}

// escapeData and escapeProperty escape workflow-command values as the
// GitHub Actions runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
