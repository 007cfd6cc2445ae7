package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/testserver"
)

// parseTextfile parses a textfile with Prometheus' own text-format parser
// (the one node_exporter's textfile collector uses), with the classic,
// strict metric-name rules.
func parseTextfile(t *testing.T, b []byte) map[string]*dto.MetricFamily {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	families, err := p.TextToMetricFamilies(bytes.NewReader(b))
	require.NoError(t, err, "%s", b)
	return families
}

// gaugeValue is the value of name's series whose labels include want.
func gaugeValue(t *testing.T, families map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	t.Helper()
	mf, ok := families[name]
	require.True(t, ok, "no metric %s", name)
	require.Equal(t, dto.MetricType_GAUGE, mf.GetType(), name)
	require.NotEmpty(t, mf.GetHelp(), name)
	for _, m := range mf.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if match {
			return m.GetGauge().GetValue()
		}
	}
	t.Fatalf("no series of %s with %v", name, want)
	return 0
}

// End to end: runs of a job write the file, which Prometheus' parser
// reads, with values carried from one run to the next.
func TestRunTextfile(t *testing.T) {
	t.Parallel()
	broken := startServer(t, testserver.Config{Mode: "error-500"})
	maint := startServer(t, testserver.Config{Mode: "osf"})
	dir := t.TempDir()
	path := filepath.Join(dir, "nightly-sync.prom")
	read := func() map[string]*dto.MetricFamily {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		return parseTextfile(t, b)
	}
	value := func(f map[string]*dto.MetricFamily, name string, extra ...string) float64 {
		want := map[string]string{"job_name": "nightly-sync"}
		for i := 0; i+1 < len(extra); i += 2 {
			want[extra[i]] = extra[i+1]
		}
		return gaugeValue(t, f, name, want)
	}
	flags := []string{"--textfile", path}

	// 1. A failure: malfunction, an incident open, never succeeded.
	before := time.Now()
	code, _, _ := runJobFlags(t, broken.URL, flags, "exit 3")
	require.Equal(t, 3, code)
	f := read()
	assert.Len(t, f, 8)
	assert.Equal(t, float64(3), value(f, metricExitCode))
	assert.Equal(t, float64(1), value(f, metricOutcome, "outcome", "failed"))
	assert.Equal(t, float64(0), value(f, metricOutcome, "outcome", "ok"))
	assert.Equal(t, float64(1), value(f, metricServiceClass, "class", "malfunction"))
	assert.Equal(t, float64(0), value(f, metricServiceClass, "class", "maintenance"))
	assert.Equal(t, float64(1), value(f, metricIncidentOpen))
	assert.Equal(t, float64(0), value(f, metricLastSuccess))
	assert.Equal(t, float64(0), value(f, metricMaintenanceSince))
	lastRun := value(f, metricLastRun)
	assert.GreaterOrEqual(t, lastRun, float64(before.UnixMilli()/1000))
	assert.Greater(t, value(f, metricDuration), float64(0))
	assert.Len(t, f[metricServiceClass].GetMetric(), len(classify.Classes()))

	// 2. A success: last success now, the incident closed, the class at
	// the last failure kept.
	code, _, _ = runJobFlags(t, broken.URL, flags, "true")
	require.Equal(t, 0, code)
	f = read()
	success := value(f, metricLastSuccess)
	assert.GreaterOrEqual(t, success, lastRun)
	assert.Equal(t, float64(1), value(f, metricOutcome, "outcome", "ok"))
	assert.Equal(t, float64(0), value(f, metricIncidentOpen))
	assert.Equal(t, float64(1), value(f, metricServiceClass, "class", "malfunction"))

	// 3. Two failures during maintenance: since when, kept across runs;
	// the last success kept too.
	code, _, _ = runJobFlags(t, maint.URL, flags, "exit 4")
	require.Equal(t, 0, code)
	f = read()
	since := value(f, metricMaintenanceSince)
	assert.Greater(t, since, float64(0))
	assert.Equal(t, float64(1), value(f, metricOutcome, "outcome", "maintenance"))
	assert.Equal(t, float64(1), value(f, metricServiceClass, "class", "maintenance"))
	assert.Equal(t, success, value(f, metricLastSuccess))
	code, _, _ = runJobFlags(t, maint.URL, append(flags, "--skip-before"), "exit 4")
	require.Equal(t, 0, code)
	f = read()
	assert.Equal(t, since, value(f, metricMaintenanceSince))
	assert.Equal(t, float64(1), value(f, metricOutcome, "outcome", "skipped"))

	// 4. The job did not start.
	code, _, _ = runJobFlags(t, broken.URL, flags, "")
	require.Equal(t, exitNotFound, code)
	f = read()
	assert.Equal(t, float64(exitNotFound), value(f, metricExitCode))
	assert.Equal(t, float64(1), value(f, metricOutcome, "outcome", "error"))
	assert.Equal(t, float64(0), value(f, metricMaintenanceSince))

	// The file is readable by the collector's user, and nothing else is
	// left in the directory.
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(textfileMode), fi.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "nightly-sync.prom", entries[0].Name())
}

// runJobFlags runs "downfor run --url URL FLAGS -- sh -c SCRIPT", or a
// command that does not exist when script is empty.
func runJobFlags(t *testing.T, url string, flags []string, script string) (int, string, string) {
	t.Helper()
	if script == "" {
		return cli(t, append(append([]string{"run", "--url", url}, flags...), "--", "/nonexistent/job")...)
	}
	return job(t, url, flags, script)
}

func TestRunTextfileErrors(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	dir := t.TempDir()
	for name, tt := range map[string]struct{ path, want string }{
		"not .prom":  {filepath.Join(dir, "sync.txt"), "must end in .prom"},
		"only .prom": {filepath.Join(dir, ".prom"), "must end in .prom"},
		"no dir":     {filepath.Join(dir, "nope", "sync.prom"), "no such directory"},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := job(t, srv.URL, []string{"--textfile", tt.path}, "echo ran")
			assert.Equal(t, exitUsage, code)
			assert.Empty(t, out, "the job does not run")
			assert.Contains(t, errOut, tt.want)
		})
	}

	// A FIFO planted at the path neither blocks the run nor is replaced.
	fifo := filepath.Join(dir, "fifo.prom")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	code, out, errOut := job(t, srv.URL, []string{"--textfile", fifo}, "echo ran")
	assert.Equal(t, 0, code)
	assert.Equal(t, "ran\n", out)
	assert.Contains(t, errOut, "downfor: cannot write the textfile: "+fifo+": not a regular file")
	require.NoError(t, os.Remove(fifo))

	// A file that cannot be written is reported and changes nothing else.
	blocked := filepath.Join(dir, "blocked.prom")
	require.NoError(t, os.Mkdir(blocked, 0o755))
	code, out, errOut = job(t, srv.URL, []string{"--textfile", blocked}, "echo ran")
	assert.Equal(t, 0, code)
	assert.Equal(t, "ran\n", out)
	assert.Contains(t, errOut, "downfor: cannot write the textfile")
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")
}

// What formatMetrics writes, parsePreviousMetrics reads back, for the
// values a run carries over; and Prometheus' parser accepts it, escaped
// label values included.
func TestTextfileRoundTrip(t *testing.T) {
	now := time.Date(2030, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
	for _, name := range []string{"sync", `we"ird\name`, "a,b", "line\nbreak"} {
		t.Run(name, func(t *testing.T) {
			m := jobMetrics{
				job: name, finished: now, duration: 1500 * time.Millisecond, exitCode: 3, outcome: "failed",
				lastSuccess: now.Add(-time.Hour), failureClass: classify.Network, hasFailure: true, incidentOpen: true,
				maintenanceSince: now.Add(-2 * time.Hour),
			}
			var b bytes.Buffer
			formatMetrics(&b, m)
			f := parseTextfile(t, b.Bytes())
			assert.Equal(t, float64(1893553445.678), gaugeValue(t, f, metricLastRun, map[string]string{"job_name": name}))
			assert.Equal(t, 1.5, gaugeValue(t, f, metricDuration, map[string]string{"job_name": name}))
			assert.Equal(t, float64(1), gaugeValue(t, f, metricServiceClass, map[string]string{"job_name": name, "class": "network"}))
			assert.Contains(t, b.String(), "# TYPE downfor_job_exit_code gauge\n")

			prev := parsePreviousMetrics(bytes.NewReader(b.Bytes()), name)
			assert.True(t, prev.lastSuccess.Equal(m.lastSuccess), prev.lastSuccess)
			assert.True(t, prev.maintenanceSince.Equal(m.maintenanceSince))
			assert.Equal(t, classify.Network, prev.failureClass)
			assert.True(t, prev.hasFailure)

			other := parsePreviousMetrics(bytes.NewReader(b.Bytes()), name+"x")
			assert.Equal(t, previousMetrics{}, other, "another job's series are not read")
		})
	}
}

func TestNextMetrics(t *testing.T) {
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	earlier := now.Add(-time.Hour)
	prev := previousMetrics{lastSuccess: earlier, failureClass: classify.Malfunction, hasFailure: true, maintenanceSince: earlier}
	v := &classify.Verdict{Class: classify.Network}
	tests := []struct {
		name  string
		end   runEnd
		prev  previousMetrics
		check func(t *testing.T, m jobMetrics)
	}{
		{"ok", runEnd{outcome: "ok"}, prev, func(t *testing.T, m jobMetrics) {
			assert.Equal(t, now, m.lastSuccess)
			assert.Zero(t, m.maintenanceSince)
			assert.Equal(t, classify.Malfunction, m.failureClass)
		}},
		{"failed", runEnd{outcome: "failed", verdict: v, incidentOpen: true}, prev, func(t *testing.T, m jobMetrics) {
			assert.Equal(t, earlier, m.lastSuccess)
			assert.Equal(t, classify.Network, m.failureClass)
			assert.True(t, m.incidentOpen)
			assert.Zero(t, m.maintenanceSince)
		}},
		{"maintenance continues", runEnd{outcome: "maintenance"}, prev, func(t *testing.T, m jobMetrics) {
			assert.Equal(t, earlier, m.maintenanceSince)
			assert.Equal(t, classify.Maintenance, m.failureClass)
		}},
		{"maintenance known to the run", runEnd{outcome: "maintenance", maintenanceSince: earlier.Add(-time.Hour)}, prev, func(t *testing.T, m jobMetrics) {
			assert.Equal(t, earlier.Add(-time.Hour), m.maintenanceSince)
		}},
		{"maintenance begins", runEnd{outcome: "skipped"}, previousMetrics{}, func(t *testing.T, m jobMetrics) {
			assert.Equal(t, now, m.maintenanceSince)
			assert.False(t, m.hasFailure)
		}},
		{"error", runEnd{}, prev, func(t *testing.T, m jobMetrics) {
			assert.Equal(t, "error", m.outcome)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, nextMetrics("j", now, time.Second, 0, tt.end, tt.prev))
		})
	}
}

func FuzzParsePreviousMetrics(f *testing.F) {
	var b bytes.Buffer
	formatMetrics(&b, jobMetrics{job: "sync", finished: time.Unix(1893553445, 0), lastSuccess: time.Unix(1893550000, 0),
		failureClass: classify.Maintenance, hasFailure: true, maintenanceSince: time.Unix(1893540000, 0)})
	f.Add(b.String(), "sync")
	f.Add("downfor_job_last_success_timestamp_seconds{job_name=\"x\"} NaN\n", "x")
	f.Add("downfor_job_service_class{job_name=\"x\",class=\"ok\"} 1\n{}} 1\n", "x")
	f.Fuzz(func(t *testing.T, data, job string) {
		prev := parsePreviousMetrics(strings.NewReader(data), job)
		if !prev.lastSuccess.IsZero() {
			assert.Less(t, prev.lastSuccess.Unix(), int64(1e11)+1)
		}
		var out bytes.Buffer
		formatMetrics(&out, jobMetrics{job: job, lastSuccess: prev.lastSuccess, maintenanceSince: prev.maintenanceSince,
			failureClass: prev.failureClass, hasFailure: prev.hasFailure})
		again := parsePreviousMetrics(bytes.NewReader(out.Bytes()), job)
		assert.True(t, again.lastSuccess.Equal(prev.lastSuccess))
		assert.True(t, again.maintenanceSince.Equal(prev.maintenanceSince))
		assert.Equal(t, prev.hasFailure, again.hasFailure)
	})
}
