// Package atom reads an Atom feed (RFC 4287) and checks it against the
// rules of the RFC that feed readers rely on: the tests of the feeds
// handbook writes use it as their Atom parser.
package atom

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Feed is an Atom document (RFC 4287) as far as Check reads it.
type Feed struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Base    string   `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	ID      []string `xml:"http://www.w3.org/2005/Atom id"`
	Title   []Text   `xml:"http://www.w3.org/2005/Atom title"`
	Updated []string `xml:"http://www.w3.org/2005/Atom updated"`
	Authors []Person `xml:"http://www.w3.org/2005/Atom author"`
	Links   []Link   `xml:"http://www.w3.org/2005/Atom link"`
	Entries []Entry  `xml:"http://www.w3.org/2005/Atom entry"`
}

type Entry struct {
	ID        []string `xml:"http://www.w3.org/2005/Atom id"`
	Title     []Text   `xml:"http://www.w3.org/2005/Atom title"`
	Updated   []string `xml:"http://www.w3.org/2005/Atom updated"`
	Published []string `xml:"http://www.w3.org/2005/Atom published"`
	Authors   []Person `xml:"http://www.w3.org/2005/Atom author"`
	Links     []Link   `xml:"http://www.w3.org/2005/Atom link"`
	Content   []Text   `xml:"http://www.w3.org/2005/Atom content"`
	Summary   []Text   `xml:"http://www.w3.org/2005/Atom summary"`
}

type Text struct {
	Type string `xml:"type,attr"`
	Text string `xml:",chardata"`
}

type Person struct {
	Name []string `xml:"http://www.w3.org/2005/Atom name"`
}

type Link struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

// Check parses data as Atom and returns what breaks RFC 4287's rules
// for feeds and entries: exactly one id (an absolute IRI), title and
// updated (a date-time); an author on the feed or every entry; a link to
// the entry or content; text constructs of type text, html or xhtml; and
// links that resolve against xml:base.
func Check(data []byte) (*Feed, []string) {
	var f Feed
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	if err := dec.Decode(&f); err != nil {
		return nil, []string{"not XML or not an Atom feed: " + err.Error()}
	}
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	one := func(where, what string, n int) {
		if n != 1 {
			bad("%s: %d %s elements, want exactly one", where, n, what)
		}
	}
	iri := func(where, s string) {
		if u, err := url.Parse(s); err != nil || u.Scheme == "" {
			bad("%s: id %q is not an absolute IRI", where, s)
		}
	}
	date := func(where string, ds []string) {
		for _, d := range ds {
			if _, err := time.Parse(time.RFC3339, strings.TrimSpace(d)); err != nil {
				bad("%s: %q is not an RFC 3339 date-time", where, d)
			}
		}
	}
	text := func(where string, ts []Text) {
		for _, t := range ts {
			if t.Type != "" && t.Type != "text" && t.Type != "html" && t.Type != "xhtml" {
				bad("%s: text type %q", where, t.Type)
			}
		}
	}
	one("feed", "id", len(f.ID))
	one("feed", "title", len(f.Title))
	one("feed", "updated", len(f.Updated))
	for _, id := range f.ID {
		iri("feed", id)
	}
	date("feed updated", f.Updated)
	text("feed title", f.Title)
	base, err := url.Parse(f.Base)
	if err != nil || base.Scheme == "" {
		bad("feed: xml:base %q is not absolute, so relative links in content do not resolve", f.Base)
	}
	for i, e := range f.Entries {
		where := fmt.Sprintf("entry %d", i+1)
		one(where, "id", len(e.ID))
		one(where, "title", len(e.Title))
		one(where, "updated", len(e.Updated))
		for _, id := range e.ID {
			iri(where, id)
		}
		date(where+" updated", e.Updated)
		date(where+" published", e.Published)
		text(where+" title", e.Title)
		text(where+" content", e.Content)
		if len(f.Authors) == 0 && len(e.Authors) == 0 {
			bad("%s: no author, and the feed has none", where)
		}
		alternate := false
		for _, l := range e.Links {
			alternate = alternate || l.Rel == "" || l.Rel == "alternate"
		}
		if !alternate && len(e.Content) == 0 {
			bad("%s: neither an alternate link nor content", where)
		}
	}
	return &f, probs
}
