package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/hashicorp/go-retryablehttp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// TestWrap: Wrap keeps the caller's Timeout, Jar and CheckRedirect,
// replaces only the Transport (sending through the old one), on a copy.
func TestWrap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var sent atomic.Int32
		mux := http.NewServeMux()
		mux.HandleFunc("/login", func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "session", Value: "s1", Path: "/"})
			http.Redirect(w, r, "/home", http.StatusFound)
		})
		mux.HandleFunc("/home", func(w http.ResponseWriter, r *http.Request) {
			c, err := r.Cookie("session")
			if err != nil {
				http.Error(w, "no session", 401)
				return
			}
			assert.Len(t, r.Header.Values("Cookie"), 1, "the inner client adds no cookie of its own")
			io.WriteString(w, "hello "+c.Value)
		})
		mux.HandleFunc("/far", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/home", http.StatusFound)
		})
		mux.HandleFunc("/maint", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "120")
			w.WriteHeader(503)
		})
		base := rtFunc(func(r *http.Request) (*http.Response, error) {
			sent.Add(1)
			return handlerTransport{mux}.RoundTrip(r)
		})
		jar, err := cookiejar.New(nil)
		require.NoError(t, err)
		stop := errors.New("no redirects to /home from /far")
		check := func(req *http.Request, via []*http.Request) error {
			if via[0].URL.Path == "/far" {
				return stop
			}
			return nil
		}
		hc := &http.Client{Timeout: 7 * time.Second, Jar: jar, CheckRedirect: check, Transport: base}
		orig := *hc

		w := client.Wrap(hc, client.Config{InBandOnly: true})
		require.NotSame(t, hc, w)
		// The client enforces the timeout itself (so that running out of
		// time is an *Error, not net/http's opaque error); see below and
		// TestCallerTimeoutIsClassified.
		assert.Zero(t, w.Timeout)
		assert.Same(t, jar, w.Jar)
		assert.IsType(t, &client.Client{}, w.Transport)
		// The caller's client is untouched.
		assert.Equal(t, orig.Timeout, hc.Timeout)
		assert.Same(t, orig.Jar, hc.Jar)
		assert.NotNil(t, hc.Transport)
		_, isRT := hc.Transport.(rtFunc)
		assert.True(t, isRT, "the caller's Transport is not replaced")

		// Jar and redirects: the outer client follows /login -> /home.
		resp, err := w.Get("http://svc.test/login")
		require.NoError(t, err)
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "hello s1", string(body))
		assert.EqualValues(t, 2, sent.Load(), "sent through the old transport")

		// CheckRedirect is the caller's.
		_, err = w.Get("http://svc.test/far")
		assert.ErrorIs(t, err, stop)

		// Timeout is a deadline the client sees: a 120 s window past the 7 s
		// timeout skips at once.
		start := time.Now()
		_, err = w.Get("http://svc.test/maint")
		assert.ErrorIs(t, err, client.ErrSkip)
		assert.Zero(t, time.Since(start))
		assert.Contains(t, asError(t, err).Reason, "deadline")
	})
}

func TestWrapDefaults(t *testing.T) {
	w := client.Wrap(nil, client.Config{})
	require.NotNil(t, w)
	assert.IsType(t, &client.Client{}, w.Transport)
	assert.Zero(t, w.Timeout)

	// Without a transport of its own, the Config's is used.
	var used atomic.Bool
	rt := rtFunc(func(r *http.Request) (*http.Response, error) {
		used.Store(true)
		return handlerTransport{respond(200, "ok")}.RoundTrip(r)
	})
	w = client.Wrap(&http.Client{}, client.Config{Transport: rt})
	resp, err := w.Get("http://svc.test/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.True(t, used.Load())

	sc := client.New(client.Config{}).StandardClient()
	assert.IsType(t, &client.Client{}, sc.Transport)
}

// TestIdleConnectionsKept measures retryablehttp's CloseIdleConnections
// on error paths: with a plain retryablehttp.Client, every failed request
// closes the idle connections of the shared transport, so the next request
// dials again; through the client it does not.
func TestIdleConnectionsKept(t *testing.T) {
	var dials atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/fail" {
			w.WriteHeader(500)
			return
		}
		io.WriteString(w, "ok")
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			dials.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()

	run := func(hc *http.Client) int32 {
		dials.Store(0)
		for _, p := range []string{"/ok", "/fail", "/ok", "/fail", "/ok"} {
			resp, err := hc.Get(srv.URL + p)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
		return dials.Load()
	}

	tr := srv.Client().Transport.(*http.Transport).Clone()
	defer tr.CloseIdleConnections()
	c := client.New(client.Config{Transport: tr, InBandOnly: true, On: client.Policies{Malfunction: client.Policy{Retries: -1}}})
	ours := run(c.StandardClient())

	tr2 := srv.Client().Transport.(*http.Transport).Clone()
	defer tr2.CloseIdleConnections()
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.RetryMax = 0
	rc.HTTPClient = &http.Client{Transport: tr2}
	theirs := run(rc.StandardClient())

	t.Logf("connections dialled for ok, fail, ok, fail, ok: downfor %d, retryablehttp %d", ours, theirs)
	assert.EqualValues(t, 1, ours)
	assert.EqualValues(t, 3, theirs)
}

// TestLogger: decisions are logged with slog; nil logs nothing.
func TestLogger(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var buf bytes.Buffer
		l := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
		srv := memServer(t, testserver.Config{Timeline: timeline(t, "retry-after-seconds:2s,ok"), RetryAfter: 2 * time.Second})
		c := client.New(client.Config{Transport: srv.InMemoryTransport(), Logger: l})
		resp, err := get(t, c.StandardClient(), t.Context(), srv.URL+"/x?token=secret")
		require.NoError(t, err)
		assert.Equal(t, 200, resp.StatusCode)
		out := buf.String()
		assert.Contains(t, out, "level=INFO msg=\"downfor: attempt\"")
		assert.Contains(t, out, "class=maintenance")
		assert.Contains(t, out, "action=wait")
		assert.Contains(t, out, "level=DEBUG")
		assert.Equal(t, 2, strings.Count(out, "\n"))
	})
}

// TestCheck classifies once, without retries.
func TestCheck(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv := memServer(t, testserver.Config{Mode: "probe-only"})
		c := client.New(client.Config{Transport: srv.InMemoryTransport()})
		v, err := c.Check(t.Context(), srv.URL+"/x")
		require.NoError(t, err)
		assert.Equal(t, classify.Maintenance, v.Class)
		assert.Equal(t, classify.Explicit, v.Confidence)
		assert.False(t, v.Until.IsZero())

		_, err = c.Check(t.Context(), "::not a url")
		assert.Error(t, err)

		require.NoError(t, srv.SetMode("ok"))
		v, err = c.Check(t.Context(), srv.URL+"/x")
		require.NoError(t, err)
		assert.Equal(t, classify.OK, v.Class)

		require.NoError(t, srv.SetMode("reset"))
		time.Sleep(probe.DefaultCacheFor) // the probe's last answer expires
		v, err = c.Check(t.Context(), srv.URL+"/x")
		require.NoError(t, err)
		assert.Equal(t, classify.Network, v.Class)

		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, err = c.Check(ctx, srv.URL+"/x")
		assert.ErrorIs(t, err, context.Canceled)
	})
}
