package client_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

// hangingTransport accepts every request and never answers, until the
// request's context ends: the in-memory twin of the "hang" mode.
type hangingTransport struct{ calls *int }

func (t hangingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	*t.calls++
	<-req.Context().Done()
	return nil, req.Context().Err()
}

// TestAttemptTimeoutBoundsHang: a server that never answers costs at most
// AttemptTimeout per attempt, each attempt is a network timeout retried by
// the policy, and the request alerts after the retries, on a caller with no
// deadline at all.
func TestAttemptTimeoutBoundsHang(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		var classes []classify.Class
		c := client.New(client.Config{
			Transport:      hangingTransport{calls: &calls},
			AttemptTimeout: 2 * time.Second,
			InBandOnly:     true,
			OnVerdict: func(_ *http.Request, v classify.Verdict, _ client.Decision) {
				classes = append(classes, v.Class)
			},
		})
		start := time.Now()
		resp, err := c.StandardClient().Get("http://hang.test/")
		elapsed := time.Since(start)
		if resp != nil {
			resp.Body.Close()
		}
		var de *client.Error
		require.ErrorAs(t, err, &de)
		assert.ErrorIs(t, err, client.ErrAlert)
		assert.ErrorIs(t, err, client.ErrNetwork)
		assert.Equal(t, client.DefaultRetries+1, calls)
		assert.Equal(t, client.DefaultRetries+1, de.Attempts)
		for _, cl := range classes {
			assert.Equal(t, classify.Network, cl)
		}
		e, ok := de.Verdict.Strongest()
		require.True(t, ok)
		assert.Equal(t, "timeout", e.Signal, "%v", de.Verdict)
		// Every attempt took exactly the bound, plus the backoff between them.
		attempts := time.Duration(calls) * 2 * time.Second
		assert.Equal(t, attempts+de.Waited, elapsed)
	})
}

// TestAttemptTimeoutDefaultTransport: with the client's own transport the
// bound is net/http's ResponseHeaderTimeout, against a real hanging socket.
func TestAttemptTimeoutDefaultTransport(t *testing.T) {
	srv, err := testserver.New("hang")
	require.NoError(t, err)
	defer srv.Close()
	c := client.New(client.Config{AttemptTimeout: 50 * time.Millisecond, InBandOnly: true, MaxWait: -1})
	defer c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/", nil)
	require.NoError(t, err)
	resp, err := c.StandardClient().Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	var de *client.Error
	require.ErrorAs(t, err, &de, "%v", err)
	assert.Equal(t, classify.Network, de.Verdict.Class)
	e, ok := de.Verdict.Strongest()
	require.True(t, ok)
	assert.Equal(t, "timeout", e.Signal, "%v", de.Verdict)
	assert.NoError(t, ctx.Err(), "the attempt bound, not the caller's deadline, ended the hang")
}

// TestAttemptTimeoutNegative: a negative bound leaves attempts to the
// caller's context, whose end is the caller's own and not a verdict.
func TestAttemptTimeoutNegative(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		calls := 0
		c := client.New(client.Config{Transport: hangingTransport{calls: &calls}, AttemptTimeout: -1, InBandOnly: true})
		ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
		defer cancel()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://hang.test/", nil)
		require.NoError(t, err)
		start := time.Now()
		_, err = c.StandardClient().Do(req)
		require.Error(t, err)
		assert.True(t, errors.Is(err, context.DeadlineExceeded), "%v", err)
		assert.Equal(t, time.Hour, time.Since(start))
		assert.Equal(t, 1, calls)
	})
}
