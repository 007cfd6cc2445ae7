package testserver

import (
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestControlAuth(t *testing.T) {
	s := inMemory(t, Config{Token: "s3cret"})
	tests := []struct {
		name      string
		header    http.Header
		status    int
		challenge string
	}{
		{"missing", nil, 401, `Bearer realm="downfor"`},
		{"basic", http.Header{"Authorization": {"Basic czNjcmV0Og=="}}, 401, `Bearer realm="downfor"`},
		{"wrong", bearer("nope"), 401, `Bearer realm="downfor", error="invalid_token"`},
		{"prefix of the token", bearer("s3cre"), 401, `Bearer realm="downfor", error="invalid_token"`},
		{"right", bearer("s3cret"), 200, ""},
		{"scheme case-insensitive", http.Header{"Authorization": {"bearer s3cret"}}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(s, http.MethodGet, "/_downfor/mode", tt.header)
			assert.Equal(t, tt.status, w.Code)
			assert.Equal(t, tt.challenge, w.Header().Get("WWW-Authenticate"))
			assert.Equal(t, ctJSON, w.Header().Get("Content-Type"))
		})
	}
}

func TestRandomToken(t *testing.T) {
	s := inMemory(t, Config{})
	assert.Regexp(t, `^[0-9a-f]{32}$`, s.Token)
	other := inMemory(t, Config{})
	assert.NotEqual(t, s.Token, other.Token)
	assert.Equal(t, 200, serve(s, http.MethodGet, "/_downfor/mode", bearer(s.Token)).Code)
}

func TestControlMode(t *testing.T) {
	s := inMemory(t, Config{Token: "t"})
	auth := bearer("t")

	var st controlState
	w := serve(s, http.MethodGet, "/_downfor/mode", auth)
	require.Equal(t, 200, w.Code)
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &st))
	assert.Equal(t, "ok", st.Mode)
	assert.Equal(t, "ok", st.Class)

	w = serve(s, http.MethodPost, "/_downfor/mode?name=django", auth)
	require.Equal(t, 200, w.Code, w.Body.String())
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &st))
	assert.Equal(t, "django", st.Mode)
	assert.Equal(t, "maintenance", st.Class)
	assert.Equal(t, "django", s.Mode())
	assert.Equal(t, 503, serve(s, http.MethodGet, "/", nil).Code)

	t.Run("form body", func(t *testing.T) {
		r := httptest.NewRequest(http.MethodPost, "/_downfor/mode", strings.NewReader(url.Values{"name": {"throttled"}}.Encode()))
		r.Header.Set("Authorization", "Bearer t")
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		w := newRec()
		s.Handler().ServeHTTP(w, r)
		require.Equal(t, 200, w.Code, w.Body.String())
		assert.Equal(t, "throttled", s.Mode())
	})
	t.Run("timeline", func(t *testing.T) {
		w := serve(s, http.MethodPost, "/_downfor/mode?timeline="+url.QueryEscape("ok 1h, django"), auth)
		require.Equal(t, 200, w.Code, w.Body.String())
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &st))
		assert.Equal(t, "ok:1h0m0s,django", st.Timeline)
		assert.Equal(t, "ok", st.Mode)
	})
	t.Run("unknown mode", func(t *testing.T) {
		w := serve(s, http.MethodPost, "/_downfor/mode?name=nope", auth)
		assert.Equal(t, 400, w.Code)
		var e struct{ Error string }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e))
		assert.True(t, strings.HasPrefix(e.Error, `unknown mode "nope"`), "no package prefix: %s", e.Error)
		assert.Contains(t, e.Error, "retry-after-seconds")
		assert.Contains(t, e.Error, "probe-hang")
	})
	t.Run("bad requests", func(t *testing.T) {
		assert.Equal(t, 400, serve(s, http.MethodPost, "/_downfor/mode", auth).Code)
		assert.Equal(t, 400, serve(s, http.MethodPost, "/_downfor/mode?name=ok&timeline=ok", auth).Code)
		w := serve(s, http.MethodPost, "/_downfor/mode?timeline=ok,django", auth)
		assert.Equal(t, 400, w.Code)
		var e struct{ Error string }
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &e))
		assert.Equal(t, "timeline step 1 (ok) needs a duration; only the last step may last forever", e.Error)
		w = serve(s, http.MethodDelete, "/_downfor/mode", auth)
		assert.Equal(t, 405, w.Code)
		assert.NotEmpty(t, w.Header().Get("Allow"))
		assert.Equal(t, 404, serve(s, http.MethodGet, "/_downfor/nope", auth).Code)
	})
	t.Run("modes", func(t *testing.T) {
		w := serve(s, http.MethodGet, "/_downfor/modes", auth)
		require.Equal(t, 200, w.Code)
		var modes []Mode
		require.NoError(t, json.Unmarshal(w.Body.Bytes(), &modes))
		assert.Equal(t, Modes(), modes)
	})
}

// The control API works in every mode, even those that break connections.
func TestControlInEveryMode(t *testing.T) {
	for _, m := range Modes() {
		t.Run(m.Name, func(t *testing.T) {
			s := inMemory(t, Config{Mode: m.Name, Token: "t"})
			assert.Equal(t, 200, serve(s, http.MethodGet, "/_downfor/mode", bearer("t")).Code)
			assert.Equal(t, 200, serve(s, http.MethodPost, "/_downfor/mode?name=ok", bearer("t")).Code)
			assert.Equal(t, 200, serve(s, http.MethodGet, "/", nil).Code)
		})
	}
}

func TestRequestLog(t *testing.T) {
	s := inMemory(t, Config{Token: "t"})
	before := time.Now()
	serve(s, http.MethodGet, "/a?x=1", nil)
	serve(s, http.MethodPost, "/b", nil)
	serve(s, http.MethodGet, ProbePath, nil)
	serve(s, http.MethodGet, HealthPath, nil)
	serve(s, http.MethodGet, StatusPagePath, nil)
	serve(s, http.MethodGet, "/_downfor/requests", bearer("t")) // not recorded
	serve(s, http.MethodGet, "/_downfor/requests", nil)         // not recorded either

	reqs := s.Requests()
	require.Len(t, reqs, 5)
	paths := make([]string, len(reqs))
	for i, r := range reqs {
		paths[i] = r.Path
		assert.False(t, r.Time.Before(before))
		assert.Equal(t, "ok", r.Mode)
	}
	assert.Equal(t, []string{"/a", "/b", ProbePath, HealthPath, StatusPagePath}, paths)
	assert.Equal(t, "POST", reqs[1].Method)
	assert.Equal(t, "x=1", reqs[0].Query)
	assert.Equal(t, "192.0.2.1:1234", reqs[0].RemoteAddr)

	w := serve(s, http.MethodGet, "/_downfor/requests", bearer("t"))
	require.Equal(t, 200, w.Code)
	var got []map[string]any
	require.NoError(t, json.Unmarshal(w.Body.Bytes(), &got))
	require.Len(t, got, 5)
	assert.Equal(t, "GET", got[0]["method"])
	assert.Equal(t, "/a", got[0]["path"])
	ts, ok := got[0]["time"].(string)
	require.True(t, ok)
	parsed, err := time.Parse(time.RFC3339Nano, ts)
	require.NoError(t, err)
	assert.True(t, parsed.Equal(reqs[0].Time))

	w = serve(s, http.MethodDelete, "/_downfor/requests", bearer("t"))
	assert.Equal(t, 204, w.Code)
	assert.Empty(t, s.Requests())
	assert.Equal(t, "[]", serve(s, http.MethodGet, "/_downfor/requests", bearer("t")).Body.String())

	serve(s, http.MethodGet, "/c", nil)
	s.ResetRequests()
	assert.Empty(t, s.Requests())
}

func TestRequestLogBounded(t *testing.T) {
	var l requestLog
	for i := range maxRequests + 10 {
		l.add(Request{Path: "/" + strconv.Itoa(i)})
	}
	all := l.all()
	require.Len(t, all, maxRequests)
	assert.Equal(t, "/10", all[0].Path)
	assert.Equal(t, "/"+strconv.Itoa(maxRequests+9), all[len(all)-1].Path)
}

func TestUnknownMode(t *testing.T) {
	_, err := StartInMemory(Config{Mode: "nope"})
	require.Error(t, err)
	var ue *UnknownModeError
	require.True(t, errors.As(err, &ue))
	assert.Equal(t, "nope", ue.Name)
	assert.True(t, strings.HasPrefix(err.Error(), "testserver: unknown mode"), err.Error())
	for _, name := range ModeNames() {
		assert.Contains(t, err.Error(), name)
	}

	s := inMemory(t, Config{})
	require.Error(t, s.SetMode("nope"))
	assert.Equal(t, "ok", s.Mode())
	_, err = New("nope")
	assert.ErrorAs(t, err, &ue)
}

func TestConfigErrors(t *testing.T) {
	for name, cfg := range map[string]Config{
		"negative retry":     {RetryAfter: -time.Second},
		"mode and timeline":  {Mode: "ok", Timeline: []Step{{Mode: "ok"}}},
		"forever in between": {Timeline: []Step{{Mode: "ok"}, {Mode: "django"}}},
		"empty component":    {Components: []string{""}},
		"negative huge":      {HugeBody: -1},
		"bad address":        {Addr: "256.0.0.1:x"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Start(cfg)
			assert.Error(t, err)
		})
	}
	t.Run("address in use", func(t *testing.T) {
		s := listening(t, Config{})
		_, err := Start(Config{Addr: strings.TrimPrefix(s.URL, "http://")})
		var op *net.OpError
		require.ErrorAs(t, err, &op, "net.Listen's own error")
		assert.Equal(t, "listen", op.Op)
	})
	t.Run("timeline", func(t *testing.T) {
		_, err := Start(Config{Timeline: []Step{{Mode: "ok"}, {Mode: "django"}}})
		var te *TimelineError
		require.ErrorAs(t, err, &te)
		assert.Contains(t, te.Reason, "only the last step may last forever")
	})
}

func TestModesTable(t *testing.T) {
	modes := Modes()
	require.NotEmpty(t, modes)
	assert.Equal(t, "ok", modes[0].Name)
	seen := map[string]bool{}
	classes := map[string]bool{classOK: true, classClientError: true, classThrottled: true,
		classMaintenance: true, classMalfunction: true, classNetwork: true}
	for _, m := range modes {
		assert.False(t, seen[m.Name], "duplicate %s", m.Name)
		seen[m.Name] = true
		assert.Regexp(t, `^[a-z0-9]+(-[a-z0-9]+)*$`, m.Name)
		assert.True(t, classes[m.Class], "%s: class %q", m.Name, m.Class)
		assert.Contains(t, []string{"", explicit, implied}, m.Confidence, m.Name)
		if m.Class == classMaintenance {
			assert.NotEmpty(t, m.Confidence, "%s: maintenance needs a confidence", m.Name)
		}
		assert.NotEmpty(t, m.Description)
		assert.NotContains(t, m.Description, "\t")
		assert.NotContains(t, m.Description, "\n")
	}
	// Every mode name the mock server has promised, each of them.
	for _, name := range strings.Fields(`ok retry-after-seconds retry-after-date django laravel turnout osf notify
		probe-only app-stopped cf-static cf-json-200 spring-out-of-service statuspage-maintenance gitlab-read-only
		throttled throttled-bare error-500 haproxy-no-backend bad-gateway gateway-timeout launchpad-timeout
		health-down health-fail statuspage-incident reset hang slow-body garbage retry-after-huge
		retry-after-far-future retry-after-past retry-after-negative retry-after-garbage huge-body
		probe-redirect-offsite redirect-loop probe-hang`) {
		assert.True(t, seen[name], "missing mode %s", name)
	}
	// Modes returns a copy.
	modes[0].Name = "changed"
	assert.Equal(t, "ok", Modes()[0].Name)
}

// The package documentation's table lists every mode.
func TestDocListsEveryMode(t *testing.T) {
	b, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	for _, name := range ModeNames() {
		assert.Regexp(t, `(?m)^//\t`+regexp.QuoteMeta(name)+` `, string(b), "doc.go's table lacks %s", name)
	}
}
