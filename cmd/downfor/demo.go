package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

const (
	demoTimeline   = "ok:2s,retry-after-seconds:4s,app-stopped:4s,error-500:3s,ok"
	demoRetryAfter = 2 * time.Second
	demoInterval   = time.Second
)

const demoUsage = `Usage: downfor demo [flags]

A live, self-contained demonstration, in about 20 seconds: downfor starts
its mock server in-process (nothing leaves this machine), plays a timeline
on it (by default ` + demoTimeline + `: a service that
announces a maintenance with Retry-After, is then stopped behind nginx with
only the probe saying why, then crashes, then recovers) and checks it the
way "downfor check" does. Each line shows the time, the class with the
evidence behind it, what the server was playing, and what a downfor client
(package client, default policy) decides: proceed, wait, skip or alert.

Examples:
  downfor demo
  downfor demo --timeline 'ok:1s,osf:5s,haproxy-no-backend:3s,ok' --retry-after 3s
`

func demoCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	cmd := newCommand("demo", demoUsage, stdout, stderr)
	timeline := cmd.fs.String("timeline", demoTimeline, "`TIMELINE` the mock service plays: MODE:DURATION,...,MODE (see \"downfor serve --list\")")
	retryAfter := cmd.fs.Duration("retry-after", demoRetryAfter, "the Retry-After the mock service sends, and the length of a maintenance it announces")
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
	if *retryAfter <= 0 || *interval <= 0 {
		return cmd.fail(usagef("--retry-after and --interval must be positive"))
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
}

func (d *demo) run(ctx context.Context) error {
	srv, err := testserver.Start(testserver.Config{Timeline: d.steps, RetryAfter: d.retryAfter})
	if err != nil {
		return err
	}
	defer srv.Close()
	target, err := url.Parse(srv.URL + "/api/v1/orders")
	if err != nil {
		return err
	}
	timeout := 2 * time.Second
	c := newChecker(target, "GET", nil, &classify.Options{}, timeout, probe.Config{
		Timeout: timeout, CacheFor: -1, HealthURL: defaultHealthPath, StatusPageURL: defaultStatusPath,
	})
	defer c.close()
	policy := client.Config{Schedule: client.Schedule{Floor: d.interval, Randomization: -1}, Jitter: client.Jitter{Fraction: -1}}

	fmt.Fprintf(d.out, "downfor demo: a mock service at %s plays %s\n", srv.URL, testserver.Timeline(d.steps).String())
	fmt.Fprintf(d.out, "(each line: time, what downfor saw and why, what the server was playing, what a downfor client decides)\n\n")

	var total time.Duration
	for _, st := range d.steps {
		total += st.For
	}
	// The demo ends once the service answers again after the timeline's
	// last trouble, or, whatever happens, a while after the timeline ends.
	deadline := time.Now().Add(total + 10*d.retryAfter + 10*d.interval)
	var (
		troubled bool // the service has not answered since the demo began
		tries    int  // checks in a row with the same class
		last     = classify.Class(255)
		counts   = map[classify.Class]int{}
		start    = time.Now()
	)
	for {
		playing := srv.Mode()
		v, err := c.check(ctx)
		if err != nil {
			return err
		}
		now := time.Now()
		if v.Class == last {
			tries++
		} else {
			tries, last = 1, v.Class
		}
		counts[v.Class]++
		dec := policy.Decide(v, client.State{Now: now, Tries: tries})
		fmt.Fprintln(d.out, d.line(now, start, v, playing, dec))
		if !answers(v) {
			troubled = true
		}
		if answers(v) && troubled && d.pastTrouble(srv) {
			fmt.Fprintf(d.out, "\nThe service is back. %s in %s.\n", summary(counts), roundDuration(time.Since(start)))
			fmt.Fprintln(d.out, `Next: "downfor serve --list" shows every behaviour the mock server plays; "downfor check", "wait" and "run" use the same brain on your own services.`)
			return nil
		}
		if now.After(deadline) {
			return fmt.Errorf("the demo did not end by itself (last seen: %s)", v.Class)
		}
		pause := d.interval
		if dec.Action == client.Wait {
			pause = max(dec.Delay, d.interval/2)
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return context.Cause(ctx)
		case <-timer.C:
		}
	}
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
			ev = append(ev, evidencePhrase(e))
		}
	}
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
	return fmt.Sprintf("%s  %-7s  %s%s  %-46s  %-21s  → %s",
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
