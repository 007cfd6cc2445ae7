package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// outputLog records a job's stdout and stderr in the order they arrive, as
// records (a tag byte, a 4-byte length, the bytes), in memory up to limit
// bytes and past that in a temporary file that is deleted as soon as it is
// created, so that nothing is left behind whatever happens to downfor. Its
// writers never fail: the job must not get SIGPIPE because of downfor.
//
// When the file cannot be created or written (a read-only root file
// system, a full disk), the log keeps the head (what it has stored so far)
// and, from then on, the tail: the last tailLimit bytes, where a failing
// job's error usually is. The replay says how much was cut between the
// two, and why.
type outputLog struct {
	mu    sync.Mutex
	limit int
	dir   string
	// create makes the spill file; if nil, spillFile.
	create  func(dir string) (*os.File, error)
	mem     []byte
	file    *os.File
	fileLen int64 // bytes of whole records in file
	peak    int   // the largest capacity mem ever had
	// err is why the output could not be stored whole; from then on,
	// output goes to the tail.
	err       error
	tail      []byte // records: the last tailLimit bytes since err
	tailBytes [2]int // bytes of payload in tail, by tag&1 (stdout 1, stderr 0)
	tailLimit int
	cut       int64 // bytes of output dropped between the head and the tail
}

// minTail is the least tail an outputLog keeps after a storage error.
const minTail = 64 << 10

func newOutputLog(limit int, dir string) *outputLog {
	return &outputLog{limit: limit, dir: dir, tailLimit: max(limit, minTail)}
}

// spillFile creates the spill file in dir and removes its name at once.
func spillFile(dir string) (*os.File, error) {
	f, err := os.CreateTemp(dir, "downfor-run-*")
	if err != nil {
		return nil, err
	}
	os.Remove(f.Name())
	return f, nil
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

func header(tag byte, n int) [recordHeader]byte {
	var hdr [recordHeader]byte
	hdr[0] = tag
	binary.BigEndian.PutUint32(hdr[1:], uint32(n))
	return hdr
}

func (l *outputLog) add(tag byte, p []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(p) == 0 {
		return
	}
	if l.err != nil {
		l.addTail(tag, p)
		return
	}
	hdr := header(tag, len(p))
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
		create := l.create
		if create == nil {
			create = spillFile
		}
		f, err := create(l.dir)
		if err != nil {
			l.fail(fmt.Errorf("cannot create a spill file: %w", err), tag, p)
			return
		}
		if _, err := f.Write(l.mem); err != nil {
			f.Close()
			l.fail(fmt.Errorf("cannot write the spill file: %w", err), tag, p)
			return
		}
		l.file, l.fileLen, l.mem = f, int64(len(l.mem)), nil
	}
	_, err := l.file.Write(hdr[:])
	if err == nil {
		_, err = l.file.Write(p)
	}
	if err != nil {
		// fileLen still ends at the last whole record.
		l.fail(fmt.Errorf("cannot write the spill file: %w", err), tag, p)
		return
	}
	l.fileLen += int64(recordHeader + len(p))
}

// fail records why the output can no longer be stored whole, and starts
// the tail with p. What is stored so far (mem, or the whole records of
// the file) stays as the head.
func (l *outputLog) fail(err error, tag byte, p []byte) {
	l.err = err
	l.addTail(tag, p)
}

// addTail appends a record to the tail, then drops the oldest bytes past
// tailLimit, counting them as cut. Each stream keeps at least half the
// tail: stdout and stderr arrive through two pipes, so a job's last error
// line may be read before the last of its stdout, which must not push it
// out.
func (l *outputLog) addTail(tag byte, p []byte) {
	hdr := header(tag, len(p))
	l.tail = append(append(l.tail, hdr[:]...), p...)
	l.tailBytes[tag&1] += len(p)
	for excess := len(l.tail) - l.tailLimit; excess > 0; excess = len(l.tail) - l.tailLimit {
		// The stream to cut: one past its half, else the oldest.
		victim := l.tail[0]
		for _, t := range []byte{outputTagStdout, outputTagStderr} {
			if l.tailBytes[t&1] > l.tailLimit/2 {
				victim = t
				break
			}
		}
		off := 0
		for l.tail[off] != victim {
			off += recordHeader + int(binary.BigEndian.Uint32(l.tail[off+1:off+recordHeader]))
		}
		n := int(binary.BigEndian.Uint32(l.tail[off+1 : off+recordHeader]))
		drop := min(excess, n)
		if drop == n {
			// The whole record goes.
			l.tail = append(l.tail[:off], l.tail[off+recordHeader+n:]...)
		} else {
			// Its first drop bytes go.
			l.tail = append(l.tail[:off+recordHeader], l.tail[off+recordHeader+drop:]...)
			h := header(victim, n-drop)
			copy(l.tail[off:], h[:])
		}
		l.tailBytes[victim&1] -= drop
		l.cut += int64(drop)
	}
}

// replay writes the recorded output again, each record to its stream, in
// order. If output was cut, a line on stderr says where, how much and
// why. It can be called again.
func (l *outputLog) replay(stdout, stderr io.Writer) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var head io.Reader
	if l.file != nil {
		if _, err := l.file.Seek(0, io.SeekStart); err != nil {
			return err
		}
		head = bufio.NewReaderSize(io.LimitReader(l.file, l.fileLen), 64<<10)
	} else {
		head = bytes.NewReader(l.mem)
	}
	if err := replayRecords(head, stdout, stderr); err != nil {
		return err
	}
	if l.file != nil {
		_, _ = l.file.Seek(0, io.SeekEnd)
	}
	if l.cut > 0 {
		fmt.Fprintf(stderr, "\ndownfor: %d bytes of the job's output cut here (the first and the last are kept): %v\n", l.cut, l.err)
	}
	return replayRecords(bytes.NewReader(l.tail), stdout, stderr)
}

// replayRecords copies each record of src to its stream.
func replayRecords(src io.Reader, stdout, stderr io.Writer) error {
	var hdr [recordHeader]byte
	for {
		if _, err := io.ReadFull(src, hdr[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
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
}

// close releases the temporary file, if there is one.
func (l *outputLog) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		l.file.Close()
		l.file = nil
	}
	l.mem, l.tail, l.tailBytes = nil, nil, [2]int{}
}
