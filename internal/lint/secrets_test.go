package lint

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// pem is a private key block with the body given; its header is put
// together here so that secret scanners do not take this file for a leak.
func pem(body string) string {
	return "-----BEGIN RSA " + "PRIVATE KEY-----\n" + body + "-----END RSA " + "PRIVATE KEY-----\n"
}

// keyBody is base64 shaped like a key's body (random, not a key).
const keyBody = "MIIEpAIBAAKCAQEAvT3xq9Lw2hZkR7mYp4Nc8sUeGd1fJoWbQ6tAiVxK5rHnE0yC\n" +
	"u3ZlM8pDq2WjF7sXgT9bNcR4eYh1oKvA6iLmUw5zPdJ0tQyB3nGxSfE8aHr2kVcO\n" +
	"Lp9Wd4sJt7mYq1uZx6nRb3eKg0hC5fTiA8vDjN2wGoPyE4lMsXzQ7rU1cBkH9aFe\n"

func TestSecrets(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      int // findings
	}{
		// Reported.
		{"aws key", "key: AKIA2OGYBAH4TJQ5WXR7\n", 1},
		{"aws key and secret", "aws_access_key_id = AKIA2OGYBAH4TJQ5WXR7\naws_secret_access_key = q7Rv2Lx9TgWm4Zp8Kd3Fh6Nb1Yc5Vs0J\n", 2},
		{"private key", pem(keyBody), 1},
		{"private key in JSON", `"private_key": "` + strings.ReplaceAll(pem(keyBody), "\n", `\n`) + `"`, 1},
		{"private key without END", "-----BEGIN " + "PRIVATE KEY-----\n" + keyBody + "\nThen restart.\n", 1},
		{"github token", "GITHUB_TOKEN=ghp_R4nd0mL00k1ngT0k3nV4lu3Xq7vR2pL9zK4mW\n", 1},
		{"password", "export DB_PASSWORD=Xq7vR2pL9zK4mW8t\n", 1},
		{"token in a URL", "curl https://api.example.com/v1?api_key=hs8Jk29xLmQp3Zr4\n", 1},
		{"password in a URL to a meeting host's lookalike", "https://zoom.us.example.net/login?pwd=Ym9vV0xRd3ZrT2JQNnVTUW1a\n", 1},

		// Not reported.
		{"aws documented example", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n", 0},
		{"aws second documented example", "AKIAI44QH8DHBEXAMPLE je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY\n", 0},
		{"aws key filler", "AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX\n", 0},
		{"github token filler", "token: ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n", 0},
		{"jwt.io example", "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n", 0},
		{"zoom link", "Join https://zoom.us/j/1234567890?pwd=Ym9vV0xRd3ZrT2JQNnVTUW1aZz09 at ten.\n", 0},
		{"zoom link, company subdomain", "[Bridge](https://acme.zoom.us/j/98765432100?pwd=aGk3bTRrZ2xQcDBzN2VvRQ.1)\n", 0},
		{"value repeats the name", `{"cookie_secret": "cookie_secret_value"}` + "\n", 0},
		{"changeme", "DB_PASSWORD=changeme-Q7x2Lp9\n", 0},
		{"placeholder in angle brackets", "API_TOKEN=<your-token-goes-here>\n", 0},
		{"placeholder your", "client_secret: YourClientSecret123\n", 0},
		{"variable", "password: ${SECRET_FROM_VAULT}\n", 0},
		{"template", "token: {{ .Values.apiToken }}\n", 0},
		{"dummy", "secret_key = dummy-Xq7vR2pL9zK4\n", 0},
		{"terraform variable", "  migration_token = var.backoff_consumer\n", 0},
		{"terraform local", "  api_key        = local.payments_gateway_key\n", 0},
		{"workflow secret", "GITHUB_TOKEN: secrets.GH_DEPLOY_PAT_2024\n", 0},
		{"go field", "Password: cfg.Database.Password,\n", 0},
		{"endpoint URL", "token_backup = https://charge-feature.ledger.internal:8899\n", 0},
		{"credentials in a URL", "DATABASE_PASSWORD_URL=postgres://admin:Xq7vR2pL9zK4mW8t@db.internal:5432/app\n", 1},
		{"random value with a dot", "client_secret = Xq7vR2pL9zK4mW8t.Lp9zK4mW8tXq\n", 1},
		{"stars", "password: ****************\n", 0},
		{"xxx", "api_key: sk_live_xxxxxxxxxxxxxxxx\n", 0},
		{"toc anchor", "- [Secret key](#secret-key)\n- [aws_secret_access_key](#aws_secret_access_key)\n- [Secret: rotation](#secret-rotation-procedure-for-production)\n", 0},
		{"anchor in HTML", `<a href="#client_secret=rotation-Xq7vR2pL9zK4">` + "\n", 0},
		{"private key elided", pem("...\n"), 0},
		{"private key snipped", pem("MIIEpAIBAAKCAQEA...\n<snip>\n"), 0},
		{"private key header only", pem(""), 0},
		{"private key in prose", "A key file starts with `-----BEGIN " + "PRIVATE KEY-----` and ends with `-----END " + "PRIVATE KEY-----`.\n", 0},
		{"private key in JSON, elided", `"private_key": "-----BEGIN ` + `PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n"` + "\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Secrets("x.md", []byte(tc.src))
			if len(got) != tc.want {
				t.Errorf("%d findings, want %d:\n%s\n%v", len(got), tc.want, tc.src, got)
			}
		})
	}
}

// TestLiterals checks the search by rare bytes against bytes.Contains.
func TestLiterals(t *testing.T) {
	lits := []string{"AKIA", "ASIA", "ghp_", "github_pat_", "glpat-", "eyJ", "xox", "PRIVATE KEY", "a", "zz"}
	parts := append(slices.Clone(lits), "A", "K", "I", "S", "g", "h", "p", "_", "github", "_pat", "-", "e", "y", "J", "x", "o", "PRIVATE", " ", "KEY", "z", "\n")
	r := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		text := joinRandom(r, parts, 8)
		for n := range lits {
			for _, set := range [][]string{lits[:n+1], lits[n:]} {
				if got, want := newLiterals(set...).in(text), containsAny(text, set); got != want {
					t.Fatalf("literals %q in %q: %v, want %v", set, text, got, want)
				}
			}
		}
	}
	if ls := newLiterals("ghp_", "github_pat_", "eyJ"); string(ls.anchors) != "_J" {
		t.Errorf("rare bytes %q, want \"_J\"", ls.anchors)
	}
}

// joinRandom joins fewer than n of parts, drawn by r.
func joinRandom(r *rand.Rand, parts []string, n int) []byte {
	var b strings.Builder
	for range r.IntN(n) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return []byte(b.String())
}

// TestSecretWordIn checks the search for secret words against
// bytes.Contains of each.
func TestSecretWordIn(t *testing.T) {
	parts := append(slices.Clone(secretWords), "pass", "word", "api", "key", "_", "-", "db", "p", "s", "t", "a")
	r := rand.New(rand.NewPCG(11, 12))
	for range 20000 {
		name := joinRandom(r, parts, 5)
		if got, want := secretWordIn(name), containsAny(name, secretWords); got != want {
			t.Fatalf("secretWordIn(%q) = %v, want %v", name, got, want)
		}
	}
}
