package main

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// The secrets of the audit: in the URL's user information, in a query
// parameter named like a credential, and in a --header.
const (
	auditUser   = "tokenuser42"
	auditPass   = "S3cretPassw0rd"
	auditQuery  = "T0kenValue99"
	auditHeader = "ApiKeyValue77"
)

// auditURL puts every kind of URL secret into base.
func auditURL(t *testing.T, base string) string {
	t.Helper()
	u, err := url.Parse(base)
	require.NoError(t, err)
	u.User = url.UserPassword(auditUser, auditPass)
	u.Path = "/api/orders"
	u.RawQuery = "access_token=" + auditQuery + "&page=1"
	return u.String()
}

// assertNoSecret fails if any secret of the audit appears in s.
func assertNoSecret(t *testing.T, where, s string) {
	t.Helper()
	for _, secret := range []string{auditUser, auditPass, auditQuery, auditHeader} {
		assert.NotContains(t, s, secret, "%s leaks a secret:\n%s", where, s)
	}
}

// TestSecretsNeverWritten audits every path by which the CLI writes:
// check's line and JSON, wait's progress and verdict, run's alert line,
// its state file and its warnings, and usage errors, against services that
// answer, fail and do not answer at all (whose errors repeat the URL). No
// secret of the URL or of --header may appear in any of them.
func TestSecretsNeverWritten(t *testing.T) {
	t.Parallel()
	header := []string{"--header", "X-Api-Key: " + auditHeader}
	for _, mode := range []string{"error-500", "osf", "reset", "ok"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, testserver.Config{Mode: mode})
			target := auditURL(t, srv.URL)
			state := filepath.Join(t.TempDir(), "state.json")
			runs := map[string][]string{
				"check":      append([]string{"check", "--timeout", "2s", target}, header...),
				"check-json": append([]string{"check", "--json", "--timeout", "2s", target}, header...),
				"wait":       append([]string{"wait", "--timeout", "300ms", "--min-interval", "100ms", "--check-timeout", "2s", target}, header...),
				"wait-json":  append([]string{"wait", "--json", "--timeout", "300ms", "--min-interval", "100ms", target}, header...),
				"run": append(append([]string{"run", "--url", target, "--state", state, "--check-timeout", "2s"}, header...),
					"--", "sh", "-c", "echo job output; exit 3"),
				"run-passthrough": append(append([]string{"run", "--passthrough", "--url", target, "--check-timeout", "2s"}, header...),
					"--", "sh", "-c", "echo job output; exit 3"),
				"run-skip-before": append(append([]string{"run", "--skip-before", "--url", target, "--state", state}, header...),
					"--", "true"),
				"run-state-error": append(append([]string{"run", "--url", target, "--state", t.TempDir(), "--check-timeout", "2s"}, header...),
					"--", "sh", "-c", "exit 3"),
			}
			for name, args := range runs {
				code, out, errOut := cli(t, args...)
				t.Logf("%s: exit %d", name, code)
				assertNoSecret(t, name+" stdout", out)
				assertNoSecret(t, name+" stderr", errOut)
			}
			b, err := os.ReadFile(state)
			require.NoError(t, err)
			assertNoSecret(t, "the state file", string(b))
			assert.Contains(t, string(b), "xxxxx", "the URL is kept, redacted")
		})
	}

	// Usage errors repeat what was wrong, never the secret.
	for _, bad := range []string{
		"http://" + auditUser + ":" + auditPass + "@127.0.0.1:99999/?access_token=" + auditQuery,
		"ftp://" + auditUser + ":" + auditPass + "@example.com/",
		"http://" + auditUser + ":" + auditPass + "@127.0.0.1:8x/",
	} {
		for _, args := range [][]string{{"check", bad}, {"wait", bad}, {"run", "--url", bad, "--", "true"}} {
			code, out, errOut := cli(t, args...)
			assert.Equal(t, exitUsage, code, "%q: %s", args, errOut)
			assertNoSecret(t, "usage error", out+errOut)
		}
	}
}

func TestRedactURL(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"https://api.example.com/v1?page=2", "https://api.example.com/v1?page=2"},
		{"https://user:pass@api.example.com/", "https://xxxxx@api.example.com/"},
		{"https://ghp_token@github.com/x", "https://xxxxx@github.com/x"},
		{"https://h/?access_token=abc&page=2&API_KEY=k&sig=s", "https://h/?access_token=xxxxx&page=2&API_KEY=xxxxx&sig=xxxxx"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		require.NoError(t, err)
		assert.Equal(t, tt.want, redactURL(u))
	}
	u, _ := url.Parse("https://us%40er:p%2Fss@h/?token=abc%2Bdef")
	r := newRedactor(nil, u)
	var b bytes.Buffer
	_, _ = r.Writer(&b).Write([]byte(`Get "https://us%40er:p%2Fss@h/?token=abc%2Bdef": us@er p/ss abc+def`))
	assert.NotContains(t, b.String(), "us@er")
	assert.NotContains(t, b.String(), "p/ss")
	assert.NotContains(t, b.String(), "abc+def")
	assert.NotContains(t, b.String(), "abc%2Bdef")
}
