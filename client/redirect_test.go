package client_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/client"
)

const (
	redirectAuth      = "Bearer auth-d0wnf0r"
	redirectProxyAuth = "Basic proxy-d0wnf0r"
	redirectCookie    = "session=cookie-d0wnf0r"
	redirectCookie2   = "$Version=1; cookie2-d0wnf0r"
	redirectJar       = "jar-d0wnf0r"
	redirectTrace     = "trace-d0wnf0r"
)

// redirectChain is an in-memory service that answers the n-th request with
// a 302 to chain[n+1], and the last with 200, recording the headers of
// each.
type redirectChain struct {
	chain []string

	mu   sync.Mutex
	hops []http.Header
}

func (rc *redirectChain) RoundTrip(req *http.Request) (*http.Response, error) {
	rc.mu.Lock()
	n := len(rc.hops)
	rc.hops = append(rc.hops, req.Header.Clone())
	rc.mu.Unlock()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n+1 < len(rc.chain) {
			http.Redirect(w, r, rc.chain[n+1], http.StatusFound)
			return
		}
		io.WriteString(w, "landed")
	})
	return handlerTransport{h}.RoundTrip(req)
}

func (rc *redirectChain) headers() []http.Header {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]http.Header(nil), rc.hops...)
}

// carries reports which of the credentials (and the harmless trace header)
// h holds, whatever the case of its keys.
func carries(h http.Header) (creds []string, trace bool) {
	for _, vv := range h {
		v := strings.Join(vv, "; ")
		for _, secret := range []string{redirectAuth, redirectProxyAuth, redirectCookie, redirectCookie2} {
			if strings.Contains(v, secret) {
				creds = append(creds, secret)
			}
		}
		trace = trace || strings.Contains(v, redirectTrace)
	}
	return creds, trace
}

// TestRedirectCredentials: through StandardClient and Wrap, the caller's
// Authorization, Proxy-Authorization, Cookie and Cookie2 headers follow a
// redirect only while it stays on the first request's origin (scheme,
// host, port; default ports normalised), and never again once it has
// left; other headers always follow. A caller's own CheckRedirect runs
// after the credentials are removed, and its error ends the chain.
func TestRedirectCredentials(t *testing.T) {
	tests := []struct {
		name  string
		chain []string // the first URL, then each redirect's Location
		keep  []bool   // for each redirect: whether the credentials follow
	}{
		{"same origin", []string{"http://svc.test/a", "/b"}, []bool{true}},
		{"http default port spelled out", []string{"http://svc.test/a", "http://svc.test:80/b"}, []bool{true}},
		{"https default port spelled out", []string{"https://svc.test/a", "https://svc.test:443/b"}, []bool{true}},
		{"another port", []string{"http://svc.test:8080/a", "http://svc.test:9090/b"}, []bool{false}},
		{"default port to another", []string{"http://svc.test/a", "http://svc.test:8080/b"}, []bool{false}},
		{"https to http", []string{"https://svc.test/a", "http://svc.test/b"}, []bool{false}},
		{"http to https", []string{"http://svc.test/a", "https://svc.test/b"}, []bool{false}},
		{"https port 80", []string{"http://svc.test/a", "https://svc.test:80/b"}, []bool{false}},
		{"another host", []string{"http://svc.test/a", "http://other.test/b"}, []bool{false}},
		{"a subdomain", []string{"http://svc.test/a", "http://api.svc.test/b"}, []bool{false}},
		{"IPv6 literal, another port", []string{"http://[::1]:8080/a", "http://[::1]:9090/b"}, []bool{false}},
		{"within the origin, then away", []string{"http://svc.test/a", "/b", "http://svc.test:8080/c"}, []bool{true, false}},
		{"away and back", []string{"http://svc.test/a", "http://svc.test:8080/b", "http://svc.test/c"}, []bool{false, false}},
	}
	type via struct {
		name string
		hc   func(rt http.RoundTripper, check func(*http.Request, []*http.Request) error) *http.Client
		own  bool // the caller has a CheckRedirect of its own
	}
	clients := []via{
		{"standard", func(rt http.RoundTripper, _ func(*http.Request, []*http.Request) error) *http.Client {
			return client.New(client.Config{Transport: rt, InBandOnly: true}).StandardClient()
		}, false},
		{"wrap", func(rt http.RoundTripper, _ func(*http.Request, []*http.Request) error) *http.Client {
			return client.Wrap(&http.Client{Transport: rt}, client.Config{InBandOnly: true})
		}, false},
		{"wrap with its own policy", func(rt http.RoundTripper, check func(*http.Request, []*http.Request) error) *http.Client {
			return client.Wrap(&http.Client{Transport: rt, CheckRedirect: check}, client.Config{InBandOnly: true})
		}, true},
	}
	for _, tt := range tests {
		for _, c := range clients {
			t.Run(tt.name+"/"+c.name, func(t *testing.T) {
				rc := &redirectChain{chain: tt.chain}
				var seen []http.Header // what the caller's CheckRedirect saw
				check := func(req *http.Request, _ []*http.Request) error {
					seen = append(seen, req.Header.Clone())
					return nil
				}
				hc := c.hc(rc, check)
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, tt.chain[0], nil)
				require.NoError(t, err)
				req.Header.Set("Authorization", redirectAuth)
				req.Header.Set("Proxy-Authorization", redirectProxyAuth)
				req.Header.Set("Cookie", redirectCookie)
				req.Header["cookie2"] = []string{redirectCookie2} // not canonical: still a credential
				req.Header.Set("X-Trace", redirectTrace)
				resp, err := hc.Do(req)
				require.NoError(t, err)
				resp.Body.Close()
				assert.Equal(t, http.StatusOK, resp.StatusCode)

				hops := rc.headers()
				require.Len(t, hops, len(tt.chain))
				creds, trace := carries(hops[0])
				assert.Len(t, creds, 4, "the first request carries every credential")
				assert.True(t, trace)
				for i, keep := range tt.keep {
					creds, trace := carries(hops[i+1])
					if keep {
						assert.Len(t, creds, 4, "redirect %d to %s, same origin", i+1, tt.chain[i+1])
					} else {
						assert.Empty(t, creds, "redirect %d to %s, another origin", i+1, tt.chain[i+1])
					}
					assert.True(t, trace, "redirect %d: other headers follow", i+1)
				}
				if c.own {
					require.Len(t, seen, len(tt.keep))
					for i, keep := range tt.keep {
						creds, _ := carries(seen[i])
						assert.Equal(t, keep, len(creds) == 4, "the caller's policy runs after the removal (redirect %d)", i+1)
					}
				}
			})
		}
	}
}

// TestRedirectPolicyOrder: Wrap runs the caller's own CheckRedirect, whose
// error ends the chain; without one, net/http's limit of 10 applies.
func TestRedirectPolicyOrder(t *testing.T) {
	loop := make([]string, 30)
	for i := range loop {
		loop[i] = "/a"
	}
	loop[0] = "http://svc.test/a"

	stop := errors.New("no second redirect")
	rc := &redirectChain{chain: loop}
	hc := client.Wrap(&http.Client{Transport: rc, CheckRedirect: func(_ *http.Request, via []*http.Request) error {
		if len(via) >= 2 {
			return stop
		}
		return nil
	}}, client.Config{InBandOnly: true, MaxRedirects: -1})
	_, err := hc.Get(loop[0])
	require.ErrorIs(t, err, stop)
	assert.Len(t, rc.headers(), 2)

	for name, hc := range map[string]func(http.RoundTripper) *http.Client{
		"standard": func(rt http.RoundTripper) *http.Client {
			return client.New(client.Config{Transport: rt, InBandOnly: true, MaxRedirects: -1}).StandardClient()
		},
		"wrap": func(rt http.RoundTripper) *http.Client {
			return client.Wrap(&http.Client{Transport: rt}, client.Config{InBandOnly: true, MaxRedirects: -1})
		},
	} {
		t.Run(name, func(t *testing.T) {
			rc := &redirectChain{chain: loop}
			_, err := hc(rc).Get(loop[0])
			require.Error(t, err)
			assert.Contains(t, err.Error(), "stopped after 10 redirects")
			assert.Len(t, rc.headers(), 10)
		})
	}
}

// TestRedirectJarCookies: cookies from a Jar are added by net/http after
// CheckRedirect, by each cookie's own scope (RFC 6265: domain and path,
// not port), so a jar cookie for the host reaches it on another port while
// the explicit Cookie header does not.
func TestRedirectJarCookies(t *testing.T) {
	rc := &redirectChain{chain: []string{"http://svc.test/a", "http://svc.test:8080/b", "http://other.test/c"}}
	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	u, _ := url.Parse("http://svc.test/")
	jar.SetCookies(u, []*http.Cookie{{Name: "jar", Value: redirectJar, Path: "/"}})
	hc := client.Wrap(&http.Client{Transport: rc, Jar: jar}, client.Config{InBandOnly: true})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, rc.chain[0], nil)
	require.NoError(t, err)
	req.Header.Set("Cookie", redirectCookie)
	resp, err := hc.Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	hops := rc.headers()
	require.Len(t, hops, 3)
	assert.Contains(t, hops[0].Get("Cookie"), redirectCookie)
	assert.Contains(t, hops[0].Get("Cookie"), redirectJar)
	assert.NotContains(t, hops[1].Get("Cookie"), redirectCookie, "explicit cookie on another port")
	assert.Contains(t, hops[1].Get("Cookie"), redirectJar, "the jar's scope is the host, any port")
	assert.Empty(t, hops[2].Get("Cookie"), "another host")
}
