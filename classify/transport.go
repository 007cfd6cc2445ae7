package classify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
)

// Error classifies a transport error: the request got no HTTP response. The
// verdict is [Network], with one piece of evidence naming what failed,
// found by the error's type and never by its text: "dns-not-found",
// "dns-temporary", "dns", "refused", "reset", "unreachable", "timeout",
// "certificate", "tls", "protocol", "eof", "canceled" or "other". A nil
// error gives the zero (OK) verdict.
//
// A cancellation by the caller's own context is not evidence about the
// service: a caller whose context has ended reports its own error instead.
func Error(err error) Verdict {
	if err == nil {
		return Verdict{}
	}
	ev := Evidence{Source: SourceTransport, Signal: transportSignal(err), Value: abridge(err.Error()), Strength: Explicit, Indicates: Network}
	if ev.Signal == "canceled" {
		ev.Strength = None
	}
	return Verdict{Class: Network, Evidence: []Evidence{ev}}
}

func transportSignal(err error) string {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		switch {
		case dnsErr.IsNotFound:
			return "dns-not-found"
		case dnsErr.IsTemporary || dnsErr.IsTimeout:
			return "dns-temporary"
		}
		return "dns"
	}
	var (
		// crypto/x509 returns its errors as values; some callers wrap
		// pointers to them. Both are certificate failures.
		unknownAuthority    x509.UnknownAuthorityError
		unknownAuthorityPtr *x509.UnknownAuthorityError
		hostnameErr         x509.HostnameError
		hostnameErrPtr      *x509.HostnameError
		invalidCert         x509.CertificateInvalidError
		invalidCertPtr      *x509.CertificateInvalidError
		systemRoots         x509.SystemRootsError
		constraint          x509.ConstraintViolationError
		critical            x509.UnhandledCriticalExtension
		insecureAlg         x509.InsecureAlgorithmError
		verifyErr           *tls.CertificateVerificationError
		recordErr           tls.RecordHeaderError
		alertErr            tls.AlertError
	)
	switch {
	case errors.As(err, &verifyErr), errors.As(err, &unknownAuthority), errors.As(err, &unknownAuthorityPtr),
		errors.As(err, &hostnameErr), errors.As(err, &hostnameErrPtr),
		errors.As(err, &invalidCert), errors.As(err, &invalidCertPtr),
		errors.As(err, &systemRoots), errors.As(err, &constraint),
		errors.As(err, &critical), errors.As(err, &insecureAlg):
		return "certificate"
	case errors.As(err, &recordErr), errors.As(err, &alertErr), errors.Is(err, http.ErrSchemeMismatch):
		return "tls"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE), errors.Is(err, syscall.ECONNABORTED):
		return "reset"
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH), errors.Is(err, syscall.EHOSTDOWN):
		return "unreachable"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded), isTimeout(err):
		return "timeout"
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "eof"
	case isMalformedResponse(err):
		return "protocol"
	}
	return "other"
}

// isTimeout reports whether any error in err's chain says it is a timeout.
// errors.As alone is not enough: it stops at the first error with a
// Timeout method, and *url.Error has one that looks only one level down.
func isTimeout(err error) bool {
	found := false
	walkErrors(err, func(e error) bool {
		if t, ok := e.(interface{ Timeout() bool }); ok && t.Timeout() {
			found = true
		}
		return !found
	})
	return found
}

// walkErrors calls f on err and every error it wraps, depth first, until f
// returns false. The depth is bounded so a cyclic chain cannot hang it.
func walkErrors(err error, f func(error) bool) bool {
	var walk func(e error, depth int) bool
	walk = func(e error, depth int) bool {
		if e == nil || depth > 64 {
			return true
		}
		if !f(e) {
			return false
		}
		switch u := e.(type) {
		case interface{ Unwrap() error }:
			return walk(u.Unwrap(), depth+1)
		case interface{ Unwrap() []error }:
			for _, inner := range u.Unwrap() {
				if !walk(inner, depth+1) {
					return false
				}
			}
		}
		return true
	}
	return walk(err, 0)
}

// isMalformedResponse recognises a peer that answered with bytes that are
// not HTTP. net/http reports this with a plain error string, so this is
// the one place downfor matches error text; TestMalformedResponse pins it.
// The text of a *url.Error is left out: it quotes the request URL, which
// may say anything.
func isMalformedResponse(err error) bool {
	var ue *url.Error
	if errors.As(err, &ue) {
		if ue.Err == nil {
			return false
		}
		err = ue.Err
	}
	s := err.Error()
	return strings.Contains(s, "malformed HTTP") || strings.Contains(s, "malformed MIME header")
}
