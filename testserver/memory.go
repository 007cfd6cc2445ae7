package testserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
)

// memRemoteAddr is the client address that in-memory requests come from.
const memRemoteAddr = "127.0.0.1:49152"

// InMemoryTransport returns an [http.RoundTripper] that hands every request
// straight to [Server.Handler], whatever the URL's host, without a socket:
// the way to drive the server from a testing/synctest bubble. The request
// comes from 127.0.0.1 (for [Config.HealthAllow]). The body streams: the
// handler runs in its own goroutine and writes into a pipe that the
// response body reads, so huge-body and slow-body behave as over a network,
// and closing the body or cancelling the request's context stops the
// handler. The network modes become errors shaped like real ones: reset is
// a *net.OpError wrapping ECONNRESET, garbage a malformed-response error,
// and hang blocks until the request's context ends. It is safe for
// concurrent use.
func (s *Server) InMemoryTransport() http.RoundTripper {
	return memTransport{s: s}
}

type memTransport struct {
	s *Server
}

func (t memTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL == nil {
		closeBody(req)
		return nil, errors.New("testserver: request without URL")
	}
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeBody(req)
		return nil, err
	}
	r := req.Clone(ctx)
	if r.Body == nil {
		r.Body = http.NoBody
	}
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	if r.Host == "" {
		r.Host = req.URL.Host
	}
	r.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	if r.URL.Path == "" {
		r.URL.Path = "/"
	}
	r.RequestURI = r.URL.RequestURI()
	r.Proto, r.ProtoMajor, r.ProtoMinor = "HTTP/1.1", 1, 1
	r.RemoteAddr = memRemoteAddr
	r.Close = false

	pr, pw := io.Pipe()
	mw := &memWriter{
		header: make(http.Header),
		pw:     pw,
		ctx:    ctx,
		head:   r.Method == http.MethodHead,
		ready:  make(chan struct{}),
	}
	tracked := t.s.trackPipe(pw)
	go func() {
		defer closeBody(req)
		if tracked {
			defer t.s.untrackPipe(pw)
		}
		defer mw.finish()
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					mw.fail(io.ErrUnexpectedEOF)
				} else {
					mw.fail(fmt.Errorf("testserver: handler panicked: %v", v))
				}
			}
		}()
		t.s.serveHTTP(mw, r)
	}()
	select {
	case <-mw.ready:
	case <-ctx.Done():
		_ = pr.CloseWithError(ctx.Err())
		return nil, ctx.Err()
	}
	if mw.err != nil {
		_ = pr.Close()
		return nil, mw.err
	}
	resp := &http.Response{
		Status:        strconv.Itoa(mw.code) + " " + http.StatusText(mw.code),
		StatusCode:    mw.code,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        mw.sent,
		Body:          pr,
		ContentLength: -1,
		Request:       req,
	}
	if cl, err := strconv.ParseInt(mw.sent.Get("Content-Length"), 10, 64); err == nil && cl >= 0 {
		resp.ContentLength = cl
	}
	if mw.head || !bodyAllowed(mw.code) {
		_ = pr.Close()
		resp.Body = http.NoBody
		if !mw.head {
			resp.ContentLength = 0
		}
	}
	return resp, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		_ = req.Body.Close()
	}
}

func bodyAllowed(code int) bool {
	return code >= 200 && code != http.StatusNoContent && code != http.StatusNotModified
}

// memWriter is the ResponseWriter of the in-memory transport. Until ready
// is closed only the handler's goroutine touches it; after, the transport
// reads code, sent and err, which no longer change.
type memWriter struct {
	header http.Header
	pw     *io.PipeWriter
	ctx    context.Context
	head   bool
	ready  chan struct{}

	code    int
	sent    http.Header // header as of WriteHeader
	err     error       // the request failed before a response
	wrote   bool
	written int64
	bodyErr error // the body ends with this error instead of EOF
}

func (m *memWriter) Header() http.Header { return m.header }

func (m *memWriter) WriteHeader(code int) {
	if m.wrote {
		return
	}
	if code < 100 || code > 999 {
		panic(fmt.Sprintf("testserver: invalid WriteHeader code %v", code))
	}
	if code < 200 { // informational answers are not the response
		return
	}
	m.wrote = true
	m.code = code
	m.sent = m.header.Clone()
	close(m.ready)
}

func (m *memWriter) Write(p []byte) (int, error) {
	if !m.wrote {
		if m.header.Get("Content-Type") == "" && len(p) > 0 {
			m.header.Set("Content-Type", http.DetectContentType(p))
		}
		m.WriteHeader(http.StatusOK)
	}
	if m.err != nil {
		return 0, m.err
	}
	if m.head {
		return len(p), nil
	}
	if !bodyAllowed(m.code) {
		return 0, http.ErrBodyNotAllowed
	}
	n, err := m.pw.Write(p)
	m.written += int64(n)
	return n, err
}

// Flush does nothing: every Write already waits for the reader.
func (m *memWriter) Flush() {}

// fail makes the round trip fail with err, or, once the response has
// started, makes its body end with err.
func (m *memWriter) fail(err error) {
	if !m.wrote {
		m.wrote = true
		m.err = err
		close(m.ready)
		return
	}
	if m.bodyErr == nil {
		m.bodyErr = err
	}
}

// finish ends the response when the handler returns.
func (m *memWriter) finish() {
	if !m.wrote {
		m.WriteHeader(http.StatusOK)
	}
	switch {
	case m.ctx.Err() != nil:
		_ = m.pw.CloseWithError(context.Cause(m.ctx))
	case m.bodyErr != nil:
		_ = m.pw.CloseWithError(m.bodyErr)
	case !m.head && short(m.sent, m.written):
		_ = m.pw.CloseWithError(io.ErrUnexpectedEOF)
	default:
		_ = m.pw.Close()
	}
}

// short reports whether fewer bytes were written than Content-Length said.
func short(h http.Header, written int64) bool {
	cl, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64)
	return err == nil && written < cl
}
