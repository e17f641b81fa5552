package sitegen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// Code blocks are generated, not copied: each language has a generator that
// strings together the statements real handbooks hold (kubectl and curl
// pipelines, Kubernetes manifests and alert rules, PromQL, SQL against
// Postgres, Terraform, Go and Python helpers, Dockerfiles, configuration in
// TOML and INI, log output), with identifiers, numbers and structure drawn
// at random, so that no two blocks are alike and a cache of highlighted
// blocks gains nothing a real site would not give it.

// lang is a language a code block is written in: its info string and a
// generator of about n lines.
type lang struct {
	name string
	gen  func(r *rand.Rand, n int) string
}

var languages = map[string]lang{
	"bash":       {"bash", genBash},
	"sh":         {"sh", genBash},
	"shell":      {"shell", genBash},
	"console":    {"console", genConsole},
	"yaml":       {"yaml", genYAML},
	"promql":     {"promql", genPromQL},
	"go":         {"go", genGo},
	"python":     {"python", genPython},
	"sql":        {"sql", genSQL},
	"json":       {"json", genJSON},
	"hcl":        {"hcl", genHCL},
	"terraform":  {"terraform", genHCL},
	"dockerfile": {"dockerfile", genDockerfile},
	"javascript": {"javascript", genJS},
	"typescript": {"typescript", genTS},
	"toml":       {"toml", genTOML},
	"ini":        {"ini", genINI},
	"text":       {"text", genLog},
	"":           {"", genLog},
}

// langWeights are the languages of each kind of page, with weights:
// runbooks hold shell, queries and manifests; ADRs configuration and code.
var langWeights = map[string][]weighted{
	"runbook":    w("bash 26 shell 6 console 8 promql 13 yaml 11 sql 6 json 5 text 7 _ 7 python 3 go 2 hcl 2 ini 2 toml 1 dockerfile 1"),
	"adr":        w("yaml 14 go 12 hcl 8 terraform 3 json 8 typescript 8 python 8 sql 7 toml 6 dockerfile 6 bash 10 javascript 5 _ 5"),
	"postmortem": w("bash 18 console 6 text 18 promql 14 sql 10 yaml 9 json 8 _ 8 go 4 python 5"),
	"evaluation": w("yaml 20 go 15 python 15 typescript 10 bash 15 json 10 toml 10 _ 5"),
	"post":       w("go 14 python 12 bash 14 yaml 10 typescript 8 javascript 8 sql 8 json 6 hcl 5 dockerfile 5 toml 4 promql 4 _ 2"),
	"guide":      w("bash 18 yaml 14 go 9 python 9 sql 7 json 7 hcl 6 dockerfile 5 typescript 5 javascript 4 toml 4 ini 3 promql 5 text 2 _ 2"),
}

type weighted struct {
	name string
	w    int
}

// w parses "name weight name weight…"; "_" is the empty name.
func w(s string) []weighted {
	f := strings.Fields(s)
	var out []weighted
	for i := 0; i+1 < len(f); i += 2 {
		var n int
		fmt.Sscan(f[i+1], &n)
		name := f[i]
		if name == "_" {
			name = ""
		}
		out = append(out, weighted{name, n})
	}
	return out
}

func pickWeighted(r *rand.Rand, ws []weighted) string {
	t := 0
	for _, x := range ws {
		t += x.w
	}
	n := r.IntN(t)
	for _, x := range ws {
		if n < x.w {
			return x.name
		}
		n -= x.w
	}
	return ws[0].name
}

// blockLines draws a code block's length: log-normal, median about 4
// lines, one in ten over 15, none over 80 — the shape of real handbooks'
// blocks (most are a command or two, a few are a whole manifest).
func blockLines(r *rand.Rand) int {
	n := int(math.Round(math.Exp(1.45 + 0.85*r.NormFloat64())))
	return min(max(n, 1), 80)
}

// codeBlock returns a fenced code block for a page of kind.
func codeBlock(r *rand.Rand, kind string) string {
	l := languages[pickWeighted(r, langWeights[kind])]
	body := strings.TrimRight(l.gen(r, blockLines(r)), "\n")
	return "```" + l.name + "\n" + body + "\n```"
}

// Vocabulary of code: nouns become identifiers in every style.
var (
	codeNouns = strings.Fields(`order payment invoice session user account shard replica queue topic
	partition consumer worker job batch cache bucket object blob volume disk node pod deployment service ingress
	route endpoint request response retry backoff timeout deadline budget quota limit rate window metric counter
	gauge histogram span trace event message record row index query plan lock lease leader follower snapshot
	backup checkpoint offset cursor cert config flag feature tenant region zone cluster namespace
	release build artifact image registry manifest schema migration column ledger balance refund charge customer
	cart sku price stock shipment parcel label carrier webhook callback alert rule receiver silence incident grant
	ticket owner team pager shift dashboard panel probe check health status version header payload buffer pool
	conn client server proxy gateway balancer listener socket port resolver peer state store journal segment
	compaction watermark heartbeat election term vote epoch generation revision digest hash signature nonce`)
	codeVerbs = strings.Fields(`get set load save fetch send apply sync drain scale flush parse build check
	verify rotate renew retry reset sweep merge split resolve publish consume ack nack enqueue dequeue reserve
	release compact replay restore snapshot migrate promote demote fence evict refresh probe collect emit`)
	namespaces = strings.Fields(`payments checkout search identity billing notifications inventory shipping
	catalog gateway ledger reporting storage messaging analytics auth monitoring ingress kube-system platform`)
	regions = strings.Fields(`eu-west-1 eu-central-1 us-east-1 us-east-2 us-west-2 ap-southeast-1 ap-northeast-1`)
	images  = strings.Fields(`golang:1.23 python:3.12-slim node:22-alpine postgres:16 redis:7 nginx:1.27 alpine:3.20 debian:bookworm-slim ubuntu:24.04 envoyproxy/envoy:v1.31`)
	levels  = strings.Fields(`INFO INFO INFO INFO WARN WARN ERROR DEBUG`)
)

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func noun(r *rand.Rand) string { return pick(r, codeNouns) }

func snake(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return noun(r)
	}
	return noun(r) + "_" + noun(r)
}

func kebab(r *rand.Rand) string { return noun(r) + "-" + noun(r) }

func camel(r *rand.Rand) string {
	s := pick(r, codeVerbs)
	for i := 0; i < 1+r.IntN(2); i++ {
		s += title1(noun(r))
	}
	return s
}

func pascal(r *rand.Rand) string { return title1(noun(r)) + title1(noun(r)) }

func metricName(r *rand.Rand) string {
	ns := strings.ReplaceAll(pick(r, namespaces), "-", "_")
	suffix := pick(r, []string{"_total", "_seconds_bucket", "_seconds_count", "_bytes", "_errors_total", "_requests_total", "", "_ratio"})
	return ns + "_" + snake(r) + suffix
}

func duration(r *rand.Rand) string {
	return fmt.Sprintf("%d%s", pick2(r, []int{1, 2, 5, 10, 15, 30, 45, 90}), pick(r, []string{"s", "m", "m", "h"}))
}

func pick2(r *rand.Rand, xs []int) int { return xs[r.IntN(len(xs))] }

func hexID(r *rand.Rand, n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	for i := range b {
		b[i] = digits[r.IntN(16)]
	}
	return string(b)
}

func podName(r *rand.Rand) string {
	return kebab(r) + "-" + hexID(r, 9) + "-" + hexID(r, 5)
}

func labelSet(r *rand.Rand) string {
	var parts []string
	parts = append(parts, fmt.Sprintf(`job="%s"`, kebab(r)))
	if r.IntN(2) == 0 {
		parts = append(parts, fmt.Sprintf(`namespace="%s"`, pick(r, namespaces)))
	}
	if r.IntN(3) == 0 {
		parts = append(parts, pick(r, []string{`code=~"5.."`, `status!="200"`, `le="0.5"`, `method="POST"`, `route=~"/api/.*"`}))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// lines collects statements until a block has about n lines.
type lines struct {
	b strings.Builder
	n int
}

func (l *lines) add(s string) {
	l.b.WriteString(s)
	l.b.WriteByte('\n')
	l.n += strings.Count(s, "\n") + 1
}

func (l *lines) String() string { return l.b.String() }

func genBash(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		ns := pick(r, namespaces)
		app := kebab(r)
		switch r.IntN(14) {
		case 0:
			l.add(fmt.Sprintf("kubectl -n %s get pods -l app=%s -o wide", ns, app))
		case 1:
			l.add(fmt.Sprintf("kubectl -n %s rollout %s deploy/%s", ns, pick(r, []string{"status", "undo", "restart", "history"}), app))
		case 2:
			l.add(fmt.Sprintf("kubectl -n %s logs deploy/%s --since=%s | grep -i %q | tail -n %d", ns, app, duration(r), noun(r), 20+r.IntN(480)))
		case 3:
			l.add(fmt.Sprintf("kubectl -n %s scale deploy/%s --replicas=%d", ns, app, 1+r.IntN(24)))
		case 4:
			l.add(fmt.Sprintf("curl -sS -X %s \"https://%s.%s.internal/api/v%d/%s\" \\\n  -H 'Content-Type: application/json' \\\n  -d '{\"%s\": %d}' | jq '.%s'",
				pick(r, []string{"GET", "POST", "PUT", "DELETE"}), app, ns, 1+r.IntN(3), noun(r)+"s", snake(r), r.IntN(1000), snake(r)))
		case 5:
			l.add(fmt.Sprintf("psql \"$%s_DSN\" -c \"SELECT count(*) FROM %s WHERE %s > now() - interval '%d minutes';\"", strings.ToUpper(strings.ReplaceAll(ns, "-", "_")), snake(r), snake(r)+"_at", 5+r.IntN(120)))
		case 6:
			l.add(fmt.Sprintf("export %s_%s=%q", strings.ToUpper(noun(r)), strings.ToUpper(noun(r)), pick(r, []string{duration(r), fmt.Sprint(r.IntN(5000)), kebab(r), "true", "false"})))
		case 7:
			l.add(fmt.Sprintf("for %s in $(kubectl -n %s get pods -o name | grep %s); do\n  kubectl -n %s exec \"$%s\" -- %s\ndone", "p", ns, noun(r), ns, "p", pick(r, []string{"df -h /data", "cat /proc/loadavg", "ss -s", "env | sort"})))
		case 8:
			l.add(fmt.Sprintf("aws %s --region %s --output json | jq -r '.%s[] | .%s'", pick(r, []string{"rds describe-db-instances", "ec2 describe-instances", "elbv2 describe-target-health --target-group-arn \"$TG_ARN\"", "sqs get-queue-attributes --queue-url \"$QUEUE_URL\" --attribute-names All", "s3api list-objects-v2 --bucket " + kebab(r)}), pick(r, regions), pascal(r), pascal(r)))
		case 9:
			l.add(fmt.Sprintf("# %s the %s before %s the %s", title1(pick(r, codeVerbs)), noun(r), pick(r, codeVerbs)+"ing", noun(r)))
		case 10:
			l.add(fmt.Sprintf("if ! %s; then\n  echo \"%s %s failed\" >&2\n  exit %d\nfi", pick(r, []string{"systemctl is-active --quiet " + app, "pg_isready -h " + app, "curl -fsS localhost:" + fmt.Sprint(8000+r.IntN(2000)) + "/healthz"}), noun(r), pick(r, codeVerbs), 1+r.IntN(3)))
		case 11:
			l.add(fmt.Sprintf("journalctl -u %s --since \"%d min ago\" | awk '/%s/ {print $%d}' | sort | uniq -c | sort -rn | head", app, 5+r.IntN(55), pick(r, levels), 1+r.IntN(9)))
		case 12:
			l.add(fmt.Sprintf("%s=$(%s)", snake(r), pick(r, []string{"date -u +%FT%TZ", "hostname -f", "git rev-parse --short HEAD", "nproc", fmt.Sprintf("kubectl -n %s get deploy %s -o jsonpath='{.spec.replicas}'", ns, app)})))
		default:
			l.add(fmt.Sprintf("helm -n %s upgrade --install %s ./charts/%s --set image.tag=%s --set replicaCount=%d --wait --timeout %s", ns, app, app, hexID(r, 7), 1+r.IntN(12), duration(r)))
		}
	}
	return l.String()
}

func genConsole(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		ns := pick(r, namespaces)
		l.add(fmt.Sprintf("$ kubectl -n %s get pods", ns))
		l.add("NAME                                READY   STATUS    RESTARTS   AGE")
		for i := 0; i < 1+r.IntN(6) && l.n < n+2; i++ {
			st := pick(r, []string{"Running", "Running", "Running", "CrashLoopBackOff", "Pending", "OOMKilled", "Error"})
			l.add(fmt.Sprintf("%-35s %d/%d     %-9s %-10d %dm", podName(r), r.IntN(3), 1+r.IntN(2), st, r.IntN(40), 1+r.IntN(900)))
		}
	}
	return l.String()
}

func yamlScalar(r *rand.Rand) string {
	switch r.IntN(8) {
	case 0:
		return fmt.Sprint(r.IntN(10000))
	case 1:
		return pick(r, []string{"true", "false"})
	case 2:
		return duration(r)
	case 3:
		return fmt.Sprintf("%q", kebab(r))
	case 4:
		return fmt.Sprintf("%dMi", 64<<r.IntN(6))
	case 5:
		return fmt.Sprintf("https://%s.%s.internal:%d", kebab(r), pick(r, namespaces), 8000+r.IntN(2000))
	default:
		return snake(r)
	}
}

// yamlMap writes a nested mapping at indent until the block has n lines.
func yamlMap(r *rand.Rand, l *lines, indent string, n, depth int) {
	for k := 0; l.n < n && (k < 2 || r.IntN(4) != 0); k++ {
		key := snake(r)
		switch {
		case depth < 4 && r.IntN(3) == 0:
			l.add(indent + key + ":")
			yamlMap(r, l, indent+"  ", min(n, l.n+2+r.IntN(6)), depth+1)
		case r.IntN(5) == 0:
			l.add(indent + key + ":")
			for i := 0; i < 1+r.IntN(4) && l.n < n; i++ {
				l.add(indent + "  - " + yamlScalar(r))
			}
		default:
			l.add(indent + key + ": " + yamlScalar(r))
		}
	}
}

func genYAML(r *rand.Rand, n int) string {
	var l lines
	switch r.IntN(4) {
	case 0: // a Kubernetes object
		app := kebab(r)
		l.add(fmt.Sprintf("apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n  namespace: %s\n  labels:\n    app: %s",
			pick(r, []string{"apps/v1", "v1", "batch/v1", "networking.k8s.io/v1", "policy/v1"}),
			pick(r, []string{"Deployment", "StatefulSet", "ConfigMap", "CronJob", "Ingress", "PodDisruptionBudget", "Service"}), app, pick(r, namespaces), app))
		if l.n < n {
			l.add("spec:")
			yamlMap(r, &l, "  ", n, 1)
		}
	case 1: // Prometheus alerting rules
		l.add(fmt.Sprintf("groups:\n  - name: %s.rules\n    rules:", kebab(r)))
		for l.n < n {
			l.add(fmt.Sprintf("      - alert: %s\n        expr: %s\n        for: %s\n        labels:\n          severity: %s\n        annotations:\n          summary: %s %s on {{ $labels.instance }}\n          runbook_url: https://handbook.internal/runbooks/%s/",
				pascal(r)+pick(r, []string{"High", "Down", "Saturated", "Stuck", "Lagging"}), promExpr(r), duration(r), pick(r, []string{"critical", "warning", "page", "ticket"}),
				title1(noun(r)), pick(r, []string{"errors", "latency", "saturation", "lag"}), pick(r, namespaces)))
		}
	case 2: // a CI workflow
		l.add(fmt.Sprintf("name: %s\non:\n  push:\n    branches: [main]\njobs:\n  %s:\n    runs-on: ubuntu-latest\n    steps:", kebab(r), kebab(r)))
		for l.n < n {
			if r.IntN(2) == 0 {
				l.add(fmt.Sprintf("      - uses: actions/%s@v%d", pick(r, []string{"checkout", "setup-go", "setup-node", "cache", "upload-artifact"}), 3+r.IntN(3)))
			} else {
				l.add(fmt.Sprintf("      - name: %s %s\n        run: %s", title1(pick(r, codeVerbs)), noun(r), strings.TrimSpace(strings.SplitN(genBash(r, 1), "\n", 2)[0])))
			}
		}
	default:
		yamlMap(r, &l, "", n, 0)
	}
	return l.String()
}

func promExpr(r *rand.Rand) string {
	m := metricName(r)
	switch r.IntN(6) {
	case 0:
		return fmt.Sprintf("sum by (%s) (rate(%s%s[%s])) / sum by (%s) (rate(%s[%s])) > %.2f", pick(r, []string{"job", "instance", "namespace", "route"}), m, labelSet(r), duration(r), pick(r, []string{"job", "instance", "namespace", "route"}), metricName(r), duration(r), r.Float64()/10)
	case 1:
		return fmt.Sprintf("histogram_quantile(0.%d, sum by (le) (rate(%s%s[%s]))) > %d", 9+r.IntN(90), m, labelSet(r), duration(r), 1+r.IntN(5))
	case 2:
		return fmt.Sprintf("increase(%s%s[%s]) > %d", m, labelSet(r), duration(r), r.IntN(500))
	case 3:
		return fmt.Sprintf("max_over_time(%s%s[%s]) > %d", m, labelSet(r), duration(r), r.IntN(10000))
	case 4:
		return fmt.Sprintf("(1 - avg_over_time(up%s[%s])) * 100 > %d", labelSet(r), duration(r), 1+r.IntN(50))
	default:
		return fmt.Sprintf("predict_linear(%s%s[%s], %d * 3600) < 0", m, labelSet(r), duration(r), 1+r.IntN(24))
	}
}

func genPromQL(r *rand.Rand, n int) string {
	var l lines
	for l.n < min(n, 6) {
		e := promExpr(r)
		if r.IntN(3) == 0 {
			e = strings.Replace(e, " / ", "\n  /\n", 1)
		}
		l.add(e)
	}
	return l.String()
}

func goStmt(r *rand.Rand, indent string) string {
	v := camel(r)
	switch r.IntN(8) {
	case 0:
		return fmt.Sprintf("%s%s, err := %s.%s(ctx, %s)\n%sif err != nil {\n%s\treturn fmt.Errorf(\"%s %s: %%w\", err)\n%s}", indent, v, noun(r), pascal(r), noun(r)+"ID", indent, indent, pick(r, codeVerbs), noun(r), indent)
	case 1:
		return fmt.Sprintf("%sfor _, %s := range %s {\n%s\t%s.%s(%s)\n%s}", indent, noun(r), noun(r)+"s", indent, noun(r), pascal(r), noun(r), indent)
	case 2:
		return fmt.Sprintf("%sctx, cancel := context.WithTimeout(ctx, %d*time.%s)\n%sdefer cancel()", indent, 1+r.IntN(60), pick(r, []string{"Second", "Millisecond", "Minute"}), indent)
	case 3:
		return fmt.Sprintf("%s%s := &%s{\n%s\t%s: %d,\n%s\t%s: %q,\n%s}", indent, v, pascal(r), indent, pascal(r), r.IntN(1000), indent, pascal(r), kebab(r), indent)
	case 4:
		return fmt.Sprintf("%sswitch %s.%s {\n%scase %q:\n%s\treturn %s\n%sdefault:\n%s\treturn nil\n%s}", indent, noun(r), pascal(r), indent, noun(r), indent, noun(r), indent, indent, indent)
	case 5:
		return fmt.Sprintf("%slog.Printf(\"%s %%s in %%v\", %s, time.Since(start))", indent, pick(r, codeVerbs), noun(r))
	case 6:
		return fmt.Sprintf("%sif %s > %d {\n%s\t%s = %d\n%s}", indent, noun(r)+"Count", r.IntN(100), indent, noun(r)+"Count", r.IntN(10), indent)
	default:
		return fmt.Sprintf("%s%s.%s.Add(%d)", indent, noun(r), pascal(r), 1+r.IntN(9))
	}
}

func genGo(r *rand.Rand, n int) string {
	var l lines
	if n > 12 && r.IntN(2) == 0 {
		l.add(fmt.Sprintf("package %s\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"time\"\n)\n", noun(r)))
	}
	for l.n < n {
		if r.IntN(4) == 0 {
			l.add(fmt.Sprintf("type %s struct {\n\t%s %s\n\t%s %s\n}\n", pascal(r), pascal(r), pick(r, []string{"string", "int", "time.Duration", "[]byte", "*sync.Mutex", "map[string]int"}), pascal(r), pick(r, []string{"string", "int64", "bool", "[]string"})))
			continue
		}
		l.add(fmt.Sprintf("func (%s *%s) %s(ctx context.Context, %s %s) error {", noun(r)[:1], pascal(r), title1(camel(r)), noun(r)+"ID", pick(r, []string{"string", "int64", "uuid.UUID"})))
		for i := 0; i < 1+r.IntN(4) && l.n < n; i++ {
			l.add(goStmt(r, "\t"))
		}
		l.add("\treturn nil\n}")
	}
	return l.String()
}

func genPython(r *rand.Rand, n int) string {
	var l lines
	if n > 8 {
		l.add(fmt.Sprintf("import %s\nfrom %s import %s\n", pick(r, []string{"os", "json", "time", "logging", "requests", "boto3"}), pick(r, []string{"datetime", "collections", "typing", "dataclasses"}), pick(r, []string{"timedelta", "defaultdict", "Optional", "dataclass"})))
	}
	for l.n < n {
		f := snake(r)
		l.add(fmt.Sprintf("def %s_%s(%s, %s=%d):", pick(r, codeVerbs), f, noun(r), snake(r), r.IntN(100)))
		for i := 0; i < 1+r.IntN(5) && l.n < n; i++ {
			switch r.IntN(6) {
			case 0:
				l.add(fmt.Sprintf("    %s = [%s for %s in %s if %s.%s > %d]", snake(r), noun(r), "x", noun(r)+"s", "x", snake(r), r.IntN(50)))
			case 1:
				l.add(fmt.Sprintf("    if %s is None:\n        raise ValueError(f\"no %s for {%s}\")", snake(r), noun(r), noun(r)))
			case 2:
				l.add(fmt.Sprintf("    log.info(\"%s %%s\", %s)", pick(r, codeVerbs), noun(r)))
			case 3:
				l.add(fmt.Sprintf("    for %s in %s.%s(limit=%d):\n        %s[%s.%s] += 1", noun(r), noun(r), pick(r, codeVerbs), 10+r.IntN(990), snake(r), "item", snake(r)))
			case 4:
				l.add(fmt.Sprintf("    resp = requests.%s(f\"{BASE}/%s/{%s}\", timeout=%d)\n    resp.raise_for_status()", pick(r, []string{"get", "post", "delete"}), noun(r)+"s", noun(r), 1+r.IntN(30)))
			default:
				l.add(fmt.Sprintf("    %s = %s.get(%q, %d)", snake(r), noun(r), snake(r), r.IntN(1000)))
			}
		}
		l.add(fmt.Sprintf("    return %s\n", snake(r)))
	}
	return l.String()
}

func genSQL(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		t := snake(r) + "s"
		switch r.IntN(6) {
		case 0, 1:
			cols := []string{}
			for i := 0; i < 1+r.IntN(5); i++ {
				cols = append(cols, snake(r))
			}
			q := fmt.Sprintf("SELECT %s\nFROM %s", strings.Join(cols, ", "), t)
			if r.IntN(2) == 0 {
				q += fmt.Sprintf("\nJOIN %s USING (%s_id)", snake(r)+"s", noun(r))
			}
			q += fmt.Sprintf("\nWHERE %s > now() - interval '%d %s'", snake(r)+"_at", 1+r.IntN(48), pick(r, []string{"minutes", "hours", "days"}))
			if r.IntN(2) == 0 {
				q += fmt.Sprintf("\n  AND %s = '%s'", noun(r), pick(r, []string{"failed", "pending", "active", "stuck"}))
			}
			if r.IntN(2) == 0 {
				q += fmt.Sprintf("\nGROUP BY %s\nORDER BY count(*) DESC", cols[0])
			}
			l.add(q + fmt.Sprintf("\nLIMIT %d;", 10*(1+r.IntN(50))))
		case 2:
			l.add(fmt.Sprintf("SELECT pid, state, wait_event_type, now() - query_start AS age, left(query, %d)\nFROM pg_stat_activity\nWHERE state <> 'idle' AND now() - query_start > interval '%d seconds'\nORDER BY age DESC;", 40+r.IntN(80), 5+r.IntN(300)))
		case 3:
			l.add(fmt.Sprintf("UPDATE %s SET %s = '%s', updated_at = now() WHERE id IN (%d, %d, %d);", t, noun(r), pick(r, []string{"retry", "done", "cancelled"}), r.IntN(1e6), r.IntN(1e6), r.IntN(1e6)))
		case 4:
			l.add(fmt.Sprintf("CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_%s_%s ON %s (%s, %s);", t, noun(r), t, snake(r), snake(r)+"_at"))
		default:
			l.add(fmt.Sprintf("EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM %s WHERE %s_id = %d;", t, noun(r), r.IntN(1e6)))
		}
	}
	return l.String()
}

func jsonValue(r *rand.Rand, l *lines, indent string, n, depth int) string {
	switch {
	case depth < 3 && r.IntN(3) == 0 && l.n < n:
		return jsonObject(r, l, indent, n, depth+1)
	case r.IntN(6) == 0:
		return fmt.Sprintf("[%q, %q]", pick(r, regions), pick(r, regions))
	case r.IntN(3) == 0:
		return fmt.Sprint(r.IntN(100000))
	case r.IntN(4) == 0:
		return pick(r, []string{"true", "false", "null"})
	default:
		return fmt.Sprintf("%q", kebab(r))
	}
}

func jsonObject(r *rand.Rand, l *lines, indent string, n, depth int) string {
	var b strings.Builder
	b.WriteString("{")
	k := 1 + r.IntN(5)
	for i := 0; i < k; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		l.n++
		b.WriteString("\n" + indent + "  " + fmt.Sprintf("%q: ", camel(r)) + jsonValue(r, l, indent+"  ", n, depth))
		if l.n >= n && i > 0 {
			break
		}
	}
	b.WriteString("\n" + indent + "}")
	return b.String()
}

func genJSON(r *rand.Rand, n int) string {
	var l lines
	return jsonObject(r, &l, "", n, 0)
}

func genHCL(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		switch r.IntN(4) {
		case 0:
			l.add(fmt.Sprintf("variable %q {\n  type    = %s\n  default = %s\n}\n", snake(r), pick(r, []string{"string", "number", "bool"}), yamlScalarHCL(r)))
		default:
			l.add(fmt.Sprintf("resource %q %q {", pick(r, []string{"aws_db_instance", "aws_s3_bucket", "aws_security_group", "google_container_node_pool", "kubernetes_namespace", "aws_lb_target_group", "aws_iam_role", "aws_sqs_queue"}), snake(r)))
			for i := 0; i < 2+r.IntN(6) && l.n < n; i++ {
				if r.IntN(5) == 0 {
					l.add(fmt.Sprintf("  %s {\n    %s = %s\n    %s = %s\n  }", snake(r), snake(r), yamlScalarHCL(r), snake(r), yamlScalarHCL(r)))
				} else {
					l.add(fmt.Sprintf("  %-15s = %s", snake(r), yamlScalarHCL(r)))
				}
			}
			l.add("}\n")
		}
	}
	return l.String()
}

func yamlScalarHCL(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return fmt.Sprint(r.IntN(1000))
	case 1:
		return pick(r, []string{"true", "false"})
	case 2:
		return fmt.Sprintf("var.%s", snake(r))
	case 3:
		return fmt.Sprintf("[%q, %q]", pick(r, regions), kebab(r))
	default:
		return fmt.Sprintf("%q", kebab(r))
	}
}

func genDockerfile(r *rand.Rand, n int) string {
	var l lines
	l.add("FROM " + pick(r, images) + pick(r, []string{"", " AS build"}))
	for l.n < n {
		switch r.IntN(7) {
		case 0:
			l.add(fmt.Sprintf("RUN apt-get update && apt-get install -y --no-install-recommends %s %s && rm -rf /var/lib/apt/lists/*", pick(r, []string{"ca-certificates", "curl", "tini", "git", "jq"}), pick(r, []string{"libpq5", "openssl", "tzdata", "procps"})))
		case 1:
			l.add(fmt.Sprintf("COPY %s/ /app/%s/", noun(r), noun(r)))
		case 2:
			l.add(fmt.Sprintf("ENV %s_%s=%s", strings.ToUpper(noun(r)), strings.ToUpper(noun(r)), yamlScalar(r)))
		case 3:
			l.add(fmt.Sprintf("EXPOSE %d", 8000+r.IntN(2000)))
		case 4:
			l.add(fmt.Sprintf("WORKDIR /srv/%s", kebab(r)))
		case 5:
			l.add(fmt.Sprintf("RUN %s", pick(r, []string{"go build -trimpath -o /out/" + kebab(r) + " ./cmd/" + kebab(r), "pip install --no-cache-dir -r requirements.txt", "npm ci --omit=dev", "make " + noun(r)})))
		default:
			l.add(fmt.Sprintf("USER %d:%d", 1000+r.IntN(1000), 1000+r.IntN(1000)))
		}
	}
	l.add(fmt.Sprintf("ENTRYPOINT [\"/app/%s\", \"--%s\"]", kebab(r), kebab(r)))
	return l.String()
}

func jsBody(r *rand.Rand, l *lines, n int, ts bool) {
	for i := 0; i < 1+r.IntN(4) && l.n < n; i++ {
		switch r.IntN(5) {
		case 0:
			l.add(fmt.Sprintf("  const %s = await fetch(`${BASE}/%s/${%s}`, { signal: AbortSignal.timeout(%d) });", camel(r), noun(r)+"s", noun(r)+"Id", 500*(1+r.IntN(20))))
		case 1:
			l.add(fmt.Sprintf("  if (!%s.ok) throw new Error(`%s %s: ${%s.status}`);", noun(r), pick(r, codeVerbs), noun(r), noun(r)))
		case 2:
			l.add(fmt.Sprintf("  const %s = %s.filter((x) => x.%s > %d).map((x) => x.%s);", camel(r), noun(r)+"s", camel(r), r.IntN(100), camel(r)))
		case 3:
			l.add(fmt.Sprintf("  for (const %s of %s) {\n    await %s(%s);\n  }", noun(r), noun(r)+"s", camel(r), noun(r)))
		default:
			l.add(fmt.Sprintf("  console.log(%q, %s);", pick(r, codeVerbs)+" "+noun(r), noun(r)))
		}
	}
}

func genJS(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		l.add(fmt.Sprintf("export async function %s(%s, { %s = %d } = {}) {", camel(r), noun(r)+"Id", camel(r), r.IntN(100)))
		jsBody(r, &l, n, false)
		l.add(fmt.Sprintf("  return %s;\n}\n", noun(r)))
	}
	return l.String()
}

func genTS(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		if r.IntN(3) == 0 {
			l.add(fmt.Sprintf("interface %s {\n  %s: %s;\n  %s?: %s;\n}\n", pascal(r), camel(r), pick(r, []string{"string", "number", "boolean", "Date"}), camel(r), pick(r, []string{"string[]", "number", "Record<string, number>"})))
			continue
		}
		l.add(fmt.Sprintf("export async function %s(%s: string, opts: %s = {}): Promise<%s> {", camel(r), noun(r)+"Id", pascal(r), pascal(r)))
		jsBody(r, &l, n, true)
		l.add(fmt.Sprintf("  return %s as %s;\n}\n", noun(r), pascal(r)))
	}
	return l.String()
}

func genTOML(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		if r.IntN(4) == 0 {
			l.add(fmt.Sprintf("\n[[%s]]", snake(r)))
		} else {
			l.add(fmt.Sprintf("\n[%s.%s]", noun(r), noun(r)))
		}
		for i := 0; i < 1+r.IntN(5) && l.n < n; i++ {
			l.add(fmt.Sprintf("%s = %s", snake(r), yamlScalarHCL(r)))
		}
	}
	return strings.TrimLeft(l.String(), "\n")
}

func genINI(r *rand.Rand, n int) string {
	var l lines
	for l.n < n {
		l.add(fmt.Sprintf("[%s]", snake(r)))
		for i := 0; i < 1+r.IntN(5) && l.n < n; i++ {
			l.add(fmt.Sprintf("%s = %s", snake(r), strings.Trim(yamlScalar(r), `"`)))
		}
	}
	return l.String()
}

func genLog(r *rand.Rand, n int) string {
	var l lines
	t := Today.Add(-time3(r))
	for l.n < n {
		t = t.Add(time3(r) / 1000)
		l.add(fmt.Sprintf("%s %-5s %s: %s %s %s (%s=%d %s=%s)", t.Format("2006-01-02T15:04:05.000Z"), pick(r, levels), kebab(r), pick(r, codeVerbs), noun(r), pick(r, []string{"failed", "ok", "timed out", "retrying", "slow"}), snake(r), r.IntN(10000), noun(r), hexID(r, 8)))
	}
	return l.String()
}

// The words of secretWords in lint are not among codeNouns: the secret rule
// takes `token_backup = https://…` or `secret_key = var.x` for credentials,
// and a clean site must report none.
