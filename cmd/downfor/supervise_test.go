package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// readPID reads a process id that a job wrote to path.
func readPID(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	require.NoError(t, err)
	require.Greater(t, pid, 1)
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL) })
	return pid
}

// gone reports whether process pid has ended (a zombie has: init may be
// slow to reap it, or not reap at all in a container).
func gone(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil {
		return true
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i >= 0 && strings.HasPrefix(s[i+1:], " Z")
}

// TestRunTimeoutEndsTheGroup: --timeout ends every process of the job's
// group, also one that ignores SIGTERM and outlives the job's main
// process, and also when the main process exits before the timeout.
func TestRunTimeoutEndsTheGroup(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	for name, main := range map[string]string{
		"main killed by the timeout": "sleep 30",
		"main exits first":           "exit 3",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			pidFile := filepath.Join(t.TempDir(), "pid")
			// A background child that ignores SIGTERM (an ignored signal
			// stays ignored across exec) and does not hold the job's output
			// open, so nothing but the sweep can end it.
			script := fmt.Sprintf("(trap '' TERM; exec sleep 30) >/dev/null 2>&1 & echo $! > %s; %s", pidFile, main)
			// The timeout leaves the shell ample time to write the pid
			// file first, even on a loaded machine.
			code, _, errOut := job(t, srv.URL, []string{"--timeout", "1s", "--kill-grace", "200ms"}, script)
			assert.NotZero(t, code, errOut)
			pid := readPID(t, pidFile)
			assert.Eventually(t, func() bool { return gone(pid) }, 10*time.Second, 10*time.Millisecond,
				"the job's child %d outlived downfor", pid)
		})
	}
}

// TestRunSubreaperChild is not a test: TestRunSubreaper runs this binary
// as "downfor" (a child subreaper, as main makes it) through it.
func TestRunSubreaperChild(t *testing.T) {
	if os.Getenv("DOWNFOR_SUBREAPER_CHILD") != "1" {
		t.Skip("helper process of TestRunSubreaper")
	}
	var args []string
	if err := json.Unmarshal([]byte(os.Getenv("DOWNFOR_SUBREAPER_ARGS")), &args); err != nil {
		os.Exit(exitSoftware)
	}
	if err := becomeSubreaper(); err != nil {
		fmt.Fprintln(os.Stderr, "no subreaper:", err)
		os.Exit(exitSoftware)
	}
	os.Exit(process{subreaper: true}.run(t.Context(), args, os.Stdin, os.Stdout, os.Stderr))
}

// TestRunSubreaper: a descendant of the job that left its process group
// and session (setsid) and ignores SIGTERM is found and ended when
// --timeout passes: downfor, a child subreaper on Linux, gets it back when
// its parent exits.
func TestRunSubreaper(t *testing.T) {
	if os.Getenv("DOWNFOR_SUBREAPER_CHILD") == "1" {
		t.Skip("in the helper process")
	}
	if becomeSubreaperSupported() != nil {
		t.Skip("no child subreaper on this system")
	}
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("no setsid command")
	}
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "ok"})
	pidFile := filepath.Join(t.TempDir(), "pid")
	script := fmt.Sprintf("setsid sh -c 'trap \"\" TERM; echo $$ > %s; exec sleep 30' >/dev/null 2>&1 & while [ ! -s %s ]; do sleep 0.01; done; sleep 30", pidFile, pidFile)
	// The job waits for the escaped process to write its pid; the timeout
	// leaves ample time for that, even on a loaded machine.
	args, err := json.Marshal([]string{"run", "--url", srv.URL, "--timeout", "2s", "--kill-grace", "200ms", "--", "sh", "-c", script})
	require.NoError(t, err)
	cmd := exec.Command(os.Args[0], "-test.run=^TestRunSubreaperChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), "DOWNFOR_SUBREAPER_CHILD=1", "DOWNFOR_SUBREAPER_ARGS="+string(args))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t.Cleanup(func() {
		if b, err := os.ReadFile(pidFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 1 {
				_ = syscall.Kill(-pid, syscall.SIGKILL)
			}
		}
	})
	err = cmd.Run()
	var ee *exec.ExitError
	require.ErrorAs(t, err, &ee, "output: %s", out.String())
	assert.Equal(t, exitTimedOut, ee.ExitCode(), "output: %s", out.String())
	pid := readPID(t, pidFile)
	assert.True(t, gone(pid), "the escaped descendant %d outlived downfor", pid)
}

// TestJobEnviron: the job does not inherit downfor's secrets.
func TestJobEnviron(t *testing.T) {
	t.Parallel()
	in := []string{
		"PATH=/usr/bin",
		"DOWNFOR_TOKEN=s3cr3t-token",
		"DOWNFOR_URL=https://user:pa55word@api.example.com/",
		"HOME=/root",
		"DOWNFOR_STATE=/var/tmp/x.json",
	}
	assert.Equal(t, []string{"PATH=/usr/bin", "HOME=/root", "DOWNFOR_STATE=/var/tmp/x.json"}, jobEnviron(in))
	for _, u := range []string{"https://api.example.com/", "https://api.example.com/?page=2"} {
		assert.Equal(t, []string{"DOWNFOR_URL=" + u}, jobEnviron([]string{"DOWNFOR_URL=" + u}), "a URL without credentials stays")
	}
	for _, u := range []string{"https://tok3nvalue@api.example.com/", "https://api.example.com/?access_token=abcd1234", "::bad@"} {
		assert.Empty(t, jobEnviron([]string{"DOWNFOR_URL=" + u}), u)
	}

	// End to end: the job's environment, through run.
	srv := startServer(t, testserver.Config{Mode: "ok"})
	var o, e bytes.Buffer
	proc := process{env: []string{"PATH=" + os.Getenv("PATH"), "DOWNFOR_TOKEN=s3cr3t-token", "KEEP=1"}}
	code := runCmd(t.Context(), []string{"--url", srv.URL, "--", "env"}, environment{}, proc, nil, &o, &e)
	require.Equal(t, 0, code, e.String())
	assert.Contains(t, o.String(), "KEEP=1")
	assert.NotContains(t, o.String(), "s3cr3t-token")
}
