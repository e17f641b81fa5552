// Package sitegen writes realistic, valid handbooks of any size for tests
// and benchmarks: runbooks (30%), ADRs (15%, some superseding others),
// postmortems (15%), tool evaluations (5%), posts (15%) and guides (the
// rest). Pages hold 1–8 KB of Markdown with headings, lists, tables,
// callouts, code in several languages, 5–20 internal links (some with
// #anchors, some [[references]]) and external links, with tags, services
// and owners drawn from fixed sets. The same seed gives the same site, and
// a build of it reports no diagnostics. GitHistory then makes a generated
// site a git repository with years of history, for benchmarks of what reads
// it.
package sitegen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Today is the date a generated site is current on: its runbooks were
// reviewed in the 150 days before it. Build a generated site with this as
// the time (site.Config.Now, or SOURCE_DATE_EPOCH) for no finding at all,
// whenever it is built.
var Today = time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)

// Generate writes a site of n pages into out (created if missing), the same
// for the same seed.
func Generate(out string, n int, seed uint64) error {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	pages := plan(n, r)
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, p := range pages {
		body := render(p, i, pages, r, base)
		path := filepath.Join(out, filepath.FromSlash(p.path))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
			return err
		}
	}
	cfg := "title: Generated handbook\nradar:\n  quadrants: [" + strings.Join(quadrants, ", ") + "]\n"
	return os.WriteFile(filepath.Join(out, "handbook.yaml"), []byte(cfg), 0o644)
}

var (
	services  = []string{"payments", "checkout", "search", "identity", "billing", "notifications", "inventory", "shipping", "catalog", "gateway", "ledger", "reporting", "storage", "messaging", "analytics", "auth"}
	owners    = []string{"team-payments", "team-platform", "team-sre", "team-identity", "team-data", "team-growth", "team-infra", "team-security"}
	tags      = []string{"database", "kubernetes", "networking", "observability", "security", "latency", "capacity", "deploys", "queues", "caching", "dns", "tls", "storage", "on-call", "cost"}
	langs     = []string{"go", "yaml", "bash", "python", "sql", "json", "hcl", "javascript", "rust", "console"}
	quadrants = []string{"languages", "frameworks", "tools", "platforms", "techniques"}
	rings     = []string{"adopt", "trial", "assess", "hold"}
	words     = strings.Fields(`the service request latency replica primary database cluster node pod deploy rollout
	queue consumer producer partition lag error budget alert page incident timeout retry circuit breaker cache
	eviction memory disk network packet loss certificate rotation secret config feature flag canary traffic
	shift region zone failover backup restore snapshot index query plan lock contention throughput saturation
	upstream downstream dependency owner escalation dashboard metric trace log sample threshold window burn rate`)
	verbs = strings.Fields(`check verify restart drain scale inspect compare confirm roll back promote pause resume
	rotate flush rebuild reindex throttle reroute isolate notify`)
)

type page struct {
	kind     string
	path     string // relative to the site folder
	slug     string // file stem
	ref      string // a [[reference]] that finds it
	anchors  []string
	title    string
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
	var pages []*page
	counts := map[string]int{}
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
		p := &page{kind: kind}
		svc := services[c%len(services)]
		switch kind {
		case "runbook":
			p.title = fmt.Sprintf("%s: %s %s %d", svc, title(r), "runbook", c)
			p.slug = fmt.Sprintf("%s-%s-%d", svc, strings.ToLower(strings.ReplaceAll(words[r.IntN(len(words))], " ", "-")), c)
			p.path = fmt.Sprintf("runbooks/%s/%s.md", svc, p.slug)
			p.ref = "runbook:" + p.slug
			p.anchors = []string{"overview", "diagnosis", "mitigation", "escalation"}
		case "adr":
			p.number = c
			p.slug = fmt.Sprintf("%04d-%s-%s", c, words[r.IntN(len(words))], words[r.IntN(len(words))])
			p.title = fmt.Sprintf("Use %s for %s", title(r), words[r.IntN(len(words))])
			p.path = "content/adr/" + p.slug + ".md"
			p.ref = fmt.Sprintf("ADR-%04d", c)
			p.anchors = []string{"context-and-problem-statement", "considered-options", "decision-outcome", "consequences"}
		case "postmortem":
			p.slug = fmt.Sprintf("%d-%s-incident-%d", 2024+c%3, services[r.IntN(len(services))], c)
			p.title = fmt.Sprintf("%s degraded: %s", strings.ToUpper(svc[:1])+svc[1:], title(r))
			p.path = fmt.Sprintf("content/postmortems/%d/%s.md", 2024+c%3, p.slug)
			p.ref = "postmortem:" + p.slug
			p.severity = 1 + r.IntN(5)
			p.anchors = []string{"summary", "impact", "timeline", "contributing-factors", "detection", "resolution", "action-items", "lessons"}
		case "evaluation":
			p.slug = fmt.Sprintf("tool-%s-%d", words[r.IntN(len(words))], c)
			p.title = fmt.Sprintf("Tool %s %d", title(r), c)
			p.path = "content/evaluations/" + p.slug + ".md"
			p.ref = "evaluation:" + p.slug
			p.anchors = []string{"summary", "strengths", "risks"}
		case "post":
			p.slug = fmt.Sprintf("post-%d-%s", c, words[r.IntN(len(words))])
			p.title = fmt.Sprintf("Notes on %s, part %d", title(r), c)
			p.path = fmt.Sprintf("content/posts/%s.md", p.slug)
			p.ref = "post:" + p.slug
			p.anchors = []string{"background", "what-we-learned"}
		default:
			topic := tags[c%len(tags)]
			p.slug = fmt.Sprintf("guide-%d-%s", c, words[r.IntN(len(words))])
			p.title = fmt.Sprintf("Guide to %s and %s (%d)", topic, title(r), c)
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

func title(r *rand.Rand) string {
	w := words[r.IntN(len(words))] + " " + words[r.IntN(len(words))]
	return strings.ToUpper(w[:1]) + w[1:]
}

func sentence(r *rand.Rand) string {
	n := 8 + r.IntN(14)
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		w := words[r.IntN(len(words))]
		if i == 0 {
			w = strings.ToUpper(w[:1]) + w[1:]
		}
		if r.IntN(12) == 0 {
			w = "**" + w + "**"
		} else if r.IntN(15) == 0 {
			w = "`" + w + "`"
		}
		b.WriteString(w)
	}
	return b.String() + "."
}

func paragraph(r *rand.Rand) string {
	var s []string
	for i := 0; i < 2+r.IntN(4); i++ {
		s = append(s, sentence(r))
	}
	return strings.Join(s, " ")
}

// relPath returns the relative link from one page's file to another's.
func relPath(from, to *page) string {
	rel, _ := filepath.Rel(filepath.Dir(filepath.FromSlash(from.path)), filepath.FromSlash(to.path))
	return filepath.ToSlash(rel)
}

func link(r *rand.Rand, from *page, pages []*page) string {
	to := pages[r.IntN(len(pages))]
	for i := 1; to.superseded; i++ {
		to = pages[(slices.Index(pages, to)+i)%len(pages)] // link to current decisions
	}
	switch r.IntN(4) {
	case 0:
		return fmt.Sprintf("[[%s]]", to.ref)
	case 1:
		return fmt.Sprintf("[%s](%s#%s)", strings.ToLower(to.title), relPath(from, to), to.anchors[r.IntN(len(to.anchors))])
	default:
		return fmt.Sprintf("[%s](%s)", strings.ToLower(to.title), relPath(from, to))
	}
}

func codeBlock(r *rand.Rand) string {
	lang := langs[r.IntN(len(langs))]
	var body string
	switch lang {
	case "go":
		body = "func retry(ctx context.Context, f func() error) error {\n\tfor i := 0; i < 3; i++ {\n\t\tif err := f(); err == nil {\n\t\t\treturn nil\n\t\t}\n\t\ttime.Sleep(time.Second << i)\n\t}\n\treturn errors.New(\"gave up\")\n}"
	case "yaml":
		body = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\nspec:\n  replicas: 3\n  strategy:\n    rollingUpdate: {maxSurge: 1}"
	case "bash", "console":
		body = "kubectl -n payments rollout status deploy/payments\nkubectl -n payments get pods -l app=payments -o wide\nkubectl -n payments rollout undo deploy/payments"
	case "python":
		body = "def burn_rate(errors, total, slo=0.999):\n    budget = 1 - slo\n    return (errors / max(total, 1)) / budget\n\nprint(burn_rate(42, 10_000))"
	case "sql":
		body = "SELECT pid, state, wait_event, query\nFROM pg_stat_activity\nWHERE state <> 'idle'\nORDER BY query_start;"
	case "json":
		body = "{\n  \"service\": \"payments\",\n  \"replicas\": 3,\n  \"regions\": [\"eu-west-1\", \"us-east-1\"]\n}"
	case "hcl":
		body = "resource \"aws_db_instance\" \"main\" {\n  engine         = \"postgres\"\n  instance_class = \"db.r6g.large\"\n  multi_az       = true\n}"
	case "javascript":
		body = "export async function health(url) {\n  const res = await fetch(url, { signal: AbortSignal.timeout(2000) });\n  return res.ok;\n}"
	case "rust":
		body = "fn main() {\n    let total: u64 = (1..=10).sum();\n    println!(\"{}\", total);\n}"
	}
	return "```" + lang + "\n" + body + "\n```"
}

func table(r *rand.Rand) string {
	var b strings.Builder
	b.WriteString("| Signal | Threshold | Action |\n| --- | ---: | --- |\n")
	for i := 0; i < 3+r.IntN(4); i++ {
		fmt.Fprintf(&b, "| %s %s | %d%% | %s the %s |\n", words[r.IntN(len(words))], words[r.IntN(len(words))], 1+r.IntN(99), verbs[r.IntN(len(verbs))], words[r.IntN(len(words))])
	}
	return b.String()
}

func list(r *rand.Rand) string {
	var b strings.Builder
	for i := 0; i < 3+r.IntN(4); i++ {
		fmt.Fprintf(&b, "%d. %s the %s, then %s.\n", i+1, title1(verbs[r.IntN(len(verbs))]), words[r.IntN(len(words))], sentence(r)[:20])
	}
	return b.String()
}

var calloutKinds = []string{"NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"}

// section writes one section of filler with links, sized by weight.
func section(r *rand.Rand, heading string, from *page, pages []*page, links *int, weight int) string {
	var b strings.Builder
	b.WriteString("## " + heading + "\n\n")
	for i := 0; i < weight; i++ {
		p := paragraph(r)
		if *links > 0 {
			p += " See " + link(r, from, pages) + "."
			*links--
		}
		b.WriteString(p + "\n\n")
		if heading == "Action items" {
			// Every action item has an owner and a ticket.
			for j := 0; j < 2+r.IntN(3); j++ {
				fmt.Fprintf(&b, "- [ ] %s the %s. Owner: @%s. Ticket OPS-%d.\n", title1(verbs[r.IntN(len(verbs))]), words[r.IntN(len(words))], owners[r.IntN(len(owners))], 100+r.IntN(9000))
			}
			b.WriteString("\n")
			continue
		}
		switch r.IntN(6) {
		case 0:
			b.WriteString(codeBlock(r) + "\n\n")
		case 1:
			b.WriteString(table(r) + "\n")
		case 2:
			b.WriteString(list(r) + "\n")
		case 3:
			fmt.Fprintf(&b, "> [!%s]\n> %s\n\n", calloutKinds[r.IntN(len(calloutKinds))], sentence(r))
		case 4:
			fmt.Fprintf(&b, "### %s %d\n\n%s See [the upstream docs](https://docs.example.com/%s).\n\n", title(r), i+1, paragraph(r), words[r.IntN(len(words))])
		}
	}
	return b.String()
}

func render(p *page, i int, pages []*page, r *rand.Rand, base time.Time) string {
	date := base.AddDate(0, 0, (i*7)%900)
	var fm strings.Builder
	fm.WriteString("---\n")
	fmt.Fprintf(&fm, "title: %q\n", p.title)
	tg := []string{tags[r.IntN(len(tags))], tags[r.IntN(len(tags))]}
	if tg[0] == tg[1] {
		tg = tg[:1]
	}
	fmt.Fprintf(&fm, "tags: [%s]\n", strings.Join(tg, ", "))
	owner := owners[r.IntN(len(owners))]
	svc := services[r.IntN(len(services))]
	var headings []string
	switch p.kind {
	case "runbook":
		svc = strings.Split(p.path, "/")[1]
		fmt.Fprintf(&fm, "service: %s\nowner: %s\nlast_reviewed: %s\nreview_every: 180d\nalerts: [%sHighLatency, %sErrors]\ntier: %d\n", svc, owner, Today.AddDate(0, 0, -(i%150)).Format("2006-01-02"), title1(svc), title1(svc), 1+r.IntN(3))
		headings = []string{"Overview", "Diagnosis", "Mitigation", "Escalation"}
	case "adr":
		status := []string{"accepted", "accepted", "proposed", "rejected", "deprecated"}[r.IntN(5)]
		if p.superseded {
			status = "superseded"
		}
		if p.supersedes > 0 {
			fmt.Fprintf(&fm, "supersedes: ADR-%04d\n", p.supersedes)
		}
		fmt.Fprintf(&fm, "status: %s\ndate: %s\ndecision-makers: [%s]\n", status, date.Format("2006-01-02"), owner)
		headings = []string{"Context and Problem Statement", "Considered Options", "Decision Outcome", "Consequences"}
	case "postmortem":
		start := date.Add(time.Duration(r.IntN(20)) * time.Hour)
		det := start.Add(time.Duration(2+r.IntN(40)) * time.Minute)
		mit := det.Add(time.Duration(5+r.IntN(120)) * time.Minute)
		res := mit.Add(time.Duration(10+r.IntN(600)) * time.Minute)
		fmt.Fprintf(&fm, "date: %s\nseverity: SEV-%d\nstatus: reviewed\nowner: %s\nservices: [%s]\nimpact_start: %s\ndetected_at: %s\nmitigated_at: %s\nresolved_at: %s\n",
			date.Format("2006-01-02"), p.severity, owner, svc, start.Format(time.RFC3339), det.Format(time.RFC3339), mit.Format(time.RFC3339), res.Format(time.RFC3339))
		headings = []string{"Summary", "Impact", "Timeline", "Contributing factors", "Detection", "Resolution", "Action items", "Lessons"}
	case "evaluation":
		fmt.Fprintf(&fm, "ring: %s\nquadrant: %s\ndate: %s\nowner: %s\n", rings[r.IntN(4)], quadrants[r.IntN(len(quadrants))], date.Format("2006-01-02"), owner)
		headings = []string{"Summary", "Strengths", "Risks"}
	case "post":
		fmt.Fprintf(&fm, "date: %s\nauthors: [%s]\ndescription: %q\n", date.Format("2006-01-02"), owner, sentence(r))
		headings = []string{"Background", "What we learned"}
	default:
		fmt.Fprintf(&fm, "owner: %s\nweight: %d\n", owner, 1+r.IntN(50))
		headings = []string{"Introduction", "How it works", "Reference"}
	}
	fm.WriteString("---\n\n")
	links := 5 + r.IntN(16)
	target := 1024 + r.IntN(7*1024)
	var b strings.Builder
	b.WriteString(fm.String())
	b.WriteString(paragraph(r) + "\n\n")
	// Every heading once (links point at their anchors), then more
	// sections while the page is under its target size.
	for _, h := range headings {
		b.WriteString(section(r, h, p, pages, &links, 1))
	}
	for i := 0; b.Len()+1200 < target; i++ {
		// Repeated headings get -1, -2 ids.
		b.WriteString(section(r, headings[i%len(headings)], p, pages, &links, 1))
	}
	if links > 0 {
		b.WriteString("## See also\n\n")
		for ; links > 0; links-- {
			b.WriteString("- " + link(r, p, pages) + "\n")
		}
	}
	return b.String()
}

// title1 upper-cases the first letter of an ASCII word.
func title1(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
