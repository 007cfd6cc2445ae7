package testserver

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// inMemory starts an in-memory server and closes it when the test ends.
func inMemory(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := StartInMemory(cfg)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// listening starts a listening server and closes it when the test ends.
func listening(t *testing.T, cfg Config) *Server {
	t.Helper()
	s, err := Start(cfg)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// serve drives s.Handler with one request and returns the recorded answer.
func serve(s *Server, method, target string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header[k] = v
	}
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, r)
	return w
}

// readAll reads and closes a response body.
func readAll(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(b)
}

func newReq(method, target string) *http.Request {
	return httptest.NewRequest(method, target, nil)
}

func newRec() *httptest.ResponseRecorder {
	return httptest.NewRecorder()
}

func mustPrefixes(t *testing.T, cidrs ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, c := range cidrs {
		p, err := netip.ParsePrefix(c)
		require.NoError(t, err)
		out = append(out, p)
	}
	return out
}

// splitHostPort splits a server URL into scheme, port and host.
func splitHostPort(t *testing.T, rawURL string) (host, port, scheme string) {
	t.Helper()
	u, err := url.Parse(rawURL)
	require.NoError(t, err)
	return u.Hostname(), u.Port(), u.Scheme
}

func jsonAccept() http.Header {
	return http.Header{"Accept": {"application/json"}}
}

func bearer(token string) http.Header {
	return http.Header{"Authorization": {"Bearer " + token}}
}

func contains(subs ...string) func(t *testing.T, body string) {
	return func(t *testing.T, body string) {
		t.Helper()
		for _, s := range subs {
			require.True(t, strings.Contains(body, s), "body %q should contain %q", body, s)
		}
	}
}
