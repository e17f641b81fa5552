package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// readConfigText reads src as handbook.yaml of a site in /site and returns
// what it set and its findings, sorted, as they print.
func readConfigText(src string) (*configReader, []string) {
	cfg := site.DefaultConfig("/site")
	r := newConfigReader("handbook.yaml", &cfg)
	r.read([]byte(src))
	r.diags.Sort()
	var out []string
	for _, d := range r.diags {
		out = append(out, d.String())
	}
	return r, out
}

// docsYAML returns the YAML examples of configuration.md, which the
// reader must accept as they are.
func docsYAML(t testing.TB) []string {
	b, err := os.ReadFile("../../content/docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	if len(out) < 10 {
		t.Fatalf("found %d YAML examples in configuration.md", len(out))
	}
	return out
}

// configErrorsFile returns a file of config-errors.txtar: handbook.yaml
// is the broken one, want-stderr what check prints about it.
func configErrorsFile(t testing.TB, name string) []byte {
	a, err := txtar.ParseFile("testdata/script/config-errors.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range a.Files {
		if f.Name == name {
			return f.Data
		}
	}
	t.Fatalf("config-errors.txtar has no %s", name)
	return nil
}

// TestConfigDocsShowOutput: the output configuration.md shows is what
// config-errors.txtar gets.
func TestConfigDocsShowOutput(t *testing.T) {
	docs, err := os.ReadFile("../../content/docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	want := "```text\n" + string(configErrorsFile(t, "want-stderr")) + "```\n"
	if !strings.Contains(string(docs), want) {
		t.Errorf("configuration.md does not show\n%s", want)
	}
}

func TestConfigAcceptsDocsAndOwnFile(t *testing.T) {
	own, err := os.ReadFile("../../handbook.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, src := range append(docsYAML(t), string(own)) {
		if _, diags := readConfigText(src); len(diags) > 0 {
			t.Errorf("example %d:\n%s\nfindings:\n%s", i, src, strings.Join(diags, "\n"))
		}
	}
}

func TestConfigValues(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		check     func(c *site.Config, x externalConfig) bool
	}{
		{"empty", "", func(c *site.Config, _ externalConfig) bool { return c.Title == "Handbook" && len(c.Roots) == 2 }},
		{"comments only", "# nothing\n", func(c *site.Config, _ externalConfig) bool { return c.Title == "Handbook" }},
		{"null values keep defaults", "title:\nbase_url: ~\nmarkdown:\nroots: []\n", func(c *site.Config, _ externalConfig) bool {
			return c.Title == "Handbook" && c.BaseURL == "/" && len(c.Roots) == 2
		}},
		{"scalars", "title: T\ndescription: D\nbase_url: https://x.example/h/\nlanguage: de\nvisibility: public\n", func(c *site.Config, _ externalConfig) bool {
			return c.Title == "T" && c.Description == "D" && c.BaseURL == "https://x.example/h/" && c.Language == "de" && c.Schema.Visibility == "public"
		}},
		{"a number is a title", "title: 2026\n", func(c *site.Config, _ externalConfig) bool { return c.Title == "2026" }},
		{"roots replace", "roots:\n  - {dir: docs}\n  - {dir: ops, mount: /ops/, kind: runbook}\n", func(c *site.Config, _ externalConfig) bool {
			return reflect.DeepEqual(c.Roots, []site.Root{{Dir: "docs", Mount: "/"}, {Dir: "ops", Mount: "/ops/", Kind: page.KindRunbook}})
		}},
		{"kinds", "kinds: {RFCs: adr, playbooks: runbook}\n", func(c *site.Config, _ externalConfig) bool {
			return c.KindDirs["rfcs"] == page.KindADR && c.KindDirs["playbooks"] == page.KindRunbook && c.KindDirs["adr"] == page.KindADR
		}},
		{"extra fields in lower case", "extra_fields: [Team_Channel]\n", func(c *site.Config, _ externalConfig) bool {
			return slices.Equal(c.Schema.ExtraFields, []string{"team_channel"})
		}},
		{"yes is true", "markdown: {unsafe: yes}\n", func(c *site.Config, _ externalConfig) bool { return c.Unsafe }},
		{"scales", "postmortem: {severities: [critical, minor]}\nradar: {rings: [use, avoid], quadrants: [a, b]}\n", func(c *site.Config, _ externalConfig) bool {
			s := c.Schema
			return slices.Equal(s.Severities, []string{"critical", "minor"}) && slices.Equal(s.Rings, []string{"use", "avoid"}) &&
				slices.Equal(s.Quadrants, []string{"a", "b"}) && !s.OpenQuadrants
		}},
		{"empty scales keep defaults", "radar: {rings: [], quadrants: []}\n", func(c *site.Config, _ externalConfig) bool {
			return len(c.Schema.Rings) == 4 && c.Schema.OpenQuadrants
		}},
		{"no blame words", "postmortem: {blame_words: []}\n", func(c *site.Config, _ externalConfig) bool {
			return c.Check.BlameWords != nil && len(c.Check.BlameWords) == 0
		}},
		{"public", "public: {internal_hosts: ['*.corp.example.com'], allowed_emails: [a@example.com]}\n", func(c *site.Config, _ externalConfig) bool {
			return slices.Equal(c.Check.InternalHosts, []string{"*.corp.example.com"}) && slices.Equal(c.Check.AllowedEmails, []string{"a@example.com"})
		}},
		{"rules", "rules: {heading-skip: warn, orphan-page: off}\n", func(c *site.Config, _ externalConfig) bool {
			return c.Rules["heading-skip"] == "warn" && c.Rules["orphan-page"] == "off"
		}},
		{"imported cleaned", "imported: [./content/legacy/**, runbooks/old]\n", func(c *site.Config, _ externalConfig) bool {
			return slices.Equal(c.Imported, []string{"content/legacy/**", "runbooks/old"})
		}},
		{"profile defaults", "profiles: {blog: {kinds: [post]}}\n", func(c *site.Config, _ externalConfig) bool {
			pr, def := c.Profiles["blog"], site.DefaultProfile("blog")
			return pr.Name == "blog" && slices.Equal(pr.Kinds, []page.Kind{page.KindPost}) && slices.Equal(pr.Visibility, def.Visibility) &&
				slices.Equal(pr.InternalFields, def.InternalFields) && slices.Equal(pr.Status[page.KindPostmortem], []string{"reviewed", "closed"})
		}},
		{"profile keys given empty", "profiles: {all: {visibility: [], status: {}, internal_fields: []}}\n", func(c *site.Config, _ externalConfig) bool {
			pr := c.Profiles["all"]
			return pr.Visibility != nil && len(pr.Visibility) == 0 && pr.Status != nil && len(pr.Status) == 0 && len(pr.InternalFields) == 0
		}},
		{"profile without keys", "profiles: {public: }\n", func(c *site.Config, _ externalConfig) bool {
			return slices.Equal(c.Profiles["public"].Visibility, []string{"public"})
		}},
		{"profile statuses", "radar: {rings: [use, avoid]}\nprofiles: {p: {status: {adr: [accepted], evaluation: [use]}}}\n", func(c *site.Config, _ externalConfig) bool {
			st := c.Profiles["p"].Status
			return slices.Equal(st[page.KindADR], []string{"accepted"}) && slices.Equal(st[page.KindEvaluation], []string{"use"})
		}},
		{"other pages at ends in /", "profiles: {p: {other_pages_at: 'https://docs.example.com/h'}}\n", func(c *site.Config, _ externalConfig) bool {
			return c.Profiles["p"].OtherPagesAt == "https://docs.example.com/h/"
		}},
		{"merge keys", "profiles:\n  a: &p {kinds: [post], title: A}\n  b: {<<: *p, title: B}\n", func(c *site.Config, _ externalConfig) bool {
			b := c.Profiles["b"]
			return b.Title == "B" && slices.Equal(b.Kinds, []page.Kind{page.KindPost}) && c.Profiles["a"].Title == "A"
		}},
		{"aliases", "radar:\n  rings: &r [a, b]\npostmortem:\n  severities: *r\n", func(c *site.Config, _ externalConfig) bool {
			return slices.Equal(c.Schema.Severities, []string{"a", "b"})
		}},
		{"check.external", "check:\n  external:\n    ignore: ['^https://x\\.example/']\n    accept: [403, 999]\n    per_host: 1\n    spacing: 500ms\n    cache: 'off'\n    cache_ttl: {ok: 7d}\n    ignore_file: links.txt\n",
			func(_ *site.Config, x externalConfig) bool {
				return slices.Equal(x.Accept, []int{403, 999}) && x.PerHost == 1 && x.Spacing == "500ms" && *x.Cache == "off" &&
					x.CacheTTL["ok"] == "7d" && x.IgnoreFile == "links.txt" && len(x.Ignore) == 1
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, diags := readConfigText(tt.src)
			if len(diags) > 0 {
				t.Fatalf("findings:\n%s", strings.Join(diags, "\n"))
			}
			if !tt.check(r.cfg, r.ext) {
				t.Errorf("%q read as %+v\nexternal %+v", tt.src, *r.cfg, r.ext)
			}
		})
	}
}

func TestConfigErrors(t *testing.T) {
	for _, tt := range []struct {
		name, src string
		want      []string // without "handbook.yaml:" and " error config"
	}{
		{"near miss", "Title: x\nbase_ulr: /\n", []string{
			`1:1: unknown key "Title"; did you mean "title"?`,
			`2:1: unknown key "base_ulr"; did you mean "base_url"?`,
		}},
		{"nested unknown key lists the keys", "markdown:\n  safe: true\n", []string{
			`2:3: markdown: unknown key "safe"; the only key is unsafe`,
		}},
		{"far from every key", "check: {external: {colour: red}}\n", []string{
			`1:20: check.external: unknown key "colour"; the keys are ignore, ignore_file, accept, per_host, concurrency, spacing, retries, timeout, budget, max_retry_after, cache, cache_ttl`,
		}},
		{"given twice", "title: a\ntitle: b\n", []string{`2:1: key "title" is given twice (first on line 1)`}},
		{"not a mapping", "- title\n", []string{`1:1: handbook.yaml must be a mapping of keys to values, not a list`}},
		{"wrong types", "title: [a]\nroots: content\nmarkdown: [x]\ncheck: {external: {per_host: two, accept: [ok]}}\n", []string{
			`1:8: title: must be a single value, not a list`,
			`2:8: roots: must be a list, such as [a, b], not "content"`,
			`3:11: markdown: must be a mapping of keys to values, not a list`,
			`4:30: check.external.per_host: must be a whole number, not "two"`,
			`4:44: check.external.accept: must be a whole number, not "ok"`,
		}},
		{"roots", "roots:\n  - {mount: /x/}\n  - {dir: a, kind: runbok}\n  -\n", []string{
			`2:5: roots: every root needs a dir, such as {dir: content, mount: /}`,
			`3:20: roots.kind: unknown kind "runbok"; did you mean "runbook"?`,
			`4:4: roots: every root needs a dir, such as {dir: content, mount: /}`,
		}},
		{"kinds", "kinds: {rfcs: decision-record}\n", []string{
			`1:15: kinds.rfcs: unknown kind "decision-record"; use runbook, adr, postmortem, evaluation, post or page`,
		}},
		{"visibility", "visibility: pubic\n", []string{`1:13: visibility: "pubic" is not internal or public; did you mean "public"?`}},
		{"base_url", "base_url: 'https:example'\n", []string{
			`1:11: base_url: "https:example" is not a URL; write a path such as / or a full address such as https://example.com/handbook/`,
		}},
		{"scales", "radar: {rings: [adopt, Adopt, '']}\n", []string{
			`1:24: radar.rings: "Adopt" is given twice`,
			`1:31: radar.rings: an empty name`,
		}},
		{"globs", "public: {internal_hosts: ['[a']}\nimported: [/etc, ../x, 'a/[b']\n", []string{
			`1:27: public.internal_hosts: pattern "[a" is not a valid glob: syntax error in pattern`,
			`2:12: imported: "/etc" is not a glob of paths inside the site root, such as content/legacy/**`,
			`2:18: imported: "../x" is not a glob of paths inside the site root, such as content/legacy/**`,
			`2:24: imported: pattern "a/[b" is not a valid glob: syntax error in pattern`,
		}},
		{"rules", "rules:\n  orphan-pages: warning\n  heading-skip: fatal\n  required-field: eror\n  placeholder:\n", []string{
			`2:3: rules: unknown rule "orphan-pages"; did you mean "orphan-page"?`,
			`3:17: rules.heading-skip: severity "fatal" is not error, warning, info or off`,
			`4:19: rules.required-field: severity "eror" is not error, warning, info or off; did you mean "error"?`,
			`5:3: rules.placeholder: no severity; give error, warning, info or off`,
		}},
		{"external", "check:\n  external:\n    timeout: soon\n    ignore: ['(']\n    accept: [42]\n    cache_ttl: {okay: 1h, broken: never}\n", []string{
			`3:14: check.external.timeout: "soon" is not a duration such as 30s, 5m or 7d`,
			"4:14: check.external.ignore: \"(\" is not a regular expression: error parsing regexp: missing closing ): `(`",
			`5:14: check.external.accept: 42 is not an HTTP status`,
			`6:17: check.external.cache_ttl: "okay" is not a verdict; use ok, broken or unverifiable`,
			`6:35: check.external.cache_ttl.broken: "never" is not a duration such as 30s, 5m or 7d`,
		}},
		{"profiles", "profiles:\n  blog:\n    kinds: [post, blag]\n    visibility: [pubic]\n    base_url: 'mailto:x'\n    other_pages_at: /docs/\n", []string{
			`3:19: profiles.blog.kinds: unknown kind "blag"; use runbook, adr, postmortem, evaluation, post or page`,
			`4:18: profiles.blog.visibility: "pubic" is not internal or public; did you mean "public"?`,
			`5:15: profiles.blog.base_url: "mailto:x" is not a URL; write a path such as / or a full address such as https://example.com/handbook/`,
			`6:21: profiles.blog.other_pages_at: "/docs/" is not an absolute URL, such as https://example.com/handbook/`,
		}},
		{"profile statuses", "profiles:\n  p:\n    status:\n      postmortem: [reviwed]\n      adrs: [accepted, done]\n      runbook: [x]\n      evaluation: [adopt, use]\n      nope: [x]\n", []string{
			`4:20: profiles.p.status.postmortem: "reviwed" is not draft, in-review, reviewed or closed; did you mean "reviewed"?`,
			`5:24: profiles.p.status.adrs: "done" is not proposed, accepted, rejected, deprecated or superseded`,
			`6:17: profiles.p.status.runbook: runbook pages have no status; only adr, postmortem and evaluation (its ring) do`,
			`7:27: profiles.p.status.evaluation: ring "use" is not adopt, trial, assess or hold`,
			`8:7: profiles.p.status: unknown kind "nope"; use runbook, adr, postmortem, evaluation, post or page`,
		}},
		{"a second document", "title: a\n---\ntitle: b\n", []string{
			`3:1: a second YAML document; handbook.yaml is one mapping of keys, and the rest would be ignored`,
		}},
		{"syntax error from the parser", "title: x\nrules: [\nbase_url: /\n", []string{`2:1: not valid YAML: did not find expected ',' or ']'`}},
		{"syntax error from the scanner", "title: x\nq: \"abc\n", []string{`2:1: not valid YAML: found unexpected end of stream`}},
		{"unknown anchor", "title: x\nradar: {rings: *nope}\n", []string{`2:16: not valid YAML: unknown anchor 'nope' referenced`}},
		{"control character", "title: x\ndescription: a\x01b\n", []string{`2:15: not valid YAML: control characters are not allowed`}},
		{"alias cycles end", "profiles: &p {a: *p, b: &x {<<: *x}}\nradar: &r {rings: *r}\n", []string{
			`1:15: profiles.a: unknown key "a"; the keys are base_url, title, description, visibility, kinds, status, internal_fields, other_pages_at`,
			`1:22: profiles.a: unknown key "b"; the keys are base_url, title, description, visibility, kinds, status, internal_fields, other_pages_at`,
			`1:33: profiles.b: << merges too deep`,
			`2:19: radar.rings: must be a list, such as [a, b], not a mapping`,
		}},
		{"columns count bytes", "kinds: {é: adr, x: nope}\n", []string{
			`1:21: kinds.x: unknown kind "nope"; use runbook, adr, postmortem, evaluation, post or page`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, diags := readConfigText(tt.src)
			var want []string
			for _, w := range tt.want {
				line, msg, _ := strings.Cut(w, ": ")
				want = append(want, "handbook.yaml:"+line+": error config: "+msg)
			}
			if !slices.Equal(diags, want) {
				t.Errorf("%q:\ngot\n%s\nwant\n%s", tt.src, strings.Join(diags, "\n"), strings.Join(want, "\n"))
			}
		})
	}
}

// TestConfigAliasBomb: aliases that make a small file into millions of
// values are cut short, with one finding.
func TestConfigAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("x: &l [")
	for i := range 300 {
		fmt.Fprintf(&b, "%q, ", fmt.Sprint("s", i))
	}
	b.WriteString("]\ny: &st {postmortem: *l, incidents: *l, incident: *l, postmortems: *l, post-mortem: *l}\nz: &pr {status: *st}\nprofiles: {")
	for i := range 300 {
		fmt.Fprintf(&b, "p%d: *pr, ", i)
	}
	b.WriteString("}\n")
	start := time.Now()
	_, diags := readConfigText(b.String())
	n := 0
	for _, d := range diags {
		if strings.Contains(d, "too many values") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d findings of too many values in %d findings", n, len(diags))
	}
	if len(diags) > 30000 {
		t.Errorf("%d findings", len(diags))
	}
	t.Logf("%d findings in %s", len(diags), time.Since(start))
}

// TestReadConfig reads handbook.yaml from a site folder: the error that
// exits 2, its message, and the ignore file named by the configuration.
func TestReadConfig(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("handbook.yaml", "titel: x\nvisibility: secret\n")
	_, _, err := readConfig(dir, "")
	var ue *usageError
	var ce *configError
	if !errors.As(err, &ue) || !errors.As(err, &ce) || len(ce.Diagnostics()) != 2 {
		t.Fatalf("err = %v", err)
	}
	want := `handbook.yaml has 2 errors:
handbook.yaml:1:1: error config: unknown key "titel"; did you mean "title"?
handbook.yaml:2:13: error config: visibility: "secret" is not internal or public`
	if err.Error() != want {
		t.Errorf("message:\n%s\nwant\n%s", err, want)
	}

	write("handbook.yaml", "check:\n  external:\n    ignore_file: links.txt\n")
	_, _, err = readConfig(dir, "")
	if !errors.As(err, &ce) || len(ce.diags) != 1 || ce.diags[0].Pos.Line != 3 || ce.diags[0].Pos.Col != 18 {
		t.Errorf("missing ignore file: %v", err)
	}
	write("links.txt", "(\n[\n")
	_, _, err = readConfig(dir, "")
	if !errors.As(err, &ce) || len(ce.diags) != 1 || strings.Count(ce.diags[0].Message, "links.txt:") != 2 || strings.Contains(ce.diags[0].Message, "\n") {
		t.Errorf("bad ignore file: %v", err)
	}
	write("links.txt", "^https://x\\.example/\n")
	cfg, ext, err := readConfig(dir, "")
	if err != nil || len(ext.Ignore) != 1 || cfg.Dir != dir {
		t.Errorf("ignore file: %v, %d patterns", err, len(ext.Ignore))
	}

	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte("title: [x]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err = readConfig(dir, other); err == nil || !strings.HasPrefix(err.Error(), other+" has 1 error:\n"+other+":1:8: ") {
		t.Errorf("config outside the site: %v", err)
	}
}

// FuzzConfig feeds the reader arbitrary files, seeded from real ones: it
// must never panic, and every finding must be at a line and column of the
// file.
func FuzzConfig(f *testing.F) {
	if own, err := os.ReadFile("../../handbook.yaml"); err == nil {
		f.Add(own)
	}
	for _, src := range docsYAML(f) {
		f.Add([]byte(src))
	}
	f.Add(configErrorsFile(f, "handbook.yaml"))
	f.Add([]byte("profiles:\n  a: &p {kinds: [post]}\n  b: {<<: *p}\nx: &x [*x]\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg := site.DefaultConfig(dir)
		r := newConfigReader("handbook.yaml", &cfg)
		r.read(src)
		lines := bytes.Split(src, []byte("\n"))
		for _, d := range r.diags {
			p := d.Pos
			if p.File != "handbook.yaml" || p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > len(lines[p.Line-1])+1 {
				t.Fatalf("finding outside the file (%d lines): %v", len(lines), d)
			}
			if d.Rule != configRule || d.Message == "" {
				t.Fatalf("finding %v", d)
			}
		}
		if len(r.diags) == 0 {
			_, _ = r.ext.options(cfg.Dir)
		}
	})
}
