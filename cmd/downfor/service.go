package main

import (
	"context"
	"net/http"
	"net/url"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
)

// service is the service that check, wait and run look at.
type service struct {
	target  *url.URL
	shown   string // target, redacted: what downfor writes
	checker *checker
	red     redactor // hides target's credentials and the --header values
}

// newService reads the one positional argument (or DOWNFOR_URL) and
// builds its checker. what names the argument in errors ("the URL",
// "--url").
func newService(sf *serviceFlags, what string, pos []string, env environment) (*service, error) {
	raw := env.URL
	switch len(pos) {
	case 0:
		if raw == "" {
			return nil, usagef("missing the service URL (give it as the argument, or in DOWNFOR_URL)")
		}
		what = "DOWNFOR_URL"
	case 1:
		raw = pos[0]
	default:
		return nil, usagef("want one URL, got %d arguments", len(pos))
	}
	target, err := targetURL(what, raw)
	if err != nil {
		return nil, err
	}
	req, err := sf.request(nil)
	if err != nil {
		return nil, err
	}
	c := newChecker(target, req)
	values, urls := sf.secrets()
	return &service{target: target, shown: redactURL(target), checker: c, red: newRedactor(values, append(urls, target)...)}, nil
}

// uaTransport sends every request with downfor's User-Agent
// ("downfor/VERSION"), unless the user gave one with --header.
type uaTransport struct {
	rt http.RoundTripper
	ua string
}

func (t uaTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if ua := req.Header.Get("User-Agent"); ua == "" || ua == "downfor" {
		// A RoundTripper must not modify the caller's request.
		req = req.Clone(req.Context())
		req.Header.Set("User-Agent", t.ua)
	}
	return t.rt.RoundTrip(req)
}

// checker classifies one service, through the library's one check-once
// path (client.Client.CheckRequest): the CLI and the SDK give the same
// verdict for the same service and settings. Safe for concurrent use.
type checker struct {
	target *url.URL
	method string
	header http.Header // sent to the service's origin only
	client *client.Client
}

// newChecker returns the checker of req for target.
func newChecker(target *url.URL, req request) *checker {
	return &checker{target: target, method: req.method, header: req.header, client: client.New(req.config)}
}

// check classifies the service now. It fails only when ctx ends: an
// interruption is not evidence about the service.
func (c *checker) check(ctx context.Context) (classify.Verdict, error) {
	req, err := http.NewRequestWithContext(ctx, c.method, c.target.String(), nil)
	if err != nil {
		return classify.Verdict{}, err
	}
	req.Header = c.header.Clone()
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	v, err := c.client.CheckRequest(ctx, req)
	if err != nil {
		return classify.Verdict{}, err
	}
	return v, nil
}

// close releases idle connections.
func (c *checker) close() { c.client.CloseIdleConnections() }
