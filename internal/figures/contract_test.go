package figures

import (
	"context"
	"errors"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
)

// The promises of BENCHMARKS.md that are counts, checked on every
// `go test`. They run in synctest bubbles, so they are deterministic and
// take milliseconds; no assertion here depends on the machine's speed.

// TestWindowRequests checks figure 2's promise: during a maintenance
// window downfor sends at most 1 request plus one per announced
// Retry-After, never retries before the announced time, and gets through
// once the window ends.
func TestWindowRequests(t *testing.T) {
	downfor := downforWindowContenders()[0]
	for _, sc := range windowScenarios() {
		if sc.announced == 0 || sc.window > windowMaxWait {
			continue
		}
		t.Run(sc.name, func(t *testing.T) {
			r := runWindow(t, sc, downfor)
			bound := 1 + int(sc.window/sc.announced)
			assert.LessOrEqual(t, r.Requests, bound, "requests during the window (%s)", formatTimes(r.Times))
			assert.True(t, r.Succeeded, r.Outcome)
			for i := 1; i < len(r.Times); i++ {
				gap := time.Duration((r.Times[i] - r.Times[i-1]) * float64(time.Millisecond))
				assert.GreaterOrEqual(t, gap, sc.announced, "retry %d came before the announced Retry-After", i)
			}
		})
	}
}

// TestWindowAnnouncedByProbe checks the same promise when the end is
// announced by the probe alone (no Retry-After): one request for the page
// during the window, then success.
func TestWindowAnnouncedByProbe(t *testing.T) {
	downfor := downforWindowContenders()[0]
	for _, sc := range windowScenarios() {
		if sc.name != "probe-only" {
			continue
		}
		r := runWindow(t, sc, downfor)
		assert.Equal(t, 1, r.Pages, "page requests during the window (%s)", formatTimes(r.Times))
		assert.True(t, r.Succeeded, r.Outcome)
	}
}

// TestWindowLongerThanMaxWait checks the default policy: a window announced
// to end past the maximum wait means skip at once (one request, no wait),
// not a shorter wait.
func TestWindowLongerThanMaxWait(t *testing.T) {
	for _, sc := range windowScenarios() {
		if sc.window <= windowMaxWait {
			continue
		}
		t.Run(sc.name, func(t *testing.T) {
			var err error
			get := windowContender{"downfor", func(rt http.RoundTripper) getter {
				g := stdGetter{client.New(downforWindowConfig(rt)).StandardClient()}
				return getterFunc(func(ctx context.Context, url string) (int, error) {
					status, e := g.get(ctx, url)
					err = e
					return status, e
				})
			}}
			r := runWindow(t, sc, get)
			assert.Equal(t, 1, r.Pages)
			// The out-of-band sources are consulted on every answer that is
			// not ok, timing or not (an incident must be able to outweigh
			// the window): the probe, once.
			assert.LessOrEqual(t, r.Requests, 2)
			var ce *client.Error
			require.True(t, errors.As(err, &ce), "error %v is not a *client.Error", err)
			assert.Equal(t, client.Skip, ce.Action)
			assert.Zero(t, ce.Waited)
		})
	}
}

// TestFleetRespectsRetryAfter checks the promise "jitter is added
// after the requested time": no client of the fleet sends a second request
// before the announced end, and all get through.
func TestFleetRespectsRetryAfter(t *testing.T) {
	for _, c := range append(downforWindowContenders(), downforFleetExtras()...) {
		t.Run(c.name, func(t *testing.T) {
			r := runFleet(t, fleetScenarios()[0], c)
			assert.Equal(t, fleetSize, r.PagesInWindow, "pages during the window")
			// Each client consults the probe once (each its own client
			// here, so no shared cache); its 404 is remembered.
			assert.LessOrEqual(t, r.InWindow, 2*fleetSize, "requests during the window")
			assert.Equal(t, fleetSize, r.Succeeded)
		})
	}
}

// TestProbeShared checks figure 4's promise: many goroutines send one
// probe request per cache period, not one each. The bursts keep their
// probeGoroutines goroutines; the scenarios that last have 100, which
// keeps this test quick under the race detector.
func TestProbeShared(t *testing.T) {
	for _, sc := range probeScenarios() {
		if sc.span > 0 {
			sc.goroutines = 100
		}
		t.Run(sc.name, func(t *testing.T) {
			r := runProbe(t, sc)
			require.Positive(t, r.Calls)
			assert.LessOrEqual(t, float64(r.Probes), math.Ceil(r.Periods)+1, "probe requests for %.1f cache periods", r.Periods)
			assert.Equal(t, r.Calls, r.Maintained, "every call sees the announced maintenance")
		})
	}
}

// TestUnannouncedLateness checks figure 2b's promise: when nobody
// announced the end of a maintenance, downfor resumes at most a tenth of
// the window's length after its end (at least the floor, 1 s, at most the
// ceiling, 30 s; plus the poll that finds it over, and the probe's cache
// period when the probe announced it), and polls the
// cheapest source: the probe when the probe announced it, never the page.
func TestUnannouncedLateness(t *testing.T) {
	for _, sc := range unannouncedScenarios() {
		t.Run(sc.name, func(t *testing.T) {
			r := runUnannounced(t, sc)
			require.True(t, r.Succeeded)
			bound := min(max(sc.window/10, time.Second), 30*time.Second)
			// The poll scheduled just before the end is a tenth of the
			// time elapsed then; allow for the one after the end too.
			// A probe's answer is cached: its end is seen up to one cache
			// period later.
			slack := bound/10 + time.Second
			if sc.byProbe {
				slack += probe.DefaultCacheFor
			}
			late := time.Duration(r.LateMS * float64(time.Millisecond))
			assert.LessOrEqual(t, late, bound+slack, "late after the end")
			if sc.byProbe {
				assert.Equal(t, 1, r.Pages, "the page is not resent while the probe announces maintenance")
			} else {
				assert.Equal(t, 1, r.Probes, "the probe's 404 is remembered")
			}
		})
	}
}
