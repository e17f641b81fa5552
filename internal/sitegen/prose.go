package sitegen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"
)

// Prose is built from sentence patterns over an operations vocabulary of a
// few hundred words, so that pages differ in wording and length as real
// ones do, and a search for a word finds some pages, not all.

var (
	proseNouns = strings.Fields(`service request latency replica primary database cluster node pod deploy
	rollout queue consumer producer partition lag budget alert page incident timeout retry breaker cache
	eviction memory disk network packet certificate rotation secret config flag canary traffic region zone
	failover backup restore snapshot index query plan lock contention throughput saturation upstream
	downstream dependency owner escalation dashboard metric trace log sample threshold window rate
	scheduler controller webhook migration schema replication quorum leader lease shard tenant quota
	connection pool handshake resolver proxy balancer gateway ingress egress firewall bucket object volume
	filesystem kernel container image registry pipeline artifact release hotfix rollback checkpoint
	heartbeat probe healthcheck autoscaler runner worker cron batch stream topic offset watermark backlog
	throttle limiter session token credential vault policy role permission audit ledger invoice payment
	refund checkout cart catalog inventory shipment carrier notification email webhook callback customer
	account signup login identity provider directory replica-set standby follower compaction vacuum bloat
	deadlock transaction isolation snapshot cursor buffer heap allocation collector goroutine thread
	socket descriptor limit ulimit cgroup namespace sidecar mesh envoy route listener cipher hostname`)
	adjectives = strings.Fields(`slow stale noisy flaky degraded healthy hot cold idle busy primary secondary
	regional global partial full manual automatic scheduled urgent critical minor expected unexpected
	intermittent sustained brief long short new old failing recovering saturated throttled blocked
	unreachable misconfigured expired rotated pending orphaned duplicate missing corrupted cached`)
	verbsPast = strings.Fields(`restarted drained scaled rotated flushed rebuilt reindexed throttled
	rerouted isolated paused resumed promoted rolled-back failed-over migrated patched upgraded
	reverted disabled enabled paged escalated acknowledged silenced muted retried replayed compacted`)
	verbsBase = strings.Fields(`check verify restart drain scale inspect compare confirm promote pause
	resume rotate flush rebuild reindex throttle reroute isolate notify page escalate watch measure
	raise lower cap disable enable revert patch tune trace profile sample replay compact vacuum`)
	connectors = strings.Fields(`because while after before unless until when once although since`)
	adverbs    = strings.Fields(`quickly slowly carefully first then again usually rarely always never
	briefly immediately gradually safely`)
	places = []string{"in the primary region", "on the standby", "during the deploy", "at peak traffic",
		"behind the load balancer", "in every zone", "after the failover", "before the maintenance window",
		"on the busiest shard", "across all tenants", "in staging first", "for the affected customers",
		"overnight", "within the error budget", "on call", "in the nightly batch"}
	// phrases are fixed terms readers search for, kept whole.
	phrases = []string{"error budget", "burn rate", "replica lag", "circuit breaker", "connection pool",
		"rolling restart", "blue-green deploy", "dead letter queue", "feature flag", "rate limit",
		"packet loss", "certificate rotation", "disk pressure", "memory leak", "thundering herd",
		"split brain", "cache stampede", "noisy neighbour", "cold start", "retry storm"}
)

func np(r *rand.Rand) string {
	switch r.IntN(5) {
	case 0:
		return "the " + pick(r, adjectives) + " " + pick(r, proseNouns)
	case 1:
		return pick(r, phrases)
	case 2:
		return "the " + pick(r, proseNouns) + " " + pick(r, proseNouns)
	default:
		return "the " + pick(r, proseNouns)
	}
}

// sentence returns one sentence of varied shape, with inline code and
// emphasis now and then.
func sentence(r *rand.Rand) string {
	var s string
	switch r.IntN(9) {
	case 0:
		s = fmt.Sprintf("%s %s %s", title1(pick(r, verbsBase)), np(r), pick(r, places))
	case 1:
		s = fmt.Sprintf("If %s is %s, %s %s %s", np(r), pick(r, adjectives), pick(r, verbsBase), np(r), pick(r, adverbs))
	case 2:
		s = fmt.Sprintf("%s was %s %s %s was %s", title1(np(r)), pick(r, verbsPast), pick(r, connectors), np(r), pick(r, adjectives))
	case 3:
		s = fmt.Sprintf("Expect %s to take %d to %d %s %s", np(r), 1+r.IntN(5), 6+r.IntN(40), pick(r, []string{"seconds", "minutes", "hours"}), pick(r, places))
	case 4:
		s = fmt.Sprintf("%s %s %s, so %s %s", title1(np(r)), pick(r, []string{"depends on", "feeds", "shares", "limits", "protects", "wraps"}), np(r), pick(r, verbsBase), np(r))
	case 5:
		s = fmt.Sprintf("Run `%s` and %s %s", shortCommand(r), pick(r, verbsBase), np(r))
	case 6:
		s = fmt.Sprintf("%s of %s %s %d%% %s", title1(pick(r, []string{"the share", "the rate", "the p99", "the median", "the count"})), np(r), pick(r, []string{"stays under", "went over", "should not exceed", "dropped to"}), 1+r.IntN(99), pick(r, places))
	case 7:
		s = fmt.Sprintf("%s and %s are %s %s", title1(np(r)), np(r), pick(r, adjectives), pick(r, places))
	default:
		s = fmt.Sprintf("%s %s %s %s %s", title1(pick(r, connectors)), np(r), pick(r, verbsPast), np(r), pick(r, []string{"is " + pick(r, adjectives), "needs a look", "recovers", "keeps " + pick(r, adjectives)}))
	}
	if r.IntN(8) == 0 {
		s += fmt.Sprintf(" (see `%s`)", snake(r))
	}
	if r.IntN(10) == 0 {
		w := pick(r, proseNouns)
		s = strings.Replace(s, " "+w+" ", " **"+w+"** ", 1)
	}
	return s + "."
}

func shortCommand(r *rand.Rand) string {
	ns := pick(r, namespaces)
	return pick(r, []string{
		"kubectl -n " + ns + " get pods",
		"kubectl -n " + ns + " rollout undo deploy/" + kebab(r),
		"kubectl top pods -n " + ns,
		"systemctl status " + kebab(r),
		"pg_isready -h " + kebab(r),
		"dig +short " + kebab(r) + ".internal",
		"openssl s_client -connect " + kebab(r) + ":443",
	})
}

// paragraph returns 1–6 sentences, most often 2–3.
func paragraph(r *rand.Rand) string {
	n := 1 + int(math.Abs(r.NormFloat64())*2)
	var s []string
	for i := 0; i < min(n, 6); i++ {
		s = append(s, sentence(r))
	}
	return strings.Join(s, " ")
}

func title(r *rand.Rand) string {
	return title1(pick(r, adjectives)) + " " + pick(r, proseNouns) + " " + pick(r, proseNouns)
}

// table returns a table of 2–6 columns and a log-normal number of rows
// (median 5, one in ten over 14), cells of words, numbers, code and
// durations.
func table(r *rand.Rand) string {
	cols := 2 + r.IntN(5)
	rows := min(max(int(math.Round(math.Exp(1.6+0.7*r.NormFloat64()))), 1), 60)
	kinds := make([]int, cols)
	h := r.IntN(len(headers))
	var b strings.Builder
	b.WriteString("|")
	for c := range cols {
		kinds[c] = r.IntN(6)
		if c == 0 {
			kinds[c] = 0
		}
		fmt.Fprintf(&b, " %s |", title1(headers[(c*7+h)%len(headers)]))
	}
	b.WriteString("\n|")
	for c := range cols {
		if kinds[c] == 1 || kinds[c] == 3 {
			b.WriteString(" ---: |")
		} else {
			b.WriteString(" --- |")
		}
	}
	b.WriteString("\n")
	for range rows {
		b.WriteString("|")
		for c := range cols {
			var cell string
			switch kinds[c] {
			case 0:
				cell = pick(r, adjectives) + " " + pick(r, proseNouns)
			case 1:
				cell = fmt.Sprintf("%d%%", 1+r.IntN(99))
			case 2:
				cell = "`" + snake(r) + "`"
			case 3:
				cell = duration(r)
			case 4:
				cell = title1(pick(r, verbsBase)) + " " + np(r)
			default:
				cell = pick(r, namespaces)
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

var headers = strings.Fields(`signal threshold action owner service metric limit value when window alert region step command result cost notes`)

func list(r *rand.Rand) string {
	var b strings.Builder
	ordered := r.IntN(2) == 0
	for i := 0; i < 2+r.IntN(6); i++ {
		if ordered {
			fmt.Fprintf(&b, "%d. ", i+1)
		} else {
			b.WriteString("- ")
		}
		b.WriteString(sentence(r) + "\n")
		if r.IntN(6) == 0 {
			fmt.Fprintf(&b, "   - %s\n", sentence(r))
		}
	}
	return b.String()
}

func time3(r *rand.Rand) time.Duration { return time.Duration(r.Int64N(int64(72 * time.Hour))) }

// words and verbs are what GitHistory's commit messages and edits draw on.
var words, verbs = proseNouns, verbsBase
