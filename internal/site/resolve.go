package site

import (
	"cmp"
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
)

// Relation is a named set of pages a page points at through front matter
// ("Runbooks", "Alternatives").
type Relation struct {
	Name string
	// Key is the front-matter key the relation is written under ("" for
	// inverse relations).
	Key string
	// Kind is set when the relation groups pages of one kind.
	Kind  page.Kind
	Pages []*Page
}

// refIndex finds pages by the names references use.
type refIndex struct {
	byAlias  map[string]*Page // alias site path → page
	byNumber map[int][]*Page
	byName   map[string][]*Page // file stem, URL slug, ADR id: lower case
	byTitle  map[string][]*Page // lower case
	files    map[string]string  // static file on disk → URL
	base     string             // Config.BasePath, which every link gains
}

// buildIndex indexes the pages and files by the names links and
// references use, and gathers, beside it, the paths of the files and
// folders (sitePathExists).
func (s *Site) buildIndex() {
	done := make(chan struct{})
	go func() {
		s.fileURLs = s.folderURLs()
		close(done)
	}()
	defer func() { <-done }()
	n := len(s.Pages)
	ix := &refIndex{byAlias: map[string]*Page{}, byNumber: map[int][]*Page{}, byName: make(map[string][]*Page, 2*n), byTitle: make(map[string][]*Page, n), files: make(map[string]string, len(s.Files)), base: s.Config.BasePath()}
	add := func(m map[string][]*Page, k string, p *Page) {
		if k == "" {
			return
		}
		if l := m[k]; len(l) > 0 && l[len(l)-1] == p {
			return
		}
		m[k] = append(m[k], p)
	}
	var keys []string
	for _, p := range s.Pages {
		adr := ""
		if p.ADR != nil {
			adr = p.ADR.ID
			if p.ADR.HasNumber {
				ix.byNumber[p.ADR.Number] = append(ix.byNumber[p.ADR.Number], p)
			}
		}
		keys = appendNameKeys(keys[:0], p.Path, p.URL, adr, p.IsIndex, p.Aliases)
		for _, k := range keys {
			add(ix.byName, k, p)
		}
		add(ix.byTitle, strings.ToLower(p.Title), p)
		// A renamed page keeps answering to its old URLs.
		for _, a := range p.Aliases {
			u := aliasURL(a)
			if _, taken := s.byURL[u]; !taken {
				ix.byAlias[u] = p
			}
		}
	}
	for _, f := range s.Files {
		ix.files[f.Source] = f.URL
	}
	s.refs = ix
	s.startRemote() // remote: the pages of Config.Remote (remote.go)
}

// appendNameKeys appends the names a page is found by (byName): its file's
// stem unless it is a folder's index, the last part of its URL, its ADR
// id, and the stem of each alias (a renamed page keeps answering to its
// old names), in the order buildIndex adds them.
func appendNameKeys(out []string, src, url, adr string, isIndex bool, aliases []string) []string {
	if !isIndex {
		out = append(out, strings.ToLower(strings.TrimSuffix(path.Base(src), path.Ext(src))))
	}
	out = append(out, path.Base(strings.TrimSuffix(url, "/")))
	if adr != "" {
		out = append(out, strings.ToLower(adr))
	}
	for _, a := range aliases {
		out = append(out, strings.ToLower(strings.TrimSuffix(path.Base(strings.Trim(a, "/")), ".html")))
	}
	return out
}

// nameKeys is appendNameKeys into a new slice.
func nameKeys(src, url, adr string, isIndex bool, aliases []string) []string {
	return appendNameKeys(nil, src, url, adr, isIndex, aliases)
}

// aliasURL is the site path an alias keeps.
func aliasURL(a string) string { return "/" + strings.Trim(strings.TrimSpace(a), "/") + "/" }

// folderURLs returns the site paths of the files and of the folders that
// hold pages, each folder once: its pages' walks up stop at a folder met
// before, whose own folders were met then.
func (s *Site) folderURLs() map[string]bool {
	urls := map[string]bool{}
	for _, f := range s.Files {
		urls[f.URL] = true
	}
	seen := map[string]bool{}
	for _, q := range s.Pages {
		for u := path.Dir(strings.TrimSuffix(q.URL, "/")); !seen[u]; u = path.Dir(u) {
			seen[u] = true
			urls[strings.TrimSuffix(u, "/")+"/"] = true
			if u == "/" || u == "." {
				break
			}
		}
	}
	return urls
}

var adrNumberRE = regexp.MustCompile(`(?i)^adr[-_ :]?0*(\d{1,5})$`)

// edge is one resolved reference from a page, for backlinks.
type edge struct{ from, to *Page }

// link resolves every link, short reference and front-matter reference of
// every page, then records backlinks and two-sided relations.
//
// The pages are linked on every core, and each sorts the pages it links to
// (Outgoing) there: that list is its own. Backlinks join the edges of all
// pages, one page after the other; as pages are in URL order, each page's
// backlinks come in order, but remote pages may join them, so they are
// sorted after, on every core again.
func (s *Site) link(ctx context.Context) {
	// With a Memo, the pages whose links resolve as in the last load take
	// them from it (linkmemo.go). Which they are is found beside the
	// index of names, which it does not read.
	m := s.linkMemo()
	var reuse, records []*linkRecord
	var names *linkNames
	reused := make(chan struct{})
	go func() {
		defer close(reused)
		if m != nil {
			reuse, names = s.linksToReuse(m)
			records = make([]*linkRecord, len(s.Pages))
		}
	}()
	s.buildIndex()
	<-reused
	edges := make([][]edge, len(s.Pages))
	diags := make([]diag.List, len(s.Pages))
	_ = parallel.Each(ctx, len(s.Pages), 0, func(i int) error {
		p := s.Pages[i]
		replayed := false
		if reuse != nil && reuse[i] != nil {
			edges[i], diags[i], replayed = s.replay(p, reuse[i])
			if replayed {
				records[i] = reuse[i]
			}
		}
		if !replayed && p.Doc != nil {
			// A parse the Memo handed out keeps how the last load resolved
			// its links.
			p.Doc.ResetLinks()
		}
		if !replayed && !s.leftOut(p) {
			k := s.linker(p)
			edges[i], diags[i] = k.edges, k.diags
			if records != nil {
				records[i] = record(p, k)
			}
		}
		if !s.leftOut(p) {
			for _, e := range edges[i] {
				if e.to != e.from {
					p.Outgoing = append(p.Outgoing, e.to)
				}
			}
		}
		p.Outgoing = sortedUnique(p.Outgoing)
		return nil
	})
	for i := range s.Pages {
		s.Diags = append(s.Diags, diags[i]...)
	}
	s.backlink(edges)
	for _, p := range s.Pages {
		if p.ADR == nil || s.leftOut(p) {
			continue
		}
		for _, t := range p.Supersedes {
			t.SupersededBy = appendOnce(t.SupersededBy, p)
		}
		for _, t := range p.SupersededBy {
			t.Supersedes = appendOnce(t.Supersedes, p)
		}
	}
	if m != nil {
		m.keepLinks(names, s.Pages, records, reuse)
	}
	s.remoteIncoming() // remote: backlinks and supersession from other repositories
	eachChunk(ctx, len(s.Pages), func(i int) {
		p := s.Pages[i]
		p.Backlinks = sortedUnique(p.Backlinks)
		p.Supersedes = sortedUnique(p.Supersedes)
		p.SupersededBy = sortedUnique(p.SupersededBy)
	})
}

// backlink gives each page the pages linking to it, from the edges of
// each page (edges[i] are s.Pages[i]'s), in the pages' order. The pages
// of the site get theirs as parts of one list, counted first: a list
// grown for each page, by a page at a time, on one core, was a fifth of
// the time of linking a 100,000-page site, as each edge's target is a
// page anywhere in memory. A page of no place in the site (another
// repository's) gets its own list.
func (s *Site) backlink(edges [][]edge) {
	var placing uint32
	if len(s.Pages) > 0 {
		placing = s.Pages[0].placing
	}
	n := 0
	for _, es := range edges {
		n += len(es)
	}
	// to is each edge's target's place (ord - 1), -1 for an edge of a
	// page to itself or to a page of no place; count how many edges
	// each place has, then where its part of the list starts.
	to := make([]int32, n)
	count := make([]int32, len(s.Pages)+1)
	k := 0
	for i := range edges {
		for _, e := range edges[i] {
			to[k] = -1
			switch {
			case e.to == e.from:
			case placing != 0 && e.to.placing == placing:
				to[k] = e.to.ord - 1
				count[to[k]+1]++
			default:
				if len(e.to.Backlinks) == 0 || e.to.Backlinks[len(e.to.Backlinks)-1] != e.from {
					e.to.Backlinks = append(e.to.Backlinks, e.from)
				}
			}
			k++
		}
	}
	for j := 1; j < len(count); j++ {
		count[j] += count[j-1]
	}
	all := make([]*Page, count[len(count)-1])
	at := slices.Clone(count[:len(count)-1])
	k = 0
	for i := range edges {
		for _, e := range edges[i] {
			if t := to[k]; t >= 0 {
				// A page linking twice to another is its backlink once.
				if start := count[t]; at[t] == start || all[at[t]-1] != e.from {
					all[at[t]] = e.from
					at[t]++
				}
			}
			k++
		}
	}
	for j, p := range s.Pages {
		start, end := count[j], at[j]
		switch {
		case end == start:
		case p.Backlinks == nil:
			p.Backlinks = all[start:end:end] // whose appends make a list of its own
		default:
			p.Backlinks = append(p.Backlinks, all[start:end]...)
		}
	}
}

// eachChunk calls f(i) for every i in [0, n) on every core, handing out
// chunks of 512: for work too small to hand out one by one.
func eachChunk(ctx context.Context, n int, f func(i int)) {
	const chunk = 512
	_ = parallel.Each(ctx, (n+chunk-1)/chunk, 0, func(c int) error {
		for i := c * chunk; i < min((c+1)*chunk, n); i++ {
			f(i)
		}
		return nil
	})
}

func appendOnce(ps []*Page, p *Page) []*Page {
	if slices.Contains(ps, p) {
		return ps
	}
	return append(ps, p)
}

func sortedUnique(ps []*Page) []*Page {
	slices.SortFunc(ps, comparePages)
	return slices.Compact(ps)
}

// comparePages orders pages by URL: by their places when one placing
// gave both, which are in URL order (an integer compared, not two
// strings read), else by the URLs themselves.
func comparePages(a, b *Page) int {
	if a.placing == b.placing && a.placing != 0 {
		return cmp.Compare(a.ord, b.ord)
	}
	return strings.Compare(a.URL, b.URL)
}

// linkPage resolves one page's references. It changes only that page.
func (s *Site) linkPage(p *Page) ([]edge, diag.List) {
	k := s.linker(p)
	return k.edges, k.diags
}

// linker resolves page p's references, and returns what it found.
func (s *Site) linker(p *Page) *linker {
	p.LeftOut = nil
	k := &linker{s: s, p: p}
	if s.linkMemo() != nil {
		k.seen = &lookups{} // kept in the page's record (linkmemo.go)
	}
	k.unsafeURLs()
	for _, l := range p.Doc.Links {
		k.link(l)
	}
	for _, r := range p.Doc.Refs {
		k.ref(r)
	}
	k.relations()
	return k
}

// linker resolves the references of one page, collecting its edges and
// findings, and the names it looked pages up by as titles (linkmemo.go).
type linker struct {
	s     *Site
	p     *Page
	edges []edge
	diags diag.List
	// seen records what the linking looks up, when a Memo keeps it;
	// nil otherwise.
	seen *lookups
}

// lookups are what one page's linking looked up of the site's names
// (linkmemo.go): the titles its references were looked up by, in lower
// case, and every key it looked a page, file or folder up by, found or
// not ("url:/a/", "path:/site/content/a.md", "name:a", …; see pageKeys).
// A nil *lookups records nothing.
type lookups struct {
	titles, keys []string
}

func (l *lookups) key(kind, k string) {
	if l != nil {
		l.keys = append(l.keys, kind+k)
	}
}

func (k *linker) at(line, col int) diag.Position {
	return diag.Position{File: k.p.Path, Line: line, Col: col}
}

// unsafeURLs reports the link and image URLs the page's Markdown lost for
// their scheme.
func (k *linker) unsafeURLs() {
	for _, u := range k.p.Doc.Unsafe {
		what := "link to"
		if u.Kind == markdown.KindImage {
			what = "image"
		}
		k.diags.Warnf(k.at(u.Line, u.Col), "unsafe-url", "%s %s: the URL scheme is not allowed and was removed; use an http(s) or relative link", what, u.URL)
	}
}

// link resolves a link or image: an anchor on the page, a page, a file,
// or a page the profile leaves out.
func (k *linker) link(l *markdown.Link) {
	s, p, at := k.s, k.p, k.at(l.Line, l.Col)
	if strings.HasPrefix(l.Dest, "#") && len(l.Dest) > 1 {
		frag := unescapeFragment(l.Dest[1:])
		switch id, ok := matchID(p, frag); {
		case !ok:
			k.diags.Errorf(at, "broken-anchor", "link to #%s: this page has no heading or element with that id%s", frag, suggestID(p, frag))
		case id != frag:
			l.SetDest("#" + id)
			k.diags.Add(at, diag.Info, "anchor-case", "link to #%s: the id is #%s, which differs in case; the link goes to it (GitHub ignores the case of fragments), but write it as the id is spelled", frag, id)
		}
		return
	}
	u, target, msg := s.resolveLink(p, l.Dest, k.seen)
	if msg != "" {
		k.diags.Errorf(at, "broken-link", "%s", msg)
		return
	}
	if s.leftOut(target) {
		if u := s.elsewhere(target); u != "" {
			if _, frag, _ := strings.Cut(l.Dest, "#"); frag != "" {
				u += "#" + frag
			}
			l.SetDest(u)
			return
		}
		l.Unlink()
		p.LeftOut = append(p.LeftOut, LeftOut{at, s.leftOutMessage("links to", target, "the link is shown as plain text")})
		return
	}
	if _, written, ok := strings.Cut(l.Dest, "#"); ok && target != nil && written != "" {
		frag := unescapeFragment(written)
		switch id, ok := matchID(target, frag); {
		case !ok:
			k.diags.Errorf(at, "broken-anchor", "link to %s: %s has no heading or element with id %q%s", l.Dest, target.Path, frag, suggestID(target, frag))
		case id != frag:
			u = strings.TrimSuffix(u, "#"+written) + "#" + id
			k.diags.Add(at, diag.Info, "anchor-case", "link to %s: the id in %s is #%s, which differs in case; the link goes to it (GitHub ignores the case of fragments), but write it as the id is spelled", l.Dest, target.Path, id)
		}
	}
	if u != "" {
		l.SetDest(u)
	}
	if target != nil {
		k.edges = append(k.edges, edge{p, target})
	}
}

// ref resolves a [[short reference]], titled with its target.
func (k *linker) ref(r *markdown.RefInfo) {
	s, p, at := k.s, k.p, k.at(r.Line, r.Col)
	t, frag, msg := s.resolveRef(p, r.Target, "", k.seen)
	if msg != "" {
		k.refProblem(at, "", msg)
		return
	}
	title := t.Title
	if t.ADRLabel() != "" {
		title = t.ADRLabel() + ": " + t.Title
	}
	if u := s.elsewhere(t); u != "" && s.leftOut(t) {
		r.Resolve(u+frag, title)
		return
	}
	if s.leftOut(t) {
		r.MakePlain()
		p.LeftOut = append(p.LeftOut, LeftOut{at, s.leftOutMessage("reference "+strconv.Quote(r.Target)+" names", t, "it is shown as plain text")})
		return
	}
	if f := strings.TrimPrefix(frag, "#"); f != "" {
		switch id, ok := matchID(t, unescapeFragment(f)); {
		case !ok:
			k.diags.Errorf(at, "broken-anchor", "reference %q: %s has no heading or element with id %q%s", r.Target, t.Path, f, suggestID(t, f))
		case id != unescapeFragment(f):
			frag = "#" + id
			k.diags.Add(at, diag.Info, "anchor-case", "reference %q: the id in %s is #%s, which differs in case; the reference goes to it, but write it as the id is spelled", r.Target, t.Path, id)
		}
	}
	r.Resolve(s.refs.base+strings.TrimPrefix(t.URL, "/")+frag, title)
	k.edges = append(k.edges, edge{p, t})
}

// refProblem reports a reference that did not resolve: ambiguous, or
// naming no page. prefix, if set, says where it is written.
func (k *linker) refProblem(pos diag.Position, prefix, msg string) {
	if prefix != "" {
		msg = prefix + ": " + msg
	}
	if strings.Contains(msg, "ambiguous reference") {
		k.diags.Errorf(pos, "ambiguous-reference", "%s", msg)
		return
	}
	k.diags.Errorf(pos, "broken-reference", "%s", msg)
}

// refs resolves the front-matter references written under name, of kind
// if set, to the pages shown.
func (k *linker) refs(name string, rs []page.Ref, kind page.Kind) []*Page {
	s, p := k.s, k.p
	var out []*Page
	for _, r := range rs {
		t, _, msg := s.resolveRef(p, r.Target, kind, k.seen)
		if msg != "" {
			k.refProblem(r.Pos, name, msg)
			continue
		}
		if s.leftOut(t) {
			if s.elsewhere(t) == "" {
				p.LeftOut = append(p.LeftOut, LeftOut{r.Pos, name + ": " + s.leftOutMessage("names", t, "it is not shown")})
			}
			continue
		}
		out = append(out, t)
		k.edges = append(k.edges, edge{p, t})
	}
	return out
}

// relations resolves the page's typed front-matter relations.
func (k *linker) relations() {
	p := k.p
	p.Relations = nil
	addRel := func(name, key string, ps []*Page) {
		if len(ps) > 0 {
			p.Relations = append(p.Relations, Relation{Name: name, Key: key, Pages: ps})
		}
	}
	if p.ADR != nil {
		p.Supersedes = k.refs("supersedes", p.ADR.Supersedes, page.KindADR)
		p.SupersededBy = k.refs("superseded_by", p.ADR.SupersededBy, page.KindADR)
		p.ownSupersedes, p.ownSupersededBy = slices.Clone(p.Supersedes), slices.Clone(p.SupersededBy)
	}
	if p.Postmortem != nil {
		addRel("Runbooks", "runbooks", k.refs("runbooks", p.Postmortem.Runbooks, page.KindRunbook))
		addRel("Decisions", "adrs", k.refs("adrs", p.Postmortem.ADRs, page.KindADR))
	}
	if p.Evaluation != nil {
		addRel("Decision", "adr", k.refs("adr", p.Evaluation.ADR, page.KindADR))
		addRel("Alternatives", "alternatives", k.refs("alternatives", p.Evaluation.Alternatives, ""))
	}
	addRel("Related", "related", k.refs("related", p.Related, ""))
}

// LeftOut is a link, [[reference]] or front-matter reference to a page the
// site's profile leaves out, which the page shows as text or not at all.
// Site records them on the page (Page.LeftOut); lint reports them as
// public-internal-link, the rule it owns.
type LeftOut struct {
	Pos     diag.Position
	Message string
}

// leftOutMessage says that a page of the profile points at t, which the
// profile leaves out, and what becomes of it.
func (s *Site) leftOutMessage(what string, t *Page, shown string) string {
	return fmt.Sprintf("%s %s, which profile %q leaves out: %s; point at a page of the profile, or make %s part of it (visibility: public)", what, t.Path, s.Config.Profile.Name, shown, t.Path)
}

// hasScheme reports whether dest starts with a URL scheme and a colon
// (^[a-zA-Z][a-zA-Z0-9+.-]*:), as "https:" or "mailto:" do: not a path
// of the site. By hand rather than by a regular expression: linking asks
// it of every link of every page.
func hasScheme(dest string) bool {
	for i := 0; i < len(dest); i++ {
		c := dest[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '.' || c == '-'):
		case i > 0 && c == ':':
			return true
		default:
			return false
		}
	}
	return false
}

// resolveLink resolves a Markdown link destination written on page p. It
// returns the URL to render ("" to keep the destination), the page linked
// (nil for files and external links) and, for a broken link, a message.
func (s *Site) resolveLink(p *Page, dest string, seen *lookups) (string, *Page, string) {
	if dest == "" || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "//") || hasScheme(dest) {
		return "", nil, ""
	}
	raw, frag, _ := strings.Cut(dest, "#")
	raw, query, _ := strings.Cut(raw, "?")
	if frag != "" {
		frag = "#" + frag
	}
	if query != "" {
		query = "?" + query
	}
	decoded, err := url.PathUnescape(raw)
	if err != nil {
		decoded = raw
	}
	base := s.refs.base
	isMD := strings.EqualFold(path.Ext(decoded), ".md")
	if strings.HasPrefix(decoded, "/") {
		if !isMD {
			// A site path; it gains the base path so that the site works
			// under a sub-path.
			seen.key("url:", decoded)
			if t := s.pageAt(decoded); t != nil { // remote: pageAt, not byURL
				return base + strings.TrimPrefix(decoded, "/") + query + frag, t, ""
			}
			seen.key("alias:", "/"+strings.Trim(decoded, "/")+"/")
			if t := s.refs.byAlias["/"+strings.Trim(decoded, "/")+"/"]; t != nil {
				return base + strings.TrimPrefix(t.URL, "/") + query + frag, t, ""
			}
			if t := s.remoteAlias("/" + strings.Trim(decoded, "/") + "/"); t != nil { // remote
				return base + strings.TrimPrefix(t.URL, "/") + query + frag, t, ""
			}
			seen.key("url:", strings.TrimSuffix(strings.TrimSuffix(decoded, "index.html"), "/")+"/")
			if t := s.pageAt(strings.TrimSuffix(strings.TrimSuffix(decoded, "index.html"), "/") + "/"); t != nil { // remote: pageAt
				return base + strings.TrimPrefix(decoded, "/") + query + frag, t, ""
			}
			if s.sitePathExists(decoded, seen) {
				return base + strings.TrimPrefix(decoded, "/") + query + frag, nil, ""
			}
		}
		// A path from the repository root, as GitHub resolves it: against
		// the git work tree, the site folder, or a content root (itself
		// or under its mount).
		for _, abs := range s.rootCandidates(p, decoded) {
			if u, t, ok := s.resolveFile(abs, seen); ok {
				return base + strings.TrimPrefix(u, "/") + query + frag, t, ""
			}
		}
		if t := s.remoteFile(decoded); t != nil && isMD { // remote: a mount path
			return base + strings.TrimPrefix(t.URL, "/") + query + frag, t, ""
		}
		if t := s.radarItem(p, decoded, seen); t != nil {
			return base + strings.TrimPrefix(t.URL, "/") + query + frag, t, ""
		}
		if !isMD {
			// A folder written in another case or spelling than its URL
			// ("/Runbooks/DB Failover/").
			folded := pageURL("/", strings.TrimPrefix(strings.TrimSuffix(decoded, "/"), "/")+"/index.md")
			seen.key("url:", folded)
			if t := s.pageAt(folded); t != nil { // remote: pageAt
				return base + strings.TrimPrefix(t.URL, "/") + query + frag, t, ""
			}
			return "", nil, fmt.Sprintf("link to %s: no page or file of the site is at that path; fix it (a path starting with / starts at the site root)", dest)
		}
		return "", nil, fmt.Sprintf("link to %s: no such page; fix the path or create the page", dest)
	}
	abs := filepath.Join(filepath.Dir(p.Source), filepath.FromSlash(decoded))
	if u, t, ok := s.resolveFile(abs, seen); ok {
		return base + strings.TrimPrefix(u, "/") + query + frag, t, ""
	}
	// remote: a Markdown file of another repository, in mount space; and
	// a source's pages see nothing of their repository but its roots.
	if u, t, ok := s.otherSource(p, decoded); ok {
		return base + strings.TrimPrefix(u, "/") + query + frag, t, ""
	}
	outside := s.outsideSource(p, abs)
	seen.key("path:", abs)
	if fi, err := s.stat(abs); err == nil && fi.IsDir() && !outside {
		return "", nil, fmt.Sprintf("link to %s: the folder is not part of the site; link to a page", dest)
	}
	if fi, err := s.stat(abs); err == nil && !fi.IsDir() && !outside {
		return "", nil, fmt.Sprintf("link to %s: the file exists but is not part of the site (outside the content roots, hidden, or not a page); link to its published copy or move it into a content root", dest)
	}
	if t := s.radarItem(p, decoded, seen); t != nil {
		return base + strings.TrimPrefix(t.URL, "/") + query + frag, t, ""
	}
	if isMD {
		return "", nil, fmt.Sprintf("link to %s: no such page; fix the path or create the page", dest)
	}
	return "", nil, fmt.Sprintf("link to %s: no such file; fix the path or add the file beside the page", dest)
}

// resolveFile finds what the file or folder at abs is on the site: a page,
// a file copied beside the pages, or a folder of a content root (its index
// page or its generated listing). It returns the site path and the page,
// if any.
func (s *Site) resolveFile(abs string, seen *lookups) (string, *Page, bool) {
	seen.key("path:", abs)
	if t := s.bySource[abs]; t != nil {
		return t.URL, t, true
	}
	if t := s.folded[abs]; t != nil {
		return t.URL, t, true
	}
	if u, ok := s.refs.files[abs]; ok {
		return u, nil, true
	}
	fi, err := s.stat(abs)
	if err != nil || !fi.IsDir() {
		return "", nil, false
	}
	for _, name := range []string{"index.md", "_index.md", "README.md", "readme.md"} {
		seen.key("path:", filepath.Join(abs, name))
		if t := s.bySource[filepath.Join(abs, name)]; t != nil {
			return t.URL, t, true
		}
	}
	r := s.rootOf(abs)
	if r == nil {
		return "", nil, false
	}
	u := r.Mount + strings.TrimPrefix(decodedSiteDir(r, abs), "/")
	seen.key("url:", u)
	if t := s.byURL[u]; t != nil {
		return t.URL, t, true
	}
	// A folder of the site without an index page: its generated listing.
	return u, nil, true
}

// rootOf returns the content root holding abs, or nil.
func (s *Site) rootOf(abs string) *Root {
	for _, r := range s.rootDirs {
		if rel, err := filepath.Rel(r.Dir, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return r
		}
	}
	return nil
}

// rootCandidates lists where a path written from the root ("/docs/x.md")
// on page p may be on disk: under the git work tree, the site folder (for
// a page of a source, its repository's top instead of both), each content
// root, and each content root's folder for a path under its mount.
func (s *Site) rootCandidates(p *Page, decoded string) []string {
	rel := filepath.FromSlash(strings.TrimPrefix(decoded, "/"))
	var out []string
	add := func(dir, rel string) {
		abs := filepath.Join(dir, rel)
		if !slices.Contains(out, abs) {
			out = append(out, abs)
		}
	}
	if top := sourceTop(p.Root); top != "" { // remote: the source's own repository
		add(top, rel)
	} else {
		if s.repoRoot != "" {
			add(s.repoRoot, rel)
		}
		add(s.Config.Dir, rel)
	}
	for _, r := range s.rootDirs {
		add(r.Dir, rel)
		if m := strings.TrimPrefix(r.Mount, "/"); m != "" && strings.HasPrefix(strings.ToLower(decoded[1:]), strings.ToLower(m)) {
			add(r.Dir, filepath.FromSlash(decoded[1+len(m):]))
		}
	}
	return out
}

// repoRoot returns the top of the git work tree holding dir, or "".
func repoRoot(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for d := abs; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// generatedPaths are the site paths of pages and files a build generates
// besides the pages of Markdown files.
var generatedPaths = []string{"/tags/", "/services/", "/owners/", "/start-here/", "/assets/", "/feed.xml", "/changes.xml", "/sitemap.xml", "/404.html", "/robots.txt", "/manifest.json"}

// sitePathExists tells whether a path from the site root names something
// the build writes: a file beside the pages, a folder of pages (its index
// or listing), a generated page, or a file of the site's static folder.
func (s *Site) sitePathExists(p string, seen *lookups) bool {
	if p == "/" {
		return true
	}
	for _, g := range generatedPaths {
		if p == g || strings.HasSuffix(g, "/") && strings.HasPrefix(p, g) || p+"/" == g {
			return true
		}
	}
	dir := strings.TrimSuffix(strings.TrimSuffix(p, "index.html"), "/") + "/"
	seen.key("url:", p)
	seen.key("url:", dir)
	if s.fileURLs[p] || s.fileURLs[dir] || s.remoteExists(p) || s.remoteExists(dir) { // remote: remoteExists
		return true
	}
	fi, err := s.stat(filepath.Join(s.Config.Dir, "static", filepath.FromSlash(p)))
	return err == nil && !fi.IsDir()
}

func decodedSiteDir(root *Root, abs string) string {
	r, err := filepath.Rel(root.Dir, abs)
	if err != nil {
		return ""
	}
	return pageURL("/", filepath.ToSlash(r)+"/index.md")
}

// resolveRef finds the page a short or front-matter reference names: a
// path, "kind:name", an ADR number ("adr-7", "ADR-0007", or a bare number
// where an ADR is expected), a file name or slug, or a title. kind, if set,
// is the kind the reference must have. It returns the page, a "#fragment"
// to append, or a message saying why it failed. The name it looks a title
// up by, if it does, and every key it looks up, are added to seen.
func (s *Site) resolveRef(from *Page, target string, kind page.Kind, seen *lookups) (*Page, string, string) {
	target = strings.TrimSpace(target)
	name, frag, _ := strings.Cut(target, "#")
	if frag != "" {
		frag = "#" + frag
	}
	// "payments:ADR-0007" names a page of the source payments.
	fromSource, only := sourceOf(from), ""
	if k, rest, ok := strings.Cut(name, ":"); ok && s.hasSource(k) {
		only, name = k, strings.TrimSpace(rest)
	}
	if k, rest, ok := strings.Cut(name, ":"); ok {
		if pk, ok := page.ParseKind(k); ok {
			kind, name = pk, strings.TrimSpace(rest)
		}
	}
	var cands []*Page
	switch {
	case strings.Contains(name, "/") || strings.HasSuffix(strings.ToLower(name), ".md"):
		_, t, _ := s.resolveLink(from, name, seen)
		if t != nil {
			cands = []*Page{t}
		}
	default:
		if m := adrNumberRE.FindStringSubmatch(name); m != nil {
			n, _ := strconv.Atoi(m[1])
			seen.key("num:", strconv.Itoa(n))
			cands = s.named(s.refs.byNumber[n], "number:"+strconv.Itoa(n)) // remote: named
			cands = sameLog(cands, fromSource, only)
			break
		}
		if n, err := strconv.Atoi(name); err == nil && kind == page.KindADR {
			seen.key("num:", strconv.Itoa(n))
			cands = s.named(s.refs.byNumber[n], "number:"+strconv.Itoa(n)) // remote: named
			cands = sameLog(cands, fromSource, only)
			break
		}
		// remote: each step takes the remote pages under the same key.
		low := strings.ToLower(name)
		seen.key("name:", low)
		cands = s.named(s.refs.byName[low], "name:"+low)
		if len(cands) == 0 {
			seen.key("name:", Slug(name))
			cands = s.named(s.refs.byName[Slug(name)], "name:"+Slug(name))
		}
		if len(cands) == 0 {
			cands = s.named(s.refs.byTitle[low], "title:"+low)
			if seen != nil {
				seen.titles = append(seen.titles, low)
			}
		}
	}
	if only != "" {
		cands = slices.DeleteFunc(cands, func(c *Page) bool { return sourceOf(c) != only })
	}
	if kind != "" {
		var keep []*Page
		for _, c := range cands {
			if c.Kind == kind {
				keep = append(keep, c)
			}
		}
		cands = keep
	}
	switch len(cands) {
	case 0:
		what := "page"
		if kind != "" {
			what = string(kind)
		}
		return nil, "", fmt.Sprintf("reference %q: no %s by that path, number, name or title", target, what)
	case 1:
		return cands[0], frag, ""
	}
	var paths []string
	for _, c := range cands {
		paths = append(paths, c.Path)
	}
	return nil, "", fmt.Sprintf("ambiguous reference %q matches %s; use the path or kind:name", target, strings.Join(paths, ", "))
}

// sourceOf is the name of the source a page comes from; "" for the
// site's own.
func sourceOf(p *Page) string {
	if p == nil || p.Root == nil {
		return ""
	}
	return p.Root.Source
}

// hasSource reports whether name is a source of the site.
func (s *Site) hasSource(name string) bool {
	for _, src := range s.Config.Sources {
		if src.Name == name {
			return true
		}
	}
	for _, r := range s.rootDirs {
		if r.Source == name {
			return true
		}
	}
	return false
}

// sameLog narrows ADRs found by number to one log: each repository
// numbers its own ADRs, so "ADR-0007" on a page of payments is payments'
// ADR 7 when it has one.
func sameLog(cands []*Page, from, only string) []*Page {
	if len(cands) < 2 || only != "" {
		return cands
	}
	var same []*Page
	for _, c := range cands {
		if sourceOf(c) == from {
			same = append(same, c)
		}
	}
	if len(same) > 0 {
		return same
	}
	return cands
}

// matchID returns the id of p that frag names: frag itself, or else the
// id equal to it but for case, as GitHub matches fragments (the first in
// order when several are).
func matchID(p *Page, frag string) (string, bool) {
	if p.Doc.IDs[frag] {
		return frag, true
	}
	best := ""
	for id := range p.Doc.IDs {
		if strings.EqualFold(id, frag) && (best == "" || id < best) {
			best = id
		}
	}
	return best, best != ""
}

func unescapeFragment(f string) string {
	if u, err := url.PathUnescape(f); err == nil {
		return u
	}
	return f
}

// suggestID proposes the id of p closest to frag, as "; did you mean #x?",
// or "".
func suggestID(p *Page, frag string) string {
	best, bestD := "", 1<<30
	low := strings.ToLower(frag)
	for id := range p.Doc.IDs {
		d := diag.EditDistance(low, strings.ToLower(id))
		if d < bestD || d == bestD && id < best {
			best, bestD = id, d
		}
	}
	if best == "" || bestD > max(2, len(frag)/3) {
		return ""
	}
	return fmt.Sprintf("; did you mean #%s?", best)
}
