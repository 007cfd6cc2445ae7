// Package notannounced holds the probe's "not announced" answer (its
// evidence for a 404) in one place: the probe writes it and the client
// recognises it, without comparing the probe's text from outside.
package notannounced

import "github.com/downfor/downfor/classify"

// Value is the evidence value of the probe's answer to a 404.
const Value = "404 (not announced)"

// Is reports whether e is the probe's "not announced", the one answer of
// strength None that is more than "no information".
func Is(e classify.Evidence) bool {
	return e.Source == classify.SourceProbe && e.Signal == classify.SignalProbe &&
		e.Strength == classify.None && e.Value == Value
}
