package probe_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/internal/hostile"
	"github.com/downfor/downfor/probe"
)

// TestFetchUserAgentEverywhere: a User-Agent in Config.Header names the
// software (the CLI sends downfor/VERSION), not the caller: it goes with
// every request, to a status page and a health endpoint on other origins
// too, while the credentials beside it stay on the service's origin.
func TestFetchUserAgentEverywhere(t *testing.T) {
	credNoLeaks(t)
	service := credService(t, nil)
	other := hostile.StartRecorder(t, "127.0.0.2:0", nil)
	h := credHeader()
	h.Set("User-Agent", "downfor/1.2.3")
	p := credProber(t, probe.Config{Header: h, HealthURL: other.URL + "/health", StatusPageURL: other.URL + "/status"})
	require.NotEmpty(t, p.Check(t.Context(), credURL(t, service.URL+"/api")))

	require.NotEmpty(t, other.Requests())
	for _, r := range other.Requests() {
		assert.Equal(t, "downfor/1.2.3", r.Header.Get("User-Agent"), r.Path)
	}
	credAssertClean(t, other)
	for _, r := range service.Requests() {
		assert.Equal(t, "downfor/1.2.3", r.Header.Get("User-Agent"), r.Path)
		assert.Equal(t, "Bearer "+credSecret, r.Header.Get("Authorization"), r.Path)
	}

	// Without one, the probe says "downfor".
	p = credProber(t, probe.Config{DisableProbe: true, StatusPageURL: other.URL + "/status"})
	before := len(other.Requests())
	p.Check(t.Context(), credURL(t, service.URL+"/api"))
	reqs := other.Requests()[before:]
	require.NotEmpty(t, reqs)
	assert.Equal(t, "downfor", reqs[0].Header.Get("User-Agent"))
}
