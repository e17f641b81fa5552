// Package sitegen writes handbooks of any size for tests and benchmarks
// that look like real ones: runbooks (30%), ADRs (15%, some superseding
// others), postmortems (15%), tool evaluations (5%), posts (15%) and guides
// (the rest).
//
// Pages vary as real pages do. Their length is log-normal (most 1–4 KB of
// Markdown, a few up to 12 KB); they hold headings, paragraphs from sentence
// patterns over a vocabulary of a few hundred operations words, lists,
// callouts, tables of 2–6 columns and 1–60 rows, and code blocks in about
// fifteen languages (shell, console sessions, YAML manifests and alert
// rules, PromQL, SQL, Go, Python, JSON, Terraform, Dockerfiles, JavaScript,
// TypeScript, TOML, INI, log output, none) generated with their own
// identifiers, numbers and lengths (median 5 lines, one in ten over 15), so
// that no two blocks repeat; links to other pages (some with #anchors, some
// [[references]]) and to outside sites; tags, services and owners drawn
// with the skew of real sites (a few tags on a large share of the pages).
//
// Pages also carry the findings real content has, at about the rates seen
// in the corpora of real handbooks: broken links, anchors and references,
// placeholders left from templates, runbooks past their review date or
// without an owner or an escalation, action items without an owner or a
// ticket, empty sections, skipped heading levels, unknown front-matter
// fields, links to superseded ADRs, and now and then a string that looks
// like a credential. Options.Clean leaves them out: a build of a clean site,
// on the date Today, reports no finding.
//
// The same options give the same site, byte for byte. GitHistory then
// makes a generated site a git repository with years of history, for
// benchmarks of what reads it.
package sitegen

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// Today is the date a generated site is current on: its runbooks were
// reviewed in the 150 days before it, except those made stale on purpose.
// Build a generated site with this as the time (site.Config.Now, or
// SOURCE_DATE_EPOCH) for the same findings whenever it is built.
var Today = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// Options says what to generate.
type Options struct {
	// Pages is the number of pages; Seed chooses the site.
	Pages int
	Seed  uint64
	// Clean leaves out the findings: no broken link, no stale runbook, no
	// placeholder, no secret.
	Clean bool
}

// Generate writes a site of n pages, findings included, into out (created
// if missing), the same for the same seed.
func Generate(out string, n int, seed uint64) error {
	return Write(out, Options{Pages: n, Seed: seed})
}

// Write writes the site opts describes into out (created if missing).
// Pages are generated and written in parallel, each from its own random
// stream, so the output does not depend on the number of cores.
func Write(out string, opts Options) error {
	r := rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15))
	pages := plan(opts.Pages, r)
	dirs := map[string]bool{}
	for _, p := range pages {
		dirs[filepath.Dir(filepath.Join(out, filepath.FromSlash(p.path)))] = true
	}
	for d := range dirs {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	workers := min(runtime.GOMAXPROCS(0), 8)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf strings.Builder
			for i := w; i < len(pages); i += workers {
				pr := rand.New(rand.NewPCG(opts.Seed+uint64(i)*0x9e3779b97f4a7c15, uint64(i)^0x2545f4914f6cdd1d))
				buf.Reset()
				g := gen{r: pr, p: pages[i], i: i, pages: pages, findings: !opts.Clean, b: &buf}
				g.render()
				path := filepath.Join(out, filepath.FromSlash(pages[i].path))
				if err := os.WriteFile(path, []byte(buf.String()), 0o644); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	cfg := "title: Generated handbook\nradar:\n  quadrants: [" + strings.Join(quadrants, ", ") + "]\n"
	return os.WriteFile(filepath.Join(out, "handbook.yaml"), []byte(cfg), 0o644)
}

var (
	services = strings.Fields(`payments checkout search identity billing notifications inventory shipping
	catalog gateway ledger reporting storage messaging analytics auth pricing recommendations fraud
	orders returns warehouse loyalty subscriptions media uploads email sms push scheduler exports imports
	audit compliance tax currency geo sessions profiles reviews`)
	owners = strings.Fields(`team-payments team-platform team-sre team-identity team-data team-growth
	team-infra team-security team-checkout team-search team-storage team-mobile team-web team-ml
	team-finance team-support team-logistics team-core`)
	tags = strings.Fields(`database kubernetes networking observability security latency capacity deploys
	queues caching dns tls storage on-call cost postgres kafka redis terraform ci migrations backups
	alerting slo incident-response load-balancing autoscaling secrets compliance performance api mobile
	frontend data-pipeline search-infra email vendors disaster-recovery`)
	quadrants = []string{"languages", "frameworks", "tools", "platforms", "techniques"}
	rings     = []string{"adopt", "trial", "assess", "hold"}
)

type page struct {
	kind     string
	path     string // relative to the site folder
	slug     string // file stem
	ref      string // a [[reference]] that finds it
	anchors  []string
	title    string
	service  string
	number   int
	severity int
	// supersedes is the number of the ADR this one supersedes, 0 if none;
	// superseded is true for that older ADR, whose status then agrees.
	supersedes int
	superseded bool
}

// plan decides every page's kind, path and anchors first, so that links
// can point at pages written later.
func plan(n int, r *rand.Rand) []*page {
	pages := make([]*page, 0, n)
	counts := map[string]int{}
	svcZipf := rand.NewZipf(r, 1.1, 2, uint64(len(services)-1))
	for i := 0; i < n; i++ {
		x := i * 100 / max(n, 1)
		kind := "guide"
		switch {
		case x < 30:
			kind = "runbook"
		case x < 45:
			kind = "adr"
		case x < 60:
			kind = "postmortem"
		case x < 65:
			kind = "evaluation"
		case x < 80:
			kind = "post"
		}
		counts[kind]++
		c := counts[kind]
		p := &page{kind: kind, service: services[svcZipf.Uint64()]}
		svc := p.service
		switch kind {
		case "runbook":
			alert := title1(svc) + pascal(r) + pick(r, []string{"High", "Down", "Saturated", "Stuck", "Lagging", "Errors", "Latency"})
			p.title = fmt.Sprintf("%s: %s", alert, title(r))
			p.slug = fmt.Sprintf("%s-%s-%d", svc, kebab(r), c)
			p.path = fmt.Sprintf("runbooks/%s/%s.md", svc, p.slug)
			p.ref = "runbook:" + p.slug
			p.anchors = []string{"overview", "diagnosis", "mitigation"}
		case "adr":
			p.number = c
			p.slug = fmt.Sprintf("%04d-%s", c, kebab(r))
			p.title = fmt.Sprintf("%s %s for %s", pick(r, []string{"Use", "Adopt", "Replace", "Move to", "Keep", "Drop"}), title(r), pick(r, proseNouns))
			p.path = "content/adr/" + p.slug + ".md"
			p.ref = fmt.Sprintf("ADR-%04d", c)
			p.anchors = []string{"context-and-problem-statement", "considered-options", "decision-outcome", "consequences"}
		case "postmortem":
			year := 2024 + c%3
			p.slug = fmt.Sprintf("%d-%s-%s-%d", year, svc, kebab(r), c)
			p.title = fmt.Sprintf("%s %s: %s", title1(svc), pick(r, []string{"degraded", "outage", "partial outage", "elevated errors", "slow responses", "data delay"}), title(r))
			p.path = fmt.Sprintf("content/postmortems/%d/%s.md", year, p.slug)
			p.ref = "postmortem:" + p.slug
			p.severity = 1 + r.IntN(5)
			p.anchors = []string{"summary", "impact", "timeline", "contributing-factors", "detection", "resolution", "action-items", "lessons"}
		case "evaluation":
			p.slug = fmt.Sprintf("tool-%s-%d", kebab(r), c)
			p.title = fmt.Sprintf("%s %s %d", title1(noun(r)), pick(r, []string{"operator", "proxy", "client", "framework", "scanner", "store", "agent"}), c)
			p.path = "content/evaluations/" + p.slug + ".md"
			p.ref = "evaluation:" + p.slug
			p.anchors = []string{"summary", "strengths", "risks"}
		case "post":
			p.slug = fmt.Sprintf("post-%d-%s", c, kebab(r))
			p.title = fmt.Sprintf("%s: %s, part %d", pick(r, []string{"Notes on", "What we learned from", "Inside", "A year of", "Scaling"}), title(r), c)
			p.path = fmt.Sprintf("content/posts/%s.md", p.slug)
			p.ref = "post:" + p.slug
			p.anchors = []string{"background", "what-we-learned"}
		default:
			topic := tags[c%len(tags)]
			p.slug = fmt.Sprintf("guide-%d-%s", c, kebab(r))
			p.title = fmt.Sprintf("%s %s (%d)", pick(r, []string{"Guide to", "How to run", "Working with", "Operating", "Debugging"}), title(r), c)
			p.path = fmt.Sprintf("content/guides/%s/%s.md", topic, p.slug)
			p.ref = "page:" + p.slug
			p.anchors = []string{"introduction", "how-it-works", "reference"}
		}
		pages = append(pages, p)
	}
	// Every sixth ADR supersedes the one three before it.
	adrs := map[int]*page{}
	for _, p := range pages {
		if p.kind == "adr" {
			adrs[p.number] = p
		}
	}
	for n, p := range adrs {
		if old := adrs[n-3]; n%6 == 0 && old != nil {
			p.supersedes, old.superseded = old.number, true
		}
	}
	return pages
}

// gen writes one page.
type gen struct {
	r        *rand.Rand
	p        *page
	i        int
	pages    []*page
	findings bool
	b        *strings.Builder
	links    int // internal links still to place
	// sections counts the sections written; the one numbered empty (0:
	// none) is left empty, and skip, when set, skips a heading level.
	sections, empty int
	skip            bool
}

// chance reports, when findings are on, true with probability p.
func (g *gen) chance(p float64) bool { return g.findings && g.r.Float64() < p }

// Rates of findings, per page unless said otherwise, set from what
// `handbook check` finds in the corpora of real handbooks (where broken
// links to absent images inflate the counts, they are left out).
const (
	rateBrokenLink      = 0.03
	rateBrokenAnchor    = 0.03
	rateBrokenReference = 0.01
	ratePlaceholder     = 0.06
	rateStale           = 0.12 // of runbooks
	rateNoOwner         = 0.03 // of runbooks and postmortems
	rateNoEscalation    = 0.08 // of runbooks
	rateOpenActionItem  = 0.2  // of action items: no owner or no ticket
	rateEmptySection    = 0.02
	rateHeadingSkip     = 0.01
	rateUnknownField    = 0.02
)

// The rarest findings are placed, not drawn, so that every site of a
// few hundred pages has some: a credential on one page in 500, a link to
// a superseded ADR on one in 100.
const (
	everySecret         = 500
	everySupersededLink = 100
)

// relPath returns the relative link from one page's file to another's.
func relPath(from, to *page) string {
	rel, _ := filepath.Rel(filepath.Dir(filepath.FromSlash(from.path)), filepath.FromSlash(to.path))
	return filepath.ToSlash(rel)
}

func (g *gen) link() string {
	r, from := g.r, g.p
	to := g.pages[r.IntN(len(g.pages))]
	if !g.findings || g.i%everySupersededLink != everySupersededLink/2 {
		for i := 1; to.superseded; i++ {
			to = g.pages[(slices.Index(g.pages, to)+i)%len(g.pages)] // link to current decisions
		}
	}
	text := strings.ToLower(to.title)
	if r.IntN(3) == 0 {
		text = pick(r, []string{"this runbook", "the decision", "here", "the details", "the write-up", to.slug})
	}
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("[[%s]]", to.ref)
	case 1:
		return fmt.Sprintf("[%s](%s#%s)", text, relPath(from, to), to.anchors[r.IntN(len(to.anchors))])
	default:
		return fmt.Sprintf("[%s](%s)", text, relPath(from, to))
	}
}

// brokenLink returns a link that does not resolve: a page that is not
// there, an anchor the page does not have, or a reference to nothing.
func (g *gen) brokenLink(kind int) string {
	r := g.r
	to := g.pages[r.IntN(len(g.pages))]
	switch kind {
	case 0:
		return fmt.Sprintf("[the old page](%s)", strings.Replace(relPath(g.p, to), to.slug, to.slug+"-old", 1))
	case 1:
		return fmt.Sprintf("[that section](%s#%s)", relPath(g.p, to), kebab(r))
	default:
		return fmt.Sprintf("[[%s]]", pick(r, []string{"runbook:", "ADR-9", "postmortem:"})+kebab(r))
	}
}

func (g *gen) para() string {
	s := paragraph(g.r)
	if g.links > 0 && g.r.IntN(3) > 0 {
		s += " See " + g.link() + "."
		g.links--
	}
	if g.r.IntN(12) == 0 {
		s += fmt.Sprintf(" Upstream: [%s docs](https://%s.example.com/docs/%s).", noun(g.r), kebab(g.r), kebab(g.r))
	}
	return s
}

// block writes one element of a section's body.
func (g *gen) block() {
	r, b := g.r, g.b
	x := r.IntN(100)
	code := map[string]int{"runbook": 34, "adr": 18, "postmortem": 22, "evaluation": 10, "post": 22, "guide": 26}[g.p.kind]
	switch {
	case x < code:
		if r.IntN(3) == 0 {
			b.WriteString(pick(r, []string{"Run:", "For example:", "The output looks like this:", "Check with:", "As configured today:"}) + "\n\n")
		}
		b.WriteString(codeBlock(r, g.p.kind) + "\n\n")
	case x < code+9:
		b.WriteString(table(r) + "\n")
	case x < code+24:
		b.WriteString(list(r) + "\n")
	case x < code+28:
		fmt.Fprintf(b, "> [!%s]\n> %s\n\n", pick(r, []string{"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"}), sentence(r))
	default:
		b.WriteString(g.para() + "\n\n")
	}
}

// section writes a heading and 1–4 elements under it.
func (g *gen) section(heading string) {
	r, b := g.r, g.b
	b.WriteString("## " + heading + "\n\n")
	g.sections++
	if g.sections == g.empty {
		return
	}
	b.WriteString(g.para() + "\n\n")
	if heading == "Action items" {
		for j := 0; j < 2+r.IntN(4); j++ {
			owner, ticket := fmt.Sprintf(" Owner: @%s.", pick(r, owners)), fmt.Sprintf(" Ticket OPS-%d.", 100+r.IntN(9000))
			if g.chance(rateOpenActionItem) {
				if r.IntN(2) == 0 {
					owner = ""
				} else {
					ticket = ""
				}
			}
			fmt.Fprintf(b, "- [ ] %s %s.%s%s\n", title1(pick(r, verbsBase)), np(r), owner, ticket)
		}
		b.WriteString("\n")
		return
	}
	if heading == "Timeline" {
		t := Today.AddDate(0, 0, -g.i%700)
		for j := 0; j < 3+r.IntN(8); j++ {
			t = t.Add(time.Duration(1+r.IntN(40)) * time.Minute)
			fmt.Fprintf(b, "- **%s** %s\n", t.Format("15:04"), sentence(r))
		}
		b.WriteString("\n")
		return
	}
	for k := 0; k < r.IntN(4); k++ {
		g.block()
	}
	if r.IntN(5) == 0 {
		level := "###"
		if g.skip {
			level, g.skip = "####", false
		}
		fmt.Fprintf(b, "%s %s\n\n%s\n\n", level, title(r), g.para())
		g.block()
	}
}

// targetSize draws a page's size in bytes: log-normal, median 2.6 KB,
// between 1 and 12 KB.
func targetSize(r *rand.Rand) int {
	return min(max(int(2600*math.Exp(0.6*r.NormFloat64())), 1024), 12*1024)
}

func (g *gen) render() {
	p, r, b := g.p, g.r, g.b
	date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (g.i*7)%900)
	b.WriteString("---\n")
	fmt.Fprintf(b, "title: %q\n", p.title)
	tg := []string{tags[min(int(math.Abs(r.NormFloat64())*6), len(tags)-1)]}
	for k := r.IntN(4); k > 0; k-- {
		if t := pick(r, tags); !slices.Contains(tg, t) {
			tg = append(tg, t)
		}
	}
	fmt.Fprintf(b, "tags: [%s]\n", strings.Join(tg, ", "))
	owner := pick(r, owners)
	var headings, extra []string
	escalation := true
	switch p.kind {
	case "runbook":
		reviewed := Today.AddDate(0, 0, -(g.i % 150))
		if g.chance(rateStale) {
			reviewed = Today.AddDate(0, 0, -(200 + r.IntN(500)))
		}
		fmt.Fprintf(b, "service: %s\n", p.service)
		if !g.chance(rateNoOwner) {
			fmt.Fprintf(b, "owner: %s\n", owner)
		}
		fmt.Fprintf(b, "last_reviewed: %s\nreview_every: %s\nalerts: [%s]\ntier: %d\n", reviewed.Format("2006-01-02"), pick(r, []string{"180d", "180d", "365d"}), strings.SplitN(p.title, ":", 2)[0], 1+r.IntN(3))
		if r.IntN(3) == 0 {
			fmt.Fprintf(b, "severity: %s\n", pick(r, []string{"critical", "warning", "info"}))
		}
		headings = []string{"Overview", "Diagnosis", "Mitigation"}
		extra = []string{"Symptoms", "Verification", "Rollback", "Dashboards"}
		escalation = !g.chance(rateNoEscalation)
	case "adr":
		status := pick(r, []string{"accepted", "accepted", "accepted", "proposed", "rejected", "deprecated"})
		if p.superseded {
			status = "superseded"
		}
		if p.supersedes > 0 {
			fmt.Fprintf(b, "supersedes: ADR-%04d\n", p.supersedes)
		}
		fmt.Fprintf(b, "status: %s\ndate: %s\ndecision-makers: [%s]\n", status, date.Format("2006-01-02"), owner)
		if r.IntN(3) == 0 {
			fmt.Fprintf(b, "consulted: [%s, %s]\n", pick(r, owners), pick(r, owners))
		}
		headings = []string{"Context and Problem Statement", "Considered Options", "Decision Outcome", "Consequences"}
		extra = []string{"Decision Drivers", "Pros and Cons of the Options", "More Information"}
	case "postmortem":
		start := date.Add(time.Duration(r.IntN(20)) * time.Hour)
		det := start.Add(time.Duration(2+r.IntN(40)) * time.Minute)
		mit := det.Add(time.Duration(5+r.IntN(120)) * time.Minute)
		res := mit.Add(time.Duration(10+r.IntN(600)) * time.Minute)
		fmt.Fprintf(b, "date: %s\nseverity: SEV-%d\nstatus: %s\n", date.Format("2006-01-02"), p.severity, pick(r, []string{"reviewed", "reviewed", "closed", "in-review"}))
		if !g.chance(rateNoOwner) {
			fmt.Fprintf(b, "owner: %s\n", owner)
		}
		fmt.Fprintf(b, "services: [%s]\nimpact_start: %s\ndetected_at: %s\nmitigated_at: %s\nresolved_at: %s\n",
			p.service, start.Format(time.RFC3339), det.Format(time.RFC3339), mit.Format(time.RFC3339), res.Format(time.RFC3339))
		headings = []string{"Summary", "Impact", "Timeline", "Contributing factors", "Detection", "Resolution", "Action items", "Lessons"}
	case "evaluation":
		fmt.Fprintf(b, "ring: %s\nquadrant: %s\ndate: %s\nowner: %s\n", pick(r, rings), pick(r, quadrants), date.Format("2006-01-02"), owner)
		headings = []string{"Summary", "Strengths", "Risks"}
		extra = []string{"Alternatives", "Cost"}
	case "post":
		fmt.Fprintf(b, "date: %s\nauthors: [%s]\ndescription: %q\n", date.Format("2006-01-02"), owner, sentence(r))
		headings = []string{"Background", "What we learned"}
		extra = []string{"What we changed", "Numbers", "Next steps"}
	default:
		fmt.Fprintf(b, "owner: %s\nweight: %d\n", owner, 1+r.IntN(50))
		headings = []string{"Introduction", "How it works", "Reference"}
		extra = []string{"Prerequisites", "Configuration", "Troubleshooting", "FAQ"}
	}
	if g.chance(rateUnknownField) {
		fmt.Fprintf(b, "%s: %s\n", pick(r, []string{"reviewer", "maintainer", "categories", "jira_project", "slack_channel"}), pick(r, owners))
	}
	b.WriteString("---\n\n")
	target := targetSize(r)
	g.links = 2 + r.IntN(10)
	if g.chance(rateEmptySection) {
		g.empty = 1 + r.IntN(len(headings))
	}
	g.skip = g.chance(rateHeadingSkip * 3) // one section in three has a subsection
	b.WriteString(g.para() + "\n\n")
	// Every heading once (links point at their anchors), then more
	// sections while the page is under its target size.
	for _, h := range headings {
		g.section(h)
	}
	for i := 0; b.Len()+600 < target && len(extra) > 0; i++ {
		g.section(extra[i%len(extra)]) // repeated headings get -1, -2 ids
	}
	if p.kind == "runbook" && escalation {
		fmt.Fprintf(b, "## Escalation\n\nPage @%s on call; if nobody answers within %d minutes, escalate to @%s.\n\n", pick(r, owners), 5+r.IntN(25), pick(r, owners))
	}
	g.faults()
	if g.links > 0 {
		b.WriteString("## See also\n\n")
		for ; g.links > 0; g.links-- {
			b.WriteString("- " + g.link() + "\n")
		}
	}
}

// faults appends the findings a page draws, in a paragraph of their own.
func (g *gen) faults() {
	r, b := g.r, g.b
	var s []string
	for kind, rate := range []float64{rateBrokenLink, rateBrokenAnchor, rateBrokenReference} {
		if g.chance(rate) {
			s = append(s, "See "+g.brokenLink(kind)+".")
		}
	}
	if g.chance(ratePlaceholder) {
		s = append(s, pick(r, []string{"TODO: ", "TBD: ", "FIXME: "})+sentence(r))
	}
	if len(s) > 0 {
		b.WriteString(strings.Join(s, " ") + "\n\n")
	}
	if g.findings && g.i%everySecret == everySecret/2 {
		const upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
		key := make([]byte, 16)
		for i := range key {
			key[i] = upper[r.IntN(len(upper))]
		}
		fmt.Fprintf(b, "```ini\n[%s]\naws_access_key_id = AKIA%s\nregion = %s\n```\n\n", pick(r, namespaces), key, pick(r, regions))
	}
}

// title1 upper-cases the first letter of an ASCII word.
func title1(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
