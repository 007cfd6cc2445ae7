package probe

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/downfor/downfor/classify"
)

// DefaultCacheFor is how long a [Prober] reuses a source's answer when
// [Config.CacheFor] is zero.
const DefaultCacheFor = 5 * time.Second

// Defaults for the other zero values of [Config], which its fields state.
const (
	defaultTimeout   = 5 * time.Second
	defaultBodyLimit = 1 << 20
	defaultProbePath = "/down-for-maintenance"
	// maxRedirects is how many redirects one request follows.
	maxRedirects = 3
)

// Config says which out-of-band sources a [Prober] consults and how. The
// zero value consults only the well-known probe, with the defaults its
// fields state.
// A Config is copied by [New]; changing it afterwards has no effect.
type Config struct {
	// Client sends the requests. If nil, a client using
	// [http.DefaultTransport]. Either way the Prober uses a shallow copy
	// with its own CheckRedirect (at most 3 redirects, and only within
	// the same origin for the probe and the health endpoint, and for a status page given as a path on the service's
	// origin: a redirect elsewhere, even from http to https, is not
	// followed and says so); the Client given is not modified. A status
	// page named by an absolute URL may redirect to another host, as
	// hosted pages do; no redirect goes from https to http. Its Timeout,
	// if any, still applies. Response headers are capped at 64 KiB on an
	// [*http.Transport].
	Client *http.Client
	// Timeout bounds each request, body included. If zero, 5s.
	Timeout time.Duration
	// BodyLimit is the most bytes read from one body. A longer body is
	// evidence of nothing ("body too large"). If zero, 1 MiB.
	BodyLimit int64
	// CacheFor is how long each source's answer is reused. If zero,
	// [DefaultCacheFor] (5s). If negative, answers are not reused, but
	// callers arriving while a request is in flight still share it.
	CacheFor time.Duration
	// ProbePath is the path of the well-known probe on the service's
	// origin. If empty, "/down-for-maintenance".
	ProbePath string
	// DisableProbe turns the well-known probe off.
	DisableProbe bool
	// HealthURL is a health endpoint: an absolute URL, or a path such as
	// "/health" on the service's origin. If empty, none is consulted.
	HealthURL string
	// StatusPageURL is a status page: a page URL (the API path of
	// StatusPageKind is appended, "/api/v2/summary.json" when the kind
	// is unknown), or the URL of a JSON document (a path ending in
	// ".json", or Cachet's /api/status, /api/schedules, /api/components,
	// /api/incidents), used as is. Absolute, or a path on the service's
	// origin. If empty, none is consulted.
	StatusPageURL string
	// StatusPageKind is [KindStatuspage], [KindCachet] or [KindInstatus].
	// If empty, the kind is detected from the document's shape.
	StatusPageKind string
	// Components narrows a shared status page to these components, by
	// name (case-insensitive) or id; a Statuspage component group selects
	// its members. If empty, every component counts. With a selection,
	// only selected components count; an incident or maintenance counts
	// when it names a selected component, or no component at all (a
	// maintenance in progress that names none is then only implied, so
	// that the selected component's own outage outranks it); page-wide
	// statuses are reported with strength None, since they sum up every
	// component; and a selected name the page does not list is reported
	// ("component-filter", strength None), as it is probably a typo.
	Components []string
	// Header is sent with every request to the service's own origin
	// (scheme, host and port of the target), and never to another: not
	// to a status page or health endpoint on another host, and not after
	// a redirect that leaves the origin (a User-Agent in it excepted,
	// which goes everywhere). Authorization, Cookie and Referer are
	// removed from any redirect that leaves the origin too.
	Header http.Header
	// Now tells the time a status page's windows are judged against
	// (started, upcoming, over). If nil, [time.Now]. Tests set it to pin
	// a fixture's dates.
	Now func() time.Time
}

// Prober consults the out-of-band sources about a service. It caches each
// source's answer, per source and URL, for [Config.CacheFor], and callers
// that arrive while a request is in flight wait for it rather than send
// their own. That request runs detached from the first caller's context,
// with its own [Config.Timeout], so one caller giving up does not fail the
// others; each caller still stops waiting when its own context ends, and
// when every caller has given up the request is cancelled and nothing is
// cached. A Prober is safe for concurrent use.
type Prober struct {
	client    *http.Client
	header    http.Header
	timeout   time.Duration
	bodyLimit int64
	cacheFor  time.Duration
	probePath string
	probe     bool
	health    string
	page      string
	kind      string
	comps     []string
	now       func() time.Time

	mu      sync.Mutex
	flights map[string]*flight
}

// New returns a Prober for cfg, with the defaults of [Config] filled in.
func New(cfg Config) *Prober {
	p := &Prober{
		header:    canonicalHeader(cfg.Header),
		timeout:   cfg.Timeout,
		bodyLimit: cfg.BodyLimit,
		cacheFor:  cfg.CacheFor,
		probePath: cfg.ProbePath,
		probe:     !cfg.DisableProbe,
		health:    strings.TrimSpace(cfg.HealthURL),
		page:      strings.TrimSpace(cfg.StatusPageURL),
		kind:      strings.ToLower(strings.TrimSpace(cfg.StatusPageKind)),
		comps:     slices.Clone(cfg.Components),
		now:       cfg.Now,
		flights:   map[string]*flight{},
	}
	if p.now == nil {
		p.now = time.Now
	}
	if p.timeout <= 0 {
		p.timeout = defaultTimeout
	}
	if p.bodyLimit <= 0 {
		p.bodyLimit = defaultBodyLimit
	}
	if p.cacheFor == 0 {
		p.cacheFor = DefaultCacheFor
	}
	if p.probePath == "" {
		p.probePath = defaultProbePath
	}
	if !strings.HasPrefix(p.probePath, "/") {
		p.probePath = "/" + p.probePath
	}
	p.client = newHTTPClient(cfg.Client, p.checkRedirect)
	return p
}

// Check consults every configured source about the service at target (an
// absolute http or https URL; only its origin matters) and returns their
// evidence: the probe's, then the health endpoint's, then the status
// page's. The sources are consulted concurrently. Check never fails: a
// broken, slow or hostile source, or a ctx that ends first, yields
// evidence of strength [classify.None] saying why. Combine the result
// with the service's own answer using [classify.Combine].
func (p *Prober) Check(ctx context.Context, target *url.URL) []classify.Evidence {
	var sources []func(context.Context, *url.URL) []classify.Evidence
	if p.probe {
		sources = append(sources, p.Probe)
	}
	if p.health != "" {
		sources = append(sources, p.Health)
	}
	if p.page != "" {
		sources = append(sources, p.StatusPage)
	}
	results := make([][]classify.Evidence, len(sources))
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Go(func() { results[i] = src(ctx, target) })
	}
	wg.Wait()
	return slices.Concat(results...)
}

// Probe consults the well-known probe ([Config.ProbePath] on target's
// origin), with the contract of [Prober.Check]. It returns nil when the
// probe is disabled. After a 200 it sends one control request to a
// made-up path beside the probe's: when that is answered 200 too (the same
// type, or the same body), the site answers every path and the evidence
// says "catch-all" with strength None; a control request that gets no
// answer leaves the probe unconfirmed. A 200 reached through a redirect
// counts only when it was served at the probe path itself: applications
// that send unknown paths to a login page must not look as if in
// maintenance.
func (p *Prober) Probe(ctx context.Context, target *url.URL) []classify.Evidence {
	if !p.probe {
		return nil
	}
	none := func(value string) []classify.Evidence {
		return []classify.Evidence{{Source: classify.SourceProbe, Signal: classify.SignalProbe, Value: value}}
	}
	origin, err := originOf(target)
	if err != nil {
		return none(err.Error())
	}
	u := *origin
	u.Path = p.probePath
	return p.shared(ctx, "probe\x00"+u.String(), none, func(ctx context.Context) []classify.Evidence {
		a := p.get(ctx, &u, origin, true, probeAccept, func(status int) bool { return status == http.StatusOK })
		var ev classify.Evidence
		switch {
		case a.problem != "":
			return none(a.problem)
		case a.status == http.StatusOK && !samePath(a.final.Path, p.probePath):
			return none(fmt.Sprintf("200 after a redirect to %s, not the probe", clean(a.final.Path)))
		case a.bodyProblem != "":
			// The status is the evidence; the body only adds detail.
			ev = ParseProbe(a.status, "", nil)
			ev.Value += " (" + a.bodyProblem + ", ignored)"
		default:
			ev = ParseProbe(a.status, a.contentType, a.body)
		}
		if ev.Strength == classify.None {
			return []classify.Evidence{ev}
		}
		// A 200: make sure the site does not answer 200 to every path.
		c := *origin
		c.Path = controlPath(p.probePath)
		ca := p.get(ctx, &c, origin, true, probeAccept, func(status int) bool { return status == http.StatusOK })
		if ca.problem == "" && ca.status == http.StatusOK && !samePath(ca.final.Path, c.Path) {
			// Unknown paths redirect elsewhere (a login page): not a catch-all.
			ca.status = http.StatusFound
		}
		return []classify.Evidence{judgeControl(ev, a.contentType, a.body, c.Path, ca.status, ca.contentType, ca.body, ca.problem)}
	})
}

const probeAccept = "application/json, text/plain;q=0.9, */*;q=0.5"

// controlPath is a path beside the probe's that cannot exist: the probe's
// directory and a random name.
func controlPath(probePath string) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return path.Join(path.Dir(probePath), "downfor-control-"+hex.EncodeToString(b))
}

// Health consults the health endpoint ([Config.HealthURL]), with the
// contract of [Prober.Check]. It returns nil when none is configured.
// Maintenance read from a readiness URL (a path ending in readiness,
// readyz or ready) is no information: a readiness probe is out of service
// whenever the application starts or stops.
func (p *Prober) Health(ctx context.Context, target *url.URL) []classify.Evidence {
	if p.health == "" {
		return nil
	}
	none := func(value string) []classify.Evidence {
		return []classify.Evidence{{Source: classify.SourceHealth, Signal: "health", Value: value}}
	}
	origin, err := originOf(target)
	if err != nil {
		return none(err.Error())
	}
	u, err := resolve(p.health, origin)
	if err != nil {
		return none("invalid health URL")
	}
	return p.shared(ctx, "health\x00"+u.String(), none, func(ctx context.Context) []classify.Evidence {
		a := p.get(ctx, u, origin, true, "application/json, application/health+json;q=0.9, text/plain;q=0.8, */*;q=0.5",
			func(status int) bool { return status/100 == 2 || status/100 == 5 })
		switch {
		case a.problem != "":
			return none(a.problem)
		case a.bodyProblem != "":
			return none(fmt.Sprintf("no information (%d, %s)", a.status, a.bodyProblem))
		}
		ev := ParseHealth(a.status, a.contentType, a.body)
		if ev.Indicates == classify.Maintenance && ev.Strength != classify.None && readinessPath(u.Path) {
			// Spring's readiness group (and any readiness probe) reports
			// OUT_OF_SERVICE whenever the application refuses traffic:
			// starting, shutting down, crash-looping. Not a switch.
			ev.Strength = classify.None
			ev.Value += " (a readiness probe: starting or stopping, not a maintenance switch)"
		}
		return []classify.Evidence{ev}
	})
}

// readinessPath reports whether a health URL's path is a readiness probe
// (Spring's /actuator/health/readiness, Kubernetes' /readyz, /ready),
// whose "out of service" is the application refusing traffic while it
// starts or stops, not an operator's maintenance switch.
func readinessPath(p string) bool {
	switch strings.ToLower(path.Base(strings.TrimRight(p, "/"))) {
	case "readiness", "readyz", "ready":
		return true
	}
	return false
}

// StatusPage consults the status page ([Config.StatusPageURL]), with the
// contract of [Prober.Check]. It returns nil when none is configured.
// Cachet pages take two requests (/api/status and /api/schedules), three
// when components are selected (/api/components); they are made
// concurrently and their evidence is returned in that order. Cachet lists
// are asked for 100 items a page, and only the first page is read.
func (p *Prober) StatusPage(ctx context.Context, target *url.URL) []classify.Evidence {
	if p.page == "" {
		return nil
	}
	none := func(value string) []classify.Evidence {
		return []classify.Evidence{{Source: classify.SourceStatusPage, Signal: "status-page", Value: value}}
	}
	origin, err := originOf(target)
	if err != nil {
		return none(err.Error())
	}
	urls, err := statusEndpoints(p.page, p.kind, origin, len(p.comps) > 0)
	if err != nil {
		return none(err.Error())
	}
	key := "status_page\x00" + p.kind
	for _, u := range urls {
		key += "\x00" + u.String()
	}
	return p.shared(ctx, key, none, func(ctx context.Context) []classify.Evidence {
		results := make([][]classify.Evidence, len(urls))
		var wg sync.WaitGroup
		for i, u := range urls {
			wg.Go(func() { results[i] = p.statusDocument(ctx, u, origin, len(urls) > 1) })
		}
		wg.Wait()
		if ev := slices.Concat(results...); len(ev) > 0 {
			return ev
		}
		return none("nothing to report")
	})
}

func (p *Prober) statusDocument(ctx context.Context, u, origin *url.URL, several bool) []classify.Evidence {
	prefix := ""
	if several {
		prefix = clean(u.Path) + ": "
	}
	none := func(value string) []classify.Evidence {
		return []classify.Evidence{{Source: classify.SourceStatusPage, Signal: "status-page", Value: prefix + value}}
	}
	a := p.get(ctx, u, origin, false, "application/json, application/vnd.api+json;q=0.9, */*;q=0.5",
		func(status int) bool { return status/100 == 2 })
	switch {
	case a.problem != "":
		return none(a.problem)
	case a.status/100 != 2:
		return none(fmt.Sprintf("%d (no information)", a.status))
	case a.bodyProblem != "":
		return none(fmt.Sprintf("%d (%s)", a.status, a.bodyProblem))
	}
	ev, why := parseStatusPage(p.kind, a.body, p.now(), p.comps)
	if why != "" {
		return none(unrecognised + ": " + why)
	}
	return ev
}

// originOf returns target's origin (scheme and host, without user
// information, path or query), or an error for anything but an absolute
// http or https URL.
func originOf(target *url.URL) (*url.URL, error) {
	if target == nil || target.Host == "" || target.Hostname() == "" {
		return nil, errInvalidTarget
	}
	scheme := strings.ToLower(target.Scheme)
	if scheme != "http" && scheme != "https" {
		return nil, errInvalidTarget
	}
	return &url.URL{Scheme: scheme, Host: strings.ToLower(target.Host)}, nil
}

type textError string

func (e textError) Error() string { return string(e) }

const errInvalidTarget = textError("invalid target URL")

// resolve reads raw as an absolute http(s) URL, or as a path on origin.
func resolve(raw string, origin *url.URL) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, err
	}
	if u.IsAbs() {
		if s := strings.ToLower(u.Scheme); (s != "http" && s != "https") || u.Hostname() == "" {
			return nil, textError("not an http or https URL")
		}
		u.User = nil
		u.Fragment = ""
		return u, nil
	}
	if u.Host != "" || u.Opaque != "" {
		return nil, textError("not a path")
	}
	ref := &url.URL{Path: u.Path, RawQuery: u.RawQuery}
	if !strings.HasPrefix(ref.Path, "/") {
		ref.Path = "/" + ref.Path
	}
	return origin.ResolveReference(ref), nil
}

// statusEndpoints turns [Config.StatusPageURL] into the documents to fetch.
func statusEndpoints(raw, kind string, origin *url.URL, selecting bool) ([]*url.URL, error) {
	u, err := resolve(raw, origin)
	if err != nil {
		return nil, textError("invalid status page URL")
	}
	base := strings.TrimRight(u.Path, "/")
	lower := strings.ToLower(base)
	if strings.HasSuffix(lower, ".json") {
		return []*url.URL{u}, nil
	}
	for _, api := range []string{"/api/status", "/api/schedules", "/api/components", "/api/incidents"} {
		if strings.HasSuffix(lower, api) {
			return []*url.URL{u}, nil
		}
	}
	at := func(p, query string) *url.URL {
		v := *u
		v.Path, v.RawPath, v.RawQuery = base+p, "", query
		if query == "" {
			v.RawQuery = u.RawQuery
		}
		return &v
	}
	switch kind {
	case "", KindStatuspage:
		return []*url.URL{at("/api/v2/summary.json", "")}, nil
	case KindInstatus:
		return []*url.URL{at("/summary.json", "")}, nil
	case KindCachet:
		urls := []*url.URL{at("/api/status", ""), at("/api/schedules", "per_page=100")}
		if selecting {
			urls = append(urls, at("/api/components", "per_page=100"))
		}
		return urls, nil
	}
	return nil, textError(fmt.Sprintf("unknown status page kind %q (want statuspage, cachet or instatus)", clean(kind)))
}

func samePath(a, b string) bool {
	clean := func(s string) string {
		if s == "" {
			return "/"
		}
		return path.Clean(s)
	}
	return clean(a) == clean(b)
}

// canonicalHeader copies h with every name in canonical form, so that the
// redirect policy's Header.Del finds "authorization" as surely as
// "Authorization" and no credential follows a redirect off the origin.
func canonicalHeader(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		ck := http.CanonicalHeaderKey(k)
		out[ck] = append(out[ck], vs...)
	}
	return out
}
