package testserver

import (
	"context"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// get sends one GET over a fresh connection (no keep-alive, so no
// connection outlives the test) with a timeout.
func get(t *testing.T, s *Server, path string, timeout time.Duration) (*http.Response, error) {
	t.Helper()
	tr := s.Client().Transport.(*http.Transport).Clone()
	tr.DisableKeepAlives = true
	t.Cleanup(tr.CloseIdleConnections)
	c := &http.Client{Transport: tr, Timeout: timeout}
	return c.Get(s.URL + path)
}

func TestListening(t *testing.T) {
	s, err := New("")
	require.NoError(t, err)
	defer s.Close()
	assert.True(t, strings.HasPrefix(s.URL, "http://127.0.0.1:"), s.URL)
	resp, err := get(t, s, "/hello", 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Contains(t, readAll(t, resp), `"ok":true`)
	require.Len(t, s.Requests(), 1)
	assert.Equal(t, "/hello", s.Requests()[0].Path)
	assert.True(t, strings.HasPrefix(s.Requests()[0].RemoteAddr, "127.0.0.1:"))
	assert.Equal(t, "Go-http-client/1.1", s.Requests()[0].Header.Get("User-Agent"))
	assert.Nil(t, s.Certificate())
}

func TestReset(t *testing.T) {
	s := listening(t, Config{Mode: "reset"})
	_, err := get(t, s, "/", 5*time.Second)
	require.Error(t, err)
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "want ECONNRESET, got %v", err)
	require.Len(t, s.Requests(), 1)
	for _, p := range []string{ProbePath, HealthPath} { // the whole origin
		_, err := get(t, s, p, 5*time.Second)
		assert.Error(t, err, p)
	}
	resp, err := get(t, s, StatusPagePath, 5*time.Second) // another host, really
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	_ = readAll(t, resp)
}

func TestGarbage(t *testing.T) {
	s := listening(t, Config{Mode: "garbage"})
	_, err := get(t, s, "/", 5*time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "malformed HTTP response")

	// Raw, the answer is an SSH banner.
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(s.URL, "http://"), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(5*time.Second)))
	_, err = io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	require.NoError(t, err)
	b, err := io.ReadAll(conn)
	require.NoError(t, err)
	assert.Equal(t, garbageBanner, string(b))
}

func TestHang(t *testing.T) {
	s := listening(t, Config{Mode: "hang"})
	start := time.Now()
	_, err := get(t, s, "/", 300*time.Millisecond)
	require.Error(t, err)
	var ne net.Error
	require.True(t, errors.As(err, &ne), "%v", err)
	assert.True(t, ne.Timeout())
	assert.GreaterOrEqual(t, time.Since(start), 300*time.Millisecond)

	// The control API still answers.
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, s.URL+"/_downfor/mode?name=ok", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+s.Token)
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	_ = readAll(t, resp)
	resp, err = get(t, s, "/", 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	_ = readAll(t, resp)
}

// Close ends hung connections and trickling bodies, and waits for them.
func TestCloseEndsLongRequests(t *testing.T) {
	s, err := Start(Config{Mode: "probe-hang"})
	require.NoError(t, err)
	errs := make(chan error, 2)
	fetch := func(path string) {
		resp, err := get(t, s, path, time.Minute)
		if err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		errs <- err
	}
	go fetch(ProbePath)
	require.Eventually(t, func() bool { return len(s.Requests()) == 1 }, 5*time.Second, time.Millisecond)
	require.NoError(t, s.SetMode("slow-body"))
	go fetch("/")
	require.Eventually(t, func() bool { return len(s.Requests()) == 2 }, 5*time.Second, time.Millisecond)
	done := make(chan struct{})
	go func() {
		s.Close()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not return")
	}
	for range 2 {
		select {
		case err := <-errs:
			assert.Error(t, err)
		case <-time.After(5 * time.Second):
			t.Fatal("a request outlived Close")
		}
	}
}

func TestHugeBody(t *testing.T) {
	s := listening(t, Config{Mode: "huge-body"})
	resp, err := get(t, s, "/", 30*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, int64(10<<30), resp.ContentLength)
	n, err := io.CopyN(io.Discard, resp.Body, 10<<20)
	require.NoError(t, err)
	assert.Equal(t, int64(10<<20), n)
	require.NoError(t, resp.Body.Close())
	// The handler notices the client left; Close (at cleanup) waits for it.
}

func TestSlowBody(t *testing.T) {
	s := listening(t, Config{Mode: "slow-body"})
	resp, err := get(t, s, "/", 1500*time.Millisecond)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Error(t, err)
	assert.Equal(t, ".", string(b))
}

func TestProbeHang(t *testing.T) {
	s := listening(t, Config{Mode: "probe-hang"})
	resp, err := get(t, s, "/", 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 503, resp.StatusCode)
	_ = readAll(t, resp)
	_, err = get(t, s, ProbePath, 200*time.Millisecond)
	require.Error(t, err)
	var ne net.Error
	require.True(t, errors.As(err, &ne))
	assert.True(t, ne.Timeout())
}

func TestRedirectLoop(t *testing.T) {
	s := listening(t, Config{Mode: "redirect-loop"})
	_, err := get(t, s, "/a", 5*time.Second)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "stopped after 10 redirects")
	assert.Len(t, s.Requests(), 10)
}

func TestTLS(t *testing.T) {
	s := listening(t, Config{TLS: true, Mode: "ok"})
	assert.True(t, strings.HasPrefix(s.URL, "https://127.0.0.1:"), s.URL)
	cert := s.Certificate()
	require.NotNil(t, cert)
	assert.Contains(t, cert.DNSNames, "localhost")
	assert.Contains(t, string(s.CertificatePEM()), "BEGIN CERTIFICATE")

	resp, err := get(t, s, "/", 5*time.Second)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, "HTTP/1.1", resp.Proto)
	_ = readAll(t, resp)

	// An ordinary client does not trust it.
	_, err = (&http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}).Get(s.URL)
	var unknown x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &unknown)

	// The network modes work over TLS too.
	require.NoError(t, s.SetMode("reset"))
	_, err = get(t, s, "/", 5*time.Second)
	assert.True(t, errors.Is(err, syscall.ECONNRESET), "%v", err)
	require.NoError(t, s.SetMode("hang"))
	_, err = get(t, s, "/", 200*time.Millisecond)
	assert.Error(t, err)
}

func TestClientIsShared(t *testing.T) {
	s := listening(t, Config{})
	assert.Same(t, s.Client(), s.Client())
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	require.NoError(t, err)
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	_ = readAll(t, resp)
	// Close (at cleanup) closes the client's idle connection.
}
