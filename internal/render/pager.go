package render

import (
	"strconv"
	"strings"

	"github.com/handbook-dev/handbook/internal/site"
)

// PageSize is how many rows one page of a generated list shows: a list
// longer than that (a tag on 30,000 pages, the runbooks of a large
// organisation) is split into pages. Hugo's paginator shows 10 by default,
// sized for posts with their summaries; our lists are tables of one line a
// row, and 200 rows are a page a reader scans or searches with the
// browser's find in one go, while still small to write and to load.
const PageSize = 200

// pageCount returns how many pages a list of rows rows takes: one at
// least, an empty list included.
func pageCount(rows int) int {
	if rows <= PageSize {
		return 1
	}
	return (rows + PageSize - 1) / PageSize
}

// pageURL returns the site path of page n of the list at u: the list's own
// URL for the first page, u + "page/n/" for the others (Hugo's
// convention).
func pageURL(u string, n int) string {
	if n <= 1 {
		return u
	}
	return u + "page/" + strconv.Itoa(n) + "/"
}

// pageSpan returns the rows [lo, hi) that page n shows of a list of rows
// rows.
func pageSpan(n, rows int) (lo, hi int) {
	lo = min((n-1)*PageSize, rows)
	return lo, min(lo+PageSize, rows)
}

// Pager says where one page of a list split into pages stands: which rows
// it shows and how to reach the others. List.Pager is nil when a list fits
// on one page.
type Pager struct {
	// Number is this page's number, from 1, of Pages.
	Number, Pages int
	// First and Last number the rows this page shows, from 1, of Rows.
	First, Last, Rows int
	// Showing says the same as a sentence: "Showing 201–400 of 30,000".
	Showing string
	// Prev and Next are the neighbouring pages; nil on the first and the
	// last page.
	Prev, Next *PagerLink
	// Links are the page-number navigation: the first and last pages and
	// those around this one, in order; a link with Number 0 stands for the
	// pages left out between two others.
	Links []PagerLink
}

// PagerLink is a page of a list split into pages.
type PagerLink struct {
	Number int
	// URL is the page's site path, Href the same under the base path.
	URL, Href string
	Current   bool
}

// pagerAround is how many page numbers the navigation shows on each side
// of the current page, besides the first and the last.
const pagerAround = 2

// pager returns page n of the list at u, of rows rows; nil when the list
// fits on one page.
func (r *Renderer) pager(u string, n, rows int) *Pager {
	pages := pageCount(rows)
	if pages == 1 {
		return nil
	}
	link := func(i int) PagerLink {
		pu := pageURL(u, i)
		return PagerLink{Number: i, URL: pu, Href: r.href(pu), Current: i == n}
	}
	lo, hi := pageSpan(n, rows)
	p := &Pager{Number: n, Pages: pages, First: lo + 1, Last: hi, Rows: rows,
		Showing: "Showing " + thousands(lo+1) + "–" + thousands(hi) + " of " + thousands(rows)}
	if n > 1 {
		l := link(n - 1)
		p.Prev = &l
	}
	if n < pages {
		l := link(n + 1)
		p.Next = &l
	}
	for i := 1; i <= pages; i++ {
		if i == 1 || i == pages || i >= n-pagerAround && i <= n+pagerAround {
			p.Links = append(p.Links, link(i))
		} else if last := p.Links[len(p.Links)-1]; last.Number != 0 {
			p.Links = append(p.Links, PagerLink{}) // a gap
		}
	}
	// A gap of one page shows that page instead.
	for i := 1; i+1 < len(p.Links); i++ {
		if p.Links[i].Number == 0 && p.Links[i+1].Number-p.Links[i-1].Number == 2 {
			p.Links[i] = link(p.Links[i-1].Number + 1)
		}
	}
	return p
}

// pagedTitle is the title of page n of a list: the list's title, and which
// page of how many, so that every page of the list has its own.
func pagedTitle(title string, pg *Pager) string {
	if pg == nil || pg.Number == 1 {
		return title
	}
	return title + " (page " + strconv.Itoa(pg.Number) + " of " + strconv.Itoa(pg.Pages) + ")"
}

// thousands writes n with a comma between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if n < 0 || len(s) <= 3 {
		return s
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// listJobs returns the jobs that write the list at u over as many pages as
// its rows take, page n rendered by run(r, n) with the renderer r the job is
// run with. A later page whose URL the
// site's own page holds is left to that page.
func (r *Renderer) listJobs(u, sample string, rows int, run func(r *Renderer, n int) ([]byte, error)) []job {
	pages := pageCount(rows)
	jobs := make([]job, 0, pages)
	jobs = append(jobs, job{path: u + "index.html", sample: sample, list: true, run: func(r *Renderer) ([]byte, error) { return run(r, 1) }})
	for n := 2; n <= pages; n++ {
		n := n
		pu := pageURL(u, n)
		if r.Site.PageAt(pu) != nil {
			continue
		}
		jobs = append(jobs, job{path: pu + "index.html", sample: "paged", list: true, run: func(r *Renderer) ([]byte, error) { return run(r, n) }})
	}
	return jobs
}

// pageRuns keeps of runs (titled runs of rows, in order, such as a service's
// runbooks) the rows lo to hi, cut where the page cuts them; cont marks a
// run that began on an earlier page, so that its heading says so.
func pageRuns[T any](runs []T, lo, hi int, rowsOf func(*T) *[]*site.Page, cont func(*T)) []T {
	var out []T
	at := 0
	for _, run := range runs {
		ps := *rowsOf(&run)
		start, end := at, at+len(ps)
		at = end
		if end <= lo || start >= hi {
			continue
		}
		a, b := max(lo, start)-start, min(hi, end)-start
		*rowsOf(&run) = ps[a:b]
		if a > 0 {
			cont(&run)
		}
		out = append(out, run)
	}
	return out
}
