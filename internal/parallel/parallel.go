// Package parallel runs the pipeline's per-item work — parsing files,
// resolving links, rendering pages — on every core, stopping early on the
// first error or when the build is cancelled.
package parallel

import (
	"context"
	"runtime"
	"sync"
)

// Each calls f(i) for every i in [0, n) on workers goroutines (all cores
// when workers <= 0). It stops handing out work at the first error f
// returns or when ctx is done, waits for the calls under way, and returns
// that error, or ctx's.
func Each(ctx context.Context, n, workers int, f func(i int) error) error {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	failed := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return first != nil
	}
	next := make(chan int)
	for w := 0; w < min(workers, n); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	var err error
loop:
	for i := 0; i < n && !failed(); i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			err = ctx.Err()
			break loop
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return err
}
