package classify

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The responses below are as the named products send them; each cites
// where it was read.

// varnish503 is varnishcache/varnish-cache bin/varnishd/builtin.vcl,
// vcl_builtin_backend_error: Retry-After: 5 on every backend failure.
const varnish503 = `<!DOCTYPE html>
<html>
  <head>
    <title>503 Backend fetch failed</title>
  </head>
  <body>
    <h1>Error 503 Backend fetch failed</h1>
    <p>Backend fetch failed</p>
    <h3>Guru Meditation:</h3>
    <p>XID: 32770</p>
    <hr>
    <p>Varnish cache server</p>
  </body>
</html>
`

// sabreMaintenance is the WebDAV error body of Nextcloud in maintenance
// mode (nextcloud/server apps/dav, Sabre\DAV\Exception\ServiceUnavailable).
const sabreMaintenance = `<?xml version="1.0" encoding="utf-8"?>
<d:error xmlns:d="DAV:" xmlns:s="http://sabredav.org/ns">
  <s:exception>Sabre\DAV\Exception\ServiceUnavailable</s:exception>
  <s:message>System is in maintenance mode.</s:message>
</d:error>
`

// wordpressMaintenance is wp_die's page for WordPress' .maintenance
// (WordPress/WordPress wp-includes/load.php, wp_maintenance).
const wordpressMaintenance = `<!DOCTYPE html>
<html lang="en-US">
<head>
	<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
	<title>Maintenance</title>
</head>
<body id="error-page">
	<div class="wp-die-message">Briefly unavailable for scheduled maintenance. Check back in a minute.</div></body>
</html>
`

const stock503Text = "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."

func TestRetryAfterWindow(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		ra         string
		class      Class
		confidence Strength
		raValue    string
		raStrength Strength
	}{
		{"a minute is a window", 503, "60", Maintenance, Implied, "60", Implied},
		{"two minutes", 503, "120", Maintenance, Implied, "120", Implied},
		{"59 s is a retry hint", 503, "59", Malfunction, None, "59 (retry hint, not a window)", None},
		{"Varnish's 5 s", 503, "5", Malfunction, None, "5 (retry hint, not a window)", None},
		{"0", 503, "0", Malfunction, None, "0 (retry hint, not a window)", None},
		{"a date 30 s ahead", 503, testNow.Add(30 * time.Second).Format(http.TimeFormat), Malfunction, None,
			testNow.Add(30*time.Second).Format(http.TimeFormat) + " (retry hint, not a window)", None},
		{"a date 10 min ahead", 503, testNow.Add(10 * time.Minute).Format(http.TimeFormat), Maintenance, Implied,
			testNow.Add(10 * time.Minute).Format(http.TimeFormat), Implied},
		{"429 with 5 s stays throttled", 429, "5", Throttled, None, "5", None},
		{"500 with a long wait is no window", 500, "600", Malfunction, None, "600", None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Observe(Observation{Status: tt.status, Header: hdr("Retry-After", tt.ra)}, testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			assert.Equal(t, tt.confidence, v.Confidence)
			assert.True(t, v.HasRetryAfter, "the wait is kept as timing even when it is no window")
			requireEvidence(t, v, ev(SourceResponse, "retry-after", tt.raValue, tt.raStrength, Maintenance))
		})
	}
}

func TestWordsNotMeaning(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		ct, body   string
		class      Class
		confidence Strength
		want       Evidence // looked for, when Signal is set
	}{
		// The stock descriptions of 503, in any format, are never evidence.
		{"Apache's stock text in JSON", 503, "application/json",
			`{"error":"Service Unavailable","message":"The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later."}`,
			Malfunction, None, ev(SourceResponse, "json-message", "The server is temporarily unable to service your request due to maintenance downtime or capacity problems. Please try again later. (stock 503 description, not evidence)", None, OK)},
		{"RFC 7231's text in problem+json", 503, "application/problem+json",
			`{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"The server is currently unable to handle the request due to a temporary overload or scheduled maintenance, which will likely be alleviated after some delay."}`,
			Malfunction, None, Evidence{}},
		{"RFC 2616's text", 503, "application/json", `{"message":"The server is currently unable to handle the request due to a temporary overloading or maintenance of the server."}`,
			Malfunction, None, Evidence{}},
		{".NET's description", 503, "application/json", `{"title":"ServiceUnavailable indicates that the server is temporarily unavailable, usually due to high load or maintenance."}`,
			Malfunction, None, Evidence{}},
		{"MDN's description", 503, "application/json", `{"error":"The server is not ready to handle the request. Common causes are a server that is down for maintenance or that is overloaded."}`,
			Malfunction, None, Evidence{}},
		{"Apache's stock page is reported", 503, "text/html", apache, Malfunction, None,
			ev(SourceResponse, "body", "stock 503 description, not evidence", None, OK)},
		// The noun, or an identifier, is no state.
		{"exception class name", 503, "application/json", `{"error":"MaintenanceSchedulerException","message":"Could not load maintenance window 42"}`,
			Malfunction, None, ev(SourceResponse, "json-message", "Could not load maintenance window 42 (mentions maintenance, states no maintenance)", None, OK)},
		{"problem type URI", 503, "application/problem+json", `{"type":"https://api.example.com/problems/maintenance","title":"Internal error","status":503}`,
			Malfunction, None, Evidence{}},
		{"code naming a window", 503, "application/json", `{"code":"maintenance_window_conflict","message":"Service Unavailable"}`,
			Malfunction, None, Evidence{}},
		// A maintenance-named type whose own message says the service boots
		// (Ghost's MaintenanceError while its URLs are built) is no switch.
		{"maintenance type on a boot", 503, "application/json", `{"errors":[{"message":"Site is starting up, please wait a moment then retry.","type":"MaintenanceError"}]}`,
			Malfunction, None, Evidence{}},
		{"maintenance code while initializing", 503, "application/json", `{"code":"MAINTENANCE_MODE","detail":"The server is still initializing"}`,
			Malfunction, None, Evidence{}},
		{"echoed field on a 422", 422, "application/json", `{"errors":{"maintenance":true},"message":"The maintenance mode field is invalid"}`,
			ClientError, None, ev(SourceResponse, "json-flag", "errors.maintenance=true (on a 422: about the request, not evidence)", None, OK)},
		{"flag on a 404 is about the request", 404, "application/json", `{"maintenance_mode":true}`, ClientError, None, Evidence{}},
		{"flag on a 400", 400, "application/json", `{"maintenance":true}`, ClientError, None, Evidence{}},
		// States count.
		{"in maintenance mode", 503, "application/json", `{"message":"System in maintenance mode"}`, Maintenance, Implied,
			ev(SourceResponse, "json-message", "System in maintenance mode", Implied, Maintenance)},
		{"we're under maintenance", 503, "application/json", `{"detail":"We're under maintenance, back soon"}`, Maintenance, Implied, Evidence{}},
		{"closed for maintenance", 503, "application/json", `{"error":"Closed for maintenance until 10:00"}`, Maintenance, Implied, Evidence{}},
		{"read-only mode", 503, "application/json", `{"errors":["Site is in read only mode. Interactions are disabled."]}`, Maintenance, Implied, Evidence{}},
		{"stock text beside a stated state", 503, "application/json",
			`{"message":"We are down for maintenance. The server is temporarily unable to service your request due to maintenance downtime or capacity problems."}`,
			Maintenance, Implied, Evidence{}},
		// Ghost's MaintenanceError, 503 (TryGhost/Ghost ghost/admin app/services/ajax.js:
		// createAjaxError('MaintenanceError', 'Ghost is currently undergoing maintenance...', 503)).
		{"Ghost maintenance", 503, "application/json",
			`{"errors":[{"message":"Ghost is currently undergoing maintenance, please wait a moment then retry.","type":"MaintenanceError"}]}`,
			Maintenance, Explicit, ev(SourceResponse, "json-flag", "errors.0.type=MaintenanceError", Explicit, Maintenance)},
		// "msg", as many APIs spell it.
		{"msg key", 503, "application/json", `{"code":50300,"msg":"System under maintenance"}`, Maintenance, Implied, Evidence{}},
		// Short plain-text bodies are messages (nginx's or Caddy's
		// "return 503 'Down for maintenance'").
		{"plain text states it", 503, "text/plain", "Down for maintenance, back at 10:00 UTC\n", Maintenance, Implied,
			ev(SourceResponse, "text-message", "Down for maintenance, back at 10:00 UTC", Implied, Maintenance)},
		{"plain text, untyped", 503, "", "Site under maintenance", Maintenance, Implied, Evidence{}},
		// A sentence sent as text/html (Apache's ErrorDocument "string",
		// PHP's and Express's defaults) is a message, not a page.
		{"sentence as text/html", 503, "text/html; charset=iso-8859-1", "Down for maintenance, back at 10:00 UTC", Maintenance, Implied,
			ev(SourceResponse, "text-message", "Down for maintenance, back at 10:00 UTC", Implied, Maintenance)},
		{"a page is still a page", 503, "text/html", "<p>Down for maintenance</p>", Malfunction, None, Evidence{}},
		{"plain stock text", 503, "text/plain", stock503Text, Malfunction, None,
			ev(SourceResponse, "text-message", stock503Text+" (stock 503 description, not evidence)", None, OK)},
		{"plain text on a 404", 404, "text/plain", "down for maintenance", ClientError, None, Evidence{}},
		// A servlet container's error page carries the application's own
		// sendError message (Jetty's MESSAGE row, Tomcat's Message line).
		{"Jetty page, the app's message states it", 503, "text/html;charset=iso-8859-1",
			"<html>\n<head>\n<title>Error 503 Gerrit is under maintenance - all data is READ ONLY</title>\n</head>\n<body><h2>HTTP ERROR 503 Gerrit is under maintenance - all data is READ ONLY</h2>\n<table>\n<tr><th>URI:</th><td>/a/changes/1/review</td></tr>\n<tr><th>STATUS:</th><td>503</td></tr>\n<tr><th>MESSAGE:</th><td>Gerrit is under maintenance - all data is READ ONLY</td></tr>\n</table>\n</body>\n</html>\n",
			Maintenance, Implied, ev(SourceResponse, "html-message", "Gerrit is under maintenance - all data is READ ONLY", Implied, Maintenance)},
		{"Jetty 9.3 page, escaped", 503, "text/html",
			"<html><body><h2>HTTP ERROR 503</h2>\n<p>Problem accessing /api. Reason:\n<pre>    Down for maintenance &amp; back at 10:00</pre></p></body></html>",
			Maintenance, Implied, ev(SourceResponse, "html-message", "Down for maintenance & back at 10:00", Implied, Maintenance)},
		{"Tomcat page: the app's message, not the stock description", 503, "text/html;charset=utf-8",
			`<!doctype html><html lang="en"><head><title>HTTP Status 503 – Service Unavailable</title></head><body><h1>HTTP Status 503 – Service Unavailable</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Message</b> Servlet [dispatcher] is currently unavailable</p><p><b>Description</b> The server is currently unable to handle the request due to a temporary overload or scheduled maintenance, which will likely be alleviated after some delay.</p></body></html>`,
			Malfunction, None, ev(SourceResponse, "body", "stock 503 description, not evidence", None, OK)},
		{"Tomcat page, the app reports a fault", 500, "text/html;charset=utf-8",
			`<html><head><title>HTTP Status 500 – Internal Server Error</title></head><body><p><b>Message</b> Request processing failed: java.lang.IllegalStateException: maintenance mode flag unreadable</p></body></html>`,
			Malfunction, None, Evidence{}},
		{"Spring Boot Whitelabel page, the app's message", 503, "text/html;charset=UTF-8",
			`<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p><div id='created'>Mon Jun 01 12:00:00 UTC 2026</div><div>There was an unexpected error (type=Service Unavailable, status=503).</div><div>Orders are closed for maintenance until 14:00</div></body></html>`,
			Maintenance, Implied, ev(SourceResponse, "html-message", "Orders are closed for maintenance until 14:00", Implied, Maintenance)},
		{"Spring Boot Whitelabel page, no message", 500, "text/html;charset=UTF-8",
			`<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p><div id='created'>Mon Jun 01 12:00:00 UTC 2026</div><div>There was an unexpected error (type=Internal Server Error, status=500).</div></body></html>`,
			Malfunction, None, Evidence{}},
		{"container message on a 404 is about the request", 404, "text/html",
			"<table><tr><th>MESSAGE:</th><td>down for maintenance</td></tr></table>", ClientError, None, Evidence{}},
		// Codes that name the state.
		{"Notify's PlannedMaintenanceError", 503, "application/json", notifyJSON, Maintenance, Explicit,
			ev(SourceResponse, "json-flag", "errors.0.error=PlannedMaintenanceError", Explicit, Maintenance)},
		{"MAINTENANCE_MODE code", 503, "application/json", `{"code":"MAINTENANCE_MODE"}`, Maintenance, Explicit, Evidence{}},
		// Flags, however written.
		{"flag 1", 503, "application/json", `{"maintenance":1}`, Maintenance, Explicit, ev(SourceResponse, "json-flag", "maintenance=1", Explicit, Maintenance)},
		{"flag \"true\"", 503, "application/json", `{"maintenance_mode":"true"}`, Maintenance, Explicit, Evidence{}},
		{"flag false", 503, "application/json", `{"maintenance":false}`, Malfunction, None, Evidence{}},
		{"flag on a 423", 423, "application/json", `{"maintenance":true}`, Maintenance, Explicit, Evidence{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Response(record(tt.status, hdr("Content-Type", tt.ct), tt.body), testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			assert.Equal(t, tt.confidence, v.Confidence, "verdict %v", v)
			if tt.want.Signal != "" {
				requireEvidence(t, v, tt.want)
			}
		})
	}
}

func TestFingerprints(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		header  http.Header
		body    string
		class   Class
		conf    Strength
		signal  string
		product string
	}{
		{"nginx 502", 502, hdr("Content-Type", "text/html"), nginx502, Malfunction, None, SignalProxyError, "nginx"},
		{"nginx 504 with a long Retry-After", 504, hdr("Content-Type", "text/html", "Retry-After", "600"), nginx504, Malfunction, None, SignalProxyError, "nginx"},
		{"HAProxy 503", 503, hdr("Content-Type", "text/html"), haproxy, Malfunction, None, SignalProxyError, "HAProxy"},
		{"HAProxy 503 beats a long Retry-After", 503, hdr("Content-Type", "text/html", "Retry-After", "600"), haproxy, Malfunction, None, SignalProxyError, "HAProxy"},
		{"Varnish backend fetch failed", 503, hdr("Content-Type", "text/html; charset=utf-8", "Retry-After", "5"), varnish503, Malfunction, None, SignalProxyError, "Varnish"},
		{"Envoy", 503, hdr("Content-Type", "text/plain", "Server", "envoy"),
			"upstream connect error or disconnect/reset before headers. reset reason: connection failure", Malfunction, None, SignalProxyError, "Envoy"},
		{"Cloudflare 521", 521, hdr("Content-Type", "text/html", "Cf-Ray", "8a1b2c3d4e5f6789-AMS", "Server", "cloudflare"),
			"<title>example.com | 521: Web server is down</title>", Malfunction, None, SignalProxyError, "Cloudflare"},
		{"Heroku application error", 503, hdr("Content-Type", "text/html; charset=utf-8"),
			`<iframe src="//www.herokucdn.com/error-pages/application-error.html"></iframe>`, Malfunction, None, SignalProxyError, "Heroku"},
		{"AWS ALB 502", 502, hdr("Content-Type", "text/html", "Server", "awselb/2.0"),
			"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n", Malfunction, None, SignalProxyError, "AWS Application Load Balancer"},
		{"Caddy 502, empty", 502, hdr("Server", "Caddy"), "", Malfunction, None, SignalProxyError, "Caddy"},
		{"Traefik 502", 502, hdr("Content-Type", "text/plain; charset=utf-8"), "Bad Gateway", Malfunction, None, SignalProxyError, "Traefik"},
		{"Kong", 503, hdr("Content-Type", "application/json; charset=utf-8", "Server", "kong/3.4.2"),
			`{"message":"failure to get a peer from the ring-balancer"}`, Malfunction, None, SignalProxyError, "Kong"},
		{"Nextcloud maintenance header", 503, hdr("Content-Type", "text/html", "X-Nextcloud-Maintenance-Mode", "1", "Retry-After", "120"),
			"<html>...</html>", Maintenance, Explicit, SignalVendorMaintenance, "Nextcloud"},
		{"Nextcloud WebDAV maintenance", 503, hdr("Content-Type", "application/xml; charset=utf-8"), sabreMaintenance,
			Maintenance, Explicit, SignalVendorMaintenance, "Nextcloud/ownCloud WebDAV"},
		{"WordPress .maintenance", 503, hdr("Content-Type", "text/html; charset=utf-8", "Retry-After", "600"), wordpressMaintenance,
			Maintenance, Explicit, SignalVendorMaintenance, "WordPress"},
		{"ClickHouse exception on a 500", 500, hdr("Content-Type", "text/plain; charset=UTF-8", "X-ClickHouse-Exception-Code", "242"),
			"Code: 242. DB::Exception: Table is in readonly mode. (TABLE_IS_READ_ONLY)", Malfunction, None, SignalVendorFault, "ClickHouse"},
		{"MinIO read quorum beats its own Retry-After: 120", 503, hdr("Content-Type", "application/xml", "Retry-After", "120", "Server", "MinIO"),
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>XMinioReadQuorum</Code><Message>Multiple disk failures, unable to reconstruct data.</Message></Error>`,
			Malfunction, None, SignalVendorFault, "MinIO"},
		{"MinIO's SlowDown (lost quorum before 2023) is not S3's throttle", 503, hdr("Content-Type", "application/xml", "Retry-After", "120", "Server", "MinIO"),
			`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<Error><Code>SlowDown</Code><Message>Resource requested is unreadable, please reduce your request rate</Message></Error>`,
			Malfunction, None, SignalVendorFault, "MinIO"},
		{"MinIO SlowDownRead behind a proxy that replaced Server", 503, hdr("Content-Type", "application/xml", "Retry-After", "60", "Server", "nginx"),
			`<Error><Code>SlowDownRead</Code><Message>Resource requested is unreadable, please reduce your request rate</Message></Error>`,
			Malfunction, None, SignalVendorFault, "MinIO"},
		{"S3 SlowDown is a throttle", 503, hdr("Content-Type", "application/xml", "Server", "AmazonS3"),
			`<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`,
			Throttled, None, SignalVendorThrottle, "Amazon S3"},
		{"Elasticsearch flood stage beats the 429", 429, hdr("Content-Type", "application/json"),
			`{"error":{"type":"cluster_block_exception","reason":"index [i] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"},"status":429}`,
			Malfunction, None, SignalVendorFault, "Elasticsearch"},
		{"MediaWiki read-only while replicas lag beats its own readonly switch", 200, hdr("Content-Type", "application/json", "MediaWiki-API-Error", "readonly"),
			`{"error":{"code":"readonly","info":"The wiki is currently in read-only mode.","readonlyreason":"The database is read-only until replication lag decreases."}}`,
			Malfunction, None, SignalVendorFault, "MediaWiki"},
		{"MediaWiki maxlag, sent with 200", 200, hdr("Content-Type", "application/json", "MediaWiki-API-Error", "maxlag", "Retry-After", "5"),
			`{"error":{"code":"maxlag","info":"Waiting for db1: 7 seconds lagged."}}`, Throttled, None, SignalVendorThrottle, "MediaWiki"},
		{"MediaWiki ratelimited, sent with 200", 200, hdr("Content-Type", "application/json", "MediaWiki-API-Error", "ratelimited"),
			`{"error":{"code":"ratelimited","info":"You've exceeded your rate limit. Please wait some time and try again."}}`,
			Throttled, None, SignalVendorThrottle, "MediaWiki"},
		{"Azure Storage ServerBusy", 503, hdr("Content-Type", "application/xml", "X-Ms-Error-Code", "ServerBusy"),
			`<?xml version="1.0" encoding="utf-8"?><Error><Code>ServerBusy</Code><Message>Operations per second is over the account limit.</Message></Error>`,
			Throttled, None, SignalVendorThrottle, "Azure Storage"},
		{"Heroku maintenance mode", 503, hdr("Content-Type", "text/html; charset=utf-8"),
			`<title>Offline for Maintenance</title><iframe src="//www.herokucdn.com/error-pages/maintenance-mode.html"></iframe>`,
			Maintenance, Explicit, SignalVendorMaintenance, "Heroku"},
		{"Drupal maintenance", 503, hdr("Content-Type", "text/html; charset=UTF-8", "X-Generator", "Drupal 10 (https://www.drupal.org)"),
			`<title>Site under maintenance | Example</title><h1 class="title page-title">Site under maintenance</h1>`,
			Maintenance, Explicit, SignalVendorMaintenance, "Drupal"},
		{"Magento maintenance flag", 503, hdr("Content-Type", "text/html; charset=UTF-8"),
			`<title>Error 503: Service Unavailable</title><base href="https://shop.example.com/errors/default/" /><p>` + stock503Text + `</p>`,
			Maintenance, Explicit, SignalVendorMaintenance, "Magento"},
		{"MediaWiki read-only, an API error sent with 200", 200, hdr("Content-Type", "application/json", "Mediawiki-Api-Error", "readonly"),
			`{"error":{"code":"readonly","info":"The wiki is currently in read-only mode."}}`, Maintenance, Explicit, SignalVendorMaintenance, "MediaWiki"},
		{"Cloud Foundry gorouter, no endpoints", 503, hdr("Content-Type", "text/plain; charset=utf-8", "X-Cf-Routererror", "no_endpoints"),
			"503 Service Unavailable: Requested route ('orders.apps.example.com') has no available endpoints.", Malfunction, None, SignalProxyError, "Cloud Foundry gorouter"},
		// Captured live from Squid 5.7 (Debian bookworm) as a reverse proxy.
		{"Squid, origin refused", 502, hdr("Content-Type", "text/html;charset=utf-8", "Server", "squid/5.7", "X-Squid-Error", "ERR_READ_ERROR 0"),
			`<title>ERROR: The requested URL could not be retrieved</title></head><body id=ERR_READ_ERROR>`, Malfunction, None, SignalProxyError, "Squid"},
		{"Joomla offline", 503, hdr("Content-Type", "text/html; charset=utf-8"),
			`<meta name="generator" content="Joomla! - Open Source Content Management"><div class="offline-card"><p>This site is down for maintenance.</p><form action="/index.php" method="post" id="form-login">`,
			Maintenance, Explicit, SignalVendorMaintenance, "Joomla"},
		{"S3 SlowDown", 503, hdr("Content-Type", "application/xml"),
			`<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>`,
			Throttled, None, SignalVendorThrottle, "Amazon S3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Response(record(tt.status, tt.header, tt.body), testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			assert.Equal(t, tt.conf, v.Confidence)
			requireEvidence(t, v, ev(SourceResponse, tt.signal, tt.product, Explicit, tt.class))
		})
	}
	t.Run("Discourse read-only is also a failover's answer: the loud class", func(t *testing.T) {
		h := hdr("Content-Type", "application/json", "Discourse-Readonly", "true")
		body := `{"errors":["The site is in read only mode. Interactions are disabled."],"error_type":"read_only"}`
		v := Response(record(503, h, body), testNow, nil)
		assert.Equal(t, Malfunction, v.Class, "verdict %v", v)
		requireEvidence(t, v, ev(SourceResponse, SignalVendorAmbiguous, "Discourse", Implied, Malfunction))
		// Announced with the probe, the same answer is maintenance.
		announced := Combine(v, testNow, Evidence{Source: SourceProbe, Signal: "probe", Value: "200", Strength: Explicit, Indicates: Maintenance})
		assert.Equal(t, Maintenance, announced.Class)
	})
	t.Run("not matched", func(t *testing.T) {
		for _, tc := range []struct {
			name   string
			status int
			header http.Header
			body   string
		}{
			{"nginx 503 (limit_req, or return 503)", 503, hdr("Content-Type", "text/html"), strings.ReplaceAll(nginx502, "502 Bad Gateway", "503 Service Temporarily Unavailable")},
			{"Varnish synth for a maintenance", 503, hdr("Content-Type", "text/html"), strings.ReplaceAll(varnish503, "Backend fetch failed", "Down for maintenance")},
			{"Discourse header on a 404", 404, hdr("Discourse-Readonly", "true"), ""},
			{"Nextcloud header off", 503, hdr("X-Nextcloud-Maintenance-Mode", "0"), ""},
			{"a 200 from a proxy", 200, hdr("Server", "Caddy"), ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				v := Response(record(tc.status, tc.header, tc.body), testNow, nil)
				for _, e := range v.Evidence {
					assert.NotContains(t, []string{SignalProxyError, SignalVendorMaintenance}, e.Signal, "verdict %v", v)
				}
			})
		}
	})
	t.Run("every row cites its source", func(t *testing.T) {
		for _, f := range fingerprints {
			assert.NotEmpty(t, f.product)
			assert.NotEmpty(t, f.source, f.product)
			assert.True(t, len(f.body) > 0 || f.header != "" || f.bodyIs != "" || f.emptyBody, "%s matches something specific", f.product)
		}
	})
}

// TestCombinePrecision holds the combining rules of issue 12.
func TestCombinePrecision(t *testing.T) {
	observe := func(status int, h http.Header, body string) Verdict {
		return Response(record(status, h, body), testNow, nil)
	}
	implied503 := observe(503, hdr("Content-Type", "text/plain", "Retry-After", "600"), "")
	bare503 := observe(503, hdr("Content-Type", "text/plain"), "Service Unavailable")
	osf := observe(503, hdr("Content-Type", "application/json"), osfJSON)
	nginx := observe(502, hdr("Content-Type", "text/html"), nginx502)
	throttled := observe(429, hdr("Retry-After", "30"), "")

	probe := Evidence{Source: SourceProbe, Signal: "probe", Value: "200", Strength: Explicit, Indicates: Maintenance}
	healthDown := Evidence{Source: SourceHealth, Signal: "health", Value: "DOWN (503)", Strength: Implied, Indicates: Malfunction}
	incident := Evidence{Source: SourceStatusPage, Signal: "incident", Value: "investigating (major)", Strength: Explicit, Indicates: Malfunction}
	incidentNone := Evidence{Source: SourceStatusPage, Signal: "incident", Value: "investigating (none): does not touch the service"}
	componentOutage := Evidence{Source: SourceStatusPage, Signal: "component", Value: "API: major_outage", Strength: Implied, Indicates: Malfunction}
	pageWideMaint := Evidence{Source: SourceStatusPage, Signal: "maintenance", Value: "in_progress (names no component)", Strength: Implied, Indicates: Maintenance}
	window := Evidence{Source: SourceStatusPage, Signal: "maintenance-window", Value: "scheduled (window open)", Strength: Implied, Indicates: Maintenance}

	tests := []struct {
		name       string
		primary    Verdict
		extra      []Evidence
		class      Class
		confidence Strength
	}{
		{"health failure beats implied maintenance", implied503, []Evidence{healthDown}, Malfunction, None},
		{"own explicit flag beats an incident that does not touch it", osf, []Evidence{incidentNone}, Maintenance, Explicit},
		{"selected component's outage beats a maintenance naming no component", bare503, []Evidence{pageWideMaint, componentOutage}, Malfunction, None},
		{"a maintenance naming no component alone is implied", bare503, []Evidence{pageWideMaint}, Maintenance, Implied},
		{"incident touching the service beats implied", implied503, []Evidence{incident}, Malfunction, None},
		{"proxy's synthetic error beats implied maintenance", nginx, []Evidence{window}, Malfunction, None},
		{"explicit maintenance beats a proxy's synthetic error (the app is stopped)", nginx, []Evidence{probe}, Maintenance, Explicit},
		{"429 with an incident touching the service: the loud class", throttled, []Evidence{incident}, Malfunction, None},
		{"429 with a failing health endpoint stays throttled", throttled, []Evidence{healthDown}, Throttled, None},
		{"explicit maintenance beats a failing health endpoint", bare503, []Evidence{probe, healthDown}, Maintenance, Explicit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Combine(tt.primary, testNow, tt.extra...)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			assert.Equal(t, tt.confidence, v.Confidence, "verdict %v", v)
		})
	}
}

// TestRateLimitsAsOtherStatuses: GitHub answers 403 for both its rate
// limits (docs.github.com, rest/using-the-rest-api/rate-limits-for-the-rest-api).
func TestRateLimitsAsOtherStatuses(t *testing.T) {
	tests := []struct {
		name   string
		status int
		header http.Header
		class  Class
	}{
		{"secondary limit: 403 + Retry-After", 403, hdr("Retry-After", "60", "Content-Type", "application/json"), Throttled},
		{"primary limit: remaining 0", 403, hdr("X-Ratelimit-Remaining", "0", "X-Ratelimit-Reset", strconv.FormatInt(testNow.Add(10*time.Minute).Unix(), 10)), Throttled},
		{"remaining left", 403, hdr("X-Ratelimit-Remaining", "12"), ClientError},
		{"404 with Retry-After is no limit", 404, hdr("Retry-After", "60"), ClientError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Response(record(tt.status, tt.header, `{"message":"You have exceeded a secondary rate limit."}`), testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			if tt.header.Get("X-Ratelimit-Reset") != "" {
				d, ok := v.Wait(testNow)
				assert.True(t, ok)
				assert.Equal(t, 10*time.Minute, d, "the reset is the wait")
			}
		})
	}
}

// TestThrottleCodes: "slow down" error codes sent with another status.
func TestThrottleCodes(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ct     string
		body   string
		class  Class
	}{
		// docs.aws.amazon.com (DynamoDB, Common Errors): 400 ThrottlingException.
		{"AWS ThrottlingException", 400, "application/x-amz-json-1.0",
			`{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}`, Throttled},
		{"DynamoDB throughput", 400, "application/x-amz-json-1.0",
			`{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"..."}`, Throttled},
		// Google APIs' error model (developers.google.com, "Standard error
		// responses"): "reason": "rateLimitExceeded" with a 403.
		{"Google rateLimitExceeded", 403, "application/json",
			`{"error":{"code":403,"message":"Rate Limit Exceeded","errors":[{"reason":"rateLimitExceeded"}],"status":"PERMISSION_DENIED"}}`, Throttled},
		{"Google forbidden", 403, "application/json",
			`{"error":{"code":403,"message":"Forbidden","errors":[{"reason":"forbidden"}],"status":"PERMISSION_DENIED"}}`, ClientError},
		// EC2: RequestLimitExceeded comes with a 503.
		{"EC2 RequestLimitExceeded", 503, "text/xml",
			`<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit exceeded.</Message></Error></Errors></Response>`, Throttled},
		{"a 404 naming a rate limit is about the request", 404, "application/json", `{"code":"RateLimitExceeded"}`, ClientError},
		{"not a throttle code", 400, "application/json", `{"__type":"ValidationException","message":"bad"}`, ClientError},
		{"a maintenance flag still wins", 503, "application/json", `{"code":"TooManyRequests","maintenance":true}`, Maintenance},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Response(record(tt.status, hdr("Content-Type", tt.ct), tt.body), testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
		})
	}
}

func TestDecoding(t *testing.T) {
	gz := func(s string) string {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		_, _ = io.WriteString(w, s)
		_ = w.Close()
		return b.String()
	}
	zl := func(s string) string {
		var b bytes.Buffer
		w := zlib.NewWriter(&b)
		_, _ = io.WriteString(w, s)
		_ = w.Close()
		return b.String()
	}
	tests := []struct {
		name       string
		header     http.Header
		body       string
		class      Class
		confidence Strength
	}{
		{"gzip left encoded", hdr("Content-Type", "application/json", "Content-Encoding", "gzip"), gz(osfJSON), Maintenance, Explicit},
		{"deflate (zlib) left encoded", hdr("Content-Type", "application/json", "Content-Encoding", "deflate"), zl(osfJSON), Maintenance, Explicit},
		{"gzip nginx page", hdr("Content-Type", "text/html", "Content-Encoding", "gzip"), gz(haproxy), Malfunction, None},
		{"brotli is not decoded", hdr("Content-Type", "application/json", "Content-Encoding", "br"), "\x1b\x00", Malfunction, None},
		{"UTF-8 BOM", hdr("Content-Type", "application/json"), "\xEF\xBB\xBF" + osfJSON, Maintenance, Explicit},
		{"JSON served as text/html", hdr("Content-Type", "text/html; charset=UTF-8"), osfJSON, Maintenance, Explicit},
		{"JSON served as text/plain", hdr("Content-Type", "text/plain"), turnoutJSON, Maintenance, Implied},
		{"top-level array", hdr("Content-Type", "application/json"), `[{"message":"The API is down for maintenance"}]`, Maintenance, Implied},
		{"top-level array with a flag", hdr("Content-Type", "application/json"), `[{"maintenance":true}]`, Maintenance, Explicit},
		{"XML message", hdr("Content-Type", "text/xml"), `<error><code>503</code><message>Service under maintenance</message></error>`, Maintenance, Implied},
		{"XML code", hdr("Content-Type", "application/xml"), `<Error><Code>MaintenanceMode</Code></Error>`, Maintenance, Explicit},
		{"XML sniffed under text/plain", hdr("Content-Type", "text/plain"), sabreMaintenance, Maintenance, Explicit},
		{"garbage XML", hdr("Content-Type", "application/xml"), "<<<&&&>", Malfunction, None},
		{"truncated gzip", hdr("Content-Type", "application/json", "Content-Encoding", "gzip"), gz(osfJSON)[:20], Malfunction, None},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := record(503, tt.header, tt.body)
			v := Response(resp, testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			assert.Equal(t, tt.confidence, v.Confidence, "verdict %v", v)
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Equal(t, tt.body, string(got), "the caller gets the original bytes, still encoded")
		})
	}
	t.Run("a zip bomb stops at the peek limit", func(t *testing.T) {
		bomb := gz(`{"message":"` + strings.Repeat("a", 8<<20) + `"}`)
		require.Less(t, len(bomb), defaultPeekLimit, "the compressed bomb fits the peek")
		d := decodeBody(Observation{Status: 503, Header: hdr("Content-Encoding", "gzip"), Body: []byte(bomb)}, defaultPeekLimit)
		assert.Len(t, d.text, defaultPeekLimit)
		assert.True(t, d.truncated)
		v := Response(record(503, hdr("Content-Type", "application/json", "Content-Encoding", "gzip"), bomb), testNow, nil)
		assert.Equal(t, Malfunction, v.Class, "a truncated document is evidence of nothing")
	})
}

func TestHTMLTitles(t *testing.T) {
	opts := &Options{HTMLTitle: true}
	tests := []struct {
		name  string
		body  string
		class Class
	}{
		{"WordPress", wordpressMaintenance, Maintenance},
		{"Drupal", "<html><head><title>Site under maintenance | Example</title></head></html>", Maintenance},
		{"We'll be back soon", "<html><head><title>We&#39;ll be back</title></head><body><h1>We’ll be back soon!</h1></body></html>", Maintenance},
		{"Heroku", "<html><head><title>Offline for Maintenance</title></head></html>", Maintenance},
		// Captured live: nginx serving the widely copied "Site Maintenance"
		// page (gist pitch-gist/2999707), its apostrophe an entity.
		{"an entity in the heading", "<!doctype html>\n<title>Site Maintenance</title>\n<article>\n    <h1>We&rsquo;ll be back soon!</h1>\n</article>\n", Maintenance},
		{"an entity that spells nothing", "<html><head><title>Error &amp; Maintenance &#8212; Admin</title></head></html>", Malfunction},
		{"Apache's stock page says nothing", apache, Malfunction},
		{"a title about maintenance windows", "<html><head><title>Maintenance windows | Admin</title></head></html>", Malfunction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Response(record(503, hdr("Content-Type", "text/html"), tt.body), testNow, opts)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
		})
	}
}

func TestEvidenceStripsFormatCharacters(t *testing.T) {
	for _, r := range []rune{'\u2028', '\u2029', '\uFEFF', '\u200B', '\u200D', '\u2066', '\u00AD', '\u0600'} {
		got := abridge("a" + string(r) + "b")
		assert.Equal(t, "a b", got, "U+%04X", r)
	}
	v := Response(record(503, hdr("Content-Type", "application/json", "X-Lazr-Oopsid", "OOPS\u2028-1"),
		`{"message":"down\u2029for maintenance\ufeff"}`), testNow, nil)
	for _, e := range v.Evidence {
		for _, s := range []string{e.Value, e.Message} {
			assert.NotContains(t, s, "\u2028")
			assert.NotContains(t, s, "\u2029")
			assert.NotContains(t, s, "\ufeff")
		}
	}
	assert.NotContains(t, v.Message, "\u2029")
}

func TestStateSentence(t *testing.T) {
	tests := []struct{ in, want string }{
		{"503 Service Unavailable\n\nThe service is down for maintenance. Please try again in 120 seconds.\n", "The service is down for maintenance."},
		{"Down for maintenance", "Down for maintenance"},
		{"Version 1.2.3 is out! We are in maintenance mode; back soon", "We are in maintenance mode;"},
		{"nothing here", "nothing here"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, stateSentence(tt.in), tt.in)
	}
}

func TestJudgeText(t *testing.T) {
	tests := []struct {
		text string
		want textVerdict
	}{
		{"Service Unavailable", textSilent},
		{"down for maintenance", textState},
		{"The site is temporarily down for maintenance.", textState},
		{"Maintenance mode is active.", textState},
		{"Scheduled maintenance in progress", textState},
		{"We're performing scheduled maintenance", textState},
		{"Service unavailable due to maintenance", textState},
		{"You cannot perform write operations on a read-only instance", textState},
		{"Repository was archived so is read-only.", textSilent},
		{"Could not load maintenance window 42", textNoun},
		{"maintenance task failed", textNoun},
		{"Request for maintenance failed", textNoun},
		{"Maintenance", textState},
		{"maintenance!", textState},
		{"Scheduled maintenance will take place on Sunday", textNoun},
		{"Upcoming maintenance: Sunday 02:00 UTC", textNoun},
		{"Maintenance is planned for tonight", textNoun},
		{"We are down for maintenance and will be back at 10:00", textState},
		{"The server is temporarily unable to service your request due to maintenance downtime or\n   capacity problems.", textStock},
		{"The server is temporarily unable to service your request due to maintenance downtime or capacity problems.", textStock},
		{"due to a temporary overload or scheduled maintenance", textStock},
		// Near misses: the words, not the state.
		{"The maintenance of this resource failed", textNoun},
		{"maintenance_window_id not found", textSilent},
		{"Scheduled maintenance job crashed", textNoun},
		{"An error occurred during maintenance", textNoun},
		{"Failed to enable maintenance mode", textNoun},
		{"open /var/lib/app/data.db: read-only file system", textSilent},
		{"The database is in read-only mode due to disk full", textNoun},
		{"Emergency maintenance due to a hardware failure", textState},
		{"Down for maintenance after a disk failure, back at 14:00", textState},
		{"Maintenance failed due to a timeout", textNoun},
		{"Service Unavailable: back-end server is at capacity", textSilent},
		{"sorry, we are on maintenance", textState},
		{"The site is currently on maintenance", textState},
		{"See the details on maintenance in the docs", textNoun},
		// A guess among causes is no statement.
		{"The server may be down for maintenance or overloaded", textStock},
		{"Service unavailable, possibly due to maintenance", textNoun},
		{"This may be due to maintenance or an unexpected outage", textNoun},
		{"Temporarily unavailable due to an outage or maintenance", textNoun},
		{"We are down for maintenance and may be back by 10:00", textState},
		// Negated or ended: the state is not on.
		{"Nextcloud is not in maintenance mode", textNoun},
		{"Scheduled maintenance has been completed", textNoun},
		{"Maintenance mode is disabled", textNoun},
		{"The maintenance is over", textNoun},
		{"Do not retry while in maintenance mode", textState},
		{"Not available: under maintenance", textState},
		{"Service not available - down for maintenance", textState},
		{"The server is not down for maintenance", textNoun},
		{"The wiki is no longer in maintenance mode", textNoun},
		{"Maintenance mode is not enabled", textNoun},
		{"Down for maintenance until the upgrade is complete", textState},
		// Identifiers in a crash report name a setting; they state nothing.
		{`Undefined array key "maintenance_mode"`, textSilent},
		{"KeyError: 'maintenance_mode'", textSilent},
		{"'maintenance_mode'", textSilent},
		{"undefined method `maintenance_mode?' for nil:NilClass", textSilent},
		{"NullPointerException at com.example.MaintenanceModeFilter.doFilter(MaintenanceModeFilter.java:42)", textSilent},
		{"config.read_only_mode is not a boolean", textSilent},
		{"MAINTENANCE_MODE", textState},
		{"Service is down for maintenance (see https://status.example.com/maintenance_2026)", textState},
		// A part of the service, or the caller's setting, in read-only mode.
		{"Code: 242. DB::Exception: Table is in readonly mode (replica path: /clickhouse/tables/01/t/replicas/r1). (TABLE_IS_READ_ONLY)", textSilent},
		{"Code: 164. DB::Exception: default: Cannot execute query in readonly mode. (READONLY)", textSilent},
		{"attempt to write a readonly database", textSilent},
		{"ERROR: cannot execute INSERT in a read-only transaction", textSilent},
		// The service's own switch still counts.
		{"The wiki is currently in read-only mode.", textState},
		{"The site is in read only mode. Interactions are disabled.", textState},
		{"Gerrit is under maintenance - all data is READ ONLY", textState},
		{"Error 503 Gerrit is under maintenance - all data is READ ONLY", textState},
		// Languages other than English give no evidence (precision first).
		{"Wegen Wartungsarbeiten vorübergehend nicht verfügbar", textSilent},
		{"Site en maintenance, merci de revenir plus tard", textNoun},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, judgeText(tt.text))
		})
	}
	codes := map[string]bool{
		"PlannedMaintenanceError": true, "MAINTENANCE_MODE": true, "maintenance": true, "UnderMaintenance": true,
		"maintenance_in_progress": true, "read_only_mode": true,
		"MaintenanceSchedulerException": false, "maintenance_window_not_found": false,
		"https://example.com/problems/maintenance": false, "NotFound": false,
	}
	for code, want := range codes {
		assert.Equal(t, want, codeStates(code), code)
	}
}

// TestReasonPhrase: a reason phrase of the operator's own is read like a
// message; the stock ones say nothing.
func TestReasonPhrase(t *testing.T) {
	varnishPage := "<!DOCTYPE html>\n<html>\n  <head>\n    <title>503 Maintenance</title>\n  </head>\n  <body>\n    <h1>Error 503 Maintenance</h1>\n    <p>Maintenance</p>\n    <h3>Guru Meditation:</h3>\n    <p>XID: 32773</p>\n    <hr>\n    <p>Varnish cache server</p>\n  </body>\n</html>\n"
	tests := []struct {
		name   string
		status int
		reason string
		header http.Header
		body   string
		class  Class
	}{
		// Captured live: Varnish 7.1 return (synth(503, "Maintenance")) with
		// the built-in synth page and its Retry-After: 5.
		{"Varnish synth Maintenance", 503, "Maintenance", hdr("Content-Type", "text/html; charset=utf-8", "Retry-After", "5", "Server", "Varnish"), varnishPage, Maintenance},
		{"a stated state", 503, "Down for Maintenance", nil, "", Maintenance},
		{"the stock phrase", 503, "Service Unavailable", nil, "", Malfunction},
		{"nginx's stock phrase", 503, "Service Temporarily Unavailable", nil, "", Malfunction},
		{"Varnish's backend failure", 503, "Backend fetch failed", hdr("Retry-After", "5"), "", Malfunction},
		{"HTTP/2: no reason phrase", 503, "", nil, "", Malfunction},
		{"a noun", 500, "Maintenance Window Error", nil, "", Malfunction},
		{"about the request", 404, "Maintenance Not Found", nil, "", ClientError},
		{"a proxy's own error beats it", 502, "Maintenance", hdr("Content-Type", "text/html"), "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx/1.22.1</center>\n</body>\n</html>\n", Malfunction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := record(tt.status, tt.header, tt.body)
			resp.Status = strings.TrimSpace(strconv.Itoa(tt.status) + " " + tt.reason)
			v := Response(resp, testNow, nil)
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			if tt.class == Maintenance {
				assert.Equal(t, Implied, v.Confidence, "verdict %v", v)
			}
		})
	}
}

// TestHTMLTitleStatuses: the HTML rule reads a 503 or a 200; on a 500,
// 502 or 504 a maintenance page is a friendly error page. Captured live:
// nginx with "error_page 500 502 503 504 /maintenance.html" in front of a
// dead app sends its "We'll be back soon!" page with a 502.
func TestHTMLTitleStatuses(t *testing.T) {
	page := "<!doctype html>\n<title>Site Maintenance</title>\n<article>\n    <h1>We&rsquo;ll be back soon!</h1>\n</article>\n"
	tests := []struct {
		status int
		class  Class
	}{
		{200, Maintenance},
		{503, Maintenance},
		{500, Malfunction},
		{502, Malfunction},
		{504, Malfunction},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			v := Response(record(tt.status, hdr("Content-Type", "text/html"), page), testNow, &Options{HTMLTitle: true})
			assert.Equal(t, tt.class, v.Class, "verdict %v", v)
			if tt.status >= 500 && tt.status != 503 {
				assert.Contains(t, v.String(), "not evidence", "the evidence says why it was not believed")
			}
		})
	}
}
