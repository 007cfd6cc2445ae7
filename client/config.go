package client

import (
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/peek"
	"github.com/downfor/downfor/probe"
)

// Defaults of [Config], applied wherever a field is zero; each field's doc
// states its own.
const (
	// defaultMaxWait is the longest a request waits in total when
	// [Config.MaxWait] is zero.
	defaultMaxWait = 5 * time.Minute
	// defaultRetries is how many times a malfunction or a network error is
	// retried when [Policy.Retries] is zero.
	defaultRetries = 3
	// defaultFloor is the shortest wait before another attempt when
	// [Schedule.Floor] is zero.
	defaultFloor = time.Second
	// defaultCeiling is the longest interval of the exponential schedule
	// when [Schedule.Ceiling] is zero.
	defaultCeiling = 30 * time.Second
	// defaultMultiplier is the growth of the exponential schedule when
	// [Schedule.Multiplier] is zero.
	defaultMultiplier = 2.0
	// defaultRandomization is the spread of the exponential schedule when
	// [Schedule.Randomization] is zero.
	defaultRandomization = 0.5
	// defaultJitterFraction is the share of a server-requested wait that may
	// be added as jitter when [Jitter.Fraction] is zero.
	defaultJitterFraction = 0.1
	// defaultJitterMax caps the jitter after a server-requested wait when
	// [Jitter.Max] is zero.
	defaultJitterMax = 10 * time.Second
	// defaultErrorBodyLimit is how much of the last response's body an
	// [*Error] keeps when [Config.ErrorBodyLimit] is zero: 64 KiB, as much
	// as the classifier peeks at ([peek.DefaultLimit]), so that a
	// hostile body costs no more memory than the peek.
	defaultErrorBodyLimit = peek.DefaultLimit
	// defaultMaxRedirects is how many redirects in a row make a redirect
	// loop when [Config.MaxRedirects] is zero (net/http's own limit).
	defaultMaxRedirects = 10
	// defaultAttemptTimeout bounds the wait for one attempt's response
	// headers when [Config.AttemptTimeout] is zero.
	defaultAttemptTimeout = 30 * time.Second
)

// drainLimit bounds how much of an intermediate response's body is read so
// that its connection can be reused; a longer body is closed unread and
// its connection dropped.
const drainLimit = 64 << 10

// Config configures a [Client]. The zero value is usable: every field's
// doc says what its zero value means. A Config is copied by [New] and
// [Wrap]; changing it afterwards changes nothing.
type Config struct {
	// MaxWait bounds the total time one request may spend waiting between
	// attempts (server-requested waits, jitter, backoff and polling
	// together; not the attempts themselves). A server-requested wait that
	// would bring the total past MaxWait, or end after the request
	// context's deadline, is not shortened: the request ends at once with
	// the class's [Policy.Otherwise] action (skip, by default, for
	// maintenance). No wait is shorter than [Schedule.Floor], so once less
	// than the floor is left the request ends the same way, and a request
	// sends at most 1 + MaxWait/Floor attempts (each hop of a redirect
	// chain is a request of its own). If zero, 5 minutes. If negative, the
	// client never waits.
	MaxWait time.Duration

	// On says what to do with each class. Its zero value gives the
	// documented defaults; see [Policies].
	On Policies

	// Schedule says how long to wait when the server gave no timing:
	// before retrying a malfunction or a network error, and between polls
	// of a maintenance without an announced end. See [Schedule].
	Schedule Schedule

	// Jitter spreads the ends of server-requested waits. See [Jitter].
	Jitter Jitter

	// Strict treats implied maintenance (a 503 with Retry-After, a message
	// that mentions maintenance) as the class of its status alone
	// (malfunction, for a 503), trusting only explicit evidence. See
	// [classify.Verdict.Strict]. If false, implied maintenance counts.
	Strict bool

	// Classify tunes how responses are read: rules, the peek limit, the
	// opt-in HTML rule. The zero value gives classify's defaults.
	Classify classify.Options

	// Probe configures the out-of-band sources (the well-known probe URL,
	// a health endpoint, a status page). They are consulted when the
	// answer is not ok or client_error (see [Config.AlwaysConsult]), about
	// the origin of the first request of a redirect chain, never a later
	// hop's. If Probe.Client is nil, the probe sends through the client's
	// [Config.Transport] (without retries; an *http.Transport is cloned
	// once to bound the sources' response headers at 64 KiB, and
	// [Client.CloseIdleConnections] closes the clone's idle connections
	// too). The zero value consults the well-known probe on the request's
	// own origin.
	Probe probe.Config

	// AlwaysConsult consults the out-of-band sources on every answer, ok
	// and client_error included, so that every verdict carries what they
	// say, such as a maintenance scheduled to start soon (evidence with
	// Signal [classify.SignalUpcomingMaintenance]). It costs their requests (cached for
	// Probe.CacheFor) on the happy path. If false, they are consulted on
	// every answer but ok and client_error.
	AlwaysConsult bool

	// SensitiveHeaders names request headers that carry credentials, in
	// any case, besides those always treated so: Authorization,
	// Proxy-Authorization, Cookie, Cookie2, X-Api-Key, X-Auth-Token and
	// Private-Token. The redirect policy of [Client.StandardClient], [Wrap]
	// and [Client.CheckRequest] removes them all (and Referer) from a
	// redirect that leaves the first request's origin. If empty, only the
	// headers listed above.
	SensitiveHeaders []string

	// InBandOnly disables every out-of-band source: only the response
	// itself is read, and no other request is ever sent. If false, the
	// sources of [Config.Probe] are consulted.
	InBandOnly bool

	// Transport sends each attempt. It must be safe for concurrent use. If
	// nil, a clone of [http.DefaultTransport] owned by the client. (With
	// [Wrap], the wrapped client's own transport.) An *http.Transport may
	// be cloned once to bound the attempts: see [Config.AttemptTimeout].
	Transport http.RoundTripper

	// Logger receives one record per decision that is not "proceed" (at
	// Info for waits, Warn for skips, Error for alerts) and one Debug record
	// per attempt. If nil, the client logs nothing.
	Logger *slog.Logger

	// OnVerdict, if not nil, is called once per attempt; see [VerdictHook].
	OnVerdict VerdictHook

	// ReplayUnsafe lets the client send again requests that are not
	// idempotent (POST, PATCH) as long as their body can be rewound
	// (http.Request.GetBody). If false, such a request is replayed only
	// when it carries an Idempotency-Key (or X-Idempotency-Key) header. A
	// request with a body and no GetBody is never replayed.
	ReplayUnsafe bool

	// ErrorBodyLimit bounds how many bytes of the last response's body an
	// [*Error] keeps in [Error.Response]. If zero, 64 KiB, as much as the
	// classifier peeks at, so that a hostile body costs no more memory than
	// the peek. If negative, the body is not kept.
	ErrorBodyLimit int64

	// MaxRedirects is how many redirects in a row, counted through the
	// caller's http.Client, make a redirect loop: a response that redirects
	// again after that many is classified [classify.Malfunction]. If zero,
	// 10, net/http's own limit. If negative, no loop is ever detected.
	MaxRedirects int

	// AttemptTimeout bounds how long one attempt waits for the response's
	// headers, so that a server that accepts and never answers cannot hold
	// a request past it (the attempt is then a network error of kind
	// "timeout", retried like any other). It does not bound reading the
	// body: that is the caller's, through its context or
	// http.Client.Timeout ([Client.CheckRequest], which reads the body
	// itself, bounds the whole attempt, body included). If zero, 30 s. If
	// negative, attempts are bounded only by the request's context (and
	// the transport's own settings).
	//
	// On an *http.Transport it is the transport's ResponseHeaderTimeout,
	// which costs nothing per request: a caller's transport whose own is
	// unset or looser is cloned once by [New] to set it, and the clone has
	// its own connection pool (to keep one pool, set ResponseHeaderTimeout
	// yourself, or AttemptTimeout negative; close the clone's idle
	// connections with [Client.CloseIdleConnections]). On any other
	// RoundTripper it is a context per attempt, at a few allocations each.
	AttemptTimeout time.Duration
}

// VerdictHook is called once per attempt with the caller's request (which
// it must not modify or keep), the verdict on that attempt (out-of-band
// evidence and [Config.Strict] applied) and the decision taken. It is meant
// for metrics and tracing. It runs on the request's goroutine, before the
// decision is acted on, so it must be quick and safe for concurrent use. It
// is not called when the caller's own context ended the attempt.
type VerdictHook func(req *http.Request, v classify.Verdict, d Decision)

// Policy says what to do with one class of verdict.
type Policy struct {
	// Action is the first choice. [Wait] means: wait as long as the server
	// asked (or, without timing, per [Config.Schedule]) and try again,
	// within [Config.MaxWait] and [Policy.Retries]. The zero value means
	// the class's default (see [Policies]).
	Action Action
	// Otherwise is what to do when waiting is not possible: the wait would
	// pass [Config.MaxWait] or the context's deadline, the retries are used
	// up, or the request cannot be replayed. It must be [Proceed], [Skip]
	// or [Alert]. The zero value (or Wait) means the class's default.
	Otherwise Action
	// Retries is how many times in a row this class may be retried before
	// Otherwise applies. If zero, 3 for malfunction and
	// network, and no limit but [Config.MaxWait] for throttled and
	// maintenance. If negative, none: the first such verdict gives
	// Otherwise.
	Retries int
}

// Policies holds one [Policy] per class. Zero fields give these defaults:
//
//	class         Action   Otherwise  Retries
//	ok            proceed  proceed    -
//	client_error  proceed  proceed    -
//	throttled     wait     skip       until MaxWait
//	maintenance   wait     skip       until MaxWait
//	malfunction   wait     alert      3
//	network       wait     alert      3
type Policies struct {
	OK, ClientError, Throttled, Maintenance, Malfunction, Network Policy
}

// Schedule is how long the client waits when the server gave no timing.
// A malfunction, a network error or a throttled answer is retried on an
// exponential schedule: the n-th interval in a row is Floor ×
// Multiplier^(n-1), capped at Ceiling, then spread at random over
// ±Randomization of itself (as cenkalti/backoff's ExponentialBackOff
// does), and never below Floor. A maintenance whose end nobody announced
// is polled at a tenth of how long it has lasted so far (as the client
// counts it; for [Config.Decide], since [State.Since]), between Floor
// and Ceiling, spread at random over [1-Randomization/2, 1] times that
// (never below Floor), so that a fleet does not poll in step: the client
// resumes at most a tenth of the window's length late (at least Floor, at
// most Ceiling). It polls the cheapest source that says so: the probe when
// it announced the maintenance, else the health endpoint or the status
// page, else the request itself.
type Schedule struct {
	// Floor is the first interval, and the shortest wait before any new
	// attempt, a server-requested wait of zero (Retry-After: 0, or a date
	// in the past) included. No wait is shortened below it: when less
	// than Floor is left of [Config.MaxWait] or before the context's
	// deadline, the request ends with [Policy.Otherwise] instead. If zero,
	// 1 s.
	Floor time.Duration
	// Ceiling caps the intervals (not server-requested waits, which only
	// [Config.MaxWait] bounds). If zero, 30 s.
	Ceiling time.Duration
	// Multiplier is the growth from one interval to the next. If zero (or
	// below 1), 2.
	Multiplier float64
	// Randomization spreads each interval over [1-R, 1+R] times itself.
	// If zero, 0.5. If negative, none.
	Randomization float64
}

// Jitter spreads the end of a server-requested wait (Retry-After, an
// announced end) so that a fleet does not resume all at once. Jitter is
// only ever added after the server's time, never subtracted, and is
// clipped so that the whole wait stays within [Config.MaxWait]: a
// server-requested wait that fits is never refused because of its jitter.
// The added delay is uniformly random in [0, min(Fraction × wait, Max)),
// where wait is at least [Schedule.Floor].
type Jitter struct {
	// Fraction of the wait that may be added. If zero,
	// 0.1. If negative, no jitter.
	Fraction float64
	// Max caps the added delay. If zero, 10 s.
	Max time.Duration
}

// policy returns the policy for class with defaults applied.
func (c *Config) policy(class classify.Class) Policy {
	var p Policy
	var def Policy
	switch class {
	case classify.OK:
		p, def = c.On.OK, Policy{Action: Proceed, Otherwise: Proceed}
	case classify.ClientError:
		p, def = c.On.ClientError, Policy{Action: Proceed, Otherwise: Proceed}
	case classify.Throttled:
		p, def = c.On.Throttled, Policy{Action: Wait, Otherwise: Skip, Retries: math.MaxInt}
	case classify.Maintenance:
		p, def = c.On.Maintenance, Policy{Action: Wait, Otherwise: Skip, Retries: math.MaxInt}
	case classify.Malfunction:
		p, def = c.On.Malfunction, Policy{Action: Wait, Otherwise: Alert, Retries: defaultRetries}
	default: // Network, and any class a future classify adds
		p, def = c.On.Network, Policy{Action: Wait, Otherwise: Alert, Retries: defaultRetries}
	}
	if !p.Action.valid() {
		p.Action = def.Action
	}
	if !p.Otherwise.valid() || p.Otherwise == Wait {
		p.Otherwise = def.Otherwise
	}
	switch {
	case p.Retries == 0:
		p.Retries = def.Retries
	case p.Retries < 0:
		p.Retries = 0
	}
	return p
}

func (c *Config) maxWait() time.Duration {
	if c.MaxWait == 0 {
		return defaultMaxWait
	}
	return c.MaxWait
}

func (s *Schedule) floor() time.Duration {
	if s.Floor <= 0 {
		return defaultFloor
	}
	return s.Floor
}

func (s *Schedule) ceiling() time.Duration {
	c := s.Ceiling
	if c <= 0 {
		c = defaultCeiling
	}
	return max(c, s.floor())
}

func (s *Schedule) multiplier() float64 {
	if s.Multiplier < 1 {
		return defaultMultiplier
	}
	return s.Multiplier
}

func (s *Schedule) randomization() float64 {
	switch {
	case s.Randomization == 0:
		return defaultRandomization
	case s.Randomization < 0:
		return 0
	}
	return min(s.Randomization, 1)
}

// interval returns the un-randomized n-th interval (n from 1), saturating
// at the ceiling.
func (s *Schedule) interval(n int) time.Duration {
	f := float64(s.floor()) * math.Pow(s.multiplier(), float64(max(n, 1)-1))
	if c := s.ceiling(); f >= float64(c) || math.IsNaN(f) {
		return c
	}
	return time.Duration(f)
}

// pollFraction is the share of a maintenance's length so far that the
// client waits before polling it again when nobody announced its end: the
// most it resumes late after the end, relative to the window.
const pollFraction = 0.1

// pollInterval is the wait before polling a maintenance without timing
// (see [Config.Decide]): pollFraction of how long it has lasted, between
// the floor and the ceiling, spread downward at random over
// [1 − Randomization/2, 1] times itself, never below the floor.
func (s *Schedule) pollInterval(st State) time.Duration {
	var elapsed time.Duration
	if st.Since.Before(st.Now) {
		elapsed = st.Now.Sub(st.Since)
	}
	// In floats: a huge elapsed time must not overflow.
	d := min(max(pollFraction*float64(elapsed), float64(s.floor())), float64(s.ceiling()))
	if r := s.randomization(); r > 0 && st.Rand > 0 {
		d -= r / 2 * st.Rand * d
	}
	return max(time.Duration(d), s.floor())
}

func (j *Jitter) fraction() float64 {
	switch {
	case j.Fraction == 0:
		return defaultJitterFraction
	case j.Fraction < 0:
		return 0
	}
	return j.Fraction
}

func (j *Jitter) max() time.Duration {
	if j.Max <= 0 {
		return defaultJitterMax
	}
	return j.Max
}

func (c *Config) errorBodyLimit() int64 {
	switch {
	case c.ErrorBodyLimit == 0:
		return defaultErrorBodyLimit
	case c.ErrorBodyLimit < 0:
		return 0
	}
	return c.ErrorBodyLimit
}

func (c *Config) attemptTimeout() time.Duration {
	if c.AttemptTimeout == 0 {
		return defaultAttemptTimeout
	}
	return c.AttemptTimeout
}

func (c *Config) maxRedirects() int {
	if c.MaxRedirects == 0 {
		return defaultMaxRedirects
	}
	return c.MaxRedirects
}

// Action is what the client does with a verdict. The zero value is not an
// action: in a [Policy] it means "the class's default", and it never
// appears in a [Decision].
type Action uint8

// The actions a [Policy] chooses from.
const (
	// Proceed: return the response to the caller as it is.
	Proceed Action = iota + 1
	// Wait: sleep (as the server asked, or per the backoff schedule), then
	// try again.
	Wait
	// Skip: give up quietly now; the next scheduled run will try again.
	// The request returns an [*Error] matching [ErrSkip].
	Skip
	// Alert: a human must know. The request returns an [*Error] matching
	// [ErrAlert].
	Alert
)

var actionNames = [...]string{"default", "proceed", "wait", "skip", "alert"}

func (a Action) valid() bool { return a >= Proceed && a <= Alert }

// String returns "proceed", "wait", "skip" or "alert" ("default" for the
// zero value).
func (a Action) String() string {
	if int(a) < len(actionNames) {
		return actionNames[a]
	}
	return fmt.Sprintf("Action(%d)", uint8(a))
}

// MarshalText implements [encoding.TextMarshaler] with the names of
// [Action.String]. An out-of-range action is an error.
func (a Action) MarshalText() ([]byte, error) {
	if int(a) >= len(actionNames) {
		return nil, fmt.Errorf("downfor: invalid action %d", uint8(a))
	}
	return []byte(actionNames[a]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] for the names of
// [Action.String]; "" and "default" give the zero value.
func (a *Action) UnmarshalText(b []byte) error {
	v, err := parseAction(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// parseAction returns the action named s, as [Action.String] spells it; ""
// and "default" give the zero value.
func parseAction(s string) (Action, error) {
	if s == "" {
		return 0, nil
	}
	for i, n := range actionNames {
		if n == s {
			return Action(i), nil
		}
	}
	return 0, fmt.Errorf("downfor: unknown action %q (want proceed, wait, skip or alert)", s)
}
