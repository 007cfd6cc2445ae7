package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"
)

// jobResult is how a job ended.
type jobResult struct {
	// code is the exit code to report: the job's own, 128+N when signal N
	// killed it, 124 when --timeout did, 126 or 127 when it did not start.
	code int
	// status is the job's own exit status, or -1 if a signal ended it.
	status int
	// signal is the signal that ended the job, if one did.
	signal syscall.Signal
	// timedOut: --timeout passed and the job was stopped.
	timedOut bool
	// timeout is the --timeout that passed.
	timeout time.Duration
	// interrupted: downfor was interrupted (SIGINT, SIGTERM, its context
	// ended) and passed it on to the job.
	interrupted bool
	// err says why the job could not start.
	err error
}

// describe says how the job ended, such as "job failed (exit 3)".
func (r jobResult) describe() string {
	switch {
	case r.timedOut:
		return fmt.Sprintf("job timed out after %s (exit %d)", r.timeout, r.code)
	case r.signal != 0:
		return fmt.Sprintf("job killed by signal %s (exit %d)", signalName(r.signal), r.code)
	}
	return fmt.Sprintf("job failed (exit %d)", r.code)
}

func signalName(s syscall.Signal) string {
	switch s {
	case syscall.SIGINT:
		return "INT"
	case syscall.SIGTERM:
		return "TERM"
	case syscall.SIGKILL:
		return "KILL"
	case syscall.SIGHUP:
		return "HUP"
	}
	return s.String()
}

// jobSpec is one job to run and how to bound it.
type jobSpec struct {
	argv []string
	// env is the job's environment; nil means downfor's own.
	env            []string
	stdin          io.Reader
	stdout, stderr io.Writer
	// timeout, if positive, bounds the job; grace is how long SIGTERM
	// has before SIGKILL.
	timeout, grace time.Duration
	// subreaper: downfor is a child subreaper (Linux, set up by main), so
	// the job's descendants that escaped its process group (setsid) come
	// back to downfor when their parent exits, and are ended with it.
	subreaper bool
}

// runJob runs the job with its stdin passed through and its output
// recorded in out, and waits for it. The job gets its own process group.
// Signals that downfor receives (SIGINT, SIGTERM, SIGHUP) are forwarded to
// that group; when ctx ends without one (main's signal.NotifyContext also
// cancels ctx on SIGINT and SIGTERM), the group gets SIGTERM. After
// timeout (if positive) the group gets SIGTERM too. Either way, SIGKILL
// follows grace later if the job has not exited.
//
// When downfor ends the job (timeout, interruption), or whenever a timeout
// is set, nothing the job started may outlive it: once the job's main
// process has exited, what is left of its process group (and, as a
// subreaper, every descendant that escaped it) gets SIGTERM, then SIGKILL
// when the grace has passed.
func runJob(ctx context.Context, spec jobSpec) jobResult {
	argv := spec.argv
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = spec.env
	cmd.Stdin = spec.stdin
	cmd.Stdout = spec.stdout
	cmd.Stderr = spec.stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = waitDelay

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)

	if err := cmd.Start(); err != nil {
		return startFailure(argv[0], err)
	}
	g := &jobGroup{pgid: cmd.Process.Pid, subreaper: spec.subreaper}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()

	res := jobResult{timeout: spec.timeout}
	var timeoutC, killC <-chan time.Time
	if spec.timeout > 0 {
		t := time.NewTimer(spec.timeout)
		defer t.Stop()
		timeoutC = t.C
	}
	var killTimer *time.Timer
	var killAt time.Time
	defer func() {
		if killTimer != nil {
			killTimer.Stop()
		}
	}()
	startKill := func() {
		if killTimer == nil {
			killAt = time.Now().Add(spec.grace)
			killTimer = time.NewTimer(spec.grace)
			killC = killTimer.C
		}
	}
	done := ctx.Done()
	for {
		select {
		case <-exited:
			res.fill(cmd.ProcessState)
			if res.timedOut || res.interrupted || spec.timeout > 0 {
				if killAt.IsZero() {
					killAt = time.Now().Add(spec.grace)
				}
				g.end(killAt)
			}
			return res
		case s := <-signals:
			sig := s.(syscall.Signal)
			g.signal(sig)
			if sig != syscall.SIGHUP {
				res.interrupted = true
			}
		case <-done:
			done = nil
			// The signal that cancelled ctx, if one did, is on its way to
			// signals too: pass that one on rather than a second one.
			if !res.interrupted {
				select {
				case s := <-signals:
					g.signal(s.(syscall.Signal))
				case <-time.After(signalSettle):
					g.signal(syscall.SIGTERM)
				case <-exited:
					res.interrupted = true
					res.fill(cmd.ProcessState)
					g.end(time.Now().Add(spec.grace))
					return res
				}
			}
			res.interrupted = true
			startKill()
		case <-timeoutC:
			timeoutC = nil
			res.timedOut = true
			g.signal(syscall.SIGTERM)
			startKill()
		case <-killC:
			killC = nil
			g.signal(syscall.SIGKILL)
		}
	}
}

// jobGroup is the job's process group, and with a subreaper the
// descendants that left it.
type jobGroup struct {
	pgid      int
	subreaper bool
	termed    bool // the group has had SIGTERM (or SIGINT, SIGHUP)
}

// signal sends s to the job's process group, and with a subreaper to the
// descendants that escaped it and have come back to downfor.
func (g *jobGroup) signal(s syscall.Signal) {
	_ = syscall.Kill(-g.pgid, s)
	if s == syscall.SIGTERM || s == syscall.SIGINT {
		g.termed = true
	}
	if g.subreaper {
		signalOrphans(s, g.pgid)
	}
}

// alive reports whether anything of the job is left: a process of its
// group, or (with a subreaper) a descendant that came back to downfor.
// Orphans that have exited are reaped on the way.
func (g *jobGroup) alive() bool {
	if g.subreaper {
		reapOrphans()
	}
	// EPERM (a member that changed user) is out of reach: not waited for.
	if syscall.Kill(-g.pgid, 0) == nil {
		return true
	}
	return g.subreaper && hasOrphans()
}

// end ends what is left of the job once its main process has exited:
// SIGTERM (unless it had it already), then SIGKILL at killAt if anything
// is still there, waiting at most a moment for it to go.
func (g *jobGroup) end(killAt time.Time) {
	if !g.alive() {
		return
	}
	if !g.termed {
		g.signal(syscall.SIGTERM)
	}
	for g.alive() {
		if !time.Now().Before(killAt) {
			break
		}
		if g.subreaper {
			// Descendants orphaned since the last signal get theirs.
			signalOrphans(syscall.SIGTERM, g.pgid)
		}
		time.Sleep(min(sweepPoll, time.Until(killAt)))
	}
	for range sweepRounds {
		if !g.alive() {
			return
		}
		g.signal(syscall.SIGKILL)
		time.Sleep(sweepPoll)
	}
}

// fill reads the job's end from its process state.
func (r *jobResult) fill(ps *os.ProcessState) {
	r.status = -1
	if ws, ok := ps.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		r.signal = ws.Signal()
		r.code = 128 + int(r.signal)
	} else {
		r.status = ps.ExitCode()
		r.code = r.status
	}
	if r.timedOut {
		r.code = exitTimedOut
	}
}

// startFailure is the result of a command that did not start: 127 when
// it is not found, 126 when it cannot be executed, as shells report them.
func startFailure(name string, err error) jobResult {
	code := exitCannotExec
	if errors.Is(err, exec.ErrNotFound) || errors.Is(err, fs.ErrNotExist) {
		code = exitNotFound
	}
	if errors.Is(err, syscall.EACCES) {
		if fi, serr := os.Stat(name); serr == nil && fi.IsDir() {
			return jobResult{code: code, status: code, err: fmt.Errorf("%s: is a directory, not a command", name)}
		}
	}
	var ee *exec.Error
	if errors.As(err, &ee) {
		err = ee.Err
	} else {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
	}
	return jobResult{code: code, status: code, err: fmt.Errorf("%s: %w", name, err)}
}
