package client_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
)

var t0 = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)

func retryAfter(class classify.Class, d time.Duration) classify.Verdict {
	return classify.Verdict{Class: class, Status: 503, RetryAfter: d, HasRetryAfter: true}
}

func TestDecide(t *testing.T) {
	maint := classify.Verdict{Class: classify.Maintenance, Status: 503}
	mal := classify.Verdict{Class: classify.Malfunction, Status: 500}
	net := classify.Verdict{Class: classify.Network}
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
		{"no timing uses the caller's backoff", client.Config{}, maint, client.State{Now: t0, Backoff: 7 * time.Second},
			client.Decision{Action: client.Wait, Delay: 7 * time.Second, Poll: true}},
		{"backoff is kept under the ceiling", client.Config{}, maint, client.State{Now: t0, Backoff: time.Hour},
			client.Decision{Action: client.Wait, Delay: 30 * time.Second, Poll: true}},
		{"backoff is kept over the floor", client.Config{}, mal, client.State{Now: t0, Backoff: time.Millisecond},
			client.Decision{Action: client.Wait, Delay: time.Second, Poll: true}},
		{"un-randomized schedule grows", client.Config{}, mal, client.State{Now: t0, Tries: 3},
			client.Decision{Action: client.Wait, Delay: 4 * time.Second, Poll: true}},
		{"schedule saturates at the ceiling", client.Config{}, maint, client.State{Now: t0, Tries: 500},
			client.Decision{Action: client.Wait, Delay: 30 * time.Second, Poll: true}},
		{"the last poll ends at max wait", client.Config{}, maint, client.State{Now: t0, Waited: 5*time.Minute - 2*time.Second, Backoff: 30 * time.Second},
			client.Decision{Action: client.Wait, Delay: 2 * time.Second, Poll: true}},
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
