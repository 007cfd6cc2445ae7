package client_test

import (
	"context"
	"errors"
	"io"
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

// TestFirstAttemptHandedOver: the first attempt, sent before the retry
// loop, is classified by it and never sent twice; a retry rewinds the body
// through GetBody; the caller gets its own request back.
func TestFirstAttemptHandedOver(t *testing.T) {
	for _, tt := range []struct {
		name  string
		hooks bool // OnVerdict set: no quick return, even on the 2xx
	}{
		{"quick", false},
		{"with hook", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				var bodies []string
				rt := rtFunc(func(r *http.Request) (*http.Response, error) {
					b, err := io.ReadAll(r.Body)
					require.NoError(t, err)
					r.Body.Close()
					bodies = append(bodies, string(b))
					if len(bodies) == 1 {
						return &http.Response{StatusCode: 503, Header: http.Header{"Retry-After": {"60"}}, // a window
							Body: io.NopCloser(strings.NewReader("busy")), Request: r}, nil
					}
					return &http.Response{StatusCode: 200, Header: http.Header{},
						Body: io.NopCloser(strings.NewReader("done")), Request: r}, nil
				})
				var verdicts []classify.Class
				cfg := client.Config{Transport: rt, InBandOnly: true, Jitter: client.Jitter{Fraction: -1}}
				if tt.hooks {
					cfg.OnVerdict = func(_ *http.Request, v classify.Verdict, _ client.Decision) {
						verdicts = append(verdicts, v.Class)
					}
				}
				c := client.New(cfg)
				req, err := http.NewRequest(http.MethodPut, "http://svc.test/x", strings.NewReader("payload"))
				require.NoError(t, err)
				start := time.Now()
				resp, err := c.RoundTrip(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				require.NoError(t, err)
				assert.Equal(t, "done", string(b))
				assert.Same(t, req, resp.Request)
				assert.Equal(t, []string{"payload", "payload"}, bodies, "two attempts, the body rewound")
				assert.Equal(t, 60*time.Second, time.Since(start))
				if tt.hooks {
					assert.Equal(t, []classify.Class{classify.Maintenance, classify.OK}, verdicts)
				}
			})
		})
	}
}

// TestFirstAttemptQuickReturn: a 2xx on the first attempt reaches the
// caller as the transport returned it, with the caller's own request.
func TestFirstAttemptQuickReturn(t *testing.T) {
	calls := 0
	var sent *http.Request
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		sent = r
		return &http.Response{StatusCode: 204, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	c := client.New(client.Config{Transport: rt, AttemptTimeout: -1})
	req, err := http.NewRequest(http.MethodGet, "http://svc.test/x", nil)
	require.NoError(t, err)
	resp, err := c.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 1, calls)
	assert.Same(t, req, sent, "no copy of the request on the happy path")
	assert.Same(t, req, resp.Request)
}

// TestFirstAttemptCancelled: the caller's own cancellation of the first
// attempt is returned as it is, and a context that ended before a 2xx
// arrived ends the request too, as before the first attempt left the loop.
func TestFirstAttemptCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		cancel()
		return nil, r.Context().Err()
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://svc.test/x", nil)
	require.NoError(t, err)
	_, err = client.New(client.Config{Transport: rt}).RoundTrip(req)
	require.ErrorIs(t, err, context.Canceled)
	var de *client.Error
	assert.False(t, errors.As(err, &de), "%v", err)

	ctx, cancel = context.WithCancel(t.Context())
	closed := false
	rt = rtFunc(func(r *http.Request) (*http.Response, error) {
		cancel()
		return &http.Response{StatusCode: 200, Header: http.Header{},
			Body: closeFunc{Reader: strings.NewReader("x"), close: func() { closed = true }}, Request: r}, nil
	})
	req, err = http.NewRequestWithContext(ctx, http.MethodGet, "http://svc.test/x", nil)
	require.NoError(t, err)
	resp, err := client.New(client.Config{Transport: rt}).RoundTrip(req)
	assert.Nil(t, resp)
	require.ErrorIs(t, err, context.Canceled)
	assert.True(t, closed, "the dropped response's body is closed")
}

type closeFunc struct {
	io.Reader
	close func()
}

func (c closeFunc) Close() error { c.close(); return nil }

// TestAttemptTimeoutCallerTransport: a caller's *http.Transport without a
// header timeout gets one on a clone (the caller's is not modified); one
// with a tighter header timeout of its own keeps it.
func TestAttemptTimeoutCallerTransport(t *testing.T) {
	srv, err := testserver.New("hang")
	require.NoError(t, err)
	defer srv.Close()
	for _, tt := range []struct {
		name            string
		own, attemptMax time.Duration
	}{
		{"none of its own", 0, 50 * time.Millisecond},
		{"looser of its own", time.Hour, 50 * time.Millisecond},
		{"tighter of its own", 50 * time.Millisecond, time.Hour},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tr := &http.Transport{ResponseHeaderTimeout: tt.own}
			defer tr.CloseIdleConnections()
			hc := client.Wrap(&http.Client{Transport: tr}, client.Config{AttemptTimeout: tt.attemptMax, InBandOnly: true, MaxWait: -1})
			defer hc.CloseIdleConnections()
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
			require.NoError(t, err)
			resp, err := hc.Do(req)
			if resp != nil {
				resp.Body.Close()
			}
			var de *client.Error
			require.ErrorAs(t, err, &de, "%v", err)
			assert.Equal(t, classify.Network, de.Verdict.Class)
			e, ok := de.Verdict.Strongest()
			require.True(t, ok)
			assert.Equal(t, "timeout", e.Signal, "%v", de.Verdict)
			assert.NoError(t, ctx.Err())
			assert.Equal(t, tt.own, tr.ResponseHeaderTimeout, "the caller's transport is not modified")
		})
	}
}

// TestProbeNotAnnouncedRemembered: while the service itself says
// maintenance without timing, a probe that answered 404 is not asked again
// at every poll of the same request.
func TestProbeNotAnnouncedRemembered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Timeline: timeline(t, "osf:2m,ok")})
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), MaxWait: 5 * time.Minute})
		resp, err := c.StandardClient().Get(srv.URL + "/x")
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		pages, probes := 0, 0
		for _, r := range srv.Requests() {
			if r.Path == testserver.ProbePath {
				probes++
			} else {
				pages++
			}
		}
		assert.Greater(t, pages, 3, "the page is polled")
		assert.Equal(t, 1, probes, "the probe is asked once")
	})
}

// TestFirstAttemptNotAsIs: a request that net/http's Client would change
// (user info in its URL, no Header: RoundTrip called directly) is sent as
// the retry loop's Client sends it, first attempt included.
func TestFirstAttemptNotAsIs(t *testing.T) {
	var auth []string
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		if r.Header == nil {
			return nil, errors.New("nil header")
		}
		auth = append(auth, r.Header.Get("Authorization"))
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	c := client.New(client.Config{Transport: rt, InBandOnly: true})
	req, err := http.NewRequest(http.MethodGet, "http://u:p@svc.test/x", nil)
	require.NoError(t, err)
	resp, err := c.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	req.Header = nil
	resp, err = c.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, []string{"Basic dTpw", "Basic dTpw"}, auth)
	assert.Nil(t, req.Header, "the caller's request is not modified")
}
