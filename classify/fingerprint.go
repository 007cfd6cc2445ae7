package classify

import (
	"bytes"
	"net/http"
	"slices"
	"strings"
)

// Signals of the fingerprint table, as they appear in [Evidence.Signal].
const (
	// SignalProxyError marks a proxy's, load balancer's, CDN's or
	// platform's own synthetic error page: its backend is dead or
	// unreachable. Explicit malfunction; it beats implied maintenance but
	// not explicit maintenance from another source (an app stopped on
	// purpose behind nginx gets nginx's 502, and only the probe knows).
	SignalProxyError = "proxy-error"
	// SignalVendorMaintenance marks a product's own deliberate maintenance
	// or read-only switch (a vendor header, an error type or code, its
	// stock maintenance page): explicit maintenance.
	SignalVendorMaintenance = "vendor-maintenance"
	// SignalVendorThrottle marks a product's own "slow down" answer sent
	// with a 5xx status (S3's 503 SlowDown): throttled.
	SignalVendorThrottle = "vendor-throttle"
	// SignalVendorFault marks a product's own report that it failed: an
	// exception code, or a read-only lock it put on itself after a fault
	// (MediaWiki locks writes while its replicas lag). Explicit
	// malfunction, as an error-report id is: it beats explicit
	// maintenance, even the same product's read-only switch.
	SignalVendorFault = "vendor-fault"
	// SignalVendorAmbiguous marks a product's switch that it also throws
	// by itself on a fault, with the same answer (Discourse turns
	// read-only when its administrator says so, and when PostgreSQL or
	// Redis fail over to a read-only replica). Implied malfunction: where
	// the signals cannot be told apart the loud class wins over implied
	// maintenance; explicit maintenance from another source (the
	// well-known probe, a status page) still wins.
	SignalVendorAmbiguous = "vendor-ambiguous"
)

// fingerprint is one row of the table of known software: what a product
// sends, and what it means. Every condition that is set must hold.
type fingerprint struct {
	product string // who sends it, for evidence
	source  string // where the fact was read (repository and file, or doc page)

	statuses  []int    // the status is one of these; empty: any status of 400 or more
	refusal   bool     // the status must refuse service (a 5xx, 403, 405, 409 or 423)
	anyStatus bool     // a 2xx or 3xx matches too (a header-only row: no body is read there)
	header    string   // a header that must be present (canonical form)
	headerHas string   // a substring its value must hold, case-insensitively; empty: any value
	body      []string // substrings the body must all hold, as the product writes them
	bodyIs    string   // the whole body, space trimmed, must be this
	emptyBody bool     // the body must have been read and be empty

	signal string // SignalProxyError, SignalVendorMaintenance, SignalVendorThrottle, SignalVendorFault or SignalVendorAmbiguous
}

func (f *fingerprint) indicates() Class {
	switch f.signal {
	case SignalVendorMaintenance:
		return Maintenance
	case SignalVendorThrottle:
		return Throttled
	}
	return Malfunction
}

// fingerprints is the table of known software. It is data: adding a
// product is adding a row, with the source it was read from. Body
// substrings are matched against the first defaultPeekLimit bytes of
// the decoded body, case-sensitively, as the product writes them.
var fingerprints = []fingerprint{
	// ---- proxies', load balancers', CDNs' and platforms' own errors ----
	{product: "nginx", source: "nginx/nginx src/http/ngx_http_special_response.c (ngx_http_error_502_page, ngx_http_error_504_page, ngx_http_error_tail)",
		statuses: []int{502, 504}, body: []string{"<center>nginx", "</h1></center>"}, signal: SignalProxyError},
	{product: "OpenResty", source: "openresty/openresty: nginx's special response pages with the openresty tail",
		statuses: []int{502, 504}, body: []string{"<center>openresty", "</h1></center>"}, signal: SignalProxyError},
	{product: "HAProxy", source: "haproxy/haproxy src/http.c http_err_msgs[HTTP_ERR_503]",
		statuses: []int{503}, body: []string{"No server is available to handle this request."}, signal: SignalProxyError},
	{product: "HAProxy", source: "haproxy/haproxy src/http.c http_err_msgs[HTTP_ERR_502]",
		statuses: []int{502}, body: []string{"The server returned an invalid or incomplete response."}, signal: SignalProxyError},
	{product: "HAProxy", source: "haproxy/haproxy src/http.c http_err_msgs[HTTP_ERR_504]",
		statuses: []int{504}, body: []string{"The server didn't respond in time."}, signal: SignalProxyError},
	{product: "Varnish", source: "varnishcache/varnish-cache bin/varnishd/builtin.vcl vcl_builtin_backend_error (sends Retry-After: 5)",
		statuses: []int{503}, body: []string{"Backend fetch failed", "Guru Meditation"}, signal: SignalProxyError},
	{product: "Fastly", source: "Fastly docs, \"Common 503 errors\" (docs.fastly.com/en/guides/common-503-errors): \"Error 503 ... Guru Mediation\"",
		statuses: []int{503}, body: []string{"Guru Mediation"}, signal: SignalProxyError},
	{product: "Envoy", source: "projectcontour/contour site/content/docs/main/troubleshooting/common-errors.md (server: envoy; body from Envoy's router)",
		statuses: []int{502, 503, 504}, body: []string{"upstream connect error or disconnect/reset before headers"}, signal: SignalProxyError},
	{product: "Envoy", source: "Envoy source/common/router/router.cc: \"no healthy upstream\" when the cluster has no healthy host",
		statuses: []int{503}, header: "Server", headerHas: "envoy", body: []string{"no healthy upstream"}, signal: SignalProxyError},
	{product: "Cloudflare", source: "developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/ (520-527, with a CF-RAY header)",
		statuses: []int{520, 521, 522, 523, 524, 525, 526, 527, 530}, header: "Cf-Ray", signal: SignalProxyError},
	{product: "Cloudflare", source: "developers.cloudflare.com/support/troubleshooting/http-status-codes/cloudflare-5xx-errors/ (502/504 pages served by Cloudflare itself)",
		statuses: []int{502, 504}, header: "Cf-Ray", body: []string{"cloudflare"}, signal: SignalProxyError},
	{product: "Heroku", source: "devcenter.heroku.com/articles/error-pages: the router's Application Error page (H10, H12, H13...) frames herokucdn.com/error-pages/application-error.html",
		statuses: []int{500, 502, 503, 504}, body: []string{"herokucdn.com/error-pages/application-error.html"}, signal: SignalProxyError},
	{product: "AWS Application Load Balancer", source: "docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html (HTTP 502/504 generated by the load balancer, Server: awselb/2.0)",
		statuses: []int{502, 504}, header: "Server", headerHas: "awselb", signal: SignalProxyError},
	{product: "AWS Application Load Balancer", source: "docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-troubleshooting.html (HTTP 503: no registered targets)",
		statuses: []int{503}, header: "Server", headerHas: "awselb", body: []string{"503 Service Temporarily Unavailable"}, signal: SignalProxyError},
	{product: "Amazon CloudFront", source: "docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/http-502-bad-gateway.html (\"Generated by cloudfront (CloudFront)\")",
		statuses: []int{502, 503, 504}, body: []string{"Generated by cloudfront (CloudFront)"}, signal: SignalProxyError},
	{product: "Google Front End", source: "cloud.google.com/load-balancing/docs/https/troubleshooting-ext-https-lbs (GFE's 502 page: \"That’s an error\")",
		statuses: []int{502}, body: []string{"That’s an error.", "temporary error and could not complete your request"}, signal: SignalProxyError},
	{product: "Caddy", source: "caddyserver/caddy modules/caddyhttp/reverseproxy/reverseproxy.go statusError (502, timeouts 504) and modules/caddyhttp/server.go ServeHTTP (no error routes: the status alone, no body; Server: Caddy)",
		statuses: []int{502, 504}, header: "Server", headerHas: "caddy", emptyBody: true, signal: SignalProxyError},
	{product: "Traefik", source: "traefik/traefik pkg/proxy/httputil/proxy.go ErrorHandlerWithContext (writes the status text: \"Bad Gateway\", \"Gateway Timeout\")",
		statuses: []int{502}, bodyIs: "Bad Gateway", signal: SignalProxyError},
	{product: "Traefik", source: "traefik/traefik pkg/proxy/httputil/proxy.go ErrorHandlerWithContext",
		statuses: []int{504}, bodyIs: "Gateway Timeout", signal: SignalProxyError},
	{product: "Traefik", source: "traefik/traefik pkg/server/service/loadbalancer/hrw/hrw.go ServeHTTP (http.Error(w, \"no available server\", 503))",
		statuses: []int{503}, bodyIs: "no available server", signal: SignalProxyError},
	{product: "Kong", source: "Kong/kong kong/runloop/balancer/init.lua (\"failure to get a peer from the ring-balancer\", 503)",
		statuses: []int{503}, body: []string{"failure to get a peer from the ring-balancer"}, signal: SignalProxyError},
	{product: "Kong", source: "Kong/kong kong/error_handlers.lua BODIES[502]",
		statuses: []int{502}, body: []string{"An invalid response was received from the upstream server"}, signal: SignalProxyError},
	{product: "Kong", source: "Kong/kong kong/error_handlers.lua BODIES[503]",
		statuses: []int{503}, body: []string{"The upstream server is currently unavailable"}, signal: SignalProxyError},
	{product: "Kong", source: "Kong/kong kong/error_handlers.lua BODIES[504]",
		statuses: []int{504}, body: []string{"The upstream server is timing out"}, signal: SignalProxyError},

	{product: "Cloud Foundry gorouter", source: "cloudfoundry/gorouter handlers/lookup.go handleUnavailableRoute (503, X-Cf-RouterError: no_endpoints) and proxy/round_tripper/error_handler.go HandleError (502, endpoint_failure)",
		statuses: []int{502, 503, 504}, header: "X-Cf-Routererror", signal: SignalProxyError},
	{product: "Squid", source: "squid-cache/squid src/errorpage.cc ErrorState::BuildHttpReply (X-Squid-Error: ERR_... on every page Squid generates; 502 ERR_READ_ERROR, ERR_INVALID_RESP, 503 ERR_CONNECT_FAIL, 504 ERR_READ_TIMEOUT, captured live from Squid 5.7)",
		statuses: []int{502, 503, 504}, header: "X-Squid-Error", headerHas: "ERR_", signal: SignalProxyError},

	// ---- products' deliberate maintenance and read-only switches ----
	{product: "Nextcloud", source: "nextcloud/server lib/base.php OC::checkMaintenanceMode (503, X-Nextcloud-Maintenance-Mode: 1, Retry-After: 120); docs.nextcloud.com developer manual, \"Generic errors: Maintenance mode\"",
		statuses: []int{503}, header: "X-Nextcloud-Maintenance-Mode", headerHas: "1", signal: SignalVendorMaintenance},
	{product: "Nextcloud/ownCloud WebDAV", source: "nextcloud/server apps/dav: maintenance mode throws Sabre\\DAV\\Exception\\ServiceUnavailable \"System is in maintenance mode.\"",
		statuses: []int{503}, body: []string{`Sabre\DAV\Exception\ServiceUnavailable`, "maintenance mode"}, signal: SignalVendorMaintenance},
	// Discourse's read-only switch is also thrown by a database or Redis
	// failover, with the same answer: ambiguous, so the loud class wins.
	{product: "Discourse", source: "discourse/discourse lib/read_only_mixin.rb add_readonly_header (Discourse-Readonly: true while the site is read-only); app/controllers/application_controller.rb rescue_from PG::ReadOnlySqlTransaction and lib/discourse.rb received_postgres_readonly!/received_redis_readonly! (the same header and 503 after a database or Redis failover)",
		refusal: true, header: "Discourse-Readonly", headerHas: "true", signal: SignalVendorAmbiguous},
	{product: "Discourse", source: "discourse/discourse app/controllers/application_controller.rb rescue_from Discourse::ReadOnly and PG::ReadOnlySqlTransaction (render_json_error read_only_mode_enabled, type: :read_only, status: 503, for the switch and for a failover alike)",
		statuses: []int{503}, body: []string{`"error_type":"read_only"`}, signal: SignalVendorAmbiguous},
	{product: "crates.io", source: "rust-lang/crates.io src/util/errors.rs From<DieselError> (503 \"currently in read-only mode\" for any PostgreSQL read-only-transaction error) and src/config/database_pools.rs (READ_ONLY_MODE, planned; DB_OFFLINE=leader when the primary database is down): the same answer for both",
		statuses: []int{503}, body: []string{"crates.io is currently in read-only mode."}, signal: SignalVendorAmbiguous},
	{product: "WordPress", source: "WordPress/WordPress wp-includes/load.php wp_maintenance (.maintenance file: 503, Retry-After: 600)",
		statuses: []int{503}, body: []string{"Briefly unavailable for scheduled maintenance."}, signal: SignalVendorMaintenance},
	{product: "Heroku", source: "devcenter.heroku.com/articles/maintenance-mode and /articles/error-pages: maintenance mode frames herokucdn.com/error-pages/maintenance-mode.html",
		statuses: []int{503}, body: []string{"herokucdn.com/error-pages/maintenance-mode.html"}, signal: SignalVendorMaintenance},
	{product: "Drupal", source: "drupal/drupal core/lib/Drupal/Core/EventSubscriber/MaintenanceModeSubscriber.php (503 \"Site under maintenance\") and FinishResponseSubscriber.php (X-Generator)",
		statuses: []int{503}, header: "X-Generator", headerHas: "Drupal", body: []string{"Site under maintenance"}, signal: SignalVendorMaintenance},
	{product: "Drupal", source: "drupal/drupal core/lib/Drupal/Core/EventSubscriber/MaintenanceModeSubscriber.php; the Generator meta tag of html.html.twig",
		statuses: []int{503}, body: []string{`content="Drupal`, "Site under maintenance"}, signal: SignalVendorMaintenance},
	{product: "Magento", source: "magento/magento2 lib/internal/Magento/Framework/Error/Processor.php process503 and pub/errors/default/page.phtml (served for var/.maintenance.flag; its text is the stock 503 description)",
		statuses: []int{503}, body: []string{"<title>Error 503: Service Unavailable</title>", "/errors/default/"}, signal: SignalVendorMaintenance},
	{product: "Joomla", source: "joomla/joomla-cms libraries/src/Application/SiteApplication.php render (the offline page, status 503, with its login form) and templates/cassiopeia/offline.php",
		statuses: []int{503}, body: []string{`content="Joomla!`, `id="form-login"`}, signal: SignalVendorMaintenance},
	{product: "Quay", source: "quay/quay endpoints/decorators.py check_readonly (REGISTRY_STATE: readonly), endpoints/decorated.py handle_readonly (API: 503) and endpoints/v2/errors.py ReadOnlyMode (registry: 405 DENIED, \"is_readonly\": true); data/readreplica.py raises it only while configured read-only",
		statuses: []int{405, 503}, body: []string{"System is currently read-only. Pulls will succeed but all write operations are currently suspended."}, signal: SignalVendorMaintenance},
	{product: "Matomo", source: "matomo-org/matomo core/FrontController.php handleMaintenanceMode (maintenance_mode = 1: 503, no Retry-After) and plugins/Morpheus/templates/maintenance.tpl",
		statuses: []int{503}, body: []string{"<title>Matomo is undergoing maintenance</title>"}, signal: SignalVendorMaintenance},
	{product: "Jenkins", source: "jenkinsci/jenkins core/src/main/resources/hudson/util/HudsonIsRestarting/index.jelly (503, set only by Jenkins.restart, safeRestart and doRestart: a restart someone asked for; the start-up page says \"getting ready to work\")",
		statuses: []int{503}, body: []string{"Please wait while Jenkins is restarting"}, signal: SignalVendorMaintenance},
	{product: "MediaWiki", source: "wikimedia/mediawiki includes/api/ApiMain.php handleException (MediaWiki-API-Error header, sent with 200 unless the error carries a status) and ApiBase.php dieReadOnly (code \"readonly\" while $wgReadOnly is set)",
		anyStatus: true, header: "Mediawiki-Api-Error", headerHas: "readonly", signal: SignalVendorMaintenance},

	// ---- products' own "slow down" with a 5xx status ----
	{product: "Amazon S3", source: "docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html (SlowDown, 503: \"Please reduce your request rate.\")",
		statuses: []int{503}, body: []string{"<Code>SlowDown</Code>"}, signal: SignalVendorThrottle},
	{product: "Azure Storage", source: "learn.microsoft.com/en-us/rest/api/storageservices/common-rest-api-error-codes (ServerBusy, 503: over the account's request, ingress or egress limit); apache/hadoop hadoop-azure AzureServiceErrorCode (server throttling)",
		statuses: []int{503}, header: "X-Ms-Error-Code", headerHas: "ServerBusy", signal: SignalVendorThrottle},
	{product: "SharePoint", source: "learn.microsoft.com/sharepoint/dev/general-development/how-to-avoid-getting-throttled-or-blocked-in-sharepoint-online (applications are throttled with 429 or 503 \"Server Too Busy\", both with Retry-After, which reaches minutes); MS-CSOM X-SharePointHealthScore header (msdn jj162162: the server's load, 0 to 10, sent while it throttles)",
		statuses: []int{503}, header: "X-Sharepointhealthscore", signal: SignalVendorThrottle},
	{product: "MediaWiki", source: "wikimedia/mediawiki includes/api/ApiMain.php checkMaxLag (error \"maxlag\" with Retry-After, sent with 200: the client's maxlag asked it to back off)",
		anyStatus: true, header: "Mediawiki-Api-Error", headerHas: "maxlag", signal: SignalVendorThrottle},
	{product: "MediaWiki", source: "wikimedia/mediawiki includes/api/ApiBase.php (User::pingLimiter exceeded: error \"ratelimited\", apierror-ratelimited \"You've exceeded your rate limit\", sent with the MediaWiki-API-Error header)",
		anyStatus: true, header: "Mediawiki-Api-Error", headerHas: "ratelimited", signal: SignalVendorThrottle},

	{product: "Vercel", source: "vercel.com/docs/errors (FUNCTION_THROTTLED, 503: too many concurrent invocations of a function; Vercel names its own errors in the X-Vercel-Error header)",
		statuses: []int{503}, header: "X-Vercel-Error", headerHas: "FUNCTION_THROTTLED", signal: SignalVendorThrottle},

	// ---- products' own reports that they failed ----
	{product: "ClickHouse", source: "ClickHouse/ClickHouse src/Server/HTTP/sendExceptionToHTTPClient.cpp and exceptionCodeToHTTPStatus.cpp (every exception: X-ClickHouse-Exception-Code, a 5xx unless it is the caller's mistake)",
		statuses: []int{500, 501, 503}, header: "X-Clickhouse-Exception-Code", signal: SignalVendorFault},
	{product: "MediaWiki", source: "wikimedia/mediawiki includes/libs/rdbms/loadbalancer/LoadBalancer.php (writes locked automatically while replicas lag or are unreachable: \"The database is read-only until replica...\")",
		anyStatus: true, header: "Mediawiki-Api-Error", headerHas: "readonly", body: []string{"read-only until replica"}, signal: SignalVendorFault},
	{product: "MediaWiki", source: "wikimedia/mediawiki includes/libs/rdbms/loadbalancer/LoadBalancer.php (\"The database is read-only until replication lag decreases.\")",
		anyStatus: true, header: "Mediawiki-Api-Error", headerHas: "readonly", body: []string{"read-only until replication lag"}, signal: SignalVendorFault},
	{product: "MinIO", source: "minio/minio cmd/api-errors.go (XMinioReadQuorum, XMinioWriteQuorum, XMinioServerNotInitialized, XMinioStorageFull: drives or nodes down, disk full) and cmd/api-response.go writeErrorResponse (Retry-After: 120 on the quorum errors: a fault, not a window)",
		statuses: []int{500, 503}, body: []string{"<Code>XMinio"}, signal: SignalVendorFault},
	{product: "MinIO", source: "minio/minio cmd/api-errors.go toAPIErrorCode (lost read or write quorum: SlowDownRead, SlowDownWrite, 503) and cmd/api-response.go writeErrorResponse (Retry-After: 60 on every 503)",
		statuses: []int{503}, body: []string{"<Code>SlowDownRead</Code>"}, signal: SignalVendorFault},
	{product: "MinIO", source: "minio/minio cmd/api-errors.go toAPIErrorCode (lost read or write quorum: SlowDownRead, SlowDownWrite, 503) and cmd/api-response.go writeErrorResponse (Retry-After: 60 on every 503)",
		statuses: []int{503}, body: []string{"<Code>SlowDownWrite</Code>"}, signal: SignalVendorFault},
	{product: "MinIO", source: "minio/minio cmd/api-response.go writeErrorResponse (Server: MinIO; every 503 gets Retry-After: 60 since Aug 2024, 120 on SlowDown before: lost drives, lock timeouts, a server not yet initialised; MinIO throttles with 429). Before June 2023 lost quorum was \"SlowDown\" (1443b5927)",
		statuses: []int{503}, header: "Server", headerHas: "MinIO", body: []string{"<Error><Code>"}, signal: SignalVendorFault},
	{product: "Elasticsearch", source: "elastic/elasticsearch server/src/main/java/org/elasticsearch/cluster/metadata/IndexMetadata.java INDEX_READ_ONLY_ALLOW_DELETE_BLOCK (the disk passed the flood stage: every write refused, 429)",
		statuses: []int{403, 429}, body: []string{"flood-stage watermark"}, signal: SignalVendorFault},
}

// matchFingerprints returns the evidence of every row that matches a
// response. body is the decoded body prefix; read reports whether a body
// was read at all.
func matchFingerprints(status int, h http.Header, body []byte, read bool) []Evidence {
	var out []Evidence
	for i := range fingerprints {
		f := &fingerprints[i]
		if len(f.statuses) > 0 && !slices.Contains(f.statuses, status) {
			continue
		}
		if len(f.statuses) == 0 && status < 400 && !f.anyStatus {
			continue
		}
		if f.header != "" {
			vs := headerValues(h, f.header)
			if len(vs) == 0 || (f.headerHas != "" && !containsFold(strings.Join(vs, ","), f.headerHas)) {
				continue
			}
		}
		if f.refusal && !refusal(status) {
			continue
		}
		if f.emptyBody && (!read || len(bytes.TrimSpace(body)) > 0) {
			continue
		}
		if f.bodyIs != "" && string(bytes.TrimSpace(body)) != f.bodyIs {
			continue
		}
		matched := true
		for _, s := range f.body {
			if !bytes.Contains(body, []byte(s)) {
				matched = false
				break
			}
		}
		if !matched {
			continue
		}
		strength := Explicit
		if f.signal == SignalVendorAmbiguous {
			strength = Implied
		}
		out = append(out, Evidence{Source: SourceResponse, Signal: f.signal, Value: f.product, Strength: strength, Indicates: f.indicates()})
	}
	return out
}

// anyStatusHeader reports whether h holds the header of a row that
// applies to any status, so that a 2xx without one costs a map lookup.
func anyStatusHeader(h http.Header) bool {
	for i := range fingerprints {
		if f := &fingerprints[i]; f.anyStatus && len(headerValues(h, f.header)) > 0 {
			return true
		}
	}
	return false
}
