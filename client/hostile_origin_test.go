package client_test

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/internal/hostile"
	"github.com/downfor/downfor/probe"
)

// This file holds issue 17's SDK items: no request and no credential
// crosses to an origin the user did not name. Each test failed before its
// fix.

// hostileMovingService starts the service (127.0.0.1) whose /start
// redirects to target + "/landing", and whose probe says "not announced".
func hostileMovingService(t *testing.T, target string) *hostile.Recorder {
	return hostile.StartRecorder(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/start":
			http.Redirect(w, r, target+"/landing", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
}

// hostileLanding starts the redirect target (127.0.0.2): a bare 503 for
// the page, and, should anyone ask it, a probe, health endpoint and status
// page that all announce maintenance, which would silence the outage.
func hostileLanding(t *testing.T) *hostile.Recorder {
	return hostile.StartRecorder(t, "127.0.0.2:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/landing":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/down-for-maintenance":
			_, _ = io.WriteString(w, "maintenance")
		case "/health":
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"status":"OUT_OF_SERVICE"}`)
		default:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":{"indicator":"maintenance"},"incidents":[],"scheduled_maintenances":[]}`)
		}
	}))
}

// TestHostileRedirectMovesNoSource (issue 17, High): when the caller's
// client follows a redirect to another origin, the out-of-band sources are
// still consulted on the origin of the first request, never the redirect
// target's, and the probe's headers never reach the target. Through the
// retrying client (StandardClient, Wrap) and the check-once path.
func TestHostileRedirectMovesNoSource(t *testing.T) {
	hostileNoLeaks(t)
	for _, via := range []string{"standard", "wrap", "check"} {
		t.Run(via, func(t *testing.T) {
			landing := hostileLanding(t)
			service := hostileMovingService(t, landing.URL)
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			cfg := client.Config{
				Transport: tr,
				MaxWait:   -1,
				Probe: probe.Config{
					Header:        http.Header{"Authorization": {"Bearer " + hostileSecret}, "X-Api-Key": {hostileSecret}},
					HealthURL:     "/health",
					StatusPageURL: "/status",
					Timeout:       2 * time.Second,
					CacheFor:      -1,
				},
			}
			var v classify.Verdict
			switch via {
			case "check":
				var err error
				v, err = client.New(cfg).Check(t.Context(), service.URL+"/start")
				require.NoError(t, err)
			default:
				hc := client.New(cfg).StandardClient()
				if via == "wrap" {
					hc = client.Wrap(&http.Client{Transport: tr}, cfg)
				}
				resp, err := hc.Get(service.URL + "/start")
				if resp != nil {
					resp.Body.Close()
				}
				var de *client.Error
				require.ErrorAs(t, err, &de)
				v = de.Verdict
			}
			assert.Equal(t, classify.Malfunction, v.Class, "the target's sources must not turn its 503 into maintenance: %v", v)
			for _, r := range landing.Requests() {
				assert.Equal(t, "/landing", r.Path, "a source was consulted on the redirect target")
				assert.Empty(t, hostile.Leaks(r.Header, hostileSecret), "the probe's header reached the redirect target")
			}
			var probed bool
			for _, r := range service.Requests() {
				if r.Path == "/down-for-maintenance" {
					probed = true
					assert.Equal(t, "Bearer "+hostileSecret, r.Header.Get("Authorization"), "the service's own origin gets the probe's header")
				}
			}
			assert.True(t, probed, "the probe was consulted on the first request's origin")
		})
	}
}

// TestHostileRefererLeavesNoQuery (issue 17, Low): a redirect to another
// origin carries no Referer, which net/http sets to the previous URL,
// query secrets (?access_token=...) included.
func TestHostileRefererLeavesNoQuery(t *testing.T) {
	hostileNoLeaks(t)
	other := hostile.StartRecorder(t, "127.0.0.2:0", nil)
	service := hostileRedirector(t, "127.0.0.1:0", http.StatusFound, other.URL)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	c := client.New(client.Config{Transport: tr, InBandOnly: true})
	for name, do := range map[string]func(url string){
		"standard": func(url string) {
			resp, err := c.StandardClient().Get(url)
			require.NoError(t, err)
			resp.Body.Close()
		},
		"wrap": func(url string) {
			resp, err := client.Wrap(&http.Client{Transport: tr}, client.Config{InBandOnly: true}).Get(url)
			require.NoError(t, err)
			resp.Body.Close()
		},
		"check": func(url string) {
			_, err := c.Check(t.Context(), url)
			require.NoError(t, err)
		},
	} {
		t.Run(name, func(t *testing.T) {
			before := len(other.Requests())
			do(service.URL + "/start?access_token=" + hostileSecret)
			reqs := other.Requests()[before:]
			require.Len(t, reqs, 1, "the redirect was followed")
			assert.Empty(t, reqs[0].Header.Get("Referer"))
			assert.Empty(t, hostile.Leaks(reqs[0].Header, hostileSecret))
		})
	}
	// On the same origin, net/http's Referer is kept: it leaks nothing.
	same := hostile.StartRecorder(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/start" {
			http.Redirect(w, r, "/next", http.StatusFound)
		}
	}))
	resp, err := c.StandardClient().Get(same.URL + "/start?q=1")
	require.NoError(t, err)
	resp.Body.Close()
	reqs := same.Requests()
	require.Len(t, reqs, 2)
	assert.Equal(t, same.URL+"/start?q=1", reqs[1].Header.Get("Referer"))
}

// TestHostileSensitiveHeaders (issue 17, Low): custom credential headers
// follow a redirect to another origin no more than Authorization does: the
// common ones by default, and any the caller names in
// Config.SensitiveHeaders, in any case. Other headers still follow.
func TestHostileSensitiveHeaders(t *testing.T) {
	hostileNoLeaks(t)
	other := hostile.StartRecorder(t, "127.0.0.2:0", nil)
	service := hostileRedirector(t, "127.0.0.1:0", http.StatusTemporaryRedirect, other.URL)
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	cfg := client.Config{Transport: tr, InBandOnly: true, SensitiveHeaders: []string{"x-vault-token", " X-Custom-Secret "}}
	c := client.New(cfg)
	send := map[string]func(req *http.Request){
		"standard": func(req *http.Request) {
			resp, err := c.StandardClient().Do(req)
			require.NoError(t, err)
			resp.Body.Close()
		},
		"wrap": func(req *http.Request) {
			resp, err := client.Wrap(&http.Client{Transport: tr}, cfg).Do(req)
			require.NoError(t, err)
			resp.Body.Close()
		},
		"check": func(req *http.Request) {
			_, err := c.CheckRequest(t.Context(), req)
			require.NoError(t, err)
		},
	}
	for name, do := range send {
		t.Run(name, func(t *testing.T) {
			before := len(other.Requests())
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, service.URL+"/start", nil)
			require.NoError(t, err)
			for _, h := range []string{"X-Api-Key", "X-Auth-Token", "Private-Token", "X-Vault-Token", "X-Custom-Secret"} {
				req.Header.Set(h, hostileSecret)
			}
			req.Header["x-lower-case-api-key"] = []string{"not sensitive"}
			req.Header.Set("X-Request-Id", "r1")
			do(req)
			reqs := other.Requests()[before:]
			require.Len(t, reqs, 1)
			assert.Empty(t, hostile.Leaks(reqs[0].Header, hostileSecret), "a credential header followed the redirect")
			assert.Equal(t, "r1", reqs[0].Header.Get("X-Request-Id"), "headers that are not credentials follow")
		})
	}
	// The service itself got them.
	got := service.Requests()[0].Header
	assert.Equal(t, hostileSecret, got.Get("X-Custom-Secret"))
	assert.Equal(t, hostileSecret, got.Get("X-Api-Key"))
}

// TestHostileSourceHeaderBytes (issue 17, Low): the probe, the health
// endpoint and the status page get at most 64 KiB of response headers each
// (net/http's default is 10 MiB): a source that sends more is no answer.
// Before the bound, the probe's 200 under 200 KiB of headers turned a bare
// 503 into maintenance.
func TestHostileSourceHeaderBytes(t *testing.T) {
	hostileNoLeaks(t)
	big := strings.Repeat("x", 200<<10)
	srv := hostile.StartRecorder(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/down-for-maintenance", "/health", "/status/api/v2/summary.json":
			w.Header().Set("X-Padding", big)
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"status":"OUT_OF_SERVICE"}`)
		}
	}))
	pcfg := probe.Config{HealthURL: "/health", StatusPageURL: "/status", Timeout: 2 * time.Second, CacheFor: -1}
	t.Run("probe", func(t *testing.T) {
		ev := probe.New(pcfg).Check(t.Context(), mustURL(t, srv.URL+"/api"))
		require.Len(t, ev, 3)
		for _, e := range ev {
			assert.Equal(t, classify.None, e.Strength, "%v", e)
			assert.Contains(t, e.Value, "no answer", "%v", e)
		}
	})
	t.Run("client", func(t *testing.T) {
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		c := client.New(client.Config{Transport: tr, Probe: pcfg})
		defer c.CloseIdleConnections()
		v, err := c.Check(t.Context(), srv.URL+"/api")
		require.NoError(t, err)
		assert.Equal(t, classify.Malfunction, v.Class, "%v", v)
	})
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// TestHostileHooksNoSourceAfterTransportError: the retryablehttp hooks of
// Client.Install see, after a transport error, only the URL of the hop
// that failed, which may be a redirect target: they consult no
// out-of-band source then, rather than one on an origin nobody named.
func TestHostileHooksNoSourceAfterTransportError(t *testing.T) {
	var asked []string
	probes := rtFunc(func(r *http.Request) (*http.Response, error) {
		asked = append(asked, r.URL.Host+r.URL.Path)
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	dc := client.New(client.Config{MaxWait: -1, Probe: probe.Config{Client: &http.Client{Transport: probes}}})
	err := &url.Error{Op: "Get", URL: "http://169.254.169.254/latest/meta-data/", Err: errors.New("connection refused")}
	retry, herr := dc.CheckRetry()(t.Context(), nil, err)
	assert.False(t, retry)
	var de *client.Error
	require.ErrorAs(t, herr, &de)
	assert.Equal(t, classify.Network, de.Verdict.Class)
	assert.Empty(t, asked, "a source was consulted on the failing hop's origin")
}
