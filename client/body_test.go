package client_test

import (
	"bytes"
	"crypto/rand"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/testserver"
)

// TestBodiesIntact: the caller reads the whole body, byte for byte, even
// when the client peeked at it, over a real loopback connection.
func TestBodiesIntact(t *testing.T) {
	payload := make([]byte, 3<<20+123)
	_, _ = rand.Read(payload)
	jsonBody := append(append([]byte(`{"maintenance":false,"data":"`), bytes.Repeat([]byte("x"), 3<<20)...), []byte(`"}`)...)
	tests := []struct {
		name    string
		status  int
		ctype   string
		body    []byte
		chunked bool
		rules   []classify.Rule
	}{
		{"200 binary", 200, "application/octet-stream", payload, false, nil},
		{"200 binary chunked", 200, "application/octet-stream", payload, true, nil},
		{"404 JSON chunked, peeked", 404, "application/json", jsonBody, true, nil},
		{"409 JSON with length", 409, "application/json", jsonBody, false, nil},
		{"200 JSON with a JSON rule, peeked", 200, "application/json", jsonBody, true, []classify.Rule{{JSONField: "maintenance", Value: "true"}}},
		{"small 400 JSON, peeked whole", 400, "application/json", []byte(`{"error":"bad"}`), false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				if tt.chunked {
					for b := tt.body; len(b) > 0; {
						n := min(len(b), 100_000)
						w.Write(b[:n])
						w.(http.Flusher).Flush()
						b = b[n:]
					}
					return
				}
				w.Write(tt.body)
			}))
			defer srv.Close()
			c := client.New(client.Config{Classify: classify.Options{Rules: tt.rules}})
			defer c.CloseIdleConnections()
			resp, err := get(t, c.StandardClient(), t.Context(), srv.URL)
			require.NoError(t, err)
			assert.Equal(t, tt.status, resp.StatusCode)
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(tt.body, got), "body differs: got %d bytes, want %d", len(got), len(tt.body))
		})
	}
}

// TestErrorResponseBuffered: the last response of an alert is kept, its
// body buffered up to the limit, and the original closed.
func TestErrorResponseBuffered(t *testing.T) {
	big := bytes.Repeat([]byte("e"), 3<<20)
	tests := []struct {
		name      string
		limit     int64
		body      []byte
		want      int
		truncated bool
	}{
		{"default limit truncates", 0, big, client.DefaultErrorBodyLimit, true},
		{"small body whole", 0, []byte("oops"), 4, false},
		{"custom limit", 10, big, 10, true},
		{"negative limit keeps none", -1, big, 0, true},
		{"exact limit", 4, []byte("oops"), 4, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Trace", "t-1")
				w.WriteHeader(500)
				w.Write(tt.body)
			}))
			defer srv.Close()
			c := client.New(client.Config{ErrorBodyLimit: tt.limit, InBandOnly: true, On: client.Policies{Malfunction: client.Policy{Retries: -1}}})
			defer c.CloseIdleConnections()
			_, err := get(t, c.StandardClient(), t.Context(), srv.URL)
			de := asError(t, err)
			require.NotNil(t, de.Response)
			assert.Equal(t, 500, de.Response.StatusCode)
			assert.Equal(t, "t-1", de.Response.Header.Get("X-Trace"))
			got, err := io.ReadAll(de.Response.Body)
			require.NoError(t, err)
			assert.Len(t, got, tt.want)
			assert.Equal(t, int64(tt.want), de.Response.ContentLength)
			assert.Equal(t, tt.truncated, de.BodyTruncated)
			assert.NoError(t, de.Response.Body.Close())
			require.NotNil(t, de.Response.Request)
			assert.Equal(t, srv.URL, de.Response.Request.URL.String())
		})
	}
}

// TestHugeBodyFlat: a 503 whose body streams 10 GiB costs a bounded amount
// of memory (the peek, the 1 MiB error buffer, the drains).
func TestHugeBodyFlat(t *testing.T) {
	srv, err := testserver.New("huge-body")
	require.NoError(t, err)
	defer srv.Close()
	c := client.New(client.Config{InBandOnly: true, Schedule: client.Schedule{Floor: time.Millisecond}, On: client.Policies{Malfunction: client.Policy{Retries: 2}}})
	defer c.CloseIdleConnections()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = get(t, c.StandardClient(), t.Context(), srv.URL+"/x")
	runtime.ReadMemStats(&after)
	de := asError(t, err)
	assert.Equal(t, classify.Malfunction, de.Verdict.Class)
	assert.Equal(t, 3, de.Attempts)
	assert.True(t, de.BodyTruncated)
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %d KiB for 3 attempts at a 10 GiB body", alloc>>10)
	assert.Less(t, alloc, uint64(8<<20))
}
