// Package importer turns content written for other tools into handbook
// pages: a Thoughtworks build-your-own-radar CSV or JSON, an AOE technology
// radar, an adr-tools or log4brains decision log, a MkDocs or Docusaurus
// docs folder.
//
// Importing is two steps. A converter (RadarCSV, RadarJSON, AOE, ADRTools,
// Log4brains, MkDocs, Docusaurus) reads its inputs and returns a Plan: the
// files to write, by path relative to the destination folder, and a
// positioned finding for everything it could not carry over as it was —
// a content tab, an MDX component, an admonition type with no callout, a
// link that leaves the imported folder. Converters read, never write, so
// they are tested on in-memory folders (fstest.MapFS). Plan.Write then
// writes the files into the destination folder and never replaces one
// that exists: it skips it and says so.
//
// Every finding is a diag.Diagnostic with the rule id "import", at the
// input file, line and column it is about:
//
//	old/docs/setup.md:12:1: warning import: content tabs are not supported; the tabs were written one after the other under bold titles
//
// What each converter produces is described in content/docs/moving-in.md.
package importer

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
)

// Rule is the rule id of every finding an import reports.
const Rule = "import"

// Input is one thing to import: a file (radar-csv, radar-json) or a
// folder (the others).
type Input struct {
	// Name is the input as shown in findings ("radar/2024-06.csv",
	// "old/doc/adr"): a folder's files are shown as Name/path.
	Name string
	// Data is a file input's contents.
	Data []byte
	// FS is a folder input's contents.
	FS fs.FS
	// Date is when a radar file's blips were placed; zero when unknown
	// (Options.Today is used).
	Date time.Time
}

// Options tune a conversion.
type Options struct {
	// Today dates what has no date of its own.
	Today time.Time
	// Schema names the site's rings and quadrants: a value written in
	// other words ("ADOPT", "Tools") is written as the site's name.
	Schema page.Schema
	// Renumber renames ADRs NNNN-slug.md, numbered in date order, and
	// rewrites the links between them.
	Renumber bool
	// SetKind writes kind: in the front matter of each evaluation and
	// ADR, for a destination folder whose name does not make its pages
	// that kind.
	SetKind bool
}

// Plan is the outcome of a conversion: files to write and findings.
type Plan struct {
	// Files are the files to write, by slash-separated path relative to
	// the destination folder, sorted by path.
	Files []File
	// Diags are the findings, at the input files.
	Diags diag.List
}

// File is one file of a Plan.
type File struct {
	// Path is slash-separated, relative to the destination folder.
	Path string
	Data []byte
	// From is the input file it was made from, as shown in findings; ""
	// when it was made from several or from none.
	From string
}

// Converter reads inputs and plans their import.
type Converter func(in []Input, opt Options) *Plan

// Source is one kind of input an import reads.
type Source struct {
	// Name is the name on the command line ("radar-csv").
	Name string
	// Kind is the kind of page it makes, and Dir the folder of the
	// content root its pages go to by default ("" for the root itself);
	// a site that keeps that kind in a folder of another name (radar/,
	// decisions/) gets them there.
	Kind page.Kind
	Dir  string
	// Files is true when the inputs are files, false for one folder.
	Files bool
	// About is a line for usage.
	About string
	// Convert does the work.
	Convert Converter
	// Locate, for a folder source, finds the folder to read inside the
	// folder named on the command line (a repository's doc/adr); nil
	// reads the folder itself.
	Locate func(fsys fs.FS) (sub string, err error)
}

// Sources are the sources an import reads, in the order usage lists them.
var Sources = []Source{
	{Name: "radar-csv", Kind: page.KindEvaluation, Dir: "evaluations", Files: true, About: "Thoughtworks build-your-own-radar CSV files, one per date", Convert: RadarCSV},
	{Name: "radar-json", Kind: page.KindEvaluation, Dir: "evaluations", Files: true, About: "build-your-own-radar JSON files, one per date", Convert: RadarJSON},
	{Name: "aoe", Kind: page.KindEvaluation, Dir: "evaluations", About: "an AOE technology radar: a folder of release folders", Convert: AOE, Locate: locateAOE},
	{Name: "adr-tools", Kind: page.KindADR, Dir: "adr", About: "an adr-tools decision log (doc/adr/0001-….md)", Convert: ADRTools, Locate: locateADRTools},
	{Name: "log4brains", Kind: page.KindADR, Dir: "adr", About: "a log4brains decision log (docs/adr/YYYYMMDD-….md)", Convert: Log4brains, Locate: locateLog4brains},
	{Name: "mkdocs", Kind: page.KindPage, About: "a MkDocs project (mkdocs.yml and its docs folder)", Convert: MkDocs},
	{Name: "docusaurus", Kind: page.KindPage, Dir: "docs", About: "a Docusaurus site (docs/, sidebars.js, _category_.json)", Convert: Docusaurus},
}

// SourceNamed returns the source called name.
func SourceNamed(name string) (Source, bool) {
	for _, s := range Sources {
		if strings.EqualFold(s.Name, name) {
			return s, true
		}
	}
	return Source{}, false
}

// add appends a file to the plan.
func (p *Plan) add(rel string, data []byte, from string) {
	p.Files = append(p.Files, File{Path: rel, Data: data, From: from})
}

// warnf reports something not carried over as it was.
func (p *Plan) warnf(pos diag.Position, format string, args ...any) {
	p.Diags.Warnf(pos, Rule, format, args...)
}

// errorf reports input that could not be read.
func (p *Plan) errorf(pos diag.Position, format string, args ...any) {
	p.Diags.Errorf(pos, Rule, format, args...)
}

// finish sorts the plan's files and findings, and reports folders that
// two files would introduce.
func (p *Plan) finish() *Plan {
	slices.SortFunc(p.Files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	index := map[string]bool{}
	for _, f := range p.Files {
		if strings.EqualFold(path.Base(f.Path), "index.md") {
			index[path.Dir(f.Path)] = true
		}
	}
	for _, f := range p.Files {
		if strings.EqualFold(path.Base(f.Path), "readme.md") && index[path.Dir(f.Path)] && f.From != "" {
			p.warnf(at(f.From, 0, 0), "%s and index.md both introduce their folder: the site shows index.md at the folder's URL and this file at …/readme/", path.Base(f.Path))
		}
	}
	p.Diags.Sort()
	return p
}

// Written is what Plan.Write did.
type Written struct {
	// Wrote are the files written, Skipped those left alone because a file
	// was there; both as paths under the destination folder.
	Wrote   []string
	Skipped []string
}

// Write writes the plan's files under dir, creating folders as needed. A
// file that exists is never replaced: it is skipped. The error is for a
// file that could not be written; the files written before it stay.
func (p *Plan) Write(dir string) (Written, error) {
	var w Written
	for _, f := range p.Files {
		abs := filepath.Join(dir, filepath.FromSlash(f.Path))
		if _, err := os.Lstat(abs); err == nil {
			w.Skipped = append(w.Skipped, f.Path)
			continue
		}
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			return w, fmt.Errorf("write %s: %w", f.Path, err)
		}
		// O_EXCL: a file that appeared since the check is still not replaced.
		out, err := os.OpenFile(abs, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			w.Skipped = append(w.Skipped, f.Path)
			continue
		}
		if err != nil {
			return w, fmt.Errorf("write %s: %w", f.Path, err)
		}
		_, err = out.Write(f.Data)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return w, fmt.Errorf("write %s: %w", f.Path, err)
		}
		w.Wrote = append(w.Wrote, f.Path)
	}
	return w, nil
}

// shown is the name of a file of a folder input in findings.
func shown(in Input, rel string) string {
	if in.Name == "" || in.Name == "." {
		return rel
	}
	return path.Join(filepath.ToSlash(in.Name), rel)
}

// at is a position in a file of an input.
func at(file string, line, col int) diag.Position {
	return diag.Position{File: file, Line: line, Col: col}
}

// slugWords turns a name into a file name: lower case, words joined by
// hyphens; "C++" is "c-plus-plus", "C#" "c-sharp", "Node.js" "node-js".
func slugWords(name string) string {
	name = strings.NewReplacer("++", " plus plus ", "+", " plus ", "#", " sharp ", "&", " and ", "@", " at ").Replace(name)
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// uniqueName returns base, or base-2, base-3, … the first not in taken,
// and takes it.
func uniqueName(base string, taken map[string]bool) string {
	base = cmp.Or(base, "item")
	name := base
	for i := 2; taken[name]; i++ {
		name = fmt.Sprintf("%s-%d", base, i)
	}
	taken[name] = true
	return name
}

// frontMatter is front matter being built: an ordered YAML mapping.
type frontMatter struct{ node *yaml.Node }

func newFrontMatter() *frontMatter {
	return &frontMatter{node: &yaml.Node{Kind: yaml.MappingNode}}
}

// parseFrontMatter reads front matter text into an ordered mapping; the
// error is for text that is not YAML, or not a mapping.
func parseFrontMatter(raw []byte) (*frontMatter, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return newFrontMatter(), nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return nil, errors.New("front matter is not a mapping of keys to values")
	}
	return &frontMatter{node: m}, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError returns where a YAML error of front matter starting at file
// line first is, and its message without the line.
func yamlError(err error, first int) (line int, msg string) {
	msg = err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return first + n - 1, strings.TrimPrefix(msg[len(m[0]):], "yaml: ")
	}
	return first, strings.TrimPrefix(msg, "yaml: ")
}

// has reports whether key is set (case-insensitively, as handbook reads
// keys), under any of the names given.
func (f *frontMatter) has(keys ...string) bool {
	for i := 0; i+1 < len(f.node.Content); i += 2 {
		for _, k := range keys {
			if strings.EqualFold(f.node.Content[i].Value, k) {
				return true
			}
		}
	}
	return false
}

// get returns the scalar value of key, or "".
func (f *frontMatter) get(key string) string {
	for i := 0; i+1 < len(f.node.Content); i += 2 {
		if strings.EqualFold(f.node.Content[i].Value, key) && f.node.Content[i+1].Kind == yaml.ScalarNode {
			return f.node.Content[i+1].Value
		}
	}
	return ""
}

// remove drops key.
func (f *frontMatter) remove(key string) {
	for i := 0; i+1 < len(f.node.Content); i += 2 {
		if strings.EqualFold(f.node.Content[i].Value, key) {
			f.node.Content = slices.Delete(f.node.Content, i, i+2)
			return
		}
	}
}

// set sets key to a value: a string, an int, a date (time.Time, written
// YYYY-MM-DD), a list of strings or a *yaml.Node.
func (f *frontMatter) set(key string, v any) {
	val := valueNode(v)
	for i := 0; i+1 < len(f.node.Content); i += 2 {
		if strings.EqualFold(f.node.Content[i].Value, key) {
			f.node.Content[i+1] = val
			return
		}
	}
	f.node.Content = append(f.node.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, val)
}

// setDefault sets key unless it is set.
func (f *frontMatter) setDefault(key string, v any) {
	if !f.has(key) {
		f.set(key, v)
	}
}

func valueNode(v any) *yaml.Node {
	switch v := v.(type) {
	case *yaml.Node:
		return v
	case string:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
		if strings.Contains(v, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: fmt.Sprint(v)}
	case time.Time:
		return &yaml.Node{Kind: yaml.ScalarNode, Value: v.Format("2006-01-02")}
	case []string:
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, s := range v {
			n.Content = append(n.Content, valueNode(s))
		}
		return n
	}
	panic(fmt.Sprintf("importer: front matter value of type %T", v))
}

// bytes returns the front matter between --- lines.
func (f *frontMatter) bytes() []byte {
	var b bytes.Buffer
	b.WriteString("---\n")
	if len(f.node.Content) > 0 {
		validUTF8(f.node)
		enc := yaml.NewEncoder(&b)
		enc.SetIndent(2)
		if err := enc.Encode(f.node); err != nil {
			panic(fmt.Sprintf("importer: encode front matter: %v", err))
		}
		enc.Close()
	}
	b.WriteString("---\n")
	return b.Bytes()
}

// validUTF8 replaces the invalid UTF-8 of a YAML tree, which cannot be
// written, by U+FFFD, as the site reads it.
func validUTF8(n *yaml.Node) {
	if !utf8.ValidString(n.Value) {
		n.Value = strings.ToValidUTF8(n.Value, "\uFFFD")
	}
	for _, k := range n.Content {
		validUTF8(k)
	}
}

// page joins front matter and a body.
func (f *frontMatter) page(body []byte) []byte {
	out := f.bytes()
	body = bytes.TrimLeft(body, "\r\n")
	if len(body) == 0 {
		return out
	}
	out = append(out, '\n')
	out = append(out, body...)
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n')
	}
	return out
}

// history builds the YAML of an evaluation's history: one {date, ring}
// per earlier placement, oldest first.
func historyNode(h []page.HistoryEntry) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, e := range h {
		m := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle}
		m.Content = append(m.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Value: "date"}, valueNode(e.Date),
			&yaml.Node{Kind: yaml.ScalarNode, Value: "ring"}, valueNode(e.Ring))
		n.Content = append(n.Content, m)
	}
	return n
}

// lines splits text into lines without their line ends.
func lines(b []byte) []string {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// joinLines joins lines with line ends, ending with one.
func joinLines(ls []string) []byte {
	if len(ls) == 0 {
		return nil
	}
	return []byte(strings.Join(ls, "\n") + "\n")
}

// fence tracks fenced code blocks while reading lines: a line that opens
// or closes a fence, and the lines between, are code.
type fence struct {
	marker string // "```" or "~~~…" of the open fence; "" outside
}

var fenceLine = regexp.MustCompile("^\\s*(`{3,}|~{3,})")

// code reports whether line is code (a fence line or inside a fence) and
// updates the state.
func (f *fence) code(line string) bool {
	m := fenceLine.FindStringSubmatch(line)
	if f.marker == "" {
		if m != nil {
			f.marker = m[1]
			return true
		}
		return false
	}
	if m != nil && m[1][0] == f.marker[0] && len(m[1]) >= len(f.marker) && strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), m[1][:1])) == "" {
		f.marker = ""
	}
	return true
}

// readFile reads name of fsys, with a finding when it cannot.
func readFile(p *Plan, fsys fs.FS, name, shownName string) ([]byte, bool) {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		p.errorf(at(shownName, 0, 0), "cannot read: %v", unwrapPath(err))
		return nil, false
	}
	return b, true
}

// unwrapPath drops the path an fs error repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// walkFiles lists the files of fsys, slash-separated, sorted, leaving out
// hidden files and folders and node_modules.
func walkFiles(fsys fs.FS, root string) ([]string, error) {
	var out []string
	err := fs.WalkDir(fsys, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != root && (strings.HasPrefix(name, ".") || name == "node_modules") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			out = append(out, p)
		}
		return nil
	})
	slices.Sort(out)
	return out, err
}

// isMarkdown reports whether a file name is Markdown.
func isMarkdown(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".md", ".markdown", ".mdx":
		return true
	}
	return false
}

// relTo returns the path of target relative to the folder of from, both
// slash-separated paths under one root.
func relTo(from, target string) string {
	r, err := filepath.Rel(filepath.FromSlash(path.Dir(from)), filepath.FromSlash(target))
	if err != nil {
		return target
	}
	return filepath.ToSlash(r)
}

// SkippedFindings reports the files an import left alone because a file
// was already there (Written.Skipped, relative to dest); from maps a file
// to the source it would have come from.
func SkippedFindings(dest string, skipped []string, from map[string]string) diag.List {
	var out diag.List
	for _, f := range skipped {
		msg := "not written: a file is already there; move it away, or import with --out to another folder"
		if from[f] != "" {
			msg = fmt.Sprintf("not written: a file is already there; move it away, or import with --out to another folder, to import it from %s", from[f])
		}
		out.Warnf(diag.Position{File: path.Join(dest, f)}, Rule, "%s", msg)
	}
	return out
}
