package htmllinks

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
)

// Rules a Finding can break.
const (
	// RuleBrokenLink: the link's target does not exist, or the link is
	// empty, malformed, or a mailto: or tel: link without an address.
	RuleBrokenLink = "broken-link"
	// RuleBrokenAnchor: the target exists but has no element with the
	// link's fragment as its id (or as the name of an <a>).
	RuleBrokenAnchor = "broken-anchor"
)

// Finding is one broken link.
type Finding struct {
	File      string
	Line, Col int
	Rule      string
	URL       string // the link as written
	Message   string
}

// String formats f as "file:line:col: rule: message".
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s", f.File, f.Line, f.Col, f.Rule, f.Message)
}

// ExternalLink is a link that leaves the site. Check does not fetch it;
// it hands it on to whatever checks the web.
type ExternalLink struct {
	File string
	Link
	// Target is the absolute URL to fetch: the URL as written when it is
	// absolute, otherwise resolved against the page and its <base>
	// (https: for a protocol-relative URL on a page with no other scheme).
	Target string
}

// Result is what Check and CheckDir find.
type Result struct {
	Findings []Finding
	External []ExternalLink
}

// Options tune how links resolve.
type Options struct {
	// AssumeHTML lets a link to /a resolve to /a.html when there is no
	// file /a, as servers that hide the extension do (html-proofer's
	// assume_extension).
	AssumeHTML bool
	// SiteURL is where the site is published, such as
	// "https://example.com/handbook/". Absolute links under it, by http or
	// https, are checked as internal ones, and root-relative links resolve
	// below its path; links elsewhere on its host are external.
	SiteURL string
}

// Resolver looks up a file of the site being checked. Its argument is a
// clean, rooted, slash-separated and percent-decoded path such as
// "/guide/intro.html". It reports whether a file is there and, for an
// HTML document, the IDs its fragments may name (Doc.IDs). ids is nil for
// a file whose fragments cannot be checked, such as an image or a PDF.
type Resolver func(path string) (ids map[string]bool, ok bool)

// Check checks the links of doc, the page at site path page (as
// "/guide/intro.html" or "/guide/"), against the site resolve describes.
//
// Internal links must name a file: a path ending in "/" names its
// index.html; any other path names the file itself, else (with
// Options.AssumeHTML) path.html, else path/index.html. Queries are ignored
// and paths percent-decoded. A fragment must be an id in the target (the
// page itself for "#frag"); "#", an empty fragment and "#top" always
// resolve, as in browsers. Fragments into files that are not HTML are not
// checked.
//
// mailto: links need a valid address and tel: links a number, as in
// html-proofer; javascript:, data: and other schemes are not checked.
// Links to other sites, http, https or protocol-relative, are returned in
// Result.External, unless their URL cannot be parsed.
//
// Findings and external links carry page as their File.
func Check(page string, doc *Doc, resolve Resolver, opts Options) Result {
	c := newChecker(page, doc, resolve, opts)
	for _, l := range doc.Links {
		c.link(l)
	}
	return c.res
}

// internalHost stands for the site when Options.SiteURL is empty.
const internalHost = "site.htmllinks.invalid"

type checker struct {
	page    string
	doc     *Doc
	resolve Resolver
	opts    Options
	host    string   // the site's host
	prefix  string   // the site's path, ending in "/"
	base    *url.URL // what relative links resolve against
	res     Result
}

func newChecker(page string, doc *Doc, resolve Resolver, opts Options) *checker {
	if !strings.HasPrefix(page, "/") {
		page = "/" + page
	}
	c := &checker{page: page, doc: doc, resolve: resolve, opts: opts, host: internalHost, prefix: "/"}
	scheme := "https"
	if site, err := url.Parse(opts.SiteURL); err == nil && site.Host != "" {
		scheme, c.host = site.Scheme, site.Host
		c.prefix = strings.TrimSuffix(site.Path, "/") + "/"
	}
	c.base = &url.URL{Scheme: scheme, Host: c.host, Path: c.prefix + page[1:]}
	if b := doc.Base; b != "" {
		switch schemeOf(b) {
		case "", "http", "https":
			ref, _ := splitFragment(slashes(b))
			if r, err := parseRef(ref); err == nil {
				c.base = c.base.ResolveReference(r)
			}
		}
	}
	return c
}

func (c *checker) report(l Link, rule, format string, args ...any) {
	c.res.Findings = append(c.res.Findings, Finding{
		File: c.page, Line: l.Line, Col: l.Col, Rule: rule, URL: l.URL,
		Message: fmt.Sprintf(format, args...),
	})
}

func (c *checker) link(l Link) {
	u := l.URL
	if u == "" {
		c.report(l, RuleBrokenLink, "<%s> has an empty %s", l.Tag, l.Attr)
		return
	}
	scheme := schemeOf(u)
	switch scheme {
	case "mailto":
		c.mailto(l)
		return
	case "tel":
		if !strings.ContainsAny(strings.SplitN(u[len("tel:"):], ";", 2)[0], "0123456789") {
			c.report(l, RuleBrokenLink, "%q has no phone number", u)
		}
		return
	case "", "http", "https":
	default:
		return // javascript:, data:, ftp:, …
	}
	ref, frag := splitFragment(slashes(u))
	r, err := parseRef(ref)
	if err != nil {
		c.report(l, RuleBrokenLink, "%q is not a valid URL: %v", u, err)
		return
	}
	abs := c.base.ResolveReference(r)
	if abs.Host == "" || abs.Opaque != "" {
		c.report(l, RuleBrokenLink, "%q is not a valid URL: no host", u)
		return
	}
	path, ok := c.sitePath(abs)
	if !ok {
		target := slashes(u)
		if scheme == "" {
			target = abs.String()
			if frag != nil {
				target += "#" + *frag
			}
		}
		c.res.External = append(c.res.External, ExternalLink{File: c.page, Link: l, Target: target})
		return
	}
	c.internal(l, path, frag)
}

// sitePath maps an absolute URL to a path in the site, if it is in it.
func (c *checker) sitePath(abs *url.URL) (string, bool) {
	if !strings.EqualFold(abs.Host, c.host) {
		return "", false
	}
	p := abs.Path
	if p == "" || p == strings.TrimSuffix(c.prefix, "/") {
		return "/", true
	}
	if !strings.HasPrefix(p, c.prefix) {
		return "", false
	}
	return "/" + p[len(c.prefix):], true
}

func (c *checker) internal(l Link, path string, frag *string) {
	var tries []string
	if strings.HasSuffix(path, "/") {
		tries = []string{path + "index.html"}
	} else {
		tries = []string{path}
		if c.opts.AssumeHTML {
			tries = append(tries, path+".html")
		}
		tries = append(tries, path+"/index.html")
	}
	var ids map[string]bool
	found := ""
	for _, p := range tries {
		var ok bool
		if ids, ok = c.lookup(p); ok {
			found = p
			break
		}
	}
	if found == "" {
		msg := fmt.Sprintf("%q: %s does not exist", l.URL, tries[0])
		if r, ok := invisible(l.URL); ok {
			msg += fmt.Sprintf(" (the URL holds an invisible %U)", r)
		}
		c.report(l, RuleBrokenLink, "%s", msg)
		return
	}
	if frag == nil || ids == nil || hasFragment(ids, *frag) {
		return
	}
	if c.same(found) {
		c.report(l, RuleBrokenAnchor, "%q: this page has no element with id %q", l.URL, *frag)
		return
	}
	c.report(l, RuleBrokenAnchor, "%q: %s has no element with id %q", l.URL, found, *frag)
}

// same reports whether site path p is the page being checked.
func (c *checker) same(p string) bool {
	return p == c.page || strings.HasSuffix(c.page, "/") && p == c.page+"index.html"
}

func (c *checker) lookup(p string) (map[string]bool, bool) {
	if c.same(p) {
		return c.doc.IDs, true
	}
	if c.resolve == nil {
		return nil, false
	}
	return c.resolve(p)
}

// hasFragment reports whether a fragment, as written, names a place in a
// document with ids: the browser's "indicated part of the document".
func hasFragment(ids map[string]bool, frag string) bool {
	if frag == "" || ids[frag] {
		return true
	}
	dec, err := url.PathUnescape(frag)
	if err != nil {
		dec = frag
	}
	return ids[dec] || strings.EqualFold(dec, "top")
}

// emailAddress is Ruby's URI::MailTo::EMAIL_REGEXP, which html-proofer uses.
var emailAddress = regexp.MustCompile(`^[a-zA-Z0-9.!#$%&'*+/=?^_` + "`" + `{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$`)

func (c *checker) mailto(l Link) {
	to := strings.SplitN(l.URL[len("mailto:"):], "?", 2)[0]
	if dec, err := url.PathUnescape(to); err == nil {
		to = dec
	}
	if strings.TrimSpace(to) == "" {
		c.report(l, RuleBrokenLink, "%q has no e-mail address", l.URL)
		return
	}
	for _, a := range strings.Split(to, ",") {
		if a = strings.TrimSpace(a); !emailAddress.MatchString(a) {
			c.report(l, RuleBrokenLink, "%q: %q is not an e-mail address", l.URL, a)
			return
		}
	}
}

// schemeOf returns the lower-cased scheme of u, or "" if u is relative.
func schemeOf(u string) string {
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(u[:i])
		default:
			return ""
		}
	}
	return ""
}

// slashes turns backslashes before any query or fragment into slashes,
// as browsers do in http and https URLs and in relative ones.
func slashes(u string) string {
	end := strings.IndexAny(u, "?#")
	if end < 0 {
		end = len(u)
	}
	if !strings.Contains(u[:end], `\`) {
		return u
	}
	return strings.ReplaceAll(u[:end], `\`, "/") + u[end:]
}

// splitFragment cuts u at its first "#". The fragment is returned as
// written, nil when there is no "#".
func splitFragment(u string) (string, *string) {
	ref, frag, ok := strings.Cut(u, "#")
	if !ok {
		return u, nil
	}
	return ref, &frag
}

// parseRef parses a URL reference without its fragment. A relative path
// whose first segment holds a colon ("1:17") is a path to browsers, which
// net/url rejects; it is read as "./1:17".
func parseRef(ref string) (*url.URL, error) {
	r, err := url.Parse(ref)
	if err != nil && schemeOf(ref) == "" && !strings.HasPrefix(ref, "/") {
		if r2, err2 := url.Parse("./" + ref); err2 == nil {
			return r2, nil
		}
	}
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, err
	}
	return r, nil
}

// invisible returns the first format character (U+200B ZERO WIDTH SPACE,
// U+FEFF, U+00AD, …) in s: one pasted into a URL breaks it unseen.
func invisible(s string) (rune, bool) {
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}
