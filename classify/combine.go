package classify

import "time"

// Combine merges what the service itself answered (primary, from
// [Response] or [Error]) with evidence from out-of-band sources (the probe,
// a health endpoint, a status page). Precision first, in this order:
//
//   - an OK answer stays OK: the service works, whatever a status page says;
//   - explicit malfunction evidence (an error-report id, an unresolved
//     status-page incident that touches the service) makes the class
//     [Malfunction], beating any maintenance evidence, and a 429 too;
//   - otherwise explicit maintenance evidence from any source makes it
//     [Maintenance] even over a 502, 504, bare 503, client error, network
//     error or a proxy's own error page: that is how a stopped app is told
//     from a crashed one;
//   - otherwise a proxy's or platform's own error page ([SignalProxyError])
//     makes it [Malfunction];
//   - otherwise implied malfunction from another source (a failing health
//     endpoint, the selected component's outage) beats implied maintenance:
//     where the signals conflict, the loud class wins;
//   - otherwise implied maintenance makes it [Maintenance] (implied),
//     except over a 429, which stays [Throttled].
//
// Evidence with [None] strength (a probe's 404 or catch-all, a refused
// health check, a status-page incident with impact none) is kept for the
// record and changes nothing. All evidence is kept, in order. Maintenance
// evidence whose Start is after now (an upcoming window) is reported and
// argues for nothing yet. Until becomes the latest end announced by
// maintenance evidence that is in progress at now, and Message the first
// message of such evidence when the primary had none. Maintenance
// evidence whose announced end (Until) passed more than maxOverrun (an hour)
// before now is stale (a probe file or a status-page maintenance left
// behind): it is reported with strength [None] and argues for nothing.
//
// A 2xx or 3xx that the response's own evidence already turned into
// something else (a [Rule] matching the Cloud Foundry maintenance app's
// 200, the opt-in HTML rule) keeps that verdict, refined by the extra
// evidence like any other.
func Combine(primary Verdict, now time.Time, extra ...Evidence) Verdict {
	v := primary
	v.Evidence = make([]Evidence, 0, len(primary.Evidence)+len(extra))
	v.Evidence = append(append(v.Evidence, primary.Evidence...), extra...)
	if primary.Class == OK {
		return v
	}
	for i := len(primary.Evidence); i < len(v.Evidence); i++ {
		if e := &v.Evidence[i]; e.Indicates == Maintenance && e.Strength != None && ended(e.Until, now) {
			// A probe file or a status-page maintenance left behind after
			// its window: it must not silence an outage weeks later.
			e.Strength = None
			e.Value = abridge(e.Value + " (window ended " + e.Until.UTC().Format(time.RFC3339) + ": stale, not evidence)")
		}
	}
	base := statusClass(primary.Status)
	if primary.Status == 0 {
		base = Network
	}
	// An OK status whose verdict is not OK was overturned in-band: decide
	// must not reset it to OK.
	v.Class, v.Confidence = decide(base, base == OK, v.Evidence, now)
	if v.Class != Maintenance {
		return v
	}
	for _, e := range extra {
		if e.Indicates != Maintenance || e.Strength == None {
			continue
		}
		if !e.Start.IsZero() && e.Start.After(now) {
			continue
		}
		if e.Until.After(v.Until) {
			v.Until = e.Until
		}
		if v.Message == "" && e.Message != "" {
			v.Message = e.Message
		}
	}
	return v
}

// maxOverrun is how long after the end it announced a maintenance
// window still counts: maintenance often overruns a little, but a probe
// file or a status-page maintenance left behind after its window is
// stale and must not silence a real outage.
const maxOverrun = time.Hour

// ended reports whether an announced window's end passed more than
// maxOverrun (an hour) before now.
func ended(until, now time.Time) bool {
	return !until.IsZero() && now.Sub(until) > maxOverrun
}

// Strict returns the verdict a strict caller sees: implied maintenance is
// not trusted and falls back to the class of the status alone (a 503 with
// Retry-After becomes [Malfunction], GitLab's read-only 403 becomes
// [ClientError]). Other verdicts are returned unchanged.
func (v Verdict) Strict() Verdict {
	if v.Class != Maintenance || v.Confidence != Implied {
		return v
	}
	v.Class = statusClass(v.Status)
	if v.Status == 0 {
		v.Class = Network
	}
	v.Confidence = None
	return v
}
