package page

import (
	"bytes"
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/slab"
)

// Ref is a reference written in front matter (supersedes, related, ...): the
// text as written and where. The site resolves it.
type Ref struct {
	Target string
	Pos    diag.Position
}

// Page is one Markdown file, read.
type Page struct {
	// Path is the file's path as shown in diagnostics (slash-separated,
	// relative to the site root).
	Path string
	Kind Kind

	// Title is the page's title as plain text; TitleHTML, when set, is
	// the same title rendered from its Markdown (emphasis, code), for the
	// page heading.
	Title     string
	TitleHTML string
	// TitleFromBody is true when the title is the body's first level-1
	// heading; layouts then do not print it twice.
	TitleFromBody bool
	// KindFrom says where the kind comes from: "front matter", "folder",
	// or "content" when the page's own fields and sections made it one
	// (a postmortem outside a postmortems folder): content written for
	// another tool, which house rules report as notes only.
	KindFrom string
	// Template is true for a template file (template.md,
	// adr-template.md, a file in templates/): an example others copy,
	// which no rule checks.
	Template    bool
	Description string
	Tags        []string
	Owner       string
	Draft       bool
	Visibility  string // "internal" or "public"
	Aliases     []string
	Weight      int
	Onboarding  int // position in the start-here path, 0 if none
	Related     []Ref
	// Services are the services the page is about: a runbook's service, a
	// postmortem's services, or any page's services: field.
	Services []string
	// Date is the page's date (ADR decided, postmortem incident, post
	// published, evaluation made); zero when it has none.
	Date time.Time

	Runbook    *Runbook
	ADR        *ADR
	Postmortem *Postmortem
	Evaluation *Evaluation
	Post       *Post

	// Fields maps each front-matter key to where it is written.
	Fields map[string]diag.Position
	// Params holds front-matter keys handbook does not know, for layouts.
	Params map[string]any

	// Body is the Markdown after the front matter (a site drops it once the
	// page is parsed); BodyLine is the file line its first byte is on.
	Body     []byte
	BodyLine int
}

// Runbook holds the fields of a runbook.
type Runbook struct {
	Service      string
	LastReviewed time.Time
	// ReviewedFromGit is set when LastReviewed is not written on the page
	// but taken from its last change in git (review.from_git).
	ReviewedFromGit bool
	ReviewEvery     time.Duration
	Alerts          []string
	Severity        string
	Dashboards      []string
	Tier            string
	Escalation      string
}

// ReviewDue is when the runbook should next be reviewed; zero when it was
// never reviewed.
func (r *Runbook) ReviewDue() time.Time {
	if r.LastReviewed.IsZero() {
		return time.Time{}
	}
	return r.LastReviewed.Add(r.ReviewEvery)
}

// ADR holds the fields of an architecture decision record.
type ADR struct {
	// Number is the ADR's number (7 for 0007-use-goldmark.md);
	// HasNumber tells 0 (0000-record-decisions.md) from none.
	Number    int
	HasNumber bool
	// NumberFromOrder is true when the site numbered the ADR by its place
	// in a log whose files carry dates, not numbers (log4brains').
	NumberFromOrder bool
	// Dialect is the template the ADR follows: DialectMADR,
	// DialectNygard, DialectYStatement, or "" for handbook's own.
	Dialect string
	// ID is the explicit id, or the file name's slug.
	ID string
	// Status is normalized to one of ADRStatuses; RawStatus is as written.
	Status    string
	RawStatus string
	// StatusFrom says where the status was found: "front matter",
	// "section", "bullet" or "line".
	StatusFrom     string
	DecisionMakers []string
	Consulted      []string
	Informed       []string
	Supersedes     []Ref
	SupersededBy   []Ref
}

// Postmortem holds the fields of a postmortem.
type Postmortem struct {
	Severity    string
	Status      string
	Services    []string
	Responders  []string
	ImpactStart time.Time
	DetectedAt  time.Time
	MitigatedAt time.Time
	ResolvedAt  time.Time
	Runbooks    []Ref
	ADRs        []Ref
	// URL is the incident's page elsewhere (a status page, the incident
	// tool), from url: or link:.
	URL string
}

// TimeToDetect is detected_at − impact_start, or 0 when either is missing.
func (p *Postmortem) TimeToDetect() time.Duration { return span(p.ImpactStart, p.DetectedAt) }

// TimeToMitigate is mitigated_at − impact_start.
func (p *Postmortem) TimeToMitigate() time.Duration { return span(p.ImpactStart, p.MitigatedAt) }

// TimeToResolve is resolved_at − impact_start.
func (p *Postmortem) TimeToResolve() time.Duration { return span(p.ImpactStart, p.ResolvedAt) }

// Duration is how long users were affected: from impact_start to
// mitigated_at, or to resolved_at when it was never mitigated separately.
func (p *Postmortem) Duration() time.Duration {
	if !p.MitigatedAt.IsZero() {
		return span(p.ImpactStart, p.MitigatedAt)
	}
	return p.TimeToResolve()
}

func span(a, b time.Time) time.Duration {
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return b.Sub(a)
}

// Evaluation holds the fields of a tool evaluation (a radar blip).
type Evaluation struct {
	// Ring and Quadrant are the schema's ring and quadrant the page names
	// (Schema.Ring, Schema.Quadrant), or the value as written when it
	// names none. QuadrantLabel is the quadrant as written, for display
	// ("methods-and-patterns" for techniques).
	Ring          string
	Quadrant      string
	QuadrantLabel string
	ADR           []Ref
	Alternatives  []Ref
	History       []HistoryEntry
}

// HistoryEntry is an earlier ring of an evaluation.
type HistoryEntry struct {
	Date time.Time
	Ring string
}

// Post holds the fields of a blog post.
type Post struct {
	Authors []string
	Image   string
}

// DefaultReviewEvery is how often a runbook is reviewed when it does not
// say.
const DefaultReviewEvery = 180 * 24 * time.Hour

// MaxSize is the largest Markdown file read; bigger files are reported and
// skipped.
const MaxSize = 8 << 20

// Parse reads the file at path (as shown in diagnostics) with contents src.
// kind is the kind implied by the file's folder; front matter may override
// it. Parse always returns a page that can be rendered; problems are
// returned as diagnostics.
func Parse(path string, src []byte, kind Kind, schema Schema) (*Page, diag.List) {
	r := reader{path: path}
	if !utf8.Valid(src) {
		off := firstInvalid(src)
		r.diags.Errorf(offsetPos(path, src, off), "invalid-utf8", "file is not valid UTF-8 (invalid byte 0x%02x); save it as UTF-8", src[off])
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	fm, body, bodyLine := Split(src)
	p := &Page{Path: path, Kind: kind, Body: body, BodyLine: bodyLine, Visibility: cmp.Or(schema.Visibility, "internal"), Fields: map[string]diag.Position{}, Template: IsTemplate(path, body)}
	r.p = p
	r.fmLine = fm.Line
	r.folder = kind
	r.sig = readSignals(body)
	switch {
	case fm.Format == "toml" && fm.Closed:
		r.diags.Errorf(r.at(1, 1), "front-matter-syntax", "TOML front matter is not supported; write it as YAML between --- lines")
	case fm.Format != "" && !fm.Closed:
		r.diags.Errorf(r.at(1, 1), "front-matter-syntax", "front matter opened with %q is never closed; end it with a line of %q", string(src[:3]), string(src[:3]))
	case fm.Format == "yaml":
		r.decode(fm.Raw, schema)
	}
	if !r.decided {
		r.decideKind(nil)
	}
	r.fromBody(schema)
	r.required()
	return p, r.diags
}

type reader struct {
	path   string
	p      *Page
	fmLine int
	diags  diag.List
	// folder is the kind the file's folder implies; sig what its body
	// says of its kind; decided that the kind is settled.
	folder  Kind
	sig     signals
	decided bool
}

// decideKind settles the kind of a page whose front matter names none:
// see decideKind in dialect.go. keys are the front matter's keys.
func (r *reader) decideKind(keys map[string]bool) {
	r.decided = true
	if r.p.Template {
		r.p.Kind = KindPage
		return
	}
	r.p.Kind = decideKind(r.path, r.folder, keys, r.sig)
	switch {
	case r.p.Kind == r.folder && r.folder != KindPage:
		r.p.KindFrom = "folder"
	case r.p.Kind != KindPage && r.p.Kind != r.folder:
		r.p.KindFrom = "content"
	}
}

func (r *reader) at(line, col int) diag.Position {
	return diag.Position{File: r.path, Line: line, Col: col}
}

func (r *reader) pos(n *yaml.Node) diag.Position {
	return r.at(r.fmLine+n.Line-1, n.Column)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

func (r *reader) decode(raw []byte, schema Schema) {
	var doc yaml.Node
	if fast, ok := fastYAML(raw); ok {
		doc = *fast
	} else if err := yaml.Unmarshal(raw, &doc); err != nil {
		msg := err.Error()
		line := 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		r.diags.Errorf(r.at(r.fmLine+max(line, 1)-1, 1), "front-matter-syntax", "front matter is not valid YAML: %s", msg)
		return
	}
	if len(doc.Content) == 0 {
		return
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		if m.Kind == yaml.ScalarNode && m.Tag == "!!null" {
			return
		}
		r.diags.Errorf(r.pos(m), "front-matter-syntax", "front matter must be a mapping of keys to values")
		return
	}
	fields := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		key := strings.ToLower(k.Value)
		if _, dup := fields[key]; dup {
			r.diags.Errorf(r.pos(k), "front-matter-syntax", "key %q is given twice", k.Value)
		}
		fields[key] = v
		r.p.Fields[key] = r.pos(k)
	}
	if v := fields["kind"]; v != nil {
		if s, ok := r.str(v, "kind"); ok {
			if k, ok := ParseKind(s); ok {
				r.p.Kind, r.decided, r.p.KindFrom = k, true, "front matter"
			} else {
				r.diags.Errorf(r.pos(v), "unknown-kind", "unknown kind %q; use one of page, runbook, adr, postmortem, evaluation, post", s)
			}
		}
	}
	if !r.decided {
		keys := make(map[string]bool, len(fields))
		for k := range fields {
			keys[k] = true
		}
		r.decideKind(keys)
	}
	r.fields(fields, schema)
}

// fields reads every key. Keys are matched case-insensitively and a few
// spellings found in the wild are accepted.
func (r *reader) fields(nodes map[string]*yaml.Node, schema Schema) {
	known := make([]string, 1, 64)
	known[0] = "kind"
	f := fieldSet{nodes: nodes, known: &known}
	r.commonFields(f)
	switch r.p.Kind {
	case KindRunbook:
		r.runbookFields(f)
	case KindADR:
		r.adrFields(f)
	case KindPostmortem:
		r.postmortemFields(f, schema)
	case KindEvaluation:
		r.evaluationFields(f, schema)
	case KindPost:
		r.postFields(f)
	}
	r.unknownFields(f, schema)
}

// fieldSet is a page's front matter by lower-case key, and the keys asked
// for so far: those no kind asks for are unknown.
type fieldSet struct {
	nodes map[string]*yaml.Node
	// known are the names asked for: a few dozen, fewer allocations in a
	// slice than in a map, on every page.
	known *[]string
}

// get returns the value of the first of names that is written, and marks
// every one of them known.
func (f fieldSet) get(names ...string) *yaml.Node {
	*f.known = append(*f.known, names...)
	for _, n := range names {
		if v := f.nodes[n]; v != nil {
			return v
		}
	}
	return nil
}

// A choice is a field whose value is one of a set.
type choice struct {
	// name is the field's name in field-type messages.
	name string
	// norm returns the member of the set that a value names.
	norm func(s string) (string, bool)
	// bad returns the allowed-value message for a value that names no
	// member, or "" to take that value without a finding.
	bad func(s string) string
	// untrimmed compares the value with the spaces around it kept, as
	// severities always have been.
	untrimmed bool
}

// allowed reads the string field v as c says: it returns the member the
// value names, and the value as written. A value that names none gives
// ok false and an allowed-value finding at v; one that is not a string
// gives "", "", false and a field-type finding.
func (r *reader) allowed(v *yaml.Node, c choice) (member, s string, ok bool) {
	read := r.str
	if c.untrimmed {
		read = r.scalarString
	}
	if s, ok = read(v, c.name); !ok {
		return "", "", false
	}
	if member, ok := c.norm(s); ok {
		return member, s, true
	}
	if msg := c.bad(s); msg != "" {
		r.diags.Errorf(r.pos(v), "allowed-value", "%s", msg)
	}
	return "", s, false
}

var visibility = choice{
	name: "visibility",
	norm: func(s string) (string, bool) { return oneOf(s, []string{"internal", "public"}) },
	bad: func(s string) string {
		return fmt.Sprintf("visibility %q is not allowed; use \"internal\" or \"public\"", s)
	},
}

func severity(scale []string) choice {
	return choice{
		name: "severity",
		norm: func(s string) (string, bool) { return normalizeSeverity(s, scale) },
		bad: func(s string) string {
			return fmt.Sprintf("severity %q is not in the scale; use one of %s", s, quoteList(scale))
		},
		untrimmed: true,
	}
}

var postmortemStatus = choice{
	name: "status",
	norm: func(s string) (string, bool) { return oneOf(strings.ReplaceAll(s, " ", "-"), PostmortemStatuses) },
	bad: func(s string) string {
		return fmt.Sprintf("postmortem status %q is not allowed; use one of %s", s, quoteList(PostmortemStatuses))
	},
}

// commonFields reads the fields every kind has.
func (r *reader) commonFields(f fieldSet) {
	p := r.p
	if v := f.get("title"); v != nil {
		p.Title, _ = r.str(v, "title")
	}
	if v := f.get("description", "summary"); v != nil {
		p.Description, _ = r.str(v, "description")
	}
	if v := f.get("tags", "keywords", "categories"); v != nil {
		p.Tags = r.strs(v, "tags")
	}
	if v := f.get("owner", "owners", "team"); v != nil {
		if list := r.strs(v, "owner"); len(list) > 0 {
			p.Owner = strings.Join(list, ", ")
		}
	}
	if v := f.get("draft"); v != nil {
		p.Draft, _ = r.boolean(v, "draft")
	}
	if v := f.get("visibility"); v != nil {
		if s, _, ok := r.allowed(v, visibility); ok {
			p.Visibility = s
		}
	}
	if v := f.get("aliases", "alias"); v != nil {
		p.Aliases = r.strs(v, "aliases")
	}
	if v := f.get("weight", "nav_order"); v != nil {
		p.Weight, _ = r.integer(v, "weight")
	}
	if v := f.get("onboarding"); v != nil {
		p.Onboarding, _ = r.integer(v, "onboarding")
	}
	if v := f.get("related"); v != nil {
		p.Related = r.refs(v, "related")
	}
	if v := f.get("date"); v != nil {
		p.Date, _ = r.date(v, "date")
	}
	if p.Kind != KindRunbook && p.Kind != KindPostmortem {
		if v := f.get("services", "service"); v != nil {
			p.Services = r.strs(v, "services")
		}
	}
}

func (r *reader) runbookFields(f fieldSet) {
	p := r.p
	rb := runbooks.New()
	rb.ReviewEvery = DefaultReviewEvery
	p.Runbook = rb
	if v := f.get("service"); v != nil {
		rb.Service, _ = r.str(v, "service")
	}
	if rb.Service != "" {
		p.Services = lists.Clone([]string{rb.Service})
	}
	if v := f.get("services"); v != nil {
		for _, s := range r.strs(v, "services") {
			if s != rb.Service {
				p.Services = append(p.Services, s)
			}
		}
	}
	if v := f.get("last_reviewed", "reviewed", "lastmod"); v != nil {
		rb.LastReviewed, _ = r.date(v, "last_reviewed")
	}
	if v := f.get("review_every"); v != nil {
		if s, ok := r.str(v, "review_every"); ok {
			if d, ok := ParseInterval(s); ok {
				rb.ReviewEvery = d
			} else {
				r.diags.Errorf(r.pos(v), "field-type", "review_every %q is not an interval; write a number of days, weeks, months or years such as \"90d\", \"12w\", \"6mo\", \"1y\"", s)
			}
		}
	}
	if v := f.get("alerts", "alert"); v != nil {
		rb.Alerts = r.strs(v, "alerts")
	}
	if v := f.get("severity"); v != nil {
		rb.Severity, _ = r.str(v, "severity")
	}
	if v := f.get("dashboards", "dashboard"); v != nil {
		rb.Dashboards = r.strs(v, "dashboards")
	}
	if v := f.get("tier"); v != nil {
		rb.Tier, _ = r.str(v, "tier")
	}
	if v := f.get("escalation"); v != nil {
		rb.Escalation, _ = r.str(v, "escalation")
	}
}

func (r *reader) adrFields(f fieldSet) {
	a := &ADR{}
	r.p.ADR = a
	if v := f.get("status"); v != nil {
		if s, ok := r.str(v, "status"); ok {
			r.adrStatus(s, "front matter", r.pos(v))
		}
	}
	if v := f.get("id"); v != nil {
		a.ID, _ = r.str(v, "id")
	}
	if v := f.get("number"); v != nil {
		a.Number, a.HasNumber = r.integer(v, "number")
	}
	if v := f.get("decision-makers", "decision_makers", "deciders", "authors", "author"); v != nil {
		a.DecisionMakers = r.strs(v, "decision-makers")
	}
	if v := f.get("consulted"); v != nil {
		a.Consulted = r.strs(v, "consulted")
	}
	if v := f.get("informed"); v != nil {
		a.Informed = r.strs(v, "informed")
	}
	if v := f.get("supersedes", "replaces"); v != nil {
		a.Supersedes = r.refs(v, "supersedes")
	}
	if v := f.get("superseded_by", "superseded-by", "supersededby", "replaced_by"); v != nil {
		a.SupersededBy = r.refs(v, "superseded_by")
	}
}

func (r *reader) postmortemFields(f fieldSet, schema Schema) {
	p := r.p
	pm := &Postmortem{}
	p.Postmortem = pm
	if v := f.get("severity", "sev"); v != nil {
		pm.Severity, _, _ = r.allowed(v, severity(schema.Severities))
	}
	if v := f.get("status"); v != nil {
		pm.Status, _, _ = r.allowed(v, postmortemStatus)
	}
	if v := f.get("services", "service"); v != nil {
		pm.Services = r.strs(v, "services")
		p.Services = pm.Services
	}
	if v := f.get("responders"); v != nil {
		pm.Responders = r.strs(v, "responders")
	}
	for _, t := range []struct {
		name  string
		dst   *time.Time
		names []string
	}{
		{"impact_start", &pm.ImpactStart, []string{"start_time", "started_at", "start"}},
		{"detected_at", &pm.DetectedAt, []string{"detected", "detection_time"}},
		{"mitigated_at", &pm.MitigatedAt, []string{"mitigated"}},
		{"resolved_at", &pm.ResolvedAt, []string{"end_time", "ended_at", "end", "resolved"}},
	} {
		if v := f.get(append([]string{t.name}, t.names...)...); v != nil {
			*t.dst, _ = r.timestamp(v, t.name)
		}
	}
	if v := f.get("url", "link", "incident_url", "status_page"); v != nil {
		pm.URL, _ = r.str(v, "url")
	}
	if p.Date.IsZero() {
		if v := f.get("incident_date", "incident-date"); v != nil {
			p.Date, _ = r.date(v, "incident_date")
		}
	}
	if v := f.get("runbooks", "runbook"); v != nil {
		pm.Runbooks = r.refs(v, "runbooks")
	}
	if v := f.get("adrs", "adr"); v != nil {
		pm.ADRs = r.refs(v, "adrs")
	}
}

func (r *reader) evaluationFields(f fieldSet, schema Schema) {
	e := &Evaluation{}
	r.p.Evaluation = e
	if v := f.get("ring"); v != nil {
		e.Ring = r.ring(v, "ring", schema)
	}
	if v := f.get("quadrant"); v != nil {
		e.Quadrant, e.QuadrantLabel = r.quadrant(v, schema)
	}
	if v := f.get("adr"); v != nil {
		e.ADR = r.refs(v, "adr")
	}
	if v := f.get("alternatives"); v != nil {
		e.Alternatives = r.refs(v, "alternatives")
	}
	if v := f.get("history"); v != nil {
		e.History = r.history(v, schema)
	}
}

func (r *reader) postFields(f fieldSet) {
	po := &Post{}
	r.p.Post = po
	if v := f.get("authors", "author"); v != nil {
		po.Authors = r.strs(v, "authors")
	}
	if v := f.get("image"); v != nil {
		po.Image, _ = r.str(v, "image")
	}
}

// unknownFields warns of the keys no field of the page's kind asked for,
// unless the site or another generator knows them, and keeps every one of
// them for layouts, in Params.
func (r *reader) unknownFields(f fieldSet, schema Schema) {
	p := r.p
	for k, v := range f.nodes {
		if slices.Contains(*f.known, k) {
			continue
		}
		if !slices.Contains(schema.ExtraFields, k) && !foreignFields[k] {
			hint := "layouts can read it as .Params." + k + "; list it under extra_fields in handbook.yaml if it is meant"
			if near := diag.Nearest(k, fieldNames); near != "" {
				hint = fmt.Sprintf("did you mean %q?", near)
			} else if slices.Contains(fieldNames, k) {
				hint = fmt.Sprintf("%s is a field of other kinds than %s; %s", k, p.Kind, hint)
			}
			r.diags.Warnf(p.Fields[k], "unknown-field", "handbook does not know the field %q; %s", k, hint)
		}
		var x any
		if err := v.Decode(&x); err == nil {
			if p.Params == nil {
				p.Params = map[string]any{}
			}
			p.Params[k] = x
		}
	}
}

func normalizeSeverity(s string, scale []string) (string, bool) {
	if v, ok := oneOf(s, scale); ok {
		return v, true
	}
	// "1", "sev1", "SEV 1" against a SEV-N scale.
	digits := strings.TrimLeft(strings.ToLower(s), "sev- _p")
	if _, err := strconv.Atoi(digits); err == nil {
		for _, v := range scale {
			if strings.TrimRight(v, "0123456789") != v && strings.TrimLeft(v[len(strings.TrimRight(v, "0123456789")):], "0") == strings.TrimLeft(digits, "0") {
				return v, true
			}
		}
	}
	return "", false
}

func (r *reader) history(v *yaml.Node, schema Schema) []HistoryEntry {
	if v.Kind != yaml.SequenceNode {
		r.diags.Errorf(r.pos(v), "field-type", "history must be a list of {date, ring} entries")
		return nil
	}
	var out []HistoryEntry
	for _, item := range v.Content {
		if item.Kind != yaml.MappingNode {
			r.diags.Errorf(r.pos(item), "field-type", "a history entry must be a mapping with date and ring")
			continue
		}
		var h HistoryEntry
		for i := 0; i+1 < len(item.Content); i += 2 {
			k, val := item.Content[i], item.Content[i+1]
			switch strings.ToLower(k.Value) {
			case "date":
				h.Date, _ = r.date(val, "history date")
			case "ring":
				h.Ring = r.ring(val, "history ring", schema)
			}
		}
		out = append(out, h)
	}
	return out
}

func (r *reader) scalarString(v *yaml.Node, name string) (string, bool) {
	if v.Tag == "!!null" {
		return "", false
	}
	if v.Kind != yaml.ScalarNode {
		r.diags.Errorf(r.pos(v), "field-type", "%s must be a single value, not a %s", name, nodeKind(v))
		return "", false
	}
	return v.Value, true
}

func (r *reader) str(v *yaml.Node, name string) (string, bool) {
	s, ok := r.scalarString(v, name)
	return strings.TrimSpace(s), ok
}

// What a page keeps of its front matter comes from shared chunks rather
// than each from the spans the parse's garbage is made in, which it would
// keep from being freed (see package slab): its runbook fields, its short
// lists and its values' texts (fastYAML).
var (
	runbooks slab.Of[Runbook]
	lists    slab.Lists[string]
	kept     slab.Text
)

func (r *reader) strs(v *yaml.Node, name string) []string {
	return lists.Clone(r.strList(v, name))
}

// strList is strs, in a slice of its own.
func (r *reader) strList(v *yaml.Node, name string) []string {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
			return nil
		}
		if strings.Contains(v.Value, ",") {
			var out []string
			for _, s := range strings.Split(v.Value, ",") {
				if s = strings.TrimSpace(s); s != "" {
					out = append(out, s)
				}
			}
			return out
		}
		return []string{strings.TrimSpace(v.Value)}
	case yaml.SequenceNode:
		var out []string
		for _, item := range v.Content {
			if s, ok := r.str(item, name+" item"); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	r.diags.Errorf(r.pos(v), "field-type", "%s must be a list of strings, not a %s", name, nodeKind(v))
	return nil
}

func (r *reader) refs(v *yaml.Node, name string) []Ref {
	var nodes []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return nil
		}
		nodes = []*yaml.Node{v}
	case yaml.SequenceNode:
		nodes = v.Content
	default:
		r.diags.Errorf(r.pos(v), "field-type", "%s must be a reference or a list of references, not a %s", name, nodeKind(v))
		return nil
	}
	var out []Ref
	for _, n := range nodes {
		if s, ok := r.str(n, name+" item"); ok && s != "" {
			out = append(out, Ref{Target: s, Pos: r.pos(n)})
		}
	}
	return out
}

func (r *reader) boolean(v *yaml.Node, name string) (bool, bool) {
	if v.Kind == yaml.ScalarNode {
		switch strings.ToLower(v.Value) {
		case "true", "yes", "on":
			return true, true
		case "false", "no", "off", "":
			return false, true
		}
	}
	r.diags.Errorf(r.pos(v), "field-type", "%s must be true or false, not %q", name, v.Value)
	return false, false
}

func (r *reader) integer(v *yaml.Node, name string) (int, bool) {
	if v.Kind == yaml.ScalarNode {
		if n, err := strconv.Atoi(strings.TrimSpace(v.Value)); err == nil {
			return n, true
		}
	}
	r.diags.Errorf(r.pos(v), "field-type", "%s must be a whole number, not %q", name, v.Value)
	return 0, false
}

var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02 15:04:05 -07:00", "2006-01-02 15:04:05Z07:00"}

func (r *reader) date(v *yaml.Node, name string) (time.Time, bool) {
	s, ok := r.scalarString(v, name)
	if !ok {
		return time.Time{}, false
	}
	if t, ok := ParseDate(s); ok {
		return t, true
	}
	if t, other, ok := looseDate(s); ok {
		r.nonISODate(r.pos(v), name, s, t, other)
		return t, true
	}
	r.diags.Errorf(r.pos(v), "date-format", "%s %q is not a date; write it as YYYY-MM-DD", name, s)
	return time.Time{}, false
}

// ParseDate reads a date, or a date and time, in the forms front matter
// uses.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

func (r *reader) timestamp(v *yaml.Node, name string) (time.Time, bool) {
	s, ok := r.scalarString(v, name)
	if !ok {
		return time.Time{}, false
	}
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02 15:04:05Z07:00", s); err == nil {
		return t, true
	}
	if t, err := time.Parse("2006-01-02T15:04Z07:00", s); err == nil {
		return t, true
	}
	hint := "write it as RFC 3339, such as 2024-03-05T14:02:00Z"
	if _, ok := ParseDate(s); ok {
		hint = "add a time zone offset (Z or +01:00) so times compare across zones"
	}
	r.diags.Errorf(r.pos(v), "date-format", "%s %q is not an RFC 3339 timestamp; %s", name, s, hint)
	return time.Time{}, false
}

func nodeKind(v *yaml.Node) string {
	switch v.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	case yaml.AliasNode:
		return "alias"
	}
	return "value"
}

var intervalRE = regexp.MustCompile(`^(\d+)\s*(d|days?|w|weeks?|mo|months?|m|y|years?)$`)

// ParseInterval reads a review interval: "90d", "12w", "6mo", "1y", or a
// Go duration such as "2160h".
func ParseInterval(s string) (time.Duration, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if m := intervalRE.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		day := 24 * time.Hour
		switch m[2][0] {
		case 'd':
			return time.Duration(n) * day, n > 0
		case 'w':
			return time.Duration(n) * 7 * day, n > 0
		case 'm':
			return time.Duration(n) * 30 * day, n > 0
		case 'y':
			return time.Duration(n) * 365 * day, n > 0
		}
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, true
	}
	return 0, false
}

func firstInvalid(src []byte) int {
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

func offsetPos(path string, src []byte, off int) diag.Position {
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(src[:off], '\n')
	return diag.Position{File: path, Line: line, Col: col}
}

// foreignFields are the front-matter keys other site generators define
// (Hugo, Jekyll and Just the Docs, Docusaurus, MkDocs, log4brains): pages
// moved in keep them for layouts (.Params), without a warning, for they
// are no typo.
var foreignFields = func() map[string]bool {
	m := map[string]bool{}
	for _, k := range strings.Fields(`linktitle menu menus slug url type layout lastmod publishdate expirydate toc
series outputs resources cascade build headless markup sitemap translationkey images videos audio params
sidebar parent grand_parent has_children has_toc nav_order nav_exclude permalink published excerpt
redirect_from redirect_to sidebar_label sidebar_position sidebar_class_name hide_title
hide_table_of_contents pagination_label pagination_next pagination_prev custom_edit_url last_update
displayed_sidebar toc_min_heading_level toc_max_heading_level template hide search icon comments
_comment github_edit_link edit_url canonical_url`) {
		m[k] = true
	}
	return m
}()

// fieldNames are the front-matter keys of every kind, for "did you mean"
// hints.
var fieldNames = strings.Fields(`adr adrs alert alerts alias aliases alternatives author authors categories
consulted dashboard dashboards date deciders decision-makers decision_makers description draft
escalation history id image informed keywords kind last_reviewed lastmod nav_order number onboarding
owner owners quadrant related replaced_by replaces responders review_every reviewed ring runbook
runbooks service services sev severity status summary superseded-by superseded_by supersededby
supersedes tags team tier title visibility weight`)
