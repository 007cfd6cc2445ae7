package figures

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/downfor/downfor/client"
)

// Figure 2b: a maintenance whose end nobody announced. The service says it
// is in maintenance (in its own answer, or through its probe) and gives no
// Retry-After and no end; the client polls until it is over. What matters
// is how late the client resumes after the end (the lateness), and what
// the polling costs the service (its requests during the window).

// unannouncedMaxWait covers the longest window of the figure.
const unannouncedMaxWait = 2 * time.Hour

// unannouncedScenario is one window of figure 2b.
type unannouncedScenario struct {
	name   string
	window time.Duration
	// byProbe: the page answers a bare 503 and only the probe says
	// maintenance (200, no end); otherwise the page itself says so (503
	// with an explicit JSON flag, as OSF sends) and the probe is 404.
	byProbe bool
}

func unannouncedScenarios() []unannouncedScenario {
	var out []unannouncedScenario
	for _, byProbe := range []bool{false, true} {
		for _, w := range []time.Duration{5 * time.Second, time.Minute, 10 * time.Minute, time.Hour} {
			kind := "page"
			if byProbe {
				kind = "probe"
			}
			out = append(out, unannouncedScenario{name: fmt.Sprintf("%s-%s", kind, shortDur(w)), window: w, byProbe: byProbe})
		}
	}
	return out
}

func shortDur(d time.Duration) string {
	switch {
	case d >= time.Hour && d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d >= time.Minute && d%time.Minute == 0:
		return fmt.Sprintf("%dm", d/time.Minute)
	}
	return d.String()
}

// unannouncedResult is what downfor did in one scenario of figure 2b.
type unannouncedResult struct {
	Scenario string `json:"scenario"`
	// Pages and Probes are the requests for the page and for the probe
	// (its control requests included) during the window.
	Pages  int `json:"pages"`
	Probes int `json:"probes"`
	// Succeeded reports whether the client gave its caller the 200, and
	// LateMS how long after the window's end, in ms.
	Succeeded bool    `json:"succeeded"`
	LateMS    float64 `json:"late_ms"`
}

// unannouncedServer plays one scenario: maintenance until end, then ok.
type unannouncedServer struct {
	sc            unannouncedScenario
	end           time.Time
	pages, probes atomic.Int64
}

func (s *unannouncedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	during := time.Now().Before(s.end)
	switch r.URL.Path {
	case pagePath:
		if during {
			s.pages.Add(1)
		}
		switch {
		case !during:
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, `{"items":[]}`)
		case s.sc.byProbe:
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = io.WriteString(w, `{"meta":{"maintenance_mode":true}}`)
		}
	case "/down-for-maintenance":
		if during {
			s.probes.Add(1)
		}
		if during && s.sc.byProbe {
			_, _ = io.WriteString(w, "down for maintenance")
			return
		}
		http.NotFound(w, r)
	default:
		// The probe checks a 200 against a control path: a probe
		// request too.
		if during && strings.HasPrefix(r.URL.Path, "/downfor-control-") {
			s.probes.Add(1)
		}
		http.NotFound(w, r)
	}
}

// runUnannounced plays sc against downfor (the defaults, but for a maximum
// wait that covers the window) in a synctest bubble.
func runUnannounced(t *testing.T, sc unannouncedScenario) unannouncedResult {
	t.Helper()
	r := unannouncedResult{Scenario: sc.name}
	synctest.Test(t, func(t *testing.T) {
		srv := &unannouncedServer{sc: sc, end: time.Now().Add(sc.window)}
		hc := client.New(client.Config{MaxWait: unannouncedMaxWait, Transport: memTransport{srv}}).StandardClient()
		ctx, cancel := context.WithTimeout(t.Context(), 6*time.Hour)
		defer cancel()
		status, err := stdGetter{hc}.get(ctx, "http://service.test"+pagePath)
		r.Succeeded = err == nil && status == http.StatusOK
		if r.Succeeded {
			r.LateMS = float64(time.Since(srv.end)) / float64(time.Millisecond)
		}
		r.Pages, r.Probes = int(srv.pages.Load()), int(srv.probes.Load())
	})
	return r
}

func runUnannouncedAll(t *testing.T, keep func(string) bool) []unannouncedResult {
	var out []unannouncedResult
	for _, sc := range unannouncedScenarios() {
		if keep(sc.name) {
			out = append(out, runUnannounced(t, sc))
		}
	}
	return out
}

// BenchmarkUnannounced is figure 2b: for each window whose end nobody
// announced, the page and probe requests downfor sent during it
// (pages/window, probes/window) and how late after its end downfor gave
// its caller the 200 (late-ms). Virtual time, in a child process, once per
// -count.
func BenchmarkUnannounced(b *testing.B) {
	for _, sc := range unannouncedScenarios() {
		var last unannouncedResult
		b.Run(sc.name, func(b *testing.B) {
			benchChild(b, groupUnannounced, sc.name, &last, func(r unannouncedResult) map[string]float64 {
				m := map[string]float64{
					"pages/window":  float64(r.Pages),
					"probes/window": float64(r.Probes),
					"succeeded":     boolMetric(r.Succeeded),
				}
				if r.Succeeded {
					m["late-ms"] = r.LateMS
				}
				return m
			})
		})
	}
}

func printUnannounced(w io.Writer, rs []unannouncedResult) {
	fmt.Fprintf(w, "\n## Figure 2b: a maintenance whose end nobody announced (virtual time)\n\n")
	fmt.Fprintf(w, "| window | page requests in window | probe requests in window | late after the end |\n|---|---:|---:|---:|\n")
	for _, r := range rs {
		late := "never (gave up)"
		if r.Succeeded {
			late = roundDur(time.Duration(r.LateMS * float64(time.Millisecond))).String()
		}
		fmt.Fprintf(w, "| %s | %d | %d | %s |\n", r.Scenario, r.Pages, r.Probes, late)
	}
}
