package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// TestCheckResultCache: a check whose inputs did not change answers from
// the result cache, and after every kind of change that could change a
// finding it checks again and reports what a check without any cache
// reports.
func TestCheckResultCache(t *testing.T) {
	dir := t.TempDir()
	past := time.Now().Add(-time.Hour)
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		// Long before the check: not within the second a stamp distrusts.
		if err := os.Chtimes(p, past, past); err != nil {
			t.Fatal(err)
		}
		past = past.Add(time.Second)
	}
	write("handbook.yaml", "title: Cached\n")
	write("content/index.md", "# Home\n\nSee [a](a.md), [the tool](../tools/tool.md), [logo](/logo.png) and [b](b.md).\n")
	write("content/a.md", "---\ntitle: A\n---\n\nBack [home](index.md#home) and [c](c.md).\n")
	write("content/guide/intro.md", "# Intro\n\n### Skipped a level\n")
	write("runbooks/db/failover.md", "---\ntitle: Failover\nservice: db\nowner: dba\nlast_reviewed: 2024-01-10\n---\n\n## Overview\n\nx\n")
	epoch := time.Date(2024, 8, 1, 12, 0, 0, 0, time.UTC)
	t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(epoch.Unix(), 10))

	result := filepath.Join(dir, filepath.FromSlash(checkCache), checkResultFile)
	check := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		run(context.Background(), append([]string{"-C", dir, "check", "--format", "json"}, args...), &out, &errb)
		return out.String()
	}
	// step checks once more and says whether the result cache answered.
	step := func(name string, wantHit bool) {
		t.Helper()
		before, err := os.Stat(result)
		if err != nil {
			t.Fatalf("%s: no result cache: %v", name, err)
		}
		got := check()
		after, err := os.Stat(result)
		if err != nil {
			t.Fatalf("%s: result cache gone: %v", name, err)
		}
		if hit := os.SameFile(before, after); hit != wantHit {
			t.Errorf("%s: answered from the cache: %v, want %v", name, hit, wantHit)
		}
		if want := check("--no-cache"); got != want {
			t.Errorf("%s: findings differ from a check without cache:\ngot:\n%s\nwant:\n%s", name, got, want)
		}
	}
	first := check()
	if want := check("--no-cache"); first != want {
		t.Fatalf("first check differs from one without cache:\ngot:\n%s\nwant:\n%s", first, want)
	}
	step("nothing changed", true)

	now := time.Now()
	if err := os.Chtimes(filepath.Join(dir, "content/a.md"), now.Add(-time.Minute), now.Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	step("a page touched, its content the same", true) // and hashed
	step("again", true)

	steps := []struct {
		name string
		edit func()
	}{
		{"a link changed, the size the same", func() {
			write("content/a.md", "---\ntitle: A\n---\n\nBack [home](index.md#hone) and [c](c.md).\n")
		}},
		{"the page a link names created", func() { write("content/c.md", "# C\n") }},
		{"a file outside the roots a link names created", func() { write("tools/tool.md", "# Tool\n") }},
		{"a static file a link names created", func() { write("static/logo.png", "png") }},
		{"a page deleted", func() {
			if err := os.Remove(filepath.Join(dir, "content/guide/intro.md")); err != nil {
				t.Fatal(err)
			}
		}},
		{"the configuration changed", func() { write("handbook.yaml", "title: Cached\nrules:\n  broken-link: warning\n") }},
		{"a layout added", func() {
			write("layouts/page.html", `{{define "main"}}<article><a href="/nowhere/">x</a>{{template "body" .}}</article>{{end}}`)
		}},
		{"a catalog file added", func() {
			write("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: db\nspec:\n  owner: dba\n")
		}},
	}
	for _, s := range steps {
		s.edit()
		step(s.name, false)
		step(s.name+", then nothing", true)
	}

	// The clock: within the day the findings hold; a day later the
	// runbook is a day staler.
	t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(epoch.Add(time.Hour).Unix(), 10))
	step("an hour later", true)
	t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(epoch.Add(24*time.Hour).Unix(), 10))
	step("a day later", false)
	t.Setenv("SOURCE_DATE_EPOCH", strconv.FormatInt(epoch.Add(-48*time.Hour).Unix(), 10))
	step("a clock set back", false)
}
