package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/downfor/downfor/classify"
)

// integrations are what "downfor run" reports to the tools around it:
// the ping service (--ping) and the Prometheus textfile (--textfile). A
// nil *integrations does nothing.
type integrations struct {
	pinger   *pinger
	textfile string // --textfile PATH.prom
	began    time.Time
	tail     *tailBuffer // the end of the job's output, for the last ping
}

// newIntegrations checks the flags of the integrations and returns them,
// or nil when none is asked for.
func newIntegrations(o runOptions) (*integrations, error) {
	p, err := newPinger(o.ping, io.Discard)
	if err != nil {
		return nil, err
	}
	if err := checkTextfile(o.textfile); err != nil {
		return nil, err
	}
	if p == nil && o.textfile == "" {
		return nil, nil
	}
	return &integrations{pinger: p, textfile: o.textfile}, nil
}

// begin is called when the run begins: the start ping goes out.
func (in *integrations) begin(ctx context.Context, stderr io.Writer) {
	if in == nil {
		return
	}
	in.began = time.Now()
	if in.pinger != nil {
		in.pinger.warn = stderr
		in.pinger.start(ctx)
	}
}

// capture keeps what the integrations need of the job's output before it
// is released.
func (in *integrations) capture(out *outputLog) {
	if in == nil || in.pinger == nil {
		return
	}
	in.tail = tailOf(out, pingBodyLimit)
}

// runEnd is how one run ended, as the integrations need it.
type runEnd struct {
	// outcome is "ok", "failed", "maintenance" (failed during
	// maintenance), "skipped" (not started, --skip-before), or "" when the
	// job did not start or downfor was interrupted.
	outcome string
	// jobExit is the job's own exit code, when it ran.
	jobExit int
	// verdict is the service's verdict when the job failed (nil when the
	// service was not checked).
	verdict *classify.Verdict
	// incidentOpen: a failure not due to maintenance has not been followed
	// by a success (with --state, across runs).
	incidentOpen bool
	// maintenanceSince is when the ongoing maintenance began, when known.
	maintenanceSince time.Time
	// alertAfter is run's --alert-after when it applies (with --state):
	// a maintenance that lasts longer is a failure.
	alertAfter time.Duration
}

// ended is how r ended: the adapter between run's bookkeeping (the job's
// state after it, ledger.go) and the integrations.
func (r *jobRun) ended() runEnd {
	e := runEnd{
		outcome:      r.final.LastOutcome,
		jobExit:      r.job.code,
		verdict:      r.verdict,
		incidentOpen: r.final.Incident != nil,
	}
	if e.outcome == outcomeFailed.String() && r.final.LastClass == classify.Maintenance.String() {
		e.outcome = "maintenance"
	}
	if m := r.final.Maintenance; m != nil && r.statePath != "" {
		// Only a state file knows when it began; without one, each run
		// sees a maintenance begin now.
		e.maintenanceSince = m.Since
		e.alertAfter = r.alertAfter
	}
	return e
}

// end is called when the run is over, with downfor's exit code. A
// failure here is reported on stderr and changes no exit code.
func (in *integrations) end(ctx context.Context, r *jobRun, code int) {
	if in == nil {
		return
	}
	e := r.ended()
	if in.textfile != "" {
		job := textfileJob(in.textfile)
		prev, err := readPreviousMetrics(in.textfile, job)
		if err == nil {
			now := time.Now()
			err = writeTextfile(in.textfile, nextMetrics(job, now, now.Sub(in.began), code, e, prev))
		}
		if err != nil {
			fmt.Fprintf(r.stderr, "downfor: cannot write the textfile: %v\n", err)
		}
	}
	in.pinger.end(ctx, pingEnd{
		code:             code,
		outcome:          e.outcome,
		jobExit:          e.jobExit,
		target:           r.target,
		verdict:          e.verdict,
		maintenanceSince: e.maintenanceSince,
		alertAfter:       e.alertAfter,
	}, in.tail)
}
