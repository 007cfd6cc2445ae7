package classify

import "fmt"

// ParseError is the error of [ParseRule], [ParseClass] and the
// UnmarshalText methods: what did not parse, and why. Find it with
// [errors.As] to report the reason in your own words.
type ParseError struct {
	// What was being parsed: "rule", "class" or "strength".
	What string
	// Input is the text that did not parse.
	Input string
	// Reason says what is wrong with it, such as
	// `invalid header name "X Y"`.
	Reason string
}

// Error returns `downfor: rule "INPUT": REASON`, or the same for a class
// or a strength.
func (e *ParseError) Error() string {
	return fmt.Sprintf("downfor: %s %q: %s", e.What, e.Input, e.Reason)
}
