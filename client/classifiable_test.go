package client_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

// TestCallerTimeoutIsClassified (issue 13): an attempt that hits the
// caller's own http.Client.Timeout (or its context's deadline) fails like
// every other failure: an *Error matching ErrNetwork, that still reports
// Timeout() through net/http's *url.Error. Before, it was a bare
// *url.Error, and errors.Is(err, client.ErrNetwork) was false.
func TestCallerTimeoutIsClassified(t *testing.T) {
	t.Run("http.Client.Timeout", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			calls := 0
			hc := client.Wrap(&http.Client{Transport: hangingTransport{calls: &calls}, Timeout: 3 * time.Second},
				client.Config{InBandOnly: true, AttemptTimeout: -1})
			_, err := hc.Get("http://svc.test/x")
			require.Error(t, err)
			assertNetworkTimeout(t, err)
			assert.Equal(t, 1, calls)
		})
	})
	t.Run("context deadline, with the probe", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			calls := 0
			c := client.New(client.Config{Transport: hangingTransport{calls: &calls}, AttemptTimeout: -1})
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://svc.test/x", nil)
			require.NoError(t, err)
			_, err = c.StandardClient().Do(req)
			assertNetworkTimeout(t, err)
			assert.Equal(t, 1, calls, "no source is consulted once the deadline passed")
		})
	})
	t.Run("a deadline during a later attempt", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Timeline: timeline(t, "error-500:2s,hang")})
			hc := client.Wrap(&http.Client{Transport: srv.InMemoryTransport(), Timeout: 30 * time.Second},
				client.Config{InBandOnly: true, AttemptTimeout: -1})
			_, err := hc.Get(srv.URL + "/x")
			de := assertNetworkTimeout(t, err)
			assert.Greater(t, de.Attempts, 1)
		})
	})
}

func assertNetworkTimeout(t *testing.T, err error) *client.Error {
	t.Helper()
	var de *client.Error
	require.ErrorAs(t, err, &de, "%v", err)
	assert.ErrorIs(t, err, client.ErrNetwork)
	assert.ErrorIs(t, err, client.ErrAlert)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Equal(t, classify.Network, de.Verdict.Class)
	var ne interface{ Timeout() bool }
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout(), "%v", err)
	return de
}

// TestWaitsRounded (issue 13): waits in reasons, decisions and errors are
// shown as people read them: "1s", not "997ms".
func TestWaitsRounded(t *testing.T) {
	assert.Equal(t, "wait 1s", client.Decision{Action: client.Wait, Delay: 997 * time.Millisecond}.String())
	assert.Equal(t, "wait 3s", client.Decision{Action: client.Wait, Delay: 3217 * time.Millisecond}.String())
	assert.Equal(t, "wait 250ms", client.Decision{Action: client.Wait, Delay: 250 * time.Millisecond}.String())

	e := &client.Error{Verdict: classify.Verdict{Class: classify.Malfunction}, Action: client.Alert, Attempts: 4, Waited: 6997 * time.Millisecond}
	assert.Equal(t, "downfor: alert after 4 attempts (waited 7s): malfunction", e.Error())

	d := client.Config{}.Decide(retryAfter(classify.Maintenance, 2*time.Hour), client.State{Now: t0, Waited: 3*time.Second + 3*time.Millisecond})
	assert.Equal(t, "the server asks to wait 2h0m0s, past the maximum wait (4m57s left)", d.Reason)
	d = client.Config{}.Decide(retryAfter(classify.Maintenance, 2*time.Minute), client.State{Now: t0, Deadline: t0.Add(59*time.Second + 997*time.Millisecond)})
	assert.Equal(t, "the server asks to wait 2m0s, past the context deadline (1m0s left)", d.Reason)
	for _, s := range []string{d.Reason, e.Error()} {
		assert.False(t, strings.Contains(s, "ms"), s)
	}
	assert.NotErrorIs(t, e, errors.ErrUnsupported)
}
