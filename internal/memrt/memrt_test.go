package memrt_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/internal/memrt"
)

func TestTransport(t *testing.T) {
	var got *http.Request
	var gotBody string
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r
		b, _ := io.ReadAll(r.Body)
		gotBody = string(b)
		w.Header().Set("X-Seen", r.RemoteAddr)
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, "short and stout")
	})
	for _, tt := range []struct{ addr, want string }{{"", "127.0.0.1:40000"}, {"192.0.2.1:1", "192.0.2.1:1"}} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://svc.test/a?b=c", strings.NewReader("payload"))
		require.NoError(t, err)
		resp, err := memrt.Transport{Handler: h, RemoteAddr: tt.addr}.RoundTrip(req)
		require.NoError(t, err)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Equal(t, http.StatusTeapot, resp.StatusCode)
		assert.Equal(t, "short and stout", string(body))
		assert.Same(t, req, resp.Request)
		assert.Equal(t, tt.want, resp.Header.Get("X-Seen"))
		assert.Equal(t, "payload", gotBody)
		assert.Equal(t, "/a?b=c", got.RequestURI)
		assert.Equal(t, "svc.test", got.Host)
	}
}

func TestTransportEndedContext(t *testing.T) {
	cause := errors.New("gave up")
	ctx, cancel := context.WithCancelCause(t.Context())
	cancel(cause)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://svc.test/", nil)
	require.NoError(t, err)
	called := false
	_, err = memrt.Transport{Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })}.RoundTrip(req)
	assert.ErrorIs(t, err, cause)
	assert.False(t, called, "the handler never sees a request whose context ended")
}
