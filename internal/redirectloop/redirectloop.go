// Package redirectloop gives the verdict on a chain of redirects that
// does not end, the one the client and the CLI both report.
package redirectloop

import (
	"strconv"

	"github.com/downfor/downfor/classify"
)

// Verdict returns v, the verdict on the last response of a chain of
// redirects that did not end after hops of them, as what it is: explicit
// [classify.Malfunction] (the service is reachable and broken), with
// evidence saying so. v's evidence is not modified.
func Verdict(v classify.Verdict, hops int) classify.Verdict {
	v.Class, v.Confidence = classify.Malfunction, classify.None
	ev := make([]classify.Evidence, len(v.Evidence), len(v.Evidence)+1)
	copy(ev, v.Evidence)
	v.Evidence = append(ev, classify.Evidence{
		Source: classify.SourceResponse, Signal: classify.SignalRedirectLoop,
		Value:    strconv.Itoa(hops) + " redirects in a row",
		Strength: classify.Explicit, Indicates: classify.Malfunction,
	})
	return v
}
