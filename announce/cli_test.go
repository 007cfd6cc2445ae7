package announce_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/announce"
)

// TestCLI runs the real downfor command against a service behind a
// Switch on a loopback socket: the exit codes (protocol C9) and the JSON
// of "check --json" (protocol C10).
func TestCLI(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/downfor")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build cmd/downfor with")
	}
	bin := filepath.Join(t.TempDir(), "downfor")
	build := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, "github.com/downfor/downfor/cmd/downfor")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "%s", out)

	var sw announce.Switch
	srv := httptest.NewServer(sw.Handler(app))
	t.Cleanup(srv.Close)

	check := func() (code int, doc map[string]any) {
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "check", "--json", srv.URL+"/v1/orders")
		stdout, err := cmd.Output()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		} else {
			require.NoError(t, err)
		}
		require.NoError(t, json.Unmarshal(stdout, &doc), "%s", stdout)
		return code, doc
	}

	code, doc := check()
	assert.Equal(t, 0, code, "protocol C9: ok")
	assert.Equal(t, "ok", doc["class"], "protocol C10")
	assert.NotContains(t, doc, "confidence", "protocol C10: for maintenance only")

	until := time.Now().Add(time.Hour)
	sw.Start(until, "Upgrading the orders database.")
	code, doc = check()
	assert.Equal(t, 75, code, "protocol C9: maintenance is EX_TEMPFAIL")
	assert.Equal(t, "maintenance", doc["class"], "protocol C10")
	assert.Equal(t, "explicit", doc["confidence"], "protocol C10")
	assert.Equal(t, float64(503), doc["status"], "protocol C10")
	assert.InDelta(t, 3600, doc["retry_after_seconds"], 5, "protocol C10")
	assert.Equal(t, "Upgrading the orders database.", doc["message"], "protocol C10")
	assert.Equal(t, srv.URL+"/v1/orders", doc["url"], "protocol C10")
	assert.Contains(t, doc, "checked_at", "protocol C10")
	evidence, ok := doc["evidence"].([]any)
	require.True(t, ok, "protocol C10: evidence is an array")
	require.NotEmpty(t, evidence)
	for _, e := range evidence {
		m, ok := e.(map[string]any)
		require.True(t, ok)
		for _, k := range []string{"source", "signal", "value", "strength"} {
			assert.Contains(t, m, k, "protocol C10")
		}
		if m["strength"] != "none" {
			assert.Contains(t, m, "indicates", "protocol C10")
		}
	}

	sw.End()
	code, doc = check()
	assert.Equal(t, 0, code, "protocol C9")
	assert.Equal(t, "ok", doc["class"])
}
