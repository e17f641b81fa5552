package site

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const catalogTop = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments
  title: Payments API
  annotations:
    pagerduty.com/service-id: PX1234
spec:
  type: service
  lifecycle: production
  owner: group:payments-team
  system: checkout
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: payments-team
spec:
  type: team
  profile:
    displayName: Payments Team
    email: payments@example.com
  children: []
`

const catalogNested = `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: ledger
spec:
  type: service
  lifecycle: experimental
  owner: payments-team
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: money-lib
spec:
  type: library
  owner: payments-team
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: fraud
spec:
  type: service
  owner: user:jane
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: [oops
`

// TestCatalog loads a site with a catalog file at its top and one beside
// its pages: services and owners are matched to the pages' by name or
// title, the catalog's other services and their owners get pages, the
// catalog files are not copied, and problems are positioned.
func TestCatalog(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"catalog-info.yaml":                   catalogTop,
		"content/index.md":                    "# Home\n",
		"content/team/catalog-info.yaml":      catalogNested,
		"content/team/logo.png":               "png",
		"runbooks/payments-db.md":             "---\ntitle: Payments DB\nservice: Payments API\nowner: payments-team\nlast_reviewed: 2026-11-01\n---\n## Overview\n",
		"content/.backstage/catalog-info.yml": "not read: inside a dot folder of a root\n",
	})
	s := load(t, dir)

	var catalogDiags []string
	for _, d := range s.Diags {
		if d.Rule == "catalog" {
			catalogDiags = append(catalogDiags, d.String())
		}
	}
	if want := []string{"content/team/catalog-info.yaml:28:1: warning catalog: catalog entity is not valid YAML: did not find expected ',' or ']'; it is ignored"}; !slices.Equal(catalogDiags, want) {
		t.Errorf("catalog findings = %q, want %q", catalogDiags, want)
	}
	for _, f := range s.Files {
		if isCatalogFile(filepath.Base(f.Source)) {
			t.Errorf("catalog file copied: %s", f.URL)
		}
	}
	if len(s.Files) != 1 || s.Files[0].URL != "/team/logo.png" {
		t.Errorf("files = %+v", s.Files)
	}

	// The page names the service by the component's title.
	e := s.ServiceInfo("Payments API")
	if e == nil || e.Name != "payments" || e.Lifecycle != "production" || e.System.Name != "checkout" || e.Pos.String() != "catalog-info.yaml:4:9" {
		t.Fatalf("ServiceInfo(Payments API) = %+v", e)
	}
	if s.ServiceInfo("payments") != e || s.ServiceInfo("nothing") != nil {
		t.Errorf("ServiceInfo by name differs")
	}
	if u := s.ServiceURL(e); u != "/services/payments-api/" {
		t.Errorf("ServiceURL(payments) = %q, want the page's service", u)
	}
	o := s.OwnerInfo("payments-team")
	if o == nil || o.DisplayName() != "Payments Team" || o.Profile.Email != "payments@example.com" {
		t.Fatalf("OwnerInfo = %+v", o)
	}
	if s.OwnerInfo("Payments Team") != o {
		t.Errorf("OwnerInfo by display name differs")
	}
	if got, want := s.CatalogServices(), []string{"fraud", "ledger"}; !slices.Equal(got, want) {
		t.Errorf("CatalogServices = %q, want %q (libraries have no service page)", got, want)
	}
	var owned []string
	for _, e := range s.OwnedServices("payments-team") {
		owned = append(owned, e.Name)
	}
	if want := []string{"ledger", "payments"}; !slices.Equal(owned, want) {
		t.Errorf("OwnedServices = %q, want %q", owned, want)
	}
	if got, want := s.CatalogOwners(), []string{"jane"}; !slices.Equal(got, want) {
		t.Errorf("CatalogOwners = %q, want %q (payments-team has pages)", got, want)
	}

	// With a profile, the catalog is left out.
	cfg := DefaultConfig(dir)
	cfg.SelectProfile("public")
	ps := loadConfig(t, cfg)
	if ps.Catalog() != nil || ps.ServiceInfo("payments") != nil || ps.CatalogServices() != nil || ps.OwnerInfo("payments-team") != nil {
		t.Errorf("a profile's site shows the catalog")
	}
}

// TestCatalogSource reads the catalog file at the top of a source's
// repository, and names the source on its entities.
func TestCatalogSource(t *testing.T) {
	dir := t.TempDir()
	repo := filepath.Join(t.TempDir(), "payments")
	write(t, dir, map[string]string{"content/index.md": "# Home\n"})
	write(t, repo, map[string]string{
		"catalog-info.yaml":     strings.Replace(catalogTop, "  name: payments\n", "  name: payments\n  links: [{url: 'https://grafana.example.com/d/1', title: Dashboard}]\n", 1),
		"docs/runbooks/db.md":   "---\ntitle: DB\nservice: payments\nowner: payments-team\nlast_reviewed: 2026-11-01\n---\n## Overview\n",
		"docs/runbooks/bad.yml": "not a catalog file\n",
	})
	cfg := DefaultConfig(dir)
	cfg.Roots = append(cfg.Roots, Root{Dir: filepath.Join(repo, "docs", "runbooks"), Mount: "/runbooks/payments/", Kind: "runbook", Source: "payments", RepoPath: "docs/runbooks", Repo: "https://github.com/acme/payments"})
	s := loadConfig(t, cfg)
	e := s.ServiceInfo("payments")
	if e == nil || e.Source != "payments" || e.Pos.String() != "payments:catalog-info.yaml:4:9" || len(e.Links) != 1 {
		t.Fatalf("ServiceInfo = %+v", e)
	}
	if got := s.SourceRepo("payments"); got != "https://github.com/acme/payments" {
		t.Errorf("SourceRepo = %q", got)
	}
	if len(s.CatalogServices()) != 0 {
		t.Errorf("CatalogServices = %q, want none: the runbook names payments", s.CatalogServices())
	}
}

// TestCatalogNone: a site without catalog files has no catalog.
func TestCatalogNone(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"content/index.md": "# Home\n", "content/a.yaml": "x: 1\n"})
	s := load(t, dir)
	if s.catalog != nil || s.Catalog() != nil || s.CatalogServices() != nil || s.CatalogOwners() != nil || s.ServiceURL(nil) != "" {
		t.Errorf("catalog found where there is none")
	}
	if len(s.Files) != 1 {
		t.Errorf("files = %+v", s.Files)
	}
	if _, err := os.Stat(filepath.Join(dir, "catalog-info.yaml")); err == nil {
		t.Fatal("unexpected file")
	}
}
