package render

import (
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

// TestRadarDialects renders a radar written for AOE's tool, in release
// folders with its quadrant names and no handbook.yaml: every item is one
// blip, in a quadrant named as written, and an item of two releases is
// marked as moved.
func TestRadarDialects(t *testing.T) {
	a := txtar.Parse([]byte(`
-- content/radar/2017-03-01/akka.md --
---
title: Akka
ring: trial
quadrant: languages-and-frameworks
---
Actors.
-- content/radar/2024-06-01/akka.md --
---
title: Akka
ring: Hold
quadrant: languages-and-frameworks
---
The licence changed.
-- content/radar/2024-06-01/tdd.md --
---
title: TDD
ring: ADOPT
quadrant: methods-and-patterns
---
Tests first.
-- content/radar/2024-06-01/k8s.md --
---
title: Kubernetes
ring: adopt
quadrant: platforms-and-operations
---
Everything runs on it.
-- content/radar/2024-06-01/jq.md --
---
title: jq
ring: hold on
quadrant: tools
---
Replaced by yq.
`))
	out, diags := renderArchive(t, a, nil)
	if diags != "" {
		t.Errorf("findings:\n%s", diags)
	}
	html := out["/radar/index.html"]
	if n := strings.Count(html, `class="hb-blip`); n != 4 {
		t.Errorf("%d blips on /radar/, want 4", n)
	}
	for _, want := range []string{
		"4 blips in 4 quadrants (languages-and-frameworks, tools, platforms-and-operations, methods-and-patterns)",
		"Languages and", "Methods and patterns",
		"Akka (Hold, moved out)",
		"<td>methods-and-patterns</td>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("/radar/ lacks %q", want)
		}
	}
	if _, ok := out["/radar/2017-03-01/akka/index.html"]; !ok {
		t.Error("no redirect at the older release's URL")
	} else if !strings.Contains(out["/radar/2017-03-01/akka/index.html"], `url=/radar/2024-06-01/akka/`) {
		t.Errorf("the older release's URL does not redirect: %s", out["/radar/2017-03-01/akka/index.html"])
	}
}
