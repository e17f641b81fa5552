package sitediff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/lint"
)

// Formats are the formats Write writes.
var Formats = []string{"text", "json", "markdown"}

// Meta says what a report compared, for Write.
type Meta struct {
	// Base is the base revision as given, such as "main"; Commit the
	// commit the base site was read from (its merge base with HEAD).
	Base   string
	Commit string
	// PreviewURL, if set, is where the head's site is previewed, such as
	// "https://preview.example.com/pr-12/": pages link there, at their
	// URLs.
	PreviewURL string
}

// Preview returns the preview address of the site path u, or "" without
// a PreviewURL.
func (m Meta) Preview(u string) string {
	if m.PreviewURL == "" || u == "" {
		return ""
	}
	return strings.TrimSuffix(m.PreviewURL, "/") + "/" + strings.TrimPrefix(u, "/")
}

// short is the first 12 digits of a commit hash.
func short(commit string) string {
	if len(commit) > 12 {
		return commit[:12]
	}
	return commit
}

// Write writes r in a format:
//
//   - "text": a summary line, then the pages, the links broken and the
//     new findings, each finding as path:line:col: severity rule: message,
//     as handbook check prints it;
//   - "json": a JSONReport, indented by two spaces;
//   - "markdown": a comment for a pull request, with page titles linked
//     to their previews when Meta.PreviewURL is set.
func Write(w io.Writer, format string, r *Report, m Meta) error {
	switch format {
	case "text":
		return writeText(w, r, m)
	case "json":
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(NewJSONReport(r, m))
	case "markdown":
		return writeMarkdown(w, r, m)
	}
	return fmt.Errorf("unknown format %q", format)
}

// Summary is the report in one line: "3 pages changed, 2 links broken in
// 1 page, 1 other new finding (1 error), 0 fixed".
func (r *Report) Summary() string {
	var parts []string
	for _, c := range []struct {
		n    int
		verb string
	}{{len(r.Added), "added"}, {len(r.Removed), "removed"}, {len(r.Renamed), "renamed"}, {len(r.Changed), "changed"}} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%s %s", plural(c.n, "page"), c.verb))
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no page changed")
	}
	links := 0
	for _, p := range r.Broken {
		links += len(p.Findings)
	}
	if links == 0 {
		parts = append(parts, "no link broken")
	} else {
		parts = append(parts, fmt.Sprintf("%s broken in %s", plural(links, "link"), plural(len(r.Broken), "page")))
	}
	if len(r.New) == 0 {
		parts = append(parts, "no other new finding")
	} else {
		var l diag.List
		for _, f := range r.New {
			l = append(l, f.Diagnostic)
		}
		var counts []string
		for _, c := range []struct {
			sev  diag.Severity
			noun string
		}{{diag.Error, "error"}, {diag.Warning, "warning"}, {diag.Info, "note"}} {
			if n := l.Count(c.sev); n > 0 {
				counts = append(counts, plural(n, c.noun))
			}
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", plural(len(r.New), "other new finding"), strings.Join(counts, ", ")))
	}
	parts = append(parts, fmt.Sprintf("%d fixed", r.Fixed))
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// pageGroups are the page lists of a report, in the order they are shown.
func (r *Report) pageGroups() []struct {
	change string
	pages  []PageChange
} {
	return []struct {
		change string
		pages  []PageChange
	}{{"added", r.Added}, {"removed", r.Removed}, {"renamed", r.Renamed}, {"changed", r.Changed}}
}

// details are the lines that say how a page changed: its title, its
// front matter, its sections.
func (pc PageChange) details(code, text func(string) string) []string {
	var out []string
	if pc.OldTitle != "" {
		out = append(out, fmt.Sprintf("title: %s → %s", text(pc.OldTitle), text(pc.Title)))
	}
	if pc.OldURL != "" {
		out = append(out, fmt.Sprintf("URL: %s → %s", code(pc.OldURL), code(pc.URL)))
	}
	switch {
	case len(pc.FrontMatter) > 0:
		out = append(out, "front matter: "+strings.Join(pc.FrontMatter, ", "))
	case pc.FrontMatterChanged:
		out = append(out, "front matter")
	}
	for _, s := range pc.Sections {
		switch {
		case s.ID == "" && s.Heading == "":
			out = append(out, "top of the page changed")
		case s.Change == SectionRenamed:
			out = append(out, fmt.Sprintf("section renamed: %s → %s (%s → %s)", text(s.OldHeading), text(s.Heading), code("#"+s.OldID), code("#"+s.ID)))
		default:
			out = append(out, fmt.Sprintf("section %s: %s (%s)", s.Change, text(s.Heading), code("#"+s.ID)))
		}
	}
	return out
}

// targets lists the pages the findings of p point at, sorted.
func (p PageFindings) targets() []string {
	var out []string
	for _, f := range p.Findings {
		if f.TargetPage != "" && !slices.Contains(out, f.TargetPage) {
			out = append(out, f.TargetPage)
		}
	}
	slices.Sort(out)
	return out
}

func findingList(fs []Finding) diag.List {
	l := make(diag.List, len(fs))
	for i, f := range fs {
		l[i] = f.Diagnostic
	}
	return l
}

func writeText(w io.Writer, r *Report, m Meta) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "compared with %s (%s): %s\n", m.Base, short(m.Commit), r.Summary())
	plain := func(s string) string { return s }
	any := false
	for _, g := range r.pageGroups() {
		for _, pc := range g.pages {
			if !any {
				b.WriteString("\npages:\n")
				any = true
			}
			where := pc.Path
			if pc.OldPath != "" {
				where = pc.OldPath + " → " + pc.Path
			}
			fmt.Fprintf(&b, "  %-8s %s  %q  %s\n", g.change, where, pc.Title, pc.URL)
			if u := m.Preview(pc.URL); u != "" && g.change != "removed" {
				fmt.Fprintf(&b, "             preview: %s\n", u)
			}
			for _, d := range pc.details(plain, plain) {
				fmt.Fprintf(&b, "             %s\n", d)
			}
		}
	}
	if len(r.Broken) > 0 {
		b.WriteString("\nlinks this change breaks:\n")
		for _, p := range r.Broken {
			fmt.Fprintf(&b, "  %s  %q  %s", p.Path, p.Title, p.URL)
			if t := p.targets(); len(t) > 0 {
				fmt.Fprintf(&b, "  (links into %s)", strings.Join(t, ", "))
			}
			b.WriteString("\n")
			if err := writeFindings(&b, findingList(p.Findings)); err != nil {
				return err
			}
		}
	}
	if len(r.New) > 0 {
		b.WriteString("\nnew findings:\n")
		if err := writeFindings(&b, findingList(r.New)); err != nil {
			return err
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// writeFindings writes findings as check's text format does, indented.
func writeFindings(b *bytes.Buffer, l diag.List) error {
	var out bytes.Buffer
	if err := lint.Format(&out, "text", l); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(out.String(), "\n") {
		if line != "" {
			b.WriteString("    " + line)
		}
	}
	return nil
}

// JSONReport is what the json format writes, indented by two spaces:
//
//	{
//	  "schema_version": 1,
//	  "base": "main",
//	  "commit": "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
//	  "summary": "1 page changed, 2 links broken in 2 pages, no other new finding, 0 fixed",
//	  "pages": {
//	    "added": [],
//	    "removed": [],
//	    "renamed": [],
//	    "changed": [
//	      {
//	        "path": "content/a.md",
//	        "title": "A",
//	        "url": "/a/",
//	        "sections": [
//	          {"change": "renamed", "heading": "Restart the deployment", "id": "restart-the-deployment",
//	           "old_heading": "Restart the pods", "old_id": "restart-the-pods", "line": 5}
//	        ]
//	      }
//	    ]
//	  },
//	  "broken_links": [
//	    {
//	      "path": "content/b.md", "title": "B", "url": "/b/",
//	      "findings": [
//	        {"file": "content/b.md", "line": 5, "column": 1, "severity": "error", "rule": "broken-anchor",
//	         "message": "…", "target": "a.md#restart-the-pods", "target_page": "content/a.md"}
//	      ]
//	    }
//	  ],
//	  "new_findings": [],
//	  "fixed": 0,
//	  "errors": 2,
//	  "warnings": 0,
//	  "notes": 0
//	}
//
// Paths are relative to the site root and slash-separated; a renamed page
// has its base path in old_path. A page has old_title and old_url when
// they changed, preview_url with a preview address, front_matter (the
// fields whose values changed) or front_matter_changed when its front
// matter changed, and sections when its sections did: change is "added",
// "removed", "changed" or "renamed", and the top of the page is the
// section with heading and id "". Findings are those of check's json
// format, with target (the link's destination as written) and target_page
// (the changed page it points at) when known. errors, warnings and notes
// count every new finding, broken links included. Lists are never null;
// fields are only ever added.
type JSONReport struct {
	SchemaVersion int                `json:"schema_version"`
	Base          string             `json:"base"`
	Commit        string             `json:"commit"`
	Summary       string             `json:"summary"`
	Pages         JSONPages          `json:"pages"`
	BrokenLinks   []JSONPageFindings `json:"broken_links"`
	NewFindings   []JSONFinding      `json:"new_findings"`
	Fixed         int                `json:"fixed"`
	Errors        int                `json:"errors"`
	Warnings      int                `json:"warnings"`
	Notes         int                `json:"notes"`
}

// JSONPages are the pages of a JSONReport, by change.
type JSONPages struct {
	Added   []JSONPage `json:"added"`
	Removed []JSONPage `json:"removed"`
	Renamed []JSONPage `json:"renamed"`
	Changed []JSONPage `json:"changed"`
}

// JSONPage is a page of a JSONReport.
type JSONPage struct {
	Path               string        `json:"path"`
	OldPath            string        `json:"old_path,omitempty"`
	Title              string        `json:"title"`
	OldTitle           string        `json:"old_title,omitempty"`
	URL                string        `json:"url"`
	OldURL             string        `json:"old_url,omitempty"`
	PreviewURL         string        `json:"preview_url,omitempty"`
	FrontMatter        []string      `json:"front_matter,omitempty"`
	FrontMatterChanged bool          `json:"front_matter_changed,omitempty"`
	Sections           []JSONSection `json:"sections,omitempty"`
}

// JSONSection is a section of a JSONPage that changed.
type JSONSection struct {
	Change     string `json:"change"`
	Heading    string `json:"heading"`
	ID         string `json:"id"`
	OldHeading string `json:"old_heading,omitempty"`
	OldID      string `json:"old_id,omitempty"`
	Line       int    `json:"line"`
}

// JSONPageFindings are the links broken in one page.
type JSONPageFindings struct {
	Path       string        `json:"path"`
	Title      string        `json:"title"`
	URL        string        `json:"url"`
	PreviewURL string        `json:"preview_url,omitempty"`
	Findings   []JSONFinding `json:"findings"`
}

// JSONFinding is a finding as check's json format writes it, with the
// link's target when known.
type JSONFinding struct {
	lint.JSONFinding
	Target     string `json:"target,omitempty"`
	TargetPage string `json:"target_page,omitempty"`
}

// NewJSONReport returns the JSON form of r.
func NewJSONReport(r *Report, m Meta) JSONReport {
	all := r.Findings()
	out := JSONReport{
		SchemaVersion: 1,
		Base:          m.Base,
		Commit:        m.Commit,
		Summary:       r.Summary(),
		BrokenLinks:   []JSONPageFindings{},
		NewFindings:   jsonFindings(r.New),
		Fixed:         r.Fixed,
		Errors:        all.Count(diag.Error),
		Warnings:      all.Count(diag.Warning),
		Notes:         all.Count(diag.Info),
	}
	pages := func(l []PageChange, removed bool) []JSONPage {
		out := []JSONPage{}
		for _, pc := range l {
			jp := JSONPage{Path: pc.Path, OldPath: pc.OldPath, Title: pc.Title, OldTitle: pc.OldTitle, URL: pc.URL, OldURL: pc.OldURL,
				FrontMatter: pc.FrontMatter, FrontMatterChanged: pc.FrontMatterChanged}
			if !removed {
				jp.PreviewURL = m.Preview(pc.URL)
			}
			for _, s := range pc.Sections {
				jp.Sections = append(jp.Sections, JSONSection(s))
			}
			out = append(out, jp)
		}
		return out
	}
	out.Pages = JSONPages{pages(r.Added, false), pages(r.Removed, true), pages(r.Renamed, false), pages(r.Changed, false)}
	for _, p := range r.Broken {
		out.BrokenLinks = append(out.BrokenLinks, JSONPageFindings{p.Path, p.Title, p.URL, m.Preview(p.URL), jsonFindings(p.Findings)})
	}
	return out
}

func jsonFindings(fs []Finding) []JSONFinding {
	out := []JSONFinding{}
	for _, f := range fs {
		d := f.Diagnostic
		out = append(out, JSONFinding{lint.JSONFinding{File: d.Pos.File, Line: d.Pos.Line, Column: d.Pos.Col, Severity: d.Severity.String(), Rule: d.Rule, Message: d.Message}, f.Target, f.TargetPage})
	}
	return out
}

// writeMarkdown writes r as a pull-request comment.
func writeMarkdown(w io.Writer, r *Report, m Meta) error {
	var b bytes.Buffer
	b.WriteString("### Handbook changes\n\n")
	fmt.Fprintf(&b, "Compared with %s (%s): %s.\n", mdCode(m.Base), mdCode(short(m.Commit)), mdEscape(r.Summary()))
	title := func(t, u string, removed bool) string {
		if p := m.Preview(u); p != "" && !removed {
			return "[" + mdEscape(t) + "](" + p + ")"
		}
		return mdEscape(t)
	}
	any := false
	for _, g := range r.pageGroups() {
		for _, pc := range g.pages {
			if !any {
				b.WriteString("\n#### Pages\n\n| change | page | what changed |\n| --- | --- | --- |\n")
				any = true
			}
			where := mdCode(pc.Path)
			if pc.OldPath != "" {
				where = mdCode(pc.OldPath) + " → " + mdCode(pc.Path)
			}
			var details []string
			for _, d := range pc.details(mdCode, mdEscape) {
				details = append(details, cell(d))
			}
			fmt.Fprintf(&b, "| %s | %s<br>%s | %s |\n", g.change, cell(title(pc.Title, pc.URL, g.change == "removed")), where, strings.Join(details, "<br>"))
		}
	}
	if len(r.Broken) > 0 {
		b.WriteString("\n#### Links this change breaks\n\n")
		for _, p := range r.Broken {
			fmt.Fprintf(&b, "- %s %s", title(p.Title, p.URL, false), mdCode(p.Path))
			if t := p.targets(); len(t) > 0 {
				var codes []string
				for _, x := range t {
					codes = append(codes, mdCode(x))
				}
				fmt.Fprintf(&b, ", links into %s", strings.Join(codes, ", "))
			}
			b.WriteString("\n")
			for _, f := range p.Findings {
				b.WriteString("  - " + mdFinding(f) + "\n")
			}
		}
	}
	if len(r.New) > 0 {
		b.WriteString("\n#### New findings\n\n")
		for _, f := range r.New {
			b.WriteString("- " + mdFinding(f) + "\n")
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// mdFinding is a finding as a line of Markdown.
func mdFinding(f Finding) string {
	return fmt.Sprintf("%s **%s** %s: %s", mdCode(f.Pos.String()), f.Severity, mdCode(f.Rule), mdEscape(f.Message))
}

// mdCode is s as a code span.
func mdCode(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdEscape escapes the characters of s that Markdown would read as
// markup, and HTML, so that s reads as written.
func mdEscape(s string) string {
	var b strings.Builder
	for _, r := range strings.ReplaceAll(s, "\n", " ") {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// cell makes s safe in a table cell: a | outside code spans is escaped
// already, and one inside them must be too (GitHub splits cells first).
func cell(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '|' && (i == 0 || s[i-1] != '\\') {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
