package classify

import "fmt"

// Class is what an observation of a service says about it. Every
// observation gets exactly one. The zero value is [OK].
type Class uint8

// The classes. Their string forms are part of downfor's contract: they
// appear in JSON output, logs and the mock server's mode list.
const (
	// OK: the service answered normally (2xx, 3xx).
	OK Class = iota
	// ClientError: the service is up and the request is wrong (4xx other than 429).
	ClientError
	// Throttled: the service is up and asks the caller to slow down (429).
	Throttled
	// Maintenance: the service knows it is unavailable, on purpose, for now.
	Maintenance
	// Malfunction: the service is reachable but broken and did not say it planned this.
	Malfunction
	// Network: no HTTP answer at all (DNS, refused, reset, timeout, TLS).
	Network
)

var classNames = [...]string{
	OK:          "ok",
	ClientError: "client_error",
	Throttled:   "throttled",
	Maintenance: "maintenance",
	Malfunction: "malfunction",
	Network:     "network",
}

// Classes lists every class in order, for tables and help text.
func Classes() []Class {
	return []Class{OK, ClientError, Throttled, Maintenance, Malfunction, Network}
}

// String returns the contract name, such as "client_error".
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("Class(%d)", uint8(c))
}

// MarshalText implements [encoding.TextMarshaler]. An unknown class is an error.
func (c Class) MarshalText() ([]byte, error) {
	if int(c) >= len(classNames) {
		return nil, fmt.Errorf("downfor: invalid class %d", uint8(c))
	}
	return []byte(classNames[c]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler] for the names that
// [Class.String] returns.
func (c *Class) UnmarshalText(b []byte) error {
	v, err := ParseClass(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseClass returns the class named s, as [Class.String] spells it; an
// unknown name is a [*ParseError].
func ParseClass(s string) (Class, error) {
	for i, n := range classNames {
		if n == s {
			return Class(i), nil
		}
	}
	return OK, &ParseError{What: "class", Input: s, Reason: "unknown; want one of ok, client_error, throttled, maintenance, malfunction, network"}
}

// Strength is how firmly a piece of evidence makes its point.
type Strength uint8

const (
	// None marks evidence that was read but points nowhere: a probe's 404
	// ("not announced"), an invalid Retry-After that was ignored, a health
	// endpoint that refused to answer.
	None Strength = iota
	// Implied evidence says so only by its shape, such as a 503 with a
	// Retry-After header, or a message that mentions maintenance.
	Implied
	// Explicit evidence says so in words or flags, such as
	// {"maintenance_mode":true}, a probe answering 200, or an error-report id.
	Explicit
)

var strengthNames = [...]string{None: "none", Implied: "implied", Explicit: "explicit"}

// String returns "none", "implied" or "explicit".
func (s Strength) String() string {
	if int(s) < len(strengthNames) {
		return strengthNames[s]
	}
	return fmt.Sprintf("Strength(%d)", uint8(s))
}

// MarshalText implements [encoding.TextMarshaler].
func (s Strength) MarshalText() ([]byte, error) {
	if int(s) >= len(strengthNames) {
		return nil, fmt.Errorf("downfor: invalid strength %d", uint8(s))
	}
	return []byte(strengthNames[s]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Strength) UnmarshalText(b []byte) error {
	for i, n := range strengthNames {
		if n == string(b) {
			*s = Strength(i)
			return nil
		}
	}
	return &ParseError{What: "strength", Input: string(b), Reason: "unknown; want none, implied or explicit"}
}
