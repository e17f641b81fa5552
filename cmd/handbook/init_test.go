package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/starter"
)

// commented matches a key of handbook.yaml commented out: "# " before
// the line as it would be, indented as it would be.
var commented = regexp.MustCompile(`^(\s*)# (\s*(?:[a-z_-]+:(?: |$)|- ))`)

// uncomment takes in every key handbook.yaml has commented out; a mapping
// or list written as {} or [] takes the entries commented out below it.
func uncomment(src string) string {
	lines := strings.Split(src, "\n")
	for i, l := range lines {
		if m := commented.FindStringSubmatchIndex(l); m != nil {
			lines[i] = l[:m[3]] + l[m[4]:]
		}
	}
	indent := func(s string) int { return len(s) - len(strings.TrimLeft(s, " ")) }
	for i := 0; i+1 < len(lines); i++ {
		next := lines[i+1]
		if (strings.HasSuffix(lines[i], ": {}") || strings.HasSuffix(lines[i], ": []")) &&
			strings.TrimSpace(next) != "" && !strings.HasPrefix(next, "#") && indent(next) > indent(lines[i]) {
			lines[i] = lines[i][:len(lines[i])-3]
		}
	}
	return strings.Join(lines, "\n")
}

// TestInitConfig checks the handbook.yaml init writes: the configuration
// reader takes it without a problem, and so it does with every key that is
// commented out taken in; and it names every key of the whole file in
// configuration.md.
func TestInitConfig(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "content", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, whole, _ := strings.Cut(string(doc), "## The whole file, with its defaults")
	whole, _, _ = strings.Cut(whole, "\n```\n")
	var keys []string
	for _, m := range regexp.MustCompile(`(?m)^\s*(?:#\s*)?([a-z_]+):`).FindAllStringSubmatch(whole, -1) {
		keys = append(keys, m[1])
	}
	if len(keys) < 30 {
		t.Fatalf("found only %d keys in configuration.md: %v", len(keys), keys)
	}

	existing := starter.Layout{
		Title:      "Legacy: docs",
		Roots:      []starter.Root{{Dir: "docs", Mount: "/", Note: "4 Markdown files"}, {Dir: "on call", Mount: "/on-call/", Kind: page.KindRunbook}},
		OtherRoots: []starter.Root{{Dir: "src", Mount: "/src/", Note: "1 Markdown file"}},
		Kinds:      []starter.KindDir{{Folder: "design", Kind: page.KindADR, Note: "pages in docs/design"}},
		Imported:   []string{"docs/**", "on call/**"},
	}
	for _, l := range []starter.Layout{starter.DefaultLayout(), existing} {
		cfg, err := starter.Config(l)
		if err != nil {
			t.Fatal(err)
		}
		full := uncomment(string(cfg))
		for i, src := range []string{string(cfg), full} {
			roots := len(l.Roots)
			if i == 1 {
				roots += len(l.OtherRoots)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "handbook.yaml"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, ".handbook-linkignore"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			got, _, err := readConfig(dir, "")
			if err != nil {
				t.Fatalf("%v\n%s", err, src)
			}
			if got.Title != l.Title || len(got.Roots) != roots {
				t.Errorf("title %q and %d roots, want %q and %d", got.Title, len(got.Roots), l.Title, roots)
			}
		}
		for _, k := range keys {
			if !regexp.MustCompile(`(?m)^\s*` + k + `:`).MatchString(full) {
				t.Errorf("handbook.yaml does not name %s:\n%s", k, cfg)
			}
		}
		for _, k := range []string{"blame_words", "quadrants", "ignore_file", "other_pages_at", "adr-numbering-gap"} {
			if !regexp.MustCompile(`(?m)^\s*` + k + `:`).MatchString(full) {
				t.Errorf("%s: is not taken in by uncomment:\n%s", k, full)
			}
		}
	}
}
