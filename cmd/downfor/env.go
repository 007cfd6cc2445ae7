package main

import (
	"net/url"
	"strings"
)

// environment holds every DOWNFOR_* fallback, read in one place so that the
// subcommands never touch os.Getenv themselves and tests can pass their own.
type environment struct {
	Token      string // DOWNFOR_TOKEN: bearer token of the mock server's control API
	URL        string // DOWNFOR_URL: default service URL for check, wait and run
	Timeout    string // DOWNFOR_TIMEOUT: default bound on one check (check --timeout; wait and run --check-timeout)
	ProbePath  string // DOWNFOR_PROBE_PATH: default --probe-path
	HasProbe   bool   // DOWNFOR_PROBE_PATH was set (even to empty, which disables the probe)
	Health     string // DOWNFOR_HEALTH: default --health
	StatusPage string // DOWNFOR_STATUS_PAGE: default --status-page
	State      string // DOWNFOR_STATE: default --state for run
	PingURL    string // DOWNFOR_PING_URL: default --ping for run
	NoColor    bool   // NO_COLOR (https://no-color.org): never colour output
	Term       string // TERM: "dumb" means no colour and no countdown
	TempDir    string // TMPDIR: where run spills a job's output past --buffer; if empty, the system's default
	Columns    string // COLUMNS: the terminal's width, when it cannot be asked
}

func readEnv(lookup func(string) (string, bool)) environment {
	var e environment
	e.Token, _ = lookup("DOWNFOR_TOKEN")
	e.URL, _ = lookup("DOWNFOR_URL")
	e.Timeout, _ = lookup("DOWNFOR_TIMEOUT")
	e.ProbePath, e.HasProbe = lookup("DOWNFOR_PROBE_PATH")
	e.Health, _ = lookup("DOWNFOR_HEALTH")
	e.StatusPage, _ = lookup("DOWNFOR_STATUS_PAGE")
	e.State, _ = lookup("DOWNFOR_STATE")
	e.PingURL, _ = lookup("DOWNFOR_PING_URL")
	_, e.NoColor = lookup("NO_COLOR")
	e.Term, _ = lookup("TERM")
	e.TempDir, _ = lookup("TMPDIR")
	e.Columns, _ = lookup("COLUMNS")
	return e
}

// jobEnviron is the environment of run's job: downfor's own, without
// what is downfor's secret: DOWNFOR_TOKEN (the mock server's control
// token), DOWNFOR_PING_URL (its path is the check's secret), and
// DOWNFOR_URL when it holds credentials (user information, or a query
// parameter named like a secret).
func jobEnviron(environ []string) []string {
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		switch name {
		case "DOWNFOR_TOKEN", "DOWNFOR_PING_URL":
			continue
		case "DOWNFOR_URL":
			if urlHasSecrets(value) {
				continue
			}
		}
		out = append(out, kv)
	}
	return out
}

// urlHasSecrets reports whether raw holds credentials, or cannot be read
// well enough to tell.
func urlHasSecrets(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return strings.Contains(raw, "@")
	}
	return u.User != nil || len(secretsOf(u)) > 0 || redactURL(u) != u.String()
}
