package classify

import (
	"math"
	"net/http"
	"strings"
	"time"
)

// MaxRetryAfter is the largest wait [ParseRetryAfter] returns. Longer
// requests saturate to it rather than overflow: no policy waits that long,
// so the caller sees "longer than my maximum" and skips.
const MaxRetryAfter = time.Duration(math.MaxInt64)

// minWindow is the shortest Retry-After on a 503 that reads as a
// maintenance window (implied maintenance). A shorter wait is a retry
// hint, as caches and load shedders send on any failure (Varnish's
// built-in error page sends 5 s): the verdict keeps the wait but not the
// maintenance.
const minWindow = 60 * time.Second

// ParseRetryAfter parses the value of a Retry-After header (RFC 9110
// section 10.2.3) relative to now.
//
// Delta-seconds must be ASCII digits only; a value too large for a
// Duration saturates at [MaxRetryAfter] instead of wrapping. Dates may be
// in any of the three forms [http.ParseTime] accepts (IMF-fixdate, RFC 850,
// asctime), or RFC 1123 with a numeric zone (PHP's RFC 2822 form); a date
// in the past gives 0. Surrounding whitespace is ignored.
// Anything else is invalid and gives ok false: negative or fractional
// numbers ("-5", "0.5"), Go durations ("1m0s"), trailing junk ("120junk"),
// words, and the empty string.
func ParseRetryAfter(value string, now time.Time) (d time.Duration, ok bool) {
	v := strings.TrimSpace(value)
	if v == "" {
		return 0, false
	}
	if isDigits(v) {
		var n uint64
		for i := 0; i < len(v); i++ {
			digit := uint64(v[i] - '0')
			if n > (math.MaxUint64-digit)/10 {
				return MaxRetryAfter, true
			}
			n = n*10 + digit
		}
		return saturatingSeconds(n), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		// RFC 1123 with a numeric zone ("Mon, 01 Jun 2026 14:00:00 +0000"),
		// as PHP's DateTime::RFC2822 and hand-written servers send it: not
		// an HTTP-date, but exact.
		if t, err = time.Parse(time.RFC1123Z, v); err != nil {
			return 0, false
		}
	}
	if !t.After(now) {
		return 0, true
	}
	// Sub saturates at the extremes of Duration, so a date in year 2999
	// gives MaxRetryAfter rather than a wrapped value.
	return t.Sub(now), true
}

func saturatingSeconds(n uint64) time.Duration {
	if n > uint64(MaxRetryAfter/time.Second) {
		return MaxRetryAfter
	}
	return time.Duration(n) * time.Second
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
