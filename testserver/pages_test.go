package testserver

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decode parses a JSON object body.
func decode(t *testing.T, body string) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(body), &m), "body %q", body)
	return m
}

func TestPages(t *testing.T) {
	const path = "/api/things"
	tests := []struct {
		name    string
		mode    string
		method  string // GET if empty
		path    string // path if empty
		header  http.Header
		status  int
		ctype   string
		headers map[string]string // exact values
		absent  []string          // headers that must not be sent
		body    func(t *testing.T, body string)
	}{
		{name: "ok", mode: "ok", status: 200, ctype: ctJSON, absent: []string{"Retry-After"},
			body: func(t *testing.T, body string) {
				m := decode(t, body)
				assert.Equal(t, true, m["ok"])
				assert.Equal(t, path, m["path"])
				assert.Equal(t, "GET", m["method"])
			}},
		{name: "retry-after-seconds", mode: "retry-after-seconds", status: 503, ctype: ctText,
			headers: map[string]string{"Retry-After": "120"}, body: contains("120 seconds")},
		{name: "django html", mode: "django", status: 503, ctype: "text/html; charset=utf-8",
			headers: map[string]string{
				"Retry-After":   "3600",
				"Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
			},
			body: contains("<title>Maintenance mode</title>")},
		{name: "django json", mode: "django", header: jsonAccept(), status: 503, ctype: "application/json",
			headers: map[string]string{"Retry-After": "3600"},
			body:    func(t *testing.T, body string) { assert.JSONEq(t, `{}`, body) }},
		{name: "laravel html", mode: "laravel", status: 503, ctype: "text/html; charset=UTF-8",
			headers: map[string]string{"Retry-After": "60", "Refresh": "15"},
			body:    contains("<title>Service Unavailable</title>", "503")},
		{name: "laravel json", mode: "laravel", header: jsonAccept(), status: 503, ctype: "application/json",
			headers: map[string]string{"Retry-After": "60", "Refresh": "15"},
			body:    func(t *testing.T, body string) { assert.JSONEq(t, `{"message":"Service Unavailable"}`, body) }},
		{name: "laravel xhr", mode: "laravel", header: http.Header{"X-Requested-With": {"XMLHttpRequest"}},
			status: 503, ctype: "application/json", body: contains(`"message": "Service Unavailable"`)},
		{name: "turnout html", mode: "turnout", status: 503, ctype: "text/html",
			headers: map[string]string{"Retry-After": "7200"},
			body:    contains("<title>Down for Maintenance</title>")},
		{name: "turnout json", mode: "turnout", header: jsonAccept(), status: 503, ctype: "application/json",
			headers: map[string]string{"Retry-After": "7200"},
			body: func(t *testing.T, body string) {
				m := decode(t, body)
				assert.Equal(t, "Service Unavailable", m["error"])
				assert.Contains(t, m["message"], "down for maintenance")
			}},
		{name: "osf", mode: "osf", status: 503, ctype: ctJSON, absent: []string{"Retry-After"},
			body: func(t *testing.T, body string) {
				m := decode(t, body)
				meta, ok := m["meta"].(map[string]any)
				require.True(t, ok, "meta object")
				assert.Equal(t, true, meta["maintenance_mode"])
				assert.Equal(t, "http://example.com/", meta["status_page"])
				assert.NotEmpty(t, m["errors"])
			}},
		{name: "notify", mode: "notify", status: 503, ctype: ctJSON,
			body: func(t *testing.T, body string) {
				var v struct {
					StatusCode int `json:"status_code"`
					Errors     []struct{ Error, Message string }
				}
				require.NoError(t, json.Unmarshal([]byte(body), &v))
				assert.Equal(t, 503, v.StatusCode)
				require.Len(t, v.Errors, 1)
				assert.Equal(t, "PlannedMaintenanceError", v.Errors[0].Error)
				assert.NotEmpty(t, v.Errors[0].Message)
			}},
		{name: "probe-only", mode: "probe-only", status: 503, ctype: ctText, absent: []string{"Retry-After"},
			body: func(t *testing.T, body string) { assert.Equal(t, bare503, body) }},
		{name: "app-stopped", mode: "app-stopped", status: 502, ctype: "text/html",
			headers: map[string]string{"Server": "nginx"},
			body:    func(t *testing.T, body string) { assert.Equal(t, nginxPage(502, "Bad Gateway"), body) }},
		{name: "cf-static index", mode: "cf-static", path: "/", status: 200, ctype: "text/html",
			body: contains("<title>Sorry, in maintenance mode</title>", "<h1>Sorry, in maintenance mode</h1>")},
		{name: "cf-static other", mode: "cf-static", status: 404, ctype: "text/html",
			body: contains("404 Not Found")},
		{name: "cf-json-200", mode: "cf-json-200", status: 200, ctype: "application/json;charset=UTF-8",
			headers: map[string]string{"StatusHeader": "Status: maintenance window"},
			body: func(t *testing.T, body string) {
				m := decode(t, body)
				assert.Contains(t, m["response"], "maintenance")
				assert.Equal(t, float64(503), m["status"])
				assert.Equal(t, "Exception", m["type"])
			}},
		{name: "spring-out-of-service json", mode: "spring-out-of-service", header: jsonAccept(), status: 503, ctype: ctJSON,
			body: func(t *testing.T, body string) {
				m := decode(t, body)
				assert.Equal(t, float64(503), m["status"])
				assert.Equal(t, "Service Unavailable", m["error"])
				assert.Equal(t, path, m["path"])
				assert.Regexp(t, `^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$`, m["timestamp"])
			}},
		{name: "spring-out-of-service html", mode: "spring-out-of-service", status: 503, ctype: "text/html;charset=UTF-8",
			body: contains("Whitelabel Error Page", "status=503")},
		{name: "statuspage-maintenance", mode: "statuspage-maintenance", status: 503, ctype: ctText,
			absent: []string{"Retry-After"}},
		{name: "gitlab-read-only GET", mode: "gitlab-read-only", status: 200, ctype: ctJSON, body: contains(`"ok":true`)},
		{name: "gitlab-read-only POST", mode: "gitlab-read-only", method: "POST", status: 403, ctype: ctJSON,
			body: func(t *testing.T, body string) {
				assert.JSONEq(t, `{"message":"You cannot perform write operations on a read-only instance"}`, body)
			}},
		{name: "gitlab-read-only DELETE", mode: "gitlab-read-only", method: "DELETE", status: 403, ctype: ctJSON},
		{name: "throttled", mode: "throttled", status: 429, ctype: ctProblem,
			headers: map[string]string{"Retry-After": "30", "RateLimit-Remaining": "0"},
			body: func(t *testing.T, body string) {
				m := decode(t, body)
				assert.Equal(t, float64(429), m["status"])
				assert.Equal(t, "Too Many Requests", m["title"])
			}},
		{name: "throttled-bare", mode: "throttled-bare", status: 429, ctype: "text/html", absent: []string{"Retry-After"},
			body: contains("429 Too Many Requests")},
		{name: "error-500", mode: "error-500", status: 500, ctype: ctJSON,
			body: func(t *testing.T, body string) { assert.Equal(t, "internal server error", decode(t, body)["error"]) }},
		{name: "haproxy-no-backend", mode: "haproxy-no-backend", status: 503, ctype: "text/html",
			headers: map[string]string{"Cache-Control": "no-cache", "Connection": "close"},
			absent:  []string{"Retry-After"},
			body: func(t *testing.T, body string) {
				assert.Equal(t, "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n", body)
			}},
		{name: "bad-gateway", mode: "bad-gateway", status: 502, ctype: "text/html",
			headers: map[string]string{"Server": "nginx"},
			body: func(t *testing.T, body string) {
				assert.Equal(t, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n", body)
			}},
		{name: "gateway-timeout", mode: "gateway-timeout", status: 504, ctype: "text/html",
			body: contains("<title>504 Gateway Time-out</title>")},
		{name: "launchpad-timeout", mode: "launchpad-timeout", status: 503, ctype: ctText,
			headers: map[string]string{"Retry-After": "900"},
			body:    contains("OOPS-")},
		{name: "health-down", mode: "health-down", header: jsonAccept(), status: 500, ctype: ctJSON,
			body: func(t *testing.T, body string) { assert.Equal(t, "Internal Server Error", decode(t, body)["error"]) }},
		{name: "health-fail", mode: "health-fail", status: 503, ctype: ctText},
		{name: "statuspage-incident", mode: "statuspage-incident", status: 503, ctype: ctText},
		{name: "retry-after-huge", mode: "retry-after-huge", status: 503,
			headers: map[string]string{"Retry-After": "99999999999"}},
		{name: "retry-after-far-future", mode: "retry-after-far-future", status: 503,
			headers: map[string]string{"Retry-After": "Tue, 01 Jan 2999 00:00:00 GMT"}},
		{name: "retry-after-negative", mode: "retry-after-negative", status: 503,
			headers: map[string]string{"Retry-After": "-5"}},
		{name: "retry-after-garbage v=1", mode: "retry-after-garbage", path: path + "?v=1", status: 503,
			headers: map[string]string{"Retry-After": "120junk"}},
		{name: "huge-body", mode: "huge-body", status: 503, ctype: ctJSON,
			headers: map[string]string{"Content-Length": "1024"},
			body: func(t *testing.T, body string) {
				assert.Len(t, body, 1024)
				assert.Regexp(t, `^\{"error":"x+"\}$`, body)
			}},
		{name: "redirect-loop", mode: "redirect-loop", path: path + "?a=1", status: 302,
			headers: map[string]string{"Location": path + "?a=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := inMemory(t, Config{Mode: tt.mode, HugeBody: 1024})
			method, target := tt.method, tt.path
			if method == "" {
				method = http.MethodGet
			}
			if target == "" {
				target = path
			}
			w := serve(s, method, target, tt.header)
			assert.Equal(t, tt.status, w.Code)
			if tt.ctype != "" {
				assert.Equal(t, tt.ctype, w.Header().Get("Content-Type"))
			}
			for k, v := range tt.headers {
				assert.Equal(t, v, w.Header().Get(k), "header %s", k)
			}
			for _, k := range tt.absent {
				assert.Empty(t, w.Header().Values(k), "header %s", k)
			}
			if tt.body != nil {
				tt.body(t, w.Body.String())
			}
		})
	}
}

// Every mode that is not a network mode answers every page; the table above
// looks closer at each.
func TestEveryModeAnswers(t *testing.T) {
	for _, m := range Modes() {
		if m.Class == classNetwork {
			continue
		}
		t.Run(m.Name, func(t *testing.T) {
			s := inMemory(t, Config{Mode: m.Name, HugeBody: 100})
			w := serve(s, http.MethodGet, "/x", nil)
			assert.NotZero(t, w.Code)
			assert.NotEmpty(t, w.Header().Get("Content-Type"))
		})
	}
}

func TestRetryAfterDate(t *testing.T) {
	s := inMemory(t, Config{Mode: "retry-after-date"})
	before := time.Now()
	w := serve(s, http.MethodGet, "/", nil)
	assert.Equal(t, 503, w.Code)
	at, err := http.ParseTime(w.Header().Get("Retry-After"))
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$`), w.Header().Get("Retry-After"))
	assert.WithinDuration(t, before.Add(120*time.Second), at, 2*time.Second)
	assert.False(t, at.Before(before.Add(120*time.Second).Truncate(time.Second)))
}

func TestRetryAfterPast(t *testing.T) {
	s := inMemory(t, Config{Mode: "retry-after-past"})
	w := serve(s, http.MethodGet, "/", nil)
	at, err := http.ParseTime(w.Header().Get("Retry-After"))
	require.NoError(t, err)
	assert.True(t, at.Before(time.Now()))
}

func TestRetryAfterGarbageRotates(t *testing.T) {
	s := inMemory(t, Config{Mode: "retry-after-garbage"})
	var got []string
	for range 4 {
		got = append(got, serve(s, http.MethodGet, "/", nil).Header().Get("Retry-After"))
	}
	assert.Equal(t, []string{"1m0s", "120junk", "0.5", "1m0s"}, got)
	assert.Equal(t, got[:3], garbageRetryAfter[:])
}

func TestRetryAfterOverride(t *testing.T) {
	tests := []struct {
		mode, want string
	}{
		{"retry-after-seconds", "3"},
		{"django", "3"},
		{"laravel", "3"},
		{"turnout", "3"},
		{"throttled", "3"},
		{"launchpad-timeout", "3"},
		// the hostile modes keep their values
		{"retry-after-huge", "99999999999"},
		{"retry-after-negative", "-5"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			s := inMemory(t, Config{Mode: tt.mode, RetryAfter: 2500 * time.Millisecond}) // rounds up to 3
			assert.Equal(t, tt.want, serve(s, http.MethodGet, "/", nil).Header().Get("Retry-After"))
		})
	}
	t.Run("date", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "retry-after-date", RetryAfter: 3 * time.Second})
		now := time.Now()
		at, err := http.ParseTime(serve(s, http.MethodGet, "/", nil).Header().Get("Retry-After"))
		require.NoError(t, err)
		assert.WithinDuration(t, now.Add(3*time.Second), at, 1100*time.Millisecond)
		assert.False(t, at.Before(now.Add(3*time.Second).Truncate(time.Second)))
	})
}

func TestProbe(t *testing.T) {
	tests := []struct {
		mode     string
		status   int
		location string
	}{
		{"ok", 404, ""},
		{"django", 404, ""},
		{"probe-only", 200, ""},
		{"app-stopped", 200, ""},
		{"cf-static", 404, ""},
		{"bad-gateway", 404, ""},
		{"gateway-timeout", 404, ""},
		{"statuspage-maintenance", 404, ""},
		{"probe-redirect-offsite", 302, "http://offsite.test/down-for-maintenance"},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			s := inMemory(t, Config{Mode: tt.mode, RetryAfter: 3 * time.Second})
			w := serve(s, http.MethodGet, ProbePath, nil)
			assert.Equal(t, tt.status, w.Code)
			if tt.location != "" {
				assert.Equal(t, tt.location, w.Header().Get("Location"))
			}
			if tt.status == 200 {
				assert.Equal(t, ctJSON, w.Header().Get("Content-Type"))
				var v struct{ Until, Message string }
				require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v))
				until, err := time.Parse(time.RFC3339, v.Until)
				require.NoError(t, err)
				assert.WithinDuration(t, time.Now().Add(3*time.Second), until, 2*time.Second)
				assert.NotEmpty(t, v.Message)
			}
		})
	}
	t.Run("nginx 404", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "bad-gateway"})
		w := serve(s, http.MethodGet, ProbePath, nil)
		assert.Equal(t, "nginx", w.Header().Get("Server"))
		assert.Equal(t, nginxPage(404, "Not Found"), w.Body.String())
	})
	t.Run("offsite default", func(t *testing.T) {
		s := listening(t, Config{Mode: "probe-redirect-offsite"})
		w := serve(s, http.MethodGet, ProbePath, nil)
		_, port, _ := splitHostPort(t, s.URL)
		assert.Equal(t, "http://127.0.0.2:"+port+ProbePath, w.Header().Get("Location"))
	})
	t.Run("offsite configured", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "probe-redirect-offsite", Offsite: "http://evil.test/"})
		assert.Equal(t, "http://evil.test"+ProbePath, serve(s, http.MethodGet, ProbePath, nil).Header().Get("Location"))
	})
}

func TestHealth(t *testing.T) {
	tests := []struct {
		mode   string
		status int
		ctype  string
		want   string // JSON "status"
	}{
		{"ok", 200, ctActuator, "UP"},
		{"error-500", 200, ctActuator, "UP"},
		{"spring-out-of-service", 503, ctActuator, "OUT_OF_SERVICE"},
		{"health-down", 503, ctActuator, "DOWN"},
		{"health-fail", 503, ctHealth, "fail"},
		{"gitlab-read-only", 200, ctJSON, "ok"},
		{"django", 503, "text/html; charset=utf-8", ""},
		{"app-stopped", 502, "text/html", ""},
		{"cf-static", 404, "text/html", ""},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			s := inMemory(t, Config{Mode: tt.mode})
			w := serve(s, http.MethodGet, HealthPath, nil)
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, tt.ctype, w.Header().Get("Content-Type"))
			if tt.want != "" {
				m := decode(t, w.Body.String())
				assert.Equal(t, tt.want, m["status"])
			}
		})
	}
	t.Run("down components", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "health-down"})
		m := decode(t, serve(s, http.MethodGet, HealthPath, nil).Body.String())
		comps, ok := m["components"].(map[string]any)
		require.True(t, ok)
		assert.Equal(t, "DOWN", comps["db"].(map[string]any)["status"])
	})
	t.Run("fail checks", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "health-fail"})
		m := decode(t, serve(s, http.MethodGet, HealthPath, nil).Body.String())
		assert.Contains(t, m, "checks")
	})
}

func TestHealthAllow(t *testing.T) {
	s := inMemory(t, Config{HealthAllow: mustPrefixes(t, "10.0.0.0/8", "::1/128")})
	tests := []struct {
		remote string
		status int
	}{
		{"10.1.2.3:5000", 200},
		{"[::ffff:10.1.2.3]:5000", 200}, // v4-mapped
		{"[::1]:5000", 200},
		{"192.0.2.1:1234", 403},
		{"not an address", 403},
	}
	for _, tt := range tests {
		t.Run(tt.remote, func(t *testing.T) {
			r, w := newReq(http.MethodGet, HealthPath), newRec()
			r.RemoteAddr = tt.remote
			s.Handler().ServeHTTP(w, r)
			assert.Equal(t, tt.status, w.Code)
			if tt.status == 403 {
				assert.Equal(t, ctText, w.Header().Get("Content-Type"))
				assert.NotEmpty(t, w.Body.String())
			}
		})
	}
	t.Run("pages are not limited", func(t *testing.T) {
		assert.Equal(t, 200, serve(s, http.MethodGet, "/", nil).Code) // httptest's 192.0.2.1
	})
}

func TestStatusPage(t *testing.T) {
	type component struct{ ID, Name, Status string }
	type incident struct {
		ID, Name, Status, Impact string
		ScheduledFor             string                          `json:"scheduled_for"`
		ScheduledUntil           string                          `json:"scheduled_until"`
		IncidentUpdates          []struct{ Status, Body string } `json:"incident_updates"`
		Components               []component
		CreatedAt                string `json:"created_at"`
	}
	type summary struct {
		Page struct {
			ID, Name, URL string
			TimeZone      string `json:"time_zone"`
			UpdatedAt     string `json:"updated_at"`
		}
		Components            []component
		Incidents             []incident
		ScheduledMaintenances []incident `json:"scheduled_maintenances"`
		Status                struct{ Indicator, Description string }
	}
	get := func(t *testing.T, s *Server, p string) summary {
		t.Helper()
		w := serve(s, http.MethodGet, p, nil)
		require.Equal(t, 200, w.Code)
		assert.Equal(t, "application/json; charset=utf-8", w.Header().Get("Content-Type"))
		var v summary
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &v))
		return v
	}
	t.Run("ok", func(t *testing.T) {
		s := inMemory(t, Config{})
		v := get(t, s, StatusPagePath)
		assert.Equal(t, "none", v.Status.Indicator)
		assert.Equal(t, "All Systems Operational", v.Status.Description)
		assert.Equal(t, "http://example.com", v.Page.URL)
		assert.Equal(t, "Etc/UTC", v.Page.TimeZone)
		require.Len(t, v.Components, 2)
		assert.Equal(t, "API", v.Components[0].Name)
		assert.Equal(t, "Website", v.Components[1].Name)
		for _, c := range v.Components {
			assert.Equal(t, "operational", c.Status)
			assert.Len(t, c.ID, 12)
		}
		assert.Empty(t, v.Incidents)
		assert.Empty(t, v.ScheduledMaintenances)
	})
	t.Run("maintenance", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "statuspage-maintenance", RetryAfter: 3 * time.Second, Components: []string{"Payments", "Docs", "Web"}})
		v := get(t, s, StatusPagePath)
		assert.Equal(t, "maintenance", v.Status.Indicator)
		require.Len(t, v.Components, 3)
		assert.Equal(t, "under_maintenance", v.Components[0].Status)
		assert.Equal(t, "operational", v.Components[1].Status)
		require.Len(t, v.ScheduledMaintenances, 1)
		m := v.ScheduledMaintenances[0]
		assert.Equal(t, "in_progress", m.Status)
		assert.Equal(t, "maintenance", m.Impact)
		require.Len(t, m.Components, 1)
		assert.Equal(t, "Payments", m.Components[0].Name)
		from, err := time.Parse(time.RFC3339Nano, m.ScheduledFor)
		require.NoError(t, err)
		until, err := time.Parse(time.RFC3339Nano, m.ScheduledUntil)
		require.NoError(t, err)
		assert.Equal(t, 3*time.Second, until.Sub(from).Round(time.Millisecond))
		assert.Empty(t, v.Incidents)

		active := get(t, s, "/api/v2/scheduled-maintenances/active.json")
		assert.Len(t, active.ScheduledMaintenances, 1)
		assert.Empty(t, get(t, s, "/api/v2/scheduled-maintenances/upcoming.json").ScheduledMaintenances)
		assert.Equal(t, "maintenance", get(t, s, "/api/v2/status.json").Status.Indicator)
	})
	t.Run("incident", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "statuspage-incident"})
		v := get(t, s, StatusPagePath)
		assert.Equal(t, "major", v.Status.Indicator)
		assert.Equal(t, "major_outage", v.Components[0].Status)
		assert.Equal(t, "operational", v.Components[1].Status)
		require.Len(t, v.Incidents, 1)
		assert.Equal(t, "investigating", v.Incidents[0].Status)
		assert.Equal(t, "major", v.Incidents[0].Impact)
		require.Len(t, v.Incidents[0].IncidentUpdates, 1)
		assert.Equal(t, "investigating", v.Incidents[0].IncidentUpdates[0].Status)
		assert.Empty(t, v.ScheduledMaintenances)
		assert.Len(t, get(t, s, "/api/v2/incidents/unresolved.json").Incidents, 1)
	})
	t.Run("answers in network modes", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "reset"})
		assert.Equal(t, "none", get(t, s, StatusPagePath).Status.Indicator)
	})
	t.Run("unknown document", func(t *testing.T) {
		s := inMemory(t, Config{})
		assert.Equal(t, 404, serve(s, http.MethodGet, "/api/v2/nope.json", nil).Code)
		assert.Equal(t, 405, serve(s, http.MethodPost, StatusPagePath, nil).Code)
	})
}

func TestHEAD(t *testing.T) {
	s := listening(t, Config{Mode: "huge-body"}) // HEAD must not stream 10 GiB
	req, err := http.NewRequestWithContext(t.Context(), http.MethodHead, s.URL+"/", nil)
	require.NoError(t, err)
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, strconv.FormatInt(defaultHugeBody, 10), resp.Header.Get("Content-Length"))
	assert.Empty(t, readAll(t, resp))
}

// TestIssue12Modes looks at what the modes of issue 12 serve.
func TestIssue12Modes(t *testing.T) {
	t.Run("catch-all answers every path but the API with index.html", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "catch-all"})
		for _, p := range []string{"/", ProbePath, "/downfor-control-0123", "/some/page"} {
			w := serve(s, http.MethodGet, p, nil)
			assert.Equal(t, 200, w.Code, p)
			assert.Contains(t, w.Body.String(), `<div id="root">`, p)
		}
		w := serve(s, http.MethodGet, "/api/things", nil)
		assert.Equal(t, 502, w.Code)
		assert.Contains(t, w.Body.String(), "<center>nginx</center>")
	})
	t.Run("retry-after-short", func(t *testing.T) {
		w := serve(inMemory(t, Config{Mode: "retry-after-short"}), http.MethodGet, "/", nil)
		assert.Equal(t, 503, w.Code)
		assert.Equal(t, "5", w.Header().Get("Retry-After"))
	})
	t.Run("stock-503-json", func(t *testing.T) {
		w := serve(inMemory(t, Config{Mode: "stock-503-json"}), http.MethodGet, "/", nil)
		assert.Equal(t, 503, w.Code)
		assert.Contains(t, decode(t, w.Body.String())["message"], "maintenance downtime or capacity problems")
	})
	t.Run("vendor-maintenance-header: Nextcloud's header, and Sabre's XML on WebDAV", func(t *testing.T) {
		s := inMemory(t, Config{Mode: "vendor-maintenance-header", RetryAfter: 3 * time.Second})
		w := serve(s, http.MethodGet, "/index.php/apps/files", nil)
		assert.Equal(t, 503, w.Code)
		assert.Equal(t, "1", w.Header().Get("X-Nextcloud-Maintenance-Mode"))
		assert.Equal(t, "3", w.Header().Get("Retry-After"), "fast-forwarded like the other windows")
		w = serve(s, "PROPFIND", "/remote.php/dav/files/alice/", nil)
		assert.Equal(t, 503, w.Code)
		assert.Contains(t, w.Body.String(), `<s:exception>Sabre\DAV\Exception\ServiceUnavailable</s:exception>`)
	})
	t.Run("proxy-synthetic", func(t *testing.T) {
		w := serve(inMemory(t, Config{Mode: "proxy-synthetic"}), http.MethodGet, "/", nil)
		assert.Equal(t, 503, w.Code)
		assert.Equal(t, "envoy", w.Header().Get("Server"))
		assert.Contains(t, w.Body.String(), "upstream connect error or disconnect/reset before headers")
	})
	t.Run("statuspage-unrelated-incident: impact none, another component", func(t *testing.T) {
		w := serve(inMemory(t, Config{Mode: "statuspage-unrelated-incident"}), http.MethodGet, StatusPagePath, nil)
		require.Equal(t, 200, w.Code)
		doc := decode(t, w.Body.String())
		incs := doc["incidents"].([]any)
		require.Len(t, incs, 1)
		inc := incs[0].(map[string]any)
		assert.Equal(t, "none", inc["impact"])
		assert.Equal(t, "Website", inc["components"].([]any)[0].(map[string]any)["name"])
		assert.Equal(t, "none", doc["status"].(map[string]any)["indicator"])
	})
}
