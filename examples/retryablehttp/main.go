// Command retryablehttp shows downfor's hooks installed on a
// go-retryablehttp Client that a program already has: the client keeps its
// own HTTPClient, logger and RetryMax, and downfor decides when to retry
// and how long to wait.
//
// What changes: every answer is classified, not just 429 and 503, and the
// server's Retry-After is honoured on any status, in every date form, and
// capped by MaxWait (a longer one skips at once instead of being silently
// shortened). Maintenance that outlasts MaxWait, and a malfunction that
// outlasts the retries, end in a *client.Error that errors.As finds.
// Unlike client.New's own loop, rc.RetryMax bounds the retries and MaxWait
// bounds each wait rather than their sum.
//
// With no URL it plays, on an in-process mock server, a two-second
// maintenance window whose 503s carry "Retry-After: 1", then ok: watch it
// wait twice and succeed with three requests.
//
//	go run ./examples/retryablehttp
//	go run ./examples/retryablehttp -timeline 'django:3s,ok'
//	go run ./examples/retryablehttp https://api.example.com/
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"

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
	return runWith(ctx, args, stdout, stderr, nil)
}

// runWith is run against mem, when it is not nil, in place of the mock
// server of -timeline: an in-memory server ([testserver.StartInMemory])
// reached through its transport, so that a test can play its timeline on a
// testing/synctest bubble's clock.
func runWith(ctx context.Context, args []string, stdout, stderr io.Writer, mem *testserver.Server) int {
	fs := flag.NewFlagSet("retryablehttp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	timeline := fs.String("timeline", "retry-after-seconds:2s,ok", "mock server `timeline` to play when no URL is given")
	retryAfter := fs.Duration("retry-after", time.Second, "the mock server's Retry-After")
	maxWait := fs.Duration("max-wait", 30*time.Second, "longest wait before one retry")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: retryablehttp [flags] [URL]")
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
	var transport http.RoundTripper // nil: the default, over the network
	if mem != nil {
		target, transport = mem.URL+"/feed", mem.InMemoryTransport()
	}
	if target == "" {
		steps, err := testserver.ParseTimeline(*timeline)
		if err != nil {
			fmt.Fprintln(stderr, "retryablehttp:", err)
			return 2
		}
		srv, err := testserver.Start(testserver.Config{Timeline: steps, RetryAfter: *retryAfter})
		if err != nil {
			fmt.Fprintln(stderr, "retryablehttp:", err)
			return 2
		}
		defer srv.Close()
		target = srv.URL + "/feed"
	}

	// The program's existing client...
	rc := retryablehttp.NewClient()
	rc.Logger = log.New(stderr, "", log.Ltime) // it logs each attempt and each wait
	if transport != nil {
		rc.HTTPClient.Transport = transport
	}
	// ...with downfor's brain.
	dc := client.New(client.Config{MaxWait: *maxWait, Transport: transport})
	dc.Install(rc)

	if err := fetch(ctx, rc, target, stdout); err != nil {
		var de *client.Error
		switch {
		case errors.Is(err, client.ErrSkip):
			fmt.Fprintln(stderr, "retryablehttp: skipped, try later:", err)
			return 75 // EX_TEMPFAIL
		case errors.As(err, &de):
			fmt.Fprintf(stderr, "retryablehttp: alert: %s\n", de.Verdict)
		default:
			fmt.Fprintln(stderr, "retryablehttp:", err)
		}
		return 1
	}
	return 0
}

// fetch copies the body of target to w.
func fetch(ctx context.Context, rc *retryablehttp.Client, target string, w io.Writer) error {
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := rc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("GET %s: %s", target, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
