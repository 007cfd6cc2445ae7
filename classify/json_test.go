package classify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestVerdictJSON(t *testing.T) {
	until := time.Date(2026, 11, 23, 11, 0, 0, 0, time.FixedZone("CET", 3600))
	status := Evidence{Source: SourceResponse, Signal: "status", Value: "503", Strength: Implied, Indicates: Maintenance}
	probe := Evidence{Source: SourceProbe, Signal: "probe", Value: "200", Strength: Explicit, Indicates: Maintenance}
	tests := []struct {
		name string
		v    Verdict
		want string
	}{
		{"zero", Verdict{}, `{"class":"ok","evidence":[]}`},
		{"maintenance, everything known",
			Verdict{Class: Maintenance, Confidence: Explicit, Status: 503, RetryAfter: 600 * time.Second, HasRetryAfter: true,
				Until: until, Message: "Database upgrade", Evidence: []Evidence{status, probe}},
			`{"class":"maintenance","confidence":"explicit","status":503,"retry_after_seconds":600,
			  "until":"2026-11-23T10:00:00Z","message":"Database upgrade",
			  "evidence":[{"source":"response","signal":"status","value":"503","strength":"implied","indicates":"maintenance"},
			              {"source":"probe","signal":"probe","value":"200","strength":"explicit","indicates":"maintenance"}]}`},
		{"confidence only for maintenance",
			Verdict{Class: Malfunction, Confidence: Explicit, Status: 502, Evidence: []Evidence{}},
			`{"class":"malfunction","status":502,"evidence":[]}`},
		{"past date is present as 0",
			Verdict{Class: Maintenance, Confidence: Implied, Status: 503, HasRetryAfter: true},
			`{"class":"maintenance","confidence":"implied","status":503,"retry_after_seconds":0,"evidence":[]}`},
		{"rounded up", Verdict{Class: Throttled, Status: 429, HasRetryAfter: true, RetryAfter: 1500 * time.Millisecond},
			`{"class":"throttled","status":429,"retry_after_seconds":2,"evidence":[]}`},
		{"one nanosecond rounds up", Verdict{Class: Throttled, Status: 429, HasRetryAfter: true, RetryAfter: 1},
			`{"class":"throttled","status":429,"retry_after_seconds":1,"evidence":[]}`},
		{"negative clamps to 0", Verdict{Class: Throttled, Status: 429, HasRetryAfter: true, RetryAfter: -time.Second},
			`{"class":"throttled","status":429,"retry_after_seconds":0,"evidence":[]}`},
		{"saturated", Verdict{Class: Maintenance, Confidence: Implied, Status: 503, HasRetryAfter: true, RetryAfter: MaxRetryAfter},
			`{"class":"maintenance","confidence":"implied","status":503,"retry_after_seconds":9223372037,"evidence":[]}`},
		{"network", Error(fmt.Errorf("dial: %w", errBoom)),
			`{"class":"network","evidence":[{"source":"transport","signal":"other","value":"dial: connection lost mid-body","strength":"explicit","indicates":"network"}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.v)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(b))

			var back Verdict
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.v.Class, back.Class)
			if tt.v.Class == Maintenance {
				assert.Equal(t, tt.v.Confidence, back.Confidence)
			}
			assert.Equal(t, tt.v.Status, back.Status)
			assert.Equal(t, tt.v.HasRetryAfter, back.HasRetryAfter)
			if tt.v.RetryAfter >= 0 {
				assert.GreaterOrEqual(t, back.RetryAfter, tt.v.RetryAfter, "never shorter than asked")
				assert.Less(t, back.RetryAfter-tt.v.RetryAfter, time.Second)
			}
			assert.True(t, tt.v.Until.Equal(back.Until))
			assert.Equal(t, tt.v.Message, back.Message)
			assert.Len(t, back.Evidence, len(tt.v.Evidence))
			for i := range tt.v.Evidence {
				assert.Equal(t, tt.v.Evidence[i], back.Evidence[i])
			}

			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.JSONEq(t, string(b), string(again), "a second round trip is exact")
		})
	}
}

func TestVerdictJSONFromResponse(t *testing.T) {
	// The whole path: what check --json prints for a real answer.
	v := Response(record(503, hdr("Content-Type", "application/json", "Retry-After", "7200"), turnoutJSON), testNow, nil)
	b, err := json.Marshal(v)
	require.NoError(t, err)
	assert.JSONEq(t, `{"class":"maintenance","confidence":"implied","status":503,"retry_after_seconds":7200,
		"message":"The site is temporarily down for maintenance.","evidence":[
		{"source":"response","signal":"status","value":"503","strength":"implied","indicates":"maintenance"},
		{"source":"response","signal":"retry-after","value":"7200","strength":"implied","indicates":"maintenance"},
		{"source":"response","signal":"json-message","value":"The site is temporarily down for maintenance.","strength":"implied",
		 "indicates":"maintenance","message":"The site is temporarily down for maintenance."}]}`, string(b))
}

func TestVerdictUnmarshalErrors(t *testing.T) {
	for _, in := range []string{
		`{"class":"sideways"}`,
		`{"class":"ok","confidence":"very"}`,
		`{"class":"ok","evidence":[{"strength":"total"}]}`,
		`{"class":"ok","evidence":[{"indicates":"nowhere","strength":"explicit"}]}`,
		`{"class":"ok","until":"tomorrow"}`,
		`{"class":"ok","retry_after_seconds":"ten"}`,
		`[]`,
	} {
		t.Run(in, func(t *testing.T) {
			var v Verdict
			assert.Error(t, json.Unmarshal([]byte(in), &v))
		})
	}
	var v Verdict
	require.NoError(t, json.Unmarshal([]byte(`{"class":"throttled","retry_after_seconds":-5}`), &v))
	assert.True(t, v.HasRetryAfter)
	assert.Equal(t, time.Duration(0), v.RetryAfter, "a negative wait reads as 0")
	require.NoError(t, json.Unmarshal([]byte(`{"class":"maintenance","retry_after_seconds":99999999999999}`), &v))
	assert.Equal(t, MaxRetryAfter, v.RetryAfter, "a huge wait saturates")
}

func TestEvidenceJSON(t *testing.T) {
	start := time.Date(2026, 11, 23, 6, 0, 0, 0, time.UTC)
	until := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		e    Evidence
		want string
	}{
		{"none has no indicates", Evidence{Source: SourceProbe, Signal: "probe", Value: "404"},
			`{"source":"probe","signal":"probe","value":"404","strength":"none"}`},
		{"explicit", Evidence{Source: SourceResponse, Signal: "x-lazr-oopsid", Value: "OOPS-1", Strength: Explicit, Indicates: Malfunction},
			`{"source":"response","signal":"x-lazr-oopsid","value":"OOPS-1","strength":"explicit","indicates":"malfunction"}`},
		{"empty value is present", Evidence{Source: SourceRule, Signal: "r", Strength: Implied, Indicates: Maintenance},
			`{"source":"rule","signal":"r","value":"","strength":"implied","indicates":"maintenance"}`},
		{"window", Evidence{Source: SourceStatusPage, Signal: "scheduled-maintenance", Value: "in_progress", Strength: Explicit,
			Indicates: Maintenance, Message: "DB upgrade", Start: start, Until: until},
			`{"source":"status_page","signal":"scheduled-maintenance","value":"in_progress","strength":"explicit",
			  "indicates":"maintenance","message":"DB upgrade","start":"2026-11-23T06:00:00Z","until":"2026-11-23T10:00:00Z"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.e)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(b))
			var back Evidence
			require.NoError(t, json.Unmarshal(b, &back))
			assert.Equal(t, tt.e, back)
		})
	}
	var e Evidence
	assert.Error(t, json.Unmarshal([]byte(`"x"`), &e))
}

func TestEvidenceString(t *testing.T) {
	tests := []struct {
		e    Evidence
		want string
	}{
		{Evidence{Source: SourceResponse, Signal: "status", Value: "503", Strength: Implied, Indicates: Malfunction}, "status 503 (implied malfunction)"},
		{Evidence{Source: SourceProbe, Signal: "probe", Value: "404"}, "probe 404"},
		{Evidence{Signal: "status"}, "status"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) { assert.Equal(t, tt.want, tt.e.String()) })
	}
}

func TestClassText(t *testing.T) {
	want := []string{"ok", "client_error", "throttled", "maintenance", "malfunction", "network"}
	require.Len(t, Classes(), len(want))
	for i, c := range Classes() {
		t.Run(want[i], func(t *testing.T) {
			assert.Equal(t, want[i], c.String())
			b, err := c.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, want[i], string(b))
			var back Class
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, c, back)
			parsed, err := ParseClass(want[i])
			require.NoError(t, err)
			assert.Equal(t, c, parsed)
			j, err := json.Marshal(c)
			require.NoError(t, err)
			assert.Equal(t, `"`+want[i]+`"`, string(j))
		})
	}
	t.Run("unknown", func(t *testing.T) {
		bad := Class(42)
		assert.Equal(t, "Class(42)", bad.String())
		_, err := bad.MarshalText()
		assert.Error(t, err)
		_, err = json.Marshal(bad)
		assert.Error(t, err)
		for _, name := range []string{"", "OK", "Maintenance", "down", " ok"} {
			var c Class
			assert.Error(t, c.UnmarshalText([]byte(name)), name)
			_, err := ParseClass(name)
			var pe *ParseError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, ParseError{What: "class", Input: name, Reason: pe.Reason}, *pe)
			assert.Contains(t, pe.Reason, "want one of ok, client_error")
			assert.Equal(t, fmt.Sprintf("downfor: class %q: %s", name, pe.Reason), err.Error())
		}
	})
}

func TestStrengthText(t *testing.T) {
	for i, name := range []string{"none", "implied", "explicit"} {
		s := Strength(i)
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, name, s.String())
			b, err := s.MarshalText()
			require.NoError(t, err)
			assert.Equal(t, name, string(b))
			var back Strength
			require.NoError(t, back.UnmarshalText(b))
			assert.Equal(t, s, back)
		})
	}
	t.Run("unknown", func(t *testing.T) {
		bad := Strength(9)
		assert.Equal(t, "Strength(9)", bad.String())
		_, err := bad.MarshalText()
		assert.Error(t, err)
		var s Strength
		err = s.UnmarshalText([]byte("Explicit"))
		var pe *ParseError
		require.ErrorAs(t, err, &pe)
		assert.Equal(t, "strength", pe.What)
		assert.Equal(t, "Explicit", pe.Input)
		assert.Equal(t, `downfor: strength "Explicit": unknown; want none, implied or explicit`, err.Error())
	})
}

func TestParseRule(t *testing.T) {
	tests := []struct {
		in   string
		want Rule
		text string // Rule.String, if not in
	}{
		{in: "header:StatusHeader=maintenance window", want: Rule{Header: "Statusheader", Value: "maintenance window"},
			text: "header:Statusheader=maintenance window"},
		{in: "header:X-Maintenance", want: Rule{Header: "X-Maintenance"}},
		{in: "json:meta.code=MAINTENANCE", want: Rule{JSONField: "meta.code", Value: "MAINTENANCE"}},
		{in: "json:errors.0.code", want: Rule{JSONField: "errors.0.code"}},
		{in: "header:X-Error-Id -> malfunction", want: Rule{Header: "X-Error-Id", Indicates: Malfunction}},
		{in: "header:X-Quota->throttled", want: Rule{Header: "X-Quota", Indicates: Throttled}, text: "header:X-Quota -> throttled"},
		{in: "json:error.type=invalid_request -> client_error", want: Rule{JSONField: "error.type", Value: "invalid_request", Indicates: ClientError}},
		{in: "json:a -> maintenance", want: Rule{JSONField: "a"}, text: "json:a"},
		{in: "  HEADER : x-a = b  ", want: Rule{Header: "X-A", Value: "b"}, text: "header:X-A=b"},
		{in: "json:a=b=c", want: Rule{JSONField: "a", Value: "b=c"}},
		{in: "json:a:b=c", want: Rule{JSONField: "a:b", Value: "c"}},
		{in: "json:x=a->b -> maintenance", want: Rule{JSONField: "x", Value: "a->b"}},
		{in: "json:x=a->b -> malfunction", want: Rule{JSONField: "x", Value: "a->b", Indicates: Malfunction}},
		{in: "header:X=", want: Rule{Header: "X"}, text: "header:X"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			r, err := ParseRule(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, r)
			text := tt.text
			if text == "" {
				text = tt.in
			}
			assert.Equal(t, text, r.String())
			back, err := ParseRule(r.String())
			require.NoError(t, err)
			assert.Equal(t, r, back, "String and ParseRule round trip")
		})
	}
}

func TestParseRuleErrors(t *testing.T) {
	for _, in := range []string{
		"",
		"StatusHeader=maintenance",
		"cookie:session",
		"header:",
		"header: =x",
		"json:",
		"header:X Y=z",
		"header:X\x00=z",
		"header:X(=z",
		"header:Ünïcode",
		"json:.a",
		"json:a.",
		"json:a..b",
		"header:X -> ok",
		"header:X -> network",
		"header:X -> sideways",
		"header:X ->",
		"json:x=a->b",
	} {
		t.Run(in, func(t *testing.T) {
			_, err := ParseRule(in)
			require.Error(t, err)
			assert.Regexp(t, `^downfor: rule ".*": `, err.Error())
			assert.NotContains(t, err.Error()[len("downfor:"):], "downfor:", "one prefix")
			var pe *ParseError
			require.ErrorAs(t, err, &pe, "a typed error")
			assert.Equal(t, "rule", pe.What)
			assert.Equal(t, in, pe.Input)
			assert.NotEmpty(t, pe.Reason)
			assert.NotContains(t, pe.Reason, "downfor:")
		})
	}
}

func TestRuleStringWritesClassWhenNeeded(t *testing.T) {
	for _, r := range []Rule{
		{JSONField: "x", Value: "a->b"},
		{JSONField: "x", Value: "->"},
		{JSONField: "a->b"},
		{JSONField: "x", Value: "p -> malfunction"},
		{JSONField: "x", Value: "a-", Indicates: Malfunction},
	} {
		t.Run(r.String(), func(t *testing.T) {
			back, err := ParseRule(r.String())
			require.NoError(t, err)
			assert.Equal(t, r, back)
		})
	}
}

func TestRuleMatching(t *testing.T) {
	doc := map[string]any{
		"status": "OUT_OF_SERVICE", "code": 503.0, "ok": false, "on": true, "nothing": nil, "empty": "",
		"errors": []any{map[string]any{"code": "PlannedMaintenance"}}, "nested": map[string]any{"deep": "x"},
	}
	tests := []struct {
		rule  Rule
		value string
		ok    bool
	}{
		{Rule{JSONField: "status", Value: "out_of_service"}, "OUT_OF_SERVICE", true},
		{Rule{JSONField: "status"}, "OUT_OF_SERVICE", true},
		{Rule{JSONField: "code", Value: "503"}, "503", true},
		{Rule{JSONField: "on", Value: "true"}, "true", true},
		{Rule{JSONField: "on"}, "true", true},
		{Rule{JSONField: "ok"}, "false", false},
		{Rule{JSONField: "nothing"}, "null", false},
		{Rule{JSONField: "empty"}, "", false},
		{Rule{JSONField: "missing"}, "", false},
		{Rule{JSONField: "errors.0.code", Value: "plannedmaintenance"}, "PlannedMaintenance", true},
		{Rule{JSONField: "errors.1.code"}, "", false},
		{Rule{JSONField: "errors.x.code"}, "", false},
		{Rule{JSONField: "errors.9999999.code"}, "", false},
		{Rule{JSONField: "errors"}, "", false},
		{Rule{JSONField: "nested"}, "", false},
		{Rule{JSONField: "status.deeper"}, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.rule.String(), func(t *testing.T) {
			value, ok := tt.rule.matchJSON(doc)
			assert.Equal(t, tt.ok, ok)
			if ok {
				assert.Equal(t, tt.value, value)
			}
		})
	}

	h := http.Header{"Statusheader": {"Status: ok", "Status: Maintenance Window"}, "x-lower": {"v"}}
	value, ok := Rule{Header: "StatusHeader", Value: "maintenance window"}.matchHeader(h)
	assert.True(t, ok)
	assert.Equal(t, "Status: Maintenance Window", value)
	_, ok = Rule{Header: "X-Lower"}.matchHeader(h)
	assert.Equal(t, len(h.Values("X-Lower")) > 0, ok, "a canonical name finds what Header.Values finds")
	value, ok = Rule{Header: "x-lower"}.matchHeader(h)
	assert.True(t, ok, "a non-canonical name also finds a hand-built key")
	assert.Equal(t, "v", value)
	_, ok = Rule{Header: "X-Absent"}.matchHeader(h)
	assert.False(t, ok)
	_, ok = Rule{Header: "statusHEADER", Value: "nope"}.matchHeader(h)
	assert.False(t, ok)
}

func TestRuleDefaultsAndLabels(t *testing.T) {
	r := Rule{Name: "cf", Header: "StatusHeader", Strength: Implied}
	v := Observe(Observation{Status: 200, Header: hdr("StatusHeader", "x")}, testNow, &Options{Rules: []Rule{r}})
	assert.Equal(t, Maintenance, v.Class)
	assert.Equal(t, Implied, v.Confidence, "a rule's own strength is kept")
	requireEvidence(t, v, ev(SourceRule, "cf", "StatusHeader: x", Implied, Maintenance))

	nw := Rule{Header: "X-A", Indicates: Network}
	v = Observe(Observation{Status: 200, Header: hdr("X-A", "1")}, testNow, &Options{Rules: []Rule{nw}})
	assert.Equal(t, OK, v.Class, "a network rule built in code is ignored")
}
