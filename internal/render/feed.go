package render

import (
	"bytes"
	"encoding/xml"
	"html"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// The sitemap protocol's limits on one sitemap file (sitemaps.org): at
// most 50,000 URLs and 50 MiB, uncompressed. Search engines refuse a
// sitemap past them whole. A site past them has its sitemap in parts,
// /sitemap-1.xml and on, each within both, and /sitemap.xml is a sitemap
// index naming them (sitemapJobs). Variables, for tests.
var (
	sitemapMaxURLs  = 50_000
	sitemapMaxBytes = 50 << 20
)

// sitemapEntry is what the sitemap writes for one URL but the URL, the
// site's root before it and what escaping adds.
const sitemapEntry = len("  <url><loc></loc><lastmod>2006-01-02</lastmod></url>\n")

// sitemapJobs returns the jobs of the sitemap, given the jobs planned
// before it (the generated lists' pages, which it lists): /sitemap.xml
// alone when the site's URLs fit in one sitemap; else, at /sitemap.xml,
// a sitemap index of as many parts as the protocol's limits ask, each
// part an even share of the URLs in order. The parts are counted from
// the plan: every URL the sitemap could list, some perhaps twice (a page
// at a list's URL), and a quarter more bytes than they take unescaped,
// so that every part is within the limits.
func (r *Renderer) sitemapJobs(planned []job) []job {
	n, size := 0, len(xml.Header)+80
	add := func(u string) {
		n++
		size += sitemapEntry + len(r.absRoot) + len(u)
	}
	add("/")
	for _, p := range r.Site.Published() {
		add(p.URL)
	}
	for _, u := range r.indexURLs {
		add(u)
	}
	for _, j := range planned {
		if j.list {
			add(j.path)
		}
	}
	parts := max((n+sitemapMaxURLs-1)/sitemapMaxURLs, (size+size/4+sitemapMaxBytes-1)/sitemapMaxBytes)
	if parts <= 1 {
		r.smap = nil
		return []job{{path: "/sitemap.xml", run: (*Renderer).sitemap}}
	}
	r.smap = &sitemapOrder{}
	jobs := []job{{path: "/sitemap.xml", run: func(r *Renderer) ([]byte, error) { return r.sitemapIndex(parts) }}}
	for i := range parts {
		jobs = append(jobs, job{path: sitemapPartURL(i), run: func(r *Renderer) ([]byte, error) { return r.sitemapPart(i, parts) }})
	}
	return jobs
}

// sitemapPartURL is the URL of part i (from 0) of a sitemap in parts.
func sitemapPartURL(i int) string { return "/sitemap-" + strconv.Itoa(i+1) + ".xml" }

// sitemap lists every published page and every page of the generated
// lists (kind indexes, tags, services, owners, folders, start here), the
// later pages of a list split into pages included.
func (r *Renderer) sitemap() ([]byte, error) {
	if r.fp != nil {
		return r.fp.sitemapSum(r, r.sitemapURLs()), nil
	}
	return r.urlset(r.sortedSitemap()), nil
}

// sitemapPart is part i of k of a sitemap in parts (sitemapJobs): the
// i-th share of its URLs in order, each dated as its page is now.
func (r *Renderer) sitemapPart(i, k int) ([]byte, error) {
	if r.fp != nil {
		sum, _ := r.fp.sitemapShareSum(r, i, k)
		return marked(sum), nil
	}
	return r.urlset(r.sitemapShare(i, k)), nil
}

// sitemapIndex is the sitemap index of a sitemap in k parts: each part's
// URL, with the latest date of the URLs it lists as its own.
func (r *Renderer) sitemapIndex(k int) ([]byte, error) {
	mods := make([]time.Time, k)
	if r.fp != nil {
		for i := range k {
			_, mods[i] = r.fp.sitemapShareSum(r, i, k)
		}
		return r.fp.sitemapIndexSum(r, mods), nil
	}
	urls := r.sitemapOrdered()
	for i := range k {
		for _, u := range shareOf(urls, i, k) {
			if u.page == nil {
				continue
			}
			if mod := changed(u.page); mod.After(mods[i]) {
				mods[i] = mod
			}
		}
	}
	b := append([]byte(xml.Header), `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`+"\n"...)
	for i, mod := range mods {
		b = append(b, "  <sitemap><loc>"...)
		b = appendXMLText(b, r.absURL(sitemapPartURL(i)))
		b = append(b, "</loc>"...)
		if !mod.IsZero() {
			b = append(b, "<lastmod>"...)
			b = appendDate(b, mod)
			b = append(b, "</lastmod>"...)
		}
		b = append(b, "</sitemap>\n"...)
	}
	return append(b, "</sitemapindex>\n"...), nil
}

// sitemapOrder is the order of a sitemap in parts: its URLs sorted, each
// once, with the page each is dated by. The URLs are the plan's, the same
// for a renderer and its copies (a renderer made again for a new title
// has the same files); their dates are not (a runbook marked reviewed is
// changed in place), and are read from the pages as each part is made.
// Made on first use, once for the plan: sorting 100,000 URLs on every
// update of a preview was a tenth of its fingerprints.
type sitemapOrder struct {
	once sync.Once
	urls []sitemapURL
}

// sitemapShare returns the URLs of part i of k of the sitemap, in order,
// each dated as its page is now.
func (r *Renderer) sitemapShare(i, k int) []sitemapURL {
	part := slices.Clone(shareOf(r.sitemapOrdered(), i, k))
	for j, u := range part {
		if u.page != nil {
			part[j].mod = changed(u.page)
		}
	}
	return part
}

// shareOf returns part i of k of the sitemap's URLs in order: an even
// share.
func shareOf(urls []sitemapURL, i, k int) []sitemapURL {
	return urls[i*len(urls)/k : (i+1)*len(urls)/k]
}

// sitemapOrdered returns the sitemap's URLs in order (sitemapOrder), with
// the dates they had when it was made.
func (r *Renderer) sitemapOrdered() []sitemapURL {
	o := r.smap
	o.once.Do(func() { o.urls = r.sortedSitemap() })
	return o.urls
}

// sortedSitemap returns the URLs the sitemap lists, sorted, each once.
func (r *Renderer) sortedSitemap() []sitemapURL {
	urls := sortSitemap(r.sitemapURLs(), 1+len(r.Site.Published()))
	return slices.CompactFunc(urls, func(a, b sitemapURL) bool { return a.url == b.url })
}

// urlset writes the sitemap of urls, sorted, each once.
func (r *Renderer) urlset(urls []sitemapURL) []byte {
	// Written in one buffer of about its size, each URL escaped only when
	// it has a character to escape: the sitemap is made again whenever a
	// page comes or goes, 10,000 URLs at 10,000 pages.
	root := appendXMLText(nil, r.absRoot)
	// Its size, but for the characters escaping adds: the buffer grown
	// by doubling, at 900 KB, was most of the sitemap's time.
	size := len(xml.Header) + 80
	for _, u := range urls {
		size += sitemapEntry + len(root) + len(u.url)
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
	return append(b, "</urlset>\n"...)
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
	// page is the page whose date mod is, nil for none.
	page *site.Page
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
	urls[0] = r.lastmod("/")
	for _, p := range published {
		if p.URL != "/" {
			urls = append(urls, sitemapURL{p.URL, changed(p), p})
		}
	}
	for _, u := range r.indexURLs {
		if r.Site.PageAt(u) == nil {
			urls = append(urls, sitemapURL{u, time.Time{}, nil})
		}
	}
	for _, j := range r.jobs() {
		if j.list {
			urls = append(urls, r.lastmod(strings.TrimSuffix(j.path, "index.html")))
		}
	}
	return urls
}

// lastmod is URL u as the sitemap gives it: dated when the page there
// last changed as its front matter says; zero for none.
func (r *Renderer) lastmod(u string) sitemapURL {
	if p := r.Site.PageAt(u); p != nil {
		return sitemapURL{u, changed(p), p}
	}
	return sitemapURL{url: u}
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
