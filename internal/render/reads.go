package render

import (
	"io"
	"reflect"
	"sync"
	"text/template/parse"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// names returns every field and method name the theme's layouts write
// (.Page.Backlinks, $p.Title, (index .List.Pages 0).Href): what any layout
// can read of the data by name. Computed once.
func (th *Theme) names() map[string]bool {
	th.namesOnce.Do(th.collect)
	return th.nameSet
}

// layoutNames returns the field and method names a layout's execution can
// reach: those of base and of the templates it calls, transitively, in the
// layout's set; nil for a layout the theme does not have. A list's layout
// that never names .Backlinks does not read the backlinks of the pages it
// lists, though the layout of a page shows its own. Computed once.
func (th *Theme) layoutNames(layout string) map[string]bool {
	th.namesOnce.Do(th.collect)
	return th.byLayout[layout]
}

// othersNames returns the names layout reads of pages other than its
// file's own (othersNames); nil when not known. Computed once.
func (th *Theme) othersNames(layout string) map[string]bool {
	th.namesOnce.Do(th.collect)
	return th.othersByLayout[layout]
}

// collect fills nameSet, byLayout and othersByLayout.
func (th *Theme) collect() {
	th.nameSet = map[string]bool{}
	th.byLayout = map[string]map[string]bool{}
	th.othersByLayout = map[string]map[string]bool{}
	th.plainNav = map[string]bool{}
	th.plainContent = map[string]bool{}
	for name, t := range th.layouts {
		// html/template escapes a template and those it calls when it is
		// first executed, adding to each action the escaper its context
		// needs (plainUse reads them): executed without data, it
		// stops at the first field, once escaped.
		_ = t.ExecuteTemplate(io.Discard, "base", nil)
		for _, tt := range t.Templates() {
			if tt.Tree != nil {
				collectNames(tt.Tree.Root, th.nameSet)
			}
		}
		reach := map[string]bool{}
		seen := map[string]bool{}
		plainNav, plainContent := true, true
		var visit func(tmpl string)
		visit = func(tmpl string) {
			if seen[tmpl] {
				return
			}
			seen[tmpl] = true
			tt := t.Lookup(tmpl)
			if tt == nil || tt.Tree == nil {
				return
			}
			plainNav = plainNav && plainUse(tt.Tree.Root, "NavHTML")
			plainContent = plainContent && plainUse(tt.Tree.Root, "Content")
			var calls []string
			collectCalls(tt.Tree.Root, reach, &calls)
			for _, c := range calls {
				visit(c)
			}
		}
		visit("base")
		th.byLayout[name] = reach
		th.plainNav[name] = plainNav
		th.plainContent[name] = plainContent
		th.othersByLayout[name] = othersNames(t)
	}
}

func collectNames(n parse.Node, out map[string]bool) { collectCalls(n, out, nil) }

// navSpliceable reports whether the sidebar of a file of layout may be
// written apart from the rest (Renderer.ShareSidebars): the layout writes
// .NavHTML as it is, and reads nothing else of the sidebar (.Nav). Its
// output is then the same but for the sidebar's bytes, wherever (and
// however often) they are written.
func (th *Theme) navSpliceable(layout string) bool {
	names := th.layoutNames(layout)
	return names != nil && names["NavHTML"] && !names["Nav"] && th.plainNav[layout]
}

// contentSpliceable reports whether the page's HTML may be written into a
// file of layout apart from the rest (Renderer.execPage, when files are
// lent): the layout writes .Content as it is, wherever and however often,
// and reads it in no other way. Its output is then the same as with the
// HTML made into .Content first.
func (th *Theme) contentSpliceable(layout string) bool {
	names := th.layoutNames(layout)
	return names != nil && names["Content"] && th.plainContent[layout]
}

// plainUse reports whether every use of the data's field under n, an
// escaped template's, is an action that writes it as it is (writesField):
// not in an attribute or a script, not a condition, a range, an argument
// or a variable.
func plainUse(n parse.Node, field string) bool {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return true
		}
		for _, c := range n.Nodes {
			if !plainUse(c, field) {
				return false
			}
		}
	case *parse.ActionNode:
		return writesField(n.Pipe, field) || !namesField(n.Pipe, field)
	case *parse.IfNode:
		return !namesField(n.Pipe, field) && plainUse(n.List, field) && plainUse(n.ElseList, field)
	case *parse.RangeNode:
		return !namesField(n.Pipe, field) && plainUse(n.List, field) && plainUse(n.ElseList, field)
	case *parse.WithNode:
		return !namesField(n.Pipe, field) && plainUse(n.List, field) && plainUse(n.ElseList, field)
	case *parse.TemplateNode:
		return !namesField(n.Pipe, field)
	}
	return true
}

// writesField reports whether p is {{.field}} written in HTML text, where
// html/template's escaper leaves HTML as it is: the one it adds there,
// and none other (an attribute's, a script's or a textarea's escape it),
// follows it. A template not yet escaped has none: false.
func writesField(p *parse.PipeNode, field string) bool {
	if p == nil || len(p.Decl) > 0 || len(p.Cmds) == 0 || len(p.Cmds[0].Args) != 1 {
		return false
	}
	f, ok := p.Cmds[0].Args[0].(*parse.FieldNode)
	if !ok || len(f.Ident) != 1 || f.Ident[0] != field {
		return false
	}
	if len(p.Cmds) != 2 || len(p.Cmds[1].Args) != 1 {
		return false
	}
	id, ok := p.Cmds[1].Args[0].(*parse.IdentifierNode)
	return ok && id.Ident == "_html_template_htmlescaper"
}

func namesField(p *parse.PipeNode, field string) bool {
	if p == nil {
		return false
	}
	names := map[string]bool{}
	collectNames(p, names)
	return names[field]
}

// collectCalls adds to out the field and method names n writes and, when
// calls is not nil, appends to it the templates n calls.
func collectCalls(n parse.Node, out map[string]bool, calls *[]string) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectCalls(c, out, calls)
		}
	case *parse.ActionNode:
		collectCalls(n.Pipe, out, calls)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			collectCalls(c, out, calls)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			collectCalls(a, out, calls)
		}
	case *parse.IdentifierNode:
		out[n.Ident] = true // a function's name: see kindReads
	case *parse.FieldNode:
		for _, id := range n.Ident {
			out[id] = true
		}
	case *parse.ChainNode:
		collectCalls(n.Node, out, calls)
		for _, id := range n.Field {
			out[id] = true
		}
	case *parse.VariableNode:
		for _, id := range n.Ident[1:] {
			out[id] = true
		}
	case *parse.IfNode:
		collectCalls(n.Pipe, out, calls)
		collectCalls(n.List, out, calls)
		collectCalls(n.ElseList, out, calls)
	case *parse.RangeNode:
		collectCalls(n.Pipe, out, calls)
		collectCalls(n.List, out, calls)
		collectCalls(n.ElseList, out, calls)
	case *parse.WithNode:
		collectCalls(n.Pipe, out, calls)
		collectCalls(n.List, out, calls)
		collectCalls(n.ElseList, out, calls)
	case *parse.TemplateNode:
		collectCalls(n.Pipe, out, calls)
		if calls != nil {
			*calls = append(*calls, n.Name)
		}
	}
}

// kindReads are the fields of a page's kinds (kindFields: ADR,
// Runbook…) that the functions and methods a layout may call on a page
// read without the layout naming them, by the function's or method's
// name; nil for all the kind's fields. A layout that names another method
// of a page may read anything of it (kindMaskOf).
var kindReads = map[string]map[string][]string{
	"link":            {"ADR": {"Number", "HasNumber"}},
	"ADRLabel":        {"ADR": {"Number", "HasNumber"}},
	"Ref":             {"ADR": {"Number", "HasNumber"}},
	"overdue":         {"Runbook": nil},
	"dueIn":           {"Runbook": nil},
	"ReviewOverdue":   {"Runbook": nil},
	"readingTime":     {},
	"ReadingMinutes":  {},
	"BacklinksByKind": {},
	"relationLists":   {"ADR": {"Number", "HasNumber"}},
	"backlinkLists":   {"ADR": {"Number", "HasNumber"}},
	"relatedList":     {"ADR": {"Number", "HasNumber"}},
	"tagLinks":        {},
	"adrTable":        {"ADR": {"Number", "HasNumber", "Status"}},
	"postmortemTable": {"Postmortem": {"Severity", "Status", "ImpactStart", "DetectedAt", "ResolvedAt"}},
	"runbookTable":    {"Runbook": nil},
	"evaluationTable": {"Evaluation": {"Ring", "Quadrant", "QuadrantLabel"}},
	"postList":        {},
	"pageList":        {},
	"mixedList":       {},
}

// parsedType is page.Page, what a page's parse gives it.
var parsedType = reflect.TypeFor[page.Page]()

// kindFields returns the indexes of page.Page's fields that point to the
// fields of one kind (ADR, Runbook, Postmortem…). Computed once.
var kindFields = sync.OnceValue(func() []int {
	var out []int
	for i := 0; i < parsedType.NumField(); i++ {
		f := parsedType.Field(i)
		if f.IsExported() && f.Type.Kind() == reflect.Pointer && f.Type.Elem().Kind() == reflect.Struct {
			out = append(out, i)
		}
	}
	return out
})

// A kindMask says, for each of kindFields, which fields of the kind a
// layout cannot read; nil for one it may read whole.
type kindMask [][]bool

// skips reports whether field i of kind k is left out.
func (m kindMask) skips(k, i int) bool { return m != nil && m[k] != nil && m[k][i] }

// key names the mask, for readings that share one.
func (m kindMask) key() []byte {
	var b []byte
	for _, fields := range m {
		b = append(b, '|')
		for _, skip := range fields {
			if skip {
				b = append(b, '1')
			} else {
				b = append(b, '0')
			}
		}
	}
	return b
}

// kindMaskOf returns what a layout that writes names (layoutNames) cannot
// read of a page's kind: the fields of a kind it never names (.ADR), but
// those the functions and methods it calls read (kindReads). A layout
// reaches a kind's fields only through its name, or a function or method
// given the page; one that calls a method of a page kindReads does not
// know, or a layout the theme does not have (names nil), reads them all:
// nil.
//
// An ADR's status shows on its page and in the lists of decisions, not in
// the backlinks of the pages it links to, whose layout never names .ADR:
// a status edit renders again only the files that show it.
func kindMaskOf(names map[string]bool) kindMask {
	if names == nil {
		return nil
	}
	for _, t := range []reflect.Type{reflect.TypeFor[*site.Page](), reflect.PointerTo(parsedType)} {
		for i := 0; i < t.NumMethod(); i++ {
			if m := t.Method(i).Name; names[m] && kindReads[m] == nil {
				return nil
			}
		}
	}
	mask := make(kindMask, len(kindFields()))
	for k, i := range kindFields() {
		f := parsedType.Field(i)
		if names[f.Name] {
			continue
		}
		read := map[string]bool{}
		whole := false
		for name, reads := range kindReads {
			if fields, ok := reads[f.Name]; ok && names[name] {
				whole = whole || fields == nil
				for _, r := range fields {
					read[r] = true
				}
			}
		}
		if whole {
			continue
		}
		st := f.Type.Elem()
		mask[k] = make([]bool, st.NumField())
		for j := range mask[k] {
			mask[k][j] = !read[st.Field(j).Name]
		}
	}
	return mask
}

// methodReads are the fields of site.Page that its methods, and the
// functions given a page, read of other pages, for layouts that call them
// by name.
var methodReads = map[string][]string{
	"BacklinksByKind": {"Backlinks"},
	"relationLists":   {"Relations", "Incoming"},
	"backlinkLists":   {"Backlinks"},
	"relatedList":     {"RelatedPages"},
	"adrTable":        {"SupersededBy"},
}

var (
	pageLinksOnce sync.Once
	pageLinks     []int // fields of site.Page that hold other pages
)

// unreadLinks returns the indexes of site.Page's fields that hold other
// pages (Backlinks, RelatedPages, Relations…) which no layout of th names:
// no layout reaches the pages in them through that page, so a page's
// fingerprint leaves them out. A page named by the data, and shown, is
// fingerprinted through the data itself.
func unreadLinks(th *Theme) map[int]bool {
	return unreadBy(th.names())
}

// unreadBy returns the indexes of site.Page's fields that hold other pages
// and that names, the names a layout reads, do not name.
func unreadBy(names map[string]bool) map[int]bool {
	read := map[string]bool{}
	for n := range names {
		read[n] = true
		for _, f := range methodReads[n] {
			read[f] = true
		}
	}
	out := map[int]bool{}
	t := reflect.TypeFor[site.Page]()
	for _, i := range linkFields() {
		if !read[t.Field(i).Name] {
			out[i] = true
		}
	}
	return out
}

// everyLink returns the indexes of site.Page's fields that hold other
// pages, as a set: what a reading that reads none of them leaves out.
func everyLink() map[int]bool {
	out := map[int]bool{}
	for _, i := range linkFields() {
		out[i] = true
	}
	return out
}

// linkFields returns the indexes of site.Page's fields that hold other
// pages. Computed once.
func linkFields() []int {
	pageLinksOnce.Do(func() {
		t := reflect.TypeFor[site.Page]()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.IsExported() && holdsPages(f.Type, map[reflect.Type]bool{}) {
				pageLinks = append(pageLinks, i)
			}
		}
	})
	return pageLinks
}

// holdsPages reports whether values of t can hold a *site.Page.
func holdsPages(t reflect.Type, seen map[reflect.Type]bool) bool {
	if t == pageType {
		return true
	}
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return holdsPages(t.Elem(), seen)
	case reflect.Map:
		return holdsPages(t.Key(), seen) || holdsPages(t.Elem(), seen)
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if holdsPages(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}
