package classify

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// trackedBody counts the bytes read from a body and records its Close.
type trackedBody struct {
	r      io.Reader
	read   int64
	closed bool
}

func (b *trackedBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.read += int64(n)
	return n, err
}

func (b *trackedBody) Close() error { b.closed = true; return nil }

// failAfter yields data, then fails with err instead of io.EOF.
type failAfter struct {
	data []byte
	err  error
}

func (f *failAfter) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

// endless generates size bytes lazily, as a hostile server streams them.
type endless struct {
	size, off int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.off >= e.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), e.size-e.off))
	for i := range n {
		p[i] = byte('a' + (e.off+int64(i))%26)
	}
	e.off += int64(n)
	return n, nil
}

// randomBytes returns n reproducible bytes.
func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// jsonOf returns a JSON document of exactly n bytes (n >= 24) whose
// maintenance flag is set.
func jsonOf(n int) []byte {
	const head, tail = `{"maintenance":true,"p":"`, `"}`
	return []byte(head + strings.Repeat("x", n-len(head)-len(tail)) + tail)
}

var errBoom = errors.New("connection lost mid-body")

func TestResponsePreservesBody(t *testing.T) {
	const limit = defaultPeekLimit
	tests := []struct {
		name      string
		body      []byte
		knownLen  bool  // ContentLength is set, else -1
		chunked   bool  // the body arrives one byte per Read
		err       error // the body fails with err after body
		opts      *Options
		wantRead  int64 // bytes Response may read, -1 for "any up to limit+1"
		wantClass Class
	}{
		{name: "small json", body: []byte(osfJSON), knownLen: true, wantRead: -1, wantClass: Maintenance},
		{name: "small json unknown length", body: []byte(osfJSON), wantRead: -1, wantClass: Maintenance},
		{name: "small json one byte at a time", body: []byte(osfJSON), chunked: true, wantRead: -1, wantClass: Maintenance},
		{name: "empty", body: []byte{}, knownLen: true, wantRead: 0, wantClass: Malfunction},
		{name: "exactly 64 KiB", body: jsonOf(limit), knownLen: true, wantRead: -1, wantClass: Maintenance},
		{name: "exactly 64 KiB unknown length", body: jsonOf(limit), wantRead: -1, wantClass: Maintenance},
		{name: "64 KiB + 1 known length is not read", body: jsonOf(limit + 1), knownLen: true, wantRead: 0, wantClass: Malfunction},
		{name: "64 KiB + 1 unknown length", body: jsonOf(limit + 1), wantRead: limit + 1, wantClass: Malfunction},
		{name: "several MiB", body: randomBytes(3<<20+17, 1), wantRead: limit + 1, wantClass: Malfunction},
		{name: "several MiB html rule", body: randomBytes(3<<20, 2), knownLen: true, opts: &Options{HTMLTitle: true},
			wantRead: limit + 1, wantClass: Malfunction},
		{name: "small peek limit", body: randomBytes(1000, 3), opts: &Options{PeekLimit: 10}, wantRead: 11, wantClass: Malfunction},
		{name: "error mid-peek", body: []byte(`{"maintenance":tr`), err: errBoom, wantRead: -1, wantClass: Malfunction},
		{name: "error mid-peek at once", body: nil, err: errBoom, wantRead: 0, wantClass: Malfunction},
		{name: "error after the peek", body: randomBytes(limit+500, 4), err: errBoom, wantRead: limit + 1, wantClass: Malfunction},
		{name: "unexpected EOF", body: []byte(`{"maint`), err: io.ErrUnexpectedEOF, wantRead: -1, wantClass: Malfunction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r io.Reader = bytes.NewReader(tt.body)
			if tt.err != nil {
				r = &failAfter{data: bytes.Clone(tt.body), err: tt.err}
			}
			if tt.chunked {
				r = iotest.OneByteReader(r)
			}
			orig := &trackedBody{r: r}
			h := hdr("Content-Type", "application/json")
			if tt.opts != nil && tt.opts.HTMLTitle {
				h = hdr("Content-Type", "text/html")
			}
			resp := &http.Response{StatusCode: 503, Header: h, Body: orig, ContentLength: -1}
			if tt.knownLen {
				resp.ContentLength = int64(len(tt.body))
			}

			v := Response(resp, testNow, tt.opts)
			assert.Equal(t, tt.wantClass, v.Class)
			if tt.wantRead >= 0 {
				assert.Equal(t, tt.wantRead, orig.read, "bytes read by Response")
			} else {
				assert.LessOrEqual(t, orig.read, int64(limit+1))
			}
			assert.False(t, orig.closed, "Response does not close the body")

			got, err := io.ReadAll(resp.Body)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err, "the body's own error reaches the caller")
				_, again := resp.Body.Read(make([]byte, 1))
				assert.ErrorIs(t, again, tt.err, "and stays")
			} else {
				assert.NoError(t, err)
			}
			assert.True(t, bytes.Equal(tt.body, got), "body byte for byte: got %d bytes, want %d", len(got), len(tt.body))
			require.NoError(t, resp.Body.Close())
			assert.True(t, orig.closed, "closing the body closes the original")
		})
	}
}

func TestResponse2xxReadsNothing(t *testing.T) {
	for _, tt := range []struct {
		name string
		h    http.Header
		opts *Options
	}{
		{"json", hdr("Content-Type", "application/json"), nil},
		{"unlabelled", nil, nil},
		{"html", hdr("Content-Type", "text/html"), nil},
		{"header rule", hdr("Content-Type", "application/json"), &Options{Rules: []Rule{{Header: "X-Maintenance"}}}},
		{"json rule on html", hdr("Content-Type", "text/html"), &Options{Rules: []Rule{{JSONField: "status"}}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			orig := &trackedBody{r: strings.NewReader(osfJSON)}
			resp := &http.Response{StatusCode: 200, Header: tt.h, Body: orig, ContentLength: -1}
			v := Response(resp, testNow, tt.opts)
			assert.Equal(t, OK, v.Class)
			assert.Zero(t, orig.read, "a 2xx without JSON rules reads nothing")
			assert.Same(t, orig, resp.Body, "and leaves the body alone")
		})
	}
}

func TestResponseHugeBody(t *testing.T) {
	const tenGiB = 10 << 30
	for _, tt := range []struct {
		name  string
		ct    string
		cl    int64
		opts  *Options
		limit int64
	}{
		{"json unknown length", "application/json", -1, nil, defaultPeekLimit + 1},
		{"json known length", "application/json", tenGiB, nil, 0},
		{"unlabelled", "", -1, nil, defaultPeekLimit + 1},
		{"html rule known length", "text/html", tenGiB, &Options{HTMLTitle: true}, defaultPeekLimit + 1},
		{"json rule", "application/json", -1, &Options{Rules: []Rule{{JSONField: "a"}}}, defaultPeekLimit + 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			gen := &endless{size: tenGiB}
			orig := &trackedBody{r: gen}
			resp := &http.Response{StatusCode: 503, Header: hdr("Content-Type", tt.ct), Body: orig, ContentLength: tt.cl}
			v := Response(resp, testNow, tt.opts)
			assert.Equal(t, Malfunction, v.Class)
			assert.LessOrEqual(t, orig.read, tt.limit, "reads at most the peek limit + 1")

			// The first bytes are still the generator's, in order.
			head := make([]byte, 2*defaultPeekLimit+3)
			_, err := io.ReadFull(resp.Body, head)
			require.NoError(t, err)
			want := make([]byte, len(head))
			_, _ = (&endless{size: tenGiB}).Read(want)
			assert.True(t, bytes.Equal(want, head))
		})
	}
}

func TestResponseNoBody(t *testing.T) {
	for _, b := range []io.ReadCloser{nil, http.NoBody} {
		v := Response(&http.Response{StatusCode: 503, Header: hdr("Content-Type", "application/json"), Body: b}, testNow, nil)
		assert.Equal(t, Malfunction, v.Class, "a response without a body is classified all the same")
	}
}
