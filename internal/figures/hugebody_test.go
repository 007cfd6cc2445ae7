package figures

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/testserver"
)

// hugeVariant is one way the hostile body of figure 5 is sent.
type hugeVariant struct {
	name string
	// chunked hides the Content-Length, so that a client cannot tell the
	// length before reading: the body streams chunked.
	chunked bool
}

func hugeVariants() []hugeVariant {
	return []hugeVariant{
		{name: "content-length"}, // as testserver sends it: Content-Length: 10737418240
		{name: "chunked", chunked: true},
	}
}

// hugeServer serves testserver's huge-body mode (a 503 whose JSON body
// streams 10 GiB) on a real loopback socket, and counts the body bytes its
// handler managed to hand to the connection before the client went away.
type hugeServer struct {
	*httptest.Server
	ts   *testserver.Server // its request log
	sent atomic.Int64
}

func newHugeServer(tb testing.TB, v hugeVariant) *hugeServer {
	tb.Helper()
	ts, err := testserver.StartInMemory(testserver.Config{Mode: "huge-body"})
	require.NoError(tb, err)
	tb.Cleanup(ts.Close)
	hs := &hugeServer{ts: ts}
	inner := ts.Handler()
	hs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inner.ServeHTTP(&countingWriter{ResponseWriter: w, n: &hs.sent, chunked: v.chunked}, r)
	}))
	tb.Cleanup(hs.Close)
	return hs
}

// countingWriter counts what the handler writes; with chunked it drops
// Content-Length before the header goes out.
type countingWriter struct {
	http.ResponseWriter
	n       *atomic.Int64
	chunked bool
}

func (w *countingWriter) WriteHeader(code int) {
	if w.chunked {
		w.Header().Del("Content-Length")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

// countingDialer counts the bytes the client reads from its connections.
type countingDialer struct {
	read atomic.Int64
}

func (d *countingDialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	return &countingConn{Conn: c, n: &d.read}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c *countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// countingClient is bare net/http whose transport counts what it reads.
func countingClient() (*http.Client, *countingDialer) {
	d := &countingDialer{}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.DialContext = d.DialContext
	return &http.Client{Transport: tr}, d
}

// heapSampler records the highest heap in use (live and dead objects not
// yet swept, runtime/metrics /memory/classes/heap/objects:bytes) while it
// runs, sampling every millisecond.
type heapSampler struct {
	stop chan struct{}
	done chan struct{}
	peak uint64
}

const heapObjects = "/memory/classes/heap/objects:bytes"

func heapNow() uint64 {
	s := []metrics.Sample{{Name: heapObjects}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

func startHeapSampler() *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(h.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			h.peak = max(h.peak, heapNow())
			select {
			case <-h.stop:
				return
			case <-t.C:
			}
		}
	}()
	return h
}

// Stop ends the sampling and returns the peak.
func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	<-h.done
	return h.peak
}

// hugeCost is what one hostile response cost a client, per request.
type hugeCost struct {
	readBytes  float64 // bytes read from the socket
	sentBytes  float64 // body bytes the server's handler got onto the connection
	allocBytes float64 // bytes allocated by the whole process
	peakGrowth float64 // highest heap in use, over the heap before
	requests   float64 // requests the server received
	outcome    string
}

// hugeGet sends one GET with c, the way a careful caller treats an error
// response it did not expect: it closes the body without reading it. It
// returns the status, or the error.
func hugeGet(ctx context.Context, c *http.Client, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// measureHuge sends b's iterations of hugeGet through the client that
// wrap builds on a counting bare client, and returns the cost per request.
func measureHuge(b *testing.B, v hugeVariant, wrap func(*http.Client) *http.Client) hugeCost {
	srv := newHugeServer(b, v)
	bare, dialer := countingClient()
	defer bare.CloseIdleConnections()
	c := wrap(bare)
	url := srv.URL + pagePath
	ctx := context.Background()

	var (
		lastErr  error
		lastCode int
		n        int
	)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	heapBefore := heapNow()
	sampler := startHeapSampler()
	for b.Loop() {
		lastCode, lastErr = hugeGet(ctx, c, url)
		n++
	}
	peak := sampler.Stop()
	runtime.ReadMemStats(&after)
	// Let the server's handler notice that the client left before its
	// count is read.
	c.CloseIdleConnections()
	srv.CloseClientConnections()

	cost := hugeCost{
		readBytes:  float64(dialer.read.Load()) / float64(n),
		sentBytes:  float64(srv.sent.Load()) / float64(n),
		allocBytes: float64(after.TotalAlloc-before.TotalAlloc) / float64(n),
		requests:   float64(len(srv.ts.Requests())) / float64(n),
		outcome:    outcomeText(lastCode, lastErr),
	}
	if peak > heapBefore {
		cost.peakGrowth = float64(peak - heapBefore)
	}
	return cost
}

// hugeContender is a client of figure 5, built on a counting bare client.
type hugeContender struct {
	name string
	wrap func(*http.Client) *http.Client
}

// hugeContenders lists bare net/http (the reference: one request, its
// body closed unread) and downfor.
func hugeContenders() []hugeContender {
	cs := []hugeContender{{"bare", func(c *http.Client) *http.Client { return c }}}
	return append(cs, downforHugeContenders()...)
}

// BenchmarkHugeBody is figure 5: one GET answered by a 503 whose body
// streams 10 GiB, its body (if the client returns one) closed unread.
// Per request: bytes-read (from the socket, by the client), server-sent
// (body bytes the server got onto the connection before the client left),
// requests (that the server received, retries and probes included),
// peak-heap-B (the highest heap in use over the heap before) and B/op.
func BenchmarkHugeBody(b *testing.B) {
	for _, v := range hugeVariants() {
		for _, c := range hugeContenders() {
			b.Run(v.name+"/"+c.name, func(b *testing.B) {
				b.ReportAllocs()
				cost := measureHuge(b, v, c.wrap)
				b.ReportMetric(cost.readBytes, "bytes-read/op")
				b.ReportMetric(cost.sentBytes, "server-sent/op")
				b.ReportMetric(cost.requests, "requests/op")
				b.ReportMetric(cost.peakGrowth, "peak-heap-B")
			})
		}
	}
}
