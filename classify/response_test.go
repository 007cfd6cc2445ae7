package classify

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bodies and headers as the real systems send them.
const (
	nginx502 = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
	nginx504 = "<html>\r\n<head><title>504 Gateway Time-out</title></head>\r\n<body>\r\n<center><h1>504 Gateway Time-out</h1></center>\r\n<hr><center>nginx/1.25.3</center>\r\n</body>\r\n</html>\r\n"
	haproxy  = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n"
	apache   = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>503 Service Unavailable</title>
</head><body>
<h1>Service Unavailable</h1>
<p>The server is temporarily unable to service your
request due to maintenance downtime or capacity
problems. Please try again later.</p>
<hr>
<address>Apache/2.4.58 (Ubuntu) Server at example.org Port 80</address>
</body></html>
`
	djangoHTML  = "<!DOCTYPE html>\n<html>\n<head><title>Service Unavailable</title></head>\n<body><h1>Sorry, we're down for maintenance.</h1><p>We'll be back shortly.</p></body>\n</html>\n"
	laravelHTML = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Service Unavailable</title>\n</head>\n" +
		"<body><div class=\"flex-center\"><div class=\"code\">503</div><div class=\"message\">Service Unavailable</div></div></body>\n</html>\n"
	cfStaticHTML = "<!DOCTYPE html>\n<html>\n<head><title>Maintenance</title></head>\n<body>\n<h1>Sorry, in maintenance mode</h1>\n<p>We will be back soon.</p>\n</body>\n</html>\n"
	turnoutJSON  = `{"error":"Service Unavailable","message":"The site is temporarily down for maintenance."}`
	osfJSON      = `{"meta":{"maintenance_mode":true,"status_page":"https://status.cos.io"}}`
	notifyJSON   = `{"status_code":503,"errors":[{"error":"PlannedMaintenanceError","message":"We're carrying out planned maintenance. Try again later."}]}`
	cfJSON       = `{"response":"The application is temporarily unavailable for scheduled maintenance.","status":503,"type":"Exception"}`
	gitlabJSON   = `{"message":"You cannot perform write operations on a read-only instance"}`
	problemJSON  = `{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"The API is down for scheduled maintenance until 10:00 UTC."}`
	strikeJSON   = `{"data":{"status":503,"code":"MAINTENANCE_MODE","message":"Maintenance mode is active."}}`
)

// hdr builds a header from name, value pairs, as a server would set them.
func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

// record serves status, header and body through an httptest recorder, so
// that the response is the one net/http builds for a real handler.
func record(status int, h http.Header, body string) *http.Response {
	rec := httptest.NewRecorder()
	for k, vs := range h {
		rec.Header()[k] = vs
	}
	rec.WriteHeader(status)
	_, _ = io.WriteString(rec, body)
	return rec.Result()
}

// ev is a piece of evidence to look for, compared on every field but
// Message, Start and Until.
func ev(source, signal, value string, s Strength, c Class) Evidence {
	return Evidence{Source: source, Signal: signal, Value: value, Strength: s, Indicates: c}
}

func requireEvidence(t *testing.T, v Verdict, want Evidence) {
	t.Helper()
	for _, e := range v.Evidence {
		if e.Source == want.Source && e.Signal == want.Signal && e.Value == want.Value &&
			e.Strength == want.Strength && (e.Strength == None || e.Indicates == want.Indicates) {
			return
		}
	}
	assert.Failf(t, "evidence not found", "want %v in %v", want, v.Evidence)
}

func TestResponse(t *testing.T) {
	const (
		json    = "application/json"
		html    = "text/html; charset=utf-8"
		text    = "text/plain; charset=utf-8"
		in10min = 10 * time.Minute
	)
	maintRA := func(v string) Evidence { return ev(SourceResponse, "retry-after", v, Implied, Maintenance) }
	status := func(code string, s Strength, c Class) Evidence { return ev(SourceResponse, "status", code, s, c) }
	invalidRA := func(v string) Evidence {
		return ev(SourceResponse, "retry-after", v+" (invalid, ignored)", None, OK)
	}
	cfRule := Rule{Header: "StatusHeader", Value: "maintenance window"}

	tests := []struct {
		name       string
		status     int
		header     http.Header
		body       string
		opts       *Options
		class      Class
		confidence Strength
		hasRA      bool
		ra         time.Duration
		message    string
		evidence   []Evidence
	}{
		// the in-band mock modes (testserver.Modes) and the in-band rules of docs/protocol.md (C3).
		{name: "ok", status: 200, header: hdr("Content-Type", json), body: `{"id":1,"name":"widget"}`,
			class: OK, evidence: []Evidence{status("200", Explicit, OK)}},
		{name: "ok 204", status: 204, class: OK, evidence: []Evidence{status("204", Explicit, OK)}},
		{name: "not modified", status: 304, header: hdr("Etag", `"abc"`), class: OK,
			evidence: []Evidence{status("304", Explicit, OK)}},
		{name: "redirect", status: 302, header: hdr("Location", "/elsewhere"), class: OK},
		{name: "retry-after-seconds", status: 503, header: hdr("Content-Type", text, "Retry-After", "120"),
			body: "Service Unavailable\n", class: Maintenance, confidence: Implied, hasRA: true, ra: 120 * time.Second,
			evidence: []Evidence{status("503", Implied, Maintenance), maintRA("120")}},
		{name: "retry-after-date", status: 503,
			header: hdr("Content-Type", text, "Retry-After", testNow.Add(in10min).Format(http.TimeFormat)),
			body:   "Service Unavailable\n", class: Maintenance, confidence: Implied, hasRA: true, ra: in10min,
			evidence: []Evidence{maintRA("Mon, 23 Nov 2026 07:10:00 GMT")}},
		{name: "django html", status: 503,
			header: hdr("Content-Type", html, "Retry-After", "3600", "Expires", "Mon, 23 Nov 2026 07:00:00 GMT",
				"Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
			body: djangoHTML, class: Maintenance, confidence: Implied, hasRA: true, ra: time.Hour,
			evidence: []Evidence{maintRA("3600")}},
		{name: "django json", status: 503,
			header: hdr("Content-Type", json, "Retry-After", "3600", "Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
			body:   "{}", class: Maintenance, confidence: Implied, hasRA: true, ra: time.Hour},
		{name: "laravel json", status: 503,
			header: hdr("Content-Type", json, "Retry-After", "60", "Refresh", "15", "Cache-Control", "no-cache, private"),
			body:   `{"message":"Service Unavailable"}`, class: Maintenance, confidence: Implied, hasRA: true, ra: time.Minute,
			message: "Service Unavailable", evidence: []Evidence{maintRA("60")}},
		{name: "laravel html", status: 503,
			header: hdr("Content-Type", html, "Retry-After", "60", "Refresh", "15", "Cache-Control", "no-cache, private"),
			body:   laravelHTML, class: Maintenance, confidence: Implied, hasRA: true, ra: time.Minute},
		{name: "laravel without retry", status: 503, header: hdr("Content-Type", html, "Refresh", "15"),
			body: laravelHTML, class: Malfunction, evidence: []Evidence{status("503", Implied, Malfunction)}},
		{name: "turnout", status: 503, header: hdr("Content-Type", json, "Retry-After", "7200"), body: turnoutJSON,
			class: Maintenance, confidence: Implied, hasRA: true, ra: 2 * time.Hour,
			message: "The site is temporarily down for maintenance.",
			evidence: []Evidence{maintRA("7200"), ev(SourceResponse, "json-message",
				"The site is temporarily down for maintenance.", Implied, Maintenance)}},
		{name: "osf", status: 503, header: hdr("Content-Type", "application/vnd.api+json; charset=utf-8"), body: osfJSON,
			class: Maintenance, confidence: Explicit,
			evidence: []Evidence{ev(SourceResponse, "json-flag", "meta.maintenance_mode=true", Explicit, Maintenance)}},
		{name: "notify", status: 503, header: hdr("Content-Type", json), body: notifyJSON,
			class: Maintenance, confidence: Explicit,
			message:  "We're carrying out planned maintenance. Try again later.",
			evidence: []Evidence{ev(SourceResponse, "json-flag", "errors.0.error=PlannedMaintenanceError", Explicit, Maintenance)}},
		{name: "strike error code", status: 503, header: hdr("Content-Type", json), body: strikeJSON,
			class: Maintenance, confidence: Explicit, message: "Maintenance mode is active.",
			evidence: []Evidence{ev(SourceResponse, "json-flag", "data.code=MAINTENANCE_MODE", Explicit, Maintenance)}},
		{name: "maintenance flag", status: 503, header: hdr("Content-Type", json), body: `{"maintenance":true}`,
			class: Maintenance, confidence: Explicit,
			evidence: []Evidence{ev(SourceResponse, "json-flag", "maintenance=true", Explicit, Maintenance)}},
		{name: "status maintenance any case", status: 503, header: hdr("Content-Type", json), body: `{"status":"Maintenance"}`,
			class: Maintenance, confidence: Explicit,
			evidence: []Evidence{ev(SourceResponse, "json-flag", "status=Maintenance", Explicit, Maintenance)}},
		{name: "maintenance flag false", status: 503, header: hdr("Content-Type", json), body: `{"maintenance_mode":false}`,
			class: Malfunction},
		{name: "cf-static", status: 200, header: hdr("Content-Type", html), body: cfStaticHTML, class: OK},
		{name: "cf-static html rule", status: 200, header: hdr("Content-Type", html), body: cfStaticHTML,
			opts: &Options{HTMLTitle: true}, class: Maintenance, confidence: Implied, message: "Sorry, in maintenance mode",
			evidence: []Evidence{ev(SourceResponse, "html-title", "Sorry, in maintenance mode", Implied, Maintenance)}},
		{name: "cf-static other path", status: 404, header: hdr("Content-Type", html), body: "Not Found", class: ClientError},
		{name: "cf-json-200", status: 200,
			header: hdr("Content-Type", json, "StatusHeader", "Status: maintenance window"), body: cfJSON, class: OK},
		{name: "cf-json-200 rule", status: 200,
			header: hdr("Content-Type", json, "StatusHeader", "Status: maintenance window"), body: cfJSON,
			opts: &Options{Rules: []Rule{cfRule}}, class: Maintenance, confidence: Explicit,
			evidence: []Evidence{ev(SourceRule, "header:StatusHeader=maintenance window",
				"StatusHeader: Status: maintenance window", Explicit, Maintenance)}},
		{name: "cf-json-200 parsed rule", status: 200,
			header: hdr("Content-Type", json, "StatusHeader", "Status: maintenance window"), body: cfJSON,
			opts: &Options{Rules: []Rule{mustRule(t, "header:StatusHeader=maintenance window")}}, class: Maintenance,
			confidence: Explicit},
		{name: "json field rule on 200", status: 200, header: hdr("Content-Type", json), body: `{"data":{"code":"MAINTENANCE"}}`,
			opts:  &Options{Rules: []Rule{{Name: "api-code", JSONField: "data.code", Value: "maintenance"}}},
			class: Maintenance, confidence: Explicit,
			evidence: []Evidence{ev(SourceRule, "api-code", "data.code=MAINTENANCE", Explicit, Maintenance)}},
		{name: "json field rule no match", status: 200, header: hdr("Content-Type", json), body: `{"data":{"code":"OK"}}`,
			opts: &Options{Rules: []Rule{{JSONField: "data.code", Value: "maintenance"}}}, class: OK},
		{name: "json field rule malfunction", status: 503, header: hdr("Content-Type", json, "Retry-After", "60"),
			body:  `{"errors":[{"code":"E_CRASH"}]}`,
			opts:  &Options{Rules: []Rule{mustRule(t, "json:errors.0.code=e_crash -> malfunction")}},
			class: Malfunction, hasRA: true, ra: time.Minute,
			evidence: []Evidence{ev(SourceRule, "json:errors.0.code=e_crash -> malfunction", "errors.0.code=E_CRASH", Explicit, Malfunction)}},
		{name: "header rule throttled", status: 200, header: hdr("X-Quota-Exceeded", "1"),
			opts: &Options{Rules: []Rule{mustRule(t, "header:X-Quota-Exceeded -> throttled")}}, class: Throttled},
		{name: "spring-out-of-service", status: 503,
			header: hdr("Content-Type", "application/vnd.spring-boot.actuator.v3+json"), body: `{"status":"OUT_OF_SERVICE"}`,
			class: Maintenance, confidence: Explicit,
			evidence: []Evidence{ev(SourceResponse, "json-flag", "status=OUT_OF_SERVICE", Explicit, Maintenance)}},
		{name: "spring down", status: 503,
			header: hdr("Content-Type", "application/vnd.spring-boot.actuator.v3+json"), body: `{"status":"DOWN"}`,
			class: Malfunction},
		{name: "gitlab-read-only read", status: 200, header: hdr("Content-Type", json), body: `[{"id":1}]`, class: OK},
		{name: "gitlab-read-only write", status: 403, header: hdr("Content-Type", json), body: gitlabJSON,
			class: Maintenance, confidence: Implied, message: "You cannot perform write operations on a read-only instance",
			evidence: []Evidence{status("403", Explicit, ClientError), ev(SourceResponse, "json-message",
				"You cannot perform write operations on a read-only instance", Implied, Maintenance)}},
		{name: "problem+json", status: 503, header: hdr("Content-Type", "application/problem+json"), body: problemJSON,
			class: Maintenance, confidence: Implied, message: "The API is down for scheduled maintenance until 10:00 UTC.",
			evidence: []Evidence{ev(SourceResponse, "json-message",
				"The API is down for scheduled maintenance until 10:00 UTC.", Implied, Maintenance)}},
		{name: "unlabelled json body", status: 503, body: osfJSON, class: Maintenance, confidence: Explicit},
		{name: "throttled", status: 429, header: hdr("Content-Type", json, "Retry-After", "30"),
			body: `{"message":"API rate limit exceeded"}`, class: Throttled, hasRA: true, ra: 30 * time.Second,
			message:  "API rate limit exceeded",
			evidence: []Evidence{status("429", Explicit, Throttled), ev(SourceResponse, "retry-after", "30", None, OK)}},
		{name: "throttled-bare", status: 429, header: hdr("Content-Type", text), body: "Too Many Requests\n", class: Throttled},
		{name: "throttled mentioning maintenance", status: 429, header: hdr("Content-Type", json, "Retry-After", "5"),
			body: `{"message":"Slow down during maintenance"}`, class: Throttled, hasRA: true, ra: 5 * time.Second,
			message: "Slow down during maintenance"},
		{name: "error-500", status: 500, header: hdr("Content-Type", json), body: `{"error":"Internal Server Error"}`,
			class: Malfunction, message: "Internal Server Error", evidence: []Evidence{status("500", Implied, Malfunction)}},
		{name: "error-500 prefers a sentence", status: 500, header: hdr("Content-Type", json),
			body: `{"error":"Internal Server Error","detail":"database connection refused"}`, class: Malfunction,
			message: "database connection refused"},
		{name: "haproxy-no-backend", status: 503,
			header: hdr("Content-Type", "text/html", "Cache-Control", "no-cache", "Connection", "close"), body: haproxy,
			class: Malfunction, evidence: []Evidence{status("503", Implied, Malfunction)}},
		{name: "bad-gateway", status: 502, header: hdr("Content-Type", "text/html", "Server", "nginx/1.25.3"), body: nginx502,
			class: Malfunction, evidence: []Evidence{status("502", Implied, Malfunction)}},
		{name: "gateway-timeout", status: 504, header: hdr("Content-Type", "text/html", "Server", "nginx/1.25.3"), body: nginx504,
			class: Malfunction},
		{name: "launchpad-timeout", status: 503,
			header: hdr("Content-Type", text, "Retry-After", "900", "X-Lazr-Oopsid", "OOPS-8f2c4a1b9d"),
			body:   "Timeout error\n", class: Malfunction, hasRA: true, ra: 900 * time.Second,
			evidence: []Evidence{ev(SourceResponse, "x-lazr-oopsid", "OOPS-8f2c4a1b9d", Explicit, Malfunction)}},
		{name: "oops id on 200 ignored", status: 200, header: hdr("X-Lazr-Oopsid", "OOPS-1"), class: OK},
		{name: "retry-after-huge", status: 503, header: hdr("Content-Type", text, "Retry-After", "99999999999"),
			class: Maintenance, confidence: Implied, hasRA: true, ra: MaxRetryAfter,
			evidence: []Evidence{maintRA("99999999999")}},
		{name: "retry-after-far-future", status: 503,
			header: hdr("Content-Type", text, "Retry-After", "Fri, 01 Jan 2999 00:00:00 GMT"),
			class:  Maintenance, confidence: Implied, hasRA: true, ra: MaxRetryAfter},
		{name: "retry-after-past", status: 503,
			header: hdr("Content-Type", text, "Retry-After", testNow.Add(-time.Hour).Format(http.TimeFormat)),
			// A wait of 0 is no window: a retry hint on a failure.
			class: Malfunction, hasRA: true, ra: 0},
		{name: "retry-after-negative", status: 503, header: hdr("Content-Type", text, "Retry-After", "-5"),
			class: Malfunction, evidence: []Evidence{status("503", Implied, Malfunction), invalidRA("-5")}},
		{name: "retry-after-garbage duration", status: 503, header: hdr("Retry-After", "1m0s"),
			class: Malfunction, evidence: []Evidence{invalidRA("1m0s")}},
		{name: "retry-after-garbage junk", status: 503, header: hdr("Retry-After", "120junk"),
			class: Malfunction, evidence: []Evidence{invalidRA("120junk")}},
		{name: "retry-after-garbage fraction", status: 503, header: hdr("Retry-After", "0.5"),
			class: Malfunction, evidence: []Evidence{invalidRA("0.5")}},
		{name: "retry-after on 301", status: 301, header: hdr("Location", "/x", "Retry-After", "10"),
			class: OK, hasRA: true, ra: 10 * time.Second},
		{name: "apache 503 with html rule", status: 503, header: hdr("Content-Type", "text/html; charset=iso-8859-1"),
			body: apache, opts: &Options{HTMLTitle: true}, class: Malfunction},
		{name: "django html with html rule", status: 503, header: hdr("Content-Type", html, "Retry-After", "3600"),
			body: djangoHTML, opts: &Options{HTMLTitle: true}, class: Maintenance, confidence: Implied,
			hasRA: true, ra: time.Hour, message: "Sorry, we're down for maintenance."},
		{name: "not found", status: 404, header: hdr("Content-Type", json), body: `{"message":"Not Found"}`,
			class: ClientError, message: "Not Found", evidence: []Evidence{status("404", Explicit, ClientError)}},
		{name: "github archived repository", status: 403, header: hdr("Content-Type", json),
			body:  `{"message":"Repository was archived so is read-only.","documentation_url":"https://docs.github.com/rest"}`,
			class: ClientError, message: "Repository was archived so is read-only."},
		{name: "maintenance window api 404", status: 404, header: hdr("Content-Type", json),
			body:  `{"error":{"message":"Maintenance window not found","code":"maintenance_window_not_found"}}`,
			class: ClientError, message: "Maintenance window not found"},
		{name: "truncated json", status: 503, header: hdr("Content-Type", json), body: `{"maintenance":tr`, class: Malfunction},
		{name: "peek disabled", status: 503, header: hdr("Content-Type", json), body: osfJSON,
			opts: &Options{PeekLimit: -1}, class: Malfunction},
		{name: "status outside the registry", status: 999, class: Malfunction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := record(tt.status, tt.header, tt.body)
			v := Response(resp, testNow, tt.opts)
			assert.Equal(t, tt.class, v.Class, "class; verdict %v", v)
			assert.Equal(t, tt.confidence, v.Confidence, "confidence")
			assert.Equal(t, tt.status, v.Status)
			assert.Equal(t, tt.hasRA, v.HasRetryAfter, "HasRetryAfter")
			assert.Equal(t, tt.ra, v.RetryAfter, "RetryAfter")
			assert.Equal(t, tt.message, v.Message, "message")
			for _, want := range tt.evidence {
				requireEvidence(t, v, want)
			}
			require.NotEmpty(t, v.Evidence)
			assert.Equal(t, "status", v.Evidence[0].Signal, "the status is always the first evidence")
			if tt.class == Maintenance {
				e, ok := v.Strongest()
				require.True(t, ok)
				assert.Equal(t, Maintenance, e.Indicates, "the verdict is explained by its evidence")
			}
			// Whatever was peeked, the caller still reads the whole body.
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(got))
			require.NoError(t, resp.Body.Close())
		})
	}
}

func mustRule(t *testing.T, s string) Rule {
	t.Helper()
	r, err := ParseRule(s)
	require.NoError(t, err)
	return r
}

func TestObserveIsPure(t *testing.T) {
	o := Observation{Status: 503, Header: hdr("Content-Type", "application/json", "Retry-After", "60"), Body: []byte(notifyJSON)}
	first := Observe(o, testNow, nil)
	for range 3 {
		assert.Equal(t, first, Observe(o, testNow, nil))
	}
	assert.Equal(t, notifyJSON, string(o.Body), "the observation is not modified")
}

func TestObserveTruncatedJSONIsNoEvidence(t *testing.T) {
	o := Observation{Status: 503, Header: hdr("Content-Type", "application/json"), Body: []byte(osfJSON), Truncated: true}
	assert.Equal(t, Malfunction, Observe(o, testNow, nil).Class)
}

func TestObserveNilOptionsAndHeader(t *testing.T) {
	v := Observe(Observation{Status: 200}, testNow, nil)
	assert.Equal(t, OK, v.Class)
	assert.Equal(t, Network, Observe(Observation{}, testNow, nil).Class, "status 0 is no answer at all")
}

func TestNeedsBody(t *testing.T) {
	jsonRule := &Options{Rules: []Rule{{JSONField: "a"}}}
	headerRule := &Options{Rules: []Rule{{Header: "X-A"}}}
	tests := []struct {
		name   string
		status int
		ct     string
		opts   *Options
		want   bool
	}{
		{"2xx json", 200, "application/json", nil, false},
		{"2xx json with header rule", 200, "application/json", headerRule, false},
		{"2xx json with json rule", 200, "application/json", jsonRule, true},
		{"2xx unlabelled with json rule", 200, "", jsonRule, false},
		{"2xx html", 200, "text/html", nil, false},
		{"2xx html with html rule", 200, "text/html; charset=utf-8", &Options{HTMLTitle: true}, true},
		{"5xx json", 503, "application/json; charset=utf-8", nil, true},
		{"5xx JSON upper case", 503, "Application/JSON", nil, true},
		{"5xx problem+json", 503, "application/problem+json", nil, true},
		{"5xx health+json", 503, "application/health+json", nil, true},
		{"5xx text/json", 503, "text/json", nil, true},
		{"5xx bad params still json", 503, "application/json; charset", nil, true},
		{"5xx unlabelled", 503, "", nil, true},
		// Error bodies are read whatever their type: fingerprints of known
		// software, and JSON served as HTML or text (issue 12).
		{"5xx html", 503, "text/html", nil, true},
		{"5xx xhtml with html rule", 503, "application/xhtml+xml", &Options{HTMLTitle: true}, true},
		{"5xx text", 503, "text/plain", nil, true},
		{"4xx json", 404, "application/json", nil, true},
		{"bare +json is not json, read anyway", 503, "+json", nil, true},
		{"bare +json is not json on a 2xx", 200, "+json", jsonRule, false},
		{"peek disabled", 503, "application/json", &Options{PeekLimit: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, needsBody(tt.status, hdr("Content-Type", tt.ct), tt.opts))
		})
	}
}

func TestEvidenceValuesAreAbridged(t *testing.T) {
	long := strings.Repeat("maintenance ", 100)
	h := hdr("Content-Type", "application/json", "Retry-After", strings.Repeat("x", 1000), "X-Lazr-Oopsid", long)
	body := `{"message":"` + long + `\u0007\u202e"}`
	v := Response(record(503, h, body), testNow, nil)
	for _, e := range v.Evidence {
		assert.LessOrEqual(t, len(e.Value), maxEvidenceValue+len("…"), "evidence %s", e.Signal)
		assert.NotContains(t, e.Value, "\a")
		assert.NotContains(t, e.Value, "\u202e")
	}
	requireEvidence(t, v, ev(SourceResponse, "retry-after",
		strings.Repeat("x", maxEvidenceValue-len(" (invalid, ignored)"))+"… (invalid, ignored)", None, OK))
	assert.LessOrEqual(t, len(v.Message), maxEvidenceValue+len("…"))
}

func TestAbridge(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"a\r\nb\tc\x00d\x7f", "a  b c d "},
		{"\u0085next line", " next line"},
		{"\u202eevil", " evil"},
		{strings.Repeat("a", maxEvidenceValue), strings.Repeat("a", maxEvidenceValue)},
		{strings.Repeat("a", maxEvidenceValue+1), strings.Repeat("a", maxEvidenceValue) + "…"},
		// Never cut inside a UTF-8 sequence.
		{strings.Repeat("a", maxEvidenceValue-1) + "é", strings.Repeat("a", maxEvidenceValue-1) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.in[:min(len(tt.in), 20)], func(t *testing.T) {
			assert.Equal(t, tt.want, abridge(tt.in))
		})
	}
}

func TestResponse2xxAllocs(t *testing.T) {
	resp := &http.Response{StatusCode: 200, Header: hdr("Content-Type", "application/json", "Content-Length", "2"),
		Body: http.NoBody, ContentLength: 2}
	allocs := testing.AllocsPerRun(200, func() { _ = Response(resp, testNow, nil) })
	assert.LessOrEqual(t, allocs, 1.0, "the happy path adds no allocation beyond a few words")
	withRule := &Options{Rules: []Rule{{Header: "StatusHeader", Value: "maintenance window"}}}
	allocs = testing.AllocsPerRun(200, func() { _ = Response(resp, testNow, withRule) })
	assert.LessOrEqual(t, allocs, 1.0, "a header rule that does not match costs nothing")
}

func BenchmarkResponse2xx(b *testing.B) {
	resp := &http.Response{StatusCode: 200, Header: hdr("Content-Type", "application/json; charset=utf-8",
		"Content-Length", "1024", "Date", "Mon, 23 Nov 2026 07:00:00 GMT"), Body: http.NoBody, ContentLength: 1024}
	b.ReportAllocs()
	for b.Loop() {
		_ = Response(resp, testNow, nil)
	}
}

func BenchmarkResponse503JSON(b *testing.B) {
	h := hdr("Content-Type", "application/json", "Retry-After", "120")
	b.ReportAllocs()
	for b.Loop() {
		resp := &http.Response{StatusCode: 503, Header: h, Body: io.NopCloser(strings.NewReader(notifyJSON)), ContentLength: -1}
		_ = Response(resp, testNow, nil)
	}
}

func TestStatusString(t *testing.T) {
	for code := -1; code < 1000; code++ {
		require.Equal(t, strconv.Itoa(code), statusString(code))
	}
}
