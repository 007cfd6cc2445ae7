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
// # What counts, and what does not
//
// Precision first: a false maintenance silences the alert for a real
// outage, so maintenance needs a deliberate signal from the service's
// operator, and where signals conflict the loud class wins.
//
//   - Explicit maintenance: a JSON flag ({"maintenance": true}, also 1 or
//     "true"; OSF's meta.maintenance_mode, "status": "maintenance",
//     Spring's OUT_OF_SERVICE), an error code that names the state
//     (GOV.UK Notify's PlannedMaintenanceError, MAINTENANCE_MODE), a
//     product's own switch from the fingerprint table (Nextcloud's
//     X-Nextcloud-Maintenance-Mode, MediaWiki's readonly error, the maintenance pages of WordPress, Drupal, Magento
//     and Heroku), and the user's [Rule]s.
//   - Implied maintenance: a 503 with a Retry-After of [MinWindow] (60 s)
//     or more (RFC 9110 section 10.2.3); a message in a JSON, XML or short
//     plain-text error body, or in the application's own message on a
//     servlet container's error page (Jetty, Tomcat, Spring Boot's
//     Whitelabel page), that states the state ("down for / under / in
//     maintenance", "maintenance mode", "scheduled maintenance", "read-only
//     mode"); the opt-in HTML rule ([Options.HTMLTitle]).
//   - Explicit malfunction: an error-report id (Launchpad's X-Lazr-OopsId,
//     sent with Retry-After: 900 on timeouts), and a proxy's or
//     platform's own error page ([SignalProxyError]: nginx, HAProxy,
//     Varnish, Envoy, Cloudflare, Heroku, AWS, Google, Caddy, Traefik,
//     Kong...), and a product's own report that it failed
//     ([SignalVendorFault]: ClickHouse's exception code, MediaWiki's
//     automatic read-only lock while its replicas lag, Elasticsearch's
//     flood-stage block), each row citing the product's source.
//   - Throttled besides a 429: a 403 with Retry-After or with
//     X-RateLimit-Remaining: 0 (GitHub), and "slow down" error codes on a
//     400, 403 or 5xx (AWS's ThrottlingException, S3's SlowDown).
//
// Ambiguous, so the loud class wins ([SignalVendorAmbiguous], implied
// malfunction): a product's switch that the product also throws by itself
// on a fault, with the same answer (Discourse's read-only mode, which a
// PostgreSQL or Redis failover turns on too). Explicit maintenance from
// another source (the well-known probe, a status page) still wins.
//
// Not evidence, and reported with strength [None] and the reason: a
// Retry-After under a minute on a 503 ("retry hint, not a window"); the
// stock description of 503 that servers and frameworks print for every
// 503 ("...due to maintenance downtime or capacity problems"), in any
// format; "maintenance" as a noun or identifier ("could not load
// maintenance window", MaintenanceSchedulerException, a problem type
// URI); a read-only part of the service or the caller's read-only
// setting ("Table is in readonly mode", "cannot execute query in readonly
// mode", SQLite's "attempt to write a readonly database"); a sentence
// that states maintenance or read-only mode and reports a fault in the
// same breath ("Failed to enable maintenance mode", "read-only mode
// because the disk is full"); languages other than English; flags and
// messages on a 400, 404 or 422, which are about the
// request. JSON flags and messages count on a 5xx and on 403, 405, 409
// and 423 only. A bare 503 is malfunction: HAProxy, Heroku and load
// balancers send one when every backend is dead.
//
// # Ambiguity, decided
//
// Some servers cannot be told apart from their response alone, and
// classify does not guess: Laravel's "artisan down" without --retry (or
// with a retry under a minute) sends what any failing 503 sends
// (malfunction); a static maintenance page served with 200 is ok unless
// the HTML rule or a [Rule] says otherwise; a proxy's 502 in front of an
// app stopped on purpose is malfunction unless the probe or a status page
// says maintenance. A 429 stays throttled even when its message mentions
// maintenance, unless a source says so explicitly.
//
// # Reading bodies
//
// [Response] reads a body only when it may hold evidence (an error
// status, or a 2xx with JSON rules or the HTML rule), at most the peek
// limit, and puts the bytes back so the caller reads the whole original
// body afterwards, byte for byte. What it read is decoded on a copy: a
// gzip or deflate Content-Encoding the transport left undone (never
// expanded past the peek limit), a UTF-8 BOM, JSON served as text/html or
// text/plain (sniffed), XML error bodies (WebDAV's), top-level arrays. A
// malformed, truncated or huge body is evidence of nothing, never an
// error.
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
// [Combine] merges the service's own answer with out-of-band evidence. In
// order: explicit malfunction (an error-report id, a status-page incident
// that touches the service) wins, even over a 429; then explicit
// maintenance from any source, even over a 502, 504, bare 503, client
// error or network error (and over a proxy's own error page: an app
// stopped on purpose behind nginx gets nginx's 502); then a proxy's own
// error; then a user rule for another class; a failing health endpoint
// or the selected component's outage beats implied maintenance; implied
// maintenance upgrades anything but a 429. An OK answer stays OK.
// [Verdict.Strict] drops implied maintenance for callers that only trust
// explicit evidence.
//
// Everything in this package is safe for concurrent use.
package classify
