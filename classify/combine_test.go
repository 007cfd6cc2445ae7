package classify

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCombineStaleWindow(t *testing.T) {
	bad502 := Response(record(502, hdr("Content-Type", "text/html"), nginx502), testNow, nil)
	probe := func(until time.Time) Evidence {
		return Evidence{Source: SourceProbe, Signal: "probe", Value: "200", Strength: Explicit, Indicates: Maintenance, Until: until}
	}
	tests := []struct {
		name  string
		until time.Time
		class Class
	}{
		{"window still open", testNow.Add(time.Hour), Maintenance},
		{"no end announced", time.Time{}, Maintenance},
		{"overran by half an hour", testNow.Add(-30 * time.Minute), Maintenance},
		{"ended a month ago: a probe file left behind", testNow.Add(-30 * 24 * time.Hour), Malfunction},
		{"ended just over an hour ago", testNow.Add(-time.Hour - time.Second), Malfunction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Combine(bad502, testNow, probe(tt.until))
			assert.Equal(t, tt.class, v.Class, "%v", v)
			last := v.Evidence[len(v.Evidence)-1]
			if tt.class == Malfunction {
				assert.Equal(t, None, last.Strength)
				assert.Contains(t, last.Value, "stale, not evidence")
			} else {
				assert.Equal(t, Explicit, last.Strength)
			}
		})
	}
	t.Run("the caller's evidence is not modified", func(t *testing.T) {
		e := probe(testNow.Add(-48 * time.Hour))
		extra := []Evidence{e}
		_ = Combine(bad502, testNow, extra...)
		assert.Equal(t, e, extra[0])
	})
}

func TestCombine(t *testing.T) {
	until := testNow.Add(2 * time.Hour)
	later := testNow.Add(3 * time.Hour)

	observe := func(status int, h http.Header, body string) Verdict {
		return Response(record(status, h, body), testNow, nil)
	}
	bare503 := observe(503, hdr("Content-Type", "text/html"), haproxy)
	implied503 := observe(503, hdr("Content-Type", "text/plain", "Retry-After", "600"), "")
	bad502 := observe(502, hdr("Content-Type", "text/html"), nginx502)
	timeout504 := observe(504, hdr("Content-Type", "text/html"), nginx504)
	notFound := observe(404, hdr("Content-Type", "application/json"), `{"message":"Not Found"}`)
	ok200 := observe(200, hdr("Content-Type", "application/json"), `{}`)
	throttled := observe(429, hdr("Retry-After", "30"), "")
	osf := observe(503, hdr("Content-Type", "application/json"), osfJSON)
	launchpad := observe(503, hdr("Retry-After", "900", "X-Lazr-Oopsid", "OOPS-1"), "")
	cf := Response(record(200, hdr("Content-Type", "application/json", "StatusHeader", "Status: maintenance window"), cfJSON),
		testNow, &Options{Rules: []Rule{{Header: "StatusHeader", Value: "maintenance window"}}})
	quota := Response(record(200, hdr("X-Quota-Exceeded", "1"), ""), testNow,
		&Options{Rules: []Rule{{Header: "X-Quota-Exceeded", Indicates: Throttled}}})
	network := Error(context.DeadlineExceeded)
	require.Equal(t, Maintenance, cf.Class)
	require.Equal(t, Throttled, quota.Class)

	probe := Evidence{Source: SourceProbe, Signal: "probe", Value: "200", Strength: Explicit, Indicates: Maintenance,
		Message: "Database upgrade", Until: until}
	probe404 := Evidence{Source: SourceProbe, Signal: "probe", Value: "404"}
	healthForbidden := Evidence{Source: SourceHealth, Signal: "health", Value: "403"}
	incident := Evidence{Source: SourceStatusPage, Signal: "incident", Value: "Elevated error rates", Strength: Explicit,
		Indicates: Malfunction, Message: "Elevated error rates"}
	pageMaint := Evidence{Source: SourceStatusPage, Signal: "scheduled-maintenance", Value: "in_progress", Strength: Explicit,
		Indicates: Maintenance, Message: "Planned upgrade", Start: testNow.Add(-time.Hour), Until: later}
	upcoming := Evidence{Source: SourceStatusPage, Signal: "scheduled-maintenance", Value: "scheduled", Strength: Explicit,
		Indicates: Maintenance, Message: "Next week", Start: testNow.Add(24 * time.Hour), Until: testNow.Add(26 * time.Hour)}
	healthImplied := Evidence{Source: SourceHealth, Signal: "health", Value: "warn", Strength: Implied, Indicates: Maintenance}

	tests := []struct {
		name       string
		primary    Verdict
		extra      []Evidence
		class      Class
		confidence Strength
		until      time.Time
		message    string
		hasRA      bool
	}{
		{"probe over 502", bad502, []Evidence{probe}, Maintenance, Explicit, until, "Database upgrade", false},
		{"probe over 504", timeout504, []Evidence{probe}, Maintenance, Explicit, until, "Database upgrade", false},
		{"probe over bare 503", bare503, []Evidence{probe}, Maintenance, Explicit, until, "Database upgrade", false},
		{"probe over network", network, []Evidence{probe}, Maintenance, Explicit, until, "Database upgrade", false},
		{"probe over 404", notFound, []Evidence{probe}, Maintenance, Explicit, until, "Not Found", false},
		{"probe over implied", implied503, []Evidence{probe}, Maintenance, Explicit, until, "Database upgrade", true},
		{"probe 404 changes nothing", bare503, []Evidence{probe404}, Malfunction, None, time.Time{}, "", false},
		{"probe 404 over implied", implied503, []Evidence{probe404}, Maintenance, Implied, time.Time{}, "", true},
		{"refused health changes nothing", network, []Evidence{healthForbidden}, Network, None, time.Time{}, "", false},
		{"no extra", bare503, nil, Malfunction, None, time.Time{}, "", false},
		{"incident beats implied", implied503, []Evidence{incident}, Malfunction, None, time.Time{}, "", true},
		{"incident beats explicit", osf, []Evidence{incident}, Malfunction, None, time.Time{}, "", false},
		{"incident beats probe", bad502, []Evidence{probe, incident}, Malfunction, None, time.Time{}, "", false},
		{"oops id beats probe", launchpad, []Evidence{probe}, Malfunction, None, time.Time{}, "", true},
		{"ok stays ok", ok200, []Evidence{probe, pageMaint}, OK, None, time.Time{}, "", false},
		{"ok stays ok over incident", ok200, []Evidence{incident}, OK, None, time.Time{}, "", false},
		{"latest until wins", bad502, []Evidence{probe, pageMaint}, Maintenance, Explicit, later, "Database upgrade", false},
		{"upcoming is only a forecast", bare503, []Evidence{upcoming}, Malfunction, None, time.Time{}, "", false},
		{"upcoming sets no until", implied503, []Evidence{upcoming}, Maintenance, Implied, time.Time{}, "", true},
		{"upcoming beside current", bad502, []Evidence{upcoming, pageMaint}, Maintenance, Explicit, later, "Planned upgrade", false},
		{"throttled stays throttled over implied", throttled, []Evidence{healthImplied}, Throttled, None, time.Time{}, "", true},
		{"throttled yields to explicit", throttled, []Evidence{probe}, Maintenance, Explicit, until, "Database upgrade", true},
		{"implied over network", network, []Evidence{healthImplied}, Maintenance, Implied, time.Time{}, "", false},
		{"rule on a 200 survives combining", cf, nil, Maintenance, Explicit, time.Time{}, "", false},
		{"rule on a 200 and a probe", cf, []Evidence{probe}, Maintenance, Explicit, until, "Database upgrade", false},
		{"rule on a 200 and an incident", cf, []Evidence{incident}, Malfunction, None, time.Time{}, "", false},
		{"throttled rule on a 200 survives", quota, []Evidence{probe404}, Throttled, None, time.Time{}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			primaryEvidence := append([]Evidence(nil), tt.primary.Evidence...)
			v := Combine(tt.primary, testNow, tt.extra...)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			assert.Equal(t, tt.confidence, v.Confidence)
			assert.True(t, tt.until.Equal(v.Until), "until: got %v, want %v", v.Until, tt.until)
			assert.Equal(t, tt.message, v.Message)
			assert.Equal(t, tt.hasRA, v.HasRetryAfter)
			assert.Equal(t, tt.primary.Status, v.Status)
			assert.Equal(t, append(primaryEvidence, tt.extra...), v.Evidence, "all evidence is kept, in order")
			assert.Equal(t, primaryEvidence, tt.primary.Evidence, "the primary is not modified")
		})
	}
}

func TestCombineDoesNotAliasPrimary(t *testing.T) {
	primary := Verdict{Class: Malfunction, Status: 503, Evidence: make([]Evidence, 1, 10)}
	a := Combine(primary, testNow, Evidence{Signal: "a"})
	b := Combine(primary, testNow, Evidence{Signal: "b"})
	assert.Equal(t, "a", a.Evidence[1].Signal)
	assert.Equal(t, "b", b.Evidence[1].Signal)
}

func TestStrict(t *testing.T) {
	gitlab := Response(record(403, hdr("Content-Type", "application/json"), gitlabJSON), testNow, nil)
	implied503 := Response(record(503, hdr("Retry-After", "600"), ""), testNow, nil)
	osf := Response(record(503, hdr("Content-Type", "application/json"), osfJSON), testNow, nil)
	network := Combine(Error(context.DeadlineExceeded), testNow,
		Evidence{Source: SourceHealth, Signal: "health", Strength: Implied, Indicates: Maintenance})
	tests := []struct {
		name string
		v    Verdict
		want Class
	}{
		{"503 + Retry-After", implied503, Malfunction},
		{"gitlab read-only", gitlab, ClientError},
		{"implied over network", network, Network},
		{"explicit stays", osf, Maintenance},
		{"malfunction stays", Verdict{Class: Malfunction, Status: 500}, Malfunction},
		{"ok stays", Verdict{}, OK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.v.Strict()
			assert.Equal(t, tt.want, s.Class)
			if s.Class != Maintenance {
				assert.Equal(t, None, s.Confidence)
			}
			assert.Equal(t, tt.v.Evidence, s.Evidence, "evidence is kept")
			assert.Equal(t, tt.v.RetryAfter, s.RetryAfter)
		})
	}
}

func TestVerdictWait(t *testing.T) {
	tests := []struct {
		name   string
		v      Verdict
		want   time.Duration
		wantOK bool
	}{
		{"nothing", Verdict{}, 0, false},
		{"retry after", Verdict{HasRetryAfter: true, RetryAfter: time.Minute}, time.Minute, true},
		{"retry after zero", Verdict{HasRetryAfter: true}, 0, true},
		{"until later", Verdict{HasRetryAfter: true, RetryAfter: time.Minute, Until: testNow.Add(time.Hour)}, time.Hour, true},
		{"retry after later", Verdict{HasRetryAfter: true, RetryAfter: 2 * time.Hour, Until: testNow.Add(time.Hour)}, 2 * time.Hour, true},
		{"until past", Verdict{Until: testNow.Add(-time.Hour)}, 0, true},
		{"until far future", Verdict{Until: time.Date(2999, 1, 1, 0, 0, 0, 0, time.UTC)}, MaxRetryAfter, true},
		{"saturated", Verdict{HasRetryAfter: true, RetryAfter: MaxRetryAfter}, MaxRetryAfter, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := tt.v.Wait(testNow)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, d)
		})
	}
}

func TestVerdictStrongest(t *testing.T) {
	_, ok := Verdict{}.Strongest()
	assert.False(t, ok)

	v := Response(record(503, hdr("Content-Type", "application/json", "Retry-After", "60"), notifyJSON), testNow, nil)
	e, ok := v.Strongest()
	require.True(t, ok)
	assert.Equal(t, "json-flag", e.Signal, "explicit beats implied")

	v = Response(record(503, hdr("Retry-After", "60"), ""), testNow, nil)
	e, ok = v.Strongest()
	require.True(t, ok)
	assert.Equal(t, "status", e.Signal, "the first implied one")

	v = Verdict{Class: Network, Evidence: []Evidence{{Source: SourceTransport, Signal: "canceled"}}}
	e, ok = v.Strongest()
	require.True(t, ok)
	assert.Equal(t, "canceled", e.Signal, "else the first")
}

func TestVerdictString(t *testing.T) {
	v := Combine(Response(record(503, hdr("Retry-After", "600"), ""), testNow, nil), testNow,
		Evidence{Source: SourceProbe, Signal: "probe", Value: "200", Strength: Explicit, Indicates: Maintenance,
			Until: time.Date(2026, 11, 23, 10, 0, 0, 0, time.FixedZone("CET", 3600))})
	assert.Equal(t, "maintenance (explicit), retry after 10m0s, until 2026-11-23T09:00:00Z: "+
		"status 503 (implied maintenance); retry-after 600 (implied maintenance); probe 200 (explicit maintenance)", v.String())
	assert.Equal(t, "ok", Verdict{}.String())
	assert.Equal(t, "network: transport canceled context canceled", Error(context.Canceled).String())
}
