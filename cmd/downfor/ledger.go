package main

import (
	"time"

	"github.com/downfor/downfor/classify"
)

// This file is the bookkeeping of "run --state": what one run means for its
// job's incident and maintenance, decided purely from the job's state, how
// the run ended and the service's class. The caller does the I/O.

// outcome is how one run of a job ended, as far as the bookkeeping cares.
type outcome uint8

const (
	// outcomeOK: the job succeeded.
	outcomeOK outcome = iota + 1
	// outcomeFailed: the job failed and the service was checked.
	outcomeFailed
	// outcomeSkipped: --skip-before did not start the job (maintenance
	// now, or announced to start within --window-margin).
	outcomeSkipped
)

func (o outcome) String() string {
	switch o {
	case outcomeOK:
		return "ok"
	case outcomeFailed:
		return "failed"
	case outcomeSkipped:
		return "skipped"
	}
	return "unknown"
}

// action is what run does about one run.
type action uint8

const (
	// actPass: the job succeeded; replay its output, exit 0.
	actPass action = iota + 1
	// actQuiet: the job failed (or was skipped) during maintenance; print
	// nothing, exit --maintenance-exit.
	actQuiet
	// actAlert: the first failure of an incident; replay the output and
	// say what downfor saw; exit with the job's code.
	actAlert
	// actRepeat: a later failure of an incident that already alerted;
	// print nothing, exit with the job's code.
	actRepeat
	// actOverdue: the job has failed (or been skipped) "in maintenance"
	// for longer than --alert-after; alert, once, saying for how long.
	actOverdue
)

// jobState is what a --state file remembers about one job (its URL and
// command). It holds nothing secret: the URL is redacted, and of the
// command only its name is kept.
type jobState struct {
	// URL is the service the job depends on, redacted.
	URL string `json:"url"`
	// Command is the name of the job's command (its arguments may hold
	// secrets, so they are not kept).
	Command string `json:"command"`
	// LastRun is when the last run ended, LastOutcome how ("ok", "failed",
	// "skipped"), LastExit its exit code and LastClass the service's class
	// when it was checked.
	LastRun     time.Time `json:"last_run"`
	LastOutcome string    `json:"last_outcome"`
	LastExit    int       `json:"last_exit"`
	LastClass   string    `json:"last_class,omitempty"`
	// Incident is open from a failure that alerted until the next success
	// or maintenance; nil when none is open.
	Incident *incident `json:"incident,omitempty"`
	// Maintenance is open from the first run that met a maintenance until
	// the first that does not; nil when none is open.
	Maintenance *maintenance `json:"maintenance,omitempty"`
}

// incident is a run of failures (not due to maintenance) that has already
// alerted once.
type incident struct {
	// Since is when the failure that alerted ended.
	Since time.Time `json:"since"`
	// Class is the service's class then.
	Class string `json:"class"`
	// Failures counts the failed runs since, the first one included.
	Failures int `json:"failures"`
}

// maintenance is a run of failures (or skips) during maintenance.
type maintenance struct {
	// Since is when the first run met it.
	Since time.Time `json:"since"`
	// Runs counts the runs that met it, the first one included.
	Runs int `json:"runs"`
	// Alerted: it outlasted --alert-after and said so.
	Alerted bool `json:"alerted,omitempty"`
}

// ruling is what the bookkeeping decided about one run.
type ruling struct {
	act action
	// recovered is the incident a success closed (actPass), to say so.
	recovered *incident
	// maintenance is the maintenance that outlasted --alert-after
	// (actOverdue).
	maintenance *maintenance
	// since is when the open incident began (actRepeat).
	since time.Time
}

// bookkeep decides what a run means, given the job's state before it, how
// it ended (o), the service's class (for outcomeFailed; ignored
// otherwise), when it ended and --alert-after (0: never). It returns the
// job's new state and what to do. It is pure: the caller reads and writes
// the state and only acts on a quiet ruling once the new state is written.
//
//   - A success closes any incident (to be reported as recovered) and
//     maintenance.
//   - A failure during maintenance, or a skip, is quiet and neither opens
//     nor closes an incident; it opens a maintenance, or counts one more
//     run of it. Once the maintenance has lasted alertAfter, the run
//     alerts, once per maintenance.
//   - Any other failure closes the maintenance; it alerts when it opens
//     an incident, and is quiet (counted) while one is open.
func bookkeep(st jobState, o outcome, class classify.Class, now time.Time, alertAfter time.Duration) (jobState, ruling) {
	st.LastRun, st.LastOutcome = now, o.String()
	st.LastClass = ""
	if o == outcomeFailed {
		st.LastClass = class.String()
	}
	switch {
	case o == outcomeOK:
		r := ruling{act: actPass, recovered: st.Incident}
		st.Incident, st.Maintenance = nil, nil
		return st, r
	case o == outcomeSkipped || class == classify.Maintenance:
		m := maintenance{Since: now}
		if st.Maintenance != nil {
			m = *st.Maintenance
		}
		m.Runs++
		st.Maintenance = &m
		if alertAfter > 0 && !m.Alerted && now.Sub(m.Since) >= alertAfter {
			m.Alerted = true
			return st, ruling{act: actOverdue, maintenance: &m}
		}
		return st, ruling{act: actQuiet}
	}
	st.Maintenance = nil
	if st.Incident != nil {
		inc := *st.Incident
		inc.Failures++
		st.Incident = &inc
		return st, ruling{act: actRepeat, since: inc.Since}
	}
	st.Incident = &incident{Since: now, Class: class.String(), Failures: 1}
	return st, ruling{act: actAlert}
}
