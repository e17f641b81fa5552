package render

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"hash/maphash"
	"html"
	"html/template"
	"maps"
	"slices"
	"strings"
	"sync"
	"weak"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// NavItem is one token of the sidebar, in document order: an entry (Open
// starts the nested list of its children), the End of a nested list, or a
// More entry counting the children left out of a long folder whose page
// (URL) lists them all.
type NavItem struct {
	Title string
	URL   string // "" for a folder with no page
	// Href is URL under the base path.
	Href    string
	Current bool
	// InPath is true for the current page's ancestors.
	InPath bool
	Folder bool
	Open   bool
	End    bool
	More   int
}

// navNode is a page or folder in the sidebar tree.
type navNode struct {
	title    string
	url      string
	weight   int
	linked   bool
	children []*navNode
	// pos, for a folder of more than maxSiblings, is each child's
	// position in children by URL: a page's sidebar finds the child on its
	// way in it without reading every sibling (a folder of 30,000 runbooks).
	pos map[string]int
	// slashed is set, with pos, when every child's URL ends in a slash:
	// only cur's prefixes that end in one can name a child then.
	slashed bool
	// escTitle and escHref are title and the link, escaped for HTML
	// (navTree.escape), once escaped is set.
	escTitle, escHref string
	escaped           bool
}

type navTree struct {
	base    string
	root    *navNode
	byURL   map[string]*navNode
	escOnce sync.Once
	// sidebars are the folders' folderSidebar, by folder.
	sidebars sync.Map
	// from is the tree this one was made again from (Renderer.Remade),
	// and touched the folders whose listing differs from its (derive).
	from    weak.Pointer[navTree]
	touched map[string]bool
	// madeFrom, set by copyOnWrite until derive, is the tree this one was
	// copied from, and differs the URLs whose node is not madeFrom's
	// (copied, made or taken out): derive looks at those alone.
	madeFrom *navTree
	differs  map[string]bool
}

// derive records that t was made again from old, for the site changed in
// place: the folders whose listing in the sidebar (folderSum: their
// children's titles, URLs, links and whether folders, in order) is not
// old's, those new and those gone are touched. A page none of whose
// folders on its way (navSum) is touched has the same sidebar in both.
func (t *navTree) derive(old *navTree) {
	t.from = weak.Make(old)
	t.touched = map[string]bool{}
	// A tree copied from old (copyOnWrite) shares old's node at every URL
	// but those it lists as differing: the others are the same listing.
	urls, whole := maps.Keys(t.byURL), true
	if t.madeFrom == old && t.differs != nil {
		urls, whole = maps.Keys(t.differs), false
	}
	t.madeFrom, t.differs = nil, nil
	for u := range urls {
		n, o := t.byURL[u], old.byURL[u]
		if n == nil {
			if o != nil {
				t.touched[u] = true
				t.touched[site.ParentURL(u)] = true
			}
			continue
		}
		if n == o {
			continue // shared (retitled): the same listing
		}
		if o == nil {
			t.touched[u] = true
			t.touched[site.ParentURL(u)] = true
			continue
		}
		if n.title != o.title || len(n.children) != len(o.children) {
			t.touched[u] = true
			continue
		}
		for i, c := range n.children {
			d := o.children[i]
			if c.url != d.url || c.title != d.title || c.linked != d.linked || len(c.children) > 0 != (len(d.children) > 0) {
				t.touched[u] = true
				break
			}
		}
	}
	if !whole {
		return // the URLs gone are among those differing
	}
	for u := range old.byURL {
		if t.byURL[u] == nil {
			t.touched[u] = true
			t.touched[site.ParentURL(u)] = true
		}
	}
}

// touches reports whether a folder on the way to the page at cur, or
// cur's own, is touched (derive).
func (t *navTree) touches(cur string) bool {
	for u := cur; ; u = site.ParentURL(u) {
		if t.touched[u] {
			return true
		}
		if u == "/" || u == "" {
			return false
		}
	}
}

// maxSiblings caps how many entries of one folder the sidebar lists; the
// folder's page lists them all.
const maxSiblings = 50

func buildNav(s *site.Site, indexURLs map[page.Kind]string, extra []Link) *navTree {
	published := s.Published()
	t := &navTree{base: s.Config.BasePath(), root: &navNode{url: "/", title: s.Config.Title, linked: true}, byURL: make(map[string]*navNode, len(published)+len(published)/8)}
	t.byURL["/"] = t.root
	var ensure func(u string) *navNode
	ensure = func(u string) *navNode {
		if n := t.byURL[u]; n != nil {
			return n
		}
		n := &navNode{url: u}
		t.byURL[u] = n
		parent := ensure(site.ParentURL(u))
		parent.children = append(parent.children, n)
		return n
	}
	for _, p := range published {
		if p.URL == "/" {
			continue
		}
		n := ensure(p.URL)
		n.title, n.weight, n.linked = p.Title, p.Weight, true
		if n.weight == 0 && p.ADR != nil && p.ADR.HasNumber {
			n.weight = p.ADR.Number // the ADR log's order
		}
	}
	for k, u := range indexURLs {
		n := ensure(u)
		if !n.linked {
			n.title, n.linked = k.Plural(), true
		}
	}
	for _, l := range extra {
		n := ensure(l.URL)
		if !n.linked {
			n.title, n.linked = l.Title, true
		}
	}
	// Every folder gets a page: its index, or a generated listing, titled
	// after the folder's name when nothing names it (made here, for the
	// few folders it is: every page's node made one for nothing).
	for _, n := range t.byURL {
		if !n.linked {
			seg := strings.TrimSuffix(n.url, "/")
			n.title = titleCase(seg[strings.LastIndexByte(seg, '/')+1:])
		}
		n.linked = true
	}
	// The order is total (the URLs are a map's keys): an unstable sort
	// gives it, and is the quicker (a stable sort was half of the tree's
	// time at 10,000 pages).
	var sortRec func(n *navNode)
	sortRec = func(n *navNode) {
		n.sortChildren()
		for _, c := range n.children {
			sortRec(c)
		}
	}
	sortRec(t.root)
	return t
}

// sortChildren puts n's children in the sidebar's order, and places them
// (pos) when they are many.
func (n *navNode) sortChildren() {
	slices.SortFunc(n.children, compareNavNodes)
	n.pos, n.slashed = nil, false
	if len(n.children) > maxSiblings {
		n.pos = make(map[string]int, len(n.children))
		n.slashed = true
		for i, c := range n.children {
			n.pos[c.url] = i
			n.slashed = n.slashed && strings.HasSuffix(c.url, "/")
		}
	}
}

// compareNavNodes is the sidebar's order: by weight (unset last), folders
// after pages at the same weight, then title and URL.
func compareNavNodes(a, b *navNode) int {
	wa, wb := a.weight, b.weight
	if wa == 0 {
		wa = 1 << 30
	}
	if wb == 0 {
		wb = 1 << 30
	}
	if wa != wb {
		return wa - wb
	}
	fa, fb := len(a.children) > 0, len(b.children) > 0
	if fa != fb {
		if fa {
			return 1
		}
		return -1
	}
	if c := site.CompareFold(a.title, b.title); c != 0 {
		return c
	}
	return strings.Compare(a.url, b.url)
}

// retitled returns the tree t with the titles of pages as they are now,
// made by copying only the nodes on the way to them (a folder re-sorted
// where a title moves its page) and sharing the rest with t, which stays
// as it is; nil when a page is not in the tree as a page's node (buildNav
// makes it then).
func (t *navTree) retitled(pages []*site.Page) *navTree {
	n, own := t.copyOnWrite()
	for _, p := range pages {
		if p.URL == "/" {
			continue // the root is titled after the site
		}
		node := t.byURL[p.URL]
		if node == nil || !node.linked || node.title == p.Title {
			if node == nil {
				return nil
			}
			continue
		}
		c := own(p.URL)
		if c == nil {
			return nil
		}
		c.title = p.Title
		parent := own(site.ParentURL(p.URL))
		if parent == nil {
			return nil
		}
		parent.sortChildren()
	}
	return n
}

// copyOnWrite returns a tree that shares t's nodes, which stays as it
// is, and own, which returns the node at a URL in the new tree, copied
// once from t's, with its parents copied on the way up to the root and
// pointing at it (nil for a URL the tree does not have).
func (t *navTree) copyOnWrite() (*navTree, func(u string) *navNode) {
	// The nodes shared are escaped now, once (escape), so that the new
	// tree escapes only its own: t's sidebars may be written while it is.
	t.escOnce.Do(t.escape)
	n := &navTree{base: t.base, root: t.root, byURL: maps.Clone(t.byURL), madeFrom: t, differs: map[string]bool{}}
	copied := map[*navNode]bool{}
	var own func(u string) *navNode
	own = func(u string) *navNode {
		old := n.byURL[u]
		if old == nil || copied[old] {
			return old
		}
		c := *old
		c.children = slices.Clone(old.children)
		c.escaped = false
		copied[&c] = true
		n.byURL[u] = &c
		n.differs[u] = true
		if u == "/" {
			n.root = &c
			return &c
		}
		parent := own(site.ParentURL(u))
		if parent == nil {
			return nil
		}
		if i := slices.Index(parent.children, old); i >= 0 {
			parent.children[i] = &c
		}
		return &c
	}
	return n, own
}

// reshaped returns the tree t with the pages changed added or taken out
// as site s has them now (a page s publishes at its URL is in the tree,
// one it does not is not), as buildNav would make it with the same kinds'
// indexes and extra entries (linked, by URL): made by copying only the
// folders on the way to them and sharing the rest with t, which stays as
// it is. A new page's folders that the tree lacks are made, titled after
// their names; a folder left empty that no page, index or extra entry
// links goes. It is nil when a page's node would become a folder's or
// the other way round: buildNav makes the tree then.
func (t *navTree) reshaped(s *site.Site, changed []*site.Page, linked map[string]bool) *navTree {
	n, own := t.copyOnWrite()
	published := func(u string) bool {
		p := s.PageAt(u)
		return p != nil && s.IsPublished(p)
	}
	// touched are the folders whose children changed, sorted at the end.
	touched := map[string]bool{}
	var folder func(u string) *navNode
	folder = func(u string) *navNode {
		if c := own(u); c != nil {
			return c
		}
		c := &navNode{url: u, linked: true}
		seg := strings.TrimSuffix(u, "/")
		c.title = titleCase(seg[strings.LastIndexByte(seg, '/')+1:])
		parent := folder(site.ParentURL(u))
		parent.children = append(parent.children, c)
		touched[parent.url] = true
		n.byURL[u], n.differs[u] = c, true
		return c
	}
	for _, p := range changed {
		if p.URL == "/" || !strings.HasPrefix(p.URL, "/") {
			return nil
		}
		node := n.byURL[p.URL]
		if s.PageAt(p.URL) == p && published(p.URL) {
			if node != nil {
				return nil // a generated folder's node becomes a page's
			}
			c := &navNode{url: p.URL, title: p.Title, weight: p.Weight, linked: true}
			if c.weight == 0 && p.ADR != nil && p.ADR.HasNumber {
				c.weight = p.ADR.Number // the ADR log's order
			}
			parent := folder(site.ParentURL(p.URL))
			parent.children = append(parent.children, c)
			touched[parent.url] = true
			n.byURL[p.URL], n.differs[p.URL] = c, true
			continue
		}
		if node == nil || len(node.children) > 0 || linked[p.URL] {
			return nil // not a page's own node alone
		}
		delete(n.byURL, p.URL)
		n.differs[p.URL] = true
		for u, gone := site.ParentURL(p.URL), node; ; u = site.ParentURL(u) {
			parent := own(u)
			if parent == nil {
				return nil
			}
			parent.children = slices.DeleteFunc(parent.children, func(c *navNode) bool { return c == gone })
			touched[u] = true
			if u == "/" || len(parent.children) > 0 || linked[u] || published(u) {
				break
			}
			// A generated folder left empty, which buildNav would not make.
			delete(n.byURL, u)
			delete(touched, u)
			gone = parent
		}
	}
	for u := range touched {
		if c := n.byURL[u]; c != nil {
			c.sortChildren()
		}
	}
	// A folder that gained its first child, or lost its last, sorts among
	// its siblings as a folder, or as a page, now.
	for u := range touched {
		if u != "/" {
			if parent := n.byURL[site.ParentURL(u)]; parent != nil && !touched[parent.url] {
				own(parent.url).sortChildren()
			}
		}
	}
	return n
}

// spaced turns a folder name's dashes and underscores into spaces.
var spaced = strings.NewReplacer("-", " ", "_", " ")

func titleCase(seg string) string {
	seg = spaced.Replace(seg)
	if seg == "" {
		return seg
	}
	return strings.ToUpper(seg[:1]) + seg[1:]
}

// items returns the sidebar for the page at cur: the top level, and the
// children of every folder on the way to cur.
func (t *navTree) items(cur string) []NavItem {
	var out []NavItem
	t.walk(t.root, cur, func(it NavItem, _ *navNode) { out = append(out, it) })
	return out
}

// html returns the sidebar for the page at cur as nested lists: the
// default theme's, built in Go because it is on every page of a large
// site (a layout that wants other markup ranges over Data.Nav instead).
// The pages of one folder that are not folders themselves share theirs
// but for which entry is the current page: it is written once per folder
// (leafSidebar), and each such page's is that with its entry marked.
// Others are written as the tree is walked (walkHTML).
func (t *navTree) html(cur string) template.HTML {
	parts := t.htmlParts(cur)
	if parts[1] == "" && parts[2] == "" {
		return template.HTML(parts[0])
	}
	var b strings.Builder
	b.Grow(len(parts[0]) + len(parts[1]) + len(parts[2]))
	for _, s := range parts {
		b.WriteString(s)
	}
	return template.HTML(b.String())
}

// htmlParts returns the sidebar for the page at cur (html) in three
// parts written one after the other: for a page in a folder, its
// folder's sidebar around its own entry's mark or its entry past the cut,
// which are shared by the folder's pages; else the whole, and "", "".
func (t *navTree) htmlParts(cur string) [3]string {
	t.escOnce.Do(t.escape)
	if n := t.byURL[cur]; n != nil && len(n.children) == 0 && cur != "/" {
		if folder := t.byURL[site.ParentURL(cur)]; folder != nil {
			s := t.leafSidebar(folder)
			if mark, ok := s.marks[n]; ok {
				return [3]string{s.html[:mark], ` aria-current="page"`, s.html[mark:]}
			}
			if s.last.end > 0 && folder.onPath(cur) >= maxSiblings {
				// Past a long folder's cut: its own entry, current, in
				// place of the last one listed.
				var b strings.Builder
				it := t.item(n, cur)
				writeNavItem(&b, &it, n.escHref, n.escTitle)
				return [3]string{s.html[:s.last.start], b.String(), s.html[s.last.end:]}
			}
		}
	}
	return [3]string{t.walkHTML(cur, nil), "", ""}
}

// folderSidebar is the sidebar of the pages directly in a folder, with no
// entry marked current; marks holds, for each of the folder's children it
// lists, where its entry's link takes the mark. A page past a long
// folder's cut is listed in its own sidebar only, in place of the last
// entry listed.
type folderSidebar struct {
	html  string
	marks map[*navNode]int
	// last is where the entry of the last child listed of a folder longer
	// than the sidebar lists is in html, which a page past the cut takes
	// (walk); zero for a shorter folder.
	last struct{ start, end int }
}

// leafSidebar returns the folderSidebar of folder, made the first time it
// is asked for. The sidebar of a page in the folder is that of the
// folder's own path walked to a child that is none of its children: the
// same folders are open, and no entry is current.
func (t *navTree) leafSidebar(folder *navNode) *folderSidebar {
	if s, ok := t.sidebars.Load(folder); ok {
		return s.(*folderSidebar)
	}
	fs := &folderSidebar{marks: map[*navNode]int{}}
	var lastListed *navNode
	if len(folder.children) > maxSiblings {
		lastListed = folder.children[maxSiblings-1]
	}
	fs.html = t.walkHTML(folder.url+"\x00", func(n *navNode, start, mark, end int) {
		if mark >= 0 && site.ParentURL(n.url) == folder.url {
			fs.marks[n] = mark
		}
		if n == lastListed {
			fs.last.start, fs.last.end = start, end
		}
	})
	s, _ := t.sidebars.LoadOrStore(folder, fs)
	return s.(*folderSidebar)
}

// walkHTML writes the sidebar for the page at cur as the tree is walked,
// with the escaped titles and links of its nodes made once; marked, when
// not nil, is told where each node's entry starts, takes the current
// page's mark (writeNavItem) and ends.
func (t *navTree) walkHTML(cur string, marked func(n *navNode, start, mark, end int)) string {
	var b strings.Builder
	b.Grow(8 << 10)
	t.walk(t.root, cur, func(it NavItem, n *navNode) {
		if n == nil {
			writeNavItem(&b, &it, html.EscapeString(it.Href), "")
			return
		}
		start := b.Len()
		mark := writeNavItem(&b, &it, n.escHref, n.escTitle)
		if marked != nil {
			marked(n, start, mark, b.Len())
		}
	})
	return b.String()
}

// escape gives every node its escaped title and link.
func (t *navTree) escape() {
	for _, n := range t.byURL {
		if n.escaped {
			continue // a node shared with the tree this one was made from (retitled)
		}
		n.escTitle = html.EscapeString(n.title)
		if n.linked {
			n.escHref = html.EscapeString(t.base + strings.TrimPrefix(n.url, "/"))
		}
		n.escaped = true
	}
}

// walk hands emit the part of the sidebar for the page at cur below n,
// item by item, with the node of each entry (nil for an End or a More).
func (t *navTree) walk(n *navNode, cur string, emit func(it NavItem, n *navNode)) {
	kids := n.children
	more, extra := 0, -1
	if len(kids) > maxSiblings {
		// Keep the current page visible in a long folder.
		idx := n.onPath(cur)
		more = len(kids) - maxSiblings
		if idx >= maxSiblings {
			kids, extra = kids[:maxSiblings-1], idx
		} else {
			kids = kids[:maxSiblings]
		}
	}
	for i := 0; i < len(kids) || i == len(kids) && extra >= 0; i++ {
		var k *navNode
		if i < len(kids) {
			k = kids[i]
		} else {
			k = n.children[extra] // the current page, past the cut
		}
		it := t.item(k, cur)
		emit(it, k)
		if it.Open {
			t.walk(k, cur, emit)
			emit(NavItem{End: true}, nil)
		}
	}
	if more > 0 {
		u := ""
		if n.linked {
			u = n.url
		}
		emit(NavItem{More: more, URL: u, Href: t.base + strings.TrimPrefix(u, "/")}, nil)
	}
}

// item is the sidebar's entry for node k in the sidebar of the page at
// cur.
func (t *navTree) item(k *navNode, cur string) NavItem {
	it := NavItem{Title: k.title, Folder: len(k.children) > 0, Current: k.url == cur, InPath: k.url != cur && strings.HasPrefix(cur, k.url)}
	if k.linked {
		it.URL, it.Href = k.url, t.base+strings.TrimPrefix(k.url, "/")
	}
	it.Open = it.Folder && (it.Current || it.InPath)
	return it
}

// onPath returns the position in n's children of the first that is a
// prefix of cur, or -1: the child on the way to cur. n.pos must be set.
func (n *navNode) onPath(cur string) int {
	idx := -1
	for j := 1; j <= len(cur); j++ {
		if n.slashed && cur[j-1] != '/' {
			continue
		}
		if i, ok := n.pos[cur[:j]]; ok && (idx < 0 || i < idx) {
			idx = i
		}
	}
	return idx
}

// foldersOnPath returns, in order, the positions of n's children that
// are folders on the way to cur (their URL a prefix of it): a long folder
// finds them by cur's prefixes (pos) rather than by reading every child,
// which each of its thousands of pages would do.
func (n *navNode) foldersOnPath(cur string) []int {
	var out []int
	if n.pos == nil {
		for i, k := range n.children {
			if len(k.children) > 0 && strings.HasPrefix(cur, k.url) {
				out = append(out, i)
			}
		}
		return out
	}
	for j := 1; j <= len(cur); j++ {
		if n.slashed && cur[j-1] != '/' {
			continue
		}
		if i, ok := n.pos[cur[:j]]; ok && len(n.children[i].children) > 0 {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	return out
}

// crumbs returns the links from the home page down to cur's parent.
func (t *navTree) crumbs(cur string) []Link {
	if cur == "/" {
		return []Link{}
	}
	out := []Link{{Title: "Home", URL: "/", Href: t.base}}
	var chain []Link
	for u := site.ParentURL(cur); u != "/"; u = site.ParentURL(u) {
		n := t.byURL[u]
		if n == nil {
			continue
		}
		l := Link{Title: n.title}
		if n.linked {
			l.URL, l.Href = n.url, t.base+strings.TrimPrefix(n.url, "/")
		}
		chain = append(chain, l)
	}
	slices.Reverse(chain)
	return append(out, chain...)
}

// writeNavItem writes one item of the sidebar, given its link and title
// escaped, and returns where in b its link takes the current page's mark
// (aria-current, after the href), or -1 for an item without a link.
func writeNavItem(b *strings.Builder, it *NavItem, href, title string) (mark int) {
	mark = -1
	switch {
	case it.End:
		b.WriteString("</ul></li>")
	case it.More > 0:
		b.WriteString(`<li class="nav-more">`)
		if it.URL != "" {
			fmt.Fprintf(b, `<a href="%s">%d more…</a>`, href, it.More)
		} else {
			fmt.Fprintf(b, `<span>%d more…</span>`, it.More)
		}
		b.WriteString("</li>")
	default:
		b.WriteString(`<li class="nav-item`)
		if it.Folder {
			b.WriteString(" nav-folder")
		}
		if it.InPath {
			b.WriteString(" nav-open")
		}
		b.WriteString(`">`)
		if it.URL != "" {
			b.WriteString(`<a href="`)
			b.WriteString(href)
			b.WriteString(`"`)
			mark = b.Len()
			if it.Current {
				b.WriteString(` aria-current="page"`)
			}
			b.WriteString(">")
			b.WriteString(title)
			b.WriteString("</a>")
		} else {
			b.WriteString(`<span class="nav-label">`)
			b.WriteString(title)
			b.WriteString("</span>")
		}
		if it.Open {
			b.WriteString("<ul>")
		} else {
			b.WriteString("</li>")
		}
	}
	return mark
}

// folders returns the site paths of every folder in the tree, sorted.
func (t *navTree) folders() []string {
	var out []string
	for u, n := range t.byURL {
		if len(n.children) > 0 && u != "/" {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// Sidebars is what a Renderer's sidebars are made from (its tree), kept
// apart from the renderer and its site: a preview holds its pages with a
// mark where their sidebar goes (Renderer.ShareSidebars), and fills them
// from the Sidebars of the renderer that made the site it serves.
type Sidebars struct{ t *navTree }

// Sidebars returns the sidebars r writes.
func (r *Renderer) Sidebars() *Sidebars { return &Sidebars{r.nav} }

// sharedMark is what a file rendered with shared sidebars
// (Renderer.ShareSidebars) holds where the sidebar of the page at url
// goes: sidebarMark, which no page holds by chance, with the URL in hex
// before its end.
func sharedMark(url string) string {
	return sharedPrefix() + hex.EncodeToString([]byte(url)) + "-->"
}

var sharedPrefix = sync.OnceValue(func() string { return strings.TrimSuffix(sidebarMark(), "-->") + " " })

// nextMark finds the first shared mark in b: where it starts and ends,
// and the URL it names; i is -1 when b holds none.
func nextMark(b []byte) (i, end int, url string) {
	prefix := sharedPrefix()
	for from := 0; ; {
		k := bytes.Index(b[from:], []byte(prefix))
		if k < 0 {
			return -1, 0, ""
		}
		i = from + k
		rest := b[i+len(prefix):]
		if n := bytes.Index(rest, []byte("-->")); n >= 0 {
			if u, err := hex.DecodeString(string(rest[:n])); err == nil {
				return i, i + len(prefix) + n + 3, string(u)
			}
		}
		from = i + len(prefix)
	}
}

// SharedURL returns the URL whose sidebar a file rendered with shared
// sidebars (Renderer.ShareSidebars) shows, and false for a file that
// holds no mark: one that shows no sidebar, or shows it otherwise.
func SharedURL(b []byte) (string, bool) {
	i, _, url := nextMark(b)
	return url, i >= 0
}

// Sum returns a sum of the sidebar of the page at url: two Sidebars of
// one process whose sums for a URL are equal write the same sidebar for
// it.
func (s *Sidebars) Sum(url string) uint64 {
	var h maphash.Hash
	h.SetSeed(sidebarSeed)
	for _, part := range s.t.htmlParts(url) {
		h.WriteString(part)
		h.WriteByte(0)
	}
	return h.Sum64()
}

var sidebarSeed = maphash.MakeSeed()

// Fill appends b to dst with the sidebar each shared mark in b names
// (Renderer.ShareSidebars) in its place: the file as a renderer without
// shared sidebars writes it.
func (s *Sidebars) Fill(dst, b []byte) []byte {
	for {
		i, end, url := nextMark(b)
		if i < 0 {
			return append(dst, b...)
		}
		parts := s.t.htmlParts(url)
		dst = slices.Grow(dst, len(b)-(end-i)+len(parts[0])+len(parts[1])+len(parts[2]))
		dst = append(dst, b[:i]...)
		for _, part := range parts {
			dst = append(dst, part...)
		}
		b = b[end:]
	}
}
