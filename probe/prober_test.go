package probe

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
)

// site is an httptest server that records what it was asked.
type site struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []seen
}

type seen struct {
	path, query string
	header      http.Header
}

func newSite(t *testing.T, h http.HandlerFunc) *site {
	t.Helper()
	s := &site{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.URL.Path, r.URL.RawQuery, r.Header.Clone()})
		s.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *site) seen() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func (s *site) paths() []string {
	var out []string
	for _, r := range s.seen() {
		p := r.path
		if r.query != "" {
			p += "?" + r.query
		}
		out = append(out, p)
	}
	return out
}

func (s *site) url(t *testing.T) *url.URL {
	u, err := url.Parse(s.URL + "/some/page?q=1")
	require.NoError(t, err)
	return u
}

// testClient has its own transport, whose idle connections are closed when
// the test ends, so goleak sees no leftover connection goroutines.
func testClient(t *testing.T) *http.Client {
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

func reply(status int, contentType, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

// routes serves each path with its handler, and 404 elsewhere.
func routes(m map[string]http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if h, ok := m[r.URL.Path]; ok {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}
}

func TestProberProbe(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		handler http.HandlerFunc
		want    []got
	}{
		{"200 with until", Config{}, routes(map[string]http.HandlerFunc{
			"/down-for-maintenance": reply(200, "application/json", `{"until":"2026-11-23T10:00:00Z","message":"Database upgrade"}`),
		}), []got{{classify.SourceProbe, "probe", "200", explicit, maint, "Database upgrade", time.Time{}, utc("2026-11-23T10:00:00Z")}}},
		{"404 not announced", Config{}, routes(nil),
			[]got{{classify.SourceProbe, "probe", "404 (not announced)", none, classify.OK, "", time.Time{}, time.Time{}}}},
		{"502 no information", Config{}, reply(502, "text/html", "<h1>502 Bad Gateway</h1>"),
			[]got{{classify.SourceProbe, "probe", "502 (no information)", none, classify.OK, "", time.Time{}, time.Time{}}}},
		{"custom path without a slash", Config{ProbePath: "maintenance.json"}, routes(map[string]http.HandlerFunc{
			"/maintenance.json": reply(200, "", ""),
		}), []got{{classify.SourceProbe, "probe", "200", explicit, maint, "", time.Time{}, time.Time{}}}},
		{"200 with a body too large", Config{BodyLimit: 16}, routes(map[string]http.HandlerFunc{
			"/down-for-maintenance": reply(200, "application/json", `{"message":"`+strings.Repeat("x", 100)+`"}`),
		}), []got{{classify.SourceProbe, "probe", "200 (body too large, ignored)", explicit, maint, "", time.Time{}, time.Time{}}}},
		{"disabled", Config{DisableProbe: true}, reply(200, "", ""), []got{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.handler)
			tt.cfg.Client = testClient(t)
			p := New(tt.cfg)
			assert.Equal(t, tt.want, brief(p.Check(t.Context(), s.url(t))...))
			if !tt.cfg.DisableProbe {
				// A 200 costs one control request, to rule out a catch-all.
				want := 1
				if len(tt.want) > 0 && tt.want[0].Strength == explicit {
					want = 2
				}
				assert.Len(t, s.seen(), want)
			} else {
				assert.Empty(t, s.seen())
			}
		})
	}
}

func TestProberRedirects(t *testing.T) {
	redirect := func(to string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, to, http.StatusFound) }
	}
	t.Run("same origin, three hops, back to the probe", func(t *testing.T) {
		s := newSite(t, routes(map[string]http.HandlerFunc{
			"/down-for-maintenance":  redirect("/r1"),
			"/r1":                    redirect("/r2"),
			"/r2":                    redirect("/down-for-maintenance/"),
			"/down-for-maintenance/": reply(200, "", ""),
		}))
		ev := New(Config{Client: testClient(t)}).Probe(t.Context(), s.url(t))
		assert.Equal(t, []got{{classify.SourceProbe, "probe", "200", explicit, maint, "", time.Time{}, time.Time{}}}, brief(ev...))
		paths := s.paths()
		require.Len(t, paths, 5)
		assert.Equal(t, []string{"/down-for-maintenance", "/r1", "/r2", "/down-for-maintenance/"}, paths[:4])
		assert.True(t, strings.HasPrefix(paths[4], "/downfor-control-"), "then the control request: %s", paths[4])
	})
	t.Run("same origin, four hops", func(t *testing.T) {
		s := newSite(t, routes(map[string]http.HandlerFunc{
			"/down-for-maintenance": redirect("/r1"),
			"/r1":                   redirect("/r2"),
			"/r2":                   redirect("/r3"),
			"/r3":                   redirect("/r4"),
			"/r4":                   reply(200, "", ""),
		}))
		ev := New(Config{Client: testClient(t)}).Probe(t.Context(), s.url(t))
		assert.Equal(t, "302 redirect not followed (more than 3)", ev[0].Value)
		assert.Equal(t, classify.None, ev[0].Strength)
		assert.Equal(t, []string{"/down-for-maintenance", "/r1", "/r2", "/r3"}, s.paths())
	})
	t.Run("same origin, to a login page", func(t *testing.T) {
		s := newSite(t, routes(map[string]http.HandlerFunc{
			"/down-for-maintenance": redirect("/login?next=/down-for-maintenance"),
			"/login":                reply(200, "text/html", "<form>"),
		}))
		ev := New(Config{Client: testClient(t)}).Probe(t.Context(), s.url(t))
		assert.Equal(t, []got{{classify.SourceProbe, "probe", "200 after a redirect to /login, not the probe", none, classify.OK, "", time.Time{}, time.Time{}}}, brief(ev...))
	})

	t.Run("another origin is not followed and learns nothing", func(t *testing.T) {
		other := newSite(t, reply(200, "application/json", `{"status":"OUT_OF_SERVICE"}`))
		s := newSite(t, routes(map[string]http.HandlerFunc{
			"/down-for-maintenance": redirect(other.URL + "/down-for-maintenance"),
			"/health":               redirect(other.URL + "/health"),
		}))
		p := New(Config{
			Client:    testClient(t),
			HealthURL: "/health",
			Header:    http.Header{"Authorization": {"Bearer secret"}, "Cookie": {"session=secret"}, "X-Api-Key": {"secret"}},
		})
		ev := p.Check(t.Context(), s.url(t))
		assert.Equal(t, []got{
			{classify.SourceProbe, "probe", "302 redirect to another origin not followed", none, classify.OK, "", time.Time{}, time.Time{}},
			{classify.SourceHealth, "health", "302 redirect to another origin not followed", none, classify.OK, "", time.Time{}, time.Time{}},
		}, brief(ev...))
		assert.Empty(t, other.seen(), "the other origin was contacted")
		for _, r := range s.seen() {
			assert.Equal(t, "Bearer secret", r.header.Get("Authorization"), r.path)
			assert.Equal(t, "secret", r.header.Get("X-Api-Key"), r.path)
		}
	})

	t.Run("a status page on the service's origin does not redirect elsewhere", func(t *testing.T) {
		page := newSite(t, routes(map[string]http.HandlerFunc{
			"/api/v2/summary.json": reply(200, "application/json", string(fixture(t, "statuspage_maintenance.json"))),
		}))
		s := newSite(t, routes(map[string]http.HandlerFunc{
			"/status/api/v2/summary.json": redirect(page.URL + "/api/v2/summary.json"),
		}))
		p := New(Config{Client: testClient(t), DisableProbe: true, StatusPageURL: "/status"})
		ev := p.Check(t.Context(), s.url(t))
		require.Len(t, ev, 1)
		assert.Equal(t, none, ev[0].Strength)
		assert.Contains(t, ev[0].Value, "redirect to another origin not followed")
		assert.Empty(t, page.seen(), "the other origin was contacted")
	})

	t.Run("a named status page redirects elsewhere without credentials", func(t *testing.T) {
		page := newSite(t, routes(map[string]http.HandlerFunc{
			"/api/v2/summary.json": reply(200, "application/json", string(fixture(t, "statuspage_maintenance.json"))),
		}))
		s := newSite(t, routes(map[string]http.HandlerFunc{
			"/status/api/v2/summary.json": redirect(page.URL + "/api/v2/summary.json"),
		}))
		p := New(Config{
			Client:        testClient(t),
			DisableProbe:  true,
			StatusPageURL: s.URL + "/status", // named as an absolute URL: it may move
			Header:        http.Header{"Authorization": {"Bearer secret"}, "Cookie": {"session=secret"}, "X-Api-Key": {"secret"}},
		})
		ev := p.Check(t.Context(), s.url(t))
		require.NotEmpty(t, ev)
		assert.Equal(t, "indicator", ev[0].Signal)
		assert.Equal(t, explicit, ev[0].Strength)
		require.Len(t, s.seen(), 1)
		assert.Equal(t, "Bearer secret", s.seen()[0].header.Get("Authorization"))
		require.Len(t, page.seen(), 1)
		for _, k := range []string{"Authorization", "Cookie", "X-Api-Key"} {
			assert.Empty(t, page.seen()[0].header.Values(k), k)
		}
	})

	t.Run("a status page on another host never gets the header", func(t *testing.T) {
		page := newSite(t, reply(200, "application/json", string(fixture(t, "instatus_incident.json"))))
		s := newSite(t, routes(nil))
		p := New(Config{
			Client:        testClient(t),
			StatusPageURL: page.URL,
			Header:        http.Header{"Authorization": {"Bearer secret"}, "X-Api-Key": {"secret"}},
		})
		ev := p.Check(t.Context(), s.url(t))
		assert.Len(t, ev, 3) // probe, indicator, incident
		require.Len(t, page.seen(), 1)
		assert.Equal(t, "/api/v2/summary.json", page.seen()[0].path)
		assert.Empty(t, page.seen()[0].header.Get("Authorization"))
		assert.Empty(t, page.seen()[0].header.Get("X-Api-Key"))
		require.Len(t, s.seen(), 1)
		assert.Equal(t, "secret", s.seen()[0].header.Get("X-Api-Key"))
	})

	t.Run("https to http is not followed", func(t *testing.T) {
		plain := newSite(t, reply(200, "application/json", `{"status":{"indicator":"none"}}`))
		tls := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, plain.URL+r.URL.Path, http.StatusMovedPermanently)
		}))
		t.Cleanup(tls.Close)
		p := New(Config{Client: tls.Client(), DisableProbe: true, StatusPageURL: tls.URL + "/status.json"})
		ev := p.Check(t.Context(), mustURL(t, tls.URL))
		assert.Equal(t, []got{{ssp, "status-page", "301 redirect from https to http not followed", none, classify.OK, "", time.Time{}, time.Time{}}}, brief(ev...))
		assert.Empty(t, plain.seen())
	})
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	require.NoError(t, err)
	return u
}

func TestProberClientNotModified(t *testing.T) {
	s := newSite(t, routes(map[string]http.HandlerFunc{
		"/down-for-maintenance": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/x", http.StatusFound) },
	}))
	called := false
	c := testClient(t)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { called = true; return nil }
	before := fmt.Sprintf("%p", c.CheckRedirect)
	ev := New(Config{Client: c}).Probe(t.Context(), s.url(t))
	assert.Equal(t, "404 (not announced)", ev[0].Value)
	assert.False(t, called, "the caller's CheckRedirect was used")
	assert.Equal(t, before, fmt.Sprintf("%p", c.CheckRedirect))
}

func TestProberHealth(t *testing.T) {
	tests := []struct {
		name    string
		health  string
		handler http.HandlerFunc
		want    got
	}{
		{"restricted 403 is no information", "/health", reply(403, "text/plain", "Forbidden"),
			got{classify.SourceHealth, "health", "no information (403)", none, classify.OK, "", time.Time{}, time.Time{}}},
		{"Spring OUT_OF_SERVICE", "/actuator/health", routes(map[string]http.HandlerFunc{
			"/actuator/health": reply(503, "application/vnd.spring-boot.actuator.v3+json", `{"status":"OUT_OF_SERVICE"}`),
		}), got{classify.SourceHealth, "health", "OUT_OF_SERVICE (503)", explicit, maint, "", time.Time{}, time.Time{}}},
		{"path without a slash", "healthz", routes(map[string]http.HandlerFunc{
			"/healthz": reply(200, "text/plain", "ok"),
		}), got{classify.SourceHealth, "health", "ok (200)", none, classify.OK, "", time.Time{}, time.Time{}}},
		{"body too large", "/health", reply(200, "application/json", `{"status":"UP","pad":"`+strings.Repeat("x", 2000)+`"}`),
			got{classify.SourceHealth, "health", "no information (200, body too large)", none, classify.OK, "", time.Time{}, time.Time{}}},
		{"not an http URL", "ftp://example.com/health", reply(200, "", ""),
			got{classify.SourceHealth, "health", "invalid health URL", none, classify.OK, "", time.Time{}, time.Time{}}},
		{"unparseable URL", "http://[::1/health", reply(200, "", ""),
			got{classify.SourceHealth, "health", "invalid health URL", none, classify.OK, "", time.Time{}, time.Time{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.handler)
			p := New(Config{Client: testClient(t), DisableProbe: true, HealthURL: tt.health, BodyLimit: 1024})
			assert.Equal(t, []got{tt.want}, brief(p.Check(t.Context(), s.url(t))...))
		})
	}

	t.Run("absolute URL on another host gets no header", func(t *testing.T) {
		other := newSite(t, reply(200, "application/json", `{"status":"UP"}`))
		s := newSite(t, routes(nil))
		p := New(Config{Client: testClient(t), DisableProbe: true, HealthURL: other.URL + "/health", Header: http.Header{"Authorization": {"Bearer secret"}}})
		ev := p.Check(t.Context(), s.url(t))
		assert.Equal(t, "UP (200)", ev[0].Value)
		require.Len(t, other.seen(), 1)
		assert.Empty(t, other.seen()[0].header.Get("Authorization"))
		assert.Equal(t, "downfor", other.seen()[0].header.Get("User-Agent"))
		assert.Empty(t, s.seen())
	})
}

func TestProberStatusPage(t *testing.T) {
	json := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(fixture(t, name))
		}
	}
	tests := []struct {
		name       string
		page, kind string
		components []string
		handler    http.HandlerFunc
		paths      []string
		signals    []string // Signal: Value of each piece of evidence
	}{
		{"Statuspage page URL", "/", "", nil, routes(map[string]http.HandlerFunc{"/api/v2/summary.json": json("statuspage_maintenance.json")}),
			[]string{"/api/v2/summary.json"}, []string{"indicator: maintenance", "maintenance: in_progress", "component: API: under_maintenance"}},
		{"Statuspage part given as JSON", "/api/v2/incidents/unresolved.json", "", nil, routes(map[string]http.HandlerFunc{"/api/v2/incidents/unresolved.json": json("statuspage_incident.json")}),
			[]string{"/api/v2/incidents/unresolved.json"}, []string{"indicator: critical", "incident: identified (critical)", "component: API: major_outage"}},
		{"Instatus page URL", "/status/", KindInstatus, nil, routes(map[string]http.HandlerFunc{"/status/summary.json": json("instatus_maintenance.json")}),
			[]string{"/status/summary.json"}, []string{"indicator: UNDERMAINTENANCE", "maintenance: INPROGRESS", "upcoming-maintenance: NOTSTARTEDYET"}},
		{"Cachet page URL", "/", KindCachet, nil, routes(map[string]http.HandlerFunc{"/api/status": json("cachet_status.json"), "/api/schedules": json("cachet_schedules.json")}),
			[]string{"/api/schedules?per_page=100", "/api/status"}, []string{"indicator: under_maintenance", "maintenance: in_progress", "upcoming-maintenance: upcoming"}},
		{"Cachet with components", "/", KindCachet, []string{"dashboard"}, routes(map[string]http.HandlerFunc{
			"/api/status": json("cachet_status.json"), "/api/schedules": json("cachet_schedules.json"), "/api/components": json("cachet_components.json"),
		}), []string{"/api/components?per_page=100", "/api/schedules?per_page=100", "/api/status"}, []string{
			"indicator: under_maintenance (page-wide; components selected)", "maintenance: in_progress (names no component)", "upcoming-maintenance: upcoming", "component: Dashboard: major_outage",
		}},
		{"Cachet one endpoint", "/api/status", KindCachet, nil, routes(map[string]http.HandlerFunc{"/api/status": json("cachet_status_jsonapi.json")}),
			[]string{"/api/status"}, []string{"indicator: partial_outage"}},
		{"Cachet endpoint missing", "/", KindCachet, nil, routes(map[string]http.HandlerFunc{"/api/status": json("cachet_status.json")}),
			[]string{"/api/schedules?per_page=100", "/api/status"}, []string{"indicator: under_maintenance", "status-page: /api/schedules: 404 (no information)"}},
		{"not found", "/", "", nil, routes(nil),
			[]string{"/api/v2/summary.json"}, []string{"status-page: 404 (no information)"}},
		{"HTML", "/", "", nil, reply(200, "text/html", "<html>"),
			[]string{"/api/v2/summary.json"}, []string{"status-page: unrecognised status page: not a JSON object"}},
		{"nothing to report", "/components.json", KindCachet, nil, reply(200, "application/json", `{"data":[]}`),
			[]string{"/components.json"}, []string{"status-page: nothing to report"}},
		{"unknown kind", "/", "atlassian", nil, reply(200, "", ""),
			nil, []string{`status-page: unknown status page kind "atlassian" (want statuspage, cachet or instatus)`}},
		{"invalid URL", "mailto:ops@example.com", "", nil, reply(200, "", ""),
			nil, []string{"status-page: invalid status page URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.handler)
			p := New(Config{Client: testClient(t), DisableProbe: true, StatusPageURL: tt.page, StatusPageKind: tt.kind, Components: tt.components,
				Now: func() time.Time { return now }})
			var signals []string
			for _, e := range p.Check(t.Context(), s.url(t)) {
				assert.Equal(t, classify.SourceStatusPage, e.Source)
				signals = append(signals, e.Signal+": "+e.Value)
			}
			assert.Equal(t, tt.signals, signals)
			paths := s.paths()
			slices.Sort(paths)
			assert.Equal(t, tt.paths, paths)
		})
	}
}

// controlName matches the random name of a probe's control request.
var controlName = regexp.MustCompile(`/downfor-control-[0-9a-f]+`)

func TestProberTimeouts(t *testing.T) {
	hang := func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }
	trickle := func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		w.Write([]byte(`{"status":`))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    []string
	}{
		{"no answer", hang, []string{"probe: no answer (timeout)", "health: no answer (timeout)", "status_page: no answer (timeout)"}},
		// The handler answers every path alike: the probe's control
		// request finds a catch-all.
		{"body never ends", trickle, []string{"probe: 200, but catch-all: /downfor-control-X also answers 200", "health: no information (200, reading body: timeout)", "status_page: 200 (reading body: timeout)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.handler)
			p := New(Config{Client: testClient(t), Timeout: 200 * time.Millisecond, HealthURL: "/health", StatusPageURL: "/"})
			// The evidence says the timeout ended each source; no
			// wall-clock assertion (machines here are shared and noisy).
			ev := p.Check(t.Context(), s.url(t))
			var got []string
			for _, e := range ev {
				got = append(got, e.Source+": "+controlName.ReplaceAllString(e.Value, "/downfor-control-X"))
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestProberHugeBodyStaysBounded(t *testing.T) {
	s := newSite(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		chunk := []byte(strings.Repeat(" ", 64<<10))
		for {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	})
	p := New(Config{Client: testClient(t), DisableProbe: true, HealthURL: "/health", StatusPageURL: "/", BodyLimit: 256 << 10})
	ev := p.Check(t.Context(), s.url(t))
	assert.Equal(t, []string{"no information (200, body too large)", "200 (body too large)"}, []string{ev[0].Value, ev[1].Value})
}

func TestProberNoAnswer(t *testing.T) {
	s := newSite(t, routes(nil))
	target := s.url(t)
	s.Close() // nothing listens there any more
	p := New(Config{Client: testClient(t)})
	assert.Equal(t, "no answer (refused)", p.Check(t.Context(), target)[0].Value)
}

func TestProberInvalidTarget(t *testing.T) {
	p := New(Config{HealthURL: "/health", StatusPageURL: "/"})
	for _, raw := range []string{"", "/relative", "ftp://example.com/", "http://", "http://:80/"} {
		t.Run(raw, func(t *testing.T) {
			target, err := url.Parse(raw)
			require.NoError(t, err)
			for _, e := range p.Check(t.Context(), target) {
				assert.Equal(t, "invalid target URL", e.Value)
				assert.Equal(t, classify.None, e.Strength)
			}
			assert.Len(t, p.Check(t.Context(), target), 3)
		})
	}
	assert.Equal(t, "invalid target URL", p.Probe(t.Context(), nil)[0].Value)
}

func TestProberCallerDone(t *testing.T) {
	s := newSite(t, reply(200, "", ""))
	p := New(Config{Client: testClient(t), HealthURL: "/health", StatusPageURL: "/"})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	ev := p.Check(ctx, s.url(t))
	require.Len(t, ev, 3)
	for _, e := range ev {
		assert.Equal(t, "not checked (context canceled)", e.Value)
	}
	assert.Empty(t, s.seen())
}

func TestProberNotConfigured(t *testing.T) {
	p := New(Config{DisableProbe: true})
	target := mustURL(t, "https://example.com/")
	assert.Nil(t, p.Probe(t.Context(), target))
	assert.Nil(t, p.Health(t.Context(), target))
	assert.Nil(t, p.StatusPage(t.Context(), target))
	assert.Empty(t, p.Check(t.Context(), target))
}

// TestProberCatchAll: a site that answers 200 to every path says nothing
// through the probe; a real probe file beside a catch-all still counts.
func TestProberCatchAll(t *testing.T) {
	index := reply(200, "text/html; charset=utf-8", `<!doctype html><html><body><div id="root"></div></body></html>`)
	tests := []struct {
		name      string
		handler   http.HandlerFunc
		wantValue string
		explicit  bool
	}{
		{"SPA index.html everywhere", index, "200 (an HTML page without maintenance words, not a probe)", false},
		{"JSON API answering 200 everywhere", reply(200, "application/json", `{"ok":true}`),
			"200, but catch-all: /downfor-control-X also answers 200", false},
		{"empty 200 everywhere", reply(200, "", ""), "200, but catch-all: /downfor-control-X also answers 200", false},
		{"a JSON probe beside an API answering 200 to unknown paths", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/down-for-maintenance" {
				reply(200, "application/json", `{"until":"2026-11-23T10:00:00Z"}`)(w, r)
				return
			}
			reply(200, "application/json", `{"error":"no such route"}`)(w, r)
		}, "200", true},
		{"a flag file beside an SPA", func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/down-for-maintenance" {
				reply(200, "text/plain", "back at 10:00")(w, r)
				return
			}
			index(w, r)
		}, "200", true},
		{"unknown paths redirect to a login page", func(w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/down-for-maintenance", "/login":
				reply(200, "", "")(w, r)
			default:
				http.Redirect(w, r, "/login", http.StatusFound)
			}
		}, "200", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSite(t, tt.handler)
			ev := New(Config{Client: testClient(t)}).Probe(t.Context(), s.url(t))
			require.Len(t, ev, 1)
			assert.Equal(t, tt.wantValue, controlName.ReplaceAllString(ev[0].Value, "/downfor-control-X"))
			if tt.explicit {
				assert.Equal(t, classify.Explicit, ev[0].Strength)
			} else {
				assert.Equal(t, classify.None, ev[0].Strength)
			}
		})
	}
}
