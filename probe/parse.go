package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/notannounced"
)

// ParseProbe reads the answer of the well-known probe URL. It is pure and
// never fails.
//
// A 200 is explicit maintenance ([classify.Explicit], indicating
// [classify.Maintenance]) when it is a probe answer: an empty body, a
// short text (text/plain, or no or an octet-stream type; it becomes the
// message), a JSON body (an object may add "until", when the window
// should end, "start" and "message"), or an HTML page whose text mentions
// maintenance. A JSON body whose maintenance flag is false (a boolean, 0,
// "false", "off", ...) or whose "status" is a health word such as "ok" (a
// load balancer's fixed response, a health route), an HTML page without
// maintenance words (a single-page app's index.html, a CMS page)
// and any other type of body are "no information": the server answers
// 200 to paths it does not know. [Prober.Probe] also sends a control
// request to rule out a catch-all. A 404 is "not announced" and any other
// status "no information", all with strength [classify.None].
//
// Times, here and on status pages, are read in every form these systems
// use: RFC 3339 with Z or a local offset (Statuspage writes
// "2026-11-23T02:00:00.000-06:00"), zone-less ISO 8601 and SQL forms
// ("2026-11-23 08:00:00", Cachet's), the HTTP date forms, JavaScript's
// Date.toString (Instatus'), and numbers of seconds or milliseconds since
// the epoch (1e11 and above are milliseconds). A time without a zone is
// taken as UTC, Cachet's default application time zone. Times before
// 1970 or after 9999 are ignored. A body the transport left gzip-encoded
// is decoded (to 1 MiB at most) and a UTF-8 byte order mark skipped, here
// and in [ParseHealth] and [ParseStatusPage]. Text copied from a body into
// evidence is cut to a few hundred bytes and stripped of control
// characters.
func ParseProbe(status int, contentType string, body []byte) classify.Evidence {
	ev := classify.Evidence{Source: classify.SourceProbe, Signal: classify.SignalProbe}
	switch status {
	case http.StatusOK:
	case http.StatusNotFound:
		ev.Value = notannounced.Value
		return ev
	default:
		ev.Value = fmt.Sprintf("%d (no information)", status)
		return ev
	}
	body = bytes.TrimPrefix(gunzipped(body), []byte("\xEF\xBB\xBF"))
	mt := mediaType(contentType)
	doc, isJSON := decodeJSON(body)
	switch {
	case isJSON:
		m := asObject(doc)
		if flag, ok := maintenanceFlag(m); ok && !flag {
			ev.Value = "200 (says it is not in maintenance)"
			return ev
		}
		if word, ok := field(m, "status").(string); ok && healthWordKind(norm(word)) != "" && healthWordKind(norm(word)) != "maintenance" {
			// {"status":"ok"}: a health answer (a catch-all's fixed
			// response, a health route), not a maintenance announcement.
			ev.Value = fmt.Sprintf("200 (a health answer, status %q, not a maintenance announcement)", clean(word))
			return ev
		}
		ev.Value = "200"
		ev.Strength, ev.Indicates = classify.Explicit, classify.Maintenance
		if t, ok := parseTime(first(m, "until", "end", "ends_at")); ok {
			ev.Until = t
		}
		if t, ok := parseTime(first(m, "start", "since", "starts_at")); ok {
			ev.Start = t
		}
		ev.Message = clean(asString(first(m, "message", "reason", "description")))
		return ev
	case strings.HasSuffix(mt, "json") || strings.HasSuffix(mt, "+json"):
		// Declared JSON that does not parse: still an answer at the probe.
	case mt == "text/html" || mt == "application/xhtml+xml" || looksLikeHTML(body):
		if !htmlMentionsMaintenance(body) {
			ev.Value = "200 (an HTML page without maintenance words, not a probe)"
			return ev
		}
	case mt == "text/plain" || mt == "" || mt == "application/octet-stream":
		if len(body) <= 4*maxText {
			ev.Message = clean(string(body))
		}
	default:
		ev.Value = "200 (a " + clean(mt) + " body, not a probe)"
		return ev
	}
	ev.Value = "200"
	ev.Strength, ev.Indicates = classify.Explicit, classify.Maintenance
	return ev
}

// maintenanceFlag reads an explicit "maintenance": false (or
// maintenance_mode, in_maintenance, ...) in a probe's JSON object.
func maintenanceFlag(m map[string]any) (value, ok bool) {
	return flagOf(m, "maintenance", "maintenancemode", "inmaintenance", "undermaintenance", "active", "enabled")
}

// flagOf reads the first of keys (compared after [norm]) that holds a
// flag: a JSON boolean, the numbers 0 and 1, or the strings "true",
// "false", "1", "0", "on", "off", "yes", "no", "enabled", "disabled", as
// configuration files and PHP write them.
func flagOf(m map[string]any, keys ...string) (value, ok bool) {
	for k, v := range m {
		if !slices.Contains(keys, norm(k)) {
			continue
		}
		switch x := v.(type) {
		case bool:
			return x, true
		case json.Number:
			switch x.String() {
			case "0":
				return false, true
			case "1":
				return true, true
			}
		case string:
			switch strings.ToLower(strings.TrimSpace(x)) {
			case "true", "1", "on", "yes", "enabled":
				return true, true
			case "false", "0", "off", "no", "disabled":
				return false, true
			}
		}
	}
	return false, false
}

func looksLikeHTML(body []byte) bool {
	t := bytes.ToLower(firstN(bytes.TrimSpace(body), 64))
	return bytes.HasPrefix(t, []byte("<!doctype html")) || bytes.HasPrefix(t, []byte("<html"))
}

func firstN(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

var (
	htmlScript = regexp.MustCompile(`(?is)<(script|style|template|noscript)[^>]*>.*?</(script|style|template|noscript)>`)
	htmlMarkup = regexp.MustCompile(`(?s)<[^>]*>`)
	htmlWords  = regexp.MustCompile(`(?i)\bmaint[ae]nance\b|\bread[- ]?only mode\b|\bbe (right )?back soon\b|\bback shortly\b`)
)

// htmlMentionsMaintenance reports whether an HTML page's visible text
// (scripts, styles and markup removed) mentions maintenance: a catch-all
// index.html may carry "maintenance" in its bundled configuration, never
// in its text.
func htmlMentionsMaintenance(body []byte) bool {
	text := htmlMarkup.ReplaceAll(htmlScript.ReplaceAll(body, nil), []byte(" "))
	return htmlWords.Match(text)
}

// judgeControl decides whether a probe's 200 (ev, from [ParseProbe]) was
// a catch-all: the control request to a path that cannot exist
// (controlPath) was answered with status, content type ct and body. A 200
// there with the same body, or of the same type and saying as much (a
// probe that names a window or mentions maintenance beside a control that
// does not is a real probe), means the site answers 200 to every path and
// the probe says nothing. A control request that got no answer (problem)
// leaves the probe unconfirmed: no information.
func judgeControl(ev classify.Evidence, probeType string, probeBody []byte, controlPath string, status int, ct string, body []byte, problem string) classify.Evidence {
	if ev.Strength == classify.None {
		return ev
	}
	none := func(why string) classify.Evidence {
		return classify.Evidence{Source: ev.Source, Signal: ev.Signal, Value: "200, but " + why}
	}
	switch {
	case problem != "":
		return none("the control request to " + clean(controlPath) + " got " + problem + ": not confirmed")
	case status != http.StatusOK:
		return ev
	case bytes.Equal(body, probeBody),
		mediaType(ct) == mediaType(probeType) && !(specific(probeBody) && !specific(body)):
		return none("catch-all: " + clean(controlPath) + " also answers 200")
	}
	return ev
}

// specific reports whether a probe body says something of its own: a
// JSON window or maintenance flag, or words about maintenance.
func specific(body []byte) bool {
	body = bytes.TrimPrefix(gunzipped(body), []byte("\xEF\xBB\xBF"))
	if doc, ok := decodeJSON(body); ok {
		m := asObject(doc)
		if first(m, "until", "end", "ends_at", "start", "since", "starts_at") != nil {
			return true
		}
		if flag, ok := maintenanceFlag(m); ok && flag {
			return true
		}
	}
	return htmlWords.Match(firstN(body, 64<<10))
}

func mediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt, _, _ = strings.Cut(strings.ToLower(strings.TrimSpace(ct)), ";")
	}
	return strings.TrimSpace(mt)
}

// healthWordKind sorts the "status" of a health document, after [norm]:
// Spring's UP, DOWN, OUT_OF_SERVICE, UNKNOWN; IETF health+json's pass,
// warn, fail and the aliases ok, up, error, down; and the plain words
// "maintenance" and "under_maintenance".
//
// Other products' words are read too: Consul's passing, warning and
// critical (and its "maintenance"); ASP.NET Core's Healthy, Degraded and
// Unhealthy; Elasticsearch's green, yellow and red; GitLab's "failed";
// hellofresh/health-go's "OK", "Partially Available" and "Service
// Unavailable".
func healthWordKind(w string) string {
	switch w {
	case "up", "pass", "ok", "warn", "passing", "warning", "healthy", "degraded", "green", "yellow", "partiallyavailable":
		return "up"
	case "down", "fail", "error", "failed", "failure", "critical", "unhealthy", "red", "serviceunavailable":
		return "down"
	case "outofservice", "maintenance", "undermaintenance":
		return "maintenance"
	case "unknown":
		return "unknown"
	}
	return ""
}

// ParseHealth reads the answer of a health endpoint. It is pure and never
// fails.
//
// A 401, 403 or 407 is a restricted endpoint: no information, never an
// outage. Otherwise only a 2xx or 5xx answer is read. A JSON "status" of
// Spring's UP, IETF health+json's pass (or ok, up) or warn says nothing
// against the service ([classify.None], indicating [classify.OK]); DOWN,
// fail, error or down is implied malfunction, with the failing checks
// (Spring components, health+json or djblets checks, djblets errors) as
// the message; OUT_OF_SERVICE (or "maintenance") is explicit maintenance,
// unless its only out-of-service component is Spring's own readinessState
// (the application starting or stopping: no information); UNKNOWN and
// anything else is no information. Other products' words count too:
// Consul's "AggregatedStatus" (passing, warning, critical, maintenance:
// consul maint; in a list of instances, maintenance only when every one
// is in it), ASP.NET Core's Healthy, Degraded and Unhealthy,
// Elasticsearch's green, yellow and red, GitLab's "failed". A document
// without a status but with a maintenance flag (Nextcloud's status.php,
// {"maintenance": true} with a 200) is explicit maintenance when the
// flag is set. Kubernetes' plain text is read too: "ok", or verbose lines
// where "[-]name failed" is implied malfunction, and so is a bare status
// word (ASP.NET Core's text writer, Consul's ?format=text). Any other
// body is no information.
func ParseHealth(status int, contentType string, body []byte) classify.Evidence {
	ev := classify.Evidence{Source: classify.SourceHealth, Signal: "health"}
	switch {
	case status == http.StatusUnauthorized || status == http.StatusForbidden || status == http.StatusProxyAuthRequired:
		ev.Value = fmt.Sprintf("no information (%d)", status)
		return ev
	case !(status >= 200 && status < 300) && !(status >= 500 && status < 600):
		ev.Value = fmt.Sprintf("no information (%d)", status)
		return ev
	}
	body = bytes.TrimPrefix(gunzipped(body), []byte("\xEF\xBB\xBF"))
	if doc, ok := decodeJSON(body); ok {
		if list := asArray(doc); list != nil {
			return consulList(ev, status, list)
		}
		m := asObject(doc)
		word, _ := field(m, "status").(string) // a number is an HTTP status, not a health word
		if strings.TrimSpace(word) == "" {
			word, _ = field(m, "AggregatedStatus").(string) // Consul's /v1/agent/health/service/id/:id
		}
		if strings.TrimSpace(word) == "" || len(word) > 64 {
			if flag, ok := flagOf(m, "maintenance", "maintenancemode", "inmaintenance", "undermaintenance"); ok {
				// Nextcloud's status.php: {"maintenance": true}, with a 200.
				return maintenanceFlagHealth(ev, status, flag)
			}
			ev.Value = fmt.Sprintf("no information (%d, no status)", status)
			return ev
		}
		return healthWord(ev, status, word, m)
	}
	if mt := mediaType(contentType); mt == "text/plain" || mt == "" {
		if e, ok := kubernetesHealth(ev, status, body); ok {
			return e
		}
		// A bare word: ASP.NET Core's "Unhealthy", Consul's ?format=text.
		if w := strings.TrimSpace(string(firstN(body, 65))); w != "" && len(w) <= 64 && !strings.ContainsAny(w, "\n<{") && healthWordKind(norm(w)) != "" {
			return healthWord(ev, status, w, nil)
		}
	}
	ev.Value = fmt.Sprintf("no information (%d)", status)
	return ev
}

func healthWord(ev classify.Evidence, status int, word string, m map[string]any) classify.Evidence {
	w := norm(word)
	ev.Value = fmt.Sprintf("%s (%d)", clean(word), status)
	switch healthWordKind(w) {
	case "up":
		ev.Indicates = classify.OK
	case "down":
		ev.Strength, ev.Indicates = classify.Implied, classify.Malfunction
		ev.Message = healthMessage(m)
	case "maintenance":
		if onlyReadiness(m) {
			// Spring's own readinessState refuses traffic while the
			// application starts or shuts down (a crash loop too): the
			// framework's state, not an operator's switch.
			ev.Value = fmt.Sprintf("%s (%d, only readinessState: starting or stopping, not a maintenance switch)", clean(word), status)
			return ev
		}
		ev.Strength, ev.Indicates = classify.Explicit, classify.Maintenance
		ev.Message = clean(asString(first(m, "output", "message", "description")))
	case "unknown":
	default:
		ev.Value = fmt.Sprintf("unrecognised status %q (%d)", clean(word), status)
	}
	return ev
}

// consulList reads Consul's /v1/agent/health/service/name/:name, a list
// of instances each with an "AggregatedStatus". Consul ranks maintenance
// above critical, so one instance in maintenance beside a crashed one
// would read as maintenance; here maintenance counts only when every
// instance is in it, and any critical one is a failure. Any other list is
// no information.
func consulList(ev classify.Evidence, status int, list []any) classify.Evidence {
	var kinds []string
	for _, item := range list {
		w, _ := field(asObject(item), "AggregatedStatus").(string)
		if w == "" {
			ev.Value = fmt.Sprintf("no information (%d, a list)", status)
			return ev
		}
		kinds = append(kinds, healthWordKind(norm(w)))
	}
	switch {
	case len(kinds) == 0:
		ev.Value = fmt.Sprintf("no information (%d, an empty list)", status)
	case slices.Contains(kinds, "down"):
		ev.Value = fmt.Sprintf("critical (%d, %d instances)", status, len(kinds))
		ev.Strength, ev.Indicates = classify.Implied, classify.Malfunction
	case !slices.ContainsFunc(kinds, func(k string) bool { return k != "maintenance" }):
		ev.Value = fmt.Sprintf("maintenance (%d, %d instances)", status, len(kinds))
		ev.Strength, ev.Indicates = classify.Explicit, classify.Maintenance
	case !slices.ContainsFunc(kinds, func(k string) bool { return k != "up" }):
		ev.Value, ev.Indicates = fmt.Sprintf("passing (%d, %d instances)", status, len(kinds)), classify.OK
	default:
		ev.Value = fmt.Sprintf("no information (%d, instances disagree)", status)
	}
	return ev
}

// maintenanceFlagHealth reads a health document that has no status word
// but a maintenance flag (Nextcloud's status.php): true is the operator's
// switch, explicit maintenance; false says nothing against the service.
func maintenanceFlagHealth(ev classify.Evidence, status int, flag bool) classify.Evidence {
	if flag {
		ev.Value = fmt.Sprintf("maintenance true (%d)", status)
		ev.Strength, ev.Indicates = classify.Explicit, classify.Maintenance
		return ev
	}
	ev.Value, ev.Indicates = fmt.Sprintf("maintenance false (%d)", status), classify.OK
	return ev
}

// onlyReadiness reports whether a Spring health document's out-of-service
// components are all Spring's own readinessState, which reports
// OUT_OF_SERVICE whenever the application refuses traffic (starting,
// shutting down). A document without components says nothing either way.
func onlyReadiness(m map[string]any) bool {
	comps := asObject(first(m, "components", "details"))
	found := false
	for k, v := range comps {
		if healthWordKind(norm(asString(field(asObject(v), "status")))) != "maintenance" {
			continue
		}
		if norm(k) != "readinessstate" {
			return false
		}
		found = true
	}
	return found
}

// healthMessage explains a failing health document: its "output" (IETF)
// and the names of the failing checks, sorted, with their error text.
func healthMessage(m map[string]any) string {
	var failing []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] && len(failing) < 20 {
			seen[s] = true
			failing = append(failing, s)
		}
	}
	var visit func(name string, v any, depth int)
	visit = func(name string, v any, depth int) {
		if depth > 4 || name == "" {
			return
		}
		switch x := v.(type) {
		case string: // djblets: {"checks": {"database": "DOWN"}}
			if isDownWord(x) {
				add(name)
			}
		case map[string]any: // Spring: {"components": {"db": {"status": "DOWN", "details": {...}}}}
			if isDownWord(asString(field(x, "status"))) {
				if detail := checkDetail(x); detail != "" {
					add(name + ": " + detail)
				} else {
					add(name)
				}
			}
			for _, key := range []string{"components", "details"} {
				if sub := asObject(field(x, key)); sub != nil {
					for _, k := range sortedKeys(sub) {
						visit(name+"/"+k, sub[k], depth+1)
					}
				}
			}
		case []any: // IETF: {"checks": {"db:responseTime": [{"status": "fail", "output": "..."}]}}
			for _, item := range x {
				visit(name, item, depth+1)
			}
		}
	}
	for _, key := range []string{"components", "details", "checks"} {
		switch c := field(m, key).(type) {
		case map[string]any:
			for _, k := range sortedKeys(c) {
				visit(k, c[k], 0)
			}
		case []any: // MicroProfile Health: {"checks": [{"name": "db", "status": "DOWN"}]}
			for _, item := range c {
				visit(asString(field(asObject(item), "name")), item, 0)
			}
		}
	}
	if errs := asObject(field(m, "errors")); errs != nil { // djblets: {"errors": {"cache": "..."}}
		for _, k := range sortedKeys(errs) {
			if msg := asString(errs[k]); msg != "" {
				add(k + ": " + msg)
			} else {
				add(k)
			}
		}
	}
	msg := asString(first(m, "output", "message"))
	if len(failing) > 0 {
		if msg != "" {
			msg += "; "
		}
		msg += "failing: " + strings.Join(failing, ", ")
	}
	return clean(msg)
}

func checkDetail(x map[string]any) string {
	if s := asString(first(x, "output", "error", "message")); s != "" {
		return s
	}
	return asString(first(asObject(field(x, "details")), "error", "message"))
}

func isDownWord(s string) bool {
	return healthWordKind(norm(s)) == "down"
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// kubernetesHealth reads the plain text of Kubernetes' /healthz, /livez
// and /readyz: "ok", or with ?verbose one line per check, "[+]name ok" or
// "[-]name failed: reason", and a last line "readyz check passed" or
// "... check failed".
func kubernetesHealth(ev classify.Evidence, status int, body []byte) (classify.Evidence, bool) {
	text := bytes.TrimSpace(body)
	if bytes.EqualFold(text, []byte("ok")) {
		ev.Value, ev.Indicates = fmt.Sprintf("ok (%d)", status), classify.OK
		return ev, true
	}
	var failed []string
	checks, failedLine := 0, false
	for line := range strings.Lines(string(text)) {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "[+]"):
			checks++
		case strings.HasPrefix(line, "[-]"):
			checks++
			name, _, _ := strings.Cut(strings.TrimPrefix(line, "[-]"), " ")
			if len(failed) < 20 {
				failed = append(failed, name)
			}
		case strings.HasSuffix(line, "check failed"):
			failedLine = true
		}
	}
	switch {
	case len(failed) > 0 || (failedLine && checks > 0):
		ev.Value = fmt.Sprintf("failed (%d)", status)
		ev.Strength, ev.Indicates = classify.Implied, classify.Malfunction
		if len(failed) > 0 {
			ev.Message = clean("failed: " + strings.Join(failed, ", "))
		}
		return ev, true
	case checks > 0:
		ev.Value, ev.Indicates = fmt.Sprintf("ok (%d)", status), classify.OK
		return ev, true
	}
	return ev, false
}
