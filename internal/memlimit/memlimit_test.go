package memlimit

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
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
	limitFollows200MB(t)
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after stop, want %d as before", got, before)
	}
}

// TestStartSetsPercent: Start collects at BuildPercent until stopped,
// and leaves a GOGC the user set alone.
func TestStartSetsPercent(t *testing.T) {
	t.Setenv("GOGC", "")
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	stop := Start(64 << 20)
	if got := debug.SetGCPercent(BuildPercent); got != BuildPercent {
		t.Errorf("GOGC %d while started, want %d", got, BuildPercent)
	}
	stop()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC %d after stop, want 100 as before", got)
	}

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	stop = Start(64 << 20)
	if got := debug.SetGCPercent(150); got != 150 {
		t.Errorf("GOGC %d with GOGC=150 set, want 150", got)
	}
	stop()
}

// TestStartExpect: once told the size of the sources, Start's watcher
// lets the heap grow to SourceFactor times that while the live heap is
// small, collects at BuildPercent once the live heap nears it, and stop
// forgets what it was told; with GOGC set it leaves GOGC alone.
func TestStartExpect(t *testing.T) {
	defer func(least int64) { expectAtLeast = least }(expectAtLeast)
	expectAtLeast = 0 // a test's heap is small
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	beforeGC := debug.SetGCPercent(100)
	defer debug.SetGCPercent(beforeGC)
	const budget = 1 << 30
	stop := Start(budget)
	time.Sleep(3 * every)
	if got := gogc(); got != BuildPercent {
		t.Errorf("GOGC %d before Expect, want %d", got, BuildPercent)
	}
	Expect(64 << 20) // a heap of 256 MB expected
	waitForGOGC(t, "want the heap let grow toward 256 MB with a small live heap", func(p int) bool { return p > 300 })
	live := make([][]byte, 0, 200)
	for range 200 {
		live = append(live, make([]byte, 1<<20)) // 200 MB live: 256 MB is less than 1.75 times that
	}
	waitForGOGC(t, "want BuildPercent with the live heap near what was expected", func(p int) bool { return p == BuildPercent })
	runtime.KeepAlive(live)
	live = nil
	stop()
	if got := expectedHeap(budget); got != 0 {
		t.Errorf("expected heap %d after stop, want 0", got)
	}
	if got := gogc(); got != 100 {
		t.Errorf("GOGC %d after stop, want 100 as before", got)
	}

	t.Setenv("GOGC", "150")
	debug.SetGCPercent(150)
	stop = Start(budget)
	Expect(64 << 20)
	time.Sleep(4 * every)
	if got := gogc(); got != 150 {
		t.Errorf("GOGC %d with GOGC=150 set, want 150", got)
	}
	stop()
}

func TestExpectedHeap(t *testing.T) {
	defer expected.Store(0)
	for _, c := range []struct {
		sources, budget, want int64
	}{
		{0, 1 << 30, 0},
		{-5, 1 << 30, 0},
		{10 << 20, 1 << 30, 0}, // 40 MB: a small site's, left alone
		{127 << 20, Budget, 0}, // 508 MB
		{128 << 20, Budget, 512 << 20},
		{500 << 20, Budget, 2000 << 20},
		{1 << 30, Budget, Budget * 6 / 10}, // bounded by the budget
	} {
		Expect(c.sources)
		if got := expectedHeap(c.budget); got != c.want {
			t.Errorf("expectedHeap(%d MB) with %d MB of sources = %d MB, want %d MB", c.budget>>20, c.sources>>20, got>>20, c.want>>20)
		}
	}
}

func TestPercentToward(t *testing.T) {
	for _, c := range []struct {
		heap, live int64
		want       int
	}{
		{0, 100 << 20, BuildPercent},               // nothing expected
		{1 << 30, 0, maxPercent},                   // nothing live yet
		{1 << 30, 10 << 20, maxPercent},            // bounded
		{1 << 30, 256 << 20, 300},                  // 1 GB from 256 MB
		{1 << 30, 600 << 20, BuildPercent},         // 70: less than a build's
		{1 << 30, 2 << 30, BuildPercent},           // past it
		{300 << 20, 100 << 20, 200},                // 300 MB from 100
		{300 << 20, 300<<20 + 1<<20, BuildPercent}, // just past it
	} {
		if got := percentToward(c.heap, c.live); got != c.want {
			t.Errorf("percentToward(%d MB, %d MB live) = %d, want %d", c.heap>>20, c.live>>20, got, c.want)
		}
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

// TestFloorFollowsLiveHeapBothWays: Floor sets GOGC so that the heap
// grows to the budget while the live heap is small, to 100 or less past
// half the budget, back up when the live heap falls, and puts GOGC back
// on stop.
func TestFloorFollowsLiveHeapBothWays(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	beforeGC := debug.SetGCPercent(100)
	defer debug.SetGCPercent(beforeGC)
	const budget = 64 << 20
	stop := Floor(budget, 0)
	if got := gogc(); got != maxPercent {
		t.Errorf("GOGC %d at the start, want %d", got, maxPercent)
	}
	live := make([][]byte, 0, 100)
	for range 100 {
		live = append(live, make([]byte, 1<<20)) // 100 MB live, past half the budget
	}
	waitForGOGC(t, "want at most 100 with the live heap past half the budget", func(p int) bool { return p <= 100 && p >= minPercent })
	runtime.KeepAlive(live)
	live = nil
	waitForGOGC(t, "want the heap let grow to the budget again once the live heap fell", func(p int) bool { return p > 300 })
	stop()
	if got := gogc(); got != 100 {
		t.Errorf("GOGC %d after stop, want 100 as before", got)
	}
}

// TestWhole: under Floor, Whole sets GOGC to BuildPercent at once and
// the watcher keeps it there, however small the live heap, or lower when
// the live heap is past the budget, until Settle, after which the heap is
// let grow to the budget again.
func TestWhole(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	beforeGC := debug.SetGCPercent(100)
	defer debug.SetGCPercent(beforeGC)
	stop := Floor(64<<20, 0)
	defer stop()
	if got := gogc(); got != maxPercent {
		t.Fatalf("GOGC %d at the start, want %d", got, maxPercent)
	}
	Whole()
	if got := gogc(); got != BuildPercent {
		t.Errorf("GOGC %d right after Whole, want %d", got, BuildPercent)
	}
	time.Sleep(4 * every) // the watcher runs, the live heap small
	if got := gogc(); got != BuildPercent {
		t.Errorf("GOGC %d while building whole, want %d", got, BuildPercent)
	}
	// A live heap past the budget: Floor's own pacing lets the heap grow
	// less than a build's, and wins.
	live := make([][]byte, 0, 100)
	for range 100 {
		live = append(live, make([]byte, 1<<20))
	}
	deadline := time.Now().Add(5 * time.Second)
	for gogc() != minPercent && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(every)
	}
	if got := gogc(); got != minPercent {
		t.Errorf("GOGC %d building whole with the live heap past the budget, want %d", got, minPercent)
	}
	runtime.KeepAlive(live)
	live = nil
	Settle(false)
	deadline = time.Now().Add(5 * time.Second)
	for gogc() != maxPercent && time.Now().Before(deadline) {
		runtime.GC() // the live heap falls as the watcher sees it
		time.Sleep(every)
	}
	if got := gogc(); got != maxPercent {
		t.Errorf("GOGC %d after Settle, want %d again", got, maxPercent)
	}
}

func TestPercentFor(t *testing.T) {
	for _, c := range []struct {
		budget, live int64
		want         int
	}{
		{900 << 20, 0, maxPercent},
		{900 << 20, 50 << 20, maxPercent},
		{900 << 20, 300 << 20, 200},
		{900 << 20, 450 << 20, 100},
		{700 << 20, 500 << 20, minPercent}, // 40, raised
		{900 << 20, 2 << 30, minPercent},
	} {
		if got := percentFor(c.budget, c.live); got != c.want {
			t.Errorf("percentFor(%d MB, %d MB live) = %d, want %d", c.budget>>20, c.live>>20, got, c.want)
		}
	}
}

// TestFloorLeavesGOGC: a GOGC the user set is left alone.
func TestFloorLeavesGOGC(t *testing.T) {
	t.Setenv("GOGC", "50")
	beforeGC := debug.SetGCPercent(50)
	defer debug.SetGCPercent(beforeGC)
	stop := Floor(64<<20, 0)
	if got := debug.SetGCPercent(50); got != 50 {
		t.Errorf("GOGC %d with GOGC=50 set, want 50", got)
	}
	stop()
}

// TestSettle: with more than idleGarbage of garbage, Settle collects it
// and says so; with next to none, it does nothing.
func TestSettle(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no collection but Settle's
	runtime.GC()
	if Settle(false) {
		t.Errorf("Settle collected right after a collection")
	}
	var keep [][]byte
	for range 64 {
		keep = append(keep, make([]byte, 1<<20))
	}
	runtime.KeepAlive(keep)
	keep = nil // 64 MB of garbage
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	if !Settle(false) {
		t.Fatalf("Settle did not collect 64 MB of garbage")
	}
	var after runtime.MemStats
	runtime.ReadMemStats(&after)
	if after.NumGC == before.NumGC || after.HeapAlloc+32<<20 > before.HeapAlloc {
		t.Errorf("heap %d MB after Settle, %d MB before, %d collections: want the garbage gone", after.HeapAlloc>>20, before.HeapAlloc>>20, after.NumGC-before.NumGC)
	}
	if Settle(true) {
		t.Errorf("Settle collected again with nothing left to collect")
	}
}

// TestSettleReleasesAfterWhole: Settle hands the memory it frees back to
// the system when told to (after a whole build) and it is more than
// releaseGarbage, and otherwise keeps it for the next edit, whatever the
// live heap.
func TestSettleReleasesAfterWhole(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no collection but Settle's
	defer func(g uint64) { releaseGarbage = g }(releaseGarbage)
	released := func() uint64 {
		s := []metrics.Sample{{Name: "/memory/classes/heap/released:bytes"}}
		metrics.Read(s)
		return s[0].Value.Uint64()
	}
	for _, c := range []struct {
		release bool
		least   uint64 // releaseGarbage
		want    bool   // handed back
	}{
		{false, 32 << 20, false},
		{true, 32 << 20, true},
		{true, 256 << 20, false}, // too little garbage to hand back
	} {
		releaseGarbage = c.least
		debug.FreeOSMemory()
		var keep [][]byte
		for range 64 {
			keep = append(keep, make([]byte, 1<<20))
		}
		runtime.KeepAlive(keep) // 64 MB, garbage from here on
		before := released()
		if !Settle(c.release) {
			t.Fatalf("Settle(%v) did not collect 64 MB of garbage", c.release)
		}
		if got := released() >= before+32<<20; got != c.want {
			t.Errorf("Settle(%v), releaseGarbage %d MB: %d MB handed back, want handed back %v", c.release, c.least>>20, (int64(released())-int64(before))>>20, c.want)
		}
	}
}

// TestFloorLimit: Floor sets the limit it is given, raises it to
// Headroom times the live heap when that passes it, puts the one before
// back on stop, and sets none when given none or when GOMEMLIMIT is set.
func TestFloorLimit(t *testing.T) {
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	beforeGC := debug.SetGCPercent(100)
	defer debug.SetGCPercent(beforeGC)
	before := debug.SetMemoryLimit(-1)
	const limit = 64 << 20
	stop := Floor(1<<30, limit)
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("limit %d at the start, want %d", got, limit)
	}
	limitFollows200MB(t)
	stop()
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d after stop, want %d as before", got, before)
	}
	stop = Floor(1<<30, 0)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d when Floor is given none, want %d as before", got, before)
	}
	stop()
	t.Setenv("GOMEMLIMIT", "5GiB")
	stop = Floor(1<<30, limit)
	if got := debug.SetMemoryLimit(-1); got != before {
		t.Errorf("limit %d with GOMEMLIMIT set, want %d", got, before)
	}
	stop()
}

// limitFollows200MB holds 200 MB live, past the limit the test set, and
// fails unless the limit rises to Headroom times it within 5 s.
func limitFollows200MB(t *testing.T) {
	t.Helper()
	live := make([][]byte, 0, 200)
	for range 200 {
		live = append(live, make([]byte, 1<<20))
	}
	runtime.GC()
	want := int64(float64(200<<20) * Headroom)
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if got := debug.SetMemoryLimit(-1); got < want {
		t.Errorf("limit %d with 200 MB live: below %.1f times the live heap", got, Headroom)
	}
	runtime.KeepAlive(live)
}

// gogc is the GOGC in force.
func gogc() int { p := debug.SetGCPercent(-1); debug.SetGCPercent(p); return p }

// waitForGOGC collects and reads GOGC until ok says it is as wanted, for
// up to 5 s, for a watcher that reads the live heap a few times a second;
// what says what was wanted.
func waitForGOGC(t *testing.T, what string, ok func(percent int) bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		runtime.GC()
		if ok(gogc()) {
			return
		}
		time.Sleep(every)
	}
	t.Errorf("GOGC %d: %s", gogc(), what)
}
