// Package classify tells what an HTTP response, or the error of a request
// that got none, says about a service: a [Verdict] with one [Class] (ok,
// client_error, throttled, maintenance, malfunction or network) and the
// [Evidence] that explains it. It is pure: no I/O beyond peeking at a body
// it is handed, whose bytes it puts back.
//
//	resp, err := http.Get(url)
//	if err != nil {
//		v := classify.Error(err) // network: dns, refused, reset, timeout, tls...
//		...
//	}
//	v := classify.Response(resp, time.Now(), nil)
//	if v.Class == classify.Maintenance {
//		wait, ok := v.Wait(time.Now()) // what Retry-After and "until" asked for
//		...
//	}
//
// [Combine] adds what out-of-band sources say (package probe reads them),
// a [Rule] adds a service's own signal, and [ParseRetryAfter] reads the
// header alone. Precision comes first: maintenance needs a deliberate
// signal from the service's operator, and where signals conflict the loud
// class wins. The rules are those of docs/protocol.md (C1 to C5,
// https://github.com/downfor/downfor/blob/main/docs/protocol.md);
// [Observe] and [Combine] state them in full.
//
// Everything in this package is safe for concurrent use.
package classify
