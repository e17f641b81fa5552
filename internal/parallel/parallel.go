// Package parallel runs the pipeline's per-item work — parsing files,
// resolving links, rendering pages — on every core, stopping early on the
// first error or when the build is cancelled.
package parallel

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Each calls f(i) for every i in [0, n) on workers goroutines (all cores
// when workers <= 0), the caller's one of them. It stops handing out work
// at the first error f returns or when ctx is done, waits for the calls
// under way, and returns that error, or ctx's.
//
// The goroutines take the next i from a shared counter: no goroutine hands
// them out, so that on two cores the work has both, and taking one costs
// an atomic add (a build hands out tens of thousands of small items: links
// of a page, a file's fingerprint).
func Each(ctx context.Context, n, workers int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)
	var (
		next      atomic.Int64
		stop      atomic.Bool
		cancelled atomic.Bool
		mu        sync.Mutex
		first     error
		wg        sync.WaitGroup
	)
	done := ctx.Done()
	work := func() {
		for !stop.Load() {
			if done != nil {
				select {
				case <-done:
					cancelled.Store(true)
					stop.Store(true)
					return
				default:
				}
			}
			i := int(next.Add(1) - 1)
			if i >= n {
				return
			}
			if err := f(i); err != nil {
				mu.Lock()
				if first == nil {
					first = err
				}
				mu.Unlock()
				stop.Store(true)
			}
		}
	}
	for w := 1; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work()
		}()
	}
	if workers > 0 {
		work()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	if cancelled.Load() {
		return ctx.Err()
	}
	return nil
}
