package client

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/bounded"
	"github.com/downfor/downfor/internal/caller"
)

// This file adapts the client's brain to retry loops that callers already
// run: a go-retryablehttp Client of their own, and cenkalti/backoff's
// Retry.

// Install sets the CheckRetry, Backoff and ErrorHandler hooks of rc, a
// go-retryablehttp Client of your own, so that it classifies each answer
// as c does and waits, skips and alerts as c's [Config] decides:
//
//	rc := retryablehttp.NewClient()
//	dc.Install(rc)
//
// The hooks see no per-request state, so they differ from
// [Client.RoundTrip] in four ways: rc.RetryMax, not [Policy.Retries],
// bounds the retries; [Config.MaxWait] and the context's deadline bound
// each wait, not their sum; a maintenance without timing is polled by
// resending the request, on the exponential schedule; and after a
// transport error, which does not say whether a redirect led to it, no
// out-of-band source is consulted (the service's origin is unknown). A
// request is taken as replayable unless it is a POST or PATCH without an
// Idempotency-Key (retryablehttp rewinds bodies itself). A skip or alert
// returns an [*Error] that errors.As finds through retryablehttp's own
// wrapping; when RetryMax ends the loop first, the *Error has the last
// verdict and the class's [Policy.Otherwise] action (the response
// buffered as [Error.Response]). A transport error that the policy
// proceeds with, and the context's own error, pass through unchanged.
func (c *Client) Install(rc *retryablehttp.Client) {
	rc.CheckRetry, rc.Backoff, rc.ErrorHandler = c.hookCheckRetry(), c.hookBackoff(), c.hookErrorHandler()
}

// hookCheckRetry is the CheckRetry of [Client.Install].
func (c *Client) hookCheckRetry() retryablehttp.CheckRetry {
	return func(ctx context.Context, resp *http.Response, err error) (bool, error) {
		if ctx.Err() != nil {
			return false, ctx.Err()
		}
		req, target := requestOf(resp, err)
		now := time.Now()
		v := c.judge(ctx, nil, target, c.inband(resp, err, 0, now))
		s := State{Now: now, Tries: 1, Rand: rand.Float64()}
		if dl, ok := ctx.Deadline(); ok {
			s.Deadline = dl
		}
		switch {
		case req != nil:
			s.NoReplay = !c.replayable(req)
		case err != nil:
			s.NoReplay = !c.cfg.ReplayUnsafe && unsafeOp(err)
		}
		d := c.cfg.Decide(v, s)
		switch d.Action {
		case Proceed:
			if err != nil {
				// Tell ErrorHandler that this error is to be returned as
				// it is, not a retry cut short by RetryMax.
				return false, proceedError{err}
			}
			return false, nil
		case Wait:
			if resp != nil {
				resp.Body = &decidedBody{ReadCloser: resp.Body, v: v, d: d}
			}
			return true, nil
		}
		e := &Error{Verdict: v, Action: d.Action, Reason: d.Reason, Attempts: 1, Err: err}
		if resp != nil {
			e.Response, e.BodyTruncated = bufferResponse(resp, c.cfg.errorBodyLimit())
			// retryablehttp drains what it was handed: give it nothing.
			resp.Body = http.NoBody
		}
		return false, e
	}
}

// hookBackoff is the Backoff of [Client.Install]: after a response with
// server timing it returns the wait hookCheckRetry decided (the server's
// time plus jitter); else the attemptNum-th interval of [Config.Schedule],
// randomized, at most [Config.MaxWait]. Its min and max arguments (the
// retryablehttp.Client's RetryWaitMin and RetryWaitMax) are ignored.
func (c *Client) hookBackoff() retryablehttp.Backoff {
	return func(_, _ time.Duration, attemptNum int, resp *http.Response) time.Duration {
		if resp != nil {
			if db, ok := resp.Body.(*decidedBody); ok && !db.d.Poll {
				return db.d.Delay
			}
		}
		b := &c.cfg.Schedule
		d := b.interval(attemptNum + 1)
		if r := b.randomization(); r > 0 {
			d = time.Duration(float64(d) * (1 - r + 2*r*rand.Float64()))
		}
		return min(max(d, b.floor()), max(c.cfg.maxWait(), 0))
	}
}

// hookErrorHandler is the ErrorHandler of [Client.Install]: it returns the
// *Error that hookCheckRetry decided, and when retryablehttp's RetryMax
// ends the loop first, an *Error with the last verdict and the class's
// Otherwise action (after a transport error, the verdict is
// classify.Error's alone).
func (c *Client) hookErrorHandler() retryablehttp.ErrorHandler {
	return func(resp *http.Response, err error, numTries int) (*http.Response, error) {
		var e *Error
		if errors.As(err, &e) {
			e.Attempts = numTries
			return nil, e
		}
		var pe proceedError
		if errors.As(err, &pe) {
			return resp, pe.error
		}
		var v classify.Verdict
		switch {
		case resp != nil:
			db, ok := resp.Body.(*decidedBody)
			if !ok {
				return resp, err
			}
			v = db.v
		case err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
			return resp, err
		default:
			v = classify.Error(err)
		}
		e = &Error{Verdict: v, Action: c.cfg.policy(v.Class).Otherwise, Reason: "retries used up", Attempts: numTries, Err: err}
		if resp != nil {
			e.Response, e.BodyTruncated = bufferResponse(resp, c.cfg.errorBodyLimit())
		}
		return nil, e
	}
}

// proceedError carries a transport error that the policy proceeds with
// from hookCheckRetry to hookErrorHandler.
type proceedError struct{ error }

func (e proceedError) Unwrap() error { return e.error }

// decidedBody carries hookCheckRetry's verdict and decision to the Backoff
// and ErrorHandler hooks, which retryablehttp calls without a context: the
// response is the only thing they share.
type decidedBody struct {
	io.ReadCloser
	v classify.Verdict
	d Decision
}

// requestOf finds the request behind an answer, and the service: the
// first URL of resp.Request's redirect chain. After a transport error
// there is no response, and the *url.Error that http.Client returns names
// the hop that failed, which may be a redirect target: then the request is
// unknown and so is the service (nil), so no out-of-band source is asked.
func requestOf(resp *http.Response, err error) (*http.Request, *url.URL) {
	if resp != nil && resp.Request != nil {
		return resp.Request, chainStart(resp.Request)
	}
	return nil, nil
}

// unsafeOp reports whether a *url.Error comes from a POST or PATCH
// (http.Client names the method in Op, as "Post" or "Patch").
func unsafeOp(err error) bool {
	var ue *url.Error
	if !errors.As(err, &ue) {
		return false
	}
	return strings.EqualFold(ue.Op, http.MethodPost) || strings.EqualFold(ue.Op, http.MethodPatch)
}

// BackOff is a [backoff.BackOff] (cenkalti/backoff/v4) for callers who run
// their own loop with backoff.Retry: it waits as the server asked, within
// [Config.MaxWait] and the request's context, and stops as c's policy
// says. Create one per request with [Client.NewBackOff], and report each
// attempt's outcome with [BackOff.Observe] from the operation:
//
//	bo := dc.NewBackOff(req)
//	err := backoff.Retry(func() error {
//		resp, err := http.DefaultClient.Do(req)
//		if err := bo.Observe(resp, err); err != nil {
//			return err // retried after the decided wait, or final
//		}
//		defer resp.Body.Close()
//		return use(resp)
//	}, bo)
//
// Each NextBackOff after an Observe returns the decided delay: the
// server's time plus jitter when it gave one, else the next interval of
// the randomized exponential schedule of [Config.Schedule]; or
// [backoff.Stop] when the decision is not to wait. Without an Observe
// since the last call (the operation failed for its own reasons), it
// returns the schedule's next interval, and Stop once the waits would pass
// MaxWait. It implements [backoff.BackOffContext], so backoff.Retry's
// sleeps end with the request's context.
//
// A BackOff is not safe for concurrent use, like the ExponentialBackOff it
// builds on.
type BackOff struct {
	c      *Client
	ctx    context.Context
	target *url.URL
	replay bool

	t        tracker
	attempts int
	observed bool
}

// NewBackOff returns a [BackOff] for req: its URL is where out-of-band
// sources are asked, its method, Idempotency-Key and GetBody say whether
// it may be replayed, and its context's deadline and end bound the waits.
func (c *Client) NewBackOff(req *http.Request) *BackOff {
	b := &BackOff{c: c, ctx: req.Context(), target: req.URL, replay: c.replayable(req)}
	b.Reset()
	return b
}

// Observe judges the outcome of one attempt as every attempt of
// [Client.RoundTrip] is judged (the out-of-band sources consulted on the
// request's origin; see the package documentation) and decides on it. It returns nil when the policy proceeds: resp
// is then the caller's, its body whole. Otherwise it drains and closes
// resp.Body and returns an [*Error]: with Action [Wait] when the operation
// should be retried after [BackOff.NextBackOff]; wrapped in
// [backoff.Permanent] when the request ends in skip or alert (then
// backoff.Retry returns the *Error itself, Response holding the body up to
// [Config.ErrorBodyLimit]), or when the context ended.
func (b *BackOff) Observe(resp *http.Response, err error) error {
	b.attempts++
	b.observed = false
	if err != nil && caller.Done(b.ctx, err) {
		return backoff.Permanent(err)
	}
	now := time.Now()
	v := b.c.judge(b.ctx, &b.t, b.target, b.c.inband(resp, err, 0, now))
	s := State{Now: now, NoReplay: !b.replay}
	if dl, ok := b.ctx.Deadline(); ok {
		s.Deadline = dl
	}
	d := b.t.decide(&b.c.cfg, v, s)
	b.observed = true
	if b.c.cfg.OnVerdict != nil && resp != nil && resp.Request != nil {
		b.c.cfg.OnVerdict(resp.Request, v, d)
	}
	e := b.t.newError(b.attempts, err)
	switch d.Action {
	case Proceed:
		return nil
	case Wait:
		if resp != nil {
			bounded.Drain(resp.Body, drainLimit)
		}
		return e
	}
	if resp != nil {
		e.Response, e.BodyTruncated = bufferResponse(resp, b.c.cfg.errorBodyLimit())
	}
	b.t.err = e
	return backoff.Permanent(e)
}

// NextBackOff implements [backoff.BackOff]; see [BackOff].
func (b *BackOff) NextBackOff() time.Duration {
	if b.ctx.Err() != nil {
		return backoff.Stop
	}
	if !b.observed {
		// Randomization may draw below the floor; no wait is shorter.
		d := max(b.t.nextInterval(&b.c.cfg.Schedule), b.c.cfg.Schedule.floor())
		if b.t.waited+d > b.c.cfg.maxWait() {
			return backoff.Stop
		}
		b.t.waited += d
		return d
	}
	b.observed = false
	if b.t.decision.Action != Wait {
		return backoff.Stop
	}
	b.t.waited += b.t.decision.Delay
	return b.t.decision.Delay
}

// Reset implements [backoff.BackOff]: it forgets every attempt, as at the
// start of backoff.Retry.
func (b *BackOff) Reset() {
	b.t.reset()
	b.attempts, b.observed = 0, false
}

// Context implements [backoff.BackOffContext]: the request's context.
func (b *BackOff) Context() context.Context { return b.ctx }

// Err returns the [*Error] of the skip or alert that stopped the
// BackOff, or nil.
func (b *BackOff) Err() error {
	if b.t.err == nil {
		return nil
	}
	return b.t.err
}
