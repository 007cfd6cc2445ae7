// Package memrt serves HTTP requests in memory by calling a handler, in the
// caller's goroutine: no socket and no connection goroutine, so a client
// can be driven from inside a testing/synctest bubble, where a real socket
// would stall the fake clock. Tests of several packages share it.
package memrt

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
)

// Transport is an [http.RoundTripper] that hands each request to Handler,
// as a server would: the request body is read whole first, RequestURI,
// RemoteAddr and Host are set, and the whole response is buffered (so it
// suits small bodies only). A request whose context has ended fails with
// [context.Cause]. It is safe for concurrent use if Handler is.
type Transport struct {
	Handler http.Handler
	// RemoteAddr is the client address the handler sees. If empty,
	// "127.0.0.1:40000".
	RemoteAddr string
}

// RoundTrip serves req with t.Handler.
func (t Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		body = b
	}
	if err := context.Cause(req.Context()); err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.RequestURI = req.URL.RequestURI()
	r.RemoteAddr = t.RemoteAddr
	if r.RemoteAddr == "" {
		r.RemoteAddr = "127.0.0.1:40000"
	}
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	rec := httptest.NewRecorder()
	t.Handler.ServeHTTP(rec, r)
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
