package lint

import (
	"bytes"
	"net/netip"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/site"
)

// prose calls f with each stretch of text readers see in p (not code), and
// its offset in the page's source. Pages whose source was dropped have none.
func prose(p *site.Page, f func(text []byte, off int)) {
	src := p.Doc.Source
	for _, sp := range p.Doc.Prose {
		if sp.End <= len(src) {
			f(src[sp.Start:sp.End], sp.Start)
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
// FIXME, {placeholder} and <fill in>, as [start, end) pairs.
func placeholders(b []byte) [][]int {
	var out [][]int
	if bytes.Contains(b, []byte("TODO")) || bytes.Contains(b, []byte("TBD")) || bytes.Contains(b, []byte("FIXME")) {
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
		out = append(out, m)
	}
	for _, m := range angleRE.FindAllSubmatchIndex(b, -1) {
		if !hasAngle {
			break
		}
		name := strings.ToLower(string(b[m[2]:m[3]]))
		if !slices.Contains(htmlTags, name) {
			out = append(out, m[:2])
		}
	}
	slices.SortFunc(out, func(x, y []int) int { return x[0] - y[0] })
	return out
}

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
		prose(p, func(text []byte, off int) {
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

func emptySection(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		for _, h := range p.Doc.Headings {
			if h.Empty {
				out.Add(at(p, h.Line, 1), r.Severity, r.ID, "section %q is empty; write it, or remove the heading", h.Text)
			}
		}
	}
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

// orphanPage reports plain pages that no other page links to: kinds with
// a generated index (runbooks, ADRs, postmortems, evaluations, posts) are
// reached through it; a guide nobody links to is found only by browsing.
func orphanPage(s *site.Site, r *Rule, out *diag.List) {
	linked := map[*site.Page]bool{}
	for _, p := range s.Published() {
		for _, rel := range p.Relations {
			for _, q := range rel.Pages {
				linked[q] = true
			}
		}
	}
	for _, p := range s.Published() {
		if p.Kind != "page" || p.IsIndex || p.URL == "/" || p.Step > 0 || linked[p] {
			continue
		}
		if slices.ContainsFunc(p.Backlinks, func(q *site.Page) bool { return q != p }) {
			continue
		}
		out.Add(at(p, 1, 1), r.Severity, r.ID, "no other page links to this page; link to it from a page readers reach (an index, a guide, the start-here path)")
	}
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
					hasTicket = ticketRE.MatchString(it.Cells[c])
				} else if !hasTicket {
					hasTicket = ticketRE.MatchString(it.Text)
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

// DefaultBlameWords are the phrases blameless-language reports.
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

func blamelessLanguage(s *site.Site, r *Rule, out *diag.List) {
	words := s.Config.Check.BlameWords
	if words == nil {
		words = DefaultBlameWords
	}
	re := phraseRE(words)
	if re == nil {
		return
	}
	// The regular expression runs only on text holding the first word of
	// a phrase: most sentences hold none.
	var firsts [][]byte
	for _, w := range words {
		if f := strings.Fields(strings.ToLower(w)); len(f) > 0 {
			firsts = append(firsts, []byte(f[0]))
		}
	}
	var lower []byte
	for _, p := range s.Published() {
		if p.Postmortem == nil {
			continue
		}
		prose(p, func(text []byte, off int) {
			lower = append(lower[:0], text...)
			for i, c := range lower {
				if 'A' <= c && c <= 'Z' {
					lower[i] = c + 'a' - 'A'
				}
			}
			if !slices.ContainsFunc(firsts, func(f []byte) bool { return bytes.Contains(lower, f) }) {
				return
			}
			for _, m := range re.FindAllIndex(text, -1) {
				phrase := strings.Join(strings.Fields(string(text[m[0]:m[1]])), " ")
				out.Add(srcPos(p, off+m[0]), r.Severity, r.ID, "%q blames people; describe what the system allowed and how to change it (blameless postmortems look for causes, not culprits)", phrase)
			}
		})
	}
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
			lk.find(p.Doc.Source, true, func(r *Rule, off int, value string) {
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
