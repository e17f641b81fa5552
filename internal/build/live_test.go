package build_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/golden"
	"github.com/handbook-dev/handbook/internal/manifest"
	"github.com/handbook-dev/handbook/internal/search"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

// TestLiveMatchesBuild edits a generated handbook in the ways authors do
// and checks, after each edit, that Live.Update gives exactly the files and
// findings of a whole build of the same files, and that the edits that
// show only in their own page (and in backlinks, anchors, the feed) were
// done partially.
func TestLiveMatchesBuild(t *testing.T) {
	dir := t.TempDir()
	if err := sitegen.Generate(dir, 300, 7); err != nil {
		t.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	cfg.Drafts = true
	one := func(pattern string) string {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		slices.Sort(m)
		if len(m) == 0 {
			t.Fatalf("no file matches %s", pattern)
		}
		return m[0]
	}
	runbook := one("runbooks/*/*.md")
	guide := one("content/guides/*/*.md")
	post := one("content/posts/*.md")
	postmortem := one("content/postmortems/*/*.md")
	adr := one("content/adr/*.md")
	superseded := one("content/adr/0003-*.md") // ADR-0006 supersedes it
	later := one("content/adr/0002-*.md")      // supersedes none
	lonely := filepath.Join(dir, "content", "guides", "lonely.md")
	newFolder := filepath.Join(dir, "runbooks", "brand-new", "first.md")
	home := filepath.Join(dir, "content", "index.md")
	renamed := filepath.Join(filepath.Dir(guide), "renamed-guide.md")
	// The same slug, so the same URL: another page at the old one's place.
	stem := strings.TrimSuffix(filepath.Base(guide), ".md")
	sameURL := filepath.Join(filepath.Dir(guide), strings.ToUpper(stem[:1])+stem[1:]+".md")
	titleLine, guideTitle := regexp.MustCompile(`(?m)^title: .*$`), ""
	folderIndex := filepath.Join(filepath.Dir(guide), "index.md")
	added := filepath.Join(filepath.Dir(guide), "added.md")
	kin := filepath.Join(filepath.Dir(guide), "kin.md")
	cited := filepath.Join(filepath.Dir(guide), "cited.md")
	successor := filepath.Join(dir, "content", "adr", "0900-successor.md")
	successorRenamed := filepath.Join(dir, "content", "adr", "0901-successor.md")
	postmortemNew := filepath.Join(filepath.Dir(postmortem), "2026-11-02-queue-backlog.md")
	adrNumber := filepath.Base(adr)[:4]
	runbookRenamed := strings.TrimSuffix(runbook, ".md") + "-moved.md"
	supersededRenamed := filepath.Join(filepath.Dir(superseded), filepath.Base(superseded)[:5]+"renamed.md")
	supersededText := ""
	evaluationNew := filepath.Join(dir, "content", "evaluations", "queue-tool.md")
	evaluationRenamed := filepath.Join(dir, "content", "evaluations", "queue-tool-renamed.md")
	layout := filepath.Join(dir, "layouts", "page.html")
	batched := filepath.Join(filepath.Dir(guide), "batched.md")
	rel := func(from, to string) string {
		r, err := filepath.Rel(filepath.Dir(from), to)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(r)
	}

	live := build.NewLive(build.Options{Site: cfg})
	whole, err := live.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	prev, prevRes := whole.Unpacked(), whole
	// A page the guide lists among its related pages, which leave out the
	// pages a page links to or is linked from: a link to it changes both
	// pages' lists.
	related := func() string {
		t.Helper()
		r, err := filepath.Rel(filepath.Join(dir, "content"), guide)
		if err != nil {
			t.Fatal(err)
		}
		html := string(prev["/"+strings.TrimSuffix(filepath.ToSlash(r), ".md")+"/index.html"])
		start := strings.Index(html, `<section class="related">`)
		if start < 0 {
			t.Fatal("the guide lists no related pages")
		}
		end := start + strings.Index(html[start:], "</section>")
		for _, m := range regexp.MustCompile(`href="/([^"]+)/"`).FindAllStringSubmatch(html[start:end], -1) {
			for _, f := range []string{filepath.Join(dir, "content", m[1]+".md"), filepath.Join(dir, m[1]+".md")} {
				if _, err := os.Stat(f); err == nil {
					return f
				}
			}
		}
		t.Fatal("no related page of the guide has a file")
		return ""
	}()

	type edit struct {
		name    string
		file    string
		change  func(string) string
		partial bool
	}
	appendText := func(s string) func(string) string { return func(b string) string { return b + s } }
	setField := func(key, value string) func(string) string {
		return func(b string) string {
			if re := regexp.MustCompile(`(?m)^` + key + `: .*$`); re.MatchString(b) {
				return re.ReplaceAllString(b, key+": "+value)
			}
			return strings.Replace(b, "---\n", "---\n"+key+": "+value+"\n", 1)
		}
	}
	edits := []edit{
		{"paragraph", runbook, appendText("\nOne more paragraph of the runbook.\n"), true},
		{"new heading", runbook, appendText("\n## Extra checks\n\nCheck the extra things.\n"), true},
		{"link to the new anchor", guide, appendText("\nSee [the extra checks](" + rel(guide, runbook) + "#extra-checks).\n"), true},
		{"heading renamed: the anchor breaks", runbook, func(b string) string { return strings.Replace(b, "## Extra checks", "## Other checks", 1) }, true},
		{"link removed", guide, func(b string) string { return b[:strings.LastIndex(b, "\nSee [the extra checks]")] + "\n" }, true},
		{"link to a related page: no longer related", guide, appendText("\nSee [a related page](" + rel(guide, related) + ").\n"), true},
		{"that link removed: related again", guide, func(b string) string { return b[:strings.LastIndex(b, "\nSee [a related page]")] + "\n" }, true},
		{"placeholder in a postmortem", postmortem, appendText("\nTODO: write the lessons.\n"), true},
		{"post dated newest", post, func(b string) string {
			return regexp.MustCompile(`(?m)^date: .*$`).ReplaceAllString(b, "date: 2026-11-21")
		}, true},
		{"post edited: the feed follows", post, appendText("\nA closing paragraph for the feed.\n"), true},
		{"secret", guide, appendText("\n```\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n```\n"), true},
		{"suppressed placeholder", guide, appendText("\n<!-- handbook-disable-next-line placeholder -->\nTODO: later.\n"), true},
		{"title changed", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A new title")
		}, true},
		{"runbook reviewed", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^last_reviewed: .*$`).ReplaceAllString(b, "last_reviewed: 2026-11-20")
		}, true},
		{"runbook overdue", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^last_reviewed: .*$`).ReplaceAllString(b, "last_reviewed: 2020-01-02")
		}, true},
		{"ADR status", adr, func(b string) string {
			return regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(b, "status: deprecated")
		}, true},
		{"owner changed", guide, func(b string) string {
			if regexp.MustCompile(`(?m)^owner: `).MatchString(b) {
				return regexp.MustCompile(`(?m)^owner: .*$`).ReplaceAllString(b, "owner: team-newcomers")
			}
			return strings.Replace(b, "---\n", "---\nowner: team-newcomers\n", 1)
		}, true},
		// Written over the guide's own when it has them.
		{"tags added", guide, setField("tags", "[brand-new-tag, databases]"), true},
		{"weight: the sidebar order", guide, setField("weight", "1"), true},
		{"broken front matter", adr, func(b string) string { return strings.Replace(b, "---\n", "---\nstatus: [unclosed\n", 1) }, true},
		{"front matter fixed", adr, func(b string) string { return strings.Replace(b, "---\nstatus: [unclosed\n", "---\n", 1) }, true},
		{"draft", guide, func(b string) string { return strings.Replace(b, "---\n", "---\ndraft: true\n", 1) }, true},
		{"draft no more", guide, func(b string) string { return strings.Replace(b, "---\ndraft: true\n", "---\n", 1) }, true},
		{"new page", lonely, func(string) string { return "---\ntitle: Lonely\n---\nNobody links here yet.\n" }, true},
		{"new page in a new folder", newFolder, func(string) string {
			return "---\ntitle: A new service's first runbook\nowner: team-newcomers\nservice: brand-new\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it.\n"
		}, true},
		{"page deleted", newFolder, nil, true},
		// The home page: the build's, then the site's own at the same
		// file, then the build's again (whose search index has no
		// document of it).
		{"a home page of the site's own", home, func(string) string { return "---\ntitle: Our handbook\n---\nStart with the runbooks.\n" }, true},
		{"the home page deleted: the build's again", home, nil, true},
		{"page renamed", guide + ":" + renamed, nil, true},
		{"renamed back", renamed + ":" + guide, nil, true},
		// Renamed to a name of the same slug, and edited: a new page at
		// the URL, which its folder's listing shows rather than the one
		// gone.
		{"renamed at the same URL, retitled", guide + ":" + sameURL, func(b string) string {
			guideTitle = titleLine.FindString(b)
			return titleLine.ReplaceAllString(b, "title: Same place, new name")
		}, true},
		{"and back, as it was", sameURL + ":" + guide, func(b string) string {
			return strings.Replace(b, "title: Same place, new name", guideTitle, 1)
		}, true},
		// A new page of tags many pages have enters their related pages,
		// which are not its own (Regraphed), and leaves them when it goes.
		{"a new page of common tags: related to others", kin, func(string) string {
			return "---\ntitle: Kin\ntags: [database, kubernetes, security, observability]\n---\nA page on what many pages are about.\n"
		}, true},
		{"the page of common tags removed", kin, nil, true},
		{"first link to it", guide, appendText("\nSee [lonely](" + rel(guide, lonely) + ").\n"), true},
		{"the link goes: orphan again", guide, func(b string) string { return strings.Replace(b, "\nSee [lonely]("+rel(guide, lonely)+").\n", "", 1) }, true},
		{"same size, same second", guide, func(b string) string { return strings.Replace(b, "TODO: later.", "TODO: LATER.", 1) }, true},
		// A layout edit builds whole; the reloads after it render with
		// the new layout, not the theme of the build before it.
		{"a layout of the site's own", layout, func(string) string {
			return `{{define "main"}}<article class="own-layout"><h1>{{.Title}}</h1>{{template "body" .}}</article>{{end}}`
		}, false},
		{"title after the layout", guide, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: Laid out anew")
		}, true},
		// A title is taken in place (retouch): the links that may resolve
		// otherwise are resolved again, those to the page (a reference
		// shows its title) and the references looking up a title a page
		// gained or lost (site's linkmemo.go).
		{"a heading to link to", runbook, appendText("\n## Final steps\n\nDo them.\n"), true},
		{"a link to it", guide, appendText("\nSee [the final steps](" + rel(guide, runbook) + "#final-steps).\n"), true},
		{"heading renamed and retitled: the anchor breaks", runbook, func(b string) string {
			b = strings.Replace(b, "## Final steps", "## Last steps", 1)
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A runbook retitled")
		}, true},
		{"a reference to a title no page has", guide, appendText("\nSee [[A page named later]].\n"), true},
		{"another title: the reference is resolved again", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A runbook retitled again")
		}, true},
		{"a page takes the title", adr, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A page named later")
		}, true},
		{"and gives it up", adr, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: Named otherwise")
		}, true},
		// Names: a link resolves through another page's alias.
		{"a link to no page", guide, appendText("\nSee [the old place](/old-place/).\n"), true},
		{"a title: the link to no page stays broken", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A runbook retitled once more")
		}, true},
		{"a page answers to it", adr, func(b string) string { return strings.Replace(b, "---\n", "---\naliases: [/old-place/]\n", 1) }, true},
		// Fields only rules and layouts read are taken in place (retouch),
		// after a patch left its findings (the link above) and with one.
		{"reviewed after the patches", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^last_reviewed: .*$`).ReplaceAllString(b, "last_reviewed: 2026-11-16")
		}, true},
		{"reviewed, with a heading renamed: the anchor breaks", runbook, func(b string) string {
			b = strings.Replace(b, "## Last steps", "## Closing steps", 1)
			return regexp.MustCompile(`(?m)^last_reviewed: .*$`).ReplaceAllString(b, "last_reviewed: 2026-11-15")
		}, true},
		{"postmortem status", postmortem, func(b string) string {
			return regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(b, "status: draft")
		}, true},
		{"ADR superseded without a successor", adr, func(b string) string {
			return regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(b, "status: superseded")
		}, true},
		{"ADR status written twice", adr, func(b string) string {
			return regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(b, "status: accepted")
		}, true},
		{"reviewed, with a link to the lonely page: its backlinks", runbook, func(b string) string {
			b = regexp.MustCompile(`(?m)^last_reviewed: .*$`).ReplaceAllString(b, "last_reviewed: 2026-11-14")
			return b + "\nSee [the lonely page](" + rel(runbook, lonely) + ").\n"
		}, true},
		// A page linking to a superseded decision is told so (a rule of
		// the linking page, which a retouch of the decision runs again).
		{"a superseded decision accepted again", superseded, func(b string) string {
			return regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(b, "status: accepted")
		}, true},
		{"a guide links to the old decision", guide, appendText("\nSee [the old decision](" + rel(guide, superseded) + ").\n"), true},
		{"superseded again: the link is to a superseded decision", superseded, func(b string) string {
			return regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(b, "status: superseded")
		}, true},
		{"postmortem severity and resolution", postmortem, func(b string) string {
			b = regexp.MustCompile(`(?m)^severity: .*$`).ReplaceAllString(b, "severity: SEV-1")
			return regexp.MustCompile(`(?m)^resolved_at: .*$`).ReplaceAllString(b, "resolved_at: 2026-11-19T23:59:00Z")
		}, true},
		{"runbook tier and alerts", runbook, func(b string) string {
			b = regexp.MustCompile(`(?m)^tier: .*$`).ReplaceAllString(b, "tier: 1")
			return regexp.MustCompile(`(?m)^alerts: .*$`).ReplaceAllString(b, "alerts: [EditedAlertFiring, AnotherAlert]")
		}, true},
		// A body edit that changes what lists show of the page (its
		// opening text, its reading time) is retouched too.
		{"a new opening paragraph: the excerpt", guide, func(b string) string {
			return strings.Replace(b, "\n---\n", "\n---\nA new opening sentence, which lists and the search show.\n\n", 1)
		}, true},
		{"a long section: the reading time", guide, appendText("\n## More\n\n" + strings.Repeat("Words that take a reader a while to read. ", 60) + "\n"), true},
		{"a description", guide, func(b string) string {
			return strings.Replace(b, "---\n", "---\ndescription: What the guide is for.\n", 1)
		}, true},
		{"the description rewritten", guide, func(b string) string {
			return strings.Replace(b, "description: What the guide is for.", "description: What the guide is for, said again.", 1)
		}, true},
		{"reviewed, and the link goes", runbook, func(b string) string {
			b = regexp.MustCompile(`(?m)^last_reviewed: .*$`).ReplaceAllString(b, "last_reviewed: 2026-11-13")
			return strings.Replace(b, "\nSee [the lonely page]("+rel(runbook, lonely)+").\n", "", 1)
		}, true},
		// A front-matter reference by title, which a load joins in both
		// directions: a title it looks up is taken in place, the
		// relation joined again on both ends (the reference broken,
		// then found again).
		{"related by its title", guide, func(b string) string {
			return strings.Replace(b, "---\n", "---\nrelated: [A runbook retitled once more]\n", 1)
		}, true},
		{"a title a front-matter reference looked up: the relation lost", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A runbook its relation lost")
		}, true},
		{"and found again", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A runbook retitled once more")
		}, true},
		{"the relation goes", guide, func(b string) string {
			return strings.Replace(b, "---\nrelated: [A runbook retitled once more]\n", "---\n", 1)
		}, true},
		{"a title nothing looks up any more", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A runbook free again")
		}, true},
		// A folder's index lists the pages below it (Children), in
		// navigation order, and an owner's page its pages by kind and
		// title: a title moves a page in them, a page added or removed
		// goes in or out of them.
		{"a folder's index", folderIndex, func(string) string { return "---\ntitle: Alerting\n---\nThe alerting guides.\n" }, true},
		{"retitled first in its folder", guide, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: Aardvark, first in the folder")
		}, true},
		{"a page added under the index", added, func(string) string {
			return "---\ntitle: Beta, added\nweight: 49\nowner: team-finance\n---\nAdded to a folder with an index.\n"
		}, true},
		{"the added page retitled last in its folder", added, func(b string) string {
			return strings.Replace(b, "title: Beta, added", "title: Zulu, last in the folder", 1)
		}, true},
		{"and removed", added, nil, true},
		// A page linked from a decision another supersedes: the
		// decision, linked again when the page goes, keeps what the
		// other's front matter says of it (superseded by it).
		{"a page for the old decision to cite", cited, func(string) string { return "---\ntitle: Cited\n---\nCited by an old decision.\n" }, true},
		{"the old decision cites it", superseded, appendText("\nSee [the cited page](" + rel(superseded, cited) + ").\n"), true},
		{"the cited page deleted", cited, nil, true},
		// Pages that name others in their front matter come and go in
		// place: the pages named are given, or lose, their side of the
		// relation (shown on them, read by the rules).
		{"a new decision superseding another", successor, func(string) string {
			return "---\ntitle: A successor\nstatus: accepted\ndate: 2026-11-01\nsupersedes: ADR-" + adrNumber + "\n---\n## Context\n\nThe old one aged.\n\n## Decision\n\nDo it anew.\n"
		}, true},
		{"the successor renamed", successor + ":" + successorRenamed, nil, true},
		{"the successor deleted", successorRenamed, nil, true},
		{"a new postmortem naming a runbook and a decision", postmortemNew, func(string) string {
			return "---\ntitle: Queue backlog\ndate: 2026-11-02\nseverity: SEV-2\nstatus: closed\nowner: team-sre\nrunbooks: [" + rel(postmortemNew, runbook) + "]\nadrs: [ADR-" + adrNumber + "]\nrelated: [" + rel(postmortemNew, guide) + "]\n---\n## Summary\n\nThe queue backed up.\n"
		}, true},
		// A page another names in its front matter renamed and back: the
		// page naming it is linked again (a reference broken, then found
		// again), and the relation joined again on both ends.
		{"the runbook it names renamed", runbook + ":" + runbookRenamed, nil, true},
		{"the runbook named back", runbookRenamed + ":" + runbook, nil, true},
		{"and deleted", postmortemNew, nil, true},
		{"a superseded decision renamed", superseded + ":" + supersededRenamed, func(b string) string { supersededText = b; return b }, true},
		{"a superseded decision deleted", supersededRenamed, nil, true},
		{"and back", superseded, func(string) string { return supersededText }, true},
		// An evaluation outside a radar's release folders folds with no
		// other: it comes and goes in place, its decision shown on it.
		{"a new evaluation of a decision", evaluationNew, func(string) string {
			return "---\ntitle: Queue tool\nring: trial\nquadrant: tools\ndate: 2026-11-03\nowner: team-sre\nadr: ADR-" + adrNumber + "\nalternatives: [" + rel(evaluationNew, guide) + "]\nhistory:\n  - date: 2026-01-01\n    ring: assess\n---\n## Summary\n\nWorth a trial.\n"
		}, true},
		{"the evaluation renamed", evaluationNew + ":" + evaluationRenamed, nil, true},
		{"the evaluation deleted", evaluationRenamed, nil, true},
		// A page's words changed, their count, title and headings not,
		// in the batch of a page added or removed (the site is loaded
		// again): its own file, which nothing else of it shows, has the
		// new words.
		{"a new page, and a word of another changed in the same batch", batched, func(string) string {
			return "---\ntitle: Batched\n---\nWritten in one batch with another page's edit.\n"
		}, true},
		{"the new page deleted, and the word changed back", batched, nil, true},
		// A page's own front-matter references edited: the page is
		// linked again, the relation joined on both ends.
		{"a decision's front matter supersedes another", adr, func(b string) string {
			return strings.Replace(b, "---\n", "---\nsupersedes: ADR-0002\n", 1)
		}, true},
		{"and no longer", adr, func(b string) string { return strings.Replace(b, "---\nsupersedes: ADR-0002\n", "---\n", 1) }, true},
		// A link added on Patch's path, which takes no fingerprints; an
		// edit taken in place (retouch) that takes them; then the linker
		// retitled: the decision's backlinks show its new title (the
		// fingerprints of the pages Patch changed are taken again).
		{"the postmortem links to the decision", postmortem, appendText("\nSee [the decision](" + rel(postmortem, adr) + ").\n"), true},
		{"a runbook reviewed after the link", runbook, func(b string) string {
			return regexp.MustCompile(`(?m)^last_reviewed: .*$`).ReplaceAllString(b, "last_reviewed: 2026-11-17")
		}, true},
		{"the linking postmortem retitled", postmortem, func(b string) string {
			return regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(b, "title: A postmortem that cites a decision")
		}, true},
		// A decision superseded with no successor, which pages link to,
		// then named by another's supersedes: the pages linking to it
		// are told (link-to-superseded reads the successor, which the
		// other decision's front matter gives it).
		{"the decision superseded, with no successor", adr, func(b string) string {
			return regexp.MustCompile(`(?m)^status: .*$`).ReplaceAllString(b, "status: superseded")
		}, true},
		{"another decision supersedes it: its linkers are told", later, func(b string) string {
			return strings.Replace(b, "---\n", "---\nsupersedes: ADR-"+adrNumber+"\n", 1)
		}, true},
	}
	// The edits of fields only rules and layouts read, and of nothing
	// else: taken in place (Live.retouch) without loading the site.
	retouched := map[string]bool{"runbook reviewed": true, "runbook overdue": true, "ADR status": true,
		"a runbook reviewed after the link": true, "the linking postmortem retitled": true,
		"reviewed after the patches": true, "reviewed, with a heading renamed: the anchor breaks": true,
		"postmortem status": true, "ADR superseded without a successor": true, "ADR status written twice": true,
		"reviewed, with a link to the lonely page: its backlinks": true, "reviewed, and the link goes": true,
		"postmortem severity and resolution": true, "runbook tier and alerts": true,
		"a superseded decision accepted again": true, "superseded again: the link is to a superseded decision": true,
		"a new opening paragraph: the excerpt": true, "a long section: the reading time": true,
		"the description rewritten": true,
		"title changed":             true, "title after the layout": true, "heading renamed and retitled: the anchor breaks": true,
		"another title: the reference is resolved again": true, "a page takes the title": true, "and gives it up": true,
		"a title: the link to no page stays broken": true, "a title nothing looks up any more": true,
		"a title a front-matter reference looked up: the relation lost": true, "and found again": true,
		"a description": true, "related by its title": true, "the relation goes": true,
		"a decision's front matter supersedes another": true, "and no longer": true,
		"new page": true, "new page in a new folder": true, "page deleted": true, "page renamed": true, "renamed back": true,
		"a new page of common tags: related to others": true, "the page of common tags removed": true,
		"retitled first in its folder": true, "a page added under the index": true, "and removed": true,
		"the added page retitled last in its folder": true,
		"a page for the old decision to cite":        true, "the cited page deleted": true,
		"a new decision superseding another": true, "the successor renamed": true, "the successor deleted": true,
		"a new postmortem naming a runbook and a decision": true, "and deleted": true,
		"the decision superseded, with no successor": true, "another decision supersedes it: its linkers are told": true,
		"the runbook it names renamed": true, "the runbook named back": true,
		"a superseded decision renamed": true, "a superseded decision deleted": true, "and back": true,
		"a new evaluation of a decision": true, "the evaluation renamed": true, "the evaluation deleted": true}
	// Edits made in the same batch as another: the file they change.
	word := func(from, to string) func() string {
		return func() string {
			b, err := os.ReadFile(guide)
			if err != nil || !strings.Contains(string(b), from) {
				t.Fatalf("the guide has no %q to change (%v)", from, err)
			}
			if err := os.WriteFile(guide, []byte(strings.Replace(string(b), from, to, 1)), 0o644); err != nil {
				t.Fatal(err)
			}
			return guide
		}
	}
	alsoIn := map[string]func() string{
		"a new page, and a word of another changed in the same batch": word("TODO: LATER.", "TODO: SOON."),
		"the new page deleted, and the word changed back":             word("TODO: SOON.", "TODO: LATER."),
	}
	for i, e := range edits {
		changed := []string{e.file}
		switch from, to, rename := strings.Cut(e.file, ":"); {
		case rename:
			if err := os.Rename(from, to); err != nil {
				t.Fatal(err)
			}
			changed = []string{from, to}
			if e.change != nil { // and edited, in the same batch
				old, err := os.ReadFile(to)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(to, []byte(e.change(string(old))), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		case e.change == nil:
			if err := os.Remove(e.file); err != nil {
				t.Fatal(err)
			}
		default:
			old, err := os.ReadFile(e.file)
			if err != nil && !os.IsNotExist(err) {
				t.Fatal(err)
			}
			next := e.change(string(old))
			if next == string(old) {
				t.Fatalf("edit %d (%s) changes nothing", i, e.name)
			}
			info, _ := os.Stat(e.file)
			os.MkdirAll(filepath.Dir(e.file), 0o755)
			if err := os.WriteFile(e.file, []byte(next), 0o644); err != nil {
				t.Fatal(err)
			}
			if info != nil {
				// The worst case for change detection: same time as before.
				os.Chtimes(e.file, info.ModTime(), info.ModTime())
			}
		}
		if also := alsoIn[e.name]; also != nil {
			changed = append(changed, also())
		}
		// Every other edit goes the preview's way: a first look at the
		// edited page, then the rest (UpdateFirst, Finish).
		update := live.Update
		if i%2 == 0 {
			update = live.UpdateFirst
		}
		before := prev
		got, err := update(context.Background(), changed)
		if err != nil {
			t.Fatalf("edit %d (%s): %v", i, e.name, err)
		}
		if got.First {
			d := diffFiles(before, got.Unpacked())
			lines := strings.Split(strings.TrimSuffix(d, "\n"), "\n")
			if len(lines) > len(changed) || slices.ContainsFunc(lines, func(l string) bool { return l != "" && !strings.Contains(l, "/index.html") }) {
				t.Errorf("edit %d (%s): a first look changes at most the edited pages' own files, got:\n%s", i, e.name, d)
			}
			if got, err = live.Finish(context.Background()); err != nil {
				t.Fatalf("edit %d (%s): %v", i, e.name, err)
			}
			t.Logf("edit %d (%s): first look, then the rest", i, e.name)
		}
		// Until UpdateSearch, the search index served is the last one,
		// every file of it.
		if got.Partial && prevRes != nil {
			if d := searchKept(prevRes.Files, got.Files); d != "" {
				t.Errorf("edit %d (%s): before UpdateSearch, %s", i, e.name, d)
			}
		}
		if live.SearchWhole() {
			// The preview stops a whole index when an edit comes: it is
			// built whole again by the next update.
			stopped, stop := context.WithCancel(context.Background())
			stop()
			if live.UpdateSearch(stopped) != nil {
				t.Errorf("edit %d (%s): a stopped whole search index was built", i, e.name)
			}
			if !live.SearchWhole() || !live.SearchPending() {
				t.Errorf("edit %d (%s): a stopped whole search index is not to be built again", i, e.name)
			}
		}
		if s := live.UpdateSearch(context.Background()); s != nil {
			got.Files = s.Files // the same Live: packed alike
		} else if e.partial {
			t.Errorf("edit %d (%s): no search update after a partial update", i, e.name)
		}
		if got.Partial != e.partial {
			t.Errorf("edit %d (%s): partial = %v, want %v", i, e.name, got.Partial, e.partial)
		}
		if got.Retouched != retouched[e.name] {
			t.Errorf("edit %d (%s): retouched = %v, want %v", i, e.name, got.Retouched, retouched[e.name])
		}
		t.Logf("edit %d (%s): %d files rendered, %d with a new sidebar", i, e.name, got.Rendered, got.Spliced)
		want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if d := diffSearch(want.Unpacked(), got.Unpacked()); d != "" {
			t.Errorf("edit %d (%s): search index differs from a whole build's:\n%s", i, e.name, d)
		}
		if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
			t.Errorf("edit %d (%s): files differ from a whole build:\n%s", i, e.name, d)
		}
		if d := diffDiags(want.Diags, got.Diags); d != "" {
			t.Errorf("edit %d (%s): findings differ from a whole build:\n%s", i, e.name, d)
		}
		if d := diffFiles(builtFiles(t, cfg), withoutSearch(got.Unpacked())); d != "" {
			t.Errorf("edit %d (%s): files differ from handbook build's:\n%s", i, e.name, d)
		}
		if d := heldAsChanged(prevRes, got); d != "" {
			t.Errorf("edit %d (%s): %s", i, e.name, d)
		}
		prev, prevRes = got.Unpacked(), got
	}
}

func diffFiles(want, got map[string][]byte) string {
	var b strings.Builder
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			fmt.Fprintf(&b, "  missing %s\n", p)
		case !bytes.Equal(w, g):
			i := 0
			for i < len(w) && i < len(g) && w[i] == g[i] {
				i++
			}
			fmt.Fprintf(&b, "  %s differs at byte %d: want …%q…, got …%q…\n", p, i, w[max(i-40, 0):min(i+40, len(w))], g[max(i-40, 0):min(i+40, len(g))])
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			fmt.Fprintf(&b, "  extra %s\n", p)
		}
	}
	return b.String()
}

// searchKept says which of the search index's files of last (a
// LiveResult's files, held) next has not as they were, "" for none.
func searchKept(last, next map[string][]byte) string {
	var out []string
	for p, b := range last {
		if strings.HasPrefix(p, "/search/") && !bytes.Equal(next[p], b) {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return ""
	}
	slices.Sort(out)
	return fmt.Sprintf("%d of the search index's files are gone or changed, such as %s", len(out), out[0])
}

func diffDiags(want, got diag.List) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, d := range want {
		w[d.String()] = true
	}
	for _, d := range got {
		g[d.String()] = true
	}
	var b strings.Builder
	for s := range w {
		if !g[s] {
			fmt.Fprintf(&b, "  missing %s\n", s)
		}
	}
	for s := range g {
		if !w[s] {
			fmt.Fprintf(&b, "  extra   %s\n", s)
		}
	}
	if b.Len() == 0 && len(want) != len(got) {
		fmt.Fprintf(&b, "  %d findings, want %d\n", len(got), len(want))
	}
	return b.String()
}

// withoutSearch leaves the search index out: a partial update keeps the
// chunk boundaries of the last whole build (see diffSearch).
// heldAsChanged says which files of next changed from prev, served,
// but are held as the same bytes: a preview would not tell the browser
// that they changed (serve.Snapshot compares files as they are held).
func heldAsChanged(prev, next *build.LiveResult) string {
	var bad []string
	for p, b := range next.Files {
		old, ok := prev.Files[p]
		if !ok || !bytes.Equal(old, b) {
			continue
		}
		was, _ := prev.File(p)
		now, _ := next.File(p)
		if !bytes.Equal(was, now) {
			bad = append(bad, p)
		}
	}
	if len(bad) == 0 {
		return ""
	}
	slices.Sort(bad)
	return fmt.Sprintf("%d files changed but are held as before: %s", len(bad), strings.Join(bad[:min(len(bad), 5)], ", "))
}

// builtFiles returns the files handbook build writes for cfg, but for
// the search index and the manifest: what a Live's files, unpacked
// (their sidebars filled), must equal, made by another path.
func builtFiles(t *testing.T, cfg site.Config) map[string][]byte {
	t.Helper()
	res, err := build.Run(context.Background(), build.Options{Site: cfg})
	if err != nil {
		t.Fatal(err)
	}
	out := withoutSearch(res.Output)
	delete(out, "/"+manifest.File)
	return out
}

func withoutSearch(files map[string][]byte) map[string][]byte {
	out := maps.Clone(files)
	maps.DeleteFunc(out, func(p string, _ []byte) bool { return strings.HasPrefix(p, "/search/") })
	return out
}

// diffSearch compares two search indexes by what they hold: every term's
// postings (documents, scores, sections, positions), the records and the
// facets; not how they are cut into files.
func diffSearch(want, got map[string][]byte) string {
	we, wt, wr, err := search.Read(want)
	if err != nil {
		return "whole build: " + err.Error()
	}
	ge, gt, gr, err := search.Read(got)
	if err != nil {
		return "partial update: " + err.Error()
	}
	var b strings.Builder
	if we.Docs != ge.Docs || !reflect.DeepEqual(we.Facets, ge.Facets) {
		fmt.Fprintf(&b, "  entry: %d docs, facets %v; want %d, %v\n", ge.Docs, ge.Facets, we.Docs, we.Facets)
	}
	for term, w := range wt {
		if g, ok := gt[term]; !ok || !reflect.DeepEqual(w, g) {
			fmt.Fprintf(&b, "  term %q: got %+v\n    want %+v\n", term, g, w)
		}
	}
	for term := range gt {
		if _, ok := wt[term]; !ok {
			fmt.Fprintf(&b, "  extra term %q\n", term)
		}
	}
	if !reflect.DeepEqual(wr, gr) {
		b.WriteString("  records differ\n")
		for i := range max(len(wr), len(gr)) {
			switch {
			case i >= len(wr) || i >= len(gr):
				fmt.Fprintf(&b, "    record %d: one index has %d, the other %d\n", i, len(gr), len(wr))
			case !reflect.DeepEqual(wr[i], gr[i]):
				fmt.Fprintf(&b, "    record %d: got %+v\n      want %+v\n", i, gr[i], wr[i])
			default:
				continue
			}
			break
		}
	}
	return b.String()
}

// TestLiveLayoutCheck edits the front matter of the page the layout check
// samples, so that a link a layout writes breaks and is mended again
// (a fragment whose target the layout prints for one title only): a reload
// that kept the last layout check's findings would miss it. Each edit's
// findings must equal a whole build's.
func TestLiveLayoutCheck(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) { t.Helper(); writeAt(t, dir, name, body) }
	write("layouts/page.html", `{{define "main"}}<article class="doc">
<a href="#summary">Summary</a> <a href="/nowhere/">Nowhere</a>
{{if eq .Title "Guide"}}<p id="summary">In short.</p>{{end}}
{{template "body" .}}
</article>{{end}}
`)
	write("content/index.md", "---\ntitle: Home\n---\nRead the [guide](a-guide.md) and [the other](deep/b-other.md).\n")
	guide := filepath.Join(dir, "content", "a-guide.md")
	other := filepath.Join(dir, "content", "deep", "b-other.md")
	write("content/a-guide.md", "---\ntitle: Guide\n---\nText.\n")
	write("content/deep/b-other.md", "---\ntitle: Other\n---\nText.\n")
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	live := build.NewLive(build.Options{Site: cfg})
	if _, err := live.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	summary := func(l diag.List) bool {
		return slices.ContainsFunc(l, func(d diag.Diagnostic) bool {
			return d.Rule == "template-link" && strings.Contains(d.Message, "#summary")
		})
	}
	for i, e := range []struct {
		file, title string
		broken      bool // the #summary link is broken after the edit
	}{
		{other, "Other two", false},
		{guide, "Guidance", true},
		{other, "Other three", true},
		{guide, "Guide", false},
	} {
		b, err := os.ReadFile(e.file)
		if err != nil {
			t.Fatal(err)
		}
		next := regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(string(b), "title: "+e.title)
		if err := os.WriteFile(e.file, []byte(next), 0o644); err != nil {
			t.Fatal(err)
		}
		got, err := live.Update(context.Background(), []string{e.file})
		if err != nil {
			t.Fatal(err)
		}
		if !got.Partial {
			t.Errorf("edit %d: not partial", i)
		}
		want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if summary(want.Diags) != e.broken {
			t.Fatalf("edit %d: a whole build says the #summary link is broken: %v, want %v", i, !e.broken, e.broken)
		}
		if d := diffDiags(want.Diags, got.Diags); d != "" {
			t.Errorf("edit %d (%s → %q): findings differ from a whole build:\n%s", i, filepath.Base(e.file), e.title, d)
		}
	}
}

// TestLiveLayoutCheckKept removes and writes back a page that a layout
// links to, in a folder the sampled page's sidebar does not open: the
// sampled page is not rendered again, and its last check's findings are
// kept only while every path that check looked up gives what it gave
// then. A reload that kept them whole would miss the layout's link broken
// by the removal, or report it after the page is back. Each edit's
// findings must equal a whole build's.
func TestLiveLayoutCheckKept(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { t.Helper(); return writeAt(t, dir, name, body) }
	write("layouts/page.html", `{{define "main"}}<article class="doc">
<a href="/deep/inner/target/">The target</a>
{{template "body" .}}
</article>{{end}}
`)
	write("content/index.md", "---\ntitle: Home\n---\nRead the [guide](a-guide.md).\n")
	write("content/a-guide.md", "---\ntitle: Guide\n---\nText.\n")
	write("content/deep/inner/keep.md", "---\ntitle: Kept\n---\nText.\n")
	target := write("content/deep/inner/target.md", "---\ntitle: Target\n---\nText.\n")
	body, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	live, _ := buildLive(t, dir)
	for i, e := range []struct {
		remove, broken bool
	}{{true, true}, {false, false}, {true, true}, {false, false}} {
		if e.remove {
			err = os.Remove(target)
		} else {
			err = os.WriteFile(target, body, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		layoutUpdate(t, live, dir, target, fmt.Sprintf("edit %d (removed: %v)", i, e.remove), "/deep/inner/target/", e.broken)
	}
}

// layoutUpdate updates live after file's edit (what names it) and checks
// that the update was taken in place, that a whole build of dir reports
// the layout's link to mark (a template-link finding) when broken, and
// that the update's findings equal the build's.
func layoutUpdate(t *testing.T, live *build.Live, dir, file, what, mark string, broken bool) {
	t.Helper()
	got, err := live.Update(context.Background(), []string{file})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Partial {
		t.Errorf("%s: not partial", what)
	}
	_, want := buildLive(t, dir)
	reported := slices.ContainsFunc(want.Diags, func(d diag.Diagnostic) bool {
		return d.Rule == "template-link" && strings.Contains(d.Message, mark)
	})
	if reported != broken {
		t.Fatalf("%s: a whole build reports the layout's link to %s: %v, want %v", what, mark, reported, broken)
	}
	if d := diffDiags(want.Diags, got.Diags); d != "" {
		t.Errorf("%s: findings differ from a whole build:\n%s", what, d)
	}
}

// TestLiveLayoutCheckKeptIDs edits the headings of the runbook the layout
// check samples, which a layout links to by fragment from every plain
// page: the sampled plain page is not rendered again, and its last check's
// findings hold only while the runbook has the same ids.
func TestLiveLayoutCheckKeptIDs(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { t.Helper(); return writeAt(t, dir, name, body) }
	write("layouts/page.html", `{{define "main"}}<article class="doc">
<a href="/runbooks/api/restart/#steps">How to restart</a>
{{template "body" .}}
</article>{{end}}
`)
	write("content/index.md", "---\ntitle: Home\n---\nRead the [guide](a-guide.md).\n")
	write("content/a-guide.md", "---\ntitle: Guide\n---\nText.\n")
	restart := write("runbooks/api/restart.md", "---\ntitle: Restart the API\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it.\n")
	live, _ := buildLive(t, dir)
	for i, e := range []struct {
		heading string
		broken  bool
	}{{"Remedy", true}, {"Steps", false}, {"Remedy", true}} {
		write("runbooks/api/restart.md", "---\ntitle: Restart the API\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## "+e.heading+"\n\nRestart it.\n")
		layoutUpdate(t, live, dir, restart, fmt.Sprintf("edit %d (## %s)", i, e.heading), "/runbooks/api/restart/#steps", e.broken)
	}
}

// TestLiveFirstLook checks UpdateFirst: an edit that shows beyond its page
// gets a first look, in which only the edited page's file changed and it
// shows the edit; the next call (Finish, or an Update before it) loads
// the site again and gives a whole build's files and findings. Edits that
// Update does in place, and new pages, get no first look.
func TestLiveFirstLook(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string { t.Helper(); return writeAt(t, dir, name, body) }
	write("content/index.md", "---\ntitle: Home\n---\nRead [the restart](../runbooks/api/restart.md).\n")
	restart := write("runbooks/api/restart.md", "---\ntitle: Restart the API\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it. See [the other](scale.md#steps).\n")
	write("runbooks/api/scale.md", "---\ntitle: Scale the API\nowner: team-api\nservice: api\nlast_reviewed: 2026-10-01\n---\n## Steps\n\nScale it. See [the restart](restart.md).\n")
	write("runbooks/db/vacuum.md", "---\ntitle: Vacuum the database\nowner: team-db\nservice: db\nlast_reviewed: 2026-10-01\n---\n## Steps\n\nVacuum it.\n")
	live, res := buildLive(t, dir)
	if _, err := live.Update(context.Background(), []string{restart}); err != nil {
		t.Fatal(err) // waits for the build's fingerprints
	}
	const own = "/runbooks/api/restart/index.html"
	whole := func(got *build.LiveResult, what string) {
		t.Helper()
		_, want := buildLive(t, dir)
		if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
			t.Errorf("%s: files differ from a whole build:\n%s", what, d)
		}
		if d := diffDiags(want.Diags, got.Diags); d != "" {
			t.Errorf("%s: findings differ from a whole build:\n%s", what, d)
		}
	}

	// A title with an owner (a title alone is taken in place, without a
	// first look): the first look renders the page alone, with the new
	// title; the sidebar and the lists still show the old one until
	// Finish.
	write("runbooks/api/restart.md", "---\ntitle: Restart the API server\nowner: team-platform\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it. See [the other](scale.md#steps).\n")
	before := res.Unpacked()
	first, err := live.UpdateFirst(context.Background(), []string{restart})
	if err != nil {
		t.Fatal(err)
	}
	if !first.First || first.Rendered != 1 {
		t.Fatalf("title edit: First = %v, %d rendered; want a first look of one file", first.First, first.Rendered)
	}
	if !bytes.Contains(first.Unpacked()[own], []byte("<h1")) || !bytes.Contains(first.Unpacked()[own], []byte("Restart the API server</h1>")) {
		t.Errorf("first look: the page does not show its new title:\n%s", first.Unpacked()[own])
	}
	for p, b := range first.Unpacked() {
		if p != own && !bytes.Equal(b, before[p]) {
			t.Errorf("first look: %s changed; only %s should", p, own)
		}
	}
	if list := first.Unpacked()["/runbooks/index.html"]; !bytes.Contains(list, []byte("Restart the API")) || bytes.Contains(list, []byte("Restart the API server")) {
		t.Errorf("first look: the runbooks' list does not show the old title: not a first look")
	}
	done, err := live.Finish(context.Background())
	if err != nil || done == nil {
		t.Fatalf("Finish after a first look: %v, %v", done, err)
	}
	whole(done, "title edit, finished")
	if again, err := live.Finish(context.Background()); again != nil || err != nil {
		t.Errorf("Finish with nothing owed = %v, %v; want nil", again, err)
	}

	// A folder's index that the site renders as a page, given a title
	// and tags: a first look too. The home page, which the site renders
	// with its lists, gets none.
	folder := write("runbooks/api/index.md", "---\ntitle: The API\n---\nThe API's runbooks.\n")
	if _, err := live.Update(context.Background(), []string{folder}); err != nil {
		t.Fatal(err)
	}
	write("runbooks/api/index.md", "---\ntitle: The API service\ntags: [api]\n---\nThe API's runbooks.\n")
	if first, err = live.UpdateFirst(context.Background(), []string{folder}); err != nil || !first.First {
		t.Fatalf("folder index: First = %v, %v; want a first look", first != nil && first.First, err)
	}
	if !bytes.Contains(first.Unpacked()["/runbooks/api/index.html"], []byte("The API service</h1>")) {
		t.Errorf("first look at a folder's index: no new title:\n%s", first.Unpacked()["/runbooks/api/index.html"])
	}
	if got, err := live.Finish(context.Background()); err != nil {
		t.Fatal(err)
	} else {
		whole(got, "folder index, finished")
	}
	home := filepath.Join(dir, "content", "index.md")
	write("content/index.md", "---\ntitle: Home page\n---\nRead [the restart](../runbooks/api/restart.md).\n")
	if got, err := live.UpdateFirst(context.Background(), []string{home}); err != nil || got.First {
		t.Fatalf("home page: First = %v, %v; want no first look", got != nil && got.First, err)
	} else {
		whole(got, "home page")
	}

	// Tags and a review date, not finished: the next Update, of an edit
	// it would do in place, loads the site all the same, with both edits.
	write("runbooks/api/restart.md", "---\ntitle: Restart the API server\nowner: team-api\nservice: api\ntags: [api]\nlast_reviewed: 2026-11-20\n---\n## Steps\n\nRestart it. See [the other](scale.md#steps).\n")
	if first, err = live.UpdateFirst(context.Background(), []string{restart}); err != nil || !first.First {
		t.Fatalf("tags and review date: First = %v, %v; want a first look", first != nil && first.First, err)
	}
	if !bytes.Contains(first.Unpacked()[own], []byte("2026-11-20")) {
		t.Errorf("first look: the page does not show its new review date")
	}
	scale := filepath.Join(dir, "runbooks", "api", "scale.md")
	write("runbooks/api/scale.md", "---\ntitle: Scale the API\nowner: team-api\nservice: api\nlast_reviewed: 2026-10-01\n---\n## Steps\n\nScale it. See [the restart](restart.md#steps).\n")
	got, err := live.Update(context.Background(), []string{scale})
	if err != nil {
		t.Fatal(err)
	}
	if got.First {
		t.Errorf("Update gave a first look")
	}
	whole(got, "an Update after an unfinished first look")

	// A body edit that shows nowhere else (a link's target, not its
	// text) is done in place, not a first look.
	write("runbooks/api/restart.md", "---\ntitle: Restart the API server\nowner: team-api\nservice: api\ntags: [api]\nlast_reviewed: 2026-11-20\n---\n## Steps\n\nRestart it. See [the other](scale.md).\n")
	if got, err = live.UpdateFirst(context.Background(), []string{restart}); err != nil || got.First {
		t.Fatalf("body edit: First = %v, %v; want an update in place", got != nil && got.First, err)
	}
	whole(got, "body edit")

	// A review date alone shows beyond its page (the runbooks' list) but
	// is taken in place all the same, with no first look (retouch).
	write("runbooks/api/restart.md", "---\ntitle: Restart the API server\nowner: team-api\nservice: api\ntags: [api]\nlast_reviewed: 2026-11-21\n---\n## Steps\n\nRestart it. See [the other](scale.md).\n")
	if got, err = live.UpdateFirst(context.Background(), []string{restart}); err != nil || got.First || !got.Retouched {
		t.Fatalf("review date: First = %v, Retouched = %v, %v; want it retouched in place", got != nil && got.First, got != nil && got.Retouched, err)
	}
	if !bytes.Contains(got.Unpacked()[own], []byte("2026-11-21")) || !bytes.Contains(got.Unpacked()["/runbooks/index.html"], []byte("2026-11-21")) {
		t.Errorf("review date retouched: the page or the runbooks' list does not show it")
	}
	whole(got, "review date")

	// A new page is taken in place, with no first look (Reshape): its
	// file, the lists and the sidebars at once; so is its removal.
	other := write("runbooks/api/warm.md", "---\ntitle: Warm the API\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nWarm it, then [scale it](scale.md#steps).\n")
	if got, err = live.UpdateFirst(context.Background(), []string{other}); err != nil || got.First || !got.Retouched {
		t.Fatalf("new page: First = %v, Retouched = %v, %v; want it taken in place", got != nil && got.First, got != nil && got.Retouched, err)
	}
	if !bytes.Contains(got.Unpacked()["/runbooks/index.html"], []byte("Warm the API")) {
		t.Errorf("new page taken in place: the runbooks' list does not show it")
	}
	whole(got, "new page in place")
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	if got, err = live.UpdateFirst(context.Background(), []string{other}); err != nil || got.First || !got.Retouched {
		t.Fatalf("removed page: First = %v, Retouched = %v, %v; want it taken in place", got != nil && got.First, got != nil && got.Retouched, err)
	}
	whole(got, "removed page in place")

	// A new page the site must load for (its aliases name other URLs):
	// its own file first, linked as the site links it; then the rest
	// (the lists, the sidebars).
	fresh := write("runbooks/api/drain.md", "---\ntitle: Drain the API\naliases: [/drain/]\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nDrain it, then [scale it](scale.md#steps).\n")
	const drained = "/runbooks/api/drain/index.html"
	if first, err = live.UpdateFirst(context.Background(), []string{fresh}); err != nil || !first.First {
		t.Fatalf("new page: First = %v, %v; want a first look", first != nil && first.First, err)
	}
	if b := first.Unpacked()[drained]; !bytes.Contains(b, []byte("Drain the API</h1>")) || !bytes.Contains(b, []byte(`href="/runbooks/api/scale/#steps"`)) {
		t.Errorf("first look at a new page: its file is not the page with its link resolved:\n%s", b)
	}
	if bytes.Contains(first.Unpacked()["/runbooks/index.html"], []byte("Drain the API")) {
		t.Errorf("first look at a new page: the runbooks' list already shows it")
	}
	if got, err = live.Finish(context.Background()); err != nil {
		t.Fatal(err)
	}
	whole(got, "new page, finished")

	// A removed page with aliases: its file goes first.
	if err := os.Remove(fresh); err != nil {
		t.Fatal(err)
	}
	if first, err = live.UpdateFirst(context.Background(), []string{fresh}); err != nil || !first.First {
		t.Fatalf("removed page: First = %v, %v; want a first look", first != nil && first.First, err)
	}
	if _, ok := first.Unpacked()[drained]; ok {
		t.Errorf("first look at a removed page: its file is still there")
	}
	if got, err = live.Finish(context.Background()); err != nil {
		t.Fatal(err)
	}
	whole(got, "removed page, finished")

	// Bad input: front matter that does not parse gets a first look of
	// what could be read, and the whole update reports it; a file turned
	// binary gets none. Either way the result is a whole build's.
	for _, bad := range []struct {
		name, text string
		first      bool
	}{
		{"broken front matter", "---\ntitle: [unclosed\nowner: team-api\n---\n## Steps\n\nRestart it.\n", true},
		{"binary file", "---\ntitle: Restart\n---\nRestart \x00 it.\n", false},
		// Mended, it is a page the site no longer has: a new page, taken
		// in place.
		{"mended", "---\ntitle: Restart the API server\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-20\n---\n## Steps\n\nRestart it.\n", false},
	} {
		write("runbooks/api/restart.md", bad.text)
		got, err := live.UpdateFirst(context.Background(), []string{restart})
		if err != nil {
			t.Fatalf("%s: %v", bad.name, err)
		}
		if got.First != bad.first {
			t.Errorf("%s: First = %v, want %v", bad.name, got.First, bad.first)
		}
		if got.First {
			if got, err = live.Finish(context.Background()); err != nil {
				t.Fatalf("%s: %v", bad.name, err)
			}
		}
		whole(got, bad.name)
	}

	// A first look, and the edit undone before the rest came: the site
	// loaded again is as it was before the edit, every fingerprint too,
	// but the file the first look rendered is rendered again (stale).
	undone, err := os.ReadFile(restart)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(strings.Replace(string(undone), "title: Restart the API server", "title: Restart it all", 1), "owner: team-api", "owner: team-undo", 1)
	write("runbooks/api/restart.md", edited)
	if first, err = live.UpdateFirst(context.Background(), []string{restart}); err != nil || !first.First {
		t.Fatalf("an edit to undo: First = %v, %v; want a first look", first != nil && first.First, err)
	}
	if !bytes.Contains(first.Unpacked()[own], []byte("Restart it all</h1>")) {
		t.Errorf("first look at an edit to undo: no new title:\n%s", first.Unpacked()[own])
	}
	write("runbooks/api/restart.md", string(undone))
	if got, err = live.Update(context.Background(), []string{restart}); err != nil {
		t.Fatal(err)
	}
	whole(got, "a first look undone")

	// A file in a folder the site does not read is no page: no first look.
	hidden := write("runbooks/.drafts/later.md", "---\ntitle: Later\n---\nLater.\n")
	if got, err = live.UpdateFirst(context.Background(), []string{hidden}); err != nil || got.First {
		t.Fatalf("file in a dot folder: First = %v, %v; want no first look", got != nil && got.First, err)
	}
	whole(got, "file in a dot folder")
}

// writeAt writes body to the file at name (slash-separated) under dir,
// making its folders, and returns the file's path.
func writeAt(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLiveFirstLookOnCorpus edits real content (three sites of
// ../shared/corpus, copied) as the preview sees it: titles, and in every
// third edit a placeholder and a blaming sentence, on a tenth of the
// pages of each. Each edit goes through UpdateFirst, and Finish when it
// got a first look; then the files and findings must equal a whole
// build's.
func TestLiveFirstLookOnCorpus(t *testing.T) {
	root := golden.CorpusDir(t)
	title := regexp.MustCompile(`(?m)^title: .*$`)
	for _, name := range []string{"postmortems-dfds", "runbooks-kubernetes-mixin", "docs-hugo"} {
		dir, cfg, live, mds := corpusLive(t, root, name)
		firsts, rendered, spliced := 0, 0, 0
		for i := 0; i < len(mds); i += max(1, len(mds)/10) {
			b, err := os.ReadFile(mds[i])
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			if title.MatchString(text) {
				text = title.ReplaceAllString(text, "title: Edited "+filepath.Base(mds[i]))
			} else {
				// A tag, which the site's lists are made of: a load, after
				// a first look (a title alone is taken in place).
				text = "---\ntitle: Edited\ntags: [edited]\n---\n" + text
			}
			if i%3 == 0 {
				text += "\nTODO: somebody should have checked this.\n"
			}
			if err := os.WriteFile(mds[i], []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			got, err := live.UpdateFirst(context.Background(), []string{mds[i]})
			if err == nil && got.First {
				firsts++
				got, err = live.Finish(context.Background())
			}
			if err != nil {
				t.Fatal(err)
			}
			rendered, spliced = rendered+got.Rendered, spliced+got.Spliced
			want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, mds[i])
			if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
				t.Errorf("%s, %s: files differ from a whole build:\n%s", name, rel, d)
			}
			if d := diffDiags(want.Diags, got.Diags); d != "" {
				t.Errorf("%s, %s: findings differ from a whole build:\n%s", name, rel, d)
			}
		}
		t.Logf("%s: %d pages, %d first looks, %d files rendered, %d sidebars replaced in place", name, len(mds), firsts, rendered, spliced)
		if firsts == 0 {
			t.Errorf("%s: no edit got a first look", name)
		}
	}
}

// corpusLive copies the corpus site name from root into a folder of the
// test's, builds it whole into a new Live, and returns the folder, its
// configuration, the Live and its Markdown files in walk order.
func corpusLive(t *testing.T, root, name string) (string, site.Config, *build.Live, []string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, name))); err != nil {
		t.Fatal(err)
	}
	cfg := site.DefaultConfig(dir)
	live := build.NewLive(build.Options{Site: cfg})
	if _, err := live.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	var mds []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			mds = append(mds, p)
		}
		return nil
	})
	return dir, cfg, live, mds
}

// buildLive builds the site in dir whole into a new Live, on
// 2026-11-22.
func buildLive(t *testing.T, dir string) (*build.Live, *build.LiveResult) {
	t.Helper()
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	live := build.NewLive(build.Options{Site: cfg})
	res, err := live.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return live, res
}

// TestLiveHoldsPagesPacked: a Live holds its pages (.html) packed, at a
// fraction of their size, its sitemap and feeds packed too, the search
// index's files as the index packs them, and its other files as they are; an update packs what it renders
// alike, so that an unchanged page is held as the same bytes.
func TestLiveHoldsPagesPacked(t *testing.T) {
	dir := t.TempDir()
	for i := range 12 {
		writeAt(t, dir, fmt.Sprintf("runbooks/api/step-%02d.md", i), fmt.Sprintf("---\ntitle: Step %d of the API runbook\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRun step %d, then check the dashboard.\n", i, i))
	}
	page := writeAt(t, dir, "content/index.md", "---\ntitle: Home\n---\nHello.\n")
	live, res := buildLive(t, dir)
	held, plain, index, xmls := 0, 0, 0, 0
	for p, b := range res.Files {
		got, ok := res.File(p)
		if !ok {
			t.Fatalf("%s does not unpack", p)
		}
		if strings.HasPrefix(p, "/search/") {
			index++
			if bytes.Equal(got, b) || !json.Valid(got) {
				t.Errorf("%s, the search index's, is held as it is, or does not unpack to JSON: %.40q", p, got)
			}
			continue
		}
		if strings.HasSuffix(p, ".xml") {
			xmls++
			if bytes.Equal(got, b) || !bytes.HasPrefix(got, []byte("<?xml")) {
				t.Errorf("%s, generated XML, is held as it is, or does not unpack to XML: %.40q", p, got)
			}
			continue
		}
		if !strings.HasSuffix(p, ".html") {
			if !bytes.Equal(got, b) {
				t.Errorf("%s is not a page, but is held packed", p)
			}
			continue
		}
		held, plain = held+len(b), plain+len(got)
		if !bytes.Contains(got, []byte("</html>")) {
			t.Errorf("%s unpacks to %q, not a page", p, got)
		}
	}
	if held*3 > plain {
		t.Errorf("the pages are held in %d bytes for %d: not packed", held, plain)
	}
	if index == 0 || xmls == 0 {
		t.Errorf("%d files of the search index, %d XML files (sitemap, feed): want some of each", index, xmls)
	}
	before := res.Files
	writeAt(t, dir, "content/index.md", "---\ntitle: Home\n---\nHello again.\n")
	upd, err := live.Update(context.Background(), []string{page})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := upd.File("/index.html"); !bytes.Contains(b, []byte("Hello again.")) {
		t.Errorf("the updated home page unpacks to %q", b)
	}
	if !bytes.Equal(upd.Files["/runbooks/api/step-03/index.html"], before["/runbooks/api/step-03/index.html"]) {
		t.Error("an unchanged page is held as other bytes after an update")
	}
}

// TestLiveIgnoresTemporaryFiles: a page saved the way many tools save
// (written to a temporary file beside it, then renamed over it) is
// updated as an edit of the page alone; the temporary file, reported
// with it and gone, is nothing the site had, and does not make it build
// whole. A file that is gone but was the site's (a picture removed, a
// folder of pages removed) still is a change.
func TestLiveIgnoresTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	rb := writeAt(t, dir, "runbooks/api/restart.md", "---\ntitle: Restart the API\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it.\n")
	writeAt(t, dir, "runbooks/db/failover.md", "---\ntitle: Fail the database over\nowner: team-db\nservice: db\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nFail it over. See [the picture](pic.png).\n")
	pic := writeAt(t, dir, "runbooks/db/pic.png", "not really a picture")
	writeAt(t, dir, "content/index.md", "---\ntitle: Home\n---\nHello.\n")
	live, _ := buildLive(t, dir)
	check := func(what string, changed []string, partial bool) {
		t.Helper()
		got, err := live.Update(context.Background(), changed)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if got.Partial != partial {
			t.Errorf("%s: partial = %v, want %v", what, got.Partial, partial)
		}
		_, want := buildLive(t, dir)
		if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
			t.Errorf("%s: files differ from a whole build:\n%s", what, d)
		}
		if d := diffDiags(want.Diags, got.Diags); d != "" {
			t.Errorf("%s: findings differ from a whole build:\n%s", what, d)
		}
	}
	for i, tmp := range []string{rb + ".tmp", filepath.Join(filepath.Dir(rb), "sedAbC123")} {
		if err := os.WriteFile(tmp, []byte(fmt.Sprintf("---\ntitle: Restart the API, take %d\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n## Steps\n\nRestart it.\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(tmp, rb); err != nil {
			t.Fatal(err)
		}
		check("saved through "+filepath.Base(tmp), []string{rb, tmp}, true)
	}
	if err := os.Remove(pic); err != nil {
		t.Fatal(err)
	}
	check("a picture removed", []string{pic}, false)
	db := filepath.Join(dir, "runbooks", "db")
	if err := os.RemoveAll(db); err != nil {
		t.Fatal(err)
	}
	check("a folder of pages removed", []string{db}, false)
}

// TestLiveSidebarsInPlace edits the title of a decision that the sidebar
// of every page of the log lists: those pages change in their sidebar
// alone, and take the new one in place (Spliced) rather than being
// rendered again, also when their layout writes it twice, unless it
// writes it otherwise (in an attribute): then they are rendered. Either
// way the files, served, are a whole build's.
func TestLiveSidebarsInPlace(t *testing.T) {
	for _, c := range []struct {
		name, layout string
		inPlace      bool // the log's pages take their sidebar in place
	}{
		{"the theme's layouts", "", true},
		{"the sidebar written twice", `{{define "main"}}<div class="again">{{.NavHTML}}</div>{{template "body" .}}{{end}}`, true},
		{"the sidebar in an attribute", `{{define "main"}}<div data-nav="{{.NavHTML}}"></div>{{template "body" .}}{{end}}`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := sitegen.Generate(dir, 300, 7); err != nil {
				t.Fatal(err)
			}
			if c.layout != "" {
				os.MkdirAll(filepath.Join(dir, "layouts"), 0o755)
				if err := os.WriteFile(filepath.Join(dir, "layouts", "adr.html"), []byte(c.layout), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			cfg := site.DefaultConfig(dir)
			cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
			adrs, _ := filepath.Glob(filepath.Join(dir, "content", "adr", "*.md"))
			slices.Sort(adrs)
			if len(adrs) < 10 {
				t.Fatalf("%d decisions generated", len(adrs))
			}
			live := build.NewLive(build.Options{Site: cfg})
			prev, err := live.Build(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			spliced := 0
			for i, title := range []string{"A decision renamed", "Another name", "Aardvark first"} {
				b, err := os.ReadFile(adrs[0])
				if err != nil {
					t.Fatal(err)
				}
				next := regexp.MustCompile(`(?m)^title: .*$`).ReplaceAllString(string(b), "title: "+title)
				if err := os.WriteFile(adrs[0], []byte(next), 0o644); err != nil {
					t.Fatal(err)
				}
				got, err := live.Update(context.Background(), adrs[:1])
				if err != nil {
					t.Fatal(err)
				}
				if s := live.UpdateSearch(context.Background()); s != nil {
					got.Files = s.Files
				}
				want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
					t.Errorf("edit %d: files differ from a whole build:\n%s", i, d)
				}
				if d := diffFiles(builtFiles(t, cfg), withoutSearch(got.Unpacked())); d != "" {
					t.Errorf("edit %d: files differ from handbook build's:\n%s", i, d)
				}
				if d := heldAsChanged(prev, got); d != "" {
					t.Errorf("edit %d: %s", i, d)
				}
				prev = got
				t.Logf("edit %d: %d rendered, %d with a new sidebar", i, got.Rendered, got.Spliced)
				if !c.inPlace && got.Spliced > 0 {
					t.Errorf("edit %d: %d sidebars replaced in place, where the layout writes it otherwise", i, got.Spliced)
				}
				spliced += got.Spliced
			}
			// The log's pages that show the title only in their sidebar
			// (not as a relation, a backlink or in a list): most of them.
			if c.inPlace && spliced < 3*len(adrs)/2 {
				t.Errorf("%d sidebars replaced in place in 3 edits, for a log of %d decisions", spliced, len(adrs))
			}
		})
	}
}

// TestLiveTrace: with Options.Trace set, an update that loads the site
// again, or takes a title in place (retouch), writes one line saying
// where its time went; an edit of a page's text writes none.
func TestLiveTrace(t *testing.T) {
	dir := t.TempDir()
	text := func(title, last string) string {
		return "---\ntitle: " + title + "\nowner: team-api\nservice: api\nlast_reviewed: 2026-11-01\n---\n" +
			strings.Repeat("The API serves every request of the site; when it stops answering, restart it as below, then watch its error rate for ten minutes before closing the incident. ", 4) +
			"\n\n## Steps\n\n" + last + "\n"
	}
	rb := writeAt(t, dir, "runbooks/api/restart.md", text("Restart the API", "Restart it."))
	writeAt(t, dir, "content/index.md", "---\ntitle: Home\n---\nSee [the runbook](../runbooks/api/restart.md).\n")
	var trace bytes.Buffer
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	live := build.NewLive(build.Options{Site: cfg, Trace: &trace})
	if _, err := live.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	update := func(text string) {
		t.Helper()
		if err := os.WriteFile(rb, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := live.Update(context.Background(), []string{rb}); err != nil {
			t.Fatal(err)
		}
	}
	update(text("Restart the API", "Restart it, then check the logs."))
	if trace.Len() != 0 {
		t.Errorf("an edit of a page's text wrote %q", trace.String())
	}
	update(text("Restart the API server", "Restart it, then check the logs."))
	line := regexp.MustCompile(`^retouch: [0-9.]+ ms: patch [0-9.]+ ms, renderer [0-9.]+ ms, findings kept [0-9.]+ ms, fingerprints [0-9.]+ ms, [1-9][0-9]* files rendered and [0-9]+ sidebars replaced in [0-9.]+ ms; rules [0-9.]+ ms beside, [0-9.]+ ms waited for them and the layout check; findings settled [0-9.]+ ms\n$`)
	if !line.MatchString(trace.String()) {
		t.Errorf("a title edit wrote %q", trace.String())
	}
	trace.Reset()
	update(strings.Replace(text("Restart the API server", "Restart it, then check the logs."), "owner: team-api\n", "owner: team-api\ntags: [api]\n", 1))
	line = regexp.MustCompile(`^reload: [0-9.]+ ms: load [0-9.]+ ms, plan [0-9.]+ ms, checks [0-9.]+ ms \(fingerprints [0-9.]+ ms beside them\), findings [0-9.]+ ms, [1-9][0-9]* files rendered and [0-9]+ sidebars replaced in [0-9.]+ ms\n$`)
	if !line.MatchString(trace.String()) {
		t.Errorf("a tags edit wrote %q", trace.String())
	}
}

// TestLiveNamesOnCorpus: on real sites, a page removed, put back, renamed
// and named back, each an update that resolves again only the links that
// looked up a name that changed (site's lookups), gives the files and
// findings of a whole build. The pages are spread over each site.
func TestLiveNamesOnCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("builds three corpus sites whole after every step")
	}
	root := golden.CorpusDir(t)
	for _, name := range []string{"postmortems-dfds", "runbooks-kubernetes-mixin", "docs-hugo"} {
		dir, cfg, live, mds := corpusLive(t, root, name)
		var last *build.LiveResult
		for k := 1; k <= 3; k++ {
			p := mds[k*len(mds)/4]
			body, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			moved := strings.TrimSuffix(p, ".md") + "-moved.md"
			for _, step := range []struct {
				name  string
				do    func() error
				paths []string
			}{
				{"removed", func() error { return os.Remove(p) }, []string{p}},
				{"put back", func() error { return os.WriteFile(p, body, 0o644) }, []string{p}},
				{"renamed", func() error { return os.Rename(p, moved) }, []string{p, moved}},
				{"named back", func() error { return os.Rename(moved, p) }, []string{moved, p}},
			} {
				if err := step.do(); err != nil {
					t.Fatal(err)
				}
				got, err := live.Update(context.Background(), step.paths)
				if err != nil {
					t.Fatal(err)
				}
				want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, p)
				if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
					t.Errorf("%s, %s %s: files differ from a whole build:\n%s", name, rel, step.name, d)
				}
				if d := diffDiags(want.Diags, got.Diags); d != "" {
					t.Errorf("%s, %s %s: findings differ from a whole build:\n%s", name, rel, step.name, d)
				}
				last = got
			}
		}
		// The preview's files, their sidebars filled as they are served,
		// are those handbook build writes: another path than a Live's.
		if d := diffFiles(builtFiles(t, cfg), withoutSearch(last.Unpacked())); d != "" {
			t.Errorf("%s: files after 12 updates differ from handbook build's:\n%s", name, d)
		}
		t.Logf("%s: %d pages, 12 updates", name, len(mds))
	}
}

// TestLiveRetouchOnCorpus changes the status of real decisions (in front
// matter, or in a "- Status:" line of the body as log4brains writes it,
// whose decisions are numbered by the order of their dates), then adds a
// paragraph to each, and checks that each update equals a whole build,
// files and findings; those whose status alone changed are retouched
// (Live.retouch) and the paragraphs patched in place, without loading
// the site again.
func TestLiveRetouchOnCorpus(t *testing.T) {
	root := golden.CorpusDir(t)
	status := regexp.MustCompile(`(?m)^(status: |- Status: )(accepted|on hold|proposed|deprecated)\s*$`)
	for _, name := range []string{"adr-madr", "adr-log4brains"} {
		dir, cfg, live, mds := corpusLive(t, root, name)
		slices.Sort(mds)
		edits, retouched, patchedAll := 0, 0, true
		for _, md := range mds {
			b, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			m := status.FindStringSubmatch(string(b))
			if m == nil {
				continue
			}
			next := "deprecated"
			if m[2] == "deprecated" {
				next = "accepted"
			}
			rel, _ := filepath.Rel(dir, md)
			text := status.ReplaceAllString(string(b), "${1}"+next)
			for step, text := range []string{text, text + "\nOne more paragraph of the decision.\n"} {
				if err := os.WriteFile(md, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
				got, err := live.UpdateFirst(context.Background(), []string{md})
				if err == nil && got.First {
					got, err = live.Finish(context.Background())
				}
				if err != nil {
					t.Fatal(err)
				}
				what := "status " + m[2] + " → " + next
				if step == 0 {
					edits++
					if got.Retouched {
						retouched++
					}
				} else {
					what = "a paragraph"
					if got.First || got.Retouched || got.Rendered > 3 {
						patchedAll = false
						t.Logf("%s: %s: first look %v, retouched %v, %d files rendered", rel, what, got.First, got.Retouched, got.Rendered)
					}
				}
				want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
					t.Errorf("%s: %s: files differ from a whole build:\n%s", rel, what, d)
				}
				if d := diffDiags(want.Diags, got.Diags); d != "" {
					t.Errorf("%s: %s: findings differ from a whole build:\n%s", rel, what, d)
				}
			}
		}
		t.Logf("%s: %d status edits, %d retouched; every paragraph patched in place: %v", name, edits, retouched, patchedAll)
		if edits == 0 || retouched == 0 {
			t.Errorf("%s: %d status edits, %d retouched: want some of each", name, edits, retouched)
		}
	}
}

// TestLiveReshapeOnCorpus retitles, renames, removes and restores pages of
// real handbooks, each update equal to a whole build (files and findings):
// the titles are taken in place (a title written as the page's first
// heading is a body edit), as are most pages renamed or removed.
func TestLiveReshapeOnCorpus(t *testing.T) {
	root := golden.CorpusDir(t)
	heading := regexp.MustCompile(`(?m)^# (.+)$`)
	title := regexp.MustCompile(`(?m)^title: (.+)$`)
	for _, name := range []string{"adr-madr", "postmortems-dfds", "runbooks-prometheus-operator", "docs-hugo", "radar-isis"} {
		dir, cfg, live, mds := corpusLive(t, root, name)
		slices.Sort(mds)
		var picked []string
		for _, md := range mds {
			base := strings.ToLower(filepath.Base(md))
			if base != "readme.md" && base != "index.md" && base != "_index.md" && !strings.Contains(md, "/.") {
				picked = append(picked, md)
			}
		}
		// Three pages spread over the site.
		if len(picked) > 3 {
			picked = []string{picked[0], picked[len(picked)/2], picked[len(picked)-1]}
		}
		edits, inPlace := 0, 0
		check := func(rel, what string, got *build.LiveResult) {
			t.Helper()
			edits++
			if got.Retouched {
				inPlace++
			}
			want, err := build.NewLive(build.Options{Site: cfg}).Build(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if d := diffFiles(withoutSearch(want.Unpacked()), withoutSearch(got.Unpacked())); d != "" {
				t.Errorf("%s: %s: files differ from a whole build:\n%s", rel, what, d)
			}
			if d := diffDiags(want.Diags, got.Diags); d != "" {
				t.Errorf("%s: %s: findings differ from a whole build:\n%s", rel, what, d)
			}
		}
		update := func(paths ...string) *build.LiveResult {
			got, err := live.UpdateFirst(context.Background(), paths)
			if err == nil && got.First {
				got, err = live.Finish(context.Background())
			}
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		for _, md := range picked {
			rel, _ := filepath.Rel(dir, md)
			b, err := os.ReadFile(md)
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			re := title
			if !re.MatchString(text) {
				re = heading
			}
			if re.MatchString(text) {
				retitled := re.ReplaceAllStringFunc(text, func(l string) string { return l + " (retitled)" })
				if err := os.WriteFile(md, []byte(retitled), 0o644); err != nil {
					t.Fatal(err)
				}
				check(rel, "retitled", update(md))
			}
			moved := strings.TrimSuffix(md, ".md") + "-moved.md"
			if err := os.Rename(md, moved); err != nil {
				t.Fatal(err)
			}
			check(rel, "renamed", update(md, moved))
			if err := os.Remove(moved); err != nil {
				t.Fatal(err)
			}
			check(rel, "removed", update(moved))
			if err := os.WriteFile(md, b, 0o644); err != nil {
				t.Fatal(err)
			}
			check(rel, "restored", update(md))
		}
		t.Logf("%s: %d edits, %d taken in place", name, edits, inPlace)
		if edits == 0 || inPlace == 0 {
			t.Errorf("%s: %d edits, %d taken in place: want some of each", name, edits, inPlace)
		}
	}
}
