package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/redirectloop"
	"github.com/downfor/downfor/probe"
)

const checkUsage = `Usage: downfor check [flags] URL

Classify the service at URL now: request it, read what it answered and,
unless it answered normally, ask the out-of-band sources why: the probe
(` + defaultProbePath + `), the health endpoint and the status page. Unless
told otherwise, those are looked for on the service's own origin
(` + defaultHealthPath + ` and ` + defaultStatusPath + `); --health and
--status-page name another URL, "none" disables one. --header is sent to
the service's origin only, never to another host.

Prints one line (the class, the wait the server asked for, the strongest
evidence), or with --json one object:
  {"url","class","confidence","retry_after_seconds","until","message",
   "checked_at","evidence":[{"source","signal","value","strength",...}]}

Examples:
  downfor check https://api.example.com/v1/status
  downfor check --json --status-page https://status.example.com --component API https://api.example.com/
  downfor check --method POST --header 'Authorization: Bearer TOKEN' https://gitlab.example.com/api/v4/projects

Exit codes:
  0   ok or client_error: the service answers
  75  maintenance or throttled: try later (EX_TEMPFAIL)
  69  malfunction (EX_UNAVAILABLE)
  74  network error (EX_IOERR)
  64  usage error (EX_USAGE)
  70  downfor itself failed (EX_SOFTWARE)
  130 interrupted
`

func checkCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	cmd := newCommand("check", checkUsage, stdout, stderr)
	var sf serviceFlags
	if err := sf.register(cmd.fs, env, "timeout"); err != nil {
		return cmd.fail(err)
	}
	jsonOut := cmd.fs.Bool("json", false, "print one JSON object instead of a line")
	pos, code, done := cmd.parse(args, true)
	if done {
		return code
	}
	target, c, err := serviceTarget(&sf, pos, env)
	if err != nil {
		return cmd.fail(err)
	}
	defer c.close()
	sf.tls.warn(stderr)
	v, err := c.check(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "downfor check: %v\n", err)
		return exitInterrupted
	}
	return printVerdict(stdout, stderr, target.String(), v, time.Now(), *jsonOut, useColor(stdout, env))
}

// serviceTarget reads the one positional argument (or DOWNFOR_URL) and
// builds its checker.
func serviceTarget(sf *serviceFlags, pos []string, env environment) (*url.URL, *checker, error) {
	raw := env.URL
	switch len(pos) {
	case 0:
		if raw == "" {
			return nil, nil, usagef("missing the service URL (give it as the argument, or in DOWNFOR_URL)")
		}
	case 1:
		raw = pos[0]
	default:
		return nil, nil, usagef("want one URL, got %d arguments: %q", len(pos), pos)
	}
	target, err := targetURL(raw)
	if err != nil {
		return nil, nil, err
	}
	c, err := sf.checker(target)
	if err != nil {
		return nil, nil, err
	}
	return target, c, nil
}

// printVerdict prints a verdict as check does and returns check's exit
// code for it.
func printVerdict(stdout, stderr io.Writer, target string, v classify.Verdict, now time.Time, jsonOut, color bool) int {
	if jsonOut {
		b, err := verdictJSON(target, v, now)
		if err != nil {
			fmt.Fprintf(stderr, "downfor: %v\n", err)
			return exitSoftware
		}
		b = append(b, '\n')
		if _, err := stdout.Write(b); err != nil {
			return exitSoftware
		}
		return exitCode(v.Class)
	}
	if _, err := fmt.Fprintln(stdout, humanLine(target, v, now, color)); err != nil {
		return exitSoftware
	}
	return exitCode(v.Class)
}

// checker classifies one service: a request to it, then the out-of-band
// sources when the answer is not ok. It is what check, wait, run and demo
// share. Safe for concurrent use.
type checker struct {
	target  *url.URL
	method  string
	header  http.Header // sent to the service's origin only
	opts    *classify.Options
	timeout time.Duration
	strict  bool
	// always consults the out-of-band sources even when the service
	// answers ok, to see upcoming maintenances (run --window-margin).
	always bool

	transport *http.Transport
	client    *http.Client
	prober    *probe.Prober
}

// errTooManyRedirects ends a redirect chain longer than maxRedirects.
var errTooManyRedirects = errors.New("too many redirects")

func newChecker(target *url.URL, method string, header http.Header, opts *classify.Options, timeout time.Duration, pcfg probe.Config) *checker {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	c := &checker{target: target, method: method, header: header, opts: opts, timeout: timeout, transport: tr}
	c.client = &http.Client{Transport: tr, CheckRedirect: c.checkRedirect}
	if pcfg.Client == nil {
		pcfg.Client = &http.Client{Transport: tr}
	}
	c.prober = probe.New(pcfg)
	return c
}

// checkRedirect bounds redirects and drops the user's headers on a hop to
// another origin (net/http already drops Authorization and cookies across
// domains, but not custom headers such as X-Api-Key).
func (c *checker) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return errTooManyRedirects
	}
	if !sameOrigin(req.URL, c.target) {
		for name := range c.header {
			req.Header.Del(name)
		}
	}
	return nil
}

func sameOrigin(a, b *url.URL) bool {
	return a.Scheme == b.Scheme && a.Hostname() == b.Hostname() && originPort(a) == originPort(b)
}

func originPort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// close releases idle connections.
func (c *checker) close() { c.transport.CloseIdleConnections() }

// check classifies the service now. It fails only when ctx ends: an
// interruption is not evidence about the service.
func (c *checker) check(ctx context.Context) (classify.Verdict, error) {
	v := c.request(ctx)
	if err := context.Cause(ctx); err != nil {
		return classify.Verdict{}, err
	}
	if v.Class != classify.OK || c.always {
		extra := c.prober.Check(ctx, c.target)
		if err := context.Cause(ctx); err != nil {
			return classify.Verdict{}, err
		}
		v = classify.Combine(v, time.Now(), extra...)
	}
	if c.strict {
		v = v.Strict()
	}
	return v, nil
}

// request asks the service itself, within the check timeout, and
// classifies its answer.
func (c *checker) request(ctx context.Context) classify.Verdict {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, c.method, c.target.String(), nil)
	if err != nil {
		return classify.Error(err)
	}
	for name, values := range c.header {
		req.Header[name] = append([]string(nil), values...)
	}
	if host := req.Header.Get("Host"); host != "" {
		req.Host = host
	}
	resp, err := c.client.Do(req)
	if errors.Is(err, errTooManyRedirects) && resp != nil {
		return redirectloop.Verdict(classify.Response(resp, time.Now(), c.opts), maxRedirects)
	}
	if err != nil {
		return classify.Error(err)
	}
	defer resp.Body.Close()
	v := classify.Response(resp, time.Now(), c.opts)
	// Read (a bounded part of) the body too: a service that sends its
	// headers and then never its body has not answered.
	if _, err := io.Copy(io.Discard, io.LimitReader(resp.Body, bodyLimit)); err != nil {
		nv := classify.Error(fmt.Errorf("reading the body: %w", err))
		nv.Evidence = append(v.Evidence[:len(v.Evidence):len(v.Evidence)], nv.Evidence...)
		return nv
	}
	return v
}
