package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

var t0 = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)

func retryAfter(class classify.Class, d time.Duration) classify.Verdict {
	return classify.Verdict{Class: class, Status: 503, RetryAfter: d, HasRetryAfter: true}
}

func TestDecide(t *testing.T) {
	maint := classify.Verdict{Class: classify.Maintenance, Status: 503}
	mal := classify.Verdict{Class: classify.Malfunction, Status: 500}
	net := classify.Verdict{Class: classify.Network}
	thr := classify.Verdict{Class: classify.Throttled, Status: 429}
	tests := []struct {
		name string
		cfg  client.Config
		v    classify.Verdict
		s    client.State
		want client.Decision
	}{
		{"ok proceeds", client.Config{}, classify.Verdict{Class: classify.OK, Status: 200}, client.State{}, client.Decision{Action: client.Proceed}},
		{"client error proceeds", client.Config{}, classify.Verdict{Class: classify.ClientError, Status: 404}, client.State{}, client.Decision{Action: client.Proceed}},
		{"maintenance within max wait waits the server's time", client.Config{}, retryAfter(classify.Maintenance, 3*time.Second), client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: 3 * time.Second}},
		{"retry-after 0 waits the floor", client.Config{}, retryAfter(classify.Maintenance, 0), client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: time.Second}},
		{"until counts as timing", client.Config{}, classify.Verdict{Class: classify.Maintenance, Until: t0.Add(time.Minute)}, client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: time.Minute}},
		{"throttled waits", client.Config{}, retryAfter(classify.Throttled, 30*time.Second), client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: 30 * time.Second}},
		{"malfunction with retry-after honours it", client.Config{}, retryAfter(classify.Malfunction, 5*time.Second), client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: 5 * time.Second}},
		{"no timing polls from the floor", client.Config{}, maint, client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: time.Second, Poll: true}},
		{"no timing uses the caller's backoff", client.Config{}, thr, client.State{Now: t0, Interval: 7 * time.Second},
			client.Decision{Action: client.Wait, Delay: 7 * time.Second, Poll: true}},
		{"backoff is kept under the ceiling", client.Config{}, thr, client.State{Now: t0, Interval: time.Hour},
			client.Decision{Action: client.Wait, Delay: 30 * time.Second, Poll: true}},
		{"backoff is kept over the floor", client.Config{}, mal, client.State{Now: t0, Interval: time.Millisecond},
			client.Decision{Action: client.Wait, Delay: time.Second, Poll: true}},
		{"un-randomized schedule grows", client.Config{}, mal, client.State{Now: t0, Tries: 3},
			client.Decision{Action: client.Wait, Delay: 4 * time.Second, Poll: true}},
		{"schedule saturates at the ceiling", client.Config{}, thr, client.State{Now: t0, Tries: 500},
			client.Decision{Action: client.Wait, Delay: 30 * time.Second, Poll: true}},
		{"the last poll ends at max wait", client.Config{}, thr, client.State{Now: t0, Waited: 5*time.Minute - 2*time.Second, Interval: 30 * time.Second},
			client.Decision{Action: client.Wait, Delay: 2 * time.Second, Poll: true}},
		// A maintenance whose end nobody announced is polled at a tenth of
		// how long it has lasted, between the floor and the ceiling.
		{"maintenance polls from the floor", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(-5 * time.Second)},
			client.Decision{Action: client.Wait, Delay: time.Second, Poll: true}},
		{"maintenance polls at a tenth of its length", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(-100 * time.Second)},
			client.Decision{Action: client.Wait, Delay: 10 * time.Second, Poll: true}},
		{"maintenance polls at most at the ceiling", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(-time.Hour), Tries: 1},
			client.Decision{Action: client.Wait, Delay: 30 * time.Second, Poll: true}},
		{"maintenance polls are spread downward", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(-100 * time.Second), Rand: 0.5},
			client.Decision{Action: client.Wait, Delay: 8750 * time.Millisecond, Poll: true}},
		{"maintenance polls are never below the floor", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(-10 * time.Second), Rand: 0.99},
			client.Decision{Action: client.Wait, Delay: time.Second, Poll: true}},
		{"maintenance ignores the backoff schedule", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(-100 * time.Second), Interval: 7 * time.Second, Tries: 9},
			client.Decision{Action: client.Wait, Delay: 10 * time.Second, Poll: true}},
		{"maintenance without Since follows the schedule", client.Config{}, maint, client.State{Now: t0, Interval: 7 * time.Second},
			client.Decision{Action: client.Wait, Delay: 7 * time.Second, Poll: true}},
		{"maintenance without Since: the schedule's interval for Tries", client.Config{}, maint, client.State{Now: t0, Tries: 3},
			client.Decision{Action: client.Wait, Delay: 4 * time.Second, Poll: true}},
		{"a Since in the future counts as now", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(time.Hour)},
			client.Decision{Action: client.Wait, Delay: time.Second, Poll: true}},
		{"the last maintenance poll ends at max wait", client.Config{}, maint, client.State{Now: t0, Since: t0.Add(-time.Hour), Waited: 5*time.Minute - 2*time.Second},
			client.Decision{Action: client.Wait, Delay: 2 * time.Second, Poll: true}},
		{"custom floor and ceiling bound the maintenance polls", client.Config{Schedule: client.Schedule{Floor: 5 * time.Second, Ceiling: 8 * time.Second}}, maint, client.State{Now: t0, Since: t0.Add(-time.Hour)},
			client.Decision{Action: client.Wait, Delay: 8 * time.Second, Poll: true}},
		{"the last poll may be exactly the floor", client.Config{}, maint, client.State{Now: t0, Waited: 5*time.Minute - time.Second, Interval: 30 * time.Second},
			client.Decision{Action: client.Wait, Delay: time.Second, Poll: true}},
		{"retry-after below the floor waits the floor", client.Config{}, retryAfter(classify.Maintenance, 300*time.Millisecond), client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: time.Second}},
		{"throttled retry-after 0 waits the floor", client.Config{}, classify.Verdict{Class: classify.Throttled, Status: 429, HasRetryAfter: true}, client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: time.Second}},
		{"until in the past waits the floor", client.Config{}, classify.Verdict{Class: classify.Maintenance, Until: t0.Add(-time.Hour)}, client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: time.Second}},
		{"retry-after 0 with exactly the floor left waits it", client.Config{MaxWait: 30 * time.Second}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Waited: 29 * time.Second},
			client.Decision{Action: client.Wait, Delay: time.Second}},
		{"retry-after 0: jitter is clipped to what is left", client.Config{MaxWait: 30 * time.Second}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Waited: 28950 * time.Millisecond, Rand: 0.99},
			client.Decision{Action: client.Wait, Delay: 1050 * time.Millisecond}},
		{"a custom floor holds for retry-after 0", client.Config{Schedule: client.Schedule{Floor: 5 * time.Second}}, retryAfter(classify.Maintenance, 0), client.State{Now: t0},
			client.Decision{Action: client.Wait, Delay: 5 * time.Second}},
		{"retry-after 0 within a deadline waits the floor", client.Config{}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Deadline: t0.Add(2 * time.Second)},
			client.Decision{Action: client.Wait, Delay: time.Second}},
		{"a huge jitter fraction does not overflow", client.Config{Jitter: client.Jitter{Fraction: 1e300, Max: time.Second}}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Rand: 0.5},
			client.Decision{Action: client.Wait, Delay: 1500 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tt.cfg.Decide(tt.v, tt.s))
		})
	}

	// Decisions that refuse to wait: only the action matters, and the reason
	// must say something.
	refusals := []struct {
		name string
		cfg  client.Config
		v    classify.Verdict
		s    client.State
		want client.Action
	}{
		{"maintenance past max wait skips", client.Config{}, retryAfter(classify.Maintenance, time.Hour), client.State{Now: t0}, client.Skip},
		{"huge retry-after skips", client.Config{}, retryAfter(classify.Maintenance, classify.MaxRetryAfter), client.State{Now: t0}, client.Skip},
		{"until in 2999 skips", client.Config{}, classify.Verdict{Class: classify.Maintenance, Until: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)}, client.State{Now: t0}, client.Skip},
		{"throttled past max wait skips", client.Config{}, retryAfter(classify.Throttled, 10*time.Minute), client.State{Now: t0}, client.Skip},
		{"waited time counts", client.Config{}, retryAfter(classify.Maintenance, 2*time.Minute), client.State{Now: t0, Waited: 4 * time.Minute}, client.Skip},
		{"past the context deadline skips", client.Config{}, retryAfter(classify.Maintenance, 2*time.Minute), client.State{Now: t0, Deadline: t0.Add(time.Minute)}, client.Skip},
		{"malfunction with a long retry-after alerts", client.Config{}, retryAfter(classify.Malfunction, 900*time.Second), client.State{Now: t0}, client.Alert},
		{"malfunction retries used up alerts", client.Config{}, mal, client.State{Now: t0, Tries: 4}, client.Alert},
		{"network retries used up alerts", client.Config{}, net, client.State{Now: t0, Tries: 4}, client.Alert},
		{"custom retries", client.Config{On: client.Policies{Network: client.Policy{Retries: 1}}}, net, client.State{Now: t0, Tries: 2}, client.Alert},
		{"negative retries: none", client.Config{On: client.Policies{Malfunction: client.Policy{Retries: -1}}}, mal, client.State{Now: t0}, client.Alert},
		{"not replayable maintenance skips", client.Config{}, retryAfter(classify.Maintenance, time.Second), client.State{Now: t0, NoReplay: true}, client.Skip},
		{"not replayable malfunction alerts", client.Config{}, mal, client.State{Now: t0, NoReplay: true}, client.Alert},
		{"polling ends at max wait", client.Config{}, maint, client.State{Now: t0, Waited: 5 * time.Minute}, client.Skip},
		{"polling stops before the deadline", client.Config{}, maint, client.State{Now: t0, Deadline: t0.Add(500 * time.Millisecond)}, client.Skip},
		{"negative max wait never waits", client.Config{MaxWait: -1}, retryAfter(classify.Maintenance, 0), client.State{Now: t0}, client.Skip},
		// A wait is never shorter than the floor: with less than the floor
		// left, a server wait of 0 (Retry-After 0, or a date in the past)
		// gives Otherwise, not a shorter wait, nor "wait 0s".
		{"retry-after 0 with max wait spent skips", client.Config{MaxWait: 30 * time.Second}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Waited: 30 * time.Second}, client.Skip},
		{"retry-after 0 past max wait skips", client.Config{MaxWait: 30 * time.Second}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Waited: 31 * time.Second}, client.Skip},
		{"retry-after 0 with less than the floor left skips", client.Config{MaxWait: 30 * time.Second}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Waited: 29500 * time.Millisecond}, client.Skip},
		{"throttled retry-after 0 with max wait spent skips", client.Config{MaxWait: 30 * time.Second}, classify.Verdict{Class: classify.Throttled, Status: 429, HasRetryAfter: true}, client.State{Now: t0, Waited: 30 * time.Second}, client.Skip},
		{"throttled retry-after 0 with less than the floor left skips", client.Config{MaxWait: 30 * time.Second}, classify.Verdict{Class: classify.Throttled, Status: 429, HasRetryAfter: true}, client.State{Now: t0, Waited: 29999 * time.Millisecond}, client.Skip},
		{"until in the past with max wait spent skips", client.Config{}, classify.Verdict{Class: classify.Maintenance, Until: t0.Add(-time.Hour)}, client.State{Now: t0, Waited: 5 * time.Minute}, client.Skip},
		{"retry-after 0 with less than the floor to the deadline skips", client.Config{}, retryAfter(classify.Maintenance, 0), client.State{Now: t0, Deadline: t0.Add(500 * time.Millisecond)}, client.Skip},
		{"malfunction retry-after 0 with less than the floor left alerts", client.Config{MaxWait: 10 * time.Second}, retryAfter(classify.Malfunction, 0), client.State{Now: t0, Waited: 9500 * time.Millisecond}, client.Alert},
		{"a max wait below the floor never waits", client.Config{MaxWait: 500 * time.Millisecond}, retryAfter(classify.Maintenance, 0), client.State{Now: t0}, client.Skip},
		{"a custom floor past what is left skips", client.Config{Schedule: client.Schedule{Floor: 5 * time.Second}}, retryAfter(classify.Maintenance, 2*time.Second), client.State{Now: t0, Waited: 5*time.Minute - 3*time.Second}, client.Skip},
		{"polling with less than the floor left skips", client.Config{}, maint, client.State{Now: t0, Waited: 5*time.Minute - 500*time.Millisecond, Interval: 30 * time.Second}, client.Skip},
		{"backoff with less than the floor left alerts", client.Config{}, mal, client.State{Now: t0, Waited: 5*time.Minute - time.Nanosecond}, client.Alert},
		{"polling below a custom floor skips", client.Config{Schedule: client.Schedule{Floor: 10 * time.Second}}, maint, client.State{Now: t0, Waited: 5*time.Minute - 9*time.Second}, client.Skip},
		{"policy skip", client.Config{On: client.Policies{Maintenance: client.Policy{Action: client.Skip}}}, retryAfter(classify.Maintenance, time.Second), client.State{Now: t0}, client.Skip},
		{"policy alert on client error", client.Config{On: client.Policies{ClientError: client.Policy{Action: client.Alert}}}, classify.Verdict{Class: classify.ClientError}, client.State{}, client.Alert},
		{"otherwise alert", client.Config{On: client.Policies{Maintenance: client.Policy{Otherwise: client.Alert}}}, retryAfter(classify.Maintenance, time.Hour), client.State{Now: t0}, client.Alert},
		{"otherwise proceed", client.Config{On: client.Policies{Malfunction: client.Policy{Otherwise: client.Proceed}}}, mal, client.State{Now: t0, Tries: 9}, client.Proceed},
		{"otherwise wait is the default", client.Config{On: client.Policies{Throttled: client.Policy{Otherwise: client.Wait}}}, retryAfter(classify.Throttled, time.Hour), client.State{Now: t0}, client.Skip},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			d := tt.cfg.Decide(tt.v, tt.s)
			assert.Equal(t, tt.want, d.Action, d.Reason)
			assert.Zero(t, d.Delay)
			if tt.want != client.Proceed || tt.s.Tries > 0 {
				assert.NotEmpty(t, d.Reason)
			}
		})
	}
}

// TestDecideJitter: jitter comes after the server's time, never before it,
// and never carries the wait past MaxWait; when the server's time fits but
// its jitter would not, the jitter is clipped, not the server's time.
func TestDecideJitter(t *testing.T) {
	tests := []struct {
		name     string
		cfg      client.Config
		server   time.Duration
		waited   time.Duration
		min, max time.Duration
	}{
		{"ten percent", client.Config{}, 10 * time.Second, 0, 10 * time.Second, 11 * time.Second},
		{"capped by jitter max", client.Config{}, 4 * time.Minute, 0, 4 * time.Minute, 4*time.Minute + 10*time.Second},
		{"clipped at max wait", client.Config{MaxWait: 3100 * time.Millisecond}, 3 * time.Second, 0, 3 * time.Second, 3100 * time.Millisecond},
		{"exactly max wait: no jitter", client.Config{MaxWait: 3 * time.Second}, 3 * time.Second, 0, 3 * time.Second, 3 * time.Second},
		{"clipped by what was waited", client.Config{}, 2 * time.Minute, 3 * time.Minute, 2 * time.Minute, 2 * time.Minute},
		{"custom fraction", client.Config{Jitter: client.Jitter{Fraction: 1, Max: time.Hour}}, 10 * time.Second, 0, 10 * time.Second, 20 * time.Second},
		{"disabled", client.Config{Jitter: client.Jitter{Fraction: -1}}, 10 * time.Second, 0, 10 * time.Second, 10 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []float64{0, 0.01, 0.5, 0.99, 0.999999} {
				d := tt.cfg.Decide(retryAfter(classify.Maintenance, tt.server), client.State{Now: t0, Waited: tt.waited, Rand: r})
				require.Equal(t, client.Wait, d.Action, d.Reason)
				assert.GreaterOrEqual(t, d.Delay, tt.min, "rand %v", r)
				assert.LessOrEqual(t, d.Delay, tt.max, "rand %v", r)
				mw := tt.cfg.MaxWait
				if mw == 0 {
					mw = client.DefaultMaxWait
				}
				assert.LessOrEqual(t, tt.waited+d.Delay, mw)
			}
		})
	}
	// The jitter is spread: the top draw adds nearly the whole span.
	d := client.Config{}.Decide(retryAfter(classify.Maintenance, 10*time.Second), client.State{Now: t0, Rand: 0.99})
	assert.Equal(t, 10*time.Second+990*time.Millisecond, d.Delay)
}

func TestActionText(t *testing.T) {
	for _, a := range []client.Action{client.Proceed, client.Wait, client.Skip, client.Alert, 0} {
		b, err := a.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, a.String(), string(b))
		var back client.Action
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, a, back)
	}
	_, err := client.Action(9).MarshalText()
	assert.Error(t, err)
	assert.Equal(t, "Action(9)", client.Action(9).String())
	var a client.Action
	assert.ErrorContains(t, a.UnmarshalText([]byte("later")), "downfor: unknown action")
	a2, err := client.ParseAction("")
	require.NoError(t, err)
	assert.Zero(t, a2)

	js, err := json.Marshal(client.Decision{Action: client.Wait, Delay: time.Second, Poll: true})
	require.NoError(t, err)
	assert.JSONEq(t, `{"action":"wait","delay":1000000000,"poll":true}`, string(js))
	assert.Equal(t, "wait 1s", client.Decision{Action: client.Wait, Delay: time.Second}.String())
	assert.Equal(t, "skip: too long", client.Decision{Action: client.Skip, Reason: "too long"}.String())
}

func TestDecideReasonSaturated(t *testing.T) {
	d := client.Config{}.Decide(retryAfter(classify.Maintenance, classify.MaxRetryAfter), client.State{Now: t0})
	assert.Equal(t, "the server asks to wait forever, past the maximum wait (5m0s left)", d.Reason)
}

// TestDecideWaitLoopBounded: whatever timing the verdict carries, a caller
// that adds each decided delay to State.Waited (as the client does) never
// waits less than the floor at a time, nor more than MaxWait (or the time
// to the deadline) in all; so a wait-loop makes at most MaxWait/Floor waits,
// which is 1 + MaxWait/Floor requests.
func TestDecideWaitLoopBounded(t *testing.T) {
	many := client.Policy{Retries: 1 << 20}
	configs := []struct {
		name     string
		cfg      client.Config
		deadline time.Duration // from the first attempt; zero for none
	}{
		{"defaults", client.Config{}, 0},
		{"max wait 30s", client.Config{MaxWait: 30 * time.Second}, 0},
		{"max wait not a multiple of the floor", client.Config{MaxWait: 10500 * time.Millisecond}, 0},
		{"max wait below the floor", client.Config{MaxWait: 999 * time.Millisecond}, 0},
		{"custom floor", client.Config{MaxWait: time.Minute, Schedule: client.Schedule{Floor: 7 * time.Second}}, 0},
		{"floor above the ceiling", client.Config{MaxWait: time.Minute, Schedule: client.Schedule{Floor: 3 * time.Second, Ceiling: time.Second}}, 0},
		{"retries without end", client.Config{MaxWait: 30 * time.Second, On: client.Policies{Malfunction: many, Network: many}}, 0},
		{"wide jitter", client.Config{MaxWait: 30 * time.Second, Jitter: client.Jitter{Fraction: 1, Max: time.Hour}}, 0},
		{"deadline before max wait", client.Config{}, 10 * time.Second},
		{"deadline not a multiple of the floor", client.Config{}, 4500 * time.Millisecond},
	}
	verdicts := []struct {
		name string
		v    func(now time.Time) classify.Verdict
	}{
		{"maintenance retry-after 0", func(time.Time) classify.Verdict { return retryAfter(classify.Maintenance, 0) }},
		{"throttled retry-after 0", func(time.Time) classify.Verdict {
			return classify.Verdict{Class: classify.Throttled, Status: 429, HasRetryAfter: true}
		}},
		{"malfunction retry-after 0", func(time.Time) classify.Verdict { return retryAfter(classify.Malfunction, 0) }},
		{"retry-after below the floor", func(time.Time) classify.Verdict { return retryAfter(classify.Maintenance, 300*time.Millisecond) }},
		{"until in the past", func(now time.Time) classify.Verdict {
			return classify.Verdict{Class: classify.Maintenance, Until: now.Add(-time.Hour)}
		}},
		{"maintenance without timing", func(time.Time) classify.Verdict { return classify.Verdict{Class: classify.Maintenance, Status: 503} }},
		{"malfunction without timing", func(time.Time) classify.Verdict { return classify.Verdict{Class: classify.Malfunction, Status: 500} }},
		{"network", func(time.Time) classify.Verdict { return classify.Verdict{Class: classify.Network} }},
	}
	for _, c := range configs {
		floor := c.cfg.Schedule.Floor
		if floor <= 0 {
			floor = client.DefaultFloor
		}
		budget := c.cfg.MaxWait
		if budget == 0 {
			budget = client.DefaultMaxWait
		}
		if c.deadline > 0 {
			budget = min(budget, c.deadline)
		}
		for _, vv := range verdicts {
			t.Run(c.name+"/"+vv.name, func(t *testing.T) {
				for _, backoff := range []time.Duration{0, time.Nanosecond, time.Hour} {
					for _, r := range []float64{0, 0.5, 0.999999} {
						var waited time.Duration
						waits := 0
						for tries := 1; ; tries++ {
							now := t0.Add(waited)
							s := client.State{Now: now, Tries: tries, Waited: waited, Interval: backoff, Rand: r}
							if c.deadline > 0 {
								s.Deadline = t0.Add(c.deadline)
							}
							d := c.cfg.Decide(vv.v(now), s)
							if d.Action != client.Wait {
								assert.NotEmpty(t, d.Reason)
								break
							}
							require.GreaterOrEqual(t, d.Delay, floor, "wait %d (backoff %s, rand %v): %v", waits+1, backoff, r, d)
							waited += d.Delay
							waits++
							require.LessOrEqual(t, waits, int(budget/floor), "backoff %s, rand %v", backoff, r)
						}
						assert.LessOrEqual(t, waited, budget, "backoff %s, rand %v", backoff, r)
					}
				}
			})
		}
	}
}

// TestDecideServerZeroWaitVirtualTime drives the client, in virtual time,
// against servers that ask for no wait at all (the mock's retry-after-past
// mode; a 429 with Retry-After: 0): it waits at least the floor between
// attempts, stops with a skip once MaxWait is spent, and so sends at most
// 1 + MaxWait/Floor requests. (A 503 with a date in the past is a
// malfunction with a retry hint, not a window: the policy here retries it
// until MaxWait, then skips, so that the loop is the one under test.)
func TestDecideServerZeroWaitVirtualTime(t *testing.T) {
	noJitter := client.Jitter{Fraction: -1}
	tests := []struct {
		name  string
		mode  string // a testserver mode; empty for a 429 with Retry-After: 0
		cfg   client.Config
		exact bool // without jitter: exactly 1 + MaxWait/Floor requests
	}{
		{"retry-after-past", "retry-after-past", client.Config{MaxWait: 30 * time.Second}, false},
		{"retry-after-past, no jitter", "retry-after-past", client.Config{MaxWait: 30 * time.Second, Jitter: noJitter}, true},
		{"retry-after-past, max wait not a multiple of the floor", "retry-after-past", client.Config{MaxWait: 10500 * time.Millisecond}, false},
		{"retry-after-past, custom floor", "retry-after-past", client.Config{MaxWait: 20 * time.Second, Schedule: client.Schedule{Floor: 3 * time.Second}, Jitter: noJitter}, true},
		{"429 retry-after 0", "", client.Config{MaxWait: 30 * time.Second}, false},
		{"429 retry-after 0, no jitter", "", client.Config{MaxWait: 30 * time.Second, Jitter: noJitter}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(t.Context(), 10*tt.cfg.MaxWait)
				defer cancel()
				var (
					base  http.RoundTripper
					times func() []time.Time // when each page request arrived
				)
				if tt.mode != "" {
					srv, err := testserver.StartInMemory(testserver.Config{Mode: tt.mode})
					require.NoError(t, err)
					t.Cleanup(srv.Close)
					base = srv.InMemoryTransport()
					times = func() (out []time.Time) {
						for _, r := range srv.Requests() {
							if r.Path == "/api/things" {
								out = append(out, r.Time)
							}
						}
						return out
					}
				} else {
					rec := &recorder{steps: []http.HandlerFunc{respond(http.StatusTooManyRequests, "", "Retry-After", "0")}}
					base = handlerTransport{rec}
					times = func() (out []time.Time) {
						for _, r := range rec.all() {
							if r.Path == "/api/things" {
								out = append(out, r.Time)
							}
						}
						return out
					}
				}
				// A client that loops without waiting lets no virtual time
				// pass: end it after many requests, failing the test rather
				// than hanging it.
				var sent atomic.Int64
				cfg := tt.cfg
				cfg.On.Malfunction = client.Policy{Retries: 1 << 20, Otherwise: client.Skip}
				cfg.Transport = rtFunc(func(r *http.Request) (*http.Response, error) {
					if sent.Add(1) > 1000 {
						cancel()
						return nil, errors.New("too many requests")
					}
					return base.RoundTrip(r)
				})
				floor := cfg.Schedule.Floor
				if floor <= 0 {
					floor = client.DefaultFloor
				}
				bound := 1 + int(cfg.MaxWait/floor)

				req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://svc.test/api/things", nil)
				require.NoError(t, err)
				start := time.Now()
				_, err = client.New(cfg).StandardClient().Do(req)
				elapsed := time.Since(start)

				require.ErrorIs(t, err, client.ErrSkip)
				de := asError(t, err)
				got := times()
				assert.Greater(t, len(got), 1, "a server wait of 0 means retry, not give up")
				assert.LessOrEqual(t, len(got), bound, "requests")
				if tt.exact {
					assert.Len(t, got, bound, "requests")
				}
				assert.Equal(t, len(got), de.Attempts)
				for i := 1; i < len(got); i++ {
					assert.GreaterOrEqual(t, got[i].Sub(got[i-1]), floor, "gap before request %d", i+1)
				}
				assert.LessOrEqual(t, de.Waited, cfg.MaxWait)
				assert.LessOrEqual(t, elapsed, cfg.MaxWait)
			})
		})
	}
}
