package render

import (
	"reflect"
	"sync"
	"text/template/parse"

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

// collect fills nameSet and byLayout.
func (th *Theme) collect() {
	th.nameSet = map[string]bool{}
	th.byLayout = map[string]map[string]bool{}
	for name, t := range th.layouts {
		for _, tt := range t.Templates() {
			if tt.Tree != nil {
				collectNames(tt.Tree.Root, th.nameSet)
			}
		}
		reach := map[string]bool{}
		seen := map[string]bool{}
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
			var calls []string
			collectCalls(tt.Tree.Root, reach, &calls)
			for _, c := range calls {
				visit(c)
			}
		}
		visit("base")
		th.byLayout[name] = reach
	}
}

func collectNames(n parse.Node, out map[string]bool) { collectCalls(n, out, nil) }

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

// methodReads are the fields of site.Page that its methods read of other
// pages, for layouts that call the methods by name.
var methodReads = map[string][]string{
	"BacklinksByKind": {"Backlinks"},
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
