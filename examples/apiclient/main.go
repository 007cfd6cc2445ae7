// Command apiclient shows downfor inside a typed API client, in the style
// of launchpadlib or go-github: the API client takes an *http.Client, and
// client.Wrap gives that *http.Client downfor's behaviour without
// changing anything else about it (its Timeout, cookie jar and redirect
// policy stay).
//
// The wrapped client waits out short maintenance windows by itself. What
// it cannot wait out comes back as an error that the caller can inspect:
// errors.Is(err, client.ErrSkip) (give up quietly, try later) or
// client.ErrAlert (a human must know), errors.Is(err,
// client.ErrMaintenance) and the other class sentinels for why, and
// errors.As(err, &de) with de *client.Error for the details: the verdict,
// its evidence, the server's timing, the last response.
//
// Run it against an in-process mock server in any of its modes:
//
//	go run ./examples/apiclient                 # ok
//	go run ./examples/apiclient -mode turnout   # maintenance for 2h: skip
//	go run ./examples/apiclient -mode error-500 # malfunction: alert
//
// or against your own service, whose GET /v1/status answers {"ok":true}:
//
//	go run ./examples/apiclient https://api.example.com/
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
	fs := flag.NewFlagSet("apiclient", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mode := fs.String("mode", "ok", "mock server `mode` to talk to when no URL is given")
	maxWait := fs.Duration("max-wait", 20*time.Second, "longest to wait out a maintenance window or a throttling")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: apiclient [flags] [BASE-URL]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return 2
	}
	base := fs.Arg(0)
	if base == "" {
		srv, err := testserver.New(*mode)
		if err != nil {
			fmt.Fprintln(stderr, "apiclient:", err)
			return 2
		}
		defer srv.Close()
		base = srv.URL
	}

	// The API client's own *http.Client, as its users configure it. Its
	// Timeout bounds the whole call, downfor's waits included, so it must
	// be longer than MaxWait.
	hc := client.Wrap(&http.Client{Timeout: *maxWait + 10*time.Second}, client.Config{MaxWait: *maxWait})
	defer hc.CloseIdleConnections()

	svc, err := NewService(base, hc)
	if err != nil {
		fmt.Fprintln(stderr, "apiclient:", err)
		return 2
	}
	st, err := svc.Status(ctx)
	var de *client.Error
	switch {
	case err == nil:
		fmt.Fprintf(stdout, "service is up (ok=%t, server time %s)\n", st.OK, st.Time.Format(time.RFC3339))
		return 0
	case errors.Is(err, client.ErrSkip) && errors.As(err, &de):
		// Maintenance (or throttling) longer than MaxWait.
		what := "busy"
		if errors.Is(err, client.ErrMaintenance) {
			what = "down for maintenance"
		}
		fmt.Fprintf(stdout, "service is %s; try again later", what)
		if d, ok := de.Verdict.Wait(time.Now()); ok {
			fmt.Fprintf(stdout, " (in %s)", d.Round(time.Second))
		}
		fmt.Fprintln(stdout)
		return 75 // EX_TEMPFAIL
	case errors.As(err, &de):
		// Alert: de.Verdict says what was seen, de.Response holds the
		// last response (its body kept, up to a bound).
		fmt.Fprintf(stderr, "apiclient: service is broken after %d attempts: %s\n", de.Attempts, de.Verdict)
		return 1
	default:
		// Not downfor's: a 4xx (*APIError), a body that is not JSON, a
		// cancelled context.
		fmt.Fprintln(stderr, "apiclient:", err)
		return 1
	}
}
