package lint

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// findings has what makes output formats go wrong: every severity, a rule
// outside the catalog, a finding without a line and one without a column,
// the same finding twice in a file, and paths and messages with spaces,
// non-ASCII letters, %, commas, colons, pipes, newlines, HTML and
// Markdown.
func findings() diag.List {
	var l diag.List
	add := func(file string, line, col int, sev diag.Severity, rule, msg string) {
		l.Add(diag.Position{File: file, Line: line, Col: col}, sev, rule, "%s", msg)
	}
	add("content/adr/0004-b.md", 1, 1, diag.Error, "adr-duplicate-number", "ADR number 4 is also used by content/adr/0004-a.md; give this ADR the next free number")
	add("content/adr/0004-a.md", 1, 1, diag.Info, "adr-numbering-gap", "no ADR numbered 2–3 before this one")
	add("content/guide.md", 5, 0, diag.Warning, "heading-skip", `heading "Setup, then: run" is level 4 after level 2; use level 3 or add the missing level`)
	add("content/guide.md", 9, 14, diag.Error, "broken-link", `link to "<script>alert(1)</script>.md" points to no page`)
	add("content/guide.md", 20, 1, diag.Warning, "placeholder", "TODO left in the text; fill it in")
	add("content/guide.md", 30, 1, diag.Warning, "placeholder", "TODO left in the text; fill it in")
	add("content/runbooks/db failover – é.md", 12, 3, diag.Warning, "required-section", `no "Rollback | Undo" section; 100% of runbooks need one`)
	add("content/notes/日本語.md", 0, 0, diag.Error, "secret", "holds an AWS access key id\nremove it and rotate the key")
	add("content/a|b.md", 3, 7, diag.Info, "custom-rule", "a rule not in the catalog: `code` *stars* _under_ & [link](x) $math$ ~strike~ \\")
	add("content/posts/50% off, now.md", 4, 2, diag.Warning, "unknown-field", `unknown field "tittle"; did you mean "title"?`)
	l.Sort()
	return l
}

// TestGolden writes findings() in every format and compares the output
// with testdata/format/NAME.golden; -update rewrites the files.
func TestGolden(t *testing.T) {
	write := func(format string, opts FormatOptions) func(*bytes.Buffer) error {
		return func(b *bytes.Buffer) error { return FormatWith(b, format, findings(), opts) }
	}
	for _, tc := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"text", write("text", FormatOptions{})},
		{"text-color", write("text", FormatOptions{Color: true})},
		{"json", write("json", FormatOptions{})},
		{"github", write("github", FormatOptions{})},
		{"sarif", write("sarif", FormatOptions{Version: "v1.4.0"})},
		{"summary", func(b *bytes.Buffer) error { return Summary(b, findings(), 12) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := tc.write(&b); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join("testdata", "format", tc.name+".golden")
			if *update {
				if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatalf("%v; run go test -update", err)
			}
			if d := golden.Diff(string(want), b.String()); d != "" {
				t.Errorf("%s differs from %s:\n%s", tc.name, file, d)
			}
		})
	}
}

func TestFormatCompat(t *testing.T) {
	// Format is FormatWith without options, and plain text is each
	// finding's String when nothing needs escaping.
	list := diag.List{{Pos: diag.Position{File: "a.md", Line: 2, Col: 3}, Severity: diag.Warning, Rule: "heading-skip", Message: "level 4 after 2"}}
	for _, format := range Formats {
		var a, b bytes.Buffer
		if err := Format(&a, format, list); err != nil {
			t.Fatal(err)
		}
		if err := FormatWith(&b, format, list, FormatOptions{}); err != nil {
			t.Fatal(err)
		}
		if a.String() != b.String() {
			t.Errorf("%s: Format and FormatWith differ", format)
		}
		if format == "text" && a.String() != list[0].String()+"\n" {
			t.Errorf("text: %q, want %q", a.String(), list[0].String()+"\n")
		}
	}
	if err := Format(new(bytes.Buffer), "xml", list); err == nil || !strings.Contains(err.Error(), "sarif") {
		t.Errorf("unknown format: err = %v, want one naming the formats", err)
	}

	// The JSON of before schema_version still reads the same.
	var b bytes.Buffer
	if err := Format(&b, "json", findings()); err != nil {
		t.Fatal(err)
	}
	var old struct {
		Findings []struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Column   int    `json:"column"`
			Severity string `json:"severity"`
			Rule     string `json:"rule"`
			Message  string `json:"message"`
		} `json:"findings"`
		Errors        int `json:"errors"`
		Warnings      int `json:"warnings"`
		Notes         int `json:"notes"`
		SchemaVersion int `json:"schema_version"`
	}
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&old); err != nil {
		t.Fatal(err)
	}
	if len(old.Findings) != 10 || old.Errors != 3 || old.Warnings != 5 || old.Notes != 2 || old.SchemaVersion != 1 {
		t.Errorf("json: %d findings, %d errors, %d warnings, %d notes, schema %d", len(old.Findings), old.Errors, old.Warnings, old.Notes, old.SchemaVersion)
	}
	if f := old.Findings[len(old.Findings)-1]; f.File != "content/runbooks/db failover – é.md" || f.Line != 12 || f.Column != 3 || f.Severity != "warning" {
		t.Errorf("json: last finding %+v", f)
	}
	b.Reset()
	if err := Format(&b, "json", nil); err != nil || !strings.Contains(b.String(), `"findings": []`) {
		t.Errorf("json of no findings: %v\n%s", err, b.String())
	}
}

func TestTextEscapesControls(t *testing.T) {
	list := diag.List{{Pos: diag.Position{File: "evil\x1b[2J.md", Line: 1}, Severity: diag.Error, Rule: "r", Message: "one\ntwo\u202ethree\ttab"}}
	for _, color := range []bool{false, true} {
		var b bytes.Buffer
		if err := FormatWith(&b, "text", list, FormatOptions{Color: color}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out, "")
		if want := `evil\x1b[2J.md:1: error r: one\ntwo\u202ethree` + "\ttab\n"; plain != want {
			t.Errorf("color=%v: %q, want %q", color, plain, want)
		}
	}
}

func TestGitHubEscaping(t *testing.T) {
	for _, tc := range []struct {
		d    diag.Diagnostic
		repo string
		want string
	}{
		{
			diag.Diagnostic{Pos: diag.Position{File: "content/a.md", Line: 3, Col: 9}, Severity: diag.Error, Rule: "broken-link", Message: "plain"},
			"", "::error file=content/a.md,line=3,col=9,title=broken-link::plain\n",
		},
		{
			diag.Diagnostic{Pos: diag.Position{File: "content/50%, a:b.md", Line: 1}, Severity: diag.Warning, Rule: "r,x:y", Message: "100%\r\ndone, a:b ::error::x"},
			"", "::warning file=content/50%25%2C a%3Ab.md,line=1,title=r%2Cx%3Ay::100%25%0D%0Adone, a:b ::error::x\n",
		},
		{
			diag.Diagnostic{Pos: diag.Position{File: "content/a.md"}, Severity: diag.Info, Rule: "adr-numbering-gap", Message: "gap"},
			"docs/site", "::notice file=docs/site/content/a.md,title=adr-numbering-gap::gap\n",
		},
	} {
		var b bytes.Buffer
		if err := FormatWith(&b, "github", diag.List{tc.d}, FormatOptions{RepoPath: tc.repo}); err != nil {
			t.Fatal(err)
		}
		if b.String() != tc.want {
			t.Errorf("got  %q\nwant %q", b.String(), tc.want)
		}
	}
}

// TestSARIFSchema validates the sarif format against the official SARIF
// 2.1.0 schema (testdata/sarif-schema-2.1.0.json; see testdata/README.md),
// and a broken log against it to show that the validator catches one.
func TestSARIFSchema(t *testing.T) {
	schema := sarifSchema(t)
	absolute := append(findings(), diag.Diagnostic{Pos: diag.Position{File: "/home/ci/site/outside.md", Line: 2}, Severity: diag.Error, Rule: "unreadable", Message: "permission denied"})
	for _, tc := range []struct {
		name string
		list diag.List
		opts FormatOptions
	}{
		{"findings", findings(), FormatOptions{Version: "v1.4.0"}},
		{"in a subfolder", findings(), FormatOptions{RepoPath: "docs/handbook", Version: "dev"}},
		{"absolute path", absolute, FormatOptions{}},
		{"none", nil, FormatOptions{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := sarifDoc(t, tc.list, tc.opts)
			if err := schema.Validate(doc); err != nil {
				t.Errorf("not valid SARIF 2.1.0: %v", err)
			}
		})
	}

	for _, tc := range []struct {
		name   string
		mutate func(log map[string]any)
	}{
		{"level fatal", func(log map[string]any) { result(log, 0)["level"] = "fatal" }},
		{"line 0", func(log map[string]any) {
			loc := result(log, 0)["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
			loc["region"] = map[string]any{"startLine": 0}
		}},
		{"no version", func(log map[string]any) { delete(log, "version") }},
		{"unknown property", func(log map[string]any) { result(log, 0)["severity"] = "error" }},
		{"bare % in uri", func(log map[string]any) {
			loc := result(log, 0)["locations"].([]any)[0].(map[string]any)["physicalLocation"].(map[string]any)
			loc["artifactLocation"].(map[string]any)["uri"] = "content/100%.md"
		}},
	} {
		t.Run("broken/"+tc.name, func(t *testing.T) {
			doc := sarifDoc(t, findings(), FormatOptions{})
			tc.mutate(doc.(map[string]any))
			if err := schema.Validate(doc); err == nil {
				t.Error("a broken log passed the schema")
			}
		})
	}
}

func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	const id = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	c := jsonschema.NewCompiler()
	c.AssertFormat() // uri, uri-reference, date-time
	if err := c.AddResource(id, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(id)
	if err != nil {
		t.Fatal(err)
	}
	return schema
}

func sarifDoc(t *testing.T, list diag.List, opts FormatOptions) any {
	t.Helper()
	var b bytes.Buffer
	if err := FormatWith(&b, "sarif", list, opts); err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(&b)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func result(log map[string]any, i int) map[string]any {
	return log["runs"].([]any)[0].(map[string]any)["results"].([]any)[i].(map[string]any)
}

// TestSARIFForCodeScanning checks what GitHub relies on beyond the schema.
func TestSARIFForCodeScanning(t *testing.T) {
	var b bytes.Buffer
	list := findings()
	if err := FormatWith(&b, "sarif", list, FormatOptions{RepoPath: "docs", Version: "1.4.0-rc.1+abc"}); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	if d := run.Tool.Driver; d.SemanticVersion != "1.4.0-rc.1+abc" || d.Version != "1.4.0-rc.1+abc" {
		t.Errorf("driver versions %q, %q", d.SemanticVersion, d.Version)
	}
	if len(run.Results) != len(list) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(list))
	}
	fingerprints := map[string]bool{}
	for i, r := range run.Results {
		d := list[i]
		rule := run.Tool.Driver.Rules[r.RuleIndex]
		if rule.ID != r.RuleID || r.RuleID != d.Rule {
			t.Errorf("result %d: rule %q at index %d is %q", i, r.RuleID, r.RuleIndex, rule.ID)
		}
		if _, ok := Lookup(d.Rule); ok != (rule.HelpURI == DocsURL+d.Rule+"/") {
			t.Errorf("rule %s: helpUri %q", d.Rule, rule.HelpURI)
		}
		fp := r.PartialFingerprints[SARIFFingerprint]
		if fp == "" || fingerprints[fp] {
			t.Errorf("result %d: fingerprint %q missing or repeated", i, fp)
		}
		fingerprints[fp] = true
		loc := r.Locations[0].PhysicalLocation
		u, err := url.Parse(loc.ArtifactLocation.URI)
		if err != nil || u.Path != "docs/"+d.Pos.File || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: uri %q (%v) does not name docs/%s", i, loc.ArtifactLocation.URI, err, d.Pos.File)
		}
		if (loc.Region == nil) != (d.Pos.Line == 0) || loc.Region != nil && (loc.Region.StartLine != d.Pos.Line || loc.Region.StartColumn != d.Pos.Col) {
			t.Errorf("result %d: region %+v for %s", i, loc.Region, d.Pos)
		}
	}
	if len(run.Tool.Driver.Rules) != 9 {
		t.Errorf("%d rules, want the 9 the findings use", len(run.Tool.Driver.Rules))
	}

	// Fingerprints do not move with lines, and are the same next run.
	moved := findings()
	for i := range moved {
		if moved[i].Pos.Line > 0 {
			moved[i].Pos.Line += 10
		}
	}
	var again bytes.Buffer
	if err := FormatWith(&again, "sarif", moved, FormatOptions{RepoPath: "docs"}); err != nil {
		t.Fatal(err)
	}
	var log2 sarifLog
	if err := json.Unmarshal(again.Bytes(), &log2); err != nil {
		t.Fatal(err)
	}
	for i, r := range log2.Runs[0].Results {
		if got, want := r.PartialFingerprints[SARIFFingerprint], run.Results[i].PartialFingerprints[SARIFFingerprint]; got != want {
			t.Errorf("result %d: fingerprint %s moved to %s", i, want, got)
		}
	}

	if !strings.HasPrefix(DocsURL, homeURL) {
		t.Errorf("DocsURL %s is not below informationUri %s", DocsURL, homeURL)
	}
}

func TestSARIFLocations(t *testing.T) {
	for _, tc := range []struct{ file, uri, base string }{
		{"content/a.md", "content/a.md", "%SRCROOT%"},
		{"content/db failover é.md", "content/db%20failover%20%C3%A9.md", "%SRCROOT%"},
		{"content/100%#1?.md", "content/100%25%231%3F.md", "%SRCROOT%"},
		{"a:b/c.md", "./a:b/c.md", "%SRCROOT%"},
		{"/srv/site/a b.md", "file:///srv/site/a%20b.md", ""},
		{"C:/site/a.md", "file:///C:/site/a.md", ""},
	} {
		got := artifactLocation(tc.file)
		if got.URI != tc.uri || got.URIBaseID != tc.base {
			t.Errorf("%s: uri %q base %q, want %q %q", tc.file, got.URI, got.URIBaseID, tc.uri, tc.base)
		}
	}
}

func TestSummary(t *testing.T) {
	var b bytes.Buffer
	if err := Summary(&b, nil, 1); err != nil {
		t.Fatal(err)
	}
	if b.String() != "### ✅ handbook check: no problems in 1 page\n" {
		t.Errorf("no findings: %q", b.String())
	}

	// Rendered as GitHub would, nothing in a path or message turns into
	// HTML, a link or a table cell.
	b.Reset()
	if err := Summary(&b, findings(), 12); err != nil {
		t.Fatal(err)
	}
	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(b.Bytes(), &html); err != nil {
		t.Fatal(err)
	}
	out := html.String()
	for _, bad := range []string{"<script", "<em>", "<strong>", "<del>", `href="x"`} {
		if strings.Contains(out, bad) {
			t.Errorf("summary renders %s:\n%s", bad, out)
		}
	}
	for _, want := range []string{
		"&lt;script&gt;alert(1)&lt;/script&gt;",
		"<code>content/a|b.md:3:7</code>",
		"*stars* _under_ &amp; [link](x) $math$ ~strike~ \\",
		`<a href="` + DocsURL + `broken-link/"><code>broken-link</code></a>`,
		"holds an AWS access key id remove it",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("summary does not render %s:\n%s", want, out)
		}
	}
	if rows, cells := strings.Count(out, "<tr>"), strings.Count(out, "<td"); cells != 3*(rows-1) {
		t.Errorf("summary table has %d cells in %d rows:\n%s", cells, rows-1, out)
	}
}

func TestSummaryTruncates(t *testing.T) {
	var list diag.List
	for i := range 55 {
		list.Warnf(diag.Position{File: "content/a.md", Line: i + 1, Col: 1}, "placeholder", "TODO %d", i)
	}
	for i := range 5 {
		list.Errorf(diag.Position{File: "content/z.md", Line: i + 1, Col: 1}, "broken-link", "broken %d", i)
	}
	list.Sort()
	var b bytes.Buffer
	if err := Summary(&b, list, 2); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "### ❌ handbook check: 5 errors, 55 warnings, 0 notes in 2 pages\n") {
		t.Errorf("headline: %s", out)
	}
	items := regexp.MustCompile(`(?m)^- `).FindAllStringIndex(out, -1)
	if len(items) != SummaryFindings {
		t.Errorf("%d findings listed, want %d", len(items), SummaryFindings)
	}
	if !strings.HasSuffix(out, "\n… and 10 more\n") {
		t.Errorf("no … and 10 more at the end:\n%s", out)
	}
	// Errors come first, though the list sorts them last.
	for i := range 5 {
		if !strings.Contains(out, fmt.Sprintf("- ❌ `content/z.md:%d:1` — broken %d", i+1, i)) {
			t.Errorf("error %d not listed", i)
		}
	}
	if !strings.Contains(out, "| [`placeholder`]("+DocsURL+"placeholder/) | warning | 55 |") {
		t.Errorf("no count for placeholder:\n%s", out)
	}

	b.Reset()
	if err := Summary(&b, list[:SummaryFindings], 2); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "more") {
		t.Errorf("exactly %d findings: says more", SummaryFindings)
	}
}

func TestCodeSpan(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"a.md:1:2", "`a.md:1:2`"},
		{"a`b.md", "``a`b.md``"},
		{"`a``", "``` `a`` ```"},
		{"a\nb|c", "`a b|c`"},
	} {
		if got := codeSpan(tc.in); got != tc.want {
			t.Errorf("codeSpan(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
