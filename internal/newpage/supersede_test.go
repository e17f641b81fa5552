package newpage

import (
	"strings"
	"testing"
)

func TestSupersede(t *testing.T) {
	by := ADRRef{Number: 8, ID: "ADR-0008", Title: "Use [Kafka]", Link: "0008-use-kafka.md"}
	for _, tc := range []struct {
		name, in, want, note string
	}{
		{
			name: "front matter",
			in:   "---\ntitle: Use queues\nstatus: accepted   # since March\ndate: 2024-03-05\n---\n\n## Context\n\nText.\n",
			want: "---\ntitle: Use queues\nstatus: superseded   # since March\nsuperseded_by: ADR-0008\ndate: 2024-03-05\n---\n\n## Context\n\nText.\n",
		},
		{
			name: "quoted, CRLF",
			in:   "---\r\ntitle: Use queues\r\nStatus: \"Accepted\"\r\n---\r\nText.\r\n",
			want: "---\r\ntitle: Use queues\r\nStatus: superseded\r\nsuperseded_by: ADR-0008\r\n---\r\nText.\r\n",
		},
		{
			name: "names a successor already",
			in:   "---\nsuperseded_by: ADR-0007\nstatus: 'deprecated'\n---\n## Context\n",
			want: "---\nsuperseded_by: ADR-0007\nstatus: superseded\n---\n## Context\n",
			note: "it names superseded_by: already; add ADR-0008 to it",
		},
		{
			name: "adr-tools section",
			in:   "# 1. Use queues\n\nDate: 2024-03-05\n\n## Status\n\nAccepted\n\n## Context\n\nText.\n",
			want: "# 1. Use queues\n\nDate: 2024-03-05\n\n## Status\n\nSuperseded by [8. Use \\[Kafka\\]](0008-use-kafka.md)\n\n## Context\n\nText.\n",
		},
		{
			name: "bullet",
			in:   "# Use queues\n\n* Status: accepted\n* Date: 2024-03-05\n\n## Context and Problem Statement\n\nText.\n",
			want: "# Use queues\n\n* Status: superseded by [ADR-0008](0008-use-kafka.md)\n* Date: 2024-03-05\n\n## Context and Problem Statement\n\nText.\n",
		},
		{
			name: "bold line",
			in:   "# Use queues\n\n**Status:** Accepted ✅\n\n## Context\n\nText.\n## Decision\n\nQueues.\n",
			want: "# Use queues\n\n**Status:** Superseded by [ADR-0008](0008-use-kafka.md)\n\n## Context\n\nText.\n## Decision\n\nQueues.\n",
		},
		{
			name: "no status, front matter",
			in:   "---\ntitle: Use queues\n---\n\n## Context and Problem Statement\n\n## Considered Options\n\n## Decision Outcome\n\nChosen option: queues.\n",
			want: "---\ntitle: Use queues\nstatus: superseded\nsuperseded_by: ADR-0008\n---\n\n## Context and Problem Statement\n\n## Considered Options\n\n## Decision Outcome\n\nChosen option: queues.\n",
		},
		{
			name: "no status, no front matter",
			in:   "# Use queues\n\n## Context and Problem Statement\n\n## Considered Options\n",
			want: "---\nstatus: superseded\nsuperseded_by: ADR-0008\n---\n# Use queues\n\n## Context and Problem Statement\n\n## Considered Options\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, note, err := Supersede("adr/0001-use-queues.md", []byte(tc.in), by)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			if note != tc.note {
				t.Errorf("note %q, want %q", note, tc.note)
			}
		})
	}
}

func TestSupersedeRefuses(t *testing.T) {
	by := ADRRef{Number: 8, ID: "ADR-0008", Link: "0008-x.md"}
	for _, in := range []string{
		"---\nstatus: >\n  accepted\n---\n## Context\n",
		"---\nkind: page\n---\nText.\n",
	} {
		if out, _, err := Supersede("adr/0001-x.md", []byte(in), by); err == nil {
			t.Errorf("Supersede(%q) = %q, want an error", in, out)
		} else if !strings.Contains(err.Error(), "adr/0001-x.md") {
			t.Errorf("Supersede(%q): %v does not name the file", in, err)
		}
	}
}
