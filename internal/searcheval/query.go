// Package searcheval measures how well search finds what readers look
// for: a judged set of queries written from the real content of
// ../shared/corpus (each with the pages a reader wants), the site those
// pages make, and the measures (MRR@10 and success@1, by query type) of
// any engine's ranked results on it. The test of this package holds the
// handbook's own search to a floor; cmd/benchcompare sets it against
// Pagefind on the same built site.
package searcheval

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Query is one judged query.
type Query struct {
	// Type is the kind of query (see Types).
	Type string
	// Text is the query as a reader types it: the last word may be
	// unfinished.
	Text string
	// Want are the pages a reader wants, as corpus-relative source paths
	// ("postmortems-dfds/PM2021-011 - Log4Shell.md"), each maybe with
	// "#id" naming the section that answers; any of them is a hit.
	Want []string
	// How says how the query was made.
	How string
	// Line is the query's line in its file.
	Line int
}

// Types are the query types, in the order reports list them.
var Types = []string{"title", "prefix", "typo", "typo2", "alert", "error", "identifier", "question", "facet"}

// Folders are the folders of ../shared/corpus that make the judged site,
// each copied under its own name into the site's root.
var Folders = []string{
	"runbooks-prometheus-operator", "runbooks-kubernetes-mixin", "adr-madr", "adr-log4brains",
	"postmortems-dfds", "radar-isis", "docs-hugo",
}

//go:embed queries.tsv
var queriesTSV []byte

// Queries returns the judged set kept in queries.tsv.
func Queries() []Query {
	qs, err := Parse(bytes.NewReader(queriesTSV), "queries.tsv")
	if err != nil {
		panic(err) // the file is part of the binary; its test reads it too
	}
	return qs
}

// Parse reads a query file: one query per line, tab-separated fields
// type, query, wanted pages (separated by " | "), how it was made. Blank
// lines and lines starting with # are skipped.
func Parse(r io.Reader, name string) ([]Query, error) {
	var qs []Query
	sc := bufio.NewScanner(r)
	known := map[string]bool{}
	for _, t := range Types {
		known[t] = true
	}
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("%s:%d:1: want 4 tab-separated fields (type, query, wanted, how), got %d", name, n, len(f))
		}
		if !known[f[0]] {
			return nil, fmt.Errorf("%s:%d:1: unknown query type %q (want one of %s)", name, n, f[0], strings.Join(Types, ", "))
		}
		if strings.TrimSpace(f[1]) == "" {
			return nil, fmt.Errorf("%s:%d:%d: empty query", name, n, len(f[0])+2)
		}
		q := Query{Type: f[0], Text: f[1], How: f[3], Line: n}
		for w := range strings.SplitSeq(f[2], " | ") {
			if w = strings.TrimSpace(w); w != "" {
				q.Want = append(q.Want, w)
			}
		}
		if len(q.Want) == 0 {
			return nil, fmt.Errorf("%s:%d:%d: no wanted page", name, n, len(f[0])+len(f[1])+3)
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

// Format writes queries in the form Parse reads.
func Format(qs []Query) []byte {
	var b bytes.Buffer
	for _, q := range qs {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\n", q.Type, q.Text, strings.Join(q.Want, " | "), q.How)
	}
	return b.Bytes()
}

// Assemble copies the Folders of the corpus at corpus into dst, making
// the judged site's source: a handbook without configuration, whose page
// kinds handbook recognises on its own.
func Assemble(corpus, dst string) error {
	for _, f := range Folders {
		src := filepath.Join(corpus, f)
		err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(corpus, p)
			to := filepath.Join(dst, rel)
			if d.IsDir() {
				return os.MkdirAll(to, 0o755)
			}
			if !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(to, b, 0o644)
		})
		if err != nil {
			return err
		}
	}
	return nil
}
