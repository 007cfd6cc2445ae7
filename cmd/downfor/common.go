package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/waitfmt"
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
	// maxRedirects bounds the redirects check follows; past it the service
	// is malfunctioning (a redirect loop).
	maxRedirects = 10
	// bodyLimit is how much of the service's body check reads (and
	// discards) after classifying, so that a body that never arrives is a
	// network failure while a huge one is not read whole.
	bodyLimit = 1 << 20
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
	strict     bool
	html       bool
	method     string
	tls        tlsFlags // --cacert, --cert, --key, --insecure (tlsflags.go)
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
	fs.DurationVar(&f.timeout, timeoutFlag, def, "bound on one check of the service: its response and then, in parallel, the probe, health endpoint and status page (env DOWNFOR_TIMEOUT)")
	fs.StringVar(&f.probePath, "probe-path", probePath, "`PATH` of the well-known maintenance probe, on the service's origin; empty disables it (env DOWNFOR_PROBE_PATH)")
	fs.StringVar(&f.health, "health", env.Health, "health endpoint `URL` (or a path on the service's origin); default "+defaultHealthPath+` on the service's origin; "none" disables it (env DOWNFOR_HEALTH)`)
	fs.StringVar(&f.statusPage, "status-page", env.StatusPage, "status page `URL` (a Statuspage page URL or a .json URL, or a path); default "+defaultStatusPath+` on the service's origin; "none" disables it (env DOWNFOR_STATUS_PAGE)`)
	fs.Var(&f.components, "component", "only this status-page component `NAME` counts (repeatable)")
	fs.Var(&f.headers, "header", "request `HEADER` 'Name: value', sent to the service's origin only (repeatable)")
	fs.Var(&f.rules, "rule", "custom signal `RULE`, such as 'header:StatusHeader=maintenance window' or 'json:meta.code=MAINTENANCE' (repeatable)")
	fs.BoolVar(&f.strict, "strict", false, "treat implied maintenance (503 + Retry-After, a message) as malfunction")
	fs.BoolVar(&f.html, "html", false, "also read HTML page titles and headings (weak: off by default)")
	fs.StringVar(&f.method, "method", http.MethodGet, "request `METHOD`, such as POST to check whether writes are accepted")
	f.tls.register(fs)
	return nil
}

// targetURL checks a service URL given on the command line.
func targetURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usagef("%q is not an http or https URL (write it like https://api.example.com/v1/status)", raw)
	}
	return u, nil
}

// parseHeader reads "Name: value".
func parseHeader(s string) (name, value string, err error) {
	name, value, found := strings.Cut(s, ":")
	name = strings.TrimSpace(name)
	if !found || name == "" || !validHeaderName(name) {
		return "", "", usagef("--header %q: want 'Name: value', such as 'Authorization: Bearer TOKEN'", s)
	}
	return http.CanonicalHeaderKey(name), strings.TrimSpace(value), nil
}

func validHeaderName(s string) bool {
	for _, r := range s {
		if r <= ' ' || r >= 0x7f || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// checker builds the checker these flags describe for target.
func (f *serviceFlags) checker(target *url.URL) (*checker, error) {
	if f.timeout <= 0 {
		return nil, usagef("the check timeout must be positive, such as 10s")
	}
	method := strings.ToUpper(strings.TrimSpace(f.method))
	if method == "" || !validHeaderName(method) {
		return nil, usagef("--method %q is not an HTTP method (GET, HEAD, POST, PUT, PATCH, DELETE...)", f.method)
	}
	header := make(http.Header)
	for _, h := range f.headers {
		name, value, err := parseHeader(h)
		if err != nil {
			return nil, err
		}
		header.Add(name, value)
	}
	opts := &classify.Options{HTMLTitle: f.html}
	for _, r := range f.rules {
		rule, err := classify.ParseRule(r)
		if pe := (*classify.ParseError)(nil); errors.As(err, &pe) {
			return nil, usagef("--rule %q: %s", pe.Input, pe.Reason)
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
		return nil, usagef("--probe-path %q must start with / (or be empty to disable the probe)", f.probePath)
	}
	var err error
	if pcfg.HealthURL, err = sourceURL("--health", f.health, defaultHealthPath); err != nil {
		return nil, err
	}
	if pcfg.StatusPageURL, err = sourceURL("--status-page", f.statusPage, defaultStatusPath); err != nil {
		return nil, err
	}
	tlsConfig, err := f.tls.config()
	if err != nil {
		return nil, err
	}
	c := newChecker(target, method, header, opts, f.timeout, pcfg)
	c.transport.TLSClientConfig = tlsConfig // nil: the transport's defaults
	c.strict = f.strict
	return c, nil
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
		if _, err := targetURL(v); err != nil {
			return "", usagef("%s %q: want an http(s) URL, a path on the service's origin, or none", flagName, value)
		}
		return v, nil
	}
}

// exitCode is the exit code of check and wait for a class (DESIGN section 5).
func exitCode(c classify.Class) int {
	switch c {
	case classify.OK, classify.ClientError:
		return exitOK
	case classify.Maintenance, classify.Throttled:
		return exitTempFail
	case classify.Malfunction:
		return exitUnavailable
	case classify.Network:
		return exitIOErr
	}
	return exitSoftware
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// useColor reports whether output to w may be coloured: only on a
// terminal, and never when NO_COLOR is set or TERM is dumb.
func useColor(w io.Writer, env environment) bool {
	return !env.NoColor && env.Term != "dumb" && isTerminal(w)
}

// colorOf is the ANSI colour of a class: green when it answers, yellow
// when it asks to wait, red when it is broken.
func colorOf(c classify.Class) string {
	switch c {
	case classify.OK, classify.ClientError:
		return "\x1b[32m"
	case classify.Maintenance, classify.Throttled:
		return "\x1b[33m"
	}
	return "\x1b[31m"
}

// classLabel is "maintenance (explicit)", or just the class.
func classLabel(v classify.Verdict, color bool) string {
	s := v.Class.String()
	if v.Class == classify.Maintenance && v.Confidence != classify.None {
		s += " (" + v.Confidence.String() + ")"
	}
	if color {
		s = colorOf(v.Class) + s + "\x1b[0m"
	}
	return s
}

// evidencePhrase describes one piece of evidence briefly, such as
// "status 503", "retry-after 120" or "probe /down-for-maintenance 200".
func evidencePhrase(e classify.Evidence) string {
	var parts []string
	if e.Source != "" && e.Source != classify.SourceResponse && e.Source != e.Signal {
		parts = append(parts, strings.ReplaceAll(e.Source, "_", " "))
	}
	parts = append(parts, e.Signal)
	if e.Value != "" {
		parts = append(parts, e.Value)
	}
	s := strings.Join(parts, " ")
	if e.Strength != classify.None && e.Indicates != classify.OK {
		s += " (" + e.Strength.String() + ")"
	}
	return s
}

// waitPhrase is "wait 2m0s (until 10:00:00Z)", or "" when the server gave
// no timing.
func waitPhrase(v classify.Verdict, now time.Time) string {
	d, ok := v.Wait(now)
	if !ok {
		return ""
	}
	s := "wait " + waitfmt.Format(roundDuration(d))
	if !v.Until.IsZero() {
		s += " (until " + v.Until.UTC().Format(time.RFC3339) + ")"
	}
	return s
}

// roundDuration rounds a wait up to whole seconds for display (a wait is
// never shown shorter than asked), or to milliseconds below a second.
func roundDuration(d time.Duration) time.Duration {
	if d > math.MaxInt64-time.Second {
		// A saturated wait (Retry-After: 99999999999, a date in 2999):
		// rounding up would overflow.
		return d
	}
	if d >= time.Second {
		if r := d % time.Second; r != 0 {
			d += time.Second - r
		}
		return d
	}
	return d.Round(time.Millisecond)
}

// humanLine is check's one line: the class, the URL, the wait and the
// strongest evidence, such as
// "maintenance (implied)  https://api.example.com/  wait 2m0s  status 503; retry-after 120 (implied)".
func humanLine(target string, v classify.Verdict, now time.Time, color bool) string {
	parts := []string{classLabel(v, color), target}
	if w := waitPhrase(v, now); w != "" {
		parts = append(parts, w)
	}
	e, ok := v.Strongest()
	if ok {
		parts = append(parts, evidencePhrase(e))
	}
	if v.Message != "" && v.Message != e.Value {
		parts = append(parts, strconv.Quote(v.Message))
	}
	return strings.Join(parts, "  ")
}

// verdictJSON is check's JSON object: the verdict's own fields (DESIGN
// section 5) with "url" first and "checked_at" last.
func verdictJSON(target string, v classify.Verdict, checkedAt time.Time) ([]byte, error) {
	body, err := v.MarshalJSON()
	if err != nil {
		return nil, err
	}
	if len(body) < 2 || body[0] != '{' || body[len(body)-1] != '}' {
		return nil, fmt.Errorf("downfor: unexpected verdict JSON %q", body)
	}
	u, _ := json.Marshal(target)
	at, _ := json.Marshal(checkedAt.UTC().Format(time.RFC3339Nano))
	out := make([]byte, 0, len(body)+len(u)+len(at)+32)
	out = append(out, `{"url":`...)
	out = append(out, u...)
	if len(body) > 2 {
		out = append(out, ',')
		out = append(out, body[1:len(body)-1]...)
	}
	out = append(out, `,"checked_at":`...)
	out = append(out, at...)
	out = append(out, '}')
	return out, nil
}
