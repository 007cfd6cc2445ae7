package client

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/bounded"
	"github.com/downfor/downfor/internal/origin"
	"github.com/downfor/downfor/probe"
)

// How the client sits on go-retryablehttp: the client sends the first
// attempt itself. A 2xx that proceeds on its status alone (no rules, no
// Config.OnVerdict, no Debug logging) goes back to the caller at once,
// with nothing allocated; any other answer enters retryablehttp's loop as
// its first attempt, without being sent again (handover). In the loop,
// CheckRetry classifies and decides, PrepareRetry waits (it gets the
// request's context, which Backoff does not: after a transport error
// Backoff gets no response either, so no per-request state can reach it)
// and rewinds the body, ErrorHandler keeps the final response instead of
// dropping it, and RetryMax is unbounded because the stop decision is the
// client's. retryablehttp's traps are avoided: it reads Retry-After only
// on 429 and 503, in one date form (the client uses
// classify.ParseRetryAfter on every status); it does not cap the server's
// wait (MaxWait does); it drains 4 KiB and drops the response after the
// last try (Error.Response keeps it); it loses the response and the
// context's cause on cancellation (the *Error keeps the verdict and the
// cause); and it closes the transport's idle connections on every error
// path, which would cost every other request in flight its keep-alive
// connection: the client hands it a transport without
// CloseIdleConnections. Intermediate responses are drained (at most 64
// KiB, so the connection is reused; not at all when their Content-Length
// says more) and closed.

// Client is an [http.RoundTripper] that classifies every answer and waits,
// retries, skips or alerts as its [Config] decides, on top of
// go-retryablehttp's retry loop. Create it with [New]; use it through
// [Client.StandardClient] or [Wrap], or as any http.Client's Transport.
// A Client is safe for concurrent use and holds no per-request state
// between requests.
type Client struct {
	cfg    Config
	base   http.RoundTripper // the transport, for CloseIdleConnections
	send   http.RoundTripper // sends each attempt: base, bounded by AttemptTimeout
	rc     *retryablehttp.Client
	prober *probe.Prober // nil with InBandOnly
	// sensitive: Config.SensitiveHeaders, canonical.
	sensitive []string
	// probeTr is the clone of base the out-of-band sources send through
	// (their response headers bounded), when New made one.
	probeTr *http.Transport
	// timeout is the Timeout of the http.Client given to Wrap, enforced
	// here (see roundTripWithin); zero for a Client from New.
	timeout time.Duration
	debug   bool // the Logger takes Debug records
	// quickOK: a 2xx proceeds on its status alone, with nobody (rule,
	// hook, debug log) asking for its evidence; see plainOK.
	quickOK bool
}

// New returns a client configured by cfg (see [Config] for the defaults).
func New(cfg Config) *Client {
	c := &Client{cfg: cfg}
	c.debug = cfg.Logger != nil && cfg.Logger.Enabled(context.Background(), slog.LevelDebug)
	c.quickOK = len(cfg.Classify.Rules) == 0 && !cfg.Classify.HTMLTitle &&
		cfg.OnVerdict == nil && !c.debug && cfg.policy(classify.OK).Action == Proceed
	c.base, c.send = transports(cfg.Transport, cfg.AttemptTimeout)
	for _, h := range cfg.SensitiveHeaders {
		c.sensitive = append(c.sensitive, http.CanonicalHeaderKey(strings.TrimSpace(h)))
	}
	if !cfg.InBandOnly {
		pc := cfg.Probe
		if pc.Client == nil {
			// The probe sets its own redirect policy on a copy, and bounds
			// its answers' headers on a clone of an *http.Transport.
			pc.Client = &http.Client{Transport: c.send}
			if t, ok := c.base.(*http.Transport); ok {
				if t.MaxResponseHeaderBytes <= 0 || t.MaxResponseHeaderBytes > sourceHeaderLimit {
					t = t.Clone()
					t.MaxResponseHeaderBytes = sourceHeaderLimit
					c.probeTr = t
				}
				pc.Client.Transport = t
			}
		}
		c.prober = probe.New(pc)
	}
	c.rc = &retryablehttp.Client{
		// The inner http.Client never follows redirects (the caller's
		// client does, by its own policy), has no jar and no timeout. Its
		// transport hands over the first attempt, which RoundTrip sent
		// itself, and sends the others through c.send. Neither has
		// CloseIdleConnections, which retryablehttp calls on every error
		// path and which would drop the idle connections of every other
		// request in flight.
		HTTPClient: &http.Client{Transport: handover{c}, CheckRedirect: useLastResponse},
		// Our hooks log with slog; retryablehttp's logger stays off.
		Logger: nil,
		// The stop decision is ours (Config.Decide); retryablehttp's count
		// must never end the loop first.
		RetryMax:     math.MaxInt32,
		CheckRetry:   c.checkRetry,
		Backoff:      noBackoff,
		ErrorHandler: c.errorHandler,
		PrepareRetry: c.prepareRetry,
	}
	return c
}

// transports returns the client's transport (base, for
// CloseIdleConnections) and what sends each attempt through it, bounded
// by the attempt timeout d (zero: defaultAttemptTimeout; negative: no
// bound). The bound costs nothing per request when it is an
// *http.Transport's ResponseHeaderTimeout: on the client's own transport,
// on a caller's whose own bound is at least as tight, and on a clone of a
// caller's whose bound is missing or looser (see [Config.AttemptTimeout]).
// Any other RoundTripper gets a context per attempt (headerTimeout).
func transports(rt http.RoundTripper, d time.Duration) (base, send http.RoundTripper) {
	if d == 0 {
		d = defaultAttemptTimeout
	}
	own := rt == nil
	if own {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	t, ok := rt.(*http.Transport)
	switch {
	case !ok:
		// Not ours to modify, and opaque: bound each attempt with a
		// context instead.
		return rt, headerTimeout{rt: rt, d: d}
	case d > 0 && (t.ResponseHeaderTimeout <= 0 || t.ResponseHeaderTimeout > d):
		if !own {
			// A caller's is not ours to modify: set the bound on a clone.
			t = t.Clone()
		}
		t.ResponseHeaderTimeout = d
	}
	// transportOnly hides CloseIdleConnections from retryablehttp (see New).
	return t, transportOnly{t}
}

// StandardClient returns a new *http.Client whose Transport is c, with no
// timeout or jar, and a CheckRedirect that keeps the caller's credentials
// on the request's own origin: when a redirect leads to another origin
// (scheme, host and port, RFC 6454; "http://h" and "http://h:80" are one),
// it removes the Authorization, Proxy-Authorization, Cookie and Cookie2
// headers, those of [Config.SensitiveHeaders] and Referer, and they stay
// removed for the rest of the chain, even if it comes back. It then stops
// after 10 redirects, as net/http's default policy does. net/http itself
// compares host names only, so without this a redirect to the same host on
// another port, or from https to http, would carry them. Cookies from a Jar
// set on the returned client are added by net/http after CheckRedirect, by
// each cookie's own scope (RFC 6265: a domain and a path, not a port). Each
// call returns a new http.Client; they share c. Bound its requests with
// their context, or use [Wrap] with an http.Client whose Timeout is set: a
// Timeout set on the returned client is net/http's, and net/http replaces
// the error of a request that timed out with an opaque one (no [*Error]).
func (c *Client) StandardClient() *http.Client {
	return &http.Client{Transport: c, CheckRedirect: c.checkRedirect}
}

// Wrap returns a copy of hc whose Transport is a new [Client] configured
// by cfg and sending through hc's own Transport (http.DefaultTransport's
// clone if hc has none and cfg.Transport is nil; a clone of hc's
// *http.Transport when the attempt timeout needs one, see
// [Config.AttemptTimeout]). hc itself is not modified. A nil hc is taken
// as &http.Client{}. Use it for API clients that accept an *http.Client.
//
// The copy keeps hc's Jar. Its CheckRedirect first removes the caller's
// credentials from a redirect to another origin, as
// [Client.StandardClient]'s does, then applies hc.CheckRedirect (or, if
// nil, net/http's default: stop after 10 redirects); hc's policy may put
// them back, at its own risk. hc.Timeout bounds the whole request, as
// net/http's would: the redirects, the client's waits and retries, and
// reading the body. The client enforces it (the copy's Timeout field is
// zero), so that a request that runs out of time fails with an [*Error]
// (a network timeout) rather than net/http's opaque timeout error. A wait
// that would end after it is refused at once, as one past MaxWait is (a
// skip, for maintenance). So set it above [Config.MaxWait] plus the time
// the attempts take, or leave it zero and bound the request with its
// context.
func Wrap(hc *http.Client, cfg Config) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	}
	if cp.Transport != nil {
		cfg.Transport = cp.Transport
	}
	c := New(cfg)
	c.timeout, cp.Timeout = cp.Timeout, 0
	cp.Transport = c
	if next := cp.CheckRedirect; next != nil {
		cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
			c.stripCredentials(req, via)
			return next(req, via)
		}
	} else {
		cp.CheckRedirect = c.checkRedirect
	}
	return &cp
}

// checkRedirect is the redirect policy of StandardClient, and of Wrap when
// the caller has none: credentials stay on the first request's origin,
// and net/http's default limit applies.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	c.stripCredentials(req, via)
	if len(via) >= 10 { // net/http's defaultCheckRedirect, to the word
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// alwaysSensitive are the headers that never leave the first request's
// origin, whatever [Config.SensitiveHeaders] says: the standard
// credentials, and the custom ones common enough to be guessed (X-Api-Key
// of AWS API Gateway and many others, X-Auth-Token of OpenStack Keystone,
// GitLab's Private-Token). Canonical forms.
var alwaysSensitive = []string{
	"Authorization", "Proxy-Authorization", "Cookie", "Cookie2",
	"X-Api-Key", "X-Auth-Token", "Private-Token",
}

// stripCredentials removes the caller's credentials (see
// [Config.SensitiveHeaders]) and Referer from req, the next hop of a
// redirect chain, when req or any hop before it (after the first) left the
// first request's origin. net/http has already copied the first request's
// headers onto req (sharing their value slices, so they are deleted, never
// modified) and set Referer to the previous hop's URL, query included; it
// adds a Jar's cookies only after CheckRedirect.
func (c *Client) stripCredentials(req *http.Request, via []*http.Request) {
	if len(via) == 0 || via[0].URL == nil || req.URL == nil {
		return
	}
	left := !origin.Same(via[0].URL, req.URL)
	for _, r := range via[1:] {
		if left {
			break
		}
		left = r.URL == nil || !origin.Same(via[0].URL, r.URL)
	}
	if !left {
		return
	}
	for k := range req.Header {
		ck := http.CanonicalHeaderKey(k)
		if ck == "Referer" || slices.Contains(alwaysSensitive, ck) || slices.Contains(c.sensitive, ck) {
			delete(req.Header, k)
		}
	}
}

// CloseIdleConnections closes the idle connections of the client's
// transport, if it has that method, and of the one its out-of-band
// sources use.
func (c *Client) CloseIdleConnections() {
	type closeIdler interface{ CloseIdleConnections() }
	if ci, ok := c.base.(closeIdler); ok {
		ci.CloseIdleConnections()
	}
	if c.probeTr != nil {
		c.probeTr.CloseIdleConnections()
	}
}

// sourceHeaderLimit bounds the response headers of the out-of-band
// sources' requests, as package probe does for the transports it clones
// (net/http's default is 10 MiB).
const sourceHeaderLimit = 64 << 10

// RoundTrip sends req, classifying each answer and acting on the
// decision, and returns the response of the attempt the policy proceeds
// with. When the request ends in skip or alert, or the caller's context
// ends while the client waits, it returns an [*Error]; a transport error
// with a Proceed policy, or the caller's own cancellation of the first
// attempt, is returned as it is.
//
// RoundTrip follows [http.RoundTripper]'s contract: it does not modify req
// (the first attempt sends req itself; each later one a shallow copy with
// a body from req.GetBody), closes req.Body, and returns a response only
// with a nil error. The proceeding response's body is the whole original
// body, byte for byte, even when the client peeked at it. Intermediate
// responses are drained (at most 64 KiB, and not at all when their
// Content-Length says more) and closed. RoundTrip never follows redirects
// itself: a 3xx proceeds to the caller's http.Client (and the 10th in a
// row, [Config.MaxRedirects], is a malfunction). A request that cannot be
// replayed (see [Config.ReplayUnsafe]) is sent once: where the policy
// would wait, the class's Otherwise action applies. A deadline that
// passes during an attempt (the caller's http.Client.Timeout, through
// [Wrap], or its context's) ends the request with an [*Error] of class
// network.
func (c *Client) RoundTrip(req *http.Request) (*http.Response, error) {
	if c.timeout > 0 && req.URL != nil {
		return c.roundTripWithin(req)
	}
	return c.roundTrip(req)
}

// roundTripWithin is RoundTrip for the http.Client of [Wrap] whose caller
// set a Timeout: the client enforces it instead of net/http, which turns
// any error of a request that timed out into an opaque string, so that the
// caller gets an [*Error] like for every other failure. As net/http's, the
// bound covers the whole redirect chain (each hop after the first finds
// the chain's deadline on the previous hop's response body, which net/http
// keeps in req.Response), the client's waits, and reading the body.
func (c *Client) roundTripWithin(req *http.Request) (*http.Response, error) {
	deadline := time.Now().Add(c.timeout)
	if prev := req.Response; prev != nil {
		if tb, ok := prev.Body.(*timedBody); ok {
			deadline = tb.deadline
		}
	}
	ctx, cancel := context.WithDeadline(req.Context(), deadline)
	resp, err := c.roundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Request = req
	resp.Body = &timedBody{ReadCloser: resp.Body, deadline: deadline, cancel: cancel}
	return resp, nil
}

// timedBody releases the context of a request bounded by roundTripWithin
// when its body is closed, and tells the next hop of a redirect chain the
// chain's deadline.
type timedBody struct {
	io.ReadCloser
	deadline time.Time
	cancel   context.CancelFunc
}

func (b *timedBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}

func (c *Client) roundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		closeRequestBody(req)
		return nil, errors.New("downfor: request without URL")
	}
	// The first attempt goes out as it is. A 2xx that proceeds on its
	// status alone returns at once: no state, no copy, no retry loop.
	var resp *http.Response
	var err error
	direct := sendsAsIs(req)
	if direct {
		resp, err = c.send.RoundTrip(req)
		if err == nil && resp != nil && c.plainOK(resp) && req.Context().Err() == nil {
			resp.Request = req
			return resp, nil
		}
	}
	// Anything else enters retryablehttp's loop, the only one, which
	// starts from this first attempt: handover returns it instead of
	// sending again, so CheckRetry classifies it as it does every other.
	a := &attempt{Context: req.Context(), c: c, req: req, service: chainStart(req),
		replay: c.replayable(req), first: resp, firstErr: err, pending: direct}
	a.rreq.Request = req.WithContext(a)
	resp, err = c.rc.Do(&a.rreq)
	if err != nil {
		return nil, a.finish(err)
	}
	resp.Request = req
	return resp, nil
}

// sendsAsIs reports whether net/http's Client, the retry loop's, would
// send req unchanged: it has a Header, and no user info in its URL that
// the Client would turn into an Authorization header. A request from an
// http.Client always has; one that does not (RoundTrip called directly)
// has its first attempt sent by the loop, as every other.
func sendsAsIs(req *http.Request) bool {
	return req.Header != nil && (req.URL.User == nil || req.Header.Get("Authorization") != "")
}

// handover is the transport of retryablehttp's inner http.Client: for a
// request of RoundTrip whose first attempt is pending, it returns that
// attempt's outcome; otherwise it sends through the client's transport.
type handover struct{ c *Client }

func (h handover) RoundTrip(req *http.Request) (*http.Response, error) {
	if a := h.c.attemptOf(req.Context()); a != nil && a.pending {
		resp, err := a.first, a.firstErr
		a.pending, a.first, a.firstErr = false, nil, nil
		return resp, err
	}
	return h.c.send.RoundTrip(req)
}

// replayable reports whether req may be sent more than once.
func (c *Client) replayable(req *http.Request) bool {
	if req.Body != nil && req.Body != http.NoBody && req.GetBody == nil {
		return false
	}
	switch req.Method {
	case http.MethodPost, http.MethodPatch, http.MethodConnect:
		return c.cfg.ReplayUnsafe || hasIdempotencyKey(req.Header)
	}
	return true
}

func hasIdempotencyKey(h http.Header) bool {
	// net/http's own test for replaying a request on a dead connection.
	return h["Idempotency-Key"] != nil || h["X-Idempotency-Key"] != nil
}

// transportOnly hides every method of a RoundTripper but RoundTrip.
type transportOnly struct{ rt http.RoundTripper }

func (t transportOnly) RoundTrip(req *http.Request) (*http.Response, error) {
	return t.rt.RoundTrip(req)
}

// headerTimeout bounds each attempt through a caller's transport: the
// attempt's context is cancelled when the headers have not arrived within
// d, and released when the body is closed. It hides every method of the
// transport but RoundTrip, as transportOnly does.
type headerTimeout struct {
	rt http.RoundTripper
	d  time.Duration
}

// errAttemptTimeout is the cause of an attempt cancelled by headerTimeout.
var errAttemptTimeout = errors.New("timeout awaiting response headers")

// attemptTimeoutError is the error of an attempt that got no response
// headers within [Config.AttemptTimeout]. Like net/http's own header
// timeout, it reports Timeout() true, so it classifies as a network
// timeout.
type attemptTimeoutError struct {
	After time.Duration // the bound that passed
	Whole bool          // it bounded the whole answer, body included (Client.CheckRequest)
}

func (e *attemptTimeoutError) Error() string {
	if e.Whole {
		return fmt.Sprintf("downfor: no whole answer within %s (Config.AttemptTimeout)", e.After)
	}
	return fmt.Sprintf("downfor: no response headers within %s (Config.AttemptTimeout)", e.After)
}

// Timeout reports true: the attempt timed out.
func (e *attemptTimeoutError) Timeout() bool { return true }

// Temporary reports true, for callers of the deprecated net.Error method.
func (e *attemptTimeoutError) Temporary() bool { return true }

func (t headerTimeout) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.d <= 0 {
		return t.rt.RoundTrip(req)
	}
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(t.d, func() { cancel(errAttemptTimeout) })
	resp, err := t.rt.RoundTrip(req.WithContext(ctx))
	timer.Stop()
	if err != nil {
		if errors.Is(context.Cause(ctx), errAttemptTimeout) && req.Context().Err() == nil {
			// Not err itself: it is context.Canceled, which would read as
			// the caller's own cancellation.
			err = &attemptTimeoutError{After: t.d}
		}
		cancel(nil)
		return nil, err
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		cancel(nil)
		return resp, nil
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose releases an attempt's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
}

func (b *cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel(nil)
	return err
}

func useLastResponse(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// noBackoff is retryablehttp's Backoff hook: the client waits in
// PrepareRetry instead, where the request's context is at hand (Backoff
// gets none, and no response after a transport error).
func noBackoff(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 }

func closeRequestBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// discard drains resp's body (at most drainLimit bytes), so that its
// connection can be reused, and closes it. A body whose Content-Length is
// longer is closed at once: its connection cannot be reused anyway.
func discard(resp *http.Response) {
	if resp.Body == nil {
		return
	}
	if resp.ContentLength > drainLimit {
		resp.Body.Close()
		return
	}
	bounded.Drain(resp.Body, drainLimit)
}
