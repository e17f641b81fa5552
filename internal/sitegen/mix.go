package sitegen

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Mix is the make-up of a folder of Markdown, as far as it costs a build:
// how many pages, how much prose, code and tables they carry, and which
// languages the code is in. Measure computes it for a generated site and
// for real content alike, so that the two can be compared.
type Mix struct {
	Pages int
	// Words counts whitespace-separated words outside front matter and
	// code blocks (tables included).
	Words int
	// Blocks counts fenced code blocks; BlockLines their lines, one entry
	// per block; Langs blocks per language (the first word of the info
	// string, lower-cased; "" for none).
	Blocks     int
	BlockLines []int
	Langs      map[string]int
	// Unique counts distinct code block bodies: Blocks - Unique blocks
	// repeat one seen before.
	Unique int
	// Tables counts Markdown tables, TableRows their body rows.
	Tables    int
	TableRows []int
	// Links counts inline links and [[references]].
	Links int
}

// PerPage returns x divided by the number of pages.
func (m Mix) PerPage(x int) float64 { return float64(x) / float64(max(m.Pages, 1)) }

// LangShare returns the languages by share of code blocks, largest first,
// the share in [0, 1].
func (m Mix) LangShare() []LangShare {
	var out []LangShare
	for l, n := range m.Langs {
		out = append(out, LangShare{l, float64(n) / float64(max(m.Blocks, 1))})
	}
	slices.SortFunc(out, func(a, b LangShare) int {
		if a.Share != b.Share {
			if a.Share > b.Share {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Lang, b.Lang)
	})
	return out
}

// LangShare is one language's share of the code blocks.
type LangShare struct {
	Lang  string
	Share float64
}

// Quantile returns the q-quantile (0 ≤ q ≤ 1) of xs, 0 for none.
func Quantile(xs []int, q float64) int {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[min(int(q*float64(len(s))), len(s)-1)]
}

// Mean returns the mean of xs, 0 for none.
func Mean(xs []int) float64 {
	t := 0
	for _, x := range xs {
		t += x
	}
	return float64(t) / float64(max(len(xs), 1))
}

var (
	fenceRE    = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})\\s*([^\\s`{]*)")
	delimRE    = regexp.MustCompile(`^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$`)
	inlineLink = regexp.MustCompile(`\]\([^)\s]+|\[\[[^\]]+\]\]`)
)

// Measure walks root and measures every .md file under it.
func Measure(root string) (Mix, error) {
	m := Mix{Langs: map[string]int{}}
	seen := map[string]bool{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(p, ".md") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		m.add(b, seen)
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("measure %s: %w", root, err)
	}
	return m, nil
}

// add measures one page.
func (m *Mix) add(b []byte, seen map[string]bool) {
	m.Pages++
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 1<<16), 1<<24)
	var (
		line    int
		inFM    bool
		fence   string // the open fence, "" outside code
		body    strings.Builder
		lines   int
		prev    string
		inTable bool
		rows    int
		fmDelim string
	)
	for sc.Scan() {
		t := sc.Text()
		line++
		if line == 1 && (t == "---" || t == "+++") {
			inFM, fmDelim = true, t
			continue
		}
		if inFM {
			if t == fmDelim {
				inFM = false
			}
			continue
		}
		if fence != "" {
			s := strings.TrimLeft(t, " ")
			if strings.HasPrefix(s, fence) && strings.Trim(s, fence[:1]) == "" && len(s)-len(strings.TrimLeft(s, fence[:1])) >= len(fence) {
				fence = ""
				m.BlockLines = append(m.BlockLines, lines)
				if k := body.String(); !seen[k] {
					seen[k] = true
					m.Unique++
				}
				continue
			}
			lines++
			body.WriteString(t)
			body.WriteByte('\n')
			continue
		}
		if f := fenceRE.FindStringSubmatch(t); f != nil {
			fence, lines = f[1], 0
			body.Reset()
			m.Blocks++
			m.Langs[strings.ToLower(f[2])]++
			if inTable {
				inTable = false
				m.TableRows = append(m.TableRows, rows)
			}
			continue
		}
		switch {
		case inTable && strings.Contains(t, "|"):
			rows++
		case inTable:
			inTable = false
			m.TableRows = append(m.TableRows, rows)
		case strings.Contains(t, "|") && strings.Contains(prev, "|") && delimRE.MatchString(t):
			inTable, rows = true, 0
			m.Tables++
			continue
		}
		m.Words += len(strings.Fields(t))
		m.Links += len(inlineLink.FindAllStringIndex(t, -1))
		prev = t
	}
	if fence != "" { // unclosed: the block runs to the end
		m.BlockLines = append(m.BlockLines, lines)
		m.Unique++
	}
	if inTable {
		m.TableRows = append(m.TableRows, rows)
	}
}

// CorpusFolders are the folders of real handbook content (in the shared
// corpus) that a generated site's Mix is compared with.
var CorpusFolders = []string{"runbooks-prometheus-operator", "runbooks-kubernetes-mixin", "adr-madr", "adr-log4brains", "postmortems-dfds", "radar-isis", "docs-hugo"}
