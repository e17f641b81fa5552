package lint

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
)

// SARIF names what the sarif format writes.
const (
	// SARIFSchema is the JSON schema a SARIF log names in $schema.
	SARIFSchema = "https://json.schemastore.org/sarif-2.1.0.json"
	// SARIFFingerprint is the key of the partial fingerprint each result
	// carries: a hash of the rule id, the file and the message, and the
	// number of the finding among those with the same hash. Code scanning
	// matches alerts of successive runs by it, so an alert survives lines
	// added above it.
	SARIFFingerprint = "handbookFinding/v1"
	// srcRoot is the URI base id of every relative artifact location.
	srcRoot = "%SRCROOT%"
	// homeURL is handbook's own site; DocsURL is below it.
	homeURL = "https://handbook-dev.github.io/handbook/"
)

// WriteSARIF writes findings as a SARIF 2.1.0 log of one run that GitHub
// code scanning accepts, indented by two spaces. The tool's rules are the
// rule ids the findings use, sorted, each with its catalog description,
// default level, category tag and documentation page. A finding's
// location is its path relative to the repository root (see
// FormatOptions.RepoPath), percent-encoded, against the base id
// %SRCROOT%; its region is the line and column, left out when 0. Levels
// are error, warning and note. With opts.BaselineState, each result has a
// baselineState. The same findings always give the same bytes.
func WriteSARIF(w io.Writer, list diag.List, opts FormatOptions) error {
	driver := sarifDriver{
		Name:           "handbook",
		InformationURI: homeURL,
		Rules:          []sarifRule{},
	}
	if opts.Version != "" {
		driver.Version = opts.Version
		if v := strings.TrimPrefix(opts.Version, "v"); semver.MatchString(v) {
			driver.SemanticVersion = v
		}
	}

	index := map[string]int{}
	var ids []string
	for _, d := range list {
		id := ruleID(d)
		if _, ok := index[id]; !ok {
			index[id] = -1
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for i, id := range ids {
		index[id] = i
		driver.Rules = append(driver.Rules, sarifRuleFor(id))
	}

	run := sarifRun{
		Tool: sarifTool{Driver: driver},
		OriginalURIBaseIDs: map[string]sarifArtifactLocation{
			srcRoot: {Description: &sarifMessage{Text: "The root of the repository that holds the handbook."}},
		},
		Results: []sarifResult{},
	}
	seen := map[string]int{}
	for _, d := range list {
		id := ruleID(d)
		file := repoFile(opts.RepoPath, d.Pos.File)
		h := sha256.Sum256([]byte(id + "\x00" + file + "\x00" + d.Message))
		hash := hex.EncodeToString(h[:16])
		seen[hash]++
		r := sarifResult{
			RuleID:              id,
			RuleIndex:           index[id],
			Level:               sarifLevel(d.Severity),
			Message:             sarifMessage{Text: d.Message},
			PartialFingerprints: map[string]string{SARIFFingerprint: fmt.Sprintf("%s:%d", hash, seen[hash])},
		}
		if opts.BaselineState != nil {
			r.BaselineState = opts.BaselineState(d)
		}
		if file != "" {
			loc := sarifPhysicalLocation{ArtifactLocation: artifactLocation(file)}
			if d.Pos.Line > 0 {
				loc.Region = &sarifRegion{StartLine: d.Pos.Line, StartColumn: d.Pos.Col}
			}
			r.Locations = []sarifLocation{{PhysicalLocation: loc}}
		}
		run.Results = append(run.Results, r)
	}

	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// semver matches a Semantic Versioning 2.0.0 version.
var semver = regexp.MustCompile(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$`)

func ruleID(d diag.Diagnostic) string {
	return cmp.Or(d.Rule, "unknown")
}

// sarifRuleFor describes a rule id, from the catalog when it is there.
func sarifRuleFor(id string) sarifRule {
	r := sarifRule{ID: id, Name: ruleName(id)}
	info, ok := Lookup(id)
	if !ok {
		r.ShortDescription = &sarifMessage{Text: id}
		return r
	}
	page := DocsURL + id + "/"
	r.ShortDescription = &sarifMessage{Text: info.Doc}
	r.FullDescription = &sarifMessage{Text: fmt.Sprintf("%s Category: %s. Default severity: %s.", info.Doc, info.Category, info.Severity)}
	r.HelpURI = page
	howTo := "Set its severity, or off, under rules: in handbook.yaml; silence one place in a page's body with <!-- handbook-disable-next-line %s --> on the line before it (findings in front matter are silenced by rules: only)."
	r.Help = &sarifMultiformat{
		Text: fmt.Sprintf("%s\n\nCategory: %s. Default severity: %s.\n\n"+howTo+"\n\nDocumentation: %s",
			info.Doc, info.Category, info.Severity, id, page),
		Markdown: fmt.Sprintf("%s\n\nCategory: `%s`. Default severity: %s.\n\nSet its severity, or `off`, under `rules:` in `handbook.yaml`; silence one place in a page's body with `<!-- handbook-disable-next-line %s -->` on the line before it (findings in front matter are silenced by `rules:` only).\n\n[Documentation of `%s`](%s)",
			info.Doc, info.Category, info.Severity, id, id, page),
	}
	r.DefaultConfiguration = &sarifConfiguration{Level: sarifLevel(info.Severity)}
	r.Properties = &sarifProperties{Tags: []string{info.Category}}
	return r
}

// ruleName turns a rule id into the identifier SARIF expects as a rule's
// name: broken-link becomes BrokenLink.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func sarifLevel(s diag.Severity) string {
	switch s {
	case diag.Error:
		return "error"
	case diag.Warning:
		return "warning"
	}
	return "note"
}

// artifactLocation names a slash path: a relative one percent-encoded
// against %SRCROOT%, an absolute one as a file: URI.
func artifactLocation(file string) sarifArtifactLocation {
	if path.IsAbs(file) || len(file) > 2 && file[1] == ':' && file[2] == '/' { // /x or C:/x
		if !strings.HasPrefix(file, "/") {
			file = "/" + file
		}
		u := url.URL{Scheme: "file", Path: file}
		return sarifArtifactLocation{URI: u.String()}
	}
	u := url.URL{Path: file} // String writes ./a:b for a path a:b that would read as a scheme
	return sarifArtifactLocation{URI: u.String(), URIBaseID: srcRoot}
}

// The SARIF 2.1.0 objects the sarif format uses, with the properties it
// fills in.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                        `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLocation `json:"originalUriBaseIds"`
		Results            []sarifResult                    `json:"results"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		Version         string      `json:"version,omitempty"`
		SemanticVersion string      `json:"semanticVersion,omitempty"`
		InformationURI  string      `json:"informationUri"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string              `json:"id"`
		Name                 string              `json:"name,omitempty"`
		ShortDescription     *sarifMessage       `json:"shortDescription,omitempty"`
		FullDescription      *sarifMessage       `json:"fullDescription,omitempty"`
		HelpURI              string              `json:"helpUri,omitempty"`
		Help                 *sarifMultiformat   `json:"help,omitempty"`
		DefaultConfiguration *sarifConfiguration `json:"defaultConfiguration,omitempty"`
		Properties           *sarifProperties    `json:"properties,omitempty"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifMultiformat struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifConfiguration struct {
		Level string `json:"level"`
	}
	sarifProperties struct {
		Tags []string `json:"tags"`
	}
	sarifResult struct {
		RuleID              string            `json:"ruleId"`
		RuleIndex           int               `json:"ruleIndex"`
		Level               string            `json:"level"`
		Message             sarifMessage      `json:"message"`
		Locations           []sarifLocation   `json:"locations,omitempty"`
		PartialFingerprints map[string]string `json:"partialFingerprints"`
		BaselineState       string            `json:"baselineState,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI         string        `json:"uri,omitempty"`
		URIBaseID   string        `json:"uriBaseId,omitempty"`
		Description *sarifMessage `json:"description,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine,omitempty"`
		StartColumn int `json:"startColumn,omitempty"`
	}
)
