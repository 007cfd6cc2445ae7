// Package hostile holds what downfor's hostile-server tests share: a
// transport that counts the bytes read from every response body, a server
// that records everything that reaches it, a heap sampler, and checks for
// secrets and terminal escapes. It is for tests only: nothing outside a
// _test.go file imports it.
package hostile

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
)

// Body is what a [Counting] transport saw of one response body.
type Body struct {
	// Host and Path are those of the request that got the response.
	Host, Path string
	// Status is the response's status code.
	Status int
	// Read is how many bytes were read from the body that the base
	// transport returned, by whoever read it.
	Read int64
	// Closed reports whether the body was closed.
	Closed bool
}

// Counting is an [http.RoundTripper] that sends through Base and wraps
// every response body so that what is read from it, and whether it is
// closed, can be checked afterwards: "reads no more than the peek cap" is
// then a count, not a guess. Safe for concurrent use.
type Counting struct {
	Base http.RoundTripper

	mu     sync.Mutex
	hosts  []string
	bodies []*countedBody
}

// RoundTrip implements [http.RoundTripper].
func (c *Counting) RoundTrip(req *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.hosts = append(c.hosts, req.URL.Host)
	c.mu.Unlock()
	resp, err := c.Base.RoundTrip(req)
	if err != nil || resp.Body == nil || resp.Body == http.NoBody {
		return resp, err
	}
	b := &countedBody{rc: resp.Body, host: req.URL.Host, path: req.URL.Path, status: resp.StatusCode}
	resp.Body = b
	c.mu.Lock()
	c.bodies = append(c.bodies, b)
	c.mu.Unlock()
	return resp, nil
}

// Hosts returns the host of every request sent, in order.
func (c *Counting) Hosts() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.hosts...)
}

// Bodies returns what was read of each response body so far, in the order
// the responses arrived.
func (c *Counting) Bodies() []Body {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Body, len(c.bodies))
	for i, b := range c.bodies {
		out[i] = Body{Host: b.host, Path: b.path, Status: b.status, Read: b.n.Load(), Closed: b.closed.Load()}
	}
	return out
}

// TotalRead is the sum of [Body.Read] over every body.
func (c *Counting) TotalRead() int64 {
	var n int64
	for _, b := range c.Bodies() {
		n += b.Read
	}
	return n
}

type countedBody struct {
	rc     io.ReadCloser
	host   string
	path   string
	status int
	n      atomic.Int64
	closed atomic.Bool
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	b.n.Add(int64(n))
	return n, err
}

func (b *countedBody) Close() error {
	b.closed.Store(true)
	return b.rc.Close()
}

// Seen is one request that reached a [Recorder].
type Seen struct {
	Method, Host, Path string
	Header             http.Header
}

// Recorder is a server on its own origin that records every request that
// reaches it, headers included: the "other origin" that credentials must
// never reach.
type Recorder struct {
	// URL is the recorder's origin, such as "http://127.0.0.2:41234".
	URL string

	srv     *httptest.Server
	handler http.Handler
	mu      sync.Mutex
	seen    []Seen
}

// StartRecorder starts a recorder listening on addr ("127.0.0.1:0" when
// empty) that answers every request with h (200 "{}" when h is nil). It is
// closed when the test ends. When addr cannot be listened on (127.0.0.2 on
// a system without the whole 127/8 on loopback), the test is skipped.
func StartRecorder(tb testing.TB, addr string, h http.Handler) *Recorder {
	tb.Helper()
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		tb.Skipf("cannot listen on %s: %v", addr, err)
	}
	if h == nil {
		h = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, "{}")
		})
	}
	r := &Recorder{handler: h}
	r.srv = &httptest.Server{Listener: ln, Config: &http.Server{Handler: r}}
	r.srv.Start()
	r.URL = r.srv.URL
	tb.Cleanup(r.srv.Close)
	return r
}

func (r *Recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.seen = append(r.seen, Seen{Method: req.Method, Host: req.Host, Path: req.URL.Path, Header: req.Header.Clone()})
	r.mu.Unlock()
	r.handler.ServeHTTP(w, req)
}

// Requests returns every request recorded so far.
func (r *Recorder) Requests() []Seen {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Seen(nil), r.seen...)
}

// Leaks returns, for each header of h whose name or value contains one of
// secrets, "Name: value". A request that carries none gives nil.
func Leaks(h http.Header, secrets ...string) []string {
	var out []string
	for name, values := range h {
		for _, v := range values {
			for _, s := range secrets {
				if s != "" && (strings.Contains(v, s) || strings.Contains(name, s)) {
					out = append(out, name+": "+v)
				}
			}
		}
	}
	return out
}

// Unprintable returns the runes of s that could drive a terminal or
// reorder a line: control characters other than newline and tab (ESC, CR,
// BEL, C1 controls) and bidirectional formatting characters. Printable
// output gives nil.
func Unprintable(s string) []rune {
	var out []rune
	for _, r := range s {
		if r == '\n' || r == '\t' {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			out = append(out, r)
		}
	}
	return out
}

// HeapSampler records the peak of the heap in use while it runs.
type HeapSampler struct {
	// Baseline is HeapInuse after a collection, when the sampler started.
	Baseline uint64

	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

// SampleHeap collects garbage, takes the baseline, and samples
// runtime.MemStats.HeapInuse every interval until [HeapSampler.Stop].
func SampleHeap(interval time.Duration) *HeapSampler {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	s := &HeapSampler{Baseline: ms.HeapInuse, stop: make(chan struct{}), done: make(chan struct{})}
	s.peak.Store(ms.HeapInuse)
	go func() {
		defer close(s.done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			s.sample()
			select {
			case <-s.stop:
				s.sample()
				return
			case <-t.C:
			}
		}
	}()
	return s
}

func (s *HeapSampler) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for {
		p := s.peak.Load()
		if ms.HeapInuse <= p || s.peak.CompareAndSwap(p, ms.HeapInuse) {
			return
		}
	}
}

// Stop ends the sampling and returns the peak HeapInuse seen, and how far
// above the baseline it went.
func (s *HeapSampler) Stop() (peak, growth uint64) {
	close(s.stop)
	<-s.done
	peak = s.peak.Load()
	if peak > s.Baseline {
		growth = peak - s.Baseline
	}
	return peak, growth
}

// SocketSlack is an upper bound on the bytes that the kernel can hold
// between a loopback server's writes and its client's reads: the largest
// TCP receive buffer plus the largest send buffer (tcp_rmem and tcp_wmem
// maxima, Linux), or 32 MiB when they cannot be read. A server that has
// written more than what the client read plus this has been read from.
func SocketSlack() int64 {
	read := func(name string) int64 {
		b, err := os.ReadFile("/proc/sys/net/ipv4/" + name)
		if err != nil {
			return -1
		}
		f := strings.Fields(string(b))
		if len(f) != 3 {
			return -1
		}
		n, err := strconv.ParseInt(f[2], 10, 64)
		if err != nil {
			return -1
		}
		return n
	}
	r, w := read("tcp_rmem"), read("tcp_wmem")
	if r < 0 || w < 0 {
		return 32 << 20
	}
	return r + w
}

// CountingHandler wraps h and counts the body bytes it writes successfully
// (on a socket, into the kernel's buffers: see [SocketSlack]). Handlers
// that hijack the connection are not counted.
type CountingHandler struct {
	H       http.Handler
	written atomic.Int64
}

// Written returns the body bytes written so far.
func (c *CountingHandler) Written() int64 { return c.written.Load() }

func (c *CountingHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c.H.ServeHTTP(&countingWriter{ResponseWriter: w, n: &c.written}, r)
}

type countingWriter struct {
	http.ResponseWriter
	n *atomic.Int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.n.Add(int64(n))
	return n, err
}

// Unwrap lets http.ResponseController reach the writer underneath (Flush,
// Hijack).
func (w *countingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
