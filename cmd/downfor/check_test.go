package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/testserver"
)

// cli runs downfor with args and returns its exit code and output.
func cli(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return cliCtx(t.Context(), args...)
}

func cliCtx(ctx context.Context, args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(ctx, args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// startServer starts an in-process mock server, closed when the test ends.
func startServer(t *testing.T, cfg testserver.Config) *testserver.Server {
	t.Helper()
	srv, err := testserver.Start(cfg)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// checkJSON is what check --json prints.
type checkJSON struct {
	URL               string              `json:"url"`
	Class             string              `json:"class"`
	Confidence        string              `json:"confidence"`
	RetryAfterSeconds *int64              `json:"retry_after_seconds"`
	Until             *time.Time          `json:"until"`
	Message           string              `json:"message"`
	CheckedAt         time.Time           `json:"checked_at"`
	Evidence          []classify.Evidence `json:"evidence"`
}

func decodeCheck(t *testing.T, out string) checkJSON {
	t.Helper()
	var j checkJSON
	require.NoError(t, json.Unmarshal([]byte(out), &j), "output: %s", out)
	return j
}

// slowModes never answer in full: they need a short --timeout.
var slowModes = map[string]bool{"hang": true, "slow-body": true, "probe-hang": true}

// TestCheckEveryMode holds "downfor check URL" to the class that
// "downfor serve --list" promises for every mode of the mock server.
func TestCheckEveryMode(t *testing.T) {
	t.Parallel()
	for _, m := range testserver.Modes() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, testserver.Config{Mode: m.Name, HugeBody: 64 << 20})
			timeout := "20s"
			if slowModes[m.Name] {
				timeout = "400ms"
			}
			code, out, errOut := cli(t, "check", "--json", "--timeout", timeout, srv.URL+"/api/v1/items")
			j := decodeCheck(t, out)
			assert.Equal(t, m.Class, j.Class, "evidence: %v; stderr: %s", j.Evidence, errOut)
			c, err := classify.ParseClass(m.Class)
			require.NoError(t, err)
			assert.Equal(t, exitCode(c), code)
			if m.Class == classify.Maintenance.String() {
				assert.Equal(t, m.Confidence, j.Confidence, "evidence: %v", j.Evidence)
			}
			assert.Equal(t, srv.URL+"/api/v1/items", j.URL)
			assert.NotEmpty(t, j.Evidence)
		})
	}
}

// TestCheckOptions covers the flags that change a mode's class.
func TestCheckOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode, path string
		args       []string
		class      string
		confidence string
		code       int
	}{
		{"gitlab-read-only", "/api/v4/projects", nil, "ok", "", 0},
		{"gitlab-read-only", "/api/v4/projects", []string{"--method", "POST"}, "maintenance", "implied", 75},
		{"gitlab-read-only", "/api/v4/projects", []string{"--method", "post", "--strict"}, "client_error", "", 0},
		{"cf-json-200", "/", nil, "ok", "", 0},
		{"cf-json-200", "/", []string{"--rule", "header:StatusHeader=maintenance window"}, "maintenance", "explicit", 75},
		{"cf-static", "/", nil, "ok", "", 0},
		{"cf-static", "/", []string{"--html"}, "maintenance", "implied", 75},
		{"retry-after-seconds", "/", []string{"--strict"}, "malfunction", "", 69},
		{"app-stopped", "/", []string{"--probe-path", ""}, "malfunction", "", 69},
		{"spring-out-of-service", "/", []string{"--health", "none"}, "malfunction", "", 69},
		{"statuspage-maintenance", "/", []string{"--status-page", "none"}, "malfunction", "", 69},
		{"statuspage-incident", "/", []string{"--status-page", "none"}, "malfunction", "", 69},
	}
	for _, tt := range tests {
		t.Run(tt.mode+strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, testserver.Config{Mode: tt.mode})
			args := append(append([]string{"check"}, tt.args...), srv.URL+tt.path, "--json")
			code, out, _ := cli(t, args...)
			j := decodeCheck(t, out)
			assert.Equal(t, tt.class, j.Class, "evidence: %v", j.Evidence)
			assert.Equal(t, tt.confidence, j.Confidence)
			assert.Equal(t, tt.code, code)
		})
	}
}

func TestCheckJSONShape(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "retry-after-seconds"})
	code, out, _ := cli(t, "check", "--json", srv.URL)
	assert.Equal(t, exitTempFail, code)
	require.True(t, strings.HasPrefix(out, `{"url":"`+srv.URL+`","class":"maintenance","confidence":"implied"`), out)
	assert.True(t, strings.HasSuffix(out, "\n"))
	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, k := range []string{"url", "class", "confidence", "retry_after_seconds", "checked_at", "evidence"} {
		assert.Contains(t, raw, k)
	}
	assert.EqualValues(t, 120, raw["retry_after_seconds"])
	ev := raw["evidence"].([]any)[0].(map[string]any)
	for _, k := range []string{"source", "signal", "value", "strength"} {
		assert.Contains(t, ev, k)
	}

	srv2 := startServer(t, testserver.Config{Mode: "ok"})
	_, out, _ = cli(t, "check", "--json", srv2.URL)
	raw = nil
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	for _, k := range []string{"confidence", "retry_after_seconds", "until", "message"} {
		assert.NotContains(t, raw, k)
	}
}

func TestCheckHumanLine(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "app-stopped"})
	code, out, errOut := cli(t, "check", srv.URL)
	assert.Equal(t, exitTempFail, code)
	assert.Empty(t, errOut)
	assert.Equal(t, 1, strings.Count(out, "\n"), out)
	assert.True(t, strings.HasPrefix(out, "maintenance (explicit)  "+srv.URL), out)
	assert.Contains(t, out, "probe")
	assert.NotContains(t, out, "\x1b[", "no colour off a terminal")

	srv = startServer(t, testserver.Config{Mode: "error-500"})
	code, out, _ = cli(t, "check", srv.URL+"/x")
	assert.Equal(t, exitUnavailable, code)
	assert.True(t, strings.HasPrefix(out, "malfunction  "+srv.URL+"/x  status 500"), out)
}

// TestCheckHeaderStaysOnOrigin: --header reaches the service, and neither
// a status page or health endpoint on another host, nor the target of an
// off-origin redirect.
func TestCheckHeaderStaysOnOrigin(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]string{} // "who path" -> X-Api-Key
	record := func(who string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen[who+" "+r.URL.Path] = r.Header.Get("X-Api-Key") + "|" + r.Header.Get("Authorization")
			mu.Unlock()
			switch r.URL.Path {
			case "/api/v2/summary.json":
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"page":{"id":"x","name":"x"},"status":{"indicator":"none","description":"ok"},"components":[],"incidents":[],"scheduled_maintenances":[]}`))
			case "/health":
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(`{"status":"UP"}`))
			default:
				w.WriteHeader(http.StatusServiceUnavailable)
			}
		}
	}
	other := httptest.NewServer(record("other"))
	t.Cleanup(other.Close)
	service := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/away" {
			mu.Lock()
			seen["service /away"] = r.Header.Get("X-Api-Key") + "|" + r.Header.Get("Authorization")
			mu.Unlock()
			http.Redirect(w, r, other.URL+"/landing", http.StatusFound)
			return
		}
		record("service")(w, r)
	}))
	t.Cleanup(service.Close)
	take := func() map[string]string {
		mu.Lock()
		defer mu.Unlock()
		got := seen
		seen = map[string]string{}
		return got
	}

	code, _, _ := cli(t, "check", "--header", "X-Api-Key: secret", "--header", "Authorization: Bearer t",
		"--status-page", other.URL, "--health", other.URL+"/health", service.URL+"/api")
	assert.Equal(t, exitUnavailable, code)
	assert.Equal(t, map[string]string{
		"service /api":                  "secret|Bearer t",
		"service /down-for-maintenance": "secret|Bearer t",
		"other /health":                 "|",
		"other /api/v2/summary.json":    "|",
	}, take())

	code, _, _ = cli(t, "check", "--header", "X-Api-Key: secret", "--status-page", "none", service.URL+"/away")
	assert.Equal(t, exitUnavailable, code)
	assert.Equal(t, map[string]string{
		"service /away":                 "secret|",
		"other /landing":                "|",
		"service /down-for-maintenance": "secret|",
		"service /health":               "secret|",
	}, take())
}

func TestCheckUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no URL", []string{"check"}, "missing the service URL"},
		{"two URLs", []string{"check", "http://a/", "http://b/"}, "want one URL"},
		{"not a URL", []string{"check", "example.com"}, "not an http or https URL"},
		{"bad header", []string{"check", "--header", "NoColon", "http://a/"}, "want 'Name: value'"},
		{"bad rule", []string{"check", "--rule", "cookie:x", "http://a/"}, "--rule"},
		{"bad flag", []string{"check", "--nope", "http://a/"}, "flag provided but not defined"},
		{"bad duration", []string{"check", "--timeout", "soon", "http://a/"}, "invalid value"},
		{"bad method", []string{"check", "--method", "GE T", "http://a/"}, "not an HTTP method"},
		{"bad health", []string{"check", "--health", "health", "http://a/"}, "--health"},
		{"wait intervals", []string{"wait", "--min-interval", "5s", "--max-interval", "1s", "http://a/"}, "--min-interval"},
		{"run without url", []string{"run", "--", "true"}, "missing --url"},
		{"run without command", []string{"run", "--url", "http://a/"}, "missing the command"},
		{"run bad buffer", []string{"run", "--url", "http://a/", "--buffer", "lots", "--", "true"}, "--buffer"},
		{"run bad exit", []string{"run", "--url", "http://a/", "--maintenance-exit", "300", "--", "true"}, "0 to 255"},
		{"invalid port", []string{"check", "http://127.0.0.1:99999/"}, `invalid port "99999"`},
		{"port zero", []string{"wait", "http://127.0.0.1:0/"}, `invalid port "0"`},
		{"unreadable port", []string{"check", "http://127.0.0.1:8x/"}, "the URL: cannot read it as a URL"},
		{"unreadable URL", []string{"check", "http://[::1/"}, "cannot read it as a URL"},
		{"no host", []string{"check", "http:///path"}, "with a host"},
		{"header value with a line break", []string{"check", "--header", "X-Token: a\r\nX-Evil: 1", "http://a/"}, "--header X-Token: the value holds a control character"},
		{"run invalid port", []string{"run", "--url", "http://127.0.0.1:70000/", "--", "true"}, `--url "http://127.0.0.1:70000/": invalid port`},
		{"run header value", []string{"run", "--url", "http://a/", "--header", "A: b\x00", "--", "true"}, "--header A:"},
		{"run negative timeout", []string{"run", "--url", "http://a/", "--timeout", "-1s", "--", "true"}, "--timeout -1s: cannot be negative"},
		{"run negative grace", []string{"run", "--url", "http://a/", "--kill-grace", "-1s", "--", "true"}, "--kill-grace -1s: cannot be negative"},
		{"run negative margin", []string{"run", "--url", "http://a/", "--skip-before", "--window-margin", "-1s", "--", "true"}, "--window-margin -1s"},
		{"window margin alone", []string{"run", "--url", "http://a/", "--window-margin", "15m", "--", "true"}, "--window-margin needs --skip-before"},
		{"alert-after without state", []string{"run", "--url", "http://a/", "--alert-after", "1h", "--", "true"}, "--alert-after needs --state"},
		{"wait zero timeout", []string{"wait", "--timeout", "0s", "http://a/"}, "--timeout 0s: must be positive"},
		{"check zero timeout", []string{"check", "--timeout", "0s", "http://a/"}, "--timeout 0s: must be positive"},
		{"run zero check timeout", []string{"run", "--url", "http://a/", "--check-timeout", "0s", "--", "true"}, "--check-timeout 0s: must be positive"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := cli(t, tt.args...)
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
			assert.Contains(t, errOut, "--help")
		})
	}
}

// TestUsageMistakesAreNotTheService: a mistake on the user's side is a
// usage error at once: no request is sent, no job is started, and run
// never blames the service for it.
func TestUsageMistakesAreNotTheService(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	marker := filepath.Join(t.TempDir(), "started")
	for _, args := range [][]string{
		{"check", "--header", "X-Token: a\nb", srv.URL},
		{"wait", "--header", "X-Token: a\nb", srv.URL},
		{"run", "--url", srv.URL, "--header", "X-Token: a\nb", "--", "touch", marker},
		{"run", "--url", strings.Replace(srv.URL, "127.0.0.1:", "127.0.0.1:9", 1) + "9", "--", "touch", marker},
		{"run", "--url", "http://[::1/", "--", "touch", marker},
	} {
		code, _, errOut := cli(t, args...)
		assert.Equal(t, exitUsage, code, "%q", args)
		assert.NotContains(t, errOut, "network", "%q", args)
		assert.NotContains(t, errOut, "service", "%q: a usage error does not blame the service", args)
	}
	assert.Empty(t, srv.Requests(), "nothing was sent")
	assert.NoFileExists(t, marker, "no job was started")
}

// TestCheckWarnsOfUnknownComponent: a --component that the status page
// does not list is said on stderr in text mode too, not only as evidence
// in --json.
func TestCheckWarnsOfUnknownComponent(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "statuspage-maintenance"})
	code, out, errOut := cli(t, "check", "--component", "APl", srv.URL+"/api")
	assert.NotEqual(t, exitUsage, code)
	assert.NotEmpty(t, out)
	assert.Contains(t, errOut, `downfor: warning: --component: no component "apl" on the page`)

	_, _, errOut = cli(t, "check", "--component", "API", srv.URL+"/api")
	assert.NotContains(t, errOut, "warning", "a component the page lists")
	_, out, errOut = cli(t, "check", "--json", "--component", "APl", srv.URL+"/api")
	assert.NotContains(t, errOut, "warning", "--json says it in the evidence")
	assert.Contains(t, out, "component-filter")

	// run says it too, even when it is otherwise quiet (maintenance).
	for _, flags := range [][]string{{"--component", "APl"}, {"--component", "APl", "--skip-before"}} {
		_, _, errOut = job(t, srv.URL+"/api", flags, "exit 3")
		assert.Contains(t, errOut, `downfor: warning: --component: no component "apl" on the page`, flags)
		assert.Equal(t, 1, strings.Count(errOut, "warning"), flags)
	}
}

// TestUserAgent: every request the CLI sends, the service's and the
// out-of-band sources', says "downfor/VERSION"; a --header User-Agent wins
// on the service's origin.
func TestUserAgent(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	code, _, errOut := cli(t, "check", srv.URL+"/api")
	require.Equal(t, exitUnavailable, code, errOut)
	reqs := srv.Requests()
	require.GreaterOrEqual(t, len(reqs), 3, "the page, the probe, health, status page")
	for _, r := range reqs {
		assert.Equal(t, userAgent(), r.Header.Get("User-Agent"), r.Path)
	}
	assert.Regexp(t, `^downfor/\S+$`, userAgent())

	srv.ResetRequests()
	_, _, _ = cli(t, "check", "--header", "User-Agent: mine/1.0", srv.URL+"/api")
	for _, r := range srv.Requests() {
		assert.Equal(t, "mine/1.0", r.Header.Get("User-Agent"), r.Path)
	}

	code, out, _ := cli(t, "--version")
	assert.Equal(t, exitOK, code)
	assert.Equal(t, "downfor "+version()+"\n", out)
	assert.NotContains(t, version(), "(devel)")
}

// TestCheckJSONSaturatedRetryAfter: a Retry-After too long for a
// time.Duration is written as the server's own value in seconds, never as
// the capped number (9223372037); the line says "forever".
func TestCheckJSONSaturatedRetryAfter(t *testing.T) {
	t.Parallel()
	for mode, want := range map[string]func(int64) bool{
		"retry-after-huge": func(n int64) bool { return n == 99999999999 },
		"retry-after-far-future": func(n int64) bool { // Retry-After: Tue, 01 Jan 2999 00:00:00 GMT
			want := time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC).Unix() - time.Now().Unix()
			return n > 9223372037 && n <= want+5 && n >= want-60
		},
	} {
		srv := startServer(t, testserver.Config{Mode: mode})
		_, out, _ := cli(t, "check", "--json", srv.URL+"/api")
		j := decodeCheck(t, out)
		require.NotNil(t, j.RetryAfterSeconds, out)
		assert.True(t, want(*j.RetryAfterSeconds), "%s: retry_after_seconds %d", mode, *j.RetryAfterSeconds)
		assert.NotContains(t, out, "9223372037")
		_, out, _ = cli(t, "check", srv.URL+"/api")
		assert.Contains(t, out, "wait forever")
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, sub := range []string{"check", "wait", "run", "demo"} {
		for _, flag := range []string{"--help", "-h"} {
			code, out, errOut := cli(t, sub, flag)
			assert.Equal(t, exitOK, code, sub)
			assert.Empty(t, errOut)
			assert.Contains(t, out, "Usage: downfor "+sub)
			assert.Contains(t, out, "Example")
			assert.Contains(t, out, "Flags:")
		}
	}
	code, out, _ := cli(t, "help", "check")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "--status-page")
}

func TestCheckEnvironment(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "spring-out-of-service"})
	var out, errb bytes.Buffer
	env := environment{URL: srv.URL, Health: "none"}
	code := checkCmd(t.Context(), []string{"--json"}, env, &out, &errb)
	assert.Equal(t, exitUnavailable, code, errb.String())
	env = environment{URL: srv.URL}
	out.Reset()
	code = checkCmd(t.Context(), []string{"--json"}, env, &out, &errb)
	assert.Equal(t, exitTempFail, code, errb.String())

	errb.Reset()
	code = checkCmd(t.Context(), nil, environment{URL: srv.URL, Timeout: "soon"}, &out, &errb)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errb.String(), "DOWNFOR_TIMEOUT")
}

func TestCheckInterrupted(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "hang"})
	ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
	defer cancel()
	code, out, errOut := cliCtx(ctx, "check", srv.URL)
	assert.Equal(t, exitInterrupted, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "downfor check:")
}

func TestCheckRedirectLoop(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "redirect-loop"})
	code, out, _ := cli(t, "check", "--json", srv.URL+"/a")
	j := decodeCheck(t, out)
	assert.Equal(t, exitUnavailable, code)
	e, ok := classify.Verdict{Class: classify.Malfunction, Evidence: j.Evidence}.Strongest()
	require.True(t, ok)
	assert.Equal(t, "redirect-loop", e.Signal)
}

func TestParseInterspersed(t *testing.T) {
	t.Parallel()
	var out, errb bytes.Buffer
	cmd := newCommand("x", "Usage: x\n", &out, &errb)
	j := cmd.fs.Bool("json", false, "")
	pos, _, done := cmd.parse([]string{"http://a/", "--json", "--", "--not-a-flag"}, true)
	require.False(t, done)
	assert.True(t, *j)
	assert.Equal(t, []string{"http://a/", "--not-a-flag"}, pos)
}
