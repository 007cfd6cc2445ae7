package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// job runs "downfor run --url URL FLAGS... -- sh -c SCRIPT".
func job(t *testing.T, url string, flags []string, script string) (code int, stdout, stderr string) {
	t.Helper()
	args := append([]string{"run", "--url", url}, flags...)
	args = append(args, "--", "sh", "-c", script)
	return cli(t, args...)
}

func TestRunSuccessPassesThrough(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	code, out, errOut := job(t, srv.URL, nil, "echo one; echo two >&2; echo three")
	assert.Equal(t, 0, code)
	assert.Equal(t, "one\nthree\n", out)
	assert.Equal(t, "two\n", errOut)
	assert.Empty(t, srv.Requests(), "a job that succeeds does not check the service")
}

func TestRunFailure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		mode     string
		flags    []string
		code     int
		quiet    bool
		sawClass string
	}{
		{"osf", nil, 0, true, ""},
		{"osf", []string{"--maintenance-exit", "75"}, 75, true, ""},
		{"app-stopped", []string{"--maintenance-exit", "75"}, 75, true, ""},
		{"error-500", nil, 3, false, "is malfunctioning: status 500"},
		{"retry-after-seconds", []string{"--strict"}, 3, false, "is malfunctioning"},
		{"ok", nil, 3, false, "is ok: status 200"},
		{"reset", []string{"--check-timeout", "2s"}, 3, false, "does not answer (network error)"},
	}
	for _, tt := range tests {
		t.Run(tt.mode+strings.Join(tt.flags, " "), func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, testserver.Config{Mode: tt.mode})
			code, out, errOut := job(t, srv.URL+"/api", tt.flags, "echo working; echo failed >&2; exit 3")
			assert.Equal(t, tt.code, code)
			if tt.quiet {
				assert.Empty(t, out)
				assert.Empty(t, errOut)
				return
			}
			assert.Equal(t, "working\n", out)
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			require.Len(t, lines, 2, errOut)
			assert.Equal(t, "failed", lines[0])
			assert.Equal(t, "downfor: job failed (exit 3); service "+srv.URL+"/api "+tt.sawClass, lines[1][:len("downfor: job failed (exit 3); service "+srv.URL+"/api "+tt.sawClass)])
		})
	}
}

// TestRunBigOutput: 20 MiB of output from a failing job come back whole,
// through a spill file, and nothing is left in the temporary directory.
func TestRunBigOutput(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	tmp := t.TempDir()
	script := `yes abcdefghij | head -c 20971520; echo tail >&2; exit 4`
	var out, errb bytes.Buffer
	code := runCmd(t.Context(), []string{"--url", srv.URL, "--buffer", "256KiB", "--", "sh", "-c", script},
		environment{TempDir: tmp}, process{}, nil, &out, &errb)
	assert.Equal(t, 4, code)
	require.Equal(t, 20<<20, out.Len())
	want := bytes.Repeat([]byte("abcdefghij\n"), (20<<20)/11+1)[:20<<20]
	assert.Equal(t, sha256.Sum256(want), sha256.Sum256(out.Bytes()))
	assert.True(t, strings.HasPrefix(errb.String(), "tail\ndownfor: job failed (exit 4)"), errb.String())
	entries, err := os.ReadDir(tmp)
	require.NoError(t, err)
	assert.Empty(t, entries)
}

// TestOutputLogBounded: the in-memory part of the log never grows past its
// limit, and the order of stdout and stderr records is kept.
func TestOutputLogBounded(t *testing.T) {
	t.Parallel()
	tmp := t.TempDir()
	const limit = 64 << 10
	l := newOutputLog(limit, tmp)
	defer l.close()
	sum := sha256.New()
	var errs bytes.Buffer
	chunk := make([]byte, 32<<10)
	for i := range 640 { // 20 MiB
		for j := range chunk {
			chunk[j] = byte(i + j)
		}
		sum.Write(chunk)
		_, _ = l.writer(outputTagStdout).Write(chunk)
		fmt.Fprintf(l.writer(outputTagStderr), "%d\n", i)
		fmt.Fprintf(&errs, "%d\n", i)
		assert.LessOrEqual(t, cap(l.mem), limit)
	}
	assert.LessOrEqual(t, l.peak, limit)
	require.NotNil(t, l.file, "spilled to a file")
	entries, _ := os.ReadDir(tmp)
	assert.Empty(t, entries, "the spill file is unlinked at once")

	for range 2 { // replay can be repeated
		got := sha256.New()
		var gotErr bytes.Buffer
		require.NoError(t, l.replay(got, &gotErr))
		assert.Equal(t, sum.Sum(nil), got.Sum(nil))
		assert.Equal(t, errs.String(), gotErr.String())
	}

	// Interleaving survives the log: replayed into one writer, the order is
	// the order of the writes.
	small := newOutputLog(1<<20, tmp)
	defer small.close()
	var both bytes.Buffer
	for i := range 5 {
		fmt.Fprintf(small.writer(outputTagStdout), "out%d ", i)
		fmt.Fprintf(small.writer(outputTagStderr), "err%d ", i)
	}
	require.NoError(t, small.replay(&both, &both))
	assert.Equal(t, "out0 err0 out1 err1 out2 err2 out3 err3 out4 err4 ", both.String())
}

func TestRunTimeout(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	for _, script := range []string{
		"echo started; sleep 30",
		"trap '' TERM; echo started; sleep 30", // ignores SIGTERM: SIGKILL after the grace
	} {
		code, out, errOut := job(t, srv.URL, []string{"--timeout", "300ms", "--kill-grace", "300ms"}, script)
		assert.Equal(t, exitTimedOut, code)
		assert.Equal(t, "started\n", out)
		assert.Contains(t, errOut, "downfor: job timed out after 300ms (exit 124); service "+srv.URL+" is ok")
	}
}

func TestRunStartFailures(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	code, _, errOut := cli(t, "run", "--url", srv.URL, "--", "downfor-no-such-command-here")
	assert.Equal(t, exitNotFound, code)
	assert.Contains(t, errOut, "downfor-no-such-command-here")

	code, _, _ = cli(t, "run", "--url", srv.URL, "--", filepath.Join(t.TempDir(), "missing"))
	assert.Equal(t, exitNotFound, code)

	notExec := filepath.Join(t.TempDir(), "script")
	require.NoError(t, os.WriteFile(notExec, []byte("#!/bin/sh\necho hi\n"), 0o644))
	code, _, errOut = cli(t, "run", "--url", srv.URL, "--", notExec)
	assert.Equal(t, exitCannotExec, code)
	assert.Contains(t, errOut, "permission denied")

	dir := t.TempDir()
	code, _, errOut = cli(t, "run", "--url", srv.URL, "--", dir)
	assert.Equal(t, exitCannotExec, code)
	assert.Contains(t, errOut, dir+": is a directory")
	assert.Empty(t, srv.Requests(), "a command that cannot start says nothing about the service")

	// Without "--" the command starts at the first argument that is not a flag.
	code, out, _ := cli(t, "run", "--url", srv.URL, "sh", "-c", "echo $0 $1", "a", "-b")
	assert.Equal(t, 0, code)
	assert.Equal(t, "a -b\n", out)
}

func TestRunStdinPassesThrough(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	var out, errb bytes.Buffer
	code := run(t.Context(), []string{"run", "--url", srv.URL, "--", "sh", "-c", "tr a-z A-Z"}, strings.NewReader("hello\n"), &out, &errb)
	assert.Equal(t, 0, code, errb.String())
	assert.Equal(t, "HELLO\n", out.String())
}

func TestRunSkipBefore(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "notify"})
	marker := filepath.Join(t.TempDir(), "ran")
	script := "touch " + marker
	code, out, errOut := job(t, srv.URL, []string{"--skip-before", "--maintenance-exit", "75"}, script)
	assert.Equal(t, 75, code)
	assert.Empty(t, out+errOut)
	assert.NoFileExists(t, marker)

	require.NoError(t, srv.SetMode("error-500"))
	code, _, _ = job(t, srv.URL, []string{"--skip-before"}, script)
	assert.Equal(t, 0, code)
	assert.FileExists(t, marker, "not skipped when the service is merely broken")
}

// TestRunSkipBeforeUpcoming: a maintenance announced on the status page
// for a few minutes from now skips the job when it falls within
// --window-margin.
func TestRunSkipBeforeUpcoming(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	start := time.Now().Add(5 * time.Minute).UTC().Format(time.RFC3339)
	end := time.Now().Add(time.Hour).UTC().Format(time.RFC3339)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"page":{"id":"p","name":"Example","url":"https://status.example.com","updated_at":%q},
			"status":{"indicator":"none","description":"All Systems Operational"},
			"components":[{"id":"c1","name":"API","status":"operational"}],
			"incidents":[],
			"scheduled_maintenances":[{"id":"m1","name":"Database upgrade","status":"scheduled","impact":"maintenance",
				"scheduled_for":%q,"scheduled_until":%q,"components":[{"id":"c1","name":"API","status":"operational"}],
				"incident_updates":[]}]}`, start, start, end)
	}))
	t.Cleanup(page.Close)
	marker := filepath.Join(t.TempDir(), "ran")
	flags := []string{"--skip-before", "--status-page", page.URL + "/api/v2/summary.json", "--window-margin"}

	code, _, errOut := job(t, srv.URL, append(flags, "10m"), "touch "+marker)
	assert.Equal(t, 0, code)
	assert.Empty(t, errOut)
	assert.NoFileExists(t, marker, "skipped: the maintenance starts within the margin")

	code, _, _ = job(t, srv.URL, append(flags, "1m"), "touch "+marker)
	assert.Equal(t, 0, code)
	assert.FileExists(t, marker, "run: the maintenance starts after the margin")
}

// TestRunState: an outage alerts once, its later failures stay quiet, and
// the first success after it says so.
func TestRunState(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	state := filepath.Join(t.TempDir(), "state.json")
	flags := []string{"--state", state}
	// One job: the same URL and command line every run, told by a file
	// what to print and how to end.
	ctl := filepath.Join(t.TempDir(), "ctl")
	script := ". " + ctl
	fail, fine := "echo output; exit 2", "echo fine"
	set := func(s string) { require.NoError(t, os.WriteFile(ctl, []byte(s+"\n"), 0o600)) }

	set(fail)
	code, out, errOut := job(t, srv.URL, flags, script)
	assert.Equal(t, 2, code)
	assert.Equal(t, "output\n", out)
	assert.Contains(t, errOut, "downfor: job failed (exit 2); service "+srv.URL+" is malfunctioning")

	for range 2 {
		code, out, errOut = job(t, srv.URL, flags, script)
		assert.Equal(t, 2, code, "the job's code, still")
		assert.Empty(t, out+errOut, "the same incident stays quiet")
	}

	require.NoError(t, srv.SetMode("osf"))
	code, out, errOut = job(t, srv.URL, flags, script)
	assert.Equal(t, 0, code)
	assert.Empty(t, out+errOut)

	st := stressState(t, state)
	require.NotNil(t, st.Incident)
	assert.Equal(t, 3, st.Incident.Failures)
	assert.Equal(t, "failed", st.LastOutcome)
	assert.Equal(t, "maintenance", st.LastClass)
	require.NotNil(t, st.Maintenance)
	assert.Equal(t, 1, st.Maintenance.Runs)

	require.NoError(t, srv.SetMode("ok"))
	set(fine)
	code, out, errOut = job(t, srv.URL, flags, script)
	assert.Equal(t, 0, code)
	assert.Equal(t, "fine\n", out)
	assert.Regexp(t, `^downfor: recovered: the job succeeded after 3 failed runs since \S+\n$`, errOut)

	code, out, errOut = job(t, srv.URL, flags, script)
	assert.Equal(t, 0, code)
	assert.Equal(t, "fine\n", out)
	assert.Empty(t, errOut, "recovery is said once")

	require.NoError(t, srv.SetMode("error-500"))
	set(fail)
	_, _, errOut = job(t, srv.URL, flags, script)
	assert.Contains(t, errOut, "downfor: job failed", "a new incident alerts again")

	// DOWNFOR_STATE is the default of --state.
	var o, e bytes.Buffer
	code = runCmd(t.Context(), []string{"--url", srv.URL, "--", "sh", "-c", script}, environment{State: state}, process{}, nil, &o, &e)
	assert.Equal(t, 2, code)
	assert.Empty(t, o.String()+e.String())
}

func TestRunStateCorrupt(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	state := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, os.WriteFile(state, []byte(`{"version":1,"incident":`), 0o600))
	code, out, errOut := job(t, srv.URL, []string{"--state", state}, "echo output; exit 2")
	assert.Equal(t, 2, code)
	assert.Equal(t, "output\n", out)
	assert.Contains(t, errOut, "downfor: state file "+state+" is corrupt")
	assert.Contains(t, errOut, "downfor: job failed (exit 2)")
	st := stressState(t, state)
	require.NotNil(t, st.Incident, "replaced by a valid state")
	assert.Equal(t, 1, st.Incident.Failures)

	// A file of the older format (one job per file, with an incident open)
	// is said to be so and replaced: the failure alerts (at most one more
	// alert after an upgrade, never a silenced one).
	require.NoError(t, os.WriteFile(state, []byte(`{"version":1,"url":"x","last_outcome":"failed","incident":{"since":"2026-01-01T00:00:00Z","class":"malfunction","failures":4}}`), 0o600))
	code, out, errOut = job(t, srv.URL, []string{"--state", state}, "echo output; exit 2")
	assert.Equal(t, 2, code)
	assert.Equal(t, "output\n", out)
	assert.Contains(t, errOut, "is of an older format (one job per file); starting afresh")
	assert.Contains(t, errOut, "downfor: job failed (exit 2)")
}

// TestRunStateConcurrent: runs that fail at once share one state file
// under its lock: exactly one alerts and every failure is counted.
func TestRunStateConcurrent(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	state := filepath.Join(t.TempDir(), "state.json")
	const n = 8
	var wg sync.WaitGroup
	alerts := make([]bool, n)
	for i := range n {
		wg.Go(func() {
			var out, errb bytes.Buffer
			code := runCmd(t.Context(), []string{"--url", srv.URL, "--state", state, "--", "sh", "-c", "exit 1"}, environment{}, process{}, nil, &out, &errb)
			assert.Equal(t, 1, code)
			alerts[i] = strings.Contains(errb.String(), "downfor: job failed")
		})
	}
	wg.Wait()
	count := 0
	for _, a := range alerts {
		if a {
			count++
		}
	}
	assert.Equal(t, 1, count)
	st := stressState(t, state)
	require.NotNil(t, st.Incident)
	assert.Equal(t, n, st.Incident.Failures)
	entries, _ := os.ReadDir(filepath.Dir(state))
	assert.Len(t, entries, 2, "the state and its lock, no temporary files left") // state.json, state.json.lock
}

// TestRunForwardsSignals: a SIGTERM sent to downfor reaches the job, which
// exits by its own trap; its output is replayed. Not parallel: the signal
// goes to the whole test process.
func TestRunForwardsSignals(t *testing.T) {
	srv := startServer(t, testserver.Config{Mode: "ok"})
	ready := filepath.Join(t.TempDir(), "ready")
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 200; i++ {
			if _, err := os.Stat(ready); err == nil {
				_ = syscall.Kill(os.Getpid(), syscall.SIGTERM)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	code, out, errOut := job(t, srv.URL, nil, "trap 'echo got TERM; exit 7' TERM; echo ready; touch "+ready+"; while :; do sleep 0.05; done")
	<-done
	assert.Equal(t, 7, code)
	assert.Equal(t, "ready\ngot TERM\n", out)
	assert.Contains(t, errOut, "downfor: job failed (exit 7); interrupted")
}

// TestRunCancelled: when ctx ends (as main's signal.NotifyContext does),
// the job gets SIGTERM, not SIGKILL.
func TestRunCancelled(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	ready := filepath.Join(t.TempDir(), "ready")
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		for i := 0; i < 200; i++ {
			if _, err := os.Stat(ready); err == nil {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
	}()
	var out, errb bytes.Buffer
	code := runCmd(ctx, []string{"--url", srv.URL, "--", "sh", "-c", "trap 'echo got TERM; exit 9' TERM; touch " + ready + "; while :; do sleep 0.05; done"},
		environment{}, process{}, nil, &out, &errb)
	assert.Equal(t, 9, code)
	assert.Equal(t, "got TERM\n", out.String())
}

func TestParseSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"0": 0, "65536": 65536, "64KiB": 64 << 10, "64k": 64 << 10, "1MiB": 1 << 20, "2 MB": 2 << 20, "1GiB": 1 << 30} {
		got, err := parseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "lots", "-1", "1.5MiB", "1TiB", "MiB"} {
		_, err := parseSize(in)
		assert.Error(t, err, in)
	}
}

// TestOutputLogHeadAndTail: when the spill file cannot be created (a
// read-only file system) or written (a full disk), the replay keeps the
// first bytes and the last ones, where a failing job's error is, and says
// between them how many bytes were cut and why.
func TestOutputLogHeadAndTail(t *testing.T) {
	t.Parallel()
	failures := map[string]func(dir string) (*os.File, error){
		"cannot create": func(string) (*os.File, error) { return nil, syscall.EROFS },
		"disk full": func(string) (*os.File, error) {
			f, err := os.OpenFile("/dev/full", os.O_RDWR, 0)
			if err != nil {
				t.Skip("no /dev/full")
			}
			return f, nil
		},
	}
	for name, create := range failures {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			const limit = 64 << 10
			l := newOutputLog(limit, t.TempDir())
			l.create = create
			defer l.close()
			var all bytes.Buffer
			for i := range 20000 {
				line := fmt.Sprintf("line %05d of the job's output\n", i)
				all.WriteString(line)
				_, _ = l.writer(outputTagStdout).Write([]byte(line))
			}
			_, _ = l.writer(outputTagStderr).Write([]byte("ERROR: the reason the job failed\n"))
			assert.LessOrEqual(t, len(l.mem)+len(l.tail), limit+l.tailLimit, "memory stays bounded")

			var out, errb bytes.Buffer
			require.NoError(t, l.replay(&out, &errb))
			assert.True(t, strings.HasPrefix(all.String(), out.String()[:1000]), "the head is kept")
			assert.True(t, strings.HasSuffix(out.String(), "line 19999 of the job's output\n"), "the tail is kept")
			assert.True(t, strings.HasSuffix(errb.String(), "ERROR: the reason the job failed\n"), "the last lines, where the error is, are kept: %q", errb.String())
			m := regexp.MustCompile(`downfor: (\d+) bytes of the job's output cut here \(the first and the last are kept\): cannot (create|write) (a|the) spill file: `).FindStringSubmatch(errb.String())
			require.NotNil(t, m, errb.String())
			cut, err := strconv.Atoi(m[1])
			require.NoError(t, err)
			assert.Equal(t, all.Len()+len("ERROR: the reason the job failed\n"), out.Len()+cut+len("ERROR: the reason the job failed\n"), "head + cut + tail is everything")
		})
	}

	// The job's error line, read from stderr before the last of its
	// stdout (two pipes), is not pushed out of the tail by that stdout.
	l := newOutputLog(1024, t.TempDir())
	l.create = failures["cannot create"]
	defer l.close()
	_, _ = l.writer(outputTagStdout).Write(bytes.Repeat([]byte("head\n"), 300))
	_, _ = l.writer(outputTagStderr).Write([]byte("ERROR: disk quota\n"))
	for range 1000 {
		_, _ = l.writer(outputTagStdout).Write(bytes.Repeat([]byte("x"), 1000))
	}
	var o, e bytes.Buffer
	require.NoError(t, l.replay(&o, &e))
	assert.True(t, strings.HasSuffix(e.String(), "ERROR: disk quota\n"), e.String())
	assert.LessOrEqual(t, len(l.tail), l.tailLimit)

	// End to end: TMPDIR that does not exist.
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	var out, errb bytes.Buffer
	code := runCmd(t.Context(), []string{"--url", srv.URL, "--buffer", "64KiB", "--", "sh", "-c", "seq 1 100000; echo the real error >&2; exit 3"},
		environment{TempDir: filepath.Join(t.TempDir(), "missing")}, process{}, nil, &out, &errb)
	assert.Equal(t, 3, code)
	assert.True(t, strings.HasPrefix(out.String(), "1\n2\n3\n"))
	assert.True(t, strings.HasSuffix(out.String(), "\n100000\n"))
	assert.Regexp(t, `(?s)bytes of the job's output cut here.*cannot create a spill file: .*no such file or directory\nthe real error\ndownfor: job failed \(exit 3\)`, errb.String())
}

// liveWriter is a test stdout that says when a line arrives.
type liveWriter struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first chan struct{}
	once  sync.Once
}

func (w *liveWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), "first\n") {
		w.once.Do(func() { close(w.first) })
	}
	return len(p), nil
}

func (w *liveWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestRunPassthrough: with --passthrough the job's output goes out while
// it runs (the job waits, through a FIFO, until the test has seen its
// first line), and downfor adds only its one line and the exit code: the
// job's own on a failure, --maintenance-exit during maintenance.
func TestRunPassthrough(t *testing.T) {
	t.Parallel()
	for mode, want := range map[string]struct {
		code int
		line string
	}{
		"error-500": {3, "downfor: job failed (exit 3); service "},
		"osf":       {75, "downfor: job failed (exit 3) during maintenance; service "},
	} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, testserver.Config{Mode: mode})
			gate := stressSignal(t)
			stdout := &liveWriter{first: make(chan struct{})}
			live := make(chan bool, 1)
			go func() {
				select {
				case <-stdout.first:
					live <- true
				case <-time.After(30 * time.Second):
					live <- false
				}
				_, _ = gate.f.Write([]byte("go\n"))
			}()
			var stderr bytes.Buffer
			code := runCmd(t.Context(), []string{"--url", srv.URL, "--passthrough", "--maintenance-exit", "75", "--",
				"sh", "-c", "echo first; read x < " + gate.path + "; echo second; echo oops >&2; exit 3"},
				environment{}, process{}, nil, stdout, &stderr)
			assert.True(t, <-live, "the first line went out before the job ended")
			assert.Equal(t, want.code, code)
			assert.Equal(t, "first\nsecond\n", stdout.String())
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			require.Len(t, lines, 2, stderr.String())
			assert.Equal(t, "oops", lines[0])
			assert.True(t, strings.HasPrefix(lines[1], want.line), lines[1])
		})
	}
}
