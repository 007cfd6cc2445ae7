package announce

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"math"
	"os"
	"strings"
	"time"
	"unicode/utf8"
)

// flagLimit bounds how much of a flag file is read.
const flagLimit = 64 << 10

// maxMessage bounds a message taken from a flag file, in bytes.
const maxMessage = 1024

// fileStamp identifies one version of the flag file.
type fileStamp struct {
	exists  bool
	modTime time.Time
	size    int64
}

func (s *Switch) flagCheck() time.Duration {
	if s.FlagCheck == 0 {
		return time.Second
	}
	return s.FlagCheck
}

// refreshFile looks at the flag file when its cached state is older than
// FlagCheck. s.mu is held.
func (s *Switch) refreshFile(now time.Time) {
	if s.FlagFile == "" {
		return
	}
	if !s.check.IsZero() && now.Sub(s.check) < s.flagCheck() && now.Sub(s.check) >= 0 {
		return
	}
	s.check = now
	defer func() {
		s.fileOn.Store(s.file.on)
		s.checked.Store(now.UnixNano())
	}()
	fi, err := os.Stat(s.FlagFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.seen, s.file = fileStamp{}, window{}
		return
	case err != nil:
		return // keep the last state seen
	case !fi.Mode().IsRegular():
		// Only a regular file is a flag (nginx's -f, Laravel's is_file);
		// opening a FIFO would block every request.
		s.seen, s.file = fileStamp{}, window{}
		return
	}
	stamp := fileStamp{exists: true, modTime: fi.ModTime(), size: fi.Size()}
	if stamp == s.seen {
		return
	}
	f, err := os.Open(s.FlagFile)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			s.seen, s.file = fileStamp{}, window{}
		}
		return
	}
	data, err := io.ReadAll(io.LimitReader(f, flagLimit))
	f.Close()
	if err != nil {
		return
	}
	until, message := parseFlag(data)
	s.seen = stamp
	s.file = window{on: true, since: fi.ModTime(), until: until, message: message}
}

// parseFlag reads a flag file's contents: a JSON object with "until" (RFC
// 3339, or Unix seconds) and "message"; or text whose first line is an RFC
// 3339 time and the rest the message; or text that is all message. It
// never fails: what it cannot read is left out.
func parseFlag(data []byte) (until time.Time, message string) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		var doc map[string]any
		if json.Unmarshal(trimmed, &doc) == nil {
			if s, ok := doc["message"].(string); ok {
				message = s
			}
			switch u := doc["until"].(type) {
			case string:
				until, _ = time.Parse(time.RFC3339, strings.TrimSpace(u))
			case float64:
				if u > 0 && u < 253402300800 && u == math.Trunc(u) { // before year 10000
					until = time.Unix(int64(u), 0)
				}
			}
			return until, cleanMessage(message)
		}
	}
	text := string(trimmed)
	first, rest, _ := strings.Cut(text, "\n")
	if t, err := time.Parse(time.RFC3339, strings.TrimSpace(first)); err == nil {
		return t, cleanMessage(rest)
	}
	return time.Time{}, cleanMessage(text)
}

// cleanMessage makes s fit for a header-free body: valid UTF-8, no
// control characters but spaces, lines joined, at most maxMessage bytes.
func cleanMessage(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	space := false
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' {
			r = ' '
		}
		if r == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		if b.Len()+utf8.RuneLen(r) > maxMessage {
			break
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}
