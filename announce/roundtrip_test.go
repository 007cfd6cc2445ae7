package announce_test

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/announce"
	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/internal/memrt"
	"github.com/downfor/downfor/probe"
)

// memTransport serves each request in memory (package memrt), from an
// address outside loopback, so that the client runs inside a synctest bubble.
type memTransport struct{ h http.Handler }

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return memrt.Transport{Handler: t.h, RemoteAddr: "198.51.100.20:40000"}.RoundTrip(req)
}

// served records when the service answered each request.
type served struct {
	mu  sync.Mutex
	log []hit
}

type hit struct {
	at     time.Time
	path   string
	status int
}

func (s *served) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		h.ServeHTTP(rec, r)
		s.mu.Lock()
		defer s.mu.Unlock()
		s.log = append(s.log, hit{at: time.Now(), path: r.URL.Path, status: rec.status})
	})
}

func (s *served) hits() []hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]hit(nil), s.log...)
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// nginx502 is what a proxy in front of a stopped application answers.
var nginx502 = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.WriteHeader(http.StatusBadGateway)
	_, _ = io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
})

// statusPage is a Statuspage v2 summary with a scheduled maintenance in
// progress until until (Statuspage's public API v2 summary.json shape:
// https://metastatuspage.com/api/v2).
func statusPage(start, until time.Time) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }
		w.Header().Set("Content-Type", "application/json")
		if time.Now().Before(until) {
			fmt.Fprintf(w, `{"page":{"id":"p1","name":"Orders","url":"https://status.example.com","time_zone":"Etc/UTC","updated_at":%q},
"components":[{"id":"c1","name":"API","status":"under_maintenance","created_at":%[1]q,"updated_at":%[1]q,"position":1,"showcase":true,"group":false,"only_show_if_degraded":false,"page_id":"p1","group_id":null,"description":null,"start_date":null}],
"incidents":[],
"scheduled_maintenances":[{"id":"m1","name":"Database upgrade","status":"in_progress","created_at":%[1]q,"updated_at":%[1]q,"monitoring_at":null,"resolved_at":null,"impact":"maintenance","shortlink":"https://stspg.io/m1","started_at":%[1]q,"page_id":"p1","scheduled_for":%[1]q,"scheduled_until":%[2]q,"incident_updates":[],"components":[{"id":"c1","name":"API","status":"under_maintenance"}]}],
"status":{"indicator":"maintenance","description":"Service Under Maintenance"}}`, f(start), f(until))
			return
		}
		fmt.Fprintf(w, `{"page":{"id":"p1","name":"Orders","url":"https://status.example.com","time_zone":"Etc/UTC","updated_at":%q},"components":[],"incidents":[],"scheduled_maintenances":[],"status":{"indicator":"none","description":"All Systems Operational"}}`, f(until))
	})
}

// TestRoundTrip drives the real downfor client against every way of
// announcing a maintenance with this package: each is classified
// maintenance (explicit) with the announced end, and the client resumes
// within its jitter after the window ends (or, with no announced end,
// within its polling interval).
func TestRoundTrip(t *testing.T) {
	const window = 2 * time.Minute
	const (
		jitterFraction = 0.1
		jitterMax      = 10 * time.Second
		// With no end announced the client polls at a tenth of how long
		// the maintenance has lasted (at least the 1 s floor): it comes
		// back at most window/9 late, plus the floor, plus the probe's
		// cache period (the last poll may read an answer that old).
		pollLateness = window/9 + time.Second + probe.DefaultCacheFor
	)
	cases := []struct {
		name   string
		accept string
		known  bool // the end is announced
		// outOfBand is the source that must announce the maintenance, when
		// the pages themselves do not.
		outOfBand string
		// service builds the service, started in maintenance at now.
		service func(t *testing.T, now time.Time) service
	}{
		{"code switch with end, JSON", "application/json", true, "", codeSwitch(window)},
		{"code switch with end, no Accept (Go's default)", "", true, "", codeSwitch(window)},
		{"code switch with end, curl's */*", "*/*", true, "", codeSwitch(window)},
		{"code switch with end, HTML", "text/html,application/xhtml+xml,*/*;q=0.8", true, "", codeSwitch(window)},
		{"code switch with end, plain text", "text/plain", true, "", codeSwitch(window)},
		{"code switch without end, JSON", "application/json", false, "", codeSwitch(0)},
		{"code switch without end, HTML", "text/html", false, "", codeSwitch(0)},
		{"code switch without end, plain text", "text/plain", false, "", codeSwitch(0)},
		{"flag file with end", "application/json", true, "", flagFile(window)},
		{"flag file with end, HTML", "text/html", true, "", flagFile(window)},
		{"empty flag file", "", false, "", flagFile(0)},
		{"probe only, app stopped behind nginx, with end", "", true, classify.SourceProbe, probeOnly(window)},
		{"probe only, app stopped behind nginx, without end", "", false, classify.SourceProbe, probeOnly(0)},
		{"status page only (protocol P8)", "", true, classify.SourceStatusPage, statusPageOnly(window)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				start := time.Now()
				s := tc.service(t, start)
				var log served
				var mu sync.Mutex
				var verdicts []classify.Verdict
				var decisions []client.Decision
				cfg := client.Config{
					MaxWait:   time.Hour,
					Transport: memTransport{log.wrap(s.handler)},
					Jitter:    client.Jitter{Fraction: jitterFraction, Max: jitterMax},
					Probe:     s.probe,
					OnVerdict: func(_ *http.Request, v classify.Verdict, d client.Decision) {
						mu.Lock()
						defer mu.Unlock()
						verdicts = append(verdicts, v)
						decisions = append(decisions, d)
					},
				}
				hc := client.New(cfg).StandardClient()
				time.AfterFunc(window, s.end)

				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://orders.example/v1/orders", nil)
				require.NoError(t, err)
				if tc.accept != "" {
					req.Header.Set("Accept", tc.accept)
				}
				resp, err := hc.Do(req)
				require.NoError(t, err)
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				require.NoError(t, err)
				resumed := time.Now()
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, "app", string(body))

				mu.Lock()
				defer mu.Unlock()
				require.NotEmpty(t, verdicts)
				v, d := verdicts[0], decisions[0]
				t.Logf("%s -> %s; resumed %s after the window", v, d, resumed.Sub(start.Add(window)))
				// protocol C1, C5: maintenance, not malfunction.
				require.Equal(t, classify.Maintenance, v.Class, "protocol C1: %s", v)
				assert.Equal(t, client.Wait, d.Action, "protocol C6: %s", d)
				// protocol C2, C4: explicit in every form. A 503 with a
				// window in HTML or text is only implied in-band; the
				// probe, which the client asks on every answer that is
				// not ok, makes it explicit.
				assert.Equal(t, classify.Explicit, v.Confidence, "protocol C2: %s", v)
				if tc.known && tc.outOfBand == "" {
					assert.True(t, v.HasRetryAfter, "protocol P2, C3: the window is in Retry-After: %s", v)
					assert.Equal(t, window, v.RetryAfter, "protocol P2, C3: %s", v)
				}
				if tc.outOfBand != "" {
					assert.True(t, hasSource(v, tc.outOfBand), "protocol C4, C5: %s says maintenance over the page's %d: %s", tc.outOfBand, v.Status, v)
				}
				wait, timed := v.Wait(start)
				if tc.known {
					// protocol C7: the announced end, never shortened.
					require.True(t, timed, "protocol C3: the announced end: %s", v)
					assert.Equal(t, window, wait, "protocol C3: the announced end: %s", v)
					assert.True(t, start.Add(window).Equal(v.Until), "protocol C4: the end the probe or the page announced: %s", v)
					assert.GreaterOrEqual(t, d.Delay, window, "protocol C7: never shorter than asked")
					lateness := resumed.Sub(start.Add(window))
					assert.GreaterOrEqual(t, lateness, time.Duration(0), "protocol C7")
					assert.Less(t, lateness, min(time.Duration(jitterFraction*float64(window)), jitterMax), "protocol C7: resumes within the jitter")
					// One request at the start, one after the window: the
					// service is not hammered (plus the probe, once).
					assert.LessOrEqual(t, count(log.hits(), "/v1/orders"), 2, "protocol C7")
				} else {
					assert.False(t, timed, "protocol P2: no end announced: %s", v)
					assert.True(t, d.Poll, "protocol C8: %s", d)
					lateness := resumed.Sub(start.Add(window))
					assert.GreaterOrEqual(t, lateness, time.Duration(0), "protocol C8")
					assert.LessOrEqual(t, lateness, pollLateness, "protocol C8: late by at most a tenth of the window, and the floor, and the probe's cache")
				}
				// The probe and a random path never answer alike (protocol
				// P6): the client's catch-all check relies on it.
				for _, h := range log.hits() {
					if h.path == "/v1/orders" && h.at.Before(start.Add(window)) {
						assert.NotEqual(t, http.StatusOK, h.status, "protocol P6: only the probe says 200 during maintenance: %s", h.path)
					}
				}
			})
		})
	}
}

func hasSource(v classify.Verdict, source string) bool {
	for _, e := range v.Evidence {
		if e.Source == source && e.Strength == classify.Explicit && e.Indicates == classify.Maintenance {
			return true
		}
	}
	return false
}

func count(hits []hit, path string) int {
	n := 0
	for _, h := range hits {
		if h.path == path {
			n++
		}
	}
	return n
}

// codeSwitch: the service wraps its handler and starts maintenance from
// code, with an end window from now (0: unknown).
func codeSwitch(window time.Duration) func(*testing.T, time.Time) service {
	return func(t *testing.T, now time.Time) service {
		sw := new(announce.Switch)
		var until time.Time
		if window > 0 {
			until = now.Add(window)
		}
		sw.Start(until, "Upgrading the orders database.")
		return service{handler: sw.Handler(app), end: sw.End}
	}
}

// flagFile: the operator creates the flag file (with the end, or empty)
// and removes it to reopen.
func flagFile(window time.Duration) func(*testing.T, time.Time) service {
	return func(t *testing.T, now time.Time) service {
		path := filepath.Join(t.TempDir(), "down")
		content := ""
		if window > 0 {
			content = `{"until":"` + now.Add(window).UTC().Format(time.RFC3339) + `","message":"Disk swap."}`
		}
		require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
		sw := &announce.Switch{FlagFile: path}
		return service{handler: sw.Handler(app), end: func() { _ = os.Remove(path) }}
	}
}

// probeOnly: the application is stopped and a proxy answers 502 on every
// page; only the probe, served apart, says why (the Launchpad proposal).
func probeOnly(window time.Duration) func(*testing.T, time.Time) service {
	return func(t *testing.T, now time.Time) service {
		sw := new(announce.Switch)
		var until time.Time
		if window > 0 {
			until = now.Add(window)
		}
		sw.Start(until, "")
		probeH := sw.ProbeHandler()
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.URL.Path == announce.ProbePath:
				probeH.ServeHTTP(w, r)
			case sw.State().On:
				nginx502.ServeHTTP(w, r)
			default:
				app.ServeHTTP(w, r)
			}
		})
		return service{handler: h, end: sw.End}
	}
}

// statusPageOnly: pages answer a bare 503 and the status page shows a
// scheduled maintenance in progress (protocol P8).
func statusPageOnly(window time.Duration) func(*testing.T, time.Time) service {
	return func(t *testing.T, now time.Time) service {
		until := now.Add(window)
		page := statusPage(now, until)
		var mu sync.Mutex
		down := true
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			d := down
			mu.Unlock()
			switch {
			case r.URL.Path == "/api/v2/summary.json":
				page.ServeHTTP(w, r)
			case r.URL.Path == announce.ProbePath:
				http.NotFound(w, r)
			case d:
				http.Error(w, "Service Unavailable", http.StatusServiceUnavailable)
			default:
				app.ServeHTTP(w, r)
			}
		})
		end := func() {
			mu.Lock()
			defer mu.Unlock()
			down = false
		}
		return service{handler: h, end: end, probe: probe.Config{StatusPageURL: "/api/v2/summary.json"}}
	}
}

// service is a service under test, started in maintenance.
type service struct {
	handler http.Handler
	end     func()       // the operator reopens the service
	probe   probe.Config // how the client finds the out-of-band sources
}

// TestFleetResumesSpread: a fleet of clients facing one announced window
// comes back after its end, spread over the jitter rather than all in the
// same instant, and each sends one request at the start and one after the
// end (protocol C7).
func TestFleetResumesSpread(t *testing.T) {
	const (
		fleet  = 20
		window = 10 * time.Minute
		jitter = 10 * time.Second
	)
	synctest.Test(t, func(t *testing.T) {
		start := time.Now()
		var sw announce.Switch
		sw.Start(start.Add(window), "")
		time.AfterFunc(window, sw.End)
		var log served
		rt := memTransport{log.wrap(sw.Handler(app))}

		resumed := make([]time.Time, fleet)
		var wg sync.WaitGroup
		for i := range fleet {
			wg.Go(func() {
				hc := client.New(client.Config{MaxWait: time.Hour, Transport: rt, Jitter: client.Jitter{Max: jitter}}).StandardClient()
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://orders.example/v1/orders", nil)
				if !assert.NoError(t, err) {
					return
				}
				resp, err := hc.Do(req)
				if !assert.NoError(t, err) {
					return
				}
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode)
				resumed[i] = time.Now()
			})
		}
		wg.Wait()

		distinct := map[time.Time]bool{}
		for _, at := range resumed {
			late := at.Sub(start.Add(window))
			assert.GreaterOrEqual(t, late, time.Duration(0), "protocol C7: not before the end")
			assert.Less(t, late, jitter, "protocol C7: within the jitter")
			distinct[at] = true
		}
		assert.Greater(t, len(distinct), fleet/2, "protocol C7: the fleet is spread, not all at once")
		assert.Equal(t, 2*fleet, count(log.hits(), "/v1/orders"), "protocol C7: one request at the start and one after the end, each")
	})
}
