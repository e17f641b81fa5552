package render

import "testing"

// TestCompactJS: comment lines, indentation and blank lines go, code
// stays line for line; a script that could hide such lines in a string,
// or with code after a comment's end, is left as it is.
func TestCompactJS(t *testing.T) {
	in := "/* a header\n   over lines */\n(function () {\n  // a comment\n  var a = 1; // kept: code first\n\n  /* one line */\n  return a\n  [0];\n})();\n"
	want := "(function () {\nvar a = 1; // kept: code first\nreturn a\n[0];\n})();\n"
	if got := string(CompactJS([]byte(in))); got != want {
		t.Errorf("CompactJS:\n%s\nwant\n%s", got, want)
	}
	for _, same := range []string{
		"var s = `\n  // in a string\n`;\n",
		"var s = 'a\\\n  // in a string';\n",
		"/* a */ var a = 1;\n",
		"/* a\n b */ var a = 1;\n",
	} {
		if got := string(CompactJS([]byte(same))); got != same {
			t.Errorf("CompactJS(%q) = %q, want it unchanged", same, got)
		}
	}
}
