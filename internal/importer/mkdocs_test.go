package importer

import (
	"strings"
	"testing"
)

func TestMkDocsText(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, report string
	}{
		{
			name: "admonition with a title and paragraphs",
			in:   "!!! note \"Read this\"\n    First.\n\n    Second.\n\nAfter.",
			want: "> [!NOTE] Read this\n> First.\n>\n> Second.\n\nAfter.",
		},
		{
			name: "untitled type keeps its word",
			in:   "!!! danger\n    Careful.",
			want: "> [!CAUTION] Danger\n> Careful.",
		},
		{
			name: "empty title is no title",
			in:   "!!! warning \"\"\n    Careful.",
			want: "> [!WARNING]\n> Careful.",
		},
		{
			name:   "collapsible, with classes",
			in:     "???+ tip inline end \"Fold\"\n    Folded.",
			want:   "> [!TIP] Fold\n> Folded.",
			report: "t.md:1:1: warning import: admonition classes inline end are not kept\nt.md:1:1: warning import: collapsible admonition (???+) is shown open: callouts do not fold\n",
		},
		{
			name: "nested, with code",
			in:   "!!! note\n    Outer.\n\n    !!! tip\n        Inner.\n\n    ```sh\n    !!! not an admonition\n    ```",
			want: "> [!NOTE]\n> Outer.\n>\n> > [!TIP]\n> > Inner.\n>\n> ```sh\n> !!! not an admonition\n> ```",
		},
		{
			name: "in a list",
			in:   "1. Step\n\n    !!! note\n        Inside.\n\n2. Next",
			want: "1. Step\n\n    > [!NOTE]\n    > Inside.\n\n2. Next",
		},
		{
			name:   "unknown type",
			in:     "Text.\n\n!!! example \"Try it\"\n    `x`",
			want:   "Text.\n\n> [!NOTE] Try it\n> `x`",
			report: "t.md:3:1: warning import: admonition type \"example\" has no callout; it is a NOTE titled \"Try it\"\n",
		},
		{
			name:   "tabs",
			in:     "=== \"Go\"\n\n    go run .\n\n=== \"Shell\"\n\n    sh run.sh\n\nDone.",
			want:   "**Go**\n\ngo run .\n\n**Shell**\n\nsh run.sh\n\nDone.",
			report: "t.md:1:1: warning import: content tabs are not supported; the tabs were written one after the other under bold titles\n",
		},
		{
			name: "fenced code is left alone",
			in:   "```\n!!! note\n    x\n```",
			want: "```\n!!! note\n    x\n```",
		},
		{
			name:   "snippet",
			in:     "Intro.\n  --8<-- \"a.md\"",
			want:   "Intro.\n  --8<-- \"a.md\"",
			report: "t.md:2:3: warning import: snippet includes (--8<--) are not supported; the line is kept as it is: paste the file it includes\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := &Plan{}
			c := &converter{p: p, file: "t.md"}
			got := strings.Join(c.mkdocs(srcLines(strings.Split(tc.in, "\n"), 1)), "\n")
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

func TestMkDocsNav(t *testing.T) {
	fsys := mapFS(map[string]string{
		"mkdocs.yml":         "site_name: X\ndocs_dir: src\nnav:\n  - index.md\n  - Guide:\n    - 'Setup': guide/setup.md\n    - guide/index.md\n  - 'Elsewhere': 'https://example.com'\n",
		"src/index.md":       "# Home\n",
		"src/guide/setup.md": "Set it up.\n",
		"src/guide/index.md": "---\nweight: 5\n---\n# Guide\n",
		"src/extra.md":       "Not in the nav.\n",
		"docs/ignored.md":    "Not the docs folder.\n",
	})
	p := MkDocs([]Input{{Name: "site", FS: fsys}}, Options{Today: today})
	if got := fileOf(t, p, "index.md"); got != "---\nweight: 10\n---\n\n# Home\n" {
		t.Errorf("index.md:\n%s", got)
	}
	if got := fileOf(t, p, "guide/setup.md"); got != "---\nweight: 20\ntitle: Setup\n---\n\nSet it up.\n" {
		t.Errorf("guide/setup.md:\n%s", got)
	}
	if got := fileOf(t, p, "guide/index.md"); got != "---\nweight: 5\n---\n# Guide\n" {
		t.Errorf("guide/index.md keeps its own weight:\n%s", got)
	}
	if got := fileOf(t, p, "extra.md"); got != "---\ntitle: Extra\n---\n\nNot in the nav.\n" {
		t.Errorf("extra.md:\n%s", got)
	}
	for _, f := range p.Files {
		if strings.Contains(f.Path, "ignored") {
			t.Errorf("%s planned from the folder docs_dir does not name", f.Path)
		}
	}
	if d := diags(p); d != "site/mkdocs.yml:8:18: warning import: nav link to https://example.com is not kept: the site's navigation lists its own pages\n" {
		t.Errorf("report:\n%s", d)
	}
}
