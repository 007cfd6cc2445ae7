package classify

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// Seeds live in testdata/fuzz/<FuzzName>; these targets check invariants
// that must hold for any input a hostile server or user can produce.

func FuzzParseRetryAfter(f *testing.F) {
	f.Fuzz(func(t *testing.T, value string) {
		d, ok := ParseRetryAfter(value, testNow)
		if !ok && d != 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v, false: want 0 when invalid", value, d)
		}
		if ok && d < 0 {
			t.Fatalf("ParseRetryAfter(%q) = %v: negative", value, d)
		}
		if v := strings.TrimSpace(value); isDigits(v) {
			if !ok {
				t.Fatalf("ParseRetryAfter(%q): digits only must be valid", value)
			}
			if len(v) <= 9 && d != time.Duration(mustAtoi(v))*time.Second {
				t.Fatalf("ParseRetryAfter(%q) = %v", value, d)
			}
		}
		if _, err := http.ParseTime(strings.TrimSpace(value)); err == nil && !ok {
			t.Fatalf("ParseRetryAfter(%q): http.ParseTime accepts it", value)
		}
	})
}

func mustAtoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// maxValue bounds evidence and messages: maxEvidenceValue bytes and an
// ellipsis.
const maxValue = maxEvidenceValue + len("…")

func FuzzObserveJSON(f *testing.F) {
	opts := []*Options{
		nil,
		{HTMLTitle: true, PeekLimit: 512, Rules: []Rule{
			{JSONField: "errors.0.code", Value: "maintenance"},
			{JSONField: "status", Indicates: Malfunction},
			{Header: "StatusHeader", Value: "maintenance window"},
			{Header: "x-quota", Indicates: Throttled},
		}},
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		for _, o := range opts {
			h := http.Header{"Content-Type": {contentType}, "Retry-After": {contentType}, "Statusheader": {string(body[:min(len(body), 40)])}}
			resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1}
			v := Response(resp, testNow, o)
			if int(v.Class) >= len(Classes()) {
				t.Fatalf("invalid class %d", v.Class)
			}
			if v.Confidence > Explicit || (v.Class == Maintenance) != (v.Confidence != None) {
				t.Fatalf("class %v with confidence %v", v.Class, v.Confidence)
			}
			if v.HasRetryAfter && v.RetryAfter < 0 {
				t.Fatalf("negative RetryAfter %v", v.RetryAfter)
			}
			if len(v.Message) > maxValue {
				t.Fatalf("message of %d bytes", len(v.Message))
			}
			if len(v.Evidence) == 0 || v.Evidence[0].Signal != "status" {
				t.Fatalf("evidence %v: want the status first", v.Evidence)
			}
			for _, e := range v.Evidence {
				if len(e.Value) > maxValue || len(e.Signal) > maxValue || len(e.Message) > maxValue {
					t.Fatalf("evidence %s too long: %d bytes", e.Signal, len(e.Value))
				}
				if strings.ContainsAny(e.Value, "\x00\r\n\x1b") {
					t.Fatalf("evidence %q holds control characters", e.Value)
				}
			}
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("MarshalJSON: %v", err)
			}
			got, err := io.ReadAll(resp.Body)
			if err != nil || !bytes.Equal(got, body) {
				t.Fatalf("body not preserved: %v", err)
			}
		}
	})
}

func FuzzParseRule(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRule(s)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "downfor: rule ") {
				t.Fatalf("error %q", err)
			}
			if pe, ok := err.(*ParseError); !ok || pe.What != "rule" || pe.Input != s || pe.Reason == "" {
				t.Fatalf("error %#v: want a *ParseError for the rule", err)
			}
			return
		}
		if (r.Header == "") == (r.JSONField == "") {
			t.Fatalf("ParseRule(%q) = %+v: want exactly one of Header and JSONField", s, r)
		}
		if r.Header != "" && (!isToken(r.Header) || r.Header != http.CanonicalHeaderKey(r.Header)) {
			t.Fatalf("ParseRule(%q): header %q", s, r.Header)
		}
		if r.Indicates == Network || r.Indicates == Maintenance || int(r.Indicates) >= len(Classes()) {
			t.Fatalf("ParseRule(%q): indicates %v", s, r.Indicates)
		}
		back, err := ParseRule(r.String())
		if err != nil {
			t.Fatalf("ParseRule(%q).String() = %q does not parse: %v", s, r.String(), err)
		}
		if back != r {
			t.Fatalf("round trip of %q: %+v, then %q gives %+v", s, r, r.String(), back)
		}
		if utf8.ValidString(s) && !utf8.ValidString(r.String()) {
			t.Fatalf("String of %q is not UTF-8", s)
		}
		// A parsed rule matches without panicking, whatever it says.
		h := http.Header{http.CanonicalHeaderKey(r.Header): {r.Value}}
		_ = Observe(Observation{Status: 503, Header: h, Body: []byte(`{"a":{"b":[1,"x",null]}}`)}, testNow, &Options{Rules: []Rule{r}})
	})
}

// FuzzObserveBody drives the body decoding (Content-Encoding, BOM,
// sniffing, XML), the phrase rules and the fingerprint table with any
// status, type, encoding and body: no panic, bounded and printable
// evidence, the caller's bytes untouched.
func FuzzObserveBody(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, contentType, encoding string, body []byte) {
		h := http.Header{"Content-Type": {contentType}, "Content-Encoding": {encoding}, "Server": {encoding}}
		resp := &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(bytes.NewReader(body)), ContentLength: -1}
		v := Response(resp, testNow, &Options{HTMLTitle: true})
		if int(v.Class) >= len(Classes()) || (v.Class == Maintenance) != (v.Confidence != None) {
			t.Fatalf("class %v with confidence %v", v.Class, v.Confidence)
		}
		for _, e := range append(v.Evidence, Evidence{Value: v.Message}) {
			for _, s := range []string{e.Value, e.Message} {
				if len(s) > maxValue {
					t.Fatalf("evidence %s too long: %d bytes", e.Signal, len(s))
				}
				for _, r := range s {
					if isUnsafeRune(r) {
						t.Fatalf("evidence %q holds U+%04X", s, r)
					}
				}
			}
		}
		got, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("body not preserved: %v", err)
		}
	})
}

// FuzzObserveReason: any reason phrase, as a server may write it, gives a
// verdict whose evidence is short and printable.
func FuzzObserveReason(f *testing.F) {
	f.Fuzz(func(t *testing.T, status int, reason string) {
		resp := &http.Response{StatusCode: status, Status: strconv.Itoa(status) + " " + reason, Header: http.Header{}, Body: http.NoBody}
		v := Response(resp, testNow, nil)
		if int(v.Class) >= len(Classes()) || (v.Class == Maintenance) != (v.Confidence != None) {
			t.Fatalf("class %v with confidence %v", v.Class, v.Confidence)
		}
		if v.Class == Maintenance && status != http.StatusServiceUnavailable && !refusal(status) {
			t.Fatalf("a reason phrase made a %d maintenance", status)
		}
		for _, e := range v.Evidence {
			for _, s := range []string{e.Value, e.Message} {
				if len(s) > maxValue {
					t.Fatalf("evidence %s too long: %d bytes", e.Signal, len(s))
				}
				for _, r := range s {
					if isUnsafeRune(r) {
						t.Fatalf("evidence %q holds U+%04X", s, r)
					}
				}
			}
		}
	})
}
