// Package probe consults the out-of-band sources that tell a stopped
// service's maintenance from a crash: the well-known probe URL, a health
// endpoint and a status page. When the application is down, only these
// may know why. Each source yields [classify.Evidence]; combine it with the
// service's own answer using [classify.Combine]:
//
//	p := probe.New(probe.Config{HealthURL: "/health", StatusPageURL: "https://status.example.com"})
//	v := classify.Combine(classify.Response(resp, now, nil), now, p.Check(ctx, target)...)
//
// The parsers [ParseProbe], [ParseHealth] and [ParseStatusPage] are pure;
// [Prober] adds the I/O, bounded and cached. Only package classify and the
// standard library are imported.
//
// # Sources
//
// The well-known probe is GET {origin}/down-for-maintenance (see
// [Config.ProbePath]). A 200 is explicit maintenance when it is a probe
// answer: an empty body, a short text, JSON (an optional object
// {"until": ..., "message": ...} gives the expected end and a message),
// or an HTML page whose text mentions maintenance. A site that answers
// 200 to every path says nothing: after a 200 the Prober sends one
// control request to a made-up path beside the probe's, and when that is
// answered 200 too (the same type, or the same body) the evidence says
// "catch-all" with strength None; so does an HTML page without
// maintenance words (a single-page app's index.html), and a control
// request that gets no answer leaves the probe unconfirmed. A 404 means
// "not announced" and anything else "no information", both strength
// [classify.None]. A 200 reached through a same-origin redirect counts only
// when it was served at the probe path itself: applications that send
// unknown paths to a login page must not look as if in maintenance.
//
// A health endpoint ([Config.HealthURL]) is read as Spring Boot actuator
// (UP, DOWN, OUT_OF_SERVICE, UNKNOWN), IETF health+json (pass, warn, fail
// and the aliases ok, up, error, down), djblets-style
// {"status","checks","errors"} or Kubernetes' /healthz, /livez and /readyz
// text. OUT_OF_SERVICE (or a plain "maintenance") is explicit maintenance;
// DOWN and fail are implied malfunction (implied: a failing dependency is
// not an explicit report of a crash); UP, pass and warn say nothing
// against the service. A 401, 403 or 407 from a restricted endpoint is "no
// information", never an outage; so is any answer but a 2xx or 5xx, and
// any body of another shape.
//
// A status page ([Config.StatusPageURL]) may be Atlassian Statuspage v2,
// Cachet v3 or Instatus; see [ParseStatusPage] for what each says. A page
// URL gets the kind's API path appended: /api/v2/summary.json for
// Statuspage (and when the kind is not named), /summary.json for Instatus,
// /api/status and /api/schedules for Cachet (plus /api/components when
// components are selected). A URL whose path ends in ".json", or names a
// Cachet API endpoint, is used as it is. The kind is detected from the
// document when [Config.StatusPageKind] is empty. Cachet lists are asked
// for 100 items a page and only the first page is read.
//
// What a status page says, decided:
//
//   - a maintenance in progress (Statuspage in_progress or verifying,
//     Cachet in progress, Instatus INPROGRESS) and a component under
//     maintenance are explicit maintenance, with the window's start and
//     end as Start and Until;
//   - a maintenance still marked scheduled whose window has begun and not
//     ended is implied maintenance ("maintenance-window"): the page
//     announced it, but nobody confirmed it started;
//   - an unresolved incident is explicit malfunction, even while the page
//     says maintenance, so that [classify.Combine] reports the incident;
//     one with impact "none" is reported with strength None: the page's
//     operator says it does not touch the service;
//     components in partial or major outage, and page-wide outages, are
//     implied malfunction;
//   - a maintenance that starts after now is reported with strength None
//     as "upcoming-maintenance", with Start and Until, for callers that
//     avoid starting work shortly before a window;
//   - completed maintenances, resolved incidents and degraded components
//     add nothing; a page with nothing to say gives one None piece of
//     evidence, "nothing to report", so the record shows it was read.
//
// # Component filter
//
// A shared status page can be narrowed to the service's own components
// ([Config.Components]; names and ids compare case-insensitively).
// Selecting a Statuspage component group selects its members. With a
// selection:
//
//   - only selected components count (under maintenance, or in outage);
//   - an incident or maintenance counts when it names a selected
//     component, or when it names no component at all: an announcement
//     not narrowed by the page's operator concerns the whole page; a
//     maintenance in progress that names no component is then only
//     implied, so that the selected component's own outage outranks it;
//   - page-wide statuses (Statuspage's indicator, Cachet's system status,
//     Instatus' page status) do not count, since they sum up every
//     component; they are still reported, with strength None;
//   - a selected name the page does not list is reported
//     ("component-filter", strength None), as it is probably a typo.
//
// # Times
//
// Times are read in every form these systems use: RFC 3339 with Z or a
// local offset (Statuspage writes "2026-11-23T02:00:00.000-06:00"),
// zone-less ISO 8601 and SQL forms ("2026-11-23 08:00:00", Cachet's), the
// HTTP date forms, JavaScript's Date.toString ("Mon Nov 23 2026 10:00:00
// GMT+0000 (Coordinated Universal Time)", Instatus'), and numbers of
// seconds or milliseconds since the epoch (1e11 and above are
// milliseconds). A time without a zone is taken as UTC: that is Cachet's
// default application time zone, and no page says otherwise in the
// document itself. Times before 1970 or after 9999 are ignored.
//
// # Caching and sharing
//
// Each source's answer is cached per source and URL for [Config.CacheFor]
// (5s by default), and callers that arrive while a request is in flight
// wait for that request rather than sending their own: a thousand
// goroutines checking during one window cost one request per source. The
// request runs detached from the first caller's context, with its own
// [Config.Timeout], so one caller giving up does not fail the others; each
// caller still stops waiting when its own context ends. When every waiting
// caller has given up, the request is cancelled and nothing is cached.
// With a negative CacheFor nothing is cached, but concurrent callers still
// share the request in flight.
//
// # Bounds and safety
//
// Every request is bounded by [Config.Timeout] (5s), body included, and
// reads at most [Config.BodyLimit] (1 MiB); a longer body is evidence of
// nothing. At most [MaxRedirects] redirects are followed. For the probe and
// the health endpoint they must stay on the origin (scheme, host and port)
// first requested: a redirect elsewhere is not followed and gives "redirect
// to another origin not followed" (so http://host/ redirecting to
// https://host/ is not followed either: configure the https URL). So do
// those of a status page given as a path on the service's origin: a
// hostile service must not send downfor to another host. A status page
// named as an absolute URL may redirect to another host, as hosted pages
// do. No redirect is followed from https to http. [Config.Header] is sent
// only to the service's own origin (but a User-Agent in it, which goes
// everywhere), and it, Authorization, Cookie and Referer are removed from
// any redirect leaving it; a status page on another host gets no Header at
// all. Response headers are capped at 64 KiB (on an *http.Transport). A
// body the transport left gzip-encoded (a Header that sets
// Accept-Encoding) is decoded, to 1 MiB at most, and a UTF-8 byte order
// mark skipped. Text copied from a body into evidence is cut to a few
// hundred bytes and stripped of control characters. Nothing here panics
// on any input (the parsers are fuzzed), and a broken, slow or hostile
// source only ever yields evidence of strength None saying why.
package probe
