package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/bounded"
	"github.com/downfor/downfor/internal/notannounced"
	"github.com/downfor/downfor/internal/redirectloop"
	"github.com/downfor/downfor/probe"
)

// checkBodyLimit is how much of the service's body [Client.CheckRequest]
// reads (and discards) after classifying: a body that never arrives is a
// network failure, a huge one is not read whole.
const checkBodyLimit = 1 << 20

// CheckRequest classifies the service behind req now, with one attempt:
// no retry, no wait. It is the one decision path of downfor: the CLI's
// check, wait and run are built on it, and [Client.RoundTrip] judges each
// of its attempts the same way, so both give the same verdict for the same
// service and settings.
//
// req's method, header, body and URL are sent as they are (req itself is
// not modified; its context is replaced by ctx). Redirects are followed as
// [Client.StandardClient] follows them: the credentials and
// [Config.SensitiveHeaders] stay on req's origin, Referer never leaves it,
// and a chain of [Config.MaxRedirects] redirects is a redirect loop
// (malfunction). The attempt, the first MiB of the body included, is
// bounded by [Config.AttemptTimeout]: a service that sends its headers and
// then never its body has not answered. The body is read and discarded.
//
// The answer is classified (package classify, with [Config.Classify]),
// then, unless it is ok or client_error (or always, with
// [Config.AlwaysConsult]), combined with what the out-of-band sources of
// [Config.Probe] say about req's origin (never a redirect target's) by
// [classify.Combine]; [Config.Strict] applies last.
// See the package documentation for why the sources are consulted even
// when the server gave timing.
//
// The error is non-nil only when req has no URL or ctx ended: a service
// that does not answer is a verdict of class network, not an error. When
// ctx ends after the answer, the verdict so far is returned with
// [context.Cause].
func (c *Client) CheckRequest(ctx context.Context, req *http.Request) (classify.Verdict, error) {
	if req == nil || req.URL == nil {
		return classify.Verdict{}, errors.New("downfor: request without URL")
	}
	if ctx.Err() != nil {
		return classify.Verdict{}, context.Cause(ctx)
	}
	inband, err := c.checkOnce(ctx, req)
	if err != nil {
		return classify.Verdict{}, err
	}
	v := c.judge(ctx, nil, req.URL, inband)
	if ctx.Err() != nil {
		return v, context.Cause(ctx)
	}
	return v, nil
}

// Check is [Client.CheckRequest] with a GET of rawURL, the request's own
// headers empty. The error is non-nil only when rawURL is not a valid
// request URL or ctx ended.
func (c *Client) Check(ctx context.Context, rawURL string) (classify.Verdict, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return classify.Verdict{}, err
	}
	return c.CheckRequest(ctx, req)
}

// checkOnce sends req once, following redirects, and returns the in-band
// verdict on the answer. The error is the caller's context's cause, when
// it ended before there was an answer.
func (c *Client) checkOnce(ctx context.Context, req *http.Request) (classify.Verdict, error) {
	actx, cancel := ctx, context.CancelFunc(func() {})
	if d := c.cfg.attemptTimeout(); d > 0 {
		actx, cancel = context.WithTimeoutCause(ctx, d, &attemptTimeoutError{After: d, Whole: true})
	}
	defer cancel()
	r := req.Clone(actx)
	if r.Header == nil {
		r.Header = http.Header{}
	}
	limit := c.cfg.maxRedirects()
	if limit < 0 {
		limit = defaultMaxRedirects // followed no further, but not a loop
	}
	hc := &http.Client{Transport: c.send, CheckRedirect: func(next *http.Request, via []*http.Request) error {
		c.stripCredentials(next, via)
		if len(via) >= limit {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	resp, err := hc.Do(r)
	if err != nil {
		if ctx.Err() != nil {
			return classify.Verdict{}, context.Cause(ctx)
		}
		if cause := context.Cause(actx); actx.Err() != nil && cause != nil {
			// Name the bound that passed, not a bare "context deadline exceeded".
			err = cause
		}
		return classify.Error(err), nil
	}
	hops := 0
	if resp.Request != nil {
		hops = redirectHops(resp.Request)
	}
	v := c.inband(resp, nil, hops, time.Now())
	// Read (a bounded part of) the body too: a service that sends its
	// headers and then never its body has not answered.
	_, _, rerr := bounded.Read(resp.Body, checkBodyLimit, resp.ContentLength)
	resp.Body.Close()
	if rerr != nil {
		if ctx.Err() != nil {
			return classify.Verdict{}, context.Cause(ctx)
		}
		if cause := context.Cause(actx); actx.Err() != nil && cause != nil {
			rerr = cause
		}
		nv := classify.Error(fmt.Errorf("reading the body: %w", rerr))
		nv.Evidence = append(slices.Clip(v.Evidence), nv.Evidence...)
		return nv, nil
	}
	return v, nil
}

// inband classifies one answer by itself: the response (its body peeked at
// and restored, see [classify.Response]) or the transport error. hops is
// the number of redirects that led to it, for loop detection.
func (c *Client) inband(resp *http.Response, err error, hops int, now time.Time) classify.Verdict {
	switch {
	case err != nil:
		return classify.Error(err)
	case resp == nil:
		return classify.Error(errors.New("downfor: no response and no error"))
	}
	v := classify.Response(resp, now, &c.cfg.Classify)
	if n := c.cfg.maxRedirects(); n > 0 && hops+1 >= n && isRedirect(resp) {
		v = redirectloop.Verdict(v, hops+1)
	}
	return v
}

// judge turns the in-band verdict on one answer into the verdict: combined
// with the out-of-band sources about service (the origin of the first
// request of the redirect chain, never a later hop's) when [Client.consults]
// says so, and made strict when [Config.Strict] is set. t is the request's
// tracker, nil for a single check.
func (c *Client) judge(ctx context.Context, t *tracker, service *url.URL, inband classify.Verdict) classify.Verdict {
	v := inband
	if c.consults(v) && service != nil {
		ev := c.outOfBand(ctx, t, service, v)
		v = classify.Combine(v, time.Now(), ev...)
	}
	if c.cfg.Strict {
		v = v.Strict()
	}
	return v
}

// consults reports whether an in-band verdict calls for the out-of-band
// sources: every class but ok and client_error, with or without server
// timing (or every verdict, with [Config.AlwaysConsult]). Timing alone
// is no reason to skip them: an incident on the status page, or a health
// endpoint that says the service failed, must be able to outweigh an
// implied maintenance (a 503 with a long Retry-After) or a short
// Retry-After.
func (c *Client) consults(v classify.Verdict) bool {
	if c.prober == nil {
		return false
	}
	if c.cfg.AlwaysConsult {
		return true
	}
	return v.Class != classify.OK && v.Class != classify.ClientError
}

// outOfBand consults the out-of-band sources about service, for the
// in-band verdict inband. Within one request (t not nil), once the probe
// said "not announced" (404) while the service itself said maintenance
// or throttled, the probe is not asked again for as long as the service
// says so: during a window the client polls the service, not the probe
// at every poll too (its answer is cached for less time than the polls
// are apart). The other sources are still consulted.
func (c *Client) outOfBand(ctx context.Context, t *tracker, service *url.URL, inband classify.Verdict) []classify.Evidence {
	waiting := inband.Class == classify.Maintenance || inband.Class == classify.Throttled
	if t == nil || !waiting {
		return c.prober.Check(ctx, service)
	}
	if !t.probe404 {
		ev := c.prober.Check(ctx, service)
		t.probe404 = slices.ContainsFunc(ev, probeNotAnnounced)
		return ev
	}
	ev := []classify.Evidence{probe.ParseProbe(http.StatusNotFound, "", nil)}
	var health []classify.Evidence
	var wg sync.WaitGroup
	if c.cfg.Probe.HealthURL != "" {
		wg.Go(func() { health = c.prober.Health(ctx, service) })
	}
	page := c.prober.StatusPage(ctx, service)
	wg.Wait()
	return slices.Concat(ev, health, page)
}

// probeNotAnnounced reports whether e is the probe's "not announced": its
// answer to a 404, which is a string, the only thing that tells it from
// the probe's other answers of strength None ("no information").
func probeNotAnnounced(e classify.Evidence) bool {
	return notannounced.Is(e)
}

func isRedirect(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return resp.Header.Get("Location") != ""
	}
	return false
}

// redirectHops counts the redirects that led to req, through the chain of
// req.Response that http.Client keeps.
func redirectHops(req *http.Request) int {
	n := 0
	for r := req.Response; r != nil && r.Request != nil && n < 1000; r = r.Request.Response {
		n++
	}
	return n
}

// chainStart returns the URL of the first request of req's redirect chain
// (req's own when it was not redirected): the service, whose origin the
// out-of-band sources are consulted on.
func chainStart(req *http.Request) *url.URL {
	u := req.URL
	for r, n := req.Response, 0; r != nil && r.Request != nil && n < 1000; r, n = r.Request.Response, n+1 {
		if r.Request.URL != nil {
			u = r.Request.URL
		}
	}
	return u
}
