package announce

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// defaultMessage is said when the operator gave no message. It states the
// state in words, unlike the stock text of 503 ("temporarily unable to
// service your request due to maintenance downtime or capacity problems"),
// which servers print for any 503 and clients ignore (protocol P4).
const defaultMessage = "This service is down for planned maintenance."

// announcement is the JSON of the maintenance answer and of the probe
// (protocol P3, P6).
type announcement struct {
	Maintenance bool   `json:"maintenance"`
	Status      string `json:"status"`
	Since       string `json:"since,omitempty"`
	Until       string `json:"until,omitempty"`
	// Overran is the announced end that passed while the maintenance went
	// on (protocol P9): no longer an end, kept for people.
	Overran string `json:"overran,omitempty"`
	Message string `json:"message"`
}

// view is a [State] as announced at now: an end that has passed is no end.
type view struct {
	end     time.Time // the exact end; zero when unknown or passed
	until   time.Time // end rounded up to the second
	overran time.Time // the passed end, if any
	since   time.Time
	message string
}

func viewOf(st State, now time.Time) view {
	v := view{since: st.Since, message: st.Message}
	if v.since.After(now) {
		// A maintenance in force began no later than now (a flag file's
		// time may be ahead of the clock); a start in the future would
		// read as an upcoming window, not as one in force.
		v.since = now
	}
	if v.message == "" {
		v.message = defaultMessage
	}
	switch {
	case st.Until.IsZero():
	case st.Until.After(now):
		v.end, v.until = st.Until, ceilSecond(st.Until)
	default:
		v.overran = ceilSecond(st.Until)
	}
	return v
}

// retryAfter is the Retry-After of the maintenance answer (protocol P2):
// the remaining window in whole seconds, rounded up and never below
// [MinRetryAfter]; ok is false when the end is unknown.
func (v view) retryAfter(now time.Time) (seconds int64, ok bool) {
	if v.end.IsZero() {
		return 0, false
	}
	d := max(v.end.Sub(now), MinRetryAfter)
	seconds = int64(d / time.Second)
	if d%time.Second != 0 {
		seconds++
	}
	return seconds, true
}

func (v view) json() []byte {
	a := announcement{Maintenance: true, Status: "maintenance", Message: v.message}
	if !v.since.IsZero() {
		a.Since = v.since.UTC().Format(time.RFC3339)
	}
	if !v.until.IsZero() {
		a.Until = v.until.UTC().Format(time.RFC3339)
	}
	if !v.overran.IsZero() {
		a.Overran = v.overran.UTC().Format(time.RFC3339)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(a) // cannot fail: strings and a bool
	return b.Bytes()
}

// when says in words when the service should be back.
func (v view) when() string {
	switch {
	case !v.until.IsZero():
		return "It should be back by " + v.until.UTC().Format(time.RFC3339) + "."
	case !v.overran.IsZero():
		return "It was due back by " + v.overran.UTC().Format(time.RFC3339) + " and is taking longer; the new end is not known yet."
	}
	return "The end is not known yet."
}

func (v view) text() []byte {
	return []byte("Down for maintenance. " + v.message + "\n" + v.when() + "\n")
}

func (v view) html() []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
	b.WriteString("<title>Down for maintenance</title>\n</head>\n<body>\n<h1>Down for maintenance</h1>\n<p>")
	b.WriteString(html.EscapeString(v.message))
	b.WriteString("</p>\n<p>")
	b.WriteString(html.EscapeString(v.when()))
	b.WriteString("</p>\n</body>\n</html>\n")
	return []byte(b.String())
}

// serveMaintenance writes the maintenance answer (protocol P1, P2, P3, P5).
func serveMaintenance(w http.ResponseWriter, r *http.Request, st State, now time.Time) {
	v := viewOf(st, now)
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept")
	if s, ok := v.retryAfter(now); ok {
		h.Set("Retry-After", strconv.FormatInt(s, 10))
	}
	var body []byte
	switch negotiate(r.Header.Values("Accept")) {
	case formatJSON:
		h.Set("Content-Type", "application/json")
		body = v.json()
	case formatHTML:
		h.Set("Content-Type", "text/html; charset=utf-8")
		body = v.html()
	default:
		h.Set("Content-Type", "text/plain; charset=utf-8")
		body = v.text()
	}
	write(w, r, http.StatusServiceUnavailable, body)
}

// serveProbe answers the well-known probe (protocol P6).
func (s *Switch) serveProbe(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		h.Set("Content-Type", "text/plain; charset=utf-8")
		write(w, r, http.StatusMethodNotAllowed, []byte("method not allowed\n"))
		return
	}
	now := time.Now()
	st := s.state(now)
	if !st.On {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		write(w, r, http.StatusNotFound, []byte("not in maintenance\n"))
		return
	}
	h.Set("Content-Type", "application/json")
	write(w, r, http.StatusOK, viewOf(st, now).json())
}

func write(w http.ResponseWriter, r *http.Request, status int, body []byte) {
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// ceilSecond rounds t up to a whole second, so that no client is told to
// come back before the end.
func ceilSecond(t time.Time) time.Time {
	c := t.Truncate(time.Second)
	if c.Before(t) {
		c = c.Add(time.Second)
	}
	return c
}

type format int

const (
	formatJSON format = iota
	formatText
	formatHTML
)

// negotiate picks the body's form from the Accept header values: the
// offer with the highest quality, judged by the most specific range that
// matches it; on a tie, the more specific match, then JSON, plain text,
// HTML in that order. No Accept header (Go's and many API clients'
// default) or */* alone (curl's) gives JSON; a header that accepts none
// of the three gives plain text (protocol P5).
func negotiate(accept []string) format {
	if len(accept) == 0 {
		return formatJSON
	}
	type score struct {
		q    float64
		spec int // 0 */*, 1 type/*, 2 exact; -1 no match
	}
	offers := [...]struct {
		f     format
		match func(typ, sub string) int
	}{
		{formatJSON, func(typ, sub string) int {
			switch {
			case typ == "application" && (sub == "json" || strings.HasSuffix(sub, "+json")):
				return 2
			case typ == "application" && sub == "*":
				return 1
			}
			return -1
		}},
		{formatText, func(typ, sub string) int {
			switch {
			case typ == "text" && sub == "plain":
				return 2
			case typ == "text" && sub == "*":
				return 1
			}
			return -1
		}},
		{formatHTML, func(typ, sub string) int {
			switch {
			case typ == "text" && sub == "html", typ == "application" && sub == "xhtml+xml":
				return 2
			case typ == "text" && sub == "*":
				return 1
			}
			return -1
		}},
	}
	var scores [len(offers)]score
	for i := range scores {
		scores[i].spec = -1
	}
	n := 0
	for _, line := range accept {
		for item := range strings.SplitSeq(line, ",") {
			if n++; n > 64 { // a hostile header costs no more than this
				break
			}
			typ, sub, q, ok := parseRange(item)
			if !ok {
				continue
			}
			for i, o := range offers {
				spec := o.match(typ, sub)
				if typ == "*" && sub == "*" {
					spec = 0
				}
				if spec > scores[i].spec {
					scores[i] = score{q: q, spec: spec}
				}
			}
		}
	}
	best, bestScore := formatText, score{q: 0, spec: -1}
	for i, o := range offers {
		sc := scores[i]
		if sc.spec < 0 || sc.q <= 0 {
			continue
		}
		if sc.q > bestScore.q || (sc.q == bestScore.q && sc.spec > bestScore.spec) {
			best, bestScore = o.f, sc
		}
	}
	return best
}

// parseRange reads one media range of an Accept header, such as
// "text/html;level=1;q=0.8", lower-cased.
func parseRange(item string) (typ, sub string, q float64, ok bool) {
	mt, params, _ := strings.Cut(item, ";")
	typ, sub, ok = strings.Cut(strings.ToLower(strings.TrimSpace(mt)), "/")
	if !ok || typ == "" || sub == "" || (typ == "*" && sub != "*") {
		return "", "", 0, false
	}
	q = 1
	for p := range strings.SplitSeq(params, ";") {
		k, val, _ := strings.Cut(p, "=")
		if strings.EqualFold(strings.TrimSpace(k), "q") {
			f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
			if err != nil || f < 0 || f > 1 {
				return "", "", 0, false
			}
			q = f
		}
	}
	return typ, sub, q, true
}
