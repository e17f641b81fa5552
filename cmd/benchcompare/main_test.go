package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
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

// TestRoundOrder checks that every round builds each size once, and that
// the order turns round from one round to the next.
func TestRoundOrder(t *testing.T) {
	for _, c := range []struct {
		i, n int
		want []int
	}{
		{0, 2, []int{0, 1}},
		{1, 2, []int{1, 0}},
		{2, 3, []int{0, 1, 2}},
		{3, 3, []int{2, 1, 0}},
		{0, 1, []int{0}},
		{1, 1, []int{0}},
	} {
		if got := roundOrder(c.i, c.n); !slices.Equal(got, c.want) {
			t.Errorf("roundOrder(%d, %d) = %v, want %v", c.i, c.n, got, c.want)
		}
	}
}

// TestGrowthTableCPU checks that the growth table gives the build's CPU
// time beside its wall time, with the factor of each and the factor round
// by round, and leaves them out for rows whose samples have no CPU time
// or were not taken in rounds (a preview's edits).
func TestGrowthTableCPU(t *testing.T) {
	s := func(wall, cpu time.Duration) sample { return sample{wall: wall, rss: 100 << 10, cpu: cpu} }
	rows := []row{
		{task: "build", size: 10, rounds: true, a: []sample{s(2*time.Second, 4*time.Second), s(1*time.Second, 2*time.Second), s(3*time.Second, 5*time.Second)}},
		{task: "build", size: 100, rounds: true, a: []sample{s(25*time.Second, 44*time.Second), s(20*time.Second, 40*time.Second), s(21*time.Second, 50*time.Second)}},
		{task: "serve: body edit", size: 10, a: []sample{{wall: time.Millisecond}}},
		{task: "serve: body edit", size: 100, a: []sample{{wall: 3 * time.Millisecond}}},
	}
	g := growthTable(rows, nil)
	for _, want := range []string{
		"| build | time | 2.00 s | 21.00 s | **10.5×** |",
		"| build | CPU time | 4.00 s | 44.00 s | **11.0×** |",
		// Rounds: 25/2, 20/1, 21/3 and 44/4, 40/2, 50/5.
		"| build | time, round by round | | | **12.5×** (7.0–20.0×) |",
		"| build | CPU time, round by round | | | **11.0×** (10.0–20.0×) |",
		"| serve: body edit | time | 1 ms | 3 ms | **3.0×** |",
	} {
		if !strings.Contains(g, want) {
			t.Errorf("growth table lacks %q:\n%s", want, g)
		}
	}
	if strings.Contains(g, "serve: body edit | CPU time") || strings.Contains(g, "serve: body edit | time, round") {
		t.Errorf("growth table gives CPU time for samples without it:\n%s", g)
	}
}
