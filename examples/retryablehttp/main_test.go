package main

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// A two-second window of 503s with Retry-After: 1 is waited out with one
// request per announced second, then the request succeeds. The mock server
// plays its timeline on the synctest bubble's clock, so a stalled machine
// cannot move the window under the client.
func TestRunWaitsOutWindow(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		steps, err := testserver.ParseTimeline("retry-after-seconds:2s,ok")
		require.NoError(t, err)
		srv, err := testserver.StartInMemory(testserver.Config{Timeline: steps, RetryAfter: time.Second})
		require.NoError(t, err)
		t.Cleanup(srv.Close)

		var stdout, stderr bytes.Buffer
		start := time.Now()
		code := runWith(t.Context(), nil, &stdout, &stderr, srv)
		elapsed := time.Since(start)

		require.Equal(t, 0, code, "stderr: %s", stderr.String())
		assert.Contains(t, stdout.String(), `"ok":true`)
		assert.Contains(t, stderr.String(), "(status: 503): retrying in 1", "retryablehttp's log shows the server's wait")
		assert.GreaterOrEqual(t, elapsed, 2*time.Second, "it waited for the window to end")
		assert.Less(t, elapsed, 4*time.Second, "and not much longer (fake clock: jitter only)")

		var pages []string
		for _, r := range srv.Requests() {
			if r.Path == "/feed" {
				pages = append(pages, r.Mode)
			}
		}
		assert.Equal(t, []string{"retry-after-seconds", "retry-after-seconds", "ok"}, pages,
			"one request at the start and one per Retry-After")
	})
}

// The same over a real loopback socket: the program works end to end.
func TestRunOverLoopback(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"-timeline", "retry-after-seconds:2s,ok"}, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	assert.Contains(t, stdout.String(), `"ok":true`)
}

func TestRunSkipsLongMaintenance(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"-timeline", "retry-after-far-future"}, &stdout, &stderr)
	assert.Equal(t, 75, code)
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "retryablehttp: skipped, try later: downfor: skip")
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{{"-timeline", "no-such-mode"}, {"a", "b"}, {"-bogus"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(t.Context(), args, &stdout, &stderr), "%q", args)
	}
}
