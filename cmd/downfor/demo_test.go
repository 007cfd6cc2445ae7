package main

import (
	"bytes"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// TestDemo plays the demo's timeline on the in-memory mock service inside
// a testing/synctest bubble: the fake clock moves only when every
// goroutine waits, so no check can land after its phase on a loaded
// machine. CI runs the real "downfor demo" (sockets, the wall clock) as a
// smoke test of the command-line path.
func TestDemo(t *testing.T) {
	t.Parallel()
	tests := []struct {
		timeline string
		want     []string // in this order
	}{
		{demoTimeline, []string{
			"ok  ", "→ proceed",
			"maintenance (implied)", "retry-after 120", "→ wait 2m0s (as the server asked)",
			"maintenance (explicit)", "probe 200", "→ wait 4s (as the server asked)",
			"malfunction", "→ wait 1s (backoff)",
			"ok  ", "→ proceed",
			"The service is back. ",
		}},
		{"ok:1s,osf:5s,haproxy-no-backend:3s,ok", []string{
			"ok  ", "→ proceed",
			"maintenance (explicit)", "[osf]", "→ wait 1s (backoff)",
			"malfunction", "[haproxy-no-backend]",
			"ok  ", "→ proceed",
			"The service is back. ",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.timeline, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				steps, err := testserver.ParseTimeline(tt.timeline)
				require.NoError(t, err)
				var out bytes.Buffer
				d := demo{steps: steps, interval: demoInterval, out: &out, inMemory: true}
				require.NoError(t, d.run(t.Context()), out.String())
				rest := out.String()
				for _, w := range tt.want {
					i := strings.Index(rest, w)
					require.GreaterOrEqual(t, i, 0, "%q not found in order in:\n%s", w, out.String())
					rest = rest[i+len(w):]
				}
			})
		})
	}
}

func TestDemoBadFlags(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"--timeline", "nonsense:1s,ok"},
		{"--retry-after", "-1s"},
		{"--interval", "0s"},
		{"extra"},
	} {
		code, _, errOut := cli(t, append([]string{"demo"}, args...)...)
		assert.Equal(t, exitUsage, code, args)
		if strings.HasPrefix(args[0], "--") {
			assert.Contains(t, errOut, args[0])
		}
	}
}
