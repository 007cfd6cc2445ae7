package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/waitfmt"
)

// exitCode is the exit code of check and wait for a class (see "downfor check --help").
func exitCode(c classify.Class) int {
	switch c {
	case classify.OK, classify.ClientError:
		return exitOK
	case classify.Maintenance, classify.Throttled:
		return exitTempFail
	case classify.Malfunction:
		return exitUnavailable
	case classify.Network:
		return exitIOErr
	}
	return exitSoftware
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// useColor reports whether output to w may be coloured: only on a
// terminal, and never when NO_COLOR is set or TERM is dumb.
func useColor(w io.Writer, env environment) bool {
	return !env.NoColor && env.Term != "dumb" && isTerminal(w)
}

// colorOf is the ANSI colour of a class: green when it answers, yellow
// when it asks to wait, red when it is broken.
func colorOf(c classify.Class) string {
	switch c {
	case classify.OK, classify.ClientError:
		return "\x1b[32m"
	case classify.Maintenance, classify.Throttled:
		return "\x1b[33m"
	}
	return "\x1b[31m"
}

// classLabel is "maintenance (explicit)", or just the class.
func classLabel(v classify.Verdict, color bool) string {
	s := v.Class.String()
	if v.Class == classify.Maintenance && v.Confidence != classify.None {
		s += " (" + v.Confidence.String() + ")"
	}
	if color {
		s = colorOf(v.Class) + s + "\x1b[0m"
	}
	return s
}

// evidencePhrase describes one piece of evidence briefly, such as
// "status 503", "retry-after 120" or "probe /down-for-maintenance 200".
func evidencePhrase(e classify.Evidence) string {
	var parts []string
	if e.Source != "" && e.Source != classify.SourceResponse && e.Source != e.Signal {
		parts = append(parts, strings.ReplaceAll(e.Source, "_", " "))
	}
	parts = append(parts, e.Signal)
	if e.Value != "" {
		parts = append(parts, e.Value)
	}
	s := strings.Join(parts, " ")
	if e.Strength != classify.None && e.Indicates != classify.OK {
		s += " (" + e.Strength.String() + ")"
	}
	return s
}

// waitPhrase is "wait 2m0s (until 10:00:00Z)", or "" when the server gave
// no timing.
func waitPhrase(v classify.Verdict, now time.Time) string {
	d, ok := v.Wait(now)
	if !ok {
		return ""
	}
	s := "wait " + waitfmt.Format(roundDuration(d))
	if !v.Until.IsZero() {
		s += " (until " + v.Until.UTC().Format(time.RFC3339) + ")"
	}
	return s
}

// roundDuration rounds a wait up to whole seconds for display (a wait is
// never shown shorter than asked), or to milliseconds below a second.
func roundDuration(d time.Duration) time.Duration {
	if d > math.MaxInt64-time.Second {
		// A saturated wait (Retry-After: 99999999999, a date in 2999):
		// rounding up would overflow.
		return d
	}
	if d >= time.Second {
		if r := d % time.Second; r != 0 {
			d += time.Second - r
		}
		return d
	}
	return d.Round(time.Millisecond)
}

// humanLine is check's one line: the class, the URL, the wait and the
// strongest evidence, such as
// "maintenance (implied)  https://api.example.com/  wait 2m0s  status 503; retry-after 120 (implied)".
func humanLine(target string, v classify.Verdict, now time.Time, color bool) string {
	parts := []string{classLabel(v, color), target}
	if w := waitPhrase(v, now); w != "" {
		parts = append(parts, w)
	}
	e, ok := v.Strongest()
	if ok {
		parts = append(parts, evidencePhrase(e))
	}
	if v.Message != "" && v.Message != e.Value {
		parts = append(parts, strconv.Quote(v.Message))
	}
	return strings.Join(parts, "  ")
}

// retryAfterField is how the verdict's JSON writes the wait it was asked.
var retryAfterField = regexp.MustCompile(`"retry_after_seconds":[0-9]+`)

// serverRetryAfter rewrites a saturated retry_after_seconds (a wait too
// long for a time.Duration: Retry-After 99999999999, a date in 2999) as
// the server's own value in seconds, which JSON holds exactly, never as
// the capped number; when that cannot be told, the field is left out.
func serverRetryAfter(body []byte, v classify.Verdict, now time.Time) []byte {
	repl := ""
	for _, e := range v.Evidence {
		if e.Signal != classify.SignalRetryAfter {
			continue
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(e.Value), 10, 63); err == nil {
			repl = `"retry_after_seconds":` + strconv.FormatUint(n, 10)
		} else if t, err := http.ParseTime(e.Value); err == nil && t.After(now) {
			repl = `"retry_after_seconds":` + strconv.FormatInt(t.Unix()-now.Unix(), 10)
		}
		break
	}
	loc := retryAfterField.FindIndex(body)
	if loc == nil {
		return body
	}
	out := append([]byte(nil), body[:loc[0]]...)
	if repl == "" {
		// Drop the field and one comma beside it.
		rest := body[loc[1]:]
		if len(rest) > 0 && rest[0] == ',' {
			rest = rest[1:]
		} else if len(out) > 0 && out[len(out)-1] == ',' {
			out = out[:len(out)-1]
		}
		return append(out, rest...)
	}
	out = append(out, repl...)
	return append(out, body[loc[1]:]...)
}

// verdictJSON is check's JSON object: the verdict's own fields (as
// docs/protocol.md lists them) with "url" first and "checked_at" last.
func verdictJSON(target string, v classify.Verdict, checkedAt time.Time) ([]byte, error) {
	body, err := v.MarshalJSON()
	if err != nil {
		return nil, err
	}
	if len(body) < 2 || body[0] != '{' || body[len(body)-1] != '}' {
		return nil, fmt.Errorf("downfor: unexpected verdict JSON %q", body)
	}
	if v.HasRetryAfter && v.RetryAfter >= classify.MaxRetryAfter {
		body = serverRetryAfter(body, v, checkedAt)
	}
	u, _ := json.Marshal(target)
	at, _ := json.Marshal(checkedAt.UTC().Format(time.RFC3339Nano))
	out := make([]byte, 0, len(body)+len(u)+len(at)+32)
	out = append(out, `{"url":`...)
	out = append(out, u...)
	if len(body) > 2 {
		out = append(out, ',')
		out = append(out, body[1:len(body)-1]...)
	}
	out = append(out, `,"checked_at":`...)
	out = append(out, at...)
	out = append(out, '}')
	return out, nil
}

// printVerdict prints a verdict as check does and returns check's exit
// code for it.
func printVerdict(stdout, stderr io.Writer, target string, v classify.Verdict, now time.Time, jsonOut, color bool) int {
	if jsonOut {
		b, err := verdictJSON(target, v, now)
		if err != nil {
			fmt.Fprintf(stderr, "downfor: %v\n", err)
			return exitSoftware
		}
		b = append(b, '\n')
		if _, err := stdout.Write(b); err != nil {
			return exitSoftware
		}
		return exitCode(v.Class)
	}
	if _, err := fmt.Fprintln(stdout, humanLine(target, v, now, color)); err != nil {
		return exitSoftware
	}
	return exitCode(v.Class)
}

// warnComponents says on w, in words, what --json shows only as evidence:
// a --component NAME that the status page does not list, so that a typo
// does not silently make the page count for nothing.
func warnComponents(w io.Writer, v classify.Verdict) {
	for _, e := range v.Evidence {
		if e.Signal == classify.SignalComponentFilter {
			fmt.Fprintf(w, "downfor: warning: --component: %s; check the name on the status page\n", printable(e.Value))
		}
	}
}

// serviceSummary is "URL is malfunctioning: status 500", for run's line.
func serviceSummary(target string, v classify.Verdict, now time.Time) string {
	s := target + " " + statePhrase(v)
	e, ok := v.Strongest()
	if ok {
		s += ": " + evidencePhrase(e)
	}
	if w := waitPhrase(v, now); w != "" {
		s += ", " + w
	}
	if v.Message != "" && v.Message != e.Value {
		s += " " + strconv.Quote(v.Message)
	}
	return s
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// statePhrase says in words what the service is doing, with the class
// itself in it so the line can be searched for: "is malfunctioning",
// "is in maintenance (explicit)", "does not answer (network error)".
func statePhrase(v classify.Verdict) string {
	switch v.Class {
	case classify.Maintenance:
		return "is in " + classLabel(v, false)
	case classify.Malfunction:
		return "is malfunctioning"
	case classify.Network:
		return "does not answer (network error)"
	case classify.Throttled:
		return "asks to slow down (throttled)"
	case classify.ClientError:
		return "answers with a client error (client_error)"
	}
	return "is " + v.Class.String()
}

// stillPhrase says, in words, what a service that has not come back is
// doing, such as "the service is still in maintenance".
func stillPhrase(c classify.Class) string {
	switch c {
	case classify.Maintenance:
		return "the service is still in maintenance"
	case classify.Throttled:
		return "the service still asks to slow down (throttled)"
	case classify.Malfunction:
		return "the service is still malfunctioning"
	case classify.Network:
		return "the service still does not answer (network error)"
	}
	return "the service is still " + c.String()
}

// displayWait rounds a wait up to whole seconds for display ("next check
// in 1s", not "997ms"); a wait that has not quite run out shows as 1s.
func displayWait(d time.Duration) time.Duration {
	if d <= 0 {
		return 0
	}
	return max(roundDuration(d).Round(time.Second), time.Second)
}

// clip shortens s to at most n runes, ending it with "…" when cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
