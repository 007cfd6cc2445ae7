// Package origin compares URLs by origin (RFC 6454): scheme, host and
// effective port. It is the one comparison the client, the probe and the
// CLI use to decide whether a request stays with the service or leaves it,
// and so whether it may carry the caller's credentials.
package origin

import (
	"net/url"
	"strings"
)

// Same reports whether a and b have one origin: the same scheme and host,
// compared without case, and the same effective port (see [Port]). Host
// names get no other normalisation, so a difference in spelling
// ("example.com." or an IP address for the name) counts as another
// origin: the safe side. A nil URL has no origin and is the same as
// nothing.
func Same(a, b *url.URL) bool {
	if a == nil || b == nil {
		return false
	}
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		Port(a) == Port(b)
}

// Port returns u's port, or its scheme's default port: "80" for http and
// ws, "443" for https and wss, "" for any other scheme.
func Port(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "ws":
		return "80"
	case "https", "wss":
		return "443"
	}
	return ""
}
