package htmllinks

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// CheckDir checks every HTML file (.html, .htm) under root as one site
// whose root-relative links start at root. Any file under root is a
// valid target; the IDs of HTML and SVG files are known to fragments.
// File names in the result are root joined with the file's path, and
// the result is sorted by file, line and column.
func CheckDir(root string, opts Options) (Result, error) {
	fi, err := os.Stat(root)
	if err == nil && !fi.IsDir() {
		err = errors.New("not a folder")
	}
	if err != nil {
		return Result{}, fmt.Errorf("check %s: %w", root, err)
	}
	files := map[string]bool{}
	docs := map[string]*Doc{}
	var pages []string
	err = filepath.WalkDir(root, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(root, name)
		if err != nil {
			return err
		}
		p := "/" + filepath.ToSlash(rel)
		files[p] = true
		ext := strings.ToLower(filepath.Ext(name))
		if ext != ".html" && ext != ".htm" && ext != ".svg" {
			return nil
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		docs[p] = Extract(src)
		if ext != ".svg" {
			pages = append(pages, p)
		}
		return nil
	})
	if err != nil {
		return Result{}, fmt.Errorf("check %s: %w", root, err)
	}
	resolve := func(p string) (map[string]bool, bool) {
		if d, ok := docs[p]; ok {
			return d.IDs, true
		}
		return nil, files[p]
	}
	var res Result
	for _, p := range pages {
		r := Check(p, docs[p], resolve, opts)
		file := filepath.Join(root, filepath.FromSlash(p[1:]))
		for _, f := range r.Findings {
			f.File = file
			res.Findings = append(res.Findings, f)
		}
		for _, x := range r.External {
			x.File = file
			res.External = append(res.External, x)
		}
	}
	slices.SortStableFunc(res.Findings, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	slices.SortStableFunc(res.External, func(a, b ExternalLink) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col))
	})
	return res, nil
}
