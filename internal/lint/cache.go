package lint

import (
	"sync"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/markdown"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// ownRules are the rules whose findings about a page come from that
// page's file alone, its front matter and Markdown as parsed, and from
// the configuration: not from other pages, the links' resolution or the
// clock. A Cache keeps their findings by page.
var ownRules = map[string]bool{
	"placeholder":           true,
	"blameless-language":    true,
	"required-section":      true,
	"heading-skip":          true,
	"empty-section":         true,
	"runbook-escalation":    true,
	"postmortem-timestamps": true,
	"hold-without-reason":   true,
	// Its check makes action-item-ticket's findings too.
	"action-item-owner": true,
}

// A Cache keeps, from one RunCached to the next over a site loaded again
// and again with a site.Memo (handbook serve), the findings of ownRules
// by page: a page made from the same parse as before (the Memo gives the
// same front matter and document again) gets them without the rules
// running. Only the last run's entries are kept. A Cache belongs to one
// configuration.
type Cache struct {
	mu         sync.Mutex
	last, next map[parseKey]diag.List
}

// parseKey names one parse of a file: its front matter and its document.
type parseKey struct {
	page *page.Page
	doc  *markdown.Document
}

// NewCache returns an empty Cache.
func NewCache() *Cache { return &Cache{last: map[parseKey]diag.List{}, next: map[parseKey]diag.List{}} }

func keyOf(p *site.Page) parseKey { return parseKey{p.Page, p.Doc} }

// take returns the findings kept for p, keeping them for the next run.
func (c *Cache) take(p *site.Page) (diag.List, bool) {
	k := keyOf(p)
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.next[k]
	if !ok {
		if l, ok = c.last[k]; ok {
			c.next[k] = l
		}
	}
	return l, ok
}

// keep records the findings of ownRules on pages, by the file each is
// about; it keeps nothing when one is about a file none of pages has.
func (c *Cache) keep(pages []*site.Page, found diag.List) {
	byFile := make(map[string]diag.List, len(pages))
	for _, p := range pages {
		byFile[p.Path] = nil
	}
	for _, d := range found {
		if _, ok := byFile[d.Pos.File]; !ok {
			return
		}
		byFile[d.Pos.File] = append(byFile[d.Pos.File], d)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, p := range pages {
		c.next[keyOf(p)] = byFile[p.Path]
	}
}

// turn ends a run: what it did not take or keep is let go.
func (c *Cache) turn() {
	c.mu.Lock()
	c.last, c.next = c.next, map[parseKey]diag.List{}
	c.mu.Unlock()
}
