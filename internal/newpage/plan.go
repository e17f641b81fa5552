package newpage

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// defaultFolders are the folders, under the main content root, that new
// pages of a kind go into when the site has none of that kind yet.
var defaultFolders = map[page.Kind]string{
	page.KindADR:        "adr",
	page.KindPostmortem: "postmortems",
	page.KindEvaluation: "evaluations",
	page.KindPost:       "posts",
	page.KindRunbook:    "runbooks",
}

// Folder returns the folder, absolute, that a new page of kind k goes
// into: the folder where the site's pages of that kind already are (the
// folder named for the kind above them, such as adr/ or the runbooks
// root; the one holding most of them), else a content root of that kind,
// else the kind's usual folder in the main content root (adr/,
// postmortems/, evaluations/, posts/, runbooks/; plain pages go into the
// root itself). It is an error when writing there would turn the site
// upside down: a site read from its own folder, because none of its
// configured roots exists, gets a configured root by the new folder, and
// its other pages would no longer be read.
func Folder(s *site.Site, k page.Kind) (string, error) {
	cfg := &s.Config
	if k != page.KindPage {
		count := map[string]int{}
		for _, p := range s.Pages {
			if p.Kind != k || p.IsIndex || p.Template || p.Root == nil {
				continue
			}
			count[kindFolder(cfg, p, k)]++
		}
		if dir, ok := most(count); ok {
			return dir, nil
		}
	}
	existing, missing := roots(cfg)
	if k != page.KindPage {
		for _, r := range existing {
			if rootKind(cfg, r) == k {
				return r.Dir, nil
			}
		}
	}
	// A site none of whose configured roots exists is read from its own
	// folder, unless it is empty.
	fromSite := len(existing) == 0 && len(s.Pages) > 0
	base := cfg.Dir
	if !fromSite {
		if k != page.KindPage {
			for _, r := range missing {
				if rootKind(cfg, r) == k {
					return r.Dir, nil // creating it adds the root
				}
			}
		}
		if r := mainRoot(existing, missing); r != nil {
			base = r.Dir
		}
	}
	dir := filepath.Join(base, defaultFolders[k])
	if fromSite {
		for _, r := range missing {
			if within(dir, r.Dir) {
				return "", fmt.Errorf("writing into %s would make it a content root (roots: in handbook.yaml), and the pages in the site folder would no longer be read; move them into content/, or list the roots in handbook.yaml", rel(cfg.Dir, r.Dir))
			}
		}
	}
	return dir, nil
}

// FolderKind returns the kind a page in folder dir gets from its folder,
// as the loader gives it: the nearest folder named for a kind, else its
// content root's kind, else page.
func FolderKind(cfg *site.Config, dir string) page.Kind {
	existing, missing := roots(cfg)
	// A root created by the new page counts; a site with no root on disk
	// is read from its own folder.
	all := slices.Concat(existing, missing)
	if len(existing) == 0 {
		all = append(all, &site.Root{Dir: cfg.Dir, Mount: "/", Kind: page.KindPage})
	}
	var root *site.Root
	for _, r := range all {
		if within(dir, r.Dir) && (root == nil || len(r.Dir) > len(root.Dir)) {
			root = r
		}
	}
	if root == nil {
		return page.KindPage
	}
	for d := dir; within(d, root.Dir) && d != root.Dir; d = filepath.Dir(d) {
		if k, ok := cfg.KindDirs[strings.ToLower(filepath.Base(d))]; ok {
			return k
		}
	}
	if k := rootKind(cfg, root); k != "" {
		return k
	}
	return page.KindPage
}

// kindFolder is the folder that makes p a page of kind k: the nearest
// folder above it named for k, or its root when the root is of kind k,
// else p's own folder.
func kindFolder(cfg *site.Config, p *site.Page, k page.Kind) string {
	own := filepath.Dir(p.Source)
	for d := own; within(d, p.Root.Dir) && d != p.Root.Dir; d = filepath.Dir(d) {
		if cfg.KindDirs[strings.ToLower(filepath.Base(d))] == k {
			return d
		}
	}
	if rootKind(cfg, p.Root) == k {
		return p.Root.Dir
	}
	return own
}

// most returns the key with the highest count, the first by name on a
// tie.
func most(count map[string]int) (string, bool) {
	best, n := "", 0
	for k, c := range count {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best, n > 0
}

// roots returns the configured content roots with absolute folders: those
// on disk and those missing.
func roots(cfg *site.Config) (existing, missing []*site.Root) {
	for _, r := range cfg.Roots {
		r.Dir = cfg.RootDir(r)
		if fi, err := os.Stat(r.Dir); err == nil && fi.IsDir() {
			existing = append(existing, &r)
		} else {
			missing = append(missing, &r)
		}
	}
	return existing, missing
}

// rootKind is the kind a root gives its pages: its kind:, else the kind
// its folder's name implies.
func rootKind(cfg *site.Config, r *site.Root) page.Kind {
	if r.Kind != "" {
		return r.Kind
	}
	return cfg.KindDirs[strings.ToLower(filepath.Base(r.Dir))]
}

// mainRoot is the root of plain pages: the first root mounted at the top
// of the site with no kind of its own, on disk or else to be created,
// else the first root on disk, or nil.
func mainRoot(existing, missing []*site.Root) *site.Root {
	for _, rs := range [][]*site.Root{existing, missing} {
		for _, r := range rs {
			if strings.Trim(r.Mount, "/") == "" && r.Kind == "" {
				return r
			}
		}
	}
	if len(existing) > 0 {
		return existing[0]
	}
	return nil
}

// rel is path relative to the site folder dir, slash-separated, when it
// is inside.
func rel(dir, path string) string {
	if r, err := filepath.Rel(dir, path); err == nil && within(path, dir) {
		return filepath.ToSlash(r)
	}
	return path
}

// within reports whether path is dir or inside it.
func within(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// ADRs returns the site's ADRs that have a number, drafts included,
// sorted by number, then path.
func ADRs(s *site.Site) []*site.Page {
	var out []*site.Page
	for _, p := range s.Pages {
		if p.Kind == page.KindADR && p.ADR != nil && p.ADR.HasNumber && !p.Template {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *site.Page) int {
		return cmp.Or(cmp.Compare(a.ADR.Number, b.ADR.Number), cmp.Compare(a.Path, b.Path))
	})
	return out
}

// NextNumber is the number after the highest of the site's ADRs, or 1.
func NextNumber(s *site.Site) int {
	if adrs := ADRs(s); len(adrs) > 0 {
		return adrs[len(adrs)-1].ADR.Number + 1
	}
	return 1
}

// ADRNumbered returns the site's ADRs numbered n.
func ADRNumbered(s *site.Site, n int) []*site.Page {
	var out []*site.Page
	for _, p := range ADRs(s) {
		if p.ADR.Number == n {
			out = append(out, p)
		}
	}
	return out
}

// ParseADRNumber reads an ADR number as a reference names it: "7",
// "0007", "ADR-7", "adr-0007".
func ParseADRNumber(s string) (int, bool) {
	m := adrRef.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

var adrRef = regexp.MustCompile(`(?i)^(?:adr[-_ ]?)?(\d{1,5})$`)

// ADRStyle is how the ADRs of a folder are written: their dialect and how
// their files are named.
type ADRStyle struct {
	// Dialect is the newest ADR's: page.DialectNygard, page.DialectMADR
	// or "" (handbook's own; also for Y-statements and an empty folder).
	Dialect string
	// Prefix, Width and Sep name a file Prefix + the number padded to
	// Width digits + Sep + slug: "" 4 "-" for 0007-use-kafka.md,
	// "ADR-" 3 "_" for ADR-007_use_kafka.md.
	Prefix string
	Width  int
	Sep    string
	// Dated is set when the folder's files are named by date
	// (log4brains' 20240131-use-kafka.md) and numbered by their order.
	Dated bool
}

// fileNumber matches a numbered ADR file name.
var fileNumber = regexp.MustCompile(`(?i)^(adr[-_]?)?(\d{1,5})([-_])`)

// StyleOf returns the style of the ADRs in folder dir: that of its
// highest-numbered ADR, or handbook's own with 0007-slug.md names.
func StyleOf(s *site.Site, dir string) ADRStyle {
	st := ADRStyle{Width: 4, Sep: "-"}
	var newest *site.Page
	dated := 0
	n := 0
	for _, p := range ADRs(s) {
		if filepath.Dir(p.Source) != dir {
			continue
		}
		n++
		if p.ADR.NumberFromOrder {
			dated++
		}
		newest = p
	}
	if newest == nil {
		return st
	}
	if d := newest.ADR.Dialect; d == page.DialectNygard || d == page.DialectMADR {
		st.Dialect = d
	}
	if dated == n {
		st.Dated = true
		return st
	}
	if m := fileNumber.FindStringSubmatch(filepath.Base(newest.Source)); m != nil {
		st.Prefix, st.Width, st.Sep = m[1], len(m[2]), m[3]
	}
	return st
}

// FileName is the name of a new page's file: slug.md; for postmortems and
// posts YYYY-MM-DD-slug.md; for ADRs NNNN-slug.md in the folder's style.
func FileName(k page.Kind, slug string, date time.Time, number int, st ADRStyle) string {
	switch k {
	case page.KindPostmortem, page.KindPost:
		return date.Format("2006-01-02") + "-" + slug + ".md"
	case page.KindADR:
		if st.Dated {
			return date.Format("20060102") + "-" + slug + ".md"
		}
		if st.Sep == "_" {
			slug = strings.ReplaceAll(slug, "-", "_")
		}
		return fmt.Sprintf("%s%0*d%s%s.md", st.Prefix, st.Width, number, st.Sep, slug)
	}
	return slug + ".md"
}

// ErrExists is returned by Create for a file that is already there.
var ErrExists = errors.New("already exists")

// Create writes a new file, with its folders, and never replaces one.
func Create(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s %w", name, ErrExists)
	}
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
	}
	return err
}
