// Package diag is the one finding model of handbook: a Diagnostic is a
// problem in a user's file, at a Position, with a severity, a stable rule id
// and a message that says what to do.
//
// Every stage of the pipeline appends to a List instead of stopping at the
// first problem; the List is sorted and deduplicated before it is shown, so
// the same input always prints the same findings in the same order:
//
//	content/adr/0007-use-goldmark.md:3:9: error allowed-value: ADR status "aproved" is not known; use one of "proposed", "accepted", ...
package diag

import (
	"cmp"
	"fmt"
	"slices"
	"sync"
)

// Severity orders findings: Error fails a build, Warning and Info do not.
type Severity int

// Severities, most severe first.
const (
	Error Severity = iota
	Warning
	Info
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// ParseSeverity reads the name String returns.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return Error, true
	case "warning", "warn":
		return Warning, true
	case "info":
		return Info, true
	}
	return 0, false
}

// Position is a place in a source file. Line and Col count from 1; a zero
// Line means the whole file, a zero Col the whole line. Col counts bytes.
type Position struct {
	File string
	Line int
	Col  int
}

func (p Position) String() string {
	switch {
	case p.File == "":
		return "-"
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Compare orders positions by file, then line, then column.
func (p Position) Compare(q Position) int {
	if c := cmp.Compare(p.File, q.File); c != 0 {
		return c
	}
	if c := cmp.Compare(p.Line, q.Line); c != 0 {
		return c
	}
	return cmp.Compare(p.Col, q.Col)
}

// Diagnostic is one finding.
type Diagnostic struct {
	Pos      Position
	Severity Severity
	Rule     string
	Message  string
}

// String formats d as "path:line:col: severity rule: message".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s %s: %s", d.Pos, d.Severity, d.Rule, d.Message)
}

// Error makes a Diagnostic usable as an error.
func (d Diagnostic) Error() string { return d.String() }

// List is a collection of findings. The zero value is ready to use. A List
// is not safe for concurrent use; see Collector for that.
type List []Diagnostic

// Add appends a finding.
func (l *List) Add(pos Position, sev Severity, rule, format string, args ...any) {
	*l = append(*l, Diagnostic{Pos: pos, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// Errorf appends an error.
func (l *List) Errorf(pos Position, rule, format string, args ...any) {
	l.Add(pos, Error, rule, format, args...)
}

// Warnf appends a warning.
func (l *List) Warnf(pos Position, rule, format string, args ...any) {
	l.Add(pos, Warning, rule, format, args...)
}

// Sort orders the list by position, then severity, rule and message, and
// drops exact duplicates.
func (l *List) Sort() {
	slices.SortFunc(*l, func(a, b Diagnostic) int {
		if c := a.Pos.Compare(b.Pos); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Severity, b.Severity); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Rule, b.Rule); c != 0 {
			return c
		}
		return cmp.Compare(a.Message, b.Message)
	})
	*l = slices.Compact(*l)
}

// Count returns how many findings have severity s.
func (l List) Count(s Severity) int {
	n := 0
	for _, d := range l {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// HasErrors reports whether any finding is an Error.
func (l List) HasErrors() bool { return l.Count(Error) > 0 }

// Collector gathers findings from many goroutines.
type Collector struct {
	mu   sync.Mutex
	list List
}

// Append adds findings.
func (c *Collector) Append(ds ...Diagnostic) {
	if len(ds) == 0 {
		return
	}
	c.mu.Lock()
	c.list = append(c.list, ds...)
	c.mu.Unlock()
}

// List returns the sorted findings gathered so far.
func (c *Collector) List() List {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := slices.Clone(c.list)
	l.Sort()
	return l
}
