package figures

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// happyBody is what the happy-path server answers: a small JSON document.
const happyBody = `{"items":[{"id":1,"name":"alpha"},{"id":2,"name":"beta"}],"next":null}` + "\n"

// newHappyServer starts a loopback server (a real 127.0.0.1 socket, with
// keep-alive) that answers every request 200 with happyBody. It does the
// least a server can, so that the client's share of each round trip shows.
func newHappyServer(tb testing.TB) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, happyBody)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// bareClient is plain net/http: an http.Client on a clone of
// http.DefaultTransport.
func bareClient() *http.Client {
	return &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
}

// happyContender is one client measured on the happy path.
type happyContender struct {
	name string
	// make builds the getter, sending through rt, or through the
	// client's own default transport when rt is nil, and a function that
	// releases its idle connections.
	make func(rt http.RoundTripper) (getter, func())
}

func closeIdle(c *http.Client) func() { return c.CloseIdleConnections }

// bareOn is bare net/http on rt, or on a clone of http.DefaultTransport.
func bareOn(rt http.RoundTripper) *http.Client {
	if rt == nil {
		return bareClient()
	}
	return &http.Client{Transport: rt}
}

// happyContenders lists the clients of figure 1, bare first: the others
// are compared with it.
func happyContenders() []happyContender {
	cs := []happyContender{
		{"bare", func(rt http.RoundTripper) (getter, func()) {
			c := bareOn(rt)
			return stdGetter{c}, closeIdle(c)
		}},
		{"retryablehttp", func(rt http.RoundTripper) (getter, func()) {
			c := newRetryable(rt)
			return retryableGetter{c}, closeIdle(c.HTTPClient)
		}},
		{"retryablehttp-standard", func(rt http.RoundTripper) (getter, func()) {
			c := newRetryable(rt).StandardClient()
			return stdGetter{c}, closeIdle(c)
		}},
	}
	return append(cs, downforHappyContenders()...)
}

// happyCost is what one sub-benchmark measured, per request.
type happyCost struct {
	ns, bytes, allocs float64
}

// measureHappy runs get against url for b's iterations and returns its
// cost per request. The allocation figures cover the whole process, so
// they include the server's share, the same for every client.
func measureHappy(b *testing.B, g getter, url string) happyCost {
	b.ReportAllocs()
	ctx := context.Background()
	// One request outside the measure: dial and warm the connection.
	status, err := g.get(ctx, url)
	require.NoError(b, err)
	require.Equal(b, http.StatusOK, status)

	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		if _, err := g.get(ctx, url); err != nil {
			b.Fatal(err)
		}
		n++
	}
	runtime.ReadMemStats(&after)
	return happyCost{
		ns:     float64(b.Elapsed().Nanoseconds()) / float64(n),
		bytes:  float64(after.TotalAlloc-before.TotalAlloc) / float64(n),
		allocs: float64(after.Mallocs-before.Mallocs) / float64(n),
	}
}

// BenchmarkHappyPath is figure 1: the cost of a 2xx on loopback through
// each client, side by side, for benchstat across runs. Besides ns/op,
// B/op and allocs/op, every client but bare reports allocs-over-bare and
// B-over-bare: what it allocates per request beyond bare (the mean of
// bare's runs in this process). The clients run one after the other, so on
// a shared machine their ns/op drift apart; the time ratios to bare come
// from [BenchmarkHappyPathInterleaved].
func BenchmarkHappyPath(b *testing.B) {
	srv := newHappyServer(b)
	url := srv.URL + "/v1/items"
	var bare []happyCost // bare's runs so far in this process (one per -count)
	for _, c := range happyContenders() {
		b.Run(c.name, func(b *testing.B) {
			g, release := c.make(nil)
			defer release()
			cost := measureHappy(b, g, url)
			if c.name == "bare" {
				bare = append(bare, cost)
				return
			}
			if len(bare) == 0 {
				return // run with a -bench pattern that skipped bare
			}
			var base happyCost
			for _, r := range bare {
				base.bytes += r.bytes / float64(len(bare))
				base.allocs += r.allocs / float64(len(bare))
			}
			b.ReportMetric(cost.allocs-base.allocs, "allocs-over-bare")
			b.ReportMetric(cost.bytes-base.bytes, "B-over-bare")
		})
	}
}

// TestHappyPathClients checks that every contender of figure 1 gets the
// whole body on the happy path, so the benchmark measures equal work.
func TestHappyPathClients(t *testing.T) {
	srv := newHappyServer(t)
	for _, c := range happyContenders() {
		t.Run(c.name, func(t *testing.T) {
			g, release := c.make(nil)
			defer release()
			for range 3 {
				status, err := g.get(t.Context(), srv.URL+"/v1/items")
				require.NoError(t, err)
				require.Equal(t, http.StatusOK, status)
			}
		})
	}
}

// BenchmarkHappyPathInterleaved is figure 1 measured so that the noise of
// a shared machine cancels out: each iteration sends one request through
// every client in turn (the order rotating), timing each request, on
// loopback and from memory (see [cannedTransport]). It reports each
// client's median time per request (NAME-ns/req) and its ratio to bare's
// median (NAME-x-bare); ns/op, the time of one whole rotation, is
// suppressed.
func BenchmarkHappyPathInterleaved(b *testing.B) {
	srv := newHappyServer(b)
	cs := happyContenders()
	report := func(b *testing.B, medians []time.Duration) {
		b.ReportMetric(0, "ns/op")
		for i, c := range cs {
			b.ReportMetric(float64(medians[i]), c.name+"-ns/req")
			if i > 0 {
				b.ReportMetric(float64(medians[i])/float64(medians[0]), c.name+"-x-bare")
			}
		}
	}
	b.Run("loopback", func(b *testing.B) { report(b, interleave(b, cs, srv.URL+"/v1/items", nil)) })
	b.Run("in-memory", func(b *testing.B) { report(b, interleave(b, cs, "http://canned.test/v1/items", cannedTransport{})) })
}

// interleave sends b's iterations of one request through each of cs in
// turn, on rt (nil for each client's own transport), and returns each
// client's median time per request.
func interleave(b *testing.B, cs []happyContender, url string, rt http.RoundTripper) []time.Duration {
	ctx := context.Background()
	gs := make([]getter, len(cs))
	for i, c := range cs {
		g, release := c.make(rt)
		defer release()
		gs[i] = g
		_, err := g.get(ctx, url) // dial and warm the connection
		require.NoError(b, err)
	}
	times := make([][]time.Duration, len(cs))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		for k := range gs {
			j := (i + k) % len(gs)
			start := time.Now()
			if _, err := gs[j].get(ctx, url); err != nil {
				b.Fatal(err)
			}
			times[j] = append(times[j], time.Since(start))
		}
	}
	medians := make([]time.Duration, len(cs))
	for i := range times {
		medians[i] = median(times[i])
	}
	return medians
}

// median returns the median of ds, sorting ds.
func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// cannedTransport answers every request at once with the happy-path
// response, from memory: what is left of a round trip is the client's own
// work.
type cannedTransport struct{}

func (cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(strings.NewReader(happyBody)),
		ContentLength: int64(len(happyBody)),
		Request:       req,
	}, nil
}

// BenchmarkHappyPathInMemory isolates what each client adds to a 2xx: the
// same clients as BenchmarkHappyPath on a transport that answers from
// memory (no socket, no server), for benchstat and profiles
// (-cpuprofile, -memprofile) of the clients' own work.
func BenchmarkHappyPathInMemory(b *testing.B) {
	for _, c := range happyContenders() {
		b.Run(c.name, func(b *testing.B) {
			g, release := c.make(cannedTransport{})
			defer release()
			measureHappy(b, g, "http://canned.test/v1/items")
		})
	}
}
