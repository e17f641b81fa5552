// Package memlimit keeps a long build's memory near a budget without
// letting the garbage collector thrash.
//
// Go's collector lets the heap grow to twice what is live before it
// collects (GOGC=100): a 100,000-page build whose live heap peaks at
// 2.7 GB took 6.6 GB of memory; with Start, 3.7 GB. Start collects at
// GOGC=75 (BuildPercent), and a soft memory limit (debug.SetMemoryLimit)
// makes it collect sooner as the heap nears the budget; but a limit below
// what is live makes it collect without end. So the limit follows the
// live heap: it is the budget, or Headroom times the live heap when that
// is more, checked a few times a second. A small site never comes near
// the budget and runs as without it; a big one collects more often near
// its peak and stays within the budget as long as its live heap allows.
//
// Floor is the other way round, for a process that runs long (handbook
// serve): the collector waits until the heap reaches a budget, or half
// as much again as the live heap when that is more, rather than twice
// the live heap; and a limit far above the budget (Budget, for handbook
// serve) holds a big site's preview within it as Start holds a build. A preview starting collects less often than GOGC=100
// would, and one whose live heap is 420 MB holds about the budget.
// Settle, called once the preview has served an edit, collects that
// edit's garbage while nothing else runs, so that the next edit's
// update starts from the live heap and is rarely collected while it runs.
// Whole, called before the preview builds its site whole, paces the
// collector as a build's until the next Settle: the heap let grow to the
// budget over a whole build was most of a preview's memory as it started.
//
// A GOMEMLIMIT in the environment wins over both, and a GOGC over Floor:
// they do nothing then.
//
// Expect, told the size of the Markdown a build reads, lets the heap grow
// to about what the rendering will hold in any case while the pages are
// read, rather than collecting it each time it grows by three quarters:
// at 100,000 pages that was most of the collector's work.
//
// HugePages, for a build or a check, has the heap faulted in as
// transparent huge pages where the kernel gives them only on request:
// faulting a big heap in 4 KB at a time was a tenth of a 100,000-page
// build's CPU.
package memlimit

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"sync/atomic"
	"time"
)

// Headroom is the least room the heap is given over what is live, as a
// factor.
const Headroom = 1.2

// Budget is the memory handbook build keeps its heap within by default:
// 3.5 GiB. A 100,000-page build (about 2.7 GB live at its peak) took
// 87 s and 3.7 GB with it, against 135 s and 3.1 GB with 3 GiB, where
// the collector ran most of the time near the peak (a quarter of the
// build's CPU).
const Budget = 3584 << 20

// every is how often the live heap is read.
const every = 50 * time.Millisecond

// BuildPercent is the GOGC Start sets: the heap may grow by three
// quarters of what is live before it is collected, not double. A
// 10,000-page build, 240 MB live at its peak, took 580 MB of memory with
// 100 and 510 MB with 75, for 0.3 s more of the collector's CPU in a
// build of 20 CPU-seconds (45 collections, 63 with 75); with 50, 450 MB
// for 1 s more.
const BuildPercent = 75

// Start sets the soft memory limit to budget, raised as the live heap
// grows (see the package comment), and GOGC to BuildPercent, or more
// while the heap is below what Expect was told to expect, until stop is
// called, which puts both back. It leaves the limit alone when
// GOMEMLIMIT is set, and GOGC when GOGC is.
func Start(budget int64) (stop func()) {
	restore := func() {}
	paced := os.Getenv("GOGC") == ""
	if paced {
		before := debug.SetGCPercent(BuildPercent)
		restore = func() { debug.SetGCPercent(before) }
	}
	if os.Getenv("GOMEMLIMIT") != "" || budget <= 0 {
		return restore
	}
	before := debug.SetMemoryLimit(-1)
	limit := budget
	debug.SetMemoryLimit(limit)
	percent := BuildPercent
	return watch(func(live int64) {
		if paced {
			want := percentToward(expectedHeap(budget), live)
			// A change of under a tenth is not worth the pacer's work.
			if want*10 < percent*9 || want*10 > percent*11 {
				percent = want
				debug.SetGCPercent(percent)
			}
		}
		// Only ever raised: the budget holds until the live heap needs
		// more.
		if want := int64(float64(live) * Headroom); want > limit {
			limit = want
			debug.SetMemoryLimit(limit)
		}
	}, func() { expected.Store(0); debug.SetMemoryLimit(before); restore() })
}

// SourceFactor is the heap a build is expected to reach, as a multiple of
// the size of the Markdown it reads (Expect). A build's live heap grows
// with the pages it has read, and while it is small next to what the
// rendering will hold, collecting it each time it grows by three
// quarters is work that lowers no peak: the generated 10,000-page site
// (36 MB of Markdown) peaks at 330 MB of heap, and the 100,000-page one
// (363 MB) at the budget, both while rendering, where the larger's live
// heap is 5.7 times its sources (2.1 GB). Six times the sources while
// the pages are read (2.15 GB at 100,000 pages, against 1.45 GB) took
// the collector 2.7–3.4 s of CPU there against 3.9–4.5 s, but made no
// build faster (48–60 s against 53–55 s, three pairs alternated, as in
// an earlier trial of three), with up to 110 MB more at the peak.
const SourceFactor = 4

// expectShare bounds the expected heap, as a share of the budget: near
// the budget the memory limit paces the collector.
const expectShare = 0.6

// expectAtLeast is the least expected heap Expect acts on. Below it the
// collections while the pages are read cost little, the heap being
// small, and letting it grow only spread the site over more memory: at
// 10,000 pages (220 MB expected) the build was no faster and its peak
// 433–518 MB against 438–472 MB.
var expectAtLeast int64 = 512 << 20

// expected is the Markdown Expect was told of; 0 when none.
var expected atomic.Int64

// Expect tells the collector's pacing that Start set up that the build
// reads sources bytes of Markdown: until its live heap nears it, the
// heap is let grow to SourceFactor times that (at most six tenths of the
// budget; nothing changes when that is under 512 MiB) before it is
// collected, rather than by three quarters of what is live. A
// 100,000-page build was collected 67 times, marking its growing heap
// over and over while it read its pages; so, 24 times.
// Alternated, 100,000-page builds took 60.4, 63.4 and 65.1 s against
// 63.9, 73.5 and 79.3 s (user CPU 92–100 s against 97–120 s), the same
// peak (3.59–3.62 GB). A 10,000-page build expects less than
// expectAtLeast and runs as before. It does nothing when Start does not
// pace the collector (GOGC or GOMEMLIMIT set).
func Expect(sources int64) { expected.Store(max(0, sources)) }

// expectedHeap is the heap a build paced by Start with budget is let
// grow to before it is collected, from what Expect was told; 0 when
// nothing was.
func expectedHeap(budget int64) int64 {
	src := expected.Load()
	if src <= 0 || src*SourceFactor < expectAtLeast {
		return 0
	}
	return min(src*SourceFactor, int64(float64(budget)*expectShare))
}

// percentToward returns the GOGC that lets a heap of live bytes grow to
// heap before it is collected (percentFor), BuildPercent when it would
// grow less so or no heap is expected.
func percentToward(heap, live int64) int {
	if heap <= 0 {
		return BuildPercent
	}
	return max(BuildPercent, percentFor(heap, live))
}

// watch calls f with the live heap a few times a second, until the stop
// it returns is called, which calls restore.
func watch(f func(live int64), restore func()) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
			}
			metrics.Read(sample)
			if sample[0].Value.Kind() == metrics.KindUint64 {
				f(int64(sample[0].Value.Uint64()))
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
			restore()
		})
	}
}

// ServeBudget is the heap handbook serve lets grow before it collects
// (Floor): with what is not heap (the collector's own, memory freed and
// not yet handed back: about a fifth more), the preview of a
// 10,000-page site, 420 MB live, stays within 1 GB over 200 edits (0.9
// GB median; with 900 MiB, 1.1 GB).
const ServeBudget = 700 << 20

// maxPercent bounds the GOGC Floor sets while the live heap is small
// (a preview starting): the budget is reached in a few collections.
const maxPercent = 1000

// minPercent bounds the GOGC Floor sets while the live heap is large: a
// heap past the budget is still let grow by half before it is collected.
const minPercent = 50

// Floor sets GOGC so that the heap may grow to budget before the next
// collection, rather than to twice the live heap, following the live
// heap a few times a second, until stop is called, which puts GOGC back.
// A live heap of two thirds of the budget or more is collected as
// GOGC=50 would. It paces the collector rather than setting a memory
// limit near it: under a limit the runtime returns freed memory to the
// system as the heap nears it, and faulting it back in made a preview's
// updates slower (measured again: 850 MiB held a preview at 0.84 GB, but
// its updates after a title edit took 0.68–0.99 s against 0.56–0.71 s).
//
// It sets a limit far above it, though: limit, or Headroom times the
// live heap when that is more (as Start does), so that the memory of a
// big site's preview stays within limit where its live heap allows. A
// preview of 100,000 pages (2.4 GB live) let grow by half as much again
// took 4.15 GB once a page was added and removed; with Budget, 3.58 GB,
// for updates a quarter slower (2.6–2.9 s after a title edit rather than
// 1.8–2.4 s). A 10,000-page preview (300 MB live) never nears it.
//
// It does nothing when GOGC or GOMEMLIMIT is set.
func Floor(budget, limit int64) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" || budget <= 0 {
		return func() {}
	}
	percent := percentFor(budget, 0)
	if building.Load() {
		percent = min(percent, BuildPercent)
	}
	before := debug.SetGCPercent(percent)
	beforeLimit := debug.SetMemoryLimit(-1)
	if limit > 0 {
		debug.SetMemoryLimit(limit)
	}
	floored.Store(true)
	return watch(func(live int64) {
		want := percentFor(budget, live)
		if building.Load() {
			want = min(want, BuildPercent)
		}
		// A change of under a tenth is not worth the pacer's work.
		if want*10 < percent*9 || want*10 > percent*11 {
			percent = want
			debug.SetGCPercent(percent)
		}
		// Only ever raised: a limit below the live heap would have the
		// collector run without end.
		if grow := int64(float64(live) * Headroom); limit > 0 && grow > limit {
			limit = grow
			debug.SetMemoryLimit(limit)
		}
	}, func() { floored.Store(false); debug.SetGCPercent(before); debug.SetMemoryLimit(beforeLimit) })
}

// building is set by Whole until the next Settle; floored while Floor
// paces the collector.
var building, floored atomic.Bool

// Whole says that a process paced by Floor starts to build its site
// whole (handbook serve's first build, or one after its configuration
// changed): until the next Settle, the collector runs as handbook build's
// does (GOGC=BuildPercent) rather than letting the heap grow to the
// budget, or as Floor would when that lets the heap grow less (a live
// heap past the budget, on a large site). A whole build's live heap
// grows to about what the preview then holds; letting the heap grow to
// the budget over it took the preview of a 10,000-page site to 1.02 GB
// as it started, against 0.76–0.79 GB so, for a start of 5.4–6.0 s
// rather than 5.2 s.
func Whole() {
	building.Store(true)
	if floored.Load() {
		debug.SetGCPercent(BuildPercent)
	}
}

// percentFor returns the GOGC that lets a heap of live bytes grow to
// budget: at least minPercent, at most maxPercent.
func percentFor(budget, live int64) int {
	if live <= 0 || budget/live >= maxPercent/100+1 {
		return maxPercent
	}
	return int(max(minPercent, min(maxPercent, (budget-live)*100/live)))
}

// idleGarbage is the least garbage Settle collects: less is left for the
// collector to take when it comes to it.
const idleGarbage = 32 << 20

// releaseGarbage is the least garbage Settle hands back to the system
// after a whole build. A 10,000-page preview's start leaves about 120 MB
// (heap 337 MB, 219 MB live): handed back, the first edits after the
// start faulted it in again, a title edit taking 111–129 ms to the
// reload against 76–87 ms kept (three servers each, alternated; the
// fingerprints 34–44 against 15–21 ms), for 30–40 MB less resident at
// the start and the same after five edits.
var releaseGarbage uint64 = 256 << 20

// Settle collects the garbage of the work just done, for a process that
// waits between bursts of work (handbook serve between edits), and
// reports whether it did: the next burst then starts from a heap that
// holds what is live, and is rarely collected while it runs, which would
// take a quarter of the cores from it. A collection at 10,000 pages
// (400 MB live) takes a core for about 0.2 s; the heap then never holds
// much more than what is live and one update's garbage. With release,
// after work that made much garbage (the site built whole), the memory
// freed is handed back to the system too, when it is more than
// releaseGarbage: less is what the next edits take again, faulting it
// in page by page.
//
// After an edit, though, it only collects, whatever the live heap: the
// memory freed stays with the process, for the next edit to use without
// faulting it in again, and the limit Floor sets, with the runtime's
// scavenger, hands back what is past it. Handing it back after every edit
// of a 100,000-page preview (2.2 GB live), as this did once past 1 GiB
// live, made the updates after a title or review-date edit three times
// slower: 0.62–0.73 s to the reload against 0.18–0.25 s (two servers
// each, alternated, six edits each; the fingerprints' part 0.36–0.44 s
// against 0.08–0.14 s), for 2.85–2.87 GB resident between edits against
// 3.17–3.18 GB. It does nothing when less than idleGarbage is garbage.
func Settle(release bool) bool {
	building.Store(false) // the watcher paces the heap to the budget again
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 || sample[1].Value.Kind() != metrics.KindUint64 {
		return false
	}
	heap, live := sample[0].Value.Uint64(), sample[1].Value.Uint64()
	if heap < live+idleGarbage {
		return false
	}
	if release && heap-live > releaseGarbage {
		debug.FreeOSMemory()
	} else {
		runtime.GC()
	}
	return true
}
