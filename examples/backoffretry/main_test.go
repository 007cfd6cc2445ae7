package main

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

func startServer(t *testing.T, timeline string) *testserver.Server {
	t.Helper()
	steps, err := testserver.ParseTimeline(timeline)
	require.NoError(t, err)
	srv, err := testserver.Start(testserver.Config{Timeline: steps, RetryAfter: time.Second})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// pageModes returns the mode that served each request to /feed.
func pageModes(srv *testserver.Server) []string {
	var modes []string
	for _, r := range srv.Requests() {
		if r.Path == "/feed" {
			modes = append(modes, r.Mode)
		}
	}
	return modes
}

// The loop waits as long as each Retry-After says, not per its own
// schedule, and succeeds once the window is over.
func TestFetchHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "retry-after-seconds:2s,ok")

	var waits []time.Duration
	var out bytes.Buffer
	err := fetch(t.Context(), client.New(client.Config{}), srv.Client(), srv.URL+"/feed", &out,
		func(_ error, d time.Duration) { waits = append(waits, d) })
	require.NoError(t, err)
	assert.Contains(t, out.String(), `"ok":true`)

	assert.Equal(t, []string{"retry-after-seconds", "retry-after-seconds", "ok"}, pageModes(srv))
	require.Len(t, waits, 2)
	for _, d := range waits {
		// Retry-After: 1, plus at most 10% jitter, never less.
		assert.GreaterOrEqual(t, d, time.Second)
		assert.LessOrEqual(t, d, 1100*time.Millisecond)
	}
}

func TestFetchSkipsLongMaintenance(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "retry-after-huge")

	err := fetch(t.Context(), client.New(client.Config{}), srv.Client(), srv.URL+"/feed", &bytes.Buffer{}, nil)
	assert.ErrorIs(t, err, client.ErrSkip)
	assert.ErrorIs(t, err, client.ErrMaintenance)
	var de *client.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, classify.Implied, de.Verdict.Confidence)
	assert.Equal(t, http.StatusServiceUnavailable, de.Response.StatusCode)
	assert.Len(t, pageModes(srv), 1, "no second request")
}

func TestFetchAlertsOnMalfunction(t *testing.T) {
	t.Parallel()
	srv := startServer(t, "error-500")

	dc := client.New(client.Config{Schedule: client.Schedule{Floor: 10 * time.Millisecond}})
	err := fetch(t.Context(), dc, srv.Client(), srv.URL+"/feed", &bytes.Buffer{}, nil)
	assert.ErrorIs(t, err, client.ErrAlert)
	assert.ErrorIs(t, err, client.ErrMalfunction)
	assert.Len(t, pageModes(srv), 1+3) // the first attempt and the 3 retries of the default policy
}

func TestRun(t *testing.T) {
	tests := []struct {
		timeline   string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{timeline: "ok", wantCode: 0, wantStdout: `"ok":true`},
		{timeline: "retry-after-far-future", wantCode: 75, wantStderr: "backoffretry: skipped, try later: downfor: skip"},
		{timeline: "cf-static", wantCode: 1, wantStderr: "backoffretry: GET http://"},
	}
	for _, tt := range tests {
		t.Run(tt.timeline, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"-timeline", tt.timeline}, &stdout, &stderr)
			assert.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			assert.Contains(t, stdout.String(), tt.wantStdout)
			assert.Contains(t, stderr.String(), tt.wantStderr)
		})
	}
}
