package announce

import (
	"net/http"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"
)

// The protocol's names and bounds, as this package speaks them.
const (
	// ProbePath is the well-known probe's path when [Switch.ProbePath] is
	// empty.
	ProbePath = "/down-for-maintenance"
	// MinRetryAfter is the shortest Retry-After the middleware sends: a
	// shorter one reads as a retry hint (as caches and load shedders send
	// on any failure), not as a maintenance window.
	MinRetryAfter = time.Minute
	// BypassHeader is the request header that carries [Switch.Secret].
	BypassHeader = "Maintenance-Bypass"
	// BypassCookie is the cookie that visiting /SECRET sets.
	BypassCookie = "maintenance_bypass"
)

// Switch turns maintenance on and off for the handlers it wraps. The zero
// value is a usable switch that is off, with no flag file, no bypass and
// the probe at [ProbePath]. Set its fields before first use and do not
// change them afterwards; its methods are safe for concurrent use. A
// Switch must not be copied after first use.
type Switch struct {
	// FlagFile, if not empty, is the path of a flag file: while it exists
	// as a regular file (or a link to one), maintenance is on, whatever [Switch.Start] and [Switch.End] say (as
	// with nginx flag files, Laravel's storage/framework/down and
	// WordPress' .maintenance). It is noticed without a restart, within
	// [Switch.FlagCheck]. Its contents may give the end and a message: a
	// JSON object {"until": "2030-01-01T10:00:00Z", "message": "..."}
	// ("until" may also be Unix seconds), or text whose first line is an
	// RFC 3339 time and whose other lines are the message, or text that is
	// all message. An empty file means an unknown end. At most 64 KiB is
	// read. If a check fails for another reason than the file's absence
	// (a permission error), the last state seen is kept.
	FlagFile string

	// FlagCheck is how long the flag file's state is reused before the
	// file is looked at again. If zero, one second. If negative, the file
	// is looked at on every request.
	FlagCheck time.Duration

	// ProbePath is where [Switch.Handler] answers the well-known probe.
	// If empty, [ProbePath].
	ProbePath string

	// Bypass lists networks whose clients see the service as usual during
	// maintenance (the request's RemoteAddr is matched: behind a proxy,
	// set RemoteAddr from the proxy's header in a handler of your own
	// first). If nil, none.
	Bypass []netip.Prefix

	// Secret, if not empty, lets a client see the service as usual during
	// maintenance when it sends the secret in the [BypassHeader] header,
	// or carries the cookie that a visit to /SECRET sets (for twelve
	// hours, as Laravel's "artisan down --secret" does). If empty, no
	// secret bypass.
	Secret string

	mu    sync.Mutex
	code  window    // set by Start and End
	file  window    // read from FlagFile
	seen  fileStamp // the flag file as last read
	check time.Time // when the flag file was last looked at

	// The fast path reads these without the lock: while both are false
	// and the flag file was looked at recently, maintenance is off.
	codeOn, fileOn atomic.Bool
	checked        atomic.Int64 // s.check in Unix nanoseconds; 0 for never
}

// State is what a [Switch] announces at a moment.
type State struct {
	// On reports that maintenance is on.
	On bool
	// Since is when it began: the call to [Switch.Start], or the flag
	// file's modification time. Zero when off.
	Since time.Time
	// Until is the announced end, zero when unknown (or off). It may be in
	// the past when the maintenance overran it; the middleware then
	// announces an unknown end (protocol P9).
	Until time.Time
	// Message is the operator's message, empty if none was given.
	Message string
}

// window is one source's state.
type window struct {
	on      bool
	since   time.Time
	until   time.Time
	message string
}

// Start turns maintenance on until the given time, with a message for
// people (an empty one gets a default). A zero until means the end is
// unknown, and so does an until that has passed (protocol P9). Calling
// Start again while on changes the end and the message but keeps Since.
func (s *Switch) Start(until time.Time, message string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	since := s.code.since
	if !s.code.on {
		since = time.Now()
	}
	s.code = window{on: true, since: since, until: until, message: message}
	s.codeOn.Store(true)
}

// End turns off the maintenance that [Switch.Start] began. It does not
// remove the flag file: while that exists, maintenance stays on.
func (s *Switch) End() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.code = window{}
	s.codeOn.Store(false)
}

// State returns what the switch announces now: maintenance is on while
// [Switch.Start] is in force or the flag file exists. When both are, Since
// is the earlier start, Until the later end (unknown if either is), and
// Message the code's, or else the file's.
func (s *Switch) State() State {
	return s.state(time.Now())
}

func (s *Switch) state(now time.Time) State {
	if s.off(now) {
		return State{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refreshFile(now)
	a, b := s.code, s.file
	switch {
	case !a.on && !b.on:
		return State{}
	case !a.on:
		a = b
	case b.on:
		if b.since.Before(a.since) {
			a.since = b.since
		}
		if a.until.IsZero() || b.until.IsZero() {
			a.until = time.Time{}
		} else if b.until.After(a.until) {
			a.until = b.until
		}
		if a.message == "" {
			a.message = b.message
		}
	}
	return State{On: true, Since: a.since, Until: a.until, Message: a.message}
}

// off reports, without taking the lock, that maintenance is surely off
// at now: not started from code, and the flag file absent when last
// looked at, recently enough. false means "look closer".
func (s *Switch) off(now time.Time) bool {
	if s.codeOn.Load() || s.fileOn.Load() {
		return false
	}
	if s.FlagFile == "" {
		return true
	}
	c := s.checked.Load()
	age := now.UnixNano() - c
	return c != 0 && age >= 0 && age < int64(s.flagCheck())
}

func (s *Switch) probePath() string {
	if s.ProbePath == "" {
		return ProbePath
	}
	return s.ProbePath
}

// Handler returns next wrapped in the switch. While maintenance is off,
// requests go to next, except the probe path, which answers 404. While it
// is on, every request gets the maintenance answer (see the package
// documentation) unless its client bypasses maintenance; the probe path
// answers 200 with the announcement to everyone.
func (s *Switch) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == s.probePath() {
			s.serveProbe(w, r)
			return
		}
		var now time.Time
		if s.FlagFile != "" {
			now = time.Now()
		}
		if s.off(now) {
			next.ServeHTTP(w, r)
			return
		}
		now = time.Now()
		st := s.state(now)
		if !st.On {
			next.ServeHTTP(w, r)
			return
		}
		if s.Secret != "" && r.URL.Path == "/"+s.Secret {
			s.grantBypass(w, r)
			return
		}
		if s.bypassed(r) {
			next.ServeHTTP(w, r)
			return
		}
		serveMaintenance(w, r, st, now)
	})
}

// ProbeHandler returns the well-known probe on its own, for services that
// route it themselves (or serve it from another process, so that it
// answers while the application is stopped): 200 with a JSON body
// {"maintenance": true, "since": ..., "until": ..., "message": ...} during
// maintenance, 404 otherwise, for GET and HEAD; 405 for other methods.
// It ignores the request's path. [Switch.Handler] serves it already at
// [Switch.ProbePath].
func (s *Switch) ProbeHandler() http.Handler {
	return http.HandlerFunc(s.serveProbe)
}
