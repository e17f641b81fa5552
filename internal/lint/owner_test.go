package lint

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// TestRuleOwners reads the Go code of the repository (internal/... and
// cmd/..., tests left out) for the rule ids its findings carry and checks
// them against the catalog: every id reported is in it, only its Owner
// package reports it, and every rule of the catalog is reported by its
// owner. A finding is a call of diag.List's Errorf(pos, rule, …),
// Warnf(pos, rule, …) or Add(pos, sev, rule, …), or a diag.Diagnostic
// literal; its rule must be a string literal, a constant, a local variable
// set only to literals, or — in this package — the ID of a Rule, whose ids
// are those of Rules().
func TestRuleOwners(t *testing.T) {
	var dirs []string
	for _, top := range []string{"internal", "cmd"} {
		err := filepath.WalkDir(filepath.Join("..", "..", top), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			if d.IsDir() {
				rel, _ := filepath.Rel(filepath.Join("..", ".."), p)
				dirs = append(dirs, filepath.ToSlash(rel))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pkgs := map[string][]*ast.File{}
	fset := token.NewFileSet()
	for _, dir := range dirs {
		files, err := parseDir(fset, filepath.Join("..", "..", filepath.FromSlash(dir)))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) > 0 {
			pkgs[dir] = files
		}
	}
	if len(pkgs["internal/site"]) == 0 || len(pkgs["cmd/handbook"]) == 0 {
		t.Fatalf("the repository's code was not found: %d packages", len(pkgs))
	}
	found, problems := ruleEmissions(fset, pkgs)
	problems = append(problems, checkOwners(append(slices.Clone(catalog), inputChecks...), Rules(), found)...)
	for _, p := range problems {
		t.Error(p)
	}
	if len(found) < len(catalog) {
		t.Errorf("only %d places report a finding; the scan misses some", len(found))
	}
}

// TestRuleOwnersFails shows that TestRuleOwners would fail: on code that
// reports an id missing from the catalog, reports an id from a package
// other than its owner, or hides the id in an expression, and on a catalog
// rule nobody reports.
func TestRuleOwnersFails(t *testing.T) {
	src := map[string]string{
		"internal/site/a.go": `package site
import (
	"fmt"
	"github.com/handbook-dev/handbook/internal/diag"
)
const leftOut = "public-internal-link"
func f(l *diag.List, pos diag.Position, broken bool) {
	l.Errorf(pos, "broken-link", "fine")
	l.Errorf(pos, "no-such-rule", "not in the catalog")
	l.Errorf(pos, leftOut, "owned by lint")
	rule := "broken-reference"
	if broken {
		rule = "ambiguous-reference"
	}
	l.Errorf(pos, rule, "both fine")
	l.Add(pos, diag.Warning, ruleOf(pos), "cannot tell")
	l.Warnf(pos, "unsafe-url", "fine")
	_ = diag.Diagnostic{Pos: pos, Rule: "secret"}
	_ = fmt.Errorf("%s %s", "not", "a finding")
}
`,
		"cmd/handbook/b.go": `package main
import "github.com/handbook-dev/handbook/internal/htmllinks"
func g(out *diag.List, r *lint.Rule) {
	out.Errorf(pos, htmllinks.RuleBrokenLink, "owned by site")
	out.Add(pos, r.Severity, r.ID, "only lint reports a Rule's id")
}
`,
		"internal/htmllinks/c.go": `package htmllinks
const RuleBrokenLink = "broken-link"
`,
	}
	fset := token.NewFileSet()
	pkgs := map[string][]*ast.File{}
	for name, text := range src {
		f, err := parser.ParseFile(fset, name, text, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		pkgs[path.Dir(name)] = append(pkgs[path.Dir(name)], f)
	}
	cat := []RuleInfo{
		{ID: "broken-link", Owner: "internal/site"},
		{ID: "broken-reference", Owner: "internal/site"},
		{ID: "ambiguous-reference", Owner: "internal/site"},
		{ID: "unsafe-url", Owner: "internal/site"},
		{ID: "public-internal-link", Owner: "internal/lint"},
		{ID: "secret", Owner: "internal/lint"},
		{ID: "heading-skip", Owner: "internal/lint"},
		{ID: "never-reported", Owner: "internal/page"},
	}
	found, problems := ruleEmissions(fset, pkgs)
	problems = append(problems, checkOwners(cat, []*Rule{{RuleInfo: cat[6]}}, found)...)
	var got []string
	for _, p := range problems {
		got = append(got, p.Error())
	}
	want := []string{
		`cmd/handbook/b.go:4:18: rule broken-link is reported from cmd/handbook, but its owner is internal/site`,
		`cmd/handbook/b.go:5:27: the rule of this finding is a Rule's ID, which only internal/lint reports (Rules())`,
		`internal/site/a.go:10:16: rule public-internal-link is reported from internal/site, but its owner is internal/lint`,
		`internal/site/a.go:16:27: cannot tell the rule of this finding: ruleOf(pos); use a string literal or a constant`,
		`internal/site/a.go:18:38: rule secret is reported from internal/site, but its owner is internal/lint`,
		`internal/site/a.go:9:16: rule no-such-rule is not in the catalog (internal/lint/catalog.go)`,
		`rule never-reported: nothing reports it, but the catalog says internal/page does`,
		`rule public-internal-link: nothing reports it, but the catalog says internal/lint does`,
		`rule secret: nothing reports it, but the catalog says internal/lint does`,
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// parseDir parses the Go files of dir that are not tests.
func parseDir(fset *token.FileSet, dir string) ([]*ast.File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, e.Name()), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// emission is one place that reports a finding of rule id, in package
// owner (a folder of the repository).
type emission struct {
	id, pkg string
	pos     token.Position
}

// ownerProblem is a finding of TestRuleOwners.
type ownerProblem struct {
	pos token.Position // zero for a problem of the catalog itself
	msg string
}

func (p ownerProblem) Error() string {
	if !p.pos.IsValid() {
		return p.msg
	}
	return fmt.Sprintf("%s:%d:%d: %s", filepath.ToSlash(relToRepo(p.pos.Filename)), p.pos.Line, p.pos.Column, p.msg)
}

// relToRepo shortens ../../internal/x/y.go to internal/x/y.go.
func relToRepo(name string) string {
	return strings.TrimPrefix(filepath.ToSlash(name), "../../")
}

// ruleIDOfRule stands for the ID field of a Rule: the ids of Rules().
const ruleIDOfRule = "\x00Rule.ID"

// ruleEmissions finds every finding reported in pkgs (files by package
// folder), with its rule id; the package diag, which defines List, is
// left out.
func ruleEmissions(fset *token.FileSet, pkgs map[string][]*ast.File) ([]emission, []error) {
	// String constants and variables set once at package level, by package
	// folder, and by the path under which other packages import them.
	consts := map[string]map[string]string{}
	for dir, files := range pkgs {
		consts[dir] = map[string]string{}
		for _, f := range files {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || (gd.Tok != token.CONST && gd.Tok != token.VAR) {
					continue
				}
				for _, spec := range gd.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if i < len(vs.Values) {
							if s, ok := stringLit(vs.Values[i]); ok {
								consts[dir][name.Name] = s
							}
						}
					}
				}
			}
		}
	}

	var found []emission
	var problems []error
	dirs := make([]string, 0, len(pkgs))
	for dir := range pkgs {
		dirs = append(dirs, dir)
	}
	slices.Sort(dirs)
	for _, dir := range dirs {
		if dir == "internal/diag" {
			continue
		}
		for _, f := range pkgs[dir] {
			imports := importNames(f)
			report := func(fn *ast.FuncDecl, rule ast.Expr) {
				pos := fset.Position(rule.Pos())
				ids, msg := ruleIDs(rule, fn, consts[dir], consts, imports)
				if msg != "" {
					problems = append(problems, ownerProblem{pos, msg})
					return
				}
				for _, id := range ids {
					if id == ruleIDOfRule && dir != "internal/lint" {
						problems = append(problems, ownerProblem{pos, "the rule of this finding is a Rule's ID, which only internal/lint reports (Rules())"})
						continue
					}
					found = append(found, emission{id, dir, pos})
				}
			}
			for _, d := range f.Decls {
				fn, _ := d.(*ast.FuncDecl)
				ast.Inspect(d, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.CallExpr:
						if rule := findingRule(n, imports); rule != nil {
							report(fn, rule)
						}
					case *ast.CompositeLit:
						if sel, ok := n.Type.(*ast.SelectorExpr); ok && sel.Sel.Name == "Diagnostic" && isIdent(sel.X, "diag") {
							for i, e := range n.Elts {
								if kv, ok := e.(*ast.KeyValueExpr); ok && isIdent(kv.Key, "Rule") {
									report(fn, kv.Value)
								} else if !ok && i == 2 {
									report(fn, e)
								}
							}
						}
					}
					return true
				})
			}
		}
	}
	return found, problems
}

// findingRule returns the rule argument of a call of diag.List's Errorf,
// Warnf or Add, or nil for any other call. Without types, it goes by the
// method's name and arguments: a method (not a function of an imported
// package such as fmt.Errorf) with enough arguments.
func findingRule(call *ast.CallExpr, imports map[string]string) ast.Expr {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if id, ok := sel.X.(*ast.Ident); ok {
		if _, isPkg := imports[id.Name]; isPkg {
			return nil
		}
	}
	switch {
	case (sel.Sel.Name == "Errorf" || sel.Sel.Name == "Warnf") && len(call.Args) >= 3:
		return call.Args[1]
	case sel.Sel.Name == "Add" && len(call.Args) >= 4:
		return call.Args[2]
	}
	return nil
}

// ruleIDs returns the ids a finding's rule expression can hold, or a
// message saying why it cannot tell.
func ruleIDs(rule ast.Expr, fn *ast.FuncDecl, pkgConsts map[string]string, consts map[string]map[string]string, imports map[string]string) ([]string, string) {
	if s, ok := stringLit(rule); ok {
		return []string{s}, ""
	}
	switch e := rule.(type) {
	case *ast.Ident:
		if ids, ok := localLiterals(fn, e.Name); ok {
			return ids, ""
		}
		if s, ok := pkgConsts[e.Name]; ok {
			return []string{s}, ""
		}
	case *ast.SelectorExpr:
		if x, ok := e.X.(*ast.Ident); ok {
			if dir, ok := imports[x.Name]; ok {
				if s, ok := consts[dir][e.Sel.Name]; ok {
					return []string{s}, ""
				}
				break
			}
		}
		if e.Sel.Name == "ID" {
			return []string{ruleIDOfRule}, ""
		}
	}
	return nil, "cannot tell the rule of this finding: " + exprString(rule) + "; use a string literal or a constant"
}

// localLiterals returns the values assigned to the local variable name in
// fn when every assignment to it is a string literal; false when it is
// not such a variable (a parameter, a result, or set from an expression).
func localLiterals(fn *ast.FuncDecl, name string) ([]string, bool) {
	if fn == nil || fn.Body == nil {
		return nil, false
	}
	var ids []string
	ok := true
	assigned := func(lhs []ast.Expr, rhs []ast.Expr) {
		for i, l := range lhs {
			if !isIdent(l, name) {
				continue
			}
			if len(rhs) != len(lhs) {
				ok = false
				return
			}
			s, lit := stringLit(rhs[i])
			if !lit {
				ok = false
				return
			}
			ids = append(ids, s)
		}
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			assigned(n.Lhs, n.Rhs)
		case *ast.ValueSpec:
			lhs := make([]ast.Expr, len(n.Names))
			for i, id := range n.Names {
				lhs[i] = id
			}
			assigned(lhs, n.Values)
		case *ast.RangeStmt:
			if isIdent(n.Key, name) || isIdent(n.Value, name) {
				ok = false
			}
		}
		return ok
	})
	if ok && len(ids) > 0 {
		for _, list := range []*ast.FieldList{fn.Recv, fn.Type.Params, fn.Type.Results} {
			if list == nil {
				continue
			}
			for _, f := range list.List {
				for _, n := range f.Names {
					if n.Name == name {
						return nil, false
					}
				}
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), ok && len(ids) > 0
}

// checkOwners compares the findings reported with the catalog cat, and
// the rules run (whose ids internal/lint reports through Rule.ID).
func checkOwners(cat []RuleInfo, run []*Rule, found []emission) []error {
	var problems []error
	owner := map[string]string{}
	for _, r := range cat {
		owner[r.ID] = r.Owner
	}
	reporters := map[string]map[string]bool{}
	reported := func(id, pkg string) {
		if reporters[id] == nil {
			reporters[id] = map[string]bool{}
		}
		reporters[id][pkg] = true
	}
	for _, r := range run {
		reported(r.ID, "internal/lint")
	}
	for _, e := range found {
		if e.id == ruleIDOfRule {
			continue
		}
		o, ok := owner[e.id]
		switch {
		case !ok:
			problems = append(problems, ownerProblem{e.pos, fmt.Sprintf("rule %s is not in the catalog (internal/lint/catalog.go)", e.id)})
		case o != e.pkg:
			problems = append(problems, ownerProblem{e.pos, fmt.Sprintf("rule %s is reported from %s, but its owner is %s", e.id, e.pkg, o)})
		}
		reported(e.id, e.pkg)
	}
	for _, r := range cat {
		if r.Owner == "" {
			problems = append(problems, ownerProblem{msg: fmt.Sprintf("rule %s has no owner in the catalog", r.ID)})
			continue
		}
		if !reporters[r.ID][r.Owner] {
			problems = append(problems, ownerProblem{msg: fmt.Sprintf("rule %s: nothing reports it, but the catalog says %s does", r.ID, r.Owner)})
		}
	}
	for _, r := range run {
		if owner[r.ID] != "internal/lint" {
			problems = append(problems, ownerProblem{msg: fmt.Sprintf("rule %s is run by internal/lint (Rules()), but the catalog says %s owns it", r.ID, owner[r.ID])})
		}
	}
	return problems
}

// importNames maps the names a file's imports go by to their package
// folder in the repository ("" for packages outside it).
func importNames(f *ast.File) map[string]string {
	const module = "github.com/handbook-dev/handbook/"
	m := map[string]string{}
	for _, im := range f.Imports {
		p, _ := strconv.Unquote(im.Path.Value)
		name := path.Base(p)
		if strings.HasPrefix(name, "v") && strings.Count(p, "/") > 1 { // gopkg.in/yaml.v3, …/v2
			if _, err := strconv.Atoi(name[1:]); err == nil {
				name = path.Base(path.Dir(p))
			}
		}
		if i := strings.IndexAny(name, ".-"); i >= 0 {
			name = name[:i] // yaml.v3 is yaml, go-internal's guess
		}
		if im.Name != nil {
			name = im.Name.Name
		}
		m[name] = strings.TrimPrefix(p, module)
		if !strings.HasPrefix(p, module) {
			m[name] = ""
		}
	}
	return m
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.CallExpr:
		args := make([]string, len(e.Args))
		for i, a := range e.Args {
			args[i] = exprString(a)
		}
		return exprString(e.Fun) + "(" + strings.Join(args, ", ") + ")"
	case *ast.BasicLit:
		return e.Value
	}
	return fmt.Sprintf("%T", e)
}
