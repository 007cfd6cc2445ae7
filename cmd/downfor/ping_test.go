package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/testserver"
)

// pingRecord is one ping a pingServer received.
type pingRecord struct {
	Method, Path, RunID, ContentType, UserAgent string
	Body                                        string
}

// pingServer is a local stand-in for healthchecks.io that records every
// ping and answers with status (200 if zero).
type pingServer struct {
	*httptest.Server
	mu     sync.Mutex
	pings  []pingRecord
	status int
	header http.Header
}

func newPingServer(t *testing.T, status int) *pingServer {
	t.Helper()
	ps := &pingServer{status: status, header: http.Header{}}
	ps.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		ps.mu.Lock()
		ps.pings = append(ps.pings, pingRecord{
			Method: r.Method, Path: r.URL.Path, RunID: r.URL.Query().Get("rid"),
			ContentType: r.Header.Get("Content-Type"), UserAgent: r.Header.Get("User-Agent"), Body: string(b),
		})
		status := ps.status
		for k, v := range ps.header {
			w.Header()[k] = v
		}
		ps.mu.Unlock()
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, "OK")
	}))
	t.Cleanup(ps.Close)
	return ps
}

func (ps *pingServer) received() []pingRecord {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return append([]pingRecord(nil), ps.pings...)
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// End to end: "downfor run --ping" against a local server that records
// what it receives, for each way a run ends.
func TestRunPings(t *testing.T) {
	t.Parallel()
	broken := startServer(t, testserver.Config{Mode: "error-500"})
	maint := startServer(t, testserver.Config{Mode: "osf"})
	tests := []struct {
		name     string
		service  string
		flags    []string
		script   string
		code     int
		path     string   // of the last ping, after the check's path
		body     []string // in the last ping's body
		bodyNot  []string
		noOutput bool
	}{
		{name: "success", service: broken.URL, script: "echo all good", code: 0, path: "", body: []string{"all good"}},
		{name: "failure", service: broken.URL, script: "echo step 1; echo boom >&2; exit 3", code: 3, path: "/3",
			body: []string{"step 1\n", "boom\n", "downfor: job failed (exit 3); service " + broken.URL + " is malfunctioning: status 500"}},
		{name: "maintenance keeps green", service: maint.URL, script: "echo cannot sync; exit 4", code: 0, path: "",
			body: []string{"cannot sync", "the job failed (exit 4); service " + maint.URL + " is in maintenance (explicit)", "kept green because of the maintenance"}},
		{name: "maintenance exit", service: maint.URL, flags: []string{"--maintenance-exit", "75"}, script: "exit 4", code: 75, path: "",
			body: []string{"kept green"}},
		{name: "skipped", service: maint.URL, flags: []string{"--skip-before"}, script: "echo never", code: 0, path: "",
			body: []string{"the job was not started", "kept green"}, bodyNot: []string{"never"}},
		{name: "not found", service: broken.URL, script: "exec /nonexistent/job", code: 127, path: "/127",
			body: []string{"job failed (exit 127)"}},
		{name: "quiet success still pings", service: broken.URL, flags: []string{"--quiet-success"}, script: "echo fine", code: 0, path: "",
			body: []string{"fine"}, noOutput: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ps := newPingServer(t, 0)
			flags := append([]string{"--ping", ps.URL + "/ping/abc-uuid"}, tt.flags...)
			code, out, errOut := job(t, tt.service, flags, tt.script)
			assert.Equal(t, tt.code, code, "stderr: %s", errOut)
			assert.NotContains(t, errOut, "ping")
			if tt.noOutput {
				assert.Empty(t, out)
			}
			pings := ps.received()
			require.Len(t, pings, 2)
			assert.Equal(t, "/ping/abc-uuid/start", pings[0].Path)
			assert.Equal(t, "/ping/abc-uuid"+tt.path, pings[1].Path)
			for _, p := range pings {
				assert.Equal(t, http.MethodPost, p.Method)
				assert.Equal(t, "text/plain; charset=utf-8", p.ContentType)
				assert.True(t, strings.HasPrefix(p.UserAgent, "downfor/"), p.UserAgent)
				assert.Regexp(t, uuidRE, p.RunID)
				assert.Equal(t, pings[0].RunID, p.RunID, "the start and the end share the run ID")
			}
			assert.Empty(t, pings[0].Body)
			for _, want := range tt.body {
				assert.Contains(t, pings[1].Body, want)
			}
			for _, not := range tt.bodyNot {
				assert.NotContains(t, pings[1].Body, not)
			}
		})
	}
}

// DOWNFOR_PING_URL is --ping's default, and a ping service that refuses
// changes nothing but a line on stderr, which does not show the check's
// secret URL.
func TestRunPingEnvAndRefusal(t *testing.T) {
	t.Parallel()
	svc := startServer(t, testserver.Config{Mode: "ok"})
	ps := newPingServer(t, http.StatusNotFound)
	var out, errb bytes.Buffer
	code := runCmd(t.Context(), []string{"--url", svc.URL, "--", "sh", "-c", "echo hi; exit 5"},
		environment{PingURL: ps.URL + "/secret-uuid"}, process{}, strings.NewReader(""), &out, &errb)
	assert.Equal(t, 5, code)
	assert.Equal(t, "hi\n", out.String())
	require.Len(t, ps.received(), 2, "a 404 is not retried")
	assert.Equal(t, "/secret-uuid/5", ps.received()[1].Path)
	u, _ := url.Parse(ps.URL)
	assert.Contains(t, errb.String(), "downfor: the start ping to "+u.Host+" failed: refused: status 404; the job's exit code is unchanged")
	assert.Contains(t, errb.String(), "downfor: the 5 ping to "+u.Host+" failed")
	assert.NotContains(t, errb.String(), "secret-uuid")

	code, _, errOut := job(t, svc.URL, []string{"--ping", "ftp://example.com/x"}, "true")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--ping: not an http or https URL")
}

// roundTripFunc is an in-memory transport, for the synctest bubble.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func answer(status int, header http.Header) *http.Response {
	if header == nil {
		header = http.Header{}
	}
	return &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(strings.NewReader("OK"))}
}

func testPinger(t *testing.T, rt roundTripFunc) (*pinger, *bytes.Buffer) {
	t.Helper()
	var warn bytes.Buffer
	p, err := newPinger("https://hc-ping.example/uuid", &warn)
	require.NoError(t, err)
	p.client = &http.Client{Transport: rt}
	return p, &warn
}

// Retries: network errors, 408, 429 and 5xx are tried again after 1 s,
// then 2 s; the third failure gives up and says so.
func TestPingRetries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var times []time.Duration
		start := time.Now()
		answers := []int{503, 429, 200}
		p, warn := testPinger(t, func(r *http.Request) (*http.Response, error) {
			times = append(times, time.Since(start))
			status := answers[0]
			answers = answers[1:]
			return answer(status, nil), nil
		})
		_, err := p.send(t.Context(), "", nil)
		require.NoError(t, err)
		assert.Equal(t, []time.Duration{0, time.Second, 3 * time.Second}, times)
		assert.Empty(t, warn.String())

		calls := 0
		p, _ = testPinger(t, func(r *http.Request) (*http.Response, error) {
			calls++
			return nil, errors.New("connection refused")
		})
		_, err = p.send(t.Context(), "fail", nil)
		require.Error(t, err)
		assert.Equal(t, pingTries, calls)
		assert.Contains(t, err.Error(), "after 3 tries")
	})
}

// A ping service that never answers delays the run by at most the budget,
// even when downfor is interrupted meanwhile.
func TestPingBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p, warn := testPinger(t, func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done()
			return nil, r.Context().Err()
		})
		ctx, cancel := context.WithCancel(t.Context())
		cancel() // interrupted: the ping is still tried, within its budget
		start := time.Now()
		p.start(ctx)
		p.end(ctx, pingEnd{code: 3}, nil)
		assert.Equal(t, 2*pingBudget, time.Since(start), "the start ping's budget, then the end's")
		assert.Contains(t, warn.String(), "the start ping to hc-ping.example failed: no answer within 10s")
		assert.Contains(t, warn.String(), "the 3 ping to hc-ping.example failed")
	})
}

// The server's Ping-Body-Limit (from the start ping's answer) lowers the
// body; the output's end is kept, with a note of what was cut.
func TestPingBodyLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var bodies []string
		p, _ := testPinger(t, func(r *http.Request) (*http.Response, error) {
			b, _ := io.ReadAll(r.Body)
			bodies = append(bodies, string(b))
			return answer(200, http.Header{"Ping-Body-Limit": {"500"}}), nil
		})
		out := newOutputLog(1<<10, t.TempDir())
		defer out.close()
		for i := range 1000 {
			_, _ = io.WriteString(out.writer(outputTagStdout), strings.Repeat("x", 9)+string(rune('0'+i%10)))
		}
		_, _ = io.WriteString(out.writer(outputTagStderr), "the error at the end\n")
		p.start(t.Context())
		p.end(t.Context(), pingEnd{code: 2}, tailOf(out, pingBodyLimit))
		require.Len(t, bodies, 2)
		body := bodies[1]
		assert.LessOrEqual(t, len(body), 500)
		assert.True(t, strings.HasPrefix(body, "[downfor: "), body)
		assert.Contains(t, body, "bytes of output cut]\n")
		assert.True(t, strings.HasSuffix(body, "the error at the end\ndownfor: exit 2\n"), body)
	})
}

func TestTailBuffer(t *testing.T) {
	tb := &tailBuffer{limit: 10}
	total := 0
	for _, s := range []string{"abc", "defghijklmnop", "q", strings.Repeat("r", 25), "stuvwxyz"} {
		n, err := tb.Write([]byte(s))
		require.NoError(t, err)
		assert.Equal(t, len(s), n)
		total += len(s)
		assert.LessOrEqual(t, len(tb.buf), 2*tb.limit)
	}
	assert.Equal(t, "rrstuvwxyz", string(tb.bytes()))
	assert.Equal(t, int64(total-10), tb.cut())

	assert.Empty(t, pingBody(tb, "note", 0))
	assert.Equal(t, "note\n", string(pingBody(nil, "note", 100)))
	assert.Equal(t, "", string(pingBody(nil, "", 100)))
}

// endPing is the pure decision: success, failure with the exit status, or
// green during a maintenance until it lasts longer than --alert-after.
func TestEndPing(t *testing.T) {
	now := time.Date(2030, 1, 1, 12, 0, 0, 0, time.UTC)
	maint := &classify.Verdict{Class: classify.Maintenance, Confidence: classify.Explicit}
	broken := &classify.Verdict{Class: classify.Malfunction}
	tests := []struct {
		name   string
		e      pingEnd
		suffix string
		note   []string
	}{
		{"ok", pingEnd{outcome: "ok"}, "", nil},
		{"failed", pingEnd{outcome: "failed", code: 3, jobExit: 3, target: "https://api/", verdict: broken}, "3", []string{"job failed (exit 3); service https://api/ is malfunctioning"}},
		{"timed out", pingEnd{outcome: "failed", code: 124, jobExit: 124}, "124", []string{"exit 124"}},
		{"not started", pingEnd{code: 127}, "127", []string{"downfor: exit 127"}},
		{"interrupted with 0", pingEnd{code: 0}, "fail", nil},
		{"maintenance", pingEnd{outcome: "maintenance", jobExit: 3, target: "https://api/", verdict: maint}, "", []string{"the job failed (exit 3); service https://api/ is in maintenance (explicit)", "kept green"}},
		{"maintenance, no verdict", pingEnd{outcome: "maintenance", jobExit: 3, target: "https://api/"}, "", []string{"https://api/ is in maintenance"}},
		{"skipped", pingEnd{outcome: "skipped", target: "https://api/", verdict: maint}, "", []string{"the job was not started", "kept green"}},
		{"maintenance within alert-after", pingEnd{outcome: "maintenance", jobExit: 3, maintenanceSince: now.Add(-time.Hour), alertAfter: 6 * time.Hour}, "",
			[]string{"maintenance since 2030-01-01T11:00:00Z, 1h0m0s ago", "kept green"}},
		{"maintenance past alert-after", pingEnd{outcome: "maintenance", jobExit: 3, maintenanceSince: now.Add(-7 * time.Hour), alertAfter: 6 * time.Hour}, "3",
			[]string{"7h0m0s ago", "longer than --alert-after 6h0m0s, so this is a failure"}},
		{"skipped past alert-after", pingEnd{outcome: "skipped", maintenanceSince: now.Add(-7 * time.Hour), alertAfter: 6 * time.Hour}, "fail", []string{"not started"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			suffix, note := endPing(tt.e, now)
			assert.Equal(t, tt.suffix, suffix)
			for _, w := range tt.note {
				assert.Contains(t, note, w)
			}
			if tt.note == nil && tt.e.outcome == "ok" {
				assert.Empty(t, note)
			}
		})
	}
}

// TestRunPingAlertAfter: with --state, a job that keeps failing in
// maintenance is pinged green until the maintenance has lasted
// --alert-after, then as a failure (run's own bookkeeping says since when).
func TestRunPingAlertAfter(t *testing.T) {
	t.Parallel()
	svc := startServer(t, testserver.Config{Mode: "osf"})
	ps := newPingServer(t, http.StatusOK)
	state := filepath.Join(t.TempDir(), "state.json")
	flags := []string{"--ping", ps.URL + "/uuid", "--state", state, "--alert-after", "30m"}
	code, _, _ := job(t, svc.URL, flags, "exit 3")
	assert.Equal(t, 0, code, "the first run opens the maintenance")
	// The maintenance began an hour ago, as the state file says.
	b, err := os.ReadFile(state)
	require.NoError(t, err)
	var sf stateFile
	require.NoError(t, json.Unmarshal(b, &sf))
	require.Len(t, sf.Jobs, 1)
	for _, st := range sf.Jobs {
		require.NotNil(t, st.Maintenance)
		st.Maintenance.Since = st.Maintenance.Since.Add(-time.Hour)
	}
	b, err = json.Marshal(sf)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(state, b, 0o600))
	code, _, _ = job(t, svc.URL, flags, "exit 3")
	assert.Equal(t, 3, code, "past --alert-after")
	pings := ps.received()
	require.Len(t, pings, 4)
	assert.Equal(t, "/uuid", pings[1].Path, "green during the maintenance")
	assert.Equal(t, "/uuid/3", pings[3].Path, "a failure once it lasted --alert-after")
}

// The ping URL (its path is the check's secret) is not passed on to the
// job's environment.
func TestRunPingURLNotInJobEnv(t *testing.T) {
	t.Parallel()
	svc := startServer(t, testserver.Config{Mode: "ok"})
	ps := newPingServer(t, 0)
	proc := process{env: []string{"PATH=" + os.Getenv("PATH"), "DOWNFOR_PING_URL=" + ps.URL + "/secret-uuid", "KEEP=1"}}
	var out, errb bytes.Buffer
	code := runCmd(t.Context(), []string{"--url", svc.URL, "--", "env"},
		environment{PingURL: ps.URL + "/secret-uuid"}, proc, strings.NewReader(""), &out, &errb)
	assert.Equal(t, 0, code, errb.String())
	assert.Contains(t, out.String(), "KEEP=1")
	assert.NotContains(t, out.String(), "secret-uuid")
	require.Len(t, ps.received(), 2)
}
