package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// TestRunStateErrorAlerts: the job fails while the service is in
// maintenance, which with a usable state file is kept quiet. When the
// state cannot be read, locked or written (a planted file, a FIFO, a
// symbolic link, a lock held by someone else), downfor does not stay
// quiet: it replays the output, says why and what it saw, and exits with
// the job's code. It never blocks on a FIFO or a held lock.
func TestRunStateErrorAlerts(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "osf"})
	tests := []struct {
		name  string
		setup func(t *testing.T, state string)
		want  string
	}{
		{"lock is a directory", func(t *testing.T, state string) {
			require.NoError(t, os.Mkdir(state+".lock", 0o700))
		}, "is a directory"},
		{"state is a FIFO", func(t *testing.T, state string) {
			require.NoError(t, syscall.Mkfifo(state, 0o600))
		}, "not a regular file"},
		{"lock is a FIFO", func(t *testing.T, state string) {
			require.NoError(t, syscall.Mkfifo(state+".lock", 0o600))
		}, "not a regular file"},
		{"state is a symbolic link", func(t *testing.T, state string) {
			target := filepath.Join(t.TempDir(), "elsewhere.json")
			require.NoError(t, os.WriteFile(target, []byte(`{"version":2,"jobs":{}}`), 0o600))
			require.NoError(t, os.Symlink(target, state))
		}, "symbolic link"},
		{"state writable by others", func(t *testing.T, state string) {
			require.NoError(t, os.WriteFile(state, []byte(`{"version":2,"jobs":{}}`), 0o600))
			require.NoError(t, os.Chmod(state, 0o666))
		}, "writable by other users"},
		{"state too large", func(t *testing.T, state string) {
			require.NoError(t, os.WriteFile(state, make([]byte, stateMaxBytes+1), 0o600))
		}, "larger than"},
		{"state owned by another user", func(t *testing.T, state string) {
			require.NoError(t, os.WriteFile(state, []byte(`{"version":2,"jobs":{}}`), 0o600))
			if err := os.Chown(state, 65534, 65534); err != nil {
				t.Skipf("cannot give a file to another user here: %v", err)
			}
		}, "owned by uid 65534"},
		{"lock held past --lock-wait", func(t *testing.T, state string) {
			f, err := os.OpenFile(state+".lock", os.O_RDWR|os.O_CREATE, 0o600)
			require.NoError(t, err)
			t.Cleanup(func() { f.Close() })
			require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX))
		}, "held by another process for more than 200ms"},
		{"missing directory", func(t *testing.T, state string) {
			require.NoError(t, os.Remove(filepath.Dir(state)))
		}, "no such file or directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			state := filepath.Join(t.TempDir(), "state.json")
			tt.setup(t, state)
			code, out, errOut := job(t, srv.URL, []string{"--state", state, "--lock-wait", "200ms"}, "echo job output; exit 4")
			assert.Equal(t, 4, code, "stderr: %s", errOut)
			assert.Equal(t, "job output\n", out, "the output is replayed")
			assert.Contains(t, errOut, "downfor: cannot update the state file: ")
			assert.Contains(t, errOut, tt.want)
			assert.Contains(t, errOut, "downfor: job failed (exit 4); service "+srv.URL+" is in maintenance")
		})
	}
}

// TestRunStateSharedByJobs: the README's crontab recipe gives every job
// the same state file. One job's incident never opens, silences or closes
// another's: job B succeeding does not "recover" job A, and B's first
// failure alerts though A's incident is open.
func TestRunStateSharedByJobs(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	state := filepath.Join(t.TempDir(), "state.json")
	flags := []string{"--state", state}
	jobA, jobB := "echo A; exit 3", "echo B; exit 5"

	code, _, errOut := job(t, srv.URL, flags, jobA)
	assert.Equal(t, 3, code)
	assert.Contains(t, errOut, "downfor: job failed (exit 3)", "A alerts")

	code, _, errOut = job(t, srv.URL, flags, jobB)
	assert.Equal(t, 5, code)
	assert.Contains(t, errOut, "downfor: job failed (exit 5)", "B's first failure alerts, though A's incident is open")

	code, out, errOut := job(t, srv.URL, flags, "echo C")
	assert.Equal(t, 0, code)
	assert.Equal(t, "C\n", out)
	assert.Empty(t, errOut, "C never failed: nothing to recover from")

	code, out, errOut = job(t, srv.URL, flags, jobA)
	assert.Equal(t, 3, code)
	assert.Empty(t, out+errOut, "A's incident is still open: quiet")

	// The same command against another URL is another job.
	other := startServer(t, testserver.Config{Mode: "error-500"})
	code, _, errOut = job(t, other.URL, flags, jobA)
	assert.Equal(t, 3, code)
	assert.Contains(t, errOut, "downfor: job failed (exit 3)")
}

// TestLockFileHonoursContext: waiting for a lock held by another process
// ends when the context does (a signal), long before the lock wait.
func TestLockFileHonoursContext(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "state.json.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	require.NoError(t, err)
	defer f.Close()
	require.NoError(t, syscall.Flock(int(f.Fd()), syscall.LOCK_EX))

	ctx, cancel := context.WithCancelCause(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := lockFile(ctx, path, time.Hour)
		errc <- err
	}()
	cancel(context.Canceled)
	select {
	case err := <-errc:
		require.Error(t, err)
		assert.Contains(t, err.Error(), "interrupted")
	case <-time.After(time.Minute):
		t.Fatal("lockFile did not honour its context")
	}
}

// TestRunAlertAfter: a job that keeps failing "in maintenance" alerts
// once the maintenance has lasted --alert-after, saying for how long, and
// then stays quiet again until it ends.
func TestRunAlertAfter(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "osf"})
	state := filepath.Join(t.TempDir(), "state.json")
	flags := []string{"--state", state, "--alert-after", "1ns"}

	code, out, errOut := job(t, srv.URL, flags, "echo output; exit 3")
	assert.Equal(t, 0, code)
	assert.Empty(t, out+errOut, "the first run opens the maintenance")

	code, out, errOut = job(t, srv.URL, flags, "echo output; exit 3")
	assert.Equal(t, 3, code)
	assert.Equal(t, "output\n", out)
	assert.Regexp(t, `downfor: job failed \(exit 3\); service \S+ has been in maintenance for \S+ \(since \S+, 2 runs; --alert-after 1ns\)`, errOut)

	code, out, errOut = job(t, srv.URL, flags, "echo output; exit 3")
	assert.Equal(t, 0, code)
	assert.Empty(t, out+errOut, "alerts once per maintenance")

	// --alert-after needs --state to remember when the maintenance began.
	code, _, errOut = job(t, srv.URL, []string{"--alert-after", "1h"}, "true")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--alert-after")
	assert.True(t, strings.Contains(errOut, "--state"), errOut)
}
