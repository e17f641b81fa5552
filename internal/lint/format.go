package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
)

// Formats are the output formats Format writes.
var Formats = []string{"text", "json", "github"}

// jsonFinding is one finding in the JSON output. The schema is stable:
// fields are only ever added.
type jsonFinding struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
}

// Format writes findings in a format: "text" (path:line:col: severity
// rule: message), "json" ({"findings": [...], "errors": n, "warnings": n})
// or "github" (workflow commands that annotate the pull request).
func Format(w io.Writer, format string, list diag.List) error {
	switch format {
	case "text":
		for _, d := range list {
			if _, err := fmt.Fprintln(w, d); err != nil {
				return err
			}
		}
		return nil
	case "json":
		out := struct {
			Findings []jsonFinding `json:"findings"`
			Errors   int           `json:"errors"`
			Warnings int           `json:"warnings"`
		}{Findings: []jsonFinding{}, Errors: list.Count(diag.Error), Warnings: list.Count(diag.Warning)}
		for _, d := range list {
			out.Findings = append(out.Findings, jsonFinding{d.Pos.File, d.Pos.Line, d.Pos.Col, d.Severity.String(), d.Rule, d.Message})
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case "github":
		for _, d := range list {
			level := map[diag.Severity]string{diag.Error: "error", diag.Warning: "warning", diag.Info: "notice"}[d.Severity]
			props := []string{"file=" + escapeProperty(d.Pos.File)}
			if d.Pos.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
			}
			if d.Pos.Col > 0 {
				props = append(props, fmt.Sprintf("col=%d", d.Pos.Col))
			}
			props = append(props, "title="+escapeProperty(d.Rule))
			if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), escapeData(d.Message)); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown format %q; use one of %s", format, strings.Join(Formats, ", "))
}

// escapeData and escapeProperty escape workflow-command values as the
// GitHub Actions runner expects.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
