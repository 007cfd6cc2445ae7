package classify

import (
	"fmt"
	"net/http"
	"strings"
)

// Rule is a user's own signal for one service: a response header or a JSON
// field that, when it matches, is evidence of a class. Rules apply to every
// response, including 2xx ones, so a service that answers 200 during
// maintenance (the Cloud Foundry maintenance app) can still be recognised.
//
// Exactly one of Header and JSONField is set.
type Rule struct {
	// Name labels the rule in evidence. If empty, the rule's own text.
	Name string
	// Header is a response header name, matched case-insensitively.
	Header string
	// JSONField is a dotted path into a JSON body, such as
	// "meta.maintenance_mode" or "errors.0.code". Array elements are
	// addressed by index. Setting it makes downfor read (a bounded prefix
	// of) every JSON body, even on 2xx.
	JSONField string
	// Value is what must match. For a header, a case-insensitive
	// substring of any of its values; for a JSON field, a case-insensitive
	// equality with the field's text (strings as is, numbers and booleans
	// as JSON writes them). If empty, the header must be present, or the
	// field present and not null, false or "".
	Value string
	// Indicates is the class a match argues for. The zero value, [OK],
	// means [Maintenance], the common case. An explicit [Malfunction]
	// rule beats everything; an explicit [Throttled] or [ClientError]
	// rule decides unless explicit maintenance or malfunction evidence
	// does. [Network] is ignored: a response is not a network failure.
	Indicates Class
	// Strength of a match. The zero value, [None], means [Explicit]: the
	// user wrote the rule because the signal is reliable.
	Strength Strength
}

func (r Rule) indicates() Class {
	if r.Indicates == OK {
		return Maintenance
	}
	return r.Indicates
}

func (r Rule) strength() Strength {
	if r.Strength == None {
		return Explicit
	}
	return r.Strength
}

// String returns the rule in the syntax [ParseRule] reads.
func (r Rule) String() string {
	var s string
	if r.Header != "" {
		s = "header:" + r.Header
	} else {
		s = "json:" + r.JSONField
	}
	if r.Value != "" {
		s += "=" + r.Value
	}
	// The class is written when it is not the default, and also when the
	// text holds "->", so that ParseRule reads that "->" back as text.
	if c := r.indicates(); c != Maintenance || strings.Contains(s, "->") {
		s += " -> " + c.String()
	}
	return s
}

// ParseRule reads a rule written as "header:NAME[=VALUE]" or
// "json:PATH[=VALUE]", optionally followed by " -> CLASS" (default
// maintenance; ok and network are refused: a response is neither by a
// rule's say-so). NAME must be a valid header field name; surrounding
// space is ignored. [Rule.String] writes what ParseRule reads; an error
// is a [*ParseError]. Examples:
//
//	header:StatusHeader=maintenance window
//	json:meta.code=MAINTENANCE
//	header:X-Error-Id -> malfunction
func ParseRule(s string) (Rule, error) {
	var r Rule
	body := s
	if i := strings.LastIndex(s, "->"); i >= 0 {
		c, err := ParseClass(strings.TrimSpace(s[i+2:]))
		if err != nil {
			return Rule{}, ruleError(s, fmt.Sprintf("unknown class %q", strings.TrimSpace(s[i+2:])))
		}
		if c == OK || c == Network {
			return Rule{}, ruleError(s, "a rule cannot indicate "+c.String())
		}
		if c != Maintenance {
			r.Indicates = c // the zero value already means maintenance
		}
		body = strings.TrimSpace(s[:i])
	}
	kind, rest, found := strings.Cut(body, ":")
	if !found {
		return Rule{}, ruleError(s, "want header:NAME[=VALUE] or json:PATH[=VALUE]")
	}
	name, value, _ := strings.Cut(rest, "=")
	name = strings.TrimSpace(name)
	r.Value = strings.TrimSpace(value)
	if name == "" {
		return Rule{}, ruleError(s, "empty name")
	}
	switch strings.ToLower(strings.TrimSpace(kind)) {
	case "header":
		if !isToken(name) {
			return Rule{}, ruleError(s, fmt.Sprintf("invalid header name %q", name))
		}
		r.Header = http.CanonicalHeaderKey(name)
	case "json":
		if strings.Contains(name, "..") || strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") {
			return Rule{}, ruleError(s, fmt.Sprintf("invalid JSON path %q", name))
		}
		r.JSONField = name
	default:
		return Rule{}, ruleError(s, fmt.Sprintf("unknown kind %q (want header or json)", kind))
	}
	return r, nil
}

func ruleError(input, reason string) error {
	return &ParseError{What: "rule", Input: input, Reason: reason}
}

// matchHeader reports whether the rule matches h, and the matching value.
func (r Rule) matchHeader(h http.Header) (string, bool) {
	for _, v := range headerValues(h, r.Header) {
		if r.Value == "" || containsFold(v, r.Value) {
			return v, true
		}
	}
	return "", false
}

// matchJSON reports whether the rule matches the decoded document doc.
func (r Rule) matchJSON(doc any) (string, bool) {
	v := doc
	for _, part := range strings.Split(r.JSONField, ".") {
		switch node := v.(type) {
		case map[string]any:
			next, ok := node[part]
			if !ok {
				return "", false
			}
			v = next
		case []any:
			i, ok := smallIndex(part)
			if !ok || i >= len(node) {
				return "", false
			}
			v = node[i]
		default:
			return "", false
		}
	}
	text, ok := scalarText(v)
	if !ok {
		return "", false
	}
	if r.Value == "" {
		return text, text != "" && text != "false" && text != "null"
	}
	return text, strings.EqualFold(text, r.Value)
}

// isToken reports whether s is a valid header field name (an RFC 9110
// token).
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return s != ""
}

func smallIndex(s string) (int, bool) {
	if s == "" || len(s) > 6 || !isDigits(s) {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// headerValues is h.Values(name) without canonicalizing name on every
// response, which costs time, and an allocation for a Rule built in code
// with a name such as "StatusHeader". net/http stores every key in
// canonical form, so the exact key is all there is to look up for a
// canonical name; for any other name, the smallest key equal to it under
// case folding.
func headerValues(h http.Header, name string) []string {
	if vs, ok := h[name]; ok || isCanonicalKey(name) {
		return vs
	}
	var key string
	for k := range h {
		if strings.EqualFold(k, name) && (key == "" || k < key) {
			key = k
		}
	}
	if key == "" {
		return nil
	}
	return h[key]
}

// isCanonicalKey reports whether name is already in the form
// http.CanonicalHeaderKey gives a valid name: each letter upper case at
// the start and after a hyphen, lower case elsewhere.
func isCanonicalKey(name string) bool {
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (upper && 'a' <= c && c <= 'z') || (!upper && 'A' <= c && c <= 'Z') {
			return false
		}
		upper = c == '-'
	}
	return true
}

// headerGet is h.Get(name) by way of headerValues.
func headerGet(h http.Header, name string) string {
	if vs := headerValues(h, name); len(vs) > 0 {
		return vs[0]
	}
	return ""
}
