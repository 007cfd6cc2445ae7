package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/downfor/downfor/classify"
)

const runUsage = `Usage: downfor run [flags] --url URL -- COMMAND [ARG...]

Run a job (a cron job, a systemd timer, a Kubernetes CronJob) that depends
on the service at --url, and stay quiet when it failed because the service
is down for maintenance.

The job's stdout and stderr are captured in the order they arrive (in
memory up to --buffer, then in an already-deleted temporary file, so memory
stays flat and nothing is left behind even after a kill). Its stdin is
passed through.

  - The job succeeds: its output is replayed (stdout to stdout, stderr to
    stderr) and downfor exits 0.
  - The job fails: downfor checks the service as "downfor check" does
    (probe, health endpoint and status page included). During maintenance
    it prints nothing and exits --maintenance-exit (0 unless told). Otherwise
    it replays the output, adds one line on stderr saying what it saw, such
    as "downfor: job failed (exit 3); service https://api.example.com/ is
    malfunction: status 500", and exits with the job's code.

--skip-before checks the service first and does not start the job during
maintenance, nor when a maintenance announced on the status page starts
within --window-margin; such a run exits --maintenance-exit silently.

--state FILE (env DOWNFOR_STATE) remembers the last run, so that an outage
alerts once: the first failure of an incident is replayed with its line as
above; the failures after it (until the job next succeeds) print nothing
and still exit with the job's code; the first success after them adds
"downfor: recovered: ..." on stderr. Failures during maintenance neither
open nor close an incident. The file is JSON, written atomically under a
lock (FILE.lock); a corrupt one is reported and replaced.

--quiet-success prints nothing when the job succeeds (as chronic does), so
that cron mails only failures; "recovered" is still said.

--timeout bounds the job: it is sent SIGTERM, then SIGKILL after
--kill-grace, and downfor exits 124 (like GNU timeout). The job runs in its
own process group; SIGINT, SIGTERM and SIGHUP sent to downfor are
forwarded to that group (so, like GNU timeout, a job that reads from the
terminal is stopped). A command that is not found exits 127, one that
cannot be executed 126.

Examples:
  downfor run --url https://api.example.com/ -- ./sync.sh --full
  downfor run --url https://api.example.com/ --maintenance-exit 75 --state /var/lib/sync/state.json -- ./sync.sh
  downfor run --url https://api.example.com/ --quiet-success -- ./sync.sh
  downfor run --url https://api.example.com/ --skip-before --status-page https://status.example.com --window-margin 15m -- ./backup.sh
`

// Exit codes of run besides the job's own.
const (
	exitTimedOut    = 124 // GNU timeout's
	exitCannotExec  = 126 // as shells report a command that cannot run
	exitNotFound    = 127 // as shells report a command that is not found
	defaultBuffer   = 1 << 20
	defaultGrace    = 10 * time.Second
	waitDelay       = 2 * time.Second        // after the job exits, how long its descendants may hold its output open
	signalSettle    = 100 * time.Millisecond // how long a cancelled ctx waits for the signal that cancelled it
	maxMaintenExit  = 255
	outputTagStdout = 1
	outputTagStderr = 2
)

func runCmd(ctx context.Context, args []string, env environment, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := newCommand("run", runUsage, stdout, stderr)
	var sf serviceFlags
	if err := sf.register(cmd.fs, env, "check-timeout"); err != nil {
		return cmd.fail(err)
	}
	var o runOptions
	cmd.fs.StringVar(&o.url, "url", env.URL, "`URL` of the service the job depends on (env DOWNFOR_URL)")
	cmd.fs.IntVar(&o.maintenanceExit, "maintenance-exit", 0, "exit `CODE` when the job failed (or was skipped) because of maintenance, such as 75 (EX_TEMPFAIL)")
	cmd.fs.BoolVar(&o.skipBefore, "skip-before", false, "check the service first; do not start the job during maintenance")
	cmd.fs.DurationVar(&o.windowMargin, "window-margin", 0, "with --skip-before, also skip when a status-page maintenance starts within this long")
	cmd.fs.StringVar(&o.statePath, "state", env.State, "remember the last run in this JSON `FILE`, to alert once per incident (env DOWNFOR_STATE)")
	cmd.fs.DurationVar(&o.timeout, "timeout", 0, "kill the job after this long and exit 124 (0: no limit)")
	cmd.fs.DurationVar(&o.grace, "kill-grace", defaultGrace, "after SIGTERM, how long the job has before SIGKILL")
	cmd.fs.StringVar(&o.ping, "ping", env.PingURL, "healthchecks.io-style ping `URL`: URL/start when the job starts, URL on success (and during maintenance), URL/EXIT on failure, with the output's tail (env DOWNFOR_PING_URL)")
	cmd.fs.StringVar(&o.textfile, "textfile", "", "after each run, write its metrics (Prometheus text format) to `PATH.prom`, atomically, for node_exporter's textfile collector; job_name is the file's name")
	cmd.fs.BoolVar(&o.quietSuccess, "quiet-success", false, "print nothing when the job succeeds, like chronic: its output shows only when it failed (cron mails any output)")
	buffer := cmd.fs.String("buffer", "1MiB", "`SIZE` of output kept in memory before spilling to a temporary file (bytes, or with KiB, MiB, GiB)")
	pos, code, done := cmd.parse(args, false)
	if done {
		return code
	}
	var err error
	if o.buffer, err = parseSize(*buffer); err != nil {
		return cmd.fail(err)
	}
	if o.url == "" {
		return cmd.fail(usagef("missing --url URL (or DOWNFOR_URL): the service the job depends on"))
	}
	if len(pos) == 0 || pos[0] == "" {
		return cmd.fail(usagef("missing the command to run: downfor run --url URL -- COMMAND [ARG...]"))
	}
	if o.maintenanceExit < 0 || o.maintenanceExit > maxMaintenExit {
		return cmd.fail(usagef("--maintenance-exit %d: want 0 to 255", o.maintenanceExit))
	}
	if o.timeout < 0 || o.grace < 0 || o.windowMargin < 0 {
		return cmd.fail(usagef("--timeout, --kill-grace and --window-margin cannot be negative"))
	}
	target, c, err := serviceTarget(&sf, []string{o.url}, env)
	if err != nil {
		return cmd.fail(err)
	}
	defer c.close()
	sf.tls.warn(stderr)
	o.argv = pos
	o.tempDir = env.TempDir
	r := &jobRun{runOptions: o, target: target.String(), checker: c, stdin: stdin, stdout: stdout, stderr: stderr}
	if r.integrations, err = newIntegrations(o); err != nil { // --ping, --textfile (integrations.go)
		return cmd.fail(err)
	}
	r.integrations.begin(ctx, stderr)
	code = r.run(ctx)
	r.integrations.end(ctx, r, code)
	return code
}

// runOptions are run's settings, from its flags.
type runOptions struct {
	url             string
	argv            []string
	maintenanceExit int
	skipBefore      bool
	windowMargin    time.Duration
	statePath       string
	timeout, grace  time.Duration
	buffer          int
	tempDir         string
	quietSuccess    bool   // --quiet-success: no replay when the job succeeds
	ping            string // --ping URL (ping.go)
	textfile        string // --textfile PATH.prom (textfile.go)
}

// jobRun is one "downfor run".
type jobRun struct {
	runOptions
	target  string
	checker *checker
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer

	// What the run ended as, for --ping and --textfile: the state it
	// recorded, the job's result and output.
	integrations *integrations
	final        runState
	job          jobResult
}

func (r *jobRun) run(ctx context.Context) int {
	if r.skipBefore {
		r.checker.always = r.windowMargin > 0
		v, err := r.checker.check(ctx)
		r.checker.always = false
		if err != nil {
			fmt.Fprintf(r.stderr, "downfor run: %v\n", err)
			return exitInterrupted
		}
		if skip, _ := skipReason(v, time.Now(), r.windowMargin); skip {
			r.record(func(st *runState) { st.LastOutcome, st.LastExit, st.Verdict = "skipped", r.maintenanceExit, &v })
			return r.maintenanceExit
		}
	}

	out := newOutputLog(r.buffer, r.tempDir)
	defer out.close()
	res := runJob(ctx, r.argv, r.stdin, out, r.timeout, r.grace)
	r.job = res                       // for --ping and --textfile
	defer r.integrations.capture(out) // before out.close: deferred calls run last first
	if res.err != nil {
		fmt.Fprintf(r.stderr, "downfor run: %v\n", res.err)
		return res.code
	}
	if res.code == 0 {
		if !r.quietSuccess {
			r.replay(out)
		}
		r.record(func(st *runState) {
			if inc := st.Incident; inc != nil {
				fmt.Fprintf(r.stderr, "downfor: recovered: the job succeeded after %d failed run%s since %s\n",
					inc.Failures, plural(inc.Failures), inc.Since.Local().Format(time.RFC3339))
			}
			st.LastOutcome, st.LastExit, st.Verdict, st.Incident = "ok", 0, nil, nil
		})
		return 0
	}
	if res.interrupted {
		r.replay(out)
		fmt.Fprintf(r.stderr, "downfor: %s; interrupted, the service was not checked\n", res.describe())
		return res.code
	}

	v, err := r.checker.check(ctx)
	if err != nil {
		r.replay(out)
		fmt.Fprintf(r.stderr, "downfor: %s; interrupted while checking the service (%v)\n", res.describe(), err)
		return res.code
	}
	if v.Class == classify.Maintenance {
		r.record(func(st *runState) { st.LastOutcome, st.LastExit, st.Verdict = "maintenance", r.maintenanceExit, &v })
		return r.maintenanceExit
	}
	alert := true
	r.record(func(st *runState) {
		if st.Incident != nil {
			alert = false
			st.Incident.Failures++
		} else {
			st.Incident = &incident{Since: time.Now(), Class: v.Class, Failures: 1}
		}
		st.LastOutcome, st.LastExit, st.Verdict = "failed", res.code, &v
	})
	if alert {
		r.replay(out)
		fmt.Fprintf(r.stderr, "downfor: %s; service %s\n", res.describe(), serviceSummary(r.target, v, time.Now()))
	}
	return res.code
}

// record updates the state file, when there is one. A failure to do so is
// reported and changes nothing else.
func (r *jobRun) record(change func(st *runState)) {
	if r.statePath == "" {
		change(&r.final)
		return
	}
	err := updateState(r.statePath, r.stderr, func(st *runState) {
		change(st)
		st.URL, st.LastRun = r.target, time.Now()
		r.final = *st
	})
	if err != nil {
		fmt.Fprintf(r.stderr, "downfor: cannot update the state file: %v\n", err)
	}
}

func (r *jobRun) replay(out *outputLog) {
	if err := out.replay(r.stdout, r.stderr); err != nil {
		fmt.Fprintf(r.stderr, "downfor: the job's output is incomplete: %v\n", err)
	}
}

// skipReason reports whether --skip-before should not start the job: the
// service is in maintenance, or a maintenance announced by an out-of-band
// source starts within margin.
func skipReason(v classify.Verdict, now time.Time, margin time.Duration) (bool, string) {
	if v.Class == classify.Maintenance {
		return true, "maintenance"
	}
	if margin <= 0 {
		return false, ""
	}
	for _, e := range v.Evidence {
		if e.Signal == classify.SignalUpcomingMaintenance && !e.Start.IsZero() && e.Start.Sub(now) <= margin && (e.Until.IsZero() || e.Until.After(now)) {
			return true, "maintenance starts " + e.Start.UTC().Format(time.RFC3339)
		}
	}
	return false, ""
}

// serviceSummary is "URL is malfunction: status 500", for run's line.
func serviceSummary(target string, v classify.Verdict, now time.Time) string {
	s := target + " is " + classLabel(v, false)
	e, ok := v.Strongest()
	if ok {
		s += ": " + evidencePhrase(e)
	}
	if w := waitPhrase(v, now); w != "" {
		s += ", " + w
	}
	if v.Message != "" && v.Message != e.Value {
		s += " " + strconv.Quote(v.Message)
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// parseSize reads a size such as 1048576, 64KiB or 1MiB (K, KB, KiB all
// mean 1024 bytes).
func parseSize(s string) (int, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	n, err := strconv.ParseInt(num, 10, 64)
	var mult int64
	switch unit {
	case "", "b":
		mult = 1
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	}
	if err != nil || n < 0 || mult == 0 || n > (1<<40)/mult {
		return 0, usagef("--buffer %q: want a size such as 65536, 64KiB or 1MiB", s)
	}
	return int(n * mult), nil
}

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

// runJob runs argv with stdin passed through and its output recorded in
// out, and waits for it. The job gets its own process group. Signals that
// downfor receives (SIGINT, SIGTERM, SIGHUP) are forwarded to that group;
// when ctx ends without one (main's signal.NotifyContext also cancels ctx
// on SIGINT and SIGTERM), the group gets SIGTERM. After timeout (if
// positive) the group gets SIGTERM too. Either way, SIGKILL follows grace
// later if the job has not exited.
func runJob(ctx context.Context, argv []string, stdin io.Reader, out *outputLog, timeout, grace time.Duration) jobResult {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdin = stdin
	cmd.Stdout = out.writer(outputTagStdout)
	cmd.Stderr = out.writer(outputTagStderr)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.WaitDelay = waitDelay

	signals := make(chan os.Signal, 4)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(signals)

	if err := cmd.Start(); err != nil {
		return startFailure(argv[0], err)
	}
	pgid := cmd.Process.Pid
	send := func(s syscall.Signal) { _ = syscall.Kill(-pgid, s) }
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()

	res := jobResult{timeout: timeout}
	var timeoutC, killC <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(timeout)
		defer t.Stop()
		timeoutC = t.C
	}
	var killTimer *time.Timer
	defer func() {
		if killTimer != nil {
			killTimer.Stop()
		}
	}()
	startKill := func() {
		if killTimer == nil {
			killTimer = time.NewTimer(grace)
			killC = killTimer.C
		}
	}
	done := ctx.Done()
	for {
		select {
		case <-exited:
			res.fill(cmd.ProcessState)
			return res
		case s := <-signals:
			sig := s.(syscall.Signal)
			send(sig)
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
					send(s.(syscall.Signal))
				case <-time.After(signalSettle):
					send(syscall.SIGTERM)
				case <-exited:
					res.interrupted = true
					res.fill(cmd.ProcessState)
					return res
				}
			}
			res.interrupted = true
			startKill()
		case <-timeoutC:
			timeoutC = nil
			res.timedOut = true
			send(syscall.SIGTERM)
			startKill()
		case <-killC:
			killC = nil
			send(syscall.SIGKILL)
		}
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

// outputLog records a job's stdout and stderr in the order they arrive, as
// records (a tag byte, a 4-byte length, the bytes), in memory up to limit
// bytes and past that in a temporary file that is deleted as soon as it is
// created, so that nothing is left behind whatever happens to downfor. Its
// writers never fail: the job must not get SIGPIPE because of downfor; a
// storage error is reported when the output is replayed.
type outputLog struct {
	mu    sync.Mutex
	limit int
	dir   string
	mem   []byte
	file  *os.File
	err   error // the first storage error; later output is dropped
	peak  int   // the largest capacity mem ever had
}

func newOutputLog(limit int, dir string) *outputLog {
	return &outputLog{limit: limit, dir: dir}
}

type outputWriter struct {
	log *outputLog
	tag byte
}

func (w outputWriter) Write(p []byte) (int, error) {
	w.log.add(w.tag, p)
	return len(p), nil
}

func (l *outputLog) writer(tag byte) io.Writer { return outputWriter{log: l, tag: tag} }

const recordHeader = 5

func (l *outputLog) add(tag byte, p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil || len(p) == 0 {
		return
	}
	var hdr [recordHeader]byte
	hdr[0] = tag
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(p)))
	need := len(l.mem) + recordHeader + len(p)
	if l.file == nil && need <= l.limit {
		if need > cap(l.mem) {
			grown := make([]byte, len(l.mem), min(max(2*cap(l.mem), need, 4096), l.limit))
			copy(grown, l.mem)
			l.mem = grown
			l.peak = max(l.peak, cap(l.mem))
		}
		l.mem = append(append(l.mem, hdr[:]...), p...)
		return
	}
	if l.file == nil {
		f, err := os.CreateTemp(l.dir, "downfor-run-*")
		if err != nil {
			l.err = err
			return
		}
		os.Remove(f.Name())
		l.file = f
		if _, err := f.Write(l.mem); err != nil {
			l.err = err
			return
		}
		l.mem = nil
	}
	if _, err := l.file.Write(hdr[:]); err != nil {
		l.err = err
		return
	}
	if _, err := l.file.Write(p); err != nil {
		l.err = err
	}
}

// replay writes the recorded output again, each record to its stream, in
// order. It can be called again.
func (l *outputLog) replay(stdout, stderr io.Writer) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var src io.Reader
	if l.file != nil {
		if _, err := l.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		src = bufio.NewReaderSize(l.file, 64<<10)
	} else {
		src = bytes.NewReader(l.mem)
	}
	var hdr [recordHeader]byte
	for {
		if _, err := io.ReadFull(src, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		w := stdout
		if hdr[0] == outputTagStderr {
			w = stderr
		}
		if _, err := io.CopyN(w, src, int64(binary.BigEndian.Uint32(hdr[1:]))); err != nil {
			return err
		}
	}
	if l.file != nil {
		_, _ = l.file.Seek(0, io.SeekEnd)
	}
	return l.err
}

// close releases the temporary file, if there is one.
func (l *outputLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		l.file.Close()
		l.file = nil
	}
	l.mem = nil
}
