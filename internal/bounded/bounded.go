// Package bounded reads response bodies within a fixed bound: the one
// reader the client and the probe use, so that a hostile body (endless,
// trickling, or lying about its length) costs no more memory than the
// bound and never spins.
package bounded

import (
	"errors"
	"io"
	"math"
)

// Read reads r until io.EOF or limit bytes, whichever comes first, and
// reports whether r had more (truncated). length is the body's declared
// length (Content-Length), or -1: the buffer is allocated once, to
// length when it is shorter than limit, and grows past 1 MiB only as
// bytes arrive. err is a read error other than io.EOF (the bytes read
// before it are returned), or io.ErrNoProgress when r keeps returning
// nothing. A negative limit reads nothing.
func Read(r io.Reader, limit, length int64) (buf []byte, truncated bool, err error) {
	limit = max(limit, 0)
	// One byte more than limit, to tell "exactly limit" from "longer".
	n := min(limit, math.MaxInt64-1) + 1
	size := min(n, 1<<20)
	if length >= 0 && length < size {
		size = length + 1 // +1: the read that sees io.EOF needs room
	}
	buf = make([]byte, 0, size)
	for empty := 0; int64(len(buf)) < n; {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		m, rerr := r.Read(buf[len(buf):min(int64(cap(buf)), n)])
		buf = buf[:len(buf)+m]
		switch {
		case errors.Is(rerr, io.EOF):
			return buf, false, nil
		case rerr != nil:
			return clip(buf, limit), int64(len(buf)) > limit, rerr
		case m > 0:
			empty = 0
		default:
			// A reader that keeps returning nothing must not spin forever.
			if empty++; empty >= 100 {
				return clip(buf, limit), int64(len(buf)) > limit, io.ErrNoProgress
			}
		}
	}
	return buf[:limit], true, nil
}

func clip(buf []byte, limit int64) []byte {
	if int64(len(buf)) > limit {
		return buf[:limit]
	}
	return buf
}

// Drain reads at most limit bytes of body, so that its connection can be
// reused when the rest was short, and closes it. A nil body is a no-op.
func Drain(body io.ReadCloser, limit int64) {
	if body == nil {
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(body, max(limit, 0)))
	body.Close()
}
