package build_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/site"
)

// leakFixture is a handbook whose internal pages carry a marker ("zqx…")
// in every field, in their file names, bodies, headings, code and files,
// and whose public pages point at them in every way a page can: links
// (relative, site path, with anchors, images), short references by
// name, title and kind, front-matter relations, and shared tags, services
// and owners. Public pages also carry markers in fields the public profile
// keeps internal.
var leakFixture = map[string]string{
	"handbook.yaml": "title: Example handbook\nbase_url: https://handbook.example.com/\nprofiles:\n  public:\n    base_url: https://blog.example.com/\n    title: Example engineering blog\n",

	// Public pages.
	"content/posts/2026-10-01-hello.md": `---
title: Hello from the platform team
date: 2026-10-01
visibility: public
authors: [Public Author]
tags: [reliability, sharedtag]
services: [payments]
owner: zqxpublicowner
related: [zqxfilerunbook]
slack: "#zqxpublicslack"
---
We write about how we run things. This post links to
[our runbook](../../runbooks/payments/zqxfilerunbook.md), to
[a section of it](../../runbooks/payments/zqxfilerunbook.md#zqxheadingid), to
[the decision](/adr/0099-zqxadrslug/) and to [[zqxrefbytitle title]], [[runbook:zqxfilerunbook]]
and [[ADR-0099|the decision record]]. It shows ![a diagram](diagram.svg).

## What we learned

Short references to public pages still work: [[Payments outage]].
`,
	"content/postmortems/2026-09-payments-outage.md": `---
title: Payments outage
date: 2026-09-12
severity: SEV-2
status: reviewed
visibility: public
services: [payments]
owner: zqxpmowner
responders: [zqxresponder]
impact_start: 2026-09-12T10:00:00Z
detected_at: 2026-09-12T10:07:00Z
mitigated_at: 2026-09-12T10:45:00Z
resolved_at: 2026-09-12T11:30:00Z
runbooks: [zqxfilerunbook]
adrs: [ADR-0099]
tags: [sharedtag]
---
## Summary

Card payments failed for 45 minutes. See the [internal review](../internal/zqxinternalpage.md).

## Impact

About 3% of checkouts failed.

## Timeline

- 10:00 deploy of the payment gateway
- 10:07 alert fired
- 10:45 rolled back
- 11:30 resolved

## Root cause

A configuration change.

## Detection

An alert on the error rate.

## Resolution

Rolled back.

## Action items

- Add a canary, owner @platform, PAY-12

## Lessons

Canaries help.
`,
	// A public postmortem not yet reviewed: left out, like internal pages.
	"content/postmortems/2026-10-zqxunreviewed.md": `---
title: zqxunreviewedtitle
date: 2026-10-20
severity: SEV-3
status: draft
visibility: public
services: [payments]
---
## Summary

zqxunreviewedbody
`,

	// Internal pages.
	"runbooks/payments/zqxfilerunbook.md": `---
title: zqxrunbooktitle
description: zqxrunbookdescription
service: payments
owner: zqxrunbookowner
last_reviewed: 2026-11-01
escalation: zqxescalation
tags: [sharedtag, zqxrunbooktag]
aliases: [/zqxrunbookalias/]
---
## Overview {#zqxheadingid}

zqxrunbookbody

` + "```sh\nkubectl zqxcodeword\n```\n",
	"content/adr/0099-zqxadrslug.md": `---
title: zqxadrtitle
status: accepted
date: 2026-08-01
tags: [zqxadrtag]
---
## Context

zqxadrbody
`,
	"content/internal/zqxinternalpage.md": `---
title: zqxrefbytitle title
owner: zqxinternalowner
services: [zqxinternalservice]
---
zqxinternalbody. See [[Payments outage]] and ![the internal diagram](zqxdiagram.svg).
`,
	"content/internal/zqxdiagram.svg": `<svg xmlns="http://www.w3.org/2000/svg"><text>zqxsvgtext</text></svg>`,
	"content/posts/diagram.svg":       `<svg xmlns="http://www.w3.org/2000/svg"><text>a public diagram</text></svg>`,
	"content/evaluations/zqxtool.md": `---
title: zqxtooltitle
ring: adopt
quadrant: tools
date: 2026-07-01
---
zqxevaluationbody
`,
}

// TestPublicProfileLeaksNothing builds the public profile of leakFixture
// and looks for every marker in every file of the output, names included:
// nothing of an internal page, nor an internal field of a public page,
// may be written anywhere, search index, feed and sitemap included.
func TestPublicProfileLeaksNothing(t *testing.T) {
	out, res := buildPublic(t)

	marker := regexp.MustCompile(`(?i)zqx[a-z]*`)
	var files []string
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if m := marker.FindString(rel); m != "" {
			t.Errorf("file name %s holds %s", rel, m)
		}
		if d.IsDir() {
			return nil
		}
		files = append(files, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range marker.FindAllIndex(b, -1) {
			from, to := max(m[0]-60, 0), min(m[1]+60, len(b))
			t.Errorf("%s holds %s: …%s…", rel, b[m[0]:m[1]], b[from:to])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// The public pages are there, with what they may show.
	for _, want := range []string{"posts/diagram.svg", "posts/2026-10-01-hello/index.html", "postmortems/2026-09-payments-outage/index.html", "feed.xml", "sitemap.xml", "robots.txt", "search/entry.json", "manifest.json"} {
		if !slices.Contains(files, filepath.FromSlash(want)) {
			t.Errorf("no %s in the output: %v", want, files)
		}
	}
	post, _ := os.ReadFile(filepath.Join(out, "posts", "2026-10-01-hello", "index.html"))
	for _, want := range []string{"our runbook", "a section of it", "the decision", "the decision record", "an internal page", "Public Author", `href="/postmortems/2026-09-payments-outage/"`, `src="/posts/diagram.svg"`} {
		if !strings.Contains(string(post), want) {
			t.Errorf("the post lost %q", want)
		}
	}
	// Every way of pointing at a page left out is reported.
	var leftOut []string
	for _, d := range res.Diags {
		if d.Rule == "public-internal-link" {
			leftOut = append(leftOut, d.Pos.String())
		}
	}
	want := []string{
		"content/postmortems/2026-09-payments-outage.md:14:12", // runbooks:
		"content/postmortems/2026-09-payments-outage.md:15:8",  // adrs:
		"content/postmortems/2026-09-payments-outage.md:20:46", // a link
		"content/posts/2026-10-01-hello.md:9:11",               // related:
		"content/posts/2026-10-01-hello.md:13:1",               // a link
		"content/posts/2026-10-01-hello.md:14:1",               // with an anchor
		"content/posts/2026-10-01-hello.md:15:1",               // a site path
		"content/posts/2026-10-01-hello.md:15:46",              // [[by title]]
		"content/posts/2026-10-01-hello.md:15:71",              // [[runbook:name]]
		"content/posts/2026-10-01-hello.md:16:5",               // [[ADR-0099|label]]
	}
	if !slices.Equal(leftOut, want) {
		t.Errorf("public-internal-link findings:\n%s\nwant\n%s\nall findings:\n%v", strings.Join(leftOut, "\n"), strings.Join(want, "\n"), res.Diags)
	}
}

// buildPublic writes leakFixture and builds its public profile, returning
// the output folder and the result.
func buildPublic(t *testing.T) (string, *build.Result) {
	t.Helper()
	dir := t.TempDir()
	writeTree(t, dir, leakFixture)
	cfg := site.DefaultConfig(dir)
	cfg.Now = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	cfg.BaseURL = "https://blog.example.com/"
	cfg.Title = "Example engineering blog"
	if !cfg.SelectProfile("public") {
		t.Fatal("no public profile")
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := build.Run(context.Background(), build.Options{Site: cfg, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	return out, res
}
