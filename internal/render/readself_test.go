package render

import (
	"bytes"
	"html/template"
	"sort"
	"testing"
)

// TestOthersNames checks which names a layout reads of pages other than
// its file's own: through .Page, $.Page, a variable or a with holding it,
// and a template called with it, names are the own page's; in a range, a
// field holding pages, a function's result, a reassigned variable, they
// are other pages'.
func TestOthersNames(t *testing.T) {
	for _, c := range []struct {
		name, text string
		own        []string // names read of the own page only
		others     []string // names read of other pages too
	}{
		{"field chain", `{{.Page.ADR.Status}}`, []string{"ADR", "Status"}, []string{"Page"}},
		{"root variable", `{{$.Page.ADR.Status}}`, []string{"ADR", "Status"}, nil},
		{"variable", `{{$p := .Page}}{{$a := $p.ADR}}{{$a.Status}}`, []string{"ADR", "Status"}, nil},
		{"with", `{{with .Page}}{{.Runbook.LastReviewed}}{{end}}`, []string{"Runbook", "LastReviewed"}, nil},
		{"template given the page", `{{template "t" .Page}}{{define "t"}}{{.ADR.Status}}{{end}}`, []string{"Status"}, nil},
		{"range over the page's links", `{{range .Page.Backlinks}}{{.ADR.Status}}{{end}}`, nil, []string{"Backlinks", "ADR", "Status"}},
		{"a page's field holding pages", `{{.Page.Prev.ADR.Status}}`, nil, []string{"Prev", "ADR", "Status"}},
		{"the same template, both ways", `{{template "t" .Page}}{{range .List.Pages}}{{template "t" .}}{{end}}{{define "t"}}{{.ADR.Status}}{{end}}`, nil, []string{"Status"}},
		{"a function's result", `{{$b := index .Page.Backlinks 0}}{{$b.ADR.Status}}`, nil, []string{"index", "Status"}},
		{"a variable given another page", `{{$p := .Page}}{{range .List.Pages}}{{$p = .}}{{end}}{{$p.ADR.Status}}`, nil, []string{"Status"}},
		{"a variable of the range", `{{range $i, $x := .List.Pages}}{{$x.ADR.Status}}{{end}}`, nil, []string{"Status"}},
		{"a function of its page only, given the own page", `{{overdue .Page}}{{.Page | overdue}}`, []string{"overdue"}, nil},
		{"a function of its page only, given another", `{{range .List.Pages}}{{overdue .}}{{end}}`, nil, []string{"overdue"}},
		{"piped another page", `{{index .List.Pages 0 | overdue}}`, nil, []string{"overdue"}},
		{"a function listing the own page's pages", `{{relatedList .Page}}`, []string{"relatedList"}, []string{"link"}},
		{"a function listing another page's pages", `{{range .List.Pages}}{{relatedList .}}{{end}}`, nil, []string{"relatedList"}},
		{"a method of the page", `{{.Page.BacklinksByKind}}`, nil, []string{"BacklinksByKind"}},
		{"the data's own fields", `{{.Title}}{{.List.Pages}}`, nil, []string{"Title", "List", "Pages"}},
		{"a variable in a with's pipeline ends with it", `{{$x := .List}}{{with $x := .Page}}{{end}}{{$x.ADR.Status}}`, nil, []string{"Status"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tmpl := template.Must(template.New("base").Funcs(template.FuncMap{"overdue": func(any) bool { return false }, "relatedList": func(any) string { return "" }}).Parse(c.text))
			others := othersNames(tmpl)
			if others == nil {
				t.Fatal("not known")
			}
			for _, n := range c.own {
				if others[n] {
					t.Errorf("%s is read of other pages", n)
				}
			}
			for _, n := range c.others {
				if !others[n] {
					t.Errorf("%s is not read of other pages: %v", n, sorted(others))
				}
			}
		})
	}
	// A template called that the set does not have: not known.
	tmpl := template.Must(template.New("base").Parse(`{{template "missing" .}}`))
	if others := othersNames(tmpl); others != nil {
		t.Errorf("a missing template: %v, want nil", sorted(others))
	}
}

func sorted(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestFingerprintsOwnPageReads: the default ADR layout shows a decision's
// status in its own header only; a decision linking to another shows the
// other's label and title. An edit of the other's status changes neither
// the linking decision's file nor its fingerprint. A site's own layout
// that shows the statuses of the decisions linking to it, in a range, a
// template or through a variable, follows every change of them.
func TestFingerprintsOwnPageReads(t *testing.T) {
	first, second := "/adr/0001-use-a-queue/index.html", "/adr/0002-use-two-queues/index.html"
	for _, c := range []struct {
		name, layout string
		follows      bool // the linked decision's file shows the linking one's status
	}{
		{"default", "", false},
		{"own status only", `{{define "main"}}{{with .Page}}{{$a := .ADR}}<p>{{$a.Status}}</p>{{range .Backlinks}}<p>{{.Title}}</p>{{end}}{{end}}{{end}}`, false},
		{"range", `{{define "main"}}<p>{{.Page.ADR.Status}}</p>{{range .Page.Backlinks}}<p>{{.ADR.Status}}</p>{{end}}{{end}}`, true},
		{"template", `{{define "main"}}{{$p := .Page}}{{template "st" $p}}{{range $p.Backlinks}}{{template "st" .}}{{end}}{{end}}{{define "st"}}<p>{{.ADR.Status}}</p>{{end}}`, true},
		{"variable", `{{define "main"}}{{$p := .Page}}{{$s := $p.ADR.Status}}{{range $p.Backlinks}}{{$s = .ADR.Status}}{{end}}<p>{{$p.ADR.Status}} {{$s}}</p>{{end}}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fps, fps2, files, files2 := linkingStatusEdit(t, c.layout)
			if !bytes.Contains(files[first], []byte("Use two queues")) {
				t.Fatalf("the first decision does not show the one linking to it:\n%s", files[first])
			}
			if fps[second].Sum == fps2[second].Sum || bytes.Equal(files[second], files2[second]) {
				t.Errorf("the edited decision's file or fingerprint stayed")
			}
			changed := !bytes.Equal(files[first], files2[first])
			if changed != c.follows {
				t.Fatalf("the first decision's file changed: %v, want %v", changed, c.follows)
			}
			if moved := fps[first].Sum != fps2[first].Sum; moved != c.follows {
				t.Errorf("the first decision's fingerprint changed: %v, its file: %v", moved, changed)
			}
		})
	}
	// Without the own page's names set apart, the default layout's files
	// change their fingerprints for nothing: the test above sees it.
	leaveOut = map[string]bool{"others": true}
	defer func() { leaveOut = nil }()
	if fps, fps2, _, _ := linkingStatusEdit(t, ""); fps[first].Sum == fps2[first].Sum {
		t.Errorf("with the own page's names not set apart, the first decision's fingerprint stayed")
	}
}

// linkingStatusEdit makes a site of two decisions, the second linking to
// the first, with layout as its ADR layout when not "", and returns the
// fingerprints and files before and after an edit of the second's
// status.
func linkingStatusEdit(t *testing.T, layout string) (fps, fps2 map[string]Fingerprint, files, files2 map[string][]byte) {
	t.Helper()
	dir := t.TempDir()
	if layout != "" {
		writeFile(t, dir, "layouts/adr.html", []byte(layout))
	}
	writeFile(t, dir, "content/adr/0001-use-a-queue.md", []byte("---\ntitle: Use a queue\nstatus: accepted\ndate: 2024-03-01\n---\n## Context\n\nWhy.\n"))
	linking := func(status string) {
		writeFile(t, dir, "content/adr/0002-use-two-queues.md", []byte("---\ntitle: Use two queues\nstatus: "+status+"\ndate: 2024-04-01\n---\n## Context\n\nAfter [the first](0001-use-a-queue.md).\n"))
	}
	linking("proposed")
	_, state := fingerprintStates(t, dir)
	fps, files = state()
	linking("rejected")
	fps2, files2 = state()
	return fps, fps2, files, files2
}

// TestFingerprintsListedPagesLinks: the default layout lists the pages
// linking to a page (and its related pages, its relations) as links, by
// their titles and kinds; what those pages link to or are linked from is
// not shown. A page that stops linking to a listed one changes neither the
// file listing it nor that file's fingerprint; a layout that shows how
// many pages link to each listed page follows the change.
func TestFingerprintsListedPagesLinks(t *testing.T) {
	listing := "/notes/beta/index.html"
	for _, c := range []struct {
		name, layout string
		follows      bool
	}{
		{"default", "", false},
		{"counts the listed page's backlinks", `{{define "main"}}{{range .Page.Backlinks}}<p>{{.Title}}: {{len .Backlinks}}</p>{{end}}{{end}}`, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if c.layout != "" {
				writeFile(t, dir, "layouts/page.html", []byte(c.layout))
			}
			writeFile(t, dir, "content/notes/alpha.md", []byte("---\ntitle: Alpha\n---\nSee [beta](beta.md).\n"))
			writeFile(t, dir, "content/notes/beta.md", []byte("---\ntitle: Beta\n---\nA page.\n"))
			gamma := func(body string) {
				writeFile(t, dir, "content/notes/gamma.md", []byte("---\ntitle: Gamma\n---\n"+body+"\n"))
			}
			gamma("See [alpha](alpha.md).")
			_, state := fingerprintStates(t, dir)
			fps, files := state()
			gamma("No link now.")
			fps2, files2 := state()
			if !bytes.Contains(files[listing], []byte("Alpha")) {
				t.Fatalf("beta's file does not list alpha, which links to it:\n%s", files[listing])
			}
			changed := !bytes.Equal(files[listing], files2[listing])
			if changed != c.follows {
				t.Fatalf("beta's file changed: %v, want %v", changed, c.follows)
			}
			if moved := fps[listing].Sum != fps2[listing].Sum; moved != c.follows {
				t.Errorf("beta's fingerprint changed: %v, its file: %v", moved, changed)
			}
		})
	}
}
