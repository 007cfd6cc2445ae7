package classify

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve accepts connections on a loopback listener and hands each to
// handle in its own goroutine, until the test ends.
func serve(t *testing.T, handle func(net.Conn)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan struct{})
	t.Cleanup(func() {
		close(done)
		_ = ln.Close()
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				handle(c)
				<-done
			}()
		}
	}()
	return "http://" + ln.Addr().String() + "/"
}

// readRequest consumes a request's header, so that closing the connection
// afterwards is a clean FIN and not a reset for unread data.
func readRequest(c net.Conn) {
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil || line == "\r\n" {
			return
		}
	}
}

// get performs one request with a fresh transport, so no connection is
// shared between cases, and returns its transport error.
func get(t *testing.T, ctx context.Context, rawURL string, timeout time.Duration, tlsConf *tls.Config) error {
	t.Helper()
	tr := &http.Transport{TLSClientConfig: tlsConf, DisableKeepAlives: true}
	t.Cleanup(tr.CloseIdleConnections)
	client := &http.Client{Transport: tr, Timeout: timeout}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	require.NoError(t, err)
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("GET %s: got %s, want a transport error", rawURL, resp.Status)
	}
	return err
}

func quietTLSServer(t *testing.T) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestErrorRealFailures(t *testing.T) {
	tests := []struct {
		name   string
		err    func(t *testing.T) error
		signal string
		check  func(t *testing.T, err error)
	}{
		{name: "refused", signal: "refused", err: func(t *testing.T) error {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			addr := ln.Addr().String()
			require.NoError(t, ln.Close())
			return get(t, t.Context(), "http://"+addr+"/", 0, nil)
		}, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, syscall.ECONNREFUSED) }},
		{name: "reset", signal: "reset", err: func(t *testing.T) error {
			u := serve(t, func(c net.Conn) {
				readRequest(c)
				_ = c.(*net.TCPConn).SetLinger(0)
				_ = c.Close()
			})
			return get(t, t.Context(), u, 0, nil)
		}, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, syscall.ECONNRESET) }},
		{name: "closed without answer", signal: "eof", err: func(t *testing.T) error {
			u := serve(t, func(c net.Conn) {
				readRequest(c)
				_ = c.Close()
			})
			return get(t, t.Context(), u, 0, nil)
		}},
		{name: "headers cut short", signal: "eof", err: func(t *testing.T) error {
			u := serve(t, func(c net.Conn) {
				readRequest(c)
				_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nContent-Type: text/pl")
				_ = c.Close()
			})
			return get(t, t.Context(), u, 0, nil)
		}},
		{name: "client timeout", signal: "timeout", err: func(t *testing.T) error {
			u := serve(t, readRequest) // and never answer
			return get(t, t.Context(), u, 100*time.Millisecond, nil)
		}, check: func(t *testing.T, err error) {
			var ue *url.Error
			require.ErrorAs(t, err, &ue)
			assert.True(t, ue.Timeout())
		}},
		{name: "context deadline", signal: "timeout", err: func(t *testing.T) error {
			u := serve(t, readRequest)
			ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
			defer cancel()
			return get(t, ctx, u, 0, nil)
		}, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, context.DeadlineExceeded) }},
		{name: "canceled", signal: "canceled", err: func(t *testing.T) error {
			u := serve(t, readRequest)
			ctx, cancel := context.WithCancel(t.Context())
			cancel()
			return get(t, ctx, u, 0, nil)
		}, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, context.Canceled) }},
		{name: "unknown authority", signal: "certificate", err: func(t *testing.T) error {
			return get(t, t.Context(), quietTLSServer(t).URL, 0, nil)
		}, check: func(t *testing.T, err error) {
			var ua x509.UnknownAuthorityError
			assert.ErrorAs(t, err, &ua)
		}},
		{name: "wrong host name", signal: "certificate", err: func(t *testing.T) error {
			srv := quietTLSServer(t)
			pool := x509.NewCertPool()
			pool.AddCert(srv.Certificate())
			u := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
			return get(t, t.Context(), u, 0, &tls.Config{RootCAs: pool})
		}, check: func(t *testing.T, err error) {
			var he x509.HostnameError
			assert.ErrorAs(t, err, &he)
		}},
		{name: "https to a plain server via client", signal: "tls", err: func(t *testing.T) error {
			srv := httptest.NewServer(http.NotFoundHandler())
			t.Cleanup(srv.Close)
			return get(t, t.Context(), strings.Replace(srv.URL, "http:", "https:", 1), 0, nil)
		}, check: func(t *testing.T, err error) { assert.ErrorIs(t, err, http.ErrSchemeMismatch) }},
		{name: "https to a plain server via transport", signal: "tls", err: func(t *testing.T) error {
			srv := httptest.NewServer(http.NotFoundHandler())
			t.Cleanup(srv.Close)
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, strings.Replace(srv.URL, "http:", "https:", 1), nil)
			require.NoError(t, err)
			resp, err := tr.RoundTrip(req)
			if resp != nil {
				resp.Body.Close()
			}
			return err
		}, check: func(t *testing.T, err error) {
			var rh tls.RecordHeaderError
			assert.ErrorAs(t, err, &rh)
		}},
		{name: "garbage bytes", signal: "protocol", err: func(t *testing.T) error {
			u := serve(t, func(c net.Conn) {
				readRequest(c)
				_, _ = io.WriteString(c, "SSH-2.0-OpenSSH_9.6p1 Ubuntu-3ubuntu13\r\n")
			})
			return get(t, t.Context(), u, 0, nil)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.err(t)
			require.Error(t, err)
			v := Error(err)
			assert.Equal(t, Network, v.Class)
			require.Len(t, v.Evidence, 1)
			e := v.Evidence[0]
			assert.Equal(t, tt.signal, e.Signal, "error %v", err)
			assert.Equal(t, SourceTransport, e.Source)
			assert.Equal(t, Network, e.Indicates)
			assert.Equal(t, abridge(err.Error()), e.Value)
			if tt.signal == "canceled" {
				assert.Equal(t, None, e.Strength, "a cancellation says nothing about the service")
			} else {
				assert.Equal(t, Explicit, e.Strength)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestErrorBuiltFailures(t *testing.T) {
	op := func(err error) error {
		return &url.Error{Op: "Get", URL: "https://api.example.com/", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}
	}
	tests := []struct {
		name   string
		err    error
		signal string
	}{
		{"dns not found", op(&net.DNSError{Err: "no such host", Name: "nope.invalid", IsNotFound: true}), "dns-not-found"},
		{"dns temporary", op(&net.DNSError{Err: "server misbehaving", Name: "api.example.com", IsTemporary: true}), "dns-temporary"},
		{"dns timeout", op(&net.DNSError{Err: "i/o timeout", Name: "api.example.com", IsTimeout: true}), "dns-temporary"},
		{"dns other", op(&net.DNSError{Err: "bad", Name: "api.example.com"}), "dns"},
		{"unexpected eof", &url.Error{Op: "Get", URL: "http://x/", Err: io.ErrUnexpectedEOF}, "eof"},
		{"eof", &url.Error{Op: "Get", URL: "http://x/", Err: io.EOF}, "eof"},
		{"canceled", &url.Error{Op: "Get", URL: "http://x/", Err: context.Canceled}, "canceled"},
		{"deadline", fmt.Errorf("wrapped: %w", context.DeadlineExceeded), "timeout"},
		{"os deadline", op(os.ErrDeadlineExceeded), "timeout"},
		{"refused", op(syscall.ECONNREFUSED), "refused"},
		{"reset", op(syscall.ECONNRESET), "reset"},
		{"broken pipe", op(syscall.EPIPE), "reset"},
		{"aborted", op(syscall.ECONNABORTED), "reset"},
		{"host unreachable", op(syscall.EHOSTUNREACH), "unreachable"},
		{"net unreachable", op(syscall.ENETUNREACH), "unreachable"},
		{"unknown authority value", x509.UnknownAuthorityError{}, "certificate"},
		{"unknown authority pointer", &x509.UnknownAuthorityError{}, "certificate"},
		{"hostname", op(x509.HostnameError{Host: "x"}), "certificate"},
		{"expired", op(x509.CertificateInvalidError{Reason: x509.Expired}), "certificate"},
		{"system roots", op(x509.SystemRootsError{}), "certificate"},
		{"insecure algorithm", op(x509.InsecureAlgorithmError(x509.MD5WithRSA)), "certificate"},
		{"verification", op(&tls.CertificateVerificationError{Err: errors.New("x")}), "certificate"},
		{"record header", op(tls.RecordHeaderError{Msg: "tls: first record does not look like a TLS handshake"}), "tls"},
		{"alert", op(tls.AlertError(40)), "tls"},
		{"scheme mismatch", &url.Error{Op: "Get", URL: "https://x/", Err: http.ErrSchemeMismatch}, "tls"},
		{"other", errors.New("something else"), "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Error(tt.err)
			assert.Equal(t, Network, v.Class)
			require.Len(t, v.Evidence, 1)
			assert.Equal(t, tt.signal, v.Evidence[0].Signal)
		})
	}
}

func TestErrorNil(t *testing.T) {
	assert.Equal(t, Verdict{}, Error(nil))
}

// TestMalformedResponse pins the one match on error text in this package:
// net/http reports a peer that does not speak HTTP with a plain string.
func TestMalformedResponse(t *testing.T) {
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"status line", &url.Error{Op: "Get", URL: "http://x/", Err: fmt.Errorf("net/http: HTTP/1.x transport connection broken: %w",
			errors.New(`malformed HTTP response "SSH-2.0-OpenSSH_9.6"`))}, true},
		{"status code", errors.New(`malformed HTTP status code "abc"`), true},
		{"mime header", &url.Error{Op: "Get", URL: "http://x/", Err: errors.New("malformed MIME header line: Bad Header")}, true},
		{"the url says it, the error does not", &url.Error{Op: "Get", URL: "http://x/malformed HTTP response", Err: errors.New("boom")}, false},
		{"url error without error", &url.Error{Op: "Get", URL: "http://x/malformed HTTP"}, false},
		{"unrelated", errors.New("boom"), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, isMalformedResponse(tt.err))
		})
	}

	// The real thing: a header line without a colon.
	u := serve(t, func(c net.Conn) {
		readRequest(c)
		_, _ = io.WriteString(c, "HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n")
	})
	err := get(t, t.Context(), u, 0, nil)
	assert.Equal(t, "protocol", Error(err).Evidence[0].Signal, "error %v", err)
}
