package parallel

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestEachRunsAll(t *testing.T) {
	var sum atomic.Int64
	if err := Each(context.Background(), 1000, 4, func(i int) error { sum.Add(int64(i)); return nil }); err != nil {
		t.Fatal(err)
	}
	if sum.Load() != 999*1000/2 {
		t.Errorf("sum %d", sum.Load())
	}
}

func TestEachStopsOnError(t *testing.T) {
	boom := errors.New("boom")
	var calls atomic.Int64
	err := Each(context.Background(), 100000, 2, func(i int) error {
		calls.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || calls.Load() > 1000 {
		t.Errorf("err %v after %d calls", err, calls.Load())
	}
}

func TestEachCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	err := Each(ctx, 100000, 2, func(i int) error { calls.Add(1); return nil })
	if !errors.Is(err, context.Canceled) || calls.Load() > 10 {
		t.Errorf("err %v after %d calls", err, calls.Load())
	}
}
