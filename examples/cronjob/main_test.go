package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

func TestRun(t *testing.T) {
	tests := []struct {
		name       string
		mode       string
		flags      []string
		wantCode   int
		wantStdout string // a substring; "" means stdout stays empty
		wantStderr string // a substring; "" means stderr stays empty
	}{
		{name: "ok prints the body", mode: "ok", wantStdout: `"ok":true`},
		{name: "maintenance is quiet", mode: "osf"},
		{name: "maintenance exit 75", mode: "osf", flags: []string{"-maintenance-exit", "75"}, wantCode: 75},
		{name: "maintenance verbose", mode: "osf", flags: []string{"-v"},
			wantStderr: "cronjob: skipped: maintenance (explicit)"},
		{name: "wait past max-wait skips", mode: "retry-after-huge"},
		{name: "malfunction alerts", mode: "error-500", wantCode: 1,
			wantStderr: "cronjob: ALERT: "},
		{name: "client error alerts", mode: "cf-static", wantCode: 1,
			wantStderr: "404 Not Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, err := testserver.New(tt.mode)
			require.NoError(t, err)
			t.Cleanup(srv.Close)

			// A short -max-wait: the test must not sit through retries.
			args := append([]string{"-max-wait", "100ms"}, tt.flags...)
			args = append(args, srv.URL+"/export")
			var stdout, stderr bytes.Buffer
			code := run(t.Context(), args, &stdout, &stderr)

			assert.Equal(t, tt.wantCode, code, "stderr: %s", stderr.String())
			if tt.wantStdout == "" {
				assert.Empty(t, stdout.String())
			} else {
				assert.Contains(t, stdout.String(), tt.wantStdout)
			}
			if tt.wantStderr == "" {
				assert.Empty(t, stderr.String())
			} else {
				assert.Contains(t, stderr.String(), tt.wantStderr)
				assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line: %q", stderr.String())
			}
		})
	}
}

// With no URL, run serves the chosen mode itself.
func TestRunMockServer(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(t.Context(), []string{"-mode", "retry-after-huge", "-maintenance-exit", "75"}, &stdout, &stderr)
	assert.Equal(t, 75, code)
	assert.Empty(t, stdout.String())
	assert.Contains(t, stderr.String(), "mode retry-after-huge")
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{
		{"-mode", "no-such-mode"},
		{"-maintenance-exit", "300"},
		{"http://a/", "http://b/"},
		{"-no-such-flag"},
	} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, exitUsage, run(t.Context(), args, &stdout, &stderr), "%q", args)
		assert.NotEmpty(t, stderr.String(), "%q", args)
	}
}

// syncBuffer is a stderr the test can read while the job writes it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
	hit chan struct{} // closed when a line with "cronjob: waiting" arrives
	one sync.Once
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if strings.Contains(b.buf.String(), "cronjob: waiting ") {
		b.one.Do(func() { close(b.hit) })
	}
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRunStoppedDuringWait: SIGTERM (main's context ends) while the client
// waits out a maintenance window (Laravel's Retry-After: 60, within
// -max-wait) ends the run at once, quietly, as a skipped run: it is not an
// alert about maintenance. Stopped while backing off from a malfunction,
// it says it was interrupted, and blames no one. The stop comes once the
// job says (-v) that its wait has begun.
func TestRunStoppedDuringWait(t *testing.T) {
	t.Parallel()
	for mode, want := range map[string]struct {
		code   int
		stderr string
	}{
		"laravel":   {75, "cronjob: skipped: stopped while waiting (context canceled): maintenance"},
		"error-500": {exitInterrupted, "cronjob: interrupted: context canceled"},
	} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			srv, err := testserver.New(mode)
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			stderr := &syncBuffer{hit: make(chan struct{})}
			go func() {
				select {
				case <-stderr.hit:
					cancel()
				case <-ctx.Done():
				}
			}()
			var stdout bytes.Buffer
			code := run(ctx, []string{"-v", "-max-wait", "10m", "-maintenance-exit", "75", srv.URL + "/export"}, &stdout, stderr)
			assert.Equal(t, want.code, code, "stderr: %s", stderr.String())
			assert.Empty(t, stdout.String())
			lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
			require.Len(t, lines, 2, stderr.String())
			assert.True(t, strings.HasPrefix(lines[0], "cronjob: waiting "), lines[0])
			assert.True(t, strings.HasPrefix(lines[1], want.stderr), lines[1])
			assert.NotContains(t, stderr.String(), "ALERT")
		})
	}
}
