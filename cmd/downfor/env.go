package main

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
	return e
}
