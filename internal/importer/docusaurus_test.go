package importer

import (
	"slices"
	"strings"
	"testing"
)

func TestDocusaurusText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, report string
	}{
		{
			name: "blank lines around the body",
			in:   ":::note\n\nBody.\n\n:::\n\nAfter.",
			want: "> [!NOTE]\n> Body.\n\nAfter.",
		},
		{
			name: "v2 title after a space",
			in:   ":::tip Pro tip\nBody.\n:::",
			want: "> [!TIP] Pro tip\n> Body.",
		},
		{
			name: "v3 title in brackets",
			in:   ":::warning[Mind the **gap**]\nBody.\n:::",
			want: "> [!WARNING] Mind the **gap**\n> Body.",
		},
		{
			name: "title attribute",
			in:   ":::info{title=\"Heads up\"}\nBody.\n:::",
			want: "> [!NOTE] Heads up\n> Body.",
		},
		{
			name: "nested with more colons",
			in:   "::::danger\nOuter.\n:::tip\nInner.\n:::\n::::",
			want: "> [!CAUTION] Danger\n> Outer.\n> > [!TIP]\n> > Inner.",
		},
		{
			name: "code inside",
			in:   ":::note\n```\n:::\n```\n:::",
			want: "> [!NOTE]\n> ```\n> :::\n> ```",
		},
		{
			name:   "never closed",
			in:     ":::note\nBody.",
			want:   ":::note\nBody.",
			report: "t.mdx:1:1: warning import: admonition :::note is never closed; it is left as it is\n",
		},
		{
			name:   "imports over several lines",
			in:     "import {\n  A,\n  B,\n} from './ab';\nimport './styles.css';\n\n# Title",
			want:   "# Title",
			report: "t.mdx:1:1: warning import: MDX import is not kept: the site renders Markdown, not MDX\nt.mdx:5:1: warning import: MDX import is not kept: the site renders Markdown, not MDX\n",
		},
		{
			name:   "components",
			in:     "Use <Button kind=\"x\" /> or `<Code>` and <span>html</span>.\n<Chart.Line data={d}>",
			want:   "Use <Button kind=\"x\" /> or `<Code>` and <span>html</span>.\n<Chart.Line data={d}>",
			report: "t.mdx:1:5: warning import: MDX component <Button> is not converted: the site does not render it; it is left as it is\nt.mdx:2:1: warning import: MDX component <Chart.Line> is not converted: the site does not render it; it is left as it is\n",
		},
		{
			name:   "tabs",
			in:     "<Tabs groupId=\"os\">\n  <TabItem value=\"mac\" label=\"macOS\">\n\nbrew\n\n  </TabItem>\n  <TabItem value=\"linux\">\n\napt\n\n  </TabItem>\n</Tabs>\n\nDone.",
			want:   "**macOS**\n\nbrew\n\n**linux**\n\napt\n\nDone.",
			report: "t.mdx:1:1: warning import: tabs are not supported; the tabs were written one after the other under bold titles\n",
		},
		{
			name: "MDX comment",
			in:   "{/* note to self */} Text.",
			want: "<!-- note to self --> Text.",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Plan{}
			c := &converter{p: p, file: "t.mdx"}
			got := strings.Join(c.docusaurus(srcLines(strings.Split(tc.in, "\n"), 1)), "\n")
			if got != tc.want {
				t.Errorf("got:\n%s\nwant:\n%s", got, tc.want)
			}
			p.Diags.Sort()
			if d := diags(p); d != tc.report {
				t.Errorf("report:\n%swant:\n%s", d, tc.report)
			}
		})
	}
}

func TestStringLiterals(t *testing.T) {
	src := "// 'commented'\nmodule.exports = {s: ['a', \"b/c\", `d`, /* 'no' */ {type: 'doc', id: 'e\\'f'}]};"
	want := []string{"a", "b/c", "d", "doc", "e'f"}
	if got := stringLiterals(src); !slices.Equal(got, want) {
		t.Errorf("stringLiterals = %q, want %q", got, want)
	}
}

func TestDocusaurusOrder(t *testing.T) {
	fsys := mapFS(map[string]string{
		"sidebars.json":             `{"docs": ["intro", {"type": "category", "label": "Guides", "items": ["guides/bee", "guides/a"]}]}`,
		"docs/intro.md":             "---\nsidebar_position: 9\n---\n# Intro\n",
		"docs/guides/a.md":          "# A\n\nSee [B](b.md#top).\n",
		"docs/guides/b.md":          "---\nid: bee\n---\n# B\n",
		"docs/more/_category_.json": `{"label": "More", "position": 3}`,
		"docs/more/01-first.md":     "# First\n",
		"docs/more/second.md":       "---\nsidebar_position: 0.5\n---\n# Second\n",
		"docs/more/index.md":        "# More\n",
		"docs/top.md":               "---\nsidebar_position: 2\n---\n# Top\n",
	})
	p := Docusaurus([]Input{{Name: "site", FS: fsys}}, Options{Today: today})
	got := map[string]string{}
	for _, f := range p.Files {
		got[f.Path] = ""
		for _, l := range strings.Split(string(f.Data), "\n") {
			if w, ok := strings.CutPrefix(l, "weight: "); ok {
				got[f.Path] = w
			}
		}
	}
	want := map[string]string{
		"intro.md":         "10", // the sidebar's order wins over sidebar_position
		"guides/bee.md":    "20", // b.md, whose id is bee
		"guides/a.md":      "30",
		"top.md":           "20", // sidebar_position 2
		"more/index.md":    "30", // the folder's _category_ position 3
		"more/second.md":   "10", // 0.5 and 1 are not whole: ranks
		"more/01-first.md": "20", // the number its name starts with
	}
	for name, w := range want {
		if g, ok := got[name]; !ok || g != w {
			t.Errorf("%s: weight %q (planned: %v), want %q", name, g, ok, w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("planned %v, want %d files", got, len(want))
	}
	if a := fileOf(t, p, "guides/a.md"); !strings.Contains(a, "[B](bee.md#top)") {
		t.Errorf("the link to b.md does not follow it to bee.md:\n%s", a)
	}
	if b := fileOf(t, p, "guides/bee.md"); strings.Contains(b, "id:") {
		t.Errorf("bee.md keeps the id its name now says:\n%s", b)
	}
}
