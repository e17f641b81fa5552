package markdown

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/dlclark/regexp2/v2"
)

// TestHighlightRetriesTimeouts: regexp2 times a match by the clock, so a
// busy machine can time out a match of microseconds. A match that times
// out is tried again, and the block comes out as if it had not; one that
// times out again fails the lexer, and the block is not highlighted
// (highlight says so), rather than highlighted as if the rule had not
// matched.
func TestHighlightRetriesTimeouts(t *testing.T) {
	code := "import boto3\n\ndef handler(event, context):\n    return {\"ok\": True, \"n\": len(event)}\n"
	var want bytes.Buffer
	if err := highlight(&want, "python", code); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(want.String(), `<span class="kn">import</span>`) {
		t.Fatalf("python not highlighted as expected: %s", want.String())
	}
	real := findMatch
	defer func() { findMatch = real }()
	timedOut := errors.New("match timeout")
	calls := 0
	findMatch = func(re *regexp2.Regexp, text []rune, pos int) (*regexp2.Match, error) {
		calls++
		if re.MatchTimeout != patientTimeout {
			return nil, timedOut // every first try
		}
		return real(re, text, pos)
	}
	var got bytes.Buffer
	if err := highlight(&got, "python", code); err != nil {
		t.Fatal(err)
	}
	if calls == 0 {
		t.Fatal("no rule was matched by regexp")
	}
	if got.String() != want.String() {
		t.Errorf("with every first try timed out:\n%s\nwant\n%s", got.String(), want.String())
	}
	findMatch = func(*regexp2.Regexp, []rune, int) (*regexp2.Match, error) { return nil, timedOut }
	if err := highlight(&got, "python", code+"x = 1\n"); err == nil {
		t.Error("every match timed out twice, and highlight says nothing")
	}
}
