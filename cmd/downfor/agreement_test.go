package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/internal/corpus"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// agreeTimeout bounds one check on both sides: short, for the modes that
// never answer; what is compared is the class, not the time.
const agreeTimeout = time.Second

// sdkConfig is the client.Config a Go user writes for what "downfor check"
// does with its defaults: the service's own probe, /health and Statuspage
// summary, looked at afresh, each check bounded by agreeTimeout.
func sdkConfig(health, statusPage string, components []string, opts classify.Options) client.Config {
	return client.Config{
		AttemptTimeout: agreeTimeout,
		Classify:       opts,
		Probe: probe.Config{
			Timeout: agreeTimeout, CacheFor: -1,
			HealthURL: health, StatusPageURL: statusPage, Components: components,
		},
	}
}

// agree checks one URL through "downfor check --json" (the CLI's run
// function) and through client.Check with the matching Config, and
// asserts they give the same class, confidence and strength of the
// strongest evidence. It returns the CLI's verdict.
func agree(t *testing.T, args []string, target string, cfg client.Config) classify.Verdict {
	t.Helper()
	code, out, errOut := cli(t, append(append([]string{"check", "--json", "--timeout", agreeTimeout.String()}, args...), target)...)
	require.NotEqual(t, exitUsage, code, errOut)
	var fromCLI classify.Verdict
	require.NoError(t, json.Unmarshal([]byte(out), &fromCLI), out)

	c := client.New(cfg)
	defer c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	fromSDK, err := c.Check(ctx, target)
	require.NoError(t, err)

	assert.Equal(t, fromSDK.Class, fromCLI.Class, "class: CLI %s / SDK %s", fromCLI, fromSDK)
	assert.Equal(t, fromSDK.Confidence, fromCLI.Confidence, "confidence: CLI %s / SDK %s", fromCLI, fromSDK)
	ec, _ := fromCLI.Strongest()
	es, _ := fromSDK.Strongest()
	assert.Equal(t, es.Strength, ec.Strength, "strength of the strongest evidence: CLI %s / SDK %s", fromCLI, fromSDK)
	assert.Equal(t, exitCode(fromSDK.Class), code, "the CLI's exit code is the SDK class's")
	return fromCLI
}

// TestAgreementModes: for every mode of the mock server, "downfor check"
// and client.Check give the same verdict: one decision path.
func TestAgreementModes(t *testing.T) {
	t.Parallel()
	for _, m := range testserver.Modes() {
		t.Run(m.Name, func(t *testing.T) {
			t.Parallel()
			srv := startServer(t, testserver.Config{Mode: m.Name, HugeBody: 4 << 20})
			agree(t, nil, srv.URL+"/api/orders", sdkConfig(defaultHealthPath, defaultStatusPath, nil, classify.Options{}))
		})
	}
}

// TestAgreementCorpus: for every case of the corpus of real products'
// responses, served by its own handler, "downfor check" and client.Check
// give the same verdict.
func TestAgreementCorpus(t *testing.T) {
	t.Parallel()
	cases, err := corpus.All()
	require.NoError(t, err)
	require.NotEmpty(t, cases)
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(c.Handler())
			t.Cleanup(srv.Close)
			args := []string{"--health", orNone(c.Health), "--status-page", orNone(c.StatusPage)}
			for _, comp := range c.Components {
				args = append(args, "--component", comp)
			}
			if c.Options.HTMLTitle {
				args = append(args, "--html")
			}
			for _, r := range c.Options.Rules {
				args = append(args, "--rule", ruleText(t, r))
			}
			agree(t, args, srv.URL+c.Path, sdkConfig(c.Health, c.StatusPage, c.Components, c.Options))
		})
	}
}

func orNone(s string) string {
	if s == "" {
		return disabled
	}
	return s
}

// ruleText writes a rule back as --rule takes it.
func ruleText(t *testing.T, r classify.Rule) string {
	t.Helper()
	if r.Strength != classify.None {
		t.Skip("a rule with a strength cannot be written as --rule")
	}
	s := "json:" + r.JSONField
	if r.Header != "" {
		s = "header:" + r.Header
	}
	if r.Value != "" {
		s += "=" + r.Value
	}
	if r.Indicates != classify.OK && r.Indicates != classify.Maintenance {
		s += " -> " + r.Indicates.String()
	}
	return s
}
