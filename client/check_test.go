package client_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
)

// incidentPage is a Statuspage v2 summary with an unresolved major
// incident (the shape of Atlassian Statuspage's /api/v2/summary.json).
const incidentPage = `{"page":{"id":"p","name":"Example"},"status":{"indicator":"major","description":"Major outage"},` +
	`"components":[],"incidents":[{"id":"i1","name":"Database unreachable","status":"investigating","impact":"major","components":[]}],` +
	`"scheduled_maintenances":[]}`

// serviceWithPage serves page (status, Retry-After) on every path but the
// status page, which shows an incident, and the probe, which is 404.
func serviceWithPage(t *testing.T, status int, retryAfter string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v2/summary.json":
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(incidentPage))
		case "/down-for-maintenance":
			http.NotFound(w, r)
		default:
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
			_, _ = w.Write([]byte("unavailable"))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// TestOneBrain: the check-once path and the retrying client judge an
// answer the same way, and an explicit incident on the status page
// outweighs a short Retry-After or an implied maintenance (issue 16's
// reproduction: client.Check said maintenance and throttled where the CLI
// said malfunction).
func TestOneBrain(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		want       classify.Class
	}{
		{"503 with a short Retry-After and an incident", 503, "30", classify.Malfunction},
		{"503 with a window and an incident", 503, "600", classify.Malfunction},
		{"429 with Retry-After and an incident", 429, "30", classify.Malfunction},
		{"bare 503 and an incident", 503, "", classify.Malfunction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := serviceWithPage(t, tt.status, tt.retryAfter)
			var mu sync.Mutex
			var hooked []classify.Verdict
			c := client.New(client.Config{
				MaxWait: -1,
				Probe:   probe.Config{StatusPageURL: "/api/v2/summary.json", CacheFor: -1},
				OnVerdict: func(_ *http.Request, v classify.Verdict, _ client.Decision) {
					mu.Lock()
					hooked = append(hooked, v)
					mu.Unlock()
				},
			})
			defer c.CloseIdleConnections()

			checked, err := c.Check(t.Context(), srv.URL+"/api")
			require.NoError(t, err)
			assert.Equal(t, tt.want, checked.Class, "%v", checked)

			resp, err := c.StandardClient().Get(srv.URL + "/api")
			if resp != nil {
				resp.Body.Close()
			}
			var de *client.Error
			require.ErrorAs(t, err, &de)
			require.NotEmpty(t, hooked)
			assert.Equal(t, checked.Class, hooked[0].Class, "the client's first attempt agrees with Check")
			assert.Equal(t, checked.Class, de.Verdict.Class)
			assert.Equal(t, checked.Evidence, hooked[0].Evidence)
		})
	}
}

// TestCheckRequest: one attempt with the caller's method and headers,
// redirects followed with the client's policy, the body read within the
// attempt's bound, and the caller's context the only source of errors.
func TestCheckRequest(t *testing.T) {
	t.Run("method and headers are sent", func(t *testing.T) {
		var got *http.Request
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/x" {
				got = r.Clone(context.Background())
			}
			w.WriteHeader(http.StatusNoContent)
		}))
		defer srv.Close()
		c := client.New(client.Config{})
		defer c.CloseIdleConnections()
		req, err := http.NewRequest(http.MethodHead, srv.URL+"/x", nil)
		require.NoError(t, err)
		req.Header.Set("X-Api-Key", "k")
		req.Header.Set("User-Agent", "downfor/test")
		v, err := c.CheckRequest(t.Context(), req)
		require.NoError(t, err)
		assert.Equal(t, classify.OK, v.Class)
		require.NotNil(t, got)
		assert.Equal(t, http.MethodHead, got.Method)
		assert.Equal(t, "k", got.Header.Get("X-Api-Key"))
		assert.Equal(t, "downfor/test", got.Header.Get("User-Agent"))
	})
	t.Run("a redirect loop is a malfunction", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/down-for-maintenance" {
				http.NotFound(w, r)
				return
			}
			http.Redirect(w, r, "/loop", http.StatusFound)
		}))
		defer srv.Close()
		c := client.New(client.Config{})
		defer c.CloseIdleConnections()
		v, err := c.Check(t.Context(), srv.URL+"/loop")
		require.NoError(t, err)
		assert.Equal(t, classify.Malfunction, v.Class, "%v", v)
		assert.Contains(t, v.String(), "10 redirects in a row")
	})
	t.Run("redirects are followed", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/old" {
				http.Redirect(w, r, "/new", http.StatusMovedPermanently)
				return
			}
			_, _ = w.Write([]byte("ok"))
		}))
		defer srv.Close()
		c := client.New(client.Config{})
		defer c.CloseIdleConnections()
		v, err := c.Check(t.Context(), srv.URL+"/old")
		require.NoError(t, err)
		assert.Equal(t, classify.OK, v.Class)
		assert.Equal(t, 200, v.Status)
	})
	t.Run("a body that never comes is a network failure", func(t *testing.T) {
		release := make(chan struct{})
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/down-for-maintenance" {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}))
		defer srv.Close()
		defer close(release)
		c := client.New(client.Config{AttemptTimeout: 100 * time.Millisecond})
		defer c.CloseIdleConnections()
		v, err := c.Check(t.Context(), srv.URL+"/slow")
		require.NoError(t, err, "the service's silence is a verdict, not an error")
		assert.Equal(t, classify.Network, v.Class, "%v", v)
		assert.Contains(t, v.String(), "reading the body")
		assert.Contains(t, v.String(), "Config.AttemptTimeout")
	})
	t.Run("the caller's context ending is the error", func(t *testing.T) {
		c := client.New(client.Config{})
		ctx, cancel := context.WithCancelCause(t.Context())
		cause := errors.New("shutting down")
		cancel(cause)
		_, err := c.Check(ctx, "http://127.0.0.1:1/")
		assert.ErrorIs(t, err, cause)
	})
	t.Run("a request without URL is an error", func(t *testing.T) {
		c := client.New(client.Config{})
		_, err := c.CheckRequest(t.Context(), &http.Request{})
		assert.Error(t, err)
		_, err = c.Check(t.Context(), "::")
		assert.Error(t, err)
	})
	t.Run("the caller's request is not modified", func(t *testing.T) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusOK)
		}))
		defer srv.Close()
		c := client.New(client.Config{})
		defer c.CloseIdleConnections()
		req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer x")
		before := req.Header.Clone()
		_, err = c.CheckRequest(t.Context(), req)
		require.NoError(t, err)
		assert.Equal(t, before, req.Header)
		assert.Equal(t, context.Background(), req.Context())
	})
}

// TestAlwaysConsult: with AlwaysConsult an ok answer carries the
// sources' evidence too; without it, an ok answer costs no other request.
func TestAlwaysConsult(t *testing.T) {
	var probes int
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down-for-maintenance" {
			mu.Lock()
			probes++
			mu.Unlock()
			http.NotFound(w, r)
			return
		}
		_, _ = w.Write([]byte("fine"))
	}))
	defer srv.Close()
	for _, always := range []bool{false, true} {
		c := client.New(client.Config{AlwaysConsult: always, Probe: probe.Config{CacheFor: -1}})
		v, err := c.Check(t.Context(), srv.URL)
		require.NoError(t, err)
		assert.Equal(t, classify.OK, v.Class)
		hasProbe := strings.Contains(v.String(), "probe")
		assert.Equal(t, always, hasProbe, "%v", v)
		c.CloseIdleConnections()
	}
	assert.Equal(t, 1, probes)
}
