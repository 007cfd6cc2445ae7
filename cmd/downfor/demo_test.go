package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDemo(t *testing.T) {
	t.Parallel()
	code, out, errOut := cli(t, "demo", "--timeline", "ok:300ms,retry-after-seconds:2s,app-stopped:2s,error-500:2s,ok",
		"--retry-after", "1s", "--interval", "200ms")
	require.Equal(t, exitOK, code, errOut)

	// The classes appear in the timeline's order, each with its decision.
	want := []string{
		"ok  ", "→ proceed",
		"maintenance (implied)", "→ wait 1s (as the server asked)",
		"maintenance (explicit)", "probe 200",
		"malfunction", "→ wait",
		"ok  ", "→ proceed",
		"The service is back.",
	}
	rest := out
	for _, w := range want {
		i := strings.Index(rest, w)
		require.GreaterOrEqual(t, i, 0, "%q not found in order in:\n%s", w, out)
		rest = rest[i+len(w):]
	}
}

func TestDemoBadTimeline(t *testing.T) {
	t.Parallel()
	code, _, errOut := cli(t, "demo", "--timeline", "nonsense:1s,ok")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--timeline")
}
