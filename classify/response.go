package classify

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/downfor/downfor/internal/peek"
)

// defaultPeekLimit is how much of a body Response reads when
// Options.PeekLimit is zero.
const defaultPeekLimit = peek.DefaultLimit

// Options tune how responses are classified. The zero value, and a nil
// *Options, give the defaults. Options are read-only once in use and safe
// to share between goroutines.
type Options struct {
	// PeekLimit is the most bytes read from a body to look for evidence.
	// If zero, 64 KiB. If negative, bodies are never
	// read. A longer body is evidence of nothing, never an error.
	PeekLimit int
	// Rules are the user's own signals; see [Rule].
	Rules []Rule
	// HTMLTitle enables the weak HTML rule: a <title> or <h1>/<h2> that
	// says "down for maintenance", "maintenance mode" and the like is
	// implied maintenance, on a 503 or a 2xx (a maintenance page served
	// with 200). On a 500, 502 or 504 the same page is a friendly error
	// page for a crash or a dead upstream, and not evidence. Off by
	// default because stock error pages mention maintenance for any 503
	// (Apache's does).
	HTMLTitle bool
}

func (o *Options) peekLimit() int {
	switch {
	case o == nil || o.PeekLimit == 0:
		return defaultPeekLimit
	case o.PeekLimit < 0:
		return 0
	}
	return o.PeekLimit
}

func (o *Options) rules() []Rule {
	if o == nil {
		return nil
	}
	return o.Rules
}

func (o *Options) jsonRules() bool {
	for _, r := range o.rules() {
		if r.JSONField != "" {
			return true
		}
	}
	return false
}

// Observation is what a response showed, detached from its connection, so
// that classification is a pure function of it.
type Observation struct {
	// Status is the HTTP status code.
	Status int
	// Header is the response header. It is not modified.
	Header http.Header
	// Body is the prefix of the body that was read, nil if none was.
	Body []byte
	// Truncated reports that the body was longer than Body.
	Truncated bool
	// Reason is the reason phrase of the status line ("Service
	// Unavailable"), empty when there was none (HTTP/2 has none). An
	// operator who writes its own ("503 Maintenance", as Varnish's
	// return (synth(503, "Maintenance")) sends) has said why.
	Reason string
}

// needsBody reports whether classifying a response with this status and
// header would look at its body: for any status of 400 or more (error
// bodies hold the messages, flags and the fingerprints of known
// software), for any JSON body when a rule reads JSON fields, and for HTML
// when [Options.HTMLTitle] is on, and for a 2xx that carries the error
// header of a product that reports its errors with a 2xx (MediaWiki's
// MediaWiki-API-Error: what the error says is in the body). Any other
// 2xx without such rules never needs its body, so the happy path reads
// nothing.
func needsBody(status int, header http.Header, opts *Options) bool {
	if opts.peekLimit() == 0 {
		return false
	}
	if status >= 400 || anyStatusHeader(header) {
		return true
	}
	htmlRule := opts != nil && opts.HTMLTitle
	if !htmlRule && !opts.jsonRules() {
		// The happy path: no header is parsed and nothing is allocated.
		return false
	}
	ct := headerGet(header, "Content-Type")
	switch {
	case opts.jsonRules() && isJSONType(ct):
		return true
	case htmlRule && isHTMLType(ct):
		return true
	}
	return false
}

// Response classifies resp as observed at now (see [Observe]). It reads
// a body only when it may hold evidence (an error status, a 2xx that a
// JSON rule or the HTML rule reads, or a 2xx with a product's error
// header), at most the peek limit, and puts the
// bytes back: afterwards resp.Body yields the whole original body, byte
// for byte, and closing it closes the original. A read error during the
// peek is kept and returned, after the bytes read before it, to whoever
// reads resp.Body next. What it read is decoded on a copy: a gzip or
// deflate Content-Encoding the transport left undone (never expanded past
// the peek limit), a UTF-8 BOM, JSON served as text/html or text/plain
// (sniffed), XML error bodies (WebDAV's), top-level arrays.
//
// Response never fails: an unreadable, malformed, truncated or huge body
// is simply evidence of nothing.
func Response(resp *http.Response, now time.Time, opts *Options) Verdict {
	o := Observation{Status: resp.StatusCode, Header: resp.Header, Reason: reasonPhrase(resp)}
	if needsBody(resp.StatusCode, resp.Header, opts) && resp.Body != nil && resp.Body != http.NoBody {
		limit := opts.peekLimit()
		// A declared JSON body we know is too long to decode whole is not
		// worth reading; an HTML or text one may still have its title or
		// a proxy's fingerprint in the prefix.
		tooLong := resp.ContentLength > int64(limit) && isJSONType(headerGet(resp.Header, "Content-Type"))
		if !tooLong || (opts != nil && opts.HTMLTitle) {
			o.Body, o.Truncated, _ = peek.Body(resp, limit)
		}
	}
	return Observe(o, now, opts)
}

// Observe classifies an observation made at now. It is pure: the same
// observation always gives the same verdict. The status gives the base
// class; explicit malfunction markers (X-Lazr-OopsId, a malfunction rule)
// beat everything, explicit maintenance flags and vendor switches beat the
// status, a proxy's own error page beats implied maintenance, and implied
// maintenance upgrades a client error or a malfunction. In detail:
//
//   - Explicit maintenance: a JSON flag ({"maintenance": true}, also 1 or
//     "true"; OSF's meta.maintenance_mode, "status": "maintenance",
//     Spring's OUT_OF_SERVICE), an error code that names the state
//     (GOV.UK Notify's PlannedMaintenanceError, MAINTENANCE_MODE; not
//     when its own message says the service is starting up), a
//     product's own switch from the fingerprint table (Nextcloud's
//     X-Nextcloud-Maintenance-Mode, MediaWiki's readonly error, the
//     maintenance pages of WordPress, Drupal, Magento and Heroku), and the
//     user's [Rule]s.
//   - Implied maintenance: a 503 with a Retry-After of 60 s or more
//     (RFC 9110 section 10.2.3); a reason phrase of the operator's own
//     ("503 Maintenance"); a message in a JSON, XML or short
//     plain-text error body (also one sent as text/html without markup),
//     or the application's own message on a servlet container's error
//     page (Jetty, Tomcat, Spring Boot's Whitelabel page), that states the
//     state ("down for / under / in maintenance", "maintenance mode",
//     "scheduled maintenance", "read-only mode"); the opt-in HTML rule
//     ([Options.HTMLTitle]).
//   - Explicit malfunction: an error-report id (Launchpad's X-Lazr-OopsId,
//     sent with Retry-After: 900 on timeouts), and a proxy's or
//     platform's own error page ([SignalProxyError]: nginx, HAProxy,
//     Varnish, Envoy, Cloudflare, Heroku, AWS, Google, Caddy, Traefik,
//     Kong...), and a product's own report that it failed
//     ([SignalVendorFault]: ClickHouse's exception code, MediaWiki's
//     automatic read-only lock while its replicas lag, Elasticsearch's
//     flood-stage block), each row citing the product's source.
//   - Throttled besides a 429: a 403 with Retry-After or with
//     X-RateLimit-Remaining: 0 (GitHub), "slow down" error codes on a
//     400, 403 or 5xx (AWS's ThrottlingException, S3's SlowDown), and a
//     503 whose reason phrase or message says it holds the caller back
//     (SharePoint's "503 Server Too Busy", "too many requests").
//
// Ambiguous, so the loud class wins ([SignalVendorAmbiguous], implied
// malfunction): a product's switch that the product also throws by itself
// on a fault, with the same answer (Discourse's read-only mode, which a
// PostgreSQL or Redis failover turns on too). Explicit maintenance from
// another source (the well-known probe, a status page) still wins.
//
// Not evidence, and reported with strength [None] and the reason: a
// Retry-After under a minute on a 503 ("retry hint, not a window"), or
// of any length on a 503 that says it is busy or overloaded ("The model
// is overloaded"); the
// stock description of 503 that servers and frameworks print for every
// 503 ("...due to maintenance downtime or capacity problems"), in any
// format; "maintenance" as a noun or identifier ("could not load
// maintenance window", MaintenanceSchedulerException, a problem type
// URI); a read-only part of the service or the caller's read-only
// setting ("Table is in readonly mode", "cannot execute query in readonly
// mode", SQLite's "attempt to write a readonly database"); a sentence
// that states maintenance or read-only mode and reports a fault in the
// same breath ("Failed to enable maintenance mode", "read-only mode
// because the disk is full"); a guess ("may be down for maintenance",
// "due to maintenance or an outage"); a denied or ended state ("not in
// maintenance mode", "maintenance has been completed"); identifiers in a
// crash report ("KeyError: 'maintenance_mode'"); languages other than
// English; flags and
// messages on a 400, 404 or 422, which are about the request. JSON flags
// and messages count on a 5xx and on 403, 405, 409 and 423 only. A bare
// 503 is malfunction: HAProxy, Heroku and load balancers send one when
// every backend is dead.
//
// Some servers cannot be told apart by their response alone, and Observe
// does not guess: Laravel's "artisan down" without --retry (or with a
// retry under a minute) sends what any failing 503 sends (malfunction);
// a static maintenance page served with 200 is ok unless the HTML rule or
// a [Rule] says otherwise; a proxy's 502 in front of an app stopped on
// purpose is malfunction unless the probe or a status page says
// maintenance. A 429 stays throttled even when its message mentions
// maintenance, unless a source says so explicitly.
func Observe(o Observation, now time.Time, opts *Options) Verdict {
	v := Verdict{Status: o.Status}
	base := statusClass(o.Status)
	statusEv := Evidence{Source: SourceResponse, Signal: SignalStatus, Value: statusString(o.Status), Strength: Explicit, Indicates: base}
	if base == Malfunction {
		statusEv.Strength = Implied
	}
	ra := headerValues(o.Header, "Retry-After")
	// The evidence slice is the one allocation on the happy path: size it
	// for the status alone unless more evidence is possible.
	capacity := 1
	if len(ra) > 0 {
		capacity++
	}
	if o.Status >= 400 {
		capacity += 2
	}
	v.Evidence = append(make([]Evidence, 0, capacity), statusEv)

	if len(ra) > 0 {
		d, ok := ParseRetryAfter(ra[0], now)
		ev := Evidence{Source: SourceResponse, Signal: SignalRetryAfter, Value: abridge(ra[0])}
		switch {
		case !ok:
			const invalid = " (invalid, ignored)"
			ev.Value = abridgeTo(ra[0], maxEvidenceValue-len(invalid)) + invalid
		case o.Status == http.StatusServiceUnavailable && d >= minWindow:
			v.RetryAfter, v.HasRetryAfter = d, true
			// RFC 9110 10.2.3: a 503 with Retry-After is a server that
			// knows how long it will be unavailable.
			v.Evidence[0].Indicates, v.Evidence[0].Strength = Maintenance, Implied
			ev.Strength, ev.Indicates = Implied, Maintenance
		case o.Status == http.StatusServiceUnavailable:
			// Caches and load shedders send a few seconds on any failure
			// (Varnish's built-in error page sends 5): a retry hint.
			v.RetryAfter, v.HasRetryAfter = d, true
			const hint = " (retry hint, not a window)"
			ev.Value = abridgeTo(ra[0], maxEvidenceValue-len(hint)) + hint
		default:
			v.RetryAfter, v.HasRetryAfter = d, true
		}
		v.Evidence = append(v.Evidence, ev)
	}

	if o.Status == http.StatusForbidden || o.Status == http.StatusTooManyRequests {
		// A rate limit sent as a 403 (GitHub answers 403 for both its
		// limits): with Retry-After, or with the limit left at 0. When no
		// Retry-After says how long, X-RateLimit-Reset does.
		exhausted := strings.TrimSpace(headerGet(o.Header, "X-Ratelimit-Remaining")) == "0"
		switch {
		case o.Status == http.StatusForbidden && exhausted:
			v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: signalRateLimit, Value: "X-RateLimit-Remaining: 0", Strength: Explicit, Indicates: Throttled})
		case o.Status == http.StatusForbidden && v.HasRetryAfter:
			v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: signalRateLimit, Value: "403 with Retry-After", Strength: Explicit, Indicates: Throttled})
		}
		if exhausted && !v.HasRetryAfter {
			if t, ok := rateLimitReset(headerGet(o.Header, "X-Ratelimit-Reset"), now); ok {
				v.Until = t
			}
		}
	}
	if o.Status >= 400 {
		if id := headerGet(o.Header, "X-Lazr-Oopsid"); id != "" {
			// Launchpad's error-report id: a crash that was logged, even when
			// it comes with Retry-After (Launchpad sends 900 on timeouts).
			v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: "x-lazr-oopsid", Value: abridge(id), Strength: Explicit, Indicates: Malfunction})
		}
	}

	for _, r := range opts.rules() {
		if r.Header == "" {
			continue
		}
		if val, ok := r.matchHeader(o.Header); ok {
			v.Evidence = append(v.Evidence, ruleEvidence(r, r.Header+": "+val))
		}
	}

	var d decoded
	if len(o.Body) > 0 {
		d = decodeBody(o, opts.peekLimit())
		if d.note != "" {
			v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: "body", Value: d.note})
		}
	}
	// Header-only rows apply to any status (MediaWiki reports its API
	// errors with a 200); the rest to error statuses.
	if o.Status >= 400 || anyStatusHeader(o.Header) {
		v.Evidence = append(v.Evidence, matchFingerprints(o.Status, o.Header, d.text, o.Body != nil || opts.peekLimit() > 0)...)
	}
	if o.Status >= 400 && o.Reason != "" && !strings.EqualFold(o.Reason, http.StatusText(o.Status)) {
		// A reason phrase of the operator's own is read like a message;
		// the stock ones never mention maintenance.
		v.addText(o.Status, "reason-phrase", o.Reason, judgeText(o.Reason))
	}
	if len(d.text) > 0 {
		v.readBody(o.Status, d, opts)
	}
	if o.Status == http.StatusServiceUnavailable {
		v.discountWindow(o.Reason, d)
	}
	v.Class, v.Confidence = decide(base, true, v.Evidence, now)
	return v
}

// reasonPhrase returns the reason phrase of resp's status line, Status
// without its leading code, for an error status only: only those are
// read, and the happy path allocates nothing for it.
func reasonPhrase(resp *http.Response) string {
	if resp.StatusCode < 400 {
		return ""
	}
	code := strconv.Itoa(resp.StatusCode)
	reason, ok := strings.CutPrefix(resp.Status, code)
	if !ok {
		return ""
	}
	return strings.TrimSpace(reason)
}

// readBody adds the evidence of a decoded body: JSON flags, codes and
// messages, XML error messages, the stock 503 description (reported,
// never believed), and the opt-in HTML rule.
func (v *Verdict) readBody(status int, d decoded, opts *Options) {
	switch d.kind {
	case kindJSON:
		if d.truncated || (status < 400 && !opts.jsonRules()) {
			break
		}
		doc, ok := decodeJSON(d.text)
		if !ok {
			break
		}
		for _, r := range opts.rules() {
			if r.JSONField == "" {
				continue
			}
			if val, ok := r.matchJSON(doc); ok {
				v.Evidence = append(v.Evidence, ruleEvidence(r, r.JSONField+"="+val))
			}
		}
		if status < 400 {
			break
		}
		for _, e := range jsonFlags(doc) {
			if !refusal(status) {
				e.Strength, e.Value = None, abridge(e.Value+" (on a "+strconv.Itoa(status)+": about the request, not evidence)")
			}
			v.Evidence = append(v.Evidence, e)
		}
		if throttling(status) {
			if code, ok := jsonThrottleCode(doc); ok {
				v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: SignalVendorThrottle, Value: abridge(code), Strength: Explicit, Indicates: Throttled})
			}
		}
		msg, judged, said := jsonMessage(doc)
		v.Message = msg
		v.addText(status, "json-message", said, judged)
		return
	case kindXML:
		if status < 400 {
			break
		}
		messages, codes := xmlMessages(d.text)
		for _, c := range codes {
			if codeStates(c) && refusal(status) {
				v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: "xml-code", Value: abridge(c), Strength: Explicit, Indicates: Maintenance})
				break
			}
		}
		for _, c := range codes {
			if throttling(status) && codeThrottles(c) {
				v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: SignalVendorThrottle, Value: abridge(c), Strength: Explicit, Indicates: Throttled})
				break
			}
		}
		said, judged := judgeAll(messages)
		if len(messages) > 0 {
			v.Message = abridge(messages[0])
		}
		v.addText(status, "xml-message", said, judged)
		return
	}
	if status >= 400 && d.kind == kindText && plainText(d.text) {
		// A short plain-text body is a message, as an nginx or Caddy
		// maintenance switch serves it ("return 503 'Down for
		// maintenance'"): read like a JSON message.
		text := string(d.text)
		if judged := judgeText(text); judged != textSilent {
			said := strings.Join(strings.Fields(text), " ")
			if v.Message == "" {
				v.Message = abridge(said)
			}
			v.addText(status, "text-message", text, judged)
		}
	} else {
		if status >= 400 && d.kind == kindHTML {
			if msg := containerMessage(firstBytes(d.text, 8<<10)); msg != "" {
				// A servlet container's error page around the
				// application's own sendError message: read the message
				// like a JSON one.
				v.Message = abridge(strings.Join(strings.Fields(msg), " "))
				v.addText(status, "html-message", msg, judgeText(msg))
			}
		}
		if status >= 500 && (d.kind == kindHTML || d.kind == kindText) && judgeText(string(firstBytes(d.text, 8<<10))) == textStock {
			v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: "body", Value: textStock.why()})
		}
	}
	if opts != nil && opts.HTMLTitle && d.kind == kindHTML {
		if title, ok := htmlMaintenance(d.text); ok {
			if status >= 400 && status != http.StatusServiceUnavailable {
				// Every maintenance switch answers 503 (or serves its page
				// with a 200); the same friendly page on a 500, 502 or 504
				// is what "error_page 500 502 503 504 /maintenance.html"
				// shows for a crash or a dead upstream.
				v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: "html-title",
					Value: abridge(title + " (on a " + strconv.Itoa(status) + ": an error page, not evidence)")})
				return
			}
			v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: "html-title", Value: title, Strength: Implied, Indicates: Maintenance})
			if v.Message == "" {
				v.Message = title
			}
		}
	}
}

// addText records what a message said about maintenance: a stated
// maintenance state on a status that refuses service is implied
// maintenance; anything else that mentions maintenance is reported with
// strength None and the reason it was not believed.
func (v *Verdict) addText(status int, signal, text string, judged textVerdict) {
	said := abridge(strings.Join(strings.Fields(text), " "))
	ev := Evidence{Source: SourceResponse, Signal: signal, Message: said}
	switch {
	case judged == textState && refusal(status):
		ev.Value, ev.Strength, ev.Indicates = abridge(stateSentence(text)), Implied, Maintenance
	case judged == textState:
		ev.Value = abridge(said + " (on a " + strconv.Itoa(status) + ": about the request, not evidence)")
	case judged == textStock || judged == textNoun:
		ev.Value = abridge(said + " (" + judged.why() + ")")
	default:
		return
	}
	v.Evidence = append(v.Evidence, ev)
}

// signalRateLimit marks a rate limit sent with a 403 (or an exhausted
// limit on a 429).
const signalRateLimit = "rate-limit"

// rateLimitReset reads X-RateLimit-Reset: seconds since the epoch (GitHub,
// Twitter) when it is that large, else seconds from now. A reset in the
// past, or more than a day ahead, is not believed.
func rateLimitReset(value string, now time.Time) (time.Time, bool) {
	v := strings.TrimSpace(value)
	if !isDigits(v) || len(v) > 12 {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	t := now.Add(time.Duration(n) * time.Second)
	if n >= 1_000_000_000 {
		t = time.Unix(n, 0)
	}
	if !t.After(now) || t.Sub(now) > 24*time.Hour {
		return time.Time{}, false
	}
	return t, true
}

// plainText reports whether a body is a short human message: at most
// 2 KiB, with no markup.
func plainText(b []byte) bool {
	return len(b) <= 2<<10 && !bytes.ContainsAny(b, "<>{}")
}

// throttling reports whether a status may carry a "slow down" error code:
// 400 and 403 (AWS sends ThrottlingException with a 400), 429 and any 5xx
// (S3's SlowDown and EC2's RequestLimitExceeded come with a 503); not a
// 404, 409 or 422, which are about the request.
func throttling(status int) bool {
	return status == http.StatusBadRequest || status == http.StatusForbidden || status == http.StatusTooManyRequests || status >= 500
}

// refusal reports whether a status may carry maintenance wording in its
// body: any 5xx, and the 4xx that mean "not now" rather than "wrong
// request" (403 and 405 from read-only instances such as GitLab's, 409,
// 423). A 404 or 422 that mentions a maintenance window is about the
// caller's request (an API that manages maintenance windows), not about
// the service being down.
func refusal(status int) bool {
	switch status {
	case http.StatusForbidden, http.StatusMethodNotAllowed, http.StatusConflict, http.StatusLocked:
		return true
	}
	return status >= 500
}

// statusString is strconv.Itoa without an allocation for the status codes
// of the happy path, which Observe reports on every call.
func statusString(code int) string {
	switch code {
	case 200:
		return "200"
	case 201:
		return "201"
	case 202:
		return "202"
	case 203:
		return "203"
	case 204:
		return "204"
	case 205:
		return "205"
	case 206:
		return "206"
	case 207:
		return "207"
	case 208:
		return "208"
	case 226:
		return "226"
	case 300:
		return "300"
	case 301:
		return "301"
	case 302:
		return "302"
	case 303:
		return "303"
	case 304:
		return "304"
	case 305:
		return "305"
	case 307:
		return "307"
	case 308:
		return "308"
	}
	return strconv.Itoa(code)
}

func ruleEvidence(r Rule, value string) Evidence {
	name := r.Name
	if name == "" {
		name = r.String()
	}
	return Evidence{Source: SourceRule, Signal: abridge(name), Value: abridge(value), Strength: r.strength(), Indicates: r.indicates()}
}

// statusClass is the class a status code gives on its own.
func statusClass(status int) Class {
	switch {
	case status == http.StatusTooManyRequests:
		return Throttled
	case status >= 200 && status < 400:
		return OK
	case status >= 400 && status < 500:
		return ClientError
	case status == 0:
		return Network
	}
	// 5xx, and anything outside the registry (1xx as a final status, 600+):
	// the server is reachable but not behaving.
	return Malfunction
}

// decide applies the combining rules to a base class
// (from the service's status, or Network) and the evidence gathered, in
// this order:
//
//  1. explicit malfunction (an error-report id, a status-page incident
//     that touches the service, a malfunction rule) wins;
//  2. then explicit maintenance from any source;
//  3. then a proxy's or platform's own synthetic error (explicit, but an
//     app stopped on purpose behind a proxy gets one too, so explicit
//     maintenance from another source outranks it);
//  4. then an explicit user rule for [Throttled] or [ClientError], or a
//     product's own "slow down" answer (a code, a 503 that says it is
//     busy);
//  5. then implied malfunction from a source other than the status code
//     (a failing health endpoint, the selected component's outage), which
//     outranks implied maintenance: where the signals conflict the loud
//     class wins;
//  6. then implied maintenance, except over a 429, which stays throttled;
//  7. else the base class.
//
// inBand reports whether all evidence came from the response itself; an
// OK in-band answer is only overturned by the response's own evidence
// (rules, the HTML rule), never by an out-of-band source: the service
// works. Maintenance evidence that starts after now (an upcoming window)
// is only a forecast and argues for nothing yet.
func decide(base Class, inBand bool, ev []Evidence, now time.Time) (Class, Strength) {
	var explicitMal, synthetic, explicitMaint, impliedMaint, impliedMal bool
	ruleClass := base
	for _, e := range ev {
		switch {
		case e.Strength == None:
		case e.Indicates == Malfunction && e.Strength == Explicit && e.Signal == SignalProxyError:
			synthetic = true
		case e.Indicates == Malfunction && e.Strength == Explicit:
			explicitMal = true
		case e.Indicates == Malfunction && !(e.Source == SourceResponse && e.Signal == "status"):
			impliedMal = true
		case e.Indicates == Maintenance && !e.Start.IsZero() && e.Start.After(now):
			// upcoming: reported, not yet in force
		case e.Indicates == Maintenance && e.Strength == Explicit:
			explicitMaint = true
		case e.Indicates == Maintenance && e.Strength == Implied:
			impliedMaint = true
		case e.Strength == Explicit && (e.Indicates == Throttled || e.Indicates == ClientError) &&
			(e.Source == SourceRule || e.Signal == SignalVendorThrottle || e.Signal == signalRateLimit || e.Signal == signalLoad) && ruleClass == base:
			ruleClass = e.Indicates
		}
	}
	if base == OK && !inBand {
		return OK, None
	}
	switch {
	case explicitMal:
		return Malfunction, None
	case explicitMaint:
		return Maintenance, Explicit
	case synthetic:
		return Malfunction, None
	case ruleClass != base:
		return ruleClass, None
	case impliedMal && impliedMaint:
		return Malfunction, None
	case impliedMaint && base != Throttled:
		return Maintenance, Implied
	}
	return base, None
}
