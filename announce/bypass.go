package announce

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/netip"
	"time"
)

// bypassFor is how long the cookie set by a visit to /SECRET lasts.
const bypassFor = 12 * time.Hour

// bypassed reports whether r's client sees the service as usual during
// maintenance (protocol P10).
func (s *Switch) bypassed(r *http.Request) bool {
	if len(s.Bypass) > 0 {
		if addr, ok := remoteAddr(r); ok && contains(s.Bypass, addr) {
			return true
		}
	}
	if s.Secret == "" {
		return false
	}
	for _, v := range r.Header.Values(BypassHeader) {
		if equal(v, s.Secret) {
			return true
		}
	}
	if c, err := r.Cookie(BypassCookie); err == nil && equal(c.Value, s.cookieValue()) {
		return true
	}
	return false
}

// grantBypass answers a visit to /SECRET: a cookie that bypasses
// maintenance, and a redirect to the site's root.
func (s *Switch) grantBypass(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name:     BypassCookie,
		Value:    s.cookieValue(),
		Path:     "/",
		MaxAge:   int(bypassFor / time.Second),
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// cookieValue is derived from the secret, so that the cookie (which a
// browser keeps) is not the secret itself.
func (s *Switch) cookieValue() string {
	sum := sha256.Sum256([]byte("downfor announce bypass\x00" + s.Secret))
	return hex.EncodeToString(sum[:])
}

func equal(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func remoteAddr(r *http.Request) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(r.RemoteAddr); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}

func contains(nets []netip.Prefix, a netip.Addr) bool {
	for _, p := range nets {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// loopback is who may read the health endpoint when no allowlist is given.
func loopback() []netip.Prefix {
	return []netip.Prefix{
		netip.PrefixFrom(netip.AddrFrom4([4]byte{127, 0, 0, 0}), 8),
		netip.PrefixFrom(netip.IPv6Loopback(), 128),
	}
}

// HealthCheck reports whether the service itself works: nil if it does,
// an error saying what failed otherwise. It is given the request's
// context and must honour it.
type HealthCheck func(ctx context.Context) error

// HealthHandler returns a health endpoint that reports maintenance apart
// from failure, in the words of Spring Boot's actuator (protocol P7):
// 200 {"status":"UP"} when the service works; 503
// {"status":"OUT_OF_SERVICE"} with the window's "until" and "message"
// during maintenance; 503 {"status":"DOWN","error":...} when check fails
// outside maintenance. check may be nil (always healthy); it is not
// called during maintenance.
//
// Only clients whose address is in allow get an answer; others get 403,
// which a client reads as "no information", never as an outage: health
// details (which dependency failed, and how) are for your own monitoring,
// while the public announcement is the probe's. If allow is nil, only
// loopback addresses are allowed.
func (s *Switch) HealthHandler(check HealthCheck, allow []netip.Prefix) http.Handler {
	if allow == nil {
		allow = loopback()
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		if addr, ok := remoteAddr(r); !ok || !contains(allow, addr) {
			h.Set("Content-Type", "text/plain; charset=utf-8")
			write(w, r, http.StatusForbidden, []byte("forbidden\n"))
			return
		}
		type health struct {
			Status  string `json:"status"`
			Until   string `json:"until,omitempty"`
			Message string `json:"message,omitempty"`
			Error   string `json:"error,omitempty"`
		}
		now := time.Now()
		doc, status := health{Status: "UP"}, http.StatusOK
		if st := s.state(now); st.On {
			v := viewOf(st, now)
			doc, status = health{Status: "OUT_OF_SERVICE", Message: v.message}, http.StatusServiceUnavailable
			if !v.until.IsZero() {
				doc.Until = v.until.UTC().Format(time.RFC3339)
			}
		} else if check != nil {
			if err := check(r.Context()); err != nil {
				doc, status = health{Status: "DOWN", Error: err.Error()}, http.StatusServiceUnavailable
			}
		}
		body, _ := json.Marshal(doc) // cannot fail: strings
		h.Set("Content-Type", "application/json")
		write(w, r, status, append(body, '\n'))
	})
}
