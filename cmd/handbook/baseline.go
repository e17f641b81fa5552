package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/fastfile"
	"github.com/handbook-dev/handbook/internal/lint"
)

// baselineFlags are check's --baseline and --baseline-file: the findings a
// site accepted for now (see lint.Baseline).
type baselineFlags struct {
	mode string // auto, write or ignore
	file string // as given; "" for lint.BaselineFile
}

func (b *baselineFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&b.mode, "baseline", "auto", "`MODE`: auto (report only findings not in the baseline file, when it exists), write (record every finding in it) or ignore (report every finding)")
	fs.StringVar(&b.file, "baseline-file", "", "the baseline `FILE`, relative to the site root (default "+lint.BaselineFile+")")
}

// validate checks the flags once they are parsed.
func (b *baselineFlags) validate(changed bool) error {
	if !slices.Contains([]string{"auto", "write", "ignore"}, b.mode) {
		return usagef("--baseline must be auto, write or ignore, not %q", b.mode)
	}
	if b.mode == "write" && changed {
		return usagef("--baseline write records the findings of the whole site; leave out --changed")
	}
	return nil
}

// path returns the baseline file of the site root dir, and its name as
// messages show it.
func (b *baselineFlags) path(dir string) (string, string) {
	name := filepath.FromSlash(b.file)
	if name == "" {
		name = lint.BaselineFile
	}
	if !filepath.IsAbs(name) {
		name = filepath.Join(dir, name)
	}
	shown := name
	if r, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(r, "..") {
		shown = filepath.ToSlash(r)
	}
	return name, shown
}

// write records list as the baseline of the site root dir, replacing the
// file in one step.
func (b *baselineFlags) write(dir string, list diag.List, g *globals) error {
	name, shown := b.path(dir)
	bl := lint.NewBaseline(list, lint.FileLines(dir))
	var buf bytes.Buffer
	if err := bl.Encode(&buf); err != nil {
		return err
	}
	if err := fastfile.WriteAtomic(name, buf.Bytes()); err != nil {
		return fmt.Errorf("baseline: %w", err)
	}
	if !g.quiet {
		fmt.Fprintf(g.stderr, "wrote %s: %s (%s, %s, %s)\n", shown, plural(bl.Len(), "finding"),
			plural(list.Count(diag.Error), "error"), plural(list.Count(diag.Warning), "warning"), plural(list.Count(diag.Info), "note"))
	}
	return nil
}

// compare returns how list compares with the baseline of the site root
// dir, or nil when there is none to compare with: --baseline ignore, or no
// file where none was named.
func (b *baselineFlags) compare(dir string, list diag.List) (*lint.BaselineMatch, error) {
	if b.mode != "auto" {
		return nil, nil
	}
	name, shown := b.path(dir)
	f, err := os.Open(name)
	if errors.Is(err, fs.ErrNotExist) && b.file == "" {
		return nil, nil
	}
	if err != nil {
		return nil, usagef("baseline: %v", err)
	}
	defer f.Close()
	bl, err := lint.ReadBaseline(f)
	if err != nil {
		return nil, usagef("%s: %v", shown, err)
	}
	m := bl.Match(list, lint.FileLines(dir))
	return &m, nil
}

// fixedNote says how many findings of the baseline are gone, or "" when
// none are. Entries of the external rules count only when external links
// were checked, since a check without --external cannot know.
func fixedNote(m *lint.BaselineMatch, external bool) string {
	n := 0
	for _, e := range m.Fixed {
		if external || !strings.HasPrefix(e.Rule, "external-") {
			n += e.Count
		}
	}
	switch n {
	case 0:
		return ""
	case 1:
		return "1 finding of the baseline is fixed; run check --baseline write to shrink it"
	}
	return fmt.Sprintf("%d findings of the baseline are fixed; run check --baseline write to shrink it", n)
}
