// Package testserver is a mock service for tests: an HTTP server that
// answers the way real services do when they are down for maintenance,
// throttling, broken or unreachable, one mode at a time. It imports only
// the standard library: it is the server side and shares none of the
// client's assumptions.
//
//	s, err := testserver.New("django") // django-maintenance-mode: 503, Retry-After: 3600
//	if err != nil { ... }
//	defer s.Close()
//	// Point the code under test at s.URL, then read s.Requests().
//
// [Start] takes a [Config]: a [Timeline] of modes, HTTPS, short Retry-After
// values for fast tests. [StartInMemory] opens no socket, for tests inside
// a testing/synctest bubble. [Server.SetMode] switches a running server.
// Besides its pages, every mode answers the well-known probe, a health
// endpoint and a status page on the same origin (see [ProbePath]). "downfor
// serve" runs the same server standalone, switched through its control API
// (see [Server.Handler]).
//
// # Modes
//
// [Modes] lists them with the class a correct client gives each (and the
// strength of the evidence that decides it); "downfor serve --list" prints
// the same table.
//
//	name                     serves                                                        class (confidence)
//	ok                       200 JSON {"ok":true,...}; probe 404; health UP                ok
//	retry-after-seconds      503 text, Retry-After: 120                                    maintenance (implied)
//	retry-after-date         503 text, Retry-After: IMF-fixdate now+120s                   maintenance (implied)
//	django                   django-maintenance-mode: 503, Retry-After: 3600,              maintenance (implied)
//	                         never-cache headers, HTML; {} for JSON requests
//	laravel                  artisan down --retry=60 --refresh=15: 503, Retry-After: 60,   maintenance (implied)
//	                         Refresh: 15, {"message":"Service Unavailable"} for JSON
//	turnout                  Rails turnout: 503, Retry-After: 7200, JSON "...down for      maintenance (implied)
//	                         maintenance..." for JSON requests, HTML otherwise
//	osf                      503 {"meta":{"maintenance_mode":true,...}}, no Retry-After    maintenance (explicit)
//	notify                   GOV.UK Notify: 503 PlannedMaintenanceError                    maintenance (explicit)
//	probe-only               pages bare 503; probe 200                                     maintenance (explicit)
//	app-stopped              nginx 502 page everywhere; probe 200                          maintenance (explicit)
//	cf-static                / 200 "Sorry, in maintenance mode"; every other path 404      client_error
//	cf-json-200              200, StatusHeader: Status: maintenance window,                ok (custom rule: maintenance)
//	                         {"response":...,"status":503,"type":"Exception"}
//	spring-out-of-service    pages 503 (Spring error); /health OUT_OF_SERVICE 503          maintenance (explicit)
//	statuspage-maintenance   pages bare 503; status page: maintenance in progress          maintenance (explicit)
//	gitlab-read-only         reads 200; writes 403 "...read-only instance"                 ok; writes maintenance (implied)
//	throttled                429 problem+json, Retry-After: 30, RateLimit-*                throttled
//	throttled-bare           nginx 429 page, no Retry-After                                throttled
//	error-500                500 JSON {"error":"internal server error",...}                malfunction
//	haproxy-no-backend       HAProxy's stock 503 "No server is available..."               malfunction
//	bad-gateway              nginx 502 page; probe 404                                     malfunction
//	gateway-timeout          nginx 504 page; probe 404                                     malfunction
//	launchpad-timeout        503, Retry-After: 900, X-Lazr-OopsId: OOPS-...                malfunction (explicit)
//	health-down              pages 500 (Spring error); /health DOWN 503                    malfunction
//	health-fail              pages bare 503; /health application/health+json fail 503      malfunction
//	statuspage-incident      pages bare 503; status page: unresolved major incident        malfunction
//	reset                    connection reset (RST) after the request                      network
//	hang                     accepts, never answers                                        network
//	slow-body                200 at once, then one byte a second                           network
//	garbage                  an SSH banner instead of HTTP, then close                     network
//	retry-after-huge         503, Retry-After: 99999999999                                 maintenance (implied): skip
//	retry-after-far-future   503, Retry-After: a date in 2999                              maintenance (implied): skip
//	retry-after-past         503, Retry-After: a date an hour ago                          malfunction (a wait of 0 is no window)
//	retry-after-negative     503, Retry-After: -5                                          malfunction (header invalid)
//	retry-after-garbage      503, Retry-After: 1m0s / 120junk / 0.5 in turn (?v=0..2)      malfunction (header invalid)
//	huge-body                503 JSON with a 10 GiB body, generated on the fly             malfunction
//	probe-redirect-offsite   pages bare 503; probe 302 to another origin                   malfunction
//	redirect-loop            every page 302 to itself                                      malfunction
//	catch-all                SPA: 200 index.html everywhere (probe too); /api/... 502      malfunction (the probe is a catch-all)
//	retry-after-short        503, Retry-After: 5                                           malfunction (a retry hint, not a window)
//	stock-503-json           503 JSON with the stock "maintenance downtime or capacity"    malfunction
//	vendor-maintenance-header Nextcloud: 503, X-Nextcloud-Maintenance-Mode: 1              maintenance (explicit)
//	wordpress-maintenance    WordPress .maintenance: 503, Retry-After: 600, wp_die page    maintenance (explicit)
//	proxy-synthetic          Envoy: 503 "upstream connect error...", server: envoy         malfunction (explicit)
//	varnish-backend-fail     Varnish "Backend fetch failed" page, Retry-After: 5           malfunction (explicit)
//	statuspage-unrelated-incident OSF 503 flag; page: an impact-none incident elsewhere maintenance (explicit)
//	retry-after-health-down  503 + Retry-After: 600; /health DOWN                           malfunction (with --health)
//	probe-hang               pages bare 503; probe accepts and never answers               malfunction
//
// Where the class depends on a source the client must consult (the probe,
// the health endpoint, the status page) without it the answer is
// malfunction; [Mode.Note] says so.
package testserver
