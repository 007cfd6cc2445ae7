package testserver

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// pageFunc answers a page (any path but the probe, /health, the status page
// and the control API) in one mode.
type pageFunc func(s *Server, w http.ResponseWriter, r *http.Request, st *reqState)

// Content types, spelled as the real servers spell them.
const (
	ctText      = "text/plain; charset=utf-8"
	ctJSON      = "application/json"
	ctHTML      = "text/html; charset=utf-8"
	ctActuator  = "application/vnd.spring-boot.actuator.v3+json"
	ctHealth    = "application/health+json"
	ctProblem   = "application/problem+json"
	ctNginxHTML = "text/html"
)

// write sends a complete response with a known length.
func write(w http.ResponseWriter, code int, ctype, body string) {
	h := w.Header()
	if ctype != "" {
		h.Set("Content-Type", ctype)
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(code)
	_, _ = w.Write([]byte(body))
}

// mustJSON encodes v; the values given are always encodable.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// wantsJSON reports whether the client prefers JSON, the way Laravel's
// expectsJson and turnout's and django-maintenance-mode's content
// negotiation see it in practice: the first media range of Accept is JSON,
// or the request is an XMLHttpRequest.
func wantsJSON(r *http.Request) bool {
	if r.Header.Get("X-Requested-With") == "XMLHttpRequest" {
		return true
	}
	first, _, _ := strings.Cut(r.Header.Get("Accept"), ",")
	mt, _, _ := strings.Cut(first, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return strings.HasSuffix(mt, "/json") || strings.HasSuffix(mt, "+json")
}

// retryAfterSeconds is the delta-seconds a mode sends: its own def, or
// Config.RetryAfter rounded up to whole seconds.
func (s *Server) retryAfterSeconds(def int) string {
	if d := s.cfg.RetryAfter; d > 0 {
		return strconv.FormatInt(int64((d+time.Second-1)/time.Second), 10)
	}
	return strconv.Itoa(def)
}

// retryAfterDate is the IMF-fixdate a mode sends: now plus its own def, or
// plus Config.RetryAfter, rounded up to the next whole second so that a
// client honouring it never resumes early.
func (s *Server) retryAfterDate(now time.Time, def time.Duration) string {
	d := def
	if s.cfg.RetryAfter > 0 {
		d = s.cfg.RetryAfter
	}
	return httpDate(roundUpSecond(now.Add(d)))
}

func roundUpSecond(t time.Time) time.Time {
	if t.Nanosecond() == 0 {
		return t
	}
	return t.Truncate(time.Second).Add(time.Second)
}

func httpDate(t time.Time) string {
	return t.UTC().Format(http.TimeFormat)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// ---- ok and generic pages ----

func pageOK(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	write(w, http.StatusOK, ctJSON, mustJSON(struct {
		OK     bool   `json:"ok"`
		Method string `json:"method"`
		Path   string `json:"path"`
		Time   string `json:"time"`
	}{true, r.Method, r.URL.Path, st.now.UTC().Format(time.RFC3339Nano)}))
}

const bare503 = "Service Unavailable\n"

// pageBare503 is a 503 that says nothing more: no Retry-After, plain text.
func pageBare503(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	write(w, http.StatusServiceUnavailable, ctText, bare503)
}

// textRetry is a plain maintenance page, as an nginx or Caddy maintenance
// switch serves it ("return 503 '...'"): it states the state, so a
// fast-forwarded window (Config.RetryAfter under a minute, which alone is
// only a retry hint) still reads as maintenance.
func textRetry(seconds string) string {
	return "503 Service Unavailable\n\nThe service is down for maintenance. Please try again in " + seconds + " seconds.\n"
}

func pageRetryAfterSeconds(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	ra := s.retryAfterSeconds(120)
	w.Header().Set("Retry-After", ra)
	write(w, http.StatusServiceUnavailable, ctText, textRetry(ra))
}

func pageRetryAfterDate(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", s.retryAfterDate(st.now, 120*time.Second))
	write(w, http.StatusServiceUnavailable, ctText, "503 Service Unavailable\n\nThe service is down for maintenance. Please try again later.\n")
}

// ---- django-maintenance-mode ----

const djangoHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Maintenance mode</title>
</head>
<body>
<h1>Maintenance mode is on</h1>
<p>The site will be available again soon. Thank you for your patience.</p>
</body>
</html>
`

// pageDjango is django-maintenance-mode's response: the 503.html template
// (or an empty JSON object when MAINTENANCE_MODE_RESPONSE_TYPE picks json),
// Retry-After from MAINTENANCE_MODE_RETRY_AFTER (3600 by default), and
// Django's add_never_cache_headers, behind Django's security middleware.
func pageDjango(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	h := w.Header()
	h.Set("Retry-After", s.retryAfterSeconds(3600))
	h.Set("Expires", httpDate(st.now))
	h.Set("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Vary", "Accept")
	if wantsJSON(r) {
		write(w, http.StatusServiceUnavailable, ctJSON, "{}")
		return
	}
	write(w, http.StatusServiceUnavailable, ctHTML, djangoHTML)
}

// ---- Laravel ----

const laravelHTML = `<!DOCTYPE html>
<html lang="en">
    <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Service Unavailable</title>
    </head>
    <body class="antialiased">
        <div class="flex items-center">
            <div class="code">503</div>
            <div class="message">Service Unavailable</div>
        </div>
    </body>
</html>
`

// pageLaravel is "php artisan down --retry=60 --refresh=15": the
// maintenance middleware throws a 503 HttpException with Retry-After and
// Refresh; the exception handler renders it as pretty-printed JSON for
// requests that expect JSON and as the errors::503 view otherwise.
func pageLaravel(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	h := w.Header()
	h.Set("Retry-After", s.retryAfterSeconds(60))
	h.Set("Refresh", "15")
	h.Set("Cache-Control", "no-cache, private")
	if wantsJSON(r) {
		write(w, http.StatusServiceUnavailable, ctJSON, "{\n    \"message\": \"Service Unavailable\"\n}")
		return
	}
	write(w, http.StatusServiceUnavailable, "text/html; charset=UTF-8", laravelHTML)
}

// ---- turnout ----

const turnoutReason = "The site is temporarily down for maintenance.\nPlease check back soon."

// pageTurnout is the turnout Rack middleware with its defaults: response
// code 503, Retry-After 7200, the default reason, the JSON page for JSON
// requests and the HTML page otherwise.
func pageTurnout(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", s.retryAfterSeconds(7200))
	if wantsJSON(r) {
		write(w, http.StatusServiceUnavailable, "application/json",
			`{"error":"Service Unavailable","message":`+mustJSON(turnoutReason)+"}\n")
		return
	}
	write(w, http.StatusServiceUnavailable, "text/html", `<!DOCTYPE html>
<html>
  <head>
    <meta charset="UTF-8">
    <title>Down for Maintenance</title>
  </head>
  <body>
    <section id="page">
      <header>
        <h1>Down for Maintenance</h1>
      </header>
      <section id="body">
        <div>
          `+strings.ReplaceAll(turnoutReason, "\n", "<br>\n")+`
        </div>
      </section>
    </section>
  </body>
</html>
`)
}

// ---- OSF and GOV.UK Notify ----

// pageOSF is the OSF API switched to maintenance by an admin: a JSON:API
// style error with the maintenance flag in meta, no Retry-After.
func pageOSF(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	type osfError struct {
		Detail string `json:"detail"`
	}
	type osfMeta struct {
		Version         string `json:"version"`
		MaintenanceMode bool   `json:"maintenance_mode"`
		StatusPage      string `json:"status_page"`
	}
	write(w, http.StatusServiceUnavailable, ctJSON, mustJSON(struct {
		Errors []osfError `json:"errors"`
		Meta   osfMeta    `json:"meta"`
	}{
		Errors: []osfError{{Detail: "The API is down for scheduled maintenance. Please try again later."}},
		Meta:   osfMeta{Version: "2.0", MaintenanceMode: true, StatusPage: baseURL(r) + "/"},
	}))
}

// pageNotify is GOV.UK Notify's API during planned maintenance.
func pageNotify(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	type notifyError struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	write(w, http.StatusServiceUnavailable, ctJSON, mustJSON(struct {
		StatusCode int           `json:"status_code"`
		Errors     []notifyError `json:"errors"`
	}{503, []notifyError{{"PlannedMaintenanceError", "We are carrying out planned maintenance. Please try again later."}}}))
}

// ---- nginx, HAProxy ----

// nginxPage is nginx's stock error page (server_tokens off), CRLF and all.
func nginxPage(code int, reason string) string {
	title := strconv.Itoa(code) + " " + reason
	return "<html>\r\n<head><title>" + title + "</title></head>\r\n<body>\r\n<center><h1>" + title +
		"</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
}

func writeNginx(w http.ResponseWriter, code int, reason string) {
	w.Header().Set("Server", "nginx")
	write(w, code, ctNginxHTML, nginxPage(code, reason))
}

func pageNginx502(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	writeNginx(w, http.StatusBadGateway, "Bad Gateway")
}

func pageNginx504(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	writeNginx(w, http.StatusGatewayTimeout, "Gateway Time-out")
}

// haproxy503 is HAProxy's built-in 503 body, byte for byte.
const haproxy503 = "<html><body><h1>503 Service Unavailable</h1>\nNo server is available to handle this request.\n</body></html>\n"

func pageHAProxy503(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "close")
	write(w, http.StatusServiceUnavailable, "text/html", haproxy503)
}

// ---- Cloud Foundry ----

const cfStaticHTML = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>Sorry, in maintenance mode</title>
</head>
<body>
<h1>Sorry, in maintenance mode</h1>
<p>We will be back shortly.</p>
</body>
</html>
`

// pageCFStatic is a static maintenance page pushed with the staticfile
// buildpack (nginx): only the index exists.
func pageCFStatic(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	if r.URL.Path != "/" && r.URL.Path != "/index.html" {
		writeNginx(w, http.StatusNotFound, "Not Found")
		return
	}
	w.Header().Set("Server", "nginx")
	write(w, http.StatusOK, ctNginxHTML, cfStaticHTML)
}

// pageCFJSON200 is the Cloud Foundry maintenance app that answers every
// route with a 200 whose header and body say 503.
func pageCFJSON200(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("StatusHeader", "Status: maintenance window")
	write(w, http.StatusOK, "application/json;charset=UTF-8", mustJSON(struct {
		Response string `json:"response"`
		Status   int    `json:"status"`
		Type     string `json:"type"`
	}{"The service is down for a scheduled maintenance window. Please try again later.", 503, "Exception"}))
}

// ---- Spring Boot ----

// springError is Spring Boot's default error response: the JSON of
// DefaultErrorAttributes for JSON requests, the Whitelabel page otherwise.
func springError(w http.ResponseWriter, r *http.Request, now time.Time, code int) {
	if wantsJSON(r) {
		write(w, code, ctJSON, mustJSON(struct {
			Timestamp string `json:"timestamp"`
			Status    int    `json:"status"`
			Error     string `json:"error"`
			Path      string `json:"path"`
		}{now.UTC().Format("2006-01-02T15:04:05.000-07:00"), code, http.StatusText(code), r.URL.Path}))
		return
	}
	write(w, code, "text/html;charset=UTF-8",
		"<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p>"+
			"<div id='created'>"+now.UTC().Format("Mon Jan 02 15:04:05 MST 2006")+"</div>"+
			"<div>There was an unexpected error (type="+http.StatusText(code)+", status="+strconv.Itoa(code)+").</div></body></html>")
}

func pageSpring503(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	springError(w, r, st.now, http.StatusServiceUnavailable)
}

func pageSpring500(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	springError(w, r, st.now, http.StatusInternalServerError)
}

// ---- GitLab read-only ----

const gitlabReadOnly = "You cannot perform write operations on a read-only instance"

// pageGitLabReadOnly is GitLab's read-only middleware (a Geo secondary, or
// a maintenance-mode instance): reads pass, writes are refused.
func pageGitLabReadOnly(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		pageOK(s, w, r, st)
	default:
		write(w, http.StatusForbidden, ctJSON, mustJSON(map[string]string{"message": gitlabReadOnly}))
	}
}

// ---- throttling ----

func pageThrottled(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	ra := s.retryAfterSeconds(30)
	h := w.Header()
	h.Set("Retry-After", ra)
	h.Set("RateLimit-Limit", "100")
	h.Set("RateLimit-Remaining", "0")
	h.Set("RateLimit-Reset", ra)
	write(w, http.StatusTooManyRequests, ctProblem, mustJSON(struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Status int    `json:"status"`
		Detail string `json:"detail"`
	}{"about:blank", "Too Many Requests", 429, "Rate limit of 100 requests per minute exceeded; retry after " + ra + " seconds."}))
}

// pageThrottledBare is nginx's limit_req with limit_req_status 429.
func pageThrottledBare(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	writeNginx(w, http.StatusTooManyRequests, "Too Many Requests")
}

// ---- malfunctions ----

func pageError500(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	write(w, http.StatusInternalServerError, ctJSON, mustJSON(struct {
		Error     string `json:"error"`
		RequestID string `json:"request_id"`
	}{"internal server error", randomHex(8)}))
}

// pageLaunchpadTimeout is Launchpad's answer to a request that hit its
// timeout: 503 with Retry-After 900 and the OOPS report id in a header.
func pageLaunchpadTimeout(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	oops := "OOPS-" + randomHex(16)
	h := w.Header()
	h.Set("Retry-After", s.retryAfterSeconds(900))
	h.Set("X-Lazr-OopsId", oops)
	write(w, http.StatusServiceUnavailable, ctText,
		"Timeout error\n\nThe request took too long and was cancelled. The problem has been recorded.\n\n(Error ID: "+oops+")\n")
}

// ---- hostile Retry-After values ----

func pageRetryAfterHuge(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", "99999999999")
	write(w, http.StatusServiceUnavailable, ctText, "503 Service Unavailable\n")
}

func pageRetryAfterFarFuture(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", httpDate(time.Date(2999, time.January, 1, 0, 0, 0, 0, time.UTC)))
	write(w, http.StatusServiceUnavailable, ctText, "503 Service Unavailable\n")
}

func pageRetryAfterPast(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", httpDate(st.now.Add(-time.Hour)))
	write(w, http.StatusServiceUnavailable, ctText, "503 Service Unavailable\n")
}

func pageRetryAfterNegative(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", "-5")
	write(w, http.StatusServiceUnavailable, ctText, "503 Service Unavailable\n")
}

// garbageRetryAfter lists the invalid Retry-After values that the
// retry-after-garbage mode takes turns through; ?v=N picks the Nth.
var garbageRetryAfter = [...]string{"1m0s", "120junk", "0.5"}

func pageRetryAfterGarbage(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	n := int(s.turn.Add(1)-1) % len(garbageRetryAfter)
	if v, err := strconv.Atoi(r.URL.Query().Get("v")); err == nil && v >= 0 && v < len(garbageRetryAfter) {
		n = v
	}
	w.Header().Set("Retry-After", garbageRetryAfter[n])
	write(w, http.StatusServiceUnavailable, ctText, "503 Service Unavailable\n")
}

// ---- redirects ----

func redirect(w http.ResponseWriter, code int, location string) {
	w.Header().Set("Location", location)
	write(w, code, ctHTML, `<a href="`+htmlEscape(location)+`">`+http.StatusText(code)+"</a>.\n")
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

func pageRedirectLoop(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	redirect(w, http.StatusFound, r.URL.RequestURI())
}

// ---- the probe and the health endpoint ----

func (s *Server) notFound(w http.ResponseWriter, st *reqState) {
	if st.mode.nginx {
		writeNginx(w, http.StatusNotFound, "Not Found")
		return
	}
	write(w, http.StatusNotFound, ctText, "404 page not found\n")
}

// offsite is where probe-redirect-offsite sends the probe.
func (s *Server) offsite() string {
	if s.cfg.Offsite != "" {
		return strings.TrimSuffix(s.cfg.Offsite, "/")
	}
	if s.ln != nil {
		if ap, err := netip.ParseAddrPort(s.ln.Addr().String()); err == nil {
			return "http://127.0.0.2:" + strconv.Itoa(int(ap.Port()))
		}
	}
	return "http://offsite.test"
}

func (s *Server) serveProbe(w http.ResponseWriter, r *http.Request, st *reqState) {
	switch st.mode.probe {
	case probeUp:
		if st.mode.nginx {
			w.Header().Set("Server", "nginx")
		}
		w.Header().Set("Cache-Control", "no-store")
		write(w, http.StatusOK, ctJSON, mustJSON(struct {
			Until   string `json:"until"`
			Message string `json:"message"`
		}{st.until.UTC().Format(time.RFC3339), "Down for scheduled maintenance."}))
	case probePage:
		st.mode.page(s, w, r, st)
	case probeOffsite:
		redirect(w, http.StatusFound, s.offsite()+ProbePath)
	case probeHang:
		s.hang(w, r)
	default:
		s.notFound(w, st)
	}
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request, st *reqState) {
	if !s.healthAllowed(r) {
		write(w, http.StatusForbidden, ctText, "403 Forbidden: health details are not available to this address\n")
		return
	}
	switch st.mode.health {
	case healthPage:
		st.mode.page(s, w, r, st)
	case healthOutOfService:
		write(w, http.StatusServiceUnavailable, ctActuator, `{"status":"OUT_OF_SERVICE"}`)
	case healthDown:
		write(w, http.StatusServiceUnavailable, ctActuator, `{"status":"DOWN","components":{`+
			`"db":{"status":"DOWN","details":{"error":"org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection"}},`+
			`"diskSpace":{"status":"UP","details":{"total":499963174912,"free":91300069376,"threshold":10485760,"path":"/app/.","exists":true}},`+
			`"ping":{"status":"UP"}}}`)
	case healthFail:
		t := st.now.UTC().Format(time.RFC3339)
		w.Header().Set("Cache-Control", "no-cache")
		write(w, http.StatusServiceUnavailable, ctHealth, `{"status":"fail","version":"1","releaseId":"1.0.0",`+
			`"serviceId":"downfor-testserver","description":"downfor mock service",`+
			`"checks":{"postgresql:connections":[{"componentId":"db-primary","componentType":"datastore","observedValue":0,"status":"fail","time":"`+t+`","output":"connection refused"}],`+
			`"uptime":[{"componentType":"system","observedValue":`+strconv.FormatInt(int64(st.now.Sub(s.started)/time.Second), 10)+`,"observedUnit":"s","status":"pass","time":"`+t+`"}]},`+
			`"output":"postgresql: connection refused"}`)
	case healthGitLab:
		write(w, http.StatusOK, ctJSON, `{"status":"ok","master_check":[{"status":"ok"}]}`)
	default:
		write(w, http.StatusOK, ctActuator, `{"status":"UP"}`)
	}
}

// ---- issue 12: what real products send that must not be misread ----

// spaIndex is a single-page app's index.html, which its static host serves
// for every path it does not know (the "history API fallback"): the
// bundled configuration may mention maintenance; the page's text does not.
const spaIndex = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Acme</title>
<script>window.__CONFIG__={"apiBase":"/api","maintenanceBanner":false}</script>
<script type="module" src="/assets/index-4f2a9c1e.js"></script>
</head>
<body><div id="root"></div></body>
</html>
`

// pageCatchAll is an SPA behind nginx with its API upstream dead: /api/...
// gets nginx's 502, every other path (the probe and any made-up path
// included) the app's index.html with 200.
func pageCatchAll(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	if r.URL.Path == "/api" || strings.HasPrefix(r.URL.Path, "/api/") {
		writeNginx(w, http.StatusBadGateway, "Bad Gateway")
		return
	}
	w.Header().Set("Server", "nginx")
	write(w, http.StatusOK, ctHTML, spaIndex)
}

// pageRetryAfterShort is a load shedder's or cache's 503 with a few
// seconds of Retry-After: a retry hint, not a maintenance window.
func pageRetryAfterShort(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", "5")
	write(w, http.StatusServiceUnavailable, ctText, "Service Unavailable: overloaded, retry shortly\n")
}

// stock503 is Apache httpd's description of 503
// (docs/error/HTTP_SERVICE_UNAVAILABLE.html.var), which frameworks and
// error handlers copy into every 503 they send.
const stock503 = "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."

// pageStock503JSON is a JSON API whose error handler prints the stock
// description for any 503.
func pageStock503JSON(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	write(w, http.StatusServiceUnavailable, ctJSON, mustJSON(struct {
		Status  int    `json:"status"`
		Error   string `json:"error"`
		Message string `json:"message"`
	}{503, "Service Unavailable", stock503}))
}

// pageNextcloudMaintenance is Nextcloud in maintenance mode
// (nextcloud/server lib/base.php, OC::checkMaintenanceMode): 503,
// X-Nextcloud-Maintenance-Mode: 1, Retry-After: 120; WebDAV paths get
// Sabre's XML error.
func pageNextcloudMaintenance(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	h := w.Header()
	h.Set("X-Nextcloud-Maintenance-Mode", "1")
	h.Set("Retry-After", s.retryAfterSeconds(120))
	if strings.HasPrefix(r.URL.Path, "/remote.php/") {
		write(w, http.StatusServiceUnavailable, "application/xml; charset=utf-8", `<?xml version="1.0" encoding="utf-8"?>
<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">
  <s:exception>Sabre\DAV\Exception\ServiceUnavailable</s:exception>
  <s:message>System is in maintenance mode.</s:message>
</d:error>
`)
		return
	}
	write(w, http.StatusServiceUnavailable, ctHTML, "<!DOCTYPE html>\n<html>\n<head><title>Nextcloud</title></head>\n"+
		"<body><div class=\"guest-box\"><h2>Maintenance mode</h2><p>This Nextcloud instance is currently in maintenance mode, which may take a while.</p></div></body>\n</html>\n")
}

// pageEnvoy is Envoy's own answer when the upstream refuses connections
// (as Contour's troubleshooting guide shows it).
func pageEnvoy(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Server", "envoy")
	write(w, http.StatusServiceUnavailable, "text/plain", "upstream connect error or disconnect/reset before headers. reset reason: connection failure")
}

// varnishPage is Varnish's built-in backend error page
// (varnishcache/varnish-cache bin/varnishd/builtin.vcl,
// vcl_builtin_backend_error), which sends Retry-After: 5.
func pageVarnish(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", "5")
	w.Header().Set("Via", "1.1 varnish (Varnish/7.5)")
	write(w, http.StatusServiceUnavailable, ctHTML, `<!DOCTYPE html>
<html>
  <head>
    <title>503 Backend fetch failed</title>
  </head>
  <body>
    <h1>Error 503 Backend fetch failed</h1>
    <p>Backend fetch failed</p>
    <h3>Guru Meditation:</h3>
    <p>XID: `+strconv.Itoa(int(st.now.Unix()%100000))+`</p>
    <hr>
    <p>Varnish cache server</p>
  </body>
</html>
`)
}

// pageWordPress is WordPress while a .maintenance file exists
// (WordPress/WordPress wp-includes/load.php, wp_maintenance): 503,
// Retry-After: 600, wp_die's page.
func pageWordPress(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	w.Header().Set("Retry-After", s.retryAfterSeconds(600))
	write(w, http.StatusServiceUnavailable, ctHTML, `<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<meta name="viewport" content="width=device-width">
	<title>Maintenance</title>
</head>
<body id="error-page">
	<div class="wp-die-message">Briefly unavailable for scheduled maintenance. Check back in a minute.</div></body>
</html>
`)
}

// pageRetryAfterLong is a maintenance-looking 503 with ten minutes of
// Retry-After (the health endpoint of its mode tells the truth).
func pageRetryAfterLong(s *Server, w http.ResponseWriter, r *http.Request, st *reqState) {
	ra := s.retryAfterSeconds(600)
	w.Header().Set("Retry-After", ra)
	write(w, http.StatusServiceUnavailable, ctText, textRetry(ra))
}
