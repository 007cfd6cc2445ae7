package probe

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// parseTime reads a timestamp in any of the forms status pages and probe
// bodies use in practice: RFC 3339 with Z or any offset, zone-less ISO or
// SQL forms (taken as UTC), the three HTTP date forms, JavaScript's
// Date.toString ("Mon Nov 23 2026 10:00:00 GMT+0000 (Coordinated Universal
// Time)"), and numbers or digit strings counting seconds or milliseconds
// since the Unix epoch (values of 1e11 or more are milliseconds). Times
// before 1970 or after 9999 are rejected. The result is in UTC.
func parseTime(v any) (time.Time, bool) {
	switch x := v.(type) {
	case json.Number:
		return parseEpoch(string(x))
	case float64:
		return epoch(x)
	case string:
		return parseTimeString(x)
	}
	return time.Time{}, false
}

func parseTimeString(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 96 {
		return time.Time{}, false
	}
	if c := s[0]; c >= '0' && c <= '9' && strings.IndexFunc(s, notNumeric) < 0 {
		return parseEpoch(s)
	}
	// JavaScript appends the zone's long name in parentheses.
	if i := strings.IndexByte(s, '('); i > 0 && strings.HasSuffix(s, ")") {
		s = strings.TrimSpace(s[:i])
	}
	// The textual forms, in order. time.Parse accepts fractional seconds
	// after the seconds field even where a layout does not show them.
	// Layouts without a zone give UTC.
	layouts := [...]string{
		time.RFC3339,                        // 2026-11-23T10:00:00Z, ...+01:00, Statuspage's -06:00 offsets
		"2006-01-02T15:04:05Z0700",          // offset without a colon
		"2006-01-02T15:04:05",               // zone-less: UTC
		"2006-01-02 15:04:05Z07:00",         // SQL-ish with an offset
		"2006-01-02 15:04:05 Z07:00",        //
		"2006-01-02 15:04:05Z0700",          //
		"2006-01-02 15:04:05 -0700",         //
		"2006-01-02 15:04:05 -0700 MST",     // Go's time.Time.String
		"2006-01-02 15:04:05",               // Cachet's toDateTimeString: zone-less, UTC
		"Mon Jan 02 2006 15:04:05 GMT-0700", // JavaScript Date.toString, once "(Zone Name)" is cut
		"Mon, 02 Jan 2006 15:04:05 -0700",   // RFC 1123 with a numeric zone
		"2006-01-02T15:04Z07:00",            // no seconds
		"2006-01-02",                        // a date alone: midnight UTC
	}
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil {
			return inRange(t)
		}
	}
	if t, err := http.ParseTime(s); err == nil {
		return inRange(t)
	}
	return time.Time{}, false
}

func notNumeric(r rune) bool {
	return !(r >= '0' && r <= '9') && r != '.' && r != 'e' && r != 'E' && r != '+'
}

func parseEpoch(s string) (time.Time, bool) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return epoch(float64(n))
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	return epoch(f)
}

// epoch interprets n as seconds, or as milliseconds when n >= 1e11 (1e11
// seconds is in the year 5138; 1e11 milliseconds is in 1973).
func epoch(n float64) (time.Time, bool) {
	if math.IsNaN(n) || math.IsInf(n, 0) || n <= 0 {
		return time.Time{}, false
	}
	ms := n * 1000
	if n >= 1e11 {
		ms = n
	}
	// Past the year 9999 is no real time; it also keeps the
	// conversion below far from overflow.
	if ms > 253402300799999 {
		return time.Time{}, false
	}
	return inRange(time.UnixMilli(int64(ms)))
}

func inRange(t time.Time) (time.Time, bool) {
	if y := t.Year(); y < 1970 || y > 9999 {
		return time.Time{}, false
	}
	return t.UTC(), true
}
