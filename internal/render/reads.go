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
	th.namesOnce.Do(func() {
		th.nameSet = map[string]bool{}
		for _, t := range th.layouts {
			for _, tt := range t.Templates() {
				if tt.Tree != nil {
					collectNames(tt.Tree.Root, th.nameSet)
				}
			}
		}
	})
	return th.nameSet
}

func collectNames(n parse.Node, out map[string]bool) {
	switch n := n.(type) {
	case nil:
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			collectNames(c, out)
		}
	case *parse.ActionNode:
		collectNames(n.Pipe, out)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			collectNames(c, out)
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			collectNames(a, out)
		}
	case *parse.FieldNode:
		for _, id := range n.Ident {
			out[id] = true
		}
	case *parse.ChainNode:
		collectNames(n.Node, out)
		for _, id := range n.Field {
			out[id] = true
		}
	case *parse.VariableNode:
		for _, id := range n.Ident[1:] {
			out[id] = true
		}
	case *parse.IfNode:
		collectNames(n.Pipe, out)
		collectNames(n.List, out)
		collectNames(n.ElseList, out)
	case *parse.RangeNode:
		collectNames(n.Pipe, out)
		collectNames(n.List, out)
		collectNames(n.ElseList, out)
	case *parse.WithNode:
		collectNames(n.Pipe, out)
		collectNames(n.List, out)
		collectNames(n.ElseList, out)
	case *parse.TemplateNode:
		collectNames(n.Pipe, out)
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
	pageLinksOnce.Do(func() {
		t := reflect.TypeFor[site.Page]()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.IsExported() && holdsPages(f.Type, map[reflect.Type]bool{}) {
				pageLinks = append(pageLinks, i)
			}
		}
	})
	names := th.names()
	read := map[string]bool{}
	for n := range names {
		read[n] = true
		for _, f := range methodReads[n] {
			read[f] = true
		}
	}
	out := map[int]bool{}
	t := reflect.TypeFor[site.Page]()
	for _, i := range pageLinks {
		if !read[t.Field(i).Name] {
			out[i] = true
		}
	}
	return out
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
