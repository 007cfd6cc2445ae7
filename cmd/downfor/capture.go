package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"sync"
)

// outputLog records a job's stdout and stderr in the order they arrive, as
// records (a tag byte, a 4-byte length, the bytes), in memory up to limit
// bytes and past that in a temporary file that is deleted as soon as it is
// created, so that nothing is left behind whatever happens to downfor. Its
// writers never fail: the job must not get SIGPIPE because of downfor; a
// storage error is reported when the output is replayed.
type outputLog struct {
	mu    sync.Mutex
	limit int
	dir   string
	mem   []byte
	file  *os.File
	err   error // the first storage error; later output is dropped
	peak  int   // the largest capacity mem ever had
}

func newOutputLog(limit int, dir string) *outputLog {
	return &outputLog{limit: limit, dir: dir}
}

type outputWriter struct {
	log *outputLog
	tag byte
}

func (w outputWriter) Write(p []byte) (int, error) {
	w.log.add(w.tag, p)
	return len(p), nil
}

func (l *outputLog) writer(tag byte) io.Writer { return outputWriter{log: l, tag: tag} }

const recordHeader = 5

func (l *outputLog) add(tag byte, p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil || len(p) == 0 {
		return
	}
	var hdr [recordHeader]byte
	hdr[0] = tag
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(p)))
	need := len(l.mem) + recordHeader + len(p)
	if l.file == nil && need <= l.limit {
		if need > cap(l.mem) {
			grown := make([]byte, len(l.mem), min(max(2*cap(l.mem), need, 4096), l.limit))
			copy(grown, l.mem)
			l.mem = grown
			l.peak = max(l.peak, cap(l.mem))
		}
		l.mem = append(append(l.mem, hdr[:]...), p...)
		return
	}
	if l.file == nil {
		f, err := os.CreateTemp(l.dir, "downfor-run-*")
		if err != nil {
			l.err = err
			return
		}
		os.Remove(f.Name())
		l.file = f
		if _, err := f.Write(l.mem); err != nil {
			l.err = err
			return
		}
		l.mem = nil
	}
	if _, err := l.file.Write(hdr[:]); err != nil {
		l.err = err
		return
	}
	if _, err := l.file.Write(p); err != nil {
		l.err = err
	}
}

// replay writes the recorded output again, each record to its stream, in
// order. It can be called again.
func (l *outputLog) replay(stdout, stderr io.Writer) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var src io.Reader
	if l.file != nil {
		if _, err := l.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		src = bufio.NewReaderSize(l.file, 64<<10)
	} else {
		src = bytes.NewReader(l.mem)
	}
	var hdr [recordHeader]byte
	for {
		if _, err := io.ReadFull(src, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return err
		}
		w := stdout
		if hdr[0] == outputTagStderr {
			w = stderr
		}
		if _, err := io.CopyN(w, src, int64(binary.BigEndian.Uint32(hdr[1:]))); err != nil {
			return err
		}
	}
	if l.file != nil {
		_, _ = l.file.Seek(0, io.SeekEnd)
	}
	return l.err
}

// close releases the temporary file, if there is one.
func (l *outputLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		l.file.Close()
		l.file = nil
	}
	l.mem = nil
}
