package figures

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// windowMaxWait is the maximum wait every downfor client of figures 2 and
// 3 is given: like the naive loop's 15-minute MaxElapsedTime, it covers the
// 10-minute windows and not the 1-hour one.
const windowMaxWait = 15 * time.Minute

// pagePath is the page every client of figures 2 and 3 asks for.
const pagePath = "/v1/items"

// windowScenario is one maintenance window of figure 2: the server plays
// timeline (the window, then ok) from the moment the client sends its
// first request.
type windowScenario struct {
	name       string
	timeline   string
	retryAfter time.Duration // testserver.Config.RetryAfter; 0 for the mode's own
	window     time.Duration // the first step's length
	announced  time.Duration // the Retry-After each 503 carries; 0 for none
}

func windowScenarios() []windowScenario {
	return []windowScenario{
		// (a) 503 + Retry-After announcing the whole window.
		{name: "retry-after", timeline: "retry-after-seconds:10m,ok",
			retryAfter: 10 * time.Minute, window: 10 * time.Minute, announced: 10 * time.Minute},
		// (a') 503 + Retry-After: 120 repeated through a 10-minute window.
		{name: "retry-after-120s", timeline: "retry-after-seconds:10m,ok",
			retryAfter: 2 * time.Minute, window: 10 * time.Minute, announced: 2 * time.Minute},
		// (b) explicit maintenance without Retry-After: an OSF JSON flag (no end
		// given anywhere), and the Launchpad probe (its "until" gives the end).
		{name: "osf", timeline: "osf:10m,ok", window: 10 * time.Minute},
		{name: "probe-only", timeline: "probe-only:10m,ok", window: 10 * time.Minute},
		// (c) a window longer than the maximum wait, announced honestly.
		{name: "longer-than-maxwait", timeline: "retry-after-seconds:1h,ok",
			retryAfter: time.Hour, window: time.Hour, announced: time.Hour},
	}
}

// windowContender is one client of figures 2 and 3, built on rt.
type windowContender struct {
	name string
	make func(rt http.RoundTripper) getter
}

func windowContenders() []windowContender {
	cs := []windowContender{
		{"retryablehttp", func(rt http.RoundTripper) getter { return retryableGetter{newRetryable(rt)} }},
		{"naive-backoff", func(rt http.RoundTripper) getter { return naiveGetter{&http.Client{Transport: rt}} }},
	}
	return append(cs, downforWindowContenders()...)
}

// windowResult is what one client did in one scenario of figure 2.
type windowResult struct {
	Scenario string `json:"scenario"`
	Client   string `json:"client"`
	// Requests is every request the server received during the window:
	// pages, probe, health and status page.
	Requests int `json:"requests"`
	// Pages is the part of Requests that asked for the page; the rest went
	// to the probe, health endpoint or status page.
	Pages int `json:"pages"`
	// After is the requests received from the window's end until the
	// client returned.
	After int `json:"after"`
	// Succeeded reports whether the client gave its caller the 200.
	Succeeded bool `json:"succeeded"`
	// LagMS is the time from the window's end to the success, in ms; 0
	// unless Succeeded.
	LagMS float64 `json:"lag_ms"`
	// BlockedS is how long the client's call blocked, in seconds.
	BlockedS float64 `json:"blocked_s"`
	// Outcome says how the call ended.
	Outcome string `json:"outcome"`
	// Times are the offsets from the start of the window of the requests
	// for the page, in ms.
	Times []float64 `json:"times_ms"`
}

// runWindows runs the scenarios of figure 2 with each client, the cases
// "SCENARIO/CLIENT" that keep selects.
func runWindows(t *testing.T, keep func(string) bool) []windowResult {
	var out []windowResult
	for _, sc := range windowScenarios() {
		for _, c := range windowContenders() {
			if keep(sc.name + "/" + c.name) {
				out = append(out, runWindow(t, sc, c))
			}
		}
	}
	return out
}

// runWindow plays sc against one client in a synctest bubble: the window
// lasts its virtual length and runs at once.
func runWindow(t *testing.T, sc windowScenario, c windowContender) windowResult {
	t.Helper()
	steps, err := testserver.ParseTimeline(sc.timeline)
	require.NoError(t, err)
	r := windowResult{Scenario: sc.name, Client: c.name}
	synctest.Test(t, func(t *testing.T) {
		srv, err := testserver.StartInMemory(testserver.Config{Timeline: steps, RetryAfter: sc.retryAfter})
		require.NoError(t, err)
		defer srv.Close()
		g := c.make(memTransport{srv.Handler()})
		ctx, cancel := context.WithTimeout(t.Context(), 6*time.Hour) // a bound, in virtual time
		defer cancel()

		start := time.Now()
		end := start.Add(sc.window)
		status, err := g.get(ctx, srv.URL+pagePath)
		returned := time.Now()

		r.BlockedS = returned.Sub(start).Seconds()
		r.Outcome = describe(status, err, returned.Sub(start))
		r.Succeeded = err == nil && status == http.StatusOK
		if r.Succeeded {
			r.LagMS = float64(returned.Sub(end)) / float64(time.Millisecond)
		}
		for _, req := range srv.Requests() {
			page := req.Path == pagePath
			if page {
				r.Times = append(r.Times, float64(req.Time.Sub(start))/float64(time.Millisecond))
			}
			if req.Time.Before(end) {
				r.Requests++
				if page {
					r.Pages++
				}
			} else {
				r.After++
			}
		}
	})
	return r
}

// BenchmarkWindow is figure 2: for each maintenance window and client, the
// requests the server received during the window (requests/window, of which
// pages/window asked for the page), the lag from the window's end to the
// success (lag-ms; absent when the client gave up), and how long the call
// blocked (blocked-s). The windows run in virtual time in a child process,
// once per -count.
func BenchmarkWindow(b *testing.B) {
	for _, sc := range windowScenarios() {
		for _, c := range windowContenders() {
			name := sc.name + "/" + c.name
			var last windowResult
			b.Run(name, func(b *testing.B) {
				benchChild(b, groupWindow, name, &last, func(r windowResult) map[string]float64 {
					m := map[string]float64{
						"requests/window": float64(r.Requests),
						"pages/window":    float64(r.Pages),
						"blocked-s":       r.BlockedS,
						"succeeded":       boolMetric(r.Succeeded),
					}
					if r.Succeeded {
						m["lag-ms"] = r.LagMS
					}
					return m
				})
			})
		}
	}
}

func boolMetric(v bool) float64 {
	if v {
		return 1
	}
	return 0
}

// formatTimes renders request offsets for a table: "0s 2m0s 4m0s".
func formatTimes(ms []float64) string {
	const most = 8
	var parts []string
	for i, v := range ms {
		if i == most {
			parts = append(parts, "...")
			break
		}
		parts = append(parts, roundDur(time.Duration(v*float64(time.Millisecond))).String())
	}
	return strings.Join(parts, " ")
}
