package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/announce"
	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
)

type reply struct {
	status int
	header http.Header
	body   string
}

func do(t *testing.T, method, url string, header map[string]string) reply {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

// TestService walks the example through a maintenance switched by the
// flag file, then by the admin endpoint, and has downfor's client
// classify each.
func TestService(t *testing.T) {
	flag := filepath.Join(t.TempDir(), "down")
	handler, _ := newService(config{flagFile: flag, flagCheck: -1, secret: "s3cret"})
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	orders := srv.URL + "/v1/orders"
	dc := client.New(client.Config{MaxWait: -1}) // never wait: classify and skip
	verdict := func() classify.Verdict {
		v, err := dc.Check(t.Context(), orders)
		require.NoError(t, err)
		return v
	}

	r := do(t, "GET", orders, nil)
	assert.Equal(t, 200, r.status)
	assert.Contains(t, r.body, "A-1001")
	assert.Equal(t, 404, do(t, "GET", srv.URL+announce.ProbePath, nil).status)
	assert.Equal(t, classify.OK, verdict().Class)

	// The flag file, with an end and a message.
	until := time.Now().Add(time.Hour).UTC().Truncate(time.Second)
	require.NoError(t, os.WriteFile(flag, []byte(until.Format(time.RFC3339)+"\nSwapping a disk.\n"), 0o644))
	r = do(t, "GET", orders, nil)
	assert.Equal(t, 503, r.status)
	assert.NotEmpty(t, r.header.Get("Retry-After"))
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.body), &doc))
	assert.Equal(t, "Swapping a disk.", doc["message"])
	assert.Equal(t, until.Format(time.RFC3339), doc["until"])
	assert.Equal(t, 200, do(t, "GET", srv.URL+announce.ProbePath, nil).status)
	v := verdict()
	assert.Equal(t, classify.Maintenance, v.Class, "%s", v)
	assert.Equal(t, classify.Explicit, v.Confidence, "%s", v)

	// Health tells maintenance from failure, to loopback (the test's own
	// client is on loopback).
	h := do(t, "GET", srv.URL+"/health", nil)
	assert.Equal(t, 503, h.status)
	assert.Contains(t, h.body, "OUT_OF_SERVICE")

	// The operator's secret sees the service as usual.
	assert.Equal(t, 200, do(t, "GET", orders, map[string]string{announce.BypassHeader: "s3cret"}).status)
	g := do(t, "GET", srv.URL+"/s3cret", nil)
	assert.Equal(t, http.StatusSeeOther, g.status)
	assert.Contains(t, g.header.Get("Set-Cookie"), announce.BypassCookie+"=")

	require.NoError(t, os.Remove(flag))
	assert.Equal(t, 200, do(t, "GET", orders, nil).status)

	// The admin endpoint, with no end.
	a := do(t, "POST", srv.URL+"/admin/maintenance?message=Upgrading+the+database.", nil)
	assert.Equal(t, 200, a.status)
	assert.Equal(t, "maintenance: true\n", a.body)
	r = do(t, "GET", orders, map[string]string{"Accept": "text/html"})
	assert.Equal(t, 503, r.status)
	assert.Empty(t, r.header.Get("Retry-After"), "the end is unknown")
	assert.Contains(t, r.body, "Upgrading the database.")
	assert.Contains(t, r.body, "The end is not known yet.")
	v = verdict()
	assert.Equal(t, classify.Maintenance, v.Class, "%s", v)
	assert.Equal(t, classify.Explicit, v.Confidence, "%s", v)

	assert.Equal(t, 400, do(t, "POST", srv.URL+"/admin/maintenance?for=-5m", nil).status)
	assert.Equal(t, 405, do(t, "PUT", srv.URL+"/admin/maintenance", nil).status)
	assert.Equal(t, 200, do(t, "DELETE", srv.URL+"/admin/maintenance", nil).status)
	assert.Equal(t, 200, do(t, "GET", orders, nil).status)
	assert.Equal(t, classify.OK, verdict().Class)
}

// TestRun starts the program on a free port, reads its URL and stops it.
func TestRun(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(t.Context())
	codes := make(chan int, 1)
	go func() {
		code := run(ctx, []string{"-listen", "127.0.0.1:0", "-flag-file", ""}, pw, io.Discard)
		pw.Close()
		codes <- code
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	fields := strings.Fields(line)
	require.GreaterOrEqual(t, len(fields), 4, line)
	url := fields[3]
	assert.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), line)
	assert.Equal(t, 200, do(t, "GET", url+"/v1/orders", nil).status)
	cancel()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	assert.Equal(t, exitOK, <-codes)
}

func TestUsage(t *testing.T) {
	assert.Equal(t, exitUsage, run(t.Context(), []string{"extra"}, io.Discard, io.Discard))
	assert.Equal(t, exitUsage, run(t.Context(), []string{"-nope"}, io.Discard, io.Discard))
	assert.Equal(t, exitError, run(t.Context(), []string{"-listen", "256.0.0.1:1"}, io.Discard, io.Discard))
}
