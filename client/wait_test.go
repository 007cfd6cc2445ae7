package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

// hooked collects what OnVerdict reports.
type hooked struct {
	mu        sync.Mutex
	verdicts  []classify.Verdict
	decisions []client.Decision
}

func (h *hooked) hook(_ *http.Request, v classify.Verdict, d client.Decision) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.verdicts = append(h.verdicts, v)
	h.decisions = append(h.decisions, d)
}

func (h *hooked) classes() []classify.Class {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []classify.Class
	for _, v := range h.verdicts {
		out = append(out, v.Class)
	}
	return out
}

func (h *hooked) actions() []client.Action {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []client.Action
	for _, d := range h.decisions {
		out = append(out, d.Action)
	}
	return out
}

// memServer starts an in-memory testserver inside the current bubble.
func memServer(t *testing.T, cfg testserver.Config) *testserver.Server {
	t.Helper()
	srv, err := testserver.StartInMemory(cfg)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

func timeline(t *testing.T, s string) []testserver.Step {
	t.Helper()
	steps, err := testserver.ParseTimeline(s)
	require.NoError(t, err)
	return steps
}

func get(t *testing.T, hc *http.Client, ctx context.Context, url string) (*http.Response, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	resp, err := hc.Do(req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

func pageCount(srv *testserver.Server, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

func asError(t *testing.T, err error) *client.Error {
	t.Helper()
	var de *client.Error
	require.ErrorAs(t, err, &de)
	return de
}

// TestMaintenanceWindow: a 503 with Retry-After 3 makes the client wait at
// least 3 s (and no more than the jitter after it), then succeed; the
// server sees exactly two requests and no probe.
func TestMaintenanceWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Timeline: timeline(t, "retry-after-seconds:3s,ok"), RetryAfter: 3 * time.Second})
		var h hooked
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), OnVerdict: h.hook})
		start := time.Now()
		resp, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/api/things")
		require.NoError(t, err)
		elapsed := time.Since(start)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.GreaterOrEqual(t, elapsed, 3*time.Second)
		assert.LessOrEqual(t, elapsed, 3*time.Second+300*time.Millisecond, "jitter is at most 10%")

		// The page: 1 + one per announced Retry-After. The out-of-band
		// sources are consulted on every answer that is not ok, timing or
		// not (so that an incident can outweigh an implied maintenance);
		// the probe's "not announced" is remembered for the request.
		reqs := srv.Requests()
		require.Len(t, reqs, 3, "two pages and one probe")
		assert.Equal(t, 2, pageCount(srv, "/api/things"))
		assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
		assert.GreaterOrEqual(t, reqs[2].Time.Sub(reqs[0].Time), 3*time.Second)
		assert.Equal(t, []classify.Class{classify.Maintenance, classify.OK}, h.classes())
		assert.Equal(t, []client.Action{client.Wait, client.Proceed}, h.actions())
		assert.Equal(t, classify.Implied, h.verdicts[0].Confidence)
	})
}

// TestSkipPastMaxWait: a window that ends after MaxWait (or after the
// context's deadline) is skipped at once, never waited for in part.
func TestSkipPastMaxWait(t *testing.T) {
	tests := []struct {
		name     string
		mode     string
		maxWait  time.Duration
		deadline time.Duration
		class    error
	}{
		{"django 3600 s past the default", "django", 0, 0, client.ErrMaintenance},
		{"120 s past a 1 min max wait", "retry-after-seconds", time.Minute, 0, client.ErrMaintenance},
		{"date form past max wait", "retry-after-date", time.Minute, 0, client.ErrMaintenance},
		{"120 s past the context deadline", "retry-after-seconds", 0, time.Minute, client.ErrMaintenance},
		{"huge retry-after", "retry-after-huge", 0, 0, client.ErrMaintenance},
		{"far future", "retry-after-far-future", 0, 0, client.ErrMaintenance},
		{"throttled 30 s past 10 s", "throttled", 10 * time.Second, 0, client.ErrThrottled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv := memServer(t, testserver.Config{Mode: tt.mode})
				c := client.New(client.Config{Transport: srv.InMemoryTransport(), MaxWait: tt.maxWait})
				ctx := t.Context()
				if tt.deadline > 0 {
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, tt.deadline)
					defer cancel()
				}
				start := time.Now()
				resp, err := get(t, c.StandardClient(), ctx, srv.URL+"/x")
				assert.Nil(t, resp)
				assert.Zero(t, time.Since(start), "skips at once")
				de := asError(t, err)
				assert.ErrorIs(t, err, tt.class)
				assert.ErrorIs(t, err, client.ErrSkip)
				assert.NotErrorIs(t, err, client.ErrAlert)
				assert.Equal(t, client.Skip, de.Action)
				assert.Equal(t, 1, de.Attempts)
				assert.Zero(t, de.Waited)
				assert.NotEmpty(t, de.Reason)
				// One attempt; the probe is consulted once, so that an
				// incident could have outweighed the window.
				assert.Equal(t, 1, pageCount(srv, "/x"))
				assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
				assert.Len(t, srv.Requests(), 2)
				require.NotNil(t, de.Response, "the last response is kept")
				assert.Equal(t, de.Verdict.Status, de.Response.StatusCode)
				assert.True(t, strings.HasPrefix(de.Error(), "downfor: skip after 1 attempt: "), de.Error())
			})
		})
	}
}

// TestThrottled: 429 with Retry-After waits it out; a bare 429 is polled on
// the backoff schedule and skipped when MaxWait is used up (to within the
// floor).
func TestThrottled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Timeline: timeline(t, "throttled:30s,ok")})
		c := client.New(client.Config{Transport: srv.InMemoryTransport()})
		start := time.Now()
		resp, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.GreaterOrEqual(t, time.Since(start), 30*time.Second)
		assert.Equal(t, 2, pageCount(srv, "/x"))
		assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
		assert.Len(t, srv.Requests(), 3)
	})
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "throttled-bare"})
		var h hooked
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), MaxWait: time.Minute, OnVerdict: h.hook})
		start := time.Now()
		_, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
		de := asError(t, err)
		assert.ErrorIs(t, err, client.ErrThrottled)
		assert.ErrorIs(t, err, client.ErrSkip)
		// Polls until MaxWait, or until less than the floor is left of it:
		// no poll is shorter than the floor.
		elapsed := time.Since(start)
		assert.LessOrEqual(t, elapsed, time.Minute)
		assert.Greater(t, elapsed, time.Minute-client.DefaultFloor)
		assert.Equal(t, elapsed, de.Waited)
		n := pageCount(srv, "/x")
		assert.Equal(t, de.Attempts, n)
		assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"), "the probe's 404 is remembered")
		// 1 s, 2 s, 4 s... at most 30 s apart: a handful of requests, not a flood.
		assert.GreaterOrEqual(t, n, 4)
		assert.LessOrEqual(t, n, 12)
		for _, d := range h.decisions[:len(h.decisions)-1] {
			assert.True(t, d.Poll)
			assert.GreaterOrEqual(t, d.Delay, client.DefaultFloor)
			assert.LessOrEqual(t, d.Delay, 30*time.Second)
		}
	})
}

// TestMalfunctionRetriesThenAlerts: a 500 is retried Retries times with
// jittered exponential backoff, then alerts.
func TestMalfunctionRetriesThenAlerts(t *testing.T) {
	for _, retries := range []int{0, 1, 5} {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: "error-500"})
			var h hooked
			c := client.New(client.Config{
				Transport: srv.InMemoryTransport(), OnVerdict: h.hook,
				On: client.Policies{Malfunction: client.Policy{Retries: retries}},
			})
			want := retries
			if want == 0 {
				want = client.DefaultRetries
			}
			start := time.Now()
			_, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
			de := asError(t, err)
			assert.ErrorIs(t, err, client.ErrMalfunction)
			assert.ErrorIs(t, err, client.ErrAlert)
			assert.Equal(t, client.Alert, de.Action)
			assert.Equal(t, 1+want, de.Attempts)
			assert.Equal(t, 1+want, pageCount(srv, "/x"))
			assert.Equal(t, time.Since(start), de.Waited)
			// Exponential: each wait within [floor, 1.5 × floor × 2^(n-1)].
			for i, d := range h.decisions[:want] {
				assert.Equal(t, client.Wait, d.Action)
				assert.GreaterOrEqual(t, d.Delay, time.Second)
				assert.LessOrEqual(t, d.Delay, time.Duration(1.5*float64(time.Second<<i)), "retry %d", i+1)
			}
			require.NotNil(t, de.Response)
			body, _ := io.ReadAll(de.Response.Body)
			assert.Contains(t, string(body), "error", "the final body is kept")
		})
	}
}

// TestNetworkErrors: transport errors are retried, then alert, and the
// underlying error stays reachable.
func TestNetworkErrors(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		calls := map[string]int{}
		rt := rtFunc(func(req *http.Request) (*http.Response, error) {
			mu.Lock()
			calls[req.URL.Path]++
			mu.Unlock()
			return nil, refused
		})
		c := client.New(client.Config{Transport: rt})
		_, err := get(t, c.StandardClient(), t.Context(), "http://svc.test/x")
		de := asError(t, err)
		assert.ErrorIs(t, err, client.ErrNetwork)
		assert.ErrorIs(t, err, client.ErrAlert)
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
		assert.Equal(t, 4, de.Attempts)
		assert.Nil(t, de.Response)
		assert.Equal(t, 4, calls["/x"])
		// The probe is asked on network errors, at most once per cache
		// period (5 s): the retries come about 1, 2, 4 s apart.
		assert.GreaterOrEqual(t, calls["/down-for-maintenance"], 1)
		assert.LessOrEqual(t, calls["/down-for-maintenance"], 3)
	})
	// reset and garbage from the in-memory testserver.
	for _, mode := range []string{"reset", "garbage"} {
		synctest.Test(t, func(t *testing.T) {
			srv := memServer(t, testserver.Config{Mode: mode})
			c := client.New(client.Config{Transport: srv.InMemoryTransport(), On: client.Policies{Network: client.Policy{Retries: -1}}})
			_, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
			de := asError(t, err)
			assert.Equal(t, classify.Network, de.Verdict.Class, mode)
			assert.Equal(t, 1, de.Attempts)
		})
	}
	// A network error with a Proceed policy is returned as it is.
	synctest.Test(t, func(t *testing.T) {
		c := client.New(client.Config{
			Transport:  rtFunc(func(*http.Request) (*http.Response, error) { return nil, refused }),
			InBandOnly: true,
			On:         client.Policies{Network: client.Policy{Action: client.Proceed}},
		})
		_, err := get(t, c.StandardClient(), t.Context(), "http://svc.test/x")
		require.Error(t, err)
		var de *client.Error
		assert.False(t, errors.As(err, &de))
		assert.ErrorIs(t, err, syscall.ECONNREFUSED)
	})
}

// TestCancelEndsWait: a cancelled context ends a wait at once, with the
// last verdict and the context's cause.
func TestCancelEndsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "retry-after-seconds"}) // 120 s
		c := client.New(client.Config{Transport: srv.InMemoryTransport()})
		cause := errors.New("operator pressed ^C")
		ctx, cancel := context.WithCancelCause(t.Context())
		go func() {
			time.Sleep(10 * time.Second)
			cancel(cause)
		}()
		start := time.Now()
		_, err := get(t, c.StandardClient(), ctx, srv.URL+"/x")
		assert.Equal(t, 10*time.Second, time.Since(start), "ends at the cancellation, not at the window's end")
		de := asError(t, err)
		assert.ErrorIs(t, err, cause)
		assert.ErrorIs(t, err, client.ErrMaintenance)
		assert.Equal(t, client.Wait, de.Action)
		assert.Equal(t, classify.Maintenance, de.Verdict.Class)
		assert.Equal(t, 10*time.Second, de.Waited)
		assert.Equal(t, 1, pageCount(srv, "/x"))
		assert.Equal(t, 1, pageCount(srv, "/down-for-maintenance"))
		assert.Len(t, srv.Requests(), 2)
		assert.Contains(t, de.Error(), "wait interrupted")
	})
	// A context already cancelled: the error is the caller's, as it is.
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "ok"})
		c := client.New(client.Config{Transport: srv.InMemoryTransport()})
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err := get(t, c.StandardClient(), ctx, srv.URL+"/x")
		assert.ErrorIs(t, err, context.Canceled)
		var de *client.Error
		assert.False(t, errors.As(err, &de))
	})
	// A request that hangs until its deadline: the caller's own timeout.
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "hang"})
		c := client.New(client.Config{Transport: srv.InMemoryTransport()})
		ctx, cancel := context.WithTimeout(t.Context(), 3*time.Second)
		defer cancel()
		_, err := get(t, c.StandardClient(), ctx, srv.URL+"/x")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
	})
}

// TestRequestsNotReplayed: POST and PATCH are sent once unless the caller
// opts in or gives an Idempotency-Key; bodies are rewound with GetBody.
func TestRequestsNotReplayed(t *testing.T) {
	maint := respond(503, "down", "Retry-After", "120") // a window: a shorter one is a retry hint
	tests := []struct {
		name    string
		method  string
		key     bool
		unsafe  bool
		noGet   bool
		steps   []http.HandlerFunc
		want    int // requests the server sees
		wantErr error
	}{
		{"POST in maintenance skips", http.MethodPost, false, false, false, []http.HandlerFunc{maint, respond(200, "ok")}, 1, client.ErrSkip},
		{"PATCH in maintenance skips", http.MethodPatch, false, false, false, []http.HandlerFunc{maint, respond(200, "ok")}, 1, client.ErrSkip},
		{"POST malfunction alerts", http.MethodPost, false, false, false, []http.HandlerFunc{respond(500, "boom")}, 1, client.ErrAlert},
		{"POST throttled skips", http.MethodPost, false, false, false, []http.HandlerFunc{respond(429, "slow", "Retry-After", "1")}, 1, client.ErrThrottled},
		{"POST with Idempotency-Key replays", http.MethodPost, true, false, false, []http.HandlerFunc{maint, respond(200, "ok")}, 2, nil},
		{"POST with ReplayUnsafe replays", http.MethodPost, false, true, false, []http.HandlerFunc{maint, respond(200, "ok")}, 2, nil},
		{"PUT replays", http.MethodPut, false, false, false, []http.HandlerFunc{maint, respond(200, "ok")}, 2, nil},
		{"PUT without GetBody is not replayed", http.MethodPut, false, false, true, []http.HandlerFunc{maint, respond(200, "ok")}, 1, client.ErrSkip},
		{"POST with key but without GetBody is not replayed", http.MethodPost, true, true, true, []http.HandlerFunc{maint, respond(200, "ok")}, 1, client.ErrSkip},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := &recorder{steps: tt.steps}
				c := client.New(client.Config{Transport: handlerTransport{rec}, ReplayUnsafe: tt.unsafe})
				payload := strings.Repeat("payload ", 1000)
				var body io.Reader = strings.NewReader(payload)
				if tt.noGet {
					body = io.NopCloser(body) // not a type NewRequest knows: no GetBody
				}
				req, err := http.NewRequestWithContext(t.Context(), tt.method, "http://svc.test/items", body)
				require.NoError(t, err)
				if tt.key {
					req.Header.Set("Idempotency-Key", "k-1")
				}
				orig := req.Clone(t.Context())
				resp, err := c.StandardClient().Do(req)
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
					assert.Equal(t, 1, asError(t, err).Attempts)
				} else {
					require.NoError(t, err)
					resp.Body.Close()
				}
				pages := 0
				for _, s := range rec.all() {
					if s.Path == "/items" {
						pages++
						assert.Equal(t, tt.method, s.Method)
						assert.Equal(t, payload, s.Body, "every attempt sends the whole body")
					}
				}
				assert.Equal(t, tt.want, pages)
				// The caller's request is not modified.
				assert.Equal(t, orig.Header, req.Header)
				assert.Equal(t, orig.URL, req.URL)
				assert.Equal(t, orig.Method, req.Method)
			})
		})
	}
}

// TestProbeAnnouncedMaintenance: the pages say a bare 503, only the probe
// says maintenance. With an end (the testserver's probe gives one) the
// client waits for it; without one it polls the probe, not the page, and
// resends the request once the probe stops announcing.
func TestProbeAnnouncedMaintenance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Timeline: timeline(t, "probe-only:20s,ok")})
		var h hooked
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), OnVerdict: h.hook})
		start := time.Now()
		resp, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.GreaterOrEqual(t, time.Since(start), 20*time.Second)
		paths := []string{}
		for _, r := range srv.Requests() {
			paths = append(paths, r.Path)
		}
		// The probe's 200 is checked against a control path (a site that
		// answers 200 everywhere announces nothing).
		paths = slices.DeleteFunc(paths, func(p string) bool { return strings.HasPrefix(p, "/downfor-control-") })
		assert.Equal(t, []string{"/x", "/down-for-maintenance", "/x"}, paths)
		require.NotEmpty(t, h.verdicts)
		assert.Equal(t, classify.Maintenance, h.verdicts[0].Class)
		assert.Equal(t, classify.Explicit, h.verdicts[0].Confidence)
	})
	synctest.Test(t, func(t *testing.T) {
		var announced sync.Mutex
		on := true
		rec := &recorder{
			steps: []http.HandlerFunc{respond(503, "Service Unavailable")},
			probe: func(w http.ResponseWriter, r *http.Request) {
				announced.Lock()
				defer announced.Unlock()
				if on {
					respond(200, "down for maintenance")(w, r)
					return
				}
				http.NotFound(w, r)
			},
		}
		rec.steps = append(rec.steps, respond(200, "back"))
		c := client.New(client.Config{
			Transport: handlerTransport{rec},
			Probe:     probeConfig(-1),
		})
		go func() {
			time.Sleep(100 * time.Second)
			announced.Lock()
			on = false
			announced.Unlock()
		}()
		start := time.Now()
		resp, err := get(t, c.StandardClient(), t.Context(), "http://svc.test/x")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		elapsed := time.Since(start)
		assert.GreaterOrEqual(t, elapsed, 100*time.Second)
		// Polled at a tenth of how long it lasted: at most ~10 s late
		// after a 100 s window (was: up to 30 s, the backoff's ceiling).
		assert.LessOrEqual(t, elapsed, 111*time.Second, "polled at most a tenth of the window's length apart")
		assert.Equal(t, 2, rec.count("/x"), "the page is not resent while the probe announces maintenance")
		// Every second for the first 10 s, then 10 % further each time
		// (spread down to 7.5 %): 10 + ln(10)/ln(1.1) = 34 to
		// 10 + ln(10)/ln(1.075) = 42 polls, all of them the probe.
		probes := rec.count("/down-for-maintenance")
		assert.GreaterOrEqual(t, probes, 30)
		assert.LessOrEqual(t, probes, 45)
	})
	// Announced without end for longer than MaxWait: skip when it is used up,
	// or when less than the floor is left (no poll is shorter).
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{steps: []http.HandlerFunc{respond(502, "Bad Gateway")}, probe: respond(200, "")}
		c := client.New(client.Config{Transport: handlerTransport{rec}, MaxWait: 2 * time.Minute, Probe: probeConfig(-1)})
		start := time.Now()
		_, err := get(t, c.StandardClient(), t.Context(), "http://svc.test/x")
		de := asError(t, err)
		assert.ErrorIs(t, err, client.ErrMaintenance)
		assert.ErrorIs(t, err, client.ErrSkip)
		elapsed := time.Since(start)
		assert.LessOrEqual(t, elapsed, 2*time.Minute)
		assert.Greater(t, elapsed, 2*time.Minute-client.DefaultFloor)
		assert.Equal(t, elapsed, de.Waited)
		assert.Equal(t, 1, rec.count("/x"))
		assert.Equal(t, 1, de.Attempts)
		assert.Nil(t, de.Response, "decided after the response was discarded")
	})
}

// TestInBandOnly sends nothing but the request itself.
func TestInBandOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "probe-only"})
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), InBandOnly: true, On: client.Policies{Malfunction: client.Policy{Retries: -1}}})
		_, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
		assert.ErrorIs(t, err, client.ErrMalfunction)
		assert.Len(t, srv.Requests(), 1)
	})
}

// TestStrict: implied maintenance is malfunction for a strict client.
func TestStrict(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "retry-after-seconds"})
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), Strict: true, InBandOnly: true})
		_, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
		assert.ErrorIs(t, err, client.ErrMalfunction)
		assert.ErrorIs(t, err, client.ErrAlert)
		// The server asked for 120 s, more than 3 retries allow? No: a
		// malfunction's Retry-After is honoured, and 4 × 120 s > 5 min.
		de := asError(t, err)
		assert.LessOrEqual(t, de.Waited, 5*time.Minute)
	})
}

// TestRetryAfterPast: a date in the past means wait the floor.
func TestRetryAfterPast(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Timeline: timeline(t, "retry-after-past:500ms,ok")})
		c := client.New(client.Config{Transport: srv.InMemoryTransport()})
		start := time.Now()
		resp, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
		require.NoError(t, err)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.GreaterOrEqual(t, time.Since(start), time.Second)
		assert.Less(t, time.Since(start), 1200*time.Millisecond)
	})
}

// TestBodyRewindFailure: GetBody failing ends the request with the verdict.
func TestBodyRewindFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{steps: []http.HandlerFunc{respond(503, "", "Retry-After", "60"), respond(200, "ok")}}
		c := client.New(client.Config{Transport: handlerTransport{rec}})
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPut, "http://svc.test/x", bytes.NewReader([]byte("data")))
		require.NoError(t, err)
		broken := errors.New("cannot rewind")
		req.GetBody = func() (io.ReadCloser, error) { return nil, broken }
		_, err = c.StandardClient().Do(req)
		assert.ErrorIs(t, err, broken)
		assert.ErrorIs(t, err, client.ErrMaintenance)
	})
}
