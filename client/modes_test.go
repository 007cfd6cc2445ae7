package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// fastConfig keeps every wait and retry short so that a test against a
// real server stays fast.
func fastConfig(srv *testserver.Server, mode string, h *hooked) client.Config {
	// Only the network modes need short timeouts; the others get room for
	// a loaded machine (-race, every mode in parallel).
	headerTimeout, probeTimeout := 5*time.Second, 2*time.Second
	switch mode {
	case "hang":
		headerTimeout = 300 * time.Millisecond
	case "probe-hang":
		probeTimeout = 300 * time.Millisecond
	}
	return client.Config{
		MaxWait:   100 * time.Millisecond,
		Schedule:  client.Schedule{Floor: 5 * time.Millisecond, Ceiling: 20 * time.Millisecond},
		On:        client.Policies{Malfunction: client.Policy{Retries: 1}, Network: client.Policy{Retries: 1}},
		Transport: &http.Transport{ResponseHeaderTimeout: headerTimeout},
		Probe: probe.Config{
			Timeout:       probeTimeout,
			HealthURL:     "/health",
			StatusPageURL: srv.URL,
		},
		OnVerdict: h.hook,
	}
}

// TestEveryMode drives the client against the real testserver in every
// mode (testserver.Modes) and checks the class it reaches.
func TestEveryMode(t *testing.T) {
	t.Parallel()
	for _, m := range testserver.Modes() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			srv, err := testserver.Start(testserver.Config{Mode: m.Name, HugeBody: 64 << 20})
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			var h hooked
			cfg := fastConfig(srv, m.Name, &h)
			c := client.New(cfg)
			t.Cleanup(c.CloseIdleConnections)

			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/things", nil)
			require.NoError(t, err)
			req.Header.Set("Accept", "application/json")
			resp, err := c.StandardClient().Do(req)

			var got classify.Verdict
			var de *client.Error
			switch {
			case errors.As(err, &de):
				got = de.Verdict
			case err != nil:
				t.Fatalf("unexpected error: %v", err)
			default:
				defer resp.Body.Close()
				h.mu.Lock()
				got = h.verdicts[len(h.verdicts)-1]
				h.mu.Unlock()
			}
			if m.Name == "slow-body" {
				// The headers come at once (ok); the network error shows
				// when the caller's timeout passes while reading the body.
				require.NoError(t, err)
				assert.Equal(t, classify.OK, got.Class)
				rctx, rcancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
				defer rcancel()
				req2, _ := http.NewRequestWithContext(rctx, http.MethodGet, srv.URL+"/api/things", nil)
				resp2, err := c.StandardClient().Do(req2)
				require.NoError(t, err)
				_, err = io.ReadAll(resp2.Body)
				resp2.Body.Close()
				require.Error(t, err)
				got = classify.Error(err)
			}
			assert.Equal(t, m.Class, got.Class.String(), "verdict: %v", got)
			if m.Class == classify.Maintenance.String() {
				assert.Equal(t, m.Confidence, got.Confidence.String(), "verdict: %v", got)
			}
			// What the class implies for the outcome.
			switch m.Class {
			case classify.OK.String(), classify.ClientError.String():
				if m.Name != "slow-body" {
					assert.NoError(t, err)
				}
			case classify.Maintenance.String(), classify.Throttled.String():
				assert.ErrorIs(t, err, client.ErrSkip)
			case classify.Malfunction.String(), classify.Network.String():
				if m.Name != "slow-body" {
					assert.ErrorIs(t, err, client.ErrAlert)
				}
			}
		})
	}
}

// TestGitLabReadOnlyWrites: GitLab's read-only 403 on a write is implied
// maintenance; the POST is not replayed and skips.
func TestGitLabReadOnlyWrites(t *testing.T) {
	srv, err := testserver.New("gitlab-read-only")
	require.NoError(t, err)
	defer srv.Close()
	c := client.New(client.Config{MaxWait: 100 * time.Millisecond})
	defer c.CloseIdleConnections()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/api/v4/projects", strings.NewReader(`{"name":"x"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	_, err = c.StandardClient().Do(req)
	de := asError(t, err)
	assert.Equal(t, classify.Maintenance, de.Verdict.Class)
	assert.Equal(t, classify.Implied, de.Verdict.Confidence)
	assert.ErrorIs(t, err, client.ErrSkip)
	assert.Equal(t, 1, pageCount(srv, "/api/v4/projects"), "sent once")
}

// TestCustomRuleMode: the Cloud Foundry maintenance app answers 200 with a
// header; a rule makes it maintenance.
func TestCustomRuleMode(t *testing.T) {
	srv, err := testserver.New("cf-json-200")
	require.NoError(t, err)
	defer srv.Close()
	rule, err := classify.ParseRule("header:StatusHeader=maintenance window")
	require.NoError(t, err)
	c := client.New(client.Config{MaxWait: 50 * time.Millisecond, Classify: classify.Options{Rules: []classify.Rule{rule}}})
	defer c.CloseIdleConnections()
	_, err = get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
	assert.ErrorIs(t, err, client.ErrMaintenance)
	assert.ErrorIs(t, err, client.ErrSkip)
}
