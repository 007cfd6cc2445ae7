package peek

import (
	"bytes"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var errBoom = errors.New("connection lost mid-body")

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

// randomBytes returns n reproducible bytes.
func randomBytes(n int) []byte {
	r := rand.New(rand.NewPCG(9, 9))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func TestBody(t *testing.T) {
	body := []byte("0123456789")
	tests := []struct {
		name      string
		limit     int
		cl        int64
		want      string
		truncated bool
	}{
		{"limit 0 reads nothing", 0, -1, "", false},
		{"negative limit reads nothing", -3, -1, "", false},
		{"shorter than limit", 20, -1, "0123456789", false},
		{"exactly the limit", 10, -1, "0123456789", false},
		{"one past the limit", 9, -1, "012345678", true},
		{"small limit", 1, -1, "0", true},
		{"known length", 20, 10, "0123456789", false},
		{"lying length", 20, 3, "0123456789", false},
		{"max int", math.MaxInt, -1, "0123456789", false},
		{"max int known length", math.MaxInt, 10, "0123456789", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := &http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: tt.cl}
			prefix, truncated, err := Body(resp, tt.limit)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(prefix))
			assert.Equal(t, tt.truncated, truncated)
			rest, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, string(body), string(rest))
		})
	}
}

func TestBodyNoBody(t *testing.T) {
	for _, b := range []io.ReadCloser{nil, http.NoBody} {
		resp := &http.Response{Body: b}
		prefix, truncated, err := Body(resp, 10)
		assert.Nil(t, prefix)
		assert.False(t, truncated)
		assert.NoError(t, err)
		assert.Equal(t, b, resp.Body)
	}
}

func TestBodyError(t *testing.T) {
	resp := &http.Response{Body: io.NopCloser(&failAfter{data: []byte("abc"), err: errBoom}), ContentLength: -1}
	prefix, truncated, err := Body(resp, 10)
	assert.Equal(t, "abc", string(prefix))
	assert.False(t, truncated)
	assert.ErrorIs(t, err, errBoom)
	got, err := io.ReadAll(resp.Body)
	assert.Equal(t, "abc", string(got))
	assert.ErrorIs(t, err, errBoom)
}

// stuck returns (0, nil) forever, which io.Reader discourages.
type stuck struct{ calls int }

func (s *stuck) Read([]byte) (int, error) { s.calls++; return 0, nil }

func TestBodyNoProgress(t *testing.T) {
	s := &stuck{}
	resp := &http.Response{Body: io.NopCloser(io.MultiReader(strings.NewReader("ab"), s)), ContentLength: -1}
	prefix, _, err := Body(resp, 10)
	assert.ErrorIs(t, err, io.ErrNoProgress)
	assert.Equal(t, "ab", string(prefix))
	assert.Equal(t, maxEmptyReads, s.calls)
	got, err := io.ReadAll(resp.Body)
	assert.Equal(t, "ab", string(got))
	assert.ErrorIs(t, err, io.ErrNoProgress)
}

func TestBodyIsReadableInSmallPieces(t *testing.T) {
	body := randomBytes(5000)
	resp := &http.Response{Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1}
	_, truncated, err := Body(resp, 1000)
	require.NoError(t, err)
	require.True(t, truncated)
	require.NoError(t, iotest.TestReader(resp.Body, body))
}

func FuzzPeek(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte, limit int, chunk uint8, knownLength bool) {
		var r io.Reader = bytes.NewReader(body)
		if chunk%4 == 1 {
			r = iotest.OneByteReader(r)
		} else if chunk%4 == 2 {
			r = iotest.HalfReader(r)
		} else if chunk%4 == 3 {
			r = iotest.DataErrReader(r)
		}
		resp := &http.Response{Body: io.NopCloser(r), ContentLength: -1}
		if knownLength {
			resp.ContentLength = int64(len(body))
		}
		prefix, truncated, err := Body(resp, limit)
		if err != nil {
			t.Fatalf("Body: %v", err)
		}
		wantLen := 0
		if limit > 0 {
			wantLen = min(limit, len(body))
		}
		if !bytes.Equal(prefix, body[:wantLen]) {
			t.Fatalf("prefix of %d bytes, want %d", len(prefix), wantLen)
		}
		if truncated != (limit > 0 && len(body) > limit) {
			t.Fatalf("truncated %v for %d bytes and limit %d", truncated, len(body), limit)
		}
		got, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("body read back: %d bytes, want %d (%v)", len(got), len(body), err)
		}
	})
}
