package build_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/handbook-dev/handbook/internal/build"
	"github.com/handbook-dev/handbook/internal/manifest"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// manyRepos is a handbook from three repositories: the site's own
// (content/), payments and platform, each a folder here. Payments' pages
// point into platform and the site in every way a page can, and some of
// those ways are broken.
const manyRepos = `
-- site/content/index.md --
---
title: Acme handbook
---
Start with [[Database failover]] or [[Deploy a service]].
-- site/content/docs/guide.md --
---
title: Guide
aliases: [/old/guide/]
---
## Reading

Read the [payments runbook](/runbooks/payments/db-failover/#mitigation).
-- site/static/logo.svg --
<svg/>
-- payments/docs/runbooks/db-failover.md --
---
title: Database failover
service: payments
owner: payments-team
last_reviewed: 2026-11-01
escalation: payments on-call
related: [Deploy a service, runbook:no-such-runbook]
---
Works: [deploy](/runbooks/platform/deploy/), [mitigation](/runbooks/platform/deploy/#mitigation),
[file](../platform/deploy.md#mitigation), [ADRs](/adr/platform/), [guide](/docs/guide.md),
[old guide](/old/guide/), [[Guide#reading]], [[runbook:deploy]], [[Use Kubernetes]], [[adr-3]],
![diagram](/runbooks/platform/diagram.svg), ![logo](/logo.svg), [cased](/runbooks/platform/deploy/#Mitigation),
[folder](/Runbooks/Platform/Deploy/), [[deploy-a-service]], [own](db-failover.md#overview).
Broken: [anchor](/runbooks/platform/deploy/#no-such-heading), [gone](/runbooks/platform/gone/).
Broken: [gone file](../platform/gone.md), [[No such page]], [[Deploy a service#nowhere]].
Broken: [image](/runbooks/platform/nope.svg), [outside](../../../README.md), [above](../../../../x.md).
Ambiguous: [[Use Postgres]]. Draft: [work in progress](/runbooks/platform/wip/).
Superseded: [[ADR-0001]].

## Overview

Fine.

## Verification

Check the primary.

## Mitigation

Promote the replica.
-- payments/docs/adr/0001-use-postgres.md --
---
title: Use Postgres
status: superseded
date: 2026-01-10
---
## Context

We need a database; see [[ADR-0002]], which is platform's.
-- payments/docs/adr/0005-old-queue.md --
---
title: Old queue
status: accepted
date: 2026-01-10
---
## Context

Nothing links here but platform.
-- payments/README.md --
# Payments
-- platform/docs/adr/0001-use-kubernetes.md --
---
title: Use Kubernetes
status: accepted
date: 2026-01-12
---
## Context

We need a scheduler.
-- platform/docs/adr/0002-use-cockroach.md --
---
title: Use CockroachDB
status: accepted
date: 2026-01-12
supersedes: [/adr/payments/0001-use-postgres/]
---
## Context

Supersedes [[Old queue]] in spirit.
-- platform/docs/adr/0004-use-postgres.md --
---
title: Use Postgres
status: proposed
date: 2026-01-14
---
## Context

Platform's own Postgres.
-- platform/docs/adr/0003-k8s-again.md --
---
title: K8s again
status: accepted
date: 2026-01-13
---
## Context

Again.
-- platform/docs/runbooks/deploy.md --
---
title: Deploy a service
service: platform
owner: platform-team
last_reviewed: 2026-11-01
escalation: platform on-call
---
## Overview

Deploys can break the [payments failover](/runbooks/payments/db-failover/).

## Verification

Check the rollout.

## Mitigation

Roll back.
-- platform/docs/runbooks/diagram.svg --
<svg/>
-- platform/docs/runbooks/wip.md --
---
title: Work in progress
service: platform
owner: platform-team
last_reviewed: 2026-11-01
escalation: platform on-call
draft: true
---
## Overview

Not done.
`

// repoRoots are the folders the handbook takes from each repository.
var repoRoots = map[string][]site.Root{
	"payments": {
		{Dir: "docs/runbooks", Mount: "/runbooks/payments/", Kind: page.KindRunbook},
		{Dir: "docs/adr", Mount: "/adr/payments/"},
	},
	"platform": {
		{Dir: "docs/runbooks", Mount: "/runbooks/platform/", Kind: page.KindRunbook},
		{Dir: "docs/adr", Mount: "/adr/platform/"},
	},
}

// TestPartMatchesWhole builds the handbook whole, as a build with sources
// does, then checks payments alone against the whole build's manifest, as
// check --site does, and finds: the same findings in payments' files, the
// same destination for every link and reference of payments' pages, and
// the same backlinks and supersession on them.
func TestPartMatchesWhole(t *testing.T) {
	dir := t.TempDir()
	for _, f := range txtar.Parse([]byte(manyRepos)).Files {
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()

	// The whole handbook: the site's own root and each repository's
	// folders, as gathering the sources makes them.
	whole := site.DefaultConfig(filepath.Join(dir, "site"))
	whole.Now = now
	whole.BaseURL = "https://handbook.example.com/hb/"
	for _, name := range []string{"payments", "platform"} {
		for _, r := range repoRoots[name] {
			r.RepoPath, r.Source = r.Dir, name
			r.Dir = filepath.Join(dir, name, r.Dir)
			whole.Roots = append(whole.Roots, r)
		}
	}
	full, err := build.Run(ctx, build.Options{Site: whole, Sources: []manifest.Source{{Name: "payments", Ref: "main", Commit: "c0ffee"}}})
	if err != nil {
		t.Fatal(err)
	}
	data := full.Output["/manifest.json"]
	if data == nil {
		t.Fatal("the build wrote no manifest.json")
	}
	m, err := manifest.Parse("manifest.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if src := m.Source("payments"); src == nil || src.Commit != "c0ffee" || src.Ref != "main" || len(src.Roots) != 2 {
		t.Errorf("payments in the manifest: %+v", src)
	}
	if !slices.Contains(m.Files, "/logo.svg") || !slices.Contains(m.Files, "/runbooks/platform/diagram.svg") {
		t.Errorf("files: %v", m.Files)
	}

	// Payments alone: its own folders, the rest from the manifest.
	part := site.DefaultConfig(filepath.Join(dir, "payments"))
	part.Now = now
	part.Roots = m.SiteRoots("payments")
	part.BaseURL = m.BaseURL
	part.Remote = m.Remote("payments")
	res, err := build.Run(ctx, build.Options{Site: part, Skip: build.Render | build.Search})
	if err != nil {
		t.Fatal(err)
	}

	ofPayments := func(r *build.Result) []string {
		var out []string
		for _, d := range r.Diags {
			if strings.HasPrefix(d.Pos.File, "payments:") {
				out = append(out, d.String())
			}
		}
		return out
	}
	want, got := ofPayments(full), ofPayments(res)
	if !slices.Equal(got, want) {
		t.Errorf("findings of payments alone:\n%s\n\nof the whole build:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if testing.Verbose() {
		t.Logf("findings:\n%s", strings.Join(want, "\n"))
	}
	if len(got) != len(res.Diags) {
		t.Errorf("payments alone reports findings elsewhere: %v", res.Diags)
	}
	// Every kind of cross-repository problem is among them.
	for _, rule := range []string{"broken-link", "broken-anchor", "broken-reference", "ambiguous-reference", "link-to-draft", "anchor-case", "link-to-superseded"} {
		if !slices.ContainsFunc(want, func(s string) bool { return strings.Contains(s, " "+rule+": ") }) {
			t.Errorf("the fixture has no %s finding in payments", rule)
		}
	}

	// The same links, rewritten the same way; the same pages around.
	for _, p := range res.Site.Pages {
		q := full.Site.PageAt(p.URL)
		if q == nil {
			t.Errorf("%s is not in the whole build", p.URL)
			continue
		}
		if a, b := linkTargets(p), linkTargets(q); !slices.Equal(a, b) {
			t.Errorf("%s: links alone:\n%s\nwhole:\n%s", p.URL, strings.Join(a, "\n"), strings.Join(b, "\n"))
		}
		for what, lists := range map[string][2][]*site.Page{
			"backlinks":     {p.Backlinks, q.Backlinks},
			"outgoing":      {p.Outgoing, q.Outgoing},
			"supersedes":    {p.Supersedes, q.Supersedes},
			"superseded by": {p.SupersededBy, q.SupersededBy},
		} {
			if a, b := pageURLs(lists[0]), pageURLs(lists[1]); !slices.Equal(a, b) {
				t.Errorf("%s: %s alone %v, whole %v", p.URL, what, a, b)
			}
		}
	}
	if len(res.Site.Pages) != 3 {
		t.Errorf("payments alone has %d pages, want its 3", len(res.Site.Pages))
	}
}

func linkTargets(p *site.Page) []string {
	var out []string
	for _, l := range p.Doc.Links {
		out = append(out, l.Dest+" → "+l.Target())
	}
	for _, r := range p.Doc.Refs {
		out = append(out, r.Target+" → "+r.URL+" "+r.Title)
	}
	return out
}

func pageURLs(ps []*site.Page) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.URL)
	}
	return out
}
