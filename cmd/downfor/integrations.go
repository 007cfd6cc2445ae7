package main

import (
	"context"
	"fmt"
	"io"
	"time"
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

// end is called when the run is over, with downfor's exit code. A
// failure here is reported on stderr and changes no exit code.
func (in *integrations) end(ctx context.Context, r *jobRun, code int) {
	if in == nil {
		return
	}
	if in.textfile != "" {
		job := textfileJob(in.textfile)
		prev, err := readPreviousMetrics(in.textfile, job)
		if err == nil {
			now := time.Now()
			err = writeTextfile(in.textfile, nextMetrics(job, now, now.Sub(in.began), code, r.final, prev))
		}
		if err != nil {
			fmt.Fprintf(r.stderr, "downfor: cannot write the textfile: %v\n", err)
		}
	}
	e := pingEnd{
		code:    code,
		outcome: r.final.LastOutcome,
		jobExit: r.job.code,
		target:  r.target,
		verdict: r.final.Verdict,
	}
	in.pinger.end(ctx, e, in.tail)
}
