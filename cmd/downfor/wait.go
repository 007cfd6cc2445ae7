package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/downfor/downfor/classify"
)

const waitUsage = `Usage: downfor wait [flags] URL

Block until the service at URL answers (ok or client_error), polling it
with the server's own timing: the Retry-After it sent, the end of the
window announced by the probe or the status page, else an exponential
backoff; never more often than --min-interval and never less often than
--max-interval. Each poll is a "downfor check" (same flags; its per-check
bound is --check-timeout). When --timeout passes, one last check is made
and wait exits like check with that class.

Progress goes to stderr: a live countdown on a terminal, else one line per
poll. The final verdict goes to stdout as check prints it (--json: one
object).

Examples:
  downfor wait --timeout 30m https://api.example.com/ && ./deploy.sh
  downfor wait --max-interval 10s --status-page https://status.example.com https://api.example.com/

Exit codes: 0 once the service answers; else, after --timeout, those of
check for the last class (75 maintenance or throttled, 69 malfunction, 74
network); 64 usage error; 130 interrupted.
`

func waitCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	cmd := newCommand("wait", waitUsage, stdout, stderr)
	var sf serviceFlags
	if err := sf.register(cmd.fs, env, "check-timeout"); err != nil {
		return cmd.fail(err)
	}
	var p waitPolicy
	cmd.fs.DurationVar(&p.Timeout, "timeout", 10*time.Minute, "give up after this long")
	cmd.fs.DurationVar(&p.MinInterval, "min-interval", time.Second, "never poll more often than this")
	cmd.fs.DurationVar(&p.MaxInterval, "max-interval", time.Minute, "never poll less often than this")
	jsonOut := cmd.fs.Bool("json", false, "print the final verdict as one JSON object")
	pos, code, done := cmd.parse(args, true)
	if done {
		return code
	}
	if p.Timeout <= 0 || p.MinInterval <= 0 || p.MaxInterval < p.MinInterval {
		return cmd.fail(usagef("want --timeout > 0 and 0 < --min-interval <= --max-interval (got %s, %s, %s)", p.Timeout, p.MinInterval, p.MaxInterval))
	}
	target, c, err := serviceTarget(&sf, pos, env)
	if err != nil {
		return cmd.fail(err)
	}
	defer c.close()
	sf.tls.warn(stderr)
	progress := &waitPrinter{w: stderr, live: env.Term != "dumb" && isTerminal(stderr), color: useColor(stderr, env)}
	v, timedOut, err := waitFor(ctx, p, c.check, progress)
	if err != nil {
		fmt.Fprintf(stderr, "downfor wait: %v\n", err)
		return exitInterrupted
	}
	if timedOut {
		fmt.Fprintf(stderr, "downfor wait: gave up after %s: the service is still %s\n", p.Timeout, v.Class)
	}
	return printVerdict(stdout, stderr, target.String(), v, time.Now(), *jsonOut, useColor(stdout, env))
}

// pollFunc checks the service once. It fails only when ctx ends.
type pollFunc func(ctx context.Context) (classify.Verdict, error)

// waitPolicy is how wait paces its polls.
type waitPolicy struct {
	// Timeout bounds the whole wait.
	Timeout time.Duration
	// MinInterval and MaxInterval bound the pause between two polls.
	MinInterval, MaxInterval time.Duration
}

// answers reports whether a verdict ends the wait: the service answers.
func answers(v classify.Verdict) bool {
	return v.Class == classify.OK || v.Class == classify.ClientError
}

// next is the pause before the next poll, decided purely: the wait the
// server asked for (Retry-After, or the announced end of the window) when
// it gave one, else MinInterval doubled for each earlier poll without
// timing (backoff counts them); always within [MinInterval, MaxInterval].
func (p waitPolicy) next(v classify.Verdict, now time.Time, backoff int) time.Duration {
	d, ok := v.Wait(now)
	if !ok {
		d = p.MinInterval
		for i := 0; i < backoff && d < p.MaxInterval; i++ {
			d *= 2
		}
	}
	return min(max(d, p.MinInterval), p.MaxInterval)
}

// waitProgress hears about each poll and, during a pause, each second.
type waitProgress interface {
	// polled reports a verdict and the pause before the next poll (0 when
	// this verdict ends the wait).
	polled(now time.Time, v classify.Verdict, next time.Duration)
	// tick reports the time left before the next poll, about once a second.
	tick(left time.Duration)
}

// waitFor polls until the service answers or p.Timeout passes, then
// returns the last verdict and whether the timeout ended the wait. When the
// next pause would end past the deadline, it is shortened to make one last
// poll at the deadline. It fails only when ctx ends. Time is read with
// time.Now and waited with timers, so it runs in a testing/synctest bubble.
func waitFor(ctx context.Context, p waitPolicy, poll pollFunc, progress waitProgress) (classify.Verdict, bool, error) {
	deadline := time.Now().Add(p.Timeout)
	backoff := 0
	for {
		v, err := poll(ctx)
		if err != nil {
			return v, false, err
		}
		now := time.Now()
		left := deadline.Sub(now)
		if answers(v) || left <= 0 {
			progress.polled(now, v, 0)
			return v, !answers(v), nil
		}
		d := p.next(v, now, backoff)
		if _, ok := v.Wait(now); ok {
			backoff = 0
		} else {
			backoff++
		}
		d = min(d, left)
		progress.polled(now, v, d)
		if err := pause(ctx, d, progress.tick); err != nil {
			return v, false, err
		}
	}
}

// pause sleeps for d, calling tick about once a second with the time left,
// and fails when ctx ends first.
func pause(ctx context.Context, d time.Duration, tick func(time.Duration)) error {
	end := time.Now().Add(d)
	timer := time.NewTimer(d)
	defer timer.Stop()
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-timer.C:
			return nil
		case now := <-ticker.C:
			if left := end.Sub(now); left > 0 {
				tick(left)
			}
		}
	}
}

// waitPrinter shows wait's progress: on a terminal one line rewritten in
// place with a countdown, else one line per poll.
type waitPrinter struct {
	w     io.Writer
	live  bool
	color bool
	last  string // the last verdict's description, for the countdown
}

func (p *waitPrinter) polled(now time.Time, v classify.Verdict, next time.Duration) {
	desc := classLabel(v, p.color)
	if e, ok := v.Strongest(); ok {
		desc += "  " + evidencePhrase(e)
	}
	if w := waitPhrase(v, now); w != "" {
		desc += "  server asks to " + w
	}
	p.last = desc
	switch {
	case p.live && next == 0:
		fmt.Fprint(p.w, "\r\x1b[K")
	case p.live:
		fmt.Fprintf(p.w, "\r\x1b[K%s  next check in %s", desc, roundDuration(next))
	case next > 0:
		fmt.Fprintf(p.w, "%s  %s  next check in %s\n", now.Format("15:04:05"), desc, roundDuration(next))
	}
}

func (p *waitPrinter) tick(left time.Duration) {
	if p.live {
		fmt.Fprintf(p.w, "\r\x1b[K%s  next check in %s", p.last, roundDuration(left))
	}
}
