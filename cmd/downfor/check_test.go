package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
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
