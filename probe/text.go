package probe

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxText bounds the text copied from a body into evidence, in bytes.
const maxText = 300

// clean makes text taken from a possibly hostile body safe to print and
// short: invalid UTF-8 is replaced, control characters, format
// characters (Unicode Cf: RTL overrides, U+FEFF, zero-width joiners) and
// the line and paragraph separators U+2028 and U+2029 become spaces, runs
// of white space collapse to one, and the result is at most maxText bytes.
func clean(s string) string {
	if len(s) > 4*maxText {
		s = s[:4*maxText]
	}
	var b strings.Builder
	b.Grow(min(len(s), maxText))
	space := true // drop leading space
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(r) || unicode.IsSpace(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Bidi_Control) {
			if !space {
				space = true
				b.WriteByte(' ')
			}
			continue
		}
		if b.Len()+utf8.RuneLen(r) > maxText-len("...") {
			return strings.TrimRight(b.String(), " ") + "..."
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimRight(b.String(), " ")
}

// decodeJSON decodes one complete JSON object or array, keeping numbers as
// [json.Number]. Anything else (empty, truncated, trailing garbage, a bare
// scalar) is not a document: evidence of nothing.
func decodeJSON(body []byte) (any, bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || (body[0] != '{' && body[0] != '[') {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return doc, true
}

// field returns m[key], or the value of the first key equal to it under
// Unicode case folding, or nil.
func field(m map[string]any, key string) any {
	if m == nil {
		return nil
	}
	if v, ok := m[key]; ok {
		return v
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v
		}
	}
	return nil
}

// first returns the first of keys present in m with a non-null value.
func first(m map[string]any, keys ...string) any {
	for _, k := range keys {
		if v := field(m, k); v != nil {
			return v
		}
	}
	return nil
}

func asObject(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func asArray(v any) []any {
	a, _ := v.([]any)
	return a
}

// asString returns a string value, or a number's text; "" otherwise.
func asString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	}
	return ""
}

// norm lower-cases s and removes '_', '-' and spaces, so that
// "UNDER_MAINTENANCE", "under-maintenance" and "UnderMaintenance" compare
// equal.
func norm(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == ' ' {
			return -1
		}
		return r
	}, s)
}

// maxInflated bounds what a gzip body may expand to (the default body
// limit): a small hostile body cannot become a large one.
const maxInflated = defaultBodyLimit

// gunzipped returns body decompressed when it is a gzip stream (its magic
// number 1f 8b, which no text or JSON starts with): a caller whose
// Config.Header sets Accept-Encoding gets bodies the transport leaves
// encoded. Anything else, and a stream that does not decode, is returned
// as it is.
func gunzipped(body []byte) []byte {
	if len(body) < 2 || body[0] != 0x1f || body[1] != 0x8b {
		return body
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		return body
	}
	out, err := io.ReadAll(io.LimitReader(zr, maxInflated+1))
	if (err != nil && len(out) == 0) || len(out) > maxInflated {
		return body
	}
	return out
}
