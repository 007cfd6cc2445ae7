// Command backoffretry shows a cenkalti/backoff retry loop that honours
// the server's own timing: client.BackOff, given to backoff.Retry in
// place of an ExponentialBackOff, waits as long as the server's
// Retry-After (or announced end) says, plus a little jitter, and falls
// back to an exponential schedule when the server gave no timing. It
// stops the loop when the wait would pass MaxWait (skip) or a malfunction
// persists (alert), and backoff.Retry then returns a *client.Error.
//
// The operation reports each attempt to the BackOff with Observe, which
// classifies it: nil means "use the response"; an error means "retry" or,
// wrapped in backoff.Permanent, "stop".
//
// With no URL it plays, on an in-process mock server, a two-second
// maintenance window whose 503s carry "Retry-After: 1", then ok.
//
//	go run ./examples/backoffretry
//	go run ./examples/backoffretry -timeline 'throttled:3s,ok'
//	go run ./examples/backoffretry -timeline retry-after-huge
//	go run ./examples/backoffretry https://api.example.com/
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("backoffretry", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeline := fs.String("timeline", "retry-after-seconds:2s,ok", "mock server `timeline` to play when no URL is given")
	retryAfter := fs.Duration("retry-after", time.Second, "the mock server's Retry-After")
	maxWait := fs.Duration("max-wait", 30*time.Second, "longest to wait in total")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: backoffretry [flags] [URL]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	target := fs.Arg(0)
	if target == "" {
		steps, err := testserver.ParseTimeline(*timeline)
		if err != nil {
			fmt.Fprintln(stderr, "backoffretry:", err)
			return 2
		}
		srv, err := testserver.Start(testserver.Config{Timeline: steps, RetryAfter: *retryAfter})
		if err != nil {
			fmt.Fprintln(stderr, "backoffretry:", err)
			return 2
		}
		defer srv.Close()
		target = srv.URL + "/feed"
	}

	dc := client.New(client.Config{MaxWait: *maxWait})
	hc := &http.Client{Timeout: 30 * time.Second} // per attempt: the loop is outside it
	defer hc.CloseIdleConnections()

	err := fetch(ctx, dc, hc, target, stdout, func(err error, wait time.Duration) {
		fmt.Fprintf(stderr, "backoffretry: retrying in %s: %v\n", wait.Round(time.Millisecond), err)
	})
	var de *client.Error
	switch {
	case err == nil:
		return 0
	case errors.Is(err, client.ErrSkip):
		fmt.Fprintln(stderr, "backoffretry: skipped, try later:", err)
		return 75 // EX_TEMPFAIL
	case errors.As(err, &de):
		fmt.Fprintf(stderr, "backoffretry: alert: %s\n", de.Verdict)
	default:
		fmt.Fprintln(stderr, "backoffretry:", err)
	}
	return 1
}

// fetch copies the body of target to w, sending with hc and retrying as
// dc decides. notify, if not nil, is told of each retry before its wait.
func fetch(ctx context.Context, dc *client.Client, hc *http.Client, target string, w io.Writer, notify backoff.Notify) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	bo := dc.NewBackOff(req) // one per request: it holds the request's state
	return backoff.RetryNotify(func() error {
		resp, err := hc.Do(req)
		if err := bo.Observe(resp, err); err != nil {
			return err // a *client.Error: retried after the server's wait, or final
		}
		defer resp.Body.Close()
		if resp.StatusCode >= 300 {
			// The service is up and refuses the request: retrying will
			// not help.
			return backoff.Permanent(fmt.Errorf("GET %s: %s", target, resp.Status))
		}
		_, err = io.Copy(w, resp.Body)
		return err
	}, bo, notify)
}
