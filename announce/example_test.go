package announce_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/downfor/downfor/announce"
)

// get sends one request to h in memory and prints the status, the
// Retry-After header and the first line of the body.
func get(h http.Handler, path, accept string) {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	line, _, _ := strings.Cut(rec.Body.String(), "\n")
	fmt.Printf("%d Retry-After=%q %s\n", rec.Code, rec.Header().Get("Retry-After"), line)
}

// A service wraps its handler in a Switch and starts maintenance from
// code; every request then gets the protocol's answer, in the form the
// client accepts.
func ExampleSwitch() {
	var sw announce.Switch
	service := sw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "orders: []")
	}))

	get(service, "/v1/orders", "")

	sw.Start(time.Now().Add(30*time.Minute), "Upgrading the orders database.")
	get(service, "/v1/orders", "text/plain")

	sw.Start(time.Time{}, "Upgrading the orders database; it takes longer than planned.")
	get(service, "/v1/orders", "text/plain")

	sw.End()
	get(service, "/v1/orders", "")
	// Output:
	// 200 Retry-After="" orders: []
	// 503 Retry-After="1800" Down for maintenance. Upgrading the orders database.
	// 503 Retry-After="" Down for maintenance. Upgrading the orders database; it takes longer than planned.
	// 200 Retry-After="" orders: []
}

// During maintenance the well-known probe answers 200 with the
// announcement in JSON; outside it, 404.
func ExampleSwitch_ProbeHandler() {
	var sw announce.Switch
	probe := sw.ProbeHandler()
	get(probe, announce.ProbePath, "")

	sw.Start(time.Time{}, "Moving to new servers.")
	rec := httptest.NewRecorder()
	probe.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, announce.ProbePath, nil))
	var doc struct {
		Maintenance bool   `json:"maintenance"`
		Until       string `json:"until"`
		Message     string `json:"message"`
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &doc)
	fmt.Printf("%d %s maintenance=%t until=%q message=%q\n", rec.Code, rec.Header().Get("Content-Type"), doc.Maintenance, doc.Until, doc.Message)
	// Output:
	// 404 Retry-After="" not in maintenance
	// 200 application/json maintenance=true until="" message="Moving to new servers."
}

// A flag file switches maintenance on without a restart; its contents may
// give the end (an RFC 3339 first line) and the message.
func ExampleSwitch_flagFile() {
	dir, _ := os.MkdirTemp("", "announce")
	defer os.RemoveAll(dir)
	flag := filepath.Join(dir, "down")
	sw := announce.Switch{FlagFile: flag, FlagCheck: -1} // look at the file on every request
	service := sw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "hello")
	}))

	get(service, "/", "")
	_ = os.WriteFile(flag, []byte("Replacing a disk.\n"), 0o644)
	get(service, "/", "text/plain")
	_ = os.Remove(flag)
	get(service, "/", "")
	// Output:
	// 200 Retry-After="" hello
	// 503 Retry-After="" Down for maintenance. Replacing a disk.
	// 200 Retry-After="" hello
}

// The health endpoint tells maintenance from failure, to allowed
// addresses only.
func ExampleSwitch_HealthHandler() {
	var sw announce.Switch
	health := sw.HealthHandler(func(ctx context.Context) error {
		return nil // ping the database here
	}, []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")})
	ask := func(from string) {
		req := httptest.NewRequest(http.MethodGet, "/health", nil)
		req.RemoteAddr = from
		rec := httptest.NewRecorder()
		health.ServeHTTP(rec, req)
		fmt.Print(rec.Code, " ", rec.Body)
	}
	ask("192.0.2.7:5000")
	sw.Start(time.Time{}, "Reindexing.")
	ask("192.0.2.7:5000")
	ask("203.0.113.9:5000")
	// Output:
	// 200 {"status":"UP"}
	// 503 {"status":"OUT_OF_SERVICE","message":"Reindexing."}
	// 403 forbidden
}
