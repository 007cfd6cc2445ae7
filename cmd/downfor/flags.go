package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
)

// Defaults shared by check, wait and run.
const (
	defaultCheckTimeout = 10 * time.Second
	defaultProbePath    = "/down-for-maintenance"
	defaultHealthPath   = "/health"
	defaultStatusPath   = "/api/v2/summary.json"
	// disabled is the value of --health and --status-page that turns the
	// source off.
	disabled = "none"
	// maxRedirects bounds the redirects a check follows (client.Config's
	// MaxRedirects); past it the service is malfunctioning (a redirect
	// loop).
	maxRedirects = 10
	// exitInterrupted is the exit code of check and wait when downfor is
	// interrupted (SIGINT or SIGTERM): 128 + SIGINT, as shells report it.
	exitInterrupted = 130
)

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ", ") }

func (l *listFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// usageError is a mistake in the command line or the environment. Its
// message says what is valid; commands print it and exit 64.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// command is the plumbing every subcommand shares: a flag set that never
// prints or exits by itself, and a usage text for --help.
type command struct {
	name   string // "check"
	usage  string // the text before the flags
	fs     *flag.FlagSet
	stdout io.Writer
	stderr io.Writer
}

func newCommand(name, usage string, stdout, stderr io.Writer) *command {
	fs := flag.NewFlagSet("downfor "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &command{name: name, usage: usage, fs: fs, stdout: stdout, stderr: stderr}
}

// printUsage writes the command's help: its text, then its flags.
func (c *command) printUsage(w io.Writer) {
	if fc, ok := w.(flagCollector); ok { // completion.go: the flags the help shows
		fc.collect(c.name, c.fs)
		return
	}
	fmt.Fprint(w, c.usage)
	fmt.Fprintln(w, "\nFlags:")
	var b strings.Builder
	c.fs.SetOutput(&b)
	c.fs.PrintDefaults()
	c.fs.SetOutput(io.Discard)
	// Show flags as the docs write them, with two dashes (one works too).
	fmt.Fprint(w, strings.ReplaceAll("\n"+b.String(), "\n  -", "\n  --")[1:])
}

// parse parses args. With interspersed, flags may follow positional
// arguments ("check URL --json") until a "--"; otherwise parsing stops at
// the first positional argument. It returns the positional arguments, and
// done with an exit code when the command must end now: 0 after --help,
// 64 after a usage error (reported on stderr).
func (c *command) parse(args []string, interspersed bool) (pos []string, code int, done bool) {
	for {
		err := c.fs.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage(c.stdout)
			return nil, exitOK, true
		}
		if err != nil {
			return nil, c.fail(err), true
		}
		rest := c.fs.Args()
		if !interspersed || len(rest) == 0 {
			return append(pos, rest...), 0, false
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), 0, false
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// setFlags returns the names of the flags given on the command line.
func (c *command) setFlags() map[string]bool {
	set := map[string]bool{}
	c.fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// fail reports a usage error and returns the exit code for it.
func (c *command) fail(err error) int {
	fmt.Fprintf(c.stderr, "downfor %s: %v\nRun 'downfor %s --help' for usage.\n", c.name, err, c.name)
	return exitUsage
}

// durationValue parses a duration from the environment, or returns def
// when the variable is unset or empty.
func envDuration(name, value string, def time.Duration) (time.Duration, error) {
	if value == "" {
		return def, nil
	}
	d, err := time.ParseDuration(value)
	if err != nil || d < 0 {
		return 0, usagef("%s=%q is not a duration (write it like 10s, 1m30s)", name, value)
	}
	return d, nil
}

// serviceFlags are the flags of check, wait and run that say how to look
// at the service.
type serviceFlags struct {
	timeout    time.Duration // for one check
	probePath  string
	health     string
	statusPage string
	components listFlag
	headers    listFlag
	rules      listFlag
	// timeoutFlag names the flag of timeout: "timeout" (check) or
	// "check-timeout" (wait, run).
	timeoutFlag string
	// always consults the out-of-band sources even when the service
	// answers ok, to see upcoming maintenances (run --window-margin).
	always bool
	strict bool
	html   bool
	method string
	tls    tlsFlags // --cacert, --cert, --key, --insecure (tlsflags.go)
}

// register adds the service flags to fs. timeoutFlag names the flag that
// bounds one check: "timeout" for check, "check-timeout" for wait and run,
// where --timeout means something else. DOWNFOR_TIMEOUT is its default.
func (f *serviceFlags) register(fs *flag.FlagSet, env environment, timeoutFlag string) error {
	def, err := envDuration("DOWNFOR_TIMEOUT", env.Timeout, defaultCheckTimeout)
	if err != nil {
		return err
	}
	probePath := defaultProbePath
	if env.HasProbe {
		probePath = env.ProbePath
	}
	f.timeoutFlag = timeoutFlag
	fs.DurationVar(&f.timeout, timeoutFlag, def, "bound on one check of the service: its response and then, in parallel, the probe, health endpoint and status page (env DOWNFOR_TIMEOUT)")
	fs.StringVar(&f.probePath, "probe-path", probePath, "`PATH` of the well-known maintenance probe, on the service's origin; empty disables it (env DOWNFOR_PROBE_PATH)")
	fs.StringVar(&f.health, "health", env.Health, "health endpoint `URL` (or a path on the service's origin); default "+defaultHealthPath+` on the service's origin; "none" disables it (env DOWNFOR_HEALTH)`)
	fs.StringVar(&f.statusPage, "status-page", env.StatusPage, "status page `URL` (a Statuspage page URL or a .json URL, or a path); default "+defaultStatusPath+` on the service's origin; "none" disables it (env DOWNFOR_STATUS_PAGE)`)
	fs.Var(&f.components, "component", "only this status-page component `NAME` counts (repeatable)")
	fs.Var(&f.headers, "header", "request `HEADER` 'Name: value', sent to the service's origin only (repeatable)")
	fs.Var(&f.rules, "rule", "custom signal `RULE`, such as 'header:StatusHeader=maintenance window' or 'json:meta.code=MAINTENANCE' (repeatable)")
	fs.BoolVar(&f.strict, "strict", false, "treat implied maintenance (503 + Retry-After, a message) as malfunction")
	fs.BoolVar(&f.html, "html", false, "also read HTML page titles and headings on a 503 or a 200 (weak: off by default)")
	fs.StringVar(&f.method, "method", http.MethodGet, "request `METHOD`, such as POST to check whether writes are accepted")
	f.tls.register(fs)
	return nil
}

// targetURL checks a service URL given on the command line; what names
// where it was given ("--url", "the URL"), for the error. A mistake here is
// the user's, never the service's: it is a usage error, found before
// anything is sent.
func targetURL(what, raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // url.Error repeats the URL, credentials included
		}
		return nil, usagef("%s: cannot read it as a URL: %v (write it like https://api.example.com/v1/status)", what, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" || u.Hostname() == "" {
		return nil, usagef("%s %q is not an http or https URL with a host (write it like https://api.example.com/v1/status)", what, redactURL(u))
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, usagef("%s %q: invalid port %q (want 1 to 65535)", what, redactURL(u), p)
		}
	}
	return u, nil
}

// parseHeader reads "Name: value".
func parseHeader(s string) (name, value string, err error) {
	name, value, found := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !found || name == "" || !validHeaderName(name) {
		return "", "", usagef("--header %q: want 'Name: value', such as 'Authorization: Bearer TOKEN'", printable(s))
	}
	value = strings.TrimSpace(value)
	if !validHeaderValue(value) {
		return "", "", usagef("--header %s: the value holds a control character (a line break?), which HTTP does not allow", name)
	}
	return http.CanonicalHeaderKey(name), value, nil
}

func validHeaderName(s string) bool {
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether net/http would send s as a header
// value: no control character but horizontal tab (RFC 9110 section 5.5).
func validHeaderValue(s string) bool {
	for i := 0; i < len(s); i++ {
		if b := s[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// secrets returns the values downfor must never write: those of the
// --header options named like credentials (Authorization, Cookie,
// X-Api-Key, Private-Token...) and the credentials of --health and
// --status-page.
func (f *serviceFlags) secrets() (values []string, urls []*url.URL) {
	for _, h := range f.headers {
		name, v, found := strings.Cut(h, ":")
		if !found || !(secretParam(name) || strings.Contains(strings.ToLower(name), "cookie")) {
			continue // Accept, Content-Type...: not secret, and redacting them would garble output
		}
		v = strings.TrimSpace(v)
		values = append(values, v)
		// "Bearer TOKEN", "Basic BASE64": the credential alone too.
		if f := strings.Fields(v); len(f) > 1 {
			values = append(values, f[len(f)-1])
		}
	}
	for _, raw := range []string{f.health, f.statusPage} {
		if u, err := url.Parse(strings.TrimSpace(raw)); err == nil {
			urls = append(urls, u)
		}
	}
	return values, urls
}

// sourceURL resolves the value of --health or --status-page: empty means
// the default path on the service's origin, "none" disables the source.
func sourceURL(flagName, value, def string) (string, error) {
	switch v := strings.TrimSpace(value); {
	case v == "":
		return def, nil
	case strings.EqualFold(v, disabled):
		return "", nil
	case strings.HasPrefix(v, "/"):
		return v, nil
	default:
		if _, err := targetURL(flagName, v); err != nil {
			return "", usagef("%s: want an http(s) URL, a path on the service's origin, or none (%v)", flagName, err)
		}
		return v, nil
	}
}

// parseSize reads a size such as 1048576, 64KiB or 1MiB (K, KB, KiB all
// mean 1024 bytes).
func parseSize(s string) (int, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, unit := t[:i], strings.ToLower(strings.TrimSpace(t[i:]))
	n, err := strconv.ParseInt(num, 10, 64)
	var mult int64
	switch unit {
	case "", "b":
		mult = 1
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	}
	if err != nil || n < 0 || mult == 0 || n > (1<<40)/mult {
		return 0, usagef("--buffer %q: want a size such as 65536, 64KiB or 1MiB", s)
	}
	return int(n * mult), nil
}

// request is what the service flags say to send to the service, and how
// to judge the answer: the request's method and header, and the
// client.Config of the one check-once path (client.Client.CheckRequest).
type request struct {
	method string
	header http.Header
	config client.Config
}

// request builds, from the flags, the request and the client.Config that
// check, wait and run share: nothing is re-derived from them elsewhere.
// rt, if not nil, carries every request (the demo's in-memory server).
func (f *serviceFlags) request(rt http.RoundTripper) (request, error) {
	if f.timeout <= 0 {
		return request{}, usagef("--%s %s: must be positive, such as 10s", f.timeoutFlag, f.timeout)
	}
	method := strings.ToUpper(strings.TrimSpace(f.method))
	if method == "" || !validHeaderName(method) {
		return request{}, usagef("--method %q is not an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE...)", f.method)
	}
	header := make(http.Header)
	var sensitive []string
	for _, h := range f.headers {
		name, value, err := parseHeader(h)
		if err != nil {
			return request{}, err
		}
		header.Add(name, value)
		// Whatever the user sends is theirs: none of it follows a
		// redirect to another origin.
		sensitive = append(sensitive, name)
	}
	opts := classify.Options{HTMLTitle: f.html}
	for _, r := range f.rules {
		rule, err := classify.ParseRule(r)
		if pe := (*classify.ParseError)(nil); errors.As(err, &pe) {
			return request{}, usagef("--rule %q: %s", pe.Input, pe.Reason)
		}
		opts.Rules = append(opts.Rules, rule)
	}
	pcfg := probe.Config{
		Timeout:    f.timeout,
		CacheFor:   -1, // every check looks afresh; wait paces its own polls
		ProbePath:  f.probePath,
		Components: f.components,
		Header:     header,
	}
	if f.probePath == "" {
		pcfg.DisableProbe = true
	} else if !strings.HasPrefix(f.probePath, "/") {
		return request{}, usagef("--probe-path %q must start with / (or be empty to disable the probe)", f.probePath)
	}
	var err error
	if pcfg.HealthURL, err = sourceURL("--health", f.health, defaultHealthPath); err != nil {
		return request{}, err
	}
	if pcfg.StatusPageURL, err = sourceURL("--status-page", f.statusPage, defaultStatusPath); err != nil {
		return request{}, err
	}
	if rt == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		if tr.TLSClientConfig, err = f.tls.config(); err != nil { // nil: the transport's defaults
			return request{}, err
		}
		rt = tr
	}
	ua := userAgent()
	if header.Get("User-Agent") == "" {
		header.Set("User-Agent", ua)
	}
	// The sources get downfor's User-Agent too, on any origin (the
	// service's own gets the header above). Their requests are bounded by
	// pcfg.Timeout alone.
	pcfg.Client = &http.Client{Transport: uaTransport{rt: rt, ua: ua}}
	return request{method: method, header: header, config: client.Config{
		Strict:           f.strict,
		AlwaysConsult:    f.always,
		Classify:         opts,
		Probe:            pcfg,
		SensitiveHeaders: sensitive,
		AttemptTimeout:   f.timeout,
		MaxRedirects:     maxRedirects,
		Transport:        rt,
	}}, nil
}
