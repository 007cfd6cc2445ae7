package client

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
)

// Sentinels that [*Error] matches with errors.Is: one per class of the
// verdict, and one per action.
var (
	ErrClientError = errors.New("downfor: client error")
	ErrThrottled   = errors.New("downfor: throttled")
	ErrMaintenance = errors.New("downfor: maintenance")
	ErrMalfunction = errors.New("downfor: malfunction")
	ErrNetwork     = errors.New("downfor: network error")

	// ErrSkip matches a request that ended in [Skip].
	ErrSkip = errors.New("downfor: skip")
	// ErrAlert matches a request that ended in [Alert].
	ErrAlert = errors.New("downfor: alert")
)

// Error is how a request that ends in skip or alert fails, and how it fails
// when the caller's context ends while the client waits. Find it with
// errors.As (through the *url.Error that http.Client adds); match it with
// errors.Is against the class sentinels ([ErrMaintenance], [ErrThrottled],
// [ErrMalfunction], [ErrNetwork], [ErrClientError]), the action sentinels
// ([ErrSkip], [ErrAlert]) and, through Unwrap, the underlying error
// (context.Canceled, a transport error).
type Error struct {
	// Verdict explains the outcome: the class of the last attempt (or of
	// the last probe poll), its timing, message and evidence.
	Verdict classify.Verdict
	// Action is [Skip] or [Alert]; or [Wait] when the caller's context
	// ended during a wait (then Err holds the context's cause).
	Action Action
	// Reason says why waiting was not possible, when it was not.
	Reason string
	// Attempts is how many times the request was sent.
	Attempts int
	// Waited is how long the request waited between attempts in total.
	Waited time.Duration
	// Response is the last response, when the outcome was decided on one:
	// its status and header as received, and its body buffered in memory up
	// to [Config.ErrorBodyLimit] (ContentLength is the buffered length;
	// BodyTruncated says whether more was dropped). The original body is
	// closed, so the caller need not close this one. It is nil after a
	// transport error, or when the outcome was decided after the response
	// was discarded (a cancelled wait, a probe poll).
	Response *http.Response
	// BodyTruncated reports that Response.Body holds only the first
	// ErrorBodyLimit bytes of a longer body.
	BodyTruncated bool
	// Err is the underlying error: the transport error of the last attempt,
	// or the cause of the caller's context ending; nil otherwise.
	Err error
}

// Error describes the outcome on one line, prefixed "downfor: ".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("downfor: ")
	if e.Action == Wait && e.Err != nil {
		b.WriteString("wait interrupted")
	} else {
		b.WriteString(e.Action.String())
	}
	if e.Attempts > 0 {
		fmt.Fprintf(&b, " after %d attempt", e.Attempts)
		if e.Attempts != 1 {
			b.WriteByte('s')
		}
	}
	if e.Waited > 0 {
		fmt.Fprintf(&b, " (waited %s)", formatWait(e.Waited))
	}
	b.WriteString(": ")
	b.WriteString(e.Verdict.String())
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Timeout reports whether the request ended because something timed out:
// the underlying error says so (a deadline, an attempt's timeout), as
// [net.Error] does. It lets net/http's *url.Error, which wraps an *Error,
// report Timeout() as it would for the bare error.
func (e *Error) Timeout() bool {
	var t interface{ Timeout() bool }
	return errors.As(e.Err, &t) && t.Timeout()
}

// Unwrap returns the underlying error, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is the sentinel of the verdict's class or of
// the action.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrSkip:
		return e.Action == Skip
	case ErrAlert:
		return e.Action == Alert
	case ErrClientError:
		return e.Verdict.Class == classify.ClientError
	case ErrThrottled:
		return e.Verdict.Class == classify.Throttled
	case ErrMaintenance:
		return e.Verdict.Class == classify.Maintenance
	case ErrMalfunction:
		return e.Verdict.Class == classify.Malfunction
	case ErrNetwork:
		return e.Verdict.Class == classify.Network
	}
	return false
}
