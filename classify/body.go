package classify

import (
	"bytes"
	"encoding/json"
	"html"
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

// springReadinessOnly reports whether a Spring health document's
// out-of-service components are all Spring's own readinessState, which
// says OUT_OF_SERVICE whenever the application refuses traffic (starting,
// shutting down, crash-looping).
func springReadinessOnly(doc map[string]any) bool {
	comps, _ := doc["components"].(map[string]any)
	found := false
	for k, v := range comps {
		st, _ := v.(map[string]any)
		if s, _ := st["status"].(string); !strings.EqualFold(s, "OUT_OF_SERVICE") {
			continue
		}
		if normKey(strings.ToLower(k)) != "readinessstate" {
			return false
		}
		found = true
	}
	return found
}

// startingUp reports whether an error object's own message says the
// service is starting up rather than stopped on purpose: "Site is
// starting up", "the server is still initializing", "booting".
func startingUp(obj map[string]any) bool {
	for k, v := range obj {
		switch normKey(k) {
		case "message", "msg", "detail", "title", "description", "errormessage":
			if text, ok := v.(string); ok && statesStartup(wordsOf(text)) {
				return true
			}
		}
	}
	return false
}

// jsonFlags finds explicit maintenance flags in a decoded JSON document:
// boolean flags at any depth up to 3 (so {"meta":{"maintenance_mode":true}}
// counts; true, 1, "true", "1", "yes" and "on" are all true), a status or
// state near the top naming maintenance or Spring's OUT_OF_SERVICE, and
// error codes that name the maintenance state, such as GOV.UK Notify's
// errors[].error "PlannedMaintenanceError" (see codeStates: a code such as
// MaintenanceSchedulerException or a problem type URI is not one). The
// caller decides whether the status lets them count.
func jsonFlags(doc any) []Evidence {
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
				if maintenanceFlagKeys[nk] {
					if text, ok := truthy(child); ok {
						add(p, text)
						continue
					}
				}
				switch c := child.(type) {
				case string:
					switch {
					case (nk == "status" || nk == "state") && depth <= 1 && maintenanceStatuses[strings.ToLower(c)]:
						if depth == 0 && springReadinessOnly(node) {
							// Spring's own readinessState refusing traffic
							// (starting, shutting down): not a switch.
							continue
						}
						add(p, c)
					case (nk == "error" || nk == "code" || nk == "type" || nk == "errorcode" || nk == "exception") && codeStates(c):
						if startingUp(node) {
							// A maintenance-named error type whose own
							// message says the service is booting (Ghost
							// sends its MaintenanceError until its URLs
							// are built): a boot follows a crash as
							// readily as a deploy, so it is no switch.
							continue
						}
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

// jsonThrottleCode finds an error code that says "slow down" (see
// codeThrottles) at the top level of a JSON error body, in its "error"
// object or in the first elements of "errors": AWS's
// {"__type":"...#ThrottlingException"}, Google's "rateLimitExceeded".
func jsonThrottleCode(doc any) (string, bool) {
	var objects []map[string]any
	add := func(obj map[string]any) {
		objects = append(objects, obj)
		if errs, ok := obj["errors"].([]any); ok {
			for i, e := range errs {
				if o, ok := e.(map[string]any); ok && i < 4 {
					objects = append(objects, o)
				}
			}
		}
	}
	if obj, ok := doc.(map[string]any); ok {
		add(obj)
		if e, ok := obj["error"].(map[string]any); ok {
			add(e) // Google's {"error":{"errors":[{"reason":...}]}}
		}
	}
	for _, o := range objects {
		for _, k := range sortedKeys(o) {
			switch normKey(k) {
			case "type", "code", "error", "errorcode", "exception", "status", "reason":
				if c, ok := o[k].(string); ok && codeThrottles(c) {
					return k + "=" + c, true
				}
			}
		}
	}
	return "", false
}

// truthy reports whether a flag's value means "on", as JSON, PHP and
// form-minded APIs write it: true, 1, "true", "1", "yes", "on".
func truthy(v any) (string, bool) {
	switch x := v.(type) {
	case bool:
		return "true", x
	case float64:
		return "1", x == 1
	case string:
		switch strings.ToLower(strings.TrimSpace(x)) {
		case "true", "1", "yes", "on":
			return x, true
		}
	}
	return "", false
}

// messageKeys are the fields that carry human text in JSON error bodies,
// problem+json (RFC 9457) included.
var messageKeys = []string{"message", "error", "detail", "title", "error_description", "description", "info", "reason",
	"msg", "error_message", "errorMessage", "Message"}

// jsonMessage returns the first human message in a JSON error body (for
// the verdict), and the candidate that says most about maintenance, with
// what it says (see judgeText). It looks at the top level (or the first
// objects of a top-level array), at an "error" object, at the first few
// elements of "errors" (objects or strings), and in "meta" and "data".
func jsonMessage(doc any) (msg string, judged textVerdict, said string) {
	var candidates []string
	collect := func(o map[string]any) {
		for _, k := range messageKeys {
			if s, ok := o[k].(string); ok && s != "" {
				candidates = append(candidates, s)
			}
		}
	}
	var objects []map[string]any
	switch x := doc.(type) {
	case map[string]any:
		objects = append(objects, x)
	case []any:
		for i, e := range x {
			if i >= 4 {
				break
			}
			if o, ok := e.(map[string]any); ok {
				objects = append(objects, o)
			}
		}
	}
	for _, obj := range objects {
		collect(obj)
		if e, ok := obj["error"].(map[string]any); ok {
			collect(e)
		}
		if errs, ok := obj["errors"].([]any); ok {
			for i, e := range errs {
				if i >= 8 {
					break
				}
				switch x := e.(type) {
				case map[string]any:
					collect(x)
				case string:
					candidates = append(candidates, x)
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
	}
	said, judged = judgeAll(candidates)
	if said != "" {
		said = abridge(said)
	}
	// Prefer a sentence over a bare reason phrase for the message.
	for _, c := range candidates {
		if strings.Contains(c, " ") && !isReasonPhrase(c) {
			return abridge(c), judged, said
		}
	}
	if len(candidates) > 0 {
		return abridge(candidates[0]), judged, said
	}
	return "", judged, said
}

// judgeAll judges each text and returns the one that says most: a stated
// state first, then a stock description, then a noun-only mention.
func judgeAll(texts []string) (said string, judged textVerdict) {
	rank := map[textVerdict]int{textSilent: 0, textNoun: 1, textStock: 2, textState: 3}
	for i, t := range texts {
		if i >= 24 {
			break
		}
		if j := judgeText(t); rank[j] > rank[judged] {
			said, judged = t, j
		}
	}
	return said, judged
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
	// htmlMaint holds the common maintenance page titles and headings:
	// WordPress' wp_maintenance ("Maintenance", "Briefly unavailable for
	// scheduled maintenance"), Drupal's "Site under maintenance", Heroku's
	// "Offline for Maintenance", the "We'll be back soon" of many themes
	// and plugins, and any heading that states the state (see judgeText).
	htmlBare  = regexp.MustCompile(`(?i)^\s*maintenance\s*$`)
	htmlMaint = regexp.MustCompile(`(?i)we(?:'|’|\s+wi)ll\s+be\s+(?:right\s+)?back(?:\s+soon)?|briefly unavailable for scheduled maintenance|offline for maintenance|site (?:is )?under maintenance`)
)

// containerMessages are the places where a servlet container's stock
// error page carries the application's own message, the one it passed to
// HttpServletResponse.sendError(status, message): that text is the
// application's, like a JSON error message, while the page around it
// (and Tomcat's stock "Description" of the status) is not.
//
//   - Jetty 9.4 to 12, org.eclipse.jetty ErrorHandler
//     writeErrorPageMessage: <tr><th>MESSAGE:</th><td>MESSAGE</td></tr>.
//   - Jetty 9.3 and before: <p>Problem accessing URI. Reason:
//     <pre>    MESSAGE</pre></p>.
//   - Apache Tomcat, org.apache.catalina.valves.ErrorReportValve report:
//     <p><b>Message</b> MESSAGE</p>.
//   - Spring Boot's Whitelabel Error Page (ErrorMvcAutoConfiguration
//     StaticView): <div>There was an unexpected error (type=..., status=NNN).</div><div>MESSAGE</div>,
//     the message shown when server.error.include-message allows it.
var containerMessages = []*regexp.Regexp{
	regexp.MustCompile(`(?s)<tr><th>MESSAGE:</th><td>(.{1,300}?)</td></tr>`),
	regexp.MustCompile(`(?s)Reason:\s*<pre>(.{1,300}?)</pre>`),
	regexp.MustCompile(`(?s)<p><b>Message</b>(.{1,300}?)</p>`),
	regexp.MustCompile(`(?s)There was an unexpected error \(type=[^)<]{1,80}, status=\d{3}\)\.</div><div>(.{1,300}?)</div>`),
}

// containerMessage returns the application's message from a servlet
// container's stock error page, unescaped and trimmed, or "".
func containerMessage(body []byte) string {
	for _, re := range containerMessages {
		if m := re.FindSubmatch(body); m != nil {
			return strings.TrimSpace(html.UnescapeString(string(m[1])))
		}
	}
	return ""
}

// htmlMaintenance looks for maintenance wording in an HTML page's title or
// first- and second-level headings only. Body text is ignored on purpose: Apache's stock
// 503 page mentions "maintenance downtime or capacity problems" for any 503.
func htmlMaintenance(body []byte) (string, bool) {
	var bare string
	for _, re := range []*regexp.Regexp{htmlTitle, htmlHeading} {
		for _, m := range re.FindAllSubmatch(body, 4) {
			// Entities are decoded first: hand-written pages spell the
			// apostrophe of "We&rsquo;ll be back soon!" as an entity.
			text := strings.Join(strings.Fields(html.UnescapeString(htmlTag.ReplaceAllString(string(m[1]), " "))), " ")
			switch {
			case htmlBare.MatchString(text):
				// A title of just "Maintenance" (WordPress') is weaker
				// than a heading that states the state.
				if bare == "" {
					bare = abridge(text)
				}
			case htmlMaint.MatchString(text) || judgeText(text) == textState:
				return abridge(text), true
			}
		}
	}
	return bare, bare != ""
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
		// Control characters (C0, DEL, C1), format characters (bidi
		// overrides, U+FEFF, zero-width joiners: Unicode Cf) and the line
		// and paragraph separators (U+2028, U+2029) could rewrite a
		// terminal line, split a log entry or a mail header.
		if isUnsafeRune(r) {
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

// isUnsafeRune reports the characters evidence never carries: controls
// (Cc), format characters (Cf, which include the bidi overrides and
// U+FEFF), and the line and paragraph separators (Zl, Zp).
func isUnsafeRune(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp, unicode.Bidi_Control)
}
