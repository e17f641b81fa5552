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
//
// A list is most often a few lists sorted already, one after the other
// (a load's findings, then each rule's, page after page): Sort finds
// those runs and merges them, a pass over the list for each doubling of
// a run's length, rather than sorting the whole anew. A list of many
// short runs is sorted.
func (l *List) Sort() {
	list := *l
	var starts []int
	for i := range list {
		if i == 0 || compare(list[i-1], list[i]) > 0 {
			starts = append(starts, i)
			if len(starts) > maxRuns {
				slices.SortFunc(list, compare)
				*l = slices.Compact(list)
				return
			}
		}
	}
	if len(starts) > 1 {
		list = mergeRuns(list, starts)
	}
	*l = slices.Compact(list)
}

// maxRuns is the most sorted runs Sort merges rather than sorting.
const maxRuns = 64

// mergeRuns merges the sorted runs of list that start at starts, two by
// two, into a list of their own, and returns it.
func mergeRuns(list List, starts []int) List {
	src, dst := list, make(List, len(list))
	bounds := append(slices.Clone(starts), len(list))
	for len(bounds) > 2 {
		next := []int{0}
		for i := 0; i+1 < len(bounds); i += 2 {
			lo, mid := bounds[i], bounds[i+1]
			hi := mid
			if i+2 < len(bounds) {
				hi = bounds[i+2]
			}
			a, b, k := lo, mid, lo
			for a < mid && b < hi {
				if compare(src[b], src[a]) < 0 {
					dst[k] = src[b]
					b++
				} else {
					dst[k] = src[a]
					a++
				}
				k++
			}
			k += copy(dst[k:], src[a:mid])
			copy(dst[k:], src[b:hi])
			next = append(next, hi)
		}
		bounds = next
		src, dst = dst, src
	}
	return src
}

// compare orders two findings (Sort).
func compare(a, b Diagnostic) int {
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
