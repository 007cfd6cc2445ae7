package client_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
)

// TestRedirectLoop: the caller's client follows redirects; after
// MaxRedirects in a row the client calls it a malfunction.
func TestRedirectLoop(t *testing.T) {
	loop := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	tests := []struct {
		name     string
		max      int
		wantErr  error
		wantSent int
	}{
		{"default: 10 hops", 0, client.ErrMalfunction, 10},
		{"custom: 3 hops", 3, client.ErrMalfunction, 3},
		{"disabled: net/http's own limit", -1, nil, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				rec := &recorder{steps: []http.HandlerFunc{loop}}
				c := client.New(client.Config{Transport: handlerTransport{rec}, InBandOnly: true, MaxRedirects: tt.max,
					On: client.Policies{Malfunction: client.Policy{Retries: -1}}})
				_, err := c.StandardClient().Get("http://svc.test/a")
				require.Error(t, err)
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
					de := asError(t, err)
					assert.Contains(t, de.Verdict.String(), "redirect-loop")
				} else {
					var de *client.Error
					assert.False(t, errors.As(err, &de))
					assert.Contains(t, err.Error(), "stopped after 10 redirects")
				}
				assert.Equal(t, tt.wantSent, rec.count("/a"))
			})
		})
	}
}

func TestRequestWithoutURL(t *testing.T) {
	c := client.New(client.Config{})
	body := &closeTracker{Reader: strings.NewReader("x")}
	_, err := c.RoundTrip(&http.Request{Method: http.MethodPost, Body: body})
	assert.ErrorContains(t, err, "downfor: request without URL")
	assert.True(t, body.closed)
}

type closeTracker struct {
	io.Reader
	closed bool
}

func (c *closeTracker) Close() error { c.closed = true; return nil }

// TestErrorText: messages say what happened, prefixed "downfor: ".
func TestErrorText(t *testing.T) {
	v := classify.Verdict{Class: classify.Maintenance, Confidence: classify.Implied, Status: 503, RetryAfter: time.Hour, HasRetryAfter: true}
	tests := []struct {
		e    *client.Error
		want string
	}{
		{&client.Error{Verdict: v, Action: client.Skip, Attempts: 1, Reason: "too long"},
			"downfor: skip after 1 attempt: maintenance (implied), retry after 1h0m0s: too long"},
		{&client.Error{Verdict: classify.Verdict{Class: classify.Malfunction}, Action: client.Alert, Attempts: 4, Waited: 7 * time.Second},
			"downfor: alert after 4 attempts (waited 7s): malfunction"},
		{&client.Error{Verdict: v, Action: client.Wait, Attempts: 1, Err: errors.New("stop")},
			"downfor: wait interrupted after 1 attempt: maintenance (implied), retry after 1h0m0s: stop"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.e.Error())
	}
	e := &client.Error{Verdict: classify.Verdict{Class: classify.ClientError}, Action: client.Alert}
	assert.ErrorIs(t, e, client.ErrClientError)
	assert.NotErrorIs(t, e, client.ErrNetwork)
	assert.False(t, errors.Is(e, io.EOF))
}

// TestScheduleSettings: the schedule's knobs and their zero values.
func TestScheduleSettings(t *testing.T) {
	mal := classify.Verdict{Class: classify.Malfunction}
	tests := []struct {
		name string
		s    client.Schedule
		n    int
		want time.Duration
	}{
		{"defaults, third", client.Schedule{}, 3, 4 * time.Second},
		{"multiplier 3", client.Schedule{Multiplier: 3}, 3, 9 * time.Second},
		{"multiplier below 1 is the default", client.Schedule{Multiplier: 0.5}, 2, 2 * time.Second},
		{"floor above ceiling", client.Schedule{Floor: time.Minute, Ceiling: time.Second}, 3, time.Minute},
		{"custom floor", client.Schedule{Floor: 100 * time.Millisecond}, 1, 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := client.Config{Schedule: tt.s, On: client.Policies{Malfunction: client.Policy{Retries: 100}}}
			d := cfg.Decide(mal, client.State{Now: t0, Tries: tt.n})
			assert.Equal(t, tt.want, d.Delay)
		})
	}
	// Randomization: none when negative, through the retryablehttp hook.
	c := client.New(client.Config{InBandOnly: true, Schedule: client.Schedule{Randomization: -1}})
	assert.Equal(t, 4*time.Second, c.Backoff()(0, 0, 2, nil))
	c = client.New(client.Config{InBandOnly: true, Schedule: client.Schedule{Randomization: 2}})
	for range 20 {
		d := c.Backoff()(0, 0, 2, nil)
		assert.GreaterOrEqual(t, d, time.Second)
		assert.LessOrEqual(t, d, 8*time.Second)
	}
}

// TestProceedPolicyThroughHooks: a network error that the policy proceeds
// with passes through retryablehttp unchanged.
func TestProceedPolicyThroughHooks(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		boom := errors.New("boom")
		rt := rtFunc(func(*http.Request) (*http.Response, error) { return nil, boom })
		dc := client.New(client.Config{Transport: rt, InBandOnly: true, On: client.Policies{Network: client.Policy{Action: client.Proceed}}})
		rc := userRetryable(dc, rt, 3)
		_, err := rc.Get("http://svc.test/")
		assert.ErrorIs(t, err, boom)
		var de *client.Error
		assert.False(t, errors.As(err, &de))
	})
}
