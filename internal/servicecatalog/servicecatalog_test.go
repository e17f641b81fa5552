package servicecatalog

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/diag"
)

// The examples of Backstage's "Descriptor Format of Catalog Entities",
// one file of several documents.
const backstageExamples = `# The examples of the descriptor format.
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: artist-web
  description: The place to be, for great artists
  labels:
    example.com/custom: custom_label_value
  annotations:
    example.com/service-discovery: artistweb
    circleci.com/project-slug: github/example-org/artist-website
    pagerduty.com/service-id: P3ABC12
    github.com/project-slug: example-org/artist-website
    backstage.io/techdocs-ref: dir:.
  tags:
    - java
  links:
    - url: https://admin.example-org.com
      title: Admin Dashboard
      icon: dashboard
      type: admin-dashboard
    - url: https://example-org.app.opsgenie.com/schedule/whoIsOnCall
      title: Who is on call
spec:
  type: website
  lifecycle: production
  owner: artist-relations-team
  system: public-websites
  dependsOn: [resource:artists-db]
  providesApis: [artist-api]
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: artist-engagement-portal
  description: Handy tools to keep artists in the loop
spec:
  owner: artist-relations-team
  domain: artists
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: infrastructure
  description: The infra business unit
spec:
  type: business-unit
  profile:
    displayName: Infrastructure
    email: infrastructure@example.com
    picture: https://example.com/groups/bu-infrastructure.jpeg
  parent: ops
  children: [backstage, other]
  members: [jdoe]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: artist-api
  description: Retrieve artist details
spec:
  type: openapi
  lifecycle: production
  owner: group:default/artist-relations-team
  system: artist-engagement-portal
  definition: |
    openapi: "3.0.0"
    ---
    info: {title: Artist API}
`

func TestParseBackstageExamples(t *testing.T) {
	es, diags := Parse("catalog-info.yaml", []byte(backstageExamples))
	if len(diags) > 0 {
		t.Errorf("findings on good descriptors:\n%v", diags)
	}
	if len(es) != 4 {
		t.Fatalf("got %d entities, want 4: %+v", len(es), es)
	}
	web := es[0]
	if web.Kind != "Component" || web.Name != "artist-web" || web.Namespace != "default" || web.Lifecycle != "production" || web.Type != "website" {
		t.Errorf("component = %+v", web)
	}
	if web.Pos != (diag.Position{File: "catalog-info.yaml", Line: 5, Col: 9}) {
		t.Errorf("component at %v, want catalog-info.yaml:5:9 (its metadata.name)", web.Pos)
	}
	if got, want := web.Owner.String(), "group:default/artist-relations-team"; got != want {
		t.Errorf("owner = %q, want %q", got, want)
	}
	if got, want := web.System.String(), "system:default/public-websites"; got != want {
		t.Errorf("system = %q, want %q", got, want)
	}
	if got := web.DependsOn; len(got) != 1 || got[0].String() != "resource:default/artists-db" {
		t.Errorf("dependsOn = %v", got)
	}
	if got := web.ProvidesAPIs; len(got) != 1 || got[0].String() != "api:default/artist-api" {
		t.Errorf("providesApis = %v", got)
	}
	if web.Annotations["pagerduty.com/service-id"] != "P3ABC12" || web.Labels["example.com/custom"] != "custom_label_value" || !reflect.DeepEqual(web.Tags, []string{"java"}) {
		t.Errorf("metadata = %+v", web)
	}
	if want := (Link{URL: "https://admin.example-org.com", Title: "Admin Dashboard", Icon: "dashboard", Type: "admin-dashboard"}); len(web.Links) != 2 || web.Links[0] != want {
		t.Errorf("links = %+v", web.Links)
	}
	onCall := web.OnCall()
	if len(onCall) != 2 || onCall[0].URL != "https://app.pagerduty.com/service-directory/P3ABC12" || onCall[1].Title != "Who is on call" {
		t.Errorf("on-call = %+v", onCall)
	}
	other := web.OtherLinks()
	if len(other) != 2 || other[0].Title != "Admin Dashboard" || other[1].URL != "https://github.com/example-org/artist-website" {
		t.Errorf("other links = %+v", other)
	}

	sys := es[1]
	if sys.Kind != "System" || sys.Domain.String() != "domain:default/artists" || sys.Owner.Name != "artist-relations-team" {
		t.Errorf("system = %+v", sys)
	}
	g := es[2]
	if g.Kind != "Group" || g.Profile != (Profile{DisplayName: "Infrastructure", Email: "infrastructure@example.com", Picture: "https://example.com/groups/bu-infrastructure.jpeg"}) {
		t.Errorf("group = %+v", g)
	}
	if g.Parent.String() != "group:default/ops" || len(g.Children) != 2 || g.Children[1].String() != "group:default/other" || len(g.Members) != 1 || g.Members[0].String() != "user:default/jdoe" {
		t.Errorf("group relations = %v %v %v", g.Parent, g.Children, g.Members)
	}
	if g.DisplayName() != "Infrastructure" {
		t.Errorf("display name = %q", g.DisplayName())
	}
	// The "---" inside the block scalar ends the document, as YAML says:
	// the API is read up to it, and the rest is a document of its own.
	api := es[3]
	if api.Kind != "API" || api.Name != "artist-api" || api.Owner.String() != "group:default/artist-relations-team" {
		t.Errorf("api = %+v", api)
	}
}

func TestParseRef(t *testing.T) {
	for _, c := range []struct {
		in, kind, ns string
		want         string
		err          bool
	}{
		{"payments-team", "group", "", "group:default/payments-team", false},
		{"group:payments-team", "", "", "group:default/payments-team", false},
		{"Group:Default/Payments-Team", "", "", "group:Default/Payments-Team", false},
		{"user:jane", "group", "", "user:default/jane", false},
		{"ops/platform", "group", "", "group:ops/platform", false},
		{"payments-team", "group", "finance", "group:finance/payments-team", false},
		{"component:a/b", "", "", "component:a/b", false},
		{"a/b:c", "group", "", "", true}, // a / before the : leaves the kind out; "b:c" is no name
		{"payments", "", "", "", true},
		{":payments", "group", "", "", true},
		{"group:/payments", "", "", "", true},
		{"group:", "", "", "", true},
		{"", "group", "", "", true},
	} {
		r, err := ParseRef(c.in, c.kind, c.ns)
		if (err != nil) != c.err || err == nil && r.String() != c.want {
			t.Errorf("ParseRef(%q, %q, %q) = %q, %v; want %q (error %v)", c.in, c.kind, c.ns, r, err, c.want, c.err)
		}
	}
	a, _ := ParseRef("Group:Default/Payments-Team", "", "")
	b, _ := ParseRef("payments-team", "group", "")
	if a.Key() != b.Key() {
		t.Errorf("keys differ: %q %q", a.Key(), b.Key())
	}
}

func TestParseFindings(t *testing.T) {
	src := `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: good
spec:
  owner: team-a
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: [broken
---
apiVersion: example.com/v1
kind: Thing
metadata:
  name: thing
---
kind: Component
metadata:
  name: no-api-version
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  description: no name
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: bad name!
  tags: [[nested]]
  links:
    - title: no url
    - just text
spec:
  owner: group:/x
  lifecycle: [production]
---
- a list
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: a-template
...
# after the end marker
---
apiVersion: backstage.io/v1alpha1
kind: location
metadata:
  name: root
spec:
  targets: [./a.yaml]
`
	es, diags := Parse("c.yaml", []byte(src))
	var names []string
	for _, e := range es {
		names = append(names, e.Kind+":"+e.Name)
	}
	if want := []string{"Component:good", "Component:bad name!", "Location:root"}; !reflect.DeepEqual(names, want) {
		t.Errorf("entities = %v, want %v", names, want)
	}
	want := `c.yaml:10:1: warning catalog: catalog entity is not valid YAML: did not find expected ',' or ']'; it is ignored
c.yaml:13:13: warning catalog: apiVersion "example.com/v1" is not Backstage's backstage.io/v1alpha1; the entity is ignored
c.yaml:18:1: warning catalog: catalog entity has no apiVersion; Backstage entities start with apiVersion: backstage.io/v1alpha1; it is ignored
c.yaml:25:3: warning catalog: Component entity has no metadata.name; it is ignored
c.yaml:30:9: warning catalog: metadata.name "bad name!" is not a name Backstage accepts: at most 63 letters and digits, runs joined by -, _ or .
c.yaml:31:10: warning catalog: each of metadata.tags must be text
c.yaml:33:7: warning catalog: a link of metadata.links has no url; it is ignored
c.yaml:34:7: warning catalog: each of metadata.links must be a mapping with a url and a title
c.yaml:36:10: warning catalog: spec.owner: "group:/x" has an empty namespace before the slash; write [kind:][namespace/]name
c.yaml:37:14: warning catalog: spec.lifecycle must be text
c.yaml:39:1: warning catalog: a catalog entity is a mapping of apiVersion, kind, metadata and spec; this document is ignored
`
	diags.Sort()
	var b strings.Builder
	for _, d := range diags {
		b.WriteString(d.String() + "\n")
	}
	if b.String() != want {
		t.Errorf("findings:\n%s\nwant:\n%s", b.String(), want)
	}
}

func TestNewCatalog(t *testing.T) {
	a, _ := Parse("a.yaml", []byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: payments-team}\nspec: {profile: {displayName: Payments}}\n"))
	b, _ := Parse("b.yaml", []byte("apiVersion: backstage.io/v1alpha1\nkind: group\nmetadata:\n  name: Payments-Team\n"))
	c, diags := NewCatalog(append(a, b...))
	if len(c.Entities) != 1 {
		t.Fatalf("entities = %d, want 1", len(c.Entities))
	}
	if len(diags) != 1 || diags[0].String() != "b.yaml:4:9: warning catalog: group:default/Payments-Team is also described at a.yaml:3:18; this description is ignored" {
		t.Errorf("findings = %v", diags)
	}
	r, _ := ParseRef("payments-team", "group", "")
	if e := c.Lookup(r); e == nil || e.DisplayName() != "Payments" {
		t.Errorf("Lookup = %+v", e)
	}
	if e := c.Lookup(Ref{}); e != nil {
		t.Errorf("Lookup of nothing = %+v", e)
	}
}

func TestOnCall(t *testing.T) {
	for _, c := range []struct {
		name string
		e    Entity
		want []string
	}{
		{"nothing", Entity{Links: []Link{{URL: "https://grafana.example.com", Title: "Dashboard"}}}, nil},
		{"pagerduty id", Entity{Annotations: map[string]string{"pagerduty.com/service-id": "P1 2"}}, []string{"PagerDuty https://app.pagerduty.com/service-directory/P1%202"}},
		{"integration key, never shown", Entity{Annotations: map[string]string{"pagerduty.com/integration-key": "secret"}}, []string{"PagerDuty "}},
		{"opsgenie", Entity{Annotations: map[string]string{"opsgenie.com/team": "payments"}}, []string{"Opsgenie team payments "}},
		{"typed link", Entity{Links: []Link{{URL: "https://wiki/x", Title: "Rota", Type: "on-call"}}}, []string{"Rota https://wiki/x"}},
		{"titled link", Entity{Links: []Link{{URL: "https://wiki/x", Title: "Who is on call"}}}, []string{"Who is on call https://wiki/x"}},
		{"host", Entity{Links: []Link{{URL: "https://acme.pagerduty.com/schedules/P1", Title: "Schedule"}}}, []string{"Schedule https://acme.pagerduty.com/schedules/P1"}},
	} {
		var got []string
		for _, l := range c.e.OnCall() {
			got = append(got, l.Title+" "+l.URL)
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: OnCall = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, MaxSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags := ReadFile(big, "big.yaml")
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "more than the 4 MB") {
		t.Errorf("big file: %v", diags)
	}
	_, diags = ReadFile(filepath.Join(dir, "missing.yaml"), "missing.yaml")
	if len(diags) != 1 || diags[0].String() != "missing.yaml: warning catalog: catalog file cannot be read: no such file or directory" {
		t.Errorf("missing file: %v", diags)
	}
}

// FuzzParse feeds Parse arbitrary files, seeded from real descriptors: it
// must never panic, and every finding must point into the file.
func FuzzParse(f *testing.F) {
	f.Add([]byte(backstageExamples))
	f.Add([]byte("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: &m {name: a}\nspec: {owner: *m, <<: *m}\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("--- |\n  text\n...\n--- [\n"))
	f.Add([]byte("apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata:\n  name: g\nspec:\n  profile: 3\n  children: {kind: group, name: x}\n"))
	f.Add([]byte("\xef\xbb\xbfapiVersion: backstage.io/v1alpha1\r\nkind: Component\r\nmetadata:\r\n  name: x\r\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		es, diags := Parse("f.yaml", src)
		lines := 1 + strings.Count(string(src), "\n")
		for _, d := range diags {
			if d.Pos.File != "f.yaml" || d.Pos.Line < 1 || d.Pos.Line > lines || d.Rule != Rule {
				t.Fatalf("finding outside the file (%d lines): %v", lines, d)
			}
		}
		for _, e := range es {
			if e.Name == "" || e.Pos.Line < 1 || e.Pos.Line > lines {
				t.Fatalf("entity without a name or a place: %+v", e)
			}
		}
		_, _ = NewCatalog(es)
	})
}

// TestParseOneFindingEach: a field of the wrong shape is one finding, not
// one for its shape and another for its absence.
func TestParseOneFindingEach(t *testing.T) {
	for _, src := range []string{
		"apiVersion: [backstage.io/v1alpha1]\nkind: Component\nmetadata: {name: a}\n",
		"apiVersion: backstage.io/v1alpha1\nkind: {a: b}\nmetadata: {name: a}\n",
		"apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: [a]}\n",
	} {
		es, diags := Parse("c.yaml", []byte(src))
		if len(es) != 0 || len(diags) != 1 || !strings.HasSuffix(diags[0].Message, "must be text") {
			t.Errorf("%q: entities %d, findings %v; want none and one finding", src, len(es), diags)
		}
	}
}
