package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the line's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestLine: once shown, the line says the phase and its steps, rewrites
// itself, and is cleared at the end.
func TestLine(t *testing.T) {
	var out syncBuffer
	l := start(&out, 0)
	l.Phase("rendering pages", 12000)
	l.Add(4500)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "rendering pages: 4,500 of 12,000 (37%)") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	l.Phase("writing the search index", 0)
	for !strings.Contains(out.String(), "writing the search index …") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	l.Done()
	got := out.String()
	for _, want := range []string{"\r\x1b[Krendering pages: 4,500 of 12,000 (37%) … 0s", "\r\x1b[Kwriting the search index … 0s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress %q lacks %q", got, want)
		}
	}
	if !strings.HasSuffix(got, "\r\x1b[K") {
		t.Errorf("progress %q is not cleared at the end", got)
	}
	if strings.Contains(got, "\n") {
		t.Errorf("progress %q takes more than one line", got)
	}
}

// TestQuick: work that ends before the delay shows nothing.
func TestQuick(t *testing.T) {
	var out syncBuffer
	l := start(&out, time.Hour)
	l.Phase("rendering pages", 10)
	l.Add(10)
	time.Sleep(3 * tick)
	l.Done()
	if out.String() != "" {
		t.Errorf("quick work printed %q", out.String())
	}
}

// TestOff: no line when the output is not a terminal, and a nil line
// takes every call.
func TestOff(t *testing.T) {
	var out bytes.Buffer
	l := New(&out)
	if l != nil {
		t.Fatal("a progress line on a buffer")
	}
	l.Phase("x", 1)
	l.Add(1)
	l.Done()
	if out.Len() != 0 {
		t.Errorf("wrote %q", out.String())
	}
	if got := thousands(1234567); got != "1,234,567" {
		t.Errorf("thousands = %s", got)
	}
}

// TestAfterDone: a line ended stays quiet and may be ended again (a
// preview's later whole rebuilds reuse it).
func TestAfterDone(t *testing.T) {
	var out syncBuffer
	l := start(&out, 0)
	l.Done()
	l.Phase("rendering pages", 5)
	l.Add(5)
	time.Sleep(3 * tick)
	l.Done()
	if out.String() != "" {
		t.Errorf("an ended line printed %q", out.String())
	}
}
