package render

import (
	"bytes"
	"encoding/xml"
	"html"
	"slices"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// sitemap lists every published page and every page of the generated
// lists (kind indexes, tags, services, owners, folders, start here), the
// later pages of a list split into pages included.
func (r *Renderer) sitemap() ([]byte, error) {
	urls := r.sitemapURLs()
	if r.fp != nil {
		return r.fp.sitemapSum(r, urls), nil
	}
	urls = sortSitemap(urls, 1+len(r.Site.Published()))
	urls = slices.CompactFunc(urls, func(a, b sitemapURL) bool { return a.url == b.url })
	// Written in one buffer of about its size, each URL escaped only when
	// it has a character to escape: the sitemap is made again whenever a
	// page comes or goes, 10,000 URLs at 10,000 pages.
	root := appendXMLText(nil, r.absRoot)
	// Its size, but for the characters escaping adds: the buffer grown
	// by doubling, at 900 KB, was most of the sitemap's time.
	const entry = len("  <url><loc></loc><lastmod>2006-01-02</lastmod></url>\n")
	size := len(xml.Header) + 80
	for _, u := range urls {
		size += entry + len(root) + len(u.url)
	}
	b := make([]byte, 0, size)
	b = append(b, xml.Header...)
	b = append(b, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+"\n"...)
	for _, u := range urls {
		b = append(b, "  <url><loc>"...)
		// absURL(u.url), escaped in its two parts.
		b = append(b, root...)
		b = appendXMLText(b, strings.TrimPrefix(u.url, "/"))
		b = append(b, "</loc>"...)
		if !u.mod.IsZero() {
			b = append(b, "<lastmod>"...)
			b = appendDate(b, u.mod)
			b = append(b, "</lastmod>"...)
		}
		b = append(b, "</url>\n"...)
	}
	b = append(b, "</urlset>\n"...)
	return b, nil
}

// sortSitemap sorts urls by URL, those of equal URLs in the order they
// come (a stable sort), as sitemapURLs makes them: the first head of them
// the home and the pages, in URL order already as the site holds them,
// the rest the generated lists. Those are sorted and merged with the
// pages, rather than the whole sorted again: 10,000 pages' URLs sorted
// were a third of the sitemap's time, made again whenever a page comes
// or goes.
func sortSitemap(urls []sitemapURL, head int) []sitemapURL {
	byURL := func(a, b sitemapURL) int { return strings.Compare(a.url, b.url) }
	if head > len(urls) || !slices.IsSortedFunc(urls[:head], byURL) {
		slices.SortStableFunc(urls, byURL)
		return urls
	}
	pages, rest := urls[:head], slices.Clone(urls[head:])
	slices.SortStableFunc(rest, byURL)
	out := make([]sitemapURL, 0, len(urls))
	for len(pages) > 0 && len(rest) > 0 {
		if rest[0].url < pages[0].url { // a page first on a tie: it came first
			out, rest = append(out, rest[0]), rest[1:]
		} else {
			out, pages = append(out, pages[0]), pages[1:]
		}
	}
	out = append(out, pages...)
	return append(out, rest...)
}

// appendDate appends t's date as 2006-01-02, as t.AppendFormat does
// with that layout, in a tenth of its time.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, "2006-01-02")
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+d/10), byte('0'+d%10))
}

// appendXMLText appends s escaped as xml.EscapeText escapes it: as it is
// when it has only printable ASCII but the characters XML escapes.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '&' || c == '<' || c == '>' || c == '"' || c == '\'' {
			var e bytes.Buffer
			_ = xml.EscapeText(&e, []byte(s)) // a bytes.Buffer does not fail
			return append(b, e.Bytes()...)
		}
	}
	return append(b, s...)
}

// sitemapURL is a URL the sitemap lists, with the date it gives it
// (lastmod).
type sitemapURL struct {
	url string
	mod time.Time
}

// sitemapURLs returns the URLs the sitemap lists, in no order, some more
// than once, each with its date: a page's taken from the page, not looked
// up by its URL.
func (r *Renderer) sitemapURLs() []sitemapURL {
	published := r.Site.Published()
	lists := 0
	for _, j := range r.jobs() {
		if j.list {
			lists++
		}
	}
	urls := make([]sitemapURL, 1, 1+len(published)+len(r.indexURLs)+lists)
	urls[0] = sitemapURL{"/", r.lastmod("/")}
	for _, p := range published {
		if p.URL != "/" {
			urls = append(urls, sitemapURL{p.URL, changed(p)})
		}
	}
	for _, u := range r.indexURLs {
		if r.Site.PageAt(u) == nil {
			urls = append(urls, sitemapURL{u, time.Time{}})
		}
	}
	for _, j := range r.jobs() {
		if j.list {
			u := strings.TrimSuffix(j.path, "index.html")
			urls = append(urls, sitemapURL{u, r.lastmod(u)})
		}
	}
	return urls
}

// lastmod is the date the sitemap gives the URL u: when the page there
// last changed as its front matter says; zero for none.
func (r *Renderer) lastmod(u string) time.Time {
	if p := r.Site.PageAt(u); p != nil {
		return changed(p)
	}
	return time.Time{}
}

// robots is robots.txt of a profile's site (the public blog): crawlers
// are welcome and told where the sitemap is. A site's static/robots.txt
// replaces it.
func (r *Renderer) robots() ([]byte, error) {
	cfg := &r.Site.Config
	b := []byte("User-agent: *\nAllow: /\n")
	if sm := cfg.AbsURL("/sitemap.xml"); strings.Contains(sm, "://") {
		b = append(b, "Sitemap: "+sm+"\n"...)
	}
	return b, nil
}

// feedEntries are the pages the feed shows, with their content: the 30
// newest posts and postmortems, newest first.
func (r *Renderer) feedEntries() []*site.Page {
	var entries []*site.Page
	entries = append(entries, r.Site.OfKind(page.KindPost)...)
	entries = append(entries, r.Site.OfKind(page.KindPostmortem)...)
	return firstN(entries, 30, func(a, b *site.Page) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return strings.Compare(a.URL, b.URL)
	})
}

// feed is an Atom feed of the newest posts and postmortems.
func (r *Renderer) feed() ([]byte, error) {
	entries := r.feedEntries()
	if r.fp != nil {
		return r.fp.feedSum(r, entries), nil
	}
	cfg := &r.Site.Config
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range entries {
		if e.Date.After(updated) {
			updated = e.Date
		}
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom"`)
	if abs := cfg.AbsURL("/"); strings.Contains(abs, "://") {
		// Entries' content links from the site root; xml:base resolves
		// them for feed readers.
		b.WriteString(` xml:base="` + html.EscapeString(abs) + `"`)
	}
	b.WriteString(">\n")
	elem(&b, "title", cfg.Title)
	if cfg.Description != "" {
		elem(&b, "subtitle", cfg.Description)
	}
	elem(&b, "id", r.feedID("/"))
	b.WriteString(`<link rel="self" href="` + html.EscapeString(cfg.AbsURL("/feed.xml")) + `"/>` + "\n")
	b.WriteString(`<link href="` + html.EscapeString(cfg.AbsURL("/")) + `"/>` + "\n")
	elem(&b, "updated", updated.UTC().Format(time.RFC3339))
	b.WriteString("<author><name>" + escape(cfg.Title) + "</name></author>\n")
	b.WriteString(`<generator uri="https://github.com/handbook-dev/handbook">handbook</generator>` + "\n")
	for _, e := range entries {
		content, err := r.content(e.Doc)
		if err != nil {
			return nil, err
		}
		b.WriteString("<entry>\n")
		elem(&b, "title", e.Title)
		elem(&b, "id", r.feedID(e.URL))
		b.WriteString(`<link href="` + html.EscapeString(cfg.AbsURL(e.URL)) + `"/>` + "\n")
		d := e.Date
		if d.IsZero() {
			d = updated
		}
		elem(&b, "updated", d.UTC().Format(time.RFC3339))
		elem(&b, "published", d.UTC().Format(time.RFC3339))
		if e.Post != nil {
			for _, a := range e.Post.Authors {
				b.WriteString("<author><name>" + escape(a) + "</name></author>\n")
			}
		}
		for _, t := range e.Tags {
			b.WriteString(`<category term="` + html.EscapeString(t) + `"/>` + "\n")
		}
		if e.Excerpt != "" {
			elem(&b, "summary", e.Excerpt)
		}
		b.WriteString(`<content type="html">`)
		xml.EscapeText(&b, []byte(content))
		b.WriteString("</content>\n</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes(), nil
}

// changesFeed is an Atom feed that follows the changes to every page: one
// entry per page for its last commit, the newest first (feed.changes).
// A page changed again is a new entry, so feed readers show it again.
func (r *Renderer) changesFeed() ([]byte, error) {
	var entries []*site.Page
	for _, p := range recentlyChanged(r.Site.Published(), len(r.Site.Published())) {
		if !p.Git.Uncommitted {
			entries = append(entries, p)
		}
		if len(entries) == 50 {
			break
		}
	}
	cfg := &r.Site.Config
	updated := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	if len(entries) > 0 {
		updated = entries[0].Git.Changed
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	b.WriteString(`<feed xmlns="http://www.w3.org/2005/Atom">` + "\n")
	elem(&b, "title", cfg.Title+": changes")
	elem(&b, "id", r.feedID("/changes.xml"))
	b.WriteString(`<link rel="self" href="` + html.EscapeString(cfg.AbsURL("/changes.xml")) + `"/>` + "\n")
	b.WriteString(`<link href="` + html.EscapeString(cfg.AbsURL("/")) + `"/>` + "\n")
	elem(&b, "updated", updated.UTC().Format(time.RFC3339))
	b.WriteString("<author><name>" + escape(cfg.Title) + "</name></author>\n")
	b.WriteString(`<generator uri="https://github.com/handbook-dev/handbook">handbook</generator>` + "\n")
	for _, e := range entries {
		g := e.Git
		b.WriteString("<entry>\n")
		elem(&b, "title", e.Title)
		id := r.feedID(e.URL)
		if g.Last.Hash != "" {
			id += "#" + g.Last.Hash
		} else {
			id += "#" + g.Changed.UTC().Format("20060102T150405Z")
		}
		elem(&b, "id", id)
		b.WriteString(`<link href="` + html.EscapeString(cfg.AbsURL(e.URL)) + `"/>` + "\n")
		elem(&b, "updated", g.Changed.UTC().Format(time.RFC3339))
		if g.Last.Author != "" {
			b.WriteString("<author><name>" + escape(g.Last.Author) + "</name></author>\n")
		}
		b.WriteString(`<category term="` + html.EscapeString(string(e.Kind)) + `"/>` + "\n")
		summary := g.Last.Subject
		if summary == "" {
			summary = e.Excerpt
		}
		if summary != "" {
			elem(&b, "summary", summary)
		}
		b.WriteString("</entry>\n")
	}
	b.WriteString("</feed>\n")
	return b.Bytes(), nil
}

// feedID is a permanent id for a site path: its absolute URL when the base
// URL names a host, else a tag URI.
func (r *Renderer) feedID(u string) string {
	abs := r.absURL(u)
	if strings.Contains(abs, "://") {
		return abs
	}
	return "tag:handbook.invalid,2024:" + u
}

func escape(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func elem(b *bytes.Buffer, name, text string) {
	b.WriteString("<" + name + ">" + escape(text) + "</" + name + ">\n")
}

// aliasJobs writes a redirect page at each alias of each published page.
func (r *Renderer) aliasJobs() []job {
	var jobs []job
	for _, p := range r.Site.Published() {
		for _, a := range p.Aliases {
			if u := strings.TrimSuffix(aliasPath(a), "index.html"); r.Site.PageAt(u) != nil {
				continue // reported by the site as a clash
			}
			target := r.Site.Config.BasePath() + strings.TrimPrefix(p.URL, "/")
			out := aliasPath(a)
			if out == "" {
				continue
			}
			jobs = append(jobs, job{path: out, run: func(*Renderer) ([]byte, error) {
				t := html.EscapeString(target)
				return []byte("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moved</title><link rel=\"canonical\" href=\"" + t + "\"><meta name=\"robots\" content=\"noindex\"><meta http-equiv=\"refresh\" content=\"0; url=" + t + "\"></head><body><p>This page has moved to <a href=\"" + t + "\">" + t + "</a>.</p></body></html>\n"), nil
			}})
		}
	}
	return jobs
}

// aliasPath turns an alias ("/old/path", "old.html") into the file it is
// written to; "" if it cannot be one.
func aliasPath(a string) string {
	a = strings.TrimSpace(a)
	if a == "" || strings.Contains(a, "://") || strings.Contains(a, "..") {
		return ""
	}
	if !strings.HasPrefix(a, "/") {
		a = "/" + a
	}
	if strings.HasSuffix(a, ".html") || strings.HasSuffix(a, ".htm") {
		return a
	}
	if !strings.HasSuffix(a, "/") {
		a += "/"
	}
	return a + "index.html"
}
