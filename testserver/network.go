package testserver

import (
	"crypto/tls"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"
	"time"
)

// garbageBanner is what the garbage mode answers: the first bytes of an
// SSH server, a classic "wrong port" answer, then some binary.
const garbageBanner = "SSH-2.0-OpenSSH_9.6\r\n\x00\x00\x04\x5c\x06\x14\xde\xad\xbe\xef"

// memNetError is the error that [Server.InMemoryTransport] returns for a
// network mode, shaped like the error of a real connection.
func memNetError(kind netKind) error {
	if kind == netGarbage {
		return errors.New(`testserver: malformed HTTP response "SSH-2.0-OpenSSH_9.6"`)
	}
	return &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}
}

// hijack takes over the connection. It returns ok=false when the
// ResponseWriter cannot hijack; conn is nil (and the request is over) when
// the server closed meanwhile.
func (s *Server) hijack(w http.ResponseWriter) (conn net.Conn, ok bool) {
	c, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return nil, false
	}
	if !s.track(c) {
		return nil, true
	}
	return c, true
}

// breakConn fails the connection as a network mode says.
func (s *Server) breakConn(w http.ResponseWriter, r *http.Request, kind netKind) {
	if kind == netHang {
		s.hang(w, r)
		return
	}
	conn, ok := s.hijack(w)
	if !ok {
		if mw, isMem := w.(*memWriter); isMem {
			mw.fail(memNetError(kind))
			return
		}
		panic(http.ErrAbortHandler)
	}
	if conn == nil {
		return
	}
	defer s.untrack(conn)
	switch kind {
	case netReset:
		raw := conn
		if tc, isTLS := raw.(*tls.Conn); isTLS {
			raw = tc.NetConn()
		}
		if tcp, isTCP := raw.(*net.TCPConn); isTCP {
			_ = tcp.SetLinger(0) // close sends RST instead of FIN
		}
		_ = raw.Close()
	case netGarbage:
		_ = conn.SetWriteDeadline(time.Now().Add(5 * time.Second))
		_, _ = io.WriteString(conn, garbageBanner)
		_ = conn.Close()
	}
}

// hang accepts the request and never answers: it holds the connection
// until the client goes away or the server closes.
func (s *Server) hang(w http.ResponseWriter, r *http.Request) {
	conn, ok := s.hijack(w)
	if !ok {
		select {
		case <-r.Context().Done():
		case <-s.done:
			if mw, isMem := w.(*memWriter); isMem {
				mw.fail(io.EOF) // what a client sees when the server closes before answering
			}
		}
		return
	}
	if conn == nil {
		return
	}
	defer s.untrack(conn)
	defer conn.Close()
	buf := make([]byte, 512)
	for {
		if _, err := conn.Read(buf); err != nil {
			return // the client closed, or Close closed conn
		}
	}
}

// stopEarly marks a streamed body as cut short, so that an in-memory
// client reads an error rather than a clean end.
func stopEarly(w http.ResponseWriter, err error) {
	if mw, ok := w.(*memWriter); ok {
		mw.fail(err)
	}
}

// slowBodyLen is how many bytes slow-body trickles, one a second.
const slowBodyLen = 3600

// pageSlowBody answers 200 at once and then trickles the body one byte a
// second for an hour, until the client goes away or the server closes.
func pageSlowBody(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	h := w.Header()
	h.Set("Content-Type", ctText)
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	_ = rc.Flush()
	if r.Method == http.MethodHead {
		return
	}
	for i := 0; i < slowBodyLen; i++ {
		if !s.sleep(r.Context(), time.Second) {
			stopEarly(w, io.ErrUnexpectedEOF)
			return
		}
		b := []byte{'.'}
		if i == slowBodyLen-1 {
			b[0] = '\n'
		}
		if _, err := w.Write(b); err != nil {
			return
		}
		_ = rc.Flush()
	}
}

// hugeChunk is the size of each write of huge-body.
const hugeChunk = 64 << 10

// pageHugeBody answers 503 with a JSON body of Config.HugeBody bytes (10 GiB
// by default), declared in Content-Length and generated on the fly from
// one reused buffer. It stops when a write fails (the client went away),
// the request ends or the server closes.
func pageHugeBody(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	size := s.hugeBody()
	h := w.Header()
	h.Set("Content-Type", ctJSON)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method == http.MethodHead {
		return
	}
	const prefix, suffix = `{"error":"`, `"}`
	chunk := make([]byte, hugeChunk)
	for i := range chunk {
		chunk[i] = 'x'
	}
	var sent int64
	writeN := func(p []byte) bool {
		_, err := w.Write(p)
		sent += int64(len(p))
		return err == nil
	}
	if size >= int64(len(prefix)+len(suffix)) {
		if !writeN([]byte(prefix)) {
			return
		}
		size -= int64(len(suffix))
	}
	for sent < size {
		select {
		case <-r.Context().Done():
			stopEarly(w, io.ErrUnexpectedEOF)
			return
		case <-s.done:
			stopEarly(w, io.ErrUnexpectedEOF)
			return
		default:
		}
		n := min(size-sent, int64(len(chunk)))
		if !writeN(chunk[:n]) {
			return
		}
	}
	if size != s.hugeBody() {
		writeN([]byte(suffix))
	}
}
