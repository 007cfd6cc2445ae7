package classify_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"time"

	"github.com/downfor/downfor/classify"
)

func ExampleParseRetryAfter() {
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	for _, v := range []string{
		"120",                           // delta-seconds
		"Mon, 23 Nov 2026 07:30:00 GMT", // IMF-fixdate
		"Sun, 06 Nov 1994 08:49:37 GMT", // already past: no wait
		"99999999999",                   // saturates instead of wrapping
		"-5",                            // invalid: ignored
		"1m0s",                          // invalid: not a Go duration
	} {
		d, ok := classify.ParseRetryAfter(v, now)
		fmt.Printf("%-30q %v %v\n", v, d, ok)
	}
	// Output:
	// "120"                          2m0s true
	// "Mon, 23 Nov 2026 07:30:00 GMT" 30m0s true
	// "Sun, 06 Nov 1994 08:49:37 GMT" 0s true
	// "99999999999"                  2562047h47m16.854775807s true
	// "-5"                           0s false
	// "1m0s"                         0s false
}

func ExampleResponse() {
	// An OSF-style API in maintenance: a 503 whose JSON body says so.
	osf := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.api+json")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, `{"meta":{"maintenance_mode":true}}`)
	})
	rec := httptest.NewRecorder()
	osf.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v2/nodes/", nil))
	resp := rec.Result()
	defer resp.Body.Close()

	v := classify.Response(resp, time.Now(), nil)
	fmt.Println(v.Class, v.Confidence)
	e, _ := v.Strongest()
	fmt.Println(e)

	// The body was peeked at, and is still whole for the caller.
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(string(body))
	// Output:
	// maintenance explicit
	// json-flag meta.maintenance_mode=true (explicit maintenance)
	// {"meta":{"maintenance_mode":true}}
}

func ExampleCombine() {
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	// The app is stopped: nginx answers 502, which alone is a malfunction.
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", "text/html")
	rec.WriteHeader(http.StatusBadGateway)
	io.WriteString(rec, "<html><head><title>502 Bad Gateway</title></head></html>")
	primary := classify.Response(rec.Result(), now, nil)
	fmt.Println(primary.Class)

	// The well-known probe knows why, and until when.
	probe := classify.Evidence{
		Source: classify.SourceProbe, Signal: "probe", Value: "200",
		Strength: classify.Explicit, Indicates: classify.Maintenance,
		Message: "Database upgrade", Until: now.Add(2 * time.Hour),
	}
	v := classify.Combine(primary, now, probe)
	wait, _ := v.Wait(now)
	fmt.Println(v.Class, v.Confidence, wait, v.Message)
	fmt.Println(v)
	// Output:
	// malfunction
	// maintenance explicit 2h0m0s Database upgrade
	// maintenance (explicit), until 2026-11-23T09:00:00Z: status 502 (implied malfunction); probe 200 (explicit maintenance)
}

func ExampleVerdict_MarshalJSON() {
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	rec := httptest.NewRecorder()
	rec.Header().Set("Retry-After", "600")
	rec.WriteHeader(http.StatusServiceUnavailable)
	v := classify.Response(rec.Result(), now, nil)

	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.Encode(v)
	// Output:
	// {
	//   "class": "maintenance",
	//   "confidence": "implied",
	//   "status": 503,
	//   "retry_after_seconds": 600,
	//   "evidence": [
	//     {
	//       "source": "response",
	//       "signal": "status",
	//       "value": "503",
	//       "strength": "implied",
	//       "indicates": "maintenance"
	//     },
	//     {
	//       "source": "response",
	//       "signal": "retry-after",
	//       "value": "600",
	//       "strength": "implied",
	//       "indicates": "maintenance"
	//     }
	//   ]
	// }
}

func ExampleRule() {
	// The Cloud Foundry maintenance app answers 200 with a header that
	// only a rule written for this service can read.
	rule, err := classify.ParseRule("header:StatusHeader=maintenance window")
	if err != nil {
		panic(err)
	}
	rec := httptest.NewRecorder()
	rec.Header().Set("StatusHeader", "Status: maintenance window")
	rec.WriteHeader(http.StatusOK)
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)

	fmt.Println(classify.Response(rec.Result(), now, nil).Class)
	fmt.Println(classify.Response(rec.Result(), now, &classify.Options{Rules: []classify.Rule{rule}}).Class)
	// Output:
	// ok
	// maintenance
}

// What does not count is still reported, with strength none and the
// reason, so that a user sees why downfor did not believe it.
func ExampleObserve_discounted() {
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	for _, o := range []classify.Observation{
		// A cache's 503 with five seconds of Retry-After.
		{Status: 503, Header: http.Header{"Retry-After": {"5"}}},
		// A framework's stock description of 503.
		{Status: 503, Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"message":"The server is temporarily unable to service your request due to maintenance downtime or capacity problems."}`)},
		// Maintenance as a noun.
		{Status: 500, Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"error":"MaintenanceSchedulerException","message":"Could not load maintenance window 42"}`)},
		// HAProxy with every backend down, whatever its Retry-After.
		{Status: 503, Header: http.Header{"Retry-After": {"600"}},
			Body: []byte("<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n")},
	} {
		fmt.Println(classify.Observe(o, now, nil))
	}
	// Output:
	// malfunction, retry after 5s: status 503 (implied malfunction); retry-after 5 (retry hint, not a window)
	// malfunction: status 503 (implied malfunction); json-message The server is temporarily unable to service your request due to maintenance downtime or capacity problems. (stock 503 description, not evidence)
	// malfunction: status 500 (implied malfunction); json-message Could not load maintenance window 42 (mentions maintenance, states no maintenance)
	// malfunction, retry after 10m0s: status 503 (implied maintenance); retry-after 600 (implied maintenance); proxy-error HAProxy (explicit malfunction)
}
