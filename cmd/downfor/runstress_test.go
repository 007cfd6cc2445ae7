package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/internal/hostile"
	"github.com/downfor/downfor/testserver"
)

// This file puts "downfor run" under stress: a job that writes tens of MiB
// has its output replayed whole while downfor's heap stays flat; the spill
// file never outlives downfor, interrupted or killed; the --state file
// stays valid JSON and counts every run when runs race on it, and a corrupt
// or unusable one is reported, never fatal. Not parallel: the heap is
// measured, TMPDIR is set, and goroutines are counted.

const (
	stressLine    = "downfor stress line 0123456789abcdef\n"
	stressErrLine = "stderr stress line\n"
)

// stressExpect returns the sha256 of the first n bytes of line repeated.
func stressExpect(line string, n int64) [sha256.Size]byte {
	h := sha256.New()
	full := n / int64(len(line))
	chunk := []byte(strings.Repeat(line, 1024))
	for full >= 1024 {
		h.Write(chunk)
		full -= 1024
	}
	h.Write([]byte(strings.Repeat(line, int(full))))
	h.Write([]byte(line[:n%int64(len(line))]))
	var sum [sha256.Size]byte
	copy(sum[:], h.Sum(nil))
	return sum
}

// stressSink hashes the first limit bytes written to it and keeps what
// comes after (downfor's own line), at most 64 KiB of it: it holds no copy
// of the job's output, so the heap measures downfor alone.
type stressSink struct {
	mu    sync.Mutex
	limit int64
	n     int64
	h     hash.Hash
	tail  bytes.Buffer
}

func newStressSink(limit int64) *stressSink { return &stressSink{limit: limit, h: sha256.New()} }

func (s *stressSink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	total := len(p)
	if rest := s.limit - s.n; rest > 0 {
		k := min(int64(len(p)), rest)
		s.h.Write(p[:k])
		s.n += k
		p = p[k:]
	}
	if len(p) > 0 {
		s.n += int64(len(p))
		if s.tail.Len()+len(p) > 64<<10 {
			return 0, fmt.Errorf("stress sink: more output than expected")
		}
		s.tail.Write(p)
	}
	return total, nil
}

func (s *stressSink) sum() (sum [sha256.Size]byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	copy(sum[:], s.h.Sum(nil))
	return sum
}

// stressSpillFDs returns the open files of process pid ("self" for this
// one) that are spill files in dir: "downfor-*" files, deleted or not.
// ok is false where /proc cannot tell.
func stressSpillFDs(pid, dir string) (fds []string, ok bool) {
	entries, err := os.ReadDir("/proc/" + pid + "/fd")
	if err != nil {
		return nil, false
	}
	prefix := filepath.Join(dir, "downfor-")
	for _, e := range entries {
		target, err := os.Readlink("/proc/" + pid + "/fd/" + e.Name())
		if err == nil && strings.HasPrefix(target, prefix) {
			fds = append(fds, target)
		}
	}
	return fds, true
}

// stressWatch polls for a spill file of pid in dir until stop is closed;
// it reports whether one was ever open, and calls onSpill once when one is
// open and already deleted (runcmd.go creates it, then removes its name at
// once: a kill between the two would leave it; see SECURITY.md).
func stressWatch(pid, dir string, stop <-chan struct{}, onSpill func()) <-chan bool {
	seen := make(chan bool, 1)
	go func() {
		spilled := false
		for {
			if !spilled {
				if fds, _ := stressSpillFDs(pid, dir); slices.ContainsFunc(fds, func(fd string) bool {
					return strings.HasSuffix(fd, " (deleted)")
				}) {
					spilled = true
					if onSpill != nil {
						onSpill()
					}
				}
			}
			select {
			case <-stop:
				seen <- spilled
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return seen
}

// stressAssertNoTempFiles checks that dir holds nothing of downfor's and
// that this process holds no spill file open.
func stressAssertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		assert.False(t, strings.HasPrefix(e.Name(), "downfor-") || strings.Contains(e.Name(), ".tmp"),
			"left behind in the temporary directory: %s", e.Name())
	}
	if fds, ok := stressSpillFDs("self", dir); ok {
		assert.Empty(t, fds, "spill files still open")
	}
}

// TestRunStressReplayWhole: a job writes 30 MiB on stdout and 256 KiB on
// stderr, then fails while the service malfunctions. Its output is
// replayed byte for byte (sha256), followed by downfor's one line, and
// downfor's heap grows by less than 16 MiB: the output went to a spill
// file (seen open, already deleted, in TMPDIR), which is gone afterwards.
func TestRunStressReplayWhole(t *testing.T) {
	hostileNoLeaks(t)
	const outN, errN = 30 << 20, 256 << 10
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	srv := hostileServer(t, testserver.Config{Mode: "error-500"})
	script := fmt.Sprintf("yes %q | head -c %d; yes %q | head -c %d >&2; exit 3",
		strings.TrimSuffix(stressLine, "\n"), outN, strings.TrimSuffix(stressErrLine, "\n"), errN)

	for _, buffer := range []string{"1MiB", "64KiB"} {
		t.Run("buffer="+buffer, func(t *testing.T) {
			stdout, stderr := newStressSink(outN), newStressSink(errN)
			stop := make(chan struct{})
			spilled := stressWatch("self", dir, stop, nil)
			heap := hostile.SampleHeap(time.Millisecond)
			code := run(t.Context(), []string{"run", "--url", srv.URL + "/api/things", "--buffer", buffer, "--", "sh", "-c", script},
				strings.NewReader(""), stdout, stderr)
			peak, growth := heap.Stop()
			close(stop)

			assert.Equal(t, 3, code, "stderr tail: %s", stderr.tail.String())
			assert.EqualValues(t, outN, stdout.n, "stdout length")
			assert.Equal(t, stressExpect(stressLine, outN), stdout.sum(), "stdout replayed whole, byte for byte")
			assert.Zero(t, stdout.tail.Len())
			assert.Equal(t, stressExpect(stressErrLine, errN), stderr.sum(), "stderr replayed whole, byte for byte")
			assert.True(t, strings.HasPrefix(stderr.tail.String(), "downfor: job failed (exit 3); service "), "then downfor's line: %q", stderr.tail.String())
			assert.Less(t, growth, uint64(16<<20), "heap grew by %d bytes (peak %d) for 30 MiB of output", growth, peak)
			t.Logf("heap: baseline %d, peak %d, growth %d", heap.Baseline, peak, growth)
			if _, ok := stressSpillFDs("self", dir); ok {
				assert.True(t, <-spilled, "the output never went to a spill file in TMPDIR")
			}
			stressAssertNoTempFiles(t, dir)
		})
	}
}

// TestRunStressInterrupted: downfor is interrupted (its context ends, as
// SIGINT or SIGTERM end main's) while the job runs and its output is
// spilled: the job is stopped, what it wrote is replayed, and the spill
// file is gone, as is every file descriptor on it.
//
// The interruption comes only once the job itself has said, through a
// FIFO, that it has written everything, and the spill file is open: not on
// a guess about timing, which a loaded machine would prove wrong. What the
// job wrote and downfor has not read yet is still in the pipe, and is read
// after the job ends.
func TestRunStressInterrupted(t *testing.T) {
	hostileNoLeaks(t)
	const outN = 5 << 20
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	srv := hostileServer(t, testserver.Config{Mode: "ok"})
	if _, ok := stressSpillFDs("self", dir); !ok {
		t.Skip("no /proc/self/fd: cannot tell when the output spills")
	}
	written := stressSignal(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	stop := make(chan struct{})
	spill := make(chan struct{})
	var once sync.Once
	spilled := stressWatch("self", dir, stop, func() { once.Do(func() { close(spill) }) })
	interrupted := make(chan struct{})
	go func() {
		defer close(interrupted)
		if !written.wait(stop) {
			return
		}
		select {
		case <-spill:
			cancel()
		case <-stop:
		}
	}()
	stdout, stderr := newStressSink(outN), newStressSink(0)
	script := fmt.Sprintf("yes %q | head -c %d; echo done > %s; exec sleep 30", strings.TrimSuffix(stressLine, "\n"), outN, written.path)
	code := run(ctx, []string{"run", "--url", srv.URL, "--state", filepath.Join(t.TempDir(), "state.json"), "--", "sh", "-c", script},
		strings.NewReader(""), stdout, stderr)
	close(stop)
	<-interrupted

	require.True(t, <-spilled, "the output did not spill")
	assert.Equal(t, 128+int(syscall.SIGTERM), code, "the job was stopped with SIGTERM")
	assert.EqualValues(t, outN, stdout.n)
	assert.Equal(t, stressExpect(stressLine, outN), stdout.sum(), "what the job wrote is replayed")
	assert.Contains(t, stderr.tail.String(), "interrupted")
	stressAssertNoTempFiles(t, dir)
}

// stressFIFO is a named pipe through which a job tells the test it has
// reached a point ("echo done > PATH").
type stressFIFO struct {
	path string
	f    *os.File
}

// stressSignal makes a FIFO, opened for reading and writing so that
// neither the job's open nor ours blocks; it is closed when the test ends.
func stressSignal(t *testing.T) *stressFIFO {
	t.Helper()
	path := filepath.Join(t.TempDir(), "signal")
	require.NoError(t, syscall.Mkfifo(path, 0o600))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return &stressFIFO{path: path, f: f}
}

// wait blocks until the job writes a line to the FIFO (true) or stop is
// closed (false).
func (s *stressFIFO) wait(stop <-chan struct{}) bool {
	got := make(chan bool, 1)
	go func() {
		var b [1]byte
		_, err := s.f.Read(b[:])
		got <- err == nil
	}()
	select {
	case ok := <-got:
		return ok
	case <-stop:
		// Unblock the reader: write to ourselves.
		_, _ = s.f.Write([]byte{'\n'})
		<-got
		return false
	}
}

// TestRunStressChild is not a test: TestRunStressKilled runs this binary
// as "downfor" through it.
func TestRunStressChild(t *testing.T) {
	if os.Getenv("DOWNFOR_STRESS_CHILD") != "1" {
		t.Skip("helper process of TestRunStressKilled")
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv("DOWNFOR_STRESS_ARGS")), &args); err != nil {
		os.Exit(exitSoftware)
	}
	os.Exit(run(context.Background(), args, os.Stdin, io.Discard, io.Discard))
}

// TestRunStressKilled: downfor is killed (SIGKILL: no defer, no cleanup
// runs) while its job's output is spilled. Nothing is left in TMPDIR: the
// spill file was deleted as soon as it was created.
func TestRunStressKilled(t *testing.T) {
	if os.Getenv("DOWNFOR_STRESS_CHILD") == "1" {
		t.Skip("in the helper process")
	}
	if _, ok := stressSpillFDs("self", os.TempDir()); !ok {
		t.Skip("no /proc: cannot tell when the output spills")
	}
	hostileNoLeaks(t)
	dir := t.TempDir()
	pgidFile := filepath.Join(t.TempDir(), "pgid")
	srv := hostileServer(t, testserver.Config{Mode: "ok"})
	script := fmt.Sprintf("echo $$ > %s; yes %q | head -c %d; exec sleep 30", pgidFile, strings.TrimSuffix(stressLine, "\n"), 5<<20)
	args, err := json.Marshal([]string{"run", "--url", srv.URL, "--", "sh", "-c", script})
	require.NoError(t, err)

	cmd := exec.Command(os.Args[0], "-test.run=^TestRunStressChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "TMPDIR="+dir, "DOWNFOR_STRESS_CHILD=1", "DOWNFOR_STRESS_ARGS="+string(args))
	// The job runs in its own process group, which downfor no longer
	// looks after once it is killed: end it when the test ends, however
	// it ends (a failed assertion included).
	t.Cleanup(func() { stressKillGroup(pgidFile) })
	require.NoError(t, cmd.Start())
	var killed atomic.Bool
	defer func() {
		if !killed.Load() {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	stop := make(chan struct{})
	spill := make(chan struct{})
	var once sync.Once
	seen := stressWatch(strconv.Itoa(cmd.Process.Pid), dir, stop, func() { once.Do(func() { close(spill) }) })
	select {
	case <-spill:
	case <-time.After(20 * time.Second):
		close(stop)
		t.Fatal("the child never spilled its job's output")
	}
	close(stop)
	<-seen
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	killed.Store(true)
	_ = cmd.Wait()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "left behind by a killed downfor")
	t.Logf("killed downfor (pid %d) with its output spilled; %s holds %d entries", cmd.Process.Pid, dir, len(entries))
}

// stressKillGroup sends SIGKILL to the process group whose id the job
// wrote to pgidFile, if it did.
func stressKillGroup(pgidFile string) {
	b, err := os.ReadFile(pgidFile)
	if err != nil {
		return
	}
	if pgid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pgid > 1 {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
}

// stressState reads and decodes the state file, and returns its one job.
func stressState(t *testing.T, path string) jobState {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var sf stateFile
	require.NoError(t, json.Unmarshal(b, &sf), "state: %s", b)
	assert.Equal(t, stateVersion, sf.Version)
	require.Len(t, sf.Jobs, 1, "state: %s", b)
	for _, st := range sf.Jobs {
		require.NotNil(t, st)
		return *st
	}
	panic("unreachable")
}

// TestRunStressStateConcurrent: rounds of runs that fail at the same time
// share one --state file. A reader polling the file throughout only ever
// sees whole, valid JSON (it is replaced atomically); the lock loses no
// update (every failure is counted); the incident alerts exactly once; and
// the first success says it recovered, counting them all.
func TestRunStressStateConcurrent(t *testing.T) {
	hostileNoLeaks(t)
	const rounds, n = 3, 6
	srv := hostileServer(t, testserver.Config{Mode: "error-500"})
	dir := t.TempDir()
	state := filepath.Join(dir, "state.json")
	// One job (one URL and command line), told by a file how to end.
	ctl := filepath.Join(t.TempDir(), "ctl")
	require.NoError(t, os.WriteFile(ctl, []byte("echo failing; exit 2\n"), 0o600))
	script := ". " + ctl

	stop := make(chan struct{})
	var reads, invalid atomic.Int64
	var readerDone sync.WaitGroup
	readerDone.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			b, err := os.ReadFile(state)
			if err != nil {
				continue // not written yet
			}
			reads.Add(1)
			var sf stateFile
			if json.Unmarshal(b, &sf) != nil || sf.Version != stateVersion {
				invalid.Add(1)
			}
		}
	})

	var alerts atomic.Int64
	for round := 1; round <= rounds; round++ {
		var wg sync.WaitGroup
		for range n {
			wg.Go(func() {
				var out, errb bytes.Buffer
				code := run(t.Context(), []string{"run", "--url", srv.URL, "--state", state, "--", "sh", "-c", script},
					strings.NewReader(""), &out, &errb)
				assert.Equal(t, 2, code, "stderr: %s", errb.String())
				assert.NotContains(t, errb.String(), "cannot update the state file")
				if strings.Contains(errb.String(), "downfor: job failed (exit 2)") {
					alerts.Add(1)
					assert.Equal(t, "failing\n", out.String())
				} else {
					assert.Empty(t, out.String(), "a failure after the first alert is quiet")
				}
			})
		}
		wg.Wait()
		st := stressState(t, state)
		require.NotNil(t, st.Incident)
		assert.Equal(t, n*round, st.Incident.Failures, "round %d: every failure counted", round)
		assert.Equal(t, "failed", st.LastOutcome)
	}
	var out, errb bytes.Buffer
	require.NoError(t, os.WriteFile(ctl, []byte("exit 0\n"), 0o600))
	code := run(t.Context(), []string{"run", "--url", srv.URL, "--state", state, "--", "sh", "-c", script}, strings.NewReader(""), &out, &errb)
	close(stop)
	readerDone.Wait()

	assert.Equal(t, 0, code)
	assert.EqualValues(t, 1, alerts.Load(), "one alert per incident")
	assert.Contains(t, errb.String(), fmt.Sprintf("downfor: recovered: the job succeeded after %d failed runs", rounds*n))
	st := stressState(t, state)
	assert.Nil(t, st.Incident)
	assert.Equal(t, "ok", st.LastOutcome)
	assert.Positive(t, reads.Load(), "the reader never saw the file")
	t.Logf("the reader read the state %d times", reads.Load())
	assert.Zero(t, invalid.Load(), "the reader saw a partial or invalid state %d times out of %d", invalid.Load(), reads.Load())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.ElementsMatch(t, []string{"state.json", "state.json.lock"}, names, "no temporary file left")
}

// TestRunStressStateCorrupt: a state file that is not downfor's (cut
// short, binary with terminal escapes, another version, empty) is reported
// and replaced; one that cannot be used at all (a directory, a missing
// directory) is reported. Either way the job's own exit code and output
// are what run returns: the state is never fatal.
func TestRunStressStateCorrupt(t *testing.T) {
	hostileNoLeaks(t)
	srv := hostileServer(t, testserver.Config{Mode: "error-500"})
	corrupt := map[string][]byte{
		"truncated": []byte(`{"version":1,"incident":{"since":"2026-`),
		"binary":    []byte("\x00\x1b[2J\x1b]0;pwned\x07\xff\xfe"),
		"version":   []byte(`{"version":99,"url":"x"}`),
		"empty":     {},
		"array":     []byte(`[1,2,3]`),
	}
	for name, content := range corrupt {
		t.Run(name, func(t *testing.T) {
			state := filepath.Join(t.TempDir(), "state.json")
			require.NoError(t, os.WriteFile(state, content, 0o600))
			code, out, errOut := hostileRun(t, "run", "--url", srv.URL, "--state", state, "--", "sh", "-c", "echo job output; exit 4")
			assert.Equal(t, 4, code, "stderr: %s", errOut)
			assert.Equal(t, "job output\n", out)
			assert.Contains(t, errOut, "is corrupt")
			assert.Contains(t, errOut, "downfor: job failed (exit 4)")
			hostileAssertPrintable(t, errOut)
			st := stressState(t, state)
			require.NotNil(t, st.Incident)
			assert.Equal(t, 1, st.Incident.Failures)
		})
	}
	unusable := map[string]func(t *testing.T) string{
		"directory": func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "state.json")
			require.NoError(t, os.Mkdir(p, 0o700))
			return p
		},
		"missing-directory": func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "no", "such", "state.json")
		},
	}
	for name, path := range unusable {
		t.Run(name, func(t *testing.T) {
			state := path(t)
			for _, job := range []struct {
				script string
				code   int
			}{{"echo job output; exit 4", 4}, {"echo job output", 0}} {
				code, out, errOut := hostileRun(t, "run", "--url", srv.URL, "--state", state, "--", "sh", "-c", job.script)
				assert.Equal(t, job.code, code, "stderr: %s", errOut)
				assert.Equal(t, "job output\n", out)
				assert.Contains(t, errOut, "cannot update the state file")
			}
		})
	}
}
