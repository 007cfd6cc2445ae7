package figures

import (
	"context"
	"math"
	"net/http"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// fleetSize is how many clients wait on the same window in figure 3.
const fleetSize = 100

// fleetScenario is one window of figure 3 that fleetSize clients wait on.
type fleetScenario struct {
	name       string
	timeline   string
	retryAfter time.Duration
	window     time.Duration
	// arrivals spreads the clients' first requests evenly over this span
	// from the window's start; 0 sends them all at once.
	arrivals time.Duration
}

func fleetScenarios() []fleetScenario {
	return []fleetScenario{
		// Every client asks at the same moment and hears the same
		// Retry-After: 600.
		{name: "retry-after", timeline: "retry-after-seconds:10m,ok",
			retryAfter: 10 * time.Minute, window: 10 * time.Minute},
		// Clients arrive over the first 5 minutes; the pages say nothing
		// (503), the probe announces one absolute end for all of them.
		{name: "probe-until", timeline: "probe-only:10m,ok",
			window: 10 * time.Minute, arrivals: 5 * time.Minute},
		// Every client asks at the same moment; the pages say maintenance
		// (OSF's flag) and nobody announces an end: the clients poll, and
		// only the polls' own spread keeps them apart.
		{name: "no-end", timeline: "osf:2m,ok", window: 2 * time.Minute},
	}
}

// fleetResult is what one kind of client did, fleetSize of them, in one
// scenario of figure 3.
type fleetResult struct {
	Scenario string `json:"scenario"`
	Client   string `json:"client"`
	Clients  int    `json:"clients"`
	// InWindow is the requests the fleet sent during the window (every
	// path), of which PagesInWindow asked for the page.
	InWindow      int `json:"in_window"`
	PagesInWindow int `json:"pages_in_window"`
	// FirstSecond is the requests received in the first second after the
	// window's end.
	FirstSecond int `json:"first_second"`
	// PeakRPS is the busiest 100 ms of that first second, as a rate per
	// second.
	PeakRPS float64 `json:"peak_rps"`
	// Succeeded is how many clients gave their caller the 200.
	Succeeded int `json:"succeeded"`
	// SpreadMS is from the window's end to the last success, in ms.
	SpreadMS float64 `json:"spread_ms"`
	// MedianLagMS is the median, over the clients that succeeded, of the
	// time from the window's end to their success, in ms.
	MedianLagMS float64 `json:"median_lag_ms"`
}

// runFleets runs the scenarios of figure 3 with each kind of client, the
// cases "SCENARIO/CLIENT" that keep selects.
func runFleets(t *testing.T, keep func(string) bool) []fleetResult {
	var out []fleetResult
	for _, sc := range fleetScenarios() {
		for _, c := range fleetContenders() {
			if keep(sc.name + "/" + c.name) {
				out = append(out, runFleet(t, sc, c))
			}
		}
	}
	return out
}

// fleetContenders are the clients of figure 2, and downfor without jitter
// when its configuration can turn jitter off.
func fleetContenders() []windowContender {
	return append(windowContenders(), downforFleetExtras()...)
}

// runFleet plays sc against fleetSize clients of one kind, each with its
// own client and its own request, in one synctest bubble.
func runFleet(t *testing.T, sc fleetScenario, c windowContender) fleetResult {
	t.Helper()
	steps, err := testserver.ParseTimeline(sc.timeline)
	require.NoError(t, err)
	r := fleetResult{Scenario: sc.name, Client: c.name, Clients: fleetSize}
	synctest.Test(t, func(t *testing.T) {
		srv, err := testserver.StartInMemory(testserver.Config{Timeline: steps, RetryAfter: sc.retryAfter})
		require.NoError(t, err)
		defer srv.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 6*time.Hour)
		defer cancel()

		start := time.Now()
		end := start.Add(sc.window)
		var (
			mu   sync.Mutex
			lags []time.Duration
			wg   sync.WaitGroup
		)
		for i := range fleetSize {
			wg.Go(func() {
				if sc.arrivals > 0 {
					time.Sleep(sc.arrivals * time.Duration(i) / fleetSize)
				}
				g := c.make(memTransport{srv.Handler()})
				status, err := g.get(ctx, srv.URL+pagePath)
				if err == nil && status == http.StatusOK {
					mu.Lock()
					lags = append(lags, time.Since(end))
					mu.Unlock()
				}
			})
		}
		wg.Wait()

		const bucket = 100 * time.Millisecond
		var buckets [int(time.Second / bucket)]int
		for _, req := range srv.Requests() {
			switch d := req.Time.Sub(end); {
			case d < 0:
				r.InWindow++
				if req.Path == pagePath {
					r.PagesInWindow++
				}
			case d < time.Second:
				r.FirstSecond++
				buckets[d/bucket]++
			}
		}
		for _, n := range buckets {
			r.PeakRPS = math.Max(r.PeakRPS, float64(n)*float64(time.Second/bucket))
		}
		r.Succeeded = len(lags)
		if len(lags) > 0 {
			slices.Sort(lags)
			r.SpreadMS = ms(lags[len(lags)-1])
			r.MedianLagMS = ms(lags[len(lags)/2])
		}
	})
	return r
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// BenchmarkFleet is figure 3: fleetSize clients waiting on one window, per
// kind of client: the peak request rate in the first second after the end
// (peak-rps, from the busiest 100 ms), the requests in that second
// (first-second-requests), the requests the fleet sent during the window
// (requests/window), and when the clients got through (median-lag-ms,
// spread-ms). Virtual time, in a child process, once per -count.
func BenchmarkFleet(b *testing.B) {
	for _, sc := range fleetScenarios() {
		for _, c := range fleetContenders() {
			name := sc.name + "/" + c.name
			var last fleetResult
			b.Run(name, func(b *testing.B) {
				benchChild(b, groupFleet, name, &last, func(r fleetResult) map[string]float64 {
					return map[string]float64{
						"peak-rps":              r.PeakRPS,
						"first-second-requests": float64(r.FirstSecond),
						"requests/window":       float64(r.InWindow),
						"pages/window":          float64(r.PagesInWindow),
						"succeeded":             float64(r.Succeeded),
						"median-lag-ms":         r.MedianLagMS,
						"spread-ms":             r.SpreadMS,
					}
				})
			})
		}
	}
}
