// Package client is what Go programs embed to talk to a service that may be
// down for maintenance: an [http.RoundTripper] that classifies every
// answer (package classify, with the out-of-band sources of package
// probe), then proceeds, waits, skips or alerts as its [Config] says.
//
//	c := client.New(client.Config{MaxWait: 10 * time.Minute})
//	resp, err := c.StandardClient().Get(url)
//	switch {
//	case errors.Is(err, client.ErrSkip):
//		return nil // maintenance: the next run will do it
//	case err != nil:
//		return err // alert: errors.As finds a *client.Error saying why
//	}
//
// [Wrap] does the same for an API client that takes an *http.Client.
// The rules it applies, and how a service announces maintenance so that
// clients can tell, are in docs/protocol.md
// (https://github.com/downfor/downfor/blob/main/docs/protocol.md).
// [Client.CheckRequest] classifies a service once, without retrying: it
// is what the downfor command is built on.
//
// # Verdicts
//
// Every answer is judged the same way, by [Client.CheckRequest] and by
// each attempt of [Client.RoundTrip], so the SDK and the CLI agree:
//
//   - The response (or the transport error) is classified by itself.
//   - Unless that says ok or client_error, the out-of-band sources of
//     [Config.Probe] (the well-known probe, a health endpoint, a status
//     page) are consulted too, on the origin of the first request of a
//     redirect chain, and [classify.Combine] weighs everything. They are
//     consulted even when the server gave timing: an incident on the
//     status page, or a health endpoint that says the service failed,
//     outweighs an implied maintenance (a 503 with a Retry-After) and a
//     short Retry-After. Their answers are cached (Probe.CacheFor), and
//     within one request a probe that said "not announced" is not asked
//     again while the service keeps saying maintenance or throttled.
//   - [Config.Strict] then distrusts implied maintenance.
//
// # Decisions
//
// [Config.Decide] is the pure decision function. With the zero Config:
//
//   - ok and client_error proceed: the caller gets the response.
//   - throttled and maintenance wait as the server asked (Retry-After, or
//     an announced end) plus jitter, if that ends within [Config.MaxWait]
//     (5 minutes) and before the context's deadline; otherwise the
//     request skips at once. A wait is never silently shortened.
//   - No wait is shorter than the floor (1 s), so a request sends at most
//     1 + MaxWait/floor attempts, whatever the server says.
//   - maintenance with no timing at all is polled at a tenth of how long
//     it has lasted so far (between 1 s and 30 s, spread at random), so
//     the client resumes at most a tenth of the window late, until
//     MaxWait, then skipped; when the probe (or another out-of-band
//     source) announced it, that source is polled instead of the request
//     being resent.
//   - malfunction and network errors are retried 3 times with jittered
//     exponential backoff, then alert.
//
// A request that ends in skip or alert returns an [*Error] carrying the
// [classify.Verdict] that explains it; errors.Is matches it against
// [ErrMaintenance], [ErrThrottled], [ErrMalfunction], [ErrNetwork],
// [ErrClientError], [ErrSkip] and [ErrAlert]. So does a request whose
// deadline (the caller's http.Client.Timeout included) passes during an
// attempt: a network timeout.
//
// # Requests
//
// The client never modifies the caller's request, resends a body only
// through http.Request.GetBody, and replays POST and PATCH only with
// [Config.ReplayUnsafe] or an Idempotency-Key header. The caller gets the
// whole body, byte for byte, even after the client peeked at it. The
// caller's http.Client follows redirects; the one of
// [Client.StandardClient] and [Wrap] keeps credentials (and
// [Config.SensitiveHeaders], and Referer) on the first request's origin.
// See [Client.RoundTrip] for the details.
//
// # Other retry loops
//
// Callers with a go-retryablehttp Client of their own give it the client's
// hooks with [Client.Install]; callers of cenkalti/backoff's Retry use a
// [BackOff].
//
// A [Client] is safe for concurrent use; a [BackOff] is not.
package client
