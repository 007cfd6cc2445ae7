package probe_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/hostile"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// This file holds SECURITY.md's "a hostile server cannot make downfor
// send the caller's credentials to another origin" to account for the
// out-of-band sources: [probe.Config.Header] (where the CLI's --header and
// the client's credentials for the probe go) reaches the service's origin
// and nothing else, whether the other origin is named in the
// configuration, reached by a redirect, or the same host on another port.

const (
	credSecret = "pr0be-s3cr3t"
	credCookie = "pr0be-c00kie"
	credKey    = "pr0be-ap1-key"
	credProxy  = "pr0be-pr0xy"
)

var credSecrets = []string{credSecret, credCookie, credKey, credProxy}

// credHeader is what a caller asks the probe to send to the service.
func credHeader() http.Header {
	return http.Header{
		"Authorization":       {"Bearer " + credSecret},
		"Cookie":              {"session=" + credCookie},
		"X-Api-Key":           {credKey},
		"Proxy-Authorization": {"Basic " + credProxy},
	}
}

// credNoLeaks checks, once the test and its cleanups are done, that no
// goroutine it started is left.
func credNoLeaks(t *testing.T) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
}

func credURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	require.NoError(t, err)
	return u
}

// credProber is a prober with the credentials, a short timeout and no
// cache, sending through its own transport.
func credProber(t *testing.T, cfg probe.Config) *probe.Prober {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	if cfg.Header == nil {
		cfg.Header = credHeader()
	}
	cfg.Client = &http.Client{Transport: tr}
	cfg.Timeout = 2 * time.Second
	cfg.CacheFor = -1
	return probe.New(cfg)
}

// credAssertClean fails for every request of r that carries a secret.
func credAssertClean(t *testing.T, r *hostile.Recorder) {
	t.Helper()
	for _, s := range r.Requests() {
		assert.Empty(t, hostile.Leaks(s.Header, credSecrets...), "%s %s%s got the service's credentials", s.Method, s.Host, s.Path)
	}
}

// credService starts a service whose handler answers paths by routes and
// everything else 503.
func credService(t *testing.T, routes map[string]http.HandlerFunc) *hostile.Recorder {
	return hostile.StartRecorder(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if h, ok := routes[r.URL.Path]; ok {
			h(w, r)
			return
		}
		http.Error(w, "unavailable", http.StatusServiceUnavailable)
	}))
}

func credRedirect(status int, to string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, status) }
}

// credOthers are the other origins a test redirects to: the same host on
// another port, and another host.
func credOthers(t *testing.T) map[string]*hostile.Recorder {
	return map[string]*hostile.Recorder{
		"other-port": hostile.StartRecorder(t, "127.0.0.1:0", nil),
		"other-host": hostile.StartRecorder(t, "127.0.0.2:0", nil),
	}
}

// TestCredentialsProbeRedirectOffsite: the mock server's
// probe-redirect-offsite mode sends the probe to another origin; the probe
// does not follow, so the other origin sees nothing at all, while the
// service's own origin got the credentials it was meant to.
func TestCredentialsProbeRedirectOffsite(t *testing.T) {
	credNoLeaks(t)
	for name, other := range credOthers(t) {
		t.Run(name, func(t *testing.T) {
			srv, err := testserver.Start(testserver.Config{Mode: "probe-redirect-offsite", Offsite: other.URL})
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			ev := credProber(t, probe.Config{}).Check(t.Context(), credURL(t, srv.URL+"/api/things"))
			require.Len(t, ev, 1)
			assert.Equal(t, classify.None, ev[0].Strength)
			assert.Contains(t, ev[0].Value, "not followed")
			assert.Empty(t, other.Requests(), "the probe followed a redirect to another origin")

			var probes int
			for _, r := range srv.Requests() {
				if r.Path == testserver.ProbePath {
					probes++
					assert.Equal(t, "Bearer "+credSecret, r.Header.Get("Authorization"), "the service's own origin gets its credentials")
				}
			}
			assert.Equal(t, 1, probes)
		})
	}
}

// TestCredentialsSourceRedirects: the probe, health endpoint and status
// page on the service's origin each redirect to another origin, with every
// redirect status. None follows: a status page that the user did not name
// as an absolute URL is the service's own, and a hostile service must not
// send downfor to another host with it (issue 17: an internal address, a
// metadata endpoint). A status page named as an absolute URL may redirect
// to another host (a hosted page moves), but without the credentials.
func TestCredentialsSourceRedirects(t *testing.T) {
	credNoLeaks(t)
	statuses := []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect}
	for name, other := range credOthers(t) {
		for _, status := range statuses {
			t.Run(name+"/"+http.StatusText(status), func(t *testing.T) {
				before := len(other.Requests())
				service := credService(t, map[string]http.HandlerFunc{
					"/down-for-maintenance":  credRedirect(status, other.URL+"/down-for-maintenance"),
					"/health":                credRedirect(status, other.URL+"/health"),
					"/api/v2/summary.json":   credRedirect(status, other.URL+"/moved/api/v2/summary.json"),
					"/status/step":           credRedirect(status, "/api/v2/summary.json"), // same origin first
					"/status/chain-to-other": credRedirect(status, other.URL+"/chained.json"),
				})
				for _, page := range []string{"/api/v2/summary.json", "/status/step", "/status/chain-to-other"} {
					p := credProber(t, probe.Config{HealthURL: "/health", StatusPageURL: page})
					ev := p.Check(t.Context(), credURL(t, service.URL+"/api/things"))
					require.NotEmpty(t, ev)
					if page == "/api/v2/summary.json" {
						assert.True(t, slices.ContainsFunc(ev, func(e classify.Evidence) bool {
							return e.Source == classify.SourceStatusPage && strings.Contains(e.Value, "redirect to another origin not followed")
						}), "%s: %v", page, ev)
					}
				}
				assert.Empty(t, other.Requests()[before:], "a source on the service's origin followed a redirect to another origin")

				// Named as an absolute URL, the page may move elsewhere.
				p := credProber(t, probe.Config{DisableProbe: true, StatusPageURL: service.URL + "/api/v2/summary.json"})
				require.NotEmpty(t, p.Check(t.Context(), credURL(t, service.URL+"/api/things")))
				reqs := other.Requests()[before:]
				require.Len(t, reqs, 1, "the named status page's redirect is followed")
				for _, r := range reqs {
					assert.NotEqual(t, "/down-for-maintenance", r.Path)
					assert.NotEqual(t, "/health", r.Path)
				}
				credAssertClean(t, other)
			})
		}
	}
}

// TestCredentialsSourcesOnOtherOrigins: a status page and a health
// endpoint configured on other origins (another host, or the same host on
// another port, or another scheme) never get the service's credentials,
// nor the user information of the service's URL.
func TestCredentialsSourcesOnOtherOrigins(t *testing.T) {
	credNoLeaks(t)
	service := credService(t, nil)
	for name, other := range credOthers(t) {
		t.Run(name, func(t *testing.T) {
			before := len(other.Requests())
			p := credProber(t, probe.Config{HealthURL: other.URL + "/health", StatusPageURL: other.URL + "/status"})
			target := credURL(t, service.URL+"/api/things")
			target.User = url.UserPassword("user", credSecret)
			ev := p.Check(t.Context(), target)
			require.NotEmpty(t, ev)
			reqs := other.Requests()[before:]
			paths := make([]string, 0, len(reqs))
			for _, r := range reqs {
				paths = append(paths, r.Path)
			}
			assert.ElementsMatch(t, []string{"/health", "/status/api/v2/summary.json"}, paths)
			credAssertClean(t, other)
		})
	}
	// The probe, on the service's own origin, got them; user information
	// is never sent by the probe, not even there.
	var probes int
	for _, r := range service.Requests() {
		if r.Path == "/down-for-maintenance" {
			probes++
			assert.Equal(t, "Bearer "+credSecret, r.Header.Get("Authorization"))
		}
	}
	assert.Positive(t, probes)
}

// TestCredentialsHeaderCase: a caller who writes a header's name in
// another case (http.Header{"authorization": ...}, as a map literal
// allows) must not lose the protection: the header still never follows a
// redirect to another origin.
func TestCredentialsHeaderCase(t *testing.T) {
	credNoLeaks(t)
	other := hostile.StartRecorder(t, "127.0.0.1:0", nil)
	service := credService(t, map[string]http.HandlerFunc{
		"/api/v2/summary.json": credRedirect(http.StatusFound, other.URL+"/summary.json"),
	})
	p := credProber(t, probe.Config{
		StatusPageURL: service.URL + "/api/v2/summary.json", // named: may redirect elsewhere
		DisableProbe:  true,
		Header: http.Header{
			"authorization": {"Bearer " + credSecret},
			"x-api-key":     {credKey},
		},
	})
	p.Check(t.Context(), credURL(t, service.URL+"/"))
	require.NotEmpty(t, service.Requests())
	// Sent to the service, whatever the case.
	assert.True(t, strings.Contains(service.Requests()[0].Header.Get("X-Api-Key"), credKey), "the service did not get its header")
	require.NotEmpty(t, other.Requests(), "the status page's redirect was not followed")
	credAssertClean(t, other)
}
