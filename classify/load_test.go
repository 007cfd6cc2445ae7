package classify

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A 503 that says it is busy or overloaded is no maintenance window,
// whatever its Retry-After (SharePoint's "503 Server Too Busy" with a
// Retry-After of minutes; the overloaded answers of AI APIs). Maintenance
// words still count, and the stock descriptions that hedge between
// overload and maintenance say nothing either way.
func TestBusyIsNoWindow(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		ctype  string
		body   string
		ra     string
		class  Class
		busy   bool // a "busy" throttle evidence is reported
	}{
		{"SharePoint's reason phrase", "Server Too Busy", "", "", "120", Throttled, true},
		{"Gemini's overloaded model", "", "application/json",
			`{"error":{"code":503,"message":"The model is overloaded. Please try again later.","status":"UNAVAILABLE"}}`, "120", Malfunction, false},
		{"Anthropic's error object", "", "application/json",
			`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`, "300", Malfunction, false},
		{"Ollama's plain text", "", "text/plain", "Server overloaded, please retry shortly", "120", Malfunction, false},
		{"a rate limit in a message", "", "application/json", `{"message":"Too many requests, please slow down"}`, "60", Throttled, true},
		{"busy without a window", "Server Too Busy", "", "", "", Throttled, true},
		{"a maintenance message still counts", "", "application/json",
			`{"message":"The site is down for maintenance; our servers are overloaded with the migration."}`, "600", Maintenance, false},
		{"RFC 6749's hedge is stock", "", "application/json",
			`{"error":"temporarily_unavailable","error_description":"The authorization server is currently unable to handle the request due to a temporary overloading or maintenance of the server."}`, "600", Maintenance, false},
		{"silent body keeps the window", "", "application/json", `{"error":"unavailable"}`, "600", Maintenance, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := hdr("Content-Type", tt.ctype)
			if tt.ra != "" {
				h.Set("Retry-After", tt.ra)
			}
			o := Observation{Status: 503, Reason: tt.reason, Header: h}
			if tt.body != "" {
				o.Body = []byte(tt.body)
			}
			v := Observe(o, testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			busy := false
			for _, e := range v.Evidence {
				if e.Signal == signalLoad {
					busy = true
					assert.Equal(t, Throttled, e.Indicates)
				}
			}
			assert.Equal(t, tt.busy, busy, "busy evidence in %v", v.Evidence)
		})
	}
}

func TestBusyOnlyOn503(t *testing.T) {
	for _, status := range []int{500, 502, 504} {
		v := Observe(Observation{Status: status, Reason: "Server Too Busy", Header: hdr("Retry-After", "120")}, testNow, nil)
		assert.Equal(t, Malfunction, v.Class, "status %d", status)
	}
}
