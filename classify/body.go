package classify

import (
	"bytes"
	"encoding/json"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// maxEvidenceValue bounds the text copied from a hostile body into evidence.
const maxEvidenceValue = 300

// isJSONType reports whether a Content-Type names JSON: application/json,
// text/json, and every +json suffix (problem+json, health+json, Spring's
// vnd.spring-boot.actuator.v3+json).
func isJSONType(ct string) bool {
	mt := mediaType(ct)
	return strings.EqualFold(mt, "application/json") || strings.EqualFold(mt, "text/json") ||
		(len(mt) > len("+json") && strings.EqualFold(mt[len(mt)-len("+json"):], "+json"))
}

func isHTMLType(ct string) bool {
	mt := mediaType(ct)
	return strings.EqualFold(mt, "text/html") || strings.EqualFold(mt, "application/xhtml+xml")
}

// mediaType returns the type/subtype of a Content-Type, without its
// parameters or surrounding space, in its original case. Unlike
// mime.ParseMediaType it never allocates, and it tolerates malformed
// parameters, which say nothing about the type.
func mediaType(ct string) string {
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	return strings.TrimSpace(ct)
}

// decodeJSON decodes a complete JSON document. A truncated, malformed or
// empty body decodes to nothing: it is evidence of nothing.
func decodeJSON(body []byte) (any, bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || (body[0] != '{' && body[0] != '[') {
		return nil, false
	}
	var doc any
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, false
	}
	return doc, true
}

// maintenanceFlagKeys are boolean keys that, when true, say "maintenance"
// in so many words. Compared after lower-casing and removing '_' and '-'.
var maintenanceFlagKeys = map[string]bool{
	"maintenance":        true,
	"maintenancemode":    true, // OSF meta.maintenance_mode, maintenanceMode
	"inmaintenance":      true,
	"undermaintenance":   true,
	"ismaintenance":      true,
	"downformaintenance": true,
}

// maintenanceStatuses are values of a "status" or "state" string field that
// announce maintenance, compared case-insensitively.
var maintenanceStatuses = map[string]bool{
	"maintenance":       true,
	"under_maintenance": true,
	"undermaintenance":  true,
	"in_maintenance":    true,
	"out_of_service":    true, // Spring Boot actuator
}

func normKey(k string) string {
	k = strings.ToLower(k)
	if strings.ContainsAny(k, "_-") {
		k = strings.NewReplacer("_", "", "-", "").Replace(k)
	}
	return k
}

// jsonFlags finds explicit maintenance flags in a decoded JSON document:
// boolean flags at any depth up to 3 (so {"meta":{"maintenance_mode":true}}
// counts), a top-level status or state naming maintenance or Spring's
// OUT_OF_SERVICE, and, when codes is true, error codes such as GOV.UK
// Notify's errors[].error "PlannedMaintenanceError". Codes are only read
// on statuses that refuse service (see refusal): a 404 whose code is
// "maintenance_window_not_found" is about the caller's request.
func jsonFlags(doc any, codes bool) []Evidence {
	var out []Evidence
	add := func(path, value string) {
		out = append(out, Evidence{Source: SourceResponse, Signal: "json-flag", Value: abridge(path + "=" + value), Strength: Explicit, Indicates: Maintenance})
	}
	var walk func(v any, path string, depth int)
	walk = func(v any, path string, depth int) {
		if depth > 3 || len(out) > 4 {
			return
		}
		switch node := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(node) {
				child := node[k]
				p := joinPath(path, k)
				nk := normKey(k)
				switch c := child.(type) {
				case bool:
					if c && maintenanceFlagKeys[nk] {
						add(p, "true")
					}
				case string:
					switch {
					case (nk == "status" || nk == "state") && depth <= 1 && maintenanceStatuses[strings.ToLower(c)]:
						add(p, c)
					case codes && (nk == "error" || nk == "code" || nk == "type" || nk == "errorcode") && isMaintenanceCode(c):
						add(p, c)
					}
				case map[string]any, []any:
					walk(child, p, depth+1)
				}
			}
		case []any:
			for i, child := range node {
				if i >= 16 {
					break
				}
				walk(child, joinPath(path, strconv.Itoa(i)), depth+1)
			}
		}
	}
	walk(doc, "", 0)
	return out
}

// isMaintenanceCode reports whether s is an identifier-like error code
// (no spaces) that names maintenance, such as PlannedMaintenanceError or
// MAINTENANCE_MODE. Sentences go through the message rule instead.
func isMaintenanceCode(s string) bool {
	if len(s) > 100 || strings.ContainsAny(s, " \t\n") {
		return false
	}
	return strings.Contains(strings.ToLower(s), "maintenance")
}

// maintenanceText matches human text that says the service is in
// maintenance or read-only on purpose. A bare "is read-only" is not
// enough: GitHub answers 403 "Repository was archived so is read-only."
// for good, and a validation error may say "field is read-only".
var maintenanceText = regexp.MustCompile(`(?i)\bmaint[ae]nance\b|\bread[- ]?only (?:mode|instance|database)\b|\bwrite operations on a read[- ]?only\b`)

// messageKeys are the fields that carry human text in JSON error bodies,
// problem+json (RFC 9457) included.
var messageKeys = []string{"message", "error", "detail", "title", "error_description", "description"}

// jsonMessage returns the first human message in a JSON error body, and
// whether it reads as maintenance. It looks at the top level, at an "error"
// object, at the first few elements of "errors", and in "meta" and "data".
func jsonMessage(doc any) (msg string, maintenance bool) {
	obj, ok := doc.(map[string]any)
	if !ok {
		return "", false
	}
	var candidates []string
	collect := func(o map[string]any) {
		for _, k := range messageKeys {
			if s, ok := o[k].(string); ok && s != "" {
				candidates = append(candidates, s)
			}
		}
	}
	collect(obj)
	if e, ok := obj["error"].(map[string]any); ok {
		collect(e)
	}
	if errs, ok := obj["errors"].([]any); ok {
		for i, e := range errs {
			if i >= 8 {
				break
			}
			if o, ok := e.(map[string]any); ok {
				collect(o)
			}
		}
	}
	// Envelopes: JSON:API's "meta", and the "data" wrapper many APIs
	// put their errors in (Strike: {"data":{"code":...,"message":...}}).
	for _, k := range [...]string{"meta", "data"} {
		if o, ok := obj[k].(map[string]any); ok {
			collect(o)
		}
	}
	for _, c := range candidates {
		if maintenanceText.MatchString(c) {
			return abridge(c), true
		}
	}
	// Prefer a sentence over a bare reason phrase for the message.
	for _, c := range candidates {
		if strings.Contains(c, " ") && !isReasonPhrase(c) {
			return abridge(c), false
		}
	}
	if len(candidates) > 0 {
		return abridge(candidates[0]), false
	}
	return "", false
}

func isReasonPhrase(s string) bool {
	switch strings.ToLower(s) {
	case "service unavailable", "internal server error", "bad gateway", "gateway timeout", "not found", "forbidden":
		return true
	}
	return false
}

var (
	htmlTitle   = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlHeading = regexp.MustCompile(`(?is)<h[12][^>]*>(.*?)</h[12]>`)
	htmlTag     = regexp.MustCompile(`(?s)<[^>]*>`)
	htmlMaint   = regexp.MustCompile(`(?i)down for maintenance|maintenance mode|under maintenance|scheduled maintenance|maintenance in progress|\bin maintenance\b`)
)

// htmlMaintenance looks for maintenance wording in an HTML page's title or
// first-level headings only. Body text is ignored on purpose: Apache's stock
// 503 page mentions "maintenance downtime or capacity problems" for any 503.
func htmlMaintenance(body []byte) (string, bool) {
	for _, re := range []*regexp.Regexp{htmlTitle, htmlHeading} {
		for _, m := range re.FindAllSubmatch(body, 4) {
			text := strings.Join(strings.Fields(htmlTag.ReplaceAllString(string(m[1]), " ")), " ")
			if htmlMaint.MatchString(text) {
				return abridge(text), true
			}
		}
	}
	return "", false
}

func joinPath(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}

func sortedKeys(m map[string]any) []string {
	// A stable order makes evidence reproducible.
	return slices.Sorted(maps.Keys(m))
}

func scalarText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	case nil:
		return "null", true
	}
	return "", false
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// abridge keeps evidence small and printable whatever a server sends: at
// most maxEvidenceValue bytes, plus an ellipsis when it was cut.
func abridge(s string) string { return abridgeTo(s, maxEvidenceValue) }

// abridgeTo is abridge with a limit of n bytes (n > 0).
func abridgeTo(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		// Control characters (C0, DEL, C1) and bidi overrides could
		// rewrite a terminal line or a log entry.
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return ' '
		}
		return r
	}, s)
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !isRuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
