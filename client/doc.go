// Package client is what Go programs embed to talk to a service that may be
// down for maintenance: an [http.RoundTripper] that classifies every
// answer (package classify, with the out-of-band sources of package probe
// when the answer alone is not enough), then proceeds, waits, skips or
// alerts as its [Config] says.
//
//	c := client.New(client.Config{MaxWait: 10 * time.Minute})
//	resp, err := c.StandardClient().Get(url)
//	var de *client.Error
//	switch {
//	case errors.Is(err, client.ErrSkip):
//		return nil // maintenance: the next run will do it
//	case errors.As(err, &de):
//		return fmt.Errorf("%s: %w", de.Verdict.Class, err) // alert
//	}
//
// For an API client that takes an *http.Client, [Wrap] replaces its
// Transport, on a copy, keeping its Timeout and Jar, and running its
// CheckRedirect after the client's own credential check (see Requests).
//
// # Decisions
//
// [Config.Decide] is the single, pure decision function (the CLI uses it
// too). With the zero Config:
//
//   - ok and client_error proceed: the caller gets the response.
//   - throttled and maintenance wait as the server asked (Retry-After, or
//     an announced end) plus jitter, if that ends within [Config.MaxWait]
//     (5 minutes) and before the context's deadline; otherwise the
//     request skips at once. A wait is never silently shortened.
//   - No wait is shorter than the floor (1 s), a Retry-After of 0 or a
//     date in the past included: when less than the floor is left of
//     MaxWait, the request ends as if the wait did not fit. So a request
//     sends at most 1 + MaxWait/floor attempts, whatever the server says.
//   - maintenance with no timing at all is polled on an exponential
//     schedule between 1 s and 30 s until MaxWait, then skipped. When it
//     was the probe (or the health endpoint, or the status page) that
//     announced it, the client polls that source instead of resending the
//     request.
//   - malfunction and network errors are retried 3 times with jittered
//     exponential backoff (cenkalti/backoff), then alert.
//
// Jitter is only ever added after a server-requested time, never before it,
// and clipped so the whole wait stays within MaxWait. A request that ends
// in skip or alert returns an [*Error] carrying the [classify.Verdict]
// that explains it; errors.Is matches it against [ErrMaintenance],
// [ErrThrottled], [ErrMalfunction], [ErrNetwork], [ErrClientError],
// [ErrSkip] and [ErrAlert].
//
// # Requests
//
// The client never modifies the caller's request. Requests that are not
// idempotent (POST, PATCH) are sent once unless [Config.ReplayUnsafe] is
// set or they carry an Idempotency-Key header, and a body is only ever
// resent through http.Request.GetBody; a request that cannot be replayed
// and meets maintenance or throttling skips, a malfunction alerts,
// without a second attempt. The response the caller gets has its whole
// body, byte for byte, even after the client peeked at it. Intermediate
// responses are drained (at most 64 KiB, so the connection is reused; not
// at all when their Content-Length says more) and closed; the last response of a skip or alert is kept in
// [Error.Response], its body buffered up to 64 KiB. The client does not
// follow redirects itself: the caller's http.Client does, and a chain
// longer than [Config.MaxRedirects] is a malfunction. The http.Client of
// [Client.StandardClient] and [Wrap] has a CheckRedirect that removes the
// caller's Authorization, Proxy-Authorization, Cookie and Cookie2 headers
// from a redirect to another origin (another scheme, host or port; net/http
// alone compares host names only), before the caller's own policy, if any;
// cookies from a Jar keep their own scope. An http.Client of the caller's
// with a [Client] as its Transport keeps its own redirect policy.
// The caller's own cancellation of a first attempt is returned as it is;
// a context that ends during a wait ends it at once, with an [*Error]
// holding the last verdict and [context.Cause].
//
// # On go-retryablehttp
//
// Underneath is go-retryablehttp's retry loop, with the client's hooks.
// The client sends the first attempt itself: a 2xx that proceeds on its
// status alone (no rules, no [Config.OnVerdict], no Debug logging) goes
// back to the caller at once, with nothing allocated; any other answer
// enters the loop as its first attempt, without being sent again. In the
// loop, CheckRetry classifies and decides, PrepareRetry waits (it gets the
// request's context, which Backoff does not: after a transport error
// Backoff gets no response either, so no per-request state can reach it)
// and rewinds the body, ErrorHandler keeps the final response instead of
// dropping it, RetryMax is unbounded because the stop decision is the
// client's. Its traps are avoided: it reads Retry-After only on 429 and
// 503, in one date form (the client uses [classify.ParseRetryAfter] on
// every status); it does not cap the server's wait (MaxWait does); it
// drains 4 KiB and drops the response after the last try (the
// [Error.Response] keeps it); it loses the response and the context's
// cause on cancellation (the [*Error] keeps the verdict and the cause); and
// it closes the transport's idle connections on every error path, which
// would cost every other request in flight its keep-alive connection: the
// client hands it a transport without CloseIdleConnections.
//
// Callers with a retryablehttp.Client of their own can install
// [Client.CheckRetry], [Client.Backoff] and [Client.ErrorHandler];
// callers of cenkalti/backoff's Retry use a [BackOff].
//
// # Concurrency
//
// A [Client] is safe for concurrent use; a [BackOff] is not.
package client
