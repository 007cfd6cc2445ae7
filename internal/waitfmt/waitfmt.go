// Package waitfmt writes waits for people, the one way the verdict's
// String, the client's errors and the CLI all write them.
package waitfmt

import (
	"fmt"
	"math"
	"time"
)

// Format writes a wait for people: "2m0s" as Go writes it up to two
// days, then in whole days ("3170979d" for a Retry-After of 99999999999),
// and "forever" for the largest Duration (classify.MaxRetryAfter), where
// a server's value saturated.
func Format(d time.Duration) string {
	switch {
	case d >= math.MaxInt64:
		return "forever"
	case d >= 48*time.Hour:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}
