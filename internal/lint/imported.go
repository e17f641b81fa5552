package lint

import (
	"path"
	"strings"
)

// houseRules are the rules about a handbook's own conventions — the
// fields, sections and habits it asks of its pages — rather than about
// whether a page works: a link that leads nowhere, a secret, a file that
// cannot be read. Apply lowers their findings in imported content
// (site.Config.Imported) to info.
var houseRules = map[string]bool{
	"required-field":      true,
	"required-section":    true,
	"unknown-field":       true,
	"orphan-page":         true,
	"empty-section":       true,
	"heading-skip":        true,
	"placeholder":         true,
	"runbook-escalation":  true,
	"runbook-stale":       true,
	"action-item-owner":   true,
	"action-item-ticket":  true,
	"blameless-language":  true,
	"hold-without-reason": true,
}

// IsHouseRule reports whether a rule id is one of the house rules that
// imported content is exempt from (reported as info).
func IsHouseRule(id string) bool { return houseRules[id] }

// HouseRules returns the ids of the house rules, in catalog order.
func HouseRules() []string {
	var ids []string
	for _, r := range catalog {
		if houseRules[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// MatchPath reports whether a slash-separated path relative to the site
// root, or one of the folders it is in, matches a glob: path.Match
// patterns joined by "/", where a "**" part matches any number of folders,
// none included. "content/legacy", "content/legacy/**" and
// "content/**/old-*.md" all match content/legacy/old-setup.md.
func MatchPath(glob, name string) bool {
	return matchParts(strings.Split(glob, "/"), strings.Split(name, "/"))
}

func matchParts(glob, name []string) bool {
	for len(glob) > 0 {
		if glob[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if matchParts(glob[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(glob[0], name[0]); !ok {
			return false
		}
		glob, name = glob[1:], name[1:]
	}
	return true // the glob named name or a folder it is in
}
