package render

import (
	"html/template"
	"maps"
	"reflect"
	"sync"
	"text/template/parse"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// Where a template's dot (or a variable) stands: the layout's data, the
// file's own page (Data.Page), a value read of the own page that holds no
// other page (its ADR fields, a date), or anything else (the pages of a
// list, a related page, a function's result).
type dotCtx uint8

const (
	ctxOther dotCtx = iota
	ctxRoot
	ctxSelf
)

// ownOnly are the functions and page methods that read only the page
// they are given, or called on, of all pages: called on the own page,
// they read nothing of the pages it names.
var ownOnly = map[string]bool{
	"overdue": true, "dueIn": true, "ReviewOverdue": true, "ADRLabel": true,
	"readingTime": true, "ReadingMinutes": true,
	// Functions of no page.
	"date": true, "join": true, "lower": true, "slug": true, "or": true, "and": true,
	"not": true, "eq": true, "ne": true, "len": true,
}

// listsOwn are the functions that, given a page, list pages it names
// (relatedList its related pages, backlinkLists the pages linking to it,
// relationLists its relations) as links (link, with the kind's label):
// called on the own page, they read of the pages listed what link reads
// and their kind, never the pages those name in turn. A page the own page
// lists is then fingerprinted in its files without its own backlinks and
// related pages: a page removed changes the files that list it, not every
// file listing a page it linked to.
var listsOwn = map[string]bool{"relatedList": true, "backlinkLists": true, "relationLists": true}

// pageMethods are the method names of a page (site.Page and the parse it
// embeds): a method may read, or return, other pages.
var pageMethods = sync.OnceValue(func() map[string]bool {
	out := map[string]bool{}
	for _, t := range []reflect.Type{reflect.TypeFor[*site.Page](), reflect.TypeFor[*page.Page]()} {
		for i := 0; i < t.NumMethod(); i++ {
			out[t.Method(i).Name] = true
		}
	}
	return out
})

// holdsOthers reports whether name is a field of a page that holds other
// pages, or a method of a page: what it gives is not the own page's.
func holdsOthers(name string) bool {
	if pageMethods()[name] {
		return true
	}
	f, ok := pageStruct.FieldByName(name)
	return ok && holdsPages(f.Type, map[reflect.Type]bool{})
}

// othersNames returns the names the layout's execution (from "base")
// reads of pages other than the file's own (Data.Page): every name
// collectCalls gives, but those read only of the own page, through
// .Page, $.Page or a variable holding it, and holding no other page (a
// field of its ADR, its date; its own methods in ownOnly). A page
// reached otherwise — in a range, a function's result, a field holding
// pages, a variable of unknown value — is another page, and every name
// read of it counts. A related page's status, which only the own page's
// header shows, is then left out of the related page's sum in that
// layout's files (render.reading.others).
func othersNames(t *template.Template) map[string]bool {
	c := &selfCollector{t: t, out: map[string]bool{}, seen: map[string]bool{}}
	c.template("base", ctxRoot)
	if c.lost {
		return nil
	}
	return c.out
}

type selfCollector struct {
	t    *template.Template
	out  map[string]bool
	seen map[string]bool // template name and dot, walked
	lost bool            // a template called was not found
	// assigned are the variables of the template being walked that are
	// assigned (=) somewhere in it.
	assigned map[string]bool
}

// scope is the contexts of the variables in scope; $ is the template's
// dot.
type scope map[string]dotCtx

func (c *selfCollector) template(name string, dot dotCtx) {
	key := name + "\x00" + string(rune('0'+dot))
	if c.seen[key] {
		return
	}
	c.seen[key] = true
	tt := c.t.Lookup(name)
	if tt == nil || tt.Tree == nil {
		// Not found: what it reads is not known (othersNames gives nil).
		c.lost = true
		return
	}
	// A variable assigned anywhere in the template (=) may hold another
	// page after it, in the scope where it was declared: it holds one
	// everywhere.
	outer := c.assigned
	c.assigned = map[string]bool{}
	assignedIn(tt.Tree.Root, c.assigned)
	c.list(tt.Tree.Root, dot, scope{"$": dot})
	c.assigned = outer
}

// assignedIn adds to out the variables assigned (=) under n.
func assignedIn(n parse.Node, out map[string]bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			assignedIn(c, out)
		}
	case *parse.ActionNode:
		assignedIn(n.Pipe, out)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		if n.IsAssign {
			for _, v := range n.Decl {
				out[v.Ident[0]] = true
			}
		}
		for _, c := range n.Cmds {
			for _, a := range c.Args {
				assignedIn(a, out)
			}
		}
	case *parse.ChainNode:
		assignedIn(n.Node, out)
	case *parse.IfNode:
		assignedInBranch(&n.BranchNode, out)
	case *parse.RangeNode:
		assignedInBranch(&n.BranchNode, out)
	case *parse.WithNode:
		assignedInBranch(&n.BranchNode, out)
	case *parse.TemplateNode:
		assignedIn(n.Pipe, out)
	}
}

func assignedInBranch(b *parse.BranchNode, out map[string]bool) {
	assignedIn(b.Pipe, out)
	assignedIn(b.List, out)
	assignedIn(b.ElseList, out)
}

func (c *selfCollector) list(n *parse.ListNode, dot dotCtx, vars scope) {
	if n == nil {
		return
	}
	for _, node := range n.Nodes {
		c.node(node, dot, vars)
	}
}

func (c *selfCollector) node(n parse.Node, dot dotCtx, vars scope) {
	switch n := n.(type) {
	case *parse.ListNode:
		c.list(n, dot, vars)
	case *parse.ActionNode:
		c.pipe(n.Pipe, dot, vars)
	case *parse.IfNode:
		inner := maps.Clone(vars) // the pipeline's variables end with the if
		c.pipe(n.Pipe, dot, inner)
		c.list(n.List, dot, maps.Clone(inner))
		c.list(n.ElseList, dot, maps.Clone(inner))
	case *parse.RangeNode:
		inner := maps.Clone(vars)
		c.pipe(n.Pipe, dot, inner)
		for _, v := range n.Pipe.Decl {
			inner[v.Ident[0]] = ctxOther
		}
		c.list(n.List, ctxOther, maps.Clone(inner))
		c.list(n.ElseList, dot, maps.Clone(inner))
	case *parse.WithNode:
		inner := maps.Clone(vars)
		in := c.pipe(n.Pipe, dot, inner)
		c.list(n.List, in, maps.Clone(inner))
		c.list(n.ElseList, dot, maps.Clone(inner))
	case *parse.TemplateNode:
		in := ctxOther
		if n.Pipe != nil {
			in = c.pipe(n.Pipe, dot, vars)
		}
		c.template(n.Name, in)
	}
}

// pipe records the names p reads and returns where its value stands; its
// declared variables stand there too.
func (c *selfCollector) pipe(p *parse.PipeNode, dot dotCtx, vars scope) dotCtx {
	if p == nil {
		return ctxOther
	}
	// Each command after the first is given the one before's value as
	// its last argument.
	res := ctxOther
	for i, cmd := range p.Cmds {
		if i == 0 {
			res = c.command(cmd, dot, vars, nil)
		} else {
			res = c.command(cmd, dot, vars, &res)
		}
	}
	for _, v := range p.Decl {
		if p.IsAssign {
			// An assignment may change what a variable held: whatever
			// it held before, it is another page's now.
			vars[v.Ident[0]] = ctxOther
		} else {
			vars[v.Ident[0]] = res
		}
	}
	return res
}

// command records the names cmd reads and returns where its value
// stands: a lone field chain or variable keeps its place; a function's
// result, or anything else, is another page's. piped, when set, is where
// the value piped into it stands.
func (c *selfCollector) command(cmd *parse.CommandNode, dot dotCtx, vars scope, piped *dotCtx) dotCtx {
	if len(cmd.Args) == 0 {
		return ctxOther
	}
	if len(cmd.Args) == 1 && piped == nil {
		return c.arg(cmd.Args[0], dot, vars)
	}
	// A function call: its arguments, then the function, whose name
	// counts unless it reads only its own page's and is given nothing
	// but the own page's.
	own := piped == nil || *piped == ctxSelf
	for _, a := range cmd.Args[1:] {
		if c.arg(a, dot, vars) != ctxSelf {
			if _, lit := a.(*parse.StringNode); !lit {
				own = false
			}
		}
	}
	switch f := cmd.Args[0].(type) {
	case *parse.IdentifierNode:
		switch {
		case own && listsOwn[f.Ident]:
			// Of the pages the own page names, it reads what a link to
			// each shows.
			c.out["link"] = true
		case !own || !ownOnly[f.Ident]:
			c.out[f.Ident] = true
		}
	default:
		c.arg(f, ctxOther, vars) // a method called with arguments: as of another page
	}
	return ctxOther
}

// arg records the names a reads and returns where its value stands.
func (c *selfCollector) arg(a parse.Node, dot dotCtx, vars scope) dotCtx {
	switch a := a.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return c.chain(a.Ident, dot)
	case *parse.VariableNode:
		at, ok := vars[a.Ident[0]]
		if !ok || c.assigned[a.Ident[0]] {
			at = ctxOther
		}
		return c.chain(a.Ident[1:], at)
	case *parse.ChainNode:
		var at dotCtx = ctxOther
		if p, ok := a.Node.(*parse.PipeNode); ok {
			c.pipe(p, dot, maps.Clone(vars))
		} else {
			c.arg(a.Node, dot, vars)
		}
		return c.chain(a.Field, at)
	case *parse.PipeNode:
		c.pipe(a, dot, maps.Clone(vars))
		return ctxOther
	case *parse.IdentifierNode:
		if !ownOnly[a.Ident] {
			c.out[a.Ident] = true
		}
		return ctxOther
	}
	return ctxOther
}

// chain records the names of a field chain read from a value standing at
// at, and returns where its end stands.
func (c *selfCollector) chain(ids []string, at dotCtx) dotCtx {
	for _, id := range ids {
		switch at {
		case ctxRoot:
			c.out[id] = true // a field of the data
			if id == "Page" {
				at = ctxSelf
			} else {
				at = ctxOther
			}
		case ctxSelf:
			if holdsOthers(id) && !ownOnly[id] {
				c.out[id] = true
				at = ctxOther
			}
		default:
			c.out[id] = true
		}
	}
	return at
}
