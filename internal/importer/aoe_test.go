package importer

import (
	"strings"
	"testing"
)

func TestAOE(t *testing.T) {
	fsys := mapFS(map[string]string{
		"radar/2019-01-01/tools/x.md": "---\ntitle: X\nring: assess\nquadrant: tools\n---\nFirst look.\n",
		"radar/2020-01-01/x.md":       "---\nring: trial\n---\n",
		"radar/2021-01-01/x.md":       "---\nring: adopt\nquadrant: methods-and-patterns\n---\nAdopted. Like [y](/tools/y.html) and [z](../2019-01-01/z.md).\n",
		"radar/2019-01-01/y.md":       "---\ntitle: Y\nring: hold\nquadrant: tools\nfeatured: false\nowner: team-y\n---\nNo.\n",
		"radar/2019-01-01/z.md":       "---\ntitle: Z\nring: hold\nquadrant: Platforms And Operations\n---\nNo.\n![diagram](z.png)\n",
		"radar/2019-01-01/z.png":      "PNG",
		"radar/loose.md":              "---\ntitle: Loose\nring: trial\nquadrant: tools\n---\n",
		"radar/notes.md":              "# Notes\n\nNot an item.\n",
		"radar/2021-01-01/bad.md":     "---\ntitle: [\n---\n",
	})
	sub, err := locateAOE(fsys)
	if err != nil || sub != "radar" {
		t.Fatalf("locateAOE = %q, %v; want radar", sub, err)
	}
	p := AOE([]Input{{Name: "r", FS: mustSub(t, fsys, "radar")}}, Options{Today: today})
	if got, want := fileOf(t, p, "x.md"), "---\ntitle: X\nring: adopt\nquadrant: techniques\ndate: 2021-01-01\nhistory:\n  - {date: 2019-01-01, ring: assess}\n  - {date: 2020-01-01, ring: trial}\n---\n\nAdopted. Like [y](y.md) and [z](z.md).\n\n## Earlier releases\n\n### 2019-01-01: assess\n\nFirst look.\n"; got != want {
		t.Errorf("x.md:\n%s\nwant:\n%s", got, want)
	}
	if got, want := fileOf(t, p, "y.md"), "---\ntitle: Y\nring: hold\nquadrant: tools\ndate: 2019-01-01\nowner: team-y\n---\n\nNo.\n"; got != want {
		t.Errorf("y.md:\n%s\nwant:\n%s", got, want)
	}
	if got := fileOf(t, p, "z.md"); !strings.Contains(got, "quadrant: platforms\n") || !strings.Contains(got, "![diagram](2019-01-01/z.png)") {
		t.Errorf("z.md: want the quadrant as the site names it and the image link following the page:\n%s", got)
	}
	fileOf(t, p, "2019-01-01/z.png")
	if got := fileOf(t, p, "loose.md"); !strings.Contains(got, "date: 2021-01-01\n") {
		t.Errorf("loose.md: want it dated as the newest release:\n%s", got)
	}
	if got := fileOf(t, p, "notes.md"); got != "# Notes\n\nNot an item.\n" {
		t.Errorf("notes.md copied as %q", got)
	}
	want := "r/2019-01-01/y.md:5:1: warning import: featured: false is not kept: the item is drawn on the radar like the others\n" +
		"r/2021-01-01/bad.md:2:1: error import: cannot read the front matter: did not find expected node content; the file is copied as it is\n" +
		"r/loose.md:1:1: warning import: item is in no release folder (YYYY-MM-DD/); it is dated 2021-01-01\n"
	if d := diags(p); d != want {
		t.Errorf("report:\n%swant:\n%s", d, want)
	}
}
