package lint

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
)

// SummaryFindings is how many findings Summary lists one by one.
const SummaryFindings = 50

// Summary writes a short GitHub-flavoured Markdown report of the findings
// of a check of that many pages, for a job summary ($GITHUB_STEP_SUMMARY):
// a headline with the counts, a table of findings per rule and severity
// with each rule linked to its documentation, and the first
// SummaryFindings findings, errors first, as path:line:col — message
// (rule). Paths and messages are escaped, so that nothing in them renders
// as Markdown or HTML.
func Summary(w io.Writer, list diag.List, pages int) error {
	bw := bufio.NewWriter(w)
	errs, warns, notes := list.Count(diag.Error), list.Count(diag.Warning), list.Count(diag.Info)
	switch {
	case len(list) == 0:
		fmt.Fprintf(bw, "### ✅ handbook check: no problems in %s\n", plural(pages, "page"))
		return bw.Flush()
	case errs > 0:
		bw.WriteString("### ❌ ")
	case warns > 0:
		bw.WriteString("### ⚠️ ")
	default:
		bw.WriteString("### ✅ ")
	}
	fmt.Fprintf(bw, "handbook check: %s, %s, %s in %s\n\n",
		plural(errs, "error"), plural(warns, "warning"), plural(notes, "note"), plural(pages, "page"))

	type row struct {
		rule  string
		sev   diag.Severity
		count int
	}
	var rows []row
	for _, d := range list {
		i := slices.IndexFunc(rows, func(r row) bool { return r.rule == d.Rule && r.sev == d.Severity })
		if i < 0 {
			rows = append(rows, row{d.Rule, d.Severity, 0})
			i = len(rows) - 1
		}
		rows[i].count++
	}
	slices.SortFunc(rows, func(a, b row) int {
		return cmp.Or(cmp.Compare(a.sev, b.sev), cmp.Compare(b.count, a.count), cmp.Compare(a.rule, b.rule))
	})
	bw.WriteString("| Rule | Severity | Count |\n| --- | --- | ---: |\n")
	for _, r := range rows {
		fmt.Fprintf(bw, "| %s | %s | %d |\n", strings.ReplaceAll(ruleLink(r.rule), "|", `\|`), severityName(r.sev), r.count)
	}

	shown := slices.Clone(list)
	slices.SortStableFunc(shown, func(a, b diag.Diagnostic) int { return cmp.Compare(a.Severity, b.Severity) })
	bw.WriteString("\n")
	for _, d := range shown[:min(len(shown), SummaryFindings)] {
		fmt.Fprintf(bw, "- %s %s — %s (%s)\n", severityMark[d.Severity], codeSpan(d.Pos.String()), markdownText(d.Message), codeSpan(d.Rule))
	}
	if n := len(shown) - SummaryFindings; n > 0 {
		fmt.Fprintf(bw, "\n… and %d more\n", n)
	}
	return bw.Flush()
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// severityMark stands for a severity in the list of findings.
var severityMark = map[diag.Severity]string{diag.Error: "❌", diag.Warning: "⚠️", diag.Info: "ℹ️"}

// severityName is a severity as the summary counts it: info is a note.
func severityName(s diag.Severity) string {
	if s == diag.Info {
		return "note"
	}
	return s.String()
}

// ruleLink is a rule id in code, linked to its page when the catalog has
// it.
func ruleLink(id string) string {
	if _, ok := Lookup(id); ok {
		return "[" + codeSpan(id) + "](" + DocsURL + id + "/)"
	}
	return codeSpan(id)
}

// codeSpan writes s as a Markdown code span on one line: fenced by more
// backticks than s holds in a row, and padded when s starts or ends with
// one. In a table cell its pipes still need escaping: GitHub splits cells
// at them even in code.
func codeSpan(s string) string {
	s = oneLine(s)
	if s == "" {
		return ""
	}
	run, longest := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || strings.Trim(s, " ") == "" {
		s = " " + s + " "
	}
	return fence + s + fence
}

// markdownText escapes s so that GitHub renders it as the plain text it
// is, on one line inside a paragraph or a table cell: every character that
// could start emphasis, strikethrough, a link, a code span, HTML, an
// entity, math or a new cell is backslash-escaped.
func markdownText(s string) string {
	var b strings.Builder
	for _, r := range oneLine(s) {
		if strings.ContainsRune("\\`*_[]<>&|~$", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// oneLine replaces line breaks and other control characters with spaces.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if isControl(r) || r == '\t' {
			return ' '
		}
		return r
	}, s)
}
