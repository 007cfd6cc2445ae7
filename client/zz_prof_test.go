package client_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/downfor/downfor/client"
)

func BenchmarkZZProf(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":true}`)
	}))
	defer srv.Close()
	base := srv.Client().Transport.(*http.Transport)
	hc := client.New(client.Config{Transport: base.Clone()}).StandardClient()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := hc.Get(srv.URL)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	hc.CloseIdleConnections()
}
