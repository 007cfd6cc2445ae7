package classify

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/downfor/downfor/internal/waitfmt"
)

// Sources of evidence, as they appear in [Evidence.Source].
const (
	SourceResponse   = "response"    // the service's own HTTP response
	SourceTransport  = "transport"   // the connection, when there was no response
	SourceRule       = "rule"        // a user rule matched the response
	SourceProbe      = "probe"       // the well-known probe URL
	SourceHealth     = "health"      // a health endpoint
	SourceStatusPage = "status_page" // an out-of-band status page
)

// Signals that callers test, as they appear in [Evidence.Signal]; the
// fingerprint table's are [SignalProxyError], [SignalVendorMaintenance]
// and [SignalVendorThrottle]. [Error] names the transport's own.
const (
	SignalStatus              = "status"               // the HTTP status code
	SignalRetryAfter          = "retry-after"          // the Retry-After header, valid or not
	SignalRedirectLoop        = "redirect-loop"        // redirects that did not end
	SignalProbe               = "probe"                // the well-known probe's answer
	SignalIncident            = "incident"             // an unresolved status-page incident
	SignalUpcomingMaintenance = "upcoming-maintenance" // a status-page maintenance yet to start, with Start and Until
	SignalComponentFilter     = "component-filter"     // a selected status-page component the page does not list
)

// Evidence is one signal that was read, where it came from and what it
// said. A verdict is explained by its evidence.
type Evidence struct {
	// Source is where the signal was read: one of the Source constants.
	Source string
	// Signal names the signal, such as "status", "retry-after",
	// "json-flag", "x-lazr-oopsid", "probe", "incident".
	Signal string
	// Value is what the signal said, verbatim or abridged (at most a few
	// hundred bytes), such as "503" or "meta.maintenance_mode=true".
	Value string
	// Strength is how firmly the signal makes its point. [None] means
	// the signal was read and points nowhere.
	Strength Strength
	// Indicates is the class the signal argues for. It is meaningless
	// when Strength is None.
	Indicates Class
	// Message is human text the signal carried, if any.
	Message string
	// Start and Until bound a maintenance window the signal announced,
	// when it gave them (zero when unknown).
	Start, Until time.Time
}

// String describes the evidence in one short phrase.
func (e Evidence) String() string {
	var b strings.Builder
	// "probe 200", not "probe probe 200"; the service's own response
	// needs no label.
	if e.Source != "" && e.Source != SourceResponse && e.Source != e.Signal {
		b.WriteString(e.Source)
		b.WriteByte(' ')
	}
	b.WriteString(e.Signal)
	if e.Value != "" {
		b.WriteByte(' ')
		b.WriteString(e.Value)
	}
	if e.Strength != None {
		fmt.Fprintf(&b, " (%s %s)", e.Strength, e.Indicates)
	}
	return b.String()
}

type evidenceJSON struct {
	Source    string     `json:"source"`
	Signal    string     `json:"signal"`
	Value     string     `json:"value"`
	Strength  Strength   `json:"strength"`
	Indicates *Class     `json:"indicates,omitempty"`
	Message   string     `json:"message,omitempty"`
	Start     *time.Time `json:"start,omitempty"`
	Until     *time.Time `json:"until,omitempty"`
}

// MarshalJSON gives the form downfor writes in JSON:
// {"source","signal","value","strength"}, plus "indicates" when the
// strength is not none and "message", "start", "until" when known.
func (e Evidence) MarshalJSON() ([]byte, error) {
	j := evidenceJSON{Source: e.Source, Signal: e.Signal, Value: e.Value, Strength: e.Strength, Message: e.Message}
	if e.Strength != None {
		c := e.Indicates
		j.Indicates = &c
	}
	j.Start = timePtr(e.Start)
	j.Until = timePtr(e.Until)
	return json.Marshal(j)
}

// UnmarshalJSON reads what [Evidence.MarshalJSON] writes.
func (e *Evidence) UnmarshalJSON(b []byte) error {
	var j evidenceJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = Evidence{Source: j.Source, Signal: j.Signal, Value: j.Value, Strength: j.Strength, Message: j.Message}
	if j.Indicates != nil {
		e.Indicates = *j.Indicates
	}
	if j.Start != nil {
		e.Start = *j.Start
	}
	if j.Until != nil {
		e.Until = *j.Until
	}
	return nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// Verdict is the classification of one observation, with everything that
// explains it. The zero value is an OK verdict with no evidence.
type Verdict struct {
	// Class is the verdict.
	Class Class
	// Confidence is the strength of the maintenance evidence when Class is
	// [Maintenance] ([Implied] or [Explicit]); None otherwise.
	Confidence Strength
	// Status is the HTTP status code of the service's response, 0 when
	// there was none.
	Status int
	// RetryAfter is the wait the server requested, already clamped to be
	// non-negative; meaningful only when HasRetryAfter is true.
	RetryAfter time.Duration
	// HasRetryAfter reports whether the server sent a valid Retry-After.
	// A date in the past gives HasRetryAfter true and RetryAfter 0.
	HasRetryAfter bool
	// Until is when the service expects to be back, zero when unknown.
	Until time.Time
	// Message is human text the service gave, if any.
	Message string
	// Evidence lists every signal read, in the order it was read.
	Evidence []Evidence
}

// Wait returns how long the server asked the caller to wait from now: the
// later of RetryAfter and Until, never negative. ok is false when the
// server gave no timing at all.
func (v Verdict) Wait(now time.Time) (d time.Duration, ok bool) {
	if v.HasRetryAfter {
		d, ok = v.RetryAfter, true
	}
	if !v.Until.IsZero() {
		if u := v.Until.Sub(now); u > d {
			d = u
		}
		ok = true
	}
	if d < 0 {
		d = 0
	}
	return d, ok
}

// Strongest returns the evidence that most supports the verdict's class:
// the first explicit one for the class, else the first implied one, else
// the first piece of evidence. ok is false when there is no evidence.
func (v Verdict) Strongest() (e Evidence, ok bool) {
	best := -1
	for i, ev := range v.Evidence {
		if ev.Strength == None || ev.Indicates != v.Class {
			continue
		}
		if best < 0 || ev.Strength > v.Evidence[best].Strength {
			best = i
		}
	}
	if best >= 0 {
		return v.Evidence[best], true
	}
	if len(v.Evidence) > 0 {
		return v.Evidence[0], true
	}
	return Evidence{}, false
}

// String explains the verdict in one line, such as
// "maintenance (explicit): status 503; probe 200 (explicit maintenance)".
func (v Verdict) String() string {
	var b strings.Builder
	b.WriteString(v.Class.String())
	if v.Class == Maintenance && v.Confidence != None {
		fmt.Fprintf(&b, " (%s)", v.Confidence)
	}
	if v.HasRetryAfter {
		fmt.Fprintf(&b, ", retry after %s", waitfmt.Format(v.RetryAfter))
	}
	if !v.Until.IsZero() {
		fmt.Fprintf(&b, ", until %s", v.Until.UTC().Format(time.RFC3339))
	}
	for i, e := range v.Evidence {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(e.String())
	}
	return b.String()
}

type verdictJSON struct {
	Class             Class      `json:"class"`
	Confidence        *Strength  `json:"confidence,omitempty"`
	Status            int        `json:"status,omitempty"`
	RetryAfterSeconds *int64     `json:"retry_after_seconds,omitempty"`
	Until             *time.Time `json:"until,omitempty"`
	Message           string     `json:"message,omitempty"`
	Evidence          []Evidence `json:"evidence"`
}

// MarshalJSON gives the fields downfor writes in JSON: "class", "confidence"
// (maintenance only), "status", "retry_after_seconds" (rounded up, so
// never shorter than asked), "until", "message" and "evidence"; unknown
// values are omitted.
func (v Verdict) MarshalJSON() ([]byte, error) {
	j := verdictJSON{Class: v.Class, Status: v.Status, Message: v.Message, Evidence: v.Evidence}
	if v.Class == Maintenance && v.Confidence != None {
		c := v.Confidence
		j.Confidence = &c
	}
	if v.HasRetryAfter {
		ra := max(v.RetryAfter, 0)
		s := int64(ra / time.Second)
		if ra%time.Second != 0 {
			s++
		}
		j.RetryAfterSeconds = &s
	}
	j.Until = timePtr(v.Until)
	if j.Evidence == nil {
		j.Evidence = []Evidence{}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what [Verdict.MarshalJSON] writes.
func (v *Verdict) UnmarshalJSON(b []byte) error {
	var j verdictJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*v = Verdict{Class: j.Class, Status: j.Status, Message: j.Message, Evidence: j.Evidence}
	if j.Confidence != nil {
		v.Confidence = *j.Confidence
	}
	if j.RetryAfterSeconds != nil {
		v.HasRetryAfter = true
		v.RetryAfter = saturatingSeconds(uint64(max(*j.RetryAfterSeconds, 0)))
	}
	if j.Until != nil {
		v.Until = *j.Until
	}
	return nil
}
