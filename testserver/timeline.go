package testserver

import (
	"fmt"
	"strings"
	"time"
)

// Step is one step of a scripted timeline: Mode for the duration For. A
// zero For is allowed only on the last step and means "forever"; the last
// step's mode also stays after its For, if any, has passed.
type Step struct {
	Mode string        `json:"mode"`
	For  time.Duration `json:"for"`
}

// String returns "MODE:DURATION", or "MODE" when For is zero.
func (st Step) String() string {
	if st.For == 0 {
		return st.Mode
	}
	return st.Mode + ":" + st.For.String()
}

// Timeline is a scripted sequence of modes, played from when it is set
// (see [Server.SetTimeline], [Config.Timeline]); [Server.SetMode] replaces
// it with one mode. Every step but the last needs a positive For; the last
// step's mode stays. Time is read with time.Now, so inside a
// testing/synctest bubble the fake clock drives it. An announced
// maintenance (the probe's "until", the status page's "scheduled_until")
// ends when its step ends, or [Config.RetryAfter] (else ten minutes) after
// the step began when the step has no end.
type Timeline []Step

// String returns the timeline as [ParseTimeline] reads it:
// "ok:2s,django:5s,ok".
func (tl Timeline) String() string {
	parts := make([]string, len(tl))
	for i, st := range tl {
		parts[i] = st.String()
	}
	return strings.Join(parts, ",")
}

// ParseTimeline parses a timeline such as "ok:2s,django:5s,ok" or
// "ok 2s, retry-after-seconds 5s, ok": comma-separated steps, each a mode
// name and a Go duration (time.ParseDuration) separated by a colon or by
// spaces. Every step but the last needs a positive duration. An error is
// a [*TimelineError]; an unknown mode's lists the valid names.
func ParseTimeline(s string) (Timeline, error) {
	if strings.TrimSpace(s) == "" {
		return nil, timelineError(nil, "empty timeline; want steps like \"ok:2s,django:5s,ok\"")
	}
	parts := strings.Split(s, ",")
	steps := make(Timeline, 0, len(parts))
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" {
			return nil, timelineError(nil, "timeline step %d is empty; want MODE:DURATION or MODE DURATION", i+1)
		}
		var name, dur string
		if n, d, ok := strings.Cut(part, ":"); ok {
			name, dur = strings.TrimSpace(n), strings.TrimSpace(d)
			if dur == "" {
				return nil, timelineError(nil, "timeline step %d (%q) has an empty duration", i+1, part)
			}
		} else {
			f := strings.Fields(part)
			if len(f) > 2 {
				return nil, timelineError(nil, "timeline step %d (%q): want MODE:DURATION or MODE DURATION", i+1, part)
			}
			name = f[0]
			if len(f) == 2 {
				dur = f[1]
			}
		}
		st := Step{Mode: name}
		if dur != "" {
			d, err := time.ParseDuration(dur)
			if err != nil {
				return nil, timelineError(nil, "timeline step %d (%q): bad duration %q; want a Go duration such as 5s or 1m30s", i+1, part, dur)
			}
			if d <= 0 {
				return nil, timelineError(nil, "timeline step %d (%q): duration must be positive", i+1, part)
			}
			st.For = d
		}
		steps = append(steps, st)
	}
	if err := validateTimeline(steps); err != nil {
		return nil, err
	}
	return steps, nil
}

// validateTimeline checks what ParseTimeline, SetTimeline and Start need.
func validateTimeline(steps []Step) error {
	if len(steps) == 0 {
		return timelineError(nil, "empty timeline")
	}
	for i, st := range steps {
		if _, err := lookupMode(st.Mode); err != nil {
			if len(steps) == 1 {
				return timelineError(err, "%v", err)
			}
			return timelineError(err, "timeline step %d: %v", i+1, err)
		}
		if st.For < 0 {
			return timelineError(nil, "timeline step %d (%s): negative duration", i+1, st.Mode)
		}
		if st.For == 0 && i < len(steps)-1 {
			return timelineError(nil, "timeline step %d (%s) needs a duration; only the last step may last forever", i+1, st.Mode)
		}
	}
	return nil
}

// TimelineError reports a timeline that [ParseTimeline], [Start] or
// [Server.SetTimeline] refuses, or a mode that [Server.SetMode] does: its
// Error is "testserver: " and the Reason. An unknown mode is also an
// [*UnknownModeError]; find either with errors.As.
type TimelineError struct {
	// Reason says what is wrong, such as `timeline step 2 ("ok:x"): bad
	// duration "x"; want a Go duration such as 5s or 1m30s`.
	Reason string
	err    error
}

func timelineError(err error, format string, args ...any) error {
	return &TimelineError{Reason: fmt.Sprintf(format, args...), err: err}
}

// Error returns "testserver: " and the Reason.
func (e *TimelineError) Error() string { return "testserver: " + e.Reason }

// Unwrap returns the [*UnknownModeError] behind e, if any.
func (e *TimelineError) Unwrap() error { return e.err }
