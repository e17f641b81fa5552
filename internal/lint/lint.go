// Package lint checks a loaded site beyond what loading it already
// reports: rules that look at a page's structure, at a kind's meaning
// (a runbook overdue for review, a postmortem whose timestamps run
// backwards, ADRs whose supersessions disagree) and at the site as a whole
// (duplicate ADR numbers, supersession cycles). Each rule has a stable id
// and a default severity; findings are diag.Diagnostics at path:line:col.
//
// The catalog (catalog.go) lists every rule id with its category, default
// severity and scope; every finding of any stage carries one of its ids.
// Loading reports the rules about syntax and references (front matter,
// broken links and anchors, unresolved references); Run adds these (RunPages
// and RunSite split them for the preview's partial rebuilds), and Secrets is
// the secret scanner loading calls on every file.
//
// Findings then settle in two steps: Suppress drops those silenced by
// comments (handbook's, markdownlint's and markdown-link-check's) and on
// template files, and lowers house rules on pages written for another
// tool; Apply sets the severities of handbook.yaml's rules: and lowers the
// house rules (IsHouseRule) in imported: folders to info. A Baseline
// (baseline.go) then hides the findings recorded by check --baseline write,
// by a fingerprint that survives line moves.
//
// Format writes a list of findings as text, JSON, SARIF 2.1.0 (for code
// scanning, with baselineState) or GitHub workflow commands, and Summary a
// Markdown summary for a pull request.
package lint

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/parallel"
	"github.com/handbook-dev/handbook/internal/site"
)

// Rule is one check over the site.
type Rule struct {
	RuleInfo // its catalog entry: id, category, default severity, description
	check    func(s *site.Site, r *Rule, out *diag.List)
}

// Rules returns the rules Run applies, in order, with the default
// severities of the catalog.
func Rules() []*Rule {
	checks := map[string]func(s *site.Site, r *Rule, out *diag.List){
		"heading-skip":              headingSkip,
		"runbook-stale":             runbookStale,
		"runbook-escalation":        runbookEscalation,
		"adr-superseded-by":         supersededBy,
		"adr-supersession-mismatch": supersessionMismatch,
		"adr-supersession-cycle":    supersessionCycle,
		"adr-duplicate-number":      duplicateNumber,
		"adr-numbering-gap":         numberingGap,
		"postmortem-timestamps":     timestampOrder,
		"link-to-draft":             linkToDraft,
		"link-to-superseded":        linkToSuperseded,
		"orphan-page":               orphanPage,
		"required-section":          requiredSections,
		"empty-section":             emptySection,
		"placeholder":               placeholder,
		"hold-without-reason":       holdWithoutReason,
		"blameless-language":        blamelessLanguage,
		"production-service":        productionService,
		"action-item-owner":         nil, // with action-item-ticket
		"action-item-ticket":        nil,
		"public-internal-link":      nil, // with the other public- rules
		"public-internal-host":      nil,
		"public-private-ip":         nil,
		"public-email":              nil,
	}
	var rules []*Rule
	byID := map[string]*Rule{}
	for _, info := range catalog {
		check, ok := checks[info.ID]
		if !ok {
			continue // reported while loading
		}
		r := &Rule{RuleInfo: info, check: check}
		rules = append(rules, r)
		byID[r.ID] = r
	}
	byID["action-item-owner"].check = actionItems(byID["action-item-owner"], byID["action-item-ticket"])
	byID["public-internal-link"].check = publicPages(byID["public-internal-link"], byID["public-internal-host"], byID["public-private-ip"], byID["public-email"])
	return rules
}

// Run applies every rule to the site and returns the findings, sorted.
func Run(s *site.Site) diag.List {
	return run(s, func(*Rule) bool { return true }, nil)
}

// RunCached is Run, taking the findings of the rules about a page's own
// file (ownRules) from c for the pages made from the same parse as in c's
// last run, and keeping the others' for the next.
func RunCached(s *site.Site, c *Cache) diag.List {
	return run(s, func(*Rule) bool { return true }, c)
}

// RunPages applies the rules of ScopePage to pages only, pages of s, and
// returns their findings, sorted: after an edit that changed only the
// bodies of pages, these and RunSite's are the findings of Run that may
// differ.
func RunPages(s *site.Site, pages []*site.Page) diag.List {
	return run(s.View(pages), func(r *Rule) bool { return ScopeOf(r.ID) == ScopePage }, nil)
}

// RunSite applies the rules of ScopeSite to the site and returns their
// findings, sorted.
func RunSite(s *site.Site) diag.List {
	return run(s, func(r *Rule) bool { return ScopeOf(r.ID) == ScopeSite }, nil)
}

// InRun reports whether Run checks the rule id (rather than loading, the
// layout check or the external link checker).
func InRun(id string) bool {
	_, ok := runIDs[id]
	return ok
}

var runIDs = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range Rules() {
		m[r.ID] = true
	}
	return m
}()

// chunkPages is how many pages one task of run checks with the rules of
// ScopePage.
var chunkPages = 256

// run applies the rules use selects. Rules only read the site, so they run
// side by side; but one rule over every page would keep a core busy long
// after the others are done (blameless-language alone reads every
// postmortem), so the rules of ScopePage run per chunk of pages, on a
// View of the chunk, as RunPages runs them on the pages an edit touched:
// their findings depend on their page alone. The rules of ScopeSite,
// which compare pages, each take the whole site; they start first. The
// findings are the same in any order, as Sort orders them by every field.
// With a Cache, the rules of ownRules run only on the pages it has no
// findings for.
func run(s *site.Site, use func(*Rule) bool, c *Cache) diag.List {
	var perPage, own, whole []*Rule
	for _, r := range Rules() {
		switch {
		case r.check == nil || !use(r):
		case c != nil && ownRules[r.ID]:
			own = append(own, r)
		case ScopeOf(r.ID) == ScopePage:
			perPage = append(perPage, r)
		default:
			whole = append(whole, r)
		}
	}
	if c != nil {
		defer c.turn()
	}
	var chunks []*site.Site
	if len(perPage) > 0 || len(own) > 0 {
		for i := 0; i < len(s.Pages); i += chunkPages {
			chunks = append(chunks, s.View(s.Pages[i:min(i+chunkPages, len(s.Pages))]))
		}
	}
	lists := make([]diag.List, len(whole)+len(chunks))
	_ = parallel.Each(context.Background(), len(lists), 0, func(i int) error {
		if i < len(whole) {
			whole[i].check(s, whole[i], &lists[i])
			return nil
		}
		chunk := chunks[i-len(whole)]
		for _, r := range perPage {
			r.check(chunk, r, &lists[i])
		}
		if len(own) > 0 {
			var fresh []*site.Page
			for _, p := range chunk.Pages {
				if l, ok := c.take(p); ok {
					lists[i] = append(lists[i], l...)
				} else {
					fresh = append(fresh, p)
				}
			}
			if len(fresh) > 0 {
				var found diag.List
				v := s.View(fresh)
				for _, r := range own {
					r.check(v, r, &found)
				}
				c.keep(fresh, found)
				lists[i] = append(lists[i], found...)
			}
		}
		return nil
	})
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := slices.Grow(diag.List(nil), n) // nil when there are none
	for _, l := range lists {
		out = append(out, l...)
	}
	out.Sort()
	return out
}

// Apply sets the severities configured per rule id (cfg.Rules) on
// findings — of Run or of loading — drops the rules turned "off", lowers
// the findings of house rules (IsHouseRule) in files that match a glob of
// cfg.Imported (MatchPath) to info, and sorts the result.
func Apply(cfg *site.Config, list diag.List) diag.List {
	imported := map[string]bool{}
	isImported := func(file string) bool {
		in, ok := imported[file]
		if !ok {
			for _, g := range cfg.Imported {
				if in = MatchPath(g, file); in {
					break
				}
			}
			imported[file] = in
		}
		return in
	}
	out := list[:0:0]
	for _, d := range list {
		if sev, ok := cfg.Rules[d.Rule]; ok {
			if sev == "off" {
				continue
			}
			if s, ok := diag.ParseSeverity(sev); ok {
				d.Severity = s
			}
		}
		if d.Severity < diag.Info && houseRules[d.Rule] && len(cfg.Imported) > 0 && isImported(d.Pos.File) {
			d.Severity = diag.Info
		}
		out = append(out, d)
	}
	out.Sort()
	return out
}

func at(p *site.Page, line, col int) diag.Position {
	return diag.Position{File: p.Path, Line: max(line, 1), Col: col}
}

// field returns where a front-matter key, or one of its other spellings,
// is written, or the page's first line.
func field(p *site.Page, key string) diag.Position {
	for _, k := range append([]string{key}, fieldSpellings[key]...) {
		if pos, ok := p.Fields[k]; ok {
			return pos
		}
	}
	return at(p, 1, 1)
}

// fieldSpellings are the other keys page reads a field from.
var fieldSpellings = map[string][]string{
	"last_reviewed": {"reviewed", "lastmod"},
	"superseded_by": {"superseded-by", "supersededby", "replaced_by"},
	"supersedes":    {"replaces"},
	"severity":      {"sev"},
	"adrs":          {"adr"},
	"runbooks":      {"runbook"},
	"adr":           {"adrs"},
}

func headingSkip(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		prev := 1 // the page title is the level-1 heading
		for _, h := range p.Doc.Headings {
			if h.Level > prev+1 {
				out.Add(at(p, h.Line, 1), r.Severity, r.ID, "heading %q is level %d after level %d; use level %d or add the missing level", h.Text, h.Level, prev, prev+1)
			}
			prev = h.Level
		}
	}
}

func runbookStale(s *site.Site, r *Rule, out *diag.List) {
	now := s.Config.Now
	for _, p := range s.Published() {
		rb := p.Runbook
		if rb == nil || rb.LastReviewed.IsZero() {
			continue
		}
		age := now.Sub(rb.LastReviewed)
		if age <= rb.ReviewEvery {
			continue
		}
		sev := r.Severity
		if age > 2*rb.ReviewEvery {
			sev = diag.Error
		}
		if rb.ReviewedFromGit {
			out.Add(field(p, "last_reviewed"), sev, r.ID, "runbook has no last_reviewed and last changed in git on %s, %d days ago (review.from_git); it is reviewed every %d days: check it still works and add last_reviewed",
				rb.LastReviewed.Format("2006-01-02"), int(age/(24*time.Hour)), int(rb.ReviewEvery/(24*time.Hour)))
			continue
		}
		out.Add(field(p, "last_reviewed"), sev, r.ID, "runbook was last reviewed %s, %d days ago; it is reviewed every %d days: check it still works and update last_reviewed",
			rb.LastReviewed.Format("2006-01-02"), int(age/(24*time.Hour)), int(rb.ReviewEvery/(24*time.Hour)))
	}
}

// StableUntil returns the first time after s.Config.Now at which a rule
// could report the site differently for the clock alone: a runbook that
// falls due for review, goes a day staler, or turns from a warning into an
// error. Findings made at Now hold until then, unless a file changes.
// runbookStale is the only rule that reads the clock.
func StableUntil(s *site.Site) time.Time {
	now := s.Config.Now
	until := now.Add(24 * time.Hour)
	for _, p := range s.Pages {
		rb := p.Runbook
		if rb == nil || rb.LastReviewed.IsZero() {
			continue
		}
		// The instants after which age <= ReviewEvery, age > 2*ReviewEvery
		// and the days counted change.
		age := now.Sub(rb.LastReviewed)
		next := []time.Duration{rb.ReviewEvery + 1, 2*rb.ReviewEvery + 1}
		switch {
		case age >= 0:
			next = append(next, (age/(24*time.Hour)+1)*24*time.Hour)
		case rb.ReviewEvery < 0:
			return now // a review date to come that is overdue already
		}
		for _, d := range next {
			if d > age && rb.LastReviewed.Add(d).Before(until) {
				until = rb.LastReviewed.Add(d)
			}
		}
	}
	return until
}

func supersededBy(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Pages {
		if p.ADR != nil && p.ADR.Status == "superseded" && len(p.SupersededBy) == 0 {
			out.Add(field(p, "status"), r.Severity, r.ID, "ADR is superseded but no ADR supersedes it; add superseded_by: or supersedes: on the newer ADR")
		}
	}
}

func supersessionCycle(s *site.Site, r *Rule, out *diag.List) {
	state := map[*site.Page]int{} // 0 new, 1 on the stack, 2 done
	var stack []*site.Page
	var visit func(p *site.Page)
	visit = func(p *site.Page) {
		state[p] = 1
		stack = append(stack, p)
		for _, q := range p.Supersedes {
			switch state[q] {
			case 0:
				visit(q)
			case 1:
				i := slices.Index(stack, q)
				var names []string
				for _, c := range stack[i:] {
					names = append(names, c.Ref())
				}
				out.Add(field(p, "supersedes"), r.Severity, r.ID, "supersession cycle: %s supersedes %s again; remove one of the supersedes", strings.Join(names, " → "), q.Ref())
			}
		}
		stack = stack[:len(stack)-1]
		state[p] = 2
	}
	for _, p := range s.Pages {
		if p.ADR != nil && state[p] == 0 {
			visit(p)
		}
	}
}

// adrLogs returns the numbered ADRs by number, one map per log: each
// repository a site takes pages from (sources:) numbers its own ADRs.
func adrLogs(s *site.Site) []map[int][]*site.Page {
	bySource := map[string]map[int][]*site.Page{}
	var names []string
	for _, p := range s.Pages {
		if p.ADR == nil || !p.ADR.HasNumber {
			continue
		}
		src := ""
		if p.Root != nil {
			src = p.Root.Source
		}
		m := bySource[src]
		if m == nil {
			m = map[int][]*site.Page{}
			bySource[src] = m
			names = append(names, src)
		}
		m[p.ADR.Number] = append(m[p.ADR.Number], p)
	}
	slices.Sort(names)
	logs := make([]map[int][]*site.Page, len(names))
	for i, n := range names {
		logs[i] = bySource[n]
	}
	return logs
}

func duplicateNumber(s *site.Site, r *Rule, out *diag.List) {
	for _, m := range adrLogs(s) {
		for n, ps := range m {
			for _, p := range ps[1:] {
				out.Add(at(p, 1, 1), r.Severity, r.ID, "ADR number %d is also used by %s; give this ADR the next free number", n, ps[0].Path)
			}
		}
	}
}

func numberingGap(s *site.Site, r *Rule, out *diag.List) {
	for _, m := range adrLogs(s) {
		numberingGapIn(m, r, out)
	}
}

func numberingGapIn(m map[int][]*site.Page, r *Rule, out *diag.List) {
	var nums []int
	for n := range m {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for i := 1; i < len(nums); i++ {
		if nums[i] > nums[i-1]+1 {
			missing := strconv.Itoa(nums[i-1] + 1)
			if nums[i] > nums[i-1]+2 {
				missing += "–" + strconv.Itoa(nums[i]-1)
			}
			out.Add(at(m[nums[i]][0], 1, 1), r.Severity, r.ID, "no ADR numbered %s before this one", missing)
		}
	}
}

func timestampOrder(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Pages {
		m := p.Postmortem
		if m == nil {
			continue
		}
		steps := []struct {
			key string
			t   time.Time
		}{{"impact_start", m.ImpactStart}, {"detected_at", m.DetectedAt}, {"mitigated_at", m.MitigatedAt}, {"resolved_at", m.ResolvedAt}}
		var last struct {
			key string
			t   time.Time
		}
		for _, st := range steps {
			if st.t.IsZero() {
				continue
			}
			if !last.t.IsZero() && st.t.Before(last.t) {
				out.Add(field(p, st.key), r.Severity, r.ID, "%s (%s) is before %s (%s); fix the timestamps or their time zones",
					st.key, st.t.UTC().Format(time.RFC3339), last.key, last.t.UTC().Format(time.RFC3339))
			}
			last = st
		}
	}
}

func linkToDraft(s *site.Site, r *Rule, out *diag.List) {
	if s.Config.Drafts {
		return
	}
	for _, p := range s.Published() {
		for _, q := range p.Outgoing {
			if q.Draft {
				out.Add(linkPos(p, q), r.Severity, r.ID, "links to %s, a draft that is not published; publish it or remove the link", q.Path)
			}
		}
	}
}

// linkPos finds where p links to q: the first link or reference whose
// destination is q's URL, else the front-matter field that names q (a
// relation, supersedes), else the page's first line.
func linkPos(p, q *site.Page) diag.Position {
	if pos, ok := bodyLinkPos(p, q); ok {
		return pos
	}
	for _, rel := range p.Relations {
		if rel.Key != "" && slices.Contains(rel.Pages, q) {
			return field(p, rel.Key)
		}
	}
	if slices.Contains(p.Supersedes, q) {
		return field(p, "supersedes")
	}
	if slices.Contains(p.SupersededBy, q) {
		return field(p, "superseded_by")
	}
	return at(p, 1, 1)
}

// bodyLinkPos finds the first link or reference of p's Markdown to q.
func bodyLinkPos(p, q *site.Page) (diag.Position, bool) {
	is := func(u string) bool { return u == q.Href || strings.HasPrefix(u, q.Href+"#") }
	for _, l := range p.Doc.Links {
		if is(l.Target()) {
			return at(p, l.Line, l.Col), true
		}
	}
	for _, r := range p.Doc.Refs {
		if r.Resolved && is(r.URL) {
			return at(p, r.Line, r.Col), true
		}
	}
	return diag.Position{}, false
}

// sections lists, per kind, the sections a page is expected to have; each
// entry is a set of synonyms, matched case-insensitively as the start of
// any heading's text.
var sections = map[string][][]string{
	"runbook":    {{"overview", "symptoms"}, {"verification", "diagnosis", "investigation"}, {"mitigation", "resolution", "remediation"}}, // escalation: runbook-escalation
	"adr":        {{"context", "problem statement"}, {"considered options", "options"}, {"decision"}, {"consequences"}},
	"postmortem": {{"summary"}, {"impact"}, {"timeline"}, {"root cause", "contributing factors", "causes"}, {"detection"}, {"resolution", "recovery"}, {"action items", "follow-up", "follow ups"}, {"lessons"}},
}

// otherSections are headings that start like an expected section but are
// another one: MADR's "Decision Drivers" is not its "Decision Outcome".
var otherSections = []string{"decision driver", "decision maker"}

// adrSections are the sections each ADR template has: Nygard's (as
// adr-tools writes it), MADR's, and none for a Y-statement.
var adrSections = map[string][][]string{
	page.DialectNygard:     {{"context"}, {"decision"}, {"consequences"}},
	page.DialectMADR:       {{"context", "problem statement"}, {"considered options", "options"}, {"decision outcome", "decision"}},
	page.DialectYStatement: nil,
}

// expectedSections are the sections p is expected to have: its kind's,
// or for an ADR its template's.
func expectedSections(p *site.Page) [][]string {
	if p.ADR != nil {
		if want, ok := adrSections[p.ADR.Dialect]; ok {
			return want
		}
	}
	return sections[string(p.Kind)]
}

func requiredSections(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		want := expectedSections(p)
		if len(want) == 0 || p.IsIndex || p.Template {
			continue
		}
		var have []string
		for _, h := range p.Doc.Headings {
			have = append(have, strings.ToLower(h.Text))
		}
		var missing []string
		for _, syn := range want {
			found := false
			for _, h := range have {
				for _, w := range syn {
					if strings.HasPrefix(h, w) && !slices.ContainsFunc(otherSections, func(o string) bool { return strings.HasPrefix(h, o) }) {
						found = true
					}
				}
			}
			if !found {
				missing = append(missing, `"`+syn[0]+`"`)
			}
		}
		if len(missing) > 0 {
			out.Add(at(p, p.BodyLine, 1), r.Severity, r.ID, "%s has no %s section; add a heading for it", p.Kind.Title(), strings.Join(missing, ", "))
		}
	}
}

func holdWithoutReason(s *site.Site, r *Rule, out *diag.List) {
	for _, p := range s.Published() {
		e := p.Evaluation
		if e == nil || e.Ring != "hold" || len(e.Alternatives) > 0 {
			continue
		}
		words := p.Doc.Words // headings alone give no reason
		for _, h := range p.Doc.Headings {
			words -= len(strings.Fields(h.Text))
		}
		if words > 0 {
			continue
		}
		out.Add(field(p, "ring"), r.Severity, r.ID, "evaluation is on hold without a reason; say why in the page or name alternatives:")
	}
}

// markdownlint maps rules to the markdownlint rule ids and aliases that
// name the same check, so that <!-- markdownlint-disable MD001 --> silences
// heading-skip too.
var markdownlint = map[string][]string{
	"heading-skip": {"MD001", "heading-increment"},
}

// linkRules are the rules markdown-link-check's comments silence: its
// <!-- markdown-link-check-disable --> and friends keep working for teams
// that move to handbook.
var linkRules = []string{"broken-link", "broken-anchor", "external-link", "external-unverifiable"}

// Suppress drops findings silenced by comments in their page:
// <!-- handbook-disable [rule …] --> until <!-- handbook-enable [rule …] -->,
// <!-- handbook-disable-next-line [rule …] -->, <!-- handbook-disable-line
// [rule …] --> (on the line itself), markdownlint's comments for the rules
// that have a markdownlint id, and markdown-link-check's for the link
// rules. Without rule ids a comment applies to every rule (every rule the
// other tool has, for its comments).
//
// It also drops every finding on a template file (page.IsTemplate: an
// example to copy, whose blanks and placeholder links are meant) but
// those about the file itself, and lowers the house rules (IsHouseRule)
// to info on pages whose kind was read from their content
// (site.Page.KindFrom "content": a postmortem or ADR written for another
// tool).
func Suppress(s *site.Site, list diag.List) diag.List {
	byPath := map[string]*site.Page{}
	for _, p := range s.Pages {
		if len(p.Doc.Directives) > 0 || p.Template || p.KindFrom == "content" {
			byPath[p.Path] = p
		}
	}
	if len(byPath) == 0 {
		return list
	}
	out := list[:0:0]
	for _, d := range list {
		p := byPath[d.Pos.File]
		switch {
		case p == nil:
		case p.Template && !fileRules[d.Rule]:
			continue
		case silenced(p, d):
			continue
		case p.KindFrom == "content" && houseRules[d.Rule] && d.Severity < diag.Info:
			d.Severity = diag.Info
		}
		out = append(out, d)
	}
	return out
}

// fileRules are the findings about a file itself, which a template gets
// too.
var fileRules = map[string]bool{"unreadable": true, "file-too-large": true, "binary-file": true, "invalid-utf8": true, "symlink-loop": true, "front-matter-syntax": true, "secret": true}

func silenced(p *site.Page, d diag.Diagnostic) bool {
	names := func(tool string) []string {
		switch tool {
		case "markdownlint":
			return markdownlint[d.Rule]
		case "markdown-link-check":
			if slices.Contains(linkRules, d.Rule) {
				return []string{d.Rule}
			}
			return nil
		}
		return []string{d.Rule}
	}
	off := false
	for _, dir := range p.Doc.Directives {
		if dir.Line > d.Pos.Line || dir.Line == d.Pos.Line && dir.Action != "disable-line" {
			break
		}
		ids := names(dir.Tool)
		if len(ids) == 0 {
			continue // another tool's comment, about a rule it does not have
		}
		applies := len(dir.Rules) == 0
		for _, r := range dir.Rules {
			if slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, r) }) {
				applies = true
			}
		}
		if !applies {
			continue
		}
		switch dir.Action {
		case "disable":
			off = true
		case "enable":
			off = false
		case "disable-next-line":
			if dir.Line+1 == d.Pos.Line {
				return true
			}
		case "disable-line":
			if dir.Line == d.Pos.Line {
				return true
			}
		}
	}
	return off
}
