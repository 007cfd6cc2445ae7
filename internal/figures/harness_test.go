package figures

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"
	"go.uber.org/goleak"

	"github.com/downfor/downfor/internal/memrt"
)

// Environment read by this package, in one place (figuresEnabled and
// childCase): DOWNFOR_FIGURES=1 turns TestFigures on like -figures, and
// DOWNFOR_FIGURES_CHILD and DOWNFOR_FIGURES_CASE name the group and the
// case of the scenario a child process runs.
const (
	envFigures = "DOWNFOR_FIGURES"
	envChild   = "DOWNFOR_FIGURES_CHILD"
	envCase    = "DOWNFOR_FIGURES_CASE"
	figuresArg = "figures"
	// childMarker starts each line of a child's output that carries a
	// result, as JSON.
	childMarker = "FIGURE-JSON "
)

func TestMain(m *testing.M) {
	// Registered here rather than in a package variable: the flag is
	// looked up by name where it is read (figuresEnabled).
	flag.Bool(figuresArg, false, "run TestFigures: print every figure as a table")
	goleak.VerifyTestMain(m)
}

// figuresEnabled reports whether TestFigures should run: -figures or
// DOWNFOR_FIGURES=1.
func figuresEnabled() bool {
	if f := flag.Lookup(figuresArg); f != nil {
		if g, ok := f.Value.(flag.Getter); ok {
			if on, _ := g.Get().(bool); on {
				return true
			}
		}
	}
	return os.Getenv(envFigures) == "1"
}

// childCase is the group and the case a child process was started to
// run, or "" and "".
func childCase() (group, name string) { return os.Getenv(envChild), os.Getenv(envCase) }

// TestFigureChild is the child side of [runChild]: it runs one case of a
// group of virtual-time scenarios and prints its result as a marked JSON
// line. Without DOWNFOR_FIGURES_CHILD it is skipped.
func TestFigureChild(t *testing.T) {
	group, name := childCase()
	if group == "" {
		t.Skip("runs only as the child of a benchmark (" + envChild + ")")
	}
	only := func(c string) bool { return c == name }
	var results []any
	switch group {
	case groupWindow:
		for _, r := range runWindows(t, only) {
			results = append(results, r)
		}
	case groupFleet:
		for _, r := range runFleets(t, only) {
			results = append(results, r)
		}
	case groupProbe:
		for _, r := range runProbeSharing(t, only) {
			results = append(results, r)
		}
	case groupUnannounced:
		for _, r := range runUnannouncedAll(t, only) {
			results = append(results, r)
		}
	default:
		t.Fatalf("unknown group %q", group)
	}
	for _, r := range results {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%s%s\n", childMarker, line)
	}
}

// Groups of scenarios a child runs.
const (
	groupWindow = "window"
	groupFleet  = "fleet"
	groupProbe  = "probe"

	groupUnannounced = "unannounced"
)

// every selects every case.
func every(string) bool { return true }

// runChild re-runs this test binary as a child that runs one case of
// group in a synctest bubble (which needs a *testing.T, which a benchmark
// lacks), and decodes its result.
func runChild[T any](b *testing.B, group, name string) T {
	b.Helper()
	cmd := exec.CommandContext(b.Context(), os.Args[0], "-test.run=^TestFigureChild$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), envChild+"="+group, envCase+"="+name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		b.Fatalf("child %s: %v\n%s%s", group, err, out, stderr.Bytes())
	}
	var results []T
	for line := range strings.Lines(string(out)) {
		js, ok := strings.CutPrefix(line, childMarker)
		if !ok {
			continue
		}
		var r T
		if err := json.Unmarshal([]byte(js), &r); err != nil {
			b.Fatalf("child %s: %v in %q", group, err, js)
		}
		results = append(results, r)
	}
	if len(results) != 1 {
		b.Fatalf("child %s %s printed %d results, want 1:\n%s%s", group, name, len(results), out, stderr.Bytes())
	}
	return results[0]
}

// benchChild makes b report the metrics of one case measured in a child
// process (see [runChild]). The child runs once per -count: the first call
// of b's function in each count is the one with b.N == 1; the calls of the
// framework's ramp that follow report the same result again. b times no
// work, and its ns/op, which would mean nothing, is suppressed.
func benchChild[T any](b *testing.B, group, name string, last *T, metrics func(T) map[string]float64) {
	b.Helper()
	if b.N == 1 {
		*last = runChild[T](b, group, name)
	}
	b.ReportMetric(0, "ns/op")
	for unit, v := range metrics(*last) {
		b.ReportMetric(v, unit)
	}
}

// memTransport serves each request in memory (package memrt), in the
// caller's goroutine, so it can run inside a testing/synctest bubble. The
// whole response is buffered, so it suits small bodies only.
type memTransport struct{ h http.Handler }

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return memrt.Transport{Handler: t.h, RemoteAddr: "192.0.2.1:40000"}.RoundTrip(req)
}

// getter is one way of sending a GET with its retries, as a client library
// does it; get returns once the library gives the response to its caller
// or gives up.
type getter interface {
	get(ctx context.Context, url string) (status int, err error)
}

// finish reads a response the way a caller does: the whole body, then
// Close.
func finish(resp *http.Response) int {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// stdGetter sends the request with an *http.Client: bare net/http, or
// anything that wraps a RoundTripper into one.
type stdGetter struct{ c *http.Client }

func (g stdGetter) get(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := g.c.Do(req)
	if err != nil {
		return 0, err
	}
	return finish(resp), nil
}

// newRetryable is go-retryablehttp's default client (RetryMax 4, waits
// 1 s..30 s, DefaultRetryPolicy, DefaultBackoff, which honours Retry-After
// on 429 and 503) without its logger, sending through rt, or through its
// own pooled transport when rt is nil.
func newRetryable(rt http.RoundTripper) *retryablehttp.Client {
	c := retryablehttp.NewClient()
	c.Logger = nil
	if rt != nil {
		c.HTTPClient = &http.Client{Transport: rt}
	}
	return c
}

// retryableGetter uses go-retryablehttp's own Do.
type retryableGetter struct{ c *retryablehttp.Client }

func (g retryableGetter) get(ctx context.Context, url string) (int, error) {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	resp, err := g.c.Do(req)
	if err != nil {
		return 0, err
	}
	return finish(resp), nil
}

// errServer is the naive loop's reason to retry: any 5xx.
var errServer = errors.New("server error")

// naiveGetter is the loop people write by hand: cenkalti/backoff's
// ExponentialBackOff with its defaults (500 ms, x1.5, +-50 %, at most 60 s
// apart, for at most 15 minutes) around a GET, retrying on any 5xx or
// transport error and ignoring Retry-After.
type naiveGetter struct{ c *http.Client }

func (g naiveGetter) get(ctx context.Context, url string) (int, error) {
	var status int
	op := func() error {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return backoff.Permanent(err)
		}
		resp, err := g.c.Do(req)
		if err != nil {
			return err
		}
		status = finish(resp)
		if status >= 500 {
			return fmt.Errorf("%w: %d", errServer, status)
		}
		return nil
	}
	err := backoff.Retry(op, backoff.WithContext(backoff.NewExponentialBackOff(), ctx))
	return status, err
}

// describe is a short account of how a get ended and when, for tables.
func describe(status int, err error, blocked time.Duration) string {
	return outcomeText(status, err) + " after " + roundDur(blocked).String()
}

// outcomeText is a short account of how a get ended: the status, or the
// error (abridged).
func outcomeText(status int, err error) string {
	if err != nil {
		msg := err.Error()
		if len(msg) > 90 {
			msg = msg[:87] + "..."
		}
		return "error: " + msg
	}
	return fmt.Sprint(status)
}

// roundDur rounds d for display.
func roundDur(d time.Duration) time.Duration {
	switch {
	case d >= time.Minute:
		return d.Round(time.Second)
	case d >= time.Second:
		return d.Round(time.Millisecond)
	default:
		return d
	}
}

// getterFunc adapts a function to [getter].
type getterFunc func(ctx context.Context, url string) (int, error)

func (f getterFunc) get(ctx context.Context, url string) (int, error) { return f(ctx, url) }
