package client_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/downfor/downfor/internal/memrt"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// handlerTransport serves each request in memory (package memrt): the way
// to drive the client inside a testing/synctest bubble.
type handlerTransport struct{ h http.Handler }

func (t handlerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	return memrt.Transport{Handler: t.h}.RoundTrip(req)
}

// rtFunc adapts a function to http.RoundTripper.
type rtFunc func(*http.Request) (*http.Response, error)

func (f rtFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// seen is one request a test server received.
type seen struct {
	Time   time.Time
	Method string
	Path   string
	Body   string
}

// recorder is a scripted handler: it records every request and answers the
// n-th request to a page (anything but the probe) with steps[n], repeating
// the last step; the probe path is answered by probe, or 404, and the
// probe's control path by 404.
type recorder struct {
	steps []http.HandlerFunc
	probe http.HandlerFunc

	mu    sync.Mutex
	reqs  []seen
	pages int
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	rc.reqs = append(rc.reqs, seen{Time: time.Now(), Method: r.Method, Path: r.URL.Path, Body: string(body)})
	n := rc.pages
	// The probe checks a 200 against a control path that no site
	// serves, to tell a probe from a catch-all: that is not a page.
	control := strings.HasPrefix(r.URL.Path, "/downfor-control-")
	if r.URL.Path != "/down-for-maintenance" && !control {
		rc.pages++
	}
	rc.mu.Unlock()
	if control {
		http.NotFound(w, r)
		return
	}
	if r.URL.Path == "/down-for-maintenance" {
		if rc.probe != nil {
			rc.probe(w, r)
			return
		}
		http.NotFound(w, r)
		return
	}
	rc.steps[min(n, len(rc.steps)-1)](w, r)
}

func (rc *recorder) all() []seen {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]seen(nil), rc.reqs...)
}

func (rc *recorder) count(path string) int {
	n := 0
	for _, s := range rc.all() {
		if s.Path == path {
			n++
		}
	}
	return n
}

// respond answers with status, headers given as name, value pairs, and body.
func respond(status int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}
