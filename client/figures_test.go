package client_test

import (
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

// TestWindowFigures measures, in virtual time, the figures of
// BENCHMARKS.md for one maintenance window of 60 s announced 20 s at a time:
// the requests each client sends during the window and how long after its
// end it gets its answer, beside go-retryablehttp's defaults and a naive
// exponential backoff that ignores Retry-After.
func TestWindowFigures(t *testing.T) {
	type outcome struct {
		requests int // to the page
		probes   int // to the well-known probe
		lag      time.Duration
		ok       bool
	}
	const window = 60 * time.Second
	measure := func(t *testing.T, do func(srv *testserver.Server) bool) outcome {
		var out outcome
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Timeline: timeline(t, "retry-after-seconds:60s,ok"), RetryAfter: 20 * time.Second})
			start := time.Now()
			out.ok = do(srv)
			out.requests = pageCount(srv, "/x")
			out.probes = pageCount(srv, "/down-for-maintenance")
			out.lag = time.Since(start) - window
		})
		return out
	}
	getOK := func(hc *http.Client, url string) bool {
		resp, err := hc.Get(url)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}

	ours := measure(t, func(srv *testserver.Server) bool {
		return getOK(client.New(client.Config{Transport: srv.InMemoryTransport()}).StandardClient(), srv.URL+"/x")
	})
	unjittered := measure(t, func(srv *testserver.Server) bool {
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), Jitter: client.Jitter{Fraction: -1}})
		return getOK(c.StandardClient(), srv.URL+"/x")
	})
	retryable := measure(t, func(srv *testserver.Server) bool {
		rc := retryablehttp.NewClient()
		rc.Logger = nil
		rc.HTTPClient = &http.Client{Transport: srv.InMemoryTransport()}
		return getOK(rc.StandardClient(), srv.URL+"/x")
	})
	naive := measure(t, func(srv *testserver.Server) bool {
		hc := &http.Client{Transport: srv.InMemoryTransport()}
		b := backoff.NewExponentialBackOff(backoff.WithMaxElapsedTime(2 * time.Minute))
		return backoff.Retry(func() error {
			if getOK(hc, srv.URL+"/x") {
				return nil
			}
			return errNotOK
		}, b) == nil
	})
	t.Logf("60 s window, Retry-After 20 s: downfor %d requests + %d probe, lag %v (without jitter %d, %v); retryablehttp %d requests, lag %v (ok %v); naive exponential %d requests, lag %v (ok %v)",
		ours.requests, ours.probes, ours.lag.Round(time.Millisecond), unjittered.requests, unjittered.lag,
		retryable.requests, retryable.lag.Round(time.Millisecond), retryable.ok,
		naive.requests, naive.lag.Round(time.Millisecond), naive.ok)
	for _, o := range []outcome{ours, unjittered} {
		require.True(t, o.ok)
		assert.LessOrEqual(t, o.requests, 1+3, "at most 1 + one per announced Retry-After")
		// The sources are consulted on the first 503; the probe's "not
		// announced" is remembered for the rest of the request.
		assert.Equal(t, 1, o.probes)
		assert.GreaterOrEqual(t, o.lag, time.Duration(0))
	}
	// The server re-announces 20 s from each answer, so each wait's jitter
	// (at most 10% of 20 s) carries over to the next: under 1 s plus three
	// jitters.
	assert.Less(t, ours.lag, time.Second+3*2*time.Second)
	assert.Less(t, unjittered.lag, time.Second)
}

type notOK struct{}

func (notOK) Error() string { return "not ok" }

var errNotOK error = notOK{}

// TestProbesShared: N goroutines meeting one window send one probe per
// cache period, not N.
func TestProbesShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "probe-only"}) // the probe announces 10 min: past MaxWait
		c := client.New(client.Config{Transport: srv.InMemoryTransport()})
		const n = 50
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = c.StandardClient().Get(srv.URL + "/x")
			})
		}
		wg.Wait()
		for _, err := range errs {
			assert.ErrorIs(t, err, client.ErrSkip)
			assert.ErrorIs(t, err, client.ErrMaintenance)
		}
		probes := pageCount(srv, "/down-for-maintenance")
		t.Logf("%d goroutines, one window: %d probe requests", n, probes)
		assert.Equal(t, 1, probes)
		assert.Equal(t, n, pageCount(srv, "/x"))
	})
}
