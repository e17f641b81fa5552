package golden

import (
	"strings"
	"testing"
)

func TestDiff(t *testing.T) {
	if d := Diff("a\nb\n", "a\nb\n"); d != "" {
		t.Errorf("equal: %q", d)
	}
	d := Diff("a\nb\nc", "a\nB\nc\nd")
	if d != "line 2:\n- b\n+ B\nline 4:\n- \n+ d\n" {
		t.Errorf("diff: %q", d)
	}
	many := Diff(strings.Repeat("x\n", 50), strings.Repeat("y\n", 50))
	if strings.Count(many, "line ") != maxLines || !strings.HasSuffix(many, "…\n") {
		t.Errorf("not capped: %d lines", strings.Count(many, "line "))
	}
}
