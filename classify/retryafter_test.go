package classify

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testNow is the fixed instant every table in this package is observed at.
var testNow = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)

func TestParseRetryAfter(t *testing.T) {
	imf := func(d time.Duration) string { return testNow.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name   string
		value  string
		want   time.Duration
		wantOK bool
	}{
		{"seconds", "120", 120 * time.Second, true},
		{"seconds with spaces", " 120 ", 120 * time.Second, true},
		{"seconds with tab", "\t7200\t", 7200 * time.Second, true},
		{"zero", "0", 0, true},
		{"leading zeros", "0042", 42 * time.Second, true},
		{"negative", "-5", 0, false},
		{"plus sign", "+5", 0, false},
		{"fraction", "0.5", 0, false},
		{"go duration", "1m0s", 0, false},
		{"trailing junk", "120junk", 0, false},
		{"inner space", "1 20", 0, false},
		{"empty", "", 0, false},
		{"blank", "   ", 0, false},
		{"word", "soon", 0, false},
		{"hex", "0x10", 0, false},
		{"exponent", "1e3", 0, false},
		{"unicode digits", "١٢٠", 0, false},
		{"largest exact", "9223372036", 9223372036 * time.Second, true},
		{"one past largest saturates", "9223372037", MaxRetryAfter, true},
		{"huge saturates", "99999999999", MaxRetryAfter, true},
		{"past uint64 saturates", "99999999999999999999999999", MaxRetryAfter, true},
		{"imf-fixdate future", imf(10 * time.Minute), 10 * time.Minute, true},
		{"imf-fixdate past", imf(-time.Hour), 0, true},
		{"imf-fixdate now", imf(0), 0, true},
		{"rfc 850 future", testNow.Add(90 * time.Second).Format(time.RFC850), 90 * time.Second, true},
		{"rfc 850 past", "Sunday, 06-Nov-94 08:49:37 GMT", 0, true},
		{"asctime future", testNow.Add(time.Hour).Format(time.ANSIC), time.Hour, true},
		{"asctime past", "Sun Nov  6 08:49:37 1994", 0, true},
		{"year 2999 saturates", "Fri, 01 Jan 2999 00:00:00 GMT", MaxRetryAfter, true},
		{"date with spaces", "  " + imf(time.Minute) + " ", time.Minute, true},
		{"lowercase zone", "sun, 06 nov 2026 08:49:37 gmt", 0, false},
		{"utc zone", "Mon, 23 Nov 2026 08:00:00 UTC", 0, false},
		// PHP's DateTime::RFC2822 (php-middleware/maintenance
		// src/MaintenanceMiddleware.php createWithRetryAsDateTime): exact,
		// so accepted although it is not an HTTP-date.
		{"numeric zone", testNow.UTC().Add(2 * time.Hour).Format(time.RFC1123Z), 2 * time.Hour, true},
		{"numeric zone, offset", testNow.In(time.FixedZone("", 3600)).Add(time.Hour).Format(time.RFC1123Z), time.Hour, true},
		{"numeric zone past", "Mon, 01 Jun 2020 14:00:00 +0000", 0, true},
		{"numeric zone malformed", "Mon, 23 Nov 2026 08:00:00 +00", 0, false},
		{"one-digit day", "Mon, 1 Dec 2026 08:00:00 GMT", 0, false},
		{"iso 8601", "2026-11-23T08:00:00Z", 0, false},
		{"date with junk", imf(time.Minute) + "x", 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := ParseRetryAfter(tt.value, testNow)
			assert.Equal(t, tt.wantOK, ok)
			assert.Equal(t, tt.want, got)
			assert.GreaterOrEqual(t, got, time.Duration(0), "never negative or wrapped")
		})
	}
}

// TestParseRetryAfterAgreesWithParseTime pins that every HTTP-date form is
// exactly what http.ParseTime accepts, no more, no less (the one addition,
// RFC 1123 with a numeric zone, is tested above).
func TestParseRetryAfterAgreesWithParseTime(t *testing.T) {
	for _, v := range []string{
		"Sun, 06 Nov 1994 08:49:37 GMT",
		"SUN, 06 NOV 1994 08:49:37 GMT",
		"sun, 06 nov 1994 08:49:37 GMT",
		"sun, 06 nov 1994 08:49:37 gmt",
		"Sunday, 06-Nov-94 08:49:37 GMT",
		"Sun Nov  6 08:49:37 1994",
		"Sun Nov 6 08:49:37 1994",
		"Sun, 06 Nov 1994 08:49:37",
		"Sun, 31 Feb 1994 08:49:37 GMT",
		"Sun, 06 Nov 1994 25:49:37 GMT",
	} {
		t.Run(v, func(t *testing.T) {
			_, err := http.ParseTime(v)
			_, ok := ParseRetryAfter(v, testNow)
			assert.Equal(t, err == nil, ok)
		})
	}
}

func TestParseRetryAfterExtremeNow(t *testing.T) {
	// A clock far in the past or future must not wrap either.
	d, ok := ParseRetryAfter("Fri, 01 Jan 2999 00:00:00 GMT", time.Time{})
	require.True(t, ok)
	assert.Equal(t, MaxRetryAfter, d)
	d, ok = ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
	require.True(t, ok)
	assert.Equal(t, time.Duration(0), d)
}
