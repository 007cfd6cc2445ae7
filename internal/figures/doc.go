// Package figures measures what downfor promises in figures, with the peers
// (bare net/http, go-retryablehttp, a naive cenkalti/backoff loop) in the
// same run. It holds only tests and benchmarks; BENCHMARKS.md at the root of
// the module shows the numbers and the command that reproduces them.
//
// The benchmarks that need virtual time (the maintenance window, the fleet,
// probe sharing) run their scenario in a testing/synctest bubble. A bubble
// needs a *testing.T, so such a benchmark re-runs this test binary once as
// a child (TestFigureChild) and reports what the child measured as custom
// metrics, with ns/op suppressed: wall-clock time means nothing there.
package figures
