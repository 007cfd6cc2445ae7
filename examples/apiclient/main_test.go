package main

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

// newService returns a Service for srv whose *http.Client waits at most
// maxWait.
func newService(t *testing.T, srv *testserver.Server, maxWait time.Duration) *Service {
	t.Helper()
	hc := client.Wrap(&http.Client{Timeout: 10 * time.Second}, client.Config{MaxWait: maxWait})
	t.Cleanup(hc.CloseIdleConnections)
	svc, err := NewService(srv.URL, hc)
	require.NoError(t, err)
	return svc
}

func TestStatusOK(t *testing.T) {
	srv, err := testserver.New("ok")
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	st, err := newService(t, srv, time.Second).Status(t.Context())
	require.NoError(t, err)
	assert.True(t, st.OK)
	assert.WithinDuration(t, time.Now(), st.Time, time.Minute)

	reqs := srv.Requests()
	require.Len(t, reqs, 1)
	assert.Equal(t, "/v1/status", reqs[0].Path)
}

func TestStatusMaintenance(t *testing.T) {
	tests := []struct {
		mode           string
		wantConfidence classify.Strength
		wantRetryAfter time.Duration // 0: the server gave none
	}{
		{mode: "turnout", wantConfidence: classify.Implied, wantRetryAfter: 2 * time.Hour},
		{mode: "osf", wantConfidence: classify.Explicit},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			srv, err := testserver.New(tt.mode)
			require.NoError(t, err)
			t.Cleanup(srv.Close)

			_, err = newService(t, srv, 100*time.Millisecond).Status(t.Context())
			require.Error(t, err)
			assert.ErrorIs(t, err, client.ErrSkip)
			assert.ErrorIs(t, err, client.ErrMaintenance)
			assert.NotErrorIs(t, err, client.ErrAlert)

			var de *client.Error
			require.ErrorAs(t, err, &de)
			assert.Equal(t, classify.Maintenance, de.Verdict.Class)
			assert.Equal(t, tt.wantConfidence, de.Verdict.Confidence)
			assert.Equal(t, tt.wantRetryAfter, de.Verdict.RetryAfter)
			require.NotNil(t, de.Response)
			assert.Equal(t, http.StatusServiceUnavailable, de.Response.StatusCode)
		})
	}
}

// A window shorter than MaxWait is waited out: the caller never sees it.
func TestStatusWaitsOutShortWindow(t *testing.T) {
	steps, err := testserver.ParseTimeline("laravel:1s,ok")
	require.NoError(t, err)
	srv, err := testserver.Start(testserver.Config{Timeline: steps, RetryAfter: time.Second})
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	st, err := newService(t, srv, 5*time.Second).Status(t.Context())
	require.NoError(t, err)
	assert.True(t, st.OK)
	var pages, probes int
	for _, r := range srv.Requests() {
		switch r.Path {
		case testserver.ProbePath:
			probes++
		default:
			pages++
		}
	}
	assert.Equal(t, 2, pages, "one 503 with Retry-After: 1, then one 200")
	assert.Equal(t, 1, probes, "the probe, consulted once on the 503")
}

func TestStatusMalfunction(t *testing.T) {
	srv, err := testserver.New("error-500")
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	_, err = newService(t, srv, 100*time.Millisecond).Status(t.Context())
	assert.ErrorIs(t, err, client.ErrAlert)
	assert.ErrorIs(t, err, client.ErrMalfunction)
	var de *client.Error
	require.ErrorAs(t, err, &de)
	require.NotNil(t, de.Response)
	body, err := io.ReadAll(de.Response.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), "internal server error")
}

// A 4xx is the API client's to report: downfor proceeds with it.
func TestStatusClientError(t *testing.T) {
	srv, err := testserver.New("cf-static") // 404 everywhere but /
	require.NoError(t, err)
	t.Cleanup(srv.Close)

	_, err = newService(t, srv, 100*time.Millisecond).Status(t.Context())
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusNotFound, ae.StatusCode)
	var de *client.Error
	assert.False(t, errors.As(err, &de))
}

func TestRun(t *testing.T) {
	tests := []struct {
		mode       string
		wantCode   int
		wantStdout string
		wantStderr string
	}{
		{mode: "ok", wantCode: 0, wantStdout: "service is up (ok=true"},
		{mode: "turnout", wantCode: 75, wantStdout: "service is down for maintenance; try again later (in 2h0m0s)"},
		{mode: "throttled", wantCode: 75, wantStdout: "service is busy; try again later (in 30s)"},
		{mode: "error-500", wantCode: 1, wantStderr: "apiclient: service is broken after"},
		{mode: "cf-static", wantCode: 1, wantStderr: "apiclient: status 404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), []string{"-mode", tt.mode, "-max-wait", "100ms"}, &stdout, &stderr)
			assert.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			if tt.wantStdout != "" {
				assert.Contains(t, stdout.String(), tt.wantStdout)
			}
			if tt.wantStderr != "" {
				assert.Contains(t, stderr.String(), tt.wantStderr)
			}
		})
	}
}
