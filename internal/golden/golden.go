// Package golden helps tests compare output with golden files: a
// line-by-line difference that reads well in a test failure. Golden files
// themselves are txtar archives read with rogpeppe/go-internal/txtar and
// rewritten by each test's -update flag.
package golden

import (
	"fmt"
	"strings"
)

// maxLines is how many differing lines Diff shows.
const maxLines = 20

// Diff lists the lines that differ between want and got, numbered, at most
// maxLines of them; "" when they are equal.
func Diff(want, got string) string {
	if want == got {
		return ""
	}
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	shown := 0
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		if shown == maxLines {
			b.WriteString("…\n")
			break
		}
		shown++
		fmt.Fprintf(&b, "line %d:\n- %s\n+ %s\n", i+1, wl, gl)
	}
	return b.String()
}
