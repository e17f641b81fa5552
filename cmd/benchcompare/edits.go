package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/sitegen"
)

// Edit kinds, each measured as its own row: what an author saves.
const (
	editBody     = "body edit"
	editTitle    = "title edit"
	editReviewed = "front matter: runbook last_reviewed"
	editStatus   = "front matter: ADR status"
	editNew      = "new page"
	editDelete   = "deleted page"
	editRename   = "renamed page"
)

var editKinds = []string{editBody, editTitle, editReviewed, editStatus, editNew, editDelete, editRename}

// step is one save: kind is the edit kind, timed is false for the step
// that undoes a new, deleted or renamed page (waited for, not counted);
// path is the site path of the page a browser showing it would reload.
type step struct {
	kind  string
	timed bool
	path  string
	do    func() error
}

// editPlan returns reps steps of each kind, mixed in turn, on the site in
// dir, and a function that puts every file back as it was.
func editPlan(dir string, reps int) ([]step, func(), error) {
	glob := func(p string) []string {
		m, _ := filepath.Glob(filepath.Join(dir, p))
		slices.Sort(m)
		return m
	}
	runbooks, adrs, guides, posts := glob("runbooks/*/*.md"), glob("content/adr/*.md"), glob("content/guides/*/*.md"), glob("content/posts/*.md")
	if len(runbooks) < 3 || len(adrs) < 1 || len(guides) < reps || len(posts) < 1 {
		return nil, nil, errors.New("the site has too few pages to edit")
	}
	originals := map[string][]byte{}
	keep := func(files ...string) error {
		for _, f := range files {
			if _, ok := originals[f]; ok {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				return err
			}
			originals[f] = b
		}
		return nil
	}
	var created []string
	restore := func() {
		for _, f := range created {
			os.Remove(f)
		}
		for f, b := range originals {
			os.WriteFile(f, b, 0o644)
		}
	}
	body, titled, reviewed, adr, renamed := runbooks[0], runbooks[1], runbooks[2], adrs[len(adrs)/2], posts[0]
	if err := keep(body, titled, reviewed, adr, renamed); err != nil {
		return nil, nil, err
	}
	for i := 0; i < reps; i++ {
		if err := keep(guides[i*len(guides)/reps]); err != nil {
			return nil, nil, err
		}
	}
	replace := func(file string, re *regexp.Regexp, with func(old string) string) func() error {
		return func() error {
			b, err := os.ReadFile(file)
			if err != nil {
				return err
			}
			m := re.Find(b)
			if m == nil {
				return fmt.Errorf("%s: no match for %s", file, re)
			}
			return os.WriteFile(file, re.ReplaceAll(b, []byte(with(string(m)))), 0o644)
		}
	}
	titleRE, reviewedRE, statusRE := regexp.MustCompile(`(?m)^title: .*$`), regexp.MustCompile(`(?m)^last_reviewed: .*$`), regexp.MustCompile(`(?m)^status: .*$`)
	var steps []step
	for i := 0; i < reps; i++ {
		i := i
		steps = append(steps,
			step{editBody, true, sitePath(dir, body), func() error {
				return os.WriteFile(body, fmt.Appendf(slices.Clone(originals[body]), "\nEdit %d of the body: the fix is in.\n", i), 0o644)
			}},
			step{editTitle, true, sitePath(dir, titled), replace(titled, titleRE, func(string) string { return fmt.Sprintf("title: \"Edited title %d\"", i) })},
			step{editReviewed, true, sitePath(dir, reviewed), replace(reviewed, reviewedRE, func(string) string {
				return "last_reviewed: " + sitegen.Today.AddDate(0, 0, -i-1).Format("2006-01-02")
			})},
			step{editStatus, true, sitePath(dir, adr), replace(adr, statusRE, func(old string) string {
				if strings.HasSuffix(old, " deprecated") {
					return "status: accepted"
				}
				return "status: deprecated"
			})},
		)
		fresh := filepath.Join(filepath.Dir(guides[0]), fmt.Sprintf("bench-new-%d.md", i))
		created = append(created, fresh)
		rel, _ := filepath.Rel(filepath.Dir(fresh), body)
		steps = append(steps,
			step{editNew, true, sitePath(dir, fresh), func() error {
				return os.WriteFile(fresh, fmt.Appendf(nil, "---\ntitle: New page %d\nowner: team-sre\n---\nA new page that links to [a runbook](%s).\n\n## Details\n\nWritten during the benchmark.\n", i, filepath.ToSlash(rel)), 0o644)
			}},
			step{editNew, false, sitePath(dir, fresh), func() error { return os.Remove(fresh) }},
		)
		gone := guides[i*len(guides)/reps]
		steps = append(steps,
			step{editDelete, true, sitePath(dir, gone), func() error { return os.Remove(gone) }},
			step{editDelete, false, sitePath(dir, gone), func() error { return os.WriteFile(gone, originals[gone], 0o644) }},
		)
		moved := strings.TrimSuffix(renamed, ".md") + "-renamed.md"
		created = append(created, moved)
		steps = append(steps,
			step{editRename, true, sitePath(dir, renamed), func() error { return os.Rename(renamed, moved) }},
			step{editRename, false, sitePath(dir, moved), func() error { return os.Rename(moved, renamed) }},
		)
	}
	return steps, restore, nil
}

// sitePath returns the site path of a generated page's file: the content
// root is mounted at /, the runbooks root at /runbooks/.
func sitePath(dir, file string) string {
	rel, _ := filepath.Rel(dir, file)
	rel = strings.TrimPrefix(filepath.ToSlash(rel), "content/")
	return "/" + strings.TrimSuffix(rel, ".md") + "/"
}
