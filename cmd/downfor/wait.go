package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
)

const waitUsage = `Usage: downfor wait [flags] URL

Block until the service at URL answers (ok or client_error), polling it
with the server's own timing, as a downfor client would: the Retry-After it
sent or the end of the window announced by the probe or the status page
(plus a little jitter after it, never before), else the client's
schedule: a maintenance is polled at a tenth of how long it has lasted,
anything else on an exponential backoff; never more often than
--min-interval and never less often than --max-interval. Each poll is a "downfor check" (same flags; its
per-check bound is --check-timeout).

--timeout is a hard bound on the whole command, a check in flight
included: the last check is timed to end by then, one still running at the
deadline is cut short, and wait exits like check with the last class
(network if no check ever finished).

Progress goes to stderr: on a terminal, one line redrawn in place with a
countdown, cut to the terminal's width and cleared on Ctrl-C; else one line
per poll. The final verdict goes to stdout as check prints it (--json: one
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
	p := waitPolicy{Rand: rand.Float64}
	cmd.fs.DurationVar(&p.Timeout, "timeout", 10*time.Minute, "give up after this long: a hard bound on the whole command, a check in flight included")
	cmd.fs.DurationVar(&p.MinInterval, "min-interval", time.Second, "never poll more often than this")
	cmd.fs.DurationVar(&p.MaxInterval, "max-interval", time.Minute, "never poll less often than this")
	jsonOut := cmd.fs.Bool("json", false, "print the final verdict as one JSON object")
	pos, code, done := cmd.parse(args, true)
	if done {
		return code
	}
	switch {
	case p.Timeout <= 0:
		return cmd.fail(usagef("--timeout %s: must be positive", p.Timeout))
	case p.MinInterval <= 0:
		return cmd.fail(usagef("--min-interval %s: must be positive", p.MinInterval))
	case p.MaxInterval < p.MinInterval:
		return cmd.fail(usagef("--max-interval %s: cannot be shorter than --min-interval %s", p.MaxInterval, p.MinInterval))
	}
	svc, err := newService(&sf, "the URL", pos, env)
	if err != nil {
		return cmd.fail(err)
	}
	defer svc.checker.close()
	live := env.Term != "dumb" && isTerminal(stderr)
	sf.tls.warn(stderr)
	progress := &waitPrinter{w: svc.red.Writer(stderr), live: live, color: useColor(stderr, env), width: termWidth(stderr, env)}
	color := useColor(stdout, env)
	stdout, stderr = svc.red.Writer(stdout), svc.red.Writer(stderr)
	v, timedOut, err := waitFor(ctx, p, svc.checker.check, progress)
	progress.done()
	if err != nil {
		fmt.Fprintf(stderr, "downfor wait: %v\n", err)
		return exitInterrupted
	}
	if !*jsonOut {
		warnComponents(stderr, v)
	}
	if timedOut {
		fmt.Fprintf(stderr, "downfor wait: gave up after %s: %s\n", p.Timeout, stillPhrase(v.Class))
	}
	return printVerdict(stdout, stderr, svc.shown, v, time.Now(), *jsonOut, color)
}

// pollFunc checks the service once. It fails only when ctx ends.
type pollFunc func(ctx context.Context) (classify.Verdict, error)

// waitPolicy is how wait paces its polls.
type waitPolicy struct {
	// Timeout bounds the whole wait.
	Timeout time.Duration
	// MinInterval and MaxInterval bound the pause between two polls.
	MinInterval, MaxInterval time.Duration
	// Rand draws the jitter added after a server-requested wait (so that
	// many waits on one service do not resume at once); nil adds none.
	Rand func() float64
}

// answers reports whether a verdict ends the wait: the service answers.
func answers(v classify.Verdict) bool {
	return v.Class == classify.OK || v.Class == classify.ClientError
}

// pace is the client.Config whose Decide paces wait: the client's own
// schedule, between MinInterval and MaxInterval, with every class that
// does not answer waited on (wait ends at its --timeout, not after a
// number of retries or a maximum wait).
func (p waitPolicy) pace() client.Config {
	keep := client.Policy{Action: client.Wait, Otherwise: client.Skip, Retries: math.MaxInt32}
	return client.Config{
		MaxWait:  math.MaxInt64,
		Schedule: client.Schedule{Floor: p.MinInterval, Ceiling: p.MaxInterval, Randomization: -1},
		On:       client.Policies{Throttled: keep, Maintenance: keep, Malfunction: keep, Network: keep},
	}
}

// next is the pause before the next poll, decided by the client's own
// Decide: the wait the server asked for (Retry-After, or the announced
// end of the window) plus jitter when it gave one, else the client's
// schedule for the tries-th poll in a row of this class, first seen at
// since (a maintenance without timing is polled in proportion to how long
// it has lasted, as the client polls it); always within [MinInterval,
// MaxInterval].
func (p waitPolicy) next(v classify.Verdict, now time.Time, tries int, since time.Time) time.Duration {
	st := client.State{Now: now, Tries: tries, Since: since}
	if p.Rand != nil {
		st.Rand = p.Rand()
	}
	d := p.pace().Decide(v, st)
	delay := d.Delay
	if d.Action != client.Wait {
		delay = p.MaxInterval
	}
	return min(max(delay, p.MinInterval), p.MaxInterval)
}

// waitProgress hears about each poll and, during a pause, each second.
type waitProgress interface {
	// polled reports a verdict and the pause before the next poll (0 when
	// this verdict ends the wait).
	polled(now time.Time, v classify.Verdict, next time.Duration)
	// tick reports the time left before the next poll, about once a second.
	tick(left time.Duration)
}

// errWaitTimeout is the cause of the context of a wait whose --timeout
// passed.
var errWaitTimeout = errors.New("wait: --timeout passed")

// waitFor polls until the service answers or p.Timeout passes, then
// returns the last verdict and whether the timeout ended the wait.
// p.Timeout is a hard bound on the whole wait: a poll still in flight at
// the deadline is cut short (and the service, which has not answered in
// time, is network, unless an earlier poll said more). When the next
// pause would end past the deadline, it is shortened so that one last
// poll, expected to take as long as the last one did, ends by the
// deadline. It fails only when ctx ends. Time is read with time.Now and
// waited with timers, so it runs in a testing/synctest bubble.
func waitFor(ctx context.Context, p waitPolicy, poll pollFunc, progress waitProgress) (classify.Verdict, bool, error) {
	deadline := time.Now().Add(p.Timeout)
	parent := ctx
	ctx, cancel := context.WithDeadlineCause(ctx, deadline, errWaitTimeout)
	defer cancel()
	var last classify.Verdict
	polled := false
	tries := 0          // polls in a row with the same class
	var since time.Time // when that class was first seen
	for {
		began := time.Now()
		v, err := poll(ctx)
		if err != nil {
			if !errors.Is(context.Cause(ctx), errWaitTimeout) {
				return last, false, err
			}
			if !polled {
				last = classify.Error(fmt.Errorf("no answer within --timeout %s: %w", p.Timeout, context.DeadlineExceeded))
			}
			progress.polled(time.Now(), last, 0)
			return last, true, nil
		}
		now := time.Now()
		if polled && v.Class == last.Class {
			tries++
		} else {
			tries, since = 1, now
		}
		last, polled = v, true
		left := deadline.Sub(now)
		if answers(v) || left <= 0 {
			progress.polled(now, v, 0)
			return v, !answers(v), nil
		}
		d := p.next(v, now, tries, since)
		if took := now.Sub(began); d+took > left {
			d = max(left-took, 0)
		}
		progress.polled(now, v, d)
		// d ends by the deadline: only an interruption cuts it.
		if err := pause(parent, d, progress.tick); err != nil {
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
// place with a countdown, never wider than the terminal; else one line
// per poll.
type waitPrinter struct {
	w     io.Writer
	live  bool
	color bool
	width int    // the terminal's columns; 0: 80
	last  string // the last verdict's description, for the countdown
	drawn bool   // a live line is on the screen
}

func (p *waitPrinter) polled(now time.Time, v classify.Verdict, next time.Duration) {
	desc := classLabel(v, false)
	if e, ok := v.Strongest(); ok {
		desc += "  " + evidencePhrase(e)
	}
	if w := waitPhrase(v, now); w != "" {
		desc += "  server asks to " + w
	}
	p.last = desc
	switch {
	case p.live && next == 0:
		p.done()
	case p.live:
		p.draw(next)
	case next > 0:
		fmt.Fprintf(p.w, "%s  %s  next check in %s\n", now.Format("15:04:05"), desc, displayWait(next))
	}
}

func (p *waitPrinter) tick(left time.Duration) {
	if p.live {
		p.draw(left)
	}
}

// draw rewrites the live line: the last verdict and the countdown, cut to
// the terminal's width so that it never wraps (a wrapped line cannot be
// rewritten in place). The countdown stays at the end.
func (p *waitPrinter) draw(left time.Duration) {
	width := p.width
	if width <= 0 {
		width = 80
	}
	tail := "  next check in " + displayWait(left).String()
	room := width - 1 - len([]rune(tail)) // the last column would wrap on some terminals
	line := clip(p.last, max(room, 1)) + tail
	line = string([]rune(line)[:min(len([]rune(line)), width-1)])
	if p.color {
		// Colour the class, the first word, if it survived the cut.
		if word, rest, ok := strings.Cut(line, " "); ok {
			for _, c := range classify.Classes() {
				if word == c.String() {
					line = colorOf(c) + word + "\x1b[0m " + rest
				}
			}
		}
	}
	fmt.Fprint(p.w, "\r\x1b[K"+line)
	p.drawn = true
}

// done clears the live line, if one is drawn, so that what is printed next
// (the verdict, an interruption) starts on a clean line.
func (p *waitPrinter) done() {
	if p.live && p.drawn {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.drawn = false
	}
}
