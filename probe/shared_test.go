package probe

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/testserver"
)

// The mock modes whose class depends on the out-of-band
// sources: the page's own answer, combined with what the Prober finds,
// must give the class the design promises.
func TestProberAgainstTestserver(t *testing.T) {
	tests := []struct {
		mode       string
		class      classify.Class
		confidence classify.Strength
	}{
		{"ok", classify.OK, classify.None},
		{"probe-only", classify.Maintenance, classify.Explicit},
		{"app-stopped", classify.Maintenance, classify.Explicit},
		{"spring-out-of-service", classify.Maintenance, classify.Explicit},
		{"statuspage-maintenance", classify.Maintenance, classify.Explicit},
		{"statuspage-incident", classify.Malfunction, classify.None},
		{"health-down", classify.Malfunction, classify.None},
		{"health-fail", classify.Malfunction, classify.None},
		{"bad-gateway", classify.Malfunction, classify.None},
		{"probe-redirect-offsite", classify.Malfunction, classify.None},
		{"probe-hang", classify.Malfunction, classify.None},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			srv, err := testserver.New(tt.mode)
			require.NoError(t, err)
			t.Cleanup(srv.Close)
			target := mustURL(t, srv.URL+"/")

			resp, err := srv.Client().Get(target.String())
			require.NoError(t, err)
			primary := classify.Response(resp, time.Now(), nil)
			resp.Body.Close()

			p := New(Config{Client: srv.Client(), HealthURL: "/health", StatusPageURL: srv.URL, Timeout: 300 * time.Millisecond})
			ev := p.Check(t.Context(), target)
			v := classify.Combine(primary, time.Now(), ev...)
			assert.Equal(t, tt.class, v.Class, "%v", v)
			assert.Equal(t, tt.confidence, v.Confidence, "%v", v)
			for _, r := range srv.Requests() {
				assert.NotContains(t, r.RemoteAddr, "127.0.0.2", "followed the offsite redirect")
			}
		})
	}

	t.Run("restricted health endpoint", func(t *testing.T) {
		srv, err := testserver.Start(testserver.Config{Mode: "health-down", HealthAllow: nil})
		require.NoError(t, err)
		t.Cleanup(srv.Close)
		s := newSite(t, reply(403, "text/plain", "Forbidden"))
		p := New(Config{Client: srv.Client(), DisableProbe: true, HealthURL: s.URL + "/health"})
		ev := p.Check(t.Context(), mustURL(t, srv.URL))
		assert.Equal(t, []got{{classify.SourceHealth, "health", "no information (403)", none, classify.OK, "", time.Time{}, time.Time{}}}, brief(ev...))
	})
}

// One window, a thousand callers: one request per source.
func TestProberSharesOneRequest(t *testing.T) {
	srv, err := testserver.New("statuspage-maintenance")
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	target := mustURL(t, srv.URL+"/orders")
	p := New(Config{Client: srv.Client(), HealthURL: "/health", StatusPageURL: srv.URL, CacheFor: time.Minute})

	const callers = 1000
	results := make([][]classify.Evidence, callers)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range callers {
		wg.Go(func() {
			<-start
			results[i] = p.Check(t.Context(), target)
		})
	}
	close(start)
	wg.Wait()

	perPath := map[string]int{}
	for _, r := range srv.Requests() {
		perPath[r.Path]++
	}
	assert.Equal(t, map[string]int{testserver.ProbePath: 1, testserver.HealthPath: 1, testserver.StatusPagePath: 1}, perPath)
	require.Len(t, results[0], 5)
	assert.Equal(t, "maintenance", results[0][2].Value)
	for _, r := range results[1:] {
		require.Equal(t, results[0], r)
	}
	results[0][0].Value = "changed by a caller" // callers get copies
	assert.NotEqual(t, results[0][0].Value, p.Check(t.Context(), target)[0].Value)
}

// memory is an in-memory transport for synctest bubbles: it counts
// requests by path and, when hold is set, keeps each request until release
// is closed or its context ends.
type memory struct {
	handler  http.Handler
	hold     bool
	release  chan struct{}
	mu       sync.Mutex
	count    map[string]int
	canceled atomic.Int32
}

func newMemory(h http.Handler) *memory {
	return &memory{handler: h, release: make(chan struct{}), count: map[string]int{}}
}

func (m *memory) RoundTrip(req *http.Request) (*http.Response, error) {
	m.mu.Lock()
	m.count[req.URL.Path]++
	m.mu.Unlock()
	if m.hold {
		select {
		case <-m.release:
		case <-req.Context().Done():
			m.canceled.Add(1)
			return nil, req.Context().Err()
		}
	}
	rec := httptest.NewRecorder()
	m.handler.ServeHTTP(rec, req)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

func (m *memory) requests(path string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.count[path]
}

var maintenanceSite = routes(map[string]http.HandlerFunc{
	"/down-for-maintenance": reply(200, "application/json", `{"message":"upgrading"}`),
	"/health":               reply(503, "application/json", `{"status":"OUT_OF_SERVICE"}`),
})

func TestProberCacheExpiry(t *testing.T) {
	tests := []struct {
		name     string
		cacheFor time.Duration
		// requests[i] is the count of probe requests after a Check at
		// seconds[i] of fake time.
		seconds  []int
		requests []int
	}{
		{"default five seconds", 0, []int{0, 1, 4, 5, 9, 10, 60}, []int{1, 1, 1, 2, 2, 3, 4}},
		{"a minute", time.Minute, []int{0, 30, 59, 60, 61}, []int{1, 1, 1, 2, 2}},
		{"no cache", -1, []int{0, 0, 1}, []int{1, 2, 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m := newMemory(maintenanceSite)
				p := New(Config{Client: &http.Client{Transport: m}, HealthURL: "/health", CacheFor: tt.cacheFor})
				target := mustURL(t, "https://service.test/")
				start := time.Now()
				for i, s := range tt.seconds {
					time.Sleep(time.Until(start.Add(time.Duration(s) * time.Second)))
					ev := p.Check(t.Context(), target)
					require.Len(t, ev, 2)
					assert.Equal(t, "200", ev[0].Value)
					assert.Equal(t, "OUT_OF_SERVICE (503)", ev[1].Value)
					assert.Equal(t, tt.requests[i], m.requests("/down-for-maintenance"), "at %ds", s)
					assert.Equal(t, tt.requests[i], m.requests("/health"), "at %ds", s)
				}
			})
		})
	}
}

func TestProberWaitsHonourEachContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMemory(maintenanceSite)
		m.hold = true
		p := New(Config{Client: &http.Client{Transport: m}, Timeout: time.Minute})
		target := mustURL(t, "https://service.test/")

		var impatient, patient []classify.Evidence
		var wg sync.WaitGroup
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		wg.Go(func() { impatient = p.Probe(ctx, target) })
		wg.Go(func() { patient = p.Probe(t.Context(), target) })
		synctest.Wait()
		assert.Equal(t, 1, m.requests("/down-for-maintenance"))

		time.Sleep(2 * time.Second)
		synctest.Wait()
		assert.Equal(t, []got{{classify.SourceProbe, "probe", "not checked (context deadline exceeded)", none, classify.OK, "", time.Time{}, time.Time{}}}, brief(impatient...))
		assert.Nil(t, patient, "the patient caller stopped waiting")
		assert.Zero(t, m.canceled.Load(), "the first caller's deadline cancelled the shared request")

		close(m.release)
		wg.Wait()
		assert.Equal(t, "200", patient[0].Value)
		assert.Equal(t, 1, m.requests("/down-for-maintenance"))
	})
}

func TestProberLastCallerCancels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMemory(maintenanceSite)
		m.hold = true
		p := New(Config{Client: &http.Client{Transport: m}, Timeout: time.Minute})
		target := mustURL(t, "https://service.test/")

		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan []classify.Evidence)
		go func() { done <- p.Probe(ctx, target) }()
		synctest.Wait()
		cancel()
		assert.Equal(t, "not checked (context canceled)", (<-done)[0].Value)
		synctest.Wait()
		assert.Equal(t, int32(1), m.canceled.Load(), "the abandoned request kept running")

		// Nothing was cached: the next caller asks again.
		close(m.release)
		assert.Equal(t, "200", p.Probe(t.Context(), target)[0].Value)
		assert.Equal(t, 2, m.requests("/down-for-maintenance"))
	})
}

func TestProberSharesWithoutCache(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMemory(maintenanceSite)
		m.hold = true
		p := New(Config{Client: &http.Client{Transport: m}, CacheFor: -1})
		target := mustURL(t, "https://service.test/")
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() { assert.Equal(t, "200", p.Probe(t.Context(), target)[0].Value) })
		}
		synctest.Wait()
		close(m.release)
		wg.Wait()
		assert.Equal(t, 1, m.requests("/down-for-maintenance"))
		p.Probe(t.Context(), target)
		assert.Equal(t, 2, m.requests("/down-for-maintenance"))
	})
}

func TestProberDefaultTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMemory(maintenanceSite)
		m.hold = true // and never released
		p := New(Config{Client: &http.Client{Transport: m}})
		start := time.Now()
		ev := p.Probe(t.Context(), mustURL(t, "https://service.test/"))
		assert.Equal(t, defaultTimeout, time.Since(start))
		assert.Equal(t, "no answer (timeout)", ev[0].Value)
	})
}

// A long-lived Prober asked about many services forgets expired answers.
func TestProberForgetsExpired(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := newMemory(routes(nil))
		p := New(Config{Client: &http.Client{Transport: m}})
		for i := range 100 {
			p.Probe(t.Context(), mustURL(t, fmt.Sprintf("https://s%d.test/", i)))
		}
		time.Sleep(DefaultCacheFor)
		p.Probe(t.Context(), mustURL(t, "https://last.test/"))
		p.mu.Lock()
		defer p.mu.Unlock()
		assert.Len(t, p.flights, 1)
	})
}

func TestProberReadErrorInBody(t *testing.T) {
	// A body cut short is "reading body", never a panic or a hang.
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		return &http.Response{
			StatusCode: 200,
			Header:     http.Header{"Content-Type": {"application/json"}},
			Body:       io.NopCloser(io.MultiReader(strings.NewReader(`{"status":`), errReader{})),
			Request:    req,
		}, nil
	})
	p := New(Config{Client: &http.Client{Transport: rt}, DisableProbe: true, HealthURL: "/health"})
	ev := p.Check(t.Context(), mustURL(t, "https://service.test/"))
	assert.Equal(t, "no information (200, reading body: eof)", ev[0].Value)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestProberTransportWithoutRequest(t *testing.T) {
	rt := roundTripFunc(func(req *http.Request) (*http.Response, error) {
		if req.URL.Path == "/down-for-maintenance" {
			return &http.Response{StatusCode: 302, Header: http.Header{"Location": {"https://elsewhere.test/"}}, Body: http.NoBody}, nil
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{"status":"UP"}`))}, nil
	})
	p := New(Config{Client: &http.Client{Transport: rt}, HealthURL: "/health"})
	ev := p.Check(t.Context(), mustURL(t, "https://service.test/"))
	assert.Equal(t, []string{"302 redirect to another origin not followed", "UP (200)"}, []string{ev[0].Value, ev[1].Value})
}
