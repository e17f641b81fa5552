package lint

import (
	"fmt"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// productionService reports the services of the service catalog that run
// in production (Components of lifecycle production that are not
// libraries or documentation) without an owner, without a published
// runbook, or without a way to reach their on-call, at their
// metadata.name.
func productionService(s *site.Site, r *Rule, out *diag.List) {
	cat := s.Catalog()
	if cat == nil {
		return
	}
	withRunbook := map[string]bool{} // by the entity's reference
	for _, g := range s.Services() {
		e := s.ServiceInfo(g.Name)
		if e == nil {
			continue
		}
		for _, p := range g.Pages {
			if p.Kind == page.KindRunbook {
				withRunbook[e.Ref().Key()] = true
				break
			}
		}
	}
	for _, e := range cat.Entities {
		if !e.IsService() || !e.InProduction() {
			continue
		}
		var lacks, fixes []string
		if e.Owner.IsZero() {
			lacks = append(lacks, "no owner")
			fixes = append(fixes, "set spec.owner to the team that runs it")
		}
		if !withRunbook[e.Ref().Key()] {
			lacks = append(lacks, "no runbook")
			fixes = append(fixes, fmt.Sprintf("write a runbook with service: %s", e.Name))
		}
		if len(e.OnCall()) == 0 {
			lacks = append(lacks, "no on-call link")
			fixes = append(fixes, "add a pagerduty.com/service-id or opsgenie.com/team annotation or a link of type on-call")
		}
		if len(lacks) == 0 {
			continue
		}
		out.Add(e.Pos, r.Severity, r.ID, "production service %s has %s; %s", e.Name, andList(lacks), andList(fixes))
	}
}

// andList joins "a", "b" and "c" as "a, b and c".
func andList(xs []string) string {
	if len(xs) < 2 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}
