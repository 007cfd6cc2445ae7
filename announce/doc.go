// Package announce is the service's side of downfor: net/http middleware
// that announces planned maintenance the way the protocol in
// docs/protocol.md asks, so that clients can tell it from an outage.
//
//	var sw announce.Switch // the zero value works: no maintenance
//	http.ListenAndServe(addr, sw.Handler(app))
//	...
//	sw.Start(time.Now().Add(30*time.Minute), "Upgrading the database.")
//	...
//	sw.End()
//
// While maintenance is on, every request gets a 503 with Retry-After (the
// remaining window, never under a minute; none when the end is unknown),
// Cache-Control: no-store, and a body in the form the client accepts:
// JSON {"maintenance": true, "until": ..., "message": ...} for API clients
// and clients that state no preference, an HTML page for browsers, plain
// text otherwise. The well-known probe, GET /down-for-maintenance, answers
// 200 with that JSON during maintenance and 404 otherwise.
//
// Maintenance can be switched from code ([Switch.Start], [Switch.End]) or
// from a flag file ([Switch.FlagFile]) that is noticed without a restart.
// Operators can see the service as usual during maintenance, to check it
// before reopening: from networks in [Switch.Bypass], or with a secret
// ([Switch.Secret]) sent as a header or set as a cookie by visiting
// /SECRET. [Switch.HealthHandler] reports maintenance apart from failure
// to monitoring on allowed addresses.
//
// The package uses only the standard library. A [Switch] is safe for
// concurrent use.
package announce
