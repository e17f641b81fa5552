package diag

import (
	"strings"
	"testing"
)

func TestListSortDedup(t *testing.T) {
	var l List
	l.Warnf(Position{File: "b.md", Line: 2, Col: 1}, "r", "w")
	l.Errorf(Position{File: "a.md", Line: 10, Col: 3}, "r", "second")
	l.Errorf(Position{File: "a.md", Line: 2, Col: 9}, "r", "first")
	l.Errorf(Position{File: "a.md", Line: 10, Col: 3}, "r", "second")
	l.Add(Position{File: "a.md"}, Info, "x", "whole file")
	l.Sort()
	var got []string
	for _, d := range l {
		got = append(got, d.String())
	}
	want := []string{
		"a.md: info x: whole file",
		"a.md:2:9: error r: first",
		"a.md:10:3: error r: second",
		"b.md:2:1: warning r: w",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s", strings.Join(got, "\n"))
	}
	if !l.HasErrors() || l.Count(Warning) != 1 {
		t.Errorf("counts wrong")
	}
}

func TestCollector(t *testing.T) {
	var c Collector
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() {
			c.Append(Diagnostic{Pos: Position{File: "f.md", Line: 1}, Rule: "r", Message: "m"})
			done <- true
		}()
	}
	for i := 0; i < 4; i++ {
		<-done
	}
	if n := len(c.List()); n != 1 {
		t.Errorf("collector kept %d duplicates, want 1", n)
	}
}
