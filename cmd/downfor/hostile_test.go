package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/hostile"
	"github.com/downfor/downfor/internal/peek"
	"github.com/downfor/downfor/testserver"
)

// This file holds downfor's safety promises (SECURITY.md) to account for "downfor check" (and the
// checks of wait and run) against every hostile and network mode of the
// mock server, over real sockets: the class testserver.Modes promises and
// its exit code; hangs ended by a short --timeout with evidence of the
// timeout kind; a huge body read no further than the check's bound; no
// terminal escapes from a hostile server in the output; and --header never
// sent to another origin. The tests are not parallel, so that goleak can
// tell their goroutines from everyone else's.

// hostileVerdict is what "check --json" prints, read back.
type hostileVerdict struct {
	URL               string              `json:"url"`
	Class             string              `json:"class"`
	Confidence        string              `json:"confidence"`
	RetryAfterSeconds *int64              `json:"retry_after_seconds"`
	Until             *time.Time          `json:"until"`
	Message           string              `json:"message"`
	Evidence          []classify.Evidence `json:"evidence"`
}

func (v hostileVerdict) has(source, signal, value string) bool {
	for _, e := range v.Evidence {
		if e.Source == source && e.Signal == signal && strings.Contains(e.Value, value) {
			return true
		}
	}
	return false
}

// hostileRun runs downfor with args and returns its exit code and output.
func hostileRun(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// hostileCheck runs "check --json" with args and decodes its output,
// checking that nothing it printed can drive a terminal.
func hostileCheck(t *testing.T, args ...string) (int, hostileVerdict, string) {
	t.Helper()
	code, out, errOut := hostileRun(t, append([]string{"check", "--json"}, args...)...)
	hostileAssertPrintable(t, out+errOut)
	var v hostileVerdict
	require.NoError(t, json.Unmarshal([]byte(out), &v), "stdout: %s\nstderr: %s", out, errOut)
	for _, e := range v.Evidence {
		hostileAssertPrintable(t, e.Value+e.Message)
	}
	hostileAssertPrintable(t, v.Message)
	return code, v, errOut
}

func hostileAssertPrintable(t *testing.T, s string) {
	t.Helper()
	assert.Empty(t, hostile.Unprintable(s), "terminal control characters in output %q", s)
}

// hostileNoLeaks checks, once the test and all its cleanups are done, that
// no goroutine it started is left.
func hostileNoLeaks(t *testing.T) {
	t.Helper()
	before := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, before) })
}

func hostileServer(t *testing.T, cfg testserver.Config) *testserver.Server {
	t.Helper()
	srv, err := testserver.Start(cfg)
	require.NoError(t, err)
	t.Cleanup(srv.Close)
	return srv
}

// hostileShort is the --timeout of the modes that never answer: short, so
// that the suite is fast; what is asserted is the kind of the error, not
// the time it took.
const hostileShort = "300ms"

// TestHostileCheckModes: every hostile and network mode through "downfor
// check".
func TestHostileCheckModes(t *testing.T) {
	hostileNoLeaks(t)
	type tc struct {
		mode    string
		timeout string
		class   classify.Class
		check   func(t *testing.T, srv *testserver.Server, v hostileVerdict)
	}
	cases := []tc{
		{mode: "reset", class: classify.Network, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			assert.True(t, v.has(classify.SourceTransport, "reset", "") || v.has(classify.SourceTransport, "eof", ""), "%+v", v.Evidence)
		}},
		{mode: "hang", timeout: hostileShort, class: classify.Network, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			assert.True(t, v.has(classify.SourceTransport, "timeout", ""), "a hang ends with a timeout: %+v", v.Evidence)
		}},
		{mode: "slow-body", timeout: hostileShort, class: classify.Network, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			// The 200 came; the body did not, within the timeout.
			assert.True(t, v.has(classify.SourceResponse, "status", "200"), "%+v", v.Evidence)
			assert.True(t, v.has(classify.SourceTransport, "timeout", ""), "%+v", v.Evidence)
		}},
		{mode: "garbage", class: classify.Network, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			assert.True(t, v.has(classify.SourceTransport, "protocol", ""), "%+v", v.Evidence)
		}},
		{mode: "retry-after-huge", class: classify.Maintenance, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			// 99999999999 s saturates; it never wraps to a small or
			// negative number.
			require.NotNil(t, v.RetryAfterSeconds)
			assert.Greater(t, *v.RetryAfterSeconds, int64(1e9))
		}},
		{mode: "retry-after-far-future", class: classify.Maintenance, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			require.NotNil(t, v.RetryAfterSeconds)
			// A date in 2999 saturates at the largest Duration (292 years),
			// never wraps.
			assert.Greater(t, *v.RetryAfterSeconds, int64(100*365*24*3600))
		}},
		{mode: "retry-after-past", class: classify.Malfunction, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			// A wait of 0 is no window: a bare 503.
			assert.Empty(t, v.Confidence)
			if v.RetryAfterSeconds != nil {
				assert.Zero(t, *v.RetryAfterSeconds)
			}
		}},
		{mode: "retry-after-negative", class: classify.Malfunction, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			assert.Nil(t, v.RetryAfterSeconds)
			assert.True(t, v.has(classify.SourceResponse, "retry-after", "invalid"), "%+v", v.Evidence)
		}},
		{mode: "retry-after-garbage", class: classify.Malfunction, check: func(t *testing.T, srv *testserver.Server, v hostileVerdict) {
			assert.Nil(t, v.RetryAfterSeconds)
			assert.True(t, v.has(classify.SourceResponse, "retry-after", "invalid"), "%+v", v.Evidence)
			// The other two values of the rotation.
			for _, q := range []string{"?v=1", "?v=2"} {
				code, v, _ := hostileCheck(t, "--timeout", "10s", srv.URL+"/api/things"+q)
				assert.Equal(t, exitUnavailable, code)
				assert.Equal(t, "malfunction", v.Class)
				assert.Nil(t, v.RetryAfterSeconds)
			}
		}},
		{mode: "probe-redirect-offsite", class: classify.Malfunction, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			assert.True(t, v.has(classify.SourceProbe, "probe", "not followed"), "%+v", v.Evidence)
		}},
		{mode: "redirect-loop", class: classify.Malfunction, check: func(t *testing.T, srv *testserver.Server, v hostileVerdict) {
			assert.True(t, v.has(classify.SourceResponse, "redirect-loop", ""), "%+v", v.Evidence)
			pages := 0
			for _, r := range srv.Requests() {
				if r.Path == "/api/things" {
					pages++
				}
			}
			assert.LessOrEqual(t, pages, maxRedirects+1, "a bounded number of hops")
		}},
		{mode: "probe-hang", timeout: hostileShort, class: classify.Malfunction, check: func(t *testing.T, _ *testserver.Server, v hostileVerdict) {
			assert.True(t, v.has(classify.SourceProbe, "probe", "timeout"), "the probe's hang ends with a timeout: %+v", v.Evidence)
		}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			other := hostile.StartRecorder(t, "127.0.0.2:0", nil)
			srv := hostileServer(t, testserver.Config{Mode: c.mode, Offsite: other.URL})
			timeout := c.timeout
			if timeout == "" {
				timeout = "10s"
			}
			code, v, errOut := hostileCheck(t, "--timeout", timeout, srv.URL+"/api/things")
			assert.Equal(t, c.class.String(), v.Class, "evidence: %+v; stderr: %s", v.Evidence, errOut)
			assert.Equal(t, exitCode(c.class), code)
			assert.Empty(t, other.Requests(), "a request left the service's origin")
			c.check(t, srv, v)
		})
	}
}

// TestHostileCheckHugeBody: check reads a bounded prefix of a 10 GiB body
// and its heap stays flat. The server counts what it managed to write; the
// kernel's socket buffers are the only slack between that and what check
// read.
func TestHostileCheckHugeBody(t *testing.T) {
	hostileNoLeaks(t)
	mem, err := testserver.StartInMemory(testserver.Config{Mode: "huge-body"})
	require.NoError(t, err)
	t.Cleanup(mem.Close)
	counting := &hostile.CountingHandler{H: mem.Handler()}
	srv := httptest.NewServer(counting)
	t.Cleanup(srv.Close)

	heap := hostile.SampleHeap(time.Millisecond)
	code, v, _ := hostileCheck(t, "--timeout", "20s", srv.URL+"/api/things")
	_, growth := heap.Stop()

	assert.Equal(t, "malfunction", v.Class)
	assert.Equal(t, exitUnavailable, code)
	// client.CheckRequest reads (and discards) at most the first MiB.
	const bodyRead = 1 << 20
	bound := int64(bodyRead) + int64(peek.DefaultLimit) + hostile.SocketSlack() + 1<<20
	assert.Less(t, counting.Written(), bound, "check read more of the body than its bound")
	assert.Less(t, growth, uint64(16<<20), "heap grew by %d bytes reading a huge body", growth)
	t.Logf("server wrote %d bytes of a 10 GiB body (bound %d); heap grew by %d bytes", counting.Written(), bound, growth)
}

// TestHostileWaitEnds: "downfor wait" against servers that ask for
// centuries, or never answer, gives up when its --timeout passes, with the
// exit code of the last class. (Ending at all is the point: a wait that
// trusted the server would sleep for 3000 years.)
func TestHostileWaitEnds(t *testing.T) {
	hostileNoLeaks(t)
	for mode, want := range map[string]int{
		"retry-after-huge":       exitTempFail,
		"retry-after-far-future": exitTempFail,
		"hang":                   exitIOErr,
		"probe-hang":             exitUnavailable,
	} {
		t.Run(mode, func(t *testing.T) {
			srv := hostileServer(t, testserver.Config{Mode: mode})
			code, out, errOut := hostileRun(t, "wait", "--timeout", "300ms", "--min-interval", "50ms",
				"--check-timeout", "100ms", srv.URL+"/api/things")
			assert.Equal(t, want, code, "stdout: %s\nstderr: %s", out, errOut)
			assert.Contains(t, errOut, "gave up after 300ms")
			hostileAssertPrintable(t, out+errOut)
		})
	}
}

// Terminal escapes.

// hostileInk is text a hostile server hides in everything it sends: a
// screen clear, a window-title OSC, a hyperlink, a bell, a carriage return
// that rewrites the line, a C1 CSI, and a right-to-left override.
const hostileInk = "\x1b[2J\x1b]0;pwned\x07\x1b]8;;http://evil.invalid\x07click\x1b]8;;\x07\r\u009b31m\u202eyrtne"

// hostileInkServer serves hostileInk everywhere downfor reads text: the
// JSON message of a 503 that says maintenance, a bidi override in a
// header (net/http rejects control bytes in headers, not UTF-8), the
// probe's message, the health endpoint, and a status page whose incident,
// maintenance and component names all carry it.
func hostileInkServer(t *testing.T, variant string) *hostile.Recorder {
	incident := variant == "incident"
	ink, _ := json.Marshal(hostileInk)
	maint, _ := json.Marshal("down for maintenance " + hostileInk)
	incidents := "[]"
	if incident {
		incidents = `[{"id":"i1","name":"Outage ` + string(ink[1:len(ink)-1]) + `","status":"investigating","impact":"major",` +
			`"incident_updates":[{"body":` + string(ink) + `,"status":"investigating"}]}]`
	}
	summary := `{"page":{"id":"p","name":` + string(ink) + `},"status":{"indicator":"maintenance","description":` + string(ink) + `},` +
		`"components":[{"id":"c1","name":` + string(ink) + `,"status":"under_maintenance"}],"incidents":` + incidents + `,` +
		`"scheduled_maintenances":[{"id":"m1","name":` + string(ink) + `,"status":"in_progress",` +
		`"scheduled_for":"2020-01-01T00:00:00Z","scheduled_until":"2999-01-01T00:00:00Z","incident_updates":[{"body":` + string(ink) + `}]}]}`
	return hostile.StartRecorder(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/down-for-maintenance":
			fmt.Fprintf(w, `{"until":"2999-01-01T00:00:00Z","message":%s}`, ink)
		case "/health":
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, `{"status":"OUT_OF_SERVICE","details":%s,"output":%s}`, ink, ink)
		case "/api/v2/summary.json":
			io.WriteString(w, summary)
		default:
			if variant == "oops" {
				w.Header().Set("X-Lazr-OopsId", "OOPS-\u202e1337")
			}
			w.Header().Set("Retry-After", "120\u202e")
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, `{"message":%s,"error":%s,"detail":%s}`, maint, ink, ink)
		}
	}))
}

// TestHostileCheckEscapes: whatever text a hostile service, probe, health
// endpoint or status page sends, downfor's own output (check's line and
// JSON, wait's progress, run's line) carries no terminal control
// character: evidence values and messages are sanitised.
func TestHostileCheckEscapes(t *testing.T) {
	hostileNoLeaks(t)
	for _, variant := range []string{"maintenance", "incident", "oops"} {
		t.Run(variant, func(t *testing.T) {
			srv := hostileInkServer(t, variant)
			target := srv.URL + "/api/things"
			// JSON: the decoded strings must be clean too.
			_, v, _ := hostileCheck(t, "--timeout", "5s", "--health", "/health", target)
			require.NotEmpty(t, v.Evidence)
			// The human line.
			_, out, errOut := hostileRun(t, "check", "--timeout", "5s", "--health", "/health", target)
			require.NotEmpty(t, out)
			t.Logf("check: %s%s", out, errOut)
			hostileAssertPrintable(t, out+errOut)
			// wait's progress lines.
			_, out, errOut = hostileRun(t, "wait", "--timeout", "100ms", "--min-interval", "50ms", "--check-timeout", "5s", "--health", "/health", target)
			hostileAssertPrintable(t, out+errOut)
			// run's line, for a job that prints nothing itself.
			_, out, errOut = hostileRun(t, "run", "--url", target, "--check-timeout", "5s", "--health", "/health", "--", "sh", "-c", "exit 3")
			hostileAssertPrintable(t, out+errOut)
			t.Logf("run: %s%s", out, errOut)
		})
	}
}

// Credentials.

const (
	hostileSecret = "cl1-s3cr3t"
	hostileCookie = "cl1-c00kie"
	hostileKey    = "cl1-ap1-key"
)

var hostileSecrets = []string{hostileSecret, hostileCookie, hostileKey}

// hostileHeaders are the --header flags a user gives: credentials for the
// service.
func hostileHeaders() []string {
	return []string{
		"--header", "Authorization: Bearer " + hostileSecret,
		"--header", "Cookie: session=" + hostileCookie,
		"--header", "X-Api-Key: " + hostileKey,
	}
}

func hostileAssertClean(t *testing.T, recs ...*hostile.Recorder) {
	t.Helper()
	for _, r := range recs {
		for _, s := range r.Requests() {
			assert.Empty(t, hostile.Leaks(s.Header, hostileSecrets...), "%s %s%s got --header", s.Method, s.Host, s.Path)
		}
	}
}

// hostileOrigins are other origins: the same host on another port, and
// another host.
func hostileOrigins(t *testing.T) map[string]func(t *testing.T, h http.Handler) *hostile.Recorder {
	return map[string]func(t *testing.T, h http.Handler) *hostile.Recorder{
		"other-port": func(t *testing.T, h http.Handler) *hostile.Recorder {
			return hostile.StartRecorder(t, "127.0.0.1:0", h)
		},
		"other-host": func(t *testing.T, h http.Handler) *hostile.Recorder {
			return hostile.StartRecorder(t, "127.0.0.2:0", h)
		},
	}
}

// TestHostileHeaderStaysOnOrigin: --header reaches the service's origin
// and no other: not a status page or health endpoint elsewhere, not the
// target of the probe's off-site redirect, not the target of the service's
// own redirect (each redirect status, to another port or host), not where
// the status page redirects; through check, wait and run.
func TestHostileHeaderStaysOnOrigin(t *testing.T) {
	hostileNoLeaks(t)
	statuses := []int{http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther, http.StatusTemporaryRedirect, http.StatusPermanentRedirect}
	for name, start := range hostileOrigins(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("sources-elsewhere", func(t *testing.T) {
				page := start(t, nil)
				health := start(t, nil)
				srv := hostileServer(t, testserver.Config{Mode: "probe-redirect-offsite", Offsite: start(t, nil).URL})
				args := append(hostileHeaders(), "--timeout", "5s", "--status-page", page.URL, "--health", health.URL+"/health", srv.URL+"/api/things")
				code, _, errOut := hostileRun(t, append([]string{"check"}, args...)...)
				assert.Equal(t, exitUnavailable, code, errOut)
				require.NotEmpty(t, page.Requests(), "the status page was not consulted")
				require.NotEmpty(t, health.Requests(), "the health endpoint was not consulted")
				hostileAssertClean(t, page, health)
				// The service's own origin got them (the test sends what it
				// means to), page and probe alike.
				for _, r := range srv.Requests() {
					assert.Equal(t, "Bearer "+hostileSecret, r.Header.Get("Authorization"), r.Path)
				}
			})
			for _, status := range statuses {
				t.Run("service-redirect/"+http.StatusText(status), func(t *testing.T) {
					landing := start(t, nil)
					service := hostile.StartRecorder(t, "127.0.0.1:0", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						switch r.URL.Path {
						case "/api/things":
							http.Redirect(w, r, landing.URL+"/landing", status)
						case "/api/v2/summary.json":
							http.Redirect(w, r, landing.URL+"/moved/summary.json", status)
						default:
							http.NotFound(w, r)
						}
					}))
					for _, cmd := range [][]string{
						{"check", "--timeout", "5s", "--method", "PUT"},
						{"wait", "--timeout", "100ms", "--check-timeout", "5s"},
						{"run", "--url", service.URL + "/api/things", "--skip-before", "--check-timeout", "5s"},
					} {
						args := append(append(cmd, hostileHeaders()...), "--status-page", "/api/v2/summary.json")
						if cmd[0] == "run" {
							args = append(args, "--", "true")
						} else {
							args = append(args, service.URL+"/api/things")
						}
						// The redirect lands on a 200: the service is ok,
						// and the status page is not consulted.
						hostileRun(t, args...)
					}
					// A page that is not ok: the status page is consulted,
					// on the service's origin, and redirects away. A status
					// page given as a path is the service's own: its
					// redirects stay on the origin (issue 17).
					hostileRun(t, append(append([]string{"check", "--timeout", "5s", "--status-page", "/api/v2/summary.json"}, hostileHeaders()...), service.URL+"/missing")...)
					moved := false
					for _, r := range landing.Requests() {
						moved = moved || r.Path == "/moved/summary.json"
					}
					assert.False(t, moved, "the default status page followed a redirect to another origin")
					require.NotEmpty(t, landing.Requests(), "no redirect was followed")
					hostileAssertClean(t, landing)
					for _, r := range service.Requests() {
						assert.Equal(t, "Bearer "+hostileSecret, r.Header.Get("Authorization"), r.Path)
					}
				})
			}
		})
	}
}

// TestHostileCheckHumanWait: a server that asks for centuries (Retry-After:
// 99999999999, a date in 2999, a probe or status page announcing an end
// in 2999) is shown a long wait on check's human line, never a negative
// one: the saturated wait must not overflow when rounded for display.
func TestHostileCheckHumanWait(t *testing.T) {
	hostileNoLeaks(t)
	for _, mode := range []string{"retry-after-huge", "retry-after-far-future"} {
		t.Run(mode, func(t *testing.T) {
			srv := hostileServer(t, testserver.Config{Mode: mode})
			code, out, _ := hostileRun(t, "check", "--timeout", "5s", srv.URL+"/api/things")
			assert.Equal(t, exitTempFail, code)
			assert.Contains(t, out, "  wait ")
			assert.NotContains(t, out, "wait -", "a negative wait: %s", out)
		})
	}
	t.Run("until-2999", func(t *testing.T) {
		srv := hostileInkServer(t, "maintenance")
		_, out, _ := hostileRun(t, "check", "--timeout", "5s", srv.URL+"/api/things")
		assert.Contains(t, out, "  wait ")
		assert.NotContains(t, out, "wait -", "a negative wait: %s", out)
	})
}
