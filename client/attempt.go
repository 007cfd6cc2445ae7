package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/bounded"
	"github.com/downfor/downfor/internal/caller"
)

// attemptKey is the context key under which RoundTrip hands its per-request
// state to the retryablehttp hooks.
type attemptKey struct{}

// attempt is the state of one RoundTrip: what retryablehttp's loop does
// not keep. It is used by one goroutine at a time (the loop's). It is
// also the context of every attempt: the caller's context, answering
// attemptKey with itself, which spares an allocation on the happy path.
type attempt struct {
	context.Context // the caller's

	c        *Client
	req      *http.Request // the caller's request, never modified
	service  *url.URL      // the first URL of req's redirect chain
	rreq     retryablehttp.Request
	replay   bool
	attempts int
	t        *tracker // nil until a decision other than a first Proceed

	// The outcome of the first attempt, which RoundTrip sent itself, until
	// handover gives it to retryablehttp's loop (pending true until then).
	first    *http.Response
	firstErr error
	pending  bool
}

// tracker is what one request that did not simply proceed remembers
// between attempts, in [Client.RoundTrip] and in a [BackOff] alike.
type tracker struct {
	tries     int // attempts (and polls) in a row with lastClass
	lastClass classify.Class
	since     time.Time // when lastClass was first seen in a row
	waited    time.Duration
	inband    classify.Verdict // the last response's own verdict
	verdict   classify.Verdict // the last verdict, out-of-band evidence included
	decision  Decision
	schedule  *backoff.ExponentialBackOff // created on the first interval
	err       *Error                      // the outcome, once decided
	probe404  bool                        // the probe said "not announced" (see Client.outOfBand)
}

// decide records v as the latest verdict and decides on it with cfg, s
// giving the request's circumstances (Now, Deadline, NoReplay); the
// tracker fills in the tries, the time waited, the schedule's next
// interval and a random draw.
func (t *tracker) decide(cfg *Config, v classify.Verdict, s State) Decision {
	if t.tries > 0 && v.Class != t.lastClass {
		t.tries = 0
		if t.schedule != nil {
			t.schedule.Reset()
		}
	}
	if t.tries == 0 {
		t.since = s.Now
	}
	s.Tries, s.Waited, s.Since = t.tries+1, t.waited, t.since
	if v.Class != classify.OK && v.Class != classify.ClientError {
		s.Interval = t.nextInterval(&cfg.Schedule)
		s.Rand = rand.Float64()
	}
	d := cfg.Decide(v, s)
	t.tries, t.lastClass = s.Tries, v.Class
	t.verdict, t.decision = v, d
	return d
}

// nextInterval advances the request's randomized exponential schedule.
func (t *tracker) nextInterval(s *Schedule) time.Duration {
	if t.schedule == nil {
		t.schedule = newSchedule(s)
	}
	return t.schedule.NextBackOff()
}

// reset forgets everything.
func (t *tracker) reset() {
	sched := t.schedule
	*t = tracker{schedule: sched}
	if sched != nil {
		sched.Reset()
	}
}

// newError is the *Error that explains the request so far: the last
// verdict and decision, the time waited; attempts and err as given.
func (t *tracker) newError(attempts int, err error) *Error {
	return &Error{
		Verdict:  t.verdict,
		Action:   t.decision.Action,
		Reason:   t.decision.Reason,
		Attempts: attempts,
		Waited:   t.waited,
		Err:      err,
	}
}

// Value answers attemptKey with the attempt, and defers every other key to
// the caller's context.
func (a *attempt) Value(key any) any {
	if key == (attemptKey{}) {
		return a
	}
	return a.Context.Value(key)
}

func (c *Client) attemptOf(ctx context.Context) *attempt {
	a, _ := ctx.Value(attemptKey{}).(*attempt)
	return a
}

// checkRetry is retryablehttp's CheckRetry hook: classify, decide, and say
// whether to go round again. It returns an *Error to end the request in
// skip or alert.
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	a := c.attemptOf(ctx)
	if a == nil { // not sent by RoundTrip: cannot happen
		return false, err
	}
	a.attempts++
	if err != nil && caller.Done(ctx, err) {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return false, a.deadlinePassed(err)
		}
		return false, a.interrupted(err)
	}
	if err == nil && c.plainOK(resp) && a.t == nil {
		// The happy path: nothing can make this anything but ok, its
		// policy proceeds, and nobody looks at the evidence, so none is
		// gathered and nothing is decided.
		if ctx.Err() != nil {
			bounded.Drain(resp.Body, 0)
			return false, a.interrupted(ctx.Err())
		}
		return false, nil
	}
	inband := c.inband(resp, err, redirectHops(a.req), time.Now())
	if a.t == nil && inband.Class != classify.OK && inband.Class != classify.ClientError {
		a.t = &tracker{} // before judge, which remembers the probe's 404 in it
	}
	v := c.judge(ctx, a.t, a.service, inband)
	if err == nil && ctx.Err() != nil { // ended while the probe was asked
		bounded.Drain(resp.Body, 0)
		return false, a.interrupted(ctx.Err())
	}
	d := a.decide(v, time.Now())
	if a.t != nil {
		a.t.inband = inband
	}
	a.report(v, d)
	switch d.Action {
	case Proceed:
		return false, nil
	case Wait:
		if resp != nil {
			// retryablehttp would drain 4 KiB; drain more so that the
			// connection is reused for the retry, and no more.
			discard(resp)
			resp.Body = http.NoBody
		}
		return true, nil
	}
	return false, a.fail(resp, err)
}

// plainOK reports whether resp is a 2xx that classify would call ok
// without reading anything but its status, whose policy proceeds, when
// nobody (rule, hook or debug log) asks for the evidence.
func (c *Client) plainOK(resp *http.Response) bool {
	return c.quickOK && resp.StatusCode >= 200 && resp.StatusCode < 300
}

// decide records v as the latest verdict and decides on it. A first
// attempt that proceeds leaves no tracker.
func (a *attempt) decide(v classify.Verdict, now time.Time) Decision {
	s := State{Now: now, NoReplay: !a.replay}
	if dl, ok := a.Deadline(); ok {
		s.Deadline = dl
	}
	if a.t == nil {
		if v.Class == classify.OK || v.Class == classify.ClientError {
			s.Tries = 1
			if d := a.c.cfg.Decide(v, s); d.Action == Proceed {
				return d
			}
		}
		a.t = &tracker{}
	}
	return a.t.decide(&a.c.cfg, v, s)
}

func newSchedule(s *Schedule) *backoff.ExponentialBackOff {
	return backoff.NewExponentialBackOff(
		backoff.WithInitialInterval(s.floor()),
		backoff.WithMaxInterval(s.ceiling()),
		backoff.WithMultiplier(s.multiplier()),
		backoff.WithRandomizationFactor(s.randomization()),
		backoff.WithMaxElapsedTime(0),
	)
}

// report calls the hook and logs one decision on an attempt.
func (a *attempt) report(v classify.Verdict, d Decision) {
	cfg := &a.c.cfg
	if cfg.OnVerdict != nil {
		cfg.OnVerdict(a.req, v, d)
	}
	if cfg.Logger != nil {
		a.log(cfg.Logger, "attempt", v, d)
	}
}

func (a *attempt) log(l *slog.Logger, msg string, v classify.Verdict, d Decision) {
	level := slog.LevelDebug
	switch d.Action {
	case Wait:
		level = slog.LevelInfo
	case Skip:
		level = slog.LevelWarn
	case Alert:
		level = slog.LevelError
	}
	if !l.Enabled(a.Context, level) {
		return
	}
	var waited time.Duration
	if a.t != nil {
		waited = a.t.waited
	}
	l.LogAttrs(a.Context, level, "downfor: "+msg,
		slog.String("method", a.req.Method),
		slog.String("url", a.req.URL.Redacted()),
		slog.Int("attempt", a.attempts),
		slog.String("class", v.Class.String()),
		slog.String("verdict", v.String()),
		slog.String("action", d.Action.String()),
		slog.Duration("delay", d.Delay),
		slog.String("reason", d.Reason),
		slog.Duration("waited", waited),
	)
}

// prepareRetry is retryablehttp's PrepareRetry hook, called after its
// (zero) backoff and before the next attempt: it waits as decided, polls
// the probe when it is the probe that announced the maintenance, and
// rewinds the body.
func (c *Client) prepareRetry(req *http.Request) error {
	a := c.attemptOf(req.Context())
	if a == nil || a.t == nil {
		return nil
	}
	if err := a.wait(); err != nil {
		return err
	}
	if req.Body != nil && req.Body != http.NoBody {
		body, err := req.GetBody() // replayable requests have GetBody
		if err != nil {
			e := a.fail(nil, err)
			e.Reason = "rewinding the request body failed"
			return e
		}
		req.Body = body
	}
	return nil
}

// wait sleeps as the last decision says. While the maintenance has no
// timing and it is an out-of-band source that announces it, it polls
// that source at the schedule's intervals rather than resending the
// request, until the source stops announcing it (then the request goes
// out again), gives an end (then the client waits for it), or MaxWait
// passes (then the request ends with the policy's Otherwise action).
func (a *attempt) wait() error {
	t := a.t
	for {
		if err := a.sleep(t.decision.Delay); err != nil {
			return err
		}
		if !t.decision.Poll || a.c.prober == nil || !announcedOutOfBand(t.verdict) {
			return nil
		}
		ev := a.c.poll(a, a.service, t.verdict)
		if err := a.Err(); err != nil {
			return a.interrupted(err)
		}
		now := time.Now()
		v := classify.Combine(t.inband, now, ev...)
		if a.c.cfg.Strict {
			v = v.Strict()
		}
		if !announcedOutOfBand(v) {
			return nil // the source no longer says so: look at the service
		}
		d := a.decide(v, now)
		if a.c.cfg.Logger != nil {
			a.log(a.c.cfg.Logger, "probe poll", v, d)
		}
		if d.Action != Wait {
			return a.fail(nil, nil)
		}
	}
}

// poll asks again the cheapest out-of-band source that announced the
// maintenance v: the probe if it did (one small request, cached), else
// the health endpoint, else the status page; never the request itself.
func (c *Client) poll(ctx context.Context, service *url.URL, v classify.Verdict) []classify.Evidence {
	announced := func(source string) bool {
		return slices.ContainsFunc(v.Evidence, func(e classify.Evidence) bool {
			return e.Source == source && e.Indicates == classify.Maintenance && e.Strength == classify.Explicit
		})
	}
	switch {
	case announced(classify.SourceProbe):
		return c.prober.Probe(ctx, service)
	case announced(classify.SourceHealth):
		return c.prober.Health(ctx, service)
	case announced(classify.SourceStatusPage):
		return c.prober.StatusPage(ctx, service)
	}
	return c.prober.Check(ctx, service)
}

// announcedOutOfBand reports whether v is maintenance that an out-of-band
// source announced explicitly.
func announcedOutOfBand(v classify.Verdict) bool {
	if v.Class != classify.Maintenance {
		return false
	}
	for _, e := range v.Evidence {
		switch e.Source {
		case classify.SourceProbe, classify.SourceHealth, classify.SourceStatusPage:
			if e.Indicates == classify.Maintenance && e.Strength == classify.Explicit {
				return true
			}
		}
	}
	return false
}

// sleep waits for d or until the request's context ends, whichever comes
// first, and counts the time waited.
func (a *attempt) sleep(d time.Duration) error {
	if d <= 0 {
		if err := a.Err(); err != nil {
			return a.interrupted(err)
		}
		return nil
	}
	start := time.Now()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		a.t.waited += time.Since(start)
		return nil
	case <-a.Done():
		a.t.waited += time.Since(start)
		return a.interrupted(a.Err())
	}
}

// fail ends the request with the last decision (skip or alert) and the
// last response, whose body it buffers up to the limit and closes.
func (a *attempt) fail(resp *http.Response, err error) *Error {
	e := a.t.newError(a.attempts, err)
	if resp != nil {
		e.Response, e.BodyTruncated = bufferResponse(resp, a.c.cfg.errorBodyLimit())
		e.Response.Request = a.req
	}
	a.t.err = e
	return e
}

// interrupted ends the request because the caller's context ended. Before
// any verdict, there is nothing to explain: the error is returned as it
// is. After one, the *Error carries the last verdict and the context's
// cause.
func (a *attempt) interrupted(err error) error {
	if a.t == nil {
		return err
	}
	if cause := context.Cause(a); cause != nil {
		err = cause
	}
	a.t.err = a.t.newError(a.attempts, err)
	return a.t.err
}

// deadlinePassed ends the request whose attempt failed with err because
// the caller's deadline passed (its http.Client.Timeout, or its context's
// deadline): that is a network timeout, decided like any other (no wait
// fits before a deadline already past, so the class's Otherwise action),
// so that the caller gets an [*Error] like every other failure. The
// out-of-band sources are not consulted: there is no time left.
func (a *attempt) deadlinePassed(err error) error {
	if cause := context.Cause(a); cause != nil && !errors.Is(err, cause) {
		err = fmt.Errorf("%w (%w)", err, cause)
	}
	s := State{Now: time.Now(), NoReplay: !a.replay}
	if dl, ok := a.Deadline(); ok {
		s.Deadline = dl
	}
	if a.t == nil {
		a.t = &tracker{}
	}
	a.t.decide(&a.c.cfg, classify.Error(err), s)
	a.t.err = a.t.newError(a.attempts, err)
	return a.t.err
}

// errorHandler is retryablehttp's ErrorHandler: it returns the *Error the
// hooks decided (dropping the response, which the *Error holds, buffered),
// or the transport error as it is.
func (c *Client) errorHandler(resp *http.Response, err error, _ int) (*http.Response, error) {
	var e *Error
	if errors.As(err, &e) {
		return nil, e
	}
	if resp != nil {
		discard(resp)
	}
	return nil, err
}

// finish turns what retryablehttp's Do returned with an error into
// RoundTrip's error.
func (a *attempt) finish(err error) error {
	if a.t != nil && a.t.err != nil {
		return a.t.err
	}
	// retryablehttp returns the bare ctx.Err() when the context ends in its
	// own (zero) backoff.
	if ctxErr := a.Err(); ctxErr != nil && a.t != nil {
		return a.interrupted(ctxErr)
	}
	// http.Client.Do wrapped the transport's error; the caller's
	// http.Client wraps it again.
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		return ue.Err
	}
	return err
}

// bufferResponse replaces resp.Body with the first limit bytes of it, in
// memory, and closes the original after draining a bounded amount more.
// The buffer is allocated once, to the body's length when it is known and
// shorter than limit.
func bufferResponse(resp *http.Response, limit int64) (*http.Response, bool) {
	r := *resp
	if resp.Body == nil || resp.Body == http.NoBody {
		r.Body = http.NoBody
		return &r, false
	}
	buf, truncated, err := bounded.Read(resp.Body, limit, resp.ContentLength)
	if err == nil && !truncated {
		discard(resp)
	} else {
		resp.Body.Close()
	}
	r.Body = io.NopCloser(bytes.NewReader(buf))
	r.ContentLength = int64(len(buf))
	if len(buf) == 0 {
		r.Body = http.NoBody
	}
	return &r, truncated
}
