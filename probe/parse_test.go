package probe

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
)

func TestParseProbe(t *testing.T) {
	const (
		sp = classify.SourceProbe
		ex = classify.Explicit
		mt = classify.Maintenance
	)
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        got
	}{
		{"200 without a body", 200, "", "", got{sp, "probe", "200", ex, mt, "", time.Time{}, time.Time{}}},
		{"200 HTML", 200, "text/html", "<h1>Down for maintenance</h1>", got{sp, "probe", "200", ex, mt, "", time.Time{}, time.Time{}}},
		{"200 JSON until and message", 200, "application/json",
			`{"until":"2026-11-23T10:00:00Z","message":"Database upgrade"}`,
			got{sp, "probe", "200", ex, mt, "Database upgrade", time.Time{}, utc("2026-11-23T10:00:00Z")}},
		{"200 JSON health status ok", 200, "application/json", `{"status":"ok"}`,
			got{sp, "probe", `200 (a health answer, status "ok", not a maintenance announcement)`, classify.None, 0, "", time.Time{}, time.Time{}}},
		{"200 JSON status maintenance", 200, "application/json", `{"status":"maintenance"}`,
			got{sp, "probe", "200", ex, mt, "", time.Time{}, time.Time{}}},
		{"200 JSON flag 0", 200, "application/json", `{"maintenance":0}`,
			got{sp, "probe", "200 (says it is not in maintenance)", classify.None, 0, "", time.Time{}, time.Time{}}},
		{"200 JSON flag off", 200, "application/json", `{"maintenance_mode":"off"}`,
			got{sp, "probe", "200 (says it is not in maintenance)", classify.None, 0, "", time.Time{}, time.Time{}}},
		{"200 JSON flag true as a string", 200, "application/json", `{"maintenance":"true","message":"DB"}`,
			got{sp, "probe", "200", ex, mt, "DB", time.Time{}, time.Time{}}},
		{"200 JSON local offset", 200, "application/json",
			`{"until":"2026-11-23T11:00:00+01:00"}`,
			got{sp, "probe", "200", ex, mt, "", time.Time{}, utc("2026-11-23T10:00:00Z")}},
		{"200 JSON zone-less is UTC", 200, "application/json",
			`{"until":"2026-11-23T10:00:00","start":"2026-11-23 06:00:00"}`,
			got{sp, "probe", "200", ex, mt, "", utc("2026-11-23T06:00:00Z"), utc("2026-11-23T10:00:00Z")}},
		{"200 JSON epoch milliseconds", 200, "application/json",
			`{"until":1795428000000}`,
			got{sp, "probe", "200", ex, mt, "", time.Time{}, utc("2026-11-23T10:00:00Z")}},
		{"200 JSON epoch seconds as a string", 200, "",
			`{"until":"1795428000"}`,
			got{sp, "probe", "200", ex, mt, "", time.Time{}, utc("2026-11-23T10:00:00Z")}},
		{"200 JSON JavaScript date", 200, "application/json",
			`{"until":"Mon Nov 23 2026 10:00:00 GMT+0000 (Coordinated Universal Time)"}`,
			got{sp, "probe", "200", ex, mt, "", time.Time{}, utc("2026-11-23T10:00:00Z")}},
		{"200 JSON unreadable until is ignored", 200, "application/json",
			`{"until":"soon","message":"back soon"}`,
			got{sp, "probe", "200", ex, mt, "back soon", time.Time{}, time.Time{}}},
		{"200 JSON not an object", 200, "application/json", `["until"]`,
			got{sp, "probe", "200", ex, mt, "", time.Time{}, time.Time{}}},
		{"200 malformed JSON", 200, "application/json", `{"until":`,
			got{sp, "probe", "200", ex, mt, "", time.Time{}, time.Time{}}},
		{"200 text is the message", 200, "text/plain; charset=utf-8", "  Upgrading the database.\n\x1b[31mBack at 10:00.\n",
			got{sp, "probe", "200", ex, mt, "Upgrading the database. [31mBack at 10:00.", time.Time{}, time.Time{}}},
		{"404 is not announced", 404, "text/html", "<h1>Not Found</h1>", got{sp, "probe", "404 (not announced)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		{"403", 403, "", "", got{sp, "probe", "403 (no information)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		{"503", 503, "", "", got{sp, "probe", "503 (no information)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		{"204 is not 200", 204, "", "", got{sp, "probe", "204 (no information)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		{"302", 302, "", "", got{sp, "probe", "302 (no information)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		// Catch-alls (issue 12): a single-page app's index.html answers
		// every path; its bundled configuration may say "maintenance".
		{"200 HTML without maintenance words", 200, "text/html; charset=utf-8",
			`<!doctype html><html><head><title>Acme</title><script>window.cfg={"maintenanceMode":false}</script></head><body><div id="root"></div></body></html>`,
			got{sp, "probe", "200 (an HTML page without maintenance words, not a probe)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		{"200 HTML sniffed without a type", 200, "", "<!DOCTYPE html>\n<html><body>Welcome</body></html>",
			got{sp, "probe", "200 (an HTML page without maintenance words, not a probe)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		{"200 JSON says not in maintenance", 200, "application/json", `{"maintenance":false}`,
			got{sp, "probe", "200 (says it is not in maintenance)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		{"200 image is not a probe", 200, "image/png", "\x89PNG",
			got{sp, "probe", "200 (a image/png body, not a probe)", classify.None, classify.OK, "", time.Time{}, time.Time{}}},
		// nginx serves a flag file without an extension as its default_type.
		{"200 octet-stream flag file", 200, "application/octet-stream", "DB upgrade until 10:00 UTC\n",
			got{sp, "probe", "200", ex, mt, "DB upgrade until 10:00 UTC", time.Time{}, time.Time{}}},
		{"200 JSON with a BOM", 200, "text/plain", "\xEF\xBB\xBF{\"message\":\"upgrade\"}",
			got{sp, "probe", "200", ex, mt, "upgrade", time.Time{}, time.Time{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, brief(ParseProbe(tt.status, tt.contentType, []byte(tt.body)))[0])
		})
	}
}

func TestParseHealth(t *testing.T) {
	const (
		sh = classify.SourceHealth
		no = classify.None
	)
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		fixture     string
		want        got
	}{
		{name: "Spring UP", status: 200, contentType: "application/vnd.spring-boot.actuator.v3+json", fixture: "health_spring_up.json",
			want: got{Source: sh, Signal: "health", Value: "UP (200)", Indicates: classify.OK}},
		{name: "Spring DOWN", status: 503, contentType: "application/vnd.spring-boot.actuator.v3+json", fixture: "health_spring_down.json",
			want: got{Source: sh, Signal: "health", Value: "DOWN (503)", Strength: classify.Implied, Indicates: classify.Malfunction,
				Message: "failing: db: org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection, redis: io.lettuce.core.RedisConnectionException: Unable to connect to redis:6379"}},
		{name: "Spring OUT_OF_SERVICE", status: 503, contentType: "application/vnd.spring-boot.actuator.v3+json", fixture: "health_spring_out_of_service.json",
			want: got{Source: sh, Signal: "health", Value: "OUT_OF_SERVICE (503)", Strength: classify.Explicit, Indicates: classify.Maintenance}},
		{name: "Spring UNKNOWN", status: 200, contentType: "application/json", body: `{"status":"UNKNOWN"}`,
			want: got{Source: sh, Signal: "health", Value: "UNKNOWN (200)"}},
		{name: "health+json pass", status: 200, contentType: "application/health+json", fixture: "health_json_pass.json",
			want: got{Source: sh, Signal: "health", Value: "pass (200)", Indicates: classify.OK}},
		{name: "health+json warn", status: 200, contentType: "application/health+json", fixture: "health_json_warn.json",
			want: got{Source: sh, Signal: "health", Value: "warn (200)", Indicates: classify.OK}},
		{name: "health+json fail", status: 503, contentType: "application/health+json", fixture: "health_json_fail.json",
			want: got{Source: sh, Signal: "health", Value: "fail (503)", Strength: classify.Implied, Indicates: classify.Malfunction,
				Message: "failing: cassandra:connections: no connections available"}},
		{name: "health+json aliases ok, up", status: 200, body: `{"status":"ok"}`,
			want: got{Source: sh, Signal: "health", Value: "ok (200)", Indicates: classify.OK}},
		{name: "health+json alias error with output", status: 500, body: `{"status":"error","output":"database unreachable"}`,
			want: got{Source: sh, Signal: "health", Value: "error (500)", Strength: classify.Implied, Indicates: classify.Malfunction, Message: "database unreachable"}},
		{name: "MicroProfile checks array", status: 503, body: `{"status":"DOWN","checks":[{"name":"db","status":"DOWN"},{"name":"live","status":"UP"}]}`,
			want: got{Source: sh, Signal: "health", Value: "DOWN (503)", Strength: classify.Implied, Indicates: classify.Malfunction, Message: "failing: db"}},
		{name: "djblets UP", status: 200, fixture: "health_djblets_up.json",
			want: got{Source: sh, Signal: "health", Value: "UP (200)", Indicates: classify.OK}},
		{name: "djblets DOWN", status: 503, contentType: "application/json", fixture: "health_djblets_down.json",
			want: got{Source: sh, Signal: "health", Value: "DOWN (503)", Strength: classify.Implied, Indicates: classify.Malfunction,
				Message: "failing: database.default, database.default: could not connect to server: Connection refused"}},
		{name: "maintenance word", status: 503, body: `{"status":"maintenance","message":"upgrading"}`,
			want: got{Source: sh, Signal: "health", Value: "maintenance (503)", Strength: classify.Explicit, Indicates: classify.Maintenance, Message: "upgrading"}},
		// Out-of-band audit: other products' words and switches.
		{name: "Spring OUT_OF_SERVICE only from readinessState", status: 503,
			body: `{"status":"OUT_OF_SERVICE","components":{"db":{"status":"UP"},"readinessState":{"status":"OUT_OF_SERVICE"}}}`,
			want: got{Source: sh, Signal: "health", Value: "OUT_OF_SERVICE (503, only readinessState: starting or stopping, not a maintenance switch)"}},
		{name: "Spring OUT_OF_SERVICE from an application indicator", status: 503,
			body: `{"status":"OUT_OF_SERVICE","components":{"maintenance":{"status":"OUT_OF_SERVICE"},"readinessState":{"status":"OUT_OF_SERVICE"}}}`,
			want: got{Source: sh, Signal: "health", Value: "OUT_OF_SERVICE (503)", Strength: classify.Explicit, Indicates: classify.Maintenance}},
		{name: "Consul AggregatedStatus maintenance", status: 503,
			body: `{"AggregatedStatus":"maintenance","Service":{"ID":"web1"},"Checks":[{"CheckID":"_service_maintenance:web1","Status":"critical"}]}`,
			want: got{Source: sh, Signal: "health", Value: "maintenance (503)", Strength: classify.Explicit, Indicates: classify.Maintenance}},
		{name: "Consul AggregatedStatus critical", status: 503, body: `{"AggregatedStatus":"critical","Checks":[]}`,
			want: got{Source: sh, Signal: "health", Value: "critical (503)", Strength: classify.Implied, Indicates: classify.Malfunction}},
		{name: "Consul list, one in maintenance, one critical", status: 503,
			body: `[{"AggregatedStatus":"maintenance","Service":{"ID":"web1"}},{"AggregatedStatus":"critical","Service":{"ID":"web2"}}]`,
			want: got{Source: sh, Signal: "health", Value: "critical (503, 2 instances)", Strength: classify.Implied, Indicates: classify.Malfunction}},
		{name: "Consul list, all in maintenance", status: 503,
			body: `[{"AggregatedStatus":"maintenance"},{"AggregatedStatus":"maintenance"}]`,
			want: got{Source: sh, Signal: "health", Value: "maintenance (503, 2 instances)", Strength: classify.Explicit, Indicates: classify.Maintenance}},
		{name: "Consul list, one in maintenance, one passing", status: 503,
			body: `[{"AggregatedStatus":"maintenance"},{"AggregatedStatus":"passing"}]`,
			want: got{Source: sh, Signal: "health", Value: "no information (503, instances disagree)"}},
		{name: "a list of something else", status: 200, body: `[{"status":"maintenance"}]`,
			want: got{Source: sh, Signal: "health", Value: "no information (200, a list)"}},
		{name: "Consul text critical", status: 503, contentType: "text/plain", body: "critical",
			want: got{Source: sh, Signal: "health", Value: "critical (503)", Strength: classify.Implied, Indicates: classify.Malfunction}},
		{name: "ASP.NET Core text Unhealthy", status: 503, contentType: "text/plain", body: "Unhealthy",
			want: got{Source: sh, Signal: "health", Value: "Unhealthy (503)", Strength: classify.Implied, Indicates: classify.Malfunction}},
		{name: "ASP.NET Core text Degraded", status: 200, contentType: "text/plain", body: "Degraded",
			want: got{Source: sh, Signal: "health", Value: "Degraded (200)", Indicates: classify.OK}},
		{name: "Elasticsearch red", status: 200, body: `{"cluster_name":"search","status":"red"}`,
			want: got{Source: sh, Signal: "health", Value: "red (200)", Strength: classify.Implied, Indicates: classify.Malfunction}},
		{name: "GitLab readiness failed", status: 503, body: `{"status":"failed","master_check":[{"status":"failed","message":"unexpected Master check result: false"}]}`,
			want: got{Source: sh, Signal: "health", Value: "failed (503)", Strength: classify.Implied, Indicates: classify.Malfunction}},
		{name: "health-go Service Unavailable", status: 503, body: `{"status":"Service Unavailable","failures":{"postgres":"refused"}}`,
			want: got{Source: sh, Signal: "health", Value: "Service Unavailable (503)", Strength: classify.Implied, Indicates: classify.Malfunction}},
		{name: "Nextcloud status.php maintenance true", status: 200, body: `{"installed":true,"maintenance":true,"needsDbUpgrade":false}`,
			want: got{Source: sh, Signal: "health", Value: "maintenance true (200)", Strength: classify.Explicit, Indicates: classify.Maintenance}},
		{name: "Nextcloud status.php maintenance false", status: 200, body: `{"installed":true,"maintenance":false}`,
			want: got{Source: sh, Signal: "health", Value: "maintenance false (200)", Indicates: classify.OK}},
		{name: "a flag that is not about maintenance", status: 200, body: `{"enabled":true}`,
			want: got{Source: sh, Signal: "health", Value: "no information (200, no status)"}},
		{name: "a plain sentence is no health word", status: 503, contentType: "text/plain", body: "Service Unavailable\nplease retry",
			want: got{Source: sh, Signal: "health", Value: "no information (503)"}},
		{name: "unrecognised word", status: 200, body: `{"status":"BLUE"}`,
			want: got{Source: sh, Signal: "health", Value: `unrecognised status "BLUE" (200)`}},
		{name: "status is a number", status: 500, body: `{"status":500,"error":"Internal Server Error"}`,
			want: got{Source: sh, Signal: "health", Value: "no information (500, no status)", Strength: no}},
		{name: "no status field", status: 200, body: `{"healthy":true}`,
			want: got{Source: sh, Signal: "health", Value: "no information (200, no status)"}},
		{name: "Kubernetes ok", status: 200, contentType: "text/plain; charset=utf-8", body: "ok",
			want: got{Source: sh, Signal: "health", Value: "ok (200)", Indicates: classify.OK}},
		{name: "Kubernetes verbose failed", status: 500, contentType: "text/plain; charset=utf-8", fixture: "health_k8s_readyz_failed.txt",
			want: got{Source: sh, Signal: "health", Value: "failed (500)", Strength: classify.Implied, Indicates: classify.Malfunction, Message: "failed: etcd, informer-sync"}},
		{name: "Kubernetes verbose passed", status: 200, contentType: "text/plain; charset=utf-8", fixture: "health_k8s_readyz_ok.txt",
			want: got{Source: sh, Signal: "health", Value: "ok (200)", Indicates: classify.OK}},
		{name: "403 restricted is no information", status: 403, contentType: "application/json", body: `{"status":"DOWN"}`,
			want: got{Source: sh, Signal: "health", Value: "no information (403)"}},
		{name: "401 restricted is no information", status: 401, body: "",
			want: got{Source: sh, Signal: "health", Value: "no information (401)"}},
		{name: "404 is no information", status: 404, body: `{"status":"DOWN"}`,
			want: got{Source: sh, Signal: "health", Value: "no information (404)"}},
		{name: "502 HTML page", status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
			want: got{Source: sh, Signal: "health", Value: "no information (502)"}},
		{name: "200 text that is not Kubernetes", status: 200, contentType: "text/plain", body: "all good",
			want: got{Source: sh, Signal: "health", Value: "no information (200)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if tt.fixture != "" {
				body = fixture(t, tt.fixture)
			}
			assert.Equal(t, tt.want, brief(ParseHealth(tt.status, tt.contentType, body))[0])
		})
	}
}

func TestParseTime(t *testing.T) {
	ten := utc("2026-11-23T10:00:00Z")
	tests := []struct {
		in   any
		want time.Time // zero: rejected
	}{
		{"2026-11-23T10:00:00Z", ten},
		{"2026-11-23T10:00:00.000Z", ten},
		{"2026-11-23T04:00:00.000-06:00", ten},
		{"2026-11-23T11:00:00+01:00", ten},
		{"2026-11-23T11:00:00+0100", ten},
		{"2026-11-23T10:00:00", ten},
		{"2026-11-23 10:00:00", ten},
		{"2026-11-23 10:00:00.123456", ten.Add(123456 * time.Microsecond)},
		{"2026-11-23 11:00:00+01:00", ten},
		{"2026-11-23 11:00:00 +0100", ten},
		{"2026-11-23 10:00:00 +0000 UTC", ten},
		{"2026-11-23T10:00Z", ten},
		{"2026-11-23", utc("2026-11-23T00:00:00Z")},
		{"Mon, 23 Nov 2026 10:00:00 GMT", ten},
		{"Monday, 23-Nov-26 10:00:00 GMT", ten},
		{"Mon Nov 23 10:00:00 2026", ten},
		{"Mon, 23 Nov 2026 11:00:00 +0100", ten},
		{"Mon Nov 23 2026 10:00:00 GMT+0000 (Coordinated Universal Time)", ten},
		{"Mon Nov 23 2026 11:00:00 GMT+0100 (Central European Standard Time)", ten},
		{"Mon Nov 23 2026 10:00:00 GMT+0000", ten},
		{"1795428000", ten},
		{"1795428000000", ten},
		{" 1795428000000 ", ten},
		{num("1795428000000"), ten},
		{num("1795428000"), ten},
		{num("1795428000.5"), ten.Add(500 * time.Millisecond)},
		{num("1.795428e12"), ten},
		{float64(1795428000), ten},
		{"", time.Time{}},
		{"soon", time.Time{}},
		{"0001-01-01T00:00:00Z", time.Time{}},
		{"1969-12-31T23:59:59Z", time.Time{}},
		{num("0"), time.Time{}},
		{num("-5"), time.Time{}},
		{num("1e300"), time.Time{}},
		{"99999999999999999999999", time.Time{}},
		{"2026-13-45T10:00:00Z", time.Time{}},
		{strings.Repeat("2", 200), time.Time{}},
		{true, time.Time{}},
		{nil, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%T %.40v", tt.in, tt.in), func(t *testing.T) {
			got, ok := parseTime(tt.in)
			assert.Equal(t, !tt.want.IsZero(), ok)
			assert.True(t, tt.want.Equal(got), "got %v, want %v", got, tt.want)
			if ok {
				assert.Equal(t, time.UTC, got.Location())
			}
		})
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"  spaced\t\tout \n", "spaced out"},
		{"\x1b]0;title\x07evil", "]0;title evil"},
		{"right\u202eto left", "right to left"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		// Format characters and the Unicode line separators (issue 17).
		{"line\u2028sep\u2029para", "line sep para"},
		{"\ufeffbom and zero\u200bwidth\u2066isolate", "bom and zero width isolate"},
		{strings.Repeat("a", 1000), strings.Repeat("a", maxText-3) + "..."},
		{strings.Repeat("é", 1000), strings.Repeat("é", (maxText-3)/2) + "..."},
	}
	for _, tt := range tests {
		t.Run(tt.want[:min(len(tt.want), 10)], func(t *testing.T) {
			got := clean(tt.in)
			assert.Equal(t, tt.want, got)
			assert.LessOrEqual(t, len(got), maxText)
		})
	}
}

func num(s string) json.Number { return json.Number(s) }

func TestJudgeControl(t *testing.T) {
	probe200 := ParseProbe(200, "text/plain", []byte("maintenance: upgrade"))
	require.Equal(t, classify.Explicit, probe200.Strength)
	tests := []struct {
		name        string
		status      int
		ct, body    string
		problem     string
		wantValue   string
		wantExplict bool
	}{
		{"control 404: a real probe", 404, "text/html", "<h1>Not Found</h1>", "", "200", true},
		{"control 502: a real probe", 502, "text/html", "bad gateway", "", "200", true},
		{"control 200 of another type: the probe is its own resource", 200, "text/html", "<html>app</html>", "", "200", true},
		{"control 200 of the same type saying as much: a catch-all", 200, "text/plain; charset=utf-8", "maintenance: other", "",
			"200, but catch-all: /downfor-control-1 also answers 200", false},
		{"control 200 with the same body: a catch-all", 200, "application/octet-stream", "maintenance: upgrade", "",
			"200, but catch-all: /downfor-control-1 also answers 200", false},
		{"control 200 of the same type saying nothing, beside a probe that names its window", 200, "text/plain", "not found", "", "200", true},
		{"control without an answer: not confirmed", 0, "", "", "no answer (timeout)",
			"200, but the control request to /downfor-control-1 got no answer (timeout): not confirmed", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := judgeControl(probe200, "text/plain", []byte("maintenance: upgrade"), "/downfor-control-1", tt.status, tt.ct, []byte(tt.body), tt.problem)
			assert.Equal(t, tt.wantValue, ev.Value)
			if tt.wantExplict {
				assert.Equal(t, classify.Explicit, ev.Strength)
				assert.Equal(t, "maintenance: upgrade", ev.Message)
			} else {
				assert.Equal(t, classify.None, ev.Strength, "a discounted probe says nothing")
			}
		})
	}
	t.Run("a probe that already said nothing stays so", func(t *testing.T) {
		none := ParseProbe(404, "", nil)
		assert.Equal(t, none, judgeControl(none, "", nil, "/x", 200, "", nil, ""))
	})
}

// TestParseGzipAndBOM: a caller whose Config.Header sets Accept-Encoding
// gets encoded bodies back; a UTF-8 BOM is no part of the JSON.
func TestParseGzipAndBOM(t *testing.T) {
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = w.Write([]byte(s))
		_ = w.Close()
		return b.Bytes()
	}
	ev := ParseProbe(200, "application/json", gz(`{"until":"2026-11-23T10:00:00Z","message":"upgrade"}`))
	assert.Equal(t, classify.Explicit, ev.Strength)
	assert.Equal(t, "upgrade", ev.Message)
	assert.Equal(t, utc("2026-11-23T10:00:00Z"), ev.Until)

	h := ParseHealth(503, "application/json", gz(`{"status":"OUT_OF_SERVICE"}`))
	assert.Equal(t, classify.Maintenance, h.Indicates)
	h = ParseHealth(503, "application/json", []byte("\xEF\xBB\xBF"+`{"status":"DOWN"}`))
	assert.Equal(t, classify.Malfunction, h.Indicates)

	broken := gz(`{"status":"DOWN"}`)[:8]
	assert.NotPanics(t, func() { ParseHealth(503, "application/json", broken) })
}
