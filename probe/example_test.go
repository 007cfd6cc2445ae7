package probe_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/probe"
)

// The application is stopped: nginx answers 502 for every page, and only
// the well-known probe knows it is maintenance, and until when.
func ExampleProber_Check() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/down-for-maintenance" {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"until":"2026-11-23T10:00:00Z","message":"Database upgrade"}`)
			return
		}
		http.Error(w, "502 Bad Gateway", http.StatusBadGateway)
	}))
	defer srv.Close()

	target, _ := url.Parse(srv.URL + "/api/orders")
	resp, err := http.Get(target.String())
	if err != nil {
		fmt.Println(err)
		return
	}
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	answer := classify.Response(resp, now, nil)
	resp.Body.Close()

	p := probe.New(probe.Config{})
	v := classify.Combine(answer, now, p.Check(context.Background(), target)...)
	fmt.Println(v.Class, v.Confidence)
	fmt.Println(v.Until.Format(time.RFC3339), v.Message)
	for _, e := range v.Evidence {
		fmt.Println(e)
	}
	// Output:
	// maintenance explicit
	// 2026-11-23T10:00:00Z Database upgrade
	// status 502 (implied malfunction)
	// probe 200 (explicit maintenance)
}

// A shared Statuspage, narrowed to the one component the service is: the
// other component's incident does not count, the API's maintenance does.
func ExampleParseStatusPage() {
	summary := []byte(`{
	  "status": {"indicator": "major", "description": "Partial System Outage"},
	  "components": [
	    {"id": "b13yz5g2cw10", "name": "API", "status": "under_maintenance"},
	    {"id": "kctq9h8pj3rb", "name": "Billing", "status": "major_outage"}
	  ],
	  "incidents": [
	    {"name": "Invoices delayed", "status": "investigating", "impact": "major",
	     "components": [{"id": "kctq9h8pj3rb", "name": "Billing"}]}
	  ],
	  "scheduled_maintenances": [
	    {"name": "API gateway upgrade", "status": "in_progress",
	     "scheduled_for": "2026-11-23T00:00:00.000-06:00", "scheduled_until": "2026-11-23T02:00:00.000-06:00",
	     "components": [{"id": "b13yz5g2cw10", "name": "API"}]}
	  ]
	}`)
	now := time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)
	ev, err := probe.ParseStatusPage("", summary, now, []string{"api"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, e := range ev {
		fmt.Println(e)
	}
	fmt.Println("until", ev[1].Until)
	// Output:
	// status_page indicator major (page-wide; components selected)
	// status_page maintenance in_progress (explicit maintenance)
	// status_page component API: under_maintenance (explicit maintenance)
	// until 2026-11-23 08:00:00 +0000 UTC
}
