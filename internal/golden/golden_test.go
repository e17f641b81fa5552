package golden

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// lines makes "l1\nl2\n…\ln\n".
func lines(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "l%d\n", i)
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	for _, c := range []struct {
		name, want, got, diff string
	}{
		{name: "equal", want: "a\nb\n", got: "a\nb\n", diff: ""},
		{
			name: "one line inserted",
			want: lines(1, 20),
			got:  lines(1, 10) + "new\n" + lines(11, 20),
			diff: "--- want\n+++ got\n@@ -8,6 +8,7 @@\n l8\n l9\n l10\n+new\n l11\n l12\n l13\n",
		},
		{
			name: "one line removed",
			want: lines(1, 20),
			got:  lines(1, 4) + lines(6, 20),
			diff: "--- want\n+++ got\n@@ -2,7 +2,6 @@\n l2\n l3\n l4\n-l5\n l6\n l7\n l8\n",
		},
		{
			name: "one line changed",
			want: "a\nb\nc\n",
			got:  "a\nB\nc\n",
			diff: "--- want\n+++ got\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
		},
		{
			name: "inserted at the start",
			want: "a\nb\n",
			got:  "new\na\nb\n",
			diff: "--- want\n+++ got\n@@ -1,2 +1,3 @@\n+new\n a\n b\n",
		},
		{
			name: "appended at the end",
			want: "a\n",
			got:  "a\nb\n",
			diff: "--- want\n+++ got\n@@ -1 +1,2 @@\n a\n+b\n",
		},
		{
			name: "from nothing",
			want: "",
			got:  "a\n",
			diff: "--- want\n+++ got\n@@ -0,0 +1 @@\n+a\n",
		},
		{
			name: "to nothing",
			want: "a\nb\n",
			got:  "",
			diff: "--- want\n+++ got\n@@ -1,2 +0,0 @@\n-a\n-b\n",
		},
		{
			name: "no newline at the end",
			want: "a\nb\n",
			got:  "a\nb",
			diff: "--- want\n+++ got\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n",
		},
		{
			name: "two changes far apart make two hunks",
			want: lines(1, 30),
			got:  strings.Replace(strings.Replace(lines(1, 30), "l5\n", "five\n", 1), "l25\n", "twenty-five\n", 1),
			diff: "--- want\n+++ got\n" +
				"@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+five\n l6\n l7\n l8\n" +
				"@@ -22,7 +22,7 @@\n l22\n l23\n l24\n-l25\n+twenty-five\n l26\n l27\n l28\n",
		},
		{
			name: "changes close together make one hunk",
			want: lines(1, 12),
			got:  strings.Replace(strings.Replace(lines(1, 12), "l4\n", "four\n", 1), "l9\n", "nine\n", 1),
			diff: "--- want\n+++ got\n@@ -1,12 +1,12 @@\n l1\n l2\n l3\n-l4\n+four\n l5\n l6\n l7\n l8\n-l9\n+nine\n l10\n l11\n l12\n",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			if d := Diff(c.want, c.got); d != c.diff {
				t.Errorf("Diff:\n%s\nwant:\n%s", d, c.diff)
			}
		})
	}
}

// TestDiffInsertedLine is the case the diff exists for: one line inserted
// near the top of a long file is one "+" line and nothing else changed.
func TestDiffInsertedLine(t *testing.T) {
	d := Diff(lines(1, 100), "l1\nl2\ninserted\n"+lines(3, 100))
	var plus, minus int
	for _, l := range strings.Split(d, "\n")[2:] { // after the header
		switch {
		case strings.HasPrefix(l, "+"):
			plus++
		case strings.HasPrefix(l, "-"):
			minus++
		}
	}
	if plus != 1 || minus != 0 || !strings.Contains(d, "\n+inserted\n") {
		t.Errorf("%d + lines and %d - lines, want 1 and 0:\n%s", plus, minus, d)
	}
}

func TestDiffCapped(t *testing.T) {
	d := Diff(strings.Repeat("x\n", 50), strings.Repeat("y\n", 50))
	if n := strings.Count(d, "\n-") + strings.Count(d, "\n+"); n != maxLines+1 { // +1: the "+++ got" header
		t.Errorf("%d changed lines shown, want %d:\n%s", n-1, maxLines, d)
	}
	if !strings.HasSuffix(d, "… and 60 more changed lines\n") {
		t.Errorf("no note of the lines left out:\n%s", d)
	}
}

// TestDiffShortest checks the edit script on random inputs against the
// longest common subsequence computed the slow way: it turns want into
// got, keeps every line it can, and its hunks say so.
func TestDiffShortest(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		a, b := randomLines(r), randomLines(r)
		edits := diffLines(a, b)
		var gotA, gotB []string
		kept := 0
		for _, e := range edits {
			switch e.op {
			case ' ':
				if a[e.a] != b[e.b] {
					t.Fatalf("%q → %q: kept line %d/%d differs", a, b, e.a, e.b)
				}
				kept++
				gotA, gotB = append(gotA, a[e.a]), append(gotB, b[e.b])
			case '-':
				gotA = append(gotA, a[e.a])
			case '+':
				gotB = append(gotB, b[e.b])
			}
		}
		if strings.Join(gotA, "") != strings.Join(a, "") || strings.Join(gotB, "") != strings.Join(b, "") {
			t.Fatalf("%q → %q: edits %v do not give both sides back", a, b, edits)
		}
		if want := lcs(a, b); kept != want {
			t.Fatalf("%q → %q: %d lines kept, the longest common subsequence has %d", a, b, kept, want)
		}
		if Diff(strings.Join(a, ""), strings.Join(b, "")) == "" != (strings.Join(a, "") == strings.Join(b, "")) {
			t.Fatalf("%q → %q: Diff empty for different inputs or the reverse", a, b)
		}
	}
}

// TestDiffGivesUp checks that inputs differing beyond maxEdits are shown
// as a whole replacement instead of taking quadratic memory.
func TestDiffGivesUp(t *testing.T) {
	var a, b []string
	for i := 0; i < maxEdits; i++ {
		a, b = append(a, fmt.Sprintf("a%d\n", i)), append(b, fmt.Sprintf("b%d\n", i))
	}
	edits := diffLines(a, b)
	if len(edits) != 2*maxEdits || edits[0].op != '-' || edits[len(edits)-1].op != '+' {
		t.Errorf("%d edits, want %d removals then additions", len(edits), 2*maxEdits)
	}
}

func randomLines(r *rand.Rand) []string {
	out := make([]string, r.IntN(12))
	for i := range out {
		out[i] = string(rune('a'+r.IntN(4))) + "\n"
	}
	return out
}

// lcs is the length of the longest common subsequence of a and b.
func lcs(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(prev[j+1], cur[j])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func TestCorpusDir(t *testing.T) {
	dir, err := corpusPath("radar-isis")
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "corpus", "radar-isis"))
	if dir != root {
		t.Errorf("corpusPath = %s, want %s", dir, root)
	}

	// A missing folder skips, or fails when the corpus is required.
	for _, required := range []string{"", "1"} {
		t.Setenv(RequireCorpusEnv, required)
		tb := &recorder{TB: t}
		done := make(chan struct{})
		go func() { // Fatalf and Skipf end the goroutine
			defer close(done)
			CorpusDir(tb, "no-such-folder")
		}()
		<-done
		if tb.failed != (required == "1") || tb.skipped != (required == "") {
			t.Errorf("%s=%q: failed %v, skipped %v", RequireCorpusEnv, required, tb.failed, tb.skipped)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "..")); err == nil {
		if got := CorpusDir(t); got != filepath.Dir(root) {
			t.Errorf("CorpusDir() = %s, want %s", got, filepath.Dir(root))
		}
	}
}

// recorder is a testing.TB that notes a failure or a skip and stops
// the goroutine, as testing's do.
type recorder struct {
	testing.TB
	failed, skipped bool
}

func (r *recorder) Helper() {}

func (r *recorder) Fatalf(format string, args ...any) {
	r.failed = true
	runtime.Goexit()
}

func (r *recorder) Skipf(format string, args ...any) {
	r.skipped = true
	runtime.Goexit()
}
