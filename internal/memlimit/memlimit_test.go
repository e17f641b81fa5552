package memlimit

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestStartFollowsLiveHeap: the limit is the budget at first, rises to
// Headroom times the live heap when that passes it, and is put back by
// stop.
func TestStartFollowsLiveHeap(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetMemoryLimit(-1)
	const budget = 64 << 20
	stop := Start(budget)
	if got := debug.SetMemoryLimit(-1); got != budget {
		t.Errorf("limit %d at the start, want the budget %d", got, budget)
	}
	live := make([][]byte, 0, 200)
	for range 200 {
		live = append(live, make([]byte, 1<<20)) // 200 MB live, past the budget
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < int64(float64(200<<20)*Headroom) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < int64(float64(200<<20)*Headroom) {
		t.Errorf("limit %d with 200 MB live: below %.1f times the live heap", got, Headroom)
	}
	runtime.KeepAlive(live)
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after stop, want %d as before", got, before)
	}
}

// TestStartLeavesGOMEMLIMIT: a limit the user set is left alone.
func TestStartLeavesGOMEMLIMIT(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "5GiB")
	before := debug.SetMemoryLimit(-1)
	stop := Start(64 << 20)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d with GOMEMLIMIT set, want %d", got, before)
	}
	stop()
}
