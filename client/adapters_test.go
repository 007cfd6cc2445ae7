package client_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

func userRetryable(dc *client.Client, rt http.RoundTripper, retryMax int) *retryablehttp.Client {
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryMax = retryMax
	rc.HTTPClient = &http.Client{Transport: rt}
	dc.Install(rc)
	return rc
}

// TestRetryableHooks: the hooks on a retryablehttp.Client of the caller's.
func TestRetryableHooks(t *testing.T) {
	t.Run("waits the server's time", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Timeline: timeline(t, "retry-after-seconds:3s,ok"), RetryAfter: 3 * time.Second})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			rc := userRetryable(dc, srv.InMemoryTransport(), 10)
			start := time.Now()
			resp, err := rc.Get(srv.URL + "/x")
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, 200, resp.StatusCode)
			assert.GreaterOrEqual(t, time.Since(start), 3*time.Second)
			assert.Less(t, time.Since(start), 3400*time.Millisecond)
			// Two pages; the probe is consulted on the 503 (the hooks keep
			// no state, so it is cached, not remembered).
			assert.Equal(t, 2, pageCount(srv, "/x"))
			assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
		})
	})
	t.Run("skips past max wait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "django"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			rc := userRetryable(dc, srv.InMemoryTransport(), 10)
			_, err := rc.Get(srv.URL + "/x")
			de := asError(t, err)
			assert.ErrorIs(t, err, client.ErrSkip)
			assert.ErrorIs(t, err, client.ErrMaintenance)
			require.NotNil(t, de.Response)
			assert.Equal(t, 503, de.Response.StatusCode)
			assert.Equal(t, 1, pageCount(srv, "/x"))
			assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
		})
	})
	t.Run("RetryMax ends malfunction with the policy's otherwise", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "error-500"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport(), InBandOnly: true})
			rc := userRetryable(dc, srv.InMemoryTransport(), 2)
			start := time.Now()
			_, err := rc.Get(srv.URL + "/x")
			de := asError(t, err)
			assert.ErrorIs(t, err, client.ErrAlert)
			assert.ErrorIs(t, err, client.ErrMalfunction)
			assert.Equal(t, 3, de.Attempts)
			require.NotNil(t, de.Response)
			body, _ := io.ReadAll(de.Response.Body)
			assert.NotEmpty(t, body)
			assert.GreaterOrEqual(t, time.Since(start), 2*time.Second, "at least the floor twice")
		})
	})
	t.Run("network errors back off on the schedule", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			var calls atomic.Int32
			rt := rtFunc(func(*http.Request) (*http.Response, error) {
				calls.Add(1)
				return nil, &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
			})
			dc := client.New(client.Config{Transport: rt, InBandOnly: true})
			rc := userRetryable(dc, rt, 3)
			start := time.Now()
			_, err := rc.Get("http://svc.test/x")
			de := asError(t, err)
			assert.ErrorIs(t, err, client.ErrAlert)
			assert.ErrorIs(t, err, client.ErrNetwork)
			assert.ErrorIs(t, err, syscall.ECONNREFUSED)
			assert.EqualValues(t, 4, calls.Load())
			assert.Equal(t, 4, de.Attempts)
			// 1 + 2 + 4 s, each ±50%, never under the 1 s floor.
			assert.GreaterOrEqual(t, time.Since(start), 3500*time.Millisecond)
			assert.LessOrEqual(t, time.Since(start), 10500*time.Millisecond)
		})
	})
	t.Run("POST is not replayed", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "retry-after-seconds"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			rc := userRetryable(dc, srv.InMemoryTransport(), 5)
			_, err := rc.Post(srv.URL+"/x", "text/plain", []byte("data"))
			assert.ErrorIs(t, err, client.ErrSkip)
			assert.Equal(t, 1, pageCount(srv, "/x"))
			assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
		})
	})
	t.Run("ok proceeds", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "ok"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			rc := userRetryable(dc, srv.InMemoryTransport(), 5)
			resp, err := rc.Get(srv.URL + "/x")
			require.NoError(t, err)
			resp.Body.Close()
		})
	})
	t.Run("cancelled context", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "ok"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			ok, err := dc.CheckRetry()(ctx, nil, context.Canceled)
			assert.False(t, ok)
			assert.ErrorIs(t, err, context.Canceled)
			resp, err := dc.ErrorHandler()(nil, context.Canceled, 1)
			assert.Nil(t, resp)
			assert.Equal(t, context.Canceled, err)
			// A transport error that reaches it without a decision is a
			// retry cut short by RetryMax.
			_, err = dc.ErrorHandler()(nil, io.EOF, 1)
			assert.ErrorIs(t, err, client.ErrAlert)
			assert.ErrorIs(t, err, io.EOF)
		})
	})
}

// TestBackOff drives cenkalti/backoff's Retry with a BackOff.
func TestBackOff(t *testing.T) {
	run := func(t *testing.T, dc *client.Client, hc *http.Client, url string) (*http.Response, *client.BackOff, error) {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
		require.NoError(t, err)
		bo := dc.NewBackOff(req)
		var out *http.Response
		err = backoff.Retry(func() error {
			resp, err := hc.Do(req)
			if err := bo.Observe(resp, err); err != nil {
				return err
			}
			out = resp
			return nil
		}, bo)
		return out, bo, err
	}
	t.Run("waits the server's time", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Timeline: timeline(t, "retry-after-seconds:3s,ok"), RetryAfter: 3 * time.Second})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			start := time.Now()
			resp, bo, err := run(t, dc, srv.Client(), srv.URL+"/x")
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, 200, resp.StatusCode)
			assert.GreaterOrEqual(t, time.Since(start), 3*time.Second)
			assert.Equal(t, 2, pageCount(srv, "/x"))
			assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
			assert.NoError(t, bo.Err())
			assert.Equal(t, t.Context(), bo.Context())
		})
	})
	t.Run("skip is permanent", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "django"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			_, bo, err := run(t, dc, srv.Client(), srv.URL+"/x")
			de := asError(t, err)
			assert.Equal(t, client.Skip, de.Action)
			assert.ErrorIs(t, err, client.ErrMaintenance)
			assert.Equal(t, 1, pageCount(srv, "/x"))
			assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
			assert.Equal(t, de, bo.Err())
			assert.Equal(t, backoff.Stop, bo.NextBackOff())
		})
	})
	t.Run("malfunction alerts after the retries", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "error-500"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport(), InBandOnly: true})
			_, _, err := run(t, dc, srv.Client(), srv.URL+"/x")
			de := asError(t, err)
			assert.Equal(t, client.Alert, de.Action)
			assert.Equal(t, 4, de.Attempts)
			assert.Len(t, srv.Requests(), 4)
		})
	})
	t.Run("a client error proceeds", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "cf-static"})
			dc := client.New(client.Config{Transport: srv.InMemoryTransport()})
			resp, _, err := run(t, dc, srv.Client(), srv.URL+"/x")
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, 404, resp.StatusCode)
		})
	})
	t.Run("without Observe: the schedule, within MaxWait", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			dc := client.New(client.Config{MaxWait: 10 * time.Second, InBandOnly: true})
			req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://svc.test/", nil)
			bo := dc.NewBackOff(req)
			var total time.Duration
			n := 0
			for d := bo.NextBackOff(); d != backoff.Stop; d = bo.NextBackOff() {
				assert.GreaterOrEqual(t, d, client.DefaultFloor)
				total += d
				n++
			}
			assert.LessOrEqual(t, total, 10*time.Second)
			assert.GreaterOrEqual(t, n, 2)
			bo.Reset()
			assert.NotEqual(t, backoff.Stop, bo.NextBackOff())
		})
	})
	t.Run("caller's cancellation is permanent", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			dc := client.New(client.Config{InBandOnly: true})
			ctx, cancel := context.WithCancel(t.Context())
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://svc.test/", nil)
			bo := dc.NewBackOff(req)
			cancel()
			err := bo.Observe(nil, context.Canceled)
			var perm *backoff.PermanentError
			assert.True(t, errors.As(err, &perm))
			assert.Equal(t, backoff.Stop, bo.NextBackOff())
		})
	})
	t.Run("observe reports to the hook", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "ok"})
			var h hooked
			dc := client.New(client.Config{Transport: srv.InMemoryTransport(), OnVerdict: h.hook})
			resp, _, err := run(t, dc, srv.Client(), srv.URL+"/x")
			require.NoError(t, err)
			resp.Body.Close()
			assert.Equal(t, []classify.Class{classify.OK}, h.classes())
		})
	})
}
