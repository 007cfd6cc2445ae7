package client_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/cenkalti/backoff/v4"
	"github.com/hashicorp/go-retryablehttp"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// A cron job that should stay quiet while the service is down for
// maintenance, and alert when it is broken.
func Example() {
	srv, err := testserver.New("django") // 503, Retry-After: 3600
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	c := client.New(client.Config{MaxWait: 10 * time.Minute})
	defer c.CloseIdleConnections()
	resp, err := c.StandardClient().Get(srv.URL + "/reports")
	var de *client.Error
	switch {
	case errors.Is(err, client.ErrSkip):
		errors.As(err, &de)
		fmt.Println("skipped:", de.Verdict.Class, de.Verdict.Confidence, "for", de.Verdict.RetryAfter)
		fmt.Println("requests sent:", de.Attempts)
	case errors.As(err, &de):
		fmt.Println("alert:", de)
	case err != nil:
		fmt.Println("error:", err)
	default:
		resp.Body.Close()
		fmt.Println("status:", resp.StatusCode)
	}
	// Output:
	// skipped: maintenance implied for 1h0m0s
	// requests sent: 1
}

// Wrap gives an API client's own *http.Client the client's behaviour,
// keeping its timeout, cookie jar and redirect policy.
func ExampleWrap() {
	srv, err := testserver.Start(testserver.Config{Mode: "error-500"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	api := &http.Client{Timeout: 30 * time.Second}
	hc := client.Wrap(api, client.Config{
		InBandOnly: true,
		Schedule:   client.Schedule{Floor: 10 * time.Millisecond},
	})
	defer hc.CloseIdleConnections()
	_, err = hc.Get(srv.URL + "/api/v1/items")
	var de *client.Error
	if errors.As(err, &de) {
		fmt.Println(de.Action, de.Verdict.Class, "after", de.Attempts, "attempts")
		body, _ := io.ReadAll(de.Response.Body)
		fmt.Println(de.Response.StatusCode, len(body) > 0)
	}
	fmt.Println(errors.Is(err, client.ErrMalfunction), errors.Is(err, client.ErrAlert))
	fmt.Println("caller's client untouched:", api.Transport == nil && api.Timeout == 30*time.Second)
	// Output:
	// alert malfunction after 4 attempts
	// 500 true
	// true true
	// caller's client untouched: true
}

// Decide is pure: the CLI, the client and tests share it.
func ExampleConfig_Decide() {
	cfg := client.Config{MaxWait: 5 * time.Minute}
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	verdicts := []classify.Verdict{
		{Class: classify.OK, Status: 200},
		{Class: classify.Maintenance, Status: 503, RetryAfter: 2 * time.Minute, HasRetryAfter: true},
		{Class: classify.Maintenance, Status: 503, RetryAfter: 2 * time.Hour, HasRetryAfter: true},
		{Class: classify.Malfunction, Status: 502},
	}
	for _, v := range verdicts {
		fmt.Printf("%s: %v\n", v.Class, cfg.Decide(v, client.State{Now: now}))
	}
	fmt.Println(cfg.Decide(verdicts[3], client.State{Now: now, Tries: 4}))
	// Output:
	// ok: proceed
	// maintenance: wait 2m0s
	// maintenance: skip: the server asks to wait 2h0m0s, past the maximum wait (5m0s left)
	// malfunction: wait 1s
	// alert: 4 attempts in a row got malfunction
}

// A BackOff drives cenkalti/backoff's Retry with the server's own timing.
func ExampleClient_NewBackOff() {
	srv, err := testserver.Start(testserver.Config{Mode: "retry-after-far-future"})
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	c := client.New(client.Config{})
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/feed", nil)
	bo := c.NewBackOff(req)
	err = backoff.Retry(func() error {
		resp, err := srv.Client().Do(req)
		if err := bo.Observe(resp, err); err != nil {
			return err
		}
		defer resp.Body.Close()
		return nil // use resp
	}, bo)
	fmt.Println(errors.Is(err, client.ErrSkip), errors.Is(err, client.ErrMaintenance))
	// Output:
	// true true
}

// The hooks fit a go-retryablehttp client of your own.
func ExampleClient_Install() {
	srv, err := testserver.Start(testserver.Config{Mode: "throttled"}) // 429, Retry-After: 30
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	dc := client.New(client.Config{MaxWait: 10 * time.Second})
	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.HTTPClient = srv.Client()
	dc.Install(rc)

	_, err = rc.Get(srv.URL + "/search")
	var de *client.Error
	if errors.As(err, &de) {
		fmt.Println(de.Action, de.Verdict.Class, de.Response.StatusCode)
	}
	// Output:
	// skip throttled 429
}

// Checking a service once, as the downfor command does: the caller's
// method and headers, the headers kept on the service's origin, the
// out-of-band sources, one attempt bounded in time.
func ExampleClient_CheckRequest() {
	srv, err := testserver.New("probe-only") // pages: a bare 503; the probe: 200
	if err != nil {
		panic(err)
	}
	defer srv.Close()

	c := client.New(client.Config{
		AttemptTimeout:   10 * time.Second,
		SensitiveHeaders: []string{"X-Tenant-Token"}, // never follows a redirect elsewhere
		Probe: probe.Config{
			Timeout:       10 * time.Second,
			HealthURL:     "/health",
			StatusPageURL: "/api/v2/summary.json",
			Header:        http.Header{"User-Agent": {"example/1.0"}, "X-Tenant-Token": {"t0k3n"}},
		},
	})
	defer c.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/items", nil)
	if err != nil {
		panic(err)
	}
	req.Header.Set("User-Agent", "example/1.0")
	req.Header.Set("X-Tenant-Token", "t0k3n")
	v, err := c.CheckRequest(context.Background(), req)
	if err != nil {
		panic(err) // only a request without URL, or the context ending
	}
	fmt.Println(v.Class, v.Confidence)
	// Output:
	// maintenance explicit
}
