package client_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/internal/hostile"
	"github.com/downfor/downfor/internal/peek"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// This file holds SECURITY.md's promises to account for every hostile and
// network mode of the mock server, through the client: each request ends
// within its bound, reads no more of a body than its caps, and gets the
// class testserver.Modes promises; and no credential reaches another
// origin. Waits are measured in virtual time (testing/synctest, in-memory
// transport), reads are counted, and hangs over real sockets are held to
// an error of the timeout kind.

// Bounds of the virtual-time suite.
const (
	hostileMaxWait      = 30 * time.Second
	hostileProbeTimeout = 2 * time.Second
	// hostileCallerTimeout is the caller's own deadline: the bound of a
	// hang, and a safety net for every other mode.
	hostileCallerTimeout = 45 * time.Second
	hostileOffsite       = "http://offsite.test"
)

// hostileOutcome is what one request against a hostile mode produced.
type hostileOutcome struct {
	resp     *http.Response
	err      error
	derr     *client.Error // nil unless err holds one
	elapsed  time.Duration // virtual
	counting *hostile.Counting
	srv      *testserver.Server
	verdicts []classify.Verdict // one per attempt, from OnVerdict
}

// class is the class the request ended with: the error's verdict, or the
// last attempt's.
func (o *hostileOutcome) class() classify.Class {
	if o.derr != nil {
		return o.derr.Verdict.Class
	}
	if len(o.verdicts) > 0 {
		return o.verdicts[len(o.verdicts)-1].Class
	}
	return classify.Network
}

// pageBodies are the bodies of the service's own pages (not the probe,
// health endpoint or status page).
func (o *hostileOutcome) pageBodies() []hostile.Body {
	var out []hostile.Body
	for _, b := range o.counting.Bodies() {
		switch b.Path {
		case testserver.ProbePath, testserver.HealthPath, testserver.StatusPagePath:
			continue
		}
		out = append(out, b)
	}
	return out
}

// hostileDo sends one GET for /api/things to an in-memory server in mode,
// through a client with cfg (completed with the suite's bounds and a
// counting transport), and returns what happened. It must run inside a
// synctest bubble.
func hostileDo(t *testing.T, mode string, cfg client.Config) *hostileOutcome {
	t.Helper()
	srv, err := testserver.StartInMemory(testserver.Config{Mode: mode, Offsite: hostileOffsite})
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(t.Context(), hostileCallerTimeout)
	t.Cleanup(cancel)
	// A client that loops without waiting would never let virtual time
	// pass: cut it off after hostileRequestCap requests, so that it fails
	// the test instead of hanging it.
	capped := &hostileCap{base: srv.InMemoryTransport(), cancel: cancel}
	o := &hostileOutcome{srv: srv, counting: &hostile.Counting{Base: capped}}
	var mu sync.Mutex
	if cfg.MaxWait == 0 {
		cfg.MaxWait = hostileMaxWait
	}
	if cfg.Probe.Timeout == 0 {
		cfg.Probe.Timeout = hostileProbeTimeout
	}
	cfg.Transport = o.counting
	cfg.OnVerdict = func(_ *http.Request, v classify.Verdict, _ client.Decision) {
		mu.Lock()
		o.verdicts = append(o.verdicts, v)
		mu.Unlock()
	}
	c := client.New(cfg)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/things", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/json")
	start := time.Now()
	o.resp, o.err = c.StandardClient().Do(req)
	o.elapsed = time.Since(start)
	errors.As(o.err, &o.derr)
	if o.resp != nil {
		t.Cleanup(func() { o.resp.Body.Close() })
	}
	return o
}

// hostileRequestCap is more requests than any bounded client sends in the
// suite's MaxWait: a second of floor between attempts allows 31.
const hostileRequestCap = 1000

// hostileCap fails every request past hostileRequestCap, and cancels the
// caller's context when the cap is reached.
type hostileCap struct {
	base   http.RoundTripper
	n      atomic.Int64
	cancel context.CancelFunc
}

func (c *hostileCap) RoundTrip(req *http.Request) (*http.Response, error) {
	if c.n.Add(1) > hostileRequestCap {
		c.cancel()
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, errors.New("hostile test: request cap reached: the client loops without waiting")
	}
	return c.base.RoundTrip(req)
}

// hostileNoLeaks checks, once the test and all its cleanups are done, that
// no goroutine it started is left.
func hostileNoLeaks(t *testing.T) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
}

// hasEvidence reports whether v holds evidence of signal from source whose
// value contains value.
func hasEvidence(v classify.Verdict, source, signal, value string) bool {
	for _, e := range v.Evidence {
		if e.Source == source && e.Signal == signal && strings.Contains(e.Value, value) {
			return true
		}
	}
	return false
}

// TestHostileModesVirtualTime drives the client through every hostile and
// network mode in a synctest bubble. For each: the class of the mock's
// mode, the decision it implies (skip or alert), the time it took in virtual
// time (never more than MaxWait of waiting, plus the probe's timeout per
// attempt where the probe hangs, or the caller's deadline for a hang), and
// that every body the client dropped was closed. A bubble only ends when
// all its goroutines have: no handler, probe or timer outlives a request.
func TestHostileModesVirtualTime(t *testing.T) {
	hostileNoLeaks(t)
	type tc struct {
		mode     string
		class    classify.Class
		sentinel error // client.ErrSkip, client.ErrAlert, or nil: the response proceeds
		check    func(t *testing.T, o *hostileOutcome)
	}
	retriedThenAlert := func(t *testing.T, o *hostileOutcome) {
		// The default policy: a few retries with backoff, then alert.
		assert.Equal(t, client.DefaultRetries+1, o.derr.Attempts, "attempts")
	}
	cases := []tc{
		{mode: "reset", class: classify.Network, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			retriedThenAlert(t, o)
			assert.True(t, hasEvidence(o.derr.Verdict, classify.SourceTransport, "reset", ""), "%v", o.derr.Verdict)
		}},
		{mode: "hang", class: classify.Network, check: func(t *testing.T, o *hostileOutcome) {
			// The hang ends no later than the caller's deadline, with an
			// error of the timeout kind: the deadline itself, or a network
			// verdict whose evidence is a timeout (when the client bounds
			// each attempt on its own and retries).
			require.Error(t, o.err)
			assert.LessOrEqual(t, o.elapsed, hostileCallerTimeout, "a hang ends by the caller's deadline")
			if o.derr != nil && !errors.Is(o.err, context.DeadlineExceeded) {
				assert.Equal(t, classify.Network, o.derr.Verdict.Class)
				assert.True(t, hasEvidence(o.derr.Verdict, classify.SourceTransport, "timeout", ""), "%v", o.derr.Verdict)
				return
			}
			assert.ErrorIs(t, o.err, context.DeadlineExceeded, "want a timeout error")
		}},
		{mode: "slow-body", class: classify.OK, check: func(t *testing.T, o *hostileOutcome) {
			// The headers come at once: the response proceeds untouched (the
			// happy path reads nothing); the caller's deadline ends the body.
			require.NoError(t, o.err)
			assert.Zero(t, o.counting.TotalRead(), "the client read a 2xx body")
			start := time.Now()
			n, err := io.Copy(io.Discard, o.resp.Body)
			require.Error(t, err)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.LessOrEqual(t, time.Since(start)+o.elapsed, hostileCallerTimeout)
			// One byte a second: no more than the deadline allows.
			assert.LessOrEqual(t, n, int64(hostileCallerTimeout/time.Second))
		}},
		{mode: "garbage", class: classify.Network, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			retriedThenAlert(t, o)
			for _, e := range o.derr.Verdict.Evidence {
				assert.Empty(t, hostile.Unprintable(e.Value), "evidence value %q", e.Value)
			}
		}},
		{mode: "retry-after-huge", class: classify.Maintenance, sentinel: client.ErrSkip, check: func(t *testing.T, o *hostileOutcome) {
			// 99999999999 s overflows nothing and exceeds MaxWait: skip at
			// once, without waiting any of it.
			assert.Equal(t, 1, o.derr.Attempts)
			assert.Zero(t, o.derr.Waited)
			assert.Zero(t, o.elapsed)
			assert.True(t, o.derr.Verdict.HasRetryAfter)
			assert.Greater(t, o.derr.Verdict.RetryAfter, hostileMaxWait)
		}},
		{mode: "retry-after-far-future", class: classify.Maintenance, sentinel: client.ErrSkip, check: func(t *testing.T, o *hostileOutcome) {
			assert.Equal(t, 1, o.derr.Attempts)
			assert.Zero(t, o.derr.Waited)
			assert.Zero(t, o.elapsed)
			assert.Greater(t, o.derr.Verdict.RetryAfter, hostileMaxWait)
		}},
		{mode: "retry-after-past", class: classify.Malfunction, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			// A wait of 0 is no window: a malfunction with a retry hint.
			// Wait 0, then the floor: a retry a second at most, then alert.
			retriedThenAlert(t, o)
			assert.True(t, o.derr.Verdict.HasRetryAfter)
			assert.Zero(t, o.derr.Verdict.RetryAfter)
			assert.Greater(t, o.derr.Attempts, 1, "a past date means retry, not give up")
			assert.LessOrEqual(t, o.derr.Attempts, int(hostileMaxWait/client.DefaultFloor)+1,
				"never faster than the floor")
			for i, r := range o.srv.Requests() {
				if i > 0 && r.Path == "/api/things" {
					assert.GreaterOrEqual(t, r.Time.Sub(o.srv.Requests()[i-1].Time), client.DefaultFloor)
				}
			}
		}},
		{mode: "retry-after-negative", class: classify.Malfunction, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			retriedThenAlert(t, o)
			assert.False(t, o.derr.Verdict.HasRetryAfter)
			assert.True(t, hasEvidence(o.derr.Verdict, classify.SourceResponse, "retry-after", "invalid"), "%v", o.derr.Verdict)
		}},
		{mode: "retry-after-garbage", class: classify.Malfunction, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			retriedThenAlert(t, o)
			assert.False(t, o.derr.Verdict.HasRetryAfter)
			// Every attempt saw another of 1m0s, 120junk, 0.5: each ignored.
			for _, v := range o.verdicts {
				assert.True(t, hasEvidence(v, classify.SourceResponse, "retry-after", "invalid"), "%v", v)
			}
		}},
		{mode: "huge-body", class: classify.Malfunction, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			retriedThenAlert(t, o)
			bodies := o.pageBodies()
			require.Len(t, bodies, client.DefaultRetries+1)
			for i, b := range bodies {
				assert.True(t, b.Closed, "body %d not closed", i)
				limit := int64(peek.DefaultLimit) + 1 // the peek, or the drain of a dropped body
				if i == len(bodies)-1 {
					limit = client.DefaultErrorBodyLimit + 1 // the *Error's buffer
				}
				assert.LessOrEqual(t, b.Read, limit, "body %d: read %d bytes of a 10 GiB body", i, b.Read)
			}
			assert.True(t, o.derr.BodyTruncated)
			assert.EqualValues(t, client.DefaultErrorBodyLimit, o.derr.Response.ContentLength)
		}},
		{mode: "probe-redirect-offsite", class: classify.Malfunction, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			retriedThenAlert(t, o)
			assert.True(t, hasEvidence(o.derr.Verdict, classify.SourceProbe, "probe", "not followed"), "%v", o.derr.Verdict)
			u, _ := url.Parse(hostileOffsite)
			assert.NotContains(t, o.counting.Hosts(), u.Host, "the probe followed a redirect to another origin")
		}},
		{mode: "redirect-loop", class: classify.Malfunction, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			assert.True(t, hasEvidence(o.derr.Verdict, classify.SourceResponse, "redirect-loop", ""), "%v", o.derr.Verdict)
			pages := len(o.pageBodies())
			assert.LessOrEqual(t, pages, client.DefaultMaxRedirects+client.DefaultRetries+1, "requests to the loop")
		}},
		{mode: "probe-hang", class: classify.Malfunction, sentinel: client.ErrAlert, check: func(t *testing.T, o *hostileOutcome) {
			retriedThenAlert(t, o)
			assert.True(t, hasEvidence(o.derr.Verdict, classify.SourceProbe, "probe", "timeout"), "%v", o.derr.Verdict)
			// Waiting is bounded by MaxWait; each attempt's probe by its
			// timeout.
			assert.LessOrEqual(t, o.elapsed, hostileMaxWait+time.Duration(o.derr.Attempts)*hostileProbeTimeout)
		}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				o := hostileDo(t, c.mode, client.Config{})
				if c.sentinel != nil {
					require.ErrorIs(t, o.err, c.sentinel, "err: %v", o.err)
					require.NotNil(t, o.derr)
					// No wait past the policy's maximum.
					assert.LessOrEqual(t, o.derr.Waited, hostileMaxWait)
					if c.mode != "probe-hang" {
						// In memory, only waits take (virtual) time.
						assert.LessOrEqual(t, o.elapsed, hostileMaxWait)
					}
					// Every body the client dropped was closed.
					for i, b := range o.counting.Bodies() {
						assert.True(t, b.Closed, "body %d (%s %d) left open", i, b.Path, b.Status)
					}
				}
				if c.mode != "hang" {
					assert.Equal(t, c.class, o.class(), "verdicts: %v", o.verdicts)
				}
				c.check(t, o)
			})
		})
	}
}

// TestHostileModesMaxWaitNegative: a client that never waits still gets
// each class right, and ends at once.
func TestHostileModesMaxWaitNegative(t *testing.T) {
	for _, mode := range []string{"reset", "garbage", "retry-after-huge", "retry-after-far-future", "retry-after-past", "retry-after-negative", "retry-after-garbage", "huge-body", "probe-redirect-offsite", "redirect-loop"} {
		t.Run(mode, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				o := hostileDo(t, mode, client.Config{MaxWait: -1})
				require.NotNil(t, o.derr, "err: %v", o.err)
				assert.Zero(t, o.derr.Waited)
				assert.Zero(t, o.elapsed)
			})
		})
	}
}

// TestHostileHugeBodySmallErrorBuffer: the *Error keeps no more than
// ErrorBodyLimit, and reads no more than the peek for it.
func TestHostileHugeBodySmallErrorBuffer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		o := hostileDo(t, "huge-body", client.Config{ErrorBodyLimit: 4 << 10, MaxWait: -1})
		require.ErrorIs(t, o.err, client.ErrAlert)
		assert.True(t, o.derr.BodyTruncated)
		b, err := io.ReadAll(o.derr.Response.Body)
		require.NoError(t, err)
		assert.Len(t, b, 4<<10)
		for _, body := range o.pageBodies() {
			assert.LessOrEqual(t, body.Read, int64(4<<10)+1)
			assert.True(t, body.Closed)
		}
	})
}

// TestHostileHangRealSocket: over a real socket, a server that accepts and
// never answers is ended by the caller's timeout, with an error of the
// timeout kind; through StandardClient and through Wrap.
func TestHostileHangRealSocket(t *testing.T) {
	hostileNoLeaks(t)
	srv, err := testserver.New("hang")
	require.NoError(t, err)
	defer srv.Close()

	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	std := client.New(client.Config{Transport: tr}).StandardClient()
	std.Timeout = 150 * time.Millisecond
	wrapped := client.Wrap(&http.Client{Transport: tr, Timeout: 150 * time.Millisecond}, client.Config{})
	for name, hc := range map[string]*http.Client{"standard": std, "wrap": wrapped} {
		t.Run(name, func(t *testing.T) {
			resp, err := hc.Get(srv.URL + "/api/things")
			if resp != nil {
				resp.Body.Close()
			}
			require.Error(t, err)
			var ne interface{ Timeout() bool }
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout(), "want a timeout, got %v", err)
		})
	}
}

// TestHostileProbeHangRealSocket: the probe that never answers costs one
// probe timeout, and says so in the evidence.
func TestHostileProbeHangRealSocket(t *testing.T) {
	hostileNoLeaks(t)
	srv, err := testserver.New("probe-hang")
	require.NoError(t, err)
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := client.New(client.Config{Transport: tr, MaxWait: -1, Probe: probe.Config{Timeout: 150 * time.Millisecond}})
	resp, err := c.StandardClient().Get(srv.URL + "/api/things")
	if resp != nil {
		resp.Body.Close()
	}
	var de *client.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, classify.Malfunction, de.Verdict.Class)
	assert.True(t, hasEvidence(de.Verdict, classify.SourceProbe, "probe", "timeout"), "%v", de.Verdict)
}

// TestHostileSlowBodyRealSocket: the headers of slow-body come at once;
// reading its body ends with the caller's timeout, of the timeout kind.
func TestHostileSlowBodyRealSocket(t *testing.T) {
	hostileNoLeaks(t)
	srv, err := testserver.New("slow-body")
	require.NoError(t, err)
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	hc := client.Wrap(&http.Client{Transport: tr, Timeout: 300 * time.Millisecond}, client.Config{})
	resp, err := hc.Get(srv.URL + "/api/things")
	require.NoError(t, err)
	defer resp.Body.Close()
	_, err = io.ReadAll(resp.Body)
	require.Error(t, err)
	var ne interface{ Timeout() bool }
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout(), "want a timeout, got %v", err)
}

// Credentials.

const (
	hostileSecret       = "s3cr3t-token-d0wnf0r"
	hostileCookieSecret = "c00kie-d0wnf0r"
	hostileJarSecret    = "j4r-c00kie-d0wnf0r"
)

var hostileSecrets = []string{hostileSecret, hostileCookieSecret, hostileJarSecret}

// hostileRedirector starts a service on addr whose every page redirects
// with status to target + "/landing".
func hostileRedirector(t *testing.T, addr string, status int, target string) *hostile.Recorder {
	return hostile.StartRecorder(t, addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target+"/landing", status)
	}))
}

// hostileCredentialRequest sends a request carrying Authorization, an
// explicit Cookie and a Jar cookie scoped to the service through hc, and
// returns the response's status.
func hostileCredentialRequest(t *testing.T, hc *http.Client, service string, method string) {
	t.Helper()
	var body io.Reader
	if method != http.MethodGet {
		body = strings.NewReader("{}")
	}
	req, err := http.NewRequestWithContext(t.Context(), method, service+"/start", body)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+hostileSecret)
	req.Header.Set("Cookie", "session="+hostileCookieSecret)
	req.Header.Set("Idempotency-Key", "k1")
	resp, err := hc.Do(req)
	require.NoError(t, err)
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

// hostileJar is a cookie jar holding a cookie for service's host only.
func hostileJar(t *testing.T, service string) http.CookieJar {
	t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	u, err := url.Parse(service)
	require.NoError(t, err)
	jar.SetCookies(u, []*http.Cookie{{Name: "jar", Value: hostileJarSecret, Path: "/"}})
	return jar
}

// TestCredentialsClientRedirectOffsite: a service that redirects to
// another host gets the caller's Authorization and cookies; the other host
// gets none of them, through StandardClient and through Wrap, for every
// redirect status.
func TestCredentialsClientRedirectOffsite(t *testing.T) {
	hostileNoLeaks(t)
	for _, status := range []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, via := range []string{"standard", "wrap"} {
			t.Run(http.StatusText(status)+"/"+via, func(t *testing.T) {
				other := hostile.StartRecorder(t, "127.0.0.2:0", nil)
				service := hostileRedirector(t, "127.0.0.1:0", status, other.URL)
				tr := &http.Transport{}
				t.Cleanup(tr.CloseIdleConnections)
				cfg := client.Config{Transport: tr, InBandOnly: true}
				var hc *http.Client
				if via == "standard" {
					hc = client.New(cfg).StandardClient()
					hc.Jar = hostileJar(t, service.URL)
				} else {
					hc = client.Wrap(&http.Client{Transport: tr, Jar: hostileJar(t, service.URL)}, client.Config{InBandOnly: true})
				}
				method := http.MethodGet
				if status == http.StatusTemporaryRedirect || status == http.StatusPermanentRedirect {
					method = http.MethodPut // the body and method are kept: the headers must still go
				}
				hostileCredentialRequest(t, hc, service.URL, method)

				// The service itself got them all: the test sends what it
				// means to.
				require.Len(t, service.Requests(), 1)
				got := service.Requests()[0].Header
				assert.Equal(t, "Bearer "+hostileSecret, got.Get("Authorization"))
				assert.Contains(t, strings.Join(got.Values("Cookie"), "; "), hostileJarSecret)
				assert.Contains(t, strings.Join(got.Values("Cookie"), "; "), hostileCookieSecret)

				require.Len(t, other.Requests(), 1, "the redirect was followed")
				for _, r := range other.Requests() {
					assert.Empty(t, hostile.Leaks(r.Header, hostileSecrets...), "credentials sent to %s", other.URL)
				}
			})
		}
	}
}

// TestCredentialsClientRedirectOtherPort: the same host on another port is
// another origin (RFC 6454), so a redirect there must not carry the
// caller's Authorization either. net/http compares host names only,
// ignoring the port and the scheme; the redirect policy of StandardClient
// and Wrap compares origins. Cookies from a jar, by RFC 6265, are not
// isolated by port and are not part of this test (see
// TestRedirectJarCookies).
func TestCredentialsClientRedirectOtherPort(t *testing.T) {
	hostileNoLeaks(t)
	other := hostile.StartRecorder(t, "127.0.0.1:0", nil)
	service := hostileRedirector(t, "127.0.0.1:0", http.StatusFound, other.URL)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	for name, hc := range map[string]*http.Client{
		"standard": client.New(client.Config{Transport: tr, InBandOnly: true}).StandardClient(),
		"wrap":     client.Wrap(&http.Client{Transport: tr}, client.Config{InBandOnly: true}),
	} {
		t.Run(name, func(t *testing.T) {
			before := len(other.Requests())
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, service.URL+"/start", nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+hostileSecret)
			req.Header.Set("Cookie", "session="+hostileCookieSecret)
			resp, err := hc.Do(req)
			require.NoError(t, err)
			resp.Body.Close()
			reqs := other.Requests()[before:]
			require.Len(t, reqs, 1)
			assert.Empty(t, hostile.Leaks(reqs[0].Header, hostileSecret, hostileCookieSecret), "credentials sent to another origin %s", other.URL)
		})
	}
}

// TestCredentialsClientProbeOffsite: when the service's probe redirects to
// another origin, the probe does not follow, so neither the caller's
// credentials nor the probe's own headers (Config.Probe.Header) reach it.
func TestCredentialsClientProbeOffsite(t *testing.T) {
	hostileNoLeaks(t)
	other := hostile.StartRecorder(t, "127.0.0.1:0", nil)
	srv, err := testserver.Start(testserver.Config{Mode: "probe-redirect-offsite", Offsite: other.URL})
	require.NoError(t, err)
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := client.New(client.Config{
		Transport: tr,
		MaxWait:   -1,
		Probe:     probe.Config{Header: http.Header{"Authorization": {"Bearer " + hostileSecret}}, Timeout: 2 * time.Second},
	})
	hc := c.StandardClient()
	hc.Jar = hostileJar(t, srv.URL)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/things", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+hostileSecret)
	req.Header.Set("Cookie", "session="+hostileCookieSecret)
	_, err = hc.Do(req)
	var de *client.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, classify.Malfunction, de.Verdict.Class)
	assert.True(t, hasEvidence(de.Verdict, classify.SourceProbe, "probe", "not followed"), "%v", de.Verdict)

	// The probe went to the service's origin, with the probe's header.
	probes := 0
	for _, r := range srv.Requests() {
		if r.Path == testserver.ProbePath {
			probes++
			assert.Equal(t, "Bearer "+hostileSecret, r.Header.Get("Authorization"))
		}
	}
	assert.Equal(t, 1, probes)
	assert.Empty(t, other.Requests(), "the probe followed a redirect to another origin")
}

// TestCredentialsClientSourcesElsewhere: a status page and a health
// endpoint on other origins get neither the caller's credentials nor the
// probe's configured headers.
func TestCredentialsClientSourcesElsewhere(t *testing.T) {
	hostileNoLeaks(t)
	page := hostile.StartRecorder(t, "127.0.0.1:0", nil)
	health := hostile.StartRecorder(t, "127.0.0.2:0", nil)
	srv, err := testserver.Start(testserver.Config{Mode: "error-500"})
	require.NoError(t, err)
	defer srv.Close()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := client.New(client.Config{
		Transport: tr,
		MaxWait:   -1,
		Probe: probe.Config{
			Header:        http.Header{"Authorization": {"Bearer " + hostileSecret}, "X-Api-Key": {hostileSecret}},
			StatusPageURL: page.URL,
			HealthURL:     health.URL + "/health",
			Timeout:       2 * time.Second,
		},
	})
	hc := c.StandardClient()
	hc.Jar = hostileJar(t, srv.URL)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/api/things", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+hostileSecret)
	_, err = hc.Do(req)
	require.ErrorIs(t, err, client.ErrAlert)
	require.NotEmpty(t, page.Requests(), "the status page was not consulted")
	require.NotEmpty(t, health.Requests(), "the health endpoint was not consulted")
	for _, r := range append(page.Requests(), health.Requests()...) {
		assert.Empty(t, hostile.Leaks(r.Header, hostileSecrets...), "%s %s got credentials", r.Host, r.Path)
	}
}

// TestHostileRedirectLoopPermissiveCaller: a caller whose own redirect
// policy never stops (a CheckRedirect that always says yes) is still
// protected from redirect-loop: the client counts the hops and alerts after
// a bounded number of requests.
func TestHostileRedirectLoopPermissiveCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, err := testserver.StartInMemory(testserver.Config{Mode: "redirect-loop"})
		require.NoError(t, err)
		t.Cleanup(srv.Close)
		ctx, cancel := context.WithTimeout(t.Context(), hostileCallerTimeout)
		defer cancel()
		counting := &hostile.Counting{Base: &hostileCap{base: srv.InMemoryTransport(), cancel: cancel}}
		hc := client.Wrap(&http.Client{
			Transport:     counting,
			CheckRedirect: func(*http.Request, []*http.Request) error { return nil },
		}, client.Config{MaxWait: hostileMaxWait})
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/things", nil)
		require.NoError(t, err)
		_, err = hc.Do(req)
		var de *client.Error
		require.ErrorAs(t, err, &de, "err: %v", err)
		assert.ErrorIs(t, err, client.ErrAlert)
		assert.True(t, hasEvidence(de.Verdict, classify.SourceResponse, "redirect-loop", ""), "%v", de.Verdict)
		pages := 0
		for _, r := range srv.Requests() {
			if r.Path == "/api/things" {
				pages++
			}
		}
		assert.LessOrEqual(t, pages, client.DefaultMaxRedirects+client.DefaultRetries+1)
		assert.LessOrEqual(t, de.Waited, hostileMaxWait)
	})
}

// TestHostileDecideSpentBudget is the pure form of retry-after-past: with
// MaxWait spent (or nearly), a server wait of 0 must give the policy's
// Otherwise (skip), or a wait of at least the floor; never a wait shorter
// than the floor, which the client would turn into a tight loop.
func TestHostileDecideSpentBudget(t *testing.T) {
	cfg := client.Config{MaxWait: 30 * time.Second}
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	for _, v := range []classify.Verdict{
		{Class: classify.Maintenance, Confidence: classify.Implied, Status: 503, HasRetryAfter: true}, // Retry-After in the past, or 0
		{Class: classify.Throttled, Status: 429, HasRetryAfter: true},                                 // 429 with Retry-After: 0
	} {
		for _, waited := range []time.Duration{29500 * time.Millisecond, 30 * time.Second} {
			d := cfg.Decide(v, client.State{Now: now, Tries: 30, Waited: waited})
			if d.Action == client.Wait {
				assert.GreaterOrEqual(t, d.Delay, client.DefaultFloor, "%s, waited %s: %v", v.Class, waited, d)
			} else {
				assert.Equal(t, client.Skip, d.Action, "%s, waited %s: %v", v.Class, waited, d)
			}
		}
	}
}
