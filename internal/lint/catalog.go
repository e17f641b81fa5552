package lint

import (
	"fmt"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
)

// RuleInfo describes a rule id that findings carry, whichever stage reports
// it: loading (files, front matter, links), Run (the rules of this
// package) or the external link checker.
type RuleInfo struct {
	ID string
	// Category groups rules in documentation: file, front-matter, links,
	// external, structure, runbook, adr, postmortem, evaluation, services,
	// secrets, public.
	Category string
	// Owner is the package that reports the rule's findings, as a folder
	// of the repository ("internal/site", "cmd/handbook"): the only one
	// whose code may name the id in a finding (TestRuleOwners).
	Owner    string
	Severity diag.Severity
	// Doc says what the rule catches, in one sentence.
	Doc string
}

// DocsURL is where each rule's page is published in the project's own
// handbook: DocsURL + id + "/".
const DocsURL = "https://handbook-dev.github.io/handbook/docs/rules/"

// catalog lists every rule id with its category, the package that
// reports it and its default severity, grouped by category in the order
// the documentation shows them. A finding's rule id is always one of
// these (TestRuleOwners reads the repository's code to make sure).
var catalog = []RuleInfo{
	{"unreadable", "file", "internal/site", diag.Error, "A file under a content root cannot be read."},
	{"file-too-large", "file", "internal/site", diag.Error, "A Markdown file is larger than 8 MB."},
	{"binary-file", "file", "internal/site", diag.Error, "A .md file holds a NUL byte: it is not text."},
	{"invalid-utf8", "file", "internal/page", diag.Error, "A file is not valid UTF-8."},
	{"symlink-loop", "file", "internal/site", diag.Error, "A symbolic link under a content root points back into its own folder."},

	{"front-matter-syntax", "front-matter", "internal/page", diag.Error, "Front matter is not valid YAML, is not closed, or is TOML."},
	{"required-field", "front-matter", "internal/page", diag.Error, "A field the page's kind requires is missing."},
	{"field-type", "front-matter", "internal/page", diag.Error, "A field has the wrong type (a list where a string is expected, …)."},
	{"allowed-value", "front-matter", "internal/page", diag.Error, "A field's value is not in its allowed set (ADR status, severity, ring, quadrant, …)."},
	{"date-format", "front-matter", "internal/page", diag.Error, "A date or time is not YYYY-MM-DD or RFC 3339."},
	{"unknown-kind", "front-matter", "internal/page", diag.Error, "The kind: field names no known kind."},
	{"unknown-field", "front-matter", "internal/page", diag.Warning, "A front-matter field is not one handbook knows for the page's kind (often a typo)."},

	{"duplicate-url", "links", "internal/site", diag.Warning, "Two pages would be published at the same URL."},
	{"alias-clash", "links", "internal/site", diag.Error, "An alias is taken by a page or by another alias."},
	{"broken-link", "links", "internal/site", diag.Error, "A link points to a page or file that does not exist."},
	{"broken-anchor", "links", "internal/site", diag.Error, "A link's #fragment matches no id the target page renders."},
	{"anchor-case", "links", "internal/site", diag.Info, "A link's #fragment matches an id only when case is ignored; the link is rewritten to the id."},
	{"broken-reference", "links", "internal/site", diag.Error, "A [[reference]] or a front-matter reference names no page."},
	{"ambiguous-reference", "links", "internal/site", diag.Error, "A [[reference]] matches more than one page."},
	{"link-to-draft", "links", "internal/lint", diag.Warning, "A published page links to a draft, which is not published."},
	{"link-to-superseded", "links", "internal/lint", diag.Info, "A page links to an ADR that has been superseded."},
	{"orphan-page", "links", "internal/lint", diag.Warning, "Nothing leads to a plain page: no page links to it or lists it, and the sidebar does not show it."},
	{"template-link", "links", "internal/build", diag.Error, "A link written in a layout (header, footer, navigation) points nowhere on the site."},
	{"unsafe-url", "links", "internal/site", diag.Warning, "A link or image in a page uses a URL scheme that is removed (javascript:, data:, …)."},

	{"external-link", "external", "cmd/handbook", diag.Error, "An external link answers 404, 410, another client error, or not at all (with --external)."},
	{"external-unverifiable", "external", "cmd/handbook", diag.Warning, "An external site refused to be checked (403, 999, 429 past the retries, time budget spent)."},

	{"required-section", "structure", "internal/lint", diag.Warning, "A runbook, ADR or postmortem lacks a section its kind expects (synonyms accepted)."},
	{"heading-skip", "structure", "internal/lint", diag.Warning, "A heading skips a level (## then ####)."},
	{"empty-section", "structure", "internal/lint", diag.Warning, "A heading has nothing under it before the next heading of its level."},
	{"placeholder", "structure", "internal/lint", diag.Warning, "Template text was left unfilled: TODO, TBD, FIXME, {placeholder} or <fill in>."},

	{"runbook-stale", "runbook", "internal/lint", diag.Warning, "A runbook's last_reviewed is older than its review_every (an error when older than twice that)."},
	{"runbook-escalation", "runbook", "internal/lint", diag.Warning, "A runbook says nowhere whom to escalate to: no escalation: field and no Escalation section with content."},

	{"adr-superseded-by", "adr", "internal/lint", diag.Error, "An ADR whose status is superseded names no ADR that supersedes it."},
	{"adr-supersession-mismatch", "adr", "internal/lint", diag.Warning, "An ADR is superseded by another but its own status says otherwise."},
	{"adr-supersession-cycle", "adr", "internal/lint", diag.Error, "ADRs supersede each other in a circle."},
	{"adr-duplicate-number", "adr", "internal/lint", diag.Error, "Two ADRs have the same number."},
	{"adr-numbering-gap", "adr", "internal/lint", diag.Info, "ADR numbers skip a value."},

	{"postmortem-timestamps", "postmortem", "internal/lint", diag.Error, "A postmortem's timestamps are out of order (impact_start ≤ detected_at ≤ mitigated_at ≤ resolved_at)."},
	{"action-item-owner", "postmortem", "internal/lint", diag.Error, "An action item of a postmortem names no owner."},
	{"action-item-ticket", "postmortem", "internal/lint", diag.Warning, "An action item of a postmortem links to no ticket."},
	{"blameless-language", "postmortem", "internal/lint", diag.Warning, "A postmortem blames people (\"human error\", \"should have\", \"careless\", …)."},

	{"hold-without-reason", "evaluation", "internal/lint", diag.Warning, "An evaluation in the hold ring gives neither a reason (text) nor alternatives."},

	{"production-service", "services", "internal/lint", diag.Warning, "A service of the service catalog (catalog-info.yaml) in production has no owner, no runbook or no on-call link."},

	{"secret", "secrets", "internal/lint", diag.Error, "A page holds a credential: an AWS key, a private key, a GitHub, GitLab or Slack token, a JWT or a high-entropy password."},

	{"public-internal-link", "public", "internal/lint", diag.Error, "A public page links to a page that is not public."},
	{"public-internal-host", "public", "internal/lint", diag.Error, "A public page names an internal host name."},
	{"public-private-ip", "public", "internal/lint", diag.Error, "A public page holds a private IP address."},
	{"public-email", "public", "internal/lint", diag.Error, "A public page holds an e-mail address."},
}

// inputChecks are the ids of problems in handbook's own inputs rather than
// in pages: handbook.yaml, the sources of handbook import, CODEOWNERS,
// the service catalog. They stop a command (exit 2) or are reported by
// it, and are not rules: they cannot be set under rules: or silenced.
var inputChecks = []RuleInfo{
	{"config", "input", "cmd/handbook", diag.Error, "handbook.yaml cannot be used: a syntax error, an unknown key, a wrong value."},
	{"import", "input", "internal/importer", diag.Warning, "Something handbook import could not convert, at its place in the source."},
	{"source", "input", "cmd/handbook", diag.Error, "A repository of sources: in handbook.yaml cannot be fetched or has no folder it names; the site is built from its last good copy, or without it."},
	{"codeowners", "input", "internal/codeowners", diag.Warning, "A line of the repository's CODEOWNERS that neither GitHub nor GitLab can read; its owners are not shown on pages."},
	{"catalog", "input", "internal/servicecatalog", diag.Warning, "An entity of a Backstage catalog file (catalog-info.yaml) that cannot be read: broken YAML, no metadata.name, an unknown apiVersion; it is left out of the service pages."},
}

// Catalog returns every rule id handbook reports, with its default
// severity and a one-line description, in documentation order.
func Catalog() []RuleInfo {
	return append([]RuleInfo(nil), catalog...)
}

// Lookup returns the catalog entry of a rule id.
func Lookup(id string) (RuleInfo, bool) {
	for _, r := range catalog {
		if r.ID == id {
			return r, true
		}
	}
	return RuleInfo{}, false
}

// Explain returns "rule-id severity what it catches" for every rule, for
// --help.
func Explain() string {
	var b strings.Builder
	for _, r := range catalog {
		fmt.Fprintf(&b, "  %-26s %-7s %s\n", r.ID, r.Severity, r.Doc)
	}
	return b.String()
}

// Scope says what a rule's findings about a page depend on. A tool that
// redoes only part of a check after an edit (handbook serve) uses it to
// know which findings to keep.
type Scope int

const (
	// ScopeFile findings come from parsing one file: its bytes alone.
	ScopeFile Scope = iota
	// ScopeLinks findings come from resolving one page's links and
	// references: they depend on the page and on the pages it names (their
	// URLs, titles and ids).
	ScopeLinks
	// ScopePage findings are those of a rule of Run that looks at one page
	// at a time: they depend on the page, its front matter and the front
	// matter of the pages it links to.
	ScopePage
	// ScopeSite findings compare pages with each other (numbers,
	// supersessions, URLs, who links to a page) or come from outside the
	// pages (layouts, external sites). They depend on the front matter of
	// many pages, on who links to a page, or on the layouts.
	ScopeSite
)

// scopes lists the rules whose scope is not ScopeFile.
var scopes = map[string]Scope{
	"broken-link":         ScopeLinks,
	"broken-anchor":       ScopeLinks,
	"anchor-case":         ScopeLinks,
	"broken-reference":    ScopeLinks,
	"ambiguous-reference": ScopeLinks,
	"unsafe-url":          ScopeLinks,

	"link-to-draft":         ScopePage,
	"link-to-superseded":    ScopePage,
	"required-section":      ScopePage,
	"heading-skip":          ScopePage,
	"empty-section":         ScopePage,
	"placeholder":           ScopePage,
	"runbook-stale":         ScopePage,
	"runbook-escalation":    ScopePage,
	"postmortem-timestamps": ScopePage,
	"action-item-owner":     ScopePage,
	"action-item-ticket":    ScopePage,
	"blameless-language":    ScopePage,
	"hold-without-reason":   ScopePage,
	"public-internal-link":  ScopePage,
	"public-internal-host":  ScopePage,
	"public-private-ip":     ScopePage,
	"public-email":          ScopePage,

	"symlink-loop":              ScopeSite,
	"duplicate-url":             ScopeSite,
	"alias-clash":               ScopeSite,
	"orphan-page":               ScopeSite,
	"template-link":             ScopeSite,
	"external-link":             ScopeSite,
	"external-unverifiable":     ScopeSite,
	"adr-superseded-by":         ScopeSite,
	"adr-supersession-mismatch": ScopeSite,
	"adr-supersession-cycle":    ScopeSite,
	"adr-duplicate-number":      ScopeSite,
	"adr-numbering-gap":         ScopeSite,
	"production-service":        ScopeSite,
}

// ScopeOf returns the scope of a rule id; unknown ids are ScopeSite, the
// scope that is never redone partially.
// It is called for every finding of a partial update: one map lookup.
func ScopeOf(id string) Scope {
	if s, ok := scopeOf[id]; ok {
		return s
	}
	return ScopeSite
}

// scopeOf is the scope of every catalog rule.
var scopeOf = func() map[string]Scope {
	m := make(map[string]Scope, len(catalog))
	for _, r := range catalog {
		m[r.ID] = scopes[r.ID] // ScopeFile when not listed
	}
	return m
}()
