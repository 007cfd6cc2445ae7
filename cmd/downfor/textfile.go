package main

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/downfor/downfor/classify"
)

// "run --textfile PATH.prom" writes the metrics of the job's last run in
// the Prometheus text format, for node_exporter's textfile collector
// (which reads the *.prom files of its --collector.textfile.directory).
// The file is replaced atomically, so the collector never reads half of
// it. Names follow Prometheus' conventions: a downfor_job_ prefix, base
// units (seconds), _timestamp_seconds for Unix times; every metric is a
// gauge. The series carry a job_name label (as kube-state-metrics' job
// metrics do: a "job" label would clash with the scrape target's own and
// be renamed exported_job), the file's name without ".prom".
const (
	textfileExt = ".prom"
	// textfileReadLimit bounds what is read of the previous file.
	textfileReadLimit = 1 << 20
	// textfileMode lets the collector, often another user, read the file.
	textfileMode = 0o644
)

// Metric names.
const (
	metricLastRun          = "downfor_job_last_run_timestamp_seconds"
	metricLastSuccess      = "downfor_job_last_success_timestamp_seconds"
	metricExitCode         = "downfor_job_exit_code"
	metricDuration         = "downfor_job_duration_seconds"
	metricOutcome          = "downfor_job_last_outcome"
	metricServiceClass     = "downfor_job_service_class"
	metricIncidentOpen     = "downfor_job_incident_open"
	metricMaintenanceSince = "downfor_job_maintenance_since_timestamp_seconds"
)

// outcomes are the values of downfor_job_last_outcome's outcome label.
var outcomes = []string{"ok", "failed", "maintenance", "skipped", "error"}

// jobMetrics is what one run reports in the textfile.
type jobMetrics struct {
	job      string
	finished time.Time
	duration time.Duration
	exitCode int
	// outcome is "ok", "failed", "maintenance", "skipped", or "error"
	// (the job did not start, or downfor was interrupted).
	outcome string
	// lastSuccess is when the job last succeeded, zero if never.
	lastSuccess time.Time
	// failureClass is the service's class at the last failure that was
	// checked; hasFailure is false until there was one.
	failureClass classify.Class
	hasFailure   bool
	incidentOpen bool
	// maintenanceSince is when the ongoing maintenance began, zero when
	// the service is not in maintenance.
	maintenanceSince time.Time
}

// previousMetrics is what the last file said, for the values a run
// carries over: the last success, the class at the last failure, when the
// maintenance began.
type previousMetrics struct {
	lastSuccess      time.Time
	failureClass     classify.Class
	hasFailure       bool
	maintenanceSince time.Time
}

// textfileJob is the job_name of a textfile: its name without ".prom".
func textfileJob(path string) string {
	return strings.TrimSuffix(filepath.Base(path), textfileExt)
}

// checkTextfile checks --textfile's PATH before the job runs.
func checkTextfile(path string) error {
	if path == "" {
		return nil
	}
	if !strings.HasSuffix(path, textfileExt) || textfileJob(path) == "" {
		return usagef("--textfile %s: the name must end in .prom, as node_exporter's textfile collector reads only those", path)
	}
	fi, err := os.Stat(filepath.Dir(path))
	if err != nil || !fi.IsDir() {
		return usagef("--textfile %s: no such directory", path)
	}
	return nil
}

// nextMetrics computes this run's metrics from how it ended and what the
// previous file said.
func nextMetrics(job string, now time.Time, took time.Duration, code int, e runEnd, prev previousMetrics) jobMetrics {
	m := jobMetrics{
		job: job, finished: now, duration: took, exitCode: code, outcome: e.outcome,
		lastSuccess: prev.lastSuccess, failureClass: prev.failureClass, hasFailure: prev.hasFailure,
		incidentOpen: e.incidentOpen,
	}
	switch e.outcome {
	case "ok":
		m.lastSuccess = now
	case "failed":
		if e.verdict != nil {
			m.failureClass, m.hasFailure = e.verdict.Class, true
		}
	case "maintenance", "skipped":
		// The run's own bookkeeping knows best; else the previous file.
		m.maintenanceSince = cmp.Or(e.maintenanceSince, prev.maintenanceSince, now)
		if e.outcome == "maintenance" {
			m.failureClass, m.hasFailure = classify.Maintenance, true
		}
	default:
		m.outcome = "error"
	}
	return m
}

// writeTextfile writes m to path atomically: a temporary file in the same
// directory (not ending in .prom, so the collector skips it), synced, then
// renamed over path.
func writeTextfile(path string, m jobMetrics) error {
	var b bytes.Buffer
	formatMetrics(&b, m)
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	_, err = tmp.Write(b.Bytes())
	if err == nil {
		err = tmp.Chmod(textfileMode)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// formatMetrics writes m in the Prometheus text format.
func formatMetrics(w io.Writer, m jobMetrics) {
	job := `job_name="` + escapeLabel(m.job) + `"`
	gauge := func(name, help string) {
		fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name)
	}
	sample := func(name, labels string, v float64) {
		fmt.Fprintf(w, "%s{%s} %s\n", name, labels, strconv.FormatFloat(v, 'f', -1, 64))
	}
	gauge(metricLastRun, "When the job's last run ended, as a Unix time.")
	sample(metricLastRun, job, unixSeconds(m.finished))
	gauge(metricLastSuccess, "When the job last succeeded, as a Unix time; 0 if it never did.")
	sample(metricLastSuccess, job, unixSeconds(m.lastSuccess))
	gauge(metricExitCode, "Exit code of the last run of downfor run: the job's, or the one chosen during maintenance.")
	sample(metricExitCode, job, float64(m.exitCode))
	gauge(metricDuration, "How long the last run took, in seconds.")
	sample(metricDuration, job, m.duration.Seconds())
	gauge(metricOutcome, "How the last run ended: 1 for its outcome, 0 for the others (error: the job did not start, or downfor was interrupted).")
	for _, o := range outcomes {
		sample(metricOutcome, job+`,outcome="`+o+`"`, b2f(o == m.outcome))
	}
	gauge(metricServiceClass, "The service's class when the job last failed: 1 for that class, 0 for the others (all 0 before any failure).")
	for _, c := range classify.Classes() {
		sample(metricServiceClass, job+`,class="`+c.String()+`"`, b2f(m.hasFailure && c == m.failureClass))
	}
	gauge(metricIncidentOpen, "1 while an incident is open: the job failed, not because of maintenance, and has not succeeded since.")
	sample(metricIncidentOpen, job, b2f(m.incidentOpen))
	gauge(metricMaintenanceSince, "When the maintenance that keeps the job from running began, as a Unix time; 0 when there is none.")
	sample(metricMaintenanceSince, job, unixSeconds(m.maintenanceSince))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// unixSeconds is t as Unix seconds, to the millisecond; 0 for the zero time.
func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixMilli()) / 1000
}

// escapeLabel escapes a label value as the text format wants: backslash,
// double quote and line feed.
func escapeLabel(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s)
}

// readPreviousMetrics reads what the last file said about job. A missing
// file says nothing; so does a line it cannot read (the file is rewritten
// whole anyway). Anything but a regular file is an error.
func readPreviousMetrics(path, job string) (previousMetrics, error) {
	f, err := openRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return previousMetrics{}, nil
	}
	if err != nil {
		return previousMetrics{}, err
	}
	defer f.Close()
	return parsePreviousMetrics(io.LimitReader(f, textfileReadLimit), job), nil
}

// parsePreviousMetrics reads the samples of job's series that a run
// carries over, from a file formatMetrics wrote. Anything else is skipped.
func parsePreviousMetrics(r io.Reader, job string) previousMetrics {
	var prev previousMetrics
	jobLabel := `job_name="` + escapeLabel(job) + `"`
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		open := strings.IndexByte(line, '{')
		end := strings.LastIndexByte(line, '}')
		if open <= 0 || end < open {
			continue
		}
		name, labels, rest := line[:open], line[open+1:end], strings.TrimSpace(line[end+1:])
		v, err := strconv.ParseFloat(rest, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 || v > 1e11 {
			continue
		}
		// formatMetrics writes the job label first and the other one last.
		if labels != jobLabel && !strings.HasPrefix(labels, jobLabel+",") {
			continue
		}
		switch name {
		case metricLastSuccess:
			prev.lastSuccess = fromUnixSeconds(v)
		case metricMaintenanceSince:
			prev.maintenanceSince = fromUnixSeconds(v)
		case metricServiceClass:
			if v != 1 {
				continue
			}
			for _, c := range classify.Classes() {
				if strings.HasSuffix(labels, `,class="`+c.String()+`"`) {
					prev.failureClass, prev.hasFailure = c, true
				}
			}
		}
	}
	return prev
}

func fromUnixSeconds(v float64) time.Time {
	if v <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(math.Round(v * 1000)))
}

// openRegular opens path for reading, and fails unless it is a regular
// file: a FIFO or a device planted there neither blocks the open
// (O_NONBLOCK) nor is read.
func openRegular(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = fmt.Errorf("%s: not a regular file", path)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
