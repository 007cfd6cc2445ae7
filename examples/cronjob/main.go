// Command cronjob is a cron job that fetches one URL and tells a service
// that is down for maintenance from one that is broken.
//
//   - The service answers: the body goes to stdout, exit 0.
//   - It is down for maintenance (or asks us to slow down) for longer than
//     -max-wait: nothing is printed and the job exits -maintenance-exit.
//     The next scheduled run will do the work.
//   - It is stopped (SIGTERM, as cron, systemd and Kubernetes stop jobs;
//     Ctrl-C) while waiting for a maintenance to end: the same, at once.
//     Stopped while fetching or retrying anything else: one line saying
//     so, exit 130.
//   - It is broken (a 5xx without maintenance evidence, a network error,
//     after a few retries) or answers an error status: one line on stderr,
//     exit 1. A human must know.
//
// Which code for maintenance? Classic cron mails whatever a job prints and
// ignores its exit code, and most schedulers treat any non-zero code as a
// failure: keep the default, 0. Use 75 (EX_TEMPFAIL, "try again later")
// where the scheduler can tell it apart and should record the run as not
// done without paging anyone: systemd (SuccessExitStatus=75), a
// Kubernetes Job's podFailurePolicy (onExitCodes 75, action Ignore),
// or a wrapper script that counts skipped runs.
//
// Run it against a real service:
//
//	go run ./examples/cronjob https://api.example.com/export
//
// or, with no URL, against an in-process mock server in any of its modes
// (go doc github.com/downfor/downfor/testserver lists them):
//
//	go run ./examples/cronjob                  # ok: prints the body
//	go run ./examples/cronjob -mode osf -v     # maintenance: quiet, exit 0
//	go run ./examples/cronjob -mode osf -maintenance-exit 75
//	go run ./examples/cronjob -mode error-500  # malfunction: one line, exit 1
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

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Exit codes besides -maintenance-exit.
const (
	exitOK          = 0
	exitAlert       = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT, as shells report it
)

// waiting reports whether the client waits out a class rather than
// alerting on it: maintenance and throttling.
func waiting(c classify.Class) bool {
	return c == classify.Maintenance || c == classify.Throttled
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("cronjob", flag.ContinueOnError)
	fs.SetOutput(stderr)
	mode := fs.String("mode", "ok", "mock server `mode` to fetch from when no URL is given")
	maxWait := fs.Duration("max-wait", time.Minute, "longest to wait for a maintenance window to end before skipping this run\n(0: the client's default, 5m; negative: never wait)")
	maintExit := fs.Int("maintenance-exit", exitOK, "exit `code` when the run is skipped for maintenance (0, or 75 for EX_TEMPFAIL)")
	verbose := fs.Bool("v", false, "say on stderr why a run was skipped")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: cronjob [flags] [URL]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 1 || *maintExit < 0 || *maintExit > 255 {
		fs.Usage()
		return exitUsage
	}

	target := fs.Arg(0)
	if target == "" {
		srv, err := testserver.New(*mode)
		if err != nil {
			fmt.Fprintln(stderr, "cronjob:", err)
			return exitUsage
		}
		defer srv.Close()
		target = srv.URL + "/export"
		fmt.Fprintf(stderr, "cronjob: no URL given; fetching %s from a mock server in mode %s\n", target, *mode)
	}

	var progress io.Writer // -v: say each wait as it begins
	if *verbose {
		progress = stderr
	}
	err := fetch(ctx, target, *maxWait, stdout, progress)
	var de *client.Error
	switch {
	case err == nil:
		return exitOK
	case ctx.Err() != nil && errors.As(err, &de) && waiting(de.Verdict.Class):
		// Stopped (SIGTERM from cron, systemd or Kubernetes; Ctrl-C)
		// while waiting for a maintenance window or a throttling to end:
		// the service said why it is unavailable, so this run is skipped
		// like any other that meets maintenance, quietly and at once.
		if *verbose {
			fmt.Fprintf(stderr, "cronjob: skipped: stopped while waiting (%v): %s\n", context.Cause(ctx), de.Verdict)
		}
		return *maintExit
	case ctx.Err() != nil:
		// Stopped while fetching or retrying: not the service's fault.
		fmt.Fprintf(stderr, "cronjob: interrupted: %v\n", context.Cause(ctx))
		return exitInterrupted
	case errors.Is(err, client.ErrSkip):
		// Maintenance, or throttling, for longer than we are willing to
		// wait. Stay quiet: this is not a failure anyone should hear of.
		if *verbose && errors.As(err, &de) {
			fmt.Fprintf(stderr, "cronjob: skipped: %s\n", de.Verdict)
		}
		return *maintExit
	case errors.As(err, &de):
		// An alert: the service is broken or unreachable. One clear line.
		fmt.Fprintf(stderr, "cronjob: ALERT: %s: %s\n", target, de.Verdict)
		return exitAlert
	default:
		fmt.Fprintln(stderr, "cronjob: ALERT:", err)
		return exitAlert
	}
}

// fetch copies the body of target to w. It waits up to maxWait for a
// maintenance window or a throttling to end, saying so on progress when
// it is not nil.
func fetch(ctx context.Context, target string, maxWait time.Duration, w, progress io.Writer) error {
	cfg := client.Config{MaxWait: maxWait}
	if progress != nil {
		cfg.OnVerdict = func(_ *http.Request, v classify.Verdict, d client.Decision) {
			if d.Action == client.Wait {
				fmt.Fprintf(progress, "cronjob: waiting %s: %s\n", d.Delay.Round(time.Second), v)
			}
		}
	}
	dc := client.New(cfg)
	defer dc.CloseIdleConnections()

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	resp, err := dc.StandardClient().Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	// A 4xx is not downfor's to judge: the service is up and says our
	// request is wrong. For a cron job, that is an alert too.
	if resp.StatusCode >= 300 {
		return fmt.Errorf("GET %s: %s", target, resp.Status)
	}
	_, err = io.Copy(w, resp.Body)
	return err
}
