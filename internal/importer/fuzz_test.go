package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// seeds are the Markdown, CSV and JSON files of testdata/.
func seeds(f *testing.F, exts ...string) {
	_ = filepath.WalkDir("testdata", func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, e := range exts {
			if strings.HasSuffix(p, e) {
				if b, err := os.ReadFile(p); err == nil {
					f.Add(b)
				}
			}
		}
		return nil
	})
}

// FuzzConvertText runs the text conversions of MkDocs and Docusaurus on
// any input: they never panic, and they keep every line of a file with
// nothing to convert.
func FuzzConvertText(f *testing.F) {
	seeds(f, ".md", ".mdx")
	f.Add([]byte("!!! note\n\t!!! tip\n\t\t```\n:::note\n::::\n=== \"x\"\n<Tabs>\n<TabItem label=\"a\">\nimport x\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, conv := range []func(*converter, []srcLine) []string{(*converter).mkdocs, (*converter).docusaurus} {
			p := &Plan{}
			c := &converter{p: p, file: "f.md"}
			out := c.page(src, func(ls []srcLine) []string { return conv(c, ls) }, 10, "T", nil)
			if utf8.Valid(src) && !utf8.Valid(out) {
				t.Fatalf("valid UTF-8 in, invalid out: %q", out)
			}
		}
	})
}

// FuzzRadar reads any bytes as a radar CSV and JSON file.
func FuzzRadar(f *testing.F) {
	seeds(f, ".csv", ".json")
	f.Fuzz(func(t *testing.T, data []byte) {
		RadarCSV([]Input{{Name: "r.csv", Data: data}}, Options{Today: today})
		RadarJSON([]Input{{Name: "r.json", Data: data}}, Options{Today: today})
		htmlToMarkdown(string(data))
	})
}

// FuzzADR reads any bytes as the ADR of an adr-tools and a log4brains log.
func FuzzADR(f *testing.F) {
	seeds(f, ".md")
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := mapFS(map[string]string{"0001-a.md": string(data), "20200101-b.md": string(data), "README.md": string(data)})
		ADRTools([]Input{{Name: "log", FS: fsys}}, Options{Today: today, Renumber: true})
		Log4brains([]Input{{Name: "log", FS: fsys}}, Options{Today: today})
		AOE([]Input{{Name: "radar", FS: mapFS(map[string]string{"2020-01-01/a.md": string(data), "2021-01-01/a.md": string(data)})}}, Options{Today: today})
	})
}
