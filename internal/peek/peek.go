// Package peek reads the start of a response body and puts it back, so
// that whoever reads the body next gets it whole, byte for byte. classify
// peeks at error bodies for evidence with it.
package peek

import (
	"errors"
	"io"
	"math"
	"net/http"
	"slices"
)

// DefaultLimit is how much of a body classify reads when
// Options.PeekLimit is zero: 64 KiB.
const DefaultLimit = 64 << 10

// Body reads at most limit bytes of resp.Body and replaces resp.Body with
// a reader that replays them before the rest. truncated reports that the
// body has more than limit bytes. err is a read error other than io.EOF;
// the replacement body returns it too, after the bytes that came before it,
// so nothing is lost or invented.
func Body(resp *http.Response, limit int) (prefix []byte, truncated bool, err error) {
	if resp.Body == nil || resp.Body == http.NoBody || limit <= 0 {
		return nil, false, nil
	}
	// want is one byte more than limit, to tell "exactly limit" from
	// "longer"; limit is clamped so that the sum cannot overflow.
	limit = min(limit, math.MaxInt-1)
	want := limit + 1
	size := want
	if resp.ContentLength >= 0 && resp.ContentLength < int64(size) {
		size = int(resp.ContentLength) + 1
	}
	buf := make([]byte, 0, min(size, 4096))
	orig := resp.Body
	for empty := 0; len(buf) < want; {
		if len(buf) == cap(buf) {
			// Double, but never past want: append's own growth would
			// allocate twice the limit to hold its last byte.
			buf = slices.Grow(buf, min(cap(buf), want-cap(buf)))
		}
		var n int
		n, err = orig.Read(buf[len(buf):min(cap(buf), want)])
		buf = buf[:len(buf)+n]
		if err != nil {
			break
		}
		// A reader that keeps returning nothing must not spin forever.
		if n > 0 {
			empty = 0
		} else if empty++; empty >= maxEmptyReads {
			err = io.ErrNoProgress
			break
		}
	}
	eof := errors.Is(err, io.EOF)
	if eof {
		err = nil
	}
	resp.Body = &replayBody{prefix: buf, rest: orig, err: err, eof: eof}
	truncated = len(buf) > limit
	if truncated {
		buf = buf[:limit]
	}
	return buf, truncated, err
}

// maxEmptyReads is how many consecutive (0, nil) reads [Body] tolerates
// before it gives up with [io.ErrNoProgress], as bufio does.
const maxEmptyReads = 100

// replayBody yields a peeked prefix, then the rest of the original body
// (or the error that cut the peek short).
type replayBody struct {
	prefix []byte
	rest   io.ReadCloser
	err    error // sticky error from the peek
	eof    bool  // the peek reached the end
}

func (b *replayBody) Read(p []byte) (int, error) {
	if len(b.prefix) > 0 {
		n := copy(p, b.prefix)
		b.prefix = b.prefix[n:]
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	if b.eof {
		return 0, io.EOF
	}
	return b.rest.Read(p)
}

func (b *replayBody) Close() error { return b.rest.Close() }
