// Package memlimit keeps a long build's memory near a budget without
// letting the garbage collector thrash.
//
// Go's collector lets the heap grow to twice what is live before it
// collects (GOGC=100): a 100,000-page build whose live heap peaks at
// 2.7 GB took 6.6 GB of memory; with Start, 3.9 GB. A soft memory limit (debug.SetMemoryLimit)
// makes it collect sooner as the heap nears the budget; but a limit below
// what is live makes it collect without end. So the limit follows the
// live heap: it is the budget, or Headroom times the live heap when that
// is more, checked a few times a second. A small site never comes near
// the budget and runs as without it; a big one collects more often near
// its peak and stays within the budget as long as its live heap allows.
//
// GOMEMLIMIT in the environment wins: Start does nothing then.
package memlimit

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// Headroom is the least room the heap is given over what is live, as a
// factor.
const Headroom = 1.2

// Budget is the memory handbook build keeps its heap within by default.
const Budget = 3 << 30

// every is how often the live heap is read.
const every = 50 * time.Millisecond

// Start sets the soft memory limit to budget, raised as the live heap
// grows (see the package comment), until stop is called, which puts the
// limit back. It does nothing when GOMEMLIMIT is set.
func Start(budget int64) (stop func()) {
	if os.Getenv("GOMEMLIMIT") != "" || budget <= 0 {
		return func() {}
	}
	before := debug.SetMemoryLimit(-1)
	limit := budget
	debug.SetMemoryLimit(limit)
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
			if sample[0].Value.Kind() != metrics.KindUint64 {
				continue
			}
			if want := int64(float64(sample[0].Value.Uint64()) * Headroom); want > limit {
				limit = want
				debug.SetMemoryLimit(limit)
			}
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
			debug.SetMemoryLimit(before)
		})
	}
}
