package newpage

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Use Kafka for events", "use-kafka-for-events"},
		{"Database failover: the sequel", "database-failover-the-sequel"},
		{"Don't use X", "dont-use-x"},
		{"  Go 1.22 — upgrade!  ", "go-1-22-upgrade"},
		{"Über café", "über-café"},
		{"!!!", ""},
		{strings.Repeat("word ", 20), strings.TrimSuffix(strings.Repeat("word-", 12), "-")},
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFileName(t *testing.T) {
	day := time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		k    page.Kind
		n    int
		st   ADRStyle
		want string
	}{
		{page.KindADR, 8, ADRStyle{Width: 4, Sep: "-"}, "0008-use-kafka.md"},
		{page.KindADR, 8, ADRStyle{Prefix: "adr-", Width: 3, Sep: "_"}, "adr-008_use_kafka.md"},
		{page.KindADR, 8, ADRStyle{Dated: true}, "20261118-use-kafka.md"},
		{page.KindPostmortem, 0, ADRStyle{}, "2026-11-18-use-kafka.md"},
		{page.KindPost, 0, ADRStyle{}, "2026-11-18-use-kafka.md"},
		{page.KindRunbook, 0, ADRStyle{}, "use-kafka.md"},
	} {
		if got := FileName(tc.k, "use-kafka", day, tc.n, tc.st); got != tc.want {
			t.Errorf("FileName(%s, %d, %+v) = %q, want %q", tc.k, tc.n, tc.st, got, tc.want)
		}
	}
}

func TestRenderErrors(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"---\ntitle: x\n---\n\nHi {{.Nope}}\n", "templates/adr.md:5:6: error template: <.Nope>: can't evaluate field Nope in type newpage.Data; the variables are .Kind, "},
		{"a\nb {{.Title}\nc", "templates/adr.md:2:3: error template: bad character U+007D '}'"},
		{"a\n{{if .Title}}\nc", "templates/adr.md:3:1: error template: unexpected EOF"},
		{"a\n  {{nope .Title}}", `templates/adr.md:2:3: error template: function "nope" not defined`},
	} {
		_, err := Render("templates/adr.md", tc.text, Data{Kind: "adr"})
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Errorf("Render(%q): %v, want a *TemplateError", tc.text, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Render(%q):\n got %s\nwant %s…", tc.text, err, tc.want)
		}
	}
}

func TestYAMLString(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Use Kafka", "Use Kafka"},
		{"Kafka: why", "'Kafka: why'"},
		{"yes", `"yes"`},
		{"Lovelace, Ada", `"Lovelace, Ada"`},
		{"[x]", `"[x]"`},
	} {
		if got := yamlString(tc.in); got != tc.want {
			t.Errorf("yamlString(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

// fills are the values the filled pages give the placeholders that must
// be one of a set; every other placeholder becomes prose.
var fills = map[string]string{
	`"{service}"`:  "checkout",
	`"{ring}"`:     "trial",
	`"{quadrant}"`: "tools",
	`{hh:mm}`:      "09:00",
	`{owner}`:      "@ada",
	`{TICKET-1}`:   "OPS-1",
}

var (
	severityPlaceholder = regexp.MustCompile(`"\{one of [^"]*\}"`)
	anyPlaceholder      = regexp.MustCompile(`\{[A-Za-z][^{}\n]*\}`)
)

// fill fills in a page fresh from a template as its writer would.
func fill(src string) string {
	for k, v := range fills {
		src = strings.ReplaceAll(src, k, v)
	}
	src = severityPlaceholder.ReplaceAllString(src, "SEV-2")
	return anyPlaceholder.ReplaceAllString(src, "Filled in by the writer")
}

// TestDefaultsPassWhenFilled writes a page of every kind (and every ADR
// dialect) from the built-in templates into a site: fresh, the check
// reports its placeholders and nothing else; filled in, nothing at all.
func TestDefaultsPassWhenFilled(t *testing.T) {
	type item struct {
		k       page.Kind
		dialect string
		file    string
	}
	items := []item{
		{page.KindRunbook, "", "runbooks/database-failover.md"},
		{page.KindADR, "", "content/adr/0001-use-kafka.md"},
		{page.KindADR, page.DialectMADR, "content/madr/adr/0002-use-kafka.md"},
		{page.KindADR, page.DialectNygard, "content/nygard/adr/0003-use-kafka.md"},
		{page.KindPostmortem, "", "content/postmortems/2026-11-18-checkout-outage.md"},
		{page.KindEvaluation, "", "content/evaluations/kafka.md"},
		{page.KindPost, "", "content/posts/2026-11-18-hello.md"},
		{page.KindPage, "", "content/onboarding.md"},
	}
	for _, owner := range []string{"", "Ada Lovelace"} {
		dir := t.TempDir()
		fresh := map[string]string{}
		for _, it := range items {
			d := Data{Kind: string(it.k), Title: "A title: with a colon", Slug: "x", Date: "2026-11-18", Dialect: it.dialect, Owner: owner,
				Severities: page.DefaultSchema().Severities, Rings: page.DefaultSchema().Rings, Quadrants: page.DefaultSchema().Quadrants}
			if it.k == page.KindADR {
				d.Number, _ = ParseADRNumber(filepath.Base(it.file)[:4])
				d.ID = "ADR-000" + filepath.Base(it.file)[3:4]
			}
			switch it.dialect {
			case page.DialectMADR:
				d.Supersedes = []ADRRef{{Number: 1, ID: "ADR-0001", Title: "A title: with a colon", Link: "../../adr/0001-use-kafka.md"}}
			case page.DialectNygard:
				d.Supersedes = []ADRRef{{Number: 1, ID: "ADR-0001", Title: "A title: with a colon", Link: "../../adr/0001-use-kafka.md"}}
			}
			b, err := Render("", Default(it.k, it.dialect), d)
			if err != nil {
				t.Fatal(err)
			}
			fresh[it.file] = string(b)
		}
		// ADR 2 supersedes ADR 1, in its file.
		old := fresh["content/adr/0001-use-kafka.md"]
		b, _, err := Supersede("content/adr/0001-use-kafka.md", []byte(old), ADRRef{Number: 2, ID: "ADR-0002", Title: "A title", Link: "../madr/adr/0002-use-kafka.md"})
		if err != nil {
			t.Fatal(err)
		}
		fresh["content/adr/0001-use-kafka.md"] = string(b)
		for f, src := range fresh {
			write(t, dir, f, src)
		}
		list := check(t, dir)
		reported := map[string]bool{}
		for _, d := range list {
			if d.Severity == diag.Info {
				continue
			}
			reported[d.Pos.File] = true
			if d.Rule != "placeholder" && !(d.Rule == "allowed-value" && (strings.Contains(d.Message, "{ring}") || strings.Contains(d.Message, "{one of"))) {
				t.Errorf("owner %q, fresh: %s", owner, d)
			}
		}
		for _, it := range items {
			if !reported[it.file] {
				t.Errorf("owner %q: nothing reported on the fresh %s", owner, it.file)
			}
		}
		for f, src := range fresh {
			write(t, dir, f, fill(src))
		}
		for _, d := range check(t, dir) {
			if d.Severity != diag.Info {
				t.Errorf("owner %q, filled: %s", owner, d)
			}
		}
	}
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func check(t *testing.T, dir string) diag.List {
	t.Helper()
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)
	res, err := build.Run(context.Background(), build.Options{Site: cfg, Skip: build.Render | build.Search})
	if err != nil {
		t.Fatal(err)
	}
	return res.Diags
}

func TestDefaultADRSupersedes(t *testing.T) {
	for _, tc := range []struct {
		refs []ADRRef
		want string
	}{
		{nil, "decision-makers: [Ada]\n---\n"},
		{[]ADRRef{{ID: "ADR-0007"}}, "decision-makers: [Ada]\nsupersedes: ADR-0007\n---\n"},
		{[]ADRRef{{ID: "ADR-0007"}, {ID: "ADR-0009"}}, "decision-makers: [Ada]\nsupersedes: [ADR-0007, ADR-0009]\n---\n"},
	} {
		b, err := Render("", Default(page.KindADR, ""), Data{Kind: "adr", Title: "T", Date: "2026-11-18", Owner: "Ada", Supersedes: tc.refs})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), tc.want) {
			t.Errorf("with %d superseded:\n%s\nwant it to hold\n%s", len(tc.refs), b, tc.want)
		}
	}
}

// TestVariables keeps the list an error names in step with Data.
func TestVariables(t *testing.T) {
	typ := reflect.TypeOf(Data{})
	var fields []string
	for i := range typ.NumField() {
		fields = append(fields, "."+typ.Field(i).Name)
	}
	if got := Variables(); !slices.Equal(got, fields) {
		t.Errorf("Variables() = %v, want Data's fields %v", got, fields)
	}
}
