package main

import (
	"os/exec"
	"testing"
)

// TestFoundProblems checks that handbook's exit code 1 counts as a
// finished run when it printed findings, and not when the build failed
// (a full disk), which exits 1 too.
func TestFoundProblems(t *testing.T) {
	err := exec.Command("sh", "-c", "exit 1").Run()
	if err == nil {
		t.Fatal("sh exit 1 returned no error")
	}
	other := exec.Command("sh", "-c", "exit 2").Run()
	findings := []byte("content/adr/0009-check-refund.md:55:5: error broken-link: link to x.md: no such page\n")
	failure := []byte("content/a.md:1:1: warning placeholder: \"TODO\"\nhandbook build: write output: no space left on device; the previous output was kept\n")
	for _, c := range []struct {
		name   string
		args   []string
		err    error
		stderr []byte
		want   bool
	}{
		{"findings", []string{"/tmp/bin/handbook"}, err, findings, true},
		{"failed build", []string{"/tmp/bin/handbook"}, err, failure, false},
		{"exit 2", []string{"/tmp/bin/handbook"}, other, findings, false},
		{"another tool", []string{"hugo"}, err, findings, false},
	} {
		if got := foundProblems(c.args, c.err, c.stderr); got != c.want {
			t.Errorf("%s: foundProblems = %v, want %v", c.name, got, c.want)
		}
	}
}
