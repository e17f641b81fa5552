// Package manifest reads and writes a site manifest: manifest.json, which
// every handbook build writes at the top of its output. It says what the
// built site holds — every page's URL, title, kind, the ids its #fragments
// may name and the keys its [[references]] may use — and which
// repositories (sources) and commits it was built from, with the folders
// taken from each and where they are mounted.
//
// With it, one repository of a handbook built from many is checked alone:
// handbook check --site manifest.json reads that repository's pages from
// its work tree, mounted as the full build mounts them, and resolves their
// links into the rest of the handbook against the manifest (Remote), so
// that a pull request gets the verdicts the full build would give, without
// fetching the other repositories. handbook serve --site previews the
// repository's pages inside the published site.
//
// # Format
//
// A manifest is one JSON object, compact, its keys and lists in a fixed
// order, so that the same site gives the same bytes:
//
//	{
//	  "version": 1,
//	  "title": "Acme handbook",
//	  "base_url": "https://handbook.acme.dev/",
//	  "built": "2026-11-18T10:13:20Z",
//	  "sources": [
//	    {"name": "", "repo": "https://github.com/acme/handbook",
//	     "roots": [{"dir": "content", "mount": "/"}, {"dir": "runbooks", "mount": "/runbooks/", "kind": "runbook"}]},
//	    {"name": "payments", "repo": "https://github.com/acme/payments", "ref": "main", "commit": "8f14e45f…",
//	     "roots": [{"dir": "docs/runbooks", "mount": "/runbooks/payments/", "kind": "runbook", "kinds": ["runbook", "adr"]}]}
//	  ],
//	  "pages": [
//	    {"url": "/runbooks/payments/db-failover/", "title": "Database failover", "kind": "runbook",
//	     "path": "payments:docs/runbooks/db-failover.md", "source": "payments",
//	     "ids": ["escalation", "mitigation"], "refs": ["name:db-failover", "title:database failover"],
//	     "visibility": "internal", "linked_from": ["/runbooks/platform/deploy/"]}
//	  ],
//	  "files": ["/docs/diagram.svg"]
//	}
//
// version is 1; Read refuses any other. Fields may be added to version 1,
// and readers ignore those they do not know; a change that an older
// reader would misread makes a new version. built is the build's time
// (site.Config.Now: SOURCE_DATE_EPOCH when set), not the wall clock.
//
// sources lists the repositories, sorted by name. The site's own
// repository is the source named "" and comes first; its roots' dirs are
// relative to the site folder. A source's repo is the web address of its
// repository (or its git URL when no web address is known), ref the
// branch, tag or commit handbook.yaml asks for, commit the commit built.
// Each root is a folder of the repository (dir), the site path it is
// mounted at (mount), the kind of its pages that neither front matter nor
// folder names (kind), and the only kinds taken from it (kinds), as in
// handbook.yaml's sources: entry. The site's own commit is "" unless the
// build is told it.
//
// pages lists every page of the build, drafts included (draft: true), by
// URL. path is the page's file as positions show it: relative to the site
// folder for the site's own pages, "name:path-in-repository" for a
// source's. source names its repository. ids are every id the page
// renders (headings, {#custom} ids, footnotes, ids kept in raw HTML): what
// a #fragment is checked against. refs are the keys a reference finds the
// page by (site.Page.RefKeys): "number:7" for ADR 7, "name:x" for its
// file's stem (not for a folder's index), its URL's last part, an ADR's id
// and the last part of each alias, "title:x" for its title, lower case.
// aliases are its old URLs as written. visibility is internal or public.
// An ADR has number (when it has one), status, and the URLs of the ADRs it
// supersedes and is superseded by. linked_from are the URLs of the pages
// that link to it or name it in their front matter. A build with
// --profile writes the profile's pages only; check --site wants the
// manifest of the full build.
//
// files are the site paths of the files the build copies as they are:
// those beside the pages and those of the site's static folder; folders
// follow from the pages' URLs.
//
// The manifest does not carry handbook.yaml: check --site reads the
// repository's own handbook.yaml, if it has one, for kinds, fields and
// rule settings, and only the roots, mounts, kinds and base URL come from
// the manifest.
package manifest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/site"
)

// Version is the version of the format this package writes and reads.
const Version = 1

// File is the name of the manifest in a build's output.
const File = "manifest.json"

// Manifest is a site's manifest.
type Manifest struct {
	Version int       `json:"version"`
	Title   string    `json:"title"`
	BaseURL string    `json:"base_url"`
	Built   time.Time `json:"built"`
	Sources []Source  `json:"sources"`
	Pages   []Page    `json:"pages"`
	Files   []string  `json:"files,omitempty"`
}

// Source is a repository the site was built from; Name "" is the site's
// own.
type Source struct {
	Name   string `json:"name"`
	Repo   string `json:"repo,omitempty"`
	Ref    string `json:"ref,omitempty"`
	Commit string `json:"commit,omitempty"`
	Roots  []Root `json:"roots"`
}

// Root is a folder of a source's repository and where the site mounts it.
type Root struct {
	// Dir is the folder, slash-separated, relative to the top of the
	// repository (to the site folder for the site's own roots).
	Dir   string `json:"dir"`
	Mount string `json:"mount"`
	Kind  string `json:"kind,omitempty"`
	// Kinds, if set, are the only kinds of page taken from the folder.
	Kinds []string `json:"kinds,omitempty"`
}

// Page is a page of the site.
type Page struct {
	URL    string `json:"url"`
	Title  string `json:"title"`
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	Source string `json:"source,omitempty"`
	// IDs are the ids a #fragment naming the page is checked against.
	IDs []string `json:"ids,omitempty"`
	// Refs are the keys a reference finds the page by (site.Page.RefKeys).
	Refs       []string `json:"refs,omitempty"`
	Aliases    []string `json:"aliases,omitempty"`
	Draft      bool     `json:"draft,omitempty"`
	Visibility string   `json:"visibility,omitempty"`
	// Number is an ADR's number, if it has one; Status its status.
	Number       *int     `json:"number,omitempty"`
	Status       string   `json:"status,omitempty"`
	Supersedes   []string `json:"supersedes,omitempty"`
	SupersededBy []string `json:"superseded_by,omitempty"`
	// LinkedFrom are the URLs of the pages that link to this one or name
	// it in their front matter.
	LinkedFrom []string `json:"linked_from,omitempty"`
}

// FromSite returns the manifest of a loaded site. sources give what the
// site does not know of its repositories (repository, ref, commit), by
// name; their roots are taken from the site, else from the sources
// given.
func FromSite(s *site.Site, sources []Source) *Manifest {
	cfg := &s.Config
	m := &Manifest{Version: Version, Title: cfg.Title, BaseURL: cfg.BaseURL, Built: cfg.Now.UTC().Truncate(time.Second)}
	given := map[string]Source{}
	for _, src := range sources {
		given[src.Name] = src
	}
	byName := map[string]*Source{}
	source := func(name string) *Source {
		if src := byName[name]; src != nil {
			return src
		}
		g := given[name]
		src := &Source{Name: name, Repo: g.Repo, Ref: g.Ref, Commit: g.Commit}
		byName[name] = src
		return src
	}
	kindOf := func(r site.Root) string {
		if r.Kind != "" {
			return string(r.Kind)
		}
		return string(cfg.KindDirs[strings.ToLower(path.Base(filepath.ToSlash(r.Dir)))])
	}
	addRoot := func(src *Source, rt Root) {
		if !slices.ContainsFunc(src.Roots, func(o Root) bool { return o.Dir == rt.Dir }) {
			src.Roots = append(src.Roots, rt)
		}
	}
	for _, r := range s.Roots() {
		src := source(r.Source)
		dir := r.RepoPath
		if r.Source == "" {
			dir = "."
			if rel, err := filepath.Rel(cfg.Dir, r.Dir); err == nil && rel != "." {
				dir = filepath.ToSlash(rel)
			}
		} else if src.Repo == "" {
			src.Repo = r.Repo
		}
		addRoot(src, Root{Dir: dir, Mount: r.Mount, Kind: kindOf(r), Kinds: kindNames(r.Kinds)})
	}
	// The folders of a source that were not there to read.
	for _, cs := range cfg.Sources {
		src := source(cs.Name)
		if src.Repo == "" {
			src.Repo = cmp.Or(cs.Web, cs.Repo)
		}
		if src.Ref == "" {
			src.Ref = cs.Ref
		}
		for _, p := range cs.Paths {
			addRoot(src, Root{Dir: p.Dir, Mount: mountOf(p.Mount), Kind: kindOf(p), Kinds: kindNames(cs.Kinds)})
		}
	}
	for _, g := range sources {
		if len(g.Roots) > 0 {
			src := source(g.Name)
			for _, rt := range g.Roots {
				addRoot(src, rt)
			}
		}
	}
	if own := byName[""]; own != nil && own.Repo == "" {
		own.Repo = cfg.Git.Repo
	}
	for _, src := range byName {
		m.Sources = append(m.Sources, *src)
	}
	// A page's entry reads only the page; at 100,000 pages they were seconds
	// of a build's end on one core.
	m.Pages = make([]Page, len(s.Pages))
	_ = parallel.Each(context.Background(), len(s.Pages), 0, func(i int) error {
		m.Pages[i] = fromPage(s.Pages[i])
		return nil
	})
	for _, f := range s.Files {
		m.Files = append(m.Files, f.URL)
	}
	m.sort()
	return m
}

func fromPage(p *site.Page) Page {
	q := Page{
		URL: p.URL, Title: p.Title, Kind: string(p.Kind), Path: p.Path,
		Refs: p.RefKeys(), Aliases: slices.Clone(p.Aliases), Draft: p.Draft, Visibility: p.Visibility,
	}
	if p.Root != nil {
		q.Source = p.Root.Source
	}
	if len(p.Doc.IDs) > 0 {
		q.IDs = make([]string, 0, len(p.Doc.IDs))
		for id := range p.Doc.IDs {
			q.IDs = append(q.IDs, id)
		}
	}
	if p.ADR != nil {
		if p.ADR.HasNumber {
			n := p.ADR.Number
			q.Number = &n
		}
		q.Status = p.ADR.Status
		q.Supersedes = urls(p.Supersedes, p)
		q.SupersededBy = urls(p.SupersededBy, p)
	}
	q.LinkedFrom = urls(p.Backlinks, p)
	return q
}

func urls(ps []*site.Page, self *site.Page) []string {
	var out []string
	for _, q := range ps {
		if q != self {
			out = append(out, q.URL)
		}
	}
	return out
}

func kindNames(ks []page.Kind) []string {
	var out []string
	for _, k := range ks {
		out = append(out, string(k))
	}
	return out
}

// mountOf is a mount as the site reads it: a slash at both ends.
func mountOf(m string) string {
	m = "/" + strings.Trim(m, "/") + "/"
	if m == "//" {
		return "/"
	}
	return m
}

// sort puts every list in its fixed order.
func (m *Manifest) sort() {
	slices.SortFunc(m.Sources, func(a, b Source) int { return cmp.Compare(a.Name, b.Name) })
	for i := range m.Sources {
		slices.SortStableFunc(m.Sources[i].Roots, func(a, b Root) int {
			return cmp.Or(cmp.Compare(a.Mount, b.Mount), cmp.Compare(a.Dir, b.Dir))
		})
	}
	slices.SortFunc(m.Pages, func(a, b Page) int { return cmp.Or(cmp.Compare(a.URL, b.URL), cmp.Compare(a.Path, b.Path)) })
	for i := range m.Pages {
		p := &m.Pages[i]
		for _, l := range [][]string{p.IDs, p.Refs, p.Supersedes, p.SupersededBy, p.LinkedFrom} {
			slices.Sort(l)
		}
		p.IDs, p.Refs = slices.Compact(p.IDs), slices.Compact(p.Refs)
		p.LinkedFrom = slices.Compact(p.LinkedFrom)
	}
	slices.Sort(m.Files)
	m.Files = slices.Compact(m.Files)
}

// Write writes the manifest as compact JSON (10,000 pages make 10 MB even
// so; indenting cost a build a third of a second), its lists in their fixed
// order: the same manifest always gives the same bytes. It writes the
// whole manifest in one Write, once it is encoded: nothing is written of
// one that fails.
func (m *Manifest) Write(w io.Writer) error {
	c := *m
	c.sort()
	b, err := c.encode()
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	_, err = w.Write(b)
	return err
}

// pagesKey is the pages' key and value in a manifest encoded without its
// pages: the only place it can be, since every quote inside a string is
// escaped.
const pagesKey = `"pages":null`

// encode encodes the manifest as encoding/json does, with a newline after
// it; its pages on every core, in blocks spliced in where encoding/json
// would write them (at 100,000 pages, 73 MB took 3 s on one core).
func (m *Manifest) encode() ([]byte, error) {
	if len(m.Pages) < 2*pageBlock {
		return encodeJSON(m)
	}
	c := *m
	c.Pages = nil
	head, err := encodeJSON(&c)
	if err != nil {
		return nil, err
	}
	at := bytes.Index(head, []byte(pagesKey))
	if at < 0 {
		return nil, errors.New("no pages in the encoded manifest")
	}
	blocks := make([][]byte, (len(m.Pages)+pageBlock-1)/pageBlock)
	err = parallel.Each(context.Background(), len(blocks), 0, func(k int) error {
		var buf bytes.Buffer
		enc := newEncoder(&buf)
		for i := k * pageBlock; i < min(len(m.Pages), (k+1)*pageBlock); i++ {
			if err := enc.Encode(&m.Pages[i]); err != nil {
				return err
			}
			// The encoder ends each value with a newline: a comma in
			// its place, but after the last of the manifest.
			buf.Bytes()[buf.Len()-1] = ','
		}
		blocks[k] = buf.Bytes()
		return nil
	})
	if err != nil {
		return nil, err
	}
	n := len(head) - len(pagesKey) + len(`"pages":[]`)
	for _, b := range blocks {
		n += len(b)
	}
	out := make([]byte, 0, n)
	out = append(out, head[:at]...)
	out = append(out, `"pages":[`...)
	for _, b := range blocks {
		out = append(out, b...)
	}
	out[len(out)-1] = ']' // the last page's comma
	return append(out, head[at+len(pagesKey):]...), nil
}

// pageBlock is how many pages one goroutine encodes at a time.
const pageBlock = 512

// encodeJSON encodes v as the manifest is: compact, HTML characters as
// they are, a newline after it.
func encodeJSON(v any) ([]byte, error) {
	var b bytes.Buffer
	if err := newEncoder(&b).Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// newEncoder is an encoder writing as the manifest is written: HTML
// characters as they are.
func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// Bytes is the manifest as Write writes it.
func (m *Manifest) Bytes() []byte {
	c := *m
	c.sort()
	b, _ := c.encode() // strings, numbers and lists of them only
	return b
}

// ErrVersion is a manifest of a version this package does not know.
var ErrVersion = errors.New("unknown manifest version")

// Timeout is how long Read waits for a manifest over HTTP.
const Timeout = 30 * time.Second

// Read reads the manifest at pathOrURL: a file, or an http(s) URL fetched
// within Timeout (or ctx's deadline, if sooner). Errors name where the
// manifest came from; a manifest that is not valid JSON is reported at
// its line and column, and one of another version is refused (ErrVersion).
func Read(ctx context.Context, pathOrURL string) (*Manifest, error) {
	data, err := fetch(ctx, pathOrURL)
	if err != nil {
		return nil, err
	}
	return Parse(pathOrURL, data)
}

// fetch returns the bytes at pathOrURL.
func fetch(ctx context.Context, pathOrURL string) ([]byte, error) {
	if !strings.HasPrefix(pathOrURL, "http://") && !strings.HasPrefix(pathOrURL, "https://") {
		data, err := os.ReadFile(pathOrURL)
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		return data, nil
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, pathOrURL, nil)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", pathOrURL, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("manifest %s: %s", pathOrURL, resp.Status)
	}
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("manifest %s: %w", pathOrURL, err)
	}
	return data, nil
}

// Parse reads a manifest from data; name says where it is from, for
// errors ("name:line:col: …").
func Parse(name string, data []byte) (*Manifest, error) {
	var head struct {
		Version *int `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return nil, jsonError(name, data, err)
	}
	switch {
	case head.Version == nil:
		return nil, fmt.Errorf("%s: %w: no \"version\"; is it the manifest.json of a handbook build?", name, ErrVersion)
	case *head.Version != Version:
		return nil, fmt.Errorf("%s: %w %d; this handbook reads version %d: use a handbook of the version that built the site", name, ErrVersion, *head.Version, Version)
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, jsonError(name, data, err)
	}
	for i, p := range m.Pages {
		if !strings.HasPrefix(p.URL, "/") {
			return nil, fmt.Errorf("%s: page %d (%s): url %q does not start with /", name, i+1, p.Path, p.URL)
		}
	}
	m.sort()
	return &m, nil
}

// jsonError places a JSON error at its line and column in data.
func jsonError(name string, data []byte, err error) error {
	off := -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	// The offsets are of the byte after the one in error; the end of the
	// input is after its last byte.
	switch {
	case errors.As(err, &se) && strings.Contains(se.Error(), "unexpected end"):
		off = len(data)
	case errors.As(err, &se):
		off = int(se.Offset) - 1
	case errors.As(err, &te):
		off = int(te.Offset) - 1
	}
	if off < 0 {
		return fmt.Errorf("%s: %w", name, err)
	}
	off = min(off, len(data))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Errorf("%s:%d:%d: %w", name, line, col, err)
}

// Source returns the source named name, or nil.
func (m *Manifest) Source(name string) *Source {
	for i := range m.Sources {
		if m.Sources[i].Name == name {
			return &m.Sources[i]
		}
	}
	return nil
}

// SourceNames lists the names of the sources, "" shown as ".".
func (m *Manifest) SourceNames() []string {
	var out []string
	for _, s := range m.Sources {
		out = append(out, cmp.Or(s.Name, "."))
	}
	return out
}

// ByRepo returns the source whose repository is repo, a git remote's URL
// (https, ssh or scp-like, with or without .git) or a web address, or nil.
func (m *Manifest) ByRepo(repo string) *Source {
	want := NormalizeRepo(repo)
	if want == "" {
		return nil
	}
	for i := range m.Sources {
		if NormalizeRepo(m.Sources[i].Repo) == want {
			return &m.Sources[i]
		}
	}
	return nil
}

// NormalizeRepo reduces a repository's address to host/path, lower case:
// "git@github.com:Acme/payments.git", "ssh://git@github.com/acme/payments"
// and "https://github.com/acme/payments/" are all "github.com/acme/payments".
func NormalizeRepo(repo string) string {
	r := strings.TrimSpace(repo)
	if i := strings.Index(r, "://"); i >= 0 {
		r = r[i+3:]
		if at := strings.LastIndex(strings.SplitN(r, "/", 2)[0], "@"); at >= 0 {
			r = r[at+1:]
		}
		if host, rest, ok := strings.Cut(r, "/"); ok {
			if h, _, ok := strings.Cut(host, ":"); ok {
				host = h // a port
			}
			r = host + "/" + rest
		}
	} else if colon := strings.Index(r, ":"); colon > 0 && !strings.Contains(r[:colon], "/") {
		host := r[:colon]
		if at := strings.LastIndex(host, "@"); at >= 0 {
			host = host[at+1:]
		}
		r = host + "/" + strings.TrimPrefix(r[colon+1:], "/")
	} else {
		return "" // a local path
	}
	r = strings.TrimSuffix(strings.TrimSuffix(r, "/"), ".git")
	return strings.ToLower(r)
}

// SiteRoots returns the roots of the source named name as roots of a site
// whose folder is the top of that repository: each folder, mounted and of
// the kind the full build gives it, with Source and RepoPath set so that
// positions read as the full build's ("payments:docs/runbooks/x.md").
// The site's own source ("") gives plain roots.
func (m *Manifest) SiteRoots(name string) []site.Root {
	src := m.Source(name)
	if src == nil {
		return nil
	}
	var out []site.Root
	for _, r := range src.Roots {
		sr := site.Root{Dir: filepath.FromSlash(r.Dir), Mount: r.Mount, Kind: page.Kind(r.Kind)}
		for _, k := range r.Kinds {
			sr.Kinds = append(sr.Kinds, page.Kind(k))
		}
		if name != "" {
			sr.Source, sr.RepoPath, sr.Repo = name, r.Dir, src.Repo
		}
		out = append(out, sr)
	}
	return out
}

// Remote returns the pages of every source but local, for a site that
// holds local's pages itself (site.Config.Remote).
func (m *Manifest) Remote(local string) *site.Remote {
	ix := newIndex(m, local)
	return &site.Remote{
		Page: func(u string) (site.RemotePage, bool) {
			p := ix.byURL[u]
			if p == nil {
				return site.RemotePage{}, false
			}
			return p.remote(), true
		},
		Alias: func(u string) (string, bool) {
			v, ok := ix.alias[u]
			return v, ok
		},
		Named:  func(key string) []string { return ix.named[key] },
		File:   func(mp string) (string, bool) { v, ok := ix.file[mp]; return v, ok },
		Exists: func(p string) bool { return ix.exists[p] },
		LinkedFrom: func(u string) []string {
			// The pages of local are the site's now: their links are its
			// own.
			var out []string
			for _, v := range ix.linkedFrom[u] {
				if ix.byURL[v] != nil {
					out = append(out, v)
				}
			}
			return out
		},
	}
}

// index finds the pages of a manifest's other sources.
type index struct {
	byURL      map[string]*Page
	alias      map[string]string
	named      map[string][]string
	file       map[string]string
	exists     map[string]bool
	linkedFrom map[string][]string
}

func newIndex(m *Manifest, local string) *index {
	ix := &index{byURL: map[string]*Page{}, alias: map[string]string{}, named: map[string][]string{},
		file: map[string]string{}, exists: map[string]bool{}, linkedFrom: map[string][]string{}}
	roots := map[string][]Root{}
	for _, s := range m.Sources {
		roots[s.Name] = s.Roots
	}
	all := map[string]bool{}
	for i := range m.Pages {
		all[m.Pages[i].URL] = true
	}
	for i := range m.Pages {
		p := &m.Pages[i]
		// Every page answers for its incoming links, the local ones too.
		ix.linkedFrom[p.URL] = p.LinkedFrom
		if p.Source == local {
			continue
		}
		ix.byURL[p.URL] = p
		for _, k := range p.Refs {
			ix.named[k] = append(ix.named[k], p.URL)
		}
		for _, a := range p.Aliases {
			u := "/" + strings.Trim(strings.TrimSpace(a), "/") + "/"
			if _, ok := ix.alias[u]; !ok && !all[u] {
				ix.alias[u] = p.URL
			}
		}
		if mp := mountPath(p, roots[p.Source]); mp != "" {
			ix.file[mp] = p.URL
		}
		ix.exists[p.URL] = true
		folders(ix.exists, p.URL)
	}
	for _, f := range m.Files {
		ix.exists[f] = true
		folders(ix.exists, f)
	}
	return ix
}

// folders marks the folders above site path u as published.
func folders(exists map[string]bool, u string) {
	for d := path.Dir(strings.TrimSuffix(u, "/")); d != "/" && d != "."; d = path.Dir(d) {
		exists[d+"/"] = true
	}
}

// mountPath is where p's file is in mount space: the mount of the root
// holding it followed by its path inside the root.
func mountPath(p *Page, roots []Root) string {
	rel := p.Path
	if p.Source != "" {
		rel = strings.TrimPrefix(rel, p.Source+":")
	}
	best := -1
	for i, r := range roots {
		if (r.Dir == "." || strings.HasPrefix(rel, r.Dir+"/")) && (best < 0 || len(r.Dir) > len(roots[best].Dir)) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	r := roots[best]
	if r.Dir != "." {
		rel = strings.TrimPrefix(rel, r.Dir+"/")
	}
	return mountOf(r.Mount) + rel
}

func (p *Page) remote() site.RemotePage {
	rp := site.RemotePage{
		URL: p.URL, Title: p.Title, Kind: page.Kind(p.Kind), Path: p.Path, IDs: p.IDs,
		Draft: p.Draft, Visibility: p.Visibility, Status: p.Status,
		Supersedes: p.Supersedes, SupersededBy: p.SupersededBy,
	}
	if p.Number != nil {
		rp.Number, rp.HasNumber = *p.Number, true
	}
	return rp
}
