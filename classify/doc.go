// Package classify is downfor's vocabulary and its single brain: it turns an
// observation of a service (an HTTP response, a transport error, evidence
// from out-of-band sources) into a [Verdict] with one [Class] and the
// [Evidence] that explains it. It does no I/O of its own beyond peeking at a
// response body it is handed, and imports nothing else of downfor's.
//
// # Classes
//
// ok (2xx, 3xx), client_error (4xx but 429), throttled (429), maintenance
// (the service knows it is unavailable on purpose), malfunction (reachable
// but broken, and it did not say it planned this) and network (no HTTP
// answer at all).
//
// # Signals read from a response
//
//   - The status code gives the base class. A bare 503 is malfunction:
//     HAProxy, Heroku and load balancers send one when every backend is dead.
//   - Retry-After, as delta-seconds or any of the three HTTP-date forms
//     ([ParseRetryAfter]). On a 503 it is implied maintenance (RFC 9110
//     section 10.2.3). An invalid value is ignored and the evidence says so.
//   - JSON bodies of a 4xx or 5xx (any JSON content type, the first
//     [DefaultPeekLimit] bytes at most): explicit flags such as
//     {"meta":{"maintenance_mode":true}} (OSF), "maintenance": true,
//     "status": "maintenance" (any case), Spring's "OUT_OF_SERVICE", an
//     error code like GOV.UK Notify's "PlannedMaintenanceError"; and implied
//     ones, a message, error, detail or title that says "maintenance" or
//     "read-only mode/instance" (turnout, GitLab's read-only 403). Error
//     codes and messages count only on a 5xx or a 403, 405, 409 or 423: a
//     404 or 422 that names a maintenance window is about the request.
//   - X-Lazr-OopsId, Launchpad's error-report id, is explicit malfunction
//     and beats implied maintenance: Launchpad sends Retry-After: 900 with
//     its timeouts.
//   - The user's [Rule]s: a header or JSON field, on any status, such as
//     the Cloud Foundry maintenance app's "StatusHeader: Status: maintenance
//     window" on a 200.
//   - Opt-in ([Options.HTMLTitle]) and weak: a page title or heading saying
//     "down for maintenance". Never on by default.
//
// # Ambiguity, decided
//
// Some servers cannot be told apart from their response alone, and
// classify does not guess: Heroku's maintenance page and its application
// error page are both bare 503s with HTML (malfunction unless a probe or
// status page says otherwise); Laravel's "artisan down" without --retry
// sends a bare 503 (malfunction); a static maintenance page served with 200
// is ok unless the HTML rule is enabled. A 429 stays throttled even when
// its message mentions maintenance, unless a source says so explicitly.
//
// # Reading bodies
//
// [Response] reads a body only when it may hold evidence (never for a 2xx
// without JSON rules), at most the peek limit, and puts the bytes back so
// the caller reads the whole original body afterwards. A malformed,
// truncated or huge body is evidence of nothing, never an error.
//
// # Transport errors
//
// [Error] classifies by type (DNS, refused, reset, timeout, TLS and
// certificate failures, a response cut short), never by message text, with
// one documented exception for bytes that are not HTTP. [CallerDone] tells
// the caller's own cancellation apart: it is not evidence about the service.
//
// # Combining sources
//
// [Combine] merges the service's own answer with out-of-band evidence:
// explicit malfunction beats maintenance, explicit maintenance beats a 502,
// 504, bare 503, client error or network error, and an OK answer stays OK.
// [Verdict.Strict] drops implied maintenance for callers that only trust
// explicit evidence.
//
// Everything in this package is safe for concurrent use.
package classify
