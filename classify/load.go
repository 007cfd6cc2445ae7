package classify

import "strings"

// load is what a 503's own words say about the server's load.
type load int

const (
	loadSilent   load = iota
	loadOverload      // "overloaded", "over capacity": busy for everyone
	loadThrottle      // "too busy", "rate limited", "slow down": the caller is held back
)

// throttleWords and overloadWords are read in a 503's reason phrase and
// error message. SharePoint throttles with "503 Server Too Busy" and a
// Retry-After of minutes (learn.microsoft.com, "Avoid getting throttled
// or blocked in SharePoint Online"), as ASP.NET does when its request
// queue is full; AI APIs answer "The model is overloaded" (Google's
// Gemini API, OpenAI's "That model is currently overloaded") or "Server
// overloaded, please retry shortly" (Ollama). A server that says it is
// busy is not in a maintenance window, whatever its Retry-After.
var (
	throttleWords = []string{"too busy", "server busy", "server is busy", "throttled", "throttling",
		"rate limit", "rate-limit", "ratelimited", "too many requests", "slow down"}
	overloadWords = []string{"overloaded", "overload", "over capacity", "out of capacity"}
)

// judgeLoad reads texts (a reason phrase, a message) for load words.
// Throttle words win over overload words.
func judgeLoad(texts ...string) (load, string) {
	got, said := loadSilent, ""
	for _, t := range texts {
		lower := strings.ToLower(strings.Join(strings.Fields(t), " "))
		if lower == "" {
			continue
		}
		for _, w := range throttleWords {
			if strings.Contains(lower, w) {
				return loadThrottle, t
			}
		}
		if got == loadSilent && !stockLoad(lower) {
			for _, w := range overloadWords {
				if strings.Contains(lower, w) {
					got, said = loadOverload, t
					break
				}
			}
		}
	}
	return got, said
}

// stockLoad reports the stock descriptions of 503 that hedge between
// overload and maintenance for every 503 (RFC 6749's
// temporarily_unavailable, Apache's page): they say nothing either way.
func stockLoad(lower string) bool {
	return strings.Contains(lower, "maint")
}

// discountWindow applies what a 503's own words say about its load: a
// server that says it is busy or overloaded is not in a maintenance
// window, so a Retry-After of a minute or more is a retry hint there,
// and a server that says it holds the caller back is throttling.
func (v *Verdict) discountWindow(reason string, d decoded) {
	texts := []string{reason, v.Message}
	if d.kind == kindText && plainText(d.text) {
		texts = append(texts, string(d.text))
	}
	kind, said := judgeLoad(texts...)
	if kind == loadSilent {
		return
	}
	said = abridge(strings.Join(strings.Fields(said), " "))
	for i := range v.Evidence {
		e := &v.Evidence[i]
		switch {
		case e.Signal == SignalStatus && e.Indicates == Maintenance:
			e.Indicates, e.Strength = Malfunction, Implied
		case e.Signal == SignalRetryAfter && e.Indicates == Maintenance:
			const busy = " (the server says it is busy: a retry hint, not a window)"
			e.Value = abridgeTo(e.Value, maxEvidenceValue-len(busy)) + busy
			e.Indicates, e.Strength = OK, None
		}
	}
	if kind == loadThrottle {
		v.Evidence = append(v.Evidence, Evidence{Source: SourceResponse, Signal: signalLoad, Value: said, Strength: Explicit, Indicates: Throttled})
	}
}

// signalLoad marks a 503 whose own words say it holds the caller back.
const signalLoad = "busy"
