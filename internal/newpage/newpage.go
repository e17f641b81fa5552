// Package newpage writes the first version of a page: the file handbook
// new creates from a kind's template.
//
// A template is a Go text/template that renders to a Markdown file,
// front matter included, from a Data: the title, today's date, the ADR
// number, the owner, the site's severity scale and radar, the ADRs a new
// one supersedes. Every kind has a default template embedded here
// (templates/*.md); ADRs have one per dialect, so that a new ADR reads
// like the ones beside it: Nygard's as adr-tools writes it, or MADR's
// sections with front matter, as handbook's own ADRs are written. A site
// overrides a kind's template with its own file, templates/<kind>.md in
// the site folder (Load). A template that does not parse or names a
// variable Data does not have is a *TemplateError at its line and column.
//
// What a template leaves for the writer is written as {a placeholder} or
// TODO, which lint's placeholder rule reports until it is filled in: a
// page fresh from a template fails handbook check --strict, and the same
// page filled in passes it.
//
// Where the page goes (Folder), the next ADR number (NextNumber) and the
// file name (FileName) come from the loaded site; Supersede marks an
// older ADR superseded in its own file, changing its status and nothing
// else.
package newpage

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// Data is what a template is executed with. Its fields are the variables
// of content/docs/templates.md.
type Data struct {
	// Kind is the page's kind: "runbook", "adr", "postmortem",
	// "evaluation", "post" or "page".
	Kind string
	// Title is the title as given on the command line; Slug is the file
	// name made from it, without a date, number or extension.
	Title string
	Slug  string
	// Date is today, YYYY-MM-DD (SOURCE_DATE_EPOCH when set).
	Date string
	// Number is a new ADR's number, and ID its label ("ADR-0008");
	// Dialect is the template the site's ADRs follow: "nygard", "madr"
	// or "" for handbook's own.
	Number  int
	ID      string
	Dialect string
	// Owner is who creates the page: --owner, else git's user.name, else
	// "".
	Owner string
	// Severities is the postmortem severity scale, most severe first;
	// Rings and Quadrants the radar's (postmortem.severities,
	// radar.rings, radar.quadrants in handbook.yaml).
	Severities []string
	Rings      []string
	Quadrants  []string
	// Supersedes are the ADRs a new ADR replaces (--supersedes).
	Supersedes []ADRRef
}

// ADRRef is an existing ADR, as a new page names it.
type ADRRef struct {
	// Number is its number, ID its label ("ADR-0007"), Title its title.
	Number int
	ID     string
	Title  string
	// Link is its file, relative to the new page's folder
	// ("0007-use-kafka.md").
	Link string
}

// TemplatesDir is the folder of a site's own templates, in the site
// folder: templates/adr.md overrides the ADR template. The loader never
// reads it as pages.
const TemplatesDir = site.TemplatesDir

//go:embed templates/*.md
var defaults embed.FS

// Default returns the embedded template of kind k. ADRs have two: Nygard's
// layout as adr-tools writes it, for dialect page.DialectNygard, and
// MADR's sections with the status and date in front matter for any
// other.
func Default(k page.Kind, dialect string) string {
	name := string(k)
	if k == page.KindADR && dialect == page.DialectNygard {
		name += "-" + dialect
	}
	b, err := defaults.ReadFile("templates/" + name + ".md")
	if err != nil {
		b, _ = defaults.ReadFile("templates/page.md")
	}
	return string(b)
}

// Load returns the template of kind k for the site in dir: the site's
// templates/<kind>.md when there is one, else Default(k, dialect). name
// is the file it came from, relative to dir and slash-separated, or ""
// for an embedded one.
func Load(dir string, k page.Kind, dialect string) (name, text string, err error) {
	name = TemplatesDir + "/" + string(k) + ".md"
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
	switch {
	case err == nil:
		return name, string(b), nil
	case errors.Is(err, fs.ErrNotExist):
		return "", Default(k, dialect), nil
	}
	return name, "", fmt.Errorf("read template: %w", err)
}

// TemplateError is a template that does not parse or does not execute,
// at the line and column of the problem in its file.
type TemplateError struct {
	File      string
	Line, Col int
	Message   string
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("%s:%d:%d: error template: %s", e.File, e.Line, e.Col, e.Message)
}

// Render executes the template text, read from the file name (for
// errors; "" for an embedded template), with d. The result ends with a
// newline.
func Render(name, text string, d Data) ([]byte, error) {
	shown := name
	if shown == "" {
		shown = "(built-in " + d.Kind + " template)"
	}
	t, err := template.New(shown).Option("missingkey=error").Funcs(funcs).Parse(text)
	if err != nil {
		return nil, templateError(shown, text, err)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, d); err != nil {
		return nil, templateError(shown, text, err)
	}
	out := b.Bytes()
	if len(out) > 0 && out[len(out)-1] != '\n' {
		out = append(out, '\n')
	}
	return out, nil
}

// funcs are the functions templates may call besides text/template's.
var funcs = template.FuncMap{
	// yaml writes a string as a YAML value, quoted when it must be.
	"yaml": yamlString,
	// join joins a list: {{join .Severities ", "}}.
	"join": func(list []string, sep string) string { return strings.Join(list, sep) },
	// ids writes the labels of ADRs as a YAML value: ADR-0007, or
	// [ADR-0007, ADR-0009] for several.
	"ids": func(adrs []ADRRef) string {
		ids := make([]string, len(adrs))
		for i, a := range adrs {
			ids[i] = a.ID
		}
		if len(ids) == 1 {
			return ids[0]
		}
		return "[" + strings.Join(ids, ", ") + "]"
	},
}

// templateErr matches text/template's errors: "template: NAME:LINE:
// msg" (parsing) and "template: NAME:LINE:COL: executing "NAME" at
// <.X>: msg" (executing, COL counted from 0).
var templateErr = regexp.MustCompile(`^template: (.*?):(\d+)(?::(\d+))?: (?:executing ".*?" at )?(.*)$`)

// templateError turns an error of text/template about the template text
// of file name into a *TemplateError.
func templateError(name, text string, err error) error {
	msg := err.Error()
	m := templateErr.FindStringSubmatch(msg)
	if m == nil || m[1] != name {
		return &TemplateError{File: name, Line: 1, Col: 1, Message: strings.TrimPrefix(msg, "template: ")}
	}
	line, _ := strconv.Atoi(m[2])
	col := 1
	if m[3] != "" {
		c, _ := strconv.Atoi(m[3])
		col = c + 1
	} else if l := lineOf(text, line); strings.Contains(l, "{{") {
		// Parse errors say only the line: point at its first action.
		col = strings.Index(l, "{{") + 1
	}
	msg = m[4]
	if strings.Contains(msg, "can't evaluate field") {
		msg += "; the variables are " + strings.Join(Variables(), ", ")
	}
	return &TemplateError{File: name, Line: line, Col: col, Message: msg}
}

// lineOf returns line n (from 1) of text.
func lineOf(text string, n int) string {
	lines := strings.Split(text, "\n")
	if n < 1 || n > len(lines) {
		return ""
	}
	return lines[n-1]
}

// Variables returns the names of the variables a template may use, in
// the order Data declares them.
func Variables() []string {
	return []string{".Kind", ".Title", ".Slug", ".Date", ".Number", ".ID", ".Dialect", ".Owner", ".Severities", ".Rings", ".Quadrants", ".Supersedes"}
}

// yamlString writes s as a YAML scalar: as is when YAML reads it back as
// the same string, else quoted. It is quoted too when it holds a comma or
// a bracket, so that it can go in a list: [{{yaml .Owner}}].
func yamlString(s string) string {
	if strings.ContainsAny(s, ",[]{}") {
		return strconv.Quote(s)
	}
	b, err := yaml.Marshal(s)
	if err != nil || bytes.Count(b, []byte("\n")) > 1 {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(b), "\n")
}

// Slug makes a file name from a title: lower case letters and digits,
// words joined by hyphens, apostrophes dropped ("Don't use X" →
// "dont-use-x"), at most about 60 characters, cut between words.
func Slug(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range title {
		switch {
		case r == '\'' || r == '’':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	s := b.String()
	const max = 60
	if len(s) > max {
		cut := strings.LastIndexByte(s[:max+1], '-')
		if cut <= 0 {
			cut = max
			for cut > 0 && !utf8Start(s[cut]) {
				cut--
			}
		}
		s = s[:cut]
	}
	return s
}

func utf8Start(c byte) bool { return c&0xC0 != 0x80 }

// AddKind returns src with kind: k added to its front matter (front
// matter is added when there is none): for a page written in a folder
// that does not make pages of its kind.
func AddKind(src []byte, k page.Kind) []byte {
	line := "kind: " + string(k) + "\n"
	if bytes.HasPrefix(src, []byte("---\n")) {
		return slices.Concat([]byte("---\n"+line), src[4:])
	}
	return slices.Concat([]byte("---\n"+line+"---\n\n"), src)
}
