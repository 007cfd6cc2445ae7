package client_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/downfor/downfor/client"
)

// BenchmarkHappyPath measures the overhead per 2xx request on loopback, side
// by side (figure 1 of BENCHMARKS.md): bare net/http, go-retryablehttp with its
// defaults, and downfor through StandardClient and Wrap. Each client gets
// its own clone of the same transport.
func BenchmarkHappyPath(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	base := srv.Client().Transport.(*http.Transport)

	rc := retryablehttp.NewClient()
	rc.Logger = nil
	rc.HTTPClient = &http.Client{Transport: base.Clone()}

	clients := []struct {
		name string
		hc   *http.Client
	}{
		{"bare net/http", &http.Client{Transport: base.Clone()}},
		{"retryablehttp default", rc.StandardClient()},
		{"downfor StandardClient", client.New(client.Config{Transport: base.Clone()}).StandardClient()},
		{"downfor Wrap", client.Wrap(&http.Client{Transport: base.Clone()}, client.Config{})},
		// What is left without the attempt timeout: downfor's own share
		// (the rest is net/http's ResponseHeaderTimeout timer).
		{"downfor Wrap AttemptTimeout -1", client.Wrap(&http.Client{Transport: base.Clone()}, client.Config{AttemptTimeout: -1})},
	}
	for _, c := range clients {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				resp, err := c.hc.Get(srv.URL)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, resp.Body); err != nil {
					b.Fatal(err)
				}
				resp.Body.Close()
			}
		})
		c.hc.CloseIdleConnections()
	}
	rc.HTTPClient.CloseIdleConnections()
}
