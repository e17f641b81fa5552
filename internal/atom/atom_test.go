package atom

import "testing"

// TestCheckCatches: the validator finds what it should, so that the
// feed test can fail.
func TestCheckCatches(t *testing.T) {
	for _, bad := range []string{
		`<rss/>`,
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://x.example/"><title>t</title><updated>2026-01-01T00:00:00Z</updated></feed>`,
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://x.example/"><id>https://x.example/</id><title>t</title><updated>yesterday</updated></feed>`,
		`<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://x.example/"><id>https://x.example/</id><title>t</title><updated>2026-01-01T00:00:00Z</updated><entry><id>x</id><title>e</title><updated>2026-01-01T00:00:00Z</updated><link href="/e/"/></entry></feed>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><id>https://x.example/</id><title>t</title><updated>2026-01-01T00:00:00Z</updated><author><name>a</name></author></feed>`,
	} {
		if _, probs := Check([]byte(bad)); len(probs) == 0 {
			t.Errorf("accepted: %s", bad)
		}
	}
}
