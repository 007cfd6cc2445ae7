package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// --quiet-success: silent when the job succeeds (chronic's behaviour), the
// whole output when it fails, and the recovery still said.
func TestRunQuietSuccess(t *testing.T) {
	t.Parallel()
	srv := startServer(t, testserver.Config{Mode: "error-500"})
	state := filepath.Join(t.TempDir(), "state.json")
	flags := []string{"--quiet-success", "--state", state}

	// One job (the same URL and command line every run), told by a file
	// how to end: the state is kept per job.
	ctl := filepath.Join(t.TempDir(), "ctl")
	set := func(s string) string {
		require.NoError(t, os.WriteFile(ctl, []byte(s+"\n"), 0o600))
		return ". " + ctl
	}
	code, out, errOut := job(t, srv.URL, flags, set("echo one; echo two >&2"))
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	assert.Empty(t, errOut)

	code, out, errOut = job(t, srv.URL, flags, set("echo one; echo two >&2; exit 3"))
	assert.Equal(t, 3, code)
	assert.Equal(t, "one\n", out)
	assert.Contains(t, errOut, "two\n")
	assert.Contains(t, errOut, "is malfunctioning")

	code, out, errOut = job(t, srv.URL, flags, set("echo one"))
	assert.Equal(t, 0, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "downfor: recovered")
	assert.NotContains(t, errOut, "one")

	code, _, errOut = job(t, srv.URL, []string{"--quiet-success", "--passthrough"}, "true")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--quiet-success cannot hide what --passthrough lets out")
}
