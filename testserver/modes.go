package testserver

import (
	"fmt"
	"strings"
)

// Classes a correct client gives a mode, as [Mode.Class] spells them. They are
// the class names of downfor's contract; testserver repeats them as plain
// strings because it imports nothing of downfor's.
const (
	classOK          = "ok"
	classClientError = "client_error"
	classThrottled   = "throttled"
	classMaintenance = "maintenance"
	classMalfunction = "malfunction"
	classNetwork     = "network"
)

// Strengths of the evidence behind a class, as [Mode.Confidence] spells them.
const (
	explicit = "explicit" // the server said so in words or flags
	implied  = "implied"  // only the shape of the answer says so
)

// Mode describes one behaviour of the server: its stable name, the class a
// correct client must give it, and what it serves. [Modes] lists them all.
type Mode struct {
	// Name is the stable name given to [New], [Server.SetMode], timelines and
	// "downfor serve --mode".
	Name string `json:"name"`
	// Class is the class a correct client with default settings gives the
	// mode's pages: "ok", "client_error", "throttled", "maintenance",
	// "malfunction" or "network".
	Class string `json:"class"`
	// Confidence is the strength of the evidence that decides Class:
	// "explicit", "implied", or "" when the status code alone decides.
	Confidence string `json:"confidence,omitempty"`
	// Description says what the mode serves, on one line.
	Description string `json:"description"`
	// Note qualifies Class when it depends on what the client consults or
	// on the request ("" when it does not).
	Note string `json:"note,omitempty"`
}

// probeKind is how a mode answers the well-known probe.
type probeKind uint8

const (
	probeNotFound probeKind = iota // 404: not announced
	probeUp                        // 200 with {"until","message"}: maintenance announced
	probePage                      // the mode's page handler answers it like any path
	probeOffsite                   // 302 to another origin
	probeHang                      // accepts and never answers
)

// healthKind is how a mode answers /health.
type healthKind uint8

const (
	healthUp           healthKind = iota // Spring actuator {"status":"UP"}
	healthPage                           // the mode's page handler answers it like any path
	healthOutOfService                   // Spring OUT_OF_SERVICE, 503
	healthDown                           // Spring DOWN with components, 503
	healthFail                           // IETF health+json "fail", 503
	healthGitLab                         // GitLab readiness {"status":"ok"}
)

// statusKind is what the mode's Statuspage v2 page shows.
type statusKind uint8

const (
	statusOperational   statusKind = iota
	statusMaintenance              // a scheduled maintenance in progress
	statusIncident                 // an unresolved major incident
	statusOtherIncident            // an unresolved incident of impact none on another component
)

// netKind is a connection-level failure that takes the whole origin down
// (pages, probe and health; never the control API or the status page).
type netKind uint8

const (
	netNone    netKind = iota
	netReset           // RST after reading the request
	netHang            // hold the connection, never answer
	netGarbage         // bytes that are not HTTP, then close
)

// modeDef is a [Mode] with the behaviour behind it.
type modeDef struct {
	Mode
	page   pageFunc
	probe  probeKind
	health healthKind
	status statusKind
	net    netKind
	nginx  bool // an nginx front answers what the app does not (404 pages in its style)
}

// modeTable is the fixed table behind [Modes]; it is never modified.
var modeTable = []modeDef{
	{Mode: Mode{Name: "ok", Class: classOK,
		Description: `200 JSON {"ok":true}; probe 404; health UP`},
		page: pageOK},
	{Mode: Mode{Name: "retry-after-seconds", Class: classMaintenance, Confidence: implied,
		Description: `503 text "down for maintenance" with Retry-After: 120 (delta-seconds)`},
		page: pageRetryAfterSeconds, health: healthPage},
	{Mode: Mode{Name: "retry-after-date", Class: classMaintenance, Confidence: implied,
		Description: `503 text "down for maintenance" with Retry-After as an IMF-fixdate 120 s ahead`},
		page: pageRetryAfterDate, health: healthPage},
	{Mode: Mode{Name: "django", Class: classMaintenance, Confidence: implied,
		Description: "django-maintenance-mode: 503, Retry-After: 3600, never-cache headers, HTML page ({} for JSON requests)"},
		page: pageDjango, health: healthPage},
	{Mode: Mode{Name: "laravel", Class: classMaintenance, Confidence: implied,
		Description: `Laravel "artisan down --retry=60 --refresh=15": 503, Retry-After: 60, Refresh: 15, {"message":"Service Unavailable"} for JSON requests, HTML otherwise`},
		page: pageLaravel, health: healthPage},
	{Mode: Mode{Name: "turnout", Class: classMaintenance, Confidence: implied,
		Description: `Rails turnout: 503, Retry-After: 7200, {"error":"Service Unavailable","message":"...down for maintenance..."} for JSON requests, HTML otherwise`},
		page: pageTurnout, health: healthPage},
	{Mode: Mode{Name: "osf", Class: classMaintenance, Confidence: explicit,
		Description: `OSF API: 503 JSON {"meta":{"maintenance_mode":true,"status_page":...}}, no Retry-After`},
		page: pageOSF, health: healthPage},
	{Mode: Mode{Name: "notify", Class: classMaintenance, Confidence: explicit,
		Description: `GOV.UK Notify: 503 JSON {"status_code":503,"errors":[{"error":"PlannedMaintenanceError",...}]}`},
		page: pageNotify, health: healthPage},
	{Mode: Mode{Name: "probe-only", Class: classMaintenance, Confidence: explicit,
		Description: "the Launchpad proposal: pages 503 without Retry-After; probe /down-for-maintenance 200",
		Note:        "explicit only through the probe; without it, malfunction"},
		page: pageBare503, probe: probeUp, health: healthPage},
	{Mode: Mode{Name: "app-stopped", Class: classMaintenance, Confidence: explicit,
		Description: "the app is stopped behind nginx: nginx's 502 page everywhere; probe 200 (a flag file nginx serves)",
		Note:        "explicit only through the probe; without it, malfunction"},
		page: pageNginx502, probe: probeUp, health: healthPage, nginx: true},
	{Mode: Mode{Name: "cf-static", Class: classClientError,
		Description: `static maintenance page: / 200 HTML "Sorry, in maintenance mode", every other path 404 (probe and health too)`,
		Note:        "honestly ambiguous; maintenance only with the opt-in HTML rule, which reads /"},
		page: pageCFStatic, probe: probePage, health: healthPage, nginx: true},
	{Mode: Mode{Name: "cf-json-200", Class: classOK,
		Description: `Cloud Foundry maintenance app: 200, StatusHeader: Status: maintenance window, {"response":"...","status":503,"type":"Exception"}`,
		Note:        "maintenance only with a custom rule on the StatusHeader header"},
		page: pageCFJSON200, health: healthPage},
	{Mode: Mode{Name: "spring-out-of-service", Class: classMaintenance, Confidence: explicit,
		Description: `Spring Boot: pages 503; /health 503 {"status":"OUT_OF_SERVICE"} (application/vnd.spring-boot.actuator.v3+json)`,
		Note:        "explicit only through the health endpoint; without it, malfunction"},
		page: pageSpring503, health: healthOutOfService},
	{Mode: Mode{Name: "statuspage-maintenance", Class: classMaintenance, Confidence: explicit,
		Description: "pages bare 503; the Statuspage v2 page shows a scheduled maintenance in progress",
		Note:        "explicit only through the status page; without it, malfunction"},
		page: pageBare503, health: healthPage, status: statusMaintenance},
	{Mode: Mode{Name: "gitlab-read-only", Class: classOK,
		Description: `GitLab read-only: GET/HEAD 200 JSON; POST/PUT/PATCH/DELETE 403 {"message":"You cannot perform write operations on a read-only instance"}`,
		Note:        "ok for reads; maintenance (implied) for writes"},
		page: pageGitLabReadOnly, health: healthGitLab},
	{Mode: Mode{Name: "throttled", Class: classThrottled,
		Description: "429 problem+json with Retry-After: 30 and RateLimit-* headers"},
		page: pageThrottled},
	{Mode: Mode{Name: "throttled-bare", Class: classThrottled,
		Description: "nginx limit_req: 429 page without Retry-After"},
		page: pageThrottledBare, nginx: true},
	{Mode: Mode{Name: "error-500", Class: classMalfunction,
		Description: `500 JSON {"error":"internal server error",...}; health still UP`},
		page: pageError500},
	{Mode: Mode{Name: "haproxy-no-backend", Class: classMalfunction,
		Description: `HAProxy with every backend down: its stock 503 "No server is available to handle this request."`},
		page: pageHAProxy503, health: healthPage},
	{Mode: Mode{Name: "bad-gateway", Class: classMalfunction,
		Description: "nginx's stock 502 Bad Gateway page; probe 404"},
		page: pageNginx502, health: healthPage, nginx: true},
	{Mode: Mode{Name: "gateway-timeout", Class: classMalfunction,
		Description: "nginx's stock 504 Gateway Time-out page; probe 404"},
		page: pageNginx504, health: healthPage, nginx: true},
	{Mode: Mode{Name: "launchpad-timeout", Class: classMalfunction, Confidence: explicit,
		Description: "Launchpad request timeout: 503, Retry-After: 900, X-Lazr-OopsId: OOPS-<hex>",
		Note:        "the OOPS id is explicit malfunction evidence that beats the implied maintenance of 503 + Retry-After"},
		page: pageLaunchpadTimeout},
	{Mode: Mode{Name: "health-down", Class: classMalfunction,
		Description: `pages 500 (Spring error); /health 503 {"status":"DOWN","components":{...}}`},
		page: pageSpring500, health: healthDown},
	{Mode: Mode{Name: "health-fail", Class: classMalfunction,
		Description: `pages bare 503; /health 503 application/health+json {"status":"fail","checks":{...}}`},
		page: pageBare503, health: healthFail},
	{Mode: Mode{Name: "statuspage-incident", Class: classMalfunction,
		Description: "pages bare 503; the Statuspage v2 page shows an unresolved major incident"},
		page: pageBare503, health: healthPage, status: statusIncident},
	{Mode: Mode{Name: "reset", Class: classNetwork,
		Description: "every connection is reset (RST) after the request is read"},
		page: pageBare503, net: netReset},
	{Mode: Mode{Name: "hang", Class: classNetwork,
		Description: "accepts the request and never answers"},
		page: pageBare503, net: netHang},
	{Mode: Mode{Name: "slow-body", Class: classNetwork,
		Description: "200 headers at once, then a body that trickles one byte a second for an hour",
		Note:        "network once the client's timeout passes"},
		page: pageSlowBody},
	{Mode: Mode{Name: "garbage", Class: classNetwork,
		Description: "answers with bytes that are not HTTP (an SSH banner), then closes"},
		page: pageBare503, net: netGarbage},
	{Mode: Mode{Name: "retry-after-huge", Class: classMaintenance, Confidence: implied,
		Description: "503, Retry-After: 99999999999",
		Note:        "the wait overflows no integer and exceeds any maximum: skip"},
		page: pageRetryAfterHuge, health: healthPage},
	{Mode: Mode{Name: "retry-after-far-future", Class: classMaintenance, Confidence: implied,
		Description: "503, Retry-After an IMF-fixdate in the year 2999",
		Note:        "the wait exceeds any maximum: skip"},
		page: pageRetryAfterFarFuture, health: healthPage},
	{Mode: Mode{Name: "retry-after-past", Class: classMalfunction,
		Description: "503, Retry-After an IMF-fixdate an hour ago",
		Note:        "a wait of 0 is no window: a retry hint on a failure"},
		page: pageRetryAfterPast, health: healthPage},
	{Mode: Mode{Name: "retry-after-negative", Class: classMalfunction,
		Description: "503, Retry-After: -5",
		Note:        "the header is invalid and ignored"},
		page: pageRetryAfterNegative, health: healthPage},
	{Mode: Mode{Name: "retry-after-garbage", Class: classMalfunction,
		Description: "503, Retry-After taking turns through 1m0s, 120junk and 0.5 (?v=0..2 picks one)",
		Note:        "the header is invalid and ignored"},
		page: pageRetryAfterGarbage, health: healthPage},
	{Mode: Mode{Name: "huge-body", Class: classMalfunction,
		Description: "503 JSON whose body streams 10 GiB, generated on the fly",
		Note:        "memory must stay flat"},
		page: pageHugeBody},
	{Mode: Mode{Name: "probe-redirect-offsite", Class: classMalfunction,
		Description: "pages bare 503; the probe answers 302 to another origin",
		Note:        "the redirect must not be followed"},
		page: pageBare503, probe: probeOffsite, health: healthPage},
	{Mode: Mode{Name: "redirect-loop", Class: classMalfunction,
		Description: "every page answers 302 to itself",
		Note:        "after a bounded number of hops"},
		page: pageRedirectLoop, health: healthPage},
	{Mode: Mode{Name: "catch-all", Class: classMalfunction,
		Description: "a single-page app: every path answers 200 with index.html (the probe and made-up paths too); /api/... gets nginx's 502",
		Note:        "the probe's 200 is a catch-all (an HTML page without maintenance words; a made-up path answers the same) and says nothing"},
		page: pageCatchAll, probe: probePage, health: healthPage, nginx: true},
	{Mode: Mode{Name: "retry-after-short", Class: classMalfunction,
		Description: "a load shedder's 503 with Retry-After: 5",
		Note:        "a retry hint, not a window: maintenance needs 60 s or more"},
		page: pageRetryAfterShort, health: healthPage},
	{Mode: Mode{Name: "stock-503-json", Class: classMalfunction,
		Description: `503 JSON whose message is the stock "...due to maintenance downtime or capacity problems" of every 503`,
		Note:        "the stock description of 503 is never evidence"},
		page: pageStock503JSON, health: healthPage},
	{Mode: Mode{Name: "vendor-maintenance-header", Class: classMaintenance, Confidence: explicit,
		Description: "Nextcloud in maintenance mode: 503, X-Nextcloud-Maintenance-Mode: 1, Retry-After: 120; /remote.php/... Sabre's WebDAV XML error"},
		page: pageNextcloudMaintenance, health: healthPage},
	{Mode: Mode{Name: "wordpress-maintenance", Class: classMaintenance, Confidence: explicit,
		Description: `WordPress with a .maintenance file: 503, Retry-After: 600, "Briefly unavailable for scheduled maintenance."`},
		page: pageWordPress, health: healthPage},
	{Mode: Mode{Name: "proxy-synthetic", Class: classMalfunction, Confidence: explicit,
		Description: `Envoy with its upstream down: 503 text "upstream connect error or disconnect/reset before headers", server: envoy`,
		Note:        "the proxy's own error page is explicit malfunction evidence"},
		page: pageEnvoy, health: healthPage},
	{Mode: Mode{Name: "varnish-backend-fail", Class: classMalfunction, Confidence: explicit,
		Description: `Varnish's built-in "Backend fetch failed" / Guru Meditation page: 503, Retry-After: 5`,
		Note:        "the cache's own error page; its 5 s is a retry hint"},
		page: pageVarnish, health: healthPage},
	{Mode: Mode{Name: "statuspage-unrelated-incident", Class: classMaintenance, Confidence: explicit,
		Description: `OSF-style 503 {"meta":{"maintenance_mode":true}}; the Statuspage v2 page shows an unresolved incident of impact none on another component`,
		Note:        "the service's own explicit flag beats an incident that does not touch it"},
		page: pageOSF, health: healthPage, status: statusOtherIncident},
	{Mode: Mode{Name: "retry-after-health-down", Class: classMalfunction,
		Description: `503 "down for maintenance" with Retry-After: 600; /health 503 {"status":"DOWN",...}`,
		Note:        "implied maintenance in the page, but the health endpoint says the service failed: malfunction with --health"},
		page: pageRetryAfterLong, health: healthDown},
	{Mode: Mode{Name: "probe-hang", Class: classMalfunction,
		Description: "pages bare 503; the probe accepts and never answers",
		Note:        "within the probe's timeout"},
		page: pageBare503, probe: probeHang, health: healthPage},
}

// Modes returns every mode in a stable order. The slice is a copy; callers
// may modify it.
func Modes() []Mode {
	out := make([]Mode, len(modeTable))
	for i := range modeTable {
		out[i] = modeTable[i].Mode
	}
	return out
}

// ModeNames returns the name of every mode, in the order of [Modes].
func ModeNames() []string {
	out := make([]string, len(modeTable))
	for i := range modeTable {
		out[i] = modeTable[i].Name
	}
	return out
}

// lookupMode finds a mode by its exact name.
func lookupMode(name string) (*modeDef, error) {
	for i := range modeTable {
		if modeTable[i].Name == name {
			return &modeTable[i], nil
		}
	}
	return nil, &UnknownModeError{Name: name}
}

// UnknownModeError reports a mode name that [Modes] does not list. Its
// message lists the valid names. The functions that take a mode name return
// it wrapped; find it with errors.As.
type UnknownModeError struct {
	Name string
}

func (e *UnknownModeError) Error() string {
	return fmt.Sprintf("unknown mode %q; valid modes: %s", e.Name, strings.Join(ModeNames(), ", "))
}
