package testserver

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Paths the server answers in every mode, besides the pages (any other
// path), each as the mode's real system would:
//
//   - the well-known probe: 200 with {"until": RFC 3339, "message": ...}
//     where the mode announces its maintenance through it (probe-only,
//     app-stopped), 404 otherwise, save where [Modes] says differently;
//   - the health endpoint: Spring Boot actuator {"status":"UP"} where the
//     app is up, the mode's own answer where a maintenance switch or a
//     proxy stands in front of everything; [Config.HealthAllow] limits it
//     to some client addresses and answers 403 to the others;
//   - a Statuspage v2 page under /api/v2/ (summary.json, status.json,
//     components.json, incidents.json, incidents/unresolved.json,
//     scheduled-maintenances.json, scheduled-maintenances/active.json and
//     upcoming.json) with the components of [Config.Components]. It stands
//     for a separate host, so it answers in every mode, even the network
//     ones.
//
// The network modes (reset, hang, garbage) take the whole origin down:
// pages, probe and health. The control API is never affected.
const (
	// ProbePath is the well-known maintenance probe.
	ProbePath = "/down-for-maintenance"
	// HealthPath is the health endpoint.
	HealthPath = "/health"
	// StatusPagePath is the Statuspage v2 summary; the other Statuspage v2
	// documents live beside it under /api/v2/.
	StatusPagePath = "/api/v2/summary.json"
	// controlPrefix is the root of the control API. Requests under it are
	// never recorded and never affected by the mode.
	controlPrefix = "/_downfor/"
)

// defaultWindow is how long an announced maintenance is said to last (the
// probe's "until", the status page's "scheduled_until") when neither the
// timeline step nor [Config.RetryAfter] says otherwise.
const defaultWindow = 10 * time.Minute

// defaultHugeBody is the size of the huge-body mode's body when
// [Config.HugeBody] is zero: 10 GiB.
const defaultHugeBody int64 = 10 << 30

// Bounds of the request log: older entries are dropped first when either
// the number of entries or the bytes they hold would pass its bound, so a
// client that sends huge headers cannot make the server hold much memory.
const (
	// maxRequests bounds the number of entries.
	maxRequests = 100_000
	// maxLogBytes bounds the bytes all entries hold together.
	maxLogBytes = 64 << 20
	// maxEntryHeaderBytes bounds the header bytes one entry keeps (each
	// field counted as "Name: value\r\n"); fields past it are dropped and
	// the entry says so in [Request.HeaderTruncated].
	maxEntryHeaderBytes = 4 << 10
	// maxEntryURLBytes bounds the path and the query one entry keeps.
	maxEntryURLBytes = 8 << 10
	// entryOverhead is what an entry is counted for besides its strings
	// (the Request struct, the header map), and fieldOverhead what each
	// header field adds (its map entry, string and slice headers), so that
	// maxLogBytes bounds the memory the log holds, not only its text.
	entryOverhead = 384
	fieldOverhead = 64
)

// Limits of the listening server's connections.
const (
	// maxHeaderBytes bounds a request's header (net/http's default is
	// 1 MiB); a larger one gets 431.
	maxHeaderBytes = 64 << 10
	// readHeaderTimeout bounds how long a client may take to send its
	// request's header.
	readHeaderTimeout = 30 * time.Second
	// readTimeout bounds how long a client may take to send a whole
	// request, body included. It does not cut a long answer (slow-body):
	// net/http lifts it once the request has been read.
	readTimeout = time.Minute
	// idleTimeout bounds how long a kept-alive connection waits for the
	// next request.
	idleTimeout = 2 * time.Minute
)

// Config configures a [Server]. The zero value is a plain-HTTP server on a
// free loopback port in mode "ok" with a random control token.
type Config struct {
	// Addr is the address to listen on. If empty, "127.0.0.1:0" (a free
	// loopback port).
	Addr string
	// Mode is the initial mode (see [Modes]). If empty, "ok".
	Mode string
	// Timeline, if not empty, is played from the start instead of Mode;
	// setting both is an error.
	Timeline Timeline
	// RetryAfter, if positive, replaces the Retry-After of every mode that
	// sends one (delta-seconds rounded up; dates become now + RetryAfter),
	// except the hostile retry-after-huge, -far-future, -past, -negative and
	// -garbage modes (and retry-after-short and varnish-backend-fail, whose
	// few seconds are the point). It is also the length of an announced
	// maintenance (the probe's "until", the status page's
	// "scheduled_until") when the timeline step has no duration. If zero,
	// each mode's own values, and ten minutes. A Retry-After under a
	// minute is only a retry hint to a correct client: the modes that
	// rehearse a short window also say "maintenance" in words or flags.
	RetryAfter time.Duration
	// Token is the bearer token of the control API. If empty, a random one
	// of 32 hex digits, readable in [Server.Token].
	Token string
	// HealthAllow limits /health to clients whose address is in one of
	// these prefixes; others get 403. If empty, every client may read it.
	HealthAllow []netip.Prefix
	// TLS serves HTTPS with a self-signed certificate for 127.0.0.1, ::1 and
	// localhost, generated at start. [Server.Client] trusts it.
	TLS bool
	// Components names the status page's components. The first is the
	// service itself, the one that statuspage-maintenance and
	// statuspage-incident affect; the others stay operational, so a client's
	// component filter is meaningful. If empty, "API" and "Website".
	Components []string
	// Offsite is the origin (scheme://host[:port]) that probe-redirect-offsite
	// redirects the probe to. If empty, http://127.0.0.2 on the server's
	// port: another loopback address that nothing serves unless a test
	// listens there to catch a client that follows the redirect.
	Offsite string
	// HugeBody is the length in bytes of the huge-body mode's body. If zero,
	// 10 GiB.
	HugeBody int64
	// Logf, if not nil, is called once for each recorded request, from the
	// request's goroutine, and for the http.Server's own errors (such as
	// failed TLS handshakes). If nil, nothing is logged.
	Logf func(format string, args ...any)

	// readTimeout replaces the constant readTimeout when positive (tests).
	readTimeout time.Duration
}

// Server is a mock service. Create one with [New], [Start] or
// [StartInMemory]; stop it with [Server.Close]. Its methods are safe for
// concurrent use.
type Server struct {
	// URL is the base URL, "http://127.0.0.1:PORT" (https with
	// [Config.TLS]), without a trailing slash. For [StartInMemory] it is
	// "http://testserver.test".
	URL string
	// Token is the control API's bearer token.
	Token string

	cfg      Config
	tokenSum [sha256.Size]byte
	started  time.Time

	ln        net.Listener
	srv       *http.Server
	serveDone chan struct{}
	cert      *x509.Certificate
	certPEM   []byte
	client    *http.Client

	mu     sync.Mutex
	steps  []Step    // never empty
	since  time.Time // when steps was set
	closed bool
	conns  map[net.Conn]struct{}       // hijacked connections, closed by Close
	pipes  map[*io.PipeWriter]struct{} // in-memory response bodies, closed by Close

	log       requestLog
	turn      atomic.Uint64 // rotation of retry-after-garbage
	done      chan struct{} // closed by Close: long handlers return
	active    sync.WaitGroup
	closeOnce sync.Once
}

// New starts a server on a free loopback port in the named mode ("" means
// "ok"). It is Start(Config{Mode: mode}); an unknown mode is an error that
// lists the valid names.
func New(mode string) (*Server, error) {
	return Start(Config{Mode: mode})
}

// Start starts a server as cfg says. The caller must [Server.Close] it.
// The server refuses request headers past 64 KiB (431) and bounds how long
// a client may take to send its request and how long an idle connection
// stays open. A failure to listen is net.Listen's own [*net.OpError]
// ("listen tcp 127.0.0.1:8080: bind: address already in use"); a refused
// timeline or mode is a [*TimelineError].
func Start(cfg Config) (*Server, error) {
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	addr := cfg.Addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err // already says "listen tcp ADDR: ..."
	}
	scheme := "http"
	if cfg.TLS {
		tlsCert, leaf, pemBytes, err := selfSignedCert(time.Now())
		if err != nil {
			ln.Close()
			return nil, err
		}
		s.cert, s.certPEM = leaf, pemBytes
		ln = tls.NewListener(ln, &tls.Config{
			Certificates: []tls.Certificate{tlsCert},
			NextProtos:   []string{"http/1.1"}, // HTTP/2 cannot hijack; the network modes need it
			MinVersion:   tls.VersionTLS12,
		})
		scheme = "https"
	}
	s.ln = ln
	s.URL = scheme + "://" + hostPort(ln.Addr())
	s.srv = &http.Server{
		Handler:           s.Handler(),
		MaxHeaderBytes:    maxHeaderBytes,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       cmp.Or(cfg.readTimeout, readTimeout),
		IdleTimeout:       idleTimeout,
		TLSNextProto:      map[string]func(*http.Server, *tls.Conn, http.Handler){},
		ErrorLog:          log.New(logfWriter{cfg.Logf}, "", 0),
	}
	s.serveDone = make(chan struct{})
	go func() {
		defer close(s.serveDone)
		_ = s.srv.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s, nil
}

// StartInMemory builds a server that opens no socket, to be driven through
// [Server.Handler] or [Server.InMemoryTransport], for instance inside a
// testing/synctest bubble, where real sockets would stall the fake clock.
// cfg.Addr and cfg.TLS are ignored. The caller must [Server.Close] it.
func StartInMemory(cfg Config) (*Server, error) {
	cfg.Addr, cfg.TLS = "", false
	s, err := newServer(cfg)
	if err != nil {
		return nil, err
	}
	s.URL = "http://testserver.test"
	return s, nil
}

func newServer(cfg Config) (*Server, error) {
	if cfg.RetryAfter < 0 {
		return nil, fmt.Errorf("testserver: negative RetryAfter %v", cfg.RetryAfter)
	}
	if cfg.HugeBody < 0 {
		return nil, fmt.Errorf("testserver: negative HugeBody %d", cfg.HugeBody)
	}
	steps := cfg.Timeline
	switch {
	case len(steps) > 0 && cfg.Mode != "":
		return nil, errors.New("testserver: Config.Mode and Config.Timeline are exclusive")
	case len(steps) == 0:
		mode := cfg.Mode
		if mode == "" {
			mode = "ok"
		}
		steps = []Step{{Mode: mode}}
	}
	if err := validateTimeline(steps); err != nil {
		return nil, err
	}
	for _, c := range cfg.Components {
		if strings.TrimSpace(c) == "" {
			return nil, errors.New("testserver: empty component name")
		}
	}
	if cfg.Token == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return nil, fmt.Errorf("testserver: token: %w", err)
		}
		cfg.Token = hex.EncodeToString(b[:])
	}
	now := time.Now()
	return &Server{
		Token:    cfg.Token,
		cfg:      cfg,
		tokenSum: sha256.Sum256([]byte(cfg.Token)),
		started:  now,
		steps:    append([]Step(nil), steps...),
		since:    now,
		conns:    make(map[net.Conn]struct{}),
		pipes:    make(map[*io.PipeWriter]struct{}),
		done:     make(chan struct{}),
	}, nil
}

func hostPort(a net.Addr) string {
	if ap, err := netip.ParseAddrPort(a.String()); err == nil {
		return ap.String()
	}
	return a.String()
}

// Handler returns the server's whole behaviour as an [http.Handler], to
// drive it without a socket (for instance with [net/http/httptest.NewRecorder]
// inside a testing/synctest bubble). Requests reach it exactly as they
// reach the listening server.
//
// The network modes (reset, hang, garbage, and the probe of probe-hang) need
// to hijack the connection. Through a ResponseWriter that cannot hijack,
// hang and probe-hang block until the request's context ends or the server
// closes, and reset and garbage panic with [http.ErrAbortHandler] (which
// [http.Server] treats as an aborted response), except through
// [Server.InMemoryTransport], which turns them into transport errors.
// huge-body streams [Config.HugeBody] bytes into whatever ResponseWriter it
// gets: set it small when the writer keeps what it is given.
//
// Under /_downfor/, routed before the mode so that it works in every mode,
// the handler serves the control API that "downfor serve" is driven by,
// guarded by "Authorization: Bearer TOKEN" ([Config.Token], or the random
// [Server.Token]; compared in constant time; 401 otherwise):
//
//	GET    /_downfor/mode                {"mode","class","timeline","since"}
//	POST   /_downfor/mode?name=NAME      switch mode; 400 listing the valid names if unknown
//	POST   /_downfor/mode?timeline=SPEC  play a timeline from now
//	GET    /_downfor/modes               every mode, as JSON
//	GET    /_downfor/requests            the request log, as JSON
//	DELETE /_downfor/requests            empty the log; 204
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.serveHTTP)
}

// SetMode switches every later request to the named mode, replacing any
// timeline. An unknown name is an [*UnknownModeError] listing the valid ones.
func (s *Server) SetMode(name string) error {
	return s.SetTimeline([]Step{{Mode: name}})
}

// SetTimeline replaces the mode or timeline with steps, played from now
// (time.Now, so a testing/synctest bubble's clock drives it). Each step but
// the last needs a positive For; the last step's mode stays once its
// duration, if any, has passed.
func (s *Server) SetTimeline(steps Timeline) error {
	if err := validateTimeline(steps); err != nil {
		return err
	}
	s.mu.Lock()
	s.steps = append([]Step(nil), steps...)
	s.since = time.Now()
	s.mu.Unlock()
	return nil
}

// Timeline returns the current timeline (one step without duration after
// [Server.SetMode]) and when it started.
func (s *Server) Timeline() (Timeline, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append(Timeline(nil), s.steps...), s.since
}

// Mode returns the mode that serves requests now.
func (s *Server) Mode() string {
	return s.state(time.Now()).mode.Name
}

// Requests returns the recorded requests, oldest first: every request but
// those to the control API, at most the last 100,000 and at most 64 MiB of
// them. Each entry keeps at most 4 KiB of the request's header and 8 KiB of
// its path and of its query.
func (s *Server) Requests() []Request {
	return s.log.all()
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.log.reset()
}

// Certificate returns the self-signed certificate of a [Config.TLS] server,
// or nil.
func (s *Server) Certificate() *x509.Certificate {
	return s.cert
}

// CertificatePEM returns the PEM encoding of [Server.Certificate], or nil.
func (s *Server) CertificatePEM() []byte {
	return s.certPEM
}

// Client returns an HTTP client for the server: it trusts the server's
// certificate with [Config.TLS], never uses HTTP/2, and its idle
// connections are closed by [Server.Close]. It is the same client on every
// call. For a server from [StartInMemory] its transport is
// [Server.InMemoryTransport].
func (s *Server) Client() *http.Client {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil {
		return s.client
	}
	if s.ln == nil {
		s.client = &http.Client{Transport: s.InMemoryTransport()}
		return s.client
	}
	tr := &http.Transport{
		Proxy:        nil,
		DialContext:  (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		TLSNextProto: map[string]func(string, *tls.Conn) http.RoundTripper{},
	}
	if s.cert != nil {
		pool := x509.NewCertPool()
		pool.AddCert(s.cert)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	s.client = &http.Client{Transport: tr}
	return s.client
}

// Close stops the server: it closes the listener and every connection
// (hijacked ones too), ends the handlers that hang or trickle, and waits for
// every handler to return. It is safe to call more than once.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		conns, pipes := s.conns, s.pipes
		s.conns, s.pipes = nil, nil
		client := s.client
		s.mu.Unlock()
		for pw := range pipes {
			// An in-memory body nobody reads would otherwise block its
			// handler, and so Close, forever.
			_ = pw.CloseWithError(io.ErrUnexpectedEOF)
		}
		if s.srv != nil {
			// First the connections, so that a body cut short by close(s.done)
			// cannot end cleanly on the wire.
			_ = s.srv.Close()
			<-s.serveDone
		}
		close(s.done)
		for c := range conns {
			_ = c.Close()
		}
		s.active.Wait()
		if client != nil {
			client.CloseIdleConnections()
		}
	})
}

// enter registers a request; it reports false once the server is closed.
func (s *Server) enter() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.active.Add(1)
	return true
}

// track registers a hijacked connection so that Close can close it. It
// reports false, having closed c, when the server is already closed.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		_ = c.Close()
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

// trackPipe registers an in-memory response body so that Close can end
// it. It reports false when the server is already closed.
func (s *Server) trackPipe(pw *io.PipeWriter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.pipes[pw] = struct{}{}
	return true
}

func (s *Server) untrackPipe(pw *io.PipeWriter) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.pipes, pw)
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

// reqState is what one request is served with.
type reqState struct {
	now   time.Time
	mode  *modeDef
	since time.Time // when the current step began
	until time.Time // announced end of the maintenance
}

// state computes the mode at now from the timeline.
func (s *Server) state(now time.Time) reqState {
	s.mu.Lock()
	steps, since := s.steps, s.since
	s.mu.Unlock()
	i, elapsed := stepAt(steps, now.Sub(since))
	step := steps[i]
	m, err := lookupMode(step.Mode)
	if err != nil { // cannot happen: timelines are validated
		panic(err)
	}
	st := reqState{now: now, mode: m, since: now.Add(-elapsed)}
	window := step.For
	if window <= 0 {
		window = s.window()
	}
	st.until = st.since.Add(window)
	return st
}

// stepAt returns the index of the step that is playing elapsed after the
// timeline started, and how long it has been playing.
func stepAt(steps []Step, elapsed time.Duration) (int, time.Duration) {
	if elapsed < 0 {
		elapsed = 0
	}
	for i, st := range steps {
		if i == len(steps)-1 || elapsed < st.For {
			return i, elapsed
		}
		elapsed -= st.For
	}
	return len(steps) - 1, elapsed // not reached: steps is never empty
}

// window is the announced length of a maintenance without a timeline end.
func (s *Server) window() time.Duration {
	if s.cfg.RetryAfter > 0 {
		return s.cfg.RetryAfter
	}
	return defaultWindow
}

func (s *Server) components() []string {
	if len(s.cfg.Components) > 0 {
		return s.cfg.Components
	}
	return []string{"API", "Website"}
}

func (s *Server) hugeBody() int64 {
	if s.cfg.HugeBody > 0 {
		return s.cfg.HugeBody
	}
	return defaultHugeBody
}

// baseURL is the origin the request was sent to, for links in bodies.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "testserver.test"
	}
	return scheme + "://" + host
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if !s.enter() {
		w.Header().Set("Connection", "close")
		http.Error(w, "testserver: closed", http.StatusServiceUnavailable)
		return
	}
	defer s.active.Done()
	if strings.HasPrefix(r.URL.Path, controlPrefix) || r.URL.Path == strings.TrimSuffix(controlPrefix, "/") {
		s.serveControl(w, r)
		return
	}
	st := s.state(time.Now())
	s.log.add(newRequest(r, st))
	if s.cfg.Logf != nil {
		s.cfg.Logf("%s %s %s (mode %s)", r.RemoteAddr, r.Method, r.URL.RequestURI(), st.mode.Name)
	}
	switch path := r.URL.Path; {
	case strings.HasPrefix(path, statusPrefix):
		s.serveStatusPage(w, r, &st)
	case st.mode.net != netNone:
		s.breakConn(w, r, st.mode.net)
	case path == HealthPath:
		s.serveHealth(w, r, &st)
	case path == ProbePath:
		s.serveProbe(w, r, &st)
	default:
		st.mode.page(s, w, r, &st)
	}
}

// healthAllowed reports whether the client may read /health.
func (s *Server) healthAllowed(r *http.Request) bool {
	if len(s.cfg.HealthAllow) == 0 {
		return true
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	var addr netip.Addr
	if err == nil {
		addr = ap.Addr()
	} else if addr, err = netip.ParseAddr(r.RemoteAddr); err != nil {
		return false
	}
	addr = addr.Unmap().WithZone("")
	for _, p := range s.cfg.HealthAllow {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// sleep waits for d, the request's end or the server's close, whichever
// comes first; it reports whether d passed.
func (s *Server) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-s.done:
		return false
	}
}

// Request is one recorded request.
type Request struct {
	// Time is when the request reached the handler (time.Now, so a
	// testing/synctest bubble's clock).
	Time time.Time `json:"time"`
	// Method is the HTTP method.
	Method string `json:"method"`
	// Path is the URL path, without the query.
	Path string `json:"path"`
	// Query is the raw query, without "?".
	Query string `json:"query,omitempty"`
	// Mode is the mode that served the request.
	Mode string `json:"mode"`
	// RemoteAddr is the client's address, as [http.Request.RemoteAddr].
	RemoteAddr string `json:"remote_addr,omitempty"`
	// Header is a copy of the request's header, at most 4 KiB of it.
	Header http.Header `json:"-"`
	// HeaderTruncated reports that header fields were dropped from Header,
	// or that Path or Query was cut, to keep the entry small.
	HeaderTruncated bool `json:"header_truncated,omitempty"`
}

// newRequest is the log entry of r: a bounded copy of what it asked.
func newRequest(r *http.Request, st reqState) Request {
	e := Request{
		Time:       st.now,
		Method:     truncate(r.Method, maxEntryURLBytes),
		Path:       truncate(r.URL.Path, maxEntryURLBytes),
		Query:      truncate(r.URL.RawQuery, maxEntryURLBytes),
		Mode:       st.mode.Name,
		RemoteAddr: truncate(r.RemoteAddr, maxEntryURLBytes),
	}
	e.HeaderTruncated = e.Method != r.Method || e.Path != r.URL.Path || e.Query != r.URL.RawQuery
	e.Header, e.HeaderTruncated = boundedHeader(r.Header, maxEntryHeaderBytes, e.HeaderTruncated)
	return e
}

// boundedHeader copies the fields of h, in name order, while they fit in
// limit bytes (each value counted as "Name: value\r\n"); truncated turns
// true when one is dropped.
func boundedHeader(h http.Header, limit int, truncated bool) (http.Header, bool) {
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make(http.Header)
	used := 0
	for _, name := range names {
		for _, v := range h[name] {
			n := len(name) + len(v) + 4
			if used+n > limit {
				truncated = true
				continue
			}
			used += n
			out[name] = append(out[name], v)
		}
	}
	return out, truncated
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// size is what an entry is counted for against maxLogBytes.
func (r *Request) size() int {
	n := entryOverhead + len(r.Method) + len(r.Path) + len(r.Query) + len(r.Mode) + len(r.RemoteAddr)
	for name, values := range r.Header {
		n += fieldOverhead + len(name)
		for _, v := range values {
			n += fieldOverhead + len(v)
		}
	}
	return n
}

// logfWriter sends the http.Server's own error log (TLS handshake failures
// and the like) to Config.Logf, or nowhere.
type logfWriter struct {
	logf func(format string, args ...any)
}

func (w logfWriter) Write(p []byte) (int, error) {
	if w.logf != nil {
		w.logf("%s", strings.TrimSuffix(string(p), "\n"))
	}
	return len(p), nil
}

// requestLog is a bounded queue of requests, safe for concurrent use:
// past maxEntries entries or maxBytes bytes (zero means maxRequests and
// maxLogBytes), the oldest go first.
type requestLog struct {
	mu         sync.Mutex
	buf        []Request // buf[start:] are the entries, oldest first
	start      int
	bytes      int // the sizes of buf[start:]
	maxEntries int
	maxBytes   int
}

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	defer l.mu.Unlock()
	maxEntries, maxBytes := l.maxEntries, l.maxBytes
	if maxEntries <= 0 {
		maxEntries = maxRequests
	}
	if maxBytes <= 0 {
		maxBytes = maxLogBytes
	}
	size := r.size()
	for len(l.buf)-l.start > 0 && (len(l.buf)-l.start >= maxEntries || l.bytes+size > maxBytes) {
		l.bytes -= l.buf[l.start].size()
		l.buf[l.start] = Request{}
		l.start++
	}
	if l.start > 0 && l.start >= len(l.buf)/2 {
		// Compact, so the dropped entries' slots are reused.
		n := copy(l.buf, l.buf[l.start:])
		clear(l.buf[n:])
		l.buf, l.start = l.buf[:n], 0
	}
	l.buf = append(l.buf, r)
	l.bytes += size
}

func (l *requestLog) all() []Request {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append(make([]Request, 0, len(l.buf)-l.start), l.buf[l.start:]...)
}

func (l *requestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf, l.start, l.bytes = nil, 0, 0
}
