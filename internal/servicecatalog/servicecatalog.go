// Package servicecatalog reads Backstage's software catalog files
// (catalog-info.yaml), so that a handbook knows of each service what the
// teams already wrote down for Backstage: who owns it, which system it
// belongs to, whether it runs in production, and how to reach its on-call.
//
//	entities, diags := servicecatalog.ReadFile("/repo/catalog-info.yaml", "catalog-info.yaml")
//	cat, more := servicecatalog.NewCatalog(entities)
//	for _, e := range cat.Entities {
//		owner := cat.Lookup(e.Owner) // the Group of spec.owner, or nil
//		for _, l := range e.OnCall() { … } // PagerDuty, Opsgenie, on-call links
//	}
//
// # Files
//
// A file holds one entity or several, as YAML documents separated by lines
// "---". Each document is an entity:
//
//	apiVersion: backstage.io/v1alpha1
//	kind: Component
//	metadata:
//	  name: payments                 # required: [a-zA-Z0-9] runs joined by - _ .
//	  title: Payments API
//	  description: Takes the money.
//	  annotations:
//	    pagerduty.com/service-id: PX1234
//	    github.com/project-slug: acme/payments
//	  tags: [java]
//	  links:
//	    - {url: https://grafana.example.com/d/payments, title: Dashboard, type: dashboard}
//	spec:
//	  type: service
//	  lifecycle: production
//	  owner: group:default/payments-team
//	  system: checkout
//	  dependsOn: [resource:payments-db]
//	  providesApis: [payments-api]
//
// The kinds read are Component, API, Resource, System, Domain, Group and
// User (kinds match in any case); every other kind of backstage.io
// (Location, Template, a kind of one's own) is kept with its metadata
// alone. Of a Group and a User, spec.profile (displayName, email,
// picture) is read, and a Group's parent, children and members. Keys
// handbook does not use are ignored, as Backstage ignores the keys its
// plugins do not know. YAML anchors, aliases and merge keys (<<) work.
//
// # References
//
// spec.owner, spec.system and the other relations name entities as
// Backstage does, "[kind:][namespace/]name": "payments-team",
// "group:payments-team" and "group:default/payments-team" are the same
// Group. A missing kind is the one the field implies (owner: Group,
// system: System, domain: Domain, providesApis and consumesApis: API,
// dependsOn and subcomponentOf: Component, children and parent: Group,
// members: User, memberOf: Group); a missing namespace is the entity's
// own. References compare in any case (Ref.Key).
//
// # On-call
//
// OnCall says how to reach whoever is on call for an entity: a
// pagerduty.com/service-id annotation becomes a link to the service in
// PagerDuty; pagerduty.com/integration-key (a routing key, never shown),
// opsgenie.com/team, opsgenie.com/component-selector and
// splunk.com/on-call-routing-key are named without a link, as their
// addresses depend on the account; and every link of metadata.links whose
// type or title says on-call, oncall, pager, PagerDuty or Opsgenie, or
// whose address is on pagerduty.com or opsgenie.com, is one.
//
// # Findings
//
// Problems are warnings with the rule id "catalog" at their line and
// column, and never stop the reading: a document that is not valid YAML
// (the others are still read), one that is not a mapping, without
// apiVersion or kind, an apiVersion that is not backstage.io/v1alpha1 or
// v1beta1 (other *.backstage.io versions, such as the scaffolder's
// templates, are skipped silently), an entity without metadata.name (left
// out), a name Backstage would refuse, a field of the wrong shape (a tag
// that is a list, a link without url), a reference that is not one, and
// (NewCatalog) an entity described twice, of which the first is kept.
// A file larger than MaxSize is reported as a whole and not read.
package servicecatalog

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/diag"
)

// Rule is the id of the findings about catalog files.
const Rule = "catalog"

// MaxSize is the largest catalog file read, in bytes.
const MaxSize = 4 << 20

// Entity is one entity of a catalog file.
type Entity struct {
	// APIVersion is as written, such as "backstage.io/v1alpha1".
	APIVersion string
	// Kind is spelled as Backstage spells it ("Component", "API") for the
	// kinds it defines, else as written.
	Kind string
	// Namespace is "default" unless metadata.namespace says otherwise.
	Namespace   string
	Name        string
	Title       string
	Description string
	Labels      map[string]string
	Annotations map[string]string
	Tags        []string
	Links       []Link

	// Type and Lifecycle are spec.type and spec.lifecycle as written
	// ("service", "production").
	Type      string
	Lifecycle string
	// Owner, System, Domain and SubcomponentOf are zero when not given.
	Owner          Ref
	System         Ref
	Domain         Ref
	SubcomponentOf Ref
	DependsOn      []Ref
	ProvidesAPIs   []Ref
	ConsumesAPIs   []Ref

	// Profile is a Group's or a User's spec.profile.
	Profile Profile
	// Parent, Children and Members are a Group's; MemberOf a User's.
	Parent   Ref
	Children []Ref
	Members  []Ref
	MemberOf []Ref

	// Pos is where metadata.name is written.
	Pos diag.Position
	// Source names the repository the file was read from; "" for the
	// handbook's own. The caller sets it.
	Source string
}

// Link is one of metadata.links, or one made from an annotation.
type Link struct {
	URL   string
	Title string
	Icon  string
	Type  string
}

// Profile is how a Group or a User presents itself.
type Profile struct {
	DisplayName string
	Email       string
	Picture     string
}

// Ref is a reference to an entity. Its zero value refers to none.
type Ref struct {
	Kind      string // lower case: "group"
	Namespace string
	Name      string
}

// IsZero reports whether r refers to no entity.
func (r Ref) IsZero() bool { return r.Name == "" }

// String is the reference as Backstage writes it in full:
// "group:default/payments-team"; "" for the zero Ref.
func (r Ref) String() string {
	if r.IsZero() {
		return ""
	}
	return r.Kind + ":" + r.Namespace + "/" + r.Name
}

// Key is String in lower case: references that are equal have equal keys.
func (r Ref) Key() string { return strings.ToLower(r.String()) }

// Ref returns the reference to e.
func (e *Entity) Ref() Ref {
	return Ref{Kind: strings.ToLower(e.Kind), Namespace: e.Namespace, Name: e.Name}
}

// DisplayName is the name people know e by: its profile's display name,
// its title, or its name.
func (e *Entity) DisplayName() string {
	return cmp.Or(e.Profile.DisplayName, e.Title, e.Name)
}

// Is reports whether e is of kind, in any case.
func (e *Entity) Is(kind string) bool { return strings.EqualFold(e.Kind, kind) }

// InProduction reports whether e's lifecycle is production.
func (e *Entity) InProduction() bool { return strings.EqualFold(e.Lifecycle, "production") }

// IsService reports whether e is a Component that runs: any type but a
// library or documentation.
func (e *Entity) IsService() bool {
	if !e.Is("Component") {
		return false
	}
	switch strings.ToLower(e.Type) {
	case "library", "documentation":
		return false
	}
	return true
}

// ParseRef reads a reference "[kind:][namespace/]name" as Backstage does:
// a / before the first : leaves the kind out (the rest is the name).
// A missing kind is defaultKind, a missing namespace defaultNamespace (or
// "default"); with neither kind nor defaultKind it is an error.
func ParseRef(s, defaultKind, defaultNamespace string) (Ref, error) {
	s = strings.TrimSpace(s)
	colon, slash := strings.IndexByte(s, ':'), strings.IndexByte(s, '/')
	if slash >= 0 && slash < colon {
		colon = -1
	}
	r := Ref{Kind: defaultKind, Namespace: cmp.Or(defaultNamespace, "default")}
	if colon >= 0 {
		r.Kind = s[:colon]
		if r.Kind == "" {
			return Ref{}, fmt.Errorf("%q has an empty kind before the colon", s)
		}
	}
	rest := s[colon+1:]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		r.Namespace, rest = rest[:i], rest[i+1:]
		if r.Namespace == "" {
			return Ref{}, fmt.Errorf("%q has an empty namespace before the slash", s)
		}
	}
	r.Name = rest
	switch {
	case r.Name == "":
		return Ref{}, fmt.Errorf("%q names no entity", s)
	case r.Kind == "":
		return Ref{}, fmt.Errorf("%q needs a kind, such as component:%s", s, r.Name)
	case strings.ContainsAny(r.Name, ":/ \t\n"):
		return Ref{}, fmt.Errorf("%q is not [kind:][namespace/]name", s)
	}
	r.Kind = strings.ToLower(r.Kind)
	return r, nil
}

// knownKinds are the kinds Backstage defines, by their lower case.
var knownKinds = map[string]string{
	"component": "Component", "api": "API", "resource": "Resource", "system": "System",
	"domain": "Domain", "group": "Group", "user": "User", "location": "Location", "template": "Template",
}

// validName is Backstage's rule for metadata.name (and namespace).
var validName = regexp.MustCompile(`^[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*$`)

// ReadFile reads and parses the catalog file at abs, reporting it as
// shown (its path in findings). A file that cannot be read, or that is
// larger than MaxSize, is one finding.
func ReadFile(abs, shown string) ([]Entity, diag.List) {
	var diags diag.List
	pos := diag.Position{File: shown}
	fi, err := os.Stat(abs)
	if err != nil {
		diags.Warnf(pos, Rule, "catalog file cannot be read: %v", unwrapPath(err))
		return nil, diags
	}
	if fi.Size() > MaxSize {
		diags.Warnf(pos, Rule, "catalog file is %d MB, more than the %d MB handbook reads; it is ignored", fi.Size()>>20, MaxSize>>20)
		return nil, diags
	}
	src, err := os.ReadFile(abs)
	if err != nil {
		diags.Warnf(pos, Rule, "catalog file cannot be read: %v", unwrapPath(err))
		return nil, diags
	}
	return Parse(shown, src)
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse reads the entities of a catalog file, path being how findings name
// it. It never stops at a problem: every entity that can be read is
// returned, in the order of the file.
func Parse(path string, src []byte) ([]Entity, diag.List) {
	p := &parser{path: path}
	if len(src) > MaxSize {
		p.diags.Warnf(diag.Position{File: path}, Rule, "catalog file is %d MB, more than the %d MB handbook reads; it is ignored", len(src)>>20, MaxSize>>20)
		return nil, p.diags
	}
	for _, d := range splitDocuments(src) {
		p.document(d)
	}
	return p.entities, p.diags
}

// chunk is one YAML document of a file and the line it starts on.
type chunk struct {
	text []byte
	line int
}

// splitDocuments cuts a file into its documents at the lines that start
// with the markers "---" (kept: "--- {…}" is a document) and "..."
// (dropped), so that a document that is not valid YAML leaves the others
// readable. Markers are the same in YAML wherever they are: a quoted or
// block scalar ends at one.
func splitDocuments(src []byte) []chunk {
	var out []chunk
	start, startLine, line := 0, 1, 1
	cut := func(end, nextStart, nextLine int) {
		if end > start {
			out = append(out, chunk{text: src[start:end], line: startLine})
		}
		start, startLine = nextStart, nextLine
	}
	for off := 0; off < len(src); line++ {
		end := bytes.IndexByte(src[off:], '\n')
		next := len(src)
		if end >= 0 {
			end += off
			next = end + 1
		} else {
			end = len(src)
		}
		l := src[off:end]
		switch {
		case isMarker(l, "---"):
			cut(off, off, line)
		case isMarker(l, "..."):
			cut(off, next, line+1)
		}
		off = next
	}
	cut(len(src), len(src), line)
	return out
}

func isMarker(l []byte, m string) bool {
	if !bytes.HasPrefix(l, []byte(m)) {
		return false
	}
	rest := l[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\r'
}

type parser struct {
	path     string
	entities []Entity
	diags    diag.List
	// line is the first line of the document being read, lines its
	// number of lines.
	line, lines int
}

// at is a position in the document being read. YAML also breaks lines
// at a lone carriage return, which findings do not count: a line past
// the document's is its last.
func (p *parser) at(line, col int) diag.Position {
	return diag.Position{File: p.path, Line: p.line + min(max(line, 1), p.lines) - 1, Col: max(col, 1)}
}

func (p *parser) pos(n *yaml.Node) diag.Position { return p.at(n.Line, n.Column) }

func (p *parser) warn(n *yaml.Node, format string, args ...any) {
	p.diags.Warnf(p.pos(n), Rule, format, args...)
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// document reads one document: an entity, or nothing.
func (p *parser) document(c chunk) {
	p.line, p.lines = c.line, bytes.Count(c.text, []byte("\n"))+1
	var doc yaml.Node
	if err := unmarshal(c.text, &doc); err != nil {
		msg, line := err.Error(), 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = msg[len(m[0]):]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		p.diags.Warnf(p.at(line, 1), Rule, "catalog entity is not valid YAML: %s; it is ignored", msg)
		return
	}
	if len(doc.Content) == 0 {
		return // only comments
	}
	root := deref(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return
	}
	if root.Kind != yaml.MappingNode {
		p.warn(root, "a catalog entity is a mapping of apiVersion, kind, metadata and spec; this document is ignored")
		return
	}
	top := p.mapping(root)
	api, ok := p.str(top, "apiVersion", "")
	switch {
	case !ok && top.present("apiVersion"):
		return // not text: reported
	case !ok:
		p.warn(root, "catalog entity has no apiVersion; Backstage entities start with apiVersion: backstage.io/v1alpha1; it is ignored")
		return
	case api == "backstage.io/v1alpha1" || api == "backstage.io/v1beta1":
	case strings.HasSuffix(strings.SplitN(api, "/", 2)[0], ".backstage.io"):
		return // a plugin's entity, such as the scaffolder's templates
	default:
		p.warn(top.node("apiVersion"), "apiVersion %q is not Backstage's backstage.io/v1alpha1; the entity is ignored", api)
		return
	}
	kind, ok := p.str(top, "kind", "")
	if !ok {
		if !top.present("kind") {
			p.warn(root, "catalog entity has no kind (Component, System, Group, API, …); it is ignored")
		}
		return
	}
	if k, known := knownKinds[strings.ToLower(kind)]; known {
		kind = k
	}
	e := Entity{APIVersion: api, Kind: kind, Namespace: "default"}
	mn := top.node("metadata")
	if mn == nil || mn.Kind != yaml.MappingNode {
		p.warn(cmp.Or(mn, root), "catalog entity has no metadata with a name; it is ignored")
		return
	}
	meta := p.mapping(mn)
	nameNode := meta.node("name")
	name, ok := p.str(meta, "name", "metadata.")
	if !ok || name == "" {
		if !ok && meta.present("name") {
			return // not text: reported
		}
		p.warn(cmp.Or(nameNode, mn), "%s entity has no metadata.name; it is ignored", kind)
		return
	}
	e.Name = name
	e.Pos = p.pos(nameNode)
	if !validName.MatchString(name) || len(name) > 63 {
		p.warn(nameNode, "metadata.name %q is not a name Backstage accepts: at most 63 letters and digits, runs joined by -, _ or .", name)
	}
	if ns, ok := p.str(meta, "namespace", "metadata."); ok && ns != "" {
		e.Namespace = ns
	}
	e.Title, _ = p.str(meta, "title", "metadata.")
	e.Description, _ = p.str(meta, "description", "metadata.")
	e.Labels = p.strMap(meta, "labels")
	e.Annotations = p.strMap(meta, "annotations")
	e.Tags = p.strs(meta, "tags", "metadata.")
	e.Links = p.links(meta)

	if sn := top.node("spec"); sn != nil && !isNull(sn) {
		if sn.Kind != yaml.MappingNode {
			p.warn(sn, "spec must be a mapping of keys to values; it is ignored")
		} else {
			p.spec(&e, p.mapping(sn))
		}
	}
	p.entities = append(p.entities, e)
}

// unmarshal is yaml.Unmarshal made safe: a panic of the YAML library on
// strange input is an error.
func unmarshal(b []byte, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(b, n)
}

// spec reads the fields of spec that e's kind has.
func (p *parser) spec(e *Entity, spec fields) {
	e.Type, _ = p.str(spec, "type", "spec.")
	e.Lifecycle, _ = p.str(spec, "lifecycle", "spec.")
	ref := func(key, kind string) Ref { return p.ref(spec, key, kind, e.Namespace) }
	refs := func(key, kind string) []Ref { return p.refs(spec, key, kind, e.Namespace) }
	e.Owner = ref("owner", "group")
	e.System = ref("system", "system")
	e.Domain = ref("domain", "domain")
	e.SubcomponentOf = ref("subcomponentOf", "component")
	e.DependsOn = refs("dependsOn", "component")
	e.ProvidesAPIs = refs("providesApis", "api")
	e.ConsumesAPIs = refs("consumesApis", "api")
	if e.Is("Group") || e.Is("User") {
		if pn := spec.node("profile"); pn != nil && !isNull(pn) {
			if pn.Kind != yaml.MappingNode {
				p.warn(pn, "spec.profile must be a mapping of displayName, email and picture")
			} else {
				prof := p.mapping(pn)
				e.Profile.DisplayName, _ = p.str(prof, "displayName", "spec.profile.")
				e.Profile.Email, _ = p.str(prof, "email", "spec.profile.")
				e.Profile.Picture, _ = p.str(prof, "picture", "spec.profile.")
			}
		}
	}
	if e.Is("Group") {
		e.Parent = ref("parent", "group")
		e.Children = refs("children", "group")
		e.Members = refs("members", "user")
	}
	if e.Is("User") {
		e.MemberOf = refs("memberOf", "group")
	}
}

// fields are the keys of a mapping, with merge keys (<<) resolved: a key
// written in the mapping wins over a merged one.
type fields struct {
	m map[string]*yaml.Node
}

// present reports whether key is given a value other than null.
func (f fields) present(key string) bool {
	n := f.node(key)
	return n != nil && !isNull(n)
}

func (f fields) node(key string) *yaml.Node {
	if n := f.m[key]; n != nil {
		return deref(n)
	}
	return nil
}

func (p *parser) mapping(n *yaml.Node) fields {
	f := fields{m: map[string]*yaml.Node{}}
	var merge []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		if k.Value == "<<" && k.Tag == "!!merge" {
			v = deref(v)
			if v.Kind == yaml.SequenceNode {
				merge = append(merge, v.Content...)
			} else {
				merge = append(merge, v)
			}
			continue
		}
		f.m[k.Value] = v
	}
	for _, m := range merge {
		m = deref(m)
		if m.Kind != yaml.MappingNode || m == n {
			continue
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			if k := m.Content[i]; k.Kind == yaml.ScalarNode && f.m[k.Value] == nil && k.Value != "<<" {
				f.m[k.Value] = m.Content[i+1]
			}
		}
	}
	return f
}

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// str returns the text of a scalar field; false when it is missing, null,
// or not a scalar (which is reported, its name given as prefix+key).
func (p *parser) str(f fields, key, prefix string) (string, bool) {
	n := f.node(key)
	if n == nil || isNull(n) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		p.warn(n, "%s%s must be text", prefix, key)
		return "", false
	}
	return strings.TrimSpace(n.Value), true
}

// strs reads a list of texts; a single text is a list of one.
func (p *parser) strs(f fields, key, prefix string) []string {
	n := f.node(key)
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		return []string{strings.TrimSpace(n.Value)}
	}
	if n.Kind != yaml.SequenceNode {
		p.warn(n, "%s%s must be a list", prefix, key)
		return nil
	}
	var out []string
	for _, it := range n.Content {
		it = deref(it)
		if it.Kind != yaml.ScalarNode || isNull(it) {
			p.warn(it, "each of %s%s must be text", prefix, key)
			continue
		}
		out = append(out, strings.TrimSpace(it.Value))
	}
	return out
}

// strMap reads metadata.labels or metadata.annotations.
func (p *parser) strMap(f fields, key string) map[string]string {
	n := f.node(key)
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.warn(n, "metadata.%s must be a mapping of keys to texts", key)
		return nil
	}
	out := map[string]string{}
	m := p.mapping(n)
	keys := make([]string, 0, len(m.m))
	for k := range m.m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		v := m.node(k)
		if v.Kind != yaml.ScalarNode {
			p.warn(v, "metadata.%s: %s must be text", key, k)
			continue
		}
		out[k] = strings.TrimSpace(v.Value)
	}
	return out
}

// links reads metadata.links.
func (p *parser) links(meta fields) []Link {
	n := meta.node("links")
	if n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.warn(n, "metadata.links must be a list of {url, title}")
		return nil
	}
	var out []Link
	for _, it := range n.Content {
		it = deref(it)
		if it.Kind != yaml.MappingNode {
			p.warn(it, "each of metadata.links must be a mapping with a url and a title")
			continue
		}
		m := p.mapping(it)
		var l Link
		l.URL, _ = p.str(m, "url", "metadata.links: ")
		if l.URL == "" {
			p.warn(it, "a link of metadata.links has no url; it is ignored")
			continue
		}
		l.Title, _ = p.str(m, "title", "metadata.links: ")
		l.Icon, _ = p.str(m, "icon", "metadata.links: ")
		l.Type, _ = p.str(m, "type", "metadata.links: ")
		out = append(out, l)
	}
	return out
}

// ref reads a field holding one reference: a text, or a mapping of kind,
// namespace and name.
func (p *parser) ref(f fields, key, kind, ns string) Ref {
	n := f.node(key)
	if n == nil || isNull(n) {
		return Ref{}
	}
	if n.Kind == yaml.SequenceNode {
		p.warn(n, "spec.%s must name one entity, not a list", key)
		return Ref{}
	}
	return p.refNode(n, "spec."+key, kind, ns)
}

func (p *parser) refs(f fields, key, kind, ns string) []Ref {
	n := f.node(key)
	if n == nil || isNull(n) {
		return nil
	}
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	var out []Ref
	for _, it := range items {
		if r := p.refNode(deref(it), "spec."+key, kind, ns); !r.IsZero() {
			out = append(out, r)
		}
	}
	return out
}

func (p *parser) refNode(n *yaml.Node, what, kind, ns string) Ref {
	var s string
	switch n.Kind {
	case yaml.ScalarNode:
		if isNull(n) {
			return Ref{}
		}
		s = n.Value
	case yaml.MappingNode:
		m := p.mapping(n)
		k, _ := p.str(m, "kind", what+".")
		space, _ := p.str(m, "namespace", what+".")
		name, _ := p.str(m, "name", what+".")
		s = name
		if space != "" {
			s = space + "/" + s
		}
		if k != "" {
			s = k + ":" + s
		}
	default:
		p.warn(n, "%s must be an entity reference such as %s:name", what, kind)
		return Ref{}
	}
	r, err := ParseRef(s, kind, ns)
	if err != nil {
		p.warn(n, "%s: %v; write [kind:][namespace/]name", what, err)
		return Ref{}
	}
	return r
}

// OnCall returns how to reach whoever is on call for e, in this order:
// the links made from its PagerDuty, Opsgenie and Splunk On-Call
// annotations (those without an address have no URL), then its on-call
// links (IsOnCall).
func (e *Entity) OnCall() []Link {
	var out []Link
	if id := e.Annotations["pagerduty.com/service-id"]; id != "" {
		out = append(out, Link{Title: "PagerDuty", Type: "on-call", URL: "https://app.pagerduty.com/service-directory/" + url.PathEscape(id)})
	} else if e.Annotations["pagerduty.com/integration-key"] != "" {
		out = append(out, Link{Title: "PagerDuty", Type: "on-call"})
	}
	if t := e.Annotations["opsgenie.com/team"]; t != "" {
		out = append(out, Link{Title: "Opsgenie team " + t, Type: "on-call"})
	} else if e.Annotations["opsgenie.com/component-selector"] != "" {
		out = append(out, Link{Title: "Opsgenie", Type: "on-call"})
	}
	if e.Annotations["splunk.com/on-call-routing-key"] != "" {
		out = append(out, Link{Title: "Splunk On-Call", Type: "on-call"})
	}
	for _, l := range e.Links {
		if IsOnCall(l) {
			out = append(out, l)
		}
	}
	return out
}

// onCallWords are the words of an on-call link's type or title.
var onCallWords = []string{"on-call", "oncall", "on call", "on_call", "pager", "opsgenie"}

// IsOnCall reports whether a link leads to an on-call schedule or pager:
// its type or title says on-call, oncall, pager (PagerDuty) or Opsgenie,
// or its address is on pagerduty.com or opsgenie.com.
func IsOnCall(l Link) bool {
	t := strings.ToLower(l.Type + " " + l.Title)
	for _, w := range onCallWords {
		if strings.Contains(t, w) {
			return true
		}
	}
	if u, err := url.Parse(l.URL); err == nil {
		h := strings.ToLower(u.Hostname())
		for _, d := range []string{"pagerduty.com", "opsgenie.com"} {
			if h == d || strings.HasSuffix(h, "."+d) {
				return true
			}
		}
	}
	return false
}

// OtherLinks returns e's links that are not on-call links, then those its
// annotations give: the repository (github.com/project-slug,
// gitlab.com/project-slug, backstage.io/source-location) and the
// documentation (backstage.io/techdocs-ref) when they are web addresses.
func (e *Entity) OtherLinks() []Link {
	var out []Link
	for _, l := range e.Links {
		if !IsOnCall(l) {
			out = append(out, l)
		}
	}
	if s := e.Annotations["github.com/project-slug"]; isSlug(s) {
		out = append(out, Link{Title: "GitHub", Type: "repository", URL: "https://github.com/" + s})
	} else if s := e.Annotations["gitlab.com/project-slug"]; isSlug(s) {
		out = append(out, Link{Title: "GitLab", Type: "repository", URL: "https://gitlab.com/" + s})
	} else if u, ok := urlLocation(e.Annotations["backstage.io/source-location"]); ok {
		out = append(out, Link{Title: "Source", Type: "repository", URL: u})
	}
	if u, ok := urlLocation(e.Annotations["backstage.io/techdocs-ref"]); ok {
		out = append(out, Link{Title: "TechDocs", Type: "docs", URL: u})
	}
	return out
}

// isSlug reports whether s is "owner/repo", a project slug.
func isSlug(s string) bool {
	owner, repo, ok := strings.Cut(s, "/")
	return ok && owner != "" && repo != "" && !strings.ContainsAny(s, " \t:?#")
}

// urlLocation reads a location "url:https://…" of an annotation.
func urlLocation(s string) (string, bool) {
	u, ok := strings.CutPrefix(s, "url:")
	return u, ok && (strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://"))
}

// Catalog is the entities of many files, indexed.
type Catalog struct {
	// Entities are in the order they were given, each once.
	Entities []*Entity
	byRef    map[string]*Entity
}

// NewCatalog indexes entities. An entity described again (the same kind,
// namespace and name, in any case) is reported at its name and left out:
// the first description wins.
func NewCatalog(entities []Entity) (*Catalog, diag.List) {
	c := &Catalog{byRef: map[string]*Entity{}}
	var diags diag.List
	for i := range entities {
		e := &entities[i]
		k := e.Ref().Key()
		if first := c.byRef[k]; first != nil {
			diags.Warnf(e.Pos, Rule, "%s is also described at %s; this description is ignored", e.Ref(), first.Pos)
			continue
		}
		c.byRef[k] = e
		c.Entities = append(c.Entities, e)
	}
	return c, diags
}

// Lookup returns the entity r refers to, or nil.
func (c *Catalog) Lookup(r Ref) *Entity {
	if c == nil || r.IsZero() {
		return nil
	}
	return c.byRef[r.Key()]
}
