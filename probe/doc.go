// Package probe asks the sources that tell a service stopped for
// maintenance from a crashed one, when the service's own answer cannot:
// the well-known probe URL ({origin}/down-for-maintenance), a health
// endpoint and a status page (Atlassian Statuspage, Cachet, Instatus).
// Each answer becomes [classify.Evidence], which [classify.Combine] weighs
// against the service's own answer:
//
//	p := probe.New(probe.Config{HealthURL: "/health", StatusPageURL: "https://status.example.com"})
//	v := classify.Combine(classify.Response(resp, now, nil), now, p.Check(ctx, target)...)
//
// [ParseProbe], [ParseHealth] and [ParseStatusPage] are pure and say what
// each answer means. A [Prober] makes the requests: each bounded in time
// and size, kept on the service's origin unless you name another host,
// cached for a few seconds and shared by concurrent callers, so that a
// thousand goroutines checking during one window cost one request per
// source. A broken, slow or hostile source only ever yields evidence of
// strength [classify.None] saying why. What the sources mean to a client
// is in docs/protocol.md (P6 to P8 and C4,
// https://github.com/downfor/downfor/blob/main/docs/protocol.md).
package probe
