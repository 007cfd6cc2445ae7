package figures

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// probeGoroutines is how many goroutines consult one Prober in figure 4.
const probeGoroutines = 1000

// probeLatency is how long the in-memory probe request takes, in virtual
// time, so that callers arriving meanwhile find it in flight.
const probeLatency = 50 * time.Millisecond

// probeScenario is one way probeGoroutines goroutines consult the probe
// during a window of figure 4.
type probeScenario struct {
	name       string
	goroutines int // if zero, probeGoroutines
	// span is how long the goroutines keep consulting; every goroutine
	// calls Check at once, then every interval (plus its own offset of
	// up to interval) until span has passed. A zero span is one call each,
	// all at once.
	span     time.Duration
	interval time.Duration
	cacheFor time.Duration // probe.Config.CacheFor; 0 for the default
}

func probeScenarios() []probeScenario {
	return []probeScenario{
		{name: "burst"},
		{name: "1m-every-1s", span: time.Minute, interval: time.Second},
		{name: "10m-every-10s", span: 10 * time.Minute, interval: 10 * time.Second},
	}
}

// probeResult is what the server saw in one scenario of figure 4.
type probeResult struct {
	Scenario   string  `json:"scenario"`
	Goroutines int     `json:"goroutines"`
	Calls      int     `json:"calls"`
	Probes     int     `json:"probes"`
	CacheForS  float64 `json:"cache_for_s"`
	Periods    float64 `json:"periods"`
	PerPeriod  float64 `json:"per_period"`
	Maintained int     `json:"maintenance"` // calls whose evidence said maintenance
}

// runProbeSharing runs the scenarios of figure 4 that keep selects.
func runProbeSharing(t *testing.T, keep func(string) bool) []probeResult {
	var out []probeResult
	for _, sc := range probeScenarios() {
		if keep(sc.name) {
			out = append(out, runProbe(t, sc))
		}
	}
	return out
}

// latencyTransport delays every round trip by d before rt serves it.
type latencyTransport struct {
	rt http.RoundTripper
	d  time.Duration
}

func (t latencyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	timer := time.NewTimer(t.d)
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-req.Context().Done():
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, context.Cause(req.Context())
	}
	return t.rt.RoundTrip(req)
}

// runProbe plays sc in a synctest bubble against testserver's probe-only
// mode (pages 503, probe 200) and counts the probe requests in its log.
func runProbe(t *testing.T, sc probeScenario) probeResult {
	t.Helper()
	n := sc.goroutines
	if n == 0 {
		n = probeGoroutines
	}
	r := probeResult{Scenario: sc.name, Goroutines: n}
	synctest.Test(t, func(t *testing.T) {
		srv, err := testserver.StartInMemory(testserver.Config{Mode: "probe-only", RetryAfter: time.Hour})
		require.NoError(t, err)
		defer srv.Close()
		target, err := url.Parse(srv.URL + pagePath)
		require.NoError(t, err)
		p := probe.New(probe.Config{
			Client:   &http.Client{Transport: latencyTransport{memTransport{srv.Handler()}, probeLatency}},
			CacheFor: sc.cacheFor,
		})
		cacheFor := sc.cacheFor
		if cacheFor == 0 {
			cacheFor = probe.DefaultCacheFor
		}
		ctx := t.Context()
		start := time.Now()
		var (
			mu           sync.Mutex
			calls, maint int
			wg           sync.WaitGroup
		)
		for i := range n {
			wg.Go(func() {
				offset := time.Duration(0)
				if sc.interval > 0 {
					offset = sc.interval * time.Duration(i) / time.Duration(n)
				}
				for first := true; first || time.Since(start) < sc.span; first = false {
					ev := p.Check(ctx, target)
					mu.Lock()
					calls++
					if saysMaintenance(ev) {
						maint++
					}
					mu.Unlock()
					if sc.span == 0 {
						return
					}
					time.Sleep(sc.interval + offset*boolInt(first))
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(start)
		for _, req := range srv.Requests() {
			if req.Path == testserver.ProbePath {
				r.Probes++
			}
		}
		r.Calls, r.Maintained = calls, maint
		r.CacheForS = cacheFor.Seconds()
		r.Periods = max(1, float64(elapsed)/float64(cacheFor))
		r.PerPeriod = float64(r.Probes) / r.Periods
	})
	return r
}

func boolInt(v bool) time.Duration {
	if v {
		return 1
	}
	return 0
}

// BenchmarkProbeSharing is figure 4: probeGoroutines goroutines consulting
// one Prober during a window, in virtual time in a child process: the
// probe requests the server received (probes), per cache period
// (probes/period), against the Check calls made (calls). Once per -count.
func BenchmarkProbeSharing(b *testing.B) {
	for _, sc := range probeScenarios() {
		var last probeResult
		b.Run(sc.name, func(b *testing.B) {
			benchChild(b, groupProbe, sc.name, &last, func(r probeResult) map[string]float64 {
				return map[string]float64{
					"probes":         float64(r.Probes),
					"probes/period":  r.PerPeriod,
					"calls":          float64(r.Calls),
					"cache-periods":  r.Periods,
					"maintenance-ev": float64(r.Maintained),
				}
			})
		})
	}
}

// saysMaintenance reports whether some evidence argues for maintenance.
func saysMaintenance(ev []classify.Evidence) bool {
	for _, e := range ev {
		if e.Strength != classify.None && e.Indicates == classify.Maintenance {
			return true
		}
	}
	return false
}

// BenchmarkProbeBurst is figure 4 on a real loopback socket and the real
// clock: each iteration makes a new Prober (a cold cache) and lets
// probeGoroutines goroutines call Check at once against testserver's
// probe-only mode. It reports the probe requests the server received per
// burst (probes/op); ns/op is how long the whole burst took to be
// answered.
func BenchmarkProbeBurst(b *testing.B) {
	srv, err := testserver.New("probe-only")
	require.NoError(b, err)
	defer srv.Close()
	target, err := url.Parse(srv.URL + pagePath)
	require.NoError(b, err)
	hc := bareClient()
	defer hc.CloseIdleConnections()
	ctx := context.Background()
	srv.ResetRequests()
	bursts := 0
	for b.Loop() {
		p := probe.New(probe.Config{Client: hc})
		var wg sync.WaitGroup
		for range probeGoroutines {
			wg.Go(func() { p.Check(ctx, target) })
		}
		wg.Wait()
		bursts++
	}
	probes := 0
	for _, req := range srv.Requests() {
		if req.Path == testserver.ProbePath {
			probes++
		}
	}
	b.ReportMetric(float64(probes)/float64(bursts), "probes/op")
}
