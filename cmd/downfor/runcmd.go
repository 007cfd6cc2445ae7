package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
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

If the temporary file cannot be written (a read-only root file system, a
full disk), the head and the tail of the output are kept, and a line says
how much was cut between them and why.

--passthrough lets the output go out as it comes instead (systemd,
Kubernetes: journalctl -f, kubectl logs -f); downfor then decides only the
exit code and adds its one line, during maintenance too.

--skip-before checks the service first and does not start the job during
maintenance, nor when a maintenance announced on the status page starts
within --window-margin; such a run exits --maintenance-exit silently.

--state FILE (env DOWNFOR_STATE) remembers each job (its URL and
command line; several jobs may share one file), so that an outage alerts
once: the first failure of an incident is replayed with its line as above;
the failures after it (until the job next succeeds) print nothing and still
exit with the job's code; the first success after them adds "downfor:
recovered: ..." on stderr. Failures during maintenance neither open nor
close an incident, but a maintenance that lasts --alert-after (12h) alerts
once anyway, saying how long it has lasted. The file is JSON, written
atomically under a lock (FILE.lock); a corrupt one is reported and
replaced. A failure is kept quiet only once the file was written: on any
error with it (a file that is not a regular file of this user's, a lock
held past --lock-wait) the output is replayed and the line written.

--quiet-success prints nothing when the job succeeds (as chronic does), so
that cron mails only failures; "recovered" is still said.

--ping URL (env DOWNFOR_PING_URL) tells a healthchecks.io-style service
about each run: URL/start when it starts, URL when it succeeds, URL/EXIT
when it fails, with the tail of its output; during maintenance the check
stays green (the body says why) until the maintenance has lasted
--alert-after. --textfile PATH.prom writes the run's metrics for
node_exporter's textfile collector. Neither changes the exit code; a
failure to ping or write is said on stderr.

--timeout bounds the job: it is sent SIGTERM, then SIGKILL after
--kill-grace, and downfor exits 124 (like GNU timeout). The job runs in its
own process group; SIGINT, SIGTERM and SIGHUP sent to downfor are
forwarded to that group (so, like GNU timeout, a job that reads from the
terminal is stopped). With --timeout, nothing the job started outlives it:
when its main process exits, the rest of its group gets SIGTERM, then
SIGKILL; on Linux downfor is a child subreaper, so descendants that left
the group (setsid) are ended too. A command that is not found exits 127,
one that cannot be executed 126. The job does not inherit DOWNFOR_TOKEN
or DOWNFOR_PING_URL, nor a DOWNFOR_URL that holds credentials; URL credentials and credential
headers never appear in downfor's own lines or state.

Examples:
  downfor run --url https://api.example.com/ -- ./sync.sh --full
  downfor run --url https://api.example.com/ --maintenance-exit 75 --state /var/lib/sync/state.json -- ./sync.sh
  downfor run --url https://api.example.com/ --quiet-success -- ./sync.sh
  downfor run --url https://api.example.com/ --ping https://hc-ping.com/UUID --state /var/tmp/sync.json -- ./sync.sh
  downfor run --url https://api.example.com/ --textfile /var/lib/node_exporter/textfile/sync.prom -- ./sync.sh
  downfor run --url https://api.example.com/ --passthrough --maintenance-exit 75 -- ./sync.sh
  downfor run --url https://api.example.com/ --skip-before --status-page https://status.example.com --window-margin 15m -- ./backup.sh
`

// Exit codes of run besides the job's own, and its defaults.
const (
	exitTimedOut      = 124 // GNU timeout's
	exitCannotExec    = 126 // as shells report a command that cannot run
	exitNotFound      = 127 // as shells report a command that is not found
	defaultGrace      = 10 * time.Second
	defaultAlertAfter = 12 * time.Hour
	waitDelay         = 2 * time.Second        // after the job exits, how long its descendants may hold its output open
	signalSettle      = 100 * time.Millisecond // how long a cancelled ctx waits for the signal that cancelled it
	sweepPoll         = 20 * time.Millisecond  // how often what is left of a job is looked at while it is being ended
	sweepRounds       = 50                     // SIGKILL rounds before downfor gives up on what is left (1 s)
	maxMaintenExit    = 255
	outputTagStdout   = 1
	outputTagStderr   = 2
)

func runCmd(ctx context.Context, args []string, env environment, proc process, stdin io.Reader, stdout, stderr io.Writer) int {
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
	cmd.fs.StringVar(&o.statePath, "state", env.State, "remember the last run in this JSON `FILE`, to alert once per incident (env DOWNFOR_STATE); jobs may share one file")
	cmd.fs.DurationVar(&o.alertAfter, "alert-after", defaultAlertAfter, "with --state, alert once anyway when the job has failed (or been skipped) in maintenance for this long (0: never)")
	cmd.fs.DurationVar(&o.lockWait, "lock-wait", defaultLockWait, "how long to wait for another run's lock on the --state file before alerting")
	cmd.fs.DurationVar(&o.timeout, "timeout", 0, "kill the job, and every process it started, after this long and exit 124 (0: no limit)")
	cmd.fs.DurationVar(&o.grace, "kill-grace", defaultGrace, "after SIGTERM, how long the job has before SIGKILL")
	cmd.fs.StringVar(&o.ping, "ping", env.PingURL, "healthchecks.io-style ping `URL`: URL/start when the job starts, URL on success (and during maintenance), URL/EXIT on failure, with the output's tail (env DOWNFOR_PING_URL)")
	cmd.fs.StringVar(&o.textfile, "textfile", "", "after each run, write its metrics (Prometheus text format) to `PATH.prom`, atomically, for node_exporter's textfile collector; job_name is the file's name")
	cmd.fs.BoolVar(&o.quietSuccess, "quiet-success", false, "print nothing when the job succeeds, like chronic: its output shows only when it failed (cron mails any output)")
	cmd.fs.BoolVar(&o.passthrough, "passthrough", false, "let the job's output go out as it comes (for systemd, Kubernetes: journalctl -f, kubectl logs -f); downfor decides only the exit code and adds its one line")
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
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"--timeout", o.timeout}, {"--kill-grace", o.grace}, {"--window-margin", o.windowMargin}, {"--alert-after", o.alertAfter}, {"--lock-wait", o.lockWait}} {
		if d.v < 0 {
			return cmd.fail(usagef("%s %s: cannot be negative", d.name, d.v))
		}
	}
	set := cmd.setFlags()
	if set["window-margin"] && !o.skipBefore {
		return cmd.fail(usagef("--window-margin needs --skip-before: it says how early before a maintenance not to start the job"))
	}
	if set["alert-after"] && o.statePath == "" {
		return cmd.fail(usagef("--alert-after needs --state FILE (or DOWNFOR_STATE): it remembers when the maintenance began"))
	}
	sf.always = o.skipBefore && o.windowMargin > 0
	if o.quietSuccess && o.passthrough {
		return cmd.fail(usagef("--quiet-success cannot hide what --passthrough lets out as it comes; choose one"))
	}
	svc, err := newService(&sf, "--url", []string{o.url}, env)
	if err != nil {
		return cmd.fail(err)
	}
	defer svc.checker.close()
	o.argv = pos
	o.tempDir = env.TempDir
	o.env = jobEnviron(proc.environ())
	o.subreaper = proc.subreaper
	r := &jobRun{
		runOptions: o, target: svc.shown, key: jobKey(svc.shown, pos), checker: svc.checker,
		stdin: stdin, stdout: stdout, red: svc.red,
	}
	// downfor's lines, the replay and the integrations' warnings (the
	// start ping reports from its own goroutine) take turns on stderr.
	errw := &syncWriter{w: stderr}
	r.jobStderr, r.stderr = errw, svc.red.Writer(errw)
	if f, ok := stderr.(*os.File); ok && o.passthrough {
		// The job writes to the file itself, live; the kernel orders
		// the writes.
		r.jobStderr = f
	}
	sf.tls.warn(r.stderr)
	if r.integrations, err = newIntegrations(o); err != nil { // --ping, --textfile (integrations.go)
		return cmd.fail(err)
	}
	r.integrations.begin(ctx, r.stderr)
	code = r.run(ctx)
	r.integrations.end(ctx, r, code)
	return code
}

// runOptions are run's settings, from its flags.
type runOptions struct {
	url             string
	argv            []string
	env             []string
	maintenanceExit int
	skipBefore      bool
	windowMargin    time.Duration
	statePath       string
	alertAfter      time.Duration
	lockWait        time.Duration
	timeout, grace  time.Duration
	buffer          int
	tempDir         string
	subreaper       bool
	passthrough     bool
	quietSuccess    bool   // --quiet-success: no replay when the job succeeds
	ping            string // --ping URL (ping.go)
	textfile        string // --textfile PATH.prom (textfile.go)
}

// jobRun is one "downfor run".
type jobRun struct {
	runOptions
	target    string // the service's URL, redacted
	key       string // the job's key in the state file
	checker   *checker
	stdin     io.Reader
	stdout    io.Writer // the job's stdout, replayed as it was
	jobStderr io.Writer // the job's stderr, replayed as it was
	stderr    io.Writer // downfor's lines, redacted
	red       redactor

	// What the run ended as, for --ping and --textfile (integrations.go):
	// the job's state after the run's bookkeeping, the service's verdict
	// when it was checked, and the job's result.
	integrations *integrations
	final        jobState
	verdict      *classify.Verdict
	job          jobResult
}

func (r *jobRun) run(ctx context.Context) int {
	if r.skipBefore {
		v, err := r.checker.check(ctx)
		if err != nil {
			fmt.Fprintf(r.stderr, "downfor run: %v\n", err)
			return exitInterrupted
		}
		// A misspelt --component is a mistake to hear of, even in a
		// quiet run.
		warnComponents(r.stderr, v)
		if skip, why := skipReason(v, time.Now(), r.windowMargin); skip {
			return r.settle(ctx, outcomeSkipped, v, jobResult{}, nil, why)
		}
	}

	spec := jobSpec{argv: r.argv, env: r.env, stdin: r.stdin, timeout: r.timeout, grace: r.grace, subreaper: r.subreaper}
	var out *outputLog // nil: the output went out live
	if r.passthrough {
		spec.stdout, spec.stderr = r.stdout, r.jobStderr
	} else {
		out = newOutputLog(r.buffer, r.tempDir)
		defer out.close()
		spec.stdout, spec.stderr = out.writer(outputTagStdout), out.writer(outputTagStderr)
	}
	res := runJob(ctx, spec)
	r.job = res // for --ping and --textfile
	if out != nil {
		defer r.integrations.capture(out) // before out.close: deferred calls run last first
	}
	if res.err != nil {
		fmt.Fprintf(r.stderr, "downfor run: %v\n", res.err)
		return res.code
	}
	if res.code == 0 {
		return r.settle(ctx, outcomeOK, classify.Verdict{}, res, out, "")
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
	if !r.skipBefore {
		warnComponents(r.stderr, v)
	}
	return r.settle(ctx, outcomeFailed, v, res, out, "")
}

// settle keeps the books of one run (bookkeep, in the state file if there
// is one) and acts on the ruling. A run is kept quiet only when the state
// that justifies it was read and written: on any state error, a failure
// (or a skip) alerts.
func (r *jobRun) settle(ctx context.Context, o outcome, v classify.Verdict, res jobResult, out *outputLog, why string) int {
	now := time.Now()
	exit := res.code
	if o == outcomeSkipped {
		exit = r.maintenanceExit
	}
	var rul ruling
	var stateErr error
	if o != outcomeOK {
		r.verdict = &v
	}
	if r.statePath == "" {
		r.final, rul = bookkeep(jobState{}, o, v.Class, now, 0)
	} else {
		stateErr = updateState(ctx, r.statePath, r.key, r.lockWait, r.stderr, func(st *jobState) {
			*st, rul = bookkeep(*st, o, v.Class, now, r.alertAfter)
			st.URL, st.Command, st.LastExit = r.target, commandName(r.argv), exit
			r.final = *st
		})
	}
	if stateErr != nil {
		fmt.Fprintf(r.stderr, "downfor: cannot update the state file: %v\n", stateErr)
		if o != outcomeOK {
			// Nothing may be kept quiet without its state: alert.
			rul = ruling{act: actAlert}
		} else {
			rul = ruling{act: actPass}
		}
	}

	switch rul.act {
	case actPass:
		if !r.quietSuccess {
			r.replay(out)
		}
		if inc := rul.recovered; inc != nil {
			fmt.Fprintf(r.stderr, "downfor: recovered: the job succeeded after %d failed run%s since %s\n",
				inc.Failures, plural(inc.Failures), inc.Since.Local().Format(time.RFC3339))
		}
		return 0
	case actQuiet:
		if r.passthrough {
			// The output went out already: say why the exit code.
			what := res.describe()
			if o == outcomeSkipped {
				what = "job not started (" + why + ")"
			}
			fmt.Fprintf(r.stderr, "downfor: %s during maintenance; service %s; exit %d\n", what, serviceSummary(r.target, v, now), r.maintenanceExit)
		}
		return r.maintenanceExit
	case actRepeat:
		if r.passthrough {
			fmt.Fprintf(r.stderr, "downfor: %s; service %s (an incident open since %s)\n", res.describe(), serviceSummary(r.target, v, now), rul.since.Local().Format(time.RFC3339))
		}
		return exit
	case actOverdue:
		m := rul.maintenance
		long := fmt.Sprintf("in maintenance for %s (since %s, %d run%s; --alert-after %s); this alerts once, later runs stay quiet until it ends",
			roundDuration(now.Sub(m.Since)), m.Since.Local().Format(time.RFC3339), m.Runs, plural(m.Runs), r.alertAfter)
		if o == outcomeSkipped {
			fmt.Fprintf(r.stderr, "downfor: job not started (%s); service %s has been %s\n", why, r.target, long)
			return exitUnavailable
		}
		r.replay(out)
		fmt.Fprintf(r.stderr, "downfor: %s; service %s has been %s\n", res.describe(), r.target, long)
		return exit
	}
	// actAlert
	if o == outcomeSkipped {
		fmt.Fprintf(r.stderr, "downfor: job not started (%s); service %s\n", why, serviceSummary(r.target, v, now))
		return exitSoftware
	}
	r.replay(out)
	fmt.Fprintf(r.stderr, "downfor: %s; service %s\n", res.describe(), serviceSummary(r.target, v, now))
	return exit
}

// commandName is the name of the job's command, without its arguments.
func commandName(argv []string) string {
	if len(argv) == 0 {
		return ""
	}
	return argv[0]
}

func (r *jobRun) replay(out *outputLog) {
	if out == nil {
		return
	}
	if err := out.replay(r.stdout, r.jobStderr); err != nil {
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

// syncWriter serializes writes to w.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
