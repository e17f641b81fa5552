package importer

import (
	"strings"
	"testing"
)

func TestFindLinks(t *testing.T) {
	ls := []string{
		"[a](a.md) and ![img](<i m.png> \"title\") and [nested [x]](b.md#f)",
		"`[code](no.md)` and [paren](c_(1).md) and \\[escaped](no.md)",
		"```",
		"[fenced](no.md)",
		"```",
		"[ref]: d.md \"t\"",
		"  [ref2]: <e f.md>",
	}
	var got []string
	for _, l := range findLinks(ls) {
		got = append(got, l.Dest+"|"+l.Text)
	}
	want := "a.md|a i m.png|img b.md#f|nested [x] c_(1).md|paren d.md| e f.md|"
	if strings.Join(got, " ") != want {
		t.Errorf("findLinks = %q\nwant         %q", strings.Join(got, " "), want)
	}
}

func TestRelink(t *testing.T) {
	p := &Plan{}
	rl := &relinker{plan: p, moved: map[string]string{"old/a.md": "new/a.md", "b.mdx": "b.md"}}
	in := []string{
		"[a](old/a.md#x) [b](b.mdx) [c](c.md) [up](../out.md) [abs](/x.md) [web](https://e.com/a.md) [frag](#top)",
	}
	got := rl.relink(in, 5, "f.md", "dir/../f.md", "sub/f.md")
	want := "[a](../new/a.md#x) [b](../b.md) [c](../c.md) [up](../out.md) [abs](/x.md) [web](https://e.com/a.md) [frag](#top)"
	if got[0] != want {
		t.Errorf("relink =\n%s\nwant\n%s", got[0], want)
	}
	if d := diags(p); d != "f.md:5:43: warning import: link to ../out.md leads outside the imported folder; check it after the import\n" {
		t.Errorf("report: %s", d)
	}
}
