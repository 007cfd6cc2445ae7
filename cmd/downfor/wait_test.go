package main

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

func TestWaitPolicyNext(t *testing.T) {
	t.Parallel()
	p := waitPolicy{MinInterval: time.Second, MaxInterval: time.Minute}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	ra := func(d time.Duration) classify.Verdict {
		return classify.Verdict{Class: classify.Maintenance, RetryAfter: d, HasRetryAfter: true}
	}
	tests := []struct {
		name  string
		v     classify.Verdict
		tries int
		want  time.Duration
	}{
		{"retry-after", ra(5 * time.Second), 1, 5 * time.Second},
		{"retry-after below the floor", ra(0), 1, time.Second},
		{"retry-after above the ceiling", ra(time.Hour), 1, time.Minute},
		{"until", classify.Verdict{Class: classify.Maintenance, Until: now.Add(30 * time.Second)}, 4, 30 * time.Second},
		{"until passed", classify.Verdict{Class: classify.Maintenance, Until: now.Add(-time.Hour)}, 4, time.Second},
		{"later of retry-after and until", classify.Verdict{Class: classify.Maintenance, RetryAfter: 5 * time.Second, HasRetryAfter: true, Until: now.Add(7 * time.Second)}, 1, 7 * time.Second},
		{"no timing, first", classify.Verdict{Class: classify.Malfunction}, 1, time.Second},
		{"no timing, third", classify.Verdict{Class: classify.Malfunction}, 3, 4 * time.Second},
		{"no timing, capped", classify.Verdict{Class: classify.Network}, 41, time.Minute},
		{"malfunction past the client's retries", classify.Verdict{Class: classify.Malfunction}, 10, time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, p.next(tt.v, now, tt.tries, now))
		})
	}

	// It is the client's own schedule: the same delays as client.Config's
	// Decide with that floor and ceiling.
	cfg := client.Config{Schedule: client.Schedule{Floor: time.Second, Ceiling: time.Minute, Randomization: -1}}
	for _, class := range []classify.Class{classify.Malfunction, classify.Maintenance, classify.Network, classify.Throttled} {
		for tries := 1; tries <= 3; tries++ {
			v := classify.Verdict{Class: class}
			since := now.Add(-time.Duration(tries*tries) * 10 * time.Second)
			d := cfg.Decide(v, client.State{Now: now, Tries: tries, Since: since})
			require.Equal(t, client.Wait, d.Action, "%s, try %d", class, tries)
			assert.Equal(t, d.Delay, p.next(v, now, tries, since), "%s, try %d", class, tries)
		}
	}

	// A maintenance without timing is polled as the client polls it: in
	// proportion to how long it has lasted (a tenth), within the bounds.
	maint := classify.Verdict{Class: classify.Maintenance}
	assert.Equal(t, 10*time.Second, p.next(maint, now, 5, now.Add(-100*time.Second)))
	assert.Equal(t, time.Minute, p.next(maint, now, 5, now.Add(-time.Hour)))

	// Jitter is only ever added after the server's time.
	p.Rand = func() float64 { return 0.99 }
	d := p.next(ra(20*time.Second), now, 1, now)
	assert.Greater(t, d, 20*time.Second)
	assert.LessOrEqual(t, d, 22*time.Second)
}

// script is a poll function that plays verdicts in turn (the last one
// forever) and records when it was called, relative to its start.
type script struct {
	start   time.Time
	verdict []classify.Verdict
	at      []time.Duration
}

func (s *script) poll(ctx context.Context) (classify.Verdict, error) {
	s.at = append(s.at, time.Since(s.start))
	v := s.verdict[min(len(s.at)-1, len(s.verdict)-1)]
	return v, nil
}

type recordProgress struct {
	polls []time.Duration // the pauses announced
	ticks int
}

func (r *recordProgress) polled(now time.Time, v classify.Verdict, next time.Duration) {
	r.polls = append(r.polls, next)
}
func (r *recordProgress) tick(time.Duration) { r.ticks++ }

func TestWaitForFollowsTheServer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{start: time.Now(), verdict: []classify.Verdict{
			{Class: classify.Maintenance, RetryAfter: 120 * time.Second, HasRetryAfter: true},
			{Class: classify.Maintenance, Until: time.Now().Add(150 * time.Second)},
			{Class: classify.Network},
			{Class: classify.Network},
			{Class: classify.ClientError},
		}}
		var progress recordProgress
		p := waitPolicy{Timeout: time.Hour, MinInterval: time.Second, MaxInterval: time.Minute}
		v, timedOut, err := waitFor(t.Context(), p, s.poll, &progress)
		require.NoError(t, err)
		assert.False(t, timedOut)
		assert.Equal(t, classify.ClientError, v.Class)
		// Retry-After 120 s, capped at the 60 s ceiling; an end 90 s after
		// the second poll, capped too; then the backoff: 1 s, 2 s.
		assert.Equal(t, []time.Duration{0, 60 * time.Second, 120 * time.Second, 121 * time.Second, 123 * time.Second}, s.at)
		assert.Equal(t, []time.Duration{60 * time.Second, 60 * time.Second, time.Second, 2 * time.Second, 0}, progress.polls)
		assert.Greater(t, progress.ticks, 100)
	})
}

func TestWaitForTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := &script{start: time.Now(), verdict: []classify.Verdict{{Class: classify.Malfunction}}}
		p := waitPolicy{Timeout: 10 * time.Second, MinInterval: time.Second, MaxInterval: 4 * time.Second}
		v, timedOut, err := waitFor(t.Context(), p, s.poll, &recordProgress{})
		require.NoError(t, err)
		assert.True(t, timedOut)
		assert.Equal(t, classify.Malfunction, v.Class)
		// 1, 2, 4, then the pause is cut to make the last poll at the deadline.
		assert.Equal(t, []time.Duration{0, time.Second, 3 * time.Second, 7 * time.Second, 10 * time.Second}, s.at)
	})
}

func TestWaitForEndsWithContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeoutCause(t.Context(), 5*time.Second, errors.New("stop"))
		defer cancel()
		s := &script{start: time.Now(), verdict: []classify.Verdict{{Class: classify.Maintenance, RetryAfter: time.Hour, HasRetryAfter: true}}}
		_, _, err := waitFor(ctx, waitPolicy{Timeout: time.Hour, MinInterval: time.Second, MaxInterval: time.Hour}, s.poll, &recordProgress{})
		assert.EqualError(t, err, "stop")
		assert.Equal(t, 5*time.Second, time.Since(s.start))
	})
}

func TestWaitPrinter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	v := classify.Verdict{Class: classify.Maintenance, Confidence: classify.Implied, RetryAfter: 2 * time.Second, HasRetryAfter: true,
		Evidence: []classify.Evidence{{Source: "response", Signal: "status", Value: "503", Strength: classify.Implied, Indicates: classify.Maintenance}}}

	var plain bytes.Buffer
	p := &waitPrinter{w: &plain}
	p.polled(now, v, 2*time.Second)
	p.tick(time.Second)
	p.polled(now, classify.Verdict{}, 0)
	assert.Equal(t, "10:00:00  maintenance (implied)  status 503 (implied)  server asks to wait 2s  next check in 2s\n", plain.String())

	var live bytes.Buffer
	p = &waitPrinter{w: &live, live: true, width: 120}
	p.polled(now, v, 2*time.Second)
	p.tick(time.Second)
	p.polled(now, classify.Verdict{}, 0)
	assert.Equal(t, "\r\x1b[Kmaintenance (implied)  status 503 (implied)  server asks to wait 2s  next check in 2s"+
		"\r\x1b[Kmaintenance (implied)  status 503 (implied)  server asks to wait 2s  next check in 1s"+
		"\r\x1b[K", live.String())
}

// TestWaitPrinterFitsTheTerminal: on an 80-column terminal (and narrower)
// every redraw fits on one line, so it is rewritten in place and never
// wraps; the countdown stays visible, rounded to whole seconds; and an
// interruption (done) leaves a clean line.
func TestWaitPrinterFitsTheTerminal(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	v := classify.Verdict{Class: classify.Maintenance, Confidence: classify.Explicit, Until: now.Add(3 * time.Hour),
		Message:  strings.Repeat("Down for scheduled maintenance, ", 5),
		Evidence: []classify.Evidence{{Source: "probe", Signal: "probe", Value: "200 " + strings.Repeat("x", 100), Strength: classify.Explicit, Indicates: classify.Maintenance}}}
	for _, width := range []int{80, 40, 0} {
		var live bytes.Buffer
		p := &waitPrinter{w: &live, live: true, color: true, width: width}
		p.polled(now, v, 997*time.Millisecond)
		p.tick(1500 * time.Millisecond)
		p.done()
		out := live.String()
		require.True(t, strings.HasSuffix(out, "\r\x1b[K"), "ends on a clean line: %q", out)
		cols := width
		if cols == 0 {
			cols = 80
		}
		draws := strings.Split(strings.TrimSuffix(out, "\r\x1b[K"), "\r\x1b[K")[1:]
		require.Len(t, draws, 2)
		for _, d := range draws {
			plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(d, "")
			assert.LessOrEqual(t, utf8.RuneCountInString(plain), cols-1, "width %d: %q", width, plain)
			assert.NotContains(t, plain, "\n")
			assert.Regexp(t, `next check in [12]s$`, plain)
		}
		assert.Contains(t, draws[0], "next check in 1s", "997ms shows as 1s")
	}
}

// TestWaitForHardBound: --timeout bounds the whole wait, a check in flight
// included: against a service that never answers (a poll that blocks
// until its context ends), the wait ends exactly at the deadline, as
// network, and so does one whose checks take longer than the time left.
func TestWaitForHardBound(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		hang := func(ctx context.Context) (classify.Verdict, error) {
			<-ctx.Done()
			return classify.Verdict{}, context.Cause(ctx)
		}
		v, timedOut, err := waitFor(t.Context(), waitPolicy{Timeout: 3 * time.Second, MinInterval: time.Second, MaxInterval: time.Minute}, hang, &recordProgress{})
		require.NoError(t, err)
		assert.True(t, timedOut)
		assert.Equal(t, classify.Network, v.Class)
		assert.Equal(t, 3*time.Second, time.Since(start), "ended at the deadline, not after")
	})
	synctest.Test(t, func(t *testing.T) {
		// Each check takes 2s and says malfunction; the last one is made
		// early enough to end by the deadline, and a check still in
		// flight at the deadline is cut.
		start := time.Now()
		calls := 0
		slow := func(ctx context.Context) (classify.Verdict, error) {
			calls++
			select {
			case <-time.After(2 * time.Second):
				return classify.Verdict{Class: classify.Malfunction}, nil
			case <-ctx.Done():
				return classify.Verdict{}, context.Cause(ctx)
			}
		}
		v, timedOut, err := waitFor(t.Context(), waitPolicy{Timeout: 5 * time.Second, MinInterval: time.Second, MaxInterval: time.Minute}, slow, &recordProgress{})
		require.NoError(t, err)
		assert.True(t, timedOut)
		assert.Equal(t, classify.Malfunction, v.Class, "the last answer, not the cut check")
		assert.LessOrEqual(t, time.Since(start), 5*time.Second)
		assert.Equal(t, 2, calls)
	})
}

// TestWaitTimeline waits through a real maintenance window on the mock
// server: Retry-After: 1 for about a second, then ok.
func TestWaitTimeline(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{
		Timeline:   []testserver.Step{{Mode: "retry-after-seconds", For: 1200 * time.Millisecond}, {Mode: "ok"}},
		RetryAfter: time.Second,
	})
	start := time.Now()
	code, out, errOut := cli(t, "wait", "--timeout", "20s", "--min-interval", "100ms", "--max-interval", "2s", "--json", srv.URL+"/api")
	assert.Equal(t, exitOK, code, errOut)
	assert.GreaterOrEqual(t, time.Since(start), 1200*time.Millisecond)
	assert.Equal(t, "ok", decodeCheck(t, out).Class)
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	require.NotEmpty(t, lines)
	assert.Contains(t, lines[0], "maintenance (implied)")
	// Retry-After: 1, plus at most 10% jitter after it, shown in whole
	// seconds, never shorter than asked.
	assert.Regexp(t, `next check in [12]s$`, lines[0])
	// One request per announced Retry-After (plus probes), not a flood.
	pages := 0
	for _, r := range srv.Requests() {
		if r.Path == "/api" {
			pages++
		}
	}
	assert.LessOrEqual(t, pages, 4)
}

func TestWaitGivesUp(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	// The timeout is a hard bound that also cuts a check in flight, so it
	// must leave a loaded machine (race detector, every core busy) time
	// for the first answer: 300 ms did not, and the cut check read as a
	// network error.
	code, out, errOut := cli(t, "wait", "--timeout", "3s", "--min-interval", "100ms", srv.URL+"/api")
	assert.Equal(t, exitUnavailable, code)
	assert.True(t, strings.HasPrefix(out, "malfunction  "), out)
	assert.Contains(t, errOut, "gave up after 3s: the service is still malfunctioning")
}
