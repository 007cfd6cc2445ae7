package testserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A client that sends huge headers cannot make the request log hold them:
// each entry keeps at most maxEntryHeaderBytes of header (issue 17: 1 MB
// headers times 100,000 entries was ~100 GB).
func TestRequestLogCapsHeaders(t *testing.T) {
	s := inMemory(t, Config{})
	h := http.Header{"Authorization": {"Bearer x"}}
	for i := range 100 {
		h.Set(fmt.Sprintf("X-Big-%03d", i), strings.Repeat("a", 1000))
	}
	serve(s, http.MethodGet, "/big", h)
	serve(s, http.MethodGet, "/small", http.Header{"X-Small": {"1"}})
	serve(s, http.MethodGet, "/"+strings.Repeat("p", 3*maxEntryURLBytes)+"?"+strings.Repeat("q", 3*maxEntryURLBytes), nil)

	reqs := s.Requests()
	require.Len(t, reqs, 3)
	big := reqs[0]
	assert.True(t, big.HeaderTruncated)
	assert.LessOrEqual(t, headerBytes(big.Header), maxEntryHeaderBytes)
	assert.Equal(t, "Bearer x", big.Header.Get("Authorization"), "fields are kept in name order until the cap")
	assert.Equal(t, strings.Repeat("a", 1000), big.Header.Get("X-Big-000"))
	assert.Empty(t, big.Header.Get("X-Big-099"))

	assert.False(t, reqs[1].HeaderTruncated)
	assert.Equal(t, "1", reqs[1].Header.Get("X-Small"))

	assert.True(t, reqs[2].HeaderTruncated)
	assert.Len(t, reqs[2].Path, maxEntryURLBytes)
	assert.Len(t, reqs[2].Query, maxEntryURLBytes)
}

func headerBytes(h http.Header) int {
	n := 0
	for name, values := range h {
		for _, v := range values {
			n += len(name) + len(v) + 4
		}
	}
	return n
}

// The log holds at most maxBytes: the oldest entries go first.
func TestRequestLogByteBound(t *testing.T) {
	l := requestLog{maxBytes: 10 * (entryOverhead + 100)}
	for i := range 50 {
		l.add(Request{Path: fmt.Sprintf("/%03d", i), Header: http.Header{"X": {strings.Repeat("v", 90)}}})
		assert.LessOrEqual(t, l.bytes, l.maxBytes)
	}
	all := l.all()
	require.NotEmpty(t, all)
	assert.Less(t, len(all), 15)
	assert.Equal(t, "/049", all[len(all)-1].Path)
	total := 0
	for i := range all {
		total += all[i].size()
	}
	assert.Equal(t, l.bytes, total)
	for i := 1; i < len(all); i++ {
		assert.Less(t, all[i-1].Path, all[i].Path, "oldest first")
	}

	// One entry larger than the bound is still kept, alone.
	l.add(Request{Path: strings.Repeat("x", l.maxBytes)})
	assert.Len(t, l.all(), 1)
	l.reset()
	assert.Empty(t, l.all())
	assert.Zero(t, l.bytes)
}

// The listening server refuses a header past maxHeaderBytes (431) and sets
// its read and idle timeouts.
func TestServerConnectionLimits(t *testing.T) {
	s := listening(t, Config{})
	assert.Equal(t, maxHeaderBytes, s.srv.MaxHeaderBytes)
	assert.Equal(t, readHeaderTimeout, s.srv.ReadHeaderTimeout)
	assert.Equal(t, readTimeout, s.srv.ReadTimeout)
	assert.Equal(t, idleTimeout, s.srv.IdleTimeout)

	req, err := http.NewRequest(http.MethodGet, s.URL+"/", nil)
	require.NoError(t, err)
	req.Header.Set("X-Huge", strings.Repeat("h", 2*maxHeaderBytes))
	resp, err := s.Client().Do(req)
	require.NoError(t, err)
	readAll(t, resp)
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, resp.StatusCode)
	assert.Empty(t, s.Requests(), "a refused request is not recorded")
}

// The read timeout bounds a slow request, but does not cut a long answer:
// slow-body keeps trickling past it.
func TestReadTimeoutDoesNotCutSlowBody(t *testing.T) {
	s := listening(t, Config{Mode: "slow-body", readTimeout: 100 * time.Millisecond})
	resp, err := s.Client().Get(s.URL + "/")
	require.NoError(t, err)
	defer resp.Body.Close()
	var b [2]byte
	// The first byte comes after a second, well past the read timeout; had
	// the timeout ended the handler's context, the body would be empty.
	_, err = io.ReadFull(resp.Body, b[:1])
	require.NoError(t, err)
	assert.Equal(t, byte('.'), b[0])

	// A client that never sends the body it announced is cut off.
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.URL, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	_, err = fmt.Fprintf(conn, "POST /_downfor/mode HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname=", s.Token)
	require.NoError(t, err)
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	resp2, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err, "the server answers once its read timeout passes")
	readAll(t, resp2)
	assert.Equal(t, http.StatusBadRequest, resp2.StatusCode)
	assert.Equal(t, "slow-body", s.Mode())
}
