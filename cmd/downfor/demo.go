package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

const (
	demoTimeline = "ok:2s,retry-after-seconds:4s,app-stopped:4s,error-500:3s,ok"
	demoInterval = time.Second
)

const demoUsage = `Usage: downfor demo [flags]

A live, self-contained demonstration, in about 15 seconds: downfor starts
its mock server in-process (nothing leaves this machine), plays a timeline
on it (by default ` + demoTimeline + `: a service
that announces a two-minute maintenance with Retry-After, is then stopped
behind nginx with only the probe saying why, then crashes, then recovers)
and checks it the way "downfor check" does. Each line shows the time, the
class with the evidence behind it, what the server was playing, and what a
downfor client (package client, default policy) decides: proceed, wait,
skip or alert. The demo follows the client's waits, but looks again as soon
as the timeline moves on rather than sit out a two-minute wait.

Examples:
  downfor demo
  downfor demo --timeline 'ok:1s,osf:5s,haproxy-no-backend:3s,ok'
`

func demoCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	cmd := newCommand("demo", demoUsage, stdout, stderr)
	timeline := cmd.fs.String("timeline", demoTimeline, "`TIMELINE` the mock service plays: MODE:DURATION,...,MODE (see \"downfor serve --list\")")
	retryAfter := cmd.fs.Duration("retry-after", 0, "replace every Retry-After the mock service sends, and the length of a maintenance it announces without an end (0: each mode's own)")
	interval := cmd.fs.Duration("interval", demoInterval, "pause between checks while the service answers, and the client's shortest wait")
	pos, code, done := cmd.parse(args, true)
	if done {
		return code
	}
	if len(pos) > 0 {
		return cmd.fail(usagef("demo takes no arguments, got %q", pos))
	}
	steps, err := testserver.ParseTimeline(*timeline)
	if err != nil {
		return cmd.fail(usagef("--timeline: %v", err))
	}
	if *retryAfter < 0 {
		return cmd.fail(usagef("--retry-after %s: cannot be negative", *retryAfter))
	}
	if *interval <= 0 {
		return cmd.fail(usagef("--interval %s: must be positive", *interval))
	}
	d := demo{steps: steps, retryAfter: *retryAfter, interval: *interval, out: stdout, color: useColor(stdout, env)}
	if err := d.run(ctx); err != nil {
		fmt.Fprintf(stderr, "downfor demo: %v\n", err)
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return exitSoftware
	}
	return exitOK
}

// demo is one run of "downfor demo".
type demo struct {
	steps      []testserver.Step
	retryAfter time.Duration
	interval   time.Duration
	out        io.Writer
	color      bool
	// inMemory serves the mock service without a socket, through its
	// in-memory transport (tests run the demo in a testing/synctest
	// bubble this way).
	inMemory bool
}

// start starts the mock service and returns the transport to reach it
// through (nil: the network).
func (d *demo) start() (*testserver.Server, http.RoundTripper, error) {
	cfg := testserver.Config{Timeline: d.steps, RetryAfter: d.retryAfter}
	if d.inMemory {
		srv, err := testserver.StartInMemory(cfg)
		if err != nil {
			return nil, nil, err
		}
		return srv, srv.InMemoryTransport(), nil
	}
	srv, err := testserver.Start(cfg)
	return srv, nil, err
}

// demoCheck is one check of the demo: when, what the server was playing,
// the verdict, and what a downfor client decides.
type demoCheck struct {
	at       time.Time
	playing  string
	verdict  classify.Verdict
	decision client.Decision
}

// run sets the demo up, plays it and prints it.
func (d *demo) run(ctx context.Context) error {
	srv, rt, err := d.start()
	if err != nil {
		return err
	}
	defer srv.Close()
	target, err := url.Parse(srv.URL + "/api/v1/orders")
	if err != nil {
		return err
	}
	// The demo checks as "downfor check" does with its defaults, but a
	// shorter bound on each check.
	sf := serviceFlags{timeout: 2 * time.Second, probePath: defaultProbePath, method: http.MethodGet, timeoutFlag: "timeout"}
	req, err := sf.request(rt)
	if err != nil {
		return err
	}
	c := newChecker(target, req)
	defer c.close()

	fmt.Fprintf(d.out, "downfor demo: a mock service at %s plays %s\n", srv.URL, testserver.Timeline(d.steps).String())
	fmt.Fprintf(d.out, "(each line: time, what downfor saw and why, what the server was playing, what a downfor client decides)\n\n")
	start := time.Now()
	counts := map[classify.Class]int{}
	err = d.play(ctx, srv, c.check, func(dc demoCheck) {
		counts[dc.verdict.Class]++
		fmt.Fprintln(d.out, d.line(dc.at, start, dc.verdict, dc.playing, dc.decision))
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.out, "\nThe service is back. %s in %s.\n", summary(counts), roundDuration(time.Since(start)))
	fmt.Fprintln(d.out, `Next: "downfor serve --list" shows every behaviour the mock server plays; "downfor check", "wait" and "run" use the same brain on your own services.`)
	return nil
}

// play checks the service until it answers again after the timeline's
// last trouble, handing each check to seen, and pacing itself by what a
// downfor client decides (but looking again as soon as the timeline moves
// on). It fails when ctx ends, or when the demo does not end by itself a
// while after the timeline does.
func (d *demo) play(ctx context.Context, srv *testserver.Server, check pollFunc, seen func(demoCheck)) error {
	policy := client.Config{Schedule: client.Schedule{Floor: d.interval, Randomization: -1}, Jitter: client.Jitter{Fraction: -1}}
	var total time.Duration
	for _, st := range d.steps {
		total += st.For
	}
	deadline := time.Now().Add(total + 10*d.interval + max(10*d.retryAfter, 30*time.Second))
	var (
		troubled bool // the service has not answered since the demo began
		tries    int  // checks in a row with the same class
		last     = classify.Class(255)
	)
	for {
		playing := srv.Mode()
		v, err := check(ctx)
		if err != nil {
			return err
		}
		now := time.Now()
		if v.Class == last {
			tries++
		} else {
			tries, last = 1, v.Class
		}
		dec := policy.Decide(v, client.State{Now: now, Tries: tries})
		seen(demoCheck{at: now, playing: playing, verdict: v, decision: dec})
		if !answers(v) {
			troubled = true
		}
		if answers(v) && troubled && d.pastTrouble(srv) {
			return nil
		}
		if now.After(deadline) {
			return fmt.Errorf("the demo did not end by itself (last seen: %s)", v.Class)
		}
		if err := pause(ctx, d.pause(srv, dec), func(time.Duration) {}); err != nil {
			return err
		}
	}
}

// pause is how long the demo waits before its next check: the client's
// wait, but no longer than the current step of the timeline has left (a
// demo does not sit out a two-minute wait).
func (d *demo) pause(srv *testserver.Server, dec client.Decision) time.Duration {
	p := d.interval
	if dec.Action == client.Wait {
		p = max(dec.Delay, d.interval/2)
	}
	if left, ok := stepLeft(srv, time.Now()); ok && p > left {
		p = left + d.interval/10
	}
	return p
}

// stepLeft returns how long the timeline's current step has left to
// play, or false when it is the last one (it plays for ever).
func stepLeft(srv *testserver.Server, now time.Time) (time.Duration, bool) {
	steps, since := srv.Timeline()
	end := since
	for _, st := range steps[:len(steps)-1] {
		end = end.Add(st.For)
		if end.After(now) {
			return end.Sub(now), true
		}
	}
	return 0, false
}

// pastTrouble reports whether the timeline has reached its last step.
func (d *demo) pastTrouble(srv *testserver.Server) bool {
	steps, since := srv.Timeline()
	var played time.Duration
	for _, st := range steps[:len(steps)-1] {
		played += st.For
	}
	return time.Since(since) >= played
}

// line is one line of the demo, such as
// "10:00:02  maintenance (implied)  status 503; retry-after 2 (implied)  [retry-after-seconds]  → wait 2s".
func (d *demo) line(now, start time.Time, v classify.Verdict, playing string, dec client.Decision) string {
	label := classLabel(v, false)
	pad := max(0, 22-len(label))
	if d.color {
		label = classLabel(v, true)
	}
	var ev []string
	for _, e := range v.Evidence {
		if e.Strength != classify.None && (e.Indicates == v.Class || e.Signal == classify.SignalRetryAfter) || e.Signal == classify.SignalStatus {
			ev = append(ev, clip(evidencePhrase(e), 44))
		}
	}
	// The status and the first piece of evidence behind the class: the
	// rest is in "downfor check --json".
	ev = ev[:min(len(ev), 2)]
	evidence := strings.Join(ev, "; ")
	decision := dec.Action.String()
	switch dec.Action {
	case client.Wait:
		decision += " " + roundDuration(dec.Delay).String()
		if dec.Poll {
			decision += " (backoff)"
		} else {
			decision += " (as the server asked)"
		}
	case client.Skip:
		decision += ": try again at the next run"
	case client.Alert:
		decision += ": a human must know"
	}
	if dec.Reason != "" && dec.Action != client.Wait {
		decision += " (" + dec.Reason + ")"
	}
	return fmt.Sprintf("%s  %-7s  %s%s  %-48s  %-21s  → %s",
		now.Format("15:04:05"), fmt.Sprintf("+%.1fs", now.Sub(start).Seconds()), label, strings.Repeat(" ", pad), evidence, "["+playing+"]", decision)
}

// summary counts the checks by class, such as "12 checks: 5 ok, 4 maintenance, 3 malfunction".
func summary(counts map[classify.Class]int) string {
	var parts []string
	n := 0
	for _, c := range classify.Classes() {
		if counts[c] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[c], c))
			n += counts[c]
		}
	}
	return fmt.Sprintf("%d checks: %s", n, strings.Join(parts, ", "))
}
