// Package testserver is downfor's mock service: an HTTP server that plays,
// faithfully, the ways real services answer when they are down for
// maintenance, throttling, broken, or unreachable, so that a client can be
// tested against every one of them. It imports only the standard library:
// it is the server side and shares none of the client's assumptions.
//
// # Starting one
//
// [New] starts a server on a free port of 127.0.0.1 in one mode; [Start]
// takes a [Config] (a timeline, HTTPS with a self-signed certificate,
// shorter Retry-After values for fast tests, a health allow-list);
// [StartInMemory] opens no socket at all, for tests inside a
// testing/synctest bubble, driven through [Server.Handler] or
// [Server.InMemoryTransport]. "downfor serve" runs the same server
// standalone.
//
//	s, err := testserver.New("django")
//	if err != nil { ... }
//	defer s.Close()
//	resp, err := s.Client().Get(s.URL + "/api/orders") // 503, Retry-After: 3600
//
// # What every mode serves
//
// Besides its pages (any other path), every mode answers on the same origin:
//
//   - the well-known probe [ProbePath] (/down-for-maintenance): 200 with
//     {"until": RFC 3339, "message": ...} where the mode announces its
//     maintenance through it (probe-only, app-stopped), 404 otherwise, save
//     where the table says differently;
//   - the health endpoint [HealthPath] (/health), as the mode's real system
//     would: Spring Boot actuator {"status":"UP"} where the app is up, the
//     mode's own answer where a maintenance switch or a proxy stands in
//     front of everything; [Config.HealthAllow] limits it to some client
//     addresses and answers 403 to the others;
//   - a Statuspage v2 page under /api/v2/ ([StatusPagePath] summary.json,
//     status.json, components.json, incidents.json,
//     incidents/unresolved.json, scheduled-maintenances.json,
//     scheduled-maintenances/active.json and upcoming.json), with two
//     components by default, "API" (the service) and "Website". It stands
//     for a separate host, so it answers in every mode, even the network
//     ones.
//
// The network modes (reset, hang, garbage) take the whole origin down:
// pages, probe and health. The control API is never affected.
//
// # Modes
//
// [Modes] lists them with the class a correct client gives each; "downfor
// serve --list" prints the same table. Confidence is the strength of the
// evidence that decides the class.
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
//
// [Config.RetryAfter] replaces every Retry-After a mode sends, except in the
// hostile retry-after-* modes, and the length of an announced maintenance,
// so that a test can play a three-second window.
//
// # Timelines
//
// A timeline plays modes one after another: [ParseTimeline] reads
// "ok:2s,django:5s,ok" or "ok 2s, retry-after-seconds 5s, ok";
// [Server.SetTimeline] starts one; [Server.SetMode] replaces it with one
// mode. Time is read with time.Now, so inside a testing/synctest bubble the
// fake clock drives it. The last step's mode stays. An announced
// maintenance (the probe's "until", the status page's "scheduled_until")
// ends when its step ends, or [Config.RetryAfter] (else [DefaultWindow])
// after the step began when the step has no end.
//
// # The request log
//
// Every request but those to the control API is recorded (time, method,
// path, query, the mode that served it, client address, header); read it
// with [Server.Requests], empty it with [Server.ResetRequests]. It keeps
// the last 100,000, and at most 64 MiB of them; each entry keeps at most
// 4 KiB of header (see [Request.HeaderTruncated]). A listening server
// refuses headers past 64 KiB (431) and bounds how long a client may take
// to send its request and how long an idle connection stays open.
//
// # The control API
//
// Under [ControlPrefix] (/_downfor/), routed before the mode so that it
// works in every mode, guarded by "Authorization: Bearer TOKEN"
// ([Config.Token], or a random one in [Server.Token]; compared in constant
// time; 401 with WWW-Authenticate: Bearer otherwise):
//
//	GET                      /_downfor/mode                                                {"mode","class","timeline","since"}
//	POST                     /_downfor/mode?name=NAME                                      switch mode; 400 listing the valid names if unknown
//	POST                     /_downfor/mode?timeline=SPEC                                  play a timeline from now
//	GET                      /_downfor/modes                                               every mode, as JSON
//	GET                      /_downfor/requests                                            [{"time","method","path","query","mode","remote_addr"}]
//	DELETE /_downfor/requests             empty the log; 204
//
// # In memory
//
// [Server.Handler] is the whole server as an http.Handler. The network
// modes need to hijack the connection: through a ResponseWriter that cannot,
// hang blocks until the request's context ends and reset and garbage panic
// with http.ErrAbortHandler. [Server.InMemoryTransport] runs the handler
// behind an http.RoundTripper with a streamed body and turns those modes
// into errors shaped like real ones (ECONNRESET, a malformed response).
package testserver
