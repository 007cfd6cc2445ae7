package bounded

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// endless is a body that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// stalled returns nothing, and no error, forever.
type stalled struct{}

func (stalled) Read([]byte) (int, error) { return 0, nil }

func TestRead(t *testing.T) {
	boom := errors.New("boom")
	cases := []struct {
		name      string
		r         io.Reader
		limit     int64
		length    int64
		want      string
		truncated bool
		err       error
	}{
		{"short", strings.NewReader("hello"), 10, -1, "hello", false, nil},
		{"exactly the limit", strings.NewReader("hello"), 5, 5, "hello", false, nil},
		{"longer", strings.NewReader("hello world"), 5, -1, "hello", true, nil},
		{"length understated", strings.NewReader("hello world"), 100, 2, "hello world", false, nil},
		{"length overstated", strings.NewReader("hi"), 100, 1 << 40, "hi", false, nil},
		{"empty", strings.NewReader(""), 10, 0, "", false, nil},
		{"zero limit", strings.NewReader("x"), 0, -1, "", true, nil},
		{"negative limit", strings.NewReader("x"), -5, -1, "", true, nil},
		{"one byte at a time", iotest.OneByteReader(strings.NewReader("hello world")), 8, -1, "hello wo", true, nil},
		{"error after data", io.MultiReader(strings.NewReader("abc"), iotest.ErrReader(boom)), 10, -1, "abc", false, boom},
		{"endless", endless{}, 3 << 20, -1, strings.Repeat("x", 3<<20), true, nil},
		{"no progress", stalled{}, 10, -1, "", false, io.ErrNoProgress},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			buf, truncated, err := Read(tc.r, tc.limit, tc.length)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
			} else {
				require.NoError(t, err)
			}
			assert.Equal(t, tc.want, string(buf))
			assert.Equal(t, tc.truncated, truncated)
			assert.LessOrEqual(t, int64(len(buf)), max(tc.limit, 0))
		})
	}
}

func TestReadAllocatesOnceForAKnownLength(t *testing.T) {
	body := strings.Repeat("y", 1000)
	allocs := testing.AllocsPerRun(20, func() {
		_, _, _ = Read(strings.NewReader(body), 64<<10, int64(len(body)))
	})
	// The buffer, and the strings.Reader's escape at most.
	assert.LessOrEqual(t, allocs, 2.0)
}

type closer struct {
	io.Reader
	closed bool
}

func (c *closer) Close() error { c.closed = true; return nil }

func TestDrain(t *testing.T) {
	short := &closer{Reader: strings.NewReader("abc")}
	Drain(short, 10)
	assert.True(t, short.closed)
	rest, _ := io.ReadAll(short.Reader)
	assert.Empty(t, rest)

	long := &closer{Reader: strings.NewReader(strings.Repeat("x", 100))}
	Drain(long, 10)
	assert.True(t, long.closed)
	rest, _ = io.ReadAll(long.Reader)
	assert.Len(t, rest, 90, "no more than the limit is read")

	none := &closer{Reader: strings.NewReader("abc")}
	Drain(none, 0)
	rest, _ = io.ReadAll(none.Reader)
	assert.Equal(t, "abc", string(rest), "a zero limit reads nothing")

	Drain(nil, 10)
}
