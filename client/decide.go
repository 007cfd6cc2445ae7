package client

import (
	"fmt"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/waitfmt"
)

// State is what [Config.Decide] needs to know about a request besides the
// verdict: how far it has gone, and the random draws it should use. It is
// plain data so that deciding stays a pure function.
type State struct {
	// Now is when the verdict was observed. It must be set when the verdict
	// has an Until, or when Deadline is set.
	Now time.Time
	// Tries is how many attempts in a row, this one included, got the
	// verdict's class; it is compared with [Policy.Retries] and picks the
	// interval of the backoff schedule. If zero, 1.
	Tries int
	// Waited is how long the request has already waited between attempts;
	// it counts against [Config.MaxWait].
	Waited time.Duration
	// Deadline is the request context's deadline; zero when there is none.
	// A wait that would end after it is refused like one past MaxWait.
	Deadline time.Time
	// NoReplay reports that the request cannot be sent again (a POST
	// without opt-in, a body without GetBody): any wait becomes the
	// policy's Otherwise action.
	NoReplay bool
	// Since is when the verdict's class was first seen in a row: the start
	// of the window, as far as the caller knows. A maintenance without
	// timing is polled at a tenth of Now − Since (see [Schedule]). If zero,
	// it is polled on the exponential schedule, as the other classes are
	// retried.
	Since time.Time
	// Interval is the next interval of the caller's own randomized
	// schedule (such as a cenkalti/backoff ExponentialBackOff configured
	// from [Config.Schedule]), used when the server gave no timing (but
	// for a maintenance with Since set). If zero,
	// Decide uses the schedule's un-randomized interval for Tries.
	Interval time.Duration
	// Rand is a uniform random draw in [0, 1) that places the jitter added
	// after a server-requested wait within its range. Zero adds no jitter,
	// which keeps Decide deterministic in tests.
	Rand float64
}

// Decision is what to do with one verdict.
type Decision struct {
	// Action is Proceed, Wait, Skip or Alert; never the zero value.
	Action Action `json:"action"`
	// Delay is, for Wait, how long to wait from State.Now before the next
	// attempt, jitter included. It is zero for the other actions.
	Delay time.Duration `json:"delay,omitempty"`
	// Poll reports, for Wait, that the server gave no timing: Delay is an
	// interval of the backoff schedule, and the caller should look again
	// (at the probe, when it is the probe that announced the maintenance).
	Poll bool `json:"poll,omitempty"`
	// Reason explains a decision other than the policy's first choice, such
	// as "the server asks to wait 2h0m0s, past the maximum wait (5m0s
	// left)". Empty for a plain Proceed.
	Reason string `json:"reason,omitempty"`
}

// String describes the decision, such as "wait 3s" or
// "skip: 4 attempts in a row got malfunction". The delay is rounded as
// people read it: to the second from half a second on.
func (d Decision) String() string {
	s := d.Action.String()
	if d.Action == Wait {
		s += " " + formatWait(d.Delay)
	}
	if d.Reason != "" {
		s += ": " + d.Reason
	}
	return s
}

// Decide returns what to do with verdict v given the request's state s.
// It is pure: it reads only its arguments and does no I/O, so the client,
// the CLI and tests share it. The rules:
//
//   - The class's [Policy] gives the first choice. Proceed, Skip and Alert
//     are returned as they are.
//   - Wait is refused (giving the policy's Otherwise action) when the
//     request cannot be replayed, when the class has been retried
//     [Policy.Retries] times in a row, or when the wait would end past
//     [Config.MaxWait] (less what was already waited) or s.Deadline.
//   - No wait is ever shorter than the schedule's floor ([Schedule.Floor]):
//     when less than the floor is left, the answer is Otherwise. So a
//     caller that adds each Delay to s.Waited makes at most
//     MaxWait/Floor waits in a row, whatever the server says.
//   - When the server gave timing ([classify.Verdict.Wait]), the delay is
//     that time, raised to the floor if shorter (a Retry-After of 0 or a
//     date in the past), plus jitter drawn with s.Rand and clipped so the
//     whole wait stays within the limit. That delay itself is never
//     shortened: if it does not fit, the answer is Otherwise, not a
//     shorter wait.
//   - Without timing, a maintenance whose start is known (s.Since) is
//     polled at a tenth of how long it has lasted so far (s.Now −
//     s.Since), kept between the floor and the ceiling, and spread at
//     random (s.Rand) over [1 − Randomization/2, 1] times that, never
//     below the floor: so the client resumes at most a tenth of the
//     window's length after its end (at least the floor, at most the
//     ceiling), however long it lasted. Anything else waits s.Interval (or
//     the schedule's interval for s.Tries), kept between the floor and the
//     ceiling. The last poll may be shortened to end exactly at MaxWait,
//     but never below the floor.
func (c Config) Decide(v classify.Verdict, s State) Decision {
	p := c.policy(v.Class)
	switch p.Action {
	case Proceed:
		return Decision{Action: Proceed}
	case Skip, Alert:
		return Decision{Action: p.Action, Reason: "the policy for " + v.Class.String() + " is " + p.Action.String()}
	}
	otherwise := func(reason string) Decision {
		return Decision{Action: p.Otherwise, Reason: reason}
	}
	if s.NoReplay {
		return otherwise("the request cannot be replayed")
	}
	tries := max(s.Tries, 1)
	if tries > p.Retries {
		if p.Retries == 0 {
			return otherwise("no retries allowed for " + v.Class.String())
		}
		return otherwise(fmt.Sprintf("%d attempts in a row got %s", tries, v.Class))
	}

	// limit is how much longer the request may wait.
	limit := c.maxWait() - s.Waited
	byDeadline := false
	if !s.Deadline.IsZero() {
		if left := s.Deadline.Sub(s.Now); left <= limit {
			limit, byDeadline = left, true
		}
	}
	floor := c.Schedule.floor()

	if server, ok := v.Wait(s.Now); ok {
		// The floor holds for the server's time too: a Retry-After of 0
		// (or a date in the past) must not let attempts come faster than
		// the floor, nor a shrinking budget shorten the wait below it.
		d := max(server, floor)
		switch {
		case server > limit:
			return otherwise(fmt.Sprintf("the server asks to wait %s, past %s", formatWait(server), limitText(limit, byDeadline)))
		case d > limit:
			return otherwise(fmt.Sprintf("the server asks to wait %s, and the shortest wait (%s) is past %s", formatWait(server), formatWait(floor), limitText(limit, byDeadline)))
		}
		if f := c.Jitter.fraction(); f > 0 && s.Rand > 0 {
			// In floats: a huge Fraction must not overflow the Duration.
			span := min(f*float64(d), float64(c.Jitter.max()))
			if j := min(time.Duration(s.Rand*span), limit-d); j > 0 {
				d += j
			}
		}
		return Decision{Action: Wait, Delay: d}
	}

	d := s.Interval
	switch {
	case v.Class == classify.Maintenance && !s.Since.IsZero():
		d = c.Schedule.pollInterval(s)
	case d <= 0:
		d = c.Schedule.interval(tries)
	}
	d = min(max(d, floor), c.Schedule.ceiling())
	switch {
	case limit <= 0:
		return otherwise(fmt.Sprintf("no timing given, and %s", limitText(limit, byDeadline)))
	case limit < floor:
		// A last poll shorter than the floor would let attempts come
		// faster than it.
		return otherwise(fmt.Sprintf("no timing given, and the shortest wait (%s) is past %s", formatWait(floor), limitText(limit, byDeadline)))
	case d >= limit && byDeadline:
		// An attempt at the deadline cannot complete: stop now.
		return otherwise(fmt.Sprintf("no timing given, and the next try in %s is past the context deadline (%s left)", formatWait(d), formatWait(limit)))
	}
	return Decision{Action: Wait, Delay: min(d, limit), Poll: true}
}

func limitText(limit time.Duration, byDeadline bool) string {
	limit = max(limit, 0)
	if byDeadline {
		return fmt.Sprintf("the context deadline (%s left)", formatWait(limit))
	}
	return fmt.Sprintf("the maximum wait (%s left)", formatWait(limit))
}

// formatWait writes a wait as people read it: rounded to the second from
// half a second on ("1s", not "997ms"; "4m59s", not "4m59.003s"), to the
// millisecond below it; in days from two days on, and "forever" for a
// saturated Retry-After (see [waitfmt.Format]).
func formatWait(d time.Duration) string {
	if d >= time.Second/2 {
		d = d.Round(time.Second)
	} else {
		d = d.Round(time.Millisecond)
	}
	return waitfmt.Format(d)
}
