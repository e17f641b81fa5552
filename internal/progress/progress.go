// Package progress shows the phase and progress of long work (a build of
// many pages) on one terminal line that it rewrites, and only when the
// work takes longer than a moment: nothing when the output is piped, in
// CI, or for work that ends within two seconds, where the command's own
// summary line says enough.
package progress

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Delay is how long work runs before its progress shows.
const Delay = 2 * time.Second

// tick is how often the line is rewritten.
const tick = 100 * time.Millisecond

// Line is the progress line of one command. A nil *Line shows nothing,
// so callers need not ask whether there is one.
type Line struct {
	w     io.Writer
	delay time.Duration
	start time.Time

	mu    sync.Mutex
	phase string
	total int64
	done  atomic.Int64
	shown bool
	stop  chan struct{}
	ended chan struct{}
	once  sync.Once
}

// New returns the progress line written to w, or nil when w is not a
// terminal or the CI environment variable is set (every CI service sets
// it): there the command's summary line stays alone.
func New(w io.Writer) *Line {
	if os.Getenv("CI") != "" || !terminal(w) {
		return nil
	}
	return start(w, Delay)
}

// start returns a line on w that shows after delay.
func start(w io.Writer, delay time.Duration) *Line {
	l := &Line{w: w, delay: delay, start: time.Now(), stop: make(chan struct{}), ended: make(chan struct{})}
	go l.run()
	return l
}

func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// Phase starts a phase of the work: its name ("rendering pages") and how
// many steps it has (0: not counted).
func (l *Line) Phase(name string, total int) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.phase, l.total = name, int64(total)
	l.done.Store(0)
	l.mu.Unlock()
}

// Add counts n steps of the phase done; it may be called from several
// goroutines.
func (l *Line) Add(n int) {
	if l != nil {
		l.done.Add(int64(n))
	}
}

// Done ends the work: the line, if shown, is cleared, so that what the
// command prints next starts on a clean line. Later calls of any method
// show nothing.
func (l *Line) Done() {
	if l == nil {
		return
	}
	l.once.Do(func() { close(l.stop) })
	<-l.ended
}

func (l *Line) run() {
	defer close(l.ended)
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		select {
		case <-l.stop:
			l.mu.Lock()
			if l.shown {
				fmt.Fprint(l.w, "\r\x1b[K")
			}
			l.mu.Unlock()
			return
		case <-t.C:
			if time.Since(l.start) >= l.delay {
				l.draw()
			}
		}
	}
}

// draw rewrites the line: the phase, its steps done of all, the time.
func (l *Line) draw() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.phase == "" {
		return
	}
	var b strings.Builder
	b.WriteString("\r\x1b[K")
	b.WriteString(l.phase)
	if l.total > 0 {
		done := min(l.done.Load(), l.total)
		fmt.Fprintf(&b, ": %s of %s (%d%%)", thousands(done), thousands(l.total), 100*done/l.total)
	}
	fmt.Fprintf(&b, " … %ds", int(time.Since(l.start).Seconds()))
	io.WriteString(l.w, b.String())
	l.shown = true
}

// thousands writes n with commas between thousands: 10,000.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
