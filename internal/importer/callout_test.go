package importer

import "testing"

func TestCallout(t *testing.T) {
	for _, tc := range []struct {
		typ, title string
		titled     bool
		want       string
		known      bool
	}{
		{"note", "", false, "[!NOTE]", true},
		{"NOTE", "", false, "[!NOTE]", true},
		{"note", "Before you start", true, "[!NOTE] Before you start", true},
		{"info", "", false, "[!NOTE] Info", true},
		{"info", "Heads up", true, "[!NOTE] Heads up", true},
		{"abstract", "", true, "[!NOTE]", true}, // !!! abstract "": no title
		{"tip", "", false, "[!TIP]", true},
		{"success", "", false, "[!TIP] Success", true},
		{"important", "", false, "[!IMPORTANT]", true},
		{"warning", "", false, "[!WARNING]", true},
		{"caution", "", false, "[!WARNING] Caution", true},
		{"danger", "", false, "[!CAUTION] Danger", true},
		{"error", "Boom", true, "[!CAUTION] Boom", true},
		{"example", "", false, "[!NOTE] Example", false},
		{"quote", "Knuth", true, "[!NOTE] Knuth", false},
	} {
		got, known := callout(tc.typ, tc.title, tc.titled)
		if got != tc.want || known != tc.known {
			t.Errorf("callout(%q, %q, %v) = %q, %v; want %q, %v", tc.typ, tc.title, tc.titled, got, known, tc.want, tc.known)
		}
	}
}

func TestDedent(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
		col  int
	}{
		{"        code", 4, "    code", 5},
		{"\tbody", 4, "body", 2},
		{"  \tbody", 4, "body", 4},
		{"  x", 4, "x", 3},
		{"\t\tx", 4, "\tx", 2},
	} {
		got := dedent(srcLine{text: tc.in, line: 1, col: 1}, tc.n)
		if got.text != tc.want || got.col != tc.col {
			t.Errorf("dedent(%q, %d) = %q at col %d, want %q at col %d", tc.in, tc.n, got.text, got.col, tc.want, tc.col)
		}
	}
}
