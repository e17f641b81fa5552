package lint

import (
	"bytes"
	"fmt"
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/site"
)

// prose calls f with each stretch of text readers see in p (not code), and
// its offset in src, the page's source (markdown.Document.Markdown).
// Pages whose source was dropped have none.
func prose(p *site.Page, src []byte, f func(text []byte, off int)) {
	for _, sp := range p.Doc.Prose {
		if int(sp.End) <= len(src) {
			f(src[sp.Start:sp.End], int(sp.Start))
		}
	}
}

// srcPos is the file position of a byte offset in p's Markdown source.
func srcPos(p *site.Page, off int) diag.Position {
	line, col := p.Doc.Pos(off)
	return at(p, line, col)
}

var (
	todoRE  = regexp.MustCompile(`\b(?:TODO|TBD|FIXME)\b`)
	braceRE = regexp.MustCompile(`\{\s*[A-Za-z][^{}\n"=;]{0,400}\}`)
	angleRE = regexp.MustCompile(`<\s*([A-Za-z][\w-]*)((?:\s+[\w'-]+)+)\s*>`)
)

// htmlTags are element names that are not placeholders when written in
// angle brackets with words after them.
var htmlTags = strings.Fields(`a abbr address article aside audio b bdi bdo blockquote body br button
canvas caption center cite code col colgroup data dd del details dfn dialog div dl dt em embed
fieldset figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr html i iframe img
input ins kbd label legend li link main map mark meta meter nav noscript object ol optgroup option
output p param picture pre progress q rp rt ruby s samp script section select small source span
strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr
track u ul var video wbr`)

// placeholders returns the unfilled template text in b: TODO, TBD,
// FIXME, {placeholder} and <fill in>, as [start, end) pairs. Braces that
// are syntax are not placeholders: ${VAR}, {{template}}, %{format},
// #{interpolation}; a path parameter (/users/{id}, {ns}/pods); a brace
// glued to a word or closing bracket (LaTeX's \frac{a}{b}, x^{2},
// file{1,2}); a brace holding a backslash (math); a set or brace
// expansion, a comma-separated list of single words ({error, ignore},
// {en,de}). Nor are Hugo's shortcodes, {{< youtube id >}}.
func placeholders(b []byte) [][]int {
	var out [][]int
	if holdsTodo(b) {
		out = append(out, todoRE.FindAllIndex(b, -1)...)
	}
	hasBrace, hasAngle := bytes.IndexByte(b, '{') >= 0, bytes.IndexByte(b, '<') >= 0
	if !hasBrace && !hasAngle {
		return out
	}
	for _, m := range braceRE.FindAllIndex(b, -1) {
		if m[0] > 0 && strings.IndexByte("${%#", b[m[0]-1]) >= 0 || m[1] < len(b) && b[m[1]] == '}' {
			continue // ${VAR}, {{template}}, %{format}, #{interpolation}
		}
		if braceSyntax(b, m[0], m[1]) {
			continue
		}
		out = append(out, m)
	}
	for _, m := range angleRE.FindAllSubmatchIndex(b, -1) {
		if !hasAngle {
			break
		}
		if m[0] > 0 && b[m[0]-1] == '{' || m[1] < len(b) && b[m[1]] == '}' {
			continue // a Hugo shortcode: {{< youtube id >}}
		}
		name := strings.ToLower(string(b[m[2]:m[3]]))
		if !slices.Contains(htmlTags, name) {
			out = append(out, m[:2])
		}
	}
	slices.SortFunc(out, func(x, y []int) int { return x[0] - y[0] })
	return out
}

// holdsTodo reports whether b holds TODO, TBD or FIXME, without which
// todoRE finds nothing. It looks for the capital D and X of the words,
// rare in prose where T and F start sentences: the text of every page is
// searched.
func holdsTodo(b []byte) bool {
	return holdsAround(b, 'D', "TO", "O") || holdsAround(b, 'D', "TB", "") || holdsAround(b, 'X', "FI", "ME")
}

// holdsAround reports whether b holds before+c+after.
func holdsAround(b []byte, c byte, before, after string) bool {
	for i := 0; i < len(b); {
		j := bytes.IndexByte(b[i:], c)
		if j < 0 {
			return false
		}
		i += j
		if i >= len(before) && string(b[i-len(before):i]) == before && len(b)-i-1 >= len(after) && string(b[i+1:i+1+len(after)]) == after {
			return true
		}
		i++
	}
	return false
}

// braceSyntax reports whether the braces b[start:end] are syntax rather
// than a placeholder: see placeholders.
func braceSyntax(b []byte, start, end int) bool {
	if start > 0 {
		c := b[start-1]
		if isWordByte(c) || strings.IndexByte(`/\^})]`, c) >= 0 {
			return true // /users/{id}, \begin{aligned}, x^{2}, \frac{a}{b}
		}
	}
	if end < len(b) && b[end] == '/' {
		return true // {ns}/pods
	}
	inner := b[start+1 : end-1]
	if bytes.IndexByte(inner, '\\') >= 0 {
		return true // math: { L_1 + 0.05 \over L_2 }
	}
	parts := bytes.Split(inner, []byte(","))
	if len(parts) < 2 {
		return false
	}
	for _, part := range parts {
		if w := bytes.TrimSpace(part); len(w) == 0 || bytes.ContainsAny(w, " \t") {
			return false // {name, e.g. the service's}: a placeholder
		}
	}
	return true // {error, ignore}, {en,de}
}

func isWordByte(c byte) bool { return wordBytes[c] }

// wordBytes holds the bytes of words: ASCII letters, digits and _, as \w.
var wordBytes = func() (t [256]bool) {
	for c := range t {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
	}
	return t
}()

func placeholder(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		for _, key := range []string{"title", "description", "owner"} {
			var v string
			switch key {
			case "title":
				v = p.Title
			case "description":
				v = p.Description
			case "owner":
				v = p.Owner
			}
			if pos, ok := p.Fields[key]; ok && len(placeholders([]byte(v))) > 0 {
				out.Add(pos, r.Severity, r.ID, "%s %q is template text; fill it in", key, v)
			}
		}
		prose(p, p.Doc.Markdown(), func(text []byte, off int) {
			for _, m := range placeholders(text) {
				out.Add(srcPos(p, off+m[0]), r.Severity, r.ID, "%q is a placeholder left from a template; fill it in or remove it", clip(string(text[m[0]:m[1]]), 60))
			}
		})
	}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n] + "…"
}

// emptySection reports each heading with nothing under it. Sections that
// hold only HTML comments, the hints a template leaves for its writer,
// are reported once per page, at the first of them: a page copied from a
// template and not filled in is one thing to fix, not one per heading.
func emptySection(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		hs := p.Doc.Headings
		var hinted []string
		first := 0
		for i, h := range hs {
			if !h.Empty {
				continue
			}
			end := 0 // the line of the next heading, 0 for the end of the page
			if i+1 < len(hs) {
				end = hs[i+1].Line
			}
			if !holdsComment(p, h.Line, end) {
				out.Add(at(p, h.Line, 1), r.Severity, r.ID, "section %q is empty; write it, or remove the heading", h.Text)
				continue
			}
			if len(hinted) == 0 {
				first = h.Line
			}
			hinted = append(hinted, h.Text)
		}
		switch n := len(hinted); {
		case n == 1:
			out.Add(at(p, first, 1), r.Severity, r.ID, "section %q holds only a comment; write it, or remove the heading", hinted[0])
		case n > 1:
			out.Add(at(p, first, 1), r.Severity, r.ID, "%d sections hold only comments, as a template leaves them (%s); write them, or remove the headings", n, quoteSome(hinted, 3))
		}
	}
}

// holdsComment reports whether the lines of p's file after line from and
// before line to (0: to the end) hold an HTML comment.
func holdsComment(p *site.Page, from, to int) bool {
	src := p.Doc.Markdown()
	line, start, end := p.Doc.FirstLine, -1, len(src)
	for i := 0; i <= len(src); i++ {
		if i < len(src) && src[i] != '\n' {
			continue
		}
		line++ // src[i+1:] starts this line
		if line == from+1 {
			start = i + 1
		}
		if line == to {
			end = min(i+1, len(src))
			break
		}
	}
	return start >= 0 && start <= end && bytes.Contains(src[start:end], []byte("<!--"))
}

// quoteSome quotes the first n of names and counts the others: "A", "B"
// and 2 more.
func quoteSome(names []string, n int) string {
	var b strings.Builder
	for i, s := range names[:min(n, len(names))] {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Quote(s))
	}
	if len(names) > n {
		fmt.Fprintf(&b, " and %d more", len(names)-n)
	}
	return b.String()
}

func runbookEscalation(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		if p.Runbook == nil || p.IsIndex || p.Runbook.Escalation != "" {
			continue
		}
		if slices.ContainsFunc(p.Doc.Headings, func(h markdown.Heading) bool {
			return strings.HasPrefix(strings.ToLower(h.Text), "escalat")
		}) {
			continue // an empty one is empty-section's
		}
		out.Add(at(p, 1, 1), r.Severity, r.ID, "runbook says nowhere whom to escalate to; add an escalation: field or an Escalation section")
	}
}

func supersessionMismatch(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Pages {
		if p.ADR == nil || len(p.SupersededBy) == 0 || p.ADR.Status == "superseded" || p.ADR.Status == "" {
			continue
		}
		out.Add(field(p, "status"), r.Severity, r.ID, "ADR is superseded by %s but its status is %s; set status: superseded", p.SupersededBy[0].Ref(), p.ADR.Status)
	}
}

func linkToSuperseded(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		for _, q := range p.Outgoing {
			if q.ADR == nil || q.ADR.Status != "superseded" || len(q.SupersededBy) == 0 {
				continue
			}
			if slices.Contains(q.SupersededBy, p) || slices.Contains(q.Supersedes, p) {
				continue // the ADRs of the supersession name each other
			}
			if slices.ContainsFunc(q.SupersededBy, func(n *site.Page) bool { return slices.Contains(p.Outgoing, n) }) {
				continue // the page links to the newer ADR too: it tells the story
			}
			out.Add(linkPos(p, q), r.Severity, r.ID, "links to %s, which %s supersedes; link to the newer ADR if that is what you mean", q.Ref(), q.SupersededBy[0].Ref())
		}
	}
}

// orphanPage reports plain pages that a reader cannot reach without
// searching. A page is reached when another page links to it (a link, a
// [[reference]], a front-matter reference), when it is on the start-here
// path, or when a page the site generates lists it:
//
//   - the sidebar, which lists every published page, but only the first
//     maxSidebar entries of a folder (see sidebarHidden);
//   - its folder's page: an index page's "In this section", or the
//     listing generated for a folder without one. The home page lists no
//     plain pages, nor does a kind's index (the ADR log lists ADRs);
//   - a tag's or a service's page, for a page with tags: or services:.
//
// Kinds with a generated index (runbooks, ADRs, postmortems, evaluations,
// posts) are reached through it, and folder index pages through the
// folder; so, with the default theme, an orphan is a plain page beyond the
// sidebar's reach in a long folder whose page does not list it: the root
// folder, or a folder that is a kind's index.
func orphanPage(s *site.Site, r *Rule, out *diag.List) {
	// The pages' own fields rule most pages out; the site-wide views
	// (relations, kind indexes, the sidebar) are made only for the rest.
	var cands []*site.Page
	for _, p := range s.Published() {
		if p.Kind != "page" || p.IsIndex || p.URL == "/" || p.Step > 0 {
			continue
		}
		if len(p.Tags) > 0 || len(p.Services) > 0 {
			continue // listed on its tags' and services' pages
		}
		if slices.ContainsFunc(p.Backlinks, func(q *site.Page) bool { return q != p }) {
			continue
		}
		cands = append(cands, p)
	}
	if len(cands) == 0 {
		return
	}
	linked := map[*site.Page]bool{}
	for _, p := range s.Published() {
		for _, rel := range p.Relations {
			for _, q := range rel.Pages {
				linked[q] = true
			}
		}
	}
	indexes := kindIndexes(s)
	cands = slices.DeleteFunc(cands, func(p *site.Page) bool {
		if linked[p] {
			return true
		}
		dir := site.ParentURL(p.URL)
		return dir != "/" && !indexes[dir] // its folder's page lists it
	})
	if len(cands) == 0 {
		return
	}
	hidden := sidebarHidden(s)
	for _, p := range cands {
		if hidden[p] == 0 {
			continue
		}
		out.Add(at(p, 1, 1), r.Severity, r.ID, "no page links to this page or lists it, and the sidebar shows only the first %d of the %d entries of its folder; link to it from a page readers reach (an index, a guide, the start-here path)", maxSidebar, hidden[p])
	}
}

// maxSidebar is how many entries of one folder the default theme's
// sidebar lists (render's maxSiblings); its "more" entry leads to the
// folder's page.
const maxSidebar = 50

// dashSpace turns the hyphens and underscores of a folder's name into
// spaces, as the theme's sidebar titles folders without a page.
var dashSpace = strings.NewReplacer("-", " ", "_", " ")

// sidebarHidden returns the published pages that the default theme's
// sidebar leaves out, each with the number of entries of its folder: the
// entries past the first maxSidebar of a folder, in the sidebar's order
// (weight, an ADR's number standing for its weight; pages before
// folders; title; URL). The entries the renderer adds (kind indexes,
// Services, Start here) are not counted, so a page at the edge counts as
// shown.
func sidebarHidden(s *site.Site) map[*site.Page]int {
	type entry struct {
		page   *site.Page
		url    string
		title  string
		lower  string // title in lower case, for sorting
		weight int
		folder bool
	}
	entries := map[string]*entry{}
	dirs := map[string][]*entry{}
	var ensure func(u string) *entry
	ensure = func(u string) *entry {
		if e := entries[u]; e != nil {
			return e
		}
		e := &entry{url: u}
		entries[u] = e
		if u != "/" {
			parent := ensure(site.ParentURL(u))
			parent.folder = true
			dirs[parent.url] = append(dirs[parent.url], e)
			seg := strings.TrimSuffix(u, "/")
			e.title = dashSpace.Replace(seg[strings.LastIndexByte(seg, '/')+1:])
		}
		return e
	}
	for _, p := range s.Published() {
		if p.URL == "/" {
			continue
		}
		e := ensure(p.URL)
		e.page, e.title, e.weight = p, p.Title, p.Weight
		if e.weight == 0 && p.ADR != nil && p.ADR.HasNumber {
			e.weight = p.ADR.Number
		}
	}
	hidden := map[*site.Page]int{}
	for _, kids := range dirs {
		if len(kids) <= maxSidebar {
			continue
		}
		for _, e := range kids {
			e.lower = strings.ToLower(e.title)
		}
		slices.SortFunc(kids, func(a, b *entry) int {
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
			if a.folder != b.folder {
				if a.folder {
					return 1
				}
				return -1
			}
			if c := strings.Compare(a.lower, b.lower); c != 0 {
				return c
			}
			return strings.Compare(a.url, b.url)
		})
		for _, e := range kids[maxSidebar:] {
			if e.page != nil {
				hidden[e.page] = len(kids)
			}
		}
	}
	return hidden
}

// kindIndexes returns the folders whose page is a kind's generated index:
// the renderer puts it in the folder that holds every page of the kind
// when that folder has no page of its own or an index page. It lists that
// kind's pages only.
func kindIndexes(s *site.Site) map[string]bool {
	common := map[string]string{}
	for _, p := range s.Published() {
		if p.Kind == "page" {
			continue
		}
		dir := p.URL
		if !p.IsIndex {
			dir = site.ParentURL(p.URL)
		}
		c, ok := common[string(p.Kind)]
		if !ok {
			c = dir
		}
		for !strings.HasPrefix(dir, c) {
			c = site.ParentURL(c)
		}
		common[string(p.Kind)] = c
	}
	out := map[string]bool{}
	for _, dir := range common {
		if q := s.PageAt(dir); dir != "/" && (q == nil || q.IsIndex) {
			out[dir] = true
		}
	}
	return out
}

// hasOwnerText tells whether an action item's text names an owner: an
// @handle, or "owner: x", "assignee = x", "assigned to x", "DRI - x" with
// a real value (not TBD, n/a, nobody, …).
func hasOwnerText(text string) bool {
	if handleRE.MatchString(text) {
		return true
	}
	for _, m := range ownerRE.FindAllStringSubmatch(text, -1) {
		if filled(m[1] + m[2]) {
			return true
		}
	}
	return false
}

var (
	handleRE = regexp.MustCompile(`(?:^|[\s(\[,;])@[\w.-]*\w`)
	ownerRE  = regexp.MustCompile(`(?i)\b(?:owners?|assignee|dri|responsible)\s*(?::|=|—|–| - )\s*([\w.@-]+(?:\s+yet)?)|\b(?:assigned to|owned by)\s*:?\s*([\w.@-]+)`)
	ticketRE = regexp.MustCompile(`\b[A-Z][A-Z0-9]+-\d+\b|(?:^|\s)#\d+\b|(?i)\b(?:ticket|issue|jira|bug)\s*[:#]?\s*\d+`)
)

// namesTicket reports whether ticketRE matches text. Every one of its
// forms holds a digit; the first, an issue key (OPS-12), is how most items
// name their ticket, and is looked for by hand, as the expression tries
// its three forms at every byte of every item up to the one that matches.
func namesTicket(text string) bool {
	if !strings.ContainsAny(text, "0123456789") {
		return false
	}
	return hasIssueKey(text) || ticketRE.MatchString(text)
}

// hasIssueKey reports whether text holds an issue key as ticketRE's first
// form, \b[A-Z][A-Z0-9]+-\d+\b, matches it: at each hyphen followed by
// digits and a word boundary, the run of [A-Z0-9] before it is at least
// two long, starts with a letter and follows a word boundary (inside
// the run there is none).
func hasIssueKey(text string) bool {
	for j := 0; j < len(text); j++ {
		if text[j] != '-' {
			continue
		}
		k := j + 1
		for k < len(text) && '0' <= text[k] && text[k] <= '9' {
			k++
		}
		if k == j+1 || k < len(text) && isWordByte(text[k]) {
			continue
		}
		i := j
		for i > 0 && ('A' <= text[i-1] && text[i-1] <= 'Z' || '0' <= text[i-1] && text[i-1] <= '9') {
			i--
		}
		if j-i >= 2 && 'A' <= text[i] && text[i] <= 'Z' && (i == 0 || !isWordByte(text[i-1])) {
			return true
		}
	}
	return false
}

// column returns the index of the first header cell starting with one of
// names, or -1.
func column(header []string, names ...string) int {
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, n := range names {
			if strings.HasPrefix(h, n) {
				return i
			}
		}
	}
	return -1
}

func filled(cell string) bool {
	v := strings.ToLower(strings.Trim(strings.TrimSpace(cell), "*_`.,;()"))
	v = strings.TrimSuffix(v, " yet")
	switch v {
	case "", "-", "—", "–", "?", "tbd", "todo", "n/a", "na", "none", "nobody", "unassigned":
		return false
	}
	return true
}

// actionItems checks that every action item of a postmortem names an owner
// (rule action-item-owner) and links to a ticket (action-item-ticket).
// Items are the list items and table rows under an "Action items"
// heading (or Follow-up, Corrective actions).
func actionItems(owner, ticket *Rule) func(s *site.Site, r *Rule, out *diag.List) {
	return func(s *site.Site, _ *Rule, out *diag.List) {
		for _, p := range s.Published() {
			if p.Postmortem == nil {
				continue
			}
			for _, it := range p.Doc.Items {
				hasOwner, hasTicket := false, len(it.Links) > 0
				if c := column(it.Header, "owner", "assignee", "who", "responsible", "assigned", "dri"); c >= 0 && c < len(it.Cells) {
					hasOwner = filled(it.Cells[c])
				} else {
					hasOwner = hasOwnerText(it.Text)
				}
				if c := column(it.Header, "ticket", "issue", "jira", "link", "tracking"); c >= 0 && c < len(it.Cells) && !hasTicket {
					hasTicket = namesTicket(it.Cells[c])
				} else if !hasTicket {
					hasTicket = namesTicket(it.Text)
				}
				pos := at(p, it.Line, it.Col)
				if !hasOwner {
					out.Add(pos, owner.Severity, owner.ID, "action item %q has no owner; name one (@name, \"owner: team\", or an Owner column)", clip(it.Text, 60))
				}
				if !hasTicket {
					out.Add(pos, ticket.Severity, ticket.ID, "action item %q links to no ticket; link the issue that tracks it", clip(it.Text, 60))
				}
			}
		}
	}
}

// DefaultBlameWords are the phrases blameless-language reports. A phrase
// that starts with a modal verb ("should have", "could have prevented")
// is reported only when it blames a person: see blamesPerson.
var DefaultBlameWords = []string{
	"human error", "operator error", "user error", "should have", "should've", "could have prevented",
	"careless", "carelessness", "negligent", "negligence", "fault of", "his fault", "her fault",
	"their fault", "to blame", "blamed", "incompetent", "sloppy", "lazy", "stupid", "failed to notice",
	"didn't bother", "forgot to",
}

// phraseRE matches any of the phrases as whole words, case-insensitively,
// across line breaks.
func phraseRE(phrases []string) *regexp.Regexp {
	var alts []string
	for _, w := range phrases {
		words := strings.Fields(w)
		for i, x := range words {
			words[i] = regexp.QuoteMeta(x)
		}
		if len(words) > 0 {
			alts = append(alts, strings.Join(words, `\s+`))
		}
	}
	if len(alts) == 0 {
		return nil
	}
	return regexp.MustCompile(`(?i)\b(?:` + strings.Join(alts, "|") + `)\b`)
}

// longS and kelvin are the two runes outside ASCII that a
// case-insensitive regular expression matches with an ASCII letter (s
// and k).
var longS, kelvin = []byte("\u017f"), []byte("\u212a")

// phraseMatcher finds what phraseRE finds, at the same offsets, without
// running the expression, whose alternation of every phrase, tried at
// every offset of every postmortem, cost most of the rules' time. At each
// offset it tries the phrases that start with the byte there, in their
// order, as the expression's leftmost-first alternation does, each word
// folded in ASCII, the words apart by \s+ ([\t\n\f\r ]), with a word
// boundary (\b, ASCII) at both ends. It folds case in ASCII only: it
// serves phrases written in ASCII, and text free of longS and kelvin.
type phraseMatcher struct {
	words   [][][]byte // each phrase's words, lower case
	byFirst [256][]int // the phrases by their first byte, in either case
}

// newPhraseMatcher returns the matcher of phrases, or nil when a phrase
// has a byte outside ASCII or when there are none, which phraseRE serves
// (or finds nothing).
func newPhraseMatcher(phrases []string) *phraseMatcher {
	m := &phraseMatcher{}
	for _, ph := range phrases {
		var words [][]byte
		for _, w := range strings.Fields(ph) {
			b := []byte(w)
			for i, c := range b {
				if c >= utf8.RuneSelf {
					return nil
				}
				b[i] = lowerASCII(c)
			}
			words = append(words, b)
		}
		if len(words) > 0 {
			c := words[0][0]
			m.byFirst[c] = append(m.byFirst[c], len(m.words))
			if 'a' <= c && c <= 'z' {
				m.byFirst[c-'a'+'A'] = m.byFirst[c]
			}
			m.words = append(m.words, words)
		}
	}
	if len(m.words) == 0 {
		return nil
	}
	return m
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// findAll returns the [start, end) offsets of the phrases in text, as
// phraseRE's FindAllIndex does: leftmost first, each search going on
// where the last match ended.
func (m *phraseMatcher) findAll(text []byte) [][]int {
	var out [][]int
	for i := 0; i < len(text); i++ {
		phrases := m.byFirst[text[i]]
		if len(phrases) == 0 || (i > 0 && isWordByte(text[i-1])) == isWordByte(text[i]) {
			continue // no phrase starts with it, or no word boundary before it
		}
		for _, k := range phrases {
			if end := matchWords(text, i, m.words[k]); end >= 0 {
				out = append(out, []int{i, end})
				i = end - 1
				break
			}
		}
	}
	return out
}

// matchWords returns where the phrase of words written at text[start:]
// ends, followed by a word boundary, or -1.
func matchWords(text []byte, start int, words [][]byte) int {
	i := start
	for j, w := range words {
		if j > 0 {
			k := i
			for k < len(text) && isRESpace(text[k]) {
				k++
			}
			if k == i {
				return -1
			}
			i = k
		}
		if len(text)-i < len(w) {
			return -1
		}
		for k, c := range w {
			if lowerASCII(text[i+k]) != c {
				return -1
			}
		}
		i += len(w)
	}
	if isWordByte(text[i-1]) == (i < len(text) && isWordByte(text[i])) {
		return -1 // no word boundary after it
	}
	return i
}

// isRESpace reports whether c is a space as \s is in a regular
// expression: not \v.
func isRESpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
}

// phraseFinder returns a function that finds the phrases in text, by
// phraseMatcher where it can and else by phraseRE (compiled when first
// needed), or nil when there are no phrases.
func phraseFinder(phrases []string) func(text []byte) [][]int {
	m := newPhraseMatcher(phrases)
	if m == nil {
		re := phraseRE(phrases)
		if re == nil {
			return nil
		}
		return func(text []byte) [][]int { return re.FindAllIndex(text, -1) }
	}
	var re *regexp.Regexp
	return func(text []byte) [][]int {
		if !bytes.Contains(text, longS) && !bytes.Contains(text, kelvin) {
			return m.findAll(text)
		}
		if re == nil {
			re = phraseRE(phrases)
		}
		return re.FindAllIndex(text, -1)
	}
}

func blamelessLanguage(s *site.Site, r *Rule, out *diag.List) {
	words := s.Config.Check.BlameWords
	if words == nil {
		words = DefaultBlameWords
	}
	find := phraseFinder(words)
	if find == nil {
		return
	}
	for _, p := range s.Published() {
		if p.Postmortem == nil {
			continue
		}
		var people map[string]bool // read when a modal phrase is found
		src := p.Doc.Markdown()
		prose(p, src, func(text []byte, off int) {
			for _, m := range find(text) {
				phrase := strings.Join(strings.Fields(string(text[m[0]:m[1]])), " ")
				if isModal(phrase) {
					if people == nil {
						people = peopleOf(p)
					}
					if !blamesPerson(src, off+m[0], off+m[1], hasVerb(phrase), people) {
						continue
					}
				}
				out.Add(srcPos(p, off+m[0]), r.Severity, r.ID, "%q blames people; describe what the system allowed and how to change it (blameless postmortems look for causes, not culprits)", phrase)
			}
		})
	}
}

// modals are the verbs whose phrases are about people only when a person
// is their subject: "each repository should have rules" blames nobody.
var modals = []string{"should", "should've", "shouldn't", "could", "could've", "couldn't", "would", "would've", "must", "must've", "might", "might've"}

func isModal(phrase string) bool {
	f := strings.Fields(strings.ToLower(phrase))
	return len(f) > 0 && slices.Contains(modals, f[0])
}

// hasVerb reports whether a modal phrase holds the verb it puts in the
// perfect: "could have prevented", "should've known"; "should have" does
// not.
func hasVerb(phrase string) bool {
	f := strings.Fields(strings.ToLower(phrase))
	n := len(f)
	if n > 0 && strings.HasSuffix(f[0], "'ve") {
		n++
	}
	return n > 2
}

// personWords are subjects that are people: pronouns, and roles in the
// singular and the plural.
var personWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("i we you he she they someone somebody anyone anybody everyone everybody people staff") {
		m[w] = true
	}
	for _, w := range strings.Fields(`engineer operator on-call oncall on-caller developer dev admin administrator
		sre reviewer approver author owner responder commander lead manager person human employee contractor
		team member maintainer deployer colleague teammate`) {
		m[w], m[w+"s"] = true, true
	}
	return m
}()

// peopleOf returns the names a page gives people, lower case: the words
// of its owner and of a postmortem's responders (@alice → alice).
func peopleOf(p *site.Page) map[string]bool {
	m := map[string]bool{}
	names := []string{p.Owner}
	if p.Postmortem != nil {
		names = append(names, p.Postmortem.Responders...)
	}
	for _, n := range names {
		for _, w := range strings.FieldsFunc(strings.ToLower(n), func(r rune) bool { return r == ' ' || r == ',' || r == '@' || r == '(' || r == ')' }) {
			m[w] = true
		}
	}
	return m
}

// blamesPerson reports whether the modal phrase src[start:end] ("should
// have") blames a person: its subject, the word before it, is a person
// (a pronoun, a role such as "the engineer" or "on-call", an @handle, or
// a name the page gives its owner or responders), and, unless the phrase
// holds its own verb (full, as "could have prevented"), the next word is a
// past participle: "should have rotated", "should have been careful" — not
// "should have access", nor the passive "should have been paged".
func blamesPerson(src []byte, start, end int, full bool, people map[string]bool) bool {
	person := func(w string) bool { return strings.HasPrefix(w, "@") || personWords[w] || people[w] }
	subject, from := wordBefore(src, start)
	for subject != "" && !person(subject) && (adverbs[subject] || strings.HasSuffix(subject, "ly")) {
		subject, from = wordBefore(src, from) // "he really should have"
	}
	if !person(subject) {
		return false
	}
	if full {
		return true
	}
	verb, rest := wordAfter(src, end)
	for adverbs[verb] || strings.HasSuffix(verb, "ly") {
		verb, rest = wordAfter(src, rest)
	}
	if verb == "been" {
		next, _ := wordAfter(src, rest)
		return !participle(next) // "been careful", not "been paged"
	}
	return participle(verb)
}

var adverbs = map[string]bool{"also": true, "just": true, "not": true, "never": true, "already": true, "even": true, "at": true, "least": true, "first": true, "then": true, "still": true}

// irregular are past participles that end in neither -ed nor -en.
var irregular = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`known seen done caught read run told said sent put set built kept left found
		made gone thought brought had got understood hit shut let paid spent heard held led lost meant met
		stood won sold taught felt dealt fought bought`) {
		m[w] = true
	}
	return m
}()

// notParticiples end in -ed or -en but are not past participles.
var notParticiples = map[string]bool{"need": true, "feed": true, "seed": true, "speed": true, "greed": true, "deed": true, "open": true, "often": true, "even": true, "token": true, "seven": true, "eleven": true, "ten": true, "when": true, "then": true}

func participle(w string) bool {
	if irregular[w] {
		return true
	}
	return len(w) >= 4 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "en")) && !notParticiples[w]
}

// wordBefore returns the lower-case word that ends before src[i], past
// spaces, commas and emphasis marks, and the offset where it starts.
func wordBefore(src []byte, i int) (string, int) {
	for i > 0 && strings.IndexByte(" \t\r\n,*_~", src[i-1]) >= 0 {
		i--
	}
	j := i
	for j > 0 && (isWordByte(src[j-1]) || src[j-1] == '-' || src[j-1] == '@' || src[j-1] == '.' || src[j-1] == '\'') {
		j--
	}
	w := strings.ToLower(strings.Trim(string(src[j:i]), ".'"))
	return strings.TrimSuffix(w, "'s"), j
}

// wordAfter returns the lower-case word that starts after src[i], past
// spaces and emphasis marks, and the offset after it.
func wordAfter(src []byte, i int) (string, int) {
	for i < len(src) && strings.IndexByte(" \t\r\n*_~", src[i]) >= 0 {
		i++
	}
	j := i
	for j < len(src) && (isWordByte(src[j]) || src[j] == '-' || src[j] == '\'') {
		j++
	}
	return strings.ToLower(string(src[i:j])), j
}

// DefaultInternalHosts are host name patterns public pages must not name.
var DefaultInternalHosts = []string{"*.internal", "*.corp", "*.local", "*.lan", "*.intranet", "*.intra", "*.private", "*.localdomain", "*.home.arpa"}

var (
	hostRE  = regexp.MustCompile(`(?i)\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}\b`)
	ipv4RE  = regexp.MustCompile(`\b(?:\d{1,3}\.){3}\d{1,3}\b`)
	emailRE = regexp.MustCompile(`(?i)\b[a-z0-9._%+-]+@(?:[a-z0-9-]+\.)+[a-z]{2,}\b`)
	cgnat   = netip.MustParsePrefix("100.64.0.0/10")
)

func matchAny(patterns []string, s string) bool {
	s = strings.ToLower(s)
	for _, p := range patterns {
		if ok, _ := path.Match(strings.ToLower(p), s); ok {
			return true
		}
	}
	return false
}

func privateIP(s string) bool {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return false
	}
	return a.IsPrivate() || a.IsLinkLocalUnicast() || cgnat.Contains(a)
}

// leakFinder finds in text what a public page must not hold: e-mail
// addresses not allowed, private IPv4 addresses and internal host names.
type leakFinder struct {
	hosts, allowed  []string
	email, ip, host *Rule
}

// find calls f with the rule, the offset and the value of each leak in
// text; with skipEmailDomains, the domain of an e-mail address is not
// also reported as a host.
func (lk leakFinder) find(text []byte, skipEmailDomains bool, f func(r *Rule, off int, value string)) {
	for _, m := range emailRE.FindAllIndex(text, -1) {
		if addr := string(text[m[0]:m[1]]); !matchAny(lk.allowed, addr) {
			f(lk.email, m[0], addr)
		}
	}
	for _, m := range ipv4RE.FindAllIndex(text, -1) {
		if a := string(text[m[0]:m[1]]); privateIP(a) {
			f(lk.ip, m[0], a)
		}
	}
	for _, m := range hostRE.FindAllIndex(text, -1) {
		if skipEmailDomains && bytes.IndexByte(text[max(m[0]-1, 0):m[0]], '@') >= 0 {
			continue
		}
		if h := strings.TrimSuffix(string(text[m[0]:m[1]]), "."); matchAny(lk.hosts, h) {
			f(lk.host, m[0], h)
		}
	}
}

// publicPages applies the rules of pages with visibility: public, which a
// public build publishes: they link to no internal page and name no
// internal host, private address or e-mail address, in prose or code.
func publicPages(link, host, ip, email *Rule) func(s *site.Site, r *Rule, out *diag.List) {
	return func(s *site.Site, _ *Rule, out *diag.List) {
		lk := leakFinder{
			hosts:   append(slices.Clone(DefaultInternalHosts), s.Config.Check.InternalHosts...),
			allowed: s.Config.Check.AllowedEmails,
			email:   email, ip: ip, host: host,
		}
		// Under a profile, links to the pages it leaves out (shown as
		// text) are this rule's too; site records them.
		for _, p := range s.Pages {
			for _, lo := range p.LeftOut {
				out.Add(lo.Pos, link.Severity, link.ID, "%s", lo.Message)
			}
		}
		for _, p := range s.Published() {
			if p.Visibility != "public" {
				continue
			}
			for _, q := range p.Outgoing {
				if q.Visibility == "public" {
					continue
				}
				if pos, ok := bodyLinkPos(p, q); ok { // front-matter references follow
					out.Add(pos, link.Severity, link.ID, "public page links to %s, which is internal; make that page public or remove the link", q.Path)
				}
			}
			for _, rel := range p.Relations {
				for _, q := range rel.Pages {
					if q.Visibility != "public" {
						out.Add(field(p, rel.Key), link.Severity, link.ID, "public page lists %s under %s:, which is internal; make that page public or remove it", q.Path, rel.Key)
					}
				}
			}
			for key, v := range map[string]string{"title": p.Title, "description": p.Description} {
				pos, ok := p.Fields[key]
				if !ok || v == "" {
					continue
				}
				lk.find([]byte(v), false, func(r *Rule, _ int, value string) {
					what := map[*Rule]string{email: "holds the e-mail address", ip: "holds the private address", host: "names the internal host"}[r]
					out.Add(pos, r.Severity, r.ID, "public page's %s %s %s; remove it", key, what, value)
				})
			}
			seen := map[int]bool{}
			lk.find(p.Doc.Markdown(), true, func(r *Rule, off int, value string) {
				if seen[off] {
					return
				}
				seen[off] = true
				format := map[*Rule]string{
					email: "public page holds the e-mail address %s; remove it, or allow it under public.allowed_emails",
					ip:    "public page holds the private address %s; remove it or replace it with a documentation address (192.0.2.0/24)",
					host:  "public page names the internal host %s; remove it, or describe it without its name",
				}[r]
				out.Add(srcPos(p, off), r.Severity, r.ID, format, value)
			})
			for _, l := range p.Doc.Links {
				u, err := url.Parse(l.Dest)
				if err != nil || u.Hostname() == "" {
					continue
				}
				if strings.Contains(u.Hostname(), ":") && privateIP(u.Hostname()) { // IPv4 is found in the text
					out.Add(at(p, l.Line, l.Col), ip.Severity, ip.ID, "public page links to the private address %s; remove the link", u.Hostname())
				}
			}
		}
	}
}
