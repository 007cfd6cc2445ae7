package probe

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/bounded"
	"github.com/downfor/downfor/internal/origin"
)

// answer is what one GET produced.
type answer struct {
	status      int
	contentType string
	body        []byte   // read only when wanted and within the limit
	final       *url.URL // the URL that answered, after redirects
	problem     string   // set when there is no usable answer: why
	bodyProblem string   // set when the body was wanted but is unusable: why
}

// policy travels in a request's context to [Prober.checkRedirect].
type policy struct {
	service    *url.URL // the service's origin: credentials go there only
	start      *url.URL // the first URL requested
	sameOrigin bool     // redirects must stay on start's origin
}

type policyKey struct{}

// maxHeaderBytes bounds the response headers of every request a [Prober]
// sends through an *http.Transport (net/http's default is 10 MiB): a
// hostile source cannot make it hold more.
const maxHeaderBytes = 64 << 10

// newHTTPClient returns the http.Client a Prober sends with: a shallow copy
// of hc (or of the zero Client) with checkRedirect as its redirect policy,
// and, when its transport is an *http.Transport (http.DefaultTransport for
// none) whose MaxResponseHeaderBytes is unset or above maxHeaderBytes, a
// clone of it with that bound. hc is not modified.
func newHTTPClient(hc *http.Client, checkRedirect func(*http.Request, []*http.Request) error) *http.Client {
	c := &http.Client{}
	if hc != nil {
		*c = *hc
	}
	c.CheckRedirect = checkRedirect
	rt := c.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	if t, ok := rt.(*http.Transport); ok && (t.MaxResponseHeaderBytes <= 0 || t.MaxResponseHeaderBytes > maxHeaderBytes) {
		t = t.Clone()
		t.MaxResponseHeaderBytes = maxHeaderBytes
		c.Transport = t
	}
	return c
}

// get fetches u within [Config.Timeout]. service is the service's origin,
// the only one that receives [Config.Header]. sameOriginOnly limits
// redirects to u's own origin; so does a status page the user did not
// name as an absolute URL (the default one, on the service's own origin,
// must not lead a hostile service's redirects to another host, such as an
// internal address). The body is read (up to the limit) only when
// wantBody(status) is true. get never fails: problems are described in the
// answer.
//
// A User-Agent in [Config.Header] goes with every request, to any origin:
// it names the software, not the caller.
func (p *Prober) get(ctx context.Context, u, service *url.URL, sameOriginOnly bool, accept string, wantBody func(int) bool) answer {
	if !sameOriginOnly && !namedAbsolute(p.page) {
		sameOriginOnly = true
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	ctx = context.WithValue(ctx, policyKey{}, &policy{service: service, start: u, sameOrigin: sameOriginOnly})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return answer{problem: "invalid URL"}
	}
	if origin.Same(u, service) {
		for k, vs := range p.header {
			req.Header[k] = slices.Clone(vs)
		}
	} else if ua := p.header.Get("User-Agent"); ua != "" {
		req.Header.Set("User-Agent", ua)
	}
	req.Header.Set("Accept", accept)
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "downfor")
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return answer{problem: noAnswer(err)}
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, contentType: resp.Header.Get("Content-Type"), final: u}
	if resp.Request != nil && resp.Request.URL != nil { // a RoundTripper need not set it
		a.final = resp.Request.URL
	}
	if loc := resp.Header.Get("Location"); resp.StatusCode/100 == 3 && loc != "" {
		// checkRedirect refused to follow it (net/http follows the rest).
		if target, err := a.final.Parse(loc); err == nil && isRedirect(resp.StatusCode) {
			switch {
			case sameOriginOnly && !origin.Same(target, u):
				a.problem = fmt.Sprintf("%d redirect to another origin not followed", resp.StatusCode)
			case u.Scheme == "https" && target.Scheme != "https":
				a.problem = fmt.Sprintf("%d redirect from https to %s not followed", resp.StatusCode, clean(target.Scheme))
			default:
				a.problem = fmt.Sprintf("%d redirect not followed (more than %d)", resp.StatusCode, maxRedirects)
			}
			return a
		}
	}
	if !wantBody(resp.StatusCode) {
		return a
	}
	body, truncated, err := bounded.Read(resp.Body, p.bodyLimit, resp.ContentLength)
	switch {
	case truncated:
		a.bodyProblem = "body too large"
	case err != nil:
		a.bodyProblem = "reading body: " + classify.Error(err).Evidence[0].Signal
	default:
		a.body = body
	}
	return a
}

// namedAbsolute reports whether raw, a configured source URL, is absolute:
// named by the user with its host, rather than a path on the service's
// origin.
func namedAbsolute(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.IsAbs() && u.Host != ""
}

func isRedirect(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// noAnswer describes a request that got no response, by the error's type
// (classify's transport signals: "timeout", "refused", "dns-not-found"...).
func noAnswer(err error) string {
	if errors.Is(err, context.Canceled) {
		return "not checked (canceled)"
	}
	return "no answer (" + classify.Error(err).Evidence[0].Signal + ")"
}

// checkRedirect is the CheckRedirect of the Prober's client: at most
// [maxRedirects] redirects; for the probe, the health endpoint and a
// status page on the service's origin only within the origin first
// requested; never from https to http; and [Config.Header] (but
// User-Agent), Authorization, Cookie and Referer are removed from any
// request that leaves the service's origin. A redirect not followed ends
// the request with the redirect response, which [Prober.get] explains.
func (p *Prober) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) > maxRedirects {
		return http.ErrUseLastResponse
	}
	pol, _ := req.Context().Value(policyKey{}).(*policy)
	if pol == nil {
		return http.ErrUseLastResponse
	}
	if pol.sameOrigin && !origin.Same(req.URL, pol.start) {
		return http.ErrUseLastResponse
	}
	if pol.start.Scheme == "https" && req.URL.Scheme != "https" {
		return http.ErrUseLastResponse
	}
	if !origin.Same(req.URL, pol.service) {
		for k := range p.header {
			if k != "User-Agent" {
				req.Header.Del(k)
			}
		}
		for _, k := range []string{"Authorization", "Proxy-Authorization", "Cookie", "Cookie2", "Referer"} {
			req.Header.Del(k)
		}
	}
	return nil
}

// flight is one source's request, in flight or done and cached.
type flight struct {
	done    chan struct{} // closed when ev is set
	ev      []classify.Evidence
	expires time.Time
	waiters int                // callers waiting on done
	cancel  context.CancelFunc // cancels the request
}

func (f *flight) finished() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// shared returns the evidence of the source named key: from the cache
// while it is fresh, from the request in flight if there is one, or from a
// new request otherwise. The request runs in its own goroutine with a
// context detached from any caller's (its own deadlines come from
// [Prober.get]), so one caller giving up does not fail the others. Each
// caller waits only as long as its own ctx allows, and gets none(reason)
// when ctx ends first; when the last waiting caller gives up, the request
// is cancelled and nothing is cached, so no goroutine outlives every
// caller for long.
func (p *Prober) shared(ctx context.Context, key string, none func(string) []classify.Evidence, fetch func(context.Context) []classify.Evidence) []classify.Evidence {
	p.mu.Lock()
	f := p.flights[key]
	if f != nil && f.finished() {
		if p.cacheFor > 0 && time.Now().Before(f.expires) {
			p.mu.Unlock()
			return slices.Clone(f.ev)
		}
		f = nil
	}
	if ctx.Err() != nil {
		p.mu.Unlock()
		return none("not checked (" + context.Cause(ctx).Error() + ")")
	}
	if f == nil {
		p.sweepLocked()
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &flight{done: make(chan struct{}), cancel: cancel}
		p.flights[key] = f
		go p.run(fctx, key, f, fetch)
	}
	f.waiters++
	p.mu.Unlock()

	select {
	case <-f.done:
		p.mu.Lock()
		f.waiters--
		p.mu.Unlock()
		return slices.Clone(f.ev)
	case <-ctx.Done():
		p.mu.Lock()
		f.waiters--
		if f.waiters == 0 && !f.finished() {
			f.cancel()
			if p.flights[key] == f {
				delete(p.flights, key)
			}
		}
		p.mu.Unlock()
		return none("not checked (" + context.Cause(ctx).Error() + ")")
	}
}

func (p *Prober) run(ctx context.Context, key string, f *flight, fetch func(context.Context) []classify.Evidence) {
	ev := fetch(ctx)
	p.mu.Lock()
	defer p.mu.Unlock()
	f.ev = ev
	f.expires = time.Now().Add(p.cacheFor)
	close(f.done)
	abandoned := ctx.Err() != nil
	f.cancel()
	if (p.cacheFor <= 0 || abandoned) && p.flights[key] == f {
		delete(p.flights, key)
	}
}

// sweepLocked drops expired answers once there are enough to matter, so a
// long-lived Prober asked about many services stays small.
func (p *Prober) sweepLocked() {
	if len(p.flights) < 64 {
		return
	}
	now := time.Now()
	for k, f := range p.flights {
		if f.finished() && !now.Before(f.expires) {
			delete(p.flights, k)
		}
	}
}
