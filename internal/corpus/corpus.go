package corpus

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
)

// MaxFileSize bounds a case file; a larger one is refused by [Parse].
const MaxFileSize = 1 << 20

// defaultNow is the moment a case is judged at when its file gives no
// "now" field: 2026-06-01T12:00:00Z. Fixtures that carry dates (an
// HTTP-date Retry-After, a status page window) set "now" beside them, so
// no result depends on today's date.
func defaultNow() time.Time { return time.Date(2026, time.June, 1, 12, 0, 0, 0, time.UTC) }

//go:embed testdata/*.http
var files embed.FS

// Case is one product's response in one situation, and the class a careful
// operator wants for it.
type Case struct {
	// Name is the file name without ".http", such as "nginx-502".
	Name string
	// Product names the software and version, such as "nginx 1.24".
	Product string
	// Situation says what happened to the service.
	Situation string
	// Source cites where the response was read: repository, file and
	// function, or a documentation page. One entry per "source" line.
	Source []string
	// Want is the class a careful operator wants.
	Want classify.Class
	// Strength is the least strength wanted of the evidence that most
	// supports the verdict ([classify.Verdict.Strongest]); [classify.None]
	// when any will do.
	Strength classify.Strength
	// Notes explain the case, and say so when it is ambiguous and the loud
	// class was chosen.
	Notes string
	// KnownWrong, when not empty, says why today's rules still get this
	// case wrong. Such a case is reported but does not fail the test,
	// unless it is a false maintenance: that always fails.
	KnownWrong string
	// Path is the path the service was asked for ("/" unless given).
	Path string
	// Now is the moment the case is judged at (2026-06-01T12:00:00Z unless given).
	Now time.Time
	// Options are the classify options the case needs: the user rules
	// ("rule" lines) and the opt-in HTML rule ("html: on").
	Options classify.Options
	// Health, StatusPage and Components configure the out-of-band sources
	// consulted for the case, as in the probe package's Config: a path
	// on the case's own server, or empty.
	Health, StatusPage string
	Components         []string
	// Parts are the responses the case's server gives: the service's own
	// answer at Path first, then the out-of-band ones.
	Parts []Part
}

// Part is one response of a case, as on the wire.
type Part struct {
	// Path is the request path it answers; "*" answers every path that no
	// other part does (a catch-all site).
	Path string
	// Status is the status code, and Reason the status line's phrase.
	Status int
	Reason string
	// Header is the response header. Content-Length is the length of Body.
	Header http.Header
	// Body is the body as sent: compressed when Content-Encoding says so.
	Body []byte
}

// OutOfBand reports whether the case needs more than the service's own
// response: a probe answer, a catch-all, a health endpoint or a status page.
func (c Case) OutOfBand() bool {
	return len(c.Parts) > 1 || c.Health != "" || c.StatusPage != ""
}

// Raw returns the service's own response as on the wire: status line,
// header lines ending in CRLF, a blank line and the body.
func (c Case) Raw() []byte { return c.Parts[0].wire() }

// Response returns the service's own response, read by [http.ReadResponse]
// from [Case.Raw]. Its body is not decompressed.
func (c Case) Response() (*http.Response, error) {
	return http.ReadResponse(bufio.NewReader(bytes.NewReader(c.Raw())), nil)
}

// Handler returns a handler that serves the case: the service's answer at
// Path, each out-of-band part at its path, the "*" part (if any) at every
// other path, and a plain 404 elsewhere. The query is ignored. It writes
// each part's header and body byte for byte, and a reason phrase other
// than the stock one on the raw connection.
func (c Case) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := c.part(r.URL.Path)
		if !ok {
			http.NotFound(w, r)
			return
		}
		if p.Reason != "" && p.Reason != http.StatusText(p.Status) {
			// net/http writes only the stock reason phrase: send the
			// product's own ("503 Maintenance") on the raw connection.
			if hj, ok := w.(http.Hijacker); ok {
				if conn, buf, err := hj.Hijack(); err == nil {
					defer conn.Close()
					wire := p.wireClose()
					if r.Method == http.MethodHead {
						wire = wire[:len(wire)-len(p.Body)]
					}
					_, _ = buf.Write(wire)
					_ = buf.Flush()
					return
				}
			}
		}
		for k, vs := range p.Header {
			w.Header()[k] = slices.Clone(vs)
		}
		w.WriteHeader(p.Status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(p.Body)
		}
	})
}

func (c Case) part(p string) (Part, bool) {
	if len(c.Parts) == 0 {
		return Part{}, false
	}
	if p == c.Path {
		return c.Parts[0], true
	}
	for _, pt := range c.Parts[1:] {
		if pt.Path == p {
			return pt, true
		}
	}
	for _, pt := range c.Parts[1:] {
		if pt.Path == "*" {
			return pt, true
		}
	}
	return Part{}, false
}

// wireClose is wire with "Connection: close", for a hijacked connection.
func (p Part) wireClose() []byte {
	q := p
	q.Header = p.Header.Clone()
	q.Header.Set("Connection", "close")
	return q.wire()
}

func (p Part) wire() []byte {
	var b bytes.Buffer
	reason := p.Reason
	if reason == "" {
		reason = http.StatusText(p.Status)
	}
	fmt.Fprintf(&b, "HTTP/1.1 %03d %s\r\n", p.Status, reason)
	_ = p.Header.Write(&b)
	b.WriteString("\r\n")
	b.Write(p.Body)
	return b.Bytes()
}

// All loads the corpus shipped in this package's testdata directory.
func All() ([]Case, error) {
	sub, err := fs.Sub(files, "testdata")
	if err != nil {
		return nil, err
	}
	return Load(sub)
}

// Load parses every "*.http" file at the top of fsys, in name order.
func Load(fsys fs.FS) ([]Case, error) {
	names, err := fs.Glob(fsys, "*.http")
	if err != nil {
		return nil, err
	}
	var cases []Case
	var errs []error
	for _, name := range names {
		data, err := readBounded(fsys, name)
		if err == nil {
			var c Case
			if c, err = Parse(strings.TrimSuffix(name, ".http"), data); err == nil {
				cases = append(cases, c)
				continue
			}
		}
		errs = append(errs, err)
	}
	return cases, errors.Join(errs...)
}

func readBounded(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("corpus: %s: larger than %d bytes", name, MaxFileSize)
	}
	return data, nil
}

// partSeparator begins a part after the first: "=== /path" or "=== *".
const partSeparator = "=== "

// Parse reads one case file; name is the case's name. See the package
// documentation for the format. Errors name the file and line.
func Parse(name string, data []byte) (Case, error) {
	c := Case{Name: name, Path: "/", Now: defaultNow()}
	fail := func(line int, format string, args ...any) (Case, error) {
		return Case{}, fmt.Errorf("corpus: %s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	if len(data) > MaxFileSize {
		return fail(0, "larger than %d bytes", MaxFileSize)
	}
	lines := splitLines(data)
	i := 0
	var want, strength bool
	for ; i < len(lines) && bytes.HasPrefix(lines[i], []byte("#")); i++ {
		line := strings.TrimSpace(strings.TrimPrefix(string(lines[i]), "#"))
		if line == "" {
			continue
		}
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			return fail(i+1, "want a \"# key: value\" line, got %q", abridge(line))
		}
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		switch key {
		case "product":
			c.Product = val
		case "source":
			c.Source = append(c.Source, val)
		case "situation":
			c.Situation = val
		case "want":
			cl, err := classify.ParseClass(val)
			if err != nil {
				return fail(i+1, "want: %v", err)
			}
			c.Want, want = cl, true
		case "strength":
			var s classify.Strength
			if err := s.UnmarshalText([]byte(val)); err != nil {
				return fail(i+1, "strength: %q is not none, implied or explicit", abridge(val))
			}
			c.Strength, strength = s, true
		case "notes":
			c.Notes = joinText(c.Notes, val)
		case "known-wrong":
			c.KnownWrong = val
		case "path":
			if !strings.HasPrefix(val, "/") {
				return fail(i+1, "path must start with /")
			}
			c.Path = val
		case "now":
			t, err := time.Parse(time.RFC3339, val)
			if err != nil {
				return fail(i+1, "now: %v", err)
			}
			c.Now = t
		case "rule":
			r, err := classify.ParseRule(val)
			if err != nil {
				return fail(i+1, "%v", err)
			}
			c.Options.Rules = append(c.Options.Rules, r)
		case "html":
			switch strings.ToLower(val) {
			case "on":
				c.Options.HTMLTitle = true
			case "off":
				c.Options.HTMLTitle = false
			default:
				return fail(i+1, "html: want on or off")
			}
		case "health":
			c.Health = val
		case "status-page":
			c.StatusPage = val
		case "component":
			c.Components = append(c.Components, val)
		default:
			return fail(i+1, "unknown key %q", abridge(key))
		}
	}
	switch {
	case !want:
		return fail(0, "no \"# want:\" line")
	case len(c.Source) == 0:
		return fail(0, "no \"# source:\" line: every case cites where it was read")
	case strength && c.Strength != classify.None && c.Want != classify.Maintenance && c.Want != classify.Malfunction:
		return fail(0, "strength is only checked for maintenance and malfunction")
	}
	for i < len(lines) && len(bytes.TrimSpace(lines[i])) == 0 {
		i++
	}
	partPath := ""
	for i < len(lines) {
		start := i
		end := i
		for end < len(lines) && !(end > start && bytes.HasPrefix(lines[end], []byte(partSeparator))) {
			end++
		}
		p, err := parsePart(lines[start:end], partPath)
		if err != nil {
			return fail(start+1, "%v", err)
		}
		c.Parts = append(c.Parts, p)
		if end < len(lines) {
			partPath = strings.TrimSpace(strings.TrimPrefix(string(lines[end]), partSeparator))
			if partPath != "*" && !strings.HasPrefix(partPath, "/") {
				return fail(end+1, "a part's path must start with / or be *")
			}
			i = end + 1
		} else {
			i = end
		}
	}
	if len(c.Parts) == 0 {
		return fail(0, "no response")
	}
	return c, nil
}

// parsePart reads "STATUS-LINE\nHeader: v\n...\n\nbody" from lines, each
// still ending in its own newline.
func parsePart(lines [][]byte, partPath string) (Part, error) {
	var head bytes.Buffer
	i := 0
	for ; i < len(lines); i++ {
		l := bytes.TrimRight(lines[i], "\r\n")
		if len(l) == 0 {
			i++
			break
		}
		head.Write(l)
		head.WriteString("\r\n")
	}
	head.WriteString("\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(&head), nil)
	if err != nil {
		return Part{}, fmt.Errorf("response head: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 999 {
		return Part{}, fmt.Errorf("status %d is not a final response", resp.StatusCode)
	}
	body := bytes.Join(lines[i:], nil)
	if len(body) > 0 && (resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified) {
		return Part{}, fmt.Errorf("status %d cannot carry a body", resp.StatusCode)
	}
	h := resp.Header
	if h == nil {
		h = http.Header{}
	}
	h.Del("Transfer-Encoding")
	if strings.EqualFold(strings.TrimSpace(h.Get("Content-Encoding")), "gzip") {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = z.Bytes()
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	reason, _ := strings.CutPrefix(resp.Status, strconv.Itoa(resp.StatusCode))
	return Part{Path: partPath, Status: resp.StatusCode, Reason: strings.TrimSpace(reason), Header: h, Body: body}, nil
}

// splitLines splits data after each '\n', keeping the newlines.
func splitLines(data []byte) [][]byte {
	var out [][]byte
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		if i < 0 {
			out = append(out, data)
			break
		}
		out = append(out, data[:i+1])
		data = data[i+1:]
	}
	return out
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	return a + " " + b
}

func abridge(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// File returns the case's file name, for messages.
func (c Case) File() string { return path.Join("testdata", c.Name+".http") }
